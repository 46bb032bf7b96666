/* SPDX-License-Identifier: MIT */
/*
 * test_adapter_alerts.c - the alerting sources: Grafana (signatures with the fixture headers,
 * the timestamp mode re-signed at the current time, stale and tampered requests), Alertmanager
 * and Uptime Kuma (which sign nothing), and the default rendering of every fixture in
 * ../shared/fixtures/{grafana,alertmanager,uptimekuma}, asserting real fragments: alert names,
 * values, links, colours, counts.
 *
 * Fixtures are found in $GRIOT_SHARED, else ../shared relative to the repository root (the
 * tests run from there). Set GRIOT_TEST_VERBOSE=1 to print every rendering. The adapters are
 * called directly (gr_adapter_grafana.parse(...)), not through the adapter table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "adapter/adapter.h"
#include "adapter/alerts.h"
#include "adapter/render.h"
#include "adapter/sig.h"
#include "core/utf8.h"

#define SECRET "griot-fixture-secret"

/* ---- fixtures ------------------------------------------------------------------------- */

struct hdrs {
    char *name[16];
    char *value[16];
    size_t n;
};

struct fx {
    char *body;
    size_t len;
    struct hdrs h;
    struct gr_src_request req;
};

static const char *shared(void)
{
    const char *s = getenv("GRIOT_SHARED");
    return s && s[0] ? s : "../shared";
}

static char *slurp(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)n + 1);
        if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
            free(p);
            p = NULL;
        } else if (p) {
            p[n] = '\0';
            *len_out = (size_t)n;
        }
    }
    fclose(f);
    return p;
}

static const char *hdr_get(void *ud, const char *name)
{
    struct hdrs *h = ud;
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->name[i], name) == 0)
            return h->value[i];
    return NULL;
}

static void hdr_set(struct hdrs *h, const char *name, const char *value)
{
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->name[i], name) == 0) {
            free(h->value[i]);
            h->value[i] = strdup(value);
            return;
        }
    }
    assert_true(h->n < 16);
    h->name[h->n] = strdup(name);
    h->value[h->n++] = strdup(value);
}

static void hdr_del(struct hdrs *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->name[i], name) == 0) {
            free(h->name[i]);
            free(h->value[i]);
            h->name[i] = h->name[h->n - 1];
            h->value[i] = h->value[h->n - 1];
            h->n--;
            return;
        }
    }
}

static void hdr_load(struct hdrs *h, const char *path)
{
    size_t len;
    char *text = slurp(path, &len), *line, *save = NULL;

    if (text == NULL)
        return;
    for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':'), *v;
        if (colon == NULL)
            continue;
        *colon = '\0';
        for (v = colon + 1; *v == ' '; v++)
            ;
        hdr_set(h, line, v);
    }
    free(text);
}

static void hdr_free(struct hdrs *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->name[i]);
        free(h->value[i]);
    }
    h->n = 0;
}

static void fx_init(struct fx *f, const char *body, size_t len)
{
    memset(f, 0, sizeof *f);
    f->body = malloc(len + 1);
    assert_non_null(f->body);
    memcpy(f->body, body, len);
    f->body[len] = '\0';
    f->len = len;
    f->req.content_type = "application/json";
    f->req.body = f->body;
    f->req.len = len;
    f->req.header = hdr_get;
    f->req.header_ud = &f->h;
    f->req.now_s = (int64_t)time(NULL);
}

/* Loads <shared>/fixtures/<dir>/<name>.json and its headers (<name><hsuffix>.headers). */
static void fx_load(struct fx *f, const char *dir, const char *name, const char *hsuffix)
{
    char path[512];
    size_t len = 0;
    char *body;

    snprintf(path, sizeof path, "%s/fixtures/%s/%s.json", shared(), dir, name);
    body = slurp(path, &len);
    if (body == NULL)
        fail_msg("fixture %s not found (set GRIOT_SHARED)", path);
    fx_init(f, body, len);
    free(body);
    snprintf(path, sizeof path, "%s/fixtures/%s/%s%s.headers", shared(), dir, name,
             hsuffix ? hsuffix : "");
    hdr_load(&f->h, path);
}

static void fx_free(struct fx *f)
{
    free(f->body);
    hdr_free(&f->h);
}

static void ev_free(struct gr_src_event *ev)
{
    /* gr_src_event_cleanup lives in adapter.c, which links every adapter. */
    json_decref(ev->payload);
    json_decref(ev->message);
    ev->payload = ev->message = NULL;
}

/* ---- message accessors and assertions ------------------------------------------------- */

static const char *text_of(const struct gr_src_event *ev)
{
    return gr_json_str(ev->message, "text");
}

static json_t *att_of(const struct gr_src_event *ev)
{
    return gr_json_path(ev->message, "attachments.0");
}

static const char *att_str(const struct gr_src_event *ev, const char *key)
{
    return json_string_value(json_object_get(att_of(ev), key));
}

static const char *field_of(const struct gr_src_event *ev, const char *title)
{
    json_t *f;
    size_t i;

    json_array_foreach(json_object_get(att_of(ev), "fields"), i, f)
    {
        if (strcmp(gr_json_str(f, "title"), title) == 0)
            return gr_json_str(f, "value");
    }
    return NULL;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

#define assert_has(hay, needle)                                                                    \
    do {                                                                                           \
        const char *h_ = (hay);                                                                    \
        if (h_ == NULL || strstr(h_, (needle)) == NULL)                                            \
            fail_msg("expected «%s» in:\n%s", (needle), h_ ? h_ : "(null)");                       \
    } while (0)

#define assert_hasnt(hay, needle)                                                                  \
    do {                                                                                           \
        const char *h_ = (hay);                                                                    \
        if (h_ != NULL && strstr(h_, (needle)) != NULL)                                            \
            fail_msg("unexpected «%s» in:\n%s", (needle), h_);                                     \
    } while (0)

static void show(const char *what, const struct gr_src_event *ev)
{
    char *dump;

    if (getenv("GRIOT_TEST_VERBOSE") == NULL)
        return;
    dump = json_dumps(ev->message, JSON_INDENT(2));
    printf("---- %s  (event \"%s\", delivery id \"%s\")\n%s\n\n[text]\n%s\n[attachment "
           "text]\n%s\n\n",
           what, ev->event, ev->delivery_id, dump ? dump : "?", text_of(ev) ? text_of(ev) : "",
           att_str(ev, "text") ? att_str(ev, "text") : "");
    free(dump);
}

/* Parses f with adapter a, expecting success; checks what every rendering must have. */
static void parse_ok(const struct gr_adapter *a, struct fx *f, struct gr_src_event *ev,
                     const char *what)
{
    struct gr_src_config cfg = {.tolerance_s = 300};
    struct gr_apperr e;
    int rc;

    memset(&e, 0, sizeof e);
    rc = a->parse(&cfg, &f->req, ev, &e);
    if (rc != 0)
        fail_msg("%s: parse -> %d %s %s", what, rc, e.id ? e.id : "", e.message);
    assert_non_null(ev->payload);
    assert_non_null(ev->message);
    assert_string_equal(ev->delivery_id, "");
    /* Markdown text is never empty, and one coloured attachment with a fallback follows. */
    assert_non_null(text_of(ev));
    assert_true(strlen(text_of(ev)) > 5);
    assert_int_equal(json_array_size(json_object_get(ev->message, "attachments")), 1);
    assert_non_null(att_str(ev, "color"));
    assert_non_null(att_str(ev, "fallback"));
    assert_true(strlen(att_str(ev, "fallback")) > 0);
    show(what, ev);
}

static void parse_fixture(const struct gr_adapter *a, const char *dir, const char *name,
                          struct gr_src_event *ev)
{
    struct fx f;

    fx_load(&f, dir, name, NULL);
    parse_ok(a, &f, ev, name);
    fx_free(&f);
}

static int parse_body(const struct gr_adapter *a, const char *body, struct gr_src_event *ev,
                      struct gr_apperr *e)
{
    struct gr_src_config cfg = {.tolerance_s = 300};
    struct fx f;
    int rc;

    fx_init(&f, body, strlen(body));
    memset(e, 0, sizeof *e);
    rc = a->parse(&cfg, &f.req, ev, e);
    if (rc == 0)
        show(body, ev);
    fx_free(&f);
    return rc;
}

/* ---- Grafana: signatures -------------------------------------------------------------- */

static const char *const grafana_signed[] = {
        "firing__three_alerts_v9",
        "resolved__v9",
        "mixed__firing_and_resolved_v9",
        "firing__values_dashboard_panel_v11",
};

static int gverify(struct fx *f, const char *const *secrets, size_t n, const char *ts_header,
                   int64_t tolerance, struct gr_apperr *e)
{
    struct gr_src_config cfg = {
            .secrets = secrets, .nsecrets = n, .tolerance_s = tolerance, .ts_header = ts_header};
    memset(e, 0, sizeof *e);
    return gr_adapter_grafana.verify(&cfg, &f->req, e);
}

static void test_grafana_sig_fixtures(void **state)
{
    const char *good[] = {SECRET}, *rotated[] = {"griot-old-secret", SECRET};
    struct gr_apperr e;

    (void)state;
    for (size_t i = 0; i < sizeof grafana_signed / sizeof grafana_signed[0]; i++) {
        struct fx f;
        fx_load(&f, "grafana", grafana_signed[i], NULL);
        assert_non_null(hdr_get(&f.h, "X-Grafana-Alerting-Signature"));
        assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 0);
        /* Rotation: the new secret second, as during a rollover. */
        assert_int_equal(gverify(&f, rotated, 2, NULL, 300, &e), 0);
        /* A hook that names a timestamp header still accepts Grafana's body-only mode when the
         * request carries no such header. */
        assert_int_equal(gverify(&f, good, 1, "X-Grafana-Alerting-Timestamp", 300, &e), 0);
        fx_free(&f);
    }
}

static void test_grafana_sig_refusals(void **state)
{
    const char *good[] = {SECRET}, *wrong[] = {"not-the-secret", "griot-fixture-secreT"};
    char sig[80];
    struct gr_apperr e;
    struct fx f;

    (void)state;
    fx_load(&f, "grafana", "firing__three_alerts_v9", NULL);
    assert_int_equal(gverify(&f, wrong, 2, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    /* Nothing in the refusal reveals the expected signature. */
    assert_hasnt(e.message, "82d250ac");

    /* One byte of the body changed: "Webhook test" -> "Webhook tesT". */
    char *p = strstr(f.body, "Webhook test");
    assert_non_null(p);
    p[11] = 'T';
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    p[11] = 't';
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 0);
    /* One byte more at the end (a re-serialised body). */
    f.req.len = f.len - 1;
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    f.req.len = f.len;

    /* Truncated or non-hex signatures are malformed; a missing or empty one is missing. */
    snprintf(sig, sizeof sig, "%.63s", hdr_get(&f.h, "X-Grafana-Alerting-Signature"));
    hdr_set(&f.h, "X-Grafana-Alerting-Signature", sig);
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    hdr_set(&f.h, "X-Grafana-Alerting-Signature", "sha256=82d250acd26c1deb04b38afe9a5994ca");
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    hdr_set(&f.h, "X-Grafana-Alerting-Signature", "");
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    hdr_del(&f.h, "X-Grafana-Alerting-Signature");
    assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    fx_free(&f);
}

static void test_grafana_sig_custom_header(void **state)
{
    const char *good[] = {SECRET};
    struct gr_src_config cfg = {.secrets = good, .nsecrets = 1, .sig_header = "X-Sig"};
    struct gr_apperr e;
    struct fx f;

    (void)state;
    fx_load(&f, "grafana", "resolved__v9", NULL);
    /* Grafana lets the contact point rename the header; --sig-header follows it. */
    assert_int_equal(gr_adapter_grafana.verify(&cfg, &f.req, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    hdr_set(&f.h, "X-Sig", hdr_get(&f.h, "X-Grafana-Alerting-Signature"));
    assert_int_equal(gr_adapter_grafana.verify(&cfg, &f.req, &e), 0);
    fx_free(&f);
}

/* Signs "<ts>:<body>" with secret, as Grafana does with a timestamp header. */
static void sign_ts(struct fx *f, const char *secret, int64_t ts)
{
    unsigned char mac[GR_SIG_MAX_MAC];
    char t[24];
    struct gr_buf hex;
    size_t n;

    snprintf(t, sizeof t, "%lld", (long long)ts);
    struct gr_slice parts[3] = {{t, strlen(t)}, {":", 1}, {f->body, f->len}};
    n = gr_sig_hmac(GR_SIG_SHA256, secret, strlen(secret), parts, 3, mac);
    gr_buf_init(&hex, 256);
    assert_int_equal(gr_sig_hex_encode(mac, n, &hex), GR_OK);
    hdr_set(&f->h, "X-Grafana-Alerting-Timestamp", t);
    hdr_set(&f->h, "X-Grafana-Alerting-Signature", gr_buf_str(&hex));
    gr_buf_cleanup(&hex);
}

static void test_grafana_sig_timestamp(void **state)
{
    const char *good[] = {SECRET}, *TS = "X-Grafana-Alerting-Timestamp";
    struct gr_apperr e;
    struct fx f, plain;
    int64_t now = (int64_t)time(NULL);

    (void)state;
    /* The captured header set: signed in 2024, so only valid with the window off. */
    fx_load(&f, "grafana", "firing__values_dashboard_panel_v11", ".timestamped");
    assert_string_equal(hdr_get(&f.h, TS), "1709258940");
    assert_int_equal(gverify(&f, good, 1, TS, 0, &e), 0);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.stale");
    /* The timestamp is signed: moving it breaks the signature (even with no window). */
    hdr_set(&f.h, TS, "1709258941");
    assert_int_equal(gverify(&f, good, 1, TS, 0, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    /* Without --ts-header the timestamped signature does not match the body alone. */
    hdr_set(&f.h, TS, "1709258940");
    assert_int_equal(gverify(&f, good, 1, NULL, 0, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");

    /* Re-signed now: accepted within the window, also a little in the future (clock skew). */
    sign_ts(&f, SECRET, now);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 0);
    sign_ts(&f, SECRET, now + 120);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 0);
    /* Stale on purpose: ten minutes old, or ten minutes ahead. */
    sign_ts(&f, SECRET, now - 600);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.stale");
    sign_ts(&f, SECRET, now + 600);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.stale");
    /* A forged request gets .mismatch whatever its timestamp: the window is checked last. */
    sign_ts(&f, "attacker", now - 600);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    /* Wrong secret, fresh timestamp. */
    sign_ts(&f, "attacker", now);
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    /* A signed but non-numeric timestamp is malformed. */
    hdr_set(&f.h, TS, "yesterday");
    {
        unsigned char mac[GR_SIG_MAX_MAC];
        struct gr_slice parts[3] = {{"yesterday", 9}, {":", 1}, {f.body, f.len}};
        struct gr_buf hex;
        size_t n = gr_sig_hmac(GR_SIG_SHA256, SECRET, strlen(SECRET), parts, 3, mac);
        gr_buf_init(&hex, 256);
        gr_sig_hex_encode(mac, n, &hex);
        hdr_set(&f.h, "X-Grafana-Alerting-Signature", gr_buf_str(&hex));
        gr_buf_cleanup(&hex);
    }
    assert_int_equal(gverify(&f, good, 1, TS, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");

    /* A body-only signature sent with a timestamp header does not verify in timestamp mode. */
    fx_load(&plain, "grafana", "firing__values_dashboard_panel_v11", NULL);
    hdr_set(&plain.h, TS, "1709258940");
    assert_int_equal(gverify(&plain, good, 1, TS, 0, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    fx_free(&plain);
    fx_free(&f);
}

/* ---- Grafana: rendering --------------------------------------------------------------- */

static void test_grafana_firing_three(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_grafana, "grafana", "firing__three_alerts_v9", &ev);
    assert_string_equal(ev.event, "firing");
    assert_string_equal(text_of(&ev),
                        "🔥 **[FIRING:3] Test alert, Second webhook test** (Webhook test)");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_RED);
    assert_string_equal(att_str(&ev, "fallback"),
                        "[FIRING:3] Test alert, Second webhook test (Webhook test)");
    t = att_str(&ev, "text");
    assert_true(strncmp(t, "- **Test alert** on `badhost.example.com`", 41) == 0);
    assert_int_equal(count(t, "- **"), 3);
    /* Not in commonAnnotations (the third alert's differs): said per alert. */
    assert_int_equal(count(t, "\n  This is a description\n"), 2);
    assert_has(t, "- **Test alert** on `badhost.example.com`: This is a summary field, failure "
                  "on badhost.example.com\n");
    assert_has(t, "- **Test alert** on `otherhost.example.com`: This is a summary field, "
                  "failure on otherhost.example.com");
    /* Values from valueString, the labels that tell alerts apart, the start time. */
    assert_has(t, "\n  `deploy=prod job=rabbitmq` · `B=17, C=1` · Since 2022-06-17 01:11 UTC");
    assert_has(t, "`B=24, C=1`");
    assert_has(t, "- **Second webhook test**: Testing \\*\\*another\\*\\* failing alert\n"
                  "  Description \\*\\*here\\*\\*\n  `B0=1` · Since 2022-06-17 01:03 UTC");
    ev_free(&ev);
}

static void test_grafana_links(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_grafana, "grafana", "firing__three_alerts_v9", &ev);
    t = att_str(&ev, "text");
    assert_int_equal(count(t, "[Source](https://grafana.example.com/alerting/grafana/"), 3);
    assert_has(t, "[Silence](https://grafana.example.com/alerting/silence/new?alertmanager="
                  "grafana&matcher=alertname%3DTest+alert&matcher=deploy%3Dprod&matcher="
                  "instance%3Dbadhost.example.com&matcher=job%3Drabbitmq&matcher=test%3Dtrue)");
    assert_int_equal(count(t, "[Silence]("), 3);
    /* The runbook all alerts share is linked once, next to the group link. */
    assert_int_equal(count(t, "[Runbook]("), 1);
    assert_has(t, "\n\n[Runbook](https://example.com/) · [Open in Grafana]"
                  "(https://grafana.example.com/alerting/list)");
    /* Dashboard and panel URLs are empty in Grafana 9 captures: no dead links. */
    assert_hasnt(t, "[Dashboard]");
    assert_hasnt(t, "[Panel]");
    assert_has(t, "Testing \\*\\*another\\*\\* failing alert");
    assert_has(t, "  Description \\*\\*here\\*\\*\n");
    assert_string_equal(field_of(&ev, "test"), "true");
    assert_string_equal(att_str(&ev, "footer"), "Grafana");
    ev_free(&ev);
}

static void test_grafana_resolved(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_grafana, "grafana", "resolved__v9", &ev);
    assert_string_equal(ev.event, "resolved");
    assert_string_equal(text_of(&ev), "✅ **[RESOLVED] Test alert** (Webhook test) — This is a "
                                      "summary field, failure on \\<no value\\>");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREEN);
    t = att_str(&ev, "text");
    /* The summary is in the headline; the item shows the description instead. */
    assert_has(t, "- **Test alert**: This is a description\n");
    assert_has(t, "`B0=24` · Resolved 2022-06-17 00:51 UTC after 10m 24s");
    assert_has(t, "[Source](https://grafana.example.com/alerting/grafana/zTjxv_C7k/view)");
    /* A single alert: its runbook is its own link; nothing to silence once resolved. */
    assert_has(t, "[Runbook](https://example.com/)");
    assert_hasnt(t, "[Silence]");
    assert_string_equal(field_of(&ev, "test"), "true");
    assert_null(field_of(&ev, "alertname"));
    ev_free(&ev);
}

static void test_grafana_mixed(void **state)
{
    struct gr_src_event ev;
    const char *t, *firing, *resolved;

    (void)state;
    parse_fixture(&gr_adapter_grafana, "grafana", "mixed__firing_and_resolved_v9", &ev);
    assert_string_equal(ev.event, "firing");
    assert_has(text_of(&ev), "🔥 **[FIRING:1, RESOLVED:2] Test alert, Second webhook test**");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_RED);
    t = att_str(&ev, "text");
    firing = strstr(t, "**Firing (1)**\n- **Second webhook test**");
    resolved = strstr(t, "\n\n**Resolved (2)**\n- **Test alert** on `badhost.example.com`");
    assert_non_null(firing);
    assert_non_null(resolved);
    assert_true(firing < resolved);
    assert_has(t, "Resolved 2022-06-17 01:08 UTC after 4m 28s");
    assert_has(t, "Since 2022-06-17 01:03 UTC");
    /* Only the firing alert can be silenced. */
    assert_int_equal(count(t, "[Silence]("), 1);
    ev_free(&ev);
}

static void test_grafana_v11_values(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_grafana, "grafana", "firing__values_dashboard_panel_v11", &ev);
    assert_string_equal(ev.event, "firing");
    assert_string_equal(text_of(&ev), "🔥 **[FIRING:1] Memory (copy)** (Debug webhook) — High "
                                      "memory usage");
    t = att_str(&ev, "text");
    /* The values map wins over valueString; 2473545728 stays an integer. */
    assert_has(t, "`A=2473545728, B=0, C=1, minute=9` · Since 2024-03-01 02:09 UTC");
    assert_has(t, "[Dashboard](https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9"
                  "?orgId=1)");
    assert_has(t, "[Panel](https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9"
                  "?orgId=1&viewPanel=2)");
    /* Grafana escapes & as \u0026; the link has the real character. */
    assert_has(t, "[Silence](https://play.grafana.org/alerting/silence/new?alertmanager=grafana"
                  "&matcher=alertname%3DMemory+%28copy%29&matcher=debug%3Dtrue");
    assert_has(t, "[Image](https://grafana.com/assets/img/blog/mixed_styles.png)");
    assert_has(t, "[Open in Grafana](https://play.grafana.org/alerting/list)");
    assert_string_equal(att_str(&ev, "image_url"),
                        "https://grafana.com/assets/img/blog/mixed_styles.png");
    assert_string_equal(field_of(&ev, "grafana_folder"), "device");
    assert_string_equal(field_of(&ev, "debug"), "true");
    ev_free(&ev);
}

static void test_grafana_legacy(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_grafana, "grafana", "legacy__alerting_test_notification", &ev);
    assert_string_equal(ev.event, "firing");
    assert_string_equal(text_of(&ev), "🔥 **\\[Alerting\\] Test notification**");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_RED);
    t = att_str(&ev, "text");
    assert_has(t, "[Test rule](http://localhost:3000/)\nSomeone is testing the alert "
                  "notification within grafana.");
    assert_has(t, "- **High value:** 100\n- **Higher Value:** 200");
    assert_string_equal(att_str(&ev, "image_url"),
                        "https://grafana.com/assets/img/blog/mixed_styles.png");
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_grafana,
                                "{\"state\":\"ok\",\"ruleName\":\"Disk\",\"title\":\"[OK] Disk\","
                                "\"evalMatches\":[]}",
                                &ev, &(struct gr_apperr){0}),
                     0);
    assert_string_equal(ev.event, "resolved");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREEN);
    ev_free(&ev);
}

/* 15 alerts, three more dropped by Grafana's maxAlerts: ten listed, then "and 8 more". */
static void test_grafana_many_alerts(void **state)
{
    struct gr_buf b;
    struct gr_src_event ev;
    struct gr_apperr e;
    const char *t;

    (void)state;
    gr_buf_init(&b, 1 << 20);
    gr_buf_appends(&b, "{\"receiver\":\"ops\",\"status\":\"firing\",\"truncatedAlerts\":3,"
                       "\"commonLabels\":{\"alertname\":\"HighCPU\"},\"alerts\":[");
    for (int i = 0; i < 15; i++)
        gr_buf_printf(&b,
                      "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighCPU\","
                      "\"instance\":\"web-%02d\"},\"values\":{\"A\":%d.5}}",
                      i ? "," : "", i, 90 + i);
    gr_buf_appends(&b, "]}");
    assert_int_equal(parse_body(&gr_adapter_grafana, gr_buf_str(&b), &ev, &e), 0);
    assert_string_equal(text_of(&ev), "🔥 **[FIRING:15] HighCPU** (ops)");
    t = att_str(&ev, "text");
    assert_int_equal(count(t, "- **HighCPU** on `web-"), 10);
    assert_has(t, "on `web-09`");
    assert_hasnt(t, "web-10");
    assert_has(t, "`A=90.5`");
    assert_has(t, "\n\n_… and 8 more alerts_");
    ev_free(&ev);
    gr_buf_cleanup(&b);
}

/* Hostile payloads: mentions and Markdown are neutralised, odd URLs never become links. */
static void test_grafana_hostile(void **state)
{
    struct gr_buf b;
    struct gr_src_event ev;
    struct gr_apperr e;
    const char *t;

    (void)state;
    gr_buf_init(&b, 1 << 20);
    gr_buf_appends(&b, "{\"status\":\"firing\",\"receiver\":\"@here [x](http://evil)\",\"alerts\":"
                       "[{\"labels\":{\"alertname\":\"@channel *wake up*\",\"instance\":"
                       "\"a`b\"},\"annotations\":{\"summary\":\"- list\\nsecond line\"},"
                       "\"generatorURL\":\"javascript:alert(1)\",\"silenceURL\":\"https://x/");
    for (int i = 0; i < 3000; i++)
        gr_buf_appendc(&b, 'a');
    gr_buf_appends(&b, "\",\"panelURL\":\"https://x/a b)c\"},42,null]}");
    assert_int_equal(parse_body(&gr_adapter_grafana, gr_buf_str(&b), &ev, &e), 0);
    assert_string_equal(ev.event, "firing");
    assert_has(text_of(&ev), "@\xe2\x80\x8b"
                             "channel \\*wake up\\*");
    assert_has(text_of(&ev), "(@\xe2\x80\x8bhere \\[x\\](http://evil))");
    t = att_str(&ev, "text");
    assert_has(t, "on `ab`");
    assert_hasnt(t, "javascript");
    assert_hasnt(t, "[Source]");
    assert_hasnt(t, "[Silence]"); /* longer than GR_ALERTS_MAX_URL */
    assert_has(t, "[Panel](https://x/a%20b%29c)");
    assert_hasnt(t, "second line");
    ev_free(&ev);
    gr_buf_cleanup(&b);
}

/* A long multi-byte status: the event name is cut inside its buffer, at a code point. */
static void test_long_event_names(void **state)
{
    struct gr_buf b;
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    gr_buf_init(&b, 4096);
    gr_buf_appends(&b, "{\"alerts\":[],\"status\":\"");
    for (int i = 0; i < 100; i++)
        gr_buf_appends(&b, "é");
    gr_buf_appends(&b, "\"}");
    memset(&ev, 0x55, sizeof ev);
    assert_int_equal(parse_body(&gr_adapter_alertmanager, gr_buf_str(&b), &ev, &e), 0);
    assert_int_equal(strlen(ev.event), 126);
    assert_true(gr_utf8_valid(ev.event, strlen(ev.event)));
    ev_free(&ev);
    gr_buf_cleanup(&b);
    gr_buf_init(&b, 4096);
    gr_buf_appends(&b, "{\"heartbeat\":{\"status\":0,\"timezone\":\"");
    for (int i = 0; i < 100; i++)
        gr_buf_appends(&b, "é");
    gr_buf_appends(&b, "\",\"localDateTime\":\"now\"},\"monitor\":{\"hostname\":\"");
    for (int i = 0; i < 200; i++)
        gr_buf_appends(&b, "ü");
    gr_buf_appends(&b, "\",\"port\":80}}");
    assert_int_equal(parse_body(&gr_adapter_uptimekuma, gr_buf_str(&b), &ev, &e), 0);
    /* Both fields survive (jansson refuses strings that are not valid UTF-8). */
    assert_non_null(field_of(&ev, "Host"));
    assert_has(field_of(&ev, "Host"), "üü:80");
    assert_true(gr_utf8_valid(field_of(&ev, "Host"), strlen(field_of(&ev, "Host"))));
    assert_int_equal(json_array_size(json_object_get(att_of(&ev), "fields")), 2);
    assert_true(strncmp(gr_json_str(att_of(&ev), "fields.1.title"), "Time (éé", 10) == 0);
    assert_string_equal(gr_json_str(att_of(&ev), "fields.1.value"), "now");
    ev_free(&ev);
    gr_buf_cleanup(&b);
}

static void test_grafana_unknown_and_invalid(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    /* Not a webhook body (the Slack contact point's, for the plain Mattermost path) but valid
     * JSON: rendered generically, never refused. */
    parse_fixture(&gr_adapter_grafana, "grafana", "slack_contact_point__resolved_constructed", &ev);
    assert_string_equal(ev.event, "");
    assert_string_equal(text_of(&ev), "📣 **Grafana** notification");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREY);
    assert_string_equal(field_of(&ev, "channel"), "#ops");
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_grafana, "{\"title\":\"custom\",\"status\":\"firing\"}",
                                &ev, &e),
                     0);
    assert_string_equal(ev.event, "firing");
    assert_string_equal(text_of(&ev), "📣 **Grafana** notification: custom");
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_grafana, "[1,2,3]", &ev, &e), 0);
    assert_string_equal(att_str(&ev, "text"), "`[1,2,3]`");
    ev_free(&ev);
    /* A group with no alerts at all. */
    assert_int_equal(parse_body(&gr_adapter_grafana, "{\"alerts\":[]}", &ev, &e), 0);
    assert_string_equal(text_of(&ev), "📣 **[ALERT] Grafana alert**");
    ev_free(&ev);

    assert_int_equal(parse_body(&gr_adapter_grafana, "{\"status\":", &ev, &e), 400);
    assert_string_equal(e.id, "griot.source.payload.invalid");
    assert_null(ev.payload);
    assert_null(ev.message);
    assert_int_equal(parse_body(&gr_adapter_grafana, "", &ev, &e), 400);
    assert_string_equal(e.id, "griot.source.payload.invalid");
    assert_int_equal(parse_body(&gr_adapter_grafana, "{} trailing", &ev, &e), 400);
    assert_string_equal(e.id, "griot.source.payload.invalid");
}

static void test_grafana_adapter_fields(void **state)
{
    (void)state;
    assert_string_equal(gr_adapter_grafana.name, "grafana");
    assert_string_equal(gr_adapter_alertmanager.name, "alertmanager");
    assert_string_equal(gr_adapter_uptimekuma.name, "uptimekuma");
    assert_false(gr_adapter_grafana.requires_auth);
    assert_false(gr_adapter_alertmanager.requires_auth);
    assert_false(gr_adapter_uptimekuma.requires_auth);
    assert_int_equal(gr_adapter_grafana.max_body, 2 * 1024 * 1024);
    assert_int_equal(gr_adapter_alertmanager.max_body, 2 * 1024 * 1024);
    assert_int_equal(gr_adapter_uptimekuma.max_body, 0);
}

/* ---- Alertmanager --------------------------------------------------------------------- */

static void test_unsigned_sources_refuse_secrets(void **state)
{
    const struct gr_adapter *srcs[] = {&gr_adapter_alertmanager, &gr_adapter_uptimekuma};
    const char *secrets[] = {"s"};
    struct gr_src_config cfg = {.secrets = secrets, .nsecrets = 1};
    struct gr_apperr e;
    struct fx f;

    (void)state;
    fx_load(&f, "alertmanager", "firing__two_alerts", NULL);
    for (size_t i = 0; i < 2; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(srcs[i]->verify(&cfg, &f.req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.malformed");
        assert_string_equal(e.message, "this source does not sign requests; use --auth-bearer");
    }
    fx_free(&f);
}

static void test_am_firing_two(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_alertmanager, "alertmanager", "firing__two_alerts", &ev);
    assert_string_equal(ev.event, "firing");
    assert_string_equal(text_of(&ev), "🔥 **[FIRING:2] High CPU Temperature** (ops-zulip) — High "
                                      "CPU core temperature");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_RED);
    t = att_str(&ev, "text");
    assert_has(t, "- **High CPU Temperature** on `andromeda`: CPU core temperature is 34.75C\n");
    assert_has(t, "- **High CPU Temperature** on `andromeda`: CPU core temperature is 17.625C\n");
    assert_has(t, "  Since 2020-02-06 00:17 UTC · [Source](http://cobalt:9090/graph?g0.expr=avg+"
                  "by%28host%29+%28sensors_temp_input%7Bfeature%3D~%22core_%5B0-9%5D%2B%22%7D%29"
                  "+%3E+15&g0.tab=1)");
    /* A silence pre-filled with the alert's labels, in Alertmanager's own UI. */
    assert_has(t, " · [Silence](http://ops1:9093/#/silences/new?filter=%7Balertname%3D%22High%20"
                  "CPU%20Temperature%22%2C%20host%3D%22andromeda%22%2C%20severity%3D%22critical"
                  "%22%7D)");
    assert_has(t, "\n\n[Open in Alertmanager](http://ops1:9093/#/alerts?receiver=ops-zulip)");
    assert_string_equal(field_of(&ev, "severity"), "critical");
    assert_string_equal(att_str(&ev, "footer"), "Alertmanager");
    ev_free(&ev);
}

static void test_am_resolved(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_alertmanager, "alertmanager", "resolved__single_alert", &ev);
    assert_string_equal(ev.event, "resolved");
    assert_string_equal(text_of(&ev), "✅ **[RESOLVED] High CPU Temperature** (ops-zulip) — High "
                                      "CPU core temperature");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREEN);
    t = att_str(&ev, "text");
    assert_has(t, "on `andromeda`: CPU core temperature is 34.75C");
    /* endsAt is Go's zero time in this capture: show when it started instead. */
    assert_has(t, "Started 2020-02-06 00:17 UTC · [Source](");
    assert_hasnt(t, "[Silence]");
    ev_free(&ev);
}

static void test_am_no_generatorurl(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_alertmanager, "alertmanager", "firing__single_alert_no_generatorurl",
                  &ev);
    assert_string_equal(ev.event, "firing");
    assert_string_equal(text_of(&ev), "🔥 **[FIRING:1] high\\_memory\\_load** (teams\\_proxy) — "
                                      "Prometheus Test");
    t = att_str(&ev, "text");
    /* Alerts without status take the group's; the -05:00 offset is converted to UTC. */
    assert_has(t,
               "- **high\\_memory\\_load** on `instance-with-hyphen_and_underscore`: Server High "
               "Memory usage\n  10.80.40.11 reported high memory usage with 23.28%.\n"
               "  Since 2018-03-07 11:33 UTC · [Silence](http://docker.for.mac.host.internal:"
               "9093/#/silences/new?filter=%7Balertname%3D%22high_memory_load%22%2C%20");
    assert_hasnt(t, "[Source]");
    /* This rule set calls its runbook annotation "runbook". */
    assert_has(t, "\n\n[Runbook](https://github.com/bzon/prometheus-msteams) · [Open in "
                  "Alertmanager](http://docker.for.mac.host.internal:9093/#/alerts?receiver="
                  "teams_proxy)");
    assert_string_equal(field_of(&ev, "monitor"), "master");
    assert_string_equal(field_of(&ev, "severity"), "warning");
    ev_free(&ev);
}

static void test_am_version3(void **state)
{
    struct gr_src_event ev;
    const char *t;

    (void)state;
    parse_fixture(&gr_adapter_alertmanager, "alertmanager", "firing__two_alerts_version3", &ev);
    assert_string_equal(ev.event, "firing");
    assert_has(text_of(&ev), "🔥 **[FIRING:2] something\\_happened** (admins) — runit service");
    t = att_str(&ev, "text");
    assert_has(t, "on `server01.int:9100`: Oops, something happened!\n  `env=prod` · Since "
                  "2016-04-27 20:46 UTC · [Source](https://example.com/graph#...)");
    assert_has(t, "on `server02.int:9100`: Oops, something happend!\n  `env=staging` · ");
    assert_has(t, "[Open in Alertmanager](https://alert-manager.example.com/#/alerts?receiver="
                  "admins)");
    assert_string_equal(field_of(&ev, "supervisor"), "runit");
    ev_free(&ev);
}

static void test_am_unknown_and_invalid(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    assert_int_equal(parse_body(&gr_adapter_alertmanager,
                                "{\"receiver\":\"x\",\"status\":\"resolved\"}", &ev, &e),
                     0);
    assert_string_equal(ev.event, "resolved");
    assert_string_equal(text_of(&ev), "📣 **Alertmanager** notification: resolved");
    assert_string_equal(field_of(&ev, "receiver"), "x");
    ev_free(&ev);
    /* Alerts whose status is neither firing nor resolved. */
    assert_int_equal(parse_body(&gr_adapter_alertmanager,
                                "{\"status\":\"sleeping\",\"alerts\":[{\"labels\":{\"alertname\":"
                                "\"A\"}}],\"externalURL\":\"ftp://x\"}",
                                &ev, &e),
                     0);
    assert_string_equal(ev.event, "sleeping");
    assert_string_equal(text_of(&ev), "📣 **[SLEEPING] A**");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREY);
    assert_hasnt(att_str(&ev, "text"), "ftp");
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_alertmanager, "not json", &ev, &e), 400);
    assert_string_equal(e.id, "griot.source.payload.invalid");
}

/* ---- Uptime Kuma ---------------------------------------------------------------------- */

static void test_uk_down(void **state)
{
    struct gr_src_event ev;

    (void)state;
    parse_fixture(&gr_adapter_uptimekuma, "uptimekuma", "webhook__down_constructed", &ev);
    assert_string_equal(ev.event, "down");
    assert_string_equal(text_of(&ev), "🔴 **[Example API](https://api.example.com/health)** is "
                                      "DOWN: Request failed with status code 503");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_RED);
    assert_string_equal(att_str(&ev, "fallback"),
                        "Example API is DOWN: Request failed with status code 503");
    assert_string_equal(field_of(&ev, "Reason"), "Request failed with status code 503");
    assert_string_equal(field_of(&ev, "URL"), "https://api.example.com/health");
    assert_string_equal(field_of(&ev, "Time (Africa/Dakar)"), "2026-03-14 09:26:53");
    assert_string_equal(field_of(&ev, "Type"), "http");
    assert_null(field_of(&ev, "Ping"));
    ev_free(&ev);
}

static void test_uk_up(void **state)
{
    struct gr_src_event ev;

    (void)state;
    parse_fixture(&gr_adapter_uptimekuma, "uptimekuma", "webhook__up_constructed", &ev);
    assert_string_equal(ev.event, "up");
    assert_string_equal(text_of(&ev), "🟢 **[Example API](https://api.example.com/health)** is "
                                      "UP (down for 15m)");
    assert_string_equal(att_str(&ev, "fallback"), "Example API is UP (down for 15m)");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREEN);
    assert_string_equal(field_of(&ev, "Response"), "200 - OK");
    assert_string_equal(field_of(&ev, "Ping"), "182 ms");
    /* Down at 09:26:53.589, up at 09:41:53.612. */
    assert_string_equal(field_of(&ev, "Downtime"), "15m");
    assert_string_equal(field_of(&ev, "Time (Africa/Dakar)"), "2026-03-14 09:41:53");
    ev_free(&ev);
}

static void test_uk_cert(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    parse_fixture(&gr_adapter_uptimekuma, "uptimekuma", "webhook__cert_expiry_constructed", &ev);
    assert_string_equal(ev.event, "certificate");
    assert_string_equal(text_of(&ev),
                        "⚠️ Certificate for **api.example.com** expires in 14 days "
                        "([Example API](https://api.example.com/health))");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_ORANGE);
    assert_string_equal(field_of(&ev, "Expires in"), "14 days");
    assert_string_equal(field_of(&ev, "Certificate"), "api.example.com");
    assert_string_equal(field_of(&ev, "Type"), "server");
    assert_string_equal(field_of(&ev, "Monitor"), "Example API");
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_uptimekuma,
                                "{\"heartbeat\":null,\"monitor\":null,\"msg\":\"[db][https://db."
                                "example.com] intermediate certificate R3 will expire in 1 days\"}",
                                &ev, &e),
                     0);
    assert_string_equal(ev.event, "certificate");
    assert_has(text_of(&ev), "**R3** expires in 1 day (");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_RED);
    ev_free(&ev);
}

static void test_uk_test_and_message(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    parse_fixture(&gr_adapter_uptimekuma, "uptimekuma", "webhook__test_constructed", &ev);
    assert_string_equal(ev.event, "test");
    assert_string_equal(text_of(&ev), "🧪 **Uptime Kuma** test notification");
    assert_string_equal(att_str(&ev, "text"), "Sent by the notification **Ops webhook**.");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_BLUE);
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_uptimekuma,
                                "{\"msg\":\"Backup done @all\\n*line two*\"}", &ev, &e),
                     0);
    assert_string_equal(ev.event, "message");
    assert_string_equal(text_of(&ev), "📣 **Uptime Kuma**: Backup done @\xe2\x80\x8b"
                                      "all");
    assert_string_equal(att_str(&ev, "text"), "Backup done @\xe2\x80\x8b"
                                              "all\n\\*line two\\*");
    ev_free(&ev);
}

/* The DOWN fixture with heartbeat.status (and maybe the monitor) changed. */
static int uk_variant(int status, const char *url, const char *hostname, struct gr_src_event *ev)
{
    char path[512];
    json_t *root, *mon;
    char *body;
    struct gr_apperr e;
    int rc;

    snprintf(path, sizeof path, "%s/fixtures/uptimekuma/webhook__down_constructed.json", shared());
    root = json_load_file(path, 0, NULL);
    assert_non_null(root);
    json_object_set_new(json_object_get(root, "heartbeat"), "status", json_integer(status));
    mon = json_object_get(root, "monitor");
    if (url != NULL) {
        json_object_set_new(mon, "url", json_string(url));
        json_object_set_new(mon, "type", json_string("port"));
        json_object_set_new(mon, "hostname", json_string(hostname));
        json_object_set_new(mon, "port", json_integer(5432));
        json_object_set_new(mon, "pathName", json_string("Databases / Primary"));
    }
    body = json_dumps(root, JSON_COMPACT);
    rc = parse_body(&gr_adapter_uptimekuma, body, ev, &e);
    free(body);
    json_decref(root);
    return rc;
}

static void test_uk_other_states(void **state)
{
    struct gr_src_event ev;

    (void)state;
    assert_int_equal(uk_variant(2, NULL, NULL, &ev), 0);
    assert_string_equal(ev.event, "pending");
    assert_has(text_of(&ev), "🟠 **[Example API](https://api.example.com/health)** is PENDING: ");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_ORANGE);
    ev_free(&ev);
    assert_int_equal(uk_variant(3, NULL, NULL, &ev), 0);
    assert_string_equal(ev.event, "maintenance");
    assert_has(text_of(&ev), "🔧 **[Example API](https://api.example.com/health)** is under "
                             "MAINTENANCE");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREY);
    ev_free(&ev);
    assert_int_equal(uk_variant(9, NULL, NULL, &ev), 0);
    assert_string_equal(ev.event, "heartbeat");
    assert_string_equal(att_str(&ev, "color"), GR_COLOR_GREY);
    ev_free(&ev);
    /* A port monitor: Uptime Kuma leaves url at "https://"; the host is shown, not linked. */
    assert_int_equal(uk_variant(0, "https://", "db.example.com", &ev), 0);
    assert_string_equal(text_of(&ev), "🔴 **Databases / Primary** is DOWN: Request failed with "
                                      "status code 503");
    assert_string_equal(field_of(&ev, "Host"), "db.example.com:5432");
    assert_null(field_of(&ev, "URL"));
    ev_free(&ev);
}

static void test_uk_unknown_and_invalid(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    /* The Mattermost provider's body is for the plain Mattermost path, not this adapter; sent
     * here by mistake it still renders (generically). */
    parse_fixture(&gr_adapter_uptimekuma, "uptimekuma", "mattermost__down_constructed", &ev);
    assert_string_equal(ev.event, "");
    assert_string_equal(text_of(&ev), "📣 **Uptime Kuma** notification");
    assert_string_equal(field_of(&ev, "username"), "Example API Uptime Kuma");
    ev_free(&ev);
    /* A heartbeat without monitor: the name comes from msg. */
    assert_int_equal(parse_body(&gr_adapter_uptimekuma,
                                "{\"heartbeat\":{\"status\":0,\"monitorID\":4,\"msg\":\"timeout\"},"
                                "\"msg\":\"[Shop] [🔴 Down] timeout\"}",
                                &ev, &e),
                     0);
    assert_string_equal(text_of(&ev), "🔴 **Shop** is DOWN: timeout");
    ev_free(&ev);
    assert_int_equal(parse_body(&gr_adapter_uptimekuma,
                                "{\"heartbeat\":{\"status\":1,\"monitorID\":4}}", &ev, &e),
                     0);
    assert_string_equal(text_of(&ev), "🟢 **Monitor \\#4** is UP");
    ev_free(&ev);
    /* Form-data mode is not JSON. */
    assert_int_equal(parse_body(&gr_adapter_uptimekuma,
                                "--x\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{}",
                                &ev, &e),
                     400);
    assert_string_equal(e.id, "griot.source.payload.invalid");
}

/* ---- every fixture -------------------------------------------------------------------- */

/* Parses every .json of the three fixture folders with its adapter: none may fail, each
 * rendering has text and a coloured attachment (parse_ok), and the signed Grafana ones verify. */
static void test_every_fixture(void **state)
{
    static const struct {
        const char *dir;
        const struct gr_adapter *a;
    } dirs[] = {{"grafana", &gr_adapter_grafana},
                {"alertmanager", &gr_adapter_alertmanager},
                {"uptimekuma", &gr_adapter_uptimekuma}};
    const char *good[] = {SECRET};
    size_t total = 0;

    (void)state;
    for (size_t d = 0; d < 3; d++) {
        char path[512];
        struct dirent *de;
        DIR *dir;
        size_t n = 0;

        snprintf(path, sizeof path, "%s/fixtures/%s", shared(), dirs[d].dir);
        dir = opendir(path);
        if (dir == NULL)
            fail_msg("no fixtures in %s (set GRIOT_SHARED)", path);
        while ((de = readdir(dir)) != NULL) {
            size_t len = strlen(de->d_name);
            char name[256];
            struct gr_src_event ev;
            struct gr_apperr e;
            struct fx f;

            if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 || len - 5 >= sizeof name)
                continue;
            memcpy(name, de->d_name, len - 5);
            name[len - 5] = '\0';
            fx_load(&f, dirs[d].dir, name, NULL);
            if (hdr_get(&f.h, "X-Grafana-Alerting-Signature") != NULL)
                assert_int_equal(gverify(&f, good, 1, NULL, 300, &e), 0);
            parse_ok(dirs[d].a, &f, &ev, de->d_name);
            ev_free(&ev);
            fx_free(&f);
            n++;
        }
        closedir(dir);
        assert_true(n >= 4);
        total += n;
    }
    assert_true(total >= 17);
}

/* ---- helpers -------------------------------------------------------------------------- */

static void test_helpers(void **state)
{
    int64_t t;
    char buf[32];
    struct gr_buf b;

    (void)state;
    assert_true(gr_alerts_time_parse("2024-03-01T02:09:00Z", &t));
    assert_int_equal(t, 1709258940);
    assert_true(gr_alerts_time_parse("2022-06-17T01:11:00.782137894Z", &t));
    gr_alerts_time_fmt(t, buf);
    assert_string_equal(buf, "2022-06-17 01:11 UTC");
    assert_true(gr_alerts_time_parse("2018-03-07T06:33:21.873077559-05:00", &t));
    gr_alerts_time_fmt(t, buf);
    assert_string_equal(buf, "2018-03-07 11:33 UTC");
    assert_true(gr_alerts_time_parse("2026-03-14 09:26:53.589", &t));
    assert_false(gr_alerts_time_parse("0001-01-01T00:00:00Z", &t));
    assert_true(gr_alerts_time_parse("2024-03-01T02:09:00", &t));
    assert_false(gr_alerts_time_parse("2024-03-01T02:09", &t));
    assert_false(gr_alerts_time_parse("2024-13-01T02:09:00Z", &t));
    assert_false(gr_alerts_time_parse("2024-03-01T02:09:00Zjunk", &t));
    assert_false(gr_alerts_time_parse(NULL, &t));
    gr_alerts_duration(45, buf);
    assert_string_equal(buf, "45s");
    gr_alerts_duration(268, buf);
    assert_string_equal(buf, "4m 28s");
    gr_alerts_duration(900, buf);
    assert_string_equal(buf, "15m");
    gr_alerts_duration(7500, buf);
    assert_string_equal(buf, "2h 5m");
    gr_alerts_duration(3 * 86400 + 4 * 3600 + 5, buf);
    assert_string_equal(buf, "3d 4h");
    gr_alerts_duration(-5, buf);
    assert_string_equal(buf, "0s");
    gr_buf_init(&b, 1024);
    assert_int_equal(gr_alerts_urlencode(&b, "{a=\"b c\"}~é"), GR_OK);
    assert_string_equal(gr_buf_str(&b), "%7Ba%3D%22b%20c%22%7D~%C3%A9");
    gr_buf_reset(&b);
    assert_int_equal(gr_alerts_url_join(&b, "https://g.example/", "/alerting/list"), GR_OK);
    assert_string_equal(gr_buf_str(&b), "https://g.example/alerting/list");
    gr_buf_reset(&b);
    assert_int_equal(gr_alerts_url_join(&b, "http://am:9093", "#/alerts"), GR_OK);
    assert_string_equal(gr_buf_str(&b), "http://am:9093/#/alerts");
    gr_buf_cleanup(&b);
    assert_true(gr_alerts_is_url("https://x"));
    assert_false(gr_alerts_is_url("https://"));
    assert_false(gr_alerts_is_url("javascript:alert(1)"));
    assert_false(gr_alerts_is_url("https://x/\nfoo"));
    assert_false(gr_alerts_is_url(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_grafana_sig_fixtures),
            cmocka_unit_test(test_grafana_sig_refusals),
            cmocka_unit_test(test_grafana_sig_custom_header),
            cmocka_unit_test(test_grafana_sig_timestamp),
            cmocka_unit_test(test_grafana_firing_three),
            cmocka_unit_test(test_grafana_links),
            cmocka_unit_test(test_grafana_resolved),
            cmocka_unit_test(test_grafana_mixed),
            cmocka_unit_test(test_grafana_v11_values),
            cmocka_unit_test(test_grafana_legacy),
            cmocka_unit_test(test_grafana_many_alerts),
            cmocka_unit_test(test_grafana_hostile),
            cmocka_unit_test(test_grafana_unknown_and_invalid),
            cmocka_unit_test(test_long_event_names),
            cmocka_unit_test(test_grafana_adapter_fields),
            cmocka_unit_test(test_unsigned_sources_refuse_secrets),
            cmocka_unit_test(test_am_firing_two),
            cmocka_unit_test(test_am_resolved),
            cmocka_unit_test(test_am_no_generatorurl),
            cmocka_unit_test(test_am_version3),
            cmocka_unit_test(test_am_unknown_and_invalid),
            cmocka_unit_test(test_uk_down),
            cmocka_unit_test(test_uk_up),
            cmocka_unit_test(test_uk_cert),
            cmocka_unit_test(test_uk_test_and_message),
            cmocka_unit_test(test_uk_other_states),
            cmocka_unit_test(test_uk_unknown_and_invalid),
            cmocka_unit_test(test_every_fixture),
            cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
