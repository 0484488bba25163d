/*
 * pipe.c - the byte pipe: stdin to the peer, the peer to stdout, untouched.
 *
 * netcat's rules (OpenBSD readwrite()): poll interest per direction for
 * backpressure, FIN once stdin is done and its bytes are sent, keep reading
 * after our FIN until the peer closes.  Bytes travel through kernel pipes
 * with splice(2) where they can, so they are never copied to user space.
 * The peer module says when a peer comes and goes; this file decides when
 * a peer is done with and when the whole run is over.  With -o a small
 * transcript frames the bytes the session tap sees into lines for the
 * record (record.c), as the chat would show them.
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

#include "clock.h"
#include "i18n.h"
#include "loop.h"
#include "opts.h"
#include "peer.h"
#include "pipe.h"
#include "record.h"
#include "session.h"
#include "starttls.h"
#include "tcpstats.h"
#include "tls.h"
#include "trace.h"
#include "transcript.h"

#define PIPE_BUFSZ	(1024 * 1024)
#define PIPE_REC_KEEP	16	/* -o: the transcript only frames lines */

struct pipe_ctx {
	const struct tt_opts	*o;
	struct loop		*loop;
	struct peer		*p;
	bool			 stdin_eof;
	bool			 stdin_had_data;
	bool			 stdin_tty;
	bool			 stdout_gone;
	int			 quit_timer;
	uint64_t		 udp_senders;	/* -u -v: the sender last said */
	struct record		*rec;		/* -o, or NULL */
	struct transcript	 tr;		/* -o: bytes -> entries */
	bool			 rec_on;	/* tr is set up, the tap is ours */
	bool			 rec_oom;	/* said: an entry was lost */
	session_tap_fn		*next_tap;	/* -x sees the bytes too */
	void			*next_arg;
};

void
pipe_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "tcptalk: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- -o: the conversation as text ---- */

static void
rec_failed(struct pipe_ctx *x)
{
	char msg[600];

	pipe_say("%s", record_failure(x->rec, msg, sizeof msg));
}

static void
rec_final_cb(void *arg, const struct sb_line *l)
{
	struct pipe_ctx *x = arg;

	if (record_write(x->rec, l) == -1)
		rec_failed(x);
}

static void
rec_lost(struct pipe_ctx *x, int rc)
{
	if (rc == -1 && !x->rec_oom) {
		x->rec_oom = true;
		pipe_say(_("out of memory: some of the conversation is not in the "
		    "transcript"));
	}
}

/* The session tap: each read and write, framed into entries, then on to
 * -x's tap. */
static void
rec_tap_cb(void *arg, char dir, uint64_t offset, const char *bytes, size_t n)
{
	struct pipe_ctx *x = arg;
	int64_t now = clock_wall_ms();

	rec_lost(x, dir == SESSION_TAP_IN ? transcript_recv(&x->tr, bytes, n,
	    now) : transcript_sent_bytes(&x->tr, bytes, n, now, false));
	if (dir == SESSION_TAP_IN && x->o->udp)	/* a read is a datagram */
		rec_lost(x, transcript_recv_end(&x->tr, now));
	if (record_flush(x->rec) == -1)	/* its lines, at once */
		rec_failed(x);
	if (x->next_tap != NULL)
		x->next_tap(x->next_arg, dir, offset, bytes, n);
}

static void __attribute__((format(printf, 2, 3)))
rec_notice(struct pipe_ctx *x, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!x->rec_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rec_lost(x, transcript_notice(&x->tr, msg, clock_wall_ms()));
	if (record_flush(x->rec) == -1)
		rec_failed(x);
}

/* A peer is gone: its open line and held tail are entries now, then the
 * line that says how it went. */
static void
rec_end(struct pipe_ctx *x, struct peer *p, enum peer_end why)
{
	if (!x->rec_on)
		return;
	transcript_peer_end(&x->tr);
	if (why == PEER_END_ERROR && p->s.error == ECONNRESET)
		rec_notice(x, _("connection with %s reset by the peer (RST)"),
		    p->s.peer);
	else if (why == PEER_END_ERROR)
		rec_notice(x, _("connection with %s lost: %s"), p->s.peer,
		    session_error_text(&p->s));
	else if (why == PEER_END_IDLE)
		rec_notice(x, _("no traffic for %.3g s: closed the connection "
		    "with %s"), x->o->idle_ms / 1000.0, p->s.peer);
	else if (why == PEER_END_CLOSED)
		rec_notice(x, _("connection with %s closed"), p->s.peer);
	else
		rec_notice(x, _("closed the connection with %s"), p->s.peer);
}

/* Before any peer: the tap sees every session's bytes. */
static int
rec_start(struct pipe_ctx *x)
{
	if (x->rec == NULL)
		return 0;
	if (transcript_init(&x->tr, PIPE_REC_KEEP, rec_final_cb, x) == -1)
		return -1;
	/* stdin's chunks are not answers: the peer's half line goes on */
	x->tr.send_keeps_open = true;
	/* a read of many lines is one write(2); without memory, one a line */
	(void)record_hold(x->rec);
	x->next_tap = x->p->tap;
	x->next_arg = x->p->tap_arg;
	x->p->tap = rec_tap_cb;
	x->p->tap_arg = x;
	x->rec_on = true;
	return 0;
}

/* The run is over: a peer still there is closed by the caller. */
static void
rec_stop(struct pipe_ctx *x)
{
	if (!x->rec_on)
		return;
	if (x->p->have_s)
		rec_end(x, x->p, PEER_END_LOCAL);
	x->p->tap = x->next_tap;
	x->p->tap_arg = x->next_arg;
	if (x->p->have_s) {
		x->p->s.tap = x->next_tap;
		x->p->s.tap_arg = x->next_arg;
	}
	transcript_free(&x->tr);
}

/* ---- stdin and stdout ---- */

static short
stdin_events_cb(void *arg)
{
	struct pipe_ctx *x = arg;
	struct session *s = &x->p->s;
	size_t need = x->o->crlf ? 2 : 1;

	if (x->o->udp)		/* room for a whole datagram */
		need = UDP_MAX_PAYLOAD;
	if (!x->p->have_s || x->stdin_eof || s->local_eof ||
	    buf_space(&s->out) < need || (s->udp.on &&
	    !udp_room(&s->udp, need)))
		return 0;
	return POLLIN;
}

/* -u: one read of stdin is one datagram (-C: its LFs sent as CRLF). */
static ssize_t
stdin_read_udp(struct pipe_ctx *x, struct session *s)
{
	char raw[UDP_MAX_PAYLOAD], conv[UDP_MAX_PAYLOAD];
	size_t want = x->o->crlf ? sizeof raw / 2 : sizeof raw, len;
	ssize_t n;

	n = read(STDIN_FILENO, raw, want);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? BUF_AGAIN : -1;
	if (n == 0)
		return 0;
	len = x->o->crlf ? crlf_convert(&s->crlf, raw, (size_t)n, conv) :
	    (size_t)n;
	(void)session_queue(s, x->o->crlf ? conv : raw, len);	/* has room */
	return n;
}

static void
stdin_ready_cb(void *arg, short revents)
{
	struct pipe_ctx *x = arg;
	struct session *s = &x->p->s;
	char raw[32768], conv[sizeof raw * 2];
	size_t want;
	ssize_t n;

	(void)revents;
	if (x->o->udp) {
		n = stdin_read_udp(x, s);
	} else if (x->o->crlf) {
		want = buf_space(&s->out) / 2;
		if (want > sizeof raw)
			want = sizeof raw;
		n = read(STDIN_FILENO, raw, want);
		if (n > 0)
			buf_append(&s->out, conv,
			    crlf_convert(&s->crlf, raw, (size_t)n, conv));
		else if (n == -1)
			n = (errno == EAGAIN || errno == EINTR) ? BUF_AGAIN : -1;
	} else {
		n = buf_read(&s->out, STDIN_FILENO);
	}
	if (n > 0) {
		x->stdin_had_data = true;
	} else if (n == 0 || n == -1) {
		if (n == -1)
			pipe_say(_("reading stdin: %s"), strerror(errno));
		x->stdin_eof = true;
		session_end_input(s);
	}
}

/* One write of received bytes to stdout; -1 once the reader is gone. */
static int
stdout_write(struct pipe_ctx *x, struct buf *in)
{
	int e;

	if (x->stdout_gone || buf_write(in, STDOUT_FILENO) != -1)
		return x->stdout_gone ? -1 : 0;
	e = errno;
	/* The reader went away (| head): nothing left to do, quietly. */
	if (e != EPIPE)
		pipe_say(_("writing stdout: %s"), strerror(e));
	x->stdout_gone = true;
	loop_stop(x->loop, e == EPIPE ? 0 : 1);
	return -1;
}

static short
stdout_events_cb(void *arg)
{
	struct pipe_ctx *x = arg;

	return x->p->have_s && !x->stdout_gone && buf_used(&x->p->s.in) > 0 ?
	    POLLOUT : 0;
}

static void
stdout_ready_cb(void *arg, short revents)
{
	struct pipe_ctx *x = arg;

	(void)revents;
	(void)stdout_write(x, &x->p->s.in);
}

/*
 * The peer is gone but what it sent first is still ours to deliver.  Wait
 * for stdout here (the session is freed after the closed hook), but give
 * up on a signal so SIGTERM still ends a run stuck on a full stdout.
 */
static void
drain_to_stdout(struct pipe_ctx *x, struct buf *in)
{
	struct pollfd pfd[2] = {
		{ STDOUT_FILENO, POLLOUT, 0 },
		{ x->loop->sigpipe[0], POLLIN, 0 },
	};

	while (buf_used(in) > 0 && stdout_write(x, in) == 0) {
		if (buf_used(in) == 0)
			break;
		if (poll(pfd, pfd[1].fd == -1 ? 1 : 2, -1) == -1 && errno != EINTR)
			break;
		if (pfd[1].revents != 0)
			break;
	}
}

/* --trace: each segment of the connection, a line on stderr. */
static void
trace_cb(void *arg, const struct tracefmt_seg *seg, const char *line)
{
	(void)arg;
	(void)seg;
	pipe_say(_("trace: %s"), line);
}

/* ---- the peer's hooks ---- */

static void
opened_cb(void *arg, struct peer *p)
{
	struct pipe_ctx *x = arg;

	if (p->trace != NULL)
		trace_peer(p->trace, p->s.st.fd);
	x->udp_senders = p->s.udp.senders;
	if (p->listening && x->o->verbose && x->o->udp)
		pipe_say(_("datagrams from %s; replies go to it"), p->s.peer);
	else if (p->listening && x->o->verbose)
		pipe_say(_("connection from %s"), p->s.peer);
	if (p->listening && x->o->udp)
		rec_notice(x, _("UDP datagrams from %s"), p->s.peer);
	else if (x->o->udp)
		rec_notice(x, _("talking with %s"), p->where);
	else if (p->listening)
		rec_notice(x, _("%s connected"), p->s.peer);
	else
		rec_notice(x, _("connected to %s"), p->where);
	if (x->stdin_eof)
		session_end_input(&p->s);	/* -k: stdin was done before */
}

/* -v: the connection's TCP facts in one line, read as it ended. */
static void
say_summary(const struct tcpinfo_conn *c)
{
	char line[512];

	pipe_say("%s", tcpinfo_summary(c, line, sizeof line));
}

static void
closed_cb(void *arg, struct peer *p, enum peer_end why)
{
	struct pipe_ctx *x = arg;
	char secs[32];
	bool more;

	if (p->trace != NULL) {		/* its segments so far, then the next */
		trace_drain(p->trace);
		trace_peer_gone(p->trace);
	}
	drain_to_stdout(x, &p->s.in);
	rec_end(x, p, why);
	loop_cancel(x->loop, x->quit_timer);
	x->quit_timer = 0;
	if (p->s.st.truncated)
		pipe_say(_("%s ended the TLS stream without close_notify: what came "
		    "may be cut short"), p->s.peer);
	if (why == PEER_END_ERROR) {
		/* TRANSLATORS: an address, then what went wrong with it. */
		pipe_say(_("%s: %s"), p->s.peer, session_error_text(&p->s));
	} else if (why == PEER_END_IDLE) {
		snprintf(secs, sizeof secs, "%.3g", x->o->idle_ms / 1000.0);
		pipe_say(_("no traffic for %s s, closing %s"), secs, p->s.peer);
	} else if (x->o->verbose) {
		pipe_say(_("%s closed the connection"), p->s.peer);
	}
	if (x->o->verbose)
		say_summary(&p->last);
	/* -k serves the next peer, unless stdin was had and is used up. */
	more = p->listening && x->o->keep_open &&
	    !(x->stdin_eof && x->stdin_had_data);
	if (!more)
		loop_stop(x->loop, why == PEER_END_ERROR || why == PEER_END_IDLE);
}

/* -v: what TLS agreed and who was verified, as the chat's status line
 * says it; the STARTTLS exchange first. */
static void
secured_cb(void *arg, struct peer *p)
{
	struct pipe_ctx *x = arg;
	const struct tls_info *i = &p->tls_info;
	char who[300];

	if (!x->o->verbose)
		return;
	if (p->s.stls != NULL && p->s.stls->loglen > 0)
		fprintf(stderr, "%s", p->s.stls->log);
	/* TRANSLATORS: the peer, the TLS version (TLSv1.3), the cipher, then
	 * (with ALPN) the protocol agreed (h2), and the trust words, e.g.
	 * "certificate verified". */
	if (i->alpn[0] != '\0')
		pipe_say(_("TLS with %s: %s %s, ALPN %s, %s"), p->s.peer, i->version,
		    i->cipher, i->alpn, tls_trust_words(i, who, sizeof who));
	else
		pipe_say(_("TLS with %s: %s %s, %s"), p->s.peer, i->version,
		    i->cipher, tls_trust_words(i, who, sizeof who));
	rec_notice(x, _("TLS with %s: %s %s, %s"), p->s.peer, i->version,
	    i->cipher, who);
}

static void
waiting_cb(void *arg, struct peer *p)
{
	struct pipe_ctx *x = arg;

	if (x->o->verbose && p->nwaiting > 0)
		pipe_say(_("%s waits for its turn"),
		    p->waiting_addr[p->nwaiting - 1]);
}

static void
dropped_cb(void *arg, struct peer *p, const char *msg)
{
	(void)arg;
	(void)p;
	pipe_say("%s", msg);
}

/* ---- the run ---- */

static void
quit_cb(void *arg)
{
	struct pipe_ctx *x = arg;

	x->quit_timer = 0;
	loop_stop(x->loop, 0);
}

/* -q: stdin is done and sent; quit after the delay even if the peer stays. */
static void
arm_quit(struct pipe_ctx *x)
{
	if (x->quit_timer != 0)
		return;
	x->quit_timer = loop_after(x->loop, x->o->quit_ms, quit_cb, x);
	if (x->quit_timer == -1)
		loop_stop(x->loop, 0);	/* no timer slot: quit now, not never */
}

/*
 * After every wake-up: is the peer done with?  The peer module ends a
 * peer on an error or once nothing can move; here the pipe decides to
 * send its own FIN when the peer has closed and waiting makes no sense.
 */
/*
 * -u: an ICMP port unreachable ends the pipe (exit 1), as a refused TCP
 * connect would, with what came before it written first; -v says when
 * another sender speaks (-l -k: replies go to it now).  True: stopped.
 */
static bool
check_udp(struct pipe_ctx *x, struct session *s)
{
	/* the first sender was said when it came: from the second on */
	if (x->o->verbose && s->udp.senders != x->udp_senders &&
	    s->udp.senders > 1) {
		x->udp_senders = s->udp.senders;
		pipe_say(_("datagrams now come from %s; replies go to it"), s->peer);
	}
	if (s->udp.refused == 0)
		return false;
	drain_to_stdout(x, &s->in);
	pipe_say(_("%s refused the datagram: connection refused (nothing listens "
	    "on that UDP port)"), s->peer);
	loop_stop(x->loop, 1);
	return true;
}

static void
check_cb(void *arg)
{
	struct pipe_ctx *x = arg;
	struct session *s = &x->p->s;

	if (x->p->have_s && s->udp.on && check_udp(x, s))
		return;
	if (!x->p->have_s || s->error != 0 || buf_used(&s->in) > 0)
		return;		/* stdout first: nothing received is lost */
	if (s->peer_eof && !s->local_eof &&
	    (x->stdin_tty || x->o->keep_open) &&
	    (x->stdin_tty || buf_used(&s->out) == 0)) {
		/*
		 * The peer is done.  What a file or pipe on stdin still holds
		 * goes out first (nc's file transfer), unless -k has the next
		 * peer waiting; a terminal has nothing pending, so don't sit in
		 * CLOSE_WAIT for it.
		 */
		if (buf_used(&s->out) > 0)
			peer_end(x->p, PEER_END_CLOSED);
		else
			session_end_input(s);	/* finished: the peer ends it */
		return;
	}
	if (x->stdin_eof && x->o->quit_ms >= 0 && buf_used(&s->out) == 0)
		arm_quit(x);
}

static void
signal_cb(void *arg, int signo)
{
	struct pipe_ctx *x = arg;

	loop_stop(x->loop, 128 + signo);
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

static int
setup(struct pipe_ctx *x)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	const struct peer_hooks hooks = { opened_cb, NULL, closed_cb,
	    waiting_cb, dropped_cb, x, secured_cb, NULL };
	/* -x and -o must see the bytes: spliced ones never reach user space */
	int flags = x->o->hex_dump != NULL || x->rec != NULL || x->o->udp ? 0 :
	    SESSION_SPLICE_IN | (x->o->crlf ? 0 : SESSION_SPLICE_OUT);

	if (loop_signals(x->loop, sigs, 3, signal_cb, x) == -1) {
		pipe_say(_("signals: %s"), strerror(errno));
		return -1;
	}
	if (loop_add(x->loop, STDIN_FILENO, stdin_events_cb, stdin_ready_cb,
	    x) == -1 || loop_add(x->loop, STDOUT_FILENO, stdout_events_cb,
	    stdout_ready_cb, x) == -1) {
		pipe_say(_("too many files to watch"));
		return -1;
	}
	x->loop->before_sleep = check_cb;
	x->loop->hook_arg = x;
	if (x->p->listening && x->o->verbose)
		pipe_say("%s", x->p->where);
	/* the self-signed certificate: made once, said once; then its
	 * fingerprint, for the other side's --tls-pin */
	if (x->p->listening && x->p->tls_note[0] != '\0')
		pipe_say("%s", x->p->tls_note);
	if (x->p->listening && x->o->tls && x->o->verbose)
		pipe_say(_("TLS certificate %s"),
		    tls_ctx_fingerprint(x->p->tls_ctx));
	if (rec_start(x) == -1) {
		pipe_say(_("out of memory"));
		return -1;
	}
	if (x->p->trace != NULL)
		trace_set_hook(x->p->trace, trace_cb, x);
	if (peer_start(x->p, &hooks, PIPE_BUFSZ, PIPE_BUFSZ, flags) == -1) {
		pipe_say(_("out of memory"));
		return -1;
	}
	return 0;
}

int
pipe_run(const struct tt_opts *o, struct loop *loop, struct peer *p,
    struct record *rec)
{
	struct pipe_ctx x = { .o = o, .loop = loop, .p = p, .rec = rec };
	uint64_t dropped;
	int status = 1;

	x.stdin_tty = isatty(STDIN_FILENO);
	widen_pipe(STDIN_FILENO);
	widen_pipe(STDOUT_FILENO);
	if (setup(&x) == 0) {
		status = loop_run(loop);
		if (status == -1) {
			pipe_say(_("poll: %s"), strerror(loop->err));
			status = 1;
		}
		/* -q or a signal ended the run with the peer still there */
		if (p->have_s && o->verbose) {
			tcpstats_take(&p->last, &p->s, "local", p->last_local,
			    sizeof p->last_local);
			say_summary(&p->last);
		}
	}
	/* The peer and the loop outlive this frame: unhook from both. */
	if (p->trace != NULL) {
		trace_drain(p->trace);
		trace_set_hook(p->trace, NULL, NULL);
		dropped = trace_dropped(p->trace);
		if (dropped > 0)
			pipe_say(P_("trace: %llu segment was not captured: the "
			    "capture buffer was full", "trace: %llu segments were "
			    "not captured: the capture buffer was full", dropped),
			    (unsigned long long)dropped);
	}
	loop_cancel(loop, x.quit_timer);
	loop_del(loop, STDIN_FILENO);
	loop_del(loop, STDOUT_FILENO);
	loop->before_sleep = NULL;
	p->hooks = (struct peer_hooks){ 0 };
	rec_stop(&x);
	return status;
}
