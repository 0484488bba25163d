/*
 * fuzz_input_view.c - the visible part of the input line, over a series of
 * cursor moves and terminal widths with the view kept between calls (its
 * start is a hint), on any bytes.
 *
 * Properties: the visible text and its '<' and '>' fit the row, leaving the
 * last column (text_col + width <= cols - 1); start and end are character
 * boundaries with 0 <= start <= end <= len, left and right say whether text
 * is cut; the cursor column is inside the row and, when the cursor is in
 * the view, is exactly where its character is drawn (cols >= 3: one or two
 * columns have no room for '<', text and cursor; ui.c needs 20); when the row has room
 * for any one character (cols >= 8) the cursor is in the view and the
 * character under it is whole; the work is O(cols) (steps), however long
 * the line.
 */
#include <string.h>

#include "fuzz.h"
#include "input_view.h"

FUZZ_UTF8_LOCALE

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct input_view v;
	size_t pw = fz_byte(&f) % 48, len, want = fz_u16(&f), i, clen, point;
	const char *line = fz_bytes(&f, want, &len);
	bool *bound;
	int cols, calls = 0, w;

	CHECK((bound = calloc(len + 1, sizeof *bound)) != NULL, "calloc");
	for (i = 0; i < len; i += clen) {
		bound[i] = true;
		input_view_char(line + i, len - i, &clen);
	}
	bound[len] = true;
	memset(&v, 0, sizeof v);
	while (f.n > 0 || calls == 0) {
		point = calls == 0 && f.n == 0 ? len : fz_u16(&f) % (len + 1);
		cols = (int8_t)fz_byte(&f);
		if (calls++ == 0 && f.n == 0)
			cols = 20;
		while (!bound[point])
			point--;
		input_view_fit(&v, pw, line, len, point, cols);
		if (cols < 1)
			cols = 1;

		CHECK(v.start <= v.end && v.end <= len, "view %zu..%zu of %zu",
		    v.start, v.end, len);
		CHECK(bound[v.start] && bound[v.end], "view %zu..%zu cuts a "
		    "character", v.start, v.end);
		CHECK(v.left == (v.start > 0) && v.right == (v.end < len),
		    "left/right markers wrong");
		CHECK(v.prompt_cols <= pw && v.prompt_cols <= (size_t)cols / 2,
		    "prompt %zu columns of %d", v.prompt_cols, cols);
		CHECK(v.text_col == (int)v.prompt_cols + (v.left ? 1 : 0),
		    "text_col %d", v.text_col);
		w = cols_of(line, v.start, v.end);
		CHECK(v.text_col + w <= cols - 1 || (w == 0 && v.text_col <= cols),
		    "text to column %d of %d", v.text_col + w, cols);
		CHECK(v.cursor >= 0 && v.cursor <= cols - 1, "cursor at %d of %d",
		    v.cursor, cols);
		if (cols >= 3 && v.start <= point && point <= v.end)
			CHECK(v.cursor == v.text_col + cols_of(line, v.start, point),
			    "cursor at %d, its character at %d", v.cursor,
			    v.text_col + cols_of(line, v.start, point));
		if (cols >= 8) {
			CHECK(v.start <= point && point <= v.end,
			    "cursor %zu outside the view %zu..%zu (cols %d)",
			    point, v.start, v.end, cols);
			if (point < len) {
				input_view_char(line + point, len - point, &clen);
				CHECK(point + clen <= v.end, "the character under "
				    "the cursor is cut (cols %d)", cols);
			}
		}
		CHECK(v.steps <= 64u * (unsigned)cols + 16, "%zu steps for %d "
		    "columns", v.steps, cols);
	}
	free(bound);
	return 0;
}
