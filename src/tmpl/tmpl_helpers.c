/* SPDX-License-Identifier: MIT */
/*
 * tmpl_helpers.c - griot's template helpers (`{{x | helper args}}`); `date` is in tmpl_date.c.
 *
 * Helpers are pure functions from a value (and literal or looked-up arguments) to a new value;
 * they never fail on odd input, they pass it through or give something sensible instead, so a
 * payload of an unexpected shape still renders. Every string a helper builds is bounded by the
 * render's output budget (GR_ETOOBIG), because a long separator times a long list could
 * otherwise allocate without limit. User documentation with examples: docs/templates.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "tmpl/tmpl_int.h"

/* --- shared bits for helpers --------------------------------------------------------------- */

/* v as text in a fresh buffer bounded by the output budget; the caller cleans b up. */
static gr_err text_of(const struct gr_tmpl__hctx *c, json_t *v, struct gr_buf *b)
{
    gr_buf_init(b, c->limit);
    return gr_tmpl__text(b, v);
}

/* Hands b's content over as a new json string and cleans b up. */
static gr_err give(struct gr_buf *b, gr_err rc, json_t **out)
{
    if (rc == GR_OK) {
        *out = json_stringn_nocheck(gr_buf_str(b), b->len);
        if (*out == NULL)
            rc = GR_ENOMEM;
    }
    gr_buf_cleanup(b);
    return rc;
}

static json_t *keep(json_t *v)
{
    return json_incref(v);
}

/* A number from an integer, a real or a numeric string. */
static bool num_of(const json_t *v, double *out)
{
    char *end;

    if (json_is_number(v)) {
        *out = json_number_value(v);
        return true;
    }
    if (!json_is_string(v) || json_string_length(v) == 0)
        return false;
    *out = strtod(json_string_value(v), &end);
    return *end == '\0' && isfinite(*out);
}

/* A count argument, clamped to [0, 1e9]; dflt when missing or not a number. */
static size_t count_of(const json_t *v, size_t dflt)
{
    double d;

    if (!num_of(v, &d))
        return dflt;
    if (d < 0)
        return 0;
    return d > 1e9 ? 1000000000 : (size_t)d;
}

static gr_err map_ascii(const struct gr_tmpl__hctx *c, json_t *in, json_t **out, int how)
{
    struct gr_buf b;
    gr_err rc = text_of(c, in, &b);

    for (size_t i = 0; rc == GR_OK && i < b.len; i++) {
        char ch = b.p[i];
        if (how >= 0 && ch >= 'a' && ch <= 'z')
            b.p[i] = (char)(ch - 'a' + 'A');
        else if (how < 0 && ch >= 'A' && ch <= 'Z')
            b.p[i] = (char)(ch - 'A' + 'a');
        if (how == 0) /* capitalize: the first byte only */
            break;
    }
    return give(&b, rc, out);
}

/* --- the helpers ----------------------------------------------------------------------------- */

static gr_err h_upper(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                      json_t **out)
{
    (void)argv;
    (void)argc;
    return map_ascii(c, in, out, 1);
}

static gr_err h_lower(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                      json_t **out)
{
    (void)argv;
    (void)argc;
    return map_ascii(c, in, out, -1);
}

static gr_err h_capitalize(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                           json_t **out)
{
    (void)argv;
    (void)argc;
    return map_ascii(c, in, out, 0);
}

static bool space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

static gr_err h_trim(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                     json_t **out)
{
    struct gr_buf b;
    gr_err rc = text_of(c, in, &b);
    size_t s = 0, e = b.len;

    (void)argv;
    (void)argc;
    while (s < e && space(b.p[s]))
        s++;
    while (e > s && space(b.p[e - 1]))
        e--;
    if (rc == GR_OK && b.len) {
        memmove(b.p, b.p + s, e - s);
        b.len = e - s;
        b.p[b.len] = '\0';
    }
    return give(&b, rc, out);
}

static gr_err h_firstline(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                          json_t **out)
{
    struct gr_buf b;
    gr_err rc = text_of(c, in, &b);
    const char *nl = b.len ? memchr(b.p, '\n', b.len) : NULL;

    (void)argv;
    (void)argc;
    if (nl != NULL) {
        b.len = (size_t)(nl - b.p);
        if (b.len && b.p[b.len - 1] == '\r')
            b.len--;
        b.p[b.len] = '\0';
    }
    return give(&b, rc, out);
}

/* truncate N [ELLIPSIS]: at most N code points, ending with ELLIPSIS ("…") when cut. */
static gr_err h_truncate(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                         json_t **out)
{
    struct gr_buf b, e;
    size_t n = count_of(argv[0], 1000000000), runes, erunes, cut;
    gr_err rc = text_of(c, in, &b);

    gr_buf_init(&e, c->limit);
    if (rc == GR_OK)
        rc = argc > 1 ? gr_tmpl__text(&e, argv[1]) : gr_buf_appends(&e, "\xe2\x80\xa6");
    runes = gr_utf8_count(gr_buf_str(&b), b.len);
    if (rc == GR_OK && runes > n) {
        erunes = gr_utf8_count(gr_buf_str(&e), e.len);
        if (erunes >= n) { /* no room for the ellipsis: just cut */
            b.len = gr_utf8_offset(b.p, b.len, n);
        } else {
            cut = gr_utf8_offset(b.p, b.len, n - erunes);
            while (cut > 0 && space(b.p[cut - 1]))
                cut--;
            b.len = cut;
            rc = gr_buf_append(&b, gr_buf_str(&e), e.len);
        }
        if (b.p)
            b.p[b.len] = '\0';
    }
    gr_buf_cleanup(&e);
    return give(&b, rc, out);
}

/* default X: X when the value is missing, null, "" or []. */
static gr_err h_default(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                        json_t **out)
{
    (void)c;
    (void)argc;
    if (in == NULL || json_is_null(in) || (json_is_string(in) && json_string_length(in) == 0) ||
        (json_is_array(in) && json_array_size(in) == 0))
        *out = keep(argv[0]);
    else
        *out = keep(in);
    return GR_OK;
}

static gr_err compare(const struct gr_tmpl__hctx *c, json_t *in, json_t *x, bool want, json_t **out)
{
    struct gr_buf a, b;
    gr_err rc = text_of(c, in, &a);

    if (rc == GR_OK)
        rc = text_of(c, x, &b);
    else
        gr_buf_init(&b, 0);
    if (rc == GR_OK) {
        bool eq = a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
        *out = json_boolean(eq == want);
    }
    gr_buf_cleanup(&a);
    gr_buf_cleanup(&b);
    return rc;
}

static gr_err h_eq(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                   json_t **out)
{
    (void)argc;
    return compare(c, in, argv[0], true, out);
}

static gr_err h_ne(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                   json_t **out)
{
    (void)argc;
    return compare(c, in, argv[0], false, out);
}

/* first/last/skip on lists (elements) and strings (code points). */
static gr_err slice(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                    json_t **out, int which)
{
    size_t n = argc ? count_of(argv[0], 1) : 1, size, from, to;

    if (json_is_array(in)) {
        size = json_array_size(in);
        if (argc == 0 && which != 2) {
            *out = size ? keep(json_array_get(in, which == 0 ? 0 : size - 1)) : NULL;
            return GR_OK;
        }
        from = which == 0 ? 0 : which == 1 ? (size > n ? size - n : 0) : (n < size ? n : size);
        to = which == 0 ? (n < size ? n : size) : size;
        *out = json_array();
        for (size_t i = from; *out && i < to; i++)
            json_array_append(*out, json_array_get(in, i));
        return *out ? GR_OK : GR_ENOMEM;
    }
    if (json_is_string(in)) {
        const char *s = json_string_value(in);
        size_t len = json_string_length(in), runes = gr_utf8_count(s, len);

        from = which == 0 ? 0 : which == 1 ? (runes > n ? runes - n : 0) : (n < runes ? n : runes);
        to = which == 0 ? (n < runes ? n : runes) : runes;
        from = gr_utf8_offset(s, len, from);
        to = gr_utf8_offset(s, len, to);
        *out = json_stringn_nocheck(s + from, to - from);
        return *out ? GR_OK : GR_ENOMEM;
    }
    (void)c;
    *out = keep(in);
    return GR_OK;
}

static gr_err h_first(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                      json_t **out)
{
    return slice(c, in, argv, argc, out, 0);
}

static gr_err h_last(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                     json_t **out)
{
    return slice(c, in, argv, argc, out, 1);
}

static gr_err h_skip(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                     json_t **out)
{
    return slice(c, in, argv, argc, out, 2);
}

static gr_err h_length(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                       json_t **out)
{
    size_t n = 0;

    (void)c;
    (void)argv;
    (void)argc;
    if (json_is_array(in))
        n = json_array_size(in);
    else if (json_is_object(in))
        n = json_object_size(in);
    else if (json_is_string(in))
        n = gr_utf8_count(json_string_value(in), json_string_length(in));
    *out = json_integer((json_int_t)n);
    return *out ? GR_OK : GR_ENOMEM;
}

/* The value at a dotted path inside v ("author.name", "labels.0"). */
static json_t *path(json_t *v, const char *p, size_t n)
{
    while (v && n) {
        const char *dot = memchr(p, '.', n);
        size_t k = dot ? (size_t)(dot - p) : n;

        if (json_is_object(v)) {
            v = json_object_getn(v, p, k);
        } else if (json_is_array(v) && k > 0 && k < 10 && strspn(p, "0123456789") >= k) {
            size_t idx = 0;
            for (size_t i = 0; i < k; i++)
                idx = idx * 10 + (size_t)(p[i] - '0');
            v = json_array_get(v, idx);
        } else {
            v = NULL;
        }
        p += dot ? k + 1 : k;
        n -= dot ? k + 1 : k;
    }
    return v;
}

/* join [SEP] [FIELD]: list items (or each item's FIELD) as text, empty ones skipped. */
static gr_err h_join(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                     json_t **out)
{
    struct gr_buf b, sep;
    gr_err rc = GR_OK;
    size_t i, n = 0;
    json_t *x;

    if (!json_is_array(in)) {
        rc = text_of(c, in, &b);
        return give(&b, rc, out);
    }
    gr_buf_init(&b, c->limit);
    gr_buf_init(&sep, c->limit);
    rc = argc > 0 ? gr_tmpl__text(&sep, argv[0]) : gr_buf_appends(&sep, ", ");
    json_array_foreach(in, i, x)
    {
        size_t mark = b.len;

        if (rc != GR_OK)
            break;
        if (argc > 1 && json_is_string(argv[1]))
            x = path(x, json_string_value(argv[1]), json_string_length(argv[1]));
        if (x == NULL || json_is_null(x) || (json_is_string(x) && json_string_length(x) == 0))
            continue;
        if (n++ > 0)
            rc = gr_buf_append(&b, gr_buf_str(&sep), sep.len);
        if (rc == GR_OK)
            rc = gr_tmpl__text(&b, x);
        if (rc == GR_OK && b.len == mark + (n > 1 ? sep.len : 0)) {
            b.len = mark; /* the item printed nothing: drop its separator */
            n--;
        }
    }
    gr_buf_cleanup(&sep);
    return give(&b, rc, out);
}

static gr_err h_json(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                     json_t **out)
{
    struct gr_buf b;

    (void)argv;
    (void)argc;
    gr_buf_init(&b, c->limit);
    return give(&b, gr_tmpl__json(&b, in), out);
}

/* md: Markdown-escapes text and defuses @channel, @here and @all (U+200B after the '@'). */
static gr_err h_md(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                   json_t **out)
{
    static const char *const loud[] = {"channel", "here", "all"};
    struct gr_buf t, b;
    gr_err rc = text_of(c, in, &t);

    (void)argv;
    (void)argc;
    gr_buf_init(&b, c->limit);
    for (size_t i = 0; rc == GR_OK && i < t.len; i++) {
        char ch = t.p[i];

        if (strchr("\\`*_{}[]<>#|~", ch) != NULL && ch != '\0')
            rc = gr_buf_appendc(&b, '\\');
        if (rc == GR_OK)
            rc = gr_buf_appendc(&b, ch);
        for (size_t k = 0; ch == '@' && rc == GR_OK && k < 3; k++) {
            size_t n = strlen(loud[k]);
            char nx = i + 1 + n < t.len ? t.p[i + 1 + n] : ' ';
            if (t.len - i - 1 >= n && strncasecmp(t.p + i + 1, loud[k], n) == 0 &&
                !((nx >= 'a' && nx <= 'z') || (nx >= 'A' && nx <= 'Z') ||
                  (nx >= '0' && nx <= '9') || nx == '_' || nx == '-' || nx == '.'))
                rc = gr_buf_appends(&b, "\xe2\x80\x8b");
        }
    }
    gr_buf_cleanup(&t);
    return give(&b, rc, out);
}

static gr_err h_url(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                    json_t **out)
{
    struct gr_buf t, b;
    gr_err rc = text_of(c, in, &t);

    (void)argv;
    (void)argc;
    gr_buf_init(&b, c->limit);
    for (size_t i = 0; rc == GR_OK && i < t.len; i++) {
        unsigned char ch = (unsigned char)t.p[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~')
            rc = gr_buf_appendc(&b, (char)ch);
        else
            rc = gr_buf_printf(&b, "%%%02X", ch);
    }
    gr_buf_cleanup(&t);
    return give(&b, rc, out);
}

/* replace FROM TO: every occurrence of FROM (plain text, not a pattern). */
static gr_err h_replace(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                        json_t **out)
{
    struct gr_buf t, from, to, b;
    gr_err rc = text_of(c, in, &t);
    size_t i = 0;

    (void)argc;
    gr_buf_init(&b, c->limit);
    if (rc == GR_OK)
        rc = text_of(c, argv[0], &from);
    else
        gr_buf_init(&from, 0);
    if (rc == GR_OK)
        rc = text_of(c, argv[1], &to);
    else
        gr_buf_init(&to, 0);
    while (rc == GR_OK && i < t.len) {
        const char *hit = from.len ? memmem(t.p + i, t.len - i, from.p, from.len) : NULL;
        size_t stop = hit ? (size_t)(hit - t.p) : t.len;

        rc = gr_buf_append(&b, t.p + i, stop - i);
        if (rc == GR_OK && hit)
            rc = gr_buf_append(&b, gr_buf_str(&to), to.len);
        i = hit ? stop + from.len : t.len;
    }
    gr_buf_cleanup(&t);
    gr_buf_cleanup(&from);
    gr_buf_cleanup(&to);
    return give(&b, rc, out);
}

/* thousands [SEP]: groups the integer digits of a number by three ("12500" -> "12,500"). */
static gr_err h_thousands(const struct gr_tmpl__hctx *c, json_t *in, json_t **argv, size_t argc,
                          json_t **out)
{
    struct gr_buf t, sep, b;
    gr_err rc = text_of(c, in, &t);
    size_t i = 0, d0, d1;
    double dummy;

    gr_buf_init(&b, c->limit);
    gr_buf_init(&sep, c->limit);
    if (rc == GR_OK)
        rc = argc ? gr_tmpl__text(&sep, argv[0]) : gr_buf_appendc(&sep, ',');
    if (rc != GR_OK || !num_of(in, &dummy) || t.len == 0 || memchr(t.p, 'e', t.len) ||
        memchr(t.p, 'E', t.len)) {
        gr_buf_cleanup(&sep);
        gr_buf_cleanup(&b);
        return give(&t, rc, out); /* not a plain number: unchanged */
    }
    if (t.p[0] == '-' || t.p[0] == '+')
        i++;
    d0 = i;
    while (i < t.len && t.p[i] >= '0' && t.p[i] <= '9')
        i++;
    d1 = i;
    rc = gr_buf_append(&b, t.p, d0);
    for (size_t k = d0; rc == GR_OK && k < d1; k++) {
        if (k > d0 && (d1 - k) % 3 == 0)
            rc = gr_buf_append(&b, gr_buf_str(&sep), sep.len);
        if (rc == GR_OK)
            rc = gr_buf_appendc(&b, t.p[k]);
    }
    if (rc == GR_OK)
        rc = gr_buf_append(&b, t.p + d1, t.len - d1);
    gr_buf_cleanup(&t);
    gr_buf_cleanup(&sep);
    return give(&b, rc, out);
}

/* Sorted by name; keep docs/templates.md in step (tag-tmpl-helpers). */
static const struct gr_tmpl__helper helpers[] = {
        {"capitalize", h_capitalize, 0, 0},
        {"count", h_length, 0, 0},
        {"date", gr_tmpl__h_date, 0, 2},
        {"default", h_default, 1, 1},
        {"eq", h_eq, 1, 1},
        {"first", h_first, 0, 1},
        {"firstline", h_firstline, 0, 0},
        {"join", h_join, 0, 2},
        {"json", h_json, 0, 0},
        {"last", h_last, 0, 1},
        {"length", h_length, 0, 0},
        {"lower", h_lower, 0, 0},
        {"md", h_md, 0, 0},
        {"ne", h_ne, 1, 1},
        {"replace", h_replace, 2, 2},
        {"skip", h_skip, 1, 1},
        {"thousands", h_thousands, 0, 1},
        {"trim", h_trim, 0, 0},
        {"truncate", h_truncate, 1, 2},
        {"upper", h_upper, 0, 0},
        {"url", h_url, 0, 0},
};

const struct gr_tmpl__helper *gr_tmpl__helper_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
        if (strlen(helpers[i].name) == len && memcmp(helpers[i].name, name, len) == 0)
            return &helpers[i];
    return NULL;
}
