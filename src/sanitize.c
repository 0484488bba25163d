/* sanitize.c - make peer bytes printable: nothing they hold may drive the terminal. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
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
	char tail[64];

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
		/* TRANSLATORS: after a line cut at its limit: the bytes cut off. */
		len = snprintf(tail, sizeof tail, P_(" [+%llu byte]",
		    " [+%llu bytes]", (unsigned long)dropped),
		    (unsigned long long)dropped);
		put(&o, (char[]){ WIDTH_DIM_ON }, 1);
		put(&o, tail, width_snprintf_len(tail, len, sizeof tail));
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

/* Where the escape sequence that starts at in[i] (ESC, or the C1 CSI, OSC,
 * DCS... as UTF-8) ends: CSI to its final byte, string controls to their
 * BEL or ST, anything else after its one final byte. */
static size_t
strip_escape(const char *in, size_t n, size_t i, unsigned char intro)
{
	unsigned char c;

	if (intro == '[') {		/* CSI: parameters, intermediates, final */
		while (i < n) {
			c = (unsigned char)in[i++];
			if (c >= 0x40 && c <= 0x7e)
				break;
			if (c < 0x20 || c > 0x3f)	/* not a CSI byte: stop */
				return i - 1;
		}
		return i;
	}
	if (intro == ']' || intro == 'P' || intro == 'X' || intro == '^' ||
	    intro == '_') {		/* a string: up to BEL, ESC \ or C1 ST */
		while (i < n) {
			c = (unsigned char)in[i++];
			if (c == 0x07)
				break;
			if (c == 0x1b && i < n && in[i] == '\\')
				return i + 1;
			if (c == 0xc2 && i < n && (unsigned char)in[i] == 0x9c)
				return i + 1;
		}
		return i;
	}
	/* ESC, intermediates (0x20-0x2f), one final */
	while (i < n && (unsigned char)in[i] >= 0x20 &&
	    (unsigned char)in[i] <= 0x2f)
		i++;
	if (i < n && (unsigned char)in[i] >= 0x30 && (unsigned char)in[i] < 0x7f)
		i++;
	return i;
}

size_t
sanitize_strip(const char *in, size_t n, char *out)
{
	size_t i = 0, o = 0, j;
	unsigned char c;
	uint32_t cp;
	int len;

	while (i < n) {
		c = (unsigned char)in[i];
		if (c >= 0x20 && c < 0x7f) {
			j = i + 1;
			while (j < n && (unsigned char)in[j] >= 0x20 &&
			    (unsigned char)in[j] < 0x7f)
				j++;
			memmove(out + o, in + i, j - i);
			o += j - i;
			i = j;
		} else if (c == '\t') {
			out[o++] = '\t';
			i++;
		} else if (c == 0x1b) {
			i++;
			if (i < n && (in[i] == '[' || in[i] == ']' ||
			    in[i] == 'P' || in[i] == 'X' || in[i] == '^' ||
			    in[i] == '_')) {
				c = (unsigned char)in[i];
				i = strip_escape(in, n, i + 1, c);
			} else
				i = strip_escape(in, n, i, 0);
		} else if (c < 0x20 || c == 0x7f) {
			i++;
		} else if ((len = width_utf8(in + i, n - i, &cp)) < 0) {
			out[o++] = '?';
			i++;
		} else if (cp == 0x9b || cp == 0x9d || cp == 0x90 || cp == 0x98 ||
		    cp == 0x9e || cp == 0x9f) {	/* C1 CSI, OSC, DCS, SOS, PM, APC */
			i = strip_escape(in, n, i + (size_t)len, cp == 0x9b ? '[' :
			    cp == 0x9d ? ']' : 'P');
		} else if (sanitize_format_control(cp)) {
			i += (size_t)len;
		} else {
			memmove(out + o, in + i, (size_t)len);
			o += (size_t)len;
			i += (size_t)len;
		}
	}
	return o;
}
