/* Unit tests for the pure text path: lines, sanitize, width, scrollback, cmd. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lines.h"
#include "sanitize.h"
#include "scrollback.h"
#include "width.h"

/* ---- lines ---- */

struct got {
	char	 lines[16][128];
	uint64_t dropped[16];
	bool	 crlf[16];
	int	 n;
};

static void
got_cb(void *arg, const char *line, size_t len, uint64_t dropped, bool crlf)
{
	struct got *g = arg;

	snprintf(g->lines[g->n], sizeof g->lines[0], "%.*s", (int)len, line);
	g->crlf[g->n] = crlf;
	g->dropped[g->n++] = dropped;
}

static void
test_lines_lines_crlf_partial(void **state)
{
	struct lines f;
	struct got g = { .n = 0 };
	const char *p;
	size_t len;
	uint64_t dropped;

	(void)state;
	assert_int_equal(lines_init(&f, 64), 0);
	lines_feed(&f, "one\r\ntwo\nthr", 12, got_cb, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.lines[0], "one");	/* CR of CRLF dropped */
	assert_true(g.crlf[0]);			/* ... and said */
	assert_string_equal(g.lines[1], "two");
	assert_false(g.crlf[1]);
	p = lines_partial(&f, &len, &dropped);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "thr", 3);
	/* CR and LF split across two reads */
	lines_feed(&f, "ee\r", 3, got_cb, &g);
	assert_int_equal(g.n, 2);
	lines_feed(&f, "\n\n", 2, got_cb, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.lines[2], "three");
	assert_true(g.crlf[2]);		/* a CRLF split across reads too */
	assert_false(g.crlf[3]);
	assert_string_equal(g.lines[3], "");		/* empty line kept */
	/* a lone CR inside a line is text (sanitize shows it) */
	lines_feed(&f, "a\rb\n", 4, got_cb, &g);
	assert_string_equal(g.lines[4], "a\rb");
	assert_false(g.crlf[4]);
	/* a tail stays partial until reset forgets it */
	lines_feed(&f, "tail", 4, got_cb, &g);
	assert_int_equal(g.n, 5);
	lines_reset(&f);
	lines_feed(&f, "new\n", 4, got_cb, &g);
	assert_int_equal(g.n, 6);
	assert_string_equal(g.lines[5], "new");
	lines_free(&f);
}

static void
test_lines_cap(void **state)
{
	struct lines f;
	struct got g = { .n = 0 };
	char big[100];
	size_t len;
	uint64_t dropped;

	(void)state;
	memset(big, 'x', sizeof big);
	assert_int_equal(lines_init(&f, 10), 0);
	lines_feed(&f, big, sizeof big, got_cb, &g);
	(void)lines_partial(&f, &len, &dropped);
	assert_int_equal(len, 10);
	assert_int_equal(dropped, 90);
	lines_feed(&f, "yy\r\n", 4, got_cb, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.lines[0], "xxxxxxxxxx");
	assert_int_equal(g.dropped[0], 92);	/* "yy" past the cap; the CR
						 * of CRLF is no text */
	lines_feed(&f, "ok\n", 3, got_cb, &g);	/* the count starts again */
	assert_int_equal(g.dropped[1], 0);
	lines_free(&f);
}

/* A line of exactly the cap and its CRLF: nothing dropped, however the
 * bytes come (it showed "[+1 bytes]"). */
static void
test_lines_cap_crlf(void **state)
{
	struct lines f;
	struct got g = { .n = 0 };
	size_t len;
	uint64_t dropped;

	(void)state;
	assert_int_equal(lines_init(&f, 8), 0);
	lines_feed(&f, "12345678\r\n", 10, got_cb, &g);
	lines_feed(&f, "12345678\r", 9, got_cb, &g);
	(void)lines_partial(&f, &len, &dropped);
	assert_int_equal(len, 8);
	assert_int_equal(dropped, 0);	/* the CR may be half of a CRLF */
	lines_feed(&f, "\n", 1, got_cb, &g);
	lines_feed(&f, "123456789\r\n", 11, got_cb, &g);
	lines_feed(&f, "1234567\r\r\n", 10, got_cb, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.lines[0], "12345678");
	assert_int_equal(g.dropped[0], 0);
	assert_string_equal(g.lines[1], "12345678");
	assert_int_equal(g.dropped[1], 0);
	assert_string_equal(g.lines[2], "12345678");
	assert_int_equal(g.dropped[2], 1);	/* the 9 */
	assert_string_equal(g.lines[3], "1234567\r");	/* a CR of the text */
	assert_int_equal(g.dropped[3], 0);
	lines_free(&f);
}

/* ---- sanitize ---- */

static char *
san(const char *in, size_t n)
{
	size_t len;
	char *s = sanitize_line(in, n, 0, &len), *p, *q;

	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	/* drop the markers (dim, tab) for comparison */
	for (p = q = s; *p; p++)
		if (!WIDTH_IS_MARKER(*p))
			*q++ = *p;
	*q = '\0';
	return s;
}

static void
expect_san(const char *in, size_t n, const char *want)
{
	char *got = san(in, n);

	assert_string_equal(got, want);
	free(got);
}

static void
test_sanitize_escapes(void **state)
{
	(void)state;
	expect_san("\033]0;pwned\007\033[2J", 14, "^[]0;pwned^G^[[2J");
	expect_san("a\rb\177", 4, "a^Mb^?");
	expect_san("\0x", 2, "^@x");
	expect_san("\x9b" "1m", 3, "\\x9b1m");			/* raw C1 byte */
	expect_san("\xc2\x9b", 2, "\\u009b");			/* C1 as UTF-8 */
	expect_san("\xe2\x80\xae" "abc", 6, "\\u202eabc");	/* bidi override */
	expect_san("\xff\xfe", 2, "\\xff\\xfe");
	expect_san("\xc0\xaf", 2, "\\xc0\\xaf");		/* overlong '/' */
	expect_san("\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf");	/* overlong, 3 bytes */
	expect_san("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");	/* surrogate */
	expect_san("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	expect_san("\xe4\xbd", 2, "\\xe4\\xbd");		/* truncated */
	expect_san("你好 héllo 🙂 e\xcc\x81", strlen("你好 héllo 🙂 e\xcc\x81"), "你好 héllo 🙂 e\xcc\x81");
}

static void
test_sanitize_all_bytes(void **state)
{
	char in[1], *s;
	size_t len;
	int b;

	(void)state;
	/* No byte value survives as a control character. */
	for (b = 0; b < 256; b++) {
		in[0] = (char)b;
		s = sanitize_line(in, 1, 0, &len);
		assert_non_null(s);
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];

			if (WIDTH_IS_MARKER(c))
				continue;
			assert_true(c >= 0x20 && c != 0x7f && c < 0x80);
		}
		free(s);
	}
}

static void
test_sanitize_tabs_and_cap(void **state)
{
	size_t len;
	char *s;

	(void)state;
	expect_san("a\tb", 3, "a       b");
	expect_san("你\tb", 5, "你      b");	/* wide char is 2 columns */
	/* the tab's spaces follow a mark of no width, for /show */
	s = sanitize_line("a\tb", 3, 0, &len);
	assert_string_equal(s, "a" "\003" "       b");
	assert_int_equal(width_str(s, len), 9);
	free(s);
	s = sanitize_line("abc", 3, 42, &len);
	assert_non_null(strstr(s, "abc"));
	assert_non_null(strstr(s, "[+42 bytes]"));
	free(s);
}

/* ---- width ---- */

static void
test_width(void **state)
{
	size_t starts[8];
	uint32_t cp;

	(void)state;
	assert_int_equal(width_str("abc", 3), 3);
	assert_int_equal(width_str("你好", 6), 4);
	assert_int_equal(width_str("🙂", 4), 2);
	assert_int_equal(width_str("e\xcc\x81", 3), 1);	/* combining */
	assert_int_equal(width_str("\001x\002", 3), 1);	/* markers */
	assert_int_equal(width_str("\033", 1), 2);		/* ^[ */
	assert_int_equal(width_str("\xff", 1), 1);
	assert_int_equal(width_utf8("", 0, &cp), -1);
	assert_int_equal(width_utf8("\x80", 1, &cp), -1);
	assert_int_equal(width_utf8("\xe4\xbd\xa0", 3, &cp), 3);
	assert_int_equal(cp, 0x4f60);

	assert_int_equal(width_wrap("abcdef", 6, 4, starts, 8), 2);
	assert_int_equal(starts[1], 4);
	assert_int_equal(width_wrap("", 0, 4, starts, 8), 1);
	/* a wide character never straddles rows: "a你" in 2 columns */
	assert_int_equal(width_wrap("a你b", 5, 2, starts, 8), 3);
	assert_int_equal(starts[1], 1);
	assert_int_equal(starts[2], 4);
	assert_int_equal(width_wrap("abcdef", 6, 2, starts, 2), 3);	/* max rows */
	/* words stay whole where a row has a space to break at */
	assert_int_equal(width_wrap("hello world foo", 15, 8, starts, 8), 3);
	assert_int_equal(starts[1], 6);
	assert_int_equal(starts[2], 12);
	/* a word longer than a row is cut, as before */
	assert_int_equal(width_wrap("ab cdefghijkl", 13, 4, starts, 8), 4);
	assert_int_equal(starts[1], 3);
	assert_int_equal(starts[2], 7);
	/* a space that ends a row exactly breaks there */
	assert_int_equal(width_wrap("abc defg", 8, 4, starts, 8), 2);
	assert_int_equal(starts[1], 4);
	/* Chinese breaks between characters, not back at the last space
	 * ("TCP 三次握手完成了" in 10 columns: "TCP 三次握" then "手完成了") */
	assert_int_equal(width_wrap("TCP 三次握手完成了", 25, 10, starts, 8), 2);
	assert_int_equal(starts[1], 13);
	/* but never before a closing mark: "连接已关闭，对端" at 10 columns
	 * keeps "闭，" together, breaking after "关" */
	assert_int_equal(width_wrap("连接已关闭，对端", 24, 10, starts, 8), 2);
	assert_int_equal(starts[1], 12);
	/* nor after an opening one: "格式同（-o）" at 8 columns keeps "（"
	 * with what it opens */
	assert_int_equal(width_wrap("格式同（-o）", 17, 8, starts, 8), 2);
	assert_int_equal(starts[1], 9);
	/* no row starts with a space: "你的昵称是 host" at 10 columns breaks
	 * a character back, not before the space */
	assert_int_equal(width_wrap("你的昵称是 host", 20, 10, starts, 8), 2);
	assert_int_equal(starts[1], 12);
	/* what belongs to a wide character goes with it: an emoji's variation
	 * selector, a kana's combining mark */
	assert_int_equal(width_wrap("x\xf0\x9f\x98\x80\xef\xb8\x8fyy", 10, 3,
	    starts, 8), 2);
	assert_int_equal(starts[1], 8);	/* "yy": the row breaks after U+FE0F */
	assert_int_equal(width_wrap("\xe3\x81\x8b\xe3\x82\x99\xe3\x81\x8b"
	    "\xe3\x82\x99", 12, 2, starts, 8), 2);
	assert_int_equal(starts[1], 6);	/* after "が", not between them */
	/* Latin words in Chinese text stay whole */
	assert_int_equal(width_wrap("对端发送了FIN", 18, 12, starts, 8), 2);
	assert_int_equal(starts[1], 15);
}

/* width_hang: rows after the first are indent columns narrower (they go
 * under the first row's text) and start with a word. */
static void
test_width_hang(void **state)
{
	/* "/save FILE  append the kept conversation" in 24 columns, text
	 * from column 12: "append the" then "kept" and "conversation"
	 * each in the 12 columns left */
	const char *help = "/save FILE  append the kept conversation";
	const char *zh = "/tcp  这个连接的TCP：往返时间、窗口、队列";
	size_t starts[8], indent = 12;

	(void)state;
	assert_int_equal(width_hang(help, strlen(help), 24, &indent, starts, 8),
	    3);
	assert_int_equal(indent, 12);
	assert_int_equal(starts[1], 23);	/* "kept", not " kept" */
	assert_int_equal(starts[2], 28);	/* "conversation" */
	/* Chinese fills each row nearly to its end (30 columns, indent 6):
	 * "时" ends at 27, and "间" goes down with it: "、" (at 29) may not
	 * start a row */
	indent = 6;
	assert_int_equal(width_hang(zh, strlen(zh), 30, &indent, starts, 8), 2);
	assert_int_equal(width_str(zh, starts[1]), 27);
	assert_memory_equal(zh + starts[1], "间、", strlen("间、"));
	assert_int_equal(width_str(zh + starts[1], strlen(zh) - starts[1]) <= 24, 1);
	/* too narrow to hang (fewer than WIDTH_HANG_MIN left): rows start at
	 * the left, as width_wrap makes them, and the indent used is 0 */
	indent = 12;
	assert_int_equal(width_hang(help, strlen(help), 20, &indent, starts, 8),
	    width_wrap(help, strlen(help), 20, starts + 4, 4));
	assert_int_equal(indent, 0);
	/* one row: nothing hangs */
	indent = 12;
	assert_int_equal(width_hang("abc", 3, 24, &indent, starts, 8), 1);
	assert_int_equal(width_hang("", 0, 24, &indent, starts, 8), 1);
}

/* A translation longer than its buffer: snprintf's cut, then back to
 * the last whole character.  (The cuts here are the point.) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
static void
test_snprintf_len(void **state)
{
	char b[8];
	int n;

	(void)state;
	n = snprintf(b, sizeof b, "%s", "ab");
	assert_int_equal(width_snprintf_len(b, n, sizeof b), 2);
	n = snprintf(b, 5, "%s", "你好");	/* "你" and one byte of "好" */
	assert_int_equal(width_snprintf_len(b, n, 5), 3);
	n = snprintf(b, 5, "%s", "ab你好");	/* "ab", two bytes of "你" */
	assert_int_equal(width_snprintf_len(b, n, 5), 2);
	n = snprintf(b, 6, "%s", "a你bc");	/* "a你b": whole */
	assert_int_equal(width_snprintf_len(b, n, 6), 5);
	n = snprintf(b, 4, "%s", "abcdef");
	assert_int_equal(width_snprintf_len(b, n, 4), 3);
	assert_int_equal(width_snprintf_len(b, -1, 4), 0);
	assert_int_equal(width_snprintf_len(b, 3, 0), 0);
}
#pragma GCC diagnostic pop

/* Below WIDTH_MIN_COLS a row is WIDTH_MIN_COLS wide: a wide character or
 * a ^X marker alone on a row used to make it wider than asked. */
static void
test_width_wrap_narrow(void **state)
{
	size_t starts[8];

	(void)state;
	assert_int_equal(WIDTH_MIN_COLS, 2);
	assert_int_equal(width_wrap("abc", 3, 0, starts, 8), 2);
	assert_int_equal(starts[1], 2);
	assert_int_equal(width_wrap("abc", 3, -5, starts, 8), 2);
	assert_int_equal(width_wrap("a你", 4, 1, starts, 8), 2);
	assert_int_equal(starts[1], 1);
	assert_int_equal(width_wrap("\001^@\002x", 5, 1, starts, 8), 2);
	assert_int_equal(starts[1], 4);
}

/* Found by tests/fuzz/fuzz_width.c: a row that starts with a space, filled
 * to the width, then a wide character: the word moved down with it and
 * the row was one column too wide. */
static void
test_width_wrap_word_then_wide(void **state)
{
	size_t starts[8];

	(void)state;
	assert_int_equal(width_wrap(" bbb你", 7, 4, starts, 8), 3);
	assert_int_equal(starts[1], 1);		/* "bbb" */
	assert_int_equal(starts[2], 4);		/* "你" */
	assert_int_equal(width_wrap(" \xeb\t", 3, 2, starts, 8), 3);
	assert_int_equal(starts[1], 1);
	assert_int_equal(starts[2], 2);
}

/* ---- scrollback ---- */

static void
test_scrollback_ring(void **state)
{
	struct scrollback sb;
	struct sb_line l;
	char t[16];
	int i;

	(void)state;
	assert_int_equal(sb_init(&sb, 3), 0);
	assert_null(sb_last(&sb));
	for (i = 0; i < 5; i++) {
		snprintf(t, sizeof t, "line %d", i);
		l = (struct sb_line){ .seq = (uint64_t)(10 + i), .text = strdup(t),
		    .len = strlen(t) };
		sb_push(&sb, &l);
	}
	assert_int_equal(sb.count, 3);
	assert_string_equal(sb_get(&sb, 0)->text, "line 2");
	assert_string_equal(sb_last(&sb)->text, "line 4");
	assert_null(sb_get(&sb, 3));
	/* found by seq while held, not once the ring let it go */
	assert_string_equal(sb_find(&sb, 13)->text, "line 3");
	assert_null(sb_find(&sb, 11));
	assert_null(sb_find(&sb, 99));
	sb_set_text(sb_find(&sb, 14), strdup("line 4 grown"), 12);
	assert_string_equal(sb_last(&sb)->text, "line 4 grown");
	sb_clear(&sb);
	assert_int_equal(sb.count, 0);
	assert_null(sb_find(&sb, 14));
	sb_free(&sb);
}

/* ---- cmd ---- */

static void
test_cmd(void **state)
{
	struct cmd c;

	(void)state;
	c = cmd_parse("hello", 5);
	assert_int_equal(c.kind, CMD_SEND);
	assert_int_equal(c.len, 5);
	c = cmd_parse("", 0);
	assert_int_equal(c.kind, CMD_SEND);
	c = cmd_parse("//etc/passwd", 12);
	assert_int_equal(c.kind, CMD_SEND);
	assert_memory_equal(c.text, "/etc/passwd", c.len);
	assert_int_equal(cmd_parse("/quit", 5).kind, CMD_QUIT);
	assert_int_equal(cmd_parse("/exit", 5).kind, CMD_QUIT);
	assert_int_equal(cmd_parse("/help", 5).kind, CMD_HELP);
	assert_int_equal(cmd_parse("/clear", 6).kind, CMD_CLEAR);
	assert_int_equal(cmd_parse("/timestamps", 11).kind, CMD_TIMESTAMPS);
	assert_int_equal(cmd_parse("/view", 5).kind, CMD_VIEW);
	assert_int_equal(cmd_parse("/crlf", 5).kind, CMD_CRLF);
	assert_int_equal(cmd_parse("/quit now", 9).kind, CMD_QUIT);
	assert_int_equal(cmd_parse("/next", 5).kind, CMD_NEXT);
	assert_int_equal(cmd_parse("/reconnect", 10).kind, CMD_RECONNECT);
	/* an argument: what follows the word and one space, as typed */
	c = cmd_parse("/raw  a\\x00 ", 12);
	assert_int_equal(c.kind, CMD_RAW);
	assert_int_equal(c.len, 7);
	assert_memory_equal(c.text, " a\\x00 ", 7);
	c = cmd_parse("/FIND", 5);
	assert_int_equal(c.kind, CMD_FIND);
	assert_int_equal(c.len, 0);
	c = cmd_parse("/send /tmp/f", 12);
	assert_int_equal(c.kind, CMD_SENDFILE);
	assert_memory_equal(c.text, "/tmp/f", c.len);
	assert_int_equal(cmd_parse("/save x", 7).kind, CMD_SAVE);
	assert_int_equal(cmd_parse("/hex", 4).kind, CMD_HEX);
	assert_int_equal(cmd_parse("/show", 5).kind, CMD_SHOW);
	assert_int_equal(cmd_parse("/cancel", 7).kind, CMD_CANCEL);
	assert_int_equal(cmd_parse("/tls", 4).kind, CMD_TLS);
	assert_int_equal(cmd_parse("/starttls", 9).kind, CMD_STARTTLS);
	assert_int_equal(cmd_parse("/StartTLS", 9).kind, CMD_STARTTLS);
	assert_int_equal(cmd_parse("/tlsx", 5).kind, CMD_UNKNOWN);
	assert_int_equal(cmd_parse("/start", 6).kind, CMD_UNKNOWN);
	c = cmd_parse("/nextx", 6);
	assert_int_equal(c.kind, CMD_UNKNOWN);
	c = cmd_parse("/qui", 4);
	assert_int_equal(c.kind, CMD_UNKNOWN);
	c = cmd_parse("/frob x", 7);
	assert_int_equal(c.kind, CMD_UNKNOWN);
	assert_memory_equal(c.text, "/frob", c.len);
	c = cmd_parse("/", 1);
	assert_int_equal(c.kind, CMD_UNKNOWN);
	assert_non_null(cmd_help[0]);
}

/* Command words are case-insensitive; "//" still sends the text as typed. */
static void
test_cmd_case(void **state)
{
	struct cmd c;

	(void)state;
	assert_int_equal(cmd_parse("/QUIT", 5).kind, CMD_QUIT);
	assert_int_equal(cmd_parse("/Help", 5).kind, CMD_HELP);
	assert_int_equal(cmd_parse("/eXiT now", 9).kind, CMD_QUIT);
	assert_int_equal(cmd_parse("/NEXT", 5).kind, CMD_NEXT);
	assert_int_equal(cmd_parse("/ReConnect", 10).kind, CMD_RECONNECT);
	c = cmd_parse("//QUIT", 6);
	assert_int_equal(c.kind, CMD_SEND);
	assert_int_equal(c.len, 5);
	assert_memory_equal(c.text, "/QUIT", 5);
	c = cmd_parse("/Frob", 5);
	assert_int_equal(c.kind, CMD_UNKNOWN);
	assert_memory_equal(c.text, "/Frob", c.len);
}

/* /help lists every command, /next and /reconnect included. */
static void
test_cmd_help_lists_all(void **state)
{
	static const char *want[] = { "/help", "/quit", "/clear", "/timestamps",
	    "/view", "/crlf", "/next", "/reconnect", "//text" };
	size_t i, k;
	int found;

	(void)state;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		found = 0;
		for (k = 0; cmd_help[k] != NULL; k++)
			if (strncmp(cmd_help[k], want[i], strlen(want[i])) == 0 &&
			    cmd_help[k][strlen(want[i])] == ' ')
				found = 1;
		if (!found)
			fail_msg("cmd_help has no line for %s", want[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_lines_crlf_partial),
		cmocka_unit_test(test_lines_cap),
		cmocka_unit_test(test_lines_cap_crlf),
		cmocka_unit_test(test_sanitize_escapes),
		cmocka_unit_test(test_sanitize_all_bytes),
		cmocka_unit_test(test_sanitize_tabs_and_cap),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_width_wrap_narrow),
		cmocka_unit_test(test_width_hang),
		cmocka_unit_test(test_snprintf_len),
		cmocka_unit_test(test_width_wrap_word_then_wide),
		cmocka_unit_test(test_scrollback_ring),
		cmocka_unit_test(test_cmd),
		cmocka_unit_test(test_cmd_case),
		cmocka_unit_test(test_cmd_help_lists_all),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_text: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
