/* SPDX-License-Identifier: MIT */
/*
 * attach.c - message attachments as Mattermost stores them (spec §8), and Go's `%v`.
 *
 * Mattermost decodes `attachments` into typed Go structs, so a wrong type anywhere (a number
 * where a string belongs, `short: "yes"`) fails the whole request with 400, keys match
 * case-insensitively, and field values go through `fmt.Sprintf("%v", v)` of whatever
 * encoding/json produced: numbers are float64, so `42` prints `42` but `1234567` prints
 * `1.234567e+06`, exactly as Mattermost shows them. Null attachments, null fields and
 * null-valued keys are dropped. Keys griot does not know are kept unchanged (harmless, and
 * useful to renderers); the known keys are rewritten under their canonical lowercase names.
 *
 * Text processing happens here for what needs no lookup: announcements in pretext, text,
 * title and field values, then `<url|label>` links in pretext, text and field values (never in
 * title, author_name, footer or fallback). A command response with `skip_slack_parsing` skips
 * Mattermost's ProcessMessageAttachments (announcements, `<@USERID>`, stringified field values)
 * but not its ParseMessageAttachment, which converts the links of pretext, text and string
 * field values of every command response; the skip_slack flag does exactly that.
 * `<@USERID>` needs the user table and is applied by gr_mm_incoming_build() through
 * gr_mm__attachments_users(). (Mattermost replaces user ids before converting links; the two
 * can only disagree on a label that itself contains `<@ID>`.)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "mm/actions.h"
#include "mm/mm_int.h"
#include "mm/slack.h"

enum kind { K_STR, K_STR_ANN, K_STR_ANN_LINK, K_INT, K_ANY, K_FIELDS, K_ACTIONS };

static const struct {
    const char *key;
    enum kind kind;
} att_keys[] = {
        {"id", K_INT},          {"fallback", K_STR},
        {"color", K_STR},       {"pretext", K_STR_ANN_LINK},
        {"author_name", K_STR}, {"author_link", K_STR},
        {"author_icon", K_STR}, {"title", K_STR_ANN},
        {"title_link", K_STR},  {"text", K_STR_ANN_LINK},
        {"fields", K_FIELDS},   {"image_url", K_STR},
        {"thumb_url", K_STR},   {"footer", K_STR},
        {"footer_icon", K_STR}, {"ts", K_ANY},
        {"actions", K_ACTIONS},
};

json_t *gr_mm__get_ci(json_t *obj, const char *key)
{
    json_t *found = NULL;

    for (void *it = json_object_iter(obj); it != NULL; it = json_object_iter_next(obj, it))
        if (strcasecmp(json_object_iter_key(it), key) == 0)
            found = json_object_iter_value(it);
    return found;
}

/* ---- Go %v ----------------------------------------------------------------------------- */

gr_err gr_mm__go_float(double d, struct gr_buf *out)
{
    char tmp[48], digits[24];
    size_t nd = 0;
    int p, exp, dp;
    const char *q;
    bool neg;
    gr_err rc = GR_OK;

    if (isnan(d))
        return gr_buf_appends(out, "NaN");
    if (isinf(d))
        return gr_buf_appends(out, d < 0 ? "-Inf" : "+Inf");
    /* Shortest precision that reads back as the same double, like strconv's 'g' with -1. */
    for (p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    neg = tmp[0] == '-';
    for (q = tmp + neg; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < sizeof digits - 1)
            digits[nd++] = *q;
    exp = *q == 'e' ? (int)strtol(q + 1, NULL, 10) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    if (neg)
        rc = gr_buf_appendc(out, '-');
    /* Go's %v uses %e when exp < -4 || exp >= 6 ("shortest: use precision 6 for this
     * decision", strconv/ftoa.go), so 1e6 prints as 1e+06. */
    if (exp < -4 || exp >= 6) {
        if (rc == GR_OK)
            rc = gr_buf_appendc(out, digits[0]);
        if (rc == GR_OK && nd > 1)
            rc = gr_buf_printf(out, ".%s", digits + 1);
        if (rc == GR_OK)
            rc = gr_buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        return rc;
    }
    if (digits[0] == '0') /* zero */
        return rc == GR_OK ? gr_buf_appendc(out, '0') : rc;
    dp = exp + 1; /* digits before the decimal point */
    if (dp <= 0) {
        if (rc == GR_OK)
            rc = gr_buf_printf(out, "0.%.*s%s", -dp, "0000", digits);
    } else if ((size_t)dp >= nd) {
        if (rc == GR_OK)
            rc = gr_buf_printf(out, "%s%.*s", digits, dp - (int)nd, "000000");
    } else if (rc == GR_OK) {
        rc = gr_buf_printf(out, "%.*s.%s", dp, digits, digits + dp);
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

gr_err gr_mm__go_value(json_t *v, struct gr_buf *out)
{
    gr_err rc = GR_OK;

    switch (json_typeof(v)) {
    case JSON_STRING:
        return gr_buf_append(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return gr_mm__go_float((double)json_integer_value(v), out);
    case JSON_REAL:
        return gr_mm__go_float(json_real_value(v), out);
    case JSON_TRUE:
        return gr_buf_appends(out, "true");
    case JSON_FALSE:
        return gr_buf_appends(out, "false");
    case JSON_NULL:
        return gr_buf_appends(out, "<nil>");
    case JSON_ARRAY:
        rc = gr_buf_appendc(out, '[');
        for (size_t i = 0; rc == GR_OK && i < json_array_size(v); i++) {
            if (i > 0)
                rc = gr_buf_appendc(out, ' ');
            if (rc == GR_OK)
                rc = gr_mm__go_value(json_array_get(v, i), out);
        }
        return rc == GR_OK ? gr_buf_appendc(out, ']') : rc;
    case JSON_OBJECT: {
        /* fmt prints maps with their keys sorted (Go >= 1.12). */
        size_t n = json_object_size(v), i = 0;
        const char **keys = calloc(n ? n : 1, sizeof *keys);

        if (keys == NULL)
            return GR_ENOMEM;
        for (void *it = json_object_iter(v); it != NULL && i < n; it = json_object_iter_next(v, it))
            keys[i++] = json_object_iter_key(it);
        qsort(keys, n, sizeof *keys, cmp_str);
        rc = gr_buf_appends(out, "map[");
        for (i = 0; rc == GR_OK && i < n; i++) {
            rc = gr_buf_printf(out, "%s%s:", i ? " " : "", keys[i]);
            if (rc == GR_OK)
                rc = gr_mm__go_value(json_object_get(v, keys[i]), out);
        }
        free(keys);
        return rc == GR_OK ? gr_buf_appendc(out, ']') : rc;
    }
    }
    return GR_EINVAL;
}

/* ---- normalisation --------------------------------------------------------------------- */

static int bad(struct gr_apperr *e)
{
    return gr_apperr_set(e, 400, "model.incoming_hook.parse_data.app_error",
                         "Unable to parse incoming data");
}

static int oom(struct gr_apperr *e)
{
    return gr_apperr_set(e, 500, "api.post.create_webhook_post.creating.app_error",
                         "Error creating post");
}

/* Runs the announcement pass (unless skip) and optionally the link pass over s; returns a new
 * string, or NULL when memory runs out. */
static json_t *convert(const char *s, size_t len, bool skip, bool links)
{
    struct gr_buf a, b;
    json_t *r = NULL;

    gr_buf_init(&a, GR_MM__BUF_MAX);
    gr_buf_init(&b, GR_MM__BUF_MAX);
    if (skip ? gr_buf_append(&a, s, len) != GR_OK : gr_mm__slack_announce(s, len, &a) != GR_OK)
        goto out;
    if (!links) {
        r = json_stringn(gr_buf_str(&a), a.len);
        goto out;
    }
    if (gr_mm_slack_links(gr_buf_str(&a), a.len, &b) == GR_OK)
        r = json_stringn(gr_buf_str(&b), b.len);
out:
    gr_buf_cleanup(&a);
    gr_buf_cleanup(&b);
    return r;
}

/* Copies the keys of src that match none of names (case-insensitively) and are not null. */
static int copy_unknown(json_t *src, json_t *dst, const char *const *names, size_t n)
{
    for (void *it = json_object_iter(src); it != NULL; it = json_object_iter_next(src, it)) {
        const char *k = json_object_iter_key(it);
        json_t *v = json_object_iter_value(it);
        size_t i = 0;

        while (i < n && strcasecmp(k, names[i]) != 0)
            i++;
        if (i == n && !json_is_null(v) && json_object_set(dst, k, v) != 0)
            return -1;
    }
    return 0;
}

/* SlackCompatibleBool: true/false, or the strings "true"/"false" in any case. */
static int slack_bool(const json_t *v, bool *b)
{
    const char *s = json_string_value(v);

    if (json_is_boolean(v))
        *b = json_is_true(v);
    else if (s != NULL && strcasecmp(s, "true") == 0)
        *b = true;
    else if (s != NULL && strcasecmp(s, "false") == 0)
        *b = false;
    else
        return -1;
    return 0;
}

/* One `fields` entry (an object): title string, value stringified (skip: a string value only
 * has its links converted, any other value is kept as sent), short coerced. */
static int field_new(json_t *f, bool skip, json_t **out, struct gr_apperr *e)
{
    static const char *const names[] = {"title", "value", "short"};
    json_t *o = json_object(), *v;
    struct gr_buf s;
    bool b;
    int st = 0;

    gr_buf_init(&s, GR_MM__BUF_MAX);
    if (o == NULL || copy_unknown(f, o, names, 3) != 0)
        goto fail;
    v = gr_mm__get_ci(f, "title");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v)) {
            st = bad(e);
            goto out;
        }
        if (json_object_set(o, "title", v) != 0)
            goto fail;
    }
    v = gr_mm__get_ci(f, "value");
    if (v && !json_is_null(v) && skip && !json_is_string(v)) {
        if (json_object_set(o, "value", v) != 0)
            goto fail;
    } else if (v && !json_is_null(v)) {
        if (gr_mm__go_value(v, &s) != GR_OK ||
            json_object_set_new(o, "value", convert(gr_buf_str(&s), s.len, skip, true)) != 0)
            goto fail;
    }
    v = gr_mm__get_ci(f, "short");
    if (v && !json_is_null(v)) {
        if (slack_bool(v, &b) != 0) {
            st = bad(e);
            goto out;
        }
        if (json_object_set_new(o, "short", json_boolean(b)) != 0)
            goto fail;
    }
    *out = o;
    o = NULL;
    goto out;
fail:
    st = oom(e);
out:
    gr_buf_cleanup(&s);
    json_decref(o);
    return st;
}

/* `fields` or `actions`: an array of objects, null entries dropped. */
static int list_new(json_t *v, bool fields, bool skip, json_t **out, struct gr_apperr *e)
{
    json_t *arr;
    int st = 0;

    if (!json_is_array(v))
        return bad(e);
    arr = json_array();
    if (arr == NULL)
        return oom(e);
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *el = json_array_get(v, i), *nel = NULL;

        if (json_is_null(el))
            continue;
        if (!json_is_object(el)) {
            st = bad(e);
            goto out;
        }
        /* Actions are kept as sent, copied because their ids are filled in later; §4
         * (interactive messages, mm/actions.h) owns their semantics. */
        if (fields)
            st = field_new(el, skip, &nel, e);
        else if ((nel = json_deep_copy(el)) == NULL)
            st = oom(e);
        if (st != 0)
            goto out;
        if (json_array_append_new(arr, nel) != 0) {
            st = oom(e);
            goto out;
        }
    }
    *out = arr;
    arr = NULL;
out:
    json_decref(arr);
    return st;
}

/* Checks one known key and stores its processed value in out under the canonical name. */
static int att_key(json_t *v, const char *key, enum kind kind, bool skip, json_t *out,
                   struct gr_apperr *e)
{
    json_t *nv = NULL;
    int st;

    switch (kind) {
    case K_STR:
    case K_STR_ANN:
    case K_STR_ANN_LINK:
        if (!json_is_string(v))
            return bad(e);
        if (kind == K_STR || (kind == K_STR_ANN && skip))
            nv = json_incref(v);
        else
            nv = convert(json_string_value(v), json_string_length(v), skip, kind == K_STR_ANN_LINK);
        break;
    case K_INT: /* Go int64: 1.0 or "1" do not decode */
        if (!json_is_integer(v))
            return bad(e);
        nv = json_incref(v);
        break;
    case K_ANY:
        nv = json_incref(v);
        break;
    case K_FIELDS:
    case K_ACTIONS:
        st = list_new(v, kind == K_FIELDS, skip, &nv, e);
        if (st != 0)
            return st;
        break;
    }
    if (json_object_set_new(out, key, nv) != 0)
        return oom(e);
    return 0;
}

static int attachment_new(json_t *a, bool skip, json_t **out, struct gr_apperr *e)
{
    const char *names[sizeof att_keys / sizeof att_keys[0]];
    size_t n = sizeof att_keys / sizeof att_keys[0];
    json_t *o = json_object();
    int st = 0;

    for (size_t i = 0; i < n; i++)
        names[i] = att_keys[i].key;
    if (o == NULL || copy_unknown(a, o, names, n) != 0) {
        st = oom(e);
        goto out;
    }
    for (size_t i = 0; st == 0 && i < n; i++) {
        json_t *v = gr_mm__get_ci(a, att_keys[i].key);
        if (v != NULL && !json_is_null(v))
            st = att_key(v, att_keys[i].key, att_keys[i].kind, skip, o, e);
    }
    if (st == 0) {
        *out = o;
        o = NULL;
    }
out:
    json_decref(o);
    return st;
}

int gr_mm__attachments_normalise(json_t *raw, bool skip_slack, json_t **out, struct gr_apperr *e)
{
    json_t *arr = json_array();
    int st = 0;

    *out = NULL;
    if (arr == NULL)
        return oom(e);
    for (size_t i = 0; i < json_array_size(raw); i++) {
        json_t *a = json_array_get(raw, i), *na = NULL;

        if (json_is_null(a))
            continue;
        if (!json_is_object(a)) {
            st = bad(e);
            goto out;
        }
        st = attachment_new(a, skip_slack, &na, e);
        if (st != 0)
            goto out;
        if (json_array_append_new(arr, na) != 0) {
            st = oom(e);
            goto out;
        }
    }
    /* Every stored post with buttons needs their ids (§4.1): webhooks, commands and REST
     * posts all come through here. */
    gr_mm_actions_assign_ids(arr);
    /* Go's StringifyMessageAttachmentFieldValue returns a nil slice when nothing is left, so
     * `[]` and `[null]` count as "no attachments" for the text check (§1.5 check 7). */
    if (json_array_size(arr) > 0) {
        *out = arr;
        arr = NULL;
    }
out:
    json_decref(arr);
    return st;
}

/* ---- <@USERID> in processed attachments ------------------------------------------------ */

static gr_err users_in(json_t *obj, const char *key, gr_mm_username_fn lookup, void *ud)
{
    json_t *v = json_object_get(obj, key);
    struct gr_buf b;
    gr_err rc;

    if (!json_is_string(v) || memchr(json_string_value(v), '<', json_string_length(v)) == NULL)
        return GR_OK;
    gr_buf_init(&b, GR_MM__BUF_MAX);
    rc = gr_mm__slack_users(json_string_value(v), json_string_length(v), lookup, ud, &b);
    if (rc == GR_OK && json_string_setn(v, gr_buf_str(&b), b.len) != 0)
        rc = GR_ENOMEM;
    gr_buf_cleanup(&b);
    return rc;
}

gr_err gr_mm__attachments_users(json_t *atts, gr_mm_username_fn lookup, void *ud)
{
    static const char *const keys[] = {"pretext", "text", "title"};
    gr_err rc = GR_OK;

    if (lookup == NULL)
        return GR_OK;
    for (size_t i = 0; rc == GR_OK && i < json_array_size(atts); i++) {
        json_t *a = json_array_get(atts, i);
        json_t *fields = json_object_get(a, "fields");

        for (size_t k = 0; rc == GR_OK && k < 3; k++)
            rc = users_in(a, keys[k], lookup, ud);
        for (size_t k = 0; rc == GR_OK && k < json_array_size(fields); k++)
            rc = users_in(json_array_get(fields, k), "value", lookup, ud);
    }
    return rc;
}

int gr_mm_attachments_process(json_t *raw, gr_mm_username_fn lookup, void *ud, json_t **out,
                              struct gr_apperr *e)
{
    int st;

    *out = NULL;
    if (!json_is_array(raw))
        return gr_apperr_set(e, 400, "api.context.invalid_body_param.app_error",
                             "Invalid or missing props.attachments in request body.");
    st = gr_mm__attachments_normalise(raw, false, out, e);
    if (st == 0 && *out != NULL && gr_mm__attachments_users(*out, lookup, ud) != GR_OK) {
        json_decref(*out);
        *out = NULL;
        st = oom(e);
    }
    return st;
}
