/*
 * hexview.h - the rows of a hex pane over a bytering: per chunk a header
 * row ("< 12:00:01.123 received 20 bytes", as -x heads a block), then its
 * hexdump -C rows.  A pane shows the received side, or both sides merged
 * in the order the bytes crossed.  Every step is O(1) or O(log chunks), so
 * a draw costs the rows on screen, not the bytes kept.  Pure.
 */
#ifndef TCPTALK_HEXVIEW_H
#define TCPTALK_HEXVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytering.h"
#include "hexfmt.h"

/* One row: chunk k of a side; row 0 is its header, row r >= 1 holds the
 * chunk's bytes [16 (r - 1), 16 r). */
struct hexview_at {
	int		side;
	uint64_t	k;
	uint64_t	row;
};

/* A pane's place: live follows the newest row; else bottom is the row at
 * the pane's foot. */
struct hexview_pos {
	bool			live;
	struct hexview_at	bottom;
};

/* Bytes to highlight (the current /find match). */
struct hexview_mark {
	bool		on;
	int		side;
	uint64_t	pos, len;
};

#define HEXVIEW_TEXT_MAX	(HEXFMT_LINE_MAX > HEXFMT_HEADER_MAX ? \
				    HEXFMT_LINE_MAX : HEXFMT_HEADER_MAX)

struct hexview_row {
	bool		header;
	char		dir;		/* '<' received, '>' sent */
	char		text[HEXVIEW_TEXT_MAX];	/* no newline, NUL-terminated */
	size_t		len;
	size_t		offw;		/* digits of the offset (8, or more) */
	int		hl_from, hl_to;	/* bytes [from, to) of the row to
					 * highlight; from == to: none */
};

/* The newest row (false: nothing kept). */
bool	hexview_last(const struct bytering *, bool merged, struct hexview_at *);
/* The oldest row (false: nothing kept). */
bool	hexview_first(const struct bytering *, bool merged, struct hexview_at *);
/* Move one row up (older) or down (newer); false (at unchanged) at the
 * end.  at must be kept (hexview_kept). */
bool	hexview_prev(const struct bytering *, bool merged, struct hexview_at *);
bool	hexview_next(const struct bytering *, bool merged, struct hexview_at *);
/* Is that row still kept? */
bool	hexview_kept(const struct bytering *, const struct hexview_at *);
/* The row holding kept position pos of a side. */
struct hexview_at hexview_row_of(const struct bytering *, int side,
	    uint64_t pos);

/*
 * The rows a pane of h rows shows, bottom first, into out[0..h): from the
 * place v, lowered when the rows above run out so the oldest row is at the
 * top instead of blank rows; a place dropped out of the ring is taken from
 * the oldest kept row.  v becomes live again at the newest row.  Returns
 * how many rows there are (< h only when fewer are kept).
 */
size_t	hexview_rows(const struct bytering *, bool merged,
	    struct hexview_pos *v, struct hexview_at *out, size_t h);
/* Scroll rows up (> 0, older) or down (< 0). */
void	hexview_scroll(const struct bytering *, bool merged,
	    struct hexview_pos *, long rows);
/* Put the row of pos at about the middle of a pane of h rows. */
void	hexview_reveal(const struct bytering *, bool merged,
	    struct hexview_pos *, int side, uint64_t pos, size_t h);

/* Format a kept row; ms_of_day for its header's time comes from tod
 * (NULL: UTC).  The mark's bytes in it go to hl_from, hl_to. */
void	hexview_format(const struct bytering *, const struct hexview_at *,
	    const struct hexview_mark *, uint32_t (*tod)(int64_t when_ms),
	    struct hexview_row *);
/* Local time of day in ms (localtime_r), for hexview_format's tod. */
uint32_t hexview_local_tod(int64_t when_ms);
/* Columns of byte i of a row in the hex part and in the ASCII part. */
size_t	hexview_hex_col(const struct hexview_row *, size_t i);
size_t	hexview_ascii_col(const struct hexview_row *, size_t i);

#endif
