/* SPDX-License-Identifier: MIT */
/*
 * posts.c - reading posts over REST (spec mattermost-compat §5.4, §5.6): one post, a thread,
 * and a channel's posts with Mattermost's page/per_page/since/before/after semantics and its
 * next_post_id/prev_post_id cursor rules (app/post.go AddCursorIdsForPostList).
 *
 * Reads run on the caller's read connection. Deleted posts are 404 to everyone; a channel page
 * shows them only to admins who ask (include_deleted) and to `since` readers, who need to see
 * deletions to sync. Every Post sent carries its thread's reply_count and its reactions
 * (gr_store_post_meta: two reads per answer, however many posts it holds).
 */
#include "app/rest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/shapes.h"
#include "core/xalloc.h"

gr_err gr_rest__shape_post(struct gr_store *st, const struct gr_post *p, json_t **out)
{
    struct gr_post_meta_list meta;
    gr_err rc;

    *out = NULL;
    rc = gr_store_post_meta(st, p, 1, true, &meta);
    if (rc != GR_OK)
        return rc;
    *out = gr_shape_post(p);
    gr_shape_post_add_meta(*out, gr_post_meta_find(&meta, p->id));
    gr_post_meta_list_free(&meta);
    return GR_OK;
}

/* The meta of the posts of a and b together (b may be NULL), in one batch. */
static gr_err meta_of(struct gr_store *st, const struct gr_post_list *a,
                      const struct gr_post_list *b, struct gr_post_meta_list *out)
{
    size_t nb = b ? b->n : 0;
    struct gr_post *all;
    gr_err rc;

    if (nb == 0)
        return gr_store_post_meta(st, a->v, a->n, true, out);
    /* Shallow copies: the store reads only the ids; nothing here is freed through them. */
    all = gr_xmalloc((a->n + nb) * sizeof *all);
    if (a->n)
        memcpy(all, a->v, a->n * sizeof *all);
    memcpy(all + a->n, b->v, nb * sizeof *all);
    rc = gr_store_post_meta(st, all, a->n + nb, true, out);
    free(all);
    return rc;
}

int gr_rest_post_get(const struct gr_rest_ctx *c, const char *id, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_channel ch;
    struct gr_post p = {0};
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    code = gr_rest__load_post(st, c->user, id, &p, &ch, e);
    if (code)
        return code;
    rc = gr_rest__shape_post(st, &p, out);
    gr_post_cleanup(&p);
    return rc == GR_OK ? 200 : gr_rest__store_fail(e, rc);
}

int gr_rest_post_thread(const struct gr_rest_ctx *c, const char *id, json_t **out,
                        struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_post_page page;
    struct gr_post_meta_list meta;
    struct gr_channel ch;
    struct gr_post p = {0};
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    code = gr_rest__load_post(st, c->user, id, &p, &ch, e);
    if (code)
        return code;
    /* A reply's thread is its root's. */
    memset(&page, 0, sizeof page);
    rc = gr_store_post_thread(st, p.root_id[0] ? p.root_id : p.id, &page.list);
    gr_post_cleanup(&p);
    if (rc == GR_OK)
        rc = gr_store_post_meta(st, page.list.v, page.list.n, true, &meta);
    if (rc != GR_OK) {
        gr_post_page_free(&page);
        return gr_rest__store_fail(e, rc);
    }
    *out = gr_shape_post_page(&page, NULL, &meta);
    gr_post_meta_list_free(&meta);
    gr_post_page_free(&page);
    return 200;
}

/* The roots of the replies in l that l does not hold itself, for the PostList's posts map. */
static gr_err thread_roots(struct gr_store *st, const struct gr_post_list *l,
                           struct gr_post_list *extra)
{
    size_t cap = 0;

    for (size_t i = 0; i < l->n; i++) {
        const char *root = l->v[i].root_id;
        bool have = root[0] == '\0';
        gr_err rc;

        for (size_t k = 0; !have && k < l->n; k++)
            have = strcmp(l->v[k].id, root) == 0;
        for (size_t k = 0; !have && k < extra->n; k++)
            have = strcmp(extra->v[k].id, root) == 0;
        if (have)
            continue;
        if (extra->n == cap) {
            cap = cap ? cap * 2 : 8;
            extra->v = gr_xrealloc(extra->v, cap * sizeof *extra->v);
        }
        memset(&extra->v[extra->n], 0, sizeof extra->v[extra->n]);
        rc = gr_store_post_get(st, root, &extra->v[extra->n]);
        if (rc == GR_ENOTFOUND)
            continue;
        if (rc != GR_OK)
            return rc;
        if (extra->v[extra->n].delete_at != 0)
            gr_post_cleanup(&extra->v[extra->n]);
        else
            extra->n++;
    }
    return GR_OK;
}

/* Mattermost's cursor rules: for `after` and `before` on the first page the cursor itself is
 * the neighbour on that side, and a short page has nothing further on the far side. */
static void cursor_rules(struct gr_post_page *pg, const struct gr_post_query *q, size_t per_page)
{
    if (q->since > 0) {
        pg->next_post_id[0] = pg->prev_post_id[0] = '\0';
    } else if (q->after && q->after[0]) {
        if (q->offset == 0)
            snprintf(pg->prev_post_id, sizeof pg->prev_post_id, "%s", q->after);
        if (pg->list.n < per_page)
            pg->next_post_id[0] = '\0';
    } else if (q->before && q->before[0]) {
        if (q->offset == 0)
            snprintf(pg->next_post_id, sizeof pg->next_post_id, "%s", q->before);
        if (pg->list.n < per_page)
            pg->prev_post_id[0] = '\0';
    }
}

static int parse_query(const struct gr_rest_posts_query *rq, const struct gr_user *u,
                       struct gr_post_query *q, size_t *per_page, struct gr_apperr *e)
{
    struct gr_rest_paging pg;
    char *end;

    gr_rest_paging_parse(rq->page, rq->per_page, &pg, e);
    *per_page = pg.per_page;
    q->offset = pg.page * pg.per_page;
    q->limit = pg.per_page;
    if (rq->since && rq->since[0]) {
        long long v = strtoll(rq->since, &end, 10);
        if (*end != '\0' || v < 0)
            return gr_rest__bad_url(e, "since");
        q->since = v;
    }
    if (rq->after && rq->after[0]) {
        if (!gr_id_is_valid(rq->after))
            return gr_rest__bad_url(e, "after");
        q->after = rq->after;
    }
    if (rq->before && rq->before[0]) {
        if (!gr_id_is_valid(rq->before))
            return gr_rest__bad_url(e, "before");
        q->before = rq->before;
    }
    /* Only admins may see deleted posts in a page (Mattermost: read_deleted_posts). */
    q->include_deleted =
            rq->include_deleted && strcmp(rq->include_deleted, "true") == 0 && gr_rest__is_admin(u);
    return 0;
}

int gr_rest_channel_posts(const struct gr_rest_ctx *c, const char *id,
                          const struct gr_rest_posts_query *rq, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_post_query q = {0};
    struct gr_post_page page = {0};
    struct gr_post_list extra = {0};
    struct gr_post_meta_list meta = {0};
    struct gr_channel ch;
    enum gr_rest_access acc;
    size_t per_page;
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    code = gr_rest__load_channel(st, c->user, id, &ch, &acc, e);
    if (code)
        return code;
    code = parse_query(rq, c->user, &q, &per_page, e);
    if (code)
        return code;
    q.channel_id = ch.id;
    rc = gr_store_post_page(st, &q, &page);
    if (rc == GR_OK)
        rc = thread_roots(st, &page.list, &extra);
    if (rc == GR_OK)
        rc = meta_of(st, &page.list, &extra, &meta);
    if (rc != GR_OK) {
        code = gr_rest__store_fail(e, rc);
        goto out;
    }
    cursor_rules(&page, &q, per_page);
    *out = gr_shape_post_page(&page, &extra, &meta);
    code = 200;
out:
    gr_post_page_free(&page);
    gr_post_list_free(&extra);
    gr_post_meta_list_free(&meta);
    return code;
}
