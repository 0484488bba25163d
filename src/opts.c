/* opts.c - argv to struct tt_opts, with a clear message for every bad input. */
#include <ctype.h>
#include <getopt.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "opts.h"

enum { OPT_NO_SHUTDOWN = 256, OPT_LINE, OPT_NO_HISTORY, OPT_SCROLLBACK };

static const struct option long_opts[] = {
	{ "listen",		no_argument,		NULL, 'l' },
	{ "keep-open",		no_argument,		NULL, 'k' },
	{ "ipv4",		no_argument,		NULL, '4' },
	{ "ipv6",		no_argument,		NULL, '6' },
	{ "source",		required_argument,	NULL, 's' },
	{ "source-port",	required_argument,	NULL, 'p' },
	{ "numeric",		no_argument,		NULL, 'n' },
	{ "wait",		required_argument,	NULL, 'w' },
	{ "idle-timeout",	required_argument,	NULL, 'i' },
	{ "quit-after-eof",	required_argument,	NULL, 'q' },
	{ "no-shutdown",	no_argument,		NULL, OPT_NO_SHUTDOWN },
	{ "crlf",		no_argument,		NULL, 'C' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "timestamps",		no_argument,		NULL, 't' },
	{ "line",		no_argument,		NULL, OPT_LINE },
	{ "no-history",		no_argument,		NULL, OPT_NO_HISTORY },
	{ "scrollback",		required_argument,	NULL, OPT_SCROLLBACK },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

const char *
opts_usage(void)
{
	return
"usage: tcptalk [options] HOST PORT        connect to a peer\n"
"       tcptalk -l [options] [ADDR] PORT   listen and wait for a peer\n"
"\n"
"  -l, --listen            listen (with no ADDR: IPv4 and IPv6)\n"
"  -k, --keep-open         after a peer leaves, accept the next one\n"
"  -4, -6                  IPv4 or IPv6 only\n"
"  -s, --source ADDR       connect from this local address\n"
"  -p, --source-port PORT  connect from this port (with -l: the port to listen on)\n"
"  -n, --numeric           no DNS: HOST and ADDR are numeric addresses\n"
"  -w, --wait SECS         connect timeout, per address\n"
"  -i, --idle-timeout SECS close after SECS without traffic (exit 1)\n"
"  -q, --quit-after-eof SECS  quit SECS after stdin ends (pipe mode)\n"
"      --no-shutdown       do not send FIN when stdin ends\n"
"  -C, --crlf              send line ends as CRLF\n"
"  -v, --verbose           connection messages on stderr\n"
"  -t, --timestamps        show HH:MM:SS beside each line (chat)\n"
"      --scrollback N      lines kept per pane (default 10000)\n"
"      --line              line mode chat, without the full screen\n"
"      --no-history        do not read or save input history\n"
"  -h, --help              this help\n"
"  -V, --version           version\n"
"\n"
"With a terminal on stdin and stdout tcptalk opens a chat screen (/help\n"
"inside lists keys and commands); otherwise it is a byte pipe like nc.\n";
}

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
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
	char *end;
	double d;

	if (s == NULL || !(isdigit((unsigned char)*s) || *s == '.'))
		return false;
	d = strtod(s, &end);
	if (*end != '\0' || end == s || d < 0 || d > 1e6)
		return false;
	*ms = (int)(d * 1000 + 0.5);
	return true;
}

static bool
parse_timeout(const char *arg, const char *name, int *ms, char *err, size_t errlen)
{
	if (opts_parse_seconds(arg, ms))
		return true;
	seterr(err, errlen, "invalid %s '%s': expected seconds (e.g. 5 or 0.5)",
	    name, arg);
	return false;
}

enum opts_result
opts_parse(struct tt_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	const char *listen_port = NULL;
	char *end;
	int c, nargs;

	memset(o, 0, sizeof *o);
	o->family = AF_UNSPEC;
	o->wait_ms = o->idle_ms = o->quit_ms = OPTS_NO_TIMEOUT;
	o->scrollback = OPTS_SCROLLBACK_DEFAULT;
	err[0] = '\0';

	optind = 0;	/* GNU: reinitialise, so tests can parse many times */
	opterr = 0;	/* our own messages */
	while ((c = getopt_long(argc, argv, ":lk46s:p:nw:i:q:CvthV", long_opts,
	    NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = true; break;
		case 'k': o->keep_open = true; break;
		case '4': o->family = AF_INET; break;
		case '6': o->family = AF_INET6; break;
		case 's': o->source_addr = optarg; break;
		case 'p': listen_port = optarg; break;
		case 'n': o->numeric = true; break;
		case 'w':
			if (!parse_timeout(optarg, "wait time", &o->wait_ms, err, errlen))
				return OPTS_ERROR;
			break;
		case 'i':
			if (!parse_timeout(optarg, "idle timeout", &o->idle_ms, err, errlen))
				return OPTS_ERROR;
			break;
		case 'q':
			if (!parse_timeout(optarg, "quit time", &o->quit_ms, err, errlen))
				return OPTS_ERROR;
			break;
		case OPT_NO_SHUTDOWN: o->no_shutdown = true; break;
		case 'C': o->crlf = true; break;
		case 'v': o->verbose = true; break;
		case 't': o->timestamps = true; break;
		case OPT_LINE: o->line_mode = true; break;
		case OPT_NO_HISTORY: o->no_history = true; break;
		case OPT_SCROLLBACK:
			o->scrollback = strtol(optarg, &end, 10);
			if (!isdigit((unsigned char)optarg[0]) || *end != '\0' ||
			    o->scrollback < 10 || o->scrollback > 10000000) {
				seterr(err, errlen, "invalid scrollback '%s': "
				    "expected lines, 10 to 10000000", optarg);
				return OPTS_ERROR;
			}
			break;
		case 'h': return OPTS_HELP;
		case 'V': return OPTS_VERSION;
		case ':':
			seterr(err, errlen, "option '%s' needs a value",
			    argv[optind - 1]);
			return OPTS_ERROR;
		default:
			if (optopt != 0)
				seterr(err, errlen, "unknown option '-%c'", optopt);
			else
				seterr(err, errlen, "unknown option '%s'",
				    argv[optind - 1]);
			return OPTS_ERROR;
		}
	}
	argv += optind;
	nargs = argc - optind;

	if (o->listen) {
		if (o->source_addr != NULL) {
			seterr(err, errlen, "-s is for connecting; with -l give ADDR before PORT");
			return OPTS_ERROR;
		}
		if (listen_port != NULL && nargs <= 1) {
			/* nc style: tcptalk -l -p PORT [ADDR] */
			o->port = listen_port;
			o->host = nargs == 1 ? argv[0] : NULL;
		} else if (listen_port != NULL) {
			seterr(err, errlen, "too many arguments");
			return OPTS_ERROR;
		} else if (nargs == 1) {
			o->port = argv[0];
		} else if (nargs == 2) {
			o->host = argv[0];
			o->port = argv[1];
		} else if (nargs == 0) {
			seterr(err, errlen, "missing PORT to listen on");
			return OPTS_ERROR;
		} else {
			seterr(err, errlen, "too many arguments");
			return OPTS_ERROR;
		}
	} else {
		if (o->keep_open) {
			seterr(err, errlen, "-k needs -l");
			return OPTS_ERROR;
		}
		o->source_port = listen_port;
		if (nargs == 0) {
			seterr(err, errlen, "missing HOST and PORT");
			return OPTS_ERROR;
		}
		if (nargs == 1) {
			seterr(err, errlen, "missing PORT after '%s'", argv[0]);
			return OPTS_ERROR;
		}
		if (nargs > 2) {
			seterr(err, errlen, "too many arguments");
			return OPTS_ERROR;
		}
		o->host = argv[0];
		o->port = argv[1];
		if (*o->host == '\0') {
			seterr(err, errlen, "empty HOST");
			return OPTS_ERROR;
		}
		if (o->source_port != NULL && !opts_valid_port(o->source_port)) {
			seterr(err, errlen, "invalid source port '%s': expected 1-65535 "
			    "or a service name", o->source_port);
			return OPTS_ERROR;
		}
	}
	if (!opts_valid_port(o->port)) {
		seterr(err, errlen, "invalid port '%s': expected 1-65535 or a "
		    "service name", o->port);
		return OPTS_ERROR;
	}
	return OPTS_OK;
}
