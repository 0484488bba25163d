/* opts.c - argv to struct tt_opts, with a clear message for every bad input.
 *
 * One table (opt_table) says, for every option, its long and short name, what
 * kind of value it takes and which field of struct tt_opts it fills; the
 * getopt tables are built from it.  After the options, the operands are
 * checked for the mode (listen or connect), then numeric addresses against
 * -4 and -6, so every bad command line is refused here, before any socket.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "opts.h"
#include "i18n.h"
#include "starttls.h"

enum { OPT_NO_SHUTDOWN = 256, OPT_LINE, OPT_NO_HISTORY, OPT_SCROLLBACK };
enum { OPT_PROXY = 300, OPT_PROXY_TYPE, OPT_PROXY_AUTH };
enum { OPT_TLS = 320, OPT_TLS_CA, OPT_TLS_PIN, OPT_TLS_INSECURE, OPT_TLS_SNI,
	OPT_TLS_CERT, OPT_TLS_KEY, OPT_TLS_ALPN, OPT_TLS_VERIFY_CLIENT,
	OPT_STARTTLS };
enum { OPT_STATS_JSON = 340 };
enum { OPT_TRACE = 350 };
enum { OPT_ROOM = 360, OPT_BROKER, OPT_MAX_PEERS, OPT_PEER_QUEUE, OPT_NICK };

enum opt_kind {
	K_FLAG,		/* bool field set to true */
	K_STRING,	/* const char * field set to the value */
	K_SECONDS,	/* int field: milliseconds from seconds */
	K_LINES,	/* long field: a line count */
	K_FAMILY,	/* int field: an address family, -4 or -6 */
	K_COUNT,	/* int field: 1 to 100000 */
	K_SIZE,		/* long field: bytes, with k or M after the number */
	K_HELP,
	K_VERSION
};

struct opt_spec {
	const char	*name;	/* long name, without "--" */
	int		 key;	/* short letter, or an OPT_ value above 255 */
	enum opt_kind	 kind;
	size_t		 field;	/* offsetof(struct tt_opts, ...) */
	int		 value;	/* K_FAMILY: the family */
	const char	*what;	/* K_SECONDS, K_LINES: the value's name in messages */
	const char	*zero;	/* K_SECONDS: why 0 is refused, NULL if 0 is fine */
};

#define F(x)	offsetof(struct tt_opts, x)

/* The long option table: every option tcptalk takes (scripts/check-docs
 * reads the quoted names here and looks for each in --help, the man page
 * and README.md). */
static const struct opt_spec opt_table[] = {
	{ "listen",		'l', K_FLAG,	F(listen),	0, NULL, NULL },
	{ "keep-open",		'k', K_FLAG,	F(keep_open),	0, NULL, NULL },
	{ "ipv4",		'4', K_FAMILY,	F(family), AF_INET, NULL, NULL },
	{ "ipv6",		'6', K_FAMILY,	F(family), AF_INET6, NULL, NULL },
	{ "source",		's', K_STRING,	F(source_addr),	0, NULL, NULL },
	{ "source-port",	'p', K_STRING,	F(source_port),	0, NULL, NULL },
	{ "numeric",		'n', K_FLAG,	F(numeric),	0, NULL, NULL },
	/* TRANSLATORS: a value's name, in "invalid %s '%s': expected ..."; the
	 * sentence after it follows "-w 0": "-w 0 would give up at once; ...". */
	{ "wait",		'w', K_SECONDS,	F(wait_ms),	0, N_("wait time"),
	    N_("it would give up at once; leave -w out to wait as long as the system does") },
	{ "idle-timeout",	'i', K_SECONDS,	F(idle_ms),	0, N_("idle timeout"),
	    N_("it would close at once; leave -i out for no timeout") },
	{ "quit-after-eof",	'q', K_SECONDS,	F(quit_ms),	0, N_("quit time"), NULL },
	{ "no-shutdown", OPT_NO_SHUTDOWN, K_FLAG, F(no_shutdown), 0, NULL, NULL },
	{ "crlf",		'C', K_FLAG,	F(crlf),	0, NULL, NULL },
	{ "verbose",		'v', K_FLAG,	F(verbose),	0, NULL, NULL },
	{ "timestamps",		't', K_FLAG,	F(timestamps),	0, NULL, NULL },
	{ "hex-dump",		'x', K_STRING,	F(hex_dump),	0, NULL, NULL },
	{ "output",		'o', K_STRING,	F(output),	0, NULL, NULL },
	{ "unix",		'U', K_STRING,	F(unix_path),	0, NULL, NULL },
	{ "udp",		'u', K_FLAG,	F(udp),		0, NULL, NULL },
	{ "line",	OPT_LINE, K_FLAG,	F(line_mode),	0, NULL, NULL },
	{ "no-history",	OPT_NO_HISTORY, K_FLAG,	F(no_history),	0, NULL, NULL },
	{ "scrollback",	OPT_SCROLLBACK, K_LINES, F(scrollback),	0, N_("scrollback size"), NULL },
	{ "proxy",	OPT_PROXY, K_STRING,	F(proxy),	0, NULL, NULL },
	{ "proxy-type",	OPT_PROXY_TYPE, K_STRING, F(proxy_type_arg), 0, NULL, NULL },
	{ "proxy-auth",	OPT_PROXY_AUTH, K_STRING, F(proxy_auth), 0, NULL, NULL },
	{ "tls",	OPT_TLS, K_FLAG,	F(tls),		0, NULL, NULL },
	{ "tls-ca",	OPT_TLS_CA, K_STRING,	F(tls_ca),	0, NULL, NULL },
	{ "tls-pin",	OPT_TLS_PIN, K_STRING,	F(tls_pin),	0, NULL, NULL },
	{ "tls-insecure", OPT_TLS_INSECURE, K_FLAG, F(tls_insecure), 0, NULL, NULL },
	{ "tls-sni",	OPT_TLS_SNI, K_STRING,	F(tls_sni),	0, NULL, NULL },
	{ "tls-cert",	OPT_TLS_CERT, K_STRING,	F(tls_cert),	0, NULL, NULL },
	{ "tls-key",	OPT_TLS_KEY, K_STRING,	F(tls_key),	0, NULL, NULL },
	{ "tls-alpn",	OPT_TLS_ALPN, K_STRING,	F(tls_alpn),	0, NULL, NULL },
	{ "tls-verify-client", OPT_TLS_VERIFY_CLIENT, K_STRING,
	    F(tls_verify_client), 0, NULL, NULL },
	{ "starttls",	OPT_STARTTLS, K_STRING,	F(starttls_arg), 0, NULL, NULL },
	{ "stats-json",	OPT_STATS_JSON, K_STRING, F(stats_json), 0, NULL, NULL },
	{ "trace",	OPT_TRACE, K_FLAG,	F(trace),	0, NULL, NULL },
	{ "room",	OPT_ROOM, K_FLAG,	F(room),	0, NULL, NULL },
	{ "broker",	OPT_BROKER, K_FLAG,	F(broker),	0, NULL, NULL },
	{ "max-peers",	OPT_MAX_PEERS, K_COUNT,	F(max_peers),	0, N_("peer count"), NULL },
	{ "peer-queue",	OPT_PEER_QUEUE, K_SIZE,	F(peer_queue),	0, N_("queue size"), NULL },
	{ "nick",	OPT_NICK, K_STRING,	F(nick),	0, NULL, NULL },
	{ "help",		'h', K_HELP,	0,		0, NULL, NULL },
	{ "version",		'V', K_VERSION,	0,		0, NULL, NULL },
};
#define NOPTS	(sizeof opt_table / sizeof opt_table[0])

#define SCROLLBACK_MIN	10
#define SCROLLBACK_MAX	10000000

/*
 * --help, a piece per option so a translation is made and kept up piece by
 * piece; in the C locale the text is byte for byte the English one.
 */
static const char *const usage_parts[] = {
	/* TRANSLATORS: keep the command lines as they are; the words after
	 * them start in column 45.  Chinese characters are two columns wide. */
	N_("usage: tcptalk [options] HOST PORT          connect to a peer\n"
	   "       tcptalk -l [options] [ADDR] PORT     listen and wait for a peer\n"
	   "       tcptalk -l [options] -p PORT [ADDR]\n"
	   "       tcptalk [-l] [options] -U PATH       a Unix socket (@NAME: abstract)\n"
	   "       tcptalk -h | -V\n"
	   "\n"),
	/* TRANSLATORS: each option's description starts in column 27 (a
	 * long option's own line moves it down a line); keep lines within 80
	 * columns, counting a Chinese character as two; keep the option names
	 * and the words in capitals (HOST, PORT, SECS) as they are. */
	N_("  -l, --listen            listen (with no ADDR: IPv4 and IPv6)\n"),
	N_("  -k, --keep-open         with -l: after a peer, take the next one (/next)\n"),
	N_("  -4, --ipv4              IPv4 only\n"),
	N_("  -6, --ipv6              IPv6 only (not with -4)\n"),
	N_("  -U, --unix PATH         connect to (with -l: listen on) a Unix stream socket\n"
	   "                          instead of HOST PORT; @NAME is the abstract namespace\n"),
	N_("  -u, --udp               UDP: each line (chat) or read of stdin (pipe) is one\n"
	   "                          datagram; -l answers the first sender only, -l -k\n"
	   "                          any sender, replying to the last; no FIN, so stdin's\n"
	   "                          end stops the pipe only with -q (not with -w, -U)\n"),
	N_("  -s, --source ADDR       connect from this local address (not with -l)\n"),
	N_("  -p, --source-port PORT  connect from this port (with -l: the listening port)\n"),
	N_("  -n, --numeric           no DNS: HOST, ADDR and -s are numeric addresses\n"),
	N_("  -w, --wait SECS         connect timeout per address, more than 0 (not with -l)\n"),
	N_("  -i, --idle-timeout SECS close after SECS without traffic, more than 0 (exit 1)\n"),
	N_("  -q, --quit-after-eof SECS  quit SECS after stdin ends (pipe mode; 0: at once)\n"),
	N_("      --no-shutdown       do not send FIN when stdin ends (pipe mode)\n"),
	N_("  -C, --crlf              send line ends as CRLF\n"),
	N_("  -v, --verbose           connection messages on stderr; in pipe mode a summary\n"
	   "                          line per connection: bytes, time, RTT, retransmissions\n"),
	N_("      --stats-json FILE   append a JSON object per connection to FILE (0600):\n"
	   "                          the same TCP facts and more (TCP only: not with -U\n"
	   "                          or -u)\n"),
	N_("      --trace             show this connection's TCP segments live (/trace, F6;\n"
	   "                          stderr in pipe mode); needs root or CAP_NET_RAW\n"),
	N_("  -t, --timestamps        show HH:MM:SS beside each line (chat)\n"),
	N_("  -x, --hex-dump FILE     append every byte sent and received to FILE as a hex\n"
	   "                          dump (hexdump -C layout), a block per read or write\n"),
	N_("  -o, --output FILE       append the conversation to FILE as it happens, a line\n"
	   "                          per entry: time, < received, > sent, - notices\n"),
	N_("      --scrollback N      lines kept per pane, 10 to 10000000 (default 10000);\n"
	   "                          /hex keeps 16 bytes a line each way\n"),
	N_("      --line              line mode chat, without the full screen\n"),
	N_("      --no-history        do not read or save input history\n"),
	N_("      --proxy HOST:PORT   connect through this proxy ([V6ADDR]:PORT for IPv6)\n"),
	N_("      --proxy-type TYPE   http (CONNECT, the default), socks4 or socks5\n"),
	N_("      --proxy-auth USER:PASS  proxy login: Basic for http, RFC 1929 for socks5\n"),
	N_("      --tls               TLS: verify the server (system CAs, host name);\n"
	   "                          with -l serve TLS (a self-signed certificate kept\n"
	   "                          for you)\n"),
	N_("      --tls-ca FILE       also trust the CA certificates in FILE\n"),
	N_("      --tls-pin sha256:HEX  accept exactly the certificate with this fingerprint\n"),
	N_("      --tls-insecure      no verification at all (the status line says so)\n"),
	N_("      --tls-sni NAME      send NAME as SNI and verify the certificate against it\n"),
	N_("      --tls-cert FILE     our certificate (PEM); --tls-key FILE its key if apart\n"),
	N_("      --tls-key FILE\n"),
	N_("      --tls-alpn LIST     offer these ALPN protocols, e.g. h2,http/1.1\n"),
	N_("      --tls-verify-client CAFILE  with -l: require a client certificate from it\n"),
	N_("      --starttls PROTO    smtp, imap or pop3: plain exchange, then TLS\n"),
	N_("      --room              with -l: a room for many peers, each line relayed to\n"
	   "                          all as <name> text (/nick, /who, /me, /to)\n"),
	N_("      --broker            with -l: many peers, each one's bytes relayed as they\n"
	   "                          are to all the others (like ncat --broker)\n"),
	N_("      --max-peers N       peers in a room at most (default 100); more are told\n"
	   "                          the room is full\n"),
	N_("      --peer-queue SIZE   bytes queued per peer (default 1M, k and M allowed);\n"
	   "                          a peer that does not read them is dropped\n"),
	N_("      --nick NICK         the listener's name in a room (default host)\n"),
	N_("  -h, --help              this help\n"),
	N_("  -V, --version           version and what the build includes\n"),
	/* TRANSLATORS: the end of --help; keep lines within 80 columns. */
	N_("\n"
	   "SECS are seconds, e.g. 5 or 0.5; PORT is 1-65535 or a service name.  With a\n"
	   "terminal on stdin and stdout tcptalk opens a chat (/help inside lists keys\n"
	   "and commands); otherwise it is a byte pipe like nc.  Exit status: 0 ended\n"
	   "normally, 1 network failure, 2 usage error, 128+N killed by signal N.\n"),
};

const char *
opts_usage(void)
{
	static char text[16384];
	size_t i, n = 0, len;
	const char *part;

	if (text[0] != '\0')
		return text;
	for (i = 0; i < sizeof usage_parts / sizeof usage_parts[0]; i++) {
		part = _(usage_parts[i]);
		len = strlen(part);
		if (n + len >= sizeof text)	/* a translation far too long */
			len = sizeof text - 1 - n;
		memcpy(text + n, part, len);
		n += len;
	}
	text[n] = '\0';
	return text;
}

/* The message, one line on a terminal: the words it quotes come from argv
 * and may hold control characters (a newline, ESC, C1 in UTF-8), which
 * are shown as \xHH. */
static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	char tmp[512];
	size_t i, j = 0;
	va_list ap;
	unsigned char c;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (errlen == 0)
		return;
	for (i = 0; tmp[i] != '\0'; i++) {
		c = (unsigned char)tmp[i];
		if (c == 0xc2 && (unsigned char)tmp[i + 1] >= 0x80 &&
		    (unsigned char)tmp[i + 1] <= 0x9f) {
			if (j + 8 >= errlen)
				break;
			snprintf(err + j, 9, "\\xc2\\x%02x", (unsigned char)tmp[++i]);
			j += 8;
		} else if (c >= 0x20 && c != 0x7f) {
			if (j + 1 >= errlen)
				break;
			err[j++] = (char)c;
		} else {
			if (j + 4 >= errlen)
				break;
			snprintf(err + j, 5, "\\x%02x", c);
			j += 4;
		}
	}
	err[j] = '\0';
}

bool
opts_valid_port(const char *s)
{
	char *end;
	long n;

	if (s == NULL || *s == '\0')
		return false;
	if (isdigit((unsigned char)*s)) {
		n = strtol(s, &end, 10);
		return *end == '\0' && n >= 1 && n <= 65535;
	}
	return getservbyname(s, "tcp") != NULL;
}

bool
opts_parse_seconds(const char *s, int *ms)
{
	const char *p;
	int digits = 0, dots = 0;
	double d;

	if (s == NULL)
		return false;
	/* Plain decimal only: no sign, exponent, hex, "inf" or "nan". */
	for (p = s; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '.' && dots++ == 0)
			continue;
		else
			return false;
	}
	if (digits == 0)
		return false;
	d = strtod(s, NULL);
	if (d > 1e6)
		return false;
	*ms = (int)(d * 1000 + 0.5);
	return true;
}

static const struct opt_spec *
spec_by_key(int key)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (opt_table[i].key == key)
			return &opt_table[i];
	return NULL;
}

/* The getopt tables, built from opt_table. */
static void
build_getopt(struct option *lo, char *shortopts)
{
	char *s = shortopts;
	size_t i;

	*s++ = ':';	/* ':' for a missing value, '?' for the rest */
	for (i = 0; i < NOPTS; i++) {
		const struct opt_spec *sp = &opt_table[i];
		bool arg = sp->kind == K_STRING || sp->kind == K_SECONDS ||
		    sp->kind == K_LINES || sp->kind == K_COUNT ||
		    sp->kind == K_SIZE;

		lo[i] = (struct option){ sp->name,
		    arg ? required_argument : no_argument, NULL, sp->key };
		if (sp->key < 256) {
			*s++ = (char)sp->key;
			if (arg)
				*s++ = ':';
		}
	}
	lo[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
	*s = '\0';
}

/* How the user wrote the option (ARG is the word it came in): "-w" or
 * "--wait". */
static void
spelled(const struct opt_spec *sp, const char *arg, char *buf, size_t len)
{
	if (strncmp(arg, "--", 2) == 0 || sp->key >= 256)
		snprintf(buf, len, "--%s", sp->name);
	else
		snprintf(buf, len, "-%c", sp->key);
}

/* getopt said '?': an unknown or ambiguous option, or a value given to an
 * option that takes none. */
static void
bad_option(const char *arg, char *err, size_t errlen)
{
	const struct opt_spec *sp = optopt != 0 ? spec_by_key(optopt) : NULL;
	size_t i, n, matches = 0;
	char first[32] = "", second[32] = "";

	if (sp != NULL && strncmp(arg, "--", 2) == 0) {
		seterr(err, errlen, _("option '--%s' takes no value"),
		    sp->name);
		return;
	}
	if (optopt != 0) {
		if (isprint(optopt))
			seterr(err, errlen, _("unknown option '-%c'"), optopt);
		else
			seterr(err, errlen, _("unknown option"));
		return;
	}
	if (strncmp(arg, "--", 2) != 0) {
		seterr(err, errlen, _("unknown option '%s'"), arg);
		return;
	}
	arg += 2;
	n = strcspn(arg, "=");
	for (i = 0; i < NOPTS; i++) {
		if (strncmp(opt_table[i].name, arg, n) != 0)
			continue;
		snprintf(matches++ == 0 ? first : second, sizeof first, "--%s",
		    opt_table[i].name);
	}
	if (matches > 1)
		/* TRANSLATORS: the option as given, then two of the options it
		 * could be; the second form when there are more. */
		seterr(err, errlen, matches > 2 ? _("option '--%.*s' is "
		    "ambiguous: %s, %s, ...") : _("option '--%.*s' is ambiguous: "
		    "%s, %s"), (int)n, arg, first, second);
	else
		seterr(err, errlen, _("unknown option '--%.*s'"), (int)n, arg);
}

static bool
set_seconds(const struct opt_spec *sp, const char *val, int *ms, char *err,
    size_t errlen)
{
	if (!opts_parse_seconds(val, ms)) {
		/* TRANSLATORS: a value's name ("wait time"), then the value
		 * given. */
		seterr(err, errlen, _("invalid %s '%s': expected seconds (e.g. "
		    "5 or 0.5)"), _(sp->what), val);
		return false;
	}
	if (*ms == 0 && sp->zero != NULL) {
		/* TRANSLATORS: the option's letter, the value given (0),
		 * then why 0 is refused ("it would give up at once; ..."). */
		seterr(err, errlen, _("-%c %s: %s"), sp->key, val,
		    _(sp->zero));
		return false;
	}
	return true;
}

static bool
set_lines(const struct opt_spec *sp, const char *val, long *n, char *err,
    size_t errlen)
{
	char *end;

	*n = strtol(val, &end, 10);
	if (!isdigit((unsigned char)val[0]) || *end != '\0' ||
	    *n < SCROLLBACK_MIN || *n > SCROLLBACK_MAX) {
		/* TRANSLATORS: a value's name ("wait time"), then the value
		 * given. */
		seterr(err, errlen, _("invalid %s '%s': expected lines, %d to "
		    "%d"), _(sp->what), val, SCROLLBACK_MIN, SCROLLBACK_MAX);
		return false;
	}
	return true;
}

/* --max-peers: a whole number, 1 to 100000. */
static bool
set_count(const struct opt_spec *sp, const char *val, int *n, char *err,
    size_t errlen)
{
	char *end;
	long v = strtol(val, &end, 10);

	if (!isdigit((unsigned char)val[0]) || *end != '\0' || v < 1 ||
	    v > 100000) {
		/* TRANSLATORS: a value's name ("wait time"), then the value
		 * given. */
		seterr(err, errlen, _("invalid %s '%s': expected a number, 1 "
		    "to 100000"), _(sp->what), val);
		return false;
	}
	*n = (int)v;
	return true;
}

/* --peer-queue: bytes, or k (KiB) or M (MiB) after the number; 4k to 1G. */
static bool
set_size(const struct opt_spec *sp, const char *val, long *n, char *err,
    size_t errlen)
{
	char *end;
	long v = strtol(val, &end, 10), mul = 1;

	if (*end == 'k' || *end == 'K')
		mul = 1024;
	else if (*end == 'M' || *end == 'm')
		mul = 1024 * 1024;
	if (mul > 1)
		end++;
	if (!isdigit((unsigned char)val[0]) || *end != '\0' || v < 1 ||
	    v > (1L << 30) / mul || v * mul < 4096) {
		/* TRANSLATORS: a value's name ("wait time"), then the value
		 * given. */
		seterr(err, errlen, _("invalid %s '%s': expected bytes, 4k to "
		    "1024M (k and M for KiB and MiB)"), _(sp->what), val);
		return false;
	}
	*n = v * mul;
	return true;
}

/* Apply one option from the table; false with err set if its value is bad. */
static bool
apply(struct tt_opts *o, const struct opt_spec *sp, const char *val,
    char *err, size_t errlen)
{
	char *base = (char *)o;
	int *family;

	switch (sp->kind) {
	case K_FLAG:
		*(bool *)(base + sp->field) = true;
		return true;
	case K_STRING:
		*(const char **)(base + sp->field) = val;
		return true;
	case K_SECONDS:
		return set_seconds(sp, val, (int *)(base + sp->field), err, errlen);
	case K_LINES:
		return set_lines(sp, val, (long *)(base + sp->field), err, errlen);
	case K_COUNT:
		return set_count(sp, val, (int *)(base + sp->field), err, errlen);
	case K_SIZE:
		return set_size(sp, val, (long *)(base + sp->field), err, errlen);
	case K_FAMILY:
		family = (int *)(base + sp->field);
		if (*family != AF_UNSPEC && *family != sp->value) {
			seterr(err, errlen, _("-4 and -6 together: choose one "
			    "(leave both out for either)"));
			return false;
		}
		*family = sp->value;
		return true;
	case K_HELP:
	case K_VERSION:
		break;
	}
	return true;
}

/* tcptalk -l [ADDR] PORT, or nc style tcptalk -l -p PORT [ADDR]. */
static bool
listen_operands(struct tt_opts *o, char **argv, int nargs, char *err,
    size_t errlen)
{
	const char *listen_port = o->source_port;

	o->source_port = NULL;
	if (o->source_addr != NULL) {
		seterr(err, errlen, _("-s is for connecting; with -l give ADDR "
		    "before PORT"));
		return false;
	}
	if (o->wait_ms != OPTS_NO_TIMEOUT) {
		seterr(err, errlen, _("-w is the connect timeout; it has no "
		    "use with -l"));
		return false;
	}
	if (listen_port != NULL) {
		if (nargs > 1) {
			seterr(err, errlen, _("too many arguments: with -p "
			    "PORT give at most ADDR"));
			return false;
		}
		o->port = listen_port;
		o->host = nargs == 1 ? argv[0] : NULL;
		/* "9001" would be read as the address 0.0.35.41 */
		if (o->host != NULL && o->host[0] != '\0' &&
		    strspn(o->host, "0123456789") == strlen(o->host)) {
			seterr(err, errlen, _("'%s' is a port, not an address: "
			    "-p %s already names the port to listen on"),
			    o->host, listen_port);
			return false;
		}
	} else if (nargs == 0) {
		seterr(err, errlen, _("missing PORT to listen on"));
		return false;
	} else if (nargs > 2) {
		seterr(err, errlen, _("too many arguments: -l takes [ADDR] "
		    "PORT"));
		return false;
	} else {
		o->host = nargs == 2 ? argv[0] : NULL;
		o->port = argv[nargs - 1];
	}
	if (o->host != NULL && *o->host == '\0') {
		seterr(err, errlen, _("empty ADDR"));
		return false;
	}
	return true;
}

/* tcptalk [options] HOST PORT */
static bool
connect_operands(struct tt_opts *o, char **argv, int nargs, char *err,
    size_t errlen)
{
	if (o->keep_open) {
		seterr(err, errlen, _("-k needs -l"));
		return false;
	}
	if (nargs == 0) {
		seterr(err, errlen, _("missing HOST and PORT"));
		return false;
	}
	if (nargs == 1) {
		seterr(err, errlen, _("missing PORT after '%s'"), argv[0]);
		return false;
	}
	if (nargs > 2) {
		seterr(err, errlen, _("too many arguments: give HOST PORT"));
		return false;
	}
	o->host = argv[0];
	o->port = argv[1];
	if (*o->host == '\0') {
		seterr(err, errlen, _("empty HOST"));
		return false;
	}
	if (o->source_addr != NULL && *o->source_addr == '\0') {
		seterr(err, errlen, _("empty source address (-s)"));
		return false;
	}
	if (o->source_port != NULL && !opts_valid_port(o->source_port)) {
		seterr(err, errlen, _("invalid source port '%s': expected "
		    "1-65535 or a service name"), o->source_port);
		return false;
	}
	return true;
}

/* tcptalk [-l] [options] -U PATH: the path is the whole address, so the
 * options about IP addresses, ports and DNS are refused, not ignored. */
static bool
unix_operands(struct tt_opts *o, int nargs, char *err, size_t errlen)
{
	const char *path = o->unix_path;
	size_t max = sizeof(((struct sockaddr_un *)NULL)->sun_path), len;

	if (nargs > 0) {
		seterr(err, errlen, _("too many arguments: -U PATH takes no "
		    "HOST or PORT"));
		return false;
	}
	if (o->keep_open && !o->listen) {
		seterr(err, errlen, _("-k needs -l"));
		return false;
	}
	if (o->family != AF_UNSPEC) {
		seterr(err, errlen, _("%s has no use with -U: a Unix socket "
		    "has no IP address"), o->family == AF_INET ? "-4" : "-6");
		return false;
	}
	if (o->source_addr != NULL) {
		seterr(err, errlen, _("-s has no use with -U: a Unix socket "
		    "has no source address"));
		return false;
	}
	if (o->source_port != NULL) {
		seterr(err, errlen, _("-p has no use with -U: a Unix socket "
		    "has no port"));
		return false;
	}
	if (o->numeric) {
		seterr(err, errlen, _("-n has no use with -U: a Unix socket "
		    "needs no DNS"));
		return false;
	}
	if (o->listen && o->wait_ms != OPTS_NO_TIMEOUT) {
		seterr(err, errlen, _("-w is the connect timeout; it has no "
		    "use with -l"));
		return false;
	}
	if (path[0] == '\0' || strcmp(path, "@") == 0) {
		seterr(err, errlen, _("empty PATH (-U)"));
		return false;
	}
	/* sun_path holds a path and its NUL, or a NUL and an abstract name */
	len = strlen(path) - (path[0] == '@');
	if (len > max - 1) {
		seterr(err, errlen, _("Unix socket path too long: %zu bytes, "
		    "at most %zu"), len, max - 1);
		return false;
	}
	return true;
}

/* -u: what a datagram socket has no use for is refused, not ignored. */
static bool
udp_options(const struct tt_opts *o, char *err, size_t errlen)
{
	if (o->unix_path != NULL) {
		seterr(err, errlen, _("-u and -U together: -U is a Unix stream "
		    "socket, -u is UDP; choose one"));
		return false;
	}
	if (o->proxy != NULL) {
		seterr(err, errlen, _("--proxy has no use with -u: the proxy "
		    "carries TCP only"));
		return false;
	}
	if (o->tls || o->starttls_arg != NULL) {
		seterr(err, errlen, _("%s has no use with -u: TLS needs a "
		    "stream (DTLS is not supported)"), o->tls ? "--tls" :
		    "--starttls");
		return false;
	}
	if (o->wait_ms != OPTS_NO_TIMEOUT) {
		seterr(err, errlen, _("-w has no use with -u: UDP has no "
		    "connection to wait for (-q ends the pipe after stdin, -i "
		    "after silence)"));
		return false;
	}
	return true;
}

/* --room and --broker: a listener's; what a room has no use for is
 * refused, not ignored. */
static bool
room_options(const struct tt_opts *o, char *err, size_t errlen)
{
	static const struct { size_t field; bool flag; const char *name,
	    *why; } refused[] = {
		/* TRANSLATORS: each is why an option has no use with --room or
		 * --broker, after "-u has no use with --room: ". */
		{ F(udp), true, "-u", N_("a room needs a stream per peer") },
		{ F(keep_open), true, "-k", N_("a room takes every peer at once") },
		{ F(tls), true, "--tls", N_("a room speaks plain TCP or -U") },
		{ F(hex_dump), false, "-x", N_("a room has many streams") },
		{ F(stats_json), false, "--stats-json", N_("a room has many "
		    "connections") },
		{ F(trace), true, "--trace", N_("the trace follows one "
		    "connection") },
		{ F(crlf), true, "-C", N_("the room ends every line it sends "
		    "with a newline and a broker sends bytes unchanged") },
	};
	const char *mode = o->room ? "--room" : "--broker";
	size_t i;
	bool set;

	if (!o->room && !o->broker) {
		if (o->max_peers != 0 || o->peer_queue != 0 || o->nick != NULL) {
			seterr(err, errlen, _("%s needs --room or --broker"),
			    o->nick != NULL ? "--nick" : o->max_peers != 0 ?
			    "--max-peers" : "--peer-queue");
			return false;
		}
		return true;
	}
	if (o->room && o->broker) {
		seterr(err, errlen, _("--room and --broker together: choose "
		    "one"));
		return false;
	}
	if (!o->listen) {
		seterr(err, errlen, _("%s needs -l: the room is the listener "
		    "(a chat that connects to one finds it by its greeting)"),
		    mode);
		return false;
	}
	if (o->broker && o->nick != NULL) {
		seterr(err, errlen, _("--nick has no use with --broker: a "
		    "broker has no names"));
		return false;
	}
	if (o->idle_ms != OPTS_NO_TIMEOUT || o->quit_ms != OPTS_NO_TIMEOUT) {
		seterr(err, errlen, _("%s has no use with %s: a room runs "
		    "until it is stopped"), o->idle_ms != OPTS_NO_TIMEOUT ? "-i"
		     : "-q", mode);
		return false;
	}
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		set = refused[i].flag ? *(const bool *)((const char *)o +
		    refused[i].field) : *(const char *const *)((const char *)o +
		    refused[i].field) != NULL;
		if (set) {
			seterr(err, errlen, _("%s has no use with %s: %s"),
			    refused[i].name, mode, _(refused[i].why));
			return false;
		}
	}
	return true;
}

/* The family of a numeric address, or AF_UNSPEC for a name. */
static int
literal_family(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, s, buf) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, buf) == 1)
		return AF_INET6;
	return AF_UNSPEC;
}

/* A numeric address against -4 and -6.  (A name with -n is left to
 * net.c, which says "not a numeric address" and exits 1, as
 * tests/e2e/t_1pipe.sh expects.) */
static bool
check_address(const struct tt_opts *o, const char *what, const char *addr,
    char *err, size_t errlen)
{
	int fam;

	if (addr == NULL)
		return true;
	fam = literal_family(addr);
	if (fam != AF_UNSPEC && o->family != AF_UNSPEC && fam != o->family) {
		if (fam == AF_INET)
			/* TRANSLATORS: the first %s is HOST, ADDR, "source"
			 * or "proxy", the second the address given. */
			seterr(err, errlen, _("%s '%s' is an IPv4 address, but "
			    "-6 was given"), what, addr);
		else
			/* TRANSLATORS: the first %s is HOST, ADDR, "source"
			 * or "proxy", the second the address given. */
			seterr(err, errlen, _("%s '%s' is an IPv6 address, but "
			    "-4 was given"), what, addr);
		return false;
	}
	return true;
}

static bool
check_addresses(const struct tt_opts *o, char *err, size_t errlen)
{
	int hf, sf;

	if (!check_address(o, o->listen ? "ADDR" : "HOST", o->host, err, errlen) ||
	    !check_address(o, _("source"), o->source_addr, err, errlen))
		return false;
	if (o->host != NULL && o->source_addr != NULL) {
		hf = literal_family(o->host);
		sf = literal_family(o->source_addr);
		if (hf != AF_UNSPEC && sf != AF_UNSPEC && hf != sf) {
			seterr(err, errlen, _("source '%s' and HOST '%s' are "
			    "of different address families"), o->source_addr,
			    o->host);
			return false;
		}
	}
	if (!opts_valid_port(o->port)) {
		seterr(err, errlen, _("invalid port '%s': expected 1-65535 or "
		    "a service name"), o->port);
		return false;
	}
	return true;
}

/* --proxy HOST:PORT or [V6]:PORT into proxy_host and proxy_port. */
static bool
split_proxy(struct tt_opts *o)
{
	const char *spec = o->proxy, *colon, *end;
	size_t n;

	if (spec[0] == '[') {
		if ((end = strchr(spec, ']')) == NULL || end[1] != ':')
			return false;
		spec++;
		colon = end + 1;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			return false;
		end = colon;
		/* a bare IPv6 address has more colons: it needs [] */
		if (memchr(spec, ':', (size_t)(colon - spec)) != NULL)
			return false;
	}
	n = (size_t)(end - spec);
	if (n == 0 || n >= sizeof o->proxy_host)
		return false;
	memcpy(o->proxy_host, spec, n);
	o->proxy_host[n] = '\0';
	o->proxy_port = colon + 1;
	return true;
}

/* --proxy, --proxy-type and --proxy-auth: connect mode over TCP only. */
static bool
proxy_options(struct tt_opts *o, char *err, size_t errlen)
{
	static const char *const types[] = { "http", "socks4", "socks5" };
	int i;

	if (o->proxy == NULL) {
		if (o->proxy_type_arg != NULL || o->proxy_auth != NULL) {
			seterr(err, errlen, _("%s needs --proxy HOST:PORT"),
			    o->proxy_auth != NULL ? "--proxy-auth" :
			    "--proxy-type");
			return false;
		}
		return true;
	}
	if (o->listen) {
		seterr(err, errlen, _("--proxy is for connecting; it has no "
		    "use with -l"));
		return false;
	}
	if (o->unix_path != NULL) {
		seterr(err, errlen, _("--proxy has no use with -U: a Unix "
		    "socket is reached directly"));
		return false;
	}
	if (!split_proxy(o)) {
		seterr(err, errlen, _("invalid proxy '%s': expected HOST:PORT "
		    "or [IPV6]:PORT"), o->proxy);
		return false;
	}
	if (!opts_valid_port(o->proxy_port)) {
		seterr(err, errlen, _("invalid proxy port '%s': expected "
		    "1-65535 or a service name"), o->proxy_port);
		return false;
	}
	o->proxy_type = -1;
	for (i = 0; i < 3; i++)
		if (strcmp(o->proxy_type_arg ? o->proxy_type_arg : "http",
		    types[i]) == 0)
			o->proxy_type = i;	/* OPTS_PROXY_ in this order */
	if (o->proxy_type == -1) {
		seterr(err, errlen, _("invalid proxy type '%s': expected http, "
		    "socks4 or socks5"), o->proxy_type_arg);
		return false;
	}
	if (o->proxy_auth != NULL && strchr(o->proxy_auth, ':') == NULL) {
		seterr(err, errlen, _("invalid --proxy-auth: expected "
		    "USER:PASS"));
		return false;
	}
	return check_address(o, _("proxy"), o->proxy_host, err, errlen);
}

/* --stats-json: TCP_INFO's facts, which a Unix socket or UDP has none of. */
static bool
stats_options(const struct tt_opts *o, char *err, size_t errlen)
{
	if (o->stats_json != NULL && o->udp) {
		seterr(err, errlen, _("--stats-json has no use with -u: UDP "
		    "has no TCP figures"));
		return false;
	}
	if (o->stats_json != NULL && o->unix_path != NULL) {
		seterr(err, errlen, _("--stats-json has no use with -U: a Unix "
		    "socket has no TCP figures"));
		return false;
	}
	if (o->stats_json != NULL && o->stats_json[0] == '\0') {
		seterr(err, errlen, _("--stats-json needs a file name"));
		return false;
	}
	return true;
}

/* --trace: TCP segments, which a Unix socket or UDP has none of. */
static bool
trace_options(const struct tt_opts *o, char *err, size_t errlen)
{
	if (o->trace && o->udp) {
		seterr(err, errlen, _("--trace has no use with -u: UDP has no "
		    "TCP segments"));
		return false;
	}
	if (o->trace && o->unix_path != NULL) {
		seterr(err, errlen, _("--trace has no use with -U: a Unix "
		    "socket sends no packets"));
		return false;
	}
	return true;
}

/* --tls-pin sha256:HEX (colons allowed) into 64 lower-case hex digits. */
static bool
parse_pin(struct tt_opts *o)
{
	const char *p = o->tls_pin;
	size_t n = 0;

	if (strncasecmp(p, "sha256:", 7) != 0)
		return false;
	for (p += 7; *p != '\0'; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || n == 64)
			return false;
		o->tls_pin_hex[n++] = (char)tolower((unsigned char)*p);
	}
	o->tls_pin_hex[n] = '\0';
	return n == 64;
}

/* Each ALPN name 1-255 bytes, comma-separated. */
static bool
valid_alpn(const char *s)
{
	size_t n;

	for (;;) {
		n = strcspn(s, ",");
		if (n == 0 || n > 255)
			return false;
		if (s[n] == '\0')
			return true;
		s += n + 1;
	}
}

/* The --tls options: each needs --tls (--starttls implies it), and each
 * belongs to one role. */
static bool
tls_options(struct tt_opts *o, char *err, size_t errlen)
{
	static const struct { size_t field; const char *name; bool client,
	    server; } deps[] = {
		{ F(tls_ca), "--tls-ca", true, false },
		{ F(tls_pin), "--tls-pin", true, false },
		{ F(tls_sni), "--tls-sni", true, false },
		{ F(tls_cert), "--tls-cert", true, true },
		{ F(tls_key), "--tls-key", true, true },
		{ F(tls_alpn), "--tls-alpn", true, true },
		{ F(tls_verify_client), "--tls-verify-client", false, true },
		{ F(starttls_arg), "--starttls", true, false },
	};
	size_t i;
	const char *v;

	o->starttls = -1;
	if (o->starttls_arg != NULL) {
		enum starttls_proto sp;

		if (starttls_proto_parse(o->starttls_arg, &sp) == -1) {
			seterr(err, errlen, _("invalid --starttls '%s': "
			    "expected smtp, imap or pop3"), o->starttls_arg);
			return false;
		}
		o->starttls = (int)sp;
		o->tls = true;
	}
	for (i = 0; i < sizeof deps / sizeof deps[0]; i++) {
		v = *(const char **)((char *)o + deps[i].field);
		if (v == NULL)
			continue;
		if (!o->tls) {
			seterr(err, errlen, _("%s needs --tls"), deps[i].name);
			return false;
		}
		if (o->listen ? !deps[i].server : !deps[i].client) {
			if (o->listen)
				seterr(err, errlen, _("%s has no use with -l"),
				    deps[i].name);
			else
				seterr(err, errlen, _("%s has no use without -l"
				    ), deps[i].name);
			return false;
		}
		if (*v == '\0') {
			seterr(err, errlen, _("empty value for %s"),
			    deps[i].name);
			return false;
		}
	}
	if (o->tls_insecure && !o->tls) {
		seterr(err, errlen, _("--tls-insecure needs --tls"));
		return false;
	}
	if (o->tls_insecure && o->listen) {
		seterr(err, errlen, _("--tls-insecure has no use with -l"));
		return false;
	}
	if (o->tls_pin != NULL && !parse_pin(o)) {
		seterr(err, errlen, _("invalid --tls-pin '%s': expected "
		    "sha256: and 64 hex digits"), o->tls_pin);
		return false;
	}
	if (o->tls_pin != NULL && o->tls_insecure) {
		seterr(err, errlen, _("--tls-pin and --tls-insecure together: "
		    "a pin is a check; choose one"));
		return false;
	}
	if (o->tls_key != NULL && o->tls_cert == NULL) {
		seterr(err, errlen, _("--tls-key needs --tls-cert"));
		return false;
	}
	if (o->tls_alpn != NULL && !valid_alpn(o->tls_alpn)) {
		seterr(err, errlen, _("invalid --tls-alpn '%s': expected names "
		    "separated by commas, e.g. h2,http/1.1"), o->tls_alpn);
		return false;
	}
	return true;
}

static void
opts_defaults(struct tt_opts *o)
{
	memset(o, 0, sizeof *o);
	o->family = AF_UNSPEC;
	o->wait_ms = o->idle_ms = o->quit_ms = OPTS_NO_TIMEOUT;
	o->scrollback = OPTS_SCROLLBACK_DEFAULT;
	o->starttls = -1;
}

enum opts_result
opts_parse(struct tt_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	struct option lo[NOPTS + 1];
	char shortopts[2 * NOPTS + 2], name[32];
	const struct opt_spec *sp;
	const char *arg;
	int c, nargs;
	bool ok;

	opts_defaults(o);
	err[0] = '\0';
	build_getopt(lo, shortopts);

	optind = 0;	/* GNU: reinitialise, so tests can parse many times */
	opterr = 0;	/* our own messages */
	while ((c = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
		arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
		if (c == '?') {
			bad_option(arg, err, errlen);
			return OPTS_ERROR;
		}
		if (c == ':') {
			spelled(spec_by_key(optopt), arg, name, sizeof name);
			seterr(err, errlen, _("option '%s' needs a value"),
			    name);
			return OPTS_ERROR;
		}
		sp = spec_by_key(c);
		if (sp->kind == K_HELP)
			return OPTS_HELP;
		if (sp->kind == K_VERSION)
			return OPTS_VERSION;
		if (!apply(o, sp, optarg, err, errlen))
			return OPTS_ERROR;
	}
	argv += optind;
	nargs = argc - optind;
	if (o->udp && !udp_options(o, err, errlen))
		return OPTS_ERROR;
	if (!proxy_options(o, err, errlen) || !tls_options(o, err, errlen) ||
	    !stats_options(o, err, errlen) || !trace_options(o, err, errlen) ||
	    !room_options(o, err, errlen))
		return OPTS_ERROR;
	if (o->unix_path != NULL)
		return unix_operands(o, nargs, err, errlen) ? OPTS_OK :
		    OPTS_ERROR;
	if (o->listen)
		ok = listen_operands(o, argv, nargs, err, errlen);
	else
		ok = connect_operands(o, argv, nargs, err, errlen);
	if (!ok || !check_addresses(o, err, errlen))
		return OPTS_ERROR;
	return OPTS_OK;
}
