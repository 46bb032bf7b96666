/* SPDX-License-Identifier: MIT */
/*
 * store_integ.c - the public face of the integration tables: outgoing webhooks, slash commands,
 * command response URLs (command webhooks) and the kv secrets, with their release helpers.
 *
 * Split out of store.c and written the same way: each gr_store_* call checks its pointers once
 * (so back ends need not), zeroes list out-params (so a failed call leaves them safe to free),
 * and dispatches through the operations vtable (store_int.h). Nothing here touches a database.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

gr_err gr_store_outgoing_insert(struct gr_store *st, const struct gr_outgoing_hook *h)
{
    if (st == NULL || h == NULL)
        return GR_EINVAL;
    return st->ops->outgoing_insert(st, h);
}

gr_err gr_store_outgoing_get(struct gr_store *st, const char *id, struct gr_outgoing_hook *out)
{
    /* Only the heap strings are cleared (so gr_outgoing_hook_cleanup is safe on failure), not
     * the whole struct: id may point into *out, as in gr_store_outgoing_get(st, h.id, &h). */
    if (out != NULL) {
        out->trigger_words = NULL;
        out->callback_urls = NULL;
    }
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->outgoing_get(st, id, out);
}

gr_err gr_store_outgoing_update(struct gr_store *st, const struct gr_outgoing_hook *h)
{
    if (st == NULL || h == NULL)
        return GR_EINVAL;
    return st->ops->outgoing_update(st, h);
}

gr_err gr_store_outgoing_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->outgoing_delete(st, id, now_ms);
}

gr_err gr_store_outgoing_list(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                              struct gr_outgoing_hook_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->outgoing_list(st, team_id != NULL ? team_id : "", offset, limit, out);
}

void gr_outgoing_hook_cleanup(struct gr_outgoing_hook *h)
{
    if (h == NULL)
        return;
    free(h->trigger_words);
    free(h->callback_urls);
    h->trigger_words = NULL;
    h->callback_urls = NULL;
}

void gr_outgoing_hook_list_free(struct gr_outgoing_hook_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        gr_outgoing_hook_cleanup(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_command_insert(struct gr_store *st, const struct gr_command *c)
{
    if (st == NULL || c == NULL)
        return GR_EINVAL;
    return st->ops->command_insert(st, c);
}

gr_err gr_store_command_get(struct gr_store *st, const char *id, struct gr_command *out)
{
    /* No heap strings, so *out is not cleared first: id may point into it. */
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->command_get(st, id, out);
}

gr_err gr_store_command_get_by_trigger(struct gr_store *st, const char *team_id,
                                       const char *trigger, struct gr_command *out)
{
    if (st == NULL || team_id == NULL || trigger == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->command_get_by_trigger(st, team_id, trigger, out);
}

gr_err gr_store_command_update(struct gr_store *st, const struct gr_command *c)
{
    if (st == NULL || c == NULL)
        return GR_EINVAL;
    return st->ops->command_update(st, c);
}

gr_err gr_store_command_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    if (st == NULL || id == NULL)
        return GR_EINVAL;
    return st->ops->command_delete(st, id, now_ms);
}

gr_err gr_store_command_list(struct gr_store *st, const char *team_id, struct gr_command_list *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (st == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->command_list(st, team_id != NULL ? team_id : "", out);
}

void gr_command_list_free(struct gr_command_list *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

gr_err gr_store_command_webhook_insert(struct gr_store *st, const struct gr_command_webhook *w)
{
    if (st == NULL || w == NULL)
        return GR_EINVAL;
    return st->ops->command_webhook_insert(st, w);
}

gr_err gr_store_command_webhook_try_use(struct gr_store *st, const char *id, int64_t not_before_ms,
                                        int max_uses, struct gr_command_webhook *out)
{
    if (st == NULL || id == NULL || out == NULL)
        return GR_EINVAL;
    return st->ops->command_webhook_try_use(st, id, not_before_ms, max_uses, out);
}

gr_err gr_store_command_webhook_expire(struct gr_store *st, int64_t before_ms)
{
    if (st == NULL)
        return GR_EINVAL;
    return st->ops->command_webhook_expire(st, before_ms);
}

gr_err gr_store_kv_get(struct gr_store *st, const char *key, char *value_out, size_t size)
{
    if (value_out != NULL && size > 0)
        value_out[0] = '\0';
    if (st == NULL || key == NULL || value_out == NULL || size == 0)
        return GR_EINVAL;
    return st->ops->kv_get(st, key, value_out, size);
}

gr_err gr_store_kv_put(struct gr_store *st, const char *key, const char *value)
{
    if (st == NULL || key == NULL || value == NULL)
        return GR_EINVAL;
    return st->ops->kv_put(st, key, value);
}

gr_err gr_store_kv_put_new(struct gr_store *st, const char *key, const char *value)
{
    if (st == NULL || key == NULL || value == NULL)
        return GR_EINVAL;
    return st->ops->kv_put_new(st, key, value);
}
