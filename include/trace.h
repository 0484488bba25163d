/*
 * trace.h - --trace: a live capture (libpcap) of this connection's
 * segments, each handed to the mode as a line (tracefmt.h) and written to
 * the -o and -x files.  trace.c is the only file that knows pcap;
 * trace_none.c stands in when tcptalk is built without it.
 *
 * The capture starts before the connection does, so its handshake is
 * seen: on the remote port before connect(), on our port before accept();
 * those segments are held until trace_peer names the connection.
 * Connecting, it narrows to the exact 4-tuple once the peer is there, and
 * to the peer's host and port once it ended.
 */
#ifndef TCPTALK_TRACE_H
#define TCPTALK_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracefmt.h"

struct log;
struct loop;
struct record;
struct tt_opts;

/* A segment of the connection and its line (no newline). */
typedef void	trace_seg_fn(void *arg, const struct tracefmt_seg *,
		    const char *line);

struct trace {
	bool		 on;		/* --trace was asked for */
	bool		 capturing;	/* the capture runs */
	bool		 denied;	/* it failed for want of privilege */
	char		 why[256];	/* when not capturing: pcap's reason */
	char		 dev[32];	/* the interface the segments came by,
					 * "" until one came */
	void		*pcap;		/* pcap_t */
	int		 fd;		/* its selectable fd, in the loop */
	struct loop	*loop;
	int		 link;		/* enum tracefmt_link */
	char		 role_filter[64];	/* before the 4-tuple is known */
	char		 gone_filter[192];	/* connecting, after a peer
						 * ended: its host and port */
	struct tracefmt_conn conn;
	trace_seg_fn	*seg_cb;	/* the mode's (NULL: none yet) */
	void		*seg_arg;
	struct log	*hex;		/* -x, or NULL */
	struct record	*rec;		/* -o, or NULL */
};

/* Whether this build can capture at all (--version says "pcap: yes"). */
bool	trace_available(void);
/*
 * Open the capture for the options' role (its port: the remote one, or
 * --proxy's, when connecting; ours when listening) and join the loop.
 * -1 when it cannot (t->why; t->denied when root or CAP_NET_RAW is
 * missing): the caller says so and goes on without it.
 */
int	trace_open(struct trace *, const struct tt_opts *, struct loop *);
/* The mode's segment hook; NULL unhooks. */
void	trace_set_hook(struct trace *, trace_seg_fn *, void *arg);
/* A peer is connected on fd: follow exactly its 4-tuple, its segments
 * held so far (the handshake) first. */
void	trace_peer(struct trace *, int fd);
/* The peer ended: its last segments still count until trace_peer names
 * the next connection. */
void	trace_peer_gone(struct trace *);
/* Take what the capture holds now (never waits). */
void	trace_drain(struct trace *);
/* Segments the kernel dropped for want of room in the capture's buffer. */
uint64_t trace_dropped(struct trace *);
/* Drain, leave the loop, close. */
void	trace_close(struct trace *);

#endif
