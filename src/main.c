/* main.c - parse the command line, connect or listen, pick the mode, run. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "net.h"
#include "opts.h"
#include "pipe.h"

int
main(int argc, char **argv)
{
	struct tt_opts o;
	char err[512], peer[NET_ADDRSTRLEN];
	int fd = -1;

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

	if (!o.listen) {
		fd = net_connect(&o, peer, sizeof peer, err, sizeof err);
		if (fd == -1) {
			fprintf(stderr, "tcptalk: %s\n", err);
			return 1;
		}
		if (o.verbose)
			fprintf(stderr, "tcptalk: connected to %s (%s)\n", o.host, peer);
	}
	return pipe_run(&o, fd, peer);
}
