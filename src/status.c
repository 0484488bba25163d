/*
 * status.c - the status line from facts: where we are, who the peer is,
 * how long, how much each way, what is stuck, how far a /send is.  Each
 * thing is said once, and after the peer leaves its name and totals stay.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "status.h"
#include "width.h"

/* TRANSLATORS: the units of sizes and times, as SI and IEC write them. */
void
status_bytes(char *out, size_t outlen, uint64_t n)
{
	if (n < 1024)
		snprintf(out, outlen, _("%llu B"), (unsigned long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, outlen, _("%.1f KiB"), n / 1024.0);
	else if (n < 1024ULL * 1024 * 1024)
		snprintf(out, outlen, _("%.1f MiB"), n / 1048576.0);
	else
		snprintf(out, outlen, _("%.1f GiB"), n / 1073741824.0);
}

void
status_us(char *out, size_t outlen, uint32_t us)
{
	if (us < 1000)
		snprintf(out, outlen, _("%.3f ms"), us / 1000.0);
	else if (us < 10000)
		snprintf(out, outlen, _("%.2f ms"), us / 1000.0);
	else if (us < 1000000)
		snprintf(out, outlen, _("%.1f ms"), us / 1000.0);
	else
		snprintf(out, outlen, _("%.2f s"), us / 1000000.0);
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
status_alert(const struct status_facts *f)
{
	if (f->phase == STATUS_GONE)
		return f->end_alert;
	return f->phase == STATUS_CONNECTED && f->tls_version != NULL &&
	    f->tls_unverified;
}

bool
status_ticks(const struct status_facts *f)
{
	return f->phase == STATUS_CONNECTED;
}

#define MAX_SEGS	24

struct seg {
	char	 text[160];
	int	 keep;		/* higher stays longer when the line is short */
	bool	 glued;		/* part of the segment before: joined by a space */
};

static void	trim_utf8(char *);

static void
vseg(struct seg *v, int *n, int keep, bool glued, const char *fmt,
    va_list ap)
{
	if (*n == MAX_SEGS)
		return;
	vsnprintf(v[*n].text, sizeof v[*n].text, fmt, ap);
	trim_utf8(v[*n].text);	/* a long name (a certificate's) cut whole */
	v[*n].glued = glued;
	v[(*n)++].keep = keep;
}

static void __attribute__((format(printf, 4, 5)))
seg(struct seg *v, int *n, int keep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vseg(v, n, keep, false, fmt, ap);
	va_end(ap);
}

/* A part of the segment before it; keep no higher than that segment's. */
static void __attribute__((format(printf, 4, 5)))
part(struct seg *v, int *n, int keep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vseg(v, n, keep, true, fmt, ap);
	va_end(ap);
}

/* The segments joined with " | ", those with keep below min left out. */
static size_t
join(const struct seg *v, int n, int min, char *out, size_t outlen)
{
	size_t at = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		if (v[i].keep >= min)
			add(out, outlen, &at, "%s%s", at == 0 ? "" :
			    v[i].glued ? " " : " | ", v[i].text);
	return at;
}

/* Cut to cols columns with an ellipsis, never inside a character, and
 * never past outlen bytes. */
static void
cut(char *out, size_t outlen, int cols)
{
	size_t i = 0, w = 0, cw, n = strlen(out), cl;
	uint32_t cp;
	int l;

	if (cols < 1 || width_str(out, n) <= (size_t)cols)
		return;
	while (i < n) {
		l = width_utf8(out + i, n - i, &cp);
		cl = l > 0 ? (size_t)l : 1;
		cw = width_str(out + i, cl);
		if (w + cw + 1 > (size_t)cols || i + cl + 4 > outlen)
			break;
		w += cw;
		i += cl;
	}
	if (i + 4 <= outlen)
		memcpy(out + i, "\xe2\x80\xa6", 4);	/* … */
	else
		out[i] = '\0';
}

/* A buffer too small cuts the text anywhere: not inside a character. */
static void
trim_utf8(char *out)
{
	out[width_whole(out, strlen(out))] = '\0';
}

/* done/total in the total's unit: "22.5/50.0 MiB", "512/1000 B". */
static void
bytes_of(char *out, size_t outlen, uint64_t done, uint64_t total)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
	double d = (double)done, t = (double)total;
	int u = 0;

	if (total < 1024) {
		snprintf(out, outlen, "%llu/%llu B", (unsigned long long)done,
		    (unsigned long long)total);
		return;
	}
	while (u < 3 && t >= 1024) {
		d /= 1024;
		t /= 1024;
		u++;
	}
	snprintf(out, outlen, "%.1f/%.1f %s", d, t, unit[u]);
}

/* The /send progress: "sending" then its parts, the bar least kept. */
static void
progress(const struct status_facts *f, struct seg *v, int *n)
{
	char bar[11], b[48], r[32];
	uint64_t done = f->send_done;
	int64_t l = f->send_left;
	int pct, i;

	if (f->send_waiting) {
		seg(v, n, 92, _("sending: waiting for the FIFO's writer"));
		return;
	}
	/* TRANSLATORS: the first part of the /send progress, before
	 * the bar, the percentage and the bytes. */
	seg(v, n, 92, _("sending"));
	/* a file that grew past its size: bytes and rate, no end known */
	if (f->send_sized && done <= f->send_total) {
		pct = f->send_total == 0 ? 100 :
		    (int)(done * 100 / f->send_total);
		for (i = 0; i < 10; i++)
			bar[i] = i < pct / 10 ? '#' : '.';
		bar[10] = '\0';
		bytes_of(b, sizeof b, done, f->send_total);
		part(v, n, 46, "[%s]", bar);
		part(v, n, 92, "%d%%", pct);
		part(v, n, 60, "%s", b);
	} else {
		status_bytes(b, sizeof b, done);
		part(v, n, 92, "%s", b);
	}
	if (f->send_rate > 0) {
		status_bytes(r, sizeof r, f->send_rate);
		part(v, n, 55, "%s/s", r);
	}
	if (!f->send_sized || done > f->send_total || l < 0)
		return;		/* no time left that could be true */
	if (l >= 3600)
		/* TRANSLATORS: h:mm:ss of a /send still to go. */
		part(v, n, 75, _("%lld:%02lld:%02lld left"),
		    (long long)l / 3600,
		    (long long)l / 60 % 60, (long long)l % 60);
	else
		/* TRANSLATORS: m:ss of a /send still to go. */
		part(v, n, 75, _("%lld:%02lld left"), (long long)l / 60,
		    (long long)l % 60);
}

/* What TLS agreed and who was verified; an unverified peer loudly. */
static void
tls(const struct status_facts *f, struct seg *v, int *n)
{
	int keep = f->tls_unverified ? 96 : 62;

	if (f->tls_version == NULL) {
		if (f->tls_handshake)
			seg(v, n, 60, _("TLS handshake..."));
		return;
	}
	seg(v, n, keep, "%s", f->tls_version);
	if (f->tls_cipher != NULL && f->tls_cipher[0] != '\0')
		part(v, n, 25, "%s", f->tls_cipher);
	if (f->tls_unverified && f->tls_who != NULL)
		/* TRANSLATORS: %s says why: "accepted once" or
		 * "--tls-insecure". */
		part(v, n, keep, _("UNVERIFIED (%s)"), f->tls_who);
	else if (f->tls_unverified)
		part(v, n, keep, _("UNVERIFIED"));
	else if (f->tls_who != NULL)
		part(v, n, keep, "%s", f->tls_who);
}

/* How the connection ended, one whole sentence for each end word. */
static void
ended(const struct status_facts *f, struct seg *v, int *n, const char *t)
{
	static const struct {
		const char	*word;
		const char	*text;
	} ends[] = {
		/* TRANSLATORS: %s is how long it lasted, hh:mm:ss. */
		{ "closed", N_("closed after %s") },
		{ "reset", N_("reset after %s") },
		{ "idle", N_("idle after %s") },
		{ "lost", N_("lost after %s") },
		{ "tls-failed", N_("TLS failed after %s") },
		{ "cert-refused", N_("certificate refused after %s") },
		{ "cert-changed", N_("CHANGED certificate refused after %s") },
	};
	size_t i;

	if (f->end == NULL) {
		seg(v, n, 90, _("ended after %s"), t);
		return;
	}
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (strcmp(f->end, ends[i].word) == 0) {
			seg(v, n, 90, _(ends[i].text), t);
			return;
		}
	/* TRANSLATORS: an end not named above, then hh:mm:ss. */
	seg(v, n, 90, _("%s after %s"), f->end, t);
}

/* TCP's view: the RTT and retransmissions, what waits for an ACK. */
static void
tcp(const struct status_facts *f, struct seg *v, int *n)
{
	char rtt[32], unacked[32], unsent[32];

	status_us(rtt, sizeof rtt, f->tcp_rtt_us);
	seg(v, n, 36, _("rtt %s"), rtt);
	part(v, n, f->tcp_retrans > 0 ? 36 : 34, _("retrans %u"),
	    f->tcp_retrans);
	if (f->tcp_unacked == 0 && f->tcp_unsent == 0)
		return;
	status_bytes(unacked, sizeof unacked, f->tcp_unacked);
	status_bytes(unsent, sizeof unsent, f->tcp_unsent);
	seg(v, n, 33, _("in flight %s  unsent %s"), unacked, unsent);
}

char *
status_text(const struct status_facts *f, int cols, char *out, size_t outlen)
{
	struct seg v[MAX_SEGS];
	char in[32], sent[32], queued[32], t[32];
	int n = 0, min = 0, i;
	int64_t s = f->secs;

	snprintf(t, sizeof t, "%02lld:%02lld:%02lld", (long long)s / 3600,
	    (long long)s / 60 % 60, (long long)s % 60);
	if (f->phase == STATUS_WAITING) {
		seg(v, &n, 100, "%s", f->where);
		seg(v, &n, 90, _("waiting for a peer"));
		if (f->tls_fingerprint != NULL && f->tls_fingerprint[0] != '\0')
			seg(v, &n, 20, _("TLS certificate %s"),
			    f->tls_fingerprint);
	} else {
		/* a listener names the peer; a dialler names what it dialled */
		if (f->listening && f->udp)
			seg(v, &n, 100, _("UDP peer %s"),
			    f->peer ? f->peer : "?");
		else if (f->listening)
			seg(v, &n, 100, _("peer %s"), f->peer ? f->peer : "?");
		else
			seg(v, &n, 100, "%s", f->where);
		if (f->phase == STATUS_GONE)
			ended(f, v, &n, t);
		else
			seg(v, &n, 50, "%s", t);
		status_bytes(in, sizeof in, f->bytes_in);
		status_bytes(sent, sizeof sent, f->bytes_out);
		seg(v, &n, 40, _("in %s  out %s"), in, sent);
	}
	if (f->phase == STATUS_CONNECTED)
		tls(f, v, &n);
	if (f->phase == STATUS_CONNECTED && f->tcp)
		tcp(f, v, &n);
	if (f->sending)
		progress(f, v, &n);
	if (f->queued > 0 || f->queue_full) {
		status_bytes(queued, sizeof queued, f->queued);
		if (f->queue_full)
			seg(v, &n, 80, _("queued %s (FULL: the peer is not "
			    "reading)"), queued);
		else
			seg(v, &n, 45, _("queued %s"), queued);
	}
	if (f->phase == STATUS_CONNECTED && (f->peer_eof || f->local_eof))
		seg(v, &n, 70, "%s", f->peer_eof && f->local_eof ?
		    _("both sides closed, finishing") : f->peer_eof ?
		    _("the peer finished sending") : _("you closed your side"));
	if (f->crlf)
		seg(v, &n, 30, "CRLF");
	if (f->waiting > 0)
		seg(v, &n, 85, P_("%d peer waiting — /next to take it",
		    "%d peers waiting — /next to take it", f->waiting),
		    f->waiting);
	if (f->hint != NULL)
		seg(v, &n, 88, "%s", f->hint);
	if (f->leaving)
		seg(v, &n, 95, _("sending what is queued before leaving "
		    "(Ctrl-C again drops it)"));
	/* too wide: leave out the least important, then cut what is left */
	join(v, n, min, out, outlen);
	while (cols > 0 && width_str(out, strlen(out)) > (size_t)cols) {
		int next = 101;

		for (i = 0; i < n; i++)
			if (v[i].keep > min && v[i].keep < next)
				next = v[i].keep;
		if (next == 101)
			break;
		min = next;
		join(v, n, min, out, outlen);
	}
	trim_utf8(out);
	cut(out, outlen, cols);
	return out;
}
