/*
 * tcppanel.h - the /tcp panel's table: one connection's TCP facts (struct
 * tcpinfo, its two addresses, how long it has lasted) as labelled rows
 * with values in their units, those rows laid out in aligned columns for
 * a width, and /tcp help's explanations.  Pure: chat_tcppanel.c brings
 * the facts and shows the lines.
 */
#ifndef TCPTALK_TCPPANEL_H
#define TCPTALK_TCPPANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpinfo.h"

/* The facts of one connection, live or as it ended. */
struct tcppanel_in {
	const struct tcpinfo	*ti;
	const char		*local;		/* "addr:port"; NULL: not known */
	const char		*remote;
	int64_t			 connected_ms;	/* how long; < 0: not known */
	/* The kernel's byte counts are of sequence numbers: a SYN and a FIN
	 * take one each.  What the caller knows of them: */
	bool			 dialled;	/* we sent the SYN (connect mode) */
	bool			 fin_in;	/* the peer's FIN arrived */
	bool			 fin_out;	/* ours was acknowledged (what
						 * CLOSE alone does not say) */
};

/* The headings the rows sit under, in the table's order. */
enum tcppanel_section {
	TCPPANEL_SEC_CONN,	/* state, addresses, time */
	TCPPANEL_SEC_RTT,	/* round trip, RTO, retransmissions */
	TCPPANEL_SEC_WINDOWS,	/* MSS, cwnd, ssthresh, both windows */
	TCPPANEL_SEC_DATA,	/* bytes, segments, delivery rate */
	TCPPANEL_SEC_LIMITS,	/* what held sending back */
	TCPPANEL_SEC_QUEUES,	/* in flight, unsent, unread */
	TCPPANEL_NSECTIONS
};

#define TCPPANEL_TEXT_MAX	96	/* bytes of a row's value text */

struct tcppanel_row {
	enum tcppanel_section	 section;
	const char		*label;	/* a whole phrase: "Smoothed round-trip
					 * time (RTT)" */
	bool			 known;	/* false: text says why not */
	bool			 alert;	/* a retransmission: worth a colour */
	uint64_t		 value;	/* in the row's unit (µs, bytes,
					 * segments, ...); 0 when not known */
	char			 text[TCPPANEL_TEXT_MAX];	/* "0.050 ms" */
};

#define TCPPANEL_NROWS	29

/* Fill rows (TCPPANEL_NROWS of them) from the facts; returns the count.
 * A fact the kernel does not give reads as such, never as 0. */
size_t	tcppanel_rows(const struct tcppanel_in *, struct tcppanel_row *rows);
/* The heading of a section, a whole phrase. */
const char *tcppanel_section_name(enum tcppanel_section);
/* "ESTABLISHED: both sides may send" for a Linux TCP state number. */
const char *tcppanel_state_words(int state);

/* One line of the laid-out table. */
enum tcppanel_kind { TCPPANEL_PLAIN, TCPPANEL_HEAD, TCPPANEL_ALERT };

#define TCPPANEL_LINE_MAX	512	/* bytes of a line (two columns, UTF-8) */
#define TCPPANEL_TWO_MIN	100	/* two columns from this width on */
/* A value under its label, when label and value do not fit on one line,
 * wraps onto at most this many lines. */
#define TCPPANEL_WRAP		4
/* The most lines any width gives. */
#define TCPPANEL_MAX_LINES	\
	(TCPPANEL_NSECTIONS + (1 + TCPPANEL_WRAP) * TCPPANEL_NROWS)

struct tcppanel_line {
	enum tcppanel_kind	 kind;
	char			 text[TCPPANEL_LINE_MAX];
};

/*
 * Lay n rows out for cols columns (display columns: a wide character
 * takes two): labels padded so values line up, a value too long for the
 * columns left wrapped under itself (or, when few are left, below its
 * label); a heading per section; from TCPPANEL_TWO_MIN columns, when the
 * values have room, two halves side by side without headings (short
 * enough for the panel of a 30-row terminal).  Returns the number of
 * lines stored (at most max).
 */
size_t	tcppanel_layout(const struct tcppanel_row *rows, size_t n, int cols,
	    struct tcppanel_line *out, size_t max);

/* /tcp help: TCPPANEL_NHELP sentences, one per row or group of rows,
 * each tying it to what the tutorial teaches. */
#define TCPPANEL_NHELP	18
const char *tcppanel_help(size_t i);

#endif
