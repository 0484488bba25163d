/* frame.h - cut peer bytes into lines: CRLF, a partial tail, a length cap. */
#ifndef TCPTALK_FRAME_H
#define TCPTALK_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_LINE_MAX	(64 * 1024)	/* bytes kept of one line */

/* A complete line, without its LF (or CRLF); dropped counts the bytes past
 * the cap that were not kept. */
typedef void (*frame_line_cb)(void *arg, const char *line, size_t len,
    uint64_t dropped);

struct frame {
	char		*buf;
	size_t		 len;
	size_t		 max;
	uint64_t	 dropped;
};

int	frame_init(struct frame *, size_t max);
void	frame_free(struct frame *);
void	frame_feed(struct frame *, const char *, size_t, frame_line_cb, void *);
/* The line so far that has no LF yet (shown live); len 0 if none. */
const char *frame_partial(const struct frame *, size_t *len, uint64_t *dropped);
/* End of stream: hand over the partial tail as a line, if any. */
void	frame_flush(struct frame *, frame_line_cb, void *);

#endif
