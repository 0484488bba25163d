/* Unit tests for log.c's --trace lines in the -x file: a file that does
 * not keep up (a FIFO nobody reads) loses whole lines, counted and said in
 * a '!' line once there is room (one line and more each in a sentence of
 * its own) and at close, as the hex dump's bytes are. */
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

#include "log.h"

#define LT_CAP	(8 * 1024 * 1024)

struct lt {
	char	 dir[32], path[64];
	int	 rd;
	char	*text;
	size_t	 len;
	struct log l;
};

/* A FIFO with a reader that reads nothing yet, and the log on it. */
static void
lt_open(struct lt *t)
{
	char err[256];

	snprintf(t->dir, sizeof t->dir, "/tmp/tcptalk-lt.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/fifo", t->dir);
	assert_int_equal(mkfifo(t->path, 0600), 0);
	assert_true((t->rd = open(t->path, O_RDONLY | O_NONBLOCK)) != -1);
	assert_non_null(t->text = malloc(LT_CAP));
	t->len = 0;
	t->text[0] = '\0';
	assert_int_equal(log_open(&t->l, t->path, err, sizeof err), 0);
}

/* All the FIFO holds now, appended to text. */
static void
lt_read(struct lt *t)
{
	ssize_t got;

	while (t->len < LT_CAP - 1 &&
	    (got = read(t->rd, t->text + t->len, LT_CAP - 1 - t->len)) > 0)
		t->len += (size_t)got;
	t->text[t->len] = '\0';
}

static void
lt_close(struct lt *t, const char *want_err)
{
	char err[256] = "", want[256];

	assert_int_equal(log_close(&t->l, t->path, err, sizeof err), -1);
	lt_read(t);
	snprintf(want, sizeof want, want_err, t->path);
	assert_string_equal(err, want);
	free(t->text);
	close(t->rd);
	unlink(t->path);
	rmdir(t->dir);
}

/* Trace lines until the file has no room and n of them were left out. */
static void
lt_fill(struct lt *t, uint64_t n)
{
	long i;

	for (i = 0; i < 1000000 && t->l.lines_dropped < n; i++)
		log_trace(&t->l, "0.000 ms > [ACK] seq=1 ack=1 win=512 len=0");
	assert_int_equal(t->l.lines_dropped, n);
}

/* Read as the writer drains a piece at a time (each log_trace writes what
 * the FIFO takes) until "trace after" came through. */
static void
lt_after(struct lt *t)
{
	int i;

	for (i = 0; i < 400 && strstr(t->text, " trace after\n") == NULL; i++) {
		lt_read(t);
		log_trace(&t->l, "after");
		lt_read(t);
	}
	assert_non_null(strstr(t->text, " trace after\n"));
}

static void
test_logtrace_one_lost(void **state)
{
	struct lt t;

	(void)state;
	lt_open(&t);
	lt_fill(&t, 1);
	lt_after(&t);			/* room again */
	assert_non_null(strstr(t.text, " 1 trace line not recorded: the file "
	    "did not keep up\n# "));
	assert_null(strstr(t.text, "bytes not recorded"));
	lt_close(&t, "the hex dump to '%s' lacks 1 trace line: it did not "
	    "keep up");
}

static void
test_logtrace_more_lost(void **state)
{
	struct lt t;

	(void)state;
	lt_open(&t);
	lt_fill(&t, 3);
	lt_after(&t);
	assert_non_null(strstr(t.text, " 3 trace lines not recorded: the file "
	    "did not keep up\n# "));
	lt_close(&t, "the hex dump to '%s' lacks 3 trace lines: it did not "
	    "keep up");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logtrace_one_lost),
		cmocka_unit_test(test_logtrace_more_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
