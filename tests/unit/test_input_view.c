/* Unit tests for input_view: which part of the input line is on screen. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_view.h"

#define CJK	"\xe4\xbd\xa0"	/* 你, 2 columns */

static char *
repeat(const char *unit, size_t times, size_t *len)
{
	size_t u = strlen(unit), i;
	char *s = malloc(u * times + 1);

	assert_non_null(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	s[u * times] = '\0';
	*len = u * times;
	return s;
}

/* Columns of s[from, to) as the input line shows them. */
static int
cols_of(const char *s, size_t from, size_t to)
{
	size_t clen;
	int w = 0;

	while (from < to) {
		w += input_view_char(s + from, to - from, &clen);
		from += clen;
	}
	return w;
}

static void
test_short_ascii(void **state)
{
	struct input_view v = { 0 };

	(void)state;
	input_view_fit(&v, 2, "hello", 5, 5, 20);
	assert_int_equal(v.prompt_cols, 2);
	assert_int_equal(v.start, 0);
	assert_int_equal(v.end, 5);
	assert_int_equal(v.text_col, 2);
	assert_int_equal(v.cursor, 7);
	assert_false(v.left);
	assert_false(v.right);
	input_view_fit(&v, 2, "hello", 5, 0, 20);
	assert_int_equal(v.cursor, 2);
	input_view_fit(&v, 2, "hello", 5, 3, 20);
	assert_int_equal(v.cursor, 5);
}

static void
test_long_ascii_markers(void **state)
{
	struct input_view v = { 0 };
	size_t len;
	char *s = repeat("a", 100, &len);

	(void)state;
	/* cursor at the end: '<', the tail, the cursor in the last column */
	input_view_fit(&v, 2, s, len, len, 20);
	assert_true(v.left);
	assert_false(v.right);
	assert_int_equal(v.text_col, 3);
	assert_int_equal(v.end, 100);
	assert_int_equal(v.start, 84);
	assert_int_equal(v.cursor, 19);
	/* ten deleted at the end: the view fills up again from the left */
	input_view_fit(&v, 2, s, 90, 90, 20);
	assert_int_equal(v.start, 74);
	assert_int_equal(v.cursor, 19);

	/* cursor at the start: no '<', '>' in the last column */
	memset(&v, 0, sizeof v);
	input_view_fit(&v, 2, s, len, 0, 20);
	assert_false(v.left);
	assert_true(v.right);
	assert_int_equal(v.start, 0);
	assert_int_equal(v.end, 17);
	assert_int_equal(v.cursor, 2);

	/* cursor in the middle, fresh view: cursor at the right, still left
	 * of the '>' column */
	memset(&v, 0, sizeof v);
	input_view_fit(&v, 2, s, len, 50, 20);
	assert_true(v.left);
	assert_true(v.right);
	assert_true(v.start <= 50 && v.end > 50);
	assert_int_equal(v.cursor, 3 + 50 - (int)v.start);
	assert_true(v.cursor <= 18);
	free(s);
}

/* Moving the cursor inside the view keeps the view still. */
static void
test_stable_scroll(void **state)
{
	struct input_view v = { 0 };
	size_t len, start, p;
	char *s = repeat("b", 200, &len);

	(void)state;
	input_view_fit(&v, 2, s, len, 120, 30);
	start = v.start;
	for (p = 119; p >= start; p--) {
		input_view_fit(&v, 2, s, len, p, 30);
		assert_int_equal(v.start, start);
		assert_int_equal(v.cursor, v.text_col + (int)(p - start));
	}
	/* one more step left scrolls, leaving context on the left */
	input_view_fit(&v, 2, s, len, start - 1, 30);
	assert_true(v.start < start - 1);
	assert_true(v.cursor > v.text_col);
	free(s);
}

static void
test_cjk_never_split(void **state)
{
	struct input_view v = { 0 };
	size_t len, p;
	int cols;
	char *s = repeat(CJK, 30, &len);

	(void)state;
	for (cols = 9; cols < 40; cols++) {
		for (p = 0; p <= len; p += 3) {
			input_view_fit(&v, 2, s, len, p, cols);
			assert_int_equal(v.start % 3, 0);
			assert_int_equal(v.end % 3, 0);
			assert_true(v.start <= p && p <= v.end);
			if (p < len)	/* the character under the cursor is whole */
				assert_true(p + 3 <= v.end);
			assert_int_equal(v.cursor,
			    v.text_col + cols_of(s, v.start, p));
			assert_true(v.cursor + (p < len ? 2 : 1) <=
			    cols - (v.right ? 1 : 0));
		}
	}
	/* odd room: a column stays empty rather than half a character */
	memset(&v, 0, sizeof v);
	input_view_fit(&v, 2, s, len, len, 21);
	assert_int_equal(v.start, len - 8 * 3);
	assert_int_equal(v.cursor, 19);
	free(s);
}

static void
test_controls_and_invalid(void **state)
{
	struct input_view v = { 0 };
	const char *s = "a\tb\xff\xe4\xbd" "c\001";
	size_t clen;

	(void)state;
	assert_int_equal(input_view_char("\t", 1, &clen), 2);
	assert_int_equal(input_view_char("\001", 1, &clen), 2);	/* not a dim marker */
	assert_int_equal(input_view_char("\xff", 1, &clen), 1);
	assert_int_equal(clen, 1);
	assert_int_equal(input_view_char("\xe4\xbd" "c", 3, &clen), 1);
	assert_int_equal(clen, 1);
	/* a ^I b ? ? ? c ^A = 1+2+1+1+1+1+1+2 */
	input_view_fit(&v, 2, s, strlen(s), strlen(s), 40);
	assert_int_equal(v.cursor, 2 + 10);
	/* stepping back over invalid bytes agrees with decoding forward */
	memset(&v, 0, sizeof v);
	input_view_fit(&v, 0, s, strlen(s), strlen(s), 10);
	assert_true(v.left);
	assert_int_equal(v.cursor, v.text_col + cols_of(s, v.start, strlen(s)));
	assert_true(v.cursor <= 9);
}

/* Is off where forward decoding from 0 puts a character? */
static int
boundary(const char *s, size_t len, size_t off)
{
	size_t i = 0, clen;

	while (i < off && i < len) {
		input_view_char(s + i, len - i, &clen);
		i += clen;
	}
	return i == off;
}

static size_t
bounds_before(const size_t *b, size_t nb, size_t off)
{
	size_t i;

	for (i = 1; i < nb; i++)
		if (b[i] == off)
			return b[i - 1];
	fail();
	return 0;
}

/* Random lines of ASCII, CJK, controls, invalid bytes and combining marks;
 * random cursor moves with the view kept: every invariant, every time. */
static void
test_random_invariants(void **state)
{
	static const char *units[] = { "a", "Z", CJK, "\t", "\001", "\xff",
	    "\xe4\xbd", "e\xcc\x81", "\xc3\xa9", "\x80" };
	char s[400];
	size_t len, p, clen, bounds[400], nb;
	unsigned seed = 12345;
	struct input_view v;
	int round, k, cols, lim;

	(void)state;
	for (round = 0; round < 300; round++) {
		len = 0;
		while (len < 300) {
			seed = seed * 1103515245 + 12345;
			const char *u = units[(seed >> 16) % 10];
			memcpy(s + len, u, strlen(u));
			len += strlen(u);
		}
		for (nb = 0, p = 0; p < len; p += clen) {
			bounds[nb++] = p;
			input_view_char(s + p, len - p, &clen);
		}
		bounds[nb++] = len;
		seed = seed * 1103515245 + 12345;
		cols = 6 + (int)((seed >> 16) % 60);
		memset(&v, 0, sizeof v);
		for (k = 0; k < 40; k++) {
			seed = seed * 1103515245 + 12345;
			p = bounds[(seed >> 16) % nb];
			input_view_fit(&v, 3, s, len, p, cols);
			lim = cols - 1 - (int)v.prompt_cols - (v.left ? 1 : 0);
			assert_true(boundary(s, len, v.start));
			assert_true(boundary(s, len, v.end));
			assert_true(v.start <= p && p <= v.end);
			assert_int_equal(v.left, v.start > 0);
			assert_int_equal(v.right, v.end < len);
			if (p < len)
				assert_true(p < v.end);
			assert_true(cols_of(s, v.start, v.end) <= lim);
			assert_int_equal(v.cursor,
			    v.text_col + cols_of(s, v.start, p));
			assert_true(v.cursor <= cols - 1 - (v.right ? 1 : 0));
			assert_true(v.steps < 6u * (unsigned)cols + 16);
			if (v.left && !v.right)	/* no columns wasted */
				assert_true(cols_of(s, bounds_before(bounds,
				    nb, v.start), v.start) >
				    lim - cols_of(s, v.start, v.end) +
				    (bounds_before(bounds, nb, v.start) == 0));
		}
	}
}

/* A megabyte line costs what a short one does. */
static void
test_megabyte_line_is_cheap(void **state)
{
	struct input_view v = { 0 };
	size_t len, points[3], i;
	char *s = repeat("x" CJK, 1 << 18, &len);	/* 1 MiB */

	(void)state;
	points[0] = len;
	points[1] = 0;
	points[2] = len / 2;	/* a multiple of 4: a boundary */
	for (i = 0; i < 3; i++) {
		input_view_fit(&v, 2, s, len, points[i], 80);
		assert_true(v.steps < 5 * 80);
		assert_true(v.start <= points[i] && points[i] <= v.end);
		assert_int_equal(v.cursor,
		    v.text_col + cols_of(s, v.start, points[i]));
	}
	assert_int_equal(v.start % 4, 0);
	free(s);

	/* a megabyte of combining marks: zero columns, still bounded */
	memset(&v, 0, sizeof v);
	s = repeat("\xcc\x81", 1 << 19, &len);
	input_view_fit(&v, 2, s, len, len, 80);
	assert_true(v.steps < 6 * 8 * 80);
	input_view_fit(&v, 2, s, len, 0, 80);
	assert_true(v.steps < 6 * 8 * 80);
	free(s);
}

static void
test_tiny_screens(void **state)
{
	struct input_view v = { 0 };
	int cols;

	(void)state;
	for (cols = 0; cols < 8; cols++) {
		memset(&v, 0, sizeof v);
		input_view_fit(&v, 10, CJK CJK "abc", 9, 3, cols);
		assert_true(v.cursor >= 0);
		assert_true(v.cursor <= (cols > 0 ? cols - 1 : 0));
		assert_true(v.start <= v.end || v.end == 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_ascii),
		cmocka_unit_test(test_long_ascii_markers),
		cmocka_unit_test(test_stable_scroll),
		cmocka_unit_test(test_cjk_never_split),
		cmocka_unit_test(test_controls_and_invalid),
		cmocka_unit_test(test_random_invariants),
		cmocka_unit_test(test_megabyte_line_is_cheap),
		cmocka_unit_test(test_tiny_screens),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_input_view: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests_name("input_view", tests, NULL, NULL);
}
