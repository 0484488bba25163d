/*
 * tcppanel_layout.c - the /tcp panel's rows as lines for a width: labels
 * padded so the values line up, in display columns (a Chinese label is
 * twice as wide as its characters), a value too long for its column
 * wrapped under itself, and a heading per section; on a wide terminal
 * two halves side by side (no headings: the table must fit the panel's
 * rows), on a narrow one the value under its label.  Pure.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tcppanel.h"
#include "width.h"

#define IND		1	/* a row's indent */
#define GAP		2	/* between the label column and the values */
#define COLGAP		3	/* between the two halves */
#define STACKED		3	/* a value on lines of its own: its indent */
#define MIN_VALUE	16	/* a narrower value column: values go below */
#define TWO_VALUE	20	/* two halves need value columns this wide */
#define HALF_LINES	(TCPPANEL_NROWS * TCPPANEL_WRAP)

static size_t
cols_of(const char *s)
{
	return width_str(s, strlen(s));
}

/* Append s, or nothing when it does not fit whole (no cut character). */
static void
put(struct tcppanel_line *l, const char *s, size_t n)
{
	size_t at = strlen(l->text);

	if (at + n < sizeof l->text) {
		memcpy(l->text + at, s, n);
		l->text[at + n] = '\0';
	}
}

static void
pad(struct tcppanel_line *l, size_t cols)
{
	while (cols-- > 0)
		put(l, " ", 1);
}

/* The rows of sections [from, to), their widest label and value. */
struct half {
	const struct tcppanel_row *rows;
	size_t	 n;
	int	 from, to;
	bool	 headings;
	size_t	 lw, vw;
};

static bool
in_half(const struct half *h, const struct tcppanel_row *r)
{
	return (int)r->section >= h->from && (int)r->section < h->to;
}

static void
measure(struct half *h)
{
	size_t i, w;

	h->lw = h->vw = 0;
	for (i = 0; i < h->n; i++) {
		if (!in_half(h, &h->rows[i]))
			continue;
		if ((w = cols_of(h->rows[i].label)) > h->lw)
			h->lw = w;
		if ((w = cols_of(h->rows[i].text)) > h->vw)
			h->vw = w;
	}
}

/*
 * Row r from line k on: its label, then its value from column valcol,
 * wrapped at the width left (cols); with less than MIN_VALUE left, the
 * value goes on lines of its own below the label.  Returns the next free
 * line (at most max).
 */
static size_t
emit(const struct tcppanel_row *r, size_t valcol, size_t cols,
    struct tcppanel_line *out, size_t k, size_t max)
{
	enum tcppanel_kind kind = r->alert ? TCPPANEL_ALERT : TCPPANEL_PLAIN;
	size_t starts[TCPPANEL_WRAP], len = strlen(r->text), end;
	int n, i;

	out[k] = (struct tcppanel_line){ .kind = kind };
	pad(&out[k], IND);
	put(&out[k], r->label, strlen(r->label));
	if (cols < valcol + MIN_VALUE && valcol + cols_of(r->text) > cols) {
		if (++k == max)
			return k;
		out[k] = (struct tcppanel_line){ .kind = kind };
		valcol = STACKED;
		pad(&out[k], valcol);
	} else {
		pad(&out[k], valcol - IND - cols_of(r->label));
	}
	n = width_wrap(r->text, len, cols > valcol ? (int)(cols - valcol) : 0,
	    starts, TCPPANEL_WRAP);
	if (n > TCPPANEL_WRAP)
		n = TCPPANEL_WRAP;	/* the last piece holds the rest */
	for (i = 0; i < n; i++) {
		if (i > 0) {
			if (++k == max)
				return k;
			out[k] = (struct tcppanel_line){ .kind = kind };
			pad(&out[k], valcol);
		}
		end = i + 1 < n ? starts[i + 1] : len;
		while (end > starts[i] + 1 && r->text[end - 1] == ' ')
			end--;		/* the space it wrapped at */
		put(&out[k], r->text + starts[i], end - starts[i]);
	}
	return k + 1;
}

/* A half's lines for cols columns: a heading when the section changes
 * (if it has them), each row with its value at the same column. */
static size_t
cells(const struct half *h, size_t cols, struct tcppanel_line *out,
    size_t max)
{
	const char *name;
	size_t i, k = 0;
	int sec = -1;

	for (i = 0; i < h->n && k < max; i++) {
		if (!in_half(h, &h->rows[i]))
			continue;
		if (h->headings && (int)h->rows[i].section != sec) {
			sec = (int)h->rows[i].section;
			name = tcppanel_section_name(h->rows[i].section);
			out[k] = (struct tcppanel_line){ .kind = TCPPANEL_HEAD };
			put(&out[k], name, strlen(name));
			if (++k == max)
				break;
		}
		k = emit(&h->rows[i], IND + h->lw + GAP, cols, out, k, max);
	}
	return k;
}

/* Two halves side by side: the left padded to lcols and the gap; a line
 * takes the alert colour when either half has an alert on it. */
static size_t
join(const struct tcppanel_line *l, size_t nl, size_t lcols,
    const struct tcppanel_line *r, size_t nr, struct tcppanel_line *out,
    size_t max)
{
	size_t k, w;

	for (k = 0; k < max && (k < nl || k < nr); k++) {
		out[k] = (struct tcppanel_line){ .kind = TCPPANEL_PLAIN };
		w = 0;
		if (k < nl) {
			put(&out[k], l[k].text, strlen(l[k].text));
			w = cols_of(l[k].text);
			if (l[k].kind == TCPPANEL_ALERT)
				out[k].kind = TCPPANEL_ALERT;
		}
		if (k < nr) {
			pad(&out[k], lcols + COLGAP > w ? lcols + COLGAP - w : 1);
			put(&out[k], r[k].text, strlen(r[k].text));
			if (r[k].kind == TCPPANEL_ALERT)
				out[k].kind = TCPPANEL_ALERT;
		}
	}
	return k;
}

size_t
tcppanel_layout(const struct tcppanel_row *rows, size_t n, int cols,
    struct tcppanel_line *out, size_t max)
{
	struct tcppanel_line l[HALF_LINES], r[HALF_LINES];
	struct half all = { rows, n, 0, TCPPANEL_NSECTIONS, true, 0, 0 };
	struct half left = { rows, n, 0, TCPPANEL_NSECTIONS / 2, false, 0, 0 };
	struct half right = { rows, n, TCPPANEL_NSECTIONS / 2,
	    TCPPANEL_NSECTIONS, false, 0, 0 };
	size_t c = cols > 0 ? (size_t)cols : 0, labels, vw, vr, lcols, nl, nr;

	if (max == 0)
		return 0;
	measure(&left);
	measure(&right);
	/* the value columns share what the labels leave: the right one as
	 * wide as its widest value, the left one (the state's words) the
	 * rest; every line the left half saves keeps the table in a panel */
	labels = 2 * (IND + GAP) + left.lw + right.lw + COLGAP;
	vw = c > labels ? c - labels : 0;
	if (c >= TCPPANEL_TWO_MIN && vw >= 2 * TWO_VALUE) {
		vr = right.vw < TWO_VALUE ? TWO_VALUE : right.vw;
		if (vr > vw - TWO_VALUE)
			vr = vw - TWO_VALUE;
		lcols = IND + left.lw + GAP + vw - vr;
		nl = cells(&left, lcols, l, HALF_LINES);
		nr = cells(&right, c - lcols - COLGAP, r, HALF_LINES);
		return join(l, nl, lcols, r, nr, out, max);
	}
	measure(&all);
	return cells(&all, c, out, max);
}
