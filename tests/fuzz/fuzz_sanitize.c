/*
 * fuzz_sanitize.c - sanitize_line on any bytes.
 *
 * Properties: the result is display text (fuzz.h: valid UTF-8, no ESC, no C0
 * but the dim markers and tab marks, no DEL, no C1, no bidi control); its
 * length is what *outlen says; a "[+N bytes]" marker ends it exactly when
 * dropped > 0; and nothing is lost or invented: reading the escapes back
 * (^X, \xHH, \uHHHH, a tab mark and its spaces to the next multiple of 8
 * columns) gives the input again.
 *
 * And /show's transform of it (invisible.h): display text again, without
 * tab marks; without INVISIBLE_SHOW exactly the text minus its tab marks;
 * with it as wide as the text but for the zero-width escapes and the line
 * end mark.
 */
#include <inttypes.h>
#include <string.h>

#include "fuzz.h"
#include "invisible.h"
#include "sanitize.h"

FUZZ_UTF8_LOCALE

static size_t
put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* The columns /show adds: 6 per zero-width character (its \u200b escape). */
static size_t
zero_width_cols(const char *s, size_t n)
{
	size_t i, l, cols = 0;
	uint32_t cp;

	for (i = 0; i < n; i += l ? l : 1) {
		l = fz_utf8((const unsigned char *)s + i, n - i, &cp);
		if (l > 0 && (cp == 0x200b || cp == 0x200c || cp == 0x200d ||
		    cp == 0x2060 || cp == 0xfeff))
			cols += 6;
	}
	return cols;
}

static void
check_invisible(const char *s, size_t n, unsigned how)
{
	size_t len, i, j = 0, end = how & INVISIBLE_CRLF ? 2 :
	    how & INVISIBLE_LF ? 1 : 0;
	char *out = invisible_text(s, n, how, &len);

	CHECK(out != NULL, "invisible_text NULL for %zu bytes", n);
	CHECK(strlen(out) == len, "invisible outlen %zu, strlen %zu", len,
	    strlen(out));
	fz_check_display(out, len);
	CHECK(memchr(out, WIDTH_TAB, len) == NULL, "a tab mark is left");
	if (how & INVISIBLE_SHOW) {
		CHECK(width_str(out, len) == width_str(s, n) +
		    zero_width_cols(s, n) + end, "/show made %zu columns of %zu",
		    width_str(out, len), width_str(s, n));
	} else {
		for (i = 0; i < n; i++)
			if (s[i] != WIDTH_TAB)
				CHECK(j < len && out[j++] == s[i],
				    "without /show the text changed at %zu", i);
		CHECK(j == len, "without /show: %zu bytes more", len - j);
	}
	free(out);
}

/* One dim run's escape back to the bytes it stands for. */
static size_t
unescape(const char *e, size_t n, char *out)
{
	unsigned int v;
	char tmp[16];

	CHECK(n >= 2 && n < sizeof tmp, "odd escape of %zu bytes", n);
	memcpy(tmp, e, n);
	tmp[n] = '\0';
	if (tmp[0] == '^') {
		CHECK(n == 2 && (tmp[1] == '?' || (tmp[1] >= '@' && tmp[1] <= '_')),
		    "bad ^X escape '%s'", tmp + 1);
		out[0] = tmp[1] == '?' ? 0x7f : (char)(tmp[1] - '@');
		return 1;
	}
	if (tmp[0] == '\\' && tmp[1] == 'x') {
		CHECK(n == 4 && sscanf(tmp + 2, "%2x", &v) == 1, "bad \\x escape");
		CHECK(v >= 0x80, "\\x escape of ASCII 0x%02x", v);
		out[0] = (char)v;
		return 1;
	}
	CHECK(tmp[0] == '\\' && tmp[1] == 'u' && n == 6 &&
	    sscanf(tmp + 2, "%4x", &v) == 1, "unknown escape '%s'", tmp);
	CHECK((v >= 0x80 && v <= 0x9f) || fz_is_bidi(v), "\\u%04x escaped", v);
	return put_utf8(v, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t drops[] = { 0, 0, 0, 0, 1, 2, 999, UINT64_MAX };
	struct fz f = { data, size };
	uint64_t dropped = drops[fz_byte(&f) % 8];
	const char *in = (const char *)f.p;
	size_t n = f.n, outlen = (size_t)-1, i, j, k, back = 0, col = 0, pad;
	char *out, *dec, marker[48];
	uint32_t cp;

	out = sanitize_line(in, n, dropped, &outlen);
	CHECK(out != NULL, "NULL for %zu bytes", n);
	CHECK(strlen(out) == outlen, "outlen %zu, strlen %zu", outlen,
	    strlen(out));
	fz_check_display(out, outlen);

	check_invisible(out, outlen, 0);
	check_invisible(out, outlen, INVISIBLE_SHOW | (dropped & 1 ?
	    INVISIBLE_CRLF : dropped & 2 ? INVISIBLE_LF : 0));

	if (dropped > 0) {
		/* the English marker: the harness runs in the C locale */
		int m = snprintf(marker, sizeof marker, "%c [+%" PRIu64 " %s]%c",
		    WIDTH_DIM_ON, dropped, dropped == 1 ? "byte" : "bytes",
		    WIDTH_DIM_OFF);

		CHECK(outlen >= (size_t)m &&
		    memcmp(out + outlen - m, marker, (size_t)m) == 0,
		    "no [+%" PRIu64 " bytes] marker at the end", dropped);
		outlen -= (size_t)m;
	}
	/* every input byte comes back once, in order */
	CHECK((dec = malloc(outlen + 1)) != NULL, "malloc");
	for (i = 0; i < outlen; i = j) {
		if (out[i] == WIDTH_TAB) {
			/* its spaces reach the next multiple of 8 columns */
			pad = 8 - col % 8;
			for (k = 1; k <= pad; k++)
				CHECK(i + k < outlen && out[i + k] == ' ',
				    "tab mark at %zu with %zu of its %zu spaces", i,
				    k - 1, pad);
			dec[back++] = '\t';
			col += pad;
			j = i + 1 + pad;
			continue;
		}
		if (out[i] != WIDTH_DIM_ON) {
			/* a whole character: its columns once */
			k = fz_utf8((const unsigned char *)out + i, outlen - i, &cp);
			k = k > 0 ? k : 1;
			memcpy(dec + back, out + i, k);
			back += k;
			col += width_str(out + i, k);
			j = i + k;
			continue;
		}
		for (k = i + 1; k < outlen && out[k] != WIDTH_DIM_OFF; k++)
			;
		col += width_str(out + i + 1, k - i - 1);
		back += unescape(out + i + 1, k - i - 1, dec + back);
		j = k + 1;
	}
	CHECK(back == n && memcmp(dec, in, n) == 0,
	    "escapes do not read back to the input (%zu vs %zu bytes)",
	    back, n);
	free(dec);
	free(out);
	return 0;
}
