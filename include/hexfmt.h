/*
 * hexfmt.h - bytes as a hex dump in the `hexdump -C` layout, one block per
 * read or write, each headed by direction, time and count:
 *
 *   < 16:50:41.123 received 20 bytes
 *   00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|
 *   00000010  b6 e5 88 b0                                       |....|
 *
 * The offset runs on across blocks (the caller passes it); it has 8 hex
 * digits, more past 4 GiB, as hexdump prints them.  Unlike hexdump, equal
 * lines are not folded into '*' and no line with the end offset follows.
 * Pure: formats into the caller's memory.
 */
#ifndef TCPTALK_HEXFMT_H
#define TCPTALK_HEXFMT_H

#include <stddef.h>
#include <stdint.h>

#define HEXFMT_PER_LINE		16
#define HEXFMT_LINE_LEN		79	/* a line at an offset below 4 GiB, with '\n' */
#define HEXFMT_LINE_MAX		(HEXFMT_LINE_LEN + 8)	/* any offset */
#define HEXFMT_HEADER_MAX	64

/* "< HH:MM:SS.mmm received N bytes\n" (dir '<') or "> ... sent ..." (any
 * other dir); ms_of_day is taken modulo a day.  Returns the length; out
 * needs HEXFMT_HEADER_MAX bytes.  Not NUL-terminated. */
size_t	hexfmt_header(char *out, char dir, uint32_t ms_of_day, uint64_t n);
/* One line for p[0..n), 1 <= n <= 16, at offset.  Returns its length
 * (with '\n'); out needs HEXFMT_LINE_MAX bytes.  Not NUL-terminated. */
size_t	hexfmt_line(char *out, uint64_t offset, const void *p, size_t n);
/* Room hexfmt_block needs for n bytes. */
size_t	hexfmt_block_size(size_t n);
/* All the lines for p[0..n) at offset (the first line starts at offset,
 * aligned or not): the same text as hexfmt_line line by line, faster.
 * Returns the length. */
size_t	hexfmt_block(char *out, uint64_t offset, const void *p, size_t n);

#endif
