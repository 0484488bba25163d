/*
 * chat_panel.c - the lower pane's panel: the /tcp table (F4) or the
 * --trace packets (F6).  Which one shows, its scroll, and the frame's
 * layout while it does: the conversation whole above, the panel below.
 * The rows themselves are chat_tcppanel.c's and chat_trace.c's.
 */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"
#include "i18n.h"
#include "prompt.h"
#include "ui.h"

void
chat_panel_toggle(struct chat *c, enum chat_panel which)
{
	if (c->line_mode) {
		chat_info(c, _("The /tcp and /trace panels need the full "
		    "screen; line mode has none."));
		return;
	}
	c->panel = c->panel == which ? CHAT_PANEL_NONE : which;
	c->panel_scroll = 0;
	c->panel_new_below = 0;
	c->dirty |= UI_ALL;
}

/* The shown panel's rows, or NULL. */
static const struct ui_rows *
shown_rows(struct chat *c)
{
	if (c->panel == CHAT_PANEL_NONE || c->line_mode)
		return NULL;
	c->panel_title[0] = '\0';
	if (c->panel == CHAT_PANEL_TCP)
		return chat_tcp_panel(c, c->panel_title, sizeof c->panel_title);
	return chat_trace_panel(c, c->panel_title, sizeof c->panel_title);
}

bool
chat_panel_key(struct chat *c, enum prompt_key k)
{
	long page = ui_pane_rows(false, false), by;
	const struct ui_rows *rows;

	if ((rows = shown_rows(c)) == NULL)
		return false;
	/* a panel that shows all it has leaves the keys to the conversation
	 * above (the notices of /tcp help, say) */
	if (rows->nrows <= (size_t)(page > 0 ? page : 0) &&
	    k != PROMPT_KEY_END)
		return false;
	page--;
	if (page < 1)
		page = 1;
	switch (k) {
	case PROMPT_KEY_PAGE_UP: by = page; break;
	case PROMPT_KEY_PAGE_DOWN: by = -page; break;
	case PROMPT_KEY_LINE_UP: by = 1; break;
	case PROMPT_KEY_LINE_DOWN: by = -1; break;
	case PROMPT_KEY_END:		/* the conversation goes live too */
		c->panel_scroll = 0;
		c->panel_new_below = 0;
		c->dirty |= UI_PANES;
		return false;
	default:
		return false;
	}
	if (rows->from_top)
		by = -by;		/* PgDn goes down the table */
	chat_scroll(c, &c->panel_scroll, &c->panel_new_below, by);
	return true;
}

void
chat_panel_frame(struct chat *c, struct ui_frame *f)
{
	const struct ui_rows *rows;

	if ((rows = shown_rows(c)) == NULL)
		return;
	f->merged = false;
	f->top.merged = true;		/* both sides above the panel */
	f->bottom = (struct ui_pane){ .title = c->panel_title, .rows = rows,
	    .scroll = c->panel_scroll, .new_below = c->panel_new_below };
}

void
chat_panel_drawn(struct chat *c, const struct ui_frame *f)
{
	if (f->bottom.rows == NULL)
		return;
	c->panel_scroll = f->bottom.scroll;
	c->panel_new_below = f->bottom.new_below;
}

void
chat_panel_added(struct chat *c, enum chat_panel kind, size_t n)
{
	if (c->panel != kind)
		return;
	if (c->panel_scroll > 0) {	/* scrolled up: stay on the same rows */
		c->panel_scroll += n;
		c->panel_new_below += n;
	}
	c->dirty |= UI_PANES;
}
