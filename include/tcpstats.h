/*
 * tcpstats.h - the end of a connection as TCP facts: read them while the
 * socket is still open (the peer module does, just before its closed
 * hook), and --stats-json: one JSON object per connection appended to a
 * file, a line each.
 */
#ifndef TCPTALK_TCPSTATS_H
#define TCPTALK_TCPSTATS_H

#include <stdbool.h>
#include <stddef.h>

#include "outfile.h"
#include "tcpinfo.h"

struct session;

struct tcpstats {
	struct outfile	 out;
	const char	*path;
	unsigned long	 lost;		/* lines that could not be written */
};

/*
 * The facts of the connection s as it ends (why: "closed", "error",
 * "idle", "local"): TCP_INFO and the queues read now, times, addresses
 * (local is written to the caller's buffer, remote points into s).
 */
void	tcpstats_take(struct tcpinfo_conn *, const struct session *s,
	    const char *why, char *local, size_t locallen);
/* Create FILE (0600) or append to it; -1 with a one-line err. */
int	tcpstats_open(struct tcpstats *, const char *path, char *err,
	    size_t errlen);
/* Append the connection's line. */
void	tcpstats_write(struct tcpstats *, const struct tcpinfo_conn *);
/* Close; -1 with err when a line was lost (the file failed or lagged). */
int	tcpstats_close(struct tcpstats *, char *err, size_t errlen);

#endif
