/*
 * trace.c - --trace's capture: the only file that includes pcap.h.
 *
 * It captures on "any", not on the interface of our address: before
 * connect() there is no local address yet (the route picks it), and the
 * handshake is what a learner wants to see first.  The kernel's filter
 * keeps every other packet out, so "any" costs nothing beyond ours; its
 * cooked header (SLL2) still names the interface, which the title shows.
 * Before the 4-tuple is known the filter is the role's port (listening,
 * it stays so: peers waiting to be accepted); tracefmt.c matches the exact
 * 4-tuple in any case and holds a new connection's segments until
 * accept() or connect() names it, so what the wider filter lets in is
 * never shown as ours.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "opts.h"
#include "record.h"
#include "trace.h"

#define TRACE_SNAPLEN	192	/* SLL2, IPv6 and a full TCP header */
#define TRACE_BATCH	256	/* packets taken per wake-up at most */
#define TRACE_DRAIN_MAX	64	/* batches trace_drain takes at most */

bool
trace_available(void)
{
	return true;
}

/* The port the role's first SYN goes to: 0 if it names none. */
static uint16_t
role_port(const struct tt_opts *o)
{
	const char *s = o->proxy != NULL && !o->listen ? o->proxy_port : o->port;
	struct servent *se;
	char *end;
	long n;

	if (s == NULL)
		return 0;
	n = strtol(s, &end, 10);
	if (*s != '\0' && *end == '\0')
		return n > 0 && n < 65536 ? (uint16_t)n : 0;
	se = getservbyname(s, "tcp");
	return se != NULL ? ntohs((uint16_t)se->s_port) : 0;
}

static int
set_filter(struct trace *t, const char *expr)
{
	pcap_t *p = t->pcap;
	struct bpf_program prog;
	int rc;

	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1)
		return -1;
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	return rc;
}

/* A segment of the connection: its line to the files and the mode. */
static void
show(struct trace *t, const struct tracefmt_seg *seg)
{
	char line[TRACEFMT_LINE_MAX], name[IF_NAMESIZE];

	/* each connection's own interface: a later -k peer may come by
	 * another */
	if (t->conn.nseg == 1)
		t->dev[0] = '\0';
	if (t->dev[0] == '\0' && seg->pkt->ifindex > 0 &&
	    if_indextoname((unsigned)seg->pkt->ifindex, name) != NULL)
		snprintf(t->dev, sizeof t->dev, "%s", name);
	(void)tracefmt_line(seg, line, sizeof line);
	if (t->hex != NULL)
		log_trace(t->hex, line);
	if (t->rec != NULL)
		(void)record_trace(t->rec, clock_wall_ms(), line);
	if (t->seg_cb != NULL)
		t->seg_cb(t->seg_arg, seg, line);
}

static void
packet_cb(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct trace *t = (struct trace *)arg;
	struct tracefmt_pkt pkt;
	struct tracefmt_seg seg;
	int64_t us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;

	if (tracefmt_parse((enum tracefmt_link)t->link, bytes, h->caplen,
	    &pkt) == 0 && tracefmt_seg(&t->conn, &pkt, us, &seg) == 0)
		show(t, &seg);
}

/* The capture broke (the device went, say): say why, stop it. */
static void
stop(struct trace *t, const char *why)
{
	snprintf(t->why, sizeof t->why, "%s", why);
	if (t->fd != -1 && t->loop != NULL)
		loop_del(t->loop, t->fd);
	t->fd = -1;
	pcap_close(t->pcap);
	t->pcap = NULL;
	t->capturing = false;
}

/* One batch; how many packets it took, -1 when the capture broke. */
static int
take(struct trace *t)
{
	int n = pcap_dispatch(t->pcap, TRACE_BATCH, packet_cb, (u_char *)t);

	if (n == PCAP_ERROR)
		stop(t, pcap_geterr(t->pcap));
	return n < 0 ? -1 : n;
}

static void
ready_cb(void *arg, short revents)
{
	struct trace *t = arg;

	(void)revents;
	if (t->capturing)
		(void)take(t);
}

static int
fail(struct trace *t, pcap_t *p, const char *why)
{
	snprintf(t->why, sizeof t->why, "%s", why);
	if (p != NULL)
		pcap_close(p);
	t->pcap = NULL;
	return -1;
}

int
trace_open(struct trace *t, const struct tt_opts *o, struct loop *loop)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	uint16_t port = role_port(o);
	pcap_t *p;
	int rc, dlt;

	t->on = true;
	t->fd = -1;
	t->loop = loop;
	if (port == 0)
		return fail(t, NULL, _("no TCP port to capture on"));
	tracefmt_conn_init(&t->conn, port, o->listen);
	snprintf(t->role_filter, sizeof t->role_filter, "tcp port %u", port);
	if ((p = pcap_create("any", errbuf)) == NULL)
		return fail(t, NULL, errbuf);
	(void)pcap_set_snaplen(p, TRACE_SNAPLEN);
	(void)pcap_set_immediate_mode(p, 1);	/* each segment as it comes */
	if ((rc = pcap_activate(p)) < 0) {
		t->denied = rc == PCAP_ERROR_PERM_DENIED;
		return fail(t, p, rc == PCAP_ERROR || rc == PCAP_ERROR_PERM_DENIED ?
		    pcap_geterr(p) : pcap_statustostr(rc));
	}
	t->pcap = p;
	/* SLL2 names the interface; v1 is all an older libpcap has */
	if (pcap_set_datalink(p, DLT_LINUX_SLL2) == -1)
		(void)pcap_set_datalink(p, DLT_LINUX_SLL);
	switch ((dlt = pcap_datalink(p))) {
	case DLT_LINUX_SLL2:	t->link = TRACEFMT_LINK_SLL2; break;
	case DLT_LINUX_SLL:	t->link = TRACEFMT_LINK_SLL; break;
	case DLT_EN10MB:	t->link = TRACEFMT_LINK_EN10MB; break;
	case DLT_RAW:		t->link = TRACEFMT_LINK_RAW; break;
	case DLT_NULL:		t->link = TRACEFMT_LINK_NULL; break;
	default:
		snprintf(errbuf, sizeof errbuf, _("link type %s is not known "
		    "here"), pcap_datalink_val_to_name(dlt));
		return fail(t, p, errbuf);
	}
	if (set_filter(t, t->role_filter) == -1 ||
	    pcap_setnonblock(p, 1, errbuf) == -1)
		return fail(t, p, errbuf[0] != '\0' ? errbuf : pcap_geterr(p));
	if ((t->fd = pcap_get_selectable_fd(p)) == -1)
		return fail(t, p, _("the capture has no descriptor to wait "
		    "on"));
	if (loop_add(loop, t->fd, NULL, ready_cb, t) == -1) {
		t->fd = -1;
		return fail(t, p, _("too many files to watch"));
	}
	t->capturing = true;
	return 0;
}

void
trace_set_hook(struct trace *t, trace_seg_fn *cb, void *arg)
{
	t->seg_cb = cb;
	t->seg_arg = arg;
}

/* A socket address as an end; an IPv4-mapped IPv6 one is IPv4 on the wire. */
static bool
end_of(const struct sockaddr_storage *ss, struct tracefmt_end *e, char *text,
    size_t len)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	memset(e, 0, sizeof *e);
	if (ss->ss_family == AF_INET) {
		e->family = 4;
		memcpy(e->addr, &in->sin_addr, 4);
		e->port = ntohs(in->sin_port);
	} else if (ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		e->family = 4;
		memcpy(e->addr, in6->sin6_addr.s6_addr + 12, 4);
		e->port = ntohs(in6->sin6_port);
	} else if (ss->ss_family == AF_INET6) {
		e->family = 6;
		memcpy(e->addr, &in6->sin6_addr, 16);
		e->port = ntohs(in6->sin6_port);
	} else {
		return false;
	}
	return inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, text,
	    (socklen_t)len) != NULL;
}

void
trace_peer(struct trace *t, int fd)
{
	struct sockaddr_storage a, b;
	socklen_t la = sizeof a, lb = sizeof b;
	struct tracefmt_end local, remote;
	struct tracefmt_seg seg;
	char ta[INET6_ADDRSTRLEN], tb[INET6_ADDRSTRLEN], expr[400];

	if (!t->capturing || getsockname(fd, (struct sockaddr *)&a, &la) == -1 ||
	    getpeername(fd, (struct sockaddr *)&b, &lb) == -1 ||
	    !end_of(&a, &local, ta, sizeof ta) ||
	    !end_of(&b, &remote, tb, sizeof tb))
		return;
	/* what the capture holds first: the handshake is in it, held until
	 * now because only accept() or connect() says whose it is */
	trace_drain(t);
	if (!t->capturing)
		return;
	tracefmt_conn_set(&t->conn, &local, &remote);
	while (tracefmt_replay(&t->conn, &seg) == 0)
		show(t, &seg);
	/* listening, the role's filter stays: the SYNs and first segments
	 * of peers waiting to be accepted (-k) are held for when they are */
	if (t->conn.role_local)
		return;
	snprintf(expr, sizeof expr, "tcp and ((src host %s and src port %u "
	    "and dst host %s and dst port %u) or (src host %s and src port %u "
	    "and dst host %s and dst port %u))", ta, local.port, tb,
	    remote.port, tb, remote.port, ta, local.port);
	(void)set_filter(t, expr);	/* kept wide if refused: still exact */
	/* once it ended, /reconnect's SYN goes to the same host: other
	 * traffic to that port (HTTPS, say) must not wake an idle chat */
	snprintf(t->gone_filter, sizeof t->gone_filter, "tcp and ((dst host "
	    "%s and dst port %u) or (src host %s and src port %u))", tb,
	    remote.port, tb, remote.port);
}

void
trace_peer_gone(struct trace *t)
{
	if (!t->capturing || t->conn.role_local)
		return;
	(void)set_filter(t, t->gone_filter[0] != '\0' ? t->gone_filter :
	    t->role_filter);
}

void
trace_drain(struct trace *t)
{
	int i;

	for (i = 0; i < TRACE_DRAIN_MAX && t->capturing; i++)
		if (take(t) <= 0)
			break;
}

uint64_t
trace_dropped(struct trace *t)
{
	struct pcap_stat st;

	if (!t->capturing || pcap_stats(t->pcap, &st) == -1)
		return 0;
	return (uint64_t)st.ps_drop;
}

void
trace_close(struct trace *t)
{
	if (!t->capturing)
		return;
	trace_drain(t);
	if (t->capturing)
		stop(t, "closed");
	t->seg_cb = NULL;
}
