/* clock.h - the one monotonic clock every module measures time with. */
#ifndef TCPTALK_CLOCK_H
#define TCPTALK_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC: for timeouts and durations only. */
int64_t	clock_now_ms(void);
/* Microseconds on the same clock: for the short spans shown (a handshake). */
int64_t	clock_now_us(void);
/* Milliseconds since the epoch (CLOCK_REALTIME): for times shown to people. */
int64_t	clock_wall_ms(void);

#endif
