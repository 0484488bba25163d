/*
 * chat_tcppanel.c - /tcp (F4): a live table of this connection's TCP
 * facts in the lower pane, and /tcp help: what each row means, as notices.
 *
 * No reading of its own: the status line's tick (chat_tcp.c) reads
 * TCP_INFO once a second while a peer is connected and marks the panes
 * dirty while this panel shows; the table is built from that reading at
 * each draw.  When the peer has gone, the facts peer.c read as it ended
 * (p->last) stay in the table.  The rows and their words are tcppanel.c's.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "chat_int.h"
#include "clock.h"
#include "i18n.h"
#include "net.h"
#include "opts.h"
#include "status.h"
#include "tcppanel.h"
#include "ui.h"

#define PANEL_LINES	TCPPANEL_MAX_LINES

/* One chat per process: the panel's lines between two draws. */
static struct {
	struct tcppanel_row	 rows[TCPPANEL_NROWS];
	struct tcppanel_line	 lines[PANEL_LINES];
	enum ui_row_kind	 kind[PANEL_LINES];
	size_t			 nlines;
	struct ui_rows		 r;
	/* our address of the current peer's socket, looked up once */
	char			 local[NET_ADDRSTRLEN];
	int64_t			 local_started;
	int			 local_fd;
} P;

static const char *
row_cb(void *arg, size_t i, enum ui_row_kind *kind)
{
	(void)arg;
	if (i >= P.nlines)
		return NULL;
	*kind = P.kind[i];
	return P.lines[i].text;
}

/* A line of our own instead of the table, drawn dim. */
static void
note(const char *text)
{
	if (P.nlines >= PANEL_LINES)
		return;
	P.kind[P.nlines] = UI_ROW_DIM;
	snprintf(P.lines[P.nlines].text, sizeof P.lines[P.nlines].text, "%s",
	    text);
	P.nlines++;
}

static void
table(const struct tcppanel_in *in)
{
	size_t n = tcppanel_rows(in, P.rows), i;

	n = tcppanel_layout(P.rows, n, ui_cols(), P.lines + P.nlines,
	    PANEL_LINES - P.nlines);
	for (i = P.nlines; i < P.nlines + n; i++)
		P.kind[i] = P.lines[i].kind == TCPPANEL_HEAD ? UI_ROW_HEAD :
		    P.lines[i].kind == TCPPANEL_ALERT ? UI_ROW_ALERT :
		    UI_ROW_PLAIN;
	P.nlines += n;
}

static const char *
local_addr(const struct peer *p)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (P.local_started != p->s.started_ms || P.local_fd != p->s.st.fd) {
		P.local[0] = '\0';
		if (getsockname(p->s.st.fd, (struct sockaddr *)&ss, &len) == 0)
			net_addr_str((struct sockaddr *)&ss, len, P.local,
			    sizeof P.local);
		P.local_started = p->s.started_ms;
		P.local_fd = p->s.st.fd;
	}
	return P.local;
}

/* The connected peer: the reading of this draw's status line. */
static void
live(struct chat *c, char *title, size_t size)
{
	const struct peer *p = c->p;
	struct tcppanel_in in = { &c->tcp, local_addr(p), p->s.peer,
	    clock_now_ms() - p->s.started_ms, !p->listening, p->s.peer_eof,
	    false };
	char rtt[32];

	if (c->tcp_started != p->s.started_ms || c->tcp_fd != p->s.st.fd ||
	    !c->tcp.ok) {
		snprintf(title, size, _("TCP facts of %s"), p->s.peer);
		note(_("This system does not tell tcptalk the TCP facts of a "
		    "connection (TCP_INFO)."));
		return;
	}
	/* whole sentences for the translator: the state's name is TCP's
	 * (ESTABLISHED), the RTT a number; --proxy: our TCP connection is
	 * the one to the proxy */
	status_us(rtt, sizeof rtt, c->tcp.rtt_us);
	if (c->o->proxy != NULL && c->tcp.rtt_us > 0)
		snprintf(title, size, _("TCP facts of the connection to the "
		    "proxy %s: %s, smoothed RTT %s; /tcp help explains the "
		    "rows"),
		    p->s.peer, tcpinfo_state_name(c->tcp.state), rtt);
	else if (c->o->proxy != NULL)
		snprintf(title, size, _("TCP facts of the connection to the "
		    "proxy %s: %s, no RTT measured yet; /tcp help explains the "
		    "rows"),
		    p->s.peer, tcpinfo_state_name(c->tcp.state));
	else if (c->tcp.rtt_us > 0)
		snprintf(title, size, _("TCP facts of %s: %s, smoothed RTT %s; "
		    "/tcp help explains the rows"), p->s.peer,
		    tcpinfo_state_name(c->tcp.state), rtt);
	else
		snprintf(title, size, _("TCP facts of %s: %s, no RTT measured "
		    "yet; /tcp help explains the rows"), p->s.peer,
		    tcpinfo_state_name(c->tcp.state));
	table(&in);
}

/* No peer now: the last one's facts as it ended, if one did. */
static void
gone(struct chat *c, char *title, size_t size)
{
	const struct peer *p = c->p;
	/* "closed": orderly, a FIN each way and ours acknowledged */
	bool orderly = p->last.end != NULL && strcmp(p->last.end, "closed") == 0;
	struct tcppanel_in in = { &p->last.ti, p->last_local, c->peer_addr,
	    p->last.duration_ms, !p->listening, orderly || c->said_peer_eof,
	    orderly };

	if (c->end_word == NULL) {
		snprintf(title, size, _("TCP facts"));
		note(_("No peer is connected yet; the table fills in once one "
		    "is."));
		return;
	}
	/* the title says it: a note above would be the first line the
	 * pane leaves out */
	snprintf(title, size, _("TCP facts of %s as the connection ended; no "
	    "peer now"), c->peer_addr);
	table(&in);
}

const struct ui_rows *
chat_tcp_panel(struct chat *c, char *title, size_t size)
{
	P.nlines = 0;
	if (c->o->udp) {
		snprintf(title, size, _("TCP facts"));
		note(_("TCP facts do not apply: -u talks UDP, which has no "
		    "connection, no ACKs and no windows."));
	} else if (c->o->unix_path != NULL) {
		snprintf(title, size, _("TCP facts"));
		note(_("TCP facts do not apply: -U talks over a Unix socket, "
		    "where no TCP runs."));
	} else if (c->p->have_s) {
		live(c, title, size);
	} else {
		gone(c, title, size);
	}
	P.r = (struct ui_rows){ .nrows = P.nlines, .row = row_cb,
	    .arg = c, .from_top = true };
	return &P.r;
}

/* /tcp help [WORD]: every explanation, or those that mention WORD. */
static void
help(struct chat *c, const char *word, size_t len)
{
	char w[64];
	size_t i, shown = 0;
	const char *h;

	if (len >= sizeof w)
		len = sizeof w - 1;
	memcpy(w, word, len);
	w[len] = '\0';
	for (i = 0; (h = tcppanel_help(i)) != NULL; i++) {
		if (len > 0 && strcasestr(h, w) == NULL)
			continue;
		chat_info(c, "%s", h);
		shown++;
	}
	if (shown == 0)
		chat_info(c, _("No explanation of the TCP panel mentions '%s'; "
		    "/tcp help shows them all."), w);
}

void
chat_tcp_command(struct chat *c, const char *arg, size_t len)
{
	while (len > 0 && *arg == ' ') {
		arg++;
		len--;
	}
	while (len > 0 && arg[len - 1] == ' ')
		len--;
	if (len == 0) {
		chat_panel_toggle(c, CHAT_PANEL_TCP);
	} else if (len >= 4 && strncasecmp(arg, "help", 4) == 0 &&
	    (len == 4 || arg[4] == ' ')) {
		arg += 4;
		len -= 4;
		while (len > 0 && *arg == ' ') {
			arg++;
			len--;
		}
		help(c, arg, len);
	} else {
		chat_info(c, _("/tcp shows or hides the TCP panel (also F4); "
		    "/tcp help explains its rows, /tcp help WORD those that "
		    "mention WORD."));
	}
}
