/* Unit tests for buf.c (memory and splice backends) and crlf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "crlf.h"

static void
test_append_bounded(void **state)
{
	struct buf b;
	size_t len;
	const char *p;

	(void)state;
	assert_int_equal(buf_init(&b, 8), 0);
	assert_int_equal(buf_append(&b, "hello", 5), 5);
	assert_int_equal(buf_append(&b, "world", 5), 3);	/* only room for 3 */
	assert_int_equal(buf_used(&b), 8);
	assert_int_equal(buf_space(&b), 0);
	p = buf_peek(&b, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(p, "hellowor", 8);
	buf_consume(&b, 6);
	/* room at the front is reused: compaction keeps order */
	assert_int_equal(buf_append(&b, "123456", 6), 6);
	p = buf_peek(&b, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(p, "or123456", 8);
	buf_consume(&b, 100);	/* over-consume is clamped */
	assert_int_equal(buf_used(&b), 0);
	buf_clear(&b);
	buf_free(&b);
}

/* /cancel takes the newest bytes back; the oldest stay, in order. */
static void
test_drop_tail(void **state)
{
	struct buf b;
	const char *p;
	size_t n;

	(void)state;
	assert_int_equal(buf_init(&b, 16), 0);
	buf_append(&b, "line\nFILEDATA", 13);
	buf_consume(&b, 2);
	buf_drop_tail(&b, 8);
	p = buf_peek(&b, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "ne\n", 3);
	assert_int_equal(buf_space(&b), 13);
	buf_drop_tail(&b, 100);		/* more than held: empty */
	assert_int_equal(buf_used(&b), 0);
	buf_append(&b, "0123456789abcdef", 16);	/* all the room again */
	assert_int_equal(buf_used(&b), 16);
	buf_free(&b);
}

static void
test_read_write_fd(void **state)
{
	struct buf b;
	int sv[2];
	char out[16];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(buf_init(&b, 4), 0);
	assert_int_equal(buf_read(&b, sv[0]), BUF_AGAIN);	/* nothing yet */
	assert_int_equal(write(sv[1], "abcdef", 6), 6);
	assert_int_equal(buf_read(&b, sv[0]), 4);		/* bounded */
	assert_int_equal(buf_read(&b, sv[0]), BUF_AGAIN);	/* full */
	assert_int_equal(buf_write(&b, sv[0]), 4);
	assert_int_equal(buf_write(&b, sv[0]), 0);		/* empty */
	assert_int_equal(read(sv[1], out, sizeof out), 4);
	assert_memory_equal(out, "abcd", 4);
	assert_int_equal(buf_read(&b, sv[0]), 2);
	close(sv[1]);
	assert_int_equal(buf_read(&b, sv[0]), 0);		/* EOF */
	assert_int_equal(buf_write(&b, sv[0]), -1);		/* peer gone */
	assert_true(errno == EPIPE || errno == ECONNRESET);
	assert_int_equal(buf_read(&b, -1), -1);
	buf_free(&b);
	close(sv[0]);
}

static void
test_splice_backend(void **state)
{
	struct buf b;
	int in[2], sv[2];
	char out[64];

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(buf_init_splice(&b, 1 << 16), 0);
	assert_true(buf_spliced(&b));
	assert_true(b.cap >= 4096);
	assert_int_equal(write(in[1], "spliced bytes", 13), 13);
	assert_int_equal(buf_read(&b, in[0]), 13);
	assert_int_equal(buf_used(&b), 13);
	/* A unix socket may refuse splice (EINVAL): buf falls back to memory
	 * without losing the 13 bytes either way. */
	assert_int_equal(buf_write(&b, sv[0]), 13);
	assert_int_equal(read(sv[1], out, sizeof out), 13);
	assert_memory_equal(out, "spliced bytes", 13);
	close(in[1]);
	assert_int_equal(buf_read(&b, in[0]), 0);
	buf_clear(&b);
	buf_free(&b);
	close(in[0]);
	close(sv[0]);
	close(sv[1]);
}

static void
test_unsplice_keeps_bytes(void **state)
{
	struct buf b;
	int in[2], fd;
	char out[64];

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(buf_init_splice(&b, 1 << 16), 0);
	assert_int_equal(write(in[1], "kept", 4), 4);
	assert_int_equal(buf_read(&b, in[0]), 4);
	/* /dev/full: splice may be refused -> memory; either way write fails ENOSPC */
	fd = open("/dev/full", O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(buf_write(&b, fd), -1);
	close(fd);
	/* what was held is still there and in order */
	assert_int_equal(buf_used(&b), 4);
	assert_int_equal(buf_write(&b, in[1]), 4);
	assert_int_equal(read(in[0], out, sizeof out), 4);
	assert_memory_equal(out, "kept", 4);
	buf_free(&b);
	close(in[0]);
	close(in[1]);
}

/*
 * A kernel pipe's room is in page slots: small pieces spliced in one at a
 * time fill it long before cap bytes.  Once a splice is refused the space
 * is 0 (nobody should poll the source for more), until bytes leave.
 */
static void
test_splice_full_by_slots(void **state)
{
	struct buf b;
	int in[2], out[2], i;
	ssize_t n = 0;
	char tmp[4096];

	(void)state;
	assert_int_equal(pipe2(in, O_NONBLOCK), 0);
	assert_int_equal(pipe2(out, O_NONBLOCK), 0);
	assert_int_equal(buf_init_splice(&b, 4096), 0);
	assert_true(buf_spliced(&b));
	/* nothing to read is not "full" */
	assert_int_equal(buf_read(&b, in[0]), BUF_AGAIN);
	assert_int_equal(buf_space(&b), b.cap);
	for (i = 0; i < 1024; i++) {
		assert_int_equal(write(in[1], "x", 1), 1);
		if ((n = buf_read(&b, in[0])) == BUF_AGAIN)
			break;
		assert_int_equal(n, 1);
	}
	assert_int_equal(n, BUF_AGAIN);
	assert_true(buf_used(&b) < b.cap);	/* refused with bytes to spare */
	assert_int_equal(buf_space(&b), 0);
	assert_int_equal(buf_read(&b, in[0]), BUF_AGAIN);
	/* bytes leave: room again, and the waiting byte comes in */
	assert_int_equal(buf_write(&b, out[1]), (ssize_t)i);
	assert_int_equal(buf_space(&b), b.cap);
	assert_int_equal(buf_read(&b, in[0]), 1);
	assert_int_equal(read(out[0], tmp, sizeof tmp), i);
	buf_clear(&b);
	assert_int_equal(buf_used(&b), 0);
	assert_int_equal(buf_space(&b), b.cap);
	buf_free(&b);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

static void
test_crlf_across_chunks(void **state)
{
	struct crlf st = { false };
	char out[64];
	size_t n;

	(void)state;
	n = crlf_convert(&st, "a\nb\n", 4, out);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "a\r\nb\r\n", 6);
	/* an existing CRLF is not doubled */
	n = crlf_convert(&st, "c\r\n", 3, out);
	assert_memory_equal(out, "c\r\n", n);
	/* CR at the end of one chunk, LF at the start of the next */
	n = crlf_convert(&st, "d\r", 2, out);
	assert_int_equal(n, 2);
	n = crlf_convert(&st, "\ne", 2, out);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "\ne", 2);
	/* a line split mid-way still gets its CR */
	n = crlf_convert(&st, "hel", 3, out);
	n = crlf_convert(&st, "lo\n", 3, out);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "lo\r\n", 4);
	assert_int_equal(crlf_convert(&st, "", 0, out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_bounded),
		cmocka_unit_test(test_drop_tail),
		cmocka_unit_test(test_read_write_fd),
		cmocka_unit_test(test_splice_backend),
		cmocka_unit_test(test_unsplice_keeps_bytes),
		cmocka_unit_test(test_splice_full_by_slots),
		cmocka_unit_test(test_crlf_across_chunks),
	};

	signal(SIGPIPE, SIG_IGN);	/* as tcptalk does: EPIPE, not death */
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
