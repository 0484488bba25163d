/*
 * record.h - -o FILE and /save FILE: the conversation as text, one entry a
 * line, "HH:MM:SS.mmm D text", D '<' received, '>' sent, '-' tcptalk's
 * notices; the text as the screen shows it (sanitized, no escape byte), a
 * line that ended without newline marked as on screen.  Each entry is one
 * write(2) the moment it is final, so `tail -f` shows it live; or, held
 * (record_hold), entries wait for record_flush, which the pipe calls once
 * per read or write of the socket: one write(2) for all the lines it held.
 * Nothing ever waits for the file: what a FIFO or terminal has not taken
 * waits in a buffer (RECORD_BUFSZ), and whole lines that find no room are
 * left out and counted in a line "HH:MM:SS.mmm ! N lines not recorded: the
 * file did not keep up" once there is room again.
 */
#ifndef TCPTALK_RECORD_H
#define TCPTALK_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outfile.h"
#include "scrollback.h"

struct record {
	struct outfile	 out;	/* fd -1: not recording (never opened, or
				 * stopped) */
	int		 error;	/* errno of the write that failed */
	char		 shown[256];	/* the path for messages, controls as '?' */
	bool		 held;	/* record_hold: entries wait for a flush */
	uint64_t	 dropped;	/* lines left out since the last note */
	uint64_t	 dropped_total;
};

#define RECORD_HOLD	(64 * 1024)	/* a regular file: bytes held at most */
#define RECORD_BUFSZ	(256 * 1024)	/* anything else: bytes it may lag */
#define RECORD_CLOSE_WAIT 1000	/* ms at most record_close gives a reader */

/* Create FILE (mode 0600) or append to it, without waiting for a reader;
 * -1 with a one-line message in err: "cannot write the transcript to
 * 'FILE': REASON" (a FIFO with no reader says so). */
int	record_open(struct record *, const char *path, char *err, size_t errlen);
/*
 * One entry as its line, newline included: like snprintf, at most
 * outlen - 1 bytes and a NUL go to out, and the whole length is returned.
 * The marker bytes of sanitized text are dropped; any other control byte
 * (never there in sanitized text) becomes '?'.  Pure.
 */
size_t	record_format(const struct sb_line *, char *out, size_t outlen);
/* Write one entry.  -1 only when this write failed: the record stops (the
 * file is closed, error set) and later calls do nothing and return 0, so
 * the caller says it once (record_failure).  An entry left out because
 * the file does not keep up is no failure. */
int	record_write(struct record *, const struct sb_line *);
/* --trace: a segment's line as "HH:MM:SS.mmm # LINE" (no entry has '#');
 * -1 as record_write. */
int	record_trace(struct record *, int64_t when_ms, const char *line);
/* Hold entries from now on (up to RECORD_HOLD bytes, or RECORD_BUFSZ for
 * a file that is not regular: a fuller buffer is written first); -1 when
 * out of memory (then each is written at once). */
int	record_hold(struct record *);
/* Write what is held; -1 as record_write. */
int	record_flush(struct record *);
/* The sentence that says a write failed, or (error 0, after
 * record_close) how many lines the file lacks: into buf, returned. */
const char *record_failure(const struct record *, char *buf, size_t len);
/* Write what is held and close; -1 when a write or close(2) failed just
 * now (error set) or lines were left out (dropped_total: the lines not
 * recorded, the last ones too).  A file that does not keep up gets up to
 * RECORD_CLOSE_WAIT ms, less if it takes nothing for a tenth of that. */
int	record_close(struct record *);

#endif
