/*
 * chat_room_cmd.c - what the listener types in its room: lines to say
 * (to everyone under its name; a broker's as bytes), and the room's
 * commands, /nick /peers /who /to /me /kick, turned into the room's calls
 * (room.h), with what they did shown in the transcript.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "chat_room.h"
#include "clock.h"
#include "cmd.h"
#include "i18n.h"
#include "room.h"
#include "status.h"
#include "transcript.h"
#include "ui.h"
#include "width.h"

/* A name from a command's argument: up to the first space, NUL-ended;
 * *rest what follows that space.  false (and says so) when none. */
static bool
take_name(struct chat *c, const char *arg, size_t len, char *name,
    const char **rest, size_t *restlen, const char *usage)
{
	size_t n = 0;

	while (n < len && arg[n] != ' ')
		n++;
	if (n == 0) {
		chat_info(c, _("a name is missing: %s"), usage);
		return false;
	}
	if (n > ROOM_NAME_MAX) {
		chat_info(c, _("no one here has a name that long (%d bytes at "
		    "most)."), ROOM_NAME_MAX);
		return false;
	}
	memcpy(name, arg, n);
	name[n] = '\0';
	*rest = n < len ? arg + n + 1 : arg + len;
	*restlen = n < len ? len - n - 1 : 0;
	return true;
}

/* What the listener sent, in its own pane (or merged, after the rest). */
static void
shown_sent(struct chat *c, const char *p, size_t n)
{
	uint64_t seq = c->tr.seq;

	if (transcript_sent(&c->tr, p, n, clock_wall_ms(), false) == -1)
		chat_info(c, "%s", _("out of memory: a sent line is not shown"));
	chat_added(c, c->merged ? TOP : BOTTOM, c->tr.seq - seq);
	c->dirty |= UI_STATUS;
}

static void
say(struct chat_room *cr, const char *p, size_t n)
{
	struct chat *c = cr->c;
	char *line;

	if (n == 0)
		return;
	if (cr->room.kind == ROOM_BROKER) {
		/* bytes: the line as typed, with its line end */
		if ((line = malloc(n + 2)) == NULL) {
			chat_info(c, "%s", _("out of memory: nothing sent"));
			return;
		}
		memcpy(line, p, n);
		memcpy(line + n, c->crlf ? "\r\n" : "\n", c->crlf ? 2 : 1);
		room_send(&cr->room, line, n + (c->crlf ? 2 : 1));
		free(line);
	} else {
		room_say(&cr->room, p, n);
	}
	shown_sent(c, p, n);
	if (room_count(&cr->room) == 0)
		chat_info(c, "%s", _("nobody is in the room yet: that line went "
		    "to no one"));
}

static void
nick(struct chat_room *cr, const char *arg, size_t len)
{
	char name[ROOM_NAME_MAX + 1], err[300];
	const char *rest;
	size_t restlen;

	if (!take_name(cr->c, arg, len, name, &rest, &restlen, "/nick NAME"))
		return;
	if (room_nick(&cr->room, name, err, sizeof err) == -1)
		chat_info(cr->c, "%s", err);
	else
		chat_info(cr->c, _("you are now known as %s"), cr->room.nick);
	cr->c->dirty |= UI_STATUS;	/* it names you */
}

static void
to(struct chat_room *cr, const char *arg, size_t len)
{
	char name[ROOM_NAME_MAX + 1], err[300], *shown;
	const char *rest;
	size_t restlen;
	int n;

	if (!take_name(cr->c, arg, len, name, &rest, &restlen, "/to NAME text"))
		return;
	if (restlen == 0) {
		chat_info(cr->c, _("the text is missing: /to %s text"), name);
		return;
	}
	if (room_to(&cr->room, name, rest, restlen, err, sizeof err) == -1) {
		chat_info(cr->c, "%s", err);
		return;
	}
	/* ours, as the room sent it: private to whom */
	/* TRANSLATORS: the listener's /to line as its own pane shows it:
	 * "(private to NAME) text". */
	n = asprintf(&shown, _("(private to %s) %.*s"), name, (int)restlen,
	    rest);
	if (n < 0) {
		chat_info(cr->c, "%s", _("out of memory: a sent line is not "
		    "shown"));
		return;
	}
	shown_sent(cr->c, shown, (size_t)n);
	free(shown);
}

static void
kick(struct chat_room *cr, const char *arg, size_t len)
{
	char name[ROOM_NAME_MAX + 1], err[300];
	const char *rest;
	size_t restlen;

	if (!take_name(cr->c, arg, len, name, &rest, &restlen, "/kick NAME"))
		return;
	if (room_kick(&cr->room, name, err, sizeof err) == -1)
		chat_info(cr->c, "%s", err);
}

static void
me(struct chat_room *cr, const char *arg, size_t len)
{
	char *shown;
	int n;

	if (len == 0) {
		chat_info(cr->c, "%s", _("the text is missing: /me does "
		    "something"));
		return;
	}
	room_me(&cr->room, arg, len);
	n = asprintf(&shown, "* %s %.*s", cr->room.nick, (int)len, arg);
	if (n < 0) {
		chat_info(cr->c, "%s", _("out of memory: a sent line is not "
		    "shown"));
		return;
	}
	shown_sent(cr->c, shown, (size_t)n);
	free(shown);
}

static void
who(struct chat_room *cr)
{
	const struct room_member *m;
	char list[4096];
	size_t j = 0;

	list[0] = '\0';
	for (m = room_first(&cr->room); m != NULL; m = room_next(&cr->room, m)) {
		if (j + strlen(m->name) + 3 >= sizeof list) {
			snprintf(list + j, sizeof list - j, "...");
			break;
		}
		j += (size_t)snprintf(list + j, sizeof list - j, "%s%s",
		    j > 0 ? ", " : "", m->name);
	}
	if (j == 0)
		chat_info(cr->c, _("nobody is in the room but you (%s)"),
		    cr->room.nick);
	else
		chat_info(cr->c, _("in the room with you (%s): %s"),
		    cr->room.nick, list);
}

/* s padded with spaces to cols columns (UTF-8 names). */
static int
padded(char *out, size_t len, const char *s, size_t cols)
{
	size_t w = width_str(s, strlen(s));

	return snprintf(out, len, "%s%*s", s, w < cols ? (int)(cols - w) : 0,
	    "");
}

static void
since(char *out, size_t len, int64_t ms)
{
	int64_t s = ms / 1000;

	if (s < 3600)
		snprintf(out, len, "%d:%02d", (int)(s / 60), (int)(s % 60));
	else
		snprintf(out, len, "%d:%02d:%02d", (int)(s / 3600),
		    (int)(s / 60 % 60), (int)(s % 60));
}

/* s right-aligned in cols columns. */
static void
right(char *out, size_t len, const char *s, size_t cols)
{
	size_t w = width_str(s, strlen(s));

	snprintf(out, len, "%*s%s", w < cols ? (int)(cols - w) : 0, "", s);
}

/* The widest of s and min columns. */
static size_t
cols_of(const char *s, size_t min)
{
	size_t w = width_str(s, strlen(s));

	return w > min ? w : min;
}

/* /peers' column headings: short, so the rows fit. */
static const char *const peers_head[] = {
	/* TRANSLATORS: /peers' column headings, as short as may be. */
	N_("name"), N_("address"), N_("connected"), N_("received"), N_("sent"),
	N_("queued")
};

/* /peers: a row each, columns as wide as their widest cell (in display
 * columns: a translated heading or a name may be wide). */
static void
peers(struct chat_room *cr)
{
	const struct room_member *m;
	size_t wn = cols_of(_(peers_head[0]), 0), wa = cols_of(_(peers_head[1]), 0);
	size_t wc[4], w, k;
	char name[ROOM_NAME_MAX + 80], addr[NET_ADDRSTRLEN + 80];
	char cell[4][48], v[4][32];
	int64_t now = clock_now_ms();

	if (room_count(&cr->room) == 0) {
		chat_info(cr->c, _("nobody has joined the room on %s yet"),
		    cr->c->p->lst.desc);
		return;
	}
	for (m = room_first(&cr->room); m != NULL; m = room_next(&cr->room, m)) {
		if ((w = width_str(m->name, strlen(m->name))) > wn)
			wn = w;
		if ((w = strlen(m->addr)) > wa)
			wa = w;
	}
	for (k = 0; k < 4; k++)
		wc[k] = cols_of(_(peers_head[k + 2]), k == 0 ? 9 : 10);
	chat_info(cr->c, _("peers in the room: %d; you are %s"),
	    room_count(&cr->room), cr->room.nick);
	padded(name, sizeof name, _(peers_head[0]), wn);
	padded(addr, sizeof addr, _(peers_head[1]), wa);
	for (k = 0; k < 4; k++)
		right(cell[k], sizeof cell[k], _(peers_head[k + 2]), wc[k]);
	chat_info(cr->c, "%s  %s  %s  %s  %s  %s", name, addr, cell[0], cell[1],
	    cell[2], cell[3]);
	for (m = room_first(&cr->room); m != NULL; m = room_next(&cr->room, m)) {
		padded(name, sizeof name, m->name, wn);
		padded(addr, sizeof addr, m->addr, wa);
		since(v[0], sizeof v[0], now - m->since_ms);
		status_bytes(v[1], sizeof v[1], m->bytes_in);
		status_bytes(v[2], sizeof v[2], m->bytes_out);
		status_bytes(v[3], sizeof v[3], m->queued);
		for (k = 0; k < 4; k++)
			right(cell[k], sizeof cell[k], v[k], wc[k]);
		chat_info(cr->c, "%s  %s  %s  %s  %s  %s", name, addr, cell[0],
		    cell[1], cell[2], cell[3]);
	}
}

/* The command word of a line ("/tls"), for what does not apply here. */
static int
word_len(const char *line)
{
	return (int)strcspn(line, " ");
}

bool
chat_room_line(struct chat *c, char *line)
{
	struct chat_room *cr = c->room;
	bool broker = cr->room.kind == ROOM_BROKER;
	struct cmd cmd;

	if (line == NULL)
		return false;	/* Ctrl-D: leaves, as with no peer */
	cmd = cmd_parse(line, strlen(line));
	switch (cmd.kind) {
	case CMD_SEND:
		say(cr, cmd.text, cmd.len);
		break;
	case CMD_HELP:
		chat_room_help(c);
		break;
	case CMD_PEERS:
		peers(cr);
		break;
	case CMD_KICK:
		kick(cr, cmd.text, cmd.len);
		break;
	case CMD_NICK:
	case CMD_TO:
	case CMD_ME:
	case CMD_WHO:
		if (broker) {
			chat_info(c, _("%.*s is for a room (--room): a broker "
			    "has no names or lines"), word_len(line), line);
			break;
		}
		if (cmd.kind == CMD_NICK)
			nick(cr, cmd.text, cmd.len);
		else if (cmd.kind == CMD_TO)
			to(cr, cmd.text, cmd.len);
		else if (cmd.kind == CMD_ME)
			me(cr, cmd.text, cmd.len);
		else
			who(cr);
		break;
	case CMD_NEXT:
	case CMD_RECONNECT:
	case CMD_RAW:
	case CMD_SENDFILE:
	case CMD_CANCEL:
	case CMD_TLS:
	case CMD_STARTTLS:
	case CMD_TCP:
	case CMD_TRACE:
	case CMD_HEX:
		chat_info(c, _("%.*s works on a single connection, not in a "
		    "room; /help lists what does"), word_len(line), line);
		break;
	default:
		return false;	/* the chat's own: /quit, /view, /find, ... */
	}
	free(line);
	return true;
}

void
chat_room_help(struct chat *c)
{
	/* the chat's commands that still apply in a room */
	static const char *const keep[] = { "/help", "/quit", "/clear",
	    "/timestamps", "/view", "/show", "/save", "/find", "/crlf" };
	const struct cmd_help_item *it, *room = cmd_room_help_items;
	bool broker = c->room->room.kind == ROOM_BROKER;
	size_t i, k, col = cmd_help_col();
	char line[512];

	/* one column for both tables, measured in display columns */
	if (cmd_help_table_col(room) > col)
		col = cmd_help_table_col(room);
	for (i = 0; (it = &cmd_help_items[i])->text != NULL; i++)
		for (k = 0; it->cmd != NULL && k < sizeof keep / sizeof keep[0];
		    k++)
			if (strncmp(it->cmd, keep[k], strlen(keep[k])) == 0 &&
			    (broker || strncmp(keep[k], "/crlf", 5) != 0) &&
			    !(c->line_mode && strncmp(keep[k], "/view", 5) == 0)) {
				cmd_help_line(i, col, line, sizeof line);
				chat_help_row(c, line, _(it->text));
				break;
			}
	for (i = 0; (it = &room[i])->text != NULL; i++)
		if (!broker || it->cmd == NULL || it->cmd[0] != '/' ||
		    strcmp(it->cmd, "/kick NAME") == 0 ||
		    strcmp(it->cmd, "/peers") == 0) {
			cmd_help_table_line(room, i, col, line, sizeof line);
			chat_help_row(c, line, _(it->text));
		}
	/* the rest of the keys, as in a conversation */
	for (i = 0; (it = &cmd_help_items[i])->text != NULL; i++)
		if (it->cmd == NULL && !c->line_mode) {
			cmd_help_line(i, col, line, sizeof line);
			chat_help_row(c, line, _(it->text));
		}
}

