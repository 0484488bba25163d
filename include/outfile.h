/*
 * outfile.h - a file tcptalk writes as it runs (-o, -x) that must never
 * stop the loop.  A regular file gets ordinary writes: it always keeps up
 * (or fails).  Anything else (a FIFO, a terminal after Ctrl-S, a device)
 * stays non-blocking, and what it does not take now waits in a bounded
 * buffer; what has no room there is the caller's to leave out and count.
 */
#ifndef TCPTALK_OUTFILE_H
#define TCPTALK_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

struct outfile {
	int	 fd;		/* -1: not open */
	bool	 regular;	/* writes never wait for a reader */
	char	*buf;		/* cap bytes, or NULL: nothing buffered */
	size_t	 cap;
	size_t	 off;		/* buf[off..len) is not written yet */
	size_t	 len;
	int	 error;		/* errno of a failed write: nothing more goes */
};

/* Create FILE (mode 0600) or append to it, never waiting for a reader;
 * -1 with errno (ENXIO: a FIFO nobody reads, see outfile_no_reader). */
int	outfile_open(struct outfile *, const char *path);
/* Whether a failed open (error) was of a FIFO that has no reader. */
bool	outfile_no_reader(const char *path, int error);
/* The path for a message, control characters as '?'. */
void	outfile_shown(char *out, size_t len, const char *path);
/* A buffer of cap bytes; -1 when out of memory. */
int	outfile_buffer(struct outfile *, size_t cap);
/* Write what is buffered, as far as the file takes it now. */
void	outfile_drain(struct outfile *);
/* Drain, waiting up to ms in all for a file that does not keep up; gives
 * up early once it takes nothing for a tenth of that. */
void	outfile_drain_wait(struct outfile *, int ms);
/* The room at the end of the buffer, writing first when it has less than
 * need; 0 once a write failed. */
size_t	outfile_room(struct outfile *, size_t need);
/* n bytes, whole or not at all: buffered, or (a regular file, more than
 * the buffer holds) written at once after what is buffered.  false when
 * there is no room for them now or a write failed (error). */
bool	outfile_put(struct outfile *, const char *p, size_t n);
/* Close and free; what is still buffered is not written. */
void	outfile_close(struct outfile *);

#endif
