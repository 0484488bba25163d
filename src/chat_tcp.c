/*
 * chat_tcp.c - TCP's view of the current peer for the status line: the
 * smoothed RTT, retransmissions so far, bytes in flight and our unsent
 * queue, from one TCP_INFO read (and two ioctls) at most once a second.
 *
 * No timer of its own: while a peer is connected the status line's clock
 * already ticks once a second (chat_draw.c's arm_tick), and each tick
 * reads the facts anew; draws between ticks (typing, a flood) show the
 * last reading.  So an idle chat keeps its one wake-up a second and gains
 * none, and the line changes only when a fact did.
 */
#include <string.h>

#include "chat_int.h"
#include "clock.h"
#include "peer.h"
#include "status.h"
#include "tcpinfo.h"
#include "ui.h"

#define CHAT_TCP_MS	1000	/* read TCP_INFO at most this often */
#define CHAT_TCP_SLACK_MS 100	/* a tick a little early still reads */

void
chat_tcp_facts(struct chat *c, struct status_facts *f)
{
	const struct peer *p = c->p;
	int64_t now = clock_now_ms();

	if (!p->have_s)
		return;
	/* a new peer, or a second since the last reading */
	if (c->tcp_started != p->s.started_ms || c->tcp_fd != p->s.st.fd ||
	    now - c->tcp_ms >= CHAT_TCP_MS - CHAT_TCP_SLACK_MS) {
		(void)tcpinfo_read(p->s.st.fd, &c->tcp);
		c->tcp_ms = now;
		c->tcp_started = p->s.started_ms;
		c->tcp_fd = p->s.st.fd;
		/* the /tcp panel shows this reading: draw it (this draw) */
		if (c->panel == CHAT_PANEL_TCP)
			c->dirty |= UI_PANES;
	}
	if (!c->tcp.ok)
		return;		/* -U, or not Linux: nothing to say */
	f->tcp = true;
	f->tcp_rtt_us = c->tcp.rtt_us;
	f->tcp_retrans = c->tcp.total_retrans;
	f->tcp_unacked = c->tcp.unacked > 0 ? (uint64_t)c->tcp.unacked : 0;
	f->tcp_unsent = c->tcp.unsent > 0 ? (uint64_t)c->tcp.unsent : 0;
}
