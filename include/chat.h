/* chat.h - interactive mode: the chat screen (or line mode) over one session. */
#ifndef TCPTALK_CHAT_H
#define TCPTALK_CHAT_H

struct tt_opts;

/* Like pipe_run: fd is the connected socket, or -1 to listen.  Returns the
 * exit status; the terminal is restored on every path. */
int	chat_run(const struct tt_opts *, int fd, const char *peer);

#endif
