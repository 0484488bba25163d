/*
 * Unit tests for peer.c with a real loop over loopback sockets: dialling,
 * hooks, half-close, reset, -k with peers waiting, the idle timer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "failalloc.h"
#include "loop.h"
#include "net.h"
#include "opts.h"
#include "peer.h"

struct fx {
	struct tt_opts	 o;
	struct loop	 l;
	struct peer	 p;
	int		 lfd;		/* our own listener, for connect mode */
	char		 port[16];
	int		 opened, io, closed, waiting, sleeps;
	enum peer_end	 why;
	int		 error;		/* s.error seen by the closed hook */
	size_t		 left_in;	/* s.in bytes seen by the closed hook */
	char		 opened_peer[NET_ADDRSTRLEN];
	char		 closed_peer[NET_ADDRSTRLEN];
	int		 nwaiting;
	int		 dropped;
	char		 dropped_msg[256];
	bool		 finish_on_eof;	/* io hook: our FIN once the peer's came */
};

static void
opened_cb(void *arg, struct peer *p)
{
	struct fx *f = arg;

	f->opened++;
	snprintf(f->opened_peer, sizeof f->opened_peer, "%s", p->s.peer);
	loop_stop(&f->l, 0);
}

static void
io_cb(void *arg, struct peer *p)
{
	struct fx *f = arg;

	f->io++;
	if (f->finish_on_eof && p->s.peer_eof)
		session_end_input(&p->s);
}

static void
closed_cb(void *arg, struct peer *p, enum peer_end why)
{
	struct fx *f = arg;

	assert_true(p->have_s);		/* s still readable in the hook */
	f->closed++;
	f->why = why;
	f->error = p->s.error;
	f->left_in = buf_used(&p->s.in);
	snprintf(f->closed_peer, sizeof f->closed_peer, "%s", p->s.peer);
	loop_stop(&f->l, 0);
}

static void
waiting_cb(void *arg, struct peer *p)
{
	struct fx *f = arg;

	f->waiting++;
	f->nwaiting = p->nwaiting;
	loop_stop(&f->l, 0);
}

static void
dropped_cb(void *arg, struct peer *p, const char *msg)
{
	struct fx *f = arg;

	(void)p;
	f->dropped++;
	snprintf(f->dropped_msg, sizeof f->dropped_msg, "%s", msg);
	loop_stop(&f->l, 0);
}

static void
sleep_cb(void *arg)
{
	((struct fx *)arg)->sleeps++;
}

static void
guard_cb(void *arg)
{
	loop_stop(arg, 0);
}

/* One pass of the loop: until a hook stops it, or ms pass. */
static void
spin(struct fx *f, int ms)
{
	int id = loop_after(&f->l, ms, guard_cb, &f->l);

	assert_true(id > 0);
	f->l.stopped = false;
	loop_run(&f->l);
	loop_cancel(&f->l, id);
}

#define RUN_UNTIL(f, cond) do {						\
	int64_t until_ = clock_now_ms() + 3000;				\
	while (!(cond) && clock_now_ms() < until_)			\
		spin((f), 50);						\
	assert_true(cond);						\
} while (0)

static const struct peer_hooks hooks_tmpl = {
	opened_cb, io_cb, closed_cb, waiting_cb, dropped_cb, NULL, NULL, NULL
};

static void
base_opts(struct tt_opts *o)
{
	memset(o, 0, sizeof *o);
	o->family = AF_INET;
	o->host = "127.0.0.1";
	o->numeric = true;
	o->wait_ms = OPTS_NO_TIMEOUT;
	o->idle_ms = OPTS_NO_TIMEOUT;
	o->quit_ms = OPTS_NO_TIMEOUT;
}

static int
local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	return ntohs(sin.sin_port);
}

/* A plain listener of our own on 127.0.0.1, for connect mode. */
static int
setup_connect(void **state)
{
	static struct fx f;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	memset(&f, 0, sizeof f);
	base_opts(&f.o);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f.lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f.lfd >= 0);
	assert_int_equal(bind(f.lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(f.lfd, 8), 0);
	snprintf(f.port, sizeof f.port, "%d", local_port(f.lfd));
	f.o.port = f.port;
	loop_init(&f.l);
	f.l.before_sleep = sleep_cb;
	f.l.hook_arg = &f;
	peer_init(&f.p, &f.o, &f.l);
	*state = &f;
	return 0;
}

/* peer.c listens itself (port 0: any), under -k or not. */
static int
setup_listen(void **state)
{
	static struct fx f;

	memset(&f, 0, sizeof f);
	base_opts(&f.o);
	f.o.listen = true;
	f.o.port = "0";
	f.lfd = -1;
	loop_init(&f.l);
	f.l.before_sleep = sleep_cb;
	f.l.hook_arg = &f;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	peer_free(&f->p);
	loop_free(&f->l);
	if (f->lfd != -1)
		close(f->lfd);
	return 0;
}

static void
start(struct fx *f, size_t incap)
{
	struct peer_hooks h = hooks_tmpl;

	h.arg = f;
	assert_int_equal(peer_start(&f->p, &h, incap, 4096, 0), 0);
}

/* Connect mode: dialled by peer_open, opened hook from peer_start. */
static int
dial_and_accept(struct fx *f, size_t incap)
{
	char err[256];
	int fd;

	assert_int_equal(peer_open(&f->p, err, sizeof err), 0);
	fd = accept(f->lfd, NULL, NULL);
	assert_true(fd >= 0);
	assert_int_equal(f->opened, 0);		/* nothing before peer_start */
	start(f, incap);
	assert_int_equal(f->opened, 1);
	assert_true(f->p.have_s);
	return fd;
}

static int
timers_armed(const struct loop *l)
{
	int i, n = 0;

	for (i = 0; i < LOOP_MAX_TIMERS; i++)
		n += l->timers[i].id != 0;
	return n;
}

static void
test_connect_opened_and_data(void **state)
{
	struct fx *f = *state;
	char want[64];
	int fd;

	fd = dial_and_accept(f, 4096);
	snprintf(want, sizeof want, "127.0.0.1:%s", f->port);
	assert_string_equal(f->p.where, want);	/* a number once, not twice */
	assert_string_equal(f->opened_peer, want);
	assert_int_equal(timers_armed(&f->l), 0);	/* no -i: no timer */

	assert_int_equal(write(fd, "hello", 5), 5);
	RUN_UNTIL(f, buf_used(&f->p.s.in) == 5);
	assert_true(f->io >= 1);
	assert_memory_equal(buf_peek(&f->p.s.in, &(size_t){ 0 }), "hello", 5);
	assert_int_equal(f->closed, 0);
	close(fd);
}

static void
test_refused_message(void **state)
{
	struct fx *f = *state;
	char err[256], want[128];

	close(f->lfd);		/* nobody listens on the port any more */
	f->lfd = -1;
	assert_int_equal(peer_open(&f->p, err, sizeof err), -1);
	snprintf(want, sizeof want, "connect to 127.0.0.1 port %s: "
	    "Connection refused", f->port);
	assert_string_equal(err, want);
}

static void
test_fin_is_half_close(void **state)
{
	struct fx *f = *state;
	char tmp[8];
	int fd;

	fd = dial_and_accept(f, 4096);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	RUN_UNTIL(f, f->p.s.peer_eof);
	spin(f, 50);		/* nothing more happens by itself */
	assert_int_equal(f->closed, 0);
	assert_true(f->p.have_s);

	/* We may still send after the peer's FIN. */
	assert_int_equal(session_submit(&f->p.s, "late", 4, false), 0);
	RUN_UNTIL(f, f->p.s.bytes_out == 5);
	assert_int_equal(read(fd, tmp, sizeof tmp), 5);
	assert_int_equal(f->closed, 0);

	/* Our FIN, outside any socket event: now it is over. */
	session_end_input(&f->p.s);
	RUN_UNTIL(f, f->closed == 1);
	assert_int_equal(f->why, PEER_END_CLOSED);
	assert_false(f->p.have_s);
	assert_int_equal(read(fd, tmp, sizeof tmp), 0);
	close(fd);
}

static void
reset(int fd)
{
	struct linger lg = { 1, 0 };

	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
	close(fd);
}

static void
test_reset_on_first_poll(void **state)
{
	struct fx *f = *state;
	int fd;

	fd = dial_and_accept(f, 4096);
	reset(fd);
	f->sleeps = 0;
	spin(f, 1000);
	assert_int_equal(f->sleeps, 1);
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->why, PEER_END_ERROR);
	assert_int_equal(f->error, ECONNRESET);
	assert_false(f->p.have_s);
}

/* The mode holds a full s.in (the reader is slow): a reset is still heard
 * at once, and what arrived before it is there for the closed hook. */
static void
test_reset_with_full_input(void **state)
{
	struct fx *f = *state;
	int fd;

	fd = dial_and_accept(f, 8);
	assert_int_equal(write(fd, "0123456789abcdef", 16), 16);
	RUN_UNTIL(f, buf_used(&f->p.s.in) == 8);
	spin(f, 30);
	assert_int_equal(f->closed, 0);
	reset(fd);
	f->sleeps = 0;
	spin(f, 1000);
	assert_int_equal(f->sleeps, 1);
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->why, PEER_END_ERROR);
	assert_int_equal(f->error, ECONNRESET);
	assert_int_equal(f->left_in, 8);
}

static int
dial_local(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	assert_true(fd >= 0);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
open_listener(struct fx *f)
{
	char err[256];

	peer_init(&f->p, &f->o, &f->l);
	assert_int_equal(peer_open(&f->p, err, sizeof err), 0);
	assert_non_null(strstr(f->p.where, "listening on 127.0.0.1:"));
	start(f, 4096);
	assert_int_equal(f->opened, 0);
	return local_port(f->p.lst.fds[0]);
}

static void
test_keep_open_waiting_then_next(void **state)
{
	struct fx *f = *state;
	char tmp[8], second[NET_ADDRSTRLEN];
	int port, c1, c2;

	f->o.keep_open = true;
	f->finish_on_eof = true;
	port = open_listener(f);
	c1 = dial_local(port);
	RUN_UNTIL(f, f->opened == 1);
	c2 = dial_local(port);
	RUN_UNTIL(f, f->waiting == 1);
	assert_int_equal(f->nwaiting, 1);
	assert_int_equal(f->opened, 1);		/* held, not taken */
	snprintf(second, sizeof second, "127.0.0.1:%d", local_port(c2));
	assert_string_equal(f->p.waiting_addr[0], second);

	close(c1);	/* FIN; the io hook answers with ours */
	RUN_UNTIL(f, f->opened == 2);
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->why, PEER_END_CLOSED);
	assert_int_equal(f->nwaiting, 0);
	assert_string_equal(f->opened_peer, second);
	assert_int_equal(f->p.npeers, 2);

	/* The second peer is live: bytes both ways. */
	assert_int_equal(write(c2, "x", 1), 1);
	RUN_UNTIL(f, buf_used(&f->p.s.in) == 1);
	assert_int_equal(session_submit(&f->p.s, "y", 1, false), 0);
	RUN_UNTIL(f, f->p.s.bytes_out == 2);
	assert_int_equal(read(c2, tmp, sizeof tmp), 2);

	/* No one waits: peer_next says so and keeps the peer. */
	assert_int_equal(peer_next(&f->p), -1);
	assert_true(f->p.have_s);
	close(c2);
}

static void
test_peer_next(void **state)
{
	struct fx *f = *state;
	int port, c1, c2;

	f->o.keep_open = true;
	port = open_listener(f);
	c1 = dial_local(port);
	RUN_UNTIL(f, f->opened == 1);
	c2 = dial_local(port);
	RUN_UNTIL(f, f->nwaiting == 1);
	assert_int_equal(peer_next(&f->p), 0);
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->why, PEER_END_LOCAL);
	assert_int_equal(f->opened, 2);
	assert_int_equal(f->p.nwaiting, 0);
	close(c1);
	close(c2);
}

static void
test_without_k_later_peers_refused(void **state)
{
	struct fx *f = *state;
	int port, c1;

	port = open_listener(f);
	c1 = dial_local(port);
	RUN_UNTIL(f, f->opened == 1);
	assert_int_equal(f->p.lst.n, 0);	/* closed, as nc does */
	assert_int_equal(dial_local(port), -1);
	close(c1);
}

/* No memory for a peer's buffers: its socket is closed, the hook says so,
 * and the listener takes the next peer. */
static void
test_no_memory_for_a_peer(void **state)
{
	struct fx *f = *state;
	char want[128], tmp[8];
	int port, c1, c2;

	port = open_listener(f);
	failalloc(1, 1);	/* the first buffer of the session */
	c1 = dial_local(port);
	RUN_UNTIL(f, f->dropped == 1);
	failalloc(0, 0);
	assert_int_equal(f->opened, 0);
	assert_false(f->p.have_s);
	snprintf(want, sizeof want, "out of memory: closed the connection "
	    "from 127.0.0.1:%d", local_port(c1));
	assert_string_equal(f->dropped_msg, want);
	assert_int_equal(read(c1, tmp, sizeof tmp), 0);	/* closed */
	close(c1);
	c2 = dial_local(port);
	RUN_UNTIL(f, f->opened == 1);
	assert_int_equal(f->dropped, 1);
	close(c2);
}

static void
test_idle_timer(void **state)
{
	struct fx *f = *state;
	int64_t t0;
	int fd;

	f->o.idle_ms = 100;
	t0 = clock_now_ms();
	fd = dial_and_accept(f, 4096);
	assert_int_equal(timers_armed(&f->l), 1);
	/* Traffic re-arms it from the last byte. */
	spin(f, 60);
	assert_int_equal(write(fd, "a", 1), 1);
	RUN_UNTIL(f, f->p.s.bytes_in == 1);
	RUN_UNTIL(f, f->closed == 1);
	assert_int_equal(f->why, PEER_END_IDLE);
	assert_true(clock_now_ms() - t0 >= 150);
	assert_int_equal(timers_armed(&f->l), 0);	/* no peer: no timer */
	close(fd);
}

static void
test_reconnect(void **state)
{
	struct fx *f = *state;
	char err[256];
	int fd;

	fd = dial_and_accept(f, 4096);
	assert_int_equal(peer_reconnect(&f->p, err, sizeof err), -1);
	peer_end(&f->p, PEER_END_LOCAL);
	assert_int_equal(f->closed, 1);
	assert_int_equal(f->why, PEER_END_LOCAL);
	close(fd);
	assert_int_equal(peer_reconnect(&f->p, err, sizeof err), 0);
	assert_int_equal(f->opened, 2);
	fd = accept(f->lfd, NULL, NULL);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "z", 1), 1);
	RUN_UNTIL(f, buf_used(&f->p.s.in) == 1);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connect_opened_and_data,
		    setup_connect, teardown),
		cmocka_unit_test_setup_teardown(test_refused_message,
		    setup_connect, teardown),
		cmocka_unit_test_setup_teardown(test_fin_is_half_close,
		    setup_connect, teardown),
		cmocka_unit_test_setup_teardown(test_reset_on_first_poll,
		    setup_connect, teardown),
		cmocka_unit_test_setup_teardown(test_reset_with_full_input,
		    setup_connect, teardown),
		cmocka_unit_test_setup_teardown(test_keep_open_waiting_then_next,
		    setup_listen, teardown),
		cmocka_unit_test_setup_teardown(test_peer_next,
		    setup_listen, teardown),
		cmocka_unit_test_setup_teardown(test_without_k_later_peers_refused,
		    setup_listen, teardown),
		cmocka_unit_test_setup_teardown(test_no_memory_for_a_peer,
		    setup_listen, teardown),
		cmocka_unit_test_setup_teardown(test_idle_timer,
		    setup_connect, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect,
		    setup_connect, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
