/* SPDX-License-Identifier: MIT */
/* gtime.h - clocks: wall-clock milliseconds (what Mattermost stores) and a monotonic clock. */
#ifndef GR_CORE_GTIME_H
#define GR_CORE_GTIME_H

#include <stdint.h>

/* Unix time in milliseconds (CLOCK_REALTIME). */
int64_t gr_time_now_ms(void);
/* Monotonic nanoseconds, for durations and rate limiting; never goes backwards. */
int64_t gr_time_mono_ns(void);

#endif
