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
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
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

#else

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
