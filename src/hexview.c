/*
 * hexview.c - the rows of a hex pane, walked one at a time from a place in
 * the bytering: up and down within a chunk, then to the chunk before or
 * after it (in the merged view the other side's too, by sequence).  A
 * draw walks the rows it shows and no more.
 */
#include <string.h>
#include <time.h>

#include "bytering.h"
#include "hexfmt.h"
#include "hexview.h"

#define DAY_MS	86400000

static const struct bytering_side *
side_of(const struct bytering *r, int side)
{
	return &r->side[side ? 1 : 0];
}

/* The chunk's last row: one per 16 bytes, after its header (row 0). */
static uint64_t
last_row(const struct bytering_side *s, uint64_t k)
{
	return (bytering_chunk(s, k)->len + BYTERING_ROW - 1) / BYTERING_ROW;
}

/* Its first row of bytes still kept (its head may have dropped out). */
static uint64_t
first_row(const struct bytering_side *s, uint64_t k)
{
	return (bytering_chunk_start(s, k) - bytering_chunk(s, k)->pos) /
	    BYTERING_ROW + 1;
}

static bool
have(const struct bytering_side *s, uint64_t k)
{
	return k >= s->chfirst && k < s->chend;
}

static uint64_t
seq_of(const struct bytering *r, int side, uint64_t k)
{
	return bytering_chunk(side_of(r, side), k)->seq;
}

bool
hexview_kept(const struct bytering *r, const struct hexview_at *at)
{
	const struct bytering_side *s = side_of(r, at->side);

	if (!have(s, at->k))
		return false;
	return at->row == 0 || (at->row >= first_row(s, at->k) &&
	    at->row <= last_row(s, at->k));
}

/* Of side a's chunk ka and side b's chunk kb (each may be missing), the
 * newer (newest true) or the older. */
static bool
pick(const struct bytering *r, bool ha, int a, uint64_t ka, bool hb, int b,
    uint64_t kb, bool newest, struct hexview_at *at)
{
	if (!ha && !hb)
		return false;
	if (ha && (!hb || (seq_of(r, a, ka) > seq_of(r, b, kb)) == newest)) {
		at->side = a;
		at->k = ka;
	} else {
		at->side = b;
		at->k = kb;
	}
	return true;
}

bool
hexview_last(const struct bytering *r, bool merged, struct hexview_at *at)
{
	const struct bytering_side *in = side_of(r, BYTERING_IN);
	const struct bytering_side *out = side_of(r, BYTERING_OUT);

	if (!pick(r, in->chend > in->chfirst, BYTERING_IN, in->chend - 1,
	    merged && out->chend > out->chfirst, BYTERING_OUT, out->chend - 1,
	    true, at))
		return false;
	at->row = last_row(side_of(r, at->side), at->k);
	return true;
}

bool
hexview_first(const struct bytering *r, bool merged, struct hexview_at *at)
{
	const struct bytering_side *in = side_of(r, BYTERING_IN);
	const struct bytering_side *out = side_of(r, BYTERING_OUT);

	if (!pick(r, in->chend > in->chfirst, BYTERING_IN, in->chfirst,
	    merged && out->chend > out->chfirst, BYTERING_OUT, out->chfirst,
	    false, at))
		return false;
	at->row = 0;
	return true;
}

bool
hexview_prev(const struct bytering *r, bool merged, struct hexview_at *at)
{
	const struct bytering_side *s = side_of(r, at->side), *o;
	struct hexview_at to;
	uint64_t seq, ko;
	int other = !at->side;

	if (at->row > first_row(s, at->k)) {
		at->row--;
		return true;
	}
	if (at->row > 0) {
		at->row = 0;
		return true;
	}
	/* the chunk before: this side's, or the other's just older */
	seq = seq_of(r, at->side, at->k);
	o = side_of(r, other);
	ko = seq > 0 ? bytering_chunk_by_seq(o, seq - 1) : o->chfirst - 1;
	if (!pick(r, at->k > s->chfirst, at->side, at->k - 1,
	    merged && have(o, ko), other, ko, true, &to))
		return false;
	to.row = last_row(side_of(r, to.side), to.k);
	*at = to;
	return true;
}

bool
hexview_next(const struct bytering *r, bool merged, struct hexview_at *at)
{
	const struct bytering_side *s = side_of(r, at->side), *o;
	struct hexview_at to;
	uint64_t ko;
	int other = !at->side;

	if (at->row < last_row(s, at->k)) {
		at->row = at->row == 0 ? first_row(s, at->k) : at->row + 1;
		return true;
	}
	o = side_of(r, other);
	ko = bytering_chunk_by_seq(o, seq_of(r, at->side, at->k)) + 1;
	if (!pick(r, at->k + 1 < s->chend, at->side, at->k + 1,
	    merged && have(o, ko), other, ko, false, &to))
		return false;
	to.row = 0;
	*at = to;
	return true;
}

struct hexview_at
hexview_row_of(const struct bytering *r, int side, uint64_t pos)
{
	const struct bytering_side *s = side_of(r, side);
	struct hexview_at at;

	at.side = side ? BYTERING_OUT : BYTERING_IN;
	at.k = bytering_chunk_by_pos(s, pos);
	at.row = (pos - bytering_chunk(s, at.k)->pos) / BYTERING_ROW + 1;
	return at;
}

/* A place this view can show: kept, and on the received side unless
 * merged (the view may have been switched since). */
static bool
usable(const struct bytering *r, bool merged, const struct hexview_at *at)
{
	return hexview_kept(r, at) && (merged || at->side == BYTERING_IN);
}

size_t
hexview_rows(const struct bytering *r, bool merged, struct hexview_pos *v,
    struct hexview_at *out, size_t h)
{
	struct hexview_at cur, below;
	size_t n = 0;

	if (h == 0)
		return 0;
	if (!v->live && !usable(r, merged, &v->bottom) &&
	    !hexview_first(r, merged, &v->bottom))
		v->live = true;
	if (v->live ? !hexview_last(r, merged, &cur) : (cur = v->bottom, false))
		return 0;
	out[n++] = cur;
	while (n < h && hexview_prev(r, merged, &cur))
		out[n++] = cur;
	if (v->live)
		return n;
	/* the oldest row reached with room left: rows from below instead */
	below = v->bottom;
	while (n < h && hexview_next(r, merged, &below)) {
		memmove(out + 1, out, n * sizeof *out);
		out[0] = below;
		n++;
	}
	v->bottom = below;
	if (!hexview_next(r, merged, &below))
		v->live = true;		/* at the newest row: follow it */
	return n;
}

void
hexview_scroll(const struct bytering *r, bool merged, struct hexview_pos *v,
    long rows)
{
	if (rows > 0) {
		if (v->live) {
			if (!hexview_last(r, merged, &v->bottom))
				return;
			v->live = false;
		} else if (!usable(r, merged, &v->bottom) &&
		    !hexview_first(r, merged, &v->bottom)) {
			return;
		}
		while (rows-- > 0 && hexview_prev(r, merged, &v->bottom))
			;
		return;
	}
	if (v->live)
		return;
	if (!usable(r, merged, &v->bottom) && !hexview_first(r, merged, &v->bottom)) {
		v->live = true;
		return;
	}
	while (rows++ < 0)
		if (!hexview_next(r, merged, &v->bottom)) {
			v->live = true;
			return;
		}
}

void
hexview_reveal(const struct bytering *r, bool merged, struct hexview_pos *v,
    int side, uint64_t pos, size_t h)
{
	struct hexview_at at = hexview_row_of(r, side, pos);
	size_t i;

	for (i = 0; i < h / 2; i++)
		if (!hexview_next(r, merged, &at)) {
			v->live = true;
			return;
		}
	v->live = false;
	v->bottom = at;
}

void
hexview_format(const struct bytering *r, const struct hexview_at *at,
    const struct hexview_mark *m, uint32_t (*tod)(int64_t),
    struct hexview_row *row)
{
	const struct bytering_side *s = side_of(r, at->side);
	const struct bytering_chunk *c = bytering_chunk(s, at->k);
	unsigned char b[BYTERING_ROW];
	uint64_t pos, lo, hi;
	size_t n;

	memset(row, 0, sizeof *row);
	row->dir = at->side == BYTERING_IN ? '<' : '>';
	row->header = at->row == 0;
	if (row->header) {
		row->len = hexfmt_header(row->text, row->dir, tod != NULL ?
		    tod(c->when_ms) : (uint32_t)(((c->when_ms % DAY_MS) + DAY_MS) %
		    DAY_MS), c->len);
	} else {
		pos = c->pos + (at->row - 1) * BYTERING_ROW;
		n = c->pos + c->len - pos < BYTERING_ROW ?
		    (size_t)(c->pos + c->len - pos) : BYTERING_ROW;
		bytering_copy(s, pos, b, n);
		row->len = hexfmt_line(row->text, c->offset + (pos - c->pos), b,
		    n);
		row->offw = strcspn(row->text, " ");
		if (m != NULL && m->on && (m->side ? 1 : 0) == at->side) {
			lo = m->pos > pos ? m->pos : pos;
			hi = m->pos + m->len < pos + n ? m->pos + m->len : pos + n;
			if (lo < hi) {
				row->hl_from = (int)(lo - pos);
				row->hl_to = (int)(hi - pos);
			}
		}
	}
	if (row->len > 0 && row->text[row->len - 1] == '\n')
		row->len--;
	row->text[row->len] = '\0';
}

size_t
hexview_hex_col(const struct hexview_row *row, size_t i)
{
	return row->offw + 2 + 3 * i + (i >= 8);
}

size_t
hexview_ascii_col(const struct hexview_row *row, size_t i)
{
	return row->offw + 2 + 3 * BYTERING_ROW + 1 + 2 + i;
}

uint32_t
hexview_local_tod(int64_t when_ms)
{
	time_t secs = (time_t)(when_ms / 1000);
	struct tm tm;

	if (when_ms < 0 || localtime_r(&secs, &tm) == NULL)
		return (uint32_t)(((when_ms % DAY_MS) + DAY_MS) % DAY_MS);
	return (uint32_t)((tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) *
	    1000 + when_ms % 1000);
}
