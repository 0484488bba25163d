/*
 * log.c - -x: the hex dump file.  Each block the session tap hands over is
 * formatted (hexfmt.c) into a bounded buffer (1 MiB) and written before
 * the tap returns, so a `tail -f` shows it as it happens.  The file is
 * an outfile: a regular file takes every write, and anything else that is
 * full (a FIFO nobody reads) costs bytes, counted in a note, never a
 * stalled loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hexfmt.h"
#include "i18n.h"
#include "log.h"
#include "outfile.h"

int
log_open(struct log *l, const char *path, char *err, size_t errlen)
{
	char shown[256];

	memset(l, 0, sizeof *l);
	l->cached_sec = -1;
	if (outfile_open(&l->out, path) == -1) {
		outfile_shown(shown, sizeof shown, path);
		if (outfile_no_reader(path, errno))
			snprintf(err, errlen, _("cannot write the hex dump to "
			    "'%s': it is a FIFO with no reader (start the "
			    "reader first)"), shown);
		else
			snprintf(err, errlen, _("cannot write the hex dump to "
			    "'%s': %s"), shown, strerror(errno));
		return -1;
	}
	if (outfile_buffer(&l->out, LOG_BUFSZ) == -1) {
		snprintf(err, errlen, _("out of memory"));
		outfile_close(&l->out);
		return -1;
	}
	return 0;
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

/* Bytes or trace lines were left out before: say how many, once there is
 * room.  The dump is a file format, like nc -x's: its notes stay English. */
static void
note_dropped(struct log *l, uint32_t now)
{
	char line[128];
	int n = 0;

	if (l->dropped > 0) {
		n = snprintf(line, sizeof line, "! %02u:%02u:%02u.%03u %llu bytes "
		    "not recorded: the file did not keep up\n", now / 3600000 % 24,
		    now / 60000 % 60, now / 1000 % 60, now % 1000,
		    (unsigned long long)l->dropped);
		if (n > 0 && outfile_put(&l->out, line, (size_t)n))
			l->dropped = 0;
	}
	if (l->lines_dropped == 1)
		n = snprintf(line, sizeof line, "! %02u:%02u:%02u.%03u 1 trace "
		    "line not recorded: the file did not keep up\n",
		    now / 3600000 % 24, now / 60000 % 60, now / 1000 % 60,
		    now % 1000);
	else if (l->lines_dropped > 1)
		n = snprintf(line, sizeof line, "! %02u:%02u:%02u.%03u %llu trace "
		    "lines not recorded: the file did not keep up\n",
		    now / 3600000 % 24, now / 60000 % 60, now / 1000 % 60,
		    now % 1000, (unsigned long long)l->lines_dropped);
	if (l->lines_dropped > 0 && n > 0 &&
	    outfile_put(&l->out, line, (size_t)n))
		l->lines_dropped = 0;
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
	struct outfile *o = &l->out;
	uint32_t now;
	size_t k;

	if (o->fd == -1 || o->error != 0 || n == 0)
		return;
	now = ms_of_day(l);
	if (l->dropped > 0 || l->lines_dropped > 0)
		note_dropped(l, now);
	if (outfile_room(o, HEXFMT_HEADER_MAX) < HEXFMT_HEADER_MAX) {
		drop(l, n);
		return;
	}
	o->len += hexfmt_header(o->buf + o->len, dir, now, n);
	while (n > 0) {
		k = outfile_room(o, HEXFMT_LINE_MAX) / HEXFMT_LINE_MAX *
		    HEXFMT_PER_LINE;
		if (k == 0) {
			drop(l, n);
			break;
		}
		if (k > n)
			k = n;
		o->len += hexfmt_block(o->buf + o->len, offset, bytes, k);
		offset += k;
		bytes += k;
		n -= k;
	}
	outfile_drain(o);
}

/* "# HH:MM:SS.mmm trace LINE": a hex dump line never starts with '#'. */
void
log_trace(struct log *l, const char *line)
{
	char buf[320];
	uint32_t now;
	int n;

	if (l->out.fd == -1 || l->out.error != 0)
		return;
	now = ms_of_day(l);
	if (l->dropped > 0 || l->lines_dropped > 0)
		note_dropped(l, now);
	n = snprintf(buf, sizeof buf, "# %02u:%02u:%02u.%03u trace %s\n",
	    now / 3600000 % 24, now / 60000 % 60, now / 1000 % 60, now % 1000,
	    line);
	if (n <= 0 || (size_t)n >= sizeof buf)
		return;
	if (outfile_put(&l->out, buf, (size_t)n))
		outfile_drain(&l->out);
	else if (l->out.error == 0) {	/* no room: counted, said later */
		l->lines_dropped++;
		l->lines_dropped_total++;
	}
}

int
log_close(struct log *l, const char *path, char *err, size_t errlen)
{
	struct outfile *o = &l->out;
	char shown[256];
	int rc = 0;

	if (o->fd == -1)
		return 0;
	if ((l->dropped > 0 || l->lines_dropped > 0) && o->error == 0)
		note_dropped(l, ms_of_day(l));
	outfile_drain(o);
	outfile_shown(shown, sizeof shown, path);
	if (o->error != 0) {
		snprintf(err, errlen, _("the hex dump to '%s' stopped: %s"),
		    shown, strerror(o->error));
		rc = -1;
	} else if (l->dropped_total > 0) {
		snprintf(err, errlen, P_("the hex dump to '%s' lacks %llu "
		    "byte: it did not keep up", "the hex dump to '%s' lacks "
		    "%llu bytes: it did not keep up", l->dropped_total), shown,
		    (unsigned long long)l->dropped_total);
		rc = -1;
	} else if (l->lines_dropped_total > 0) {
		snprintf(err, errlen, P_("the hex dump to '%s' lacks %llu "
		    "trace line: it did not keep up", "the hex dump to '%s' "
		    "lacks %llu trace lines: it did not keep up",
		    l->lines_dropped_total), shown,
		    (unsigned long long)l->lines_dropped_total);
		rc = -1;
	} else if (o->len > o->off) {
		snprintf(err, errlen, _("the hex dump to '%s' lacks its last "
		    "lines: it did not keep up"), shown);
		rc = -1;
	}
	outfile_close(o);
	return rc;
}
