/*
 * roomsrv.c - a room's syscalls: accept from the listener, read each
 * member, write its queue, close it.  The rules are room.c's.
 *
 * Writes happen in each member's events callback, which the loop calls
 * just before it sleeps: by then every read of the wake-up is queued, so
 * a member gets one writev for all of it (ncat writes each 8 KB read to
 * each peer at once).  POLLOUT is asked for only while a queue is not
 * empty.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "listener.h"
#include "loop.h"
#include "room.h"

#define ROOMSRV_READ	(256 * 1024)	/* one read of one member */
#define ROOMSRV_IOV	128		/* chunks in one writev */

/* Write what m's queue holds until the socket takes no more.  A failed
 * write only marks m: ending it here, inside the events callbacks, would
 * queue notices for members already asked for their events. */
static void
flush(struct room_member *m)
{
	struct iovec iov[ROOMSRV_IOV];
	size_t want;
	ssize_t w;
	int i, n;

	while (m->queued > 0 && !m->broken) {
		n = room_pending(m, iov, ROOMSRV_IOV);
		for (want = 0, i = 0; i < n; i++)
			want += iov[i].iov_len;
		w = writev(m->fd, iov, n);
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return;
		if (w == -1) {
			m->broken = true;
			return;
		}
		room_sent(m, (size_t)w);
		m->room->relayed_bytes += (uint64_t)w;
		if ((size_t)w < want)	/* the socket is full */
			return;
	}
}

/* While queues are past their half: drop the members whose queue has
 * stayed there for ROOM_STALL_MS, so one that stopped reading, or reads a
 * trickle, holds the room back that long at most (the others' queues
 * drain in moments while nobody is read). */
static void
stall_cb(void *arg)
{
	struct room *r = arg;
	struct room_member *m;
	int64_t now = clock_now_ms();

	r->stall_timer = 0;
	for (m = r->members; m != NULL; m = m->next)
		if (!m->gone && m->over && m->over_ms != 0 &&
		    now - m->over_ms >= ROOM_STALL_MS)
			room_end(r, m, ROOM_END_SLOW);
	room_sweep(r);
}

static void
arm_stall(struct room *r)
{
	if (r->stall_timer <= 0)
		r->stall_timer = loop_after(r->loop, ROOM_STALL_MS / 4, stall_cb,
		    r);
}

static void
wake_cb(void *arg)
{
	struct room *r = arg;

	r->wake_timer = 0;
}

static short
member_events_cb(void *arg)
{
	struct room_member *m = arg;
	struct room *r = m->room;
	bool held = room_held(r);

	if (m->gone)
		return 0;
	flush(m);
	/* The members asked before this one left POLLIN out: poll again at
	 * once rather than sleep without them. */
	if (held && !room_held(r) && r->wake_timer <= 0)
		r->wake_timer = loop_after(r->loop, 0, wake_cb, r);
	/* poll says at once; ready ends it (past its FIN: once its queue
	 * is written) */
	if (m->broken || (m->eof && m->queued == 0))
		return POLLOUT;
	if (m->over && m->over_ms == 0)
		m->over_ms = clock_now_ms();
	if (m->over)
		arm_stall(m->room);
	return (room_held(m->room) || m->eof ? 0 : POLLIN) |
	    (m->queued > 0 ? POLLOUT : 0);
}

static void
member_ready_cb(void *arg, short revents)
{
	struct room_member *m = arg;
	struct room *r = m->room;
	ssize_t n;

	if (m->broken || (m->eof && (m->queued == 0 ||
	    (revents & (POLLHUP | POLLERR))))) {
		room_end(r, m, ROOM_END_LEFT);
	} else if ((revents & (POLLIN | POLLHUP | POLLERR)) && !m->eof &&
	    !room_held(r)) {	/* held by a read earlier in this round */
		/* sized so that its lines fit a quarter of a queue */
		n = read(m->fd, r->rbuf, room_read_size(r, strlen(m->name),
		    r->rbufsz));
		if (n > 0)
			room_input(r, m, r->rbuf, (size_t)n);
		else if (n == 0)	/* FIN: it may still read the answer */
			room_eof(r, m);
		else if (errno == ECONNRESET || errno == EPIPE ||
		    errno == ETIMEDOUT)
			room_end(r, m, ROOM_END_LEFT);
		else if (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			room_end(r, m, ROOM_END_ERROR);
	}
	/* Gone members have left the loop already; nothing of theirs runs
	 * again this round. */
	room_sweep(r);
}

/* Leave the loop, give the socket what it takes of the queue at once (a
 * kicked member's last line), close. */
static void
close_member(struct room *r, struct room_member *m)
{
	(void)r;
	if (m->fd == -1)
		return;
	loop_del(r->loop, m->fd);
	if (m->queued > 0 && !m->broken)
		flush(m);
	close(m->fd);
	m->fd = -1;
}

static void
accept_cb(void *arg, int fd, const char *addr)
{
	struct room *r = arg;
	struct room_member *m;
	char msg[NET_ADDRSTRLEN + 160];
	bool full;

	m = room_add(r, fd, addr, clock_now_ms(), &full);
	if (m != NULL && loop_add(r->loop, fd, member_events_cb,
	    member_ready_cb, m) == 0)
		return;
	if (m != NULL) {	/* no room in the loop: as if it left */
		m->fd = -1;
		room_end(r, m, ROOM_END_ERROR);
		room_sweep(r);
	} else if (full) {
		(void)!write(fd, r->lst->busy_line, strlen(r->lst->busy_line));
		snprintf(msg, sizeof msg, P_("%s was turned away: the room is "
		    "full (%d peer).", "%s was turned away: the room is full "
		    "(%d peers).", (unsigned long)r->max_peers), addr,
		    r->max_peers);
	} else
		snprintf(msg, sizeof msg, _("%s was turned away: out of memory."),
		    addr);
	close(fd);
	if (m == NULL && r->hooks.refused != NULL)
		r->hooks.refused(r->hooks.arg, addr, msg);
}

int
room_start(struct room *r, struct loop *loop, struct listener *lst)
{
	struct rlimit rl;
	int i;

	r->loop = loop;
	r->lst = lst;
	r->close_member = close_member;
	/* A member is an fd: take all the system lets us have.  Past them,
	 * the listener tells a peer the room is full (its spare fd). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* in the listener's language, like the rest of the room's lines */
	lst->busy_line = _("* tcptalk room is full, try again later.\n");
	/* a read past the half-way mark must still fit the queue */
	r->rbufsz = r->queue_max / 4 < ROOMSRV_READ ? r->queue_max / 4 :
	    ROOMSRV_READ;
	if ((r->rbuf = malloc(r->rbufsz)) == NULL)
		return -1;
	/* A room is joined by many at once: net.c's backlog of 16 would drop
	 * the SYNs past it (a second's retransmit each); listen again with
	 * the system's maximum (Linux takes a new backlog this way). */
	for (i = 0; i < lst->n; i++)
		(void)listen(lst->fds[i], SOMAXCONN);
	return listener_start(lst, loop, accept_cb, r);
}

void
room_free(struct room *r)
{
	if (r->loop != NULL)
		loop_cancel(r->loop, r->stall_timer);
	if (r->loop != NULL)
		loop_cancel(r->loop, r->wake_timer);
	r->stall_timer = r->wake_timer = 0;
	room_release(r);
}
