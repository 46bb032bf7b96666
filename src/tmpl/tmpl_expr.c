/* SPDX-License-Identifier: MIT */
/*
 * tmpl_expr.c - parses griot's filter chains: `name | helper arg arg | helper ...`.
 *
 * Called by the compiler for every variable or section tag whose content contains a '|'. The
 * chain is only recorded: whether it applies is a render option (opts.helpers), and without
 * helpers the whole content stays an ordinary Mustache name. So a chain that does not parse is
 * not a compile error; its expr is marked bad with a message, and rendering with helpers on
 * refuses the template (GR_EINVAL, "line N: unknown helper 'x'").
 *
 * Arguments are "double" or 'single' quoted strings (\" \' \\ \n \t escapes), numbers, or
 * names looked up in the context like any tag name. A string cannot contain the closing
 * delimiter, which ends the tag before the parser sees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl_int.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static struct gr_slice trim(const char *p, size_t n)
{
    struct gr_slice s;

    while (n && is_ws(*p)) {
        p++;
        n--;
    }
    while (n && is_ws(p[n - 1]))
        n--;
    s.p = p;
    s.len = n;
    return s;
}

static gr_err grow(void **arr, size_t n, size_t size)
{
    /* Capacity is always a power of two; n is the count before the new element. */
    if ((n & (n - 1)) == 0) {
        void *q = realloc(*arr, (n ? n * 2 : 1) * size);
        if (q == NULL)
            return GR_ENOMEM;
        *arr = q;
    }
    return GR_OK;
}

static bool name_char(char c)
{
    return !is_ws(c) && c != '"' && c != '\'' && c != '|';
}

static bool is_number(const char *p, size_t n)
{
    size_t i = 0;
    bool digits = false;

    if (i < n && (p[i] == '-' || p[i] == '+'))
        i++;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        i++;
        digits = true;
    }
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            i++;
            digits = true;
        }
    }
    if (digits && i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (p[j] == '-' || p[j] == '+'))
            j++;
        if (j < n && p[j] >= '0' && p[j] <= '9') {
            while (j < n && p[j] >= '0' && p[j] <= '9')
                j++;
            i = j;
        }
    }
    return digits && i == n;
}

/* Adds one argument; for strings, unescapes \" \' \\ \n \t. */
static gr_err add_arg(struct gr_tmpl *t, enum gr_tmpl__arg_kind kind, const char *p, size_t n)
{
    struct gr_tmpl__arg *a;
    size_t k = 0;
    gr_err rc = grow((void **)&t->args, t->nargs, sizeof(*t->args));

    if (rc != GR_OK)
        return rc;
    a = &t->args[t->nargs];
    a->kind = kind;
    a->str = malloc(n + 1);
    if (a->str == NULL)
        return GR_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (kind == GR_TA_STR && c == '\\' && i + 1 < n) {
            c = p[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        a->str[k++] = c;
    }
    a->str[k] = '\0';
    a->len = k;
    t->nargs++;
    return GR_OK;
}

/* Parses one "helper arg arg..." segment; sets e->bad and e->msg on a syntax error. */
static gr_err parse_filter(struct gr_tmpl *t, struct gr_tmpl__expr *e, const char *p, size_t n)
{
    struct gr_tmpl__filter *f;
    size_t i = 0, h0;
    gr_err rc;

    while (i < n && is_ws(p[i]))
        i++;
    h0 = i;
    while (i < n && name_char(p[i]))
        i++;
    if (i == h0) {
        e->bad = true;
        snprintf(e->msg, sizeof(e->msg), "expected a helper name after '|'");
        return GR_OK;
    }
    rc = grow((void **)&t->filters, t->nfilters, sizeof(*t->filters));
    if (rc != GR_OK)
        return rc;
    f = &t->filters[t->nfilters++];
    e->nfilters++;
    f->first_arg = t->nargs;
    f->nargs = 0;
    f->h = gr_tmpl__helper_find(p + h0, i - h0);
    if (f->h == NULL) {
        e->bad = true;
        snprintf(e->msg, sizeof(e->msg), "unknown helper '%.*s'", (int)(i - h0 > 40 ? 40 : i - h0),
                 p + h0);
        return GR_OK;
    }
    for (;;) {
        size_t a0;

        while (i < n && is_ws(p[i]))
            i++;
        if (i == n)
            break;
        if (p[i] == '"' || p[i] == '\'') {
            char q = p[i++];
            a0 = i;
            while (i < n && p[i] != q)
                i += (p[i] == '\\' && i + 1 < n) ? 2 : 1;
            if (i >= n) {
                e->bad = true;
                snprintf(e->msg, sizeof(e->msg), "unterminated string in helper '%s'", f->h->name);
                return GR_OK;
            }
            rc = add_arg(t, GR_TA_STR, p + a0, i - a0);
            i++;
            if (i < n && !is_ws(p[i])) {
                e->bad = true;
                snprintf(e->msg, sizeof(e->msg), "expected a space after a string in helper '%s'",
                         f->h->name);
                return rc;
            }
        } else {
            a0 = i;
            while (i < n && name_char(p[i]))
                i++;
            if (i == a0) {
                e->bad = true;
                snprintf(e->msg, sizeof(e->msg), "unexpected character in helper '%s'", f->h->name);
                return GR_OK;
            }
            rc = add_arg(t, is_number(p + a0, i - a0) ? GR_TA_NUM : GR_TA_NAME, p + a0, i - a0);
        }
        if (rc != GR_OK)
            return rc;
        f->nargs++;
    }
    if (f->nargs < f->h->min_args || f->nargs > f->h->max_args) {
        e->bad = true;
        if (f->h->min_args == f->h->max_args)
            snprintf(e->msg, sizeof(e->msg), "helper '%s' takes %u argument%s", f->h->name,
                     f->h->min_args, f->h->min_args == 1 ? "" : "s");
        else
            snprintf(e->msg, sizeof(e->msg), "helper '%s' takes %u to %u arguments", f->h->name,
                     f->h->min_args, f->h->max_args);
    }
    return GR_OK;
}

gr_err gr_tmpl__expr_parse(struct gr_tmpl *t, const char *content, size_t len, uint32_t line,
                           int32_t *idx_out)
{
    struct gr_tmpl__expr *e;
    size_t i = 0, seg = 0;
    bool first = true;
    gr_err rc = grow((void **)&t->exprs, t->nexprs, sizeof(*t->exprs));

    if (rc != GR_OK)
        return rc;
    if (t->nexprs >= INT32_MAX)
        return GR_ENOMEM;
    e = &t->exprs[t->nexprs];
    memset(e, 0, sizeof(*e));
    e->line = line;
    e->first_filter = t->nfilters;
    *idx_out = (int32_t)t->nexprs++;
    /* Split on '|' outside quotes; the first segment is the name. */
    for (;;) {
        char q = 0;

        while (i < len && (q || content[i] != '|')) {
            if (q && content[i] == '\\' && i + 1 < len)
                i++;
            else if (content[i] == '"' || content[i] == '\'')
                q = q == content[i] ? 0 : q ? q : content[i];
            i++;
        }
        if (first) {
            e->base = trim(content + seg, i - seg);
            first = false;
            for (size_t k = 0; k < e->base.len; k++)
                if (!name_char(e->base.p[k]))
                    e->base.len = 0;
            if (e->base.len == 0) {
                e->bad = true;
                snprintf(e->msg, sizeof(e->msg), "expected one name before '|'");
            }
        } else if (!e->bad) {
            rc = parse_filter(t, e, content + seg, i - seg);
            if (rc != GR_OK)
                return rc;
        }
        if (i >= len)
            break;
        seg = ++i;
    }
    if (e->bad && t->bad_expr < 0)
        t->bad_expr = *idx_out;
    return GR_OK;
}
