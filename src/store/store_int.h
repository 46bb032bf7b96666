/* SPDX-License-Identifier: MIT */
/*
 * store_int.h - what store.c shares with the back ends: the operations vtable and the common
 * header every back end's connection struct starts with (after SQLite's os.c/pMethods and curl's
 * vtls_int.h).
 *
 * store.c owns the public functions of store.h. It parses the URL, picks a back end, checks the
 * arguments every back end would otherwise check again (NULL pointers), clears list and post
 * out-params, and then calls through `st->ops`. A back end therefore may assume that every pointer
 * it receives is non-NULL, and that list/post out-params start zeroed. It must leave a list empty
 * and a post's heap strings NULL when it fails, so the caller's _free/_cleanup stays safe.
 *
 * Adding a back end (PostgreSQL, store_pg.c): define a struct whose first member is
 * `struct gr_store base`, fill in one `struct gr_store_ops` with every member set (no NULLs), and
 * add a row to the back-end table in store.c. The contract suite in tests/unit/test_store.c then
 * runs on it unchanged.
 */
#ifndef GR_STORE_STORE_INT_H
#define GR_STORE_STORE_INT_H

#include "store/store.h"

struct gr_store_ops {
    const char *name; /* "sqlite", "postgres" */

    /* `location` is the URL with the scheme already resolved by store.c: a file path or
     * ":memory:" for SQLite, the full URL for PostgreSQL. errbuf is never NULL and errlen > 0. */
    gr_err (*open)(const char *location, int flags, struct gr_store **out, char *errbuf,
                   size_t errlen);
    void (*close)(struct gr_store *st);

    gr_err (*begin)(struct gr_store *st);
    gr_err (*commit)(struct gr_store *st);
    void (*rollback)(struct gr_store *st);
    gr_err (*checkpoint)(struct gr_store *st, bool restart, int *wal_pages_out);

    gr_err (*is_empty)(struct gr_store *st, bool *empty_out);
    gr_err (*dir_gen)(struct gr_store *st, int64_t *gen_out);

    gr_err (*team_insert)(struct gr_store *st, const struct gr_team *t);
    gr_err (*team_get)(struct gr_store *st, const char *id, struct gr_team *out);
    gr_err (*team_get_by_name)(struct gr_store *st, const char *name, struct gr_team *out);

    gr_err (*channel_insert)(struct gr_store *st, const struct gr_channel *c);
    gr_err (*channel_get)(struct gr_store *st, const char *id, struct gr_channel *out);
    gr_err (*channel_get_by_name)(struct gr_store *st, const char *team_id, const char *name,
                                  bool include_deleted, struct gr_channel *out);
    gr_err (*channel_list)(struct gr_store *st, const char *team_id, struct gr_channel_list *out);

    gr_err (*user_insert)(struct gr_store *st, const struct gr_user *u);
    gr_err (*user_get)(struct gr_store *st, const char *id, struct gr_user *out);
    gr_err (*user_get_by_name)(struct gr_store *st, const char *username, struct gr_user *out);
    gr_err (*team_member_add)(struct gr_store *st, const char *team_id, const char *user_id);
    gr_err (*channel_member_add)(struct gr_store *st, const char *channel_id, const char *user_id);
    gr_err (*channel_member_is)(struct gr_store *st, const char *channel_id, const char *user_id,
                                bool *is_out);

    gr_err (*token_insert)(struct gr_store *st, const struct gr_token *t);
    gr_err (*token_get_by_hash)(struct gr_store *st, const char *hash, struct gr_token *out);

    /* users and tokens (store.h "Users and tokens"); owner_id and user_id of the list
     * operations are never NULL here: store.c turns NULL into "". */
    gr_err (*user_update)(struct gr_store *st, const struct gr_user *u);
    gr_err (*user_get_by_email)(struct gr_store *st, const char *email, struct gr_user *out);
    gr_err (*user_password_get)(struct gr_store *st, const char *user_id, char *out,
                                 size_t size);
    gr_err (*user_password_set)(struct gr_store *st, const char *user_id, const char *hash,
                                 int64_t now_ms);
    gr_err (*user_list_by_ids)(struct gr_store *st, const char *const *ids, size_t n,
                                struct gr_user_list *out);
    gr_err (*bot_list)(struct gr_store *st, const char *owner_id, bool include_deleted,
                       bool only_orphaned, size_t offset, size_t limit,
                       struct gr_user_list *out);
    gr_err (*token_get)(struct gr_store *st, const char *id, struct gr_token *out);
    gr_err (*token_list)(struct gr_store *st, const char *user_id, const char *kind,
                         size_t offset, size_t limit, struct gr_token_list *out);
    gr_err (*token_set_active)(struct gr_store *st, const char *id, bool is_active);
    gr_err (*token_delete)(struct gr_store *st, const char *id);
    gr_err (*token_touch)(struct gr_store *st, const char *id, int64_t now_ms);
    gr_err (*token_delete_user)(struct gr_store *st, const char *user_id, const char *kind);
    gr_err (*token_expire)(struct gr_store *st, int64_t now_ms);

    gr_err (*hook_insert)(struct gr_store *st, const struct gr_hook *h);
    gr_err (*hook_get)(struct gr_store *st, const char *id, struct gr_hook *out);
    gr_err (*hook_update)(struct gr_store *st, const struct gr_hook *h);
    gr_err (*hook_delete)(struct gr_store *st, const char *id, int64_t now_ms);
    /* team_id is never NULL here: store.c turns NULL into "". */
    gr_err (*hook_list)(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                        struct gr_hook_list *out);

    gr_err (*post_insert)(struct gr_store *st, const struct gr_post *p);
    gr_err (*post_get)(struct gr_store *st, const char *id, struct gr_post *out);
    gr_err (*post_list)(struct gr_store *st, const char *channel_id, size_t limit,
                        struct gr_post_list *out);

    gr_err (*delivery_seen)(struct gr_store *st, const char *hook_id, const char *delivery_id,
                            int64_t now_ms, bool *dup_out);
    gr_err (*delivery_exists)(struct gr_store *st, const char *hook_id, const char *delivery_id,
                              int64_t since_ms, bool *exists_out);
    gr_err (*delivery_expire)(struct gr_store *st, int64_t before_ms);
    gr_err (*queue_push)(struct gr_store *st, const struct gr_queued *q);
    gr_err (*queue_peek)(struct gr_store *st, const char *hook_id, size_t limit,
                         struct gr_queued_list *out);
    gr_err (*queue_remove)(struct gr_store *st, int64_t seq);
    gr_err (*queue_depths)(struct gr_store *st, struct gr_queue_depth **out, size_t *n_out);

    /* channels, posts, reactions (the REST surface) */
    gr_err (*team_member_is)(struct gr_store *st, const char *team_id, const char *user_id,
                             bool *is_out);
    gr_err (*user_teams)(struct gr_store *st, const char *user_id, struct gr_team_list *out);
    gr_err (*user_channels)(struct gr_store *st, const char *user_id, const char *team_id,
                            bool include_deleted, struct gr_channel_list *out);
    gr_err (*channel_members)(struct gr_store *st, const char *channel_id, size_t offset,
                              size_t limit, struct gr_channel_member_list *out);
    gr_err (*channel_member_get)(struct gr_store *st, const char *channel_id, const char *user_id,
                                 struct gr_channel_member *out);
    gr_err (*channel_member_remove)(struct gr_store *st, const char *channel_id,
                                    const char *user_id);
    gr_err (*post_update)(struct gr_store *st, const struct gr_post *p);
    gr_err (*post_delete)(struct gr_store *st, const char *id, int64_t now_ms);
    gr_err (*post_thread)(struct gr_store *st, const char *root_id, struct gr_post_list *out);
    /* q->before/after are never NULL here ("" = none). */
    gr_err (*post_page)(struct gr_store *st, const struct gr_post_query *q,
                        struct gr_post_page *out);
    gr_err (*post_get_pending)(struct gr_store *st, const char *user_id,
                               const char *pending_post_id, int64_t since_ms, struct gr_post *out);
    gr_err (*reaction_put)(struct gr_store *st, const struct gr_reaction *r);
    gr_err (*reaction_delete)(struct gr_store *st, const char *post_id, const char *user_id,
                              const char *emoji_name, int64_t now_ms);
    gr_err (*reaction_list)(struct gr_store *st, const char *post_id, struct gr_reaction_list *out);
    /* n > 0 here; the back end fills out->v (any order) and out->reactions, store.c sorts the
     * entries and points them at their reactions. */
    gr_err (*post_meta)(struct gr_store *st, const struct gr_post *posts, size_t n,
                        bool with_reactions, struct gr_post_meta_list *out);

    /* integrations: outgoing hooks, slash commands, response URLs, kv (store.h "integrations");
     * team_id of the list operations is never NULL here: store.c turns NULL into "". */
    gr_err (*outgoing_insert)(struct gr_store *st, const struct gr_outgoing_hook *h);
    gr_err (*outgoing_get)(struct gr_store *st, const char *id, struct gr_outgoing_hook *out);
    gr_err (*outgoing_update)(struct gr_store *st, const struct gr_outgoing_hook *h);
    gr_err (*outgoing_delete)(struct gr_store *st, const char *id, int64_t now_ms);
    gr_err (*outgoing_list)(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                            struct gr_outgoing_hook_list *out);
    gr_err (*command_insert)(struct gr_store *st, const struct gr_command *c);
    gr_err (*command_get)(struct gr_store *st, const char *id, struct gr_command *out);
    gr_err (*command_get_by_trigger)(struct gr_store *st, const char *team_id, const char *trigger,
                                     struct gr_command *out);
    gr_err (*command_update)(struct gr_store *st, const struct gr_command *c);
    gr_err (*command_delete)(struct gr_store *st, const char *id, int64_t now_ms);
    gr_err (*command_list)(struct gr_store *st, const char *team_id, struct gr_command_list *out);
    gr_err (*command_webhook_insert)(struct gr_store *st, const struct gr_command_webhook *w);
    gr_err (*command_webhook_try_use)(struct gr_store *st, const char *id, int64_t not_before_ms,
                                      int max_uses, struct gr_command_webhook *out);
    gr_err (*command_webhook_expire)(struct gr_store *st, int64_t before_ms);
    /* value_out is never NULL and size > 0 here. */
    gr_err (*kv_get)(struct gr_store *st, const char *key, char *value_out, size_t size);
    gr_err (*kv_put)(struct gr_store *st, const char *key, const char *value);
    gr_err (*kv_put_new)(struct gr_store *st, const char *key, const char *value);
};

/* The common header: every back end's connection struct begins with this. */
struct gr_store {
    const struct gr_store_ops *ops;
};

/* The back ends built into this griot. */
extern const struct gr_store_ops gr_sqlite__ops;

#endif
