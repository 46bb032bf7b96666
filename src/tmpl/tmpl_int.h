/* SPDX-License-Identifier: MIT */
/*
 * tmpl_int.h - what the files of src/tmpl/ share: the compiled form of a template, the helper
 * table and the value-to-text conversions.
 *
 * A compiled template is flat: one array of nodes in source order, where a section (or inverted
 * section, parent, block) is followed by its children and records in `end` the index just past
 * its last child. Nothing that walks a template therefore recurses on the template's nesting
 * depth (freeing is one loop); only rendering recurses, and it counts its depth against
 * opts.max_depth. Closing tags, comments and set-delimiter tags leave no node behind, and text
 * on standalone lines is already removed, so the renderer sees exactly what to print.
 *
 * Slices in nodes point into the template's own copy of its source (t->src), which lives as
 * long as the template. A compiled template is never modified by rendering, so one template may
 * be rendered by several threads at once.
 */
#ifndef GR_TMPL_TMPL_INT_H
#define GR_TMPL_TMPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"
#include "tmpl/tmpl.h"

enum gr_tmpl__kind {
    GR_TN_TEXT,     /* literal bytes */
    GR_TN_VAR,      /* {{x}} {{{x}}} {{&x}} */
    GR_TN_SECTION,  /* {{#x}} ... {{/x}} */
    GR_TN_INVERTED, /* {{^x}} ... {{/x}} */
    GR_TN_PARTIAL,  /* {{>x}} {{>*x}} */
    GR_TN_PARENT,   /* {{<x}} ... {{/x}} (~inheritance) */
    GR_TN_BLOCK,    /* {{$x}} ... {{/x}} (~inheritance) */
};

#define GR_TN_RAW        0x01 /* VAR: not HTML-escaped ({{{x}}}, {{&x}}) */
#define GR_TN_DYNAMIC    0x02 /* PARTIAL/PARENT: the name is looked up in the data ({{>*x}}) */
#define GR_TN_STANDALONE 0x04 /* PARTIAL/PARENT/BLOCK: the tag stood alone on its line */
#define GR_TN_BOL        0x08 /* TEXT: starts at the beginning of a source line */

struct gr_tmpl__node {
    uint8_t kind;
    uint8_t flags;
    uint32_t line; /* 1-based source line of the tag or text */
    /* TEXT: the bytes; VAR/SECTION/INVERTED: the whole trimmed tag content (the standard name);
     * PARTIAL/PARENT/BLOCK: the name, without the '*' of a dynamic name. */
    struct gr_slice name;
    /* PARTIAL/PARENT: indentation of a standalone tag, prepended to every line of the partial.
     * BLOCK: the block's indentation (tag-indentation in tmpl_parse.c). */
    struct gr_slice indent;
    size_t end;   /* containers: index just past the last child; others: own index + 1 */
    int32_t expr; /* index into t->exprs when the tag content contains '|', else -1 */
};

/* One argument of a helper in a filter chain. */
enum gr_tmpl__arg_kind { GR_TA_STR, GR_TA_NUM, GR_TA_NAME };

struct gr_tmpl__arg {
    enum gr_tmpl__arg_kind kind;
    char *str;  /* STR: unescaped literal (owned); NAME: the name (owned); NUM: the literal */
    size_t len; /* bytes in str */
};

struct gr_tmpl__helper;

struct gr_tmpl__filter {
    const struct gr_tmpl__helper *h;
    size_t first_arg; /* index into t->args */
    size_t nargs;
};

/* `name | helper arg... | helper arg...`, used only when opts.helpers is on. */
struct gr_tmpl__expr {
    struct gr_slice base; /* the name before the first '|' */
    size_t first_filter;  /* index into t->filters */
    size_t nfilters;
    uint32_t line;
    bool bad;      /* the chain does not parse; msg says why */
    char msg[120]; /* "unknown helper 'x'", ... (without the line) */
};

struct gr_tmpl {
    char *src; /* owned copy of the source; node slices point into it */
    size_t len;
    struct gr_tmpl__node *nodes;
    size_t nnodes;
    struct gr_tmpl__expr *exprs;
    size_t nexprs;
    struct gr_tmpl__filter *filters;
    size_t nfilters;
    struct gr_tmpl__arg *args;
    size_t nargs;
    int32_t bad_expr; /* index of the first expr that does not parse, or -1 */
};

/* What a helper may know about the render it runs in. */
struct gr_tmpl__hctx {
    size_t limit; /* largest string a helper may build (the output budget) */
};

/* A helper: in (borrowed, NULL = missing) and argv[0..argc) (borrowed, NULL = missing) give a new
 * reference in *out (NULL = missing). GR_ETOOBIG when a result would pass ctx->limit. */
typedef gr_err (*gr_tmpl__helper_fn)(const struct gr_tmpl__hctx *ctx, json_t *in, json_t **argv,
                                     size_t argc, json_t **out);

struct gr_tmpl__helper {
    const char *name;
    gr_tmpl__helper_fn fn;
    unsigned char min_args;
    unsigned char max_args;
};

/* tmpl_expr.c */

/* Parses the filter chain in content[0..len) (a tag's trimmed content that contains '|') into
 * t->exprs, t->filters and t->args and sets *idx_out to the new expr's index. A chain that does
 * not parse still gets an expr, marked bad, so that standard rendering (helpers off) is
 * unaffected. GR_ENOMEM is the only failure. */
gr_err gr_tmpl__expr_parse(struct gr_tmpl *t, const char *content, size_t len, uint32_t line,
                           int32_t *idx_out);

/* tmpl_helpers.c */

/* The helper called name[0..len), or NULL. */
const struct gr_tmpl__helper *gr_tmpl__helper_find(const char *name, size_t len);

/* tmpl_value.c */

/* True if v is "falsy" for sections: missing, null, false, 0, "" or []. */
bool gr_tmpl__falsy(const json_t *v);
/* Appends v as text: strings as they are, numbers as JSON writes them (integers without ".0",
 * reals shortest round-trip), true/false, null and missing as nothing, arrays and objects as
 * compact JSON. GR_ETOOBIG past b's maximum. */
gr_err gr_tmpl__text(struct gr_buf *b, json_t *v);
/* Appends v as compact JSON (missing = null), with numbers formatted as gr_tmpl__text does. */
gr_err gr_tmpl__json(struct gr_buf *b, json_t *v);
/* Appends the shortest text that reads back as d ("1.21", "3", "1e+21"). */
gr_err gr_tmpl__real(struct gr_buf *b, double d);

/* tmpl_date.c */

/* The `date` helper: see docs/templates.md. */
gr_err gr_tmpl__h_date(const struct gr_tmpl__hctx *ctx, json_t *in, json_t **argv, size_t argc,
                       json_t **out);

#endif
