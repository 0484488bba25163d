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
#define TRACEFMT_CANDS		4	/* connections held before one is named */
#define TRACEFMT_HELD		8	/* segments held of each */
#define TRACEFMT_REORDER_US	2000	/* a gap filled later than this after
					 * it opened was a loss, not the
					 * capture's reordering */

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

/* A connection whose SYN was seen but which nobody named yet (another
 * socket's, or ours before connect() or accept() returns): its first
 * segments, shown only if tracefmt_conn_set names it. */
struct tracefmt_cand {
	struct tracefmt_end a, b;	/* the SYN's source and destination */
	uint64_t	 born;		/* order of arrival: the oldest goes */
	int		 n;		/* segments held (more are not) */
	struct tracefmt_pkt pkt[TRACEFMT_HELD];
	int64_t		 t_us[TRACEFMT_HELD];
};

/* The connection's state: who we are, and what each side has sent. */
struct tracefmt_conn {
	struct tracefmt_end local, remote;	/* family 0: not known yet */
	uint16_t	 role_port;	/* a SYN to this port is held as a
					 * candidate until one is named */
	bool		 role_local;	/* role_port is ours (listening) */
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
	struct { uint32_t start, end; int64_t t_us; } holes[2][TRACEFMT_HOLES];
	int		 nholes[2];
	bool		 saw_syn[2];	/* the window scale is known */
	bool		 sent_ws[2];
	uint8_t		 ws[2];
	/* kept across connections: the SYNs not named yet */
	struct tracefmt_cand cands[TRACEFMT_CANDS];
	uint64_t	 ncands;	/* candidates ever made */
	int		 replay;	/* the named one's index, -1: none */
	int		 replayed;	/* of its segments, shown so far */
};

/* The segment as this connection sees it. */
struct tracefmt_seg {
	bool		 out;		/* we sent it */
	int64_t		 t_us;		/* since the connection's first segment */
	uint8_t		 flags;
	uint32_t	 seq, ack;	/* relative */
	bool		 ack_known;	/* the other side's ISN is known */
	uint64_t	 win;		/* scaled when both SYNs agreed to */
	bool		 win_unscaled;	/* the SYNs were not seen: the scale
					 * is not known, win is as sent */
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
/* The connection is this 4-tuple from now (accept() or connect() named
 * it): its state is kept when it is the one already followed, else it
 * starts anew and the segments held for it wait in tracefmt_replay. */
void	tracefmt_conn_set(struct tracefmt_conn *,
	    const struct tracefmt_end *local, const struct tracefmt_end *remote);
/* After tracefmt_conn_set: the next segment held for the connection,
 * oldest first (seg->pkt valid until the next call): 0, or -1 when none
 * is left. */
int	tracefmt_replay(struct tracefmt_conn *, struct tracefmt_seg *seg);
/*
 * A segment captured at t_us (any clock in microseconds): 0 and seg filled
 * when it belongs to the connection (its state updated), -1 when not (a
 * SYN to role_port and what follows it on its 4-tuple are held, a few of
 * each, until tracefmt_conn_set names that connection or it is forgotten).
 */
int	tracefmt_seg(struct tracefmt_conn *, const struct tracefmt_pkt *,
	    int64_t t_us, struct tracefmt_seg *seg);
/* The segment's line (no newline), like snprintf: the whole length back. */
size_t	tracefmt_line(const struct tracefmt_seg *, char *out, size_t len);
/* Sequence-number order with wrap-around: a is after b. */
bool	tracefmt_seq_after(uint32_t a, uint32_t b);

#endif
