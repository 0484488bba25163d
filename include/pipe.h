/* pipe.h - non-interactive mode: a binary-safe byte pump like netcat. */
#ifndef TCPTALK_PIPE_H
#define TCPTALK_PIPE_H

struct tt_opts;

/* Connect mode: fd is the connected socket.  Listen mode: fd is -1 and
 * pipe_run listens itself.  Returns the exit status. */
int	pipe_run(const struct tt_opts *, int fd, const char *peer);

#endif
