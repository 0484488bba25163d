/*
 * fuzz_opts.c - opts_parse on any command line: the data, cut at NULs, is
 * argv after "tcptalk".
 *
 * Properties: it returns one of its four results; OPTS_ERROR comes with a
 * non-empty one-line message that holds no control character (C0, DEL,
 * C1 in UTF-8) and
 * fits the buffer; OPTS_OK has a valid port and a HOST in connect mode (or
 * with -U a path and neither), no -k without -l, no -s or -w with -l, no
 * --proxy with -l or -U; -u never with -w, -U, --proxy or --tls;
 * parsing the same argv again gives the
 * same answer (getopt's state is reset).
 */
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "opts.h"

#define MAXARGS	16

static enum opts_result
parse(struct tt_opts *o, char **src, int argc, char *err, size_t errlen)
{
	char *argv[MAXARGS + 2];

	/* getopt permutes argv: parse a copy of the array */
	memcpy(argv, src, (size_t)(argc + 1) * sizeof *argv);
	return opts_parse(o, argc, argv, err, errlen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *args[MAXARGS + 2], err[256], err2[256], *p;
	struct tt_opts o, o2;
	enum opts_result r, r2;
	int argc = 1;
	size_t i, elen;

	if (size > 4096)
		return 0;
	CHECK((buf = malloc(size + 1)) != NULL, "malloc");
	memcpy(buf, data, size);
	buf[size] = '\0';
	args[0] = "tcptalk";
	for (p = buf; argc < MAXARGS + 1 && p <= buf + size; p += strlen(p) + 1)
		args[argc++] = p;
	args[argc] = NULL;

	memset(err, 'Z', sizeof err);
	r = parse(&o, args, argc, err, sizeof err);
	CHECK(r == OPTS_OK || r == OPTS_HELP || r == OPTS_VERSION ||
	    r == OPTS_ERROR, "result %d", r);
	CHECK(memchr(err, '\0', sizeof err) != NULL, "message not NUL-ended");
	if (r == OPTS_ERROR) {
		elen = strlen(err);
		CHECK(elen > 0, "OPTS_ERROR without a message");
		for (i = 0; i < elen; i++) {
			CHECK((unsigned char)err[i] >= 0x20 &&
			    (unsigned char)err[i] != 0x7f,
			    "control byte 0x%02x at %zu in: %s",
			    (unsigned char)err[i], i, err);
			CHECK((unsigned char)err[i] != 0xc2 ||
			    (unsigned char)err[i + 1] < 0x80 ||
			    (unsigned char)err[i + 1] > 0x9f,
			    "C1 control (UTF-8) at %zu in: %s", i, err);
		}
	}
	if (r == OPTS_OK && o.unix_path != NULL) {
		CHECK(*o.unix_path != '\0', "-U with an empty path");
		CHECK(o.host == NULL && o.port == NULL, "-U with HOST or PORT");
		CHECK(o.proxy == NULL, "-U with --proxy");
	} else if (r == OPTS_OK) {
		CHECK(opts_valid_port(o.port), "OK with port '%s'", o.port);
		CHECK(o.listen || (o.host != NULL && *o.host != '\0'),
		    "connect without HOST");
		CHECK(!o.listen || o.proxy == NULL, "--proxy with -l");
	}
	if (r == OPTS_OK) {
		CHECK(!o.keep_open || o.listen, "-k without -l");
		CHECK(!o.listen || (o.source_addr == NULL &&
		    o.wait_ms == OPTS_NO_TIMEOUT), "-s or -w with -l");
		CHECK(o.family == AF_UNSPEC || o.family == AF_INET ||
		    o.family == AF_INET6, "family %d", o.family);
		CHECK(o.wait_ms != 0 && o.idle_ms != 0, "a zero -w or -i");
		CHECK(!o.udp || (o.wait_ms == OPTS_NO_TIMEOUT &&
		    o.unix_path == NULL && o.proxy == NULL && !o.tls),
		    "-u with -w, -U, --proxy or --tls");
		CHECK(o.scrollback >= 10 && o.scrollback <= 10000000,
		    "scrollback %ld", o.scrollback);
	}
	r2 = parse(&o2, args, argc, err2, sizeof err2);
	CHECK(r2 == r, "second parse: %d, first %d", r2, r);
	CHECK(r != OPTS_ERROR || strcmp(err, err2) == 0,
	    "second message differs: '%s' / '%s'", err, err2);
	/* a short buffer: still a NUL-ended message */
	if (r == OPTS_ERROR) {
		memset(err2, 'Z', 8);
		parse(&o2, args, argc, err2, 8);
		CHECK(memchr(err2, '\0', 8) != NULL, "short message not NUL-ended");
	}
	free(buf);
	return 0;
}
