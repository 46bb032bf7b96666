/* SPDX-License-Identifier: MIT */
/*
 * store.c - the public face of the store: URL parsing, back-end choice, and thin dispatch through
 * the operations vtable (store_int.h), in the manner of SQLite's os.c.
 *
 * Nothing here touches a database. Every gr_store_* call checks its pointers once (so back ends
 * need not), zeroes list and post out-params (so a failed call leaves them safe to free), and
 * calls the back end. The list and post release helpers live here too because they are the same
 * for every back end.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *errbuf, size_t errlen, const char *msg)
{
    if (errbuf != NULL && errlen > 0)
        snprintf(errbuf, errlen, "%s", msg);
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

gr_err gr_store_open(const char *url, int flags, struct gr_store **out, char *errbuf, size_t errlen)
{
    const struct gr_store_ops *ops = &gr_sqlite__ops;
    const char *location;
    char ebuf[512];
    gr_err rc;

    if (out == NULL)
        return GR_EINVAL;
    *out = NULL;
    if (url == NULL || *url == '\0') {
        seterr(errbuf, errlen, "empty store URL");
        return GR_EINVAL;
    }
    if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://")) {
        /* TODO(store): store_pg.c; libpq stays inside it. */
        seterr(errbuf, errlen, "PostgreSQL back end not built yet");
        return GR_EINVAL;
    }
    if (has_prefix(url, "sqlite://")) {
        location = url + strlen("sqlite://");
    } else if (has_prefix(url, "sqlite:")) {
        location = url + strlen("sqlite:");
    } else if (strstr(url, "://") != NULL) {
        /* "mysql://..." is almost certainly not meant as a relative file name. */
        seterr(errbuf, errlen, "unknown store URL scheme (use sqlite:PATH or postgres://...)");
        return GR_EINVAL;
    } else {
        location = url;
    }
    if (*location == '\0') {
        seterr(errbuf, errlen, "store URL has no path");
        return GR_EINVAL;
    }

    ebuf[0] = '\0';
    rc = ops->open(location, flags, out, ebuf, sizeof ebuf);
    if (rc != GR_OK) {
        *out = NULL;
        seterr(errbuf, errlen, ebuf[0] != '\0' ? ebuf : gr_err_str(rc));
    }
    return rc;
}

void gr_store_close(struct gr_store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

const char *gr_store_backend(const struct gr_store *st)
{
    return st != NULL ? st->ops->name : "none";
}

gr_err gr_store_begin(struct gr_store *st)
{
    if (st == NULL)
        return GR_EINVAL;
    return st->ops->begin(st);
}

gr_err gr_store_commit(struct gr_store *st)
{
    if (st == NULL)
        return GR_EINVAL;
    return st->ops->commit(st);
}

void gr_store_rollback(struct gr_store *st)
{
    if (st != NULL)
        st->ops->rollback(st);
}

gr_err gr_store_is_empty(struct gr_store *st, bool *empty_out)
{
    if (st == NULL || empty_out == NULL)
        return GR_EINVAL;
    return st->ops->is_empty(st, empty_out);
}

/* Teams. */

gr_err gr_store_team_insert(struct gr_store *st, const struct gr_team *t)
{
    if (st == NULL || t == NULL)
        return GR_EINVAL;
    return st->ops->team_insert(st, t);
}

gr_err gr_store_team_get(struct gr_store *st, const char *id, struct gr_team *out)
{
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->team_get(st, id, out);
}

gr_err gr_store_team_get_by_name(struct gr_store *st, const char *name, struct gr_team *out)
{
    if (st == NULL || name == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->team_get_by_name(st, name, out);
}

/* Channels. */

gr_err gr_store_channel_insert(struct gr_store *st, const struct gr_channel *c)
{
    if (st == NULL || c == NULL)
        return GR_EINVAL;
    return st->ops->channel_insert(st, c);
}

gr_err gr_store_channel_get(struct gr_store *st, const char *id, struct gr_channel *out)
{
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->channel_get(st, id, out);
}

gr_err gr_store_channel_get_by_name(struct gr_store *st, const char *team_id, const char *name,
                                    struct gr_channel *out)
{
    if (st == NULL || name == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->channel_get_by_name(st, team_id != NULL ? team_id : "", name, false, out);
}

gr_err gr_store_channel_lookup_name(struct gr_store *st, const char *team_id, const char *name,
                                    bool include_deleted, struct gr_channel *out)
{
    if (st == NULL || name == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->channel_get_by_name(st, team_id != NULL ? team_id : "", name, include_deleted,
                                        out);
}

gr_err gr_store_channel_list(struct gr_store *st, const char *team_id, struct gr_channel_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || team_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->channel_list(st, team_id, out);
}

void gr_channel_list_free(struct gr_channel_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Users and memberships. */

gr_err gr_store_user_insert(struct gr_store *st, const struct gr_user *u)
{
    if (st == NULL || u == NULL)
        return GR_EINVAL;
    return st->ops->user_insert(st, u);
}

gr_err gr_store_user_get(struct gr_store *st, const char *id, struct gr_user *out)
{
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->user_get(st, id, out);
}

gr_err gr_store_user_get_by_name(struct gr_store *st, const char *username, struct gr_user *out)
{
    if (st == NULL || username == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->user_get_by_name(st, username, out);
}

gr_err gr_store_team_member_add(struct gr_store *st, const char *team_id, const char *user_id)
{
    if (st == NULL || team_id == NULL || user_id == NULL)
        return GR_EINVAL;
    return st->ops->team_member_add(st, team_id, user_id);
}

gr_err gr_store_channel_member_add(struct gr_store *st, const char *channel_id, const char *user_id)
{
    if (st == NULL || channel_id == NULL || user_id == NULL)
        return GR_EINVAL;
    return st->ops->channel_member_add(st, channel_id, user_id);
}

gr_err gr_store_channel_member_is(struct gr_store *st, const char *channel_id, const char *user_id,
                                  bool *is_out)
{
    if (st == NULL || channel_id == NULL || user_id == NULL || is_out == NULL)
        return GR_EINVAL;
    return st->ops->channel_member_is(st, channel_id, user_id, is_out);
}

/* Tokens. */

gr_err gr_store_token_insert(struct gr_store *st, const struct gr_token *t)
{
    if (st == NULL || t == NULL)
        return GR_EINVAL;
    return st->ops->token_insert(st, t);
}

gr_err gr_store_token_get_by_hash(struct gr_store *st, const char *hash, struct gr_token *out)
{
    if (st == NULL || hash == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->token_get_by_hash(st, hash, out);
}

/* ---- Users and tokens ------------------------------------------------------------------------ */

gr_err gr_store_user_update(struct gr_store *st, const struct gr_user *u)
{
    if (st == NULL || u == NULL)
        return GR_EINVAL;
    return st->ops->user_update(st, u);
}

gr_err gr_store_user_get_by_email(struct gr_store *st, const char *email, struct gr_user *out)
{
    if (st == NULL || email == NULL || out == NULL)
        return GR_EINVAL;
    if (email[0] == '\0')
        return GR_ENOTFOUND;
    return st->ops->user_get_by_email(st, email, out);
}

gr_err gr_store_user_password_get(struct gr_store *st, const char *user_id, char *out,
                                  size_t size)
{
    if (out != NULL && size > 0)
        out[0] = '\0';
    if (st == NULL || user_id == NULL || out == NULL || size == 0)
        return GR_EINVAL;
    return st->ops->user_password_get(st, user_id, out, size);
}

gr_err gr_store_user_password_set(struct gr_store *st, const char *user_id, const char *hash,
                                  int64_t now_ms)
{
    if (st == NULL || user_id == NULL || hash == NULL)
        return GR_EINVAL;
    return st->ops->user_password_set(st, user_id, hash, now_ms);
}

gr_err gr_store_user_list_by_ids(struct gr_store *st, const char *const *ids, size_t n,
                                 struct gr_user_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || (ids == NULL && n > 0) || out == NULL)
        return GR_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (ids[i] == NULL)
            return GR_EINVAL;
    return st->ops->user_list_by_ids(st, ids, n, out);
}

gr_err gr_store_bot_list(struct gr_store *st, const char *owner_id, bool include_deleted,
                         bool only_orphaned, size_t offset, size_t limit,
                         struct gr_user_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->bot_list(st, owner_id != NULL ? owner_id : "", include_deleted, only_orphaned,
                             offset, limit, out);
}

void gr_user_list_free(struct gr_user_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_token_get(struct gr_store *st, const char *id, struct gr_token *out)
{
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->token_get(st, id, out);
}

gr_err gr_store_token_list(struct gr_store *st, const char *user_id, const char *kind,
                           size_t offset, size_t limit, struct gr_token_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || kind == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->token_list(st, user_id != NULL ? user_id : "", kind, offset, limit, out);
}

void gr_token_list_free(struct gr_token_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_token_set_active(struct gr_store *st, const char *id, bool is_active)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->token_set_active(st, id, is_active);
}

gr_err gr_store_token_delete(struct gr_store *st, const char *id)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->token_delete(st, id);
}

gr_err gr_store_token_touch(struct gr_store *st, const char *id, int64_t now_ms)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->token_touch(st, id, now_ms);
}

gr_err gr_store_token_delete_user(struct gr_store *st, const char *user_id, const char *kind)
{
    if (st == NULL || user_id == NULL || kind == NULL)
        return GR_EINVAL;
    return st->ops->token_delete_user(st, user_id, kind);
}

gr_err gr_store_token_expire(struct gr_store *st, int64_t now_ms)
{
    if (st == NULL)
        return GR_EINVAL;
    return st->ops->token_expire(st, now_ms);
}

/* ---- end of users and tokens ----------------------------------------------------------------- */

/* Incoming hooks. */

gr_err gr_store_hook_insert(struct gr_store *st, const struct gr_hook *h)
{
    if (st == NULL || h == NULL)
        return GR_EINVAL;
    return st->ops->hook_insert(st, h);
}

gr_err gr_store_hook_get(struct gr_store *st, const char *id, struct gr_hook *out)
{
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->hook_get(st, id, out);
}

gr_err gr_store_hook_update(struct gr_store *st, const struct gr_hook *h)
{
    if (st == NULL || h == NULL)
        return GR_EINVAL;
    return st->ops->hook_update(st, h);
}

gr_err gr_store_hook_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->hook_delete(st, id, now_ms);
}

gr_err gr_store_hook_list(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                          struct gr_hook_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->hook_list(st, team_id != NULL ? team_id : "", offset, limit, out);
}

void gr_hook_list_free(struct gr_hook_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Posts. */

gr_err gr_store_post_insert(struct gr_store *st, const struct gr_post *p)
{
    if (st == NULL || p == NULL)
        return GR_EINVAL;
    return st->ops->post_insert(st, p);
}

gr_err gr_store_post_get(struct gr_store *st, const char *id, struct gr_post *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->post_get(st, id, out);
}

gr_err gr_store_post_list(struct gr_store *st, const char *channel_id, size_t limit,
                          struct gr_post_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || channel_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->post_list(st, channel_id, limit, out);
}

void gr_post_cleanup(struct gr_post *p)
{
    if (p == NULL)
        return;
    free(p->message);
    free(p->props);
    p->message = NULL;
    p->props = NULL;
}

void gr_post_list_free(struct gr_post_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        gr_post_cleanup(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_queue_push(struct gr_store *st, const struct gr_queued *q)
{
    if (st == NULL || q == NULL)
        return GR_EINVAL;
    return st->ops->queue_push(st, q);
}

gr_err gr_store_queue_peek(struct gr_store *st, const char *hook_id, size_t limit,
                           struct gr_queued_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || hook_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->queue_peek(st, hook_id, limit, out);
}

gr_err gr_store_queue_remove(struct gr_store *st, int64_t seq)
{
    if (st == NULL)
        return GR_EINVAL;
    return st->ops->queue_remove(st, seq);
}

gr_err gr_store_queue_depths(struct gr_store *st, struct gr_queue_depth **out, size_t *n_out)
{
    if (out != NULL)
        *out = NULL;
    if (n_out != NULL)
        *n_out = 0;
    if (st == NULL || out == NULL || n_out == NULL)
        return GR_EINVAL;
    return st->ops->queue_depths(st, out, n_out);
}

void gr_queued_list_free(struct gr_queued_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        gr_post_cleanup(&l->v[i].post);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_checkpoint(struct gr_store *st, bool restart, int *wal_pages_out)
{
    if (wal_pages_out != NULL)
        *wal_pages_out = 0;
    if (st == NULL)
        return GR_EINVAL;
    if (st->ops->checkpoint == NULL)
        return GR_OK;
    return st->ops->checkpoint(st, restart, wal_pages_out);
}

gr_err gr_store_dir_gen(struct gr_store *st, int64_t *gen_out)
{
    if (gen_out != NULL)
        *gen_out = 0;
    if (st == NULL || gen_out == NULL)
        return GR_EINVAL;
    return st->ops->dir_gen(st, gen_out);
}

gr_err gr_store_delivery_seen(struct gr_store *st, const char *hook_id, const char *delivery_id,
                              int64_t now_ms, bool *dup_out)
{
    if (st == NULL || hook_id == NULL || delivery_id == NULL || dup_out == NULL)
        return GR_EINVAL;
    return st->ops->delivery_seen(st, hook_id, delivery_id, now_ms, dup_out);
}

gr_err gr_store_delivery_exists(struct gr_store *st, const char *hook_id, const char *delivery_id,
                                int64_t since_ms, bool *exists_out)
{
    if (st == NULL || hook_id == NULL || delivery_id == NULL || exists_out == NULL)
        return GR_EINVAL;
    return st->ops->delivery_exists(st, hook_id, delivery_id, since_ms, exists_out);
}

gr_err gr_store_delivery_expire(struct gr_store *st, int64_t before_ms)
{
    if (st == NULL)
        return GR_EINVAL;
    return st->ops->delivery_expire(st, before_ms);
}

/* ---- channels, posts, reactions (the REST surface) ---- */

gr_err gr_store_team_member_is(struct gr_store *st, const char *team_id, const char *user_id,
                               bool *is_out)
{
    if (st == NULL || team_id == NULL || user_id == NULL || is_out == NULL)
        return GR_EINVAL;
    return st->ops->team_member_is(st, team_id, user_id, is_out);
}

gr_err gr_store_user_teams(struct gr_store *st, const char *user_id, struct gr_team_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || user_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->user_teams(st, user_id, out);
}

void gr_team_list_free(struct gr_team_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_user_channels(struct gr_store *st, const char *user_id, const char *team_id,
                              bool include_deleted, struct gr_channel_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || user_id == NULL || team_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->user_channels(st, user_id, team_id, include_deleted, out);
}

gr_err gr_store_channel_members(struct gr_store *st, const char *channel_id, size_t offset,
                                size_t limit, struct gr_channel_member_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || channel_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->channel_members(st, channel_id, offset, limit, out);
}

gr_err gr_store_channel_member_get(struct gr_store *st, const char *channel_id, const char *user_id,
                                   struct gr_channel_member *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || channel_id == NULL || user_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->channel_member_get(st, channel_id, user_id, out);
}

gr_err gr_store_channel_member_remove(struct gr_store *st, const char *channel_id,
                                      const char *user_id)
{
    if (st == NULL || channel_id == NULL || user_id == NULL)
        return GR_EINVAL;
    return st->ops->channel_member_remove(st, channel_id, user_id);
}

void gr_channel_member_list_free(struct gr_channel_member_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_post_update(struct gr_store *st, const struct gr_post *p)
{
    if (st == NULL || p == NULL)
        return GR_EINVAL;
    return st->ops->post_update(st, p);
}

gr_err gr_store_post_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->post_delete(st, id, now_ms);
}

gr_err gr_store_post_thread(struct gr_store *st, const char *root_id, struct gr_post_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || root_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->post_thread(st, root_id, out);
}

gr_err gr_store_post_page(struct gr_store *st, const struct gr_post_query *q,
                          struct gr_post_page *out)
{
    struct gr_post_query qq;

    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || q == NULL || q->channel_id == NULL || out == NULL)
        return GR_EINVAL;
    qq = *q;
    if (qq.before == NULL)
        qq.before = "";
    if (qq.after == NULL)
        qq.after = "";
    return st->ops->post_page(st, &qq, out);
}

void gr_post_page_free(struct gr_post_page *p)
{
    if (p == NULL)
        return;
    gr_post_list_free(&p->list);
    p->prev_post_id[0] = '\0';
    p->next_post_id[0] = '\0';
}

gr_err gr_store_post_get_pending(struct gr_store *st, const char *user_id,
                                 const char *pending_post_id, int64_t since_ms, struct gr_post *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || user_id == NULL || pending_post_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->post_get_pending(st, user_id, pending_post_id, since_ms, out);
}

gr_err gr_store_reaction_put(struct gr_store *st, const struct gr_reaction *r)
{
    if (st == NULL || r == NULL)
        return GR_EINVAL;
    return st->ops->reaction_put(st, r);
}

gr_err gr_store_reaction_delete(struct gr_store *st, const char *post_id, const char *user_id,
                                const char *emoji_name, int64_t now_ms)
{
    if (st == NULL || post_id == NULL || user_id == NULL || emoji_name == NULL)
        return GR_EINVAL;
    return st->ops->reaction_delete(st, post_id, user_id, emoji_name, now_ms);
}

gr_err gr_store_reaction_list(struct gr_store *st, const char *post_id,
                              struct gr_reaction_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || post_id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->reaction_list(st, post_id, out);
}

void gr_reaction_list_free(struct gr_reaction_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int meta_cmp(const void *a, const void *b)
{
    return strcmp(((const struct gr_post_meta *)a)->post_id,
                  ((const struct gr_post_meta *)b)->post_id);
}

gr_err gr_store_post_meta(struct gr_store *st, const struct gr_post *posts, size_t n,
                          bool with_reactions, struct gr_post_meta_list *out)
{
    const struct gr_reaction_list *rl;
    size_t k = 0, w = 0;
    gr_err rc;

    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || (posts == NULL && n > 0) || out == NULL)
        return GR_EINVAL;
    if (n == 0)
        return GR_OK;
    rc = st->ops->post_meta(st, posts, n, with_reactions, out);
    if (rc != GR_OK) {
        gr_post_meta_list_free(out);
        return rc;
    }
    /* Sorted by post id (duplicates asked twice kept once) for gr_post_meta_find; the back end
     * returns reactions grouped by post in the same byte order, so one merge pass links them. */
    qsort(out->v, out->n, sizeof *out->v, meta_cmp);
    for (size_t i = 0; i < out->n; i++)
        if (w == 0 || strcmp(out->v[w - 1].post_id, out->v[i].post_id) != 0)
            out->v[w++] = out->v[i];
    out->n = w;
    rl = &out->reactions;
    for (size_t i = 0; i < out->n; i++) {
        struct gr_post_meta *m = &out->v[i];
        m->reactions = NULL;
        m->nreactions = 0;
        while (k < rl->n && strcmp(rl->v[k].post_id, m->post_id) < 0)
            k++;
        if (k < rl->n && strcmp(rl->v[k].post_id, m->post_id) == 0)
            m->reactions = &rl->v[k];
        while (k < rl->n && strcmp(rl->v[k].post_id, m->post_id) == 0) {
            m->nreactions++;
            k++;
        }
    }
    return GR_OK;
}

const struct gr_post_meta *gr_post_meta_find(const struct gr_post_meta_list *l, const char *post_id)
{
    struct gr_post_meta key;

    if (l == NULL || l->n == 0 || post_id == NULL)
        return NULL;
    snprintf(key.post_id, sizeof key.post_id, "%s", post_id);
    return bsearch(&key, l->v, l->n, sizeof *l->v, meta_cmp);
}

void gr_post_meta_list_free(struct gr_post_meta_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
    gr_reaction_list_free(&l->reactions);
}
