/* scrollback.c - ring of display lines: fixed memory however much arrives. */
#include <stdlib.h>
#include <string.h>

#include "scrollback.h"

int
sb_init(struct scrollback *sb, size_t cap)
{
	memset(sb, 0, sizeof *sb);
	if (cap == 0)
		cap = 1;
	sb->ring = calloc(cap, sizeof *sb->ring);
	sb->cap = cap;
	return sb->ring == NULL ? -1 : 0;
}

void
sb_clear(struct scrollback *sb)
{
	size_t i;

	for (i = 0; i < sb->count; i++)
		free(sb->ring[(sb->start + i) % sb->cap].text);
	sb->start = sb->count = 0;
}

void
sb_free(struct scrollback *sb)
{
	if (sb->ring != NULL)
		sb_clear(sb);
	free(sb->ring);
	sb->ring = NULL;
}

void
sb_push(struct scrollback *sb, const struct sb_line *l)
{
	if (sb->count == sb->cap) {
		free(sb->ring[sb->start].text);
		sb->start = (sb->start + 1) % sb->cap;
		sb->count--;
	}
	sb->ring[(sb->start + sb->count) % sb->cap] = *l;
	sb->count++;
}

const struct sb_line *
sb_get(const struct scrollback *sb, size_t i)
{
	if (i >= sb->count)
		return NULL;
	return &sb->ring[(sb->start + i) % sb->cap];
}

const struct sb_line *
sb_last(const struct scrollback *sb)
{
	return sb->count == 0 ? NULL : sb_get(sb, sb->count - 1);
}

struct sb_line *
sb_find(struct scrollback *sb, uint64_t seq)
{
	size_t lo = 0, hi = sb->count, mid;
	struct sb_line *l;

	/* seq rises through the ring: binary search */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		l = &sb->ring[(sb->start + mid) % sb->cap];
		if (l->seq == seq)
			return l;
		if (l->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
sb_set_text(struct sb_line *l, char *text, size_t len)
{
	free(l->text);
	l->text = text;
	l->len = len;
}
