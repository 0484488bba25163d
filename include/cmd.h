/* cmd.h - local commands typed in the input line (/quit, /help, ...). */
#ifndef TCPTALK_CMD_H
#define TCPTALK_CMD_H

#include <stddef.h>

enum cmd_kind {
	CMD_SEND,	/* not a command: send text (for "//x", "/x") */
	CMD_HELP,
	CMD_QUIT,
	CMD_CLEAR,
	CMD_TIMESTAMPS,
	CMD_VIEW,
	CMD_CRLF,
	CMD_NEXT,	/* -k: take the next waiting peer */
	CMD_RECONNECT,	/* connect mode: dial again, same conversation */
	CMD_UNKNOWN	/* text holds the command word */
};

struct cmd {
	enum cmd_kind	 kind;
	const char	*text;	/* CMD_SEND: what to send; CMD_UNKNOWN: the word */
	size_t		 len;
};

/* The command word is case-insensitive (/QUIT, /Help); "//x" sends "/x". */
struct cmd	cmd_parse(const char *line, size_t len);
/* One line per command, for /help. */
extern const char *const cmd_help[];

#endif
