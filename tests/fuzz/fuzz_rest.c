/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rest.c - libFuzzer target for the REST request-body readers (app/rest_int.h: the pure
 * parts of app/post_write.c, app/channel_write.c and app/reactions.c, with the attachment
 * processing of mm/ that post props go through).
 *
 * The first byte picks the reader and a few flags; the rest is the body, decoded with
 * json_loadb(flags 0) exactly as api/rest.c decodes a request body:
 *   sel % 6 == 0  POST /posts: gr_rest__post_fields, then gr_rest__post_props (author a bot
 *                 when sel & 8) on the props it returned;
 *   sel % 6 == 1  PUT /posts/{id} (or the patch when sel & 8): gr_rest__post_edit_fields
 *                 against a stored post, then gr_rest__post_props keeping its server keys;
 *   sel % 6 == 2  gr_rest__post_props on the whole body (props without the create checks);
 *   sel % 6 == 3  POST /channels: gr_rest__channel_fields;
 *   sel % 6 == 4  POST /channels/direct (max 2) or /group (max 8, caller added when sel & 8):
 *                 gr_rest__user_ids;
 *   sel % 6 == 5  POST /reactions: gr_rest__reaction_fields.
 * Besides the sanitizers it checks what the handlers rely on: a refusal has a 4xx status and
 * an error id; accepted fields respect Mattermost's limits (ids valid, message within
 * 16383 runes, type and channel rules); props come out as a JSON object within the props limit,
 * with from_bot exactly when the author is a bot and no client-set from_webhook; user ids come
 * out valid, distinct, sorted and at most max.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_rest.c <every src .c file but main.c> $(pkg-config ...) -lwslay -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rest_int.h"
#include "core/utf8.h"
#include "mm/names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SELF_ID  "sel1fid0000000000000000000"
#define KNOWN_ID "kn0wnuser00000000000000000"

static void check(bool ok)
{
    if (!ok)
        abort();
}

/* `<@KNOWN_ID>` in attachment text resolves; any other id stays as it is. */
static bool lookup(void *ud, const char *id, char *out, size_t size)
{
    (void)ud;
    if (strcmp(id, KNOWN_ID) != 0)
        return false;
    snprintf(out, size, "known.user");
    return true;
}

static void check_refusal(int code, const struct gr_apperr *e)
{
    check(code == e->status && code >= 400 && code < 500 && e->id != NULL && e->id[0]);
}

static bool str_fits(const char *s, size_t size)
{
    return s != NULL && strlen(s) < size;
}

/* Both absent, or equal. */
static bool same(json_t *a, json_t *b)
{
    return (a == NULL && b == NULL) || json_equal(a, b);
}

/* Runs the props builder and checks its output. keep: an old post's props, may be NULL. */
static void props(json_t *req, bool bot, const char *keep)
{
    struct gr_user author = {.id = SELF_ID, .username = "fuzzer", .is_bot = bot};
    struct gr_apperr e;
    char *out = NULL;
    json_t *v, *kv;
    const char *fb;
    int code = gr_rest__post_props(lookup, NULL, req, &author, keep, &out, &e);

    if (code) {
        check_refusal(code, &e);
        check(out == NULL);
        return;
    }
    check(out != NULL && gr_utf8_valid(out, strlen(out)));
    check(gr_utf8_count(out, strlen(out)) <= GR_MM_MAX_PROPS_RUNES);
    v = json_loads(out, 0, NULL);
    check(json_is_object(v));
    /* from_bot is the author's, never the client's (keep never carries it here). */
    fb = json_string_value(json_object_get(v, "from_bot"));
    check(bot ? fb != NULL && strcmp(fb, "true") == 0 : json_object_get(v, "from_bot") == NULL);
    /* from_webhook comes only from the stored post. */
    kv = keep ? json_loads(keep, 0, NULL) : NULL;
    check(same(json_object_get(v, "from_webhook"), json_object_get(kv, "from_webhook")));
    if (json_object_get(v, "attachments"))
        check(json_is_array(json_object_get(v, "attachments")));
    json_decref(kv);
    json_decref(v);
    free(out);
}

static void post_create(json_t *body, bool bot)
{
    struct gr_post p = {0};
    const char *channel_id = NULL, *root_id = NULL;
    json_t *pr = NULL;
    int64_t create_at = -1;
    struct gr_apperr e;
    int code = gr_rest__post_fields(body, &p, &channel_id, &root_id, &pr, &create_at, &e);

    if (code) {
        check_refusal(code, &e);
        check(p.message == NULL);
        return;
    }
    check(channel_id != NULL && gr_id_is_valid(channel_id));
    check(root_id != NULL);
    check(p.message != NULL && gr_utf8_valid(p.message, strlen(p.message)));
    check(gr_utf8_count(p.message, strlen(p.message)) <= GR_MM_MAX_POST_RUNES);
    check(strncmp(p.type, "system_", 7) != 0);
    check(p.type[0] == '\0' || strcmp(p.type, "slack_attachment") == 0 ||
          strncmp(p.type, "custom_", 7) == 0);
    check(pr == NULL || json_is_null(pr) || json_is_object(pr));
    props(pr, bot, NULL);
    free(p.message);
}

static void post_edit(json_t *body, bool patch, bool bot)
{
    static const char stored_props[] =
            "{\"from_webhook\":\"true\",\"webhook_display_name\":\"hook\",\"x\":1}";
    struct gr_post cur = {
            .message = "stored message", .props = (char *)stored_props, .is_pinned = true};
    const char *msg = NULL;
    bool pinned = false;
    json_t *pr = NULL;
    struct gr_apperr e;
    int code;

    if (!json_is_object(body))
        return; /* the handler refuses a non-object before reading it */
    code = gr_rest__post_edit_fields(body, patch, &cur, &msg, &pinned, &pr, &e);
    if (code) {
        check_refusal(code, &e);
        return;
    }
    check(msg != NULL && gr_utf8_count(msg, strlen(msg)) <= GR_MM_MAX_POST_RUNES);
    if (patch && json_object_get(body, "message") == NULL)
        check(msg == cur.message);
    if (patch && json_object_get(body, "is_pinned") == NULL)
        check(pinned == cur.is_pinned);
    check(pr == NULL || json_is_null(pr) || json_is_object(pr));
    if (!patch || (pr && !json_is_null(pr)))
        props(pr, bot, cur.props);
}

static void channel_create(json_t *body)
{
    struct gr_channel ch = {0};
    struct gr_apperr e;
    int code;

    if (!json_is_object(body))
        return;
    code = gr_rest__channel_fields(body, &ch, &e);
    if (code) {
        check_refusal(code, &e);
        return;
    }
    check(gr_id_is_valid(ch.team_id));
    check(gr_mm_channel_name_valid(ch.name));
    check(ch.type == 'O' || ch.type == 'P');
    check(ch.display_name[0] != '\0');
    check(gr_utf8_count(ch.display_name, strlen(ch.display_name)) <= 64);
    check(str_fits(ch.purpose, sizeof ch.purpose) && str_fits(ch.header, sizeof ch.header));
}

static void user_ids(json_t *body, uint8_t sel)
{
    char users[8][GR_ID_SIZE];
    bool group = sel & 16;
    size_t max = group ? 8 : 2, n = 99;
    struct gr_apperr e;
    int code = gr_rest__user_ids(body, max, group && (sel & 8) ? SELF_ID : NULL, users, &n, &e);

    if (code < 0) {
        check(n == max); /* one more distinct id than fits */
        return;
    }
    if (code) {
        check_refusal(code, &e);
        return;
    }
    check(n <= max && n <= json_array_size(body) + 1);
    for (size_t i = 0; i < n; i++) {
        check(gr_id_is_valid(users[i]));
        if (i > 0)
            check(strcmp(users[i - 1], users[i]) < 0); /* sorted and distinct */
    }
    if (group && (sel & 8)) {
        bool self = false;
        for (size_t i = 0; i < n; i++)
            self = self || strcmp(users[i], SELF_ID) == 0;
        check(self);
    }
}

static void reaction(json_t *body)
{
    const char *uid = NULL, *pid = NULL, *emoji = NULL;
    struct gr_apperr e;
    int code = gr_rest__reaction_fields(body, &uid, &pid, &emoji, &e);

    if (code) {
        check_refusal(code, &e);
        return;
    }
    check(uid != NULL && uid[0] && gr_id_is_valid(pid));
    check(emoji != NULL && emoji[0] && strlen(emoji) <= 64);
    for (const char *s = emoji; *s; s++)
        check((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '+' || *s == '_');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *body;
    uint8_t sel;

    if (size == 0)
        return 0;
    sel = data[0];
    body = json_loadb((const char *)data + 1, size - 1, 0, NULL);
    if (body == NULL)
        return 0; /* api/rest.c answers 400 before any reader runs */
    switch (sel % 6) {
    case 0:
        if (json_is_object(body))
            post_create(body, sel & 8);
        break;
    case 1:
        post_edit(body, sel & 8, sel & 16);
        break;
    case 2:
        props(body, sel & 8, (sel & 16) ? "{\"from_webhook\":\"true\"}" : NULL);
        break;
    case 3:
        channel_create(body);
        break;
    case 4:
        user_ids(body, sel);
        break;
    default:
        reaction(body);
        break;
    }
    json_decref(body);
    return 0;
}
