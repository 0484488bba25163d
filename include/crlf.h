/* crlf.h - LF to CRLF on what we send, correct across chunk boundaries. */
#ifndef TCPTALK_CRLF_H
#define TCPTALK_CRLF_H

#include <stdbool.h>
#include <stddef.h>

struct crlf {
	bool	prev_cr;	/* the last byte of the previous chunk was CR */
};

/* Copy n bytes to out (room for 2n), turning each bare LF into CRLF;
 * an LF that already follows a CR is left alone.  Returns bytes written. */
size_t	crlf_convert(struct crlf *, const char *in, size_t n, char *out);

#endif
