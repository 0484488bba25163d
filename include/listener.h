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
	struct loop	*loop;
	listener_accept_cb cb;
	void		*arg;
};

/* Bind as the options say and join the loop (active); -1 with err set. */
int	listener_open(struct listener *, const struct tt_opts *, struct loop *,
	    listener_accept_cb, void *, char *err, size_t errlen);
void	listener_close(struct listener *);

#endif
