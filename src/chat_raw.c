/* chat_raw.c - /raw, /show and the CRLF hint.  (placeholder: being written) */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"

void
chat_raw(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_info(c, "/raw is not available yet");
}

void
chat_show_toggle(struct chat *c)
{
	chat_info(c, "/show is not available yet");
}
