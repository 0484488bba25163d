/* chat_send.c - /send FILE and /cancel.  (placeholder: being written) */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"

void
chat_send_file(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_info(c, "/send is not available yet");
}

void
chat_cancel(struct chat *c)
{
	chat_info(c, "/cancel is not available yet");
}
