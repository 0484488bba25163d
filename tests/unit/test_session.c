/* Unit tests for session.c over a socketpair: poll interest and half-close. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "session.h"

static int peer;

static int
setup(void **state)
{
	static struct session s;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1)
		return -1;
	if (session_init(&s, sv[0], "test", 8, 16, 0) == -1)
		return -1;
	peer = sv[1];
	*state = &s;
	return 0;
}

static int
teardown(void **state)
{
	session_free(*state);
	close(peer);
	return 0;
}

static void
test_interest(void **state)
{
	struct session *s = *state;
	char tmp[16];

	assert_int_equal(session_events(s), POLLIN);
	assert_int_equal(session_submit(s, "hi", 2, false), 0);
	assert_int_equal(session_events(s), POLLIN | POLLOUT);
	assert_int_equal(session_on_poll(s, POLLOUT), 0);	/* wrote, read nothing */
	assert_int_equal(s->bytes_out, 3);
	assert_int_equal(session_events(s), POLLIN);
	assert_int_equal(read(peer, tmp, sizeof tmp), 3);
	assert_memory_equal(tmp, "hi\n", 3);

	/* a full in buffer stops reading: backpressure */
	assert_int_equal(write(peer, "0123456789", 10), 10);
	assert_int_equal(session_on_readable(s), 8);
	assert_int_equal(s->bytes_in, 8);
	assert_int_equal(session_events(s), 0);
	buf_consume(&s->in, 8);
	assert_int_equal(session_events(s), POLLIN);
	assert_int_equal(session_on_readable(s), 2);
}

static void
test_submit_all_or_nothing(void **state)
{
	struct session *s = *state;
	char tmp[32];

	assert_int_equal(session_submit(s, "0123456789ab", 12, true), 0);	/* 14 */
	assert_int_equal(session_submit(s, "x", 1, false), 0);		/* 16 */
	assert_int_equal(session_submit(s, "y", 1, false), -1);		/* full */
	assert_int_equal(buf_used(&s->out), 16);
	assert_int_equal(session_on_writable(s), 16);
	assert_int_equal(read(peer, tmp, sizeof tmp), 16);
	assert_memory_equal(tmp, "0123456789ab\r\nx\n", 16);
}

static void
test_half_close(void **state)
{
	struct session *s = *state;
	char tmp[16];

	assert_int_equal(session_submit(s, "bye", 3, false), 0);
	session_end_input(s);
	assert_false(s->shut_wr);		/* not before the queue drains */
	assert_int_equal(session_submit(s, "late", 4, false), -1);
	assert_int_equal(session_on_writable(s), 4);
	assert_true(s->shut_wr);
	assert_int_equal(read(peer, tmp, sizeof tmp), 4);
	assert_int_equal(read(peer, tmp, sizeof tmp), 0);	/* FIN arrived */
	assert_false(session_finished(s));
	/* we still read after our FIN, until the peer closes */
	assert_int_equal(write(peer, "reply", 5), 5);
	assert_int_equal(session_on_readable(s), 5);
	shutdown(peer, SHUT_WR);
	/* POLLHUP alone still reads, to see the EOF */
	assert_int_equal(session_on_poll(s, POLLHUP), 0);
	assert_true(s->peer_eof);
	assert_int_equal(session_events(s), 0);
	assert_true(session_finished(s));
}

static void
test_no_shutdown_and_reset(void **state)
{
	struct session *s = *state;

	s->no_shutdown = true;
	session_end_input(s);
	assert_false(s->shut_wr);
	close(peer);
	peer = -1;
	assert_int_equal(session_submit(s, "x", 1, false), -1);	/* ended */
	s->local_eof = false;
	assert_int_equal(session_submit(s, "x", 1, false), 0);
	assert_int_equal(session_on_writable(s), -1);
	assert_int_not_equal(s->error, 0);
	assert_true(session_finished(s));
	assert_int_equal(session_events(s), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_interest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submit_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_shutdown_and_reset, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);	/* as tcptalk does: EPIPE, not death */
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
