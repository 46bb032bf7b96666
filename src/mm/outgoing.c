/* SPDX-License-Identifier: MIT */
/* outgoing.c - see outgoing.h. */
#include "mm/outgoing.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mm/mm_int.h"

/* ---- first word ------------------------------------------------------------------------ */

bool gr_mm_is_space(uint32_t cp)
{
    switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

/* Decodes the code point at s[0..len) into *cp and returns its length; an ill-formed sequence
 * gives U+FFFD over one byte, as Go's range loop does. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (n == 0 || n > len || !gr_utf8_valid((const char *)s, n)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        *cp = (*cp << 6) | (s[i] & 0x3F);
    return n;
}

struct gr_slice gr_mm_outgoing_first_word(const char *msg, size_t len)
{
    const unsigned char *s = (const unsigned char *)msg;
    size_t i = 0, start, k;
    uint32_t cp;

    while (i < len && (k = decode(s + i, len - i, &cp)) > 0 && gr_mm_is_space(cp))
        i += k;
    start = i;
    while (i < len && (k = decode(s + i, len - i, &cp)) > 0 && !gr_mm_is_space(cp))
        i += k;
    return (struct gr_slice){msg + start, i - start};
}

/* ---- matching -------------------------------------------------------------------------- */

bool gr_mm_outgoing_match(const struct gr_mm_outgoing_rule *rule, const char *post_channel_id,
                          struct gr_slice first, const char **trigger_out)
{
    const char *hc = rule->channel_id ? rule->channel_id : "";
    size_t nwords = json_is_array(rule->trigger_words) ? json_array_size(rule->trigger_words) : 0;

    *trigger_out = "";
    if (hc[0] != '\0' && strcmp(hc, post_channel_id) != 0)
        return false;
    if (hc[0] != '\0' && nwords == 0)
        return true; /* bound to this channel, no trigger words: every post */
    if (first.len == 0 ||
        (rule->trigger_when != GR_MM_TRIGGER_EXACT && rule->trigger_when != GR_MM_TRIGGER_START))
        return false;
    for (size_t i = 0; i < nwords; i++) {
        const json_t *w = json_array_get(rule->trigger_words, i);
        const char *t = json_string_value(w);
        size_t tl = json_string_length(w);

        if (t == NULL)
            continue;
        bool fits = rule->trigger_when == GR_MM_TRIGGER_EXACT ? tl == first.len : tl <= first.len;
        if (fits && memcmp(t, first.p, tl) == 0) {
            *trigger_out = t;
            return true;
        }
    }
    return false;
}

/* ---- callback bodies ------------------------------------------------------------------- */

bool gr_mm_outgoing_is_json(const char *content_type)
{
    return content_type != NULL && strcmp(content_type, GR_MM_CT_JSON) == 0;
}

static const char *nn(const char *s)
{
    return s ? s : "";
}

gr_err gr_mm_outgoing_json(const struct gr_mm_outgoing_payload *p, struct gr_buf *out)
{
    /* Go marshals the struct fields in declaration order; jansson keeps insertion order. */
    const char *keys[] = {"token",        "team_id", "team_domain",  "channel_id",
                          "channel_name", NULL,      "user_id",      "user_name",
                          "post_id",      "text",    "trigger_word", "file_ids"};
    const char *vals[] = {p->token,        p->team_id, p->team_domain,  p->channel_id,
                          p->channel_name, NULL,       p->user_id,      p->user_name,
                          p->post_id,      p->text,    p->trigger_word, p->file_ids};
    json_t *o = json_object();
    char *s;
    gr_err rc = GR_OK;

    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && rc == GR_OK; i++) {
        json_t *v = i == 5 ? json_integer(p->timestamp_ms) : json_string(nn(vals[i]));
        if (v == NULL || json_object_set_new(o, i == 5 ? "timestamp" : keys[i], v) != 0)
            rc = GR_EINVAL;
    }
    s = rc == GR_OK ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (rc == GR_OK && s == NULL)
        rc = GR_EINVAL;
    if (rc == GR_OK)
        rc = gr_buf_appends(out, s);
    free(s);
    return rc;
}

/* Go's url.QueryEscape. */
static gr_err query_escape(const char *s, struct gr_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    gr_err rc = GR_OK;

    for (const unsigned char *c = (const unsigned char *)s; *c && rc == GR_OK; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            *c == '-' || *c == '_' || *c == '.' || *c == '~') {
            rc = gr_buf_appendc(out, (char)*c);
        } else if (*c == ' ') {
            rc = gr_buf_appendc(out, '+');
        } else {
            char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
            rc = gr_buf_append(out, e, 3);
        }
    }
    return rc;
}

struct kv {
    const char *k, *v;
};

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

gr_err gr_mm_outgoing_form(const struct gr_mm_outgoing_payload *p, struct gr_buf *out)
{
    char ts[24];
    struct kv f[] = {
            {"token", p->token},
            {"team_id", p->team_id},
            {"team_domain", p->team_domain},
            {"channel_id", p->channel_id},
            {"channel_name", p->channel_name},
            {"timestamp", ts},
            {"user_id", p->user_id},
            {"user_name", p->user_name},
            {"post_id", p->post_id},
            {"text", p->text},
            {"trigger_word", p->trigger_word},
            {"file_ids", p->file_ids},
    };
    const size_t n = sizeof f / sizeof f[0];
    gr_err rc = GR_OK;

    /* Go divides int64s truncating toward zero, so does C. */
    snprintf(ts, sizeof ts, "%" PRId64, p->timestamp_ms / 1000);
    qsort(f, n, sizeof f[0], kv_cmp); /* url.Values.Encode sorts by key */
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        if (i > 0)
            rc = gr_buf_appendc(out, '&');
        if (rc == GR_OK)
            rc = query_escape(f[i].k, out);
        if (rc == GR_OK)
            rc = gr_buf_appendc(out, '=');
        if (rc == GR_OK)
            rc = query_escape(nn(f[i].v), out);
    }
    return rc;
}

/* ---- replies --------------------------------------------------------------------------- */

static bool all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

int gr_mm_outgoing_reply_parse(const char *body, size_t len, struct gr_mm_outgoing_reply *out,
                               struct gr_apperr *e)
{
    json_error_t jerr;
    json_t *root, *rt;
    int st;

    memset(out, 0, sizeof *out);
    if (len == 0 || all_space(body, len))
        return 0; /* Go's decoder reports io.EOF: no reply, no error */
    root = json_loadb(body, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &jerr);
    if (root == NULL && json_error_code(&jerr) == json_error_numeric_overflow)
        root = json_loadb(body, len,
                          JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_DECODE_INT_AS_REAL,
                          &jerr);
    if (root == NULL)
        return gr_apperr_set(e, 400, "api.unmarshal_error", "Invalid JSON in the reply: %s.",
                             jerr.text);
    if (json_is_null(root)) {
        json_decref(root);
        return 0;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return gr_apperr_set(e, 400, "api.unmarshal_error", "The reply is not a JSON object.");
    }
    rt = gr_mm__get_ci(root, "response_type");
    if (rt != NULL && !json_is_null(rt) && !json_is_string(rt)) {
        json_decref(root);
        return gr_apperr_set(e, 400, "api.unmarshal_error",
                             "The reply's response_type is not a string.");
    }
    out->comment = json_is_string(rt) && strcmp(json_string_value(rt), "comment") == 0;
    json_decref(root);
    /* The typed reading of the fields is the incoming webhook's (same Go struct types). */
    st = gr_mm_incoming_decode(GR_MM_CT_JSON, body, len, "", &out->in, e);
    if (st) {
        gr_mm_incoming_cleanup(&out->in);
        memset(out, 0, sizeof *out);
        return st;
    }
    free(out->in.channel);
    free(out->in.icon_emoji);
    out->in.channel = out->in.icon_emoji = NULL;
    out->post = out->in.text != NULL ||
                (out->in.attachments != NULL && json_array_size(out->in.attachments) > 0);
    return 0;
}

void gr_mm_outgoing_reply_cleanup(struct gr_mm_outgoing_reply *r)
{
    if (r == NULL)
        return;
    gr_mm_incoming_cleanup(&r->in);
    memset(r, 0, sizeof *r);
}
