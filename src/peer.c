/*
 * peer.c - one peer's life: listen or dial, take the socket into a session,
 * hold the next peers under -k, the idle timer, and the end.  The mode
 * hears of it through hooks and never sees accept(), timers or slots.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "loop.h"
#include "net.h"
#include "opts.h"
#include "peer.h"
#include "proxy.h"
#include "starttls.h"
#include "tcpinfo.h"
#include "tcpstats.h"

/* Linux's TCP states (TCP_INFO's tcpi_state) judge_fin needs */
#define PEER_TCP_CLOSE		7
#define PEER_TCP_CLOSE_WAIT	8
#define PEER_TCP_LAST_ACK	9

static short	sock_events_cb(void *);
static void	sock_ready_cb(void *, short);
static void	idle_cb(void *);
static void	tls_timeout_cb(void *);
static void	tls_judge(struct peer *);

/* enum peer_end in --stats-json's words */
static const char *const end_word[] = { "closed", "error", "idle", "local" };

void
peer_init(struct peer *p, const struct tt_opts *o, struct loop *loop)
{
	memset(p, 0, sizeof *p);
	p->o = o;
	p->loop = loop;
	p->listening = o->listen;
	p->conn_fd = -1;
	p->s.st.fd = -1;
	p->state_dir = peer_state_dir(p->state_buf, sizeof p->state_buf);
}

static int
dial(struct peer *p, char *err, size_t errlen)
{
	p->connect_us = -1;
	if (p->o->unix_path != NULL) {
		/* "unix:/run/x.sock (pid 42 uid 0)": the path and who listens */
		p->conn_fd = net_connect_unix(p->o, p->conn_addr,
		    sizeof p->conn_addr, err, errlen);
		if (p->conn_fd == -1)
			return -1;
		snprintf(p->where, sizeof p->where, "%s", p->conn_addr);
		return 0;
	}
	if (p->o->proxy != NULL) {	/* --proxy: the handshake too */
		p->conn_fd = proxy_connect(p->o, p->conn_addr,
		    sizeof p->conn_addr, err, errlen);
		if (p->conn_fd == -1)
			return -1;
		proxy_where(p->o, p->where, sizeof p->where);
		return 0;
	}
	p->conn_fd = net_connect(p->o, p->conn_addr, sizeof p->conn_addr, err,
	    errlen, p->o->udp ? NULL : &p->connect_us);
	if (p->conn_fd == -1)
		return -1;
	/* "localhost 8888 (127.0.0.1:8888)", but a number once: "127.0.0.1:8888";
	 * "udp 127.0.0.1:53" with -u */
	snprintf(p->where, sizeof p->where, "%s%s:%s", p->o->udp ? "udp " : "",
	    p->o->host, p->o->port);
	if (strcmp(p->where + (p->o->udp ? 4 : 0), p->conn_addr) != 0)
		snprintf(p->where, sizeof p->where, "%s%s %s (%s)", p->o->udp ?
		    "udp " : "", p->o->host, p->o->port, p->conn_addr);
	return 0;
}

const char *
peer_state_dir(char *out, size_t outlen)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (state != NULL && *state == '/')
		snprintf(out, outlen, "%s/tcptalk", state);
	else if (home != NULL && *home == '/')
		snprintf(out, outlen, "%s/.local/state/tcptalk", home);
	else
		return NULL;
	return out;
}

/* --tls: the configuration before any socket, so a bad certificate file
 * is a start-up error. */
static int
tls_setup(struct peer *p, char *err, size_t errlen)
{
	if (p->tls_ctx != NULL)
		return 0;
	p->tls_ctx = tls_ctx_new(p->o, p->state_dir, p->tls_note,
	    sizeof p->tls_note, err, errlen);
	return p->tls_ctx != NULL ? 0 : -1;
}

int
peer_open(struct peer *p, char *err, size_t errlen)
{
	if (p->o->tls && tls_setup(p, err, errlen) == -1)
		return -1;
	if (!p->listening)
		return dial(p, err, errlen);
	if (listener_bind(&p->lst, p->o, err, errlen) == -1)
		return -1;
	snprintf(p->where, sizeof p->where, _("listening on %s"), p->lst.desc);
	return 0;
}

/*
 * Poll the listener only when an accept has somewhere to go: without -k
 * while no peer is connected, under -k while the waiting queue has room.
 */
static void
listener_update(struct peer *p)
{
	if (p->lst.n == 0 || p->lst.loop == NULL)
		return;
	/* -u: the peer's socket is the listener's, so one at a time */
	if (p->o->keep_open && !p->o->udp)
		p->lst.active = p->nwaiting < PEER_MAX_WAITING;
	else
		p->lst.active = !p->have_s;
}

static int
arm_idle(struct peer *p, int64_t ms)
{
	p->idle_timer = loop_after(p->loop, (int)ms, idle_cb, p);
	return p->idle_timer > 0 ? 0 : -1;
}

/* fd becomes the current peer (NULL), or is closed and the reason is
 * returned: no memory, or no room in the loop for its socket or its idle
 * timer. */
/* The name the server's certificate must carry (and SNI), and the key of
 * its known-hosts line. */
static const char *
tls_names(struct peer *p, char *hostport, size_t len)
{
	const struct tt_opts *o = p->o;

	if (o->unix_path != NULL)
		snprintf(hostport, len, "%s", o->unix_path);
	else if (strchr(o->host, ':') != NULL)	/* an IPv6 address */
		snprintf(hostport, len, "[%s]:%s", o->host, o->port);
	else
		snprintf(hostport, len, "%s:%s", o->host, o->port);
	if (o->tls_sni != NULL)
		return o->tls_sni;
	return o->unix_path != NULL ? NULL : o->host;
}

/* TLS over the session just taken (after the STARTTLS exchange if
 * asked), bounded by -w or PEER_TLS_TIMEOUT_MS.  NULL, or why not. */
static const char *
start_tls(struct peer *p, bool with_starttls)
{
	char hostport[sizeof p->tls_hostport];
	const char *name = NULL;
	struct starttls *stls = NULL;
	struct tls *t;
	char host[256];

	if (!p->listening)
		name = tls_names(p, hostport, sizeof hostport);
	if ((t = tls_new(p->tls_ctx, p->s.st.fd, name, p->listening ? NULL :
	    hostport)) == NULL)
		return _("out of memory");
	if (with_starttls) {
		if ((stls = malloc(sizeof *stls)) == NULL) {
			tls_free(t);
			return _("out of memory");
		}
		if (gethostname(host, sizeof host) == -1)
			host[0] = '\0';
		host[sizeof host - 1] = '\0';
		starttls_init(stls, (enum starttls_proto)p->o->starttls, host);
	}
	/* the bound first: a handshake that cannot be bounded never starts */
	p->tls_timer = loop_after(p->loop, p->o->wait_ms > 0 ? p->o->wait_ms :
	    PEER_TLS_TIMEOUT_MS, tls_timeout_cb, p);
	if (p->tls_timer <= 0) {
		p->tls_timer = 0;
		tls_free(t);
		free(stls);
		return _("no timer left for the handshake");
	}
	if (session_start_tls(&p->s, t, stls) == -1) {	/* frees t and stls */
		loop_cancel(p->loop, p->tls_timer);
		p->tls_timer = 0;
		return _("bytes are still queued");
	}
	if (!p->listening)
		snprintf(p->tls_hostport, sizeof p->tls_hostport, "%s", hostport);
	return NULL;
}

static const char *
take(struct peer *p, int fd, const char *addr)
{
	const char *why;

	p->secure = p->accepted_once = p->asking = false;
	p->fin_ours_first = p->fin_judged = false;
	memset(&p->tls_info, 0, sizeof p->tls_info);
	tcpinfo_ends(fd, &p->ends);	/* for peer_judge_fin, after the close */
	if (session_init(&p->s, fd, addr, p->incap, p->outcap,
	    p->tls_ctx != NULL ? 0 : p->flags) == -1) {
		close(fd);
		p->s.st.fd = -1;
		return _("out of memory");
	}
	p->s.no_shutdown = p->o->no_shutdown;
	p->s.udp.on = p->o->udp;
	p->s.udp.unconnected = p->o->udp && p->listening && p->o->keep_open;
	p->s.tap = p->tap;
	p->s.tap_arg = p->tap_arg;
	if (loop_add(p->loop, fd, sock_events_cb, sock_ready_cb, p) == -1) {
		session_free(&p->s);
		return _("no room in the loop");
	}
	if (p->o->idle_ms >= 0 && arm_idle(p, p->o->idle_ms) == -1) {
		loop_del(p->loop, fd);
		session_free(&p->s);
		return _("no timer left for -i");
	}
	if (p->o->tls && (why = start_tls(p, p->o->starttls >= 0)) != NULL) {
		loop_cancel(p->loop, p->idle_timer);
		loop_cancel(p->loop, p->tls_timer);
		p->idle_timer = p->tls_timer = 0;
		loop_del(p->loop, fd);
		session_free(&p->s);
		return why;
	}
	p->have_s = true;
	p->npeers++;
	listener_update(p);
	if (p->hooks.opened != NULL)
		p->hooks.opened(p->hooks.arg, p);
	/* the handshake may be done already (a quick peer on loopback
	 * answered within the first step): no poll event would judge it */
	tls_judge(p);
	return NULL;
}

/* An accepted peer could not be taken: its socket is closed; say so. */
static void
take_or_drop(struct peer *p, int fd, const char *addr)
{
	char msg[NET_ADDRSTRLEN + 96];
	const char *why;

	if ((why = take(p, fd, addr)) == NULL)
		return;
	/* TRANSLATORS: the first %s is why (e.g. "out of memory"), the
	 * second the peer's address. */
	snprintf(msg, sizeof msg, _("%s: closed the connection from %s"), why,
	    addr);
	if (p->hooks.dropped != NULL)
		p->hooks.dropped(p->hooks.arg, p, msg);
}

/* Under -k: the oldest accepted peer that is still there becomes current. */
static void
take_waiting(struct peer *p)
{
	char addr[NET_ADDRSTRLEN];
	int fd;

	while (!p->have_s && p->nwaiting > 0) {
		fd = p->waiting[0];
		memcpy(addr, p->waiting_addr[0], sizeof addr);
		p->nwaiting--;
		memmove(&p->waiting[0], &p->waiting[1],
		    (size_t)p->nwaiting * sizeof p->waiting[0]);
		memmove(p->waiting_addr[0], p->waiting_addr[1],
		    (size_t)p->nwaiting * sizeof p->waiting_addr[0]);
		if (p->hooks.waiting != NULL)
			p->hooks.waiting(p->hooks.arg, p);
		take_or_drop(p, fd, addr);
	}
	listener_update(p);
}

static void
hold(struct peer *p, int fd, const char *addr)
{
	if (!p->o->keep_open || p->nwaiting == PEER_MAX_WAITING) {
		close(fd);	/* not reached: the listener is idle then */
		return;
	}
	p->waiting[p->nwaiting] = fd;
	snprintf(p->waiting_addr[p->nwaiting], sizeof p->waiting_addr[0], "%s",
	    addr);
	p->nwaiting++;
	listener_update(p);
	if (p->hooks.waiting != NULL)
		p->hooks.waiting(p->hooks.arg, p);
}

static void
accept_cb(void *arg, int fd, const char *addr)
{
	struct peer *p = arg;

	if (p->have_s) {
		hold(p, fd, addr);
		return;
	}
	take_or_drop(p, fd, addr);
	if (!p->have_s)
		return;		/* listener still active: the next may fit */
	if (!p->o->keep_open)
		listener_close(&p->lst);	/* later peers are refused, as nc does */
}

int
peer_start(struct peer *p, const struct peer_hooks *h, size_t incap,
    size_t outcap, int flags)
{
	int fd;

	p->hooks = *h;
	p->incap = incap;
	p->outcap = outcap;
	p->flags = flags;
	if (p->listening) {
		if (listener_start(&p->lst, p->loop, accept_cb, p) == -1)
			return -1;
		p->started = true;
		listener_update(p);
		return 0;
	}
	if (p->conn_fd == -1)
		return -1;	/* peer_open did not dial */
	p->started = true;
	fd = p->conn_fd;
	p->conn_fd = -1;
	return take(p, fd, p->conn_addr) == NULL ? 0 : -1;
}

void
peer_end(struct peer *p, enum peer_end why)
{
	if (!p->have_s || p->ending)
		return;
	loop_cancel(p->loop, p->idle_timer);
	loop_cancel(p->loop, p->finish_timer);
	loop_cancel(p->loop, p->tls_timer);
	loop_cancel(p->loop, p->pending_timer);
	p->idle_timer = p->finish_timer = p->tls_timer = p->pending_timer = 0;
	peer_judge_fin(p);
	loop_del(p->loop, p->s.st.fd);
	tcpstats_take(&p->last, &p->s, end_word[why], p->last_local,
	    sizeof p->last_local);
	if (p->stats != NULL)
		tcpstats_write(p->stats, &p->last);
	p->ending = true;
	if (p->hooks.closed != NULL)
		p->hooks.closed(p->hooks.arg, p, why);
	p->ending = false;
	session_free(&p->s);
	p->have_s = false;
	p->secure = p->asking = false;
	take_waiting(p);
}

/*
 * Gone when poll saw an error, or when nothing can move any more: FIN both
 * ways, our queue sent, and the mode took all it received.
 */
static void
check_end(struct peer *p)
{
	if (!p->have_s)
		return;
	if (p->s.error != 0)
		peer_end(p, PEER_END_ERROR);
	else if (session_finished(&p->s) && buf_used(&p->s.in) == 0)
		peer_end(p, PEER_END_CLOSED);
}

static void
finish_cb(void *arg)
{
	struct peer *p = arg;

	p->finish_timer = 0;
	check_end(p);
}

/* Decrypted bytes wait inside TLS, where poll cannot see them. */
static void
pending_cb(void *arg)
{
	struct peer *p = arg;

	p->pending_timer = 0;
	if (p->have_s && session_has_pending(&p->s))
		sock_ready_cb(p, POLLIN);
}

static short
sock_events_cb(void *arg)
{
	struct peer *p = arg;
	short ev;

	if (!p->have_s)
		return 0;
	peer_judge_fin(p);		/* the mode may have sent ours (Ctrl-D) */
	if (p->s.error != 0 ||
	    (session_finished(&p->s) && buf_used(&p->s.in) == 0)) {
		/* Finished outside a socket event (the mode ended its input
		 * or took the last bytes): end it right after this poll. */
		if (p->finish_timer <= 0)
			p->finish_timer = loop_after(p->loop, 0, finish_cb, p);
		/* No timer slot: a finished socket is readable (EOF or error)
		 * at once, and the ready callback ends it. */
		return p->finish_timer > 0 ? 0 : POLLIN;
	}
	ev = session_events(&p->s);
	if (session_has_pending(&p->s) && p->pending_timer <= 0)
		p->pending_timer = loop_after(p->loop, 0, pending_cb, p);
	/*
	 * Nothing to read or send (the mode holds a full s.in): stay in the
	 * poll so a reset is heard at once; poll reports POLLERR/POLLHUP
	 * whatever is asked.  Not after our FIN: the peer's FIN would then be
	 * a hang-up we cannot act on until s.in drains.
	 */
	if (ev == 0 && !p->s.shut_wr)
		ev = POLLERR;
	return ev;
}

/* The handshake is done: is the certificate to be trusted? */
static void
secure_now(struct peer *p)
{
	loop_cancel(p->loop, p->tls_timer);
	p->tls_timer = 0;
	p->secure = true;
	p->asking = false;
	session_open(&p->s);
	if (p->hooks.secured != NULL)
		p->hooks.secured(p->hooks.arg, p);
}

static void
tls_judge(struct peer *p)
{
	struct tls_info *i = &p->tls_info;
	char msg[1400], dir[512];

	if (!p->have_s || p->secure || p->asking ||
	    p->s.phase != SESSION_HELD || p->s.error != 0)
		return;
	tls_get_info(p->s.st.tls, i);
	switch (i->trust) {
	case TLS_TRUST_FAILED:
		if (p->hooks.untrusted != NULL) {
			/* the user decides, with no clock running */
			loop_cancel(p->loop, p->tls_timer);
			p->tls_timer = 0;
			p->asking = true;
			p->hooks.untrusted(p->hooks.arg, p);
			return;
		}
		snprintf(msg, sizeof msg, _("the certificate is not trusted: "
		    "%s (--tls-pin %s would accept it)"), i->reason,
		    i->fingerprint);
		break;
	case TLS_TRUST_MISMATCH:
		snprintf(msg, sizeof msg, _("the certificate does not match "
		    "--tls-pin: it is %s"), i->fingerprint);
		break;
	case TLS_TRUST_CHANGED:
		snprintf(msg, sizeof msg, _("the certificate has CHANGED since "
		    "you trusted it (it is now %s): refused; if the change is "
		    "expected, remove the line for %s from %s/known_hosts"),
		    i->fingerprint, p->tls_hostport,
		    p->state_dir != NULL ? p->state_dir :
		    peer_state_dir(dir, sizeof dir) ? dir : "~/.local/state/tcptalk");
		break;
	default:
		secure_now(p);
		return;
	}
	session_fail(&p->s, EPROTO, msg);
}

int
peer_trust(struct peer *p, bool accept, bool always, char *err,
    size_t errlen)
{
	char msg[sizeof p->s.errmsg];

	if (!p->have_s || !p->asking || p->ending) {
		snprintf(err, errlen, "%s", _("no certificate waits for an "
		    "answer"));
		return -1;
	}
	if (!accept) {
		p->asking = false;
		snprintf(msg, sizeof msg, "%s", _("you refused the "
		    "certificate"));
		session_fail(&p->s, EPROTO, msg);
		peer_end(p, PEER_END_LOCAL);
		return 0;
	}
	if (always) {
		if (p->state_dir == NULL) {
			snprintf(err, errlen, "%s", _("no state directory to "
			    "keep the pin in (set HOME or XDG_STATE_HOME)"));
			return -1;
		}
		if (tls_trust_store(p->state_dir, p->tls_hostport,
		    p->tls_info.fingerprint, err, errlen) == -1)
			return -1;
		p->tls_info.trust = TLS_TRUST_KNOWN;
	} else {
		p->accepted_once = true;
	}
	secure_now(p);
	return 0;
}

static void
tls_timeout_cb(void *arg)
{
	struct peer *p = arg;
	char msg[128];

	p->tls_timer = 0;
	if (!p->have_s || p->secure || p->asking)
		return;
	snprintf(msg, sizeof msg, _("the TLS handshake did not finish within "
	    "%.3g s"), (p->o->wait_ms > 0 ? p->o->wait_ms :
	    PEER_TLS_TIMEOUT_MS) / 1000.0);
	session_fail(&p->s, ETIMEDOUT, msg);
	peer_end(p, PEER_END_ERROR);
}

int
peer_starttls(struct peer *p, char *err, size_t errlen)
{
	const char *why;

	if (!p->have_s || p->ending) {
		snprintf(err, errlen, "%s", _("not connected"));
		return -1;
	}
	if (p->s.st.tls != NULL) {
		snprintf(err, errlen, "%s", _("the connection is TLS already"));
		return -1;
	}
	if (p->listening) {
		snprintf(err, errlen, "%s", _("/starttls is for the side that "
		    "connected"));
		return -1;
	}
	if (buf_used(&p->s.out) > 0) {
		snprintf(err, errlen, P_("%zu byte is still queued: wait until "
		    "it is sent", "%zu bytes are still queued: wait until they "
		    "are sent", buf_used(&p->s.out)), buf_used(&p->s.out));
		return -1;
	}
	if (tls_setup(p, err, errlen) == -1)
		return -1;
	if ((why = start_tls(p, false)) != NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	tls_judge(p);	/* done at once, as in take() */
	return 0;
}

/*
 * Whose FIN the kernel had first, read once ours is out (Ctrl-D may be
 * taken before a FIN that already came is read): after our shutdown,
 * LAST_ACK means the peer's came first (CLOSE_WAIT before it); FIN_WAIT_1,
 * FIN_WAIT_2, CLOSING or TIME_WAIT that ours did.  CLOSE is either (the
 * socket reads CLOSE after LAST_ACK, and after TIME_WAIT began, which the
 * kernel keeps apart): sock_diag says whether the 4-tuple is in TIME_WAIT.
 */
void
peer_judge_fin(struct peer *p)
{
	struct tcpinfo ti;
	int tw;

	if (p->fin_judged || !p->have_s || !p->s.shut_wr ||
	    tcpinfo_read(p->s.st.fd, &ti) == -1)
		return;
	p->fin_judged = true;
	if (ti.state == PEER_TCP_CLOSE &&
	    (tw = tcpinfo_time_wait(&p->ends)) != -1)
		p->fin_ours_first = tw == 1;
	else if (ti.state == PEER_TCP_CLOSE)	/* what we read: all we have */
		p->fin_ours_first = !p->s.peer_eof;
	else
		p->fin_ours_first = ti.state != PEER_TCP_CLOSE_WAIT &&
		    ti.state != PEER_TCP_LAST_ACK;
}

static void
sock_ready_cb(void *arg, short revents)
{
	struct peer *p = arg;
	int gen = p->npeers;
	bool fin_sent, peer_eof;

	if (!p->have_s)
		return;
	fin_sent = p->s.shut_wr;
	peer_eof = p->s.peer_eof;
	(void)session_on_poll(&p->s, revents);
	/* who closed first, without TCP_INFO (-U): a read takes the peer's
	 * FIN before the write that may send ours in the same call */
	if (p->s.peer_eof && !peer_eof && !p->fin_judged)
		p->fin_ours_first = fin_sent;
	peer_judge_fin(p);
	tls_judge(p);
	if (p->npeers != gen || !p->have_s)
		return;
	if (p->hooks.io != NULL)
		p->hooks.io(p->hooks.arg, p);
	if (p->npeers == gen)	/* the hook may have ended or replaced it */
		check_end(p);
}

static void
idle_cb(void *arg)
{
	struct peer *p = arg;
	int64_t left;

	p->idle_timer = 0;
	if (!p->have_s)
		return;
	left = p->s.active_ms + p->o->idle_ms - clock_now_ms();
	/* Re-arming cannot lack a slot (ours was just freed); if it did,
	 * ending early beats an idle timer that never fires. */
	if (left <= 0 || arm_idle(p, left) == -1)
		peer_end(p, PEER_END_IDLE);
}

int
peer_next(struct peer *p)
{
	if (p->nwaiting == 0 || p->ending)
		return -1;
	if (p->have_s)
		peer_end(p, PEER_END_LOCAL);	/* takes the next */
	else
		take_waiting(p);
	return p->have_s ? 0 : -1;
}

int
peer_reconnect(struct peer *p, char *err, size_t errlen)
{
	const char *why;
	int fd;

	if (p->listening || !p->started || p->have_s || p->ending) {
		snprintf(err, errlen, "%s", p->listening ? _("listening: "
		    "nothing to dial") : p->have_s ? _("still connected") : _(
		    "not started"));
		return -1;
	}
	if (dial(p, err, errlen) == -1)
		return -1;
	fd = p->conn_fd;
	p->conn_fd = -1;
	if ((why = take(p, fd, p->conn_addr)) != NULL) {
		/* TRANSLATORS: the first %s is why (e.g. "out of memory"), the
		 * second the peer's address. */
		snprintf(err, errlen, _("%s: closed the connection to %s"), why,
		    p->conn_addr);
		return -1;
	}
	return 0;
}

void
peer_free(struct peer *p)
{
	int i;

	loop_cancel(p->loop, p->idle_timer);
	loop_cancel(p->loop, p->finish_timer);
	loop_cancel(p->loop, p->tls_timer);
	loop_cancel(p->loop, p->pending_timer);
	p->idle_timer = p->finish_timer = p->tls_timer = p->pending_timer = 0;
	if (p->have_s) {
		loop_del(p->loop, p->s.st.fd);
		if (p->stats != NULL) {	/* a peer still there at the end */
			tcpstats_take(&p->last, &p->s, end_word[PEER_END_LOCAL],
			    p->last_local, sizeof p->last_local);
			tcpstats_write(p->stats, &p->last);
		}
		session_free(&p->s);
		p->have_s = false;
	}
	for (i = 0; i < p->nwaiting; i++)
		close(p->waiting[i]);
	p->nwaiting = 0;
	listener_close(&p->lst);
	if (p->conn_fd != -1)
		close(p->conn_fd);
	p->conn_fd = -1;
	tls_ctx_free(p->tls_ctx);
	p->tls_ctx = NULL;
}
