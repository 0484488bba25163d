/* status.h - the chat's status line as text, from plain facts (pure). */
#ifndef TCPTALK_STATUS_H
#define TCPTALK_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum status_phase {
	STATUS_WAITING,		/* listening, no peer yet */
	STATUS_CONNECTED,
	STATUS_GONE		/* the peer left: name and totals stay */
};

struct status_facts {
	enum status_phase phase;
	const char	*where;		/* "listening on ..." or "HOST PORT" */
	const char	*peer;		/* the peer's address, NULL if none yet */
	bool		 listening;
	bool		 udp;		/* -u: a listener says "udp peer" */
	bool		 peer_eof;	/* the peer finished sending */
	bool		 local_eof;	/* we closed our side */
	const char	*end;		/* STATUS_GONE: a key, "closed", "reset",
					 * "tls-failed" ...: status.c words it */
	int64_t		 secs;		/* connected for (or: lasted) */
	uint64_t	 bytes_in, bytes_out;
	size_t		 queued;	/* bytes waiting to be sent */
	bool		 queue_full;
	bool		 crlf;
	int		 waiting;	/* -k: peers accepted, not yet taken */
	bool		 leaving;	/* /quit: sending what is queued first */
	const char	*hint;		/* what to do now, e.g. how to leave */
	/* /send: a file going out, shown as "sending [#####.....] 45%
	 * 22.5/50.0 MiB 80.0 MiB/s 0:01 left" (no size: "sending 22.5 MiB
	 * 80.0 MiB/s", as is one past its size); a narrow line loses the
	 * bar first */
	bool		 sending;
	uint64_t	 send_done;	/* bytes of it sent so far */
	uint64_t	 send_total;	/* its size, if send_sized */
	bool		 send_sized;	/* false: a FIFO or device, no end known */
	bool		 send_waiting;	/* a FIFO that no writer opened yet */
	uint64_t	 send_rate;	/* bytes a second lately; 0: not known yet */
	int64_t		 send_left;	/* seconds to go; -1: not known */
	/* TLS: "TLS handshake..." while it (or the STARTTLS exchange before
	 * it) goes on; once done "TLSv1.3 TLS_AES_256_GCM_SHA384 verified
	 * example.com", the cipher left out first on a narrow line.  An
	 * unverified peer (--tls-insecure, a certificate accepted once) reads
	 * "TLSv1.3 UNVERIFIED (why)" and stays to the last. */
	bool		 tls_handshake;
	const char	*tls_version;	/* NULL: no TLS (yet) */
	const char	*tls_cipher;	/* NULL: not said */
	const char	*tls_who;	/* "verified example.com", "pinned";
					 * unverified: why, or NULL */
	bool		 tls_unverified;
	/* STATUS_WAITING, a TLS listener: its certificate, for the other
	 * side's --tls-pin; the first fact to go on a narrow line */
	const char	*tls_fingerprint;
	/* STATUS_GONE: it ended in a refusal (a certificate) or a failed
	 * handshake, which the line must not make look like a normal end */
	bool		 end_alert;
	/* TCP (Linux): "rtt 0.05 ms  retrans 0", and while bytes wait for
	 * the peer's ACK or in our kernel queue "in flight 1.5 KiB  unsent
	 * 2.0 KiB", after TLS's facts; on a narrow line these go before the
	 * byte counts and TLS's */
	bool		 tcp;
	uint32_t	 tcp_rtt_us;	/* smoothed */
	uint32_t	 tcp_retrans;	/* retransmissions so far */
	uint64_t	 tcp_unacked;	/* sent, not yet acknowledged */
	uint64_t	 tcp_unsent;	/* in the kernel's queue, not yet sent */
};

/*
 * Write the status line; each fact said once.  When it is wider than cols
 * (0: no limit), the least important facts are left out first, and what
 * is left is cut with an ellipsis.  Returns out.
 */
char	*status_text(const struct status_facts *, int cols, char *out,
	    size_t outlen);
/* Is the line to be shown in the alarm colour: an unverified TLS peer,
 * or an end in a refusal? */
bool	status_alert(const struct status_facts *);
/* Does the text show a running clock (then it needs a tick a second)? */
bool	status_ticks(const struct status_facts *);
/* Bytes as "512 B", "1.5 KiB", "3.2 MiB", "1.1 GiB". */
void	status_bytes(char *out, size_t outlen, uint64_t n);
/* Microseconds (an RTT) as "0.050 ms", "1.50 ms", "12.3 ms", "1.20 s". */
void	status_us(char *out, size_t outlen, uint32_t us);

#endif
