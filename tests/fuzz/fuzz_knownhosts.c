/*
 * fuzz_knownhosts.c - the known-hosts text: parse, find and replace over
 * any bytes, with any key and fingerprint.
 *
 * Properties: nothing crashes or reads outside the text; replace succeeds
 * exactly when the key and the fingerprint can be stored, and then find
 * gives the new pin for the key, the key has one line, and every other
 * key's pin is what it was.
 */
#include <string.h>

#include "fuzz.h"
#include "knownhosts.h"

/* Runs of the text split at newlines, each parsed on its own. */
static size_t
count_lines_for(const char *t, size_t n, const char *key)
{
	struct knownhosts_line l;
	size_t i = 0, len, c = 0, klen = strlen(key);
	const char *nl;

	while (i < n) {
		nl = memchr(t + i, '\n', n - i);
		len = nl != NULL ? (size_t)(nl - (t + i)) : n - i;
		if (knownhosts_parse(t + i, len, &l)) {
			CHECK(l.key >= t + i && l.key + l.keylen <= t + i + len &&
			    l.fp >= t + i && l.fp + l.fplen <= t + i + len,
			    "parts outside the line");
			CHECK(l.keylen > 0, "empty key");
			if (l.keylen == klen && memcmp(l.key, key, klen) == 0)
				c++;
		}
		i += len + 1;
	}
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	size_t klen = fz_byte(&f) % 40, flen = fz_byte(&f) % 120, tlen, n, i;
	char key[48], fp[128], hex[KNOWNHOSTS_HEX_LEN], want[KNOWNHOSTS_HEX_LEN];
	char old[KNOWNHOSTS_HEX_LEN], now[KNOWNHOSTS_HEX_LEN], *text, *out;
	const char *p;
	struct knownhosts_line l;
	bool stored;

	p = fz_bytes(&f, klen, &klen);
	memcpy(key, p, klen);
	key[klen] = '\0';
	p = fz_bytes(&f, flen, &flen);
	memcpy(fp, p, flen);
	fp[flen] = '\0';
	/* the text in a buffer of its own size, so ASan sees any overread */
	p = fz_bytes(&f, f.n, &tlen);
	text = malloc(tlen > 0 ? tlen : 1);
	CHECK(text != NULL, "malloc");
	memcpy(text, p, tlen);

	(void)knownhosts_parse(text, tlen, &l);
	(void)knownhosts_find(text, tlen, key, hex);
	out = knownhosts_replace(text, tlen, key, fp, &n);
	/* key and fp are C strings: a NUL in the data ends them early */
	stored = knownhosts_key_ok(key) &&
	    knownhosts_fp_hex(fp, strlen(fp), want) &&
	    strpbrk(fp, " \t") == NULL;
	CHECK((out != NULL) == stored, "replace %s, expected %s",
	    out != NULL ? "stored" : "refused", stored ? "stored" : "refused");
	if (out != NULL) {
		CHECK(out[n] == '\0', "no NUL after %zu bytes", n);
		CHECK(knownhosts_find(out, n, key, now), "key not found after "
		    "replace");
		CHECK(strcmp(now, want) == 0, "found %s, stored %s", now, want);
		CHECK(count_lines_for(out, n, key) == 1, "%zu lines for the key",
		    count_lines_for(out, n, key));
		/* every other key keeps its pin */
		for (i = 0; i < tlen; ) {
			const char *nl = memchr(text + i, '\n', tlen - i);
			size_t len = nl != NULL ? (size_t)(nl - (text + i)) :
			    tlen - i;
			char other[256];

			if (knownhosts_parse(text + i, len, &l) &&
			    l.keylen < sizeof other &&
			    memchr(l.key, '\0', l.keylen) == NULL) {
				memcpy(other, l.key, l.keylen);
				other[l.keylen] = '\0';
				if (strcmp(other, key) != 0) {
					CHECK(knownhosts_find(text, tlen, other,
					    old), "old key lost");
					CHECK(knownhosts_find(out, n, other, now) &&
					    strcmp(old, now) == 0,
					    "the pin of another key changed");
				}
			}
			i += len + 1;
		}
		free(out);
	}
	free(text);
	return 0;
}
