/*
 * session.c - the state of one connection, without poll or curses: its
 * buffers and half-closes, and for TLS the phases before data may move
 * (the STARTTLS exchange, the handshake, the wait for a trust decision).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "session.h"
#include "starttls.h"
#include "tls.h"

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
	s->st.fd = fd;
	s->st.held = STREAM_NOTHING_HELD;
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

/*
 * A TLS peer we leave (refused, timed out, /quit) hears close_notify, and
 * what it sent that we never read (TLS 1.3 session tickets, say) is read
 * away first: closing a socket with unread bytes sends a reset, which
 * the peer would report as a network failure.
 */
static void
tls_goodbye(struct session *s)
{
	char sink[16384];
	int i;

	if (!s->shut_wr && s->phase != SESSION_STARTTLS)
		(void)tls_shutdown(s->st.tls);
	for (i = 0; i < 16; i++)
		if (recv(s->st.fd, sink, sizeof sink, MSG_DONTWAIT) <= 0)
			break;
}

void
session_free(struct session *s)
{
	if (s->st.tls != NULL && s->st.fd != -1)
		tls_goodbye(s);
	tls_free(s->st.tls);
	s->st.tls = NULL;
	free(s->stls);
	s->stls = NULL;
	if (s->st.fd != -1)
		close(s->st.fd);
	s->st.fd = -1;
	buf_free(&s->in);
	buf_free(&s->out);
}

short
session_events(const struct session *s)
{
	short ev = 0;

	if (s->st.fd == -1 || s->error != 0)
		return 0;
	switch (s->phase) {
	case SESSION_STARTTLS:
		return POLLIN | (s->stls_outlen > 0 ? POLLOUT : 0);
	case SESSION_HANDSHAKE:
		return tls_want(s->st.tls) != 0 ? tls_want(s->st.tls) : POLLIN;
	case SESSION_HELD:
		return 0;
	case SESSION_OPEN:
		break;
	}
	/* TLS may need the other way first (a key update, a renegotiation);
	 * -u reads only when a whole datagram fits */
	if (!s->peer_eof && buf_space(&s->in) >= (s->udp.on ? UDP_RECV_MAX : 1))
		ev |= s->st.read_want != 0 ? s->st.read_want : POLLIN;
	if ((buf_used(&s->out) > 0 && !s->shut_wr) || s->shut_busy)
		ev |= s->st.write_want != 0 ? s->st.write_want : POLLOUT;
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
	const char *why = stream_error(&s->st);

	if (s->udp.on && e == ECONNREFUSED) {	/* UDP: news, not an end */
		s->udp.refused++;
		return;
	}
	s->error = e == EPIPE ? ECONNRESET : e;
	/* TLS says more than EPROTO; a reset is a reset */
	if (why != NULL && s->error != ECONNRESET && s->errmsg[0] == '\0')
		snprintf(s->errmsg, sizeof s->errmsg, "%s", why);
}

void
session_fail(struct session *s, int e, const char *msg)
{
	if (s->error != 0)
		return;
	s->error = e;
	if (msg != NULL)
		snprintf(s->errmsg, sizeof s->errmsg, "%s", msg);
}

const char *
session_error_text(const struct session *s)
{
	return s->errmsg[0] != '\0' ? s->errmsg : strerror(s->error);
}

/* -u: one datagram; an empty one is no end of anything. */
static ssize_t
udp_readable(struct session *s)
{
	uint64_t senders = s->udp.senders;
	ssize_t n;

	n = udp_recv(&s->udp, &s->in, s->st.fd);
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

	if (s->peer_eof || s->error != 0 || s->phase != SESSION_OPEN)
		return BUF_AGAIN;
	if (s->udp.on)
		return udp_readable(s);
	n = stream_read(&s->st, &s->in);
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

/* Our end once all is sent: FIN, after close_notify for TLS (which may
 * have to wait for the socket: shut_busy). */
static void
maybe_shutdown(struct session *s)
{
	if (s->phase != SESSION_OPEN)
		return;
	if (s->local_eof && buf_used(&s->out) == 0 && !s->shut_wr &&
	    !s->no_shutdown && !s->udp.on && s->error == 0) {	/* no FIN in UDP */
		if (stream_shutdown(&s->st) == BUF_AGAIN) {
			s->shut_busy = true;
			return;
		}
		s->shut_busy = false;
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
	if (s->phase != SESSION_OPEN)
		return BUF_AGAIN;
	head = buf_spliced(&s->out) ? NULL : buf_peek(&s->out, &len);
	n = s->udp.on ? udp_send(&s->udp, &s->out, s->st.fd) :
	    stream_write(&s->st, &s->out);
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

	if (getsockopt(s->st.fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	set_error(s, e);
}

/* The handshake, as far as the socket lets it go now. */
static void
step_handshake(struct session *s)
{
	int r = tls_handshake(s->st.tls);

	if (r == 1)
		s->phase = SESSION_HELD;
	else if (r == -1)
		session_fail(s, EPROTO, tls_error(s->st.tls));
}

/* Write what the STARTTLS exchange has to say. */
static void
starttls_flush(struct session *s)
{
	ssize_t n;

	if (s->stls_outlen == 0)
		return;
	n = write(s->st.fd, s->stls_out, s->stls_outlen);
	if (n > 0) {
		memmove(s->stls_out, s->stls_out + n, s->stls_outlen - (size_t)n);
		s->stls_outlen -= (size_t)n;
	} else if (n == -1 && errno != EAGAIN && errno != EINTR) {
		set_error(s, errno);
	}
}

/* The server's lines before the go-ahead, then the handshake. */
static void
step_starttls(struct session *s, short revents)
{
	char in[2048];
	const char *out;
	size_t used, len;
	ssize_t n;
	enum starttls_result r;

	if (revents & POLLOUT)
		starttls_flush(s);
	if (!(revents & (POLLIN | POLLHUP | POLLERR)) || s->error != 0)
		return;
	n = read(s->st.fd, in, sizeof in);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			set_error(s, errno);
		return;
	}
	r = starttls_feed(s->stls, in, (size_t)n, &used);
	out = starttls_out(s->stls, &len);
	if (len > sizeof s->stls_out - s->stls_outlen) {
		session_fail(s, EPROTO, _("the STARTTLS exchange had too much "
		    "to say"));
		return;
	}
	memcpy(s->stls_out + s->stls_outlen, out, len);
	s->stls_outlen += len;
	if (r == STARTTLS_FAILED) {
		session_fail(s, EPROTO, s->stls->err);
	} else if (r == STARTTLS_DONE && used < (size_t)n) {
		/* what comes before the handshake is not protected: refuse it
		 * rather than take it for part of the secure stream */
		session_fail(s, EPROTO, _("the server sent more after the "
		    "STARTTLS go-ahead, before the handshake: refused (it could "
		    "be an injection)"));
	} else if (r == STARTTLS_DONE) {
		s->phase = SESSION_HANDSHAKE;
		step_handshake(s);
	} else {
		starttls_flush(s);
	}
}

int
session_start_tls(struct session *s, struct tls *tls, struct starttls *stls)
{
	if (tls == NULL || s->phase != SESSION_OPEN || s->st.tls != NULL ||
	    buf_used(&s->out) > 0 || buf_spliced(&s->in) ||
	    buf_spliced(&s->out)) {
		tls_free(tls);
		free(stls);
		return -1;
	}
	s->st.tls = tls;
	s->stls = stls;
	if (stls != NULL) {
		s->phase = SESSION_STARTTLS;
	} else {
		s->phase = SESSION_HANDSHAKE;
		step_handshake(s);
	}
	return 0;
}

void
session_open(struct session *s)
{
	if (s->phase == SESSION_HELD)
		s->phase = SESSION_OPEN;
	maybe_shutdown(s);	/* input may have ended meanwhile */
}

bool
session_has_pending(const struct session *s)
{
	return s->phase == SESSION_OPEN && s->error == 0 && !s->peer_eof &&
	    buf_space(&s->in) > 0 && stream_pending(&s->st) > 0;
}

ssize_t
session_on_poll(struct session *s, short revents)
{
	ssize_t n = 0;
	short rd = POLLIN | POLLHUP | POLLERR, wr = POLLOUT;

	if (s->phase == SESSION_STARTTLS || s->phase == SESSION_HANDSHAKE) {
		if (s->phase == SESSION_STARTTLS)
			step_starttls(s, revents);
		else
			step_handshake(s);
		if ((revents & POLLERR) && s->error == 0 &&
		    s->phase != SESSION_OPEN)
			take_socket_error(s);
		return 0;
	}
	/* a TLS read may wait for POLLOUT, a TLS write for POLLIN */
	if (s->st.read_want == POLLOUT)
		rd |= POLLOUT;
	if (s->st.write_want == POLLIN)
		wr |= POLLIN;
	if (revents & rd)
		n = session_on_readable(s);
	if ((revents & POLLERR) && s->error == 0)
		take_socket_error(s);
	if ((revents & wr) && s->error == 0)
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
	return s->peer_eof && s->local_eof && buf_used(&s->out) == 0 &&
	    !s->shut_busy && s->phase == SESSION_OPEN;
}
