/*
 * outfile.c - the non-blocking bounded writer behind -o and -x.  The open
 * itself never waits (O_NONBLOCK: a FIFO with no reader fails with ENXIO
 * instead of hanging before any socket opens); a regular file is then made
 * blocking again, since it never waits for anyone and must lose nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "outfile.h"

int
outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	int fl, e;

	memset(o, 0, sizeof *o);
	o->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, 0600);
	if (o->fd == -1)
		return -1;
	if (fstat(o->fd, &st) == -1)
		goto fail;
	o->regular = S_ISREG(st.st_mode);
	if (o->regular && ((fl = fcntl(o->fd, F_GETFL)) == -1 ||
	    fcntl(o->fd, F_SETFL, fl & ~O_NONBLOCK) == -1))
		goto fail;
	return 0;
fail:
	e = errno;
	(void)close(o->fd);
	o->fd = -1;
	errno = e;
	return -1;
}

bool
outfile_no_reader(const char *path, int error)
{
	struct stat st;

	return error == ENXIO && stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

void
outfile_shown(char *out, size_t len, const char *path)
{
	size_t i;

	snprintf(out, len, "%s", path);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

int
outfile_buffer(struct outfile *o, size_t cap)
{
	char *p;

	if ((p = realloc(o->buf, cap)) == NULL)
		return -1;
	o->buf = p;
	o->cap = cap;
	return 0;
}

/* Write p[0..n) as far as the file takes it now; the count written. */
static size_t
write_some(struct outfile *o, const char *p, size_t n)
{
	size_t done = 0;
	ssize_t k;

	while (done < n && o->error == 0) {
		k = write(o->fd, p + done, n - done);
		if (k > 0)
			done += (size_t)k;
		else if (k == -1 && errno == EINTR)
			continue;
		else if (k == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else
			o->error = k == -1 ? errno : EIO;
	}
	return done;
}

void
outfile_drain(struct outfile *o)
{
	if (o->fd == -1 || o->off == o->len) {
		o->off = o->len = 0;
		return;
	}
	o->off += write_some(o, o->buf + o->off, o->len - o->off);
	/* all written, or stopped: nothing more goes to the file */
	if (o->off == o->len || o->error != 0)
		o->off = o->len = 0;
}

void
outfile_drain_wait(struct outfile *o, int ms)
{
	int64_t end = clock_now_ms() + ms, left;
	struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
	int n;

	outfile_drain(o);
	while (o->len > o->off && o->error == 0 &&
	    (left = end - clock_now_ms()) > 0) {
		n = poll(&pfd, 1, (int)(left < ms / 10 ? left : ms / 10));
		if (n == 0 || (n == -1 && errno != EINTR))
			break;	/* nobody takes it */
		outfile_drain(o);
	}
}

/*
 * Only a file that does not keep up leaves text behind; that is moved to
 * the front then, so a regular file never costs a memmove.
 */
size_t
outfile_room(struct outfile *o, size_t need)
{
	if (o->cap - o->len < need) {
		outfile_drain(o);
		if (o->off > 0) {
			memmove(o->buf, o->buf + o->off, o->len - o->off);
			o->len -= o->off;
			o->off = 0;
		}
	}
	return o->error == 0 ? o->cap - o->len : 0;
}

bool
outfile_put(struct outfile *o, const char *p, size_t n)
{
	if (o->fd == -1 || o->error != 0)
		return false;
	if (n > o->cap && o->regular) {
		outfile_drain(o);	/* what is buffered goes first */
		return write_some(o, p, n) == n;
	}
	if (outfile_room(o, n) < n)
		return false;
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return true;
}

void
outfile_close(struct outfile *o)
{
	if (o->fd != -1)
		(void)close(o->fd);
	o->fd = -1;
	free(o->buf);
	o->buf = NULL;
	o->cap = o->off = o->len = 0;
}
