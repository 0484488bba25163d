/* width.h - UTF-8 decoding, display widths, wrapping into rows. */
#ifndef TCPTALK_WIDTH_H
#define TCPTALK_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Marker bytes inside display text: the run between them is drawn dim.
 * They take no column.  Sanitized text never holds other C0 bytes. */
#define WIDTH_DIM_ON	'\001'
#define WIDTH_DIM_OFF	'\002'
/* Before the spaces a tab became (so /show can draw it as a tab).  Takes
 * no column either; drawn as nothing, and dropped by every writer that
 * drops the dim markers (invisible.h draws it). */
#define WIDTH_TAB	'\003'
/* Is c one of the marker bytes above? */
#define WIDTH_IS_MARKER(c)	((c) == WIDTH_DIM_ON || (c) == WIDTH_DIM_OFF || \
				 (c) == WIDTH_TAB)

#define WIDTH_MIN_COLS	2	/* the narrowest row width_wrap cuts */

/* Decode one UTF-8 character: its length (1..4), or -1 if the bytes at s
 * are not valid UTF-8 (overlong, surrogate, > U+10FFFF, truncated). */
int	width_utf8(const char *s, size_t n, uint32_t *cp);
/* Columns of one code point: 0 for combining marks, 2 for wide, and 1 for
 * anything wcwidth() does not know. */
int	width_cp(uint32_t cp);
/* What snprintf wrote into size bytes when it wanted n (its result): at
 * most size - 1, and never the first bytes of a character it cut. */
size_t	width_snprintf_len(const char *s, int n, size_t size);
/* n, or less by a last character cut short (a buffer cut anywhere). */
size_t	width_whole(const char *s, size_t n);
/* Columns of text: markers 0, control bytes 2 (shown as ^X), invalid 1. */
size_t	width_str(const char *s, size_t n);
/* Cut text into rows of at most cols columns (a wide character never
 * straddles two rows).  Stores up to max row start offsets; returns the
 * number of rows, at least 1.  No row is empty, so cols below
 * WIDTH_MIN_COLS (the widest character: CJK, emoji, ^X) count as
 * WIDTH_MIN_COLS; callers ask for at least that. */
int	width_wrap(const char *s, size_t n, int cols, size_t *starts, int max);
/*
 * Rows as width_wrap makes them, but every row after the first has *indent
 * columns less (the caller puts them under the first row's text, as /help
 * does); with fewer than WIDTH_HANG_MIN columns left it does not hang and
 * sets *indent to 0, so the caller pads by what was used.  A row after the
 * first starts with a word, not with the space it broke at.
 */
#define WIDTH_HANG_MIN	12
int	width_hang(const char *s, size_t n, int cols, size_t *indent,
	    size_t *starts, int max);

#endif
