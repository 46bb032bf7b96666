/* SPDX-License-Identifier: MIT */
/*
 * alertmanager.c - Prometheus Alertmanager's webhook receiver (spec sources.md §5).
 *
 * Alertmanager signs nothing: a hook is protected by a bearer token (`http_config.authorization`
 * in the receiver, `--auth-bearer` on the hook), basic auth or a source-IP allow-list, all
 * checked by the caller. verify() therefore refuses: it only runs when a hook has signing
 * secrets, which is a configuration mistake for this source.
 *
 * parse: the body (version 4, or the older version 3 without groupKey) is the shared alert
 * data model, rendered by adapter/alerts.c. Alertmanager carries no dashboard or silence URLs;
 * this file builds them from externalURL: the receiver's alert view
 * (<externalURL>/#/alerts?receiver=R) and a pre-filled silence per alert
 * (<externalURL>/#/silences/new?filter={k="v",...}), as Alertmanager's own templates do. The
 * event is the group's status; no delivery id (Alertmanager re-sends on purpose every
 * repeat_interval and re-fires after a resolve), so nothing is deduplicated.
 */
#include "adapter/adapter.h"

#include <string.h>

#include "adapter/alerts.h"
#include "adapter/render.h"

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    (void)cfg;
    (void)req;
    return gr_alerts_unsigned(e);
}

/* Appends a label value as a PromQL string literal body: \ and " escaped, newlines as \n. */
static gr_err quoted(struct gr_buf *b, const char *s)
{
    gr_err rc = GR_OK;

    for (; *s && rc == GR_OK; s++) {
        if (*s == '\\' || *s == '"')
            rc = gr_buf_appendc(b, '\\');
        if (rc == GR_OK)
            rc = *s == '\n' ? gr_buf_appends(b, "\\n") : gr_buf_appendc(b, *s);
    }
    return rc;
}

/* <externalURL>/#/silences/new?filter=%7Balertname%3D%22...%22%2C...%7D: the silence form of
 * Alertmanager's UI, pre-filled with the alert's labels. */
static gr_err silence_url(json_t *root, json_t *alert, struct gr_buf *url_out)
{
    const char *base = gr_json_str(root, "externalURL"), *key;
    json_t *labels = json_object_get(alert, "labels"), *v;
    struct gr_buf f;
    gr_err rc = GR_OK;

    if (!gr_alerts_is_url(base) || !json_is_object(labels) || json_object_size(labels) == 0)
        return GR_ENOTFOUND;
    gr_buf_init(&f, GR_ALERTS_MAX_URL);
    rc = gr_buf_appendc(&f, '{');
    json_object_foreach(labels, key, v)
    {
        if (!json_is_string(v) || rc != GR_OK)
            continue;
        if (f.len > 1)
            rc = gr_buf_appends(&f, ", ");
        if (rc == GR_OK)
            rc = gr_buf_printf(&f, "%s=\"", key);
        if (rc == GR_OK)
            rc = quoted(&f, json_string_value(v));
        if (rc == GR_OK)
            rc = gr_buf_appendc(&f, '"');
    }
    if (rc == GR_OK)
        rc = gr_buf_appendc(&f, '}');
    if (rc == GR_OK)
        rc = gr_alerts_url_join(url_out, base, "#/silences/new?filter=");
    if (rc == GR_OK)
        rc = gr_alerts_urlencode(url_out, gr_buf_str(&f));
    gr_buf_cleanup(&f);
    return rc;
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    struct gr_alerts_opts o = {.source = "Alertmanager",
                               .group_url_text = "Open in Alertmanager",
                               .silence_url = silence_url};
    const char *ext, *receiver;
    json_t *root = NULL, *msg = NULL;
    struct gr_buf url;
    gr_err rc;
    int st;

    (void)cfg;
    memset(out, 0, sizeof *out);
    st = gr_alerts_load(req, &root, e);
    if (st != 0)
        return st;
    gr_buf_init(&url, GR_ALERTS_MAX_URL + 1);
    if (gr_alerts_is_group(root)) {
        ext = gr_json_str(root, "externalURL");
        receiver = gr_json_str(root, "receiver");
        rc = GR_EINVAL;
        if (gr_alerts_is_url(ext))
            rc = gr_alerts_url_join(&url, ext, receiver ? "#/alerts?receiver=" : "#/alerts");
        if (rc == GR_OK && receiver != NULL)
            rc = gr_alerts_urlencode(&url, receiver);
        if (rc == GR_OK)
            o.group_url = gr_buf_str(&url);
        gr_alerts_event_set(out, gr_alerts_status(root));
        rc = gr_alerts_render(root, &o, &msg);
    } else {
        gr_alerts_event_set(out, gr_json_str(root, "status"));
        rc = gr_alerts_generic(root, "Alertmanager", "notification", &msg);
    }
    gr_buf_cleanup(&url);
    if (rc != GR_OK) {
        json_decref(root);
        return gr_apperr_set(e, 500, "griot.source.render.failed",
                             "The notification could not be rendered (%s).", gr_err_str(rc));
    }
    out->payload = root;
    out->message = msg;
    return 0;
}

const struct gr_adapter gr_adapter_alertmanager = {
        .name = "alertmanager",
        .display_name = "Alertmanager",
        .max_body = 2 * 1024 * 1024, /* large groups; max_alerts is off by default */
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
};
