/* chat_find.c - /find, F3 and Shift-F3.  (placeholder: being written) */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"

void
chat_find(struct chat *c, const char *arg, size_t len)
{
	(void)arg;
	(void)len;
	chat_info(c, "/find is not available yet");
}

void
chat_find_step(struct chat *c, bool older)
{
	(void)older;
	chat_info(c, "F3 is not available yet");
}
