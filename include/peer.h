/*
 * peer.h - one peer's lifecycle, for both modes: listen or connect, accept,
 * keep-open (-k) with the next peers waiting, the idle timer (-i),
 * half-close and the end.  The mode (chat or pipe) decides what the bytes
 * mean; this module decides when a peer comes and goes, and says so
 * through hooks.
 */
#ifndef TCPTALK_PEER_H
#define TCPTALK_PEER_H

#include <stdbool.h>
#include <stddef.h>

#include "listener.h"
#include "session.h"
#include "tcpinfo.h"
#include "tls.h"

struct loop;
struct tcpstats;
struct trace;
struct tt_opts;
struct peer;

#define PEER_MAX_WAITING	8	/* accepted under -k, not yet taken */

/* Why a peer is gone. */
enum peer_end {
	PEER_END_CLOSED,	/* orderly: FIN both ways, queue drained,
				 * and the mode took everything from s.in */
	PEER_END_ERROR,		/* reset or other socket error: s.error */
	PEER_END_IDLE,		/* no traffic for -i */
	PEER_END_LOCAL		/* we ended it: /next, /quit, the pipe done */
};

struct peer_hooks {
	/* A peer is connected (accepted or dialled): p->s is live. */
	void	(*opened)(void *arg, struct peer *);
	/* The socket moved: bytes arrived in p->s.in, a FIN came
	 * (p->s.peer_eof), or queued bytes left.  Called after every poll
	 * event on the socket while the peer lasts. */
	void	(*io)(void *arg, struct peer *);
	/* The peer is gone.  p->s is still readable during the call (its
	 * totals, s.error, what is left in s.in; p->have_s is still true)
	 * and freed right after; then, under -k, the oldest waiting peer
	 * is taken.  peer_next/peer_reconnect refuse (-1) during the call. */
	void	(*closed)(void *arg, struct peer *, enum peer_end);
	/* Under -k, the number of accepted peers waiting changed.  Any hook may
 * be NULL.  A peer's FIN only sets s.peer_eof: the mode decides whether
 * to answer with session_end_input (we may still send). */
	void	(*waiting)(void *arg, struct peer *);
	/* An accepted peer (or one taken from the waiting queue) could not
	 * be taken: no memory for its buffers, or no room in the loop.  Its
	 * socket is already closed; msg says why and whose. */
	void	(*dropped)(void *arg, struct peer *, const char *msg);
	void	*arg;
	/* TLS: the handshake is done and the certificate trusted (or taken
	 * by peer_trust); p->tls_info says what was agreed.  Queued bytes
	 * move from now on. */
	void	(*secured)(void *arg, struct peer *);
	/* TLS, client side: the certificate did not verify (tls_info.trust
	 * TLS_TRUST_FAILED).  The mode may ask the user and answer with
	 * peer_trust, now or later; meanwhile nothing moves.  NULL: the
	 * peer ends with the reason (pipe mode).  A pin mismatch or a
	 * changed known-hosts certificate never asks: it ends the peer. */
	void	(*untrusted)(void *arg, struct peer *);
};

struct peer {
	const struct tt_opts	*o;
	struct loop		*loop;
	struct peer_hooks	 hooks;
	bool			 listening;	/* listen mode (the role) */
	struct listener		 lst;
	struct session		 s;
	bool			 have_s;	/* a peer is connected */
	size_t			 incap, outcap;
	int			 flags;		/* SESSION_SPLICE_* */
	int			 waiting[PEER_MAX_WAITING];	/* accepted fds */
	char			 waiting_addr[PEER_MAX_WAITING][NET_ADDRSTRLEN];
	int			 nwaiting;
	int			 idle_timer;
	int			 npeers;	/* peers taken so far */
	char			 where[300];	/* "listening on ...", "HOST PORT (addr)",
						 * or "addr" when HOST:PORT is it */
	bool			 started;
	int64_t			 connect_us;	/* the last dial's TCP handshake;
						 * -1: none (-U, --proxy, -u) */
	bool			 fin_ours_first;	/* the kernel sent our FIN
						 * before the peer's came: we
						 * close actively (TIME_WAIT) */
	bool			 fin_judged;	/* fin_ours_first from TCP_INFO's
						 * state once ours was out */
	struct tcpinfo_ends	 ends;		/* the connection's, kept */
	int			 conn_fd;	/* dialled by peer_open, taken by peer_start */
	char			 conn_addr[NET_ADDRSTRLEN];
	int			 finish_timer;	/* ends a session finished outside poll */
	bool			 ending;	/* inside the closed hook */
	session_tap_fn		*tap;		/* set before peer_start: every */
	void			*tap_arg;	/* session taken gets it (-x) */
	/* TLS (--tls, --starttls, /starttls) */
	struct tls_ctx		*tls_ctx;	/* made by peer_open, or at the
						 * first /starttls */
	const char		*state_dir;	/* known hosts, our certificate;
						 * NULL: no HOME */
	char			 state_buf[512];
	char			 tls_note[512];	/* "created a self-signed ..." */
	struct tls_info		 tls_info;	/* the current peer's, once
						 * secured or untrusted */
	bool			 secure;	/* the current peer is secured */
	bool			 accepted_once;	/* its certificate by peer_trust */
	bool			 asking;	/* the untrusted hook waits for
						 * peer_trust */
	char			 tls_hostport[300];	/* its known-hosts key */
	int			 tls_timer;	/* bounds STARTTLS + handshake */
	int			 pending_timer;	/* reads what TLS holds */
	/* TCP facts of the peer that ends, read with its socket still open,
	 * just before the closed hook (and valid during it) */
	struct tcpinfo_conn	 last;
	char			 last_local[NET_ADDRSTRLEN];
	struct tcpstats		*stats;		/* --stats-json: a line each */
	struct trace		*trace;		/* --trace (main.c's), or NULL:
						 * the modes hook its segments */
};

/* How long a TLS handshake (and the STARTTLS exchange before it) may
 * take when -w does not say. */
#define PEER_TLS_TIMEOUT_MS	10000

void	peer_init(struct peer *, const struct tt_opts *, struct loop *);
/*
 * Listen (bind) or connect as the options say; nothing joins the loop yet.
 * -1 with a one-line error in err (same wording in both modes).
 */
int	peer_open(struct peer *, char *err, size_t errlen);
/*
 * Join the loop with these hooks and buffer sizes.  A peer already
 * connected (connect mode) gets its opened hook from here.  -1: no memory,
 * or no room in the loop (its fd or timer slots are full).  With -i each
 * peer gets an idle timer (re-armed from s.active_ms); no peer, no timer.
 */
int	peer_start(struct peer *, const struct peer_hooks *, size_t incap,
	    size_t outcap, int flags);
/*
 * End the current peer now (closed hook with why), then, under -k, take
 * the next waiting peer or wait for one.  Nothing if no peer.
 */
void	peer_end(struct peer *, enum peer_end why);
/* Once our FIN is out: which FIN the kernel had first (fin_ours_first,
 * fin_judged); the mode may call it right after ending our input. */
void	peer_judge_fin(struct peer *);
/* Under -k: end the current peer (PEER_END_LOCAL) and take the next
 * waiting; -1 if none waits (the current peer is kept then). */
int	peer_next(struct peer *);
/* Connect mode, no peer: dial again (-w applies); -1 with err set (also
 * when the new connection could not be taken: it is closed then). */
int	peer_reconnect(struct peer *, char *err, size_t errlen);
/* Close everything (no hooks called). */
void	peer_free(struct peer *);
/*
 * The answer to the untrusted hook: accept the certificate (always: pin
 * it in the known hosts first) or refuse it (the peer ends, LOCAL).  -1
 * with err when no certificate waits, or the pin cannot be stored (the
 * certificate is then still waiting).
 */
int	peer_trust(struct peer *, bool accept, bool always, char *err,
	    size_t errlen);
/* /starttls: TLS over the current plain connection, from now.  -1 with
 * err: no peer, already TLS, bytes still queued, or no TLS here. */
int	peer_starttls(struct peer *, char *err, size_t errlen);
/* The state directory: $XDG_STATE_HOME/tcptalk or ~/.local/state/tcptalk,
 * NULL when neither is an absolute path. */
const char *peer_state_dir(char *out, size_t outlen);

#endif
