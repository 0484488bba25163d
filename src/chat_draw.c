/*
 * chat_draw.c - the screen, drawn once per wake-up from the transcript and
 * the status facts; and what stays in the terminal after the chat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "chat_room.h"
#include "clock.h"
#include "i18n.h"
#include "loop.h"
#include "opts.h"
#include "peer.h"
#include "status.h"
#include "transcript.h"
#include "ui.h"

static void
tick_cb(void *arg)
{
	struct chat *c = arg;

	c->tick_timer = 0;
	c->dirty |= UI_STATUS;
}

static void
frame_cb(void *arg)
{
	struct chat *c = arg;

	c->frame_timer = 0;	/* the draw itself happens in chat_draw_cb */
}

static void
status_line(struct chat *c, struct status_facts *f, int cols, char *out,
    size_t len)
{
	const struct peer *p = c->p;

	memset(f, 0, sizeof *f);
	f->where = p->where;
	f->listening = p->listening;
	f->udp = c->o->udp;
	f->crlf = c->crlf;
	f->waiting = p->nwaiting;
	f->leaving = c->leaving && cols > 0;
	if (c->ended && cols > 0)
		f->hint = p->listening ? _("Enter, q or Ctrl-D leaves") :
		    _("Enter, q or Ctrl-D leaves; /reconnect dials again");
	if (p->have_s) {
		f->phase = STATUS_CONNECTED;
		f->peer = p->s.peer;
		f->peer_eof = p->s.peer_eof;
		f->local_eof = p->s.local_eof;
		f->secs = (clock_now_ms() - p->s.started_ms) / 1000;
		f->bytes_in = p->s.bytes_in;
		f->bytes_out = p->s.bytes_out;
		f->queued = buf_used(&p->s.out);
		f->queue_full = c->queue_full;
		chat_send_facts(c, f);
		chat_tcp_facts(c, f);
	} else if (c->end_word != NULL) {
		f->phase = STATUS_GONE;
		f->peer = c->peer_addr;
		f->end = c->end_word;
		f->end_alert = c->end_alert;
		f->secs = c->last_secs;
		f->bytes_in = c->last_in;
		f->bytes_out = c->last_out;
	} else {
		f->phase = STATUS_WAITING;
	}
	chat_tls_facts(c, f);
	status_text(f, cols, out, len);
	if (c->room != NULL)
		chat_room_status(c, out, len);	/* many peers: its own line */
}

/* The connected-time clock ticks once a second, only while it shows. */
static void
arm_tick(struct chat *c, const struct status_facts *f)
{
	int64_t ms;

	if (!status_ticks(f) || c->tick_timer > 0)
		return;
	ms = 1000 - (clock_now_ms() - c->p->s.started_ms) % 1000;
	c->tick_timer = loop_after(c->loop, (int)ms, tick_cb, c);
}

void
chat_draw_cb(void *arg)
{
	struct chat *c = arg;
	struct status_facts facts;
	struct ui_frame f;
	char status[512], top_title[200], hex_title[300];
	size_t len, point;
	int gap;

	if (prompt_take_dirty())
		c->dirty |= UI_INPUT;
	if (c->line_mode || c->dirty == 0)
		return;
	/* Peer text in a flood: draw one frame per CHAT_FRAME_MS, not one per
	 * read; a /send's progress alone a few times a second, not once per
	 * chunk.  Typing (UI_INPUT) is always drawn at once. */
	gap = c->dirty == UI_STATUS && chat_sending(c) ? CHAT_PROGRESS_MS :
	    CHAT_FRAME_MS;
	if (!(c->dirty & UI_INPUT) && clock_now_ms() - c->drawn_ms < gap) {
		if (c->frame_timer <= 0)
			c->frame_timer = loop_after(c->loop, gap, frame_cb, c);
		if (c->frame_timer > 0)
			return;		/* no slot: draw now rather than never */
	}
	c->drawn_ms = clock_now_ms();
	memset(&f, 0, sizeof f);
	status_line(c, &facts, ui_cols() - 2, status, sizeof status);
	arm_tick(c, &facts);
	if (c->room != NULL)
		chat_room_title(c, top_title, sizeof top_title);
	else if (c->tr.room)	/* we dialled a room: it said so */
		snprintf(top_title, sizeof top_title, _("room at %s"),
		    c->peer_addr);
	else if (c->merged)
		if (c->peer_addr[0])
			snprintf(top_title, sizeof top_title,
			    _("conversation with %s"), c->peer_addr);
		else
			snprintf(top_title, sizeof top_title, "%s",
			    _("conversation"));
	else if (c->peer_addr[0])
		snprintf(top_title, sizeof top_title, _("peer %s"),
		    c->peer_addr);
	else
		snprintf(top_title, sizeof top_title, "%s",
		    _("peer (none yet)"));
	/* named fields: the rest (/find's, /hex's) start zero */
	f.top = (struct ui_pane){ .t = &c->tr, .merged = c->merged,
	    .side = TR_SIDE_RECV, .timestamps = c->timestamps,
	    .title = top_title, .scroll = c->scroll[TOP],
	    .new_below = c->new_below[TOP], .show = c->show };
	f.bottom = (struct ui_pane){ .t = &c->tr, .merged = false,
	    .side = TR_SIDE_SENT, .timestamps = c->timestamps, .title = _("you"),
	    .scroll = c->scroll[BOTTOM], .new_below = c->new_below[BOTTOM],
	    .show = c->show };
	chat_find_frame(c, &f, top_title, sizeof top_title);
	chat_hex_pane(c, &f.top, hex_title, sizeof hex_title);
	f.merged = c->merged;
	chat_panel_frame(c, &f);
	f.status = status;
	f.status_alert = status_alert(&facts);
	prompt_state(&f.prompt, &f.line, &len, &point);
	f.len = len;
	f.point = point;
	ui_draw(&f, c->dirty);
	chat_hex_drawn(c, &f.top);
	chat_panel_drawn(c, &f);
	c->scroll[TOP] = f.top.scroll;
	c->new_below[TOP] = f.top.new_below;
	if (!c->merged && f.bottom.rows == NULL) {
		c->scroll[BOTTOM] = f.bottom.scroll;
		c->new_below[BOTTOM] = f.bottom.new_below;
	}
	c->dirty = 0;
}

/*
 * After the screen is restored: the end of the conversation, at most a
 * screenful (rows 0: line mode printed it all), stays in the shell's
 * scrollback, with the status line's facts at its foot.
 */
void
chat_print_summary(struct chat *c, int rows)
{
	const struct sb_line **v, *l;
	struct status_facts facts;
	struct tr_walk w;
	size_t n = 0;
	char *s, status[512];

	status_line(c, &facts, 0, status, sizeof status);
	if (rows < 2 || (v = calloc((size_t)rows, sizeof *v)) == NULL) {
		printf("-- %s\n", status);
		fflush(stdout);
		return;
	}
	tr_walk_init(&w, &c->tr, true, TR_SIDE_RECV);
	while (n < (size_t)rows - 1 && (l = tr_walk_prev(&w)) != NULL)
		v[n++] = l;
	while (n-- > 0) {		/* oldest first */
		if ((s = transcript_plain(v[n], c->timestamps, true)) != NULL)
			printf("%s\n", s);
		free(s);
	}
	free(v);
	printf("-- %s\n", status);
	fflush(stdout);
}
