/* SPDX-License-Identifier: MIT */
/*
 * generic.c - the generic HMAC adapter: any tool that signs its webhooks with an HMAC over the
 * body (optionally with a timestamp), configured per hook with the --sig-* flags.
 *
 * The scheme: the signature is in header cfg->sig_header (required once the hook has secrets),
 * HMAC-SHA1/256/512 (cfg->sig_algo, default sha256), hex or base64 (cfg->sig_encoding, default
 * hex), optionally behind a prefix such as "sha256=" or "v0=" (cfg->sig_prefix, stripped when
 * present). The signed content is cfg->sig_content, a pattern where {body} stands for the raw
 * body (exactly once) and {ts} for the value of header cfg->ts_header (default "{body}"); with
 * {ts}, the timestamp must be Unix seconds within ±tolerance_s. The header may carry several
 * signatures separated by commas or spaces (rotation, or several algorithms side by side): any
 * one that matches any secret is enough; at most 8 are looked at.
 *
 * Settings that make no sense (unknown algorithm, no {body}, {ts} without a timestamp header)
 * fail closed: every request is refused with griot.source.signature.misconfigured, so a typo
 * can never turn verification off. Configuration checks should reject them before that.
 *
 * parse() never refuses: a JSON object gives event = its `type`, `event` or `action` string (the
 * first present; `action` then becomes the sub-action when another key named the event), and a
 * message listing its top-level scalar fields; anything else is posted as an excerpt. The
 * delivery id comes only from an explicit idempotency header (`Idempotency-Key`, then
 * `webhook-id`): request ids of proxies are per attempt, not per event.
 */
#include "adapter/adapter.h"

#include <string.h>
#include <strings.h>

#include "adapter/render.h"
#include "adapter/sig.h"
#include "adapter/summary.h"

#define MAX_PARTS 16
#define MAX_SIGS  8

static const char *hdr(const struct gr_src_request *req, const char *name)
{
    return req->header ? req->header(req->header_ud, name) : NULL;
}

static bool set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static int misconfigured(struct gr_apperr *e, const char *what)
{
    return gr_apperr_set(e, 401, "griot.source.signature.misconfigured",
                         "The hook's signature settings are invalid: %s.", what);
}

/*
 * Splits pattern into parts: literal slices, {body} and {ts} (ts may be NULL while only
 * checking). Returns false unless {body} occurs exactly once and everything fits; *uses_ts says
 * whether {ts} occurs.
 */
static bool split(const char *pattern, const char *body, size_t len, const char *ts,
                  struct gr_slice *parts, size_t *nparts, bool *uses_ts)
{
    const char *p = pattern, *lit = pattern;
    size_t n = 0, nbody = 0;

    *uses_ts = false;
    while (*p) {
        size_t tok = strncmp(p, "{body}", 6) == 0 ? 6 : strncmp(p, "{ts}", 4) == 0 ? 4 : 0;
        if (tok == 0) {
            p++;
            continue;
        }
        if (n + 2 > MAX_PARTS)
            return false;
        if (p > lit)
            parts[n++] = (struct gr_slice){lit, (size_t)(p - lit)};
        if (tok == 6) {
            parts[n++] = (struct gr_slice){body, len};
            nbody++;
        } else {
            parts[n++] = (struct gr_slice){ts ? ts : "", ts ? strlen(ts) : 0};
            *uses_ts = true;
        }
        p += tok;
        lit = p;
    }
    if (p > lit) {
        if (n + 1 > MAX_PARTS)
            return false;
        parts[n++] = (struct gr_slice){lit, (size_t)(p - lit)};
    }
    *nparts = n;
    return nbody == 1;
}

/*
 * Checks each signature of the header value (separated by commas or blanks, prefix stripped
 * when present). Returns 0 when one matches; else the most telling refusal: a well-formed
 * signature that does not match (.mismatch) wins over ones that do not decode (.malformed).
 */
static int check_all(enum gr_sig_algo algo, enum gr_sig_encoding enc,
                     const struct gr_src_config *cfg, const struct gr_slice *parts, size_t nparts,
                     const char *value, struct gr_apperr *e)
{
    const char *p = value;
    size_t plen = set(cfg->sig_prefix) ? strlen(cfg->sig_prefix) : 0;
    struct gr_apperr one;
    int rc = gr_apperr_set(e, 401, "griot.source.signature.malformed",
                           "The request's signature is malformed.");

    for (size_t k = 0; *p && k < MAX_SIGS;) {
        char sig[256];
        size_t n;

        p += strspn(p, ", \t");
        n = strcspn(p, ", \t");
        if (n == 0)
            break;
        k++;
        if (plen && n >= plen && strncasecmp(p, cfg->sig_prefix, plen) == 0) {
            p += plen;
            n -= plen;
        }
        if (n == 0 || n >= sizeof sig) {
            p += n;
            continue;
        }
        memcpy(sig, p, n);
        sig[n] = '\0';
        p += n;
        if (gr_sig_check(algo, enc, cfg->secrets, cfg->nsecrets, parts, nparts, sig, &one) == 0)
            return 0;
        if (strcmp(one.id, "griot.source.signature.mismatch") == 0)
            *e = one;
    }
    return rc;
}

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    enum gr_sig_algo algo = GR_SIG_SHA256;
    enum gr_sig_encoding enc = GR_SIG_HEX;
    const char *pattern = set(cfg->sig_content) ? cfg->sig_content : "{body}";
    const char *sig, *ts = NULL;
    struct gr_slice parts[MAX_PARTS];
    size_t nparts;
    bool uses_ts;
    int rc;

    if (!set(cfg->sig_header))
        return misconfigured(e, "no signature header (--sig-header)");
    if (set(cfg->sig_algo) && !gr_sig_algo_parse(cfg->sig_algo, &algo))
        return misconfigured(e, "unknown --sig-algo");
    if (set(cfg->sig_encoding)) {
        if (strcmp(cfg->sig_encoding, "base64") == 0)
            enc = GR_SIG_BASE64;
        else if (strcmp(cfg->sig_encoding, "hex") != 0)
            return misconfigured(e, "unknown --sig-encoding");
    }
    if (!split(pattern, NULL, 0, NULL, parts, &nparts, &uses_ts))
        return misconfigured(e, "--sig-content must contain {body} exactly once");
    if (uses_ts && !set(cfg->ts_header))
        return misconfigured(e, "--sig-content uses {ts} but there is no --ts-header");

    sig = hdr(req, cfg->sig_header);
    if (!set(sig))
        return gr_apperr_set(e, 401, "griot.source.signature.missing",
                             "The request carries no signature.");
    if (uses_ts) {
        /* The timestamp is signed, so checking its window first leaks nothing. */
        ts = hdr(req, cfg->ts_header);
        rc = gr_sig_check_timestamp(ts, req->now_s, cfg->tolerance_s, e);
        if (rc != 0)
            return rc;
    }
    split(pattern, req->body, req->len, ts, parts, &nparts, &uses_ts);
    return check_all(algo, enc, cfg, parts, nparts, sig, e);
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    static const char *const keys[] = {"type", "event", "action"};
    const char *skip[] = {NULL, NULL, NULL};
    const char *id = hdr(req, "Idempotency-Key");
    struct gr_adapter__generic g = {
            .label = "Webhook",
            .body = req->body,
            .len = req->len,
            .content_type = req->content_type,
            .fr = cfg->lang && strcmp(cfg->lang, "fr") == 0,
            .skip = skip,
    };
    json_t *root;

    memset(out, 0, sizeof *out);
    gr_adapter__set_id(out->delivery_id, sizeof out->delivery_id,
                       set(id) ? id : hdr(req, "webhook-id"));
    root = json_loadb(req->body, req->len, JSON_DECODE_ANY, NULL);
    g.root = root;
    g.delivery_id = out->delivery_id;
    if (json_is_object(root)) {
        g.fields = root;
        for (size_t i = 0; i < 3 && g.event == NULL; i++) {
            const char *v = json_string_value(json_object_get(root, keys[i]));
            if (set(v)) {
                g.event = v;
                skip[0] = keys[i];
            }
        }
        const char *action = json_string_value(json_object_get(root, "action"));
        if (g.event && g.event != action && set(action)) {
            gr_adapter__copy_name(out->action, sizeof out->action, action);
            skip[1] = "action";
        }
        gr_adapter__copy_name(out->event, sizeof out->event, g.event);
    }
    out->message = gr_adapter__generic_message(&g);
    out->payload = root ? root : gr_adapter__raw_payload(req->body, req->len);
    if (out->message == NULL || out->payload == NULL) {
        json_decref(out->message);
        json_decref(out->payload);
        memset(out, 0, sizeof *out);
        return gr_apperr_set(e, 500, "griot.source.render.failed",
                             "The webhook message could not be rendered.");
    }
    return 0;
}

const struct gr_adapter gr_adapter_generic = {
        .name = "generic",
        .max_body = 0,
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
        .display_name = "Webhook",
};
