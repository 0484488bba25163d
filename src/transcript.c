/*
 * transcript.c - the conversation's rules: one entry per line, the open
 * line updated in place, closed without newline when we answer it or the
 * peer leaves.  Pure: no curses, no sockets, the time comes from the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "roomline.h"
#include "sanitize.h"
#include "transcript.h"
#include "width.h"

struct feed {
	struct transcript	*t;
	int64_t			 now;
	int			 error;
};

int
transcript_init(struct transcript *t, size_t keep, tr_final_cb final, void *arg)
{
	memset(t, 0, sizeof *t);
	t->final = final;
	t->arg = arg;
	if (lines_init(&t->lines, LINES_MAX) == -1)
		return -1;
	if (lines_init(&t->sent_lines, LINES_MAX) == -1) {
		lines_free(&t->lines);
		return -1;
	}
	if (sb_init(&t->side[TR_SIDE_RECV], keep) == -1 ||
	    sb_init(&t->side[TR_SIDE_SENT], keep) == -1) {
		transcript_free(t);
		return -1;
	}
	return 0;
}

void
transcript_free(struct transcript *t)
{
	lines_free(&t->lines);
	lines_free(&t->sent_lines);
	sb_free(&t->side[TR_SIDE_RECV]);
	sb_free(&t->side[TR_SIDE_SENT]);
}

static struct sb_line *
open_entry(struct transcript *t)
{
	if (t->open_seq == 0)
		return NULL;
	return sb_find(&t->side[TR_SIDE_RECV], t->open_seq);
}

const struct sb_line *
transcript_open(const struct transcript *t)
{
	return open_entry((struct transcript *)t);
}

static void
finalized(struct transcript *t, const struct sb_line *l)
{
	if (t->final != NULL)
		t->final(t->arg, l);
}

static int
push(struct transcript *t, enum tr_side side, enum tr_kind kind,
    enum tr_state state, int64_t now, char *text, size_t len, unsigned flags)
{
	struct sb_line l = { ++t->seq, now, kind, state, flags, text, len };

	sb_push(&t->side[side], &l);
	t->gen++;
	if (state != TR_OPEN)
		finalized(t, sb_last(&t->side[side]));
	return 0;
}

/* The flags of a member's line: its name (at text + 1) and colour; 0 when
 * the name is not one, or the sanitized text does not have it there. */
static unsigned
name_flags(const char *name, size_t nlen, size_t at, const char *text,
    size_t len)
{
	if (!roomline_name_ok(name, nlen) || at + nlen >= len ||
	    memcmp(text + at, name, nlen) != 0)
		return 0;
	return TR_F_ROOM_SAY | (unsigned)nlen << TR_F_NAME_SHIFT |
	    (unsigned)at << TR_F_AT_SHIFT |
	    roomline_colour(name, nlen) << TR_F_HUE_SHIFT;
}

/* A room's line (t->room): its name, or that it is a notice (flags). */
static unsigned
room_flags(const struct transcript *t, const char *p, size_t n,
    const char *text, size_t len)
{
	struct roomline r;

	if (!t->room)
		return 0;
	r = roomline_split(p, n);
	if (r.kind == ROOMLINE_NOTICE)
		return TR_F_ROOM_NOTE;
	if (r.kind == ROOMLINE_SAY)
		return name_flags(r.name, r.name_len, 1, text, len);
	return 0;
}

/* The open line's text changed, or it ended: update it where it stands
 * (a notice pushed meanwhile stays after it), or start it. */
static int
set_open(struct transcript *t, const char *p, size_t n, uint64_t dropped,
    enum tr_state state, int64_t now, unsigned flags)
{
	struct sb_line *l = open_entry(t);
	char *text;
	size_t len;

	if ((text = sanitize_line(p, n, dropped, &len)) == NULL)
		return -1;
	flags |= room_flags(t, p, n, text, len);
	if (l == NULL) {
		t->open_seq = state == TR_OPEN ? t->seq + 1 : 0;
		return push(t, TR_SIDE_RECV, TR_RECV, state, now, text, len,
		    flags);
	}
	sb_set_text(l, text, len);
	l->state = state;
	l->flags = flags;
	t->gen++;
	if (state != TR_OPEN) {
		t->open_seq = 0;
		finalized(t, l);
	}
	return 0;
}

static void
line_cb(void *arg, const char *p, size_t n, uint64_t dropped, bool crlf)
{
	struct feed *f = arg;

	if (crlf)
		f->t->recv_crlf++;
	else
		f->t->recv_lf++;
	/* only the peer's very first line can make this a room */
	if (f->t->room_detect && f->t->recv_lines++ == 0 &&
	    roomline_is_greeting(p, n))
		f->t->room = true;
	if (set_open(f->t, p, n, dropped, TR_DONE, f->now,
	    crlf ? TR_F_CRLF : 0) == -1)
		f->error = -1;
}

int
transcript_recv(struct transcript *t, const char *p, size_t n, int64_t now)
{
	struct feed f = { t, now, 0 };
	const char *part;
	uint64_t dropped;
	size_t len;

	lines_feed(&t->lines, p, n, line_cb, &f);
	part = lines_partial(&t->lines, &len, &dropped);
	/* A CR at the end is most likely half of a CRLF: not shown yet. */
	if (len > 0 && part[len - 1] == '\r')
		len--;
	if ((len > 0 || dropped > 0 || t->open_seq != 0) &&
	    set_open(t, part, len, dropped, TR_OPEN, now, 0) == -1)
		f.error = -1;
	return f.error;
}

int
transcript_recv_end(struct transcript *t, int64_t now)
{
	const char *part;
	uint64_t dropped;
	size_t len;
	int rc = 0;

	part = lines_partial(&t->lines, &len, &dropped);
	/* done, not TR_NONL: a datagram is whole as it came.  The no-newline
	 * mark says a line was cut short, which cannot be; and DNS, syslog
	 * or statsd datagrams seldom end in a newline, so the mark would sit
	 * on nearly every entry and mean nothing. */
	if ((len > 0 || dropped > 0 || t->open_seq != 0) &&
	    set_open(t, part, len, dropped, TR_DONE, now, 0) == -1)
		rc = -1;
	lines_reset(&t->lines);
	t->open_seq = 0;
	return rc;
}

/* Close the open line without its newline and forget its bytes. */
static void
close_open(struct transcript *t)
{
	struct sb_line *l = open_entry(t);

	lines_reset(&t->lines);
	t->open_seq = 0;
	if (l == NULL)
		return;
	l->state = TR_NONL;
	t->gen++;
	finalized(t, l);
}

int
transcript_sent(struct transcript *t, const char *p, size_t n, int64_t now,
    bool crlf)
{
	char *text;
	size_t len;

	close_open(t);
	if ((text = sanitize_line(p, n, 0, &len)) == NULL)
		return -1;
	return push(t, TR_SIDE_SENT, TR_SENT, TR_DONE, now, text, len,
	    crlf ? TR_F_CRLF : 0);
}

struct sent_feed {
	struct transcript	*t;
	int64_t			 now;
	int			 error;
};

static void
sent_line_cb(void *arg, const char *p, size_t n, uint64_t dropped, bool crlf)
{
	struct sent_feed *f = arg;
	char *text;
	size_t len;

	if ((text = sanitize_line(p, n, dropped, &len)) == NULL) {
		f->error = -1;
		return;
	}
	/* a line that was held is as old as its first bytes */
	if (push(f->t, TR_SIDE_SENT, TR_SENT, TR_DONE, f->t->sent_tail_ms != 0 ?
	    f->t->sent_tail_ms : f->now, text, len, crlf ? TR_F_CRLF : 0) == -1)
		f->error = -1;
	f->t->sent_tail_ms = 0;
}

/* The held sent tail becomes an entry without newline. */
static int
flush_sent_tail(struct transcript *t, int64_t now)
{
	const char *part;
	uint64_t dropped;
	size_t n, len;
	char *text;

	part = lines_partial(&t->sent_lines, &n, &dropped);
	if (n == 0 && dropped == 0)
		return 0;
	text = sanitize_line(part, n, dropped, &len);
	lines_reset(&t->sent_lines);
	if (text == NULL)
		return -1;
	if (t->sent_tail_ms != 0)
		now = t->sent_tail_ms;
	t->sent_tail_ms = 0;
	return push(t, TR_SIDE_SENT, TR_SENT, TR_NONL, now, text, len, 0);
}

int
transcript_sent_bytes(struct transcript *t, const char *p, size_t n,
    int64_t now, bool whole)
{
	struct sent_feed f = { t, now, 0 };
	size_t held;
	uint64_t dropped;

	if (!t->send_keeps_open)
		close_open(t);
	lines_feed(&t->sent_lines, p, n, sent_line_cb, &f);
	(void)lines_partial(&t->sent_lines, &held, &dropped);
	if ((held > 0 || dropped > 0) && t->sent_tail_ms == 0)
		t->sent_tail_ms = now;	/* a tail starts */
	if (whole && flush_sent_tail(t, now) == -1)
		f.error = -1;
	return f.error;
}

static int
notice(struct transcript *t, const char *msg, int64_t now, int flags)
{
	char *text;
	size_t len;

	if ((text = sanitize_line(msg, strlen(msg), 0, &len)) == NULL)
		return -1;
	return push(t, TR_SIDE_RECV, TR_NOTICE, TR_DONE, now, text, len, flags);
}

int
transcript_mark(struct transcript *t, uint64_t seq, int mark)
{
	struct sb_line *l = sb_find(&t->side[TR_SIDE_SENT], seq);

	if (l == NULL || l->kind != TR_SENT)
		return -1;
	l->flags = (l->flags & ~(unsigned)TR_F_MARK) |
	    ((unsigned)mark << TR_F_MARK_SHIFT & TR_F_MARK);
	t->gen++;
	return 0;
}

int
transcript_notice(struct transcript *t, const char *msg, int64_t now)
{
	return notice(t, msg, now, 0);
}

int
transcript_alert(struct transcript *t, const char *msg, int64_t now)
{
	return notice(t, msg, now, TR_F_ALERT);
}

int
transcript_said(struct transcript *t, enum tr_said how, const char *name,
    size_t nlen, const char *p, size_t n, uint64_t dropped, int64_t now)
{
	/* as the room relays it; the name stands after pre */
	static const struct {
		const char	*pre, *post;
		unsigned	 flags;
	} shape[] = {
		[TR_SAID] = { "<", "> ", 0 },
		[TR_SAID_ME] = { "* ", " ", TR_F_ROOM_NOTE },
		/* TRANSLATORS: a line to the listener alone, "* (private)
		 * <name> text": as the room says "(private) <%s> %.*s%s". */
		[TR_SAID_PRIVATE] = { N_("(private)"), "> ", TR_F_ROOM_NOTE },
	};
	char pre[128];
	size_t pl, ql = strlen(shape[how].post), len;
	char *line, *text;

	if (how == TR_SAID_PRIVATE)
		pl = width_snprintf_len(pre, snprintf(pre, sizeof pre,
		    "* %s <", _(shape[how].pre)), sizeof pre);
	else
		pl = width_snprintf_len(pre, snprintf(pre, sizeof pre, "%s",
		    shape[how].pre), sizeof pre);
	if ((line = malloc(pl + nlen + ql + n)) == NULL)
		return -1;
	memcpy(line, pre, pl);
	memcpy(line + pl, name, nlen);
	memcpy(line + pl + nlen, shape[how].post, ql);
	memcpy(line + pl + nlen + ql, p, n);
	text = sanitize_line(line, pl + nlen + ql + n, dropped, &len);
	free(line);
	if (text == NULL)
		return -1;
	return push(t, TR_SIDE_RECV, TR_RECV, TR_DONE, now, text, len,
	    shape[how].flags | name_flags(name, nlen, pl, text, len));
}

void
transcript_peer_end(struct transcript *t)
{
	/* the next peer must greet again to be a room */
	t->room = false;
	t->recv_lines = 0;
	close_open(t);
	/* out of memory here only loses the tail's entry */
	(void)flush_sent_tail(t, t->sent_tail_ms);
}

void
transcript_clear(struct transcript *t)
{
	struct sb_line *l = open_entry(t), keep;

	if (l != NULL) {
		keep = *l;
		l->text = NULL;		/* moved to keep, not freed */
	}
	sb_clear(&t->side[TR_SIDE_RECV]);
	sb_clear(&t->side[TR_SIDE_SENT]);
	if (l != NULL)
		sb_push(&t->side[TR_SIDE_RECV], &keep);
	t->gen++;
}

void
tr_walk_init(struct tr_walk *w, const struct transcript *t, bool merged,
    enum tr_side side)
{
	w->a = &t->side[merged ? TR_SIDE_RECV : side];
	w->b = merged ? &t->side[TR_SIDE_SENT] : NULL;
	w->ia = w->a->count;
	w->ib = w->b != NULL ? w->b->count : 0;
}

const struct sb_line *
tr_walk_prev(struct tr_walk *w)
{
	const struct sb_line *la, *lb;

	la = w->ia > 0 ? sb_get(w->a, w->ia - 1) : NULL;
	lb = w->ib > 0 ? sb_get(w->b, w->ib - 1) : NULL;
	if (la != NULL && (lb == NULL || la->seq > lb->seq)) {
		w->ia--;
		return la;
	}
	if (lb != NULL)
		w->ib--;
	return lb;
}

char *
transcript_plain(const struct sb_line *l, bool stamps, bool marks)
{
	const char *mark = l->state == TR_NONL ? " " TR_MARK_NONL :
	    l->state == TR_OPEN ? " " TR_MARK_OPEN : "";
	size_t n = l->len + strlen(mark) + 16, i, j = 0;
	char *out;

	if ((out = malloc(n)) == NULL)
		return NULL;
	if (stamps) {
		transcript_hms(l->when_ms, out);
		out[8] = ' ';
		j += 9;
	}
	if (marks) {
		out[j++] = l->kind == TR_RECV ? '<' : l->kind == TR_SENT ? '>' : '*';
		out[j++] = ' ';
	}
	for (i = 0; i < l->len; i++)
		if (!WIDTH_IS_MARKER(l->text[i]))
			out[j++] = l->text[i];
	memcpy(out + j, mark, strlen(mark) + 1);
	return out;
}

void
transcript_hms(int64_t when_ms, char *out)
{
	time_t secs = (time_t)(when_ms / 1000);
	struct tm tm;

	if (localtime_r(&secs, &tm) == NULL ||
	    strftime(out, 9, "%H:%M:%S", &tm) != 8)
		memcpy(out, "--:--:--", 9);
}
