/* SPDX-License-Identifier: MIT */
/*
 * api_users.h - helpers shared by the account resources of api/ only: users.c, bots.c and
 * tokens.c (body parsing, the "me" alias, paging, the common answers). Each helper that
 * refuses a request answers it itself and returns false/NULL, so handlers just return.
 */
#ifndef GR_API_API_USERS_H
#define GR_API_API_USERS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "api/api.h"

/* This thread's store connection, or NULL after answering 503. */
struct gr_store *gr_api__acct_store(struct gr_api *api, struct gr_http_req *r);
/* The JSON body if it is an object (want_array false) or an array (true); else answers 400
 * api.context.invalid_body_param.app_error naming `what` and returns NULL. Caller decrefs. */
json_t *gr_api__acct_body(struct gr_http_req *r, bool want_array, const char *what);
/* Member key of o as a string into *out (NULL when absent or null). false after answering 400
 * when it is present with another type. */
bool gr_api__acct_str(struct gr_http_req *r, json_t *o, const char *key, const char **out);
/* The user id in path parameter `param`, with Mattermost's "me" alias resolved to me->id; false
 * after answering 400 api.context.invalid_url_param.app_error when it is not a 26-char id. */
bool gr_api__acct_user_param(struct gr_http_req *r, const char *param, const struct gr_user *me,
                             char out[GR_ID_SIZE]);
/* A 26-char id from path parameter `param` (answers 400 like above, naming label). */
bool gr_api__acct_id_param(struct gr_http_req *r, const char *param, const char *label,
                           char out[GR_ID_SIZE]);
/* page/per_page query parameters (per_page default 60, clamped to 200) as offset and limit;
 * false after answering 400 for a value that is not a whole number. */
bool gr_api__acct_page(struct gr_http_req *r, size_t *offset_out, size_t *limit_out);
/* True when query parameter name is "true" (any case). */
bool gr_api__acct_flag(struct gr_http_req *r, const char *name);
/* 200 {"status":"OK"}. */
void gr_api__acct_ok(struct gr_http_req *r);
/* 403 api.context.permissions.app_error. */
void gr_api__acct_forbidden(struct gr_http_req *r);

#endif
