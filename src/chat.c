/*
 * chat.c - interactive mode: wires the peer, the transcript, the prompt and
 * the screen together.  It decides nothing they can decide themselves: the
 * peer module says when a peer comes and goes, the transcript what was
 * said, status.c how the status line reads, ui.c how it all looks.
 * chat_cmd.c takes what is typed, chat_draw.c hands the screen to ui.c.
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
#include "chat_int.h"
#include "chat_room.h"
#include "clock.h"
#include "i18n.h"
#include "loop.h"
#include "opts.h"
#include "peer.h"
#include "prompt.h"
#include "record.h"
#include "transcript.h"
#include "ui.h"

/* ---- what was said ---- */

/* Entries were added to a pane: a scrolled view keeps its place and
 * counts them. */
void
chat_added(struct chat *c, int pane, uint64_t n)
{
	if (c->scroll[pane] > 0) {
		c->scroll[pane] += n;
		c->new_below[pane] += n;
	}
	c->dirty |= UI_PANES;
}

/* Line mode: the open received line is the start of the prompt. */
void
chat_sync_open_line(struct chat *c)
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
print_final(struct chat *c, const struct sb_line *l)
{
	char *plain;

	if (l->seq == c->lm_open_seq) {
		c->lm_open_seq = 0;
		prompt_set_open_line(NULL);
	}
	if ((plain = transcript_plain(l, c->timestamps, true)) == NULL) {
		prompt_print_above(_("* out of memory: a line is not shown"));
		return;
	}
	prompt_print_above(plain);
	free(plain);
}

/* An entry became final: above the input line in line mode, and to -o's
 * file (last: the notice of a failed write pushes an entry, l may go). */
static void
final_cb(void *arg, const struct sb_line *l)
{
	struct chat *c = arg;
	char msg[600];

	if (c->line_mode)
		print_final(c, l);
	if (c->rec != NULL && record_write(c->rec, l) == -1)
		chat_info(c, "%s", record_failure(c->rec, msg, sizeof msg));
}

static void
notice(struct chat *c, bool alert, const char *fmt, va_list ap)
{
	char msg[1024];
	int64_t now = clock_wall_ms();

	vsnprintf(msg, sizeof msg, fmt, ap);
	if ((alert ? transcript_alert(&c->tr, msg, now) :
	    transcript_notice(&c->tr, msg, now)) == -1) {
		/* not even a notice fits: leave; chat_run says why once the
		 * terminal is restored */
		c->out_of_memory = true;
		loop_stop(c->loop, 1);
		return;
	}
	chat_added(c, TOP, 1);
}

void
chat_info(struct chat *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	notice(c, false, fmt, ap);
	va_end(ap);
}

void
chat_alert(struct chat *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	notice(c, true, fmt, ap);
	va_end(ap);
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
	if (transcript_recv(&c->tr, p, n, clock_wall_ms()) == -1 ||
	    (c->o->udp && transcript_recv_end(&c->tr, clock_wall_ms()) == -1))
		chat_info(c, _("out of memory: some received text is not "
		    "shown"));
	buf_consume(&c->p->s.in, n);
	chat_added(c, TOP, c->tr.seq - seq);
	if (c->tr.gen != gen)
		chat_sync_open_line(c);
}

static void
leave_timeout_cb(void *arg)
{
	struct chat *c = arg;

	c->leave_timer = 0;
	loop_stop(c->loop, c->leave_status);
}

void
chat_leave(struct chat *c, int status)
{
	chat_send_stop(c, CHAT_SEND_LEAVE);	/* what is queued drains */
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
	/* the CRLF hint looks at this peer's lines only */
	c->tr.recv_crlf = c->tr.recv_lf = 0;
	c->ended = false;
	c->status = 0;
	chat_tls_opened(c);
	chat_trace_opened(c, p);
	snprintf(c->peer_addr, sizeof c->peer_addr, "%s", p->s.peer);
	c->dirty |= UI_ALL;
	if (c->o->udp)
		chat_udp_opened(c, p);	/* no connection to speak of */
	else if (p->listening)
		chat_timeline_accepted(c, p);
	else if (p->connect_us < 0 && p->npeers > 1)	/* -U, --proxy */
		chat_info(c, _("connected again to %s"), p->where);
	else if (p->connect_us < 0)
		chat_info(c, _("connected to %s; /help lists keys and commands"),
		    p->where);
	/* connect() returns when the SYN-ACK came and our ACK went: one RTT */
	else if (p->npeers > 1)
		chat_info(c, _("connected again to %s; the TCP handshake "
		    "(SYN \xe2\x86\x92 SYN-ACK \xe2\x86\x92 ACK) took %.2f ms"),
		    p->where, p->connect_us / 1000.0);
	else
		chat_info(c, _("connected to %s; the TCP handshake (SYN "
		    "\xe2\x86\x92 SYN-ACK \xe2\x86\x92 ACK) took %.2f ms; "
		    "/help lists keys and commands"),
		    p->where, p->connect_us / 1000.0);
}

/* The socket moved: take what arrived, follow the half-closes. */
static void
peer_io_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	if (c->o->udp)
		chat_udp_before(c, p);
	take_input(c);
	if (c->o->udp)
		chat_udp_after(c, p);
	chat_send_pump(c);	/* /send: more of the file, if it has room */
	chat_marks_io(c);
	if (p->s.peer_eof && !c->said_peer_eof) {
		c->said_peer_eof = true;
		/* nothing more comes: an open line stays without newline */
		transcript_peer_end(&c->tr);
		chat_sync_open_line(c);
		c->out_at_fin = p->s.bytes_out;
		if (!p->s.local_eof)	/* else the close says it */
			chat_timeline_peer_fin(c, p);
	}
	if (c->leaving && buf_used(&p->s.out) == 0)
		loop_stop(c->loop, c->leave_status);
	c->dirty |= UI_STATUS;
}

/* A reset after the peer's FIN is how a peer that left answers what we
 * sent after it: the normal end of a conversation, not a failure. */
static bool
left_after_fin(const struct peer *p, enum peer_end why)
{
	return why == PEER_END_ERROR && p->s.peer_eof &&
	    p->s.error == ECONNRESET;	/* session names EPIPE so too */
}

/* lost: typed lines the end took before their ✓ */
static const char *
end_text(const struct chat *c, const struct peer *p, enum peer_end why,
    size_t lost, char *buf, size_t len)
{
	if (left_after_fin(p, why)) {
		uint64_t after = p->s.bytes_out - c->out_at_fin;

		snprintf(buf, len, P_("%s has left: it answered with RST "
		    "(reset), and the %llu byte you sent after its FIN was "
		    "not delivered", "%s has left: it answered with RST "
		    "(reset), and the %llu bytes you sent after its FIN were "
		    "not delivered", (unsigned long)after), p->s.peer,
		    (unsigned long long)after);
		return buf;
	}
	switch (why) {
	case PEER_END_ERROR:
		if (p->s.error == ECONNRESET)
			chat_timeline_reset(c, p, lost, buf, len);
		else
			snprintf(buf, len, _("connection with %s lost: %s"),
			    p->s.peer, session_error_text(&p->s));
		break;
	case PEER_END_IDLE:
		snprintf(buf, len, p->o->udp ?
		    _("no traffic for %.3g s: stopped taking UDP datagrams "
		    "from %s") :
		    _("no traffic for %.3g s: closed the connection with %s"),
		    p->o->idle_ms / 1000.0, p->s.peer);
		break;
	case PEER_END_CLOSED:
		chat_timeline_closed(c, p, buf, len);
		break;
	case PEER_END_LOCAL:
		snprintf(buf, len, _("you closed the connection with %s"),
		    p->s.peer);
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
	char msg[1024];
	bool tls_failed;
	size_t lost;

	chat_trace_closed(c, p);
	take_input(c);		/* what came with the FIN or before the reset */
	lost = chat_marks_end(c);
	transcript_peer_end(&c->tr);
	chat_sync_open_line(c);
	c->end_word = left_after_fin(p, why) ? "closed" : why ==
	    PEER_END_ERROR && p->s.error != ECONNRESET ? "lost" : words[why];
	c->last_in = p->s.bytes_in;
	c->last_out = p->s.bytes_out;
	c->last_secs = (clock_now_ms() - p->s.started_ms) / 1000;
	end_text(c, p, why, lost, msg, sizeof msg);
	/* TLS's words for its failures; a truncated stream said first */
	tls_failed = chat_tls_closed(c, p, why, msg, sizeof msg);
	c->end_alert = tls_failed;
	if (tls_failed)
		chat_alert(c, "%s", msg);
	else
		chat_info(c, "%s", msg);
	chat_send_stop(c, CHAT_SEND_GONE);
	if (unsent > 0)
		chat_info(c, P_("%zu byte you sent was still queued and never "
		    "left", "%zu bytes you sent were still queued and never "
		    "left", unsent), unsent);
	c->dirty |= UI_ALL;
	if (c->leaving) {
		loop_stop(c->loop, c->leave_status);
		return;
	}
	if (p->listening && p->o->keep_open) {
		if (p->nwaiting == 0)
			chat_info(c, _("waiting for the next peer on %s"),
			    p->lst.desc);
		return;
	}
	c->ended = true;		/* the status line says how to leave */
	/* The exit-status table: a reset or -i timeout is a failure. */
	c->status = (why == PEER_END_ERROR && !left_after_fin(p, why)) ||
	    why == PEER_END_IDLE || tls_failed;
}

static void
peer_waiting_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	if (p->nwaiting > c->nwaiting)
		chat_info(c, _("%s is waiting; /next takes it"),
		    p->waiting_addr[p->nwaiting - 1]);
	c->nwaiting = p->nwaiting;
	c->dirty |= UI_STATUS;
}

static void
peer_dropped_cb(void *arg, struct peer *p, const char *msg)
{
	(void)p;
	chat_info(arg, "%s", msg);
}

/* The input line says what it could not do (out of memory). */
static void
prompt_notice_cb(void *arg, const char *msg)
{
	chat_info(arg, "%s", msg);
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
			chat_leave(c, c->status);	/* the terminal went away */
		chat_check_lone_q(c);
		return;
	}
	n = read(STDIN_FILENO, buf, sizeof buf);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		loop_stop(c->loop, c->status);	/* the terminal went away */
		return;
	}
	if (n > 0) {
		prompt_feed(buf, (size_t)n);
		chat_check_lone_q(c);
	}
}

/* After SIGCONT: the terminal is ours again (also after a SIGSTOP). */
static void
resume(struct chat *c)
{
	if (c->line_mode) {
		prompt_resume();
	} else {
		ui_resume();
		prompt_set_screen_size(1, ui_cols());
	}
	c->dirty |= UI_ALL;
}

/* Ctrl-Z: the terminal as it was while we are stopped, then back. */
static void
suspend(struct chat *c)
{
	if (c->line_mode)
		prompt_suspend();
	else
		ui_suspend();
	loop_raise_default(SIGTSTP);	/* stopped here until SIGCONT */
	resume(c);
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
	case SIGTSTP:
		suspend(c);
		break;
	case SIGCONT:		/* after our own stop too: one repaint more */
		resume(c);
		break;
	case SIGINT:		/* Ctrl-C is how people leave: not a failure */
		if (chat_tls_interrupt(c))
			break;	/* it refused the certificate asked about */
		if (chat_sending(c))
			chat_cancel(c);	/* but first it stops a /send */
		else
			chat_leave(c, c->status);
		break;
	case SIGHUP:		/* nobody left to show anything to */
		loop_stop(c->loop, 128 + signo);
		break;
	default:		/* SIGTERM, SIGQUIT: restore, then 128+N */
		chat_leave(c, 128 + signo);
		break;
	}
}

/* In the state directory the peer found (known hosts, our certificate). */
static const char *
history_path(const struct chat *c, char *out, size_t outlen)
{
	if (c->p->state_dir == NULL)
		return NULL;
	snprintf(out, outlen, "%s/history", c->p->state_dir);
	return out;
}

static int
start(struct chat *c)
{
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	    SIGTSTP, SIGCONT };
	const char *term = getenv("TERM"), *warn;
	struct prompt_hooks hooks = { chat_line_cb, chat_key_cb, c,
	    prompt_notice_cb };
	struct peer_hooks ph = { peer_opened_cb, peer_io_cb, peer_closed_cb,
	    peer_waiting_cb, peer_dropped_cb, c, chat_tls_secured_cb,
	    chat_tls_untrusted_cb };
	char hist[4096];

	/* Handlers before curses: ncurses leaves alone what is not SIG_DFL. */
	if (loop_signals(c->loop, sigs, (int)(sizeof sigs / sizeof sigs[0]),
	    signal_cb, c) == -1) {
		fprintf(stderr, _("tcptalk: cannot catch signals: %s\n"),
		    strerror(errno));
		return -1;
	}
	if (!c->line_mode && ui_init() == -1) {
		fprintf(stderr, _("tcptalk: cannot use terminal '%s'; try "
		    "--line\n"),
		    term ? term : "");
		return -1;
	}
	if (prompt_init(&hooks, "> ", c->o->no_history ? NULL :
	    history_path(c, hist, sizeof hist), c->line_mode) == -1) {
		ui_end();
		fprintf(stderr, _("tcptalk: cannot set up readline\n"));
		return -1;
	}
	prompt_set_keys_hook(chat_tls_keys_cb, c);	/* y/a/n for a certificate */
	if ((warn = prompt_history_warning()) != NULL)
		chat_info(c, "%s", warn);
	if (!c->line_mode)
		prompt_set_screen_size(1, ui_cols());
	c->loop->before_sleep = chat_draw_cb;
	c->loop->hook_arg = c;
	if (c->p->listening && c->room == NULL)
		chat_info(c, c->o->udp ?
		    _("waiting for the first datagram on %s; /help lists keys "
		    "and commands") :
		    _("waiting for a peer on %s; /help lists keys and "
		    "commands"), c->p->lst.desc);
	chat_tls_start(c);	/* our certificate, for the other side's pin */
	/* a room takes the listener's peers itself */
	if (loop_add(c->loop, STDIN_FILENO, NULL, tty_ready_cb, c) == -1 ||
	    (c->room != NULL ? chat_room_start(c) :
	    peer_start(c->p, &ph, CHAT_IN_BUF, CHAT_OUT_BUF, 0)) == -1) {
		prompt_end();
		ui_end();
		fprintf(stderr, _("tcptalk: out of memory\n"));
		return -1;
	}
	c->dirty = UI_ALL;
	return 0;
}

int
chat_run(const struct tt_opts *o, struct loop *loop, struct peer *p,
    struct record *rec)
{
	const char *term = getenv("TERM"), *warn;
	struct chat *c;
	int status = 1, rows;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		fprintf(stderr, _("tcptalk: out of memory\n"));
		return 1;
	}
	c->o = o;
	c->loop = loop;
	c->p = p;
	c->rec = rec;
	c->timestamps = o->timestamps;
	c->crlf = o->crlf;
	c->line_mode = o->line_mode || term == NULL || strcmp(term, "dumb") == 0;
	marks_init(&c->marks);
	c->marks_timer = -1;
	if (transcript_init(&c->tr, (size_t)o->scrollback, final_cb, c) == -1) {
		fprintf(stderr, _("tcptalk: out of memory\n"));
		free(c);
		return 1;
	}
	/* a room we dial says so in its first line (roomline.h) */
	c->tr.room_detect = !p->listening && !o->udp;
	if (chat_hex_init(c) == -1) {	/* /hex's bytes: tapped from here on */
		fprintf(stderr, _("tcptalk: out of memory\n"));
		transcript_free(&c->tr);
		free(c);
		return 1;
	}
	if (chat_trace_init(c) == -1 ||	/* --trace's rows */
	    chat_room_init(c) == -1) {	/* --room, --broker */
		fprintf(stderr, _("tcptalk: out of memory\n"));
		chat_trace_free(c);
		chat_hex_free(c);
		transcript_free(&c->tr);
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
		if (c->line_mode)
			putchar('\n');	/* off the prompt's row */
		chat_print_summary(c, rows);
		if ((warn = prompt_history_warning()) != NULL)
			fprintf(stderr, "tcptalk: %s\n", warn);
		if (c->out_of_memory)
			fprintf(stderr, _("tcptalk: out of memory\n"));
		if (status > 128)
			fprintf(stderr, _("tcptalk: terminated by signal %d\n"),
			    status - 128);
	}
	chat_record_end(c);
	chat_send_stop(c, CHAT_SEND_EXIT);
	/* The caller frees the peer and the loop: they outlive the mode. */
	c->loop->before_sleep = NULL;
	p->hooks = (struct peer_hooks){ 0 };
	chat_room_free(c);
	chat_hex_free(c);
	chat_trace_free(c);
	chat_marks_free(c);
	transcript_free(&c->tr);
	free(c);
	return status;
}
