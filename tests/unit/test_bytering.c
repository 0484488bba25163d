/* Unit tests for the bytes behind /hex: bytering (per-side rings, rows
 * dropped whole, floods, search) and hexview (the rows of a pane). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytering.h"
#include "hexfmt.h"
#include "hexview.h"

/* A pseudo-random byte stream: byte i of side s. */
static unsigned char
stream_byte(int s, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)(s + 1) * 77;

	x ^= x >> 29;
	return (unsigned char)(x * 0xbf58476d1ce4e5b9ull >> 56);
}

/* Feed n stream bytes of side s at offset off, in one chunk. */
static void
feed(struct bytering *r, int s, uint64_t off, size_t n, int64_t when)
{
	unsigned char *b = malloc(n);
	size_t i;

	assert_non_null(b);
	for (i = 0; i < n; i++)
		b[i] = stream_byte(s, off + i);
	bytering_add(r, s, off, when, b, n);
	free(b);
}

/* The kept bytes of side s are the stream's tail, every chunk record
 * agrees with them, and the kept part starts on a row of its chunk. */
static void
check_side(const struct bytering *r, int s, uint64_t total)
{
	const struct bytering_side *sd = &r->side[s];
	uint64_t k, p, kept = sd->end - sd->start;
	unsigned char b;

	assert_true(kept <= sd->cap);
	assert_int_equal(sd->end, total);
	assert_true(sd->chend - sd->chfirst <= sd->chcap);
	for (p = sd->start; p < sd->end; p++) {
		bytering_copy(sd, p, &b, 1);
		assert_int_equal(b, stream_byte(s, p));
	}
	for (k = sd->chfirst; k < sd->chend; k++) {
		const struct bytering_chunk *c = bytering_chunk(sd, k);

		/* one stream per side here: offsets are positions */
		assert_int_equal(c->offset, c->pos);
		if (k > sd->chfirst)
			assert_int_equal(c->pos, bytering_chunk(sd, k - 1)->pos +
			    bytering_chunk(sd, k - 1)->len);
		else
			assert_int_equal((bytering_chunk_start(sd, k) - c->pos) %
			    BYTERING_ROW, 0);
	}
	if (sd->chend > sd->chfirst) {
		const struct bytering_chunk *c = bytering_chunk(sd, sd->chend - 1);

		assert_int_equal(c->pos + c->len, sd->end);
		assert_true(bytering_chunk(sd, sd->chfirst)->pos <= sd->start);
	}
}

static void
test_cap_rule(void **state)
{
	(void)state;
	assert_int_equal(bytering_cap_for(10000), 160000);
	assert_int_equal(bytering_cap_for(10), 160);
	assert_int_equal(bytering_cap_for(0), 16);
}

static void
test_keeps_and_wraps(void **state)
{
	struct bytering r;
	uint64_t total = 0;
	size_t sizes[] = { 5, 20, 16, 1, 33, 7, 64, 3, 40 }, i, j;

	(void)state;
	assert_int_equal(bytering_init(&r, 64, 100), 0);
	assert_int_equal(r.side[0].cap, 64);
	feed(&r, BYTERING_IN, 0, 10, 1000);
	total = 10;
	check_side(&r, BYTERING_IN, total);
	assert_int_equal(bytering_kept(&r, BYTERING_IN), 10);
	assert_int_equal(bytering_chunk(&r.side[0], 0)->when_ms, 1000);
	assert_int_equal(bytering_chunk(&r.side[0], 0)->len, 10);
	/* round and round the 64 bytes, a chunk cut at a row each time */
	for (j = 0; j < 20; j++)
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			feed(&r, BYTERING_IN, total, sizes[i], 0);
			total += sizes[i];
			check_side(&r, BYTERING_IN, total);
			if (total >= 64)
				assert_true(bytering_kept(&r, BYTERING_IN) >
				    64 - BYTERING_ROW);
		}
	/* the last chunk (40 bytes) is all there, the one before (3) too,
	 * and of the 64 before them the last row's worth: 16 + 3 + 40 */
	assert_int_equal(bytering_kept(&r, BYTERING_IN), 59);
	assert_int_equal(bytering_chunk_start(&r.side[0], r.side[0].chfirst) -
	    bytering_chunk(&r.side[0], r.side[0].chfirst)->pos, 48);
	assert_int_equal(bytering_kept(&r, BYTERING_OUT), 0);
	bytering_free(&r);
}

static void
test_flood(void **state)
{
	struct bytering r;
	uint64_t in = 0, out = 0;
	size_t n;
	int i;

	(void)state;
	assert_int_equal(bytering_init(&r, 4096, 64), 0);
	feed(&r, BYTERING_OUT, 0, 100, 0);
	out = 100;
	/* 40 MB received, far beyond the ring, in reads of every size */
	for (i = 0; in < 40u << 20; i++) {
		n = (size_t)(i * 7919 % 300000) + 1;
		feed(&r, BYTERING_IN, in, n, i);
		in += n;
		assert_true(bytering_kept(&r, BYTERING_IN) <= 4096);
	}
	check_side(&r, BYTERING_IN, in);
	assert_true(bytering_kept(&r, BYTERING_IN) > 4096 - BYTERING_ROW);
	/* the flood one way left the other side alone */
	check_side(&r, BYTERING_OUT, out);
	assert_int_equal(bytering_kept(&r, BYTERING_OUT), 100);
	/* one-byte writes: the chunk records are bounded too */
	for (i = 0; i < 1000; i++) {
		feed(&r, BYTERING_OUT, out, 1, i);
		out++;
	}
	check_side(&r, BYTERING_OUT, out);
	assert_int_equal(r.side[1].chend - r.side[1].chfirst, 64);
	assert_int_equal(bytering_kept(&r, BYTERING_OUT), 64);
	bytering_free(&r);
}

static void
test_find(void **state)
{
	struct bytering r;
	uint64_t at;

	(void)state;
	assert_int_equal(bytering_init(&r, 64, 16), 0);
	bytering_add(&r, BYTERING_IN, 0, 0, "HELO x\r", 7);
	bytering_add(&r, BYTERING_IN, 7, 0, "\n250 ok\r\n", 9);
	bytering_add(&r, BYTERING_OUT, 0, 0, "helo x\r\n", 8);
	/* across the two reads */
	assert_true(bytering_find(&r.side[0], "\r\n", 2, false, UINT64_MAX - 0,
	    false, &at));
	assert_int_equal(at, 6);
	assert_true(bytering_find(&r.side[0], "\r\n", 2, false, 6, false, &at));
	assert_int_equal(at, 14);
	assert_false(bytering_find(&r.side[0], "\r\n", 2, false, 14, false, &at));
	/* older from the end, then older again */
	assert_true(bytering_find(&r.side[0], "\r\n", 2, false, r.side[0].end,
	    true, &at));
	assert_int_equal(at, 14);
	assert_true(bytering_find(&r.side[0], "\r\n", 2, false, 14, true, &at));
	assert_int_equal(at, 6);
	assert_false(bytering_find(&r.side[0], "\r\n", 2, false, 6, true, &at));
	/* folded or exact */
	assert_true(bytering_find(&r.side[0], "helo", 4, true, 16, true, &at));
	assert_int_equal(at, 0);
	assert_false(bytering_find(&r.side[0], "helo", 4, false, 16, true, &at));
	assert_true(bytering_find(&r.side[1], "helo", 4, false, 8, true, &at));
	/* after the ring wrapped, old bytes are not found */
	bytering_add(&r, BYTERING_IN, 16, 0, "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", 64);
	assert_false(bytering_find(&r.side[0], "HELO", 4, false, UINT64_MAX,
	    false, &at));
	assert_true(bytering_find(&r.side[0], "f0", 2, false, UINT64_MAX, false,
	    &at));
	assert_int_equal(at, 31);
	bytering_free(&r);
}

/* ---- hexview ---- */

static uint32_t
tod_fixed(int64_t when_ms)
{
	return (uint32_t)(when_ms % 86400000);
}

/* The rows of a pane of h rows, top first, joined by '\n'. */
static void
pane(const struct bytering *r, bool merged, struct hexview_pos *v, size_t h,
    const struct hexview_mark *m, char *out)
{
	struct hexview_at at[64];
	struct hexview_row row;
	size_t n, i;

	n = hexview_rows(r, merged, v, at, h);
	out[0] = '\0';
	for (i = n; i-- > 0;) {
		hexview_format(r, &at[i], m, tod_fixed, &row);
		strcat(out, row.text);
		strcat(out, "\n");
	}
}

#define T1 ((12 * 3600 + 1) * 1000 + 123)	/* 12:00:01.123 */

static void
test_rows_received(void **state)
{
	struct bytering r;
	struct hexview_pos v = { true, { 0, 0, 0 } };
	char got[8192], want[8192];
	size_t len;

	(void)state;
	assert_int_equal(bytering_init(&r, 1024, 16), 0);
	bytering_add(&r, BYTERING_IN, 0, T1, "\xe6\x94\xb6\xe5\x88\xb0\r\n", 8);
	bytering_add(&r, BYTERING_OUT, 0, T1 + 5, "hi\n", 3);
	bytering_add(&r, BYTERING_IN, 8, T1 + 7,
	    "Hello world.\n\0\xe6\x94\xb6\xe5\x88\xb0", 20);
	len = hexfmt_header(want, '<', T1, 8);
	len += hexfmt_block(want + len, 0, "\xe6\x94\xb6\xe5\x88\xb0\r\n", 8);
	len += hexfmt_header(want + len, '<', T1 + 7, 20);
	len += hexfmt_block(want + len, 8, "Hello world.\n\0\xe6\x94\xb6\xe5\x88\xb0",
	    20);
	want[len] = '\0';
	pane(&r, false, &v, 20, NULL, got);
	assert_string_equal(got, want);
	assert_string_equal(got,
	    "< 12:00:01.123 received 8 bytes\n"
	    "00000000  e6 94 b6 e5 88 b0 0d 0a                           |........|\n"
	    "< 12:00:01.130 received 20 bytes\n"
	    "00000008  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|\n"
	    "00000018  b6 e5 88 b0                                       |....|\n");
	assert_true(v.live);
	/* a pane of 2 rows: the newest 2 */
	pane(&r, false, &v, 2, NULL, got);
	assert_string_equal(got,
	    "00000008  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|\n"
	    "00000018  b6 e5 88 b0                                       |....|\n");
	/* merged: the sent chunk between, by sequence */
	pane(&r, true, &v, 20, NULL, got);
	assert_string_equal(got,
	    "< 12:00:01.123 received 8 bytes\n"
	    "00000000  e6 94 b6 e5 88 b0 0d 0a                           |........|\n"
	    "> 12:00:01.128 sent 3 bytes\n"
	    "00000000  68 69 0a                                          |hi.|\n"
	    "< 12:00:01.130 received 20 bytes\n"
	    "00000008  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|\n"
	    "00000018  b6 e5 88 b0                                       |....|\n");
	/* the next peer (-k): its offsets start again at 0 */
	bytering_add(&r, BYTERING_IN, 0, T1 + 9, "250 ok\r\n", 8);
	pane(&r, false, &v, 2, NULL, got);
	assert_string_equal(got, "< 12:00:01.132 received 8 bytes\n"
	    "00000000  32 35 30 20 6f 6b 0d 0a                           |250 ok..|\n");
	bytering_free(&r);
}

static void
test_rows_scroll(void **state)
{
	struct bytering r;
	struct hexview_pos v = { true, { 0, 0, 0 } };
	char got[8192];
	int i;

	(void)state;
	assert_int_equal(bytering_init(&r, 1024, 64), 0);
	for (i = 0; i < 10; i++)	/* 10 chunks of 2 rows each */
		bytering_add(&r, i % 2 ? BYTERING_OUT : BYTERING_IN, (uint64_t)i / 2 *
		    4, T1, "abcd", 4);
	hexview_scroll(&r, true, &v, 2);
	assert_false(v.live);
	pane(&r, true, &v, 2, NULL, got);
	assert_string_equal(got, "< 12:00:01.123 received 4 bytes\n"
	    "00000010  61 62 63 64                                       |abcd|\n");
	/* far up: the oldest row stays at the top, no blank rows */
	hexview_scroll(&r, true, &v, 1000);
	pane(&r, true, &v, 3, NULL, got);
	assert_string_equal(got, "< 12:00:01.123 received 4 bytes\n"
	    "00000000  61 62 63 64                                       |abcd|\n"
	    "> 12:00:01.123 sent 4 bytes\n");
	assert_false(v.live);
	/* down past the newest: live again */
	hexview_scroll(&r, true, &v, -1000);
	assert_true(v.live);
	/* a pane taller than everything: live, all 20 rows */
	hexview_scroll(&r, true, &v, 5);
	pane(&r, true, &v, 40, NULL, got);
	assert_true(v.live);
	/* the received side alone: 5 chunks */
	hexview_scroll(&r, false, &v, 9);
	pane(&r, false, &v, 1, NULL, got);
	assert_string_equal(got, "< 12:00:01.123 received 4 bytes\n");
	assert_int_equal(v.bottom.k, 0);
	/* scrolled to a sent row in the merged view, then split: the pane
	 * shows the received side only */
	v.live = true;
	hexview_scroll(&r, true, &v, 1);
	assert_int_equal(v.bottom.side, BYTERING_OUT);
	pane(&r, false, &v, 3, NULL, got);
	assert_null(strstr(got, "sent"));
	assert_non_null(strstr(got, "received"));
	bytering_free(&r);
}

static void
test_rows_dropped(void **state)
{
	struct bytering r;
	struct hexview_pos v = { false, { 0, 0, 2 } };
	char got[8192], big[100];
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		big[i] = (char)('A' + i % 26);
	assert_int_equal(bytering_init(&r, 64, 64), 0);
	bytering_add(&r, BYTERING_IN, 0, T1, big, 100);
	/* 100 bytes in 64: 36 must go, rounded up to the row at 0x30 */
	pane(&r, false, &v, 10, NULL, got);
	assert_string_equal(got, "< 12:00:01.123 received 100 bytes\n"
	    "00000030  57 58 59 5a 41 42 43 44  45 46 47 48 49 4a 4b 4c  |WXYZABCDEFGHIJKL|\n"
	    "00000040  4d 4e 4f 50 51 52 53 54  55 56 57 58 59 5a 41 42  |MNOPQRSTUVWXYZAB|\n"
	    "00000050  43 44 45 46 47 48 49 4a  4b 4c 4d 4e 4f 50 51 52  |CDEFGHIJKLMNOPQR|\n"
	    "00000060  53 54 55 56                                       |STUV|\n");
	/* the place (row 2) had dropped out: taken from the oldest, then the
	 * pane filled down to the newest: live */
	assert_true(v.live);
	bytering_free(&r);
}

static void
test_rows_mark(void **state)
{
	struct bytering r;
	struct hexview_mark m = { true, BYTERING_IN, 0, 2 };
	struct hexview_pos v = { true, { 0, 0, 0 } };
	struct hexview_at at[8];
	struct hexview_row row;
	uint64_t pos;

	(void)state;
	assert_int_equal(bytering_init(&r, 1024, 16), 0);
	bytering_add(&r, BYTERING_IN, 0, T1, "0123456789abcde\r", 16);
	bytering_add(&r, BYTERING_IN, 16, T1, "\nxyz", 4);
	assert_true(bytering_find(&r.side[0], "\r\n", 2, false, r.side[0].end,
	    true, &pos));
	m.pos = pos;
	assert_int_equal(hexview_rows(&r, false, &v, at, 8), 4);
	hexview_format(&r, &at[2], &m, tod_fixed, &row);	/* first chunk's row */
	assert_int_equal(row.hl_from, 15);
	assert_int_equal(row.hl_to, 16);
	assert_int_equal(row.text[hexview_hex_col(&row, 15)], '0');
	assert_int_equal(row.text[hexview_hex_col(&row, 15) + 1], 'd');
	assert_int_equal(row.text[hexview_ascii_col(&row, 15)], '.');
	assert_int_equal(row.text[hexview_ascii_col(&row, 0)], '0');
	assert_int_equal(row.text[hexview_hex_col(&row, 8)], '3');
	hexview_format(&r, &at[0], &m, tod_fixed, &row);	/* second's row */
	assert_int_equal(row.hl_from, 0);
	assert_int_equal(row.hl_to, 1);
	assert_int_equal(row.text[hexview_hex_col(&row, 0) + 1], 'a');
	hexview_format(&r, &at[1], &m, tod_fixed, &row);	/* a header */
	assert_int_equal(row.hl_to, 0);
	/* reveal: the match's row in a pane of 2 */
	hexview_scroll(&r, false, &v, 3);
	hexview_reveal(&r, false, &v, BYTERING_IN, pos, 2);
	assert_int_equal(hexview_rows(&r, false, &v, at, 2), 2);
	assert_true(at[0].k == 1 && at[0].row == 0);
	assert_true(at[1].k == 0 && at[1].row == 1);
	bytering_free(&r);
}

/* Rows a view should have: per kept chunk a header and its kept rows. */
static uint64_t
rows_expected(const struct bytering *r, bool merged)
{
	uint64_t n = 0, k;
	int s;

	for (s = 0; s < (merged ? 2 : 1); s++)
		for (k = r->side[s].chfirst; k < r->side[s].chend; k++) {
			const struct bytering_chunk *c = bytering_chunk(&r->side[s], k);
			uint64_t from = bytering_chunk_start(&r->side[s], k);

			n += 1 + (c->pos + c->len - from + BYTERING_ROW - 1) /
			    BYTERING_ROW;
		}
	return n;
}

static bool
same_row(const struct hexview_at *a, const struct hexview_at *b)
{
	return a->side == b->side && a->k == b->k && a->row == b->row;
}

/* Random reads and writes into small rings: after each, the sides hold
 * their streams' tails, and walking every row up from the newest and
 * back down meets each row once, in sequence order. */
static void
test_random_walk(void **state)
{
	struct bytering r;
	struct hexview_at at, back;
	uint64_t total[2] = { 0, 0 }, n, seq, prevseq;
	unsigned x = 12345;
	int i, side, m;

	(void)state;
	assert_int_equal(bytering_init(&r, 96, 5), 0);
	for (i = 0; i < 3000; i++) {
		x = x * 1103515245 + 12345;
		side = (int)(x >> 16) % 3 == 0 ? BYTERING_OUT : BYTERING_IN;
		n = (x >> 20) % (i % 50 == 0 ? 300 : 40) + 1;
		feed(&r, side, total[side], (size_t)n, i);
		total[side] += n;
		check_side(&r, BYTERING_IN, total[BYTERING_IN]);
		check_side(&r, BYTERING_OUT, total[BYTERING_OUT]);
		for (m = 0; m < 2; m++) {
			if (!hexview_last(&r, m, &at))
				continue;
			n = 1;
			prevseq = UINT64_MAX;
			do {
				assert_true(hexview_kept(&r, &at));
				assert_true(m || at.side == BYTERING_IN);
				seq = bytering_chunk(&r.side[at.side], at.k)->seq;
				assert_true(seq <= prevseq);
				prevseq = seq;
				back = at;
				if (!hexview_prev(&r, m, &at))
					break;
				n++;
				/* one down from here is where we were */
				assert_true(hexview_next(&r, m, &at));
				assert_true(same_row(&at, &back));
				assert_true(hexview_prev(&r, m, &at));
			} while (1);
			assert_int_equal(n, rows_expected(&r, m));
			assert_true(hexview_first(&r, m, &back));
			assert_true(same_row(&at, &back));
		}
	}
	bytering_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_rule),
		cmocka_unit_test(test_keeps_and_wraps),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_rows_received),
		cmocka_unit_test(test_rows_scroll),
		cmocka_unit_test(test_rows_dropped),
		cmocka_unit_test(test_rows_mark),
		cmocka_unit_test(test_random_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
