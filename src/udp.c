/*
 * udp.c - datagrams over a session's byte buffers (-u): where each queued
 * datagram ends, one recv or send per datagram, and who sent last.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "udp.h"

bool
udp_room(const struct udp *u, size_t n)
{
	size_t need = n == 0 ? 1 : (n + UDP_MAX_PAYLOAD - 1) / UDP_MAX_PAYLOAD;

	return need <= UDP_MAX_QUEUED - u->n;
}

int
udp_note(struct udp *u, size_t n)
{
	size_t len;

	if (!udp_room(u, n))
		return -1;
	do {
		len = n > UDP_MAX_PAYLOAD ? UDP_MAX_PAYLOAD : n;
		u->lens[(u->head + u->n) % UDP_MAX_QUEUED] = (uint32_t)len;
		u->n++;
		u->queued += len;
		n -= len;
	} while (n > 0);
	return 0;
}

size_t
udp_first(struct udp *u, size_t used)
{
	uint32_t *last;
	size_t drop;

	/* bytes taken back from the queue's end: the newest datagrams shrink
	 * or go */
	while (u->queued > used && u->n > 0) {
		last = &u->lens[(u->head + u->n - 1) % UDP_MAX_QUEUED];
		drop = u->queued - used;
		if (*last > drop) {
			*last -= (uint32_t)drop;
			u->queued -= drop;
		} else {
			u->queued -= *last;
			u->n--;
		}
	}
	if (u->n == 0)
		u->head = 0;
	return u->n == 0 ? 0 : u->lens[u->head];
}

void
udp_sent(struct udp *u)
{
	if (u->n == 0)
		return;
	u->queued -= u->lens[u->head];
	u->head = (u->head + 1) % UDP_MAX_QUEUED;
	if (--u->n == 0)
		u->head = 0;
}

bool
udp_from(struct udp *u, const struct sockaddr *sa, socklen_t len)
{
	if (len == u->lastlen && memcmp(sa, &u->last, len) == 0)
		return false;
	if (len > sizeof u->last)
		len = sizeof u->last;
	memcpy(&u->last, sa, len);
	u->lastlen = len;
	net_addr_str(sa, len, u->from, sizeof u->from);
	u->senders++;
	return true;
}

static ssize_t
again_or_error(struct udp *u)
{
	if (errno == ECONNREFUSED) {
		u->refused++;
		return BUF_AGAIN;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return BUF_AGAIN;
	return -1;
}

ssize_t
udp_recv(struct udp *u, struct buf *b, int fd)
{
	char dgram[UDP_RECV_MAX];
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	ssize_t n;

	if (buf_space(b) < sizeof dgram)
		return BUF_AGAIN;
	if (u->unconnected)
		n = recvfrom(fd, dgram, sizeof dgram, 0, (struct sockaddr *)&ss,
		    &len);
	else
		n = recv(fd, dgram, sizeof dgram, 0);
	if (n == -1)
		return again_or_error(u);
	if (u->unconnected)
		(void)udp_from(u, (struct sockaddr *)&ss, len);
	buf_append(b, dgram, (size_t)n);
	u->dgrams_in++;
	if (n == 0)
		u->empty++;
	return n;
}

ssize_t
udp_send(struct udp *u, struct buf *b, int fd)
{
	const char *p;
	size_t len, avail;
	ssize_t n, total = 0;
	int i;

	/* a few at once: one poll round per datagram would be slow */
	for (i = 0; i < 64; i++) {
		len = udp_first(u, buf_used(b));
		if (u->n == 0)
			break;
		if (u->unconnected && u->lastlen == 0)
			break;		/* nobody to answer yet */
		p = buf_peek(b, &avail);
		if (u->unconnected)
			n = sendto(fd, p, len, 0, (struct sockaddr *)&u->last,
			    u->lastlen);
		else
			n = send(fd, p, len, 0);
		if (n == -1) {
			n = again_or_error(u);
			return total > 0 ? total : n;
		}
		buf_consume(b, len);
		udp_sent(u);
		u->dgrams_out++;
		total += (ssize_t)len;
	}
	return total;
}
