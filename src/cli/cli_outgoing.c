/* SPDX-License-Identifier: MIT */
/*
 * cli_outgoing.c - `griot outgoing create|list|delete|regen-token|rotate-secret`: outgoing
 * webhooks (spec mattermost-compat §2) from the command line, with the same rules and error
 * messages as /api/v4/hooks/outgoing (app/outgoing_admin.c).
 *
 * Output contract of create: the hook id, its token, then its signing secret, one per line (the
 * secret is shown only here and by rotate-secret). Like `hook` and `bot`, the CLI acts with the
 * operator's rights and works whether or not enable_outgoing_webhooks is on (that switch governs
 * the API and the firing).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/admin.h"
#include "app/outgoing_admin.h"
#include "mm/outgoing.h"

static const char usage[] =
        "usage: griot outgoing create [--team T] [--channel C] --trigger-words w1,w2\n"
        "                             [--trigger-when exact|start] --callback URL\n"
        "                             [--callback URL]... [--content-type json|form]\n"
        "                             [--display-name D] [--description D] [--username U]\n"
        "                             [--icon URL] [--creator USER]\n"
        "       griot outgoing list [--team T] [--json]\n"
        "       griot outgoing delete ID\n"
        "       griot outgoing regen-token ID\n"
        "       griot outgoing rotate-secret ID\n"
        "\n"
        "create prints the hook id, then its token, then its signing secret, one per line.\n"
        "The hook POSTs to each callback URL when a post in a public channel of team T\n"
        "(default main) - or only of channel C - starts with one of the trigger words\n"
        "(--trigger-when exact: the first word is a trigger word, the default; start: the\n"
        "first word starts with one). With --channel and no trigger words it fires on every\n"
        "post of C. The body is a form (default, as Mattermost) or JSON (--content-type json);\n"
        "it carries the token, and webhook-id/-timestamp/-signature headers signed with the\n"
        "secret (Standard Webhooks). Replies are posted as USER (default admin).\n"
        "list prints ID, TEAM, CHANNEL (* = every public channel), TRIGGER WORDS and\n"
        "CALLBACK URLS per hook. regen-token prints the new token, rotate-secret the new\n"
        "secret.\n";

static const struct gr_cli_opt opts[] = {
        {"team", true},     {"channel", true},      {"trigger-words", true}, {"trigger-when", true},
        {"callback", true}, {"content-type", true}, {"display-name", true},  {"description", true},
        {"username", true}, {"icon", true},         {"creator", true},       {"json", false},
        {NULL, false}};

/* Every --trigger-words value split on ',' into a JSON array (owned text). */
static char *words_json(const struct gr_cli_args *a)
{
    const char *const *v;
    size_t n = gr_cli__opt_all(a, "trigger-words", &v);
    json_t *arr = json_array();
    char *s;

    for (size_t i = 0; i < n; i++) {
        const char *p = v[i];
        for (;;) {
            size_t k = strcspn(p, ",");
            json_array_append_new(arr, json_stringn(p, k));
            if (p[k] == '\0')
                break;
            p += k + 1;
        }
    }
    s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

static char *urls_json(const struct gr_cli_args *a)
{
    const char *const *v;
    size_t n = gr_cli__opt_all(a, "callback", &v);
    json_t *arr = json_array();
    char *s;

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(v[i]));
    s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

static int fill(struct gr_cli_args *a, struct gr_outgoing_hook *h)
{
    const char *when = gr_cli__opt(a, "trigger-when"), *ct = gr_cli__opt(a, "content-type");

    if (when == NULL || strcmp(when, "exact") == 0 || strcmp(when, "0") == 0)
        h->trigger_when = GR_MM_TRIGGER_EXACT;
    else if (strcmp(when, "start") == 0 || strcmp(when, "1") == 0)
        h->trigger_when = GR_MM_TRIGGER_START;
    else
        return gr_cli__usage_error(a, usage, "--trigger-when: expected exact or start");
    if (ct == NULL || strcmp(ct, "form") == 0)
        ct = GR_MM_CT_FORM;
    else if (strcmp(ct, "json") == 0)
        ct = GR_MM_CT_JSON;
    if (!gr_cli__copy(h->content_type, sizeof h->content_type, ct) ||
        !gr_cli__copy(h->display_name, sizeof h->display_name, gr_cli__opt(a, "display-name")) ||
        !gr_cli__copy(h->description, sizeof h->description, gr_cli__opt(a, "description")) ||
        !gr_cli__copy(h->username, sizeof h->username, gr_cli__opt(a, "username")) ||
        !gr_cli__copy(h->icon_url, sizeof h->icon_url, gr_cli__opt(a, "icon")))
        return gr_cli__usage_error(a, usage,
                                   "a --content-type, --display-name, --description, --username or "
                                   "--icon value is too long");
    h->trigger_words = gr_cli__opt(a, "trigger-words") ? words_json(a) : NULL;
    h->callback_urls = urls_json(a);
    if (h->callback_urls == NULL || (gr_cli__opt(a, "trigger-words") && !h->trigger_words))
        return gr_cli__usage_error(a, usage, "--trigger-words and --callback must be valid UTF-8");
    return 0;
}

static int create(struct gr_cli_args *a, struct gr_store *st)
{
    const char *team = gr_cli__opt(a, "team"), *chan = gr_cli__opt(a, "channel");
    const char *creator = gr_cli__opt(a, "creator");
    struct gr_outgoing_hook h;
    struct gr_team t;
    struct gr_channel c;
    struct gr_user u;
    struct gr_apperr e;
    int code;

    memset(&h, 0, sizeof h);
    if ((code = fill(a, &h)) != 0)
        goto out;
    code = 1;
    if (gr_admin_team_find(st, team ? team : GR_DEFAULT_TEAM, &t, &e) ||
        (chan && gr_admin_channel_find(st, t.id, chan[0] == '#' ? chan + 1 : chan, &c, &e))) {
        gr_cli__err(a, "%s", e.message);
        goto out;
    }
    if (creator == NULL)
        creator = "admin";
    if (gr_store_user_get_by_name(st, creator, &u) != GR_OK || u.delete_at != 0) {
        gr_cli__err(a, "the store has no active user '%s' to own the hook", creator);
        goto out;
    }
    memcpy(h.team_id, t.id, GR_ID_SIZE);
    if (chan)
        memcpy(h.channel_id, c.id, GR_ID_SIZE);
    memcpy(h.creator_id, u.id, GR_ID_SIZE);
    if (gr_outgoing_admin_create(st, &h, &e)) {
        gr_cli__err(a, "%s (%s)", e.message, e.id);
        goto out;
    }
    printf("%s\n%s\n%s\n", h.id, h.token, h.secret);
    code = 0;
out:
    explicit_bzero(h.secret, sizeof h.secret);
    gr_outgoing_hook_cleanup(&h);
    return code;
}

/* "a,b" from a JSON array text. */
static void print_list(const char *text)
{
    json_t *arr = json_loads(text ? text : "[]", 0, NULL);

    for (size_t i = 0; i < json_array_size(arr); i++)
        printf("%s%s", i ? "," : "", json_string_value(json_array_get(arr, i)));
    if (json_array_size(arr) == 0)
        fputs("-", stdout);
    json_decref(arr);
}

static int list(struct gr_cli_args *a, struct gr_store *st)
{
    const char *team = gr_cli__opt(a, "team");
    struct gr_outgoing_hook_list l = {0};
    struct gr_team t;
    struct gr_channel c;
    struct gr_apperr e;

    if (team && gr_admin_team_find(st, team, &t, &e)) {
        gr_cli__err(a, "%s", e.message);
        return 1;
    }
    if (gr_store_outgoing_list(st, team ? t.id : "", 0, 0, &l) != GR_OK) {
        gr_cli__err(a, "cannot read the outgoing webhooks");
        return 1;
    }
    if (gr_cli__flag(a, "json")) {
        json_t *arr = json_array();
        char *s;
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, gr_outgoing_admin_shape(&l.v[i], false));
        s = json_dumps(arr, JSON_INDENT(2));
        json_decref(arr);
        if (s)
            puts(s);
        free(s);
    } else {
        for (size_t i = 0; i < l.n; i++) {
            const struct gr_outgoing_hook *h = &l.v[i];
            if (gr_store_team_get(st, h->team_id, &t) != GR_OK)
                snprintf(t.name, sizeof t.name, "?");
            if (h->channel_id[0] == '\0')
                snprintf(c.name, sizeof c.name, "*");
            else if (gr_store_channel_get(st, h->channel_id, &c) != GR_OK)
                snprintf(c.name, sizeof c.name, "?");
            printf("%s\t%s\t%s\t", h->id, t.name, c.name);
            print_list(h->trigger_words);
            putchar('\t');
            print_list(h->callback_urls);
            putchar('\n');
        }
    }
    gr_outgoing_hook_list_free(&l);
    return 0;
}

/* delete, regen-token, rotate-secret on the hook named by pos[1]. */
static int on_hook(struct gr_cli_args *a, struct gr_store *st, const char *what)
{
    struct gr_outgoing_hook h;
    struct gr_apperr e;
    int code = 1;

    if (gr_outgoing_admin_get(st, a->pos[1], &h, &e)) {
        gr_cli__err(a, "no outgoing webhook with id '%s'", a->pos[1]);
        return 1;
    }
    if (strcmp(what, "delete") == 0) {
        if (!gr_outgoing_admin_delete(st, h.id, &e)) {
            printf("deleted %s\n", h.id);
            code = 0;
        }
    } else if (strcmp(what, "regen-token") == 0) {
        if (!gr_outgoing_admin_regen_token(st, &h, &e)) {
            printf("%s\n", h.token);
            code = 0;
        }
    } else if (!gr_outgoing_admin_rotate_secret(st, &h, &e)) {
        printf("%s\n", h.secret);
        code = 0;
    }
    if (code)
        gr_cli__err(a, "%s", e.message);
    explicit_bzero(h.secret, sizeof h.secret);
    gr_outgoing_hook_cleanup(&h);
    return code;
}

int gr_cli_outgoing(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    int code = gr_cli__parse(&a, "outgoing", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos == 0) {
        code = gr_cli__usage_error(&a, usage, "missing subcommand");
        goto out;
    }
    if (strcmp(a.pos[0], "create") == 0 && a.npos == 1) {
        if (gr_cli__opt(&a, "callback") == NULL) {
            code = gr_cli__usage_error(&a, usage, "create needs --callback URL");
            goto out;
        }
        if (gr_cli__opt(&a, "trigger-words") == NULL && gr_cli__opt(&a, "channel") == NULL) {
            code = gr_cli__usage_error(&a, usage,
                                       "create needs --trigger-words, --channel or both");
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
            code = on_hook(&a, st, a.pos[0]);
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
