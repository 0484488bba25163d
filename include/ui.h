/* ui.h - the chat screen: panes, status line, input line (curses behind it). */
#ifndef TCPTALK_UI_H
#define TCPTALK_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "hexview.h"
#include "transcript.h"

/* One pane is a view of the transcript: one side, or both merged. */
/* A panel's rows (/tcp, --trace): one row of our own text each (UTF-8,
 * already safe to show: anything from the peer sanitized first), cut at
 * the pane's width, never wrapped. */
enum ui_row_kind {
	UI_ROW_PLAIN,
	UI_ROW_HEAD,		/* a heading: bold */
	UI_ROW_DIM,		/* an explanation, a note */
	UI_ROW_IN,		/* the peer's side: the received colour */
	UI_ROW_OUT,		/* ours: the sent colour */
	UI_ROW_ALERT		/* a retransmission, a reset: the alarm colour */
};

struct ui_rows {
	size_t		 nrows;
	/* Row i, 0 the oldest (top); sets *kind.  The pointer is used
	 * before the next call. */
	const char	*(*row)(void *arg, size_t i, enum ui_row_kind *kind);
	void		*arg;
	/* A table read from its top (/tcp): the pane's scroll counts rows
	 * hidden above, not below, and is no "scrolled up" state. */
	bool		 from_top;
};

struct ui_pane {
	const struct transcript	*t;
	bool			 merged;
	enum tr_side		 side;
	bool			 timestamps;
	const char		*title;
	/* In: entries hidden below the bottom, and how many of them arrived
	 * while scrolled up.  Out: both lowered to what the pane can show
	 * (the oldest kept entry at the top, never blank rows above it). */
	size_t			 scroll;
	size_t			 new_below;
	bool			 show;		/* /show: invisible characters marked */
	/* /find: every match of find (search.h) in reverse video, those in
	 * the entry find_seq bold too; find NULL: none */
	const char		*find;
	size_t			 find_len;
	uint64_t		 find_seq;
	/* /hex: the pane shows the raw bytes of ring instead (both sides
	 * when merged, else the received); hexpos in and out as scroll is,
	 * hexmark's bytes in reverse video */
	bool			 hex;
	const struct bytering	*ring;
	struct hexview_pos	 hexpos;
	const struct hexview_mark *hexmark;
	/* a panel: these rows instead of t (scroll: rows hidden below, in
	 * and out as for entries) */
	const struct ui_rows	*rows;
};

struct ui_frame {
	struct ui_pane	 top;		/* received, or the merged conversation */
	struct ui_pane	 bottom;	/* sent; unused when merged */
	bool		 merged;
	const char	*status;
	bool		 status_alert;	/* in the alarm colour */
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
/* Ctrl-Z: give the terminal back as it was before ui_init (modes, main
 * screen) while the process is stopped. */
void	ui_suspend(void);
/* After SIGCONT (ours or a SIGSTOP's): our modes again, the current size,
 * and the next draw repaints everything. */
void	ui_resume(void);
/* Next draw repaints the whole terminal (Ctrl-L). */
void	ui_repaint(void);
void	ui_draw(struct ui_frame *, unsigned what);
/* Rows of text in the top or bottom pane (for paging).  A panel in the
 * bottom pane (ui_rows) makes it the taller one, from its first draw. */
int	ui_pane_rows(bool merged, bool top);
int	ui_cols(void);
/* Columns a notice's text has on each row (after "* " and the time). */
int	ui_notice_cols(bool timestamps);

#endif
