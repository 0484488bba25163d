/*
 * chat_udp.c - what the chat says about datagrams (-u): there is no
 * connection, so no "connected", no FIN; instead the first sender, a new
 * sender under -k, an empty datagram and an ICMP "port unreachable" (which
 * only tells that nobody listened then: the chat stays, a later line may
 * find a server started since).
 */
#include <stdio.h>

#include "chat_int.h"
#include "i18n.h"
#include "opts.h"
#include "peer.h"
#include "ui.h"

void
chat_udp_opened(struct chat *c, struct peer *p)
{
	c->udp_senders = p->s.udp.senders;
	c->udp_refused = p->s.udp.refused;
	c->udp_empty = p->s.udp.empty;
	if (p->listening && p->o->keep_open)
		chat_info(c, _("UDP datagrams from %s; with -k any sender is "
		    "shown, and your lines go to the last one"), p->s.peer);
	else if (p->listening)
		chat_info(c, _("UDP datagrams from %s; your lines go to it, "
		    "and datagrams from others are not taken"), p->s.peer);
	else if (p->npeers > 1)
		chat_info(c, _("talking with %s again"), p->where);
	else
		chat_info(c, _("talking with %s: each line you send is one "
		    "datagram, each datagram received is one entry; /help "
		    "lists keys and commands"), p->where);
}

void
chat_udp_before(struct chat *c, struct peer *p)
{
	const struct udp *u = &p->s.udp;

	/* -l -k: who sent this datagram, before its entry; the first
	 * sender was named when it came */
	if (u->senders != c->udp_senders) {
		if (u->senders > 1)
			chat_info(c, _("UDP datagrams now come from %s; your "
			    "lines go to it"), p->s.peer);
		c->udp_senders = u->senders;
		snprintf(c->peer_addr, sizeof c->peer_addr, "%s", p->s.peer);
		c->dirty |= UI_ALL;
	}
}

void
chat_udp_after(struct chat *c, struct peer *p)
{
	const struct udp *u = &p->s.udp;

	if (u->empty != c->udp_empty) {
		c->udp_empty = u->empty;
		chat_info(c, _("%s sent an empty datagram"), p->s.peer);
	}
	if (u->refused != c->udp_refused) {
		c->udp_refused = u->refused;
		chat_info(c, _("%s: connection refused (nothing listens on "
		    "that UDP port now); the chat stays, a later line may "
		    "reach a server started since"), p->s.peer);
	}
}

void
chat_udp_help(struct chat *c)
{
	if (c->p->listening && c->o->keep_open)
		chat_info(c, _("UDP with -k: datagrams from any sender are "
		    "shown, a notice says when the sender changes, and your "
		    "lines go to the one that sent last"));
	else
		chat_info(c, _("UDP: each line you send is one datagram, each "
		    "datagram received is one entry; no connection, so "
		    "\"connection refused\" only says nobody listened then"));
}
