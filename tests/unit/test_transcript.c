/* Unit tests for the transcript: the rules of what was said, and no byte twice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include "sanitize.h"
#include "count.h"
#include "transcript.h"

#define RECV(t, s)	assert_int_equal(transcript_recv(t, s, strlen(s), 100), 0)
#define SENT(t, s)	assert_int_equal(transcript_sent(t, s, strlen(s), 100, false), 0)

/* The merged conversation, oldest first, as "<text|state" lines. */
static char *
dump(const struct transcript *t, bool merged, enum tr_side side)
{
	static char out[4096];
	const struct sb_line *v[64], *l;
	struct tr_walk w;
	size_t n = 0, j = 0;

	tr_walk_init(&w, t, merged, side);
	while ((l = tr_walk_prev(&w)) != NULL && n < 64)
		v[n++] = l;
	out[0] = '\0';
	while (n-- > 0) {
		l = v[n];
		j += (size_t)snprintf(out + j, sizeof out - j, "%c%.*s%s\n",
		    l->kind == TR_RECV ? '<' : l->kind == TR_SENT ? '>' : '*',
		    (int)l->len, l->text, l->state == TR_OPEN ? "|open" :
		    l->state == TR_NONL ? "|nonl" : "");
	}
	return out;
}

/* Bytes we sent as they are: lines like received ones; a tail waits for
 * its newline unless the bytes are whole (/raw); the peer's end flushes a
 * held tail; both close an open received line first. */
static void
test_sent_bytes(void **state)
{
	struct transcript t;
	const struct sb_line *l;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "220 ready\r\nlogin: ");
	assert_int_equal(transcript_sent_bytes(&t, "HELO a\r\nMAIL", 12, 200,
	    false), 0);
	assert_string_equal(dump(&t, true, 0),
	    "<220 ready\n<login: |nonl\n>HELO a\n");
	l = sb_last(&t.side[TR_SIDE_SENT]);
	assert_true(l->flags & TR_F_CRLF);
	assert_true(sb_get(&t.side[TR_SIDE_RECV], 0)->flags & TR_F_CRLF);
	assert_int_equal(t.recv_crlf, 1);
	assert_int_equal(t.recv_lf, 0);
	/* the held tail goes on; its entry is as old as its first bytes */
	assert_int_equal(transcript_sent_bytes(&t, " FROM:", 6, 300, false), 0);
	assert_int_equal(transcript_sent_bytes(&t, "<x>\n", 4, 400, false), 0);
	l = sb_last(&t.side[TR_SIDE_SENT]);
	assert_string_equal(l->text, "MAIL FROM:<x>");
	assert_int_equal(l->when_ms, 200);
	assert_false(l->flags & TR_F_CRLF);
	/* whole: the tail is an entry at once, without newline */
	assert_int_equal(transcript_sent_bytes(&t, "a\nb", 3, 500, true), 0);
	assert_string_equal(dump(&t, false, TR_SIDE_SENT),
	    ">HELO a\n>MAIL FROM:<x>\n>a\n>b|nonl\n");
	/* a held tail is flushed when the peer ends */
	assert_int_equal(transcript_sent_bytes(&t, "QUI", 3, 600, false), 0);
	transcript_peer_end(&t);
	l = sb_last(&t.side[TR_SIDE_SENT]);
	assert_string_equal(l->text, "QUI");
	assert_int_equal(l->state, TR_NONL);
	assert_int_equal(l->when_ms, 600);
	/* pipe mode: what we send does not end the peer's half line */
	t.send_keeps_open = true;
	RECV(&t, "hello wor");
	assert_int_equal(transcript_sent_bytes(&t, "PING\n", 5, 650, false), 0);
	RECV(&t, "ld\r\n");
	l = sb_last(&t.side[TR_SIDE_RECV]);
	assert_string_equal(l->text, "hello world");
	assert_int_equal(l->state, TR_DONE);
	t.send_keeps_open = false;
	/* a typed line says how it went: CRLF or LF */
	assert_int_equal(transcript_sent(&t, "x", 1, 700, true), 0);
	assert_true(sb_last(&t.side[TR_SIDE_SENT])->flags & TR_F_CRLF);
	assert_int_equal(transcript_sent(&t, "y", 1, 800, false), 0);
	assert_false(sb_last(&t.side[TR_SIDE_SENT])->flags & TR_F_CRLF);
	transcript_free(&t);
}

/* -u: a datagram is whole: its last line is done without newline (no
 * mark), and the next datagram never joins it. */
static void
test_recv_end_datagrams(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "a");
	assert_int_equal(transcript_recv_end(&t, 100), 0);
	assert_null(transcript_open(&t));
	RECV(&t, "b");
	assert_int_equal(transcript_recv_end(&t, 100), 0);
	RECV(&t, "x\ny\n");
	assert_int_equal(transcript_recv_end(&t, 100), 0);
	assert_int_equal(transcript_recv_end(&t, 100), 0);	/* nothing open */
	RECV(&t, "p\nq");
	assert_int_equal(transcript_recv_end(&t, 100), 0);
	assert_string_equal(dump(&t, true, 0), "<a\n<b\n<x\n<y\n<p\n<q\n");
	transcript_free(&t);
}

static void
test_complete_lines(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "one\r\ntwo\n");
	assert_string_equal(dump(&t, true, 0), "<one\n<two\n");
	assert_null(transcript_open(&t));
	transcript_free(&t);
}

static void
test_open_line_grows_in_place(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "log");
	RECV(&t, "in: ");
	assert_string_equal(dump(&t, true, 0), "<login: |open\n");
	assert_string_equal(transcript_open(&t)->text, "login: ");
	/* a CR that may be half of CRLF is not shown yet, nor kept after */
	RECV(&t, "alice\r");
	assert_string_equal(dump(&t, true, 0), "<login: alice|open\n");
	RECV(&t, "\nnext");
	assert_string_equal(dump(&t, true, 0), "<login: alice\n<next|open\n");
	transcript_free(&t);
}

/* The seed's server answers 收到 with no newline to every message. */
static void
test_we_send_closes_open_line(void **state)
{
	struct transcript t;
	const char *d;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	SENT(&t, "你好");
	RECV(&t, "收到");
	SENT(&t, "again");
	RECV(&t, "收");
	RECV(&t, "到");
	SENT(&t, "third");
	RECV(&t, "收到");
	d = dump(&t, true, 0);
	assert_string_equal(d, ">你好\n<收到|nonl\n>again\n<收到|nonl\n>third\n"
	    "<收到|open\n");
	assert_int_equal(count_of(d, "收到"), 3);
	/* the split panes see the same entries, each on its side */
	assert_string_equal(dump(&t, false, TR_SIDE_RECV),
	    "<收到|nonl\n<收到|nonl\n<收到|open\n");
	assert_string_equal(dump(&t, false, TR_SIDE_SENT), ">你好\n>again\n>third\n");
	transcript_free(&t);
}

static void
test_notice_never_duplicates_open_line(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "Pass");
	assert_int_equal(transcript_notice(&t, "peer closed its side", 100), 0);
	RECV(&t, "word: ");
	assert_string_equal(dump(&t, true, 0),
	    "<Password: |open\n*peer closed its side\n");
	RECV(&t, "\n");
	assert_string_equal(dump(&t, true, 0),
	    "<Password: \n*peer closed its side\n");
	transcript_free(&t);
}

/* An alert is a notice like any other, flagged for the alarm colour. */
/* A sent line's delivery mark is set in place, keeps its other flags
 * (CRLF), changes the generation; a received line or a gone seq refuses. */
static void
test_sent_mark(void **state)
{
	struct transcript t;
	const struct sb_line *l;
	uint64_t gen;

	(void)state;
	assert_int_equal(transcript_init(&t, 2, NULL, NULL), 0);
	assert_int_equal(transcript_sent(&t, "one", 3, 100, true), 0);
	l = sb_last(&t.side[TR_SIDE_SENT]);
	assert_int_equal(l->flags & TR_F_MARK, 0);
	gen = t.gen;
	assert_int_equal(transcript_mark(&t, l->seq, 3), 0);
	assert_true(t.gen != gen);
	assert_int_equal((l->flags & TR_F_MARK) >> TR_F_MARK_SHIFT, 3);
	assert_int_equal(l->flags & TR_F_CRLF, TR_F_CRLF);
	assert_int_equal(transcript_mark(&t, l->seq, 4), 0);
	assert_int_equal((l->flags & TR_F_MARK) >> TR_F_MARK_SHIFT, 4);
	assert_int_equal(l->flags & TR_F_CRLF, TR_F_CRLF);
	assert_int_equal(transcript_recv(&t, "in\n", 3, 101), 0);
	assert_int_equal(transcript_mark(&t, t.seq, 2), -1);
	/* two more sent lines push "one" out of the ring of two */
	assert_int_equal(transcript_sent(&t, "two", 3, 102, false), 0);
	assert_int_equal(transcript_sent(&t, "three", 5, 103, false), 0);
	assert_int_equal(transcript_mark(&t, 1, 2), -1);
	transcript_free(&t);
}

static void
test_alert_flag(void **state)
{
	struct transcript t;
	const struct sb_line *l;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	assert_int_equal(transcript_notice(&t, "plain", 100), 0);
	assert_int_equal(transcript_alert(&t, "loud", 101), 0);
	assert_string_equal(dump(&t, true, 0), "*plain\n*loud\n");
	l = sb_get(&t.side[TR_SIDE_RECV], 0);
	assert_int_equal(l->flags & TR_F_ALERT, 0);
	l = sb_get(&t.side[TR_SIDE_RECV], 1);
	assert_int_equal(l->flags & TR_F_ALERT, TR_F_ALERT);
	assert_int_equal(l->kind, TR_NOTICE);
	transcript_free(&t);
}

static void
test_clear_keeps_open_line_once(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "old\nha");
	SENT(&t, "x");		/* closes "ha" */
	RECV(&t, "partial");
	transcript_clear(&t);
	assert_string_equal(dump(&t, true, 0), "<partial|open\n");
	RECV(&t, " done\n");
	assert_string_equal(dump(&t, true, 0), "<partial done\n");
	transcript_clear(&t);
	assert_string_equal(dump(&t, true, 0), "");
	RECV(&t, "new\n");
	assert_string_equal(dump(&t, true, 0), "<new\n");
	transcript_free(&t);
}

static void
test_peer_end_carries_nothing_over(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 100, NULL, NULL), 0);
	RECV(&t, "unfinished");
	transcript_peer_end(&t);
	RECV(&t, "next peer\n");
	assert_string_equal(dump(&t, true, 0), "<unfinished|nonl\n<next peer\n");
	/* ending with nothing open changes nothing */
	transcript_peer_end(&t);
	assert_string_equal(dump(&t, true, 0), "<unfinished|nonl\n<next peer\n");
	transcript_free(&t);
}

static char finals[1024];

static void
final_cb(void *arg, const struct sb_line *l)
{
	size_t j = strlen(finals);

	(void)arg;
	snprintf(finals + j, sizeof finals - j, "[%.*s %d]", (int)l->len,
	    l->text, l->state);
}

static void
test_final_hook_once_per_entry(void **state)
{
	struct transcript t;

	(void)state;
	finals[0] = '\0';
	assert_int_equal(transcript_init(&t, 100, final_cb, NULL), 0);
	RECV(&t, "a\nb");
	RECV(&t, "c");
	assert_int_equal(transcript_notice(&t, "n", 100), 0);
	SENT(&t, "s");
	RECV(&t, "d\n");
	assert_string_equal(finals, "[a 0][n 0][bc 2][s 0][d 0]");
	transcript_free(&t);
}

static void
test_sanitized_and_bounded(void **state)
{
	struct transcript t;
	const struct sb_line *l;
	int i;

	(void)state;
	assert_int_equal(transcript_init(&t, 3, NULL, NULL), 0);
	RECV(&t, "\x1b]52;c;aGk=\x07red\n");
	l = transcript_open(&t);
	assert_null(l);
	assert_null(memchr(t.side[TR_SIDE_RECV].ring[0].text, '\x1b',
	    t.side[TR_SIDE_RECV].ring[0].len));
	/* the open line survives while it is kept, and a lost one restarts */
	RECV(&t, "x");
	for (i = 0; i < 3; i++)
		assert_int_equal(transcript_notice(&t, "n", 100), 0);
	assert_null(transcript_open(&t));
	RECV(&t, "y\n");
	assert_int_equal(t.side[TR_SIDE_RECV].count, 3);
	assert_string_equal(sb_last(&t.side[TR_SIDE_RECV])->text, "xy");
	transcript_free(&t);
}

static void
test_plain_rendering(void **state)
{
	struct transcript t;
	const struct sb_line *l;
	struct tr_walk w;
	char *s;

	(void)state;
	assert_int_equal(transcript_init(&t, 10, NULL, NULL), 0);
	RECV(&t, "bell\x07 ok");
	SENT(&t, "h\ti");	/* the tab's mark (WIDTH_TAB) is dropped too */
	tr_walk_init(&w, &t, true, 0);
	l = tr_walk_prev(&w);
	s = transcript_plain(l, false, true);
	assert_string_equal(s, "> h       i");
	free(s);
	l = tr_walk_prev(&w);
	s = transcript_plain(l, false, true);
	assert_string_equal(s, "< bell^G ok " TR_MARK_NONL);
	free(s);
	s = transcript_plain(l, true, false);
	assert_int_equal(s[2], ':');
	assert_string_equal(s + 9, "bell^G ok " TR_MARK_NONL);
	free(s);
	assert_null(tr_walk_prev(&w));
	transcript_free(&t);
}


/* ---- out of memory: -1 or NULL, nothing half-made, nothing lost that
 * can be kept (the chat shows a notice for each -1) ---- */

static void
test_oom_recv(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 10, NULL, NULL), 0);
	failalloc(1, 1);
	assert_int_equal(transcript_recv(&t, "lost\n", 5, 100), -1);
	failalloc(0, 0);
	assert_string_equal(dump(&t, true, 0), "");
	assert_int_equal(t.seq, 0);
	RECV(&t, "next\n");
	assert_string_equal(dump(&t, true, 0), "<next\n");
	/* an open line that could not be shown comes with the rest */
	failalloc(1, 1);
	assert_int_equal(transcript_recv(&t, "login: ", 7, 100), -1);
	failalloc(0, 0);
	assert_null(transcript_open(&t));
	RECV(&t, "alice\n");
	assert_string_equal(dump(&t, true, 0), "<next\n<login: alice\n");
	/* an open line keeps its old text when growing it fails */
	RECV(&t, "abc");
	failalloc(1, 1);
	assert_int_equal(transcript_recv(&t, "def", 3, 100), -1);
	failalloc(0, 0);
	assert_string_equal(dump(&t, true, 0), "<next\n<login: alice\n<abc|open\n");
	RECV(&t, "\n");
	assert_string_equal(dump(&t, true, 0), "<next\n<login: alice\n<abcdef\n");
	transcript_free(&t);
}

static void
test_oom_sent_and_notice(void **state)
{
	struct transcript t;
	uint64_t seq;

	(void)state;
	assert_int_equal(transcript_init(&t, 10, NULL, NULL), 0);
	RECV(&t, "open");
	seq = t.seq;
	failalloc(1, 1);
	assert_int_equal(transcript_sent(&t, "typed", 5, 100, false), -1);
	assert_int_equal(failalloc_failed, 1);
	failalloc(0, 0);
	/* not shown, but the open line was answered all the same */
	assert_string_equal(dump(&t, true, 0), "<open|nonl\n");
	failalloc(1, 1);
	assert_int_equal(transcript_notice(&t, "note", 100), -1);
	failalloc(0, 0);
	assert_string_equal(dump(&t, true, 0), "<open|nonl\n");
	assert_int_equal(t.seq, seq);
	RECV(&t, "more\n");
	assert_string_equal(dump(&t, true, 0), "<open|nonl\n<more\n");
	transcript_free(&t);
}

static void
test_oom_sanitize_init_plain(void **state)
{
	struct transcript t;
	const struct sb_line *l;
	char esc[200];
	size_t len;
	unsigned long k;
	char *s;

	(void)state;
	failalloc(1, 1);
	assert_null(sanitize_line("x", 1, 0, &len));
	/* 200 ESC grow to "^[" each: the buffer's realloc fails, freed */
	memset(esc, 0x1b, sizeof esc);
	failalloc(2, 1);
	assert_null(sanitize_line(esc, sizeof esc, 0, &len));
	assert_int_equal(failalloc_failed, 1);
	failalloc(0, 0);
	s = sanitize_line(esc, sizeof esc, 0, &len);
	assert_non_null(s);
	free(s);
	/* each allocation of transcript_init, nothing left behind (ASan) */
	for (k = 1; k <= 3; k++) {
		failalloc(k, 1);
		assert_int_equal(transcript_init(&t, 10, NULL, NULL), -1);
		assert_int_equal(failalloc_failed, 1);
	}
	failalloc(0, 0);
	assert_int_equal(transcript_init(&t, 10, NULL, NULL), 0);
	RECV(&t, "line\n");
	l = sb_last(&t.side[TR_SIDE_RECV]);
	assert_non_null(l);
	failalloc(1, 1);
	assert_null(transcript_plain(l, true, true));
	failalloc(0, 0);
	transcript_free(&t);
}

/* The received entries' room facts, oldest first: "name" a member's
 * line (or a notice with a name), "N" a notice of the room, "-" neither. */
static char *
room_facts(const struct transcript *t)
{
	static char out[512];
	const struct scrollback *sb = &t->side[TR_SIDE_RECV];
	const struct sb_line *l;
	size_t i, j = 0;

	out[0] = '\0';
	for (i = 0; i < sb->count; i++) {
		l = sb_get(sb, i);
		if (l->flags & TR_F_ROOM_SAY)
			j += (size_t)snprintf(out + j, sizeof out - j, "%.*s ",
			    (int)TR_NAME_LEN(l->flags), l->text +
			    TR_NAME_AT(l->flags));
		else if (l->flags & TR_F_ROOM_NOTE)
			j += (size_t)snprintf(out + j, sizeof out - j, "N ");
		else
			j += (size_t)snprintf(out + j, sizeof out - j, "- ");
	}
	return out;
}

/* A room's greeting as the peer's first line makes its lines named; the
 * text stays as it came (sanitized), the name in the same colour each time. */
static void
test_room_after_greeting(void **state)
{
	struct transcript t;
	const struct sb_line *a, *b;

	(void)state;
	assert_int_equal(transcript_init(&t, 64, NULL, NULL), 0);
	t.room_detect = true;
	RECV(&t, "* tcptalk room: 2 peers here\n<alice> hi\n<bob> \xe4\xbd\xa0\xe5\xa5\xbd\n");
	RECV(&t, "* carol joined\n<alice> again\nplain\n<x y> no\n");
	assert_string_equal(room_facts(&t), "N alice bob N alice - - ");
	assert_string_equal(dump(&t, false, TR_SIDE_RECV),
	    "<* tcptalk room: 2 peers here\n<<alice> hi\n<<bob> 你好\n"
	    "<* carol joined\n<<alice> again\n<plain\n<<x y> no\n");
	a = sb_get(&t.side[TR_SIDE_RECV], 1);
	b = sb_get(&t.side[TR_SIDE_RECV], 4);
	assert_int_equal(TR_HUE(a->flags), TR_HUE(b->flags));
	/* a line arriving in parts is named once it is whole, in place */
	RECV(&t, "<dave> par");
	RECV(&t, "t\n");
	assert_string_equal(room_facts(&t), "N alice bob N alice - - dave ");
	/* the next peer must greet again */
	transcript_peer_end(&t);
	assert_false(t.room);
	RECV(&t, "<alice> not a room now\n");
	assert_string_equal(room_facts(&t), "N alice bob N alice - - dave - ");
	transcript_free(&t);
}

/* Without the greeting as the very first line nothing changes: an IMAP
 * server's "* OK" is a plain line, and so is a greeting that comes late. */
static void
test_room_needs_greeting_first(void **state)
{
	struct transcript t;

	(void)state;
	assert_int_equal(transcript_init(&t, 64, NULL, NULL), 0);
	t.room_detect = true;
	RECV(&t, "* OK [CAPABILITY IMAP4rev1] ready\n* tcptalk room: 1 peer here\n<alice> hi\n");
	assert_false(t.room);
	assert_string_equal(room_facts(&t), "- - - ");
	transcript_free(&t);
	/* the chat turns detection off (-u): the greeting is a line then */
	assert_int_equal(transcript_init(&t, 64, NULL, NULL), 0);
	RECV(&t, "* tcptalk room: 1 peer here\n<alice> hi\n");
	assert_string_equal(room_facts(&t), "- - ");
	transcript_free(&t);
}

/* A listener's room: a member's line as "<name> text", its escapes shown
 * (as received text's are), the name in its colour; a name the rules do
 * not take is shown, uncoloured. */
static void
test_said(void **state)
{
	struct transcript t;
	const struct sb_line *l;

	(void)state;
	assert_int_equal(transcript_init(&t, 64, NULL, NULL), 0);
	assert_int_equal(transcript_said(&t, TR_SAID, "bob", 3, "x\033[2Jy", 6,
	    0, 100), 0);
	assert_int_equal(transcript_said(&t, TR_SAID, "a b", 3, "hi", 2, 0, 100), 0);
	assert_int_equal(transcript_said(&t, TR_SAID, "eve", 3, "long", 4, 10,
	    100), 0);
	assert_int_equal(transcript_said(&t, TR_SAID_ME, "bob", 3, "waves", 5, 0,
	    100), 0);
	assert_int_equal(transcript_said(&t, TR_SAID_PRIVATE, "eve", 3, "psst", 4,
	    0, 100), 0);
	assert_string_equal(room_facts(&t), "bob - eve bob eve ");
	assert_non_null(strstr(dump(&t, false, TR_SIDE_RECV),
	    "\n<* bob waves\n<* (private) <eve> psst\n"));
	assert_true(sb_get(&t.side[TR_SIDE_RECV], 3)->flags & TR_F_ROOM_NOTE);
	l = sb_get(&t.side[TR_SIDE_RECV], 0);
	assert_int_equal(l->kind, TR_RECV);
	assert_int_equal(l->state, TR_DONE);
	assert_non_null(strstr(l->text, "^["));
	assert_null(memchr(l->text, '\033', l->len));
	assert_memory_equal(l->text, "<bob> x", 7);
	assert_non_null(strstr(sb_get(&t.side[TR_SIDE_RECV], 2)->text, "10 bytes"));
	transcript_free(&t);
}

#ifndef NO_NLS
#include "fakecat.h"

/* Translated, a private line keeps its name at the right offset (past the
 * 15 bytes the offset had room for before): the name's colour lands on
 * the name, not on the translated words. */
static void
test_said_private_translated(void **state)
{
	static const char *const zh[] = {
		"(private)", "\xef\xbc\x88\xe7\xa7\x81\xe8\x81\x8a\xef\xbc\x89",
		NULL					/* （私聊） */
	};
	const char *want = "* \xef\xbc\x88\xe7\xa7\x81\xe8\x81\x8a\xef\xbc\x89 <eve> psst";
	struct transcript t;
	const struct sb_line *l;

	(void)state;
	fakecat = zh;
	assert_int_equal(transcript_init(&t, 64, NULL, NULL), 0);
	assert_int_equal(transcript_said(&t, TR_SAID_PRIVATE, "eve", 3, "psst", 4,
	    0, 100), 0);
	l = sb_get(&t.side[TR_SIDE_RECV], 0);
	assert_int_equal(l->len, strlen(want));
	assert_memory_equal(l->text, want, l->len);
	assert_true(l->flags & TR_F_ROOM_SAY);
	assert_int_equal(TR_NAME_AT(l->flags), 16);
	assert_int_equal(TR_NAME_LEN(l->flags), 3);
	assert_memory_equal(l->text + TR_NAME_AT(l->flags), "eve", 3);
	fakecat = NULL;
	transcript_free(&t);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_lines),
		cmocka_unit_test(test_recv_end_datagrams),
		cmocka_unit_test(test_open_line_grows_in_place),
		cmocka_unit_test(test_we_send_closes_open_line),
		cmocka_unit_test(test_notice_never_duplicates_open_line),
		cmocka_unit_test(test_sent_mark),
		cmocka_unit_test(test_alert_flag),
		cmocka_unit_test(test_clear_keeps_open_line_once),
		cmocka_unit_test(test_peer_end_carries_nothing_over),
		cmocka_unit_test(test_final_hook_once_per_entry),
		cmocka_unit_test(test_sanitized_and_bounded),
		cmocka_unit_test(test_plain_rendering),
		cmocka_unit_test(test_sent_bytes),
		cmocka_unit_test(test_oom_recv),
		cmocka_unit_test(test_oom_sent_and_notice),
		cmocka_unit_test(test_oom_sanitize_init_plain),
		cmocka_unit_test(test_room_after_greeting),
		cmocka_unit_test(test_room_needs_greeting_first),
		cmocka_unit_test(test_said),
#ifndef NO_NLS
		cmocka_unit_test(test_said_private_translated),
#endif
	};

	return cmocka_run_group_tests_name("transcript", tests, NULL, NULL);
}
