/* loop.c - one poll() over every fd, with timers and a signal self-pipe. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"

/* The one global: a signal handler has no other way to reach the loop. */
static int sig_write_fd = -1;

/* The first slots come with the loop, so a two-peer run never allocates
 * in the loop again (and a peer's failed allocation is its own). */
#define LOOP_FIRST_IO	16

int
loop_init(struct loop *l)
{
	memset(l, 0, sizeof *l);
	l->sigpipe[0] = l->sigpipe[1] = -1;
	l->next_id = 1;
	l->io = malloc(LOOP_FIRST_IO * sizeof *l->io);
	l->pfd = malloc((LOOP_FIRST_IO + 1) * sizeof *l->pfd);
	l->map = malloc((LOOP_FIRST_IO + 1) * sizeof *l->map);
	if (l->io == NULL || l->pfd == NULL || l->map == NULL) {
		loop_free(l);
		return -1;
	}
	l->capio = LOOP_FIRST_IO;
	l->cappfd = LOOP_FIRST_IO + 1;
	return 0;
}

void
loop_free(struct loop *l)
{
	int i;

	free(l->io);
	free(l->pfd);
	free(l->map);
	l->io = NULL;
	l->pfd = NULL;
	l->map = NULL;
	l->nio = l->capio = l->cappfd = 0;
	for (i = 0; i < l->nsigs; i++)
		(void)signal(l->sigs[i], SIG_DFL);
	l->nsigs = 0;
	if (l->sigpipe[0] != -1) {
		sig_write_fd = -1;
		close(l->sigpipe[0]);
		close(l->sigpipe[1]);
		l->sigpipe[0] = l->sigpipe[1] = -1;
	}
}

/* Room for one more slot at the end: doubling, so n adds cost O(n). */
static int
grow_io(struct loop *l)
{
	int max = l->max_io > 0 ? l->max_io : LOOP_MAX_IO, ncap;
	struct loop_io *nio;

	if (l->nio < l->capio)
		return 0;
	if (l->nio >= max)
		return -1;
	ncap = l->capio ? l->capio * 2 : 16;
	if (ncap > max)
		ncap = max;
	if ((nio = realloc(l->io, (size_t)ncap * sizeof *nio)) == NULL)
		return -1;
	l->io = nio;
	l->capio = ncap;
	return 0;
}

int
loop_add(struct loop *l, int fd, loop_events_cb ev, loop_ready_cb ready, void *arg)
{
	int i;

	/* Reuse a deleted slot, but not while loop_run maps poll results to
	 * slots by position: a new fd in an old slot would get stale revents. */
	for (i = 0; !l->dispatching && i < l->nio; i++) {
		if (l->io[i].fd == -1) {
			l->io[i] = (struct loop_io){ fd, ev, ready, arg };
			return 0;
		}
	}
	if (grow_io(l) == -1)
		return -1;
	l->io[l->nio++] = (struct loop_io){ fd, ev, ready, arg };
	return 0;
}

void
loop_del(struct loop *l, int fd)
{
	int i;

	/* Mark only: loop_run may be walking the array. */
	for (i = 0; i < l->nio; i++)
		if (l->io[i].fd == fd)
			l->io[i].fd = -1;
}

int
loop_after(struct loop *l, int ms, loop_timer_cb cb, void *arg)
{
	int i;

	for (i = 0; i < LOOP_MAX_TIMERS; i++) {
		if (l->timers[i].id != 0)
			continue;
		if (l->next_id <= 0)	/* wrapped: ids stay > 0 */
			l->next_id = 1;
		l->timers[i] = (struct loop_timer){ l->next_id++,
		    clock_now_ms() + (ms > 0 ? ms : 0), cb, arg };
		return l->timers[i].id;
	}
	return -1;
}

void
loop_cancel(struct loop *l, int id)
{
	int i;

	for (i = 0; id > 0 && i < LOOP_MAX_TIMERS; i++)
		if (l->timers[i].id == id)
			l->timers[i].id = 0;
}

static void
on_signal(int signo)
{
	unsigned char c = (unsigned char)signo;
	int saved = errno;

	if (sig_write_fd != -1)
		(void)!write(sig_write_fd, &c, 1);
	errno = saved;
}

int
loop_signals(struct loop *l, const int *sigs, int n, loop_signal_cb cb, void *arg)
{
	struct sigaction sa;
	int i;

	if (l->sigpipe[0] == -1) {
		if (pipe2(l->sigpipe, O_NONBLOCK | O_CLOEXEC) == -1)
			return -1;
		sig_write_fd = l->sigpipe[1];
	}
	l->sig_cb = cb;
	l->sig_arg = arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < n; i++) {
		if (l->nsigs == LOOP_MAX_SIGS) {
			errno = ENOSPC;
			return -1;
		}
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
		l->sigs[l->nsigs++] = sigs[i];
	}
	return 0;
}

void
loop_raise_default(int signo)
{
	struct sigaction dfl, old;
	sigset_t set, oset;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(signo, &dfl, &old) == -1)
		return;
	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_UNBLOCK, &set, &oset);
	raise(signo);
	sigprocmask(SIG_SETMASK, &oset, NULL);
	sigaction(signo, &old, NULL);
}

void
loop_stop(struct loop *l, int status)
{
	if (!l->stopped)
		l->status = status;
	l->stopped = true;
}

static int
next_timeout(struct loop *l)
{
	int64_t now = clock_now_ms(), best = 0, d;
	bool any = false;
	int i;

	for (i = 0; i < LOOP_MAX_TIMERS; i++) {
		if (l->timers[i].id == 0)
			continue;
		d = l->timers[i].when - now;
		if (!any || d < best)
			best = d;
		any = true;
	}
	if (!any)
		return -1;
	if (best < 0)
		return 0;
	return best > 1000000 ? 1000000 : (int)best;
}

/* The earliest due timer armed before `limit`, or -1. */
static int
due_timer(struct loop *l, int64_t now, int limit)
{
	int i, best = -1;

	for (i = 0; i < LOOP_MAX_TIMERS; i++) {
		if (l->timers[i].id == 0 || l->timers[i].id >= limit ||
		    l->timers[i].when > now)
			continue;
		if (best == -1 || l->timers[i].when < l->timers[best].when ||
		    (l->timers[i].when == l->timers[best].when &&
		    l->timers[i].id < l->timers[best].id))
			best = i;
	}
	return best;
}

static void
run_timers(struct loop *l)
{
	int64_t now = clock_now_ms();
	struct loop_timer t;
	int i, limit = l->next_id;

	/* Timers armed by these callbacks wait for the next round, so a
	 * callback re-arming itself with 0 ms cannot starve poll. */
	while (!l->stopped && (i = due_timer(l, now, limit)) != -1) {
		t = l->timers[i];
		l->timers[i].id = 0;	/* free first: cb may re-arm */
		t.cb(t.arg);
	}
}

static void
run_signals(struct loop *l)
{
	unsigned char sigs[64];
	ssize_t n, i;

	while ((n = read(l->sigpipe[0], sigs, sizeof sigs)) > 0)
		for (i = 0; i < n; i++)
			l->sig_cb(l->sig_arg, sigs[i]);
}

static void
compact(struct loop *l)
{
	int i, j = 0;

	for (i = 0; i < l->nio; i++)
		if (l->io[i].fd != -1)
			l->io[j++] = l->io[i];
	l->nio = j;
}

/* pfd and map hold every slot and the self-pipe. */
static int
grow_pfd(struct loop *l)
{
	struct pollfd *np;
	int *nm, ncap;

	if (l->nio + 1 <= l->cappfd)
		return 0;
	ncap = l->capio + 1;
	if ((np = realloc(l->pfd, (size_t)ncap * sizeof *np)) == NULL)
		return -1;
	l->pfd = np;
	if ((nm = realloc(l->map, (size_t)ncap * sizeof *nm)) == NULL)
		return -1;
	l->map = nm;
	l->cappfd = ncap;
	return 0;
}

int
loop_run(struct loop *l)
{
	struct pollfd *pfd;
	int *map;
	int i, n, rc, timeout;
	short ev;

	while (!l->stopped) {
		if (l->before_sleep != NULL)
			l->before_sleep(l->hook_arg);
		if (l->stopped)
			break;
		compact(l);
		if (grow_pfd(l) == -1) {
			l->err = ENOMEM;
			return -1;
		}
		pfd = l->pfd;
		map = l->map;
		l->dispatching = true;	/* map[] below holds slot positions */
		n = 0;
		if (l->sigpipe[0] != -1) {
			pfd[n] = (struct pollfd){ l->sigpipe[0], POLLIN, 0 };
			map[n++] = -1;
		}
		for (i = 0; i < l->nio; i++) {
			if (l->io[i].fd == -1)	/* deleted by an events cb */
				continue;
			ev = l->io[i].events ? l->io[i].events(l->io[i].arg) : POLLIN;
			if (ev == 0)
				continue;
			pfd[n] = (struct pollfd){ l->io[i].fd, ev, 0 };
			map[n++] = i;
		}
		timeout = next_timeout(l);
		rc = poll(pfd, (nfds_t)n, timeout);
		if (rc == -1 && errno != EINTR) {
			l->err = errno;
			l->dispatching = false;
			return -1;
		}
		for (i = 0; rc > 0 && i < n && !l->stopped; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (map[i] == -1)
				run_signals(l);
			else if (l->io[map[i]].fd == pfd[i].fd)
				l->io[map[i]].ready(l->io[map[i]].arg, pfd[i].revents);
		}
		l->dispatching = false;
		run_timers(l);
	}
	return l->status;
}
