/* Unit tests for room.c: names, relay, commands, line assembly, shared
 * chunks, bounded queues and drops, the broker; and sanitize_strip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "room.h"
#include "roomline.h"
#include "sanitize.h"

struct seen {
	char	 log[8192];	/* hook calls, a line each */
	int	 left_why;
	int	 privates;
	char	 raw[256];	/* the last line hook's raw text */
	uint64_t dropped;
};

static void
logf_(struct seen *s, const char *fmt, ...)
{
	size_t n = strlen(s->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->log + n, sizeof s->log - n, fmt, ap);
	va_end(ap);
}

static void
joined_cb(void *arg, const struct room_member *m, const char *text)
{
	(void)m;
	logf_(arg, "J %s\n", text);
}

static void
left_cb(void *arg, const struct room_member *m, enum room_end why,
    const char *text)
{
	struct seen *s = arg;

	(void)m;
	s->left_why = (int)why;
	logf_(arg, "L %s\n", text);
}

static void
line_cb(void *arg, const struct room_member *m, enum room_line kind,
    const char *raw, size_t rawlen, uint64_t dropped, const char *text)
{
	struct seen *s = arg;

	(void)m;
	if (kind == ROOM_LINE_PRIVATE)
		s->privates++;
	snprintf(s->raw, sizeof s->raw, "%.*s", (int)(rawlen < 200 ? rawlen :
	    200), raw);
	s->dropped = dropped;
	logf_(arg, "T%d %s\n", (int)kind, text);
}

static void
nick_cb(void *arg, const struct room_member *m, const char *old,
    const char *text)
{
	logf_(arg, "N %s %s %s\n", old, m->name, text);
}

static void
relayed_cb(void *arg, const struct room_member *m, const char *b, size_t n)
{
	(void)m;
	(void)b;
	logf_(arg, "R %zu\n", n);
}

static const struct room_hooks hooks = {
	.joined = joined_cb, .left = left_cb, .line = line_cb,
	.nick = nick_cb, .relayed = relayed_cb
};

/* What m's queue holds, as a string; the queue is then sent. */
static char *
drain(struct room_member *m)
{
	struct iovec iov[64];
	size_t len = 0, i;
	char *s;
	int n;

	s = malloc(m->queued + 1);
	assert_non_null(s);
	while (m->queued > 0) {
		n = room_pending(m, iov, 64);
		for (i = 0; i < (size_t)n; i++) {
			memcpy(s + len, iov[i].iov_base, iov[i].iov_len);
			len += iov[i].iov_len;
			room_sent(m, iov[i].iov_len);
		}
	}
	s[len] = '\0';
	return s;
}

static void
expect_queue(struct room_member *m, const char *want)
{
	char *got = drain(m);

	assert_string_equal(got, want);
	free(got);
}

static void
discard(struct room_member *m)
{
	free(drain(m));
}

static struct room_member *
add(struct room *r, const char *addr)
{
	bool full;
	struct room_member *m = room_add(r, 100, addr, 0, &full);

	assert_non_null(m);
	assert_false(full);
	return m;
}

static void
say(struct room *r, struct room_member *m, const char *s)
{
	room_input(r, m, s, strlen(s));
}

static void
test_greeting_and_join(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b;
	char *q;

	(void)state;
	h.arg = &s;
	room_init(&r, ROOM_CHAT, NULL, 0, 0, &h);
	assert_string_equal(r.nick, "host");
	a = add(&r, "127.0.0.1:1000");
	assert_string_equal(a->name, "127.0.0.1:1000");
	q = drain(a);
	/* the exact first line: clients know a room by it */
	assert_true(strncmp(q, "* tcptalk room: 2 peers here\n", 29) == 0);
	assert_true(strncmp(q, ROOM_GREETING, strlen(ROOM_GREETING)) == 0);
	free(q);
	b = add(&r, "127.0.0.1:2000");
	q = drain(b);
	assert_true(strncmp(q, "* tcptalk room: 3 peers here\n", 29) == 0);
	free(q);
	expect_queue(a, "* 127.0.0.1:2000 joined\n");
	assert_string_equal(s.log, "J * 127.0.0.1:1000 joined\n"
	    "J * 127.0.0.1:2000 joined\n");
	assert_int_equal(room_count(&r), 2);
	room_release(&r);
}

static void
test_relay_names_utf8_escapes(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b, *c;

	(void)state;
	h.arg = &s;
	room_init(&r, ROOM_CHAT, "me", 0, 0, &h);
	a = add(&r, "a");
	b = add(&r, "b");
	c = add(&r, "c");
	discard(a);
	discard(b);
	discard(c);
	say(&r, a, "你好\x1b[31m red\x1b[0m\x1b]0;title\x07 \xc2\x9b" "2J"
	    "\xe2\x80\xae" "x\tend\r\n");
	expect_queue(b, "<a> 你好 red x\tend\n");
	expect_queue(c, "<a> 你好 red x\tend\n");
	assert_int_equal(a->queued, 0);		/* not back to the sender */
	/* the hook gets the raw text for the listener's visible escapes */
	assert_true(strstr(s.raw, "\x1b[31m") != NULL);
	assert_true(strstr(s.log, "T0 <a> 你好 red x\tend\n") != NULL);
	/* an invalid byte is a '?', an empty line says nothing */
	say(&r, b, "\xff ok\n\n\r\n");
	expect_queue(a, "<b> ? ok\n");
	/* the listener */
	room_say(&r, "hi \x1b[2Jall", 10);
	expect_queue(a, "<me> hi all\n");
	expect_queue(b, "<me> hi all\n");
	room_me(&r, "nods", 4);
	expect_queue(c, "<b> ? ok\n<me> hi all\n* me nods\n");
	room_release(&r);
}

static void
test_partial_lines_per_member(void **state)
{
	struct room r;
	struct room_member *a, *b, *c;

	(void)state;
	room_init(&r, ROOM_CHAT, NULL, 0, 0, NULL);
	a = add(&r, "a");
	b = add(&r, "b");
	c = add(&r, "c");
	discard(a);
	discard(b);
	discard(c);
	say(&r, a, "hel");
	say(&r, b, "wor");
	assert_int_equal(c->queued, 0);
	say(&r, a, "lo\nsec");
	say(&r, b, "ld\n");
	say(&r, a, "ond\n");
	expect_queue(c, "<a> hello\n<b> world\n<a> second\n");
	/* a last line without a newline is said before its sender leaves;
	 * a dropped member's is not */
	say(&r, a, "last words");
	room_end(&r, a, ROOM_END_LEFT);
	expect_queue(c, "<a> last words\n* a left\n");
	room_sweep(&r);
	say(&r, b, "half");
	room_end(&r, b, ROOM_END_SLOW);
	expect_queue(c, "* b dropped: not reading\n");
	room_release(&r);
}

static void
test_long_line_cut(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b;
	size_t big = ROOM_LINE_MAX + 4464;
	char *line = malloc(big + 1), *q, tail[64];

	(void)state;
	assert_non_null(line);
	h.arg = &s;
	room_init(&r, ROOM_CHAT, NULL, 0, 4 * 1024 * 1024, &h);
	a = add(&r, "a");
	b = add(&r, "b");
	discard(a);
	discard(b);
	memset(line, 'x', big);
	line[big] = '\n';
	/* in two reads: the first fills the member's line, the rest is
	 * counted, not kept */
	room_input(&r, a, line, 40000);
	assert_true(a->pcap <= ROOM_LINE_MAX);
	room_input(&r, a, line + 40000, big + 1 - 40000);
	q = drain(b);
	assert_int_equal(strlen(q), 4 + ROOM_LINE_MAX + strlen(" [+4464 bytes]") + 1);
	snprintf(tail, sizeof tail, "x [+4464 bytes]\n");
	assert_string_equal(q + strlen(q) - strlen(tail), tail);
	assert_int_equal(s.dropped, 4464);
	free(q);
	/* and in one read */
	room_input(&r, a, line, big + 1);
	q = drain(b);
	assert_string_equal(q + strlen(q) - strlen(tail), tail);
	free(q);
	free(line);
	room_release(&r);
}

static void
test_commands(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b;
	char err[128];

	(void)state;
	h.arg = &s;
	room_init(&r, ROOM_CHAT, "host", 0, 0, &h);
	a = add(&r, "a");
	b = add(&r, "b");
	discard(a);
	discard(b);
	say(&r, a, "/nick alice\n");
	expect_queue(a, "* a is now known as alice\n");
	expect_queue(b, "* a is now known as alice\n");
	assert_true(strstr(s.log, "N a alice * a is now known as alice\n") != NULL);
	/* taken (case ignored), by the listener too; bad names */
	say(&r, b, "/NICK Alice\n/nick HOST\n/nick a\x01" "b\n/nick *x\n");
	expect_queue(b, "* the name Alice is in use.\n* the name HOST is in use.\n"
	    "* b is now known as ab\n"
	    "* cannot take that name: a name may not start with * or /.\n");
	/* a\x01b: the control is stripped before the command is read, so
	 * the name is "ab" */
	assert_string_equal(b->name, "ab");
	discard(a);
	say(&r, b, "/who\n");
	expect_queue(b, "* in the room: host, ab, alice\n");
	assert_int_equal(a->queued, 0);
	say(&r, b, "/me waves\n");
	expect_queue(a, "* ab waves\n");
	say(&r, b, "/to alice psst\n/to nobody x\n/to host for you\n");
	expect_queue(a, "* (private) <ab> psst\n");
	expect_queue(b, "* no one here is called nobody.\n");
	assert_int_equal(s.privates, 1);
	assert_string_equal(s.raw, "for you");
	say(&r, b, "//etc is a dir\n/frob\n");
	expect_queue(a, "<ab> /etc is a dir\n");
	expect_queue(b, "* unknown command /frob; commands: /nick NAME, /who, "
	    "/me TEXT, /to NAME TEXT.\n");
	/* a long unknown command is quoted cut, but not inside a character
	 * (the fuzzer's find) */
	say(&r, b, "/éééééééééééééééééééé\n");
	expect_queue(b, "* unknown command /ééééééééééééééé; commands: /nick "
	    "NAME, /who, /me TEXT, /to NAME TEXT.\n");
	/* the listener's calls */
	assert_int_equal(room_to(&r, "alice", "hi", 2, err, sizeof err), 0);
	expect_queue(a, "* (private) <host> hi\n");
	assert_int_equal(room_to(&r, "zed", "hi", 2, err, sizeof err), -1);
	assert_string_equal(err, "no one here is called zed.");
	assert_int_equal(room_nick(&r, "alice", err, sizeof err), -1);
	assert_int_equal(room_nick(&r, "boss", err, sizeof err), 0);
	expect_queue(b, "* host is now known as boss\n");
	discard(a);
	assert_int_equal(room_kick(&r, "ab", err, sizeof err), 0);
	assert_true(b->gone);
	assert_int_equal(s.left_why, ROOM_END_KICKED);
	expect_queue(a, "* ab was kicked\n");
	expect_queue(b, "* ab was kicked\n");	/* it learns why */
	assert_int_equal(room_kick(&r, "ab", err, sizeof err), -1);
	assert_int_equal(room_count(&r), 1);
	room_sweep(&r);
	assert_ptr_equal(room_first(&r), a);
	assert_null(room_next(&r, a));
	room_release(&r);
}

static void
test_names(void **state)
{
	struct room r;
	struct room_member *a, *b;
	char n65[66];

	(void)state;
	assert_null(room_bad_name("bob", 3));
	assert_null(room_bad_name("小明", strlen("小明")));
	assert_non_null(room_bad_name("", 0));
	assert_non_null(room_bad_name("a b", 3));
	assert_non_null(room_bad_name("a\x1b", 2));
	assert_non_null(room_bad_name("\xe2\x80\xae", 3));	/* RLO */
	assert_non_null(room_bad_name("<x>", 3));
	assert_non_null(room_bad_name("/x", 2));
	assert_non_null(room_bad_name("\xff", 1));
	/* invisible: look-alikes of "bob" and names of no width */
	assert_non_null(room_bad_name("bo\xe2\x80\x8b" "b", 6));	/* U+200B */
	assert_non_null(room_bad_name("b\xc2\xadob", 5));		/* U+00AD */
	assert_non_null(room_bad_name("bob\xef\xb8\x8f", 6));	/* U+FE0F */
	assert_non_null(room_bad_name("\xe3\x85\xa4", 3));	/* U+3164 */
	assert_non_null(room_bad_name("bob\xf3\xa0\x80\x81", 7)); /* U+E0001 */
	assert_non_null(room_bad_name("\xcc\x81", 2));		/* U+0301 alone */
	assert_null(room_bad_name("e\xcc\x81", 3));		/* e + U+0301 */
	memset(n65, 'n', 65);
	assert_null(room_bad_name(n65, 64));
	assert_non_null(room_bad_name(n65, 65));
	room_init(&r, ROOM_CHAT, NULL, 0, 0, NULL);
	a = add(&r, "unix:/tmp/s (pid 1 uid 2)");
	assert_string_equal(a->name, "unix:/tmp/s_(pid_1_uid_2)");
	b = add(&r, "unix:/tmp/s (pid 1 uid 2)");	/* the same: made unique */
	assert_string_equal(b->name, "unix:/tmp/s_(pid_1_uid_2)-2");
	room_release(&r);
}

static void
test_shared_chunks(void **state)
{
	struct room r;
	struct room_member *a, *b, *c;
	struct iovec ib[4], ic[4];

	(void)state;
	room_init(&r, ROOM_CHAT, NULL, 0, 0, NULL);
	a = add(&r, "a");
	b = add(&r, "b");
	c = add(&r, "c");
	discard(a);
	discard(b);
	discard(c);
	say(&r, a, "one\ntwo\n");
	/* one chunk for the lines of one read, the same bytes for both */
	assert_int_equal(room_pending(b, ib, 4), 1);
	assert_int_equal(room_pending(c, ic, 4), 1);
	assert_ptr_equal(ib[0].iov_base, ic[0].iov_base);
	assert_int_equal(ib[0].iov_len, strlen("<a> one\n<a> two\n"));
	/* partly written: the rest, from where it stopped */
	room_sent(b, 3);
	assert_int_equal(b->queued, strlen(" one\n<a> two\n"));
	assert_int_equal(b->bytes_out, 3 + b->bytes_out - 3);
	expect_queue(b, " one\n<a> two\n");
	expect_queue(c, "<a> one\n<a> two\n");
	room_release(&r);
}

static void
test_slow_member_dropped(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b, *c;
	char line[100];
	int i;

	(void)state;
	h.arg = &s;
	room_init(&r, ROOM_CHAT, NULL, 0, 8192, &h);
	a = add(&r, "a");
	b = add(&r, "b");
	c = add(&r, "c");
	discard(a);
	discard(b);
	discard(c);
	memset(line, 'z', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	/* c reads, b does not */
	for (i = 0; i < 200 && !b->gone; i++) {
		discard(c);
		room_input(&r, a, line, sizeof line);
	}
	assert_true(b->gone);
	assert_true(i < 100);
	assert_int_equal(s.left_why, ROOM_END_SLOW);
	assert_true(strstr(s.log, "L * b dropped: not reading\n") != NULL);
	/* its queue never went past the bound */
	assert_true(b->queued <= 8192);
	expect_queue(c, "<a> zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
	    "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n* b dropped: not reading\n");
	/* the others go on */
	say(&r, a, "still here\n");
	expect_queue(c, "<a> still here\n");
	assert_int_equal(room_count(&r), 2);
	room_release(&r);
}

/* One member sends "a\n" as fast as reads take it, another drains a
 * steady 4 KiB a step: the reader is never dropped and no queue passes
 * its bound (reads are sized by how lines grow: "<name> a\n"). */
static void
test_short_lines_reader_kept(void **state)
{
	struct room r;
	struct room_member *a, *b;
	char err[64], *buf;
	size_t qmax = 65536, n, i, peak = 0;
	int step;

	(void)state;
	room_init(&r, ROOM_CHAT, NULL, 0, qmax, NULL);
	a = add(&r, "a");
	b = add(&r, "b");
	discard(a);
	discard(b);
	assert_int_equal(room_nick(&r, "listener", err, sizeof err), 0);
	say(&r, a, "/nick a-rather-long-name-of-forty-bytes-xxxxxxxx\n");
	discard(a);
	discard(b);
	assert_non_null(buf = malloc(qmax));
	for (i = 0; i + 1 < qmax; i += 2)
		memcpy(buf + i, "a\n", 2);
	for (step = 0; step < 2000 && !b->gone; step++) {
		if (!room_held(&r)) {
			n = room_read_size(&r, strlen(a->name), qmax / 4);
			room_input(&r, a, buf, n & ~(size_t)1);
		}
		if (b->queued > peak)
			peak = b->queued;
		room_sent(b, b->queued < 4096 ? b->queued : 4096);
		discard(a);
	}
	assert_false(b->gone);
	assert_true(peak <= qmax);
	assert_true(step == 2000);
	/* the listener's stdin: one read's lines are one chunk */
	room_says_begin(&r);
	room_say(&r, "x", 1);
	room_say(&r, "y", 1);
	room_says_end(&r);
	discard(b);
	room_says_begin(&r);
	for (i = 0; i < 3; i++)
		room_say(&r, "z", 1);
	room_says_end(&r);
	assert_int_equal(b->qlen, 1);
	expect_queue(b, "<listener> z\n<listener> z\n<listener> z\n");
	free(buf);
	room_release(&r);
}

/* FIN: its last line is said; it stays until its queue is written. */
static void
test_half_close(void **state)
{
	struct room r;
	struct room_member *a, *b;

	(void)state;
	room_init(&r, ROOM_CHAT, NULL, 0, 0, NULL);
	a = add(&r, "a");
	b = add(&r, "b");
	discard(a);
	discard(b);
	say(&r, a, "/who\nbye");
	room_eof(&r, a);
	assert_false(a->gone);		/* its answer is still queued */
	assert_true(a->eof);
	expect_queue(b, "<a> bye\n");
	expect_queue(a, "* in the room: host, b, a\n");
	say(&r, a, "ignored\n");	/* nothing comes after a FIN */
	assert_int_equal(b->queued, 0);
	room_end(&r, a, ROOM_END_LEFT);	/* roomsrv: once written */
	expect_queue(b, "* a left\n");
	room_sweep(&r);
	room_eof(&r, b);		/* nothing queued: leaves at once */
	assert_true(b->gone);
	room_release(&r);
}

static void
test_full(void **state)
{
	struct room r;
	bool full;

	(void)state;
	room_init(&r, ROOM_CHAT, NULL, 2, 0, NULL);
	add(&r, "a");
	add(&r, "b");
	assert_null(room_add(&r, 5, "c", 0, &full));
	assert_true(full);
	room_release(&r);
}

static void
test_broker(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b, *c;
	const char bin[] = "\x00\xff\x1b[2J\r\nno newline";
	struct iovec iov[2];
	char line[32];

	(void)state;
	h.arg = &s;
	room_init(&r, ROOM_BROKER, NULL, 0, 0, &h);
	a = add(&r, "a");
	b = add(&r, "b");
	c = add(&r, "c");
	/* no greeting, no notices */
	assert_int_equal(a->queued + b->queued + c->queued, 0);
	room_input(&r, a, bin, sizeof bin);
	assert_int_equal(a->queued, 0);
	assert_int_equal(room_pending(b, iov, 2), 1);
	assert_int_equal(iov[0].iov_len, sizeof bin);
	assert_memory_equal(iov[0].iov_base, bin, sizeof bin);
	assert_int_equal(c->queued, sizeof bin);
	snprintf(line, sizeof line, "R %zu\n", sizeof bin);
	assert_true(strstr(s.log, line) != NULL);
	room_send(&r, "xy", 2);
	assert_int_equal(a->queued, 2);
	assert_int_equal(b->queued, sizeof bin + 2);
	room_end(&r, b, ROOM_END_LEFT);
	assert_int_equal(a->queued, 2);		/* nobody is told */
	room_release(&r);
}

static void
test_strip(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "\x1b[1;31mred\x1b[m", "red" },
		{ "\x1b]0;evil title\x07ok", "ok" },
		{ "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link" },
		{ "\x1bPq#0;2;0\x1b\\after", "after" },
		{ "a\x1b" "7b\x1b(Bc", "abc" },
		{ "\xc2\x9b" "31mx", "x" },
		{ "\xe2\x80\xae" "abc", "abc" },
		{ "tab\there", "tab\there" },
		{ "bell\x07\x08\x7f", "bell" },
		{ "日本語 ok", "日本語 ok" },
		{ "bad\xc3(", "bad?(" },
		{ "\x1b[", "" },
	};
	char out[128];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = sanitize_strip(cases[i].in, strlen(cases[i].in), out);
		out[n] = '\0';
		assert_string_equal(out, cases[i].out);
	}
}

#ifndef NO_NLS
#include "fakecat.h"

static const char *const zh[] = {
	"%s joined", "%s \xe5\x8a\xa0\xe5\x85\xa5\xe4\xba\x86",	/* 加入了 */
	"in the room: %s", "\xe8\x81\x8a\xe5\xa4\xa9\xe5\xae\xa4"
	    "\xe9\x87\x8c\xe6\x9c\x89\xef\xbc\x9a%s",		/* 聊天室里有： */
	"%d peer here", "\xe8\xbf\x99\xe9\x87\x8c\xe6\x9c\x89 %d "
	    "\xe4\xb8\xaa\xe6\x88\x90\xe5\x91\x98",		/* 这里有 %d 个成员 */
	NULL
};

/* In another language the greeting keeps its English prefix, which a
 * dialling tcptalk looks for, and the room's lines keep their "* ". */
static void
test_translated_lines(void **state)
{
	struct seen s = { 0 };
	struct room_hooks h = hooks;
	struct room r;
	struct room_member *a, *b;
	char *q;

	(void)state;
	fakecat = zh;
	h.arg = &s;
	room_init(&r, ROOM_CHAT, NULL, 0, 0, &h);
	a = add(&r, "a");
	q = drain(a);
	assert_true(strncmp(q, ROOMLINE_GREETING "\xe8\xbf\x99\xe9\x87\x8c"
	    "\xe6\x9c\x89 2 \xe4\xb8\xaa\xe6\x88\x90\xe5\x91\x98\n", 33) == 0);
	free(q);
	b = add(&r, "b");
	discard(b);
	expect_queue(a, "* b \xe5\x8a\xa0\xe5\x85\xa5\xe4\xba\x86\n");
	say(&r, a, "/who\n");
	expect_queue(a, "* \xe8\x81\x8a\xe5\xa4\xa9\xe5\xae\xa4\xe9\x87\x8c\xe6\x9c\x89"
	    "\xef\xbc\x9ahost, b, a\n");
	assert_true(strstr(s.log, "J * b \xe5\x8a\xa0\xe5\x85\xa5\xe4\xba\x86\n") != NULL);
	fakecat = NULL;
	room_release(&r);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
#ifndef NO_NLS
		cmocka_unit_test(test_translated_lines),
#endif
		cmocka_unit_test(test_greeting_and_join),
		cmocka_unit_test(test_relay_names_utf8_escapes),
		cmocka_unit_test(test_partial_lines_per_member),
		cmocka_unit_test(test_long_line_cut),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_shared_chunks),
		cmocka_unit_test(test_slow_member_dropped),
		cmocka_unit_test(test_short_lines_reader_kept),
		cmocka_unit_test(test_half_close),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_broker),
		cmocka_unit_test(test_strip),
	};

	/* names are judged by their width, as main sets the locale */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		(void)setlocale(LC_CTYPE, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
