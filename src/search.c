/* search.c - /find: matches in display text, and the next matching entry. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search.h"
#include "transcript.h"
#include "width.h"

#define NOT_A_CHAR	0x110000	/* + the byte: an invalid byte's "code point" */

static bool
is_marker(char ch)
{
	return WIDTH_IS_MARKER(ch);
}

/* One character at s: its code point and length (an invalid byte is one
 * character of its own, equal only to the same byte). */
static size_t
next_char(const char *s, size_t n, uint32_t *cp)
{
	int l = width_utf8(s, n, cp);

	if (l > 0)
		return (size_t)l;
	*cp = NOT_A_CHAR + (unsigned char)s[0];
	return 1;
}

/* Lower case of the letters whose cases pair simply (the same UTF-8
 * length either way); anything else is itself. */
static uint32_t
fold(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
	if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) ||	/* À..Þ */
	    (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||	/* Α..Ϋ */
	    (cp >= 0x410 && cp <= 0x42f))			/* А..Я */
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)				/* Ѐ..Џ */
		return cp + 0x50;
	if (cp == 0x178)					/* Ÿ */
		return 0xff;
	if (cp < 0x100 || cp > 0x17e || cp == 0x130 || cp == 0x131 ||
	    cp == 0x138 || cp == 0x149)
		return cp;
	/* Latin Extended-A: upper case even, lower odd, except two runs */
	if ((cp >= 0x139 && cp <= 0x148) || cp >= 0x179)
		return cp & 1 ? cp + 1 : cp;
	return cp & 1 ? cp : cp + 1;
}

void
search_init(struct search *q, const char *needle, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	q->needle = needle;
	q->len = len;
	q->icase = true;
	while (i < len) {
		i += next_char(needle + i, len - i, &cp);
		if (fold(cp) != cp)
			q->icase = false;
	}
}

/* Does the needle match at s + i (i not a marker)?  *end: after it. */
static bool
match_at(const struct search *q, const char *s, size_t n, size_t i,
    size_t *end)
{
	uint32_t a, b;
	size_t k = 0;

	while (k < q->len) {
		while (i < n && is_marker(s[i]))
			i++;
		if (i == n)
			return false;
		if (!q->icase) {
			if (s[i++] != q->needle[k++])
				return false;
			continue;
		}
		i += next_char(s + i, n - i, &a);
		k += next_char(q->needle + k, q->len - k, &b);
		if (fold(a) != fold(b))
			return false;
	}
	/* byte by byte, a needle cut inside a character (invalid UTF-8)
	 * would end a match inside one of the text's */
	if (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
		return false;
	*end = i;
	return true;
}

bool
search_in(const struct search *q, const char *s, size_t n, size_t from,
    size_t *start, size_t *end)
{
	unsigned char first;
	uint32_t cp;
	size_t i;

	if (q->len == 0)
		return false;
	first = (unsigned char)q->needle[0];
	if (q->icase && first < 0x80)
		first = (unsigned char)fold(first);
	for (i = from; i < n; i += next_char(s + i, n - i, &cp)) {
		if (is_marker(s[i]))
			continue;	/* a match starts at what is shown */
		/* a quick look at the first byte before the whole needle */
		if (first < 0x80 && (unsigned char)s[i] != first &&
		    !(q->icase && fold((unsigned char)s[i]) == first))
			continue;
		if (match_at(q, s, n, i, end)) {
			*start = i;
			return true;
		}
	}
	return false;
}

bool
search_entry_matches(const struct search *q, const struct sb_line *l)
{
	size_t a, b;

	return search_in(q, l->text, l->len, 0, &a, &b);
}

const struct sb_line *
search_entry(const struct search *q, const struct transcript *t, bool merged,
    enum tr_side side, uint64_t seq, bool older)
{
	const struct sb_line *l, *best = NULL;
	struct tr_walk w;

	tr_walk_init(&w, t, merged, side);
	while ((l = tr_walk_prev(&w)) != NULL) {
		if (older) {
			if ((seq == 0 || l->seq < seq) &&
			    search_entry_matches(q, l))
				return l;
		} else {
			/* walking back: the last match seen above seq is the
			 * nearest newer one */
			if (l->seq <= seq)
				break;
			if (search_entry_matches(q, l))
				best = l;
		}
	}
	return best;
}

void
search_tally(const struct search *q, const struct transcript *t, bool merged,
    enum tr_side side, uint64_t seq, size_t *total, size_t *nth)
{
	const struct sb_line *l;
	struct tr_walk w;

	*total = *nth = 0;
	tr_walk_init(&w, t, merged, side);
	while ((l = tr_walk_prev(&w)) != NULL) {
		if (!search_entry_matches(q, l))
			continue;
		++*total;
		if (l->seq >= seq)
			++*nth;
	}
}
