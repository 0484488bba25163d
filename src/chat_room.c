/*
 * chat_room.c - the listener's room on the chat screen (--room, --broker
 * in a terminal).  The room (room.h) owns the members and the rules; this
 * file shows what it reports (members' lines with their names, joins,
 * leaves, nick changes) and turns what the listener types into the room's
 * calls.  A broker has no lines: what members send is watched as text, a
 * line per member at a time, under the member's address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "chat_room.h"
#include "clock.h"
#include "cmd.h"
#include "lines.h"
#include "opts.h"
#include "room.h"
#include "status.h"
#include "transcript.h"
#include "ui.h"
#include "width.h"

#define BROKER_LINE_MAX	(8 * 1024)	/* bytes of a watched line kept */

/* --broker: one member's bytes cut into lines for the screen. */
struct watch {
	unsigned	 id;
	char		 name[ROOM_NAME_MAX + 1];
	struct lines	 lines;
	struct watch	*next;
};

struct chat_room {
	struct room	 room;
	struct chat	*c;
	struct watch	*watches;
};

/* The room's own lines start "* ": the transcript's notices get theirs
 * from the view, so it goes. */
static const char *
unstarred(const char *text)
{
	return strncmp(text, "* ", 2) == 0 ? text + 2 : text;
}

static void
said(struct chat *c, enum tr_said how, const char *name, const char *p,
    size_t n, uint64_t dropped)
{
	uint64_t seq = c->tr.seq;

	if (transcript_said(&c->tr, how, name, strlen(name), p, n, dropped,
	    clock_wall_ms()) == -1)
		chat_info(c, "out of memory: some received text is not shown");
	chat_added(c, TOP, c->tr.seq - seq);
	c->dirty |= UI_STATUS;
}

/* ---- the room's hooks ---- */

static void
joined_cb(void *arg, const struct room_member *m, const char *text)
{
	struct chat_room *cr = arg;

	(void)m;
	chat_info(cr->c, "%s", unstarred(text));
	cr->c->dirty |= UI_STATUS;
}

static struct watch *
watch_of(struct chat_room *cr, const struct room_member *m, bool make)
{
	struct watch *w;

	for (w = cr->watches; w != NULL; w = w->next)
		if (w->id == m->id)
			return w;
	if (!make || (w = calloc(1, sizeof *w)) == NULL)
		return NULL;
	if (lines_init(&w->lines, BROKER_LINE_MAX) == -1) {
		free(w);
		return NULL;
	}
	w->id = m->id;
	snprintf(w->name, sizeof w->name, "%s", m->name);
	w->next = cr->watches;
	cr->watches = w;
	return w;
}

struct watch_feed {
	struct chat	*c;
	const char	*name;
};

static void
watch_line_cb(void *arg, const char *p, size_t n, uint64_t dropped, bool crlf)
{
	struct watch_feed *f = arg;

	(void)crlf;
	said(f->c, TR_SAID, f->name, p, n, dropped);
}

/* A broker member left: its unfinished line shows as it is, then goes. */
static void
watch_end(struct chat_room *cr, const struct room_member *m)
{
	struct watch **pw, *w;
	const char *part;
	uint64_t dropped;
	size_t n;

	for (pw = &cr->watches; *pw != NULL; pw = &(*pw)->next)
		if ((*pw)->id == m->id)
			break;
	if ((w = *pw) == NULL)
		return;
	part = lines_partial(&w->lines, &n, &dropped);
	if (n > 0 || dropped > 0)
		said(cr->c, TR_SAID, w->name, part, n, dropped);
	*pw = w->next;
	lines_free(&w->lines);
	free(w);
}

static void
left_cb(void *arg, const struct room_member *m, enum room_end why,
    const char *text)
{
	struct chat_room *cr = arg;

	watch_end(cr, m);
	/* a member that stopped reading is one the listener must notice */
	if (why == ROOM_END_SLOW)
		chat_alert(cr->c, "%s", unstarred(text));
	else
		chat_info(cr->c, "%s", unstarred(text));
	cr->c->dirty |= UI_STATUS;
}

static void
line_cb(void *arg, const struct room_member *m, enum room_line kind,
    const char *raw, size_t rawlen, uint64_t dropped, const char *text)
{
	struct chat_room *cr = arg;

	(void)text;	/* shown from raw: its escapes visible, not removed */
	said(cr->c, kind == ROOM_LINE_ME ? TR_SAID_ME : kind ==
	    ROOM_LINE_PRIVATE ? TR_SAID_PRIVATE : TR_SAID, m->name, raw, rawlen,
	    dropped);
}

static void
nick_cb(void *arg, const struct room_member *m, const char *old,
    const char *text)
{
	struct chat_room *cr = arg;

	(void)m;
	(void)old;
	chat_info(cr->c, "%s", unstarred(text));
}

static void
relayed_cb(void *arg, const struct room_member *m, const char *p, size_t n)
{
	struct chat_room *cr = arg;
	struct watch *w = watch_of(cr, m, true);
	struct watch_feed f = { cr->c, m->name };

	if (w == NULL) {
		chat_info(cr->c, "out of memory: some received text is not shown");
		return;
	}
	lines_feed(&w->lines, p, n, watch_line_cb, &f);
	cr->c->dirty |= UI_STATUS;
}

static void
refused_cb(void *arg, const char *addr, const char *msg)
{
	struct chat_room *cr = arg;

	(void)addr;
	chat_info(cr->c, "%s", msg);
}

/* ---- set-up ---- */

int
chat_room_init(struct chat *c)
{
	struct room_hooks h = { joined_cb, left_cb, line_cb, nick_cb,
	    relayed_cb, refused_cb, NULL };
	struct chat_room *cr;

	c->room = NULL;
	if (!c->o->room && !c->o->broker)
		return 0;
	if ((cr = calloc(1, sizeof *cr)) == NULL)
		return -1;
	cr->c = c;
	h.arg = cr;
	room_init(&cr->room, c->o->broker ? ROOM_BROKER : ROOM_CHAT,
	    c->o->nick, c->o->max_peers, c->o->peer_queue, &h);
	c->room = cr;
	return 0;
}

int
chat_room_start(struct chat *c)
{
	struct chat_room *cr = c->room;

	if (room_start(&cr->room, c->loop, &c->p->lst) == -1)
		return -1;
	if (cr->room.kind == ROOM_BROKER)
		chat_info(c, "a broker on %s: what one peer sends goes to every "
		    "other, and what you type goes to all; /help lists commands",
		    c->p->lst.desc);
	else
		chat_info(c, "a room on %s, where you are %s: peers join with nc, "
		    "telnet or tcptalk; /help lists the room's commands",
		    c->p->lst.desc, cr->room.nick);
	return 0;
}

void
chat_room_free(struct chat *c)
{
	struct chat_room *cr = c->room;
	struct watch *w;

	if (cr == NULL)
		return;
	room_free(&cr->room);
	while ((w = cr->watches) != NULL) {
		cr->watches = w->next;
		lines_free(&w->lines);
		free(w);
	}
	free(cr);
	c->room = NULL;
}

/* ---- what the listener types ---- */

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
		chat_info(c, "a name is missing: %s", usage);
		return false;
	}
	if (n > ROOM_NAME_MAX) {
		chat_info(c, "no one here has a name that long (%d bytes at most).",
		    ROOM_NAME_MAX);
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
		chat_info(c, "out of memory: a sent line is not shown");
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
			chat_info(c, "out of memory: nothing sent");
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
		chat_info(c, "nobody is in the room yet: that line went to no one");
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
		chat_info(cr->c, "you are now known as %s", cr->room.nick);
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
		chat_info(cr->c, "the text is missing: /to %s text", name);
		return;
	}
	if (room_to(&cr->room, name, rest, restlen, err, sizeof err) == -1) {
		chat_info(cr->c, "%s", err);
		return;
	}
	/* ours, as the room sent it: private to whom */
	n = asprintf(&shown, "(private to %s) %.*s", name, (int)restlen, rest);
	if (n < 0) {
		chat_info(cr->c, "out of memory: a sent line is not shown");
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
		chat_info(cr->c, "the text is missing: /me does something");
		return;
	}
	room_me(&cr->room, arg, len);
	n = asprintf(&shown, "* %s %.*s", cr->room.nick, (int)len, arg);
	if (n < 0) {
		chat_info(cr->c, "out of memory: a sent line is not shown");
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
		chat_info(cr->c, "nobody is in the room but you (%s)",
		    cr->room.nick);
	else
		chat_info(cr->c, "in the room with you (%s): %s", cr->room.nick,
		    list);
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

/* /peers: a row each, columns as wide as their widest cell. */
static void
peers(struct chat_room *cr)
{
	const struct room_member *m;
	size_t wn = strlen("name"), wa = strlen("address"), w;
	char name[ROOM_NAME_MAX + 80], addr[NET_ADDRSTRLEN + 8];
	char t[32], in[32], out[32], q[32];
	int64_t now = clock_now_ms();

	if (room_count(&cr->room) == 0) {
		chat_info(cr->c, "nobody has joined the room on %s yet",
		    cr->c->p->lst.desc);
		return;
	}
	for (m = room_first(&cr->room); m != NULL; m = room_next(&cr->room, m)) {
		if ((w = width_str(m->name, strlen(m->name))) > wn)
			wn = w;
		if ((w = strlen(m->addr)) > wa)
			wa = w;
	}
	chat_info(cr->c, "peers in the room: %d; you are %s",
	    room_count(&cr->room), cr->room.nick);
	padded(name, sizeof name, "name", wn);
	padded(addr, sizeof addr, "address", wa);
	chat_info(cr->c, "%s  %s  %9s  %10s  %10s  %10s", name, addr,
	    "connected", "received", "sent", "queued");
	for (m = room_first(&cr->room); m != NULL; m = room_next(&cr->room, m)) {
		padded(name, sizeof name, m->name, wn);
		padded(addr, sizeof addr, m->addr, wa);
		since(t, sizeof t, now - m->since_ms);
		status_bytes(in, sizeof in, m->bytes_in);
		status_bytes(out, sizeof out, m->bytes_out);
		status_bytes(q, sizeof q, m->queued);
		chat_info(cr->c, "%s  %s  %9s  %10s  %10s  %10s", name, addr, t,
		    in, out, q);
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
			chat_info(c, "%.*s is for a room (--room): a broker has no "
			    "names or lines", word_len(line), line);
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
		chat_info(c, "%.*s works on a single connection, not in a room; "
		    "/help lists what does", word_len(line), line);
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
	bool broker = c->room->room.kind == ROOM_BROKER;
	size_t i, k;

	for (i = 0; cmd_help[i] != NULL; i++)
		for (k = 0; k < sizeof keep / sizeof keep[0]; k++)
			if (strncmp(cmd_help[i], keep[k], strlen(keep[k])) == 0 &&
			    (broker || strncmp(keep[k], "/crlf", 5) != 0)) {
				chat_info(c, "%s", cmd_help[i]);
				break;
			}
	for (i = 0; cmd_room_help[i] != NULL; i++)
		if (!broker || strncmp(cmd_room_help[i], "/kick", 5) == 0 ||
		    strncmp(cmd_room_help[i], "/peers", 6) == 0 ||
		    strncmp(cmd_room_help[i], "keys:", 5) == 0)
			chat_info(c, "%s", cmd_room_help[i]);
	/* the rest of the keys, as in a conversation */
	for (i = 0; cmd_help[i] != NULL; i++)
		if (strncmp(cmd_help[i], "      ", 6) == 0 && !c->line_mode)
			chat_info(c, "%s", cmd_help[i]);
}

void
chat_room_status(struct chat *c, char *out, size_t len)
{
	struct chat_room *cr = c->room;
	int n = room_count(&cr->room);

	if (cr->room.kind == ROOM_BROKER)
		snprintf(out, len, "broker on %s, peers: %d", c->p->lst.desc, n);
	else
		snprintf(out, len, "room on %s, peers: %d, you are %s",
		    c->p->lst.desc, n, cr->room.nick);
}

void
chat_room_title(struct chat *c, char *out, size_t len)
{
	snprintf(out, len, c->room->room.kind == ROOM_BROKER ?
	    "broker on %s" : "room on %s", c->p->lst.desc);
}
