/* Unit tests for search (/find): smart case, text as shown across the dim
 * markers of escapes, UTF-8, match ranges, and the walk from entry to
 * entry (older, newer, never wrapping). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "search.h"
#include "transcript.h"

/* All matches of needle in s as "start-end " pairs. */
static const char *
ranges(const char *needle, const char *s, size_t n)
{
	static char out[512];
	struct search q;
	size_t from = 0, a, b, j = 0;

	search_init(&q, needle, strlen(needle));
	out[0] = '\0';
	while (j < sizeof out - 32 && search_in(&q, s, n, from, &a, &b)) {
		j += (size_t)snprintf(out + j, sizeof out - j, "%zu-%zu ", a, b);
		from = b;
	}
	return out;
}

static bool
finds(const char *needle, const char *s)
{
	struct search q;
	size_t a, b;

	search_init(&q, needle, strlen(needle));
	return search_in(&q, s, strlen(s), 0, &a, &b);
}

static void
test_smart_case(void **state)
{
	struct search q;

	(void)state;
	search_init(&q, "line 17", 7);
	assert_true(q.icase);
	search_init(&q, "Line", 4);
	assert_false(q.icase);
	/* no capital: any case matches */
	assert_true(finds("line 17", "LINE 17"));
	assert_true(finds("line", "a Line b"));
	assert_true(finds("hello", "HeLLo"));
	/* a capital: exactly */
	assert_false(finds("LINE", "line 17"));
	assert_true(finds("LINE", "LINE 17"));
	assert_false(finds("Hello", "hello"));
	/* Latin, Greek and Cyrillic letters fold the same way */
	assert_true(finds("é", "CAFÉ"));
	assert_false(finds("É", "café"));
	assert_true(finds("žluťoučký", "ŽLUŤOUČKÝ"));
	assert_true(finds("привет", "ПРИВЕТ мир"));
	assert_true(finds("σοφ", "ΣΟΦ"));
	assert_false(finds("Привет", "привет"));
	/* not letters: no case at all */
	assert_true(finds("12:30", "at 12:30"));
	assert_false(finds("", "anything"));
	/* byte by byte, yet never ending inside a character: a needle cut
	 * mid-character (Ÿ and half of another) is not in "ŸŸ" */
	assert_false(finds("\xc5\xb8\xc5", "\xc5\xb8\xc5\xb8"));
	assert_true(finds("\xc5\xb8", "\xc5\xb8\xc5\xb8"));
}

static void
test_markers_do_not_break_a_match(void **state)
{
	size_t n;
	char *s;

	(void)state;
	/* ESC [1m, DEL and an invalid byte, shown dimmed: ^[ ^? \xff */
	s = sanitize_line("a\033[1mb\177 \377z", 10, 0, &n);
	assert_non_null(s);
	assert_memory_equal(s, "a\001^[\002[1mb\001^?\002 \001\\xff\002z", n);
	assert_true(finds("^[", s));
	assert_true(finds("^[[1m", s));
	/* across the start and the end of a dimmed escape */
	assert_true(finds("a^[[", s));
	assert_true(finds("mb^? \\xffz", s));
	/* a match starts and ends at what is shown, never at a marker */
	assert_string_equal(ranges("^[", s, n), "2-4 ");
	assert_string_equal(ranges("a^", s, n), "0-3 ");
	assert_string_equal(ranges("xff", s, n), "16-19 ");
	/* the marker bytes themselves are not text */
	assert_false(finds("a\001", s));
	assert_false(finds("a^]", s));
	free(s);
	/* a tab is shown as spaces after a mark for /show */
	s = sanitize_line("a\tb", 3, 0, &n);
	assert_non_null(s);
	assert_memory_equal(s, "a\003       b", n);
	assert_string_equal(ranges("a b", s, n), "");
	assert_string_equal(ranges("a  ", s, n), "0-4 ");
	assert_string_equal(ranges(" b", s, n), "8-10 ");
	free(s);
}

static void
test_utf8_and_ranges(void **state)
{
	const char *s = "你好，收到了 收到";

	(void)state;
	/* byte offsets: 你 好 ， 收 到 了 are 3 bytes each */
	assert_string_equal(ranges("收到", s, strlen(s)), "9-15 19-25 ");
	assert_string_equal(ranges("你好", s, strlen(s)), "0-6 ");
	assert_string_equal(ranges("到了", s, strlen(s)), "12-18 ");
	assert_string_equal(ranges("收音", s, strlen(s)), "");
	/* half a character never matches a whole one */
	assert_string_equal(ranges("\xe6\x94", s, strlen(s)), "");
	assert_string_equal(ranges("\x94\xb6", s, strlen(s)), "");
	/* matches do not overlap, and every one is found */
	assert_string_equal(ranges("aa", "aaaaa", 5), "0-2 2-4 ");
	assert_string_equal(ranges("ab", "xAbyaBab", 8), "1-3 4-6 6-8 ");
	assert_string_equal(ranges("ab", "ba", 2), "");
	/* a needle longer than the text */
	assert_string_equal(ranges("abc", "ab", 2), "");
}

#define RECV(t, s)	assert_int_equal(transcript_recv(t, s, strlen(s), 100), 0)
#define SENT(t, s)	assert_int_equal(transcript_sent(t, s, strlen(s), 100, false), 0)

/* The text of the entry found, or "-" for none. */
static const char *
found(const struct transcript *t, const char *needle, bool merged,
    enum tr_side side, uint64_t seq, bool older, uint64_t *at)
{
	const struct sb_line *l;
	struct search q;

	search_init(&q, needle, strlen(needle));
	l = search_entry(&q, t, merged, side, seq, older);
	*at = l != NULL ? l->seq : 0;
	return l != NULL ? l->text : "-";
}

/* < line 1, > sent 1, < line 2, > sent 2, < line 3, > sent 3 */
static void
conversation(struct transcript *t)
{
	assert_int_equal(transcript_init(t, 100, NULL, NULL), 0);
	RECV(t, "line 1\n");
	SENT(t, "sent 1 line");
	RECV(t, "line 2\n");
	SENT(t, "sent 2");
	RECV(t, "line 3\n");
	SENT(t, "sent 3 LINE");
}

static void
test_walk_older_and_newer(void **state)
{
	struct transcript t;
	uint64_t at, first;

	(void)state;
	conversation(&t);
	/* from the newest back, both sides merged by time */
	assert_string_equal(found(&t, "line", true, 0, 0, true, &at), "sent 3 LINE");
	first = at;
	assert_string_equal(found(&t, "line", true, 0, at, true, &at), "line 3");
	assert_string_equal(found(&t, "line", true, 0, at, true, &at), "line 2");
	assert_string_equal(found(&t, "line", true, 0, at, true, &at), "sent 1 line");
	assert_string_equal(found(&t, "line", true, 0, at, true, &at), "line 1");
	/* the oldest: no wrap to the newest */
	assert_string_equal(found(&t, "line", true, 0, at, true, &at), "-");
	/* and back towards live, one by one */
	at = t.seq - 5;		/* "line 1" */
	assert_string_equal(found(&t, "line", true, 0, at, false, &at), "sent 1 line");
	assert_string_equal(found(&t, "line", true, 0, at, false, &at), "line 2");
	assert_string_equal(found(&t, "line", true, 0, at, false, &at), "line 3");
	assert_string_equal(found(&t, "line", true, 0, at, false, &at), "sent 3 LINE");
	assert_int_equal(at, first);
	assert_string_equal(found(&t, "line", true, 0, at, false, &at), "-");
	/* smart case through the walk */
	assert_string_equal(found(&t, "LINE", true, 0, 0, true, &at), "sent 3 LINE");
	assert_string_equal(found(&t, "LINE", true, 0, at, true, &at), "-");
	/* one side alone */
	assert_string_equal(found(&t, "line", false, TR_SIDE_RECV, 0, true, &at),
	    "line 3");
	assert_string_equal(found(&t, "sent", false, TR_SIDE_RECV, 0, true, &at), "-");
	assert_string_equal(found(&t, "sent", false, TR_SIDE_SENT, 0, true, &at),
	    "sent 3 LINE");
	/* nothing anywhere */
	assert_string_equal(found(&t, "nothing", true, 0, 0, true, &at), "-");
	assert_string_equal(found(&t, "nothing", true, 0, 1, false, &at), "-");
	transcript_free(&t);
}

static void
test_tally_and_chinese_entries(void **state)
{
	struct transcript t;
	struct search q;
	size_t total, nth;
	uint64_t at;

	(void)state;
	conversation(&t);
	search_init(&q, "line", 4);
	search_tally(&q, &t, true, 0, t.seq, &total, &nth);
	assert_int_equal(total, 5);
	assert_int_equal(nth, 1);
	search_tally(&q, &t, true, 0, t.seq - 1, &total, &nth);	/* line 3 */
	assert_int_equal(nth, 2);
	search_tally(&q, &t, true, 0, 1, &total, &nth);		/* line 1 */
	assert_int_equal(nth, 5);
	search_init(&q, "zzz", 3);
	search_tally(&q, &t, true, 0, 0, &total, &nth);
	assert_int_equal(total, 0);
	/* an open received line without newline is found too */
	SENT(&t, "你好");
	RECV(&t, "收到");
	assert_string_equal(found(&t, "收到", true, 0, 0, true, &at), "收到");
	assert_string_equal(found(&t, "你好", true, 0, 0, true, &at), "你好");
	assert_string_equal(found(&t, "收到", true, 0, at, false, &at), "收到");
	transcript_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smart_case),
		cmocka_unit_test(test_markers_do_not_break_a_match),
		cmocka_unit_test(test_utf8_and_ranges),
		cmocka_unit_test(test_walk_older_and_newer),
		cmocka_unit_test(test_tally_and_chinese_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
