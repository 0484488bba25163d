/* Unit tests for tracefmt, --trace's pure half: hand-made frames (SLL2,
 * SLL, Ethernet, raw IP, BSD loopback; IPv4 and IPv6) parsed into TCP
 * segments, followed as one connection (direction, relative numbers with
 * wrap-around, the scaled window, retransmissions, the segments held
 * until the connection is named) and formatted; frames
 * that are garbage or cut short are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tracefmt.h"

static const unsigned char LO4[4] = { 127, 0, 0, 1 };
static const unsigned char LO6[16] = { [15] = 1 };
static const unsigned char OTHER4[4] = { 10, 0, 0, 2 };

/* A segment to build: who sends it, and its TCP header's fields. */
struct mk {
	int		 family;	/* 4 or 6 */
	const unsigned char *src, *dst;
	uint16_t	 sport, dport;
	uint8_t		 flags;
	uint32_t	 seq, ack;
	uint16_t	 win;
	const unsigned char *opts;	/* a multiple of 4 bytes */
	size_t		 optlen;
	uint16_t	 len;		/* payload: counted in the IP length,
					 * not captured (the snaplen) */
};

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* The IP packet (headers only) at p; its length. */
static size_t
ip_packet(unsigned char *p, const struct mk *m)
{
	size_t tcp = 20 + m->optlen, ip = m->family == 4 ? 20 : 40;
	unsigned char *t = p + ip;

	memset(p, 0, ip + tcp);
	if (m->family == 4) {
		p[0] = 0x45;
		put16(p + 2, (unsigned)(ip + tcp + m->len));
		put16(p + 6, 0x4000);		/* don't fragment */
		p[8] = 64;
		p[9] = 6;
		memcpy(p + 12, m->src, 4);
		memcpy(p + 16, m->dst, 4);
	} else {
		p[0] = 0x60;
		put16(p + 4, (unsigned)(tcp + m->len));
		p[6] = 6;
		p[7] = 64;
		memcpy(p + 8, m->src, 16);
		memcpy(p + 24, m->dst, 16);
	}
	put16(t, m->sport);
	put16(t + 2, m->dport);
	put32(t + 4, m->seq);
	put32(t + 8, m->ack);
	t[12] = (unsigned char)((tcp / 4) << 4);
	t[13] = m->flags;
	put16(t + 14, m->win);
	if (m->optlen > 0)
		memcpy(t + 20, m->opts, m->optlen);
	return ip + tcp;
}

/* The frame as "any" (SLL2, ifindex 1) captures it; its length. */
static size_t
sll2(unsigned char *f, const struct mk *m)
{
	memset(f, 0, 20);
	put16(f, m->family == 4 ? 0x0800 : 0x86dd);
	put32(f + 4, 1);
	put16(f + 8, 772);		/* ARPHRD_LOOPBACK */
	return 20 + ip_packet(f + 20, m);
}

/* MSS 65495, SACK permitted, timestamps, window scale 7: Linux's SYN. */
static const unsigned char SYN_OPTS[20] = { 2, 4, 0xff, 0xd7, 4, 2, 8, 10,
	0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };

static struct tracefmt_end
end(int family, const unsigned char *a, uint16_t port)
{
	struct tracefmt_end e = { .family = family, .port = port };

	memcpy(e.addr, a, family == 4 ? 4 : 16);
	return e;
}

/* Parse the SLL2 frame of m and follow it: the line, or "" if refused. */
static int
feed(struct tracefmt_conn *c, const struct mk *m, int64_t t_us, char *line,
    size_t len, struct tracefmt_seg *seg)
{
	static struct tracefmt_pkt pkt;		/* seg->pkt points here */
	unsigned char f[256];
	struct tracefmt_seg s;
	size_t n = sll2(f, m);

	line[0] = '\0';
	if (tracefmt_parse(TRACEFMT_LINK_SLL2, f, n, &pkt) == -1 ||
	    tracefmt_seg(c, &pkt, t_us, &s) == -1)
		return -1;
	(void)tracefmt_line(&s, line, len);
	if (seg != NULL)
		*seg = s;
	return 0;
}

/* We connect from 40000 to 8888 on 127.0.0.1. */
static void
connect_conn(struct tracefmt_conn *c)
{
	struct tracefmt_end l = end(4, LO4, 40000), r = end(4, LO4, 8888);

	tracefmt_conn_init(c, 8888, false);
	tracefmt_conn_set(c, &l, &r);
}

#define OUT4(fl, sq, ak, w, n) (struct mk){ 4, LO4, LO4, 40000, 8888, (fl), \
	(sq), (ak), (w), NULL, 0, (n) }
#define IN4(fl, sq, ak, w, n) (struct mk){ 4, LO4, LO4, 8888, 40000, (fl), \
	(sq), (ak), (w), NULL, 0, (n) }

/* The handshake: SYN with its options, SYN-ACK, ACK with the window
 * scaled from both SYNs' ws; numbers relative to each side's ISN. */
static void
test_tracefmt_handshake(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 1000, 0, 65495, 0);
	m.opts = SYN_OPTS;
	m.optlen = sizeof SYN_OPTS;
	assert_int_equal(feed(&c, &m, 5000000, line, sizeof line, &s), 0);
	assert_true(s.out);
	assert_true(s.pkt->has_mss && s.pkt->has_ws && s.pkt->sack_perm &&
	    s.pkt->has_ts);
	assert_int_equal(s.pkt->mss, 65495);
	assert_int_equal(s.pkt->ws, 7);
	assert_string_equal(line, "0.000 ms > [SYN] seq=0 win=65495 len=0 "
	    "mss=65495 sack_perm ts ws=7");
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 7777, 1001, 65483, 0);
	m.opts = SYN_OPTS;
	m.optlen = sizeof SYN_OPTS;
	assert_int_equal(feed(&c, &m, 5000012, line, sizeof line, &s), 0);
	assert_false(s.out);
	assert_string_equal(line, "0.012 ms < [SYN, ACK] seq=0 ack=1 "
	    "win=65483 len=0 mss=65495 sack_perm ts ws=7");
	m = OUT4(TRACEFMT_ACK, 1001, 7778, 512, 0);
	assert_int_equal(feed(&c, &m, 5001234, line, sizeof line, &s), 0);
	assert_string_equal(line, "1.234 ms > [ACK] seq=1 ack=1 win=65536 "
	    "len=0");
	assert_int_equal(c.nseg, 3);
}

/* A line's segment and its ACK, the close, a reset; no scaling when only
 * one side offered it. */
static void
test_tracefmt_data_fin_rst(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 0, 0, 100, 0);
	m.opts = SYN_OPTS;
	m.optlen = sizeof SYN_OPTS;
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), 0);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 500, 1, 100, 0);	/* no ws */
	assert_int_equal(feed(&c, &m, 10, line, sizeof line, NULL), 0);
	m = OUT4(TRACEFMT_PSH | TRACEFMT_ACK, 1, 501, 512, 6);
	assert_int_equal(feed(&c, &m, 2000, line, sizeof line, &s), 0);
	assert_string_equal(line, "2.000 ms > [PSH, ACK] seq=1 ack=1 win=512 "
	    "len=6");
	assert_false(s.retransmission);
	m = IN4(TRACEFMT_ACK, 501, 7, 512, 0);
	assert_int_equal(feed(&c, &m, 2050, line, sizeof line, NULL), 0);
	assert_string_equal(line, "2.050 ms < [ACK] seq=1 ack=7 win=512 len=0");
	m = OUT4(TRACEFMT_FIN | TRACEFMT_ACK, 7, 501, 512, 0);
	assert_int_equal(feed(&c, &m, 3000, line, sizeof line, NULL), 0);
	assert_string_equal(line, "3.000 ms > [FIN, ACK] seq=7 ack=1 win=512 "
	    "len=0");
	m = IN4(TRACEFMT_ACK, 501, 8, 512, 0);	/* the FIN counts one */
	assert_int_equal(feed(&c, &m, 3001, line, sizeof line, NULL), 0);
	assert_string_equal(line, "3.001 ms < [ACK] seq=1 ack=8 win=512 len=0");
	m = IN4(TRACEFMT_RST, 501, 0, 0, 0);
	assert_int_equal(feed(&c, &m, 4000, line, sizeof line, &s), 0);
	assert_string_equal(line, "4.000 ms < [RST] seq=1 win=0 len=0");
	assert_true(s.flags & TRACEFMT_RST);
}

/* IPv6 over each link type we may open. */
static void
test_tracefmt_ipv6_links(void **state)
{
	struct mk m = { 6, LO6, LO6, 40000, 8888, TRACEFMT_PSH | TRACEFMT_ACK,
	    10, 20, 300, NULL, 0, 42 };
	unsigned char f[256];
	struct tracefmt_pkt p;
	size_t n;
	int link;

	(void)state;
	for (link = 0; link <= TRACEFMT_LINK_NULL; link++) {
		memset(f, 0, sizeof f);
		switch (link) {
		case TRACEFMT_LINK_EN10MB:
			put16(f + 12, 0x86dd);
			n = 14 + ip_packet(f + 14, &m);
			break;
		case TRACEFMT_LINK_SLL:
			put16(f + 14, 0x86dd);
			n = 16 + ip_packet(f + 16, &m);
			break;
		case TRACEFMT_LINK_SLL2:
			n = sll2(f, &m);
			break;
		case TRACEFMT_LINK_RAW:
			n = ip_packet(f, &m);
			break;
		default:		/* AF_INET6 on Linux, host order */
			f[0] = 10;
			n = 4 + ip_packet(f + 4, &m);
			break;
		}
		assert_int_equal(tracefmt_parse((enum tracefmt_link)link, f, n,
		    &p), 0);
		assert_int_equal(p.src.family, 6);
		assert_memory_equal(p.dst.addr, LO6, 16);
		assert_int_equal(p.src.port, 40000);
		assert_int_equal(p.dst.port, 8888);
		assert_int_equal(p.seq, 10);
		assert_int_equal(p.ack, 20);
		assert_int_equal(p.win, 300);
		assert_int_equal(p.len, 42);
		assert_int_equal(p.flags, TRACEFMT_PSH | TRACEFMT_ACK);
	}
	/* a hop-by-hop options header before TCP */
	n = ip_packet(f + 8, &m);
	memmove(f, f + 8, 40);
	f[6] = 0;			/* next: hop-by-hop */
	memset(f + 40, 0, 8);
	f[40] = 6;			/* its next: TCP; length 8 */
	put16(f + 4, (unsigned)(n - 40 + 8 + 42));
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_RAW, f, n + 8, &p), 0);
	assert_int_equal(p.len, 42);
	assert_int_equal(p.dst.port, 8888);
}

/* An ISN just below 2^32: relative numbers run on across the wrap, and
 * a sequence number just after 2^32 - 1 is "after". */
static void
test_tracefmt_wrap(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	assert_true(tracefmt_seq_after(5, 0xfffffffa));
	assert_false(tracefmt_seq_after(0xfffffffa, 5));
	assert_false(tracefmt_seq_after(7, 7));
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 0xfffffff0, 0, 100, 0);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), 0);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 0xfffffffe, 0xfffffff1, 100, 0);
	assert_int_equal(feed(&c, &m, 1, line, sizeof line, NULL), 0);
	m = OUT4(TRACEFMT_ACK, 0xfffffff1, 0xffffffff, 100, 32);
	assert_int_equal(feed(&c, &m, 2, line, sizeof line, &s), 0);
	assert_int_equal(s.seq, 1);
	assert_int_equal(s.ack, 1);
	/* past 2^32: seq 0x11 is 33 bytes on, not a retransmission */
	m = OUT4(TRACEFMT_ACK, 0x00000011, 0x00000005, 100, 10);
	assert_int_equal(feed(&c, &m, 3, line, sizeof line, &s), 0);
	assert_int_equal(s.seq, 33);
	assert_int_equal(s.ack, 7);
	assert_false(s.retransmission);
	assert_string_equal(line, "0.003 ms > [ACK] seq=33 ack=7 win=100 "
	    "len=10");
	m = IN4(TRACEFMT_ACK, 0xffffffff, 0x0000001b, 100, 0);
	assert_int_equal(feed(&c, &m, 4, line, sizeof line, &s), 0);
	assert_int_equal(s.ack, 43);
}

/* A segment whose data we saw sent already is a retransmission; new data
 * (even overlapping), pure ACKs and the other direction are not. */
static void
test_tracefmt_retransmission(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 100, 0, 100, 0);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	assert_int_equal(feed(&c, &m, 1000000, line, sizeof line, &s), 0);
	assert_true(s.retransmission);		/* the SYN again */
	assert_string_equal(line, "1000.000 ms > [SYN] seq=0 win=100 len=0 "
	    "retransmission");
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 900, 101, 100, 0);
	assert_int_equal(feed(&c, &m, 1000100, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	m = OUT4(TRACEFMT_PSH | TRACEFMT_ACK, 101, 901, 100, 10);
	assert_int_equal(feed(&c, &m, 1000200, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	assert_int_equal(feed(&c, &m, 1200200, line, sizeof line, &s), 0);
	assert_true(s.retransmission);
	assert_non_null(strstr(line, "len=10 retransmission"));
	m = OUT4(TRACEFMT_PSH | TRACEFMT_ACK, 106, 901, 100, 5);  /* inside */
	assert_int_equal(feed(&c, &m, 1200300, line, sizeof line, &s), 0);
	assert_true(s.retransmission);
	m = OUT4(TRACEFMT_PSH | TRACEFMT_ACK, 106, 901, 100, 10); /* beyond */
	assert_int_equal(feed(&c, &m, 1200400, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	m = OUT4(TRACEFMT_ACK, 116, 901, 100, 0);
	assert_int_equal(feed(&c, &m, 1200500, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	assert_int_equal(feed(&c, &m, 1200600, line, sizeof line, &s), 0);
	assert_false(s.retransmission);		/* a duplicate ACK is none */
	m = IN4(TRACEFMT_PSH | TRACEFMT_ACK, 901, 116, 100, 3);
	assert_int_equal(feed(&c, &m, 1200700, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
}

/* Segments captured out of order (the capture runs on several CPUs): the
 * late one fills a gap and is no retransmission, nor is a gap filled bit
 * by bit; what comes again after that is one. */
static void
test_tracefmt_out_of_order(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];
	int i;

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 0, 0, 100, 0);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), 0);
	m = OUT4(TRACEFMT_ACK, 101, 1, 100, 100);	/* 1..100 not seen */
	assert_int_equal(feed(&c, &m, 1, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	m = OUT4(TRACEFMT_ACK, 1, 1, 100, 100);		/* late: new to us */
	assert_int_equal(feed(&c, &m, 2, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	assert_int_equal(feed(&c, &m, 3, line, sizeof line, &s), 0);
	assert_true(s.retransmission);			/* now it is */
	/* a gap of 300 filled in three pieces, the middle one first */
	m = OUT4(TRACEFMT_ACK, 501, 1, 100, 100);
	assert_int_equal(feed(&c, &m, 4, line, sizeof line, &s), 0);
	for (i = 0; i < 3; i++) {
		m = OUT4(TRACEFMT_ACK, (uint32_t)(201 + (i + 1) % 3 * 100), 1,
		    100, 100);
		assert_int_equal(feed(&c, &m, 5 + i, line, sizeof line, &s), 0);
		assert_false(s.retransmission);
	}
	m = OUT4(TRACEFMT_ACK, 351, 1, 100, 100);	/* all seen now */
	assert_int_equal(feed(&c, &m, 9, line, sizeof line, &s), 0);
	assert_true(s.retransmission);
	assert_int_equal(c.nholes[0], 0);
}

/* Another connection's segments are not ours.  A SYN to the role's port
 * and what follows it are held until accept() (or connect()) names the
 * connection, then shown in order; one never named (another listener on
 * the same port at another address) is never shown. */
static void
test_tracefmt_match(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct tracefmt_end l, r;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 1, 0, 100, 0);
	m.sport = 40001;
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), -1);
	m = OUT4(TRACEFMT_SYN, 1, 0, 100, 0);
	m.dst = OTHER4;
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), -1);
	assert_int_equal(c.nseg, 0);
	assert_int_equal(tracefmt_replay(&c, &s), -1);

	tracefmt_conn_init(&c, 8888, true);
	m = IN4(TRACEFMT_ACK, 1, 1, 100, 0);	/* no SYN: nobody's */
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), -1);
	/* another socket listening on 8888 at 10.0.0.2: its client */
	m = (struct mk){ 4, LO4, OTHER4, 40000, 8888, TRACEFMT_SYN, 77, 0, 100,
	    NULL, 0, 0 };
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), -1);
	m = (struct mk){ 4, OTHER4, LO4, 8888, 40000, TRACEFMT_SYN |
	    TRACEFMT_ACK, 9, 78, 100, NULL, 0, 0 };
	assert_int_equal(feed(&c, &m, 1, line, sizeof line, NULL), -1);
	m = OUT4(TRACEFMT_SYN, 5000, 0, 100, 0);	/* 40000 -> 8888: ours */
	assert_int_equal(feed(&c, &m, 2, line, sizeof line, NULL), -1);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 70, 5001, 100, 0);
	assert_int_equal(feed(&c, &m, 7, line, sizeof line, NULL), -1);
	assert_int_equal(c.nseg, 0);
	l = end(4, LO4, 8888);
	r = end(4, LO4, 40000);
	tracefmt_conn_set(&c, &l, &r);	/* accept(): this one */
	assert_int_equal(tracefmt_replay(&c, &s), 0);
	assert_false(s.out);		/* listening: it came to us */
	assert_int_equal(s.flags, TRACEFMT_SYN);
	assert_int_equal(s.t_us, 0);
	assert_int_equal(tracefmt_replay(&c, &s), 0);
	assert_true(s.out);
	assert_int_equal(s.t_us, 5);
	assert_int_equal(s.ack, 1);
	assert_int_equal(tracefmt_replay(&c, &s), -1);
	assert_int_equal(c.nseg, 2);
	m = OUT4(TRACEFMT_ACK, 5001, 71, 100, 0);
	assert_int_equal(feed(&c, &m, 11, line, sizeof line, &s), 0);
	assert_string_equal(line, "0.009 ms < [ACK] seq=1 ack=1 win=100 len=0");
	/* a second client's handshake and data while the first is on (-k):
	 * held, not shown */
	m = OUT4(TRACEFMT_SYN, 9, 0, 100, 0);
	m.sport = 40002;
	assert_int_equal(feed(&c, &m, 20, line, sizeof line, NULL), -1);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 300, 10, 100, 0);
	m.dport = 40002;
	assert_int_equal(feed(&c, &m, 21, line, sizeof line, NULL), -1);
	m = OUT4(TRACEFMT_PSH | TRACEFMT_ACK, 10, 301, 100, 4);
	m.sport = 40002;
	assert_int_equal(feed(&c, &m, 22, line, sizeof line, NULL), -1);
	assert_int_equal(c.nseg, 3);
	r.port = 40002;
	tracefmt_conn_set(&c, &l, &r);	/* the first left; accept() */
	assert_int_equal(c.nseg, 0);
	assert_int_equal(tracefmt_replay(&c, &s), 0);
	assert_int_equal(s.t_us, 0);
	assert_int_equal(tracefmt_replay(&c, &s), 0);
	assert_int_equal(tracefmt_replay(&c, &s), 0);
	(void)tracefmt_line(&s, line, sizeof line);
	assert_string_equal(line, "0.002 ms < [PSH, ACK] seq=1 ack=1 win=100 "
	    "len=4");
	assert_int_equal(tracefmt_replay(&c, &s), -1);
	assert_int_equal(c.nseg, 3);
	assert_int_equal(c.remote.port, 40002);
	/* the other listener's client was never named */
	r = end(4, LO4, 40000);
	l = end(4, OTHER4, 8888);
	tracefmt_conn_set(&c, &l, &r);
	assert_int_equal(tracefmt_replay(&c, &s), 0);	/* named now: shown */
	assert_int_equal(s.pkt->seq, 77);
}

/* The same 4-tuple used again: a fresh SYN with another ISN is a new
 * connection, numbered from its own ISN and time. */
static void
test_tracefmt_tuple_reused(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 100, 0, 100, 0);
	assert_int_equal(feed(&c, &m, 1000, line, sizeof line, NULL), 0);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 900, 101, 100, 0);
	assert_int_equal(feed(&c, &m, 1001, line, sizeof line, NULL), 0);
	m = OUT4(TRACEFMT_FIN | TRACEFMT_ACK, 101, 901, 100, 0);
	assert_int_equal(feed(&c, &m, 1002, line, sizeof line, NULL), 0);
	m = OUT4(TRACEFMT_SYN, 100, 0, 100, 0);		/* the same again */
	assert_int_equal(feed(&c, &m, 1003, line, sizeof line, &s), 0);
	assert_true(s.retransmission);
	m = OUT4(TRACEFMT_SYN, 70000, 0, 100, 0);	/* a new ISN */
	assert_int_equal(feed(&c, &m, 2000000, line, sizeof line, &s), 0);
	assert_string_equal(line, "0.000 ms > [SYN] seq=0 win=100 len=0");
	assert_int_equal(c.nseg, 1);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 4000, 70001, 100, 0);
	assert_int_equal(feed(&c, &m, 2000010, line, sizeof line, &s), 0);
	assert_string_equal(line, "0.010 ms < [SYN, ACK] seq=0 ack=1 win=100 "
	    "len=0");
}

/* Caught mid-way (the SYNs not seen, -k's exact filter before): the ACK
 * of an ISN not known is "?", the window is marked unscaled. */
static void
test_tracefmt_midway(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = IN4(TRACEFMT_PSH | TRACEFMT_ACK, 5000, 123456, 64, 5);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, &s), 0);
	assert_false(s.ack_known);
	assert_true(s.win_unscaled);
	assert_string_equal(line, "0.000 ms < [PSH, ACK] seq=1 ack=? "
	    "win=64(unscaled) len=5");
	m = OUT4(TRACEFMT_ACK, 123456, 5005, 64, 0);
	assert_int_equal(feed(&c, &m, 1, line, sizeof line, &s), 0);
	assert_string_equal(line, "0.001 ms > [ACK] seq=1 ack=6 "
	    "win=64(unscaled) len=0");
}

/* The peer's segment lost before our capture saw it: the next one opens
 * a gap; the sender's resend fills it a timeout later, a retransmission,
 * where a fill within TRACEFMT_REORDER_US is the capture's reordering. */
static void
test_tracefmt_lost_before_capture(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 0, 0, 100, 0);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), 0);
	m = IN4(TRACEFMT_SYN | TRACEFMT_ACK, 1000, 1, 100, 0);
	assert_int_equal(feed(&c, &m, 10, line, sizeof line, NULL), 0);
	m = IN4(TRACEFMT_ACK, 1101, 1, 100, 100);	/* 1001..1100 lost */
	assert_int_equal(feed(&c, &m, 10000, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	m = IN4(TRACEFMT_ACK, 1201, 1, 100, 100);
	assert_int_equal(feed(&c, &m, 10500, line, sizeof line, NULL), 0);
	m = IN4(TRACEFMT_ACK, 1001, 1, 100, 50);	/* a half: reordered */
	assert_int_equal(feed(&c, &m, 11000, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	m = IN4(TRACEFMT_ACK, 1051, 1, 100, 50);	/* 200 ms on: resent */
	assert_int_equal(feed(&c, &m, 210000, line, sizeof line, &s), 0);
	assert_true(s.retransmission);
	assert_non_null(strstr(line, "len=50 retransmission"));
	assert_int_equal(c.nholes[1], 0);
}

/* Four gaps held and the oldest split by a segment in its middle: the
 * split keeps both halves (another gap goes), so the rest of it filled
 * later is no retransmission. */
static void
test_tracefmt_hole_split_full(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m;
	char line[TRACEFMT_LINE_MAX];
	int i;

	(void)state;
	connect_conn(&c);
	m = OUT4(TRACEFMT_SYN, 0, 0, 100, 0);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, NULL), 0);
	for (i = 0; i < 4; i++) {	/* gaps [1,101) [201,301) ... */
		m = OUT4(TRACEFMT_ACK, (uint32_t)(101 + 200 * i), 1, 100, 100);
		assert_int_equal(feed(&c, &m, 1 + i, line, sizeof line, &s), 0);
	}
	assert_int_equal(c.nholes[0], 4);
	m = OUT4(TRACEFMT_ACK, 41, 1, 100, 20);		/* [41,61) */
	assert_int_equal(feed(&c, &m, 10, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	assert_int_equal(c.nholes[0], 4);
	m = OUT4(TRACEFMT_ACK, 1, 1, 100, 40);		/* [1,41) */
	assert_int_equal(feed(&c, &m, 11, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
	m = OUT4(TRACEFMT_ACK, 61, 1, 100, 40);		/* [61,101) */
	assert_int_equal(feed(&c, &m, 12, line, sizeof line, &s), 0);
	assert_false(s.retransmission);
}

/* Frames that are not TCP over IP, or cut short anywhere, are refused. */
static void
test_tracefmt_garbage(void **state)
{
	struct mk m = OUT4(TRACEFMT_ACK, 1, 1, 100, 0);
	unsigned char f[256], g[256];
	struct tracefmt_pkt p;
	size_t n, i;

	(void)state;
	m.opts = SYN_OPTS;
	m.optlen = sizeof SYN_OPTS;
	n = sll2(f, &m);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, f, n, &p), 0);
	for (i = 0; i < n; i++)		/* cut anywhere in the headers */
		assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, f, i, &p), -1);
	memcpy(g, f, n);
	g[20] = 0x44;			/* IHL 4 */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	put16(g + 22, 30);		/* total length below the headers */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	g[29] = 17;			/* UDP */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	put16(g + 26, 0x0010);		/* a later fragment */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	put16(g + 26, 0x2000);		/* the first, more to come */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	g[40 + 12] = 0x40;		/* TCP data offset 4 */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	g[40 + 12] = 0xf0;		/* 60 bytes: more than captured */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	put16(g, 0x0806);		/* ARP */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	memcpy(g, f, n);
	g[20] = 0x55;			/* IP version 5 */
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, g, n, &p), -1);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_RAW, g + 20, n - 20,
	    &p), -1);
	/* IPv6: a fragment header; a length shorter than the TCP header */
	m.family = 6;
	m.src = m.dst = LO6;
	n = ip_packet(f, &m);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_RAW, f, n, &p), 0);
	memcpy(g, f, n);
	g[6] = 44;
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_RAW, g, n, &p), -1);
	memcpy(g, f, n);
	put16(g + 4, 12);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_RAW, g, n, &p), -1);
	for (i = 0; i < n; i++)
		assert_int_equal(tracefmt_parse(TRACEFMT_LINK_RAW, f, i, &p), -1);
	/* a malformed option list ends the options, not the segment */
	m = OUT4(TRACEFMT_SYN, 1, 0, 100, 0);
	m.opts = (const unsigned char[4]){ 2, 0, 1, 1 };	/* length 0 */
	m.optlen = 4;
	n = sll2(f, &m);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_SLL2, f, n, &p), 0);
	assert_false(p.has_mss);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_NULL, f, 3, &p), -1);
	assert_int_equal(tracefmt_parse(TRACEFMT_LINK_EN10MB, f, 13, &p), -1);
}

/* Like snprintf: cut but NUL-ended, the whole length back. */
static void
test_tracefmt_line_cut(void **state)
{
	struct tracefmt_conn c;
	struct tracefmt_seg s;
	struct mk m = OUT4(TRACEFMT_SYN | TRACEFMT_ACK | TRACEFMT_FIN |
	    TRACEFMT_RST | TRACEFMT_PSH | TRACEFMT_URG | TRACEFMT_ECE |
	    TRACEFMT_CWR, 1, 1, 65535, 65000);
	char line[TRACEFMT_LINE_MAX], small[10];
	size_t n;

	(void)state;
	m.opts = SYN_OPTS;
	m.optlen = sizeof SYN_OPTS;
	connect_conn(&c);
	assert_int_equal(feed(&c, &m, 0, line, sizeof line, &s), 0);
	assert_non_null(strstr(line, "[FIN, SYN, RST, PSH, ACK, URG, ECE, CWR]"));
	n = tracefmt_line(&s, small, sizeof small);
	assert_int_equal(n, strlen(line));
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_memory_equal(small, line, sizeof small - 1);
	assert_true(n < TRACEFMT_LINE_MAX);
	s.flags = 0;
	(void)tracefmt_line(&s, line, sizeof line);
	assert_non_null(strstr(line, "[none]"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracefmt_handshake),
		cmocka_unit_test(test_tracefmt_data_fin_rst),
		cmocka_unit_test(test_tracefmt_ipv6_links),
		cmocka_unit_test(test_tracefmt_wrap),
		cmocka_unit_test(test_tracefmt_retransmission),
		cmocka_unit_test(test_tracefmt_out_of_order),
		cmocka_unit_test(test_tracefmt_match),
		cmocka_unit_test(test_tracefmt_tuple_reused),
		cmocka_unit_test(test_tracefmt_midway),
		cmocka_unit_test(test_tracefmt_lost_before_capture),
		cmocka_unit_test(test_tracefmt_hole_split_full),
		cmocka_unit_test(test_tracefmt_garbage),
		cmocka_unit_test(test_tracefmt_line_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
