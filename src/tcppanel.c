/*
 * tcppanel.c - the /tcp panel's table in words: each TCP fact of one
 * connection as a labelled row with its value in units ("0.050 ms",
 * "10 segments = 14.1 KiB"), and /tcp help's sentences.  Pure; the
 * lines for a width are tcppanel_layout.c's.
 *
 * What the kernel does not give (an old kernel, no sample yet, not TCP)
 * reads so; a missing fact is never shown as 0.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "status.h"
#include "tcppanel.h"


#define NO_TCP		_("not known (no TCP)")
#define NO_KERNEL	_("not told by the kernel")
#define NO_SAMPLE	_("none yet: no sample")

/* Linux's state numbers, as struct tcpinfo has them */
#define ST_FIN_WAIT2	5
#define ST_TIME_WAIT	6
#define ST_CLOSE	7
#define ST_CLOSE_WAIT	8
#define ST_LAST_ACK	9
#define ST_CLOSING	11

const char *
tcppanel_section_name(enum tcppanel_section s)
{
	static const char *const name[TCPPANEL_NSECTIONS] = {
		N_("Connection"),
		N_("Round trips and retransmissions"),
		N_("Segments and windows"),
		N_("Data moved"),
		N_("What held sending back"),
		N_("Queues in the kernel")
	};

	return (unsigned)s < TCPPANEL_NSECTIONS ? _(name[s]) : "?";
}

const char *
tcppanel_state_words(int state)
{
	static const char *const words[] = {
		N_("not known"),
		N_("ESTABLISHED: both sides may send"),
		N_("SYN_SENT: waiting for the SYN-ACK"),
		N_("SYN_RECV: SYN-ACK sent, waiting for the ACK"),
		N_("FIN_WAIT_1: we sent FIN, waiting for its ACK"),
		N_("FIN_WAIT_2: our FIN acked; the peer may send"),
		N_("TIME_WAIT: closed; late segments die out"),
		N_("CLOSED: the connection is closed"),
		N_("CLOSE_WAIT: the peer sent FIN; you may send"),
		N_("LAST_ACK: waiting for the ACK of our FIN"),
		N_("LISTEN: waiting for connections"),
		N_("CLOSING: both sent FIN, waiting for an ACK")
	};

	if (state < 0 || (size_t)state >= sizeof words / sizeof words[0])
		return _("not known");
	return _(words[state]);
}

/* ---- the rows ---- */

static struct tcppanel_row *
row(struct tcppanel_row *r, size_t *n, enum tcppanel_section sec,
    const char *label)
{
	struct tcppanel_row *x = &r[(*n)++];

	memset(x, 0, sizeof *x);
	x->section = sec;
	x->label = label;
	return x;
}

static void __attribute__((format(printf, 3, 4)))
known(struct tcppanel_row *r, uint64_t value, const char *fmt, ...)
{
	va_list ap;

	r->known = true;
	r->value = value;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
}

static void
unknown(struct tcppanel_row *r, const char *why)
{
	r->known = false;
	r->value = 0;
	snprintf(r->text, sizeof r->text, "%s", why);
}

/* Microseconds of any size: status_us's words, seconds past its range. */
static void
us_text(char *out, size_t len, uint64_t us)
{
	if (us <= UINT32_MAX)
		status_us(out, len, (uint32_t)us);
	else
		snprintf(out, len, "%.0f s", us / 1000000.0);
}

static void
time_row(struct tcppanel_row *r, uint64_t us)
{
	char t[32];

	us_text(t, sizeof t, us);
	known(r, us, "%s", t);
}

static void
bytes_row(struct tcppanel_row *r, uint64_t n)
{
	char b[32];

	status_bytes(b, sizeof b, n);
	known(r, n, "%s", b);
}

static void
queue_row(struct tcppanel_row *r, int64_t n)
{
	if (n < 0)
		unknown(r, NO_KERNEL);
	else
		bytes_row(r, (uint64_t)n);
}

/* cwnd and ssthresh: segments, and bytes at the MSS we send. */
static void
segs_row(struct tcppanel_row *r, uint32_t segs, uint32_t mss)
{
	char b[32];

	status_bytes(b, sizeof b, (uint64_t)segs * mss);
	known(r, segs, _("%u \xc3\x97 MSS = %s"), segs, b);
}

static void
conn_rows(const struct tcppanel_in *in, struct tcppanel_row *r, size_t *n)
{
	const struct tcpinfo *ti = in->ti;
	struct tcppanel_row *x;
	int64_t s;

	/* TRANSLATORS: the /tcp panel's labels: short (the value column
	 * starts after the widest), a value of its own after each. */
	x = row(r, n, TCPPANEL_SEC_CONN, _("State"));
	if (ti->ok)
		known(x, (uint64_t)ti->state, "%s",
		    tcppanel_state_words(ti->state));
	else
		unknown(x, NO_TCP);
	x = row(r, n, TCPPANEL_SEC_CONN, _("Local address"));
	if (in->local != NULL && in->local[0] != '\0')
		known(x, 0, "%s", in->local);
	else
		unknown(x, _("not known"));
	x = row(r, n, TCPPANEL_SEC_CONN, _("Remote address"));
	if (in->remote != NULL && in->remote[0] != '\0')
		known(x, 0, "%s", in->remote);
	else
		unknown(x, _("not known"));
	x = row(r, n, TCPPANEL_SEC_CONN, _("Connected for"));
	s = in->connected_ms / 1000;
	if (in->connected_ms < 0)
		unknown(x, _("not known"));
	else if (s < 60)
		known(x, (uint64_t)in->connected_ms, _("%lld s"), (long long)s);
	else if (s < 3600)
		known(x, (uint64_t)in->connected_ms, _("%lld min %02lld s"),
		    (long long)(s / 60), (long long)(s % 60));
	else
		known(x, (uint64_t)in->connected_ms, _("%lld h %02lld min"),
		    (long long)(s / 3600), (long long)(s / 60 % 60));
}

static void
rtt_rows(const struct tcpinfo *ti, struct tcppanel_row *r, size_t *n)
{
	struct tcppanel_row *x[6];
	int i;

	x[0] = row(r, n, TCPPANEL_SEC_RTT, _("Smoothed RTT"));
	x[1] = row(r, n, TCPPANEL_SEC_RTT, _("RTT variance"));
	x[2] = row(r, n, TCPPANEL_SEC_RTT, _("Smallest RTT"));
	x[3] = row(r, n, TCPPANEL_SEC_RTT, _("Retransmission timeout"));
	x[4] = row(r, n, TCPPANEL_SEC_RTT, _("Segments retransmitted"));
	x[5] = row(r, n, TCPPANEL_SEC_RTT, _("Timeouts not recovered"));
	if (!ti->ok) {
		for (i = 0; i < 6; i++)
			unknown(x[i], NO_TCP);
		return;
	}
	/* no sample yet: the kernel's 0 (and ~0 for the minimum) */
	if (ti->rtt_us == 0) {
		unknown(x[0], NO_SAMPLE);
		unknown(x[1], NO_SAMPLE);
	} else {
		time_row(x[0], ti->rtt_us);
		time_row(x[1], ti->rttvar_us);
	}
	if (ti->min_rtt_us == 0 || ti->min_rtt_us == UINT32_MAX)
		unknown(x[2], ti->rtt_us == 0 ? NO_SAMPLE : NO_KERNEL);
	else
		time_row(x[2], ti->min_rtt_us);
	time_row(x[3], ti->rto_us);
	known(x[4], ti->total_retrans, "%u", ti->total_retrans);
	x[4]->alert = ti->total_retrans > 0;
	known(x[5], ti->retransmits, "%u", ti->retransmits);
	x[5]->alert = ti->retransmits > 0;
}

static void
window_rows(const struct tcpinfo *ti, struct tcppanel_row *r, size_t *n)
{
	struct tcppanel_row *x[5];
	int i;

	x[0] = row(r, n, TCPPANEL_SEC_WINDOWS, _("Largest segment out/in"));
	x[1] = row(r, n, TCPPANEL_SEC_WINDOWS, _("Congestion window"));
	x[2] = row(r, n, TCPPANEL_SEC_WINDOWS, _("Slow-start threshold"));
	x[3] = row(r, n, TCPPANEL_SEC_WINDOWS, _("Peer's receive window"));
	x[4] = row(r, n, TCPPANEL_SEC_WINDOWS, _("Our receive window"));
	if (!ti->ok) {
		for (i = 0; i < 5; i++)
			unknown(x[i], NO_TCP);
		return;
	}
	known(x[0], ti->snd_mss, "%u B / %u B", ti->snd_mss, ti->rcv_mss);
	segs_row(x[1], ti->cwnd, ti->snd_mss);
	if (ti->ssthresh >= TCPINFO_INFINITE)
		unknown(x[2], _("none yet: still in slow start"));
	else
		segs_row(x[2], ti->ssthresh, ti->snd_mss);
	if (ti->have_snd_wnd)
		bytes_row(x[3], ti->snd_wnd);
	else
		unknown(x[3], NO_KERNEL);
	if (ti->have_rcv_wnd)
		bytes_row(x[4], ti->rcv_wnd);
	else
		unknown(x[4], NO_KERNEL);
}

/*
 * The kernel counts sequence numbers acknowledged and received: our SYN
 * takes one when we dialled (the handshake's last ACK is not counted on
 * the side that accepted), our FIN one once acknowledged, the peer's FIN
 * one.  The rows show data bytes: what was written and read.  The state
 * says where the FINs are, but for CLOSE: then the caller's word.
 */
static uint64_t
acked_data(const struct tcppanel_in *in)
{
	int st = in->ti->state;
	uint64_t n = in->ti->bytes_acked;

	if (n > 0 && in->dialled)
		n--;
	if (n > 0 && (st == ST_FIN_WAIT2 || st == ST_TIME_WAIT ||
	    (st == ST_CLOSE && in->fin_out)))
		n--;
	return n;
}

static uint64_t
received_data(const struct tcppanel_in *in)
{
	int st = in->ti->state;
	uint64_t n = in->ti->bytes_received;

	if (n > 0 && (in->fin_in || st == ST_CLOSE_WAIT || st == ST_LAST_ACK ||
	    st == ST_CLOSING || st == ST_TIME_WAIT))
		n--;
	return n;
}

static void
data_rows(const struct tcppanel_in *in, struct tcppanel_row *r, size_t *n)
{
	const struct tcpinfo *ti = in->ti;
	struct tcppanel_row *x[6];
	char b[32];
	int i;

	x[0] = row(r, n, TCPPANEL_SEC_DATA, _("Bytes sent"));
	x[1] = row(r, n, TCPPANEL_SEC_DATA, _("Bytes acknowledged"));
	x[2] = row(r, n, TCPPANEL_SEC_DATA, _("Bytes received"));
	x[3] = row(r, n, TCPPANEL_SEC_DATA, _("Segments sent"));
	x[4] = row(r, n, TCPPANEL_SEC_DATA, _("Segments received"));
	x[5] = row(r, n, TCPPANEL_SEC_DATA, _("Delivery rate"));
	if (!ti->ok) {
		for (i = 0; i < 6; i++)
			unknown(x[i], NO_TCP);
		return;
	}
	if (ti->have_bytes_sent)
		bytes_row(x[0], ti->bytes_sent);
	else
		unknown(x[0], NO_KERNEL);
	bytes_row(x[1], acked_data(in));
	bytes_row(x[2], received_data(in));
	known(x[3], ti->segs_out, "%u", ti->segs_out);
	known(x[4], ti->segs_in, "%u", ti->segs_in);
	if (ti->have_rate) {
		status_bytes(b, sizeof b, ti->delivery_rate);
		known(x[5], ti->delivery_rate, "%s/s", b);
	} else {
		unknown(x[5], NO_KERNEL);
	}
}

/* A held-back time and its share of the busy time. */
static void
held_row(struct tcppanel_row *r, uint64_t us, uint64_t busy)
{
	char t[32];
	int pct;

	us_text(t, sizeof t, us);
	if (busy == 0) {
		known(r, us, "%s", t);	/* no share of nothing */
		return;
	}
	pct = us >= busy ? 100 : busy > UINT64_MAX / 100 ?
	    (int)(us / (busy / 100)) : (int)(us * 100 / busy);
	/* whole words for the translator: "it" would name another row */
	known(r, us, _("%s (%d%% of busy time)"), t, pct);
}

static void
limit_rows(const struct tcppanel_in *in, struct tcppanel_row *r, size_t *n)
{
	const struct tcpinfo *ti = in->ti;
	struct tcppanel_row *x[5];
	uint64_t busy = ti->busy_us, held;
	int i, pct;

	x[0] = row(r, n, TCPPANEL_SEC_LIMITS, _("Time with data to send"));
	x[1] = row(r, n, TCPPANEL_SEC_LIMITS, _("Limited by peer's window"));
	x[2] = row(r, n, TCPPANEL_SEC_LIMITS, _("Limited by send buffer"));
	x[3] = row(r, n, TCPPANEL_SEC_LIMITS, _("Limited by congestion"));
	/* TRANSLATORS: its value is one of "having little to send",
	 * "the peer's window", "our send buffer", "the congestion window"
	 * or "no wait measured". */
	x[4] = row(r, n, TCPPANEL_SEC_LIMITS, _("Mostly limited by"));
	if (!ti->ok || !ti->have_busy) {
		for (i = 0; i < 5; i++)
			unknown(x[i], ti->ok ? NO_KERNEL : NO_TCP);
		return;
	}
	time_row(x[0], busy);
	held_row(x[1], ti->rwnd_limited_us, busy);
	held_row(x[2], ti->sndbuf_limited_us, busy);
	/* the busy time holds all three: the rest is the congestion window's */
	held = ti->rwnd_limited_us > busy - ti->sndbuf_limited_us ||
	    ti->sndbuf_limited_us > busy ? busy :
	    ti->rwnd_limited_us + ti->sndbuf_limited_us;
	held_row(x[3], busy - held, busy);
	switch (tcpinfo_limited(ti, in->connected_ms, &pct)) {
	case TCPINFO_LIMIT_APP:
		known(x[4], TCPINFO_LIMIT_APP, _("having little to send"));
		break;
	case TCPINFO_LIMIT_RWND:
		known(x[4], TCPINFO_LIMIT_RWND, _("the peer's window"));
		break;
	case TCPINFO_LIMIT_SNDBUF:
		known(x[4], TCPINFO_LIMIT_SNDBUF, _("our send buffer"));
		break;
	case TCPINFO_LIMIT_CWND:
		known(x[4], TCPINFO_LIMIT_CWND, _("the congestion window"));
		break;
	default:
		known(x[4], TCPINFO_LIMIT_NONE, _("no wait measured"));
		break;
	}
}

static void
queue_rows(const struct tcpinfo *ti, struct tcppanel_row *r, size_t *n)
{
	struct tcppanel_row *x[3];
	int i;

	x[0] = row(r, n, TCPPANEL_SEC_QUEUES, _("In flight, not yet acked"));
	x[1] = row(r, n, TCPPANEL_SEC_QUEUES, _("Queued, not yet sent"));
	x[2] = row(r, n, TCPPANEL_SEC_QUEUES, _("Received, not yet read"));
	if (!ti->ok) {
		for (i = 0; i < 3; i++)
			unknown(x[i], NO_TCP);
		return;
	}
	queue_row(x[0], ti->unacked);
	queue_row(x[1], ti->unsent);
	queue_row(x[2], ti->unread);
}

size_t
tcppanel_rows(const struct tcppanel_in *in, struct tcppanel_row *rows)
{
	size_t n = 0;

	conn_rows(in, rows, &n);
	rtt_rows(in->ti, rows, &n);
	window_rows(in->ti, rows, &n);
	data_rows(in, rows, &n);
	limit_rows(in, rows, &n);
	queue_rows(in->ti, rows, &n);
	return n;
}

/* ---- /tcp help ---- */

const char *
tcppanel_help(size_t i)
{
	static const char *const help[TCPPANEL_NHELP] = {
		N_("State: where TCP's state machine stands; the three-way "
		    "handshake (SYN, SYN-ACK, ACK) leads to ESTABLISHED, and "
		    "each side's FIN and its ACK lead out."),
		N_("Local and remote address: the two ends, address and port; "
		    "every segment carries both ports."),
		N_("Connected for: the time since the handshake completed."),
		N_("Round-trip time (RTT): how long a segment takes to be "
		    "acknowledged; TCP keeps a smoothed mean, its variance and "
		    "the smallest seen."),
		N_("Retransmission timeout (RTO): how long TCP waits for an "
		    "ACK before it sends a segment again; about the RTT plus "
		    "four times its variance."),
		N_("Segments retransmitted: sent again because no ACK came in "
		    "time or duplicate ACKs told of a loss; timeouts not yet "
		    "recovered are the ones still waiting."),
		N_("Largest segment (MSS): the most data one segment carries, "
		    "each way, agreed in the handshake; sequence numbers count "
		    "bytes, not segments."),
		N_("Congestion window: how many segments may be in flight "
		    "without an ACK; slow start doubles it every round trip, a "
		    "loss cuts it."),
		N_("Slow-start threshold: where slow start gives way to "
		    "careful growth (congestion avoidance); there is none "
		    "before the first loss."),
		N_("Peer's receive window: the bytes the peer said it can "
		    "still take; the sliding window lets that much be in "
		    "flight, and a full window stops us."),
		N_("Our receive window: the bytes our side said it can still "
		    "take, advertised (scaled) in the window field of our "
		    "ACKs; Linux tells it from 6.2."),
		N_("Bytes acknowledged: each ACK names the next sequence "
		    "number expected, so these bytes reached the peer's TCP "
		    "(SYN and FIN take a number each, left out here); the "
		    "\xe2\x9c\x93 marks come from them."),
		N_("Bytes sent counts retransmissions too; bytes received are "
		    "what came in order from the peer."),
		N_("Segments sent and received: this connection's packets, the "
		    "handshake and bare ACKs included."),
		N_("Delivery rate: how fast the peer's ACKs say data arrived "
		    "lately."),
		N_("What held sending back: of the time with data to send "
		    "(counted in the kernel's clock ticks, a few ms), how long "
		    "the peer's window (flow control), our send buffer or the "
		    "congestion window (the network) was the limit."),
		N_("Queues: in flight are bytes waiting for their ACK (they "
		    "are sent again if it never comes); queued bytes wait for "
		    "the window; received bytes wait for tcptalk to read them."),
		N_("The orderly close: each side sends FIN when it is done and "
		    "acknowledges the other's; the side that closed first "
		    "waits in TIME_WAIT so that late segments die out.")
	};

	return i < TCPPANEL_NHELP ? _(help[i]) : NULL;
}
