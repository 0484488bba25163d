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
	PROMPT_KEY_REPAINT	/* Ctrl-L */
};

struct prompt_hooks {
	/* A line was entered (owned by the callee: free it); NULL is Ctrl-D
	 * on an empty line. */
	void	(*line_cb)(void *arg, char *line);
	void	(*key_cb)(void *arg, enum prompt_key);
	void	*arg;
};

/* line_mode: readline draws the prompt itself (no curses).  history: a
 * file to load and save, or NULL. */
int	prompt_init(const struct prompt_hooks *, const char *prompt,
	    const char *history, bool line_mode);
void	prompt_end(void);
/* Curses mode: bytes read from the terminal. */
void	prompt_feed(const char *, size_t);
/* Line mode: the terminal is readable. */
void	prompt_read(void);
/* Line mode: print text above the prompt, keeping what is typed. */
void	prompt_print_above(const char *text);
/* What to draw: the prompt as shown (Ctrl-R changes it), the line, the
 * cursor offset into it. */
void	prompt_state(const char **prompt, const char **line, size_t *len,
	    size_t *point);
/* The input line changed since the last call. */
bool	prompt_take_dirty(void);
/* Put a line that could not be sent back into the input. */
void	prompt_restore(const char *line);
void	prompt_set_screen_size(int rows, int cols);

#endif
