/* buf.h - a bounded byte FIFO, in memory or (for the byte pipe) in a kernel pipe. */
#ifndef TCPTALK_BUF_H
#define TCPTALK_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define BUF_AGAIN	(-2)	/* EAGAIN or EINTR: no progress, try after poll */

struct buf {
	char	*data;		/* memory backend; NULL while spliced */
	size_t	 cap;
	size_t	 off;		/* first unread byte in data */
	size_t	 len;		/* bytes held */
	int	 pipe[2];	/* kernel pipe backend for splice(2); -1 if none */
	bool	 full;		/* the kernel pipe refused bytes: no room until
				 * some leave (see buf_space) */
};

int	 buf_init(struct buf *, size_t cap);
/* Hold bytes in a kernel pipe and move them with splice(2), so they never
 * enter user space.  Falls back to memory if pipes cannot be had. */
int	 buf_init_splice(struct buf *, size_t cap);
void	 buf_free(struct buf *);
size_t	 buf_used(const struct buf *);
/*
 * Room for more bytes.  A kernel pipe counts its room in page slots, not
 * bytes: small segments from a socket, or a page partly sent, take a whole
 * slot, so the pipe can be full while it holds less than cap.  Once a
 * splice into it is refused for want of a slot the space is 0 until a
 * buf_write moves bytes out; so nobody polls a source it cannot take from.
 */
size_t	 buf_space(const struct buf *);
bool	 buf_spliced(const struct buf *);
void	 buf_clear(struct buf *);

/* Memory backend only. */
size_t	 buf_append(struct buf *, const void *, size_t);
const char *buf_peek(const struct buf *, size_t *len);
void	 buf_consume(struct buf *, size_t);
/* Forget the newest n bytes (at most all held): queued, then taken back. */
void	 buf_drop_tail(struct buf *, size_t n);

/* The free room at the end, in one piece (compacted first if need be),
 * for a reader that is not a file descriptor (TLS); buf_commit(n) then
 * adds the n bytes written there. */
char	*buf_room(struct buf *, size_t *len);
void	 buf_commit(struct buf *, size_t n);

/* >0 bytes moved, 0 end of file (read only), BUF_AGAIN, -1 error (errno). */
ssize_t	 buf_read(struct buf *, int fd);
ssize_t	 buf_write(struct buf *, int fd);

#endif
