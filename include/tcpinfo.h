/*
 * tcpinfo.h - what the kernel knows of one TCP connection (TCP_INFO,
 * SIOCOUTQ, SIOCINQ) as a plain struct, and that struct in
 * words: the one-line summary of pipe mode's -v and the JSON object of
 * --stats-json.  Reading is tcpinfo.c (Linux; elsewhere "not available");
 * the words are tcpinfo_fmt.c (pure).
 */
#ifndef TCPTALK_TCPINFO_H
#define TCPTALK_TCPINFO_H

#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcpinfo {
	bool		 ok;		/* false: not TCP, or not on this system */
	int		 state;		/* TCP_ESTABLISHED ... (Linux numbers) */
	uint32_t	 rtt_us, rttvar_us, min_rtt_us;	/* smoothed, variance */
	uint32_t	 rto_us;
	uint32_t	 snd_mss, rcv_mss;
	uint32_t	 cwnd;		/* segments */
	uint32_t	 ssthresh;	/* segments; TCPINFO_INFINITE: none yet */
	uint32_t	 snd_wnd;	/* the peer's advertised window, bytes */
	bool		 have_snd_wnd;	/* kernel >= 5.19 */
	uint32_t	 rcv_space;	/* the receive buffer autotuning's
					 * estimate, not the window */
	uint32_t	 rcv_wnd;	/* the window we advertise, bytes */
	bool		 have_rcv_wnd;	/* kernel >= 6.2 */
	uint64_t	 bytes_sent, bytes_acked, bytes_received;
	bool		 have_bytes_sent;	/* kernel >= 4.19 */
	uint32_t	 segs_in, segs_out;
	uint32_t	 total_retrans;	/* segments retransmitted, ever */
	uint32_t	 retransmits;	/* unrecovered timeouts now */
	uint64_t	 delivery_rate;	/* bytes a second */
	bool		 have_rate;	/* kernel >= 4.9 */
	uint64_t	 busy_us;	/* time with data to send ... */
	uint64_t	 rwnd_limited_us;	/* ... of it held by the peer's window */
	uint64_t	 sndbuf_limited_us;	/* ... by our send buffer */
	bool		 have_busy;	/* kernel >= 4.10 */
	/* the queues, from ioctl; -1: not known */
	int64_t		 unacked;	/* sent, not yet acknowledged */
	int64_t		 unsent;	/* in our kernel queue, not yet sent */
	int64_t		 unread;	/* received, not yet read by us */
};

#define TCPINFO_INFINITE	0x7fffffffU	/* ssthresh before the first loss */

/* What held sending back, from the busy and limited times. */
enum tcpinfo_limit {
	TCPINFO_LIMIT_NONE,	/* we sent nothing (or the kernel does not say) */
	TCPINFO_LIMIT_APP,	/* mostly nothing to send: the program */
	TCPINFO_LIMIT_RWND,	/* the peer's receive window */
	TCPINFO_LIMIT_SNDBUF,	/* our send buffer */
	TCPINFO_LIMIT_CWND	/* the congestion window: the network */
};

/* One finished connection: the facts of a summary line or JSON object. */
struct tcpinfo_conn {
	const char	*local;		/* "addr:port" */
	const char	*remote;
	const char	*end;		/* "closed", "error", "idle", "local" */
	const char	*error;		/* why, for "error"; NULL otherwise */
	int64_t		 start_ms;	/* wall clock, ms since the epoch */
	int64_t		 duration_ms;
	uint64_t	 bytes_in, bytes_out;	/* what the program moved */
	struct tcpinfo	 ti;
};

/* Read fd's facts; 0, or -1 with ti->ok false (not TCP, not Linux). */
int	tcpinfo_read(int fd, struct tcpinfo *ti);

/* SIOCOUTQ alone: bytes given to the kernel and not yet acknowledged by
 * the peer (sent or not); -1 when not known.  One ioctl, for the chat's
 * delivery marks. */
int64_t	tcpinfo_outq(int fd);
/* "ESTABLISHED", "CLOSE_WAIT", ...; "?" for a number not known. */
const char *tcpinfo_state_name(int state);
/* What limited sending, and the share of the time (0..100) it did: of
 * the busy time, or for APP of the whole connection (busy). */
enum tcpinfo_limit tcpinfo_limited(const struct tcpinfo *, int64_t duration_ms,
	    int *pct);
/* The one-line summary (no newline), a whole sentence; returns out. */
char	*tcpinfo_summary(const struct tcpinfo_conn *, char *out, size_t outlen);
/* The JSON object on one line (no newline); the length written, or 0
 * when outlen is too small for it (then out holds nothing useful). */
size_t	tcpinfo_json(const struct tcpinfo_conn *, char *out, size_t outlen);

/* A connection's two ends, kept while it is connected: once closed, the
 * socket no longer names its peer (getpeername: ENOTCONN). */
struct tcpinfo_ends {
	bool			 ok;
	struct sockaddr_storage	 local, remote;
};

/* Keep fd's two ends (ok false when it has none: not connected). */
void	tcpinfo_ends(int fd, struct tcpinfo_ends *);
/*
 * Whether the kernel keeps these ends in TIME_WAIT, apart from the socket
 * (which then reads CLOSE, as after LAST_ACK): 1, 0, or -1 when it cannot
 * say (not Linux, no sock_diag).
 */
int	tcpinfo_time_wait(const struct tcpinfo_ends *);

#endif
