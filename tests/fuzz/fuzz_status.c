/*
 * fuzz_status.c - the status line from any facts, into any buffer size.
 *
 * Properties: the text is NUL-ended inside the buffer, whatever its size,
 * and, when the names given are clean (valid UTF-8, no control: host
 * names, addresses, fixed words), valid UTF-8 (never cut inside a
 * character); it is no wider than cols
 * (when cols > 0); with the buffer chat_draw.c gives and no column limit
 * it holds no control byte when the names given hold none, and after a
 * clock (phase not WAITING, secs >= 0) shows HH:MM:SS; status_bytes
 * always fits the 32 bytes status.c gives it and ends in B, KiB, MiB or GiB.
 */
#include <string.h>

#include "fuzz.h"
#include "status.h"

FUZZ_UTF8_LOCALE

static const char *
name(struct fz *f, char *buf, size_t len)
{
	size_t n, k;
	const char *s;
	uint8_t b = fz_byte(f);

	if (b % 8 == 0)
		return NULL;
	s = fz_bytes(f, b % 64 < len - 1 ? b % 64 : len - 1, &n);
	for (k = 0; k < n && s[k] != '\0'; k++)
		buf[k] = s[k];
	buf[k] = '\0';
	return buf;
}

static bool
clean(const char *s)
{
	size_t i, l, n = s != NULL ? strlen(s) : 0;
	uint32_t cp;

	for (i = 0; i < n; i += l)
		if ((l = fz_utf8((const unsigned char *)s + i, n - i, &cp)) == 0 ||
		    cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	char where[80], peer[80], end[80], hint[80], small[32], *out, *ret;
	struct status_facts st;
	size_t outlen, len, i, l;
	int cols;
	bool names_clean;
	uint64_t u = 0;
	uint32_t cp;
	uint8_t flags;

	memset(&st, 0, sizeof st);
	flags = fz_byte(&f);
	st.phase = (enum status_phase)(fz_byte(&f) % 3);
	st.listening = flags & 1;
	st.peer_eof = flags & 2;
	st.local_eof = flags & 4;
	st.queue_full = flags & 8;
	st.crlf = flags & 16;
	st.leaving = flags & 32;
	for (i = 0; i < 8; i++)
		u = u << 8 | fz_byte(&f);
	st.secs = (flags & 64) ? (int64_t)u : (int64_t)(u % 400000);
	st.bytes_in = u * 7;
	st.bytes_out = u >> (fz_byte(&f) % 64);
	st.queued = (size_t)(u >> (fz_byte(&f) % 64));
	st.waiting = (int8_t)fz_byte(&f);
	st.where = name(&f, where, sizeof where);
	if (st.where == NULL)
		st.where = "localhost 8888";
	st.peer = name(&f, peer, sizeof peer);
	st.end = name(&f, end, sizeof end);
	st.hint = name(&f, hint, sizeof hint);
	outlen = 1 + fz_byte(&f) * 4;
	if (flags & 128)
		outlen = 512;		/* what chat_draw.c gives */
	cols = (int8_t)fz_byte(&f);
	if (cols > 100)
		cols = 0;

	CHECK((out = malloc(outlen)) != NULL, "malloc");
	ret = status_text(&st, cols, out, outlen);
	CHECK(ret == out, "returns another pointer");
	CHECK(memchr(out, '\0', outlen) != NULL, "not NUL-ended in %zu", outlen);
	len = strlen(out);
	names_clean = clean(st.where) && clean(st.peer) && clean(st.end) &&
	    clean(st.hint);
	for (i = 0; names_clean && i < len; i += l)
		CHECK((l = fz_utf8((const unsigned char *)out + i, len - i, &cp)) > 0,
		    "invalid UTF-8 at %zu of %zu (buffer %zu, cols %d)", i, len,
		    outlen, cols);
	CHECK(cols <= 0 || width_str(out, len) <= (size_t)cols,
	    "%zu columns wide, cols %d: %s", width_str(out, len), cols, out);
	if (outlen == 512 && cols == 0 && names_clean) {
		for (i = 0; i < len; i += l) {
			l = fz_utf8((const unsigned char *)out + i, len - i, &cp);
			CHECK(l > 0, "invalid UTF-8 at %zu: %s", i, out);
			CHECK(cp >= 0x20 && cp != 0x7f, "control byte at %zu", i);
		}
		if (st.phase != STATUS_WAITING && st.secs >= 0) {
			char clock[32];

			snprintf(clock, sizeof clock, "%02lld:%02lld:%02lld",
			    (long long)st.secs / 3600, (long long)st.secs / 60 % 60,
			    (long long)st.secs % 60);
			CHECK(strstr(out, clock) != NULL, "no clock %s in: %s",
			    clock, out);
		}
	}
	status_bytes(small, sizeof small, u);
	len = strlen(small);
	CHECK(len < sizeof small && len >= 3 && (small[len - 1] == 'B'),
	    "status_bytes(%llu) = '%s'", (unsigned long long)u, small);
	free(out);
	return 0;
}
