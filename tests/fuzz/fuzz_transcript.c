/*
 * fuzz_transcript.c - the conversation under any sequence of events.
 *
 * The data: a byte for the number of entries kept per side (1..4, so the
 * oldest go often) and the mode, then operations: bytes received (any
 * bytes, or a long run to reach the line cap), a line sent, a notice,
 * /clear, the peer leaving.
 *
 * Properties, after every operation:
 * - the two rings are exactly what a model written here from transcript.h
 *   says: every received line is one entry (updated in place while open,
 *   a new one only when the open one was pushed out), with the sanitized
 *   text of its bytes (CR of CRLF and the cap as lines.h says), states
 *   DONE / OPEN / NONL, notices and sent lines in order, the newest kept;
 * - seq strictly rising on each side; the merged walk gives every entry
 *   once, newest first; at most one OPEN entry, the one transcript_open
 *   returns; all text is display text (no ESC, C0, DEL, C1, bidi; UTF-8);
 *   transcript_plain holds no control byte at all;
 * - the final hook runs once per entry, never for an open one;
 * - in the text-only mode (received bytes are letters, no line ends,
 *   mixed with notices and /clear only) there is one received entry and
 *   its text is exactly the bytes received: none shown twice, none lost
 *   (none at all only after the open entry was pushed out by notices and
 *   nothing came since).
 */
#include <string.h>

#include "fuzz.h"
#include "sanitize.h"
#include "transcript.h"

FUZZ_UTF8_LOCALE

#define KEEP_MAX	4

struct ment {
	uint64_t	 seq;
	int		 kind, state;
	char		*text;
	size_t		 len;
};

struct model {
	struct ment	 side[2][KEEP_MAX];
	size_t		 count[2], keep;
	uint64_t	 seq, open_seq;
	char		*raw;		/* bytes of the line since its start */
	size_t		 rawlen, rawcap;
	uint64_t	 finals[4096];	/* seqs the hook saw */
	size_t		 nfinals;
};

static struct model M;

static void
final_cb(void *arg, const struct sb_line *l)
{
	size_t i;

	(void)arg;
	CHECK(l->state != TR_OPEN, "final hook for open entry %llu",
	    (unsigned long long)l->seq);
	for (i = 0; i < M.nfinals; i++)
		CHECK(M.finals[i] != l->seq, "final hook twice for %llu",
		    (unsigned long long)l->seq);
	if (M.nfinals < sizeof M.finals / sizeof M.finals[0])
		M.finals[M.nfinals++] = l->seq;
}

static struct ment *
m_find(uint64_t seq)
{
	size_t i;

	for (i = 0; seq != 0 && i < M.count[TR_SIDE_RECV]; i++)
		if (M.side[TR_SIDE_RECV][i].seq == seq)
			return &M.side[TR_SIDE_RECV][i];
	return NULL;
}

static void
m_push(int side, struct ment e)
{
	struct ment *r = M.side[side];

	if (M.count[side] == M.keep) {
		free(r[0].text);
		memmove(r, r + 1, (M.keep - 1) * sizeof *r);
		M.count[side]--;
	}
	r[M.count[side]++] = e;
}

static char *
san(const char *p, size_t n, uint64_t dropped, size_t *len)
{
	char *t = sanitize_line(p, n, dropped, len);

	CHECK(t != NULL, "sanitize_line");
	return t;
}

static void
m_set_open(char *text, size_t len, int state)
{
	struct ment *e = m_find(M.open_seq);

	if (e == NULL) {
		M.open_seq = state == TR_OPEN ? M.seq + 1 : 0;
		m_push(TR_SIDE_RECV, (struct ment){ ++M.seq, TR_RECV, state,
		    text, len });
		return;
	}
	free(e->text);
	e->text = text;
	e->len = len;
	e->state = state;
	if (state != TR_OPEN)
		M.open_seq = 0;
}

static void
m_recv(const char *p, size_t n)
{
	size_t i, keep, len;
	uint64_t dropped;
	char *t;

	for (i = 0; i < n; i++) {
		if (p[i] != '\n') {
			if (M.rawlen == M.rawcap) {
				M.rawcap = M.rawcap * 2 + 64;
				CHECK((M.raw = realloc(M.raw, M.rawcap)) != NULL,
				    "realloc");
			}
			M.raw[M.rawlen++] = p[i];
			continue;
		}
		len = M.rawlen;
		if (len > 0 && M.raw[len - 1] == '\r')
			len--;			/* CRLF */
		keep = len < LINES_MAX ? len : LINES_MAX;
		t = san(M.raw, keep, len - keep, &len);
		m_set_open(t, len, TR_DONE);
		M.rawlen = 0;
	}
	keep = M.rawlen < LINES_MAX ? M.rawlen : LINES_MAX;
	dropped = M.rawlen - keep;
	if (dropped > 0 && M.raw[M.rawlen - 1] == '\r')
		dropped--;			/* maybe half of a CRLF */
	if (keep > 0 && M.raw[keep - 1] == '\r')
		keep--;				/* the same, shown later */
	if (keep > 0 || dropped > 0 || M.open_seq != 0) {
		t = san(M.raw, keep, dropped, &len);
		m_set_open(t, len, TR_OPEN);
	}
}

static void
m_close_open(void)
{
	struct ment *e = m_find(M.open_seq);

	M.rawlen = 0;
	M.open_seq = 0;
	if (e != NULL)
		e->state = TR_NONL;
}

static void
m_clear(void)
{
	struct ment *e = m_find(M.open_seq), keep;
	size_t s, i;

	if (e != NULL) {
		keep = *e;
		e->text = NULL;
	}
	for (s = 0; s < 2; s++) {
		for (i = 0; i < M.count[s]; i++)
			free(M.side[s][i].text);
		M.count[s] = 0;
	}
	if (e != NULL)
		m_push(TR_SIDE_RECV, keep);
}

static void
compare(const struct transcript *t, bool textonly, const char *all,
    size_t alln, bool last_recv)
{
	const struct sb_line *l, *open = transcript_open(t), *prev = NULL;
	struct tr_walk w;
	size_t s, i, seen = 0, opens = 0, at = 0;
	char *plain;

	for (s = 0; s < 2; s++) {
		CHECK(t->side[s].count == M.count[s], "side %zu: %zu entries, "
		    "model %zu", s, t->side[s].count, M.count[s]);
		for (i = 0; i < M.count[s]; i++) {
			const struct ment *e = &M.side[s][i];

			l = sb_get(&t->side[s], i);
			CHECK(l->seq == e->seq && l->kind == e->kind &&
			    l->state == e->state, "side %zu entry %zu: seq %llu "
			    "kind %d state %d, model %llu %d %d", s, i,
			    (unsigned long long)l->seq, l->kind, l->state,
			    (unsigned long long)e->seq, e->kind, e->state);
			CHECK(l->len == e->len && memcmp(l->text, e->text,
			    l->len) == 0, "side %zu entry %zu (seq %llu): text "
			    "differs from the model", s, i,
			    (unsigned long long)l->seq);
			CHECK(i == 0 || l->seq > prev->seq, "seq not rising");
			fz_check_display(l->text, l->len);
			if (l->state == TR_OPEN) {
				opens++;
				CHECK(s == TR_SIDE_RECV && l->kind == TR_RECV &&
				    l == open, "open entry not the open one");
			}
			plain = transcript_plain(l, false, true);
			CHECK(plain != NULL, "transcript_plain");
			for (char *c = plain; *c != '\0'; c++)
				CHECK((unsigned char)*c >= 0x20 && *c != 0x7f,
				    "control byte in plain text");
			free(plain);
			if (textonly && l->kind == TR_RECV) {
				CHECK(at++ == 0 && l->len == alln &&
				    memcmp(all, l->text, alln) == 0, "the line "
				    "received is not shown once, whole");
			}
			prev = l;
		}
	}
	CHECK(opens == (open != NULL ? 1 : 0), "%zu open entries", opens);
	CHECK(!textonly || at == 1 || !last_recv, "the line received is not "
	    "shown");
	tr_walk_init(&w, t, true, TR_SIDE_RECV);
	for (prev = NULL; (l = tr_walk_prev(&w)) != NULL; prev = l, seen++)
		CHECK(prev == NULL || l->seq < prev->seq, "merged walk order");
	CHECK(seen == M.count[0] + M.count[1], "merged walk gave %zu", seen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_byte(&f), op;
	bool textonly = mode & 0x80;
	struct transcript t;
	char *big = NULL, *all = NULL, msg[64], *text;
	const char *p;
	size_t n, i, alln = 0, s, bigs = 0;

	memset(&M, 0, sizeof M);
	M.keep = 1 + mode % KEEP_MAX;
	CHECK(transcript_init(&t, M.keep, final_cb, NULL) == 0, "init");
	if (textonly)
		CHECK((all = malloc(size + 1)) != NULL, "malloc");
	while (f.n > 0) {
		op = fz_byte(&f);
		if (textonly && (op % 8 == 3 || op % 8 >= 5))
			op = 0;
		switch (op % 8) {
		case 0:
		case 1:
		case 2:
			p = fz_bytes(&f, 1 + fz_byte(&f) % 32, &n);
			if (textonly) {
				/* letters only: no line end, nothing escaped */
				for (i = 0; i < n; i++)
					all[alln + i] = (char)('a' + (uint8_t)p[i] % 26);
				p = all + alln;
				alln += n;
			}
			CHECK(transcript_recv(&t, p, n, 0) == 0, "recv");
			m_recv(p, n);
			break;
		case 3:
			if (!(op & 0x80) || bigs++ > 0) {
				/* line ends: CR, LF and a letter */
				p = fz_bytes(&f, 1 + fz_byte(&f) % 32, &n);
				CHECK((big = realloc(big, n + 1)) != NULL, "realloc");
				for (i = 0; i < n; i++)
					big[i] = "\r\na"[(uint8_t)p[i] % 3];
				CHECK(transcript_recv(&t, big, n, 0) == 0, "recv");
				m_recv(big, n);
				break;
			}
			/* a long run: the line cap (once: it is slow) */
			n = LINES_MAX - 4 + fz_u16(&f) % 16;
			CHECK((big = realloc(big, n)) != NULL, "realloc");
			memset(big, fz_byte(&f) % 2 ? '\r' : 'x', n);
			CHECK(transcript_recv(&t, big, n, 0) == 0, "recv");
			m_recv(big, n);
			break;
		case 4:
			p = fz_bytes(&f, fz_byte(&f) % 40, &n);
			snprintf(msg, sizeof msg, "%.*s", (int)n, p);
			CHECK(transcript_notice(&t, msg, 0) == 0, "notice");
			text = san(msg, strlen(msg), 0, &s);
			m_push(TR_SIDE_RECV, (struct ment){ ++M.seq, TR_NOTICE,
			    TR_DONE, text, s });
			break;
		case 5:
			p = fz_bytes(&f, fz_byte(&f) % 40, &n);
			CHECK(transcript_sent(&t, p, n, 0, n % 2 == 0) == 0, "sent");
			m_close_open();
			text = san(p, n, 0, &s);
			m_push(TR_SIDE_SENT, (struct ment){ ++M.seq, TR_SENT,
			    TR_DONE, text, s });
			break;
		case 6:
			transcript_clear(&t);
			m_clear();
			break;
		case 7:
			transcript_peer_end(&t);
			m_close_open();
			break;
		}
		compare(&t, textonly, all, alln, op % 8 <= 3 && alln > 0);
	}
	transcript_free(&t);
	m_clear();
	for (s = 0; s < 2; s++)
		for (i = 0; i < M.count[s]; i++)
			free(M.side[s][i].text);
	free(M.raw);
	free(big);
	free(all);
	return 0;
}
