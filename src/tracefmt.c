/*
 * tracefmt.c - --trace's segments: frame -> IP -> TCP -> this connection's
 * relative numbers -> a line.  Pure: trace.c hands in the captured bytes.
 * Every length is checked against what was captured: the frames come from
 * the wire, and the snaplen cuts them after the headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tracefmt.h"

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_QINQ	0x88a8
#define IPPROTO_TCP_	6

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

bool
tracefmt_seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* The TCP options we show; a malformed list ends the walk, not the parse. */
static void
parse_options(const unsigned char *o, size_t n, struct tracefmt_pkt *pkt)
{
	size_t i = 0, l;

	while (i < n) {
		if (o[i] == 0)			/* end of list */
			break;
		if (o[i] == 1) {		/* no-op */
			i++;
			continue;
		}
		if (i + 1 >= n || (l = o[i + 1]) < 2 || i + l > n)
			break;
		if (o[i] == 2 && l == 4) {
			pkt->has_mss = true;
			pkt->mss = get16(o + i + 2);
		} else if (o[i] == 3 && l == 3) {
			pkt->has_ws = true;
			pkt->ws = o[i + 2] > 14 ? 14 : o[i + 2];	/* RFC 7323 */
		} else if (o[i] == 4 && l == 2) {
			pkt->sack_perm = true;
		} else if (o[i] == 8 && l == 10) {
			pkt->has_ts = true;
			pkt->tsval = get32(o + i + 2);
			pkt->tsecr = get32(o + i + 6);
		}
		i += l;
	}
}

/* p[0..n) is a TCP header, iplen the IP payload's length it heads. */
static int
parse_tcp(const unsigned char *p, size_t n, size_t iplen,
    struct tracefmt_pkt *pkt)
{
	size_t hl;

	if (n < 20 || iplen < 20)
		return -1;
	hl = (size_t)(p[12] >> 4) * 4;
	if (hl < 20 || hl > n || hl > iplen)
		return -1;
	pkt->src.port = get16(p);
	pkt->dst.port = get16(p + 2);
	pkt->seq = get32(p + 4);
	pkt->ack = get32(p + 8);
	pkt->flags = p[13];
	pkt->win = get16(p + 14);
	pkt->len = (uint32_t)(iplen - hl);
	parse_options(p + 20, hl - 20, pkt);
	return 0;
}

static int
parse_ipv4(const unsigned char *p, size_t n, struct tracefmt_pkt *pkt)
{
	size_t hl, total;

	if (n < 20 || p[0] >> 4 != 4)
		return -1;
	hl = (size_t)(p[0] & 0x0f) * 4;
	total = get16(p + 2);
	/* a fragment: the TCP header is whole in none but the first, and
	 * that one's IP length is not the segment's */
	if (hl < 20 || hl > n || total < hl || p[9] != IPPROTO_TCP_ ||
	    (get16(p + 6) & 0x3fff) != 0)
		return -1;
	pkt->src.family = pkt->dst.family = 4;
	memcpy(pkt->src.addr, p + 12, 4);
	memcpy(pkt->dst.addr, p + 16, 4);
	return parse_tcp(p + hl, n - hl, total - hl, pkt);
}

static int
parse_ipv6(const unsigned char *p, size_t n, struct tracefmt_pkt *pkt)
{
	size_t off = 40, len, l;
	int next, hops;

	if (n < 40 || p[0] >> 4 != 6)
		return -1;
	len = get16(p + 4);		/* 0: a jumbogram, not ours */
	next = p[6];
	pkt->src.family = pkt->dst.family = 6;
	memcpy(pkt->src.addr, p + 8, 16);
	memcpy(pkt->dst.addr, p + 24, 16);
	/* hop-by-hop, routing and destination options may come first */
	for (hops = 0; next != IPPROTO_TCP_; hops++) {
		if (hops == 8 || (next != 0 && next != 43 && next != 60) ||
		    off + 8 > n)
			return -1;
		l = ((size_t)p[off + 1] + 1) * 8;
		if (l > len || off + l > n)
			return -1;
		next = p[off];
		off += l;
		len -= l;
	}
	return parse_tcp(p + off, n - off, len, pkt);
}

static int
parse_ip(int ethertype, const unsigned char *p, size_t n,
    struct tracefmt_pkt *pkt)
{
	if (ethertype == ETHERTYPE_IPV4)
		return parse_ipv4(p, n, pkt);
	if (ethertype == ETHERTYPE_IPV6)
		return parse_ipv6(p, n, pkt);
	return -1;
}

int
tracefmt_parse(enum tracefmt_link link, const unsigned char *f, size_t n,
    struct tracefmt_pkt *pkt)
{
	size_t off;
	uint32_t fam;
	int type, tags;

	memset(pkt, 0, sizeof *pkt);
	switch (link) {
	case TRACEFMT_LINK_EN10MB:
		if (n < 14)
			return -1;
		off = 14;
		type = get16(f + 12);
		for (tags = 0; (type == ETHERTYPE_VLAN ||
		    type == ETHERTYPE_QINQ) && tags < 2; tags++) {
			if (off + 4 > n)
				return -1;
			type = get16(f + off + 2);
			off += 4;
		}
		return parse_ip(type, f + off, n - off, pkt);
	case TRACEFMT_LINK_SLL:
		if (n < 16)
			return -1;
		return parse_ip(get16(f + 14), f + 16, n - 16, pkt);
	case TRACEFMT_LINK_SLL2:
		if (n < 20)
			return -1;
		pkt->ifindex = (int)(get32(f + 4) & 0x7fffffff);
		return parse_ip(get16(f), f + 20, n - 20, pkt) == -1 ? -1 : 0;
	case TRACEFMT_LINK_RAW:
		if (n < 1)
			return -1;
		return parse_ip(f[0] >> 4 == 4 ? ETHERTYPE_IPV4 : f[0] >> 4 == 6 ?
		    ETHERTYPE_IPV6 : -1, f, n, pkt);
	case TRACEFMT_LINK_NULL:
		if (n < 4)
			return -1;
		/* the family in the capturing host's order: take either */
		fam = (uint32_t)f[0] | (uint32_t)f[1] << 8 |
		    (uint32_t)f[2] << 16 | (uint32_t)f[3] << 24;
		if (fam > 0xffff)
			fam = get32(f);
		if (fam == 2)
			return parse_ip(ETHERTYPE_IPV4, f + 4, n - 4, pkt);
		if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
			return parse_ip(ETHERTYPE_IPV6, f + 4, n - 4, pkt);
		return -1;
	}
	return -1;
}

static bool
same_end(const struct tracefmt_end *a, const struct tracefmt_end *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16) == 0;
}

/* Forget the segments: a new connection on the same role.  The
 * candidates stay: another peer may be waiting to be accepted. */
static void
conn_restart(struct tracefmt_conn *c)
{
	uint16_t port = c->role_port;
	bool role_local = c->role_local;

	memset(c, 0, offsetof(struct tracefmt_conn, cands));
	c->role_port = port;
	c->role_local = role_local;
	c->replay = -1;
	c->replayed = 0;
}

void
tracefmt_conn_init(struct tracefmt_conn *c, uint16_t role_port,
    bool role_local)
{
	memset(c, 0, sizeof *c);
	c->role_port = role_port;
	c->role_local = role_local;
	c->replay = -1;
}

static bool
cand_has(const struct tracefmt_cand *k, const struct tracefmt_end *x,
    const struct tracefmt_end *y)
{
	return k->n > 0 && ((same_end(&k->a, x) && same_end(&k->b, y)) ||
	    (same_end(&k->a, y) && same_end(&k->b, x)));
}

void
tracefmt_conn_set(struct tracefmt_conn *c, const struct tracefmt_end *local,
    const struct tracefmt_end *remote)
{
	int i;

	if (c->local.family != 0 && same_end(&c->local, local) &&
	    same_end(&c->remote, remote))
		return;
	conn_restart(c);
	c->local = *local;
	c->remote = *remote;
	for (i = 0; i < TRACEFMT_CANDS; i++)
		if (cand_has(&c->cands[i], local, remote)) {
			c->replay = i;
			break;
		}
}

/*
 * Not the followed connection's segment.  A first SYN (no ACK) to
 * role_port opens a candidate; what follows on its 4-tuple joins it, a few
 * segments of it.  Whose it is only accept() or connect() can say: another
 * socket may listen on the same port at another address, or this host
 * connect to the same port elsewhere.
 */
static void
hold(struct tracefmt_conn *c, const struct tracefmt_pkt *p, int64_t t_us)
{
	struct tracefmt_cand *k = NULL;
	int i, pick = -1;

	for (i = 0; i < TRACEFMT_CANDS && k == NULL; i++)
		if (cand_has(&c->cands[i], &p->src, &p->dst))
			k = &c->cands[i];
	if ((p->flags & (TRACEFMT_SYN | TRACEFMT_ACK)) == TRACEFMT_SYN &&
	    c->role_port != 0 && p->dst.port == c->role_port &&
	    (k == NULL || k->pkt[0].seq != p->seq)) {
		if (k == NULL) {	/* a free one, else the oldest */
			for (i = 0; i < TRACEFMT_CANDS; i++) {
				if (i == c->replay)
					continue;
				if (pick == -1 || c->cands[i].n == 0 ||
				    (c->cands[pick].n > 0 &&
				    c->cands[i].born < c->cands[pick].born))
					pick = i;
				if (c->cands[i].n == 0)
					break;
			}
			k = &c->cands[pick];
		}
		k->a = p->src;		/* new, or its tuple used again */
		k->b = p->dst;
		k->n = 0;
		k->born = ++c->ncands;
	}
	if (k != NULL && k->n < TRACEFMT_HELD) {
		k->pkt[k->n] = *p;
		k->t_us[k->n++] = t_us;
	}
}

/* 0: we sent it, 1: the peer did, -1: another connection's. */
static int
direction(struct tracefmt_conn *c, const struct tracefmt_pkt *p)
{
	struct tracefmt_end l = c->local, r = c->remote;
	int d;

	if (c->local.family == 0)
		return -1;
	if (same_end(&p->src, &c->local) && same_end(&p->dst, &c->remote))
		d = 0;
	else if (same_end(&p->src, &c->remote) && same_end(&p->dst, &c->local))
		d = 1;
	else
		return -1;
	/* the 4-tuple used again: a fresh SYN with another ISN starts anew */
	if ((p->flags & (TRACEFMT_SYN | TRACEFMT_ACK)) == TRACEFMT_SYN &&
	    c->have_isn[d] && p->seq != c->isn[d]) {
		conn_restart(c);
		c->local = l;
		c->remote = r;
	}
	return d;
}

static void
hole_drop(struct tracefmt_conn *c, int d, int i)
{
	memmove(&c->holes[d][i], &c->holes[d][i + 1],
	    (size_t)(c->nholes[d] - i - 1) * sizeof c->holes[d][0]);
	c->nholes[d]--;
}

/* [s, e) was not seen below next at t_us: remember it (the oldest goes
 * when full, but never keep: a split's other half). */
static void
hole_add(struct tracefmt_conn *c, int d, uint32_t s, uint32_t e,
    int64_t t_us, int keep)
{
	int n;

	if (c->nholes[d] == TRACEFMT_HOLES)
		hole_drop(c, d, keep == 0 ? 1 : 0);
	n = c->nholes[d];
	c->holes[d][n].start = s;
	c->holes[d][n].end = e;
	c->holes[d][n].t_us = t_us;
	c->nholes[d] = n + 1;
}

/*
 * [s, e) came at t_us: true when it fills some of a hole (new to us, then),
 * which shrinks, splits or goes; *late when that hole opened more than
 * TRACEFMT_REORDER_US before: the first copy was lost before the capture
 * saw it, and this is the sender's retransmission.
 */
static bool
hole_fill(struct tracefmt_conn *c, int d, uint32_t s, uint32_t e,
    int64_t t_us, bool *late)
{
	bool filled = false;
	uint32_t hs, he;
	int64_t ht;
	int i, keep;

	*late = false;
	for (i = 0; i < c->nholes[d]; i++) {
		hs = c->holes[d][i].start;
		he = c->holes[d][i].end;
		ht = c->holes[d][i].t_us;
		if (!tracefmt_seq_after(e, hs) || !tracefmt_seq_after(he, s))
			continue;		/* no overlap */
		filled = true;
		if (t_us - ht > TRACEFMT_REORDER_US)
			*late = true;
		if (tracefmt_seq_after(s, hs) && tracefmt_seq_after(he, e)) {
			c->holes[d][i].end = s;		/* a split */
			keep = i;
			if (c->nholes[d] == TRACEFMT_HOLES && i > 0)
				i--;	/* index 0 goes: this one moves down */
			hole_add(c, d, e, he, ht, keep);
		} else if (tracefmt_seq_after(s, hs)) {
			c->holes[d][i].end = s;
		} else if (tracefmt_seq_after(he, e)) {
			c->holes[d][i].start = e;
		} else {
			hole_drop(c, d, i);
			i--;
		}
	}
	return filled;
}

/* A segment of the followed connection, direction d: its view. */
static void
follow(struct tracefmt_conn *c, int d, const struct tracefmt_pkt *p,
    int64_t t_us, struct tracefmt_seg *s)
{
	uint32_t span, end;
	bool syn = (p->flags & TRACEFMT_SYN) != 0, late;

	if (!c->started) {
		c->started = true;
		c->t0_us = t_us;
	}
	if (syn && !c->have_isn[d]) {
		c->have_isn[d] = true;
		c->isn[d] = p->seq;
	}
	if (syn)
		c->saw_syn[d] = true;
	if (syn && p->has_ws) {
		c->sent_ws[d] = true;
		c->ws[d] = p->ws;
	}
	if (!c->have_isn[d]) {		/* caught mid-way: data counts from 1 */
		c->have_isn[d] = true;
		c->isn[d] = p->seq - 1;
	}
	span = p->len + (syn ? 1 : 0) + ((p->flags & TRACEFMT_FIN) ? 1 : 0);
	end = p->seq + span;
	memset(s, 0, sizeof *s);
	s->out = d == 0;
	s->t_us = t_us - c->t0_us;
	s->flags = p->flags;
	s->seq = p->seq - c->isn[d];
	s->ack_known = (p->flags & TRACEFMT_ACK) && c->have_isn[!d];
	s->ack = s->ack_known ? p->ack - c->isn[!d] : 0;
	s->win = p->win;
	/* the window scale counts once both SYNs offered it, never on SYNs;
	 * without both SYNs seen it is not known */
	if (!syn && c->sent_ws[0] && c->sent_ws[1])
		s->win = (uint64_t)p->win << c->ws[d];
	s->win_unscaled = !syn && !(c->saw_syn[0] && c->saw_syn[1]);
	s->len = p->len;
	s->pkt = p;
	/* data (or SYN, FIN) that ends where what was sent already ended,
	 * unless it fills a gap soon after it opened: then the capture saw
	 * it late */
	if (span > 0 && c->have_next[d] && !tracefmt_seq_after(end, c->next[d]))
		s->retransmission = !hole_fill(c, d, p->seq, end, t_us, &late) ||
		    late;
	else if (span > 0 && c->have_next[d] && tracefmt_seq_after(p->seq,
	    c->next[d]))
		hole_add(c, d, c->next[d], p->seq, t_us, -1);
	if (span > 0 && (!c->have_next[d] ||
	    tracefmt_seq_after(end, c->next[d]))) {
		c->have_next[d] = true;
		c->next[d] = end;
	}
	c->nseg++;
}

int
tracefmt_seg(struct tracefmt_conn *c, const struct tracefmt_pkt *p,
    int64_t t_us, struct tracefmt_seg *s)
{
	int d = direction(c, p);

	if (d == -1) {
		hold(c, p, t_us);
		return -1;
	}
	follow(c, d, p, t_us, s);
	return 0;
}

int
tracefmt_replay(struct tracefmt_conn *c, struct tracefmt_seg *s)
{
	struct tracefmt_cand *k;
	int d, j;

	if (c->replay < 0 || c->replay >= TRACEFMT_CANDS)
		return -1;
	k = &c->cands[c->replay];
	while (c->replayed < k->n) {
		j = c->replayed++;
		if ((d = direction(c, &k->pkt[j])) != -1) {
			follow(c, d, &k->pkt[j], k->t_us[j], s);
			return 0;
		}
	}
	k->n = 0;
	c->replay = -1;
	c->replayed = 0;
	return -1;
}

/* Like snprintf at out + *j, the length counted even past the room. */
static void __attribute__((format(printf, 4, 5)))
add(char *out, size_t len, size_t *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*j < len ? out + *j : NULL, *j < len ? len - *j : 0,
	    fmt, ap);
	va_end(ap);
	if (n > 0)
		*j += (size_t)n;
}

size_t
tracefmt_line(const struct tracefmt_seg *s, char *out, size_t len)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH",
	    "ACK", "URG", "ECE", "CWR" };
	const struct tracefmt_pkt *p = s->pkt;
	int64_t t = s->t_us < 0 ? 0 : s->t_us;
	size_t j = 0, i, k = 0;
	char flags[64];

	flags[0] = '\0';
	for (i = 0; i < 8; i++)
		if (s->flags & (1u << i))
			k += (size_t)snprintf(flags + k, sizeof flags - k, "%s%s",
			    k > 0 ? ", " : "", names[i]);
	if (len > 0)
		out[0] = '\0';
	add(out, len, &j, "%lld.%03lld ms %c [%s] seq=%u",
	    (long long)(t / 1000), (long long)(t % 1000), s->out ? '>' : '<',
	    k > 0 ? flags : "none", s->seq);
	if ((s->flags & TRACEFMT_ACK) && s->ack_known)
		add(out, len, &j, " ack=%u", s->ack);
	else if (s->flags & TRACEFMT_ACK)	/* the other side's ISN not seen */
		add(out, len, &j, " ack=?");
	add(out, len, &j, " win=%llu%s len=%u", (unsigned long long)s->win,
	    s->win_unscaled ? "(unscaled)" : "", s->len);
	if (p != NULL && p->has_mss)
		add(out, len, &j, " mss=%u", p->mss);
	if (p != NULL && p->sack_perm)
		add(out, len, &j, " sack_perm");
	if (p != NULL && p->has_ts && (s->flags & TRACEFMT_SYN))
		add(out, len, &j, " ts");
	if (p != NULL && p->has_ws)
		add(out, len, &j, " ws=%u", p->ws);
	if (s->retransmission)
		add(out, len, &j, " retransmission");
	return j;
}
