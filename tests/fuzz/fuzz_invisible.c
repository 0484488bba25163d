/*
 * fuzz_invisible.c - /show's transform of display text.
 *
 * Properties, for display text made by sanitize_line from fuzzed bytes and
 * any flags: invisible_text's output is display text again (fz_check_display:
 * valid UTF-8, no C0 but the dim markers, balanced) with no WIDTH_TAB left,
 * NUL-ended at *outlen; without INVISIBLE_SHOW it is the input less its tab
 * marks; with it, its width (width_str) is the input's plus what the added
 * marks take: each zero-width character's "\uXXXX" escape (6 columns, less
 * the character's own) and the line end's ␍␊ (2) or ␊ (1) - every other
 * mark takes the columns of what it marks.
 */
#include <string.h>

#include "fuzz.h"
#include "invisible.h"
#include "sanitize.h"

FUZZ_UTF8_LOCALE

static bool
zero_width(uint32_t cp)
{
	return cp == 0x200b || cp == 0x200c || cp == 0x200d || cp == 0x2060 ||
	    cp == 0xfeff;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	unsigned how = fz_byte(&f) & 7;
	size_t n, len = (size_t)-1, i, j, l, want;
	char *in, *out;
	uint32_t cp;

	in = sanitize_line((const char *)f.p, f.n, 0, &n);
	CHECK(in != NULL, "sanitize_line");
	out = invisible_text(in, n, how, &len);
	CHECK(out != NULL, "invisible_text of %zu bytes", n);
	CHECK(out[len] == '\0', "not NUL-ended at %zu", len);
	fz_check_display(out, len);
	CHECK(memchr(out, WIDTH_TAB, len) == NULL, "a tab mark left");

	if (!(how & INVISIBLE_SHOW)) {
		for (i = j = 0; i < n; i++)
			if (in[i] != WIDTH_TAB)
				CHECK(j < len && out[j++] == in[i], "byte %zu", i);
		CHECK(j == len, "%zu bytes out, want %zu", len, j);
	} else {
		want = width_str(in, n);
		for (i = 0; i < n; i += l) {
			l = fz_utf8((const unsigned char *)in + i, n - i, &cp);
			CHECK(l > 0, "sanitized text not UTF-8 at %zu", i);
			if (zero_width(cp))
				want += 6 - width_str(in + i, l);
		}
		if (how & INVISIBLE_CRLF)
			want += 2;
		else if (how & INVISIBLE_LF)
			want += 1;
		CHECK(width_str(out, len) == want, "width %zu, want %zu (input "
		    "%zu, how %u)", width_str(out, len), want, width_str(in, n),
		    how);
	}
	free(in);
	free(out);
	return 0;
}
