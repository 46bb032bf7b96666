/* SPDX-License-Identifier: MIT */
/*
 * cli_bot.c - `griot bot create|list`: bot accounts from the command line. A new bot joins team
 * main and its public channels and gets a personal access token at once, so a script can use it
 * straight away: the bot's id is printed on the first line and the token on the last (shown
 * only this once; griot keeps its SHA-256).
 *
 * The CLI acts with the operator's rights: it ignores enable_bot_account_creation, which governs
 * the REST API only.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"

static const char usage[] =
        "usage: griot bot create NAME [--display D] [--description D] [--owner USER]\n"
        "       griot bot list\n"
        "\n"
        "create makes a bot owned by USER (default admin), prints its user id on the first line\n"
        "and a new access token for it on the last line (shown only this once). list prints\n"
        "ID, NAME, OWNER and (disabled) per bot.\n";

static const struct gr_cli_opt opts[] = {
        {"display", true}, {"description", true}, {"owner", true}, {NULL, false}};

static int create(struct gr_cli_args *a, struct gr_store *st)
{
    const char *owner_name = gr_cli__opt(a, "owner");
    char token[GR_ID_SIZE];
    struct gr_auth_options o;
    struct gr_user owner, bot;
    struct gr_apperr e;

    if (owner_name == NULL)
        owner_name = "admin";
    if (gr_store_user_get_by_name(st, owner_name, &owner) != GR_OK) {
        gr_cli__err(a, "no user named '%s' to own the bot", owner_name);
        return 1;
    }
    if (gr_auth_bot_create(st, owner.id, a->pos[1], gr_cli__opt(a, "display"),
                           gr_cli__opt(a, "description"), &bot, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    printf("%s\n", bot.id);
    fflush(stdout);
    gr_cli__auth_options(&a->cfg, &o);
    if (gr_auth_pat_create(st, &o, bot.id, "created by griot bot create", NULL, token, &e)) {
        gr_cli__err(a, "bot created, but no token: %s", e.message);
        return 1;
    }
    printf("token for %s (shown once):\n%s\n", bot.username, token);
    explicit_bzero(token, sizeof token);
    return 0;
}

static int list(struct gr_cli_args *a, struct gr_store *st)
{
    struct gr_user_list l = {0};
    struct gr_user owner;

    if (gr_store_bot_list(st, NULL, true, false, 0, 0, &l) != GR_OK) {
        gr_cli__err(a, "cannot read the bots");
        return 1;
    }
    for (size_t i = 0; i < l.n; i++) {
        if (gr_store_user_get(st, l.v[i].bot_owner_id, &owner) != GR_OK)
            snprintf(owner.username, sizeof owner.username, "-");
        printf("%s\t%s\t%s%s\n", l.v[i].id, l.v[i].username, owner.username,
               l.v[i].delete_at ? "\t(disabled)" : "");
    }
    gr_user_list_free(&l);
    return 0;
}

int gr_cli_bot(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    int code = gr_cli__parse(&a, "bot", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos == 2 && strcmp(a.pos[0], "create") == 0) {
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = create(&a, st);
    } else if (a.npos == 1 && strcmp(a.pos[0], "list") == 0) {
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = list(&a, st);
    } else {
        code = gr_cli__usage_error(
                &a, usage, a.npos == 0 ? "missing subcommand" : "expected: create NAME, or list");
    }
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
