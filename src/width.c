/* width.c - how many terminal columns UTF-8 text takes, and where it wraps. */
#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "width.h"

int
width_utf8(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	int len, i;

	if (n == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2; c = u[0] & 0x1f; min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3; c = u[0] & 0x0f; min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4; c = u[0] & 0x07; min = 0x10000;
	} else {
		return -1;	/* continuation byte, 0xc0/0xc1, 0xf5.. */
	}
	if ((size_t)len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return len;
}

int
width_cp(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w;
}

/* Width of the character at s; sets *len to its byte length. */
static int
char_width(const char *s, size_t n, size_t *len)
{
	uint32_t cp;
	int l;

	if (WIDTH_IS_MARKER(*s)) {
		*len = 1;
		return 0;
	}
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

size_t
width_snprintf_len(const char *s, int n, size_t size)
{
	if (n < 0 || size == 0)
		return 0;
	if ((size_t)n < size)
		return (size_t)n;
	/* cut: a translation longer than the buffer */
	return width_whole(s, size - 1);
}

size_t
width_whole(const char *s, size_t n)
{
	size_t k = n;
	uint32_t cp;

	while (k > 0 && n - k < 3 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
		k--;
	if (k > 0 && (unsigned char)s[k - 1] >= 0xc0 &&
	    width_utf8(s + k - 1, n - k + 1, &cp) < 0)
		return k - 1;	/* its last character is incomplete */
	return n;
}

size_t
width_str(const char *s, size_t n)
{
	size_t i = 0, len, w = 0;

	while (i < n) {
		w += (size_t)char_width(s + i, n - i, &len);
		i += len;
	}
	return w;
}

/* Does s start with punctuation that Chinese and Japanese text never
 * begins a row with (closing marks, the comma, the full stop ...), a
 * space (the break goes after the space instead, or a character back), or
 * what belongs to the character before it (a combining mark, a variation
 * selector, a zero-width joiner, a skin tone)? */
static bool
no_row_start(const char *s, size_t n)
{
	uint32_t cp;

	if (n == 0 || (unsigned char)s[0] < 0x80 || width_utf8(s, n, &cp) < 0)
		return n > 0 && strchr(" ,.;:!?)]}", s[0]) != NULL;
	if (width_cp(cp) == 0 || (cp >= 0x1f3fb && cp <= 0x1f3ff))
		return true;
	switch (cp) {
	case 0x3001: case 0x3002:			/* 、。 */
	case 0xff0c: case 0xff0e: case 0xff1a: case 0xff1b:	/* ，．：； */
	case 0xff01: case 0xff1f: case 0xff09: case 0xff3d:	/* ！？）］ */
	case 0x300d: case 0x300f: case 0x3011: case 0x300b:	/* 」』】》 */
	case 0x3009: case 0x201d: case 0x2019: case 0x2026:	/* 〉”’… */
	case 0x30fc: case 0xff5e:			/* ー～ */
		return true;
	}
	return false;
}

/* Is s (one character) an opening mark that never ends a row? */
static bool
no_row_end(const char *s, size_t n)
{
	uint32_t cp;

	if (width_utf8(s, n, &cp) < 0)
		return false;
	switch (cp) {
	case 0xff08: case 0xff3b: case 0x300c: case 0x300e:	/* （［「『 */
	case 0x3010: case 0x300a: case 0x3008: case 0x201c:	/* 【《〈“ */
	case 0x2018:						/* ‘ */
		return true;
	}
	return false;
}

int
width_wrap(const char *s, size_t n, int cols, size_t *starts, int max)
{
	size_t i = 0, len, brk = 0;	/* brk: just after the row's last space */
	int rows = 1, col = 0, brkcol = 0, w;

	if (cols < WIDTH_MIN_COLS)
		cols = WIDTH_MIN_COLS;	/* the widest character fits a row */
	if (max > 0)
		starts[0] = 0;
	while (i < n) {
		w = char_width(s + i, n - i, &len);
		if (col + w > cols && col > 0) {
			/* words stay whole when the row has a space to break at;
			 * the rest of the word moves down with what follows */
			size_t at = brk > 0 ? brk : i;

			if (rows < max)
				starts[rows] = at;
			rows++;
			col = brk > 0 ? col - brkcol : 0;
			brk = 0;
		}
		if (col + w > cols && col > 0) {
			/* the moved rest of the word fills that row: this
			 * character starts the next one */
			if (rows < max)
				starts[rows] = i;
			rows++;
			col = 0;
		}
		col += w;
		i += len;
		/* a space is a place to break; so is the end of a wide (CJK)
		 * character, as Chinese text has no spaces: unless what
		 * follows is punctuation that may not start a row */
		if ((s[i - len] == ' ' || (w == 2 && len > 1 &&
		    !no_row_end(s + i - len, len) &&
		    !no_row_start(s + i, n - i))) && col <= cols) {
			brk = i;
			brkcol = col;
		}
	}
	return rows;
}

/* The bytes of s up to and with the first character that would go past
 * cols: all width_wrap looks at to place the first row's end, so each of
 * width_hang's rows costs its own length, not the rest of the text's. */
static size_t
row_span(const char *s, size_t n, int cols)
{
	size_t i = 0, len;
	int col = 0;

	if (cols < WIDTH_MIN_COLS)
		cols = WIDTH_MIN_COLS;
	while (i < n) {
		col += char_width(s + i, n - i, &len);
		i += len;
		if (col > cols)
			break;
	}
	return i;
}

int
width_hang(const char *s, size_t n, int cols, size_t *indent, size_t *starts,
    int max)
{
	size_t at = 0, row[2];
	int rows = 1, avail = cols;

	if (cols - (int)*indent < WIDTH_HANG_MIN)
		*indent = 0;	/* too narrow to hang: rows start at the left */
	if (max > 0)
		starts[0] = 0;
	while (width_wrap(s + at, row_span(s + at, n - at, avail), avail, row,
	    2) > 1) {
		at += row[1];
		while (at < n && s[at] == ' ')
			at++;		/* a row under the text starts with a word */
		if (at == n)
			break;
		if (rows < max)
			starts[rows] = at;
		rows++;
		avail = cols - (int)*indent;
	}
	return rows;
}
