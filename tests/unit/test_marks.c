/* Unit tests for marks, the delivery marks' bookkeeping: lines settle in
 * stream order from counters read now and then, one reading may settle
 * several, counters wrap, and the end of the connection fails the rest. */
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
	assert_int_equal(marks_update(&m, 5, 0, log_fn, &g), 0);
	assert_int_equal(marks_update(&m, 6, 5, log_fn, &g), 1);
	assert_int_equal(g.seq[0], 7);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	assert_int_equal(marks_update(&m, 6, 5, log_fn, &g), 0);	/* once */
	assert_int_equal(marks_update(&m, 6, 6, log_fn, &g), 1);
	assert_int_equal(g.mark[1], MARK_ACKED);
	assert_int_equal(marks_pending(&m), 0);
	assert_int_equal(marks_update(&m, 100, 100, log_fn, &g), 0);
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
	assert_int_equal(marks_update(&m, 30, 1000, log_fn, &g), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(g.seq[i], i + 1);
		assert_int_equal(g.mark[i], MARK_ACKED);
	}
	assert_int_equal(marks_pending(&m), 37);
	g.n = 0;
	assert_int_equal(marks_update(&m, 60, 45, log_fn, &g), 3);
	assert_int_equal(g.seq[0], 4);
	assert_int_equal(g.mark[0], MARK_ACKED);
	assert_int_equal(g.seq[1], 5);
	assert_int_equal(g.mark[1], MARK_WRITTEN);
	assert_int_equal(g.seq[2], 6);
	assert_int_equal(g.mark[2], MARK_WRITTEN);
	g.n = 0;
	assert_int_equal(marks_update(&m, 400, 400, log_fn, &g), 36);
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
	assert_int_equal(marks_update(&m, top + 5, top + 1, log_fn, &g), 1);
	assert_int_equal(g.mark[0], MARK_WRITTEN);
	assert_int_equal(marks_update(&m, top + 10, top + 5, log_fn, &g), 2);
	assert_int_equal(g.seq[1], 1);
	assert_int_equal(g.mark[1], MARK_ACKED);
	assert_int_equal(g.seq[2], 2);
	assert_int_equal(g.mark[2], MARK_WRITTEN);
	assert_int_equal(marks_update(&m, 6, 6, log_fn, &g), 1);
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
	assert_int_equal(marks_update(&m, 15, 10, log_fn, &g), 15);
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
	assert_int_equal(marks_update(&m, 5, 5, log_fn, &g), 1);
	assert_int_equal(g.seq[0], 30);
	assert_int_equal(g.mark[0], MARK_ACKED);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
