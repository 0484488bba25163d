/*
 * marks.c - delivery marks: sent lines waiting for the peer's ack, a FIFO
 * in stream order, so one reading of the counters settles every line it
 * covers from the front and stops at the first it does not.
 */
#include <stdlib.h>

#include "marks.h"

#define MARKS_MIN	16

/* a at or past b, modulo 2^64: counters may wrap */
static bool
reached(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) >= 0;
}

void
marks_init(struct marks *m)
{
	m->q = NULL;
	m->cap = m->head = m->n = m->nwire = m->ntold = 0;
}

void
marks_free(struct marks *m)
{
	free(m->q);
	marks_init(m);
}

size_t
marks_pending(const struct marks *m)
{
	return m->n;
}

int
marks_add(struct marks *m, uint64_t seq, uint64_t end)
{
	struct marks_line *q;
	size_t cap, i;

	if (m->n == m->cap) {	/* grow, unrolling the ring to the front */
		cap = m->cap == 0 ? MARKS_MIN : m->cap * 2;
		if (cap < m->cap || cap > SIZE_MAX / sizeof *q ||
		    (q = malloc(cap * sizeof *q)) == NULL)
			return -1;
		for (i = 0; i < m->n; i++)
			q[i] = m->q[(m->head + i) % m->cap];
		free(m->q);
		m->q = q;
		m->cap = cap;
		m->head = 0;
	}
	q = &m->q[(m->head + m->n) % m->cap];
	q->seq = seq;
	q->end = end;
	q->wire = 0;
	m->n++;
	return 0;
}

void
marks_wrote(struct marks *m, uint64_t written, uint64_t wire, bool records)
{
	struct marks_line *l;

	while (m->nwire < m->n) {
		l = &m->q[(m->head + m->nwire) % m->cap];
		if (!reached(written, l->end))
			break;
		l->wire = records ? wire : wire - (written - l->end);
		m->nwire++;
	}
}

size_t
marks_update(struct marks *m, uint64_t written, uint64_t wire, bool records,
    uint64_t acked, marks_fn fn, void *arg)
{
	struct marks_line *l;
	size_t moved = 0;

	marks_wrote(m, written, wire, records);
	/* bytes are acknowledged only once written */
	if (!reached(wire, acked))
		acked = wire;
	while (m->nwire > 0) {
		l = &m->q[m->head];
		if (!reached(acked, l->wire))
			break;
		fn(arg, l->seq, MARK_ACKED);
		moved++;
		m->head = (m->head + 1) % m->cap;
		m->n--;
		m->nwire--;
		if (m->ntold > 0)
			m->ntold--;
	}
	for (; m->ntold < m->nwire; m->ntold++) {
		fn(arg, m->q[(m->head + m->ntold) % m->cap].seq, MARK_WRITTEN);
		moved++;
	}
	return moved;
}

size_t
marks_fail(struct marks *m, marks_fn fn, void *arg)
{
	size_t moved = 0;

	while (m->n > 0) {
		fn(arg, m->q[m->head].seq, MARK_FAILED);
		moved++;
		m->head = (m->head + 1) % m->cap;
		m->n--;
	}
	m->head = m->nwire = m->ntold = 0;
	return moved;
}
