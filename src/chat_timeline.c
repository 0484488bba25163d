/*
 * chat_timeline.c - TCP's life in the chat's notices, in words a learner
 * follows: the handshake the kernel did before accept, the FIN each side
 * sends and the states they pass through (CLOSE_WAIT and LAST_ACK on the
 * side that closes second, FIN_WAIT and TIME_WAIT on the one that closes
 * first), and a reset named as RST with the lines it took.  Who closed
 * first is the peer module's fact (fin_ours_first, from TCP_INFO's state
 * once our FIN was out); the state read at the end says whether the peer
 * has acknowledged our FIN yet.
 * The words are right without it: a state not read is not claimed.
 *
 * -U has no handshake, FIN segments or RST: its words stay plain.
 */
#include <stdio.h>

#include "chat_int.h"
#include "i18n.h"
#include "opts.h"
#include "peer.h"
#include "tcpinfo.h"

/* Linux's numbers, as tcpinfo.h's state gives them */
#define TL_CLOSE	7
#define TL_CLOSING	11

static bool
is_tcp(const struct chat *c)
{
	return !c->o->udp && c->o->unix_path == NULL;
}

/* Listen side: the kernel finished the handshake before accept(); its
 * last step gave the first round-trip sample. */
void
chat_timeline_accepted(struct chat *c, struct peer *p)
{
	struct tcpinfo ti;

	if (is_tcp(c) && tcpinfo_read(p->s.st.fd, &ti) == 0 &&
	    ti.rtt_us > 0)
		chat_info(c, _("%s connected; the kernel completed the TCP "
		    "handshake (SYN \xe2\x86\x92 SYN-ACK \xe2\x86\x92 ACK) "
		    "before tcptalk accepted it, a round trip of %.2f ms"),
		    p->s.peer,
		    ti.rtt_us / 1000.0);
	else
		chat_info(c, _("%s connected"), p->s.peer);
}

/* The peer's FIN came first: we are in CLOSE_WAIT and may still send. */
void
chat_timeline_peer_fin(struct chat *c, struct peer *p)
{
	/* TCP cannot tell "done sending" from "gone": say both */
	if (!is_tcp(c))
		chat_info(c, p->nwaiting > 0 ?
		    _("%s finished sending (or left); you can still send: "
		    "Ctrl-D closes your side, /next takes the waiting peer") :
		    _("%s finished sending (or left); you can still send: "
		    "Ctrl-D closes your side, /quit leaves"), p->s.peer);
	else
		chat_info(c, p->nwaiting > 0 ?
		    _("%s sent FIN: it finished sending (or left); you can "
		    "still send (CLOSE_WAIT): Ctrl-D sends your FIN, /next "
		    "takes the waiting peer") :
		    _("%s sent FIN: it finished sending (or left); you can "
		    "still send (CLOSE_WAIT): Ctrl-D sends your FIN, /quit "
		    "leaves"), p->s.peer);
}

/* Ctrl-D: our FIN, now or once the queue is out. */
void
chat_timeline_our_fin(struct chat *c, struct peer *p)
{
	size_t queued = buf_used(&p->s.out);
	bool peer_fin;

	/* the peer's FIN may have come before ours though not read yet: the
	 * kernel's order, read now that ours is out (LAST_ACK, not
	 * FIN_WAIT_1) */
	peer_judge_fin(p);
	peer_fin = p->s.peer_eof || (is_tcp(c) && p->fin_judged &&
	    !p->fin_ours_first);

	if (!is_tcp(c)) {
		if (!p->s.peer_eof)	/* else the close follows */
			chat_info(c, _("you closed your sending side; still "
			    "receiving"));
	} else if (peer_fin) {
		/* the close follows at once, and says the rest */
		if (queued > 0)
			chat_info(c, P_("you closed your sending side: your FIN "
			    "follows the %zu byte still queued, and the "
			    "connection closes once the peer has it", "you closed "
			    "your sending side: your FIN follows the %zu bytes "
			    "still queued, and the connection closes once the "
			    "peer has them", queued), queued);
	} else if (queued > 0) {
		chat_info(c, P_("you closed your sending side: your FIN follows "
		    "the %zu byte still queued (then FIN_WAIT_1); the peer "
		    "may still send and you still receive (FIN_WAIT_2 once it "
		    "ACKs your FIN)", "you closed your sending side: your FIN "
		    "follows the %zu bytes still queued (then FIN_WAIT_1); the "
		    "peer may still send and you still receive (FIN_WAIT_2 "
		    "once it ACKs your FIN)", queued), queued);
	} else {
		chat_info(c, _("you closed your sending side: you sent FIN "
		    "(FIN_WAIT_1) and send nothing more; the peer may still "
		    "send and you still receive (FIN_WAIT_2 once it ACKs your "
		    "FIN)"));
	}
}

/* FIN both ways: which came first, and where each side is now. */
void
chat_timeline_closed(const struct chat *c, const struct peer *p, char *buf,
    size_t len)
{
	struct tcpinfo ti;
	bool known = is_tcp(c) && tcpinfo_read(p->s.st.fd, &ti) == 0;

	if (!is_tcp(c))
		snprintf(buf, len, _("connection with %s closed"), p->s.peer);
	else if (known && ti.state == TL_CLOSING)
		snprintf(buf, len, _("connection with %s closed: both sides "
		    "sent FIN at once (FIN_WAIT_1 \xe2\x86\x92 CLOSING "
		    "\xe2\x86\x92 TIME_WAIT); this side waits in TIME_WAIT for "
		    "60 s so late segments cannot confuse a new connection"),
		    p->s.peer);
	else if (p->fin_ours_first)
		snprintf(buf, len, _("connection with %s closed: you sent FIN "
		    "first, then the peer did (FIN_WAIT_1 \xe2\x86\x92 "
		    "FIN_WAIT_2 \xe2\x86\x92 TIME_WAIT); this side waits in "
		    "TIME_WAIT for 60 s so late segments cannot confuse a new "
		    "connection"),
		    p->s.peer);
	else if (known && ti.state == TL_CLOSE)
		snprintf(buf, len, _("connection with %s closed: the peer sent "
		    "FIN first, then you did, and it acknowledged yours "
		    "(CLOSE_WAIT \xe2\x86\x92 LAST_ACK \xe2\x86\x92 CLOSED)"),
		    p->s.peer);
	else
		snprintf(buf, len, _("connection with %s closed: the peer sent "
		    "FIN first, then you did (CLOSE_WAIT \xe2\x86\x92 "
		    "LAST_ACK, and CLOSED once it acknowledges yours)"),
		    p->s.peer);
}

/* A reset: RST by name, and the lines it took (their ✗ shows which). */
void
chat_timeline_reset(const struct chat *c, const struct peer *p, size_t lost,
    char *buf, size_t len)
{
	if (!is_tcp(c))
		snprintf(buf, len, _("connection with %s reset by the peer"),
		    p->s.peer);
	else if (lost == 0)
		snprintf(buf, len, _("the peer sent RST (reset): the "
		    "connection with %s is gone"), p->s.peer);
	else if (lost == 1)
		snprintf(buf, len, _("the peer sent RST (reset): the "
		    "connection with %s is gone, and the line not yet "
		    "acknowledged is lost (\xe2\x9c\x97)"), p->s.peer);
	else
		snprintf(buf, len, P_("the peer sent RST (reset): the "
		    "connection with %s is gone, and the %zu line not yet "
		    "acknowledged is lost (\xe2\x9c\x97)", "the peer sent RST "
		    "(reset): the connection with %s is gone, and the %zu "
		    "lines not yet acknowledged are lost (\xe2\x9c\x97)", lost),
		    p->s.peer, lost);
}
