/* SPDX-License-Identifier: MIT */
/* digest.c - see digest.h. */
#include "app/digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/id.h"
#include "core/utf8.h"
#include "core/xalloc.h"

static const char *const override_keys[] = {"override_username", "override_icon_url",
                                            "override_icon_emoji"};

static bool same_prop(json_t *a, json_t *b, const char *key)
{
    json_t *x = json_object_get(a, key), *y = json_object_get(b, key);
    if (x == NULL || y == NULL)
        return x == y;
    return json_equal(x, y);
}

bool gr_digest_same_target(const struct gr_queued *a, const struct gr_queued *b)
{
    json_t *pa, *pb;
    bool same = true;

    if (strcmp(a->post.channel_id, b->post.channel_id) != 0 ||
        strcmp(a->dm_user_id, b->dm_user_id) != 0 ||
        strcmp(a->post.user_id, b->post.user_id) != 0 ||
        strcmp(a->post.root_id, b->post.root_id) != 0)
        return false;
    pa = json_loads(a->post.props ? a->post.props : "{}", 0, NULL);
    pb = json_loads(b->post.props ? b->post.props : "{}", 0, NULL);
    for (size_t i = 0; i < sizeof override_keys / sizeof override_keys[0] && same; i++)
        same = same_prop(pa, pb, override_keys[i]);
    json_decref(pa);
    json_decref(pb);
    return same;
}

size_t gr_digest_run(const struct gr_queued *rows, size_t n, size_t max)
{
    size_t k = 1;

    if (n == 0)
        return 0;
    while (k < n && k < max && gr_digest_same_target(&rows[0], &rows[k]))
        k++;
    return k;
}

static void fill(struct gr_post *p, const struct gr_queued *first, const char *msg, size_t len,
                 json_t *props, bool has_att)
{
    memset(p, 0, sizeof *p);
    gr_id_new_sorted(p->id);
    memcpy(p->user_id, first->post.user_id, GR_ID_SIZE);
    memcpy(p->channel_id, first->post.channel_id, GR_ID_SIZE);
    memcpy(p->root_id, first->post.root_id, GR_ID_SIZE);
    snprintf(p->type, sizeof p->type, "%s", has_att ? "slack_attachment" : first->post.type);
    p->message = gr_xstrndup(msg, len);
    p->props = json_dumps(props, JSON_COMPACT);
    if (p->props == NULL)
        p->props = gr_xstrdup("{}");
}

gr_err gr_digest_build(const struct gr_queued *rows, size_t n, size_t max_runes,
                       struct gr_post **posts_out, size_t *nposts_out)
{
    struct gr_buf text;
    json_t *base = NULL, *atts = json_array(), *plain = NULL;
    struct gr_post *posts = NULL;
    size_t nposts = 0, off = 0, nmsg = 0;
    gr_err rc = GR_OK;

    *posts_out = NULL;
    *nposts_out = 0;
    gr_buf_init(&text, GR_BUF_UNBOUNDED);
    for (size_t i = 0; i < n; i++) {
        json_t *pr = json_loads(rows[i].post.props ? rows[i].post.props : "{}", 0, NULL);
        json_t *a = json_object_get(pr, "attachments");
        if (base == NULL && json_is_object(pr))
            base = json_deep_copy(pr);
        if (json_is_array(a))
            json_array_extend(atts, a);
        json_decref(pr);
        if (rows[i].post.message && rows[i].post.message[0])
            nmsg++;
    }
    if (base == NULL)
        base = json_object();
    json_object_del(base, "attachments");
    json_object_set_new(base, "griot_digest_count", json_integer((json_int_t)n));
    rc = gr_buf_printf(&text,
                       "**%zu messages** arrived faster than this webhook's rate limit; griot "
                       "merged them into this digest.",
                       n);
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        const char *m = rows[i].post.message;
        if (m == NULL || m[0] == '\0')
            continue;
        rc = gr_buf_appends(&text, "\n\n---\n\n");
        if (rc == GR_OK)
            rc = gr_buf_appends(&text, m);
    }
    if (rc != GR_OK)
        goto out;
    (void)nmsg;
    plain = json_deep_copy(base);
    /* Split into parts of at most max_runes code points; attachments go on the last part. */
    do {
        size_t cut = off + gr_utf8_offset(text.p + off, text.len - off, max_runes);
        bool last = cut >= text.len;
        posts = gr_xrealloc(posts, (nposts + 1) * sizeof *posts);
        if (last && json_array_size(atts) > 0) {
            json_t *with = json_deep_copy(base);
            json_object_set(with, "attachments", atts);
            fill(&posts[nposts++], &rows[0], text.p + off, cut - off, with, true);
            json_decref(with);
        } else {
            fill(&posts[nposts++], &rows[0], text.p + off, cut - off, plain, false);
        }
        off = cut;
    } while (off < text.len);
    *posts_out = posts;
    *nposts_out = nposts;
out:
    json_decref(base);
    json_decref(plain);
    json_decref(atts);
    gr_buf_cleanup(&text);
    return rc;
}
