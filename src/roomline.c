/*
 * roomline.c - the shapes of a room's lines: its greeting, "<name> text",
 * "* text", and a colour per name.  Pure.
 */
#include <stdint.h>
#include <string.h>

#include "roomline.h"
#include "sanitize.h"
#include "width.h"

bool
roomline_is_greeting(const char *s, size_t n)
{
	size_t gl = strlen(ROOMLINE_GREETING);

	return n > gl && memcmp(s, ROOMLINE_GREETING, gl) == 0;
}

bool
roomline_name_ok(const char *s, size_t n)
{
	uint32_t cp;
	size_t i;
	int len;

	if (n == 0 || n > ROOMLINE_NAME_MAX)
		return false;
	for (i = 0; i < n; i += (size_t)len) {
		if ((len = width_utf8(s + i, n - i, &cp)) <= 0)
			return false;	/* invalid UTF-8 */
		if (cp <= 0x20 || cp == 0x7f || cp == '<' || cp == '>' ||
		    sanitize_format_control(cp))
			return false;
	}
	return true;
}

struct roomline
roomline_split(const char *s, size_t n)
{
	struct roomline r = { ROOMLINE_PLAIN, NULL, 0, s, n };
	const char *end;

	if (n >= 2 && s[0] == '*' && s[1] == ' ') {
		r.kind = ROOMLINE_NOTICE;
		r.text = s + 2;
		r.text_len = n - 2;
		return r;
	}
	/* "<name> text": the name ends at the first '>', a space follows */
	if (n < 4 || s[0] != '<' || (end = memchr(s, '>', n)) == NULL ||
	    (size_t)(end - s) + 1 >= n || end[1] != ' ' ||
	    !roomline_name_ok(s + 1, (size_t)(end - s) - 1))
		return r;
	r.kind = ROOMLINE_SAY;
	r.name = s + 1;
	r.name_len = (size_t)(end - s) - 1;
	r.text = end + 2;
	r.text_len = n - (size_t)(end - s) - 2;
	return r;
}

/* FNV-1a: stable across runs and machines, so a name keeps its colour. */
unsigned
roomline_colour(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h % ROOMLINE_COLOURS;
}
