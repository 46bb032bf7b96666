/* SPDX-License-Identifier: MIT */
/*
 * cli_user.c - `griot user create|password`: human accounts from the command line, and the
 * translation of the configuration's account options for every command that hashes passwords
 * or starts the server.
 *
 * A password may come from --password (visible to other local users in the process list, fine
 * for tests and throwaway set-ups) or from --password-file (first line of the file; `-` reads
 * standard input). griot keeps only its argon2id hash.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"

static const char usage[] =
        "usage: griot user create NAME (--password P | --password-file F) [--admin] [--email E]\n"
        "                         [--nickname N] [--first-name F] [--last-name L]\n"
        "       griot user password NAME (--password P | --password-file F)\n"
        "\n"
        "create makes a user who can log in with the password (POST /api/v4/users/login), joins\n"
        "team main and its public channels, and prints the user's id. --admin makes a system\n"
        "admin. password sets a new password and ends the user's login sessions.\n"
        "--password-file reads the first line of F (- = standard input).\n";

static const struct gr_cli_opt opts[] = {
        {"password", true}, {"password-file", true}, {"admin", false},    {"email", true},
        {"nickname", true}, {"first-name", true},    {"last-name", true}, {NULL, false}};

void gr_cli__auth_options(const struct gr_config *cfg, struct gr_auth_options *out)
{
    gr_auth_options_default(out);
    out->hash_time_cost = (uint32_t)cfg->password_hash_time_cost;
    out->hash_memory_kib = (uint32_t)cfg->password_hash_memory_kib;
    out->session_length_ms = (int64_t)cfg->session_length_hours * 3600 * 1000;
    out->enable_user_access_tokens = cfg->enable_user_access_tokens;
    out->enable_bot_account_creation = cfg->enable_bot_account_creation;
}

/* The password from --password or --password-file into buf[size]; 0, or an exit status after
 * printing the problem. */
static int password_of(const struct gr_cli_args *a, char *buf, size_t size)
{
    const char *p = gr_cli__opt(a, "password"), *file = gr_cli__opt(a, "password-file");
    FILE *f;

    if ((p == NULL) == (file == NULL))
        return gr_cli__usage_error(a, usage,
                                   "give the password with --password or --password-file");
    if (p != NULL) {
        snprintf(buf, size, "%s", p);
        return 0;
    }
    f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (f == NULL) {
        gr_cli__err(a, "cannot read %s", file);
        return 1;
    }
    if (fgets(buf, (int)size, f) == NULL)
        buf[0] = '\0';
    if (f != stdin)
        fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

static int create(struct gr_cli_args *a, struct gr_store *st, const char *password)
{
    struct gr_auth_options o;
    struct gr_auth_new_user nu;
    struct gr_apperr e;
    struct gr_user u;

    gr_cli__auth_options(&a->cfg, &o);
    memset(&nu, 0, sizeof nu);
    nu.username = a->pos[1];
    nu.password = password;
    nu.is_admin = gr_cli__flag(a, "admin");
    nu.email = gr_cli__opt(a, "email");
    nu.nickname = gr_cli__opt(a, "nickname");
    nu.first_name = gr_cli__opt(a, "first-name");
    nu.last_name = gr_cli__opt(a, "last-name");
    if (gr_auth_user_create(st, &o, &nu, &u, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    printf("%s\n", u.id);
    return 0;
}

static int set_password(struct gr_cli_args *a, struct gr_store *st, const char *password)
{
    struct gr_auth_options o;
    struct gr_apperr e;
    struct gr_user u;

    gr_cli__auth_options(&a->cfg, &o);
    if (gr_store_user_get_by_name(st, a->pos[1], &u) != GR_OK) {
        gr_cli__err(a, "no user named '%s'", a->pos[1]);
        return 1;
    }
    if (u.is_bot) {
        gr_cli__err(a, "'%s' is a bot: bots log in with tokens, not passwords", u.username);
        return 1;
    }
    if (gr_auth_password_set(st, &o, u.id, password, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    printf("password set for %s\n", u.username);
    return 0;
}

int gr_cli_user(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    char password[256];
    int code = gr_cli__parse(&a, "user", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    password[0] = '\0';
    if (a.npos != 2 || (strcmp(a.pos[0], "create") != 0 && strcmp(a.pos[0], "password") != 0)) {
        code = gr_cli__usage_error(&a, usage,
                                   a.npos == 0 ? "missing subcommand"
                                               : "expected: create NAME, or password NAME");
        goto out;
    }
    if ((code = password_of(&a, password, sizeof password)) != 0 ||
        (code = gr_cli__open_store(&a, &st)) != 0)
        goto out;
    if (strcmp(a.pos[0], "create") == 0)
        code = create(&a, st, password);
    else
        code = set_password(&a, st, password);
out:
    explicit_bzero(password, sizeof password);
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
