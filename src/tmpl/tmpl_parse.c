/* SPDX-License-Identifier: MIT */
/*
 * tmpl_parse.c - compiles Mustache source into the flat node array of tmpl_int.h.
 *
 * Three passes over a token array, none of them recursive, so any nesting compiles:
 *   1. tokenize: text (split after every newline, so a text token never spans lines) and tags,
 *      honouring set-delimiter tags as they come;
 *   2. match every closing tag with its opening tag (errors name the line of the culprit);
 *   3. per source line, decide whether it is a "standalone" line (whitespace and tags that print
 *      nothing): such a line disappears, whitespace and newline included, as the spec demands.
 * Then the surviving tokens become nodes. Filter chains (`name | helper args`) are handed to
 * tmpl_expr.c and only recorded: whether they apply is a render option, and a chain that does
 * not parse never fails compilation, because in standard Mustache the same tag is an odd name.
 *
 * Standalone lines follow the spec, extended for ~inheritance: a line may hold any number of
 * parent tags ({{<p}} and its {{/p}}) besides at most one other non-printing tag, so that
 * "{{<parent}}{{$block}}" on one line is standalone while "{{$b}}{{/b}}" is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl_int.h"

#define MAX_DELIM 32 /* longest accepted custom delimiter, in bytes */

enum tok_kind {
    K_TEXT,
    K_VAR,
    K_RAW,
    K_SECTION,
    K_INVERTED,
    K_CLOSE,
    K_COMMENT,
    K_DELIM,
    K_PARTIAL,
    K_PARENT,
    K_BLOCK,
};

struct tok {
    uint8_t kind;
    bool dynamic;    /* PARTIAL/PARENT with a '*' name */
    bool drop;       /* TEXT on a standalone line */
    bool standalone; /* tag on a standalone line */
    uint32_t line;
    size_t pos;             /* offset of the first byte (the opening delimiter for tags) */
    size_t end;             /* offset just past the token */
    struct gr_slice raw;    /* TEXT: the bytes; tags: trimmed content after the sigil */
    struct gr_slice name;   /* the name proper (raw without a dynamic '*') */
    struct gr_slice indent; /* PARTIAL/PARENT/BLOCK, see tag-indentation */
    size_t mate;            /* opening <-> closing tag */
};

struct parser {
    const char *src;
    size_t len;
    struct tok *toks;
    size_t ntoks;
    size_t cap;
    char otag[MAX_DELIM + 1];
    size_t olen;
    char ctag[MAX_DELIM + 1];
    size_t clen;
    char *err;
    size_t errlen;
};

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

static bool slice_eq(struct gr_slice a, struct gr_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static gr_err fail(struct parser *p, uint32_t line, const char *what, struct gr_slice name)
{
    if (p->err && p->errlen) {
        if (name.p)
            snprintf(p->err, p->errlen, "line %u: %s '%.*s'", line, what,
                     (int)(name.len > 60 ? 60 : name.len), name.p);
        else
            snprintf(p->err, p->errlen, "line %u: %s", line, what);
    }
    return GR_EINVAL;
}

static gr_err push_tok(struct parser *p, const struct tok *tk)
{
    if (p->ntoks == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 64;
        struct tok *n = realloc(p->toks, ncap * sizeof(*n));
        if (n == NULL)
            return GR_ENOMEM;
        p->toks = n;
        p->cap = ncap;
    }
    p->toks[p->ntoks++] = *tk;
    return GR_OK;
}

static uint32_t count_nl(const char *p, size_t n)
{
    uint32_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

/* Finds needle[0..nlen) in src[from..len); returns its offset or (size_t)-1. */
static size_t find(const struct parser *p, size_t from, const char *needle, size_t nlen)
{
    const char *q;

    if (from > p->len)
        return (size_t)-1;
    q = memmem(p->src + from, p->len - from, needle, nlen);
    return q ? (size_t)(q - p->src) : (size_t)-1;
}

/* {{=<% %>=}}: two delimiters separated by whitespace, neither containing whitespace or '='. */
static gr_err set_delims(struct parser *p, const struct tok *tk)
{
    struct gr_slice c = tk->raw;
    size_t i = 0, a, b;

    while (i < c.len && !is_ws(c.p[i]))
        i++;
    a = i;
    while (i < c.len && is_ws(c.p[i]))
        i++;
    b = i;
    if (a == 0 || b == a || b == c.len || a > MAX_DELIM || c.len - b > MAX_DELIM ||
        memchr(c.p, '=', c.len) != NULL)
        return fail(p, tk->line, "invalid set-delimiter tag", (struct gr_slice){NULL, 0});
    for (i = b; i < c.len; i++)
        if (is_ws(c.p[i]))
            return fail(p, tk->line, "invalid set-delimiter tag", (struct gr_slice){NULL, 0});
    memcpy(p->otag, c.p, a);
    p->olen = a;
    memcpy(p->ctag, c.p + b, c.len - b);
    p->clen = c.len - b;
    return GR_OK;
}

/* Scans the tag starting at *pos (on the opening delimiter) and appends its token. */
static gr_err scan_tag(struct parser *p, size_t *pos, uint32_t *line)
{
    struct tok tk;
    char needle[MAX_DELIM + 2];
    size_t c = *pos + p->olen, cs, ce, end;
    gr_err rc;

    memset(&tk, 0, sizeof(tk));
    tk.line = *line;
    tk.pos = *pos;
    if (c < p->len && (p->src[c] == '{' || p->src[c] == '=')) {
        /* {{{name}}} and {{=a b=}} end with their sigil's mate right before the delimiter. */
        needle[0] = p->src[c] == '{' ? '}' : '=';
        memcpy(needle + 1, p->ctag, p->clen);
        tk.kind = p->src[c] == '{' ? K_RAW : K_DELIM;
        cs = c + 1;
        ce = find(p, cs, needle, p->clen + 1);
        end = ce + 1 + p->clen;
    } else {
        tk.kind = K_VAR;
        cs = c;
        ce = find(p, cs, p->ctag, p->clen);
        end = ce + p->clen;
        if (ce != (size_t)-1 && cs < ce) {
            switch (p->src[cs]) {
            case '!':
                tk.kind = K_COMMENT;
                break;
            case '#':
                tk.kind = K_SECTION;
                break;
            case '^':
                tk.kind = K_INVERTED;
                break;
            case '/':
                tk.kind = K_CLOSE;
                break;
            case '>':
                tk.kind = K_PARTIAL;
                break;
            case '<':
                tk.kind = K_PARENT;
                break;
            case '$':
                tk.kind = K_BLOCK;
                break;
            case '&':
                tk.kind = K_RAW;
                break;
            default:
                break;
            }
            if (tk.kind != K_VAR)
                cs++;
        }
    }
    if (ce == (size_t)-1)
        return fail(p, *line, "unclosed tag (no closing delimiter)", (struct gr_slice){NULL, 0});
    tk.end = end;
    tk.raw = trim(p->src + cs, ce - cs);
    tk.name = tk.raw;
    *line += count_nl(p->src + *pos, end - *pos);
    *pos = end;
    if (tk.kind == K_COMMENT)
        return push_tok(p, &tk);
    if (tk.kind == K_DELIM) {
        rc = set_delims(p, &tk);
        return rc != GR_OK ? rc : push_tok(p, &tk);
    }
    if ((tk.kind == K_PARTIAL || tk.kind == K_PARENT) && tk.raw.len && tk.raw.p[0] == '*') {
        tk.dynamic = true;
        tk.name = trim(tk.raw.p + 1, tk.raw.len - 1);
    }
    if (tk.name.len == 0)
        return fail(p, tk.line, "empty tag", (struct gr_slice){NULL, 0});
    return push_tok(p, &tk);
}

static gr_err tokenize(struct parser *p)
{
    size_t pos = 0;
    uint32_t line = 1;
    gr_err rc;

    while (pos < p->len) {
        size_t t = find(p, pos, p->otag, p->olen);
        size_t stop = t == (size_t)-1 ? p->len : t;

        while (pos < stop) {
            const char *nl = memchr(p->src + pos, '\n', stop - pos);
            size_t e = nl ? (size_t)(nl - p->src) + 1 : stop;
            struct tok tk;

            memset(&tk, 0, sizeof(tk));
            tk.kind = K_TEXT;
            tk.line = line;
            tk.pos = pos;
            tk.end = e;
            tk.raw.p = p->src + pos;
            tk.raw.len = e - pos;
            tk.name = tk.raw;
            rc = push_tok(p, &tk);
            if (rc != GR_OK)
                return rc;
            line += nl != NULL;
            pos = e;
        }
        if (t == (size_t)-1)
            break;
        rc = scan_tag(p, &pos, &line);
        if (rc != GR_OK)
            return rc;
    }
    return GR_OK;
}

static bool is_open(uint8_t kind)
{
    return kind == K_SECTION || kind == K_INVERTED || kind == K_PARENT || kind == K_BLOCK;
}

/* Does closing tag c close opening tag o? Besides the exact content, a section with a filter
 * chain may be closed by its bare name ({{#items | first 3}}...{{/items}}), and a dynamic
 * parent by its name with any spacing after the '*'. */
static bool closes(const struct tok *o, const struct tok *c)
{
    const char *bar;

    if (slice_eq(o->raw, c->raw))
        return true;
    if ((o->kind == K_SECTION || o->kind == K_INVERTED) &&
        (bar = memchr(o->raw.p, '|', o->raw.len)) != NULL &&
        slice_eq(trim(o->raw.p, (size_t)(bar - o->raw.p)), c->raw))
        return true;
    return o->dynamic && c->raw.len && c->raw.p[0] == '*' &&
           slice_eq(o->name, trim(c->raw.p + 1, c->raw.len - 1));
}

static const char *open_word(uint8_t kind)
{
    switch (kind) {
    case K_PARENT:
        return "unclosed parent";
    case K_BLOCK:
        return "unclosed block";
    case K_INVERTED:
        return "unclosed inverted section";
    default:
        return "unclosed section";
    }
}

static gr_err match(struct parser *p, size_t *stack)
{
    size_t n = 0;

    for (size_t i = 0; i < p->ntoks; i++) {
        struct tok *tk = &p->toks[i];

        if (is_open(tk->kind)) {
            stack[n++] = i;
        } else if (tk->kind == K_CLOSE) {
            struct tok *o;

            if (n == 0)
                return fail(p, tk->line, "unexpected closing tag", tk->raw);
            o = &p->toks[stack[--n]];
            if (!closes(o, tk)) {
                if (p->err && p->errlen)
                    snprintf(p->err, p->errlen,
                             "line %u: closing tag '%.*s' does not match '%.*s' (line %u)",
                             tk->line, (int)(tk->raw.len > 60 ? 60 : tk->raw.len), tk->raw.p,
                             (int)(o->raw.len > 60 ? 60 : o->raw.len), o->raw.p, o->line);
                return GR_EINVAL;
            }
            o->mate = i;
            tk->mate = stack[n];
        }
    }
    if (n > 0) {
        struct tok *o = &p->toks[stack[n - 1]];
        return fail(p, o->line, open_word(o->kind), o->raw);
    }
    return GR_OK;
}

/* Whitespace only, optionally ending in "\n" or "\r\n". */
static bool blank(struct gr_slice s)
{
    size_t n = s.len;

    if (n && s.p[n - 1] == '\n') {
        n--;
        if (n && s.p[n - 1] == '\r')
            n--;
    }
    for (size_t i = 0; i < n; i++)
        if (s.p[i] != ' ' && s.p[i] != '\t')
            return false;
    return true;
}

static bool ends_line(const struct tok *tk)
{
    return tk->kind == K_TEXT && tk->raw.len && tk->raw.p[tk->raw.len - 1] == '\n';
}

/* The run of spaces and tabs at src[pos...]. */
static struct gr_slice lead_ws(const struct parser *p, size_t pos)
{
    struct gr_slice s = {p->src + pos, 0};

    while (pos + s.len < p->len && (p->src[pos + s.len] == ' ' || p->src[pos + s.len] == '\t'))
        s.len++;
    return s;
}

/*
 * tag-indentation: a standalone partial or parent indents every line of what it includes by
 * the whitespace before it. A block records the indentation its content is written at, so that
 * content moved from one block to another can be re-indented (~inheritance "Block
 * reindentation"): for a standalone opening tag, the indentation of the next line (the first
 * content line, or the closing tag's line when the block is empty); for an inline tag, the
 * whitespace before it when nothing else precedes it on its line.
 */
static void standalone_line(struct parser *p, size_t first, size_t last)
{
    size_t ntags = 0, others = 0;
    struct gr_slice lead = {p->src + p->toks[first].pos, 0};

    for (size_t k = first; k <= last; k++) {
        const struct tok *tk = &p->toks[k];

        if (tk->kind == K_TEXT) {
            if (!blank(tk->raw))
                others = 2; /* not standalone */
            continue;
        }
        ntags++;
        if (tk->kind == K_VAR || tk->kind == K_RAW)
            others = 2;
        else if (!(tk->kind == K_PARENT ||
                   (tk->kind == K_CLOSE && p->toks[tk->mate].kind == K_PARENT)))
            others++;
    }
    if (p->toks[first].kind == K_TEXT && !ends_line(&p->toks[first]))
        lead = p->toks[first].raw;
    if (ntags == 0 || others > 1) {
        /* Not standalone: only inline blocks need their indentation. */
        for (size_t k = first; k <= last; k++) {
            struct tok *tk = &p->toks[k];

            if (tk->kind == K_BLOCK)
                tk->indent = (k == first || (k == first + 1 && lead.len && blank(lead)))
                                     ? lead
                                     : (struct gr_slice){tk->raw.p, 0};
            if (tk->kind != K_TEXT)
                break; /* only the first tag of the line can be preceded by whitespace alone */
        }
        return;
    }
    for (size_t k = first; k <= last; k++) {
        struct tok *tk = &p->toks[k];

        if (tk->kind == K_TEXT) {
            tk->drop = true;
            continue;
        }
        tk->standalone = true;
        tk->indent = lead;
        if (tk->kind == K_BLOCK && ends_line(&p->toks[last]))
            tk->indent = lead_ws(p, p->toks[last].end);
    }
}

static void standalone(struct parser *p)
{
    size_t i = 0;

    while (i < p->ntoks) {
        size_t j = i;

        while (j + 1 < p->ntoks && !ends_line(&p->toks[j]))
            j++;
        standalone_line(p, i, j);
        i = j + 1;
    }
}

static gr_err build(struct parser *p, struct gr_tmpl *t, size_t *stack)
{
    size_t n = 0;
    gr_err rc;

    t->nodes = calloc(p->ntoks ? p->ntoks : 1, sizeof(*t->nodes));
    if (t->nodes == NULL)
        return GR_ENOMEM;
    for (size_t i = 0; i < p->ntoks; i++) {
        const struct tok *tk = &p->toks[i];
        struct gr_tmpl__node *nd;

        if (tk->kind == K_COMMENT || tk->kind == K_DELIM || (tk->kind == K_TEXT && tk->drop))
            continue;
        if (tk->kind == K_CLOSE) {
            t->nodes[stack[--n]].end = t->nnodes;
            continue;
        }
        nd = &t->nodes[t->nnodes];
        /* Slices were taken in p->src, which is t->src: they stay valid. */
        nd->name = tk->name;
        nd->indent = tk->indent;
        nd->line = tk->line;
        nd->expr = -1;
        nd->end = t->nnodes + 1;
        switch (tk->kind) {
        case K_TEXT:
            nd->kind = GR_TN_TEXT;
            if (tk->pos == 0 || p->src[tk->pos - 1] == '\n')
                nd->flags |= GR_TN_BOL;
            break;
        case K_VAR:
            nd->kind = GR_TN_VAR;
            break;
        case K_RAW:
            nd->kind = GR_TN_VAR;
            nd->flags |= GR_TN_RAW;
            break;
        case K_SECTION:
            nd->kind = GR_TN_SECTION;
            break;
        case K_INVERTED:
            nd->kind = GR_TN_INVERTED;
            break;
        case K_PARTIAL:
            nd->kind = GR_TN_PARTIAL;
            break;
        case K_PARENT:
            nd->kind = GR_TN_PARENT;
            break;
        case K_BLOCK:
            nd->kind = GR_TN_BLOCK;
            break;
        default:
            break;
        }
        if (tk->dynamic)
            nd->flags |= GR_TN_DYNAMIC;
        if (tk->standalone)
            nd->flags |= GR_TN_STANDALONE;
        if ((nd->kind == GR_TN_VAR || nd->kind == GR_TN_SECTION || nd->kind == GR_TN_INVERTED) &&
            memchr(tk->raw.p, '|', tk->raw.len) != NULL) {
            rc = gr_tmpl__expr_parse(t, tk->raw.p, tk->raw.len, tk->line, &nd->expr);
            if (rc != GR_OK)
                return rc;
        }
        if (is_open(tk->kind))
            stack[n++] = t->nnodes;
        t->nnodes++;
    }
    return GR_OK;
}

gr_err gr_tmpl_compile(const char *src, size_t len, struct gr_tmpl **out, char *errbuf,
                       size_t errlen)
{
    struct parser p;
    struct gr_tmpl *t = NULL;
    size_t *stack = NULL;
    gr_err rc;

    memset(&p, 0, sizeof(p));
    *out = NULL;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (src == NULL && len > 0)
        return GR_EINVAL;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return GR_ENOMEM;
    t->bad_expr = -1;
    t->src = malloc(len + 1);
    if (t->src == NULL) {
        rc = GR_ENOMEM;
        goto out;
    }
    if (len)
        memcpy(t->src, src, len);
    t->src[len] = '\0';
    t->len = len;
    p.src = t->src;
    p.len = len;
    memcpy(p.otag, "{{", 2);
    p.olen = 2;
    memcpy(p.ctag, "}}", 2);
    p.clen = 2;
    p.err = errbuf;
    p.errlen = errlen;
    rc = tokenize(&p);
    if (rc != GR_OK)
        goto out;
    stack = malloc((p.ntoks ? p.ntoks : 1) * sizeof(*stack));
    if (stack == NULL) {
        rc = GR_ENOMEM;
        goto out;
    }
    rc = match(&p, stack);
    if (rc != GR_OK)
        goto out;
    standalone(&p);
    rc = build(&p, t, stack);
    if (rc != GR_OK)
        goto out;
    *out = t;
    t = NULL;
out:
    if (rc == GR_ENOMEM && errbuf && errlen)
        snprintf(errbuf, errlen, "out of memory");
    free(stack);
    free(p.toks);
    gr_tmpl_free(t);
    return rc;
}

void gr_tmpl_free(struct gr_tmpl *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nargs; i++)
        free(t->args[i].str);
    free(t->args);
    free(t->filters);
    free(t->exprs);
    free(t->nodes);
    free(t->src);
    free(t);
}
