/* main.c - parse the command line, connect or listen, pick the mode, run. */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "chat.h"
#include "net.h"
#include "opts.h"
#include "pipe.h"

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
		fprintf(stderr, "tcptalk: no UTF-8 locale; non-ASCII text may "
		    "not show right\n");
}

int
main(int argc, char **argv)
{
	struct tt_opts o;
	char err[512], peer[NET_ADDRSTRLEN];
	int fd = -1;
	bool interactive;

	switch (opts_parse(&o, argc, argv, err, sizeof err)) {
	case OPTS_HELP:
		fputs(opts_usage(), stdout);
		return 0;
	case OPTS_VERSION:
		printf("tcptalk %s\n", TCPTALK_VERSION);
		return 0;
	case OPTS_ERROR:
		fprintf(stderr, "tcptalk: %s\nTry 'tcptalk --help' for more information.\n",
		    err);
		return 2;
	case OPTS_OK:
		break;
	}
	/* A peer that leaves must show up as EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (interactive)
		use_utf8();

	if (!o.listen) {
		fd = net_connect(&o, peer, sizeof peer, err, sizeof err);
		if (fd == -1) {
			fprintf(stderr, "tcptalk: %s\n", err);
			return 1;
		}
		if (o.verbose)
			fprintf(stderr, "tcptalk: connected to %s (%s)\n", o.host, peer);
	}
	if (interactive)
		return chat_run(&o, fd, peer);
	return pipe_run(&o, fd, peer);
}
