/*
 * tcpinfo_fmt.c - a connection's TCP facts in words: the summary line of
 * pipe mode's -v (iperf-grade: bytes, time, rate, RTT, retransmissions,
 * what held sending back) and the JSON object of --stats-json.  Pure.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "status.h"
#include "i18n.h"
#include "tcpinfo.h"

/* Busy under this share of the connection: the program had little to
 * send, whatever held the rest back. */
#define TCPINFO_APP_PCT	50

/* Linux's numbers of the states in which our FIN is queued or in flight */
#define TCPINFO_FIN_WAIT1	4
#define TCPINFO_LAST_ACK	9
#define TCPINFO_CLOSING		11

const char *
tcpinfo_state_name(int state)
{
	static const char *const name[] = { "?", "ESTABLISHED", "SYN_SENT",
	    "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
	    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };

	if (state < 0 || (size_t)state >= sizeof name / sizeof name[0])
		return "?";
	return name[state];
}

enum tcpinfo_limit
tcpinfo_limited(const struct tcpinfo *ti, int64_t duration_ms, int *pct)
{
	uint64_t busy = ti->busy_us, cwnd, most, share, held;
	enum tcpinfo_limit l;

	*pct = 0;
	if (!ti->ok || !ti->have_busy || busy == 0)
		return TCPINFO_LIMIT_NONE;
	if (duration_ms > 0) {
		/* busy µs * 100 / (duration ms * 1000), without overflow */
		share = busy / 10 / (uint64_t)duration_ms;
		if (share < TCPINFO_APP_PCT) {
			*pct = (int)share;
			return TCPINFO_LIMIT_APP;
		}
	}
	/* busy_time holds all three: what is neither window nor buffer is
	 * the congestion window's */
	held = ti->rwnd_limited_us > busy - ti->sndbuf_limited_us ||
	    ti->sndbuf_limited_us > busy ? busy :
	    ti->rwnd_limited_us + ti->sndbuf_limited_us;
	cwnd = busy - held;
	l = TCPINFO_LIMIT_CWND;
	most = cwnd;
	if (ti->rwnd_limited_us > most) {
		l = TCPINFO_LIMIT_RWND;
		most = ti->rwnd_limited_us;
	}
	if (ti->sndbuf_limited_us > most) {
		l = TCPINFO_LIMIT_SNDBUF;
		most = ti->sndbuf_limited_us;
	}
	if (most >= busy)
		*pct = 100;
	else if (busy > UINT64_MAX / 100)
		*pct = (int)(most / (busy / 100));
	else
		*pct = (int)(most * 100 / busy);
	return l;
}

/*
 * The bytes sent that were still in our kernel when the figures were read
 * (the socket closing): SIOCOUTQ, less our FIN's sequence number once it
 * is queued.  A write only hands bytes to the kernel, so these had not
 * reached the peer in the connection's time.  At most bytes_out (over TLS
 * the queue holds records, a little more than the text).
 */
static uint64_t
queued_of(const struct tcpinfo_conn *c)
{
	const struct tcpinfo *ti = &c->ti;
	uint64_t q;

	if (!ti->ok || ti->unacked < 0 || ti->unsent < 0)
		return 0;
	q = (uint64_t)ti->unacked + (uint64_t)ti->unsent;
	if (q > 0 && (ti->state == TCPINFO_FIN_WAIT1 ||
	    ti->state == TCPINFO_CLOSING || ti->state == TCPINFO_LAST_ACK))
		q--;
	return q < c->bytes_out ? q : c->bytes_out;
}

/* Bytes a second that reached the peer: those received, and those sent
 * less what was still queued (else the rate were into our kernel). */
static uint64_t
rate_of(const struct tcpinfo_conn *c)
{
	int64_t ms = c->duration_ms > 0 ? c->duration_ms : 1;

	return (c->bytes_in + c->bytes_out - queued_of(c)) * 1000 /
	    (uint64_t)ms;
}

char *
tcpinfo_summary(const struct tcpinfo_conn *c, char *out, size_t outlen)
{
	const struct tcpinfo *ti = &c->ti;
	char in[32], sent[32], rate[32], lo[32], avg[32], secs[32], left[32];
	uint64_t queued;
	size_t n;
	int pct;

	status_bytes(in, sizeof in, c->bytes_in);
	status_bytes(sent, sizeof sent, c->bytes_out);
	status_bytes(rate, sizeof rate, rate_of(c));
	/* below 0.1 s the milliseconds count: not "0.00 s" */
	snprintf(secs, sizeof secs, c->duration_ms < 100 ? "%.3f" : "%.2f",
	    c->duration_ms / 1000.0);
	if (!ti->ok) {
		snprintf(out, outlen, _("%s: received %s and sent %s in %s s "
		    "(%s/s); this socket gives no TCP figures."), c->remote, in,
		    sent, secs, rate);
		return out;
	}
	status_us(lo, sizeof lo, ti->min_rtt_us);
	status_us(avg, sizeof avg, ti->rtt_us);
	switch (tcpinfo_limited(ti, c->duration_ms, &pct)) {
	case TCPINFO_LIMIT_APP:
		snprintf(out, outlen, _("%s: received %s and sent %s in %s s "
		    "(%s/s), RTT min %s avg %s, retransmissions: %u; TCP had "
		    "data to send %d%% of the time: the program set the pace."),
		    c->remote, in, sent, secs, rate, lo, avg,
		    ti->total_retrans, pct);
		break;
	case TCPINFO_LIMIT_RWND:
		snprintf(out, outlen, _("%s: received %s and sent %s in %s s "
		    "(%s/s), RTT min %s avg %s, retransmissions: %u; sending was "
		    "held back mostly by the peer's receive window (%d%% of "
		    "the busy time)."), c->remote, in, sent, secs, rate, lo, avg,
		    ti->total_retrans, pct);
		break;
	case TCPINFO_LIMIT_SNDBUF:
		snprintf(out, outlen, _("%s: received %s and sent %s in %s s "
		    "(%s/s), RTT min %s avg %s, retransmissions: %u; sending was "
		    "held back mostly by our send buffer (%d%% of the busy "
		    "time)."), c->remote, in, sent, secs, rate, lo, avg,
		    ti->total_retrans, pct);
		break;
	case TCPINFO_LIMIT_CWND:
		snprintf(out, outlen, _("%s: received %s and sent %s in %s s "
		    "(%s/s), RTT min %s avg %s, retransmissions: %u; sending was "
		    "held back mostly by the congestion window (%d%% of the "
		    "busy time)."), c->remote, in, sent, secs, rate, lo, avg,
		    ti->total_retrans, pct);
		break;
	default:
		snprintf(out, outlen, _("%s: received %s and sent %s in %s s "
		    "(%s/s), RTT min %s avg %s, retransmissions: %u."), c->remote,
		    in, sent, secs, rate, lo, avg, ti->total_retrans);
		break;
	}
	/* a sentence of its own: bytes written are not bytes delivered */
	if ((queued = queued_of(c)) > 0 && outlen > 0) {
		n = strlen(out);
		status_bytes(left, sizeof left, queued);
		/* TRANSLATORS: a second sentence after the summary; the %s are
		 * amounts of bytes, e.g. "12.0 KiB". */
		snprintf(out + n, outlen - n, _(" Of the %s sent, %s were "
		    "still in the kernel's queue when the socket closed; the "
		    "rate counts only the bytes the peer acknowledged."), sent,
		    left);
	}
	return out;
}

/* ---- JSON ---- */

struct jbuf {
	char	*out;
	size_t	 len, at;
	bool	 full;
};

static void __attribute__((format(printf, 2, 3)))
jadd(struct jbuf *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (j->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(j->out + j->at, j->len - j->at, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= j->len - j->at)
		j->full = true;
	else
		j->at += (size_t)n;
}

/* A string, or null.  Every byte outside printable ASCII is \u00XX: the
 * line is valid JSON whatever the bytes (an address is ASCII anyway). */
static void
jstr(struct jbuf *j, const char *key, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		jadd(j, "\"%s\":null,", key);
		return;
	}
	jadd(j, "\"%s\":\"", key);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p == '"' || *p == '\\')
			jadd(j, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			jadd(j, "\\u%04x", *p);
		else
			jadd(j, "%c", *p);
	jadd(j, "\",");
}

static void
jnum(struct jbuf *j, const char *key, bool known, uint64_t v)
{
	if (known)
		jadd(j, "\"%s\":%llu,", key, (unsigned long long)v);
	else
		jadd(j, "\"%s\":null,", key);
}

static void
jqueue(struct jbuf *j, const char *key, int64_t v)
{
	jnum(j, key, v >= 0, v >= 0 ? (uint64_t)v : 0);
}

static void
jtcp(struct jbuf *j, const struct tcpinfo_conn *c)
{
	static const char *const limit[] = { NULL, "app", "rwnd", "sndbuf",
	    "cwnd" };
	const struct tcpinfo *ti = &c->ti;
	enum tcpinfo_limit l;
	int pct;

	if (!ti->ok) {
		jadd(j, "\"tcp\":null,");
		return;
	}
	jadd(j, "\"tcp\":{");
	jstr(j, "state", tcpinfo_state_name(ti->state));
	jnum(j, "rtt_us", true, ti->rtt_us);
	jnum(j, "rttvar_us", true, ti->rttvar_us);
	jnum(j, "min_rtt_us", true, ti->min_rtt_us);
	jnum(j, "rto_us", true, ti->rto_us);
	jnum(j, "snd_mss", true, ti->snd_mss);
	jnum(j, "rcv_mss", true, ti->rcv_mss);
	jnum(j, "cwnd", true, ti->cwnd);
	jnum(j, "ssthresh", ti->ssthresh < TCPINFO_INFINITE, ti->ssthresh);
	jnum(j, "snd_wnd", ti->have_snd_wnd, ti->snd_wnd);
	jnum(j, "rcv_space", true, ti->rcv_space);
	jnum(j, "bytes_sent", ti->have_bytes_sent, ti->bytes_sent);
	jnum(j, "bytes_acked", true, ti->bytes_acked);
	jnum(j, "bytes_received", true, ti->bytes_received);
	jnum(j, "segs_in", true, ti->segs_in);
	jnum(j, "segs_out", true, ti->segs_out);
	jnum(j, "retransmissions", true, ti->total_retrans);
	jnum(j, "retransmits_now", true, ti->retransmits);
	jnum(j, "delivery_rate", ti->have_rate, ti->delivery_rate);
	jnum(j, "busy_us", ti->have_busy, ti->busy_us);
	jnum(j, "rwnd_limited_us", ti->have_busy, ti->rwnd_limited_us);
	jnum(j, "sndbuf_limited_us", ti->have_busy, ti->sndbuf_limited_us);
	jqueue(j, "unacked", ti->unacked);
	jqueue(j, "unsent", ti->unsent);
	jqueue(j, "unread", ti->unread);
	l = tcpinfo_limited(ti, c->duration_ms, &pct);
	jstr(j, "limited_by", limit[l]);
	jnum(j, "limited_pct", l != TCPINFO_LIMIT_NONE, (uint64_t)pct);
	if (!j->full)
		j->at--;	/* the last comma */
	jadd(j, "},");
}

size_t
tcpinfo_json(const struct tcpinfo_conn *c, char *out, size_t outlen)
{
	struct jbuf j = { out, outlen, 0, false };
	time_t t = (time_t)(c->start_ms / 1000);
	struct tm tm;
	char when[40];

	if (outlen == 0)
		return 0;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		when[0] = '\0';
	jadd(&j, "{\"start\":\"%s.%03dZ\",\"duration_s\":%.3f,", when,
	    (int)(c->start_ms % 1000), c->duration_ms / 1000.0);
	jstr(&j, "local", c->local);
	jstr(&j, "remote", c->remote);
	jstr(&j, "end", c->end);
	jstr(&j, "error", c->error);
	jnum(&j, "bytes_in", true, c->bytes_in);
	jnum(&j, "bytes_out", true, c->bytes_out);
	jnum(&j, "throughput", true, rate_of(c));
	jtcp(&j, c);
	if (j.full)
		return 0;
	j.at--;			/* the last comma */
	jadd(&j, "}");
	return j.full ? 0 : j.at;
}
