/* Unit tests for roomline: a room's greeting, its "<name> text" and "* "
 * lines, what a name may be, and each name's colour staying put. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cmd.h"
#include "roomline.h"

#define S(s)	s, strlen(s)

/* Only the exact greeting with some text after it starts a room. */
static void
test_greeting(void **state)
{
	(void)state;
	assert_true(roomline_is_greeting(S("* tcptalk room: 3 peers here")));
	assert_true(roomline_is_greeting(S("* tcptalk room: x")));
	/* the words after the prefix are in the listener's language */
	assert_true(roomline_is_greeting(S("* tcptalk room: "
	    "\xe8\xbf\x99\xe9\x87\x8c\xe6\x9c\x89 3 \xe4\xb8\xaa\xe6\x88\x90\xe5\x91\x98")));
	assert_false(roomline_is_greeting(S("* tcptalk room: ")));	/* no text */
	assert_false(roomline_is_greeting(S("* OK [CAPABILITY IMAP4rev1] ready")));
	assert_false(roomline_is_greeting(S("* OK ready")));
	assert_false(roomline_is_greeting(S(" * tcptalk room: 3 peers here")));
	assert_false(roomline_is_greeting(S("* TCPTALK ROOM: 3 peers here")));
	assert_false(roomline_is_greeting(S("<bob> * tcptalk room: x")));
	assert_false(roomline_is_greeting(S("")));
}

static void
test_split_say(void **state)
{
	struct roomline r;

	(void)state;
	r = roomline_split(S("<alice> hello there"));
	assert_int_equal(r.kind, ROOMLINE_SAY);
	assert_int_equal(r.name_len, 5);
	assert_memory_equal(r.name, "alice", 5);
	assert_int_equal(r.text_len, 11);
	assert_memory_equal(r.text, "hello there", 11);
	/* an address is a name (a member's default) */
	r = roomline_split(S("<127.0.0.1:40000> hi"));
	assert_int_equal(r.kind, ROOMLINE_SAY);
	assert_int_equal(r.name_len, 15);
	/* UTF-8 names and text intact */
	r = roomline_split(S("<小明> 你好"));
	assert_int_equal(r.kind, ROOMLINE_SAY);
	assert_int_equal(r.name_len, strlen("小明"));
	assert_memory_equal(r.text, "你好", strlen("你好"));
	/* empty text after the space is still a line said */
	r = roomline_split(S("<bob> "));
	assert_int_equal(r.kind, ROOMLINE_SAY);
	assert_int_equal(r.text_len, 0);
	/* a '>' later in the text does not move the name's end */
	r = roomline_split(S("<bob> a > b"));
	assert_int_equal(r.kind, ROOMLINE_SAY);
	assert_int_equal(r.name_len, 3);
	assert_memory_equal(r.text, "a > b", 5);
}

static void
test_split_notice_and_plain(void **state)
{
	struct roomline r;

	(void)state;
	r = roomline_split(S("* bob joined"));
	assert_int_equal(r.kind, ROOMLINE_NOTICE);
	assert_int_equal(r.text_len, 10);
	assert_memory_equal(r.text, "bob joined", 10);
	/* not a room's shape: plain, the whole line */
	static const char *const plain[] = { "hello", "<bob>hi", "<bob>",
	    "<> hi", "<b ob> hi", "<b<ob> hi", "*bob", "<bob", " <bob> hi",
	    "<b\033[2Job> hi", "<b\x7fob> hi", "<\xff> hi",
	    "<b\xe2\x80\xaeob> hi",		/* U+202E: reorders text */
	    "<b\xc2\x9b" "ob> hi",		/* U+009B: a C1 CSI */
	    "<\tb> hi" };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		r = roomline_split(S(plain[i]));
		assert_int_equal(r.kind, ROOMLINE_PLAIN);
		assert_ptr_equal(r.text, plain[i]);
		assert_int_equal(r.text_len, strlen(plain[i]));
	}
}

static void
test_name_rules(void **state)
{
	char longname[ROOMLINE_NAME_MAX + 2];

	(void)state;
	assert_true(roomline_name_ok(S("bob")));
	assert_true(roomline_name_ok(S("::1.40000")));
	assert_false(roomline_name_ok(S("")));
	assert_false(roomline_name_ok(S("a b")));
	memset(longname, 'x', sizeof longname);
	assert_true(roomline_name_ok(longname, ROOMLINE_NAME_MAX));
	assert_false(roomline_name_ok(longname, ROOMLINE_NAME_MAX + 1));
}

/* Stable (the same name, the same colour, in every run), in range, and
 * spread: a handful of names do not all land on one colour. */
static void
test_colour(void **state)
{
	static const char *const names[] = { "alice", "bob", "carol", "dave",
	    "eve", "mallory", "trent", "peggy", "victor", "walter" };
	unsigned seen = 0, c;

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		c = roomline_colour(S(names[i]));
		assert_true(c < ROOMLINE_COLOURS);
		assert_int_equal(c, roomline_colour(S(names[i])));
		seen |= 1u << c;
	}
	assert_true(__builtin_popcount(seen) >= 3);
	/* FNV-1a of "alice", fixed: a change of hash shows here */
	assert_int_equal(roomline_colour(S("alice")), 0x872213e7u % ROOMLINE_COLOURS);
}

/* The room's commands as cmd.c parses them: word, then the argument. */
static void
test_room_commands(void **state)
{
	struct cmd c;

	(void)state;
	c = cmd_parse(S("/to bob hi there"));
	assert_int_equal(c.kind, CMD_TO);
	assert_int_equal(c.len, 12);
	assert_memory_equal(c.text, "bob hi there", 12);
	assert_int_equal(cmd_parse(S("/NICK x")).kind, CMD_NICK);
	assert_int_equal(cmd_parse(S("/peers")).kind, CMD_PEERS);
	assert_int_equal(cmd_parse(S("/kick bob")).kind, CMD_KICK);
	assert_int_equal(cmd_parse(S("/me waves")).kind, CMD_ME);
	assert_int_equal(cmd_parse(S("/who")).kind, CMD_WHO);
	assert_int_equal(cmd_parse(S("/tox")).kind, CMD_UNKNOWN);
	assert_int_equal(cmd_parse(S("//me")).kind, CMD_SEND);
	assert_non_null(cmd_room_help_items[0].cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting),
		cmocka_unit_test(test_split_say),
		cmocka_unit_test(test_split_notice_and_plain),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_colour),
		cmocka_unit_test(test_room_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
