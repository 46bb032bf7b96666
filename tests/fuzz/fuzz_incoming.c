/* SPDX-License-Identifier: MIT */
/*
 * fuzz_incoming.c - libFuzzer target for the incoming-webhook decoder (src/mm/).
 *
 * The first byte picks the Content-Type (and the split limits); selector 7 takes the
 * Content-Type from the input itself, up to the first newline. The rest is the body, fed to
 * gr_mm_incoming_decode and, when accepted, through both checks and gr_mm_incoming_build with
 * small limits so that splitting and attachment truncation run often. Besides the sanitizers,
 * the target checks the build's invariants: every message is valid UTF-8 of at most max_runes
 * code points and every draft's props serialise within max_props_runes.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_incoming.c <every src .c file but main.c> $(pkg-config ...) -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mm/incoming.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool lookup(void *ud, const char *id, char *out, size_t size)
{
    (void)ud;
    if (strcmp(id, "U1") != 0)
        return false;
    snprintf(out, size, "user.one");
    return true;
}

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void run(const char *ct, const char *body, size_t len, uint8_t sel)
{
    struct gr_mm_build_opts o = {
            .username_override = sel & 8,
            .icon_override = sel & 16,
            .max_runes = 1 + (sel >> 3) % 32,
            .max_props_runes = 60 + (size_t)sel * 4,
            .hook_display_name = "hook",
            .hook_username = (sel & 32) ? "" : "hookuser",
            .hook_icon_url = "",
            .username_of = lookup,
    };
    struct gr_mm_incoming in;
    struct gr_mm_draft *d = NULL;
    struct gr_apperr e;
    size_t nd = 0;

    if (gr_mm_incoming_decode(ct, body, len, "fuzz", &in, &e) != 0) {
        check(e.status == 400 && e.id != NULL);
        return;
    }
    if (gr_mm_incoming_check_text(&in, &e) == 0 && gr_mm_incoming_check_fields(&in, &e) == 0 &&
        gr_mm_incoming_build(&in, &o, &d, &nd, &e) == 0) {
        check(nd >= 1);
        for (size_t i = 0; i < nd; i++) {
            char *p = json_dumps(d[i].props, JSON_COMPACT);
            size_t ml = strlen(d[i].message);

            check(gr_utf8_valid(d[i].message, ml));
            check(gr_utf8_count(d[i].message, ml) <= o.max_runes);
            check(p != NULL && gr_utf8_count(p, strlen(p)) <= o.max_props_runes);
            check(json_is_string(json_object_get(d[i].props, "from_webhook")));
            free(p);
        }
    }
    gr_mm_drafts_free(d, nd);
    gr_mm_incoming_cleanup(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {
            NULL,
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=XyZ",
            "text/plain; charset=utf-8",
            "multipart/form-data; boundary=\"a b\"",
            "",
    };
    char ct[256];
    const char *body;
    size_t len;
    uint8_t sel;

    if (size == 0)
        return 0;
    sel = data[0];
    body = (const char *)data + 1;
    len = size - 1;
    if (sel % 8 == 7) {
        const char *nl = memchr(body, '\n', len);
        size_t skip = nl ? (size_t)(nl - body) + 1 : len;
        size_t n = nl ? (size_t)(nl - body) : len;

        if (n >= sizeof ct)
            n = sizeof ct - 1;
        memcpy(ct, body, n);
        ct[n] = '\0';
        run(ct, body + skip, len - skip, sel);
    } else {
        run(types[sel % 8 % (sizeof types / sizeof types[0])], body, len, sel);
    }
    return 0;
}
