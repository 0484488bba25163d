/* session.h - one connection: its buffers, half-close state and poll interest. */
#ifndef TCPTALK_SESSION_H
#define TCPTALK_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crlf.h"
#include "udp.h"
#include "stream.h"

struct starttls;

#define SESSION_TAP_IN	'<'	/* received from the peer */
#define SESSION_TAP_OUT	'>'	/* sent to the peer */

/*
 * Sees the bytes as they cross the socket: called after every read (dir
 * SESSION_TAP_IN) and every write (SESSION_TAP_OUT) that moved bytes, with
 * those bytes and how many went that way before them.  Only bytes held in
 * memory can be seen: a direction spliced through a kernel pipe
 * (SESSION_SPLICE_*) is not tapped, so a mode that taps asks for none.
 */
typedef void session_tap_fn(void *arg, char dir, uint64_t offset,
    const char *bytes, size_t n);

/*
 * Where a connection is.  A plain one is OPEN from the start; a TLS one
 * goes through the STARTTLS exchange (--starttls), the handshake, and is
 * HELD, moving no data, while the peer module judges the certificate (and
 * the chat may ask the user).  Bytes may be queued in every phase; they
 * move once OPEN.
 */
enum session_phase {
	SESSION_OPEN,
	SESSION_STARTTLS,	/* plain lines before the TLS go-ahead */
	SESSION_HANDSHAKE,
	SESSION_HELD		/* handshake done, trust not yet decided */
};

struct session {
	struct stream	 st;		/* the socket (st.fd) and its TLS */
	enum session_phase phase;
	struct starttls	*stls;		/* SESSION_STARTTLS: the exchange */
	char		 stls_out[512];	/* its bytes not yet written */
	size_t		 stls_outlen;
	char		 errmsg[640];	/* the error in words, when errno
					 * alone does not say (TLS) */
	char		 peer[80];	/* "addr:port" */
	struct buf	 in;		/* peer -> us */
	struct buf	 out;		/* us -> peer */
	bool		 peer_eof;	/* the peer sent FIN */
	bool		 local_eof;	/* nothing more to send: FIN once out drains */
	bool		 shut_wr;	/* our FIN is sent */
	bool		 shut_busy;	/* TLS: close_notify waits for the socket */
	bool		 no_shutdown;	/* --no-shutdown: never send FIN */
	int		 error;		/* errno that broke the connection, 0 if none */
	uint64_t	 bytes_in;
	uint64_t	 bytes_out;
	int64_t		 started_ms;
	int64_t		 active_ms;	/* last byte either way */
	struct crlf	 crlf;
	session_tap_fn	*tap;		/* NULL: nobody looks */
	void		*tap_arg;
	struct udp	 udp;		/* -u: set after session_init; then a
					 * read is one datagram, each queued
					 * line or chunk goes as one, a read
					 * of 0 bytes is an empty datagram */
};

#define SESSION_SPLICE_IN	0x1	/* hold peer bytes in a kernel pipe */
#define SESSION_SPLICE_OUT	0x2	/* hold bytes to send in a kernel pipe */

int	session_init(struct session *, int fd, const char *peer, size_t incap,
	    size_t outcap, int flags);
void	session_free(struct session *);
/* What to poll the socket for now: POLLIN while there is room and the
 * peer may still send, POLLOUT while bytes wait to go. */
short	session_events(const struct session *);
/* Bytes read (>0), 0 at the peer's FIN, BUF_AGAIN, or -1 (s->error set). */
ssize_t	session_on_readable(struct session *);
/* Send what is queued; sends FIN once drained after session_end_input. */
ssize_t	session_on_writable(struct session *);
/* Act on poll's revents for the socket: read (also after POLLHUP, to get
 * the EOF or the error), take the error on POLLERR even when there was no
 * room to read, then write.  Returns the bytes read, or <= 0. */
ssize_t	session_on_poll(struct session *, short revents);
/* We have nothing more to send. */
void	session_end_input(struct session *);
/* Queue a typed line and its line end (CRLF if crlf); all or nothing.
 * Returns -1 when the queue has no room for it. */
int	session_submit(struct session *, const char *line, size_t len, bool crlf);
/* Queue bytes as they are (/raw, /send); all or nothing.  -1 when the
 * queue has no room for them, or nothing more may be sent. */
int	session_queue(struct session *, const char *, size_t);
/* Nothing can move any more: error, or FIN both ways with out drained. */
bool	session_finished(const struct session *);
/* The error in words: errmsg, or strerror(error). */
const char *session_error_text(const struct session *);
/*
 * TLS over the socket: tls (made by the caller, owned by the session from
 * now) takes over, after the STARTTLS exchange when stls is given (owned
 * too).  Only while no queued byte waits (it would go out encrypted).
 * The handshake starts at once; -1 if bytes wait or no TLS is possible.
 */
int	session_start_tls(struct session *, struct tls *, struct starttls *);
/* HELD -> OPEN: the certificate is accepted; queued bytes may move. */
void	session_open(struct session *);
/* End it with this error (errno e, and the words if msg is not NULL). */
void	session_fail(struct session *, int e, const char *msg);
/* Bytes received and decrypted, waiting with no poll event to come:
 * read them now (session_on_poll with POLLIN) while s.in has room. */
bool	session_has_pending(const struct session *);

#endif
