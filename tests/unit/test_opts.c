/* Unit tests for opts.c: every flag and every bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "opts.h"

static char err[256];

static enum opts_result
parse(struct tt_opts *o, const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	const char *a;
	va_list ap;

	argv[argc++] = (char *)"tcptalk";
	va_start(ap, first);
	for (a = first; a != NULL && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return opts_parse(o, argc, argv, err, sizeof err);
}

static void
test_connect_defaults(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "example.org", "80", NULL), OPTS_OK);
	assert_false(o.listen);
	assert_string_equal(o.host, "example.org");
	assert_string_equal(o.port, "80");
	assert_int_equal(o.family, AF_UNSPEC);
	assert_int_equal(o.wait_ms, OPTS_NO_TIMEOUT);
	assert_int_equal(o.idle_ms, OPTS_NO_TIMEOUT);
	assert_int_equal(o.quit_ms, OPTS_NO_TIMEOUT);
	assert_int_equal(o.scrollback, OPTS_SCROLLBACK_DEFAULT);
	assert_null(o.source_port);
}

static void
test_every_flag(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-4", "-n", "-s", "127.0.0.2", "-p", "4000",
	    "-w", "2.5", "-i", "3", "-q", "0", "--no-shutdown", "-C", "-v",
	    "-t", "--line", "--no-history", "--scrollback", "500",
	    "127.0.0.1", "http", NULL), OPTS_OK);
	assert_int_equal(o.family, AF_INET);
	assert_true(o.numeric);
	assert_string_equal(o.source_addr, "127.0.0.2");
	assert_string_equal(o.source_port, "4000");
	assert_int_equal(o.wait_ms, 2500);
	assert_int_equal(o.idle_ms, 3000);
	assert_int_equal(o.quit_ms, 0);
	assert_true(o.no_shutdown && o.crlf && o.verbose && o.timestamps);
	assert_true(o.line_mode && o.no_history);
	assert_int_equal(o.scrollback, 500);
	assert_string_equal(o.port, "http");

	assert_int_equal(parse(&o, "--ipv6", "--numeric", "--wait", "1",
	    "--idle-timeout", "1", "--quit-after-eof", "1", "--crlf",
	    "--verbose", "--timestamps", "--source", "::1", "--source-port",
	    "5000", "::1", "7", NULL), OPTS_OK);
	assert_int_equal(o.family, AF_INET6);
	assert_true(o.numeric && o.crlf && o.verbose && o.timestamps);
	assert_int_equal(o.wait_ms, 1000);

	/* -x FILE, both spellings, in both modes */
	assert_int_equal(parse(&o, "h", "1", NULL), OPTS_OK);
	assert_null(o.hex_dump);
	assert_int_equal(parse(&o, "-x", "dump.txt", "h", "1", NULL), OPTS_OK);
	assert_string_equal(o.hex_dump, "dump.txt");
	assert_int_equal(parse(&o, "-l", "--hex-dump=d", "9000", NULL), OPTS_OK);
	assert_string_equal(o.hex_dump, "d");
}

static void
test_listen_forms(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-l", "8888", NULL), OPTS_OK);
	assert_true(o.listen);
	assert_null(o.host);
	assert_string_equal(o.port, "8888");

	assert_int_equal(parse(&o, "-lk", "127.0.0.1", "8888", NULL), OPTS_OK);
	assert_true(o.keep_open);
	assert_string_equal(o.host, "127.0.0.1");

	/* nc style -l -p PORT, with and without ADDR */
	assert_int_equal(parse(&o, "-l", "-p", "9000", NULL), OPTS_OK);
	assert_string_equal(o.port, "9000");
	assert_null(o.source_port);
	assert_int_equal(parse(&o, "--listen", "-p", "9000", "::1", NULL), OPTS_OK);
	assert_string_equal(o.host, "::1");

	/* options after operands are accepted too */
	assert_int_equal(parse(&o, "-l", "8888", "-k", NULL), OPTS_OK);
	assert_true(o.keep_open);
}

static void
test_help_version(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-h", NULL), OPTS_HELP);
	assert_int_equal(parse(&o, "--help", NULL), OPTS_HELP);
	assert_int_equal(parse(&o, "-V", NULL), OPTS_VERSION);
	assert_int_equal(parse(&o, "--version", NULL), OPTS_VERSION);
	assert_non_null(strstr(opts_usage(), "--keep-open"));
}

static void
expect_error(const char *needle, enum opts_result r)
{
	assert_int_equal(r, OPTS_ERROR);
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void
test_bad_input(void **state)
{
	struct tt_opts o;

	(void)state;
	expect_error("missing HOST and PORT", parse(&o, NULL));
	expect_error("missing PORT after 'host'", parse(&o, "host", NULL));
	expect_error("too many arguments", parse(&o, "a", "1", "b", NULL));
	expect_error("missing PORT to listen on", parse(&o, "-l", NULL));
	expect_error("too many arguments", parse(&o, "-l", "a", "1", "2", NULL));
	expect_error("too many arguments", parse(&o, "-l", "-p", "1", "a", "b", NULL));
	/* a second number is a port given twice, not the address 0.0.35.41 */
	expect_error("'9001' is a port, not an address",
	    parse(&o, "-l", "-p", "9000", "9001", NULL));
	expect_error("'9001' is a port, not an address",
	    parse(&o, "-p", "9000", "-l", "9001", NULL));
	expect_error("invalid port '0'", parse(&o, "h", "0", NULL));
	expect_error("invalid port '65536'", parse(&o, "h", "65536", NULL));
	expect_error("invalid port '12x'", parse(&o, "h", "12x", NULL));
	expect_error("invalid port 'no-such-service'", parse(&o, "h", "no-such-service", NULL));
	expect_error("invalid port ''", parse(&o, "h", "", NULL));
	expect_error("invalid port '-1'", parse(&o, "-l", "--", "-1", NULL));
	expect_error("invalid source port 'x1'", parse(&o, "-p", "x1", "h", "1", NULL));
	expect_error("unknown option '-z'", parse(&o, "-z", "h", "1", NULL));
	expect_error("unknown option '--bogus'", parse(&o, "--bogus", "h", "1", NULL));
	expect_error("option '-w' needs a value", parse(&o, "h", "1", "-w", NULL));
	expect_error("invalid wait time 'abc'", parse(&o, "-w", "abc", "h", "1", NULL));
	expect_error("invalid wait time '-1'", parse(&o, "-w", "-1", "h", "1", NULL));
	expect_error("invalid idle timeout '1s'", parse(&o, "-i", "1s", "h", "1", NULL));
	expect_error("invalid quit time ''", parse(&o, "-q", "", "h", "1", NULL));
	expect_error("invalid scrollback size 'lots'", parse(&o, "--scrollback", "lots", "h", "1", NULL));
	expect_error("invalid scrollback size '5'", parse(&o, "--scrollback", "5", "h", "1", NULL));
	expect_error("-k needs -l", parse(&o, "-k", "h", "1", NULL));
	expect_error("-s is for connecting", parse(&o, "-l", "-s", "::1", "1", NULL));
	expect_error("-w is the connect timeout; it has no use with -l",
	    parse(&o, "-l", "-w", "3", "1", NULL));
	expect_error("empty HOST", parse(&o, "", "1", NULL));
}

/* -i 0 and -w 0 (or anything under a millisecond) would close or give up at
 * once, or spin: refused with a sentence saying what to do instead. */
static void
test_zero_timeouts(void **state)
{
	struct tt_opts o;

	(void)state;
	expect_error("-i 0: it would close at once; leave -i out for no timeout",
	    parse(&o, "-i", "0", "h", "1", NULL));
	expect_error("-i 0.0001: it would close at once",
	    parse(&o, "--idle-timeout=0.0001", "h", "1", NULL));
	expect_error("-w 0: it would give up at once; leave -w out",
	    parse(&o, "-w", "0", "h", "1", NULL));
	expect_error("-w 0.000: it would give up at once",
	    parse(&o, "--wait", "0.000", "h", "1", NULL));
	/* -q 0 means: quit as soon as stdin ends, like nc */
	assert_int_equal(parse(&o, "-q", "0", "h", "1", NULL), OPTS_OK);
	assert_int_equal(parse(&o, "-i", "0.001", "-w", "0.001", "h", "1", NULL),
	    OPTS_OK);
	assert_int_equal(o.idle_ms, 1);
	assert_int_equal(o.wait_ms, 1);
}

/* Every long option that takes no value says so when given one. */
static void
test_flag_with_value(void **state)
{
	static const char *flags[] = { "listen", "keep-open", "ipv4", "ipv6",
	    "numeric", "no-shutdown", "crlf", "verbose", "timestamps", "line",
	    "no-history", "help", "version" };
	char arg[64], want[80];
	struct tt_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		snprintf(arg, sizeof arg, "--%s=1", flags[i]);
		snprintf(want, sizeof want, "option '--%s' takes no value",
		    flags[i]);
		expect_error(want, parse(&o, "-l", arg, "1", NULL));
		assert_string_equal(err, want);
	}
	/* an abbreviation is named in full */
	expect_error("option '--no-shutdown' takes no value",
	    parse(&o, "--no-s=yes", "h", "1", NULL));
	expect_error("option '--no' is ambiguous: --no-shutdown, --no-history",
	    parse(&o, "--no", "h", "1", NULL));
	expect_error("unknown option '--bogus'", parse(&o, "--bogus=1", "h", "1", NULL));
	expect_error("option '--wait' needs a value", parse(&o, "h", "1", "--wait", NULL));
	expect_error("option '-w' needs a value", parse(&o, "h", "1", "-nw", NULL));
	expect_error("unknown option '-z'", parse(&o, "-lz", "1", NULL));
}

static void
test_family_conflict(void **state)
{
	struct tt_opts o;

	(void)state;
	expect_error("-4 and -6 together", parse(&o, "-4", "-6", "h", "1", NULL));
	expect_error("-4 and -6 together", parse(&o, "--ipv6", "-l", "--ipv4",
	    "1", NULL));
	expect_error("-4 and -6 together", parse(&o, "-46", "h", "1", NULL));
	assert_int_equal(parse(&o, "-6", "-6", "h", "1", NULL), OPTS_OK);
	assert_int_equal(o.family, AF_INET6);
}

/* Numeric addresses are checked against -4 and -6 before any socket. */
static void
test_addresses(void **state)
{
	struct tt_opts o;

	(void)state;
	expect_error("HOST '::1' is an IPv6 address, but -4 was given",
	    parse(&o, "-4", "::1", "80", NULL));
	expect_error("ADDR '127.0.0.1' is an IPv4 address, but -6 was given",
	    parse(&o, "-6", "-l", "127.0.0.1", "80", NULL));
	expect_error("different address families",
	    parse(&o, "-s", "::1", "127.0.0.1", "80", NULL));
	expect_error("empty ADDR", parse(&o, "-l", "", "80", NULL));
	expect_error("empty source address", parse(&o, "-s", "", "h", "80", NULL));
	assert_int_equal(parse(&o, "-n", "-6", "::1", "80", NULL), OPTS_OK);
	assert_int_equal(parse(&o, "-4", "localhost", "80", NULL), OPTS_OK);
}

static void
test_seconds_and_ports(void **state)
{
	int ms = -5;

	(void)state;
	assert_true(opts_parse_seconds("0", &ms));
	assert_int_equal(ms, 0);
	assert_true(opts_parse_seconds(".25", &ms));
	assert_int_equal(ms, 250);
	assert_false(opts_parse_seconds("1e9", &ms));
	assert_false(opts_parse_seconds(NULL, &ms));
	assert_false(opts_parse_seconds("nan", &ms));
	assert_false(opts_parse_seconds("1e3", &ms));
	assert_false(opts_parse_seconds("0x10", &ms));
	assert_false(opts_parse_seconds(".", &ms));
	assert_false(opts_parse_seconds("1.2.3", &ms));
	assert_false(opts_parse_seconds("+1", &ms));
	assert_true(opts_valid_port("1"));
	assert_true(opts_valid_port("65535"));
	assert_true(opts_valid_port("ssh"));
	assert_false(opts_valid_port(NULL));
	assert_false(opts_valid_port("99999999999999999999"));
}

/* Found by tests/fuzz/fuzz_opts.c: a message quoting argv carried its
 * control characters to the terminal (a newline, ESC, C1 as UTF-8). */
static void
test_message_control_chars(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "\n", NULL), OPTS_ERROR);
	assert_string_equal(err, "missing PORT after '\\x0a'");
	assert_int_equal(parse(&o, "host", "\033]0;x\007", NULL), OPTS_ERROR);
	assert_string_equal(err, "invalid port '\\x1b]0;x\\x07': expected "
	    "1-65535 or a service name");
	assert_int_equal(parse(&o, "h\xc2\x9b" "2J", NULL), OPTS_ERROR);
	assert_string_equal(err, "missing PORT after 'h\\xc2\\x9b2J'");
	/* other UTF-8 is kept */
	assert_int_equal(parse(&o, "h\xc3\xa9", NULL), OPTS_ERROR);
	assert_string_equal(err, "missing PORT after 'h\xc3\xa9'");
}

/* -U PATH: both modes, @name, and every option that has no use with it. */
static void
test_unix(void **state)
{
	struct tt_opts o;
	char path[200];

	(void)state;
	assert_int_equal(parse(&o, "-U", "/run/x.sock", NULL), OPTS_OK);
	assert_string_equal(o.unix_path, "/run/x.sock");
	assert_false(o.listen);
	assert_null(o.host);
	assert_null(o.port);
	assert_int_equal(parse(&o, "-k", "-l", "--unix", "x.sock", "-i", "2",
	    "-C", "-o", "t.log", NULL), OPTS_OK);
	assert_true(o.listen && o.keep_open);
	assert_string_equal(o.unix_path, "x.sock");
	assert_int_equal(parse(&o, "--unix=@name", "-w", "1", "-q", "0", NULL),
	    OPTS_OK);
	assert_string_equal(o.unix_path, "@name");
	assert_int_equal(o.wait_ms, 1000);

	expect_error("too many arguments: -U PATH takes no HOST or PORT",
	    parse(&o, "-U", "x.sock", "localhost", "80", NULL));
	expect_error("too many arguments: -U PATH takes no HOST or PORT",
	    parse(&o, "-l", "-U", "x.sock", "9000", NULL));
	expect_error("-4 has no use with -U", parse(&o, "-4", "-U", "x", NULL));
	expect_error("-6 has no use with -U", parse(&o, "-l", "-6", "-U", "x",
	    NULL));
	expect_error("-s has no use with -U", parse(&o, "-s", "127.0.0.1", "-U",
	    "x", NULL));
	expect_error("-p has no use with -U", parse(&o, "-l", "-p", "9000",
	    "-U", "x", NULL));
	expect_error("-n has no use with -U", parse(&o, "-n", "-U", "x", NULL));
	expect_error("-k needs -l", parse(&o, "-k", "-U", "x", NULL));
	expect_error("-w is the connect timeout", parse(&o, "-l", "-w", "1",
	    "-U", "x", NULL));
	expect_error("empty PATH (-U)", parse(&o, "-U", "", NULL));
	expect_error("empty PATH (-U)", parse(&o, "-U", "@", NULL));
	expect_error("option '-U' needs a value", parse(&o, "-U", NULL));

	/* sun_path: 107 bytes and a NUL, or a NUL and a 107-byte name */
	memset(path, 'p', 107);
	path[107] = '\0';
	assert_int_equal(parse(&o, "-U", path, NULL), OPTS_OK);
	path[0] = '@';
	path[107] = 'p';
	path[108] = '\0';
	assert_int_equal(parse(&o, "-U", path, NULL), OPTS_OK);
	path[108] = 'p';
	path[109] = '\0';
	expect_error("Unix socket path too long: 108 bytes, at most 107",
	    parse(&o, "-U", path, NULL));
	path[0] = 'p';
	path[108] = '\0';
	expect_error("Unix socket path too long: 108 bytes, at most 107",
	    parse(&o, "-U", path, NULL));
	assert_non_null(strstr(opts_usage(), "-U, --unix PATH"));
}

/* -u: both modes, -k, -s/-p, and what a datagram socket has no use for. */
static void
test_udp(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "example.org", "53", NULL), OPTS_OK);
	assert_false(o.udp);
	assert_int_equal(parse(&o, "-u", "-s", "127.0.0.1", "-p", "5000", "-q",
	    "1", "-i", "2", "127.0.0.1", "53", NULL), OPTS_OK);
	assert_true(o.udp);
	assert_string_equal(o.source_port, "5000");
	assert_int_equal(o.idle_ms, 2000);
	assert_int_equal(parse(&o, "--udp", "-k", "-l", "-p", "514", NULL),
	    OPTS_OK);
	assert_true(o.udp && o.listen && o.keep_open);
	assert_string_equal(o.port, "514");

	expect_error("-w has no use with -u: UDP has no connection to wait for",
	    parse(&o, "-u", "-w", "1", "localhost", "53", NULL));
	expect_error("-w has no use with -u", parse(&o, "-l", "-u", "-w", "1",
	    "53", NULL));
	expect_error("-u and -U together", parse(&o, "-u", "-U", "x.sock",
	    NULL));
	expect_error("--proxy has no use with -u", parse(&o, "-u", "--proxy",
	    "127.0.0.1:3128", "localhost", "53", NULL));
	expect_error("--tls has no use with -u: TLS needs a stream",
	    parse(&o, "-u", "--tls", "localhost", "853", NULL));
	expect_error("--starttls has no use with -u", parse(&o, "-u",
	    "--starttls", "smtp", "localhost", "25", NULL));
	expect_error("-k needs -l", parse(&o, "-u", "-k", "localhost", "53",
	    NULL));
	assert_non_null(strstr(opts_usage(), "-u, --udp"));
}

/* --proxy, --proxy-type, --proxy-auth: the forms, and each misuse. */
static void
test_proxy(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--proxy", "proxy.example:3128", "h", "80",
	    NULL), OPTS_OK);
	assert_string_equal(o.proxy_host, "proxy.example");
	assert_string_equal(o.proxy_port, "3128");
	assert_int_equal(o.proxy_type, OPTS_PROXY_HTTP);
	assert_null(o.proxy_auth);
	assert_int_equal(parse(&o, "--proxy", "[::1]:1080", "--proxy-type",
	    "socks5", "--proxy-auth", "u:p:w", "h", "80", NULL), OPTS_OK);
	assert_string_equal(o.proxy_host, "::1");
	assert_string_equal(o.proxy_port, "1080");
	assert_int_equal(o.proxy_type, OPTS_PROXY_SOCKS5);
	assert_string_equal(o.proxy_auth, "u:p:w");
	assert_int_equal(parse(&o, "--proxy=127.0.0.1:socks", "--proxy-type=socks4",
	    "h", "80", NULL), OPTS_OK);
	assert_int_equal(o.proxy_type, OPTS_PROXY_SOCKS4);
	assert_string_equal(o.proxy_port, "socks");

	expect_error("invalid proxy 'p'", parse(&o, "--proxy", "p", "h", "1",
	    NULL));
	expect_error("invalid proxy '::1:80'", parse(&o, "--proxy", "::1:80",
	    "h", "1", NULL));
	expect_error("invalid proxy '[::1:80'", parse(&o, "--proxy", "[::1:80",
	    "h", "1", NULL));
	expect_error("invalid proxy ':80'", parse(&o, "--proxy", ":80", "h",
	    "1", NULL));
	expect_error("invalid proxy port ''", parse(&o, "--proxy", "p:", "h",
	    "1", NULL));
	expect_error("invalid proxy port '99999'", parse(&o, "--proxy",
	    "p:99999", "h", "1", NULL));
	expect_error("invalid proxy type 'socks6'", parse(&o, "--proxy", "p:1",
	    "--proxy-type", "socks6", "h", "1", NULL));
	expect_error("expected USER:PASS", parse(&o, "--proxy", "p:1",
	    "--proxy-auth", "user", "h", "1", NULL));
	expect_error("--proxy-auth needs --proxy", parse(&o, "--proxy-auth",
	    "u:p", "h", "1", NULL));
	expect_error("--proxy-type needs --proxy", parse(&o, "--proxy-type",
	    "socks5", "h", "1", NULL));
	expect_error("no use with -l", parse(&o, "-l", "--proxy", "p:1",
	    "8888", NULL));
	expect_error("IPv6 address, but -4", parse(&o, "-4", "--proxy",
	    "[::1]:1", "h", "1", NULL));
	assert_non_null(strstr(opts_usage(), "--proxy-type"));
}

/* --tls and its options: the forms, the pin's normal form, each misuse. */
static void
test_tls(void **state)
{
	static const char pin[] = "sha256:AB:cd:00:11:22:33:44:55:66:77:88:99:"
	    "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd";
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "h", "443", NULL), OPTS_OK);
	assert_false(o.tls);
	assert_int_equal(o.starttls, -1);
	assert_int_equal(parse(&o, "--tls", "--tls-pin", pin, "--tls-sni", "x",
	    "--tls-alpn", "h2,http/1.1", "h", "443", NULL), OPTS_OK);
	assert_true(o.tls);
	assert_string_equal(o.tls_pin_hex, "abcd00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccdd");
	assert_string_equal(o.tls_sni, "x");
	assert_int_equal(parse(&o, "--starttls", "imap", "h", "143", NULL),
	    OPTS_OK);
	assert_true(o.tls);	/* implied */
	assert_int_equal(o.starttls, 1);
	assert_int_equal(parse(&o, "-l", "--tls", "--tls-cert", "c.pem",
	    "--tls-verify-client", "ca.pem", "8443", NULL), OPTS_OK);
	assert_null(o.tls_key);
	assert_string_equal(o.tls_verify_client, "ca.pem");
	assert_int_equal(parse(&o, "--tls", "-U", "/run/x.sock", NULL), OPTS_OK);

	expect_error("--tls-ca needs --tls", parse(&o, "--tls-ca", "f", "h",
	    "1", NULL));
	expect_error("--tls-insecure needs --tls", parse(&o, "--tls-insecure",
	    "h", "1", NULL));
	expect_error("--tls-pin has no use with -l", parse(&o, "-l", "--tls",
	    "--tls-pin", pin, "1", NULL));
	expect_error("--tls-verify-client has no use without -l", parse(&o,
	    "--tls", "--tls-verify-client", "ca", "h", "1", NULL));
	expect_error("--tls-insecure has no use with -l", parse(&o, "-l",
	    "--tls", "--tls-insecure", "1", NULL));
	expect_error("--starttls has no use with -l", parse(&o, "-l",
	    "--starttls", "smtp", "1", NULL));
	expect_error("invalid --tls-pin 'sha256:ab'", parse(&o, "--tls",
	    "--tls-pin", "sha256:ab", "h", "1", NULL));
	expect_error("invalid --tls-pin 'md5:", parse(&o, "--tls", "--tls-pin",
	    "md5:00", "h", "1", NULL));
	expect_error("a pin is a check", parse(&o, "--tls", "--tls-pin", pin,
	    "--tls-insecure", "h", "1", NULL));
	expect_error("--tls-key needs --tls-cert", parse(&o, "--tls",
	    "--tls-key", "k", "h", "1", NULL));
	expect_error("invalid --tls-alpn 'h2,'", parse(&o, "--tls",
	    "--tls-alpn", "h2,", "h", "1", NULL));
	expect_error("invalid --starttls 'ftp'", parse(&o, "--starttls", "ftp",
	    "h", "1", NULL));
	expect_error("empty value for --tls-ca", parse(&o, "--tls", "--tls-ca",
	    "", "h", "1", NULL));
	assert_non_null(strstr(opts_usage(), "--tls-pin sha256:HEX"));
}

/* --stats-json: a file name, TCP only (not -U). */
static void
test_rooms(void **state)
{
	static const struct { const char *a[6], *msg; } bad[] = {
		{ { "--room", "h", "1" }, "--room needs -l" },
		{ { "-l", "--room", "--broker", "1" }, "--room and --broker together" },
		{ { "-l", "--room", "-u", "1" }, "-u has no use with --room" },
		{ { "-l", "--broker", "-k", "1" }, "-k has no use with --broker" },
		{ { "-l", "--room", "--tls", "1" }, "--tls has no use with --room" },
		{ { "-l", "--room", "-i", "5", "1" }, "-i has no use with --room" },
		{ { "-l", "--broker", "--nick", "x", "1" }, "--nick has no use with --broker" },
		{ { "-l", "--max-peers", "5", "1" }, "--max-peers needs --room or --broker" },
		{ { "-l", "--room", "--max-peers", "0", "1" }, "invalid peer count '0'" },
		{ { "-l", "--room", "--max-peers", "5x", "1" }, "invalid peer count '5x'" },
		{ { "-l", "--room", "--peer-queue", "1k", "1" }, "invalid queue size '1k'" },
		{ { "-l", "--room", "--peer-queue", "2G", "1" }, "invalid queue size '2G'" },
		{ { "-l", "--room", "--peer-queue", "2048M", "1" }, "invalid queue size" },
	};
	struct tt_opts o;
	size_t i;

	(void)state;
	assert_int_equal(parse(&o, "-l", "--room", "--max-peers", "200",
	    "--peer-queue", "64k", "--nick", "ann", "8899", NULL), OPTS_OK);
	assert_true(o.room);
	assert_false(o.broker);
	assert_int_equal(o.max_peers, 200);
	assert_int_equal(o.peer_queue, 64 * 1024);
	assert_string_equal(o.nick, "ann");
	assert_int_equal(parse(&o, "-l", "--broker", "--peer-queue", "2M",
	    "-U", "s.sock", NULL), OPTS_OK);
	assert_true(o.broker);
	assert_int_equal(o.peer_queue, 2 * 1024 * 1024);
	assert_int_equal(o.max_peers, 0);	/* the room's default */
	assert_int_equal(parse(&o, "-l", "--broker", "--peer-queue", "5000",
	    "1", NULL), OPTS_OK);
	assert_int_equal(o.peer_queue, 5000);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(&o, bad[i].a[0], bad[i].a[1], bad[i].a[2],
		    bad[i].a[3], bad[i].a[4], bad[i].a[5], NULL), OPTS_ERROR);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("case %zu: [%s] does not hold [%s]", i, err,
			    bad[i].msg);
	}
}

static void
test_stats_json(void **state)
{
	struct tt_opts o;

	(void)state;
	assert_int_equal(parse(&o, "h", "1", NULL), OPTS_OK);
	assert_null(o.stats_json);
	assert_int_equal(parse(&o, "-l", "-k", "--stats-json", "s.json", "9",
	    NULL), OPTS_OK);
	assert_string_equal(o.stats_json, "s.json");
	expect_error("--stats-json has no use with -U: a Unix socket has no "
	    "TCP figures", parse(&o, "--stats-json", "s.json", "-U", "/tmp/x",
	    NULL));
	expect_error("--stats-json has no use with -u: UDP has no TCP figures",
	    parse(&o, "-u", "--stats-json", "s.json", "h", "1", NULL));
	expect_error("--stats-json needs a file name", parse(&o, "--stats-json",
	    "", "h", "1", NULL));
	expect_error("option '--stats-json' needs a value", parse(&o, "h", "1",
	    "--stats-json", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_rooms),
		cmocka_unit_test(test_proxy),
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_connect_defaults),
		cmocka_unit_test(test_every_flag),
		cmocka_unit_test(test_listen_forms),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_zero_timeouts),
		cmocka_unit_test(test_flag_with_value),
		cmocka_unit_test(test_family_conflict),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_seconds_and_ports),
		cmocka_unit_test(test_message_control_chars),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_stats_json),
	};
	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
