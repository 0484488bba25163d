/*
 * fuzz_escape.c - /raw's escape decoder.
 *
 * Properties: on any text the decoder either succeeds with at most as many
 * bytes out as in (the output buffer is exactly the input's size, so ASan
 * catches any overrun) or fails at an offset inside the text, on a
 * backslash, with a one-line message ending in '.'; and a random byte
 * string escaped in random ways (each byte literal where that is safe,
 * \xHH, a named escape, a valid UTF-8 character as \uXXXX or \u{...})
 * decodes back to itself.
 */
#include <string.h>

#include "escape.h"
#include "fuzz.h"

static void
check_any(const char *in, size_t n)
{
	struct escape_error err;
	char *out = malloc(n ? n : 1);
	size_t len = (size_t)-1;

	CHECK(out != NULL, "malloc");
	memset(&err, 0, sizeof err);
	if (escape_decode(in, n, out, &len, &err) == 0) {
		CHECK(len <= n, "%zu bytes out of %zu", len, n);
	} else {
		CHECK(err.offset < n, "offset %zu of %zu", err.offset, n);
		CHECK(in[err.offset] == '\\', "offset %zu is no backslash",
		    err.offset);
		CHECK(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL,
		    "message '%s'", err.msg);
		CHECK(err.msg[strlen(err.msg) - 1] == '.', "not a sentence: '%s'",
		    err.msg);
	}
	free(out);
}

/* Escape b[0..n) into out (room for 10 per byte), choosing forms from f. */
static size_t
escape_random(struct fz *f, const unsigned char *b, size_t n, char *out)
{
	static const char named[] = "\r\n\t\0\033\\";
	static const char letter[] = "rnt0e\\";
	const char *nm;
	size_t i = 0, o = 0, l;
	uint32_t cp;
	uint8_t how;

	while (i < n) {
		how = fz_byte(f) % 4;
		l = fz_utf8(b + i, n - i, &cp);
		if (how == 3 && l > 0) {
			if (cp <= 0xffff && (fz_byte(f) & 1))
				o += (size_t)sprintf(out + o, "\\u%04X", (unsigned)cp);
			else
				o += (size_t)sprintf(out + o, "\\u{%x}", (unsigned)cp);
			i += l;
			continue;
		}
		nm = memchr(named, b[i], sizeof named - 1);
		if (how == 2 && nm != NULL) {
			out[o++] = '\\';
			out[o++] = letter[nm - named];
		} else if (b[i] == '\\' || how == 1) {
			o += (size_t)sprintf(out + o, "\\x%02x", b[i]);
		} else {
			out[o++] = (char)b[i];
		}
		i++;
	}
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct escape_error err;
	const unsigned char *b;
	size_t n, e, len = 0;
	char *esc, *back;

	check_any((const char *)data, size);
	/* the first half is the bytes, the rest picks the forms */
	n = size / 2;
	b = data;
	f.p += n;
	f.n -= n;
	esc = malloc(10 * n + 1);
	CHECK(esc != NULL, "malloc");
	e = escape_random(&f, b, n, esc);
	back = malloc(e ? e : 1);
	CHECK(back != NULL, "malloc");
	CHECK(escape_decode(esc, e, back, &len, &err) == 0,
	    "escaped text refused at %zu: %s", err.offset, err.msg);
	CHECK(len == n && memcmp(back, b, n) == 0, "round trip: %zu bytes "
	    "back of %zu", len, n);
	free(esc);
	free(back);
	return 0;
}
