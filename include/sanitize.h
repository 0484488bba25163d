/* sanitize.h - peer bytes to text that is safe to show on a terminal. */
#ifndef TCPTALK_SANITIZE_H
#define TCPTALK_SANITIZE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Valid UTF-8 is kept; ESC and other C0 controls become ^[ ^A ..., DEL ^?,
 * C1 controls and bidirectional overrides \u009b, invalid bytes \xff, each
 * escape wrapped in WIDTH_DIM_ON/OFF; tabs expand to spaces up to the next
 * multiple of 8 columns, after a WIDTH_TAB mark (no column) for /show.
 * dropped > 0 appends a visible "[+N bytes]" marker.  Returns a NUL-ended
 * malloc'd string (length in *outlen), or NULL when out of memory.
 */
char	*sanitize_line(const char *in, size_t n, uint64_t dropped, size_t *outlen);
/*
 * For text relayed to other terminals (rooms): n bytes to at most n bytes
 * at out with every control and escape sequence removed (ESC sequences,
 * CSI/OSC/DCS strings, C1 and bidi controls, C0 controls but the tab),
 * valid UTF-8 kept, an invalid byte as '?'.  Returns the length written.
 */
size_t	sanitize_strip(const char *in, size_t n, char *out);
/* C1 controls and the bidi controls that reorder or hide text. */
bool	sanitize_format_control(uint32_t cp);

#endif
