/*
 * chat_room.h - the chat screen of a listener's room (--room) or broker
 * (--broker): the listener is a member; what members say shows with their
 * names and colours, joins and leaves as notices; the room's commands
 * (/nick /peers /to /kick /me /who).  The room itself (room.h) decides
 * who is in it and what goes where; this file only shows and asks.
 */
#ifndef TCPTALK_CHAT_ROOM_H
#define TCPTALK_CHAT_ROOM_H

#include <stdbool.h>
#include <stddef.h>

#include "room.h"

struct chat;
struct chat_room_watch;

/* chat_room.c owns it; chat_room_cmd.c speaks through it. */
struct chat_room {
	struct room		 room;
	struct chat		*c;
	struct chat_room_watch	*watches;	/* --broker: lines being cut */
};

/* A room or broker when the options ask for one (c->room set), else
 * nothing; -1 when out of memory. */
int	chat_room_init(struct chat *);
/* Take members from the listener peer_open bound (instead of
 * peer_start); -1 when out of memory or no room in the loop. */
int	chat_room_start(struct chat *);
/* Close every member, leave the loop. */
void	chat_room_free(struct chat *);
/* chat_room_cmd.c: a typed line (line NULL: Ctrl-D): true when the room
 * took it (and freed it); false for the chat's own commands (/quit,
 * /view, ...). */
bool	chat_room_line(struct chat *, char *line);
/* /help in a room: the commands that apply. */
void	chat_room_help(struct chat *);
/* The status line ("room on 127.0.0.1:5000, peers: 3, you are host"), the
 * top pane's title. */
void	chat_room_status(struct chat *, char *out, size_t len);
void	chat_room_title(struct chat *, char *out, size_t len);

#endif
