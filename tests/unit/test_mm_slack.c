/* SPDX-License-Identifier: MIT */
/*
 * test_mm_slack.c - src/mm/slack.c: Slack markup conversion (spec mattermost-compat §1.9),
 * checked against what Mattermost's regular expressions would produce.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mm/mm_int.h"
#include "mm/slack.h"

static int lookups;

static bool lookup(void *ud, const char *id, char *out, size_t size)
{
    (void)ud;
    lookups++;
    if (strcmp(id, "U1") == 0)
        snprintf(out, size, "bob");
    else if (strcmp(id, "abcdefghijklmnopqrstuvwxyz") == 0)
        snprintf(out, size, "alice.b");
    else
        return false;
    return true;
}

static void check_links(const char *in, const char *want)
{
    struct gr_buf b;

    gr_buf_init(&b, 4096);
    assert_int_equal(gr_mm_slack_links(in, strlen(in), &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), want);
    gr_buf_cleanup(&b);
}

static void check_convert(const char *in, const char *want)
{
    struct gr_buf b;

    gr_buf_init(&b, 4096);
    assert_int_equal(gr_mm_slack_convert(in, strlen(in), lookup, NULL, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), want);
    gr_buf_cleanup(&b);
}

static void links(void **state)
{
    (void)state;
    check_links("", "");
    check_links("plain text", "plain text");
    check_links("<https://x.io|label>", "[label](https://x.io)");
    check_links("a <http://a|b> c <http://c|d>", "a [b](http://a) c [d](http://c)");
    check_links("<http://a|b><http://c|d>", "[b](http://a)[d](http://c)");
    /* no label: left alone (renders as an autolink) */
    check_links("<https://x.io>", "<https://x.io>");
    /* empty parts do not match */
    check_links("<|b>", "<|b>");
    check_links("<a|>", "<a|>");
    /* the URL part stops at '<': the match starts at the inner '<' */
    check_links("<<a|b>", "<[b](a)");
    check_links("<x <a|b>", "<x [b](a)");
    /* the label may contain '<' but not '|', '>' or a newline */
    check_links("<a|b<c>", "[b<c](a)");
    check_links("<a|b|c>", "<a|b|c>");
    check_links("<a|b\nc>", "<a|b\nc>");
    check_links("<a\nb|c>", "<a\nb|c>");
    /* unterminated */
    check_links("<a|b", "<a|b");
    check_links("<", "<");
    check_links("x<", "x<");
    /* multi-byte text goes through untouched */
    check_links("é <https://é.io|café 🎉> ü", "é [café 🎉](https://é.io) ü");
}

static void announcements(void **state)
{
    (void)state;
    check_convert("<!channel> <!here> <!all>", "@channel @here @all");
    check_convert("x<!channel>y", "x@channely");
    /* not converted by Mattermost */
    check_convert("<!everyone> <!group> <#C123> <!subteam^S1> *bold*",
                  "<!everyone> <!group> <#C123> <!subteam^S1> *bold*");
    check_convert("<!Channel> <!channel", "<!Channel> <!channel");
    check_convert("<<!here>>", "<@here>");
}

static void users(void **state)
{
    struct gr_buf b;

    (void)state;
    check_convert("hi <@U1>!", "hi @bob!");
    check_convert("<@abcdefghijklmnopqrstuvwxyz><@U1>", "@alice.b@bob");
    /* unknown ids and non-alphanumeric ids stay as they are */
    check_convert("<@U2> <@U-1> <@> <@U1", "<@U2> <@U-1> <@> <@U1");
    /* an id too long to be one is not looked up */
    lookups = 0;
    check_convert("<@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa>",
                  "<@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa>");
    assert_int_equal(lookups, 0);
    /* no lookup: ids stay */
    gr_buf_init(&b, 256);
    assert_int_equal(gr_mm_slack_convert("<@U1> <!all>", 12, NULL, NULL, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), "<@U1> @all");
    gr_buf_reset(&b);
    assert_int_equal(gr_mm__slack_users("<@U1> <!all>", 12, lookup, NULL, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), "@bob <!all>");
    gr_buf_reset(&b);
    assert_int_equal(gr_mm__slack_announce("<@U1> <!all>", 12, &b), GR_OK);
    assert_string_equal(gr_buf_str(&b), "<@U1> @all");
    gr_buf_cleanup(&b);
}

static void combined(void **state)
{
    (void)state;
    /* IW-22 */
    check_convert("see <https://a.io|site> <!channel>", "see [site](https://a.io) @channel");
    /* links run after user ids, as in CreateWebhookPost */
    check_convert("<http://a|<@U1>>", "[@bob](http://a)");
    check_convert("<!here|x> <http://u|<!all>>", "[x](!here) [@all](http://u)");
}

static void bounded(void **state)
{
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, 8);
    assert_int_equal(gr_mm_slack_convert("<http://a|b> long text", 22, NULL, NULL, &b), GR_ETOOBIG);
    gr_buf_cleanup(&b);
    gr_buf_init(&b, 8);
    assert_int_equal(gr_mm_slack_links("0123456789", 10, &b), GR_ETOOBIG);
    gr_buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(links),    cmocka_unit_test(announcements), cmocka_unit_test(users),
            cmocka_unit_test(combined), cmocka_unit_test(bounded),
    };
    return cmocka_run_group_tests_name("mm_slack", tests, NULL, NULL);
}
