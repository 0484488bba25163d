/*
 * ui.c - the only file that talks to curses.  Draws the panes from the
 * scrollback rings, the status line and the input line, into windows that
 * are refreshed with wnoutrefresh (input last, so the cursor stays there)
 * and one doupdate per wake-up.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "hexview.h"
#include "i18n.h"
#include "input_view.h"
#include "invisible.h"
#include "marks.h"
#include "roomline.h"
#include "search.h"
#include "transcript.h"
#include "ui.h"
#include "width.h"

#define MIN_COLS	20
#define MIN_ROWS	6
#define MAX_WRAP	8192	/* rows of one line we place; a 64 KiB line fits */
#define GUTTER_TIME	9	/* "HH:MM:SS " */

enum { PAIR_PEER = 1, PAIR_LOCAL, PAIR_INFO, PAIR_BAR, PAIR_ALERT,
	PAIR_ALERT_BAR, PAIR_NAME };	/* PAIR_NAME + 0..ROOMLINE_COLOURS-1 */

/* Room members' names: none of the colours above (peer green, ours cyan,
 * notices yellow, alarms red).  With 8 colours, two hues and attributes. */
static const short name_256[ROOMLINE_COLOURS] = { 5, 4, 208, 141, 69, 175 };
static const short name_8[ROOMLINE_COLOURS] = { COLOR_MAGENTA, COLOR_BLUE,
	COLOR_MAGENTA, COLOR_BLUE, COLOR_MAGENTA, COLOR_BLUE };
static const attr_t name_8_attr[ROOMLINE_COLOURS] = { A_NORMAL, A_NORMAL,
	A_BOLD, A_BOLD, A_UNDERLINE, A_UNDERLINE };

static struct {
	SCREEN	*scr;
	WINDOW	*top, *bottom, *status, *input;
	bool	 small;
	bool	 color;
	bool	 tall;		/* a panel below: it takes 2/3, not 1/3 */
	int	 rows, cols;
	size_t	 starts[MAX_WRAP];
} U;

static void
destroy_windows(void)
{
	WINDOW **w[] = { &U.top, &U.bottom, &U.status, &U.input };
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++) {
		if (*w[i] != NULL)
			delwin(*w[i]);
		*w[i] = NULL;
	}
}

/* Rows: top pane 2/3 and bottom 1/3 of what the status and input leave,
 * the bottom never less than its title and one line. */
static int
top_height(void)
{
	int avail = U.rows - 2, third = avail / 3 < 2 ? 2 : avail / 3;

	return U.tall && avail - third >= 2 ? third : avail - third;
}

static void
build_windows(void)
{
	int th;

	destroy_windows();
	U.small = U.cols < MIN_COLS || U.rows < MIN_ROWS;
	if (U.small)
		return;
	th = top_height();
	U.top = newwin(th, U.cols, 0, 0);
	U.bottom = newwin(U.rows - 2 - th, U.cols, th, 0);
	U.status = newwin(1, U.cols, U.rows - 2, 0);
	U.input = newwin(1, U.cols, U.rows - 1, 0);
}

int
ui_init(void)
{
	struct termios t;

	U.scr = newterm(NULL, stdout, stdin);
	if (U.scr == NULL)
		return -1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	/* readline reads the keys, not curses: no typeahead polls per update */
	typeahead(-1);
	keypad(stdscr, FALSE);	/* readline must see the raw key sequences */
	/* Ctrl-S would freeze output; readline wants it (forward search). */
	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)IXON;
		/* Ctrl-V is readline's quoted insert; where the terminal
		 * obeys VLNEXT outside canonical mode (BSD) it would eat it */
		t.c_cc[VLNEXT] = _POSIX_VDISABLE;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
		def_prog_mode();
	}
	curs_set(1);
	U.color = has_colors() && getenv("NO_COLOR") == NULL;
	if (U.color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_PEER, COLOR_GREEN, -1);
		init_pair(PAIR_LOCAL, COLOR_CYAN, -1);
		init_pair(PAIR_INFO, COLOR_YELLOW, -1);
		init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_ALERT, COLOR_RED, -1);
		init_pair(PAIR_ALERT_BAR, COLOR_WHITE, COLOR_RED);
		for (int i = 0; i < ROOMLINE_COLOURS; i++)
			init_pair((short)(PAIR_NAME + i), COLORS >= 256 ?
			    name_256[i] : name_8[i], -1);
	}
	U.rows = LINES;
	U.cols = COLS;
	build_windows();
	return 0;
}

void
ui_end(void)
{
	if (U.scr == NULL)
		return;
	destroy_windows();
	endwin();
	delscreen(U.scr);
	U.scr = NULL;
}

void
ui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0) {
		/* resize_term, not resizeterm: no KEY_RESIZE to loop on */
		resize_term(ws.ws_row, ws.ws_col);
		U.rows = ws.ws_row;
		U.cols = ws.ws_col;
	}
	build_windows();
	clearok(curscr, TRUE);
}

void
ui_suspend(void)
{
	if (U.scr != NULL)
		endwin();	/* shell modes, main screen, cursor shown */
}

void
ui_resume(void)
{
	if (U.scr == NULL)
		return;
	/* also after a SIGSTOP we never saw: the shell may have reset the
	 * modes; doupdate goes back to the alternate screen after endwin */
	reset_prog_mode();
	ui_resize();		/* the size may have changed meanwhile */
}

void
ui_repaint(void)
{
	clearok(curscr, TRUE);
}

int
ui_cols(void)
{
	return U.cols;
}

int
ui_notice_cols(bool timestamps)
{
	/* "* " in the split view, the '*' gutter in the merged one */
	int cols = U.cols - 2 - (timestamps ? GUTTER_TIME : 0);

	return cols < WIDTH_MIN_COLS ? WIDTH_MIN_COLS : cols;
}

int
ui_pane_rows(bool merged, bool top)
{
	if (U.small)
		return 1;
	if (merged)
		return U.rows - 3;
	return (top ? top_height() : U.rows - 2 - top_height()) - 1;
}

static attr_t
kind_attr(int kind)
{
	if (!U.color)
		return kind == TR_NOTICE ? A_BOLD : A_NORMAL;
	switch (kind) {
	case TR_RECV: return COLOR_PAIR(PAIR_PEER);
	case TR_SENT: return COLOR_PAIR(PAIR_LOCAL);
	default: return COLOR_PAIR(PAIR_INFO);
	}
}

/* An alert (TR_F_ALERT) is a notice in bold red, or bold reverse video;
 * a room's "* " line is drawn as a notice. */
static attr_t
line_attr(const struct sb_line *l)
{
	if (l->kind == TR_NOTICE && (l->flags & TR_F_ALERT))
		return U.color ? COLOR_PAIR(PAIR_ALERT) | A_BOLD :
		    A_BOLD | A_REVERSE;
	if (l->kind == TR_RECV && (l->flags & TR_F_ROOM_NOTE))
		return kind_attr(TR_NOTICE);
	return kind_attr(l->kind);
}

/* A room member's name (TR_F_ROOM_SAY): bold, in its colour. */
static attr_t
name_attr(unsigned hue)
{
	hue %= ROOMLINE_COLOURS;
	if (!U.color)
		return A_BOLD;
	return COLOR_PAIR(PAIR_NAME + (int)hue) | A_BOLD |
	    (COLORS >= 256 ? A_NORMAL : name_8_attr[hue]);
}

/* Draw bytes [from, to) of display text at the cursor; markers toggle dim. */
static void
draw_text(WINDOW *w, const char *s, size_t from, size_t to, attr_t base)
{
	size_t i = from, j;

	while (i < to) {
		if (s[i] == WIDTH_DIM_ON || s[i] == WIDTH_DIM_OFF) {
			wattrset(w, s[i] == WIDTH_DIM_ON ? base | A_DIM : base);
			i++;
			continue;
		}
		for (j = i; j < to && s[j] != WIDTH_DIM_ON && s[j] != WIDTH_DIM_OFF; j++)
			;
		waddnstr(w, s + i, (int)(j - i));
		i = j;
	}
}

/* Is the dim marker open at byte offset `at` of s? (for a wrapped row) */
static bool
dim_open_at(const char *s, size_t at)
{
	bool dim = false;
	size_t i;

	for (i = 0; i < at; i++)
		if (s[i] == WIDTH_DIM_ON || s[i] == WIDTH_DIM_OFF)
			dim = s[i] == WIDTH_DIM_ON;
	return dim;
}

/* Bytes of s that fit in cols columns, never cutting a character. */
static size_t
fit_cols(const char *s, int cols)
{
	size_t i = 0, n = strlen(s);
	uint32_t cp;
	int len, used = 0, wd;

	while (i < n) {
		if ((len = width_utf8(s + i, n - i, &cp)) < 0) {
			len = 1;
			wd = 1;
		} else {
			wd = width_cp(cp);
		}
		if (used + wd > cols)
			break;
		used += wd;
		i += (size_t)len;
	}
	return i;
}

/* Draw s at (y, x) in at most cols columns: cut at a character, with an
 * ellipsis where it was cut, so a cut sentence says so. */
static void
draw_fit(WINDOW *w, int y, int x, const char *s, int cols)
{
	size_t n;

	if (cols <= 0)
		return;
	n = fit_cols(s, cols);
	if (s[n] == '\0') {
		mvwaddnstr(w, y, x, s, (int)n);
		return;
	}
	n = fit_cols(s, cols - 1);
	mvwaddnstr(w, y, x, s, (int)n);
	waddstr(w, "…");
}

static void
draw_title(WINDOW *w, const struct ui_pane *p)
{
	char extra[256] = "", note[240];
	int x;

	wmove(w, 0, 0);
	wattrset(w, A_REVERSE | (U.color ? COLOR_PAIR(PAIR_BAR) : 0));
	for (x = 0; x < U.cols; x++)
		waddch(w, ' ');
	wmove(w, 0, 1);
	draw_fit(w, 0, 1, p->title, U.cols - 2);
	if (p->scroll > 0) {
		if (p->new_below > 0)
			/* TRANSLATORS: at the right of a scrolled pane's
			 * title; End is the key back to the live end. */
			snprintf(note, sizeof note, P_("%zu new below, End: "
			    "live",
			    "%zu new below, End: live", p->new_below),
			    p->new_below);
		else
			snprintf(note, sizeof note, "%s",
			    _("scrolled up, End: live"));
		snprintf(extra, sizeof extra, " -- %s ", note);
		x = U.cols - (int)width_str(extra, strlen(extra));
		if (x > (int)width_str(p->title, strlen(p->title)) + 2) {
			wattron(w, A_BOLD);
			mvwaddstr(w, 0, x, extra);
		}
	}
	wattrset(w, A_NORMAL);
}

/* The dim mark after an entry's text: it has no newline (closed or still
 * open), or a typed line's delivery mark (marks.h); NULL for none. */
static const char *
end_mark(const struct sb_line *l)
{
	if (l->state == TR_NONL)
		return TR_MARK_NONL;
	if (l->state == TR_OPEN)
		return TR_MARK_OPEN;
	if (l->kind != TR_SENT)
		return NULL;
	switch ((l->flags & TR_F_MARK) >> TR_F_MARK_SHIFT) {
	case MARK_WRITTEN:
		return TR_MARK_WRITTEN;
	case MARK_ACKED:
		return TR_MARK_ACKED;
	case MARK_FAILED:
		return TR_MARK_FAILED;
	}
	return NULL;
}

/* One entry as drawn: its text (with /show, its invisible characters
 * marked: invisible.h), plus its dim end mark (end_mark).  *owned is set
 * when the string must be freed. */
static const char *
shown_text(const struct sb_line *l, bool show, size_t *len, char **owned)
{
	const char *mark = end_mark(l);
	const char *text = l->text;
	size_t ml = mark != NULL ? strlen(mark) + 3 : 0, j;
	size_t tl = l->len;
	unsigned how = show ? INVISIBLE_SHOW : 0;
	char *inv = NULL;

	/* a finished line's end is known: CRLF or LF alone */
	if (show && l->kind != TR_NOTICE && l->state == TR_DONE)
		how |= l->flags & TR_F_CRLF ? INVISIBLE_CRLF : INVISIBLE_LF;
	/* the tab marks are dropped even without /show */
	if ((show || memchr(l->text, WIDTH_TAB, l->len) != NULL) &&
	    (inv = invisible_text(l->text, l->len, how, &tl)) != NULL)
		text = inv;
	*owned = inv;
	*len = tl;
	if (mark == NULL)
		return text;
	if ((*owned = malloc(tl + ml + 1)) == NULL) {
		*owned = inv;
		return text;
	}
	memcpy(*owned, text, tl);
	free(inv);
	j = tl;
	if (mark != NULL) {
		(*owned)[j++] = ' ';
		(*owned)[j++] = WIDTH_DIM_ON;
		memcpy(*owned + j, mark, ml - 3);
		j += ml - 3;
		(*owned)[j++] = WIDTH_DIM_OFF;
	}
	(*owned)[j] = '\0';
	*len = j;
	return *owned;
}

/* /find's matches in one entry, met in order as its rows are drawn; a
 * match may run on from one row to the next. */
struct hl {
	struct search	 q;
	const char	*s;
	size_t		 n, start, end;
	bool		 found;
	attr_t		 attr;		/* reverse; bold too in the current entry */
};

static void
hl_init(struct hl *h, const struct ui_pane *p, const struct sb_line *l,
    const char *s, size_t n)
{
	search_init(&h->q, p->find, p->find != NULL ? p->find_len : 0);
	h->s = s;
	h->n = n;
	h->attr = A_REVERSE | (l->seq == p->find_seq ? A_BOLD : 0);
	h->found = search_in(&h->q, s, n, 0, &h->start, &h->end);
}

/* Bytes [a, b) of display text in attr, dim where the markers say (dim:
 * on at a); returns whether dim is on at b. */
static bool
draw_span(WINDOW *w, const char *s, size_t a, size_t b, attr_t attr, bool dim)
{
	size_t i;

	if (a >= b)
		return dim;
	wattrset(w, attr | (dim ? A_DIM : 0));
	draw_text(w, s, a, b, attr);
	for (i = a; i < b; i++)
		if (s[i] == WIDTH_DIM_ON || s[i] == WIDTH_DIM_OFF)
			dim = s[i] == WIDTH_DIM_ON;
	return dim;
}

/* Bytes [from, to) of an entry's text with its matches highlighted. */
static void
draw_found(WINDOW *w, const char *s, size_t from, size_t to, attr_t base,
    struct hl *h)
{
	bool dim = dim_open_at(s, from);
	size_t at, a, b;

	for (at = from; at < to; at = b) {
		while (h->found && h->end <= at)
			h->found = search_in(&h->q, h->s, h->n, h->end,
			    &h->start, &h->end);
		if (!h->found || h->start >= to) {
			a = b = to;
		} else {
			a = h->start > at ? h->start : at;
			b = h->end < to ? h->end : to;
		}
		dim = draw_span(w, s, at, a, base, dim);
		dim = draw_span(w, s, a, b, base | h->attr, dim);
	}
}

/* Where a member's name stands in the text as drawn (/show may have
 * changed it: then no colour): bytes [*ns, *ne). */
static bool
name_at(const struct sb_line *l, const char *text, size_t *ns, size_t *ne)
{
	size_t n = TR_NAME_LEN(l->flags), at = TR_NAME_AT(l->flags);

	if (!(l->flags & TR_F_ROOM_SAY) || n == 0 || at + n >= l->len ||
	    strlen(text) < at + n || memcmp(text + at, l->text + at, n) != 0)
		return false;
	*ns = at;
	*ne = at + n;
	return true;
}

static void
draw_row(WINDOW *w, int y, const struct sb_line *l, const char *text,
    size_t from, size_t to, bool first, int gutter, bool star, bool stamps,
    struct hl *hl)
{
	char ts[16], mark[3];
	size_t ns, ne;

	wmove(w, y, 0);
	if (first && gutter > 0) {
		wattrset(w, A_DIM);
		if (stamps) {
			transcript_hms(l->when_ms, ts);
			waddstr(w, ts);
			waddch(w, ' ');
		}
		if (star) {
			mark[0] = l->kind == TR_RECV ? '<' :
			    l->kind == TR_SENT ? '>' : '*';
			mark[1] = ' ';
			mark[2] = '\0';
			wattrset(w, line_attr(l) | A_BOLD);
			waddstr(w, mark);
		}
	}
	/* continuation rows start under the text, not under the time */
	wmove(w, y, gutter);
	if (name_at(l, text, &ns, &ne) && from < ne && to > ns) {
		/* before the name, the name in its colour, after it */
		draw_found(w, text, from, ns > from ? ns : from, line_attr(l), hl);
		draw_found(w, text, ns > from ? ns : from, ne < to ? ne : to,
		    name_attr(TR_HUE(l->flags)), hl);
		draw_found(w, text, ne < to ? ne : to, to, line_attr(l), hl);
	} else {
		draw_found(w, text, from, to, line_attr(l), hl);
	}
	wattrset(w, A_NORMAL);
}

#define PANE_MAX_LINES	512	/* entries one pane can show at once */

/*
 * Entries newest first from p->scroll back; when the walk reaches the
 * oldest kept entry before the pane is full, scroll is lowered so the pane
 * shows the oldest rows at its top instead of blank rows.
 */
static void
draw_pane(WINDOW *w, struct ui_pane *p)
{
	const struct sb_line *vis[2 * PANE_MAX_LINES], *back[PANE_MAX_LINES], *l;
	int rows[2 * PANE_MAX_LINES], h, used = 0, n = 0, nback = 0, gutter;
	int textcols, ngutter, ntextcols, g, r, y, skip, i;
	struct tr_walk wk;
	struct hl hl;
	size_t s, len;
	const char *text;
	char *owned;
	bool at_top = false;

	werase(w);
	h = getmaxy(w) - 1;
	gutter = (p->timestamps ? GUTTER_TIME : 0) + (p->merged ? 2 : 0);
	if (gutter > U.cols - 4)
		gutter = 0;
	textcols = U.cols - gutter < WIDTH_MIN_COLS ? WIDTH_MIN_COLS : U.cols - gutter;
	/* a notice's "* " hangs in a gutter of its own in the split view,
	 * so its wrapped rows start under its text (the merged view has one) */
	ngutter = !p->merged && gutter + 2 <= U.cols - 4 ? gutter + 2 : gutter;
	ntextcols = U.cols - ngutter < WIDTH_MIN_COLS ? WIDTH_MIN_COLS :
	    U.cols - ngutter;
#define COLS_OF(l)	((l)->kind == TR_NOTICE ? ntextcols : textcols)
	tr_walk_init(&wk, p->t, p->merged, p->side);
	/* skip what is scrolled below; the last skipped come back if needed */
	for (s = 0; s < p->scroll && (l = tr_walk_prev(&wk)) != NULL; s++)
		back[s % PANE_MAX_LINES] = l;
	nback = s < PANE_MAX_LINES ? (int)s : PANE_MAX_LINES;
	p->scroll = s;
	while (used < h && n < PANE_MAX_LINES && (l = tr_walk_prev(&wk)) != NULL) {
		text = shown_text(l, p->show, &len, &owned);
		rows[n] = width_wrap(text, len, COLS_OF(l), U.starts, MAX_WRAP);
		free(owned);
		vis[n++] = l;
		used += rows[n - 1];
	}
	if (used < h && p->scroll > 0) {
		/* reached the oldest: take back entries from below, oldest at top */
		at_top = true;
		memmove(vis + nback, vis, (size_t)n * sizeof *vis);
		memmove(rows + nback, rows, (size_t)n * sizeof *rows);
		for (i = nback - 1; i >= 0 && used < h; i--) {
			p->scroll--;
			l = back[p->scroll % PANE_MAX_LINES];
			vis[i] = l;
			text = shown_text(l, p->show, &len, &owned);
			rows[i] = width_wrap(text, len, COLS_OF(l), U.starts,
			    MAX_WRAP);
			free(owned);
			used += rows[i];
		}
		/* entries [i+1, nback) were taken back; close the gap */
		memmove(vis + 0, vis + i + 1, (size_t)(n + nback - i - 1) * sizeof *vis);
		memmove(rows + 0, rows + i + 1, (size_t)(n + nback - i - 1) * sizeof *rows);
		n += nback - i - 1;
	}
	if (p->new_below > p->scroll)
		p->new_below = p->scroll;
	draw_title(w, p);
	/* oldest visible entry first; normally its top rows may be cut off,
	 * but at the oldest kept entry the cut is at the bottom instead */
	skip = used > h && !at_top ? used - h : 0;
	y = 1;
	for (i = n - 1; i >= 0 && y <= h; i--) {
		l = vis[i];
		g = l->kind == TR_NOTICE ? ngutter : gutter;
		text = shown_text(l, p->show, &len, &owned);
		width_wrap(text, len, COLS_OF(l), U.starts, MAX_WRAP);
		hl_init(&hl, p, l, text, len);
		for (r = 0; r < rows[i] && r < MAX_WRAP && y <= h; r++) {
			size_t from = U.starts[r];
			size_t to = r + 1 < rows[i] && r + 1 < MAX_WRAP ?
			    U.starts[r + 1] : len;

			if (skip > 0) {
				skip--;
				continue;
			}
			/* the '*' of a notice's own gutter, or the merged view's */
			draw_row(w, y++, l, text, from, to, r == 0, g,
			    p->merged || g > gutter,
			    p->timestamps && gutter >= GUTTER_TIME, &hl);
		}
		free(owned);
	}
#undef COLS_OF
	wnoutrefresh(w);
}

#define HEX_PANE_MAX	512	/* rows of a hex pane we draw */

/* One hex row at y: the merged view's '<' / '>' gutter before a byte row
 * (a header starts with its own), then the text in the side's colour,
 * the marked bytes in reverse video in both the hex and ASCII parts. */
static void
draw_hex_row(WINDOW *w, int y, const struct hexview_row *row, bool merged)
{
	attr_t a = kind_attr(row->dir == '<' ? TR_RECV : TR_SENT);
	int x = merged && !row->header ? 2 : 0, i, col;
	char mark[3] = { row->dir, ' ', '\0' };

	if (x > 0) {
		wattrset(w, a | A_BOLD);
		mvwaddstr(w, y, 0, mark);
	}
	wattrset(w, row->header ? a | A_BOLD : a);
	mvwaddnstr(w, y, x, row->text, U.cols - x > 0 ? U.cols - x : 0);
	wattrset(w, a | A_REVERSE);
	for (i = row->hl_from; i < row->hl_to; i++) {
		col = x + (int)hexview_hex_col(row, (size_t)i);
		if (col + 2 <= U.cols)
			mvwaddnstr(w, y, col, row->text + col - x, 2);
		col = x + (int)hexview_ascii_col(row, (size_t)i);
		if (col < U.cols)
			mvwaddnstr(w, y, col, row->text + col - x, 1);
	}
	wattrset(w, A_NORMAL);
}

/* The hex view of a pane: its rows from hexview, oldest at the top; a
 * copy of the pane gives draw_title the scrolled-up word. */
static void
draw_hex_pane(WINDOW *w, struct ui_pane *p)
{
	struct hexview_at at[HEX_PANE_MAX];
	struct hexview_row row;
	struct ui_pane t = *p;
	size_t n, i;
	int h, y;

	werase(w);
	h = getmaxy(w) - 1;
	if (h > HEX_PANE_MAX)
		h = HEX_PANE_MAX;
	n = hexview_rows(p->ring, p->merged, &p->hexpos, at,
	    h > 0 ? (size_t)h : 0);
	t.scroll = p->hexpos.live ? 0 : 1;
	t.new_below = 0;
	draw_title(w, &t);
	for (y = 1, i = n; i-- > 0; y++) {
		hexview_format(p->ring, &at[i], p->hexmark, hexview_local_tod,
		    &row);
		draw_hex_row(w, y, &row, p->merged);
	}
	wnoutrefresh(w);
}

static attr_t
row_attr(enum ui_row_kind kind)
{
	switch (kind) {
	case UI_ROW_HEAD: return A_BOLD;
	case UI_ROW_DIM: return A_DIM;
	case UI_ROW_IN: return kind_attr(TR_RECV);
	case UI_ROW_OUT: return kind_attr(TR_SENT);
	case UI_ROW_ALERT:
		return U.color ? COLOR_PAIR(PAIR_ALERT) | A_BOLD :
		    A_BOLD | A_REVERSE;
	default: return A_NORMAL;
	}
}

/* A panel: the newest rows at the bottom unless scrolled up. */
static void
draw_rows_pane(WINDOW *w, struct ui_pane *p)
{
	const struct ui_rows *r = p->rows;
	enum ui_row_kind kind;
	const char *text;
	size_t first, i;
	int h, y;

	werase(w);
	h = getmaxy(w) - 1;
	if (h < 0)
		h = 0;
	if (r->nrows <= (size_t)h)
		p->scroll = 0;
	else if (p->scroll > r->nrows - (size_t)h)
		p->scroll = r->nrows - (size_t)h;
	if (p->new_below > p->scroll)
		p->new_below = p->scroll;
	if (r->from_top) {
		struct ui_pane t = *p;

		t.scroll = t.new_below = 0;
		draw_title(w, &t);
		first = p->scroll;
	} else {
		draw_title(w, p);
		first = r->nrows > (size_t)h ?
		    r->nrows - (size_t)h - p->scroll : 0;
	}
	for (y = 1, i = first; i < r->nrows && y <= h; i++, y++) {
		kind = UI_ROW_PLAIN;
		text = r->row(r->arg, i, &kind);
		if (text == NULL)
			continue;
		wattrset(w, row_attr(kind));
		draw_fit(w, y, 0, text, U.cols);
	}
	wattrset(w, A_NORMAL);
	wnoutrefresh(w);
}

static void
draw_any_pane(WINDOW *w, struct ui_pane *p)
{
	if (p->rows != NULL)
		draw_rows_pane(w, p);
	else if (p->hex)
		draw_hex_pane(w, p);
	else
		draw_pane(w, p);
}

static void
draw_status(const char *status, bool alert)
{
	int x;

	werase(U.status);
	/* an unverified or refused TLS peer: the whole bar in alarm red */
	wattrset(U.status, alert ? (U.color ? COLOR_PAIR(PAIR_ALERT_BAR) |
	    A_BOLD : A_REVERSE | A_BOLD) : A_REVERSE);
	for (x = 0; x < U.cols; x++)
		waddch(U.status, ' ');
	draw_fit(U.status, 0, 1, status, U.cols - 2);
	wattrset(U.status, A_NORMAL);
	wnoutrefresh(U.status);
}

/* Input line: prompt, then the part of the text input_view picks (O(columns)
 * however long the line); control characters as ^X, invalid bytes as '?',
 * dim '<' / '>' where the text is cut. */
static void
draw_input(const struct ui_frame *f)
{
	static struct input_view v;	/* kept: the view stays still while the
					 * cursor moves inside it */
	const unsigned char *s = (const unsigned char *)f->line;
	char caret[3] = "^";
	size_t i, clen;
	uint32_t cp;

	input_view_fit(&v, width_str(f->prompt, strlen(f->prompt)), f->line,
	    f->len, f->point, U.cols);
	werase(U.input);
	wattrset(U.input, A_BOLD);
	mvwaddnstr(U.input, 0, 0, f->prompt, (int)strlen(f->prompt));
	wattrset(U.input, A_NORMAL);
	wmove(U.input, 0, (int)v.prompt_cols);
	wclrtoeol(U.input);
	if (v.left) {
		wattrset(U.input, A_DIM);
		waddch(U.input, '<');
		wattrset(U.input, A_NORMAL);
	}
	for (i = v.start; i < v.end; i += clen) {
		(void)input_view_char(f->line + i, f->len - i, &clen);
		if (s[i] < 0x20 || s[i] == 0x7f) {
			caret[1] = s[i] == 0x7f ? '?' : (char)(s[i] + '@');
			wattron(U.input, A_DIM);
			waddstr(U.input, caret);
			wattroff(U.input, A_DIM);
		} else if (width_utf8(f->line + i, clen, &cp) < 0 ||
		    (cp >= 0x80 && cp < 0xa0)) {
			waddch(U.input, '?');	/* invalid byte or C1 control */
		} else {
			waddnstr(U.input, f->line + i, (int)clen);
		}
	}
	if (v.right) {
		wattrset(U.input, A_DIM);
		mvwaddch(U.input, 0, U.cols - 1, '>');
		wattrset(U.input, A_NORMAL);
	}
	wmove(U.input, 0, v.cursor);
	wnoutrefresh(U.input);
}

/* Say so in as many words as fit: a cut sentence reads as nonsense. */
static void
draw_too_small(void)
{
	/* TRANSLATORS: the longest that fits the terminal's width is
	 * shown, so each is shorter than the one before. */
	static const char *const says[] = { N_("too small: tcptalk needs 20x6"),
	    N_("too small: needs 20x6"), N_("too small"), N_("small"), "!" };
	const char *say = says[sizeof says / sizeof says[0] - 1];
	size_t i;

	for (i = 0; i < sizeof says / sizeof says[0] - 1; i++)
		if ((int)width_str(_(says[i]), strlen(_(says[i]))) <= U.cols) {
			say = _(says[i]);
			break;
		}
	mvwaddstr(stdscr, 0, 0, say);	/* it fits: no cut inside a character */
}

void
ui_draw(struct ui_frame *f, unsigned what)
{
	if (U.scr == NULL)
		return;
	if (U.small) {
		werase(stdscr);
		draw_too_small();
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (what & UI_PANES) {
		if (f->merged) {
			/* the top window is rebuilt to take the whole height */
			wresize(U.top, U.rows - 2, U.cols);
			draw_any_pane(U.top, &f->top);
		} else {
			if (U.tall != (f->bottom.rows != NULL)) {
				U.tall = f->bottom.rows != NULL;
				build_windows();	/* the split moved */
				what |= UI_STATUS;	/* new windows, all blank */
			}
			wresize(U.top, top_height(), U.cols);
			draw_any_pane(U.top, &f->top);
			draw_any_pane(U.bottom, &f->bottom);
		}
	}
	if (what & UI_STATUS)
		draw_status(f->status, f->status_alert);
	draw_input(f);		/* always last: it owns the cursor */
	doupdate();
}
