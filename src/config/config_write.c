/* SPDX-License-Identifier: MIT */
/*
 * config_write.c - prints the options table as Markdown and a configuration as YAML.
 *
 * The Markdown is the reference part of docs/config.md and the text of `griot config --help`;
 * a unit test keeps the two identical. The YAML is what `griot config show` prints, and reading
 * it back with gr_config_load_file gives the same configuration (a unit test checks that too),
 * so it doubles as a starting config file. Both only read the table and the struct.
 */
#include "config/config.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

/* Writes s for a Markdown table cell, where '|' would end the cell. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void md_type(FILE *f, const struct gr_config__option *o)
{
    switch (o->type) {
    case GR_CONFIG__BOOL:
        fputs("bool", f);
        break;
    case GR_CONFIG__INT:
    case GR_CONFIG__LONG:
        fprintf(f, "integer, %.0f to %.0f", o->min, o->max);
        break;
    case GR_CONFIG__DOUBLE:
        fprintf(f, "number, %.0f to %.0f", o->min, o->max);
        break;
    case GR_CONFIG__STRING:
        fputs("string", f);
        break;
    case GR_CONFIG__ENUM:
        for (const char *const *ch = o->choices; *ch != NULL; ch++)
            fprintf(f, "%s`%s`", ch == o->choices ? "" : ch[1] == NULL ? " or " : ", ", *ch);
        break;
    case GR_CONFIG__LIST:
        fprintf(f, "list, up to %zu", o->max_items);
        break;
    }
}

static void md_default(FILE *f, const struct gr_config__option *o)
{
    if (o->def_doc != NULL)
        md_cell(f, o->def_doc);
    else if (o->def == NULL || o->def[0] == '\0')
        fputs(o->type == GR_CONFIG__LIST ? "none" : "empty", f);
    else
        fprintf(f, "`%s`", o->def);
}

void gr_config_write_markdown(FILE *f)
{
    fputs("| Option | Flag | Environment | Type | Default | Description |\n"
          "|---|---|---|---|---|---|\n",
          f);
    for (size_t i = 0; i < gr_config__noptions; i++) {
        const struct gr_config__option *o = &gr_config__options[i];

        fprintf(f, "| `%s` | `%s` | `%s` | ", o->name, o->flag != NULL ? o->flag : "--set", o->env);
        md_type(f, o);
        fputs(" | ", f);
        md_default(f, o);
        fputs(" | ", f);
        md_cell(f, o->help);
        if (o->mm != NULL)
            fprintf(f, " Mattermost: `%s`.", o->mm);
        fputs(" |\n", f);
    }
}

/* Writes s as a double-quoted YAML scalar. */
static void yaml_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void yaml_list(FILE *f, char *const *items, size_t n)
{
    if (n == 0) {
        fputs(" []\n", f);
        return;
    }
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        fputs("  - ", f);
        yaml_str(f, items[i] != NULL ? items[i] : "");
        fputc('\n', f);
    }
}

void gr_config_write_yaml(const struct gr_config *c, FILE *f)
{
    char num[32];

    fputs("# griot configuration; see docs/config.md\n", f);
    for (size_t i = 0; i < gr_config__noptions; i++) {
        const struct gr_config__option *o = &gr_config__options[i];
        const char *s;

        fprintf(f, "%s:", o->name);
        switch (o->type) {
        case GR_CONFIG__BOOL:
            fprintf(f, " %s\n", *GR_CONFIG__CFIELD(c, o, bool) ? "true" : "false");
            break;
        case GR_CONFIG__INT:
            fprintf(f, " %d\n", *GR_CONFIG__CFIELD(c, o, int));
            break;
        case GR_CONFIG__LONG:
            fprintf(f, " %ld\n", *GR_CONFIG__CFIELD(c, o, long));
            break;
        case GR_CONFIG__DOUBLE:
            gr_config__format_double(*GR_CONFIG__CFIELD(c, o, double), num, sizeof(num));
            fprintf(f, " %s\n", num);
            break;
        case GR_CONFIG__STRING:
        case GR_CONFIG__ENUM:
            s = *GR_CONFIG__CFIELD(c, o, char *);
            fputc(' ', f);
            yaml_str(f, s != NULL ? s : "");
            /* db_url is the one option whose empty value stands for a computed one. */
            if (s == NULL && strcmp(o->name, "db_url") == 0) {
                char *url = gr_config_db_url(c);

                fputs(" # empty means ", f);
                yaml_str(f, url); /* escaped, so a newline cannot end the comment */
                free(url);
            }
            fputc('\n', f);
            break;
        case GR_CONFIG__LIST:
            yaml_list(f, GR_CONFIG__CFIELD(c, o, char *), *GR_CONFIG__CCOUNT(c, o));
            break;
        }
    }
}
