/*
 * bytering.h - the raw bytes behind the hex view (/hex): for each side
 * (received, sent) a ring of fixed capacity and a ring of chunk records,
 * one per read or write.  A flood one way never pushes out the other
 * side's bytes.  The oldest bytes drop out a whole hex row at a time
 * (16 bytes from the chunk's start), so the rows of a partly dropped chunk
 * keep their offsets and their boundaries.  Pure: no I/O, no clock.
 *
 * Positions: each side counts the bytes it was fed (pos); a chunk also
 * keeps the stream offset the session gave (offset, restarting at 0 with
 * each peer), which is what the hex rows show.
 */
#ifndef TCPTALK_BYTERING_H
#define TCPTALK_BYTERING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BYTERING_IN		0	/* received from the peer */
#define BYTERING_OUT		1	/* sent to the peer */
#define BYTERING_ROW		16	/* bytes per hex row, dropped together */
#define BYTERING_PER_LINE	16	/* ring bytes per --scrollback line */
#define BYTERING_LINES_PER_CHUNK 2	/* chunk records: one per two lines */

struct bytering_chunk {
	uint64_t	pos;		/* side position of its first byte */
	uint64_t	offset;		/* stream offset of its first byte */
	uint64_t	seq;		/* order across both sides */
	int64_t		when_ms;	/* wall clock */
	uint64_t	len;		/* as read or written, kept or not */
};

struct bytering_side {
	unsigned char		*bytes;		/* position p at bytes[p % cap] */
	size_t			 cap;
	uint64_t		 start, end;	/* kept positions [start, end) */
	struct bytering_chunk	*ch;		/* chunk k at ch[k % chcap] */
	size_t			 chcap;
	uint64_t		 chfirst, chend; /* kept chunks [chfirst, chend) */
};

struct bytering {
	struct bytering_side	side[2];	/* BYTERING_IN, BYTERING_OUT */
	uint64_t		seq;		/* the next chunk's */
};

/* Ring bytes per side for --scrollback lines (and chunk records: lines /
 * BYTERING_LINES_PER_CHUNK). */
size_t	bytering_cap_for(long lines);
/* cap bytes (a multiple of BYTERING_ROW, at least one row) and chcap
 * chunk records per side.  -1: no memory (nothing held then). */
int	bytering_init(struct bytering *, size_t cap, size_t chcap);
void	bytering_free(struct bytering *);
/* Keep n bytes (n > 0) read or written on side at that stream offset. */
void	bytering_add(struct bytering *, int side, uint64_t offset,
	    int64_t when_ms, const void *, size_t n);
/* Bytes kept on a side, and in both (what /help shows is the capacity). */
uint64_t bytering_kept(const struct bytering *, int side);

/* Chunk k (chfirst <= k < chend) of a side. */
const struct bytering_chunk *bytering_chunk(const struct bytering_side *,
	    uint64_t k);
/* First kept position of chunk k (its head may have dropped out). */
uint64_t bytering_chunk_start(const struct bytering_side *, uint64_t k);
/* The kept chunk with the largest seq <= seq, or chfirst - 1 (as
 * UINT64_MAX when chfirst is 0) when every kept chunk is newer. */
uint64_t bytering_chunk_by_seq(const struct bytering_side *, uint64_t seq);
/* The chunk holding kept position pos (start <= pos < end). */
uint64_t bytering_chunk_by_pos(const struct bytering_side *, uint64_t pos);
/* Copy kept bytes [pos, pos + n) out. */
void	bytering_copy(const struct bytering_side *, uint64_t pos, void *,
	    size_t n);

/*
 * Search a side's kept bytes (in stream order, across chunks) for
 * pat[0..n), ASCII letters folded when fold.  older: the last match that
 * starts before from (from = end: the newest); else the first that starts
 * after from (UINT64_MAX: the oldest).  Returns true with its position in
 * *at.  O(bytes kept x n) at worst: for /find, never for a draw.
 */
bool	bytering_find(const struct bytering_side *, const void *pat, size_t n,
	    bool fold, uint64_t from, bool older, uint64_t *at);

#endif
