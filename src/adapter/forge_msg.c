/* SPDX-License-Identifier: MIT */
/*
 * forge_msg.c - the readers and writers the forge renderers share (see forge_msg.h): payload
 * lookups, Markdown writers that escape and clip everything from the payload, and URLs built
 * from the repository URL. The safety rules are described in forge_render.c.
 */
#include "adapter/forge_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "adapter/render.h"
#include "core/utf8.h"

/* ---- small readers --------------------------------------------------------------------- */

bool gr_forge__is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

bool gr_forge__has(const char *s)
{
    return s && s[0];
}

bool gr_forge__starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

json_t *gr_forge__obj(json_t *root, const char *path)
{
    json_t *v = gr_json_path(root, path);
    return json_is_object(v) ? v : NULL;
}

/* The first non-empty string among the paths (NULL-terminated), or NULL. */
const char *gr_forge__any_str(json_t *root, ...)
{
    const char *path, *v = NULL;
    va_list ap;

    va_start(ap, root);
    while (v == NULL && (path = va_arg(ap, const char *)) != NULL) {
        v = gr_json_str(root, path);
        if (v && !v[0])
            v = NULL;
    }
    va_end(ap);
    return v;
}

bool gr_forge__flag(json_t *root, const char *path)
{
    bool b = false;
    return gr_json_bool(root, path, &b) && b;
}

bool gr_forge__is_url(const char *u)
{
    return u && (gr_forge__starts(u, "http://") || gr_forge__starts(u, "https://")) &&
           strlen(u) <= URL_MAX;
}

/* An all-zero object name: the "before" of a creation or the "after" of a deletion. */
bool gr_forge__zero_sha(const char *s)
{
    if (!gr_forge__has(s))
        return false;
    for (; *s; s++)
        if (*s != '0')
            return false;
    return true;
}

const char *gr_forge__short_ref(const char *ref)
{
    if (gr_forge__starts(ref, "refs/heads/"))
        return ref + 11;
    if (gr_forge__starts(ref, "refs/tags/"))
        return ref + 10;
    return ref;
}

const char *gr_forge__who(struct msg *m)
{
    const char *s = gr_forge__any_str(m->p, "sender.login", "sender.username", "pusher.login",
                                      "pusher.username", "pusher.name", (char *)NULL);
    return s ? s : m->f->name;
}

const char *gr_forge__repo_name(struct msg *m)
{
    return gr_forge__any_str(m->p, "repository.full_name", "repository.name", (char *)NULL);
}

const char *gr_forge__repo_url(struct msg *m)
{
    const char *u = gr_json_str(m->p, "repository.html_url");
    return gr_forge__is_url(u) ? u : NULL;
}

/* ---- sticky writers -------------------------------------------------------------------- */

void gr_forge__put(struct msg *m, struct gr_buf *b, const char *s)
{
    if (m->rc == GR_OK)
        m->rc = gr_buf_appends(b, s);
}

void gr_forge__putf(struct msg *m, struct gr_buf *b, const char *fmt, ...)
{
    va_list ap;

    if (m->rc != GR_OK)
        return;
    va_start(ap, fmt);
    m->rc = gr_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Escaped first line of s, clipped. */
void gr_forge__esc(struct msg *m, struct gr_buf *b, const char *s, size_t runes)
{
    if (m->rc == GR_OK)
        m->rc = gr_md_line(b, s ? s : "", runes);
}

void gr_forge__bold(struct msg *m, struct gr_buf *b, const char *s)
{
    gr_forge__put(m, b, "**");
    gr_forge__esc(m, b, gr_forge__has(s) ? s : "someone", NAME_RUNES);
    gr_forge__put(m, b, "**");
}

/* Appends the first line of s cut to runes code points (+ "…"), unescaped: for plain text
 * (attachment titles) or as input to gr_md_link/gr_md_code. */
void gr_forge__clip(struct msg *m, struct gr_buf *b, const char *s, size_t runes)
{
    size_t len, cut;

    if (m->rc != GR_OK || s == NULL)
        return;
    len = strcspn(s, "\r\n");
    cut = gr_utf8_offset(s, len, runes);
    m->rc = gr_buf_append(b, s, cut);
    if (cut < len)
        gr_forge__put(m, b, "…");
}

/* [text](url) with text clipped, or plain escaped text when url is not a usable link. */
void gr_forge__link(struct msg *m, struct gr_buf *b, const char *text, const char *url,
                    size_t runes)
{
    struct gr_buf t;

    gr_buf_init(&t, OUT_MAX);
    gr_forge__clip(m, &t, text ? text : "", runes);
    if (m->rc == GR_OK)
        m->rc = gr_md_link(b, gr_buf_str(&t), gr_forge__is_url(url) ? url : NULL);
    gr_buf_cleanup(&t);
}

/* [`code`](url), or just `code`. The URL is escaped like gr_md_link does. */
void gr_forge__code(struct msg *m, struct gr_buf *b, const char *s, const char *url)
{
    struct gr_buf t;
    bool linked = gr_forge__is_url(url);

    gr_buf_init(&t, OUT_MAX);
    gr_forge__clip(m, &t, s ? s : "", REF_RUNES);
    if (linked)
        gr_forge__put(m, b, "[");
    if (m->rc == GR_OK)
        m->rc = gr_md_code(b, gr_buf_str(&t));
    gr_buf_cleanup(&t);
    if (!linked)
        return;
    gr_forge__put(m, b, "](");
    for (const char *p = url; *p && m->rc == GR_OK; p++) {
        if (*p == ')' || *p == '(' || *p == ' ' || *p == '<' || *p == '>')
            m->rc = gr_buf_printf(b, "%%%02X", (unsigned char)*p);
        else
            m->rc = gr_buf_appendc(b, *p);
    }
    gr_forge__put(m, b, ")");
}

/*
 * A quoted excerpt of a multi-line body: at most EXCERPT_LINES lines and EXCERPT_RUNES code
 * points, blank runs collapsed, "…" when something was left out. Each line is escaped.
 */
void gr_forge__excerpt(struct msg *m, struct gr_buf *b, const char *s)
{
    size_t lines = 0, runes = 0;
    bool blank = false, cut = false;

    if (!gr_forge__has(s))
        return;
    if (b->len)
        gr_forge__put(m, b, "\n");
    while (*s && m->rc == GR_OK) {
        size_t len = strcspn(s, "\n"), n;
        const char *next = s[len] ? s + len + 1 : s + len;
        bool empty = strspn(s, " \t\r") >= len;

        if (empty) {
            blank = lines > 0;
            s = next;
            continue;
        }
        if (lines == EXCERPT_LINES || runes >= EXCERPT_RUNES) {
            cut = true;
            break;
        }
        if (blank)
            gr_forge__put(m, b, ">\n");
        blank = false;
        n = gr_utf8_count(s, strcspn(s, "\r\n"));
        gr_forge__put(m, b, "> ");
        gr_forge__esc(m, b, s, EXCERPT_RUNES - runes);
        gr_forge__put(m, b, "\n");
        if (n > EXCERPT_RUNES - runes)
            break; /* gr_md_line has marked the cut with "…" */
        runes += n;
        lines++;
        s = next;
    }
    if (cut)
        gr_forge__put(m, b, "> …\n");
    if (m->rc == GR_OK && b->len && b->p[b->len - 1] == '\n')
        b->p[--b->len] = '\0';
}

void gr_forge__field(struct msg *m, const char *title, struct gr_buf *value)
{
    if (m->rc == GR_OK && value->len)
        gr_att_field(m->att, title, gr_buf_str(value), true);
}

/* The attachment title is plain text (no Markdown), but it still must not ping anyone. */
void gr_forge__set_title(struct msg *m, const char *text, const char *url)
{
    struct gr_buf t;

    gr_buf_reset(&m->title);
    gr_buf_reset(&m->tlink);
    gr_buf_init(&t, OUT_MAX);
    gr_forge__clip(m, &t, text, TITLE_RUNES);
    for (const char *p = gr_buf_str(&t); *p && m->rc == GR_OK; p++) {
        m->rc = gr_buf_appendc(&m->title, *p);
        if (*p == '@' && (gr_forge__starts(p + 1, "channel") || gr_forge__starts(p + 1, "here") ||
                          gr_forge__starts(p + 1, "all")))
            gr_forge__put(m, &m->title, "\xe2\x80\x8b"); /* U+200B, as gr_md_text does */
    }
    gr_buf_cleanup(&t);
    if (gr_forge__is_url(url))
        gr_forge__put(m, &m->tlink, url);
}

/* ---- URLs ------------------------------------------------------------------------------ */

/* base + mid + seg (seg percent-encoded except unreserved characters and '/') into u, which
 * is reset first. Returns the URL, or NULL when base is not a usable URL. */
const char *gr_forge__mkurl(struct msg *m, struct gr_buf *u, const char *base, const char *mid,
                            const char *seg)
{
    static const char keep[] = "-._~/";

    if (!gr_forge__is_url(base) || seg == NULL)
        return NULL;
    gr_buf_reset(u);
    gr_forge__put(m, u, base);
    if (u->len && u->p[u->len - 1] == '/' && mid[0] == '/')
        mid++;
    gr_forge__put(m, u, mid);
    for (const unsigned char *p = (const unsigned char *)seg; *p && m->rc == GR_OK; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr(keep, *p);
        m->rc = plain ? gr_buf_appendc(u, (char)*p) : gr_buf_printf(u, "%%%02X", *p);
    }
    return m->rc == GR_OK && u->len <= URL_MAX ? gr_buf_str(u) : NULL;
}

const char *gr_forge__tree_url(struct msg *m, struct gr_buf *u, const char *name, bool tag)
{
    if (m->f->dialect == GR_FORGE_GITHUB)
        return gr_forge__mkurl(m, u, gr_forge__repo_url(m), "/tree/", name);
    return gr_forge__mkurl(m, u, gr_forge__repo_url(m), tag ? "/src/tag/" : "/src/branch/", name);
}

const char *gr_forge__commit_url(struct msg *m, struct gr_buf *u, json_t *c, const char *sha)
{
    const char *url = c ? gr_json_str(c, "url") : NULL;
    return gr_forge__is_url(url) ? url
                                 : gr_forge__mkurl(m, u, gr_forge__repo_url(m), "/commit/", sha);
}

void gr_forge__in_repo(struct msg *m)
{
    const char *name = gr_forge__repo_name(m);

    if (!name)
        return;
    gr_forge__put(m, &m->text, " in ");
    gr_forge__link(m, &m->text, name, gr_forge__repo_url(m), NAME_RUNES);
}

/* "abc1234" into a small buffer. A commit id is hex; anything else in a payload (the fields
 * are not signed by every sender) is cut at a character boundary so the text stays UTF-8. */
const char *gr_forge__short_sha(const char *sha, char out[8])
{
    size_t n = sha ? strlen(sha) : 0;

    n = n > 7 ? 7 : n;
    while (n > 0 && ((unsigned char)sha[n] & 0xc0) == 0x80)
        n--;
    memcpy(out, sha ? sha : "", n);
    out[n] = '\0';
    return out;
}
