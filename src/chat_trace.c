/*
 * chat_trace.c - /trace (F6): this connection's TCP segments as --trace
 * captures them (trace.c), one row each in the lower pane's panel, the
 * newest at the bottom.  A bounded ring keeps the last CT_ROWS; rows are
 * coloured by direction, and retransmissions and resets in the alarm
 * colour; a heading row starts each connection after the first (-k,
 * /reconnect).  Without --trace, or without the privilege to capture, the
 * panel says so.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "i18n.h"
#include "opts.h"
#include "trace.h"
#include "ui.h"

#define CT_ROWS	5000		/* segments kept for the panel */

/* The rows the panel draws from (one chat per process). */
static struct ui_rows panel_rows;

struct chat_trace {
	struct trace	*tr;
	char		(*rows)[TRACEFMT_LINE_MAX];
	unsigned char	*kinds;		/* enum ui_row_kind */
	size_t		 start, count;	/* the ring: oldest at start */
	uint64_t	 nseg;		/* segments seen, kept or not */
	uint64_t	 dropped;	/* the kernel's count, at the last draw */
	char		 note[TRACEFMT_LINE_MAX + 64];
	bool		 started;	/* it captured at first */
};

/* The first row: what the columns mean. */
/* TRANSLATORS: > and < are the marks of the rows below; keep them. */
static const char legend[] = N_("time (ms), > ours or < the peer's, "
    "[flags], relative seq and ack, window, payload length");

static const char *
row_cb(void *arg, size_t i, enum ui_row_kind *kind)
{
	struct chat *c = arg;
	struct chat_trace *t = c->trace;

	if (i == 0) {
		*kind = UI_ROW_HEAD;
		return _(legend);
	}
	/* after a capture error the rows it took stay; the title says why */
	if (t == NULL || t->count == 0) {
		*kind = t != NULL && t->tr->capturing ? UI_ROW_DIM : UI_ROW_ALERT;
		return t != NULL ? t->note : _("Start tcptalk with --trace "
		    "(as root or with CAP_NET_RAW) to see this connection's "
		    "TCP segments here.");
	}
	i = (t->start + i - 1) % CT_ROWS;
	*kind = (enum ui_row_kind)t->kinds[i];
	return t->rows[i];
}

/* The ring's next row (the oldest goes when it is full). */
static size_t
ring_add(struct chat_trace *t)
{
	size_t i = (t->start + t->count) % CT_ROWS;

	if (t->count == CT_ROWS)
		t->start = (t->start + 1) % CT_ROWS;
	else
		t->count++;
	return i;
}

/* An end as the chat names peers: 127.0.0.1:8888, [::1]:8888. */
static void
end_text(const struct tracefmt_end *e, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr, a,
	    sizeof a) == NULL)
		snprintf(a, sizeof a, "?");
	snprintf(out, len, e->family == 6 ? "[%s]:%u" : "%s:%u", a, e->port);
}

/* A connection after the first (-k, /reconnect): a row between its
 * segments and the last one's, from the side that sent the SYN. */
static void
add_separator(struct chat *c, struct chat_trace *t)
{
	const struct tracefmt_conn *conn = &t->tr->conn;
	char from[64], to[64];
	size_t i;

	end_text(conn->role_local ? &conn->remote : &conn->local, from,
	    sizeof from);
	end_text(conn->role_local ? &conn->local : &conn->remote, to,
	    sizeof to);
	i = ring_add(t);
	snprintf(t->rows[i], sizeof t->rows[i], _("— a new connection: %s → %s "
	    "—"), from, to);
	t->kinds[i] = UI_ROW_HEAD;
	chat_panel_added(c, CHAT_PANEL_TRACE, 1);
}

static void
seg_cb(void *arg, const struct tracefmt_seg *seg, const char *line)
{
	struct chat *c = arg;
	struct chat_trace *t = c->trace;
	size_t i;

	/* tracefmt restarts its count with each connection it follows */
	if (t->tr->conn.nseg == 1 && t->nseg > 0)
		add_separator(c, t);
	i = ring_add(t);
	snprintf(t->rows[i], sizeof t->rows[i], "%s", line);
	t->kinds[i] = seg->retransmission || (seg->flags & TRACEFMT_RST) ?
	    UI_ROW_ALERT : seg->out ? UI_ROW_OUT : UI_ROW_IN;
	t->nseg++;
	chat_panel_added(c, CHAT_PANEL_TRACE, 1);
}

int
chat_trace_init(struct chat *c)
{
	struct chat_trace *t;
	struct trace *tr = c->p->trace;

	if (!c->o->trace || tr == NULL)
		return 0;
	if ((t = calloc(1, sizeof *t)) == NULL ||
	    (t->rows = calloc(CT_ROWS, sizeof *t->rows)) == NULL ||
	    (t->kinds = calloc(CT_ROWS, 1)) == NULL) {
		if (t != NULL)
			free(t->rows);
		free(t);
		return -1;
	}
	t->tr = tr;
	c->trace = t;
	if (tr->capturing) {
		t->started = true;
		snprintf(t->note, sizeof t->note, _("No segment captured yet."));
		trace_set_hook(tr, seg_cb, c);
	} else if (tr->denied) {
		snprintf(t->note, sizeof t->note, _("--trace needs root or "
		    "CAP_NET_RAW: %s"), tr->why);
		chat_alert(c, _("--trace needs root or CAP_NET_RAW: %s; the "
		    "chat goes on without it"), tr->why);
	} else {
		snprintf(t->note, sizeof t->note,
		    _("--trace cannot capture: %s"), tr->why);
		chat_alert(c, _("--trace cannot capture: %s; the chat goes on "
		    "without it"), tr->why);
	}
	return 0;
}

void
chat_trace_free(struct chat *c)
{
	struct chat_trace *t = c->trace;

	if (t == NULL)
		return;
	trace_set_hook(t->tr, NULL, NULL);
	free(t->rows);
	free(t->kinds);
	free(t);
	c->trace = NULL;
}

void
chat_trace_opened(struct chat *c, struct peer *p)
{
	if (c->trace != NULL && !c->o->udp)
		trace_peer(c->trace->tr, p->s.st.fd);
}

void
chat_trace_closed(struct chat *c, struct peer *p)
{
	(void)p;
	if (c->trace == NULL)
		return;
	trace_drain(c->trace->tr);	/* the FIN before "closed" */
	trace_peer_gone(c->trace->tr);
}

void
chat_trace_command(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_panel_toggle(c, CHAT_PANEL_TRACE);
}

/* "capturing on lo: 5 segments": a whole sentence for each count, its
 * plural by ngettext (the dropped count's when there are two). */
static void
counted_title(const struct chat_trace *t, char *title, size_t size)
{
	unsigned long long n = t->nseg, d = t->dropped;
	const char *dev = t->tr->dev;

	if (dev[0] == '\0')
		snprintf(title, size, P_("capturing: %llu segment",
		    "capturing: %llu segments", n), n);
	else if (d == 0)
		snprintf(title, size, P_("capturing on %s: %llu segment",
		    "capturing on %s: %llu segments", n), dev, n);
	else if (n == 1)
		/* TRANSLATORS: %s is the capture's device (lo, eth0);
		 * the second count is of segments the buffer lost. */
		snprintf(title, size, P_("capturing on %s: %llu segment, %llu "
		    "more not captured (the buffer was full)", "capturing on "
		    "%s: %llu segment, %llu more not captured (the buffer was "
		    "full)", d), dev, n, d);
	else
		snprintf(title, size, P_("capturing on %s: %llu segments, %llu "
		    "more not captured (the buffer was full)", "capturing on "
		    "%s: %llu segments, %llu more not captured (the buffer was "
		    "full)", d), dev, n, d);
}

const struct ui_rows *
chat_trace_panel(struct chat *c, char *title, size_t size)
{
	struct chat_trace *t = c->trace;

	if (t != NULL)
		t->dropped = trace_dropped(t->tr);
	if (t == NULL)
		snprintf(title, size, _("packets: start with --trace to "
		    "capture them"));
	else if (!t->tr->capturing && t->tr->denied)
		snprintf(title, size, _("not capturing: needs root or "
		    "CAP_NET_RAW"));
	else if (!t->tr->capturing)
		snprintf(title, size, _("not capturing: %s"), t->tr->why);
	else
		counted_title(t, title, size);
	if (t != NULL && t->count == 0 && t->started && !t->tr->capturing)
		snprintf(t->note, sizeof t->note, _("The capture stopped "
		    "before a segment came: %s"), t->tr->why);
	/* the legend, then the segments or the one row that says why none */
	panel_rows.nrows = 1 + (t != NULL && t->count > 0 ? t->count : 1);
	panel_rows.row = row_cb;
	panel_rows.arg = c;
	return &panel_rows;
}
