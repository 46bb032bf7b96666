/* SPDX-License-Identifier: MIT */
/*
 * test_mm_incoming.c - src/mm/incoming.c, form.c and attach.c against spec mattermost-compat
 * §1 (IW- cases about the payload itself), §8.3 (AT- cases) and the details griot decided on
 * (lenient JSON repair, Go `%v` for field values, splitting in code points).
 *
 * Cases named IW-n / AT-n are the spec's acceptance cases at the level of these pure functions;
 * the HTTP status, channel and store parts of those cases live in the integration tests.
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
#include "mm/incoming.h"
#include "mm/mm_int.h"

#define JSON_CT "application/json"
#define FORM_CT "application/x-www-form-urlencoded"

static struct gr_mm_incoming in;
static struct gr_apperr e;
static struct gr_mm_draft *d;
static size_t nd;

static int setup(void **state)
{
    (void)state;
    memset(&in, 0, sizeof in);
    memset(&e, 0, sizeof e);
    d = NULL;
    nd = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gr_mm_drafts_free(d, nd);
    gr_mm_incoming_cleanup(&in);
    return 0;
}

static int dec(const char *ct, const char *body)
{
    gr_mm_incoming_cleanup(&in);
    return gr_mm_incoming_decode(ct, body, strlen(body), "hook1", &in, &e);
}

static int decn(const char *ct, const char *body, size_t len)
{
    gr_mm_incoming_cleanup(&in);
    return gr_mm_incoming_decode(ct, body, len, "hook1", &in, &e);
}

static struct gr_mm_build_opts opts(void)
{
    struct gr_mm_build_opts o = {
            .max_runes = GR_MM_MAX_POST_RUNES,
            .max_props_runes = GR_MM_MAX_PROPS_RUNES,
            .hook_display_name = "",
            .hook_username = "",
            .hook_icon_url = "",
    };
    return o;
}

static int build(const struct gr_mm_build_opts *o)
{
    gr_mm_drafts_free(d, nd);
    d = NULL;
    nd = 0;
    return gr_mm_incoming_build(&in, o, &d, &nd, &e);
}

/* Decodes, runs both checks and builds with default options; asserts success. */
static void accept(const char *ct, const char *body)
{
    struct gr_mm_build_opts o = opts();

    assert_int_equal(dec(ct, body), 0);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 0);
    assert_int_equal(build(&o), 0);
    assert_true(nd >= 1);
}

static void refused(int status, const char *id)
{
    assert_int_equal(e.status, status);
    assert_string_equal(e.id, id);
}

static const char *prop(size_t i, const char *key)
{
    return json_string_value(json_object_get(d[i].props, key));
}

static json_t *att(size_t i)
{
    return json_array_get(in.attachments, i);
}

static const char *att_str(size_t i, const char *key)
{
    return json_string_value(json_object_get(att(i), key));
}

static json_t *field(size_t a, size_t f)
{
    return json_array_get(json_object_get(att(a), "fields"), f);
}

static size_t props_runes(size_t i)
{
    char *s = json_dumps(d[i].props, JSON_COMPACT);
    size_t n = gr_utf8_count(s, strlen(s));
    free(s);
    return n;
}

/* ---- content types and encodings (§1.2, IW-1..5, 15..17) ------------------------------- */

static void iw1_json(void **state)
{
    (void)state;
    accept(JSON_CT, "{\"text\":\"hi\"}");
    assert_int_equal(nd, 1);
    assert_string_equal(d[0].message, "hi");
    assert_string_equal(d[0].type, "");
    /* from_webhook is the string "true", not a boolean */
    assert_true(json_is_string(json_object_get(d[0].props, "from_webhook")));
    assert_string_equal(prop(0, "from_webhook"), "true");
}

static void iw2_form(void **state)
{
    (void)state;
    accept(FORM_CT, "payload=%7B%22text%22%3A%22hi%22%7D");
    assert_string_equal(d[0].message, "hi");
    /* Unencoded JSON works too; '+' is a space; other fields are ignored. */
    accept(FORM_CT "; charset=UTF-8", "a=1&payload={\"text\":\"hello+world;+ok\"}&b");
    assert_string_equal(d[0].message, "hello world; ok");
    /* The first payload field wins, as Go's FormValue. */
    accept(FORM_CT, "payload={\"text\":\"one\"}&payload={\"text\":\"two\"}");
    assert_string_equal(d[0].message, "one");
}

static void iw3_no_content_type(void **state)
{
    (void)state;
    accept(NULL, "{\"text\":\"hi\"}");
    assert_string_equal(d[0].message, "hi");
    accept("", "{\"text\":\"hi\"}");
    accept("text/plain", "{\"text\":\"hi\"}");
}

static void iw4_content_type_case(void **state)
{
    (void)state;
    accept("APPLICATION/JSON; charset=utf-8", "{\"text\":\"hi\"}");
    accept("Application/X-WWW-Form-Urlencoded ; charset=\"utf-8\"", "payload={\"text\":\"f\"}");
    assert_string_equal(d[0].message, "f");
    /* A malformed parameter is tolerated (Mattermost accepts ErrInvalidMediaParameter). */
    accept("application/json; charset", "{\"text\":\"hi\"}");
    accept("application/json;", "{\"text\":\"hi\"}");
}

static const char mp_crlf[] = "preamble line\r\n"
                              "--XyZ\r\n"
                              "Content-Disposition: form-data; name=\"text\"\r\n"
                              "\r\n"
                              "hi\r\nthere\r\n"
                              "--XyZ  \r\n"
                              "content-disposition: form-data; name=username\r\n"
                              "Content-Type: text/plain\r\n"
                              "\r\n"
                              "bot\r\n"
                              "--XyZ\r\n"
                              "Content-Disposition: form-data; name=\"channel\"; filename=\"c\"\r\n"
                              "\r\n"
                              "from-a-file\r\n"
                              "--XyZ\r\n"
                              "Content-Disposition: form-data; name=\"unknown\"\r\n"
                              "\r\n"
                              "x\r\n"
                              "--XyZ\r\n"
                              "Content-Disposition: form-data; name=\"icon_emoji\"\r\n"
                              "\r\n"
                              "--XyZ--\r\n"
                              "epilogue";

static void iw5_multipart(void **state)
{
    (void)state;
    assert_int_equal(dec("multipart/form-data; boundary=XyZ", mp_crlf), 0);
    assert_string_equal(in.text, "hi\r\nthere");
    assert_string_equal(in.username, "bot");
    assert_null(in.channel); /* file parts are not fields */
    assert_string_equal(in.icon_emoji, "");
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 0);

    /* LF-only line endings and a quoted boundary. */
    assert_int_equal(dec("Multipart/Form-Data; boundary=\"a b\"",
                         "--a b\n"
                         "Content-Disposition: form-data; name=\"text\"\n\n"
                         "hi\n"
                         "--a b\n"
                         "Content-Disposition: form-data; name=\"type\"\n\n"
                         "custom_x\n"
                         "--a b--\n"),
                     0);
    assert_string_equal(in.text, "hi");
    assert_string_equal(in.type, "custom_x");
}

static void multipart_refused(void **state)
{
    (void)state;
    /* unreadable multipart -> parse_multipart */
    assert_int_equal(dec("multipart/form-data", "--x\r\n\r\nv\r\n--x--"), 400);
    refused(400, "web.incoming_webhook.parse_multipart.app_error");
    assert_int_equal(dec("multipart/form-data; boundary=x", "no delimiter at all"), 400);
    refused(400, "web.incoming_webhook.parse_multipart.app_error");
    assert_int_equal(dec("multipart/form-data; boundary=x",
                         "--x\r\nContent-Disposition: form-data; name=text\r\n\r\nunterminated"),
                     400);
    refused(400, "web.incoming_webhook.parse_multipart.app_error");
    assert_int_equal(dec("multipart/form-data; boundary=x", "--x\r\nno colon\r\n\r\nv\r\n--x--"),
                     400);
    refused(400, "web.incoming_webhook.parse_multipart.app_error");
    assert_int_equal(dec("multipart/form-data; boundary=x", ""), 400);
    refused(400, "web.incoming_webhook.parse_multipart.app_error");
    /* fields must be valid UTF-8 without NUL */
    assert_int_equal(dec("multipart/form-data; boundary=x",
                         "--x\r\nContent-Disposition: form-data; name=text\r\n\r\n\xc3\x28\r\n"
                         "--x--\r\n"),
                     400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    {
        static const char nul[] = "--x\r\nContent-Disposition: form-data; name=text\r\n\r\n"
                                  "a\0b\r\n--x--\r\n";
        assert_int_equal(decn("multipart/form-data; boundary=x", nul, sizeof nul - 1), 400);
        refused(400, "model.incoming_hook.parse_data.app_error");
    }
    /* An empty form (only the close delimiter) decodes; the text check refuses it. */
    assert_int_equal(dec("multipart/form-data; boundary=x", "--x--\r\n"), 0);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 400);
}

static void iw15_form_without_payload(void **state)
{
    (void)state;
    assert_int_equal(dec(FORM_CT, "{\"text\":\"x\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    assert_string_equal(e.message, "Unable to parse incoming data");
    assert_int_equal(dec(FORM_CT, ""), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
}

static void iw16_json_with_form_body(void **state)
{
    (void)state;
    assert_int_equal(dec(JSON_CT, "payload={\"text\":\"x\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    assert_int_equal(dec("mimetype/wrong", "payload={\"text\":\"x\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
}

static void iw17_bad_media_type(void **state)
{
    static const char *const bad[] = {
            FORM_CT " wrongtext",
            "/json",
            "application/",
            "a/b/c",
            "app lication/json",
            "application/json x; charset=utf-8",
            "   ",
            ";charset=utf-8",
            "text/pl@in",
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(dec(bad[i], "payload={\"text\":\"x\"}"), 400);
        refused(400, "web.incoming_webhook.media_type.app_error");
        assert_string_equal(e.message, "Failed to parse media incoming webhook hook1.");
        assert_null(in.text);
    }
}

static void bad_urlencoding(void **state)
{
    (void)state;
    assert_int_equal(dec(FORM_CT, "payload=%ZZ"), 400);
    refused(400, "web.incoming_webhook.parse_form.app_error");
    /* a bad escape in any field fails the form, as Go's ParseQuery */
    assert_int_equal(dec(FORM_CT, "payload={\"text\":\"x\"}&other=%4"), 400);
    refused(400, "web.incoming_webhook.parse_form.app_error");
    assert_int_equal(dec(FORM_CT, "pay%load=1"), 400);
    refused(400, "web.incoming_webhook.parse_form.app_error");
}

/* ---- JSON decoding (§1.3, §1.4, IW-6, 14, 28) ------------------------------------------ */

static void iw6_empty_text(void **state)
{
    static const char *const bodies[] = {"{\"text\":\"\"}", "{}", "{\"text\":null}",
                                         "{\"attachments\":null}"};

    (void)state;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        assert_int_equal(dec(JSON_CT, bodies[i]), 0);
        assert_int_equal(gr_mm_incoming_check_text(&in, &e), 400);
        refused(400, "web.incoming_webhook.text.app_error");
        assert_string_equal(e.message, "No text specified.");
    }
}

static void empty_attachments_refused(void **state)
{
    (void)state;
    /* griot's choice (and what Mattermost's nil-slice normalisation does): [] and [null]
     * with no text are refused like absent attachments. */
    assert_int_equal(dec(JSON_CT, "{\"attachments\":[]}"), 0);
    assert_null(in.attachments);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 400);
    refused(400, "web.incoming_webhook.text.app_error");
    assert_int_equal(dec(JSON_CT, "{\"text\":\"\",\"attachments\":[null]}"), 0);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 400);
    /* with text, an empty array is fine and the post is a plain one */
    accept(JSON_CT, "{\"text\":\"t\",\"attachments\":[]}");
    assert_string_equal(d[0].type, "");
    assert_null(json_object_get(d[0].props, "attachments"));
}

static void iw14_raw_newline_tab(void **state)
{
    (void)state;
    accept(JSON_CT, "{\"text\":\"line1\nline2\tcol\",\"attachments\":[{\"fallback\":\"a\nb\","
                    "\"fields\":[{\"value\":\"v\t1\"}]}]}");
    assert_string_equal(d[0].message, "line1\nline2\tcol");
    assert_string_equal(att_str(0, "fallback"), "a\nb");
    assert_string_equal(json_string_value(json_object_get(field(0, 0), "value")), "v\t1");
    /* escaped quotes and backslashes do not confuse the repair */
    accept(JSON_CT, "{\"text\":\"a \\\"q\\\" \\\\\n b\"}");
    assert_string_equal(d[0].message, "a \"q\" \\\n b");
    /* newlines outside strings are plain white space */
    accept(JSON_CT, "{\n\t\"text\":\n\t\"x\"\n}\n");
}

static void other_control_chars_refused(void **state)
{
    (void)state;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"a\rb\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    assert_int_equal(dec(JSON_CT, "{\"text\":\"a\x01z\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    /* a raw newline does not rescue an otherwise broken document */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"a\nb\""), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    /* \u0000 is refused (strings become C strings) */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"a\\u0000b\"}"), 400);
}

static void invalid_utf8(void **state)
{
    (void)state;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"caf\xc3\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    assert_int_equal(dec(JSON_CT, "{\"text\":\"\xed\xa0\x80\"}"), 400); /* surrogate */
    assert_int_equal(dec(FORM_CT, "payload={\"text\":\"%C3%28\"}"), 400);
    refused(400, "model.incoming_hook.parse_data.app_error");
    /* ... and the lenient repair does not change that */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"a\nb\xff\"}"), 400);
}

static void wrong_types(void **state)
{
    static const char *const bodies[] = {
            "{\"text\":5}",
            "{\"text\":\"x\",\"attachments\":{}}",
            "{\"text\":\"x\",\"attachments\":\"a\"}",
            "{\"text\":\"x\",\"props\":[]}",
            "{\"text\":\"x\",\"channel\":true}",
            "{\"text\":\"x\",\"username\":{}}",
            "{\"text\":\"x\",\"icon_url\":[1]}",
            "{\"text\":\"x\",\"icon_emoji\":1.5}",
            "{\"text\":\"x\",\"type\":false}",
            "{\"text\":\"x\",\"priority\":\"high\"}",
            "{\"text\":\"x\",\"priority\":{\"priority\":1}}",
            "{\"text\":\"x\",\"priority\":{\"priority\":\"urgent\",\"requested_ack\":\"y\"}}",
            "{\"attachments\":[5]}",
            "{\"attachments\":[{\"text\":5}]}",
            "{\"attachments\":[{\"title\":[]}]}",
            "{\"attachments\":[{\"color\":1}]}",
            "{\"attachments\":[{\"id\":\"x\"}]}",
            "{\"attachments\":[{\"id\":1.5}]}",
            "{\"attachments\":[{\"fields\":{}}]}",
            "{\"attachments\":[{\"fields\":[1]}]}",
            "{\"attachments\":[{\"fields\":[{\"title\":2}]}]}",
            "{\"attachments\":[{\"fields\":[{\"short\":\"yes\"}]}]}",
            "{\"attachments\":[{\"fields\":[{\"short\":1}]}]}",
            "{\"attachments\":[{\"actions\":{}}]}",
            "{\"attachments\":[{\"actions\":[\"x\"]}]}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        assert_int_equal(dec(JSON_CT, bodies[i]), 400);
        refused(400, "model.incoming_hook.parse_data.app_error");
        assert_null(in.text);
        assert_null(in.attachments);
    }
}

static void top_level_shapes(void **state)
{
    static const char *const bad[] = {"[]", "\"text\"", "5", "true", "", "   ", "{", "nul"};

    (void)state;
    assert_int_equal(dec(JSON_CT, "null"), 0);
    assert_true(in.is_null);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 400);
    refused(400, "web.incoming_webhook.parse.app_error");
    assert_string_equal(e.message, "Unable to parse incoming data.");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(dec(JSON_CT, bad[i]), 400);
        refused(400, "model.incoming_hook.parse_data.app_error");
    }
    /* Go's json.Decoder reads one value and ignores what follows it. */
    accept(JSON_CT, "{\"text\":\"hi\"} trailing");
    assert_string_equal(d[0].message, "hi");
}

static void go_struct_rules(void **state)
{
    (void)state;
    /* keys match case-insensitively, the last match wins; null behaves as absent */
    assert_int_equal(dec(JSON_CT, "{\"TEXT\":\"a\",\"Channel\":\"off-topic\",\"username\":null,"
                                  "\"Icon_URL\":\"u\",\"unknown\":{\"deep\":[1]},"
                                  "\"link_names\":1,\"mrkdwn\":true}"),
                     0);
    assert_string_equal(in.text, "a");
    assert_string_equal(in.channel, "off-topic");
    assert_string_equal(in.icon_url, "u");
    assert_null(in.username);
    assert_null(in.props);
    /* numbers beyond int64 are accepted (Go reads float64) */
    accept(JSON_CT, "{\"text\":\"x\",\"props\":{\"big\":123456789012345678901234567890}}");
    assert_true(json_is_real(json_object_get(d[0].props, "big")));
}

static void iw28_apprise(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"t\",\"icon_url\":null,\"username\":\"Apprise\","
                                  "\"channel\":\"off-topic\"}"),
                     0);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 0);
    assert_null(in.icon_url);
    assert_string_equal(in.channel, "off-topic");
    o.username_override = o.icon_override = true;
    assert_int_equal(build(&o), 0);
    assert_string_equal(prop(0, "override_username"), "Apprise");
    assert_null(json_object_get(d[0].props, "override_icon_url"));
}

static void iw27_large_body_decodes(void **state)
{
    /* The 413 of IW-27 is the HTTP layer's; a big body that gets here decodes and splits. */
    size_t n = 400000;
    char *body = malloc(n + 1);

    (void)state;
    memcpy(body, "{\"text\":\"", 9);
    memset(body + 9, 'x', n - 11);
    memcpy(body + n - 2, "\"}", 3);
    accept(JSON_CT, body);
    assert_int_equal(nd, (n - 11 + GR_MM_MAX_POST_RUNES - 1) / GR_MM_MAX_POST_RUNES);
    free(body);
}

/* ---- checks 14, 15, 16 (IW-25) --------------------------------------------------------- */

static void iw25_system_type(void **state)
{
    (void)state;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"type\":\"system_join_channel\"}"), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 400);
    refused(400, "api.context.invalid_param.app_error");
    assert_string_equal(e.message, "Invalid post.type parameter.");
    /* a system_ type is refused even with attachments */
    assert_int_equal(dec(JSON_CT, "{\"type\":\"system_x\",\"attachments\":[{\"text\":\"a\"}]}"), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 400);
}

static void other_types(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    accept(JSON_CT, "{\"text\":\"x\",\"type\":\"custom_thing\"}");
    assert_string_equal(d[0].type, "custom_thing");
    accept(JSON_CT, "{\"text\":\"x\",\"type\":\"slack_attachment\"}");
    /* Post.IsValid refuses unknown types: check 16, a 500 in Mattermost */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"type\":\"foo\"}"), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 500);
    refused(500, "api.post.create_webhook_post.creating.app_error");
    /* with attachments the type is slack_attachment whatever the request says */
    assert_int_equal(dec(JSON_CT, "{\"type\":\"foo\",\"attachments\":[{\"text\":\"a\"}]}"), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 0);
    assert_int_equal(build(&o), 0);
    assert_string_equal(d[0].type, "slack_attachment");
}

static void priority_check(void **state)
{
    (void)state;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"priority\":{\"requested_ack\":true}}"), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 400);
    refused(400, "api.context.invalid_param.app_error");
    assert_string_equal(e.message, "Invalid webhook.priority.priority parameter.");
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"priority\":{\"priority\":null}}"), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 400);
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"priority\":{\"priority\":\"urgent\","
                                  "\"requested_ack\":true}}"),
                     0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 0);
    assert_non_null(in.priority);
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"priority\":null}"), 0);
    assert_null(in.priority);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 0);
}

/* ---- props and overrides (§1.7, §1.8, IW-20, 21, 24) ----------------------------------- */

static void iw20_overrides_on(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    o.username_override = o.icon_override = true;
    o.hook_username = "hookuser";
    o.hook_icon_url = "https://h/i.png";
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"username\":\"Deploy Bot\","
                                  "\"icon_url\":\"https://i/x.png\",\"icon_emoji\":\":ghost:\"}"),
                     0);
    assert_int_equal(build(&o), 0);
    assert_string_equal(prop(0, "override_username"), "Deploy Bot");
    assert_string_equal(prop(0, "override_icon_url"), "https://i/x.png");
    assert_string_equal(prop(0, "override_icon_emoji"), ":ghost:");
    /* the hook's defaults fill in what the request lacks */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"username\":\"\"}"), 0);
    assert_int_equal(build(&o), 0);
    assert_string_equal(prop(0, "override_username"), "hookuser");
    assert_string_equal(prop(0, "override_icon_url"), "https://h/i.png");
    assert_null(json_object_get(d[0].props, "override_icon_emoji"));
    /* neither: the literal "webhook", and no icon */
    o.hook_username = "";
    o.hook_icon_url = NULL;
    assert_int_equal(build(&o), 0);
    assert_string_equal(prop(0, "override_username"), "webhook");
    assert_null(json_object_get(d[0].props, "override_icon_url"));
}

static void iw21_overrides_off(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    o.hook_username = "hookuser";
    o.hook_icon_url = "https://h/i.png";
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"username\":\"Deploy Bot\","
                                  "\"icon_url\":\"https://i/x.png\",\"icon_emoji\":\"ghost\"}"),
                     0);
    assert_int_equal(build(&o), 0);
    assert_null(json_object_get(d[0].props, "override_username"));
    assert_null(json_object_get(d[0].props, "override_icon_url"));
    assert_null(json_object_get(d[0].props, "override_icon_emoji"));
}

static void iw24_reserved_props(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"props\":{\"from_webhook\":\"false\","
                                  "\"k\":\"v\",\"override_username\":\"u\",\"override_icon_url\":"
                                  "\"i\",\"override_icon_emoji\":\"e\",\"attachments\":[{\"t\":1}],"
                                  "\"webhook_display_name\":\"w\",\"n\":{\"a\":[1,2]}}}"),
                     0);
    assert_int_equal(build(&o), 0);
    assert_string_equal(prop(0, "from_webhook"), "true");
    assert_string_equal(prop(0, "k"), "v");
    assert_int_equal(json_array_size(json_object_get(json_object_get(d[0].props, "n"), "a")), 2);
    assert_null(json_object_get(d[0].props, "override_username"));
    assert_null(json_object_get(d[0].props, "override_icon_url"));
    assert_null(json_object_get(d[0].props, "override_icon_emoji"));
    assert_null(json_object_get(d[0].props, "attachments"));
    assert_null(json_object_get(d[0].props, "webhook_display_name"));
    assert_string_equal(d[0].type, "");
    /* the request's own props object is left alone */
    assert_string_equal(json_string_value(json_object_get(in.props, "from_webhook")), "false");
    /* webhook_display_name comes from the hook only */
    o.hook_display_name = "CI";
    assert_int_equal(build(&o), 0);
    assert_string_equal(prop(0, "webhook_display_name"), "CI");
}

/* ---- Slack markup in the post text (IW-22) --------------------------------------------- */

static bool lookup(void *ud, const char *id, char *out, size_t size)
{
    (void)ud;
    if (strcmp(id, "abcdefghijklmnopqrstuvwxyz") != 0)
        return false;
    snprintf(out, size, "bob");
    return true;
}

static void iw22_slack_text(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    accept(JSON_CT, "{\"text\":\"see <https://a.io|site> <!channel>\"}");
    assert_string_equal(d[0].message, "see [site](https://a.io) @channel");
    o.username_of = lookup;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"hi <@abcdefghijklmnopqrstuvwxyz> <@nobody>\","
                                  "\"attachments\":[{\"pretext\":\"<@abcdefghijklmnopqrstuvwxyz>\","
                                  "\"fields\":[{\"value\":\"<@abcdefghijklmnopqrstuvwxyz>!\"}]}]}"),
                     0);
    assert_int_equal(build(&o), 0);
    assert_string_equal(d[0].message, "hi @bob <@nobody>");
    {
        json_t *a = json_array_get(json_object_get(d[0].props, "attachments"), 0);
        json_t *f = json_array_get(json_object_get(a, "fields"), 0);
        assert_string_equal(json_string_value(json_object_get(a, "pretext")), "@bob");
        assert_string_equal(json_string_value(json_object_get(f, "value")), "@bob!");
    }
    /* the decoded request keeps the ids: build works on a copy */
    assert_string_equal(att_str(0, "pretext"), "<@abcdefghijklmnopqrstuvwxyz>");
}

/* An app's reply with many `<@USERID>`: at most GR_MM_MAX_USER_LOOKUPS store reads, the
 * mentions after that stay as written (message and attachments share the budget). */
static bool counting_lookup(void *ud, const char *id, char *out, size_t size)
{
    (*(int *)ud)++;
    return lookup(NULL, id, out, size);
}

static void user_lookups_capped(void **state)
{
    struct gr_mm_build_opts o = opts();
    const char *m = "<@abcdefghijklmnopqrstuvwxyz> ";
    size_t n = GR_MM_MAX_USER_LOOKUPS + 50, ml = strlen(m), done = 0;
    char *body = malloc(n * ml + 128), *p = body;
    int calls = 0;
    struct gr_mm_username_cap cap = {counting_lookup, &calls, GR_MM_MAX_USER_LOOKUPS};
    const char *at;

    (void)state;
    p += sprintf(p, "{\"text\":\"");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s", m);
    sprintf(p, "\",\"attachments\":[{\"pretext\":\"<@abcdefghijklmnopqrstuvwxyz>\"}]}");
    assert_int_equal(dec(JSON_CT, body), 0);
    o.username_of = gr_mm_username_capped;
    o.username_ud = &cap;
    assert_int_equal(build(&o), 0);
    assert_int_equal(calls, GR_MM_MAX_USER_LOOKUPS);
    assert_int_equal(cap.left, 0);
    for (at = d[0].message; (at = strstr(at, "@bob ")) != NULL; at++)
        done++;
    assert_int_equal(done, GR_MM_MAX_USER_LOOKUPS);
    /* the rest are left as written, in order: the converted ones come first */
    at = strstr(d[0].message, m);
    assert_non_null(at);
    assert_null(strstr(at, "@bob"));
    {
        json_t *a = json_array_get(json_object_get(d[0].props, "attachments"), 0);
        assert_string_equal(json_string_value(json_object_get(a, "pretext")),
                            "<@abcdefghijklmnopqrstuvwxyz>");
    }
    /* no lookup at all behind the cap: nothing converted, nothing crashes */
    cap = (struct gr_mm_username_cap){NULL, NULL, GR_MM_MAX_USER_LOOKUPS};
    assert_int_equal(build(&o), 0);
    assert_null(strstr(d[0].message, "@bob"));
    free(body);
}

/* ---- splitting (§1.10, IW-18, IW-19) --------------------------------------------------- */

static void iw18_no_split(void **state)
{
    char *body = malloc(8200 + 16);

    (void)state;
    memcpy(body, "{\"text\":\"", 9);
    memset(body + 9, 'a', 8200);
    memcpy(body + 9 + 8200, "\"}", 3);
    accept(JSON_CT, body);
    assert_int_equal(nd, 1);
    assert_int_equal(strlen(d[0].message), 8200);
    free(body);
}

static void iw19_split_default(void **state)
{
    size_t n = GR_MM_MAX_POST_RUNES + 5;
    char *body = malloc(n + 16);

    (void)state;
    memcpy(body, "{\"text\":\"", 9);
    memset(body + 9, 'z', n);
    memcpy(body + 9 + n, "\"}", 3);
    accept(JSON_CT "; charset=utf-8", body);
    assert_int_equal(nd, 2);
    assert_int_equal(strlen(d[0].message), GR_MM_MAX_POST_RUNES);
    assert_int_equal(strlen(d[1].message), 5);
    assert_true(json_equal(d[0].props, d[1].props));
    assert_string_equal(prop(1, "from_webhook"), "true");
    /* exactly at the limit: not split */
    memset(body + 9, 'z', GR_MM_MAX_POST_RUNES);
    memcpy(body + 9 + GR_MM_MAX_POST_RUNES, "\"}", 3);
    accept(JSON_CT, body);
    assert_int_equal(nd, 1);
    free(body);
}

static void split_multibyte(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    o.max_runes = 10;
    o.username_override = true;
    /* 15 code points: 12 x é (2 bytes) + 3 x 🎉 (4 bytes) */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"éééééééééé🎉éé🎉🎉\",\"username\":\"u\"}"), 0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 2);
    assert_string_equal(d[0].message, "éééééééééé");
    assert_string_equal(d[1].message, "🎉éé🎉🎉");
    assert_string_equal(prop(1, "override_username"), "u");
    /* emoji across the cut: never split inside a sequence */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"aaaaaaaaa🎉🎉b\"}"), 0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 2);
    assert_string_equal(d[0].message, "aaaaaaaaa🎉");
    assert_string_equal(d[1].message, "🎉b");
    /* exactly 10 code points (40 bytes): one post */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉\"}"), 0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 1);
    /* conversion happens before splitting: 8 + 25 = 33 code points -> 10 + 10 + 10 + 3 */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"<!channel>6789012345678901234567890\"}"), 0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 4);
    assert_string_equal(d[0].message, "@channel67");
    assert_string_equal(d[3].message, "890");
    /* max_runes 0 means the default */
    o.max_runes = 0;
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 1);
}

static void split_attachments(void **state)
{
    struct gr_mm_build_opts o = opts();
    json_t *atts;

    (void)state;
    o.max_runes = 10;
    o.max_props_runes = 120;
    /* base props {"from_webhook":"true"} = 23 runes; each {"text":"aaaa...(30)"} = 41 runes;
     * one on a post makes 23+16+41+1 = 81, two would make 123 > 120. */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"0123456789abc\",\"attachments\":["
                                  "{\"text\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},"
                                  "{\"text\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"},"
                                  "{\"text\":\"cccc\"}]}"),
                     0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 3);
    assert_string_equal(d[0].message, "0123456789");
    assert_null(json_object_get(d[0].props, "attachments"));
    assert_string_equal(d[1].message, "abc");
    assert_int_equal(json_array_size(json_object_get(d[1].props, "attachments")), 1);
    assert_string_equal(d[2].message, ""); /* attachments only */
    atts = json_object_get(d[2].props, "attachments");
    assert_int_equal(json_array_size(atts), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(atts, 1), "text")),
                        "cccc");
    for (size_t i = 0; i < nd; i++) {
        assert_string_equal(d[i].type, "slack_attachment");
        assert_string_equal(prop(i, "from_webhook"), "true");
        assert_true(props_runes(i) <= o.max_props_runes);
    }
    assert_int_equal(props_runes(1), 81);
}

static void split_truncates_attachment(void **state)
{
    struct gr_mm_build_opts o = opts();
    char body[128];
    size_t n = 0;
    const char *t;

    (void)state;
    o.max_props_runes = 60;
    /* One attachment {"text":"<30 x é>"} is 11 + 30 = 41 runes; on the post it makes
     * 23 + 16 + 41 + 1 = 81 > 60, so its text loses 21 code points and keeps 9. */
    n += (size_t)snprintf(body, sizeof body, "{\"attachments\":[{\"text\":\"");
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "é");
    snprintf(body + n, sizeof body - n, "\"}]}");
    assert_int_equal(dec(JSON_CT, body), 0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 1);
    assert_string_equal(d[0].message, "");
    t = json_string_value(
            json_object_get(json_array_get(json_object_get(d[0].props, "attachments"), 0), "text"));
    assert_int_equal(gr_utf8_count(t, strlen(t)), 9);
    assert_true(gr_utf8_valid(t, strlen(t)));
    assert_int_equal(props_runes(0), 60);
    /* no text to shorten: refused */
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"attachments\":[{\"title\":\"tttttttttttttttt"
                                  "ttttttttttttttttttttttttttttttt\"}]}"),
                     0);
    assert_int_equal(build(&o), 400);
    refused(400, "web.incoming_webhook.split_props_length.app_error");
    assert_null(d);
    assert_int_equal(nd, 0);
}

static void split_props_too_large(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    o.max_props_runes = 40;
    assert_int_equal(dec(JSON_CT, "{\"text\":\"x\",\"props\":{\"k\":\"0123456789012345\"}}"), 0);
    assert_int_equal(build(&o), 400);
    refused(400, "web.incoming_webhook.split_props_length.app_error");
    assert_null(d);
    /* 23 + 1 + 22 = 46 would pass at 46 */
    o.max_props_runes = 46;
    assert_int_equal(build(&o), 0);
    assert_int_equal(props_runes(0), 46);
}

static void many_small_attachments(void **state)
{
    /* 20 000 tiny attachments: placed in linear time, all on one post. */
    size_t n = 20000, i;
    char *body = malloc(n * 3 + 32), *p = body;

    (void)state;
    p += snprintf(p, 32, "{\"attachments\":[");
    for (i = 0; i < n; i++)
        p += snprintf(p, 4, "%s{}", i ? "," : "");
    snprintf(p, 3, "]}");
    accept(JSON_CT, body);
    assert_int_equal(nd, 1);
    assert_int_equal(json_array_size(json_object_get(d[0].props, "attachments")), n);
    free(body);
}

/* ---- attachments (§8, AT-1..10, IW-23) ------------------------------------------------- */

static void iw23_attachment_fields(void **state)
{
    json_t *f;

    (void)state;
    accept(JSON_CT, "{\"attachments\":[{\"fallback\":\"f\",\"color\":\"danger\",\"fields\":"
                    "[{\"title\":\"n\",\"value\":5,\"short\":\"true\"}]}]}");
    assert_string_equal(d[0].type, "slack_attachment");
    assert_string_equal(d[0].message, "");
    f = json_array_get(
            json_object_get(json_array_get(json_object_get(d[0].props, "attachments"), 0),
                            "fields"),
            0);
    assert_string_equal(json_string_value(json_object_get(f, "value")), "5");
    assert_true(json_is_true(json_object_get(f, "short")));
    assert_string_equal(json_string_value(json_object_get(f, "title")), "n");
}

static const char at1_docs[] =
        "{\"attachments\":[{"
        "\"fallback\":\"test\",\"color\":\"#FF8000\",\"pretext\":\"This is optional pretext\","
        "\"text\":\"This is the text of the attachment.\",\"author_name\":\"Mattermost\","
        "\"author_icon\":\"https://example.com/a.png\",\"author_link\":\"https://mattermost.com/\","
        "\"title\":\"Example Attachment\",\"title_link\":\"https://developers.mattermost.com\","
        "\"fields\":[{\"short\":false,\"title\":\"Long Field\",\"value\":\"Testing\"},"
        "{\"short\":true,\"title\":\"Column One\",\"value\":\"Testing\"}],"
        "\"image_url\":\"https://example.com/i.png\",\"thumb_url\":\"https://example.com/t.png\","
        "\"footer\":\"Footer\",\"footer_icon\":\"https://example.com/f.png\",\"id\":7,"
        "\"ts\":1700000000,"
        "\"actions\":[{\"id\":\"ok\",\"name\":\"OK\",\"integration\":{\"url\":\"http://x\"}}]"
        "}]}";

static void at1_full_example(void **state)
{
    json_t *root, *src, *a;

    (void)state;
    accept(JSON_CT, at1_docs);
    root = json_loads(at1_docs, 0, NULL);
    src = json_array_get(json_object_get(root, "attachments"), 0);
    a = json_array_get(json_object_get(d[0].props, "attachments"), 0);
    /* every key given is stored with the same value */
    for (void *it = json_object_iter(src); it; it = json_object_iter_next(src, it))
        assert_true(json_equal(json_object_iter_value(it),
                               json_object_get(a, json_object_iter_key(it))));
    assert_int_equal(json_object_size(a), json_object_size(src));
    json_decref(root);
}

static void at2_at3_values(void **state)
{
    (void)state;
    accept(JSON_CT,
           "{\"attachments\":[{\"fields\":[{\"title\":\"n\",\"value\":42,\"short\":"
           "\"false\"},{\"title\":\"n\",\"value\":true},{\"value\":1.5,\"short\":\"TRUE\"},"
           "{\"value\":false},{\"value\":null,\"short\":null},null,{\"value\":42.0},"
           "{\"value\":[1,\"a\",null,{\"b\":2,\"a\":1.25}]}]}]}");
    assert_string_equal(json_string_value(json_object_get(field(0, 0), "value")), "42");
    assert_true(json_is_false(json_object_get(field(0, 0), "short")));
    assert_string_equal(json_string_value(json_object_get(field(0, 1), "value")), "true");
    assert_string_equal(json_string_value(json_object_get(field(0, 2), "value")), "1.5");
    assert_true(json_is_true(json_object_get(field(0, 2), "short")));
    assert_string_equal(json_string_value(json_object_get(field(0, 3), "value")), "false");
    /* null value and null short are dropped; the null field itself too */
    assert_int_equal(json_object_size(field(0, 4)), 0);
    assert_string_equal(json_string_value(json_object_get(field(0, 5), "value")), "42");
    assert_string_equal(json_string_value(json_object_get(field(0, 6), "value")),
                        "[1 a <nil> map[a:1.25 b:2]]");
    assert_int_equal(json_array_size(json_object_get(att(0), "fields")), 7);
}

static void go_float_format(void **state)
{
    static const struct {
        double d;
        const char *s;
    } cases[] = {
            {1.5, "1.5"},
            {42.0, "42"},
            {0.1, "0.1"},
            {1e21, "1e+21"},
            {1e-7, "1e-07"},
            {0, "0"},
            {-2.5, "-2.5"},
            {123456, "123456"},
            {1234567, "1.234567e+06"},
            {1e6, "1e+06"},
            {999999, "999999"},
            {0.0001, "0.0001"},
            {0.00001, "1e-05"},
            {1700000000, "1.7e+09"},
            {1.0 / 3, "0.3333333333333333"},
            {100, "100"},
            {-0.000123, "-0.000123"},
            {12345678901234567890.0, "1.2345678901234567e+19"},
            {5e-324, "5e-324"},
            {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, 1024);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gr_buf_reset(&b);
        assert_int_equal(gr_mm__go_float(cases[i].d, &b), GR_OK);
        assert_string_equal(gr_buf_str(&b), cases[i].s);
    }
    gr_buf_cleanup(&b);
}

static void at4_null_attachment(void **state)
{
    (void)state;
    accept(JSON_CT, "{\"attachments\":[null,{\"text\":\"a\"},null]}");
    assert_int_equal(json_array_size(in.attachments), 1);
    assert_string_equal(att_str(0, "text"), "a");
    assert_int_equal(json_array_size(json_object_get(d[0].props, "attachments")), 1);
}

static void at5_at6_links(void **state)
{
    (void)state;
    accept(JSON_CT, "{\"attachments\":[{\"text\":\"<http://a|b>\",\"pretext\":\"<http://p|q> "
                    "<!here>\",\"title\":\"<http://a|b> <!all>\",\"author_name\":\"<http://a|b>\","
                    "\"footer\":\"<http://a|b>\",\"fallback\":\"<http://a|b> <!channel>\","
                    "\"fields\":[{\"title\":\"<http://a|b>\",\"value\":\"<http://v|w>\"}]}]}");
    assert_string_equal(att_str(0, "text"), "[b](http://a)");
    assert_string_equal(att_str(0, "pretext"), "[q](http://p) @here");
    /* title: announcements only (ProcessSlackText), never links */
    assert_string_equal(att_str(0, "title"), "<http://a|b> @all");
    assert_string_equal(att_str(0, "author_name"), "<http://a|b>");
    assert_string_equal(att_str(0, "footer"), "<http://a|b>");
    assert_string_equal(att_str(0, "fallback"), "<http://a|b> <!channel>");
    assert_string_equal(json_string_value(json_object_get(field(0, 0), "title")), "<http://a|b>");
    assert_string_equal(json_string_value(json_object_get(field(0, 0), "value")), "[w](http://v)");
}

static void at7_ts(void **state)
{
    (void)state;
    accept(JSON_CT, "{\"attachments\":[{\"ts\":1700000000},{\"ts\":\"1700000000.123\"}]}");
    assert_int_equal(json_integer_value(json_object_get(att(0), "ts")), 1700000000);
    assert_string_equal(att_str(1, "ts"), "1700000000.123");
}

static void at8_uptime_kuma(void **state)
{
    struct gr_mm_build_opts o = opts();

    (void)state;
    o.username_override = o.icon_override = true;
    assert_int_equal(dec(JSON_CT, "{\"username\":\"Uptime Kuma\",\"channel\":null,"
                                  "\"icon_emoji\":null,\"icon_url\":null,\"attachments\":[{"
                                  "\"fallback\":\"down\",\"color\":\"#FF0000\",\"title\":\"Mon\","
                                  "\"title_link\":null,\"fields\":[{\"short\":true,\"title\":"
                                  "\"Service Name\",\"value\":\"svc\"},{\"short\":false,\"title\":"
                                  "\"Time (UTC)\",\"value\":null},null]}]}"),
                     0);
    assert_int_equal(gr_mm_incoming_check_text(&in, &e), 0);
    assert_int_equal(gr_mm_incoming_check_fields(&in, &e), 0);
    assert_int_equal(build(&o), 0);
    assert_int_equal(nd, 1);
    assert_string_equal(d[0].type, "slack_attachment");
    assert_string_equal(d[0].message, "");
    assert_string_equal(prop(0, "override_username"), "Uptime Kuma");
    assert_null(json_object_get(att(0), "title_link"));
    assert_int_equal(json_array_size(json_object_get(att(0), "fields")), 2);
}

static void at9_at10_harmless(void **state)
{
    (void)state;
    accept(JSON_CT, "{\"attachments\":[{\"color\":\"not-a-colour\",\"mrkdwn_in\":[\"text\"],"
                    "\"callback_id\":\"cb\",\"Text\":\"case\",\"blocks\":null}]}");
    assert_string_equal(att_str(0, "color"), "not-a-colour");
    assert_string_equal(att_str(0, "callback_id"), "cb");
    assert_int_equal(json_array_size(json_object_get(att(0), "mrkdwn_in")), 1);
    /* known keys are stored under their canonical name; null unknown keys are dropped */
    assert_string_equal(att_str(0, "text"), "case");
    assert_null(json_object_get(att(0), "Text"));
    assert_null(json_object_get(att(0), "blocks"));
}

static void cleanup_is_safe(void **state)
{
    (void)state;
    gr_mm_incoming_cleanup(NULL);
    gr_mm_drafts_free(NULL, 0);
    assert_int_equal(dec(JSON_CT, "{\"text\":5}"), 400);
    gr_mm_incoming_cleanup(&in);
    gr_mm_incoming_cleanup(&in);
    assert_null(in.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(iw1_json, setup, teardown),
            cmocka_unit_test_setup_teardown(iw2_form, setup, teardown),
            cmocka_unit_test_setup_teardown(iw3_no_content_type, setup, teardown),
            cmocka_unit_test_setup_teardown(iw4_content_type_case, setup, teardown),
            cmocka_unit_test_setup_teardown(iw5_multipart, setup, teardown),
            cmocka_unit_test_setup_teardown(multipart_refused, setup, teardown),
            cmocka_unit_test_setup_teardown(iw15_form_without_payload, setup, teardown),
            cmocka_unit_test_setup_teardown(iw16_json_with_form_body, setup, teardown),
            cmocka_unit_test_setup_teardown(iw17_bad_media_type, setup, teardown),
            cmocka_unit_test_setup_teardown(bad_urlencoding, setup, teardown),
            cmocka_unit_test_setup_teardown(iw6_empty_text, setup, teardown),
            cmocka_unit_test_setup_teardown(empty_attachments_refused, setup, teardown),
            cmocka_unit_test_setup_teardown(iw14_raw_newline_tab, setup, teardown),
            cmocka_unit_test_setup_teardown(other_control_chars_refused, setup, teardown),
            cmocka_unit_test_setup_teardown(invalid_utf8, setup, teardown),
            cmocka_unit_test_setup_teardown(wrong_types, setup, teardown),
            cmocka_unit_test_setup_teardown(top_level_shapes, setup, teardown),
            cmocka_unit_test_setup_teardown(go_struct_rules, setup, teardown),
            cmocka_unit_test_setup_teardown(iw28_apprise, setup, teardown),
            cmocka_unit_test_setup_teardown(iw27_large_body_decodes, setup, teardown),
            cmocka_unit_test_setup_teardown(iw25_system_type, setup, teardown),
            cmocka_unit_test_setup_teardown(other_types, setup, teardown),
            cmocka_unit_test_setup_teardown(priority_check, setup, teardown),
            cmocka_unit_test_setup_teardown(iw20_overrides_on, setup, teardown),
            cmocka_unit_test_setup_teardown(iw21_overrides_off, setup, teardown),
            cmocka_unit_test_setup_teardown(iw24_reserved_props, setup, teardown),
            cmocka_unit_test_setup_teardown(iw22_slack_text, setup, teardown),
            cmocka_unit_test_setup_teardown(user_lookups_capped, setup, teardown),
            cmocka_unit_test_setup_teardown(iw18_no_split, setup, teardown),
            cmocka_unit_test_setup_teardown(iw19_split_default, setup, teardown),
            cmocka_unit_test_setup_teardown(split_multibyte, setup, teardown),
            cmocka_unit_test_setup_teardown(split_attachments, setup, teardown),
            cmocka_unit_test_setup_teardown(split_truncates_attachment, setup, teardown),
            cmocka_unit_test_setup_teardown(split_props_too_large, setup, teardown),
            cmocka_unit_test_setup_teardown(many_small_attachments, setup, teardown),
            cmocka_unit_test_setup_teardown(iw23_attachment_fields, setup, teardown),
            cmocka_unit_test_setup_teardown(at1_full_example, setup, teardown),
            cmocka_unit_test_setup_teardown(at2_at3_values, setup, teardown),
            cmocka_unit_test_setup_teardown(go_float_format, setup, teardown),
            cmocka_unit_test_setup_teardown(at4_null_attachment, setup, teardown),
            cmocka_unit_test_setup_teardown(at5_at6_links, setup, teardown),
            cmocka_unit_test_setup_teardown(at7_ts, setup, teardown),
            cmocka_unit_test_setup_teardown(at8_uptime_kuma, setup, teardown),
            cmocka_unit_test_setup_teardown(at9_at10_harmless, setup, teardown),
            cmocka_unit_test_setup_teardown(cleanup_is_safe, setup, teardown),
    };
    return cmocka_run_group_tests_name("mm_incoming", tests, NULL, NULL);
}
