/*
 * Unit tests for tls.c: certificates made here with the OpenSSL API (a CA,
 * server certificates good, for another name, expired and self-signed, and
 * client certificates), a client and a server struct tls over a socketpair
 * stepped by tls_want and poll, and every trust verdict and error line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "opts.h"
#include "stream.h"
#include "tls.h"

#ifdef HAVE_OPENSSL
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#define DAY	(24L * 3600)

static char dir[64];		/* the certificates */
static char path_buf[32][128];
static int npath;

static const char *
in_dir(const char *name)
{
	char *p = path_buf[npath++ % 32];

	snprintf(p, sizeof path_buf[0], "%s/%s", dir, name);
	return p;
}

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ex;

	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	ex = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	assert_non_null(ex);
	assert_int_equal(X509_add_ext(x, ex, -1), 1);
	X509_EXTENSION_free(ex);
}

/* A certificate for cn valid from..to seconds from now, signed by ca (or
 * itself), written with its key to NAME.pem and NAME.key. */
static X509 *
make_cert(const char *name, const char *cn, const char *san, bool is_ca,
    long from, long to, X509 *ca, EVP_PKEY *cakey, EVP_PKEY **keyp,
    bool key_in_cert)
{
	static long serial = 1;
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	char file[64];
	FILE *f;

	assert_non_null(k);
	assert_non_null(x);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	if (cn != NULL)
		X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
		    MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(ca != NULL ? ca : x));
	X509_set_pubkey(x, k);
	if (is_ca) {
		add_ext(x, ca != NULL ? ca : x, NID_basic_constraints,
		    "critical,CA:TRUE");
		add_ext(x, ca != NULL ? ca : x, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	}
	if (san != NULL)
		add_ext(x, ca != NULL ? ca : x, NID_subject_alt_name, san);
	assert_true(X509_sign(x, cakey != NULL ? cakey : k, EVP_sha256()) > 0);
	snprintf(file, sizeof file, "%s.pem", name);
	assert_non_null(f = fopen(in_dir(file), "w"));
	PEM_write_X509(f, x);
	if (key_in_cert)
		PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	if (!key_in_cert) {
		snprintf(file, sizeof file, "%s.key", name);
		assert_non_null(f = fopen(in_dir(file), "w"));
		PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
		fclose(f);
		/* and encrypted, which tcptalk must refuse, never ask for */
		snprintf(file, sizeof file, "%s.enckey", name);
		assert_non_null(f = fopen(in_dir(file), "w"));
		PEM_write_PrivateKey(f, k, EVP_aes_128_cbc(),
		    (unsigned char *)"secret", 6, NULL, NULL);
		fclose(f);
	}
	if (keyp != NULL)
		*keyp = k;
	else
		EVP_PKEY_free(k);
	return x;
}

static int
setup(void **state)
{
	EVP_PKEY *cak, *evilk;
	X509 *ca, *evil;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof dir, "/tmp/test_tls.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	ca = make_cert("ca", "Test CA", NULL, true, -DAY, 30 * DAY, NULL, NULL,
	    &cak, false);
	evil = make_cert("evil", "Other CA", NULL, true, -DAY, 30 * DAY, NULL,
	    NULL, &evilk, false);
	X509_free(make_cert("srv", "localhost", "DNS:localhost,IP:127.0.0.1",
	    false, -DAY, 30 * DAY, ca, cak, NULL, false));
	X509_free(make_cert("other", "other.example",
	    "DNS:other.example,DNS:www.other.example", false, -DAY, 30 * DAY,
	    ca, cak, NULL, false));
	X509_free(make_cert("expired", "localhost", "DNS:localhost", false,
	    -20 * DAY, -10 * DAY, ca, cak, NULL, false));
	X509_free(make_cert("self", "localhost", "DNS:localhost", false, -DAY,
	    30 * DAY, NULL, NULL, NULL, false));
	X509_free(make_cert("many", "many.example", "DNS:many.example,"
	    "DNS:www1.many-names.example,DNS:www2.many-names.example,"
	    "DNS:www3.many-names.example,DNS:www4.many-names.example,"
	    "DNS:www5.many-names.example,DNS:www6.many-names.example,"
	    "DNS:www7.many-names.example,IP:10.1.2.3", false, -DAY, 30 * DAY,
	    ca, cak, NULL, false));
	/* C1 CSI, OSC and ST, and a right-to-left override, in its name */
	X509_free(make_cert("c1", "Evil\xc2\x9b" "2J\xc2\x9d" "0;x\xc2\x9c"
	    "\xe2\x80\xae" "gpj.exe", NULL, false, -DAY, 30 * DAY, NULL, NULL,
	    NULL, false));
	X509_free(make_cert("nocn", NULL, "DNS:nocn.example", false, -DAY,
	    30 * DAY, ca, cak, NULL, false));
	X509_free(make_cert("alice", "alice", NULL, false, -DAY, 30 * DAY, ca,
	    cak, NULL, true));
	X509_free(make_cert("mallory", "mallory", NULL, false, -DAY, 30 * DAY,
	    evil, evilk, NULL, true));
	X509_free(ca);
	X509_free(evil);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(evilk);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct tt_opts
client_opts(void)
{
	struct tt_opts o;

	memset(&o, 0, sizeof o);
	o.tls = true;
	o.starttls = -1;
	return o;
}

static struct tt_opts
server_opts(const char *name)
{
	struct tt_opts o = client_opts();
	char f[32];

	o.listen = true;
	if (name != NULL) {
		snprintf(f, sizeof f, "%s.pem", name);
		o.tls_cert = in_dir(f);
		snprintf(f, sizeof f, "%s.key", name);
		o.tls_key = in_dir(f);
	}
	return o;
}

static struct tls_ctx *
ctx(const struct tt_opts *o, const char *state_dir)
{
	char note[256], err[256];
	struct tls_ctx *c = tls_ctx_new(o, state_dir, note, sizeof note, err,
	    sizeof err);

	if (c == NULL)
		fail_msg("tls_ctx_new: %s", err);
	return c;
}

/* A client and a server over a non-blocking socketpair. */
struct pair {
	int		 fd[2];		/* client, server */
	struct tls_ctx	*cc, *sc;
	struct tls	*c, *s;
	int		 rc, rs;	/* the handshakes' results */
};

static void
nonblock(int fd)
{
	assert_int_equal(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

static void
pair_open(struct pair *p, const struct tt_opts *co, const struct tt_opts *so,
    const char *name, const char *hostport, const char *state_dir)
{
	memset(p, 0, sizeof *p);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p->fd), 0);
	nonblock(p->fd[0]);
	nonblock(p->fd[1]);
	p->cc = ctx(co, state_dir);
	p->sc = ctx(so, NULL);
	assert_non_null(p->c = tls_new(p->cc, p->fd[0], name, hostport));
	assert_non_null(p->s = tls_new(p->sc, p->fd[1], NULL, NULL));
	p->rc = p->rs = TLS_AGAIN;
}

static void
pair_close(struct pair *p)
{
	tls_free(p->c);
	tls_free(p->s);
	tls_ctx_free(p->cc);
	tls_ctx_free(p->sc);
	if (p->fd[0] != -1)
		close(p->fd[0]);
	if (p->fd[1] != -1)
		close(p->fd[1]);
}

/* Wait (bounded) for what the two sides want. */
static void
wait_both(int fa, short wa, int fb, short wb)
{
	struct pollfd pf[2] = {
		{ wa != 0 ? fa : -1, wa, 0 },
		{ wb != 0 ? fb : -1, wb, 0 },
	};

	(void)poll(pf, 2, 200);
}

/* Both handshakes to their end; a side that fails shuts its socket so
 * the other sees it, as closing the connection would. */
static void
handshake(struct pair *p)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (p->rc == TLS_AGAIN && (p->rc = tls_handshake(p->c)) == -1)
			shutdown(p->fd[0], SHUT_RDWR);
		if (p->rs == TLS_AGAIN && (p->rs = tls_handshake(p->s)) == -1)
			shutdown(p->fd[1], SHUT_RDWR);
		if (p->rc != TLS_AGAIN && p->rs != TLS_AGAIN)
			return;
		wait_both(p->fd[0], p->rc == TLS_AGAIN ? tls_want(p->c) : 0,
		    p->fd[1], p->rs == TLS_AGAIN ? tls_want(p->s) : 0);
	}
	fail_msg("the handshakes did not end (client %d, server %d)", p->rc,
	    p->rs);
}

static void
handshake_ok(struct pair *p)
{
	handshake(p);
	if (p->rc != 1 || p->rs != 1)
		fail_msg("handshake: client %d (%s), server %d (%s)", p->rc,
		    tls_error(p->c), p->rs, tls_error(p->s));
}

static struct tls_info
client_info(const struct tt_opts *co, const char *name, const char *server,
    const char *state_dir)
{
	struct tt_opts so = server_opts(server);
	struct tls_info info;
	struct pair p;

	pair_open(&p, co, &so, name, "localhost:8443", state_dir);
	handshake_ok(&p);
	tls_get_info(p.c, &info);
	pair_close(&p);
	return info;
}

static void
test_verified(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct tls_info i;
	struct pair p;
	char w[300];

	(void)state;
	co.tls_ca = in_dir("ca.pem");
	co.tls_alpn = "h2,http/1.1";
	so.tls_alpn = "http/1.1,h2";
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake_ok(&p);
	tls_get_info(p.c, &i);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	assert_true(i.have_cert);
	assert_string_equal(i.who, "localhost");
	assert_string_equal(i.subject, "CN=localhost");
	assert_string_equal(i.issuer, "CN=Test CA");
	assert_string_equal(i.version, "TLSv1.3");
	assert_true(strncmp(i.cipher, "TLS_", 4) == 0);
	/* the server's first choice that the client offers */
	assert_string_equal(i.alpn, "http/1.1");
	assert_int_equal(strlen(i.fingerprint), 102);
	assert_true(strncmp(i.fingerprint, "sha256:", 7) == 0);
	assert_int_equal(strlen(i.not_after), 20);
	assert_string_equal(i.not_after + 16, " UTC");
	assert_string_equal(tls_trust_words(&i, w, sizeof w),
	    "verified: localhost");
	/* the server asked for no client certificate */
	tls_get_info(p.s, &i);
	assert_int_equal(i.trust, TLS_TRUST_NO_CLIENT);
	assert_false(i.have_cert);
	assert_string_equal(i.alpn, "http/1.1");
	pair_close(&p);
	/* an address literal is checked against the IP names */
	i = client_info(&co, "127.0.0.1", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	i = client_info(&co, "localhost.", "srv", NULL);	/* rooted */
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	/* no subject at all: its DNS name says who */
	i = client_info(&co, "nocn.example", "nocn", NULL);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	assert_string_equal(i.who, "nocn.example");
	assert_string_equal(i.subject, "");
	i = client_info(&co, "127.0.0.2", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_string_equal(i.reason,
	    "the certificate is for localhost, 127.0.0.1, not 127.0.0.2");
	/* no name to check (-U without --tls-sni): a good chain is not
	 * enough, the CA vouches for someone we cannot name */
	i = client_info(&co, NULL, "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_non_null(strstr(i.reason, "no host name to check"));
}

static void
test_failed_reasons(void **state)
{
	struct tt_opts co = client_opts();
	struct tls_info i;
	char w[64];

	(void)state;
	/* the system store does not know our CA */
	i = client_info(&co, "localhost", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_string_equal(i.reason, "unknown CA: Test CA");
	assert_string_equal(tls_trust_words(&i, w, sizeof w), "UNVERIFIED");
	i = client_info(&co, "localhost", "self", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_string_equal(i.reason, "self-signed certificate");
	co.tls_ca = in_dir("ca.pem");
	i = client_info(&co, "localhost", "expired", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_true(strncmp(i.reason, "the certificate expired on ", 27) == 0);
	assert_string_equal(i.reason + 27, i.not_after);
	i = client_info(&co, "localhost", "other", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_string_equal(i.reason, "the certificate is for other.example, "
	    "www.other.example, not localhost");
	/* a long list is cut, and says how much is left out */
	i = client_info(&co, "localhost", "many", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_true(strlen(i.reason) < sizeof i.reason - 1);
	if (strncmp(i.reason, "the certificate is for many.example, www1.many"
	    "-names.example, ", 62) != 0 || strstr(i.reason, " more), not "
	    "localhost") == NULL)
		fail_msg("%s", i.reason);
	/* --tls-sni replaces the name for SNI and the check */
	co.tls_sni = "other.example";
	i = client_info(&co, "localhost", "other", NULL);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	assert_string_equal(i.who, "other.example");
}

/* The system store: SSL_CERT_FILE's bundle, or a hashed SSL_CERT_DIR
 * (read lazily, without the bundle). */
static void
test_system_store(void **state)
{
	struct tt_opts co = client_opts();
	char *file = getenv("SSL_CERT_FILE"), *cdir = getenv("SSL_CERT_DIR");
	char hashed[128], link[160], *sf = NULL, *sd = NULL;
	struct tls_info i;
	X509 *ca;
	FILE *f;

	(void)state;
	if (file != NULL)
		assert_non_null(sf = strdup(file));
	if (cdir != NULL)
		assert_non_null(sd = strdup(cdir));
	unsetenv("SSL_CERT_DIR");
	setenv("SSL_CERT_FILE", in_dir("ca.pem"), 1);
	i = client_info(&co, "localhost", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);

	snprintf(hashed, sizeof hashed, "%s/hashed", dir);
	assert_int_equal(mkdir(hashed, 0700), 0);
	assert_non_null(f = fopen(in_dir("ca.pem"), "r"));
	assert_non_null(ca = PEM_read_X509(f, NULL, NULL, NULL));
	fclose(f);
	snprintf(link, sizeof link, "%s/%08lx.0", hashed,
	    X509_subject_name_hash(ca));
	X509_free(ca);
	assert_int_equal(symlink(in_dir("ca.pem"), link), 0);
	unsetenv("SSL_CERT_FILE");
	setenv("SSL_CERT_DIR", hashed, 1);
	i = client_info(&co, "localhost", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	/* with a pin (the store left out), the pin alone judges */
	co.tls_pin = "sha256:00";
	memset(co.tls_pin_hex, '0', 64);
	i = client_info(&co, "localhost", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_MISMATCH);

	if (sf != NULL)
		setenv("SSL_CERT_FILE", sf, 1);
	else
		unsetenv("SSL_CERT_FILE");
	if (sd != NULL)
		setenv("SSL_CERT_DIR", sd, 1);
	else
		unsetenv("SSL_CERT_DIR");
	free(sf);
	free(sd);
}

static void
test_pin(void **state)
{
	struct tt_opts co = client_opts();
	struct tls_info i;
	char hex[65], w[64];
	size_t n, k;

	(void)state;
	i = client_info(&co, "localhost", "self", NULL);
	for (n = 7, k = 0; i.fingerprint[n] != '\0'; n++)
		if (i.fingerprint[n] != ':')
			hex[k++] = (char)(i.fingerprint[n] | 0x20);
	hex[k] = '\0';
	assert_int_equal(k, 64);
	co.tls_pin = i.fingerprint;
	memcpy(co.tls_pin_hex, hex, sizeof hex);
	i = client_info(&co, "localhost", "self", NULL);
	assert_int_equal(i.trust, TLS_TRUST_PINNED);
	assert_string_equal(tls_trust_words(&i, w, sizeof w), "pinned");
	/* a pin wins over a good CA chain: another certificate is refused */
	co.tls_ca = in_dir("ca.pem");
	i = client_info(&co, "localhost", "srv", NULL);
	assert_int_equal(i.trust, TLS_TRUST_MISMATCH);
	assert_string_equal(tls_trust_words(&i, w, sizeof w), "PIN MISMATCH");
}

static void
test_known_hosts(void **state)
{
	struct tt_opts co = client_opts();
	struct tls_info i, other;
	char st[160], f[200], err[256], w[64];
	struct stat sb;

	(void)state;
	snprintf(st, sizeof st, "%s/state/a/b", dir);
	snprintf(f, sizeof f, "%s/known_hosts", st);
	i = client_info(&co, "localhost", "self", st);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	assert_int_equal(tls_trust_store(st, "localhost:8443", i.fingerprint,
	    err, sizeof err), 0);
	assert_int_equal(stat(st, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(f, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	i = client_info(&co, "localhost", "self", st);
	assert_int_equal(i.trust, TLS_TRUST_KNOWN);
	assert_string_equal(tls_trust_words(&i, w, sizeof w),
	    "pinned (known host)");
	/* another certificate for the same host:port */
	other = client_info(&co, "localhost", "srv", st);
	assert_int_equal(other.trust, TLS_TRUST_CHANGED);
	assert_string_equal(tls_trust_words(&other, w, sizeof w),
	    "CERTIFICATE CHANGED");
	/* "always" again replaces the line, not adds one */
	assert_int_equal(tls_trust_store(st, "localhost:8443",
	    other.fingerprint, err, sizeof err), 0);
	assert_int_equal(tls_trust_store(st, "elsewhere:1", i.fingerprint, err,
	    sizeof err), 0);
	i = client_info(&co, "localhost", "srv", st);
	assert_int_equal(i.trust, TLS_TRUST_KNOWN);
	i = client_info(&co, "localhost", "self", st);
	assert_int_equal(i.trust, TLS_TRUST_CHANGED);
	assert_int_equal(stat(f, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 2 * 103 + strlen("localhost:8443 ") +
	    strlen("elsewhere:1 "));
	/* a key that cannot be one line */
	assert_int_equal(tls_trust_store(st, "a\nb", i.fingerprint, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "cannot remember a certificate"));
	assert_int_equal(tls_trust_store(NULL, "a:1", i.fingerprint, err,
	    sizeof err), -1);
}

static void
test_insecure(void **state)
{
	struct tt_opts co = client_opts();
	struct tls_info i;
	char w[64];

	(void)state;
	co.tls_insecure = true;
	i = client_info(&co, "localhost", "expired", NULL);
	assert_int_equal(i.trust, TLS_TRUST_INSECURE);
	assert_string_equal(tls_trust_words(&i, w, sizeof w),
	    "UNVERIFIED (--tls-insecure)");
}

/* The client's first read after a handshake the server refused. */
static void
client_read_fails(struct pair *p, const char *want)
{
	char b[64];
	ssize_t n = TLS_AGAIN;
	int i;

	for (i = 0; i < 100 && n == TLS_AGAIN; i++) {
		if ((n = tls_read(p->c, b, sizeof b)) == TLS_AGAIN)
			wait_both(p->fd[0], tls_want(p->c), -1, 0);
	}
	assert_int_equal(n, -1);
	assert_string_equal(tls_error(p->c), want);
}

static void
test_client_cert(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct tls_info i;
	struct pair p;
	char w[64];

	(void)state;
	co.tls_ca = in_dir("ca.pem");
	so.tls_verify_client = in_dir("ca.pem");
	co.tls_cert = in_dir("alice.pem");	/* its key in the same file */
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake_ok(&p);
	tls_get_info(p.s, &i);
	assert_int_equal(i.trust, TLS_TRUST_CLIENT_OK);
	assert_string_equal(i.who, "alice");
	assert_string_equal(tls_trust_words(&i, w, sizeof w),
	    "client verified: alice");
	tls_get_info(p.c, &i);
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	pair_close(&p);

	/* none: the server refuses; TLS 1.3 tells the client after its
	 * handshake, at its first read */
	co.tls_cert = NULL;
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake(&p);
	assert_int_equal(p.rs, -1);
	assert_string_equal(tls_error(p.s), "the client sent no certificate");
	assert_int_equal(p.rc, 1);
	client_read_fails(&p, "the peer requires a client certificate "
	    "(--tls-cert)");
	pair_close(&p);

	/* one from a CA the server does not trust */
	co.tls_cert = in_dir("mallory.pem");
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake(&p);
	assert_int_equal(p.rs, -1);
	assert_string_equal(tls_error(p.s), "the client's certificate was "
	    "refused: unable to get local issuer certificate");
	client_read_fails(&p, "the peer refused our certificate: tlsv1 alert "
	    "unknown ca");
	pair_close(&p);
}

/* Send n bytes one way while reading them on the other, bounded. */
static void
transfer(struct tls *w, int wfd, struct tls *r, int rfd, const char *data,
    char *out, size_t n)
{
	size_t sent = 0, got = 0;
	ssize_t k;
	int i;
	time_t end = time(NULL) + 20;

	for (i = 0; got < n && i < 100000 && time(NULL) < end; i++) {
		short ww = 0, rw = 0;

		if (sent < n) {
			k = tls_write(w, data + sent, n - sent);
			if (k > 0)
				sent += (size_t)k;
			else if (k == TLS_AGAIN)
				ww = tls_want(w);
			else
				fail_msg("tls_write: %s", tls_error(w));
		}
		k = tls_read(r, out + got, n - got);
		if (k > 0)
			got += (size_t)k;
		else if (k == TLS_AGAIN)
			rw = tls_want(r);
		else
			fail_msg("tls_read %zd: %s", k, tls_error(r));
		if (ww != 0 || rw != 0)
			wait_both(wfd, ww, rfd, rw);
	}
	assert_int_equal(got, n);
	assert_memory_equal(data, out, n);
}

/* Read until something other than TLS_AGAIN. */
static ssize_t
read_wait(struct tls *t, int fd, char *b, size_t n)
{
	ssize_t k = TLS_AGAIN;
	int i;

	for (i = 0; i < 100 && k == TLS_AGAIN; i++)
		if ((k = tls_read(t, b, n)) == TLS_AGAIN)
			wait_both(fd, tls_want(t), -1, 0);
	return k;
}

static void
test_data(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct pair p;
	size_t n = 1 << 20, i;
	char *a = malloc(n), *b = malloc(n), small[16];
	static char sink[65536];
	ssize_t k;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (i = 0; i < n; i++)
		a[i] = (char)(i * 7 + i / 4096);
	co.tls_insecure = true;
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake_ok(&p);
	transfer(p.c, p.fd[0], p.s, p.fd[1], a, b, n);
	memset(b, 0, n);
	transfer(p.s, p.fd[1], p.c, p.fd[0], a, b, n);

	/* one record of 100 bytes read 10 at a time: the rest is held
	 * inside OpenSSL, readable with no poll event */
	assert_int_equal(tls_write(p.c, a, 100), 100);
	assert_int_equal(read_wait(p.s, p.fd[1], small, 10), 10);
	assert_memory_equal(small, a, 10);
	assert_int_equal(tls_pending(p.s), 90);
	for (i = 10; i < 100; i += (size_t)k) {
		k = tls_read(p.s, b, 16);
		assert_true(k > 0);
		assert_memory_equal(b, a + i, (size_t)k);
	}
	assert_int_equal(tls_pending(p.s), 0);
	assert_int_equal(tls_read(p.s, b, 16), TLS_AGAIN);
	assert_int_equal(tls_want(p.s), POLLIN);

	/* a write takes what fits (partial), and its retry may come from
	 * another address: the caller's buffer moves */
	for (i = 0, k = 1; i < 1000 && k > 0; i++) {
		k = tls_write(p.c, a, n);
		assert_true(k == TLS_AGAIN || (k > 0 && (size_t)k < n));
	}
	assert_int_equal(k, TLS_AGAIN);
	assert_int_equal(tls_want(p.c), POLLOUT);
	memcpy(b, a, n);
	for (i = 0; i < 1000 && tls_read(p.s, sink, sizeof sink) != TLS_AGAIN;
	    i++)
		;		/* room in the socket again */
	k = tls_write(p.c, b, n);
	if (k <= 0)
		fail_msg("the retry from another buffer: %zd %s", k,
		    tls_error(p.c));
	pair_close(&p);
	free(a);
	free(b);
}

/* Records read ahead out of the socket are pending (poll will not say);
 * half a record is not (the caller would spin on it). */
static void
test_pending_records(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct pollfd pf;
	struct pair p;
	char b[64], raw[4096];
	ssize_t k, half;

	(void)state;
	co.tls_insecure = true;
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake_ok(&p);
	assert_int_equal(tls_write(p.c, "one", 3), 3);
	assert_int_equal(tls_write(p.c, "two", 3), 3);
	assert_int_equal(tls_write(p.c, "three", 5), 5);
	assert_int_equal(read_wait(p.s, p.fd[1], b, 3), 3);
	assert_memory_equal(b, "one", 3);
	pf = (struct pollfd){ p.fd[1], POLLIN, 0 };
	assert_int_equal(poll(&pf, 1, 0), 0);	/* all read ahead */
	assert_true(tls_pending(p.s) > 0);
	assert_int_equal(tls_read(p.s, b, 3), 3);
	assert_memory_equal(b, "two", 3);
	assert_true(tls_pending(p.s) > 0);
	assert_int_equal(tls_read(p.s, b, sizeof b), 5);
	assert_memory_equal(b, "three", 5);
	assert_int_equal(tls_read(p.s, b, sizeof b), TLS_AGAIN);
	assert_int_equal(tls_pending(p.s), 0);

	/* half a record in: pending stays 0 until the rest comes */
	assert_int_equal(tls_write(p.c, "split record", 12), 12);
	assert_true((k = read(p.fd[1], raw, sizeof raw)) > 5);
	half = k / 2;
	assert_int_equal(write(p.fd[0], raw, (size_t)half), half);
	assert_int_equal(tls_read(p.s, b, sizeof b), TLS_AGAIN);
	assert_int_equal(tls_want(p.s), POLLIN);
	assert_int_equal(tls_pending(p.s), 0);
	assert_int_equal(write(p.fd[0], raw + half, (size_t)(k - half)),
	    k - half);
	assert_int_equal(read_wait(p.s, p.fd[1], b, sizeof b), 12);
	assert_memory_equal(b, "split record", 12);
	pair_close(&p);
}

static void
test_close(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct pair p;
	char b[32];

	(void)state;
	co.tls_insecure = true;
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake_ok(&p);
	/* close_notify: the clean end, and the other way still works */
	assert_int_equal(tls_shutdown(p.c), 0);
	assert_int_equal(tls_shutdown(p.c), 0);	/* once only */
	assert_int_equal(read_wait(p.s, p.fd[1], b, sizeof b), 0);
	assert_false(tls_truncated(p.s));
	assert_int_equal(tls_write(p.s, "reply", 5), 5);
	assert_int_equal(read_wait(p.c, p.fd[0], b, sizeof b), 5);
	assert_memory_equal(b, "reply", 5);
	/* the server ends without close_notify: the client sees truncation */
	close(p.fd[1]);
	p.fd[1] = -1;
	assert_int_equal(read_wait(p.c, p.fd[0], b, sizeof b), 0);
	assert_true(tls_truncated(p.c));
	assert_int_equal(tls_read(p.c, b, sizeof b), 0);	/* and stays */
	pair_close(&p);
}

/* The last bytes and close_notify in one read (a peer that then waits for
 * ours, socket open): stream.c hands the bytes over, says the end is
 * pending (no poll event will come for it), and gives it next. */
static void
test_end_after_bytes(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct stream st;
	struct pollfd pf;
	struct buf b;
	struct pair p;
	ssize_t n = 0, got = 0;
	int i;

	(void)state;
	co.tls_insecure = true;
	pair_open(&p, &co, &so, "localhost", "localhost:8443", NULL);
	handshake_ok(&p);
	assert_int_equal(buf_init(&b, 65536), 0);
	st = (struct stream){ .fd = p.fd[0], .tls = p.c,
	    .held = STREAM_NOTHING_HELD };
	assert_int_equal(tls_write(p.s, "last words", 10), 10);
	assert_int_equal(tls_shutdown(p.s), 0);
	pf = (struct pollfd){ p.fd[0], POLLIN, 0 };
	for (i = 0; i < 50 && got < 10; i++) {
		assert_int_equal(poll(&pf, 1, 200), 1);
		if ((n = stream_read(&st, &b)) > 0)
			got += n;
		else
			assert_int_equal(n, BUF_AGAIN);
	}
	assert_int_equal(got, 10);
	assert_int_equal(buf_used(&b), 10);
	assert_true(stream_pending(&st) > 0);	/* the end, still to tell */
	assert_int_equal(stream_read(&st, &b), 0);
	assert_false(st.truncated);
	assert_int_equal(stream_pending(&st), 0);
	buf_free(&b);
	p.c = NULL;	/* st had it; pair_close frees the rest */
	tls_free(st.tls);
	pair_close(&p);
}

/* Certificate names are the peer's words: no C1 control (a CSI in UTF-8
 * clothing), no bidi override reaches the screen or stderr. */
static void
test_names_safe(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("c1");
	struct tls_info i;
	const char *f[4];
	size_t k;

	(void)state;
	i = client_info(&co, "localhost", "c1", NULL);
	assert_int_equal(i.trust, TLS_TRUST_FAILED);
	(void)so;
	f[0] = i.subject;
	f[1] = i.issuer;
	f[2] = i.who;
	f[3] = i.reason;
	for (k = 0; k < 4; k++) {
		assert_null(strstr(f[k], "\xc2\x9b"));
		assert_null(strstr(f[k], "\xc2\x9d"));
		assert_null(strstr(f[k], "\xe2\x80\xae"));
		assert_null(strchr(f[k], '\033'));
	}
	/* (the test's CN is Latin-1: each C1 byte is a C1 character) */
	assert_non_null(strstr(i.who, "?2J"));
	assert_non_null(strstr(i.subject, "?0\\;x"));
}

/* A reset needs TCP: a loopback connection closed with SO_LINGER 0. */
static void
test_reset(void **state)
{
	struct tt_opts co = client_opts(), so = server_opts("srv");
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	struct linger lg = { 1, 0 };
	struct pair p;
	int l;
	char b[16];

	(void)state;
	co.tls_insecure = true;
	memset(&p, 0, sizeof p);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((l = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &sl), 0);
	assert_true((p.fd[0] = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(connect(p.fd[0], (struct sockaddr *)&sa, sizeof sa), 0);
	assert_true((p.fd[1] = accept(l, NULL, NULL)) >= 0);
	close(l);
	nonblock(p.fd[0]);
	nonblock(p.fd[1]);
	p.cc = ctx(&co, NULL);
	p.sc = ctx(&so, NULL);
	p.c = tls_new(p.cc, p.fd[0], "localhost", "localhost:1");
	p.s = tls_new(p.sc, p.fd[1], NULL, NULL);
	p.rc = p.rs = TLS_AGAIN;
	handshake_ok(&p);
	assert_int_equal(setsockopt(p.fd[1], SOL_SOCKET, SO_LINGER, &lg,
	    sizeof lg), 0);
	close(p.fd[1]);
	p.fd[1] = -1;
	errno = 0;
	assert_int_equal(read_wait(p.c, p.fd[0], b, sizeof b), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_false(tls_truncated(p.c));
	assert_non_null(strstr(tls_error(p.c), strerror(ECONNRESET)));
	/* no close_notify after a failure */
	assert_int_equal(tls_shutdown(p.c), -1);
	pair_close(&p);
}

/* One side speaks TLS, the other writes text (or closes) on the raw fd. */
static const char *
against_plain(bool server, const char *text)
{
	static char err[256];
	struct tt_opts o = server ? server_opts("srv") : client_opts();
	struct tls_ctx *c = ctx(&o, NULL);
	struct tls *t;
	int fd[2], i, r = TLS_AGAIN;
	char junk[4096];
	bool closed = false;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0);
	nonblock(fd[0]);
	assert_non_null(t = tls_new(c, fd[0], server ? NULL : "localhost",
	    server ? NULL : "localhost:80"));
	if (text != NULL)
		assert_int_equal(write(fd[1], text, strlen(text)),
		    (ssize_t)strlen(text));
	else if (server) {
		close(fd[1]);
		closed = true;
	}
	for (i = 0; i < 100 && r == TLS_AGAIN; i++) {
		if ((r = tls_handshake(t)) != TLS_AGAIN)
			break;
		if (text == NULL && !server && i == 0) {
			/* the hello is out: read it and hang up */
			assert_true(read(fd[1], junk, sizeof junk) > 0);
			close(fd[1]);
			closed = true;
		}
		wait_both(fd[0], tls_want(t), -1, 0);
	}
	assert_int_equal(r, -1);
	snprintf(err, sizeof err, "%s", tls_error(t));
	tls_free(t);
	tls_ctx_free(c);
	close(fd[0]);
	if (!closed)
		close(fd[1]);
	return err;
}

static void
test_not_tls(void **state)
{
	(void)state;
	assert_string_equal(against_plain(false,
	    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
	    "the peer does not speak TLS (it sent \"HTTP/1.1 400 Bad "
	    "Request\")");
	assert_string_equal(against_plain(true, "hello there\n"),
	    "the peer does not speak TLS (it sent \"hello there\")");
	assert_string_equal(against_plain(true, "GET / HTTP/1.1\r\n\r\n"),
	    "the peer does not speak TLS (it sent \"GET / HTTP/1.1\")");
	assert_string_equal(against_plain(false, NULL),
	    "the peer closed the connection during the TLS handshake");
	assert_string_equal(against_plain(true, NULL),
	    "the peer closed the connection during the TLS handshake");
}

static void
test_self_signed(void **state)
{
	struct tt_opts so = server_opts(NULL), co = client_opts();
	char st[160], cert[200], key[200], note[256], err[256], fp[104];
	struct tls_ctx *c;
	struct tls_info i;
	struct stat sb;

	(void)state;
	snprintf(st, sizeof st, "%s/home/.local/state/tcptalk", dir);
	snprintf(cert, sizeof cert, "%s/tls-cert.pem", st);
	snprintf(key, sizeof key, "%s/tls-key.pem", st);
	assert_non_null(c = tls_ctx_new(&so, st, note, sizeof note, err,
	    sizeof err));
	assert_true(strncmp(note, "created a self-signed certificate: ", 35) ==
	    0);
	assert_string_equal(note + 35, cert);
	snprintf(fp, sizeof fp, "%s", tls_ctx_fingerprint(c));
	assert_int_equal(strlen(fp), 102);
	tls_ctx_free(c);
	assert_int_equal(stat(st, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(cert, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* the second time: the same one, and nothing said */
	assert_non_null(c = tls_ctx_new(&so, st, note, sizeof note, err,
	    sizeof err));
	assert_string_equal(note, "");
	assert_string_equal(tls_ctx_fingerprint(c), fp);
	tls_ctx_free(c);
	/* a client trusting that file as its CA verifies it as localhost */
	so.tls_cert = cert;
	so.tls_key = key;
	co.tls_ca = cert;
	{
		struct pair p;

		pair_open(&p, &co, &so, "localhost", "localhost:1", NULL);
		handshake_ok(&p);
		tls_get_info(p.c, &i);
		pair_close(&p);
	}
	assert_int_equal(i.trust, TLS_TRUST_VERIFIED);
	assert_string_equal(i.fingerprint, fp);
	/* no state directory: a listener needs --tls-cert */
	so.tls_cert = so.tls_key = NULL;
	assert_null(tls_ctx_new(&so, NULL, note, sizeof note, err, sizeof err));
	assert_non_null(strstr(err, "--tls-cert"));
}

static void
test_load_errors(void **state)
{
	struct tt_opts o = server_opts("srv");
	char note[256], err[512], want[512];

	(void)state;
	o.tls_cert = "/nonexistent/cert.pem";
	assert_null(tls_ctx_new(&o, NULL, note, sizeof note, err, sizeof err));
	assert_string_equal(err, "cannot read the certificate "
	    "/nonexistent/cert.pem: No such file or directory");
	o.tls_cert = in_dir("srv.pem");
	o.tls_key = in_dir("ca.key");
	assert_null(tls_ctx_new(&o, NULL, note, sizeof note, err, sizeof err));
	snprintf(want, sizeof want, "the private key %s does not belong to the "
	    "certificate %s", o.tls_key, o.tls_cert);
	assert_string_equal(err, want);
	o.tls_cert = in_dir("srv.key");		/* not a certificate */
	assert_null(tls_ctx_new(&o, NULL, note, sizeof note, err, sizeof err));
	snprintf(want, sizeof want, "cannot load the certificate %s: ",
	    o.tls_cert);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("%s", err);
	o.tls_cert = in_dir("srv.pem");
	o.tls_key = in_dir("srv.enckey");
	assert_null(tls_ctx_new(&o, NULL, note, sizeof note, err, sizeof err));
	snprintf(want, sizeof want, "cannot load the private key %s: it is "
	    "encrypted, and tcptalk does not ask for passphrases", o.tls_key);
	assert_string_equal(err, want);
	o = client_opts();
	o.tls_ca = "/nonexistent/ca.pem";
	assert_null(tls_ctx_new(&o, NULL, note, sizeof note, err, sizeof err));
	assert_string_equal(err, "cannot read the CA certificates "
	    "/nonexistent/ca.pem: No such file or directory");
	o.tls_ca = dir;			/* a directory is a hashed CA dir */
	tls_ctx_free(ctx(&o, NULL));
}

static void
test_words(void **state)
{
	struct tls_info i;
	char w[64];

	(void)state;
	memset(&i, 0, sizeof i);
	i.trust = TLS_TRUST_NO_CLIENT;
	assert_string_equal(tls_trust_words(&i, w, sizeof w),
	    "client not verified");
	i.trust = TLS_TRUST_FAILED;
	assert_string_equal(tls_trust_words(&i, w, sizeof w), "UNVERIFIED");
	assert_true(tls_available());
	assert_true(strncmp(tls_library(), "OpenSSL ", 8) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verified),
		cmocka_unit_test(test_failed_reasons),
		cmocka_unit_test(test_system_store),
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_known_hosts),
		cmocka_unit_test(test_insecure),
		cmocka_unit_test(test_client_cert),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_pending_records),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_end_after_bytes),
		cmocka_unit_test(test_names_safe),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_not_tls),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

#else	/* built without OpenSSL: tls_none.c */

static void
test_none(void **state)
{
	struct tt_opts o;
	char note[64], err[128];

	(void)state;
	memset(&o, 0, sizeof o);
	assert_false(tls_available());
	assert_null(tls_ctx_new(&o, NULL, note, sizeof note, err, sizeof err));
	assert_non_null(strstr(err, "without TLS"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
