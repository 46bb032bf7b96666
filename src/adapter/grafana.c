/* SPDX-License-Identifier: MIT */
/*
 * grafana.c - Grafana Alerting's webhook contact point (spec sources.md §4).
 *
 * verify: Grafana's optional "HMAC Signature" setting puts the lowercase hex HMAC-SHA256 of the
 * body in X-Grafana-Alerting-Signature (the header name is configurable in Grafana; the hook's
 * --sig-header overrides ours). When the contact point also has a "timestamp header", Grafana
 * puts the Unix time there and signs "<timestamp>:<body>"; griot uses that mode when the hook
 * names the header (--ts-header) and the request carries it, and then enforces the hook's
 * --tolerance window. Several secrets may be configured (rotation).
 *
 * parse: unified alerting (Grafana 9 to 11) posts the Alertmanager data model plus silenceURL,
 * dashboardURL, panelURL, imageURL, values and valueString; adapter/alerts.c renders it. The
 * legacy dashboard alerting body (ruleName, state, evalMatches) gets its own short rendering,
 * and anything else a generic one. The event is the group's status ("firing" / "resolved");
 * Grafana sends no delivery id and re-sends on purpose (repeat interval, re-firing), so
 * delivery_id stays "" and nothing is deduplicated.
 */
#include "adapter/adapter.h"

#include <string.h>

#include "adapter/alerts.h"
#include "adapter/render.h"
#include "adapter/sig.h"

#define SIG_HEADER "X-Grafana-Alerting-Signature"

static const char *header(const struct gr_src_request *req, const char *name)
{
    return req->header != NULL ? req->header(req->header_ud, name) : NULL;
}

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    const char *hname = cfg->sig_header && cfg->sig_header[0] ? cfg->sig_header : SIG_HEADER;
    const char *sig = header(req, hname), *ts = NULL;
    struct gr_slice parts[3];
    size_t n = 0;
    int rc;

    if (cfg->ts_header != NULL && cfg->ts_header[0] != '\0')
        ts = header(req, cfg->ts_header);
    if (ts != NULL && ts[0] != '\0') {
        parts[n++] = (struct gr_slice){ts, strlen(ts)};
        parts[n++] = (struct gr_slice){":", 1};
    }
    parts[n++] = (struct gr_slice){req->body, req->len};
    rc = gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, cfg->secrets, cfg->nsecrets, parts, n, sig, e);
    /* The window is checked after the MAC, so only a genuine (replayed) request learns that
     * its timestamp is stale; a forgery gets .mismatch whatever its timestamp. */
    if (rc == 0 && ts != NULL && ts[0] != '\0')
        rc = gr_sig_check_timestamp(ts, req->now_s, cfg->tolerance_s, e);
    return rc;
}

/* ---- legacy dashboard alerting (before Grafana 9) ------------------------------------------ */

static bool is_legacy(json_t *root)
{
    return json_is_object(root) && json_is_string(json_object_get(root, "state")) &&
           (json_object_get(root, "ruleName") || json_object_get(root, "evalMatches"));
}

struct legacy_state {
    const char *state, *event, *emoji, *colour;
};

static const struct legacy_state legacy_states[] = {
        {"alerting", "firing", "🔥", GR_COLOR_RED},     /* the rule fires */
        {"ok", "resolved", "✅", GR_COLOR_GREEN},       /* back to normal */
        {"no_data", "no_data", "❓", GR_COLOR_ORANGE},  /* the query returned nothing */
        {"pending", "pending", "⏳", GR_COLOR_ORANGE},  /* firing, within the "for" delay */
        {"paused", "paused", "⏸️", GR_COLOR_GREY}, /* someone paused the rule */
};

static const struct legacy_state *legacy_state(const char *state)
{
    static const struct legacy_state other = {"", NULL, "📣", GR_COLOR_GREY};

    for (size_t i = 0; i < sizeof legacy_states / sizeof legacy_states[0]; i++)
        if (state != NULL && strcmp(state, legacy_states[i].state) == 0)
            return &legacy_states[i];
    return &other;
}

static gr_err legacy(json_t *root, json_t **msg_out)
{
    const struct legacy_state *st = legacy_state(gr_json_str(root, "state"));
    const char *title = gr_json_str(root, "title"), *rule = gr_json_str(root, "ruleName");
    const char *msg = gr_json_str(root, "message"), *img = gr_json_str(root, "imageUrl");
    struct gr_alerts_md text, body;
    struct gr_buf fallback;
    json_t *m, *att;
    size_t i;
    gr_err rc;

    *msg_out = NULL;
    if (title == NULL || title[0] == '\0')
        title = rule && rule[0] ? rule : "Grafana alert";
    gr_alerts_md_init(&text);
    gr_alerts_md_init(&body);
    gr_buf_init(&fallback, 1024);
    gr_alerts_md_printf(&text, "%s **", st->emoji);
    gr_alerts_md_line(&text, title, 200);
    gr_alerts_md_raw(&text, "**");
    gr_alerts_md_link(&body, rule && rule[0] ? rule : "Alert rule", gr_json_str(root, "ruleUrl"));
    if (msg != NULL && msg[0] != '\0') {
        gr_alerts_md_raw(&body, "\n");
        gr_alerts_md_line(&body, msg, 500);
    }
    json_array_foreach(json_object_get(root, "evalMatches"), i, m)
    {
        json_t *v = json_object_get(m, "value");
        char num[48];
        if (i == GR_ALERTS_MAX_LISTED) {
            gr_alerts_md_raw(&body, "\n…");
            break;
        }
        gr_alerts_num_fmt(v, num, sizeof num);
        gr_alerts_md_raw(&body, i == 0 ? "\n\n- **" : "\n- **");
        gr_alerts_md_line(&body, gr_json_str(m, "metric") ? gr_json_str(m, "metric") : "value",
                          100);
        gr_alerts_md_printf(&body, ":** %s", num);
    }
    if (gr_alerts_is_url(img)) {
        gr_alerts_md_raw(&body, "\n\n");
        gr_alerts_md_link(&body, "Image", img);
    }
    rc = text.rc != GR_OK ? text.rc : body.rc;
    if (rc != GR_OK)
        goto out;
    rc = gr_alerts_cut(&fallback, title, 200);
    if (rc != GR_OK)
        goto out;
    att = gr_att_new(gr_buf_str(&fallback), st->colour);
    json_object_set_new(att, "text", json_string(gr_buf_str(&body.b)));
    json_object_set_new(att, "footer", json_string("Grafana"));
    if (gr_alerts_is_url(img))
        json_object_set_new(att, "image_url", json_string(img));
    *msg_out = gr_message_new(gr_buf_str(&text.b), att);
out:
    gr_alerts_md_cleanup(&text);
    gr_alerts_md_cleanup(&body);
    gr_buf_cleanup(&fallback);
    return rc;
}

/* ---- parse ------------------------------------------------------------------------------ */

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    struct gr_alerts_opts o = {.source = "Grafana", .group_url_text = "Open in Grafana"};
    struct gr_buf url;
    json_t *root = NULL, *msg = NULL;
    const char *ext;
    gr_err rc;
    int st;

    (void)cfg;
    memset(out, 0, sizeof *out);
    st = gr_alerts_load(req, &root, e);
    if (st != 0)
        return st;
    gr_buf_init(&url, GR_ALERTS_MAX_URL + 64);
    if (gr_alerts_is_group(root)) {
        ext = gr_json_str(root, "externalURL");
        if (gr_alerts_is_url(ext) && gr_alerts_url_join(&url, ext, "alerting/list") == GR_OK)
            o.group_url = gr_buf_str(&url);
        gr_alerts_event_set(out, gr_alerts_status(root));
        rc = gr_alerts_render(root, &o, &msg);
    } else if (is_legacy(root)) {
        const char *ev = legacy_state(gr_json_str(root, "state"))->event;
        gr_alerts_event_set(out, ev ? ev : gr_json_str(root, "state"));
        rc = legacy(root, &msg);
    } else {
        gr_alerts_event_set(out, gr_json_str(root, "status"));
        rc = gr_alerts_generic(root, "Grafana", "notification", &msg);
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

const struct gr_adapter gr_adapter_grafana = {
        .name = "grafana",
        .display_name = "Grafana",
        .max_body = 2 * 1024 * 1024, /* a group of many alerts, each with long URLs */
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
};
