/*
 * stream.h - a connected byte stream as the session sees it: a plain
 * socket, or TLS over one (tls.h).  Reads fill a struct buf, writes drain
 * one; nothing here polls, and the plain case keeps buf.c's splice path.
 */
#ifndef TCPTALK_STREAM_H
#define TCPTALK_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

struct tls;
struct stream;

/* Bytes went to the socket: after each plain write, after each TLS record. */
typedef void stream_wrote_fn(void *arg, const struct stream *);

struct stream {
	int		 fd;
	struct tls	*tls;		/* NULL: plain */
	short		 read_want;	/* TLS: what the last read waits for */
	short		 write_want;	/* TLS: what the last write (or
					 * close_notify) waits for */
	bool		 truncated;	/* TLS: EOF without close_notify */
	int		 held;		/* TLS: an end (0) or error (-1) that
					 * came after bytes in one read, told
					 * at the next; STREAM_NOTHING_HELD */
	int		 held_errno;
	uint64_t	 written;	/* bytes stream_write took, ever (plain
					 * text, over TLS) */
	uint64_t	 wire_plain;	/* of them, those that went as they are,
					 * before any TLS (stream_wire) */
	stream_wrote_fn	*wrote_cb;	/* NULL, or told as bytes go */
	void		*wrote_arg;
};

#define STREAM_NOTHING_HELD	1

/* Into b: >0 bytes, 0 the peer's end (FIN, close_notify), BUF_AGAIN,
 * -1 error (errno; TLS: tls_error says more). */
ssize_t	stream_read(struct stream *, struct buf *);
/* From b: >0 bytes sent, BUF_AGAIN, -1 error. */
ssize_t	stream_write(struct stream *, struct buf *);
/* Our end: close_notify first for TLS, then SHUT_WR.  0 done, BUF_AGAIN
 * (call again when write_want is met), -1 error. */
int	stream_shutdown(struct stream *);
/* Bytes already received and decrypted: readable with no poll event. */
size_t	stream_pending(const struct stream *);
/* Bytes the socket took, as the peer's TCP acknowledges them: written
 * over plain TCP; over TLS the records (handshake, alerts, and the
 * overhead of each) after the plain bytes before it.  The STARTTLS
 * exchange (written by the session) is not counted: an ack reckoned from
 * this is late by that much, never early. */
uint64_t stream_wire(const struct stream *);
/* Why the last call failed, when errno alone does not say (TLS). */
const char *stream_error(const struct stream *);

#endif
