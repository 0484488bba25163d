/* crlf.c - LF to CRLF conversion that remembers a CR at the end of a chunk. */
#include "crlf.h"

size_t
crlf_convert(struct crlf *st, const char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (in[i] == '\n' && !st->prev_cr)
			out[o++] = '\r';
		out[o++] = in[i];
		st->prev_cr = in[i] == '\r';
	}
	return o;
}
