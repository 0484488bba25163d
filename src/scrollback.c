/* scrollback.c - ring of display lines: fixed memory however much arrives. */
#include <stdlib.h>
#include <string.h>

#include "scrollback.h"

int
sb_init(struct scrollback *sb, size_t cap)
{
	memset(sb, 0, sizeof *sb);
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
	sb->gen++;
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
sb_push(struct scrollback *sb, enum sb_kind kind, uint64_t seq, time_t when,
    char *text, size_t len, bool partial)
{
	struct sb_line *l;

	if (sb->count == sb->cap) {
		free(sb->ring[sb->start].text);
		sb->start = (sb->start + 1) % sb->cap;
		sb->count--;
	}
	l = &sb->ring[(sb->start + sb->count) % sb->cap];
	*l = (struct sb_line){ seq, when, kind, partial, text, len };
	sb->count++;
	sb->gen++;
}

void
sb_replace_last(struct scrollback *sb, char *text, size_t len, bool partial)
{
	struct sb_line *l;

	if (sb->count == 0) {
		free(text);
		return;
	}
	l = &sb->ring[(sb->start + sb->count - 1) % sb->cap];
	free(l->text);
	l->text = text;
	l->len = len;
	l->partial = partial;
	sb->gen++;
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
