/*
 * tcpstats.c - a connection's last TCP facts and the --stats-json file.
 * The facts are read once per connection, as it ends, with its socket
 * still open; nothing here runs per byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "i18n.h"
#include "net.h"
#include "session.h"
#include "tcpstats.h"

#define TCPSTATS_LINE_MAX	4096
#define TCPSTATS_BUFSZ		(64 * 1024)	/* a FIFO reader that lags */

void
tcpstats_take(struct tcpinfo_conn *c, const struct session *s,
    const char *why, char *local, size_t locallen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int64_t now = clock_now_ms();

	memset(c, 0, sizeof *c);
	local[0] = '\0';
	if (getsockname(s->st.fd, (struct sockaddr *)&ss, &len) == 0)
		net_addr_str((struct sockaddr *)&ss, len, local, locallen);
	c->local = local;
	c->remote = s->peer;
	c->end = why;
	c->error = s->error != 0 ? session_error_text(s) : NULL;
	c->duration_ms = now - s->started_ms;
	c->start_ms = clock_wall_ms() - c->duration_ms;
	c->bytes_in = s->bytes_in;
	c->bytes_out = s->bytes_out;
	(void)tcpinfo_read(s->st.fd, &c->ti);
}

int
tcpstats_open(struct tcpstats *t, const char *path, char *err, size_t errlen)
{
	char shown[256];

	memset(t, 0, sizeof *t);
	t->path = path;
	if (outfile_open(&t->out, path) == -1) {
		outfile_shown(shown, sizeof shown, path);
		if (outfile_no_reader(path, errno))
			snprintf(err, errlen, _("cannot write the statistics "
			    "to '%s': it is a FIFO with no reader (start the "
			    "reader first)"), shown);
		else
			snprintf(err, errlen, _("cannot write the statistics "
			    "to '%s': %s"), shown, strerror(errno));
		return -1;
	}
	if (outfile_buffer(&t->out, TCPSTATS_BUFSZ) == -1) {
		snprintf(err, errlen, _("out of memory"));
		outfile_close(&t->out);
		return -1;
	}
	return 0;
}

void
tcpstats_write(struct tcpstats *t, const struct tcpinfo_conn *c)
{
	char line[TCPSTATS_LINE_MAX];
	size_t n;

	n = tcpinfo_json(c, line, sizeof line - 1);
	if (n > 0)
		line[n++] = '\n';
	if (n == 0 || !outfile_put(&t->out, line, n))
		t->lost++;
	outfile_drain(&t->out);
}

int
tcpstats_close(struct tcpstats *t, char *err, size_t errlen)
{
	struct outfile *o = &t->out;
	char shown[256];
	int rc = 0;

	if (o->fd == -1)
		return 0;
	outfile_drain_wait(o, 1000);
	outfile_shown(shown, sizeof shown, t->path);
	if (o->error != 0) {
		snprintf(err, errlen, _("the statistics to '%s' stopped: %s"),
		    shown, strerror(o->error));
		rc = -1;
	} else if (t->lost > 0 || o->len > o->off) {
		snprintf(err, errlen, _("the statistics to '%s' lack some "
		    "connections: the file did not keep up"), shown);
		rc = -1;
	}
	outfile_close(o);
	return rc;
}
