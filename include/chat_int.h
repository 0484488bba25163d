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

#include "net.h"
#include "prompt.h"
#include "transcript.h"

struct loop;
struct peer;
struct tt_opts;

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
	/* the last peer, kept for the status line after it left */
	char			 peer_addr[NET_ADDRSTRLEN];
	const char		*end_word;
	uint64_t		 last_in, last_out;
	int64_t			 last_secs;
	uint64_t		 out_at_fin;	/* bytes sent when the peer's FIN came */
};

/* chat.c */
void	chat_info(struct chat *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	chat_added(struct chat *, int pane, uint64_t n);
void	chat_sync_open_line(struct chat *);
void	chat_leave(struct chat *, int status);

/* chat_cmd.c */
void	chat_line_cb(void *, char *);
void	chat_key_cb(void *, enum prompt_key);
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

/* chat_raw.c: /raw, /show, the CRLF hint */
void	chat_raw(struct chat *, const char *arg, size_t len);
void	chat_show_toggle(struct chat *);

/* chat_send.c: /send FILE, /cancel */
void	chat_send_file(struct chat *, const char *arg, size_t len);
void	chat_cancel(struct chat *);

/* chat_find.c: /find, F3, Shift-F3 */
void	chat_find(struct chat *, const char *arg, size_t len);
void	chat_find_step(struct chat *, bool older);

/* chat_save.c: /save FILE */
void	chat_save(struct chat *, const char *arg, size_t len);

/* chat_draw.c */
void	chat_draw_cb(void *);
void	chat_print_summary(struct chat *, int rows);

#endif
