/* SPDX-License-Identifier: MIT */
/*
 * actions.c - interactive message actions (spec mattermost-compat §4): ids, client copies,
 * the integration request and response, the props rule, cookies and trigger ids. See
 * actions.h for the contracts.
 *
 * Mattermost keeps an action's `integration` (url + context) only server-side and hands clients
 * a copy without it; griot does the same (gr_mm_actions_strip, called by the post shape).
 * Ephemeral posts are never stored, so their actions carry the integration with them, sealed
 * in a cookie only the server can open: AES-256-GCM, which both hides the context (it may hold
 * an app's secrets) and refuses any change to it.
 *
 * griot signs each click for the app (Standard Webhooks, app/actions.c) with the secret of
 * whoever made the post: integration.griot_signer names the command or outgoing hook. Only the
 * server writes that key (gr_mm_actions_set_signer, after normalisation has removed any a
 * sender wrote), it is stripped from client copies with the rest of `integration`, and inside
 * a cookie the AES-GCM tag protects it.
 */
#include "mm/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/id.h"
#include "core/xalloc.h"

const char *const gr_mm_action_retain_keys[3] = {"from_webhook", "override_username",
                                                 "override_icon_url"};

#define GCM_NONCE  12
#define GCM_TAG    16
#define COOKIE_MAX ((size_t)1 << 20) /* a sealed cookie longer than this is not one of ours */

/* ---- walking the actions --------------------------------------------------------------- */

typedef bool (*action_fn)(void *ud, json_t *action); /* false stops the walk */

static void each_action(json_t *attachments, action_fn fn, void *ud)
{
    for (size_t i = 0; i < json_array_size(attachments); i++) {
        json_t *actions = json_object_get(json_array_get(attachments, i), "actions");

        for (size_t k = 0; k < json_array_size(actions); k++) {
            json_t *a = json_array_get(actions, k);
            if (json_is_object(a) && !fn(ud, a))
                return;
        }
    }
}

bool gr_mm_action_id_valid(const char *id)
{
    size_t n = 0;

    if (id == NULL)
        return false;
    for (; id[n]; n++) {
        char c = id[n];
        if (n >= GR_MM_ACTION_ID_MAX || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                          (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return n > 0;
}

/* ud non-NULL: also forget any signer, as for everything a sender hands griot. */
static bool assign_one(void *ud, json_t *a)
{
    const char *id = json_string_value(json_object_get(a, "id"));
    char nid[GR_ID_SIZE];

    if (id == NULL || id[0] == '\0') {
        gr_id_new(nid);
        json_object_set_new(a, "id", json_string(nid));
    }
    json_object_del(a, "cookie");
    if (ud)
        json_object_del(json_object_get(a, "integration"), GR_MM_SIGNER_KEY);
    return true;
}

void gr_mm_actions_assign_ids(json_t *attachments)
{
    /* A signer set by a sender would let a user have griot sign bodies of the user's making
     * with a command's or a hook's secret, to replay them to the real app. */
    each_action(attachments, assign_one, attachments);
}

/* ---- signers ---------------------------------------------------------------------------- */

struct sign {
    const char *signer;
};

static bool sign_one(void *ud, json_t *a)
{
    const char *signer = ((struct sign *)ud)->signer;
    json_t *integ = json_object_get(a, "integration");

    if (!json_is_object(integ))
        return true;
    if (signer)
        json_object_set_new(integ, GR_MM_SIGNER_KEY, json_string(signer));
    else
        json_object_del(integ, GR_MM_SIGNER_KEY);
    return true;
}

void gr_mm_actions_set_signer(json_t *props, const char *signer)
{
    struct sign sg = {signer};

    each_action(json_object_get(props, "attachments"), sign_one, &sg);
}

const char *gr_mm_action_signer(json_t *action)
{
    return json_string_value(
            json_object_get(json_object_get(action, "integration"), GR_MM_SIGNER_KEY));
}

/* An action's type as the request to the app names it, and its data source. */
static const char *type_of(json_t *a)
{
    const char *t = json_string_value(json_object_get(a, "type"));

    return t && t[0] ? t : "button";
}

static const char *source_of(json_t *a)
{
    const char *s = json_string_value(json_object_get(a, "data_source"));

    return s ? s : "";
}

struct restore {
    json_t *old;
    size_t n;
};

static bool restore_one(void *ud, json_t *a)
{
    struct restore *r = ud;
    json_t *was, *integ;

    if (json_object_get(a, "integration") != NULL)
        return true; /* the client's own, kept as given */
    was = gr_mm_action_find(r->old, json_string_value(json_object_get(a, "id")));
    integ = json_object_get(was, "integration");
    if (!json_is_object(integ) || strcmp(type_of(a), type_of(was)) != 0 ||
        strcmp(source_of(a), source_of(was)) != 0)
        return true;
    json_object_set_new(a, "integration", json_deep_copy(integ));
    r->n++;
    return true;
}

size_t gr_mm_actions_restore_integrations(json_t *new_props, json_t *old_props)
{
    struct restore r = {old_props, 0};

    each_action(json_object_get(new_props, "attachments"), restore_one, &r);
    return r.n;
}

static bool strip_one(void *ud, json_t *a)
{
    (void)ud;
    json_object_del(a, "integration");
    return true;
}

void gr_mm_actions_strip(json_t *props)
{
    each_action(json_object_get(props, "attachments"), strip_one, NULL);
}

struct find {
    const char *id;
    json_t *found;
};

static bool find_one(void *ud, json_t *a)
{
    struct find *f = ud;
    const char *id = json_string_value(json_object_get(a, "id"));

    if (id && strcmp(id, f->id) == 0) {
        f->found = a;
        return false;
    }
    return true;
}

json_t *gr_mm_action_find(json_t *props, const char *id)
{
    struct find f = {id, NULL};

    if (id == NULL || id[0] == '\0')
        return NULL;
    each_action(json_object_get(props, "attachments"), find_one, &f);
    return f.found;
}

/* ---- request and response -------------------------------------------------------------- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

char *gr_mm_action_request_json(const struct gr_mm_action_req *r)
{
    const char *type = r->type && r->type[0] ? r->type : "button";
    bool selected = strcmp(type, "select") == 0 && r->selected_option && r->selected_option[0];
    json_t *o = json_object(), *ctx = NULL;
    char *s;

    json_object_set_new(o, "user_id", json_string(or_empty(r->user_id)));
    json_object_set_new(o, "user_name", json_string(or_empty(r->user_name)));
    json_object_set_new(o, "channel_id", json_string(or_empty(r->channel_id)));
    json_object_set_new(o, "channel_name", json_string(or_empty(r->channel_name)));
    json_object_set_new(o, "team_id", json_string(or_empty(r->team_id)));
    json_object_set_new(o, "team_domain", json_string(or_empty(r->team_domain)));
    json_object_set_new(o, "post_id", json_string(or_empty(r->post_id)));
    json_object_set_new(o, "trigger_id", json_string(or_empty(r->trigger_id)));
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "data_source", json_string(or_empty(r->data_source)));
    /* Mattermost's context is a map: anything else would not have survived its decoding. */
    if (json_is_object(r->context))
        ctx = json_deep_copy(r->context);
    if (selected) {
        if (ctx == NULL)
            ctx = json_object();
        json_object_set_new(ctx, "selected_option", json_string(r->selected_option));
    }
    if (ctx)
        json_object_set_new(o, "context", ctx);
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s == NULL)
        abort(); /* only out of memory (the strings came from valid JSON or ids) */
    return s;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

int gr_mm_action_response_parse(const char *body, size_t len, struct gr_mm_action_resp *out)
{
    json_t *doc, *v, *update;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (body == NULL || blank(body, len))
        return 0;
    doc = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (doc == NULL)
        return -1;
    if (json_is_null(doc)) {
        rc = 0;
        goto out;
    }
    if (!json_is_object(doc))
        goto out;
    update = json_object_get(doc, "update");
    if (update && !json_is_null(update)) {
        json_t *msg = json_object_get(update, "message"), *props;

        if (!json_is_object(update) || (msg && !json_is_null(msg) && !json_is_string(msg)))
            goto out;
        props = json_object_get(update, "props");
        if (props && !json_is_null(props) && !json_is_object(props))
            goto out;
        out->update = json_incref(update);
    }
    v = json_object_get(doc, "ephemeral_text");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v))
            goto out;
        if (json_string_length(v) > 0)
            out->ephemeral_text = gr_xstrdup(json_string_value(v));
    }
    v = json_object_get(doc, "skip_slack_parsing");
    if (v && !json_is_null(v)) {
        if (!json_is_boolean(v))
            goto out;
        out->skip_slack_parsing = json_is_true(v);
    }
    rc = 0;
out:
    json_decref(doc);
    if (rc != 0)
        gr_mm_action_resp_cleanup(out);
    return rc;
}

void gr_mm_action_resp_cleanup(struct gr_mm_action_resp *r)
{
    json_decref(r->update);
    free(r->ephemeral_text);
    memset(r, 0, sizeof *r);
}

json_t *gr_mm_action_update_props(json_t *old, json_t *update_props)
{
    json_t *p;

    if (update_props == NULL || json_is_null(update_props))
        return json_is_object(old) ? json_deep_copy(old) : json_object();
    p = json_is_object(update_props) ? json_deep_copy(update_props) : json_object();
    for (size_t i = 0; i < 3; i++) {
        const char *k = gr_mm_action_retain_keys[i];
        json_t *v = json_object_get(old, k);
        if (v)
            json_object_set_new(p, k, json_deep_copy(v));
        else
            json_object_del(p, k);
    }
    return p;
}

/* ---- base64 ---------------------------------------------------------------------------- */

/* Standard base64 with padding into a new string. */
static char *b64_encode(const unsigned char *p, size_t len)
{
    char *s = gr_xmalloc(4 * ((len + 2) / 3) + 1);

    EVP_EncodeBlock((unsigned char *)s, p, (int)len);
    return s;
}

/* Decodes standard base64 (padding required, as b64_encode writes it) into a new buffer;
 * NULL on bad input. */
static unsigned char *b64_decode(const char *s, size_t len, size_t *outlen)
{
    unsigned char *p;
    size_t pad = 0;
    int n;

    if (len == 0 || len % 4 != 0 || len > COOKIE_MAX)
        return NULL;
    if (s[len - 1] == '=')
        pad = s[len - 2] == '=' ? 2 : 1;
    /* EVP_DecodeBlock skips leading and trailing white space: "\t\t\t\t" + a trigger id
     * verified, and the padding count above would be off. Only the alphabet, then padding. */
    for (size_t i = 0; i < len - pad; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/'))
            return NULL;
    }
    p = gr_xmalloc(len / 4 * 3 + 1);
    n = EVP_DecodeBlock(p, (const unsigned char *)s, (int)len);
    if (n < 0 || (size_t)n < pad) {
        free(p);
        return NULL;
    }
    *outlen = (size_t)n - pad;
    return p;
}

/* URL-safe, unpadded: for trigger ids, which travel in JSON and may end up in URLs. */
static void b64url(const unsigned char *p, size_t len, char *out, size_t size)
{
    char *s = b64_encode(p, len);
    size_t n = 0;

    for (const char *q = s; *q && *q != '=' && n + 1 < size; q++)
        out[n++] = *q == '+' ? '-' : *q == '/' ? '_' : *q;
    out[n] = '\0';
    free(s);
}

static unsigned char *b64url_decode(const char *s, size_t *outlen)
{
    size_t len = strlen(s), n = 0;
    unsigned char *r;
    char *t;

    if (len > 1024)
        return NULL;
    t = gr_xmalloc(len + 4);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+' || c == '/' || c == '=')
            break;
        t[n++] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    if (n != len) {
        free(t);
        return NULL;
    }
    while (n % 4)
        t[n++] = '=';
    r = b64_decode(t, n, outlen);
    free(t);
    return r;
}

/* ---- cookies --------------------------------------------------------------------------- */

char *gr_mm_cookie_seal(const unsigned char key[GR_MM_COOKIE_KEY_SIZE], const char *plaintext,
                        size_t len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    unsigned char *buf = gr_xmalloc(GCM_NONCE + len + GCM_TAG);
    char *out = NULL;
    int n = 0, m = 0;

    if (ctx == NULL || len > COOKIE_MAX)
        goto out;
    gr_random_bytes(buf, GCM_NONCE);
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, buf) != 1 ||
        EVP_EncryptUpdate(ctx, buf + GCM_NONCE, &n, (const unsigned char *)plaintext, (int)len) !=
                1 ||
        EVP_EncryptFinal_ex(ctx, buf + GCM_NONCE + n, &m) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG, buf + GCM_NONCE + n + m) != 1)
        goto out;
    out = b64_encode(buf, GCM_NONCE + (size_t)n + (size_t)m + GCM_TAG);
out:
    EVP_CIPHER_CTX_free(ctx);
    free(buf);
    return out;
}

json_t *gr_mm_cookie_open(const unsigned char key[GR_MM_COOKIE_KEY_SIZE], const char *cookie)
{
    EVP_CIPHER_CTX *ctx = NULL;
    unsigned char *raw, *plain = NULL;
    size_t len = 0, clen;
    json_t *doc = NULL;
    int n = 0, m = 0;

    if (cookie == NULL)
        return NULL;
    raw = b64_decode(cookie, strlen(cookie), &len);
    if (raw == NULL || len < GCM_NONCE + GCM_TAG)
        goto out;
    clen = len - GCM_NONCE - GCM_TAG;
    plain = gr_xmalloc(clen + 1);
    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL || EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, raw) != 1 ||
        EVP_DecryptUpdate(ctx, plain, &n, raw + GCM_NONCE, (int)clen) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG, raw + GCM_NONCE + clen) != 1 ||
        EVP_DecryptFinal_ex(ctx, plain + n, &m) != 1) /* the tag check */
        goto out;
    doc = json_loadb((const char *)plain, (size_t)n + (size_t)m, 0, NULL);
    if (doc && !json_is_object(doc)) {
        json_decref(doc);
        doc = NULL;
    }
out:
    EVP_CIPHER_CTX_free(ctx);
    if (plain)
        OPENSSL_cleanse(plain, clen + 1);
    free(plain);
    free(raw);
    return doc;
}

struct seal {
    const unsigned char *key;
    const char *post_id, *root_id, *channel_id;
    json_t *retain, *remove;
    int n;
    bool failed;
};

static bool seal_one(void *ud, json_t *a)
{
    struct seal *s = ud;
    json_t *integ = json_object_get(a, "integration"), *c;
    const char *id = json_string_value(json_object_get(a, "id"));
    const char *url = json_string_value(json_object_get(integ, "url"));
    const char *type = json_string_value(json_object_get(a, "type"));
    const char *ds = json_string_value(json_object_get(a, "data_source"));
    char *text, *sealed;

    if (!gr_mm_action_id_valid(id) || url == NULL || url[0] == '\0')
        return true;
    c = json_object();
    json_object_set_new(c, "id", json_string(id));
    json_object_set_new(c, "type", json_string(type ? type : ""));
    json_object_set_new(c, "post_id", json_string(s->post_id));
    json_object_set_new(c, "root_post_id", json_string(s->root_id));
    json_object_set_new(c, "channel_id", json_string(s->channel_id));
    json_object_set_new(c, "data_source", json_string(ds ? ds : ""));
    json_object_set_new(c, "integration",
                        json_pack("{s:s, s:O?, s:O*}", "url", url, "context",
                                  json_object_get(integ, "context"), GR_MM_SIGNER_KEY,
                                  json_object_get(integ, GR_MM_SIGNER_KEY)));
    json_object_set(c, "retain_props", s->retain);
    json_object_set(c, "remove_props", s->remove);
    text = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    sealed = text ? gr_mm_cookie_seal(s->key, text, strlen(text)) : NULL;
    free(text);
    if (sealed == NULL) {
        s->failed = true;
        return false;
    }
    json_object_set_new(a, "cookie", json_string(sealed));
    free(sealed);
    s->n++;
    return true;
}

int gr_mm_actions_seal(json_t *props, const unsigned char key[GR_MM_COOKIE_KEY_SIZE],
                       const char *post_id, const char *root_id, const char *channel_id)
{
    json_t *atts = json_object_get(props, "attachments");
    struct seal s = {key,
                     or_empty(post_id),
                     or_empty(root_id),
                     or_empty(channel_id),
                     json_object(),
                     json_array(),
                     0,
                     false};

    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(props, gr_mm_action_retain_keys[i]);
        if (v)
            json_object_set(s.retain, gr_mm_action_retain_keys[i], v);
        else
            json_array_append_new(s.remove, json_string(gr_mm_action_retain_keys[i]));
    }
    /* Ids only: the signer, if any, was stamped by the server and travels in the cookie. */
    each_action(atts, assign_one, NULL);
    each_action(atts, seal_one, &s);
    gr_mm_actions_strip(props);
    json_decref(s.retain);
    json_decref(s.remove);
    return s.failed ? -1 : s.n;
}

/* ---- trigger ids ----------------------------------------------------------------------- */

#define TRIGGER_PLAIN 128

/* "<rand>:<user>:<ms>" -> its MAC in base64url. */
static void trigger_mac(const char *secret, const char *plain, size_t len, char out[64])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)plain, len, md, &mdlen);
    b64url(md, mdlen, out, 64);
    OPENSSL_cleanse(md, sizeof md);
}

void gr_mm_trigger_id_make(const char *secret, const char *user_id, int64_t now_ms,
                           char out[GR_MM_TRIGGER_ID_SIZE])
{
    char rnd[GR_ID_SIZE], plain[TRIGGER_PLAIN + 80], mac[64];
    int n;

    gr_id_new(rnd);
    n = snprintf(plain, TRIGGER_PLAIN, "%s:%.26s:%lld", rnd, or_empty(user_id), (long long)now_ms);
    trigger_mac(or_empty(secret), plain, (size_t)n, mac);
    snprintf(plain + n, sizeof plain - (size_t)n, ":%s", mac);
    b64url((const unsigned char *)plain, strlen(plain), out, GR_MM_TRIGGER_ID_SIZE);
}

bool gr_mm_trigger_id_verify(const char *secret, const char *trigger_id, const char *user_id,
                             int64_t now_ms, int64_t lifetime_ms)
{
    size_t len = 0, head;
    unsigned char *raw;
    char plain[TRIGGER_PLAIN + 80], mac[64], *c1, *c2, *c3, *end;
    long long ms;
    bool ok = false;

    if (trigger_id == NULL || (raw = b64url_decode(trigger_id, &len)) == NULL)
        return false;
    if (len == 0 || len >= sizeof plain || memchr(raw, '\0', len) != NULL) {
        free(raw);
        return false;
    }
    memcpy(plain, raw, len);
    plain[len] = '\0';
    free(raw);
    /* rand ':' user ':' ms ':' mac */
    if ((c1 = strchr(plain, ':')) == NULL || (c2 = strchr(c1 + 1, ':')) == NULL ||
        (c3 = strchr(c2 + 1, ':')) == NULL)
        return false;
    head = (size_t)(c3 - plain);
    trigger_mac(or_empty(secret), plain, head, mac);
    if (strlen(c3 + 1) != strlen(mac) || CRYPTO_memcmp(c3 + 1, mac, strlen(mac)) != 0)
        return false;
    *c2 = '\0';
    *c3 = '\0';
    ms = strtoll(c2 + 1, &end, 10);
    if (*end != '\0' || end == c2 + 1)
        return false;
    ok = ms <= now_ms + 1000 && now_ms - ms <= lifetime_ms;
    if (ok && user_id != NULL)
        ok = strcmp(c1 + 1, user_id) == 0;
    return ok;
}
