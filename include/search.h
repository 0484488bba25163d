/*
 * search.h - /find: text in the conversation as it is shown.
 *
 * Matching is on display text (sanitized, see sanitize.h) as the screen
 * shows it: the marker bytes (width.h) take no part, so "^[" finds the ESC that
 * is shown as ^[ and a match may run across the start or end of a dimmed
 * escape.  Smart case: a needle with a capital letter matches exactly;
 * otherwise case is ignored for ASCII, Latin-1, Latin Extended-A, Greek
 * and Cyrillic letters.  Other characters (Chinese, emoji) match as they
 * are.  Matches do not overlap.
 */
#ifndef TCPTALK_SEARCH_H
#define TCPTALK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transcript.h"

struct search {
	const char	*needle;	/* not owned */
	size_t		 len;
	bool		 icase;		/* no capital in the needle */
};

/* Prepare a search for needle (an empty needle matches nothing). */
void	search_init(struct search *, const char *needle, size_t len);
/* The first match in display text s[0, n) that starts at or after byte
 * from: true, and its bytes [*start, *end) (markers inside it included,
 * none at its ends).  Step on with from = *end. */
bool	search_in(const struct search *, const char *s, size_t n, size_t from,
	    size_t *start, size_t *end);
/* Does this entry's text match? */
bool	search_entry_matches(const struct search *, const struct sb_line *);
/*
 * The nearest matching entry of a view (one side, or both merged by seq)
 * older than seq (seq 0: from the newest) or newer than seq; NULL when
 * there is none.  Never wraps around: at either end it says so by NULL.
 */
const struct sb_line *search_entry(const struct search *,
	    const struct transcript *, bool merged, enum tr_side, uint64_t seq,
	    bool older);
/* How many entries of the view match (*total), and how many of those are
 * not older than seq (*nth: 1 for the newest match). */
void	search_tally(const struct search *, const struct transcript *,
	    bool merged, enum tr_side, uint64_t seq, size_t *total, size_t *nth);

#endif
