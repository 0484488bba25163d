/* Unit tests for invisible (/show's transform of display text), on what
 * sanitize makes of peer bytes, as the panes draw it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invisible.h"
#include "sanitize.h"
#include "width.h"

#define ON	"\001"
#define OFF	"\002"
#define D(m)	ON m OFF	/* one dim mark */

#define SHOW	INVISIBLE_SHOW

/* Dim markers alternate ON, OFF, none left open, and no C0 byte but them
 * (the tab marks are gone): what ui draws. */
static void
assert_drawable(const char *s, size_t n)
{
	bool dim = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == WIDTH_DIM_ON) {
			assert_false(dim);
			dim = true;
		} else if (s[i] == WIDTH_DIM_OFF) {
			assert_true(dim);
			dim = false;
		} else {
			assert_true((unsigned char)s[i] >= 0x20);
		}
	}
	assert_false(dim);
}

/* Peer bytes as /show (or not) draws them. */
static char *
shown(const char *in, size_t n, uint64_t dropped, unsigned how, size_t *len)
{
	size_t sl;
	char *s = sanitize_line(in, n, dropped, &sl), *out;

	assert_non_null(s);
	out = invisible_text(s, sl, how, len);
	assert_non_null(out);
	assert_int_equal(strlen(out), *len);
	assert_drawable(out, *len);
	free(s);
	return out;
}

static void
expect(const char *in, size_t n, unsigned how, const char *want)
{
	size_t len;
	char *got = shown(in, n, 0, how, &len);

	assert_string_equal(got, want);
	free(got);
}

static void
test_off_drops_tab_marks_only(void **state)
{
	(void)state;
	expect("a\tb  ", 5, 0, "a       b  ");
	expect("\x01 \xc2\xa0\xe2\x80\x8b", 7, 0, D("^A") " \xc2\xa0\xe2\x80\x8b");
	expect("", 0, 0, "");
	/* line ends are /show's alone */
	expect("x", 1, INVISIBLE_CRLF, "x");
}

static void
test_tab_first_column(void **state)
{
	(void)state;
	/* a at column 0: the tab takes columns 1..7, its first is the arrow */
	expect("a\tb", 3, SHOW, "a" D(INVISIBLE_TAB) "      b");
	/* at column 0 it takes 8; after a wide character 6 */
	expect("\tx", 2, SHOW, D(INVISIBLE_TAB) "       x");
	expect("你\tx", 5, SHOW, "你" D(INVISIBLE_TAB) "     x");
	/* two in a row; one after an escape (^A is 2 columns) */
	expect("\t\t|", 3, SHOW, D(INVISIBLE_TAB) "       " D(INVISIBLE_TAB)
	    "       |");
	expect("\x01\t|", 3, SHOW, D("^A") D(INVISIBLE_TAB) "     |");
	/* a zero-width character takes no column of the tab's */
	expect("\xe2\x80\x8b\t|", 5, SHOW, D("\\u200b") D(INVISIBLE_TAB)
	    "       |");
}

static void
test_trailing_spaces(void **state)
{
	(void)state;
	expect("a b  ", 5, SHOW, "a b" D(INVISIBLE_SPACE) D(INVISIBLE_SPACE));
	expect("   ", 3, SHOW, D(INVISIBLE_SPACE) D(INVISIBLE_SPACE)
	    D(INVISIBLE_SPACE));
	/* a tab's blank columns are the tab's, not trailing spaces */
	expect("a\t", 2, SHOW, "a" D(INVISIBLE_TAB) "      ");
	expect("a\t  ", 4, SHOW, "a" D(INVISIBLE_TAB) "      "
	    D(INVISIBLE_SPACE) D(INVISIBLE_SPACE));
	/* the peer's a\tb  \r\n, as the issue has it */
	expect("a\tb  ", 5, SHOW | INVISIBLE_CRLF, "a" D(INVISIBLE_TAB)
	    "      b" D(INVISIBLE_SPACE) D(INVISIBLE_SPACE) D(INVISIBLE_CR_LF));
}

static void
test_nbsp_and_zero_width(void **state)
{
	(void)state;
	expect("a\xc2\xa0" "b\xe2\x80\xaf" "c", 8, SHOW,
	    "a" D(INVISIBLE_NBSP) "b" D(INVISIBLE_NBSP) "c");
	expect("1\xe2\x80\x8b" "2\xe2\x80\x8c" "3\xe2\x80\x8d" "4\xe2\x81\xa0"
	    "5\xef\xbb\xbf" "6", 21, SHOW,
	    "1" D("\\u200b") "2" D("\\u200c") "3" D("\\u200d") "4" D("\\u2060")
	    "5" D("\\ufeff") "6");
	/* others stay as they are: U+2061, an ordinary space, é */
	expect("\xe2\x81\xa1 \xc3\xa9", 6, SHOW, "\xe2\x81\xa1 \xc3\xa9");
}

static void
test_line_ends(void **state)
{
	(void)state;
	expect("hi", 2, SHOW | INVISIBLE_CRLF, "hi" D(INVISIBLE_CR_LF));
	expect("hi", 2, SHOW | INVISIBLE_LF, "hi" D(INVISIBLE_LF_MARK));
	expect("hi", 2, SHOW, "hi");
	expect("", 0, SHOW | INVISIBLE_CRLF, D(INVISIBLE_CR_LF));
	/* a CR inside the line is sanitize's ^M, a NUL its ^@ */
	expect("a\rb\0", 4, SHOW, "a" D("^M") "b" D("^@"));
}

/* Marks never nest inside the dim runs sanitize made; a cut line's spaces
 * before its "[+N bytes]" are not its end. */
static void
test_dim_runs(void **state)
{
	size_t len;
	char *s;

	(void)state;
	s = shown("ab  ", 4, 3, SHOW | INVISIBLE_LF, &len);
	assert_string_equal(s, "ab  " D(" [+3 bytes]") D(INVISIBLE_LF_MARK));
	free(s);
	/* text from elsewhere with a mark inside a dim run: no nesting */
	s = invisible_text(ON "x\xc2\xa0 " OFF, 6, SHOW, &len);
	assert_non_null(s);
	assert_string_equal(s, ON "x" INVISIBLE_NBSP " " OFF);
	free(s);
	/* a lone tab mark (no spaces after it) is dropped */
	s = invisible_text("a\003b", 3, SHOW, &len);
	assert_non_null(s);
	assert_string_equal(s, "ab");
	free(s);
}

/* Every byte value and every pair of a few awkward ones: with /show the
 * width is what it was (but for the zero-width escapes), so rows wrap as
 * before; without it, the text is sanitize's minus the tab marks. */
static void
test_width_kept(void **state)
{
	static const char *const bits[] = { "\t", " ", "a", "\xc2\xa0",
	    "\xe2\x80\xaf", "你", "\x01", "\xff", "\t ", "  \t" };
	char in[16], *s, *off, *on;
	size_t i, j, sl, offl, onl;

	(void)state;
	for (i = 0; i < sizeof bits / sizeof bits[0]; i++) {
		for (j = 0; j < sizeof bits / sizeof bits[0]; j++) {
			snprintf(in, sizeof in, "%s%s", bits[i], bits[j]);
			s = sanitize_line(in, strlen(in), 0, &sl);
			assert_non_null(s);
			off = invisible_text(s, sl, 0, &offl);
			on = invisible_text(s, sl, SHOW, &onl);
			assert_non_null(off);
			assert_non_null(on);
			assert_null(memchr(off, WIDTH_TAB, offl));
			assert_int_equal(width_str(on, onl), width_str(s, sl));
			assert_int_equal(width_str(off, offl), width_str(s, sl));
			assert_drawable(on, onl);
			free(s);
			free(off);
			free(on);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_drops_tab_marks_only),
		cmocka_unit_test(test_tab_first_column),
		cmocka_unit_test(test_trailing_spaces),
		cmocka_unit_test(test_nbsp_and_zero_width),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_dim_runs),
		cmocka_unit_test(test_width_kept),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_invisible: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests_name("invisible", tests, NULL, NULL);
}
