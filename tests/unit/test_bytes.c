/* Unit tests for the bytes you can see and send: escape (/raw's decoder)
 * and hexfmt (the -x hex dump), against real hexdump -C output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "hexfmt.h"

/* ---- escape ---- */

/* Decodes s; returns the length or -1 (err filled). */
static long
dec(const char *s, char *out, struct escape_error *err)
{
	size_t len = 0;

	if (escape_decode(s, strlen(s), out, &len, err) == -1)
		return -1;
	return (long)len;
}

static void
test_escape_every_kind(void **state)
{
	struct escape_error err;
	char out[64];

	(void)state;
	assert_int_equal(dec("a\\r\\n\\t\\0\\e\\\\b", out, &err), 8);
	assert_memory_equal(out, "a\r\n\t\0\033\\b", 8);
	assert_int_equal(dec("\\x16\\x03\\x01\\xFf\\x00", out, &err), 5);
	assert_memory_equal(out, "\x16\x03\x01\xff\x00", 5);
	/* 收到 as \uXXXX, é, and beyond the BMP with braces */
	assert_int_equal(dec("\\u6536\\u5230", out, &err), 6);
	assert_memory_equal(out, "收到", 6);
	assert_int_equal(dec("\\u00e9\\u{1F642}\\u{7f}\\u{10FFFF}", out, &err),
	    2 + 4 + 1 + 4);
	assert_memory_equal(out, "é🙂\x7f\xf4\x8f\xbf\xbf", 11);
	/* no line end added; plain text and UTF-8 pass through */
	assert_int_equal(dec("QUIT 你好", out, &err), 11);
	assert_memory_equal(out, "QUIT 你好", 11);
	assert_int_equal(dec("", out, &err), 0);
	/* \0 is NUL alone, not octal */
	assert_int_equal(dec("\\012", out, &err), 3);
	assert_memory_equal(out, "\0" "12", 3);
}

/* s is refused at offset off with a message holding want. */
static void
refused(const char *s, size_t off, const char *want)
{
	struct escape_error err;
	char out[64];

	memset(&err, 0, sizeof err);
	assert_int_equal(dec(s, out, &err), -1);
	assert_int_equal(err.offset, off);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message for '%s' is '%s', wanted '%s'", s, err.msg, want);
	/* one line, a whole sentence */
	assert_null(strchr(err.msg, '\n'));
	assert_true(err.msg[0] >= 'A' || err.msg[0] == '\\');
	assert_int_equal(err.msg[strlen(err.msg) - 1], '.');
}

static void
test_escape_malformed(void **state)
{
	(void)state;
	refused("abc\\", 3, "lone backslash at offset 3");
	refused("a\\q", 1, "Unknown escape \\q at offset 1");
	refused("\\\x01", 0, "byte 0x01");
	refused("x\\\xe6\x94\xb6", 1, "byte 0xe6");
	refused("\\x1", 0, "\\x at offset 0 needs two hex digits");
	refused("ok \\xg0", 3, "two hex digits");
	refused("\\u12", 0, "four hex digits");
	refused("\\u12g4", 0, "four hex digits");
	refused("\\ud800", 0, "U+D800, a UTF-16 surrogate");
	refused("\\u{DFFF}", 0, "surrogate");
	refused("\\u{110000}", 0, "U+110000, above U+10FFFF");
	refused("\\u{}", 0, "one to six hex digits");
	refused("\\u{1234567}", 0, "one to six");
	refused("\\u{41", 0, "closing brace");
	/* the first bad escape is reported, even after good ones */
	refused("\\r\\n\\z\\q", 4, "\\z");
}

static void
test_escape_output_not_longer(void **state)
{
	static const char *const in[] = { "\\u{0}", "\\u{80}", "\\u{800}",
	    "\\u{10000}", "\\uffff", "\\x41", "\\e" };
	struct escape_error err;
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof in / sizeof in[0]; i++)
		assert_true(dec(in[i], out, &err) <= (long)strlen(in[i]));
}

/* ---- hexfmt ---- */

/* Captured from util-linux hexdump -C (printf 'Hello world.\n\0收到' |
 * hexdump -C), without its final line (the end offset). */
static const char hello_dump[] =
"00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|\n"
"00000010  b6 e5 88 b0                                       |....|\n";
static const char hello[] = "Hello world.\n\0收到";

static void
test_hexfmt_known_bytes(void **state)
{
	char out[1024];
	size_t n;

	(void)state;
	n = hexfmt_block(out, 0, hello, sizeof hello - 1);
	assert_int_equal(n, strlen(hello_dump));
	assert_memory_equal(out, hello_dump, n);
	/* 16 bytes exactly, and one */
	n = hexfmt_line(out, 0x20, "0123456789abcdef", 16);
	out[n] = '\0';
	assert_string_equal(out, "00000020  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n");
	assert_int_equal(n, HEXFMT_LINE_LEN);
	n = hexfmt_line(out, 7, "\x7f", 1);
	out[n] = '\0';
	assert_string_equal(out, "00000007  7f                                                |.|\n");
	/* past 4 GiB the offset grows, as hexdump prints it */
	n = hexfmt_line(out, 0x123456789ULL, "A", 1);
	out[n] = '\0';
	assert_string_equal(out, "123456789  41                                                |A|\n");
	assert_int_equal(hexfmt_block(out, 0, "", 0), 0);
	assert_true(hexfmt_block_size(17) >= 2 * HEXFMT_LINE_MAX);
}

static void
test_hexfmt_header(void **state)
{
	char out[HEXFMT_HEADER_MAX + 1];
	size_t n;

	(void)state;
	n = hexfmt_header(out, '<', 16 * 3600000 + 50 * 60000 + 41 * 1000 + 7, 20);
	out[n] = '\0';
	assert_string_equal(out, "< 16:50:41.007 received 20 bytes\n");
	n = hexfmt_header(out, '>', 86400000 - 1, 1);
	out[n] = '\0';
	assert_string_equal(out, "> 23:59:59.999 sent 1 byte\n");
	n = hexfmt_header(out, '>', 0, UINT64_MAX);
	assert_true(n < HEXFMT_HEADER_MAX);
}

/* Every byte value, at an aligned and an unaligned offset, against the
 * hexdump on this machine (-v: no '*' for equal lines; -s: the offset). */
static void
test_hexfmt_against_hexdump(void **state)
{
	char path[] = "/tmp/tcptalk-hexfmt.XXXXXX", cmd[128];
	unsigned char bytes[300];
	static char want[16384], got[16384];
	size_t i, n, skip;
	FILE *f;
	int fd;

	(void)state;
	if (system("hexdump --version >/dev/null 2>&1") != 0) {
		skip();
		return;
	}
	for (i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 7 + i / 256);
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, bytes, sizeof bytes), (ssize_t)sizeof bytes);
	close(fd);
	for (skip = 0; skip <= 5; skip += 5) {
		snprintf(cmd, sizeof cmd, "hexdump -Cv -s %zu %s", skip, path);
		assert_non_null(f = popen(cmd, "r"));
		n = fread(want, 1, sizeof want - 1, f);
		pclose(f);
		want[n] = '\0';
		/* drop hexdump's last line, the end offset */
		assert_true(n > 9);
		want[n - 9] = '\0';
		n = hexfmt_block(got, skip, bytes + skip, sizeof bytes - skip);
		got[n] = '\0';
		assert_string_equal(got, want);
	}
	unlink(path);
}

/* hexfmt_block (SIMD where the CPU has it) makes the text of hexfmt_line
 * (plain C) line by line: every byte value, every length up to three
 * lines, offsets at each alignment, across 4 GiB and far beyond. */
static void
test_hexfmt_block_is_lines(void **state)
{
	static const uint64_t offs[] = { 0, 1, 7, 8, 15, 0xffffffe0ULL - 5,
	    0xfffffff8ULL, 0x123456789abcdef0ULL, UINT64_MAX - 4096 };
	static char got[8192], want[8192];
	unsigned char bytes[512];
	size_t i, j, n, k, g, w;

	(void)state;
	for (i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i < 256 ? i : 255 - i % 256);
	for (i = 0; i < sizeof offs / sizeof offs[0]; i++) {
		for (n = 0; n <= sizeof bytes; n += n < 48 ? 1 : 61) {
			g = hexfmt_block(got, offs[i], bytes + n % 7, n);
			for (w = 0, j = 0; j < n; j += k) {
				k = n - j < 16 ? n - j : 16;
				w += hexfmt_line(want + w, offs[i] + j,
				    bytes + n % 7 + j, k);
			}
			assert_true(g <= hexfmt_block_size(n));
			assert_int_equal(g, w);
			assert_memory_equal(got, want, g);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_every_kind),
		cmocka_unit_test(test_escape_malformed),
		cmocka_unit_test(test_escape_output_not_longer),
		cmocka_unit_test(test_hexfmt_known_bytes),
		cmocka_unit_test(test_hexfmt_header),
		cmocka_unit_test(test_hexfmt_against_hexdump),
		cmocka_unit_test(test_hexfmt_block_is_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
