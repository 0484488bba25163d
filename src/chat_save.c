/* chat_save.c - /save FILE.  (placeholder: being written) */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"

void
chat_save(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_info(c, "/save is not available yet");
}
