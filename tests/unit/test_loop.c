/* Unit tests for loop.c: timers, slots, fd callbacks, signals, hooks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"

struct rec {
	struct loop	*l;
	int		 order[8];
	int		 n;
	int		 stop_at;	/* loop_stop after this many */
};

struct tag {
	struct rec	*r;
	int		 v;
};

static void
record_cb(void *arg)
{
	struct tag *t = arg;

	t->r->order[t->r->n++] = t->v;
	if (t->r->n == t->r->stop_at)
		loop_stop(t->r->l, 0);
}

static void
test_timers_in_order(void **state)
{
	struct loop l;
	struct rec r = { .l = &l, .stop_at = 3 };
	struct tag t[3] = { { &r, 30 }, { &r, 10 }, { &r, 20 } };
	int i;

	(void)state;
	loop_init(&l);
	for (i = 0; i < 3; i++)
		assert_true(loop_after(&l, t[i].v, record_cb, &t[i]) > 0);
	assert_int_equal(loop_run(&l), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.order[0], 10);
	assert_int_equal(r.order[1], 20);
	assert_int_equal(r.order[2], 30);
	loop_free(&l);
}

/* Timers that fall due in the same round still fire earliest first, not
 * in slot order. */
static void
test_due_together_earliest_first(void **state)
{
	struct loop l;
	struct rec r = { .l = &l, .stop_at = 2 };
	struct tag late = { &r, 2 }, early = { &r, 1 };
	int64_t until;

	(void)state;
	loop_init(&l);
	assert_true(loop_after(&l, 5, record_cb, &late) > 0);	/* slot 0 */
	assert_true(loop_after(&l, 1, record_cb, &early) > 0);	/* slot 1 */
	until = clock_now_ms() + 20;
	while (clock_now_ms() < until)
		;	/* both due before the first poll */
	assert_int_equal(loop_run(&l), 0);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 2);
	loop_free(&l);
}

static void
test_cancel(void **state)
{
	struct loop l;
	struct rec r = { .l = &l, .stop_at = 1 };
	struct tag gone = { &r, 1 }, stays = { &r, 2 };
	int id;

	(void)state;
	loop_init(&l);
	id = loop_after(&l, 1, record_cb, &gone);
	assert_true(id > 0);
	assert_true(loop_after(&l, 15, record_cb, &stays) > 0);
	loop_cancel(&l, id);
	loop_cancel(&l, id);	/* twice: harmless */
	loop_cancel(&l, 0);
	loop_cancel(&l, -1);	/* a failed loop_after's id */
	assert_int_equal(loop_run(&l), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.order[0], 2);
	loop_free(&l);
}

static void
nop_cb(void *arg)
{
	(void)arg;
}

static void
test_timer_slots_full(void **state)
{
	struct loop l;
	int ids[LOOP_MAX_TIMERS], i;

	(void)state;
	loop_init(&l);
	for (i = 0; i < LOOP_MAX_TIMERS; i++) {
		ids[i] = loop_after(&l, 1000, nop_cb, NULL);
		assert_true(ids[i] > 0);
	}
	assert_int_equal(loop_after(&l, 1000, nop_cb, NULL), -1);
	loop_cancel(&l, ids[3]);
	assert_true(loop_after(&l, 1000, nop_cb, NULL) > 0);
	assert_int_equal(loop_after(&l, 1000, nop_cb, NULL), -1);
	loop_free(&l);
}

static void
ready_nop_cb(void *arg, short revents)
{
	(void)arg;
	(void)revents;
}

static void
test_io_slots_full(void **state)
{
	struct loop l;
	int i;

	(void)state;
	loop_init(&l);
	l.max_io = 16;
	for (i = 0; i < 16; i++)
		assert_int_equal(loop_add(&l, 100 + i, NULL, ready_nop_cb, NULL), 0);
	assert_int_equal(loop_add(&l, 200, NULL, ready_nop_cb, NULL), -1);
	loop_del(&l, 105);
	assert_int_equal(loop_add(&l, 200, NULL, ready_nop_cb, NULL), 0);
	assert_int_equal(loop_add(&l, 201, NULL, ready_nop_cb, NULL), -1);
	loop_free(&l);
}

static void	stop_cb(void *);

static void
count_ready_cb(void *arg, short revents)
{
	(void)revents;
	(*(int *)arg)++;
}

/* Rooms: the set grows past any fixed size, and poll sees every fd. */
static void
test_io_grows(void **state)
{
	struct loop l;
	int i, fds[300][2], got = 0;

	(void)state;
	loop_init(&l);
	for (i = 0; i < 300; i++) {
		assert_int_equal(pipe(fds[i]), 0);
		assert_int_equal(loop_add(&l, fds[i][0], NULL, count_ready_cb,
		    &got), 0);
	}
	assert_int_equal(write(fds[299][1], "x", 1), 1);
	assert_int_equal(write(fds[0][1], "x", 1), 1);
	assert_true(loop_after(&l, 50, stop_cb, &l) > 0);
	assert_int_equal(loop_run(&l), 3);
	assert_true(got >= 2);	/* level-triggered: once per round each */
	assert_int_equal(got % 2, 0);
	for (i = 0; i < 300; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	loop_free(&l);
}

struct fdt {
	struct loop	*l;
	int		 fd;
	bool		 want;
	int		 calls;
	short		 revents;
};

static short
fd_events_cb(void *arg)
{
	struct fdt *f = arg;

	return f->want ? POLLIN : 0;
}

static void
fd_ready_cb(void *arg, short revents)
{
	struct fdt *f = arg;
	char c;

	f->calls++;
	f->revents = revents;
	assert_int_equal(read(f->fd, &c, 1), 1);
	loop_stop(f->l, 7);
}

static void
stop_cb(void *arg)
{
	loop_stop(arg, 3);
}

static void
test_fd_callbacks(void **state)
{
	struct loop l;
	struct fdt f = { .l = &l, .want = true };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	f.fd = p[0];
	loop_init(&l);
	assert_int_equal(loop_add(&l, p[0], fd_events_cb, fd_ready_cb, &f), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run(&l), 7);
	assert_int_equal(f.calls, 1);
	assert_true(f.revents & POLLIN);

	/* An events callback that says 0 leaves the fd out of poll. */
	loop_free(&l);
	loop_init(&l);
	f.want = false;
	f.calls = 0;
	assert_int_equal(loop_add(&l, p[0], fd_events_cb, fd_ready_cb, &f), 0);
	assert_int_equal(write(p[1], "y", 1), 1);
	assert_true(loop_after(&l, 20, stop_cb, &l) > 0);
	assert_int_equal(loop_run(&l), 3);
	assert_int_equal(f.calls, 0);

	/* Deleted: never called again. */
	loop_free(&l);
	loop_init(&l);
	f.want = true;
	assert_int_equal(loop_add(&l, p[0], fd_events_cb, fd_ready_cb, &f), 0);
	loop_del(&l, p[0]);
	assert_true(loop_after(&l, 20, stop_cb, &l) > 0);
	assert_int_equal(loop_run(&l), 3);
	assert_int_equal(f.calls, 0);
	loop_free(&l);
	close(p[0]);
	close(p[1]);
}

struct sigt {
	struct loop	*l;
	int		 got;
};

static void
sig_cb(void *arg, int signo)
{
	struct sigt *s = arg;

	s->got = signo;
	loop_stop(s->l, 128 + signo);
}

static void
test_signals(void **state)
{
	static const int sigs[] = { SIGUSR1 };
	struct loop l;
	struct sigt s = { .l = &l };
	struct sigaction sa;

	(void)state;
	loop_init(&l);
	assert_int_equal(loop_signals(&l, sigs, 1, sig_cb, &s), 0);
	assert_true(loop_after(&l, 2000, stop_cb, &l) > 0);	/* not heard */
	assert_int_equal(raise(SIGUSR1), 0);	/* the handler only writes a byte */
	assert_int_equal(s.got, 0);
	assert_int_equal(loop_run(&l), 128 + SIGUSR1);
	assert_int_equal(s.got, SIGUSR1);
	loop_free(&l);
	/* Back to the default: a signal while exiting is not swallowed. */
	assert_int_equal(sigaction(SIGUSR1, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_DFL);
}

struct hookt {
	struct loop	*l;
	int		 sleeps;
	int		 fired;
};

static void
hook_cb(void *arg)
{
	struct hookt *h = arg;

	/* Called before every sleep, after the timers of the last wake-up. */
	assert_int_equal(h->fired, h->sleeps);
	if (++h->sleeps == 3)
		loop_stop(h->l, 5);
}

static void
hook_timer_cb(void *arg)
{
	struct hookt *h = arg;

	if (++h->fired == 10)
		loop_stop(h->l, 99);	/* the hook never stopped it */
	assert_true(loop_after(h->l, 0, hook_timer_cb, h) > 0);
}

static void
test_before_sleep_and_stop(void **state)
{
	struct loop l;
	struct hookt h = { .l = &l };

	(void)state;
	loop_init(&l);
	l.before_sleep = hook_cb;
	l.hook_arg = &h;
	assert_true(loop_after(&l, 0, hook_timer_cb, &h) > 0);
	assert_int_equal(loop_run(&l), 5);
	assert_int_equal(h.sleeps, 3);
	assert_int_equal(h.fired, 2);

	/* The first status given to loop_stop wins. */
	loop_free(&l);
	loop_init(&l);
	loop_stop(&l, 9);
	loop_stop(&l, 1);
	assert_int_equal(loop_run(&l), 9);
	loop_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_in_order),
		cmocka_unit_test(test_due_together_earliest_first),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_timer_slots_full),
		cmocka_unit_test(test_io_slots_full),
		cmocka_unit_test(test_io_grows),
		cmocka_unit_test(test_fd_callbacks),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_before_sleep_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
