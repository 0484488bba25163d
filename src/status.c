/*
 * status.c - the status line from facts: where we are, who the peer is,
 * how long, how much each way, what is stuck.  Each thing is said once,
 * and after the peer leaves its name and totals stay.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

void
status_bytes(char *out, size_t outlen, uint64_t n)
{
	if (n < 1024)
		snprintf(out, outlen, "%llu B", (unsigned long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, outlen, "%.1f KiB", n / 1024.0);
	else if (n < 1024ULL * 1024 * 1024)
		snprintf(out, outlen, "%.1f MiB", n / 1048576.0);
	else
		snprintf(out, outlen, "%.1f GiB", n / 1073741824.0);
}

static void __attribute__((format(printf, 4, 5)))
add(char *out, size_t outlen, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at >= outlen)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out + *at, outlen - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n;
}

bool
status_ticks(const struct status_facts *f)
{
	return f->phase == STATUS_CONNECTED;
}

char *
status_text(const struct status_facts *f, char *out, size_t outlen)
{
	char in[32], sent[32], queued[32];
	const char *state = NULL;
	size_t at = 0;
	int64_t s = f->secs;

	out[0] = '\0';
	if (f->phase == STATUS_WAITING) {
		add(out, outlen, &at, "%s | waiting for a peer", f->where);
		return out;
	}
	/* who: a listener names the peer; a dialler names what it dialled */
	if (f->listening)
		add(out, outlen, &at, "peer %s", f->peer != NULL ? f->peer : "?");
	else
		add(out, outlen, &at, "%s", f->where);
	if (f->phase == STATUS_GONE)
		add(out, outlen, &at, " | %s after", f->end != NULL ? f->end : "ended");
	else
		add(out, outlen, &at, " |");
	add(out, outlen, &at, " %02lld:%02lld:%02lld", (long long)s / 3600,
	    (long long)s / 60 % 60, (long long)s % 60);
	status_bytes(in, sizeof in, f->bytes_in);
	status_bytes(sent, sizeof sent, f->bytes_out);
	add(out, outlen, &at, " | in %s  out %s", in, sent);
	if (f->queued > 0 || f->queue_full) {
		status_bytes(queued, sizeof queued, f->queued);
		add(out, outlen, &at, " | queued %s%s", queued,
		    f->queue_full ? " (FULL: the peer is not reading)" : "");
	}
	if (f->phase == STATUS_CONNECTED) {
		if (f->peer_eof && f->local_eof)
			state = "both sides closed, finishing";
		else if (f->peer_eof)
			state = "the peer finished sending";
		else if (f->local_eof)
			state = "you closed your side";
		if (state != NULL)
			add(out, outlen, &at, " | %s", state);
	}
	if (f->crlf)
		add(out, outlen, &at, " | CRLF");
	if (f->waiting == 1)
		add(out, outlen, &at, " | 1 peer waiting — /next to take it");
	else if (f->waiting > 1)
		add(out, outlen, &at, " | %d peers waiting — /next to take it",
		    f->waiting);
	if (f->leaving)
		add(out, outlen, &at, " | sending what is queued before leaving "
		    "(Ctrl-C again drops it)");
	return out;
}
