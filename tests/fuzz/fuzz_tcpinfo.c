/*
 * fuzz_tcpinfo.c - TCP's facts in words, from any facts, into any buffer.
 *
 * Properties: tcpinfo_json gives 0 or exactly strlen(out), and then one
 * valid JSON object of printable ASCII only, whatever bytes the addresses
 * and the error hold; with the 4 KiB tcpstats.c gives and names of up to
 * 80 bytes it never gives 0; tcpinfo_summary is NUL-ended inside its
 * buffer; tcpinfo_limited says 0..100 percent.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tcpinfo.h"

static const char	*jvalue(const char *);

static const char *
jstring(const char *p)
{
	int i;

	for (p++; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && p[1] == 'u') {
			for (i = 2; i < 6; i++)
				if (p[i] == '\0' ||
				    strchr("0123456789abcdef", p[i]) == NULL)
					return NULL;
			p += 5;
		} else if (*p == '\\') {
			if (p[1] != '"' && p[1] != '\\')
				return NULL;
			p++;
		}
	}
	return p + 1;
}

static const char *
jobject(const char *p)
{
	if (*++p == '}')
		return p + 1;
	for (;;) {
		if (*p != '"' || (p = jstring(p)) == NULL || *p++ != ':' ||
		    (p = jvalue(p)) == NULL)
			return NULL;
		if (*p == '}')
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *
jvalue(const char *p)
{
	const char *s;

	if (*p == '{')
		return jobject(p);
	if (*p == '"')
		return jstring(p);
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	if (*p == '-')
		p++;
	s = p;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	return p > s && s[0] != '.' ? p : NULL;
}

static const char *
name(struct fz *f, char *buf, size_t len)
{
	size_t n, k;
	const char *s;
	uint8_t b = fz_byte(f);

	if (b % 8 == 0)
		return NULL;
	s = fz_bytes(f, b % 96 < len - 1 ? b % 96 : len - 1, &n);
	for (k = 0; k < n && s[k] != '\0'; k++)
		buf[k] = s[k];
	buf[k] = '\0';
	return buf;
}

static uint64_t
u64(struct fz *f)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u = u << 8 | fz_byte(f);
	return u;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct tcpinfo_conn c;
	char local[81], remote[81], error[81], *out;
	size_t outlen, n, i;
	uint8_t flags;
	int pct;

	memset(&c, 0, sizeof c);
	flags = fz_byte(&f);
	c.local = name(&f, local, sizeof local);
	c.remote = name(&f, remote, sizeof remote);
	c.error = name(&f, error, sizeof error);
	c.end = flags & 1 ? "closed" : "error";
	c.start_ms = (int64_t)(u64(&f) % 8000000000000ULL);
	c.duration_ms = (int64_t)(u64(&f) >> 1 >> (fz_byte(&f) % 63));
	c.bytes_in = u64(&f);
	c.bytes_out = u64(&f) >> (fz_byte(&f) % 64);
	c.ti.ok = flags & 2;
	c.ti.have_busy = flags & 4;
	c.ti.have_rate = flags & 8;
	c.ti.have_snd_wnd = flags & 16;
	c.ti.have_bytes_sent = flags & 32;
	c.ti.state = (int8_t)fz_byte(&f);
	c.ti.rtt_us = (uint32_t)u64(&f);
	c.ti.min_rtt_us = (uint32_t)u64(&f);
	c.ti.ssthresh = (uint32_t)u64(&f);
	c.ti.total_retrans = (uint32_t)u64(&f);
	c.ti.busy_us = u64(&f) >> (fz_byte(&f) % 64);
	c.ti.rwnd_limited_us = u64(&f) >> (fz_byte(&f) % 64);
	c.ti.sndbuf_limited_us = u64(&f) >> (fz_byte(&f) % 64);
	c.ti.unacked = (int64_t)u64(&f);
	c.ti.unsent = (int64_t)(u64(&f) >> 1) - 1;
	c.ti.unread = -1;

	(void)tcpinfo_limited(&c.ti, c.duration_ms, &pct);
	CHECK(pct >= 0 && pct <= 100, "%d%%", pct);
	outlen = flags & 128 ? 4096 : 1 + fz_u16(&f) % 2048;
	CHECK((out = malloc(outlen)) != NULL, "malloc");
	n = tcpinfo_json(&c, out, outlen);
	CHECK(outlen < 4096 || n > 0, "nothing in 4 KiB");
	if (n > 0) {
		CHECK(n < outlen && strlen(out) == n, "%zu of %zu", n, outlen);
		for (i = 0; i < n; i++)
			CHECK(out[i] >= 0x20 && out[i] < 0x7f, "byte %02x at %zu",
			    (unsigned char)out[i], i);
		CHECK(out[0] == '{' && jvalue(out) == out + n, "not JSON: %s",
		    out);
	}
	tcpinfo_summary(&c, out, outlen);
	CHECK(memchr(out, '\0', outlen) != NULL, "summary not NUL-ended");
	free(out);
	return 0;
}
