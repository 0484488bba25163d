/*
 * record.c - -o FILE and /save FILE: transcript entries as lines of text.
 * The format is pure (record_format); the rest is an outfile: one write(2)
 * per entry (or per batch, held).  A failed write stops the record instead
 * of the talk: the caller is told once and says so.  A file that does not
 * keep up (a FIFO nobody reads, a terminal after Ctrl-S) never stops the
 * talk either: whole lines are left out, counted in a '!' line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "outfile.h"
#include "record.h"
#include "transcript.h"
#include "width.h"

int
record_open(struct record *r, const char *path, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	outfile_shown(r->shown, sizeof r->shown, path);
	if (outfile_open(&r->out, path) == -1) {
		r->error = errno;
		if (outfile_no_reader(path, errno))
			snprintf(err, errlen, _("cannot write the transcript "
			    "to '%s': it is a FIFO with no reader (start the "
			    "reader first)"), r->shown);
		else
			snprintf(err, errlen, _("cannot write the transcript "
			    "to '%s': %s"), r->shown, strerror(errno));
		return -1;
	}
	/* a file that may not keep up: what it has not taken waits here */
	if (!r->out.regular && outfile_buffer(&r->out, RECORD_BUFSZ) == -1) {
		outfile_close(&r->out);
		r->error = ENOMEM;
		snprintf(err, errlen, _("out of memory"));
		return -1;
	}
	return 0;
}

/* Bytes into out as far as it has room; the length counts them all. */
static void
put(char *out, size_t outlen, size_t *j, const char *s, size_t n)
{
	size_t room = outlen > *j + 1 ? outlen - *j - 1 : 0;

	if (room > 0)
		memcpy(out + *j, s, n < room ? n : room);
	*j += n;
}

size_t
record_format(const struct sb_line *l, char *out, size_t outlen)
{
	const char *mark = l->state == TR_NONL ? " " TR_MARK_NONL :
	    l->state == TR_OPEN ? " " TR_MARK_OPEN : "";
	int64_t ms = l->when_ms % 1000;
	char head[24];
	size_t i, j = 0;
	char c;

	transcript_hms(l->when_ms, head);
	snprintf(head + 8, sizeof head - 8, ".%03d %c", (int)(ms < 0 ?
	    ms + 1000 : ms), l->kind == TR_RECV ? '<' : l->kind == TR_SENT ?
	    '>' : '-');
	put(out, outlen, &j, head, strlen(head));
	if (l->len > 0)
		put(out, outlen, &j, " ", 1);
	for (i = 0; i < l->len; i++) {
		c = l->text[i];
		if (WIDTH_IS_MARKER(c))
			continue;
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';	/* never a raw control in the file */
		put(out, outlen, &j, &c, 1);
	}
	put(out, outlen, &j, mark, strlen(mark));
	put(out, outlen, &j, "\n", 1);
	if (outlen > 0)
		out[j < outlen ? j : outlen - 1] = '\0';
	return j;
}

/* Stop recording: nothing more goes to the file. */
static int
stop(struct record *r, int error)
{
	r->error = error;
	outfile_close(&r->out);
	return -1;
}

/* The line that says how many were left out, once there is room for it. */
static void
note(struct record *r, int64_t now)
{
	char line[128];
	int64_t ms = now % 1000;
	int n;

	transcript_hms(now, line);
	n = snprintf(line + 8, sizeof line - 8, P_(".%03d ! %llu line not "
	    "recorded: the file did not keep up\n", ".%03d ! %llu lines not "
	    "recorded: the file did not keep up\n", r->dropped), (int)(ms < 0 ?
	    ms + 1000 : ms), (unsigned long long)r->dropped);
	/* a translation too long for line: cut at a character, still a line */
	if (n > 0 && (size_t)n >= sizeof line - 8) {
		n = (int)width_snprintf_len(line + 8, n, sizeof line - 9);
		line[8 + n++] = '\n';
	}
	if (n > 0 && outfile_put(&r->out, line, (size_t)n + 8))
		r->dropped = 0;
}

int
record_hold(struct record *r)
{
	/* a regular file needs a buffer for it; anything else has one */
	if (r->out.buf == NULL && outfile_buffer(&r->out, RECORD_HOLD) == -1)
		return -1;
	r->held = true;
	return 0;
}

int
record_flush(struct record *r)
{
	if (r->out.fd == -1)
		return 0;
	outfile_drain(&r->out);
	return r->out.error != 0 ? stop(r, r->out.error) : 0;
}

int
record_write(struct record *r, const struct sb_line *l)
{
	char small[1024], *line = small;
	size_t len;

	if (r->out.fd == -1)
		return 0;
	len = record_format(l, small, sizeof small);
	if (len >= sizeof small) {
		if ((line = malloc(len + 1)) == NULL)
			return stop(r, ENOMEM);
		(void)record_format(l, line, len + 1);
	}
	if (r->dropped > 0)
		note(r, l->when_ms);
	/* whole lines or none */
	if (!outfile_put(&r->out, line, len) && r->out.error == 0) {
		r->dropped++;
		r->dropped_total++;
	}
	if (line != small)
		free(line);
	if (!r->held)
		outfile_drain(&r->out);
	return r->out.error != 0 ? stop(r, r->out.error) : 0;
}

int
record_trace(struct record *r, int64_t when_ms, const char *line)
{
	char buf[320];
	int64_t ms = when_ms % 1000;
	int n;

	if (r->out.fd == -1)
		return 0;
	transcript_hms(when_ms, buf);
	n = snprintf(buf + 8, sizeof buf - 8, ".%03d # %s\n", (int)(ms < 0 ?
	    ms + 1000 : ms), line);
	if (n <= 0 || (size_t)n >= sizeof buf - 8)
		return 0;
	if (r->dropped > 0)
		note(r, when_ms);
	if (!outfile_put(&r->out, buf, (size_t)n + 8) && r->out.error == 0) {
		r->dropped++;
		r->dropped_total++;
	}
	if (!r->held)
		outfile_drain(&r->out);
	return r->out.error != 0 ? stop(r, r->out.error) : 0;
}

const char *
record_failure(const struct record *r, char *buf, size_t len)
{
	if (r->error == 0 && r->dropped_total > 0)
		snprintf(buf, len, P_("the transcript to '%s' lacks %llu line: "
		    "it did not keep up", "the transcript to '%s' lacks %llu "
		    "lines: it did not keep up", r->dropped_total), r->shown,
		    (unsigned long long)r->dropped_total);
	else
		snprintf(buf, len, _("cannot write the transcript to '%s' "
		    "(%s): nothing more is recorded there"), r->shown,
		    strerror(r->error));
	return buf;
}

/* The lines in buf[0..n): a last one without newline counts. */
static uint64_t
count_lines(const char *buf, size_t n)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += buf[i] == '\n';
	return k + (n > 0 && buf[n - 1] != '\n');
}

int
record_close(struct record *r)
{
	struct outfile *o = &r->out;
	int fd;

	if (o->fd == -1) {
		outfile_close(o);
		return 0;
	}
	/* a reader that reads gets all; one that does not costs an instant */
	outfile_drain_wait(o, RECORD_CLOSE_WAIT);
	if (r->dropped > 0 && o->len == o->off) {
		note(r, clock_wall_ms());
		outfile_drain_wait(o, RECORD_CLOSE_WAIT);
	} else if (o->error == 0)
		r->dropped_total += count_lines(o->buf + o->off, o->len - o->off);
	if (o->error != 0)
		r->error = o->error;
	fd = o->fd;
	o->fd = -1;
	if (close(fd) == -1 && errno != EINTR && r->error == 0)
		r->error = errno;
	outfile_close(o);
	return r->error != 0 || r->dropped_total > 0 ? -1 : 0;
}
