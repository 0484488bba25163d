/*
 * udp.h - -u: a session's bytes as datagrams.  The session keeps its byte
 * buffers; this remembers where one datagram ends and the next begins in
 * the queue to send, reads and sends one datagram at a time, and keeps
 * what a datagram socket has instead of a connection's state: who sent
 * last (-l -k answers it), how many ICMP "port unreachable" came back.
 */
#ifndef TCPTALK_UDP_H
#define TCPTALK_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "net.h"

struct buf;

#define UDP_MAX_PAYLOAD	65507	/* the most one IPv4 datagram carries */
#define UDP_RECV_MAX	65536	/* room a read needs: an IPv6 one fits */
#define UDP_MAX_QUEUED	4096	/* datagrams waiting to go */

struct udp {
	bool		 on;		/* the session is a datagram socket */
	bool		 unconnected;	/* -l -k: any sender; answer the last */
	struct sockaddr_storage last;	/* unconnected: who sent last */
	socklen_t	 lastlen;	/* 0: nobody yet */
	char		 from[NET_ADDRSTRLEN];	/* last, as text */
	uint64_t	 senders;	/* bumped when the sender changes */
	uint64_t	 dgrams_in;	/* datagrams received, empty ones too */
	uint64_t	 dgrams_out;
	uint64_t	 empty;		/* empty datagrams received */
	uint64_t	 refused;	/* ICMP port unreachable came back */
	/* the sizes of the datagrams queued to send, oldest first */
	uint32_t	 lens[UDP_MAX_QUEUED];
	size_t		 head, n;
	size_t		 queued;	/* their sum */
};

/* Pure: n bytes just queued are datagrams of at most UDP_MAX_PAYLOAD
 * each (one, unless n is bigger).  -1 (nothing noted) when that many more
 * do not fit the count. */
int	udp_note(struct udp *, size_t n);
/* Could n more bytes be noted? */
bool	udp_room(const struct udp *, size_t n);
/* Pure: the first datagram's size, 0 if none is queued.  used is the
 * bytes the queue holds: what was taken back from its end (buf_drop_tail)
 * is forgotten here too. */
size_t	udp_first(struct udp *, size_t used);
/* Pure: the first datagram left. */
void	udp_sent(struct udp *);
/* Pure: a datagram came from sa; true when that is a new sender (then
 * from holds its address). */
bool	udp_from(struct udp *, const struct sockaddr *, socklen_t);

/*
 * Read one datagram into b (which needs UDP_RECV_MAX bytes of room):
 * its size (0 for an empty one), BUF_AGAIN, or -1 with errno.  An ICMP
 * "port unreachable" is counted in refused, not an error: UDP has no
 * connection to lose, a later datagram may find the port open.
 */
ssize_t	udp_recv(struct udp *, struct buf *b, int fd);
/* Send the queued datagrams, each in one send: the bytes sent (>0),
 * BUF_AGAIN, or -1 with errno; refused as for udp_recv (that datagram is
 * sent again). */
ssize_t	udp_send(struct udp *, struct buf *b, int fd);

#endif
