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

#ifndef NO_NLS
static bool fake;	/* the made-up catalogue below answers */

/* A catalogue of our own: the executable's gettext comes before libc's
 * (and dcgettext: an optimised build's libintl.h calls that). */
char *gettext(const char *);
char *dcgettext(const char *, const char *, int);

char *
dcgettext(const char *domain, const char *msgid, int category)
{
	(void)domain;
	(void)category;
	return gettext(msgid);
}

char *
gettext(const char *msgid)
{
	if (!fake)
		return (char *)msgid;
	if (strcmp(msgid, "keys:") == 0)
		return (char *)"\xe6\x8c\x89\xe9\x94\xae\xef\xbc\x9a"; /* 按键： */
	if (strcmp(msgid, "this list") == 0)
		return (char *)"\xe6\x9c\xac\xe5\x88\x97\xe8\xa1\xa8"; /* 本列表 */
	return (char *)msgid;
}

/* Translated, the texts still start at one column, and the keys lines
 * hang under "按键："'s text: 6 columns and a space, not its 9 bytes. */
static int
fake_on(void **state)
{
	(void)state;
	fake = true;
	return 0;
}

static int
fake_off(void **state)
{
	(void)state;
	fake = false;
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
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_are_the_lines),
		cmocka_unit_test(test_short_buffer),
#ifndef NO_NLS
		cmocka_unit_test_setup_teardown(test_translated_columns,
		    fake_on, fake_off),
#endif
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_help: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
