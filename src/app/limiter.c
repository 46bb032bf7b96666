/* SPDX-License-Identifier: MIT */
/*
 * limiter.c - see limiter.h. An open-addressing hash table of buckets behind one mutex: the
 * critical section is a few arithmetic operations, far cheaper than the request around it.
 */
#include "app/limiter.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define KEY_MAX 64
#define SAMPLE 8

struct bucket {
    char key[KEY_MAX]; /* "" = free slot */
    double tokens;
    int64_t last_ns;
};

struct gr_limiter {
    pthread_mutex_t mu;
    struct bucket *slots;
    size_t nslots; /* power of two, at least 2 * max_keys */
    size_t used;
    size_t max_keys;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

struct gr_limiter *gr_limiter_new(size_t max_keys)
{
    struct gr_limiter *l = gr_xcalloc(1, sizeof *l);
    size_t n = 16;

    if (max_keys < 1)
        max_keys = 1;
    while (n < 2 * max_keys)
        n *= 2;
    l->slots = gr_xcalloc(n, sizeof *l->slots);
    l->nslots = n;
    l->max_keys = max_keys;
    pthread_mutex_init(&l->mu, NULL);
    return l;
}

void gr_limiter_free(struct gr_limiter *l)
{
    if (l == NULL)
        return;
    pthread_mutex_destroy(&l->mu);
    free(l->slots);
    free(l);
}

/* Removes slot i and re-inserts the rest of its probe run (linear probing deletion). */
static void erase(struct gr_limiter *l, size_t i)
{
    size_t mask = l->nslots - 1, j = i;

    l->slots[i].key[0] = '\0';
    l->used--;
    for (;;) {
        struct bucket b;
        size_t k;
        j = (j + 1) & mask;
        if (l->slots[j].key[0] == '\0')
            return;
        b = l->slots[j];
        l->slots[j].key[0] = '\0';
        for (k = hash(b.key) & mask; l->slots[k].key[0]; k = (k + 1) & mask)
            ;
        l->slots[k] = b;
    }
}

static void evict_one(struct gr_limiter *l)
{
    size_t mask = l->nslots - 1, victim = SIZE_MAX, i = (size_t)rand() & mask;
    int seen = 0;

    for (size_t n = 0; n < l->nslots && seen < SAMPLE; n++, i = (i + 1) & mask) {
        if (l->slots[i].key[0] == '\0')
            continue;
        seen++;
        if (victim == SIZE_MAX || l->slots[i].last_ns < l->slots[victim].last_ns)
            victim = i;
    }
    if (victim != SIZE_MAX)
        erase(l, victim);
}

/* Finds or creates key's bucket (full) and brings it up to date at now. Called locked. */
static struct bucket *get(struct gr_limiter *l, const char *key, double rate, double cap,
                          int64_t now)
{
    size_t mask = l->nslots - 1, i;
    struct bucket *b;

    for (i = hash(key) & mask; l->slots[i].key[0]; i = (i + 1) & mask) {
        b = &l->slots[i];
        if (strncmp(b->key, key, KEY_MAX - 1) == 0) {
            if (now > b->last_ns)
                b->tokens = fmin(cap, b->tokens + (double)(now - b->last_ns) / 1e9 * rate);
            b->last_ns = now;
            if (b->tokens > cap) /* capacity lowered since */
                b->tokens = cap;
            return b;
        }
    }
    if (l->used >= l->max_keys) {
        evict_one(l);
        for (i = hash(key) & mask; l->slots[i].key[0]; i = (i + 1) & mask)
            ;
    }
    b = &l->slots[i];
    strncpy(b->key, key, KEY_MAX - 1);
    b->key[KEY_MAX - 1] = '\0';
    b->tokens = cap;
    b->last_ns = now;
    l->used++;
    return b;
}

/* "" marks a free slot in the table; an empty key (Mattermost's key when nothing varies) is one
 * shared bucket like any other, so it is stored under this name. */
static const char *key_of(const char *key)
{
    return key[0] ? key : "\x01";
}

bool gr_limiter_take(struct gr_limiter *l, const char *key, double rate, double capacity,
                     int64_t now_ns, struct gr_limit_info *info)
{
    struct bucket *b;
    bool ok;

    key = key_of(key);
    if (rate <= 0) {
        if (info)
            memset(info, 0, sizeof *info);
        return true;
    }
    if (capacity < 1)
        capacity = 1;
    pthread_mutex_lock(&l->mu);
    b = get(l, key, rate, capacity, now_ns);
    ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    if (info) {
        info->limit = (long)capacity;
        info->remaining = (long)floor(b->tokens);
        info->reset_s = (long)ceil((capacity - b->tokens) / rate);
        info->retry_after = ok ? 0 : (long)ceil((1.0 - b->tokens) / rate);
        if (!ok && info->retry_after < 1)
            info->retry_after = 1;
    }
    pthread_mutex_unlock(&l->mu);
    return ok;
}

long gr_limiter_take_n(struct gr_limiter *l, const char *key, double rate, double capacity,
                       long want, int64_t now_ns)
{
    struct bucket *b;
    long n;

    if (rate <= 0)
        return want;
    if (capacity < 1)
        capacity = 1;
    key = key_of(key);
    pthread_mutex_lock(&l->mu);
    b = get(l, key, rate, capacity, now_ns);
    n = (long)floor(b->tokens);
    if (n > want)
        n = want;
    if (n > 0)
        b->tokens -= (double)n;
    pthread_mutex_unlock(&l->mu);
    return n;
}

double gr_limiter_wait_s(struct gr_limiter *l, const char *key, double rate, double capacity,
                         int64_t now_ns)
{
    struct bucket *b;
    double w;

    if (rate <= 0)
        return 0;
    if (capacity < 1)
        capacity = 1;
    key = key_of(key);
    pthread_mutex_lock(&l->mu);
    b = get(l, key, rate, capacity, now_ns);
    w = b->tokens >= 1.0 ? 0 : (1.0 - b->tokens) / rate;
    pthread_mutex_unlock(&l->mu);
    return w;
}
