/*
 * fuzz.h - what every libFuzzer harness in tests/fuzz shares: a check that
 * aborts with a message (so a property violation is a crash libFuzzer saves),
 * an independent UTF-8 validator, a reader over the fuzz data, and the
 * property "this is safe display text" used by several harnesses.
 */
#ifndef TCPTALK_FUZZ_H
#define TCPTALK_FUZZ_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "width.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/* Widths come from wcwidth(), as in tcptalk: a UTF-8 locale first.  A
 * harness that needs it says FUZZ_UTF8_LOCALE once. */
#define FUZZ_UTF8_LOCALE						\
int									\
LLVMFuzzerInitialize(int *argc, char ***argv)				\
{									\
	(void)argc;							\
	(void)argv;							\
	if (setlocale(LC_ALL, "C.UTF-8") == NULL &&			\
	    setlocale(LC_ALL, "en_US.UTF-8") == NULL) {			\
		fprintf(stderr, "fuzz: no UTF-8 locale\n");		\
		abort();						\
	}								\
	return 0;							\
}

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property violated: %s: ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* Bytes of the fuzz data taken from the front. */
struct fz {
	const uint8_t	*p;
	size_t		 n;
};

static inline uint8_t
fz_byte(struct fz *f)
{
	uint8_t b;

	if (f->n == 0)
		return 0;
	b = *f->p++;
	f->n--;
	return b;
}

static inline uint16_t
fz_u16(struct fz *f)
{
	uint16_t hi = fz_byte(f);

	return (uint16_t)(hi << 8 | fz_byte(f));
}

/* Up to max bytes; *len gets how many. */
static inline const char *
fz_bytes(struct fz *f, size_t max, size_t *len)
{
	const char *s = (const char *)f->p;

	*len = max < f->n ? max : f->n;
	f->p += *len;
	f->n -= *len;
	return s;
}

/*
 * Decode one UTF-8 character strictly (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF); written apart from width_utf8 so the
 * two can be compared.  Returns its length, or 0 if invalid.
 */
static inline size_t
fz_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	/* the second byte's range carries the overlong/surrogate/max rules */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	c = s[0] & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static inline bool
fz_is_bidi(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/*
 * Display text as sanitize promises it: valid UTF-8; no C0 byte but the dim
 * markers, which alternate ON, OFF (never nested, none left open), and the
 * tab marks (WIDTH_TAB, outside dim runs, before a space); no DEL; no C1
 * and no bidirectional control; no NUL inside len.
 */
static inline void
fz_check_display(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	bool dim = false;
	size_t i = 0, l;
	uint32_t cp;

	while (i < len) {
		l = fz_utf8(s + i, len - i, &cp);
		CHECK(l > 0, "invalid UTF-8 at byte %zu (0x%02x)", i, s[i]);
		if (cp == (uint32_t)WIDTH_DIM_ON) {
			CHECK(!dim, "nested dim marker at %zu", i);
			dim = true;
		} else if (cp == (uint32_t)WIDTH_DIM_OFF) {
			CHECK(dim, "dim off without on at %zu", i);
			dim = false;
		} else if (cp == (uint32_t)WIDTH_TAB) {
			CHECK(!dim && i + 1 < len && s[i + 1] == ' ',
			    "tab mark in a dim run or not before a space at %zu", i);
		} else {
			CHECK(cp >= 0x20, "C0 byte 0x%02x at %zu", (unsigned)cp, i);
			CHECK(cp != 0x7f, "DEL at %zu", i);
			CHECK(cp < 0x80 || cp > 0x9f, "C1 U+%04X at %zu",
			    (unsigned)cp, i);
			CHECK(!fz_is_bidi(cp), "bidi control U+%04X at %zu",
			    (unsigned)cp, i);
		}
		i += l;
	}
	CHECK(!dim, "dim run left open at the end (%zu bytes)", len);
}

#endif
