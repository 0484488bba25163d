/* Unit tests for SHA-256: the FIPS 180 examples, the padding edges, and
 * the same digest however the bytes are split between updates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static const char *
hex_of(const void *p, size_t n, char out[SHA256_HEX_LEN])
{
	struct sha256 s;
	uint8_t d[SHA256_LEN];

	sha256_init(&s);
	sha256_update(&s, p, n);
	sha256_final(&s, d);
	sha256_hex(d, out);
	return out;
}

static void
test_fips_vectors(void **state)
{
	static const char m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[SHA256_HEX_LEN];
	struct sha256 s;
	uint8_t d[SHA256_LEN], a[1000];
	int i;

	(void)state;
	assert_string_equal(hex_of("", 0, hex),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(hex_of("abc", 3, hex),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(hex_of(m448, strlen(m448), hex),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', fed a thousand at a time */
	memset(a, 'a', sizeof a);
	sha256_init(&s);
	for (i = 0; i < 1000; i++)
		sha256_update(&s, a, sizeof a);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	assert_string_equal(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths where the padding needs one block or two (from sha256sum). */
static void
test_padding_edges(void **state)
{
	static const struct { size_t n; const char *hex; } v[] = {
	    { 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072" },
	    { 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e" },
	    { 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2" },
	    { 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c" },
	    { 65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9" },
	    { 119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c" },
	    { 120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98" },
	};
	char x[128], hex[SHA256_HEX_LEN];
	size_t i;

	(void)state;
	memset(x, 'x', sizeof x);
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		assert_string_equal(hex_of(x, v[i].n, hex), v[i].hex);
}

/* Split anywhere, in pieces of any size: the digest of the whole. */
static void
test_split_updates(void **state)
{
	char whole[SHA256_HEX_LEN], hex[SHA256_HEX_LEN];
	uint8_t data[300], d[SHA256_LEN];
	struct sha256 s;
	size_t cut, step, at, n;

	(void)state;
	for (at = 0; at < sizeof data; at++)
		data[at] = (uint8_t)(at * 7 + 3);
	hex_of(data, sizeof data, whole);
	for (cut = 0; cut <= sizeof data; cut++) {
		sha256_init(&s);
		sha256_update(&s, data, cut);
		sha256_update(&s, data + cut, sizeof data - cut);
		sha256_final(&s, d);
		sha256_hex(d, hex);
		assert_string_equal(hex, whole);
	}
	for (step = 1; step <= 130; step++) {
		sha256_init(&s);
		for (at = 0; at < sizeof data; at += n) {
			n = sizeof data - at < step ? sizeof data - at : step;
			sha256_update(&s, data + at, n);
		}
		sha256_final(&s, d);
		sha256_hex(d, hex);
		assert_string_equal(hex, whole);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_vectors),
		cmocka_unit_test(test_padding_edges),
		cmocka_unit_test(test_split_updates),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
