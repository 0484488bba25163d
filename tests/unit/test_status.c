/* Unit tests for the status line: each fact once, names kept after the end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "count.h"
#include "status.h"

static void
test_waiting(void **state)
{
	struct status_facts f = { .phase = STATUS_WAITING, .listening = true,
	    .where = "listening on [::]:8888" };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "listening on [::]:8888 | waiting for a peer");
	assert_false(status_ticks(&f));
	/* a TLS listener: its certificate for the other side's pin, the
	 * first fact to go */
	f.tls_fingerprint = "sha256:AB:CD";
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "listening on [::]:8888 | waiting for a peer | TLS certificate "
	    "sha256:AB:CD");
	f.crlf = true;
	status_text(&f, 60, out, sizeof out);
	assert_string_equal(out, "listening on [::]:8888 | waiting for a peer "
	    "| CRLF");
}

static void
test_connected_says_each_thing_once(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED,
	    .where = "localhost 8888 (127.0.0.1:8888)", .peer = "127.0.0.1:8888",
	    .secs = 3723, .bytes_in = 1536, .bytes_out = 5 };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "localhost 8888 (127.0.0.1:8888) | 01:02:03 | in 1.5 KiB  out 5 B");
	assert_int_equal(count_of(out, "connected"), 0);
	assert_int_equal(count_of(out, "127.0.0.1:8888"), 1);
	assert_true(status_ticks(&f));
	f.peer_eof = true;
	f.queued = 2048;
	f.queue_full = true;
	f.crlf = true;
	f.waiting = 2;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| queued 2.0 KiB (FULL"));
	assert_non_null(strstr(out, "| the peer finished sending"));
	assert_non_null(strstr(out, "| CRLF"));
	assert_non_null(strstr(out, "2 peers waiting — /next to take it"));
}

static void
test_gone_keeps_name_and_totals(void **state)
{
	struct status_facts f = { .phase = STATUS_GONE, .listening = true,
	    .where = "listening on 127.0.0.1:9", .peer = "127.0.0.1:5555",
	    .end = "reset", .secs = 61, .bytes_in = 3 * 1048576, .bytes_out = 0,
	    .peer_eof = true };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "peer 127.0.0.1:5555 | reset after 00:01:01 | in 3.0 MiB  out 0 B");
	assert_false(status_ticks(&f));
	/* never overflows a short buffer */
	status_text(&f, 0, out, 10);
	assert_int_equal(strlen(out), 9);
}

static void
test_narrow_keeps_what_matters(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .listening = true,
	    .where = "listening on [::]:8889", .peer = "127.0.0.1:37908",
	    .secs = 3, .bytes_in = 200, .bytes_out = 10, .peer_eof = true,
	    .crlf = true, .waiting = 1 };
	char out[256];

	(void)state;
	/* everything fits in 200 columns */
	status_text(&f, 200, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:37908 | 00:00:03 | in 200 B  "
	    "out 10 B | the peer finished sending | CRLF | 1 peer waiting — "
	    "/next to take it");
	/* CRLF, the byte counts and the time go before the waiting peer */
	status_text(&f, 90, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:37908 | the peer finished "
	    "sending | 1 peer waiting — /next to take it");
	status_text(&f, 80, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:37908 | 1 peer waiting — "
	    "/next to take it");
	/* then the peer alone; never a number cut in half */
	status_text(&f, 40, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:37908");
	status_text(&f, 10, out, sizeof out);
	assert_string_equal(out, "peer 127.…");
	/* -u: a listener's peer is a UDP sender */
	f.udp = true;
	status_text(&f, 40, out, sizeof out);
	assert_string_equal(out, "UDP peer 127.0.0.1:37908");
}

/* Found by tests/fuzz/fuzz_status.c: a narrow line in a small buffer put
 * the ellipsis past the buffer's end. */
static void
test_small_buffer_ellipsis_inside(void **state)
{
	struct status_facts f = { .phase = STATUS_WAITING,
	    .where = "localhost 8888" };
	char out[32];
	size_t i;

	(void)state;
	/* 7 bytes hold "localh", 6 columns: cut to 4 and "…" (3 bytes + NUL)
	 * would end at byte 8 */
	memset(out, 'Z', sizeof out);
	status_text(&f, 5, out, 7);
	assert_true(strlen(out) < 7);
	for (i = 7; i < sizeof out; i++)
		assert_int_equal(out[i], 'Z');
	memset(out, 'Z', sizeof out);
	status_text(&f, 1, out, 3);
	assert_true(strlen(out) < 3);
	for (i = 3; i < sizeof out; i++)
		assert_int_equal(out[i], 'Z');
}

/* fuzz_status.c too: a buffer that ends inside "—" left half of it. */
static void
test_small_buffer_whole_characters(void **state)
{
	struct status_facts f = { .phase = STATUS_WAITING,
	    .where = "localhost 8888", .waiting = 2 };
	char out[256];
	const char *dash;
	size_t at;

	(void)state;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(dash = strstr(out, "\xe2\x80\x94"));
	at = (size_t)(dash - out);
	status_text(&f, 0, out, at + 2);	/* room for one byte of three */
	assert_int_equal(strlen(out), at);
	status_text(&f, 0, out, at + 3);
	assert_int_equal(strlen(out), at);
}

/* /send: the progress bar with bytes, rate and time left; a narrow line
 * loses the bar first, then the rate, the bytes, the time left. */
static void
test_send_progress(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .listening = true,
	    .peer = "127.0.0.1:5555", .secs = 3, .bytes_in = 10,
	    .bytes_out = 23592960, .queued = 1048576, .sending = true,
	    .send_done = 23592960, .send_total = 52428800, .send_sized = true,
	    .send_rate = 83886080, .send_left = 1 };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "peer 127.0.0.1:5555 | 00:00:03 | in 10 B  out 22.5 MiB | sending "
	    "[####......] 45% 22.5/50.0 MiB 80.0 MiB/s 0:01 left | queued 1.0 MiB");
	status_text(&f, 98, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:5555 | 00:00:03 | sending "
	    "[####......] 45% 22.5/50.0 MiB 80.0 MiB/s 0:01 left");
	status_text(&f, 90, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:5555 | 00:00:03 | sending "
	    "45% 22.5/50.0 MiB 80.0 MiB/s 0:01 left");
	status_text(&f, 65, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:5555 | sending 45% "
	    "22.5/50.0 MiB 0:01 left");
	status_text(&f, 50, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:5555 | sending 45% 0:01 left");
	status_text(&f, 35, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:5555 | sending 45%");
	/* all of it: full, no time to go */
	f.send_done = f.send_total;
	f.send_left = 0;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| sending [##########] 100% 50.0/50.0 MiB "
	    "80.0 MiB/s 0:00 left |"));
	/* hours; a small file in bytes; an empty one is all sent */
	f.send_done = 512;
	f.send_total = 1000;
	f.send_left = 3725;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| sending [#####.....] 51% 512/1000 B "
	    "80.0 MiB/s 1:02:05 left |"));
	f.send_done = f.send_total = 0;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| sending [##########] 100% 0/0 B "));
}

/* A file that grew while sent: past its size no share over 100% and no
 * time left, bytes and rate only; a time left below 0 is never shown. */
static void
test_send_progress_clamped(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .listening = true,
	    .peer = "127.0.0.1:5555", .secs = 3, .sending = true,
	    .send_done = 52428800 + 3 * 1048576, .send_total = 52428800,
	    .send_sized = true, .send_rate = 83886080, .send_left = 0 };
	char out[256];
	int cols;

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "peer 127.0.0.1:5555 | 00:00:03 | in 0 B  out 0 B | sending "
	    "53.0 MiB 80.0 MiB/s");
	f.send_left = -40;		/* a rate that says "done" already */
	for (cols = 0; cols < 120; cols += 7) {
		status_text(&f, cols, out, sizeof out);
		assert_null(strchr(out, '%'));
		assert_null(strstr(out, "left"));
		assert_null(strchr(out, '['));
	}
	/* within its size, a time below 0 is left out, the share stays */
	f.send_done = 1048576;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| sending [..........] 2% 1.0/50.0 MiB "
	    "80.0 MiB/s"));
	assert_null(strstr(out, "left"));
	assert_null(strstr(out, "-"));
	/* one byte past a small size: bytes, not 1001/1000 B or 100% */
	f.send_total = 1000;
	f.send_done = 1001;
	f.send_left = 0;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| sending 1001 B 80.0 MiB/s"));
	assert_null(strchr(out, '%'));
}

/* A FIFO whose writer has not come: it says so, and no bytes or rate. */
static void
test_send_waiting_for_writer(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .listening = true,
	    .peer = "127.0.0.1:5555", .secs = 3, .sending = true,
	    .send_waiting = true };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "peer 127.0.0.1:5555 | 00:00:03 | in 0 B  out 0 B | sending: "
	    "waiting for the FIFO's writer");
	status_text(&f, 60, out, sizeof out);
	assert_string_equal(out, "peer 127.0.0.1:5555 | sending: waiting for "
	    "the FIFO's writer");
	f.send_waiting = false;
	status_text(&f, 0, out, sizeof out);
	assert_null(strstr(out, "waiting"));
	assert_non_null(strstr(out, "| sending 0 B"));
}

/* A FIFO or a device: no size, so no bar, share or time left. */
static void
test_send_progress_unsized(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .listening = true,
	    .peer = "127.0.0.1:5555", .secs = 3, .sending = true,
	    .send_done = 3 * 1048576 + 524288, .send_rate = 0, .send_left = 7 };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "peer 127.0.0.1:5555 | 00:00:03 | in 0 B  out 0 B | sending 3.5 MiB");
	f.send_rate = 2048;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| sending 3.5 MiB 2.0 KiB/s"));
	assert_null(strchr(out, '%'));
	assert_null(strstr(out, "left"));
	assert_null(strchr(out, '['));
	/* no /send: not a word of it */
	f.sending = false;
	status_text(&f, 0, out, sizeof out);
	assert_null(strstr(out, "sending"));
}

/* TLS: the handshake while it goes on; then version, cipher and who was
 * verified, the cipher left out first on a narrow line. */
static void
test_tls_verified(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED,
	    .where = "example.com 443 (192.0.2.1:443)", .peer = "192.0.2.1:443",
	    .secs = 3, .tls_handshake = true };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "example.com 443 (192.0.2.1:443) | 00:00:03 | in 0 B  out 0 B | "
	    "TLS handshake...");
	f.tls_handshake = false;
	f.tls_version = "TLSv1.3";
	f.tls_cipher = "TLS_AES_256_GCM_SHA384";
	f.tls_who = "verified example.com";
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "example.com 443 (192.0.2.1:443) | 00:00:03 | in 0 B  out 0 B | "
	    "TLSv1.3 TLS_AES_256_GCM_SHA384 verified example.com");
	assert_int_equal(count_of(out, "TLS_AES"), 1);
	assert_null(strstr(out, "handshake"));
	/* narrow: the counts go first, then the cipher, then the time */
	status_text(&f, 82, out, sizeof out);
	assert_string_equal(out, "example.com 443 (192.0.2.1:443) | 00:00:03 | "
	    "TLSv1.3 verified example.com");
	status_text(&f, 70, out, sizeof out);
	assert_string_equal(out, "example.com 443 (192.0.2.1:443) | "
	    "TLSv1.3 verified example.com");
	/* a peer gone: no TLS words left over */
	f.phase = STATUS_GONE;
	status_text(&f, 0, out, sizeof out);
	assert_null(strstr(out, "TLS"));
}

/* An unverified peer is said loudly and is the last fact to go. */
static void
test_tls_unverified_stays(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .listening = false,
	    .where = "localhost 8443 (127.0.0.1:8443)", .secs = 3,
	    .bytes_in = 10, .crlf = true, .peer_eof = true,
	    .tls_version = "TLSv1.3", .tls_cipher = "TLS_AES_256_GCM_SHA384",
	    .tls_who = "accepted once", .tls_unverified = true };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "localhost 8443 (127.0.0.1:8443) | 00:00:03 | in 10 B  out 0 B | "
	    "TLSv1.3 TLS_AES_256_GCM_SHA384 UNVERIFIED (accepted once) | the "
	    "peer finished sending | CRLF");
	/* everything else goes before it */
	status_text(&f, 70, out, sizeof out);
	assert_string_equal(out, "localhost 8443 (127.0.0.1:8443) | TLSv1.3 "
	    "UNVERIFIED (accepted once)");
	/* no reason given: the word alone */
	f.tls_who = NULL;
	f.tls_cipher = NULL;
	status_text(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "| TLSv1.3 UNVERIFIED |"));
	/* even with a file going out and a peer waiting it outlasts them */
	f.sending = true;
	f.send_done = 10;
	f.waiting = 1;
	status_text(&f, 55, out, sizeof out);
	assert_string_equal(out, "localhost 8443 (127.0.0.1:8443) | TLSv1.3 "
	    "UNVERIFIED");
}

/* A certificate's long name is cut on a character, never inside one. */
static void
test_tls_long_name_whole_characters(void **state)
{
	char who[400], out[512];
	struct status_facts f = { .phase = STATUS_CONNECTED,
	    .where = "h 1", .tls_version = "TLSv1.2", .tls_who = who,
	    .crlf = true };
	size_t i, n;

	(void)state;
	memcpy(who, "verified: ", 10);
	for (i = 10; i + 2 < sizeof who; i += 2)
		memcpy(who + i, "\xc3\xa9", 2);	/* é */
	who[i] = '\0';
	status_text(&f, 0, out, sizeof out);
	n = strlen(out);
	assert_true(n > 100);
	/* the name ends in a whole é, never a lone lead byte, and the facts
	 * after it follow */
	assert_string_equal(out + n - 9, "\xc3\xa9 | CRLF");
}

/* The alarm colour: an unverified peer while connected, an end in a
 * refusal; never a verified peer, a plain one, or a normal end. */
static void
test_alert(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED,
	    .where = "h 1", .tls_version = "TLSv1.3", .tls_unverified = true };

	(void)state;
	assert_true(status_alert(&f));
	f.tls_unverified = false;
	assert_false(status_alert(&f));
	f.tls_version = NULL;
	f.tls_unverified = true;	/* no TLS yet: nothing to be loud about */
	assert_false(status_alert(&f));
	f.phase = STATUS_GONE;
	f.end = "closed";
	assert_false(status_alert(&f));
	f.end = "certificate refused";
	f.end_alert = true;
	assert_true(status_alert(&f));
	f.phase = STATUS_WAITING;
	assert_false(status_alert(&f));
}

/* TCP's facts: RTT and retransmissions, and what is in flight only while
 * something is; they go before the byte counts on a narrow line. */
static void
test_tcp_facts(void **state)
{
	struct status_facts f = { .phase = STATUS_CONNECTED, .where = "h 1",
	    .secs = 3, .bytes_in = 10, .bytes_out = 20, .tcp = true,
	    .tcp_rtt_us = 1500 };
	char out[256];

	(void)state;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "h 1 | 00:00:03 | in 10 B  out 20 B | rtt 1.50 ms retrans 0");
	f.tcp_unacked = 1536;
	f.tcp_retrans = 2;
	f.tcp_rtt_us = 250000;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "h 1 | 00:00:03 | in 10 B  out 20 B | rtt 250.0 ms retrans 2 | "
	    "in flight 1.5 KiB  unsent 0 B");
	/* narrower: what is in flight goes first, then the RTT, then bytes */
	status_text(&f, 60, out, sizeof out);
	assert_string_equal(out, "h 1 | 00:00:03 | in 10 B  out 20 B | rtt "
	    "250.0 ms retrans 2");
	status_text(&f, 40, out, sizeof out);
	assert_string_equal(out, "h 1 | 00:00:03 | in 10 B  out 20 B");
	/* after TLS's facts, and gone before them */
	f.tls_version = "TLSv1.3";
	f.tls_who = "verified example.com";
	f.tcp_unacked = 0;
	assert_string_equal(status_text(&f, 0, out, sizeof out),
	    "h 1 | 00:00:03 | in 10 B  out 20 B | TLSv1.3 verified example.com "
	    "| rtt 250.0 ms retrans 2");
	status_text(&f, 70, out, sizeof out);
	assert_string_equal(out, "h 1 | 00:00:03 | in 10 B  out 20 B | TLSv1.3 "
	    "verified example.com");
	f.tls_version = NULL;
	/* no TCP figures (a Unix socket): nothing said */
	f.tcp = false;
	status_text(&f, 0, out, sizeof out);
	assert_null(strstr(out, "rtt"));
	assert_null(strstr(out, "in flight"));
	/* not once the peer is gone */
	f.tcp = true;
	f.phase = STATUS_GONE;
	status_text(&f, 0, out, sizeof out);
	assert_null(strstr(out, "rtt"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waiting),
		cmocka_unit_test(test_connected_says_each_thing_once),
		cmocka_unit_test(test_gone_keeps_name_and_totals),
		cmocka_unit_test(test_narrow_keeps_what_matters),
		cmocka_unit_test(test_small_buffer_ellipsis_inside),
		cmocka_unit_test(test_small_buffer_whole_characters),
		cmocka_unit_test(test_send_progress),
		cmocka_unit_test(test_send_progress_unsized),
		cmocka_unit_test(test_send_progress_clamped),
		cmocka_unit_test(test_send_waiting_for_writer),
		cmocka_unit_test(test_tls_verified),
		cmocka_unit_test(test_tls_unverified_stays),
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_tls_long_name_whole_characters),
		cmocka_unit_test(test_tcp_facts),
	};

	return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
