/*
 * room.h - many peers in one conversation (--room) or one byte stream
 * (--broker), with the listener as a member.
 *
 * A struct room owns the member set: it accepts from the listener that
 * main bound, reads every member, relays, queues and drops, and tells the
 * mode (the chat screen, or the headless pipe) what happened through
 * struct room_hooks.  The mode never touches a member's socket; it speaks
 * with room_say, room_me, room_to, room_kick, room_nick and room_send, and
 * reads the members for /peers with room_first/room_next.
 *
 * room.c holds the rules and is pure (names, commands, line assembly,
 * sanitizing, shared chunks, bounded queues); roomsrv.c is the syscall
 * side (accept, non-blocking reads, writev of the queues, POLLOUT only
 * while a queue is not empty).
 *
 * What a room sends to its members (each a line ending in "\n"):
 *   "* tcptalk room: N peers here"	first line to a member that joins
 *					(N counts everyone, the listener and
 *					the new member too); a client takes
 *					the connection for a room only after
 *					this exact prefix: ROOM_GREETING
 *   "<name> text"			a line from a member or the listener
 *   "* name does x"			/me does x
 *   "* name joined" / "* name left" / "* old is now known as new" /
 *   "* name was kicked" / "* name dropped: not reading"
 *   "* (private) <name> text"		/to NAME text, to NAME only
 *   "* in the room: a, b, c"		/who, to the asker only
 *   "* ..."				an answer to a bad command, to the
 *					asker only (e.g. a name in use)
 * The words are in the listener's language (gettext); the framing ("* ",
 * "<name> ") and the greeting's prefix ROOM_GREETING never are.
 * Never stall, never bloat: a member's queue is bounded (queue_max).  Past
 * half of it the room stops reading anyone (TCP then holds the senders
 * back) until the queue drains; a member whose queue stays past half for
 * ROOM_STALL_MS, or would overflow, is dropped ("* name dropped: not
 * reading") and the others go on.
 *
 * Relayed text is sanitized: control and escape sequences are removed,
 * UTF-8 (and tabs) kept; a line over ROOM_LINE_MAX is cut and ends in
 * " [+N bytes]".  A member's unfinished line is held with that member
 * only and never mixes with another's.
 *
 * --broker: no names, no lines, no greeting: what one member sends goes
 * unchanged to every other member (and to the broker hook); room_send
 * sends the listener's bytes to every member.
 *
 * Hook text: every hook that reports something the members also see gets
 * that line as `text` exactly as sent, without its newline (the mode may
 * show it as is, or build its own from the other arguments).  The
 * members passed to hooks are valid during the call only.
 */
#ifndef TCPTALK_ROOM_H
#define TCPTALK_ROOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "lines.h"
#include "net.h"

struct loop;
struct listener;

#define ROOM_GREETING		"* tcptalk room:"
#define ROOM_NAME_MAX		64	/* bytes of a name (UTF-8) */
#define ROOM_LINE_MAX		LINES_MAX	/* bytes kept of one line */
#define ROOM_MAX_PEERS_DEFAULT	100
#define ROOM_QUEUE_DEFAULT	(1024 * 1024)	/* bytes queued per member */
#define ROOM_NICK_DEFAULT	"host"	/* the listener, without --nick */
#define ROOM_STALL_MS		2000	/* a queue past half for this long */

enum room_kind {
	ROOM_CHAT,	/* --room: names and lines */
	ROOM_BROKER	/* --broker: bytes */
};

/* Why a member is gone. */
enum room_end {
	ROOM_END_LEFT,		/* it closed (or reset) its connection */
	ROOM_END_KICKED,	/* room_kick */
	ROOM_END_SLOW,		/* its queue was full: not reading */
	ROOM_END_ERROR,		/* a socket error other than a reset */
	ROOM_END_CLOSING	/* room_free: the room ends (no hook call) */
};

/* What kind of line the line hook reports. */
enum room_line {
	ROOM_LINE_SAY,		/* "<name> text", to everyone */
	ROOM_LINE_ME,		/* "* name text" (/me text), to everyone */
	ROOM_LINE_PRIVATE	/* "/to LISTENER text" from a member: only
				 * the listener gets it */
};

/* A shared, reference-counted piece of what the room sends: one per
 * message, queued to every member that gets it. */
struct room_chunk {
	unsigned	 refs;
	size_t		 len;
	char		 data[];
};

struct room_member {
	unsigned	 id;		/* > 0, never reused in a room */
	char		 name[ROOM_NAME_MAX + 1];
	char		 addr[NET_ADDRSTRLEN];	/* "1.2.3.4:5678" */
	int64_t		 since_ms;	/* joined, monotonic (clock_now_ms) */
	uint64_t	 bytes_in;	/* read from it */
	uint64_t	 bytes_out;	/* written to it */
	size_t		 queued;	/* bytes waiting to be written to it */
	/* The rest is the room's own. */
	int		 fd;
	struct room	*room;
	char		*part;		/* ROOM_CHAT: its unfinished line */
	size_t		 plen, pcap;
	uint64_t	 pdropped;	/* bytes of it past ROOM_LINE_MAX */
	struct room_chunk **q;		/* ring of chunk references */
	size_t		 qcap, qhead, qlen;
	size_t		 qoff;		/* bytes of q[qhead] already sent */
	bool		 gone;		/* ended: freed at the next sweep */
	enum room_end	 why;
	bool		 broken;	/* a write failed: end at the next event */
	bool		 over;		/* queued past half of queue_max */
	int64_t		 over_ms;	/* roomsrv: since when */
	bool		 greeted;
	bool		 eof;		/* sent FIN: its queue is still written */
	struct room_member *next;
};

struct room_hooks {
	/* A member joined (text: "* name joined"). */
	void	(*joined)(void *arg, const struct room_member *, const char *text);
	/*
	 * A member is gone: why, and the line the others got ("* name
	 * left", "* name was kicked", "* name dropped: not reading"; in a
	 * broker a notice of the same form that nobody is sent).  Its
	 * counters are final.
	 */
	void	(*left)(void *arg, const struct room_member *, enum room_end,
		    const char *text);
	/*
	 * A line from a member: raw is its text as the member sent it (no
	 * name, no line end; for ROOM_LINE_ME what follows "/me ", for
	 * ROOM_LINE_PRIVATE what follows "/to NAME "), NOT sanitized: show it
	 * through sanitize_line(raw, rawlen, dropped, ...) so escapes are
	 * visible; dropped counts the bytes cut past ROOM_LINE_MAX.  text is
	 * the whole line the others got, sanitized ("<bob> hi", "* bob
	 * waves", "* (private) <bob> hi"; a cut line ends in " [+N bytes]").
	 */
	void	(*line)(void *arg, const struct room_member *, enum room_line,
		    const char *raw, size_t rawlen, uint64_t dropped,
		    const char *text);
	/* A member changed its name (old was its name before);
	 * text: "* old is now known as new". */
	void	(*nick)(void *arg, const struct room_member *, const char *old,
		    const char *text);
	/* --broker: bytes a member sent, just relayed to the others as they
	 * are (not sanitized: the mode sanitizes what it shows). */
	void	(*relayed)(void *arg, const struct room_member *,
		    const char *bytes, size_t len);
	/* A peer could not be taken (room full, no memory); its socket is
	 * closed.  msg is one sentence saying why and whose. */
	void	(*refused)(void *arg, const char *addr, const char *msg);
	void	*arg;
};

struct room {
	enum room_kind	 kind;
	char		 nick[ROOM_NAME_MAX + 1];	/* the listener's name */
	int		 max_peers;
	size_t		 queue_max;	/* --peer-queue */
	struct room_hooks hooks;
	struct room_member *members;	/* newest first */
	int		 nmembers;	/* not gone */
	unsigned	 next_id;
	/* roomsrv.c */
	struct loop	*loop;
	struct listener	*lst;
	char		*rbuf;		/* one read, before it becomes a chunk */
	size_t		 rbufsz;
	/* room.c's scratch: a stripped line, and the lines of one read that
	 * go out as one chunk */
	char		*scratch;
	char		*batch;
	size_t		 blen, bcap;
	bool		 says;		/* room_say gathers into batch */
	uint64_t	 relayed_bytes;	/* written to members, in all */
	int		 nover;		/* members with over set: while > 0 no
					 * member is read (TCP holds the senders
					 * back), so a slow reader slows the room
					 * instead of being dropped at once */
	int		 stall_timer;
	int		 wake_timer;	/* roomsrv: the hold ended mid-round */
	/* Called once when a member ends (roomsrv: leave the loop, write
	 * what it can of the queue, close); NULL in the unit test. */
	void		(*close_member)(struct room *, struct room_member *);
};

/*
 * Set up (pure, nothing joins a loop): kind, the listener's name (NULL:
 * ROOM_NICK_DEFAULT; it must pass room_valid_name), members at most
 * (0: default), bytes queued per member at most (0: default).
 */
void	room_init(struct room *, enum room_kind, const char *nick,
	    int max_peers, size_t queue_max, const struct room_hooks *);
/* Take the peers that connect to lst (bound by peer_open) from now on;
 * -1 when out of memory or the loop has no room. */
int	room_start(struct room *, struct loop *, struct listener *);
/* Close every member (no hooks), free everything, leave the loop. */
void	room_free(struct room *);

/* ROOM_CHAT: a line typed by the listener, to every member as
 * "<nick> text"; text is sent as typed (the listener trusts itself) but
 * a newline in it would end the line, so it is sanitized like the rest. */
void	room_say(struct room *, const char *text, size_t len);
/* ROOM_CHAT: between these, room_say's lines gather into one chunk (one
 * stdin read's lines cost one queue entry, not one each); the end sends
 * them.  The caller ends it before any other message (order). */
void	room_says_begin(struct room *);
void	room_says_end(struct room *);
/* ROOM_CHAT: /me does x, to every member as "* nick does x". */
void	room_me(struct room *, const char *text, size_t len);
/* ROOM_CHAT: /to NAME text, to that member only as "* (private) <nick>
 * text".  -1 with err ("no one here is called NAME.") if none. */
int	room_to(struct room *, const char *name, const char *text, size_t len,
	    char *err, size_t errlen);
/* /kick NAME: "* NAME was kicked" to the others and the member itself, then
 * it is closed (left hook, ROOM_END_KICKED).  -1 with err if none. */
int	room_kick(struct room *, const char *name, char *err, size_t errlen);
/* /nick NAME for the listener: "* old is now known as new" to everyone.
 * -1 with err (not valid, or in use). */
int	room_nick(struct room *, const char *name, char *err, size_t errlen);
/* --broker: the listener's bytes, unchanged, to every member. */
void	room_send(struct room *, const char *bytes, size_t len);

/* Members for /peers, newest first; NULL at the end.  Gone members are
 * skipped. */
const struct room_member *room_first(const struct room *);
const struct room_member *room_next(const struct room *,
	    const struct room_member *);
int	room_count(const struct room *);
/* The member called name (exact match), or NULL. */
const struct room_member *room_find(const struct room *, const char *name);

/*
 * Whether name may be taken: 1..ROOM_NAME_MAX bytes of valid UTF-8, no
 * spaces, controls or format controls, and not starting with '*', '<' or
 * '/'.  NULL if fine, else the sentence that says why (for the asker).
 */
const char *room_bad_name(const char *name, size_t len);

/* ----- the pure core, for roomsrv.c and the unit test ----- */

/* A new member (fd already accepted, non-blocking), greeted (ROOM_CHAT)
 * and announced; NULL when out of memory or the room is full (*full true
 * then: the caller sends the listener's busy line, "* tcptalk room is
 * full, try again later." in the listener's language, and closes the fd). */
struct room_member *room_add(struct room *, int fd, const char *addr,
	    int64_t now_ms, bool *full);
/* Bytes read from m: lines (ROOM_CHAT) or relayed as they are (broker). */
void	room_input(struct room *, struct room_member *, const char *, size_t);
/* Bytes to read from a member (nlen: its name's length; the listener's
 * stdin: the nick's) so that what one read becomes fits a quarter of a
 * queue: in a room each line gains "<name> ", so "a\n" (2 bytes) grows to
 * nlen + 5.  At most max. */
size_t	room_read_size(const struct room *, size_t nlen, size_t max);
/* m sent FIN: its unfinished line is said; it stays, written to but not
 * read, until its queue is written (echo /who | nc -N gets all of the
 * answer, then EOF), then ROOM_END_LEFT.  Not longer: a close() and a
 * shutdown() send the same FIN, and a closed peer would linger until a
 * write to it failed. */
void	room_eof(struct room *, struct room_member *);
/* End m with why: the others get the notice, the left hook is called,
 * close_member closes its fd; the struct is freed by room_sweep. */
void	room_end(struct room *, struct room_member *, enum room_end why);
/* Up to max iovecs of m's queue, in order; returns how many. */
int	room_pending(const struct room_member *, struct iovec *, int max);
/* n bytes of m's queue were written: release them. */
void	room_sent(struct room_member *, size_t n);
/* Whether reading members should wait: a queue is past half its bound. */
bool	room_held(const struct room *);
/* room_free without the loop: close (close_member) and free everything. */
void	room_release(struct room *);
/* Free the members that are gone (the caller closed their fds). */
void	room_sweep(struct room *);

#endif
