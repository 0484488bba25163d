/* Unit tests for /help's lines: the translatable table says what the
 * English lines say, with the columns measured, not typed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "width.h"

/* What cmd_help_table_line shows for a text (the fake catalogue's below). */
#ifndef NO_NLS
char *gettext(const char *);
#define tr(s)	gettext(s)
#else
#define tr(s)	(s)
#endif


/* Untranslated, each item comes out as the English line of cmd_help
 * (the room's /help still prints those): the two cannot drift apart. */
static void
test_items_are_the_lines(void **state)
{
	char line[512];
	size_t i, col = cmd_help_col();

	(void)state;
	assert_int_equal(col, 13);	/* "/quit /exit" and two spaces */
	for (i = 0; cmd_help_items[i].text != NULL; i++) {
		assert_non_null(cmd_help[i]);
		cmd_help_line(i, col, line, sizeof line);
		assert_string_equal(line, cmd_help[i]);
	}
	assert_null(cmd_help[i]);
}

/* A narrow buffer ends the line inside it, at a NUL. */
static void
test_short_buffer(void **state)
{
	char line[8];

	(void)state;
	memset(line, 'x', sizeof line);
	cmd_help_line(0, cmd_help_col(), line, sizeof line);
	assert_string_equal(line, "/help  ");
	cmd_help_line(21, cmd_help_col(), line, sizeof line);
	assert_string_equal(line, "      P");
}

/* The room's table: its own column, "/to NAME text" the widest command;
 * its keys line after "keys:" and one space. */
static void
test_room_items(void **state)
{
	char line[512];
	size_t i, col = cmd_help_table_col(cmd_room_help_items);

	(void)state;
	assert_int_equal(col, 15);
	cmd_help_table_line(cmd_room_help_items, 0, col, line, sizeof line);
	assert_string_equal(line, "/nick NAME     take NAME as your name in the room");
	cmd_help_table_line(cmd_room_help_items, 3, col, line, sizeof line);
	assert_string_equal(line, "/to NAME text  send text to NAME alone");
	for (i = 0; cmd_room_help_items[i].cmd == NULL ||
	    cmd_room_help_items[i].cmd[0] == '/'; i++)
		;
	cmd_help_table_line(cmd_room_help_items, i, col, line, sizeof line);
	assert_string_equal(line, "keys: Enter sends to everyone; Ctrl-D on an "
	    "empty line leaves");
	assert_null(cmd_room_help_items[i + 1].text);
}

/* Every command line of the room's table puts its text at column col,
 * counted in display columns of what comes before it. */
static void
room_texts_at(size_t col)
{
	const struct cmd_help_item *it;
	char line[512];
	const char *at;
	size_t i;

	for (i = 0; (it = &cmd_room_help_items[i])->text != NULL; i++) {
		if (it->cmd[0] != '/')
			continue;
		cmd_help_table_line(cmd_room_help_items, i, col, line,
		    sizeof line);
		at = strstr(line, tr(it->text));
		assert_non_null(at);
		assert_int_equal(width_str(line, (size_t)(at - line)), col);
	}
}

static void
test_room_columns(void **state)
{
	(void)state;
	room_texts_at(cmd_help_table_col(cmd_room_help_items));
	room_texts_at(20);
}

#ifndef NO_NLS
#include "fakecat.h"

static const char *const zh[] = {
	"keys:", "\xe6\x8c\x89\xe9\x94\xae\xef\xbc\x9a",		/* 按键： */
	"this list", "\xe6\x9c\xac\xe5\x88\x97\xe8\xa1\xa8",	/* 本列表 */
	"take NAME as your name in the room",
	"\xe5\x9c\xa8\xe8\x81\x8a\xe5\xa4\xa9\xe5\xae\xa4"
	    "\xe9\x87\x8c\xe7\x94\xa8 NAME",			/* 在聊天室里用 NAME */
	"the names in the room",
	"\xe8\x81\x8a\xe5\xa4\xa9\xe5\xae\xa4\xe9\x87\x8c"
	    "\xe7\x9a\x84\xe6\x98\xb5\xe7\xa7\xb0",		/* 聊天室里的昵称 */
	NULL
};

/* Translated, the texts still start at one column, and the keys lines
 * hang under "按键："'s text: 6 columns and a space, not its 9 bytes. */
static int
fake_on(void **state)
{
	(void)state;
	fakecat = zh;
	return 0;
}

static int
fake_off(void **state)
{
	(void)state;
	fakecat = NULL;
	return 0;
}

static void
test_translated_columns(void **state)
{
	char line[512];
	size_t col = cmd_help_col(), i;

	(void)state;
	cmd_help_line(0, col, line, sizeof line);
	assert_string_equal(line, "/help        "
	    "\xe6\x9c\xac\xe5\x88\x97\xe8\xa1\xa8");
	for (i = 0; cmd_help_items[i].cmd == NULL ||
	    strcmp(cmd_help_items[i].cmd, "keys:") != 0; i++)
		;
	cmd_help_line(i, col, line, sizeof line);
	assert_true(strncmp(line, "\xe6\x8c\x89\xe9\x94\xae\xef\xbc\x9a "
	    "Enter", 15) == 0);
	cmd_help_line(i + 1, col, line, sizeof line);
	assert_true(strncmp(line, "       PgUp", 11) == 0);
}

/* Translated, the room's texts (wide ones among them) start at the
 * column of the English, and its keys line starts with the wide
 * "按键：" and one space. */
static void
test_translated_room_columns(void **state)
{
	char line[512];
	size_t i, col = cmd_help_table_col(cmd_room_help_items);

	(void)state;
	room_texts_at(col);
	cmd_help_table_line(cmd_room_help_items, 0, col, line, sizeof line);
	assert_string_equal(line, "/nick NAME     "
	    "\xe5\x9c\xa8\xe8\x81\x8a\xe5\xa4\xa9\xe5\xae\xa4"
	    "\xe9\x87\x8c\xe7\x94\xa8 NAME");
	for (i = 0; cmd_room_help_items[i].cmd[0] == '/'; i++)
		;
	cmd_help_table_line(cmd_room_help_items, i, col, line, sizeof line);
	assert_true(strncmp(line, "\xe6\x8c\x89\xe9\x94\xae\xef\xbc\x9a "
	    "Enter sends", 21) == 0);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_are_the_lines),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_room_items),
		cmocka_unit_test(test_room_columns),
#ifndef NO_NLS
		cmocka_unit_test_setup_teardown(test_translated_columns,
		    fake_on, fake_off),
		cmocka_unit_test_setup_teardown(test_translated_room_columns,
		    fake_on, fake_off),
#endif
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_help: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
