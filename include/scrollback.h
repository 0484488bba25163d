/* scrollback.h - a bounded ring of display lines, in order of seq. */
#ifndef TCPTALK_SCROLLBACK_H
#define TCPTALK_SCROLLBACK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct sb_line {
	uint64_t	 seq;		/* global order, rising: merges two rings */
	int64_t		 when_ms;	/* wall clock, ms since the epoch */
	int		 kind;		/* the owner's meaning (transcript.h) */
	int		 state;
	unsigned	 flags;		/* the owner's meaning (transcript.h) */
	char		*text;		/* sanitized display text, owned */
	size_t		 len;
};

struct scrollback {
	struct sb_line	*ring;
	size_t		 cap;
	size_t		 start;		/* index of the oldest line */
	size_t		 count;
};

int	sb_init(struct scrollback *, size_t cap);
void	sb_free(struct scrollback *);
void	sb_clear(struct scrollback *);
/* Append a copy of *l, taking ownership of l->text; the oldest line goes
 * when full.  seq must be above every seq already held. */
void	sb_push(struct scrollback *, const struct sb_line *l);
/* i = 0 is the oldest; NULL past the end. */
const struct sb_line *sb_get(const struct scrollback *, size_t i);
const struct sb_line *sb_last(const struct scrollback *);
/* The line with this seq, to update in place; NULL if gone or never held. */
struct sb_line *sb_find(struct scrollback *, uint64_t seq);
/* Replace a held line's text, taking ownership of text. */
void	sb_set_text(struct sb_line *, char *text, size_t len);

#endif
