/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - see metrics.h. Request counters live in a small open table keyed by
 * (route, method, status); routes are few and statuses sparse, so the table never grows large.
 * Insertion takes a mutex; increments are lock-free.
 */
#include "app/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define MAX_SERIES 256
#define NBUCKETS 14

static const double bucket_le[NBUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                           0.025,  0.05,    0.1,    0.25,  0.5,   1,     5};

struct series {
    const char *route;
    char method[8];
    int status;
    atomic_ullong count;
};

struct refusal {
    const char *source, *reason;
    atomic_ullong count;
};

struct histogram {
    atomic_ullong bucket[NBUCKETS + 1]; /* last = +Inf */
    atomic_ullong sum_ns;
    atomic_ullong count;
};

struct gr_metrics {
    pthread_mutex_t mu;
    struct series s[MAX_SERIES];
    atomic_int ns;
    struct histogram ingest;
    struct histogram commit;
    atomic_ullong commits, commit_failures, rows, jobs, max_batch;
    atomic_ullong hook_rejected, hook_queued, hook_digested, digests, global_limited;
    struct refusal refusals[64];
    atomic_int nrefusals;
    struct refusal outbound[32]; /* source = kind, reason = result */
    atomic_int noutbound;
};

struct gr_metrics *gr_metrics_new(void)
{
    struct gr_metrics *m = gr_xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

void gr_metrics_free(struct gr_metrics *m)
{
    if (m == NULL)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static void observe(struct histogram *h, int64_t ns)
{
    double secs = (double)ns / 1e9;
    int i;

    for (i = 0; i < NBUCKETS; i++)
        if (secs <= bucket_le[i])
            break;
    atomic_fetch_add(&h->bucket[i], 1);
    atomic_fetch_add(&h->sum_ns, (unsigned long long)(ns > 0 ? ns : 0));
    atomic_fetch_add(&h->count, 1);
}

void gr_metrics_request(struct gr_metrics *m, const char *route, const char *method, int status,
                        int64_t duration_ns)
{
    int n = atomic_load(&m->ns);

    (void)duration_ns;
    for (int i = 0; i < n; i++) {
        struct series *s = &m->s[i];
        if (s->route == route && s->status == status && strcmp(s->method, method) == 0) {
            atomic_fetch_add(&s->count, 1);
            return;
        }
    }
    pthread_mutex_lock(&m->mu);
    n = atomic_load(&m->ns);
    for (int i = 0; i < n; i++) {
        struct series *s = &m->s[i];
        if (s->route == route && s->status == status && strcmp(s->method, method) == 0) {
            atomic_fetch_add(&s->count, 1);
            goto out;
        }
    }
    if (n < MAX_SERIES) {
        struct series *s = &m->s[n];
        s->route = route;
        /* Unknown methods are folded so a client cannot grow the label set at will. */
        if (strlen(method) < sizeof s->method && strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
                                                         strlen(method))
            memcpy(s->method, method, strlen(method) + 1);
        else
            memcpy(s->method, "OTHER", 6);
        s->status = status;
        atomic_store(&s->count, 1);
        atomic_store(&m->ns, n + 1);
    }
out:
    pthread_mutex_unlock(&m->mu);
}

void gr_metrics_commit(struct gr_metrics *m, unsigned jobs, unsigned rows, int64_t duration_ns)
{
    unsigned long long prev;

    atomic_fetch_add(&m->commits, 1);
    atomic_fetch_add(&m->rows, rows);
    atomic_fetch_add(&m->jobs, jobs);
    prev = atomic_load(&m->max_batch);
    while (jobs > prev && !atomic_compare_exchange_weak(&m->max_batch, &prev, jobs))
        ;
    observe(&m->commit, duration_ns);
}

void gr_metrics_commit_failed(struct gr_metrics *m)
{
    atomic_fetch_add(&m->commit_failures, 1);
}

void gr_metrics_ingest_latency(struct gr_metrics *m, int64_t duration_ns)
{
    observe(&m->ingest, duration_ns);
}

void gr_metrics_hook_rejected(struct gr_metrics *m)
{
    atomic_fetch_add(&m->hook_rejected, 1);
}

void gr_metrics_hook_queued(struct gr_metrics *m, unsigned posts)
{
    atomic_fetch_add(&m->hook_queued, posts);
}

void gr_metrics_hook_digest(struct gr_metrics *m, size_t rows)
{
    atomic_fetch_add(&m->hook_digested, rows);
    atomic_fetch_add(&m->digests, 1);
}

/* Counts one (a, b) pair in a small append-only table of labelled counters. Labels have
 * static storage, so pointer equality identifies them; readers see only published slots. */
static void count_pair(struct gr_metrics *m, struct refusal *t, atomic_int *nt, int cap,
                       const char *a, const char *b)
{
    int n = atomic_load(nt);

    for (int i = 0; i < n; i++)
        if (t[i].source == a && t[i].reason == b) {
            atomic_fetch_add(&t[i].count, 1);
            return;
        }
    pthread_mutex_lock(&m->mu);
    n = atomic_load(nt);
    for (int i = 0; i < n; i++)
        if (t[i].source == a && t[i].reason == b) {
            atomic_fetch_add(&t[i].count, 1);
            goto out;
        }
    if (n < cap) {
        t[n].source = a;
        t[n].reason = b;
        atomic_store(&t[n].count, 1);
        atomic_store(nt, n + 1);
    }
out:
    pthread_mutex_unlock(&m->mu);
}

void gr_metrics_source_refused(struct gr_metrics *m, const char *source, const char *reason)
{
    count_pair(m, m->refusals, &m->nrefusals, 64, source, reason);
}

void gr_metrics_outbound(struct gr_metrics *m, const char *kind, const char *result)
{
    count_pair(m, m->outbound, &m->noutbound, 32, kind, result);
}

void gr_metrics_global_limited(struct gr_metrics *m)
{
    atomic_fetch_add(&m->global_limited, 1);
}

uint64_t gr_metrics_rows(const struct gr_metrics *m)
{
    return atomic_load(&m->rows);
}

static gr_err render_hist(struct gr_buf *out, const char *name, const char *help,
                          struct histogram *h)
{
    unsigned long long cum = 0;
    gr_err rc = gr_buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);

    for (int i = 0; i <= NBUCKETS && rc == GR_OK; i++) {
        cum += atomic_load(&h->bucket[i]);
        if (i < NBUCKETS)
            rc = gr_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name, bucket_le[i], cum);
        else
            rc = gr_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name, cum);
    }
    if (rc == GR_OK)
        rc = gr_buf_printf(out, "%s_sum %.9f\n%s_count %llu\n", name,
                           (double)atomic_load(&h->sum_ns) / 1e9, name,
                           atomic_load(&h->count));
    return rc;
}

gr_err gr_metrics_render(struct gr_metrics *m, size_t queue_depth, struct gr_buf *out)
{
    int n = atomic_load(&m->ns);
    gr_err rc;

    rc = gr_buf_appends(out, "# HELP griot_http_requests_total HTTP requests by route, method "
                             "and status.\n# TYPE griot_http_requests_total counter\n");
    for (int i = 0; i < n && rc == GR_OK; i++)
        rc = gr_buf_printf(out,
                           "griot_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} "
                           "%llu\n",
                           m->s[i].route, m->s[i].method, m->s[i].status,
                           atomic_load(&m->s[i].count));
    if (rc == GR_OK)
        rc = render_hist(out, "griot_ingest_duration_seconds",
                         "Time from a webhook request's arrival to its answer.", &m->ingest);
    if (rc == GR_OK)
        rc = render_hist(out, "griot_store_commit_duration_seconds",
                         "Duration of one group commit (with fsync).", &m->commit);
    if (rc == GR_OK)
        rc = gr_buf_printf(
                out,
                "# HELP griot_store_commits_total Group commits (one transaction, one fsync).\n"
                "# TYPE griot_store_commits_total counter\ngriot_store_commits_total %llu\n"
                "# HELP griot_store_commit_failures_total Group commits that failed.\n"
                "# TYPE griot_store_commit_failures_total counter\n"
                "griot_store_commit_failures_total %llu\n"
                "# HELP griot_store_rows_committed_total Posts written by group commits.\n"
                "# TYPE griot_store_rows_committed_total counter\n"
                "griot_store_rows_committed_total %llu\n"
                "# HELP griot_store_requests_committed_total Requests acknowledged by group "
                "commits.\n"
                "# TYPE griot_store_requests_committed_total counter\n"
                "griot_store_requests_committed_total %llu\n"
                "# HELP griot_store_commit_batch_max Largest number of requests in one commit.\n"
                "# TYPE griot_store_commit_batch_max gauge\ngriot_store_commit_batch_max %llu\n"
                "# HELP griot_posts_stored_total Posts stored.\n"
                "# TYPE griot_posts_stored_total counter\ngriot_posts_stored_total %llu\n",
                atomic_load(&m->commits), atomic_load(&m->commit_failures),
                atomic_load(&m->rows), atomic_load(&m->jobs), atomic_load(&m->max_batch),
                atomic_load(&m->rows));
    if (rc == GR_OK)
        rc = gr_buf_printf(
                out,
                "# HELP griot_hook_rate_limited_total Requests refused (429) by a hook's limiter.\n"
                "# TYPE griot_hook_rate_limited_total counter\n"
                "griot_hook_rate_limited_total %llu\n"
                "# HELP griot_hook_queued_total Posts queued because their hook was over its rate.\n"
                "# TYPE griot_hook_queued_total counter\ngriot_hook_queued_total %llu\n"
                "# HELP griot_hook_digested_total Queued posts merged into digest posts.\n"
                "# TYPE griot_hook_digested_total counter\ngriot_hook_digested_total %llu\n"
                "# HELP griot_hook_digests_total Digest posts made from queued posts.\n"
                "# TYPE griot_hook_digests_total counter\ngriot_hook_digests_total %llu\n"
                "# HELP griot_hook_queue_depth Posts waiting in hook queues.\n"
                "# TYPE griot_hook_queue_depth gauge\ngriot_hook_queue_depth %zu\n"
                "# HELP griot_rate_limited_total Requests refused by the global per-client "
                "limiter.\n"
                "# TYPE griot_rate_limited_total counter\ngriot_rate_limited_total %llu\n",
                atomic_load(&m->hook_rejected), atomic_load(&m->hook_queued),
                atomic_load(&m->hook_digested), atomic_load(&m->digests), queue_depth,
                atomic_load(&m->global_limited));
    if (rc == GR_OK)
        rc = gr_buf_appends(out, "# HELP griot_source_refused_total Native-source requests "
                                 "refused, by source and failed check.\n"
                                 "# TYPE griot_source_refused_total counter\n");
    for (int i = 0; i < atomic_load(&m->nrefusals) && rc == GR_OK; i++)
        rc = gr_buf_printf(out, "griot_source_refused_total{source=\"%s\",reason=\"%s\"} %llu\n",
                           m->refusals[i].source, m->refusals[i].reason,
                           atomic_load(&m->refusals[i].count));
    if (rc == GR_OK)
        rc = gr_buf_appends(out, "# HELP griot_outbound_requests_total Calls griot made to apps, "
                                 "by kind and outcome (ok = the app answered, any status).\n"
                                 "# TYPE griot_outbound_requests_total counter\n");
    for (int i = 0; i < atomic_load(&m->noutbound) && rc == GR_OK; i++)
        rc = gr_buf_printf(out, "griot_outbound_requests_total{kind=\"%s\",result=\"%s\"} %llu\n",
                           m->outbound[i].source, m->outbound[i].reason,
                           atomic_load(&m->outbound[i].count));
    return rc;
}
