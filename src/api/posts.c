/* SPDX-License-Identifier: MIT */
/*
 * posts.c - /api/v4 post resources (spec mattermost-compat §5.4-§5.6): create, get, update,
 * patch, delete, thread, and a channel's posts. Writes answer after the writer's commit; the
 * rules live in app/ (rest.h).
 */
#include "api/api.h"

#include <string.h>

#include "app/rest.h"

/* Go's strconv.ParseBool false values: Mattermost parses set_online with it, and anything it
 * cannot parse (or no value) means online. */
static bool is_go_false(const char *v)
{
    static const char *const f[] = {"0", "f", "F", "false", "FALSE", "False"};

    for (size_t i = 0; v && i < sizeof f / sizeof f[0]; i++)
        if (strcmp(v, f[i]) == 0)
            return true;
    return false;
}

static int create(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                  struct gr_apperr *e)
{
    struct gr_rest_ctx cc = *c;

    cc.no_set_online = is_go_false(gr_http_req_query(r, "set_online"));
    return gr_rest_post_create(&cc, body, out, e);
}

void gr_api_posts_create(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "post", create);
}

static void read_one(struct gr_http_req *r, struct gr_api *api, bool thread)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    const char *id = gr_http_req_param(r, "post_id");
    int code;

    if (!gr_api__rest_ctx(api, r, &u, &c))
        return;
    code = thread ? gr_rest_post_thread(&c, id, &out, &e) : gr_rest_post_get(&c, id, &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

void gr_api_posts_get(struct gr_http_req *r, void *ud)
{
    read_one(r, ud, false);
}

void gr_api_posts_thread(struct gr_http_req *r, void *ud)
{
    read_one(r, ud, true);
}

static int update(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                  struct gr_apperr *e)
{
    return gr_rest_post_update(c, gr_http_req_param(r, "post_id"), body, false, out, e);
}

void gr_api_posts_update(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "post", update);
}

static int patch(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                 struct gr_apperr *e)
{
    return gr_rest_post_update(c, gr_http_req_param(r, "post_id"), body, true, out, e);
}

void gr_api_posts_patch(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "patch", patch);
}

static int delete_post(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body,
                       json_t **out, struct gr_apperr *e)
{
    (void)body;
    return gr_rest_post_delete(c, gr_http_req_param(r, "post_id"), out, e);
}

void gr_api_posts_delete(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, NULL, delete_post);
}

void gr_api_posts_for_channel(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;
    struct gr_rest_posts_query q = {
            .page = gr_http_req_query(r, "page"),
            .per_page = gr_http_req_query(r, "per_page"),
            .since = gr_http_req_query(r, "since"),
            .before = gr_http_req_query(r, "before"),
            .after = gr_http_req_query(r, "after"),
            .include_deleted = gr_http_req_query(r, "include_deleted"),
    };

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    code = gr_rest_channel_posts(&c, gr_http_req_param(r, "channel_id"), &q, &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}
