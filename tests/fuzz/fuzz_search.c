/*
 * fuzz_search.c - /find's matcher on display text.
 *
 * Properties, for a needle (fuzzed bytes, or a piece of the text with its
 * case changed) and display text (sanitize_line of fuzzed bytes): stepping
 * search_in from 0 with from = *end reports exactly the matches a naive
 * reference finds, leftmost first and greedy, over the text with the
 * width.h markers taken out: each range lies within the text, starts
 * after the last one ended, neither starts nor ends on a marker, and holds
 * the needle under the smart case rule (exact with a capital in the
 * needle, else case folded with towlower() for ASCII, Latin-1, Latin
 * Extended-A, basic Greek and Cyrillic capitals of the same UTF-8 length;
 * an invalid byte is a character of its own);
 * search_entry_matches agrees; an empty needle matches nothing.
 */
#include <string.h>
#include <wctype.h>

#include "fuzz.h"
#include "sanitize.h"
#include "scrollback.h"
#include "search.h"

FUZZ_UTF8_LOCALE

struct ch {
	uint32_t	cp;	/* 0x110000 + byte for an invalid byte */
	size_t		at, end;
};

static size_t
utf8_len(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp >= 0x110000) {
		o[0] = (char)(cp - 0x110000);
		return 1;
	}
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static uint32_t
ref_fold(uint32_t cp)
{
	uint32_t l;

	if (!(cp <= 0x17f || (cp >= 0x391 && cp <= 0x3ab) ||
	    (cp >= 0x400 && cp <= 0x42f)))
		return cp;
	l = (uint32_t)towlower((wint_t)cp);
	return utf8_len(l) == utf8_len(cp) ? l : cp;
}

/* The characters of s, markers left out (skip: keep them). */
static size_t
chars(const char *s, size_t n, struct ch *c, int skip)
{
	size_t i = 0, k = 0, l;
	uint32_t cp;

	while (i < n) {
		if (skip && WIDTH_IS_MARKER(s[i])) {
			i++;
			continue;
		}
		l = fz_utf8((const unsigned char *)s + i, n - i, &cp);
		if (l == 0) {
			cp = 0x110000 + (unsigned char)s[i];
			l = 1;
		}
		c[k].cp = cp;
		c[k].at = i;
		c[k].end = i + l;
		k++;
		i += l;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct search q;
	struct sb_line line;
	struct ch *tc, *nc;
	size_t tn, nn, n, len, i, k, m, start, end, from, want_s, want_e;
	uint8_t mode, nlen;
	const char *raw;
	char *text, *needle;
	bool icase, strict = true, any = false;

	mode = fz_byte(&f);
	nlen = fz_byte(&f) % 24;
	raw = fz_bytes(&f, mode & 1 ? 0 : nlen, &n);
	needle = malloc(4 * 24 + n + 1);
	CHECK(needle != NULL, "malloc");
	memcpy(needle, raw, n);
	len = n;
	text = sanitize_line((const char *)f.p, f.n, 0, &n);
	CHECK(text != NULL, "sanitize_line");
	tc = malloc((n + 1) * sizeof *tc);
	nc = malloc((4 * 24 + len + 1) * sizeof *nc);
	CHECK(tc != NULL && nc != NULL, "malloc");
	tn = chars(text, n, tc, 1);
	if (mode & 1 && tn > 0) {
		/* a piece of the text, some of it in the other case */
		i = (mode >> 1) % tn;
		for (k = 0; k < nlen && i + k < tn; k++) {
			uint32_t cp = tc[i + k].cp;

			if (cp < 0x110000 && (mode >> (k % 6 + 2)) & 1) {
				uint32_t o = (uint32_t)(iswupper((wint_t)cp) ?
				    towlower((wint_t)cp) : towupper((wint_t)cp));

				if (o < 0x110000 && utf8_len(o) == utf8_len(cp))
					cp = o;
			}
			len += put_utf8(needle + len, cp);
		}
	}
	nn = chars(needle, len, nc, 0);
	icase = true;
	for (k = 0; k < nn; k++)
		if (ref_fold(nc[k].cp) != nc[k].cp)
			icase = false;

	search_init(&q, needle, len);
	CHECK(q.icase == icase, "icase %d, reference %d", q.icase, icase);
	/* An exact (capital) needle is matched byte by byte, and a match
	 * never ends inside a character ("\xc5\xb8\xc5" is not in "ŸŸ").
	 * Display text is valid UTF-8; in invalid text a needle that is not
	 * UTF-8 either may meet bytes the reference splits otherwise, so
	 * that case gets only the range checks. */
	for (k = 0; k < nn; k++)
		if (nc[k].cp >= 0x110000)
			for (m = 0; m < tn; m++)
				if (tc[m].cp >= 0x110000)
					strict = icase;
	if (!strict) {
		for (from = 0; search_in(&q, text, n, from, &start, &end);
		    from = end)
			CHECK(start >= from && end <= n && start < end &&
			    !WIDTH_IS_MARKER(text[start]) &&
			    !WIDTH_IS_MARKER(text[end - 1]), "range [%zu, %zu)",
			    start, end);
		goto done;
	}
	from = 0;
	k = 0;
	for (;;) {
		/* the reference's next match at or after char k */
		want_s = want_e = 0;
		for (; nn > 0 && k + nn <= tn; k++) {
			for (m = 0; m < nn; m++) {
				uint32_t a = tc[k + m].cp, b = nc[m].cp;

				if (icase ? ref_fold(a) != ref_fold(b) : a != b)
					break;
			}
			if (m == nn) {
				want_s = tc[k].at;
				want_e = tc[k + nn - 1].end;
				k += nn;
				break;
			}
		}
		if (want_e == 0) {
			CHECK(!search_in(&q, text, n, from, &start, &end),
			    "match [%zu, %zu) the reference does not see", start,
			    end);
			break;
		}
		CHECK(search_in(&q, text, n, from, &start, &end),
		    "missed the match at [%zu, %zu)", want_s, want_e);
		CHECK(start == want_s && end == want_e, "match [%zu, %zu), "
		    "reference [%zu, %zu)", start, end, want_s, want_e);
		CHECK(start >= from && end <= n && start < end &&
		    !WIDTH_IS_MARKER(text[start]) &&
		    !WIDTH_IS_MARKER(text[end - 1]), "range [%zu, %zu)", start,
		    end);
		from = end;
		any = true;
	}
	memset(&line, 0, sizeof line);
	line.text = text;
	line.len = n;
	CHECK(search_entry_matches(&q, &line) == any, "entry matches %d, "
	    "reference %d", !any, any);
done:
	free(text);
	free(needle);
	free(tc);
	free(nc);
	return 0;
}
