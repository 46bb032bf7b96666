/* SPDX-License-Identifier: MIT */
/*
 * cli_command.c - `griot command create|list|delete|regen-token|rotate-secret`: custom slash
 * commands (spec mattermost-compat §3.1) from the command line, with the same rules and error
 * messages as /api/v4/commands (app/command_admin.c).
 *
 * Output contract of create: the command id, its token, then its signing secret, one per line
 * (the secret is shown only here and by rotate-secret). Like `hook` and `outgoing`, the CLI
 * acts with the operator's rights and works whether or not enable_commands is on (that switch
 * governs the API and execution).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "app/admin.h"
#include "app/commands.h"

static const char usage[] =
        "usage: griot command create --trigger WORD --url URL [--team T] [--method POST|GET]\n"
        "                            [--username U] [--icon URL] [--title T]\n"
        "                            [--autocomplete] [--hint H] [--description D]\n"
        "                            [--creator USER]\n"
        "       griot command list [--team T] [--json]\n"
        "       griot command delete ID\n"
        "       griot command regen-token ID\n"
        "       griot command rotate-secret ID\n"
        "\n"
        "create prints the command id, then its token, then its signing secret, one per line.\n"
        "Typing /WORD in a channel of team T (default main) sends the command's fields to URL\n"
        "(a form POST, the default, or a GET with the fields in the query string) with\n"
        "`Authorization: Token <token>` and webhook-id/-timestamp/-signature headers signed\n"
        "with the secret (Standard Webhooks); the app's answer is posted as the user who typed\n"
        "the command, under U/URL when given. --autocomplete lists it in the client's\n"
        "suggestions with --hint and --description. The command belongs to USER (default\n"
        "admin). list prints ID, TEAM, TRIGGER, METHOD and URL per command. regen-token prints\n"
        "the new token, rotate-secret the new secret.\n";

static const struct gr_cli_opt opts[] = {
        {"team", true},     {"trigger", true},     {"url", true},     {"method", true},
        {"username", true}, {"icon", true},        {"title", true},   {"autocomplete", false},
        {"hint", true},     {"description", true}, {"creator", true}, {"json", false},
        {NULL, false}};

static int create(struct gr_cli_args *a, struct gr_store *st)
{
    const char *team = gr_cli__opt(a, "team"), *method = gr_cli__opt(a, "method");
    const char *creator = gr_cli__opt(a, "creator"), *desc = gr_cli__opt(a, "description");
    struct gr_command c;
    struct gr_team t;
    struct gr_user u;
    struct gr_apperr e;
    int code = 1;

    memset(&c, 0, sizeof c);
    if (method == NULL || strcasecmp(method, "POST") == 0 || strcmp(method, "P") == 0)
        snprintf(c.method, sizeof c.method, "P");
    else if (strcasecmp(method, "GET") == 0 || strcmp(method, "G") == 0)
        snprintf(c.method, sizeof c.method, "G");
    else
        return gr_cli__usage_error(a, usage, "--method: expected POST or GET");
    if (!gr_cli__copy(c.trigger, sizeof c.trigger, gr_cli__opt(a, "trigger")) ||
        !gr_cli__copy(c.url, sizeof c.url, gr_cli__opt(a, "url")) ||
        !gr_cli__copy(c.username, sizeof c.username, gr_cli__opt(a, "username")) ||
        !gr_cli__copy(c.icon_url, sizeof c.icon_url, gr_cli__opt(a, "icon")) ||
        !gr_cli__copy(c.display_name, sizeof c.display_name, gr_cli__opt(a, "title")) ||
        !gr_cli__copy(c.auto_complete_hint, sizeof c.auto_complete_hint, gr_cli__opt(a, "hint")) ||
        !gr_cli__copy(c.auto_complete_desc, sizeof c.auto_complete_desc, desc))
        return gr_cli__usage_error(a, usage,
                                   "a --trigger, --url, --username, --icon, --title, --hint or "
                                   "--description value is too long");
    /* One description serves both Mattermost fields when it fits the shorter one. */
    if (desc && strlen(desc) <= 128)
        snprintf(c.description, sizeof c.description, "%s", desc);
    c.auto_complete = gr_cli__flag(a, "autocomplete");
    if (gr_admin_team_find(st, team ? team : GR_DEFAULT_TEAM, &t, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    if (creator == NULL)
        creator = "admin";
    if (gr_store_user_get_by_name(st, creator, &u) != GR_OK || u.delete_at != 0) {
        gr_cli__err(a, "the store has no active user '%s' to own the command", creator);
        return 1;
    }
    memcpy(c.team_id, t.id, GR_ID_SIZE);
    memcpy(c.creator_id, u.id, GR_ID_SIZE);
    if (gr_command_create(st, &c, &e)) {
        gr_cli__err(a, "%s (%s)", e.message, e.id);
        goto out;
    }
    printf("%s\n%s\n%s\n", c.id, c.token, c.secret);
    code = 0;
out:
    explicit_bzero(c.secret, sizeof c.secret);
    return code;
}

static int list(struct gr_cli_args *a, struct gr_store *st)
{
    const char *team = gr_cli__opt(a, "team");
    struct gr_command_list l = {0};
    struct gr_team t;
    struct gr_apperr e;

    if (team && gr_admin_team_find(st, team, &t, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    if (gr_store_command_list(st, team ? t.id : "", &l) != GR_OK) {
        gr_cli__err(a, "cannot read the commands");
        return 1;
    }
    if (gr_cli__flag(a, "json")) {
        json_t *arr = json_array();
        char *s;

        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, gr_command_shape(&l.v[i], GR_COMMAND_FULL));
        s = json_dumps(arr, JSON_INDENT(2));
        json_decref(arr);
        if (s)
            puts(s);
        free(s);
    } else {
        for (size_t i = 0; i < l.n; i++) {
            struct gr_team ct;
            if (gr_store_team_get(st, l.v[i].team_id, &ct) != GR_OK)
                snprintf(ct.name, sizeof ct.name, "?");
            printf("%s\t%s\t/%s\t%s\t%s\n", l.v[i].id, ct.name, l.v[i].trigger,
                   strcmp(l.v[i].method, "G") == 0 ? "GET" : "POST", l.v[i].url);
        }
    }
    gr_command_list_free(&l);
    return 0;
}

/* delete, regen-token, rotate-secret ID */
static int by_id(struct gr_cli_args *a, struct gr_store *st, const char *what, const char *id)
{
    struct gr_command c;
    struct gr_apperr e;

    if (gr_command_get(st, id, &c, &e)) {
        gr_cli__err(a, "no command with id '%s'", id);
        return 1;
    }
    if (strcmp(what, "delete") == 0) {
        if (gr_command_delete(st, c.id, &e))
            goto fail;
        printf("deleted %s\n", c.id);
    } else if (strcmp(what, "regen-token") == 0) {
        if (gr_command_regen_token(st, &c, &e))
            goto fail;
        printf("%s\n", c.token);
    } else {
        if (gr_command_rotate_secret(st, &c, &e))
            goto fail;
        printf("%s\n", c.secret);
        explicit_bzero(c.secret, sizeof c.secret);
    }
    return 0;
fail:
    gr_cli__err(a, "%s", e.message);
    return 1;
}

int gr_cli_command(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    int code = gr_cli__parse(&a, "command", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos == 0) {
        code = gr_cli__usage_error(&a, usage, "missing subcommand");
        goto out;
    }
    if (strcmp(a.pos[0], "create") == 0 && a.npos == 1) {
        if (gr_cli__opt(&a, "trigger") == NULL || gr_cli__opt(&a, "url") == NULL) {
            code = gr_cli__usage_error(&a, usage, "create needs --trigger WORD and --url URL");
            goto out;
        }
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = create(&a, st);
    } else if (strcmp(a.pos[0], "list") == 0 && a.npos == 1) {
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = list(&a, st);
    } else if ((strcmp(a.pos[0], "delete") == 0 || strcmp(a.pos[0], "regen-token") == 0 ||
                strcmp(a.pos[0], "rotate-secret") == 0) &&
               a.npos == 2) {
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = by_id(&a, st, a.pos[0], a.pos[1]);
    } else {
        code = gr_cli__usage_error(&a, usage,
                                   "expected: create, list, delete ID, regen-token ID or "
                                   "rotate-secret ID");
    }
out:
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
