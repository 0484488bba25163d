/*
 * chat_save.c - /save FILE: the whole kept conversation, both sides merged
 * in order, written the way -o writes it (record.c): appended, or created
 * with mode 0600.  A leading ~/ is the home directory.  Only a regular
 * file: the whole conversation goes at once, and a FIFO or a terminal
 * could take it only by making the chat wait.  And the last lines of -o's
 * record when the chat ends with a peer still there.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chat_int.h"
#include "clock.h"
#include "i18n.h"
#include "peer.h"
#include "record.h"
#include "transcript.h"

/* The argument as a path, ~/ expanded; false (and said) if it cannot be. */
static bool
save_path(struct chat *c, const char *arg, size_t len, char *out,
    size_t outlen)
{
	switch (chat_path(arg, len, out, outlen)) {
	case -2:
		chat_info(c, _("cannot expand ~/: HOME is not set"));
		return false;
	case -1:
		chat_info(c, _("/save: that file name is too long"));
		return false;
	}
	return true;
}

/* The kept entries, oldest first (the walk goes back in time). */
static const struct sb_line **
kept(struct chat *c, size_t *count)
{
	const struct sb_line **all;
	struct tr_walk w;
	size_t n = 0;

	tr_walk_init(&w, &c->tr, true, TR_SIDE_RECV);
	while (tr_walk_prev(&w) != NULL)
		n++;
	if ((all = malloc((n > 0 ? n : 1) * sizeof *all)) == NULL)
		return NULL;
	*count = n;
	tr_walk_init(&w, &c->tr, true, TR_SIDE_RECV);
	while (n > 0)
		all[--n] = tr_walk_prev(&w);
	return all;
}

void
chat_save(struct chat *c, const char *arg, size_t len)
{
	const struct sb_line **all;
	struct record r;
	struct stat st;
	char path[4096], err[600];
	size_t n, i;

	if (len == 0) {
		chat_info(c, _("/save needs a file name, e.g. /save talk.txt"));
		return;
	}
	if (!save_path(c, arg, len, path, sizeof path))
		return;
	/* not even opened: a FIFO's reader would see an empty file */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		outfile_shown(err, sizeof err, path);
		chat_info(c, _("/save writes only to a regular file, and '%s' "
		    "is not one"), err);
		return;
	}
	if ((all = kept(c, &n)) == NULL) {
		chat_info(c, _("out of memory: nothing was saved"));
		return;
	}
	if (record_open(&r, path, err, sizeof err) == -1) {
		chat_info(c, "%s", err);
		free(all);
		return;
	}
	if (!r.out.regular) {	/* it became one since the stat */
		(void)record_close(&r);
		chat_info(c, _("/save writes only to a regular file, and '%s' "
		    "is not one"), r.shown);
		free(all);
		return;
	}
	for (i = 0; i < n; i++)
		if (record_write(&r, all[i]) == -1)
			break;
	free(all);
	if (i < n || record_close(&r) == -1)
		chat_info(c, P_("cannot save to %s: %s (%zu of %zu line "
		    "written)", "cannot save to %s: %s (%zu of %zu lines "
		    "written)", n), r.shown, strerror(r.error), i, n);
	else
		chat_info(c, P_("saved %zu line to %s", "saved %zu lines to %s",
		    n), n, r.shown);
}

void
chat_record_end(struct chat *c)
{
	const struct sb_line *open;
	struct sb_line l;
	char msg[NET_ADDRSTRLEN + 64];

	if (c->rec == NULL)
		return;
	/* written directly: the screen and the prompt are gone */
	if ((open = transcript_open(&c->tr)) != NULL) {
		l = *open;
		l.state = TR_NONL;
		(void)record_write(c->rec, &l);
	}
	if (c->p->have_s) {
		snprintf(msg, sizeof msg, _("you closed the connection with %s"),
		    c->p->s.peer);
		l = (struct sb_line){ .when_ms = clock_wall_ms(),
		    .kind = TR_NOTICE, .state = TR_DONE, .text = msg,
		    .len = strlen(msg) };
		(void)record_write(c->rec, &l);
	}
}
