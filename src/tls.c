/*
 * tls.c - TLS through OpenSSL 3: the only file that includes its headers.
 * Non-blocking throughout: each call maps WANT_READ/WANT_WRITE to the poll
 * event the socket must give before the retry.  The client never fails a
 * handshake over trust: OpenSSL verifies with SSL_VERIFY_NONE, keeps the
 * result, and tls_get_info judges it afterwards (pin, known hosts, CA), so
 * the chat can show the certificate and ask.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "knownhosts.h"
#include "i18n.h"
#include "opts.h"
#include "sanitize.h"
#include "tls.h"
#include "width.h"

#define FP_LEN		104	/* "sha256:" and 32 hex pairs with colons */
#define KNOWN_MAX	(1 << 20)	/* a known_hosts larger is not ours */
#define CERT_DAYS	3650
#define READ_BUF	(64 * 1024)	/* the raw bytes read ahead */

struct tls_ctx {
	SSL_CTX		*ctx;
	bool		 server;
	bool		 insecure;
	bool		 pin;		/* --tls-pin: pin_hex */
	char		 pin_hex[KNOWNHOSTS_HEX_LEN];
	bool		 verify_client;
	bool		 asked_pass;	/* a key wanted a passphrase */
	char		*state_dir;	/* NULL: no known hosts */
	char		*sni;		/* --tls-sni */
	unsigned char	*alpn;		/* wire format: length-prefixed names */
	size_t		 alpnlen;
	char		 fingerprint[FP_LEN];
};

struct tls {
	struct tls_ctx	*c;
	SSL		*ssl;
	char		*name;		/* client: the name verified, or NULL */
	char		*hostport;	/* client: known-hosts key, or NULL */
	short		 want;
	bool		 done;		/* the handshake completed */
	bool		 failed;	/* fatal: no more calls into OpenSSL */
	int		 errnum;	/* errno of the failure */
	bool		 shut;		/* our close_notify is out */
	bool		 eof;
	bool		 starved;	/* the last read wanted socket bytes */
	bool		 truncated;
	char		 head[40];	/* the first bytes received */
	size_t		 headlen;
	char		 err[256];
};

bool
tls_available(void)
{
	return true;
}

const char *
tls_library(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

/* The most telling reason in OpenSSL's error queue, for loading errors;
 * nopem when the file holds nothing of the kind asked for. */
static const char *
ossl_reason(const char *nopem)
{
	unsigned long e, first = 0, other = 0;
	const char *r;
	bool no_pem = false;

	while ((e = ERR_get_error()) != 0) {
		if (first == 0)
			first = e;
		/* "PEM lib" and the like only say which layer gave up */
		if (other == 0 && ERR_GET_LIB(e) != ERR_LIB_SSL)
			other = e;
		/* no PEM block, or none the decoders take for a key */
		no_pem |= (ERR_GET_LIB(e) == ERR_LIB_PEM &&
		    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) ||
		    (ERR_GET_LIB(e) == ERR_LIB_OSSL_DECODER &&
		    ERR_GET_REASON(e) == ERR_R_UNSUPPORTED) ||
		    (ERR_GET_LIB(e) == ERR_LIB_X509 &&
		    ERR_GET_REASON(e) == X509_R_NO_CERTIFICATE_OR_CRL_FOUND);
	}
	if (no_pem && nopem != NULL)
		return nopem;
	e = other != 0 ? other : first;
	r = e != 0 ? ERR_reason_error_string(e) : NULL;
	return r != NULL ? r : _("unknown error");
}

/* A key must never make OpenSSL ask on the terminal behind the screen. */
static int
no_passphrase(char *buf, int size, int rw, void *arg)
{
	struct tls_ctx *c = arg;

	(void)buf;
	(void)size;
	(void)rw;
	c->asked_pass = true;
	return -1;
}

static bool
readable(const char *path, const char *fmt, char *err, size_t errlen)
{
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, fmt, path, strerror(errno));
		return false;
	}
	fclose(f);
	return true;
}

static int
load_cert(struct tls_ctx *c, const char *cert, const char *key, char *err,
    size_t errlen)
{
	unsigned long e;
	bool ok, mismatch;

	if (key == NULL)
		key = cert;
	if (!readable(cert, _("cannot read the certificate %s: %s"), err,
	    errlen) ||
	    !readable(key, _("cannot read the private key %s: %s"), err,
	    errlen))
		return -1;
	if (SSL_CTX_use_certificate_chain_file(c->ctx, cert) != 1) {
		snprintf(err, errlen, _("cannot load the certificate %s: %s"),
		    cert, ossl_reason(_("it holds no PEM certificate")));
		return -1;
	}
	ERR_clear_error();
	c->asked_pass = false;
	ok = SSL_CTX_use_PrivateKey_file(c->ctx, key, SSL_FILETYPE_PEM) == 1;
	e = ERR_peek_last_error();
	/* a key for another certificate: OpenSSL says "key values mismatch" */
	mismatch = !ok && ERR_GET_LIB(e) == ERR_LIB_X509 &&
	    ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH;
	if (!ok && !mismatch) {
		if (c->asked_pass)
			snprintf(err, errlen, _("cannot load the private key "
			    "%s: it is encrypted, and tcptalk does not ask for "
			    "passphrases"), key);
		else
			snprintf(err, errlen, _("cannot load the private key "
			    "%s: %s"), key, ossl_reason(_("it holds no PEM "
			    "private key")));
		return -1;
	}
	if (mismatch || SSL_CTX_check_private_key(c->ctx) != 1) {
		ERR_clear_error();
		snprintf(err, errlen, _("the private key %s does not belong to "
		    "the certificate %s"), key, cert);
		return -1;
	}
	return 0;
}

static int
load_ca(struct tls_ctx *c, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int ok;

	if (stat(path, &st) == -1) {
		snprintf(err, errlen, _("cannot read the CA certificates %s: %s"
		    ), path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		ok = SSL_CTX_load_verify_locations(c->ctx, NULL, path);
	else
		ok = SSL_CTX_load_verify_locations(c->ctx, path, NULL);
	if (ok != 1) {
		snprintf(err, errlen, _("cannot load the CA certificates %s: %s"
		    ), path, ossl_reason(_("it holds no PEM certificate")));
		return -1;
	}
	return 0;
}

static void
fingerprint_of(X509 *x, char out[FP_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	size_t o;

	out[0] = '\0';
	if (x == NULL || X509_digest(x, EVP_sha256(), md, &n) != 1 || n != 32)
		return;
	o = (size_t)snprintf(out, FP_LEN, "sha256:");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, FP_LEN - o, i > 0 ? ":%02X" :
		    "%02X", md[i]);
}

/* mkdir -p with 0700 for the parts it makes. */
static int
make_dirs(const char *dir)
{
	char p[PATH_MAX];
	size_t i, n = strlen(dir);
	struct stat st;

	if (n == 0 || n >= sizeof p) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST)
			return -1;
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* path's new content through a 0600 temporary file and a rename, so a
 * reader never sees half of it. */
static int
write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	const char *p = data;
	ssize_t n;
	int fd, e;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >=
	    sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1)	/* mode 0600 */
		return -1;
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

/* The host name as a certificate name: letters, digits, '-' and '.'. */
static void
cert_host(char *h, size_t len)
{
	size_t i;

	if (gethostname(h, len) == -1 || h[0] == '\0')
		snprintf(h, len, "localhost");
	h[len - 1] = '\0';
	for (i = 0; h[i] != '\0'; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' &&
		    h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
		    h[i] == '-' || h[i] == '.')) {
			snprintf(h, len, "localhost");
			break;
		}
}

static bool
add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ex;
	bool ok;

	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	if ((ex = X509V3_EXT_conf_nid(NULL, &v3, nid, value)) == NULL)
		return false;
	ok = X509_add_ext(x, ex, -1) == 1;
	X509_EXTENSION_free(ex);
	return ok;
}

/* A new EC P-256 key and a self-signed certificate for this host. */
static X509 *
self_signed_make(EVP_PKEY **pkp)
{
	char host[256], san[600];
	unsigned char serial[16];
	EVP_PKEY *pk;
	X509 *x;
	X509_NAME *nm;
	BIGNUM *bn = NULL;
	bool ok;

	cert_host(host, sizeof host);
	if (strcmp(host, "localhost") == 0)
		snprintf(san, sizeof san, "DNS:localhost,IP:127.0.0.1,IP:::1");
	else
		snprintf(san, sizeof san, "DNS:%s,DNS:localhost,IP:127.0.0.1,"
		    "IP:::1", host);
	if ((pk = EVP_EC_gen("P-256")) == NULL)
		return NULL;
	if ((x = X509_new()) == NULL) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	ok = RAND_bytes(serial, sizeof serial) == 1;
	serial[0] &= 0x7f;	/* positive */
	ok = ok && (bn = BN_bin2bn(serial, sizeof serial, NULL)) != NULL &&
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	nm = X509_get_subject_name(x);
	ok = ok && X509_set_version(x, X509_VERSION_3) == 1 &&
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) != NULL &&
	    X509_time_adj_ex(X509_getm_notAfter(x), CERT_DAYS, 0, NULL) !=
	    NULL &&
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)host, -1, -1, 0) == 1 &&
	    X509_set_issuer_name(x, nm) == 1 && X509_set_pubkey(x, pk) == 1 &&
	    add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
	    add_ext(x, NID_subject_alt_name, san) &&
	    X509_sign(x, pk, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		EVP_PKEY_free(pk);
		return NULL;
	}
	*pkp = pk;
	return x;
}

/* PEM text of the key or the certificate into path (0600). */
static int
pem_write(const char *path, EVP_PKEY *pk, X509 *x)
{
	BIO *b;
	char *data;
	long len;
	int r = -1;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return -1;
	if ((pk != NULL ? PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_bio_X509(b, x)) == 1 &&
	    (len = BIO_get_mem_data(b, &data)) > 0) {
		r = write_atomic(path, data, (size_t)len);
		if (pk != NULL)
			OPENSSL_cleanse(data, (size_t)len);
	} else
		errno = ENOMEM;
	BIO_free(b);
	return r;
}

/* An exclusive lock on dir/tls.lock, or -1 (then we go on unlocked:
 * the lock only orders two starts at once). */
static int
lock_dir(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	if ((size_t)snprintf(path, sizeof path, "%s/tls.lock", dir) >=
	    sizeof path || (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC,
	    0600)) == -1)
		return -1;
	if (flock(fd, LOCK_EX) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
unlock_dir(int fd)
{
	if (fd != -1)
		close(fd);	/* and the lock with it */
}

/* The listener's certificate when none is given: made once in dir. */
static int
self_signed(struct tls_ctx *c, const char *dir, char *note, size_t notelen,
    char *err, size_t errlen)
{
	char cert[PATH_MAX], key[PATH_MAX];
	EVP_PKEY *pk = NULL;
	X509 *x;
	int r, lock;

	if (dir == NULL) {
		snprintf(err, errlen, _("a TLS listener needs --tls-cert here: "
		    "there is no state directory (HOME is not set) to keep a "
		    "self-signed certificate in"));
		return -1;
	}
	if ((size_t)snprintf(cert, sizeof cert, "%s/tls-cert.pem", dir) >=
	    sizeof cert || (size_t)snprintf(key, sizeof key, "%s/tls-key.pem",
	    dir) >= sizeof key) {
		snprintf(err, errlen, _("the state directory name is too long: "
		    "%s"), dir);
		return -1;
	}
	if (access(cert, F_OK) == -1 && errno == ENOENT) {
		if (make_dirs(dir) == -1) {
			snprintf(err, errlen, _("cannot create the directory "
			    "%s: %s"), dir, strerror(errno));
			return -1;
		}
		/* two listeners starting together: one makes the pair, the
		 * other waits and loads it (never one's key with the other's
		 * certificate) */
		lock = lock_dir(dir);
		if (access(cert, F_OK) == 0) {
			unlock_dir(lock);
			return load_cert(c, cert, key, err, errlen);
		}
		if ((x = self_signed_make(&pk)) == NULL) {
			unlock_dir(lock);
			snprintf(err, errlen, _("cannot make a self-signed "
			    "certificate: %s"), ossl_reason(NULL));
			return -1;
		}
		/* the key first: the certificate says both are there */
		r = pem_write(key, pk, NULL);
		if (r == 0 && (r = pem_write(cert, NULL, x)) == -1)
			snprintf(err, errlen, _("cannot write %s: %s"), cert,
			    strerror(errno));
		else if (r == -1)
			snprintf(err, errlen, _("cannot write %s: %s"), key,
			    strerror(errno));
		X509_free(x);
		EVP_PKEY_free(pk);
		unlock_dir(lock);
		if (r == -1)
			return -1;
		snprintf(note, notelen, _("created a self-signed certificate: "
		    "%s"), cert);
	}
	return load_cert(c, cert, key, err, errlen);
}

/* "h2,http/1.1" in ALPN's wire format: each name after its length. */
static bool
alpn_wire(struct tls_ctx *c, const char *list)
{
	size_t n = strlen(list), i, start = 0;

	if ((c->alpn = malloc(n + 1)) == NULL)
		return false;
	for (i = 0; i <= n; i++) {
		if (list[i] != ',' && list[i] != '\0')
			continue;
		if (i > start && i - start < 256) {
			c->alpn[c->alpnlen++] = (unsigned char)(i - start);
			memcpy(c->alpn + c->alpnlen, list + start, i - start);
			c->alpnlen += i - start;
		}
		start = i + 1;
	}
	return true;
}

/* The server picks the first of its own protocols the client offers. */
static int
alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	struct tls_ctx *c = arg;
	unsigned char *o;

	(void)ssl;
	if (SSL_select_next_proto(&o, outlen, c->alpn, (unsigned int)c->alpnlen,
	    in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = o;
	return SSL_TLSEXT_ERR_OK;
}

/* Does dir hold OpenSSL's hashed names ("002c0b4f.0")? */
static bool
hashed_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t i;
	bool found = false;

	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		for (i = 0; i < 8 && isxdigit((unsigned char)e->d_name[i]); i++)
			;
		found = i == 8 && e->d_name[8] == '.' &&
		    isdigit((unsigned char)e->d_name[9]);
	}
	closedir(d);
	return found;
}

/*
 * The system's CAs.  Parsing the whole bundle file costs some 40 ms at
 * every start; a hashed directory is read only for the issuer a peer
 * names, so it is used alone when there is one (Debian's /etc/ssl/certs),
 * unless SSL_CERT_FILE names a bundle.  No store is no error: --tls-ca,
 * a pin or the known hosts still work.
 */
static void
system_store(struct tls_ctx *c)
{
	const char *dir = getenv(X509_get_default_cert_dir_env());

	if (dir == NULL)
		dir = X509_get_default_cert_dir();
	if (getenv(X509_get_default_cert_file_env()) == NULL &&
	    strchr(dir, ':') == NULL && hashed_dir(dir) &&
	    SSL_CTX_set_default_verify_dir(c->ctx) == 1)
		return;
	if (SSL_CTX_set_default_verify_paths(c->ctx) != 1)
		ERR_clear_error();
}

static int
client_setup(struct tls_ctx *c, const struct tt_opts *o, char *err,
    size_t errlen)
{
	/* a pin, or no check at all, leaves the system's CAs no say */
	if (!c->pin && !c->insecure)
		system_store(c);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	if (o->tls_ca != NULL && load_ca(c, o->tls_ca, err, errlen) == -1)
		return -1;
	if (o->tls_cert != NULL &&
	    load_cert(c, o->tls_cert, o->tls_key, err, errlen) == -1)
		return -1;
	if (c->alpnlen > 0 && SSL_CTX_set_alpn_protos(c->ctx, c->alpn,
	    (unsigned int)c->alpnlen) != 0) {
		snprintf(err, errlen, _("cannot set the ALPN list: %s"),
		    ossl_reason(NULL));
		return -1;
	}
	return 0;
}

static int
server_setup(struct tls_ctx *c, const struct tt_opts *o,
    const char *state_dir, char *note, size_t notelen, char *err,
    size_t errlen)
{
	const char *ca = o->tls_verify_client;
	STACK_OF(X509_NAME) *names;

	/* no resumption: each peer a full handshake, no tickets to send */
	SSL_CTX_set_num_tickets(c->ctx, 0);
	SSL_CTX_set_session_cache_mode(c->ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_session_id_context(c->ctx, (const unsigned char *)"tcptalk",
	    7);
	if (o->tls_cert != NULL ? load_cert(c, o->tls_cert, o->tls_key, err,
	    errlen) : self_signed(c, state_dir, note, notelen, err, errlen))
		return -1;
	fingerprint_of(SSL_CTX_get0_certificate(c->ctx), c->fingerprint);
	if (ca != NULL) {
		if (!readable(ca, _("cannot read the CA certificates %s: %s"),
		    err, errlen))
			return -1;
		if (SSL_CTX_load_verify_locations(c->ctx, ca, NULL) != 1 ||
		    (names = SSL_load_client_CA_file(ca)) == NULL) {
			snprintf(err, errlen, _("cannot load the CA "
			    "certificates %s: %s"), ca, ossl_reason(_("it "
			    "holds no PEM certificate")));
			return -1;
		}
		SSL_CTX_set_client_CA_list(c->ctx, names);
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER |
		    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		c->verify_client = true;
	}
	if (c->alpnlen > 0)
		SSL_CTX_set_alpn_select_cb(c->ctx, alpn_select, c);
	return 0;
}

struct tls_ctx *
tls_ctx_new(const struct tt_opts *o, const char *state_dir, char *note,
    size_t notelen, char *err, size_t errlen)
{
	struct tls_ctx *c;

	if (notelen > 0)
		note[0] = '\0';
	ERR_clear_error();
	if ((c = calloc(1, sizeof *c)) == NULL)
		goto nomem;
	c->server = o->listen;
	c->insecure = o->tls_insecure;
	if (o->tls_pin != NULL) {
		c->pin = true;
		snprintf(c->pin_hex, sizeof c->pin_hex, "%s", o->tls_pin_hex);
	}
	if ((state_dir != NULL && (c->state_dir = strdup(state_dir)) == NULL) ||
	    (o->tls_sni != NULL && (c->sni = strdup(o->tls_sni)) == NULL) ||
	    (o->tls_alpn != NULL && !alpn_wire(c, o->tls_alpn)))
		goto nomem;
	c->ctx = SSL_CTX_new(c->server ? TLS_server_method() :
	    TLS_client_method());
	if (c->ctx == NULL) {
		snprintf(err, errlen, _("cannot set up TLS: %s"),
		    ossl_reason(NULL));
		tls_ctx_free(c);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	/* the certificate is judged once, after the handshake: a TLS 1.2
	 * renegotiation could bring another that nobody judges */
	SSL_CTX_set_options(c->ctx, SSL_OP_NO_RENEGOTIATION);
	/* the caller's buffer may move between the retries of a write */
	SSL_CTX_set_mode(c->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* read what the socket has, several records a call, not a record's
	 * header and then its body: half the reads (see tls_pending) */
	SSL_CTX_set_read_ahead(c->ctx, 1);
	SSL_CTX_set_default_read_buffer_len(c->ctx, READ_BUF);
	SSL_CTX_set_default_passwd_cb(c->ctx, no_passphrase);
	SSL_CTX_set_default_passwd_cb_userdata(c->ctx, c);
	if ((c->server ? server_setup(c, o, state_dir, note, notelen, err,
	    errlen) : client_setup(c, o, err, errlen)) == -1) {
		ERR_clear_error();
		tls_ctx_free(c);
		return NULL;
	}
	return c;
nomem:
	snprintf(err, errlen, _("cannot set up TLS: %s"), strerror(ENOMEM));
	tls_ctx_free(c);
	return NULL;
}

void
tls_ctx_free(struct tls_ctx *c)
{
	if (c == NULL)
		return;
	SSL_CTX_free(c->ctx);
	free(c->state_dir);
	free(c->sni);
	free(c->alpn);
	free(c);
}

const char *
tls_ctx_fingerprint(const struct tls_ctx *c)
{
	return c->fingerprint;
}

/* Keeps the first bytes the handshake reads, to show what a plain-text
 * peer sent (read-ahead has them inside OpenSSL, out of reach later). */
static long
record_head(BIO *b, int oper, const char *argp, size_t len, int argi,
    long argl, int ret, size_t *processed)
{
	struct tls *t = (struct tls *)BIO_get_callback_arg(b);
	size_t n;

	(void)len;
	(void)argi;
	(void)argl;
	if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 &&
	    processed != NULL && t->headlen < sizeof t->head) {
		n = *processed;
		if (n > sizeof t->head - t->headlen)
			n = sizeof t->head - t->headlen;
		memcpy(t->head + t->headlen, argp, n);
		t->headlen += n;
	}
	return ret;
}

/* SNI and the name to verify; an address literal is checked as such and
 * sent as no SNI. */
static int
set_peer_name(struct tls *t)
{
	char a[INET6_ADDRSTRLEN + 8], bin[16];
	const char *n = t->name;
	size_t len = strlen(n);

	if (len > 1 && n[len - 1] == '.')	/* "example.com." is rooted: */
		t->name[--len] = '\0';		/* no dot in SNI or the check */
	if (n[0] == '[' && len > 2 && n[len - 1] == ']') {
		n++;
		len -= 2;
	}
	if (len < sizeof a) {
		memcpy(a, n, len);
		a[len] = '\0';
		a[strcspn(a, "%")] = '\0';	/* an IPv6 zone */
		if (inet_pton(AF_INET, a, bin) == 1 ||
		    inet_pton(AF_INET6, a, bin) == 1)
			return X509_VERIFY_PARAM_set1_ip_asc(
			    SSL_get0_param(t->ssl), a) == 1 ? 0 : -1;
	}
	if (SSL_set_tlsext_host_name(t->ssl, t->name) != 1 ||
	    SSL_set1_host(t->ssl, t->name) != 1)
		return -1;
	SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return 0;
}

struct tls *
tls_new(struct tls_ctx *c, int fd, const char *name, const char *hostport)
{
	struct tls *t;
	const char *vname = c->sni != NULL ? c->sni : name;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->c = c;
	ERR_clear_error();
	if (!c->server && ((hostport != NULL &&
	    (t->hostport = strdup(hostport)) == NULL) ||
	    (vname != NULL && vname[0] != '\0' &&
	    (t->name = strdup(vname)) == NULL)))
		goto fail;
	if ((t->ssl = SSL_new(c->ctx)) == NULL || SSL_set_fd(t->ssl, fd) != 1)
		goto fail;
	BIO_set_callback_ex(SSL_get_rbio(t->ssl), record_head);
	BIO_set_callback_arg(SSL_get_rbio(t->ssl), (char *)t);
	if (c->server)
		SSL_set_accept_state(t->ssl);
	else {
		SSL_set_connect_state(t->ssl);
		if (t->name != NULL && set_peer_name(t) == -1)
			goto fail;
	}
	return t;
fail:
	ERR_clear_error();
	tls_free(t);
	errno = ENOMEM;
	return NULL;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	free(t->name);
	free(t->hostport);
	free(t);
}

/* WANT_READ/WANT_WRITE: remember the poll event and say "again". */
static bool
again(struct tls *t, int e)
{
	if (e == SSL_ERROR_WANT_READ)
		t->want = POLLIN;
	else if (e == SSL_ERROR_WANT_WRITE)
		t->want = POLLOUT;
	else {
		t->want = 0;
		return false;
	}
	return true;
}

static bool
is_eof(unsigned long ec)
{
	return ERR_GET_LIB(ec) == ERR_LIB_SSL &&
	    ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

/* The peer answered a handshake with something else: say what it sent. */
static void
not_tls(struct tls *t)
{
	char shown[sizeof t->head + 1], ch;
	size_t i, o = 0;

	for (i = 0; i < t->headlen && (ch = t->head[i]) != '\r' && ch != '\n';
	    i++)
		shown[o++] = ch >= 0x20 && ch < 0x7f ? ch : '.';
	shown[o] = '\0';
	if (o > 0)
		snprintf(t->err, sizeof t->err, _("the peer does not speak TLS "
		    "(it sent \"%s\")"), shown);
	else
		snprintf(t->err, sizeof t->err, _("the peer does not speak "
		    "TLS"));
}

/* An alert from the peer (OpenSSL's reason codes from 1000 up). */
static void
peer_alert(struct tls *t, int alert, const char *why)
{
	switch (alert) {
	case SSL_AD_BAD_CERTIFICATE:
	case SSL_AD_UNSUPPORTED_CERTIFICATE:
	case SSL_AD_CERTIFICATE_REVOKED:
	case SSL_AD_CERTIFICATE_EXPIRED:
	case SSL_AD_CERTIFICATE_UNKNOWN:
	case SSL_AD_UNKNOWN_CA:
	case SSL_AD_ACCESS_DENIED:
		snprintf(t->err, sizeof t->err, _("the peer refused our "
		    "certificate: %s"), why);
		break;
	case SSL_AD_CERTIFICATE_REQUIRED:
		snprintf(t->err, sizeof t->err, _("the peer requires a client "
		    "certificate (--tls-cert)"));
		break;
	default:
		if (t->done)
			snprintf(t->err, sizeof t->err, _("the peer sent a TLS "
			    "alert: %s"), why);
		else
			snprintf(t->err, sizeof t->err, _("the TLS handshake "
			    "failed: the peer sent an alert: %s"), why);
	}
}

/* One line for an SSL_ERROR_SSL, from the first error in the queue. */
static void
describe(struct tls *t, unsigned long ec)
{
	const char *why = ec != 0 ? ERR_reason_error_string(ec) : NULL;
	int r = ERR_GET_REASON(ec);
	long vr;

	if (why == NULL)
		why = _("unknown error");
	if (ERR_GET_LIB(ec) != ERR_LIB_SSL)
		r = 0;
	switch (r) {
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_HTTP_REQUEST:
	case SSL_R_HTTPS_PROXY_REQUEST:
	case SSL_R_PACKET_LENGTH_TOO_LONG:
	case SSL_R_UNKNOWN_PROTOCOL:
	case SSL_R_RECORD_LENGTH_MISMATCH:
		if (!t->done) {
			not_tls(t);
			return;
		}
		break;
	case SSL_R_NO_SHARED_CIPHER:
		snprintf(t->err, sizeof t->err, _("the TLS handshake failed: "
		    "no shared cipher"));
		return;
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
	case SSL_R_UNSUPPORTED_PROTOCOL:
		snprintf(t->err, sizeof t->err, _("the TLS handshake failed: "
		    "no protocol version in common (%s)"), why);
		return;
	case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
		snprintf(t->err, sizeof t->err, _("the client sent no "
		    "certificate"));
		return;
	case SSL_R_CERTIFICATE_VERIFY_FAILED:
		/* only a server verifies inside the handshake */
		vr = SSL_get_verify_result(t->ssl);
		snprintf(t->err, sizeof t->err, _("the client's certificate "
		    "was refused: %s"), X509_verify_cert_error_string(vr));
		return;
	}
	if (r >= SSL_AD_REASON_OFFSET && r < SSL_AD_REASON_OFFSET + 256)
		peer_alert(t, r - SSL_AD_REASON_OFFSET, why);
	else if (t->done)
		snprintf(t->err, sizeof t->err, _("TLS error: %s"), why);
	else
		snprintf(t->err, sizeof t->err, _("the TLS handshake failed: %s"
		    ), why);
}

/* A fatal error: the text in t->err, errno for the caller. */
static void
fail(struct tls *t, int e, int saved)
{
	unsigned long ec = ERR_peek_error();

	t->failed = true;
	t->want = 0;
	if (e == SSL_ERROR_SYSCALL && ec == 0) {
		t->errnum = saved != 0 ? saved : EPIPE;
		if (t->done)
			snprintf(t->err, sizeof t->err, "%s",
			    strerror(t->errnum));
		else
			snprintf(t->err, sizeof t->err, _("the TLS handshake "
			    "failed: %s"), strerror(t->errnum));
	} else {
		t->errnum = EPROTO;
		describe(t, ec);
	}
	ERR_clear_error();
	errno = t->errnum;
}

int
tls_handshake(struct tls *t)
{
	int r, e, saved;
	unsigned long ec;

	if (t->done)
		return 1;
	if (t->failed) {
		errno = t->errnum;
		return -1;
	}
	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(t->ssl);
	if (r == 1) {
		t->done = true;
		t->want = 0;
		BIO_set_callback_ex(SSL_get_rbio(t->ssl), NULL);
		return 1;
	}
	saved = errno;
	e = SSL_get_error(t->ssl, r);
	if (again(t, e))
		return TLS_AGAIN;
	ec = ERR_peek_error();
	if (e == SSL_ERROR_ZERO_RETURN || is_eof(ec) ||
	    (e == SSL_ERROR_SYSCALL && ec == 0 && saved == 0)) {
		t->failed = true;
		t->want = 0;
		t->errnum = ECONNRESET;
		snprintf(t->err, sizeof t->err, _("the peer closed the "
		    "connection during the TLS handshake"));
		ERR_clear_error();
		errno = t->errnum;
		return -1;
	}
	fail(t, e, saved);
	return -1;
}

ssize_t
tls_read(struct tls *t, void *p, size_t n)
{
	size_t got = 0;
	int r, e, saved;
	unsigned long ec;

	if (t->eof)
		return 0;
	if (t->failed) {
		errno = t->errnum;
		return -1;
	}
	ERR_clear_error();
	errno = 0;
	r = SSL_read_ex(t->ssl, p, n, &got);
	t->starved = false;
	if (r == 1) {
		t->want = 0;
		return (ssize_t)got;
	}
	saved = errno;
	e = SSL_get_error(t->ssl, r);
	if (again(t, e)) {
		/* either way what is held is not a whole record to read now */
		t->starved = true;
		return TLS_AGAIN;
	}
	if (e == SSL_ERROR_ZERO_RETURN) {	/* close_notify */
		t->eof = true;
		return 0;
	}
	ec = ERR_peek_error();
	if (is_eof(ec) || (e == SSL_ERROR_SYSCALL && ec == 0 && saved == 0)) {
		/* the socket ended without close_notify */
		t->eof = t->truncated = t->failed = true;
		t->errnum = EPROTO;	/* a write after it: not a "reset" */
		snprintf(t->err, sizeof t->err, _("the peer closed the "
		    "connection without a TLS close_notify"));
		ERR_clear_error();
		return 0;
	}
	fail(t, e, saved);
	return -1;
}

ssize_t
tls_write(struct tls *t, const void *p, size_t n)
{
	size_t put = 0;
	int r, e, saved;

	if (t->failed) {
		errno = t->errnum != 0 ? t->errnum : EPIPE;
		return -1;
	}
	if (n == 0)
		return 0;
	ERR_clear_error();
	errno = 0;
	r = SSL_write_ex(t->ssl, p, n, &put);
	if (r == 1) {
		t->want = 0;
		return (ssize_t)put;
	}
	saved = errno;
	e = SSL_get_error(t->ssl, r);
	if (again(t, e))
		return TLS_AGAIN;
	fail(t, e, saved);
	return -1;
}

int
tls_shutdown(struct tls *t)
{
	int r, e, saved;

	if (t->shut)
		return 0;
	if (t->failed || !t->done) {
		if (!t->failed)
			snprintf(t->err, sizeof t->err, _("cannot end TLS "
			    "before the handshake is done"));
		errno = t->failed ? t->errnum : EPROTO;
		return -1;
	}
	ERR_clear_error();
	errno = 0;
	/* 0: ours is out, the peer's not yet in; 1: both.  Either is done:
	 * the peer's close_notify comes through tls_read. */
	r = SSL_shutdown(t->ssl);
	if (r >= 0) {
		t->shut = true;
		t->want = 0;
		return 0;
	}
	saved = errno;
	e = SSL_get_error(t->ssl, r);
	if (again(t, e))
		return TLS_AGAIN;
	fail(t, e, saved);
	return -1;
}

/*
 * Read-ahead keeps whole records inside OpenSSL that poll will never
 * announce: count them as 1 byte.  Not after a read that wanted more from
 * the socket: what is left then is part of a record, and saying "pending"
 * would make the caller spin on it.
 */
size_t
tls_pending(const struct tls *t)
{
	int n;

	if (t->failed || t->eof)
		return 0;
	if ((n = SSL_pending(t->ssl)) > 0)
		return (size_t)n;
	return !t->starved && SSL_has_pending(t->ssl) ? 1 : 0;
}

short
tls_want(const struct tls *t)
{
	return t->want;
}

const char *
tls_error(const struct tls *t)
{
	return t->err;
}

bool
tls_truncated(const struct tls *t)
{
	return t->truncated;
}

/* SSL_set_fd made one socket BIO for both ways; SSL_get_wbio skips the
 * buffering BIO of the handshake, so this counts what the socket took. */
uint64_t
tls_wire_written(const struct tls *t)
{
	return BIO_number_written(SSL_get_wbio(t->ssl));
}

/* What must not reach a terminal from a certificate: C0, DEL, and what
 * the sanitizer never lets through either (C1, a CSI or OSC in UTF-8
 * clothing; bidi controls that reorder what is shown). */
static bool
unsafe_cp(uint32_t c)
{
	return c < 0x20 || c == 0x7f || sanitize_format_control(c);
}

/* Certificate text is the peer's: no control character reaches the
 * screen (or stderr), and a cut never splits a UTF-8 character. */
static void
copy_text(char *dst, size_t size, const char *src, size_t len)
{
	size_t i = 0, j = 0, n;
	uint32_t cp;
	int k;

	while (i < len && j + 1 < size) {
		k = width_utf8(src + i, len - i, &cp);
		n = k > 0 ? (size_t)k : 0;
		if (n == 0 || unsafe_cp(cp)) {	/* one '?' per bad byte */
			dst[j++] = '?';
			i += n == 0 ? 1 : n;
			continue;
		}
		if (j + n >= size)
			break;		/* never half a character */
		memcpy(dst + j, src + i, n);
		i += n;
		j += n;
	}
	dst[j] = '\0';
}

static void
name_line(const X509_NAME *nm, char *out, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 &
	    ~ASN1_STRFLGS_ESC_MSB) >= 0 && (n = BIO_get_mem_data(b, &data)) > 0)
		copy_text(out, len, data, (size_t)n);
	BIO_free(b);
}

/* The name's CN, else its whole one line. */
static void
name_short(const X509_NAME *nm, char *out, size_t len)
{
	int i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
	unsigned char *u = NULL;
	int n;

	if (i >= 0 && (n = ASN1_STRING_to_UTF8(&u,
	    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i)))) > 0)
		copy_text(out, len, (const char *)u, (size_t)n);
	else
		name_line(nm, out, len);
	OPENSSL_free(u);
}

static void
time_text(const ASN1_TIME *a, char *out, size_t len)
{
	struct tm tm;

	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1 ||
	    strftime(out, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, len, "?");
}

/* A DNS or IP subject alternative name as text; false for other kinds. */
static bool
san_text(const GENERAL_NAME *gn, char *out, size_t len)
{
	const ASN1_STRING *s;
	int n;

	if (gn->type == GEN_DNS) {
		s = gn->d.dNSName;
		copy_text(out, len, (const char *)ASN1_STRING_get0_data(s),
		    (size_t)ASN1_STRING_length(s));
		return true;
	}
	if (gn->type != GEN_IPADD)
		return false;
	s = gn->d.iPAddress;
	n = ASN1_STRING_length(s);
	return (n == 4 || n == 16) && inet_ntop(n == 4 ? AF_INET : AF_INET6,
	    ASN1_STRING_get0_data(s), out, (socklen_t)len) != NULL;
}

/* The DNS and IP names of the certificate (its CN if none), as a list cut
 * to fit len. */
static void
cert_names(X509 *x, char *out, size_t len)
{
	GENERAL_NAMES *g = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	    NULL);
	char one[256], list[512];
	size_t o = 0, w;
	int i, count = g != NULL ? sk_GENERAL_NAME_num(g) : 0, left = 0;

	out[0] = '\0';
	for (i = 0; i < count; i++) {
		if (!san_text(sk_GENERAL_NAME_value(g, i), one, sizeof one))
			continue;
		w = strlen(one) + (o > 0 ? 2 : 0);
		if (left > 0 || o + w + 16 >= len) {
			left++;
			continue;
		}
		o += (size_t)snprintf(out + o, len - o, "%s%s", o > 0 ? ", " :
		    "", one);
	}
	GENERAL_NAMES_free(g);
	if (left > 0) {
		snprintf(list, sizeof list, "%s", out);
		/* cut short is fine: it fits len */
		/* TRANSLATORS: a certificate's names, cut short: "a.example,
		 * b.example (and 3 more)". */
		if (snprintf(out, len, P_("%s (and %d more)",
		    "%s (and %d more)", left), list, left) < 0)
			out[0] = '\0';
	}
	if (o == 0 && left == 0)
		name_short(X509_get_subject_name(x), out, len);
}

/* Why the CA check failed, in words. */
static void
verify_reason(const struct tls *t, X509 *x, long vr, struct tls_info *i)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(t->ssl);
	X509 *top = x;
	char names[120], ca[120];

	switch (vr) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0) {
			snprintf(i->reason, sizeof i->reason, _("the "
			    "certificate expired on %s"), i->not_after);
			return;
		}
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
			snprintf(i->reason, sizeof i->reason, _("the "
			    "certificate is not valid before %s"),
			    i->not_before);
			return;
		}
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		snprintf(i->reason, sizeof i->reason, _("self-signed "
		    "certificate"));
		return;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		cert_names(x, names, sizeof names);
		snprintf(i->reason, sizeof i->reason, _("the certificate is "
		    "for %s, not %s"), names, t->name != NULL ? t->name : "?");
		return;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		if (chain != NULL && sk_X509_num(chain) > 0)
			top = sk_X509_value(chain, sk_X509_num(chain) - 1);
		name_short(X509_get_issuer_name(top), ca, sizeof ca);
		snprintf(i->reason, sizeof i->reason, _("unknown CA: %s"), ca);
		return;
	}
	snprintf(i->reason, sizeof i->reason, "%s",
	    X509_verify_cert_error_string(vr));
}

/* hostport's pin in dir/known_hosts, as hex; false if none. */
static bool
known_pin(const char *dir, const char *hostport,
    char hex[KNOWNHOSTS_HEX_LEN])
{
	char path[PATH_MAX], *text;
	FILE *f;
	size_t n;
	bool found;

	if ((size_t)snprintf(path, sizeof path, "%s/known_hosts", dir) >=
	    sizeof path || (f = fopen(path, "r")) == NULL)
		return false;
	if ((text = malloc(KNOWN_MAX)) == NULL) {
		fclose(f);
		return false;
	}
	n = fread(text, 1, KNOWN_MAX, f);
	fclose(f);
	found = knownhosts_find(text, n, hostport, hex);
	free(text);
	return found;
}

/* The trust judgement, in the order of the options' strength. */
static void
judge(const struct tls *t, X509 *x, struct tls_info *i)
{
	const struct tls_ctx *c = t->c;
	long vr = SSL_get_verify_result(t->ssl);
	char hex[KNOWNHOSTS_HEX_LEN] = "", known[KNOWNHOSTS_HEX_LEN];

	if (x != NULL)
		knownhosts_fp_hex(i->fingerprint, strlen(i->fingerprint), hex);
	if (c->insecure)
		i->trust = TLS_TRUST_INSECURE;
	else if (c->pin) {
		i->trust = x != NULL && strcmp(hex, c->pin_hex) == 0 ?
		    TLS_TRUST_PINNED : TLS_TRUST_MISMATCH;
		if (i->trust == TLS_TRUST_MISMATCH)
			snprintf(i->reason, sizeof i->reason, _("the "
			    "certificate is not the one --tls-pin names"));
	} else if (c->server)
		i->trust = x != NULL && c->verify_client && vr == X509_V_OK ?
		    TLS_TRUST_CLIENT_OK : TLS_TRUST_NO_CLIENT;
	else if (x == NULL) {
		i->trust = TLS_TRUST_FAILED;
		snprintf(i->reason, sizeof i->reason, _("the server sent no "
		    "certificate"));
	} else if (vr == X509_V_OK && t->name != NULL)
		i->trust = TLS_TRUST_VERIFIED;
	else if (t->hostport != NULL && c->state_dir != NULL &&
	    known_pin(c->state_dir, t->hostport, known)) {
		i->trust = strcmp(hex, known) == 0 ? TLS_TRUST_KNOWN :
		    TLS_TRUST_CHANGED;
		if (i->trust == TLS_TRUST_CHANGED)
			snprintf(i->reason, sizeof i->reason, _("the "
			    "certificate is not the one pinned for %s in the "
			    "known hosts"), t->hostport);
	} else if (vr == X509_V_OK) {
		/* a CA vouches for someone, but for whom we cannot check */
		i->trust = TLS_TRUST_FAILED;
		snprintf(i->reason, sizeof i->reason, _("there is no host name "
		    "to check the certificate against (give --tls-sni NAME)"));
	} else {
		i->trust = TLS_TRUST_FAILED;
		verify_reason(t, x, vr, i);
	}
}

void
tls_get_info(const struct tls *t, struct tls_info *i)
{
	const unsigned char *alpn;
	unsigned int alpnlen = 0;
	X509 *x = SSL_get0_peer_certificate(t->ssl);
	const char *cipher = SSL_get_cipher_name(t->ssl);

	memset(i, 0, sizeof *i);
	snprintf(i->version, sizeof i->version, "%s", SSL_get_version(t->ssl));
	snprintf(i->cipher, sizeof i->cipher, "%s", cipher != NULL ? cipher :
	    "");
	SSL_get0_alpn_selected(t->ssl, &alpn, &alpnlen);
	if (alpn != NULL)
		copy_text(i->alpn, sizeof i->alpn, (const char *)alpn, alpnlen);
	if (x != NULL) {
		i->have_cert = true;
		fingerprint_of(x, i->fingerprint);
		name_line(X509_get_subject_name(x), i->subject,
		    sizeof i->subject);
		name_line(X509_get_issuer_name(x), i->issuer, sizeof i->issuer);
		time_text(X509_get0_notBefore(x), i->not_before,
		    sizeof i->not_before);
		time_text(X509_get0_notAfter(x), i->not_after,
		    sizeof i->not_after);
		name_short(X509_get_subject_name(x), i->who, sizeof i->who);
		if (i->who[0] == '\0')	/* no subject: its names say who */
			cert_names(x, i->who, sizeof i->who);
	}
	judge(t, x, i);
	ERR_clear_error();
}

static int
store_pin(const char *state_dir, const char *hostport,
    const char *fingerprint, char *err, size_t errlen)
{
	char path[PATH_MAX], *text = NULL, *out;
	size_t n = 0, outlen;
	FILE *f;
	int r;

	if (state_dir == NULL) {
		snprintf(err, errlen, _("cannot remember the certificate: "
		    "there is no state directory (HOME is not set)"));
		return -1;
	}
	if ((size_t)snprintf(path, sizeof path, "%s/known_hosts", state_dir) >=
	    sizeof path) {
		snprintf(err, errlen, _("the state directory name is too long: "
		    "%s"), state_dir);
		return -1;
	}
	if (!knownhosts_key_ok(hostport)) {
		snprintf(err, errlen, _("cannot remember a certificate for "
		    "\"%s\": the name cannot be written to %s"), hostport, path);
		return -1;
	}
	if (make_dirs(state_dir) == -1) {
		snprintf(err, errlen, _("cannot create the directory %s: %s"),
		    state_dir, strerror(errno));
		return -1;
	}
	if ((f = fopen(path, "r")) != NULL) {
		if ((text = malloc(KNOWN_MAX)) != NULL)
			n = fread(text, 1, KNOWN_MAX, f);
		fclose(f);
		if (text == NULL || n == KNOWN_MAX) {
			snprintf(err, errlen, _("cannot read %s: %s"), path,
			    strerror(text == NULL ? ENOMEM : EFBIG));
			free(text);
			return -1;
		}
	} else if (errno != ENOENT) {
		snprintf(err, errlen, _("cannot read %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	out = knownhosts_replace(text != NULL ? text : "", n, hostport,
	    fingerprint, &outlen);
	free(text);
	if (out == NULL) {
		snprintf(err, errlen, _("cannot remember the certificate %s: %s"
		    ), fingerprint, strerror(errno));
		return -1;
	}
	r = write_atomic(path, out, outlen);
	free(out);
	if (r == -1) {
		snprintf(err, errlen, _("cannot write %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Two chats pinning at once: each reads the file the other wrote. */
int
tls_trust_store(const char *state_dir, const char *hostport,
    const char *fingerprint, char *err, size_t errlen)
{
	int lock = -1, r;

	if (state_dir != NULL && make_dirs(state_dir) == 0)
		lock = lock_dir(state_dir);
	r = store_pin(state_dir, hostport, fingerprint, err, errlen);
	unlock_dir(lock);
	return r;
}

const char *
tls_trust_words(const struct tls_info *i, char *out, size_t len)
{
	switch (i->trust) {
	case TLS_TRUST_VERIFIED:
		snprintf(out, len, _("verified: %s"), i->who);
		break;
	case TLS_TRUST_PINNED:
		snprintf(out, len, _("pinned"));
		break;
	case TLS_TRUST_KNOWN:
		snprintf(out, len, _("pinned (known host)"));
		break;
	case TLS_TRUST_INSECURE:
		snprintf(out, len, _("UNVERIFIED (--tls-insecure)"));
		break;
	case TLS_TRUST_CLIENT_OK:
		snprintf(out, len, _("client verified: %s"), i->who);
		break;
	case TLS_TRUST_NO_CLIENT:
		snprintf(out, len, _("client not verified"));
		break;
	case TLS_TRUST_MISMATCH:
		snprintf(out, len, _("PIN MISMATCH"));
		break;
	case TLS_TRUST_CHANGED:
		snprintf(out, len, _("CERTIFICATE CHANGED"));
		break;
	case TLS_TRUST_FAILED:
	default:
		snprintf(out, len, _("UNVERIFIED"));
		break;
	}
	return out;
}
