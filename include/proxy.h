/*
 * proxy.h - reach HOST PORT through an HTTP CONNECT, SOCKS4(a) or SOCKS5
 * proxy (--proxy).  The request builders and reply parsers are pure, so
 * the unit tests see every byte; proxy_connect does the I/O.
 */
#ifndef TCPTALK_PROXY_H
#define TCPTALK_PROXY_H

#include <stdbool.h>
#include <stddef.h>

struct tt_opts;

#define PROXY_HTTP_MAX		8192	/* reply header bound */
#define PROXY_TIMEOUT_MS	30000	/* the handshake without -w */

/* "http", "socks4", "socks5" for an OPTS_PROXY_ type. */
const char *proxy_type_name(int type);
/* Base64 of n bytes (RFC 4648, padded) into out; its length, or 0 if
 * out is too small. */
size_t	proxy_base64(const void *in, size_t n, char *out, size_t outlen);

/* "CONNECT host:port HTTP/1.1" with Host and, when auth (USER:PASS) is
 * given, Proxy-Authorization: Basic.  Its length, or 0 if buf is too small. */
size_t	proxy_http_request(char *buf, size_t len, const char *host,
	    unsigned port, const char *auth);
/* Where the header ends (after the blank line) in buf[0..n), or 0. */
size_t	proxy_http_header_end(const char *buf, size_t n);
/* The status code of a reply header, its status line (printable ASCII
 * only) in line; -1 if it is not an HTTP reply. */
int	proxy_http_status(const char *hdr, size_t n, char *line,
	    size_t linelen);

/*
 * SOCKS4 CONNECT to an IPv4 address (v4 != NULL, 4 bytes) or, SOCKS4a, to
 * a name.  user may be NULL.  Its length, or 0 if it does not fit.
 */
size_t	proxy_socks4_request(unsigned char *buf, size_t len,
	    const unsigned char *v4, const char *name, unsigned port,
	    const char *user);
/* NULL if the 8-byte reply grants the request, else why not in words. */
const char *proxy_socks4_reply(const unsigned char *r);

/* Greeting: no authentication, and user/password when auth. */
size_t	proxy_socks5_greeting(unsigned char *buf, size_t len, bool auth);
/* RFC 1929 sub-negotiation from "USER:PASS"; 0 if a part is over 255. */
size_t	proxy_socks5_auth(unsigned char *buf, size_t len, const char *auth);
/* CONNECT: an IPv4/IPv6 literal goes as an address, a name as a name
 * (ATYP 3: the proxy resolves it).  0 if it does not fit. */
size_t	proxy_socks5_request(unsigned char *buf, size_t len, const char *host,
	    unsigned port);
/* From the reply's first 5 bytes, its whole length, or 0 if malformed. */
size_t	proxy_socks5_reply_len(const unsigned char *r);
/* A reply code (RFC 1928 REP) in words. */
const char *proxy_socks5_reply_word(int rep);

/*
 * Connect to the proxy of the options (net_connect: -4/-6/-s/-w apply),
 * then ask it for o->host o->port within -w (else PROXY_TIMEOUT_MS).
 * Exactly the handshake is read: the stream's first byte is the peer's.
 * A non-blocking socket, peer holds the target as "HOST:PORT" (the
 * conversation is with it); or -1 with err set (the proxy's refusal in
 * words).
 */
int	proxy_connect(const struct tt_opts *, char *peer, size_t peerlen,
	    char *err, size_t errlen);
/* "HOST PORT via proxy PROXY (type)" */
void	proxy_where(const struct tt_opts *, char *buf, size_t len);

#endif
