/* SPDX-License-Identifier: MIT */
/*
 * alerts_util.c - the helpers of alerts.h that are not the group rendering: the Markdown
 * writer with a sticky error, plain-text cutting, attachment fields, numbers, JSON loading,
 * the refusal of unsigned sources, URLs and times. Pure functions; no clock, no I/O.
 */
#include "adapter/alerts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adapter/render.h"
#include "core/utf8.h"

/* ---- the Markdown writer ---------------------------------------------------------------- */

void gr_alerts_md_init(struct gr_alerts_md *m)
{
    gr_buf_init(&m->b, GR_ALERTS_MD_MAX);
    m->rc = GR_OK;
}

void gr_alerts_md_cleanup(struct gr_alerts_md *m)
{
    gr_buf_cleanup(&m->b);
}

void gr_alerts_md_raw(struct gr_alerts_md *m, const char *s)
{
    if (m->rc == GR_OK && s != NULL)
        m->rc = gr_buf_appends(&m->b, s);
}

void gr_alerts_md_printf(struct gr_alerts_md *m, const char *fmt, ...)
{
    va_list ap;

    if (m->rc != GR_OK)
        return;
    va_start(ap, fmt);
    m->rc = gr_buf_vprintf(&m->b, fmt, ap);
    va_end(ap);
}

void gr_alerts_md_text(struct gr_alerts_md *m, const char *s)
{
    if (m->rc == GR_OK && s != NULL)
        m->rc = gr_md_text(&m->b, s);
}

void gr_alerts_md_line(struct gr_alerts_md *m, const char *s, size_t max_runes)
{
    if (m->rc == GR_OK && s != NULL)
        m->rc = gr_md_line(&m->b, s, max_runes);
}

void gr_alerts_md_link(struct gr_alerts_md *m, const char *text, const char *url)
{
    if (m->rc == GR_OK)
        m->rc = gr_md_link(&m->b, text, gr_alerts_is_url(url) ? url : NULL);
}

void gr_alerts_md_code(struct gr_alerts_md *m, const char *s)
{
    if (m->rc == GR_OK && s != NULL && s[0] != '\0')
        m->rc = gr_md_code(&m->b, s);
}

void gr_alerts_md_sep(struct gr_alerts_md *m)
{
    char last = m->b.len ? m->b.p[m->b.len - 1] : '\n';

    if (last != '\n' && last != ' ')
        gr_alerts_md_raw(m, " · ");
}

/* ---- text, fields, numbers -------------------------------------------------------------- */

gr_err gr_alerts_cutn(struct gr_buf *b, const char *s, size_t len, size_t max)
{
    size_t n = gr_utf8_offset(s, len, max);
    gr_err rc = gr_buf_append(b, s, n);

    if (rc == GR_OK && n < len)
        rc = gr_buf_appends(b, "…");
    return rc;
}

gr_err gr_alerts_cut(struct gr_buf *b, const char *s, size_t max_runes)
{
    return s != NULL ? gr_alerts_cutn(b, s, strcspn(s, "\r\n"), max_runes) : GR_OK;
}

void gr_alerts_md_code_cut(struct gr_alerts_md *m, const char *s, size_t max)
{
    struct gr_buf t;

    gr_buf_init(&t, 4 * max + 8);
    if (s != NULL && gr_alerts_cut(&t, s, max) == GR_OK)
        gr_alerts_md_code(m, gr_buf_str(&t));
    gr_buf_cleanup(&t);
}

void gr_alerts_field(json_t *att, const char *title, const char *value, bool is_short)
{
    struct gr_buf t, v;

    gr_buf_init(&t, 512);
    gr_buf_init(&v, 2048);
    if (gr_alerts_cut(&t, title, 60) == GR_OK && gr_alerts_cut(&v, value, 300) == GR_OK)
        gr_att_field(att, gr_buf_str(&t), gr_buf_str(&v), is_short);
    gr_buf_cleanup(&t);
    gr_buf_cleanup(&v);
}

void gr_alerts_copy(char *out, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n >= cap) {
        /* Back up to the start of a code point so the copy stays valid UTF-8. */
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out, s, n);
    out[n] = '\0';
}

void gr_alerts_num_fmt(json_t *v, char *out, size_t cap)
{
    double d;

    if (json_is_integer(v)) {
        snprintf(out, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        d = json_real_value(v);
        /* Integral values print without an exponent (Grafana's 2.473545728e+09 is a byte
         * count); anything else gets six significant digits. */
        if (d == floor(d) && fabs(d) < 1e15)
            snprintf(out, cap, "%.0f", d);
        else
            snprintf(out, cap, "%.6g", d);
    } else if (json_is_string(v)) {
        gr_alerts_copy(out, cap, json_string_value(v));
    } else if (json_is_boolean(v)) {
        snprintf(out, cap, "%s", json_is_true(v) ? "true" : "false");
    } else {
        snprintf(out, cap, "null");
    }
}

/* ---- JSON, refusals, URLs, times -------------------------------------------------------- */

int gr_alerts_load(const struct gr_src_request *req, json_t **out, struct gr_apperr *e)
{
    const size_t flags = JSON_DECODE_ANY;
    json_error_t err;
    json_t *root = NULL;

    *out = NULL;
    memset(&err, 0, sizeof err);
    if (req->body != NULL && req->len > 0) {
        root = json_loadb(req->body, req->len, flags, &err);
        /* Go reads numbers as float64: accept integers jansson cannot hold, as reals. */
        if (root == NULL && json_error_code(&err) == json_error_numeric_overflow)
            root = json_loadb(req->body, req->len, flags | JSON_DECODE_INT_AS_REAL, &err);
    }
    if (root == NULL) {
        gr_apperr_set(e, 400, "griot.source.payload.invalid", "The request body is not JSON.");
        snprintf(e->detail, sizeof e->detail, "line %d, column %d: %s", err.line, err.column,
                 req->len ? err.text : "empty body");
        return 400;
    }
    *out = root;
    return 0;
}

int gr_alerts_unsigned(struct gr_apperr *e)
{
    return gr_apperr_set(e, 401, "griot.source.signature.malformed",
                         "this source does not sign requests; use --auth-bearer");
}

void gr_alerts_event_set(struct gr_src_event *ev, const char *s)
{
    gr_alerts_copy(ev->event, sizeof ev->event, s);
}

bool gr_alerts_is_url(const char *url)
{
    size_t len, pre;

    if (url == NULL)
        return false;
    pre = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    len = strlen(url);
    if (pre == 0 || len == pre || len > GR_ALERTS_MAX_URL)
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

gr_err gr_alerts_url_join(struct gr_buf *b, const char *base, const char *path)
{
    size_t bl = strlen(base);
    gr_err rc;

    while (bl > 0 && base[bl - 1] == '/')
        bl--;
    while (*path == '/')
        path++;
    rc = gr_buf_append(b, base, bl);
    if (rc == GR_OK)
        rc = gr_buf_appendc(b, '/');
    if (rc == GR_OK)
        rc = gr_buf_appends(b, path);
    return rc;
}

gr_err gr_alerts_urlencode(struct gr_buf *b, const char *s)
{
    gr_err rc = GR_OK;

    for (const unsigned char *p = (const unsigned char *)s; *p && rc == GR_OK; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            rc = gr_buf_appendc(b, (char)*p);
        else
            rc = gr_buf_printf(b, "%%%02X", *p);
    }
    return rc;
}

static bool two(const char *p, int *out)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return false;
    *out = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

bool gr_alerts_time_parse(const char *s, int64_t *out)
{
    struct tm tm;
    int y1, y2, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    const char *p;

    if (s == NULL || strlen(s) < 19 || !two(s, &y1) || !two(s + 2, &y2) || s[4] != '-' ||
        !two(s + 5, &mo) || s[7] != '-' || !two(s + 8, &d) ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !two(s + 11, &h) || s[13] != ':' ||
        !two(s + 14, &mi) || s[16] != ':' || !two(s + 17, &sec))
        return false;
    p = s + 19;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (!two(p + 1, &oh) || p[3] != ':' || !two(p + 4, &om))
            return false;
        p += 6;
    }
    if (*p != '\0' || y1 * 100 + y2 < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || sec > 60 || oh > 23 || om > 59)
        return false;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y1 * 100 + y2 - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *out = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
    return true;
}

void gr_alerts_time_fmt(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(out, 32, "%lld", (long long)t);
}

void gr_alerts_duration(int64_t secs, char out[32])
{
    long long s = secs > 0 ? (long long)secs : 0;

    if (s < 60)
        snprintf(out, 32, "%llds", s);
    else if (s < 3600 && s % 60)
        snprintf(out, 32, "%lldm %llds", s / 60, s % 60);
    else if (s < 3600)
        snprintf(out, 32, "%lldm", s / 60);
    else if (s < 86400)
        snprintf(out, 32, "%lldh %lldm", s / 3600, s % 3600 / 60);
    else
        snprintf(out, 32, "%lldd %lldh", s / 86400, s % 86400 / 3600);
}
