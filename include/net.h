/* net.h - resolve, listen, accept, connect; errors come back as strings. */
#ifndef TCPTALK_NET_H
#define TCPTALK_NET_H

#include <stddef.h>
#include <sys/socket.h>

struct tt_opts;

#define NET_MAX_LISTEN	8
#define NET_ADDRSTRLEN	80	/* "[v6addr%scope]:port" */

/* Bind and listen as the options say.  Fills fds, returns how many, or -1
 * with err set.  desc says what was bound, e.g. "[::]:8888 (IPv4 and IPv6)". */
int	net_listen(const struct tt_opts *, int *fds, int max, char *desc,
	    size_t desclen, char *err, size_t errlen);
/* Accept one peer as a non-blocking socket; -1 with errno if none. */
int	net_accept(int lfd, char *peer, size_t peerlen);
/* Connect to each address of host in turn, with the -w timeout on each.
 * Returns a non-blocking socket, or -1 with err set. */
int	net_connect(const struct tt_opts *, char *peer, size_t peerlen,
	    char *err, size_t errlen);
/* "1.2.3.4:80" or "[::1]:80"; an IPv4-mapped IPv6 address prints as IPv4. */
void	net_addr_str(const struct sockaddr *, socklen_t, char *, size_t);
int	net_nonblock(int fd);

#endif
