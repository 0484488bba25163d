/* net.h - resolve, listen, accept, connect; errors come back as strings. */
#ifndef TCPTALK_NET_H
#define TCPTALK_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct tt_opts;

#define NET_MAX_LISTEN	8
#define NET_ADDRSTRLEN	160	/* "[v6addr%scope]:port", or
				 * "unix:PATH (pid N uid N)" */

/* The file of a Unix socket we bound: removed at the end only while it is
 * still the one we made (same device and inode). */
struct net_unix_bound {
	char	 path[128];	/* "" for none, or an abstract name */
	dev_t	 dev;
	ino_t	 ino;
	bool	 replaced;	/* a stale socket was there and is gone */
};

/* Bind and listen as the options say.  Fills fds, returns how many, or -1
 * with err set.  desc says what was bound, e.g. "[::]:8888 (IPv4 and IPv6)". */
int	net_listen(const struct tt_opts *, int *fds, int max, char *desc,
	    size_t desclen, char *err, size_t errlen);
/* Accept one peer as a non-blocking socket; -1 with errno if none. */
int	net_accept(int lfd, char *peer, size_t peerlen);
/*
 * -u -l: the first datagram waiting on lfd names the peer.  Unless
 * any_sender (-k), lfd is connected to it, so the kernel drops what others
 * send.  Returns a second descriptor of lfd (the listener may close its
 * own), or -1 with errno; the datagram stays to be read.
 */
int	net_udp_take(int lfd, bool any_sender, char *peer, size_t peerlen);
/* Connect to each address of host in turn, with the -w timeout on each.
 * Returns a non-blocking socket, or -1 with err set; *took_us (unless
 * NULL) is how long the connect that worked took: TCP's handshake. */
int	net_connect(const struct tt_opts *, char *peer, size_t peerlen,
	    char *err, size_t errlen, int64_t *took_us);
/* -U: listen on the Unix socket o->unix_path ("@name": abstract).  An
 * existing path is replaced only if it is a socket nobody listens on. */
int	net_listen_unix(const struct tt_opts *, struct net_unix_bound *,
	    char *desc, size_t desclen, char *err, size_t errlen);
/* Remove the socket file we bound, if it is still ours; then forget it. */
void	net_unix_unlink(struct net_unix_bound *);
/* -U: connect to o->unix_path (-w applies while its backlog is full). */
int	net_connect_unix(const struct tt_opts *, char *peer, size_t peerlen,
	    char *err, size_t errlen);
/* "1.2.3.4:80" or "[::1]:80"; an IPv4-mapped IPv6 address prints as IPv4. */
void	net_addr_str(const struct sockaddr *, socklen_t, char *, size_t);
int	net_nonblock(int fd);

#endif
