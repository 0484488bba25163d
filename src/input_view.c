/*
 * input_view.c - the visible window of the input line, in O(columns).
 *
 * A pasted line can be megabytes long, and the input row is drawn on every
 * key press, so nothing here walks the whole line: we step back from the
 * cursor only as far as fits and forward only as far as fits.  Characters
 * are decoded the way ui.c draws them: control characters as ^X (2 columns),
 * each invalid byte as one column, wide characters never split.
 */
#include <stdint.h>

#include "input_view.h"
#include "width.h"

/* A run of zero-width characters (combining marks) must not make a walk
 * unbounded: look at most this many characters per column. */
#define CHARS_PER_COL	8

struct fit {
	struct input_view	*v;
	const char		*s;
	size_t			 len;
	size_t			 point;
	int			 area;		/* columns after the prompt, less the last */
	int			 need;		/* columns of the cursor's character */
	size_t			 budget;	/* characters one walk may decode */
};

int
input_view_char(const char *s, size_t n, size_t *len)
{
	uint32_t cp;
	int l;

	l = width_utf8(s, n, &cp);
	if (l < 0) {
		*len = 1;
		return 1;
	}
	*len = (size_t)l;
	if (cp < 0x20 || cp == 0x7f)
		return 2;
	return width_cp(cp);
}

static int
next_char(struct fit *f, size_t i, size_t *clen)
{
	f->v->steps++;
	return input_view_char(f->s + i, f->len - i, clen);
}

/* The character ending at p (> 0): its start and width.  UTF-8 resyncs, so
 * this agrees with decoding forward: an invalid byte is one character. */
static size_t
prev_char(struct fit *f, size_t p, int *w)
{
	size_t k, clen;
	int cw;

	for (k = 1; k <= 4 && k <= p; k++) {
		if (((unsigned char)f->s[p - k] & 0xc0) == 0x80)
			continue;
		f->v->steps++;
		cw = input_view_char(f->s + p - k, k, &clen);
		if (clen == k) {
			*w = cw;
			return p - k;
		}
		break;
	}
	f->v->steps++;
	*w = 1;
	return p - 1;
}

/* Columns for text when the view starts at start: '<' takes one. */
static int
limit(const struct fit *f, size_t start)
{
	return f->area - (start > 0 ? 1 : 0);
}

/* Does [start, point) plus the cursor's character fit? */
static int
fits(struct fit *f, size_t start)
{
	size_t i = start, clen, n = 0;
	int used = f->need;

	while (i < f->point) {
		used += next_char(f, i, &clen);
		if (used > limit(f, start) || ++n > f->budget)
			return 0;
		i += clen;
	}
	return used <= limit(f, start);
}

/* Step back from the cursor while the text plus reserve columns fit. */
static size_t
back_walk(struct fit *f, size_t from, int used)
{
	size_t start = from, c, n = 0;
	int w;

	while (start > 0 && n++ < f->budget) {
		c = prev_char(f, start, &w);
		if (used + w > limit(f, c))
			break;
		used += w;
		start = c;
	}
	return start;
}

/* Lay out from start: end, cursor, and the columns used. */
static int
fill(struct fit *f, size_t start)
{
	struct input_view *v = f->v;
	size_t i = start, clen, n = 0;
	int used = 0, w, room = limit(f, start);

	v->start = start;
	v->left = start > 0;
	v->text_col = (int)v->prompt_cols + (v->left ? 1 : 0);
	v->cursor = v->text_col;
	while (i < f->len && n++ < f->budget) {
		if (i == f->point)
			v->cursor = v->text_col + used;
		w = next_char(f, i, &clen);
		if (used + w > room)
			break;
		used += w;
		i += clen;
	}
	if (i == f->point)
		v->cursor = v->text_col + used;
	v->end = i;
	v->right = i < f->len;
	return used;
}

void
input_view_fit(struct input_view *v, size_t pw, const char *line, size_t len,
    size_t point, int cols)
{
	struct fit f = { v, line, len, point > len ? len : point, 0, 0, 0 };
	size_t hint = v->start, clen, c;
	int used, w;

	v->steps = 0;
	if (cols < 1)
		cols = 1;
	v->prompt_cols = pw < (size_t)cols / 2 ? pw : (size_t)cols / 2;
	f.area = cols - 1 - (int)v->prompt_cols;
	if (f.area < 3) {	/* no room: drop the prompt */
		v->prompt_cols = 0;
		f.area = cols - 1;
	}
	f.budget = (size_t)cols * CHARS_PER_COL;
	/* the cursor's character is whole on screen; at the end of the line
	 * the cursor takes the last column, which the text never uses */
	if (f.point < len)
		f.need = (w = next_char(&f, f.point, &clen)) > 1 ? w : 1;

	if (hint > f.point) {
		/* cursor went left of the view: put it a third in */
		hint = back_walk(&f, f.point, f.need + f.area * 2 / 3);
	} else if (hint < len && ((unsigned char)line[hint] & 0xc0) == 0x80) {
		hint = back_walk(&f, f.point, f.need);	/* not a boundary */
	} else if (!fits(&f, hint)) {
		hint = back_walk(&f, f.point, f.need);	/* cursor at the right */
	}
	used = fill(&f, hint);
	/* the end is in view but columns are free: show more on the left */
	if (v->end == len && hint > 0) {
		c = back_walk(&f, hint, used);
		if (c != hint)
			fill(&f, c);
	}
	if (v->cursor > cols - 1)
		v->cursor = cols - 1;
}
