/*
 * transcript.h - the one owner of what was said.
 *
 * Entries are received lines, sent lines and notices, each with its time,
 * sanitized text and state.  Received bytes go in through one call; a line
 * without its newline yet is one entry in state TR_OPEN, updated in place
 * as bytes arrive, so no byte is ever shown twice.  The split panes, the
 * merged view, line mode and the exit summary are all views of this.
 */
#ifndef TCPTALK_TRANSCRIPT_H
#define TCPTALK_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lines.h"
#include "scrollback.h"

enum tr_kind { TR_RECV, TR_SENT, TR_NOTICE };

enum tr_state {
	TR_DONE,	/* ended with its newline (or is a notice) */
	TR_OPEN,	/* received, no newline yet: still growing */
	TR_NONL		/* closed without newline: we sent, or the peer left */
};

/* Two rings, so a flood one way never pushes the other way out. */
enum tr_side { TR_SIDE_RECV, TR_SIDE_SENT };	/* RECV holds notices too */

/* sb_line.flags */
#define TR_F_CRLF	0x1	/* a received line that ended with CRLF */
#define TR_F_ALERT	0x2	/* a notice that must stand out: a refused or
				 * changed certificate, a failed handshake */
/* A typed line's delivery mark, marks.h's enum mark (0: none), in bits
 * 2-4: the views draw it after the text. */
#define TR_F_MARK_SHIFT	2
#define TR_F_MARK	(0x7 << TR_F_MARK_SHIFT)
/* Rooms (roomline.h): a member's line, "<name> text", its name the
 * TR_NAME_LEN bytes at text + TR_NAME_AT, drawn in colour TR_HUE (0 to
 * ROOMLINE_COLOURS - 1); or a room's notice, "* text", shown as one (a
 * listener's "* name does x" has a name too). */
#define TR_F_ROOM_SAY	0x20
#define TR_F_ROOM_NOTE	0x40
#define TR_F_HUE_SHIFT	8
#define TR_F_HUE	(0x7u << TR_F_HUE_SHIFT)
#define TR_F_NAME_SHIFT	16
#define TR_F_NAME	(0xffu << TR_F_NAME_SHIFT)	/* ROOMLINE_NAME_MAX fits */
#define TR_F_AT_SHIFT	24
#define TR_F_AT		(0xffu << TR_F_AT_SHIFT)	/* a translated prefix fits */
#define TR_NAME_LEN(flags)	(((flags) & TR_F_NAME) >> TR_F_NAME_SHIFT)
#define TR_NAME_AT(flags)	(((flags) & TR_F_AT) >> TR_F_AT_SHIFT)
#define TR_HUE(flags)		(((flags) & TR_F_HUE) >> TR_F_HUE_SHIFT)

/* Shown after a line's text (dim): closed without newline / still open. */
#define TR_MARK_NONL	"\xe2\x8f\x8e\xcc\xb8"	/* U+23CE U+0338: ⏎̸ */
#define TR_MARK_OPEN	"\xe2\x80\xa6"		/* U+2026: … */
/* Delivery marks: written to the kernel, acknowledged by the peer's TCP,
 * never to be acknowledged (the connection ended first). */
#define TR_MARK_WRITTEN	"\xc2\xb7"		/* U+00B7: · */
#define TR_MARK_ACKED	"\xe2\x9c\x93"		/* U+2713: ✓ */
#define TR_MARK_FAILED	"\xe2\x9c\x97"		/* U+2717: ✗ */

/* An entry became final (pushed done, or closed): for line mode, logs. */
typedef void (*tr_final_cb)(void *arg, const struct sb_line *);

struct transcript {
	struct scrollback side[2];
	struct lines	 lines;		/* the framer: bytes of the open line */
	struct lines	 sent_lines;	/* transcript_sent_bytes: a tail held */
	int64_t		 sent_tail_ms;	/* when the held tail's first bytes went */
	uint64_t	 recv_crlf;	/* received lines that ended CRLF ... */
	uint64_t	 recv_lf;	/* ... and LF alone */
	/* Pipe mode: the directions are independent streams, so what we send
	 * does not end the peer's unfinished line (set after init). */
	bool		 send_keeps_open;
	/* Rooms: room_detect (set after init) lets the peer's first line, a
	 * room's greeting, make this a room: its lines then carry names and
	 * its "* " lines are notices.  Nothing else does, so an IMAP
	 * server's "* OK" stays a plain line.  Both reset when the peer
	 * ends. */
	bool		 room_detect;
	bool		 room;
	uint64_t	 recv_lines;	/* lines ended by this peer so far */
	uint64_t	 seq;		/* last seq given out */
	uint64_t	 open_seq;	/* the open entry, 0 if none */
	uint64_t	 gen;		/* bumped on every change */
	tr_final_cb	 final;
	void		*arg;
};

/* keep: entries kept on each side.  final may be NULL. */
int	transcript_init(struct transcript *, size_t keep, tr_final_cb, void *);
void	transcript_free(struct transcript *);
/* Times are wall-clock milliseconds since the epoch (clock_wall_ms). */
/* Bytes from the peer, as they came; 0, or -1 when out of memory. */
int	transcript_recv(struct transcript *, const char *, size_t, int64_t now);
/*
 * -u: the bytes given since the last call were one datagram, so its last
 * line is whole even without a newline: it becomes a done entry (a CR at
 * its end shown, not held for an LF), and the next datagram starts a new
 * one.  0, or -1 when out of memory.
 */
int	transcript_recv_end(struct transcript *, int64_t now);
/* A line we sent (without its line end; crlf: it went with CRLF).  An
 * open received line is closed first, marked as having no newline. */
int	transcript_sent(struct transcript *, const char *, size_t, int64_t now,
	    bool crlf);
/*
 * Bytes we sent as they are (/raw, /send, pipe mode's -o): cut into lines
 * like received bytes, each a sent entry.  whole: the bytes are all there
 * is for now, a tail without newline becomes an entry at once, marked as
 * having none (/raw); otherwise the tail waits for the rest of its line
 * (pipe mode), until transcript_peer_end.  Closes an open received line
 * first.  0, or -1 when out of memory.
 */
int	transcript_sent_bytes(struct transcript *, const char *, size_t,
	    int64_t now, bool whole);
/* How a room's member said something (a listener's room). */
enum tr_said {
	TR_SAID,		/* "<name> text" */
	TR_SAID_ME,		/* "* name text" (/me text) */
	TR_SAID_PRIVATE		/* "* (private) <name> text": to us alone */
};
/*
 * A room's member said text (the room cut the line): a received entry as
 * the room relays it, the name in its colour when it is one
 * roomline_name_ok takes, the text sanitized as received text is (escapes
 * shown).  dropped: bytes cut off its end.  0, or -1 out of memory.
 */
int	transcript_said(struct transcript *, enum tr_said, const char *name,
	    size_t nlen, const char *text, size_t tlen, uint64_t dropped,
	    int64_t now);
/* Something tcptalk says (connects, closes, help, errors). */
int	transcript_notice(struct transcript *, const char *, int64_t now);
/* Set a sent entry's delivery mark (TR_F_MARK); -1 when it is gone. */
int	transcript_mark(struct transcript *, uint64_t seq, int mark);
/* The same, flagged TR_F_ALERT: the views show it in the alarm colour. */
int	transcript_alert(struct transcript *, const char *, int64_t now);
/* The peer is gone: close the open line (no newline) and forget its bytes,
 * so nothing carries over to the next peer; a held sent tail becomes an
 * entry without newline. */
void	transcript_peer_end(struct transcript *);
/* Forget what was said; an open line stays, since more of it may come. */
void	transcript_clear(struct transcript *);
/* The open received line, or NULL. */
const struct sb_line *transcript_open(const struct transcript *);

/* Walking back in time over one side or both merged by seq. */
struct tr_walk {
	const struct scrollback *a, *b;	/* b NULL: one side */
	size_t		 ia, ib;	/* entries not yet taken, from the end */
};

void	tr_walk_init(struct tr_walk *, const struct transcript *, bool merged,
	    enum tr_side);
/* The next entry going back in time, or NULL at the oldest kept. */
const struct sb_line *tr_walk_prev(struct tr_walk *);

/*
 * One entry as plain text for a terminal without curses or a log:
 * "[HH:MM:SS ]< text ⏎̸" (mark "<", ">" or "*"), the dim markers of
 * sanitized text dropped.  malloc'd, NULL when out of memory.
 */
char	*transcript_plain(const struct sb_line *, bool stamps, bool marks);
/* "HH:MM:SS" of a wall-clock time in local time; out needs 9 bytes. */
void	transcript_hms(int64_t when_ms, char *out);

#endif
