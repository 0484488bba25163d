/*
 * starttls.h - the plain-text exchange before a STARTTLS handshake
 * (--starttls smtp|imap|pop3), as `openssl s_client -starttls` does it:
 * wait for the greeting, ask for the capabilities where the protocol has
 * them, send the STARTTLS command and wait for the go-ahead.  Pure: bytes
 * from the server go in, bytes to send come out; the caller moves them.
 *
 *   SMTP: 220 greeting (multi-line "220-" too) -> "EHLO name" -> 250 reply
 *         listing STARTTLS -> "STARTTLS" -> 220
 *   IMAP: "* OK" greeting -> "a1 CAPABILITY" -> a line with STARTTLS and
 *         "a1 OK" -> "a2 STARTTLS" -> "a2 OK"
 *   POP3: "+OK" greeting -> "STLS" -> "+OK"
 *
 * Lines end in CRLF both ways (a bare LF from the server is accepted).
 */
#ifndef TCPTALK_STARTTLS_H
#define TCPTALK_STARTTLS_H

#include <stdbool.h>
#include <stddef.h>

enum starttls_proto {
	STARTTLS_SMTP,
	STARTTLS_IMAP,
	STARTTLS_POP3
};

enum starttls_result {
	STARTTLS_MORE,		/* send what starttls_out holds, read more */
	STARTTLS_DONE,		/* go-ahead received: start the handshake */
	STARTTLS_FAILED		/* err says why, one line */
};

#define STARTTLS_LINE_MAX	1024	/* a longer server line is an error */
#define STARTTLS_LOG_MAX	4096

struct starttls {
	enum starttls_proto proto;
	int		 state;		/* private */
	char		 name[256];	/* EHLO argument */
	char		 line[STARTTLS_LINE_MAX];	/* the server's partial line */
	size_t		 linelen;
	char		 out[512];	/* to send, starttls_out takes it */
	size_t		 outlen;
	bool		 offered;	/* the capabilities listed STARTTLS */
	char		 err[320];
	/* The exchange so far, for the user: "< 220 mx ESMTP\n> EHLO me\n",
	 * received lines sanitized (no control bytes), cut at LOG_MAX. */
	char		 log[STARTTLS_LOG_MAX];
	size_t		 loglen;
	/* private: the SMTP reply being read (its code, lines so far) and
	 * the capabilities seen, for the error when STARTTLS is not there */
	int		 code;
	int		 nlines;
	char		 caps[200];
	size_t		 capslen;
};

/* "smtp", "imap", "pop3" -> 0 and *p; -1 for anything else. */
int	starttls_proto_parse(const char *, enum starttls_proto *);
/* name: the EHLO name (the local host name); NULL or "" -> "localhost". */
void	starttls_init(struct starttls *, enum starttls_proto, const char *name);
/*
 * n bytes from the server.  *used says how many were taken: after DONE
 * any byte left over is the server talking before the handshake, which
 * the caller treats as an error (a STARTTLS injection, CVE-2011-0411).
 * FAILED: the server refused, closed (n == 0 means its EOF), or spoke
 * something else; err quotes its line ("the server refused STARTTLS:
 * 454 TLS not available").
 * Take starttls_out after every MORE before feeding more: the server
 * cannot have read a command we have not sent, so bytes that come while
 * one is still waiting in out (or after the line that made it, in the
 * same chunk) are the server talking out of turn, and FAILED.  On MORE
 * every byte is taken (*used == n).
 */
enum starttls_result starttls_feed(struct starttls *, const char *, size_t n,
		    size_t *used);
/* Bytes to send now (maybe none); taking them empties the buffer. */
const char *starttls_out(struct starttls *, size_t *len);

#endif
