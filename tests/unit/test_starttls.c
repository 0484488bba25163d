/* Unit tests for starttls.c: each protocol's exchange fed all at once and
 * byte by byte, refusals, a missing STARTTLS, EOF, long lines, a server
 * that talks out of turn or past the go-ahead, and the log's safety. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "starttls.h"

static char sent[1024];		/* everything taken from starttls_out */
static size_t sentlen;

/* Takes what there is to send into sent. */
static void
take(struct starttls *st)
{
	const char *p;
	size_t len;

	p = starttls_out(st, &len);
	assert_true(sentlen + len < sizeof sent);
	memcpy(sent + sentlen, p, len);
	sentlen += len;
	sent[sentlen] = '\0';
}

/*
 * Feeds s in pieces of step bytes (0: all at once), taking the output after
 * each, until the result is not MORE.  *used: bytes taken in all.
 */
static enum starttls_result
feed(struct starttls *st, const char *s, size_t step, size_t *used)
{
	size_t n = strlen(s), off = 0, len, u;
	enum starttls_result r = STARTTLS_MORE;

	*used = 0;
	while (off < n) {
		len = step == 0 || step > n - off ? n - off : step;
		r = starttls_feed(st, s + off, len, &u);
		assert_true(u <= len);
		*used += u;
		take(st);
		if (r != STARTTLS_MORE)
			break;
		assert_int_equal(u, len);	/* MORE takes every byte */
		off += len;
	}
	return r;
}

static void
start(struct starttls *st, enum starttls_proto p, const char *name)
{
	starttls_init(st, p, name);
	sentlen = 0;
	sent[0] = '\0';
}

/* The log holds printable ASCII and newlines only, NUL-ended at loglen. */
static void
assert_log_safe(const struct starttls *st)
{
	size_t i;

	assert_true(st->loglen < STARTTLS_LOG_MAX);
	assert_int_equal(strlen(st->log), st->loglen);
	for (i = 0; i < st->loglen; i++)
		assert_true(st->log[i] == '\n' ||
		    (st->log[i] >= 0x20 && st->log[i] < 0x7f));
	for (i = 0; st->err[i] != '\0'; i++)
		assert_true(st->err[i] >= 0x20 && st->err[i] < 0x7f);
}

static void
smtp_happy(size_t step)
{
	struct starttls st;
	size_t used;
	const char *ehlo = "250-mx.example greets client.example\r\n"
	    "250-PIPELINING\r\n250-SIZE 10240000\r\n250-starttls\r\n"
	    "250 8BITMIME\r\n";

	start(&st, STARTTLS_SMTP, "client.example");
	/* nothing to send before the greeting has ended */
	assert_int_equal(feed(&st, "220-mx.example ESMTP\r\n", step, &used),
	    STARTTLS_MORE);
	assert_string_equal(sent, "");
	assert_int_equal(feed(&st, "220 ready\r\n", step, &used),
	    STARTTLS_MORE);
	assert_string_equal(sent, "EHLO client.example\r\n");
	assert_int_equal(feed(&st, ehlo, step, &used), STARTTLS_MORE);
	assert_true(st.offered);
	assert_string_equal(sent, "EHLO client.example\r\nSTARTTLS\r\n");
	assert_int_equal(feed(&st, "220 2.0.0 Ready to start TLS\r\n", step,
	    &used), STARTTLS_DONE);
	assert_int_equal(used, strlen("220 2.0.0 Ready to start TLS\r\n"));
	assert_string_equal(st.log, "< 220-mx.example ESMTP\n< 220 ready\n"
	    "> EHLO client.example\n< 250-mx.example greets client.example\n"
	    "< 250-PIPELINING\n< 250-SIZE 10240000\n< 250-starttls\n"
	    "< 250 8BITMIME\n> STARTTLS\n< 220 2.0.0 Ready to start TLS\n");
	assert_log_safe(&st);
}

static void
test_smtp(void **state)
{
	(void)state;
	smtp_happy(0);
	smtp_happy(1);
	smtp_happy(3);
}

static void
imap_happy(size_t step, const char *eol)
{
	struct starttls st;
	char buf[256];
	size_t used;

	start(&st, STARTTLS_IMAP, NULL);
	snprintf(buf, sizeof buf, "* OK [CAPABILITY IMAP4rev1] ready%s", eol);
	assert_int_equal(feed(&st, buf, step, &used), STARTTLS_MORE);
	assert_string_equal(sent, "a1 CAPABILITY\r\n");
	snprintf(buf, sizeof buf, "* CAPABILITY IMAP4rev1 STARTTLS "
	    "LOGINDISABLED%s* OK still here%sa1 OK done%s", eol, eol, eol);
	assert_int_equal(feed(&st, buf, step, &used), STARTTLS_MORE);
	assert_string_equal(sent, "a1 CAPABILITY\r\na2 STARTTLS\r\n");
	snprintf(buf, sizeof buf, "a2 OK Begin TLS negotiation now%s", eol);
	assert_int_equal(feed(&st, buf, step, &used), STARTTLS_DONE);
	assert_int_equal(used, strlen(buf));
	assert_string_equal(st.log, "< * OK [CAPABILITY IMAP4rev1] ready\n"
	    "> a1 CAPABILITY\n< * CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\n"
	    "< * OK still here\n< a1 OK done\n> a2 STARTTLS\n"
	    "< a2 OK Begin TLS negotiation now\n");
	assert_log_safe(&st);
}

static void
test_imap(void **state)
{
	(void)state;
	imap_happy(0, "\r\n");
	imap_happy(1, "\r\n");
	imap_happy(0, "\n");	/* a bare LF is taken too */
	imap_happy(1, "\n");
}

static void
pop3_happy(size_t step)
{
	struct starttls st;
	size_t used;

	start(&st, STARTTLS_POP3, "ignored");
	assert_int_equal(feed(&st, "+OK POP3 ready\r\n", step, &used),
	    STARTTLS_MORE);
	assert_string_equal(sent, "STLS\r\n");
	assert_int_equal(feed(&st, "+OK Begin TLS\r\n", step, &used),
	    STARTTLS_DONE);
	assert_string_equal(st.log, "< +OK POP3 ready\n> STLS\n"
	    "< +OK Begin TLS\n");
}

static void
test_pop3(void **state)
{
	(void)state;
	pop3_happy(0);
	pop3_happy(1);
}

/* Runs a whole exchange whose last reply must fail with err. */
static void
expect_fail(enum starttls_proto p, const char *const *replies, size_t step,
    const char *err)
{
	struct starttls st;
	enum starttls_result r = STARTTLS_MORE;
	size_t used;

	start(&st, p, "me");
	for (; *replies != NULL; replies++) {
		assert_int_equal(r, STARTTLS_MORE);
		r = feed(&st, *replies, step, &used);
	}
	assert_int_equal(r, STARTTLS_FAILED);
	assert_string_equal(st.err, err);
	assert_log_safe(&st);
	/* FAILED stays */
	assert_int_equal(starttls_feed(&st, "220 x\r\n", 7, &used),
	    STARTTLS_FAILED);
	assert_int_equal(used, 0);
}

static void
test_refusals(void **state)
{
	static const char *const smtp_454[] = { "220 mx\r\n",
	    "250-mx\r\n250 STARTTLS\r\n", "454 4.7.0 TLS not available\r\n",
	    NULL };
	static const char *const smtp_554[] = {
	    "554-mx no service for you\r\n554 bye\r\n", NULL };
	static const char *const smtp_502[] = { "220 mx\r\n",
	    "502 5.5.1 EHLO what\r\n", NULL };
	static const char *const imap_no[] = { "* OK hi\r\n",
	    "* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK\r\n",
	    "a2 NO [UNAVAILABLE] not now\r\n", NULL };
	static const char *const imap_bad[] = { "* OK hi\r\n",
	    "* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK\r\n",
	    "a2 BAD what\r\n", NULL };
	static const char *const imap_capa_no[] = { "* OK hi\r\n",
	    "a1 BAD no\r\n", NULL };
	static const char *const imap_preauth[] = { "* PREAUTH root\r\n",
	    NULL };
	static const char *const imap_bye[] = { "* OK hi\r\n",
	    "* BYE shutting down\r\n", NULL };
	static const char *const pop3_err[] = { "+OK hi\r\n",
	    "-ERR [SYS/TEMP] no TLS today\r\n", NULL };
	static const char *const pop3_greet[] = { "-ERR busy\r\n", NULL };
	size_t step;

	(void)state;
	for (step = 0; step < 2; step++) {
		expect_fail(STARTTLS_SMTP, smtp_454, step, "the server refused "
		    "STARTTLS: 454 4.7.0 TLS not available");
		expect_fail(STARTTLS_SMTP, smtp_554, step, "the server refused "
		    "the connection: 554-mx no service for you");
		expect_fail(STARTTLS_SMTP, smtp_502, step, "the server refused "
		    "EHLO: 502 5.5.1 EHLO what");
		expect_fail(STARTTLS_IMAP, imap_no, step, "the server refused "
		    "STARTTLS: a2 NO [UNAVAILABLE] not now");
		expect_fail(STARTTLS_IMAP, imap_bad, step, "the server refused "
		    "STARTTLS: a2 BAD what");
		expect_fail(STARTTLS_IMAP, imap_capa_no, step, "the server "
		    "refused CAPABILITY: a1 BAD no");
		expect_fail(STARTTLS_IMAP, imap_preauth, step, "the server "
		    "greeted with PREAUTH, in which STARTTLS is not allowed: "
		    "* PREAUTH root");
		expect_fail(STARTTLS_IMAP, imap_bye, step, "the server is "
		    "closing the connection: * BYE shutting down");
		expect_fail(STARTTLS_POP3, pop3_err, step, "the server refused "
		    "STARTTLS: -ERR [SYS/TEMP] no TLS today");
		expect_fail(STARTTLS_POP3, pop3_greet, step, "the server "
		    "refused the connection: -ERR busy");
	}
}

static void
test_not_the_protocol(void **state)
{
	static const char *const http[] = { "HTTP/1.1 400 Bad Request\r\n",
	    NULL };
	static const char *const mixed[] = { "220 mx\r\n",
	    "250-mx\r\n251 STARTTLS\r\n", NULL };
	static const char *const imap_tag[] = { "* OK hi\r\n",
	    "a2 OK what\r\n", NULL };
	static const char *const pop3[] = { "* OK imap\r\n", NULL };

	(void)state;
	expect_fail(STARTTLS_SMTP, http, 0, "the server's reply is not SMTP: "
	    "HTTP/1.1 400 Bad Request");
	expect_fail(STARTTLS_SMTP, mixed, 0, "the server's reply is not SMTP: "
	    "251 STARTTLS");
	expect_fail(STARTTLS_IMAP, imap_tag, 1, "the server's reply is not "
	    "IMAP: a2 OK what");
	expect_fail(STARTTLS_POP3, pop3, 1, "the server's greeting is not "
	    "POP3: * OK imap");
}

static void
test_no_starttls(void **state)
{
	static const char *const smtp[] = { "220 mx\r\n",
	    "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
	    "250-STARTTLSX\r\n250 8BITMIME\r\n", NULL };
	static const char *const smtp_bare[] = { "220 mx\r\n",
	    "250 mx.example\r\n", NULL };
	static const char *const imap[] = { "* OK hi\r\n",
	    "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK done\r\n", NULL };
	static const char *const imap_none[] = { "* OK hi\r\n",
	    "a1 OK done\r\n", NULL };

	(void)state;
	expect_fail(STARTTLS_SMTP, smtp, 1, "the server does not offer "
	    "STARTTLS (its EHLO reply lists: PIPELINING, SIZE 1000, "
	    "STARTTLSX, 8BITMIME)");
	expect_fail(STARTTLS_SMTP, smtp_bare, 0, "the server does not offer "
	    "STARTTLS (its EHLO reply lists no capabilities)");
	expect_fail(STARTTLS_IMAP, imap, 0, "the server does not offer "
	    "STARTTLS (its CAPABILITY reply lists: IMAP4rev1, AUTH=PLAIN)");
	expect_fail(STARTTLS_IMAP, imap_none, 0, "the server does not offer "
	    "STARTTLS (its CAPABILITY reply lists no capabilities)");
}

static void
test_eof(void **state)
{
	struct starttls st;
	size_t used;

	(void)state;
	start(&st, STARTTLS_SMTP, NULL);
	assert_int_equal(starttls_feed(&st, "", 0, &used), STARTTLS_FAILED);
	assert_string_equal(st.err, "the server closed the connection before "
	    "the TLS go-ahead");

	start(&st, STARTTLS_IMAP, NULL);
	assert_int_equal(feed(&st, "* OK hi\r\n", 1, &used), STARTTLS_MORE);
	assert_int_equal(feed(&st, "* CAPABILITY STARTTLS\r\na1 OK\r\na2 O",
	    1, &used), STARTTLS_MORE);
	assert_int_equal(starttls_feed(&st, NULL, 0, &used), STARTTLS_FAILED);
	assert_string_equal(st.err, "the server closed the connection before "
	    "the TLS go-ahead");
}

static void
test_long_line(void **state)
{
	struct starttls st;
	char line[STARTTLS_LINE_MAX + 8];
	size_t used;

	(void)state;
	/* exactly LINE_MAX with its LF: taken */
	start(&st, STARTTLS_POP3, NULL);
	memset(line, 'a', sizeof line);
	memcpy(line, "+OK ", 4);
	line[STARTTLS_LINE_MAX - 1] = '\n';
	line[STARTTLS_LINE_MAX] = '\0';
	assert_int_equal(feed(&st, line, 0, &used), STARTTLS_MORE);
	assert_string_equal(sent, "STLS\r\n");
	assert_log_safe(&st);
	/* one more byte: refused, fed all at once or byte by byte */
	line[STARTTLS_LINE_MAX - 1] = 'a';
	line[STARTTLS_LINE_MAX] = '\n';
	line[STARTTLS_LINE_MAX + 1] = '\0';
	start(&st, STARTTLS_POP3, NULL);
	assert_int_equal(feed(&st, line, 0, &used), STARTTLS_FAILED);
	assert_string_equal(st.err, "the server sent a line longer than 1024 "
	    "bytes");
	assert_int_equal(used, STARTTLS_LINE_MAX - 1);
	start(&st, STARTTLS_SMTP, NULL);
	assert_int_equal(feed(&st, line, 1, &used), STARTTLS_FAILED);
	assert_string_equal(st.err, "the server sent a line longer than 1024 "
	    "bytes");
	assert_log_safe(&st);
	/* the log shows its start, cut */
	assert_int_equal(strncmp(st.log, "< +OK aaaa", 10), 0);
	assert_string_equal(st.log + st.loglen - 5, "a...\n");
	assert_true(st.loglen < 300);
}

/* Bytes after the go-ahead are left for the caller to refuse. */
static void
test_injection(void **state)
{
	struct starttls st;
	size_t used;

	(void)state;
	start(&st, STARTTLS_SMTP, NULL);
	feed(&st, "220 mx\r\n", 0, &used);
	feed(&st, "250-mx\r\n250 STARTTLS\r\n", 0, &used);
	assert_int_equal(feed(&st, "220 go\r\nMAIL FROM:<x@y>\r\n", 0,
	    &used), STARTTLS_DONE);
	assert_int_equal(used, strlen("220 go\r\n"));
	assert_string_equal(sent, "EHLO localhost\r\nSTARTTLS\r\n");
	/* DONE stays, and takes nothing more */
	assert_int_equal(starttls_feed(&st, "x", 1, &used), STARTTLS_DONE);
	assert_int_equal(used, 0);

	start(&st, STARTTLS_IMAP, NULL);
	feed(&st, "* OK hi\r\n", 0, &used);
	feed(&st, "* CAPABILITY STARTTLS\r\na1 OK\r\n", 0, &used);
	assert_int_equal(feed(&st, "a2 OK go\r\n* BYE", 0, &used),
	    STARTTLS_DONE);
	assert_int_equal(used, strlen("a2 OK go\r\n"));

	start(&st, STARTTLS_POP3, NULL);
	feed(&st, "+OK hi\r\n", 0, &used);
	assert_int_equal(feed(&st, "+OK go\n\n", 0, &used), STARTTLS_DONE);
	assert_int_equal(used, strlen("+OK go\n"));
}

/* A reply to a command the server cannot have read yet. */
static void
test_out_of_turn(void **state)
{
	struct starttls st;
	size_t used;

	(void)state;
	start(&st, STARTTLS_SMTP, NULL);
	assert_int_equal(starttls_feed(&st, "220 mx\r\n250 STARTTLS\r\n", 22,
	    &used), STARTTLS_FAILED);
	assert_string_equal(st.err, "the server sent data before it could "
	    "have read our EHLO command: 250 STARTTLS");
	/* the go-ahead while STARTTLS still waits in out */
	start(&st, STARTTLS_POP3, NULL);
	assert_int_equal(starttls_feed(&st, "+OK hi\r\n", 8, &used),
	    STARTTLS_MORE);
	assert_int_equal(starttls_feed(&st, "+OK go\r\n", 8, &used),
	    STARTTLS_FAILED);
	assert_string_equal(st.err, "the server sent data before it could "
	    "have read our STLS command: +OK go");
	assert_log_safe(&st);
}

static void
test_log_sanitized(void **state)
{
	struct starttls st;
	char line[STARTTLS_LINE_MAX];
	size_t used, i;

	(void)state;
	start(&st, STARTTLS_SMTP, "bad\r\nRCPT TO:<x>");
	assert_int_equal(feed(&st, "220 \x1b[2J\x1b]0;owned\x07 mx\xc2\x9b\x7f"
	    "\r\r\n", 0, &used), STARTTLS_MORE);
	assert_string_equal(sent, "EHLO localhost\r\n");
	assert_string_equal(st.log, "< 220 \\x1b[2J\\x1b]0;owned\\x07 "
	    "mx\\xc2\\x9b\\x7f\\x0d\n> EHLO localhost\n");
	assert_int_equal(feed(&st, "550 \x1bno\x00", 0, &used), STARTTLS_MORE);
	assert_int_equal(starttls_feed(&st, "\0\r\n", 3, &used),
	    STARTTLS_FAILED);
	assert_string_equal(st.err, "the server refused EHLO: "
	    "550 \\x1bno\\x00");
	assert_log_safe(&st);

	/* untagged IMAP lines may come any number of times: the log is cut */
	start(&st, STARTTLS_IMAP, NULL);
	feed(&st, "* OK hi\r\n", 0, &used);
	memset(line, '\x1b', sizeof line);
	memcpy(line, "* ", 2);
	line[sizeof line - 2] = '\n';
	line[sizeof line - 1] = '\0';
	for (i = 0; i < 20; i++) {
		assert_int_equal(feed(&st, line, 7, &used), STARTTLS_MORE);
		assert_log_safe(&st);
	}
	assert_int_equal(st.loglen, STARTTLS_LOG_MAX - 1);
	assert_string_equal(st.log + st.loglen - 4, "...\n");
	assert_int_equal(feed(&st, "* CAPABILITY STARTTLS\r\na1 OK\r\n", 0,
	    &used), STARTTLS_MORE);
	assert_int_equal(st.loglen, STARTTLS_LOG_MAX - 1);
	assert_string_equal(sent, "a1 CAPABILITY\r\na2 STARTTLS\r\n");
}

static void
test_proto_parse(void **state)
{
	enum starttls_proto p;

	(void)state;
	assert_int_equal(starttls_proto_parse("imap", &p), 0);
	assert_int_equal(p, STARTTLS_IMAP);
	assert_int_equal(starttls_proto_parse("pop3", &p), 0);
	assert_int_equal(p, STARTTLS_POP3);
	assert_int_equal(starttls_proto_parse("SMTP", &p), -1);
	assert_int_equal(starttls_proto_parse("", &p), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smtp),
		cmocka_unit_test(test_imap),
		cmocka_unit_test(test_pop3),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_not_the_protocol),
		cmocka_unit_test(test_no_starttls),
		cmocka_unit_test(test_eof),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_out_of_turn),
		cmocka_unit_test(test_log_sanitized),
		cmocka_unit_test(test_proto_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
