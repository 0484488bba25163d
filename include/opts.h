/* opts.h - the command line as a struct. */
#ifndef TCPTALK_OPTS_H
#define TCPTALK_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#define OPTS_NO_TIMEOUT	(-1)	/* a timeout that is not set */
#define OPTS_SCROLLBACK_DEFAULT 10000

/* --proxy-type */
#define OPTS_PROXY_HTTP		0
#define OPTS_PROXY_SOCKS4	1
#define OPTS_PROXY_SOCKS5	2

struct tt_opts {
	bool		 listen;	/* -l */
	bool		 keep_open;	/* -k */
	int		 family;	/* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
	const char	*host;		/* connect: peer; listen: bind address or NULL */
	const char	*port;		/* validated port number or service name */
	const char	*source_addr;	/* -s */
	const char	*source_port;	/* -p in connect mode */
	bool		 numeric;	/* -n */
	int		 wait_ms;	/* -w, connect timeout */
	int		 idle_ms;	/* -i */
	int		 quit_ms;	/* -q */
	bool		 no_shutdown;	/* --no-shutdown */
	bool		 crlf;		/* -C */
	bool		 verbose;	/* -v */
	bool		 timestamps;	/* -t */
	bool		 line_mode;	/* --line */
	bool		 no_history;	/* --no-history */
	long		 scrollback;	/* --scrollback */
	const char	*hex_dump;	/* -x FILE */
	const char	*output;	/* -o FILE: the transcript */
	const char	*proxy;		/* --proxy HOST:PORT as given */
	char		 proxy_host[256];	/* its HOST, without [] */
	const char	*proxy_port;	/* its PORT */
	const char	*proxy_type_arg; /* --proxy-type as given */
	int		 proxy_type;	/* OPTS_PROXY_* */
	const char	*proxy_auth;	/* --proxy-auth USER:PASS */
	const char	*unix_path;	/* -U PATH: a Unix socket, "@name" abstract */
	bool		 udp;		/* -u: datagrams */
	/* TLS (--tls and the --tls-* options; --starttls implies --tls) */
	bool		 tls;		/* --tls */
	const char	*tls_ca;	/* --tls-ca FILE: extra trust */
	const char	*tls_pin;	/* --tls-pin sha256:HEX as given */
	char		 tls_pin_hex[65];	/* its 64 hex digits, lower case */
	bool		 tls_insecure;	/* --tls-insecure */
	const char	*tls_sni;	/* --tls-sni NAME */
	const char	*tls_cert;	/* --tls-cert FILE */
	const char	*tls_key;	/* --tls-key FILE (default: tls_cert) */
	const char	*tls_alpn;	/* --tls-alpn LIST, comma-separated */
	const char	*tls_verify_client;	/* --tls-verify-client CAFILE (-l) */
	const char	*starttls_arg;	/* --starttls smtp|imap|pop3 as given */
	int		 starttls;	/* enum starttls_proto, or -1 */
	const char	*stats_json;	/* --stats-json FILE */
	bool		 trace;		/* --trace: capture our segments */
	/* rooms (-l only) */
	bool		 room;		/* --room: many peers, names, lines */
	bool		 broker;	/* --broker: many peers, bytes */
	int		 max_peers;	/* --max-peers N; 0: the default */
	long		 peer_queue;	/* --peer-queue SIZE in bytes; 0: default */
	const char	*nick;		/* --nick NAME: the listener's name */
};

enum opts_result {
	OPTS_OK,
	OPTS_HELP,	/* -h: print usage, exit 0 */
	OPTS_VERSION,	/* -V */
	OPTS_ERROR	/* err holds a one-line message; exit 2 */
};

enum opts_result opts_parse(struct tt_opts *, int argc, char **argv,
		    char *err, size_t errlen);
/* A port: 1..65535 or a known service name. */
bool	opts_valid_port(const char *s);
/* Seconds as "N" or "N.N" (0 <= s <= 1e6) into milliseconds; false if bad. */
bool	opts_parse_seconds(const char *s, int *ms);
const char *opts_usage(void);

#endif
