/* SPDX-License-Identifier: MIT */
/*
 * digest.h - merging a hook's backlog into digest posts (a pure function over queued rows).
 *
 * When more than digest_threshold messages wait for one hook, the pacer posts them as digests
 * instead of one by one: a run of consecutive waiting messages that go to the same place and
 * look the same (channel or DM, author, username/icon overrides) becomes one post whose text
 * holds every message, in order, separated by horizontal rules, with every attachment kept.
 * A digest longer than max_runes is split like a webhook message (attachments on the last part).
 */
#ifndef GR_APP_DIGEST_H
#define GR_APP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* True when a and b can share a digest. */
bool gr_digest_same_target(const struct gr_queued *a, const struct gr_queued *b);
/* Length of the run at the start of rows[0..n) that shares rows[0]'s target, at most max. */
size_t gr_digest_run(const struct gr_queued *rows, size_t n, size_t max);
/*
 * Builds the digest of rows[0..n) (one target, n >= 1) into a malloc'd array of posts (fresh
 * ids; user, channel, type, message and props filled; times left 0). Returns GR_OK, or GR_ENOMEM.
 * Free each post with gr_post_cleanup and the array with free().
 */
gr_err gr_digest_build(const struct gr_queued *rows, size_t n, size_t max_runes,
                       struct gr_post **posts_out, size_t *nposts_out);

#endif
