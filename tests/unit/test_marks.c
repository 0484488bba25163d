/* Unit tests for marks, the delivery marks' bookkeeping: lines settle in
 * stream order from counters read now and then, one reading may settle
 * several, counters wrap, the end of the connection fails the rest, and
 * over TLS a line's end is counted in wire bytes, as the peer acks them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "marks.h"

#define LOG_MAX	64

struct log {
	size_t		 n;
	uint64_t	 seq[LOG_MAX];
	enum mark	 mark[LOG_MAX];
};

static void
log_fn(void *arg, uint64_t seq, enum mark mark)
{
	struct log *g = arg;

	assert_true(g->n < LOG_MAX);
	g->seq[g->n] = seq;
	g->mark[g->n] = mark;
	g->n++;
}

/* A line is written once the kernel took its last byte, acked once the
 * peer's TCP acknowledged it; never twice. */
static void
test_marks_one_line(void **state)
{
	struct marks m;
	struct log g;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	assert_int_equal(marks_add(&m, 7, 6), 0);	/* "hello\n" */
	assert_int_equal(marks_pending(&m), 1);
	assert_int_equal(marks_update(&m, 5, 5, false, 0, log_fn, &g), 0);
	assert_int_equal(marks_update(&m, 6, 6, false, 5, log_fn, &g), 1);
	assert_int_equal(g.seq[0], 7);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	assert_int_equal(marks_update(&m, 6, 6, false, 5, log_fn, &g), 0);	/* once */
	assert_int_equal(marks_update(&m, 6, 6, false, 6, log_fn, &g), 1);
	assert_int_equal(g.mark[1], MARK_ACKED);
	assert_int_equal(marks_pending(&m), 0);
	assert_int_equal(marks_update(&m, 100, 100, false, 100, log_fn, &g), 0);
	marks_free(&m);
}

/* One reading settles every line it covers, oldest first, and stops at
 * the first line it does not cover; an acked count above the written one
 * (counters read at different moments) counts as the written one. */
static void
test_marks_many_at_once(void **state)
{
	struct marks m;
	struct log g;
	uint64_t i;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	for (i = 1; i <= 40; i++)	/* past the first allocation */
		assert_int_equal(marks_add(&m, i, i * 10), 0);
	assert_int_equal(marks_update(&m, 30, 30, false, 1000, log_fn, &g), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(g.seq[i], i + 1);
		assert_int_equal(g.mark[i], MARK_ACKED);
	}
	assert_int_equal(marks_pending(&m), 37);
	g.n = 0;
	assert_int_equal(marks_update(&m, 60, 60, false, 45, log_fn, &g), 3);
	assert_int_equal(g.seq[0], 4);
	assert_int_equal(g.mark[0], MARK_ACKED);
	assert_int_equal(g.seq[1], 5);
	assert_int_equal(g.mark[1], MARK_WRITTEN);
	assert_int_equal(g.seq[2], 6);
	assert_int_equal(g.mark[2], MARK_WRITTEN);
	g.n = 0;
	assert_int_equal(marks_update(&m, 400, 400, false, 400, log_fn, &g), 36);
	assert_int_equal(g.seq[35], 40);
	assert_int_equal(marks_pending(&m), 0);
	marks_free(&m);
}

/* Offsets near 2^64 compare across the wrap. */
static void
test_marks_wrap(void **state)
{
	struct marks m;
	struct log g;
	uint64_t top = UINT64_MAX - 3;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	assert_int_equal(marks_add(&m, 1, top + 2), 0);
	assert_int_equal(marks_add(&m, 2, top + 10), 0);	/* wrapped: 6 */
	assert_int_equal(marks_update(&m, top + 5, top + 5, false, top + 1,
	    log_fn, &g), 1);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	assert_int_equal(marks_update(&m, top + 10, top + 10, false, top + 5,
	    log_fn, &g), 2);
	assert_int_equal(g.seq[1], 1);
	assert_int_equal(g.mark[1], MARK_ACKED);
	assert_int_equal(g.seq[2], 2);
	assert_int_equal(g.mark[2], MARK_WRITTEN);
	assert_int_equal(marks_update(&m, 6, 6, false, 6, log_fn, &g), 1);
	assert_int_equal(g.mark[3], MARK_ACKED);
	marks_free(&m);
}

/* The peer's end fails every line still waiting, written or not; acked
 * ones keep their mark, and the FIFO works again afterwards. */
static void
test_marks_fail(void **state)
{
	struct marks m;
	struct log g;
	uint64_t i;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	for (i = 1; i <= 20; i++)
		assert_int_equal(marks_add(&m, i, i), 0);
	assert_int_equal(marks_update(&m, 15, 15, false, 10, log_fn, &g), 15);
	g.n = 0;
	assert_int_equal(marks_fail(&m, log_fn, &g), 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(g.seq[i], 11 + i);
		assert_int_equal(g.mark[i], MARK_FAILED);
	}
	assert_int_equal(marks_pending(&m), 0);
	assert_int_equal(marks_fail(&m, log_fn, &g), 0);
	assert_int_equal(marks_add(&m, 30, 5), 0);	/* a new connection */
	g.n = 0;
	assert_int_equal(marks_update(&m, 5, 5, false, 5, log_fn, &g), 1);
	assert_int_equal(g.seq[0], 30);
	assert_int_equal(g.mark[0], MARK_ACKED);
	marks_free(&m);
}

/*
 * TLS: the wire carries records, longer than their text, after a
 * handshake.  Lines get the wire count of the moment their last byte went
 * (one marks_wrote per record), and acks in wire bytes settle them.
 * 3000 bytes of handshake; records of 22 bytes' overhead.
 */
static void
test_marks_tls_wire(void **state)
{
	struct marks m;
	struct log g;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	assert_int_equal(marks_add(&m, 1, 7), 0);	/* "你好\n" */
	assert_int_equal(marks_add(&m, 2, 10), 0);	/* "ok\n" */
	assert_int_equal(marks_add(&m, 3, 14), 0);	/* "bye\n" */
	marks_wrote(&m, 7, 3000 + 29, true);		/* a record of line 1 */
	marks_wrote(&m, 14, 3000 + 29 + 29, true);	/* lines 2 and 3 in one */
	/* plain offsets would call line 1 acked at 7: in wire bytes the
	 * handshake alone is more, and nothing is acked before its record */
	assert_int_equal(marks_update(&m, 14, 3058, true, 3028, log_fn, &g), 3);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	assert_int_equal(g.mark[2], MARK_WRITTEN);
	g.n = 0;
	assert_int_equal(marks_update(&m, 14, 3058, true, 3029, log_fn, &g), 1);
	assert_int_equal(g.seq[0], 1);
	assert_int_equal(g.mark[0], MARK_ACKED);
	/* line 2 ended mid-record: it is acked with the record's end */
	g.n = 0;
	assert_int_equal(marks_update(&m, 14, 3058, true, 3057, log_fn, &g), 0);
	/* our close_notify (24 bytes) went and is not acked: the lines are */
	assert_int_equal(marks_update(&m, 14, 3058 + 24, true, 3058, log_fn, &g), 2);
	assert_int_equal(g.seq[1], 3);
	assert_int_equal(g.mark[1], MARK_ACKED);
	assert_int_equal(marks_pending(&m), 0);
	marks_free(&m);
}

/* Without a marks_wrote per record, marks_update takes the wire count it
 * is given for lines it finds written: a late ✓, never an early one. */
static void
test_marks_wire_late(void **state)
{
	struct marks m;
	struct log g;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	assert_int_equal(marks_add(&m, 1, 5), 0);
	assert_int_equal(marks_add(&m, 2, 9), 0);
	marks_wrote(&m, 4, 100, true);		/* line 1's last byte not yet */
	assert_int_equal(marks_update(&m, 9, 200, true, 150, log_fn, &g), 2);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	assert_int_equal(g.mark[1], MARK_WRITTEN);
	g.n = 0;
	assert_int_equal(marks_update(&m, 9, 200, true, 199, log_fn, &g), 0);
	assert_int_equal(marks_update(&m, 9, 200, true, 200, log_fn, &g), 2);
	/* an acked count above the wire count is the wire count */
	assert_int_equal(marks_add(&m, 3, 12), 0);
	g.n = 0;
	assert_int_equal(marks_update(&m, 11, 210, true, 500, log_fn, &g), 0);
	assert_int_equal(marks_update(&m, 12, 220, true, 500, log_fn, &g), 1);
	assert_int_equal(g.mark[0], MARK_ACKED);
	marks_free(&m);
}

/* Bytes as they are (no records): one write carrying two lines gives
 * each its own end, moved by what the wire has more than the stream. */
static void
test_marks_plain_offsets(void **state)
{
	struct marks m;
	struct log g;

	(void)state;
	memset(&g, 0, sizeof g);
	marks_init(&m);
	assert_int_equal(marks_add(&m, 1, 2), 0);	/* "a\n" */
	assert_int_equal(marks_add(&m, 2, 7), 0);	/* "bbbb\n" */
	marks_wrote(&m, 7, 107, false);		/* 100 bytes before */
	assert_int_equal(marks_update(&m, 7, 107, false, 101, log_fn, &g), 2);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	g.n = 0;
	assert_int_equal(marks_update(&m, 7, 107, false, 102, log_fn, &g), 1);
	assert_int_equal(g.seq[0], 1);
	assert_int_equal(g.mark[0], MARK_ACKED);
	assert_int_equal(marks_update(&m, 7, 107, false, 107, log_fn, &g), 1);
	assert_int_equal(g.seq[1], 2);
	marks_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_one_line),
		cmocka_unit_test(test_marks_many_at_once),
		cmocka_unit_test(test_marks_wrap),
		cmocka_unit_test(test_marks_fail),
		cmocka_unit_test(test_marks_tls_wire),
		cmocka_unit_test(test_marks_wire_late),
		cmocka_unit_test(test_marks_plain_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
