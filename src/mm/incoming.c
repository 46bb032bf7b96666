/* SPDX-License-Identifier: MIT */
/*
 * incoming.c - an incoming-webhook request from bytes to post drafts (spec §1.2-§1.10).
 *
 * decode: Content-Type dispatch (form field `payload`, multipart fields, or the raw body as
 * JSON), then Mattermost's decoding rules: a strict parse first, a second one after escaping
 * raw newlines and tabs inside string literals (§1.4; griot repairs them in every string, which
 * the spec allows), Go's typed-struct checks (a string field holding a number fails the whole
 * request), case-insensitive keys, and trailing bytes after the document ignored (Go's
 * json.Decoder reads one value). Invalid UTF-8 is refused, where Go would have substituted
 * U+FFFD. build: Slack markup, props, overrides and splitWebhookPost.
 *
 * All of it is pure; the sizes involved are bounded by the HTTP layer's body limit (§0.5).
 * Splitting counts serialised props incrementally, so a body of many tiny attachments costs
 * linear time rather than one serialisation per attachment as in Mattermost.
 */
#include "mm/incoming.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "core/xalloc.h"
#include "mm/mm_int.h"
#include "mm/slack.h"

#define ID_PARSE_DATA "model.incoming_hook.parse_data.app_error"
#define ID_CREATING   "api.post.create_webhook_post.creating.app_error"

static int parse_data(struct gr_apperr *e)
{
    return gr_apperr_set(e, 400, ID_PARSE_DATA, "Unable to parse incoming data");
}

static int creating(struct gr_apperr *e)
{
    return gr_apperr_set(e, 500, ID_CREATING, "Error creating post");
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* One jansson parse; numbers too big for an int64 are retried as reals, as Go reads every
 * number into a float64. */
static json_t *load(const char *s, size_t len)
{
    const size_t flags = JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK;
    json_error_t err;
    json_t *root = json_loadb(s, len, flags, &err);

    if (root == NULL && json_error_code(&err) == json_error_numeric_overflow)
        root = json_loadb(s, len, flags | JSON_DECODE_INT_AS_REAL, &err);
    return root;
}

/* §1.4: escapes raw LF and TAB inside string literals. Returns 1 if anything changed. */
static int repair(const char *s, size_t len, struct gr_buf *out)
{
    bool in_str = false;
    int changed = 0;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        const char *rep = NULL;

        if (in_str && c == '\\' && i + 1 < len) {
            if (gr_buf_append(out, s + i, 2) != GR_OK)
                return -1;
            i++;
            continue;
        }
        if (c == '"')
            in_str = !in_str;
        else if (in_str && c == '\n')
            rep = "\\n";
        else if (in_str && c == '\t')
            rep = "\\t";
        if (rep != NULL)
            changed = 1;
        if ((rep ? gr_buf_append(out, rep, 2) : gr_buf_appendc(out, c)) != GR_OK)
            return -1;
    }
    return changed;
}

/* A string field of the Go struct: absent or null leaves *dst NULL, a non-string refuses. */
static int take_string(json_t *root, const char *key, char **dst)
{
    json_t *v = gr_mm__get_ci(root, key);

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    *dst = gr_xstrndup(json_string_value(v), json_string_length(v));
    return 0;
}

/* PostPriority: {priority *string, requested_ack *bool, persistent_notifications *bool}. */
static bool priority_ok(json_t *p)
{
    json_t *v = gr_mm__get_ci(p, "priority");

    if (v && !json_is_null(v) && !json_is_string(v))
        return false;
    v = gr_mm__get_ci(p, "requested_ack");
    if (v && !json_is_null(v) && !json_is_boolean(v))
        return false;
    v = gr_mm__get_ci(p, "persistent_notifications");
    return !(v && !json_is_null(v) && !json_is_boolean(v));
}

static int from_json(json_t *root, struct gr_mm_incoming *in, struct gr_apperr *e)
{
    static const char *const keys[] = {"text",     "channel",    "username",
                                       "icon_url", "icon_emoji", "type"};
    char **slots[] = {&in->text,     &in->channel,    &in->username,
                      &in->icon_url, &in->icon_emoji, &in->type};
    json_t *v;

    if (json_is_null(root)) {
        in->is_null = true;
        return 0;
    }
    if (!json_is_object(root))
        return parse_data(e);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (take_string(root, keys[i], slots[i]) != 0)
            return parse_data(e);
    v = gr_mm__get_ci(root, "props");
    if (v && !json_is_null(v)) {
        if (!json_is_object(v))
            return parse_data(e);
        in->props = json_incref(v);
    }
    v = gr_mm__get_ci(root, "priority");
    if (v && !json_is_null(v)) {
        if (!json_is_object(v) || !priority_ok(v))
            return parse_data(e);
        in->priority = json_incref(v);
    }
    v = gr_mm__get_ci(root, "attachments");
    if (v && !json_is_null(v)) {
        if (!json_is_array(v))
            return parse_data(e);
        return gr_mm__attachments_normalise(v, false, &in->attachments, e);
    }
    return 0;
}

static int decode_json(const char *s, size_t len, struct gr_mm_incoming *in, struct gr_apperr *e)
{
    struct gr_buf fixed;
    json_t *root = load(s, len);
    int st;

    gr_buf_init(&fixed, 2 * len + 16);
    if (root == NULL && repair(s, len, &fixed) == 1)
        root = load(fixed.p, fixed.len);
    gr_buf_cleanup(&fixed);
    if (root == NULL)
        return parse_data(e);
    st = from_json(root, in, e);
    json_decref(root);
    return st;
}

/* ---- form bodies ----------------------------------------------------------------------- */

struct media {
    struct gr_buf boundary;
};

static void on_media_param(void *ud, const char *key, const char *val)
{
    struct media *m = ud;

    if (strcmp(key, "boundary") == 0 && m->boundary.len == 0)
        (void)gr_buf_appends(&m->boundary, val);
}

struct fields {
    struct gr_mm_incoming *in;
    bool bad;
};

/* Multipart fields map straight onto the request (Mattermost's gorilla/schema decoder);
 * a repeated field keeps its last value, unknown fields are ignored. */
static void on_part(void *ud, struct gr_slice name, struct gr_slice value)
{
    static const char *const names[] = {"text",     "username",   "channel",
                                        "icon_url", "icon_emoji", "type"};
    struct fields *f = ud;
    char **slots[] = {&f->in->text,     &f->in->username,   &f->in->channel,
                      &f->in->icon_url, &f->in->icon_emoji, &f->in->type};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (name.len != strlen(names[i]) || strncasecmp(name.p, names[i], name.len) != 0)
            continue;
        /* These become C strings and JSON strings: no NUL, valid UTF-8 only. */
        if (memchr(value.p, '\0', value.len) || !gr_utf8_valid(value.p, value.len)) {
            f->bad = true;
            return;
        }
        free(*slots[i]);
        *slots[i] = gr_xstrndup(value.p, value.len);
    }
}

int gr_mm_incoming_decode(const char *content_type, const char *body, size_t len,
                          const char *hook_id, struct gr_mm_incoming *out, struct gr_apperr *e)
{
    struct gr_buf type, payload;
    struct media m;
    int st = 0;

    memset(out, 0, sizeof *out);
    gr_buf_init(&type, content_type ? strlen(content_type) + 1 : 1);
    gr_buf_init(&payload, len + 1);
    gr_buf_init(&m.boundary, 1024);
    if (body == NULL)
        body = "";
    /* The header is optional; absent or empty means the body is JSON (§1.2, follow the code). */
    if (content_type != NULL && *content_type != '\0' &&
        gr_mm__media_parse(content_type, strlen(content_type), &type, on_media_param, &m) != 0) {
        st = gr_apperr_set(e, 400, "web.incoming_webhook.media_type.app_error",
                           "Failed to parse media incoming webhook %s.", hook_id ? hook_id : "");
        goto out;
    }
    if (strcmp(gr_buf_str(&type), "application/x-www-form-urlencoded") == 0) {
        int found = gr_mm__form_value(body, len, "payload", &payload);

        if (found < 0) {
            st = gr_apperr_set(e, 400, "web.incoming_webhook.parse_form.app_error",
                               "Failed to parse form incoming webhook %s.", hook_id ? hook_id : "");
            goto out;
        }
        /* No payload field: Mattermost decodes "" and fails, hence parse_data (IW-15). */
        st = decode_json(gr_buf_str(&payload), payload.len, out, e);
    } else if (strcmp(gr_buf_str(&type), "multipart/form-data") == 0) {
        struct fields f = {.in = out};

        if (gr_mm__multipart_each(body, len, gr_buf_str(&m.boundary), on_part, &f) != 0) {
            st = gr_apperr_set(e, 400, "web.incoming_webhook.parse_multipart.app_error",
                               "Failed to parse multipart form incoming webhook %s.",
                               hook_id ? hook_id : "");
            goto out;
        }
        if (f.bad)
            st = parse_data(e);
    } else {
        st = decode_json(body, len, out, e);
    }
out:
    if (st != 0)
        gr_mm_incoming_cleanup(out);
    gr_buf_cleanup(&type);
    gr_buf_cleanup(&payload);
    gr_buf_cleanup(&m.boundary);
    return st;
}

void gr_mm_incoming_cleanup(struct gr_mm_incoming *in)
{
    if (in == NULL)
        return;
    free(in->text);
    free(in->channel);
    free(in->username);
    free(in->icon_url);
    free(in->icon_emoji);
    free(in->type);
    json_decref(in->props);
    json_decref(in->attachments);
    json_decref(in->priority);
    memset(in, 0, sizeof *in);
}

/* ---- checks 6, 7, 14, 15 --------------------------------------------------------------- */

static bool has_attachments(const struct gr_mm_incoming *in)
{
    return in->attachments != NULL && json_array_size(in->attachments) > 0;
}

int gr_mm_incoming_check_text(const struct gr_mm_incoming *in, struct gr_apperr *e)
{
    if (in->is_null)
        return gr_apperr_set(e, 400, "web.incoming_webhook.parse.app_error",
                             "Unable to parse incoming data.");
    /* Mattermost tests `attachments == nil` after dropping null entries, and that step turns
     * `[]` into nil too, so an empty array with no text is refused. griot's documented choice
     * (spec §1.5 note, §10) agrees: `"attachments": []` counts as absent. */
    if ((in->text == NULL || in->text[0] == '\0') && !has_attachments(in))
        return gr_apperr_set(e, 400, "web.incoming_webhook.text.app_error", "No text specified.");
    return 0;
}

int gr_mm_incoming_check_fields(const struct gr_mm_incoming *in, struct gr_apperr *e)
{
    const char *type = in->type ? in->type : "";

    if (in->priority != NULL) {
        json_t *p = gr_mm__get_ci(in->priority, "priority");
        if (p == NULL || json_is_null(p)) {
            gr_apperr_set(e, 400, "api.context.invalid_param.app_error",
                          "Invalid webhook.priority.priority parameter.");
            snprintf(e->detail, sizeof e->detail,
                     "Setting the priority of a post is required to use priority.");
            return 400;
        }
    }
    if (strncmp(type, "system_", 7) == 0)
        return gr_apperr_set(e, 400, "api.context.invalid_param.app_error",
                             "Invalid post.type parameter.");
    /* Check 16: Post.IsValid refuses unknown types, and CreateWebhookPost wraps that as a 500.
     * With attachments the type becomes slack_attachment, so the request's does not matter. */
    if (!has_attachments(in) && type[0] != '\0' && strcmp(type, "slack_attachment") != 0 &&
        strncmp(type, "custom_", 7) != 0) {
        creating(e);
        snprintf(e->detail, sizeof e->detail, "model.post.is_valid.type.app_error id=%s", type);
        return 500;
    }
    return 0;
}

/* ---- build: §1.7-§1.10 ----------------------------------------------------------------- */

/* Keys a request cannot set through `props` (§1.8): Mattermost drops the first three and,
 * through a failed type assertion, `attachments`; griot also protects the two display keys
 * it sets itself. */
static const char *const reserved_props[] = {"from_webhook",      "override_username",
                                             "override_icon_url", "override_icon_emoji",
                                             "attachments",       "webhook_display_name"};

struct drafts {
    struct gr_mm_draft *d;
    size_t n, cap;
};

static bool nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* Code points of v serialised compactly (Mattermost counts runes of StringInterfaceToJSON);
 * SIZE_MAX when memory runs out. */
static size_t runes_of(const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);
    size_t n;

    if (s == NULL)
        return SIZE_MAX;
    n = gr_utf8_count(s, strlen(s));
    free(s);
    return n;
}

/* Size of base (b runes when serialised) with `"attachments":[...]` of k items totalling sum
 * runes appended: `,` + `"attachments":[` + items + k-1 commas + `]`. */
static size_t with_attachments(size_t b, size_t k, size_t sum)
{
    return b + (b > 2 ? 1 : 0) + 15 + sum + (k - 1) + 1;
}

static int draft_add(struct drafts *ds, const char *msg, size_t len, const char *type,
                     const json_t *base)
{
    json_t *props = json_deep_copy(base);

    if (props == NULL)
        return -1;
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? 2 * ds->cap : 4;
        ds->d = gr_xrealloc(ds->d, ds->cap * sizeof *ds->d);
    }
    ds->d[ds->n].message = gr_xstrndup(msg, len);
    ds->d[ds->n].type = gr_xstrdup(type);
    ds->d[ds->n].props = props;
    ds->n++;
    return 0;
}

static int set_str(json_t *o, const char *key, const char *val)
{
    return json_object_set_new(o, key, json_string(val));
}

/* props minus reserved keys, plus from_webhook and the §1.7 overrides. */
static json_t *base_props(const struct gr_mm_incoming *in, const struct gr_mm_build_opts *o)
{
    json_t *base = json_object();
    int bad = base == NULL;

    for (void *it = json_object_iter(in->props); it; it = json_object_iter_next(in->props, it)) {
        const char *k = json_object_iter_key(it);
        json_t *v = json_object_iter_value(it);
        size_t i = 0;

        while (i < sizeof reserved_props / sizeof reserved_props[0] &&
               strcmp(k, reserved_props[i]) != 0)
            i++;
        if (!bad && i == sizeof reserved_props / sizeof reserved_props[0])
            bad |= json_object_set(base, k, v);
    }
    if (!bad)
        bad |= set_str(base, "from_webhook", "true");
    /* Request value, else the hook's default, else "webhook"; off means silently ignored. */
    if (!bad && o->username_override)
        bad |= set_str(base, "override_username",
                       nonempty(in->username)       ? in->username
                       : nonempty(o->hook_username) ? o->hook_username
                                                    : "webhook");
    if (!bad && o->icon_override && (nonempty(in->icon_url) || nonempty(o->hook_icon_url)))
        bad |= set_str(base, "override_icon_url",
                       nonempty(in->icon_url) ? in->icon_url : o->hook_icon_url);
    if (!bad && o->icon_override && nonempty(in->icon_emoji))
        bad |= set_str(base, "override_icon_emoji", in->icon_emoji);
    if (!bad && nonempty(o->hook_display_name))
        bad |= set_str(base, "webhook_display_name", o->hook_display_name);
    if (bad) {
        json_decref(base);
        return NULL;
    }
    return base;
}

/* Mattermost's splitWebhookPost, second half: each attachment goes on the last draft while
 * that draft's props stay within maxp runes; otherwise it opens an attachments-only draft,
 * and one that cannot fit even alone has its text shortened. */
static int place_attachments(struct drafts *ds, json_t *atts, const json_t *base, size_t b,
                             size_t maxp, const char *type, struct gr_apperr *e)
{
    size_t k = 0, sum = 0;

    for (size_t i = 0; i < json_array_size(atts); i++) {
        json_t *a = json_array_get(atts, i);
        size_t sa = runes_of(a);

        for (;;) {
            json_t *props = ds->d[ds->n - 1].props, *arr, *t;
            size_t need, tr, size = with_attachments(b, k + 1, sum + sa);

            if (sa == SIZE_MAX)
                return creating(e);
            if (size > maxp && k > 0) {
                if (draft_add(ds, "", 0, type, base) != 0)
                    return creating(e);
                k = sum = 0;
                continue;
            }
            if (size > maxp) {
                need = size - maxp;
                t = json_object_get(a, "text");
                tr = json_is_string(t) ? gr_utf8_count(json_string_value(t), json_string_length(t))
                                       : 0;
                if (tr < need)
                    return gr_apperr_set(
                            e, 400, "web.incoming_webhook.split_props_length.app_error",
                            "Unable to split webhook props into %zu character parts.", maxp);
                if (json_string_setn(t, json_string_value(t),
                                     gr_utf8_offset(json_string_value(t), json_string_length(t),
                                                    tr - need)) != 0)
                    return creating(e);
                sa = runes_of(a);
            }
            arr = json_object_get(props, "attachments");
            if (arr == NULL) {
                arr = json_array();
                if (json_object_set_new(props, "attachments", arr) != 0)
                    return creating(e);
            }
            if (json_array_append(arr, a) != 0)
                return creating(e);
            k++;
            sum += sa;
            break;
        }
    }
    return 0;
}

int gr_mm_incoming_build(const struct gr_mm_incoming *in, const struct gr_mm_build_opts *opts,
                         struct gr_mm_draft **drafts_out, size_t *n_out, struct gr_apperr *e)
{
    size_t maxr = opts->max_runes ? opts->max_runes : GR_MM_MAX_POST_RUNES;
    size_t maxp = opts->max_props_runes ? opts->max_props_runes : GR_MM_MAX_PROPS_RUNES;
    const char *text = in->text ? in->text : "", *m, *type;
    struct drafts ds = {0};
    struct gr_buf msg;
    json_t *base = NULL, *atts = NULL;
    size_t b, left, mlen, off = 0;
    int st = 0;

    *drafts_out = NULL;
    *n_out = 0;
    gr_buf_init(&msg, GR_MM__BUF_MAX);
    if (gr_mm_slack_convert(text, strlen(text), opts->username_of, opts->username_ud, &msg) !=
                GR_OK ||
        (base = base_props(in, opts)) == NULL || (b = runes_of(base)) == SIZE_MAX) {
        st = creating(e);
        goto out;
    }
    if (b > maxp) {
        st = gr_apperr_set(e, 400, "web.incoming_webhook.split_props_length.app_error",
                           "Unable to split webhook props into %zu character parts.", maxp);
        goto out;
    }
    type = has_attachments(in) ? "slack_attachment" : in->type ? in->type : "";
    /* Consecutive chunks of at most maxr code points; a message of exactly maxr stays whole. */
    m = gr_buf_str(&msg);
    mlen = msg.len;
    for (left = gr_utf8_count(m, mlen); left > maxr; left -= maxr) {
        size_t cut = gr_utf8_offset(m + off, mlen - off, maxr);
        if (draft_add(&ds, m + off, cut, type, base) != 0)
            goto oom;
        off += cut;
    }
    if (draft_add(&ds, m + off, mlen - off, type, base) != 0)
        goto oom;
    if (has_attachments(in)) {
        atts = json_deep_copy(in->attachments);
        if (atts == NULL ||
            gr_mm__attachments_users(atts, opts->username_of, opts->username_ud) != GR_OK)
            goto oom;
        st = place_attachments(&ds, atts, base, b, maxp, type, e);
    }
    goto out;
oom:
    st = creating(e);
out:
    if (st == 0) {
        *drafts_out = ds.d;
        *n_out = ds.n;
    } else {
        gr_mm_drafts_free(ds.d, ds.n);
    }
    json_decref(atts);
    json_decref(base);
    gr_buf_cleanup(&msg);
    return st;
}

void gr_mm_drafts_free(struct gr_mm_draft *d, size_t n)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(d[i].message);
        free(d[i].type);
        json_decref(d[i].props);
    }
    free(d);
}

bool gr_mm_username_capped(void *cap, const char *user_id, char *username_out, size_t size)
{
    struct gr_mm_username_cap *c = cap;

    if (c == NULL || c->fn == NULL || c->left == 0)
        return false;
    c->left--;
    return c->fn(c->ud, user_id, username_out, size);
}
