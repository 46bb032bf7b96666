/* SPDX-License-Identifier: MIT */
/*
 * forge_render.c - the default chat message for Forgejo, Gitea and GitHub deliveries.
 *
 * Every message has a Markdown headline in `text` that stands on its own in any client
 * ("**alice** pushed 3 commits to [`main`](…) in [owner/repo](…)") and one attachment with
 * the colour, a title linking to the thing itself (compare view, pull request, comment,
 * release, run), the details (commit list, quoted excerpt, short fields), a plain-text
 * fallback derived from the headline, and the forge's name as footer.
 *
 * Dispatch is by payload shape first and event name second, so the coarse and fine event
 * names of Forgejo/Gitea (spec sources §1.2) and GitHub's own names all land in the same
 * renderer; anything unrecognised gets the generic message, never an error.
 *
 * Colours, one scheme for every forge event (tag-forge-colours, also in docs/sources/forge.md):
 *   green   something landed or succeeded: opened, merged, published, approved, created,
 *           a new branch or tag, CI success or recovery, a working webhook (ping)
 *   red     something went away or failed: closed without merging, deleted, CI failure
 *   orange  needs attention: reopened, changes requested, force push, a moved tag, CI waiting
 *   purple  an issue closed as done
 *   blue    ongoing work: pushes, updates, edits, comments, labels, assignments, reviews
 *   grey    informational: drafts, cancelled or skipped runs, stars, generic events
 *
 * Safety: every string from the payload goes through gr_md_text/gr_md_line (Markdown escaped,
 * @channel/@here/@all broken) or gr_md_code, is clipped to a few hundred code points, and
 * only http(s) URLs of sane length become links; so the output is bounded whatever the
 * payload holds. Errors (allocation, or a bounded buffer overflowing, which the clipping
 * rules out) are sticky in struct msg: helpers do nothing once one has happened, and
 * gr_forge_render() returns NULL.
 *
 * Size: about 1100 lines, above the ~800 of STYLE §2.12, on purpose: it is one concept (a forge
 * message) and its two dozen small static writers are shared by every renderer; moving the
 * renderers to another file would turn all of them into module-wide gr_forge__ symbols.
 */
#include "adapter/forge.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "adapter/render.h"
#include "core/buf.h"
#include "core/utf8.h"

#define OUT_MAX       ((size_t)256 << 10) /* per buffer; real output stays far below */
#define URL_MAX       2048                /* longer "URLs" are not linked */
#define NAME_RUNES    64                  /* user names, repository names */
#define TITLE_RUNES   120                 /* issue, pull request, release titles */
#define REF_RUNES     80                  /* branch and tag names */
#define LINE_RUNES    80                  /* commit message summaries */
#define MAX_COMMITS   5                   /* commits listed for a push */
#define EXCERPT_LINES 6
#define EXCERPT_RUNES 400

struct msg {
    const struct gr_forge *f;
    json_t *p; /* the payload, borrowed */
    const char *event, *action;
    struct gr_buf text;  /* headline, Markdown */
    struct gr_buf body;  /* attachment text, Markdown */
    struct gr_buf title; /* attachment title, plain text */
    struct gr_buf tlink; /* attachment title_link */
    struct gr_buf u[3];  /* scratch for URLs built from the repository URL */
    const char *color;
    json_t *att;
    gr_err rc; /* first error; every helper is a no-op afterwards */
};

/* ---- small readers --------------------------------------------------------------------- */

static bool is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

static bool has(const char *s)
{
    return s && s[0];
}

static bool starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static json_t *obj(json_t *root, const char *path)
{
    json_t *v = gr_json_path(root, path);
    return json_is_object(v) ? v : NULL;
}

/* The first non-empty string among the paths (NULL-terminated), or NULL. */
static const char *any_str(json_t *root, ...)
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

static bool flag(json_t *root, const char *path)
{
    bool b = false;
    return gr_json_bool(root, path, &b) && b;
}

static bool is_url(const char *u)
{
    return u && (starts(u, "http://") || starts(u, "https://")) && strlen(u) <= URL_MAX;
}

/* An all-zero object name: the "before" of a creation or the "after" of a deletion. */
static bool zero_sha(const char *s)
{
    if (!has(s))
        return false;
    for (; *s; s++)
        if (*s != '0')
            return false;
    return true;
}

static const char *short_ref(const char *ref)
{
    if (starts(ref, "refs/heads/"))
        return ref + 11;
    if (starts(ref, "refs/tags/"))
        return ref + 10;
    return ref;
}

static const char *who(struct msg *m)
{
    const char *s = any_str(m->p, "sender.login", "sender.username", "pusher.login",
                            "pusher.username", "pusher.name", (char *)NULL);
    return s ? s : m->f->name;
}

static const char *repo_name(struct msg *m)
{
    return any_str(m->p, "repository.full_name", "repository.name", (char *)NULL);
}

static const char *repo_url(struct msg *m)
{
    const char *u = gr_json_str(m->p, "repository.html_url");
    return is_url(u) ? u : NULL;
}

/* ---- sticky writers -------------------------------------------------------------------- */

static void put(struct msg *m, struct gr_buf *b, const char *s)
{
    if (m->rc == GR_OK)
        m->rc = gr_buf_appends(b, s);
}

static void __attribute__((format(printf, 3, 4)))
putf(struct msg *m, struct gr_buf *b, const char *fmt, ...)
{
    va_list ap;

    if (m->rc != GR_OK)
        return;
    va_start(ap, fmt);
    m->rc = gr_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Escaped first line of s, clipped. */
static void esc(struct msg *m, struct gr_buf *b, const char *s, size_t runes)
{
    if (m->rc == GR_OK)
        m->rc = gr_md_line(b, s ? s : "", runes);
}

static void bold(struct msg *m, struct gr_buf *b, const char *s)
{
    put(m, b, "**");
    esc(m, b, has(s) ? s : "someone", NAME_RUNES);
    put(m, b, "**");
}

/* Appends the first line of s cut to runes code points (+ "…"), unescaped: for plain text
 * (attachment titles) or as input to gr_md_link/gr_md_code. */
static void clip(struct msg *m, struct gr_buf *b, const char *s, size_t runes)
{
    size_t len, cut;

    if (m->rc != GR_OK || s == NULL)
        return;
    len = strcspn(s, "\r\n");
    cut = gr_utf8_offset(s, len, runes);
    m->rc = gr_buf_append(b, s, cut);
    if (cut < len)
        put(m, b, "…");
}

/* [text](url) with text clipped, or plain escaped text when url is not a usable link. */
static void link(struct msg *m, struct gr_buf *b, const char *text, const char *url, size_t runes)
{
    struct gr_buf t;

    gr_buf_init(&t, OUT_MAX);
    clip(m, &t, text ? text : "", runes);
    if (m->rc == GR_OK)
        m->rc = gr_md_link(b, gr_buf_str(&t), is_url(url) ? url : NULL);
    gr_buf_cleanup(&t);
}

/* [`code`](url), or just `code`. The URL is escaped like gr_md_link does. */
static void code(struct msg *m, struct gr_buf *b, const char *s, const char *url)
{
    struct gr_buf t;
    bool linked = is_url(url);

    gr_buf_init(&t, OUT_MAX);
    clip(m, &t, s ? s : "", REF_RUNES);
    if (linked)
        put(m, b, "[");
    if (m->rc == GR_OK)
        m->rc = gr_md_code(b, gr_buf_str(&t));
    gr_buf_cleanup(&t);
    if (!linked)
        return;
    put(m, b, "](");
    for (const char *p = url; *p && m->rc == GR_OK; p++) {
        if (*p == ')' || *p == '(' || *p == ' ' || *p == '<' || *p == '>')
            m->rc = gr_buf_printf(b, "%%%02X", (unsigned char)*p);
        else
            m->rc = gr_buf_appendc(b, *p);
    }
    put(m, b, ")");
}

/*
 * A quoted excerpt of a multi-line body: at most EXCERPT_LINES lines and EXCERPT_RUNES code
 * points, blank runs collapsed, "…" when something was left out. Each line is escaped.
 */
static void excerpt(struct msg *m, struct gr_buf *b, const char *s)
{
    size_t lines = 0, runes = 0;
    bool blank = false, cut = false;

    if (!has(s))
        return;
    if (b->len)
        put(m, b, "\n");
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
            put(m, b, ">\n");
        blank = false;
        n = gr_utf8_count(s, strcspn(s, "\r\n"));
        put(m, b, "> ");
        esc(m, b, s, EXCERPT_RUNES - runes);
        put(m, b, "\n");
        if (n > EXCERPT_RUNES - runes)
            break; /* gr_md_line has marked the cut with "…" */
        runes += n;
        lines++;
        s = next;
    }
    if (cut)
        put(m, b, "> …\n");
    if (m->rc == GR_OK && b->len && b->p[b->len - 1] == '\n')
        b->p[--b->len] = '\0';
}

static void field(struct msg *m, const char *title, struct gr_buf *value)
{
    if (m->rc == GR_OK && value->len)
        gr_att_field(m->att, title, gr_buf_str(value), true);
}

/* The attachment title is plain text (no Markdown), but it still must not ping anyone. */
static void set_title(struct msg *m, const char *text, const char *url)
{
    struct gr_buf t;

    gr_buf_reset(&m->title);
    gr_buf_reset(&m->tlink);
    gr_buf_init(&t, OUT_MAX);
    clip(m, &t, text, TITLE_RUNES);
    for (const char *p = gr_buf_str(&t); *p && m->rc == GR_OK; p++) {
        m->rc = gr_buf_appendc(&m->title, *p);
        if (*p == '@' &&
            (starts(p + 1, "channel") || starts(p + 1, "here") || starts(p + 1, "all")))
            put(m, &m->title, "\xe2\x80\x8b"); /* U+200B, as gr_md_text does */
    }
    gr_buf_cleanup(&t);
    if (is_url(url))
        put(m, &m->tlink, url);
}

/* ---- URLs ------------------------------------------------------------------------------ */

/* base + mid + seg (seg percent-encoded except unreserved characters and '/') into u, which
 * is reset first. Returns the URL, or NULL when base is not a usable URL. */
static const char *mkurl(struct msg *m, struct gr_buf *u, const char *base, const char *mid,
                         const char *seg)
{
    static const char keep[] = "-._~/";

    if (!is_url(base) || seg == NULL)
        return NULL;
    gr_buf_reset(u);
    put(m, u, base);
    if (u->len && u->p[u->len - 1] == '/' && mid[0] == '/')
        mid++;
    put(m, u, mid);
    for (const unsigned char *p = (const unsigned char *)seg; *p && m->rc == GR_OK; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr(keep, *p);
        m->rc = plain ? gr_buf_appendc(u, (char)*p) : gr_buf_printf(u, "%%%02X", *p);
    }
    return m->rc == GR_OK && u->len <= URL_MAX ? gr_buf_str(u) : NULL;
}

static const char *tree_url(struct msg *m, struct gr_buf *u, const char *name, bool tag)
{
    if (m->f->dialect == GR_FORGE_GITHUB)
        return mkurl(m, u, repo_url(m), "/tree/", name);
    return mkurl(m, u, repo_url(m), tag ? "/src/tag/" : "/src/branch/", name);
}

static const char *commit_url(struct msg *m, struct gr_buf *u, json_t *c, const char *sha)
{
    const char *url = c ? gr_json_str(c, "url") : NULL;
    return is_url(url) ? url : mkurl(m, u, repo_url(m), "/commit/", sha);
}

static void in_repo(struct msg *m)
{
    const char *name = repo_name(m);

    if (!name)
        return;
    put(m, &m->text, " in ");
    link(m, &m->text, name, repo_url(m), NAME_RUNES);
}

/* "abc1234" into a small buffer. A commit id is hex; anything else in a payload (the fields
 * are not signed by every sender) is cut at a character boundary so the text stays UTF-8. */
static const char *short_sha(const char *sha, char out[8])
{
    size_t n = sha ? strlen(sha) : 0;

    n = n > 7 ? 7 : n;
    while (n > 0 && ((unsigned char)sha[n] & 0xc0) == 0x80)
        n--;
    memcpy(out, sha ? sha : "", n);
    out[n] = '\0';
    return out;
}

/* ---- push ------------------------------------------------------------------------------ */

static void commit_line(struct msg *m, json_t *c)
{
    const char *id = gr_json_str(c, "id"), *author;
    char sha[8];

    if (m->body.len)
        put(m, &m->body, "\n");
    put(m, &m->body, "- ");
    code(m, &m->body, short_sha(id, sha), commit_url(m, &m->u[1], c, id));
    put(m, &m->body, " ");
    esc(m, &m->body, gr_json_str(c, "message"), LINE_RUNES);
    author = any_str(c, "author.name", "author.username", "committer.name", (char *)NULL);
    if (author) {
        put(m, &m->body, " — ");
        esc(m, &m->body, author, NAME_RUNES);
    }
}

static void push(struct msg *m)
{
    const char *ref = gr_json_str(m->p, "ref"), *name = short_ref(ref);
    const char *before = gr_json_str(m->p, "before"), *after = gr_json_str(m->p, "after");
    const char *compare = any_str(m->p, "compare_url", "compare", (char *)NULL);
    json_t *commits = gr_json_path(m->p, "commits");
    size_t n = json_is_array(commits) ? json_array_size(commits) : 0, total = n, shown = 0;
    bool tag = starts(ref, "refs/tags/");
    bool created = flag(m->p, "created") || zero_sha(before);
    bool deleted = flag(m->p, "deleted") || zero_sha(after);
    const char *kind = tag ? "tag" : "branch", *url = tree_url(m, &m->u[0], name, tag);
    long long tc;
    char sha[8];

    if (gr_json_int(m->p, "total_commits", &tc) && tc > 0 && (size_t)tc > n)
        total = (size_t)tc;
    bold(m, &m->text, who(m));
    if (deleted) {
        putf(m, &m->text, " deleted %s ", kind);
        code(m, &m->text, name, NULL);
        m->color = GR_COLOR_RED;
    } else if (tag) {
        put(m, &m->text, created ? " pushed tag " : " moved tag ");
        code(m, &m->text, name, url);
        m->color = created ? GR_COLOR_GREEN : GR_COLOR_ORANGE;
    } else {
        if (flag(m->p, "forced") && !created)
            put(m, &m->text, " force-pushed ");
        else
            put(m, &m->text, " pushed ");
        if (total)
            putf(m, &m->text, "%zu commit%s to ", total, total == 1 ? "" : "s");
        else if (!created)
            put(m, &m->text, "to ");
        if (created)
            put(m, &m->text, "new branch ");
        code(m, &m->text, name, url);
        m->color = created                ? GR_COLOR_GREEN
                   : flag(m->p, "forced") ? GR_COLOR_ORANGE
                                          : GR_COLOR_BLUE;
    }
    in_repo(m);

    if (deleted) {
        set_title(m, repo_name(m), repo_url(m));
        if (has(before) && !zero_sha(before)) {
            put(m, &m->body, "It pointed to ");
            code(m, &m->body, short_sha(before, sha), commit_url(m, &m->u[1], NULL, before));
            put(m, &m->body, ".");
        }
        return;
    }
    /* Gitea's compare URL for a new branch is "compare/000…000...<after>": useless. */
    if (!is_url(compare) || (created && has(before) && strstr(compare, before)))
        compare = NULL;
    if (compare)
        set_title(m, "Compare changes", compare);
    else
        set_title(m, name, url);
    for (size_t i = 0; i < n && shown < MAX_COMMITS; i++) {
        json_t *c = json_array_get(commits, i);
        if (!json_is_object(c))
            continue;
        commit_line(m, c);
        shown++;
    }
    if (total > shown && shown > 0) {
        struct gr_buf more;
        gr_buf_init(&more, 64);
        if (m->rc == GR_OK)
            m->rc = gr_buf_printf(&more, "… and %zu more", total - shown);
        put(m, &m->body, "\n");
        link(m, &m->body, gr_buf_str(&more), compare, 32);
        gr_buf_cleanup(&more);
    }
    if (shown == 0 && has(after)) {
        put(m, &m->body, tag ? "Points to " : "Now at ");
        code(m, &m->body, short_sha(after, sha), commit_url(m, &m->u[1], NULL, after));
        put(m, &m->body, ".");
    }
}

/* create / delete events: a branch or tag made or removed outside a push. */
static void ref_event(struct msg *m)
{
    const char *name = short_ref(gr_json_str(m->p, "ref"));
    const char *type = any_str(m->p, "ref_type", (char *)NULL);
    const char *sha = gr_json_str(m->p, "sha");
    bool tag = is(type, "tag"), del = is(m->event, "delete");
    const char *url = del ? NULL : tree_url(m, &m->u[0], name, tag);
    char s[8];

    bold(m, &m->text, who(m));
    put(m, &m->text, del ? " deleted " : " created ");
    esc(m, &m->text, type ? type : "ref", 16);
    put(m, &m->text, " ");
    code(m, &m->text, name, url);
    in_repo(m);
    m->color = del ? GR_COLOR_RED : GR_COLOR_GREEN;
    if (url)
        set_title(m, name, url);
    else
        set_title(m, repo_name(m), repo_url(m));
    if (!del && has(sha)) {
        put(m, &m->body, tag ? "Points to " : "At ");
        code(m, &m->body, short_sha(sha, s), commit_url(m, &m->u[1], NULL, sha));
        put(m, &m->body, ".");
    }
}

/* ---- issues and pull requests ---------------------------------------------------------- */

enum verb_obj { OBJ_NONE, OBJ_ASSIGNEE, OBJ_REVIEWER, OBJ_LABEL };

/* "**who** <pre>[object]<post> <noun> [#N title](url)<after> in [repo](url)" */
struct verb {
    const char *action;
    const char *pre;
    enum verb_obj obj;
    const char *post;
    const char *bare; /* the verb when the object is missing from the payload */
    const char *after;
    const char *color;
    bool excerpt; /* quote the body */
};

/* clang-format off */
static const struct verb verbs[] = {
        {"opened", "opened", OBJ_NONE, "", NULL, "", GR_COLOR_GREEN, true},
        {"merged", "merged", OBJ_NONE, "", NULL, "", GR_COLOR_GREEN, false},
        {"closed", "closed", OBJ_NONE, "", NULL, "", GR_COLOR_RED, false},
        {"reopened", "reopened", OBJ_NONE, "", NULL, "", GR_COLOR_ORANGE, false},
        {"edited", "edited", OBJ_NONE, "", NULL, "", GR_COLOR_BLUE, false},
        {"synchronized", "pushed to", OBJ_NONE, "", NULL, "", GR_COLOR_BLUE, false},
        {"synchronize", "pushed to", OBJ_NONE, "", NULL, "", GR_COLOR_BLUE, false},
        {"assigned", "assigned ", OBJ_ASSIGNEE, " to", "updated the assignees of", "",
         GR_COLOR_BLUE, false},
        {"unassigned", "unassigned ", OBJ_ASSIGNEE, " from", "updated the assignees of", "",
         GR_COLOR_BLUE, false},
        {"review_requested", "requested a review from ", OBJ_REVIEWER, " on",
         "requested a review on", "", GR_COLOR_BLUE, false},
        {"review_request_removed", "removed the review request for ", OBJ_REVIEWER, " on",
         "removed a review request on", "", GR_COLOR_BLUE, false},
        {"labeled", "added the label ", OBJ_LABEL, " to", "updated the labels of", "",
         GR_COLOR_BLUE, false},
        {"unlabeled", "removed the label ", OBJ_LABEL, " from", "updated the labels of", "",
         GR_COLOR_BLUE, false},
        {"label_updated", "updated the labels of", OBJ_NONE, "", NULL, "", GR_COLOR_BLUE, false},
        {"label_cleared", "removed all labels from", OBJ_NONE, "", NULL, "", GR_COLOR_BLUE,
         false},
        {"milestoned", "added", OBJ_NONE, "", NULL, " to a milestone", GR_COLOR_BLUE, false},
        {"demilestoned", "removed", OBJ_NONE, "", NULL, " from its milestone", GR_COLOR_BLUE,
         false},
        {"converted_to_draft", "converted", OBJ_NONE, "", NULL, " to a draft", GR_COLOR_GREY,
         false},
        {"ready_for_review", "marked", OBJ_NONE, "", NULL, " as ready for review",
         GR_COLOR_GREEN, false},
        {"auto_merge_enabled", "enabled auto-merge for", OBJ_NONE, "", NULL, "", GR_COLOR_BLUE,
         false},
        {"auto_merge_disabled", "disabled auto-merge for", OBJ_NONE, "", NULL, "",
         GR_COLOR_BLUE, false},
        {"enqueued", "added", OBJ_NONE, "", NULL, " to the merge queue", GR_COLOR_BLUE, false},
        {"dequeued", "removed", OBJ_NONE, "", NULL, " from the merge queue", GR_COLOR_BLUE,
         false},
        {"locked", "locked", OBJ_NONE, "", NULL, "", GR_COLOR_GREY, false},
        {"unlocked", "unlocked", OBJ_NONE, "", NULL, "", GR_COLOR_GREY, false},
        {"pinned", "pinned", OBJ_NONE, "", NULL, "", GR_COLOR_GREY, false},
        {"unpinned", "unpinned", OBJ_NONE, "", NULL, "", GR_COLOR_GREY, false},
        {"transferred", "transferred", OBJ_NONE, "", NULL, "", GR_COLOR_GREY, false},
        {"deleted", "deleted", OBJ_NONE, "", NULL, "", GR_COLOR_RED, false},
};
/* clang-format on */

static const struct verb unknown_verb = {"",   "updated", OBJ_NONE,      "",
                                         NULL, "",        GR_COLOR_BLUE, false};

static const struct verb *verb_of(const char *action)
{
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (is(action, verbs[i].action))
            return &verbs[i];
    return &unknown_verb;
}

/* The issue or pull request object of the payload and whether it is a pull request. */
static json_t *item_of(struct msg *m, bool *pr)
{
    json_t *it = obj(m->p, "pull_request");

    *pr = it != NULL;
    if (it)
        return it;
    it = obj(m->p, "issue");
    /* Comments and GitHub `issues` events on a pull request carry it as an issue. */
    *pr = flag(m->p, "is_pull") || obj(it, "pull_request") || starts(m->event, "pull_request");
    return it;
}

static const char *item_url(struct msg *m, json_t *it, bool pr, long long num, bool has_num)
{
    const char *u = gr_json_str(it, "html_url");
    char n[24];

    if (is_url(u))
        return u;
    /* Gitea/Forgejo's `url` is the web page for pull requests; GitHub's is the API. */
    u = gr_json_str(it, "url");
    if (pr && m->f->dialect == GR_FORGE_GITEA && is_url(u))
        return u;
    if (!has_num)
        return NULL;
    snprintf(n, sizeof n, "%lld", num);
    return mkurl(m, &m->u[2], repo_url(m),
                 !pr                                ? "/issues/"
                 : m->f->dialect == GR_FORGE_GITHUB ? "/pull/"
                                                    : "/pulls/",
                 n);
}

/* "#12 Title" into b (plain, clipped) — the link text and attachment title of an item. */
static void item_label(struct msg *m, struct gr_buf *b, json_t *it, long long num, bool has_num)
{
    const char *title = gr_json_str(it, "title");

    if (has_num)
        putf(m, b, "#%lld", num);
    if (has_num && has(title))
        put(m, b, " ");
    clip(m, b, has(title) ? title : has_num ? "" : "(untitled)", TITLE_RUNES);
}

/* Appends "<noun> [#N title](url)"; sets the attachment title to the same link (or to
 * title_url when given: a comment or review). */
static void item_ref(struct msg *m, json_t *it, bool pr, const char *title_url)
{
    struct gr_buf label;
    long long num = 0;
    bool has_num = gr_json_int(it, "number", &num) || gr_json_int(m->p, "number", &num);
    const char *url = item_url(m, it, pr, num, has_num);

    gr_buf_init(&label, OUT_MAX);
    item_label(m, &label, it, num, has_num);
    put(m, &m->text, pr ? (flag(it, "draft") ? "draft pull request " : "pull request ") : "issue ");
    link(m, &m->text, gr_buf_str(&label), url, TITLE_RUNES + 24);
    set_title(m, gr_buf_str(&label), has(title_url) ? title_url : url);
    gr_buf_cleanup(&label);
}

/* Comma-separated names of an array of objects (labels[].name, assignees[].login). */
static void names(struct msg *m, struct gr_buf *b, json_t *arr, const char *key)
{
    size_t n = 0;

    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *s = gr_json_str(json_array_get(arr, i), key);
        if (!has(s))
            continue;
        if (n++ == 8) {
            put(m, b, ", …");
            break;
        }
        if (n > 1)
            put(m, b, ", ");
        esc(m, b, s, NAME_RUNES);
    }
}

static void pr_fields(struct msg *m, json_t *it, bool pr, const char *action)
{
    const char *base = gr_json_str(it, "base.ref"), *head = gr_json_str(it, "head.ref");
    struct gr_buf v;
    char sha[8];

    gr_buf_init(&v, OUT_MAX);
    if (pr && has(base) && has(head)) {
        code(m, &v, base, tree_url(m, &m->u[0], base, false));
        put(m, &v, " ← ");
        code(m, &v, head, NULL);
        field(m, "Branches", &v);
    }
    if (pr && (is(action, "synchronized") || is(action, "synchronize"))) {
        const char *s = gr_json_str(it, "head.sha");
        gr_buf_reset(&v);
        if (has(s))
            code(m, &v, short_sha(s, sha), commit_url(m, &m->u[1], NULL, s));
        field(m, "Head", &v);
    }
    if (strstr(action, "label") || is(action, "opened")) {
        gr_buf_reset(&v);
        names(m, &v, gr_json_path(it, "labels"), "name");
        field(m, "Labels", &v);
    }
    if (strstr(action, "milestone")) {
        gr_buf_reset(&v);
        esc(m, &v, gr_json_str(it, "milestone.title"), TITLE_RUNES);
        field(m, "Milestone", &v);
    }
    gr_buf_cleanup(&v);
}

static void item_event(struct msg *m)
{
    bool pr;
    json_t *it = item_of(m, &pr);
    /* The parser turns `closed` + `merged: true` into "merged"; a raw payload may not be. */
    const char *action = pr && is(m->action, "closed") && flag(it, "merged") ? "merged" : m->action;
    const struct verb *v = verb_of(action);
    const char *object = NULL;

    if (v->obj == OBJ_ASSIGNEE)
        object = any_str(m->p, "assignee.login", "assignee.username", (char *)NULL);
    if (v->obj == OBJ_ASSIGNEE && !object && is(action, "assigned"))
        object = any_str(it, "assignee.login", "assignees.0.login", (char *)NULL);
    if (v->obj == OBJ_REVIEWER)
        object = any_str(m->p, "requested_reviewer.login", "requested_team.name", (char *)NULL);
    if (v->obj == OBJ_LABEL)
        object = any_str(m->p, "label.name", (char *)NULL);

    bold(m, &m->text, who(m));
    put(m, &m->text, " ");
    if (v->obj != OBJ_NONE && object) {
        put(m, &m->text, v->pre);
        if (v->obj == OBJ_LABEL)
            code(m, &m->text, object, NULL);
        else
            bold(m, &m->text, object);
        put(m, &m->text, v->post);
    } else {
        put(m, &m->text, v->bare ? v->bare : v->pre);
    }
    put(m, &m->text, " ");
    item_ref(m, it, pr, NULL);
    put(m, &m->text, pr && is(action, "closed") ? " without merging" : v->after);
    in_repo(m);
    if (v == &unknown_verb && has(action)) {
        put(m, &m->text, " (");
        code(m, &m->text, action, NULL);
        put(m, &m->text, ")");
    }

    m->color = v->color;
    if (!pr && is(action, "closed"))
        m->color = is(gr_json_str(it, "state_reason"), "not_planned") ? GR_COLOR_GREY
                                                                      : GR_COLOR_PURPLE;
    if (pr && is(action, "opened") && flag(it, "draft"))
        m->color = GR_COLOR_GREY;
    if (v->excerpt)
        excerpt(m, &m->body, gr_json_str(it, "body"));
    pr_fields(m, it, pr, action);
}

/* Issue comments, pull request comments (Forgejo/Gitea) and GitHub's review comments. */
static void comment_event(struct msg *m)
{
    bool pr;
    json_t *it = item_of(m, &pr), *c = obj(m->p, "comment");
    const char *curl = gr_json_str(c, "html_url"), *path = gr_json_str(c, "path");

    bold(m, &m->text, who(m));
    put(m, &m->text, " ");
    if (is(m->action, "deleted")) {
        put(m, &m->text, "deleted a comment");
    } else if (is(m->action, "edited")) {
        put(m, &m->text, "edited ");
        link(m, &m->text, "a comment", curl, 16);
    } else {
        link(m, &m->text, "commented", curl, 16);
    }
    put(m, &m->text, " on ");
    item_ref(m, it, pr, curl);
    in_repo(m);
    m->color = is(m->action, "deleted") ? GR_COLOR_GREY : GR_COLOR_BLUE;
    excerpt(m, &m->body, gr_json_str(c, "body"));
    if (has(path)) {
        struct gr_buf v;
        gr_buf_init(&v, OUT_MAX);
        code(m, &v, path, NULL);
        field(m, "File", &v);
        gr_buf_cleanup(&v);
    }
}

/* Gitea/Forgejo pull_request_review_{approved,rejected,comment} and GitHub
 * pull_request_review. */
static void review_event(struct msg *m)
{
    bool pr;
    json_t *it = item_of(m, &pr), *r = obj(m->p, "review");
    const char *type = gr_json_str(r, "type"), *state = gr_json_str(r, "state");
    const char *verb = "reviewed";

    m->color = GR_COLOR_BLUE;
    if (strstr(m->event, "approved") || (type && strstr(type, "approved")) ||
        is(state, "approved")) {
        verb = "approved";
        m->color = GR_COLOR_GREEN;
    } else if (strstr(m->event, "rejected") || (type && strstr(type, "rejected")) ||
               is(state, "changes_requested")) {
        verb = "requested changes on";
        m->color = GR_COLOR_ORANGE;
    } else if (is(m->action, "dismissed")) {
        verb = "dismissed a review on";
        m->color = GR_COLOR_GREY;
    }
    bold(m, &m->text, who(m));
    put(m, &m->text, " ");
    put(m, &m->text, verb);
    put(m, &m->text, " ");
    item_ref(m, it, true, gr_json_str(r, "html_url"));
    in_repo(m);
    excerpt(m, &m->body, any_str(r, "content", "body", (char *)NULL));
}

/* ---- releases, CI runs, the rest ------------------------------------------------------- */

static void release_event(struct msg *m)
{
    json_t *r = obj(m->p, "release");
    const char *tag = gr_json_str(r, "tag_name"), *name = any_str(r, "name", (char *)NULL);
    const char *url = gr_json_str(r, "html_url"), *verb = "updated";
    struct gr_buf v;

    m->color = GR_COLOR_BLUE;
    if (is(m->action, "published") || is(m->action, "released") || is(m->action, "created") ||
        is(m->action, "prereleased")) {
        verb = is(m->action, "created") ? "created" : "published";
        m->color = GR_COLOR_GREEN;
    } else if (is(m->action, "deleted")) {
        verb = "deleted";
        url = NULL;
        m->color = GR_COLOR_RED;
    } else if (is(m->action, "unpublished")) {
        verb = "unpublished";
        m->color = GR_COLOR_GREY;
    }
    if (!name)
        name = has(tag) ? tag : "(untitled)";
    bold(m, &m->text, who(m));
    putf(m, &m->text, " %s %s", verb,
         flag(r, "draft")        ? "draft release "
         : flag(r, "prerelease") ? "pre-release "
                                 : "release ");
    link(m, &m->text, name, url, TITLE_RUNES);
    in_repo(m);
    set_title(m, name, url);
    excerpt(m, &m->body, gr_json_str(r, "body"));
    gr_buf_init(&v, OUT_MAX);
    if (has(tag)) {
        code(m, &v, tag, tree_url(m, &m->u[0], tag, true));
        field(m, "Tag", &v);
    }
    gr_buf_cleanup(&v);
}

static json_t *run_of(struct msg *m, const char **noun)
{
    json_t *r;

    *noun = "Workflow";
    if ((r = obj(m->p, "workflow_run")) || (r = obj(m->p, "run")))
        return r;
    *noun = "Job";
    if ((r = obj(m->p, "workflow_job")))
        return r;
    *noun = "Check";
    return obj(m->p, "check_run");
}

/* Forgejo action_run_{failure,success,recover}, GitHub workflow_run/workflow_job/check_run. */
static void run_event(struct msg *m)
{
    const char *noun, *outcome, *phrase;
    json_t *r = run_of(m, &noun);
    const char *name = any_str(r, "name", "workflow_name", "title", (char *)NULL);
    const char *branch = any_str(r, "head_branch", "check_suite.head_branch", (char *)NULL);
    const char *sha = gr_json_str(r, "head_sha");
    struct gr_buf v;
    char s[8];

    outcome = any_str(r, "conclusion", "status", (char *)NULL);
    if (is(m->event, "action_run_failure"))
        outcome = "failure";
    else if (is(m->event, "action_run_success"))
        outcome = "success";
    else if (is(m->event, "action_run_recover"))
        outcome = "recovered";
    phrase = outcome;
    m->color = GR_COLOR_BLUE;
    if (is(outcome, "success")) {
        phrase = "succeeded";
        m->color = GR_COLOR_GREEN;
    } else if (is(outcome, "recovered")) {
        phrase = "is passing again";
        m->color = GR_COLOR_GREEN;
    } else if (is(outcome, "failure") || is(outcome, "startup_failure")) {
        phrase = "failed";
        m->color = GR_COLOR_RED;
    } else if (is(outcome, "timed_out")) {
        phrase = "timed out";
        m->color = GR_COLOR_RED;
    } else if (is(outcome, "cancelled") || is(outcome, "skipped")) {
        phrase = is(outcome, "skipped") ? "was skipped" : "was cancelled";
        m->color = GR_COLOR_GREY;
    } else if (is(outcome, "action_required") || is(outcome, "waiting")) {
        phrase = "is waiting for approval";
        m->color = GR_COLOR_ORANGE;
    } else if (is(outcome, "queued") || is(outcome, "in_progress") || is(outcome, "requested") ||
               is(outcome, "pending") || is(outcome, "running")) {
        phrase = "started";
    }
    putf(m, &m->text, "%s ", noun);
    link(m, &m->text, has(name) ? name : "run", gr_json_str(r, "html_url"), TITLE_RUNES);
    put(m, &m->text, " **");
    esc(m, &m->text, has(phrase) ? phrase : "changed state", 32);
    put(m, &m->text, "**");
    if (has(branch)) {
        put(m, &m->text, " on ");
        code(m, &m->text, branch, tree_url(m, &m->u[0], branch, false));
    }
    in_repo(m);
    set_title(m, has(name) ? name : noun, gr_json_str(r, "html_url"));
    gr_buf_init(&v, OUT_MAX);
    if (has(sha)) {
        code(m, &v, short_sha(sha, s), commit_url(m, &m->u[1], NULL, sha));
        field(m, "Commit", &v);
        gr_buf_reset(&v);
    }
    esc(m, &v, who(m), NAME_RUNES);
    field(m, "Triggered by", &v);
    gr_buf_cleanup(&v);
}

static void ping_event(struct msg *m)
{
    json_t *events = gr_json_path(m->p, "hook.events");
    const char *org = gr_json_str(m->p, "organization.login");
    struct gr_buf v;

    bold(m, &m->text, who(m));
    putf(m, &m->text, " set up a %s webhook", m->f->name);
    if (repo_name(m)) {
        put(m, &m->text, " for ");
        link(m, &m->text, repo_name(m), repo_url(m), NAME_RUNES);
    } else if (has(org)) {
        put(m, &m->text, " for organization ");
        esc(m, &m->text, org, NAME_RUNES);
    }
    m->color = GR_COLOR_GREEN;
    set_title(m, repo_name(m), repo_url(m));
    excerpt(m, &m->body, gr_json_str(m->p, "zen"));
    gr_buf_init(&v, OUT_MAX);
    for (size_t i = 0, n = 0; i < json_array_size(events); i++) {
        const char *e = json_string_value(json_array_get(events, i));
        if (!has(e))
            continue;
        if (n++ == 12) {
            put(m, &v, " …");
            break;
        }
        if (n > 1)
            put(m, &v, " ");
        code(m, &v, e, NULL);
    }
    field(m, "Events", &v);
    gr_buf_cleanup(&v);
}

static void fork_event(struct msg *m)
{
    /* Gitea's `forkee` is the original and `repository` the fork; GitHub's is the reverse. */
    bool gh = m->f->dialect == GR_FORGE_GITHUB;
    json_t *from = obj(m->p, gh ? "repository" : "forkee");
    json_t *to = obj(m->p, gh ? "forkee" : "repository");

    bold(m, &m->text, who(m));
    put(m, &m->text, " forked ");
    link(m, &m->text, gr_json_str(from, "full_name"), gr_json_str(from, "html_url"), NAME_RUNES);
    put(m, &m->text, " to ");
    link(m, &m->text, gr_json_str(to, "full_name"), gr_json_str(to, "html_url"), NAME_RUNES);
    m->color = GR_COLOR_BLUE;
    set_title(m, gr_json_str(to, "full_name"), gr_json_str(to, "html_url"));
}

static void star_event(struct msg *m)
{
    bold(m, &m->text, who(m));
    put(m, &m->text, is(m->action, "deleted") ? " unstarred" : " starred");
    if (repo_name(m)) {
        put(m, &m->text, " ");
        link(m, &m->text, repo_name(m), repo_url(m), NAME_RUNES);
    }
    m->color = GR_COLOR_GREY;
    set_title(m, repo_name(m), repo_url(m));
}

/* Anything else: "**who** triggered `event` (`action`) in [repo](url)" plus what we find. */
static void generic_event(struct msg *m)
{
    static const char *const things[] = {"pull_request", "issue",      "release",
                                         "comment",      "discussion", "package",
                                         "workflow_run", "check_run",  NULL};
    const char *ref = gr_json_str(m->p, "ref"), *page = gr_json_str(m->p, "page");
    struct gr_buf v;

    bold(m, &m->text, who(m));
    put(m, &m->text, " triggered ");
    if (has(m->event))
        code(m, &m->text, m->event, NULL);
    else
        put(m, &m->text, "an event");
    if (has(m->action)) {
        put(m, &m->text, " (");
        code(m, &m->text, m->action, NULL);
        put(m, &m->text, ")");
    }
    in_repo(m);
    m->color = GR_COLOR_GREY;
    set_title(m, repo_name(m), repo_url(m));
    for (size_t i = 0; things[i]; i++) {
        json_t *t = obj(m->p, things[i]);
        const char *title = any_str(t, "title", "name", "tag_name", (char *)NULL);
        if (t && has(title)) {
            set_title(m, title, gr_json_str(t, "html_url"));
            break;
        }
    }
    gr_buf_init(&v, OUT_MAX);
    if (has(ref)) {
        code(m, &v, short_ref(ref), NULL);
        field(m, "Ref", &v);
        gr_buf_reset(&v);
    }
    if (has(page)) {
        esc(m, &v, page, TITLE_RUNES);
        field(m, "Page", &v);
    }
    gr_buf_cleanup(&v);
}

static void dispatch(struct msg *m)
{
    const char *ev = m->event;
    const char *dummy;

    if (is(ev, "push") ||
        (!has(ev) && json_is_array(gr_json_path(m->p, "commits")) && has(gr_json_str(m->p, "ref"))))
        push(m);
    else if (is(ev, "create") || is(ev, "delete"))
        ref_event(m);
    else if (is(ev, "ping"))
        ping_event(m);
    else if (obj(m->p, "release"))
        release_event(m);
    else if (obj(m->p, "comment") && (obj(m->p, "issue") || obj(m->p, "pull_request")))
        comment_event(m);
    else if (obj(m->p, "review") && obj(m->p, "pull_request"))
        review_event(m);
    else if (obj(m->p, "pull_request") || obj(m->p, "issue"))
        item_event(m);
    else if (run_of(m, &dummy))
        run_event(m);
    else if (is(ev, "fork"))
        fork_event(m);
    else if (is(ev, "star") || is(ev, "watch"))
        star_event(m);
    else
        generic_event(m);
}

/* ---- assembly -------------------------------------------------------------------------- */

/* The headline without Markdown, for the attachment's fallback (notifications): links keep
 * their text, code keeps its content, escapes are undone, bold marks dropped. */
static gr_err plain(const char *md, struct gr_buf *out)
{
    bool in_code = false;
    gr_err rc = GR_OK;

    for (const char *s = md; *s && rc == GR_OK; s++) {
        if (*s == '`') {
            in_code = !in_code;
        } else if (in_code) {
            rc = gr_buf_appendc(out, *s);
        } else if (*s == '\\' && s[1]) {
            rc = gr_buf_appendc(out, *++s);
        } else if (*s == ']' && s[1] == '(') {
            const char *close = strchr(s, ')');
            if (close == NULL)
                break;
            s = close;
        } else if (*s != '*' && *s != '[') {
            rc = gr_buf_appendc(out, *s);
        }
    }
    return rc;
}

static json_t *finish(struct msg *m)
{
    struct gr_buf fb;
    json_t *msg = NULL;

    gr_buf_init(&fb, OUT_MAX);
    if (m->rc == GR_OK)
        m->rc = plain(gr_buf_str(&m->text), &fb);
    /* Everything was cut on code point boundaries from valid JSON strings; check anyway, as
     * jansson would silently drop an invalid string. */
    if (m->rc == GR_OK && (!gr_utf8_valid(m->text.p, m->text.len) ||
                           !gr_utf8_valid(gr_buf_str(&m->body), m->body.len) ||
                           !gr_utf8_valid(gr_buf_str(&m->title), m->title.len)))
        m->rc = GR_EINVAL;
    if (m->rc != GR_OK)
        goto out;
    json_object_set_new(m->att, "fallback", json_string(gr_buf_str(&fb)));
    json_object_set_new(m->att, "color", json_string(m->color ? m->color : GR_COLOR_GREY));
    if (m->title.len)
        json_object_set_new(m->att, "title", json_string(gr_buf_str(&m->title)));
    if (m->tlink.len)
        json_object_set_new(m->att, "title_link", json_string(gr_buf_str(&m->tlink)));
    if (m->body.len)
        json_object_set_new(m->att, "text", json_string(gr_buf_str(&m->body)));
    json_object_set_new(m->att, "footer", json_string(m->f->name));
    msg = gr_message_new(gr_buf_str(&m->text), m->att);
    m->att = NULL;
out:
    gr_buf_cleanup(&fb);
    return msg;
}

json_t *gr_forge_render(const struct gr_forge *f, const char *event, const char *action,
                        json_t *payload)
{
    struct msg m = {
            .f = f, .p = payload, .event = event ? event : "", .action = action ? action : ""};
    json_t *msg;

    gr_buf_init(&m.text, OUT_MAX);
    gr_buf_init(&m.body, OUT_MAX);
    gr_buf_init(&m.title, OUT_MAX);
    gr_buf_init(&m.tlink, OUT_MAX);
    for (size_t i = 0; i < sizeof m.u / sizeof m.u[0]; i++)
        gr_buf_init(&m.u[i], OUT_MAX);
    m.att = gr_att_new("", "");
    if (m.att == NULL)
        m.rc = GR_ENOMEM;
    if (m.rc == GR_OK)
        dispatch(&m);
    msg = finish(&m);
    json_decref(m.att);
    gr_buf_cleanup(&m.text);
    gr_buf_cleanup(&m.body);
    gr_buf_cleanup(&m.title);
    gr_buf_cleanup(&m.tlink);
    for (size_t i = 0; i < sizeof m.u / sizeof m.u[0]; i++)
        gr_buf_cleanup(&m.u[i]);
    return msg;
}
