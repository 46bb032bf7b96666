/* SPDX-License-Identifier: MIT */
/*
 * cli_template.c - `griot template render`: try a template (or a source's default rendering)
 * against a saved payload before going live. Prints the message text, then the attachments
 * as JSON when there are any (or the whole message with --json).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "app/ingest.h"

static const char usage[] =
        "usage: griot template render --data FILE [--template FILE] [--source KIND]\n"
        "                             [--headers FILE] [--lang en|fr] [--json]\n"
        "\n"
        "Renders what a hook would post for the payload in --data: with --template, that\n"
        "template (Mustache, Markdown mode, helpers on; see docs/templates.md); without, the\n"
        "source's default message. --source KIND parses the payload as that source would\n"
        "(forgejo, github, grafana, wave, ...; default mattermost: the data is the context).\n"
        "--headers FILE gives request headers (one 'Name: value' per line, as the fixtures'\n"
        ".headers files) for sources that read event names from headers. No signature is\n"
        "checked. Prints the text, then the attachments as JSON; --json prints the message.\n";

static const struct gr_cli_opt opts[] = {{"data", true},    {"template", true}, {"source", true},
                                         {"headers", true}, {"lang", true},     {"json", false},
                                         {NULL, false}};

struct headers {
    char *names[64], *values[64];
    size_t n;
};

static const char *header_of(void *ud, const char *name)
{
    struct headers *h = ud;
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->names[i], name) == 0)
            return h->values[i];
    return NULL;
}

static void load_headers(char *text, struct headers *h)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line && h->n < 64;
         line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        colon++;
        while (*colon == ' ')
            colon++;
        h->names[h->n] = line;
        h->values[h->n] = colon;
        h->n++;
    }
}

int gr_cli_template(int argc, char **argv)
{
    struct gr_cli_args a;
    struct headers hdrs = {.n = 0};
    char *data = NULL, *tmpl = NULL, *htext = NULL;
    const char *data_path, *tmpl_path, *hpath, *ct;
    json_t *msg = NULL;
    struct gr_apperr e;
    size_t len = 0;
    int code;

    /* --data here is the payload file, not the data directory: parse by hand first. */
    code = gr_cli__parse(&a, "template", usage, opts, argc, argv);
    if (code)
        return code < 0 ? 0 : code;
    if (a.npos != 1 || strcmp(a.pos[0], "render") != 0) {
        gr_cli__err(&a, a.npos ? "expected: render" : "missing subcommand");
        fputs(usage, stderr);
        code = 2;
        goto out;
    }
    data_path = gr_cli__opt(&a, "data");
    tmpl_path = gr_cli__opt(&a, "template");
    hpath = gr_cli__opt(&a, "headers");
    if (data_path == NULL) {
        gr_cli__err(&a, "render needs --data FILE");
        fputs(usage, stderr);
        code = 2;
        goto out;
    }
    data = gr_cli__read_file(data_path, 25 << 20, &len);
    if (data == NULL) {
        gr_cli__err(&a, "--data %s: %s", data_path, strerror(errno));
        code = 1;
        goto out;
    }
    if (tmpl_path && (tmpl = gr_cli__read_file(tmpl_path, 8192, NULL)) == NULL) {
        gr_cli__err(&a, "--template %s: %s", tmpl_path, strerror(errno));
        code = 1;
        goto out;
    }
    if (hpath) {
        htext = gr_cli__read_file(hpath, 65536, NULL);
        if (htext == NULL) {
            gr_cli__err(&a, "--headers %s: %s", hpath, strerror(errno));
            code = 1;
            goto out;
        }
        load_headers(htext, &hdrs);
    }
    ct = header_of(&hdrs, "Content-Type");
    code = gr_ingest_preview(gr_cli__opt(&a, "source"), tmpl, gr_cli__opt(&a, "lang"),
                             ct ? ct : "application/json", data, len, header_of, &hdrs, &msg, &e);
    if (code) {
        gr_cli__err(&a, "%s", e.message);
        code = 1;
        goto out;
    }
    if (gr_cli__flag(&a, "json")) {
        char *s = json_dumps(msg, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
    } else {
        const char *text = json_string_value(json_object_get(msg, "text"));
        json_t *att = json_object_get(msg, "attachments");
        puts(text ? text : "");
        if (json_array_size(att)) {
            char *s = json_dumps(att, JSON_INDENT(2));
            printf("--- attachments\n%s\n", s ? s : "[]");
            free(s);
        }
    }
out:
    json_decref(msg);
    free(data);
    free(tmpl);
    free(htext);
    gr_cli__args_cleanup(&a);
    return code;
}
