/*
 * escape.h - the escapes /raw understands, decoded to bytes: C-style
 * \r \n \t \0 \e \\ \xHH and \uXXXX (or \u{H..HHHHHH} beyond U+FFFF),
 * characters sent as UTF-8.  No line end is added.  Pure: no I/O.
 */
#ifndef TCPTALK_ESCAPE_H
#define TCPTALK_ESCAPE_H

#include <stddef.h>

#define ESCAPE_MSG_MAX	384	/* a translated sentence is longer in bytes */

/* Why a text cannot be decoded. */
struct escape_error {
	size_t	offset;			/* byte offset of the bad escape's backslash */
	char	msg[ESCAPE_MSG_MAX];	/* one whole sentence, no newline */
};

/*
 * Decode in[0..n) into out, which has room for n bytes (the output is never
 * longer than the input).  Returns 0 with *outlen set, or -1 with *err set
 * at the first malformed escape (out holds nothing useful then).  A
 * backslash before any other character, a lone backslash at the end, \x
 * without two hex digits, \u without four (or \u{} without one to six),
 * a UTF-16 surrogate (U+D800..U+DFFF) and anything above U+10FFFF are
 * errors.  \0 is NUL alone: "\012" is NUL, '1', '2'.
 */
int	escape_decode(const char *in, size_t n, char *out, size_t *outlen,
	    struct escape_error *err);

#endif
