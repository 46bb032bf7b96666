/* SPDX-License-Identifier: MIT */
/*
 * alerts.c - the rendering Grafana and Alertmanager share (one notification group: a status,
 * common labels and annotations, and a list of alerts), and the generic rendering of unknown
 * shapes; see alerts.h. The writer and small helpers are in alerts_util.c.
 *
 * The message is a one-line headline in `text` (so every client, push notifications included,
 * shows what happened) and one coloured attachment whose Markdown text lists the alerts, one
 * item each: name, instance and summary; the description; then a row of the labels that tell
 * the alert apart, its values, its time and its links. Annotations and labels all alerts share
 * are shown once (headline summary, attachment fields) instead of once per alert.
 *
 * Payloads are untrusted: strings are escaped or put in code spans and cut to a few hundred
 * code points, URLs are linked only when http(s) and shorter than GR_ALERTS_MAX_URL, and at most
 * GR_ALERTS_MAX_LISTED alerts are listed, so a 2 MB body renders to a few tens of kilobytes.
 */
#include "adapter/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter/render.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static const char *nz(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static const char *ostr(json_t *obj, const char *key)
{
    return nz(json_string_value(json_object_get(obj, key)));
}

static gr_err cut(struct gr_buf *b, const char *s, size_t max)
{
    return gr_alerts_cut(b, s, max);
}

/* Payload text that starts a Markdown line: a leading "-", "+" or "1. " would open a list,
 * "---" or "===" would turn the line above into a heading. gr_md_text escapes the others. */
static void lead_line(struct gr_alerts_md *m, const char *s, size_t max)
{
    size_t d = strspn(s, "0123456789");
    bool ordered = d > 0 && d < 10 && (s[d] == '.' || s[d] == ')') &&
                   (s[d + 1] == ' ' || s[d + 1] == '\t' || s[d + 1] == '\0');

    if (s[0] == '-' || s[0] == '+' || s[0] == '=' || ordered) {
        gr_alerts_md_printf(m, "%.*s\\", (int)d, s);
        s += d;
    }
    gr_alerts_md_line(m, s, max);
}

/* ---- the group ---------------------------------------------------------------------------- */

enum { ST_FIRING, ST_RESOLVED, ST_OTHER };

struct group {
    json_t *root, *alerts;
    const struct gr_alerts_opts *o;
    const char *status; /* the group's status, or the one derived from its alerts; "" if none */
    size_t n;           /* alerts (objects) in the body */
    size_t count[3];    /* ... by class */
    json_t *clabels, *cann;
    const char *summary; /* the summary the headline shows, NULL if none */
};

static int klass(const char *s)
{
    if (s != NULL && strcmp(s, "firing") == 0)
        return ST_FIRING;
    if (s != NULL && strcmp(s, "resolved") == 0)
        return ST_RESOLVED;
    return ST_OTHER;
}

static const char *astatus(const struct group *g, json_t *a)
{
    const char *s = ostr(a, "status");
    return s ? s : g->status;
}

static bool is_common(json_t *common, const char *key, const char *val)
{
    const char *c = ostr(common, key);
    return c != NULL && val != NULL && strcmp(c, val) == 0;
}

bool gr_alerts_is_group(json_t *root)
{
    return json_is_object(root) && json_is_array(json_object_get(root, "alerts"));
}

/* The label that names where an alert fires, and its key. */
static const char *instance(json_t *labels, const char **key_out)
{
    static const char *const keys[] = {"instance", "host",    "hostname", "pod",
                                       "node",     "service", "job"};

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = ostr(labels, keys[i]);
        if (v != NULL) {
            *key_out = keys[i];
            return v;
        }
    }
    *key_out = NULL;
    return NULL;
}

static const char *derived_status(json_t *root)
{
    json_t *a;
    size_t i;
    bool any = false, all_resolved = true;

    json_array_foreach(json_object_get(root, "alerts"), i, a)
    {
        const char *s = ostr(a, "status");
        any = true;
        if (klass(s) == ST_FIRING)
            return "firing";
        if (klass(s) != ST_RESOLVED)
            all_resolved = false;
    }
    return any && all_resolved ? "resolved" : "";
}

const char *gr_alerts_status(json_t *root)
{
    const char *s = ostr(root, "status");
    return s ? s : derived_status(root);
}

/* The first alert object of the group, or NULL. */
static json_t *first(const struct group *g)
{
    json_t *a;
    size_t i;

    json_array_foreach(g->alerts, i, a)
    {
        if (json_is_object(a))
            return a;
    }
    return NULL;
}

static void group_init(struct group *g, json_t *root, const struct gr_alerts_opts *o)
{
    json_t *a;
    size_t i;

    memset(g, 0, sizeof *g);
    g->root = root;
    g->o = o;
    g->alerts = json_object_get(root, "alerts");
    g->status = gr_alerts_status(root);
    g->clabels = json_object_get(root, "commonLabels");
    g->cann = json_object_get(root, "commonAnnotations");
    json_array_foreach(g->alerts, i, a)
    {
        if (!json_is_object(a))
            continue;
        g->n++;
        g->count[klass(astatus(g, a))]++;
    }
    g->summary = ostr(g->cann, "summary");
    if (g->summary == NULL && g->n == 1)
        g->summary = ostr(json_object_get(first(g), "annotations"), "summary");
}

/* The alert name(s) as plain text: the common alertname, else up to three distinct names,
 * else the group labels' values, else "<source> alert". */
static gr_err names(const struct group *g, struct gr_buf *b)
{
    const char *seen[3] = {NULL, NULL, NULL}, *s;
    size_t nseen = 0, i;
    bool more = false;
    json_t *a, *v;
    const char *key;
    gr_err rc = GR_OK;

    if ((s = ostr(g->clabels, "alertname")) != NULL)
        return cut(b, s, 100);
    json_array_foreach(g->alerts, i, a)
    {
        size_t k;
        s = ostr(json_object_get(a, "labels"), "alertname");
        if (s == NULL)
            continue;
        for (k = 0; k < nseen && strcmp(seen[k], s) != 0; k++)
            ;
        if (k < nseen)
            continue;
        if (nseen == 3) {
            more = true;
            break;
        }
        seen[nseen++] = s;
    }
    for (i = 0; i < nseen && rc == GR_OK; i++) {
        if (i)
            rc = gr_buf_appends(b, ", ");
        if (rc == GR_OK)
            rc = cut(b, seen[i], 60);
    }
    if (rc == GR_OK && more)
        rc = gr_buf_appends(b, ", …");
    if (nseen > 0 || rc != GR_OK)
        return rc;
    json_object_foreach(json_object_get(g->root, "groupLabels"), key, v)
    {
        if (json_string_value(v) == NULL || b->len > 100)
            continue;
        if (b->len)
            rc = gr_buf_appendc(b, ' ');
        if (rc == GR_OK)
            rc = cut(b, json_string_value(v), 60);
    }
    if (b->len == 0 && rc == GR_OK)
        rc = gr_buf_printf(b, "%s alert", g->o->source);
    return rc;
}

/* "[FIRING:3, RESOLVED:2]", "[RESOLVED]" or "[<STATUS>]" (letters and digits only). */
static void tag(const struct group *g, char *out, size_t cap)
{
    size_t n = 1;

    if (klass(g->status) == ST_FIRING && g->count[ST_RESOLVED])
        snprintf(out, cap, "[FIRING:%zu, RESOLVED:%zu]", g->count[ST_FIRING],
                 g->count[ST_RESOLVED]);
    else if (klass(g->status) == ST_FIRING)
        snprintf(out, cap, "[FIRING:%zu]", g->count[ST_FIRING]);
    else if (klass(g->status) == ST_RESOLVED)
        snprintf(out, cap, "[RESOLVED]");
    else {
        out[0] = '[';
        for (const char *p = g->status; *p && n + 2 < cap && n < 24; p++)
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
                out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        if (n == 1) {
            snprintf(out, cap, "[ALERT]");
            return;
        }
        out[n++] = ']';
        out[n] = '\0';
    }
}

static const char *emoji(const struct group *g)
{
    switch (klass(g->status)) {
    case ST_FIRING:
        return "🔥";
    case ST_RESOLVED:
        return "✅";
    default:
        return g->count[ST_FIRING] ? "🔥" : "📣";
    }
}

static const char *colour(const struct group *g)
{
    switch (klass(g->status)) {
    case ST_FIRING:
        return GR_COLOR_RED;
    case ST_RESOLVED:
        return GR_COLOR_GREEN;
    default:
        return g->count[ST_FIRING] ? GR_COLOR_RED : GR_COLOR_GREY;
    }
}

/* The headline (Markdown, into m) and the same as plain text (the attachment's fallback). */
static gr_err headline(const struct group *g, struct gr_alerts_md *m, struct gr_buf *plain)
{
    const char *receiver = ostr(g->root, "receiver");
    struct gr_buf nb;
    char t[64];
    gr_err rc;

    gr_buf_init(&nb, 4096);
    tag(g, t, sizeof t);
    rc = names(g, &nb);
    if (rc != GR_OK)
        goto out;
    gr_alerts_md_printf(m, "%s **%s ", emoji(g), t);
    gr_alerts_md_text(m, gr_buf_str(&nb));
    gr_alerts_md_raw(m, "**");
    rc = gr_buf_printf(plain, "%s %s", t, gr_buf_str(&nb));
    if (receiver != NULL) {
        gr_alerts_md_raw(m, " (");
        gr_alerts_md_line(m, receiver, 80);
        gr_alerts_md_raw(m, ")");
        if (rc == GR_OK)
            rc = gr_buf_appends(plain, " (");
        if (rc == GR_OK)
            rc = cut(plain, receiver, 80);
        if (rc == GR_OK)
            rc = gr_buf_appendc(plain, ')');
    }
    if (g->summary != NULL) {
        gr_alerts_md_raw(m, " — ");
        gr_alerts_md_line(m, g->summary, 200);
        if (rc == GR_OK)
            rc = gr_buf_appends(plain, " — ");
        if (rc == GR_OK)
            rc = cut(plain, g->summary, 200);
    }
out:
    gr_buf_cleanup(&nb);
    return rc;
}

/* Labels that tell this alert apart from the others of the group, as "k=v k=v". */
static void distinct(const struct group *g, struct gr_alerts_md *row, json_t *labels,
                     const char *ikey)
{
    struct gr_buf t;
    const char *key;
    json_t *v;
    size_t k = 0;

    if (g->n < 2)
        return;
    gr_buf_init(&t, 4096);
    json_object_foreach(labels, key, v)
    {
        const char *s = json_string_value(v);
        if (s == NULL || strcmp(key, "alertname") == 0 || (ikey && strcmp(key, ikey) == 0) ||
            strncmp(key, "__", 2) == 0 || is_common(g->clabels, key, s))
            continue;
        if (k++ == 4) {
            gr_buf_appends(&t, " …");
            break;
        }
        if (t.len)
            gr_buf_appendc(&t, ' ');
        cut(&t, key, 40);
        gr_buf_appendc(&t, '=');
        cut(&t, s, 60);
    }
    if (t.len) {
        gr_alerts_md_sep(row);
        gr_alerts_md_code(row, gr_buf_str(&t));
    }
    gr_buf_cleanup(&t);
}

/* Reads Grafana's legacy "[ var='B' labels={...} value=17 ], [ var='C' ... value=1 ]" as
 * "B=17, C=1". Returns false when no value could be read. */
static bool value_string(struct gr_buf *t, const char *s)
{
    const char *p = s;
    size_t k = 0;

    while ((p = strstr(p, "var='")) != NULL) {
        const char *name = p + 5, *q = strchr(name, '\''), *from, *next, *lb, *v;
        size_t vlen;
        if (q == NULL)
            break;
        next = strstr(q, "var='");
        /* Label values may themselves contain " value=": look after the labels' brace. */
        from = q;
        lb = strstr(q, "labels={");
        if (lb != NULL && (next == NULL || lb < next) && strchr(lb, '}') != NULL)
            from = strchr(lb, '}');
        v = strstr(from, " value=");
        if (v == NULL || (next != NULL && v > next)) {
            p = q;
            continue;
        }
        v += 7;
        vlen = strcspn(v, " ],");
        if (k++ == 6) {
            gr_buf_appends(t, ", …");
            break;
        }
        if (t->len)
            gr_buf_appends(t, ", ");
        gr_alerts_cutn(t, name, (size_t)(q - name), 40);
        gr_buf_appendc(t, '=');
        gr_alerts_cutn(t, v, vlen, 40);
        p = v + vlen;
    }
    return k > 0;
}

static void values(struct gr_alerts_md *row, json_t *a)
{
    json_t *vals = json_object_get(a, "values"), *v;
    const char *vs = ostr(a, "valueString"), *key;
    struct gr_buf t;
    size_t k = 0;

    gr_buf_init(&t, 4096);
    if (json_is_object(vals) && json_object_size(vals) > 0) {
        json_object_foreach(vals, key, v)
        {
            char num[48];
            if (k++ == 6) {
                gr_buf_appends(&t, ", …");
                break;
            }
            gr_alerts_num_fmt(v, num, sizeof num);
            if (t.len)
                gr_buf_appends(&t, ", ");
            cut(&t, key, 40);
            gr_buf_appendc(&t, '=');
            cut(&t, num, 40);
        }
    } else if (vs != NULL && !value_string(&t, vs)) {
        gr_buf_reset(&t);
        cut(&t, vs, 120);
    }
    if (t.len) {
        gr_alerts_md_sep(row);
        gr_alerts_md_code(row, gr_buf_str(&t));
    }
    gr_buf_cleanup(&t);
}

static void when(struct gr_alerts_md *row, json_t *a, int k)
{
    int64_t s = 0, e = 0;
    bool hs = gr_alerts_time_parse(ostr(a, "startsAt"), &s);
    bool he = gr_alerts_time_parse(ostr(a, "endsAt"), &e);
    char ts[32], d[32];

    /* Alertmanager leaves endsAt at the zero time in some resolved notifications. */
    if (k == ST_RESOLVED && he) {
        gr_alerts_time_fmt(e, ts);
        gr_alerts_md_sep(row);
        gr_alerts_md_printf(row, "Resolved %s", ts);
        if (hs && e >= s) {
            gr_alerts_duration(e - s, d);
            gr_alerts_md_printf(row, " after %s", d);
        }
    } else if (hs) {
        gr_alerts_time_fmt(s, ts);
        gr_alerts_md_sep(row);
        gr_alerts_md_printf(row, "%s %s", k == ST_FIRING ? "Since" : "Started", ts);
    }
}

static void link_if(struct gr_alerts_md *row, const char *text, const char *url)
{
    if (gr_alerts_is_url(url)) {
        gr_alerts_md_sep(row);
        gr_alerts_md_link(row, text, url);
    }
}

/* The runbook annotation: runbook_url by convention, runbook in some rule sets. */
static const char *runbook_of(json_t *ann, const char **key_out)
{
    *key_out = gr_alerts_is_url(ostr(ann, "runbook_url")) ? "runbook_url" : "runbook";
    return ostr(ann, *key_out);
}

static void links(const struct group *g, struct gr_alerts_md *row, json_t *a, int k)
{
    const char *rkey, *runbook = runbook_of(json_object_get(a, "annotations"), &rkey);

    link_if(row, "Source", ostr(a, "generatorURL"));
    /* Silencing an alert that has already resolved is pointless: no link then. */
    if (k != ST_RESOLVED) {
        if (gr_alerts_is_url(ostr(a, "silenceURL"))) {
            link_if(row, "Silence", ostr(a, "silenceURL"));
        } else if (g->o->silence_url != NULL) {
            struct gr_buf u;
            gr_buf_init(&u, GR_ALERTS_MAX_URL + 1);
            if (g->o->silence_url(g->root, a, &u) == GR_OK)
                link_if(row, "Silence", gr_buf_str(&u));
            gr_buf_cleanup(&u);
        }
    }
    link_if(row, "Dashboard", ostr(a, "dashboardURL"));
    link_if(row, "Panel", ostr(a, "panelURL"));
    if (!(g->n > 1 && is_common(g->cann, rkey, runbook)))
        link_if(row, "Runbook", runbook);
    link_if(row, "Image", ostr(a, "imageURL"));
}

/* One list item: "- **name** on `instance`: summary", the description, then a row of
 * distinguishing labels, values, time and links. */
static void item(const struct group *g, struct gr_alerts_md *m, json_t *a)
{
    json_t *labels = json_object_get(a, "labels"), *ann = json_object_get(a, "annotations");
    const char *name = ostr(labels, "alertname"), *ikey, *inst = instance(labels, &ikey);
    const char *summary = ostr(ann, "summary"), *desc = ostr(ann, "description"), *first;
    int k = klass(astatus(g, a));
    struct gr_alerts_md row;

    if (summary != NULL && g->summary != NULL && strcmp(summary, g->summary) == 0)
        summary = NULL;
    if (desc != NULL && g->n > 1 && is_common(g->cann, "description", desc))
        desc = NULL;
    first = summary ? summary : desc;
    gr_alerts_md_raw(m, "- **");
    gr_alerts_md_line(m,
                      name                     ? name
                      : ostr(a, "fingerprint") ? ostr(a, "fingerprint")
                                               : "alert",
                      100);
    gr_alerts_md_raw(m, "**");
    if (inst != NULL && (name == NULL || strcmp(inst, name) != 0)) {
        gr_alerts_md_raw(m, " on ");
        gr_alerts_md_code_cut(m, inst, 100);
    }
    if (first != NULL) {
        gr_alerts_md_raw(m, ": ");
        gr_alerts_md_line(m, first, 200);
    }
    gr_alerts_md_raw(m, "\n");
    if (summary != NULL && desc != NULL) {
        gr_alerts_md_raw(m, "  ");
        lead_line(m, desc, 300);
        gr_alerts_md_raw(m, "\n");
    }
    gr_alerts_md_init(&row);
    distinct(g, &row, labels, ikey);
    values(&row, a);
    when(&row, a, k);
    links(g, &row, a, k);
    if (row.rc != GR_OK) {
        m->rc = row.rc;
    } else if (row.b.len) {
        gr_alerts_md_raw(m, "  ");
        gr_alerts_md_raw(m, gr_buf_str(&row.b));
        gr_alerts_md_raw(m, "\n");
    }
    gr_alerts_md_cleanup(&row);
}

/* The alert list, by status when statuses are mixed, capped at GR_ALERTS_MAX_LISTED. */
static void list(const struct group *g, struct gr_alerts_md *m)
{
    static const char *const titles[3] = {"Firing", "Resolved", "Other"};
    size_t shown = 0, hidden, classes = 0, i;
    long long truncated = 0;
    json_t *a;

    for (int k = 0; k < 3; k++)
        classes += g->count[k] > 0;
    for (int k = 0; k < 3; k++) {
        if (g->count[k] == 0 || shown == GR_ALERTS_MAX_LISTED)
            continue;
        if (classes > 1)
            gr_alerts_md_printf(m, "%s**%s (%zu)**\n", shown ? "\n" : "", titles[k], g->count[k]);
        json_array_foreach(g->alerts, i, a)
        {
            if (!json_is_object(a) || klass(astatus(g, a)) != k)
                continue;
            if (shown == GR_ALERTS_MAX_LISTED)
                break;
            item(g, m, a);
            shown++;
        }
    }
    /* truncatedAlerts counts the alerts the sender dropped (max_alerts / maxAlerts). */
    if (!gr_json_int(g->root, "truncatedAlerts", &truncated) || truncated < 0)
        truncated = 0;
    hidden = g->n - shown + (size_t)truncated;
    if (hidden > 0)
        gr_alerts_md_printf(m, "\n_… and %zu more alert%s_\n", hidden, hidden > 1 ? "s" : "");
}

/* Common labels (or the single alert's labels) as short fields, and Alertmanager's reason. */
static void fields(const struct group *g, json_t *att)
{
    json_t *src = g->clabels, *v;
    const char *key;
    size_t k = 0;

    if ((!json_is_object(src) || json_object_size(src) == 0) && g->n == 1)
        src = json_object_get(first(g), "labels");
    json_object_foreach(src, key, v)
    {
        const char *s = json_string_value(v);
        if (s == NULL || strcmp(key, "alertname") == 0 || strncmp(key, "__", 2) == 0)
            continue;
        if (k++ == 8)
            break;
        gr_alerts_field(att, key, s, true);
    }
    if (ostr(g->root, "notification_reason") != NULL)
        gr_alerts_field(att, "Reason", ostr(g->root, "notification_reason"), true);
}

static const char *image(const struct group *g)
{
    json_t *a;
    size_t i;

    json_array_foreach(g->alerts, i, a)
    {
        if (gr_alerts_is_url(ostr(a, "imageURL")))
            return ostr(a, "imageURL");
    }
    return NULL;
}

/* Removes trailing newlines: the JSON string should not end in blank lines. */
static const char *trimmed(struct gr_alerts_md *m)
{
    while (m->b.len > 0 && m->b.p[m->b.len - 1] == '\n')
        m->b.p[--m->b.len] = '\0';
    return gr_buf_str(&m->b);
}

gr_err gr_alerts_render(json_t *root, const struct gr_alerts_opts *o, json_t **msg_out)
{
    struct gr_alerts_md text, body, tail;
    struct gr_buf plain;
    struct group g;
    const char *desc, *runbook, *rkey;
    json_t *att = NULL;
    gr_err rc;

    *msg_out = NULL;
    group_init(&g, root, o);
    gr_alerts_md_init(&text);
    gr_alerts_md_init(&body);
    gr_alerts_md_init(&tail);
    gr_buf_init(&plain, 8192);
    rc = headline(&g, &text, &plain);
    if (rc != GR_OK)
        goto out;
    desc = ostr(g.cann, "description");
    if (g.n > 1 && desc != NULL) {
        lead_line(&body, desc, 300);
        gr_alerts_md_raw(&body, "\n\n");
    }
    list(&g, &body);
    /* The common runbook goes with the group, unless a single alert already links it. */
    runbook = runbook_of(g.cann, &rkey);
    if (g.n > 1 || !is_common(json_object_get(first(&g), "annotations"), rkey, runbook))
        link_if(&tail, "Runbook", runbook);
    link_if(&tail, o->group_url_text ? o->group_url_text : "Open", o->group_url);
    if (tail.rc == GR_OK && tail.b.len) {
        gr_alerts_md_raw(&body, "\n");
        gr_alerts_md_raw(&body, gr_buf_str(&tail.b));
    }
    rc = text.rc != GR_OK ? text.rc : body.rc != GR_OK ? body.rc : tail.rc;
    if (rc != GR_OK)
        goto out;
    att = gr_att_new(gr_buf_str(&plain), colour(&g));
    if (body.b.len)
        json_object_set_new(att, "text", json_string(trimmed(&body)));
    fields(&g, att);
    json_object_set_new(att, "footer", json_string(o->source));
    if (image(&g) != NULL)
        json_object_set_new(att, "image_url", json_string(image(&g)));
    *msg_out = gr_message_new(gr_buf_str(&text.b), att);
out:
    gr_alerts_md_cleanup(&text);
    gr_alerts_md_cleanup(&body);
    gr_alerts_md_cleanup(&tail);
    gr_buf_cleanup(&plain);
    return rc;
}

/* ---- unknown shapes --------------------------------------------------------------------- */

gr_err gr_alerts_generic(json_t *root, const char *source, const char *what, json_t **msg_out)
{
    static const char *const heads[] = {"title", "message", "msg", "status", "state", "text"};
    struct gr_alerts_md text;
    struct gr_buf plain;
    const char *head = NULL, *key;
    json_t *att, *v;
    size_t k = 0;
    gr_err rc;

    *msg_out = NULL;
    what = what ? what : "notification";
    for (size_t i = 0; i < sizeof heads / sizeof heads[0] && head == NULL; i++)
        head = ostr(root, heads[i]);
    gr_alerts_md_init(&text);
    gr_buf_init(&plain, 8192);
    gr_alerts_md_raw(&text, "📣 **");
    gr_alerts_md_text(&text, source);
    gr_alerts_md_raw(&text, "** ");
    gr_alerts_md_text(&text, what);
    rc = gr_buf_printf(&plain, "%s %s", source, what);
    if (head != NULL) {
        gr_alerts_md_raw(&text, ": ");
        gr_alerts_md_line(&text, head, 200);
        if (rc == GR_OK)
            rc = gr_buf_appends(&plain, ": ");
        if (rc == GR_OK)
            rc = cut(&plain, head, 200);
    }
    if (rc == GR_OK)
        rc = text.rc;
    if (rc != GR_OK)
        goto out;
    att = gr_att_new(gr_buf_str(&plain), GR_COLOR_GREY);
    json_object_foreach(root, key, v)
    {
        char num[64];
        if (json_is_object(v) || json_is_array(v) || json_is_null(v))
            continue;
        if (k++ == 8)
            break;
        gr_alerts_num_fmt(v, num, sizeof num);
        gr_alerts_field(att, key, json_is_string(v) ? json_string_value(v) : num, true);
    }
    if (!json_is_object(root)) {
        struct gr_alerts_md ex;
        char *dump = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
        gr_alerts_md_init(&ex);
        gr_alerts_md_code_cut(&ex, dump ? dump : "", 300);
        if (ex.rc == GR_OK && ex.b.len)
            json_object_set_new(att, "text", json_string(gr_buf_str(&ex.b)));
        gr_alerts_md_cleanup(&ex);
        free(dump);
    }
    json_object_set_new(att, "footer", json_string(source));
    *msg_out = gr_message_new(gr_buf_str(&text.b), att);
out:
    gr_alerts_md_cleanup(&text);
    gr_buf_cleanup(&plain);
    return rc;
}
