/* SPDX-License-Identifier: MIT */
/*
 * shapes.h - Mattermost JSON shapes (spec mattermost-compat §5.6, §5.7, §1.12) for griot's
 * stored objects. Each returns a new jansson reference the caller owns (never NULL: allocation
 * failure aborts inside jansson's callers here only if memory is exhausted).
 */
#ifndef GR_APP_SHAPES_H
#define GR_APP_SHAPES_H

#include <jansson.h>

#include "store/store.h"

json_t *gr_shape_post(const struct gr_post *p);
/* PostList: order newest first, posts map, next_post_id/prev_post_id "", has_next false. */
json_t *gr_shape_post_list(const struct gr_post_list *l);
json_t *gr_shape_channel(const struct gr_channel *c);
json_t *gr_shape_team(const struct gr_team *t);
json_t *gr_shape_user(const struct gr_user *u);
/* IncomingWebhook, plus griot's rate-limit fields (rate, burst, over_limit) when set. */
json_t *gr_shape_hook(const struct gr_hook *h);

#endif
