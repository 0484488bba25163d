/*
 * record.c - -o FILE and /save FILE: transcript entries as lines of text.
 * The format is pure (record_format); the rest is open, one write(2) per
 * entry (or per batch, held), close.  A failed write stops the record instead of the talk: the
 * caller is told once and says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "transcript.h"
#include "width.h"

int
record_open(struct record *r, const char *path, char *err, size_t errlen)
{
	size_t i;

	memset(r, 0, sizeof *r);
	snprintf(r->shown, sizeof r->shown, "%s", path);
	for (i = 0; r->shown[i] != '\0'; i++)
		if ((unsigned char)r->shown[i] < 0x20 || r->shown[i] == 0x7f)
			r->shown[i] = '?';
	r->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY |
	    O_CLOEXEC, 0600);
	if (r->fd == -1) {
		r->error = errno;
		snprintf(err, errlen, "cannot write the transcript to '%s': %s",
		    r->shown, strerror(errno));
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
	(void)close(r->fd);
	r->fd = -1;
	r->len = 0;
	return -1;
}

/* One write(2) as far as the file takes it: a reader never sees half an
 * entry. */
static int
put_all(struct record *r, const char *p, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(r->fd, p + done, len - done);
		if (n > 0)
			done += (size_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else
			return stop(r, n == -1 ? errno : EIO);
	}
	return 0;
}

int
record_hold(struct record *r)
{
	if (r->held == NULL && (r->held = malloc(RECORD_HOLD)) == NULL)
		return -1;
	return 0;
}

int
record_flush(struct record *r)
{
	size_t len = r->len;

	if (r->fd == -1 || len == 0)
		return 0;
	r->len = 0;
	return put_all(r, r->held, len);
}

int
record_write(struct record *r, const struct sb_line *l)
{
	char small[1024], *line = small;
	size_t len;
	int rc;

	if (r->fd == -1)
		return 0;
	len = record_format(l, small, sizeof small);
	if (r->held != NULL && len < RECORD_HOLD) {
		if (RECORD_HOLD - r->len <= len && record_flush(r) == -1)
			return -1;
		(void)record_format(l, r->held + r->len, RECORD_HOLD - r->len);
		r->len += len;
		return 0;
	}
	if (record_flush(r) == -1)	/* what is held goes first */
		return -1;
	if (len >= sizeof small) {
		if ((line = malloc(len + 1)) == NULL)
			return stop(r, ENOMEM);
		(void)record_format(l, line, len + 1);
	}
	rc = put_all(r, line, len);
	if (line != small)
		free(line);
	return rc;
}

const char *
record_failure(const struct record *r, char *buf, size_t len)
{
	snprintf(buf, len, "cannot write the transcript to '%s' (%s): nothing "
	    "more is recorded there", r->shown, strerror(r->error));
	return buf;
}

int
record_close(struct record *r)
{
	int fd, rc = record_flush(r);

	free(r->held);
	r->held = NULL;
	if ((fd = r->fd) == -1)
		return rc;
	r->fd = -1;
	if (close(fd) == -1 && errno != EINTR) {
		r->error = errno;
		return -1;
	}
	return rc;
}
