/* SPDX-License-Identifier: MIT */
/*
 * forge.c - the transport half of the Forgejo, Gitea and GitHub adapters: which bytes are
 * signed, where the signature, event name and delivery id are, and how a form delivery carries
 * its JSON. The message itself is written by forge_render.c.
 *
 * A forge posts either the JSON itself (Content-Type application/json, the setting everyone
 * should use) or a form `payload=<urlencoded JSON>`. Forgejo and Gitea sign the JSON text in
 * both cases (spec sources §1.3: the form body is built after the signature); GitHub signs the
 * bytes it sends. Workload: one call per delivery, bodies up to the adapter's max_body (10 MB
 * for Forgejo/Gitea, 25 MB for GitHub); the form decoder makes one copy of the body.
 */
#include "adapter/forge.h"

#include <string.h>
#include <strings.h>

#include "adapter/render.h"
#include "adapter/sig.h"
#include "core/buf.h"

#define PAYLOAD_INVALID "griot.source.payload.invalid"

static const char *first_header(const struct gr_src_request *req, const char *const *names)
{
    for (size_t i = 0; names && names[i]; i++) {
        const char *v = req->header(req->header_ud, names[i]);
        if (v && v[0])
            return v;
    }
    return NULL;
}

/* True when the media type of ct (parameters and case ignored) is the form type. A body that
 * starts with "payload=" counts as a form too: JSON never does, and some proxies drop the
 * Content-Type. */
static bool is_form(const struct gr_src_request *req)
{
    static const char form[] = "application/x-www-form-urlencoded";
    const char *ct = req->content_type;

    if (ct) {
        while (*ct == ' ' || *ct == '\t')
            ct++;
        if (strncasecmp(ct, form, sizeof form - 1) == 0) {
            char c = ct[sizeof form - 1];
            if (c == '\0' || c == ';' || c == ' ' || c == '\t')
                return true;
        }
    }
    return req->len >= 8 && memcmp(req->body, "payload=", 8) == 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends the URL-decoded s[0..n) ('+' is a space). Returns 0, or -1 on a bad %-escape or when
 * the buffer refuses. */
static int unescape(const char *s, size_t n, struct gr_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi, lo;
            if (i + 2 >= n)
                return -1;
            hi = hexval(s[i + 1]);
            lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (gr_buf_appendc(out, c) != GR_OK)
            return -1;
    }
    return 0;
}

/*
 * Finds the `payload` field of a form body and URL-decodes it into out. Returns 1 found,
 * 0 absent, -1 malformed. Other fields are skipped without being decoded.
 */
static int form_payload(const char *body, size_t len, struct gr_buf *out)
{
    size_t i = 0;

    while (i < len) {
        size_t end = i, eq;
        while (end < len && body[end] != '&')
            end++;
        eq = i;
        while (eq < end && body[eq] != '=')
            eq++;
        if (eq - i == 7 && memcmp(body + i, "payload", 7) == 0)
            return eq < end ? (unescape(body + eq + 1, end - eq - 1, out) == 0 ? 1 : -1) : 1;
        i = end + 1;
    }
    return 0;
}

/* The JSON text of a delivery: the body itself, or the decoded `payload` field of a form.
 * *json points into req->body or into scratch. Returns 0 or 400 with e. */
static int json_text(const struct gr_forge *f, const struct gr_src_request *req,
                     struct gr_buf *scratch, struct gr_slice *json, struct gr_apperr *e)
{
    int found;

    if (!is_form(req)) {
        json->p = req->body;
        json->len = req->len;
        return 0;
    }
    found = form_payload(req->body, req->len, scratch);
    if (found < 0)
        return gr_apperr_set(e, 400, PAYLOAD_INVALID,
                             "The %s form delivery has a malformed payload field.", f->name);
    if (found == 0)
        return gr_apperr_set(e, 400, PAYLOAD_INVALID, "The %s form delivery has no payload field.",
                             f->name);
    json->p = gr_buf_str(scratch);
    json->len = scratch->len;
    return 0;
}

int gr_forge_verify(const struct gr_forge *f, const struct gr_src_config *cfg,
                    const struct gr_src_request *req, struct gr_apperr *e)
{
    const char *given = first_header(req, f->sig_headers);
    size_t plen = f->sig_prefix ? strlen(f->sig_prefix) : 0;
    struct gr_slice raw = {req->body, req->len}, json;
    struct gr_buf scratch;
    int rc;

    gr_buf_init(&scratch, req->len + 1);
    if (given && plen) {
        /* GitHub: "sha256=<hex>". A bare hex value or another algorithm is malformed. */
        if (strncmp(given, f->sig_prefix, plen) != 0) {
            rc = gr_apperr_set(e, 401, "griot.source.signature.malformed",
                               "The request's signature is malformed.");
            goto out;
        }
        given += plen;
    }
    if (!is_form(req) || json_text(f, req, &scratch, &json, e) != 0) {
        /* A form we cannot decode can still carry a signature over its raw bytes. */
        rc = gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, cfg->secrets, cfg->nsecrets, &raw, 1, given,
                          e);
        goto out;
    }
    rc = gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, cfg->secrets, cfg->nsecrets, &json, 1, given, e);
    if (rc != 0 && strcmp(e->id, "griot.source.signature.mismatch") == 0)
        rc = gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, cfg->secrets, cfg->nsecrets, &raw, 1, given,
                          e);
out:
    gr_buf_cleanup(&scratch);
    return rc;
}

/* Copies a header or body value into a fixed field, keeping only characters that are safe in
 * logs, filters and keys ([A-Za-z0-9._:-], others become '_'); longer values are cut. */
static void copy_token(char *dst, size_t cap, const char *src)
{
    size_t i = 0;

    for (; src && src[i] && i + 1 < cap; i++) {
        char c = src[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == ':' || c == '-';
        dst[i] = ok ? c : '_';
    }
    dst[i] = '\0';
}

int gr_forge_parse(const struct gr_forge *f, const struct gr_src_config *cfg,
                   const struct gr_src_request *req, struct gr_src_event *out, struct gr_apperr *e)
{
    struct gr_buf scratch;
    struct gr_slice json;
    json_error_t jerr;
    json_t *root = NULL;
    bool merged = false;
    int rc;

    (void)cfg;
    memset(out, 0, sizeof *out);
    gr_buf_init(&scratch, req->len + 1);
    rc = json_text(f, req, &scratch, &json, e);
    if (rc != 0)
        goto out;
    /* Any JSON value is accepted (the contract: valid JSON never fails); NULs inside strings are
     * tolerated and simply end the C string the renderer sees. */
    root = json_loadb(json.p, json.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (root == NULL) {
        rc = gr_apperr_set(e, 400, PAYLOAD_INVALID,
                           "The %s payload is not valid JSON (line %d, column %d): %.120s", f->name,
                           jerr.line, jerr.column, jerr.text);
        goto out;
    }
    copy_token(out->event, sizeof out->event, first_header(req, f->event_headers));
    copy_token(out->delivery_id, sizeof out->delivery_id, first_header(req, f->delivery_headers));
    copy_token(out->action, sizeof out->action, gr_json_str(root, "action"));
    if (strcmp(out->action, "closed") == 0 && gr_json_bool(root, "pull_request.merged", &merged) &&
        merged)
        copy_token(out->action, sizeof out->action, "merged");
    out->message = gr_forge_render(f, out->event, out->action, root);
    if (out->message == NULL) {
        rc = gr_apperr_set(e, 500, "griot.source.render.failed",
                           "The %s message could not be rendered (out of memory).", f->name);
        goto out;
    }
    out->payload = root;
    root = NULL;
out:
    json_decref(root);
    gr_buf_cleanup(&scratch);
    return rc;
}
