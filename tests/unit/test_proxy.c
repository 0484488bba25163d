/* Unit tests for proxy.c's pure half: base64, the HTTP CONNECT request and
 * reply header, SOCKS4/4a and SOCKS5 requests and replies, byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opts.h"
#include "proxy.h"

static void
test_base64(void **state)
{
	char out[64];

	(void)state;
	/* RFC 4648 section 10 */
	assert_int_equal(proxy_base64("", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(proxy_base64("f", 1, out, sizeof out), 4);
	assert_string_equal(out, "Zg==");
	proxy_base64("fo", 2, out, sizeof out);
	assert_string_equal(out, "Zm8=");
	proxy_base64("foo", 3, out, sizeof out);
	assert_string_equal(out, "Zm9v");
	proxy_base64("foobar", 6, out, sizeof out);
	assert_string_equal(out, "Zm9vYmFy");
	proxy_base64("Aladdin:open sesame", 19, out, sizeof out);
	assert_string_equal(out, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	proxy_base64("\xff\xfe", 2, out, sizeof out);
	assert_string_equal(out, "//4=");
	/* too small for "Zm9v" and its NUL */
	assert_int_equal(proxy_base64("foo", 3, out, 4), 0);
	assert_int_equal(proxy_base64("foo", 3, out, 5), 4);
}

static void
test_http_request(void **state)
{
	char buf[512];
	size_t n;

	(void)state;
	n = proxy_http_request(buf, sizeof buf, "example.org", 443, NULL);
	assert_string_equal(buf, "CONNECT example.org:443 HTTP/1.1\r\n"
	    "Host: example.org:443\r\n\r\n");
	assert_int_equal(n, strlen(buf));
	proxy_http_request(buf, sizeof buf, "::1", 80, "Aladdin:open sesame");
	assert_string_equal(buf, "CONNECT [::1]:80 HTTP/1.1\r\n"
	    "Host: [::1]:80\r\n"
	    "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n");
	assert_int_equal(proxy_http_request(buf, 20, "example.org", 443, NULL), 0);
	{	/* a host too long for the request line: refused, never cut */
		char host[298], big[2048];

		memset(host, 'a', sizeof host - 1);
		host[sizeof host - 1] = '\0';
		assert_int_equal(proxy_http_request(big, sizeof big, host, 8080,
		    NULL), 0);
		host[250] = '\0';	/* 250 bytes fit, port and all */
		assert_true(proxy_http_request(big, sizeof big, host, 8080,
		    NULL) > 0);
		assert_non_null(strstr(big, "aaa:8080 HTTP/1.1\r\n"));
	}
}

static void
test_http_reply(void **state)
{
	static const char ok[] = "HTTP/1.1 200 Connection established\r\n"
	    "Proxy-Agent: x\r\n\r\nHELLO";
	static const char denied[] = "HTTP/1.0 407 Proxy Authentication "
	    "Required\r\nProxy-Authenticate: Basic\r\n\r\n";
	char line[100];

	(void)state;
	/* the header ends at the blank line; HELLO is the peer's */
	assert_int_equal(proxy_http_header_end(ok, sizeof ok - 1),
	    sizeof ok - 1 - 5);
	assert_int_equal(proxy_http_header_end(ok, 40), 0);
	assert_int_equal(proxy_http_header_end("HTTP/1.1 200 OK\n\nX", 18), 17);
	assert_int_equal(proxy_http_header_end("\r\n\r", 3), 0);
	assert_int_equal(proxy_http_status(ok, sizeof ok - 1, line, sizeof line),
	    200);
	assert_string_equal(line, "HTTP/1.1 200 Connection established");
	assert_int_equal(proxy_http_status(denied, sizeof denied - 1, line,
	    sizeof line), 407);
	assert_string_equal(line, "HTTP/1.0 407 Proxy Authentication Required");
	/* not HTTP; control bytes in the status line are dropped */
	assert_int_equal(proxy_http_status("SSH-2.0-x\r\n\r\n", 13, line,
	    sizeof line), -1);
	assert_int_equal(proxy_http_status("HTTP/1.1 2x0 OK\r\n\r\n", 19, line,
	    sizeof line), -1);
	assert_int_equal(proxy_http_status("HTTP/1.1 403 \033[2JNo\r\n\r\n", 23,
	    line, sizeof line), 403);
	assert_string_equal(line, "HTTP/1.1 403 [2JNo");
	assert_int_equal(proxy_http_status("HTTP/1.1 200 OK\r\n", 17, line, 8),
	    200);
	assert_string_equal(line, "HTTP/1.");
}

static void
test_socks4(void **state)
{
	static const unsigned char v4[4] = { 127, 0, 0, 1 };
	static const unsigned char want_ip[] = { 4, 1, 0x1f, 0x90, 127, 0, 0, 1,
	    'b', 'o', 'b', 0 };
	static const unsigned char want_name[] = { 4, 1, 0, 80, 0, 0, 0, 1, 0,
	    'e', 'x', '.', 'o', 'r', 'g', 0 };
	static const unsigned char granted[8] = { 0, 0x5a };
	static const unsigned char rejected[8] = { 0, 0x5b };
	static const unsigned char junk[8] = { 'H', 'T' };
	unsigned char buf[64];

	(void)state;
	assert_int_equal(proxy_socks4_request(buf, sizeof buf, v4, NULL, 8080,
	    "bob"), sizeof want_ip);
	assert_memory_equal(buf, want_ip, sizeof want_ip);
	/* SOCKS4a: address 0.0.0.1, the name after the (empty) user */
	assert_int_equal(proxy_socks4_request(buf, sizeof buf, NULL, "ex.org",
	    80, NULL), sizeof want_name);
	assert_memory_equal(buf, want_name, sizeof want_name);
	assert_int_equal(proxy_socks4_request(buf, 10, NULL, "ex.org", 80,
	    NULL), 0);
	assert_null(proxy_socks4_reply(granted));
	assert_string_equal(proxy_socks4_reply(rejected),
	    "request rejected or failed");
	assert_string_equal(proxy_socks4_reply(junk), "not a SOCKS4 reply");
}

static void
test_socks5_requests(void **state)
{
	static const unsigned char name[] = { 5, 1, 0, 3, 9, 'l', 'o', 'c',
	    'a', 'l', 'h', 'o', 's', 't', 0x22, 0xb8 };
	static const unsigned char v4[] = { 5, 1, 0, 1, 10, 0, 0, 2, 0, 22 };
	static const unsigned char v6[] = { 5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 1, 1, 0xbb };
	static const unsigned char auth[] = { 1, 3, 'b', 'o', 'b', 4, 's', ':',
	    '3', 'x' };
	unsigned char buf[600];
	char longname[300];

	(void)state;
	assert_int_equal(proxy_socks5_greeting(buf, sizeof buf, false), 3);
	assert_memory_equal(buf, "\x05\x01\x00", 3);
	assert_int_equal(proxy_socks5_greeting(buf, sizeof buf, true), 4);
	assert_memory_equal(buf, "\x05\x02\x00\x02", 4);

	/* a name goes to the proxy as a name: no local lookup */
	assert_int_equal(proxy_socks5_request(buf, sizeof buf, "localhost",
	    8888), sizeof name);
	assert_memory_equal(buf, name, sizeof name);
	assert_int_equal(proxy_socks5_request(buf, sizeof buf, "10.0.0.2", 22),
	    sizeof v4);
	assert_memory_equal(buf, v4, sizeof v4);
	assert_int_equal(proxy_socks5_request(buf, sizeof buf, "::1", 443),
	    sizeof v6);
	assert_memory_equal(buf, v6, sizeof v6);
	memset(longname, 'a', 256);
	longname[256] = '\0';
	assert_int_equal(proxy_socks5_request(buf, sizeof buf, longname, 1), 0);
	longname[255] = '\0';
	assert_int_equal(proxy_socks5_request(buf, sizeof buf, longname, 1),
	    4 + 1 + 255 + 2);
	assert_int_equal(proxy_socks5_request(buf, 15, "localhost", 1), 0);

	/* RFC 1929: the password may hold a colon */
	assert_int_equal(proxy_socks5_auth(buf, sizeof buf, "bob:s:3x"),
	    sizeof auth);
	assert_memory_equal(buf, auth, sizeof auth);
	assert_int_equal(proxy_socks5_auth(buf, sizeof buf, "nocolon"), 0);
	memset(longname, 'u', 256);
	longname[256] = ':';
	longname[257] = '\0';
	assert_int_equal(proxy_socks5_auth(buf, sizeof buf, longname), 0);
}

static void
test_socks5_replies(void **state)
{
	static const unsigned char r1[5] = { 5, 0, 0, 1, 127 };
	static const unsigned char r3[5] = { 5, 0, 0, 3, 9 };
	static const unsigned char r4[5] = { 5, 0, 0, 4, 0 };
	static const unsigned char bad[5] = { 5, 0, 0, 7, 0 };
	static const unsigned char v4[5] = { 4, 0x5a, 0, 1, 0 };

	(void)state;
	assert_int_equal(proxy_socks5_reply_len(r1), 10);
	assert_int_equal(proxy_socks5_reply_len(r3), 4 + 1 + 9 + 2);
	assert_int_equal(proxy_socks5_reply_len(r4), 22);
	assert_int_equal(proxy_socks5_reply_len(bad), 0);
	assert_int_equal(proxy_socks5_reply_len(v4), 0);
	assert_string_equal(proxy_socks5_reply_word(1), "general failure");
	assert_string_equal(proxy_socks5_reply_word(2),
	    "connection not allowed by ruleset");
	assert_string_equal(proxy_socks5_reply_word(3), "network unreachable");
	assert_string_equal(proxy_socks5_reply_word(4), "host unreachable");
	assert_string_equal(proxy_socks5_reply_word(5), "connection refused");
	assert_string_equal(proxy_socks5_reply_word(6), "TTL expired");
	assert_string_equal(proxy_socks5_reply_word(7), "command not supported");
	assert_string_equal(proxy_socks5_reply_word(8),
	    "address type not supported");
	assert_string_equal(proxy_socks5_reply_word(9), "unknown reply code");
	assert_string_equal(proxy_socks5_reply_word(-1), "unknown reply code");
}

static void
test_where(void **state)
{
	struct tt_opts o;
	char buf[300];

	(void)state;
	memset(&o, 0, sizeof o);
	o.host = "localhost";
	o.port = "8888";
	o.proxy = "[::1]:1080";
	o.proxy_type = OPTS_PROXY_SOCKS5;
	proxy_where(&o, buf, sizeof buf);
	assert_string_equal(buf, "localhost 8888 via proxy [::1]:1080 (socks5)");
	assert_string_equal(proxy_type_name(OPTS_PROXY_HTTP), "http");
	assert_string_equal(proxy_type_name(OPTS_PROXY_SOCKS4), "socks4");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_http_reply),
		cmocka_unit_test(test_socks4),
		cmocka_unit_test(test_socks5_requests),
		cmocka_unit_test(test_socks5_replies),
		cmocka_unit_test(test_where),
	};

	return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
