/* SPDX-License-Identifier: MIT */
/*
 * cli_args.c - argument parsing shared by every subcommand: `--name VALUE`, `--name=VALUE`,
 * flags, positionals, the common options and the configuration they select
 * (defaults < file < environment < flags).
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct gr_cli_opt common[] = {
        {"data", true}, {"db", true}, {"config", true}, {"site-url", true},
        {"set", true},  {"help", false},
};
#define NCOMMON (sizeof common / sizeof common[0])

void gr_cli__err(const struct gr_cli_args *a, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "griot %s: ", a->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int find(const struct gr_cli_args *a, const char *name, size_t len)
{
    for (size_t i = 0; i < a->nopts + NCOMMON; i++) {
        const char *n = i < a->nopts ? a->opts[i].name : common[i - a->nopts].name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return (int)i;
    }
    return -1;
}

static bool has_arg(const struct gr_cli_args *a, int i)
{
    return (size_t)i < a->nopts ? a->opts[i].has_arg : common[(size_t)i - a->nopts].has_arg;
}

const char *gr_cli__opt(const struct gr_cli_args *a, const char *name)
{
    int i = find(a, name, strlen(name));
    if (i < 0 || a->nvals[i] == 0)
        return NULL;
    return a->vals[i][a->nvals[i] - 1];
}

bool gr_cli__flag(const struct gr_cli_args *a, const char *name)
{
    int i = find(a, name, strlen(name));
    return i >= 0 && a->nvals[i] > 0;
}

size_t gr_cli__opt_all(const struct gr_cli_args *a, const char *name, const char *const **out)
{
    int i = find(a, name, strlen(name));
    if (i < 0)
        return 0;
    *out = a->vals[i];
    return a->nvals[i];
}

static int load_config(struct gr_cli_args *a)
{
    char err[512];
    const char *file = gr_cli__opt(a, "config");
    const char *const *sets;
    size_t n;

    gr_config_init(&a->cfg);
    if (file == NULL)
        file = getenv("GRIOT_CONFIG");
    if (file && gr_config_load_file(&a->cfg, file, err, sizeof err) != GR_OK)
        goto bad;
    if (gr_config_apply_env(&a->cfg, NULL, err, sizeof err) != GR_OK)
        goto bad;
    if (gr_cli__opt(a, "data") &&
        gr_config_set(&a->cfg, "data_dir", gr_cli__opt(a, "data"), err, sizeof err) != GR_OK)
        goto bad;
    if (gr_cli__opt(a, "db") &&
        gr_config_set(&a->cfg, "db_url", gr_cli__opt(a, "db"), err, sizeof err) != GR_OK)
        goto bad;
    if (gr_cli__opt(a, "site-url") &&
        gr_config_set(&a->cfg, "site_url", gr_cli__opt(a, "site-url"), err, sizeof err) != GR_OK)
        goto bad;
    n = gr_cli__opt_all(a, "listen", &sets);
    for (size_t i = 0; i < n; i++)
        if (gr_config_set(&a->cfg, "listen", sets[i], err, sizeof err) != GR_OK)
            goto bad;
    n = gr_cli__opt_all(a, "allow-internal", &sets);
    for (size_t i = 0; i < n; i++)
        if (gr_config_set(&a->cfg, "allow_internal", sets[i], err, sizeof err) != GR_OK)
            goto bad;
    if (gr_cli__opt(a, "outgoing-timeout") &&
        gr_config_set(&a->cfg, "outgoing_timeout", gr_cli__opt(a, "outgoing-timeout"), err,
                      sizeof err) != GR_OK)
        goto bad;
    n = gr_cli__opt_all(a, "set", &sets);
    for (size_t i = 0; i < n; i++) {
        char name[64];
        const char *eq = strchr(sets[i], '=');
        if (eq == NULL || (size_t)(eq - sets[i]) >= sizeof name) {
            gr_cli__err(a, "--set '%s': expected NAME=VALUE", sets[i]);
            return 2;
        }
        memcpy(name, sets[i], (size_t)(eq - sets[i]));
        name[eq - sets[i]] = '\0';
        if (gr_config_set(&a->cfg, name, eq + 1, err, sizeof err) != GR_OK)
            goto bad;
    }
    if (gr_config_validate(&a->cfg, err, sizeof err) != GR_OK)
        goto bad;
    return 0;
bad:
    gr_cli__err(a, "%s", err);
    return 1;
}

int gr_cli__parse(struct gr_cli_args *a, const char *cmd, const char *usage,
                  const struct gr_cli_opt *opts, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->opts = opts;
    while (opts && opts[a->nopts].name)
        a->nopts++;
    for (int k = 0; k < argc; k++) {
        const char *arg = argv[k];
        if (strncmp(arg, "--", 2) == 0 && arg[2]) {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int i = find(a, name, len);
            const char *val = "";
            if (i < 0) {
                gr_cli__err(a, "unknown option '%.*s'", (int)len + 2, arg);
                goto usage;
            }
            if (has_arg(a, i)) {
                if (eq) {
                    val = eq + 1;
                } else if (k + 1 < argc) {
                    val = argv[++k];
                } else {
                    gr_cli__err(a, "option '--%.*s' needs a value", (int)len, name);
                    goto usage;
                }
            } else if (eq) {
                gr_cli__err(a, "option '--%.*s' takes no value", (int)len, name);
                goto usage;
            }
            if (a->nvals[i] >= GR_CLI_MAX_VALS) {
                gr_cli__err(a, "option '--%.*s' given too many times", (int)len, name);
                goto usage;
            }
            a->vals[i][a->nvals[i]++] = val;
        } else {
            if (a->npos >= GR_CLI_MAX_POS) {
                gr_cli__err(a, "too many arguments");
                goto usage;
            }
            a->pos[a->npos++] = arg;
        }
    }
    if (gr_cli__flag(a, "help")) {
        fputs(usage, stdout);
        return -1;
    }
    return load_config(a);
usage:
    fputs(usage, stderr);
    return 2;
}

void gr_cli__args_cleanup(struct gr_cli_args *a)
{
    gr_config_cleanup(&a->cfg);
}

int gr_cli__open_store(struct gr_cli_args *a, struct gr_store **out)
{
    char err[512];
    char *url = gr_config_db_url(&a->cfg);
    gr_err rc = gr_store_open(url, 0, out, err, sizeof err);

    free(url);
    if (rc != GR_OK) {
        gr_cli__err(a, "%s", err);
        return 1;
    }
    return 0;
}

int gr_cli__usage_error(const struct gr_cli_args *a, const char *usage, const char *msg)
{
    gr_cli__err(a, "%s", msg);
    fputs(usage, stderr);
    return 2;
}

bool gr_cli__copy(char *dst, size_t size, const char *src)
{
    if (src == NULL)
        return true;
    if (strlen(src) >= size)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}
