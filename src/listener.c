/* listener.c - listening sockets that hand each accepted peer to a callback. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listener.h"
#include "i18n.h"
#include "loop.h"
#include "opts.h"

#define LISTENER_REST_MS	100	/* out of fds and no spare: wait */

/* A spare fd, given up to take a peer when the table is full (EMFILE):
 * the peer is told and closed rather than left pending, which would keep
 * the listener readable and poll spinning.  Process-wide, as the fd table
 * is. */
static int listener_spare = -1;

static void
listener_rest_cb(void *arg)
{
	struct listener *l = arg;

	l->rest_timer = 0;
}

static short
listener_events_cb(void *arg)
{
	struct listener *l = arg;

	return l->active && l->rest_timer <= 0 ? POLLIN : 0;
}

/* accept() said EMFILE or ENFILE on lfd: take one pending peer with the
 * spare fd, send it busy_line, close it; with no spare, rest. */
static void
listener_shed(struct listener *l, int lfd)
{
	int fd;

	if (listener_spare != -1) {
		close(listener_spare);
		listener_spare = -1;
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			if (l->busy_line != NULL)
				(void)!write(fd, l->busy_line,
				    strlen(l->busy_line));
			close(fd);
		}
		listener_spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd != -1 && listener_spare != -1)
			return;
	}
	if (l->rest_timer <= 0 && l->loop != NULL)
		l->rest_timer = loop_after(l->loop, LISTENER_REST_MS,
		    listener_rest_cb, l);
}

static void
listener_ready_cb(void *arg, short revents)
{
	struct listener *l = arg;
	char peer[NET_ADDRSTRLEN];
	int i, fd;

	(void)revents;
	/* Which socket fired is not passed; try each, they are non-blocking. */
	for (i = 0; i < l->n && l->active; i++) {
		fd = l->udp ? net_udp_take(l->fds[i], l->any_sender, peer,
		    sizeof peer) : net_accept(l->fds[i], peer, sizeof peer);
		if (fd != -1)
			l->cb(l->arg, fd, peer);
		else if (!l->udp && (errno == EMFILE || errno == ENFILE))
			listener_shed(l, l->fds[i]);
	}
}

int
listener_bind(struct listener *l, const struct tt_opts *o, char *err,
    size_t errlen)
{
	memset(l, 0, sizeof *l);
	l->udp = o->udp;
	l->any_sender = o->keep_open;
	if (o->unix_path != NULL) {
		l->fds[0] = net_listen_unix(o, &l->unix_bound, l->desc,
		    sizeof l->desc, err, errlen);
		l->n = l->fds[0] == -1 ? -1 : 1;
	} else
		l->n = net_listen(o, l->fds, NET_MAX_LISTEN, l->desc,
		    sizeof l->desc, err, errlen);
	if (l->n < 0) {
		l->n = 0;
		return -1;
	}
	return 0;
}

int
listener_start(struct listener *l, struct loop *loop, listener_accept_cb cb,
    void *arg)
{
	int i;

	l->cb = cb;
	l->arg = arg;
	if (listener_spare == -1 && !l->udp)
		listener_spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (i = 0; i < l->n; i++) {
		if (loop_add(loop, l->fds[i], listener_events_cb,
		    listener_ready_cb, l) == -1) {
			while (i-- > 0)
				loop_del(loop, l->fds[i]);
			return -1;
		}
	}
	l->loop = loop;
	l->active = true;
	return 0;
}

int
listener_open(struct listener *l, const struct tt_opts *o, struct loop *loop,
    listener_accept_cb cb, void *arg, char *err, size_t errlen)
{
	if (listener_bind(l, o, err, errlen) == -1)
		return -1;
	if (listener_start(l, loop, cb, arg) == -1) {
		snprintf(err, errlen, _("too many sockets to watch"));
		listener_close(l);
		return -1;
	}
	return 0;
}

void
listener_close(struct listener *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (l->loop != NULL)
			loop_del(l->loop, l->fds[i]);
		close(l->fds[i]);
	}
	if (l->loop != NULL && l->rest_timer > 0)
		loop_cancel(l->loop, l->rest_timer);
	l->rest_timer = 0;
	net_unix_unlink(&l->unix_bound);
	l->n = 0;
	l->active = false;
	l->loop = NULL;
}
