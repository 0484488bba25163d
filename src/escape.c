/*
 * escape.c - /raw's escape decoder: text with C-style escapes to the bytes
 * it stands for.  Every error message is one whole sentence built from one
 * format string, so it can be translated as it is.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"
#include "i18n.h"

static int __attribute__((format(printf, 3, 4)))
fail(struct escape_error *err, size_t offset, const char *fmt, ...)
{
	va_list ap;

	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly want hex digits at in[i..]; -1 if there are fewer. */
static long
hexdigits(const char *in, size_t n, size_t i, size_t want)
{
	long v = 0;
	size_t k;
	int d;

	if (n - i < want)
		return -1;
	for (k = 0; k < want; k++) {
		if ((d = hexval((unsigned char)in[i + k])) < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static size_t
utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * \u at in[at] (the backslash): \uXXXX or \u{H..HHHHHH}.  The code point
 * into *cp and the escape's length into *len, or -1 with err set.
 */
static int
code_point(const char *in, size_t n, size_t at, uint32_t *cp, size_t *len,
    struct escape_error *err)
{
	size_t i = at + 2, k = 0;
	long v = 0;
	int d;

	if (i < n && in[i] == '{') {
		for (i++; i < n && k < 7 && (d = hexval((unsigned char)in[i])) >= 0;
		    i++, k++)
			v = v << 4 | d;
		if (k == 0 || k > 6 || i >= n || in[i] != '}')
			/* TRANSLATORS: /raw's errors; "at offset %zu" said as
			 * in the English is cut out of the chat's notice (it
			 * names the column instead), worded otherwise the
			 * sentence is shown whole. */
			return fail(err, at, _("\\u{ at offset %zu needs one to "
			    "six hex digits and a closing brace, as in "
			    "\\u{1F642}."), at);
		*len = i + 1 - at;
	} else {
		if ((v = hexdigits(in, n, i, 4)) < 0)
			return fail(err, at, _("\\u at offset %zu needs four "
			    "hex digits, as in \\u00e9 (or \\u{1F642} beyond "
			    "U+FFFF)."), at);
		*len = 6;
	}
	if (v >= 0xd800 && v <= 0xdfff)
		return fail(err, at, _("\\u at offset %zu is U+%04lX, a "
		    "UTF-16 surrogate, which is not a character; write the "
		    "character itself, as in \\u{1F642}."), at, v);
	if (v > 0x10ffff)
		return fail(err, at, _("\\u at offset %zu is U+%lX, above "
		    "U+10FFFF, the last Unicode character."), at, v);
	*cp = (uint32_t)v;
	return 0;
}

/* The byte a one-letter escape stands for, or -1. */
static int
simple(unsigned char c)
{
	switch (c) {
	case 'r':	return '\r';
	case 'n':	return '\n';
	case 't':	return '\t';
	case '0':	return '\0';
	case 'e':	return 0x1b;
	case '\\':	return '\\';
	default:	return -1;
	}
}

int
escape_decode(const char *in, size_t n, char *out, size_t *outlen,
    struct escape_error *err)
{
	size_t i = 0, o = 0, len = 0;
	unsigned char c;
	uint32_t cp = 0;
	long v;
	int b;

	while (i < n) {
		if (in[i] != '\\') {
			out[o++] = in[i++];
			continue;
		}
		if (i + 1 >= n)
			return fail(err, i, _("The text ends with a lone "
			    "backslash at offset %zu; write \\\\ for a "
			    "backslash."), i);
		c = (unsigned char)in[i + 1];
		if ((b = simple(c)) >= 0) {
			out[o++] = (char)b;
			i += 2;
		} else if (c == 'x') {
			if ((v = hexdigits(in, n, i + 2, 2)) < 0)
				return fail(err, i, _("\\x at offset %zu needs "
				    "two hex digits, as in \\x0d."), i);
			out[o++] = (char)v;
			i += 4;
		} else if (c == 'u') {
			if (code_point(in, n, i, &cp, &len, err) == -1)
				return -1;
			o += utf8_put(out + o, cp);
			i += len;
		} else if (c > 0x20 && c < 0x7f) {
			return fail(err, i, _("Unknown escape \\%c at offset "
			    "%zu; the escapes are \\r \\n \\t \\0 \\e \\\\ "
			    "\\xHH and \\uXXXX."), c, i);
		} else {
			return fail(err, i, _("A backslash at offset %zu is "
			    "followed by byte 0x%02x, which is no escape; write "
			    "\\\\ for a backslash."), i, c);
		}
	}
	*outlen = o;
	return 0;
}
