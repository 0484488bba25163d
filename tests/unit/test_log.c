/* Unit tests for log.c, the -x writer: a regular file gets every block
 * exactly as hexfmt makes it, however large; a FIFO nobody reads costs
 * bytes counted in a '!' line, never a blocked call. */
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

#include "hexfmt.h"
#include "log.h"

/* The whole file; *len its size. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *p;
	int fd;

	assert_true((fd = open(path, O_RDONLY)) != -1);
	assert_int_equal(fstat(fd, &st), 0);
	assert_non_null(p = malloc((size_t)st.st_size + 1));
	assert_int_equal(read(fd, p, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return p;
}

/* At s: the header of a block of n bytes going dir (any time) and its
 * lines at offset, exactly.  Returns the length they take. */
static size_t
expect_block(const char *s, size_t left, char dir, uint64_t offset,
    const char *bytes, size_t n)
{
	char head[HEXFMT_HEADER_MAX], *lines;
	unsigned h, m, sec, ms;
	size_t hl, ll;

	assert_int_equal(sscanf(s + 2, "%2u:%2u:%2u.%3u", &h, &m, &sec, &ms), 4);
	hl = hexfmt_header(head, dir, ((h * 60 + m) * 60 + sec) * 1000 + ms, n);
	assert_true(left >= hl);
	assert_memory_equal(s, head, hl);
	assert_non_null(lines = malloc(hexfmt_block_size(n) + 1));
	ll = hexfmt_block(lines, offset, bytes, n);
	assert_true(left >= hl + ll);
	assert_memory_equal(s + hl, lines, ll);
	free(lines);
	return hl + ll;
}

/* Blocks small and larger than the buffer, both ways, to a new regular
 * file (mode 0600) and then appended to it: all there, in order. */
static void
test_log_regular_file(void **state)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 4 * 1024 * 1024 + 5,
	    1000, 3 * LOG_BUFSZ / 2, 33 };
	char dir[] = "/tmp/tcptalk-log.XXXXXX", path[64], err[256];
	char *data, *text;
	uint64_t off[2] = { 0, 0 };
	size_t i, at, len, max = 0, nsizes = sizeof sizes / sizeof sizes[0];
	struct log l;
	struct stat st;

	(void)state;
	for (i = 0; i < nsizes; i++)
		max = sizes[i] > max ? sizes[i] : max;
	assert_non_null(data = malloc(max));
	for (i = 0; i < max; i++)
		data[i] = (char)(i * 7 + i / 251);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.hex", dir);
	for (i = 0; i < nsizes; i++) {
		if (i == 0 || i == nsizes / 2)	/* new, then appended */
			assert_int_equal(log_open(&l, path, err, sizeof err), 0);
		log_hex_cb(&l, i % 2 ? '>' : '<', off[i % 2], data, sizes[i]);
		off[i % 2] += sizes[i];
		if (i == nsizes / 2 - 1 || i == nsizes - 1)
			assert_int_equal(log_close(&l, path, err, sizeof err), 0);
	}
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = slurp(path, &len);
	off[0] = off[1] = 0;
	for (at = 0, i = 0; i < nsizes; i++) {
		at += expect_block(text + at, len - at, i % 2 ? '>' : '<',
		    off[i % 2], data, sizes[i]);
		off[i % 2] += sizes[i];
	}
	assert_int_equal(at, len);
	free(text);
	free(data);
	unlink(path);
	rmdir(dir);
}

/* Bytes in the hex lines of text[0..len) (each line of n bytes at an
 * offset below 4 GiB is 63 + n long), and the counts in '!' lines. */
static void
count_fifo_text(const char *text, size_t len, uint64_t *shown,
    uint64_t *noted, size_t *notes)
{
	const char *p = text, *nl;
	unsigned long long n;
	size_t l;

	*shown = *noted = 0;
	*notes = 0;
	for (; p < text + len; p = nl + 1) {
		assert_non_null(nl = memchr(p, '\n', (size_t)(text + len - p)));
		l = (size_t)(nl - p) + 1;
		if (*p == '!') {
			assert_int_equal(sscanf(p, "! %*u:%*u:%*u.%*u %llu bytes",
			    &n), 1);
			assert_non_null(strstr(p, "bytes not recorded: the file did "
			    "not keep up\n"));
			*noted += n;
			(*notes)++;
		} else if (*p != '<' && *p != '>') {
			assert_true(l > 63 && l <= 63 + 16);
			*shown += l - 63;
		}
	}
}

/* All the FIFO holds now, appended to text[*len..cap). */
static void
read_fifo(int rd, char *text, size_t *len, size_t cap)
{
	ssize_t got;

	while (*len < cap && (got = read(rd, text + *len, cap - *len)) > 0)
		*len += (size_t)got;
	assert_true(*len < cap);
}

/* A FIFO nobody reads: the tap returns at once, what did not fit is left
 * out, said in a '!' line once there is room and at close, and the bytes
 * shown and those said lost add up. */
static void
test_log_fifo_not_read(void **state)
{
	char dir[] = "/tmp/tcptalk-log.XXXXXX", path[64], err[256], want[160];
	char *data, *text;
	size_t n = 8 * 1024 * 1024, len = 0, cap = 64 * 1024 * 1024, notes, i;
	uint64_t shown, noted, total;
	struct log l;
	int rd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* nobody reads it yet: refused at once, said so */
	assert_int_equal(log_open(&l, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "cannot write the hex dump to '%s': it is a "
	    "FIFO with no reader (start the reader first)", path);
	assert_string_equal(err, want);
	assert_true((rd = open(path, O_RDONLY | O_NONBLOCK)) != -1);
	assert_non_null(data = malloc(n));
	memset(data, 'A', n);
	assert_non_null(text = malloc(cap));
	assert_int_equal(log_open(&l, path, err, sizeof err), 0);
	/* 8 MiB make 40 MiB of text, far more than the FIFO and the buffer
	 * hold: a write that waited would hang here */
	log_hex_cb(&l, '<', 0, data, n);
	total = n;
	/* then the reader takes what there is now and then: the backlog
	 * goes, the '!' line comes, and every later block fits */
	for (i = 0; i < 100; i++) {
		read_fifo(rd, text, &len, cap);
		log_hex_cb(&l, '>', i * 16, data, 16);
		total += 16;
	}
	read_fifo(rd, text, &len, cap);
	assert_int_equal(log_close(&l, path, err, sizeof err), -1);
	read_fifo(rd, text, &len, cap);
	count_fifo_text(text, len, &shown, &noted, &notes);
	assert_int_equal(notes, 1);
	assert_true(noted > 0 && noted < n);
	assert_int_equal(shown + noted, total);
	snprintf(want, sizeof want, "the hex dump to '%s' lacks %llu bytes: it "
	    "did not keep up", path, (unsigned long long)noted);
	assert_string_equal(err, want);
	free(text);
	free(data);
	close(rd);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_regular_file),
		cmocka_unit_test(test_log_fifo_not_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
