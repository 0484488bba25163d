/* loop.h - the one poll() loop: file descriptors, timers, signals. */
#ifndef TCPTALK_LOOP_H
#define TCPTALK_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * The io set grows as fds join (rooms hold a few hundred peers).  poll()
 * stays: each wake-up walks the set once to ask for events, which costs as
 * much as poll's own O(n) scan, and a room's fan-out already costs
 * O(peers) per message, so at --max-peers' hundreds epoll would save a
 * small share of the work for a second, stateful interest list.
 */
#define LOOP_MAX_IO	65536	/* io slots at most, unless max_io says */
#define LOOP_MAX_TIMERS	16
#define LOOP_MAX_SIGS	8

typedef short	(*loop_events_cb)(void *arg);		/* 0: leave fd out */
typedef void	(*loop_ready_cb)(void *arg, short revents);
typedef void	(*loop_timer_cb)(void *arg);
typedef void	(*loop_signal_cb)(void *arg, int signo);
typedef void	(*loop_hook_cb)(void *arg);

struct loop_io {
	int		 fd;
	loop_events_cb	 events;
	loop_ready_cb	 ready;
	void		*arg;
};

struct loop_timer {
	int		 id;	/* 0: free slot */
	int64_t		 when;	/* monotonic ms */
	loop_timer_cb	 cb;
	void		*arg;
};

struct loop {
	struct loop_io	 *io;
	int		  nio, capio;
	int		  max_io;	/* 0: LOOP_MAX_IO */
	struct pollfd	 *pfd;		/* loop_run's, grown with io */
	int		 *map;
	int		  cappfd;
	struct loop_timer timers[LOOP_MAX_TIMERS];
	int		  next_id;
	int		  sigpipe[2];
	loop_signal_cb	  sig_cb;
	void		 *sig_arg;
	int		  sigs[LOOP_MAX_SIGS];	/* handled: back to SIG_DFL at loop_free */
	int		  nsigs;
	loop_hook_cb	  before_sleep;	/* the single redraw point */
	void		 *hook_arg;
	bool		  stopped;
	int		  status;
	int		  err;		/* errno when loop_run returned -1 */
	bool		  dispatching;	/* walking io[]: slots must not move */
};

int	loop_init(struct loop *);
void	loop_free(struct loop *);
/* Watch fd: events says what to poll for before each sleep (NULL: POLLIN),
 * ready gets the revents.  -1 when all max_io slots are taken, or no
 * memory for more. */
int	loop_add(struct loop *, int fd, loop_events_cb, loop_ready_cb, void *);
void	loop_del(struct loop *, int fd);
/* Call cb once, ms from now (timers due together fire earliest first);
 * returns an id > 0 for loop_cancel, or -1 when all LOOP_MAX_TIMERS slots
 * are taken. */
int	loop_after(struct loop *, int ms, loop_timer_cb, void *);
/* Ids <= 0 are ignored, so a failed or spent id can be cancelled safely. */
void	loop_cancel(struct loop *, int id);
/* Handlers that only write the signal number to a self-pipe; cb runs in
 * the loop.  loop_free puts SIG_DFL back, so a signal during the exit
 * (ASan's leak check, say) ends the process instead of being lost. */
int	loop_signals(struct loop *, const int *sigs, int n, loop_signal_cb, void *);
/* The default action of a handled signal, now: for SIGTSTP the process
 * stops here until SIGCONT (in an orphaned process group the kernel drops
 * it and this returns at once).  Then the handler is back. */
void	loop_raise_default(int signo);
/* Leave loop_run after this wake-up; the first status given wins. */
void	loop_stop(struct loop *, int status);
/* Until loop_stop: its status, or -1 if poll failed (errno in l->err). */
int	loop_run(struct loop *);

#endif
