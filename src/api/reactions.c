/* SPDX-License-Identifier: MIT */
/*
 * reactions.c - /api/v4 reactions and typing (spec mattermost-compat §5.4): POST /reactions
 * (200, as Mattermost's code answers), GET /posts/{id}/reactions,
 * DELETE /users/{user_id}/posts/{post_id}/reactions/{emoji_name}, POST /users/{id}/typing.
 */
#include "api/api.h"

#include "app/rest.h"

static int add(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
               struct gr_apperr *e)
{
    (void)r;
    return gr_rest_reaction_add(c, body, out, e);
}

void gr_api_reactions_add(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "reaction", add);
}

static int remove_one(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body,
                      json_t **out, struct gr_apperr *e)
{
    (void)body;
    return gr_rest_reaction_remove(c, gr_http_req_param(r, "user_id"),
                                   gr_http_req_param(r, "post_id"),
                                   gr_http_req_param(r, "emoji_name"), out, e);
}

void gr_api_reactions_remove(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, NULL, remove_one);
}

void gr_api_reactions_list(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    code = gr_rest_reactions_list(&c, gr_http_req_param(r, "post_id"), &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

void gr_api_users_typing(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *body, *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    if ((body = gr_api__rest_body(r, "typing")) == NULL)
        return;
    code = gr_rest_typing(&c, gr_http_req_param(r, "user_id"), body, &out, &e);
    json_decref(body);
    gr_api__rest_answer(r, code, out, &e);
}
