/* SPDX-License-Identifier: MIT */
/*
 * limiter.h - token buckets keyed by a string (a hook id, or a client key for the global
 * limiter), in memory, thread-safe.
 *
 * A bucket holds up to `capacity` tokens and refills at `rate` tokens per second; a request
 * takes one. This is the same as the GCRA that Mattermost's limiter uses (throttled), where
 * capacity = MaxBurst + 1. The table holds at most max_keys buckets; when it is full the least
 * recently used of a few sampled buckets is evicted (an approximation of Mattermost's LRU store).
 * Keys may be credentials (hook ids): they are never logged or exported.
 */
#ifndef GR_APP_LIMITER_H
#define GR_APP_LIMITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gr_limiter;

/* What a limited client is told (spec mattermost-compat §7.2). */
struct gr_limit_info {
    long limit;       /* X-Ratelimit-Limit: the bucket capacity */
    long remaining;   /* X-Ratelimit-Remaining: whole tokens left after this request */
    long reset_s;     /* X-Ratelimit-Reset: seconds until the bucket is full again (rounded up) */
    long retry_after; /* Retry-After: seconds until one token is available (only when refused) */
};

struct gr_limiter *gr_limiter_new(size_t max_keys);
void gr_limiter_free(struct gr_limiter *l);

/* Takes one token from key's bucket at monotonic time now_ns. Returns true if allowed. info
 * (may be NULL) is filled either way. rate <= 0 means unlimited (always true). */
bool gr_limiter_take(struct gr_limiter *l, const char *key, double rate, double capacity,
                     int64_t now_ns, struct gr_limit_info *info);
/* Takes up to `want` tokens at once; returns how many were taken (0..want). */
long gr_limiter_take_n(struct gr_limiter *l, const char *key, double rate, double capacity,
                       long want, int64_t now_ns);
/* Seconds (fractional) until key's bucket holds one token; 0 if it has one now. */
double gr_limiter_wait_s(struct gr_limiter *l, const char *key, double rate, double capacity,
                         int64_t now_ns);

#endif
