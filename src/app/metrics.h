/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - griot's Prometheus metrics: a fixed set of counters and histograms updated with
 * atomics on hot paths, rendered as Prometheus text for GET /metrics.
 *
 * Labels never carry hook ids or tokens (they are credentials): requests are labelled by route
 * pattern ("/hooks/:id"), method and status.
 */
#ifndef GR_APP_METRICS_H
#define GR_APP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct gr_metrics;

struct gr_metrics *gr_metrics_new(void);
void gr_metrics_free(struct gr_metrics *m);

/* One finished HTTP request. route must be a string with static storage (a route pattern). */
void gr_metrics_request(struct gr_metrics *m, const char *route, const char *method, int status,
                        int64_t duration_ns);
/* One group commit of `jobs` requests and `rows` posts. */
void gr_metrics_commit(struct gr_metrics *m, unsigned jobs, unsigned rows, int64_t duration_ns);
void gr_metrics_commit_failed(struct gr_metrics *m);
void gr_metrics_ingest_latency(struct gr_metrics *m, int64_t duration_ns);
/* Per-hook limiter outcomes: a request answered 429, posts queued, rows merged into digests. */
void gr_metrics_hook_rejected(struct gr_metrics *m);
void gr_metrics_hook_queued(struct gr_metrics *m, unsigned posts);
void gr_metrics_hook_digest(struct gr_metrics *m, size_t rows);
/* A native-source request refused; source and reason must have static storage (the adapter's
 * name, the AppError id). */
void gr_metrics_source_refused(struct gr_metrics *m, const char *source, const char *reason);
/* One call to an app through the outbound engine: kind ("outgoing_webhook", "command",
 * "action") and result (gr_out_result_name) must have static storage. */
void gr_metrics_outbound(struct gr_metrics *m, const char *kind, const char *result);
/* A request refused by the global (per-client) limiter. */
void gr_metrics_global_limited(struct gr_metrics *m);
/* Rows (posts) committed so far, for tests and logs. */
uint64_t gr_metrics_rows(const struct gr_metrics *m);

/* Appends the Prometheus text exposition of every metric. */
gr_err gr_metrics_render(struct gr_metrics *m, size_t queue_depth, struct gr_buf *out);

#endif
