/*
 * chat_send.c - /send FILE and /cancel: a file streamed to the peer while
 * the conversation goes on.  The file is read a chunk at a time, and only
 * when the session's send queue has room for the chunk, so memory stays
 * bounded whatever its size; the loop watches the file (a FIFO may have
 * nothing yet) and the peer's I/O hook pumps after each write.  The bytes
 * go through session_queue as they are and never into the transcript: the
 * conversation gets notices only.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chat_int.h"
#include "clock.h"
#include "i18n.h"
#include "loop.h"
#include "peer.h"
#include "sha256.h"
#include "status.h"
#include "ui.h"

#define SEND_CHUNK	(64 * 1024)	/* read once the queue has this room */
#define SEND_QUEUED	(256 * 1024)	/* at most this much of it queued: a
					 * cancel stops soon, and the line typed
					 * next finds room */
#define SEND_RATE_MS	1000		/* the rate is measured over 1-2 s */

struct chat_send {
	int		 fd;		/* -1 once the file is read to its end */
	char		 name[512];	/* as typed, for the notices */
	bool		 sized;		/* a regular file: total is its size */
	bool		 fifo;
	bool		 writer;	/* the FIFO has had a writer: a read of 0
					 * is its end (before: none came yet) */
	uint64_t	 total;
	uint64_t	 queued;	/* bytes of it read and queued */
	uint64_t	 base;		/* s.bytes_out when its first byte goes */
	int64_t		 started_ms;
	int64_t		 mark_ms[2];	/* rate samples: older, newer */
	uint64_t	 mark_sent[2];
	struct sha256	 sha;
	char		 chunk[SEND_CHUNK];
};

bool
chat_sending(const struct chat *c)
{
	return c->send != NULL;
}

/* Bytes of the file that left through the socket: the queue is a FIFO,
 * and nothing else is queued after the file's first byte (lines and
 * /raw are refused meanwhile). */
static uint64_t
sent_of(const struct chat *c)
{
	const struct chat_send *f = c->send;
	uint64_t out;

	if (!c->p->have_s)
		return 0;
	out = c->p->s.bytes_out;
	if (out <= f->base)
		return 0;
	return out - f->base < f->queued ? out - f->base : f->queued;
}

/* Room in the send queue for another chunk of the file. */
static bool
room(const struct chat *c)
{
	const struct buf *out = &c->p->s.out;

	return buf_space(out) >= SEND_CHUNK &&
	    buf_used(out) + SEND_CHUNK <= SEND_QUEUED;
}

static void
close_file(struct chat *c)
{
	struct chat_send *f = c->send;

	if (f->fd == -1)
		return;
	loop_del(c->loop, f->fd);
	close(f->fd);
	f->fd = -1;
}

static void
forget(struct chat *c)
{
	close_file(c);
	free(c->send);
	c->send = NULL;
	c->dirty |= UI_STATUS;
}

static void
done(struct chat *c)
{
	struct chat_send *f = c->send;
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX_LEN];
	int64_t ms = clock_now_ms() - f->started_ms;

	sha256_final(&f->sha, d);
	sha256_hex(d, hex);
	if (ms < 1)
		ms = 1;
	if (f->sized && f->queued < f->total)	/* truncated while read */
		chat_info(c, _("sent %s, which changed size while being sent: "
		    "%llu of the %llu bytes it had, in %.1f s (%.1f MiB/s), "
		    "SHA-256 %s"), f->name,
		    (unsigned long long)f->queued, (unsigned long long)f->total,
		    ms / 1000.0, f->queued / 1048576.0 / (ms / 1000.0), hex);
	else if (f->sized && f->queued > f->total)
		chat_info(c, _("sent %s, which changed size while being sent: "
		    "%llu bytes, more than the %llu it had, in %.1f s "
		    "(%.1f MiB/s), SHA-256 %s"), f->name,
		    (unsigned long long)f->queued, (unsigned long long)f->total,
		    ms / 1000.0, f->queued / 1048576.0 / (ms / 1000.0), hex);
	else
		chat_info(c, _("sent %s: %llu bytes in %.1f s (%.1f MiB/s), "
		    "SHA-256 %s"),
		    f->name, (unsigned long long)f->queued, ms / 1000.0,
		    f->queued / 1048576.0 / (ms / 1000.0), hex);
	forget(c);
}

/* A FIFO has a writer now, or had one. */
static void
writer_came(struct chat *c)
{
	struct chat_send *f = c->send;

	if (f->fifo && !f->writer) {
		f->writer = true;
		c->dirty |= UI_STATUS;	/* no longer waiting for it */
	}
}

/* Read what the queue has room for, a chunk at a time. */
static void
fill(struct chat *c)
{
	struct chat_send *f = c->send;
	struct session *s = &c->p->s;
	ssize_t n;

	while (f->fd != -1 && room(c)) {
		/* -u: a chunk is a datagram, so no chunk is cut in two */
		n = read(f->fd, f->chunk, c->p->s.udp.on ? UDP_MAX_PAYLOAD :
		    SEND_CHUNK);
		if (n == -1 && errno == EAGAIN) {
			writer_came(c);	/* a FIFO says so only with a writer */
			return;		/* nothing yet: the loop waits */
		}
		if (n == -1 && errno == EINTR)
			return;
		if (n == -1) {
			chat_info(c, _("cannot read %s after %llu bytes (%s): "
			    "the rest is not sent"),
			    f->name, (unsigned long long)f->queued,
			    strerror(errno));
			close_file(c);
			break;
		}
		/* a FIFO that no writer opened yet reads 0 at once: the loop
		 * waits, as poll() wakes for neither POLLIN nor POLLHUP then */
		if (n == 0 && f->fifo && !f->writer)
			return;
		if (n == 0) {
			close_file(c);	/* all read; done once it has left */
			break;
		}
		writer_came(c);
		if (session_queue(s, f->chunk, (size_t)n) == -1)
			return;		/* cannot be: there was room */
		sha256_update(&f->sha, f->chunk, (size_t)n);
		f->queued += (uint64_t)n;
	}
}

void
chat_send_pump(struct chat *c)
{
	struct chat_send *f = c->send;

	if (f == NULL || !c->p->have_s)
		return;
	if (c->p->s.local_eof && f->fd != -1) {
		chat_info(c, _("you closed your side while sending %s: the "
		    "peer gets the first %llu bytes of it"), f->name,
		    (unsigned long long)f->queued);
		forget(c);
		return;
	}
	fill(c);
	if (c->send != NULL && f->fd == -1 && sent_of(c) == f->queued)
		done(c);
}

/* The file is polled only while the queue has room for a chunk (or to
 * stop at once after Ctrl-D, even with nothing queued to wake us). */
static short
file_events_cb(void *arg)
{
	struct chat *c = arg;

	if (c->send == NULL || !c->p->have_s)
		return 0;
	return c->p->s.local_eof || room(c) ? POLLIN : 0;
}

static void
file_ready_cb(void *arg, short revents)
{
	struct chat *c = arg;

	/* Linux says POLLHUP on a FIFO only once a writer came and went */
	if (c->send != NULL && (revents & POLLHUP))
		writer_came(c);
	chat_send_pump(c);
}

/* ~/ is the home directory (without HOME, "~/x" is taken as it is);
 * false after a notice when the path does not fit. */
static bool
expand(struct chat *c, const char *arg, size_t len, char *out, size_t outlen)
{
	int n = chat_path(arg, len, out, outlen), m;

	if (n == -2) {
		m = snprintf(out, outlen, "%.*s", (int)len, arg);
		n = m < 0 || (size_t)m >= outlen ? -1 : 0;
	}
	if (n == -1) {
		chat_info(c, _("cannot send that file: the path is too long "
		    "(at most %zu bytes)"), outlen - 1);
		return false;
	}
	return true;
}

/* Open name as a file to send; -1 after a notice saying why not. */
static int
open_file(struct chat *c, const char *path, const char *name, struct stat *st)
{
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		chat_info(c, _("cannot send %s: %s"), name, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1) {
		e = errno;
		close(fd);
		chat_info(c, _("cannot send %s: %s"), name, strerror(e));
		return -1;
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		chat_info(c, _("cannot send %s: it is a directory, and /send "
		    "takes a file"), name);
		return -1;
	}
	return fd;
}

void
chat_send_file(struct chat *c, const char *arg, size_t len)
{
	char path[4096], name[512], size[32];
	struct chat_send *f;
	struct stat st;
	int fd;

	if (len == 0) {
		chat_info(c, _("/send FILE streams FILE to the peer, as it is, "
		    "while you go on talking; /cancel stops it"));
		return;
	}
	if (c->send != NULL) {
		chat_info(c, _("%s is still being sent: one /send at a time "
		    "(/cancel stops it)"), c->send->name);
		return;
	}
	if (c->leaving) {
		chat_info(c, _("you are leaving: no file is sent now"));
		return;
	}
	if (!chat_can_send(c))
		return;
	if (!expand(c, arg, len, path, sizeof path))
		return;
	snprintf(name, sizeof name, "'%.*s'", (int)(len < 500 ? len : 500), arg);
	if ((fd = open_file(c, path, name, &st)) == -1)
		return;
	if ((f = malloc(sizeof *f)) == NULL) {
		close(fd);
		chat_info(c, _("out of memory: %s is not sent"), name);
		return;
	}
	memset(f, 0, offsetof(struct chat_send, chunk));
	f->fd = fd;
	memcpy(f->name, name, sizeof f->name);
	/* a FIFO or a device has no size: bytes and rate, no end known */
	f->sized = S_ISREG(st.st_mode);
	f->fifo = S_ISFIFO(st.st_mode);
	f->total = f->sized ? (uint64_t)st.st_size : 0;
	f->base = c->p->s.bytes_out + buf_used(&c->p->s.out);
	f->started_ms = f->mark_ms[1] = clock_now_ms();
	sha256_init(&f->sha);
	if (loop_add(c->loop, fd, file_events_cb, file_ready_cb, c) == -1) {
		close(fd);
		free(f);
		chat_info(c, _("cannot send %s now: the loop has no room for "
		    "another file"), name);
		return;
	}
	c->send = f;
	status_bytes(size, sizeof size, f->total);
	if (f->sized)
		chat_info(c, _("sending %s (%s, %llu bytes); /cancel or Ctrl-C "
		    "stops it"), name, size, (unsigned long long)f->total);
	else if (f->fifo)
		chat_info(c, _("sending %s until its writer closes it (a FIFO: "
		    "no size known, and nothing goes before a program opens it "
		    "to write); /cancel or Ctrl-C stops it"), name);
	else
		chat_info(c, _("sending %s until it ends (a pipe or device: no "
		    "size known); /cancel or Ctrl-C stops it"), name);
	chat_send_pump(c);
}

void
chat_send_stop(struct chat *c, enum chat_send_stop why)
{
	struct chat_send *f = c->send;

	if (f == NULL)
		return;
	switch (why) {
	case CHAT_SEND_CANCEL:
		/* what has not reached the kernel yet is taken back: the file
		 * is queued last, nothing after it */
		if (c->p->have_s && !buf_spliced(&c->p->s.out)) {
			uint64_t unsent = f->queued - sent_of(c);

			if (unsent > buf_used(&c->p->s.out))
				unsent = buf_used(&c->p->s.out);
			buf_drop_tail(&c->p->s.out, (size_t)unsent);
			f->queued -= unsent;
		}
		if (f->sized)
			chat_info(c, P_("cancelled sending %s: the peer gets "
			    "the first %llu of its %llu byte", "cancelled "
			    "sending %s: the peer gets the first %llu of its "
			    "%llu bytes", (unsigned long)f->total), f->name,
			    (unsigned long long)f->queued,
			    (unsigned long long)f->total);
		else
			chat_info(c, P_("cancelled sending %s: the peer gets "
			    "the first %llu byte of it", "cancelled sending %s: "
			    "the peer gets the first %llu bytes of it",
			    (unsigned long)f->queued), f->name,
			    (unsigned long long)f->queued);
		break;
	case CHAT_SEND_LEAVE:
		chat_info(c, P_("stopped sending %s on leaving, after %llu "
		    "byte of it was queued", "stopped sending %s on leaving, "
		    "after %llu bytes of it were queued",
		    (unsigned long)f->queued),
		    f->name, (unsigned long long)f->queued);
		break;
	case CHAT_SEND_GONE:
		if (f->sized)
			chat_info(c, P_("the connection ended while sending %s: "
			    "%llu of its %llu byte went out", "the connection "
			    "ended while sending %s: %llu of its %llu bytes went "
			    "out", (unsigned long)f->total), f->name,
			    (unsigned long long)sent_of(c),
			    (unsigned long long)f->total);
		else
			chat_info(c, P_("the connection ended while sending %s: "
			    "%llu byte of it went out", "the connection ended "
			    "while sending %s: %llu bytes of it went out",
			    (unsigned long)sent_of(c)), f->name,
			    (unsigned long long)sent_of(c));
		break;
	case CHAT_SEND_EXIT:
		break;
	}
	forget(c);
}

void
chat_cancel(struct chat *c)
{
	if (c->send == NULL)
		chat_info(c, _("no file is being sent: nothing to cancel"));
	else
		chat_send_stop(c, CHAT_SEND_CANCEL);
}

/* The progress facts for the status line; the rate over the last 1-2 s. */
void
chat_send_facts(struct chat *c, struct status_facts *sf)
{
	struct chat_send *f = c->send;
	int64_t now = clock_now_ms(), ms;
	uint64_t sent, from;

	if (f == NULL)
		return;
	sent = sent_of(c);
	if (now - f->mark_ms[1] >= SEND_RATE_MS) {
		f->mark_ms[0] = f->mark_ms[1];
		f->mark_sent[0] = f->mark_sent[1];
		f->mark_ms[1] = now;
		f->mark_sent[1] = sent;
	}
	/* before the first second: since the start */
	ms = now - (f->mark_ms[0] > 0 ? f->mark_ms[0] : f->started_ms);
	from = f->mark_ms[0] > 0 ? f->mark_sent[0] : 0;
	sf->sending = true;
	sf->send_done = sent;
	sf->send_total = f->total;
	sf->send_sized = f->sized;
	sf->send_waiting = f->fifo && !f->writer;
	sf->send_rate = ms >= 200 ? (sent - from) * 1000 / (uint64_t)ms : 0;
	sf->send_left = -1;
	/* past its size (it grew): no end known */
	if (f->sized && sf->send_rate > 0 && sent <= f->total)
		sf->send_left = sent >= f->total ? 0 : (int64_t)((f->total -
		    sent + sf->send_rate - 1) / sf->send_rate);
}
