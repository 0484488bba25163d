/* roompipe.h - --room and --broker without a terminal (stdin in, stdout out). */
#ifndef TCPTALK_ROOMPIPE_H
#define TCPTALK_ROOMPIPE_H

struct loop;
struct peer;
struct record;
struct tt_opts;

/* Run the room on the listener peer_open bound (p->lst) until a signal;
 * the exit status.  rec: -o, or NULL. */
int	roompipe_run(const struct tt_opts *, struct loop *, struct peer *,
	    struct record *);

#endif
