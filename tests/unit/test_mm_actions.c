/* SPDX-License-Identifier: MIT */
/*
 * test_mm_actions.c - src/mm/actions.c against spec mattermost-compat §4 (interactive
 * messages) and §8.2: action ids (assigned when missing, kept when explicit, idempotent, also
 * through the webhook and REST attachment processing), the client copy without integrations,
 * the request to the integration (buttons and menus), the reading of its answer, the props rule
 * of an update, sealed cookies for ephemeral posts and trigger ids; and griot's additions: the
 * signer of a click (stamped by the server only, removed from whatever a sender writes, sealed
 * in cookies, never sent to the app) and the integrations a REST edit puts back.
 *
 * IA-n names the spec's acceptance case a test covers at the level of these pure functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/actions.h"
#include "mm/incoming.h"

static json_t *parse(const char *s)
{
    json_error_t err;
    json_t *v = json_loads(s, 0, &err);

    if (v == NULL)
        fail_msg("bad test JSON: %s: %s", err.text, s);
    return v;
}

static json_t *action_at(json_t *atts, size_t i, size_t k)
{
    return json_array_get(json_object_get(json_array_get(atts, i), "actions"), k);
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static bool is_id26(const char *s)
{
    if (s == NULL || strlen(s) != 26)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

/* ---- ids ------------------------------------------------------------------------------- */

static void id_valid(void **state)
{
    char longid[GR_MM_ACTION_ID_MAX + 2];

    (void)state;
    assert_true(gr_mm_action_id_valid("approve"));
    assert_true(gr_mm_action_id_valid("A_b-9"));
    assert_true(gr_mm_action_id_valid("ybndrfg8ejkmcpqxot1uwisza3"));
    assert_false(gr_mm_action_id_valid(""));
    assert_false(gr_mm_action_id_valid(NULL));
    assert_false(gr_mm_action_id_valid("a.b"));
    assert_false(gr_mm_action_id_valid("a b"));
    assert_false(gr_mm_action_id_valid("a/b"));
    assert_false(gr_mm_action_id_valid("é"));
    memset(longid, 'a', sizeof longid - 1);
    longid[GR_MM_ACTION_ID_MAX] = '\0';
    assert_true(gr_mm_action_id_valid(longid));
    longid[GR_MM_ACTION_ID_MAX] = 'a';
    longid[GR_MM_ACTION_ID_MAX + 1] = '\0';
    assert_false(gr_mm_action_id_valid(longid));
}

/* IA-1, IA-11: missing ids get 26-char ids, explicit ones (also invalid ones) are kept, a
 * second pass changes nothing, and client-sent cookies are dropped. */
static void assign_ids(void **state)
{
    json_t *atts = parse("[{\"actions\":[{\"name\":\"Go\"},{\"id\":\"\",\"name\":\"E\"},"
                         "{\"id\":null},{\"id\":5},{\"id\":\"approve\",\"cookie\":\"forged\"},"
                         "{\"id\":\"bad.id\"}]},"
                         "{\"text\":\"no actions\"},{\"actions\":[{\"type\":\"select\"}]},"
                         "\"not an object\"]");
    json_t *copy;

    (void)state;
    gr_mm_actions_assign_ids(atts);
    for (size_t k = 0; k < 4; k++)
        assert_true(is_id26(str(action_at(atts, 0, k), "id")));
    assert_string_equal(str(action_at(atts, 0, 4), "id"), "approve");
    assert_null(json_object_get(action_at(atts, 0, 4), "cookie"));
    assert_string_equal(str(action_at(atts, 0, 5), "id"), "bad.id");
    assert_true(is_id26(str(action_at(atts, 2, 0), "id")));
    assert_string_equal(str(action_at(atts, 0, 0), "name"), "Go");
    /* distinct ids */
    assert_string_not_equal(str(action_at(atts, 0, 0), "id"), str(action_at(atts, 0, 1), "id"));
    /* idempotent */
    copy = json_deep_copy(atts);
    gr_mm_actions_assign_ids(atts);
    assert_true(json_equal(copy, atts));
    json_decref(copy);
    json_decref(atts);
    gr_mm_actions_assign_ids(NULL); /* harmless */
}

/* §8.2: the REST path (gr_mm_attachments_process) assigns ids and leaves the input alone. */
static void ids_through_rest_processing(void **state)
{
    json_t *raw = parse("[{\"text\":\"t\",\"actions\":[{\"name\":\"Go\",\"integration\":"
                        "{\"url\":\"http://cb/a\",\"context\":{\"k\":\"v\"}}},"
                        "{\"id\":\"approve\",\"name\":\"OK\",\"style\":\"danger\","
                        "\"disabled\":true}]}]");
    json_t *before = json_deep_copy(raw), *out = NULL;
    struct gr_apperr e;

    (void)state;
    assert_int_equal(gr_mm_attachments_process(raw, NULL, NULL, &out, &e), 0);
    assert_non_null(out);
    assert_true(json_equal(raw, before)); /* the caller's value is not changed */
    assert_true(is_id26(str(action_at(out, 0, 0), "id")));
    assert_string_equal(str(json_object_get(action_at(out, 0, 0), "integration"), "url"),
                        "http://cb/a");
    /* IA-12: style and disabled round-trip */
    assert_string_equal(str(action_at(out, 0, 1), "id"), "approve");
    assert_string_equal(str(action_at(out, 0, 1), "style"), "danger");
    assert_true(json_is_true(json_object_get(action_at(out, 0, 1), "disabled")));
    json_decref(out);
    json_decref(before);
    json_decref(raw);
}

/* The webhook path (gr_mm_incoming_decode/build) too. */
static void ids_through_webhook(void **state)
{
    static const char body[] =
            "{\"text\":\"x\",\"attachments\":[{\"actions\":[{\"name\":\"Go\","
            "\"integration\":{\"url\":\"http://cb/a\",\"context\":{\"k\":\"v\"}}}]}]}";
    struct gr_mm_incoming in = {0};
    struct gr_mm_build_opts o = {0};
    struct gr_mm_draft *d = NULL;
    struct gr_apperr e;
    size_t n = 0;
    json_t *a;

    (void)state;
    assert_int_equal(gr_mm_incoming_decode("application/json", body, strlen(body), "h", &in, &e),
                     0);
    assert_int_equal(gr_mm_incoming_build(&in, &o, &d, &n, &e), 0);
    assert_int_equal(n, 1);
    a = action_at(json_object_get(d[0].props, "attachments"), 0, 0);
    assert_true(is_id26(str(a, "id")));
    assert_non_null(json_object_get(a, "integration"));
    gr_mm_drafts_free(d, n);
    gr_mm_incoming_cleanup(&in);
}

/* IA-1: the client copy has no integration; everything else stays. */
static void strip_and_find(void **state)
{
    json_t *props = parse("{\"from_webhook\":\"true\",\"attachments\":[{\"text\":\"t\","
                          "\"actions\":[{\"id\":\"a1\",\"name\":\"Go\",\"style\":\"danger\","
                          "\"disabled\":true,\"integration\":{\"url\":\"http://cb/a\","
                          "\"context\":{\"secret\":\"s3\"}}},{\"id\":\"a2\",\"type\":\"select\","
                          "\"options\":[{\"text\":\"A\",\"value\":\"a\"}],"
                          "\"integration\":{\"url\":\"http://cb/b\"}}]}],"
                          "\"integration\":\"top-level key is not an action\"}");
    json_t *a;
    char *s;

    (void)state;
    a = gr_mm_action_find(props, "a2");
    assert_non_null(a);
    assert_string_equal(str(a, "type"), "select");
    assert_null(gr_mm_action_find(props, "zzz")); /* IA-8 */
    assert_null(gr_mm_action_find(props, ""));
    assert_null(gr_mm_action_find(NULL, "a1"));
    gr_mm_actions_strip(props);
    s = json_dumps(props, JSON_COMPACT);
    assert_null(strstr(s, "http://cb"));
    assert_null(strstr(s, "s3"));
    free(s);
    a = gr_mm_action_find(props, "a1");
    assert_null(json_object_get(a, "integration"));
    assert_string_equal(str(a, "style"), "danger");
    assert_true(json_is_true(json_object_get(a, "disabled")));
    assert_non_null(json_object_get(gr_mm_action_find(props, "a2"), "options"));
    assert_string_equal(str(props, "integration"), "top-level key is not an action");
    json_decref(props);
    gr_mm_actions_strip(NULL);
    props = parse("{\"attachments\":\"junk\"}");
    gr_mm_actions_strip(props);
    json_decref(props);
}

/* ---- request --------------------------------------------------------------------------- */

/* IA-2 */
static void request_button(void **state)
{
    json_t *ctx = parse("{\"k\":\"v\"}"), *r;
    struct gr_mm_action_req q = {.user_id = "u1",
                                 .user_name = "alice",
                                 .channel_id = "c1",
                                 .channel_name = "town-square",
                                 .team_id = "t1",
                                 .team_domain = "main",
                                 .post_id = "p1",
                                 .trigger_id = "tr",
                                 .type = "",
                                 .data_source = NULL,
                                 .context = ctx,
                                 .selected_option = "ignored for buttons"};
    char *s = gr_mm_action_request_json(&q);
    static const char *const keys[] = {"user_id", "user_name",   "channel_id", "channel_name",
                                       "team_id", "team_domain", "post_id",    "trigger_id",
                                       "type",    "data_source"};
    static const char *const vals[] = {"u1",   "alice", "c1", "town-square", "t1",
                                       "main", "p1",    "tr", "button",      ""};

    (void)state;
    r = parse(s);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_string_equal(str(r, keys[i]), vals[i]);
    assert_true(json_equal(json_object_get(r, "context"), ctx));
    json_decref(r);
    free(s);
    /* no context: the key is omitted (omitempty) */
    q.context = NULL;
    s = gr_mm_action_request_json(&q);
    r = parse(s);
    assert_null(json_object_get(r, "context"));
    json_decref(r);
    free(s);
    json_decref(ctx);
}

/* IA-9 */
static void request_select(void **state)
{
    json_t *ctx = parse("{\"k\":\"v\"}"), *before = json_deep_copy(ctx), *r;
    struct gr_mm_action_req q = {.user_id = "u1",
                                 .type = "select",
                                 .data_source = "users",
                                 .context = ctx,
                                 .selected_option = "opt2"};
    char *s = gr_mm_action_request_json(&q);

    (void)state;
    r = parse(s);
    assert_string_equal(str(r, "type"), "select");
    assert_string_equal(str(r, "data_source"), "users");
    assert_string_equal(str(json_object_get(r, "context"), "selected_option"), "opt2");
    assert_string_equal(str(json_object_get(r, "context"), "k"), "v");
    assert_true(json_equal(ctx, before)); /* the stored context is not changed */
    json_decref(r);
    free(s);
    /* no context at all: one is made for the option */
    q.context = NULL;
    s = gr_mm_action_request_json(&q);
    r = parse(s);
    assert_string_equal(str(json_object_get(r, "context"), "selected_option"), "opt2");
    json_decref(r);
    free(s);
    /* no option chosen: nothing added */
    q.context = ctx;
    q.selected_option = "";
    s = gr_mm_action_request_json(&q);
    r = parse(s);
    assert_null(json_object_get(json_object_get(r, "context"), "selected_option"));
    json_decref(r);
    free(s);
    json_decref(before);
    json_decref(ctx);
}

/* ---- response -------------------------------------------------------------------------- */

static void response_ok(void **state)
{
    struct gr_mm_action_resp r;
    static const char *const nochange[] = {"",
                                           "  \n",
                                           "null",
                                           "{}",
                                           "{\"goto_location\":\"x\"}",
                                           "{\"update\":null,\"ephemeral_text\":\"\"}"};
    const char *b;

    (void)state;
    for (size_t i = 0; i < sizeof nochange / sizeof nochange[0]; i++) {
        assert_int_equal(gr_mm_action_response_parse(nochange[i], strlen(nochange[i]), &r), 0);
        assert_null(r.update);
        assert_null(r.ephemeral_text);
        assert_false(r.skip_slack_parsing);
        gr_mm_action_resp_cleanup(&r);
    }
    assert_int_equal(gr_mm_action_response_parse(NULL, 0, &r), 0);
    /* IA-3 */
    b = "{\"update\":{\"message\":\"Done\",\"props\":{}}}";
    assert_int_equal(gr_mm_action_response_parse(b, strlen(b), &r), 0);
    assert_string_equal(str(r.update, "message"), "Done");
    assert_true(json_is_object(json_object_get(r.update, "props")));
    gr_mm_action_resp_cleanup(&r);
    /* IA-5, IA-6 */
    b = "{\"ephemeral_text\":\"see <https://a|b>\",\"skip_slack_parsing\":true}";
    assert_int_equal(gr_mm_action_response_parse(b, strlen(b), &r), 0);
    assert_null(r.update);
    assert_string_equal(r.ephemeral_text, "see <https://a|b>");
    assert_true(r.skip_slack_parsing);
    gr_mm_action_resp_cleanup(&r);
}

static void response_bad(void **state)
{
    static const char *const bad[] = {"junk",
                                      "[]",
                                      "\"s\"",
                                      "5",
                                      "{\"update\":\"x\"}",
                                      "{\"update\":[]}",
                                      "{\"update\":{\"message\":5}}",
                                      "{\"update\":{\"props\":[]}}",
                                      "{\"update\":{\"props\":\"x\"}}",
                                      "{\"ephemeral_text\":5}",
                                      "{\"skip_slack_parsing\":\"yes\"}",
                                      "{\"update\":{}",
                                      "<html>500</html>"};
    struct gr_mm_action_resp r;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gr_mm_action_response_parse(bad[i], strlen(bad[i]), &r), -1);
        assert_null(r.update);
        assert_null(r.ephemeral_text);
    }
}

/* ---- props rule (IA-3, IA-4) ----------------------------------------------------------- */

static void props_rule(void **state)
{
    json_t *old = parse("{\"from_webhook\":\"true\",\"override_username\":\"bot\","
                        "\"attachments\":[{\"text\":\"a\"}],\"x\":1}");
    json_t *p, *upd;

    (void)state;
    /* missing / null: unchanged */
    p = gr_mm_action_update_props(old, NULL);
    assert_true(json_equal(p, old));
    assert_ptr_not_equal(p, old);
    json_decref(p);
    upd = json_null();
    p = gr_mm_action_update_props(old, upd);
    assert_true(json_equal(p, old));
    json_decref(p);
    json_decref(upd);
    /* {}: only the look stays */
    upd = parse("{}");
    p = gr_mm_action_update_props(old, upd);
    json_decref(upd);
    upd = parse("{\"from_webhook\":\"true\",\"override_username\":\"bot\"}");
    assert_true(json_equal(p, upd));
    json_decref(upd);
    json_decref(p);
    /* an object replaces, the look is old's (also against the update's own values), and a
     * retained key old lacks is removed */
    upd = parse("{\"attachments\":[{\"text\":\"b\"}],\"override_username\":\"evil\","
                "\"override_icon_url\":\"http://evil\",\"from_webhook\":\"false\"}");
    p = gr_mm_action_update_props(old, upd);
    json_decref(upd);
    upd = parse("{\"attachments\":[{\"text\":\"b\"}],\"override_username\":\"bot\","
                "\"from_webhook\":\"true\"}");
    assert_true(json_equal(p, upd));
    json_decref(upd);
    json_decref(p);
    /* no old props */
    upd = parse("{\"a\":1,\"from_webhook\":\"true\"}");
    p = gr_mm_action_update_props(NULL, upd);
    assert_int_equal(json_object_size(p), 1);
    json_decref(p);
    json_decref(upd);
    json_decref(old);
}

/* ---- cookies (§4.5) -------------------------------------------------------------------- */

static const unsigned char key1[GR_MM_COOKIE_KEY_SIZE] = "0123456789abcdef0123456789abcde";
static const unsigned char key2[GR_MM_COOKIE_KEY_SIZE] = "0123456789abcdef0123456789abcdX";

static void cookie_round_trip(void **state)
{
    const char *plain = "{\"post_id\":\"p\",\"integration\":{\"url\":\"http://x\"}}";
    char *c = gr_mm_cookie_seal(key1, plain, strlen(plain)), *c2, *t;
    json_t *o;

    (void)state;
    assert_non_null(c);
    assert_null(strstr(c, "http://x")); /* opaque */
    o = gr_mm_cookie_open(key1, c);
    assert_non_null(o);
    assert_string_equal(str(o, "post_id"), "p");
    json_decref(o);
    /* a fresh nonce each time */
    c2 = gr_mm_cookie_seal(key1, plain, strlen(plain));
    assert_string_not_equal(c, c2);
    free(c2);
    /* another key */
    assert_null(gr_mm_cookie_open(key2, c));
    /* tampering anywhere: one character changed in the middle, at the start, at the end */
    t = strdup(c);
    for (size_t pos = 0; pos < strlen(t); pos += 7) {
        char was = t[pos];
        if (was == '=')
            continue;
        t[pos] = was == 'A' ? 'B' : 'A';
        assert_null(gr_mm_cookie_open(key1, t));
        t[pos] = was;
    }
    /* truncated */
    t[strlen(t) - 4] = '\0';
    assert_null(gr_mm_cookie_open(key1, t));
    free(t);
    /* junk */
    assert_null(gr_mm_cookie_open(key1, ""));
    assert_null(gr_mm_cookie_open(key1, NULL));
    assert_null(gr_mm_cookie_open(key1, "not base64 at all!"));
    assert_null(gr_mm_cookie_open(key1, "AAAA"));
    free(c);
    /* a sealed non-object is refused too */
    c = gr_mm_cookie_seal(key1, "[1]", 3);
    assert_null(gr_mm_cookie_open(key1, c));
    free(c);
}

static void seal_ephemeral_props(void **state)
{
    json_t *props = parse("{\"override_username\":\"cmdbot\",\"attachments\":[{\"actions\":["
                          "{\"name\":\"Go\",\"integration\":{\"url\":\"http://cb/a\","
                          "\"context\":{\"k\":\"v\"}}},"
                          "{\"id\":\"sel\",\"type\":\"select\",\"data_source\":\"channels\","
                          "\"integration\":{\"url\":\"http://cb/s\"}},"
                          "{\"id\":\"nourl\",\"name\":\"x\"}]}]}");
    json_t *a, *c;
    char *s;

    (void)state;
    assert_int_equal(gr_mm_actions_seal(props, key1, "ep1", "root1", "ch1"), 2);
    s = json_dumps(props, JSON_COMPACT);
    assert_null(strstr(s, "http://cb")); /* integrations stripped, cookies opaque */
    free(s);
    a = action_at(json_object_get(props, "attachments"), 0, 0);
    assert_true(is_id26(str(a, "id")));
    assert_null(json_object_get(a, "integration"));
    c = gr_mm_cookie_open(key1, str(a, "cookie"));
    assert_non_null(c);
    assert_string_equal(str(c, "id"), str(a, "id"));
    assert_string_equal(str(c, "post_id"), "ep1");
    assert_string_equal(str(c, "root_post_id"), "root1");
    assert_string_equal(str(c, "channel_id"), "ch1");
    assert_string_equal(str(c, "type"), "");
    assert_string_equal(str(json_object_get(c, "integration"), "url"), "http://cb/a");
    assert_string_equal(str(json_object_get(json_object_get(c, "integration"), "context"), "k"),
                        "v");
    assert_string_equal(str(json_object_get(c, "retain_props"), "override_username"), "cmdbot");
    assert_int_equal(json_array_size(json_object_get(c, "remove_props")), 2);
    json_decref(c);
    a = action_at(json_object_get(props, "attachments"), 0, 1);
    c = gr_mm_cookie_open(key1, str(a, "cookie"));
    assert_string_equal(str(c, "type"), "select");
    assert_string_equal(str(c, "data_source"), "channels");
    json_decref(c);
    /* an action without an integration gets no cookie */
    assert_null(json_object_get(action_at(json_object_get(props, "attachments"), 0, 2), "cookie"));
    json_decref(props);
}

/* ---- signers (griot's addition to §4.3) -------------------------------------------------- */

/* Normalisation removes a signer anyone but the server wrote: through assign_ids, the REST
 * processing and the webhook path alike (command and outgoing replies use the same code). */
static void signer_removed_by_normalisation(void **state)
{
    static const char raw_text[] =
            "[{\"actions\":[{\"id\":\"a\",\"integration\":{\"url\":\"http://evil/x\","
            "\"context\":{\"griot_signer\":\"context is the app's\"},"
            "\"griot_signer\":\"command:ybndrfg8ejkmcpqxot1uwisza3\"}},"
            "{\"id\":\"b\",\"integration\":\"not an object\"}]}]";
    static const char body[] =
            "{\"text\":\"x\",\"attachments\":[{\"actions\":[{\"name\":\"Go\",\"integration\":"
            "{\"url\":\"http://cb/a\","
            "\"griot_signer\":\"outgoing:ybndrfg8ejkmcpqxot1uwisza3\"}}]}]}";
    json_t *atts = parse(raw_text), *out = NULL, *integ;
    struct gr_mm_incoming in = {0};
    struct gr_mm_build_opts o = {0};
    struct gr_mm_draft *d = NULL;
    struct gr_apperr e;
    size_t n = 0;

    (void)state;
    assert_int_equal(gr_mm_attachments_process(atts, NULL, NULL, &out, &e), 0);
    integ = json_object_get(action_at(out, 0, 0), "integration");
    assert_null(json_object_get(integ, GR_MM_SIGNER_KEY));
    assert_string_equal(str(integ, "url"), "http://evil/x");
    /* a key of the same name inside context is the app's business, left alone */
    assert_string_equal(str(json_object_get(integ, "context"), GR_MM_SIGNER_KEY),
                        "context is the app's");
    assert_null(gr_mm_action_signer(action_at(out, 0, 0)));
    assert_string_equal(str(action_at(out, 0, 1), "integration"), "not an object");
    json_decref(out);
    gr_mm_actions_assign_ids(atts);
    assert_null(json_object_get(json_object_get(action_at(atts, 0, 0), "integration"),
                                GR_MM_SIGNER_KEY));
    json_decref(atts);

    assert_int_equal(gr_mm_incoming_decode("application/json", body, strlen(body), "h", &in, &e),
                     0);
    assert_int_equal(gr_mm_incoming_build(&in, &o, &d, &n, &e), 0);
    integ = json_object_get(action_at(json_object_get(d[0].props, "attachments"), 0, 0),
                            "integration");
    assert_string_equal(str(integ, "url"), "http://cb/a");
    assert_null(json_object_get(integ, GR_MM_SIGNER_KEY));
    gr_mm_drafts_free(d, n);
    gr_mm_incoming_cleanup(&in);
}

/* The server stamps its signer on every action that has an integration object, and nowhere
 * else; NULL removes it; clients never see it. */
static void set_signer(void **state)
{
    json_t *props = parse("{\"attachments\":[{\"actions\":[{\"id\":\"a\",\"integration\":"
                          "{\"url\":\"http://cb/a\"}},{\"id\":\"plain\"},{\"id\":\"s\","
                          "\"integration\":\"junk\"}]},{\"text\":\"none\"},"
                          "{\"actions\":[{\"id\":\"b\",\"integration\":{\"url\":\"http://cb/b\","
                          "\"griot_signer\":\"outgoing:old\"}}]}],\"integration\":{}}");
    json_t *copy;
    char *s;

    (void)state;
    gr_mm_actions_set_signer(props, "command:ybndrfg8ejkmcpqxot1uwisza3");
    assert_string_equal(gr_mm_action_signer(gr_mm_action_find(props, "a")),
                        "command:ybndrfg8ejkmcpqxot1uwisza3");
    assert_string_equal(gr_mm_action_signer(gr_mm_action_find(props, "b")),
                        "command:ybndrfg8ejkmcpqxot1uwisza3");
    assert_null(json_object_get(gr_mm_action_find(props, "plain"), "integration"));
    assert_string_equal(str(gr_mm_action_find(props, "s"), "integration"), "junk");
    assert_int_equal(json_object_size(json_object_get(props, "integration")), 0);
    /* idempotent */
    copy = json_deep_copy(props);
    gr_mm_actions_set_signer(props, "command:ybndrfg8ejkmcpqxot1uwisza3");
    assert_true(json_equal(copy, props));
    json_decref(copy);
    /* the client copy: gone with the integration */
    copy = json_deep_copy(props);
    gr_mm_actions_strip(copy);
    s = json_dumps(copy, JSON_COMPACT);
    assert_null(strstr(s, "griot_signer"));
    assert_null(strstr(s, "command:"));
    free(s);
    json_decref(copy);
    /* NULL removes */
    gr_mm_actions_set_signer(props, NULL);
    assert_null(gr_mm_action_signer(gr_mm_action_find(props, "a")));
    assert_null(gr_mm_action_signer(gr_mm_action_find(props, "b")));
    assert_string_equal(str(json_object_get(gr_mm_action_find(props, "a"), "integration"), "url"),
                        "http://cb/a");
    json_decref(props);
    /* harmless on anything */
    gr_mm_actions_set_signer(NULL, "command:x");
    props = parse("{\"attachments\":{\"actions\":[]}}");
    gr_mm_actions_set_signer(props, "command:x");
    json_decref(props);
    assert_null(gr_mm_action_signer(NULL));
    props = parse("{\"integration\":{\"griot_signer\":5}}");
    assert_null(gr_mm_action_signer(props)); /* not a string */
    json_decref(props);
}

/* An ephemeral post's cookie carries the signer (sealed: clients can neither read nor change
 * it), and the request to the app never does. */
static void signer_in_cookie_not_in_request(void **state)
{
    json_t *props = parse("{\"attachments\":[{\"actions\":[{\"id\":\"a\",\"integration\":"
                          "{\"url\":\"http://cb/a\",\"context\":{\"k\":\"v\"}}},"
                          "{\"id\":\"b\",\"integration\":{\"url\":\"http://cb/b\"}}]}]}");
    json_t *a, *c, *integ, *body;
    struct gr_mm_action_req q = {0};
    char *s;

    (void)state;
    gr_mm_actions_set_signer(props, "command:ybndrfg8ejkmcpqxot1uwisza3");
    assert_int_equal(gr_mm_actions_seal(props, key1, "ep1", "root1", "ch1"), 2);
    s = json_dumps(props, JSON_COMPACT);
    assert_null(strstr(s, "griot_signer"));
    assert_null(strstr(s, "command:"));
    free(s);
    a = action_at(json_object_get(props, "attachments"), 0, 0);
    c = gr_mm_cookie_open(key1, str(a, "cookie"));
    assert_non_null(c);
    integ = json_object_get(c, "integration");
    assert_string_equal(str(integ, GR_MM_SIGNER_KEY), "command:ybndrfg8ejkmcpqxot1uwisza3");
    /* the request built from it carries the context only */
    q.context = json_object_get(integ, "context");
    s = gr_mm_action_request_json(&q);
    body = parse(s);
    assert_null(strstr(s, "griot_signer"));
    assert_null(strstr(s, "command:"));
    assert_string_equal(str(json_object_get(body, "context"), "k"), "v");
    free(s);
    json_decref(body);
    json_decref(c);
    json_decref(props);

    /* no signer stamped: the cookie has none (not even a null) */
    props = parse("{\"attachments\":[{\"actions\":[{\"id\":\"a\",\"integration\":"
                  "{\"url\":\"http://cb/a\"}}]}]}");
    assert_int_equal(gr_mm_actions_seal(props, key1, "ep1", "", "ch1"), 1);
    c = gr_mm_cookie_open(key1,
                          str(action_at(json_object_get(props, "attachments"), 0, 0), "cookie"));
    assert_non_null(c);
    assert_null(json_object_get(json_object_get(c, "integration"), GR_MM_SIGNER_KEY));
    json_decref(c);
    json_decref(props);
}

/* A REST edit sends back the client copy: stored integrations follow their action ids. */
static void restore_integrations(void **state)
{
    json_t *old = parse(
            "{\"attachments\":[{\"actions\":["
            "{\"id\":\"a\",\"name\":\"A\",\"integration\":{\"url\":\"http://cb/a\","
            "\"context\":{\"k\":\"v\"},\"griot_signer\":\"command:ybndrfg8ejkmcpqxot1uwisza3\"}},"
            "{\"id\":\"b\",\"type\":\"button\",\"integration\":{\"url\":\"http://cb/b\"}},"
            "{\"id\":\"sel\",\"type\":\"select\",\"data_source\":\"users\","
            "\"integration\":{\"url\":\"http://cb/s\"}},"
            "{\"id\":\"own\",\"integration\":{\"url\":\"http://cb/own\"}},"
            "{\"id\":\"typ\",\"integration\":{\"url\":\"http://cb/t\"}},"
            "{\"id\":\"ds\",\"type\":\"select\",\"integration\":{\"url\":\"http://cb/d\"}},"
            "{\"id\":\"plain\"}]}]}");
    json_t *raw = parse("[{\"text\":\"edited\",\"actions\":["
                        "{\"id\":\"a\",\"name\":\"A renamed\"},"
                        "{\"id\":\"b\"},"
                        "{\"id\":\"sel\",\"type\":\"select\",\"data_source\":\"users\"},"
                        "{\"id\":\"own\",\"integration\":{\"url\":\"http://mine\","
                        "\"griot_signer\":\"command:ybndrfg8ejkmcpqxot1uwisza3\"}},"
                        "{\"id\":\"typ\",\"type\":\"select\"},"
                        "{\"id\":\"ds\",\"type\":\"select\",\"data_source\":\"channels\"},"
                        "{\"id\":\"plain\"},{\"id\":\"new\"},{\"name\":\"no id\"}]},"
                        "{\"actions\":[{\"id\":\"a\",\"name\":\"A again\"}]}]");
    json_t *props = json_object(), *out = NULL, *integ;
    struct gr_apperr e;

    (void)state;
    /* what post_write.c does: process the client's attachments, then restore */
    assert_int_equal(gr_mm_attachments_process(raw, NULL, NULL, &out, &e), 0);
    json_object_set_new(props, "attachments", out);
    assert_int_equal(gr_mm_actions_restore_integrations(props, old), 4);
    /* a name change keeps the integration, its context and its signer */
    integ = json_object_get(gr_mm_action_find(props, "a"), "integration");
    assert_string_equal(str(integ, "url"), "http://cb/a");
    assert_string_equal(str(json_object_get(integ, "context"), "k"), "v");
    assert_string_equal(str(integ, GR_MM_SIGNER_KEY), "command:ybndrfg8ejkmcpqxot1uwisza3");
    assert_string_equal(str(gr_mm_action_find(props, "a"), "name"), "A renamed");
    /* the same id twice: both get it */
    assert_string_equal(str(json_object_get(action_at(json_object_get(props, "attachments"), 1, 0),
                                            "integration"),
                            "url"),
                        "http://cb/a");
    /* "button" and no type are the same type */
    assert_string_equal(str(json_object_get(gr_mm_action_find(props, "b"), "integration"), "url"),
                        "http://cb/b");
    assert_string_equal(str(json_object_get(gr_mm_action_find(props, "sel"), "integration"), "url"),
                        "http://cb/s");
    /* the client's own integration is kept, without the signer it tried to set */
    integ = json_object_get(gr_mm_action_find(props, "own"), "integration");
    assert_string_equal(str(integ, "url"), "http://mine");
    assert_null(json_object_get(integ, GR_MM_SIGNER_KEY));
    /* a button turned into a menu, or a menu's data source changed: not the app's action */
    assert_null(json_object_get(gr_mm_action_find(props, "typ"), "integration"));
    assert_null(json_object_get(gr_mm_action_find(props, "ds"), "integration"));
    /* nothing to restore */
    assert_null(json_object_get(gr_mm_action_find(props, "plain"), "integration"));
    assert_null(json_object_get(gr_mm_action_find(props, "new"), "integration"));
    /* again: nothing more to do */
    assert_int_equal(gr_mm_actions_restore_integrations(props, old), 0);
    /* no old post, or no attachments: nothing */
    assert_int_equal(gr_mm_actions_restore_integrations(props, NULL), 0);
    assert_int_equal(gr_mm_actions_restore_integrations(NULL, old), 0);
    json_decref(props);
    json_decref(raw);
    json_decref(old);
}

/* ---- trigger ids (§4.6) ---------------------------------------------------------------- */

static void trigger_ids(void **state)
{
    char t1[GR_MM_TRIGGER_ID_SIZE], t2[GR_MM_TRIGGER_ID_SIZE], bad[GR_MM_TRIGGER_ID_SIZE];
    const char *user = "ybndrfg8ejkmcpqxot1uwisza3";
    int64_t now = 1700000000000;

    (void)state;
    gr_mm_trigger_id_make("whsec_secret", user, now, t1);
    gr_mm_trigger_id_make("whsec_secret", user, now, t2);
    assert_true(strlen(t1) > 40);
    assert_string_not_equal(t1, t2);
    for (const char *p = t1; *p; p++)
        assert_non_null(
                strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    assert_true(gr_mm_trigger_id_verify("whsec_secret", t1, user, now, 30000));
    assert_true(gr_mm_trigger_id_verify("whsec_secret", t1, NULL, now + 30000, 30000));
    assert_false(gr_mm_trigger_id_verify("whsec_secret", t1, user, now + 30001, 30000));
    assert_false(gr_mm_trigger_id_verify("whsec_other", t1, user, now, 30000));
    assert_false(
            gr_mm_trigger_id_verify("whsec_secret", t1, "ybndrfg8ejkmcpqxot1uwisza4", now, 30000));
    assert_false(gr_mm_trigger_id_verify("whsec_secret", t1, user, now - 5000, 30000));
    memcpy(bad, t1, sizeof bad);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    assert_false(gr_mm_trigger_id_verify("whsec_secret", bad, user, now, 30000));
    assert_false(gr_mm_trigger_id_verify("whsec_secret", "", user, now, 30000));
    assert_false(gr_mm_trigger_id_verify("whsec_secret", "!!", user, now, 30000));
    assert_false(gr_mm_trigger_id_verify("whsec_secret", NULL, user, now, 30000));
}

/* Found by tests/fuzz/fuzz_actions.c: OpenSSL's EVP_DecodeBlock skips white space before and
 * after the base64, so "\t\t\t\t" + a trigger id verified, as did an unpadded cookie with
 * spaces after it. No white space around a token. */
static void tokens_one_spelling(void **state)
{
    static const char *const ws[] = {"\t\t\t\t", "    ", "\n\n\n\n", "\r\n\r\n"};
    const char *user = "ybndrfg8ejkmcpqxot1uwisza3";
    char t[GR_MM_TRIGGER_ID_SIZE], buf[GR_MM_TRIGGER_ID_SIZE + 80], *c;
    int64_t now = 1700000000000;
    json_t *o;

    (void)state;
    gr_mm_trigger_id_make("whsec_secret", user, now, t);
    assert_int_equal(strlen(t) % 4, 0); /* no padding needed: a suffix decodes too */
    assert_true(gr_mm_trigger_id_verify("whsec_secret", t, user, now, 30000));
    c = gr_mm_cookie_seal(key1, "{}", 2); /* 12 + 2 + 16 bytes: base64 without '=' */
    assert_non_null(c);
    assert_null(strchr(c, '='));
    o = gr_mm_cookie_open(key1, c);
    assert_non_null(o);
    json_decref(o);
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", ws[i], t);
        assert_false(gr_mm_trigger_id_verify("whsec_secret", buf, user, now, 30000));
        snprintf(buf, sizeof buf, "%s%s", t, ws[i]);
        assert_false(gr_mm_trigger_id_verify("whsec_secret", buf, user, now, 30000));
        snprintf(buf, sizeof buf, "%s%s", ws[i], c);
        assert_null(gr_mm_cookie_open(key1, buf));
        snprintf(buf, sizeof buf, "%s%s", c, ws[i]);
        assert_null(gr_mm_cookie_open(key1, buf));
    }
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(id_valid),
            cmocka_unit_test(assign_ids),
            cmocka_unit_test(ids_through_rest_processing),
            cmocka_unit_test(ids_through_webhook),
            cmocka_unit_test(strip_and_find),
            cmocka_unit_test(signer_removed_by_normalisation),
            cmocka_unit_test(set_signer),
            cmocka_unit_test(signer_in_cookie_not_in_request),
            cmocka_unit_test(restore_integrations),
            cmocka_unit_test(request_button),
            cmocka_unit_test(request_select),
            cmocka_unit_test(response_ok),
            cmocka_unit_test(response_bad),
            cmocka_unit_test(props_rule),
            cmocka_unit_test(cookie_round_trip),
            cmocka_unit_test(seal_ephemeral_props),
            cmocka_unit_test(trigger_ids),
            cmocka_unit_test(tokens_one_spelling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
