/* prompt.h - the input line: GNU readline's callback interface, fed by the loop. */
#ifndef TCPTALK_PROMPT_H
#define TCPTALK_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

enum prompt_key {
	PROMPT_KEY_PAGE_UP,
	PROMPT_KEY_PAGE_DOWN,
	PROMPT_KEY_LINE_UP,
	PROMPT_KEY_LINE_DOWN,
	PROMPT_KEY_END,		/* also moved the cursor to the end */
	PROMPT_KEY_VIEW,	/* F2 */
	PROMPT_KEY_REPAINT,	/* Ctrl-L */
	PROMPT_KEY_FIND_NEXT,	/* F3: the next match, going back in time */
	PROMPT_KEY_FIND_PREV,	/* Shift-F3: the match after, towards live */
	PROMPT_KEY_HEX,		/* F5: text <-> hex */
	PROMPT_KEY_TCP,		/* F4: the /tcp panel */
	PROMPT_KEY_TRACE	/* F6: the --trace panel */
};

struct prompt_hooks {
	/*
	 * A line was entered (owned by the callee: free it), without its
	 * newline; NULL is Ctrl-D on an empty line, or the terminal closed
	 * (line mode).  An input holding newlines (a paste kept after a
	 * refusal) arrives one line per call, in order.  Before the call the
	 * line is in the history unless it is empty or starts with a space,
	 * and the input line is already empty.  The hook refuses a line by
	 * calling prompt_restore(line) before it returns: no more lines are
	 * delivered from this Enter or this prompt_feed chunk.
	 */
	void	(*line_cb)(void *arg, char *line);
	void	(*key_cb)(void *arg, enum prompt_key);
	void	*arg;
	/*
	 * Optional (NULL: not told): a sentence for the user about something
	 * that went wrong with what was typed, e.g. "out of memory: the line
	 * was not sent; it stays in the input".  Text is never dropped
	 * silently: what cannot be sent stays in the input.
	 */
	void	(*notice_cb)(void *arg, const char *msg);
};

/* line_mode: readline draws the prompt itself (no curses).  history: a
 * file to load and save, or NULL; problems with it are not fatal, see
 * prompt_history_warning. */
int	prompt_init(const struct prompt_hooks *, const char *prompt,
	    const char *history, bool line_mode);
/*
 * After prompt_init, optional: fn sees each chunk of keys (one read's
 * worth) before readline does, for a one-key question (the chat's "accept
 * this certificate?").  true: it took the chunk, readline never sees it
 * and the input line stays as it was.  NULL: none.
 */
typedef bool prompt_keys_fn(void *arg, const char *keys, size_t n);
void	prompt_set_keys_hook(prompt_keys_fn *fn, void *arg);
/* Saves the history (a temporary file made 0600, renamed over the old). */
void	prompt_end(void);
/*
 * A sentence about the history file to show the user, or NULL: it is a
 * symbolic link, a directory or not a regular file (then it is neither read
 * nor written), or it could not be read or saved.  Ask after prompt_init
 * (show it in the transcript) and after prompt_end (print it once the
 * terminal is restored).  Valid until the next prompt_init or prompt_end.
 */
const char *prompt_history_warning(void);

/* Curses mode: bytes read from the terminal.  One call handles one read's
 * worth quickly; call it once per read so the loop keeps turning. */
void	prompt_feed(const char *, size_t);
/* Line mode: the terminal is readable; reads it once and feeds the bytes.
 * -1: the terminal is gone (line_cb got NULL once): stop watching it. */
int	prompt_read(void);

/*
 * Line mode: print finished text above the input line, keeping what is
 * typed and where the cursor is.  text: one or more lines, sanitized, no
 * trailing newline needed (one is added).  Prints nothing else; safe from
 * inside line_cb.  No-op in curses mode.
 */
void	prompt_print_above(const char *text);
/*
 * Line mode: the received line that has no newline yet (sanitized; dim
 * markers and other control bytes are dropped or shown as ^X, never passed
 * raw to readline), or NULL when there is none.  It is shown at once as
 * the start of the prompt: "< " text " " prompt, e.g. "< login:  > ", the
 * user typing right after it; a long one shows only its tail.  Call it
 * again whenever the open line grows, and with NULL when it is finished,
 * before printing the finished line with prompt_print_above.  Curses mode:
 * does nothing (the panes show it).
 */
void	prompt_set_open_line(const char *text);

/* What to draw: the prompt as shown (Ctrl-R changes it), the line, the
 * cursor offset into it. */
void	prompt_state(const char **prompt, const char **line, size_t *len,
	    size_t *point);
/* The input line changed since the last call. */
bool	prompt_take_dirty(void);
/*
 * Put a line that could not be sent back into the input.  From line_cb:
 * refuses the line (see prompt_hooks); the input becomes the line, then
 * the unsent rest of that input and of the chunk being fed, newlines kept
 * (drawn ^J), cursor at the end.  Elsewhere: replaces the input line.
 */
void	prompt_restore(const char *line);
void	prompt_set_screen_size(int rows, int cols);
/* Line mode, Ctrl-Z: the terminal modes as they were before prompt_init
 * while stopped; prompt_resume takes them again (also after a SIGSTOP we
 * never saw) and, after Ctrl-Z, redraws the input line (on the fresh line a
 * shell leaves after fg).  Curses mode: no-op (ui_suspend, ui_resume). */
void	prompt_suspend(void);
void	prompt_resume(void);

#endif
