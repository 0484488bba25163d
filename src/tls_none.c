/*
 * tls_none.c - tls.h for a build without libssl: TLS is not there, and
 * every call says so, so the options fail with one clear line.
 */
#include <errno.h>
#include <stdio.h>

#include "tls.h"
#include "i18n.h"

#define NO_TLS	"this tcptalk was built without TLS (see tcptalk --version)"

bool
tls_available(void)
{
	return false;
}

const char *
tls_library(void)
{
	return "no";
}

struct tls_ctx *
tls_ctx_new(const struct tt_opts *o, const char *state_dir, char *note,
    size_t notelen, char *err, size_t errlen)
{
	(void)o;
	(void)state_dir;
	if (notelen > 0)
		note[0] = '\0';
	snprintf(err, errlen, "%s", NO_TLS);
	return NULL;
}

void
tls_ctx_free(struct tls_ctx *c)
{
	(void)c;
}

const char *
tls_ctx_fingerprint(const struct tls_ctx *c)
{
	(void)c;
	return "";
}

struct tls *
tls_new(struct tls_ctx *c, int fd, const char *name, const char *hostport)
{
	(void)c;
	(void)fd;
	(void)name;
	(void)hostport;
	return NULL;
}

void
tls_free(struct tls *t)
{
	(void)t;
}

int
tls_handshake(struct tls *t)
{
	(void)t;
	return -1;
}

ssize_t
tls_read(struct tls *t, void *p, size_t n)
{
	(void)t;
	(void)p;
	(void)n;
	errno = ENOTSUP;
	return -1;
}

ssize_t
tls_write(struct tls *t, const void *p, size_t n)
{
	(void)t;
	(void)p;
	(void)n;
	errno = ENOTSUP;
	return -1;
}

int
tls_shutdown(struct tls *t)
{
	(void)t;
	return -1;
}

size_t
tls_pending(const struct tls *t)
{
	(void)t;
	return 0;
}

short
tls_want(const struct tls *t)
{
	(void)t;
	return 0;
}

const char *
tls_error(const struct tls *t)
{
	(void)t;
	return NO_TLS;
}

bool
tls_truncated(const struct tls *t)
{
	(void)t;
	return false;
}

uint64_t
tls_wire_written(const struct tls *t)
{
	(void)t;
	return 0;
}

void
tls_get_info(const struct tls *t, struct tls_info *i)
{
	(void)t;
	*i = (struct tls_info){ .trust = TLS_TRUST_FAILED };
	snprintf(i->reason, sizeof i->reason, "%s", NO_TLS);
}

int
tls_trust_store(const char *state_dir, const char *hostport,
    const char *fingerprint, char *err, size_t errlen)
{
	(void)state_dir;
	(void)hostport;
	(void)fingerprint;
	snprintf(err, errlen, "%s", NO_TLS);
	return -1;
}

const char *
tls_trust_words(const struct tls_info *i, char *out, size_t len)
{
	(void)i;
	snprintf(out, len, "%s", _("no TLS"));
	return out;
}
