/* SPDX-License-Identifier: MIT */
/*
 * dircache.c - see dircache.h.
 *
 * Why it is correct: every cached row was read after its filler read generation g, with the
 * cache's generation equal to g at insert time; so it includes every change whose commit
 * raised the counter to g or below. A request that read generation r may use the cache only
 * while the cache's generation is >= r; when r is newer, everything is dropped first. A filler
 * that finds the cache already newer than its own g does not insert (its row may predate the
 * change that moved the cache on). The counter only grows, so "newer" is ">".
 *
 * The tables are direct-mapped (a colliding id replaces the slot's row): bounded memory and
 * no eviction policy to get wrong. A hook row is kept without its 16 kB source_config array
 * (the config is kept as a string), so a full cache stays around 3 MB; only the slots in use
 * are resident, and no row is a heap block of its own (see CONFIG_INLINE).
 */
#include "app/dircache.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define SLOTS 256 /* per kind; a power of two */

/* source_config must stay the last member of struct gr_hook: the cache keeps what is before
 * it as bytes and the config as a string. */
#define HOOK_HEAD offsetof(struct gr_hook, source_config)
_Static_assert(sizeof(struct gr_hook) - HOOK_HEAD - sizeof((struct gr_hook *)0)->source_config <
                       _Alignof(struct gr_hook),
               "source_config must be the last member of struct gr_hook");

enum kind { K_HOOK, K_CHANNEL, K_USER, K__COUNT };

/* What a slot holds: the index (small, touched by every lookup and flush) is apart from the
 * rows (large, in one lazily-mapped block: only the pages of slots in use become resident, and
 * no per-row allocation interleaves with the request path's short-lived ones). */
struct slot {
    char id[GR_ID_SIZE]; /* "" = empty */
    char *config;        /* K_HOOK: a source_config too long for hook_config[], else NULL */
};

/* Most hooks have a short config ("{}"): it stays in the block. A heap copy made on a request
 * thread would sit above that request's short-lived buffers and keep glibc from giving them
 * back (~2 MB of RSS for 100 hooks, measured). */
#define CONFIG_INLINE 1024

struct rows {
    unsigned char hook[SLOTS][HOOK_HEAD];
    char hook_config[SLOTS][CONFIG_INLINE];
    struct gr_channel channel[SLOTS];
    struct gr_user user[SLOTS];
};

struct gr_dircache {
    pthread_mutex_t mu;
    int64_t gen; /* every cached row was read at this generation or later */
    uint64_t hits, misses;
    struct slot slots[K__COUNT][SLOTS];
    struct rows *rows;
};

static void flush(struct gr_dircache *c)
{
    for (int k = 0; k < K__COUNT; k++) {
        for (size_t i = 0; i < SLOTS; i++) {
            free(c->slots[k][i].config);
            c->slots[k][i].config = NULL;
            c->slots[k][i].id[0] = '\0';
        }
    }
}

/* Moves the cache to generation gen if gen is newer. Called with mu held. */
static void advance(struct gr_dircache *c, int64_t gen)
{
    if (gen > c->gen) {
        flush(c);
        c->gen = gen;
    }
}

static size_t slot_of(const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 16777619u;
    return h & (SLOTS - 1);
}

struct gr_dircache *gr_dircache_new(void)
{
    struct gr_dircache *c = gr_xcalloc(1, sizeof *c);

    c->rows = gr_xcalloc(1, sizeof *c->rows); /* ~3 MB of address space, mapped on use */
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void gr_dircache_free(struct gr_dircache *c)
{
    if (c == NULL)
        return;
    flush(c);
    pthread_mutex_destroy(&c->mu);
    free(c->rows);
    free(c);
}

void gr_dircache_view(struct gr_dircache *c, struct gr_store *st, struct gr_dirview *v)
{
    v->c = c;
    v->st = st;
    v->gen = 0;
    if (c == NULL || gr_store_dir_gen(st, &v->gen) != GR_OK || v->gen <= 0) {
        v->c = NULL; /* straight to the store for this request */
        v->gen = 0;
        return;
    }
    pthread_mutex_lock(&c->mu);
    advance(c, v->gen);
    pthread_mutex_unlock(&c->mu);
}

void gr_dircache_stats(struct gr_dircache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->mu);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->mu);
}

static void copy_out(struct gr_dircache *c, enum kind k, size_t i, void *out)
{
    switch (k) {
    case K_HOOK: {
        struct gr_hook *h = out;
        const char *cfg = c->slots[k][i].config ? c->slots[k][i].config : c->rows->hook_config[i];
        memcpy(h, c->rows->hook[i], HOOK_HEAD);
        memcpy(h->source_config, cfg, strlen(cfg) + 1); /* it came from such an array */
        break;
    }
    case K_CHANNEL:
        memcpy(out, &c->rows->channel[i], sizeof(struct gr_channel));
        break;
    case K_USER:
        memcpy(out, &c->rows->user[i], sizeof(struct gr_user));
        break;
    case K__COUNT:
        break;
    }
}

static void copy_in(struct gr_dircache *c, enum kind k, size_t i, const void *row, char *config)
{
    switch (k) {
    case K_HOOK: {
        const struct gr_hook *h = row;
        memcpy(c->rows->hook[i], row, HOOK_HEAD);
        free(c->slots[k][i].config);
        c->slots[k][i].config = config;
        if (config == NULL)
            memcpy(c->rows->hook_config[i], h->source_config, strlen(h->source_config) + 1);
        break;
    }
    case K_CHANNEL:
        memcpy(&c->rows->channel[i], row, sizeof(struct gr_channel));
        break;
    case K_USER:
        memcpy(&c->rows->user[i], row, sizeof(struct gr_user));
        break;
    case K__COUNT:
        break;
    }
}

static bool lookup(struct gr_dirview *v, enum kind k, const char *id, void *out)
{
    struct gr_dircache *c = v->c;
    size_t i;
    bool hit = false;

    if (strlen(id) >= GR_ID_SIZE)
        return false;
    i = slot_of(id);
    pthread_mutex_lock(&c->mu);
    advance(c, v->gen);
    if (c->slots[k][i].id[0] != '\0' && strcmp(c->slots[k][i].id, id) == 0) {
        copy_out(c, k, i, out);
        hit = true;
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

static void fill(struct gr_dirview *v, enum kind k, const char *id, const void *row)
{
    struct gr_dircache *c = v->c;
    char *config = NULL;
    size_t i;

    if (strlen(id) >= GR_ID_SIZE || id[0] == '\0')
        return;
    i = slot_of(id);
    if (k == K_HOOK) {
        const struct gr_hook *h = row;
        size_t n = strnlen(h->source_config, sizeof h->source_config);
        if (n == sizeof h->source_config)
            return; /* not terminated: never from the store */
        if (n >= CONFIG_INLINE)
            config = gr_xstrndup(h->source_config, n);
    }
    pthread_mutex_lock(&c->mu);
    advance(c, v->gen);
    if (c->gen == v->gen) {
        copy_in(c, k, i, row, config);
        memcpy(c->slots[k][i].id, id, strlen(id) + 1);
        config = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    free(config);
}

gr_err gr_dirview_hook_get(struct gr_dirview *v, const char *id, struct gr_hook *out)
{
    gr_err rc;

    if (v->c != NULL && id != NULL && out != NULL && lookup(v, K_HOOK, id, out))
        return GR_OK;
    rc = gr_store_hook_get(v->st, id, out);
    if (rc == GR_OK && v->c != NULL)
        fill(v, K_HOOK, id, out);
    return rc;
}

gr_err gr_dirview_channel_get(struct gr_dirview *v, const char *id, struct gr_channel *out)
{
    gr_err rc;

    if (v->c != NULL && id != NULL && out != NULL && lookup(v, K_CHANNEL, id, out))
        return GR_OK;
    rc = gr_store_channel_get(v->st, id, out);
    if (rc == GR_OK && v->c != NULL)
        fill(v, K_CHANNEL, id, out);
    return rc;
}

gr_err gr_dirview_user_get(struct gr_dirview *v, const char *id, struct gr_user *out)
{
    gr_err rc;

    if (v->c != NULL && id != NULL && out != NULL && lookup(v, K_USER, id, out))
        return GR_OK;
    rc = gr_store_user_get(v->st, id, out);
    if (rc == GR_OK && v->c != NULL)
        fill(v, K_USER, id, out);
    return rc;
}
