/* chat_hex.c - the kept raw bytes and the hex view (/hex, F5).  (placeholder: being written) */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"

bool
chat_hex_active(const struct chat *c)
{
	(void)c;
	return false;
}

void
chat_hex_find(struct chat *c, const char *text, size_t len, bool older)
{
	(void)text;
	(void)len;
	(void)older;
	chat_info(c, "/find in the hex view is not available yet");
}

void
chat_hex_toggle(struct chat *c)
{
	chat_info(c, "/hex is not available yet");
}
