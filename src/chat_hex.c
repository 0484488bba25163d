/*
 * chat_hex.c - the raw bytes both ways, kept in a bytering fed by a
 * session tap, and the hex view of them (/hex, F5): its scroll keys, its
 * pane and /find over the bytes while it shows.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bytering.h"
#include "chat_int.h"
#include "clock.h"
#include "hexview.h"
#include "i18n.h"
#include "opts.h"
#include "peer.h"
#include "session.h"
#include "ui.h"

/* Every read and write that moved bytes: kept, then on to -x / -o. */
static void
tap_cb(void *arg, char dir, uint64_t offset, const char *bytes, size_t n)
{
	struct chat *c = arg;

	bytering_add(&c->ring, dir == SESSION_TAP_IN ? BYTERING_IN :
	    BYTERING_OUT, offset, clock_wall_ms(), bytes, n);
	if (c->hex)
		c->dirty |= UI_PANES;
	if (c->hex_tap != NULL)
		c->hex_tap(c->hex_tap_arg, dir, offset, bytes, n);
}

int
chat_hex_init(struct chat *c)
{
	size_t lines = (size_t)c->o->scrollback;

	if (bytering_init(&c->ring, bytering_cap_for(c->o->scrollback),
	    lines / BYTERING_LINES_PER_CHUNK) == -1)
		return -1;
	c->hexpos.live = true;
	c->hex_tap = c->p->tap;
	c->hex_tap_arg = c->p->tap_arg;
	c->p->tap = tap_cb;
	c->p->tap_arg = c;
	if (c->p->have_s) {		/* taken before the chat began */
		c->p->s.tap = tap_cb;
		c->p->s.tap_arg = c;
	}
	return 0;
}

void
chat_hex_free(struct chat *c)
{
	c->p->tap = c->hex_tap;
	c->p->tap_arg = c->hex_tap_arg;
	if (c->p->have_s && c->p->s.tap == tap_cb) {
		c->p->s.tap = c->hex_tap;
		c->p->s.tap_arg = c->hex_tap_arg;
	}
	bytering_free(&c->ring);
}

bool
chat_hex_active(const struct chat *c)
{
	return c->hex && !c->line_mode;
}

void
chat_hex_toggle(struct chat *c)
{
	if (c->line_mode) {
		chat_info(c, _("/hex and F5 do not apply in line mode: -x FILE "
		    "writes every byte as a hex dump"));
		return;
	}
	c->hex = !c->hex;
	c->hexpos.live = true;
	c->hexmark.on = false;
	c->hex_note[0] = '\0';
	c->dirty |= UI_ALL;
}

void
chat_hex_help(struct chat *c)
{
	if (c->line_mode)
		return;
	chat_info(c, _("/hex keeps the last %zu bytes each way (16 a line of "
	    "--scrollback %ld)"),
	    c->ring.side[BYTERING_IN].cap, c->o->scrollback);
	if (c->hex)	/* the notices are behind the hex pane: its title says it */
		snprintf(c->hex_note, sizeof c->hex_note, _("%zu bytes kept "
		    "each way; F5 shows /help"), c->ring.side[BYTERING_IN].cap);
}

bool
chat_hex_key(struct chat *c, enum prompt_key k)
{
	long page = ui_pane_rows(c->merged, true) - 1, by;

	if (!chat_hex_active(c))
		return false;
	if (page < 1)
		page = 1;
	switch (k) {
	case PROMPT_KEY_PAGE_UP: by = page; break;
	case PROMPT_KEY_PAGE_DOWN: by = -page; break;
	case PROMPT_KEY_LINE_UP: by = 1; break;
	case PROMPT_KEY_LINE_DOWN: by = -1; break;
	case PROMPT_KEY_END:		/* the text goes live too */
		c->hexpos.live = true;
		c->hexmark.on = false;
		c->hex_note[0] = '\0';
		c->dirty |= UI_PANES;
		return false;
	default:
		return false;
	}
	hexview_scroll(&c->ring, c->merged, &c->hexpos, by);
	c->dirty |= UI_PANES;
	return true;
}

void
chat_hex_pane(struct chat *c, struct ui_pane *p, char *title, size_t len)
{
	size_t tl;

	if (!chat_hex_active(c))
		return;
	if (c->merged && c->peer_addr[0])
		snprintf(title, len, _("hex both ways with %s"), c->peer_addr);
	else if (c->merged)
		snprintf(title, len, "%s", _("hex both ways"));
	else if (c->peer_addr[0])
		snprintf(title, len, _("hex received from %s"), c->peer_addr);
	else
		snprintf(title, len, "%s", _("hex received from (none yet)"));
	/* the note is a sentence of its own, after the title */
	tl = strlen(title);
	if (c->hex_note[0] != '\0' && tl < len)
		snprintf(title + tl, len - tl, " -- %s", c->hex_note);
	p->title = title;
	p->hex = true;
	p->ring = &c->ring;
	p->hexpos = c->hexpos;
	p->hexmark = &c->hexmark;
}

void
chat_hex_drawn(struct chat *c, const struct ui_pane *p)
{
	if (p->hex)
		c->hexpos = p->hexpos;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex digits s[0..n) as bytes at out + *k: false unless whole pairs. */
static bool
hex_pairs(const char *s, size_t n, unsigned char *out, size_t *k)
{
	size_t i;

	if (n == 0 || n % 2 != 0)
		return false;
	for (i = 0; i < n; i += 2) {
		if (hexval(s[i]) < 0 || hexval(s[i + 1]) < 0)
			return false;
		out[(*k)++] = (unsigned char)(hexval(s[i]) << 4 |
		    hexval(s[i + 1]));
	}
	return true;
}

/*
 * Bytes (true) only where the text cannot be a word: pairs of hex digits
 * with spaces between ("0d 0a", "ca fe"), or with a prefix ("0x0d0a",
 * "\x0d\x0a", "0x0d 0x0a").  "be", "cafe" or "add1" are text.
 */
static bool
parse_hex(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
	size_t i = 0, j, k = 0, words = 0;
	bool prefixed = false;

	while (i < n) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		for (j = i; j < n && s[j] != ' '; j++)
			;
		words++;
		if (j - i > 2 && s[i] == '0' && (s[i + 1] == 'x' ||
		    s[i + 1] == 'X')) {
			if (!hex_pairs(s + i + 2, j - i - 2, out, &k))
				return false;
			prefixed = true;
		} else if (s[i] == '\\') {
			for (; i < j; i += 4)	/* \xHH, one after another */
				if (j - i < 4 || s[i] != '\\' ||
				    (s[i + 1] != 'x' && s[i + 1] != 'X') ||
				    !hex_pairs(s + i + 2, 2, out, &k))
					return false;
			prefixed = true;
		} else if (j - i != 2 || !hex_pairs(s + i, 2, out, &k))
			return false;
		i = j;
	}
	*outlen = k;
	return k > 0 && (prefixed || words > 1);
}

/* The pattern of text: bytes, or the text folded unless it has capitals. */
static void
set_pattern(struct chat *c, const char *text, size_t len)
{
	size_t i;

	if (len > sizeof c->hexpat)
		len = sizeof c->hexpat;
	c->hexpat_fold = false;
	if (parse_hex(text, len, c->hexpat, &c->hexpat_len))
		return;
	memcpy(c->hexpat, text, len);
	c->hexpat_len = len;
	c->hexpat_fold = true;
	for (i = 0; i < len; i++)
		if (text[i] >= 'A' && text[i] <= 'Z')
			c->hexpat_fold = false;
}

/* Chunk seq of a side's kept position: the order across both sides. */
static uint64_t
seq_at(const struct bytering_side *s, uint64_t pos)
{
	return bytering_chunk(s, bytering_chunk_by_pos(s, pos))->seq;
}

/*
 * The next match older or newer than the current one (none: from the
 * newest end, or the oldest).  Merged, both sides, in the order they
 * crossed; else the received side alone.
 */
static bool
next_match(struct chat *c, bool older, int *side, uint64_t *pos)
{
	const struct hexview_mark *m = &c->hexmark;
	bool found = false;
	uint64_t from, at, k, bseq = 0;
	int s;

	for (s = 0; s < (c->merged ? 2 : 1); s++) {
		const struct bytering_side *sd = &c->ring.side[s];

		if (!m->on)
			from = older ? sd->end : UINT64_MAX;
		else if (m->side == s)
			from = m->pos;
		else {
			/* the other side: from its first chunk after the
			 * current match's (newer) or through it (older) */
			k = bytering_chunk_by_seq(sd, seq_at(&c->ring.side[m->side],
			    m->pos)) + 1;
			from = k < sd->chend ? bytering_chunk(sd, k)->pos : sd->end;
			if (!older)
				from = from - 1;	/* starts after: at from */
		}
		if (!bytering_find(sd, c->hexpat, c->hexpat_len, c->hexpat_fold,
		    from, older, &at))
			continue;
		if (!found || (seq_at(sd, at) > bseq) == older) {
			found = true;
			*side = s;
			*pos = at;
			bseq = seq_at(sd, at);
		}
	}
	return found;
}

void
chat_hex_find(struct chat *c, const char *text, size_t len, bool older)
{
	unsigned char pat[sizeof c->hexpat];
	size_t plen = c->hexpat_len;
	bool pfold = c->hexpat_fold;
	const struct bytering_chunk *ch;
	uint64_t pos = 0;
	int side = 0;

	memcpy(pat, c->hexpat, plen);
	if (len > 0)
		set_pattern(c, text, len);
	if (c->hexpat_len == 0) {
		chat_info(c, _("/find needs text or hex bytes to look for, "
		    "e.g. /find 0d 0a"));
		return;
	}
	/* other text: from the newest again */
	if (plen != c->hexpat_len || pfold != c->hexpat_fold ||
	    memcmp(pat, c->hexpat, plen) != 0)
		c->hexmark.on = false;
	if (!next_match(c, older, &side, &pos)) {
		snprintf(c->hex_note, sizeof c->hex_note, "%s", !c->hexmark.on ?
		    _("no match in the kept bytes") : older ?
		    _("no older match in the kept bytes") :
		    _("no newer match in the kept bytes"));
		chat_info(c, "%s", c->hex_note);
		return;
	}
	c->hexmark = (struct hexview_mark){ true, side, pos, c->hexpat_len };
	ch = bytering_chunk(&c->ring.side[side],
	    bytering_chunk_by_pos(&c->ring.side[side], pos));
	snprintf(c->hex_note, sizeof c->hex_note, side == BYTERING_IN ?
	    _("match at received offset %08llx") : _("match at sent offset "
	        "%08llx"),
	    (unsigned long long)(ch->offset + (pos - ch->pos)));
	hexview_reveal(&c->ring, c->merged, &c->hexpos, side, pos,
	    (size_t)ui_pane_rows(c->merged, true));
	c->dirty |= UI_PANES;
}
