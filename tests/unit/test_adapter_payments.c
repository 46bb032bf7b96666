/* SPDX-License-Identifier: MIT */
/*
 * test_adapter_payments.c - the Wave, Standard Webhooks and generic adapters, called directly.
 *
 * Every fixture of ../shared/fixtures/wave and ../shared/fixtures/standardwebhooks is replayed
 * with its own headers (their timestamps are years old, so with tolerance 0), then re-signed at
 * the current time with the fixture secrets and checked with the 300 s window: tampered body,
 * wrong secret, rotation (two secrets, two signatures), stale timestamps signed on purpose and
 * missing headers. The rendered Wave messages are compared exactly, in French and English, and
 * no phone number may appear in full anywhere in a message. The generic adapter is driven
 * through every scheme parameter. The shared directory is $GRIOT_SHARED, else ../shared seen
 * from the repository root (where the tests run); tests that need it are skipped without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "adapter/adapter.h"
#include "adapter/sig.h"
#include "adapter/summary.h"

#define WAVE_SECRET "griot-wave-test-secret"
#define WAVE_OLD    "griot-wave-old-secret"
#define SW_SECRET   "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SW_OTHER    "whsec_c2VjcmV0LW9mLWFub3RoZXItcHJvZHVjZXI="

/* ---- request headers ------------------------------------------------------------------ */

struct hdrs {
    size_t n;
    char name[16][64];
    char value[16][1024];
};

static const char *hdr_get(void *ud, const char *name)
{
    struct hdrs *h = ud;
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->name[i], name) == 0)
            return h->value[i];
    return NULL;
}

/* Sets (or with value NULL removes) a header. */
static void hdr_set(struct hdrs *h, const char *name, const char *value)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        if (strcasecmp(h->name[i], name) == 0)
            break;
    if (value == NULL) {
        if (i < h->n) {
            memmove(&h->name[i], &h->name[i + 1], (h->n - i - 1) * sizeof h->name[0]);
            memmove(&h->value[i], &h->value[i + 1], (h->n - i - 1) * sizeof h->value[0]);
            h->n--;
        }
        return;
    }
    assert_true(i < 16);
    if (i == h->n)
        h->n++;
    snprintf(h->name[i], sizeof h->name[i], "%s", name);
    snprintf(h->value[i], sizeof h->value[i], "%s", value);
}

static struct gr_src_request req_of(const char *body, size_t len, struct hdrs *h, int64_t now)
{
    return (struct gr_src_request){.content_type = hdr_get(h, "Content-Type"),
                                   .body = body,
                                   .len = len,
                                   .header = hdr_get,
                                   .header_ud = h,
                                   .now_s = now};
}

/* ---- fixtures ------------------------------------------------------------------------- */

static char *slurp(const char *rel, size_t *len_out)
{
    const char *root = getenv("GRIOT_SHARED");
    char path[1024];
    char *p = NULL;
    long n;
    FILE *f;

    snprintf(path, sizeof path, "%s/fixtures/%s", root && root[0] ? root : "../shared", rel);
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)n + 1);
        if (p && fread(p, 1, (size_t)n, f) == (size_t)n) {
            p[n] = '\0';
            *len_out = (size_t)n;
        } else {
            free(p);
            p = NULL;
        }
    }
    fclose(f);
    return p;
}

/* Loads "Name: value" lines into h; false when the file is missing. */
static bool load_headers(const char *rel, struct hdrs *h)
{
    size_t len;
    char *text = slurp(rel, &len), *line, *save = NULL;

    memset(h, 0, sizeof *h);
    if (text == NULL)
        return false;
    for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        hdr_set(h, line, colon + 1 + strspn(colon + 1, " "));
    }
    free(text);
    return true;
}

#define NEED(x)                                                                                    \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            print_message("shared fixtures not found: set GRIOT_SHARED or run from the repo "      \
                          "root with ../shared present\n");                                        \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

static void ev_free(struct gr_src_event *ev)
{
    json_decref(ev->payload);
    json_decref(ev->message);
    memset(ev, 0, sizeof *ev);
}

/* ---- signing, as the senders do it ---------------------------------------------------- */

static void mac_enc(enum gr_sig_algo algo, enum gr_sig_encoding enc, const void *key, size_t keylen,
                    const char *content, size_t len, struct gr_buf *out)
{
    unsigned char mac[GR_SIG_MAX_MAC];
    struct gr_slice part = {content, len};
    size_t n = gr_sig_hmac(algo, key, keylen, &part, 1, mac);

    assert_true(n > 0);
    if (enc == GR_SIG_HEX)
        assert_int_equal(gr_sig_hex_encode(mac, n, out), GR_OK);
    else
        assert_int_equal(gr_sig_b64_encode(mac, n, out), GR_OK);
}

/* "t=<t>,v1=<hex>" for body signed with secret at time t. */
static void wave_header(const char *secret, long long t, const char *body, size_t len,
                        struct gr_buf *out)
{
    struct gr_buf content;

    gr_buf_init(&content, GR_BUF_UNBOUNDED);
    gr_buf_printf(&content, "%lld", t);
    gr_buf_append(&content, body, len);
    gr_buf_printf(out, "t=%lld,v1=", t);
    mac_enc(GR_SIG_SHA256, GR_SIG_HEX, secret, strlen(secret), content.p, content.len, out);
    gr_buf_cleanup(&content);
}

/* "v1,<base64>" for a Standard Webhooks delivery. */
static void sw_sign(const char *secret, const char *id, const char *ts, const char *body,
                    size_t len, struct gr_buf *out)
{
    unsigned char key[128];
    size_t keylen;
    struct gr_buf content;

    if (strncmp(secret, "whsec_", 6) == 0)
        secret += 6;
    assert_true(gr_sig_b64_decode(secret, strlen(secret), key, sizeof key, &keylen));
    gr_buf_init(&content, GR_BUF_UNBOUNDED);
    gr_buf_printf(&content, "%s.%s.", id, ts);
    gr_buf_append(&content, body, len);
    gr_buf_appends(out, "v1,");
    mac_enc(GR_SIG_SHA256, GR_SIG_BASE64, key, keylen, content.p, content.len, out);
    gr_buf_cleanup(&content);
}

/* ---- reading a rendered message ------------------------------------------------------- */

static const char *text_of(const struct gr_src_event *ev)
{
    return json_string_value(json_object_get(ev->message, "text"));
}

static json_t *att_of(const struct gr_src_event *ev)
{
    return json_array_get(json_object_get(ev->message, "attachments"), 0);
}

static const char *field_of(const struct gr_src_event *ev, const char *title)
{
    json_t *fields = json_object_get(att_of(ev), "fields"), *f;
    size_t i;

    json_array_foreach(fields, i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "title")), title) == 0)
            return json_string_value(json_object_get(f, "value"));
    }
    return NULL;
}

/* Fails when any 5 consecutive national digits of phone (digits only) appear in the message. */
static void assert_no_phone(const struct gr_src_event *ev, const char *digits)
{
    char *dump = json_dumps(ev->message, 0);
    size_t n = strlen(digits);

    assert_non_null(dump);
    for (size_t i = 0; i + 5 <= n; i++) {
        char win[6];
        memcpy(win, digits + i, 5);
        win[5] = '\0';
        if (strstr(dump, win)) {
            print_message("phone digits %s leaked in %s\n", win, dump);
            fail();
        }
    }
    free(dump);
}

static int wave_parse(const char *body, size_t len, const char *lang, struct gr_src_event *ev)
{
    struct hdrs h = {0};
    struct gr_src_config cfg = {.lang = lang};
    struct gr_src_request req = req_of(body, len, &h, time(NULL));
    struct gr_apperr e;

    return gr_adapter_wave.parse(&cfg, &req, ev, &e);
}

/* ---- the adapters' table rows --------------------------------------------------------- */

static void test_adapter_rows(void **state)
{
    (void)state;
    assert_string_equal(gr_adapter_wave.name, "wave");
    assert_true(gr_adapter_wave.requires_auth);
    assert_string_equal(gr_adapter_stdwebhooks.name, "standard-webhooks");
    assert_true(gr_adapter_stdwebhooks.requires_auth);
    assert_string_equal(gr_adapter_generic.name, "generic");
    assert_false(gr_adapter_generic.requires_auth);
    assert_string_equal(gr_adapter_wave.display_name, "Wave");
    assert_string_equal(gr_adapter_stdwebhooks.display_name, "Webhook");
    assert_string_equal(gr_adapter_generic.display_name, "Webhook");
    assert_non_null(gr_adapter_generic.verify);
    assert_non_null(gr_adapter_generic.parse);
}

/* ---- Wave: verification --------------------------------------------------------------- */

static const char *const wave_fixtures[] = {
        "b2b_payment_received__constructed",
        "checkout_session_completed__constructed",
        "checkout_session_payment_failed__constructed",
        "merchant_payment_received__constructed",
};

static void test_wave_fixture_headers(void **state)
{
    const char *secrets[] = {WAVE_SECRET};
    const char *old_only[] = {WAVE_OLD};
    struct gr_src_config cfg = {.secrets = secrets, .nsecrets = 1, .tolerance_s = 0};
    struct gr_apperr e;
    char rel[256];

    (void)state;
    for (size_t i = 0; i < sizeof wave_fixtures / sizeof wave_fixtures[0]; i++) {
        struct hdrs h;
        size_t len;
        char *body;

        snprintf(rel, sizeof rel, "wave/%s.json", wave_fixtures[i]);
        body = slurp(rel, &len);
        NEED(body);
        snprintf(rel, sizeof rel, "wave/%s.headers", wave_fixtures[i]);
        NEED(load_headers(rel, &h));
        struct gr_src_request req = req_of(body, len, &h, time(NULL));
        /* The captured timestamps are from 2021: only a disabled window accepts them... */
        cfg.tolerance_s = 0;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 0);
        /* ...and the default window refuses them as stale. */
        cfg.tolerance_s = 300;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.stale");
        cfg.tolerance_s = 0;
        /* One byte changed. */
        body[len / 2] ^= 1;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        body[len / 2] ^= 1;
        /* Wrong secret. */
        cfg.secrets = old_only;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        cfg.secrets = secrets;
        /* No header at all. */
        hdr_set(&h, "Wave-Signature", NULL);
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.missing");
        free(body);
    }
}

static void test_wave_fixture_rotation_and_bearer(void **state)
{
    const char *new_only[] = {WAVE_SECRET}, *old_only[] = {WAVE_OLD};
    const char *tokens[] = {WAVE_SECRET};
    struct gr_src_config cfg = {.secrets = new_only, .nsecrets = 1};
    struct gr_apperr e;
    struct hdrs h;
    size_t len;
    char *body = slurp("wave/checkout_session_completed__constructed.json", &len);
    const char *auth;

    (void)state;
    NEED(body);
    /* Wave-Signature with one v1 per secret (old first): either secret alone verifies. */
    NEED(load_headers("wave/checkout_session_completed__constructed.rotation.headers", &h));
    struct gr_src_request req = req_of(body, len, &h, time(NULL));
    assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 0);
    cfg.secrets = old_only;
    assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 0);
    /* The shared-secret strategy: no Wave-Signature, a bearer token that the caller checks. */
    NEED(load_headers("wave/checkout_session_completed__constructed.shared_secret.headers", &h));
    assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    assert_non_null(strstr(e.message, "--auth-bearer"));
    auth = hdr_get(&h, "Authorization");
    assert_non_null(auth);
    assert_int_equal(strncmp(auth, "Bearer ", 7), 0);
    assert_int_equal(gr_sig_check_token(auth + 7, tokens, 1, &e), 0);
    assert_int_equal(gr_sig_check_token("griot-wave-old-secret", tokens, 1, &e), 401);
    free(body);
}

static void test_wave_resigned_now(void **state)
{
    const char *secrets[] = {WAVE_SECRET}, *both[] = {WAVE_OLD, WAVE_SECRET};
    struct gr_src_config cfg = {.secrets = secrets, .nsecrets = 1, .tolerance_s = 300};
    long long now = (long long)time(NULL);
    struct gr_buf sig, two;
    struct gr_apperr e;
    char rel[256];

    (void)state;
    gr_buf_init(&sig, 4096);
    gr_buf_init(&two, 4096);
    for (size_t i = 0; i < sizeof wave_fixtures / sizeof wave_fixtures[0]; i++) {
        struct hdrs h = {0};
        size_t len;
        char *body;

        snprintf(rel, sizeof rel, "wave/%s.json", wave_fixtures[i]);
        body = slurp(rel, &len);
        NEED(body);
        struct gr_src_request req = req_of(body, len, &h, now);
        hdr_set(&h, "Content-Type", "application/json");

        gr_buf_reset(&sig);
        wave_header(WAVE_SECRET, now - 10, body, len, &sig);
        hdr_set(&h, "Wave-Signature", sig.p);
        cfg.secrets = secrets;
        cfg.nsecrets = 1;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 0);
        /* Rotation on griot's side: old and new secret configured. */
        cfg.secrets = both;
        cfg.nsecrets = 2;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 0);
        /* Tampered body. */
        req.len = len - 1;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        req.len = len;
        /* Signed with a secret griot does not have. */
        gr_buf_reset(&sig);
        wave_header("someone-else", now, body, len, &sig);
        hdr_set(&h, "Wave-Signature", sig.p);
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        /* Wave rotating: two v1 entries, only the second made with our secret. */
        gr_buf_reset(&two);
        gr_buf_printf(&two, "%s,v1=", sig.p);
        gr_buf_reset(&sig);
        wave_header(WAVE_SECRET, now, body, len, &sig);
        gr_buf_appends(&two, strstr(sig.p, "v1=") + 3);
        hdr_set(&h, "Wave-Signature", two.p);
        cfg.secrets = secrets;
        cfg.nsecrets = 1;
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 0);
        /* An old timestamp, correctly signed on purpose: stale. Also from the future. */
        gr_buf_reset(&sig);
        wave_header(WAVE_SECRET, now - 301, body, len, &sig);
        hdr_set(&h, "Wave-Signature", sig.p);
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.stale");
        gr_buf_reset(&sig);
        wave_header(WAVE_SECRET, now + 3600, body, len, &sig);
        hdr_set(&h, "Wave-Signature", sig.p);
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.stale");
        /* Garbage and absence. */
        hdr_set(&h, "Wave-Signature", "v1=nothex");
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.malformed");
        hdr_set(&h, "Wave-Signature", NULL);
        assert_int_equal(gr_adapter_wave.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.missing");
        free(body);
    }
    gr_buf_cleanup(&sig);
    gr_buf_cleanup(&two);
}

/* ---- Wave: rendering ------------------------------------------------------------------ */

static void test_wave_payment_fr_en(void **state)
{
    const char *body = "{\"id\":\"AE_ex12500\",\"type\":\"merchant.payment_received\",\"data\":"
                       "{\"id\":\"T_EXAMPLE\",\"amount\":\"12500\",\"fee\":\"125\",\"currency\":"
                       "\"XOF\",\"sender_mobile\":\"+221781234567\",\"merchant_name\":\"Ma "
                       "Boutique\",\"custom_fields\":{\"note\":\"rappeler le +221781234567\","
                       "\"phone_number\":\"781234567\"},\"when_created\":"
                       "\"2024-01-15T10:13:04Z\"}}";
    struct gr_src_event ev;

    (void)state;
    assert_int_equal(wave_parse(body, strlen(body), "fr", &ev), 0);
    assert_string_equal(ev.event, "merchant.payment_received");
    assert_string_equal(ev.delivery_id, "AE_ex12500");
    assert_string_equal(text_of(&ev), "💰 Paiement Wave reçu : 12 500 XOF de +221 •• ••• •• 67");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "fallback")),
                        "💰 Paiement Wave reçu : 12 500 XOF de +221 •• ••• •• 67");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#2eb886");
    assert_string_equal(field_of(&ev, "Montant"), "12 500 XOF");
    assert_string_equal(field_of(&ev, "Frais"), "125 XOF");
    assert_string_equal(field_of(&ev, "Expéditeur"), "+221 •• ••• •• 67");
    assert_string_equal(field_of(&ev, "Marchand"), "Ma Boutique");
    assert_string_equal(field_of(&ev, "Transaction"), "T_EXAMPLE");
    assert_string_equal(field_of(&ev, "Date"), "2024-01-15 10:13:04 UTC");
    assert_string_equal(field_of(&ev, "note"), "rappeler le +221 •• ••• •• 67");
    assert_string_equal(field_of(&ev, "phone_number"), "• •• •• •• 67");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "footer")),
                        "Wave · AE_ex12500");
    assert_no_phone(&ev, "781234567");
    /* Templates get the masked form next to the original. */
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev.payload, "data"),
                                                          "sender_mobile_masked")),
                        "+221 •• ••• •• 67");
    ev_free(&ev);

    assert_int_equal(wave_parse(body, strlen(body), "en", &ev), 0);
    assert_string_equal(text_of(&ev), "💰 Wave payment received: 12,500 XOF from +221 •• ••• •• 67");
    assert_string_equal(field_of(&ev, "Amount"), "12,500 XOF");
    assert_string_equal(field_of(&ev, "Sender"), "+221 •• ••• •• 67");
    assert_string_equal(field_of(&ev, "Time"), "2024-01-15 10:13:04 UTC");
    assert_no_phone(&ev, "781234567");
    ev_free(&ev);

    /* No language, or an unknown one: English. */
    assert_int_equal(wave_parse(body, strlen(body), NULL, &ev), 0);
    assert_string_equal(text_of(&ev), "💰 Wave payment received: 12,500 XOF from +221 •• ••• •• 67");
    ev_free(&ev);
}

struct wave_expect {
    const char *name, *id, *fr, *en, *color;
};

static void test_wave_fixtures_render(void **state)
{
    static const struct wave_expect want[] = {
            {"b2b_payment_received__constructed", "AE_ijzo7oGgrlM9",
             "💰 Paiement B2B Wave reçu : 39 800 XOF — réf. FACT-456",
             "💰 Wave B2B payment received: 39,800 XOF — ref. FACT-456", "#2eb886"},
            {"checkout_session_completed__constructed", "EV_QvEZuDSQbLdI",
             "💰 Paiement Wave Checkout reçu : 1 000 XOF — réf. CMD-2024-001",
             "💰 Wave Checkout payment received: 1,000 XOF — ref. CMD-2024-001", "#2eb886"},
            {"checkout_session_payment_failed__constructed", "EV_8bO0d7TwW6Eq",
             "❌ Échec du paiement Wave Checkout : 1 000 XOF — réf. CMD-2024-001 (solde "
             "insuffisant)",
             "❌ Wave Checkout payment failed: 1,000 XOF — ref. CMD-2024-001 (insufficient funds)",
             "#d63c3c"},
            {"merchant_payment_received__constructed", "AE_ijzo7oGgrlM8",
             "💰 Paiement Wave reçu : 990 XOF de +221 •• ••• •• 01",
             "💰 Wave payment received: 990 XOF from +221 •• ••• •• 01", "#2eb886"},
    };
    char rel[256];

    (void)state;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct gr_src_event ev;
        size_t len;
        char *body;

        snprintf(rel, sizeof rel, "wave/%s.json", want[i].name);
        body = slurp(rel, &len);
        NEED(body);
        assert_int_equal(wave_parse(body, len, "fr", &ev), 0);
        assert_string_equal(ev.delivery_id, want[i].id);
        assert_string_equal(text_of(&ev), want[i].fr);
        assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")),
                            want[i].color);
        assert_no_phone(&ev, "761110001");
        ev_free(&ev);
        assert_int_equal(wave_parse(body, len, "en", &ev), 0);
        assert_string_equal(text_of(&ev), want[i].en);
        assert_no_phone(&ev, "761110001");
        if (strncmp(want[i].name, "checkout", 8) == 0) {
            /* Checkout sessions carry no phone: reference, transaction and status instead. */
            assert_null(field_of(&ev, "Sender"));
            assert_string_equal(field_of(&ev, "Reference"), "CMD-2024-001");
            assert_string_equal(field_of(&ev, "Amount"), "1,000 XOF");
            assert_non_null(field_of(&ev, "Status"));
        }
        if (strstr(want[i].name, "completed")) {
            assert_string_equal(field_of(&ev, "Transaction"), "TCN4Y4ZC3FM");
            assert_string_equal(field_of(&ev, "Status"), "succeeded");
            assert_string_equal(field_of(&ev, "Time"), "2024-01-15 10:15:32 UTC");
        }
        if (strstr(want[i].name, "failed"))
            assert_string_equal(field_of(&ev, "Error"), "insufficient funds");
        ev_free(&ev);
        free(body);
    }
}

static void test_wave_other_types(void **state)
{
    const char *test = "{\"id\":\"EV_t\",\"type\":\"test.test_event\",\"data\":{}}";
    const char *other = "{\"id\":\"EV_p\",\"type\":\"payout.completed\",\"data\":{\"amount\":"
                        "\"5000\",\"currency\":\"XOF\",\"receiver_mobile\":\"+225 07 07 12 34 "
                        "56\",\"status\":\"succeeded\"}}";
    const char *b2b_failed = "{\"id\":\"AE_f\",\"type\":\"b2b.payment_failed\",\"data\":{"
                             "\"amount\":\"70000\",\"currency\":\"XOF\",\"client_reference\":"
                             "\"FACT-9\",\"last_payment_error\":{\"code\":\"blocked\","
                             "\"message\":\"Account blocked\"}}}";
    struct gr_src_event ev;

    (void)state;
    assert_int_equal(wave_parse(test, strlen(test), "fr", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Événement de test Wave reçu : le webhook fonctionne.");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#3a87d9");
    ev_free(&ev);
    assert_int_equal(wave_parse(test, strlen(test), "en", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Wave test event received: the webhook works.");
    ev_free(&ev);

    assert_int_equal(wave_parse(other, strlen(other), "en", &ev), 0);
    assert_string_equal(ev.event, "payout.completed");
    assert_string_equal(text_of(&ev), "🔔 Wave event: `payout.completed` — 5,000 XOF");
    assert_string_equal(field_of(&ev, "Amount"), "5,000 XOF");
    assert_string_equal(field_of(&ev, "receiver_mobile"), "+225 •• •• •• •• 56");
    assert_string_equal(field_of(&ev, "status"), "succeeded");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#2eb886");
    assert_no_phone(&ev, "0707123456");
    ev_free(&ev);

    assert_int_equal(wave_parse(b2b_failed, strlen(b2b_failed), "fr", &ev), 0);
    assert_string_equal(text_of(&ev),
                        "❌ Échec du paiement B2B Wave : 70 000 XOF — réf. FACT-9 (Account "
                        "blocked)");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#d63c3c");
    ev_free(&ev);
}

static void test_wave_amounts(void **state)
{
    static const struct {
        const char *amount, *currency, *lang, *text;
    } cases[] = {
            {"\"1000000\"", "XOF", "fr", "💰 Paiement Wave reçu : 1 000 000 XOF"},
            {"\"12500.00\"", "XOF", "en", "💰 Wave payment received: 12,500 XOF"},
            {"\"12500.5\"", "XOF", "en", "💰 Wave payment received: 12,500.5 XOF"},
            {"\"1234.50\"", "EUR", "fr", "💰 Paiement Wave reçu : 1 234,50 EUR"},
            {"\"1234.50\"", "USD", "en", "💰 Wave payment received: 1,234.50 USD"},
            {"2500", "XOF", "en", "💰 Wave payment received: 2,500 XOF"},
            {"\"-1500\"", "XOF", "en", "💰 Wave payment received: -1,500 XOF"},
            {"\"0012\"", "XOF", "fr", "💰 Paiement Wave reçu : 12 XOF"},
            {"\"100\"", "XOF", "fr", "💰 Paiement Wave reçu : 100 XOF"},
            {"\"abc\"", "XOF", "en", "💰 Wave payment received: abc XOF"},
            {"\"999\"", "", "en", "💰 Wave payment received: 999"},
            {"null", "XOF", "fr", "💰 Paiement Wave reçu"},
    };
    char body[512];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gr_src_event ev;
        snprintf(body, sizeof body,
                 "{\"id\":\"E%zu\",\"type\":\"merchant.payment_received\",\"data\":{\"amount\":"
                 "%s,\"currency\":\"%s\"}}",
                 i, cases[i].amount, cases[i].currency);
        assert_int_equal(wave_parse(body, strlen(body), cases[i].lang, &ev), 0);
        assert_string_equal(text_of(&ev), cases[i].text);
        ev_free(&ev);
    }
}

static void test_wave_bad_bodies(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;
    struct hdrs h = {0};
    struct gr_src_config cfg = {.lang = "fr"};
    struct gr_src_request req = req_of("not json", 8, &h, 0);

    (void)state;
    assert_int_equal(gr_adapter_wave.parse(&cfg, &req, &ev, &e), 400);
    assert_string_equal(e.id, "griot.source.payload.invalid");
    /* Valid JSON of an unexpected shape still renders. */
    assert_int_equal(wave_parse("[1,2]", 5, "en", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Wave event");
    assert_string_equal(ev.event, "");
    assert_string_equal(ev.delivery_id, "");
    ev_free(&ev);
    assert_int_equal(wave_parse("{\"type\":7,\"data\":\"x\"}", 21, "en", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Wave event");
    ev_free(&ev);
    /* Markdown and mentions in payload values are neutralised. */
    const char *evil = "{\"id\":\"E\",\"type\":\"b2b.payment_received\",\"data\":{\"amount\":\"1\","
                       "\"currency\":\"XOF\",\"client_reference\":\"@channel *x* [a](b)\"}}";
    assert_int_equal(wave_parse(evil, strlen(evil), "en", &ev), 0);
    assert_string_equal(text_of(&ev), "💰 Wave B2B payment received: 1 XOF — ref. "
                                      "@\xe2\x80\x8b"
                                      "channel \\*x\\* \\[a\\](b)");
    ev_free(&ev);
}

/* ---- phone masking and times ---------------------------------------------------------- */

static void expect_mask(const char *in, const char *want, bool text)
{
    struct gr_buf b;

    gr_buf_init(&b, 4096);
    if (text)
        assert_int_equal(gr_adapter__mask_text(&b, in), GR_OK);
    else
        assert_int_equal(gr_adapter__phone_mask(&b, in), GR_OK);
    assert_string_equal(gr_buf_str(&b), want);
    gr_buf_cleanup(&b);
}

static void test_phone_mask(void **state)
{
    (void)state;
    expect_mask("+221761110001", "+221 •• ••• •• 01", false);
    expect_mask("+221 76 111 00 01", "+221 •• ••• •• 01", false);
    expect_mask("00221761110001", "+221 •• ••• •• 01", false);
    expect_mask("+2250707123456", "+225 •• •• •• •• 56", false);
    expect_mask("+33612345678", "+33 • •• •• •• 78", false);
    expect_mask("+256712345678", "+256 ••• ••• •78", false);
    expect_mask("+1 (555) 123-4567", "+1 (•••) •••-••67", false);
    expect_mask("761110001", "• •• •• •• 01", false);
    expect_mask("+2217", "••••••", false);
    expect_mask("call me", "••••••", false);
    expect_mask("", "", false);
    expect_mask("tel +221761110001.", "tel +221 •• ••• •• 01.", true);
    expect_mask("a +33 6 12 34 56 78 b", "a +33 • •• •• •• 78 b", true);
    expect_mask("2024-01-15 +5 items", "2024-01-15 +5 items", true);
    expect_mask("total +1500 XOF", "total +1500 XOF", true);
    assert_true(gr_adapter__is_phone_key("sender_mobile"));
    assert_true(gr_adapter__is_phone_key("PhoneNumber"));
    assert_true(gr_adapter__is_phone_key("msisdn"));
    assert_true(gr_adapter__is_phone_key("tel"));
    assert_false(gr_adapter__is_phone_key("hotel"));
    assert_false(gr_adapter__is_phone_key("amount"));
}

static void test_time_and_ids(void **state)
{
    struct gr_buf b;
    char id[160], name[16];
    char long_id[300];

    (void)state;
    gr_buf_init(&b, 1024);
    gr_adapter__time(&b, "2022-11-03T20:26:10.344522Z");
    assert_string_equal(gr_buf_str(&b), "2022-11-03 20:26:10 UTC");
    gr_buf_reset(&b);
    gr_adapter__time(&b, "2024-01-15T10:13:04+01:00");
    assert_string_equal(gr_buf_str(&b), "2024-01-15 10:13:04 +01:00");
    gr_buf_reset(&b);
    gr_adapter__time(&b, "yesterday");
    assert_string_equal(gr_buf_str(&b), "yesterday");
    gr_buf_cleanup(&b);

    gr_adapter__set_id(id, sizeof id, "EV_QvEZuDSQbLdI");
    assert_string_equal(id, "EV_QvEZuDSQbLdI");
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    gr_adapter__set_id(id, sizeof id, long_id);
    assert_int_equal(strncmp(id, "sha256:", 7), 0);
    assert_int_equal(strlen(id), 7 + 64);
    gr_adapter__set_id(id, sizeof id, "with space");
    assert_int_equal(strncmp(id, "sha256:", 7), 0);
    gr_adapter__set_id(id, sizeof id, NULL);
    assert_string_equal(id, "");
    /* Names are cut on a code point boundary and lose control characters. */
    gr_adapter__copy_name(name, sizeof name, "événement.reçu.ok");
    assert_string_equal(name, "événement.re");
    gr_adapter__copy_name(name, sizeof name, "a\nb");
    assert_string_equal(name, "a_b");
}

/* ---- Standard Webhooks ---------------------------------------------------------------- */

static void test_stdwebhooks_fixtures(void **state)
{
    const char *secrets[] = {SW_SECRET};
    struct gr_src_config cfg = {.secrets = secrets, .nsecrets = 1, .tolerance_s = 0};
    struct gr_apperr e;
    struct hdrs h;
    size_t len, vlen;
    char *body = slurp("standardwebhooks/sign_vector.body", &len);
    char *vectors = slurp("standardwebhooks/test_vectors.json", &vlen);
    json_t *tv, *bad;
    struct gr_buf sig;
    size_t i;

    (void)state;
    NEED(body && vectors);
    assert_int_equal(len, 20);
    NEED(load_headers("standardwebhooks/sign_vector.headers", &h));
    struct gr_src_request req = req_of(body, len, &h, time(NULL));
    assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
    cfg.tolerance_s = 300;
    assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.stale");
    /* At its own time, the official vector passes the 300 s window too. */
    req.now_s = 1614265330 + 299;
    assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
    cfg.tolerance_s = 0;
    NEED(load_headers("standardwebhooks/sign_vector.multi_signature.headers", &h));
    assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);

    /* test_vectors.json: our signer reproduces the expected value; the invalid ones fail. */
    tv = json_loadb(vectors, vlen, 0, NULL);
    assert_non_null(tv);
    gr_buf_init(&sig, 1024);
    sw_sign(json_string_value(json_object_get(tv, "secret")),
            json_string_value(json_object_get(tv, "msg_id")), "1614265330",
            json_string_value(json_object_get(tv, "payload")),
            strlen(json_string_value(json_object_get(tv, "payload"))), &sig);
    assert_string_equal(sig.p, json_string_value(json_object_get(tv, "expected_signature")));
    NEED(load_headers("standardwebhooks/sign_vector.headers", &h));
    json_array_foreach(json_object_get(tv, "known_invalid_signatures_from_tests"), i, bad)
    {
        hdr_set(&h, "webhook-signature", json_string_value(bad));
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
    }
    hdr_set(&h, "webhook-signature",
            json_string_value(json_object_get(tv, "multi_signature_header_valid_example")));
    assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
    gr_buf_cleanup(&sig);
    json_decref(tv);
    free(vectors);
    free(body);
}

static void test_stdwebhooks_resigned_now(void **state)
{
    static const char *const bodies[] = {"standardwebhooks/sign_vector.body",
                                         "standardwebhooks/spec_example_contact_created.body"};
    const char *secrets[] = {SW_SECRET}, *other[] = {SW_OTHER}, *both[] = {SW_OTHER, SW_SECRET};
    struct gr_src_config cfg = {.secrets = secrets, .nsecrets = 1, .tolerance_s = 300};
    long long now = (long long)time(NULL);
    struct gr_buf sig, two;
    struct gr_apperr e;
    char ts[32];

    (void)state;
    gr_buf_init(&sig, 1024);
    gr_buf_init(&two, 1024);
    for (size_t i = 0; i < 2; i++) {
        struct hdrs h = {0};
        size_t len;
        char *body = slurp(bodies[i], &len);

        NEED(body);
        struct gr_src_request req = req_of(body, len, &h, now);
        snprintf(ts, sizeof ts, "%lld", now);
        gr_buf_reset(&sig);
        sw_sign(SW_SECRET, "msg_resigned", ts, body, len, &sig);
        hdr_set(&h, "webhook-id", "msg_resigned");
        hdr_set(&h, "webhook-timestamp", ts);
        hdr_set(&h, "webhook-signature", sig.p);
        cfg.secrets = secrets;
        cfg.nsecrets = 1;
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
        /* Tampered body, wrong secret, rotation on our side. */
        body[0] ^= 0x20;
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        body[0] ^= 0x20;
        cfg.secrets = other;
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        cfg.secrets = both;
        cfg.nsecrets = 2;
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
        /* The producer rotating: two v1 entries, the first from a secret we do not have. */
        cfg.secrets = secrets;
        cfg.nsecrets = 1;
        gr_buf_reset(&two);
        sw_sign(SW_OTHER, "msg_resigned", ts, body, len, &two);
        gr_buf_printf(&two, " %s", sig.p);
        hdr_set(&h, "webhook-signature", two.p);
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
        /* The id is signed: changing it breaks the signature. */
        hdr_set(&h, "webhook-id", "msg_other");
        assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        hdr_set(&h, "webhook-id", "msg_resigned");
        /* Old and future timestamps, correctly signed on purpose. */
        for (int k = 0; k < 2; k++) {
            snprintf(ts, sizeof ts, "%lld", k == 0 ? now - 301 : now + 301);
            gr_buf_reset(&sig);
            sw_sign(SW_SECRET, "msg_resigned", ts, body, len, &sig);
            hdr_set(&h, "webhook-timestamp", ts);
            hdr_set(&h, "webhook-signature", sig.p);
            assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
            assert_string_equal(e.id, "griot.source.signature.stale");
        }
        /* Svix's own header names carry the same scheme. */
        {
            struct hdrs sv = {0};
            snprintf(ts, sizeof ts, "%lld", now);
            gr_buf_reset(&sig);
            sw_sign(SW_SECRET, "msg_resigned", ts, body, len, &sig);
            hdr_set(&sv, "svix-id", "msg_resigned");
            hdr_set(&sv, "svix-timestamp", ts);
            hdr_set(&sv, "svix-signature", sig.p);
            req.header_ud = &sv;
            assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 0);
            hdr_set(&sv, "svix-id", "msg_other");
            assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
            req.header_ud = &h;
        }
        /* Each header missing in turn. */
        static const char *const names[] = {"webhook-id", "webhook-timestamp", "webhook-signature"};
        for (int k = 0; k < 3; k++) {
            struct hdrs h2 = h;
            req.header_ud = &h2;
            hdr_set(&h2, names[k], NULL);
            assert_int_equal(gr_adapter_stdwebhooks.verify(&cfg, &req, &e), 401);
            assert_string_equal(e.id, "griot.source.signature.missing");
            req.header_ud = &h;
        }
        free(body);
    }
    gr_buf_cleanup(&sig);
    gr_buf_cleanup(&two);
}

static void test_stdwebhooks_parse(void **state)
{
    struct gr_src_config cfg = {.lang = "en"};
    struct gr_src_event ev;
    struct gr_apperr e;
    struct hdrs h;
    size_t len;
    char *body = slurp("standardwebhooks/spec_example_contact_created.body", &len);
    const char *text = "plain text\nsecond line `with` ticks\n";
    const char *nested = "{\"type\":\"invoice.payment_failed\",\"data\":{\"id\":\"in_1\","
                         "\"amount_due\":4200,\"customer_phone\":\"+221781234567\"}}";

    (void)state;
    NEED(body);
    NEED(load_headers("standardwebhooks/spec_example_contact_created.headers", &h));
    struct gr_src_request req = req_of(body, len, &h, time(NULL));
    /* The spec's example comes without its secret: it cannot verify. */
    const char *secrets[] = {SW_SECRET};
    struct gr_src_config vcfg = {.secrets = secrets, .nsecrets = 1};
    assert_int_equal(gr_adapter_stdwebhooks.verify(&vcfg, &req, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");

    assert_int_equal(gr_adapter_stdwebhooks.parse(&cfg, &req, &ev, &e), 0);
    assert_string_equal(ev.event, "contact.created");
    assert_string_equal(ev.delivery_id, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
    assert_string_equal(text_of(&ev), "🔔 Webhook event `contact.created`");
    assert_string_equal(field_of(&ev, "id"), "1f81eb52-5198-4599-803e-771906343485");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "footer")),
                        "Standard Webhooks · msg_2KWPBgLlAfxdpx2AI54pPJ85f4W · 2022-11-03 "
                        "20:26:10 UTC");
    assert_true(json_is_object(ev.payload));
    ev_free(&ev);

    cfg.lang = "fr";
    req.body = nested;
    req.len = strlen(nested);
    assert_int_equal(gr_adapter_stdwebhooks.parse(&cfg, &req, &ev, &e), 0);
    assert_string_equal(text_of(&ev), "🔔 Événement webhook `invoice.payment_failed`");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#d63c3c");
    assert_string_equal(field_of(&ev, "amount_due"), "4200");
    assert_string_equal(field_of(&ev, "customer_phone"), "+221 •• ••• •• 67");
    assert_no_phone(&ev, "781234567");
    ev_free(&ev);

    /* Not JSON: posted as an excerpt; templates see {"raw": ...}. */
    cfg.lang = "en";
    hdr_set(&h, "Content-Type", "text/plain");
    req = req_of(text, strlen(text), &h, 0);
    assert_int_equal(gr_adapter_stdwebhooks.parse(&cfg, &req, &ev, &e), 0);
    assert_string_equal(text_of(&ev), "🔔 Webhook received (text/plain, 36 bytes)\n```\nplain "
                                      "text\nsecond line with ticks\n```");
    assert_null(att_of(&ev));
    assert_string_equal(json_string_value(json_object_get(ev.payload, "raw")), text);
    assert_string_equal(ev.delivery_id, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
    ev_free(&ev);
    req.body = "\xff\xfe\x00";
    req.len = 3;
    assert_int_equal(gr_adapter_stdwebhooks.parse(&cfg, &req, &ev, &e), 0);
    assert_string_equal(text_of(&ev),
                        "🔔 Webhook received (text/plain, 3 bytes)\n(binary body, 3 bytes)");
    assert_true(json_is_null(json_object_get(ev.payload, "raw")));
    assert_int_equal(json_integer_value(json_object_get(ev.payload, "size")), 3);
    ev_free(&ev);
    free(body);
}

/* ---- generic -------------------------------------------------------------------------- */

struct gen_case {
    const char *header, *algo, *encoding, *prefix, *content, *ts_header;
};

/* Signs body for case c at time ts with secret, the way such a sender would. */
static void gen_sign(const struct gen_case *c, const char *secret, const char *ts, const char *body,
                     struct gr_buf *out)
{
    enum gr_sig_algo algo = GR_SIG_SHA256;
    enum gr_sig_encoding enc =
            c->encoding && strcmp(c->encoding, "base64") == 0 ? GR_SIG_BASE64 : GR_SIG_HEX;
    struct gr_buf content;
    const char *p = c->content ? c->content : "{body}";

    if (c->algo)
        assert_true(gr_sig_algo_parse(c->algo, &algo));
    gr_buf_init(&content, GR_BUF_UNBOUNDED);
    while (*p) {
        if (strncmp(p, "{body}", 6) == 0) {
            gr_buf_appends(&content, body);
            p += 6;
        } else if (strncmp(p, "{ts}", 4) == 0) {
            gr_buf_appends(&content, ts);
            p += 4;
        } else {
            gr_buf_appendc(&content, *p++);
        }
    }
    gr_buf_reset(out);
    if (c->prefix)
        gr_buf_appends(out, c->prefix);
    mac_enc(algo, enc, secret, strlen(secret), content.p, content.len, out);
    gr_buf_cleanup(&content);
}

static int gen_verify(const struct gen_case *c, const char *const *secrets, size_t n,
                      struct hdrs *h, const char *body, int64_t now, struct gr_apperr *e)
{
    struct gr_src_config cfg = {.secrets = secrets,
                                .nsecrets = n,
                                .tolerance_s = 300,
                                .sig_header = c->header,
                                .sig_algo = c->algo,
                                .sig_encoding = c->encoding,
                                .sig_prefix = c->prefix,
                                .sig_content = c->content,
                                .ts_header = c->ts_header};
    struct gr_src_request req = req_of(body, strlen(body), h, now);

    return gr_adapter_generic.verify(&cfg, &req, e);
}

static void test_generic_schemes(void **state)
{
    static const struct gen_case cases[] = {
            {"X-Signature", NULL, NULL, NULL, NULL, NULL},           /* defaults */
            {"X-Hub-Signature", "sha1", "hex", "sha1=", NULL, NULL}, /* GitHub (old) */
            {"X-Hub-Signature-256", "sha256", "hex", "sha256=", "{body}", NULL},
            {"X-Shopify-Hmac-Sha256", "sha256", "base64", NULL, NULL, NULL},   /* Shopify */
            {"Typeform-Signature", "sha256", "base64", "sha256=", NULL, NULL}, /* Typeform */
            {"X-Sig-512", "sha512", "base64", NULL, NULL, NULL},
            {"X-Sig-512-Hex", "sha512", "hex", NULL, NULL, NULL},
            {"X-Signature", "sha256", "hex", NULL, "{ts}:{body}", "X-Timestamp"},
            {"X-Slack-Signature", "sha256", "hex", "v0=", "v0:{ts}:{body}",
             "X-Slack-Request-Timestamp"}, /* Slack, Zoom */
            {"X-Signature", "sha256", "base64", NULL, "{ts}.{body}", "X-Timestamp"},
    };
    const char *body = "{\"event\":\"order.paid\",\"amount\":1200}";
    const char *one[] = {"griot-generic-secret"}, *two[] = {"old-secret", "griot-generic-secret"};
    int64_t now = (int64_t)time(NULL);
    char ts[32], old[32];
    struct gr_buf sig, multi;
    struct gr_apperr e;

    (void)state;
    snprintf(ts, sizeof ts, "%lld", (long long)now);
    snprintf(old, sizeof old, "%lld", (long long)(now - 3600));
    gr_buf_init(&sig, 1024);
    gr_buf_init(&multi, 1024);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct gen_case *c = &cases[i];
        struct hdrs h = {0};
        bool uses_ts = c->ts_header != NULL;

        print_message("generic case %zu: %s %s %s %s\n", i, c->header, c->algo ? c->algo : "-",
                      c->encoding ? c->encoding : "-", c->content ? c->content : "-");
        gen_sign(c, "griot-generic-secret", ts, body, &sig);
        hdr_set(&h, c->header, sig.p);
        if (uses_ts)
            hdr_set(&h, c->ts_header, ts);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 0);
        /* Rotation: two secrets configured. */
        assert_int_equal(gen_verify(c, two, 2, &h, body, now, &e), 0);
        /* Tampered body. */
        assert_int_equal(
                gen_verify(c, one, 1, &h, "{\"event\":\"order.paid\",\"amount\":9900}", now, &e),
                401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        /* Signed with another secret. */
        gen_sign(c, "someone-else", ts, body, &sig);
        hdr_set(&h, c->header, sig.p);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        /* Several signatures in the header, the good one last (the sender rotating). */
        gr_buf_reset(&multi);
        gr_buf_printf(&multi, "%s, ", sig.p);
        gen_sign(c, "griot-generic-secret", ts, body, &sig);
        gr_buf_appends(&multi, sig.p);
        hdr_set(&h, c->header, multi.p);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 0);
        /* Something that does not decode. */
        hdr_set(&h, c->header, "%%%");
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.malformed");
        /* Missing. */
        hdr_set(&h, c->header, NULL);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.missing");
        if (!uses_ts)
            continue;
        /* An old timestamp signed on purpose; a missing and a malformed one. */
        gen_sign(c, "griot-generic-secret", old, body, &sig);
        hdr_set(&h, c->header, sig.p);
        hdr_set(&h, c->ts_header, old);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.stale");
        /* The timestamp is part of the signed content: a fresh one with the old MAC fails. */
        hdr_set(&h, c->ts_header, ts);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        hdr_set(&h, c->ts_header, NULL);
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.missing");
        hdr_set(&h, c->ts_header, "2024-01-01T00:00:00Z");
        assert_int_equal(gen_verify(c, one, 1, &h, body, now, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.malformed");
    }
    gr_buf_cleanup(&sig);
    gr_buf_cleanup(&multi);
}

static void test_generic_encoding_and_prefix(void **state)
{
    const struct gen_case hex = {"X-Sig", "sha256", "hex", "sha256=", NULL, NULL};
    const struct gen_case b64 = {"X-Sig", "sha256", "base64", NULL, NULL, NULL};
    const char *one[] = {"k"};
    const char *body = "payload";
    struct gr_buf sig;
    struct gr_apperr e;
    struct hdrs h = {0};

    (void)state;
    gr_buf_init(&sig, 1024);
    /* A hex signature is not accepted where base64 is configured, nor the reverse. */
    gen_sign(&hex, "k", "", body, &sig);
    hdr_set(&h, "X-Sig", sig.p + 7);
    assert_int_equal(gen_verify(&b64, one, 1, &h, body, 0, &e), 401);
    gen_sign(&b64, "k", "", body, &sig);
    hdr_set(&h, "X-Sig", sig.p);
    assert_int_equal(gen_verify(&hex, one, 1, &h, body, 0, &e), 401);
    /* The prefix is optional on input, case-insensitive, and hex may be upper case. */
    gen_sign(&hex, "k", "", body, &sig);
    hdr_set(&h, "X-Sig", sig.p + 7);
    assert_int_equal(gen_verify(&hex, one, 1, &h, body, 0, &e), 0);
    for (char *p = sig.p; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    hdr_set(&h, "X-Sig", sig.p);
    assert_int_equal(gen_verify(&hex, one, 1, &h, body, 0, &e), 0);
    /* A SHA-1 sized MAC where SHA-256 is configured is malformed. */
    hdr_set(&h, "X-Sig", "sha256=da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_int_equal(gen_verify(&hex, one, 1, &h, body, 0, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    gr_buf_cleanup(&sig);
}

static void test_generic_misconfigured(void **state)
{
    static const struct gen_case bad[] = {
            {NULL, NULL, NULL, NULL, NULL, NULL},
            {"X-Sig", "md5", NULL, NULL, NULL, NULL},
            {"X-Sig", NULL, "base32", NULL, NULL, NULL},
            {"X-Sig", NULL, NULL, NULL, "{ts}", "X-Ts"},
            {"X-Sig", NULL, NULL, NULL, "{body}{body}", NULL},
            {"X-Sig", NULL, NULL, NULL, "{ts}.{body}", NULL},
    };
    const char *one[] = {"k"};
    struct gr_apperr e;
    struct hdrs h = {0};

    (void)state;
    hdr_set(&h, "X-Sig", "00");
    hdr_set(&h, "X-Ts", "1");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gen_verify(&bad[i], one, 1, &h, "x", 1, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.misconfigured");
    }
}

static int gen_parse(const char *body, struct hdrs *h, const char *lang, struct gr_src_event *ev)
{
    struct gr_src_config cfg = {.lang = lang};
    struct gr_src_request req = req_of(body, strlen(body), h, 0);
    struct gr_apperr e;

    return gr_adapter_generic.parse(&cfg, &req, ev, &e);
}

static void test_generic_parse(void **state)
{
    const char *inv = "{\"type\":\"invoice.paid\",\"action\":\"created\",\"title\":\"Invoice 42 "
                      "paid\\nby card\",\"amount\":4200,\"ratio\":0.5,\"live\":true,\"none\":null,"
                      "\"customer_phone\":\"+221781234567\",\"obj\":{\"a\":1}}";
    struct gr_buf many;
    struct gr_src_event ev;
    struct hdrs h = {0};
    char longkey[300];

    (void)state;
    hdr_set(&h, "Idempotency-Key", "idem-1");
    hdr_set(&h, "webhook-id", "msg_1");
    assert_int_equal(gen_parse(inv, &h, "en", &ev), 0);
    assert_string_equal(ev.event, "invoice.paid");
    assert_string_equal(ev.action, "created");
    assert_string_equal(ev.delivery_id, "idem-1");
    assert_string_equal(text_of(&ev), "🔔 Webhook event `invoice.paid` — Invoice 42 paid");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#2eb886");
    assert_string_equal(field_of(&ev, "amount"), "4200");
    assert_string_equal(field_of(&ev, "ratio"), "0.5");
    assert_string_equal(field_of(&ev, "live"), "true");
    assert_string_equal(field_of(&ev, "customer_phone"), "+221 •• ••• •• 67");
    assert_null(field_of(&ev, "none"));
    assert_null(field_of(&ev, "obj"));
    assert_null(field_of(&ev, "type"));
    assert_null(field_of(&ev, "action"));
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "footer")),
                        "Webhook · idem-1");
    assert_no_phone(&ev, "781234567");
    ev_free(&ev);

    /* Event from `event`, then from `action`; delivery id from webhook-id, then none. */
    hdr_set(&h, "Idempotency-Key", NULL);
    assert_int_equal(
            gen_parse("{\"event\":\"deploy.finished\",\"text\":\"@channel done\"}", &h, "fr", &ev),
            0);
    assert_string_equal(ev.event, "deploy.finished");
    assert_string_equal(ev.delivery_id, "msg_1");
    assert_string_equal(text_of(&ev), "🔔 Événement webhook `deploy.finished` — @\xe2\x80\x8b"
                                      "channel done");
    ev_free(&ev);
    hdr_set(&h, "webhook-id", NULL);
    assert_int_equal(gen_parse("{\"action\":\"opened\"}", &h, "en", &ev), 0);
    assert_string_equal(ev.event, "opened");
    assert_string_equal(ev.action, "");
    assert_string_equal(ev.delivery_id, "");
    ev_free(&ev);
    assert_int_equal(gen_parse("{\"count\":1}", &h, "en", &ev), 0);
    assert_string_equal(ev.event, "");
    assert_string_equal(text_of(&ev), "🔔 Webhook received");
    assert_string_equal(json_string_value(json_object_get(att_of(&ev), "color")), "#3a87d9");
    ev_free(&ev);

    /* A long idempotency key is hashed, never cut. */
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    hdr_set(&h, "Idempotency-Key", longkey);
    assert_int_equal(gen_parse("{}", &h, "en", &ev), 0);
    assert_int_equal(strncmp(ev.delivery_id, "sha256:", 7), 0);
    ev_free(&ev);

    /* At most 10 fields, then a count of the rest. */
    gr_buf_init(&many, 4096);
    gr_buf_appendc(&many, '{');
    for (int i = 0; i < 25; i++)
        gr_buf_printf(&many, "%s\"k%d\":%d", i ? "," : "", i, i);
    gr_buf_appendc(&many, '}');
    assert_int_equal(gen_parse(many.p, &h, "en", &ev), 0);
    assert_int_equal(json_array_size(json_object_get(att_of(&ev), "fields")), 11);
    assert_string_equal(field_of(&ev, "k9"), "9");
    assert_null(field_of(&ev, "k10"));
    assert_string_equal(field_of(&ev, "…"), "+15 more fields");
    ev_free(&ev);
    gr_buf_cleanup(&many);

    /* Not JSON: an excerpt; an empty body: just the size. */
    hdr_set(&h, "Content-Type", "application/x-www-form-urlencoded");
    assert_int_equal(gen_parse("a=1&b=2", &h, "en", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Webhook received (application/x-www-form-urlencoded, 7 "
                                      "bytes)\n```\na=1&b=2\n```");
    assert_string_equal(json_string_value(json_object_get(ev.payload, "raw")), "a=1&b=2");
    ev_free(&ev);
    hdr_set(&h, "Content-Type", NULL);
    assert_int_equal(gen_parse("", &h, "fr", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Webhook reçu (0 octets)");
    ev_free(&ev);
    /* A header value that is not UTF-8 cannot break the message. */
    hdr_set(&h, "Content-Type", "text/\xff\xfeplain");
    assert_int_equal(gen_parse("x", &h, "en", &ev), 0);
    assert_string_equal(text_of(&ev), "🔔 Webhook received (text/??plain, 1 bytes)\n```\nx\n```");
    ev_free(&ev);
    /* ISO 8601 times are made readable. */
    hdr_set(&h, "Content-Type", "application/json");
    assert_int_equal(gen_parse("{\"event\":\"order.paid\",\"paid_at\":\"2024-05-02T09:41:00Z\"}",
                               &h, "en", &ev),
                     0);
    assert_string_equal(field_of(&ev, "paid_at"), "2024-05-02 09:41:00 UTC");
    ev_free(&ev);
}

static void test_generic_excerpt_bounds(void **state)
{
    struct gr_buf big;
    struct gr_src_event ev;
    struct hdrs h = {0};
    const char *t;

    (void)state;
    gr_buf_init(&big, GR_BUF_UNBOUNDED);
    for (int i = 0; i < 100; i++)
        gr_buf_printf(&big, "line %d call +221 76 111 00 %02d\n", i, i);
    assert_int_equal(gen_parse(big.p, &h, "en", &ev), 0);
    t = text_of(&ev);
    assert_non_null(strstr(t, "line 19 "));
    assert_null(strstr(t, "line 20 "));
    assert_non_null(strstr(t, "\n…\n```"));
    assert_no_phone(&ev, "761110");
    ev_free(&ev);
    gr_buf_cleanup(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_adapter_rows),
            cmocka_unit_test(test_wave_fixture_headers),
            cmocka_unit_test(test_wave_fixture_rotation_and_bearer),
            cmocka_unit_test(test_wave_resigned_now),
            cmocka_unit_test(test_wave_payment_fr_en),
            cmocka_unit_test(test_wave_fixtures_render),
            cmocka_unit_test(test_wave_other_types),
            cmocka_unit_test(test_wave_amounts),
            cmocka_unit_test(test_wave_bad_bodies),
            cmocka_unit_test(test_phone_mask),
            cmocka_unit_test(test_time_and_ids),
            cmocka_unit_test(test_stdwebhooks_fixtures),
            cmocka_unit_test(test_stdwebhooks_resigned_now),
            cmocka_unit_test(test_stdwebhooks_parse),
            cmocka_unit_test(test_generic_schemes),
            cmocka_unit_test(test_generic_encoding_and_prefix),
            cmocka_unit_test(test_generic_misconfigured),
            cmocka_unit_test(test_generic_parse),
            cmocka_unit_test(test_generic_excerpt_bounds),
    };
    return cmocka_run_group_tests_name("adapter_payments", tests, NULL, NULL);
}
