/* main.c - parse the command line, open the peer, pick the mode, run. */
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "chat.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "opts.h"
#include "peer.h"
#include "pipe.h"
#include "tls.h"
#include "record.h"
#include "room.h"
#include "roompipe.h"
#include "tcpstats.h"
#include "trace.h"

/*
 * What this build includes, for --version: a feature that needs a library
 * fills in its row from the HAVE_ macro the Makefile defines when the
 * library's headers are there.
 */
static const struct {
	const char	*name;
	bool		 built;
} build_features[] = {
#ifdef HAVE_OPENSSL
	{ "TLS", true },
#else
	{ "TLS", false },
#endif
#ifdef HAVE_PCAP
	{ "pcap", true },
#else
	{ "pcap", false },
#endif
};

/* "tcptalk 0.1.0 (TLS: no, pcap: no)" */
static void
print_version(void)
{
	size_t i;

	printf("tcptalk %s (", TCPTALK_VERSION);
	for (i = 0; i < sizeof build_features / sizeof build_features[0]; i++)
		printf("%s%s: %s", i > 0 ? ", " : "", build_features[i].name,
		    build_features[i].built ? "yes" : "no");
	printf(")\n");
}

#ifndef NO_NLS
/*
 * Where the catalogues are: the build tree's build/locale when this binary
 * runs from it (./tcptalk, build/san/tcptalk: `make run` is translated
 * without installing), else the installed LOCALEDIR.
 */
static const char *
locale_dir(char *buf, size_t size)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return LOCALEDIR;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return LOCALEDIR;
	*slash = '\0';
	/* ./tcptalk beside build/, or build/VARIANT/tcptalk inside it */
	snprintf(buf, size, "%s/build/locale", exe);
	if (access(buf, X_OK) == 0)
		return buf;
	if ((slash = strrchr(exe, '/')) != NULL) {
		*slash = '\0';		/* .../build, from .../build/san */
		slash = strrchr(exe, '/');
		snprintf(buf, size, "%s/locale", exe);
		if (slash != NULL && strcmp(slash, "/build") == 0 &&
		    access(buf, X_OK) == 0)
			return buf;
	}
	return LOCALEDIR;
}
#endif

/*
 * Messages in the user's language (LC_MESSAGES only: the pipe's bytes and
 * the C locale's output stay as they are), in UTF-8 whatever LC_CTYPE says.
 */
static void
use_messages(void)
{
#ifndef NO_NLS
	char dir[PATH_MAX + 16];

	setlocale(LC_MESSAGES, "");
	bindtextdomain("tcptalk", locale_dir(dir, sizeof dir));
	bind_textdomain_codeset("tcptalk", "UTF-8");
	/* strerror's words too: LC_CTYPE is C in the pipe, which would make
	 * a Chinese strerror "????" beside our Chinese sentence */
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain("tcptalk");
#endif
}

/*
 * The chat needs a UTF-8 locale: with LC_ALL=C readline turns convert-meta
 * on and wide characters break.  Take the user's locale, else C.UTF-8.
 */
static void
use_utf8(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		fprintf(stderr, _("tcptalk: no UTF-8 locale; non-ASCII text "
		    "may not show right\n"));
}

/* Listen or connect: every start-up error is one line here, whatever the mode. */
static int
open_peer(const struct tt_opts *o, struct peer *peer)
{
	char err[512];

	if (peer_open(peer, err, sizeof err) == -1) {
		fprintf(stderr, "tcptalk: %s\n", err);
		return -1;
	}
	if (o->listen && o->verbose && peer->lst.unix_bound.replaced)
		fprintf(stderr, _("tcptalk: replaced the stale socket %s "
		    "(nobody listened on it)\n"), o->unix_path);
	if (!o->listen && o->verbose && o->unix_path != NULL)
		fprintf(stderr, _("tcptalk: connected to %s\n"),
		    peer->conn_addr);
	else if (!o->listen && o->verbose && o->udp)	/* no handshake */
		fprintf(stderr, _("tcptalk: sending datagrams to %s (UDP: "
		    "nothing says whether anyone listens until one is "
		    "refused)\n"), peer->conn_addr);
	else if (!o->listen && o->verbose && o->proxy != NULL)
		fprintf(stderr, _("tcptalk: connected to %s\n"), peer->where);
	else if (!o->listen && o->verbose)
		fprintf(stderr, _("tcptalk: connected to %s (%s)\n"), o->host,
		    peer->conn_addr);
	return 0;
}

int
main(int argc, char **argv)
{
	struct tt_opts o;
	struct loop loop;
	struct peer peer;
	struct log hex = { .out.fd = -1 };
	struct record rec = { .out.fd = -1 };
	struct tcpstats stats = { .out.fd = -1 };
	struct trace trace = { .fd = -1 };
	char err[512];
	bool interactive;
	int status;

	use_messages();
	switch (opts_parse(&o, argc, argv, err, sizeof err)) {
	case OPTS_HELP:
		fputs(opts_usage(), stdout);
		return 0;
	case OPTS_VERSION:
		print_version();
		return 0;
	case OPTS_ERROR:
		fprintf(stderr, "tcptalk: %s\n", err);
		fputs(_("Try 'tcptalk --help' for more information.\n"),
		    stderr);
		return 2;
	case OPTS_OK:
		break;
	}
	/* --nick: the room's own rule for names, before any socket */
	if (o.nick != NULL && room_bad_name(o.nick, strlen(o.nick)) != NULL) {
		fprintf(stderr, _("tcptalk: invalid --nick: %s\n"),
		    room_bad_name(o.nick, strlen(o.nick)));
		return 2;
	}
	if (o.tls && !tls_available()) {
		fprintf(stderr, _("tcptalk: --tls: this tcptalk was built "
		    "without TLS (see tcptalk --version)\n"));
		return 2;
	}
	if (o.trace && !trace_available()) {
		fprintf(stderr, _("tcptalk: this tcptalk was built without "
		    "libpcap: --trace is not available (see tcptalk "
		    "--version)\n"));
		return 2;
	}
	/* -x: an unwritable FILE is found before any socket opens */
	if (o.hex_dump != NULL && log_open(&hex, o.hex_dump, err,
	    sizeof err) == -1) {
		fprintf(stderr, "tcptalk: %s\n", err);
		return 2;
	}
	/* -o: the same */
	if (o.output != NULL && record_open(&rec, o.output, err,
	    sizeof err) == -1) {
		fprintf(stderr, "tcptalk: %s\n", err);
		(void)log_close(&hex, o.hex_dump, err, sizeof err);
		return 2;
	}
	/* --stats-json: the same */
	if (o.stats_json != NULL && tcpstats_open(&stats, o.stats_json, err,
	    sizeof err) == -1) {
		fprintf(stderr, "tcptalk: %s\n", err);
		(void)log_close(&hex, o.hex_dump, err, sizeof err);
		(void)record_close(&rec);
		return 2;
	}
	/* A peer that leaves must show up as EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (interactive)
		use_utf8();

	if (loop_init(&loop) == -1) {
		fprintf(stderr, _("tcptalk: out of memory\n"));
		return 1;
	}
	peer_init(&peer, &o, &loop);
	if (o.hex_dump != NULL) {	/* each session shows its bytes to the log */
		peer.tap = log_hex_cb;
		peer.tap_arg = &hex;
	}
	if (o.stats_json != NULL)
		peer.stats = &stats;
	/* --trace: before the connection, so its handshake is caught */
	if (o.trace) {
		trace.hex = o.hex_dump != NULL ? &hex : NULL;
		trace.rec = o.output != NULL ? &rec : NULL;
		peer.trace = &trace;
		if (trace_open(&trace, &o, &loop) == -1 && !interactive &&
		    trace.denied)
			fprintf(stderr, _("tcptalk: --trace needs root or "
			    "CAP_NET_RAW: %s; the transfer goes on without it\n"),
			    trace.why);
		else if (!trace.capturing && !interactive)
			fprintf(stderr, _("tcptalk: --trace cannot capture: "
			    "%s; the transfer goes on without it\n"),
			    trace.why);
	}
	if (open_peer(&o, &peer) == -1) {
		trace_close(&trace);
		loop_free(&loop);
		(void)log_close(&hex, o.hex_dump, err, sizeof err);
		(void)record_close(&rec);
		(void)tcpstats_close(&stats, err, sizeof err);
		return 1;
	}
	/* in a terminal a room is the chat screen's (chat_room.c) */
	if ((o.room || o.broker) && !interactive)
		status = roompipe_run(&o, &loop, &peer, o.output ? &rec : NULL);
	else if (interactive)
		status = chat_run(&o, &loop, &peer, o.output ? &rec : NULL);
	else
		status = pipe_run(&o, &loop, &peer, o.output ? &rec : NULL);
	trace_close(&trace);	/* the last segments to -o and -x */
	peer_free(&peer);
	loop_free(&loop);
	if (log_close(&hex, o.hex_dump, err, sizeof err) == -1)
		fprintf(stderr, "tcptalk: %s\n", err);
	if (record_close(&rec) == -1)
		fprintf(stderr, "tcptalk: %s\n", record_failure(&rec, err,
		    sizeof err));
	if (tcpstats_close(&stats, err, sizeof err) == -1)
		fprintf(stderr, "tcptalk: %s\n", err);
	return status;
}
