/* starttls.c - the plain exchange before STARTTLS (see starttls.h). */
#include <stdio.h>
#include <string.h>

#include "starttls.h"

int
starttls_proto_parse(const char *s, enum starttls_proto *p)
{
	static const char *const names[] = { "smtp", "imap", "pop3" };
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*p = (enum starttls_proto)i;
			return 0;
		}
	return -1;
}

void
starttls_init(struct starttls *st, enum starttls_proto proto, const char *name)
{
	memset(st, 0, sizeof *st);
	st->proto = proto;
	snprintf(st->name, sizeof st->name, "%s",
	    name != NULL && *name != '\0' ? name : "localhost");
}

enum starttls_result
starttls_feed(struct starttls *st, const char *p, size_t n, size_t *used)
{
	(void)p;
	*used = n;
	snprintf(st->err, sizeof st->err, "%s", "STARTTLS is not done yet");
	return STARTTLS_FAILED;
}

const char *
starttls_out(struct starttls *st, size_t *len)
{
	*len = st->outlen;
	st->outlen = 0;
	return st->out;
}
