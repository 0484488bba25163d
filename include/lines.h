/* lines.h - cut peer bytes into lines: CRLF, a partial tail, a length cap. */
#ifndef TCPTALK_LINES_H
#define TCPTALK_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINES_MAX	(64 * 1024)	/* bytes kept of one line */

/* A complete line, without its LF (or CRLF); dropped counts the bytes past
 * the cap that were not kept.  The CR of a CRLF is neither text nor dropped,
 * even when it comes past the cap; crlf says the line ended so. */
typedef void (*lines_cb)(void *arg, const char *line, size_t len,
    uint64_t dropped, bool crlf);

struct lines {
	char		*buf;
	size_t		 len;
	size_t		 max;
	uint64_t	 dropped;
	int		 cr_dropped;	/* the last byte, past the cap, was a CR */
};

int	lines_init(struct lines *, size_t max);
void	lines_free(struct lines *);
void	lines_feed(struct lines *, const char *, size_t, lines_cb, void *);
/* The line so far that has no LF yet (shown live); len 0 if none.  A CR
 * past the cap as its last byte (maybe half of a CRLF) is not in dropped. */
const char *lines_partial(const struct lines *, size_t *len, uint64_t *dropped);
/* Forget the partial tail: it was shown and closed without its newline. */
void	lines_reset(struct lines *);

#endif
