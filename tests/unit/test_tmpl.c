/* SPDX-License-Identifier: MIT */
/*
 * test_tmpl.c - src/tmpl beyond the Mustache spec: Markdown mode, number and value rendering,
 * griot's helpers (every example in docs/templates.md), compile and render errors with their
 * line numbers, and the limits (output, nesting, recursion, work).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

static char last_err[256];
static gr_err last_rc;

static const char *partials_cb(void *ud, const char *name, size_t *len_out)
{
    json_t *p = json_object_get((json_t *)ud, name);

    if (!json_is_string(p))
        return NULL;
    *len_out = json_string_length(p);
    return json_string_value(p);
}

/* Renders tpl against the JSON text data; returns the output (or "ERR" on failure, with the
 * error in last_err). The result is valid until the next call. */
static const char *render_p(const char *tpl, const char *data, enum gr_tmpl_mode mode, bool helpers,
                            const char *partials)
{
    static char result[8192];
    struct gr_tmpl_opts o = {.mode = mode, .helpers = helpers};
    json_t *d = json_loads(data, JSON_DECODE_ANY, NULL);
    json_t *p = partials ? json_loads(partials, 0, NULL) : NULL;
    struct gr_buf out;

    assert_non_null(d);
    if (p) {
        o.partial = partials_cb;
        o.partial_ud = p;
    }
    gr_buf_init(&out, GR_BUF_UNBOUNDED);
    last_err[0] = '\0';
    last_rc = gr_tmpl_render_string(tpl, strlen(tpl), d, &o, &out, last_err, sizeof(last_err));
    snprintf(result, sizeof(result), "%s", last_rc == GR_OK ? gr_buf_str(&out) : "ERR");
    gr_buf_cleanup(&out);
    json_decref(d);
    json_decref(p);
    return result;
}

static const char *md(const char *tpl, const char *data)
{
    return render_p(tpl, data, GR_TMPL_MARKDOWN, true, NULL);
}

static const char *html(const char *tpl, const char *data)
{
    return render_p(tpl, data, GR_TMPL_HTML, false, NULL);
}

static void markdown_mode(void **state)
{
    (void)state;
    assert_string_equal(md("{{x}} {{{x}}} {{&x}}", "{\"x\":\"AT&T <b>\\\"q\\\"'\"}"),
                        "AT&T <b>\"q\"' AT&T <b>\"q\"' AT&T <b>\"q\"'");
    assert_string_equal(html("{{x}}|{{{x}}}", "{\"x\":\"AT&T <b>\\\"q\\\"'\"}"),
                        "AT&amp;T &lt;b&gt;&quot;q&quot;&#39;|AT&T <b>\"q\"'");
    /* Numbers like JSON, booleans as words, null and missing as nothing. */
    assert_string_equal(md("{{i}} {{n}} {{r}} {{w}} {{e}} {{s}} {{big}} {{t}} {{f}} [{{z}}{{m}}]",
                           "{\"i\":12500,\"n\":-3,\"r\":0.1,\"w\":3.0,\"e\":1e300,\"s\":1.5e-7,"
                           "\"big\":1e20,\"t\":true,\"f\":false,\"z\":null}"),
                        "12500 -3 0.1 3 1e+300 1.5e-7 100000000000000000000 true false []");
    assert_string_equal(md("{{l}} {{o}}", "{\"l\":[1,\"a\",0.5],\"o\":{\"k\":\"v\\n\"}}"),
                        "[1,\"a\",0.5] {\"k\":\"v\\n\"}");
    /* Dotted names reach into lists by index (an extension; the spec has no such case). */
    assert_string_equal(md("{{alerts.0.labels.alertname}}/{{alerts.1.x}}/{{alerts.x}}",
                           "{\"alerts\":[{\"labels\":{\"alertname\":\"Disk\"}}]}"),
                        "Disk//");
}

static void truthiness(void **state)
{
    (void)state;
    assert_string_equal(html("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":0}"), "n");
    assert_string_equal(html("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":0.0}"), "n");
    assert_string_equal(html("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":\"\"}"), "n");
    assert_string_equal(html("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":[]}"), "n");
    assert_string_equal(html("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":{}}"), "y");
    assert_string_equal(html("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":\"0\"}"), "y");
    assert_string_equal(html("{{#a}}<{{.}}>{{/a}}", "{\"a\":[0,null,false]}"), "<0><><false>");
    /* No data at all: everything is missing. */
    assert_string_equal(
            render_p("[{{a}}{{#b}}x{{/b}}{{^c}}y{{/c}}]", "null", GR_TMPL_HTML, false, NULL),
            "[y]");
}

static void helpers_text(void **state)
{
    const char *d = "{\"name\":\"joe Smith\",\"msg\":\"hello wonderful world\",\"e\":\"\","
                    "\"z\":null,\"l\":[],\"n\":0,\"body\":\"  first line\\r\\nsecond\\n\","
                    "\"fallback\":\"from data\"}";

    (void)state;
    assert_string_equal(md("{{name | upper}}|{{name | lower}}|{{name | capitalize}}", d),
                        "JOE SMITH|joe smith|Joe Smith");
    assert_string_equal(md("[{{body | trim}}]", d), "[first line\r\nsecond]");
    assert_string_equal(md("[{{body | firstline}}]", d), "[  first line]");
    assert_string_equal(md("[{{body | firstline | trim}}]", d), "[first line]");
    assert_string_equal(md("{{msg | truncate 10}}", d), "hello won\xe2\x80\xa6");
    assert_string_equal(md("{{msg | truncate 7}}", d), "hello…"); /* no space before … */
    assert_string_equal(md("{{msg | truncate 12 \"...\"}}", d), "hello won...");
    assert_string_equal(md("{{msg | truncate 40}}", d), "hello wonderful world");
    assert_string_equal(md("{{msg | truncate 1}}", d), "h");
    assert_string_equal(md("{{s | truncate 3}}", "{\"s\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}"),
                        "\xc3\xa9\xc3\xa9…");
    assert_string_equal(md("{{missing | default \"n/a\"}} {{e | default \"none\"}} "
                           "{{z | default 'nil'}} {{l | default \"[]\"}} {{n | default \"x\"}} "
                           "{{name | default \"x\"}} {{missing | default fallback}}",
                           d),
                        "n/a none nil [] 0 joe Smith from data");
    assert_string_equal(md("{{x | replace \"-\" \" \"}}", "{\"x\":\"a-b--c\"}"), "a b  c");
    assert_string_equal(md("{{x | replace \"\" \"!\"}}", "{\"x\":\"ab\"}"), "ab");
    assert_string_equal(md("{{x | md}}", "{\"x\":\"*bold* _it_ [l](u) @channel @here @all "
                                         "@alice @allison #1 a|b\"}"),
                        "\\*bold\\* \\_it\\_ \\[l\\](u) @\xe2\x80\x8b"
                        "channel @\xe2\x80\x8bhere @\xe2\x80\x8b"
                        "all @alice @allison \\#1 a\\|b");
    assert_string_equal(md("{{x | url}}", "{\"x\":\"a b/c?d=é&e~\"}"),
                        "a%20b%2Fc%3Fd%3D%C3%A9%26e~");
    assert_string_equal(md("{{x | json}} {{missing | json}}", "{\"x\":{\"a\":[1,2.5,\"q\\\"\"]}}"),
                        "{\"a\":[1,2.5,\"q\\\"\"]} null");
    assert_string_equal(md("{{a | thousands}} {{a | thousands \" \"}} {{b | thousands}} "
                           "{{c | thousands \".\"}} {{d | thousands}} {{e | thousands}}",
                           "{\"a\":12500,\"b\":-1234567.25,\"c\":\"1000000\",\"d\":999,"
                           "\"e\":\"n/a\"}"),
                        "12,500 12 500 -1,234,567.25 1.000.000 999 n/a");
}

static void helpers_lists(void **state)
{
    const char *d = "{\"commits\":[{\"id\":\"abcdef123\",\"message\":\"Fix bug\\n\\nbody\","
                    "\"author\":{\"name\":\"Ann\"}},{\"id\":\"123456789\",\"message\":\"Add "
                    "feature\",\"author\":{\"name\":\"Bob\"}},{\"id\":\"fedcba987\",\"message\":"
                    "\"\",\"author\":{\"name\":\"Cy\"}}],\"tags\":[\"a\",\"b\",\"c\"],"
                    "\"labels\":{\"x\":\"1\",\"y\":\"2\"},\"status\":\"firing\",\"code\":200}";

    (void)state;
    assert_string_equal(md("{{tags | join}}|{{tags | join \" / \"}}|{{tags | join \"\"}}", d),
                        "a, b, c|a / b / c|abc");
    assert_string_equal(md("{{commits | join \", \" \"author.name\"}}", d), "Ann, Bob, Cy");
    /* Empty items are skipped, so there are no doubled separators. */
    assert_string_equal(md("{{commits | join \"; \" \"message\"}}", d),
                        "Fix bug\n\nbody; Add feature");
    assert_string_equal(md("{{commits | length}} {{tags | count}} {{labels | length}} "
                           "{{status | length}} {{missing | length}}",
                           d),
                        "3 3 2 6 0");
    assert_string_equal(md("{{tags | first}} {{tags | last}} {{tags | first 2}} {{tags | last 2}} "
                           "{{tags | skip 1}} {{status | first 4}} {{status | last 3}} "
                           "{{status | skip 4}}",
                           d),
                        "a c [\"a\",\"b\"] [\"b\",\"c\"] [\"b\",\"c\"] firi ing ng");
    /* The push-message pattern: a few commits, then "and K more". */
    assert_string_equal(md("{{#commits | first 2}}- `{{id | first 7}}` {{message | firstline}} "
                           "({{author.name}})\n{{/commits}}"
                           "{{#commits | skip 2 | length}}and {{.}} more{{/commits}}",
                           d),
                        "- `abcdef1` Fix bug (Ann)\n- `1234567` Add feature (Bob)\nand 1 more");
    assert_string_equal(md("{{#commits | skip 5 | length}}and {{.}} more{{/commits}}.", d), ".");
    assert_string_equal(md("{{#status | eq \"firing\"}}🔥{{/status}}"
                           "{{^status | eq \"firing\"}}✅{{/status}} "
                           "{{#code | eq 200}}ok{{/code}} {{#code | ne 200}}bad{{/code}}"
                           "{{status | eq \"resolved\"}}",
                           d),
                        "🔥 ok false");
    /* A filtered section may be closed by its whole content too. */
    assert_string_equal(md("{{#tags | first 1}}{{.}}{{/tags | first 1}}", d), "a");
}

static void helpers_date(void **state)
{
    const char *d = "{\"t\":\"2024-03-01T10:20:30.123Z\",\"o\":\"2024-03-01T10:20:30+02:00\","
                    "\"s\":1709288430,\"ms\":1709288430123,\"f\":1709288430.5,"
                    "\"str\":\"1709288430\",\"day\":\"2024-02-29\",\"bad\":\"2023-02-29\","
                    "\"word\":\"yesterday\",\"neg\":-86400,\"sp\":\"2024-03-01 10:20:30z\"}";

    (void)state;
    assert_string_equal(md("{{t | date}}", d), "2024-03-01 10:20 UTC");
    assert_string_equal(md("{{o | date}}", d), "2024-03-01 08:20 UTC");
    assert_string_equal(md("{{s | date}}|{{ms | date}}|{{str | date}}|{{sp | date}}", d),
                        "2024-03-01 10:20 UTC|2024-03-01 10:20 UTC|2024-03-01 10:20 UTC|"
                        "2024-03-01 10:20 UTC");
    assert_string_equal(md("{{t | date \"%Y-%m-%dT%H:%M:%S.%LZ\"}}", d),
                        "2024-03-01T10:20:30.123Z");
    assert_string_equal(md("{{f | date \"%T.%L\"}}", d), "10:20:30.500");
    assert_string_equal(md("{{t | date \"%a %A %b %B %e %j %u %w %y %C %I %l %p %s %%\"}}", d),
                        "Fri Friday Mar March  1 061 5 5 24 20 10 10 AM 1709288430 %");
    assert_string_equal(md("{{t | date \"%F %R %z %Z\" \"+05:30\"}}", d),
                        "2024-03-01 15:50 +0530 +05:30");
    assert_string_equal(md("{{t | date \"%D %H:%M %Z\" \"-0800\"}}", d), "03/01/24 02:20 -08:00");
    assert_string_equal(md("{{day | date \"%A %d %B\"}}", d), "Thursday 29 February");
    assert_string_equal(md("{{neg | date \"%F %a\"}}", d), "1969-12-31 Wed");
    /* Not dates: unchanged. */
    assert_string_equal(md("{{bad | date}}|{{word | date}}|{{missing | date}}", d),
                        "2023-02-29|yesterday|");
    assert_string_equal(md("{{x | date \"%Y\"}}", "{\"x\":1e300}"), "1e+300");
    assert_string_equal(md("{{t | date \"%q %\"}}", d), "%q %");
}

/* The examples of docs/templates.md, against the payload given there. */
static void docs_examples(void **state)
{
    const char *d =
            "{\"name\": \"joe Smith\", \"msg\": \"hello wonderful world\", \"status\": "
            "\"firing\", \"code\": 200, \"amount\": 12500, \"tags\": [\"a\", \"b\", \"c\"], "
            "\"empty\": \"\", \"commits\": [{\"id\": \"abcdef123\", \"message\": \"Fix "
            "bug\\n\\nbody\", \"author\": {\"name\": \"Ann\"}}, {\"id\": \"123456789\", "
            "\"message\": \"Add feature\", \"author\": {\"name\": \"Bob\"}}, {\"id\": "
            "\"fedcba987\", \"message\": \"\", \"author\": {\"name\": \"Cy\"}}], "
            "\"startsAt\": \"2024-03-01T10:20:30.123Z\", \"ts\": 1709288430, \"x\": \"*hi* "
            "@channel\"}";

    (void)state;
    assert_string_equal(md("{{commits.0.message | firstline}}|{{name | replace \" \" \"_\"}}|"
                           "{{x | md}}|{{name | url}}|{{tags | json}}|{{amount | thousands}}|"
                           "{{amount | thousands \" \"}} XOF",
                           d),
                        "Fix bug|joe_Smith|\\*hi\\* @\xe2\x80\x8b"
                        "channel|joe%20Smith|[\"a\",\"b\",\"c\"]|12,500|12 500 XOF");
    assert_string_equal(md("{{tags | join}}|{{tags | join \" / \"}}|"
                           "{{commits | join \", \" \"author.name\"}}|{{commits | length}}|"
                           "{{tags | first}}|{{tags | first 2}}|{{tags | last}}|{{tags | last 2}}|"
                           "{{tags | skip 1}}",
                           d),
                        "a, b, c|a / b / c|Ann, Bob, Cy|3|a|[\"a\",\"b\"]|c|[\"b\",\"c\"]|"
                        "[\"b\",\"c\"]");
    assert_string_equal(md("{{#commits | first 2}}\n"
                           "- `{{id | first 7}}` {{message | firstline | md}} ({{author.name}})\n"
                           "{{/commits}}\n"
                           "{{#commits | skip 2 | length}}…and {{.}} more{{/commits}}\n",
                           d),
                        "- `abcdef1` Fix bug (Ann)\n- `1234567` Add feature (Bob)\n…and 1 more\n");
    assert_string_equal(md("{{missing | default \"n/a\"}}|{{empty | default \"(none)\"}}|"
                           "{{title | default name}}|{{#status | eq \"firing\"}}🔥{{/status}}|"
                           "{{#code | ne 200}}failed{{/code}}|"
                           "{{#status | eq \"firing\"}}🔴 Firing{{/status}}"
                           "{{^status | eq \"firing\"}}✅ Resolved{{/status}}",
                           d),
                        "n/a|(none)|joe Smith|🔥||🔴 Firing");
    assert_string_equal(
            md("{{startsAt | date}}|{{startsAt | date \"%d %b %Y, %H:%M\"}}|"
               "{{ts | date \"%Y-%m-%dT%H:%M:%SZ\"}}|"
               "{{startsAt | date \"%H:%M %Z\" \"+01:00\"}}",
               d),
            "2024-03-01 10:20 UTC|01 Mar 2024, 10:20|2024-03-01T10:20:30Z|11:20 +01:00");
    assert_string_equal(md("{{amount | upper}}|{{commits.0.author | first 2}}", d),
                        "12500|{\"name\":\"Ann\"}");
}

static void helpers_off_is_standard(void **state)
{
    (void)state;
    /* Without helpers a '|' is part of the name, as in any Mustache implementation. */
    assert_string_equal(html("{{a | upper}}/{{a|upper}}/{{a}}",
                             "{\"a | upper\":\"x\",\"a|upper\":\"y\",\"a\":\"z\"}"),
                        "x/y/z");
    assert_string_equal(
            render_p("{{a | nope}}", "{\"a | nope\":\"std\"}", GR_TMPL_MARKDOWN, false, NULL),
            "std");
    /* With helpers, tags without '|' behave exactly as without. */
    assert_string_equal(md("{{a}} {{#l}}{{.}}{{/l}} {{&a}}", "{\"a\":\"<x>\",\"l\":[1,2]}"),
                        "<x> 12 <x>");
    /* Helpers work in HTML mode, and their results are escaped like any value. */
    assert_string_equal(render_p("{{a | upper}}", "{\"a\":\"<x>\"}", GR_TMPL_HTML, true, NULL),
                        "&lt;X&gt;");
}

static void compile_errors(void **state)
{
    static const struct {
        const char *tpl, *err;
    } cases[] = {
            {"a\nb\n{{#x}}\nc", "line 3: unclosed section 'x'"},
            {"{{^x}}", "line 1: unclosed inverted section 'x'"},
            {"{{#a}}\n{{#b}}\n{{/a}}", "line 3: closing tag 'a' does not match 'b' (line 2)"},
            {"\n\n{{/x}}", "line 3: unexpected closing tag 'x'"},
            {"ok\n{{x", "line 2: unclosed tag (no closing delimiter)"},
            {"{{{x}}", "line 1: unclosed tag (no closing delimiter)"},
            {"{{}}", "line 1: empty tag"},
            {"{{# }}", "line 1: empty tag"},
            {"{{>*}}", "line 1: empty tag"},
            {"{{=a=}}", "line 1: invalid set-delimiter tag"},
            {"{{=a b c=}}", "line 1: invalid set-delimiter tag"},
            {"{{<p}}", "line 1: unclosed parent 'p'"},
            {"{{$b}}", "line 1: unclosed block 'b'"},
            {"{{!\n\n}}\n{{#x}}", "line 4: unclosed section 'x'"},
    };
    struct gr_tmpl *t;
    char err[128];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        t = (struct gr_tmpl *)1;
        assert_int_equal(gr_tmpl_compile(cases[i].tpl, strlen(cases[i].tpl), &t, err, sizeof(err)),
                         GR_EINVAL);
        assert_null(t);
        assert_string_equal(err, cases[i].err);
    }
    /* No error buffer is fine; an empty template is fine. */
    assert_int_equal(gr_tmpl_compile("{{#x}}", 6, &t, NULL, 0), GR_EINVAL);
    assert_int_equal(gr_tmpl_compile("", 0, &t, err, sizeof(err)), GR_OK);
    gr_tmpl_free(t);
    assert_int_equal(gr_tmpl_compile(NULL, 0, &t, err, sizeof(err)), GR_OK);
    gr_tmpl_free(t);
    gr_tmpl_free(NULL);
}

static void helper_errors(void **state)
{
    static const struct {
        const char *tpl, *err;
    } cases[] = {
            {"x\n{{a | nope}}", "line 2: unknown helper 'nope'"},
            {"{{a | truncate}}", "line 1: helper 'truncate' takes 1 to 2 arguments"},
            {"{{a | upper 3}}", "line 1: helper 'upper' takes 0 arguments"},
            {"{{a | replace \"x\"}}", "line 1: helper 'replace' takes 2 arguments"},
            {"{{a | default \"x}}", "line 1: unterminated string in helper 'default'"},
            {"{{a | }}", "line 1: expected a helper name after '|'"},
            {"{{ | upper}}", "line 1: expected one name before '|'"},
            {"{{a b | upper}}", "line 1: expected one name before '|'"},
            {"{{#a | nope}}{{/a}}", "line 1: unknown helper 'nope'"},
    };
    struct gr_tmpl *t = NULL;
    struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .helpers = true};
    struct gr_buf out;
    json_t *d = json_object();

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(md(cases[i].tpl, "{}"), "ERR");
        assert_int_equal(last_rc, GR_EINVAL);
        assert_string_equal(last_err, cases[i].err);
    }
    /* The same template compiles, renders standard without helpers, fails with them. */
    gr_buf_init(&out, GR_BUF_UNBOUNDED);
    assert_int_equal(gr_tmpl_compile("[{{a | nope}}]", 14, &t, NULL, 0), GR_OK);
    o.helpers = false;
    assert_int_equal(gr_tmpl_render(t, d, &o, &out), GR_OK);
    assert_string_equal(gr_buf_str(&out), "[]");
    o.helpers = true;
    assert_int_equal(gr_tmpl_render(t, d, &o, &out), GR_EINVAL);
    assert_string_equal(gr_buf_str(&out), "[]");
    gr_tmpl_free(t);
    gr_buf_cleanup(&out);
    json_decref(d);
    /* A broken partial fails the render and says which partial. */
    assert_string_equal(render_p("a{{>p}}b", "{}", GR_TMPL_HTML, false, "{\"p\":\"{{#x}}\"}"),
                        "ERR");
    assert_int_equal(last_rc, GR_EINVAL);
    assert_string_equal(last_err, "partial 'p': line 1: unclosed section 'x'");
}

static void partials_and_inheritance(void **state)
{
    const char *parts = "{\"item\":\"- {{name}}\\n\",\"list\":\"{{#items}}\\n{{>item}}\\n"
                        "{{/items}}\\n\",\"layout\":\"# {{$title}}Untitled{{/title}}\\n"
                        "{{$body}}{{/body}}\\n\"}";

    (void)state;
    assert_string_equal(render_p("Items:\n  {{>list}}\nend\n",
                                 "{\"items\":[{\"name\":\"a\"},"
                                 "{\"name\":\"b\"}]}",
                                 GR_TMPL_MARKDOWN, false, parts),
                        "Items:\n  - a\n  - b\nend\n");
    assert_string_equal(render_p("{{<layout}}{{$title}}Alert {{name}}{{/title}}"
                                 "{{$body}}firing{{/body}}{{/layout}}",
                                 "{\"name\":\"Disk\"}", GR_TMPL_MARKDOWN, false, parts),
                        "# Alert Disk\nfiring\n");
    /* Unknown partials and a missing callback render as nothing. */
    assert_string_equal(render_p("[{{>nope}}]", "{}", GR_TMPL_HTML, false, parts), "[]");
    assert_string_equal(render_p("[{{>nope}}{{<nope}}{{/nope}}]", "{}", GR_TMPL_HTML, false, NULL),
                        "[]");
}

static void limits(void **state)
{
    struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .max_output = 10};
    struct gr_tmpl *t = NULL;
    struct gr_buf out;
    char err[128];
    json_t *d = json_loads("{\"x\":\"0123456789abc\",\"l\":[1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
    json_t *p = json_loads("{\"me\":\"x{{>me}}\",\"l\":\"{{#l}}{{>l}}{{/l}}\"}", 0, NULL);
    const char *deep;
    char *big;

    (void)state;
    gr_buf_init(&out, GR_BUF_UNBOUNDED);
    gr_buf_appends(&out, "keep");
    /* Output: exactly at the limit is fine, one byte more fails and leaves out unchanged. */
    assert_int_equal(gr_tmpl_render_string("0123456789", 10, d, &o, &out, err, sizeof(err)), GR_OK);
    assert_string_equal(gr_buf_str(&out), "keep0123456789");
    assert_int_equal(gr_tmpl_render_string("{{x}}", 5, d, &o, &out, err, sizeof(err)), GR_ETOOBIG);
    assert_string_equal(gr_buf_str(&out), "keep0123456789");
    assert_string_equal(err, "output exceeds 10 bytes");
    /* The buffer's own maximum counts too. */
    gr_buf_cleanup(&out);
    gr_buf_init(&out, 4);
    o.max_output = 0;
    assert_int_equal(gr_tmpl_render_string("{{x}}", 5, d, &o, &out, err, sizeof(err)), GR_ETOOBIG);
    assert_int_equal(out.len, 0);
    gr_buf_cleanup(&out);
    gr_buf_init(&out, GR_BUF_UNBOUNDED);
    /* A partial that includes itself stops at max_depth. */
    o.partial = partials_cb;
    o.partial_ud = p;
    o.max_depth = 5;
    assert_int_equal(gr_tmpl_render_string("{{>me}}", 7, d, &o, &out, err, sizeof(err)),
                     GR_ETOOBIG);
    assert_string_equal(err, "nesting deeper than 5 levels (recursive partial?)");
    assert_int_equal(out.len, 0);
    o.max_depth = 0; /* default 64 */
    assert_int_equal(gr_tmpl_render_string("{{>me}}", 7, d, &o, &out, err, sizeof(err)),
                     GR_ETOOBIG);
    /* A partial looping into itself hits the depth limit on its first way down. */
    assert_int_equal(gr_tmpl_render_string("{{>l}}", 6, d, &o, &out, err, sizeof(err)), GR_ETOOBIG);
    assert_non_null(strstr(err, "nesting deeper"));
    /* 10^10 iterations that print nothing: the work budget ends it. */
    deep = "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}"
           "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}";
    assert_int_equal(gr_tmpl_render_string(deep, strlen(deep), d, &o, &out, err, sizeof(err)),
                     GR_ETOOBIG);
    assert_non_null(strstr(err, "too much work"));
    /* 100 000 nested sections compile (nothing recurses on the template) and render until the
     * depth limit. */
    big = malloc(100000 * 12 + 1);
    assert_non_null(big);
    for (int i = 0; i < 100000; i++)
        memcpy(big + (size_t)i * 6, "{{#x}}", 6);
    for (int i = 0; i < 100000; i++)
        memcpy(big + 600000 + (size_t)i * 6, "{{/x}}", 6);
    assert_int_equal(gr_tmpl_compile(big, 1200000, &t, err, sizeof(err)), GR_OK);
    assert_int_equal(gr_tmpl_render(t, d, &o, &out), GR_ETOOBIG);
    gr_tmpl_free(t);
    free(big);
    /* Helpers cannot build strings past the budget either (without helpers, that tag is just
     * a name that is not there). */
    o.max_output = 100;
    assert_int_equal(gr_tmpl_render_string("{{l | join \"0123456789\"}}", 25, d, &o, &out, NULL, 0),
                     GR_OK);
    o.helpers = true;
    assert_int_equal(
            gr_tmpl_render_string("{{l | join \"0123456789\"}}", 25, d, &o, &out, err, sizeof(err)),
            GR_ETOOBIG);
    assert_string_equal(err, "a helper's result is larger than the output limit");
    /* Defaults: NULL opts is HTML, no helpers. */
    assert_int_equal(gr_tmpl_compile("{{x}}&", 6, &t, NULL, 0), GR_OK);
    assert_int_equal(gr_tmpl_render(t, d, NULL, &out), GR_OK);
    assert_string_equal(gr_buf_str(&out), "0123456789abc&");
    assert_int_equal(gr_tmpl_render(NULL, d, NULL, &out), GR_EINVAL);
    assert_int_equal(gr_tmpl_render(t, d, NULL, NULL), GR_EINVAL);
    gr_tmpl_free(t);
    gr_buf_cleanup(&out);
    json_decref(d);
    json_decref(p);
}

static void compile_once_render_many(void **state)
{
    struct gr_tmpl *t = NULL;
    struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .helpers = true};
    struct gr_buf out;
    const char *src = "{{#alerts}}🚨 **{{labels.alertname | default \"alert\"}}** {{status}}\n"
                      "{{/alerts}}";

    (void)state;
    gr_buf_init(&out, GR_BUF_UNBOUNDED);
    assert_int_equal(gr_tmpl_compile(src, strlen(src), &t, NULL, 0), GR_OK);
    for (int i = 0; i < 3; i++) {
        json_t *d = json_pack("{s:[{s:{s:s},s:s},{s:{},s:s}]}", "alerts", "labels", "alertname",
                              "Disk & CPU", "status", i ? "resolved" : "firing", "labels", "status",
                              "firing");
        gr_buf_reset(&out);
        assert_int_equal(gr_tmpl_render(t, d, &o, &out), GR_OK);
        assert_string_equal(gr_buf_str(&out), i ? "🚨 **Disk & CPU** resolved\n🚨 **alert** firing\n"
                                                : "🚨 **Disk & CPU** firing\n🚨 **alert** firing\n");
        json_decref(d);
    }
    gr_tmpl_free(t);
    gr_buf_cleanup(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(markdown_mode),
            cmocka_unit_test(truthiness),
            cmocka_unit_test(helpers_text),
            cmocka_unit_test(helpers_lists),
            cmocka_unit_test(helpers_date),
            cmocka_unit_test(docs_examples),
            cmocka_unit_test(helpers_off_is_standard),
            cmocka_unit_test(compile_errors),
            cmocka_unit_test(helper_errors),
            cmocka_unit_test(partials_and_inheritance),
            cmocka_unit_test(limits),
            cmocka_unit_test(compile_once_render_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
