/*
 * chat.c - interactive mode: wires the peer, the transcript, the prompt and
 * the screen together.  It decides nothing they can decide themselves: the
 * peer module says when a peer comes and goes, the transcript what was
 * said, status.c how the status line reads, ui.c how it all looks.
 * Nothing is drawn where it happens: flags say what changed, and the loop's
 * before-sleep hook draws once per wake-up.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chat.h"
#include "clock.h"
#include "cmd.h"
#include "loop.h"
#include "opts.h"
#include "peer.h"
#include "prompt.h"
#include "status.h"
#include "transcript.h"
#include "ui.h"

#define CHAT_IN_BUF	(256 * 1024)
#define CHAT_OUT_BUF	(1024 * 1024)	/* queue cap when the peer stops reading */
#define CHAT_FRAME_MS	20	/* a flood redraws at most this often */
#define CHAT_LEAVE_MS	2000	/* leaving: how long queued bytes may take */

enum { TOP, BOTTOM };

struct chat {
	const struct tt_opts	*o;
	struct loop		*loop;
	struct peer		*p;	/* owns the session: p->s while p->have_s */
	struct transcript	 tr;
	bool			 merged;
	bool			 timestamps;
	bool			 crlf;
	bool			 line_mode;
	bool			 queue_full;	/* a line was refused: say so */
	bool			 said_peer_eof;
	bool			 ended;		/* the peer left, no -k: Enter leaves */
	bool			 leaving;	/* sending what is queued, then out */
	int			 status;	/* exit status if we leave now */
	int			 leave_status;
	int			 leave_timer;
	int			 nwaiting;	/* as last heard: notice new ones */
	uint64_t		 lm_open_seq;	/* line mode: open line in the prompt */
	size_t			 scroll[2], new_below[2];
	unsigned		 dirty;
	int64_t			 drawn_ms;
	int			 frame_timer;	/* a deferred draw is armed */
	int			 tick_timer;	/* the connected-time clock */
	/* the last peer, kept for the status line after it left */
	char			 peer_addr[NET_ADDRSTRLEN];
	const char		*end_word;
	uint64_t		 last_in, last_out;
	int64_t			 last_secs;
};

/* ---- what was said ---- */

/* Entries were added to a pane: a scrolled view keeps its place and
 * counts them. */
static void
added(struct chat *c, int pane, uint64_t n)
{
	if (c->scroll[pane] > 0) {
		c->scroll[pane] += n;
		c->new_below[pane] += n;
	}
	c->dirty |= UI_PANES;
}

/* Line mode: the open received line is the start of the prompt. */
static void
sync_open_line(struct chat *c)
{
	const struct sb_line *l;

	if (!c->line_mode)
		return;
	l = transcript_open(&c->tr);
	if (l != NULL) {
		c->lm_open_seq = l->seq;
		prompt_set_open_line(l->text);
	} else if (c->lm_open_seq != 0) {
		c->lm_open_seq = 0;
		prompt_set_open_line(NULL);
	}
}

/* Line mode: an entry became final; it goes above the input line. */
static void
final_cb(void *arg, const struct sb_line *l)
{
	struct chat *c = arg;
	char *plain;

	if (!c->line_mode)
		return;
	if (l->seq == c->lm_open_seq) {
		c->lm_open_seq = 0;
		prompt_set_open_line(NULL);
	}
	if ((plain = transcript_plain(l, c->timestamps, true)) == NULL)
		return;
	prompt_print_above(plain);
	free(plain);
}

static void __attribute__((format(printf, 2, 3)))
info(struct chat *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	transcript_notice(&c->tr, msg, time(NULL));
	added(c, TOP, 1);
}

/* Everything in the session's in buffer goes to the transcript at once. */
static void
take_input(struct chat *c)
{
	uint64_t seq = c->tr.seq, gen = c->tr.gen;
	const char *p;
	size_t n;

	p = buf_peek(&c->p->s.in, &n);
	if (n == 0)
		return;
	if (transcript_recv(&c->tr, p, n, time(NULL)) == -1)
		info(c, "out of memory: some received text is not shown");
	buf_consume(&c->p->s.in, n);
	added(c, TOP, c->tr.seq - seq);
	if (c->tr.gen != gen)
		sync_open_line(c);
}

/* ---- the peer's life ---- */

static void
leave_timeout_cb(void *arg)
{
	struct chat *c = arg;

	c->leave_timer = 0;
	loop_stop(c->loop, c->leave_status);
}

static void
leave(struct chat *c, int status)
{
	if (c->leaving) {		/* asked twice: drop what is queued */
		loop_stop(c->loop, status);
		return;
	}
	if (c->p->have_s && buf_used(&c->p->s.out) > 0) {
		c->leaving = true;
		c->leave_status = status;
		c->leave_timer = loop_after(c->loop, CHAT_LEAVE_MS,
		    leave_timeout_cb, c);
		if (c->leave_timer > 0) {
			c->dirty |= UI_STATUS;
			return;
		}
	}
	loop_stop(c->loop, status);
}

static void
peer_opened_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	c->said_peer_eof = false;
	c->queue_full = false;
	c->ended = false;
	c->status = 0;
	snprintf(c->peer_addr, sizeof c->peer_addr, "%s", p->s.peer);
	c->dirty |= UI_ALL;
	if (p->listening)
		info(c, "%s connected", p->s.peer);
	else if (p->npeers > 1)
		info(c, "connected again to %s", p->where);
	else
		info(c, "connected to %s; /help lists keys and commands", p->where);
}

/* The socket moved: take what arrived, follow the half-closes. */
static void
peer_io_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	take_input(c);
	if (p->s.peer_eof && !c->said_peer_eof) {
		c->said_peer_eof = true;
		/* nothing more comes: an open line stays without newline */
		transcript_peer_end(&c->tr);
		sync_open_line(c);
		if (!p->s.local_eof)
			info(c, "%s finished sending; you can still send "
			    "(Ctrl-D closes your side, /quit leaves)", p->s.peer);
	}
	if (c->leaving && buf_used(&p->s.out) == 0)
		loop_stop(c->loop, c->leave_status);
	c->dirty |= UI_STATUS;
}

static const char *
end_text(const struct peer *p, enum peer_end why, char *buf, size_t len)
{
	switch (why) {
	case PEER_END_ERROR:
		if (p->s.error == ECONNRESET || p->s.error == EPIPE)
			snprintf(buf, len, "connection with %s reset by the peer "
			    "(RST)", p->s.peer);
		else
			snprintf(buf, len, "connection with %s lost: %s",
			    p->s.peer, strerror(p->s.error));
		break;
	case PEER_END_IDLE:
		snprintf(buf, len, "no traffic for %.3g s: closed the connection "
		    "with %s", p->o->idle_ms / 1000.0, p->s.peer);
		break;
	case PEER_END_CLOSED:
		snprintf(buf, len, "connection with %s closed", p->s.peer);
		break;
	case PEER_END_LOCAL:
		snprintf(buf, len, "you closed the connection with %s", p->s.peer);
		break;
	}
	return buf;
}

static void
peer_closed_cb(void *arg, struct peer *p, enum peer_end why)
{
	static const char *const words[] = { "closed", "reset", "idle",
	    "closed" };
	struct chat *c = arg;
	size_t unsent = buf_used(&p->s.out);
	char msg[512];

	take_input(c);		/* what came with the FIN or before the reset */
	transcript_peer_end(&c->tr);
	sync_open_line(c);
	c->end_word = why == PEER_END_ERROR && p->s.error != ECONNRESET ?
	    "lost" : words[why];
	c->last_in = p->s.bytes_in;
	c->last_out = p->s.bytes_out;
	c->last_secs = (clock_now_ms() - p->s.started_ms) / 1000;
	info(c, "%s", end_text(p, why, msg, sizeof msg));
	if (unsent > 0)
		info(c, "%zu bytes you sent were still queued and never left",
		    unsent);
	c->dirty |= UI_ALL;
	if (c->leaving) {
		loop_stop(c->loop, c->leave_status);
		return;
	}
	if (p->listening && p->o->keep_open) {
		if (p->nwaiting == 0)
			info(c, "waiting for the next peer on %s", p->lst.desc);
		return;
	}
	c->ended = true;
	/* The exit-status table: a reset or -i timeout is a failure. */
	c->status = why == PEER_END_ERROR || why == PEER_END_IDLE;
	if (p->listening)
		info(c, "press Enter, q or Ctrl-D to leave");
	else
		info(c, "press Enter, q or Ctrl-D to leave, or type /reconnect");
}

static void
peer_waiting_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	if (p->nwaiting > c->nwaiting)
		info(c, "%s is waiting; /next takes it",
		    p->waiting_addr[p->nwaiting - 1]);
	c->nwaiting = p->nwaiting;
	c->dirty |= UI_STATUS;
}

/* ---- typed lines and keys ---- */

/* Both panes back at their newest line. */
static void
to_live(struct chat *c)
{
	memset(c->scroll, 0, sizeof c->scroll);
	memset(c->new_below, 0, sizeof c->new_below);
	c->dirty |= UI_PANES;
}

static void
toggle_view(struct chat *c)
{
	if (c->line_mode) {
		info(c, "/view and F2 do not apply in line mode: it shows one "
		    "conversation already");
		return;
	}
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
	uint64_t seq = c->tr.seq;

	if (!c->p->have_s) {
		if (c->ended && !c->p->listening)
			info(c, "not connected: nothing sent (/reconnect dials "
			    "again)");
		else if (c->ended)
			info(c, "the peer has left: nothing sent");
		else
			info(c, "no peer yet: nothing sent");
		return false;
	}
	if (c->p->s.local_eof) {
		info(c, "you closed your side (Ctrl-D): nothing more can be sent");
		return false;
	}
	if (session_submit(&c->p->s, p, n, c->crlf) == -1) {
		c->queue_full = true;
		info(c, "send queue full (%zu KiB waiting, the peer is not "
		    "reading): the line stays in the input",
		    buf_used(&c->p->s.out) / 1024);
		return false;
	}
	c->queue_full = false;
	if (transcript_sent(&c->tr, p, n, time(NULL)) == -1)
		info(c, "out of memory: a sent line is not shown");
	sync_open_line(c);
	added(c, c->merged ? TOP : BOTTOM, c->tr.seq - seq);
	if (!c->merged && c->tr.seq - seq > 1)	/* it closed an open line */
		c->dirty |= UI_PANES;
	c->dirty |= UI_STATUS;
	return true;
}

static void
reconnect(struct chat *c)
{
	char err[512];

	if (c->p->listening) {
		info(c, "/reconnect is for connect mode; a listener waits for "
		    "peers (-k keeps listening)");
		return;
	}
	if (c->p->have_s) {
		info(c, "still connected to %s", c->p->s.peer);
		return;
	}
	info(c, "dialling %s %s again", c->o->host, c->o->port);
	if (peer_reconnect(c->p, err, sizeof err) == -1) {
		c->status = 1;
		info(c, "%s", err);
	}
}

static void
next_peer(struct chat *c)
{
	if (!c->p->listening || !c->o->keep_open)
		info(c, "/next needs a listener with -k: peers wait for it there");
	else if (peer_next(c->p) == -1)
		info(c, "no peer is waiting");
}

static void
clear(struct chat *c)
{
	transcript_clear(&c->tr);
	to_live(c);
	if (c->line_mode) {
		/* only a terminal that knows how; our own sequence, not a peer's */
		if (strcmp(getenv("TERM") ? getenv("TERM") : "dumb", "dumb") != 0)
			prompt_print_above("\033[H\033[2J");
		else
			info(c, "the conversation so far is cleared");
	}
}

static void
prompt_line_cb(void *arg, char *line)
{
	struct chat *c = arg;
	struct cmd cmd;

	if (line == NULL) {		/* Ctrl-D on an empty line */
		if (c->p->have_s && !c->p->s.local_eof) {
			session_end_input(&c->p->s);
			info(c, "you closed your sending side (FIN sent); still "
			    "receiving");
		} else if (!c->p->have_s) {
			leave(c, c->status);
		}
		c->dirty |= UI_STATUS;
		return;
	}
	if (c->ended && line[0] == '\0') {	/* "press Enter to leave" */
		free(line);
		leave(c, c->status);
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
		leave(c, c->status);
		break;
	case CMD_CLEAR:
		clear(c);
		break;
	case CMD_TIMESTAMPS:
		c->timestamps = !c->timestamps;
		c->dirty |= UI_PANES;
		if (c->line_mode)
			info(c, "times are now %s", c->timestamps ? "shown" :
			    "hidden");
		break;
	case CMD_VIEW:
		toggle_view(c);
		break;
	case CMD_CRLF:
		c->crlf = !c->crlf;
		info(c, "lines are now sent with %s", c->crlf ? "CRLF" : "LF");
		break;
	case CMD_NEXT:
		next_peer(c);
		break;
	case CMD_RECONNECT:
		reconnect(c);
		break;
	case CMD_UNKNOWN:
		/* said, cleared from the input; history keeps it for a fix */
		info(c, "unknown command '%.*s': /help lists them, //text sends "
		    "/text", (int)cmd.len, cmd.text);
		break;
	}
	free(line);
}

static void
scroll(struct chat *c, int pane, long delta)
{
	size_t *sc = &c->scroll[pane];

	if (delta < 0 && (size_t)-delta >= *sc)
		*sc = 0;
	else if (delta < 0)
		*sc -= (size_t)-delta;
	else
		*sc += (size_t)delta;	/* ui lowers it to what is kept */
	if (*sc == 0)
		c->new_below[pane] = 0;
	c->dirty |= UI_PANES;
}

static void
prompt_key_cb(void *arg, enum prompt_key k)
{
	struct chat *c = arg;
	long page = ui_pane_rows(c->merged, true) - 1;

	if (c->line_mode && k != PROMPT_KEY_VIEW)
		return;		/* the terminal's own scrollback does this */
	if (page < 1)
		page = 1;
	switch (k) {
	case PROMPT_KEY_PAGE_UP: scroll(c, TOP, page); break;
	case PROMPT_KEY_PAGE_DOWN: scroll(c, TOP, -page); break;
	case PROMPT_KEY_LINE_UP: scroll(c, TOP, 1); break;
	case PROMPT_KEY_LINE_DOWN: scroll(c, TOP, -1); break;
	case PROMPT_KEY_END: to_live(c); break;
	case PROMPT_KEY_VIEW: toggle_view(c); break;
	case PROMPT_KEY_REPAINT:
		ui_repaint();
		c->dirty |= UI_ALL;
		break;
	}
}

/* ---- terminal, signals, timers ---- */

/* After the peer left: a lone q on the input line leaves too. */
static void
check_lone_q(struct chat *c)
{
	const char *prompt, *line;
	size_t len, point;

	if (!c->ended)
		return;
	prompt_state(&prompt, &line, &len, &point);
	if (len == 1 && line[0] == 'q')
		leave(c, c->status);
}

static void
tty_ready_cb(void *arg, short revents)
{
	struct chat *c = arg;
	char buf[4096];
	ssize_t n;

	(void)revents;
	if (c->line_mode) {
		if (prompt_read() == -1)
			leave(c, c->status);	/* the terminal went away */
		check_lone_q(c);
		return;
	}
	n = read(STDIN_FILENO, buf, sizeof buf);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		loop_stop(c->loop, c->status);	/* the terminal went away */
		return;
	}
	if (n > 0) {
		prompt_feed(buf, (size_t)n);
		check_lone_q(c);
	}
}

static void
signal_cb(void *arg, int signo)
{
	struct chat *c = arg;

	switch (signo) {
	case SIGWINCH:
		if (!c->line_mode) {
			ui_resize();
			prompt_set_screen_size(1, ui_cols());
		}
		c->dirty |= UI_ALL;
		break;
	case SIGINT:		/* Ctrl-C is how people leave: not a failure */
		leave(c, c->status);
		break;
	case SIGHUP:		/* nobody left to show anything to */
		loop_stop(c->loop, 128 + signo);
		break;
	default:
		leave(c, 128 + signo);
		break;
	}
}

static void
tick_cb(void *arg)
{
	struct chat *c = arg;

	c->tick_timer = 0;
	c->dirty |= UI_STATUS;
}

static void
frame_cb(void *arg)
{
	struct chat *c = arg;

	c->frame_timer = 0;	/* the draw itself happens in draw_cb */
}

static void
status_line(struct chat *c, struct status_facts *f, char *out, size_t len)
{
	const struct peer *p = c->p;

	memset(f, 0, sizeof *f);
	f->where = p->where;
	f->listening = p->listening;
	f->crlf = c->crlf;
	f->waiting = p->nwaiting;
	f->leaving = c->leaving;
	if (p->have_s) {
		f->phase = STATUS_CONNECTED;
		f->peer = p->s.peer;
		f->peer_eof = p->s.peer_eof;
		f->local_eof = p->s.local_eof;
		f->secs = (clock_now_ms() - p->s.started_ms) / 1000;
		f->bytes_in = p->s.bytes_in;
		f->bytes_out = p->s.bytes_out;
		f->queued = buf_used(&p->s.out);
		f->queue_full = c->queue_full;
	} else if (c->end_word != NULL) {
		f->phase = STATUS_GONE;
		f->peer = c->peer_addr;
		f->end = c->end_word;
		f->secs = c->last_secs;
		f->bytes_in = c->last_in;
		f->bytes_out = c->last_out;
	} else {
		f->phase = STATUS_WAITING;
	}
	status_text(f, out, len);
}

/* The connected-time clock ticks once a second, only while it shows. */
static void
arm_tick(struct chat *c, const struct status_facts *f)
{
	int64_t ms;

	if (!status_ticks(f) || c->tick_timer > 0)
		return;
	ms = 1000 - (clock_now_ms() - c->p->s.started_ms) % 1000;
	c->tick_timer = loop_after(c->loop, (int)ms, tick_cb, c);
}

static void
draw_cb(void *arg)
{
	struct chat *c = arg;
	struct status_facts facts;
	struct ui_frame f;
	char status[512], top_title[200];
	size_t len, point;

	if (prompt_take_dirty())
		c->dirty |= UI_INPUT;
	if (c->line_mode || c->dirty == 0)
		return;
	/* Peer text in a flood: draw one frame per CHAT_FRAME_MS, not one per
	 * read.  Typing (UI_INPUT) is always drawn at once. */
	if (!(c->dirty & UI_INPUT) &&
	    clock_now_ms() - c->drawn_ms < CHAT_FRAME_MS) {
		if (c->frame_timer <= 0)
			c->frame_timer = loop_after(c->loop, CHAT_FRAME_MS,
			    frame_cb, c);
		if (c->frame_timer > 0)
			return;		/* no slot: draw now rather than never */
	}
	c->drawn_ms = clock_now_ms();
	memset(&f, 0, sizeof f);
	status_line(c, &facts, status, sizeof status);
	arm_tick(c, &facts);
	if (c->merged)
		snprintf(top_title, sizeof top_title, "conversation%s%s",
		    c->peer_addr[0] ? " with " : "", c->peer_addr);
	else
		snprintf(top_title, sizeof top_title, "peer %s",
		    c->peer_addr[0] ? c->peer_addr : "(none yet)");
	f.top = (struct ui_pane){ &c->tr, c->merged, TR_SIDE_RECV,
	    c->timestamps, top_title, c->scroll[TOP], c->new_below[TOP] };
	f.bottom = (struct ui_pane){ &c->tr, false, TR_SIDE_SENT,
	    c->timestamps, "you", c->scroll[BOTTOM], c->new_below[BOTTOM] };
	f.merged = c->merged;
	f.status = status;
	prompt_state(&f.prompt, &f.line, &len, &point);
	f.len = len;
	f.point = point;
	ui_draw(&f, c->dirty);
	c->scroll[TOP] = f.top.scroll;
	c->new_below[TOP] = f.top.new_below;
	if (!c->merged) {
		c->scroll[BOTTOM] = f.bottom.scroll;
		c->new_below[BOTTOM] = f.bottom.new_below;
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

/*
 * After the screen is restored: the end of the conversation, at most a
 * screenful, stays in the shell's scrollback.  Line mode printed it all.
 */
static void
print_summary(struct chat *c, int rows)
{
	const struct sb_line **v, *l;
	struct tr_walk w;
	size_t n = 0;
	char *s;

	if (rows < 2 || (v = calloc((size_t)rows, sizeof *v)) == NULL)
		return;
	tr_walk_init(&w, &c->tr, true, TR_SIDE_RECV);
	while (n < (size_t)rows - 1 && (l = tr_walk_prev(&w)) != NULL)
		v[n++] = l;
	while (n-- > 0) {		/* oldest first */
		if ((s = transcript_plain(v[n], c->timestamps, true)) != NULL)
			printf("%s\n", s);
		free(s);
	}
	free(v);
	fflush(stdout);
}

static int
start(struct chat *c)
{
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
	const char *term = getenv("TERM"), *warn;
	struct prompt_hooks hooks = { prompt_line_cb, prompt_key_cb, c };
	struct peer_hooks ph = { peer_opened_cb, peer_io_cb, peer_closed_cb,
	    peer_waiting_cb, c };
	char hist[4096];

	/* Handlers before curses: ncurses leaves alone what is not SIG_DFL. */
	if (loop_signals(c->loop, sigs, 4, signal_cb, c) == -1) {
		fprintf(stderr, "tcptalk: cannot catch signals: %s\n",
		    strerror(errno));
		return -1;
	}
	if (!c->line_mode && ui_init() == -1) {
		fprintf(stderr, "tcptalk: cannot use terminal '%s'; try --line\n",
		    term ? term : "");
		return -1;
	}
	if (prompt_init(&hooks, "> ", c->o->no_history ? NULL :
	    history_path(hist, sizeof hist), c->line_mode) == -1) {
		ui_end();
		fprintf(stderr, "tcptalk: cannot set up readline\n");
		return -1;
	}
	if ((warn = prompt_history_warning()) != NULL)
		info(c, "%s", warn);
	if (!c->line_mode)
		prompt_set_screen_size(1, ui_cols());
	c->loop->before_sleep = draw_cb;
	c->loop->hook_arg = c;
	if (c->p->listening)
		info(c, "waiting for a peer on %s; /help lists keys and commands",
		    c->p->lst.desc);
	if (loop_add(c->loop, STDIN_FILENO, NULL, tty_ready_cb, c) == -1 ||
	    peer_start(c->p, &ph, CHAT_IN_BUF, CHAT_OUT_BUF, 0) == -1) {
		prompt_end();
		ui_end();
		fprintf(stderr, "tcptalk: out of memory\n");
		return -1;
	}
	c->dirty = UI_ALL;
	return 0;
}

int
chat_run(const struct tt_opts *o, struct loop *loop, struct peer *p)
{
	const char *term = getenv("TERM"), *warn;
	struct chat *c;
	int status = 1, rows;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		fprintf(stderr, "tcptalk: out of memory\n");
		return 1;
	}
	c->o = o;
	c->loop = loop;
	c->p = p;
	c->timestamps = o->timestamps;
	c->crlf = o->crlf;
	c->line_mode = o->line_mode || term == NULL || strcmp(term, "dumb") == 0;
	if (transcript_init(&c->tr, (size_t)o->scrollback, final_cb, c) == -1) {
		fprintf(stderr, "tcptalk: out of memory\n");
		free(c);
		return 1;
	}
	if (start(c) == 0) {
		status = loop_run(c->loop);
		if (status == -1)
			status = 1;
		rows = c->line_mode ? 0 : ui_pane_rows(true, true) + 3;
		prompt_end();
		ui_end();
		print_summary(c, rows);
		if ((warn = prompt_history_warning()) != NULL)
			fprintf(stderr, "tcptalk: %s\n", warn);
		if (status > 128)
			fprintf(stderr, "tcptalk: terminated by signal %d\n",
			    status - 128);
	}
	/* The caller frees the peer and the loop: they outlive the mode. */
	c->loop->before_sleep = NULL;
	p->hooks = (struct peer_hooks){ 0 };
	transcript_free(&c->tr);
	free(c);
	return status;
}
