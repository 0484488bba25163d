/*
 * fuzz_width.c - UTF-8 decoding, widths and wrapping, on raw bytes and on
 * the same bytes after sanitize (which is what the panes wrap).
 *
 * Properties: width_utf8 agrees with an independent strict decoder;
 * width_str is the sum of the widths of the characters; width_wrap gives at
 * least one row, rows start at 0 and rise, each start on a character
 * boundary, no row empty, and no row wider than the width asked for (widths
 * below 2 count as 2, width.h); asking with room for fewer starts gives the
 * same count and the same first starts.  width_hang: the same of its rows,
 * the first within cols, the others within cols less the indent it says it
 * used (the one asked, or 0 when fewer than WIDTH_HANG_MIN would be left),
 * none of those starting with a space.  width_whole: n, or less by the
 * start of one character cut short.
 */
#include <string.h>
#include <wchar.h>

#include "fuzz.h"
#include "sanitize.h"

FUZZ_UTF8_LOCALE

/* Width of the character at s the way width.h documents it. */
static size_t
char_cols(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t cp;
	int w;

	if (WIDTH_IS_MARKER(s[0])) {
		*len = 1;
		return 0;
	}
	if ((*len = fz_utf8(s, n, &cp)) == 0) {
		*len = 1;
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f)
		return 2;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

static void
check_wrap(const char *text, size_t n, int cols)
{
	const unsigned char *s = (const unsigned char *)text;
	int rows, again, r, eff = cols < 2 ? 2 : cols;
	size_t *starts, i, w, len, end;
	bool *bound;

	rows = width_wrap(text, n, cols, NULL, 0);
	CHECK(rows >= 1, "%d rows", rows);
	CHECK((size_t)rows <= n + 1, "%d rows for %zu bytes", rows, n);
	CHECK((starts = calloc((size_t)rows + 1, sizeof *starts)) != NULL &&
	    (bound = calloc(n + 1, sizeof *bound)) != NULL, "calloc");
	for (i = 0; i < n; i += len) {
		bound[i] = true;
		char_cols(s + i, n - i, &len);
	}
	bound[n] = true;
	again = width_wrap(text, n, cols, starts, rows);
	CHECK(again == rows, "%d rows, then %d", rows, again);
	CHECK(starts[0] == 0, "first row starts at %zu", starts[0]);
	for (r = 0; r < rows; r++) {
		end = r + 1 < rows ? starts[r + 1] : n;
		CHECK(bound[starts[r]], "row %d starts inside a character (%zu)",
		    r, starts[r]);
		CHECK(end > starts[r] || (n == 0 && rows == 1),
		    "row %d empty or backwards (%zu..%zu)", r, starts[r], end);
		for (i = starts[r], w = 0; i < end; i += len)
			w += char_cols(s + i, end - i, &len);
		CHECK(w <= (size_t)eff, "row %d is %zu columns wide, width %d "
		    "(asked %d)", r, w, eff, cols);
	}
	/* a short starts array: same count, same prefix */
	if (rows > 1) {
		size_t first[2] = { 99, 99 };

		again = width_wrap(text, n, cols, first, 2);
		CHECK(again == rows && first[0] == 0 && first[1] == starts[1],
		    "fewer starts changed the answer");
	}
	free(starts);
	free(bound);
}

static void
check_hang(const char *text, size_t n, int cols, size_t asked)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t *starts, indent = asked, i, w, len, end;
	int rows, r, eff;

	CHECK((starts = calloc(n + 2, sizeof *starts)) != NULL, "calloc");
	rows = width_hang(text, n, cols, &indent, starts, (int)n + 2);
	CHECK(rows >= 1 && (size_t)rows <= n + 1, "%d rows for %zu bytes",
	    rows, n);
	CHECK(indent == (cols - (int)asked < WIDTH_HANG_MIN ? 0 : asked),
	    "indent %zu used for %zu asked at %d columns", indent, asked, cols);
	CHECK(starts[0] == 0, "first row starts at %zu", starts[0]);
	for (r = 0; r < rows; r++) {
		end = r + 1 < rows ? starts[r + 1] : n;
		CHECK(end > starts[r] || (n == 0 && rows == 1),
		    "row %d empty or backwards (%zu..%zu)", r, starts[r], end);
		CHECK(r == 0 || s[starts[r]] != ' ', "row %d starts with a space",
		    r);
		/* the spaces skipped at a break end the row above: the caller
		 * drops them (chat_help_row) */
		while (end > starts[r] + 1 && s[end - 1] == ' ')
			end--;
		for (i = starts[r], w = 0; i < end; i += len)
			w += char_cols(s + i, end - i, &len);
		eff = r == 0 ? cols : cols - (int)indent;
		if (eff < WIDTH_MIN_COLS)
			eff = WIDTH_MIN_COLS;
		CHECK(w <= (size_t)eff, "hang row %d is %zu columns, width %d",
		    r, w, eff);
	}
	free(starts);
}

static void
check_whole(const char *text, size_t n)
{
	size_t k = width_whole(text, n);

	CHECK(k <= n && n - k <= 4, "width_whole %zu of %zu", k, n);
	CHECK(k == n || ((unsigned char)text[k] >= 0xc0 &&
	    fz_utf8((const unsigned char *)text + k, n - k, &(uint32_t){ 0 }) == 0),
	    "width_whole cut %zu of %zu, not a character cut short", k, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	int cols = (int8_t)fz_byte(&f);
	size_t indent = fz_byte(&f) % 64;
	const char *in = (const char *)f.p;
	size_t n = f.n, i, len, l2, sum = 0, outlen;
	uint32_t cp, cp2;
	int l;
	char *san;

	if (cols > 100)
		cols = 100 + (cols - 100) * 40;		/* a few very wide ones */
	for (i = 0; i < n; i++) {
		l = width_utf8(in + i, n - i, &cp);
		l2 = fz_utf8((const unsigned char *)in + i, n - i, &cp2);
		CHECK(l == (l2 == 0 ? -1 : (int)l2), "width_utf8 says %d, the "
		    "strict decoder %zu at %zu", l, l2, i);
		CHECK(l < 0 || cp == cp2, "code points differ at %zu", i);
	}
	for (i = 0; i < n; i += len)
		sum += char_cols((const unsigned char *)in + i, n - i, &len);
	CHECK(width_str(in, n) == sum, "width_str %zu, the sum %zu",
	    width_str(in, n), sum);
	check_wrap(in, n, cols);
	check_whole(in, n);
	san = sanitize_line(in, n, 0, &outlen);
	CHECK(san != NULL, "sanitize_line");
	check_wrap(san, outlen, cols);
	check_hang(san, outlen, cols, indent);
	free(san);
	return 0;
}
