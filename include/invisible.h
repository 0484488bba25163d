/*
 * invisible.h - /show: the characters a terminal does not show, made
 * visible in display text (sanitize.h) at draw time.  Pure: no I/O.
 */
#ifndef TCPTALK_INVISIBLE_H
#define TCPTALK_INVISIBLE_H

#include <stddef.h>

#define INVISIBLE_SHOW	0x1	/* mark them; else only drop the tab marks */
#define INVISIBLE_CRLF	0x2	/* the line ended with CRLF: "␍␊" after it */
#define INVISIBLE_LF	0x4	/* the line ended with LF alone: "␊" */

/* Dim marks, as drawn in /show. */
#define INVISIBLE_TAB	"\xe2\x86\x92"		/* U+2192 → in a tab's first column */
#define INVISIBLE_SPACE	"\xc2\xb7"		/* U+00B7 · a trailing space */
#define INVISIBLE_NBSP	"\xe2\x8d\xbd"		/* U+237D ⍽ a no-break space */
#define INVISIBLE_CR_LF	"\xe2\x90\x8d\xe2\x90\x8a"	/* ␍␊ */
#define INVISIBLE_LF_MARK "\xe2\x90\x8a"		/* ␊ */

/*
 * Display text in, display text out.  Always: the WIDTH_TAB marks are
 * dropped (they must never reach the terminal).  With INVISIBLE_SHOW, each
 * in a dim run: a tab's first column as "→" (the rest of it stays blank),
 * trailing spaces as "·", U+00A0 and U+202F as "⍽", the zero-width U+200B
 * U+200C U+200D U+2060 U+FEFF as "\u200b"-style escapes, and the line end
 * INVISIBLE_CRLF / INVISIBLE_LF says at the end.  Every mark but the
 * zero-width escapes and the line end takes the columns of what it marks,
 * so the text wraps as it did.  Returns a NUL-ended malloc'd string
 * (length in *outlen), or NULL when out of memory.
 */
char	*invisible_text(const char *s, size_t n, unsigned how, size_t *outlen);

#endif
