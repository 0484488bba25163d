/*
 * chat_room.c - the listener's room on the chat screen (--room, --broker
 * in a terminal).  The room (room.h) owns the members and the rules; this
 * file shows what it reports (members' lines with their names, joins,
 * leaves, nick changes), and the status line; chat_room_cmd.c turns what
 * the listener types into the room's calls.  A broker has no lines: what
 * members send is watched as text, a line per member at a time, under the
 * member's address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "chat_room.h"
#include "clock.h"
#include "i18n.h"
#include "lines.h"
#include "opts.h"
#include "room.h"
#include "transcript.h"
#include "ui.h"

#define BROKER_LINE_MAX	(8 * 1024)	/* bytes of a watched line kept */

/* --broker: one member's bytes cut into lines for the screen. */
struct chat_room_watch {
	unsigned		 id;
	char			 name[ROOM_NAME_MAX + 1];
	struct lines		 lines;
	struct chat_room_watch	*next;
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
		chat_info(c, "%s", _("out of memory: some received text is not "
		    "shown"));
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

static struct chat_room_watch *
watch_of(struct chat_room *cr, const struct room_member *m, bool make)
{
	struct chat_room_watch *w;

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
	struct chat_room_watch **pw, *w;
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
	struct chat_room_watch *w = watch_of(cr, m, true);
	struct watch_feed f = { cr->c, m->name };

	if (w == NULL) {
		chat_info(cr->c, "%s", _("out of memory: some received text "
		    "is not shown"));
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
		chat_info(c, _("a broker on %s: what one peer sends goes to "
		    "every other, and what you type goes to all; /help lists "
		    "commands"), c->p->lst.desc);
	else
		chat_info(c, _("a room on %s, where you are %s: peers join with "
		    "nc, telnet or tcptalk; /help lists the room's commands"),
		    c->p->lst.desc, cr->room.nick);
	return 0;
}

void
chat_room_free(struct chat *c)
{
	struct chat_room *cr = c->room;
	struct chat_room_watch *w;

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

void
chat_room_status(struct chat *c, char *out, size_t len)
{
	struct chat_room *cr = c->room;
	int n = room_count(&cr->room);

	if (cr->room.kind == ROOM_BROKER)
		/* TRANSLATORS: the status line: short. */
		snprintf(out, len, _("broker on %s, peers: %d"), c->p->lst.desc,
		    n);
	else
		snprintf(out, len, _("room on %s, peers: %d, you are %s"),
		    c->p->lst.desc, n, cr->room.nick);
}

void
chat_room_title(struct chat *c, char *out, size_t len)
{
	snprintf(out, len, c->room->room.kind == ROOM_BROKER ?
	    /* TRANSLATORS: the title of the room's pane: short. */
	    _("broker on %s") : _("room on %s"), c->p->lst.desc);
}
