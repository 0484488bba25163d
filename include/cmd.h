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
	CMD_SAVE,	/* /save FILE: the kept conversation as -o writes it */
	CMD_HEX,	/* /hex: text <-> hex view of the kept bytes (F5) */
	CMD_SHOW,	/* /show: mark invisible characters */
	CMD_RAW,	/* /raw TEXT: escapes decoded, no line end added */
	CMD_SENDFILE,	/* /send FILE: stream a file to the peer */
	CMD_CANCEL,	/* /cancel: stop a /send */
	CMD_FIND,	/* /find [TEXT]: search back; no text: the next match */
	CMD_TLS,	/* /tls: what the connection's TLS agreed, who it is */
	CMD_STARTTLS,	/* /starttls: TLS over the plain connection, from now */
	CMD_TCP,	/* /tcp [help]: the TCP panel (F4), or what its rows mean */
	CMD_TRACE,	/* /trace: the packet panel of --trace (F6) */
	/* a listener's room (--room); a chat that dialled a room sends them
	 * to it as lines; elsewhere they are unknown */
	CMD_NICK,	/* /nick NAME */
	CMD_PEERS,	/* /peers: who is connected, since when, bytes */
	CMD_TO,		/* /to NAME text: to one member only */
	CMD_KICK,	/* /kick NAME */
	CMD_ME,		/* /me text */
	CMD_WHO,	/* /who: the names in the room */
	CMD_UNKNOWN	/* text holds the command word */
};

struct cmd {
	enum cmd_kind	 kind;
	/* CMD_SEND: what to send; CMD_UNKNOWN: the word; any other command:
	 * its argument, what follows the word and one space (len 0: none) */
	const char	*text;
	size_t		 len;
};

/* The command word is case-insensitive (/QUIT, /Help); "//x" sends "/x". */
struct cmd	cmd_parse(const char *line, size_t len);
/* cmd_help_items as English lines, for scripts/check-docs, test_text and
 * fuzz_cmd; nothing shows them. */
extern const char *const cmd_help[];

/*
 * /help as command and text, the text marked for translation: the column
 * is measured in display columns, so a translated text lines up.  cmd
 * NULL: a keys line, under the "keys:" line before it.
 */
struct cmd_help_item {
	const char	*cmd;
	const char	*text;
};
extern const struct cmd_help_item cmd_help_items[];
/* The room's own commands, for /help in a listener's room (--room,
 * --broker), after the chat's commands that still apply there. */
extern const struct cmd_help_item cmd_room_help_items[];
/* Display columns where a table's texts start (its widest command and
 * two). */
size_t	cmd_help_table_col(const struct cmd_help_item *items);
/* A table's item i as one line: the command padded to col columns, then
 * _(text); a keys line under its table's "keys:" text. */
void	cmd_help_table_line(const struct cmd_help_item *items, size_t i,
	    size_t col, char *out, size_t outlen);
/* The same for cmd_help_items. */
size_t	cmd_help_col(void);
void	cmd_help_line(size_t i, size_t col, char *out, size_t outlen);

#endif
