/*
 * chat_tls.c - TLS in the chat: what the handshake agreed, the question
 * about a certificate that did not verify (once, always, or refuse, as ssh
 * asks), /tls and /starttls, and the status line's TLS facts.  The peer
 * module judges the certificate and keeps the pins; this file only says
 * what it found and passes the user's answer on (peer_trust).
 */
#include <stdio.h>
#include <string.h>

#include "chat_int.h"
#include "clock.h"
#include "i18n.h"
#include "opts.h"
#include "peer.h"
#include "prompt.h"
#include "starttls.h"
#include "status.h"
#include "tls.h"
#include "ui.h"

#define ESC	'\033'
/* y or a only count this long after the question appeared: before it,
 * they were typed for the input line, not read as an answer */
#define CHAT_TLS_ANSWER_MS	700

/* Who the peer is in words: the user's once, --tls-insecure, or tls.c's. */
static const char *
who_words(const struct peer *p, char *out, size_t len)
{
	if (p->accepted_once)
		snprintf(out, len, "%s", _("UNVERIFIED (you accepted it once)"));
	else if (p->tls_info.trust == TLS_TRUST_INSECURE)
		snprintf(out, len, "%s", _("UNVERIFIED (--tls-insecure)"));
	else
		tls_trust_words(&p->tls_info, out, len);
	return out;
}

/* --starttls: the exchange before the handshake, once, a notice a line. */
static void
say_exchange(struct chat *c, const struct peer *p)
{
	const struct starttls *x = p->s.stls;
	const char *at, *nl, *end;

	if (c->tls_log_said || x == NULL || x->loglen == 0)
		return;
	c->tls_log_said = true;
	end = x->log + (x->loglen < sizeof x->log ? x->loglen : sizeof x->log);
	for (at = x->log; at < end; at = nl + 1) {
		if ((nl = memchr(at, '\n', (size_t)(end - at))) == NULL)
			nl = end;
		if (nl > at)
			chat_info(c, "%.*s", (int)(nl - at), at);
	}
}

/* The peer's certificate: whose, by whom, how long, which. */
static void
say_certificate(struct chat *c, const struct peer *p)
{
	const struct tls_info *i = &p->tls_info;

	if (!i->have_cert) {
		chat_info(c, _("%s sent no certificate"), p->s.peer);
		return;
	}
	chat_info(c, _("certificate subject: %s"), i->subject);
	chat_info(c, _("certificate issuer: %s"), i->issuer);
	chat_info(c, _("certificate valid from %s until %s"), i->not_before,
	    i->not_after);
	chat_info(c, _("certificate fingerprint: %s"), i->fingerprint);
}

void
chat_tls_secured_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;
	const struct tls_info *i = &p->tls_info;
	char who[300];

	say_exchange(c, p);
	who_words(p, who, sizeof who);
	/* TRANSLATORS: the peer, the TLS version, the cipher, (the ALPN
	 * protocol,) then who vouches for it or UNVERIFIED and why. */
	if (i->alpn[0] != '\0')
		chat_info(c, _("TLS with %s: %s %s, ALPN %s, %s"), p->s.peer,
		    i->version, i->cipher, i->alpn, who);
	else
		chat_info(c, _("TLS with %s: %s %s, %s"), p->s.peer, i->version,
		    i->cipher, who);
	c->dirty |= UI_ALL;
}

void
chat_tls_untrusted_cb(void *arg, struct peer *p)
{
	struct chat *c = arg;

	say_exchange(c, p);
	chat_alert(c, _("the certificate of %s is not trusted: %s"), p->s.peer,
	    p->tls_info.reason);
	say_certificate(c, p);
	c->tls_reminded = false;
	c->tls_asked_ms = clock_now_ms();
	chat_info(c, _("accept it?  y: this once, a: always (pinned for %s, "
	    "trusted without asking next time), n or Esc: refuse"),
	    p->tls_hostport);
	c->dirty |= UI_ALL;
}

/* The user's answer to the question. */
static void
answer(struct chat *c, bool accept, bool always)
{
	struct peer *p = c->p;
	char err[512], peer[sizeof p->s.peer], hostport[sizeof p->tls_hostport];

	snprintf(peer, sizeof peer, "%s", p->s.peer);
	snprintf(hostport, sizeof hostport, "%s", p->tls_hostport);
	if (accept && !always)
		chat_info(c, _("you accepted the certificate of %s this once"),
		    peer);
	/* refused: the closed hook says so, with the peer's end */
	if (peer_trust(p, accept, always, err, sizeof err) == -1) {
		chat_info(c, _("the pin for %s cannot be kept: %s; the "
		    "question is still open (y accepts this once, n refuses)"),
		    hostport,
		    err);
		return;
	}
	if (always)
		chat_info(c, _("the certificate of %s is pinned for %s in %s/"
		    "known_hosts: trusted without asking from now on"), peer,
		    hostport, p->state_dir);
	c->dirty |= UI_ALL;
}

static bool
asking(const struct chat *c)
{
	return c->p->have_s && c->p->asking;
}

bool
chat_tls_keys_cb(void *arg, const char *keys, size_t n)
{
	struct chat *c = arg;

	if (!asking(c) || n == 0)
		return false;
	/* scroll and function keys, Alt-x, Ctrl-L: as ever */
	if ((n > 1 && keys[0] == ESC) || (n == 1 && keys[0] == '\f'))
		return false;
	/* one key alone: a paste holding a y is no answer; nor is a key
	 * typed as the question appeared, meant for the line being typed
	 * (refusing is safe at any time) */
	if (n == 1 && clock_now_ms() - c->tls_asked_ms >= CHAT_TLS_ANSWER_MS) {
		switch (keys[0]) {
		case 'y': case 'Y':
			answer(c, true, false);
			return true;
		case 'a': case 'A':
			answer(c, true, true);
			return true;
		}
	}
	if (n == 1) {
		switch (keys[0]) {
		case 'n': case 'N': case ESC:
			answer(c, false, false);
			return true;
		}
	}
	if (!c->tls_reminded) {
		c->tls_reminded = true;
		chat_info(c, _("answer the question about the certificate of "
		    "%s first: y accepts it this once, a always, n or Esc "
		    "refuses"),
		    c->p->s.peer);
	}
	return true;
}

bool
chat_tls_interrupt(struct chat *c)
{
	if (!asking(c))
		return false;
	answer(c, false, false);
	return true;
}

void
chat_tls_start(struct chat *c)
{
	const struct peer *p = c->p;
	const char *fp;

	if (!p->listening || p->tls_ctx == NULL)
		return;
	if (p->tls_note[0] != '\0')
		chat_info(c, "%s", p->tls_note);
	fp = tls_ctx_fingerprint(p->tls_ctx);
	if (fp[0] != '\0')
		chat_info(c, _("your TLS certificate, for the other side's "
		    "--tls-pin: %s"), fp);
}

void
chat_tls_help(struct chat *c)
{
	const struct peer *p = c->p;

	if (p->listening && p->tls_ctx != NULL &&
	    tls_ctx_fingerprint(p->tls_ctx)[0] != '\0')
		chat_info(c, _("your TLS certificate: %s"),
		    tls_ctx_fingerprint(p->tls_ctx));
}

void
chat_tls_show(struct chat *c)
{
	const struct peer *p = c->p;
	const struct tls_info *i = &p->tls_info;
	char who[300];

	chat_tls_help(c);
	if (!p->have_s) {
		chat_info(c, "%s", _("not connected: no TLS to show"));
		return;
	}
	if (p->s.st.tls == NULL) {
		if (p->listening)
			chat_info(c, _("the connection with %s is not TLS"),
			    p->s.peer);
		else
			chat_info(c, _("the connection with %s is not TLS; "
			    "/starttls starts it after the server's go-ahead"),
			    p->s.peer);
		return;
	}
	if (!p->secure && !p->asking) {
		chat_info(c, _("the TLS handshake with %s is still going on"),
		    p->s.peer);
		return;
	}
	chat_info(c, _("TLS with %s: version %s, cipher %s"), p->s.peer,
	    i->version, i->cipher);
	if (i->alpn[0] != '\0')
		chat_info(c, _("ALPN protocol: %s"), i->alpn);
	else
		chat_info(c, "%s", _("no ALPN protocol was agreed"));
	say_certificate(c, p);
	if (p->asking)
		chat_info(c, _("trust: not decided yet (%s): y, a or n answers"),
		    i->reason);
	else
		chat_info(c, _("trust: %s"), who_words(p, who, sizeof who));
}

void
chat_tls_starttls(struct chat *c)
{
	char err[512];
	bool said = c->p->have_s && c->p->s.st.tls == NULL &&
	    !c->p->listening;	/* a listener is refused: say only that */

	/* first: a quick handshake may be done, and said, inside the call */
	if (said)
		chat_info(c, _("starting TLS with %s..."), c->p->s.peer);
	if (peer_starttls(c->p, err, sizeof err) == -1)
		chat_info(c, _("cannot start TLS: %s"), err);
	c->dirty |= UI_STATUS;
}

void
chat_tls_facts(struct chat *c, struct status_facts *f)
{
	const struct peer *p = c->p;

	if (!p->have_s || p->s.st.tls == NULL) {
		if (!p->have_s && p->listening && p->tls_ctx != NULL)
			f->tls_fingerprint = tls_ctx_fingerprint(p->tls_ctx);
		return;
	}
	if (p->asking) {
		f->hint = _("the certificate is not trusted: y accepts it "
		    "once, a always, n refuses");
		return;
	}
	if (!p->secure) {
		f->tls_handshake = true;
		return;
	}
	f->tls_version = p->tls_info.version;
	f->tls_cipher = p->tls_info.cipher;
	if (p->accepted_once || p->tls_info.trust == TLS_TRUST_INSECURE) {
		f->tls_unverified = true;
		/* TRANSLATORS: in the status line, as UNVERIFIED (%s). */
		f->tls_who = p->accepted_once ? _("accepted once") :
		    "--tls-insecure";
	} else {
		f->tls_who = tls_trust_words(&p->tls_info, c->tls_who,
		    sizeof c->tls_who);
	}
}

void
chat_tls_opened(struct chat *c)
{
	c->tls_log_said = false;
	c->tls_reminded = false;
}

bool
chat_tls_closed(struct chat *c, struct peer *p, enum peer_end why,
    char *msg, size_t len)
{
	if (p->s.st.tls == NULL)
		return false;
	say_exchange(c, p);	/* a failed STARTTLS: what the server said */
	if (p->s.st.truncated)
		chat_info(c, _("%s ended the TLS stream without close_notify: "
		    "what came may be cut short"), p->s.peer);
	if (p->secure || p->s.error == 0)
		return false;
	if (p->s.phase == SESSION_HELD) {
		/* the certificate was judged: refused by us, or by the pin */
		snprintf(msg, len, _("closed the connection with %s: %s"),
		    p->s.peer, session_error_text(&p->s));
		/* end keys: status.c says each in a sentence of its own */
		c->end_word = p->tls_info.trust == TLS_TRUST_CHANGED ?
		    "cert-changed" : "cert-refused";
		return true;
	}
	if (why == PEER_END_ERROR) {
		snprintf(msg, len, _("TLS with %s failed: %s"), p->s.peer,
		    session_error_text(&p->s));
		c->end_word = "tls-failed";
		return true;
	}
	return false;
}
