/*
 * log.c - -x: the hex dump file.  Each block the session tap hands over is
 * formatted (hexfmt.c) into a bounded buffer (1 MiB) and written before
 * the tap returns, so a `tail -f` shows it as it happens.  The file is
 * opened non-blocking: a regular file takes every write, and anything else
 * that is full (a FIFO nobody reads) costs bytes, counted in a note, never
 * a stalled loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hexfmt.h"
#include "log.h"

/* path for a message: control characters shown as '?' */
static void
say_path(char *out, size_t len, const char *path)
{
	size_t i;

	snprintf(out, len, "%s", path);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

int
log_open(struct log *l, const char *path, char *err, size_t errlen)
{
	char shown[256];

	memset(l, 0, sizeof *l);
	l->fd = -1;
	l->cached_sec = -1;
	if ((l->buf = malloc(LOG_BUFSZ)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, 0600);
	if (l->fd == -1) {
		say_path(shown, sizeof shown, path);
		snprintf(err, errlen, "cannot write the hex dump to '%s': %s",
		    shown, strerror(errno));
		free(l->buf);
		l->buf = NULL;
		return -1;
	}
	return 0;
}

/* Write what is buffered, as far as the file takes it now. */
static void
drain(struct log *l)
{
	ssize_t n;

	while (l->off < l->len && l->error == 0) {
		n = write(l->fd, l->buf + l->off, l->len - l->off);
		if (n > 0)
			l->off += (size_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else
			l->error = n == -1 ? errno : EIO;
	}
	/* all written, or stopped: nothing more goes to the file */
	if (l->off == l->len || l->error != 0)
		l->off = l->len = 0;
}

/*
 * The room at the end of the buffer, writing first when it has less than
 * need.  Only a file that does not keep up leaves text behind; that is
 * moved to the front then, so a regular file never costs a memmove.
 */
static size_t
room(struct log *l, size_t need)
{
	if (LOG_BUFSZ - l->len < need) {
		drain(l);
		if (l->off > 0) {
			memmove(l->buf, l->buf + l->off, l->len - l->off);
			l->len -= l->off;
			l->off = 0;
		}
	}
	return l->error == 0 ? LOG_BUFSZ - l->len : 0;
}

/* Local time of day in milliseconds; localtime_r once a second. */
static uint32_t
ms_of_day(struct log *l)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != l->cached_sec && localtime_r(&ts.tv_sec, &tm) != NULL) {
		l->cached_sec = ts.tv_sec;
		l->day_start = (int64_t)ts.tv_sec - (tm.tm_hour * 3600 +
		    tm.tm_min * 60 + tm.tm_sec);
	}
	return (uint32_t)(((int64_t)ts.tv_sec - l->day_start) * 1000 +
	    ts.tv_nsec / 1000000);
}

/* Bytes were left out before: say how many, once there is room. */
static void
note_dropped(struct log *l, uint32_t now)
{
	char line[128];
	int n;

	n = snprintf(line, sizeof line, "! %02u:%02u:%02u.%03u %llu bytes not "
	    "recorded: the file did not keep up\n", now / 3600000 % 24,
	    now / 60000 % 60, now / 1000 % 60, now % 1000,
	    (unsigned long long)l->dropped);
	if (n > 0 && room(l, (size_t)n) >= (size_t)n) {
		memcpy(l->buf + l->len, line, (size_t)n);
		l->len += (size_t)n;
		l->dropped = 0;
	}
}

/* The count of bytes the dump leaves out. */
static void
drop(struct log *l, size_t n)
{
	l->dropped += n;
	l->dropped_total += n;
}

/*
 * The block is formatted straight into the buffer, as many whole lines at
 * a time as fit (a large read makes megabytes of text, written a buffer at
 * a time), and what is left is written before returning, so the file is
 * never more than one block behind.
 */
void
log_hex_cb(void *arg, char dir, uint64_t offset, const char *bytes, size_t n)
{
	struct log *l = arg;
	uint32_t now;
	size_t k;

	if (l->fd == -1 || l->error != 0 || n == 0)
		return;
	now = ms_of_day(l);
	if (l->dropped > 0)
		note_dropped(l, now);
	if (room(l, HEXFMT_HEADER_MAX) < HEXFMT_HEADER_MAX) {
		drop(l, n);
		return;
	}
	l->len += hexfmt_header(l->buf + l->len, dir, now, n);
	while (n > 0) {
		k = room(l, HEXFMT_LINE_MAX) / HEXFMT_LINE_MAX * HEXFMT_PER_LINE;
		if (k == 0) {
			drop(l, n);
			break;
		}
		if (k > n)
			k = n;
		l->len += hexfmt_block(l->buf + l->len, offset, bytes, k);
		offset += k;
		bytes += k;
		n -= k;
	}
	drain(l);
}

int
log_close(struct log *l, const char *path, char *err, size_t errlen)
{
	char shown[256];
	int rc = 0;

	if (l->fd == -1)
		return 0;
	if (l->dropped > 0 && l->error == 0)
		note_dropped(l, ms_of_day(l));
	drain(l);
	say_path(shown, sizeof shown, path);
	if (l->error != 0) {
		snprintf(err, errlen, "the hex dump to '%s' stopped: %s", shown,
		    strerror(l->error));
		rc = -1;
	} else if (l->dropped_total > 0) {
		snprintf(err, errlen, "the hex dump to '%s' lacks %llu bytes: "
		    "it did not keep up", shown,
		    (unsigned long long)l->dropped_total);
		rc = -1;
	} else if (l->len > l->off) {
		snprintf(err, errlen, "the hex dump to '%s' lacks its last "
		    "lines: it did not keep up", shown);
		rc = -1;
	}
	close(l->fd);
	l->fd = -1;
	free(l->buf);
	l->buf = NULL;
	return rc;
}
