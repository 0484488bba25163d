/* Unit tests for /help's lines: the translatable table says what the
 * English lines say, with the columns measured, not typed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cmd.h"

/* In the C locale each item comes out as the English line of cmd_help
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_are_the_lines),
		cmocka_unit_test(test_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
