/* SPDX-License-Identifier: MIT */
/* cli_hook.c - `griot hook create|list|delete`: incoming webhooks. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/admin.h"
#include "app/shapes.h"
#include "core/gtime.h"

static const char usage[] =
        "usage: griot hook create --channel NAME [--team T] [--title T] [--description D]\n"
        "                         [--creator USER]\n"
        "                         [--lock] [--username U] [--icon URL] [--rate N] [--burst N]\n"
        "                         [--over-limit queue|reject]\n"
        "                         [--source KIND] [--secret S]... [--secret-file F]...\n"
        "                         [--auth-bearer TOKEN]... [--auth-basic USER:PASS]...\n"
        "                         [--allow-ip CIDR]... [--events e1,e2] [--template FILE]\n"
        "                         [--tolerance SECS] [--lang en|fr] [--channel-template T]\n"
        "                         [--auto-create] [--allow-channel-prefix P]\n"
        "                         [--sig-header H] [--sig-algo sha1|sha256|sha512]\n"
        "                         [--sig-encoding hex|base64] [--sig-prefix P]\n"
        "                         [--sig-content '{ts}.{body}'] [--ts-header H]\n"
        "       griot hook list [--json]\n"
        "       griot hook delete ID\n"
        "\n"
        "create prints the hook id on the first line and its URL on the second. The id is the\n"
        "hook's secret: anyone who has the URL can post. --lock keeps the hook in its channel.\n"
        "--creator USER: the hook posts as USER (default admin), who must be able to post in\n"
        "the channels it reaches.\n"
        "--rate/--burst/--over-limit override the server's per-hook limiter for this hook\n"
        "(--rate 0 = no limit).\n"
        "--source KIND makes a native hook: forgejo, gitea, github, grafana, alertmanager,\n"
        "uptimekuma, wave, standard-webhooks or generic (default mattermost). See\n"
        "docs/sources.md for each source's settings.\n";

static const struct gr_cli_opt opts[] = {
        {"channel", true}, {"team", true},     {"title", true},      {"description", true},
        {"lock", false},   {"username", true}, {"icon", true},       {"rate", true},
        {"burst", true},   {"json", false},    {"over-limit", true},
        {"source", true},  {"secret", true},   {"secret-file", true}, {"auth-bearer", true},
        {"auth-basic", true}, {"allow-ip", true}, {"events", true}, {"template", true},
        {"tolerance", true}, {"lang", true}, {"channel-template", true}, {"auto-create", false},
        {"allow-channel-prefix", true}, {"sig-header", true}, {"sig-algo", true},
        {"sig-encoding", true}, {"sig-prefix", true}, {"sig-content", true},
        {"ts-header", true}, {"creator", true}, {NULL, false}};

static int create(struct gr_cli_args *a, struct gr_store *st)
{
    const char *chan = gr_cli__opt(a, "channel"), *team = gr_cli__opt(a, "team");
    const char *creator = gr_cli__opt(a, "creator");
    bool member = false;
    const char *v;
    struct gr_team t;
    struct gr_channel c;
    struct gr_user admin;
    struct gr_hook h;
    struct gr_apperr e;
    char *end;

    memset(&h, 0, sizeof h);
    h.rate = -1;
    h.burst = -1;
    h.over_limit = -1;
    if (creator == NULL)
        creator = "admin";
    if ((v = gr_cli__opt(a, "rate")) != NULL) {
        errno = 0;
        h.rate = strtod(v, &end);
        if (errno || *end || end == v || h.rate < 0)
            return gr_cli__usage_error(a, usage, "--rate: expected a number >= 0 (requests per second)");
    }
    if ((v = gr_cli__opt(a, "burst")) != NULL) {
        long n;
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno || *end || end == v || n < 1 || n > 1000000)
            return gr_cli__usage_error(a, usage, "--burst: expected a whole number from 1 to 1000000");
        h.burst = (int)n;
    }
    if ((v = gr_cli__opt(a, "over-limit")) != NULL) {
        if (strcmp(v, "queue") == 0)
            h.over_limit = GR_OVER_LIMIT_QUEUE;
        else if (strcmp(v, "reject") == 0)
            h.over_limit = GR_OVER_LIMIT_REJECT;
        else
            return gr_cli__usage_error(a, usage, "--over-limit: expected queue or reject");
    }
    if (!gr_cli__copy(h.display_name, sizeof h.display_name, gr_cli__opt(a, "title")) ||
        !gr_cli__copy(h.description, sizeof h.description, gr_cli__opt(a, "description")) ||
        !gr_cli__copy(h.username, sizeof h.username, gr_cli__opt(a, "username")) ||
        !gr_cli__copy(h.icon_url, sizeof h.icon_url, gr_cli__opt(a, "icon")))
        return gr_cli__usage_error(a, usage, "a --title, --description, --username or --icon value is too long");
    h.channel_locked = gr_cli__flag(a, "lock");
    {
        int sc = gr_cli__hook_source(a, &h);
        if (sc)
            return sc;
    }
    if (gr_admin_team_find(st, team ? team : GR_DEFAULT_TEAM, &t, &e) ||
        gr_admin_channel_find(st, t.id, chan[0] == '#' ? chan + 1 : chan, &c, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    /* The hook posts as its creator (Mattermost's hook user_id): default the admin. */
    if (gr_store_user_get_by_name(st, creator, &admin) != GR_OK || admin.delete_at != 0) {
        gr_cli__err(a, "the store has no active user '%s' to own the hook", creator);
        return 1;
    }
    if (c.type != 'O' && strstr(admin.roles, "system_admin") == NULL &&
        (gr_store_channel_member_is(st, c.id, admin.id, &member) != GR_OK || !member))
        gr_cli__err(a, "warning: %s is not a member of %s; posts will be refused with 403 until "
                    "it is (griot channel add %s %s)",
                    admin.username, c.name, c.name, admin.username);
    memcpy(h.user_id, admin.id, GR_ID_SIZE);
    memcpy(h.channel_id, c.id, GR_ID_SIZE);
    memcpy(h.team_id, t.id, GR_ID_SIZE);
    if (gr_admin_hook_create(st, &h, &e)) {
        gr_cli__err(a, "%s", e.message);
        return e.status == 400 ? 1 : 1;
    }
    printf("%s\n%s/hooks/%s\n", h.id, a->cfg.site_url, h.id);
    return 0;
}

static int list(struct gr_cli_args *a, struct gr_store *st)
{
    struct gr_hook_list l = {0};
    json_t *arr;
    char *s;

    if (gr_store_hook_list(st, NULL, 0, 0, &l) != GR_OK) {
        gr_cli__err(a, "cannot read the hooks");
        return 1;
    }
    if (gr_cli__flag(a, "json")) {
        arr = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, gr_shape_hook(&l.v[i]));
        s = json_dumps(arr, JSON_INDENT(2));
        json_decref(arr);
        if (s)
            puts(s);
        free(s);
    } else {
        for (size_t i = 0; i < l.n; i++) {
            struct gr_channel c;
            if (gr_store_channel_get(st, l.v[i].channel_id, &c) != GR_OK)
                snprintf(c.name, sizeof c.name, "?");
            printf("%s\t%s\t%s%s\n", l.v[i].id, c.name, l.v[i].display_name,
                   l.v[i].channel_locked ? "\t(locked)" : "");
        }
    }
    gr_hook_list_free(&l);
    return 0;
}

int gr_cli_hook(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    struct gr_hook h;
    int code = gr_cli__parse(&a, "hook", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos == 0) {
        code = gr_cli__usage_error(&a, usage, "missing subcommand");
        goto out;
    }
    if (strcmp(a.pos[0], "create") == 0 && a.npos == 1) {
        if (gr_cli__opt(&a, "channel") == NULL) {
            code = gr_cli__usage_error(&a, usage, "create needs --channel NAME");
            goto out;
        }
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = create(&a, st);
    } else if (strcmp(a.pos[0], "list") == 0 && a.npos == 1) {
        if ((code = gr_cli__open_store(&a, &st)) == 0)
            code = list(&a, st);
    } else if (strcmp(a.pos[0], "delete") == 0 && a.npos == 2) {
        if ((code = gr_cli__open_store(&a, &st)) != 0)
            goto out;
        if (gr_store_hook_get(st, a.pos[1], &h) != GR_OK) {
            gr_cli__err(&a, "no hook with id '%s'", a.pos[1]);
            code = 1;
        } else if (gr_store_hook_delete(st, h.id, gr_time_now_ms()) != GR_OK) {
            gr_cli__err(&a, "cannot delete the hook");
            code = 1;
        } else {
            printf("deleted %s\n", h.id);
        }
    } else {
        code = gr_cli__usage_error(&a, usage, "expected: create, list, or delete ID");
    }
out:
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
