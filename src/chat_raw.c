/*
 * chat_raw.c - bytes a keyboard cannot type and characters a screen does
 * not show: /raw TEXT (escapes decoded, no line end), /show, and the hint
 * that the peer ends its lines with CRLF while we send LF.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "clock.h"
#include "escape.h"
#include "i18n.h"
#include "invisible.h"
#include "peer.h"
#include "ui.h"
#include "width.h"

#define RAW_PREFIX_COLS	5	/* "/raw " before the text in the input */

/* How long the bad escape at s is, for naming it: the backslash, its
 * letter, and the digits or braces that belong to it. */
static size_t
escape_span(const char *s, size_t n)
{
	bool brace = n > 2 && s[1] == 'u' && s[2] == '{';
	size_t i = brace ? 3 : 2, max;
	uint32_t cp;
	int l;

	if (n < 2)
		return n;
	if (s[1] == 'x' || s[1] == 'u') {
		max = s[1] == 'x' ? 4 : brace ? 10 : 6;
		while (i < n && i < max && isxdigit((unsigned char)s[i]))
			i++;
		if (brace && i < n && s[i] == '}')
			i++;
		return i;
	}
	/* a letter, or a whole UTF-8 character after the backslash */
	l = width_utf8(s + 1, n - 1, &cp);
	return 1 + (l > 0 ? (size_t)l : 1);
}

/* The decoder's reason without " at offset N" and its final stop: the
 * notice says the column in the input instead (a translated reason that
 * words it otherwise stays whole). */
static void
reason(char *msg, size_t offset)
{
	char needle[48];
	char *at;
	size_t n;
	int k = snprintf(needle, sizeof needle, " at offset %zu", offset);

	if (k > 0 && (at = strstr(msg, needle)) != NULL)
		memmove(at, at + k, strlen(at + k) + 1);
	if ((n = strlen(msg)) > 0 && msg[n - 1] == '.')
		msg[n - 1] = '\0';
}

static void
raw_usage(struct chat *c)
{
	chat_info(c, _("/raw TEXT sends TEXT as it is, with no line end added "
	    "and the escapes \\r \\n \\t \\0 \\e \\\\ \\xHH \\uXXXX and "
	    "\\u{1F642} decoded, as in /raw EHLO x\\r\\n or /raw "
	    "\\x16\\x03\\x01"));
}

bool
chat_raw(struct chat *c, const char *arg, size_t len)
{
	struct escape_error err;
	uint64_t seq = c->tr.seq;
	size_t n, span;
	char *bytes;

	if (len == 0) {
		raw_usage(c);
		return true;
	}
	if ((bytes = malloc(len)) == NULL) {
		chat_info(c, _("out of memory: nothing sent; the line stays in "
		    "the input"));
		return false;
	}
	if (escape_decode(arg, len, bytes, &n, &err) == -1) {
		free(bytes);
		span = escape_span(arg + err.offset, len - err.offset);
		reason(err.msg, err.offset);
		chat_info(c, _("nothing sent: the escape %.*s at column %zu is "
		    "malformed (%s); the line stays in the input to be fixed"),
		    (int)span, arg + err.offset,
		    RAW_PREFIX_COLS + width_str(arg, err.offset) + 1, err.msg);
		return false;
	}
	if (!chat_can_send(c)) {
		free(bytes);
		return false;
	}
	if (n > c->p->s.out.cap) {
		free(bytes);
		chat_info(c, _("the text is %zu KiB once decoded, more than "
		    "the send queue holds (%zu KiB): nothing sent; /send FILE "
		    "streams a file of any size"),
		    (n + 1023) / 1024, c->p->s.out.cap / 1024);
		return false;
	}
	if (session_queue(&c->p->s, bytes, n) == -1) {
		free(bytes);
		c->queue_full = true;
		chat_info(c, _("send queue full (%zu KiB waiting, the peer is "
		    "not reading): the line stays in the input"),
		    buf_used(&c->p->s.out) / 1024);
		c->dirty |= UI_STATUS;
		return false;
	}
	c->queue_full = false;
	/* cut into lines as they went; a tail without newline is marked */
	if (transcript_sent_bytes(&c->tr, bytes, n, clock_wall_ms(), true) == -1)
		chat_info(c, _("out of memory: a sent line is not shown"));
	free(bytes);
	chat_sync_open_line(c);
	chat_added(c, c->merged ? TOP : BOTTOM, c->tr.seq - seq);
	c->dirty |= UI_PANES | UI_STATUS;
	return true;
}

void
chat_show_toggle(struct chat *c)
{
	if (c->line_mode) {
		chat_info(c, _("/show does not apply in line mode: lines are "
		    "printed as they came, with escapes for what cannot be "
		    "shown"));
		return;
	}
	c->show = !c->show;
	c->dirty |= UI_PANES;
	if (c->show)
		/* TRANSLATORS: the %s are the marks themselves, in this
		 * order: tab, trailing space, no-break space, CRLF, LF. */
		chat_info(c, _("invisible characters are now marked: %s tab, "
		    "%s trailing space, %s no-break space, \\u200b zero-width, "
		    "%s or %s a line's end, received or sent (/show again "
		    "hides them)"),
		    INVISIBLE_TAB, INVISIBLE_SPACE, INVISIBLE_NBSP,
		    INVISIBLE_CR_LF, INVISIBLE_LF_MARK);
	else
		chat_info(c, _("invisible characters are no longer marked"));
}

void
chat_crlf_hint(struct chat *c)
{
	if (c->crlf || c->tr.recv_crlf <= c->tr.recv_lf || !c->p->have_s ||
	    c->crlf_hinted == c->p->npeers)
		return;
	c->crlf_hinted = c->p->npeers;
	chat_info(c, _("the peer ends its lines with CRLF and you send LF; "
	    "/crlf sends CRLF (SMTP, HTTP and most text protocols want it)"));
}
