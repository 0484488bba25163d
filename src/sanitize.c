/* sanitize.c - make peer bytes printable: nothing they hold may drive the terminal. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "width.h"

struct out {
	char	*p;
	size_t	 len, cap;
	size_t	 col;
	bool	 oom;
};

static void
put(struct out *o, const char *s, size_t n)
{
	char *np;
	size_t ncap;

	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		ncap = o->cap * 2 + n + 16;
		if ((np = realloc(o->p, ncap)) == NULL) {
			o->oom = true;
			return;
		}
		o->p = np;
		o->cap = ncap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
put_escape(struct out *o, const char *fmt, unsigned int v)
{
	char tmp[16];
	int n = snprintf(tmp, sizeof tmp, fmt, v);

	put(o, (char[]){ WIDTH_DIM_ON }, 1);
	put(o, tmp, (size_t)n);
	put(o, (char[]){ WIDTH_DIM_OFF }, 1);
	o->col += (size_t)n;
}

/* Code points that reorder or hide text: shown, never obeyed. */
bool
sanitize_format_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	    cp == 0x061c;
}

char *
sanitize_line(const char *in, size_t n, uint64_t dropped, size_t *outlen)
{
	struct out o = { NULL, 0, 0, 0, false };
	unsigned char c;
	uint32_t cp;
	size_t i = 0;
	int len;
	char tail[48];

	/* one allocation for the common case: printable text, few escapes */
	o.cap = n + n / 4 + 32;
	if ((o.p = malloc(o.cap)) == NULL)
		return NULL;
	while (i < n) {
		c = (unsigned char)in[i];
		if (c >= 0x20 && c < 0x7f) {
			/* fast path: a run of printable ASCII, one column each */
			size_t j = i + 1;

			while (j < n && (unsigned char)in[j] >= 0x20 &&
			    (unsigned char)in[j] < 0x7f)
				j++;
			put(&o, in + i, j - i);
			o.col += j - i;
			i = j;
		} else if (c == '\t') {
			/* a zero-width mark first: /show draws the tab there */
			put(&o, (char[]){ WIDTH_TAB }, 1);
			do {
				put(&o, " ", 1);
				o.col++;
			} while (o.col % 8 != 0);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			put_escape(&o, "^%c", c == 0x7f ? '?' : c + '@');
			i++;
		} else if ((len = width_utf8(in + i, n - i, &cp)) < 0) {
			put_escape(&o, "\\x%02x", c);
			i++;
		} else if (sanitize_format_control(cp)) {
			put_escape(&o, "\\u%04x", cp);
			i += (size_t)len;
		} else {
			put(&o, in + i, (size_t)len);
			o.col += (size_t)width_cp(cp);
			i += (size_t)len;
		}
	}
	if (dropped > 0) {
		len = snprintf(tail, sizeof tail, " [+%llu bytes]",
		    (unsigned long long)dropped);
		put(&o, (char[]){ WIDTH_DIM_ON }, 1);
		put(&o, tail, (size_t)len);
		put(&o, (char[]){ WIDTH_DIM_OFF }, 1);
	}
	if (o.oom) {
		free(o.p);
		return NULL;
	}
	o.p[o.len] = '\0';
	*outlen = o.len;
	return o.p;
}
