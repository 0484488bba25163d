/* Unit tests for TCP's facts in words: the -v summary, what limited
 * sending, the --stats-json object (valid JSON, escaped addresses, null
 * for what the kernel does not say), and a read of a real socket. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tcpinfo.h"

/* ---- a strict little JSON checker: one value, nothing after it ---- */

static const char	*jvalue(const char *);

static const char *
jspace(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *
jstring(const char *p)
{
	int i;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;		/* also the NUL at the end */
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (i = 1; i <= 4; i++)
					if (strchr("0123456789abcdefABCDEF",
					    p[i]) == NULL || p[i] == '\0')
						return NULL;
				p += 4;
			} else if (*p == '\0' || strchr("\"\\/bfnrt", *p) == NULL)
				return NULL;
		}
		p++;
	}
	return p + 1;
}

static const char *
jnumber(const char *p)
{
	const char *start;

	if (*p == '-')
		p++;
	start = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == start)
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

static const char *
jobject(const char *p)
{
	p = jspace(p + 1);
	if (*p == '}')
		return p + 1;
	for (;;) {
		if ((p = jstring(jspace(p))) == NULL)
			return NULL;
		p = jspace(p);
		if (*p++ != ':' || (p = jvalue(p)) == NULL)
			return NULL;
		p = jspace(p);
		if (*p == '}')
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *
jvalue(const char *p)
{
	p = jspace(p);
	if (*p == '{')
		return jobject(p);
	if (*p == '"')
		return jstring(p);
	if (strncmp(p, "null", 4) == 0 || strncmp(p, "true", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	return jnumber(p);
}

static bool
json_valid(const char *s)
{
	const char *end = jvalue(s);

	return end != NULL && *jspace(end) == '\0';
}

/* ---- made-up connections ---- */

static struct tcpinfo_conn
made_up(void)
{
	struct tcpinfo_conn c = { .local = "127.0.0.1:8888",
	    .remote = "127.0.0.1:5555", .end = "closed", .start_ms = 0,
	    .duration_ms = 2000, .bytes_in = 1048576, .bytes_out = 0 };

	c.ti = (struct tcpinfo){ .ok = true, .state = 7, .rtt_us = 1500,
	    .rttvar_us = 300, .min_rtt_us = 800, .rto_us = 204000,
	    .snd_mss = 1448, .rcv_mss = 1448, .cwnd = 10,
	    .ssthresh = TCPINFO_INFINITE, .snd_wnd = 65536,
	    .have_snd_wnd = true, .rcv_space = 14480, .bytes_sent = 0,
	    .have_bytes_sent = true, .bytes_acked = 1,
	    .bytes_received = 1048577, .segs_in = 800, .segs_out = 400,
	    .total_retrans = 3, .delivery_rate = 123456, .have_rate = true,
	    .busy_us = 1000000, .rwnd_limited_us = 700000,
	    .sndbuf_limited_us = 100000, .have_busy = true, .unacked = 0,
	    .unsent = 0, .unread = 0 };
	return c;
}

static void
test_summary_words(void **state)
{
	struct tcpinfo_conn c = made_up();
	char out[512];

	(void)state;
	assert_string_equal(tcpinfo_summary(&c, out, sizeof out),
	    "127.0.0.1:5555: received 1.0 MiB and sent 0 B in 2.00 s "
	    "(512.0 KiB/s), RTT min 0.800 ms avg 1.50 ms, retransmissions: 3; "
	    "sending was held back mostly by the peer's receive window (70% "
	    "of the busy time).");
	/* sent nothing: no word on what held sending back */
	c.ti.busy_us = c.ti.rwnd_limited_us = c.ti.sndbuf_limited_us = 0;
	c.ti.rtt_us = 25000;
	assert_string_equal(tcpinfo_summary(&c, out, sizeof out),
	    "127.0.0.1:5555: received 1.0 MiB and sent 0 B in 2.00 s "
	    "(512.0 KiB/s), RTT min 0.800 ms avg 25.0 ms, retransmissions: 3.");
	/* a Unix socket, or not Linux */
	c.ti.ok = false;
	assert_string_equal(tcpinfo_summary(&c, out, sizeof out),
	    "127.0.0.1:5555: received 1.0 MiB and sent 0 B in 2.00 s "
	    "(512.0 KiB/s); this socket gives no TCP figures.");
	/* never past the buffer */
	tcpinfo_summary(&c, out, 20);
	assert_int_equal(strlen(out), 19);
}

/*
 * A sender that closed with bytes still in its kernel (the receiver had
 * sent its FIN and read slowly): its write took 4 ms, delivery did not.
 * The rate counts what the peer acknowledged, a sentence says the rest.
 */
static void
test_summary_queued(void **state)
{
	struct tcpinfo_conn c = made_up();
	char out[1024];

	(void)state;
	c.duration_ms = 4;
	c.bytes_in = 0;
	c.bytes_out = 4194304;
	c.ti.state = 9;			/* LAST_ACK: our FIN is queued too */
	c.ti.unacked = 786432;
	c.ti.unsent = 262145;		/* 256 KiB and the FIN */
	assert_string_equal(tcpinfo_summary(&c, out, sizeof out),
	    "127.0.0.1:5555: received 0 B and sent 4.0 MiB in 0.004 s "
	    "(750.0 MiB/s), RTT min 0.800 ms avg 1.50 ms, retransmissions: 3; "
	    "sending was held back mostly by the peer's receive window (70% "
	    "of the busy time). Of the 4.0 MiB sent, 1.0 MiB were still in "
	    "the kernel's queue when the socket closed; the rate counts only "
	    "the bytes the peer acknowledged.");
	assert_true(tcpinfo_json(&c, out, sizeof out) > 0);
	assert_non_null(strstr(out, "\"throughput\":786432000,"));
	/* only our FIN unacknowledged: every byte arrived */
	c.ti.unacked = 1;
	c.ti.unsent = 0;
	assert_non_null(strstr(tcpinfo_summary(&c, out, sizeof out),
	    " in 0.004 s (1000.0 MiB/s), "));
	assert_null(strstr(out, "queue"));
	/* no FIN yet (ESTABLISHED, -q ended the run): every byte counts */
	c.ti.state = 1;
	assert_non_null(strstr(tcpinfo_summary(&c, out, sizeof out),
	    " Of the 4.0 MiB sent, 1 B were still in the kernel's queue "));
	/* over TLS the queue holds records: never more than was sent */
	c.ti.unsent = 5000000;
	assert_non_null(strstr(tcpinfo_summary(&c, out, sizeof out),
	    " in 0.004 s (0 B/s), "));
	/* the queue not known: the sentence as before */
	c.ti.unsent = -1;
	assert_null(strstr(tcpinfo_summary(&c, out, sizeof out), "queue"));
	/* never past the buffer, the sentence cut too */
	c.ti.unsent = 1000;
	tcpinfo_summary(&c, out, 300);
	assert_int_equal(strlen(out), 299);
}

static void
test_limited_choice(void **state)
{
	struct tcpinfo ti = made_up().ti;
	int pct;

	(void)state;
	assert_int_equal(tcpinfo_limited(&ti, 1500, &pct), TCPINFO_LIMIT_RWND);
	assert_int_equal(pct, 70);
	ti.sndbuf_limited_us = 800000;	/* more than busy with the window */
	ti.rwnd_limited_us = 150000;
	assert_int_equal(tcpinfo_limited(&ti, 1500, &pct), TCPINFO_LIMIT_SNDBUF);
	assert_int_equal(pct, 80);
	ti.sndbuf_limited_us = 100000;	/* the rest is the congestion window */
	assert_int_equal(tcpinfo_limited(&ti, 1500, &pct), TCPINFO_LIMIT_CWND);
	assert_int_equal(pct, 75);
	ti.sndbuf_limited_us = 2000000;	/* odd counters clamp to 100% */
	assert_int_equal(tcpinfo_limited(&ti, 1500, &pct), TCPINFO_LIMIT_SNDBUF);
	assert_int_equal(pct, 100);
	/* busy 1 s of 10: the program set the pace */
	assert_int_equal(tcpinfo_limited(&ti, 10000, &pct), TCPINFO_LIMIT_APP);
	assert_int_equal(pct, 10);
	/* found by fuzz_tcpinfo: huge figures overflowed into 2175% */
	ti.busy_us = UINT64_MAX / 3;
	ti.rwnd_limited_us = UINT64_MAX / 4;
	ti.sndbuf_limited_us = UINT64_MAX / 2;
	assert_int_equal(tcpinfo_limited(&ti, 1000, &pct),
	    TCPINFO_LIMIT_SNDBUF);
	assert_int_equal(pct, 100);
	ti.sndbuf_limited_us = 0;
	assert_int_equal(tcpinfo_limited(&ti, 1, &pct), TCPINFO_LIMIT_RWND);
	assert_int_equal(pct, 75);
	ti.sndbuf_limited_us = 100000;
	ti.rwnd_limited_us = 150000;
	ti.busy_us = 0;
	assert_int_equal(tcpinfo_limited(&ti, 1500, &pct), TCPINFO_LIMIT_NONE);
	ti.busy_us = 1000000;
	ti.have_busy = false;		/* a kernel before 4.10 */
	assert_int_equal(tcpinfo_limited(&ti, 1500, &pct), TCPINFO_LIMIT_NONE);
	assert_int_equal(pct, 0);
}

static void
test_json_valid_and_escaped(void **state)
{
	struct tcpinfo_conn c = made_up();
	char out[4096];
	size_t n;

	(void)state;
	n = tcpinfo_json(&c, out, sizeof out);
	assert_int_equal(n, strlen(out));
	assert_true(json_valid(out));
	assert_non_null(strstr(out, "{\"start\":\"1970-01-01T00:00:00.000Z\","
	    "\"duration_s\":2.000,\"local\":\"127.0.0.1:8888\","
	    "\"remote\":\"127.0.0.1:5555\",\"end\":\"closed\",\"error\":null,"
	    "\"bytes_in\":1048576,\"bytes_out\":0,"));
	assert_non_null(strstr(out, "\"state\":\"CLOSE\","));
	assert_non_null(strstr(out, "\"ssthresh\":null,\"snd_wnd\":65536,"));
	assert_non_null(strstr(out, "\"retransmissions\":3,"));
	assert_non_null(strstr(out, "\"limited_by\":\"rwnd\",\"limited_pct\":70}}"));
	/* an address with quotes, backslashes and control bytes stays JSON */
	c.remote = "a\"b\\c\nd\x1b\xff";
	c.error = "reset";
	c.ti.have_snd_wnd = c.ti.have_busy = false;
	c.ti.unacked = -1;
	c.start_ms = 1764113400123;	/* 2025-11-25T23:30:00.123Z */
	n = tcpinfo_json(&c, out, sizeof out);
	assert_true(n > 0);
	assert_true(json_valid(out));
	assert_non_null(strstr(out, "\"remote\":\"a\\\"b\\\\c\\u000ad\\u001b"
	    "\\u00ff\","));
	assert_non_null(strstr(out, "\"start\":\"2025-11-25T23:30:00.123Z\""));
	assert_non_null(strstr(out, "\"error\":\"reset\""));
	assert_non_null(strstr(out, "\"snd_wnd\":null,"));
	assert_non_null(strstr(out, "\"busy_us\":null,"));
	assert_non_null(strstr(out, "\"unacked\":null,"));
	assert_non_null(strstr(out, "\"limited_by\":null,\"limited_pct\":null}"));
	/* no TCP figures: "tcp":null */
	c.ti.ok = false;
	n = tcpinfo_json(&c, out, sizeof out);
	assert_true(json_valid(out));
	assert_non_null(strstr(out, ",\"tcp\":null}"));
}

static void
test_json_small_buffer(void **state)
{
	struct tcpinfo_conn c = made_up();
	char out[4096];
	size_t full, n;

	(void)state;
	full = tcpinfo_json(&c, out, sizeof out);
	assert_true(full > 0);
	/* one byte short of the NUL: nothing, never a cut object */
	memset(out, 'x', sizeof out);
	assert_int_equal(tcpinfo_json(&c, out, full), 0);
	assert_int_equal(out[full], 'x');
	for (n = 0; n < full; n += 37)
		assert_int_equal(tcpinfo_json(&c, out, n), 0);
	assert_int_equal(tcpinfo_json(&c, out, full + 1), full);
}

static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(tcpinfo_state_name(1), "ESTABLISHED");
	assert_string_equal(tcpinfo_state_name(8), "CLOSE_WAIT");
	assert_string_equal(tcpinfo_state_name(11), "CLOSING");
	assert_string_equal(tcpinfo_state_name(12), "?");
	assert_string_equal(tcpinfo_state_name(-1), "?");
}

/* A Unix socket has no TCP figures; a loopback connection has them. */
static void
test_read_sockets(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	struct tcpinfo ti;
	struct pollfd pfd;
	int sv[2], l, c, s;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(tcpinfo_read(sv[0], &ti), -1);
	assert_false(ti.ok);
	assert_int_equal(ti.unread, -1);
	close(sv[0]);
	close(sv[1]);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((l = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
	assert_true((c = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof a), 0);
	assert_true((s = accept(l, NULL, NULL)) >= 0);
	assert_int_equal(write(c, "hello", 5), 5);
	pfd = (struct pollfd){ .fd = s, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(tcpinfo_read(c, &ti), 0);
	assert_true(ti.ok);
	assert_string_equal(tcpinfo_state_name(ti.state), "ESTABLISHED");
	assert_true(ti.snd_mss > 0);
	if (ti.have_bytes_sent)
		assert_int_equal(ti.bytes_sent, 5);
	assert_int_equal(ti.unsent, 0);
	assert_int_equal(tcpinfo_read(s, &ti), 0);
	assert_int_equal(ti.unread, 5);
	assert_int_equal(ti.bytes_received, 5);
	close(c);
	close(s);
	close(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_words),
		cmocka_unit_test(test_summary_queued),
		cmocka_unit_test(test_limited_choice),
		cmocka_unit_test(test_json_valid_and_escaped),
		cmocka_unit_test(test_json_small_buffer),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_read_sockets),
	};

	return cmocka_run_group_tests_name("tcpinfo", tests, NULL, NULL);
}
