/*
 * prompt.c - readline's callback interface inside our poll loop.
 *
 * Follows ../shared/READLINE-NCURSES.md: our own getc reads a byte FIFO the
 * loop fills, our own redisplay only marks the line dirty (ui draws it), and
 * readline never touches the terminal modes.  readline is global state, so
 * this module's state is too.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "prompt.h"

#define FIFO_SIZE	4096
#define HISTORY_MAX	1000

static struct {
	struct prompt_hooks	 hooks;
	unsigned char		 fifo[FIFO_SIZE];
	size_t			 head, tail;
	bool			 dirty;
	bool			 line_mode;
	char			*history;
	char			*restore;	/* a refused line to put back */
	FILE			*devnull;
	char			*prompt;
} P;

static size_t
fifo_len(void)
{
	return P.tail - P.head;
}

static int
getc_cb(FILE *f)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char c;

	(void)f;
	if (fifo_len() > 0)
		return P.fifo[P.head++];
	/* readline wants the rest of a multibyte character that the terminal
	 * has not delivered yet: wait briefly, never report EOF (that would be
	 * accept-line). */
	if (poll(&pfd, 1, 500) == 1 && read(STDIN_FILENO, &c, 1) == 1)
		return c;
	return 0;
}

static int
input_available_cb(void)
{
	return fifo_len() > 0;
}

static void
redisplay_cb(void)
{
	P.dirty = true;
}

static void
line_cb(char *line)
{
	if (line != NULL && *line != '\0') {
		HIST_ENTRY *last = history_get(history_base + history_length - 1);

		/* like HISTCONTROL=ignoredups */
		if (last == NULL || strcmp(last->line, line) != 0)
			add_history(line);
	}
	P.dirty = true;
	P.hooks.line_cb(P.hooks.arg, line);
}

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

	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("bell-style", "none");
	for (i = 0; i < sizeof editing / sizeof editing[0]; i++)
		rl_bind_keyseq_if_unbound(editing[i].seq, editing[i].fn);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		rl_bind_keyseq(keys[i].seq, keys[i].fn);
	if (!P.line_mode)
		rl_bind_key('L' & 0x1f, repaint_cmd);
}

static void
history_load(const char *path)
{
	char *dir, *slash;

	P.history = strdup(path);
	if (P.history == NULL)
		return;
	/* mkdir -p of the state directory, private */
	dir = strdup(path);
	for (slash = dir ? strchr(dir + 1, '/') : NULL; slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(dir, 0700);
		*slash = '/';
	}
	free(dir);
	(void)read_history(P.history);
}

static void
history_save(void)
{
	if (P.history == NULL)
		return;
	if (write_history(P.history) == 0) {
		(void)history_truncate_file(P.history, HISTORY_MAX);
		(void)chmod(P.history, 0600);
	}
	free(P.history);
	P.history = NULL;
}

int
prompt_init(const struct prompt_hooks *hooks, const char *prompt,
    const char *history, bool line_mode)
{
	memset(&P, 0, sizeof P);
	P.hooks = *hooks;
	P.line_mode = line_mode;
	if ((P.prompt = strdup(prompt)) == NULL)
		return -1;
	rl_readline_name = "tcptalk";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_inhibit_completion = 1;
	if (!line_mode) {
		if ((P.devnull = fopen("/dev/null", "w")) == NULL)
			return -1;
		rl_prep_term_function = NULL;
		rl_deprep_term_function = NULL;
		rl_getc_function = getc_cb;
		rl_input_available_hook = input_available_cb;
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
	rl_callback_handler_install(P.prompt, line_cb);
	P.dirty = true;
	return 0;
}

void
prompt_end(void)
{
	rl_callback_handler_remove();
	history_save();
	clear_history();
	if (P.devnull != NULL)
		fclose(P.devnull);
	P.devnull = NULL;
	rl_outstream = NULL;
	free(P.prompt);
	free(P.restore);
	P.prompt = P.restore = NULL;
}

static void
restore_pending(void)
{
	if (P.restore == NULL)
		return;
	rl_replace_line(P.restore, 0);
	rl_point = rl_end;
	free(P.restore);
	P.restore = NULL;
	P.dirty = true;
}

void
prompt_feed(const char *p, size_t n)
{
	size_t chunk;

	while (n > 0) {
		/* the FIFO is drained after each chunk, so it starts empty */
		P.head = P.tail = 0;
		chunk = n < FIFO_SIZE ? n : FIFO_SIZE;
		memcpy(P.fifo, p, chunk);
		P.tail = chunk;
		p += chunk;
		n -= chunk;
		while (fifo_len() > 0) {
			rl_callback_read_char();
			restore_pending();
		}
	}
}

void
prompt_read(void)
{
	rl_callback_read_char();
	restore_pending();
	if (P.restore == NULL && P.line_mode)
		rl_redisplay();
}

void
prompt_print_above(const char *text)
{
	rl_clear_visible_line();
	fputs(text, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	rl_forced_update_display();
}

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
prompt_restore(const char *line)
{
	free(P.restore);
	P.restore = strdup(line);
}

void
prompt_set_screen_size(int rows, int cols)
{
	rl_set_screen_size(rows, cols);
}
