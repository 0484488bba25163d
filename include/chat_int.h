/*
 * chat_int.h - what the chat's own files share: chat.c wires the modules,
 * chat_cmd.c handles typed lines and keys, chat_draw.c the screen.
 * Nothing outside the chat includes this.
 */
#ifndef TCPTALK_CHAT_INT_H
#define TCPTALK_CHAT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytering.h"
#include "hexview.h"
#include "marks.h"
#include "net.h"
#include "peer.h"
#include "prompt.h"
#include "session.h"
#include "tcpinfo.h"
#include "transcript.h"

struct loop;
struct record;
struct status_facts;
struct tt_opts;
struct ui_frame;
struct ui_pane;

#define CHAT_IN_BUF	(256 * 1024)
#define CHAT_OUT_BUF	(1024 * 1024)	/* queue cap when the peer stops reading */
#define CHAT_FRAME_MS	20	/* a flood redraws at most this often */
#define CHAT_LEAVE_MS	2000	/* leaving: how long queued bytes may take */
#define CHAT_PROGRESS_MS 250	/* /send's progress redraws at most this often */
#define CHAT_FIND_MAX	200	/* bytes of /find's text */

/* What the find facts in the title say beyond "match N of M". */
enum { CHAT_FIND_NO_END, CHAT_FIND_NO_OLDER, CHAT_FIND_NO_NEWER,
	CHAT_FIND_NONE };

enum { TOP, BOTTOM };

/* What the lower pane shows instead of our lines (chat_panel.c). */
enum chat_panel {
	CHAT_PANEL_NONE,
	CHAT_PANEL_TCP,		/* /tcp, F4: chat_tcppanel.c */
	CHAT_PANEL_TRACE	/* /trace, F6: chat_trace.c */
};

struct chat {
	const struct tt_opts	*o;
	struct loop		*loop;
	struct peer		*p;	/* owns the session: p->s while p->have_s */
	struct transcript	 tr;
	struct record		*rec;		/* -o, or NULL */
	bool			 merged;
	bool			 timestamps;
	bool			 crlf;
	bool			 line_mode;
	bool			 queue_full;	/* a line was refused: say so */
	bool			 said_peer_eof;
	bool			 ended;		/* the peer left, no -k: Enter leaves */
	bool			 leaving;	/* sending what is queued, then out */
	bool			 out_of_memory;	/* a notice failed: leaving, say so */
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
	/* chat_tcp.c: the last TCP_INFO reading, of which peer, and when */
	struct tcpinfo		 tcp;
	int64_t			 tcp_ms, tcp_started;
	int			 tcp_fd;
	/* chat_marks.c: typed lines waiting for the peer's ack */
	struct marks		 marks;
	uint64_t		 marks_acked;	/* the wire offset acked, last read */
	int			 marks_timer;
	int			 marks_ms;	/* the next look's delay */
	/* the last peer, kept for the status line after it left */
	char			 peer_addr[NET_ADDRSTRLEN];
	const char		*end_word;
	bool			 end_alert;	/* it ended in a TLS refusal */
	uint64_t		 last_in, last_out;
	int64_t			 last_secs;
	uint64_t		 out_at_fin;	/* bytes sent when the peer's FIN came */
	/* chat_find.c: the text of the last /find, and where it stands */
	char			 find[CHAT_FIND_MAX + 1];
	size_t			 find_len;	/* 0: nothing to find */
	bool			 find_on;	/* matches highlighted */
	uint64_t		 find_seq;	/* the current match; 0: none */
	size_t			 find_nth, find_total;	/* "match 3 of 12" */
	int			 find_end;	/* CHAT_FIND_NO_* */
	bool			 show;		/* /show: invisible characters marked */
	int			 crlf_hinted;	/* p->npeers when the CRLF hint was
						 * given: once per connection */
	/* chat_hex.c: the raw bytes both ways, and the hex view of them */
	struct bytering		 ring;
	bool			 hex;		/* the top pane shows hex */
	struct hexview_pos	 hexpos;
	struct hexview_mark	 hexmark;	/* the current hex match */
	unsigned char		 hexpat[CHAT_FIND_MAX];	/* what it matched */
	size_t			 hexpat_len;
	bool			 hexpat_fold;
	char			 hex_note[120];	/* in the title: notices do not
						 * show in the hex pane */
	session_tap_fn		*hex_tap;	/* the tap before ours (-x, -o) */
	void			*hex_tap_arg;
	/* chat_panel.c: the lower pane's panel, its scroll and title */
	enum chat_panel		 panel;
	size_t			 panel_scroll, panel_new_below;
	char			 panel_title[200];
	/* chat_trace.c: --trace's rows, NULL without --trace */
	struct chat_trace	*trace;
	/* chat_udp.c: what was last said about the datagrams (-u) */
	uint64_t		 udp_senders, udp_refused, udp_empty;
	/* chat_send.c: the file /send is streaming, NULL if none */
	struct chat_send	*send;
	/* chat_room.c: --room or --broker, the listener's room; NULL in a
	 * conversation with one peer */
	struct chat_room	*room;
	/* chat_tls.c */
	bool			 tls_log_said;	/* the STARTTLS exchange shown */
	bool			 tls_reminded;	/* "answer the question first"
						 * said for this question */
	int64_t			 tls_asked_ms;	/* when the question appeared */
	char			 tls_who[300];	/* the status line's trust words */
};

/* chat.c */
void	chat_info(struct chat *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* chat_cmd.c: a /help row, cut at the screen's width now: line ends with
 * text, and text's rows go on under its start. */
void	chat_help_row(struct chat *, const char *line, const char *text);
/* A notice in the alarm colour: refusals, failures the user must see. */
void	chat_alert(struct chat *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	chat_added(struct chat *, int pane, uint64_t n);
void	chat_sync_open_line(struct chat *);
void	chat_leave(struct chat *, int status);

/* chat_cmd.c */
void	chat_line_cb(void *, char *);
/* A typed file name as a path, a leading ~/ the home directory as a shell
 * has it.  0; -1 when the path does not fit out (cut, it would name another
 * file); -2 for ~/ without HOME (out then holds nothing). */
int	chat_path(const char *arg, size_t len, char *out, size_t outlen);
/* Connected, our side open: true; else says why nothing can be sent. */
bool	chat_can_send(struct chat *);
void	chat_key_cb(void *, enum prompt_key);
/* Move a pane's scroll (entries or rows hidden below) by delta, more
 * hidden when positive; back at 0, nothing is new below any more. */
void	chat_scroll(struct chat *, size_t *scroll, size_t *new_below,
	    long delta);
void	chat_check_lone_q(struct chat *);

/* chat_hex.c: the kept raw bytes and the hex view (/hex, F5) */
void	chat_hex_toggle(struct chat *);
/* The top pane shows hex now (then /find, F3 search the kept bytes). */
bool	chat_hex_active(const struct chat *);
/* Search the kept bytes for text ("0d 0a" or "0d0a": those bytes; else the
 * text's own bytes, case-insensitive unless it has capitals), older or
 * newer than the current match; scroll to it and highlight it, or say
 * there is none. */
void	chat_hex_find(struct chat *, const char *text, size_t len, bool older);
/* The ring (capacity from --scrollback) and our tap on the peer, in front
 * of the one set before (called on); -1: no memory.  _free undoes both. */
int	chat_hex_init(struct chat *);
void	chat_hex_free(struct chat *);
/* A scroll key while the hex view shows: true when it was taken. */
bool	chat_hex_key(struct chat *, enum prompt_key);
/* /help's line on the kept bytes. */
void	chat_hex_help(struct chat *);
/* chat_draw.c: the hex fields of the top pane, and what the draw moved. */
void	chat_hex_pane(struct chat *, struct ui_pane *, char *title,
	    size_t titlelen);
void	chat_hex_drawn(struct chat *, const struct ui_pane *);

/* chat_raw.c: /raw, /show, the CRLF hint */
/* /raw TEXT: false when the line must stay in the input (nothing sent). */
bool	chat_raw(struct chat *, const char *arg, size_t len);
void	chat_show_toggle(struct chat *);
/* After a line went out: once per connection, say that the peer ends its
 * lines with CRLF when we send LF. */
void	chat_crlf_hint(struct chat *);

/* chat_send.c: /send FILE, /cancel */
enum chat_send_stop {
	CHAT_SEND_CANCEL,	/* /cancel, Ctrl-C */
	CHAT_SEND_LEAVE,	/* /quit: what is queued drains as it may */
	CHAT_SEND_GONE,		/* the peer left or reset (closed hook) */
	CHAT_SEND_EXIT		/* the chat ends: no notice */
};
void	chat_send_file(struct chat *, const char *arg, size_t len);
void	chat_cancel(struct chat *);
/* A file is going out: typed lines and /raw would mix into it. */
bool	chat_sending(const struct chat *);
/* Queue more of the file if there is room; say so when it is all out. */
void	chat_send_pump(struct chat *);
/* Stop reading the file, with the notice for why (nothing if no /send). */
void	chat_send_stop(struct chat *, enum chat_send_stop);
/* Its progress for the status line (nothing if no /send). */
void	chat_send_facts(struct chat *, struct status_facts *);

/* chat_find.c: /find, F3, Shift-F3 */
void	chat_find(struct chat *, const char *arg, size_t len);
void	chat_find_step(struct chat *, bool older);
/* Back to live (End, /view, /clear): the highlight goes, the text stays
 * for F3 to search again from the newest. */
void	chat_find_live(struct chat *);
/* /find's part of a frame: the matches to highlight in both panes, and
 * the facts ("match 3 of 12 for 'x'") after the top title, held in title
 * (size bytes). */
void	chat_find_frame(const struct chat *, struct ui_frame *, char *title,
	    size_t size);

/* chat_panel.c: a panel in the lower pane (/tcp F4, /trace F6).  While
 * one shows, the conversation takes the upper pane whole (both sides, as
 * F2 shows it), the panel 2/3 of the height, and PgUp/PgDn/Shift-Up/Down
 * scroll the panel (End: both back to live). */
/* Show this panel, or close it when it shows; another one is replaced. */
void	chat_panel_toggle(struct chat *, enum chat_panel);
/* A scroll key while a panel shows: true when it was taken. */
bool	chat_panel_key(struct chat *, enum prompt_key);
/* The panel's part of a frame (nothing when none shows), and after the
 * draw, the scroll the ui lowered. */
void	chat_panel_frame(struct chat *, struct ui_frame *);
void	chat_panel_drawn(struct chat *, const struct ui_frame *);
/* Rows were added to the shown panel (kind): redraw, count new below. */
void	chat_panel_added(struct chat *, enum chat_panel kind, size_t n);

/* chat_tcppanel.c: /tcp [help], and the rows of the TCP panel; title
 * (size bytes) gets the pane's title. */
void	chat_tcp_command(struct chat *, const char *arg, size_t len);
const struct ui_rows *chat_tcp_panel(struct chat *, char *title,
	    size_t size);

/* chat_trace.c: /trace, and the rows of the packet panel (--trace). */
void	chat_trace_command(struct chat *, const char *arg, size_t len);
const struct ui_rows *chat_trace_panel(struct chat *, char *title,
	    size_t size);
/* With --trace: its rows and the capture's hook (or the notice that it
 * cannot capture); -1: no memory.  _free unhooks and frees. */
int	chat_trace_init(struct chat *);
void	chat_trace_free(struct chat *);
/* The peer's opened and closed hooks: follow its 4-tuple; take its last
 * segments before the closing notices. */
void	chat_trace_opened(struct chat *, struct peer *);
void	chat_trace_closed(struct chat *, struct peer *);

/* chat_save.c: /save FILE, and the end of -o's record */
void	chat_save(struct chat *, const char *arg, size_t len);
/* Leaving: -o's record ends as the talk does (the line still arriving,
 * closed without newline; the connection we close). */
void	chat_record_end(struct chat *);

/* chat_tls.c: TLS in the chat */
/* The peer's hooks: what TLS agreed; a certificate to ask about. */
void	chat_tls_secured_cb(void *, struct peer *);
void	chat_tls_untrusted_cb(void *, struct peer *);
/* The prompt's keys hook: while a certificate waits, y/a/n/Esc answer
 * it and other typing is held off (scroll keys work); true: taken. */
bool	chat_tls_keys_cb(void *, const char *keys, size_t n);
/* Ctrl-C: true when it refused a waiting certificate (nothing else). */
bool	chat_tls_interrupt(struct chat *);
/* At start: a TLS listener's certificate (made now?) and fingerprint. */
void	chat_tls_start(struct chat *);
/* /tls, /starttls, and /help's line on our certificate. */
void	chat_tls_show(struct chat *);
void	chat_tls_starttls(struct chat *);
void	chat_tls_help(struct chat *);
/* The status line's TLS facts (and the question's hint). */
void	chat_tls_facts(struct chat *, struct status_facts *);
/* chat_marks.c: a typed line (seq) was queued to the peer; the socket
 * moved (bytes written: "·", no syscall); the peer is gone (the rest "✗",
 * how many returned) */
void	chat_marks_sent(struct chat *, uint64_t seq);
void	chat_marks_io(struct chat *);
size_t	chat_marks_end(struct chat *);
void	chat_marks_free(struct chat *);
/* chat_timeline.c: TCP's handshake, FINs, states and RST in notices (the
 * accept notice, the peer's FIN, our Ctrl-D; the words of the end) */
void	chat_timeline_accepted(struct chat *, struct peer *);
void	chat_timeline_peer_fin(struct chat *, struct peer *);
void	chat_timeline_our_fin(struct chat *, struct peer *);
void	chat_timeline_closed(const struct chat *, const struct peer *,
	    char *, size_t);
void	chat_timeline_reset(const struct chat *, const struct peer *,
	    size_t lost, char *, size_t);
/* chat_tcp.c: TCP's facts of the current peer, read at most once a second */
void	chat_tcp_facts(struct chat *, struct status_facts *);
/* A new peer: nothing of the last one's TLS carries over. */
void	chat_tls_opened(struct chat *);
/*
 * The closed hook's TLS part: the STARTTLS exchange if it was not shown,
 * the truncation, and the end in TLS's words (msg, len: end_text's words,
 * replaced; c->end_word too).  true: TLS failed (a refused or changed
 * certificate, a failed handshake): the exit status says so.
 */
bool	chat_tls_closed(struct chat *, struct peer *, enum peer_end,
	    char *msg, size_t len);

/* chat_udp.c: -u's notices: the peer came (instead of "connected"), and
 * around each datagram taken (before: a new sender; after: an empty one,
 * a refusal); /help's line */
void	chat_udp_opened(struct chat *, struct peer *);
void	chat_udp_before(struct chat *, struct peer *);
void	chat_udp_after(struct chat *, struct peer *);
void	chat_udp_help(struct chat *);

/* chat_draw.c */
void	chat_draw_cb(void *);
void	chat_print_summary(struct chat *, int rows);

#endif
