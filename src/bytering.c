/*
 * bytering.c - the raw bytes behind the hex view, per side, in fixed
 * memory: a byte ring and a ring of chunk records.  Bytes drop out from
 * the oldest chunk a hex row at a time, so what stays of a chunk still
 * starts on one of its row boundaries.
 */
#include <stdlib.h>
#include <string.h>

#include "bytering.h"

size_t
bytering_cap_for(long lines)
{
	if (lines < 1)
		lines = 1;
	return (size_t)lines * BYTERING_PER_LINE;
}

int
bytering_init(struct bytering *r, size_t cap, size_t chcap)
{
	int i;

	memset(r, 0, sizeof *r);
	cap = (cap + BYTERING_ROW - 1) / BYTERING_ROW * BYTERING_ROW;
	if (cap < BYTERING_ROW)
		cap = BYTERING_ROW;
	if (chcap < 1)
		chcap = 1;
	for (i = 0; i < 2; i++) {
		r->side[i].cap = cap;
		r->side[i].chcap = chcap;
		/* untouched pages cost nothing until bytes come */
		r->side[i].bytes = malloc(cap);
		r->side[i].ch = calloc(chcap, sizeof *r->side[i].ch);
		if (r->side[i].bytes == NULL || r->side[i].ch == NULL) {
			bytering_free(r);
			return -1;
		}
	}
	return 0;
}

void
bytering_free(struct bytering *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(r->side[i].bytes);
		free(r->side[i].ch);
	}
	memset(r, 0, sizeof *r);
}

static struct bytering_chunk *
chunk_of(const struct bytering_side *s, uint64_t k)
{
	return &s->ch[k % s->chcap];
}

const struct bytering_chunk *
bytering_chunk(const struct bytering_side *s, uint64_t k)
{
	return chunk_of(s, k);
}

uint64_t
bytering_chunk_start(const struct bytering_side *s, uint64_t k)
{
	const struct bytering_chunk *c = chunk_of(s, k);

	return c->pos > s->start ? c->pos : s->start;
}

/* Let start be at least want, then move it on to the next row boundary of
 * the chunk it falls in; chunks left with nothing are dropped. */
static void
drop_to(struct bytering_side *s, uint64_t want)
{
	const struct bytering_chunk *c;
	uint64_t rel;

	if (want > s->start)
		s->start = want;
	while (s->chfirst < s->chend) {
		c = chunk_of(s, s->chfirst);
		if (s->start > c->pos && s->start < c->pos + c->len) {
			rel = (s->start - c->pos + BYTERING_ROW - 1) /
			    BYTERING_ROW * BYTERING_ROW;
			s->start = rel < c->len ? c->pos + rel : c->pos + c->len;
		}
		if (s->start < c->pos + c->len)
			break;
		s->chfirst++;
	}
}

void
bytering_add(struct bytering *r, int side, uint64_t offset, int64_t when_ms,
    const void *p, size_t n)
{
	struct bytering_side *s = &r->side[side ? 1 : 0];
	struct bytering_chunk *c;
	const unsigned char *b = p;
	uint64_t from, at;
	size_t i, k;

	if (n == 0)
		return;
	if (s->chend - s->chfirst == s->chcap)	/* no record left: the oldest goes */
		drop_to(s, chunk_of(s, s->chfirst)->pos + chunk_of(s, s->chfirst)->len);
	c = chunk_of(s, s->chend++);
	c->pos = s->end;
	c->offset = offset;
	c->seq = r->seq++;
	c->when_ms = when_ms;
	c->len = n;
	from = s->end;
	s->end += n;
	if (s->end - s->start > s->cap)
		drop_to(s, s->end - s->cap);
	/* only what stays is copied: a flood costs its kept tail */
	at = s->start > from ? s->start : from;
	for (i = (size_t)(at - from); i < n; i += k) {
		size_t off = (size_t)((from + i) % s->cap);

		k = s->cap - off < n - i ? s->cap - off : n - i;
		memcpy(s->bytes + off, b + i, k);
	}
}

uint64_t
bytering_kept(const struct bytering *r, int side)
{
	const struct bytering_side *s = &r->side[side ? 1 : 0];

	return s->end - s->start;
}

/* The last kept chunk whose field (seq or pos, both rising) is at most v. */
static uint64_t
last_at_most(const struct bytering_side *s, bool by_seq, uint64_t v)
{
	uint64_t lo = s->chfirst, hi = s->chend, mid, x;

	/* the first chunk past v is at lo when this ends */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		x = by_seq ? chunk_of(s, mid)->seq : chunk_of(s, mid)->pos;
		if (x <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

uint64_t
bytering_chunk_by_seq(const struct bytering_side *s, uint64_t seq)
{
	return last_at_most(s, true, seq);
}

uint64_t
bytering_chunk_by_pos(const struct bytering_side *s, uint64_t pos)
{
	return last_at_most(s, false, pos);
}

void
bytering_copy(const struct bytering_side *s, uint64_t pos, void *out, size_t n)
{
	unsigned char *o = out;
	size_t i, k, off;

	for (i = 0; i < n; i += k) {
		off = (size_t)((pos + i) % s->cap);
		k = s->cap - off < n - i ? s->cap - off : n - i;
		memcpy(o + i, s->bytes + off, k);
	}
}

static int
fold_byte(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
match_at(const struct bytering_side *s, uint64_t pos, const unsigned char *pat,
    size_t n, bool fold)
{
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		b = s->bytes[(pos + i) % s->cap];
		if (fold ? fold_byte(b) != fold_byte(pat[i]) : b != pat[i])
			return false;
	}
	return true;
}

bool
bytering_find(const struct bytering_side *s, const void *pat, size_t n,
    bool fold, uint64_t from, bool older, uint64_t *at)
{
	uint64_t p, last;

	if (n == 0 || s->end - s->start < n)
		return false;
	last = s->end - n;	/* the last position a match may start at */
	if (older) {
		if (from <= s->start || from == UINT64_MAX)
			return false;
		p = from - 1 < last ? from - 1 : last;
		for (;; p--) {
			if (match_at(s, p, pat, n, fold)) {
				*at = p;
				return true;
			}
			if (p == s->start)
				return false;
		}
	}
	p = from == UINT64_MAX || from < s->start ? s->start : from + 1;
	for (; p <= last; p++)
		if (match_at(s, p, pat, n, fold)) {
			*at = p;
			return true;
		}
	return false;
}
