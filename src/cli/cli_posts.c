/* SPDX-License-Identifier: MIT */
/* cli_posts.c - `griot posts CHANNEL`: read a channel back, for people or as a PostList. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app/admin.h"
#include "app/shapes.h"

static const char usage[] =
        "usage: griot posts CHANNEL [--team T] [--limit N] [--json]\n"
        "\n"
        "Prints the newest N posts of a channel (default 20, 0 = all), oldest first, as\n"
        "'TIME AUTHOR: MESSAGE' lines; attachments are summarised below their post. --json\n"
        "prints a Mattermost PostList instead (order newest first).\n";

static const struct gr_cli_opt opts[] = {
        {"team", true}, {"limit", true}, {"json", false}, {NULL, false}};

static void print_post(struct gr_store *st, const struct gr_post *p)
{
    char when[32];
    time_t t = (time_t)(p->create_at / 1000);
    struct tm tm;
    struct gr_user u;
    json_t *props = json_loads(p->props, 0, NULL);
    const char *who;
    json_t *att;
    size_t i;

    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    who = json_string_value(json_object_get(props, "override_username"));
    if (who == NULL)
        who = gr_store_user_get(st, p->user_id, &u) == GR_OK ? u.username : p->user_id;
    printf("%s %s: %s\n", when, who, p->message);
    json_array_foreach(json_object_get(props, "attachments"), i, att)
    {
        const char *title = json_string_value(json_object_get(att, "title"));
        const char *text = json_string_value(json_object_get(att, "text"));
        const char *fb = json_string_value(json_object_get(att, "fallback"));
        printf("    [attachment] %s%s%s\n", title ? title : (fb ? fb : ""),
               title && text ? " - " : "", title && text ? text : "");
    }
    json_decref(props);
}

int gr_cli_posts(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    struct gr_team t;
    struct gr_channel c;
    struct gr_post_list l = {0};
    struct gr_apperr e;
    const char *team, *lim, *name;
    long limit = 20;
    int code = gr_cli__parse(&a, "posts", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos != 1) {
        gr_cli__err(&a, a.npos ? "expected one CHANNEL" : "missing CHANNEL");
        fputs(usage, stderr);
        code = 2;
        goto out;
    }
    if ((lim = gr_cli__opt(&a, "limit")) != NULL) {
        char *end;
        errno = 0;
        limit = strtol(lim, &end, 10);
        if (errno || *end || end == lim || limit < 0) {
            gr_cli__err(&a, "--limit: expected a whole number >= 0, got '%s'", lim);
            fputs(usage, stderr);
            code = 2;
            goto out;
        }
    }
    if ((code = gr_cli__open_store(&a, &st)) != 0)
        goto out;
    team = gr_cli__opt(&a, "team");
    name = a.pos[0][0] == '#' ? a.pos[0] + 1 : a.pos[0];
    if (gr_admin_team_find(st, team ? team : GR_DEFAULT_TEAM, &t, &e) ||
        gr_admin_channel_find(st, t.id, name, &c, &e)) {
        gr_cli__err(&a, "%s", e.message);
        code = 1;
        goto out;
    }
    if (gr_store_post_list(st, c.id, (size_t)limit, &l) != GR_OK) {
        gr_cli__err(&a, "cannot read the posts");
        code = 1;
        goto out;
    }
    if (gr_cli__flag(&a, "json")) {
        json_t *v = gr_shape_post_list(&l);
        char *s = json_dumps(v, JSON_INDENT(2));
        json_decref(v);
        if (s)
            puts(s);
        free(s);
    } else {
        for (size_t i = l.n; i > 0; i--)
            print_post(st, &l.v[i - 1]);
    }
out:
    gr_post_list_free(&l);
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
