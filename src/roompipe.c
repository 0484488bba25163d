/*
 * roompipe.c - --room and --broker without a terminal: the listener is a
 * member whose stdin is what it says and whose stdout is the room.
 *
 * --room: each stdin line goes to everyone as "<nick> text" (a line that
 * starts with / is a command: /me, /to, /kick, /nick, /who; //text says
 * /text); stdout gets what a member would see ("<name> text", "* ..."
 * lines, private lines for us), sanitized; -o gets the same, our own lines
 * too.  --broker: stdin bytes go to every member as they are, stdout gets
 * every member's bytes as they are.  stdin's end is not the room's: it
 * runs until a signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "lines.h"
#include "loop.h"
#include "opts.h"
#include "outfile.h"
#include "peer.h"
#include "pipe.h"
#include "record.h"
#include "room.h"
#include "roompipe.h"
#include "transcript.h"

#define ROOMPIPE_OUTBUF	(4 * 1024 * 1024)	/* stdout may lag this much */

struct roompipe {
	const struct tt_opts	*o;
	struct loop		*loop;
	struct room		 room;
	struct record		*rec;
	struct outfile		 out;	/* stdout */
	int			 out_flags;	/* stdout's, to put back */
	uint64_t		 out_lost;	/* bytes stdout did not take */
	bool			 stdin_done;
	struct lines		 in;	/* --room: stdin's lines */
	uint64_t		 seq;
};

/* Bytes for stdout; what it cannot take in time is counted, said once. */
static void
out_put(struct roompipe *x, const char *p, size_t n)
{
	if (outfile_put(&x->out, p, n))
		return;
	if (x->out_lost == 0)
		pipe_say("%s", _("stdout does not keep up with the room: some "
		    "of it is left out."));
	x->out_lost += n;
}

/* A line of the room for stdout and -o; kind says who said it. */
static void
out_line(struct roompipe *x, enum tr_kind kind, const char *text)
{
	size_t n = strlen(text);
	struct sb_line l;

	if (x->room.kind == ROOM_BROKER) {	/* stdout is the bytes */
		if (x->o->verbose)
			pipe_say("%s", text + 2);
		return;
	}
	if (kind != TR_SENT) {
		out_put(x, text, n);
		out_put(x, "\n", 1);
	}
	if (x->rec == NULL)
		return;
	memset(&l, 0, sizeof l);
	l.seq = ++x->seq;
	l.when_ms = clock_wall_ms();
	l.kind = (int)kind;
	l.state = TR_DONE;
	l.text = (char *)text;
	l.len = n;
	if (record_write(x->rec, &l) == -1) {
		char msg[600];

		pipe_say("%s", record_failure(x->rec, msg, sizeof msg));
	}
}

/* ---- the room's hooks ---- */

static void
joined_cb(void *arg, const struct room_member *m, const char *text)
{
	(void)m;
	out_line(arg, TR_NOTICE, text);
}

static void
left_cb(void *arg, const struct room_member *m, enum room_end why,
    const char *text)
{
	(void)m;
	(void)why;
	out_line(arg, TR_NOTICE, text);
}

static void
line_cb(void *arg, const struct room_member *m, enum room_line kind,
    const char *raw, size_t rawlen, uint64_t dropped, const char *text)
{
	(void)m;
	(void)raw;
	(void)rawlen;
	(void)dropped;
	out_line(arg, kind == ROOM_LINE_SAY ? TR_RECV : TR_NOTICE, text);
}

static void
nick_cb(void *arg, const struct room_member *m, const char *old,
    const char *text)
{
	(void)m;
	(void)old;
	out_line(arg, TR_NOTICE, text);
}

static void
relayed_cb(void *arg, const struct room_member *m, const char *bytes,
    size_t len)
{
	(void)m;
	out_put(arg, bytes, len);
}

static void
refused_cb(void *arg, const char *addr, const char *msg)
{
	struct roompipe *x = arg;

	(void)addr;
	if (x->o->verbose)
		pipe_say("%s", msg);
}

/* ---- stdin ---- */

static void
who(struct roompipe *x)
{
	const struct room_member *m;
	size_t len = strlen(x->room.nick) + 1;
	char *s, *p, *text;

	for (m = room_first(&x->room); m != NULL; m = room_next(&x->room, m))
		len += strlen(m->name) + 2;
	if ((p = s = malloc(len)) == NULL)
		return;
	p += sprintf(p, "%s", x->room.nick);
	for (m = room_first(&x->room); m != NULL; m = room_next(&x->room, m))
		p += sprintf(p, ", %s", m->name);
	/* the members' /who answer, after the room's "* " mark */
	if (asprintf(&text, _("in the room: %s"), s) != -1) {
		if (asprintf(&p, "* %s", text) != -1) {
			out_line(x, TR_NOTICE, p);
			free(p);
		}
		free(text);
	}
	free(s);
}

/* A stdin line that starts with '/'. */
static void
command(struct roompipe *x, const char *s, size_t len)
{
	char name[ROOM_NAME_MAX + 1], err[300], *text, *p;
	size_t n = 0, rest, a;

	while (n < len && s[n] != ' ')
		n++;
	rest = n;
	while (rest < len && s[rest] == ' ')
		rest++;
	for (a = rest; a < len && s[a] != ' '; a++)
		;
	snprintf(name, sizeof name, "%.*s", (int)(a - rest), s + rest);
	err[0] = '\0';
	if (n == 3 && strncasecmp(s, "/me", 3) == 0) {
		room_me(&x->room, s + rest, len - rest);
		if (asprintf(&text, "* %s %.*s", x->room.nick,
		    (int)(len - rest), s + rest) != -1) {
			out_line(x, TR_SENT, text);
			free(text);
		}
	} else if (n == 3 && strncasecmp(s, "/to", 3) == 0) {
		while (a < len && s[a] == ' ')
			a++;
		(void)room_to(&x->room, name, s + a, len - a, err, sizeof err);
	} else if (n == 5 && strncasecmp(s, "/kick", 5) == 0) {
		(void)room_kick(&x->room, name, err, sizeof err);
	} else if (n == 5 && strncasecmp(s, "/nick", 5) == 0) {
		if (room_nick(&x->room, name, err, sizeof err) == 0 &&
		    asprintf(&text, _("you are now known as %s"), x->room.nick)
		    != -1) {
			if (asprintf(&p, "* %s", text) != -1) {
				out_line(x, TR_NOTICE, p);
				free(p);
			}
			free(text);
		}
	} else if (n == 4 && strncasecmp(s, "/who", 4) == 0) {
		who(x);
	} else
		snprintf(err, sizeof err, _("unknown command %.*s; commands: "
		    "/me TEXT, /to NAME TEXT, /kick NAME, /nick NAME, /who; "
		    "//TEXT says /TEXT."), (int)(n > 32 ? 32 : n), s);
	if (err[0] != '\0')
		pipe_say("%s", err);
}

static void
stdin_line_cb(void *arg, const char *line, size_t len, uint64_t dropped,
    bool crlf)
{
	struct roompipe *x = arg;
	char *text;

	(void)dropped;
	(void)crlf;
	if (len >= 2 && line[0] == '/' && line[1] != '/') {
		room_says_end(&x->room);	/* what came before goes first */
		command(x, line, len);
		room_says_begin(&x->room);
		return;
	}
	if (len >= 2 && line[0] == '/') {	/* "//x" says "/x" */
		line++;
		len--;
	}
	room_say(&x->room, line, len);
	if (x->rec != NULL && asprintf(&text, "<%s> %.*s", x->room.nick,
	    (int)len, line) != -1) {
		out_line(x, TR_SENT, text);
		free(text);
	}
}

static short
stdin_events_cb(void *arg)
{
	struct roompipe *x = arg;

	/* the room is held: stdin waits like the members (a slow reader
	 * slows the room rather than being dropped) */
	return x->stdin_done || room_held(&x->room) ? 0 : POLLIN;
}

static void
stdin_ready_cb(void *arg, short revents)
{
	struct roompipe *x = arg;
	char buf[65536];
	ssize_t n;

	(void)revents;
	if (room_held(&x->room))	/* by a member's read this round */
		return;
	n = read(STDIN_FILENO, buf, room_read_size(&x->room,
	    strlen(x->room.nick), sizeof buf));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (n == -1)
			pipe_say(_("reading stdin: %s"), strerror(errno));
		x->stdin_done = true;
		loop_del(x->loop, STDIN_FILENO);
		return;
	}
	if (x->room.kind == ROOM_BROKER)
		room_send(&x->room, buf, (size_t)n);
	else {
		/* one read's lines, one chunk */
		room_says_begin(&x->room);
		lines_feed(&x->in, buf, (size_t)n, stdin_line_cb, x);
		room_says_end(&x->room);
	}
}

/* ---- stdout ---- */

static short
stdout_events_cb(void *arg)
{
	struct roompipe *x = arg;

	outfile_drain(&x->out);
	return x->out.len > x->out.off ? POLLOUT : 0;
}

static void
stdout_ready_cb(void *arg, short revents)
{
	struct roompipe *x = arg;

	(void)revents;
	outfile_drain(&x->out);
}

static void
signal_cb(void *arg, int signo)
{
	struct roompipe *x = arg;

	loop_stop(x->loop, 128 + signo);
}

static int
setup(struct roompipe *x, struct peer *p)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	const struct room_hooks hooks = {
		.joined = joined_cb, .left = left_cb, .line = line_cb,
		.nick = nick_cb, .relayed = relayed_cb, .refused = refused_cb,
		.arg = x
	};
	struct stat st;

	room_init(&x->room, x->o->broker ? ROOM_BROKER : ROOM_CHAT, x->o->nick,
	    x->o->max_peers, x->o->peer_queue, &hooks);
	/* stdout never holds the room up: a pipe or socket is made
	 * non-blocking (and put back at the end), a file just written */
	x->out.fd = STDOUT_FILENO;
	x->out_flags = -1;
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		x->out.regular = true;
	else if (fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode)) &&
	    (x->out_flags = fcntl(STDOUT_FILENO, F_GETFL)) != -1)
		(void)fcntl(STDOUT_FILENO, F_SETFL, x->out_flags | O_NONBLOCK);
	if (outfile_buffer(&x->out, ROOMPIPE_OUTBUF) == -1 ||
	    lines_init(&x->in, ROOM_LINE_MAX) == -1) {
		pipe_say("%s", _("out of memory"));
		return -1;
	}
	if (loop_signals(x->loop, sigs, 3, signal_cb, x) == -1) {
		pipe_say(_("signals: %s"), strerror(errno));
		return -1;
	}
	if (loop_add(x->loop, STDIN_FILENO, stdin_events_cb, stdin_ready_cb,
	    x) == -1 || loop_add(x->loop, STDOUT_FILENO, stdout_events_cb,
	    stdout_ready_cb, x) == -1 || room_start(&x->room, x->loop,
	    &p->lst) == -1) {
		pipe_say("%s", _("out of memory"));
		return -1;
	}
	if (x->o->verbose)
		pipe_say("%s", p->where);
	return 0;
}

int
roompipe_run(const struct tt_opts *o, struct loop *loop, struct peer *p,
    struct record *rec)
{
	struct roompipe x = { .o = o, .loop = loop, .rec = rec };
	int status = 1;

	if (setup(&x, p) == 0) {
		status = loop_run(loop);
		if (status == -1) {
			pipe_say(_("poll: %s"), strerror(loop->err));
			status = 1;
		}
	}
	loop_del(loop, STDIN_FILENO);
	loop_del(loop, STDOUT_FILENO);
	room_free(&x.room);
	outfile_drain_wait(&x.out, 1000);
	free(x.out.buf);
	if (x.out_flags != -1)
		(void)fcntl(STDOUT_FILENO, F_SETFL, x.out_flags);
	lines_free(&x.in);
	return status;
}
