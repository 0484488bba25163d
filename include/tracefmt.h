/*
 * tracefmt.h - --trace's pure half: a captured frame -> its TCP segment ->
 * this connection's view of it (direction, sequence numbers relative to
 * each side's ISN, the scaled window, retransmissions) -> one line:
 *
 *   0.000 ms > [SYN] seq=0 win=65495 len=0 mss=65495 sack_perm ts ws=7
 *   0.021 ms < [SYN, ACK] seq=0 ack=1 win=65483 len=0 mss=65495 ...
 *   0.034 ms > [ACK] seq=1 ack=1 win=65536 len=0
 *
 * trace.c (the only pcap file) captures; nothing here knows pcap.
 */
#ifndef TCPTALK_TRACEFMT_H
#define TCPTALK_TRACEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The link layers trace.c opens (its DLT_ values map to these). */
enum tracefmt_link {
	TRACEFMT_LINK_EN10MB,	/* Ethernet (lo has an all-zero one) */
	TRACEFMT_LINK_SLL,	/* Linux "any", cooked v1 (16 bytes) */
	TRACEFMT_LINK_SLL2,	/* Linux "any", cooked v2 (20, ifindex) */
	TRACEFMT_LINK_RAW,	/* the IP header first */
	TRACEFMT_LINK_NULL	/* BSD loopback: a 4-byte family first */
};

/* TCP's flag bits, as in the header's 13th byte. */
#define TRACEFMT_FIN	0x01
#define TRACEFMT_SYN	0x02
#define TRACEFMT_RST	0x04
#define TRACEFMT_PSH	0x08
#define TRACEFMT_ACK	0x10
#define TRACEFMT_URG	0x20
#define TRACEFMT_ECE	0x40
#define TRACEFMT_CWR	0x80

#define TRACEFMT_LINE_MAX	256	/* a line, NUL included */
#define TRACEFMT_HOLES		4	/* gaps remembered per direction */

/* One end of a connection: family (4 or 6), address, port. */
struct tracefmt_end {
	int		 family;	/* 4 or 6; 0: not known */
	unsigned char	 addr[16];	/* IPv4 in the first 4 bytes */
	uint16_t	 port;
};

/* A TCP segment as it was on the wire. */
struct tracefmt_pkt {
	struct tracefmt_end src, dst;
	int		 ifindex;	/* SLL2's interface; 0: not known */
	uint8_t		 flags;		/* TRACEFMT_* */
	uint32_t	 seq, ack;
	uint16_t	 win;		/* as sent, unscaled */
	uint32_t	 len;		/* payload bytes (from the IP length:
					 * the capture keeps headers only) */
	bool		 has_mss, has_ws, sack_perm, has_ts;
	uint16_t	 mss;
	uint8_t		 ws;
	uint32_t	 tsval, tsecr;
};

/* The connection's state: who we are, and what each side has sent. */
struct tracefmt_conn {
	struct tracefmt_end local, remote;	/* family 0: not known yet */
	uint16_t	 role_port;	/* before the tuple is known: a SYN
					 * to this port starts it */
	bool		 role_local;	/* role_port is ours (listening) */
	bool		 gone;		/* the peer ended: the next SYN to
					 * role_port starts a new one */
	bool		 started;	/* t0 is set */
	int64_t		 t0_us;		/* the first segment's time */
	uint64_t	 nseg;
	/* per direction: 0 ours (out), 1 the peer's (in) */
	bool		 have_isn[2];
	uint32_t	 isn[2];	/* relative numbers count from here */
	bool		 have_next[2];
	uint32_t	 next[2];	/* the highest seq + len sent so far */
	/* ranges below next not seen yet (captured out of order, or lost
	 * before the capture): what fills them is no retransmission */
	struct { uint32_t start, end; } holes[2][TRACEFMT_HOLES];
	int		 nholes[2];
	bool		 sent_ws[2];
	uint8_t		 ws[2];
};

/* The segment as this connection sees it. */
struct tracefmt_seg {
	bool		 out;		/* we sent it */
	int64_t		 t_us;		/* since the connection's first segment */
	uint8_t		 flags;
	uint32_t	 seq, ack;	/* relative */
	uint64_t	 win;		/* scaled when both SYNs agreed to */
	uint32_t	 len;
	bool		 retransmission;
	const struct tracefmt_pkt *pkt;	/* its options */
};

/*
 * A captured frame (caplen bytes of it) -> pkt.  -1 when it is no TCP
 * segment over IPv4 or IPv6, or too short to hold its headers (a
 * fragment after the first, garbage).
 */
int	tracefmt_parse(enum tracefmt_link, const unsigned char *frame,
	    size_t caplen, struct tracefmt_pkt *pkt);
/* Wait for a connection with role_port (ours if role_local); forget any. */
void	tracefmt_conn_init(struct tracefmt_conn *, uint16_t role_port,
	    bool role_local);
/* The connection is this 4-tuple from now; its state is kept when it is
 * the one already followed (latched from its SYN), else started anew. */
void	tracefmt_conn_set(struct tracefmt_conn *,
	    const struct tracefmt_end *local, const struct tracefmt_end *remote);
/*
 * A segment captured at t_us (any clock in microseconds): 0 and seg filled
 * when it belongs to the connection (its state updated), -1 when not.
 */
int	tracefmt_seg(struct tracefmt_conn *, const struct tracefmt_pkt *,
	    int64_t t_us, struct tracefmt_seg *seg);
/* The segment's line (no newline), like snprintf: the whole length back. */
size_t	tracefmt_line(const struct tracefmt_seg *, char *out, size_t len);
/* Sequence-number order with wrap-around: a is after b. */
bool	tracefmt_seq_after(uint32_t a, uint32_t b);

#endif
