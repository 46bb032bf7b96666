/* SPDX-License-Identifier: MIT */
/*
 * channels.c - /api/v4 channel resources (spec mattermost-compat §5.4, §5.8): a channel by id
 * or by name in a team, the caller's channels in a team, creating public/private, direct and
 * group channels, and channel members. The rules live in app/ (rest.h); this file maps
 * requests onto them.
 */
#include "api/api.h"

#include <string.h>

#include "app/rest.h"

/* Go's strconv.ParseBool true values (Mattermost reads these flags with it; anything else is
 * false). */
static bool query_true(struct gr_http_req *r, const char *name)
{
    static const char *const t[] = {"1", "t", "T", "true", "TRUE", "True"};
    const char *v = gr_http_req_query(r, name);

    for (size_t i = 0; v && i < sizeof t / sizeof t[0]; i++)
        if (strcmp(v, t[i]) == 0)
            return true;
    return false;
}

void gr_api_channels_get(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    code = gr_rest_channel_get(&c, gr_http_req_param(r, "channel_id"), &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

static void by_name(struct gr_http_req *r, struct gr_api *api, const char *team_id,
                    const char *team_name)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(api, r, &u, &c))
        return;
    code = gr_rest_channel_by_name(&c, team_id, team_name, gr_http_req_param(r, "channel_name"),
                                   query_true(r, "include_deleted"), &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

void gr_api_channels_by_name(struct gr_http_req *r, void *ud)
{
    by_name(r, ud, gr_http_req_param(r, "team_id"), NULL);
}

void gr_api_channels_by_team_name(struct gr_http_req *r, void *ud)
{
    by_name(r, ud, NULL, gr_http_req_param(r, "team_name"));
}

void gr_api_channels_mine(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    code = gr_rest_my_channels(&c, gr_http_req_param(r, "user_id"), gr_http_req_param(r, "team_id"),
                               query_true(r, "include_deleted"), &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

void gr_api_channels_members(struct gr_http_req *r, void *ud)
{
    struct gr_rest_paging pg;
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    gr_rest_paging_parse(gr_http_req_query(r, "page"), gr_http_req_query(r, "per_page"), &pg, &e);
    code = gr_rest_channel_members(&c, gr_http_req_param(r, "channel_id"), &pg, &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

void gr_api_channels_member_get(struct gr_http_req *r, void *ud)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(ud, r, &u, &c))
        return;
    code = gr_rest_channel_member_get(&c, gr_http_req_param(r, "channel_id"),
                                      gr_http_req_param(r, "user_id"), &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

static int create(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                  struct gr_apperr *e)
{
    (void)r;
    return gr_rest_channel_create(c, body, out, e);
}

void gr_api_channels_create(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "channel", create);
}

static int direct(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                  struct gr_apperr *e)
{
    (void)r;
    return gr_rest_channel_direct(c, body, out, e);
}

void gr_api_channels_direct(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "user_ids", direct);
}

static int group(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                 struct gr_apperr *e)
{
    (void)r;
    return gr_rest_channel_group(c, body, out, e);
}

void gr_api_channels_group(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "user_ids", group);
}

static int member_add(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body,
                      json_t **out, struct gr_apperr *e)
{
    return gr_rest_channel_member_add(c, gr_http_req_param(r, "channel_id"), body, out, e);
}

void gr_api_channels_member_add(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "user_id", member_add);
}

static int member_remove(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body,
                         json_t **out, struct gr_apperr *e)
{
    (void)body;
    return gr_rest_channel_member_remove(c, gr_http_req_param(r, "channel_id"),
                                         gr_http_req_param(r, "user_id"), out, e);
}

void gr_api_channels_member_remove(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, NULL, member_remove);
}
