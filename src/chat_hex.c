/* chat_hex.c - the kept raw bytes and the hex view (/hex, F5).  (placeholder: being written) */
#include <stdbool.h>
#include <stddef.h>

#include "chat_int.h"

void
chat_hex_toggle(struct chat *c)
{
	chat_info(c, "/hex is not available yet");
}
