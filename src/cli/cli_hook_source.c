/* SPDX-License-Identifier: MIT */
/*
 * cli_hook_source.c - the native-source flags of `griot hook create`: they become the hook's
 * source and its source_config document (app/hook_config.h). Secrets may come from files
 * (--secret-file) so they stay out of shell history.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "adapter/adapter.h"
#include "app/hook_config.h"
#include "core/cidr.h"

/* Reads a whole small file (secret, template) into a malloc'd string without the trailing
 * newline; NULL with errno on failure. */
char *gr_cli__read_file(const char *path, size_t max, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL)
        return NULL;
    buf = malloc(max + 1);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    n = fread(buf, 1, max + 1, f);
    fclose(f);
    if (n > max) {
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    buf[n] = '\0';
    if (len_out)
        *len_out = n;
    return buf;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static int add_list(json_t *cfg, const char *key, const char *const *vals, size_t n)
{
    json_t *a;

    if (n == 0)
        return 0;
    a = json_object_get(cfg, key);
    if (!json_is_array(a)) {
        a = json_array();
        json_object_set_new(cfg, key, a);
    }
    for (size_t i = 0; i < n; i++) {
        /* "a,b,c" is the same as three flags. */
        const char *p = vals[i];
        while (*p) {
            size_t k = strcspn(p, ",");
            if (k)
                json_array_append_new(a, json_stringn(p, k));
            p += k;
            if (*p == ',')
                p++;
        }
    }
    return 0;
}

int gr_cli__hook_source(struct gr_cli_args *a, struct gr_hook *h)
{
    static const char *const strs[][2] = {
            {"sig-header", "sig_header"}, {"sig-algo", "sig_algo"},
            {"sig-encoding", "sig_encoding"}, {"sig-prefix", "sig_prefix"},
            {"sig-content", "sig_content"}, {"ts-header", "ts_header"},
            {"lang", "lang"}, {"channel-template", "channel_template"},
            {"allow-channel-prefix", "allow_channel_prefix"},
    };
    const char *source = gr_cli__opt(a, "source"), *v;
    const char *const *vals;
    const struct gr_adapter *ad = NULL;
    json_t *cfg = json_object();
    struct gr_hook_config hc;
    struct gr_apperr e;
    size_t n;
    char *s;
    int code = 0;

    if (source && strcmp(source, "mattermost") != 0) {
        ad = gr_adapter_find(source);
        if (ad == NULL) {
            size_t na;
            const struct gr_adapter *const *all = gr_adapter_all(&na);
            fprintf(stderr, "griot hook: --source '%s' is not known; choose mattermost", source);
            for (size_t i = 0; i < na; i++)
                fprintf(stderr, ", %s", all[i]->name);
            fputc('\n', stderr);
            code = 2;
            goto out;
        }
    }
    snprintf(h->source, sizeof h->source, "%s", source ? source : "mattermost");
    n = gr_cli__opt_all(a, "secret", &vals);
    add_list(cfg, "secrets", vals, 0);
    if (n) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_string(vals[i]));
        json_object_set_new(cfg, "secrets", arr);
    }
    n = gr_cli__opt_all(a, "secret-file", &vals);
    for (size_t i = 0; i < n; i++) {
        char *sec = gr_cli__read_file(vals[i], 4096, NULL);
        json_t *arr = json_object_get(cfg, "secrets");
        if (sec == NULL) {
            gr_cli__err(a, "--secret-file %s: %s", vals[i], strerror(errno));
            code = 1;
            goto out;
        }
        chomp(sec);
        if (!json_is_array(arr)) {
            arr = json_array();
            json_object_set_new(cfg, "secrets", arr);
        }
        json_array_append_new(arr, json_string(sec));
        explicit_bzero(sec, strlen(sec));
        free(sec);
    }
    n = gr_cli__opt_all(a, "auth-bearer", &vals);
    if (n) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_string(vals[i]));
        json_object_set_new(cfg, "auth_bearer", arr);
    }
    n = gr_cli__opt_all(a, "auth-basic", &vals);
    if (n) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_string(vals[i]));
        json_object_set_new(cfg, "auth_basic", arr);
    }
    n = gr_cli__opt_all(a, "allow-ip", &vals);
    add_list(cfg, "allow_ip", vals, n);
    n = gr_cli__opt_all(a, "events", &vals);
    add_list(cfg, "events", vals, n);
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if ((v = gr_cli__opt(a, strs[i][0])) != NULL)
            json_object_set_new(cfg, strs[i][1], json_string(v));
    if ((v = gr_cli__opt(a, "tolerance")) != NULL) {
        char *end;
        long t;
        errno = 0;
        t = strtol(v, &end, 10);
        if (errno || *end || end == v || t < 0) {
            gr_cli__err(a, "--tolerance: expected seconds >= 0 (0 = no window), got '%s'", v);
            code = 2;
            goto out;
        }
        json_object_set_new(cfg, "tolerance", json_integer(t));
    }
    if (gr_cli__flag(a, "auto-create"))
        json_object_set_new(cfg, "auto_create", json_true());
    if ((v = gr_cli__opt(a, "template")) != NULL) {
        size_t len;
        char *t = gr_cli__read_file(v, 8192, &len);
        if (t == NULL) {
            gr_cli__err(a, "--template %s: %s%s", v, strerror(errno),
                        errno == EFBIG ? " (8 KiB at most)" : "");
            code = 1;
            goto out;
        }
        json_object_set_new(cfg, "template", json_stringn(t, len));
        free(t);
    }
    s = json_dumps(cfg, JSON_COMPACT);
    if (s == NULL || strlen(s) >= sizeof h->source_config) {
        free(s);
        gr_cli__err(a, "the hook's source settings are too large");
        code = 1;
        goto out;
    }
    snprintf(h->source_config, sizeof h->source_config, "%s", s);
    free(s);
    /* Validate what was built, so errors name the flag now rather than at the first request. */
    if (gr_hook_config_parse(h->source_config, &hc, &e)) {
        gr_cli__err(a, "%s", e.message);
        code = 2;
        goto out;
    }
    if (gr_hook_config_check(&hc, &e)) {
        gr_cli__err(a, "%s", e.message);
        gr_hook_config_cleanup(&hc);
        code = 2;
        goto out;
    }
    if (ad && ad->requires_auth && hc.nsecrets == 0 && hc.nbearer == 0 && hc.nbasic == 0) {
        gr_cli__err(a, "a %s hook needs --secret (or --secret-file) or --auth-bearer: griot never "
                       "posts an unverified payment",
                    ad->name);
        code = 2;
    } else if (source && strcmp(source, "generic") == 0 && hc.nsecrets && !hc.sig_header) {
        gr_cli__err(a, "a generic hook with --secret needs --sig-header NAME");
        code = 2;
    } else if ((!source || strcmp(source, "mattermost") == 0) &&
               (hc.nsecrets || hc.template_src || hc.channel_template)) {
        gr_cli__err(a, "--secret, --template and --channel-template need --source KIND");
        code = 2;
    }
    gr_hook_config_cleanup(&hc);
out:
    json_decref(cfg);
    return code;
}
