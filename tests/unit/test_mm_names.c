/* SPDX-License-Identifier: MIT */
/*
 * test_mm_names.c - src/mm/names.c: team, channel and user name rules (spec mattermost-compat
 * §9, ID-3..ID-7 at function level) and DM channel names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mm/names.h"

#define ID_A "abcdefghijklmnopqrstuvwxyz"
#define ID_B "0123456789abcdefghijklmnop"

static void rep(char *out, char c, size_t n)
{
    memset(out, c, n);
    out[n] = '\0';
}

static void id3_channel_names(void **state)
{
    char s[80];

    (void)state;
    assert_false(gr_mm_channel_name_valid("Town")); /* ID-3: uppercase */
    assert_true(gr_mm_channel_name_valid("town"));
    assert_true(gr_mm_channel_name_valid("town-square"));
    assert_true(gr_mm_channel_name_valid("off_topic"));
    assert_true(gr_mm_channel_name_valid("a"));
    assert_true(gr_mm_channel_name_valid("9lives"));
    assert_true(gr_mm_channel_name_valid("ends-")); /* the model regex allows it */
    assert_true(gr_mm_channel_name_valid("ends_"));
    assert_false(gr_mm_channel_name_valid("-starts"));
    assert_false(gr_mm_channel_name_valid("_starts"));
    assert_false(gr_mm_channel_name_valid(""));
    assert_false(gr_mm_channel_name_valid(NULL));
    assert_false(gr_mm_channel_name_valid("has space"));
    assert_false(gr_mm_channel_name_valid("dot.ted"));
    assert_false(gr_mm_channel_name_valid("#town"));
    assert_false(gr_mm_channel_name_valid("~town"));
    assert_false(gr_mm_channel_name_valid("caf\xc3\xa9"));
    rep(s, 'c', 64);
    assert_true(gr_mm_channel_name_valid(s));
    rep(s, 'c', 65);
    assert_false(gr_mm_channel_name_valid(s));
}

static void id4_dm_shaped(void **state)
{
    (void)state;
    assert_true(gr_mm_channel_name_valid("a__b"));          /* ID-4, first half */
    assert_false(gr_mm_channel_name_valid(ID_A "__" ID_B)); /* ID-4, second half */
    /* not two valid ids: fine */
    assert_true(gr_mm_channel_name_valid(ID_A "__" ID_B "x"));
    assert_true(gr_mm_channel_name_valid(ID_A "___" ID_B));
    assert_true(gr_mm_channel_name_valid("a__b__c"));
    /* 40 hex characters look like a group-message name */
    assert_false(gr_mm_channel_name_valid("0123456789abcdef0123456789abcdef01234567"));
    assert_true(gr_mm_channel_name_valid("0123456789abcdef0123456789abcdef0123456g"));
    assert_true(gr_mm_channel_name_valid("0123456789abcdef0123456789abcdef012345678"));
}

static void id5_usernames(void **state)
{
    static const char *const reserved[] = {"all", "channel", "matterbot", "system", "here"};
    char s[80];

    (void)state;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        assert_false(gr_mm_username_valid(reserved[i])); /* ID-5 */
    assert_true(gr_mm_username_valid("alice"));
    assert_true(gr_mm_username_valid("alice.b-c_d"));
    assert_true(gr_mm_username_valid("1abc")); /* leading digit allowed by the model check */
    assert_true(gr_mm_username_valid("a"));
    assert_true(gr_mm_username_valid("allison"));
    assert_true(gr_mm_username_valid(".x"));
    assert_false(gr_mm_username_valid("Alice"));
    assert_false(gr_mm_username_valid("deploy bot"));
    assert_false(gr_mm_username_valid("a@b"));
    assert_false(gr_mm_username_valid(""));
    assert_false(gr_mm_username_valid(NULL));
    rep(s, 'u', 64);
    assert_true(gr_mm_username_valid(s));
    rep(s, 'u', 65);
    assert_false(gr_mm_username_valid(s));
}

static void id6_team_names(void **state)
{
    static const char *const reserved[] = {"admin",  "api",      "channel", "claim", "error",
                                           "files",  "help",     "landing", "login", "mfa",
                                           "oauth",  "plug",     "plugins", "post",  "signup",
                                           "boards", "playbooks"};
    char s[80];

    (void)state;
    assert_false(gr_mm_team_name_valid("api-team")); /* ID-6 */
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        assert_false(gr_mm_team_name_valid(reserved[i]));
    /* Mattermost matches reserved words as prefixes */
    assert_false(gr_mm_team_name_valid("apiary"));
    assert_false(gr_mm_team_name_valid("posts"));
    assert_true(gr_mm_team_name_valid("t1"));
    assert_true(gr_mm_team_name_valid("my-team"));
    assert_true(gr_mm_team_name_valid("team-api"));
    assert_false(gr_mm_team_name_valid("a"));
    assert_false(gr_mm_team_name_valid("-ab"));
    assert_false(gr_mm_team_name_valid("ab-"));
    assert_false(gr_mm_team_name_valid("a_b"));
    assert_false(gr_mm_team_name_valid("Team"));
    assert_false(gr_mm_team_name_valid(""));
    assert_false(gr_mm_team_name_valid(NULL));
    rep(s, 't', 64);
    assert_true(gr_mm_team_name_valid(s));
    rep(s, 't', 65);
    assert_false(gr_mm_team_name_valid(s));
}

static void id7_dm_name(void **state)
{
    char out[55];

    (void)state;
    gr_mm_dm_name(ID_A, ID_B, out);
    assert_string_equal(out, ID_B "__" ID_A); /* '0' < 'a' bytewise */
    gr_mm_dm_name(ID_B, ID_A, out);
    assert_string_equal(out, ID_B "__" ID_A);
    gr_mm_dm_name(ID_A, ID_A, out); /* a DM with oneself */
    assert_string_equal(out, ID_A "__" ID_A);
    assert_int_equal(strlen(out), 54);
    /* the result is not a valid public channel name */
    assert_false(gr_mm_channel_name_valid(out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(id3_channel_names), cmocka_unit_test(id4_dm_shaped),
            cmocka_unit_test(id5_usernames),     cmocka_unit_test(id6_team_names),
            cmocka_unit_test(id7_dm_name),
    };
    return cmocka_run_group_tests_name("mm_names", tests, NULL, NULL);
}
