/*
 * pipe.c - the byte pipe: stdin to the peer, the peer to stdout, untouched.
 *
 * netcat's rules (OpenBSD readwrite()): poll interest per direction for
 * backpressure, FIN once stdin is done and its bytes are sent, keep reading
 * after our FIN until the peer closes.  Bytes travel through kernel pipes
 * with splice(2) where they can, so they are never copied to user space.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listener.h"
#include "clock.h"
#include "loop.h"
#include "opts.h"
#include "pipe.h"
#include "session.h"

#define PIPE_BUFSZ	(1024 * 1024)

struct pipe_ctx {
	const struct tt_opts	*o;
	struct loop		 loop;
	struct listener		 lst;
	bool			 listening;
	struct session		 s;
	bool			 have_s;
	bool			 stdin_eof;
	bool			 stdin_had_data;
	bool			 stdin_tty;
	int			 quit_timer;
	int			 idle_timer;
};

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "tcptalk: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static short sock_events_cb(void *);
static void sock_ready_cb(void *, short);

static int
start_session(struct pipe_ctx *p, int fd, const char *peer)
{
	int flags = SESSION_SPLICE_IN | (p->o->crlf ? 0 : SESSION_SPLICE_OUT);

	if (session_init(&p->s, fd, peer, PIPE_BUFSZ, PIPE_BUFSZ, flags) == -1) {
		close(fd);
		return -1;
	}
	p->s.no_shutdown = p->o->no_shutdown;
	p->have_s = true;
	loop_add(&p->loop, fd, sock_events_cb, sock_ready_cb, p);
	if (p->stdin_eof)
		session_end_input(&p->s);
	return 0;
}

static void
end_session(struct pipe_ctx *p)
{
	loop_del(&p->loop, p->s.fd);
	session_free(&p->s);
	p->have_s = false;
	loop_cancel(&p->loop, p->quit_timer);
	p->quit_timer = 0;
}

static void
accept_cb(void *arg, int fd, const char *peer)
{
	struct pipe_ctx *p = arg;

	if (p->o->verbose)
		say("connection from %s", peer);
	if (start_session(p, fd, peer) == -1) {
		say("out of memory for %s", peer);
		return;
	}
	p->lst.active = false;
	if (!p->o->keep_open)
		listener_close(&p->lst);	/* later peers are refused, as nc does */
}

static short
stdin_events_cb(void *arg)
{
	struct pipe_ctx *p = arg;
	size_t need = p->o->crlf ? 2 : 1;

	if (!p->have_s || p->stdin_eof || p->s.local_eof ||
	    buf_space(&p->s.out) < need)
		return 0;
	return POLLIN;
}

static void
stdin_ready_cb(void *arg, short revents)
{
	struct pipe_ctx *p = arg;
	char raw[32768], conv[sizeof raw * 2];
	size_t want;
	ssize_t n;

	(void)revents;
	if (p->o->crlf) {
		want = buf_space(&p->s.out) / 2;
		if (want > sizeof raw)
			want = sizeof raw;
		n = read(STDIN_FILENO, raw, want);
		if (n > 0)
			buf_append(&p->s.out, conv,
			    crlf_convert(&p->s.crlf, raw, (size_t)n, conv));
		else if (n == -1)
			n = (errno == EAGAIN || errno == EINTR) ? BUF_AGAIN : -1;
	} else {
		n = buf_read(&p->s.out, STDIN_FILENO);
	}
	if (n > 0) {
		p->stdin_had_data = true;
	} else if (n == 0 || n == -1) {
		if (n == -1)
			say("reading stdin: %s", strerror(errno));
		p->stdin_eof = true;
		session_end_input(&p->s);
	}
}

static short
stdout_events_cb(void *arg)
{
	struct pipe_ctx *p = arg;

	return p->have_s && buf_used(&p->s.in) > 0 ? POLLOUT : 0;
}

static void
stdout_ready_cb(void *arg, short revents)
{
	struct pipe_ctx *p = arg;

	(void)revents;
	if (buf_write(&p->s.in, STDOUT_FILENO) == -1) {
		/* The reader went away (| head): nothing left to do, quietly. */
		if (errno != EPIPE)
			say("writing stdout: %s", strerror(errno));
		loop_stop(&p->loop, errno == EPIPE ? 0 : 1);
	}
}

static short
sock_events_cb(void *arg)
{
	struct pipe_ctx *p = arg;

	return p->have_s ? session_events(&p->s) : 0;
}

static void
sock_ready_cb(void *arg, short revents)
{
	struct pipe_ctx *p = arg;

	(void)session_on_poll(&p->s, revents);
}

static void
quit_cb(void *arg)
{
	struct pipe_ctx *p = arg;

	p->quit_timer = 0;
	loop_stop(&p->loop, 0);
}

static void
idle_cb(void *arg)
{
	struct pipe_ctx *p = arg;
	int64_t idle = 0;
	char secs[32];

	if (p->have_s)
		idle = clock_now_ms() - p->s.active_ms;
	if (idle >= p->o->idle_ms) {
		snprintf(secs, sizeof secs, "%.3g", p->o->idle_ms / 1000.0);
		say("no traffic for %s s, closing %s", secs, p->s.peer);
		loop_stop(&p->loop, 1);
		return;
	}
	p->idle_timer = loop_after(&p->loop, (int)(p->o->idle_ms - idle), idle_cb, p);
}

/* After every wake-up: decide whether this peer, or the whole run, is over. */
static void
check_cb(void *arg)
{
	struct pipe_ctx *p = arg;
	bool next;

	if (!p->have_s) {
		/* -k with stdin used up between peers: nothing more to serve. */
		if (p->stdin_eof && p->stdin_had_data)
			loop_stop(&p->loop, 0);
		return;
	}
	if (buf_used(&p->s.in) > 0)
		return;		/* stdout first: nothing received is lost */
	next = p->listening && p->o->keep_open &&
	    !(p->stdin_eof && p->stdin_had_data);
	if (p->s.error != 0) {
		say("%s: %s", p->s.peer, strerror(p->s.error));
		if (!next) {
			loop_stop(&p->loop, 1);
			return;
		}
	} else if (p->s.peer_eof && (p->stdin_tty || buf_used(&p->s.out) == 0) &&
	    (p->stdin_tty || p->stdin_eof || p->o->keep_open)) {
		/*
		 * The peer is done.  What a file or pipe on stdin still holds
		 * goes out first (nc's file transfer), unless -k has the next
		 * peer waiting; a terminal has nothing pending, so don't sit in
		 * CLOSE_WAIT for it.
		 */
		if (p->o->verbose)
			say("%s closed the connection", p->s.peer);
		if (!next) {
			loop_stop(&p->loop, 0);
			return;
		}
	} else {
		if (p->stdin_eof && p->o->quit_ms >= 0 && p->quit_timer == 0 &&
		    buf_used(&p->s.out) == 0)
			p->quit_timer = loop_after(&p->loop, p->o->quit_ms, quit_cb, p);
		return;
	}
	end_session(p);
	p->lst.active = true;
}

/* A pipe on stdin or stdout grown to our buffer size lets the process at
 * the other end move bigger chunks with fewer wake-ups. */
static void
widen_pipe(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    fcntl(fd, F_GETPIPE_SZ) < PIPE_BUFSZ)
		(void)fcntl(fd, F_SETPIPE_SZ, PIPE_BUFSZ);
}

int
pipe_run(const struct tt_opts *o, int fd, const char *peer)
{
	struct pipe_ctx *p;
	char err[512];
	int status;

	if ((p = calloc(1, sizeof *p)) == NULL) {
		fprintf(stderr, "tcptalk: out of memory\n");
		return 1;
	}
	p->o = o;
	p->stdin_tty = isatty(STDIN_FILENO);
	widen_pipe(STDIN_FILENO);
	widen_pipe(STDOUT_FILENO);
	loop_init(&p->loop);
	p->loop.before_sleep = check_cb;
	p->loop.hook_arg = p;
	if (fd == -1) {
		if (listener_open(&p->lst, o, &p->loop, accept_cb, p, err,
		    sizeof err) == -1) {
			fprintf(stderr, "tcptalk: %s\n", err);
			free(p);
			return 1;
		}
		p->listening = true;
		if (o->verbose)
			say("listening on %s", p->lst.desc);
	} else if (start_session(p, fd, peer) == -1) {
		fprintf(stderr, "tcptalk: out of memory\n");
		free(p);
		return 1;
	}
	loop_add(&p->loop, STDIN_FILENO, stdin_events_cb, stdin_ready_cb, p);
	loop_add(&p->loop, STDOUT_FILENO, stdout_events_cb, stdout_ready_cb, p);
	if (o->idle_ms >= 0)
		p->idle_timer = loop_after(&p->loop, o->idle_ms, idle_cb, p);
	status = loop_run(&p->loop);
	if (status == -1) {
		fprintf(stderr, "tcptalk: poll: %s\n", strerror(errno));
		status = 1;
	}
	if (p->have_s)
		session_free(&p->s);
	if (p->listening)
		listener_close(&p->lst);
	loop_free(&p->loop);
	free(p);
	return status;
}
