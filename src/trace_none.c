/*
 * trace_none.c - trace.h for a build without libpcap: --trace is refused
 * at start (main.c asks trace_available), and every call does nothing.
 */
#include <stdio.h>

#include "trace.h"
#include "i18n.h"

bool
trace_available(void)
{
	return false;
}

int
trace_open(struct trace *t, const struct tt_opts *o, struct loop *loop)
{
	(void)o;
	(void)loop;
	t->on = true;
	t->fd = -1;
	snprintf(t->why, sizeof t->why, _("this tcptalk was built without "
	    "libpcap"));
	return -1;
}

void
trace_set_hook(struct trace *t, trace_seg_fn *cb, void *arg)
{
	t->seg_cb = cb;
	t->seg_arg = arg;
}

void
trace_peer(struct trace *t, int fd)
{
	(void)t;
	(void)fd;
}

void
trace_peer_gone(struct trace *t)
{
	(void)t;
}

void
trace_drain(struct trace *t)
{
	(void)t;
}

uint64_t
trace_dropped(struct trace *t)
{
	(void)t;
	return 0;
}

void
trace_close(struct trace *t)
{
	t->seg_cb = NULL;
}
