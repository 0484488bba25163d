/*
 * starttls.c - the plain exchange before STARTTLS (see starttls.h): the
 * server's bytes are cut into lines, each line moves a small state machine
 * per protocol, and what we would send is queued in out.  Stricter than
 * `openssl s_client -starttls`: every reply is checked, STARTTLS must be
 * offered, and a server that talks out of turn is refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "starttls.h"
#include "i18n.h"

enum {
	ST_GREET,	/* waiting for the greeting */
	ST_CAPA,	/* EHLO or CAPABILITY sent */
	ST_GOAHEAD,	/* STARTTLS (STLS) sent */
	ST_DONE,
	ST_FAILED
};

#define QUOTE_MAX	200	/* a server line quoted in err */

int
starttls_proto_parse(const char *s, enum starttls_proto *p)
{
	static const char *const names[] = { "smtp", "imap", "pop3" };
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*p = (enum starttls_proto)i;
			return 0;
		}
	return -1;
}

void
starttls_init(struct starttls *st, enum starttls_proto proto, const char *name)
{
	const char *c;

	memset(st, 0, sizeof *st);
	st->proto = proto;
	st->state = ST_GREET;
	/* the name goes on the wire: nothing that could end the EHLO line */
	if (name == NULL || *name == '\0' || strlen(name) >= sizeof st->name)
		name = "localhost";
	for (c = name; *c != '\0'; c++)
		if (*c <= ' ' || *c >= 0x7f)
			name = "localhost";
	snprintf(st->name, sizeof st->name, "%s", name);
}

/*
 * Server bytes as printable ASCII: anything else is \xHH, so nothing the
 * server sends can drive a terminal.  Stops before an escape that would not
 * fit; dst is NUL-ended.  Returns how many of the n bytes went in.
 */
static size_t
san(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, len = 0;
	unsigned char c;

	if (size == 0)
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			if (len + 1 >= size)
				break;
			dst[len++] = (char)c;
		} else {
			if (len + 4 >= size)
				break;
			snprintf(dst + len, 5, "\\x%02x", c);
			len += 4;
		}
	}
	dst[len] = '\0';
	return i;
}

/* One line of the exchange in the log; when it no longer fits the log
 * ends in "...". */
static void
log_line(struct starttls *st, const char *dir, const char *s, size_t n)
{
	char buf[2 + 4 * STARTTLS_LINE_MAX + 2];
	size_t len, room = STARTTLS_LOG_MAX - 1 - st->loglen;

	memcpy(buf, dir, 2);
	san(buf + 2, sizeof buf - 3, s, n);
	len = strlen(buf);
	buf[len++] = '\n';
	if (len > room) {
		if (room < 4)
			return;
		len = room - 4;
		memcpy(buf + len, "...\n", 4);
		len += 4;
	}
	memcpy(st->log + st->loglen, buf, len);
	st->loglen += len;
	st->log[st->loglen] = '\0';
}

static enum starttls_result
fail(struct starttls *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
	st->state = ST_FAILED;
	return STARTTLS_FAILED;
}

/* fmt has one %s: the server's line, sanitized and cut to QUOTE_MAX. */
static enum starttls_result
fail_line(struct starttls *st, const char *fmt, const char *s, size_t n)
{
	char q[QUOTE_MAX + 4];

	if (san(q, QUOTE_MAX + 1, s, n) < n)
		strcat(q, "...");
	return fail(st, fmt, q);
}

static void
send_cmd(struct starttls *st, const char *cmd)
{
	int len;

	len = snprintf(st->out + st->outlen, sizeof st->out - st->outlen,
	    "%s\r\n", cmd);
	if (len > 0 && (size_t)len < sizeof st->out - st->outlen)
		st->outlen += (size_t)len;
	log_line(st, "> ", cmd, strlen(cmd));
}

/* A capability for the error message, ", "-separated, "..." once full. */
static void
add_cap(struct starttls *st, const char *s, size_t n)
{
	char word[sizeof st->caps];
	size_t len, room = sizeof st->caps - 1 - st->capslen;
	const char *sep = st->capslen > 0 ? ", " : "";

	if (n == 0 || (st->capslen >= 3 &&
	    strcmp(st->caps + st->capslen - 3, "...") == 0))
		return;
	san(word, sizeof word, s, n);
	len = strlen(word);
	if (strlen(sep) + len > room) {
		if (room >= strlen(sep) + 3)
			st->capslen += (size_t)snprintf(st->caps + st->capslen,
			    room + 1, "%s...", sep);
		return;
	}
	st->capslen += (size_t)snprintf(st->caps + st->capslen, room + 1,
	    "%s%s", sep, word);
}

/* Does s (n bytes) start with word, followed by a space or its end? */
static int
starts_word(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);

	return n >= wl && strncasecmp(s, word, wl) == 0 &&
	    (n == wl || s[wl] == ' ');
}

static enum starttls_result
no_starttls(struct starttls *st, const char *cmd)
{
	if (st->capslen == 0)
		return fail(st, _("the server does not offer STARTTLS (its %s "
		    "reply lists no capabilities)"), cmd);
	return fail(st, _("the server does not offer STARTTLS (its %s reply "
	    "lists: %s)"), cmd, st->caps);
}

/*
 * SMTP: "ddd-text" continues a reply, "ddd text" (or "ddd") ends it; all of
 * a reply's lines carry one code.
 */
static enum starttls_result
smtp_line(struct starttls *st, const char *s, size_t n)
{
	char cmd[sizeof st->name + 8];
	int code, last;
	size_t t = n > 4 ? 4 : n;

	if (n < 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
	    s[2] < '0' || s[2] > '9' || (n > 3 && s[3] != ' ' && s[3] != '-'))
		return fail_line(st, _("the server's reply is not SMTP: %s"), s,
		    n);
	code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	last = n == 3 || s[3] == ' ';
	if (st->nlines > 0 && code != st->code)
		return fail_line(st, _("the server's reply is not SMTP: %s"), s,
		    n);
	st->code = code;
	st->nlines++;
	switch (st->state) {
	case ST_GREET:
		if (code != 220)
			return fail_line(st, code >= 400 ? _("the server "
			    "refused the connection: %s") : _("the server's "
			    "greeting is not SMTP: %s"), s, n);
		if (!last)
			return STARTTLS_MORE;
		snprintf(cmd, sizeof cmd, "EHLO %s", st->name);
		send_cmd(st, cmd);
		st->state = ST_CAPA;
		break;
	case ST_CAPA:
		if (code != 250)
			return fail_line(st, _("the server refused EHLO: %s"),
			    s, n);
		/* the first line is the server's name, then one per extension */
		if (st->nlines > 1) {
			add_cap(st, s + t, n - t);
			if (starts_word(s + t, n - t, "STARTTLS"))
				st->offered = true;
		}
		if (!last)
			return STARTTLS_MORE;
		if (!st->offered)
			return no_starttls(st, "EHLO");
		send_cmd(st, "STARTTLS");
		st->state = ST_GOAHEAD;
		break;
	default:
		if (code != 220)
			return fail_line(st, code >= 400 ? _("the server "
			    "refused STARTTLS: %s") : _("the server did not "
			    "answer STARTTLS with 220: %s"), s, n);
		if (!last)
			return STARTTLS_MORE;
		st->state = ST_DONE;
		return STARTTLS_DONE;
	}
	st->nlines = 0;
	return STARTTLS_MORE;
}

/* A tagged IMAP status for tag: 0 OK, 1 NO or BAD, -1 another line. */
static int
imap_status(const char *s, size_t n, const char *tag)
{
	char w[16];

	snprintf(w, sizeof w, "%s OK", tag);
	if (starts_word(s, n, w))
		return 0;
	snprintf(w, sizeof w, "%s NO", tag);
	if (starts_word(s, n, w))
		return 1;
	snprintf(w, sizeof w, "%s BAD", tag);
	return starts_word(s, n, w) ? 1 : -1;
}

/* "* CAPABILITY IMAP4rev1 STARTTLS ...": note each word. */
static void
imap_caps(struct starttls *st, const char *s, size_t n)
{
	size_t i = strlen("* CAPABILITY"), w;

	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		for (w = i; i < n && s[i] != ' '; i++)
			;
		if (i - w == 8 && strncasecmp(s + w, "STARTTLS", 8) == 0)
			st->offered = true;
		add_cap(st, s + w, i - w);
	}
}

static enum starttls_result
imap_line(struct starttls *st, const char *s, size_t n)
{
	int untagged = n >= 2 && s[0] == '*' && s[1] == ' ';

	if (st->state == ST_GREET) {
		if (starts_word(s, n, "* PREAUTH"))
			return fail_line(st, _("the server greeted with "
			    "PREAUTH, in which STARTTLS is not allowed: %s"), s,
			    n);
		if (starts_word(s, n, "* BYE"))
			return fail_line(st, _("the server refused the "
			    "connection: %s"), s, n);
		if (!starts_word(s, n, "* OK"))
			return fail_line(st, _("the server's greeting is not "
			    "IMAP: %s"), s, n);
		send_cmd(st, "a1 CAPABILITY");
		st->state = ST_CAPA;
		return STARTTLS_MORE;
	}
	if (starts_word(s, n, "* BYE"))
		return fail_line(st, _("the server is closing the connection: "
		    "%s"), s, n);
	if (st->state == ST_CAPA && starts_word(s, n, "* CAPABILITY"))
		imap_caps(st, s, n);
	if (untagged)	/* other untagged data may come at any time */
		return STARTTLS_MORE;
	switch (imap_status(s, n, st->state == ST_CAPA ? "a1" : "a2")) {
	case 0:
		if (st->state == ST_GOAHEAD) {
			st->state = ST_DONE;
			return STARTTLS_DONE;
		}
		if (!st->offered)
			return no_starttls(st, "CAPABILITY");
		send_cmd(st, "a2 STARTTLS");
		st->state = ST_GOAHEAD;
		return STARTTLS_MORE;
	case 1:
		return fail_line(st, st->state == ST_CAPA ? _("the server "
		    "refused CAPABILITY: %s") : _("the server refused "
		    "STARTTLS: %s"), s, n);
	default:
		return fail_line(st, _("the server's reply is not IMAP: %s"), s,
		    n);
	}
}

/* POP3's "+OK" and "-ERR", upper case (RFC 1939), then a space or the end. */
static int
pop3_status(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);

	return n >= wl && memcmp(s, word, wl) == 0 && (n == wl || s[wl] == ' ');
}

static enum starttls_result
pop3_line(struct starttls *st, const char *s, size_t n)
{
	if (pop3_status(s, n, "+OK")) {
		if (st->state == ST_GOAHEAD) {
			st->state = ST_DONE;
			return STARTTLS_DONE;
		}
		send_cmd(st, "STLS");
		st->state = ST_GOAHEAD;
		return STARTTLS_MORE;
	}
	if (pop3_status(s, n, "-ERR"))
		return fail_line(st, st->state == ST_GREET ? _("the server "
		    "refused the connection: %s") : _("the server refused "
		    "STARTTLS: %s"), s, n);
	return fail_line(st, st->state == ST_GREET ? _("the server's greeting "
	    "is not POP3: %s") : _("the server's reply is not POP3: %s"), s, n);
}

/* The command out still holds (or has just been queued). */
static const char *
pending_cmd(const struct starttls *st)
{
	if (st->state == ST_CAPA)
		return st->proto == STARTTLS_SMTP ? "EHLO" : "CAPABILITY";
	return st->proto == STARTTLS_POP3 ? "STLS" : "STARTTLS";
}

/* Bytes before the server could have read our command. */
static enum starttls_result
out_of_turn(struct starttls *st, const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	char q[QUOTE_MAX + 4];

	if (nl != NULL)
		n = (size_t)(nl - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	log_line(st, "< ", p, n);
	if (san(q, QUOTE_MAX + 1, p, n) < n)
		strcat(q, "...");
	return fail(st, _("the server sent data before it could have read our "
	    "%s command: %s"), pending_cmd(st), q);
}

static enum starttls_result
one_line(struct starttls *st)
{
	size_t n = st->linelen;

	st->linelen = 0;
	if (n > 0 && st->line[n - 1] == '\r')
		n--;
	log_line(st, "< ", st->line, n);
	switch (st->proto) {
	case STARTTLS_SMTP:
		return smtp_line(st, st->line, n);
	case STARTTLS_IMAP:
		return imap_line(st, st->line, n);
	default:
		return pop3_line(st, st->line, n);
	}
}

enum starttls_result
starttls_feed(struct starttls *st, const char *p, size_t n, size_t *used)
{
	enum starttls_result r;
	size_t i;

	*used = 0;
	if (st->state == ST_DONE)
		return STARTTLS_DONE;
	if (st->state == ST_FAILED)
		return STARTTLS_FAILED;
	if (n == 0)
		return fail(st, _("the server closed the connection before the "
		    "TLS go-ahead"));
	if (st->outlen > 0)
		return out_of_turn(st, p, n);
	for (i = 0; i < n; i++) {
		if (p[i] != '\n') {
			if (st->linelen >= STARTTLS_LINE_MAX - 1) {
				char cut[QUOTE_MAX + 3];

				*used = i;
				memcpy(cut, st->line, QUOTE_MAX);
				memcpy(cut + QUOTE_MAX, "...", 3);
				log_line(st, "< ", cut, sizeof cut);
				return fail(st, _("the server sent a line "
				    "longer than %d bytes"), STARTTLS_LINE_MAX);
			}
			st->line[st->linelen++] = p[i];
			continue;
		}
		*used = i + 1;
		if ((r = one_line(st)) != STARTTLS_MORE)
			return r;
		if (st->outlen > 0 && i + 1 < n)
			return out_of_turn(st, p + i + 1, n - i - 1);
	}
	*used = n;
	return STARTTLS_MORE;
}

const char *
starttls_out(struct starttls *st, size_t *len)
{
	*len = st->outlen;
	st->outlen = 0;
	return st->out;
}
