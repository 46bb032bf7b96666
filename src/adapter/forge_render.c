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
 * The shared readers and writers (struct msg, gr_forge__put, gr_forge__link, ...) live in
 * forge_msg.c; this file holds the event renderers, dispatch and assembly.
 */
#include "adapter/forge_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "adapter/render.h"
#include "core/buf.h"
#include "core/utf8.h"

/* ---- push ------------------------------------------------------------------------------ */

static void commit_line(struct msg *m, json_t *c)
{
    const char *id = gr_json_str(c, "id"), *author;
    char sha[8];

    if (m->body.len)
        gr_forge__put(m, &m->body, "\n");
    gr_forge__put(m, &m->body, "- ");
    gr_forge__code(m, &m->body, gr_forge__short_sha(id, sha),
                   gr_forge__commit_url(m, &m->u[1], c, id));
    gr_forge__put(m, &m->body, " ");
    gr_forge__esc(m, &m->body, gr_json_str(c, "message"), LINE_RUNES);
    author = gr_forge__any_str(c, "author.name", "author.username", "committer.name", (char *)NULL);
    if (author) {
        gr_forge__put(m, &m->body, " — ");
        gr_forge__esc(m, &m->body, author, NAME_RUNES);
    }
}

static void push(struct msg *m)
{
    const char *ref = gr_json_str(m->p, "ref"), *name = gr_forge__short_ref(ref);
    const char *before = gr_json_str(m->p, "before"), *after = gr_json_str(m->p, "after");
    const char *compare = gr_forge__any_str(m->p, "compare_url", "compare", (char *)NULL);
    json_t *commits = gr_json_path(m->p, "commits");
    size_t n = json_is_array(commits) ? json_array_size(commits) : 0, total = n, shown = 0;
    bool tag = gr_forge__starts(ref, "refs/tags/");
    bool created = gr_forge__flag(m->p, "created") || gr_forge__zero_sha(before);
    bool deleted = gr_forge__flag(m->p, "deleted") || gr_forge__zero_sha(after);
    const char *kind = tag ? "tag" : "branch", *url = gr_forge__tree_url(m, &m->u[0], name, tag);
    long long tc;
    char sha[8];

    if (gr_json_int(m->p, "total_commits", &tc) && tc > 0 && (size_t)tc > n)
        total = (size_t)tc;
    gr_forge__bold(m, &m->text, gr_forge__who(m));
    if (deleted) {
        gr_forge__putf(m, &m->text, " deleted %s ", kind);
        gr_forge__code(m, &m->text, name, NULL);
        m->color = GR_COLOR_RED;
    } else if (tag) {
        gr_forge__put(m, &m->text, created ? " pushed tag " : " moved tag ");
        gr_forge__code(m, &m->text, name, url);
        m->color = created ? GR_COLOR_GREEN : GR_COLOR_ORANGE;
    } else {
        if (gr_forge__flag(m->p, "forced") && !created)
            gr_forge__put(m, &m->text, " force-pushed ");
        else
            gr_forge__put(m, &m->text, " pushed ");
        if (total)
            gr_forge__putf(m, &m->text, "%zu commit%s to ", total, total == 1 ? "" : "s");
        else if (!created)
            gr_forge__put(m, &m->text, "to ");
        if (created)
            gr_forge__put(m, &m->text, "new branch ");
        gr_forge__code(m, &m->text, name, url);
        m->color = created                          ? GR_COLOR_GREEN
                   : gr_forge__flag(m->p, "forced") ? GR_COLOR_ORANGE
                                                    : GR_COLOR_BLUE;
    }
    gr_forge__in_repo(m);

    if (deleted) {
        gr_forge__set_title(m, gr_forge__repo_name(m), gr_forge__repo_url(m));
        if (gr_forge__has(before) && !gr_forge__zero_sha(before)) {
            gr_forge__put(m, &m->body, "It pointed to ");
            gr_forge__code(m, &m->body, gr_forge__short_sha(before, sha),
                           gr_forge__commit_url(m, &m->u[1], NULL, before));
            gr_forge__put(m, &m->body, ".");
        }
        return;
    }
    /* Gitea's compare URL for a new branch is "compare/000…000...<after>": useless. */
    if (!gr_forge__is_url(compare) || (created && gr_forge__has(before) && strstr(compare, before)))
        compare = NULL;
    if (compare)
        gr_forge__set_title(m, "Compare changes", compare);
    else
        gr_forge__set_title(m, name, url);
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
        gr_forge__put(m, &m->body, "\n");
        gr_forge__link(m, &m->body, gr_buf_str(&more), compare, 32);
        gr_buf_cleanup(&more);
    }
    if (shown == 0 && gr_forge__has(after)) {
        gr_forge__put(m, &m->body, tag ? "Points to " : "Now at ");
        gr_forge__code(m, &m->body, gr_forge__short_sha(after, sha),
                       gr_forge__commit_url(m, &m->u[1], NULL, after));
        gr_forge__put(m, &m->body, ".");
    }
}

/* create / delete events: a branch or tag made or removed outside a push. */
static void ref_event(struct msg *m)
{
    const char *name = gr_forge__short_ref(gr_json_str(m->p, "ref"));
    const char *type = gr_forge__any_str(m->p, "ref_type", (char *)NULL);
    const char *sha = gr_json_str(m->p, "sha");
    bool tag = gr_forge__is(type, "tag"), del = gr_forge__is(m->event, "delete");
    const char *url = del ? NULL : gr_forge__tree_url(m, &m->u[0], name, tag);
    char s[8];

    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, del ? " deleted " : " created ");
    gr_forge__esc(m, &m->text, type ? type : "ref", 16);
    gr_forge__put(m, &m->text, " ");
    gr_forge__code(m, &m->text, name, url);
    gr_forge__in_repo(m);
    m->color = del ? GR_COLOR_RED : GR_COLOR_GREEN;
    if (url)
        gr_forge__set_title(m, name, url);
    else
        gr_forge__set_title(m, gr_forge__repo_name(m), gr_forge__repo_url(m));
    if (!del && gr_forge__has(sha)) {
        gr_forge__put(m, &m->body, tag ? "Points to " : "At ");
        gr_forge__code(m, &m->body, gr_forge__short_sha(sha, s),
                       gr_forge__commit_url(m, &m->u[1], NULL, sha));
        gr_forge__put(m, &m->body, ".");
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
        if (gr_forge__is(action, verbs[i].action))
            return &verbs[i];
    return &unknown_verb;
}

/* The issue or pull request object of the payload and whether it is a pull request. */
static json_t *item_of(struct msg *m, bool *pr)
{
    json_t *it = gr_forge__obj(m->p, "pull_request");

    *pr = it != NULL;
    if (it)
        return it;
    it = gr_forge__obj(m->p, "issue");
    /* Comments and GitHub `issues` events on a pull request carry it as an issue. */
    *pr = gr_forge__flag(m->p, "is_pull") || gr_forge__obj(it, "pull_request") ||
          gr_forge__starts(m->event, "pull_request");
    return it;
}

static const char *item_url(struct msg *m, json_t *it, bool pr, long long num, bool has_num)
{
    const char *u = gr_json_str(it, "html_url");
    char n[24];

    if (gr_forge__is_url(u))
        return u;
    /* Gitea/Forgejo's `url` is the web page for pull requests; GitHub's is the API. */
    u = gr_json_str(it, "url");
    if (pr && m->f->dialect == GR_FORGE_GITEA && gr_forge__is_url(u))
        return u;
    if (!has_num)
        return NULL;
    snprintf(n, sizeof n, "%lld", num);
    return gr_forge__mkurl(m, &m->u[2], gr_forge__repo_url(m),
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
        gr_forge__putf(m, b, "#%lld", num);
    if (has_num && gr_forge__has(title))
        gr_forge__put(m, b, " ");
    gr_forge__clip(m, b, gr_forge__has(title) ? title : has_num ? "" : "(untitled)", TITLE_RUNES);
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
    gr_forge__put(m, &m->text,
                  pr ? (gr_forge__flag(it, "draft") ? "draft pull request " : "pull request ")
                     : "issue ");
    gr_forge__link(m, &m->text, gr_buf_str(&label), url, TITLE_RUNES + 24);
    gr_forge__set_title(m, gr_buf_str(&label), gr_forge__has(title_url) ? title_url : url);
    gr_buf_cleanup(&label);
}

/* Comma-separated names of an array of objects (labels[].name, assignees[].login). */
static void names(struct msg *m, struct gr_buf *b, json_t *arr, const char *key)
{
    size_t n = 0;

    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *s = gr_json_str(json_array_get(arr, i), key);
        if (!gr_forge__has(s))
            continue;
        if (n++ == 8) {
            gr_forge__put(m, b, ", …");
            break;
        }
        if (n > 1)
            gr_forge__put(m, b, ", ");
        gr_forge__esc(m, b, s, NAME_RUNES);
    }
}

static void pr_fields(struct msg *m, json_t *it, bool pr, const char *action)
{
    const char *base = gr_json_str(it, "base.ref"), *head = gr_json_str(it, "head.ref");
    struct gr_buf v;
    char sha[8];

    gr_buf_init(&v, OUT_MAX);
    if (pr && gr_forge__has(base) && gr_forge__has(head)) {
        gr_forge__code(m, &v, base, gr_forge__tree_url(m, &m->u[0], base, false));
        gr_forge__put(m, &v, " ← ");
        gr_forge__code(m, &v, head, NULL);
        gr_forge__field(m, "Branches", &v);
    }
    if (pr && (gr_forge__is(action, "synchronized") || gr_forge__is(action, "synchronize"))) {
        const char *s = gr_json_str(it, "head.sha");
        gr_buf_reset(&v);
        if (gr_forge__has(s))
            gr_forge__code(m, &v, gr_forge__short_sha(s, sha),
                           gr_forge__commit_url(m, &m->u[1], NULL, s));
        gr_forge__field(m, "Head", &v);
    }
    if (strstr(action, "label") || gr_forge__is(action, "opened")) {
        gr_buf_reset(&v);
        names(m, &v, gr_json_path(it, "labels"), "name");
        gr_forge__field(m, "Labels", &v);
    }
    if (strstr(action, "milestone")) {
        gr_buf_reset(&v);
        gr_forge__esc(m, &v, gr_json_str(it, "milestone.title"), TITLE_RUNES);
        gr_forge__field(m, "Milestone", &v);
    }
    gr_buf_cleanup(&v);
}

static void item_event(struct msg *m)
{
    bool pr;
    json_t *it = item_of(m, &pr);
    /* The parser turns `closed` + `merged: true` into "merged"; a raw payload may not be. */
    const char *action = pr && gr_forge__is(m->action, "closed") && gr_forge__flag(it, "merged")
                                 ? "merged"
                                 : m->action;
    const struct verb *v = verb_of(action);
    const char *object = NULL;

    if (v->obj == OBJ_ASSIGNEE)
        object = gr_forge__any_str(m->p, "assignee.login", "assignee.username", (char *)NULL);
    if (v->obj == OBJ_ASSIGNEE && !object && gr_forge__is(action, "assigned"))
        object = gr_forge__any_str(it, "assignee.login", "assignees.0.login", (char *)NULL);
    if (v->obj == OBJ_REVIEWER)
        object = gr_forge__any_str(m->p, "requested_reviewer.login", "requested_team.name",
                                   (char *)NULL);
    if (v->obj == OBJ_LABEL)
        object = gr_forge__any_str(m->p, "label.name", (char *)NULL);

    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, " ");
    if (v->obj != OBJ_NONE && object) {
        gr_forge__put(m, &m->text, v->pre);
        if (v->obj == OBJ_LABEL)
            gr_forge__code(m, &m->text, object, NULL);
        else
            gr_forge__bold(m, &m->text, object);
        gr_forge__put(m, &m->text, v->post);
    } else {
        gr_forge__put(m, &m->text, v->bare ? v->bare : v->pre);
    }
    gr_forge__put(m, &m->text, " ");
    item_ref(m, it, pr, NULL);
    gr_forge__put(m, &m->text,
                  pr && gr_forge__is(action, "closed") ? " without merging" : v->after);
    gr_forge__in_repo(m);
    if (v == &unknown_verb && gr_forge__has(action)) {
        gr_forge__put(m, &m->text, " (");
        gr_forge__code(m, &m->text, action, NULL);
        gr_forge__put(m, &m->text, ")");
    }

    m->color = v->color;
    if (!pr && gr_forge__is(action, "closed"))
        m->color = gr_forge__is(gr_json_str(it, "state_reason"), "not_planned") ? GR_COLOR_GREY
                                                                                : GR_COLOR_PURPLE;
    if (pr && gr_forge__is(action, "opened") && gr_forge__flag(it, "draft"))
        m->color = GR_COLOR_GREY;
    if (v->excerpt)
        gr_forge__excerpt(m, &m->body, gr_json_str(it, "body"));
    pr_fields(m, it, pr, action);
}

/* Issue comments, pull request comments (Forgejo/Gitea) and GitHub's review comments. */
static void comment_event(struct msg *m)
{
    bool pr;
    json_t *it = item_of(m, &pr), *c = gr_forge__obj(m->p, "comment");
    const char *curl = gr_json_str(c, "html_url"), *path = gr_json_str(c, "path");

    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, " ");
    if (gr_forge__is(m->action, "deleted")) {
        gr_forge__put(m, &m->text, "deleted a comment");
    } else if (gr_forge__is(m->action, "edited")) {
        gr_forge__put(m, &m->text, "edited ");
        gr_forge__link(m, &m->text, "a comment", curl, 16);
    } else {
        gr_forge__link(m, &m->text, "commented", curl, 16);
    }
    gr_forge__put(m, &m->text, " on ");
    item_ref(m, it, pr, curl);
    gr_forge__in_repo(m);
    m->color = gr_forge__is(m->action, "deleted") ? GR_COLOR_GREY : GR_COLOR_BLUE;
    gr_forge__excerpt(m, &m->body, gr_json_str(c, "body"));
    if (gr_forge__has(path)) {
        struct gr_buf v;
        gr_buf_init(&v, OUT_MAX);
        gr_forge__code(m, &v, path, NULL);
        gr_forge__field(m, "File", &v);
        gr_buf_cleanup(&v);
    }
}

/* Gitea/Forgejo pull_request_review_{approved,rejected,comment} and GitHub
 * pull_request_review. */
static void review_event(struct msg *m)
{
    bool pr;
    json_t *it = item_of(m, &pr), *r = gr_forge__obj(m->p, "review");
    const char *type = gr_json_str(r, "type"), *state = gr_json_str(r, "state");
    const char *verb = "reviewed";

    m->color = GR_COLOR_BLUE;
    if (strstr(m->event, "approved") || (type && strstr(type, "approved")) ||
        gr_forge__is(state, "approved")) {
        verb = "approved";
        m->color = GR_COLOR_GREEN;
    } else if (strstr(m->event, "rejected") || (type && strstr(type, "rejected")) ||
               gr_forge__is(state, "changes_requested")) {
        verb = "requested changes on";
        m->color = GR_COLOR_ORANGE;
    } else if (gr_forge__is(m->action, "dismissed")) {
        verb = "dismissed a review on";
        m->color = GR_COLOR_GREY;
    }
    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, " ");
    gr_forge__put(m, &m->text, verb);
    gr_forge__put(m, &m->text, " ");
    item_ref(m, it, true, gr_json_str(r, "html_url"));
    gr_forge__in_repo(m);
    gr_forge__excerpt(m, &m->body, gr_forge__any_str(r, "content", "body", (char *)NULL));
}

/* ---- releases, CI runs, the rest ------------------------------------------------------- */

static void release_event(struct msg *m)
{
    json_t *r = gr_forge__obj(m->p, "release");
    const char *tag = gr_json_str(r, "tag_name"),
               *name = gr_forge__any_str(r, "name", (char *)NULL);
    const char *url = gr_json_str(r, "html_url"), *verb = "updated";
    struct gr_buf v;

    m->color = GR_COLOR_BLUE;
    if (gr_forge__is(m->action, "published") || gr_forge__is(m->action, "released") ||
        gr_forge__is(m->action, "created") || gr_forge__is(m->action, "prereleased")) {
        verb = gr_forge__is(m->action, "created") ? "created" : "published";
        m->color = GR_COLOR_GREEN;
    } else if (gr_forge__is(m->action, "deleted")) {
        verb = "deleted";
        url = NULL;
        m->color = GR_COLOR_RED;
    } else if (gr_forge__is(m->action, "unpublished")) {
        verb = "unpublished";
        m->color = GR_COLOR_GREY;
    }
    if (!name)
        name = gr_forge__has(tag) ? tag : "(untitled)";
    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__putf(m, &m->text, " %s %s", verb,
                   gr_forge__flag(r, "draft")        ? "draft release "
                   : gr_forge__flag(r, "prerelease") ? "pre-release "
                                                     : "release ");
    gr_forge__link(m, &m->text, name, url, TITLE_RUNES);
    gr_forge__in_repo(m);
    gr_forge__set_title(m, name, url);
    gr_forge__excerpt(m, &m->body, gr_json_str(r, "body"));
    gr_buf_init(&v, OUT_MAX);
    if (gr_forge__has(tag)) {
        gr_forge__code(m, &v, tag, gr_forge__tree_url(m, &m->u[0], tag, true));
        gr_forge__field(m, "Tag", &v);
    }
    gr_buf_cleanup(&v);
}

static json_t *run_of(struct msg *m, const char **noun)
{
    json_t *r;

    *noun = "Workflow";
    if ((r = gr_forge__obj(m->p, "workflow_run")) || (r = gr_forge__obj(m->p, "run")))
        return r;
    *noun = "Job";
    if ((r = gr_forge__obj(m->p, "workflow_job")))
        return r;
    *noun = "Check";
    return gr_forge__obj(m->p, "check_run");
}

/* Forgejo action_run_{failure,success,recover}, GitHub workflow_run/workflow_job/check_run. */
static void run_event(struct msg *m)
{
    const char *noun, *outcome, *phrase;
    json_t *r = run_of(m, &noun);
    const char *name = gr_forge__any_str(r, "name", "workflow_name", "title", (char *)NULL);
    const char *branch =
            gr_forge__any_str(r, "head_branch", "check_suite.head_branch", (char *)NULL);
    const char *sha = gr_json_str(r, "head_sha");
    struct gr_buf v;
    char s[8];

    outcome = gr_forge__any_str(r, "conclusion", "status", (char *)NULL);
    if (gr_forge__is(m->event, "action_run_failure"))
        outcome = "failure";
    else if (gr_forge__is(m->event, "action_run_success"))
        outcome = "success";
    else if (gr_forge__is(m->event, "action_run_recover"))
        outcome = "recovered";
    phrase = outcome;
    m->color = GR_COLOR_BLUE;
    if (gr_forge__is(outcome, "success")) {
        phrase = "succeeded";
        m->color = GR_COLOR_GREEN;
    } else if (gr_forge__is(outcome, "recovered")) {
        phrase = "is passing again";
        m->color = GR_COLOR_GREEN;
    } else if (gr_forge__is(outcome, "failure") || gr_forge__is(outcome, "startup_failure")) {
        phrase = "failed";
        m->color = GR_COLOR_RED;
    } else if (gr_forge__is(outcome, "timed_out")) {
        phrase = "timed out";
        m->color = GR_COLOR_RED;
    } else if (gr_forge__is(outcome, "cancelled") || gr_forge__is(outcome, "skipped")) {
        phrase = gr_forge__is(outcome, "skipped") ? "was skipped" : "was cancelled";
        m->color = GR_COLOR_GREY;
    } else if (gr_forge__is(outcome, "action_required") || gr_forge__is(outcome, "waiting")) {
        phrase = "is waiting for approval";
        m->color = GR_COLOR_ORANGE;
    } else if (gr_forge__is(outcome, "queued") || gr_forge__is(outcome, "in_progress") ||
               gr_forge__is(outcome, "requested") || gr_forge__is(outcome, "pending") ||
               gr_forge__is(outcome, "running")) {
        phrase = "started";
    }
    gr_forge__putf(m, &m->text, "%s ", noun);
    gr_forge__link(m, &m->text, gr_forge__has(name) ? name : "run", gr_json_str(r, "html_url"),
                   TITLE_RUNES);
    gr_forge__put(m, &m->text, " **");
    gr_forge__esc(m, &m->text, gr_forge__has(phrase) ? phrase : "changed state", 32);
    gr_forge__put(m, &m->text, "**");
    if (gr_forge__has(branch)) {
        gr_forge__put(m, &m->text, " on ");
        gr_forge__code(m, &m->text, branch, gr_forge__tree_url(m, &m->u[0], branch, false));
    }
    gr_forge__in_repo(m);
    gr_forge__set_title(m, gr_forge__has(name) ? name : noun, gr_json_str(r, "html_url"));
    gr_buf_init(&v, OUT_MAX);
    if (gr_forge__has(sha)) {
        gr_forge__code(m, &v, gr_forge__short_sha(sha, s),
                       gr_forge__commit_url(m, &m->u[1], NULL, sha));
        gr_forge__field(m, "Commit", &v);
        gr_buf_reset(&v);
    }
    gr_forge__esc(m, &v, gr_forge__who(m), NAME_RUNES);
    gr_forge__field(m, "Triggered by", &v);
    gr_buf_cleanup(&v);
}

static void ping_event(struct msg *m)
{
    json_t *events = gr_json_path(m->p, "hook.events");
    const char *org = gr_json_str(m->p, "organization.login");
    struct gr_buf v;

    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__putf(m, &m->text, " set up a %s webhook", m->f->name);
    if (gr_forge__repo_name(m)) {
        gr_forge__put(m, &m->text, " for ");
        gr_forge__link(m, &m->text, gr_forge__repo_name(m), gr_forge__repo_url(m), NAME_RUNES);
    } else if (gr_forge__has(org)) {
        gr_forge__put(m, &m->text, " for organization ");
        gr_forge__esc(m, &m->text, org, NAME_RUNES);
    }
    m->color = GR_COLOR_GREEN;
    gr_forge__set_title(m, gr_forge__repo_name(m), gr_forge__repo_url(m));
    gr_forge__excerpt(m, &m->body, gr_json_str(m->p, "zen"));
    gr_buf_init(&v, OUT_MAX);
    for (size_t i = 0, n = 0; i < json_array_size(events); i++) {
        const char *e = json_string_value(json_array_get(events, i));
        if (!gr_forge__has(e))
            continue;
        if (n++ == 12) {
            gr_forge__put(m, &v, " …");
            break;
        }
        if (n > 1)
            gr_forge__put(m, &v, " ");
        gr_forge__code(m, &v, e, NULL);
    }
    gr_forge__field(m, "Events", &v);
    gr_buf_cleanup(&v);
}

static void fork_event(struct msg *m)
{
    /* Gitea's `forkee` is the original and `repository` the fork; GitHub's is the reverse. */
    bool gh = m->f->dialect == GR_FORGE_GITHUB;
    json_t *from = gr_forge__obj(m->p, gh ? "repository" : "forkee");
    json_t *to = gr_forge__obj(m->p, gh ? "forkee" : "repository");

    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, " forked ");
    gr_forge__link(m, &m->text, gr_json_str(from, "full_name"), gr_json_str(from, "html_url"),
                   NAME_RUNES);
    gr_forge__put(m, &m->text, " to ");
    gr_forge__link(m, &m->text, gr_json_str(to, "full_name"), gr_json_str(to, "html_url"),
                   NAME_RUNES);
    m->color = GR_COLOR_BLUE;
    gr_forge__set_title(m, gr_json_str(to, "full_name"), gr_json_str(to, "html_url"));
}

static void star_event(struct msg *m)
{
    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, gr_forge__is(m->action, "deleted") ? " unstarred" : " starred");
    if (gr_forge__repo_name(m)) {
        gr_forge__put(m, &m->text, " ");
        gr_forge__link(m, &m->text, gr_forge__repo_name(m), gr_forge__repo_url(m), NAME_RUNES);
    }
    m->color = GR_COLOR_GREY;
    gr_forge__set_title(m, gr_forge__repo_name(m), gr_forge__repo_url(m));
}

/* Anything else: "**who** triggered `event` (`action`) in [repo](url)" plus what we find. */
static void generic_event(struct msg *m)
{
    static const char *const things[] = {"pull_request", "issue",      "release",
                                         "comment",      "discussion", "package",
                                         "workflow_run", "check_run",  NULL};
    const char *ref = gr_json_str(m->p, "ref"), *page = gr_json_str(m->p, "page");
    struct gr_buf v;

    gr_forge__bold(m, &m->text, gr_forge__who(m));
    gr_forge__put(m, &m->text, " triggered ");
    if (gr_forge__has(m->event))
        gr_forge__code(m, &m->text, m->event, NULL);
    else
        gr_forge__put(m, &m->text, "an event");
    if (gr_forge__has(m->action)) {
        gr_forge__put(m, &m->text, " (");
        gr_forge__code(m, &m->text, m->action, NULL);
        gr_forge__put(m, &m->text, ")");
    }
    gr_forge__in_repo(m);
    m->color = GR_COLOR_GREY;
    gr_forge__set_title(m, gr_forge__repo_name(m), gr_forge__repo_url(m));
    for (size_t i = 0; things[i]; i++) {
        json_t *t = gr_forge__obj(m->p, things[i]);
        const char *title = gr_forge__any_str(t, "title", "name", "tag_name", (char *)NULL);
        if (t && gr_forge__has(title)) {
            gr_forge__set_title(m, title, gr_json_str(t, "html_url"));
            break;
        }
    }
    gr_buf_init(&v, OUT_MAX);
    if (gr_forge__has(ref)) {
        gr_forge__code(m, &v, gr_forge__short_ref(ref), NULL);
        gr_forge__field(m, "Ref", &v);
        gr_buf_reset(&v);
    }
    if (gr_forge__has(page)) {
        gr_forge__esc(m, &v, page, TITLE_RUNES);
        gr_forge__field(m, "Page", &v);
    }
    gr_buf_cleanup(&v);
}

static void dispatch(struct msg *m)
{
    const char *ev = m->event;
    const char *dummy;

    if (gr_forge__is(ev, "push") ||
        (!gr_forge__has(ev) && json_is_array(gr_json_path(m->p, "commits")) &&
         gr_forge__has(gr_json_str(m->p, "ref"))))
        push(m);
    else if (gr_forge__is(ev, "create") || gr_forge__is(ev, "delete"))
        ref_event(m);
    else if (gr_forge__is(ev, "ping"))
        ping_event(m);
    else if (gr_forge__obj(m->p, "release"))
        release_event(m);
    else if (gr_forge__obj(m->p, "comment") &&
             (gr_forge__obj(m->p, "issue") || gr_forge__obj(m->p, "pull_request")))
        comment_event(m);
    else if (gr_forge__obj(m->p, "review") && gr_forge__obj(m->p, "pull_request"))
        review_event(m);
    else if (gr_forge__obj(m->p, "pull_request") || gr_forge__obj(m->p, "issue"))
        item_event(m);
    else if (run_of(m, &dummy))
        run_event(m);
    else if (gr_forge__is(ev, "fork"))
        fork_event(m);
    else if (gr_forge__is(ev, "star") || gr_forge__is(ev, "watch"))
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
