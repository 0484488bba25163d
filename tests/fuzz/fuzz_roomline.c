/*
 * fuzz_roomline.c - roomline on any line a room (or anything else) sends.
 *
 * Properties: a plain line is the whole line; a notice is "* " and the
 * rest; a member's line is "<", a name, "> " and the rest, the name ending
 * at the first '>', every piece pointing into the line; a name taken is
 * valid UTF-8 with no space, '<', '>', C0, DEL, C1 or bidi control, and
 * the sanitizer leaves it exactly as it is (the transcript finds it in
 * the sanitized text by that); a colour is in range and the same each
 * time; the greeting is exactly its prefix and some text.
 */
#include <string.h>

#include "fuzz.h"
#include "roomline.h"
#include "sanitize.h"

FUZZ_UTF8_LOCALE

static void
check_name(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len, slen;
	uint32_t cp;
	char *clean;

	CHECK(n >= 1 && n <= ROOMLINE_NAME_MAX, "name of %zu bytes", n);
	for (i = 0; i < n; i += len) {
		len = fz_utf8(u + i, n - i, &cp);
		CHECK(len > 0, "invalid UTF-8 in a name at %zu", i);
		CHECK(cp > 0x20 && cp != 0x7f && cp != '<' && cp != '>' &&
		    !(cp >= 0x80 && cp < 0xa0) && !fz_is_bidi(cp),
		    "U+%04X in a name", (unsigned)cp);
	}
	if ((clean = sanitize_line(s, n, 0, &slen)) == NULL)
		return;
	CHECK(slen == n && memcmp(clean, s, n) == 0,
	    "the sanitizer changed a name");
	free(clean);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct roomline r = roomline_split(s, size);
	size_t gl = strlen(ROOMLINE_GREETING);
	unsigned c;

	switch (r.kind) {
	case ROOMLINE_PLAIN:
		CHECK(r.text == s && r.text_len == size, "plain line not whole");
		break;
	case ROOMLINE_NOTICE:
		CHECK(size >= 2 && s[0] == '*' && s[1] == ' ' && r.text == s + 2 &&
		    r.text_len == size - 2, "notice not \"* \" and the rest");
		break;
	case ROOMLINE_SAY:
		CHECK(s[0] == '<' && r.name == s + 1 &&
		    memchr(s, '>', size) == s + 1 + r.name_len &&
		    s[2 + r.name_len] == ' ' && r.text == s + 3 + r.name_len &&
		    r.text_len == size - 3 - r.name_len,
		    "member's line not \"<name> \" and the rest");
		CHECK(roomline_name_ok(r.name, r.name_len), "name not ok");
		check_name(r.name, r.name_len);
		c = roomline_colour(r.name, r.name_len);
		CHECK(c < ROOMLINE_COLOURS && c == roomline_colour(r.name,
		    r.name_len), "colour %u", c);
		break;
	default:
		CHECK(0, "kind %d", r.kind);
	}
	if (roomline_name_ok(s, size))
		check_name(s, size);
	CHECK(roomline_is_greeting(s, size) ==
	    (size > gl && memcmp(s, ROOMLINE_GREETING, gl) == 0),
	    "greeting rule");
	return 0;
}
