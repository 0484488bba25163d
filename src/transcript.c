/*
 * transcript.c - the conversation's rules: one entry per line, the open
 * line updated in place, closed without newline when we answer it or the
 * peer leaves.  Pure: no curses, no sockets, the time comes from the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "transcript.h"
#include "width.h"

struct feed {
	struct transcript	*t;
	time_t			 now;
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
    enum tr_state state, time_t now, char *text, size_t len)
{
	struct sb_line l = { ++t->seq, now, kind, state, text, len };

	sb_push(&t->side[side], &l);
	t->gen++;
	if (state != TR_OPEN)
		finalized(t, sb_last(&t->side[side]));
	return 0;
}

/* The open line's text changed, or it ended: update it where it stands
 * (a notice pushed meanwhile stays after it), or start it. */
static int
set_open(struct transcript *t, const char *p, size_t n, uint64_t dropped,
    enum tr_state state, time_t now)
{
	struct sb_line *l = open_entry(t);
	char *text;
	size_t len;

	if ((text = sanitize_line(p, n, dropped, &len)) == NULL)
		return -1;
	if (l == NULL) {
		t->open_seq = state == TR_OPEN ? t->seq + 1 : 0;
		return push(t, TR_SIDE_RECV, TR_RECV, state, now, text, len);
	}
	sb_set_text(l, text, len);
	l->state = state;
	t->gen++;
	if (state != TR_OPEN) {
		t->open_seq = 0;
		finalized(t, l);
	}
	return 0;
}

static void
line_cb(void *arg, const char *p, size_t n, uint64_t dropped)
{
	struct feed *f = arg;

	if (set_open(f->t, p, n, dropped, TR_DONE, f->now) == -1)
		f->error = -1;
}

int
transcript_recv(struct transcript *t, const char *p, size_t n, time_t now)
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
	    set_open(t, part, len, dropped, TR_OPEN, now) == -1)
		f.error = -1;
	return f.error;
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
transcript_sent(struct transcript *t, const char *p, size_t n, time_t now)
{
	char *text;
	size_t len;

	close_open(t);
	if ((text = sanitize_line(p, n, 0, &len)) == NULL)
		return -1;
	return push(t, TR_SIDE_SENT, TR_SENT, TR_DONE, now, text, len);
}

int
transcript_notice(struct transcript *t, const char *msg, time_t now)
{
	char *text;
	size_t len;

	if ((text = sanitize_line(msg, strlen(msg), 0, &len)) == NULL)
		return -1;
	return push(t, TR_SIDE_RECV, TR_NOTICE, TR_DONE, now, text, len);
}

void
transcript_peer_end(struct transcript *t)
{
	close_open(t);
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
	struct tm tm;

	if ((out = malloc(n)) == NULL)
		return NULL;
	if (stamps && localtime_r(&l->when, &tm) != NULL)
		j += strftime(out, n, "%H:%M:%S ", &tm);
	if (marks) {
		out[j++] = l->kind == TR_RECV ? '<' : l->kind == TR_SENT ? '>' : '*';
		out[j++] = ' ';
	}
	for (i = 0; i < l->len; i++)
		if (l->text[i] != WIDTH_DIM_ON && l->text[i] != WIDTH_DIM_OFF)
			out[j++] = l->text[i];
	memcpy(out + j, mark, strlen(mark) + 1);
	return out;
}
