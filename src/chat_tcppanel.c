/*
 * chat_tcppanel.c - /tcp (F4): a live table of this connection's TCP
 * facts, and /tcp help: what each row means.
 * (Placeholder rows until the panel lands.)
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
	return "The TCP panel is not written yet.";
}

void
chat_tcp_command(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_panel_toggle(c, CHAT_PANEL_TCP);
}

const struct ui_rows *
chat_tcp_panel(struct chat *c, char *title, size_t size)
{
	static struct ui_rows r;

	snprintf(title, size, "TCP");
	r = (struct ui_rows){ .nrows = 1, .row = row_cb, .arg = c };
	return &r;
}
