/*
 * stream.c - read, write and half-close a connected stream, plain or TLS,
 * into and out of the session's buffers.  The plain case is buf.c's own
 * read/write (splice where it can); TLS goes through tls.c with a memory
 * buffer, and remembers which way the socket must turn before a retry
 * (a TLS read can need the socket writable, and the other way round).
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "stream.h"
#include "tls.h"

/* A TLS failure is a reset or a protocol error; errno may be stale. */
static void
tls_errno(void)
{
	if (errno != ECONNRESET && errno != EPIPE && errno != ETIMEDOUT)
		errno = EPROTO;
}

ssize_t
stream_read(struct stream *st, struct buf *b)
{
	size_t room;
	char *p;
	ssize_t n, total = 0;

	if (st->tls == NULL)
		return buf_read(b, st->fd);
	if (st->held != STREAM_NOTHING_HELD) {
		n = st->held;
		errno = st->held_errno;
		st->held = STREAM_NOTHING_HELD;
		return n;
	}
	st->read_want = 0;
	/* Take all OpenSSL has decrypted while there is room: what stays
	 * inside it would wait for a poll event that never comes. */
	while ((p = buf_room(b, &room)) != NULL && room > 0) {
		n = tls_read(st->tls, p, room);
		if (n > 0) {
			buf_commit(b, (size_t)n);
			total += n;
			continue;
		}
		if (n == TLS_AGAIN) {
			st->read_want = tls_want(st->tls);
			break;
		}
		if (n == 0)
			st->truncated = tls_truncated(st->tls);
		else
			tls_errno();
		if (total > 0) {
			/* the bytes first; the end or the error at the next
			 * call, which stream_pending asks for (no poll event
			 * will: the socket may have nothing more) */
			st->held = (int)n;
			st->held_errno = errno;
			break;
		}
		return n;
	}
	return total > 0 ? total : BUF_AGAIN;
}

ssize_t
stream_write(struct stream *st, struct buf *b)
{
	const char *p;
	size_t len;
	ssize_t n, total = 0;

	if (st->tls == NULL) {
		if ((n = buf_write(b, st->fd)) > 0) {
			st->written += (uint64_t)n;
			st->wire_plain += (uint64_t)n;
			if (st->wrote_cb != NULL)
				st->wrote_cb(st->wrote_arg, st);
		}
		return n;
	}
	st->write_want = 0;
	/* A record per call: go on until the socket is full, so the buffer
	 * empties (and need not be compacted, a memmove of all it holds,
	 * before the next read into it). */
	while ((p = buf_peek(b, &len)), len > 0) {
		n = tls_write(st->tls, p, len);
		if (n > 0) {
			buf_consume(b, (size_t)n);
			total += n;
			/* one record went whole: its last plain byte is on
			 * the wire at this count */
			st->written += (uint64_t)n;
			if (st->wrote_cb != NULL)
				st->wrote_cb(st->wrote_arg, st);
			continue;
		}
		if (n == TLS_AGAIN)
			st->write_want = tls_want(st->tls);
		else if (total == 0)
			tls_errno();
		if (total == 0)
			return n;
		break;		/* the error comes again next call */
	}
	return total;
}

int
stream_shutdown(struct stream *st)
{
	int r;

	if (st->tls != NULL) {
		st->write_want = 0;
		r = tls_shutdown(st->tls);
		if (r == TLS_AGAIN) {
			st->write_want = tls_want(st->tls);
			return BUF_AGAIN;
		}
		/* r == -1: TLS is broken (the peer went without close_notify,
		 * say); its FIN is still ours to send */
	}
	return shutdown(st->fd, SHUT_WR) == -1 && errno != ENOTCONN ? -1 : 0;
}

size_t
stream_pending(const struct stream *st)
{
	if (st->tls == NULL)
		return 0;
	return st->held != STREAM_NOTHING_HELD ? 1 : tls_pending(st->tls);
}

uint64_t
stream_wire(const struct stream *st)
{
	return st->wire_plain + (st->tls != NULL ? tls_wire_written(st->tls) :
	    0);
}

const char *
stream_error(const struct stream *st)
{
	return st->tls != NULL ? tls_error(st->tls) : NULL;
}
