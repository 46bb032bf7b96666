/* SPDX-License-Identifier: MIT */
/*
 * actions.c - POST /api/v4/posts/{post_id}/actions/{action_id}: a click on an interactive
 * message button or menu (spec mattermost-compat §4.2). The body is optional JSON
 * {"selected_option", "cookie"}. The request stays suspended while griot calls the app behind
 * the action (no worker waits for it); the rules live in app/actions.c.
 */
#include "api/api.h"

#include "app/actions.h"

static bool blank(const struct gr_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->p[i] != ' ' && b->p[i] != '\t' && b->p[i] != '\r' && b->p[i] != '\n')
            return false;
    return true;
}

void gr_api_posts_action(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    const struct gr_buf *b;
    json_t *body = NULL, *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    /* Clients send `{}` or nothing at all for a plain button. */
    b = gr_http_req_body(r);
    if (!blank(b) && (body = gr_api__rest_body(r, "action request")) == NULL)
        return;
    /* Suspend before handing off: the answer may come from another thread before the call
     * returns. From a pending return on, r belongs to that thread. */
    gr_http_req_suspend(r);
    code = gr_actions_click(&c, gr_http_req_param(r, "post_id"), gr_http_req_param(r, "action_id"),
                            body, &out, &e);
    json_decref(body);
    if (code == GR_REST_PENDING)
        return;
    gr_api__rest_answer(r, code, out, &e);
    gr_http_req_resume(r);
}
