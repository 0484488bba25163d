/*
 * fuzz_lines.c - line framing (lines_feed) on any bytes, in any chunks.
 *
 * The data: a byte for the cap (small, so it is hit), a byte for how the
 * rest is cut into chunks, then the bytes.  Properties, against a model
 * written here: every LF ends exactly one line; a line is the bytes before
 * its LF less one CR right before the LF, the first max of them kept and the
 * rest counted in dropped (that CR never counts); what follows the last LF
 * is the partial line, kept and counted the same way (a CR at its very end
 * may be half of a CRLF, and is not counted when past the cap).  So the
 * lines, their line ends, their dropped counts and the partial add up to the
 * input, byte for byte, whatever the chunks.
 */
#include <string.h>

#include "fuzz.h"
#include "lines.h"

struct run {
	const char	*in;		/* the whole input */
	size_t		 n;
	size_t		 at;		/* model: start of the next line */
	size_t		 max;
	size_t		 lines;
};

static void
expect(const struct run *r, size_t from, size_t to, bool complete,
    const char *got, size_t len, uint64_t dropped)
{
	size_t keep, n = to - from, skip_cr = 0;

	/* the CR of a CRLF is not text; at the partial's end it is held back
	 * from the count (it may be half of one) when it is past the cap */
	if (n > 0 && r->in[to - 1] == '\r' && (complete || n > r->max))
		skip_cr = 1;
	if (complete)
		n -= skip_cr;
	keep = n < r->max ? n : r->max;
	CHECK(len == keep, "line %zu: %zu bytes kept, expected %zu", r->lines,
	    len, keep);
	CHECK(memcmp(got, r->in + from, keep) == 0, "line %zu: wrong bytes",
	    r->lines);
	n -= complete ? 0 : skip_cr;
	CHECK(dropped == n - keep, "line %zu: dropped %llu, expected %zu",
	    r->lines, (unsigned long long)dropped, n - keep);
}

static void
line_cb(void *arg, const char *line, size_t len, uint64_t dropped, bool crlf)
{
	struct run *r = arg;
	const char *nl = memchr(r->in + r->at, '\n', r->n - r->at);

	CHECK(nl != NULL, "a line (%zu) with no LF left in the input", r->lines);
	CHECK(crlf == (nl > r->in + r->at && nl[-1] == '\r'),
	    "line %zu: crlf %d", r->lines, (int)crlf);
	CHECK(len <= r->max, "line of %zu bytes, cap %zu", len, r->max);
	expect(r, r->at, (size_t)(nl - r->in), true, line, len, dropped);
	r->at = (size_t)(nl - r->in) + 1;
	r->lines++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t capb = fz_byte(&f);
	uint32_t seed = fz_byte(&f) * 2654435761u + 1;
	struct run r = { (const char *)f.p, f.n, 0, 1 + capb % 24, 0 };
	struct lines fr;
	size_t i = 0, c, len, nls = 0;
	const char *part;
	uint64_t dropped;

	if (capb >= 0xf0)
		r.max = LINES_MAX;
	CHECK(lines_init(&fr, r.max) == 0, "lines_init");
	while (i < r.n) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		c = 1 + seed % (seed & 0x100 ? 3 : 40);
		if (c > r.n - i)
			c = r.n - i;
		lines_feed(&fr, r.in + i, c, line_cb, &r);
		i += c;
	}
	for (i = 0; i < r.n; i++)
		nls += r.in[i] == '\n';
	CHECK(r.lines == nls, "%zu lines for %zu LFs", r.lines, nls);
	part = lines_partial(&fr, &len, &dropped);
	expect(&r, r.at, r.n, false, part, len, dropped);
	lines_reset(&fr);
	part = lines_partial(&fr, &len, &dropped);
	CHECK(len == 0 && dropped == 0, "lines_reset left %zu bytes", len);
	lines_free(&fr);
	return 0;
}
