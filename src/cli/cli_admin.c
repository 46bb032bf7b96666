/* SPDX-License-Identifier: MIT */
/*
 * cli_admin.c - `griot team`, `griot channel`, `griot token`: administrative commands that work
 * on the store directly, also while the server runs (changes take effect at once: the server
 * reads the store on every request).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/shapes.h"

/* Resolves --team (default main); prints and returns non-zero on failure. */
static int team_of(struct gr_cli_args *a, struct gr_store *st, struct gr_team *t)
{
    const char *name = gr_cli__opt(a, "team");
    struct gr_apperr e;

    if (gr_admin_team_find(st, name ? name : GR_DEFAULT_TEAM, t, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    return 0;
}

static int print_json(json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(2));
    json_decref(v);
    if (s == NULL)
        return 1;
    puts(s);
    free(s);
    return 0;
}

/* ---- team -------------------------------------------------------------------------------- */

static const char team_usage[] = "usage: griot team create NAME [--display NAME]\n"
                                 "\n"
                                 "Creates a team; prints its id.\n";

int gr_cli_team(int argc, char **argv)
{
    static const struct gr_cli_opt opts[] = {{"display", true}, {NULL, false}};
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    struct gr_team t;
    struct gr_apperr e;
    int code = gr_cli__parse(&a, "team", team_usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos != 2 || strcmp(a.pos[0], "create") != 0) {
        code = gr_cli__usage_error(&a, team_usage,
                                   a.npos == 0 ? "missing subcommand" : "expected: create NAME");
        goto out;
    }
    if ((code = gr_cli__open_store(&a, &st)) != 0)
        goto out;
    if (gr_admin_team_create(st, a.pos[1], gr_cli__opt(&a, "display"), &t, &e)) {
        gr_cli__err(&a, "%s", e.message);
        code = 1;
        goto out;
    }
    printf("%s\n", t.id);
out:
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}

/* ---- channel ----------------------------------------------------------------------------- */

static const char channel_usage[] =
        "usage: griot channel create NAME [--team T] [--display D] [--private]\n"
        "       griot channel list [--team T] [--json]\n"
        "       griot channel add CHANNEL USER... [--team T]\n"
        "\n"
        "create prints the new channel's id; list prints NAME, TYPE (O public, P private) and\n"
        "DISPLAY NAME per line, or Mattermost Channel objects with --json. add makes users\n"
        "(people or bots) members of a channel, and of its team if they were not. Default\n"
        "team: main.\n";

static int channel_list(struct gr_cli_args *a, struct gr_store *st, const struct gr_team *t)
{
    struct gr_channel_list l = {0};
    json_t *arr;

    if (gr_store_channel_list(st, t->id, &l) != GR_OK) {
        gr_cli__err(a, "cannot read the channels");
        return 1;
    }
    if (gr_cli__flag(a, "json")) {
        arr = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, gr_shape_channel(&l.v[i]));
        gr_channel_list_free(&l);
        return print_json(arr);
    }
    for (size_t i = 0; i < l.n; i++)
        printf("%s\t%c\t%s\n", l.v[i].name, l.v[i].type, l.v[i].display_name);
    gr_channel_list_free(&l);
    return 0;
}

/* `channel add CHANNEL USER...`: all users are checked first, then added in one transaction,
 * so a typo in the third name adds nobody. */
static int channel_add(struct gr_cli_args *a, struct gr_store *st, const struct gr_team *t)
{
    const char *name = a->pos[1][0] == '#' ? a->pos[1] + 1 : a->pos[1];
    struct gr_user users[GR_CLI_MAX_POS];
    struct gr_apperr e;
    struct gr_channel c;
    size_t n = a->npos - 2;
    gr_err rc;

    if (gr_admin_channel_find(st, t->id, name, &c, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (gr_store_user_get_by_name(st, a->pos[i + 2], &users[i]) != GR_OK) {
            gr_cli__err(a, "no user named '%s'", a->pos[i + 2]);
            return 1;
        }
        if (users[i].delete_at != 0) {
            gr_cli__err(a, "user '%s' is deactivated", users[i].username);
            return 1;
        }
    }
    rc = gr_store_begin(st);
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        /* A member of a team channel belongs to the team too (Mattermost requires it). */
        if (c.team_id[0] != '\0')
            rc = gr_store_team_member_add(st, c.team_id, users[i].id);
        if (rc == GR_OK)
            rc = gr_store_channel_member_add(st, c.id, users[i].id);
    }
    if (rc == GR_OK)
        rc = gr_store_commit(st);
    if (rc != GR_OK) {
        gr_store_rollback(st);
        gr_cli__err(a, "cannot add the members: %s", gr_err_str(rc));
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("added %s to %s\n", users[i].username, c.name);
    return 0;
}

int gr_cli_channel(int argc, char **argv)
{
    static const struct gr_cli_opt opts[] = {
            {"team", true}, {"display", true}, {"private", false}, {"json", false}, {NULL, false}};
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    struct gr_team t;
    struct gr_channel c;
    struct gr_user admin;
    struct gr_apperr e;
    int code = gr_cli__parse(&a, "channel", channel_usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos == 0) {
        code = gr_cli__usage_error(&a, channel_usage, "missing subcommand");
        goto out;
    }
    if (strcmp(a.pos[0], "list") == 0 && a.npos == 1) {
        if ((code = gr_cli__open_store(&a, &st)) == 0 && (code = team_of(&a, st, &t)) == 0)
            code = channel_list(&a, st, &t);
        goto out;
    }
    if (strcmp(a.pos[0], "add") == 0 && a.npos >= 3) {
        if ((code = gr_cli__open_store(&a, &st)) == 0 && (code = team_of(&a, st, &t)) == 0)
            code = channel_add(&a, st, &t);
        goto out;
    }
    if (strcmp(a.pos[0], "create") != 0 || a.npos != 2) {
        code = gr_cli__usage_error(&a, channel_usage,
                                   "expected: create NAME, list, or add CHANNEL USER...");
        goto out;
    }
    if ((code = gr_cli__open_store(&a, &st)) != 0 || (code = team_of(&a, st, &t)) != 0)
        goto out;
    /* Channels made from the CLI belong to the admin, so the admin's hooks can post there. */
    if (gr_store_user_get_by_name(st, "admin", &admin) != GR_OK)
        admin.id[0] = '\0';
    if (gr_admin_channel_create(st, t.id, a.pos[1], gr_cli__opt(&a, "display"),
                                gr_cli__flag(&a, "private"), admin.id, &c, &e)) {
        gr_cli__err(&a, "%s", e.message);
        code = 1;
        goto out;
    }
    printf("%s\n", c.id);
out:
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}

/* ---- token ------------------------------------------------------------------------------- */

static const char token_usage[] =
        "usage: griot token create USER [--description D]\n"
        "       griot token revoke ID\n"
        "\n"
        "create makes an access token for USER and prints it on the last line. The token is\n"
        "shown only this once; griot keeps only its SHA-256. revoke deletes the token (or login\n"
        "session) with that id, as listed by GET /api/v4/users/{user_id}/tokens.\n";

int gr_cli_token(int argc, char **argv)
{
    static const struct gr_cli_opt opts[] = {{"description", true}, {NULL, false}};
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    struct gr_user u;
    struct gr_apperr e;
    char token[GR_ID_SIZE];
    int code = gr_cli__parse(&a, "token", token_usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos != 2 || (strcmp(a.pos[0], "create") != 0 && strcmp(a.pos[0], "revoke") != 0)) {
        code = gr_cli__usage_error(&a, token_usage,
                                   a.npos == 0 ? "missing subcommand"
                                               : "expected: create USER, or revoke ID");
        goto out;
    }
    if ((code = gr_cli__open_store(&a, &st)) != 0)
        goto out;
    if (strcmp(a.pos[0], "revoke") == 0) {
        if (gr_auth_token_revoke(st, a.pos[1], &e)) {
            gr_cli__err(&a, "%s", e.status == 404 ? "no token with that id" : e.message);
            code = 1;
            goto out;
        }
        printf("revoked %s\n", a.pos[1]);
        goto out;
    }
    if (gr_store_user_get_by_name(st, a.pos[1], &u) != GR_OK) {
        gr_cli__err(&a, "no user named '%s'", a.pos[1]);
        code = 1;
        goto out;
    }
    if (gr_admin_token_create(st, u.id, gr_cli__opt(&a, "description"), token, &e)) {
        gr_cli__err(&a, "%s", e.message);
        code = 1;
        goto out;
    }
    printf("token for %s (shown once):\n%s\n", u.username, token);
    explicit_bzero(token, sizeof token);
out:
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
