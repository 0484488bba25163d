/* buf.c - bounded byte FIFO with read(2)/write(2) or splice(2) to move bytes. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

int
buf_init(struct buf *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->pipe[0] = b->pipe[1] = -1;
	b->cap = cap;
	b->data = malloc(cap);
	return b->data == NULL ? -1 : 0;
}

int
buf_init_splice(struct buf *b, size_t cap)
{
	int sz;

	memset(b, 0, sizeof *b);
	b->pipe[0] = b->pipe[1] = -1;
	if (pipe2(b->pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		return buf_init(b, cap);
	/* A bigger pipe means fewer, larger splices; keep what we get. */
	(void)fcntl(b->pipe[0], F_SETPIPE_SZ, (int)cap);
	sz = fcntl(b->pipe[0], F_GETPIPE_SZ);
	b->cap = sz > 0 ? (size_t)sz : 65536;
	return 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	if (b->pipe[0] != -1) {
		close(b->pipe[0]);
		close(b->pipe[1]);
	}
	b->pipe[0] = b->pipe[1] = -1;
	b->len = b->off = 0;
}

size_t
buf_used(const struct buf *b)
{
	return b->len;
}

size_t
buf_space(const struct buf *b)
{
	return b->full ? 0 : b->cap - b->len;
}

bool
buf_spliced(const struct buf *b)
{
	return b->pipe[0] != -1;
}

void
buf_clear(struct buf *b)
{
	char tmp[4096];

	if (buf_spliced(b))
		while (read(b->pipe[0], tmp, sizeof tmp) > 0)
			;
	b->len = b->off = 0;
	b->full = false;
}

/* Make the free space contiguous at the end. */
static void
compact(struct buf *b)
{
	if (b->off == 0)
		return;
	if (b->len > 0)
		memmove(b->data, b->data + b->off, b->len);
	b->off = 0;
}

size_t
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > buf_space(b))
		n = buf_space(b);
	if (b->off + b->len + n > b->cap)
		compact(b);
	memcpy(b->data + b->off + b->len, p, n);
	b->len += n;
	return n;
}

const char *
buf_peek(const struct buf *b, size_t *len)
{
	*len = b->len;
	return b->data + b->off;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n > b->len)
		n = b->len;
	b->off += n;
	b->len -= n;
	if (b->len == 0)
		b->off = 0;
}

void
buf_drop_tail(struct buf *b, size_t n)
{
	b->len -= n < b->len ? n : b->len;
	if (b->len == 0)
		b->off = 0;
}

char *
buf_room(struct buf *b, size_t *len)
{
	if (b->off + b->len == b->cap)
		compact(b);
	*len = b->cap - b->off - b->len;
	return b->data + b->off + b->len;
}

void
buf_commit(struct buf *b, size_t n)
{
	b->len += n;
}

/*
 * splice(2) refused this kind of file (EINVAL): move what the kernel pipe
 * holds into memory and carry on with read/write, losing nothing.
 */
static int
unsplice(struct buf *b)
{
	size_t held = b->len;
	ssize_t n;
	char *data;

	if ((data = malloc(b->cap)) == NULL)
		return -1;
	while (held > 0 && (n = read(b->pipe[0], data + (b->len - held), held)) > 0)
		held -= (size_t)n;
	close(b->pipe[0]);
	close(b->pipe[1]);
	b->pipe[0] = b->pipe[1] = -1;
	b->data = data;
	b->off = 0;
	b->len -= held;
	b->full = false;
	return 0;
}

static ssize_t
result(ssize_t n)
{
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return BUF_AGAIN;
	return -1;
}

/*
 * A splice into the kernel pipe found no room.  EAGAIN may also mean the
 * source had nothing, so ask the pipe itself: it is writable while it has
 * a free slot.
 */
static bool
pipe_full(const struct buf *b)
{
	struct pollfd pfd = { b->pipe[1], POLLOUT, 0 };

	return b->len > 0 && poll(&pfd, 1, 0) == 0;
}

ssize_t
buf_read(struct buf *b, int fd)
{
	ssize_t n;

	if (buf_space(b) == 0)
		return BUF_AGAIN;
	if (buf_spliced(b)) {
		n = splice(fd, NULL, b->pipe[1], NULL, buf_space(b),
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n == -1 && errno == EINVAL) {
			if (unsplice(b) == -1)
				return -1;
			return buf_read(b, fd);
		}
		if (n == -1 && errno == EAGAIN && pipe_full(b)) {
			b->full = true;
			errno = EAGAIN;
		}
	} else {
		if (b->off + b->len == b->cap)
			compact(b);
		n = read(fd, b->data + b->off + b->len, b->cap - b->off - b->len);
	}
	if (n > 0)
		b->len += (size_t)n;
	return result(n);
}

ssize_t
buf_write(struct buf *b, int fd)
{
	ssize_t n;

	if (b->len == 0)
		return 0;
	if (buf_spliced(b)) {
		n = splice(b->pipe[0], NULL, fd, NULL, b->len,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n == -1 && errno == EINVAL) {
			if (unsplice(b) == -1)
				return -1;
			return buf_write(b, fd);
		}
		if (n > 0)
			b->len -= (size_t)n;
	} else {
		n = write(fd, b->data + b->off, b->len);
		if (n > 0)
			buf_consume(b, (size_t)n);
	}
	/* A slot may be free now; if not, the next read finds out. */
	if (n > 0)
		b->full = false;
	return result(n);
}
