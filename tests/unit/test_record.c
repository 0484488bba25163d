/* Unit tests for record (-o, /save): one entry as a line of text, sanitized
 * as on screen, and the file: 0600, appended, a failed write said once, a
 * FIFO never waited for. */
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
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "record.h"
#include "transcript.h"
#include "width.h"

#define T0	1700000000123LL		/* 22:13:20.123 UTC */

static int
utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* An entry formatted into a string (static: one at a time). */
static const char *
fmt(int kind, int state, int64_t when, const char *text)
{
	static char out[512];
	struct sb_line l = { 1, when, kind, state, 0, (char *)text,
	    strlen(text) };
	size_t n = record_format(&l, out, sizeof out);

	assert_int_equal(n, strlen(out));
	return out;
}

static void
test_format_directions(void **state)
{
	(void)state;
	assert_string_equal(fmt(TR_RECV, TR_DONE, T0, "+PONG"),
	    "22:13:20.123 < +PONG\n");
	assert_string_equal(fmt(TR_SENT, TR_DONE, T0 + 5, "PING"),
	    "22:13:20.128 > PING\n");
	assert_string_equal(fmt(TR_NOTICE, TR_DONE, T0 + 877,
	    "127.0.0.1:4000 connected"),
	    "22:13:21.000 - 127.0.0.1:4000 connected\n");
	/* milliseconds keep their zeros; an empty line has no trailing space */
	assert_string_equal(fmt(TR_RECV, TR_DONE, T0 - 123 + 7, ""),
	    "22:13:20.007 <\n");
	assert_string_equal(fmt(TR_SENT, TR_DONE, T0, "收到 ok"),
	    "22:13:20.123 > 收到 ok\n");
}

static void
test_format_marks(void **state)
{
	(void)state;
	assert_string_equal(fmt(TR_RECV, TR_NONL, T0, "login: "),
	    "22:13:20.123 < login:  " TR_MARK_NONL "\n");
	assert_string_equal(fmt(TR_SENT, TR_NONL, T0, "\\x16"),
	    "22:13:20.123 > \\x16 " TR_MARK_NONL "\n");
	/* /save: a line still arriving, as the screen shows it */
	assert_string_equal(fmt(TR_RECV, TR_OPEN, T0, "收"),
	    "22:13:20.123 < 收 " TR_MARK_OPEN "\n");
	assert_string_equal(fmt(TR_RECV, TR_NONL, T0, ""),
	    "22:13:20.123 < " TR_MARK_NONL "\n");
}

/* The dim markers go; a control byte that got past the sanitizer would be
 * '?', never itself. */
static void
test_format_no_control_bytes(void **state)
{
	const char dim[] = { 'a', WIDTH_DIM_ON, '^', '[', WIDTH_DIM_OFF, 'b',
	    WIDTH_TAB, ' ', 'c', '\0' };
	const char *s;
	size_t i;

	(void)state;
	assert_string_equal(fmt(TR_RECV, TR_DONE, T0, dim),
	    "22:13:20.123 < a^[b c\n");
	s = fmt(TR_RECV, TR_DONE, T0, "x\033]0;y\a\r\n\177z");
	assert_string_equal(s, "22:13:20.123 < x?]0;y????z\n");
	for (i = 0; s[i + 1] != '\0'; i++)
		assert_true((unsigned char)s[i] >= 0x20);
}

/* Like snprintf: the whole length, what fits, always a NUL. */
static void
test_format_truncates(void **state)
{
	struct sb_line l = { 1, T0, TR_RECV, TR_NONL, 0, "hello", 5 };
	char out[16];

	(void)state;
	memset(out, 'X', sizeof out);
	assert_int_equal(record_format(&l, out, sizeof out),
	    strlen("22:13:20.123 < hello " TR_MARK_NONL "\n"));
	assert_string_equal(out, "22:13:20.123 < ");
	assert_int_equal(record_format(&l, NULL, 0), 27);
}

/* Real peer bytes through the transcript, as -o sees them. */
static char got[1024];
static size_t gotlen;

static void
final_cb(void *arg, const struct sb_line *l)
{
	(void)arg;
	gotlen += record_format(l, got + gotlen, sizeof got - gotlen);
}

static void
test_format_from_transcript(void **state)
{
	const char inj[] = "hi \033]0;pwned\a\033[2J\xe6\x94\xb6\xe5\x88\xb0\r\n"
	    "a\tb\n\x9b\xff tail";
	struct transcript t;

	(void)state;
	gotlen = 0;
	assert_int_equal(transcript_init(&t, 16, final_cb, NULL), 0);
	assert_int_equal(transcript_recv(&t, inj, sizeof inj - 1, T0), 0);
	assert_int_equal(transcript_sent(&t, "ok", 2, T0 + 1000, false), 0);
	assert_int_equal(transcript_notice(&t, "10.0.0.1:5 closed", T0 + 2000), 0);
	transcript_free(&t);
	assert_string_equal(got,
	    "22:13:20.123 < hi ^[]0;pwned^G^[[2J收到\n"
	    "22:13:20.123 < a       b\n"
	    "22:13:20.123 < \\x9b\\xff tail " TR_MARK_NONL "\n"
	    "22:13:21.123 > ok\n"
	    "22:13:22.123 - 10.0.0.1:5 closed\n");
	assert_null(memchr(got, '\033', gotlen));
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_file_created_and_appended(void **state)
{
	char dir[] = "/tmp/test_record.XXXXXX", path[64], err[256], want[256];
	struct sb_line l = { 1, T0, TR_SENT, TR_DONE, 0, "one", 3 };
	struct record r;
	struct stat st;
	const char *s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.log", dir);
	assert_int_equal(record_open(&r, path, err, sizeof err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(record_write(&r, &l), 0);
	/* written at once, not at close */
	assert_string_equal(slurp(path), "22:13:20.123 > one\n");
	assert_int_equal(record_close(&r), 0);
	l.text = "two";
	l.kind = TR_RECV;
	assert_int_equal(record_open(&r, path, err, sizeof err), 0);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(record_close(&r), 0);
	assert_string_equal(slurp(path),
	    "22:13:20.123 > one\n22:13:20.123 < two\n");
	/* a line longer than record_write's own buffer */
	l.len = 3000;
	assert_non_null(l.text = malloc(l.len));
	memset(l.text, 'y', l.len);
	assert_int_equal(record_open(&r, path, err, sizeof err), 0);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(record_close(&r), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 2 * 19 + 16 + 3000);
	s = slurp(path) + 2 * 19;
	assert_memory_equal(s, "22:13:20.123 < ", 15);
	assert_memory_equal(s + 15, l.text, l.len);
	assert_string_equal(s + 15 + l.len, "\n");
	free(l.text);
	unlink(path);
	/* a directory cannot be written */
	assert_int_equal(record_open(&r, dir, err, sizeof err), -1);
	assert_int_equal(r.out.fd, -1);
	snprintf(want, sizeof want, "cannot write the transcript to '%s': Is a "
	    "directory", dir);
	assert_string_equal(err, want);
	rmdir(dir);
}

/* Held: nothing reaches the file before record_flush, then all in order;
 * a full buffer and an entry bigger than it go out first; close flushes. */
static void
test_held_until_flush(void **state)
{
	char path[] = "/tmp/test_record.XXXXXX", err[256];
	struct sb_line l = { 1, T0, TR_SENT, TR_DONE, 0, "one", 3 };
	struct record r;
	struct stat st;
	size_t i, n;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_int_equal(record_open(&r, path, err, sizeof err), 0);
	assert_int_equal(record_hold(&r), 0);
	assert_int_equal(record_write(&r, &l), 0);
	l.text = "two";
	assert_int_equal(record_write(&r, &l), 0);
	assert_string_equal(slurp(path), "");
	assert_int_equal(record_flush(&r), 0);
	assert_string_equal(slurp(path),
	    "22:13:20.123 > one\n22:13:20.123 > two\n");
	/* more than the buffer holds: the first ones are written meanwhile */
	n = RECORD_HOLD / 19 + 10;
	for (i = 0; i < n; i++)
		assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 2 * 19 && (size_t)st.st_size < (n + 2) * 19);
	/* one bigger than the buffer: what is held goes first */
	l.len = RECORD_HOLD + 10;
	assert_non_null(l.text = malloc(l.len));
	memset(l.text, 'z', l.len);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, (n + 2) * 19 + 16 + l.len);
	l.len = 3;
	memcpy(l.text, "end", 3);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(record_close(&r), 0);
	free(l.text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, (n + 3) * 19 + 16 + RECORD_HOLD + 10);
	unlink(path);
}

static void
test_failed_write_said_once(void **state)
{
	struct sb_line l = { 1, T0, TR_SENT, TR_DONE, 0, "one", 3 };
	struct record r;
	char err[256];

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(record_open(&r, "/dev/full", err, sizeof err), 0);
	assert_int_equal(record_write(&r, &l), -1);
	assert_int_equal(r.out.fd, -1);
	assert_string_equal(record_failure(&r, err, sizeof err),
	    "cannot write the transcript to '/dev/full' (No space left on "
	    "device): nothing more is recorded there");
	assert_int_equal(record_write(&r, &l), 0);	/* stopped: quiet */
	assert_int_equal(record_close(&r), 0);
	/* held: the flush that fails says it, once */
	assert_int_equal(record_open(&r, "/dev/full", err, sizeof err), 0);
	assert_int_equal(record_hold(&r), 0);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(record_flush(&r), -1);
	assert_int_equal(r.error, ENOSPC);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(record_flush(&r), 0);
	assert_int_equal(record_close(&r), 0);
	/* or the close that writes what is held */
	assert_int_equal(record_open(&r, "/dev/full", err, sizeof err), 0);
	assert_int_equal(record_hold(&r), 0);
	assert_int_equal(record_write(&r, &l), 0);
	assert_int_equal(record_close(&r), -1);
	assert_int_equal(r.error, ENOSPC);
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

/* Entries "n" (numbered) in text[0..len), each whole and in order, and
 * the counts of the '!' lines; a cut last line only if cut is not NULL
 * (the close left its end unwritten), and said there. */
static void
count_fifo_lines(const char *text, size_t len, uint64_t *shown,
    uint64_t *noted, size_t *notes, bool *cut)
{
	const char *p = text, *nl;
	unsigned long long n, next = 0;

	*shown = *noted = 0;
	*notes = 0;
	for (; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL &&
		    cut != NULL) {
			*cut = true;
			break;
		}
		assert_non_null(nl);
		if (sscanf(p, "%*2d:%*2d:%*2d.%*3d ! %llu lines not recorded: "
		    "the file did not keep up\n", &n) == 1) {
			*noted += n;
			(*notes)++;
			continue;
		}
		assert_int_equal(sscanf(p, "22:13:20.123 > %llu", &n), 1);
		assert_true(n >= next);		/* in order, some left out */
		next = n + 1;
		assert_int_equal(nl - p, 15 + 100);	/* whole */
		(*shown)++;
	}
}

/*
 * -o to a FIFO whose reader does not read: every write returns at once,
 * held or not; whole lines are left out, said in a '!' line once the
 * reader makes room, and at close; what is shown and said lost adds up.
 */
static void
test_fifo_not_read(void **state)
{
	char dir[] = "/tmp/test_record.XXXXXX", path[64], err[256], want[256];
	char text[101], *got;
	struct sb_line l = { 1, T0, TR_SENT, TR_DONE, 0, text, 100 };
	size_t len, cap = 64 * 1024 * 1024, notes;
	uint64_t shown, noted, total = 0;
	struct record r;
	int held, rd, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* nobody reads: refused at once, said so */
	assert_int_equal(record_open(&r, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "cannot write the transcript to '%s': it is "
	    "a FIFO with no reader (start the reader first)", path);
	assert_string_equal(err, want);
	assert_non_null(got = malloc(cap));
	for (held = 0; held < 2; held++) {
		total = 0;
		len = 0;
		assert_true((rd = open(path, O_RDONLY | O_NONBLOCK)) != -1);
		assert_int_equal(record_open(&r, path, err, sizeof err), 0);
		if (held)
			assert_int_equal(record_hold(&r), 0);
		/* 20000 lines of 117 bytes: far more than the FIFO and the
		 * buffer take; a write that waited would hang here */
		for (i = 0; i < 20000; i++, total++) {
			snprintf(text, sizeof text, "%-100d", i);
			assert_int_equal(record_write(&r, &l), 0);
			assert_int_equal(record_flush(&r), 0);
		}
		assert_true(r.dropped > 0);
		/* the reader takes what there is now and then: the backlog
		 * goes, the '!' line comes, and every later line fits */
		for (i = 0; i < 200; i++, total++) {
			read_fifo(rd, got, &len, cap);
			snprintf(text, sizeof text, "%-100d", 20000 + i);
			assert_int_equal(record_write(&r, &l), 0);
			assert_int_equal(record_flush(&r), 0);
		}
		assert_int_equal(r.dropped, 0);
		read_fifo(rd, got, &len, cap);
		count_fifo_lines(got, len, &shown, &noted, &notes, NULL);
		assert_int_equal(notes, 1);
		assert_int_equal(shown + noted, total);
		assert_true(shown >= 200);
		/* the close says it too */
		assert_int_equal(record_close(&r), -1);
		assert_int_equal(r.error, 0);
		snprintf(want, sizeof want, "the transcript to '%s' lacks %llu "
		    "lines: it did not keep up", path, (unsigned long long)noted);
		assert_string_equal(record_failure(&r, err, sizeof err), want);
		close(rd);
	}
	free(got);
	unlink(path);
	rmdir(dir);
}

/* Lines left out and never noted in the file (the reader never reads
 * again): the close counts them with those it could not write (the last
 * one written may be cut short then). */
static void
test_fifo_never_read(void **state)
{
	char dir[] = "/tmp/test_record.XXXXXX", path[64], err[256], text[101];
	struct sb_line l = { 1, T0, TR_SENT, TR_DONE, 0, text, 100 };
	size_t len = 0, cap = 4 * 1024 * 1024, notes;
	uint64_t shown, noted;
	struct record r;
	bool cut = false;
	int64_t t0;
	char *got;
	int rd, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true((rd = open(path, O_RDONLY | O_NONBLOCK)) != -1);
	assert_int_equal(record_open(&r, path, err, sizeof err), 0);
	for (i = 0; i < 5000; i++) {
		snprintf(text, sizeof text, "%-100d", i);
		assert_int_equal(record_write(&r, &l), 0);
	}
	t0 = clock_now_ms();
	assert_int_equal(record_close(&r), -1);
	/* it gave up soon: nobody took anything */
	assert_true(clock_now_ms() - t0 < RECORD_CLOSE_WAIT / 2);
	assert_non_null(got = malloc(cap));
	read_fifo(rd, got, &len, cap);
	count_fifo_lines(got, len, &shown, &noted, &notes, &cut);
	assert_int_equal(notes, 0);
	assert_true(shown > 0);
	assert_int_equal(r.dropped_total + shown, 5000);
	free(got);
	close(rd);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_directions),
		cmocka_unit_test(test_format_marks),
		cmocka_unit_test(test_format_no_control_bytes),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_format_from_transcript),
		cmocka_unit_test(test_file_created_and_appended),
		cmocka_unit_test(test_held_until_flush),
		cmocka_unit_test(test_failed_write_said_once),
		cmocka_unit_test(test_fifo_not_read),
		cmocka_unit_test(test_fifo_never_read),
	};

	return cmocka_run_group_tests(tests, utc, NULL);
}
