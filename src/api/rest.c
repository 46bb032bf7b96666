/* SPDX-License-Identifier: MIT */
/*
 * rest.c - the glue every REST resource file of the "teams, channels, posts" surface shares:
 * authenticating into a gr_rest_ctx, decoding a JSON body, answering a use case's status, and
 * running a write use case with the request suspended until the writer's commit (as
 * api/hooks.c does for incoming webhooks).
 */
#include "api/api.h"

#include "app/rest.h"

static void on_done(void *ud, int status, json_t *body, const struct gr_apperr *e)
{
    struct gr_http_req *r = ud;

    gr_api__rest_answer(r, status, body, e);
    gr_http_req_resume(r);
}

bool gr_api__rest_ctx(struct gr_api *api, struct gr_http_req *r, struct gr_user *u,
                      struct gr_rest_ctx *c)
{
    if (gr_api__auth(api, r, u))
        return false;
    c->app = api->app;
    c->user = u;
    c->done = on_done;
    c->ud = r;
    c->no_set_online = false;
    return true;
}

json_t *gr_api__rest_body(struct gr_http_req *r, const char *name)
{
    const struct gr_buf *b = gr_http_req_body(r);
    json_t *v = json_loadb(gr_buf_str(b), b->len, 0, NULL);

    if (v == NULL)
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing %s in request body.", name);
    return v;
}

void gr_api__rest_answer(struct gr_http_req *r, int status, json_t *out, const struct gr_apperr *e)
{
    if (out != NULL)
        gr_api__respond_json(r, status, out);
    else
        gr_http_respond_apperr(r, e);
}

void gr_api__rest_write(struct gr_api *api, struct gr_http_req *r, const char *body_name,
                        gr_api_rest_write_fn fn)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *body = NULL, *out = NULL;
    int code;

    if (!gr_api__rest_ctx(api, r, &u, &c))
        return;
    if (body_name != NULL && (body = gr_api__rest_body(r, body_name)) == NULL)
        return;
    /* Suspend before handing off: the writer may answer before fn returns. From a pending
     * return on, r belongs to the writer's done callback. */
    gr_http_req_suspend(r);
    code = fn(r, &c, body, &out, &e);
    json_decref(body);
    if (code == GR_REST_PENDING)
        return;
    gr_api__rest_answer(r, code, out, &e);
    gr_http_req_resume(r);
}
