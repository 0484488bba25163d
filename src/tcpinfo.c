/*
 * tcpinfo.c - one TCP connection's facts from the kernel: TCP_INFO for the
 * state, timers, windows, counters and the unsent bytes, SIOCOUTQ and
 * SIOCINQ for the rest of the queues.  Called when a connection ends and
 * at most once a second for the chat's status line: never on the per-byte
 * path.
 *
 * The struct comes from <linux/tcp.h>, newer than many running kernels:
 * getsockopt says how much of it the kernel filled, and a field past that
 * length is marked as not known rather than read as zero.
 */
#include <errno.h>
#include <string.h>

#include "tcpinfo.h"

#ifdef __linux__

#include <stddef.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/tcp.h>

/* Did the kernel fill the struct up to and including field f? */
#define FILLED(len, f) \
	((len) >= offsetof(struct tcp_info, f) + sizeof(((struct tcp_info *)0)->f))
/*
 * tcpi_rcv_wnd (Linux 6.2: the window we advertise, scaled) follows
 * tcpi_snd_wnd; older headers end before it, so it is read by its offset
 * from a buffer with room past the struct, when the kernel filled it.
 */
#define RCV_WND_OFF	(offsetof(struct tcp_info, tcpi_snd_wnd) + 4)
#define TCPINFO_ROOM	64	/* fields newer than our header */

static int64_t
queue_bytes(int fd, unsigned long req)
{
	int n;

	return ioctl(fd, req, &n) == 0 && n >= 0 ? n : -1;
}

int
tcpinfo_read(int fd, struct tcpinfo *ti)
{
	union {
		struct tcp_info	 k;
		unsigned char	 raw[sizeof(struct tcp_info) + TCPINFO_ROOM];
	} u;
	struct tcp_info k;
	socklen_t len = sizeof u;
	uint32_t w;
	int64_t outq;

	memset(ti, 0, sizeof *ti);
	ti->unacked = ti->unsent = ti->unread = -1;
	memset(&u, 0, sizeof u);
	/* a Unix socket fails here (EOPNOTSUPP): not TCP */
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &u, &len) == -1 ||
	    !FILLED(len, tcpi_total_retrans))
		return -1;
	k = u.k;
	ti->ok = true;
	ti->state = k.tcpi_state;
	ti->rtt_us = k.tcpi_rtt;
	ti->rttvar_us = k.tcpi_rttvar;
	ti->rto_us = k.tcpi_rto;
	ti->snd_mss = k.tcpi_snd_mss;
	ti->rcv_mss = k.tcpi_rcv_mss;
	ti->cwnd = k.tcpi_snd_cwnd;
	ti->ssthresh = k.tcpi_snd_ssthresh;
	ti->rcv_space = k.tcpi_rcv_space;
	ti->total_retrans = k.tcpi_total_retrans;
	ti->retransmits = k.tcpi_retransmits;
	if (FILLED(len, tcpi_min_rtt)) {		/* 4.6 */
		ti->bytes_acked = k.tcpi_bytes_acked;
		ti->bytes_received = k.tcpi_bytes_received;
		ti->segs_in = k.tcpi_segs_in;
		ti->segs_out = k.tcpi_segs_out;
		ti->min_rtt_us = k.tcpi_min_rtt;
	}
	if ((ti->have_rate = FILLED(len, tcpi_delivery_rate)))
		ti->delivery_rate = k.tcpi_delivery_rate;
	if ((ti->have_busy = FILLED(len, tcpi_sndbuf_limited))) {
		ti->busy_us = k.tcpi_busy_time;
		ti->rwnd_limited_us = k.tcpi_rwnd_limited;
		ti->sndbuf_limited_us = k.tcpi_sndbuf_limited;
	}
	if ((ti->have_bytes_sent = FILLED(len, tcpi_bytes_sent)))
		ti->bytes_sent = k.tcpi_bytes_sent;
	if ((ti->have_snd_wnd = FILLED(len, tcpi_snd_wnd)))
		ti->snd_wnd = k.tcpi_snd_wnd;
	if ((ti->have_rcv_wnd = len >= RCV_WND_OFF + sizeof w)) {
		memcpy(&w, u.raw + RCV_WND_OFF, sizeof w);
		ti->rcv_wnd = w;
	}
	/* SIOCOUTQ: sent and unsent together; unsent alone is
	 * tcpi_notsent_bytes, the figure SIOCOUTQNSD gives (an ioctl valgrind
	 * does not know) */
	outq = queue_bytes(fd, SIOCOUTQ);
	if (FILLED(len, tcpi_notsent_bytes))
		ti->unsent = k.tcpi_notsent_bytes;
	else
		ti->unsent = queue_bytes(fd, SIOCOUTQNSD);
	if (outq >= 0 && ti->unsent >= 0 && outq >= ti->unsent)
		ti->unacked = outq - ti->unsent;
	ti->unread = queue_bytes(fd, SIOCINQ);
	return 0;
}

int64_t
tcpinfo_outq(int fd)
{
	return queue_bytes(fd, SIOCOUTQ);
}

void
tcpinfo_ends(int fd, struct tcpinfo_ends *e)
{
	socklen_t la = sizeof e->local, lr = sizeof e->remote;

	memset(e, 0, sizeof *e);
	e->ok = getsockname(fd, (struct sockaddr *)&e->local, &la) == 0 &&
	    getpeername(fd, (struct sockaddr *)&e->remote, &lr) == 0 &&
	    (e->local.ss_family == AF_INET || e->local.ss_family == AF_INET6) &&
	    e->remote.ss_family == e->local.ss_family;
}

#define TCPINFO_TIME_WAIT	6	/* Linux's TCP_TIME_WAIT */

/* An end into sock_diag's id: port and address as on the wire. */
static void
diag_end(const struct sockaddr_storage *ss, __be16 *port, __be32 *addr)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET) {
		*port = in->sin_port;
		memcpy(addr, &in->sin_addr, 4);
	} else {
		*port = in6->sin6_port;
		memcpy(addr, &in6->sin6_addr, 16);
	}
}

int
tcpinfo_time_wait(const struct tcpinfo_ends *e)
{
	struct {
		struct nlmsghdr		 nh;
		struct inet_diag_req_v2	 r;
	} req;
	union {
		struct nlmsghdr		 nh;
		char			 buf[1024];
	} ans;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	const struct inet_diag_msg *m;
	struct timeval tv = { 1, 0 };	/* the kernel answers at once */
	ssize_t n;
	int s, rc = -1;

	if (!e->ok)
		return -1;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = sizeof req;
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST;	/* this 4-tuple, no dump */
	req.r.sdiag_family = (__u8)e->local.ss_family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = 1u << TCPINFO_TIME_WAIT;
	diag_end(&e->local, &req.r.id.idiag_sport, req.r.id.idiag_src);
	diag_end(&e->remote, &req.r.id.idiag_dport, req.r.id.idiag_dst);
	req.r.id.idiag_cookie[0] = req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if ((s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (sendto(s, &req, sizeof req, 0, (struct sockaddr *)&nl,
	    sizeof nl) == (ssize_t)sizeof req &&
	    (n = recv(s, &ans, sizeof ans, 0)) >= (ssize_t)sizeof ans.nh &&
	    NLMSG_OK(&ans.nh, (size_t)n)) {
		if (ans.nh.nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		    ans.nh.nlmsg_len >= NLMSG_LENGTH(sizeof *m)) {
			m = NLMSG_DATA(&ans.nh);
			rc = m->idiag_state == TCPINFO_TIME_WAIT;
		} else if (ans.nh.nlmsg_type == NLMSG_ERROR) {
			/* ENOENT: no such socket, so none in TIME_WAIT */
			const struct nlmsgerr *err = NLMSG_DATA(&ans.nh);

			rc = err->error == -ENOENT ? 0 : -1;
		}
	}
	close(s);
	return rc;
}

#else

void
tcpinfo_ends(int fd, struct tcpinfo_ends *e)
{
	(void)fd;
	memset(e, 0, sizeof *e);
}

int
tcpinfo_time_wait(const struct tcpinfo_ends *e)
{
	(void)e;
	return -1;
}

int64_t
tcpinfo_outq(int fd)
{
	(void)fd;
	return -1;
}

int
tcpinfo_read(int fd, struct tcpinfo *ti)
{
	(void)fd;
	memset(ti, 0, sizeof *ti);
	ti->unacked = ti->unsent = ti->unread = -1;
	errno = ENOSYS;
	return -1;
}

#endif
