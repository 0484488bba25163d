/*
 * fuzz_cmd.c - cmd_parse on any typed line.
 *
 * Properties: the result points into the line; a line not starting with
 * '/' is sent whole; "//x" sends "/x"; a known command is exactly its word
 * (any case), its argument all that follows the word and one space (empty
 * when nothing does), pointing into the line; anything else starting
 * with '/' is CMD_UNKNOWN with text the command word (up to the first
 * space), which is no known command's name.  /help's lines are printable.
 */
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "fuzz.h"

static const char *const names[] = { "help", "quit", "exit", "clear",
    "timestamps", "view", "crlf", "next", "reconnect", "save", "hex", "show",
    "raw", "send", "cancel", "find", "tls", "starttls", "tcp", "trace",
    "nick", "peers", "to", "kick", "me", "who" };
static const enum cmd_kind kinds[] = { CMD_HELP, CMD_QUIT, CMD_QUIT, CMD_CLEAR,
    CMD_TIMESTAMPS, CMD_VIEW, CMD_CRLF, CMD_NEXT, CMD_RECONNECT, CMD_SAVE,
    CMD_HEX, CMD_SHOW, CMD_RAW, CMD_SENDFILE, CMD_CANCEL, CMD_FIND, CMD_TLS,
    CMD_STARTTLS, CMD_TCP, CMD_TRACE, CMD_NICK, CMD_PEERS, CMD_TO, CMD_KICK,
    CMD_ME, CMD_WHO };
#define NNAMES	(sizeof names / sizeof names[0])

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct cmd c = cmd_parse(line, size);
	size_t wl, k, i;
	int known = -1;

	CHECK(c.kind >= CMD_SEND && c.kind <= CMD_UNKNOWN, "kind %d", c.kind);
	for (i = 0; cmd_help[i] != NULL; i++)
		for (k = 0; cmd_help[i][k] != '\0'; k++)
			CHECK((unsigned char)cmd_help[i][k] >= 0x20, "help line %zu", i);
	if (size == 0 || line[0] != '/') {
		CHECK(c.kind == CMD_SEND && c.text == line && c.len == size,
		    "plain text not sent whole");
		return 0;
	}
	if (size >= 2 && line[1] == '/') {
		CHECK(c.kind == CMD_SEND && c.text == line + 1 && c.len == size - 1,
		    "// not sent as /");
		return 0;
	}
	for (wl = 1; wl < size && line[wl] != ' '; wl++)
		;
	for (k = 0; k < NNAMES; k++)
		if (wl - 1 == strlen(names[k]) &&
		    strncasecmp(line + 1, names[k], wl - 1) == 0)
			known = (int)k;
	if (known >= 0) {
		CHECK(c.kind == kinds[known], "/%s gave kind %d",
		    names[known], c.kind);
		if (wl < size)
			CHECK(c.text == line + wl + 1 && c.len == size - wl - 1,
			    "/%s: the argument is not the rest after one space",
			    names[known]);
		else
			CHECK(c.len == 0, "/%s alone has an argument", names[known]);
		return 0;
	}
	CHECK(c.kind == CMD_UNKNOWN && c.text == line && c.len == wl,
	    "unknown command word: kind %d, len %zu, word %zu", c.kind, c.len, wl);
	CHECK(memchr(c.text, ' ', c.len) == NULL, "space in the command word");
	return 0;
}
