/* chat.h - interactive mode: the chat screen (or line mode) over one peer. */
#ifndef TCPTALK_CHAT_H
#define TCPTALK_CHAT_H

struct tt_opts;
struct loop;
struct peer;
struct record;

/* Like pipe_run: the peer is opened, not started; the caller frees peer
 * and loop (and closes rec).  Returns the exit status; the terminal is
 * restored on every path. */
int	chat_run(const struct tt_opts *, struct loop *, struct peer *,
	    struct record *);

#endif
