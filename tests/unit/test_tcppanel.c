/* Unit tests for the /tcp panel's table: rows from a filled struct in
 * their units, facts the kernel does not give said so (never 0), the
 * slow-start threshold before any loss, values lined up after a wide
 * (Chinese) label, two columns on a wide terminal and nothing wider than
 * a narrow one, and /tcp help naming the tutorial's concepts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tcppanel.h"
#include "width.h"

static struct tcppanel_row	rows[TCPPANEL_NROWS];
static struct tcppanel_line	lines[TCPPANEL_MAX_LINES];

static struct tcpinfo
filled(void)
{
	struct tcpinfo ti = {
		.ok = true, .state = 1, .rtt_us = 50, .rttvar_us = 25,
		.min_rtt_us = 30, .rto_us = 201000, .snd_mss = 1448,
		.rcv_mss = 536, .cwnd = 10, .ssthresh = 7, .snd_wnd = 65536,
		.have_snd_wnd = true, .rcv_space = 14600, .rcv_wnd = 64000,
		.have_rcv_wnd = true, .bytes_sent = 1000,
		.bytes_acked = 990, .bytes_received = 12,
		.have_bytes_sent = true, .segs_in = 18, .segs_out = 20,
		.total_retrans = 3, .retransmits = 0, .delivery_rate = 2048,
		.have_rate = true, .busy_us = 2000000, .rwnd_limited_us = 500000,
		.sndbuf_limited_us = 0, .have_busy = true, .unacked = 10,
		.unsent = 0, .unread = 5
	};

	return ti;
}

static const struct tcppanel_row *
find(size_t n, const char *label)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].label, label) == 0)
			return &rows[i];
	fail_msg("no row '%s'", label);
	return NULL;
}

static void
expect_row(size_t n, const char *label, const char *text)
{
	const struct tcppanel_row *r = find(n, label);

	assert_true(r->known);
	assert_string_equal(r->text, text);
}

static void
expect_unknown(size_t n, const char *label, const char *text)
{
	const struct tcppanel_row *r = find(n, label);

	assert_false(r->known);
	assert_int_equal(r->value, 0);
	assert_string_equal(r->text, text);
}

static void
test_rows_filled(void **state)
{
	struct tcpinfo ti = filled();
	struct tcppanel_in in = { &ti, "127.0.0.1:40000", "127.0.0.1:8888",
	    83000, true, false, false };
	size_t n;

	(void)state;
	n = tcppanel_rows(&in, rows);
	assert_int_equal(n, TCPPANEL_NROWS);
	expect_row(n, "State", "ESTABLISHED: both sides may send");
	expect_row(n, "Local address", "127.0.0.1:40000");
	expect_row(n, "Remote address", "127.0.0.1:8888");
	expect_row(n, "Connected for", "1 min 23 s");
	expect_row(n, "Smoothed RTT", "0.050 ms");
	assert_int_equal(find(n, "Smoothed RTT")->value, 50);
	expect_row(n, "RTT variance", "0.025 ms");
	expect_row(n, "Smallest RTT", "0.030 ms");
	expect_row(n, "Retransmission timeout", "201.0 ms");
	expect_row(n, "Segments retransmitted", "3");
	assert_true(find(n, "Segments retransmitted")->alert);
	assert_false(find(n, "Timeouts not recovered")->alert);
	expect_row(n, "Largest segment out/in", "1448 B / 536 B");
	expect_row(n, "Congestion window", "10 \xc3\x97 MSS = 14.1 KiB");
	expect_row(n, "Slow-start threshold", "7 \xc3\x97 MSS = 9.9 KiB");
	expect_row(n, "Peer's receive window", "64.0 KiB");
	/* the window we advertise, not the autotuning's receive space */
	expect_row(n, "Our receive window", "62.5 KiB");
	expect_row(n, "Bytes sent", "1000 B");
	/* the kernel's count has the SYN's sequence number in it */
	expect_row(n, "Bytes acknowledged", "989 B");
	assert_int_equal(find(n, "Bytes acknowledged")->value, 989);
	expect_row(n, "Bytes received", "12 B");
	expect_row(n, "Segments sent", "20");
	expect_row(n, "Segments received", "18");
	expect_row(n, "Delivery rate", "2.0 KiB/s");
	expect_row(n, "Time with data to send", "2.00 s");
	expect_row(n, "Limited by peer's window", "500.0 ms (25% of busy time)");
	expect_row(n, "Limited by send buffer", "0.000 ms (0% of busy time)");
	expect_row(n, "Limited by congestion", "1.50 s (75% of busy time)");
	/* busy 2 s of 83: the program had little to send */
	expect_row(n, "Mostly limited by", "having little to send");
	expect_row(n, "In flight, not yet acked", "10 B");
	expect_row(n, "Queued, not yet sent", "0 B");
	expect_row(n, "Received, not yet read", "5 B");
	/* busy most of 3 s: the congestion window held it longest */
	in.connected_ms = 3000;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Mostly limited by", "the congestion window");
	expect_row(n, "Connected for", "3 s");
	/* FIN_WAIT2: our FIN acknowledged, one more number that is no byte */
	ti.state = 5;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Bytes acknowledged", "988 B");
	expect_row(n, "Bytes received", "12 B");
	/* CLOSE_WAIT: the peer's FIN came, and took one */
	ti.state = 8;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Bytes acknowledged", "989 B");
	expect_row(n, "Bytes received", "11 B");
	/* CLOSE says nothing of the FINs: the caller does */
	ti.state = 7;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Bytes acknowledged", "989 B");
	expect_row(n, "Bytes received", "12 B");
	in.fin_in = in.fin_out = true;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Bytes acknowledged", "988 B");
	expect_row(n, "Bytes received", "11 B");
	/* accepted, not dialled: the handshake is not in the count */
	in.dialled = in.fin_out = false;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Bytes acknowledged", "990 B");
	in.dialled = true;
	ti.bytes_acked = 0;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Bytes acknowledged", "0 B");
	/* nothing to send yet: no share of no time */
	ti.busy_us = 0;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Limited by congestion", "0.000 ms");
	expect_row(n, "Mostly limited by", "no wait measured");
}

static void
test_rows_missing(void **state)
{
	struct tcpinfo ti = filled();
	struct tcppanel_in in = { &ti, NULL, "", -1, true, false, false };
	const char *k = "not told by the kernel";
	size_t n;

	(void)state;
	ti.have_snd_wnd = ti.have_bytes_sent = ti.have_rate = false;
	ti.have_busy = ti.have_rcv_wnd = false;
	ti.rtt_us = ti.rttvar_us = ti.min_rtt_us = 0;
	ti.unacked = ti.unsent = ti.unread = -1;
	n = tcppanel_rows(&in, rows);
	expect_unknown(n, "Local address", "not known");
	expect_unknown(n, "Remote address", "not known");
	expect_unknown(n, "Connected for", "not known");
	expect_unknown(n, "Smoothed RTT",
	    "none yet: no sample");
	expect_unknown(n, "RTT variance", "none yet: no sample");
	expect_unknown(n, "Smallest RTT",
	    "none yet: no sample");
	expect_unknown(n, "Peer's receive window", k);
	expect_unknown(n, "Our receive window", k);	/* before 6.2 */
	expect_unknown(n, "Bytes sent", k);
	expect_unknown(n, "Delivery rate", k);
	expect_unknown(n, "Time with data to send", k);
	expect_unknown(n, "Limited by peer's window", k);
	expect_unknown(n, "Mostly limited by", k);
	expect_unknown(n, "In flight, not yet acked", k);
	expect_unknown(n, "Queued, not yet sent", k);
	expect_unknown(n, "Received, not yet read", k);
	/* what the kernel did give is still there */
	expect_row(n, "Bytes acknowledged", "989 B");
	/* an RTT without a minimum (kernel before 4.6) */
	ti.rtt_us = 80;
	n = tcppanel_rows(&in, rows);
	expect_row(n, "Smoothed RTT", "0.080 ms");
	expect_unknown(n, "Smallest RTT", k);
	ti.min_rtt_us = UINT32_MAX;		/* the kernel's "no sample" */
	n = tcppanel_rows(&in, rows);
	expect_unknown(n, "Smallest RTT", k);
}

static void
test_not_tcp(void **state)
{
	struct tcpinfo ti = { .ok = false, .unacked = -1, .unsent = -1,
	    .unread = -1 };
	struct tcppanel_in in = { &ti, "a", "b", 5000, true, false, false };
	size_t n, i;

	(void)state;
	n = tcppanel_rows(&in, rows);
	assert_int_equal(n, TCPPANEL_NROWS);
	for (i = 0; i < n; i++) {
		if (rows[i].section == TCPPANEL_SEC_CONN &&
		    strcmp(rows[i].label, "State") != 0)
			continue;
		assert_false(rows[i].known);
		assert_string_equal(rows[i].text, "not known (no TCP)");
	}
}

static void
test_ssthresh_infinite(void **state)
{
	struct tcpinfo ti = filled();
	struct tcppanel_in in = { &ti, "a", "b", 0, true, false, false };
	size_t n;

	(void)state;
	ti.ssthresh = TCPINFO_INFINITE;
	n = tcppanel_rows(&in, rows);
	expect_unknown(n, "Slow-start threshold",
	    "none yet: still in slow start");
	expect_row(n, "Congestion window", "10 \xc3\x97 MSS = 14.1 KiB");
	ti.ssthresh = UINT32_MAX;
	n = tcppanel_rows(&in, rows);
	expect_unknown(n, "Slow-start threshold",
	    "none yet: still in slow start");
}

static void
test_state_words(void **state)
{
	(void)state;
	assert_string_equal(tcppanel_state_words(8),
	    "CLOSE_WAIT: the peer sent FIN; you may send");
	assert_string_equal(tcppanel_state_words(6),
	    "TIME_WAIT: closed; late segments die out");
	assert_string_equal(tcppanel_state_words(0), "not known");
	assert_string_equal(tcppanel_state_words(99), "not known");
	assert_string_equal(tcppanel_state_words(-1), "not known");
}

/* The display column where text starts in line (-1: not in it). */
static long
col_of(const char *line, const char *text)
{
	const char *p = strstr(line, text);

	return p == NULL ? -1 : (long)width_str(line, (size_t)(p - line));
}

static long
line_cols(const struct tcppanel_line *l)
{
	return (long)width_str(l->text, strlen(l->text));
}

static void
test_layout_wide_label(void **state)
{
	struct tcppanel_row r[3] = {
		{ .section = TCPPANEL_SEC_RTT, .label = "平滑往返时间",
		    .known = true, .text = "0.050 ms" },
		{ .section = TCPPANEL_SEC_RTT, .label = "RTO",
		    .known = true, .text = "201.0 ms" },
		{ .section = TCPPANEL_SEC_RTT, .label = "RTT variance",
		    .known = true, .text = "0.025 ms" }
	};
	size_t n, i;

	(void)state;
	n = tcppanel_layout(r, 3, 80, lines, TCPPANEL_MAX_LINES);
	assert_int_equal(n, 4);			/* a heading, three rows */
	assert_int_equal(lines[0].kind, TCPPANEL_HEAD);
	assert_string_equal(lines[0].text, "Round trips and retransmissions");
	/* six wide characters are twelve columns: every value at column
	 * indent 1 + 12 + gap 2 */
	for (i = 1; i < 4; i++) {
		assert_int_equal(lines[i].kind, TCPPANEL_PLAIN);
		assert_int_equal(col_of(lines[i].text, r[i - 1].text), 15);
	}
	assert_string_equal(lines[2].text, " RTO           201.0 ms");
}

static void
test_layout_widths(void **state)
{
	struct tcpinfo ti = filled();
	struct tcppanel_in in = { &ti, "[2001:db8::1]:40000",
	    "[2001:db8::2]:8888", 83000, true, false, false };
	size_t n, k, i;
	bool both = false, alert = false;
	long c;

	(void)state;
	ti.state = 11;			/* the longest state words */
	n = tcppanel_rows(&in, rows);
	/* wide: two halves side by side, short enough for the panel of a
	 * 30-row screen (18 rows), no headings then */
	k = tcppanel_layout(rows, n, 100, lines, TCPPANEL_MAX_LINES);
	assert_in_range(k, 10, 18);
	for (i = 0; i < k; i++) {
		assert_true(line_cols(&lines[i]) <= 100);
		assert_int_not_equal(lines[i].kind, TCPPANEL_HEAD);
		if (strstr(lines[i].text, "Segments retransmitted") != NULL)
			alert = lines[i].kind == TCPPANEL_ALERT;
	}
	assert_true(alert);
	both = strncmp(lines[0].text, " State ", 7) == 0 &&
	    strstr(lines[0].text, " Bytes sent ") != NULL;
	assert_true(both);
	/* the state's words wrap in their column; the right half's values
	 * line up still */
	c = col_of(lines[0].text, "1000 B");
	assert_true(c > 50);
	assert_int_equal(col_of(lines[1].text, "989 B"), c);
	assert_int_equal(col_of(lines[1].text, "FIN, waiting for an"),
	    col_of(lines[0].text, "CLOSING"));
	/* 99 columns: one column, every row's value in it */
	k = tcppanel_layout(rows, n, 99, lines, TCPPANEL_MAX_LINES);
	assert_int_equal(k, TCPPANEL_NROWS + TCPPANEL_NSECTIONS);
	for (i = 0; i < k; i++)
		assert_true(line_cols(&lines[i]) <= 99);
	/* 40 columns: nothing wider, long values under their labels */
	k = tcppanel_layout(rows, n, 40, lines, TCPPANEL_MAX_LINES);
	assert_true(k > TCPPANEL_NROWS + TCPPANEL_NSECTIONS);
	for (i = 0; i < k; i++)
		assert_true(line_cols(&lines[i]) <= 40);
	for (i = 0; i < k && strcmp(lines[i].text, " State") != 0; i++)
		;
	assert_true(i + 1 < k);
	assert_string_equal(lines[i + 1].text,
	    "   CLOSING: both sent FIN, waiting for");
	assert_string_equal(lines[i + 2].text, "   an ACK");
	/* room for fewer lines than the table: only that many, no overrun */
	assert_int_equal(tcppanel_layout(rows, n, 40, lines, 3), 3);
	assert_int_equal(tcppanel_layout(rows, n, 120, lines, 3), 3);
}

static void
test_help(void **state)
{
	static const char *const concept[] = { "handshake",
	    "sequence numbers", "ACK", "retransmi", "sliding window",
	    "slow start", "FIN", "TIME_WAIT", "congestion window" };
	char all[8192] = "";
	size_t i;
	const char *h;

	(void)state;
	for (i = 0; (h = tcppanel_help(i)) != NULL; i++) {
		assert_true(strlen(h) > 20);
		assert_true(h[strlen(h) - 1] == '.');	/* a whole sentence */
		strncat(all, h, sizeof all - strlen(all) - 1);
	}
	assert_int_equal(i, TCPPANEL_NHELP);
	for (i = 0; i < sizeof concept / sizeof concept[0]; i++)
		if (strstr(all, concept[i]) == NULL)
			fail_msg("/tcp help never mentions '%s'", concept[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_filled),
		cmocka_unit_test(test_rows_missing),
		cmocka_unit_test(test_not_tcp),
		cmocka_unit_test(test_ssthresh_infinite),
		cmocka_unit_test(test_state_words),
		cmocka_unit_test(test_layout_wide_label),
		cmocka_unit_test(test_layout_widths),
		cmocka_unit_test(test_help),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_tcppanel: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
