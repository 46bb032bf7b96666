/* SPDX-License-Identifier: MIT */
/*
 * tmpl_value.c - json values as text: what {{x}} prints, section truthiness, and the compact
 * JSON the `json` helper and interpolated lists and objects use.
 *
 * Numbers print as JSON writes them, not as jansson's dumper does: integers as integers, reals
 * that hold an integer without ".0" (3.0 -> "3"), other reals as the shortest text that reads
 * back as the same double (0.1 -> "0.1", not "0.10000000000000001"). Everything writes into a
 * bounded gr_buf, so a huge value fails with GR_ETOOBIG instead of allocating without limit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl_int.h"

#define JSON_MAX_DEPTH 200 /* deeper values are written as null */

bool gr_tmpl__falsy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_NULL:
    case JSON_FALSE:
        return true;
    case JSON_INTEGER:
        return json_integer_value(v) == 0;
    case JSON_REAL:
        return json_real_value(v) == 0.0;
    case JSON_STRING:
        return json_string_length(v) == 0;
    case JSON_ARRAY:
        return json_array_size(v) == 0;
    default:
        return false;
    }
}

gr_err gr_tmpl__real(struct gr_buf *b, double d)
{
    char tmp[48], *e;
    int prec;

    if (!isfinite(d))
        return GR_OK;
    if (d == trunc(d) && fabs(d) < 1e21) /* integral: no ".0", no exponent (JSON, JS) */
        return gr_buf_printf(b, "%.0f", d == 0 ? 0.0 : d);
    for (prec = 1; prec < 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
    /* "1e-07" -> "1e-7": drop leading zeros of the exponent, as JSON writers do. */
    e = strchr(tmp, 'e');
    if (e != NULL) {
        char *digits = e + 1 + (e[1] == '+' || e[1] == '-'), *z = digits;
        while (*z == '0' && z[1] != '\0')
            z++;
        memmove(digits, z, strlen(z) + 1);
    }
    return gr_buf_appends(b, tmp);
}

static gr_err json_str(struct gr_buf *b, const char *p, size_t n)
{
    size_t run = 0;
    gr_err rc = gr_buf_appendc(b, '"');

    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        unsigned char c = (unsigned char)p[i];
        char esc[8];

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        rc = gr_buf_append(b, p + run, i - run);
        run = i + 1;
        if (rc != GR_OK)
            break;
        switch (c) {
        case '"':
            rc = gr_buf_appends(b, "\\\"");
            break;
        case '\\':
            rc = gr_buf_appends(b, "\\\\");
            break;
        case '\n':
            rc = gr_buf_appends(b, "\\n");
            break;
        case '\r':
            rc = gr_buf_appends(b, "\\r");
            break;
        case '\t':
            rc = gr_buf_appends(b, "\\t");
            break;
        default:
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            rc = gr_buf_appends(b, esc);
        }
    }
    if (rc == GR_OK)
        rc = gr_buf_append(b, p + run, n - run);
    return rc == GR_OK ? gr_buf_appendc(b, '"') : rc;
}

static gr_err json_any(struct gr_buf *b, json_t *v, int depth)
{
    gr_err rc = GR_OK;
    const char *k;
    json_t *x;
    size_t i;

    if (v == NULL || depth > JSON_MAX_DEPTH)
        return gr_buf_appends(b, "null");
    switch (json_typeof(v)) {
    case JSON_STRING:
        return json_str(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
    case JSON_REAL:
        return gr_tmpl__text(b, v);
    case JSON_TRUE:
        return gr_buf_appends(b, "true");
    case JSON_FALSE:
        return gr_buf_appends(b, "false");
    case JSON_ARRAY:
        rc = gr_buf_appendc(b, '[');
        json_array_foreach(v, i, x)
        {
            if (rc == GR_OK && i > 0)
                rc = gr_buf_appendc(b, ',');
            if (rc == GR_OK)
                rc = json_any(b, x, depth + 1);
        }
        return rc == GR_OK ? gr_buf_appendc(b, ']') : rc;
    case JSON_OBJECT:
        rc = gr_buf_appendc(b, '{');
        i = 0;
        json_object_foreach(v, k, x)
        {
            if (rc == GR_OK && i++ > 0)
                rc = gr_buf_appendc(b, ',');
            if (rc == GR_OK)
                rc = json_str(b, k, strlen(k));
            if (rc == GR_OK)
                rc = gr_buf_appendc(b, ':');
            if (rc == GR_OK)
                rc = json_any(b, x, depth + 1);
        }
        return rc == GR_OK ? gr_buf_appendc(b, '}') : rc;
    default:
        return gr_buf_appends(b, "null");
    }
}

gr_err gr_tmpl__json(struct gr_buf *b, json_t *v)
{
    return json_any(b, v, 0);
}

gr_err gr_tmpl__text(struct gr_buf *b, json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING:
        return gr_buf_append(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return gr_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        return gr_tmpl__real(b, json_real_value(v));
    case JSON_TRUE:
        return gr_buf_appends(b, "true");
    case JSON_FALSE:
        return gr_buf_appends(b, "false");
    case JSON_ARRAY:
    case JSON_OBJECT:
        return gr_tmpl__json(b, v);
    default:
        return GR_OK;
    }
}
