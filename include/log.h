/*
 * log.h - the files tcptalk keeps a record in as it runs.  Today -x: every
 * byte both ways as a hex dump (hexfmt.c's layout), a block per read or
 * write.  The text goes through a bounded buffer, written in large pieces
 * and at the end of every block, and never waits: what a file that cannot
 * keep up (a pipe, a slow device) has no room for is left out and counted
 * in a note line.  A regular file always keeps up.
 */
#ifndef TCPTALK_LOG_H
#define TCPTALK_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "outfile.h"

#define LOG_BUFSZ	(1024 * 1024)

struct log {
	struct outfile	 out;		/* LOG_BUFSZ bytes buffered */
	uint64_t	 dropped;	/* bytes left out since the last note */
	uint64_t	 dropped_total;
	uint64_t	 lines_dropped;	/* --trace lines, likewise */
	uint64_t	 lines_dropped_total;
	int64_t		 day_start;	/* local midnight for the cached second */
	int64_t		 cached_sec;
};

/* Create FILE (mode 0600) or append to it, without waiting for a reader;
 * -1 with a one-line message in err (a FIFO with no reader says so; the
 * caller says "tcptalk: " and exits 2). */
int	log_open(struct log *, const char *path, char *err, size_t errlen);
/* A session tap (session_tap_fn): one hex dump block for these bytes. */
void	log_hex_cb(void *arg, char dir, uint64_t offset, const char *bytes,
	    size_t n);
/* --trace: a segment's line, as "# HH:MM:SS.mmm trace LINE". */
void	log_trace(struct log *, const char *line);
/* Write what is buffered (without waiting) and close.  -1 with a message
 * in err if bytes were lost: a write failed or the file did not keep up. */
int	log_close(struct log *, const char *path, char *err, size_t errlen);

#endif
