/* SPDX-License-Identifier: MIT */
/*
 * fuzz_actions.c - libFuzzer target for the interactive-message pure functions
 * (src/mm/actions.c, spec mattermost-compat §4): what a button's app answers (§4.4), the props
 * rule of an update, ephemeral-post cookies (§4.5), trigger ids (§4.6) and the action walks
 * (assign ids, strip integrations, find, seal).
 *
 * The first byte picks the old post's props and a few variants; the rest is the body, read as:
 *  - an app's answer to a click (gr_mm_action_response_parse): strings leaving the parser are
 *    valid UTF-8, `update` is an object or NULL, a refusal leaves *out zeroed;
 *  - a JSON document whose value is an update's props (gr_mm_action_update_props on a fixed old
 *    object): the retained keys are old's, everything else is the update's, old is untouched;
 *  - a cookie (gr_mm_cookie_open with a fixed key): never opens, and neither does a sealed
 *    cookie with one base64 character changed; sealing the bytes (or a JSON object made of
 *    them) and opening gives the same JSON back;
 *  - a trigger id (gr_mm_trigger_id_verify): never verifies, nor does a made one with the bytes
 *    appended; a made one for a user id taken from the bytes verifies only for that user and
 *    secret, within its lifetime;
 *  - props holding attachments with actions: assign_ids is idempotent and leaves every action
 *    a non-empty string id and no cookie, find returns the first action with an id, strip and
 *    seal leave no integration, and every sealed cookie opens to its action's id.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_actions.c <every src .c file but main.c> $(pkg-config ...) -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mm/actions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[GR_MM_COOKIE_KEY_SIZE] = "0123456789abcdef0123456789abcde";
static const char secret[] = "fuzz-trigger-secret";
static const int64_t now = 1700000000000;
static const int64_t lifetime = 3 * 60 * 1000;

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void check_str(const char *s)
{
    check(s != NULL && gr_utf8_valid(s, strlen(s)));
}

static json_t *load(const char *s)
{
    json_t *v = json_loads(s, 0, NULL);

    check(v != NULL);
    return v;
}

/* ---- the app's answer ------------------------------------------------------------------ */

static void response(const char *body, size_t len)
{
    struct gr_mm_action_resp r;

    if (gr_mm_action_response_parse(body, len, &r) != 0) {
        check(r.update == NULL && r.ephemeral_text == NULL && !r.skip_slack_parsing);
        return;
    }
    check(r.update == NULL || json_is_object(r.update));
    if (r.update) {
        json_t *m = json_object_get(r.update, "message"), *p = json_object_get(r.update, "props");

        check(m == NULL || json_is_null(m) || json_is_string(m));
        check(p == NULL || json_is_null(p) || json_is_object(p));
        if (json_is_string(m))
            check(gr_utf8_valid(json_string_value(m), json_string_length(m)));
    }
    if (r.ephemeral_text) {
        check(r.ephemeral_text[0] != '\0');
        check_str(r.ephemeral_text);
    }
    gr_mm_action_resp_cleanup(&r);
    check(r.update == NULL && r.ephemeral_text == NULL);
}

/* ---- the props rule -------------------------------------------------------------------- */

static bool retained(const char *k)
{
    for (size_t i = 0; i < 3; i++)
        if (strcmp(k, gr_mm_action_retain_keys[i]) == 0)
            return true;
    return false;
}

static void update_props(json_t *old, json_t *upd)
{
    json_t *before = json_deep_copy(old), *res = gr_mm_action_update_props(old, upd);
    const char *k;
    json_t *v;

    check(json_is_object(res));
    check(json_equal(before, old) || (before == NULL && old == NULL)); /* old untouched */
    if (upd == NULL || json_is_null(upd)) {
        json_t *e = json_is_object(old) ? json_incref(old) : json_object();
        check(json_equal(res, e));
        json_decref(e);
    } else {
        for (size_t i = 0; i < 3; i++) {
            const char *rk = gr_mm_action_retain_keys[i];
            json_t *ov = json_object_get(old, rk), *nv = json_object_get(res, rk);

            check(ov ? nv != NULL && json_equal(ov, nv) : nv == NULL);
        }
        /* every other key is exactly the update's (a non-object update counts as {}) */
        json_object_foreach(res, k, v)
        {
            if (!retained(k))
                check(json_equal(v, json_object_get(upd, k)));
        }
        json_object_foreach(upd, k, v)
        {
            if (!retained(k))
                check(json_object_get(res, k) != NULL);
        }
    }
    json_decref(res);
    json_decref(before);
}

/* ---- cookies --------------------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Seals plain, checks it opens to `want` (NULL = must not open), and that changing one base64
 * character in a full quantum (all its bits count) makes it unopenable. */
static void seal_open(const char *plain, size_t len, json_t *want, uint8_t tweak)
{
    char *c = gr_mm_cookie_seal(key, plain, len);
    json_t *got;
    size_t cl, pos;

    check(c != NULL);
    got = gr_mm_cookie_open(key, c);
    check(want ? got != NULL && json_equal(got, want) : got == NULL);
    json_decref(got);
    cl = strlen(c);
    check(cl >= 40 && cl % 4 == 0);
    pos = (size_t)tweak * 7 % (cl - 4);
    c[pos] = b64[(strchr(b64, c[pos]) - b64 + 1 + tweak % 63) % 64];
    check(gr_mm_cookie_open(key, c) == NULL);
    free(c);
}

static void cookies(const char *cstr, const char *body, size_t len, json_t *doc, uint8_t sel)
{
    json_t *o, *raw;
    char *s;

    check(gr_mm_cookie_open(key, cstr) == NULL);

    /* The bytes themselves: they open only when they are one JSON object. */
    raw = json_loadb(body, len, 0, NULL);
    if (raw && !json_is_object(raw)) {
        json_decref(raw);
        raw = NULL;
    }
    seal_open(body, len, raw, sel);
    json_decref(raw);

    /* The bytes made into a JSON object: the document when it is one, else a string holding
     * them (each byte as one code point when they are not UTF-8). */
    if (json_is_object(doc)) {
        o = json_incref(doc);
    } else if (gr_utf8_valid(body, len) && memchr(body, '\0', len) == NULL) {
        o = json_pack("{s:s%}", "b", body, len);
    } else {
        char *u = malloc(2 * len + 1);
        size_t n = 0;

        for (size_t i = 0; i < len; i++) {
            unsigned char b = (unsigned char)body[i];
            if (b >= 0x80) {
                u[n++] = (char)(0xC0 | b >> 6);
                u[n++] = (char)(0x80 | (b & 0x3F));
            } else {
                u[n++] = b ? (char)b : '0';
            }
        }
        o = json_pack("{s:s%}", "b", u, n);
        free(u);
    }
    check(o != NULL);
    s = json_dumps(o, JSON_COMPACT);
    check(s != NULL);
    seal_open(s, strlen(s), o, (uint8_t)(sel + 1));
    free(s);
    json_decref(o);
}

/* ---- trigger ids ----------------------------------------------------------------------- */

static void trigger_ids(const char *cstr, size_t clen)
{
    char id[GR_MM_TRIGGER_ID_SIZE], user[27], other[27], *cat;
    size_t n = 0, il;

    check(!gr_mm_trigger_id_verify(secret, cstr, NULL, now, lifetime));
    check(!gr_mm_trigger_id_verify(secret, cstr, "user", now, lifetime));

    /* A user id from the input's letters and digits (at most 26, as real ids). */
    for (size_t i = 0; i < clen && n < 26; i++) {
        char c = cstr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            user[n++] = c;
    }
    user[n] = '\0';
    snprintf(other, sizeof other, "%sx", n < 26 ? user : "y");
    gr_mm_trigger_id_make(secret, user, now, id);
    il = strlen(id);
    check(il > 0 && il < GR_MM_TRIGGER_ID_SIZE);
    check(gr_mm_trigger_id_verify(secret, id, user, now, lifetime));
    check(gr_mm_trigger_id_verify(secret, id, NULL, now + lifetime, lifetime));
    check(gr_mm_trigger_id_verify(secret, id, NULL, now - 1000, lifetime));
    check(!gr_mm_trigger_id_verify(secret, id, other, now, lifetime));
    check(!gr_mm_trigger_id_verify("other-secret", id, user, now, lifetime));
    check(!gr_mm_trigger_id_verify(secret, id, user, now + lifetime + 1, lifetime));
    check(!gr_mm_trigger_id_verify(secret, id, user, now - 1001, lifetime));

    /* The made id with the input before or after it is another string: not a trigger id. */
    if (clen > 0) {
        cat = malloc(il + clen + 1);
        memcpy(cat, id, il);
        memcpy(cat + il, cstr, clen + 1);
        check(!gr_mm_trigger_id_verify(secret, cat, NULL, now, lifetime));
        memcpy(cat, cstr, clen);
        memcpy(cat + clen, id, il + 1);
        check(!gr_mm_trigger_id_verify(secret, cat, NULL, now, lifetime));
        free(cat);
    }
}

/* ---- the action walks ------------------------------------------------------------------ */

static json_t *action_at(json_t *props, size_t i, size_t k)
{
    return json_array_get(
            json_object_get(json_array_get(json_object_get(props, "attachments"), i), "actions"),
            k);
}

/* Calls fn on every action object of props, in walk order, until it returns false. */
static void walk(json_t *props, bool (*fn)(void *, json_t *, size_t, size_t), void *ud)
{
    json_t *atts = json_object_get(props, "attachments");

    for (size_t i = 0; i < json_array_size(atts); i++) {
        json_t *acts = json_object_get(json_array_get(atts, i), "actions");
        for (size_t k = 0; k < json_array_size(acts); k++)
            if (json_is_object(json_array_get(acts, k)) && !fn(ud, json_array_get(acts, k), i, k))
                return;
    }
}

struct ctx {
    json_t *props, *before;
    const char *id;
    json_t *first;
    int n;
};

static bool after_assign(void *ud, json_t *a, size_t i, size_t k)
{
    struct ctx *c = ud;
    json_t *was = json_object_get(action_at(c->before, i, k), "id");
    const char *id = json_string_value(json_object_get(a, "id"));

    check(id != NULL && id[0] != '\0');
    check(json_object_get(a, "cookie") == NULL);
    if (json_is_string(was) && json_string_length(was) > 0)
        check(json_equal(was, json_object_get(a, "id"))); /* explicit ids are kept */
    else
        check(strlen(id) == 26);
    return true;
}

static bool first_with_id(void *ud, json_t *a, size_t i, size_t k)
{
    struct ctx *c = ud;
    const char *id = json_string_value(json_object_get(a, "id"));

    (void)i;
    (void)k;
    if (id && strcmp(id, c->id) == 0) {
        c->first = a;
        return false;
    }
    return true;
}

static bool each_find(void *ud, json_t *a, size_t i, size_t k)
{
    struct ctx *c = ud, f = {.id = json_string_value(json_object_get(a, "id"))};

    (void)i;
    (void)k;
    if (f.id == NULL || f.id[0] == '\0')
        return true;
    walk(c->props, first_with_id, &f);
    check(f.first != NULL && gr_mm_action_find(c->props, f.id) == f.first);
    return true;
}

static bool no_integration(void *ud, json_t *a, size_t i, size_t k)
{
    (void)ud;
    (void)i;
    (void)k;
    check(json_object_get(a, "integration") == NULL);
    return true;
}

static bool sealed_cookie(void *ud, json_t *a, size_t i, size_t k)
{
    struct ctx *c = ud;
    json_t *integ = json_object_get(action_at(c->before, i, k), "integration");
    const char *url = json_string_value(json_object_get(integ, "url"));
    const char *id = json_string_value(json_object_get(a, "id"));
    json_t *cookie = json_object_get(a, "cookie"), *doc;

    check(json_object_get(a, "integration") == NULL);
    if (!gr_mm_action_id_valid(id) || url == NULL || url[0] == '\0') {
        check(cookie == NULL);
        return true;
    }
    check(json_is_string(cookie));
    doc = gr_mm_cookie_open(key, json_string_value(cookie));
    check(doc != NULL);
    check(strcmp(json_string_value(json_object_get(doc, "id")), id) == 0);
    check(strcmp(json_string_value(json_object_get(doc, "post_id")), "P1") == 0);
    check(strcmp(json_string_value(json_object_get(json_object_get(doc, "integration"), "url")),
                 url) == 0);
    check(json_equal(json_object_get(json_object_get(doc, "integration"), "context"),
                     json_object_get(integ, "context")) ||
          json_object_get(integ, "context") == NULL);
    check(json_array_size(json_object_get(doc, "remove_props")) +
                  json_object_size(json_object_get(doc, "retain_props")) ==
          3);
    json_decref(doc);
    c->n++;
    return true;
}

static void walks(json_t *doc, const char *cstr)
{
    json_t *props, *copy, *stripped, *sealed;
    struct ctx c = {0};
    int n;

    if (json_is_object(doc))
        props = json_incref(doc);
    else
        props = json_pack("{s:O}", "attachments", doc);
    c.props = props;
    c.before = json_deep_copy(props);
    sealed = json_deep_copy(props);

    gr_mm_actions_assign_ids(json_object_get(props, "attachments"));
    walk(props, after_assign, &c);
    copy = json_deep_copy(props);
    gr_mm_actions_assign_ids(json_object_get(props, "attachments"));
    check(json_equal(copy, props)); /* idempotent */
    json_decref(copy);

    walk(props, each_find, &c);
    {
        json_t *a = gr_mm_action_find(props, cstr);
        check(a == NULL || strcmp(json_string_value(json_object_get(a, "id")), cstr) == 0);
    }

    stripped = json_deep_copy(props);
    gr_mm_actions_strip(stripped);
    walk(stripped, no_integration, NULL);
    gr_mm_actions_strip(doc); /* any value, not only props */
    json_decref(stripped);

    /* seal on the untouched props; c.before still has the integrations by position */
    n = gr_mm_actions_seal(sealed, key, "P1", "R1", "C1");
    check(n >= 0);
    walk(sealed, sealed_cookie, &c);
    check(c.n == n);
    json_decref(sealed);
    json_decref(c.before);
    json_decref(props);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const olds[] = {
            NULL,
            "{\"from_webhook\":\"true\",\"override_username\":\"bot\","
            "\"override_icon_url\":\"http://x/i.png\",\"attachments\":[{\"text\":\"t\"}]}",
            "{\"from_webhook\":\"true\",\"card\":\"c\"}",
            "{\"override_icon_url\":{\"a\":[1,null]},\"x\":1}",
    };
    const char *body;
    json_t *doc, *old;
    size_t len;
    uint8_t sel;
    char *cstr;

    if (size == 0)
        return 0;
    sel = data[0];
    body = (const char *)data + 1;
    len = size - 1;
    cstr = malloc(len + 1);
    memcpy(cstr, body, len);
    cstr[len] = '\0';
    doc = json_loadb(body, len, JSON_DECODE_ANY, NULL);

    response(body, len);

    old = olds[sel % 4] ? load(olds[sel % 4]) : NULL;
    update_props(old, doc);
    if (json_is_object(doc))
        update_props(old, json_object_get(json_object_get(doc, "update"), "props"));
    json_decref(old);

    cookies(cstr, body, len, doc, sel);
    trigger_ids(cstr, strlen(cstr));
    if (doc)
        walks(doc, cstr);

    json_decref(doc);
    free(cstr);
    return 0;
}
