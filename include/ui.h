/* ui.h - the chat screen: panes, status line, input line (curses behind it). */
#ifndef TCPTALK_UI_H
#define TCPTALK_UI_H

#include <stdbool.h>
#include <stddef.h>

struct scrollback;

struct ui_pane {
	const struct scrollback	*a;
	const struct scrollback	*b;	/* non-NULL: merge a and b by seq */
	const char		*title;
	size_t			 scroll;	/* lines hidden below the bottom */
	size_t			 new_below;	/* arrived while scrolled up */
};

struct ui_frame {
	struct ui_pane	 top;		/* received, or the merged conversation */
	struct ui_pane	 bottom;	/* sent; unused when merged */
	bool		 merged;
	bool		 timestamps;
	const char	*status;
	const char	*prompt;
	const char	*line;
	size_t		 len;
	size_t		 point;
};

#define UI_PANES	0x1
#define UI_STATUS	0x2
#define UI_INPUT	0x4
#define UI_ALL		0x7

int	ui_init(void);
void	ui_end(void);
/* The terminal changed size: rebuild the windows. */
void	ui_resize(void);
/* Next draw repaints the whole terminal (Ctrl-L). */
void	ui_repaint(void);
void	ui_draw(const struct ui_frame *, unsigned what);
/* Rows of text in the top or bottom pane (for paging). */
int	ui_pane_rows(bool merged, bool top);
int	ui_cols(void);

#endif
