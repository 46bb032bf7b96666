/* SPDX-License-Identifier: MIT */
/*
 * rest_job.c - the machinery every REST use case shares (rest_int.h): the writer job with its
 * post-commit events and its answer, Mattermost's access rules for channels and posts, and the
 * small parsers of JSON members and paging parameters.
 */
#include "app/rest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* ---- the writer job -------------------------------------------------------------------- */

static void reset(struct gr_rest_job *j)
{
    json_decref(j->resp);
    j->resp = NULL;
    for (size_t i = 0; i < j->nev; i++)
        json_decref(j->ev[i].data);
    j->nev = 0;
    j->wj.events = NULL;
    j->wj.nevents = 0;
    memset(&j->err, 0, sizeof j->err);
}

static gr_err apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct gr_rest_job *j = (struct gr_rest_job *)wj;
    gr_err rc;

    reset(j);
    rc = j->run(st, j);
    if (rc != GR_OK || j->err.status != 0) {
        /* Nothing of a refused or failed run is published. */
        for (size_t i = 0; i < j->nev; i++)
            json_decref(j->ev[i].data);
        j->nev = 0;
        j->wj.nposts = 0;
        return rc;
    }
    for (size_t i = 0; i < j->nev; i++) {
        struct gr_rest_event *e = &j->ev[i];
        j->bev[i] = (struct gr_bus_event){
                .event = e->event,
                .channel_id = e->channel_id,
                .team_id = e->team_id,
                .user_id = e->user_id,
                .omit_user_id = e->omit_user_id,
                .data = e->data,
        };
    }
    j->wj.events = j->bev;
    j->wj.nevents = j->nev;
    /* The request's set_online=false is not stored: it rides with the posts to the bus. */
    for (size_t i = 0; j->no_set_online && i < j->wj.nposts; i++)
        j->wj.posts[i].no_set_online = true;
    return GR_OK;
}

static void on_done(struct gr_write_job *wj, gr_err rc)
{
    struct gr_rest_job *j = (struct gr_rest_job *)wj;
    struct gr_apperr e;

    if (rc != GR_OK) {
        gr_rest__store_fail(&e, rc);
        j->done(j->ud, e.status, NULL, &e);
    } else if (j->err.status != 0) {
        j->done(j->ud, j->err.status, NULL, &j->err);
    } else {
        json_t *resp = j->resp ? j->resp : gr_rest_status_ok();
        j->resp = NULL;
        j->done(j->ud, j->status, resp, NULL);
    }
    gr_rest__job_free(j);
}

void *gr_rest__job_new(const struct gr_rest_ctx *c, size_t size, gr_rest_run_fn run, int status)
{
    struct gr_rest_job *j = gr_xcalloc(1, size);

    j->app = c->app;
    j->run = run;
    j->status = status;
    j->done = c->done;
    j->ud = c->ud;
    j->no_set_online = c->no_set_online;
    j->wj.apply = apply;
    j->wj.done = on_done;
    return j;
}

void gr_rest__job_free(struct gr_rest_job *j)
{
    if (j == NULL)
        return;
    reset(j);
    if (j->cleanup)
        j->cleanup(j);
    free(j);
}

int gr_rest__submit(struct gr_rest_job *j, struct gr_apperr *e)
{
    if (gr_writer_submit(j->app->writer, &j->wj) != GR_OK) {
        gr_rest__job_free(j);
        return gr_rest__store_fail(e, GR_ECLOSED);
    }
    return GR_REST_PENDING;
}

gr_err gr_rest__refuse(struct gr_rest_job *j, int status, const char *id, const char *msg)
{
    gr_apperr_set(&j->err, status, id, "%s", msg);
    return GR_OK;
}

void gr_rest__event(struct gr_rest_job *j, const char *event, const char *channel_id,
                    const char *team_id, const char *user_id, json_t *data)
{
    struct gr_rest_event *ev;

    if (j->nev >= GR_REST_MAX_EVENTS) {
        json_decref(data); /* a bug: the table in rest_int.h is too small */
        return;
    }
    ev = &j->ev[j->nev++];
    memset(ev, 0, sizeof *ev);
    snprintf(ev->event, sizeof ev->event, "%s", event);
    snprintf(ev->channel_id, sizeof ev->channel_id, "%s", channel_id ? channel_id : "");
    snprintf(ev->team_id, sizeof ev->team_id, "%s", team_id ? team_id : "");
    snprintf(ev->user_id, sizeof ev->user_id, "%s", user_id ? user_id : "");
    ev->data = data ? data : json_object();
}

/* ---- errors ---------------------------------------------------------------------------- */

int gr_rest__store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 503, "api.context.server_busy.app_error",
                         "The store is not available (%s).", gr_err_str(rc));
}

int gr_rest__bad_url(struct gr_apperr *e, const char *name)
{
    return gr_apperr_set(e, 400, "api.context.invalid_url_param.app_error",
                         "Invalid or missing %s parameter in request URL.", name);
}

int gr_rest__bad_body(struct gr_apperr *e, const char *name)
{
    return gr_apperr_set(e, 400, "api.context.invalid_body_param.app_error",
                         "Invalid or missing %s in request body.", name);
}

int gr_rest__forbidden(struct gr_apperr *e)
{
    return gr_apperr_set(e, 403, "api.context.permissions.app_error",
                         "You do not have the appropriate permissions.");
}

struct gr_store *gr_rest__reader(const struct gr_rest_ctx *c, struct gr_apperr *e)
{
    struct gr_store *st = gr_app_reader(c->app);

    if (st == NULL)
        gr_rest__store_fail(e, GR_ESTORE);
    return st;
}

json_t *gr_rest_status_ok(void)
{
    return json_pack("{s:s}", "status", "OK");
}

/* ---- access ---------------------------------------------------------------------------- */

bool gr_rest__is_admin(const struct gr_user *u)
{
    return strstr(u->roles, "system_admin") != NULL;
}

gr_err gr_rest__access(struct gr_store *st, const struct gr_user *u, const struct gr_channel *ch,
                       enum gr_rest_access *out)
{
    bool member = false;
    gr_err rc;

    *out = GR_REST_NONE;
    if (gr_rest__is_admin(u)) {
        *out = GR_REST_MEMBER;
        return GR_OK;
    }
    rc = gr_store_channel_member_is(st, ch->id, u->id, &member);
    if (rc != GR_OK)
        return rc;
    if (member) {
        *out = GR_REST_MEMBER;
        return GR_OK;
    }
    /* Only public channels are visible to non-members, and only to members of their team. */
    if (ch->type != 'O' || ch->team_id[0] == '\0')
        return GR_OK;
    rc = gr_store_team_member_is(st, ch->team_id, u->id, &member);
    if (rc == GR_OK && member)
        *out = ch->delete_at == 0 ? GR_REST_JOIN : GR_REST_READ;
    return rc;
}

int gr_rest__load_channel(struct gr_store *st, const struct gr_user *u, const char *id,
                          struct gr_channel *ch, enum gr_rest_access *acc, struct gr_apperr *e)
{
    gr_err rc;

    if (!gr_id_is_valid(id))
        return gr_rest__bad_url(e, "channel_id");
    rc = gr_store_channel_get(st, id, ch);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.channel.get.existing.app_error",
                             "Unable to find the existing channel.");
    if (rc == GR_OK)
        rc = gr_rest__access(st, u, ch, acc);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    if (*acc == GR_REST_NONE)
        return gr_rest__forbidden(e);
    return 0;
}

int gr_rest__load_post(struct gr_store *st, const struct gr_user *u, const char *id,
                       struct gr_post *p, struct gr_channel *ch, struct gr_apperr *e)
{
    enum gr_rest_access acc;
    gr_err rc;
    int code;

    if (!gr_id_is_valid(id))
        return gr_rest__bad_url(e, "post_id");
    rc = gr_store_post_get(st, id, p);
    if (rc == GR_OK && p->delete_at != 0)
        rc = GR_ENOTFOUND;
    if (rc == GR_ENOTFOUND) {
        gr_post_cleanup(p);
        return gr_apperr_set(e, 404, "app.post.get.app_error", "Unable to get the post.");
    }
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    if (ch == NULL)
        return 0;
    code = gr_rest__load_channel(st, u, p->channel_id, ch, &acc, e);
    if (code == 404) /* a post whose channel is gone is gone too */
        code = gr_apperr_set(e, 404, "app.post.get.app_error", "Unable to get the post.");
    if (code)
        gr_post_cleanup(p);
    return code;
}

/* ---- parsing --------------------------------------------------------------------------- */

bool gr_rest__opt_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);

    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return false;
    *out = json_string_value(v);
    return true;
}

bool gr_rest__opt_bool(json_t *o, const char *key, bool *out)
{
    json_t *v = json_object_get(o, key);

    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

json_t *gr_rest__json_string_of(json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);
    json_t *r = json_string(s ? s : "{}");

    free(s);
    return r;
}

/* Mattermost's query parsing: anything that is not a non-negative integer is the default. */
static size_t parse_size(const char *s, size_t dflt)
{
    char *end;
    long long n;

    if (s == NULL || *s < '0' || *s > '9')
        return dflt;
    n = strtoll(s, &end, 10);
    return (*end != '\0' || n < 0) ? dflt : (size_t)n;
}

int gr_rest_paging_parse(const char *page, const char *per_page, struct gr_rest_paging *out,
                         struct gr_apperr *e)
{
    (void)e;
    out->page = parse_size(page, 0);
    out->per_page = parse_size(per_page, 60);
    /* Clamped, not refused; griot reads per_page=0 as the default. */
    if (out->page > 1000000)
        out->page = 1000000;
    if (out->per_page == 0)
        out->per_page = 60;
    if (out->per_page > 200)
        out->per_page = 200;
    return 0;
}
