/* SPDX-License-Identifier: MIT */
/*
 * slack.c - Slack markup conversion as Mattermost applies it to webhook text (spec §1.9).
 *
 * Mattermost runs three regex/replace passes: announcements (`<!channel>` -> `@channel`, plain
 * string replacement), user ids (`<@([a-zA-Z0-9]+)>` -> `@username` for known users) and links
 * (`<([^\n<|>]+)\|([^|\n>]+)>` -> `[label](url)`). Here each pass is a single left-to-right scan
 * that finds the same non-overlapping leftmost matches as Go's regexp. The first two passes
 * share one scan: their replacements contain no `<` or `>`, so the only match one could create
 * for the other is `<@here>` out of `<<!here>>`, and "here" is never a 26-character user id.
 * Links run last on the result, as CreateWebhookPost does.
 *
 * Input is expected to be valid UTF-8; only ASCII delimiters are ever matched, so the output
 * is valid UTF-8 as well. Everything is appended to a caller-owned gr_buf.
 */
#include "mm/slack.h"

#include <string.h>

#include "mm/mm_int.h"

static const struct {
    const char *from;
    const char *to;
} announcements[] = {
        {"<!channel>", "@channel"},
        {"<!here>", "@here"},
        {"<!all>", "@all"},
};

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Announcement rule at s[i] (a '<'): returns the length matched and sets *to, or 0. */
static size_t match_announce(const char *s, size_t len, size_t i, const char **to)
{
    for (size_t k = 0; k < sizeof announcements / sizeof announcements[0]; k++) {
        size_t n = strlen(announcements[k].from);
        if (len - i >= n && memcmp(s + i, announcements[k].from, n) == 0) {
            *to = announcements[k].to;
            return n;
        }
    }
    return 0;
}

/* `<@ID>` at s[i] whose id the lookup knows: returns the length matched and fills name. */
static size_t match_user(const char *s, size_t len, size_t i, gr_mm_username_fn lookup, void *ud,
                         char *name, size_t size)
{
    char id[64];
    size_t j = i + 2, n;

    if (lookup == NULL || len - i < 4 || s[i + 1] != '@')
        return 0;
    while (j < len && is_alnum((unsigned char)s[j]))
        j++;
    n = j - (i + 2);
    /* Mattermost ids are 26 characters; anything that does not fit cannot be a user. */
    if (n == 0 || j >= len || s[j] != '>' || n >= sizeof id)
        return 0;
    memcpy(id, s + i + 2, n);
    id[n] = '\0';
    name[0] = '\0';
    if (!lookup(ud, id, name, size))
        return 0;
    name[size - 1] = '\0';
    return n + 3;
}

static gr_err announce_users(const char *s, size_t len, bool announce, gr_mm_username_fn lookup,
                             void *ud, struct gr_buf *out)
{
    char name[256];
    size_t i = 0, lit = 0; /* s[lit..i) is the literal run not yet copied */
    gr_err rc;

    while (i < len) {
        const char *to = NULL;
        size_t used = 0;

        if (s[i] == '<') {
            if (announce)
                used = match_announce(s, len, i, &to);
            if (used == 0) {
                used = match_user(s, len, i, lookup, ud, name, sizeof name);
                to = name;
            }
        }
        if (used == 0) {
            i++;
            continue;
        }
        rc = gr_buf_append(out, s + lit, i - lit);
        if (rc == GR_OK && to == name)
            rc = gr_buf_appendc(out, '@');
        if (rc == GR_OK)
            rc = gr_buf_appends(out, to);
        if (rc != GR_OK)
            return rc;
        i += used;
        lit = i;
    }
    return gr_buf_append(out, s + lit, len - lit);
}

gr_err gr_mm__slack_announce(const char *s, size_t len, struct gr_buf *out)
{
    return announce_users(s, len, true, NULL, NULL, out);
}

gr_err gr_mm__slack_users(const char *s, size_t len, gr_mm_username_fn lookup, void *ud,
                          struct gr_buf *out)
{
    return announce_users(s, len, false, lookup, ud, out);
}

gr_err gr_mm_slack_links(const char *s, size_t len, struct gr_buf *out)
{
    size_t i = 0, lit = 0;
    gr_err rc;

    while (i < len) {
        size_t j, k;

        if (s[i] != '<') {
            i++;
            continue;
        }
        /* URL part: one or more bytes that are not newline, '<', '|' or '>', then '|'. */
        for (j = i + 1; j < len && s[j] != '\n' && s[j] != '<' && s[j] != '|' && s[j] != '>'; j++)
            ;
        if (j == i + 1 || j >= len || s[j] != '|') {
            i++;
            continue;
        }
        /* Label part: one or more bytes that are not '|', newline or '>', then '>'. */
        for (k = j + 1; k < len && s[k] != '|' && s[k] != '\n' && s[k] != '>'; k++)
            ;
        if (k == j + 1 || k >= len || s[k] != '>') {
            i++;
            continue;
        }
        rc = gr_buf_append(out, s + lit, i - lit);
        if (rc == GR_OK)
            rc = gr_buf_appendc(out, '[');
        if (rc == GR_OK)
            rc = gr_buf_append(out, s + j + 1, k - j - 1);
        if (rc == GR_OK)
            rc = gr_buf_append(out, "](", 2);
        if (rc == GR_OK)
            rc = gr_buf_append(out, s + i + 1, j - i - 1);
        if (rc == GR_OK)
            rc = gr_buf_appendc(out, ')');
        if (rc != GR_OK)
            return rc;
        i = k + 1;
        lit = i;
    }
    return gr_buf_append(out, s + lit, len - lit);
}

gr_err gr_mm_slack_convert(const char *s, size_t len, gr_mm_username_fn lookup, void *ud,
                           struct gr_buf *out)
{
    struct gr_buf tmp;
    gr_err rc;

    gr_buf_init(&tmp, out->max);
    rc = announce_users(s, len, true, lookup, ud, &tmp);
    if (rc == GR_OK)
        rc = gr_mm_slack_links(tmp.p ? tmp.p : "", tmp.len, out);
    gr_buf_cleanup(&tmp);
    return rc;
}
