/* scrollback.h - a bounded ring of display lines for one pane. */
#ifndef TCPTALK_SCROLLBACK_H
#define TCPTALK_SCROLLBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum sb_kind { SB_PEER, SB_LOCAL, SB_INFO };

struct sb_line {
	uint64_t	 seq;		/* global order, for the merged view */
	time_t		 when;
	enum sb_kind	 kind;
	bool		 partial;	/* peer text with no newline yet */
	char		*text;		/* sanitized display text, owned */
	size_t		 len;
};

struct scrollback {
	struct sb_line	*ring;
	size_t		 cap;
	size_t		 start;		/* index of the oldest line */
	size_t		 count;
	uint64_t	 gen;		/* bumped on every change: redraw if it moved */
};

int	sb_init(struct scrollback *, size_t cap);
void	sb_free(struct scrollback *);
void	sb_clear(struct scrollback *);
/* Append a line; takes ownership of text.  The oldest goes when full. */
void	sb_push(struct scrollback *, enum sb_kind, uint64_t seq, time_t when,
	    char *text, size_t len, bool partial);
/* Replace the text of the newest line (a partial line growing). */
void	sb_replace_last(struct scrollback *, char *text, size_t len, bool partial);
/* i = 0 is the oldest; NULL past the end. */
const struct sb_line *sb_get(const struct scrollback *, size_t i);
const struct sb_line *sb_last(const struct scrollback *);

#endif
