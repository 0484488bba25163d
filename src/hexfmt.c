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

/* "xx " for each byte value, and each byte as the ASCII column shows it
 * (built once, on first use). */
static char hex3[256][4];
static char shown[256];
static int tables_ready;

static void
tables(void)
{
	int i;

	for (i = 0; i < 256; i++) {
		hex3[i][0] = hexdig[i >> 4];
		hex3[i][1] = hexdig[i & 0xf];
		hex3[i][2] = ' ';
		hex3[i][3] = ' ';
		shown[i] = i >= 0x20 && i < 0x7f ? (char)i : '.';
	}
	tables_ready = 1;
}

/* The offset in 8 hex digits, or as many as it needs. */
static size_t
put_offset(char *out, uint64_t off)
{
	size_t digits = 8, i;

	if (off >> 32 != 0)
		while (digits < 16 && (off >> (4 * digits)) != 0)
			digits++;
	for (i = digits; i >= 2; i -= 2, off >>= 8)
		memcpy(out + i - 2, hex3[off & 0xff], 2);
	if (i == 1)
		out[0] = hexdig[off & 0xf];
	return digits;
}

size_t
hexfmt_line(char *out, uint64_t offset, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t o, i;
	char *h;

	if (!tables_ready)
		tables();
	if (n > HEXFMT_PER_LINE)
		n = HEXFMT_PER_LINE;
	o = put_offset(out, offset);
	h = out + o;
	/* two blanks, then "xx " per byte, one more blank after the 8th;
	 * each copy of 4 writes a blank the next one overwrites */
	memcpy(h, "    ", 4);
	h += 2;
	for (i = 0; i < n; i++)
		memcpy(h + 3 * i + (i >= 8), hex3[b[i]], 4);
	if (n < HEXFMT_PER_LINE)	/* blanks where there are no bytes */
		memset(h + 3 * n + (n >= 8), ' ',
		    3 * HEXFMT_PER_LINE + 2 - 3 * n - (n >= 8));
	h[3 * 7 + 3] = ' ';		/* the group gap */
	h[3 * HEXFMT_PER_LINE + 2] = '|';
	o += 2 + 3 * HEXFMT_PER_LINE + 3;
	for (i = 0; i < n; i++)
		out[o + i] = shown[b[i]];
	o += n;
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
