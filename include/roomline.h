/*
 * roomline.h - what a line from a tcptalk room is (pure).  A room talks in
 * plain lines: "<name> text" for what a member said, "* ..." for the
 * room's own notices.  Those shapes are common elsewhere too (an IMAP
 * server's "* OK"), so a line counts as a room's only after the room's
 * greeting, "* tcptalk room: ...", came as the peer's very first line.
 */
#ifndef TCPTALK_ROOMLINE_H
#define TCPTALK_ROOMLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The first line a room sends to a member that joins, up to its text. */
#define ROOMLINE_GREETING	"* tcptalk room: "
#define ROOMLINE_NAME_MAX	64	/* bytes of a name we take as one */
#define ROOMLINE_COLOURS	6	/* names' colours: index 0..5 */

enum roomline_kind {
	ROOMLINE_PLAIN,		/* neither: shown as it came */
	ROOMLINE_SAY,		/* "<name> text" */
	ROOMLINE_NOTICE		/* "* text" */
};

struct roomline {
	enum roomline_kind kind;
	const char	*name;		/* ROOMLINE_SAY: inside the <> */
	size_t		 name_len;
	const char	*text;		/* after "<name> " or "* " */
	size_t		 text_len;
};

/* Is this line (without its line end) a room's greeting: the greeting
 * words followed by some text? */
bool	roomline_is_greeting(const char *, size_t);
/*
 * Split a line of a room.  A name is 1..ROOMLINE_NAME_MAX bytes with no
 * space, '<', '>' or control byte (C0, DEL; C1 and bidi controls, which
 * would hide or reorder text, are left for the sanitizer to show, but do
 * not make a name); anything else is ROOMLINE_PLAIN.
 */
struct roomline roomline_split(const char *, size_t);
/* Is this a name roomline_split would take (the same rules)? */
bool	roomline_name_ok(const char *, size_t);
/* A name's colour, the same every time: 0..ROOMLINE_COLOURS-1. */
unsigned roomline_colour(const char *, size_t);

#endif
