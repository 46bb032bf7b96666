/* SPDX-License-Identifier: MIT */
/*
 * fuzz_outgoing.c - libFuzzer target for the outgoing-webhook pure functions (src/mm/outgoing.c,
 * spec mattermost-compat §2.2-§2.4).
 *
 * The first byte picks the post's channel, the timestamp and a few variants; the rest is the
 * body, read as:
 *  - an app's reply to a callback (gr_mm_outgoing_reply_parse): strings leaving the parser are
 *    valid UTF-8, JSON members have their types, `post` says whether there is text or an
 *    attachment, a refusal is a 400 with an id and leaves *out zeroed;
 *  - a post's message (gr_mm_outgoing_first_word): the word is a slice of the input, only white
 *    space (gr_mm_is_space) comes before it, none is inside it (as Go decodes: ill-formed bytes
 *    are U+FFFD), white space or the end follows it, and it is valid UTF-8 when the input is;
 *  - the first word against a few fixed hooks (gr_mm_outgoing_match), compared with the
 *    documented rule, the trigger word pointing into the hook's list;
 *  - the text of a callback (gr_mm_outgoing_json/_form): the JSON parses back with the twelve
 *    keys in Mattermost's order and the same text (and is refused for invalid UTF-8), the form
 *    holds only URL-safe characters and decodes back to the same text; both report GR_ETOOBIG
 *    one byte short of room.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_outgoing.c <every src .c file but main.c> $(pkg-config ...) -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mm/outgoing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void check_opt_str(const char *s)
{
    check(s == NULL || gr_utf8_valid(s, strlen(s)));
}

/* ---- the app's reply ------------------------------------------------------------------- */

static void reply(const char *body, size_t len)
{
    struct gr_mm_outgoing_reply r;
    struct gr_apperr e = {0};
    int rc = gr_mm_outgoing_reply_parse(body, len, &r, &e);

    if (rc != 0) {
        check(rc == 400 && e.status == 400 && e.id != NULL);
        check(!r.post && !r.comment && r.in.text == NULL && r.in.props == NULL &&
              r.in.attachments == NULL && r.in.username == NULL);
        return;
    }
    check(r.in.channel == NULL && r.in.icon_emoji == NULL);
    check_opt_str(r.in.text);
    check_opt_str(r.in.username);
    check_opt_str(r.in.icon_url);
    check_opt_str(r.in.type);
    check(r.in.props == NULL || json_is_object(r.in.props));
    check(r.in.attachments == NULL || json_is_array(r.in.attachments));
    check(r.in.priority == NULL || json_is_object(r.in.priority));
    check(r.post == (r.in.text != NULL || json_array_size(r.in.attachments) > 0));
    gr_mm_outgoing_reply_cleanup(&r);
}

/* ---- the first word -------------------------------------------------------------------- */

/* The UTF-8 encodings of every code point gr_mm_is_space accepts, found once. */
static char spaces[64][4];
static size_t spacelen[64], nspaces;

static void find_spaces(void)
{
    for (uint32_t cp = 0; cp < 0x110000 && nspaces < 64; cp++) {
        char *s = spaces[nspaces];

        if ((cp >= 0xD800 && cp <= 0xDFFF) || !gr_mm_is_space(cp))
            continue;
        if (cp < 0x80) {
            s[0] = (char)cp;
            spacelen[nspaces] = 1;
        } else if (cp < 0x800) {
            s[0] = (char)(0xC0 | cp >> 6);
            s[1] = (char)(0x80 | (cp & 0x3F));
            spacelen[nspaces] = 2;
        } else if (cp < 0x10000) {
            s[0] = (char)(0xE0 | cp >> 12);
            s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
            s[2] = (char)(0x80 | (cp & 0x3F));
            spacelen[nspaces] = 3;
        } else {
            s[0] = (char)(0xF0 | cp >> 18);
            s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
            s[2] = (char)(0x80 | (cp >> 6 & 0x3F));
            s[3] = (char)(0x80 | (cp & 0x3F));
            spacelen[nspaces] = 4;
        }
        nspaces++;
    }
    check(nspaces == 25); /* Unicode White_Space */
}

/* Length of the white-space character at p[0..n), or 0. A lead or ASCII byte never sits inside
 * a well-formed sequence, so a match is always where Go's decoder would be. */
static size_t space_at(const char *p, size_t n)
{
    for (size_t i = 0; i < nspaces; i++)
        if (spacelen[i] <= n && memcmp(p, spaces[i], spacelen[i]) == 0)
            return spacelen[i];
    return 0;
}

static struct gr_slice first_word(const char *body, size_t len)
{
    struct gr_slice w = gr_mm_outgoing_first_word(body, len);
    size_t off, i = 0, k;

    check(w.p >= body && w.p <= body + len && w.len <= len - (size_t)(w.p - body));
    off = (size_t)(w.p - body);
    while (i < off) {
        k = space_at(body + i, len - i);
        check(k > 0);
        i += k;
    }
    check(i == off);
    for (size_t j = 0; j < w.len; j++)
        check(space_at(w.p + j, len - off - j) == 0);
    check(off + w.len == len || space_at(w.p + w.len, len - off - w.len) > 0);
    check(w.len > 0 || off == len);
    if (gr_utf8_valid(body, len))
        check(gr_utf8_valid(w.p, w.len));
    return w;
}

/* ---- matching -------------------------------------------------------------------------- */

static bool expected(const struct gr_mm_outgoing_rule *r, const char *chan, struct gr_slice w,
                     const char **trigger)
{
    size_t n = json_array_size(r->trigger_words);

    *trigger = "";
    if (r->channel_id[0] && strcmp(r->channel_id, chan) != 0)
        return false;
    if (r->channel_id[0] && n == 0)
        return true;
    if (w.len == 0 ||
        (r->trigger_when != GR_MM_TRIGGER_EXACT && r->trigger_when != GR_MM_TRIGGER_START))
        return false;
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(r->trigger_words, i);
        size_t tl = json_string_length(t);

        if (!json_is_string(t) || tl > w.len ||
            (r->trigger_when == GR_MM_TRIGGER_EXACT && tl != w.len))
            continue;
        if (memcmp(json_string_value(t), w.p, tl) == 0) {
            *trigger = json_string_value(t);
            return true;
        }
    }
    return false;
}

static const char *match(struct gr_slice w, const char *chan)
{
    static json_t *words, *ab, *x, *empty;
    const char *got, *want, *first = NULL;

    if (words == NULL) {
        words = json_loads("[\"hello\", 5, \"hel\", \"h\\u00e9llo\", null, \"\\u00f6\", \"!\"]", 0,
                           NULL);
        ab = json_loads("[\"a\", \"ab\"]", 0, NULL);
        x = json_loads("[\"x\"]", 0, NULL);
        empty = json_array();
        check(words && ab && x && empty);
    }
    const struct gr_mm_outgoing_rule rules[] = {
            {"", words, GR_MM_TRIGGER_EXACT},
            {"", words, GR_MM_TRIGGER_START},
            {"C1", NULL, GR_MM_TRIGGER_EXACT},
            {"C1", empty, GR_MM_TRIGGER_START},
            {"C1", x, 7},
            {"", empty, GR_MM_TRIGGER_EXACT},
            {"C2", ab, GR_MM_TRIGGER_START},
            {"C2", ab, GR_MM_TRIGGER_EXACT},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        bool ok = gr_mm_outgoing_match(&rules[i], chan, w, &got);

        check(ok == expected(&rules[i], chan, w, &want));
        check(got == want || (got[0] == '\0' && want[0] == '\0'));
        if (ok && got[0] && first == NULL)
            first = got;
    }
    return first ? first : "";
}

/* ---- callback bodies ------------------------------------------------------------------- */

static int unhex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Checks a form body's characters and returns the unescaped value of key (malloc'd). */
static char *form_value(const char *f, const char *key)
{
    size_t kl = strlen(key), n = 0;
    const char *p = f, *v = NULL;
    char *out;

    for (const char *c = f; *c; c++)
        check((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              strchr("-_.~+%=&", *c) != NULL);
    for (;;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            v = p + kl + 1;
            break;
        }
        p = strchr(p, '&');
        check(p != NULL);
        p++;
    }
    out = malloc(strlen(v) + 1);
    for (; *v && *v != '&'; v++) {
        if (*v == '%') {
            check(unhex(v[1]) >= 0 && unhex(v[2]) >= 0);
            out[n++] = (char)(unhex(v[1]) << 4 | unhex(v[2]));
            v += 2;
        } else {
            check(*v != '=');
            out[n++] = *v == '+' ? ' ' : *v;
        }
    }
    out[n] = '\0';
    return out;
}

static void bodies(const char *text, const char *trigger, int64_t ts)
{
    static const char *const keys[] = {"token",        "team_id",   "team_domain",  "channel_id",
                                       "channel_name", "timestamp", "user_id",      "user_name",
                                       "post_id",      "text",      "trigger_word", "file_ids"};
    static const char *const sorted[] = {"channel_id",  "channel_name", "file_ids", "post_id",
                                         "team_domain", "team_id",      "text",     "timestamp",
                                         "token",       "trigger_word", "user_id",  "user_name"};
    const struct gr_mm_outgoing_payload p = {
            .token = "tok&en=1",
            .team_id = "T1",
            .team_domain = "team",
            .channel_id = "C1",
            .channel_name = "town-square",
            .timestamp_ms = ts,
            .user_id = "U1",
            .user_name = "user.one",
            .post_id = "P1",
            .text = text,
            .trigger_word = trigger,
            .file_ids = "",
    };
    bool valid = gr_utf8_valid(text, strlen(text));
    struct gr_buf b;
    char want[32], *v;
    json_t *o;
    gr_err rc;

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    rc = gr_mm_outgoing_json(&p, &b);
    if (!valid) {
        check(rc == GR_EINVAL && b.len == 0);
    } else {
        size_t i = 0, full = b.len;
        const char *k;
        json_t *jv;

        check(rc == GR_OK);
        o = json_loadb(b.p, b.len, 0, NULL);
        check(json_is_object(o) && json_object_size(o) == 12);
        json_object_foreach(o, k, jv)
        {
            check(strcmp(k, keys[i++]) == 0); /* Mattermost's order */
        }
        check(strcmp(json_string_value(json_object_get(o, "text")), text) == 0);
        check(strcmp(json_string_value(json_object_get(o, "trigger_word")), trigger) == 0);
        check(json_integer_value(json_object_get(o, "timestamp")) == ts);
        json_decref(o);
        gr_buf_cleanup(&b);
        gr_buf_init(&b, full - 1);
        check(gr_mm_outgoing_json(&p, &b) == GR_ETOOBIG && b.len == 0);
    }
    gr_buf_cleanup(&b);

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    check(gr_mm_outgoing_form(&p, &b) == GR_OK);
    {
        const char *s = gr_buf_str(&b), *q = s;
        size_t full = b.len;

        /* keys sorted, each once */
        for (size_t i = 0; i < 12; i++) {
            check(strncmp(q, sorted[i], strlen(sorted[i])) == 0 && q[strlen(sorted[i])] == '=');
            q = strchr(q, '&');
            check(i == 11 ? q == NULL : q != NULL);
            if (q)
                q++;
        }
        v = form_value(s, "text");
        check(strcmp(v, text) == 0);
        free(v);
        v = form_value(s, "token");
        check(strcmp(v, p.token) == 0);
        free(v);
        v = form_value(s, "timestamp");
        snprintf(want, sizeof want, "%lld", (long long)(ts / 1000));
        check(strcmp(v, want) == 0);
        free(v);
        gr_buf_cleanup(&b);
        gr_buf_init(&b, full - 1);
        check(gr_mm_outgoing_form(&p, &b) == GR_ETOOBIG);
    }
    gr_buf_cleanup(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t stamps[] = {1700000000123, 0, -1, -1999, INT64_MAX, INT64_MIN, 999, 1};
    struct gr_slice w;
    const char *body, *trigger;
    size_t len;
    uint8_t sel;
    char *text;

    if (nspaces == 0)
        find_spaces();
    if (size == 0)
        return 0;
    sel = data[0];
    body = (const char *)data + 1;
    len = size - 1;

    reply(body, len);

    w = first_word(body, len);
    trigger = match(w, (sel & 1) ? "C1" : "C2");
    if (sel & 2)
        match((struct gr_slice){body, len}, (sel & 1) ? "C2" : "C1");

    text = malloc(len + 1);
    memcpy(text, body, len);
    text[len] = '\0'; /* text is a C string: up to the first NUL */
    bodies(text, trigger, stamps[(sel >> 2) % 8]);
    free(text);
    return 0;
}
