/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - POST /hooks/{id}: Mattermost incoming webhooks (spec mattermost-compat §1).
 *
 * The handler prepares the posts on the worker thread, then suspends the connection and hands
 * the job to the group-commit writer; the answer (`ok`, text/plain, exactly two bytes, §1.11)
 * goes out only after the commit, from the writer's done callback.
 */
#include "api/api.h"

#include "app/ingest.h"

static void on_done(void *ud, int status, const struct gr_apperr *e)
{
    struct gr_http_req *r = ud;

    if (status == 200)
        gr_http_respond(r, 200, "text/plain", "ok", 2);
    else
        gr_http_respond_apperr(r, e);
    gr_http_req_resume(r);
}

static const char *header_of(void *ud, const char *name)
{
    return gr_http_req_header(ud, name);
}

size_t gr_api_hooks_body_limit(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    return gr_ingest_body_limit(api->app, gr_http_req_param(r, "id"), api->max_body);
}

void gr_api_hooks_post(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const struct gr_buf *b = gr_http_req_body(r);
    struct gr_ingest *job = NULL;
    struct gr_ingest_limit limit;
    struct gr_apperr e;
    int code;

    struct gr_ingest_req req = {
            .hook_id = gr_http_req_param(r, "id"),
            .content_type = gr_http_req_header(r, "Content-Type"),
            .body = gr_buf_str(b),
            .len = b->len,
            .peer = gr_http_req_peer(r),
            .header = header_of,
            .header_ud = r,
    };

    code = gr_ingest_prepare(api->app, &req, &job, &limit, &e);
    if (code == 429) {
        gr_api__respond_limited(r, &limit.info);
        return;
    }
    if (code) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    if (limit.has_headers)
        gr_api__limit_headers(r, &limit.info);
    if (job == NULL) { /* accepted, nothing to post (filtered event, repeated delivery) */
        gr_http_respond(r, 200, "text/plain", "ok", 2);
        return;
    }
    /* Suspend before handing off: the writer may finish before this function returns. */
    gr_http_req_suspend(r);
    code = gr_ingest_submit(api->app, job, on_done, r, &e);
    if (code) {
        gr_http_respond_apperr(r, &e);
        gr_http_req_resume(r);
    }
}
