/* listener.c - listening sockets that hand each accepted peer to a callback. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "listener.h"
#include "loop.h"
#include "opts.h"

static short
listener_events_cb(void *arg)
{
	struct listener *l = arg;

	return l->active ? POLLIN : 0;
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
		snprintf(err, errlen, "too many sockets to watch");
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
	net_unix_unlink(&l->unix_bound);
	l->n = 0;
	l->active = false;
	l->loop = NULL;
}
