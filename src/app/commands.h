/* SPDX-License-Identifier: MIT */
/*
 * commands.h - slash commands (spec mattermost-compat §3), the use cases behind
 * /api/v4/commands*, /hooks/commands/{id} and `griot command`:
 *
 *   commands.c      POST /api/v4/commands/execute: custom commands called through the
 *                   outbound engine, then the response handling of §3.5 shared with the
 *                   response URL and the built-ins;
 *   command_builtin.c  the built-in commands answered locally (/echo, /me, /shrug, /help,
 *                   /join, /leave);
 *   command_hook.c  POST /hooks/commands/{id}: delayed responses (§3.7);
 *   command_admin.c the management use cases (§3.1), shared by the REST API and the CLI.
 *
 * Threads. Execute runs on an HTTP worker and never waits there for the network: a custom
 * command's response URL row goes through the writer (so it is committed before the app can
 * use it), the writer's completion hands the request to the outbound engine, and the engine's
 * completion interprets the reply and hands any in_channel post to the writer again; the last
 * completion answers (c->done), on the writer or the engine thread. Management functions work
 * on a store connection the caller owns (the thread's read connection, or the CLI's).
 */
#ifndef GR_APP_COMMANDS_H
#define GR_APP_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app/app.h"
#include "app/rest.h"
#include "core/apperr.h"
#include "mm/actions.h"
#include "mm/command.h"
#include "store/store.h"

#define GR_COMMAND_HOOK_LIFETIME_MS (30 * 60 * 1000) /* CommandWebhookLifetime */
#define GR_COMMAND_HOOK_MAX_USES    5

/* ---- execute (commands.c) ---- */

/*
 * POST /api/v4/commands/execute with body CommandArgs {channel_id, command, team_id, root_id}
 * (§3.2). Returns GR_REST_PENDING (c->done is called exactly once, with 200 and the
 * CommandResponse JSON of §3.6, or an error), or an error status at once with e filled:
 *   400 api.context.invalid_body_param.app_error       body is not CommandArgs
 *   400 api.command.execute_command.start.app_error    no "/trigger", or channel_id not an id
 *   403/404                                            the channel (not a member, unknown)
 *   400 api.command.execute_command.deleted.error      archived channel
 *   404 api.command.execute_command.not_found.app_error  unknown trigger
 *   501 api.command.disabled.app_error                 custom commands switched off
 * and later, through c->done: 500 ...failed.app_error (the app could not be reached, timed
 * out, or answered JSON that does not decode), 500 ...failed_resp.app_error (status != 200,
 * the app's body in detailed_error), 500 ...create_post_failed.app_error, 403
 * api.command.command_post.forbidden.app_error (a response's channel_id the caller is not a
 * member of).
 */
int gr_command_execute(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                       struct gr_apperr *e);

/* ---- response URLs (command_hook.c) ---- */

/* The outcome of a POST to a response URL: 200 (answer "ok") or an error status with e. */
typedef void (*gr_command_hook_done_fn)(void *ud, int status, const struct gr_apperr *e);

/*
 * POST /hooks/commands/{id} (§3.7). content_type is the request's header (NULL = absent): a
 * JSON media type makes body a CommandResponse, anything else its text. Returns
 * GR_REST_PENDING (done is called exactly once, on the writer thread), or at once:
 *   400 web.command_webhook.parse.app_error   JSON that does not decode
 *   404 app.command_webhook.get.missing       id is not an id
 * and through done: 404 app.command_webhook.get.missing (unknown, expired after 30 minutes,
 * or its command was deleted), 400 app.command_webhook.try_use.invalid (a 6th use), and the
 * errors of the response handling. A use is counted atomically in a writer job.
 */
int gr_command_hook_post(struct gr_app *app, const char *id, const char *content_type,
                         const char *body, size_t len, gr_command_hook_done_fn done, void *ud,
                         struct gr_apperr *e);

/* ---- management (command_admin.c) ---- */

/* A trigger griot keeps for its built-in commands (Mattermost's list, implemented or not). */
bool gr_command_trigger_reserved(const char *trigger);

/* The built-in commands griot answers, as Command JSON objects (sanitised, §3.1) appended to
 * arr, in trigger order. */
void gr_command_builtins_json(json_t *arr);
/* One line per built-in command for /help: "/trigger hint - description". */
void gr_command_builtins_help(struct gr_buf *out);

/* How much of a command its JSON shows. */
enum gr_command_view {
    GR_COMMAND_SANITIZED, /* what any team member may see: no token, creator, method, url,
                           * username, icon_url (Command.Sanitize) */
    GR_COMMAND_FULL,      /* a manager: everything but the signing secret */
    GR_COMMAND_SECRET,    /* creation and rotation: the signing secret too */
};
json_t *gr_command_shape(const struct gr_command *c, enum gr_command_view view);

/* Fills the members of c named in o (a Command JSON object): trigger, method ("P", "G", or
 * "POST"/"GET" in any case), url, username, icon_url, auto_complete, auto_complete_desc,
 * auto_complete_hint, display_name, description. A member of the wrong type or too long for
 * its field is 400 invalid_body_param. */
int gr_command_from_json(json_t *o, struct gr_command *c, struct gr_apperr *e);

/* Command.IsValid plus griot's own limits (§3.1): trigger 1-128 bytes without whitespace nor a
 * leading '/', url http(s) and <= 1024 bytes, method P or G, display_name <= 64 bytes,
 * description <= 128, username <= 64, icon_url <= 1024. Lowercases c->trigger first. */
int gr_command_validate(struct gr_command *c, struct gr_apperr *e);

/* Creates c (team_id and creator_id set by the caller; the team must exist): validates, refuses
 * a reserved or taken trigger (400 api.command.duplicate_trigger.app_error), fills id, token,
 * secret and times, stores it. 0 or a status with e. */
int gr_command_create(struct gr_store *st, struct gr_command *c, struct gr_apperr *e);
/* The live command id (404 store.sql_command.save.get.app_error otherwise). */
int gr_command_get(struct gr_store *st, const char *id, struct gr_command *out,
                   struct gr_apperr *e);
/* Replaces the mutable fields of the stored command c->id with c's (id, token, secret,
 * creator, team and create_at are kept from the stored one and copied back into c). */
int gr_command_update(struct gr_store *st, struct gr_command *c, struct gr_apperr *e);
int gr_command_delete(struct gr_store *st, const char *id, struct gr_apperr *e);
/* A fresh token (c is the stored command, updated in place and in the store). */
int gr_command_regen_token(struct gr_store *st, struct gr_command *c, struct gr_apperr *e);
/* A fresh signing secret (griot's addition), same contract. */
int gr_command_rotate_secret(struct gr_store *st, struct gr_command *c, struct gr_apperr *e);

/* ---- shared by commands.c, command_hook.c and command_builtin.c ---- */

/* Where a command's responses go and how they look. */
struct gr_command__target {
    char user_id[GR_ID_SIZE];    /* the invoking user: author of the posts */
    char channel_id[GR_ID_SIZE]; /* the channel the command ran in */
    char root_id[GR_ID_SIZE];    /* its thread ("" = none) */
    char team_id[GR_ID_SIZE];
    char trigger[GR_MM_COMMAND_TRIGGER_MAX + 1];
    bool builtin;
    char command_id[GR_ID_SIZE]; /* a custom command's id ("" for built-ins): its secret signs
                                  * clicks on the buttons of its posts (app/actions.c) */
    char username[256];          /* the command's configured overrides ("" = none) */
    char icon_url[GR_URL_SIZE];
    char trigger_id[GR_MM_TRIGGER_ID_SIZE]; /* put in the answer when non-empty */
};

/* The end of a response's handling: status 200 with answer (the CommandResponse JSON; the
 * callee takes the reference), or an error status with e (answer NULL). */
typedef void (*gr_command__finish_fn)(void *ud, int status, json_t *answer,
                                      const struct gr_apperr *e);

/*
 * Handles a response and its extra responses (§3.5) for t: in_channel ones become posts by the
 * invoking user (in the response's channel_id when set and the user is a member of it) through
 * the writer, ephemeral ones with something to show go to the user's WebSockets. r is taken.
 * fn is called exactly once, after every post was committed or refused, on the writer thread
 * or on the calling thread.
 */
void gr_command__respond(struct gr_app *app, const struct gr_command__target *t,
                         struct gr_mm_command_resp *r, gr_command__finish_fn fn, void *ud);

/* Runs the built-in command trigger (command_builtin.c) with its argument text in channel ch;
 * sets t->builtin. Returns -1 when trigger is not a built-in griot answers. */
int gr_command__run_builtin(const struct gr_rest_ctx *c, struct gr_store *st,
                            struct gr_command__target *t, const struct gr_channel *ch,
                            const char *trigger, const char *text);

#endif
