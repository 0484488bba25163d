/*
 * record.c - -o FILE and /save FILE: transcript entries as lines of text.
 * The format is pure (record_format); the rest is open, one write(2) per
 * entry, close.  A failed write stops the record instead of the talk: the
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
	return -1;
}

int
record_write(struct record *r, const struct sb_line *l)
{
	char small[1024], *line = small;
	size_t len, done = 0;
	ssize_t n;
	int rc = 0;

	if (r->fd == -1)
		return 0;
	len = record_format(l, small, sizeof small);
	if (len >= sizeof small) {
		if ((line = malloc(len + 1)) == NULL)
			return stop(r, ENOMEM);
		(void)record_format(l, line, len + 1);
	}
	/* one write: a reader never sees half an entry */
	while (done < len) {
		n = write(r->fd, line + done, len - done);
		if (n > 0) {
			done += (size_t)n;
		} else if (n == -1 && errno == EINTR) {
			continue;
		} else {
			rc = stop(r, n == -1 ? errno : EIO);
			break;
		}
	}
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
	int fd = r->fd;

	if (fd == -1)
		return 0;
	r->fd = -1;
	if (close(fd) == -1 && errno != EINTR) {
		r->error = errno;
		return -1;
	}
	return 0;
}
