/* input_view.h - which part of a long input line fits on one row. */
#ifndef TCPTALK_INPUT_VIEW_H
#define TCPTALK_INPUT_VIEW_H

#include <stdbool.h>
#include <stddef.h>

/*
 * One row of cols columns: the prompt (at most half the row), then the
 * line's bytes [start, end) from column text_col.  left: text is cut at the
 * left, draw '<' at text_col - 1.  right: cut at the right, draw '>' in the
 * last column.  The last column is otherwise kept for the cursor at the end
 * of the line.  A character is never split; the one under the cursor is
 * always whole.
 *
 * Keep the struct between calls (zeroed the first time): its start is the
 * hint that keeps the view still while the cursor moves inside it.
 * Cost: O(cols) characters decoded, whatever the line's length.
 */
struct input_view {
	size_t	prompt_cols;	/* columns of the prompt to draw */
	size_t	start, end;	/* visible bytes of the line */
	int	text_col;	/* column of line[start] */
	int	cursor;		/* cursor column */
	bool	left, right;
	size_t	steps;		/* characters decoded by the last call (tests) */
};

void	input_view_fit(struct input_view *, size_t prompt_width,
	    const char *line, size_t len, size_t point, int cols);
/* Columns of the character at s as the input line shows it: control
 * characters 2 (^X), invalid bytes 1 (one byte each); sets *len. */
int	input_view_char(const char *s, size_t n, size_t *len);

#endif
