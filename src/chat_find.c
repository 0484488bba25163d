/*
 * chat_find.c - /find, F3 and Shift-F3.  The conversation (both sides, in
 * time order) is searched back from the newest entry with search.c; the
 * pane that holds the match scrolls so the match is its bottom entry; ui.c
 * highlights every match on screen, the current entry's in bold; the top
 * pane's title says "match 3 of 12 for 'x'", or that there is none.  The
 * facts go in the title, not in a notice: a notice holding the text would
 * be the next match.  The ends do not wrap: the title says there is no
 * older (newer) match and the current one stays.  End, /view and /clear
 * go back to live and drop the highlight; the text stays, so F3 searches
 * again from the newest.  In the hex view chat_hex_find searches the kept
 * bytes instead.  Line mode has nothing to scroll: /find prints the
 * matching lines above the prompt.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "i18n.h"
#include "prompt.h"
#include "search.h"
#include "transcript.h"
#include "ui.h"
#include "width.h"

#define FIND_SHOWN_MAX	48	/* bytes of the text quoted in the title */
#define FIND_LINES_MAX	20	/* line mode: the newest matching lines printed */

/* The text as quoted back: control bytes as '?', a long one cut at a
 * character boundary with "…". */
static void
quoted(const struct chat *c, char *out, size_t size)
{
	size_t i = 0, j = 0, cl;
	uint32_t cp;
	int l;

	while (i < c->find_len && j + 8 < size && i < FIND_SHOWN_MAX) {
		l = width_utf8(c->find + i, c->find_len - i, &cp);
		cl = l > 0 ? (size_t)l : 1;
		if (l <= 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			out[j++] = '?';
		else {
			memcpy(out + j, c->find + i, cl);
			j += cl;
		}
		i += cl;
	}
	if (i < c->find_len)
		j += (size_t)snprintf(out + j, size - j, "%s", TR_MARK_OPEN);
	out[j] = '\0';
}

static bool
set_text(struct chat *c, const char *arg, size_t len)
{
	if (len > CHAT_FIND_MAX) {
		chat_info(c, _("/find takes at most %d bytes of text"),
		    CHAT_FIND_MAX);
		return false;
	}
	memcpy(c->find, arg, len);
	c->find[len] = '\0';
	c->find_len = len;
	return true;
}

/* The pane that shows l scrolls so that l is its bottom entry. */
static void
show_entry(struct chat *c, const struct sb_line *l)
{
	int pane = !c->merged && l->kind == TR_SENT ? BOTTOM : TOP;
	const struct sb_line *e;
	struct tr_walk w;
	size_t below = 0;

	tr_walk_init(&w, &c->tr, c->merged,
	    pane == BOTTOM ? TR_SIDE_SENT : TR_SIDE_RECV);
	while ((e = tr_walk_prev(&w)) != NULL && e->seq != l->seq)
		below++;
	c->scroll[pane] = below;
	if (below == 0)
		c->new_below[pane] = 0;
}

/* One step from the current match (none: from the newest). */
static void
step(struct chat *c, bool older)
{
	const struct sb_line *l;
	struct search q;

	search_init(&q, c->find, c->find_len);
	/* live (no current match): nothing is newer */
	l = !older && c->find_seq == 0 ? NULL :
	    search_entry(&q, &c->tr, true, TR_SIDE_RECV, c->find_seq, older);
	if (l != NULL) {
		c->find_seq = l->seq;
		c->find_end = CHAT_FIND_NO_END;
		show_entry(c, l);
	} else {
		c->find_end = older ? CHAT_FIND_NO_OLDER : CHAT_FIND_NO_NEWER;
	}
	search_tally(&q, &c->tr, true, TR_SIDE_RECV, c->find_seq,
	    &c->find_total, &c->find_nth);
	if (c->find_total == 0) {
		c->find_seq = 0;
		c->find_end = CHAT_FIND_NONE;
	}
	c->find_on = true;
	c->dirty |= UI_PANES;
}

/* Line mode: the newest matching lines, oldest first, above the prompt
 * (not notices: those would match the next /find). */
static void
print_matches(struct chat *c)
{
	const struct sb_line *v[FIND_LINES_MAX], *l;
	char q[FIND_SHOWN_MAX + 16], head[FIND_SHOWN_MAX + 96], *s;
	struct search srch;
	struct tr_walk w;
	size_t n = 0, total = 0;

	quoted(c, q, sizeof q);
	search_init(&srch, c->find, c->find_len);
	tr_walk_init(&w, &c->tr, true, TR_SIDE_RECV);
	while ((l = tr_walk_prev(&w)) != NULL) {
		if (!search_entry_matches(&srch, l))
			continue;
		if (n < FIND_LINES_MAX)
			v[n++] = l;
		total++;
	}
	if (total == 0)
		snprintf(head, sizeof head, _("* no match for '%s'"), q);
	else if (total == 1)
		snprintf(head, sizeof head, _("* one line matches '%s':"), q);
	else if (total <= FIND_LINES_MAX)
		snprintf(head, sizeof head, P_("* %zu line matches '%s':",
		    "* %zu lines match '%s':", total), total, q);
	else
		snprintf(head, sizeof head, P_("* %zu line matches '%s'; the "
		    "newest %d follow:", "* %zu lines match '%s'; the newest "
		    "%d follow:", total), total, q, FIND_LINES_MAX);
	prompt_print_above(head);
	while (n-- > 0) {
		s = transcript_plain(v[n], c->timestamps, true);
		prompt_print_above(s != NULL ? s :
		    _("* out of memory: a line is not shown"));
		free(s);
	}
}

void
chat_find(struct chat *c, const char *arg, size_t len)
{
	bool again = c->find_on && len == c->find_len &&
	    memcmp(arg, c->find, len) == 0;

	if (len == 0) {			/* /find alone: the next older */
		chat_find_step(c, true);
		return;
	}
	if (!set_text(c, arg, len))
		return;
	if (chat_hex_active(c)) {
		chat_hex_find(c, c->find, c->find_len, true);
		return;
	}
	if (c->line_mode) {
		print_matches(c);
		return;
	}
	if (!again)			/* the same text again goes on */
		c->find_seq = 0;
	step(c, true);
}

void
chat_find_step(struct chat *c, bool older)
{
	if (c->find_len == 0) {
		chat_info(c, _("nothing to find yet: /find TEXT searches back, "
		    "then F3 and Shift-F3 go to older and newer matches"));
		return;
	}
	if (chat_hex_active(c))
		chat_hex_find(c, c->find, c->find_len, older);
	else if (c->line_mode)
		print_matches(c);
	else
		step(c, older);
}

void
chat_find_live(struct chat *c)
{
	c->find_on = false;
	c->find_seq = 0;
	c->find_end = CHAT_FIND_NO_END;
	c->dirty |= UI_PANES;
}

void
chat_find_frame(const struct chat *c, struct ui_frame *f, char *title,
    size_t size)
{
	char q[FIND_SHOWN_MAX + 16], note[FIND_SHOWN_MAX + 160];
	size_t tl = strlen(title);

	if (!c->find_on || c->line_mode || chat_hex_active(c))
		return;
	f->top.find = f->bottom.find = c->find;
	f->top.find_len = f->bottom.find_len = c->find_len;
	f->top.find_seq = f->bottom.find_seq = c->find_seq;
	quoted(c, q, sizeof q);
	title += tl;
	size -= tl;
	if (c->find_end == CHAT_FIND_NONE)
		snprintf(note, sizeof note, _("no match for '%s'"), q);
	else if (c->find_seq == 0)	/* Shift-F3 while live */
		snprintf(note, sizeof note, _("no newer match for '%s'"), q);
	else if (c->find_end == CHAT_FIND_NO_OLDER)
		snprintf(note, sizeof note, _("match %zu of %zu for '%s', no "
		    "older one"), c->find_nth, c->find_total, q);
	else if (c->find_end == CHAT_FIND_NO_NEWER)
		snprintf(note, sizeof note, _("match %zu of %zu for '%s', no "
		    "newer one"), c->find_nth, c->find_total, q);
	else
		snprintf(note, sizeof note, _("match %zu of %zu for '%s'"),
		    c->find_nth, c->find_total, q);
	snprintf(title, size, " -- %s", note);	/* after the pane's title */
}
