/* Unit tests for the known-hosts text: parsing lines, finding a pin,
 * replacing one while comments and other lines stay as they are. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"

#define FP_A	"sha256:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" \
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
#define HEX_A	"abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
#define FP_B	"sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
		"00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"
#define HEX_B	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void
test_fp_hex(void **state)
{
	char hex[KNOWNHOSTS_HEX_LEN];

	(void)state;
	assert_true(knownhosts_fp_hex(FP_A, strlen(FP_A), hex));
	assert_string_equal(hex, HEX_A);
	/* plain hex, any case, "SHA256:" */
	assert_true(knownhosts_fp_hex("SHA256:" HEX_B, 7 + 64, hex));
	assert_string_equal(hex, HEX_B);
	assert_true(knownhosts_fp_hex(HEX_A, 64, hex));
	assert_false(knownhosts_fp_hex(HEX_A, 63, hex));	/* short */
	assert_false(knownhosts_fp_hex(HEX_A "0", 65, hex));	/* long */
	assert_false(knownhosts_fp_hex("sha1:" HEX_A, 5 + 64, hex));
	assert_false(knownhosts_fp_hex("sha256:" HEX_A "x", 7 + 65, hex));
	assert_false(knownhosts_fp_hex("", 0, hex));
}

static void
test_parse(void **state)
{
	struct knownhosts_line l;
	const char *s;

	(void)state;
	s = "example.com:443 " FP_A;
	assert_true(knownhosts_parse(s, strlen(s), &l));
	assert_int_equal(l.keylen, 15);
	assert_memory_equal(l.key, "example.com:443", 15);
	assert_int_equal(l.fplen, strlen(FP_A));
	/* blanks around, tabs, a CR from another system */
	s = "  [::1]:8443\t\t" FP_A " \r";
	assert_true(knownhosts_parse(s, strlen(s), &l));
	assert_int_equal(l.keylen, 10);
	assert_memory_equal(l.key, "[::1]:8443", 10);
	assert_int_equal(l.fplen, strlen(FP_A));
	/* a Unix socket path with a space: the key is all before the last */
	s = "/tmp/my sock " FP_A;
	assert_true(knownhosts_parse(s, strlen(s), &l));
	assert_int_equal(l.keylen, 12);
	assert_memory_equal(l.key, "/tmp/my sock", 12);
	s = "# example.com:443 " FP_A;
	assert_false(knownhosts_parse(s, strlen(s), &l));
	s = "   ";
	assert_false(knownhosts_parse(s, strlen(s), &l));
	assert_false(knownhosts_parse("", 0, &l));
	s = FP_A;			/* no key */
	assert_false(knownhosts_parse(s, strlen(s), &l));
	s = "example.com:443 sha256:12:34";	/* not a fingerprint */
	assert_false(knownhosts_parse(s, strlen(s), &l));
}

static void
test_key_ok(void **state)
{
	(void)state;
	assert_true(knownhosts_key_ok("example.com:443"));
	assert_true(knownhosts_key_ok("/run/my sock"));
	assert_true(knownhosts_key_ok("@abstract"));
	assert_false(knownhosts_key_ok(""));
	assert_false(knownhosts_key_ok("#x:1"));
	assert_false(knownhosts_key_ok(" x:1"));
	assert_false(knownhosts_key_ok("x:1\t"));
	assert_false(knownhosts_key_ok("a\nb:1"));
	assert_false(knownhosts_key_ok("a\rb:1"));
	assert_false(knownhosts_key_ok("a\x7f:1"));
}

static void
test_find(void **state)
{
	static const char text[] =
	    "# tcptalk known hosts\n"
	    "\n"
	    "a.example:443 " FP_A "\n"
	    "b.example:443 garbage\n"
	    "b.example:443 " FP_B "\n"
	    "a.example:443 " FP_B "\n"	/* a second line: the first wins */
	    "c.example:1 " FP_B;		/* no newline at the end */
	char hex[KNOWNHOSTS_HEX_LEN];

	(void)state;
	assert_true(knownhosts_find(text, strlen(text), "a.example:443", hex));
	assert_string_equal(hex, HEX_A);
	assert_true(knownhosts_find(text, strlen(text), "b.example:443", hex));
	assert_string_equal(hex, HEX_B);
	assert_true(knownhosts_find(text, strlen(text), "c.example:1", hex));
	assert_string_equal(hex, HEX_B);
	assert_false(knownhosts_find(text, strlen(text), "a.example:44", hex));
	assert_false(knownhosts_find(text, strlen(text), "a.example", hex));
	assert_false(knownhosts_find(text, strlen(text), "# tcptalk known",
	    hex));
	assert_false(knownhosts_find("", 0, "a.example:443", hex));
	/* the length, not a NUL, ends the text */
	assert_false(knownhosts_find(text, 30, "a.example:443", hex));
}

static void
test_replace(void **state)
{
	static const char text[] =
	    "# mine\n"
	    "a.example:443 " FP_A "\n"
	    "b.example:443 " FP_B "\n"
	    "a.example:443 " FP_A "\n"
	    "a.example:443 broken";
	char *out, hex[KNOWNHOSTS_HEX_LEN];
	size_t n;

	(void)state;
	out = knownhosts_replace(text, strlen(text), "a.example:443", FP_B, &n);
	assert_non_null(out);
	assert_int_equal(n, strlen(out));
	/* at the first one's place, the duplicate gone, the rest kept */
	assert_string_equal(out,
	    "# mine\n"
	    "a.example:443 " FP_B "\n"
	    "b.example:443 " FP_B "\n"
	    "a.example:443 broken\n");
	assert_true(knownhosts_find(out, n, "a.example:443", hex));
	assert_string_equal(hex, HEX_B);
	free(out);
	/* a new key is appended, after the newline the text lacked */
	out = knownhosts_replace("x:1 " FP_A, 4 + strlen(FP_A), "/tmp/a b",
	    FP_B, &n);
	assert_non_null(out);
	assert_string_equal(out, "x:1 " FP_A "\n/tmp/a b " FP_B "\n");
	assert_true(knownhosts_find(out, n, "/tmp/a b", hex));
	assert_string_equal(hex, HEX_B);
	assert_true(knownhosts_find(out, n, "x:1", hex));
	assert_string_equal(hex, HEX_A);
	free(out);
	out = knownhosts_replace("", 0, "x:1", FP_A, &n);
	assert_non_null(out);
	assert_string_equal(out, "x:1 " FP_A "\n");
	free(out);
	/* what cannot be one line is refused */
	errno = 0;
	assert_null(knownhosts_replace("", 0, "a\nb", FP_A, &n));
	assert_int_equal(errno, EINVAL);
	assert_null(knownhosts_replace("", 0, "x:1", "sha256:12", &n));
	assert_null(knownhosts_replace("", 0, "x:1", "sha256: " HEX_A, &n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fp_hex),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_key_ok),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
