/* readline driven without a terminal: keys in, lines and cursor out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompt.h"

static struct {
	char	lines[8][64];
	int	nlines;
	int	eofs;
	int	keys[8];
	int	nkeys;
	bool	refuse;		/* act like a full send queue */
} G;

static void
line_cb(void *arg, char *line)
{
	(void)arg;
	if (line == NULL) {
		G.eofs++;
		return;
	}
	snprintf(G.lines[G.nlines++ % 8], sizeof G.lines[0], "%s", line);
	if (G.refuse)
		prompt_restore(line);
	free(line);
}

static void
key_cb(void *arg, enum prompt_key k)
{
	(void)arg;
	G.keys[G.nkeys++ % 8] = (int)k;
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
	struct prompt_hooks h = { line_cb, key_cb, NULL };

	(void)state;
	memset(&G, 0, sizeof G);
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
	G.refuse = true;
	feed("keep me\r");
	assert_int_equal(G.nlines, 1);
	expect_line("keep me", 7);
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
	};

	setenv("INPUTRC", "/dev/null", 1);
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	return cmocka_run_group_tests_name("prompt", tests, NULL, NULL);
}
