/* session.c - the state of one TCP connection, without poll or curses. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "session.h"

static int
init_buf(struct buf *b, size_t cap, bool splice)
{
	return splice ? buf_init_splice(b, cap) : buf_init(b, cap);
}

int
session_init(struct session *s, int fd, const char *peer, size_t incap,
    size_t outcap, int flags)
{
	memset(s, 0, sizeof *s);
	s->fd = fd;
	snprintf(s->peer, sizeof s->peer, "%s", peer);
	s->started_ms = s->active_ms = clock_now_ms();
	if (init_buf(&s->in, incap, flags & SESSION_SPLICE_IN) == -1)
		return -1;
	if (init_buf(&s->out, outcap, flags & SESSION_SPLICE_OUT) == -1) {
		buf_free(&s->in);
		return -1;
	}
	return 0;
}

void
session_free(struct session *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	buf_free(&s->in);
	buf_free(&s->out);
}

short
session_events(const struct session *s)
{
	short ev = 0;

	if (s->fd == -1 || s->error != 0)
		return 0;
	if (!s->peer_eof && buf_space(&s->in) >= (s->udp.on ? UDP_RECV_MAX : 1))
		ev |= POLLIN;
	if (buf_used(&s->out) > 0 && !s->shut_wr)
		ev |= POLLOUT;
	return ev;
}

/* The n bytes just read into b (its last n), to the tap. */
static void
tap_read(struct session *s, char dir, struct buf *b, uint64_t offset, ssize_t n)
{
	const char *p;
	size_t len;

	if (s->tap == NULL || buf_spliced(b))
		return;
	p = buf_peek(b, &len);
	s->tap(s->tap_arg, dir, offset, p + len - (size_t)n, (size_t)n);
}

/*
 * We never write after our own FIN, so EPIPE on the socket is the peer's
 * reset, which a read calls ECONNRESET: one name for one event, whichever
 * call (read, write, SO_ERROR) met it first.
 */
static void
set_error(struct session *s, int e)
{
	if (s->udp.on && e == ECONNREFUSED) {	/* UDP: news, not an end */
		s->udp.refused++;
		return;
	}
	s->error = e == EPIPE ? ECONNRESET : e;
}

/* -u: one datagram; an empty one is no end of anything. */
static ssize_t
udp_readable(struct session *s)
{
	uint64_t senders = s->udp.senders;
	ssize_t n;

	n = udp_recv(&s->udp, &s->in, s->fd);
	if (n > 0)
		tap_read(s, SESSION_TAP_IN, &s->in, s->bytes_in, n);
	if (n >= 0) {
		s->bytes_in += (uint64_t)n;
		s->active_ms = clock_now_ms();
	} else if (n == -1) {
		set_error(s, errno);
	}
	if (s->udp.senders != senders)	/* -l -k: the peer is who sent last */
		snprintf(s->peer, sizeof s->peer, "%.*s",
		    (int)sizeof s->peer - 1, s->udp.from);
	return n;
}

ssize_t
session_on_readable(struct session *s)
{
	ssize_t n;

	if (s->peer_eof || s->error != 0)
		return BUF_AGAIN;
	if (s->udp.on)
		return udp_readable(s);
	n = buf_read(&s->in, s->fd);
	if (n > 0) {
		tap_read(s, SESSION_TAP_IN, &s->in, s->bytes_in, n);
		s->bytes_in += (uint64_t)n;
		s->active_ms = clock_now_ms();
	} else if (n == 0) {
		s->peer_eof = true;
	} else if (n == -1) {
		set_error(s, errno);
	}
	return n;
}

static void
maybe_shutdown(struct session *s)
{
	if (s->local_eof && buf_used(&s->out) == 0 && !s->shut_wr &&
	    !s->no_shutdown && s->error == 0) {
		(void)shutdown(s->fd, SHUT_WR);
		s->shut_wr = true;
	}
}

ssize_t
session_on_writable(struct session *s)
{
	const char *head;
	size_t len;
	ssize_t n;

	if (s->error != 0)
		return -1;
	head = buf_spliced(&s->out) ? NULL : buf_peek(&s->out, &len);
	n = s->udp.on ? udp_send(&s->udp, &s->out, s->fd) :
	    buf_write(&s->out, s->fd);
	if (n > 0) {
		/* buf_write only moves its start: head still holds them */
		if (s->tap != NULL && head != NULL)
			s->tap(s->tap_arg, SESSION_TAP_OUT, s->bytes_out, head,
			    (size_t)n);
		s->bytes_out += (uint64_t)n;
		s->active_ms = clock_now_ms();
	} else if (n == -1) {
		set_error(s, errno);
		return -1;
	}
	maybe_shutdown(s);
	return n;
}

/* The error poll reported, when the read did not return it: s.in was
 * full, or bytes queued before the reset were read first. */
static void
take_socket_error(struct session *s)
{
	socklen_t len = sizeof s->error;
	int e;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	set_error(s, e);
}

ssize_t
session_on_poll(struct session *s, short revents)
{
	ssize_t n = 0;

	if (revents & (POLLIN | POLLHUP | POLLERR))
		n = session_on_readable(s);
	if ((revents & POLLERR) && s->error == 0)
		take_socket_error(s);
	if ((revents & POLLOUT) && s->error == 0)
		(void)session_on_writable(s);
	return n;
}

void
session_end_input(struct session *s)
{
	s->local_eof = true;
	maybe_shutdown(s);
}

int
session_submit(struct session *s, const char *line, size_t len, bool crlf)
{
	const char *eol = crlf ? "\r\n" : "\n";
	size_t eollen = crlf ? 2 : 1;

	if (s->local_eof || s->error != 0 || buf_space(&s->out) < len + eollen ||
	    (s->udp.on && udp_note(&s->udp, len + eollen) == -1))
		return -1;
	buf_append(&s->out, line, len);
	buf_append(&s->out, eol, eollen);
	return 0;
}

int
session_queue(struct session *s, const char *p, size_t n)
{
	if (s->local_eof || s->error != 0 || buf_space(&s->out) < n ||
	    (s->udp.on && udp_note(&s->udp, n) == -1))
		return -1;
	buf_append(&s->out, p, n);
	return 0;
}

bool
session_finished(const struct session *s)
{
	if (s->error != 0)
		return true;
	return s->peer_eof && s->local_eof && buf_used(&s->out) == 0;
}
