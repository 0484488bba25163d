/*
 * chat_cmd.c - what the user types: lines to send, commands, and the keys
 * that scroll or switch the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat_int.h"
#include "chat_room.h"
#include "clock.h"
#include "cmd.h"
#include "i18n.h"
#include "opts.h"
#include "peer.h"
#include "prompt.h"
#include "transcript.h"
#include "ui.h"
#include "width.h"

/* Both panes back at their newest line. */
static void
to_live(struct chat *c)
{
	memset(c->scroll, 0, sizeof c->scroll);
	memset(c->new_below, 0, sizeof c->new_below);
	chat_find_live(c);	/* the /find highlight goes too */
	c->dirty |= UI_PANES;
}

static void
toggle_view(struct chat *c)
{
	if (c->line_mode) {
		chat_info(c, _("/view and F2 do not apply in line mode: it "
		    "shows one conversation already"));
		return;
	}
	c->merged = !c->merged;
	to_live(c);
	c->dirty |= UI_ALL;
}

#define HANG_MAX_ROWS	16

/* A notice cut into rows at the screen's width now, the rows after the
 * first indented by indent columns (under a table's text). */
static void
info_hanging(struct chat *c, const char *line, size_t indent)
{
	size_t starts[HANG_MAX_ROWS], len = strlen(line), from, to;
	int rows, r;

	if (c->line_mode) {	/* the terminal wraps it */
		chat_info(c, "%s", line);
		return;
	}
	rows = width_hang(line, len, ui_notice_cols(c->timestamps), &indent,
	    starts, HANG_MAX_ROWS);
	if (rows > HANG_MAX_ROWS)
		rows = HANG_MAX_ROWS;	/* the last row takes the rest */
	for (r = 0; r < rows; r++) {
		from = starts[r];
		to = r + 1 < rows ? starts[r + 1] : len;
		while (to > from && line[to - 1] == ' ')
			to--;
		if (r == 0)
			chat_info(c, "%.*s", (int)(to - from), line + from);
		else
			chat_info(c, "%*s%.*s", (int)indent, "",
			    (int)(to - from), line + from);
	}
}

void
chat_help_row(struct chat *c, const char *line, const char *text)
{
	/* a long text goes on under its start, not at the left */
	info_hanging(c, line, width_str(line, strlen(line)) -
	    width_str(text, strlen(text)));
}

static void
show_help(struct chat *c)
{
	size_t i, col = cmd_help_col();
	const char *cmd;
	char line[512];

	/* only what applies here: /next to a -k listener, /reconnect to a
	 * dialler, the views and scroll keys to the screen */
	for (i = 0; cmd_help_items[i].text != NULL; i++) {
		cmd = cmd_help_items[i].cmd != NULL ? cmd_help_items[i].cmd : "";
		if (strcmp(cmd, "/next") == 0 &&
		    !(c->p->listening && c->o->keep_open && !c->o->udp))
			continue;
		if ((strcmp(cmd, "/reconnect") == 0 ||
		    strcmp(cmd, "/starttls") == 0) && c->p->listening)
			continue;
		if (c->line_mode && (strcmp(cmd, "/view") == 0 ||
		    strstr(cmd_help_items[i].text, "PgUp") != NULL))
			continue;
		cmd_help_line(i, col, line, sizeof line);
		chat_help_row(c, line, _(cmd_help_items[i].text));
	}
	if (c->tr.room)		/* a room we dialled takes its own */
		chat_info(c, _("this is a tcptalk room: /nick NAME, /who, /me "
		    "text and /to NAME text go to it as lines"));
	chat_hex_help(c);
	chat_tls_help(c);	/* a TLS listener's certificate, for a pin */
	if (c->o->udp)
		chat_udp_help(c);
}

/* Can anything be sent now?  If not, says why. */
bool
chat_can_send(struct chat *c)
{
	if (!c->p->have_s) {
		if (c->ended && !c->p->listening)
			chat_info(c, _("not connected: nothing sent "
			    "(/reconnect dials again)"));
		else if (c->ended)
			chat_info(c, _("the peer has left: nothing sent"));
		else
			chat_info(c, _("no peer yet: nothing sent"));
		return false;
	}
	if (c->p->s.local_eof) {
		chat_info(c, _("you closed your side (Ctrl-D): nothing more "
		    "can be sent"));
		return false;
	}
	if (chat_sending(c)) {	/* its bytes would land inside the file's */
		chat_info(c, _("a file is being sent: nothing else goes until "
		    "it is done, and the line stays in the input; /cancel "
		    "stops the file"));
		return false;
	}
	return true;
}

static bool
send_text(struct chat *c, const char *p, size_t n)
{
	uint64_t seq = c->tr.seq;

	if (!chat_can_send(c))
		return false;
	if (session_submit(&c->p->s, p, n, c->crlf) == -1) {
		c->queue_full = true;
		chat_info(c, _("send queue full (%zu KiB waiting, the peer is "
		    "not reading): the line stays in the input"),
		    buf_used(&c->p->s.out) / 1024);
		return false;
	}
	c->queue_full = false;
	if (transcript_sent(&c->tr, p, n, clock_wall_ms(), c->crlf) == -1)
		chat_info(c, _("out of memory: a sent line is not shown"));
	else
		chat_marks_sent(c, c->tr.seq);
	chat_sync_open_line(c);
	chat_added(c, c->merged ? TOP : BOTTOM, c->tr.seq - seq);
	if (!c->merged && c->tr.seq - seq > 1)	/* it closed an open line */
		c->dirty |= UI_PANES;
	c->dirty |= UI_STATUS;
	chat_crlf_hint(c);
	return true;
}

static void
reconnect(struct chat *c)
{
	char err[512];

	if (c->p->listening) {
		chat_info(c, _("/reconnect is for connect mode; a listener "
		    "waits for peers (-k keeps listening)"));
		return;
	}
	if (c->p->have_s) {
		chat_info(c, _("still connected to %s"), c->p->s.peer);
		return;
	}
	if (c->o->unix_path != NULL)
		chat_info(c, _("dialling %s again"), c->o->unix_path);
	else
		chat_info(c, _("dialling %s %s again"), c->o->host, c->o->port);
	if (peer_reconnect(c->p, err, sizeof err) == -1) {
		c->status = 1;
		chat_info(c, "%s", err);
	}
}

static void
next_peer(struct chat *c)
{
	if (!c->p->listening || !c->o->keep_open)
		chat_info(c, _("/next needs a listener with -k: peers wait for "
		    "it there"));
	else if (peer_next(c->p) == -1)
		chat_info(c, _("no peer is waiting"));
}

static void
clear(struct chat *c)
{
	transcript_clear(&c->tr);
	to_live(c);
	if (c->line_mode) {
		/* only a terminal that knows how; our own sequence, not a peer's */
		if (strcmp(getenv("TERM") ? getenv("TERM") : "dumb", "dumb") != 0)
			prompt_print_above("\033[H\033[2J");
		else
			chat_info(c, _("the conversation so far is cleared"));
	}
}

int
chat_path(const char *arg, size_t len, char *out, size_t outlen)
{
	const char *home = "";
	size_t skip = 0;
	int n;

	if (len >= 2 && arg[0] == '~' && arg[1] == '/') {
		home = getenv("HOME");
		if (home == NULL || *home == '\0')
			return -2;
		skip = 1;	/* keep the slash */
	}
	n = snprintf(out, outlen, "%s%.*s", home, (int)(len - skip), arg + skip);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void
chat_line_cb(void *arg, char *line)
{
	struct chat *c = arg;
	struct cmd cmd;

	if (line == NULL) {		/* Ctrl-D on an empty line */
		if (c->p->have_s && !c->p->s.local_eof) {
			session_end_input(&c->p->s);
			chat_timeline_our_fin(c, c->p);
		} else if (!c->p->have_s) {
			chat_leave(c, c->status);
		}
		c->dirty |= UI_STATUS;
		return;
	}
	if (c->ended && line[0] == '\0') {	/* "press Enter to leave" */
		free(line);
		chat_leave(c, c->status);
		return;
	}
	if (c->room != NULL && chat_room_line(c, line))
		return;		/* the listener's room took it */
	cmd = cmd_parse(line, strlen(line));
	switch (cmd.kind) {
	case CMD_SEND:
		if (!send_text(c, cmd.text, cmd.len))
			prompt_restore(line);
		break;
	case CMD_HELP:
		show_help(c);
		break;
	case CMD_QUIT:
		chat_leave(c, c->status);
		break;
	case CMD_CLEAR:
		clear(c);
		break;
	case CMD_TIMESTAMPS:
		c->timestamps = !c->timestamps;
		c->dirty |= UI_PANES;
		if (c->line_mode)
			chat_info(c, "%s", c->timestamps ?
			    _("times are now shown") :
			    _("times are now hidden"));
		break;
	case CMD_VIEW:
		toggle_view(c);
		break;
	case CMD_CRLF:
		c->crlf = !c->crlf;
		chat_info(c, "%s", c->crlf ? _("lines are now sent with CRLF") :
		    _("lines are now sent with LF"));
		break;
	case CMD_NEXT:
		next_peer(c);
		break;
	case CMD_RECONNECT:
		reconnect(c);
		break;
	case CMD_SAVE:
		chat_save(c, cmd.text, cmd.len);
		break;
	case CMD_HEX:
		chat_hex_toggle(c);
		break;
	case CMD_SHOW:
		chat_show_toggle(c);
		break;
	case CMD_RAW:
		if (!chat_raw(c, cmd.text, cmd.len))
			prompt_restore(line);
		break;
	case CMD_SENDFILE:
		chat_send_file(c, cmd.text, cmd.len);
		break;
	case CMD_CANCEL:
		chat_cancel(c);
		break;
	case CMD_FIND:
		chat_find(c, cmd.text, cmd.len);
		break;
	case CMD_TLS:
		chat_tls_show(c);
		break;
	case CMD_STARTTLS:
		chat_tls_starttls(c);
		break;
	case CMD_TCP:
		chat_tcp_command(c, cmd.text, cmd.len);
		break;
	case CMD_TRACE:
		chat_trace_command(c, cmd.text, cmd.len);
		break;
	case CMD_NICK:
	case CMD_PEERS:
	case CMD_TO:
	case CMD_KICK:
	case CMD_ME:
	case CMD_WHO:
		/* in a room we dialled, the room's own commands go to it */
		if (c->tr.room) {
			if (!send_text(c, line, strlen(line)))
				prompt_restore(line);
			break;
		}
		/* FALLTHROUGH */
	case CMD_UNKNOWN:
		/* said, cleared from the input; history keeps it for a fix */
		chat_info(c, _("unknown command '%.*s': /help lists them, "
		    "//text sends /text"), (int)strcspn(line, " "), line);
		break;
	}
	free(line);
}

void
chat_scroll(struct chat *c, size_t *sc, size_t *new_below, long delta)
{
	if (delta < 0 && (size_t)-delta >= *sc)
		*sc = 0;
	else if (delta < 0)
		*sc -= (size_t)-delta;
	else
		*sc += (size_t)delta;	/* ui lowers it to what is kept */
	if (*sc == 0)
		*new_below = 0;
	c->dirty |= UI_PANES;
}

static void
scroll(struct chat *c, int pane, long delta)
{
	chat_scroll(c, &c->scroll[pane], &c->new_below[pane], delta);
}

void
chat_key_cb(void *arg, enum prompt_key k)
{
	struct chat *c = arg;
	long page = ui_pane_rows(c->merged, true) - 1;

	if (c->line_mode && k != PROMPT_KEY_VIEW)
		return;		/* the terminal's own scrollback does this */
	if (chat_panel_key(c, k))
		return;		/* a panel below scrolls on its own */
	if (chat_hex_key(c, k))
		return;		/* the hex view scrolls on its own */
	if (page < 1)
		page = 1;
	switch (k) {
	case PROMPT_KEY_PAGE_UP: scroll(c, TOP, page); break;
	case PROMPT_KEY_PAGE_DOWN: scroll(c, TOP, -page); break;
	case PROMPT_KEY_LINE_UP: scroll(c, TOP, 1); break;
	case PROMPT_KEY_LINE_DOWN: scroll(c, TOP, -1); break;
	case PROMPT_KEY_END: to_live(c); break;
	case PROMPT_KEY_VIEW: toggle_view(c); break;
	case PROMPT_KEY_HEX: chat_hex_toggle(c); break;
	case PROMPT_KEY_TCP: chat_panel_toggle(c, CHAT_PANEL_TCP); break;
	case PROMPT_KEY_TRACE: chat_panel_toggle(c, CHAT_PANEL_TRACE); break;
	case PROMPT_KEY_FIND_NEXT: chat_find_step(c, true); break;
	case PROMPT_KEY_FIND_PREV: chat_find_step(c, false); break;
	case PROMPT_KEY_REPAINT:
		ui_repaint();
		c->dirty |= UI_ALL;
		break;
	}
}

/* After the peer left: a lone q on the input line leaves too. */
void
chat_check_lone_q(struct chat *c)
{
	const char *prompt, *line;
	size_t len, point;

	if (!c->ended)
		return;
	prompt_state(&prompt, &line, &len, &point);
	if (len == 1 && line[0] == 'q')
		chat_leave(c, c->status);
}
