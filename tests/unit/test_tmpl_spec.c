/* SPDX-License-Identifier: MIT */
/*
 * test_tmpl_spec.c - runs every test of the official Mustache spec (the JSON files in
 * ../shared/conformance/mustache/, or $GRIOT_SHARED/conformance/mustache/) through src/tmpl in
 * its standard mode: GR_TMPL_HTML, helpers off, partials from each test's "partials" object.
 *
 * Prints "mustache spec FILE: N/M passed" per file and a total, and the template, expected and
 * actual output of every failure. Core files and the optional modules griot implements
 * (~inheritance, ~dynamic-names) must all pass; a file of another optional module (~lambdas
 * needs code in the data, which JSON cannot carry) is reported but cannot fail the run.
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

static char spec_dir[4096];

static const char *const implemented_optional[] = {"~inheritance.json", "~dynamic-names.json"};

static bool try_dir(const char *dir)
{
    DIR *d = opendir(dir);

    if (d == NULL)
        return false;
    closedir(d);
    snprintf(spec_dir, sizeof(spec_dir), "%s", dir);
    return true;
}

static bool find_dir(void)
{
    const char *env = getenv("GRIOT_SHARED");
    char buf[4096];

    if (env && *env) {
        snprintf(buf, sizeof(buf), "%s/conformance/mustache", env);
        if (try_dir(buf))
            return true;
    }
    return try_dir("../shared/conformance/mustache");
}

static const char *partial_cb(void *ud, const char *name, size_t *len_out)
{
    json_t *p = json_object_get((json_t *)ud, name);

    if (!json_is_string(p))
        return NULL;
    *len_out = json_string_length(p);
    return json_string_value(p);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *label, const char *s)
{
    printf("    %s: \"", label);
    for (; *s; s++) {
        if (*s == '\n')
            printf("\\n");
        else if (*s == '\r')
            printf("\\r");
        else if (*s == '\t')
            printf("\\t");
        else
            putchar(*s);
    }
    printf("\"\n");
}

/* Runs one spec file; returns the number of failures, counts in *total. */
static size_t run_file(const char *fname, size_t *total)
{
    char path[8192], err[256];
    json_error_t jerr;
    json_t *doc, *tests, *tc;
    size_t i, failed = 0;

    snprintf(path, sizeof(path), "%s/%s", spec_dir, fname);
    doc = json_load_file(path, 0, &jerr);
    if (doc == NULL) {
        printf("mustache spec %s: cannot load: %s (line %d)\n", fname, jerr.text, jerr.line);
        *total = 1;
        return 1;
    }
    tests = json_object_get(doc, "tests");
    *total = json_array_size(tests);
    json_array_foreach(tests, i, tc)
    {
        json_t *partials = json_object_get(tc, "partials");
        const char *tpl = json_string_value(json_object_get(tc, "template"));
        const char *want = json_string_value(json_object_get(tc, "expected"));
        struct gr_tmpl_opts o = {
                .mode = GR_TMPL_HTML,
                .helpers = false,
                .partial = partial_cb,
                .partial_ud = partials,
        };
        struct gr_tmpl *t = NULL;
        struct gr_buf out;
        gr_err rc;

        gr_buf_init(&out, GR_BUF_UNBOUNDED);
        err[0] = '\0';
        rc = gr_tmpl_compile(tpl, strlen(tpl), &t, err, sizeof(err));
        if (rc == GR_OK)
            rc = gr_tmpl_render(t, json_object_get(tc, "data"), &o, &out);
        if (rc != GR_OK || strcmp(gr_buf_str(&out), want) != 0) {
            failed++;
            printf("  FAIL %s: %s\n", fname, json_string_value(json_object_get(tc, "name")));
            show("template", tpl);
            show("expected", want);
            if (rc != GR_OK)
                printf("    error: %s (%s)\n", gr_err_str(rc), err);
            else
                show("got     ", gr_buf_str(&out));
        }
        gr_tmpl_free(t);
        gr_buf_cleanup(&out);
    }
    json_decref(doc);
    return failed;
}

static bool is_implemented(const char *name)
{
    if (name[0] != '~')
        return true;
    for (size_t i = 0; i < sizeof(implemented_optional) / sizeof(implemented_optional[0]); i++)
        if (strcmp(name, implemented_optional[i]) == 0)
            return true;
    return false;
}

static void spec_all_files(void **state)
{
    char *names[64];
    size_t n = 0, all = 0, all_failed = 0, must_failed = 0;
    struct dirent *de;
    DIR *d;

    (void)state;
    if (!find_dir()) {
        printf("mustache spec: conformance files not found: looked in "
               "$GRIOT_SHARED/conformance/mustache and ../shared/conformance/mustache "
               "(run from the repository root)\n");
        fail_msg("Mustache spec files not found");
    }
    d = opendir(spec_dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL && n < 64) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_names);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        size_t total = 0, failed = run_file(names[i], &total);

        printf("mustache spec %s: %zu/%zu passed%s\n", names[i], total - failed, total,
               is_implemented(names[i]) ? "" : " (optional module not implemented)");
        all += total;
        all_failed += failed;
        if (is_implemented(names[i]))
            must_failed += failed;
        free(names[i]);
    }
    printf("mustache spec total: %zu/%zu passed\n", all - all_failed, all);
    assert_int_equal(must_failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(spec_all_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
