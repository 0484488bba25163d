/* pipe.h - non-interactive mode: a binary-safe byte pump like netcat. */
#ifndef TCPTALK_PIPE_H
#define TCPTALK_PIPE_H

struct tt_opts;
struct loop;
struct peer;
struct record;

/* The peer is opened (bound or dialled), not started.  Pumps stdin to it
 * and it to stdout until done; returns the exit status: 0 done, 1 network
 * failure, 128+N after signal N.  rec (-o, or NULL): the conversation goes
 * there as text lines.  The caller frees peer and loop and closes rec. */
int	pipe_run(const struct tt_opts *, struct loop *, struct peer *,
	    struct record *);
/* One line on stderr, "tcptalk: " first: pipe mode's (and the headless
 * room's) way to say what happened. */
void	pipe_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
