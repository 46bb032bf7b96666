/* SPDX-License-Identifier: MIT */
/*
 * fuzz_adapters.c - libFuzzer target for every native source adapter (src/adapter/) and the
 * signature header parsers under them.
 *
 * Input layout: byte 0 picks the adapter from the table (gr_adapter_all; set
 * GRIOT_FUZZ_ADAPTERS=wave,generic to fuzz only some of them), byte 1 holds flags
 * (language, timestamp window, content type, which generic scheme), byte 2 salts the mapping of
 * header names to values. Then come six header values, one per line ("" = header absent), and
 * the rest is the body. Every header name an adapter asks for maps to one of the six values
 * (an FNV-1a hash of the salt and the lower-cased name), so the fuzzer reaches each adapter's own
 * headers without knowing their names. Each input runs verify() with fixed secrets and parse(),
 * then gr_sig_wave / gr_sig_stdwebhooks / gr_sig_check / gr_sig_check_timestamp on the same values,
 * and the phone masking and time helpers on the body.
 *
 * Besides the sanitizers it checks the contract: verify answers 0 or 401 with an id, parse
 * answers 0 or 400 and, on success, a message object with a string "text", a payload and
 * NUL-terminated names; for the payment adapters every attachment field is a pair of strings,
 * and a Wave message never contains the payer's phone number in full.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_adapters.c <the .c files of src/adapter, src/core and src/mm> \
 *       $(pkg-config --cflags --libs jansson libcrypto) -lm
 * (tools/fuzz.sh builds it with every src file but main.c.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter/adapter.h"
#include "adapter/sig.h"
#include "adapter/summary.h"

#define NSLOTS 6

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The adapters fuzzed: all of them, or those named in GRIOT_FUZZ_ADAPTERS ("wave,generic"). */
static const struct gr_adapter *chosen[32];
static size_t nchosen;

struct hdrs {
    char *v[NSLOTS];
    uint8_t salt;
};

/* Aborts with the failed condition, so a crash report says which invariant broke. */
#define check(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz_adapters: check failed at line %d: %s\n", __LINE__, #x);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static const char *hdr(void *ud, const char *name)
{
    struct hdrs *h = ud;
    /* FNV-1a over the salt and the lower-cased name: the salt reshuffles every mapping. */
    uint32_t x = (2166136261u ^ h->salt) * 16777619u;

    for (const char *p = name; *p; p++) {
        char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
        x = (x ^ (uint8_t)c) * 16777619u;
    }
    x %= NSLOTS;
    return h->v[x][0] ? h->v[x] : NULL;
}

static bool is_mine(const struct gr_adapter *a)
{
    return a == &gr_adapter_wave || a == &gr_adapter_stdwebhooks || a == &gr_adapter_generic;
}

/* The generic scheme for flags bits 4-6; variant 6 takes prefix and pattern from the input. */
static void generic_scheme(struct gr_src_config *cfg, unsigned v, struct hdrs *h)
{
    static const char *const algos[] = {"sha1", "sha256", "sha512", "md5"};

    cfg->sig_header = "X-Signature";
    cfg->ts_header = "X-Timestamp";
    switch (v) {
    case 0:
        break;
    case 1:
        cfg->sig_algo = "sha1";
        cfg->sig_prefix = "sha1=";
        break;
    case 2:
        cfg->sig_algo = "sha512";
        cfg->sig_encoding = "base64";
        break;
    case 3:
        cfg->sig_content = "{ts}:{body}";
        break;
    case 4:
        cfg->sig_content = "v0:{ts}:{body}";
        cfg->sig_prefix = "v0=";
        break;
    case 5:
        cfg->sig_header = NULL;
        break;
    case 6:
        cfg->sig_algo = algos[h->salt % 4];
        cfg->sig_encoding = (h->salt & 4) ? "base64" : "hex";
        cfg->sig_prefix = h->v[4];
        cfg->sig_content = h->v[5];
        break;
    default:
        cfg->sig_content = "{ts}{ts}{ts}{ts}{ts}{ts}{ts}{ts}.{body}";
        break;
    }
}

static void check_fields(json_t *msg)
{
    json_t *atts = json_object_get(msg, "attachments");

    for (size_t i = 0; i < json_array_size(atts); i++) {
        json_t *att = json_array_get(atts, i);
        json_t *fields = json_object_get(att, "fields");
        check(json_is_string(json_object_get(att, "fallback")));
        for (size_t k = 0; k < json_array_size(fields); k++) {
            json_t *f = json_array_get(fields, k);
            check(json_is_string(json_object_get(f, "title")));
            check(json_is_string(json_object_get(f, "value")));
        }
    }
}

/* A Wave payer's number ("+" and 8 to 20 digits) must not appear in the message. */
static void check_no_phone(const struct gr_src_event *ev)
{
    const char *m = json_string_value(
            json_object_get(json_object_get(ev->payload, "data"), "sender_mobile"));
    size_t n;
    char *dump;

    if (!json_is_object(ev->payload) || m == NULL || m[0] != '+')
        return;
    n = strspn(m + 1, "0123456789");
    if (n < 8 || n > 20 || m[n + 1] != '\0')
        return;
    dump = json_dumps(ev->message, 0);
    check(dump != NULL && strstr(dump, m) == NULL);
    free(dump);
}

static void run_adapter(const struct gr_adapter *a, const struct gr_src_config *cfg,
                        const struct gr_src_request *req)
{
    struct gr_src_event ev;
    struct gr_apperr e;
    int rc;

    memset(&e, 0, sizeof e);
    rc = a->verify(cfg, req, &e);
    check(rc == 0 || (rc == 401 && e.status == 401 && e.id != NULL));

    memset(&e, 0, sizeof e);
    rc = a->parse(cfg, req, &ev, &e);
    check(rc == 0 || (rc == 400 && e.id != NULL));
    if (rc != 0)
        return;
    check(json_is_object(ev.message));
    check(json_is_string(json_object_get(ev.message, "text")));
    check(ev.payload != NULL);
    check(memchr(ev.event, '\0', sizeof ev.event) != NULL);
    check(memchr(ev.action, '\0', sizeof ev.action) != NULL);
    check(memchr(ev.delivery_id, '\0', sizeof ev.delivery_id) != NULL);
    if (is_mine(a))
        check_fields(ev.message);
    if (a == &gr_adapter_wave)
        check_no_phone(&ev);
    gr_src_event_cleanup(&ev);
}

/* The signature parsers and the masking helpers, straight on the fuzzed values. */
static void run_parsers(const struct gr_src_config *cfg, struct hdrs *h, const char *body,
                        size_t len, int64_t now)
{
    struct gr_slice part = {body, len};
    struct gr_apperr e;
    struct gr_buf b;

    (void)gr_sig_wave(h->v[0], cfg->secrets, cfg->nsecrets, body, len, now, cfg->tolerance_s, &e);
    (void)gr_sig_stdwebhooks(h->v[1], h->v[2], h->v[3], cfg->secrets, cfg->nsecrets, body, len, now,
                             cfg->tolerance_s, &e);
    (void)gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, cfg->secrets, cfg->nsecrets, &part, 1, h->v[4],
                       &e);
    (void)gr_sig_check(GR_SIG_SHA512, GR_SIG_BASE64, cfg->secrets, cfg->nsecrets, &part, 1, h->v[5],
                       &e);
    (void)gr_sig_check_timestamp(h->v[2], now, cfg->tolerance_s, &e);

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    for (int i = 0; i < NSLOTS; i++) {
        gr_buf_reset(&b);
        check(gr_adapter__phone_mask(&b, h->v[i]) == GR_OK);
        gr_buf_reset(&b);
        check(gr_adapter__time(&b, h->v[i]) == GR_OK);
    }
    gr_buf_reset(&b);
    check(gr_adapter__mask_text(&b, body) == GR_OK);
    gr_buf_cleanup(&b);
}

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, name, n) == 0)
            return true;
        p += k + (p[k] == ',');
    }
    return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *only = getenv("GRIOT_FUZZ_ADAPTERS");
    const struct gr_adapter *const *all;
    size_t n;

    (void)argc;
    (void)argv;
    all = gr_adapter_all(&n);
    for (size_t i = 0; i < n && nchosen < sizeof chosen / sizeof chosen[0]; i++)
        if (only == NULL || only[0] == '\0' || listed(only, all[i]->name))
            chosen[nchosen++] = all[i];
    if (nchosen == 0) {
        fprintf(stderr, "fuzz_adapters: GRIOT_FUZZ_ADAPTERS names no adapter\n");
        exit(2);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const secrets[] = {"griot-fuzz-secret", "griot-fixture-secret",
                                          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
    const struct gr_adapter *a;
    struct gr_src_config cfg = {.secrets = secrets, .nsecrets = 3};
    struct gr_src_request req;
    struct hdrs h;
    size_t n, off = 3;
    uint8_t flags;
    char *body;

    if (size < 3)
        return 0;
    a = chosen[data[0] % nchosen];
    flags = data[1];
    h.salt = data[2];
    for (int i = 0; i < NSLOTS; i++) {
        const uint8_t *nl = off < size ? memchr(data + off, '\n', size - off) : NULL;
        size_t len = nl ? (size_t)(nl - (data + off)) : (off < size ? size - off : 0);
        h.v[i] = malloc(len + 1);
        if (len)
            memcpy(h.v[i], data + off, len);
        h.v[i][len] = '\0';
        off += len + (nl ? 1 : 0);
    }
    n = off < size ? size - off : 0;
    body = malloc(n + 1);
    if (n)
        memcpy(body, data + off, n);
    body[n] = '\0';

    cfg.lang = (flags & 1) ? "fr" : "en";
    cfg.tolerance_s = (flags & 2) ? 300 : 0;
    generic_scheme(&cfg, (flags >> 4) & 7, &h);
    req = (struct gr_src_request){
            .content_type = (flags & 4) ? h.v[5] : ((flags & 8) ? "application/json" : NULL),
            .body = body,
            .len = n,
            .header = hdr,
            .header_ud = &h,
            .now_s = 1700000000,
    };
    run_adapter(a, &cfg, &req);
    run_parsers(&cfg, &h, body, n, req.now_s);

    for (int i = 0; i < NSLOTS; i++)
        free(h.v[i]);
    free(body);
    return 0;
}
