/*
 * fuzz_hexfmt.c - the -x hex dump formatter.
 *
 * Properties, for any bytes at any offset: hexfmt_block writes no more than
 * hexfmt_block_size says; every line has the fixed layout (the offset in 8
 * hex digits, more only past 4 GiB, two spaces, 16 hex columns of "xx " with
 * an extra space after the 8th, blanks where no byte is, then |ASCII|), the
 * offsets run on by 16, the ASCII column holds only printable bytes (others
 * are '.') and agrees with the bytes; and the bytes read back from the hex
 * columns are the input.  The header is one line with the count.  And
 * the text is byte for byte what a plain printf reference makes, for the
 * whole block (hexfmt_block, SIMD where the CPU has it) and line by line
 * (hexfmt_line, plain C).
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "hexfmt.h"

static int
unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One line at s (up to its '\n'), expected at offset off; its bytes into
 * back.  Returns how many bytes the line held. */
static size_t
check_line(const char *s, size_t len, uint64_t off, unsigned char *back)
{
	size_t w = 8, i, k, h, a;
	uint64_t got = 0;
	int hi, lo;

	while (w < 16 && (off >> (4 * w)) != 0)
		w++;
	for (i = 0; i < w; i++) {
		CHECK(unhex(s[i]) >= 0, "offset digit '%c'", s[i]);
		got = got << 4 | (uint64_t)unhex(s[i]);
	}
	CHECK(got == off, "offset %llx, want %llx", (unsigned long long)got,
	    (unsigned long long)off);
	CHECK(len >= w + 2 + 49 + 1 + 2, "short line (%zu)", len);
	CHECK(s[w] == ' ' && s[w + 1] == ' ', "no two spaces after the offset");
	for (k = 0; k < 16; k++) {
		h = w + 2 + 3 * k + (k >= 8);
		if (s[h] == ' ')
			break;
		hi = unhex(s[h]);
		lo = unhex(s[h + 1]);
		CHECK(hi >= 0 && lo >= 0 && s[h + 2] == ' ', "column %zu", k);
		back[k] = (unsigned char)(hi << 4 | lo);
	}
	CHECK(k > 0, "a line without bytes");
	for (i = w + 2 + 3 * k + (k > 8); i < w + 2 + 50; i++)
		CHECK(s[i] == ' ', "not blank at %zu after %zu bytes", i, k);
	a = w + 2 + 50;
	CHECK(s[a] == '|' && s[a + 1 + k] == '|' && a + 2 + k == len,
	    "ASCII column frame (%zu bytes, line %zu)", k, len);
	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[a + 1 + i];

		CHECK(c >= 0x20 && c < 0x7f, "unprintable 0x%02x", c);
		CHECK(c == (back[i] >= 0x20 && back[i] < 0x7f ? back[i] : '.'),
		    "ASCII column says '%c' for 0x%02x", c, back[i]);
	}
	return k;
}

/* hexdump -C's line the obvious way. */
static size_t
ref_line(char *out, uint64_t off, const unsigned char *b, size_t n)
{
	size_t o, i;

	o = (size_t)sprintf(out, "%08llx  ", (unsigned long long)off);
	for (i = 0; i < 16; i++) {
		if (i < n)
			o += (size_t)sprintf(out + o, "%02x ", b[i]);
		else
			o += (size_t)sprintf(out + o, "   ");
		if (i == 7)
			out[o++] = ' ';
	}
	out[o++] = ' ';
	out[o++] = '|';
	for (i = 0; i < n; i++)
		out[o++] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
	out[o++] = '|';
	out[o++] = '\n';
	return o;
}

/* The block against the reference, and against hexfmt_line line by line. */
static void
check_reference(const char *got, size_t len, uint64_t off,
    const unsigned char *p, size_t n)
{
	char want[HEXFMT_LINE_MAX + 8], line[HEXFMT_LINE_MAX];
	size_t at = 0, i, k, w, l;

	for (i = 0; i < n; i += k) {
		k = n - i < 16 ? n - i : 16;
		w = ref_line(want, off + i, p + i, k);
		l = hexfmt_line(line, off + i, p + i, k);
		CHECK(at + w <= len && memcmp(got + at, want, w) == 0,
		    "block differs from the reference at line %zu", i / 16);
		CHECK(l == w && memcmp(line, want, w) == 0,
		    "hexfmt_line differs from the reference at line %zu", i / 16);
		at += w;
	}
	CHECK(at == len, "block of %zu bytes, reference %zu", len, at);
}

/* The header the obvious way. */
static void
check_header(char dir, uint32_t ms, uint64_t n)
{
	char got[HEXFMT_HEADER_MAX], want[128];
	size_t l;
	int w;

	l = hexfmt_header(got, dir, ms, n);
	ms %= 86400000u;
	w = snprintf(want, sizeof want, "%c %02u:%02u:%02u.%03u %s %llu %s\n",
	    dir == '<' ? '<' : '>', ms / 3600000, ms / 60000 % 60,
	    ms / 1000 % 60, ms % 1000, dir == '<' ? "received" : "sent",
	    (unsigned long long)n, n == 1 ? "byte" : "bytes");
	CHECK(l == (size_t)w && memcmp(got, want, l) == 0,
	    "header '%.*s', want '%s'", (int)l, got, want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint64_t off = 0, at;
	char head[HEXFMT_HEADER_MAX], *out, *nl;
	unsigned char *back;
	size_t i, n, len, room, got = 0, l, k;

	for (i = 0; i < 8; i++)
		off = off << 8 | fz_byte(&f);
	if (!(off & 1))
		off &= 0xffffffffu;	/* mostly below 4 GiB, as in practice */
	off &= 0x0fffffffffffffffULL;	/* leave room to run on */
	n = f.n;
	room = hexfmt_block_size(n);
	out = malloc(room ? room : 1);
	back = malloc(n + 16);
	CHECK(out != NULL && back != NULL, "malloc");
	len = hexfmt_block(out, off, f.p, n);
	CHECK(len <= room, "%zu bytes written, %zu promised", len, room);
	at = off;
	for (i = 0; i < len; i = l + 1) {
		nl = memchr(out + i, '\n', len - i);
		CHECK(nl != NULL, "last line without newline");
		l = (size_t)(nl - out);
		k = check_line(out + i, l - i, at, back + got);
		CHECK(k == 16 || l + 1 == len, "short line %zu not last", k);
		got += k;
		at += k;
	}
	CHECK(got == n && memcmp(back, f.p, n) == 0, "bytes back %zu of %zu",
	    got, n);
	check_reference(out, len, off, f.p, n);
	check_header(size > 0 && data[0] & 1 ? '<' : '>', (uint32_t)off, n);
	check_header(size > 0 && data[0] & 2 ? '<' : '>', (uint32_t)(off >> 3),
	    off >> 7);
	l = hexfmt_header(head, size > 0 && data[0] & 1 ? '<' : '>',
	    (uint32_t)off, n);
	CHECK(l > 0 && l < HEXFMT_HEADER_MAX && head[l - 1] == '\n' &&
	    memchr(head, '\n', l) == head + l - 1, "header of %zu bytes", l);
	free(out);
	free(back);
	return 0;
}
