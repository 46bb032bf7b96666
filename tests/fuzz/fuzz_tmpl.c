/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tmpl.c - libFuzzer target for the Mustache engine (src/tmpl/).
 *
 * The input is "TEMPLATE\0JSON": the template is compiled once and rendered in both modes, with
 * helpers on and off, against the JSON (or, when that part is missing or does not parse, a
 * fixed payload with strings, numbers, dates, nested lists and objects). Partials come from a
 * callback: names starting with 's' return the fuzzed template itself (self-inclusion, so
 * recursion limits are exercised), a few fixed names return small templates with blocks and
 * parents, anything else is unknown. The output budget is small so that runs stay fast.
 * Besides the sanitizers, the target checks that a failed render leaves the buffer unchanged
 * and that no render passes the output budget.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_tmpl.c src/tmpl/[a-z_]*.c src/core/[a-z_]*.c \
 *       $(pkg-config --cflags --libs jansson libcrypto) -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BUDGET 4096

struct src {
    const char *p;
    size_t len;
};

static const char fallback[] =
        "{\"name\":\"Joe & <Co>\",\"n\":12500,\"r\":0.1,\"t\":\"2024-03-01T10:20:30.123+02:00\","
        "\"u\":1709288430,\"ok\":true,\"no\":false,\"z\":null,\"e\":\"\",\"l\":[1,\"a\",[2,3],"
        "{\"message\":\"m1\\nbody\"}],\"o\":{\"a\":{\"b\":{\"c\":\"deep\"}},\"list\":[]},"
        "\"p\":\"s\",\"q\":\"a\"}";

static const char *partial(void *ud, const char *name, size_t *len_out)
{
    const struct src *self = ud;
    static const char *const fixed[][2] = {
            {"a", "[{{$x}}dx{{/x}}{{>b}}]"},
            {"b", "{{#l}}<{{.}}>{{/l}}\n  {{$y}}\n  dy\n  {{/y}}\n"},
            {"c", "{{<a}}{{$x}}cx{{/x}}{{/a}}"},
            {"d", "{{>d}}"},
    };

    if (name[0] == 's') {
        *len_out = self->len;
        return self->p;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (strcmp(name, fixed[i][0]) == 0) {
            *len_out = strlen(fixed[i][1]);
            return fixed[i][1];
        }
    }
    return NULL;
}

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nul = memchr(in, '\0', size);
    size_t tlen = nul ? (size_t)(nul - in) : size;
    struct src self = {in, tlen};
    struct gr_tmpl *t = NULL;
    json_t *json = NULL;
    char err[256];

    if (nul != NULL)
        json = json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (json == NULL)
        json = json_loads(fallback, 0, NULL);
    if (gr_tmpl_compile(in, tlen, &t, err, sizeof(err)) != GR_OK) {
        check(strncmp(err, "line ", 5) == 0 || strcmp(err, "out of memory") == 0);
        goto out;
    }
    for (int mode = 0; mode < 2; mode++) {
        for (int helpers = 0; helpers < 2; helpers++) {
            struct gr_tmpl_opts o = {
                    .mode = mode ? GR_TMPL_MARKDOWN : GR_TMPL_HTML,
                    .helpers = helpers != 0,
                    .partial = partial,
                    .partial_ud = &self,
                    .max_output = BUDGET,
                    .max_depth = 24,
            };
            struct gr_buf out;
            gr_err rc;

            gr_buf_init(&out, GR_BUF_UNBOUNDED);
            gr_buf_appends(&out, "prefix");
            rc = gr_tmpl_render(t, json, &o, &out);
            if (rc != GR_OK)
                check(out.len == 6 && memcmp(out.p, "prefix", 6) == 0);
            check(out.len <= 6 + BUDGET);
            gr_buf_cleanup(&out);
        }
    }
    /* The one-shot path with its error messages, in chat mode. */
    {
        struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .helpers = true, .max_output = BUDGET};
        struct gr_buf out;

        gr_buf_init(&out, BUDGET / 2);
        if (gr_tmpl_render_string(in, tlen, json, &o, &out, err, sizeof(err)) != GR_OK)
            check(err[0] != '\0');
        gr_buf_cleanup(&out);
    }
out:
    gr_tmpl_free(t);
    json_decref(json);
    return 0;
}
