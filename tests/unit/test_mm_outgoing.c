/* SPDX-License-Identifier: MIT */
/*
 * test_mm_outgoing.c - src/mm/outgoing.c: outgoing-webhook matching (spec mattermost-compat
 * §2.2, first word as Go's strings.Fields), callback bodies (§2.3: JSON with milliseconds, form
 * with sorted keys and seconds) and reply parsing (§2.4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/outgoing.h"

static void check_first(const char *msg, const char *want)
{
    struct gr_slice w = gr_mm_outgoing_first_word(msg, strlen(msg));
    char got[256];

    assert_true(w.len < sizeof got);
    memcpy(got, w.p, w.len);
    got[w.len] = '\0';
    assert_string_equal(got, want);
}

static void first_word(void **state)
{
    (void)state;
    check_first("gif cats", "gif");
    check_first("gif", "gif");
    check_first("", "");
    check_first("   \t\n ", "");
    check_first("  \tgif\tcats", "gif");
    check_first("gif\r\ncats", "gif");
    check_first("gif\vcats\f", "gif");
    /* Unicode White_Space, as Go's unicode.IsSpace */
    check_first("gif\xC2\xA0"
                "cats",
                "gif"); /* U+00A0 no-break space */
    check_first("gif\xC2\x85"
                "cats",
                "gif");                      /* U+0085 next line */
    check_first("\xE2\x80\x83gif x", "gif"); /* U+2003 em space, leading */
    check_first("gif\xE3\x80\x80x", "gif");  /* U+3000 ideographic space */
    check_first("gif\xE2\x80\xA8x", "gif");  /* U+2028 line separator */
    check_first("gif\xE2\x80\xAFx", "gif");  /* U+202F narrow no-break space */
    check_first("gif\xE1\x9A\x80x", "gif");  /* U+1680 ogham space mark */
    /* not white space */
    check_first("gif\xE2\x80\x8Bx y", "gif\xE2\x80\x8Bx"); /* U+200B zero width space */
    check_first("gif\xE2\x80\x8C y", "gif\xE2\x80\x8C");   /* U+200C */
    check_first("caf\xC3\xA9 au lait", "caf\xC3\xA9");
    /* ill-formed bytes are U+FFFD for Go: part of the word */
    check_first("\xFFgif x", "\xFFgif");
    check_first("gif\xC2", "gif\xC2");
    assert_true(gr_mm_is_space(0x2000) && gr_mm_is_space(0x200A) && gr_mm_is_space(0x205F));
    assert_false(gr_mm_is_space(0x200B) || gr_mm_is_space(0x180E) || gr_mm_is_space(0xFEFF));
}

static bool match(const char *hook_channel, const char *words_json, int when,
                  const char *post_channel, const char *msg, const char **tw)
{
    json_t *words = words_json ? json_loads(words_json, 0, NULL) : NULL;
    struct gr_mm_outgoing_rule r = {hook_channel, words, when};
    static char keep[64];
    bool hit;

    hit = gr_mm_outgoing_match(&r, post_channel, gr_mm_outgoing_first_word(msg, strlen(msg)), tw);
    snprintf(keep, sizeof keep, "%s", *tw); /* tw points into words */
    *tw = keep;
    json_decref(words);
    return hit;
}

static void matching_exact(void **state)
{
    const char *tw;

    (void)state;
    /* OW-1 */
    assert_true(match("", "[\"gif\",\"img\"]", 0, "C1", "gif cats", &tw));
    assert_string_equal(tw, "gif");
    assert_true(match("", "[\"gif\",\"img\"]", 0, "C1", "  img", &tw));
    assert_string_equal(tw, "img");
    /* OW-2: exact means the whole first word */
    assert_false(match("", "[\"gif\"]", 0, "C1", "gifs", &tw));
    assert_string_equal(tw, "");
    assert_false(match("", "[\"gif\"]", 0, "C1", "cats gif", &tw));
    /* OW-4: case-sensitive */
    assert_false(match("", "[\"gif\"]", 0, "C1", "Gif cats", &tw));
    assert_false(match("", "[\"Gif\"]", 0, "C1", "gif cats", &tw));
    /* empty message and empty first word never match a trigger word */
    assert_false(match("", "[\"gif\"]", 0, "C1", "", &tw));
    assert_false(match("", "[\"gif\"]", 0, "C1", " \n", &tw));
    /* white space other than ASCII ends the first word */
    assert_true(match("", "[\"gif\"]", 0, "C1",
                      "gif\xC2\xA0"
                      "cats",
                      &tw));
    /* a hook of another channel never fires, even on its trigger word */
    assert_false(match("C2", "[\"gif\"]", 0, "C1", "gif cats", &tw));
    assert_true(match("C1", "[\"gif\"]", 0, "C1", "gif cats", &tw));
    assert_string_equal(tw, "gif");
    assert_false(match("C1", "[\"gif\"]", 0, "C1", "other", &tw));
}

static void matching_start(void **state)
{
    const char *tw;

    (void)state;
    /* OW-3: the trigger word reported is the trigger word, not the first word */
    assert_true(match("", "[\"gif\"]", 1, "C1", "gifs", &tw));
    assert_string_equal(tw, "gif");
    assert_true(match("", "[\"gif\"]", 1, "C1", "gif", &tw));
    assert_false(match("", "[\"gif\"]", 1, "C1", "agif", &tw));
    assert_false(match("", "[\"gif\"]", 1, "C1", "Gifs", &tw));
    /* the first trigger word of the list that matches */
    assert_true(match("", "[\"xyz\",\"gi\",\"gif\"]", 1, "C1", "gifs x", &tw));
    assert_string_equal(tw, "gi");
    /* starts-with on the first word only */
    assert_false(match("", "[\"gif\"]", 1, "C1", "a gifs", &tw));
}

static void matching_channel(void **state)
{
    const char *tw;

    (void)state;
    /* OW-5: channel hook without trigger words fires for every post of the channel */
    assert_true(match("C1", "[]", 0, "C1", "anything at all", &tw));
    assert_string_equal(tw, "");
    assert_true(match("C1", NULL, 1, "C1", "", &tw));
    assert_string_equal(tw, "");
    assert_false(match("C1", "[]", 0, "C2", "anything", &tw));
    /* a team-wide hook without trigger words never fires (creation refuses it anyway) */
    assert_false(match("", "[]", 0, "C1", "anything", &tw));
    /* an unknown trigger_when matches no trigger word, as in Mattermost */
    assert_false(match("", "[\"gif\"]", 2, "C1", "gif", &tw));
    assert_true(match("C1", "[]", 2, "C1", "gif", &tw));
}

static const struct gr_mm_outgoing_payload payload = {
        .token = "tok26tok26tok26tok26tok26x",
        .team_id = "team",
        .team_domain = "t1",
        .channel_id = "chan",
        .channel_name = "town-square",
        .timestamp_ms = 1700000000999,
        .user_id = "user",
        .user_name = "alice",
        .post_id = "post",
        .text = "gif cats! & \xC3\xA9/=+~-_.\"<>",
        .trigger_word = "gif",
        .file_ids = "",
};

static void body_json(void **state)
{
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, 4096);
    assert_int_equal(gr_mm_outgoing_json(&payload, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b),
                        "{\"token\":\"tok26tok26tok26tok26tok26x\",\"team_id\":\"team\","
                        "\"team_domain\":\"t1\",\"channel_id\":\"chan\","
                        "\"channel_name\":\"town-square\",\"timestamp\":1700000000999,"
                        "\"user_id\":\"user\",\"user_name\":\"alice\",\"post_id\":\"post\","
                        "\"text\":\"gif cats! & \xC3\xA9/=+~-_.\\\"<>\",\"trigger_word\":\"gif\","
                        "\"file_ids\":\"\"}");
    /* invalid UTF-8 cannot be JSON */
    struct gr_mm_outgoing_payload bad = payload;
    bad.text = "\xFF";
    gr_buf_reset(&b);
    assert_int_equal(gr_mm_outgoing_json(&bad, &b), GR_EINVAL);
    gr_buf_cleanup(&b);
    assert_true(gr_mm_outgoing_is_json("application/json"));
    assert_false(gr_mm_outgoing_is_json("application/x-www-form-urlencoded"));
    assert_false(gr_mm_outgoing_is_json(""));
    assert_false(gr_mm_outgoing_is_json(NULL));
    assert_false(gr_mm_outgoing_is_json("application/json; charset=utf-8"));
    assert_false(gr_mm_outgoing_is_json("Application/JSON"));
}

static void body_form(void **state)
{
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, 4096);
    assert_int_equal(gr_mm_outgoing_form(&payload, &b), GR_OK);
    /* OW-5: keys sorted, seconds, url.QueryEscape */
    assert_string_equal(gr_buf_str(&b),
                        "channel_id=chan&channel_name=town-square&file_ids=&post_id=post"
                        "&team_domain=t1&team_id=team"
                        "&text=gif+cats%21+%26+%C3%A9%2F%3D%2B~-_.%22%3C%3E"
                        "&timestamp=1700000000&token=tok26tok26tok26tok26tok26x"
                        "&trigger_word=gif&user_id=user&user_name=alice");
    gr_buf_cleanup(&b);
    /* bounded */
    gr_buf_init(&b, 16);
    assert_int_equal(gr_mm_outgoing_form(&payload, &b), GR_ETOOBIG);
    gr_buf_cleanup(&b);
}

/* Parses s; returns the status (0 ok). */
static int reply(const char *s, struct gr_mm_outgoing_reply *r)
{
    struct gr_apperr e;
    return gr_mm_outgoing_reply_parse(s, strlen(s), r, &e);
}

static void replies(void **state)
{
    struct gr_mm_outgoing_reply r;

    (void)state;
    /* OW-11: empty body, white space, null: nothing, no error */
    assert_int_equal(reply("", &r), 0);
    assert_false(r.post);
    assert_int_equal(reply(" \r\n\t", &r), 0);
    assert_false(r.post);
    assert_int_equal(reply("null", &r), 0);
    assert_false(r.post);
    /* OW-11: not JSON, or not an object: an error (logged), nothing posted */
    assert_int_equal(reply("not json", &r), 400);
    assert_false(r.post);
    assert_int_equal(reply("[1,2]", &r), 400);
    assert_int_equal(reply("\"text\"", &r), 400);
    assert_int_equal(reply("{\"text\":", &r), 400);
    /* raw control characters are not repaired for replies (Go's decoder refuses them) */
    assert_int_equal(reply("{\"text\":\"a\nb\"}", &r), 400);
    /* wrong types */
    assert_int_equal(reply("{\"text\":5}", &r), 400);
    assert_int_equal(reply("{\"response_type\":1,\"text\":\"x\"}", &r), 400);
    assert_int_equal(reply("{\"attachments\":{}}", &r), 400);
    /* no text key, no attachments: nothing */
    assert_int_equal(reply("{}", &r), 0);
    assert_false(r.post);
    gr_mm_outgoing_reply_cleanup(&r);
    assert_int_equal(reply("{\"username\":\"u\",\"response_type\":\"comment\"}", &r), 0);
    assert_false(r.post);
    gr_mm_outgoing_reply_cleanup(&r);
    assert_int_equal(reply("{\"text\":null,\"attachments\":[]}", &r), 0);
    assert_false(r.post);
    gr_mm_outgoing_reply_cleanup(&r);
    /* "text": "" is text (pointer semantics): an empty post, as in Mattermost */
    assert_int_equal(reply("{\"text\":\"\"}", &r), 0);
    assert_true(r.post);
    assert_string_equal(r.in.text, "");
    gr_mm_outgoing_reply_cleanup(&r);
    /* OW-8 */
    assert_int_equal(reply("{\"text\":\"here\",\"response_type\":\"comment\"}", &r), 0);
    assert_true(r.post && r.comment);
    assert_string_equal(r.in.text, "here");
    gr_mm_outgoing_reply_cleanup(&r);
    /* response_type is compared exactly; key names case-insensitively (Go) */
    assert_int_equal(reply("{\"text\":\"x\",\"response_type\":\"Comment\"}", &r), 0);
    assert_true(r.post);
    assert_false(r.comment);
    gr_mm_outgoing_reply_cleanup(&r);
    assert_int_equal(reply("{\"TEXT\":\"x\",\"Response_Type\":\"comment\"}", &r), 0);
    assert_true(r.post && r.comment);
    gr_mm_outgoing_reply_cleanup(&r);
    assert_int_equal(reply("{\"text\":\"x\",\"response_type\":\"in_channel\"}", &r), 0);
    assert_true(r.post);
    assert_false(r.comment);
    gr_mm_outgoing_reply_cleanup(&r);
    /* OW-9: overrides read; channel and icon_emoji are not reply fields */
    assert_int_equal(reply("{\"text\":\"x\",\"username\":\"u2\",\"icon_url\":\"http://i\","
                           "\"icon_emoji\":\":e:\",\"channel\":\"off-topic\","
                           "\"props\":{\"k\":1},\"type\":\"custom_x\"}",
                           &r),
                     0);
    assert_true(r.post);
    assert_string_equal(r.in.username, "u2");
    assert_string_equal(r.in.icon_url, "http://i");
    assert_null(r.in.icon_emoji);
    assert_null(r.in.channel);
    assert_string_equal(r.in.type, "custom_x");
    assert_int_equal(json_integer_value(json_object_get(r.in.props, "k")), 1);
    gr_mm_outgoing_reply_cleanup(&r);
    /* attachments alone make a post; null entries are dropped */
    assert_int_equal(reply("{\"attachments\":[null,{\"text\":\"a\"}]}", &r), 0);
    assert_true(r.post);
    assert_null(r.in.text);
    assert_int_equal(json_array_size(r.in.attachments), 1);
    gr_mm_outgoing_reply_cleanup(&r);
    assert_int_equal(reply("{\"attachments\":[null]}", &r), 0);
    assert_false(r.post);
    gr_mm_outgoing_reply_cleanup(&r);
    /* one JSON value is read; what follows is ignored (Go's json.Decoder) */
    assert_int_equal(reply("{\"text\":\"x\"} trailing", &r), 0);
    assert_true(r.post);
    gr_mm_outgoing_reply_cleanup(&r);
    /* huge numbers do not make the reply invalid */
    assert_int_equal(reply("{\"text\":\"x\",\"props\":{\"n\":123456789012345678901234567890}}", &r),
                     0);
    assert_true(r.post);
    gr_mm_outgoing_reply_cleanup(&r);
    /* invalid UTF-8 is refused */
    assert_int_equal(reply("{\"text\":\"\xFF\"}", &r), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(first_word),     cmocka_unit_test(matching_exact),
            cmocka_unit_test(matching_start), cmocka_unit_test(matching_channel),
            cmocka_unit_test(body_json),      cmocka_unit_test(body_form),
            cmocka_unit_test(replies),
    };
    return cmocka_run_group_tests_name("mm_outgoing", tests, NULL, NULL);
}
