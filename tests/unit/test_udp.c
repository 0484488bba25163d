/* Unit tests for udp.c: where queued datagrams end, and one recv or send
 * per datagram (over an AF_UNIX datagram socketpair, which keeps
 * boundaries as UDP does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "udp.h"

/* A chunk bigger than a datagram goes as several; the count is bounded
 * and refuses all or nothing. */
static void
test_note_splits_and_bounds(void **state)
{
	static struct udp u;

	(void)state;
	memset(&u, 0, sizeof u);
	assert_int_equal(udp_note(&u, 5), 0);
	assert_int_equal(udp_note(&u, 0), 0);		/* empty is a datagram */
	assert_int_equal(udp_note(&u, UDP_MAX_PAYLOAD * 2 + 1), 0);
	assert_int_equal(u.n, 5);
	assert_int_equal(u.queued, 5 + UDP_MAX_PAYLOAD * 2 + 1);
	assert_int_equal(udp_first(&u, u.queued), 5);
	udp_sent(&u);
	assert_int_equal(udp_first(&u, u.queued), 0);
	udp_sent(&u);
	assert_int_equal(udp_first(&u, u.queued), UDP_MAX_PAYLOAD);
	udp_sent(&u);
	assert_int_equal(udp_first(&u, u.queued), UDP_MAX_PAYLOAD);
	udp_sent(&u);
	assert_int_equal(udp_first(&u, u.queued), 1);
	udp_sent(&u);
	assert_int_equal(u.n, 0);
	assert_int_equal(u.queued, 0);
	udp_sent(&u);				/* none: nothing happens */
	assert_int_equal(u.n, 0);

	while (u.n < UDP_MAX_QUEUED - 1)
		assert_int_equal(udp_note(&u, 1), 0);
	assert_false(udp_room(&u, UDP_MAX_PAYLOAD + 1));
	assert_int_equal(udp_note(&u, UDP_MAX_PAYLOAD + 1), -1);
	assert_int_equal(u.n, UDP_MAX_QUEUED - 1);	/* nothing noted */
	assert_true(udp_room(&u, 7));
	assert_int_equal(udp_note(&u, 7), 0);
	assert_int_equal(udp_note(&u, 1), -1);
	/* the ring wraps */
	udp_sent(&u);
	assert_int_equal(udp_note(&u, 9), 0);
	while (u.n > 1) {
		assert_int_equal(udp_first(&u, u.queued), u.n == 2 ? 7 : 1);
		udp_sent(&u);
	}
	assert_int_equal(udp_first(&u, u.queued), 9);
}

/* Bytes taken back from the queue's end (a cancelled /send) take their
 * datagrams with them: the newest shrink or go. */
static void
test_first_forgets_dropped_tail(void **state)
{
	static struct udp u;

	(void)state;
	memset(&u, 0, sizeof u);
	assert_int_equal(udp_note(&u, 4), 0);
	assert_int_equal(udp_note(&u, 6), 0);
	assert_int_equal(udp_note(&u, 3), 0);
	assert_int_equal(udp_first(&u, 8), 4);	/* 5 dropped: 3 and 2 of 6 */
	assert_int_equal(u.n, 2);
	assert_int_equal(u.queued, 8);
	udp_sent(&u);
	assert_int_equal(udp_first(&u, 4), 4);
	assert_int_equal(udp_first(&u, 0), 0);
	assert_int_equal(u.n, 0);
}

/* A new sender is said once; the same one again is not. */
static void
test_from(void **state)
{
	static struct udp u;
	struct sockaddr_in a = { .sin_family = AF_INET }, b;

	(void)state;
	memset(&u, 0, sizeof u);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(5000);
	b = a;
	b.sin_port = htons(5001);
	assert_true(udp_from(&u, (struct sockaddr *)&a, sizeof a));
	assert_string_equal(u.from, "127.0.0.1:5000");
	assert_false(udp_from(&u, (struct sockaddr *)&a, sizeof a));
	assert_true(udp_from(&u, (struct sockaddr *)&b, sizeof b));
	assert_string_equal(u.from, "127.0.0.1:5001");
	assert_int_equal(u.senders, 2);
}

/* Each queued chunk leaves as one datagram; each read takes one, an
 * empty one included (0, not an end). */
static void
test_send_and_recv_datagrams(void **state)
{
	static struct udp u;
	static char fill[UDP_RECV_MAX];
	struct buf in, out;
	char tmp[64];
	const char *p;
	size_t len;
	int sv[2];

	(void)state;
	memset(&u, 0, sizeof u);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv),
	    0);
	assert_int_equal(buf_init(&in, UDP_RECV_MAX * 2), 0);
	assert_int_equal(buf_init(&out, 64), 0);
	buf_append(&out, "one\n", 4);
	assert_int_equal(udp_note(&u, 4), 0);
	buf_append(&out, "two", 3);
	assert_int_equal(udp_note(&u, 3), 0);
	assert_int_equal(udp_send(&u, &out, sv[0]), 7);
	assert_int_equal(u.dgrams_out, 2);
	assert_int_equal(buf_used(&out), 0);
	assert_int_equal(recv(sv[1], tmp, sizeof tmp, 0), 4);
	assert_int_equal(recv(sv[1], tmp, sizeof tmp, 0), 3);
	assert_memory_equal(tmp, "two", 3);

	assert_int_equal(send(sv[1], "ab", 2, 0), 2);
	assert_int_equal(send(sv[1], "", 0, 0), 0);
	assert_int_equal(send(sv[1], "c", 1, 0), 1);
	assert_int_equal(udp_recv(&u, &in, sv[0]), 2);
	assert_int_equal(udp_recv(&u, &in, sv[0]), 0);
	assert_int_equal(udp_recv(&u, &in, sv[0]), 1);
	assert_int_equal(udp_recv(&u, &in, sv[0]), BUF_AGAIN);
	assert_int_equal(u.dgrams_in, 3);
	assert_int_equal(u.empty, 1);
	p = buf_peek(&in, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "abc", 3);
	/* no room for a whole datagram: not read (it would be cut) */
	buf_append(&in, fill, UDP_RECV_MAX + 1 - 3);
	assert_int_equal(send(sv[1], "d", 1, 0), 1);
	assert_int_equal(udp_recv(&u, &in, sv[0]), BUF_AGAIN);
	buf_clear(&in);
	assert_int_equal(udp_recv(&u, &in, sv[0]), 1);
	buf_free(&in);
	buf_free(&out);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note_splits_and_bounds),
		cmocka_unit_test(test_first_forgets_dropped_tail),
		cmocka_unit_test(test_from),
		cmocka_unit_test(test_send_and_recv_datagrams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
