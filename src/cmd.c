/* cmd.c - what a typed line means: text to send, or a local command. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "i18n.h"
#include "width.h"

const char *const cmd_help[] = {
	"/help        this list",
	"/quit /exit  leave (also Ctrl-C)",
	"/clear       forget what was said so far (a line still arriving stays)",
	"/timestamps  show or hide the time of each line",
	"/view        split panes <-> one conversation (also F2)",
	"/hex         the kept bytes as hexdump -C rows, or text again (also F5)",
	"/crlf        send CRLF or LF line ends",
	"/raw TEXT    send TEXT with \\r \\n \\t \\0 \\e \\\\ \\xHH \\uXXXX decoded, no line end",
	"/show        mark tabs, trailing spaces, no-break and zero-width characters, line ends",
	"/next        with -k: take the next waiting peer",
	"/reconnect   dial the peer again and go on with the same conversation",
	"/save FILE   append the kept conversation to FILE as -o writes it",
	"/send FILE   stream FILE to the peer as it is, with a progress bar",
	"/cancel      stop a /send (also Ctrl-C while one runs)",
	"/find TEXT   search back, highlight; again or F3 older, Shift-F3 newer",
	"/tls         the connection's TLS: version, cipher, certificate, trust",
	"/starttls    start TLS now, after the server's go-ahead to STARTTLS",
	"/tcp         this connection's TCP: RTT, windows, queues (also F4); /tcp help",
	"/trace       the packets of this connection, with --trace (also F6)",
	"//text       send /text",
	"keys: Enter send, Ctrl-D on an empty line close our side (FIN),",
	"      PgUp/PgDn Shift-Up/Down scroll, End back to live, Ctrl-L repaint,",
	"      Up/Down history, Ctrl-R search, Ctrl-A/E, Alt-B/F, Ctrl-W/K/U/Y,",
	"      Ctrl-V then a key: that control character itself (shown as ^X)",
	NULL
};

const struct cmd_help_item cmd_help_items[] = {
	{ "/help", N_("this list") },
	{ "/quit /exit", N_("leave (also Ctrl-C)") },
	{ "/clear", N_("forget what was said so far (a line still arriving stays)") },
	{ "/timestamps", N_("show or hide the time of each line") },
	{ "/view", N_("split panes <-> one conversation (also F2)") },
	{ "/hex", N_("the kept bytes as hexdump -C rows, or text again (also F5)") },
	{ "/crlf", N_("send CRLF or LF line ends") },
	{ "/raw TEXT", N_("send TEXT with \\r \\n \\t \\0 \\e \\\\ \\xHH \\uXXXX decoded, no line end") },
	{ "/show", N_("mark tabs, trailing spaces, no-break and zero-width characters, line ends") },
	{ "/next", N_("with -k: take the next waiting peer") },
	{ "/reconnect", N_("dial the peer again and go on with the same conversation") },
	{ "/save FILE", N_("append the kept conversation to FILE as -o writes it") },
	{ "/send FILE", N_("stream FILE to the peer as it is, with a progress bar") },
	{ "/cancel", N_("stop a /send (also Ctrl-C while one runs)") },
	{ "/find TEXT", N_("search back, highlight; again or F3 older, Shift-F3 newer") },
	{ "/tls", N_("the connection's TLS: version, cipher, certificate, trust") },
	{ "/starttls", N_("start TLS now, after the server's go-ahead to STARTTLS") },
	{ "/tcp", N_("this connection's TCP: RTT, windows, queues (also F4); /tcp help") },
	{ "/trace", N_("the packets of this connection, with --trace (also F6)") },
	{ "//text", N_("send /text") },
	/* TRANSLATORS: the keys lines: "keys:" then lists of keys, each
	 * line of its own; the lines after it start under its text. */
	{ N_("keys:"), N_("Enter send, Ctrl-D on an empty line close our side (FIN),") },
	{ NULL, N_("PgUp/PgDn Shift-Up/Down scroll, End back to live, Ctrl-L repaint,") },
	{ NULL, N_("Up/Down history, Ctrl-R search, Ctrl-A/E, Alt-B/F, Ctrl-W/K/U/Y,") },
	{ NULL, N_("Ctrl-V then a key: that control character itself (shown as ^X)") },
	{ NULL, NULL }
};

const struct cmd_help_item cmd_room_help_items[] = {
	{ "/nick NAME", N_("take NAME as your name in the room") },
	{ "/peers", N_("who is connected: name, address, time, bytes each way, queued") },
	{ "/who", N_("the names in the room") },
	{ "/to NAME text", N_("send text to NAME alone") },
	{ "/me text", N_("say what you do, as * NAME text") },
	{ "/kick NAME", N_("close NAME's connection, telling the room") },
	{ N_("keys:"), N_("Enter sends to everyone; Ctrl-D on an empty line leaves") },
	{ NULL, NULL }
};

size_t
cmd_help_table_col(const struct cmd_help_item *items)
{
	size_t i, w, col = 0;

	for (i = 0; items[i].text != NULL; i++) {
		if (items[i].cmd == NULL || items[i].cmd[0] != '/')
			continue;	/* the keys lines hang under "keys:" */
		w = width_str(items[i].cmd, strlen(items[i].cmd));
		if (w > col)
			col = w;
	}
	return col + 2;
}

size_t
cmd_help_col(void)
{
	return cmd_help_table_col(cmd_help_items);
}

/* n spaces at out + at, within outlen. */
static size_t
pad(char *out, size_t outlen, size_t at, size_t n)
{
	while (n-- > 0 && at + 1 < outlen)
		out[at++] = ' ';
	out[at < outlen ? at : outlen - 1] = '\0';
	return at;
}

void
cmd_help_table_line(const struct cmd_help_item *items, size_t i, size_t col,
    char *out, size_t outlen)
{
	const struct cmd_help_item *it = &items[i];
	const char *keys = NULL, *cmd = it->cmd;
	size_t at, w, k;

	if (outlen == 0)
		return;
	if (cmd == NULL) {		/* under the last "keys:" text */
		for (k = i; k > 0 && keys == NULL; k--)
			if (items[k - 1].cmd != NULL)
				keys = _(items[k - 1].cmd);
		w = keys != NULL ? width_str(keys, strlen(keys)) + 1 : 0;
		at = pad(out, outlen, 0, w);
		snprintf(out + at, outlen - at, "%s", _(it->text));
		return;
	}
	if (cmd[0] != '/') {		/* "keys:" and one space */
		snprintf(out, outlen, "%s %s", _(cmd), _(it->text));
		return;
	}
	snprintf(out, outlen, "%s", cmd);
	at = strlen(out);
	w = width_str(cmd, strlen(cmd));
	at = pad(out, outlen, at, w < col ? col - w : 1);
	snprintf(out + at, outlen - at, "%s", _(it->text));
}

void
cmd_help_line(size_t i, size_t col, char *out, size_t outlen)
{
	cmd_help_table_line(cmd_help_items, i, col, out, outlen);
}

static const struct {
	const char	*name;
	enum cmd_kind	 kind;
} commands[] = {
	{ "help", CMD_HELP },
	{ "quit", CMD_QUIT },
	{ "exit", CMD_QUIT },
	{ "clear", CMD_CLEAR },
	{ "timestamps", CMD_TIMESTAMPS },
	{ "view", CMD_VIEW },
	{ "crlf", CMD_CRLF },
	{ "next", CMD_NEXT },
	{ "reconnect", CMD_RECONNECT },
	{ "save", CMD_SAVE },
	{ "hex", CMD_HEX },
	{ "show", CMD_SHOW },
	{ "raw", CMD_RAW },
	{ "send", CMD_SENDFILE },
	{ "cancel", CMD_CANCEL },
	{ "find", CMD_FIND },
	{ "tls", CMD_TLS },
	{ "starttls", CMD_STARTTLS },
	{ "tcp", CMD_TCP },
	{ "trace", CMD_TRACE },
	{ "nick", CMD_NICK },
	{ "peers", CMD_PEERS },
	{ "to", CMD_TO },
	{ "kick", CMD_KICK },
	{ "me", CMD_ME },
	{ "who", CMD_WHO },
};

struct cmd
cmd_parse(const char *line, size_t len)
{
	struct cmd c = { CMD_SEND, line, len };
	size_t wl;

	if (len == 0 || line[0] != '/')
		return c;
	if (len >= 2 && line[1] == '/') {
		c.text = line + 1;	/* "//x" sends "/x" */
		c.len = len - 1;
		return c;
	}
	/* the command word ends at the first space, its argument starts after
	 * that space (commands without one ignore it); case does not matter
	 * (/QUIT, /Help) */
	for (wl = 1; wl < len && line[wl] != ' '; wl++)
		;
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (wl - 1 == strlen(commands[k].name) &&
		    strncasecmp(line + 1, commands[k].name, wl - 1) == 0) {
			c.kind = commands[k].kind;
			c.text = wl < len ? line + wl + 1 : line + len;
			c.len = wl < len ? len - wl - 1 : 0;
			return c;
		}
	}
	c.kind = CMD_UNKNOWN;
	c.text = line;
	c.len = wl;
	return c;
}
