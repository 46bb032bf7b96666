/* SPDX-License-Identifier: MIT */
/* teams.c - GET /api/v4/teams/{team_id} and /api/v4/teams/name/{team_name} (spec §5.4). */
#include "api/api.h"

#include "app/rest.h"

static void get(struct gr_http_req *r, struct gr_api *api, const char *id, const char *name)
{
    struct gr_rest_ctx c;
    struct gr_apperr e;
    struct gr_user u;
    json_t *out = NULL;
    int code;

    if (!gr_api__rest_ctx(api, r, &u, &c))
        return;
    code = gr_rest_team_get(&c, id, name, &out, &e);
    gr_api__rest_answer(r, code, out, &e);
}

void gr_api_teams_get(struct gr_http_req *r, void *ud)
{
    get(r, ud, gr_http_req_param(r, "team_id"), NULL);
}

void gr_api_teams_get_by_name(struct gr_http_req *r, void *ud)
{
    get(r, ud, NULL, gr_http_req_param(r, "team_name"));
}
