/* SPDX-License-Identifier: MIT */
/* hook_config.c - see hook_config.h. */
#include "app/hook_config.h"

#include <stdio.h>
#include <string.h>

#include "tmpl/tmpl.h"

static int bad(struct gr_apperr *e, const char *key)
{
    return gr_apperr_set(e, 400, "griot.hook.source_config.invalid",
                         "Invalid hook source setting '%s'.", key);
}

static int list(json_t *root, const char *key, const char **out, size_t max, size_t *n,
                struct gr_apperr *e)
{
    json_t *a = json_object_get(root, key), *v;
    size_t i;

    *n = 0;
    if (a == NULL || json_is_null(a))
        return 0;
    if (!json_is_array(a) || json_array_size(a) > max)
        return bad(e, key);
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0)
            return bad(e, key);
        out[(*n)++] = json_string_value(v);
    }
    return 0;
}

static int str(json_t *root, const char *key, const char **out, struct gr_apperr *e)
{
    json_t *v = json_object_get(root, key);

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return bad(e, key);
    *out = json_string_value(v)[0] ? json_string_value(v) : NULL;
    return 0;
}

static int num(json_t *root, const char *key, int64_t dflt, int64_t *out, struct gr_apperr *e)
{
    json_t *v = json_object_get(root, key);

    *out = dflt;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return bad(e, key);
    *out = json_integer_value(v);
    return 0;
}

int gr_hook_config_parse(const char *json, struct gr_hook_config *out, struct gr_apperr *e)
{
    const char *cidrs[GR_HC_MAX_LIST];
    size_t ncidrs = 0;
    json_t *ac;
    int code;

    memset(out, 0, sizeof *out);
    out->root = json_loads(json && json[0] ? json : "{}", 0, NULL);
    if (!json_is_object(out->root)) {
        json_decref(out->root);
        out->root = NULL;
        return bad(e, "(document)");
    }
    if ((code = list(out->root, "secrets", out->secrets, GR_HC_MAX_LIST, &out->nsecrets, e)) ||
        (code = list(out->root, "auth_bearer", out->bearer, GR_HC_MAX_LIST, &out->nbearer, e)) ||
        (code = list(out->root, "auth_basic", out->basic, GR_HC_MAX_LIST, &out->nbasic, e)) ||
        (code = list(out->root, "allow_ip", cidrs, GR_HC_MAX_LIST, &ncidrs, e)) ||
        (code = list(out->root, "events", out->events, 64, &out->nevents, e)) ||
        (code = str(out->root, "template", &out->template_src, e)) ||
        (code = num(out->root, "tolerance", 300, &out->tolerance_s, e)) ||
        (code = str(out->root, "lang", &out->lang, e)) ||
        (code = str(out->root, "sig_header", &out->sig_header, e)) ||
        (code = str(out->root, "sig_algo", &out->sig_algo, e)) ||
        (code = str(out->root, "sig_encoding", &out->sig_encoding, e)) ||
        (code = str(out->root, "sig_prefix", &out->sig_prefix, e)) ||
        (code = str(out->root, "sig_content", &out->sig_content, e)) ||
        (code = str(out->root, "ts_header", &out->ts_header, e)) ||
        (code = str(out->root, "channel_template", &out->channel_template, e)) ||
        (code = str(out->root, "allow_channel_prefix", &out->allow_channel_prefix, e)) ||
        (code = num(out->root, "dedup_window", 86400, &out->dedup_window_s, e)))
        goto fail;
    for (size_t i = 0; i < ncidrs; i++) {
        if (!gr_cidr_parse(cidrs[i], &out->allow[i])) {
            code = gr_apperr_set(e, 400, "griot.hook.source_config.invalid",
                                 "Invalid IP network '%s' in allow_ip.", cidrs[i]);
            goto fail;
        }
    }
    out->nallow = ncidrs;
    ac = json_object_get(out->root, "auto_create");
    if (ac && !json_is_null(ac)) {
        if (!json_is_boolean(ac)) {
            code = bad(e, "auto_create");
            goto fail;
        }
        out->auto_create = json_is_true(ac);
    }
    if (out->lang && strcmp(out->lang, "en") != 0 && strcmp(out->lang, "fr") != 0) {
        code = bad(e, "lang");
        goto fail;
    }
    /* The generic scheme fails closed on nonsense; say so when the hook is made, not at the
     * first delivery. */
    if (out->sig_algo && strcmp(out->sig_algo, "sha1") != 0 &&
        strcmp(out->sig_algo, "sha256") != 0 && strcmp(out->sig_algo, "sha512") != 0) {
        code = gr_apperr_set(e, 400, "griot.hook.source_config.invalid",
                             "Invalid sig_algo '%s': use sha1, sha256 or sha512.", out->sig_algo);
        goto fail;
    }
    if (out->sig_encoding && strcmp(out->sig_encoding, "hex") != 0 &&
        strcmp(out->sig_encoding, "base64") != 0) {
        code = gr_apperr_set(e, 400, "griot.hook.source_config.invalid",
                             "Invalid sig_encoding '%s': use hex or base64.", out->sig_encoding);
        goto fail;
    }
    if (out->sig_content) {
        const char *b = strstr(out->sig_content, "{body}");
        if (b == NULL || strstr(b + 1, "{body}") != NULL) {
            code = gr_apperr_set(e, 400, "griot.hook.source_config.invalid",
                                 "Invalid sig_content: it must contain {body} exactly once.");
            goto fail;
        }
        if (strstr(out->sig_content, "{ts}") && !out->ts_header) {
            code = gr_apperr_set(e, 400, "griot.hook.source_config.invalid",
                                 "sig_content uses {ts}: set ts_header (--ts-header) too.");
            goto fail;
        }
    }
    return 0;
fail:
    gr_hook_config_cleanup(out);
    return code;
}

void gr_hook_config_cleanup(struct gr_hook_config *c)
{
    json_decref(c->root);
    memset(c, 0, sizeof *c);
}

/* Forgejo and Gitea name events finely (pull_request_sync, issue_label) but let users choose
 * them coarsely (pull_request, issues): a filter also takes the finer names that extend it. */
static bool covers(const char *filter, const char *event)
{
    size_t n = strlen(filter);

    if (strcmp(filter, event) == 0)
        return true;
    if (strncmp(event, filter, n) == 0 && event[n] == '_')
        return true;
    return strcmp(filter, "issues") == 0 && strncmp(event, "issue_", 6) == 0 &&
           strcmp(event, "issue_comment") != 0;
}

bool gr_hook_config_wants(const struct gr_hook_config *c, const char *event, const char *action)
{
    char both[256];

    if (c->nevents == 0)
        return true;
    snprintf(both, sizeof both, "%s.%s", event, action ? action : "");
    for (size_t i = 0; i < c->nevents; i++)
        if (covers(c->events[i], event) ||
            (action && action[0] && strcmp(c->events[i], both) == 0))
            return true;
    return false;
}

json_t *gr_hook_config_public(const char *json)
{
    static const char *const secret_keys[] = {"secrets", "auth_bearer", "auth_basic"};
    json_t *root = json_loads(json && json[0] ? json : "{}", 0, NULL);

    if (!json_is_object(root)) {
        json_decref(root);
        return json_object();
    }
    for (size_t k = 0; k < sizeof secret_keys / sizeof secret_keys[0]; k++) {
        json_t *a = json_object_get(root, secret_keys[k]);
        if (json_is_array(a)) {
            json_t *r = json_array();
            for (size_t i = 0; i < json_array_size(a); i++)
                json_array_append_new(r, json_string("********"));
            json_object_set_new(root, secret_keys[k], r);
        }
    }
    return root;
}

/* Renders src against an empty context with the options ingest uses. */
static bool try_render(const char *src, char *err, size_t errlen)
{
    struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .helpers = true};
    json_t *ctx = json_object();
    struct gr_buf b;
    gr_err rc;

    gr_buf_init(&b, 1 << 20);
    rc = gr_tmpl_render_string(src, strlen(src), ctx, &o, &b, err, errlen);
    gr_buf_cleanup(&b);
    json_decref(ctx);
    return rc == GR_OK;
}

static bool check_strings(json_t *v, char *err, size_t errlen)
{
    json_t *x;
    const char *k;
    size_t i;

    if (json_is_string(v))
        return try_render(json_string_value(v), err, errlen);
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) if (!check_strings(x, err, errlen)) return false;
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) if (!check_strings(x, err, errlen)) return false;
    }
    return true;
}

int gr_hook_config_check(const struct gr_hook_config *c, struct gr_apperr *e)
{
    char err[160];
    const char *p = c->template_src;

    if (p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (p[0] == '{' && p[1] != '{') {
            json_error_t jerr;
            json_t *doc = json_loads(c->template_src, 0, &jerr);
            bool ok = json_is_object(doc);
            if (!ok)
                snprintf(err, sizeof err, "not a JSON object: %.100s (line %d)", jerr.text,
                         jerr.line);
            else
                ok = check_strings(doc, err, sizeof err);
            json_decref(doc);
            if (!ok)
                return gr_apperr_set(e, 400, "griot.hook.template.invalid",
                                     "The template does not work: %.150s", err);
        } else if (!try_render(c->template_src, err, sizeof err)) {
            return gr_apperr_set(e, 400, "griot.hook.template.invalid",
                                 "The template does not work: %.150s", err);
        }
    }
    if (c->channel_template && !try_render(c->channel_template, err, sizeof err))
        return gr_apperr_set(e, 400, "griot.hook.template.invalid",
                             "The channel template does not work: %.140s", err);
    return 0;
}
