/* SPDX-License-Identifier: MIT */
/*
 * test_mm_command.c - src/mm/command.c: the pure parts of slash commands (spec
 * mattermost-compat §3): splitting the command line, mentions, the form/query encoding of the
 * request (§3.3), decoding replies (§3.4, §3.5), the post a response becomes and the execute
 * endpoint's JSON (§3.6).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mm/command.h"

static void split_ok(const char *line, const char *trigger, const char *text)
{
    char *t = NULL, *x = NULL;

    assert_int_equal(gr_mm_command_split(line, &t, &x), 0);
    assert_string_equal(t, trigger);
    assert_string_equal(x, text);
    free(t);
    free(x);
}

static void split(void **state)
{
    char *t, *x;

    (void)state;
    split_ok("/weather Paris", "weather", "Paris");
    split_ok("/WEATHER Paris", "weather", "Paris"); /* SC-9 */
    split_ok("/weather", "weather", "");
    split_ok("/weather   Paris  is   sunny \t\n", "weather", "Paris  is   sunny");
    split_ok("/standup\tdone: x\ny", "standup", "done: x\ny");
    split_ok("/a\xc2\xa0 b", "a", "b"); /* U+00A0 is a space to Go's unicode.IsSpace */
    split_ok("/caf\xc3\xa9 x", "caf\xc3\xa9", "x");
    /* SC-8 and friends: no slash, only a slash, a space after the slash. */
    assert_int_equal(gr_mm_command_split("weather Paris", &t, &x), -1);
    assert_null(t);
    assert_int_equal(gr_mm_command_split("/", &t, &x), -1);
    assert_int_equal(gr_mm_command_split("/ weather", &t, &x), -1);
    assert_int_equal(gr_mm_command_split("", &t, &x), -1);
    assert_int_equal(gr_mm_command_split(NULL, &t, &x), -1);
}

static void mentions(void **state)
{
    struct gr_mm_names l;
    char name[32];

    (void)state;
    gr_mm_command_at_mentions("hi @Alice and @bob.smith, @alice again; mail x@y.z @- @9x @bob.", 32,
                              &l);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0], "alice");
    assert_string_equal(l.v[1], "bob.smith");
    assert_string_equal(l.v[2], "9x");
    assert_string_equal(l.v[3], "bob.");
    gr_mm_names_free(&l);
    assert_int_equal(l.n, 0);
    /* Reserved names are not usernames; a remote user:server is. */
    gr_mm_command_at_mentions("@all @here @channel @joe:remote1 @a:b:c", 32, &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0], "joe:remote1");
    gr_mm_names_free(&l);
    gr_mm_command_at_mentions("@a @b @c @d", 2, &l);
    assert_int_equal(l.n, 2);
    gr_mm_names_free(&l);
    gr_mm_command_at_mentions("", 8, &l);
    assert_int_equal(l.n, 0);

    gr_mm_command_channel_mentions("see ~town-square and ~off_topic, ~town-square a~b ~", 32, &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0], "town-square");
    assert_string_equal(l.v[1], "off_topic");
    gr_mm_names_free(&l);

    snprintf(name, sizeof name, "bob.");
    assert_true(gr_mm_username_trim_special(name));
    assert_string_equal(name, "bob");
    assert_false(gr_mm_username_trim_special(name));
    snprintf(name, sizeof name, "_");
    assert_false(gr_mm_username_trim_special(name));
}

static void encode(void **state)
{
    const char *um[] = {"bob", "carol"}, *umi[] = {"idbob", "idcarol"};
    const char *cm[] = {"off-topic"}, *cmi[] = {"idoff"};
    struct gr_mm_command_fields f = {
            .token = "tok",
            .team_id = "tid",
            .team_domain = "main",
            .channel_id = "cid",
            .channel_name = "town-square",
            .user_id = "uid",
            .user_name = "alice",
            .command = "/weather",
            .text = "Paris & Lyon: 100% sûr +~",
            .response_url = "http://h:1/hooks/commands/x",
            .trigger_id = "trig",
            .root_id = "",
    };
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, 1 << 16);
    assert_int_equal(gr_mm_command_encode(&f, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b),
                        "channel_id=cid&channel_name=town-square&command=%2Fweather"
                        "&response_url=http%3A%2F%2Fh%3A1%2Fhooks%2Fcommands%2Fx&root_id="
                        "&team_domain=main&team_id=tid"
                        "&text=Paris+%26+Lyon%3A+100%25+s%C3%BBr+%2B~&token=tok&trigger_id=trig"
                        "&user_id=uid&user_name=alice");
    gr_buf_reset(&b);
    f.user_mentions = um;
    f.user_mentions_ids = umi;
    f.nuser_mentions = 2;
    f.channel_mentions = cm;
    f.channel_mentions_ids = cmi;
    f.nchannel_mentions = 1;
    f.text = NULL;
    assert_int_equal(gr_mm_command_encode(&f, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b),
                        "channel_id=cid&channel_mentions=off-topic&channel_mentions_ids=idoff"
                        "&channel_name=town-square&command=%2Fweather"
                        "&response_url=http%3A%2F%2Fh%3A1%2Fhooks%2Fcommands%2Fx&root_id="
                        "&team_domain=main&team_id=tid&text=&token=tok&trigger_id=trig"
                        "&user_id=uid&user_mentions=bob&user_mentions=carol"
                        "&user_mentions_ids=idbob&user_mentions_ids=idcarol&user_name=alice");
    gr_buf_reset(&b);
    /* Appending to a buffer that already holds something: no stray '&' in front. */
    assert_int_equal(gr_buf_appends(&b, "x?"), GR_OK);
    f.nuser_mentions = f.nchannel_mentions = 0;
    assert_int_equal(gr_mm_command_encode(&f, &b), GR_OK);
    assert_memory_equal(gr_buf_str(&b), "x?channel_id=cid&", 17);
    gr_buf_cleanup(&b);
}

static void get_url_ok(const char *url, const char *q, const char *want)
{
    struct gr_buf b;

    gr_buf_init(&b, 4096);
    assert_int_equal(gr_mm_command_get_url(url, q, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), want);
    gr_buf_cleanup(&b);
}

static void get_url(void **state)
{
    (void)state;
    get_url_ok("http://a/w", "x=1", "http://a/w?x=1");
    get_url_ok("http://a/w?k=v", "x=1", "http://a/w?k=v&x=1");
    get_url_ok("http://a/w?", "x=1", "http://a/w?x=1");
    get_url_ok("http://a/w#frag", "x=1", "http://a/w?x=1");
    get_url_ok("http://a/w?k=v#f", "x=1", "http://a/w?k=v&x=1");
    get_url_ok("http://a/w", "", "http://a/w");
}

static int parse(const char *ct, const char *body, struct gr_mm_command_resp *r)
{
    return gr_mm_command_reply_parse(ct, body, strlen(body), r);
}

static void reply_json(void **state)
{
    struct gr_mm_command_resp r;
    json_t *j;

    (void)state;
    assert_int_equal(
            parse("application/json",
                  "{\"response_type\":\"in_channel\",\"text\":\"Sunny\",\"Username\":\"u\","
                  "\"props\":{\"a\":1},\"skip_slack_parsing\":true,"
                  "\"goto_location\":\"https://x\",\"trigger_id\":\"t\","
                  "\"attachments\":[null,{\"text\":\"att\",\"fields\":[{\"title\":\"n\","
                  "\"value\":42}]}],"
                  "\"extra_responses\":[{\"text\":\"two\",\"extra_responses\":[{\"text\":"
                  "\"three\"}]},null,{\"response_type\":\"in_channel\",\"text\":\"four\"}]}",
                  &r),
            0);
    assert_true(gr_mm_command_resp_in_channel(&r));
    assert_string_equal(r.text, "Sunny");
    assert_string_equal(r.username, "u");
    assert_string_equal(r.goto_location, "https://x");
    assert_true(r.skip_slack_parsing);
    assert_int_equal(json_integer_value(json_object_get(r.props, "a")), 1);
    assert_int_equal(json_array_size(r.attachments), 1);
    /* With skip_slack_parsing Mattermost does not stringify field values (that is part of the
     * ProcessMessageAttachments it skips): 42 stays a number. Without it, see skip_slack. */
    assert_int_equal(
            json_integer_value(json_object_get(
                    json_array_get(json_object_get(json_array_get(r.attachments, 0), "fields"), 0),
                    "value")),
            42);
    assert_int_equal(r.nextra, 2);
    assert_string_equal(r.extra[0].text, "two");
    assert_int_equal(r.extra[0].nextra, 0); /* the nested level is dropped */
    assert_true(gr_mm_command_resp_in_channel(&r.extra[1]));
    j = gr_mm_command_resp_json(&r);
    assert_int_equal(json_array_size(json_object_get(j, "extra_responses")), 2);
    assert_true(json_is_null(json_object_get(
            json_array_get(json_object_get(j, "extra_responses"), 0), "extra_responses")));
    assert_string_equal(json_string_value(json_object_get(j, "goto_location")), "https://x");
    json_decref(j);
    gr_mm_command_resp_cleanup(&r);

    /* null = an empty (ephemeral, contentless) response. */
    assert_int_equal(parse("application/json", " null ", &r), 0);
    assert_false(gr_mm_command_resp_in_channel(&r));
    assert_false(gr_mm_command_resp_has_content(&r));
    j = gr_mm_command_resp_json(&r);
    assert_true(json_is_null(json_object_get(j, "props")));
    assert_true(json_is_null(json_object_get(j, "attachments")));
    assert_true(json_is_null(json_object_get(j, "extra_responses")));
    assert_string_equal(json_string_value(json_object_get(j, "response_type")), "");
    json_decref(j);
    gr_mm_command_resp_cleanup(&r);

    /* The execute answer never shows a button's integration (url, context) to the client. */
    assert_int_equal(parse("application/json",
                           "{\"text\":\"t\",\"attachments\":[{\"actions\":[{\"id\":\"a\","
                           "\"name\":\"A\",\"integration\":{\"url\":\"http://app/x\","
                           "\"context\":{\"secret\":\"s\"}}}]}],\"props\":{\"attachments\":"
                           "[{\"actions\":[{\"id\":\"b\",\"integration\":{\"url\":\"http://y\"}}]}]}}",
                           &r),
                     0);
    j = gr_mm_command_resp_json(&r);
    {
        char *txt = json_dumps(j, 0);
        assert_null(strstr(txt, "integration"));
        assert_null(strstr(txt, "http://app/x"));
        assert_non_null(strstr(txt, "\"name\": \"A\""));
        free(txt);
    }
    json_decref(j);
    /* ... while the parsed response keeps it for the post griot stores. */
    {
        char *txt = json_dumps(r.attachments, 0);
        assert_non_null(strstr(txt, "http://app/x"));
        free(txt);
    }
    gr_mm_command_resp_cleanup(&r);

    /* A huge integer is a float64 to Go, not an error. */
    assert_int_equal(parse("application/json", "{\"props\":{\"n\":123456789012345678901234}}", &r),
                     0);
    gr_mm_command_resp_cleanup(&r);
}

static void reply_bad(void **state)
{
    static const char *const bad[] = {
            "",
            "{bad",
            "[]",
            "5",
            "{\"text\":5}",
            "{\"text\":\"a\"} trailing",
            "{\"props\":[]}",
            "{\"skip_slack_parsing\":\"yes\"}",
            "{\"attachments\":{}}",
            "{\"attachments\":[{\"fields\":{}}]}",
            "{\"extra_responses\":{}}",
            "{\"extra_responses\":[5]}",
            "{\"extra_responses\":[{\"extra_responses\":[{\"text\":1}]}]}",
            "{\"text\":\"\xff\"}",
    };
    struct gr_mm_command_resp r;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int st = parse("application/json", bad[i], &r);
        if (st != -1)
            fail_msg("accepted: %s", bad[i]);
        /* Left zeroed and safe to clean. */
        assert_null(r.text);
        assert_null(r.props);
        gr_mm_command_resp_cleanup(&r);
    }
}

static void reply_text(void **state)
{
    struct gr_mm_command_resp r;
    const char body[] = "hel\0lo \xff\xc3\xa9";

    (void)state;
    assert_int_equal(parse("text/plain", "hello", &r), 0); /* SC-5 */
    assert_string_equal(r.text, "hello");
    assert_false(gr_mm_command_resp_in_channel(&r));
    assert_true(gr_mm_command_resp_has_content(&r));
    gr_mm_command_resp_cleanup(&r);
    /* Not JSON: even a JSON-looking body is text without the JSON content type. */
    assert_int_equal(parse(NULL, "{\"response_type\":\"in_channel\"}", &r), 0);
    assert_string_equal(r.text, "{\"response_type\":\"in_channel\"}");
    gr_mm_command_resp_cleanup(&r);
    assert_int_equal(gr_mm_command_reply_parse("", body, sizeof body - 1, &r), 0);
    assert_string_equal(r.text, "hello \xef\xbf\xbd\xc3\xa9");
    gr_mm_command_resp_cleanup(&r);
}

static bool lookup(void *ud, const char *id, char *out, size_t size)
{
    (void)ud;
    if (strcmp(id, "U1") != 0)
        return false;
    snprintf(out, size, "bob");
    return true;
}

static void free_draft(struct gr_mm_draft *d)
{
    free(d->message);
    free(d->type);
    json_decref(d->props);
}

static void build(void **state)
{
    struct gr_mm_command_post_opts o = {
            .username_override = true,
            .icon_override = true,
            .cmd_username = "",
            .cmd_icon_url = "",
            .stored = true,
            .username_of = lookup,
    };
    struct gr_mm_command_resp r;
    struct gr_mm_draft d;
    struct gr_apperr e;

    (void)state;
    assert_int_equal(parse("application/json",
                           "{\"response_type\":\"in_channel\",\"text\":\"hi <@U1> <http://x|y>\","
                           "\"username\":\"resp\",\"icon_url\":\"http://i\","
                           "\"props\":{\"k\":\"v\",\"from_webhook\":\"false\","
                           "\"override_username\":\"evil\",\"override_icon_emoji\":\"smile\"}}",
                           &r),
                     0);
    /* Custom command without its own overrides: the response's values, from_webhook. */
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 0);
    assert_string_equal(d.message, "hi @bob [y](http://x)");
    assert_string_equal(d.type, "");
    assert_string_equal(json_string_value(json_object_get(d.props, "from_webhook")), "true");
    assert_string_equal(json_string_value(json_object_get(d.props, "override_username")), "resp");
    assert_string_equal(json_string_value(json_object_get(d.props, "override_icon_url")),
                        "http://i");
    assert_string_equal(json_string_value(json_object_get(d.props, "override_icon_emoji")),
                        "smile");
    assert_string_equal(json_string_value(json_object_get(d.props, "k")), "v");
    free_draft(&d);

    /* The command's configured values win (§3.5). */
    o.cmd_username = "cmduser";
    o.cmd_icon_url = "http://cmd";
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 0);
    assert_string_equal(json_string_value(json_object_get(d.props, "override_username")),
                        "cmduser");
    assert_string_equal(json_string_value(json_object_get(d.props, "override_icon_url")),
                        "http://cmd");
    free_draft(&d);

    /* Overrides off: none of them, and a built-in gets no from_webhook. */
    o.username_override = o.icon_override = false;
    o.builtin = true;
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 0);
    assert_null(json_object_get(d.props, "override_username"));
    assert_null(json_object_get(d.props, "override_icon_url"));
    assert_null(json_object_get(d.props, "override_icon_emoji"));
    assert_null(json_object_get(d.props, "from_webhook"));
    free_draft(&d);
    gr_mm_command_resp_cleanup(&r);

    /* skip_slack_parsing keeps the text as it is; attachments force slack_attachment. */
    assert_int_equal(parse("application/json",
                           "{\"text\":\"<@U1>\",\"skip_slack_parsing\":true,\"type\":\"custom_x\","
                           "\"attachments\":[{\"text\":\"a <@U1>\"}]}",
                           &r),
                     0);
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 0);
    assert_string_equal(d.message, "<@U1>");
    assert_string_equal(d.type, "slack_attachment");
    assert_string_equal(
            json_string_value(json_object_get(
                    json_array_get(json_object_get(d.props, "attachments"), 0), "text")),
            "a <@U1>");
    free_draft(&d);
    gr_mm_command_resp_cleanup(&r);

    /* Types Post.IsValid refuses, and system_ ones. */
    assert_int_equal(parse("application/json", "{\"type\":\"system_join\"}", &r), 0);
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 400);
    assert_string_equal(e.id, "api.context.invalid_param.app_error");
    gr_mm_command_resp_cleanup(&r);
    assert_int_equal(parse("application/json", "{\"type\":\"weird\"}", &r), 0);
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 400);
    o.stored = false; /* an ephemeral post is never validated as a stored one */
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 0);
    free_draft(&d);
    gr_mm_command_resp_cleanup(&r);
}

static json_t *att_field(const struct gr_mm_command_resp *r, const char *key)
{
    return json_object_get(json_array_get(r->attachments, 0), key);
}

static json_t *field_value(const struct gr_mm_command_resp *r, size_t i)
{
    return json_object_get(json_array_get(att_field(r, "fields"), i), "value");
}

/* §3.5 skip_slack_parsing and attachments, as Mattermost does it: HandleCommandResponsePost
 * skips ProcessMessageAttachments (announcements, <@USERID>, stringified field values), but
 * CreateCommandPost's ParseMessageAttachment converts `<url|label>` links in pretext, text and
 * string field values of every response. */
static void skip_slack(void **state)
{
    static const char atts[] =
            "\"attachments\":[{\"pretext\":\"<!here> <https://p|P>\","
            "\"text\":\"<!channel> see <https://x.io|docs> <@U1>\",\"title\":\"<!all> t\","
            "\"footer\":\"<https://f|F>\",\"fields\":[{\"title\":\"<!here>\","
            "\"value\":\"<!channel> <https://v|V>\"},{\"value\":1234567},{\"value\":true}]}]";
    struct gr_mm_command_resp r;
    struct gr_mm_command_post_opts o = {.stored = true};
    struct gr_mm_draft d;
    struct gr_apperr e;
    char body[1024];

    (void)state;
    snprintf(body, sizeof body,
             "{\"text\":\"<!channel> <https://x|y>\",%s,\"skip_slack_parsing\":true}", atts);
    assert_int_equal(parse("application/json", body, &r), 0);
    assert_string_equal(json_string_value(att_field(&r, "pretext")), "<!here> [P](https://p)");
    assert_string_equal(json_string_value(att_field(&r, "text")),
                        "<!channel> see [docs](https://x.io) <@U1>");
    assert_string_equal(json_string_value(att_field(&r, "title")), "<!all> t");
    assert_string_equal(json_string_value(att_field(&r, "footer")), "<https://f|F>");
    assert_string_equal(json_string_value(field_value(&r, 0)), "<!channel> [V](https://v)");
    assert_int_equal(json_integer_value(field_value(&r, 1)), 1234567);
    assert_true(json_is_true(field_value(&r, 2)));
    /* The post keeps them so, and its message is the text as sent. */
    assert_int_equal(gr_mm_command_build(&r, &o, &d, &e), 0);
    assert_string_equal(d.message, "<!channel> <https://x|y>");
    assert_string_equal(
            json_string_value(json_object_get(
                    json_array_get(json_object_get(d.props, "attachments"), 0), "text")),
            "<!channel> see [docs](https://x.io) <@U1>");
    free_draft(&d);
    gr_mm_command_resp_cleanup(&r);

    /* Without it (also an explicit false, and keys in any case): everything converted. */
    snprintf(body, sizeof body, "{\"text\":\"t\",%s,\"Skip_Slack_Parsing\":false}", atts);
    assert_int_equal(parse("application/json", body, &r), 0);
    assert_string_equal(json_string_value(att_field(&r, "pretext")), "@here [P](https://p)");
    assert_string_equal(json_string_value(att_field(&r, "text")),
                        "@channel see [docs](https://x.io) <@U1>");
    assert_string_equal(json_string_value(att_field(&r, "title")), "@all t");
    assert_string_equal(json_string_value(field_value(&r, 0)), "@channel [V](https://v)");
    assert_string_equal(json_string_value(field_value(&r, 1)), "1.234567e+06");
    assert_string_equal(json_string_value(field_value(&r, 2)), "true");
    gr_mm_command_resp_cleanup(&r);

    /* Each extra response follows its own switch. */
    assert_int_equal(parse("application/json",
                           "{\"text\":\"a\",\"attachments\":[{\"text\":\"<!here>\"}],"
                           "\"extra_responses\":[{\"skip_slack_parsing\":true,"
                           "\"attachments\":[{\"text\":\"<!here>\"}]}]}",
                           &r),
                     0);
    assert_string_equal(json_string_value(att_field(&r, "text")), "@here");
    assert_int_equal(r.nextra, 1);
    assert_string_equal(json_string_value(att_field(&r.extra[0], "text")), "<!here>");
    gr_mm_command_resp_cleanup(&r);
}

static void clean_text(void **state)
{
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, 4096);
    /* Never cut inside a character. */
    assert_int_equal(gr_mm_command_clean_text("ab\xc3\xa9", 4, 3, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), "ab");
    gr_buf_reset(&b);
    assert_int_equal(gr_mm_command_clean_text("\xe2\x82", 2, 100, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), "\xef\xbf\xbd\xef\xbf\xbd");
    assert_true(gr_utf8_valid(b.p, b.len));
    gr_buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(split),      cmocka_unit_test(mentions),
            cmocka_unit_test(encode),     cmocka_unit_test(get_url),
            cmocka_unit_test(reply_json), cmocka_unit_test(reply_bad),
            cmocka_unit_test(reply_text), cmocka_unit_test(build),
            cmocka_unit_test(skip_slack), cmocka_unit_test(clean_text),
    };
    return cmocka_run_group_tests_name("mm_command", tests, NULL, NULL);
}
