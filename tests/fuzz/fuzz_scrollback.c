/*
 * fuzz_scrollback.c - the ring behind the transcript, against a model.
 *
 * The data is a capacity (0..7: 0 means 1) and then operations: push (seq
 * steps up by 1..16), clear, set the text of a held line, find a seq.
 * Properties: count never above the capacity; sb_get(i) is the model's i-th
 * line (the newest cap pushed since the last clear, oldest first) and NULL
 * past the end; sb_last the newest; sb_find finds exactly the held seqs
 * (also ones between and around them); every text is freed once (ASan).
 */
#include <string.h>

#include "fuzz.h"
#include "scrollback.h"

#define MODEL_MAX	8

struct model {
	uint64_t	seq[MODEL_MAX];	/* oldest first */
	size_t		len[MODEL_MAX];
	size_t		count;
};

static char *
text_of(size_t len)
{
	char *t = malloc(len + 1);

	CHECK(t != NULL, "malloc");
	memset(t, 'x', len);
	t[len] = '\0';
	return t;
}

static void
compare(const struct scrollback *sb, const struct model *m, uint64_t top)
{
	const struct sb_line *l;
	uint64_t q;
	size_t i, j;

	CHECK(sb->count == m->count, "count %zu, model %zu", sb->count, m->count);
	CHECK(sb->count <= sb->cap, "count %zu above cap %zu", sb->count, sb->cap);
	for (i = 0; i < m->count; i++) {
		l = sb_get(sb, i);
		CHECK(l != NULL && l->seq == m->seq[i] && l->len == m->len[i] &&
		    strlen(l->text) == l->len, "line %zu differs", i);
	}
	CHECK(sb_get(sb, m->count) == NULL, "a line past the end");
	l = sb_last(sb);
	CHECK(m->count == 0 ? l == NULL : l != NULL && l->seq == m->seq[m->count - 1],
	    "sb_last is not the newest");
	for (q = 0; q <= top + 1; q++) {
		bool held = false;

		for (j = 0; j < m->count; j++)
			held |= m->seq[j] == q;
		l = sb_find((struct scrollback *)sb, q);
		CHECK(held ? l != NULL && l->seq == q : l == NULL,
		    "sb_find(%llu) %s", (unsigned long long)q,
		    held ? "missed a held line" : "found a line not held");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	size_t cap = fz_byte(&f) % MODEL_MAX, i;
	struct scrollback sb;
	struct model m = { { 0 }, { 0 }, 0 };
	uint64_t seq = 0;
	struct sb_line l, *h;
	uint8_t op, arg;

	CHECK(sb_init(&sb, cap) == 0, "sb_init");
	if (cap == 0)
		cap = 1;
	CHECK(sb.cap == cap, "cap %zu for %zu", sb.cap, cap);
	while (f.n > 0) {
		op = fz_byte(&f);
		arg = fz_byte(&f);
		switch (op % 4) {
		case 0:
		case 1:
			seq += 1 + arg % 16;
			l = (struct sb_line){ .seq = seq, .kind = op,
			    .text = text_of(arg % 5), .len = arg % 5 };
			sb_push(&sb, &l);
			if (m.count == cap) {
				memmove(m.seq, m.seq + 1, (cap - 1) * sizeof m.seq[0]);
				memmove(m.len, m.len + 1, (cap - 1) * sizeof m.len[0]);
				m.count--;
			}
			m.seq[m.count] = seq;
			m.len[m.count++] = arg % 5;
			break;
		case 2:
			sb_clear(&sb);
			m.count = 0;
			break;
		case 3:
			if (m.count == 0)
				break;
			i = arg % m.count;
			h = sb_find(&sb, m.seq[i]);
			CHECK(h != NULL, "held line not found");
			sb_set_text(h, text_of(arg % 7), arg % 7);
			m.len[i] = arg % 7;
			break;
		}
		compare(&sb, &m, seq);
	}
	sb_free(&sb);
	return 0;
}
