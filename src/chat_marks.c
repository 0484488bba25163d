/*
 * chat_marks.c - the delivery marks of typed lines: "·" once the kernel
 * has the line's last byte, "✓" once the peer's TCP acknowledged it, "✗"
 * when the connection ended before that.  A line's place in the byte
 * stream is known when it is queued (bytes written so far plus the queue);
 * what the peer acknowledged is the bytes on the wire less SIOCOUTQ, the
 * bytes the kernel still holds for want of an ack.  Over TLS the wire
 * carries records, not the text: the stream tells us as each record goes
 * (wrote_cb), and a line's end is the wire count once the record with its
 * last byte went; its close_notify and TLS 1.3's tickets count too.
 *
 * Not for -u (no acknowledgements) or -U (the kernel delivers at once):
 * their lines carry no mark.  /raw's bytes and /send's file get none
 * either: they are not lines typed.
 *
 * An ack wakes nobody (we wait for POLLOUT only while bytes are queued),
 * so while a line waits for its ✓ a timer looks, first after
 * MARKS_FIRST_MS and then less often, up to once a second: a loopback ✓
 * comes at once, and a peer that stopped answering costs a wake-up a
 * second, not more.  With nothing waiting there is no timer and no ioctl.
 */
#include "chat_int.h"
#include "loop.h"
#include "marks.h"
#include "opts.h"
#include "peer.h"
#include "tcpinfo.h"
#include "ui.h"

#define MARKS_FIRST_MS	5	/* first look after a line went */
#define MARKS_MAX_MS	1000	/* then doubling, up to this */

static bool
marks_on(const struct chat *c)
{
	return !c->o->udp && c->o->unix_path == NULL;
}

static void
set_mark(void *arg, uint64_t seq, enum mark m)
{
	struct chat *c = arg;

	(void)transcript_mark(&c->tr, seq, (int)m);	/* gone: scrolled out */
	c->dirty |= UI_PANES;
}

/* Settle what the counters say; read_kernel: ask for the acked count too
 * (one ioctl), else take the last one read. */
static void
look(struct chat *c, bool read_kernel)
{
	const struct session *s = &c->p->s;
	uint64_t wire;
	int64_t outq;

	if (!c->p->have_s || marks_pending(&c->marks) == 0)
		return;
	wire = stream_wire(&s->st);
	if (read_kernel && (outq = tcpinfo_outq(s->st.fd)) >= 0)
		c->marks_acked = wire - (uint64_t)outq;
	marks_update(&c->marks, s->st.written, wire, s->st.tls != NULL,
	    c->marks_acked, set_mark, c);
}

/* A record (or a plain write) went: the lines it finished have their wire
 * end now, before the next record adds to the count. */
static void
wrote_cb(void *arg, const struct stream *st)
{
	struct chat *c = arg;

	marks_wrote(&c->marks, st->written, stream_wire(st), st->tls != NULL);
}

static void arm(struct chat *);

static void
timer_cb(void *arg)
{
	struct chat *c = arg;

	c->marks_timer = -1;
	look(c, true);
	arm(c);
}

static void
arm(struct chat *c)
{
	if (marks_pending(&c->marks) == 0 || c->marks_timer > 0)
		return;
	c->marks_timer = loop_after(c->loop, c->marks_ms, timer_cb, c);
	c->marks_ms = c->marks_ms * 2 > MARKS_MAX_MS ? MARKS_MAX_MS :
	    c->marks_ms * 2;
}

void
chat_marks_sent(struct chat *c, uint64_t seq)
{
	struct session *s = &c->p->s;

	if (!marks_on(c) || !c->p->have_s)
		return;
	if (marks_pending(&c->marks) == 0) {
		c->marks_acked = stream_wire(&s->st);	/* nothing older waits */
		c->marks_ms = MARKS_FIRST_MS;
	}
	if (marks_add(&c->marks, seq, s->st.written + buf_used(&s->out)) == -1)
		return;		/* out of memory: the line goes unmarked */
	s->st.wrote_cb = wrote_cb;	/* a new session each connection */
	s->st.wrote_arg = c;
	set_mark(c, seq, MARK_QUEUED);
	arm(c);
}

void
chat_marks_io(struct chat *c)
{
	look(c, false);
}

size_t
chat_marks_end(struct chat *c)
{
	size_t lost;

	look(c, true);		/* acks that came before the end count */
	if ((lost = marks_fail(&c->marks, set_mark, c)) > 0)
		c->dirty |= UI_PANES;
	loop_cancel(c->loop, c->marks_timer);
	c->marks_timer = -1;
	return lost;
}

void
chat_marks_free(struct chat *c)
{
	if (c->p->have_s && c->p->s.st.wrote_arg == c)	/* the peer outlives us */
		c->p->s.st.wrote_cb = NULL;
	loop_cancel(c->loop, c->marks_timer);
	c->marks_timer = -1;
	marks_free(&c->marks);
}
