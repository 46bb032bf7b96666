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
/* User as its owner sees it (email included; never a password). Others get gr_shape_user_for. */
json_t *gr_shape_user(const struct gr_user *u);
/* IncomingWebhook, plus griot's rate-limit fields (rate, burst, over_limit) when set. */
json_t *gr_shape_hook(const struct gr_hook *h);

/* ---- channels, posts, reactions (shapes_rest.c) ---- */
/* Adds to a Post shape (gr_shape_post's) what Mattermost computes on read (store.h struct
 * gr_post_meta): reply_count, has_reactions (only when true: Go's omitempty) and
 * metadata.reactions (an array of Reaction, only when there is one). m NULL changes nothing. */
void gr_shape_post_add_meta(json_t *post, const struct gr_post_meta *m);
/* PostList of a page: order = page->list (newest first), posts = those plus `extra` (e.g. the
 * roots of replies, not in order; may be NULL), next_post_id/prev_post_id as given; each post
 * with its entry of meta (may be NULL). */
json_t *gr_shape_post_page(const struct gr_post_page *page, const struct gr_post_list *extra,
                           const struct gr_post_meta_list *meta);
json_t *gr_shape_reaction(const struct gr_reaction *r);
/* ChannelMember (Mattermost's member object with default notify props). */
json_t *gr_shape_channel_member(const struct gr_channel_member *m);

/* ---- users, bots, tokens (shapes_users.c) ---- */
/* User as viewer sees it (spec §5.7): the user themself and system admins get gr_shape_user;
 * anyone else a sanitised copy (email "", no last_password_update). viewer NULL = sanitised. */
json_t *gr_shape_user_for(const struct gr_user *viewer, const struct gr_user *u);
/* Bot (server/public/model/bot.go) from a bot's user row: user_id, username, display_name and
 * description (omitempty), owner_id, create_at, update_at, delete_at. */
json_t *gr_shape_bot(const struct gr_user *bot);
/* UserAccessToken: id, user_id, description, is_active, expires_at, and `token` only when
 * secret is not NULL (the one time it is shown, at creation). */
json_t *gr_shape_access_token(const struct gr_token *t, const char *secret);

#endif
