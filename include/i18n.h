/*
 * i18n.h - the gettext marks, and the only file that includes libintl.h.
 *
 * _(s) translates a sentence where it is used; N_(s) only marks one for
 * xgettext (a static table's entry, translated with _() where it is shown);
 * P_(one, many, n) picks the plural form for n ("1 peer waiting",
 * "3 peers waiting").  With NO_NLS (make NO_NLS=1) they are the identity and
 * nothing of libintl is referenced.
 */
#ifndef TCPTALK_I18N_H
#define TCPTALK_I18N_H

#ifndef NO_NLS
#include <libintl.h>
#define _(s)		gettext(s)
#define P_(s, p, n)	ngettext((s), (p), (n))
#else
#define _(s)		(s)
#define P_(s, p, n)	((n) == 1 ? (s) : (p))
#endif
#define N_(s)		(s)

#endif /* TCPTALK_I18N_H */
