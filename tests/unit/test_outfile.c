/* Unit tests for outfile, the writer under -o and -x: a regular file is
 * written blocking and whole; a FIFO is never waited for, neither at open
 * (no reader: ENXIO) nor when full (bytes wait in the bounded buffer, and
 * what has no room is refused whole). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "outfile.h"

/* A regular file: blocking again after the open, 0600, appended; bytes
 * buffered in order, and more than the buffer holds written at once
 * after what is buffered. */
static void
test_outfile_regular(void **state)
{
	char path[] = "/tmp/test_outfile.XXXXXX", big[100], back[200];
	struct outfile o;
	struct stat st;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	unlink(path);
	assert_int_equal(outfile_open(&o, path), 0);
	assert_true(o.regular);
	assert_int_equal(fcntl(o.fd, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(outfile_buffer(&o, 16), 0);
	assert_true(outfile_put(&o, "one\n", 4));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);	/* buffered */
	memset(big, 'b', sizeof big);
	assert_true(outfile_put(&o, big, sizeof big));	/* > cap */
	assert_true(outfile_put(&o, "two\n", 4));
	outfile_drain(&o);
	outfile_close(&o);
	assert_int_equal(o.fd, -1);
	assert_int_equal(outfile_open(&o, path), 0);	/* appended */
	assert_true(outfile_put(&o, "3\n", 2));	/* no buffer: at once */
	assert_true((fd = open(path, O_RDONLY)) != -1);
	assert_int_equal(read(fd, back, sizeof back), 4 + 100 + 4 + 2);
	close(fd);
	outfile_close(&o);
	assert_memory_equal(back, "one\n", 4);
	assert_memory_equal(back + 4, big, sizeof big);
	assert_memory_equal(back + 104, "two\n3\n", 6);
	unlink(path);
}

/* A FIFO: no reader is ENXIO at once, said as such; with a reader that
 * does not read, it stays non-blocking, the buffer fills and then refuses
 * whole pieces, a drain that waits gives up quickly; once read, all the
 * bytes taken come out in order. */
static void
test_outfile_fifo(void **state)
{
	char dir[] = "/tmp/test_outfile.XXXXXX", path[64], piece[1000];
	char *back;
	size_t taken = 0, got = 0, cap = 4 * 1024 * 1024, i;
	struct outfile o;
	int64_t t0;
	ssize_t n;
	int rd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(outfile_open(&o, path), -1);
	assert_int_equal(errno, ENXIO);
	assert_true(outfile_no_reader(path, errno));
	assert_false(outfile_no_reader(dir, ENXIO));	/* not a FIFO */
	assert_false(outfile_no_reader(path, ENOENT));

	assert_true((rd = open(path, O_RDONLY | O_NONBLOCK)) != -1);
	assert_int_equal(outfile_open(&o, path), 0);
	assert_false(o.regular);
	assert_int_equal(fcntl(o.fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	assert_int_equal(outfile_buffer(&o, 64 * 1024), 0);
	/* far more than the FIFO and the buffer hold: a write that waited
	 * would hang here */
	for (i = 0; i < 1000; i++) {
		memset(piece, 'a' + (int)(i % 26), sizeof piece);
		if (outfile_put(&o, piece, sizeof piece))
			taken++;
		else
			break;
		outfile_drain(&o);
	}
	assert_true(i < 1000);
	assert_int_equal(o.error, 0);
	assert_true(o.len > 64 * 1024 - sizeof piece);
	assert_false(outfile_put(&o, piece, sizeof piece));
	t0 = clock_now_ms();
	outfile_drain_wait(&o, 500);
	assert_true(clock_now_ms() - t0 < 400);	/* a tenth with no taker */
	/* read: everything taken comes out, whole and in order */
	assert_non_null(back = malloc(cap));
	for (i = 0; i < 1000 && o.len > o.off; i++) {
		while ((n = read(rd, back + got, cap - got)) > 0)
			got += (size_t)n;
		outfile_drain(&o);
	}
	while ((n = read(rd, back + got, cap - got)) > 0)
		got += (size_t)n;
	assert_int_equal(got, taken * sizeof piece);
	for (i = 0; i < taken; i++) {
		memset(piece, 'a' + (int)(i % 26), sizeof piece);
		assert_memory_equal(back + i * sizeof piece, piece, sizeof piece);
	}
	free(back);
	outfile_close(&o);
	close(rd);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outfile_regular),
		cmocka_unit_test(test_outfile_fifo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
