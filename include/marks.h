/*
 * marks.h - the delivery marks of sent lines: which lines the kernel has
 * taken (written), which the peer's TCP has acknowledged, and which never
 * will be (the connection ended first).  Pure bookkeeping: each waiting
 * line is its seq and the offset in the byte stream just past its last
 * byte; the caller reads the counters (bytes written, bytes acknowledged)
 * and hands them in.  Offsets are compared wrap-safe, so 64-bit counters
 * may wrap.
 *
 * Two streams of offsets: the bytes written (what the program sends) and
 * the bytes on the wire (what the peer's TCP acknowledges).  Over plain
 * TCP they are one; over TLS the wire carries records, each a little
 * longer than its text, and handshake and alerts besides.  A line's wire
 * end is the wire count when its last byte went (marks_wrote); acks are
 * compared with that.
 */
#ifndef TCPTALK_MARKS_H
#define TCPTALK_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mark {
	MARK_NONE,	/* no mark: not a line we track */
	MARK_QUEUED,	/* in our send queue, not yet given to the kernel */
	MARK_WRITTEN,	/* written to the kernel: "·" */
	MARK_ACKED,	/* the peer's TCP acknowledged its last byte: "✓" */
	MARK_FAILED	/* the connection ended before that: "✗" */
};

struct marks_line {
	uint64_t	 seq;
	uint64_t	 end;		/* stream offset just past its last byte */
	uint64_t	 wire;		/* wire count once that byte went */
};

/* A FIFO of lines waiting for their ack, oldest first. */
struct marks {
	struct marks_line *q;
	size_t		 cap, head, n;
	size_t		 nwire;		/* lines from the front whose wire
					 * end is known: written */
	size_t		 ntold;		/* of them, those told MARK_WRITTEN */
};

/* A line's mark changed. */
typedef void (*marks_fn)(void *arg, uint64_t seq, enum mark);

void	marks_init(struct marks *);
void	marks_free(struct marks *);
/* A line queued to send; 0, or -1 when out of memory (it gets no mark). */
int	marks_add(struct marks *, uint64_t seq, uint64_t end);
/* Lines waiting for their ack (0: nothing to read TCP_INFO for). */
size_t	marks_pending(const struct marks *);
/*
 * Bytes went: written of the stream so far, and wire bytes on the socket.
 * Lines whose last byte is now written get their wire end.  records: the
 * wire carries records (TLS), which the peer takes whole, so the end is
 * wire, the count after the record; called as each record goes, that is
 * exact, and called later it errs towards a late ✓, never an early one.
 * Else bytes go as they are, and the end is the line's own offset moved
 * by what the wire has more.  Tells nobody (marks_update does).
 */
void	marks_wrote(struct marks *, uint64_t written, uint64_t wire,
	    bool records);
/*
 * The counters now: written bytes of the stream went to the kernel (the
 * socket holds wire bytes of ours so far; records as for marks_wrote),
 * acked wire bytes were acknowledged by the peer.  Calls fn for
 * each line whose mark moved (lines already acked leave the FIFO);
 * returns how many did.
 */
size_t	marks_update(struct marks *, uint64_t written, uint64_t wire,
	    bool records, uint64_t acked, marks_fn, void *);
/* The connection ended: every waiting line gets MARK_FAILED and leaves. */
size_t	marks_fail(struct marks *, marks_fn, void *);

#endif
