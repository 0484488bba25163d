/*
 * tls.h - TLS over a connected socket: the only interface to OpenSSL
 * (src/tls.c; src/tls_none.c when the build has no libssl).  Nothing here
 * polls: every call does what it can now and says, through tls_want, what
 * the socket must become (readable or writable) before calling again.
 *
 * Trust is judged after the handshake, not inside it, so the chat can show
 * an unverified certificate and let the user decide (tls_get_info, then
 * tls_trust_store for "always").  The handshake itself always completes on
 * the client side; a server that requires client certificates
 * (--tls-verify-client) refuses inside the handshake.
 */
#ifndef TCPTALK_TLS_H
#define TCPTALK_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tt_opts;
struct tls_ctx;		/* the configuration: made once at start-up */
struct tls;		/* one connection */

#define TLS_AGAIN	(-2)	/* no progress: wait for tls_want, then again */

/* Is TLS built in?  (tls_none.c says false, and every call fails.) */
bool	tls_available(void);
/* "OpenSSL 3.0.19 1 Sep 2026", or "no" */
const char *tls_library(void);

/*
 * The configuration from the options, for the role (o->listen: server).
 * Loads --tls-ca, --tls-cert/--tls-key, --tls-verify-client; a listener
 * with no certificate gets the self-signed one kept in state_dir
 * (created on first use, EC P-256, CN = host name, 0600), and note says
 * so ("created a self-signed certificate: DIR/tls-cert.pem").  NULL with
 * a one-line err when something cannot be loaded (exit 1 at start-up).
 * state_dir may be NULL (no HOME): then a listener needs --tls-cert.
 */
struct tls_ctx *tls_ctx_new(const struct tt_opts *, const char *state_dir,
	    char *note, size_t notelen, char *err, size_t errlen);
void	tls_ctx_free(struct tls_ctx *);
/* The listener's own certificate as "sha256:AB:CD:...", "" if none. */
const char *tls_ctx_fingerprint(const struct tls_ctx *);

/*
 * A connection over fd (not closed by tls_free).  Client side: name is the
 * name to verify and send as SNI (--tls-sni overrides; none for an IP
 * address), hostport the known-hosts key ("example.com:443", the Unix
 * path for -U).  Server side: both NULL.  NULL on no memory.
 */
struct tls *tls_new(struct tls_ctx *, int fd, const char *name,
	    const char *hostport);
void	tls_free(struct tls *);

/* 1 done, TLS_AGAIN, -1 failed (tls_error says why, e.g. "the peer does
 * not speak TLS (it sent "HTTP/1.1 400 ...")", "handshake failed: no
 * shared cipher", "the peer closed the connection during the handshake"). */
int	tls_handshake(struct tls *);
/* >0 bytes, 0 the peer's close_notify (or its EOF: see tls_truncated),
 * TLS_AGAIN, -1 error (tls_error; errno ECONNRESET for a reset). */
ssize_t	tls_read(struct tls *, void *, size_t);
/* >0 bytes taken (partial writes allowed), TLS_AGAIN, -1 error. */
ssize_t	tls_write(struct tls *, const void *, size_t);
/* Send our close_notify (the TLS half-close; the socket's SHUT_WR is the
 * caller's, after this returned 0): 0 sent, TLS_AGAIN, -1 error. */
int	tls_shutdown(struct tls *);
/* Bytes held inside OpenSSL, readable with no poll event: decrypted ones,
 * or 1 for whole records read ahead (never for half a record). */
size_t	tls_pending(const struct tls *);
/* What the last TLS_AGAIN waits for: POLLIN, POLLOUT, or 0. */
short	tls_want(const struct tls *);
/* Why the last call failed, one line. */
const char *tls_error(const struct tls *);
/* The peer's stream ended without close_notify (a truncation attack or a
 * peer that just closed the socket): true after tls_read returned 0. */
bool	tls_truncated(const struct tls *);
/* Bytes handed to the socket so far: every record (handshake, data,
 * alerts), as the peer's TCP will acknowledge them.  The delivery marks
 * compare SIOCOUTQ with this, not with the plaintext written. */
uint64_t tls_wire_written(const struct tls *);

enum tls_trust {
	TLS_TRUST_VERIFIED,	/* CA chain and host name check out */
	TLS_TRUST_PINNED,	/* matches --tls-pin */
	TLS_TRUST_KNOWN,	/* matches the known-hosts pin for hostport */
	TLS_TRUST_INSECURE,	/* --tls-insecure: not checked */
	TLS_TRUST_CLIENT_OK,	/* server side: client cert verified */
	TLS_TRUST_NO_CLIENT,	/* server side: no client cert asked */
	TLS_TRUST_FAILED,	/* not verified: reason says why */
	TLS_TRUST_MISMATCH,	/* --tls-pin given, another certificate */
	TLS_TRUST_CHANGED	/* known-hosts pin for hostport, another cert */
};

struct tls_info {
	char	version[16];	/* "TLSv1.3" */
	char	cipher[64];	/* "TLS_AES_256_GCM_SHA384" */
	char	alpn[64];	/* "" if none agreed */
	enum tls_trust trust;
	char	who[256];	/* verified: the subject CN (or subject) */
	char	reason[512];	/* failed (room for a translation): "the certificate expired on
				 * 2026-11-25 22:00 UTC", "self-signed
				 * certificate", "the certificate is for
				 * other.example, not example.com", "unknown
				 * CA: Example CA"; MISMATCH and CHANGED say
				 * so too */
	char	fingerprint[104];	/* "sha256:AB:CD:..." of the peer's cert
					 * (102 characters) */
	char	subject[256];	/* one-line RFC 2253 */
	char	issuer[256];
	char	not_before[32];	/* "2026-11-25 22:00 UTC" */
	char	not_after[32];
	bool	have_cert;	/* the peer sent a certificate */
};

/* After tls_handshake returned 1: what was agreed and how the peer's
 * certificate was judged against the options and the known hosts. */
void	tls_get_info(const struct tls *, struct tls_info *);
/* "always": pin hostport's fingerprint in state_dir/known_hosts (0600),
 * replacing an older line for hostport.  -1 with err. */
int	tls_trust_store(const char *state_dir, const char *hostport,
	    const char *fingerprint, char *err, size_t errlen);
/* The words for a trust value in the status line: "verified CN",
 * "pinned", "UNVERIFIED", ... */
const char *tls_trust_words(const struct tls_info *, char *out, size_t len);

#endif
