/*
 * fuzz_crlf.c - LF to CRLF over a stream cut into any chunks.
 *
 * Properties: each call writes at most 2n bytes; the output of all chunks
 * is the input with a CR put before every LF that does not already follow
 * a CR (in the stream, not the chunk); so it holds no bare LF, and taking
 * those CRs out gives the input back.
 */
#include <string.h>

#include "crlf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t cut = fz_byte(&f);
	const char *in = (const char *)f.p;
	size_t n = f.n, i = 0, c, o = 0, w, j, k = 0;
	struct crlf st = { false };
	char *out = malloc(2 * n + 1), *want = malloc(2 * n + 1);

	CHECK(out != NULL && want != NULL, "malloc");
	while (i < n) {
		c = 1 + (cut + i * 7) % (cut % 32 + 1);
		if (c > n - i)
			c = n - i;
		w = crlf_convert(&st, in + i, c, out + o);
		CHECK(w <= 2 * c, "%zu bytes out of %zu", w, c);
		o += w;
		i += c;
	}
	for (j = 0; j < n; j++) {
		if (in[j] == '\n' && (j == 0 || in[j - 1] != '\r'))
			want[k++] = '\r';
		want[k++] = in[j];
	}
	CHECK(o == k && memcmp(out, want, k) == 0, "output differs (%zu vs %zu "
	    "bytes)", o, k);
	for (j = 0; j < o; j++)
		CHECK(out[j] != '\n' || (j > 0 && out[j - 1] == '\r'),
		    "bare LF at %zu", j);
	free(out);
	free(want);
	return 0;
}
