/*
 * fuzz_proxy.c - the proxy handshake's pure parsers and builders.
 *
 * Properties: proxy_http_header_end on any bytes is 0 when there is no blank
 * line, else just after the first one (CRLF CRLF, or the lax LF LF and
 * LF CRLF it also takes), within n; proxy_http_status never writes past
 * linelen, leaves a NUL-ended line of printable ASCII (the status line's
 * printable bytes, as far as they fit) and says -1 or a code 100..599 that
 * is the line's digits; proxy_socks4_reply grants exactly 00/04 5a, and
 * proxy_socks5_reply_len is 0 or RFC 1928's length for the ATYP; every
 * proxy_socks5_reply_word is words.  The request builders, given a fuzzed
 * host, port, user and a buffer of fuzzed size (exactly that size, so ASan
 * sees an overrun), either return 0 or fill at most the buffer with the
 * request RFC/the protocol says, host and port intact; and proxy_base64
 * decodes back with a small reference decoder.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "net.h"
#include "proxy.h"

/* proxy_connect is not fuzzed: net.c (sockets, netlink) stays out. */
int
net_connect(const struct tt_opts *o, char *peer, size_t peerlen, char *err,
    size_t errlen, int64_t *took_us)
{
	(void)o;
	(void)peer;
	(void)peerlen;
	(void)took_us;
	snprintf(err, errlen, "no network in the fuzzer");
	return -1;
}

/* Where the first blank line ends, the obvious way. */
static size_t
ref_header_end(const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i + 1 < n && b[i] == '\n' && b[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && b[i] == '\n' && b[i + 1] == '\r' &&
		    b[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static void
check_http_reply(const char *b, size_t n, size_t linelen)
{
	char *line = malloc(linelen ? linelen : 1);
	size_t e, i, j = 0, crlf = 0;
	int code;

	CHECK(line != NULL, "malloc");
	e = proxy_http_header_end(b, n);
	CHECK(e <= n, "end %zu of %zu", e, n);
	CHECK(e == ref_header_end(b, n), "end %zu, reference %zu", e,
	    ref_header_end(b, n));
	for (i = 0; i + 3 < n; i++)
		if (memcmp(b + i, "\r\n\r\n", 4) == 0) {
			crlf = i + 4;
			break;
		}
	if (crlf > 0 && memchr(b, '\n', crlf - 3) == NULL)
		CHECK(e == crlf, "end %zu, first CRLF CRLF ends at %zu", e, crlf);

	code = proxy_http_status(b, n, line, linelen);
	CHECK(code == -1 || (code >= 100 && code <= 599), "code %d", code);
	if (linelen > 0) {
		CHECK(memchr(line, '\0', linelen) != NULL, "line not NUL-ended");
		for (i = 0; i < n && b[i] != '\r' && b[i] != '\n'; i++)
			if (b[i] >= 0x20 && b[i] < 0x7f && j + 1 < linelen)
				CHECK(line[j++] == b[i], "line byte %zu", j - 1);
		CHECK(line[j] == '\0', "line of %zu, want %zu", strlen(line), j);
		for (i = 0; i < j; i++)
			CHECK(line[i] >= 0x20 && line[i] < 0x7f,
			    "unprintable 0x%02x in the line", (unsigned char)line[i]);
	}
	if (code != -1) {
		CHECK(n >= 12 && memcmp(b, "HTTP/", 5) == 0 && b[8] == ' ',
		    "code %d for no HTTP reply", code);
		CHECK((b[9] - '0') * 100 + (b[10] - '0') * 10 + b[11] - '0' == code,
		    "code %d, line '%.12s'", code, b);
	}
	free(line);
}

static void
check_socks_replies(const unsigned char *r)
{
	const char *why = proxy_socks4_reply(r);
	size_t l;

	CHECK((why == NULL) == ((r[0] == 0 || r[0] == 4) && r[1] == 0x5a),
	    "SOCKS4 %02x %02x: %s", r[0], r[1], why ? why : "granted");
	CHECK(why == NULL || (why[0] != '\0' && strlen(why) < 80),
	    "SOCKS4 reason");
	l = proxy_socks5_reply_len(r);
	if (r[0] != 5 || (r[3] != 1 && r[3] != 3 && r[3] != 4))
		CHECK(l == 0, "length %zu for %02x ATYP %02x", l, r[0], r[3]);
	else if (r[3] == 1)
		CHECK(l == 10, "IPv4 reply of %zu", l);
	else if (r[3] == 4)
		CHECK(l == 22, "IPv6 reply of %zu", l);
	else
		CHECK(l == 7 + (size_t)r[4], "name reply of %zu (len %u)", l, r[4]);
}

static int
b64val(char c)
{
	const char *a =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(a, c) : NULL;

	return p != NULL ? (int)(p - a) : -1;
}

/* A strict padded base64 decoder: bytes into out, or (size_t)-1. */
static size_t
ref_unbase64(const char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0, pad;
	int v[4], k;

	if (n % 4 != 0)
		return (size_t)-1;
	for (i = 0; i < n; i += 4) {
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = b64val(s[i + k])) < 0)
				return (size_t)-1;
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return o;
}

static void
check_base64(const char *in, size_t n, size_t room)
{
	char *out = malloc(room ? room : 1);
	unsigned char *back = malloc(n + 3);
	size_t l, b;

	CHECK(out != NULL && back != NULL, "malloc");
	l = proxy_base64(in, n, out, room);
	if (room < (n + 2) / 3 * 4 + 1) {
		CHECK(l == 0, "%zu bytes in a %zu-byte buffer", l, room);
	} else {
		CHECK(l == (n + 2) / 3 * 4 && out[l] == '\0', "length %zu of %zu",
		    l, n);
		b = ref_unbase64(out, l, back);
		CHECK(b == n && memcmp(back, in, n) == 0,
		    "round trip: %zu bytes back of %zu", b, n);
	}
	free(out);
	free(back);
}

/* A NUL-ended copy of fuzzed bytes (NUL bytes in them become 'x'). */
static char *
fz_str(struct fz *f, size_t max)
{
	size_t n, i;
	const char *s = fz_bytes(f, max, &n);
	char *c = malloc(n + 1);

	CHECK(c != NULL, "malloc");
	for (i = 0; i < n; i++)
		c[i] = s[i] != '\0' ? s[i] : 'x';
	c[n] = '\0';
	return c;
}

static void
check_builders(struct fz *f)
{
	char *host, *user, *pass, *auth, hp[600], *hb;
	unsigned char v4[4], a6[16], *ub;
	size_t room, l, hl, ul, n;
	unsigned port;
	int i;

	room = fz_u16(f) % 1200;
	port = fz_u16(f);
	if (fz_byte(f) & 1)
		port += (unsigned)fz_u16(f) << 16;	/* sometimes out of range */
	host = fz_str(f, fz_byte(f) + (fz_byte(f) & 1 ? 256 : 0));
	user = fz_str(f, fz_u16(f) % 300);
	pass = fz_str(f, fz_u16(f) % 300);
	hl = strlen(host);
	ul = strlen(user);
	auth = malloc(ul + strlen(pass) + 2);
	CHECK(auth != NULL, "malloc");
	sprintf(auth, "%s:%s", user, pass);
	hb = malloc(room ? room : 1);
	ub = malloc(room ? room : 1);
	CHECK(hb != NULL && ub != NULL, "malloc");

	/* HTTP CONNECT: the whole request with the host intact, or 0 */
	for (i = 0; i < 2; i++) {
		l = proxy_http_request(hb, room, host, port, i ? auth : NULL);
		CHECK(l < room || l == 0, "%zu bytes in %zu", l, room);
		if (l == 0)
			continue;
		CHECK(hb[l] == '\0' && strlen(hb) == l, "not NUL-ended");
		snprintf(hp, sizeof hp, strchr(host, ':') ? "CONNECT [%s]:%u " :
		    "CONNECT %s:%u ", host, port);
		CHECK(strncmp(hb, hp, strlen(hp)) == 0,
		    "request line '%.80s' for host of %zu bytes", hb, hl);
		CHECK(l >= 4 && memcmp(hb + l - 4, "\r\n\r\n", 4) == 0,
		    "no blank line at the end");
	}

	/* SOCKS4 and 4a */
	memcpy(v4, host, hl < 4 ? hl : 4);
	for (i = 0; i < 2; i++) {
		l = proxy_socks4_request(ub, room, i ? v4 : NULL, host, port,
		    fz_byte(f) & 1 ? user : NULL);
		n = i ? 0 : hl + 1;
		if (l == 0)
			continue;
		CHECK(l <= room, "%zu bytes in %zu", l, room);
		CHECK(ub[0] == 4 && ub[1] == 1 && ub[2] == (unsigned char)(port >> 8)
		    && ub[3] == (unsigned char)port, "SOCKS4 head");
		CHECK(l == 8 + strlen((char *)ub + 8) + 1 + n, "SOCKS4 length %zu", l);
		if (!i)
			CHECK(memcmp(ub + l - n, host, n) == 0, "SOCKS4a name");
	}

	/* SOCKS5 */
	l = proxy_socks5_greeting(ub, room, fz_byte(f) & 1);
	CHECK(l == 0 || (l <= room && ub[0] == 5 && l == 2u + ub[1]),
	    "greeting of %zu", l);
	l = proxy_socks5_auth(ub, room, auth);
	if (l == 0)
		CHECK(ul > 255 || strlen(pass) > 255 || 3 + ul + strlen(pass) > room
		    || strchr(user, ':') != NULL, "auth refused");
	else
		CHECK(l <= room && ub[0] == 1 && ub[1] + 3u + ub[2 + ub[1]] == l &&
		    memcmp(ub + 2, auth, ub[1]) == 0, "auth of %zu", l);
	l = proxy_socks5_request(ub, room, host, port);
	if (inet_pton(AF_INET, host, a6) == 1)
		n = 10, i = 1;
	else if (inet_pton(AF_INET6, host, a6) == 1)
		n = 22, i = 4;
	else
		n = hl == 0 || hl > 255 ? 0 : 7 + hl, i = 3;
	CHECK(l == (n <= room ? n : 0), "SOCKS5 request of %zu, want %zu in %zu",
	    l, n, room);
	if (l > 0) {
		CHECK(ub[0] == 5 && ub[1] == 1 && ub[2] == 0, "SOCKS5 head");
		CHECK(ub[l - 2] == (unsigned char)(port >> 8) &&
		    ub[l - 1] == (unsigned char)port, "SOCKS5 port");
		if (i == 1)
			CHECK(ub[3] == 1 && memcmp(ub + 4, a6, 4) == 0, "SOCKS5 IPv4");
		else if (i == 4)
			CHECK(ub[3] == 4 && memcmp(ub + 4, a6, 16) == 0, "SOCKS5 IPv6");
		else
			CHECK(ub[3] == 3 && ub[4] == hl &&
			    memcmp(ub + 5, host, hl) == 0, "SOCKS5 name");
	}

	check_base64(auth, strlen(auth), room);
	free(host);
	free(user);
	free(pass);
	free(auth);
	free(hb);
	free(ub);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	unsigned char r[8] = { 0 };
	const char *w;
	size_t linelen;
	int rep;

	linelen = fz_byte(&f) % 40;
	check_http_reply((const char *)f.p, f.n, linelen);
	memcpy(r, data, size < 8 ? size : 8);
	check_socks_replies(r);
	rep = (int)((uint32_t)fz_u16(&f) << 16 | fz_u16(&f));
	w = proxy_socks5_reply_word(rep);
	CHECK(w != NULL && w[0] != '\0' && strlen(w) < 80, "reply word %d", rep);
	w = proxy_socks5_reply_word(r[1]);
	CHECK(w != NULL && w[0] != '\0', "reply word %u", r[1]);
	check_builders(&f);
	return 0;
}
