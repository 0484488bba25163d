/*
 * hexfmt.c - the hex dump lines of -x, in hexdump -C's layout.  Written
 * for speed (the pipe with -x formats every byte it moves, 4.9 bytes of
 * text each): a whole line is a few fixed-width stores from a constant
 * table, the ASCII column done eight bytes at a time, and hexfmt_block
 * does whole lines with SSSE3 where the CPU has it (4-5 times the speed).
 * No printf, no mutable state.
 */
#include <string.h>

#include "hexfmt.h"

/* -DHEXFMT_NO_SIMD builds (and tests) the plain C alone */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(HEXFMT_NO_SIMD)
#include <immintrin.h>
#define HEXFMT_SSSE3	1
#endif

/* "xx  " for every byte value: two digits and the blanks that follow them
 * (a 4-byte store per byte; the next byte's store overwrites the 4th). */
#define HEX_ROW(h) \
	#h "0  " #h "1  " #h "2  " #h "3  " #h "4  " #h "5  " #h "6  " #h "7  " \
	#h "8  " #h "9  " #h "a  " #h "b  " #h "c  " #h "d  " #h "e  " #h "f  "
static const char hex4[256 * 4 + 1] =
	HEX_ROW(0) HEX_ROW(1) HEX_ROW(2) HEX_ROW(3) HEX_ROW(4) HEX_ROW(5)
	HEX_ROW(6) HEX_ROW(7) HEX_ROW(8) HEX_ROW(9) HEX_ROW(a) HEX_ROW(b)
	HEX_ROW(c) HEX_ROW(d) HEX_ROW(e) HEX_ROW(f);

#define HEX2(p, byte)	memcpy((p), hex4 + 4 * (unsigned)(byte), 2)
#define HEX4(p, byte)	memcpy((p), hex4 + 4 * (unsigned)(byte), 4)

/* Where the pieces of a line go, counted from the end of the offset. */
#define COL(i)		(2 + 3 * (i) + ((i) >= 8))	/* byte i's hex */
#define BAR		(2 + 3 * HEXFMT_PER_LINE + 2)	/* '|' before ASCII */

static char
shown(unsigned char c)
{
	return c >= 0x20 && c < 0x7f ? (char)c : '.';
}

/* Eight bytes as the ASCII column shows them, each lane on its own (no
 * carry crosses a byte, so the byte order of the machine does not
 * matter): kept if 0x20 <= b < 0x7f, else '.'. */
static uint64_t
shown8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t y = x | high;		/* each lane 0x80..0xff: no borrows */
	uint64_t ok, mask;

	ok = (y - ones * 0x20) & ~(y - ones * 0x7f) & ~x & high;
	mask = (ok >> 7) * 0xff;
	return (x & mask) | (ones * '.' & ~mask);
}

size_t
hexfmt_header(char *out, char dir, uint32_t ms_of_day, uint64_t n)
{
	/* English in every language: the -x file's format (like nc -x),
	 * which /hex shows row for row */
	static const char recv[] = " received ", sent[] = " sent ";
	uint32_t ms = ms_of_day % 86400000u, f[4];
	uint64_t v = n;
	char digits[20];
	size_t o = 0, k, i;

	f[0] = ms / 3600000;
	f[1] = ms / 60000 % 60;
	f[2] = ms / 1000 % 60;
	f[3] = ms % 1000;
	out[o++] = dir == '<' ? '<' : '>';
	for (i = 0; i < 3; i++) {
		out[o++] = i == 0 ? ' ' : ':';
		out[o++] = (char)('0' + f[i] / 10);
		out[o++] = (char)('0' + f[i] % 10);
	}
	out[o++] = '.';
	out[o++] = (char)('0' + f[3] / 100);
	out[o++] = (char)('0' + f[3] / 10 % 10);
	out[o++] = (char)('0' + f[3] % 10);
	if (dir == '<') {
		memcpy(out + o, recv, sizeof recv - 1);
		o += sizeof recv - 1;
	} else {
		memcpy(out + o, sent, sizeof sent - 1);
		o += sizeof sent - 1;
	}
	k = sizeof digits;
	do
		digits[--k] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	memcpy(out + o, digits + k, sizeof digits - k);
	o += sizeof digits - k;
	memcpy(out + o, " bytes", n == 1 ? 5 : 6);	/* "1 byte" */
	o += n == 1 ? 5 : 6;
	out[o++] = '\n';
	return o;
}

/* An offset past 4 GiB: as many digits as it needs. */
static size_t
put_long_offset(char *out, uint64_t off)
{
	size_t digits = 8, i;

	while (digits < 16 && (off >> (4 * digits)) != 0)
		digits++;
	for (i = digits; i >= 2; i -= 2, off >>= 8)
		HEX2(out + i - 2, off & 0xff);
	if (i == 1)
		out[0] = hex4[4 * (off & 0xf) + 1];
	return digits;
}

/* The offset in 8 hex digits, or more past 4 GiB. */
static inline size_t
put_offset(char *out, uint64_t off)
{
	if (off >> 32 != 0)
		return put_long_offset(out, off);
	HEX2(out, off >> 24);
	HEX2(out + 2, off >> 16 & 0xff);
	HEX2(out + 4, off >> 8 & 0xff);
	HEX2(out + 6, off & 0xff);
	return 8;
}

/* A full line's hex and ASCII columns after the offset, at fixed places. */
static size_t
put_full(char *h, const unsigned char *b)
{
	uint64_t a0, a1;

	memcpy(h, "  ", 2);
	HEX4(h + COL(0), b[0]);
	HEX4(h + COL(1), b[1]);
	HEX4(h + COL(2), b[2]);
	HEX4(h + COL(3), b[3]);
	HEX4(h + COL(4), b[4]);
	HEX4(h + COL(5), b[5]);
	HEX4(h + COL(6), b[6]);
	HEX4(h + COL(7), b[7]);	/* its blanks are the group gap */
	HEX4(h + COL(8), b[8]);
	HEX4(h + COL(9), b[9]);
	HEX4(h + COL(10), b[10]);
	HEX4(h + COL(11), b[11]);
	HEX4(h + COL(12), b[12]);
	HEX4(h + COL(13), b[13]);
	HEX4(h + COL(14), b[14]);
	HEX4(h + COL(15), b[15]);	/* the blanks before '|' */
	h[BAR] = '|';
	memcpy(&a0, b, 8);
	memcpy(&a1, b + 8, 8);
	a0 = shown8(a0);
	a1 = shown8(a1);
	memcpy(h + BAR + 1, &a0, 8);
	memcpy(h + BAR + 9, &a1, 8);
	memcpy(h + BAR + 17, "|\n", 2);
	return BAR + 19;
}

/* A short line: blanks where there are no bytes. */
static size_t
put_part(char *h, const unsigned char *b, size_t n)
{
	size_t i;

	memset(h, ' ', BAR);
	for (i = 0; i < n; i++)
		HEX2(h + COL(i), b[i]);
	h[BAR] = '|';
	for (i = 0; i < n; i++)
		h[BAR + 1 + i] = shown(b[i]);
	memcpy(h + BAR + 1 + n, "|\n", 2);
	return BAR + 3 + n;
}

#ifdef HEXFMT_SSSE3
/*
 * The same full line with SSSE3 (x86-64 machines since about 2006, chosen
 * at run time): the 32 hex digits come from one table lookup each way
 * (pshufb), and three more shuffles lay them out with their blanks.
 */
#define SP(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) _mm_setr_epi8( \
	a * 32, b * 32, c * 32, d * 32, e * 32, f * 32, g * 32, h * 32, \
	i * 32, j * 32, k * 32, l * 32, m * 32, n * 32, o * 32, p * 32)

__attribute__((target("ssse3"))) static size_t
put_full_ssse3(char *h, const unsigned char *b)
{
	const __m128i digits = _mm_setr_epi8('0', '1', '2', '3', '4', '5',
	    '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f');
	const __m128i nib = _mm_set1_epi8(0x0f);
	__m128i x, hi, lo, a, c, o0, o1, o2, ok;

	x = _mm_loadu_si128((const void *)b);
	hi = _mm_shuffle_epi8(digits, _mm_and_si128(_mm_srli_epi16(x, 4), nib));
	lo = _mm_shuffle_epi8(digits, _mm_and_si128(x, nib));
	a = _mm_unpacklo_epi8(hi, lo);	/* bytes 0-7 as digit pairs */
	c = _mm_unpackhi_epi8(hi, lo);	/* bytes 8-15 */
	o0 = _mm_or_si128(_mm_shuffle_epi8(a, _mm_setr_epi8(-1, -1, 0, 1,
	    -1, 2, 3, -1, 4, 5, -1, 6, 7, -1, 8, 9)),
	    SP(1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0));
	o1 = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a, _mm_setr_epi8(-1,
	    10, 11, -1, 12, 13, -1, 14, 15, -1, -1, -1, -1, -1, -1, -1)),
	    _mm_shuffle_epi8(c, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1,
	    -1, -1, -1, 0, 1, -1, 2, 3))),
	    SP(1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0));
	o2 = _mm_or_si128(_mm_shuffle_epi8(c, _mm_setr_epi8(-1, 4, 5, -1, 6,
	    7, -1, 8, 9, -1, 10, 11, -1, 12, 13, -1)),
	    SP(1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1));
	_mm_storeu_si128((void *)h, o0);
	_mm_storeu_si128((void *)(h + 16), o1);
	_mm_storeu_si128((void *)(h + 32), o2);
	HEX4(h + COL(15), b[15]);	/* 48-51: the last byte, two blanks */
	h[BAR] = '|';
	/* printable: 0x20..0x7e; bytes from 0x80 are negative, so below */
	ok = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)),
	    _mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f)));
	_mm_storeu_si128((void *)(h + BAR + 1), _mm_or_si128(
	    _mm_and_si128(ok, x), _mm_andnot_si128(ok, _mm_set1_epi8('.'))));
	memcpy(h + BAR + 17, "|\n", 2);
	return BAR + 19;
}

__attribute__((target("ssse3"))) static size_t
block_ssse3(char *out, uint64_t offset, const unsigned char *b, size_t n)
{
	size_t o = 0;

	for (; n >= HEXFMT_PER_LINE; n -= HEXFMT_PER_LINE) {
		o += put_offset(out + o, offset);
		o += put_full_ssse3(out + o, b);
		offset += HEXFMT_PER_LINE;
		b += HEXFMT_PER_LINE;
	}
	if (n > 0) {
		o += put_offset(out + o, offset);
		o += put_part(out + o, b, n);
	}
	return o;
}
#endif

size_t
hexfmt_line(char *out, uint64_t offset, const void *p, size_t n)
{
	size_t o;

	if (n > HEXFMT_PER_LINE)
		n = HEXFMT_PER_LINE;
	o = put_offset(out, offset);
	if (n == HEXFMT_PER_LINE)
		return o + put_full(out + o, p);
	return o + put_part(out + o, p, n);
}

size_t
hexfmt_block_size(size_t n)
{
	return (n + HEXFMT_PER_LINE - 1) / HEXFMT_PER_LINE * HEXFMT_LINE_MAX;
}

size_t
hexfmt_block(char *out, uint64_t offset, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t o = 0, k;

#ifdef HEXFMT_SSSE3
	if (__builtin_cpu_supports("ssse3"))
		return block_ssse3(out, offset, b, n);
#endif
	while (n > 0) {
		k = n < HEXFMT_PER_LINE ? n : HEXFMT_PER_LINE;
		o += hexfmt_line(out + o, offset, b, k);
		offset += k;
		b += k;
		n -= k;
	}
	return o;
}
