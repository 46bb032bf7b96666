/* SPDX-License-Identifier: MIT */
/*
 * tmpl_render.c - renders a compiled template against a jansson value.
 *
 * State for one render lives in `struct rs`: the context stack (borrowed json values), the
 * indentation stack, the partials compiled so far, and three budgets that make untrusted
 * templates and data safe: output bytes (max_output), nesting (max_depth: sections, partials,
 * parents and blocks, which is also the C recursion depth) and work (node visits, so that
 * nested loops over large lists that print nothing still end). Any budget exceeded fails the
 * whole render with GR_ETOOBIG and leaves `out` as it was.
 *
 * Indentation (standalone partials, ~inheritance blocks) is applied lazily: a template line
 * starts "at bol", and the pending indentation is printed before the first byte the line
 * prints. Blank lines are not indented. Text interpolated from data never starts a new line,
 * so multi-line values are not re-indented, as the spec wants. Content moved into another
 * block also has its own indentation stripped (`strip`) before the new one is applied.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tmpl/tmpl_int.h"

#define DEFAULT_OUTPUT ((size_t)1 << 20)
#define DEFAULT_DEPTH  64
#define MAX_DEPTH      1000 /* hard cap on opts.max_depth: it is also C recursion */
#define MAX_PARTIALS   256  /* distinct partial names per render */
#define MAX_ARGS       4    /* most arguments any helper takes */

/* One {{<parent}} being rendered: its block children override blocks of the parent template.
 * prev is the enclosing one, whose overrides win. */
struct ov {
    const struct gr_tmpl *t;
    size_t node;
    const struct ov *prev;
};

struct pentry {
    char *name;
    size_t len;
    struct gr_tmpl *t; /* NULL: no such partial */
};

struct rs {
    const struct gr_tmpl_opts *o;
    bool html;
    bool helpers;
    struct gr_buf *out;
    size_t limit; /* out->len may not pass this */
    size_t max_output;
    size_t steps;
    size_t max_steps;
    json_t **ctx;
    size_t nctx;
    struct gr_slice *ind;
    size_t nind;
    struct gr_slice strip;
    bool bol;
    int depth;
    int max_depth;
    struct pentry *cache;
    size_t ncache;
    struct gr_buf tmp;
    struct gr_tmpl__hctx hctx;
    char msg[200];
};

static gr_err too_big(struct rs *s, const char *why)
{
    if (s->msg[0] == '\0')
        snprintf(s->msg, sizeof(s->msg), "%s", why);
    return GR_ETOOBIG;
}

static gr_err emit(struct rs *s, const char *p, size_t n)
{
    char why[64];

    if (n > s->limit - s->out->len) {
        snprintf(why, sizeof(why), "output exceeds %zu bytes", s->max_output);
        return too_big(s, why);
    }
    return gr_buf_append(s->out, p, n);
}

static gr_err emit_indent(struct rs *s)
{
    gr_err rc = GR_OK;

    for (size_t i = 0; i < s->nind && rc == GR_OK; i++)
        rc = emit(s, s->ind[i].p, s->ind[i].len);
    return rc;
}

/* A template text node: strip moved-block indentation, indent lines, track bol. */
static gr_err text(struct rs *s, const struct gr_tmpl__node *nd)
{
    const char *p = nd->name.p;
    size_t n = nd->name.len;
    bool src_bol = (nd->flags & GR_TN_BOL) != 0;
    gr_err rc;

    while (n) {
        const char *nl;
        size_t seg;

        if (src_bol && s->strip.len) {
            size_t k = 0;
            while (k < n && k < s->strip.len && p[k] == s->strip.p[k])
                k++;
            p += k;
            n -= k;
            if (n == 0)
                break;
        }
        nl = memchr(p, '\n', n);
        seg = nl ? (size_t)(nl - p) + 1 : n;
        if (s->bol && s->nind && !(nl && (seg == 1 || (seg == 2 && p[0] == '\r')))) {
            rc = emit_indent(s);
            if (rc != GR_OK)
                return rc;
        }
        rc = emit(s, p, seg);
        if (rc != GR_OK)
            return rc;
        s->bol = nl != NULL;
        p += seg;
        n -= seg;
        src_bol = true;
    }
    return GR_OK;
}

static gr_err escaped(struct rs *s, const char *p, size_t n)
{
    size_t run = 0;
    gr_err rc = GR_OK;

    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        const char *e;

        switch (p[i]) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '>':
            e = "&gt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\'':
            e = "&#39;";
            break;
        default:
            continue;
        }
        rc = emit(s, p + run, i - run);
        if (rc == GR_OK)
            rc = emit(s, e, strlen(e));
        run = i + 1;
    }
    return rc == GR_OK ? emit(s, p + run, n - run) : rc;
}

static gr_err value(struct rs *s, json_t *v, bool raw)
{
    const char *p;
    size_t n;
    gr_err rc;

    if (json_is_string(v)) {
        p = json_string_value(v);
        n = json_string_length(v);
    } else {
        gr_buf_reset(&s->tmp);
        rc = gr_tmpl__text(&s->tmp, v);
        if (rc != GR_OK)
            return rc == GR_ETOOBIG ? too_big(s, "a value is larger than the output limit") : rc;
        p = gr_buf_str(&s->tmp);
        n = s->tmp.len;
    }
    if (n == 0)
        return GR_OK;
    if (s->bol && s->nind) {
        rc = emit_indent(s);
        if (rc != GR_OK)
            return rc;
    }
    s->bol = false;
    return (raw || !s->html) ? emit(s, p, n) : escaped(s, p, n);
}

/* Child k[0..n) of v: an object member, or an array element for a decimal index. */
static json_t *child(json_t *v, const char *k, size_t n)
{
    size_t idx = 0;

    if (json_is_object(v))
        return json_object_getn(v, k, n);
    if (!json_is_array(v) || n == 0 || n > 9)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (k[i] < '0' || k[i] > '9')
            return NULL;
        idx = idx * 10 + (size_t)(k[i] - '0');
    }
    return json_array_get(v, idx);
}

/* Spec name resolution: "." is the top of the stack; otherwise the first part is looked up from
 * the top of the stack down, and the other parts only inside what it found. */
static json_t *lookup(const struct rs *s, struct gr_slice name)
{
    const char *p = name.p, *dot;
    size_t n = name.len, k;
    json_t *v = NULL;

    if (n == 1 && p[0] == '.')
        return s->nctx ? s->ctx[s->nctx - 1] : NULL;
    dot = memchr(p, '.', n);
    k = dot ? (size_t)(dot - p) : n;
    for (size_t i = s->nctx; i-- > 0;) {
        if (json_is_object(s->ctx[i]) && (v = json_object_getn(s->ctx[i], p, k)) != NULL)
            break;
    }
    while (v && dot) {
        p = dot + 1;
        n -= k + 1;
        dot = memchr(p, '.', n);
        k = dot ? (size_t)(dot - p) : n;
        v = child(v, p, k);
    }
    return v;
}

static json_t *num_arg(const struct gr_tmpl__arg *a)
{
    char *end;

    if (strpbrk(a->str, ".eE") == NULL) {
        long long x;
        errno = 0;
        x = strtoll(a->str, &end, 10);
        if (errno == 0 && *end == '\0')
            return json_integer(x);
    }
    return json_real(strtod(a->str, &end)); /* NULL when not finite */
}

/* Applies nd's filter chain; *out is a new reference (NULL = missing). */
static gr_err chain(struct rs *s, const struct gr_tmpl *t, const struct gr_tmpl__expr *e,
                    json_t **out)
{
    json_t *cur = lookup(s, e->base);
    gr_err rc = GR_OK;

    json_incref(cur);
    for (size_t f = 0; f < e->nfilters && rc == GR_OK; f++) {
        const struct gr_tmpl__filter *fl = &t->filters[e->first_filter + f];
        json_t *argv[MAX_ARGS], *own[MAX_ARGS], *nv = NULL;
        size_t argc = fl->nargs < MAX_ARGS ? fl->nargs : MAX_ARGS;

        for (size_t i = 0; i < argc; i++) {
            const struct gr_tmpl__arg *a = &t->args[fl->first_arg + i];
            own[i] = NULL;
            if (a->kind == GR_TA_STR)
                own[i] = json_stringn_nocheck(a->str, a->len);
            else if (a->kind == GR_TA_NUM)
                own[i] = num_arg(a);
            argv[i] = a->kind == GR_TA_NAME ? lookup(s, (struct gr_slice){a->str, a->len}) : own[i];
        }
        rc = fl->h->fn(&s->hctx, cur, argv, argc, &nv);
        for (size_t i = 0; i < argc; i++)
            json_decref(own[i]);
        json_decref(cur);
        cur = nv;
    }
    if (rc != GR_OK) {
        json_decref(cur);
        cur = NULL;
        if (rc == GR_ETOOBIG)
            too_big(s, "a helper's result is larger than the output limit");
    }
    *out = cur;
    return rc;
}

/* The value a VAR/SECTION/INVERTED node names; *owned is what to json_decref afterwards. */
static gr_err eval(struct rs *s, const struct gr_tmpl *t, const struct gr_tmpl__node *nd,
                   json_t **val, json_t **owned)
{
    gr_err rc = GR_OK;

    *owned = NULL;
    if (nd->expr >= 0 && s->helpers) {
        rc = chain(s, t, &t->exprs[nd->expr], owned);
        *val = *owned;
    } else {
        *val = lookup(s, nd->name);
    }
    return rc;
}

static gr_err run(struct rs *s, const struct gr_tmpl *t, size_t b, size_t e, const struct ov *ov);

/* Counts one unit of work: a node visited or a section entered. */
static gr_err step(struct rs *s)
{
    char why[80];

    if (++s->steps <= s->max_steps)
        return GR_OK;
    snprintf(why, sizeof(why), "template does too much work (over %zu steps)", s->max_steps);
    return too_big(s, why);
}

/* Renders nodes [b, e) one level deeper, optionally with v pushed on the context stack. */
static gr_err nest(struct rs *s, const struct gr_tmpl *t, size_t b, size_t e, const struct ov *ov,
                   json_t *push)
{
    gr_err rc = step(s);
    char why[80];

    if (rc != GR_OK)
        return rc;
    if (s->depth >= s->max_depth) {
        snprintf(why, sizeof(why), "nesting deeper than %d levels (recursive partial?)",
                 s->max_depth);
        return too_big(s, why);
    }
    s->depth++;
    if (push)
        s->ctx[s->nctx++] = push;
    rc = run(s, t, b, e, ov);
    if (push)
        s->nctx--;
    s->depth--;
    return rc;
}

static gr_err section(struct rs *s, const struct gr_tmpl *t, size_t i, const struct ov *ov)
{
    const struct gr_tmpl__node *nd = &t->nodes[i];
    json_t *v, *owned;
    gr_err rc = eval(s, t, nd, &v, &owned);

    if (rc != GR_OK)
        return rc;
    if (nd->kind == GR_TN_INVERTED) {
        if (gr_tmpl__falsy(v))
            rc = nest(s, t, i + 1, nd->end, ov, NULL);
    } else if (json_is_array(v)) {
        for (size_t k = 0; k < json_array_size(v) && rc == GR_OK; k++)
            rc = nest(s, t, i + 1, nd->end, ov, json_array_get(v, k));
    } else if (!gr_tmpl__falsy(v)) {
        rc = nest(s, t, i + 1, nd->end, ov, v);
    }
    json_decref(owned);
    return rc;
}

/* The partial called name, compiled once per render; *out NULL when there is none. */
static gr_err partial(struct rs *s, struct gr_slice name, const struct gr_tmpl **out)
{
    struct pentry *pe;
    const char *src;
    char err[120];
    size_t len = 0;
    gr_err rc;

    *out = NULL;
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].len == name.len && memcmp(s->cache[i].name, name.p, name.len) == 0) {
            *out = s->cache[i].t;
            return GR_OK;
        }
    }
    if (s->o->partial == NULL || memchr(name.p, '\0', name.len) != NULL)
        return GR_OK;
    if (s->ncache == MAX_PARTIALS)
        return too_big(s, "more than 256 different partials");
    pe = &s->cache[s->ncache];
    pe->name = gr_xstrndup(name.p, name.len);
    pe->len = name.len;
    pe->t = NULL;
    s->ncache++;
    src = s->o->partial(s->o->partial_ud, pe->name, &len);
    if (src == NULL)
        return GR_OK;
    rc = gr_tmpl_compile(src, len, &pe->t, err, sizeof(err));
    if (rc != GR_OK) {
        snprintf(s->msg, sizeof(s->msg), "partial '%.40s': %s", pe->name, err);
        return rc;
    }
    if (s->helpers && pe->t->bad_expr >= 0) {
        const struct gr_tmpl__expr *ex = &pe->t->exprs[pe->t->bad_expr];
        snprintf(s->msg, sizeof(s->msg), "partial '%.40s': line %u: %s", pe->name, ex->line,
                 ex->msg);
        return GR_EINVAL;
    }
    *out = pe->t;
    return GR_OK;
}

/* indent with the part the current strip removes taken off (both are source whitespace). */
static struct gr_slice rebase(const struct rs *s, struct gr_slice indent)
{
    size_t k = 0;

    while (k < indent.len && k < s->strip.len && indent.p[k] == s->strip.p[k])
        k++;
    if (k) {
        indent.p += k;
        indent.len -= k;
    }
    return indent;
}

/* Renders nodes [b, e) of t (or of another template) with extra indentation and a new strip. */
static gr_err expand(struct rs *s, const struct gr_tmpl *t, size_t b, size_t e, const struct ov *ov,
                     struct gr_slice indent, bool standalone, struct gr_slice strip)
{
    size_t nind = s->nind;
    struct gr_slice old = s->strip;
    gr_err rc;

    indent = rebase(s, indent);
    if (indent.len)
        s->ind[s->nind++] = indent;
    if (standalone)
        s->bol = true;
    s->strip = strip;
    rc = nest(s, t, b, e, ov, NULL);
    s->strip = old;
    s->nind = nind;
    return rc;
}

static gr_err include(struct rs *s, const struct gr_tmpl *t, size_t i, const struct ov *ov)
{
    const struct gr_tmpl__node *nd = &t->nodes[i];
    const struct gr_tmpl *pt;
    struct gr_slice name = nd->name, none = {NULL, 0};
    struct ov here = {t, i, ov};
    gr_err rc;

    if (nd->flags & GR_TN_DYNAMIC) {
        json_t *v = lookup(s, name);
        if (!json_is_string(v))
            return GR_OK;
        name.p = json_string_value(v);
        name.len = json_string_length(v);
    }
    rc = partial(s, name, &pt);
    if (rc != GR_OK || pt == NULL)
        return rc;
    return expand(s, pt, 0, pt->nnodes, nd->kind == GR_TN_PARENT ? &here : ov,
                  (nd->flags & GR_TN_STANDALONE) ? nd->indent : none,
                  (nd->flags & GR_TN_STANDALONE) != 0, none);
}

static bool same(struct gr_slice a, struct gr_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* {{$name}}: the outermost override wins; otherwise the block's own content. */
static gr_err block(struct rs *s, const struct gr_tmpl *t, size_t i, const struct ov *ov)
{
    const struct gr_tmpl__node *nd = &t->nodes[i];
    const struct gr_tmpl *ft = NULL;
    size_t fj = 0;

    for (const struct ov *o = ov; o; o = o->prev) {
        const struct gr_tmpl__node *pn = &o->t->nodes[o->node];
        for (size_t j = o->node + 1; j < pn->end; j = o->t->nodes[j].end) {
            if (o->t->nodes[j].kind == GR_TN_BLOCK && same(o->t->nodes[j].name, nd->name)) {
                ft = o->t;
                fj = j;
            }
        }
    }
    if (ft == NULL)
        return nest(s, t, i + 1, nd->end, ov, NULL);
    return expand(s, ft, fj + 1, ft->nodes[fj].end, ov, nd->indent,
                  (nd->flags & GR_TN_STANDALONE) != 0, ft->nodes[fj].indent);
}

static gr_err run(struct rs *s, const struct gr_tmpl *t, size_t b, size_t e, const struct ov *ov)
{
    gr_err rc = GR_OK;

    for (size_t i = b; i < e && rc == GR_OK; i = t->nodes[i].end) {
        const struct gr_tmpl__node *nd = &t->nodes[i];
        json_t *v, *owned;

        rc = step(s);
        if (rc != GR_OK)
            return rc;
        switch (nd->kind) {
        case GR_TN_TEXT:
            rc = text(s, nd);
            break;
        case GR_TN_VAR:
            rc = eval(s, t, nd, &v, &owned);
            if (rc == GR_OK)
                rc = value(s, v, (nd->flags & GR_TN_RAW) != 0);
            json_decref(owned);
            break;
        case GR_TN_SECTION:
        case GR_TN_INVERTED:
            rc = section(s, t, i, ov);
            break;
        case GR_TN_PARTIAL:
        case GR_TN_PARENT:
            rc = include(s, t, i, ov);
            break;
        case GR_TN_BLOCK:
            rc = block(s, t, i, ov);
            break;
        default:
            break;
        }
    }
    return rc;
}

static gr_err render(const struct gr_tmpl *t, json_t *data, const struct gr_tmpl_opts *opts,
                     struct gr_buf *out, char *errbuf, size_t errlen)
{
    static const struct gr_tmpl_opts defaults;
    struct rs s;
    size_t base = out ? out->len : 0;
    gr_err rc;

    memset(&s, 0, sizeof(s));
    gr_buf_init(&s.tmp, 0);
    if (t == NULL || out == NULL) {
        rc = GR_EINVAL;
        goto out;
    }
    s.o = opts ? opts : &defaults;
    s.html = s.o->mode != GR_TMPL_MARKDOWN;
    s.helpers = s.o->helpers;
    s.out = out;
    s.max_output = s.o->max_output ? s.o->max_output : DEFAULT_OUTPUT;
    s.limit = s.max_output > SIZE_MAX - base ? SIZE_MAX : base + s.max_output;
    s.max_steps = s.max_output > (SIZE_MAX - 1000000) / 8 ? SIZE_MAX : 1000000 + 8 * s.max_output;
    s.max_depth = s.o->max_depth > 0 ? s.o->max_depth : DEFAULT_DEPTH;
    if (s.max_depth > MAX_DEPTH)
        s.max_depth = MAX_DEPTH;
    s.hctx.limit = s.max_output;
    gr_buf_init(&s.tmp, s.max_output);
    if (s.helpers && t->bad_expr >= 0) {
        const struct gr_tmpl__expr *ex = &t->exprs[t->bad_expr];
        snprintf(s.msg, sizeof(s.msg), "line %u: %s", ex->line, ex->msg);
        rc = GR_EINVAL;
        goto out;
    }
    s.ctx = calloc((size_t)s.max_depth + 2, sizeof(*s.ctx));
    s.ind = calloc((size_t)s.max_depth + 2, sizeof(*s.ind));
    s.cache = calloc(MAX_PARTIALS, sizeof(*s.cache));
    if (s.ctx == NULL || s.ind == NULL || s.cache == NULL) {
        rc = GR_ENOMEM;
        goto out;
    }
    s.ctx[s.nctx++] = data;
    s.bol = true;
    rc = run(&s, t, 0, t->nnodes, NULL);
out:
    if (rc != GR_OK && out) {
        out->len = base;
        if (out->p)
            out->p[base] = '\0';
    }
    if (rc != GR_OK && errbuf && errlen)
        snprintf(errbuf, errlen, "%s", s.msg[0] ? s.msg : gr_err_str(rc));
    for (size_t i = 0; i < s.ncache; i++) {
        free(s.cache[i].name);
        gr_tmpl_free(s.cache[i].t);
    }
    free(s.cache);
    free(s.ind);
    free(s.ctx);
    gr_buf_cleanup(&s.tmp);
    return rc;
}

gr_err gr_tmpl_render(const struct gr_tmpl *t, json_t *data, const struct gr_tmpl_opts *opts,
                      struct gr_buf *out)
{
    return render(t, data, opts, out, NULL, 0);
}

gr_err gr_tmpl_render_string(const char *src, size_t len, json_t *data,
                             const struct gr_tmpl_opts *opts, struct gr_buf *out, char *errbuf,
                             size_t errlen)
{
    struct gr_tmpl *t = NULL;
    gr_err rc;

    rc = gr_tmpl_compile(src, len, &t, errbuf, errlen);
    if (rc != GR_OK)
        goto out;
    rc = render(t, data, opts, out, errbuf, errlen);
out:
    gr_tmpl_free(t);
    return rc;
}
