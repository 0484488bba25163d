/*
 * hexfmt.c - the hex dump lines of -x, in hexdump -C's layout.  Written
 * for speed (the pipe with -x formats every byte it moves): table lookups
 * and fixed positions, no printf on the line path.
 */
#include <stdio.h>
#include <string.h>

#include "hexfmt.h"

static const char hexdig[] = "0123456789abcdef";

size_t
hexfmt_header(char *out, char dir, uint32_t ms_of_day, uint64_t n)
{
	uint32_t ms = ms_of_day % 86400000u;
	int len;

	len = snprintf(out, HEXFMT_HEADER_MAX, "%c %02u:%02u:%02u.%03u %s %llu %s\n",
	    dir == '<' ? '<' : '>', ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
	    ms % 1000, dir == '<' ? "received" : "sent", (unsigned long long)n,
	    n == 1 ? "byte" : "bytes");
	return len < 0 ? 0 : (size_t)len;
}

/* The offset in 8 hex digits, or as many as it needs. */
static size_t
put_offset(char *out, uint64_t off)
{
	size_t digits = 8, i;

	while (digits < 16 && (off >> (4 * digits)) != 0)
		digits++;
	for (i = digits; i-- > 0; off >>= 4)
		out[i] = hexdig[off & 0xf];
	return digits;
}

size_t
hexfmt_line(char *out, uint64_t offset, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t o, i, h;
	unsigned char c;

	if (n > HEXFMT_PER_LINE)
		n = HEXFMT_PER_LINE;
	o = put_offset(out, offset);
	/* the hex columns: blanks where there are no bytes */
	memset(out + o, ' ', 2 + 3 * HEXFMT_PER_LINE + 2);
	for (i = 0; i < n; i++) {
		h = o + 2 + 3 * i + (i >= 8);
		out[h] = hexdig[b[i] >> 4];
		out[h + 1] = hexdig[b[i] & 0xf];
	}
	o += 2 + 3 * HEXFMT_PER_LINE + 2;
	out[o++] = '|';
	for (i = 0; i < n; i++) {
		c = b[i];
		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	out[o++] = '|';
	out[o++] = '\n';
	return o;
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

	while (n > 0) {
		k = n < HEXFMT_PER_LINE ? n : HEXFMT_PER_LINE;
		o += hexfmt_line(out + o, offset, b, k);
		offset += k;
		b += k;
		n -= k;
	}
	return o;
}
