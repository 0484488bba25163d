/*
 * prompt.c - readline's callback interface inside our poll loop.
 *
 * Follows ../shared/READLINE-NCURSES.md: our own getc reads the chunk the
 * loop just read (no copy), our own redisplay only marks the line dirty (ui
 * draws it), and readline never touches the terminal modes.  In line mode
 * (../shared/LINE-MODE.md) readline draws, and the open received line is
 * the start of its prompt.  Enter is ours in both modes: an input holding
 * newlines is delivered line by line, and a refused line stops the rest of
 * a paste from being taken as Enter presses.  readline is global state, so
 * this module's state is too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "i18n.h"
#include "prompt.h"
#include "width.h"

#define HISTORY_MAX	1000
#define HISTORY_BYTES	(16 * 1024 * 1024)	/* read no more of a file */
#define GETC_WAIT_MS	100	/* rest of a multibyte key readline insists on */
#define HOLD_MS		50	/* pieces of one paste come closer than this */
#define OPEN_MAX_BYTES	(64 * 4)	/* tail of an open line in the prompt */

static struct {
	struct prompt_hooks	 hooks;
	const char		*in;		/* the chunk being fed */
	size_t			 in_len, in_pos;
	bool			 dirty;
	bool			 line_mode;
	bool			 installed;
	bool			 in_hook;
	bool			 tty_eof;
	bool			 suspended;	/* line mode: Ctrl-Z gave the tty back */
	bool			 held;		/* a paste goes on after a refusal */
	bool			 enter_held;	/* its refused Enter ended a read */
	uint64_t		 held_ms;	/* when its last piece came */
	bool			 refusal;	/* the hook refused a line */
	char			*refused;	/* the line it gave back, or NULL */
	char			*kept;		/* deliver's text, refused part on */
	size_t			 kept_from;
	char			*history;
	FILE			*devnull;
	char			*prompt;	/* as given to prompt_init */
	char			*shown;		/* line mode: with the open line */
	prompt_keys_fn		*keys_fn;	/* sees keys before readline */
	void			*keys_arg;
} P;

static char warning[PATH_MAX + 128];

/* ---- input ---- */

static int
getc_cb(FILE *f)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char c;

	(void)f;
	if (P.in_pos < P.in_len)
		return (unsigned char)P.in[P.in_pos++];
	/* readline wants the rest of a multibyte key the terminal has not
	 * delivered yet: wait briefly, never report EOF (that would be
	 * accept-line), and keep the loop turning. */
	if (poll(&pfd, 1, GETC_WAIT_MS) == 1 && read(STDIN_FILENO, &c, 1) == 1)
		return c;
	return 0;
}

static int
input_available_cb(void)
{
	return P.in_pos < P.in_len;
}

static void
redisplay_cb(void)
{
	P.dirty = true;
}

static void
notice(const char *msg)
{
	if (P.hooks.notice_cb != NULL)
		P.hooks.notice_cb(P.hooks.arg, msg);
}

/* n bytes at the end of the input, each \r as \n, in pieces through a
 * buffer on the stack: nothing of ours to allocate, so nothing to lose. */
static void
insert_text(const char *p, size_t n)
{
	char t[512];
	size_t i, k;

	rl_point = rl_end;
	while (n > 0) {
		k = n < sizeof t - 1 ? n : sizeof t - 1;
		for (i = 0; i < k; i++)
			t[i] = p[i] == '\r' ? '\n' : p[i];
		t[k] = '\0';
		rl_insert_text(t);
		p += k;
		n -= k;
	}
}

/* ---- entering lines ---- */

static void
history_add(const char *line)
{
	HIST_ENTRY *last;

	/* like HISTCONTROL=ignoreboth: nothing empty, space-led or repeated */
	if (*line == '\0' || *line == ' ')
		return;
	last = history_get(history_base + history_length - 1);
	if (last == NULL || strcmp(last->line, line) != 0)
		add_history(line);
}

/* After a refusal the input becomes P.refused, then text from `from` on
 * (take_refused); text is kept as it is, so keeping it cannot fail.  The
 * newline that ends text is kept only when more lines follow the refused
 * one (end: where the refused line ends, len: text's length without it). */
static void
keep(char *text, size_t from, size_t end, size_t len)
{
	if (end >= len)
		text[len] = '\0';
	P.refusal = true;
	free(P.kept);
	P.kept = text;
	P.kept_from = from;
}

/* Hand text (ours: freed or kept) to the hook one line at a time; stop at
 * a refusal, keeping the refused line and everything after it. */
static void
deliver(char *text)
{
	size_t start = 0, end, len = strlen(text);
	char *line;

	/* a trailing newline ends the last line; it does not start one */
	if (len > 0 && text[len - 1] == '\n')
		len--;
	do {
		for (end = start; end < len && text[end] != '\n'; end++)
			;
		if ((line = malloc(end - start + 1)) == NULL) {
			/* out of memory: kept like a refused line, and said */
			keep(text, start, end, len);
			notice(_("out of memory: the line was not sent; it "
			    "stays in the input"));
			return;
		}
		memcpy(line, text + start, end - start);
		line[end - start] = '\0';
		history_add(line);
		P.in_hook = true;
		P.hooks.line_cb(P.hooks.arg, line);
		P.in_hook = false;
		if (P.refusal) {
			/* the refused line (our own copy of it when the
			 * hook's could not be made), then the unsent lines
			 * verbatim */
			keep(text, P.refused != NULL ? end : start, end, len);
			return;
		}
		start = end + 1;
	} while (end < len);
	free(text);
}

/* What readline does when it accepts a line, minus echoing it: give an
 * edited history entry its old text back, forget the line saved for
 * history moves, empty the line. */
static void
reset_line(void)
{
	HIST_ENTRY *e = current_history();

	if (e != NULL && rl_undo_list != NULL) {
		rl_revert_line(1, 0);
		e = replace_history_entry(where_history(), rl_line_buffer, NULL);
		if (e != NULL)
			free_history_entry(e);
	}
	rl_maybe_unsave_line();
	rl_replace_line("", 1);
	rl_point = 0;
	P.dirty = true;
}

/* Enter (\r and \n), bound instead of accept-line: readline would echo
 * the line and move to a new row behind our back in line mode. */
static int
accept_cmd(int count, int key)
{
	char *text = rl_copy_text(0, rl_end);

	(void)count;
	(void)key;
	if (text == NULL) {	/* readline's allocator aborts first, but */
		notice(_("out of memory: the line was not sent; it stays in "
		    "the input"));
		return 0;
	}
	reset_line();
	deliver(text);
	using_history();	/* the next Up starts from the newest line */
	return 0;
}

/* readline's own handler: only EOF, unless some binding still ends in
 * accept-line (then readline has done the reset itself). */
static void
line_cb(char *line)
{
	P.dirty = true;
	if (line == NULL) {
		P.hooks.line_cb(P.hooks.arg, NULL);
		return;
	}
	deliver(line);
}

/* Is more input waiting already?  Then a refused Enter was part of a
 * paste, and its newline must stay, or the next pasted line would be
 * glued to the refused one.  A typed Enter has nothing behind it. */
static bool
pasting(void)
{
	int n = 0;

	return ioctl(STDIN_FILENO, FIONREAD, &n) == 0 && n > 0;
}

/* After a refusal: the input is the refused text, then the unsent lines
 * after it, then the rest of the chunk as literal text (each \r or \n one
 * newline), so nothing is lost and nothing more is sent by itself.  Built
 * in place from what is kept: no allocation of ours can fail here. */
static void
take_refused(void)
{
	size_t rest = P.in_len - P.in_pos;

	rl_replace_line(P.refused != NULL ? P.refused : "", 1);
	rl_point = rl_end;
	if (P.kept != NULL)
		rl_insert_text(P.kept + P.kept_from);
	/* the refused Enter itself, unless the kept text ends in one; when
	 * it ended the read, only if the paste goes on in the next one (an
	 * input method's text and Enter come in one read, alone) */
	P.enter_held = false;
	if (rl_end == 0 || rl_line_buffer[rl_end - 1] != '\n') {
		if (rest > 0 || pasting())
			rl_insert_text("\n");
		else
			P.enter_held = P.in_len > 1;
	}
	insert_text(P.in + P.in_pos, rest);
	rl_free_undo_list();	/* one block, as if typed at once */
	P.in_pos = P.in_len;
	free(P.refused);
	free(P.kept);
	P.refused = P.kept = NULL;
	P.refusal = false;
	P.dirty = true;
	if (P.line_mode)
		rl_redisplay();
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The rest of a paste after a refusal, read after read: appended as text.
 * Taking it as keys would be right too (each Enter tries the whole kept
 * block again, cursor at the end) but costs the block's length per read:
 * quadratic on a big paste into a full queue. */
static bool
held(size_t n)
{
	uint64_t now = now_ms();
	bool more = P.held && n > 1 && now - P.held_ms < HOLD_MS;

	P.held = more;
	P.held_ms = now;
	return more;
}

static void
append_text(const char *p, size_t n)
{
	insert_text(p, n);
	P.dirty = true;
	if (P.line_mode)
		rl_redisplay();
}

void
prompt_feed(const char *p, size_t n)
{
	if (P.keys_fn != NULL && P.keys_fn(P.keys_arg, p, n)) {
		P.dirty = true;
		return;
	}
	if (held(n)) {
		if (P.enter_held)
			append_text("\n", 1);
		P.enter_held = false;
		append_text(p, n);
		return;
	}
	P.enter_held = false;
	P.in = p;
	P.in_len = n;
	P.in_pos = 0;
	while (P.in_pos < P.in_len) {
		rl_callback_read_char();
		if (P.refusal) {
			take_refused();
			P.held = true;
		}
	}
	P.in = NULL;
	P.in_len = P.in_pos = 0;
}

int
prompt_read(void)
{
	char buf[4096];
	ssize_t n;

	if (P.tty_eof)
		return -1;
	n = read(STDIN_FILENO, buf, sizeof buf);
	if (n > 0) {
		prompt_feed(buf, (size_t)n);
		return 0;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	P.tty_eof = true;
	P.hooks.line_cb(P.hooks.arg, NULL);
	return -1;
}

void
prompt_restore(const char *line)
{
	if (P.in_hook) {
		size_t n = strlen(line);

		/* refused even when the copy cannot be made: deliver then
		 * keeps the line from its own text */
		P.refusal = true;
		free(P.refused);
		if ((P.refused = malloc(n + 1)) != NULL)
			memcpy(P.refused, line, n + 1);
		return;
	}
	rl_replace_line(line, 1);
	rl_point = rl_end;
	P.dirty = true;
	if (P.line_mode && P.installed)
		rl_redisplay();
}

/* ---- keys ---- */

static int
key(enum prompt_key k)
{
	P.hooks.key_cb(P.hooks.arg, k);
	P.dirty = true;
	return 0;
}

static int page_up_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_PAGE_UP); }
static int page_down_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_PAGE_DOWN); }
static int line_up_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_LINE_UP); }
static int line_down_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_LINE_DOWN); }
static int view_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_VIEW); }
static int repaint_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_REPAINT); }
static int find_next_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_FIND_NEXT); }
static int find_prev_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_FIND_PREV); }
static int hex_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_HEX); }
static int tcp_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_TCP); }
static int trace_cmd(int c, int k) { (void)c; (void)k; return key(PROMPT_KEY_TRACE); }

static int
end_cmd(int c, int k)
{
	rl_end_of_line(c, k);
	return key(PROMPT_KEY_END);
}

static void
bind_keys(void)
{
	static const struct {
		const char		*seq;
		rl_command_func_t	*fn;
	} keys[] = {
		{ "\033[5~", page_up_cmd },	{ "\033[6~", page_down_cmd },
		{ "\033[1;2A", line_up_cmd },	{ "\033[1;2B", line_down_cmd },
		{ "\033[4~", end_cmd },		{ "\033[F", end_cmd },
		{ "\033OF", end_cmd },		{ "\033[8~", end_cmd },
		{ "\033OQ", view_cmd },		{ "\033[12~", view_cmd },
		{ "\033OR", find_next_cmd },	{ "\033[13~", find_next_cmd },
		{ "\033[1;2R", find_prev_cmd },	{ "\033[25~", find_prev_cmd },
		{ "\033[15~", hex_cmd },
		{ "\033OS", tcp_cmd },		{ "\033[14~", tcp_cmd },
		{ "\033[17~", trace_cmd },
	};
	/* Dumb mode has no terminfo keys: name the usual sequences. */
	static const struct {
		const char		*seq;
		rl_command_func_t	*fn;
	} editing[] = {
		{ "\033[3~", rl_delete },	{ "\033[1~", rl_beg_of_line },
		{ "\033[H", rl_beg_of_line },	{ "\033OH", rl_beg_of_line },
		{ "\033[7~", rl_beg_of_line },
		{ "\033[1;5C", rl_forward_word }, { "\033[1;5D", rl_backward_word },
		{ "\033[1;3C", rl_forward_word }, { "\033[1;3D", rl_backward_word },
		{ "\033[A", rl_get_previous_history }, { "\033[B", rl_get_next_history },
		{ "\033[C", rl_forward_char },	{ "\033[D", rl_backward_char },
		{ "\033OA", rl_get_previous_history }, { "\033OB", rl_get_next_history },
		{ "\033OC", rl_forward_char },	{ "\033OD", rl_backward_char },
	};
	size_t i;

	/* Off: readline would read a whole bracketed paste in one blocking
	 * call; our Enter and refusal rules keep a paste whole anyway. */
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("bell-style", "none");
	for (i = 0; i < sizeof editing / sizeof editing[0]; i++)
		rl_bind_keyseq_if_unbound(editing[i].seq, editing[i].fn);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		rl_bind_keyseq(keys[i].seq, keys[i].fn);
	rl_bind_key('\r', accept_cmd);
	rl_bind_key('\n', accept_cmd);
	if (!P.line_mode)
		rl_bind_key('L' & 0x1f, repaint_cmd);
}

/* ---- history file ---- */

static void __attribute__((format(printf, 1, 2)))
warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(warning, sizeof warning, fmt, ap);
	va_end(ap);
}

/* Is path usable as our history file?  Missing is fine. */
static bool
history_path_ok(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return true;
	if (S_ISLNK(st.st_mode))
		warn(_("history file %s is a symbolic link: not following it, "
		    "history not saved"), path);
	else if (S_ISDIR(st.st_mode))
		warn(_("history file %s is a directory: history not saved"),
		    path);
	else if (!S_ISREG(st.st_mode))
		warn(_("history file %s is not a regular file: history not "
		    "saved"),
		    path);
	return S_ISREG(st.st_mode);
}

/* mkdir -p of the file's directory, private. */
static void
history_mkdir(const char *path)
{
	char *dir = strdup(path), *slash;

	for (slash = dir ? strchr(dir + 1, '/') : NULL; slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			warn(_("cannot create %s: %s"), dir, strerror(errno));
		*slash = '/';
	}
	free(dir);
}

/* Add the last HISTORY_MAX lines of buf to the history. */
static void
history_parse(char *buf, size_t n)
{
	size_t i = n, lines = 0, start;

	while (i > 0 && lines < HISTORY_MAX)
		if (buf[--i] == '\n' && i + 1 < n)
			lines++;
	start = i == 0 ? 0 : i + 1;
	for (i = start; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		buf[i] = '\0';
		if (buf[start] != '\0')
			add_history(buf + start);
		start = i + 1;
	}
	if (start < n) {
		buf[n] = '\0';
		add_history(buf + start);
	}
}

/* Read it ourselves: O_NOFOLLOW, and never block on a FIFO. */
static void
history_read(const char *path)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno != ENOENT)
			warn(_("cannot read history file %s: %s"), path,
			    strerror(errno));
		return;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	if ((buf = malloc(HISTORY_BYTES + 1)) == NULL) {
		close(fd);
		warn(_("out of memory: history file %s not read"), path);
		return;
	}
	while (n < HISTORY_BYTES &&
	    (r = read(fd, buf + n, HISTORY_BYTES - n)) > 0)
		n += (size_t)r;
	close(fd);
	history_parse(buf, n);
	free(buf);
}

static void
history_load(const char *path)
{
	history_mkdir(path);
	/* kept even when unusable: prompt_end checks again and says so */
	if ((P.history = strdup(path)) == NULL)
		warn(_("out of memory: history not kept in %s"), path);
	else if (history_path_ok(path))
		history_read(path);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
history_write_fd(int fd)
{
	HIST_ENTRY **list = history_list();
	int i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (write_all(fd, list[i]->line, strlen(list[i]->line)) == -1 ||
		    write_all(fd, "\n", 1) == -1)
			return -1;
	return fsync(fd);
}

/* A new private file beside the old one, renamed over it: a crash or a
 * full disk never leaves half a history, and a link is never followed. */
static void
history_save(void)
{
	char tmp[PATH_MAX];
	int fd = -1, i, err;

	if (P.history == NULL || !history_path_ok(P.history))
		return;
	for (i = 0; i < 100 && fd == -1; i++) {
		if (snprintf(tmp, sizeof tmp, "%s.%ld.%d.tmp", P.history,
		    (long)getpid(), i) >= (int)sizeof tmp)
			break;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		warn(_("cannot save history to %s: %s"),
		    P.history, strerror(errno));
		return;
	}
	/* 0600 whatever the umask */
	if (fchmod(fd, 0600) == -1 || history_write_fd(fd) == -1) {
		err = errno;
		close(fd);
		unlink(tmp);
		warn(_("cannot save history to %s: %s"),
		    P.history, strerror(err));
		return;
	}
	close(fd);
	if (rename(tmp, P.history) == -1) {
		err = errno;
		unlink(tmp);
		warn(_("cannot save history to %s: %s"),
		    P.history, strerror(err));
	}
}

const char *
prompt_history_warning(void)
{
	return warning[0] != '\0' ? warning : NULL;
}

/* ---- set-up ---- */

int
prompt_init(const struct prompt_hooks *hooks, const char *prompt,
    const char *history, bool line_mode)
{
	memset(&P, 0, sizeof P);
	warning[0] = '\0';
	P.hooks = *hooks;
	P.line_mode = line_mode;
	if ((P.prompt = strdup(prompt)) == NULL ||
	    (P.shown = strdup(prompt)) == NULL)
		return -1;
	rl_readline_name = "tcptalk";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_inhibit_completion = 1;
	rl_getc_function = getc_cb;
	rl_input_available_hook = input_available_cb;
	if (!line_mode) {
		if ((P.devnull = fopen("/dev/null", "w")) == NULL)
			return -1;
		rl_prep_term_function = NULL;
		rl_deprep_term_function = NULL;
		rl_redisplay_function = redisplay_cb;
		rl_outstream = P.devnull;
	}
	if (rl_initialize() != 0)
		return -1;
	bind_keys();
	using_history();
	stifle_history(HISTORY_MAX);
	if (history != NULL)
		history_load(history);
	rl_callback_handler_install(P.shown, line_cb);
	P.installed = true;
	P.dirty = true;
	return 0;
}

void
prompt_set_keys_hook(prompt_keys_fn *fn, void *arg)
{
	P.keys_fn = fn;
	P.keys_arg = arg;
}

void
prompt_end(void)
{
	if (P.installed)
		rl_callback_handler_remove();
	P.installed = false;
	warning[0] = '\0';
	history_save();
	free(P.history);
	P.history = NULL;
	clear_history();
	if (P.devnull != NULL)
		fclose(P.devnull);
	P.devnull = NULL;
	rl_outstream = NULL;
	free(P.prompt);
	free(P.shown);
	free(P.refused);
	free(P.kept);
	P.prompt = P.shown = P.refused = P.kept = NULL;
	P.refusal = false;
}

/* ---- line mode output ---- */

void
prompt_print_above(const char *text)
{
	char *saved;
	int point;
	size_t n = strlen(text);

	if (!P.line_mode || !P.installed)
		return;
	saved = rl_copy_text(0, rl_end);
	point = rl_point;
	rl_set_prompt("");
	rl_replace_line("", 0);
	rl_redisplay();		/* erases the visible input row */
	fwrite(text, 1, n, stdout);
	if (n == 0 || text[n - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
	rl_set_prompt(P.shown);
	rl_replace_line(saved != NULL ? saved : "", 0);
	rl_point = point;
	rl_redisplay();		/* never rl_forced_update_display here */
	free(saved);
}

/* The end of text that fits in about half the screen, on a character
 * boundary: a peer's endless line must not make the prompt endless. */
static const char *
open_tail(const char *text, size_t *len)
{
	int rows, cols;
	size_t n = strlen(text), from = n, w = 0, max;

	rl_get_screen_size(&rows, &cols);
	max = cols > 8 ? (size_t)cols / 2 : 40;
	while (from > 0 && n - from < OPEN_MAX_BYTES) {
		size_t c = from - 1;
		uint32_t cp;

		while (c > 0 && from - c < 4 &&
		    ((unsigned char)text[c] & 0xc0) == 0x80)
			c--;
		if (width_utf8(text + c, from - c, &cp) != (int)(from - c))
			c = from - 1;
		w += width_str(text + c, from - c);
		if (w > max)
			break;
		from = c;
	}
	*len = n - from;
	return text + from;
}

/* "< " text " " prompt, control bytes shown as ^X and dim markers
 * dropped: readline must never see a raw \001 / \002. */
static char *
open_prompt(const char *text)
{
	size_t n, i, j = 0;
	const char *t = open_tail(text, &n);
	bool cut = t != text;
	char *p = malloc(2 + 3 + 2 * n + 1 + strlen(P.prompt) + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, "< ", 2);
	j = 2;
	if (cut) {
		memcpy(p + j, "\xe2\x80\xa6", 3);	/* … */
		j += 3;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (WIDTH_IS_MARKER(c))
			continue;
		if (c < 0x20 || c == 0x7f) {
			p[j++] = '^';
			p[j++] = c == 0x7f ? '?' : (char)(c + '@');
		} else {
			p[j++] = (char)c;
		}
	}
	p[j++] = ' ';
	strcpy(p + j, P.prompt);
	return p;
}

void
prompt_set_open_line(const char *text)
{
	char *p;

	if (!P.line_mode || P.prompt == NULL)
		return;
	p = text != NULL && *text != '\0' ? open_prompt(text) : strdup(P.prompt);
	if (p == NULL)
		return;
	free(P.shown);
	P.shown = p;
	if (!P.installed)
		return;
	rl_set_prompt(P.shown);
	rl_redisplay();
}

/* ---- drawing ---- */

void
prompt_state(const char **prompt, const char **line, size_t *len, size_t *point)
{
	*prompt = rl_display_prompt ? rl_display_prompt : "";
	*line = rl_line_buffer ? rl_line_buffer : "";
	*len = rl_line_buffer ? (size_t)rl_end : 0;
	*point = rl_line_buffer ? (size_t)rl_point : 0;
}

bool
prompt_take_dirty(void)
{
	bool d = P.dirty;

	P.dirty = false;
	return d;
}

void
prompt_set_screen_size(int rows, int cols)
{
	rl_set_screen_size(rows, cols);
}

/* ---- Ctrl-Z (line mode: readline owns the terminal modes) ---- */

void
prompt_suspend(void)
{
	if (!P.line_mode || !P.installed || P.suspended)
		return;
	rl_deprep_terminal();
	P.suspended = true;
}

void
prompt_resume(void)
{
	if (!P.line_mode || !P.installed)
		return;
	if (!P.suspended) {
		/* a SIGSTOP we never saw: the shell may have reset the modes */
		rl_deprep_terminal();
		rl_prep_terminal(1);
		return;
	}
	P.suspended = false;
	rl_prep_terminal(1);
	/* on the new line a shell leaves after "fg" */
	rl_forced_update_display();
}
