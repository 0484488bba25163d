/*
 * fakecat.h - a made-up catalogue for unit tests of translated output:
 * the test executable's gettext family comes before libc's, and answers
 * from fakecat (pairs of msgid and translation, NULL-ended) while it is
 * set.  An optimised build's libintl.h calls the dc* forms, so those are
 * here too.  Include it once, in a test built without NO_NLS.
 */
#ifndef FAKECAT_H
#define FAKECAT_H

#include <string.h>

static const char *const *fakecat;	/* NULL: every msgid as it is */

char *gettext(const char *);
char *ngettext(const char *, const char *, unsigned long);
char *dcgettext(const char *, const char *, int);
char *dcngettext(const char *, const char *, const char *, unsigned long,
    int);

char *
gettext(const char *msgid)
{
	size_t i;

	for (i = 0; fakecat != NULL && fakecat[i] != NULL; i += 2)
		if (strcmp(fakecat[i], msgid) == 0)
			return (char *)fakecat[i + 1];
	return (char *)msgid;
}

/* zh_CN has one form: a plural's translation is keyed by its singular */
char *
ngettext(const char *one, const char *many, unsigned long n)
{
	const char *t = gettext(one);

	return (char *)(t != one ? t : n == 1 ? one : many);
}

char *
dcgettext(const char *domain, const char *msgid, int category)
{
	(void)domain;
	(void)category;
	return gettext(msgid);
}

char *
dcngettext(const char *domain, const char *one, const char *many,
    unsigned long n, int category)
{
	(void)domain;
	(void)category;
	return ngettext(one, many, n);
}

#endif
