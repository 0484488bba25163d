/* readline driven without a terminal: keys in, lines and cursor out;
 * pastes against a full queue, the history file, line mode's prompt. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prompt.h"
#include "failalloc.h"

#define NLINES	64

static struct {
	char	lines[NLINES][64];
	size_t	lens[NLINES];
	int	nlines;
	int	eofs;
	int	keys[8];
	int	nkeys;
	int	budget;		/* lines taken before acting like a full send
				 * queue; -1: no limit */
	int	numbered;	/* "line N" lines taken, checked in order */
	int	notices;
	char	notice[128];	/* the last one */
} G;

static void
line_cb(void *arg, char *line)
{
	int n;

	(void)arg;
	if (line == NULL) {
		G.eofs++;
		return;
	}
	G.lens[G.nlines % NLINES] = strlen(line);
	snprintf(G.lines[G.nlines++ % NLINES], sizeof G.lines[0], "%s", line);
	if (G.budget == 0) {
		prompt_restore(line);
	} else {
		if (G.budget > 0)
			G.budget--;
		if (sscanf(line, "line %d", &n) == 1) {
			assert_int_equal(n, G.numbered);	/* once, in order */
			G.numbered++;
		}
	}
	free(line);
}

static void
key_cb(void *arg, enum prompt_key k)
{
	(void)arg;
	G.keys[G.nkeys++ % 8] = (int)k;
}

static void
notice_cb(void *arg, const char *msg)
{
	(void)arg;
	G.notices++;
	snprintf(G.notice, sizeof G.notice, "%s", msg);
}

static void
feed(const char *s)
{
	prompt_feed(s, strlen(s));
}

static void
expect_line(const char *want_line, size_t want_point)
{
	const char *prompt, *line;
	size_t len, point;

	prompt_state(&prompt, &line, &len, &point);
	assert_int_equal(len, strlen(want_line));
	assert_memory_equal(line, want_line, len);
	assert_int_equal(point, want_point);
}

static int
setup(void **state)
{
	struct prompt_hooks h = { line_cb, key_cb, NULL, notice_cb };

	(void)state;
	memset(&G, 0, sizeof G);
	G.budget = -1;
	return prompt_init(&h, "> ", NULL, false);
}

static int
teardown(void **state)
{
	(void)state;
	prompt_end();
	return 0;
}

static void
test_enter_and_editing(void **state)
{
	(void)state;
	feed("hello\r");
	assert_int_equal(G.nlines, 1);
	assert_string_equal(G.lines[0], "hello");
	expect_line("", 0);
	feed("abc\001X");			/* Ctrl-A, then insert */
	expect_line("Xabc", 1);
	feed("\005\033[D\033[D");		/* Ctrl-E, Left, Left */
	expect_line("Xabc", 2);
	feed("\033[3~");			/* Delete */
	expect_line("Xac", 2);
	feed("\033[1~");			/* Home */
	expect_line("Xac", 0);
	feed("\013");				/* Ctrl-K kills to the end */
	expect_line("", 0);
	feed("\031");				/* Ctrl-Y yanks it back */
	expect_line("Xac", 3);
	feed("\025");				/* Ctrl-U */
	expect_line("", 0);
	feed("\r");				/* an empty line is sent too */
	assert_int_equal(G.nlines, 2);
	assert_string_equal(G.lines[1], "");
	assert_true(prompt_take_dirty());
}

static void
test_utf8_and_paste(void **state)
{
	(void)state;
	feed("héllo 你好");
	expect_line("héllo 你好", strlen("héllo 你好"));
	feed("\033[D");			/* Left moves over a whole character */
	expect_line("héllo 你好", strlen("héllo 你"));
	feed("\r");
	/* a pasted block: one line per newline */
	feed("one\rtwo\rthree\r");
	assert_int_equal(G.nlines, 4);
	assert_string_equal(G.lines[0], "héllo 你好");
	assert_string_equal(G.lines[3], "three");
}

static void
test_history_and_search(void **state)
{
	(void)state;
	feed("first\rsecond 你好\rthird\r");
	feed("\033[A");			/* Up */
	expect_line("third", 5);
	feed("\033[A\033[A");
	expect_line("first", 5);
	feed("\033[B\033[B\033[B");	/* back down to the empty line */
	expect_line("", 0);
	feed("\022你");			/* Ctrl-R with a Chinese search string */
	{
		const char *prompt, *line;
		size_t len, point;

		prompt_state(&prompt, &line, &len, &point);
		assert_non_null(strstr(prompt, "reverse-i-search"));
		assert_memory_equal(line, "second 你好", len);
	}
	feed("\r");
	assert_string_equal(G.lines[G.nlines - 1], "second 你好");
}

static void
test_keys_and_eof(void **state)
{
	(void)state;
	feed("\033[5~\033[6~\033[1;2A\033[1;2B\033OQ\014");
	assert_int_equal(G.nkeys, 6);
	assert_int_equal(G.keys[0], PROMPT_KEY_PAGE_UP);
	assert_int_equal(G.keys[1], PROMPT_KEY_PAGE_DOWN);
	assert_int_equal(G.keys[2], PROMPT_KEY_LINE_UP);
	assert_int_equal(G.keys[3], PROMPT_KEY_LINE_DOWN);
	assert_int_equal(G.keys[4], PROMPT_KEY_VIEW);
	assert_int_equal(G.keys[5], PROMPT_KEY_REPAINT);
	feed("ab\001\033[4~");			/* End: cursor to the end + key */
	expect_line("ab", 2);
	assert_int_equal(G.keys[6], PROMPT_KEY_END);
	feed("\025\004");			/* Ctrl-D on an empty line */
	assert_int_equal(G.eofs, 1);
}

static void
test_refused_line_stays(void **state)
{
	(void)state;
	G.budget = 0;
	feed("keep me");
	feed("\r");				/* typed: Enter comes alone */
	assert_int_equal(G.nlines, 1);
	expect_line("keep me", 7);
}

/* A paste read in pieces, one ending right after the refused Enter: the
 * newline goes in when the next piece comes, so it is not glued to the
 * refused line; when nothing comes (an input method's text and Enter in
 * one read), the line stays as it was. */
static void
test_refused_at_end_of_read(void **state)
{
	(void)state;
	G.budget = 1;
	feed("one\rtwo\r");
	expect_line("two", 3);
	feed("three\rfour\r");			/* the paste goes on: text */
	expect_line("two\nthree\nfour\n", 15);
	assert_int_equal(G.nlines, 2);
	usleep(80 * 1000);		/* a later read is keys again */
	feed("five\r");			/* still full: "two" again */
	assert_int_equal(G.nlines, 3);
	assert_string_equal(G.lines[2], "two");
	expect_line("two\nthree\nfour\nfive", 19);
	usleep(80 * 1000);		/* nothing followed: a key is a key */
	feed("!");
	expect_line("two\nthree\nfour\nfive!", 20);
	feed("\010");			/* and Backspace takes it back */
	G.budget = -1;
	feed("\r");
	assert_int_equal(G.nlines, 7);
	assert_string_equal(G.lines[3], "two");		/* not "twothree" */
	assert_string_equal(G.lines[4], "three");
	assert_string_equal(G.lines[5], "four");
	assert_string_equal(G.lines[6], "five");
	expect_line("", 0);
}

/* ---- pastes and refusals ---- */

/* A paste whose second line is refused: the rest is kept, verbatim, as
 * text in the input; nothing of it is taken as Enter. */
static void
test_paste_refused_keeps_rest(void **state)
{
	(void)state;
	G.budget = 1;
	feed("one\rtwo\rthree\nfour");
	assert_int_equal(G.nlines, 2);
	assert_string_equal(G.lines[0], "one");
	assert_string_equal(G.lines[1], "two");
	expect_line("two\nthree\nfour", strlen("two\nthree\nfour"));
	/* the queue has room again: Enter sends the kept lines one by one */
	G.budget = -1;
	feed("\r");
	assert_int_equal(G.nlines, 5);
	assert_string_equal(G.lines[2], "two");
	assert_string_equal(G.lines[3], "three");
	assert_string_equal(G.lines[4], "four");
	expect_line("", 0);
}

/* Re-entering a kept block that is refused again keeps the unsent part. */
static void
test_multiline_refused_again(void **state)
{
	(void)state;
	G.budget = 0;
	feed("a\rb\rc\r");
	expect_line("a\nb\nc\n", 6);
	G.budget = 1;
	feed("\r");				/* a goes, b is refused */
	assert_int_equal(G.nlines, 3);
	assert_string_equal(G.lines[1], "a");
	assert_string_equal(G.lines[2], "b");
	expect_line("b\nc\n", 4);
	G.budget = -1;
	feed("x");				/* typed after the kept block */
	feed("\r");
	assert_int_equal(G.nlines, 6);
	assert_string_equal(G.lines[3], "b");
	assert_string_equal(G.lines[4], "c");
	assert_string_equal(G.lines[5], "x");
}

/* Empty lines inside a block are lines; the trailing newline is not one. */
static void
test_multiline_split(void **state)
{
	(void)state;
	G.budget = 0;
	feed("p\r\rq\r");
	expect_line("p\n\nq\n", 5);
	G.budget = -1;
	feed("\r");
	assert_int_equal(G.nlines, 4);
	assert_string_equal(G.lines[1], "p");
	assert_string_equal(G.lines[2], "");
	assert_string_equal(G.lines[3], "q");
	/* each line went to the history on its own */
	feed("\033[A");
	expect_line("q", 1);
	feed("\033[A");
	expect_line("p", 1);
}

/* 10,000 pasted lines in terminal-sized reads against a queue that keeps
 * filling up: every line is taken exactly once, in order. */
static void
test_big_paste_queue_full(void **state)
{
	char *buf = malloc(200000);
	size_t len = 0, off, n;
	int i, round = 0;
	const char *prompt, *line;
	size_t llen, point;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < 10000; i++)
		len += (size_t)sprintf(buf + len, "line %d\r", i);
	for (off = 0; off < len; off += n) {
		n = len - off < 4096 ? len - off : 4096;
		G.budget = (round++ % 3) * 40;	/* room for 0, 40 or 80 */
		prompt_feed(buf + off, n);
	}
	while (G.numbered < 10000) {		/* the peer reads: Enter again */
		G.budget = 500;
		feed("\r");
		prompt_state(&prompt, &line, &llen, &point);
		assert_true(G.numbered == 10000 || llen > 0);
	}
	expect_line("", 0);
	free(buf);
}

/* A 40 KB line pasted in 4 KB reads arrives whole. */
static void
test_long_line_paste(void **state)
{
	size_t len = 40 * 1024, off, n;
	char *buf = malloc(len + 1);

	(void)state;
	assert_non_null(buf);
	for (off = 0; off < len; off++)
		buf[off] = (char)('a' + off % 26);
	buf[len] = '\r';
	for (off = 0; off < len + 1; off += n) {
		n = len + 1 - off < 4096 ? len + 1 - off : 4096;
		prompt_feed(buf + off, n);
	}
	assert_int_equal(G.nlines, 1);
	assert_int_equal(G.lens[0], len);
	assert_memory_equal(G.lines[0], buf, sizeof G.lines[0] - 1);
	free(buf);
}

static void
test_ignorespace(void **state)
{
	(void)state;
	feed("kept\r secret\r\r/bogus\r");
	assert_int_equal(G.nlines, 4);
	assert_string_equal(G.lines[1], " secret");	/* still sent */
	feed("\033[A");
	expect_line("/bogus", 6);		/* unknown commands are kept */
	feed("\033[A");
	expect_line("kept", 4);			/* no " secret", no "" */
	feed("\033[A");
	expect_line("kept", 4);
}

/* ---- out of memory: text stays in the input, never silently lost ---- */

/* The copy of a line for the hook cannot be made: that line and the rest
 * of the paste stay in the input, nothing is sent, the user is told. */
static void
test_oom_line_copy(void **state)
{
	(void)state;
	failalloc(1, 1);
	feed("one\rtwo\rthree");
	assert_int_equal(failalloc_failed, 1);
	failalloc(0, 0);
	assert_int_equal(G.nlines, 0);
	assert_int_equal(G.notices, 1);
	assert_non_null(strstr(G.notice, "out of memory"));
	assert_non_null(strstr(G.notice, "stays in the input"));
	expect_line("one\ntwo\nthree", strlen("one\ntwo\nthree"));
	usleep(80 * 1000);		/* a later read is keys again */
	feed("\r");
	assert_int_equal(G.nlines, 3);
	assert_string_equal(G.lines[0], "one");
	assert_string_equal(G.lines[2], "three");
	expect_line("", 0);
}

/* The second line is refused and the copy the refusal keeps cannot be
 * made: still refused (nothing more is sent), the line kept from the
 * input's own text, the rest after it. */
static void
test_oom_refused_line(void **state)
{
	(void)state;
	G.budget = 1;
	failalloc(3, 1);	/* line "one", line "two", the refusal's copy */
	feed("one\rtwo\rthree\rfour");
	assert_int_equal(failalloc_failed, 1);
	failalloc(0, 0);
	assert_int_equal(G.nlines, 2);
	assert_string_equal(G.lines[1], "two");
	expect_line("two\nthree\nfour", strlen("two\nthree\nfour"));
	G.budget = -1;
	usleep(80 * 1000);
	feed("\r");
	assert_int_equal(G.nlines, 5);
	assert_string_equal(G.lines[2], "two");
	assert_string_equal(G.lines[3], "three");
	assert_string_equal(G.lines[4], "four");
	assert_int_equal(G.notices, 0);		/* nothing was lost */
}

/* Once a line is refused, taking the rest of the paste (this read and the
 * following pieces) allocates nothing of ours: with every allocation
 * failing, all of it is kept, in order. */
static void
test_oom_paste_after_refusal(void **state)
{
	char big[3000];

	(void)state;
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	G.budget = 0;
	failalloc(2, 1000);	/* the line's copy goes, nothing after */
	feed("a\rb\rc");
	feed("d\re");				/* the same paste, next read */
	feed(big);
	assert_true(failalloc_failed >= 1);
	failalloc(0, 0);
	assert_int_equal(G.nlines, 1);
	{
		const char *prompt, *line;
		size_t len, point;

		prompt_state(&prompt, &line, &len, &point);
		assert_int_equal(len, strlen("a\nb\ncd\ne") + sizeof big - 1);
		assert_memory_equal(line, "a\nb\ncd\ne", strlen("a\nb\ncd\ne"));
		assert_int_equal(line[len - 1], 'z');
	}
	G.budget = -1;
	usleep(80 * 1000);
	feed("\r");
	assert_int_equal(G.nlines, 5);
	assert_string_equal(G.lines[1], "a");
	assert_string_equal(G.lines[3], "cd");
	assert_int_equal(G.lens[4], 1 + sizeof big - 1);	/* "ezzz..." */
}

/* ---- history file ---- */

static char tmpdir[64];

static int
setup_dir(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tt_prompt.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return setup(state);
}

static int
teardown_dir(void **state)
{
	char cmd[128];

	teardown(state);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
restart(const char *history)
{
	struct prompt_hooks h = { line_cb, key_cb, NULL, notice_cb };

	prompt_end();
	assert_int_equal(prompt_init(&h, "> ", history, false), 0);
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

static int
count_entries(const char *dir)
{
	char cmd[128];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void
test_history_file_private_atomic(void **state)
{
	char dir[128], path[160], other[160];
	struct stat st, before;
	mode_t old = umask(0);

	(void)state;
	snprintf(dir, sizeof dir, "%s/state/tcptalk", tmpdir);
	snprintf(path, sizeof path, "%s/history", dir);
	restart(path);
	assert_null(prompt_history_warning());
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);	/* made private */
	feed("hello\r secret\r\r你好\r");
	prompt_end();
	assert_null(prompt_history_warning());
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_string_equal(slurp(path), "hello\n你好\n");
	assert_int_equal(count_entries(dir), 1);	/* no temp file left */

	/* loaded again, and replaced by a new file, not written in place:
	 * another name for the old file keeps the old text */
	snprintf(other, sizeof other, "%s/other", tmpdir);
	assert_int_equal(link(path, other), 0);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(stat(path, &before), 0);
	restart(path);
	feed("\033[A");
	expect_line("你好", strlen("你好"));
	feed("\025again\r");
	umask(0277);		/* 0600 whatever the umask */
	prompt_end();
	assert_string_equal(slurp(path), "hello\n你好\nagain\n");
	assert_string_equal(slurp(other), "hello\n你好\n");
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino != before.st_ino);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
	restart(NULL);
}

static void
test_history_symlink_not_followed(void **state)
{
	char target[128], path[128];
	struct stat st;
	const char *w;

	(void)state;
	snprintf(target, sizeof target, "%s/target", tmpdir);
	snprintf(path, sizeof path, "%s/history", tmpdir);
	fclose(fopen(target, "w"));
	assert_int_equal(symlink(target, path), 0);
	restart(path);
	w = prompt_history_warning();
	assert_non_null(w);
	assert_non_null(strstr(w, "symbolic link"));
	assert_non_null(strstr(w, path));
	feed("through the link?\r");
	prompt_end();
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));		/* still the link */
	assert_string_equal(slurp(target), "");		/* nothing written */
	assert_int_equal(count_entries(tmpdir), 2);
	w = prompt_history_warning();
	assert_non_null(w);
	assert_non_null(strstr(w, "symbolic link"));
	restart(NULL);
}

static void
test_history_directory_warns(void **state)
{
	char path[128];
	struct stat st;
	const char *w;

	(void)state;
	snprintf(path, sizeof path, "%s/history", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	restart(path);
	w = prompt_history_warning();
	assert_non_null(w);
	assert_non_null(strstr(w, "directory"));
	feed("line\r");
	prompt_end();
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(count_entries(tmpdir), 1);
	assert_int_equal(count_entries(path), 0);
	assert_non_null(prompt_history_warning());
	restart(NULL);
}

/* ---- line mode ---- */

static int saved_stdout = -1;
static char outfile[64];

/* readline draws on stdout in line mode: send it to a file. */
static int
setup_line(void **state)
{
	struct prompt_hooks h = { line_cb, key_cb, NULL, notice_cb };
	int fd;

	(void)state;
	memset(&G, 0, sizeof G);
	G.budget = -1;
	snprintf(outfile, sizeof outfile, "/tmp/tt_prompt_out.XXXXXX");
	fd = mkstemp(outfile);
	assert_true(fd >= 0);
	fflush(stdout);
	saved_stdout = dup(1);
	dup2(fd, 1);
	close(fd);
	return prompt_init(&h, "> ", NULL, true);
}

static int
teardown_line(void **state)
{
	(void)state;
	prompt_end();
	fflush(stdout);
	dup2(saved_stdout, 1);
	close(saved_stdout);
	unlink(outfile);
	return 0;
}

static void
test_line_mode_open_line(void **state)
{
	const char *prompt, *line;
	size_t len, point;

	(void)state;
	feed("alic");
	prompt_set_open_line("lo\001gin\002:\003 \033[31m");	/* \003: WIDTH_TAB */
	prompt_state(&prompt, &line, &len, &point);
	assert_string_equal(prompt, "< login: ^[[31m > ");
	assert_null(strchr(prompt, '\001'));
	expect_line("alic", 4);
	prompt_set_open_line(NULL);
	prompt_state(&prompt, &line, &len, &point);
	assert_string_equal(prompt, "> ");
	/* an endless open line: only its tail, marked */
	{
		char big[5000];

		memset(big, 'z', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		prompt_set_open_line(big);
		prompt_state(&prompt, &line, &len, &point);
		assert_true(strlen(prompt) < 300);
		assert_non_null(strstr(prompt, "\xe2\x80\xa6zzz"));
	}
	feed("e\r");
	assert_string_equal(G.lines[0], "alice");
}

static void
test_line_mode_print_above(void **state)
{
	(void)state;
	feed("abc\033[D");
	prompt_print_above("< hello");
	prompt_print_above("< two\n");
	expect_line("abc", 2);
	fflush(stdout);
	{
		char *out = slurp(outfile);

		assert_non_null(strstr(out, "< hello\n"));
		assert_non_null(strstr(out, "< two\n"));
		assert_null(strstr(out, "< two\n\n"));
	}
	feed("\r");
	assert_string_equal(G.lines[0], "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enter_and_editing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_and_paste, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_and_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_and_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_line_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_at_end_of_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paste_refused_keeps_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiline_refused_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiline_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_paste_queue_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line_paste, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignorespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom_line_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom_refused_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom_paste_after_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_file_private_atomic, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_history_symlink_not_followed, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_history_directory_warns, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_line_mode_open_line, setup_line, teardown_line),
		cmocka_unit_test_setup_teardown(test_line_mode_print_above, setup_line, teardown_line),
	};

	setenv("INPUTRC", "/dev/null", 1);
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	return cmocka_run_group_tests_name("prompt", tests, NULL, NULL);
}
