/*
 * chat.c - interactive mode: ties the session to the screen.
 *
 * Socket bytes are cut into lines (frame), made safe (sanitize) and stored
 * (scrollback); typed lines come from the prompt and go to the session.
 * Nothing is drawn where it happens: flags say what changed, and the loop's
 * before-sleep hook draws once per wake-up.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chat.h"
#include "cmd.h"
#include "lines.h"
#include "clock.h"
#include "loop.h"
#include "opts.h"
#include "peer.h"
#include "prompt.h"
#include "sanitize.h"
#include "transcript.h"
#include "session.h"
#include "ui.h"
#include "width.h"

#define CHAT_IN_BUF	(256 * 1024)
#define CHAT_FRAME_MS	20	/* a flood redraws at most this often */
#define CHAT_OUT_BUF	(1024 * 1024)	/* queue cap when the peer stops reading */

enum chat_state { CHAT_WAITING, CHAT_CONNECTED, CHAT_DONE };

struct chat {
	const struct tt_opts	*o;
	struct loop		*loop;
	struct peer		*p;		/* owns the session: p->s, p->have_s */
	bool			 listening;
	enum chat_state		 state;
	struct transcript	 tr;
	bool			 merged;
	bool			 timestamps;
	bool			 crlf;
	bool			 line_mode;
	bool			 queue_full;	/* a line was refused: say so */
	bool			 said_peer_eof;
	size_t			 scroll_top, scroll_bottom;
	size_t			 new_top, new_bottom;
	unsigned		 dirty;
	char			 peer_addr[NET_ADDRSTRLEN];
	char			 where[300];	/* "listening on ..." / "connected to ..." */
	int64_t			 done_ms;
	int64_t			 drawn_ms;	/* last draw */
	int			 frame_timer;	/* a deferred draw is armed */
	int			 end_status;	/* exit status once CHAT_DONE */
};

static void	draw_cb(void *);

/* A line was added to a pane: a scrolled view keeps its place and counts it. */
static void
line_added(struct chat *c, bool top)
{
	size_t *sc = top ? &c->scroll_top : &c->scroll_bottom;

	if (*sc > 0) {
		(*sc)++;
		(*(top ? &c->new_top : &c->new_bottom))++;
	}
	c->dirty |= UI_PANES;
}

static void __attribute__((format(printf, 2, 3)))
info(struct chat *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	transcript_notice(&c->tr, msg, time(NULL));
	line_added(c, true);
}

/* Line mode: an entry became final, print it above the input line. */
static void
final_cb(void *arg, const struct sb_line *l)
{
	struct chat *c = arg;
	char *plain;

	if (!c->line_mode)
		return;
	if ((plain = transcript_plain(l, c->timestamps, true)) == NULL)
		return;
	prompt_print_above(plain);
	free(plain);
}

/* Everything in the session's in buffer goes to the transcript at once. */
static void
take_input(struct chat *c)
{
	const char *p;
	size_t n;
	uint64_t seq = c->tr.seq;

	p = buf_peek(&c->p->s.in, &n);
	if (n == 0)
		return;
	transcript_recv(&c->tr, p, n, time(NULL));
	buf_consume(&c->p->s.in, n);
	if (c->tr.seq != seq)
		line_added(c, true);
	c->dirty |= UI_PANES;
}

static void
local_text(struct chat *c, const char *p, size_t n)
{
	transcript_sent(&c->tr, p, n, time(NULL));
	line_added(c, c->merged);	/* merged: it shows in the top pane */
}

/* ---- the session ---- */

/* The socket moved: take what arrived. */
static void
peer_io_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	(void)p;
	take_input(c);
	c->dirty |= UI_STATUS;
}

static void
peer_opened_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	c->state = CHAT_CONNECTED;
	c->said_peer_eof = false;
	c->queue_full = false;
	snprintf(c->peer_addr, sizeof c->peer_addr, "%s", p->s.peer);
	c->dirty |= UI_ALL;
	if (p->listening)
		info(c, "%s connected", p->s.peer);
	else
		info(c, "connected to %s (%s); /help lists keys and commands",
		    c->o->host, p->s.peer);
}

static void
peer_closed_cb(void *arg, struct peer *p, enum peer_end why)
{
	struct chat *c = arg;

	take_input(c);		/* what came with the FIN or before the reset */
	switch (why) {
	case PEER_END_ERROR:
		info(c, "connection with %s lost: %s", p->s.peer,
		    strerror(p->s.error));
		break;
	case PEER_END_IDLE:
		info(c, "no traffic for %.3g s: closing", c->o->idle_ms / 1000.0);
		break;
	case PEER_END_CLOSED:
		info(c, "connection with %s closed", p->s.peer);
		break;
	case PEER_END_LOCAL:
		info(c, "closed the connection with %s", p->s.peer);
		break;
	}
	c->done_ms = clock_now_ms();
	c->dirty |= UI_ALL;
	if (c->listening && c->o->keep_open) {
		c->state = CHAT_WAITING;
		if (p->nwaiting == 0)
			info(c, "waiting for the next peer on %s", p->lst.desc);
	} else {
		c->state = CHAT_DONE;
		/* The exit-status table: a reset or -i timeout is a failure. */
		c->end_status = why == PEER_END_ERROR || why == PEER_END_IDLE;
		info(c, "press any key to exit");
	}
}

static void
peer_waiting_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	if (p->nwaiting > 0)
		info(c, "%d peer%s waiting (/next takes the next)", p->nwaiting,
		    p->nwaiting == 1 ? "" : "s");
	c->dirty |= UI_STATUS;
}

/* After every wake-up: follow the connection's half-closes to its end. */
static void
check_session(struct chat *c)
{
	uint64_t dropped;
	size_t n;

	if (!c->p->have_s)
		return;
	if (c->p->s.peer_eof && !c->said_peer_eof) {
		c->said_peer_eof = true;
		(void)n;
		(void)dropped;
		if (c->o->keep_open && c->listening) {
			session_end_input(&c->p->s);
			info(c, "%s closed the connection", c->p->s.peer);
		} else if (!c->p->s.local_eof) {
			info(c, "%s closed its side; you can still send "
			    "(Ctrl-D closes yours, /quit leaves)", c->p->s.peer);
		}
		c->dirty |= UI_STATUS;
	}
}

/* ---- typed lines and keys ---- */

/* Both panes back at their newest line. */
static void
to_live(struct chat *c)
{
	c->scroll_top = c->scroll_bottom = c->new_top = c->new_bottom = 0;
	c->dirty |= UI_PANES;
}

/* Split panes <-> one conversation (F2, /view). */
static void
toggle_view(struct chat *c)
{
	c->merged = !c->merged;
	to_live(c);
	c->dirty |= UI_ALL;
}

static void
show_help(struct chat *c)
{
	size_t i;

	for (i = 0; cmd_help[i] != NULL; i++)
		info(c, "%s", cmd_help[i]);
}

static bool
send_text(struct chat *c, const char *p, size_t n)
{
	if (!c->p->have_s) {
		info(c, c->state == CHAT_WAITING ? "no peer yet: nothing sent" :
		    "not connected: nothing sent");
		return false;
	}
	if (c->p->s.local_eof) {
		info(c, "you closed your side (Ctrl-D): nothing more can be sent");
		return false;
	}
	if (session_submit(&c->p->s, p, n, c->crlf) == -1) {
		c->queue_full = true;
		info(c, "send queue full (%zu KiB waiting, the peer is not "
		    "reading): the line stays in the input", buf_used(&c->p->s.out) / 1024);
		return false;
	}
	c->queue_full = false;
	local_text(c, p, n);
	c->dirty |= UI_STATUS;
	return true;
}

static void
reconnect(struct chat *c)
{
	char err[512];

	if (c->listening || c->p->have_s) {
		info(c, "/reconnect: only in connect mode once the peer is gone");
		return;
	}
	if (peer_reconnect(c->p, err, sizeof err) == -1)
		info(c, "/reconnect: %s", err);
}

static void
prompt_line_cb(void *arg, char *line)
{
	struct chat *c = arg;
	struct cmd cmd;

	if (line == NULL) {		/* Ctrl-D on an empty line */
		if (c->p->have_s && !c->p->s.local_eof) {
			session_end_input(&c->p->s);
			info(c, "you closed your sending side (FIN sent); still receiving");
		}
		c->dirty |= UI_STATUS;
		return;
	}
	cmd = cmd_parse(line, strlen(line));
	switch (cmd.kind) {
	case CMD_SEND:
		if (!send_text(c, cmd.text, cmd.len))
			prompt_restore(line);
		break;
	case CMD_HELP:
		show_help(c);
		break;
	case CMD_QUIT:
		loop_stop(c->loop, 0);
		break;
	case CMD_CLEAR:
		transcript_clear(&c->tr);
		to_live(c);
		break;
	case CMD_TIMESTAMPS:
		c->timestamps = !c->timestamps;
		c->dirty |= UI_PANES;
		break;
	case CMD_VIEW:
		toggle_view(c);
		break;
	case CMD_CRLF:
		c->crlf = !c->crlf;
		info(c, "lines are now sent with %s", c->crlf ? "CRLF" : "LF");
		break;
	case CMD_NEXT:
		if (peer_next(c->p) == -1)
			info(c, "/next: no peer waiting");
		break;
	case CMD_RECONNECT:
		reconnect(c);
		break;
	case CMD_UNKNOWN:
		info(c, "unknown command '%.*s': /help lists them, //text sends /text",
		    (int)cmd.len, cmd.text);
		prompt_restore(line);
		break;
	}
	free(line);
}

static void
scroll(struct chat *c, bool top, long delta)
{
	size_t *sc = top ? &c->scroll_top : &c->scroll_bottom;
	size_t *nb = top ? &c->new_top : &c->new_bottom;
	size_t max = top ? c->tr.side[TR_SIDE_RECV].count +
	    (c->merged ? c->tr.side[TR_SIDE_SENT].count : 0) :
	    c->tr.side[TR_SIDE_SENT].count;

	if (delta < 0 && (size_t)-delta >= *sc) {
		*sc = 0;
	} else if (delta < 0) {
		*sc -= (size_t)-delta;
	} else {
		*sc += (size_t)delta;
		if (*sc >= max)
			*sc = max > 0 ? max - 1 : 0;
	}
	if (*sc == 0)
		*nb = 0;
	c->dirty |= UI_PANES;
}

static void
prompt_key_cb(void *arg, enum prompt_key k)
{
	struct chat *c = arg;
	long page = ui_pane_rows(c->merged, true) - 1;

	if (page < 1)
		page = 1;
	switch (k) {
	case PROMPT_KEY_PAGE_UP: scroll(c, true, page); break;
	case PROMPT_KEY_PAGE_DOWN: scroll(c, true, -page); break;
	case PROMPT_KEY_LINE_UP: scroll(c, true, 1); break;
	case PROMPT_KEY_LINE_DOWN: scroll(c, true, -1); break;
	case PROMPT_KEY_END:
		scroll(c, true, -(long)c->scroll_top);
		scroll(c, false, -(long)c->scroll_bottom);
		break;
	case PROMPT_KEY_VIEW:
		toggle_view(c);
		break;
	case PROMPT_KEY_REPAINT:
		ui_repaint();
		c->dirty |= UI_ALL;
		break;
	}
}

/* ---- terminal, signals, timers ---- */

static void
tty_ready_cb(void *arg, short revents)
{
	struct chat *c = arg;
	char buf[4096];
	ssize_t n;

	(void)revents;
	if (c->line_mode && c->state != CHAT_DONE) {
		prompt_read();
		return;
	}
	n = read(STDIN_FILENO, buf, sizeof buf);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		loop_stop(c->loop, c->end_status);	/* the terminal went away */
		return;
	}
	if (n < 0)
		return;
	if (c->state == CHAT_DONE && clock_now_ms() - c->done_ms > 300) {
		loop_stop(c->loop, c->end_status);	/* "press any key to exit" */
		return;
	}
	prompt_feed(buf, (size_t)n);
}

static void
signal_cb(void *arg, int signo)
{
	struct chat *c = arg;

	if (signo == SIGWINCH) {
		if (!c->line_mode) {
			ui_resize();
			prompt_set_screen_size(1, ui_cols());
		}
		c->dirty |= UI_ALL;
		return;
	}
	loop_stop(c->loop, signo == SIGINT ? 0 : 128 + signo);
}

static void
tick_cb(void *arg)
{
	struct chat *c = arg;

	c->dirty |= UI_STATUS;
	loop_after(c->loop, 1000, tick_cb, c);
}

static void
human(char *out, size_t outlen, uint64_t n)
{
	if (n < 1024)
		snprintf(out, outlen, "%llu B", (unsigned long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, outlen, "%.1f KiB", n / 1024.0);
	else
		snprintf(out, outlen, "%.1f MiB", n / 1048576.0);
}

static void
status_text(struct chat *c, char *out, size_t outlen)
{
	char in[32], sent[32], queued[32];
	const char *state;
	int64_t secs;

	if (!c->p->have_s) {
		snprintf(out, outlen, "%s | %s", c->where,
		    c->state == CHAT_WAITING ? "waiting for a peer" : "disconnected");
		return;
	}
	if (c->p->s.peer_eof && c->p->s.local_eof)
		state = "closing";
	else if (c->p->s.peer_eof)
		state = "peer closed";
	else if (c->p->s.local_eof)
		state = "you closed";
	else
		state = "connected";
	secs = (clock_now_ms() - c->p->s.started_ms) / 1000;
	human(in, sizeof in, c->p->s.bytes_in);
	human(sent, sizeof sent, c->p->s.bytes_out);
	human(queued, sizeof queued, buf_used(&c->p->s.out));
	snprintf(out, outlen, "%s%s | %s %02lld:%02lld:%02lld | in %s  out %s | "
	    "queued %s%s%s", c->listening ? "peer " : "", c->listening ?
	    c->p->s.peer : c->where, state, (long long)secs / 3600,
	    (long long)secs / 60 % 60, (long long)secs % 60, in, sent, queued,
	    c->queue_full ? " (FULL)" : "", c->crlf ? " | CRLF" : "");
}

static void
frame_cb(void *arg)
{
	struct chat *c = arg;

	c->frame_timer = 0;	/* the draw itself happens in draw_cb */
}

static void
draw_cb(void *arg)
{
	struct chat *c = arg;
	struct ui_frame f;
	char status[512], top_title[200], bottom_title[64];
	size_t len, point;

	check_session(c);
	if (prompt_take_dirty())
		c->dirty |= UI_INPUT;
	if (c->line_mode || c->dirty == 0)
		return;
	/* Peer text in a flood: draw one frame per CHAT_FRAME_MS, not one per
	 * read.  Typing (UI_INPUT) is always drawn at once. */
	if (!(c->dirty & UI_INPUT) &&
	    clock_now_ms() - c->drawn_ms < CHAT_FRAME_MS) {
		if (c->frame_timer == 0)
			c->frame_timer = loop_after(c->loop, CHAT_FRAME_MS,
			    frame_cb, c);
		return;
	}
	c->drawn_ms = clock_now_ms();
	memset(&f, 0, sizeof f);
	status_text(c, status, sizeof status);
	if (c->merged)
		snprintf(top_title, sizeof top_title, "conversation%s%s",
		    c->p->have_s ? " with " : "", c->p->have_s ? c->p->s.peer : "");
	else
		snprintf(top_title, sizeof top_title, "peer %s",
		    c->p->have_s ? c->p->s.peer : "(none)");
	snprintf(bottom_title, sizeof bottom_title, "you");
	f.top = (struct ui_pane){ &c->tr, c->merged, TR_SIDE_RECV,
	    c->timestamps, top_title, c->scroll_top, c->new_top };
	f.bottom = (struct ui_pane){ &c->tr, false, TR_SIDE_SENT,
	    c->timestamps, bottom_title, c->scroll_bottom, c->new_bottom };
	f.merged = c->merged;
	f.status = status;
	prompt_state(&f.prompt, &f.line, &len, &point);
	f.len = len;
	f.point = point;
	ui_draw(&f, c->dirty);
	c->scroll_top = f.top.scroll;
	c->new_top = f.top.new_below;
	if (!c->merged) {
		c->scroll_bottom = f.bottom.scroll;
		c->new_bottom = f.bottom.new_below;
	}
	c->dirty = 0;
}

static const char *
history_path(char *out, size_t outlen)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (state != NULL && *state == '/')
		snprintf(out, outlen, "%s/tcptalk/history", state);
	else if (home != NULL && *home == '/')
		snprintf(out, outlen, "%s/.local/state/tcptalk/history", home);
	else
		return NULL;
	return out;
}

int
chat_run(const struct tt_opts *o, struct loop *loop, struct peer *p)
{
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
	const char *term = getenv("TERM");
	struct prompt_hooks hooks;
	struct peer_hooks ph;
	struct chat *c;
	char hist[4096];
	int status;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		fprintf(stderr, "tcptalk: out of memory\n");
		return 1;
	}
	c->o = o;
	c->loop = loop;
	c->p = p;
	c->listening = p->listening;
	c->timestamps = o->timestamps;
	c->crlf = o->crlf;
	c->line_mode = o->line_mode || term == NULL || strcmp(term, "dumb") == 0;
	if (transcript_init(&c->tr, (size_t)o->scrollback, final_cb, c) == -1) {
		fprintf(stderr, "tcptalk: out of memory\n");
		status = 1;
		goto out;
	}
	if (c->listening) {
		snprintf(c->where, sizeof c->where, "%s", p->where);
	} else {
		snprintf(c->where, sizeof c->where, "connected to %s:%s", o->host, o->port);
	}
	/* Handlers before curses: ncurses leaves alone what is not SIG_DFL. */
	if (loop_signals(c->loop, sigs, 4, signal_cb, c) == -1) {
		fprintf(stderr, "tcptalk: signals: %s\n", strerror(errno));
		status = 1;
		goto out;
	}
	if (!c->line_mode && ui_init() == -1) {
		fprintf(stderr, "tcptalk: cannot use terminal '%s'; try --line\n",
		    term ? term : "");
		status = 1;
		goto out;
	}
	hooks = (struct prompt_hooks){ prompt_line_cb, prompt_key_cb, c };
	if (prompt_init(&hooks, "> ", o->no_history ? NULL :
	    history_path(hist, sizeof hist), c->line_mode) == -1) {
		ui_end();
		fprintf(stderr, "tcptalk: cannot set up readline\n");
		status = 1;
		goto out;
	}
	if (!c->line_mode)
		prompt_set_screen_size(1, ui_cols());
	loop_add(c->loop, STDIN_FILENO, NULL, tty_ready_cb, c);
	c->loop->before_sleep = draw_cb;
	c->loop->hook_arg = c;
	loop_after(c->loop, 1000, tick_cb, c);
	if (c->listening)
		info(c, "waiting for a peer on %s; /help lists keys and commands",
		    p->lst.desc);
	/* The peer module accepts, dials, times out idle peers and ends
	 * them; chat hears of it through these hooks. */
	ph = (struct peer_hooks){ peer_opened_cb, peer_io_cb, peer_closed_cb,
	    peer_waiting_cb, c };
	if (peer_start(p, &ph, CHAT_IN_BUF, CHAT_OUT_BUF, 0) == -1) {
		prompt_end();
		ui_end();
		fprintf(stderr, "tcptalk: out of memory\n");
		status = 1;
		goto out;
	}
	c->dirty = UI_ALL;
	status = loop_run(c->loop);
	if (status == -1)
		status = 1;
	prompt_end();
	ui_end();
	if (status > 128)
		fprintf(stderr, "tcptalk: terminated by signal %d\n", status - 128);
out:
	/* The caller frees the peer and the loop: they outlive the mode. */
	c->loop->before_sleep = NULL;
	p->hooks = (struct peer_hooks){ 0 };
	transcript_free(&c->tr);
	free(c);
	return status;
}
