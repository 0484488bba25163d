/*
 * proxy.c - HTTP CONNECT (RFC 9110), SOCKS4/4a and SOCKS5 (RFC 1928, user
 * and password RFC 1929) on a socket already connected to the proxy.  The
 * top half builds requests and reads replies without any I/O; the bottom
 * half speaks them with a deadline, reading exactly the handshake so no
 * byte of the stream that follows is taken.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "net.h"
#include "opts.h"
#include "proxy.h"

static const char *const type_names[] = { "http", "socks4", "socks5" };

const char *
proxy_type_name(int type)
{
	if (type < 0 || type > OPTS_PROXY_SOCKS5)
		return "?";
	return type_names[type];
}

size_t
proxy_base64(const void *in, size_t n, char *out, size_t outlen)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = in;
	size_t i, o = 0;
	unsigned long v;

	if (outlen < (n + 2) / 3 * 4 + 1)
		return 0;
	for (i = 0; i < n; i += 3) {
		v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = a[(v >> 18) & 63];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? a[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

size_t
proxy_http_request(char *buf, size_t len, const char *host, unsigned port,
    const char *auth)
{
	char hp[300], b64[700];
	const char *l = strchr(host, ':') != NULL ? "[" : "";
	const char *r = *l != '\0' ? "]" : "";
	int n;

	/* an IPv6 literal goes in brackets: CONNECT [::1]:80; a host too
	 * long for it is refused, never cut */
	n = snprintf(hp, sizeof hp, "%s%s%s:%u", l, host, r, port);
	if (n < 0 || (size_t)n >= sizeof hp)
		return 0;
	if (auth != NULL) {
		if (proxy_base64(auth, strlen(auth), b64, sizeof b64) == 0)
			return 0;
		n = snprintf(buf, len, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n"
		    "Proxy-Authorization: Basic %s\r\n\r\n", hp, hp, b64);
	} else
		n = snprintf(buf, len, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n",
		    hp, hp);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

size_t
proxy_http_header_end(const char *buf, size_t n)
{
	size_t i;

	/* the blank line: CRLF CRLF, or a bare LF LF from a lax proxy */
	for (i = 1; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i - 1] == '\n')
			return i + 1;
		if (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n')
			return i + 1;
	}
	return 0;
}

int
proxy_http_status(const char *hdr, size_t n, char *line, size_t linelen)
{
	size_t i, j = 0;
	int code;

	for (i = 0; i < n && hdr[i] != '\r' && hdr[i] != '\n'; i++)
		if (j + 1 < linelen && hdr[i] >= 0x20 && hdr[i] < 0x7f)
			line[j++] = hdr[i];
	if (linelen > 0)
		line[j] = '\0';
	/* "HTTP/1.1 200 ..." : the code is the three digits after the space */
	if (i < 12 || strncmp(hdr, "HTTP/", 5) != 0 || hdr[8] != ' ')
		return -1;
	if (hdr[9] < '1' || hdr[9] > '5' || hdr[10] < '0' || hdr[10] > '9' ||
	    hdr[11] < '0' || hdr[11] > '9')
		return -1;
	code = (hdr[9] - '0') * 100 + (hdr[10] - '0') * 10 + (hdr[11] - '0');
	return code;
}

size_t
proxy_socks4_request(unsigned char *buf, size_t len, const unsigned char *v4,
    const char *name, unsigned port, const char *user)
{
	size_t ulen = user != NULL ? strlen(user) : 0;
	size_t nlen = v4 == NULL ? strlen(name) + 1 : 0;
	size_t n = 8 + ulen + 1 + nlen;

	if (n > len)
		return 0;
	buf[0] = 4;		/* version */
	buf[1] = 1;		/* CONNECT */
	buf[2] = (unsigned char)(port >> 8);
	buf[3] = (unsigned char)port;
	if (v4 != NULL)
		memcpy(buf + 4, v4, 4);
	else {			/* SOCKS4a: 0.0.0.1, the name after the user */
		memset(buf + 4, 0, 3);
		buf[7] = 1;
	}
	memcpy(buf + 8, user != NULL ? user : "", ulen);
	buf[8 + ulen] = 0;
	if (v4 == NULL)
		memcpy(buf + 9 + ulen, name, nlen);
	return n;
}

const char *
proxy_socks4_reply(const unsigned char *r)
{
	if (r[0] != 0 && r[0] != 4)
		return _("not a SOCKS4 reply");
	switch (r[1]) {
	case 0x5a:
		return NULL;
	case 0x5b:
		return _("request rejected or failed");
	case 0x5c:
		return _("the proxy cannot reach our identd");
	case 0x5d:
		return _("identd reports a different user");
	default:
		return _("not a SOCKS4 reply");
	}
}

size_t
proxy_socks5_greeting(unsigned char *buf, size_t len, bool auth)
{
	if (len < 4)
		return 0;
	buf[0] = 5;
	buf[1] = auth ? 2 : 1;	/* how many methods */
	buf[2] = 0;		/* none */
	buf[3] = 2;		/* user and password */
	return auth ? 4 : 3;
}

size_t
proxy_socks5_auth(unsigned char *buf, size_t len, const char *auth)
{
	const char *colon = strchr(auth, ':');
	size_t ul, pl;

	if (colon == NULL)
		return 0;
	ul = (size_t)(colon - auth);
	pl = strlen(colon + 1);
	if (ul > 255 || pl > 255 || 3 + ul + pl > len)
		return 0;
	buf[0] = 1;		/* sub-negotiation version */
	buf[1] = (unsigned char)ul;
	memcpy(buf + 2, auth, ul);
	buf[2 + ul] = (unsigned char)pl;
	memcpy(buf + 3 + ul, colon + 1, pl);
	return 3 + ul + pl;
}

size_t
proxy_socks5_request(unsigned char *buf, size_t len, const char *host,
    unsigned port)
{
	unsigned char addr[256];
	size_t n;
	int atyp;

	if (inet_pton(AF_INET, host, addr) == 1) {
		atyp = 1;
		n = 4;
	} else if (inet_pton(AF_INET6, host, addr) == 1) {
		atyp = 4;
		n = 16;
	} else {		/* a name, resolved by the proxy */
		atyp = 3;
		if ((n = strlen(host)) == 0 || n > 255)
			return 0;
		addr[0] = (unsigned char)n;
		memcpy(addr + 1, host, n++);
	}
	if (6 + n > len)
		return 0;
	buf[0] = 5;
	buf[1] = 1;		/* CONNECT */
	buf[2] = 0;
	buf[3] = (unsigned char)atyp;
	memcpy(buf + 4, addr, n);
	buf[4 + n] = (unsigned char)(port >> 8);
	buf[5 + n] = (unsigned char)port;
	return 6 + n;
}

size_t
proxy_socks5_reply_len(const unsigned char *r)
{
	if (r[0] != 5)
		return 0;
	switch (r[3]) {
	case 1:
		return 4 + 4 + 2;
	case 3:
		return 4 + 1 + (size_t)r[4] + 2;
	case 4:
		return 4 + 16 + 2;
	default:
		return 0;
	}
}

const char *
proxy_socks5_reply_word(int rep)
{
	static const char *const words[] = {
		N_("succeeded"),
		N_("general failure"),
		N_("connection not allowed by ruleset"),
		N_("network unreachable"),
		N_("host unreachable"),
		N_("connection refused"),
		N_("TTL expired"),
		N_("command not supported"),
		N_("address type not supported"),
	};

	if (rep < 0 || rep >= (int)(sizeof words / sizeof words[0]))
		return _("unknown reply code");
	return _(words[rep]);
}

/* ---- I/O: a blocking-style exchange on a non-blocking socket ---- */

struct px {
	int		 fd;
	int64_t		 deadline;
	int		 timeout_ms;
	const char	*addr;		/* the proxy, for messages */
	char		*err;
	size_t		 errlen;
};

/* Until fd is ready for events or the deadline; -1 with err set. */
static int
px_wait(struct px *x, short events)
{
	struct pollfd pfd = { .fd = x->fd, .events = events };
	int64_t left;
	int rc;

	for (;;) {
		left = x->deadline - clock_now_ms();
		if (left <= 0) {
			snprintf(x->err, x->errlen, _("the proxy %s did not "
			    "answer within %.1f seconds"), x->addr,
			    x->timeout_ms / 1000.0);
			return -1;
		}
		rc = poll(&pfd, 1, (int)left);
		if (rc > 0)
			return 0;
		if (rc == -1 && errno != EINTR) {
			snprintf(x->err, x->errlen, _("poll: %s"),
			    strerror(errno));
			return -1;
		}
	}
}

static int
px_write(struct px *x, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	ssize_t w;

	while (n > 0) {
		if (px_wait(x, POLLOUT) == -1)
			return -1;
		w = send(x->fd, p, n, MSG_NOSIGNAL);
		if (w == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w == -1 && (errno == EPIPE || errno == ECONNRESET)) {
			snprintf(x->err, x->errlen, _("the proxy %s closed the "
			    "connection before it answered"), x->addr);
			return -1;
		}
		if (w == -1) {
			snprintf(x->err, x->errlen, _("the proxy %s: %s"),
			    x->addr, strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* recv with flags after waiting; 0 on EOF (err set), -1 on error. */
static ssize_t
px_recv(struct px *x, void *buf, size_t n, int flags)
{
	ssize_t r;

	for (;;) {
		if (px_wait(x, POLLIN) == -1)
			return -1;
		r = recv(x->fd, buf, n, flags);
		if (r == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r == -1 && errno != ECONNRESET) {
			snprintf(x->err, x->errlen, _("the proxy %s: %s"),
			    x->addr, strerror(errno));
			return -1;
		}
		if (r <= 0) {	/* a hang-up with our request unread: RST */
			snprintf(x->err, x->errlen, _("the proxy %s closed the "
			    "connection before it answered"), x->addr);
			return -1;
		}
		return r;
	}
}

static int
px_read(struct px *x, void *buf, size_t n)
{
	unsigned char *p = buf;
	ssize_t r;

	while (n > 0) {
		if ((r = px_recv(x, p, n, 0)) == -1)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
http_connect(struct px *x, const struct tt_opts *o, unsigned port)
{
	char req[1200], hdr[PROXY_HTTP_MAX], line[200];
	size_t n, have = 0, end;
	ssize_t r;
	int code;

	if ((n = proxy_http_request(req, sizeof req, o->host, port,
	    o->proxy_auth)) == 0) {
		snprintf(x->err, x->errlen, _("HOST or --proxy-auth is too "
		    "long for an HTTP proxy request"));
		return -1;
	}
	if (px_write(x, req, n) == -1)
		return -1;
	/* Peek, then take only up to the blank line: what follows it is
	 * the peer's and stays in the socket for the session. */
	for (;;) {
		if (have == sizeof hdr) {
			snprintf(x->err, x->errlen, _("the proxy %s sent a "
			    "reply header longer than %d bytes"), x->addr,
			    PROXY_HTTP_MAX);
			return -1;
		}
		if ((r = px_recv(x, hdr + have, sizeof hdr - have,
		    MSG_PEEK)) == -1)
			return -1;
		end = proxy_http_header_end(hdr, have + (size_t)r);
		n = end > 0 ? end - have : (size_t)r;
		if (px_read(x, hdr + have, n) == -1)
			return -1;
		have += n;
		if (end > 0)
			break;
	}
	code = proxy_http_status(hdr, have, line, sizeof line);
	if (code == -1) {
		snprintf(x->err, x->errlen, _("the proxy %s did not answer in "
		    "HTTP: %s"), x->addr, line);
		return -1;
	}
	if (code < 200 || code > 299) {
		snprintf(x->err, x->errlen, _("the proxy refused: %s"), line);
		return -1;
	}
	return 0;
}

static int
socks4_connect(struct px *x, const struct tt_opts *o, unsigned port)
{
	unsigned char req[600], a[16], rep[8];
	char user[256] = "";
	const char *why;
	size_t n, ul;
	bool v4 = inet_pton(AF_INET, o->host, a) == 1;

	if (inet_pton(AF_INET6, o->host, a) == 1) {
		snprintf(x->err, x->errlen, _("a SOCKS4 proxy cannot reach the "
		    "IPv6 address %s; use --proxy-type socks5"), o->host);
		return -1;
	}
	if (o->proxy_auth != NULL) {	/* the user goes as the SOCKS4 user id */
		ul = strcspn(o->proxy_auth, ":");
		snprintf(user, sizeof user, "%.*s", (int)ul, o->proxy_auth);
	}
	if ((n = proxy_socks4_request(req, sizeof req, v4 ? a : NULL, o->host,
	    port, user)) == 0) {
		snprintf(x->err, x->errlen, _("HOST is too long for a SOCKS4 "
		    "request"));
		return -1;
	}
	if (px_write(x, req, n) == -1 || px_read(x, rep, sizeof rep) == -1)
		return -1;
	if ((why = proxy_socks4_reply(rep)) != NULL) {
		snprintf(x->err, x->errlen, _("the proxy refused: %s (SOCKS4 "
		    "reply %d)"), why, rep[1]);
		return -1;
	}
	return 0;
}

static int
socks5_connect(struct px *x, const struct tt_opts *o, unsigned port)
{
	unsigned char req[600], rep[300];
	bool auth = o->proxy_auth != NULL;
	size_t n;

	n = proxy_socks5_greeting(req, sizeof req, auth);
	if (px_write(x, req, n) == -1 || px_read(x, rep, 2) == -1)
		return -1;
	if (rep[0] != 5) {
		snprintf(x->err, x->errlen, _("the proxy %s does not speak "
		    "SOCKS5"), x->addr);
		return -1;
	}
	if (rep[1] == 0xff || (rep[1] == 2 && !auth) || rep[1] > 2 ||
	    rep[1] == 1) {
		snprintf(x->err, x->errlen, auth ? _("the proxy refused: it "
		    "takes none of our authentication methods") : _("the proxy "
		    "refused: it wants a user and password (--proxy-auth)"));
		return -1;
	}
	if (rep[1] == 2) {
		if ((n = proxy_socks5_auth(req, sizeof req, o->proxy_auth)) == 0) {
			snprintf(x->err, x->errlen, _("--proxy-auth: USER and "
			    "PASS may be 255 bytes each for SOCKS5"));
			return -1;
		}
		if (px_write(x, req, n) == -1 || px_read(x, rep, 2) == -1)
			return -1;
		if (rep[1] != 0) {
			snprintf(x->err, x->errlen, _("the proxy refused the "
			    "user and password (RFC 1929 status %d)"), rep[1]);
			return -1;
		}
	}
	if ((n = proxy_socks5_request(req, sizeof req, o->host, port)) == 0) {
		snprintf(x->err, x->errlen, _("HOST is too long for a SOCKS5 "
		    "request"));
		return -1;
	}
	if (px_write(x, req, n) == -1 || px_read(x, rep, 5) == -1)
		return -1;
	/* a refusal is said even when the rest of the reply is odd */
	if (rep[0] == 5 && rep[1] != 0) {
		snprintf(x->err, x->errlen, _("the proxy refused: %s (SOCKS5 "
		    "reply %d)"), proxy_socks5_reply_word(rep[1]), rep[1]);
		return -1;
	}
	if ((n = proxy_socks5_reply_len(rep)) == 0) {
		snprintf(x->err, x->errlen, _("the proxy %s sent a reply that "
		    "is not SOCKS5"), x->addr);
		return -1;
	}
	/* the bound address: read and dropped, so the stream starts clean */
	return px_read(x, rep + 5, n - 5);
}

/* PORT as a number: digits, or a service name looked up locally. */
static unsigned
port_number(const char *port)
{
	struct servent *se;

	if (port[0] >= '0' && port[0] <= '9')
		return (unsigned)strtoul(port, NULL, 10);
	se = getservbyname(port, "tcp");
	return se != NULL ? ntohs((unsigned short)se->s_port) : 0;
}

int
proxy_connect(const struct tt_opts *o, char *peer, size_t peerlen, char *err,
    size_t errlen)
{
	struct tt_opts po = *o;
	struct px x;
	unsigned char a[16];
	char why[400];
	unsigned port;
	int fd, rc;

	/* -n: no name lookups anywhere, not even by the proxy */
	if (o->numeric && inet_pton(AF_INET, o->host, a) != 1 &&
	    inet_pton(AF_INET6, o->host, a) != 1) {
		snprintf(err, errlen, _("%s: not a numeric address (-n)"),
		    o->host);
		return -1;
	}
	if ((port = port_number(o->port)) == 0) {
		snprintf(err, errlen, _("unknown port '%s'"), o->port);
		return -1;
	}
	po.host = o->proxy_host;
	po.port = o->proxy_port;
	if ((fd = net_connect(&po, peer, peerlen, why, sizeof why, NULL)) == -1) {
		snprintf(err, errlen, _("cannot reach the proxy: %s"), why);
		return -1;
	}
	x = (struct px){ .fd = fd, .addr = peer, .err = err, .errlen = errlen,
	    .timeout_ms = o->wait_ms > 0 ? o->wait_ms : PROXY_TIMEOUT_MS };
	x.deadline = clock_now_ms() + x.timeout_ms;
	switch (o->proxy_type) {
	case OPTS_PROXY_SOCKS4:
		rc = socks4_connect(&x, o, port);
		break;
	case OPTS_PROXY_SOCKS5:
		rc = socks5_connect(&x, o, port);
		break;
	default:
		rc = http_connect(&x, o, port);
		break;
	}
	if (rc == -1) {
		close(fd);
		return -1;
	}
	/* the peer, for the chat and pipe messages, is the target, not the
	 * proxy (which where names) */
	snprintf(peer, peerlen, strchr(o->host, ':') != NULL ? "[%s]:%s" :
	    "%s:%s", o->host, o->port);
	return fd;
}

void
proxy_where(const struct tt_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, _("%s %s via proxy %s (%s)"), o->host, o->port,
	    o->proxy, proxy_type_name(o->proxy_type));
}
