/* SPDX-License-Identifier: MIT */
/*
 * fuzz_replies.c - libFuzzer target for the slash-command reply parser (src/mm/command.c):
 * what an app answers to a command (§3.4, §3.5) and what anyone may POST to a response_url
 * (§3.7) go through gr_mm_command_reply_parse.
 *
 * The first byte picks the content type (JSON, text, none) and the build options; the rest is
 * the body. An accepted reply is turned into the execute endpoint's JSON and into a post for
 * the main response and every extra one. Besides the sanitizers, the target checks that every
 * string that leaves the parser is valid UTF-8 without NULs (it becomes JSON and a C string),
 * that the JSON answer serialises, and that nested extra_responses never survive.
 * The command-line splitter and the mention scanners run on the body as text too.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_replies.c <every src .c file but main.c> $(pkg-config ...) -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mm/command.h"

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

static void check_str(const char *s)
{
    check(s != NULL && gr_utf8_valid(s, strlen(s)));
}

static void check_resp(const struct gr_mm_command_resp *r, bool top)
{
    check_str(r->response_type);
    check_str(r->text);
    check_str(r->username);
    check_str(r->channel_id);
    check_str(r->icon_url);
    check_str(r->type);
    check_str(r->goto_location);
    check_str(r->trigger_id);
    check(r->props == NULL || json_is_object(r->props));
    check(r->attachments == NULL || json_is_array(r->attachments));
    check(top || r->nextra == 0);
    for (size_t i = 0; i < r->nextra; i++)
        check_resp(&r->extra[i], false);
}

static void build(const struct gr_mm_command_resp *r, uint8_t sel)
{
    struct gr_mm_command_post_opts o = {
            .builtin = sel & 8,
            .username_override = sel & 16,
            .icon_override = sel & 32,
            .cmd_username = (sel & 64) ? "cmd" : "",
            .cmd_icon_url = "",
            .stored = sel & 128,
            .username_of = lookup,
    };
    struct gr_mm_draft d;
    struct gr_apperr e;

    if (gr_mm_command_build(r, &o, &d, &e) != 0) {
        check(e.status == 400 || e.status == 500);
        return;
    }
    check_str(d.message);
    check(json_is_object(d.props));
    check(!o.builtin || o.username_override || o.icon_override ||
          json_object_get(d.props, "from_webhook") == NULL);
    free(d.message);
    free(d.type);
    json_decref(d.props);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {"application/json", "text/plain", "", NULL};
    struct gr_mm_command_resp r;
    struct gr_mm_names names;
    const char *body;
    char *copy, *t, *x;
    size_t len;
    uint8_t sel;
    json_t *j;
    char *s;

    if (size == 0)
        return 0;
    sel = data[0];
    body = (const char *)data + 1;
    len = size - 1;
    if (gr_mm_command_reply_parse(types[sel % 4], body, len, &r) == 0) {
        check_resp(&r, true);
        j = gr_mm_command_resp_json(&r);
        s = json_dumps(j, JSON_COMPACT);
        check(s != NULL);
        free(s);
        json_decref(j);
        build(&r, sel);
        for (size_t i = 0; i < r.nextra; i++)
            build(&r.extra[i], sel);
    } else {
        check(sel % 4 == 0);                                         /* only JSON can fail */
        check(r.text == NULL && r.props == NULL && r.extra == NULL); /* zeroed */
    }
    gr_mm_command_resp_cleanup(&r);

    /* The text-side helpers on the same bytes, as a NUL-terminated string. */
    copy = malloc(len + 2);
    copy[0] = '/';
    memcpy(copy + 1, body, len);
    copy[len + 1] = '\0';
    if (gr_mm_command_split(copy, &t, &x) == 0) {
        check(t[0] != '\0');
        free(t);
        free(x);
    }
    gr_mm_command_at_mentions(copy, 64, &names);
    check(names.n <= 64);
    gr_mm_names_free(&names);
    gr_mm_command_channel_mentions(copy, 64, &names);
    gr_mm_names_free(&names);
    free(copy);
    return 0;
}
