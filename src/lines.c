/* lines.c - bytes to lines, keeping at most max bytes of any one line. */
#include <stdlib.h>
#include <string.h>

#include "lines.h"

int
lines_init(struct lines *f, size_t max)
{
	memset(f, 0, sizeof *f);
	f->max = max;
	f->buf = malloc(max);
	return f->buf == NULL ? -1 : 0;
}

void
lines_free(struct lines *f)
{
	free(f->buf);
	f->buf = NULL;
}

static void
keep(struct lines *f, const char *p, size_t n)
{
	size_t room = f->max - f->len;

	if (n == 0)
		return;
	f->cr_dropped = n > room && p[n - 1] == '\r';
	if (n > room) {
		f->dropped += n - room;
		n = room;
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

static void
emit(struct lines *f, lines_cb cb, void *arg)
{
	size_t len = f->len;
	bool crlf = false;

	/* CRLF: the CR belongs to the line end, not the text, nor to the
	 * bytes the cap dropped when it came past the cap */
	if (f->cr_dropped) {
		f->dropped--;
		crlf = true;
	} else if (len > 0 && f->buf[len - 1] == '\r' && f->dropped == 0) {
		len--;
		crlf = true;
	}
	cb(arg, f->buf, len, f->dropped, crlf);
	lines_reset(f);
}

void
lines_feed(struct lines *f, const char *p, size_t n, lines_cb cb, void *arg)
{
	const char *nl;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		if (nl == NULL) {
			keep(f, p, n);
			return;
		}
		keep(f, p, (size_t)(nl - p));
		emit(f, cb, arg);
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
}

const char *
lines_partial(const struct lines *f, size_t *len, uint64_t *dropped)
{
	*len = f->len;
	*dropped = f->dropped - (f->cr_dropped ? 1 : 0);
	return f->buf;
}

void
lines_reset(struct lines *f)
{
	f->len = 0;
	f->dropped = 0;
	f->cr_dropped = 0;
}
