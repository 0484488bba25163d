/* Unit tests for session.c over a socketpair: poll interest and half-close. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
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

/* What the tap saw: "<0:abc|>0:hi\n|" */
struct tapped {
	char	text[256];
	size_t	len;
};

static void
tap_cb(void *arg, char dir, uint64_t offset, const char *bytes, size_t n)
{
	struct tapped *t = arg;

	t->len += (size_t)snprintf(t->text + t->len, sizeof t->text - t->len,
	    "%c%llu:", dir, (unsigned long long)offset);
	assert_true(t->len + n + 1 < sizeof t->text);
	memcpy(t->text + t->len, bytes, n);	/* NUL included */
	t->len += n;
	t->text[t->len++] = '|';
}

/* -x: every read and write shows its bytes once, with the running offset
 * per direction; nothing when no bytes moved. */
static void
test_tap_sees_each_read_and_write(void **state)
{
	struct session *s = *state;
	struct tapped t = { .len = 0 };
	char tmp[16];

	s->tap = tap_cb;
	s->tap_arg = &t;
	assert_int_equal(write(peer, "abc", 3), 3);
	assert_int_equal(session_on_readable(s), 3);
	assert_int_equal(session_on_readable(s), BUF_AGAIN);
	assert_int_equal(session_submit(s, "hi", 2, false), 0);
	assert_int_equal(session_on_writable(s), 3);
	buf_consume(&s->in, 2);		/* the mode took some */
	assert_int_equal(write(peer, "d\0e", 3), 3);
	assert_int_equal(session_on_readable(s), 3);
	assert_int_equal(session_submit(s, "yo", 2, true), 0);
	assert_int_equal(session_on_writable(s), 4);
	assert_int_equal(read(peer, tmp, sizeof tmp), 7);
	assert_int_equal(t.len, 29);
	assert_memory_equal(t.text, "<0:abc|>0:hi\n|<3:d\0e|>3:yo\r\n|", 29);
}

/* -u: each line is a datagram, an empty datagram is no FIN, and a
 * refusal is counted, not an error that ends the session. */
static void
test_udp_session(void **state)
{
	static struct session s;
	char tmp[64];
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv),
	    0);
	assert_int_equal(session_init(&s, sv[0], "udp", UDP_RECV_MAX, 64, 0), 0);
	s.udp.on = true;
	assert_int_equal(session_events(&s), POLLIN);
	assert_int_equal(session_submit(&s, "hi", 2, false), 0);
	assert_int_equal(session_queue(&s, "raw", 3), 0);
	assert_int_equal(session_on_writable(&s), 6);
	assert_int_equal(recv(sv[1], tmp, sizeof tmp, 0), 3);
	assert_int_equal(recv(sv[1], tmp, sizeof tmp, 0), 3);
	assert_memory_equal(tmp, "raw", 3);
	assert_int_equal(send(sv[1], "", 0, 0), 0);
	assert_int_equal(session_on_poll(&s, POLLIN), 0);
	assert_false(s.peer_eof);
	assert_int_equal(s.udp.empty, 1);
	assert_int_equal(session_events(&s), POLLIN);
	buf_append(&s.in, "x", 1);	/* not room for a whole datagram */
	assert_int_equal(session_events(&s), 0);
	buf_clear(&s.in);
	session_end_input(&s);		/* no FIN over UDP */
	assert_false(s.shut_wr);
	assert_false(session_finished(&s));
	session_free(&s);
	close(sv[1]);
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
	/* the write meets EPIPE; it is the peer's reset, named once */
	assert_int_equal(s->error, ECONNRESET);
	assert_true(session_finished(s));
	assert_int_equal(session_events(s), 0);
}

/*
 * Spliced in buffer whose kernel pipe is full by slots, not bytes: no
 * POLLIN until the mode takes some (it used to ask, splice said EAGAIN,
 * poll said POLLIN again: a busy loop).
 */
static void
test_splice_in_full_stops_reading(void **state)
{
	struct session s;
	int sv[2], out[2], i;
	ssize_t n = 0;
	char tmp[8192];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(session_init(&s, sv[0], "test", 4096, 16,
	    SESSION_SPLICE_IN), 0);
	if (!buf_spliced(&s.in))
		skip();		/* no pipes to be had: memory counts exactly */
	for (i = 0; i < 1024; i++) {
		assert_int_equal(session_events(&s), POLLIN);
		assert_int_equal(write(sv[1], "y", 1), 1);
		if ((n = session_on_readable(&s)) == BUF_AGAIN)
			break;
		assert_true(n > 0);
	}
	assert_int_equal(n, BUF_AGAIN);
	assert_int_equal(s.error, 0);
	assert_true(buf_used(&s.in) < s.in.cap);
	assert_int_equal(session_events(&s), 0);
	assert_true(buf_write(&s.in, out[1]) > 0);
	assert_int_equal(session_events(&s), POLLIN);
	assert_true(session_on_readable(&s) > 0);
	assert_true(read(out[0], tmp, sizeof tmp) > 0);
	session_free(&s);
	close(sv[1]);
	close(out[0]);
	close(out[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_interest, setup, teardown),
		cmocka_unit_test(test_udp_session),
		cmocka_unit_test_setup_teardown(test_submit_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tap_sees_each_read_and_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_shutdown_and_reset, setup, teardown),
		cmocka_unit_test(test_splice_in_full_stops_reading),
	};

	signal(SIGPIPE, SIG_IGN);	/* as tcptalk does: EPIPE, not death */
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
