/*
 * chat_trace.c - /trace (F6): the packets of this connection (--trace).
 * (Placeholder rows until the trace lands.)
 */
#include <stddef.h>
#include <stdio.h>

#include "chat_int.h"
#include "ui.h"

static const char *
row_cb(void *arg, size_t i, enum ui_row_kind *kind)
{
	(void)arg;
	(void)i;
	*kind = UI_ROW_DIM;
	return "The packet trace is not written yet.";
}

void
chat_trace_command(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_panel_toggle(c, CHAT_PANEL_TRACE);
}

const struct ui_rows *
chat_trace_panel(struct chat *c, char *title, size_t size)
{
	static struct ui_rows r;

	snprintf(title, size, "packets");
	r = (struct ui_rows){ .nrows = 1, .row = row_cb, .arg = c };
	return &r;
}
