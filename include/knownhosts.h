/*
 * knownhosts.h - the text of state_dir/known_hosts: one line
 * "HOSTPORT sha256:AB:CD:..." per peer the user chose to trust "always".
 * Comments ('#'), blank lines and lines we cannot read are kept as they
 * are.  The key is everything before the last blank, so a Unix socket
 * path with spaces works.  Pure: the caller reads and writes the file.
 */
#ifndef TCPTALK_KNOWNHOSTS_H
#define TCPTALK_KNOWNHOSTS_H

#include <stdbool.h>
#include <stddef.h>

#define KNOWNHOSTS_HEX_LEN	65	/* 64 hex digits and a NUL */

struct knownhosts_line {
	const char	*key;		/* not NUL-terminated */
	size_t		 keylen;
	const char	*fp;		/* the fingerprint as written */
	size_t		 fplen;
};

/* One line (without its newline): true and its parts if it is "KEY FP";
 * false for a comment, a blank line or one that is not a pin. */
bool	knownhosts_parse(const char *line, size_t len,
	    struct knownhosts_line *);
/* The fingerprint "sha256:AB:CD:..." (or plain hex; any case, colons
 * optional) as 64 lower-case hex digits; false if it is not one. */
bool	knownhosts_fp_hex(const char *fp, size_t len,
	    char hex[KNOWNHOSTS_HEX_LEN]);
/* Can key be stored?  (non-empty, no control character, no blank at
 * either end, no '#' first) */
bool	knownhosts_key_ok(const char *key);
/* The pin for key in text, as 64 lower-case hex digits; false if none. */
bool	knownhosts_find(const char *text, size_t len, const char *key,
	    char hex[KNOWNHOSTS_HEX_LEN]);
/*
 * A new text: text with key's line replaced by "key fp" (at the place of
 * the first, other lines for key dropped; appended if there is none).
 * Returns it malloc'd and NUL-terminated, its length in *outlen; NULL with
 * errno EINVAL if key or fp cannot be stored, ENOMEM.
 */
char	*knownhosts_replace(const char *text, size_t len, const char *key,
	    const char *fp, size_t *outlen);

#endif
