/* SPDX-License-Identifier: MIT */
/*
 * ingest.h - the incoming-webhook use case: POST /hooks/{id} from bytes to committed posts.
 *
 * gr_ingest_prepare() runs every check of spec mattermost-compat §1.5 in Mattermost's order
 * (payload decoding, hooks enabled, text, hook lookup, channel resolution, lock, creator,
 * permission, fields) against a read connection, and builds the posts. Nothing is written.
 * gr_ingest_submit() hands the prepared posts to the group-commit writer; `done` runs on the
 * writer thread once they are durable (200) or the store failed (503).
 */
#ifndef GR_APP_INGEST_H
#define GR_APP_INGEST_H

#include <stddef.h>

#include <jansson.h>

#include "app/app.h"
#include "core/apperr.h"

struct gr_ingest;

/* status is 200 on success, else the error status with e filled; e is borrowed for the call. */
typedef void (*gr_ingest_done_fn)(void *ud, int status, const struct gr_apperr *e);

/* The per-hook limiter's word on a request: has_headers is set when the hook's policy is
 * "reject" (the answer carries X-Ratelimit-* like Mattermost's limiter) and on a 429. */
struct gr_ingest_limit {
    bool has_headers;
    struct gr_limit_info info;
};

/* The request as the HTTP layer saw it. */
struct gr_ingest_req {
    const char *hook_id;
    const char *content_type; /* NULL when absent */
    const char *body;         /* raw bytes, NUL-terminated */
    size_t len;
    const char *peer; /* client address (IPv4-mapped addresses already plain IPv4) */
    const char *(*header)(void *ud, const char *name); /* case-insensitive; NULL if absent */
    void *header_ud;
};

/* Returns 0 and a job in *job_out, or an HTTP status with e filled. 429 means the hook's
 * limiter refused the request: answer it the way Mattermost's limiter does (plain text).
 * Returns 0 with *job_out NULL when the request is accepted but posts nothing (an event the
 * hook filters out, or a delivery already seen): answer 200 at once. */
int gr_ingest_prepare(struct gr_app *app, const struct gr_ingest_req *req,
                      struct gr_ingest **job_out, struct gr_ingest_limit *limit,
                      struct gr_apperr *e);
/* What a hook of `source` ("mattermost" or a native source) with template_src (NULL = the
 * default rendering) would post for this body, as a Mattermost-shaped message object in
 * *msg_out (the caller's). No signature check, no store. For `griot template render`. */
int gr_ingest_preview(const char *source, const char *template_src, const char *lang,
                      const char *content_type, const char *body, size_t len,
                      const char *(*header)(void *ud, const char *name), void *header_ud,
                      json_t **msg_out, struct gr_apperr *e);
/* The body limit for a request to hook_id: its source's limit, or the default. */
size_t gr_ingest_body_limit(struct gr_app *app, const char *hook_id, size_t dflt);
/* Takes ownership of job. Returns 0 when queued (done will be called exactly once), or 503 with
 * e filled when the writer is shutting down (done is not called; the job is freed). */
int gr_ingest_submit(struct gr_app *app, struct gr_ingest *job, gr_ingest_done_fn done, void *ud,
                     struct gr_apperr *e);
/* Frees a prepared job that will not be submitted. Accepts NULL. */
void gr_ingest_free(struct gr_ingest *job);

#endif
