/* SPDX-License-Identifier: MIT */
/*
 * uptimekuma.c - Uptime Kuma's "Webhook" notification in its JSON mode (spec sources.md §6).
 *
 * Uptime Kuma signs nothing and sends no delivery id: a hook is protected by a bearer token
 * (an "Additional Headers" entry on the Uptime Kuma side, `--auth-bearer` on the hook) or an
 * IP allow-list, both checked by the caller; verify() refuses, since it only runs when a hook
 * has signing secrets.
 *
 * The body is {"heartbeat", "monitor", "msg"}. A state change carries both objects; the event
 * is the heartbeat's status (0 "down", 1 "up", 2 "pending", 3 "maintenance"). Notices carry
 * only msg: certificate expiry ("[<name>][<url>] <type> certificate <CN> will expire in <N>
 * days", event "certificate"), the Test button ("<notification name> Testing", event "test")
 * and anything else (event "message"). Other shapes get a generic rendering.
 *
 * The form-data and custom-template body modes are not JSON objects of this shape; the first is
 * refused as invalid JSON, the second renders generically when it is JSON.
 */
#include "adapter/adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter/alerts.h"
#include "adapter/render.h"
#include "core/utf8.h"

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    (void)cfg;
    (void)req;
    return gr_alerts_unsigned(e);
}

static const char *nzstr(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

/* ---- heartbeats ----------------------------------------------------------------------- */

struct kind {
    const char *event, *emoji, *verb, *colour, *reason_title;
};

/* Indexed by heartbeat.status (src/util.ts: DOWN 0, UP 1, PENDING 2, MAINTENANCE 3). */
static const struct kind kinds[] = {
        {"down", "🔴", "is DOWN", GR_COLOR_RED, "Reason"},
        {"up", "🟢", "is UP", GR_COLOR_GREEN, "Response"},
        {"pending", "🟠", "is PENDING", GR_COLOR_ORANGE, "Reason"},
        {"maintenance", "🔧", "is under MAINTENANCE", GR_COLOR_GREY, "Message"},
};
static const struct kind unknown_kind = {"heartbeat", "📣", "changed state", GR_COLOR_GREY,
                                         "Message"};

/* The monitor's name: its path ("Group / Name"), its name, the "[name]" msg starts with, or
 * "Monitor #<id>". Writes into buf when it has to build one. */
static const char *monitor_name(json_t *mon, json_t *hb, const char *msg, char *buf, size_t cap)
{
    long long id;

    if (nzstr(mon, "pathName") != NULL)
        return nzstr(mon, "pathName");
    if (nzstr(mon, "name") != NULL)
        return nzstr(mon, "name");
    if (msg != NULL && msg[0] == '[' && strchr(msg, ']') != NULL) {
        size_t n = (size_t)(strchr(msg, ']') - msg - 1);
        if (n > 0 && n < cap) {
            memcpy(buf, msg + 1, n);
            buf[n] = '\0';
            return buf;
        }
    }
    if (gr_json_int(hb, "monitorID", &id) || gr_json_int(mon, "id", &id)) {
        snprintf(buf, cap, "Monitor #%lld", id);
        return buf;
    }
    return "Monitor";
}

/* Where the monitor points: its URL for HTTP-like monitors, else hostname[:port]. */
static const char *target(json_t *mon, char *buf, size_t cap)
{
    const char *url = nzstr(mon, "url"), *host = nzstr(mon, "hostname");
    long long port;

    /* Uptime Kuma stores "https://" as the url of monitors that have none. */
    if (gr_alerts_is_url(url))
        return url;
    if (host == NULL)
        return NULL;
    gr_alerts_copy(buf, cap - 8, host);
    if (gr_json_int(mon, "port", &port) && port > 0 && port < 65536)
        snprintf(buf + strlen(buf), 8, ":%lld", port);
    return buf;
}

/* An UP beat carries lastDownTime: how long the monitor was down, as "15m". */
static bool downtime(json_t *hb, char out[32])
{
    int64_t t0, t1;

    if (!gr_alerts_time_parse(nzstr(hb, "lastDownTime"), &t0) ||
        !gr_alerts_time_parse(nzstr(hb, "time"), &t1) || t1 < t0)
        return false;
    gr_alerts_duration(t1 - t0, out);
    return true;
}

static void tags(json_t *att, json_t *mon)
{
    struct gr_buf t;
    json_t *tag;
    size_t i;

    gr_buf_init(&t, 2048);
    json_array_foreach(json_object_get(mon, "tags"), i, tag)
    {
        const char *name = nzstr(tag, "name"), *value = nzstr(tag, "value");
        if (name == NULL || t.len > 200)
            continue;
        if (t.len)
            gr_buf_appends(&t, ", ");
        gr_alerts_cut(&t, name, 40);
        if (value != NULL) {
            gr_buf_appendc(&t, ':');
            gr_alerts_cut(&t, value, 40);
        }
    }
    if (t.len)
        gr_alerts_field(att, "Tags", gr_buf_str(&t), true);
    gr_buf_cleanup(&t);
}

static void beat_fields(json_t *att, const struct kind *k, json_t *hb, json_t *mon,
                        const char *where)
{
    const char *reason = nzstr(hb, "msg"), *tz = nzstr(hb, "timezone");
    const char *local = nzstr(hb, "localDateTime"), *utc = nzstr(hb, "time");
    json_t *ping = json_object_get(hb, "ping");
    char buf[160];
    long long retries;

    if (reason != NULL && strcmp(reason, "N/A") != 0)
        gr_alerts_field(att, k->reason_title, reason, false);
    if (where != NULL)
        gr_alerts_field(att, gr_alerts_is_url(where) ? "URL" : "Host", where, false);
    if (json_is_number(ping)) {
        snprintf(buf, sizeof buf, "%.0f ms", json_number_value(ping));
        gr_alerts_field(att, "Ping", buf, true);
    }
    if (local != NULL && tz != NULL) {
        char zone[100];
        gr_alerts_copy(zone, sizeof zone, tz);
        snprintf(buf, sizeof buf, "Time (%s)", zone);
        gr_alerts_field(att, buf, local, true);
    } else if (utc != NULL) {
        gr_alerts_field(att, "Time (UTC)", utc, true);
    }
    if (downtime(hb, buf))
        gr_alerts_field(att, "Downtime", buf, true);
    if (gr_json_int(hb, "retries", &retries) && retries > 0) {
        snprintf(buf, sizeof buf, "%lld", retries);
        gr_alerts_field(att, "Retries", buf, true);
    }
    if (nzstr(mon, "type") != NULL)
        gr_alerts_field(att, "Type", nzstr(mon, "type"), true);
    if (nzstr(mon, "description") != NULL)
        gr_alerts_field(att, "Description", nzstr(mon, "description"), false);
    tags(att, mon);
}

static gr_err beat(json_t *root, json_t *hb, struct gr_src_event *ev, json_t **msg_out)
{
    json_t *mon = json_object_get(root, "monitor"), *att;
    const char *msg = nzstr(root, "msg"), *reason = nzstr(hb, "msg"), *name, *where;
    const struct kind *k = &unknown_kind;
    struct gr_alerts_md text;
    struct gr_buf plain;
    char nbuf[160], tbuf[320], dbuf[32];
    long long st;
    gr_err rc;

    if (gr_json_int(hb, "status", &st) && st >= 0 && st < 4)
        k = &kinds[st];
    name = monitor_name(mon, hb, msg, nbuf, sizeof nbuf);
    where = target(mon, tbuf, sizeof tbuf);
    gr_alerts_event_set(ev, k->event);
    gr_alerts_md_init(&text);
    gr_buf_init(&plain, 4096);
    gr_alerts_md_printf(&text, "%s **", k->emoji);
    if (gr_alerts_is_url(where)) {
        struct gr_buf n;
        gr_buf_init(&n, 1024);
        gr_alerts_cut(&n, name, 100);
        gr_alerts_md_link(&text, gr_buf_str(&n), where);
        gr_buf_cleanup(&n);
    } else {
        gr_alerts_md_line(&text, name, 100);
    }
    gr_alerts_md_printf(&text, "** %s", k->verb);
    rc = gr_alerts_cut(&plain, name, 100);
    if (rc == GR_OK)
        rc = gr_buf_printf(&plain, " %s", k->verb);
    /* The reason belongs in the headline when something is wrong; for UP ("200 - OK") the
     * headline says how long it was down instead. */
    if (k == &kinds[1] && downtime(hb, dbuf)) {
        gr_alerts_md_printf(&text, " (down for %s)", dbuf);
        if (rc == GR_OK)
            rc = gr_buf_printf(&plain, " (down for %s)", dbuf);
    } else if (reason != NULL && strcmp(reason, "N/A") != 0 && k != &kinds[1]) {
        gr_alerts_md_raw(&text, ": ");
        gr_alerts_md_line(&text, reason, 200);
        if (rc == GR_OK)
            rc = gr_buf_appends(&plain, ": ");
        if (rc == GR_OK)
            rc = gr_alerts_cut(&plain, reason, 200);
    }
    if (rc == GR_OK)
        rc = text.rc;
    if (rc != GR_OK)
        goto out;
    att = gr_att_new(gr_buf_str(&plain), k->colour);
    beat_fields(att, k, hb, mon, where);
    json_object_set_new(att, "footer", json_string("Uptime Kuma"));
    *msg_out = gr_message_new(gr_buf_str(&text.b), att);
out:
    gr_alerts_md_cleanup(&text);
    gr_buf_cleanup(&plain);
    return rc;
}

/* ---- notices without a heartbeat ------------------------------------------------------- */

struct cert {
    char name[160], url[512], type[64], cn[256];
    long days;
};

/* Copies [a, b) into dst; false when it does not fit or is empty. */
static bool span(char *dst, size_t cap, const char *a, const char *b)
{
    if (b <= a || (size_t)(b - a) >= cap)
        return false;
    memcpy(dst, a, (size_t)(b - a));
    dst[b - a] = '\0';
    return true;
}

/* "[<name>][<url>] <type> certificate <CN> will expire in <N> days"
 * (server/model/monitor.js, sendCertNotificationByTargetDays). */
static bool cert_parse(const char *msg, struct cert *c)
{
    const char *p = msg, *q;
    char *end;

    if (*p != '[' || (q = strstr(p, "][")) == NULL || !span(c->name, sizeof c->name, p + 1, q))
        return false;
    p = q + 2;
    if ((q = strstr(p, "] ")) == NULL || !span(c->url, sizeof c->url, p, q))
        return false;
    p = q + 2;
    if ((q = strstr(p, " certificate ")) == NULL || !span(c->type, sizeof c->type, p, q))
        return false;
    p = q + 13;
    if ((q = strstr(p, " will expire in ")) == NULL || !span(c->cn, sizeof c->cn, p, q))
        return false;
    p = q + 16;
    c->days = strtol(p, &end, 10);
    return end != p && strncmp(end, " day", 4) == 0;
}

static gr_err cert_render(const struct cert *c, json_t **msg_out)
{
    struct gr_alerts_md text;
    char days[32], fallback[1024];
    json_t *att;

    /* A week or less left is urgent. */
    const char *colour = c->days <= 7 ? GR_COLOR_RED : GR_COLOR_ORANGE;

    snprintf(days, sizeof days, "%ld day%s", c->days, c->days == 1 ? "" : "s");
    gr_alerts_md_init(&text);
    gr_alerts_md_raw(&text, "⚠️ Certificate for **");
    gr_alerts_md_line(&text, c->cn, 100);
    gr_alerts_md_printf(&text, "** expires in %s (", days);
    gr_alerts_md_link(&text, c->name, c->url);
    gr_alerts_md_raw(&text, ")");
    if (text.rc != GR_OK) {
        gr_alerts_md_cleanup(&text);
        return text.rc;
    }
    snprintf(fallback, sizeof fallback, "Certificate for %s expires in %s (%s)", c->cn, days,
             c->name);
    att = gr_att_new(fallback, colour);
    gr_alerts_field(att, "Monitor", c->name, true);
    gr_alerts_field(att, "Expires in", days, true);
    gr_alerts_field(att, "Certificate", c->cn, true);
    gr_alerts_field(att, "Type", c->type, true);
    gr_alerts_field(att, "URL", c->url, false);
    json_object_set_new(att, "footer", json_string("Uptime Kuma"));
    *msg_out = gr_message_new(gr_buf_str(&text.b), att);
    gr_alerts_md_cleanup(&text);
    return GR_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* The Test button ("<name> Testing") and any other bare message. */
static gr_err notice(const char *msg, bool is_test, json_t **msg_out)
{
    struct gr_alerts_md text, body;
    struct gr_buf plain;
    json_t *att;
    gr_err rc;

    gr_alerts_md_init(&text);
    gr_alerts_md_init(&body);
    gr_buf_init(&plain, 2048);
    if (is_test) {
        gr_alerts_md_raw(&text, "🧪 **Uptime Kuma** test notification");
        /* msg is "<notification name> Testing": name the notification that works. */
        char *name = strndup(msg, strlen(msg) - strlen(" Testing"));
        gr_alerts_md_raw(&body, "Sent by the notification **");
        gr_alerts_md_line(&body, name ? name : "?", 200);
        gr_alerts_md_raw(&body, "**.");
        free(name);
        rc = gr_buf_appends(&plain, "Uptime Kuma test notification");
    } else {
        char *all = strndup(msg, gr_utf8_offset(msg, strlen(msg), 2000));
        gr_alerts_md_raw(&text, "📣 **Uptime Kuma**: ");
        gr_alerts_md_line(&text, msg, 300);
        /* The whole message, every line escaped; cut to 2000 code points. */
        gr_alerts_md_text(&body, all ? all : "");
        free(all);
        rc = gr_alerts_cut(&plain, msg, 300);
    }
    if (rc == GR_OK)
        rc = text.rc != GR_OK ? text.rc : body.rc;
    if (rc == GR_OK) {
        att = gr_att_new(gr_buf_str(&plain), is_test ? GR_COLOR_BLUE : GR_COLOR_GREY);
        json_object_set_new(att, "text", json_string(gr_buf_str(&body.b)));
        json_object_set_new(att, "footer", json_string("Uptime Kuma"));
        *msg_out = gr_message_new(gr_buf_str(&text.b), att);
    }
    gr_alerts_md_cleanup(&text);
    gr_alerts_md_cleanup(&body);
    gr_buf_cleanup(&plain);
    return rc;
}

/* ---- parse ------------------------------------------------------------------------------ */

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    json_t *root = NULL, *msg = NULL, *hb;
    const char *text;
    struct cert c;
    gr_err rc;
    int st;

    (void)cfg;
    memset(out, 0, sizeof *out);
    st = gr_alerts_load(req, &root, e);
    if (st != 0)
        return st;
    hb = json_object_get(root, "heartbeat");
    text = nzstr(root, "msg");
    if (json_is_object(hb)) {
        rc = beat(root, hb, out, &msg);
    } else if (text != NULL && cert_parse(text, &c)) {
        gr_alerts_event_set(out, "certificate");
        rc = cert_render(&c, &msg);
    } else if (text != NULL) {
        bool is_test = ends_with(text, " Testing") && strchr(text, '\n') == NULL;
        gr_alerts_event_set(out, is_test ? "test" : "message");
        rc = notice(text, is_test, &msg);
    } else {
        rc = gr_alerts_generic(root, "Uptime Kuma", "notification", &msg);
    }
    if (rc != GR_OK) {
        json_decref(root);
        return gr_apperr_set(e, 500, "griot.source.render.failed",
                             "The notification could not be rendered (%s).", gr_err_str(rc));
    }
    out->payload = root;
    out->message = msg;
    return 0;
}

const struct gr_adapter gr_adapter_uptimekuma = {
        .name = "uptimekuma",
        .display_name = "Uptime Kuma",
        .max_body = 0, /* a heartbeat and a monitor: a few kilobytes */
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
};
