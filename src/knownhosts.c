/*
 * knownhosts.c - parse, look up and replace the pins of the known-hosts
 * text (the "always" answer to an unverified TLS certificate).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "knownhosts.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
knownhosts_fp_hex(const char *fp, size_t len, char hex[KNOWNHOSTS_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";
	size_t i = 0, n = 0;
	int v;

	if (len >= 7 && strncasecmp(fp, "sha256:", 7) == 0)
		i = 7;
	for (; i < len; i++) {
		if (fp[i] == ':')
			continue;
		if ((v = hexval(fp[i])) == -1 || n == 64)
			return false;
		hex[n++] = digits[v];
	}
	hex[n] = '\0';
	return n == 64;
}

bool
knownhosts_parse(const char *line, size_t len, struct knownhosts_line *l)
{
	char hex[KNOWNHOSTS_HEX_LEN];
	size_t start = 0, end = len, sp;

	while (end > 0 && (is_blank(line[end - 1]) || line[end - 1] == '\r'))
		end--;
	while (start < end && is_blank(line[start]))
		start++;
	if (start == end || line[start] == '#')
		return false;
	for (sp = end; sp > start && !is_blank(line[sp - 1]); sp--)
		;
	if (sp == start)
		return false;		/* one word: no key */
	l->fp = line + sp;
	l->fplen = end - sp;
	while (sp > start && is_blank(line[sp - 1]))
		sp--;
	l->key = line + start;
	l->keylen = sp - start;
	return knownhosts_fp_hex(l->fp, l->fplen, hex);
}

bool
knownhosts_key_ok(const char *key)
{
	size_t i, n = strlen(key);

	if (n == 0 || key[0] == '#' || is_blank(key[0]) || is_blank(key[n - 1]))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			return false;
	return true;
}

/* The next line of text from *pos: its start and length (no newline). */
static bool
next_line(const char *text, size_t len, size_t *pos, const char **line,
    size_t *linelen)
{
	const char *nl;

	if (*pos >= len)
		return false;
	*line = text + *pos;
	nl = memchr(*line, '\n', len - *pos);
	*linelen = nl != NULL ? (size_t)(nl - *line) : len - *pos;
	*pos += *linelen + (nl != NULL);
	return true;
}

static bool
line_is(const char *line, size_t n, const char *key, size_t keylen,
    struct knownhosts_line *l)
{
	return knownhosts_parse(line, n, l) && l->keylen == keylen &&
	    memcmp(l->key, key, keylen) == 0;
}

bool
knownhosts_find(const char *text, size_t len, const char *key,
    char hex[KNOWNHOSTS_HEX_LEN])
{
	struct knownhosts_line l;
	size_t pos = 0, n, keylen = strlen(key);
	const char *line;

	while (next_line(text, len, &pos, &line, &n))
		if (line_is(line, n, key, keylen, &l))
			return knownhosts_fp_hex(l.fp, l.fplen, hex);
	return false;
}

static size_t
put_line(char *out, const char *key, size_t keylen, const char *fp,
    size_t fplen)
{
	memcpy(out, key, keylen);
	out[keylen] = ' ';
	memcpy(out + keylen + 1, fp, fplen);
	out[keylen + 1 + fplen] = '\n';
	return keylen + fplen + 2;
}

char *
knownhosts_replace(const char *text, size_t len, const char *key,
    const char *fp, size_t *outlen)
{
	struct knownhosts_line l;
	char hex[KNOWNHOSTS_HEX_LEN], *out;
	size_t pos = 0, n, o = 0, keylen = strlen(key), fplen = strlen(fp);
	const char *line;
	bool done = false;

	if (!knownhosts_key_ok(key) || !knownhosts_fp_hex(fp, fplen, hex) ||
	    memchr(fp, ' ', fplen) != NULL || memchr(fp, '\t', fplen) != NULL) {
		errno = EINVAL;
		return NULL;
	}
	/* at most the old text, a newline it lacked, and our line */
	if ((out = malloc(len + keylen + fplen + 4)) == NULL)
		return NULL;
	while (next_line(text, len, &pos, &line, &n)) {
		if (!line_is(line, n, key, keylen, &l)) {
			memcpy(out + o, line, n);
			o += n;
			out[o++] = '\n';
		} else if (!done) {
			o += put_line(out + o, key, keylen, fp, fplen);
			done = true;
		}
	}
	if (!done)
		o += put_line(out + o, key, keylen, fp, fplen);
	out[o] = '\0';
	*outlen = o;
	return out;
}
