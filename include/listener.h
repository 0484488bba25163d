/* listener.h - listening sockets in the loop, accepting only while wanted. */
#ifndef TCPTALK_LISTENER_H
#define TCPTALK_LISTENER_H

#include <stdbool.h>

#include "net.h"

struct loop;

typedef void (*listener_accept_cb)(void *arg, int fd, const char *peer);

struct listener {
	int		 fds[NET_MAX_LISTEN];
	int		 n;
	bool		 active;	/* poll for peers only while true */
	char		 desc[256];	/* what is bound, for messages */
	struct net_unix_bound unix_bound;	/* -U: the file to remove */
	bool		 udp;		/* -u: a datagram "accepts" (net_udp_take) */
	bool		 any_sender;	/* -u -k: no connect to the first */
	struct loop	*loop;		/* NULL until listener_start */
	listener_accept_cb cb;
	void		*arg;
	/* Out of fds: what a peer taken only to be closed is sent (NULL:
	 * nothing); while even that fails, the listener rests awhile. */
	const char	*busy_line;
	int		 rest_timer;
};

/* Bind and listen as the options say, outside any loop; -1 with err set. */
int	listener_bind(struct listener *, const struct tt_opts *, char *err,
	    size_t errlen);
/* Join the loop, active; cb gets each accepted peer.  -1 if the loop has
 * no room (nothing joined then). */
int	listener_start(struct listener *, struct loop *, listener_accept_cb,
	    void *);
/* listener_bind then listener_start. */
int	listener_open(struct listener *, const struct tt_opts *, struct loop *,
	    listener_accept_cb, void *, char *err, size_t errlen);
/* Leave the loop and close the sockets (removing a -U socket file we
 * made: nobody listens on it any more); safe to call twice. */
void	listener_close(struct listener *);

#endif
