/* i18n.h: message catalogue macros; gettext unless built with NO_NLS. */
#ifndef TT_I18N_H
#define TT_I18N_H

#ifndef NO_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)
#define P_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) (s)
#define N_(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif

#endif
