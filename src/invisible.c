/* invisible.c - /show: tabs, trailing spaces, no-break and zero-width
 * characters and line ends drawn visibly, as a transform of display text. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invisible.h"
#include "width.h"

/* The worst growth per input byte: a trailing space becomes ON "·" OFF. */
#define GROWTH	4
#define END_MAX	(2 + sizeof INVISIBLE_CR_LF)

struct out {
	char	*p;
	size_t	 len;
	bool	 dim;		/* inside a dim run of the input */
};

static void
put(struct out *o, const char *s, size_t n)
{
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

/* A mark in its own dim run (or inside the input's, which is dim already). */
static void
put_mark(struct out *o, const char *mark)
{
	if (!o->dim)
		o->p[o->len++] = WIDTH_DIM_ON;
	put(o, mark, strlen(mark));
	if (!o->dim)
		o->p[o->len++] = WIDTH_DIM_OFF;
}

static bool
is_nbsp(uint32_t cp)
{
	return cp == 0xa0 || cp == 0x202f;
}

static bool
is_zero_width(uint32_t cp)
{
	return cp == 0x200b || cp == 0x200c || cp == 0x200d || cp == 0x2060 ||
	    cp == 0xfeff;
}

/* Where the run of spaces that ends the text starts (n if none). */
static size_t
trailing_from(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}

static void
show(struct out *o, const char *s, size_t n, unsigned how)
{
	size_t i = 0, len, col = 0, pad = 0, trail = trailing_from(s, n);
	uint32_t cp;
	char esc[16];
	int l;

	while (i < n) {
		if (s[i] == WIDTH_TAB) {
			/* its spaces reach the next multiple of 8 columns,
			 * counted as sanitize counted them */
			pad = 8 - col % 8;
			if (i + 1 < n && s[i + 1] == ' ') {
				put_mark(o, INVISIBLE_TAB);
				col++;
				pad--;
				i++;
			}
			i++;
			continue;
		}
		if (s[i] == ' ' && pad > 0) {
			pad--;			/* the rest of a tab: blank */
			put(o, " ", 1);
			col++;
			i++;
			continue;
		}
		pad = 0;
		if (s[i] == WIDTH_DIM_ON || s[i] == WIDTH_DIM_OFF)
			o->dim = s[i] == WIDTH_DIM_ON;
		if (s[i] == ' ' && i >= trail) {
			put_mark(o, INVISIBLE_SPACE);
			col++;
			i++;
			continue;
		}
		l = width_utf8(s + i, n - i, &cp);
		len = l > 0 ? (size_t)l : 1;
		if (l > 0 && is_nbsp(cp)) {
			put_mark(o, INVISIBLE_NBSP);
		} else if (l > 0 && is_zero_width(cp)) {
			/* a tab after it counts no column for it, as sanitize did */
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			put_mark(o, esc);
		} else {
			put(o, s + i, len);
		}
		col += width_str(s + i, len);
		i += len;
	}
	if (how & INVISIBLE_CRLF)
		put_mark(o, INVISIBLE_CR_LF);
	else if (how & INVISIBLE_LF)
		put_mark(o, INVISIBLE_LF_MARK);
}

char *
invisible_text(const char *s, size_t n, unsigned how, size_t *outlen)
{
	struct out o = { NULL, 0, false };
	size_t i;

	if (n > (SIZE_MAX - END_MAX - 1) / GROWTH)
		return NULL;
	if ((o.p = malloc(n * GROWTH + END_MAX + 1)) == NULL)
		return NULL;
	if (how & INVISIBLE_SHOW) {
		show(&o, s, n, how);
	} else {
		for (i = 0; i < n; i++)
			if (s[i] != WIDTH_TAB)
				o.p[o.len++] = s[i];
	}
	o.p[o.len] = '\0';
	*outlen = o.len;
	return o.p;
}
