/* SPDX-License-Identifier: MIT */
/*
 * command.c - slash commands from bytes to bytes (spec §3.2-§3.6); see command.h.
 *
 * The reply decoder follows Go's json.Unmarshal into model.CommandResponse: keys match in any
 * case (the last match wins), `null` leaves a field at its zero value, a value of the wrong type
 * anywhere fails the whole document (Mattermost then answers 500 failed), and bytes after the
 * document fail it too (Unmarshal, unlike a Decoder, reads to the end). Attachments go through
 * the same normalisation as an incoming webhook's (§8.2). Nested extra_responses are decoded
 * (so their types are checked, as Go does) but only the first level is kept: Mattermost
 * handles one level and ignores the rest.
 */
#include "mm/command.h"
#include "mm/actions.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xalloc.h"
#include "mm/mm_int.h"
#include "mm/names.h"
#include "mm/slack.h"

/* ---- the command line ------------------------------------------------------------------ */

/* Go's unicode.IsSpace for ASCII, plus the two Latin-1 spaces as UTF-8. Returns the length of
 * the space at s (0 = not a space). */
static size_t space_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];

    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c == 0xc2 && ((unsigned char)s[1] == 0x85 || (unsigned char)s[1] == 0xa0))
        return 2;
    return 0;
}

int gr_mm_command_split(const char *command, char **trigger_out, char **text_out)
{
    const char *p, *t, *end;
    size_t n;
    char *trig;

    *trigger_out = *text_out = NULL;
    if (command == NULL || command[0] != '/')
        return -1;
    p = command + 1;
    while (*p && space_len(p) == 0)
        p++;
    n = (size_t)(p - command - 1);
    if (n == 0)
        return -1;
    trig = gr_xstrndup(command + 1, n);
    for (size_t i = 0; i < n; i++)
        trig[i] = (char)tolower((unsigned char)trig[i]);
    /* The rest, trimmed of whitespace on both sides. */
    t = p;
    while (*t && space_len(t))
        t += space_len(t);
    end = t + strlen(t);
    while (end > t) {
        if (space_len(end - 1) == 1) {
            end--;
        } else if (end - t >= 2 && space_len(end - 2) == 2) {
            end -= 2;
        } else {
            break;
        }
    }
    *trigger_out = trig;
    *text_out = gr_xstrndup(t, (size_t)(end - t));
    return 0;
}

/* ---- mentions -------------------------------------------------------------------------- */

void gr_mm_names_free(struct gr_mm_names *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static void names_add(struct gr_mm_names *l, const char *s, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == n && memcmp(l->v[i], s, n) == 0)
            return;
    l->v = gr_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = gr_xstrndup(s, n);
}

static bool username_chars(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '.' ||
              s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

/* IsValidUsernameAllowRemote: a username, or "user:remote" with both parts of username
 * characters. */
static bool mention_ok(const char *name)
{
    const char *colon = strchr(name, ':');

    if (colon == NULL)
        return gr_mm_username_valid(name);
    return username_chars(name, (size_t)(colon - name)) && strchr(colon + 1, ':') == NULL &&
           username_chars(colon + 1, strlen(colon + 1));
}

void gr_mm_command_at_mentions(const char *text, size_t max, struct gr_mm_names *out)
{
    char name[128];

    out->v = NULL;
    out->n = 0;
    for (const char *p = text; p && *p && out->n < max; p++) {
        size_t n = 0;

        if (*p != '@' || (p > text && word_char(p[-1])) || !isalnum((unsigned char)p[1]))
            continue;
        while (isalnum((unsigned char)p[1 + n]) || p[1 + n] == '.' || p[1 + n] == '-' ||
               p[1 + n] == '_' || p[1 + n] == ':')
            n++;
        if (n < sizeof name) {
            for (size_t i = 0; i < n; i++)
                name[i] = (char)tolower((unsigned char)p[1 + i]);
            name[n] = '\0';
            if (mention_ok(name))
                names_add(out, name, n);
        }
        p += n;
    }
}

void gr_mm_command_channel_mentions(const char *text, size_t max, struct gr_mm_names *out)
{
    out->v = NULL;
    out->n = 0;
    for (const char *p = text; p && *p && out->n < max; p++) {
        size_t n = 0;

        if (*p != '~' || (p > text && word_char(p[-1])))
            continue;
        while (isalnum((unsigned char)p[1 + n]) || p[1 + n] == '-' || p[1 + n] == '_')
            n++;
        if (n > 0 && n <= 64)
            names_add(out, p + 1, n);
        p += n;
    }
}

bool gr_mm_username_trim_special(char *name)
{
    size_t n = strlen(name);

    if (n < 2 || strchr(".-_", name[n - 1]) == NULL)
        return false;
    name[n - 1] = '\0';
    return true;
}

/* ---- the request ----------------------------------------------------------------------- */

/* Go's url.QueryEscape. */
static gr_err escape(const char *s, struct gr_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    gr_err rc = GR_OK;

    for (; s && *s && rc == GR_OK; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            rc = gr_buf_appendc(out, (char)c);
        } else if (c == ' ') {
            rc = gr_buf_appendc(out, '+');
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = gr_buf_append(out, e, 3);
        }
    }
    return rc;
}

/* One key=value, with a leading '&' except for channel_id, which always comes first (the buffer
 * may already hold something else, such as a URL). */
static gr_err pair(struct gr_buf *out, const char *key, const char *val)
{
    gr_err rc = GR_OK;

    if (strcmp(key, "channel_id") != 0)
        rc = gr_buf_appendc(out, '&');
    if (rc == GR_OK)
        rc = escape(key, out);
    if (rc == GR_OK)
        rc = gr_buf_appendc(out, '=');
    if (rc == GR_OK)
        rc = escape(val ? val : "", out);
    return rc;
}

static gr_err pairs(struct gr_buf *out, const char *key, const char *const *vals, size_t n)
{
    gr_err rc = GR_OK;

    for (size_t i = 0; i < n && rc == GR_OK; i++)
        rc = pair(out, key, vals[i]);
    return rc;
}

gr_err gr_mm_command_encode(const struct gr_mm_command_fields *f, struct gr_buf *out)
{
    gr_err rc;

    /* Keys in byte order, as url.Values.Encode sorts them. */
    rc = pair(out, "channel_id", f->channel_id);
    if (rc == GR_OK)
        rc = pairs(out, "channel_mentions", f->channel_mentions, f->nchannel_mentions);
    if (rc == GR_OK)
        rc = pairs(out, "channel_mentions_ids", f->channel_mentions_ids, f->nchannel_mentions);
    if (rc == GR_OK)
        rc = pair(out, "channel_name", f->channel_name);
    if (rc == GR_OK)
        rc = pair(out, "command", f->command);
    if (rc == GR_OK)
        rc = pair(out, "response_url", f->response_url);
    if (rc == GR_OK)
        rc = pair(out, "root_id", f->root_id);
    if (rc == GR_OK)
        rc = pair(out, "team_domain", f->team_domain);
    if (rc == GR_OK)
        rc = pair(out, "team_id", f->team_id);
    if (rc == GR_OK)
        rc = pair(out, "text", f->text);
    if (rc == GR_OK)
        rc = pair(out, "token", f->token);
    if (rc == GR_OK)
        rc = pair(out, "trigger_id", f->trigger_id);
    if (rc == GR_OK)
        rc = pair(out, "user_id", f->user_id);
    if (rc == GR_OK)
        rc = pairs(out, "user_mentions", f->user_mentions, f->nuser_mentions);
    if (rc == GR_OK)
        rc = pairs(out, "user_mentions_ids", f->user_mentions_ids, f->nuser_mentions);
    if (rc == GR_OK)
        rc = pair(out, "user_name", f->user_name);
    return rc;
}

gr_err gr_mm_command_get_url(const char *url, const char *query, struct gr_buf *out)
{
    size_t n = strcspn(url, "#");
    gr_err rc = gr_buf_append(out, url, n);

    if (rc == GR_OK && query && *query) {
        const char *q = memchr(url, '?', n);
        /* "http://x/?" has an empty query: no '&' needed. */
        if (q == NULL)
            rc = gr_buf_appendc(out, '?');
        else if (q + 1 < url + n)
            rc = gr_buf_appendc(out, '&');
        if (rc == GR_OK)
            rc = gr_buf_appends(out, query);
    }
    return rc;
}

/* ---- the reply ------------------------------------------------------------------------- */

void gr_mm_command_resp_init(struct gr_mm_command_resp *r)
{
    memset(r, 0, sizeof *r);
    r->response_type = gr_xstrdup("");
    r->text = gr_xstrdup("");
    r->username = gr_xstrdup("");
    r->channel_id = gr_xstrdup("");
    r->icon_url = gr_xstrdup("");
    r->type = gr_xstrdup("");
    r->goto_location = gr_xstrdup("");
    r->trigger_id = gr_xstrdup("");
}

void gr_mm_command_resp_cleanup(struct gr_mm_command_resp *r)
{
    if (r == NULL)
        return;
    free(r->response_type);
    free(r->text);
    free(r->username);
    free(r->channel_id);
    free(r->icon_url);
    free(r->type);
    free(r->goto_location);
    free(r->trigger_id);
    json_decref(r->props);
    json_decref(r->attachments);
    for (size_t i = 0; i < r->nextra; i++)
        gr_mm_command_resp_cleanup(&r->extra[i]);
    free(r->extra);
    memset(r, 0, sizeof *r);
}

void gr_mm_command_resp_set(char **member, const char *v)
{
    char *c = gr_xstrdup(v ? v : "");

    free(*member);
    *member = c;
}

gr_err gr_mm_command_clean_text(const char *s, size_t len, size_t max, struct gr_buf *out)
{
    static const char repl[] = "\xef\xbf\xbd";
    size_t added = 0, i = 0;
    gr_err rc = GR_OK;

    while (i < len && rc == GR_OK) {
        size_t n = 1;
        unsigned char c = (unsigned char)s[i];

        if (c == 0) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            if (i + n > len || !gr_utf8_valid(s + i, n))
                n = 0; /* one bad byte */
        }
        if (added + (n ? n : 3) > max)
            break;
        rc = n ? gr_buf_append(out, s + i, n) : gr_buf_append(out, repl, 3);
        added += n ? n : 3;
        i += n ? n : 1;
    }
    return rc;
}

/* A string member: absent/null = "", else it must be a string. */
static int take_str(json_t *o, const char *key, char **dst)
{
    json_t *v = gr_mm__get_ci(o, key);

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    free(*dst);
    *dst = gr_xstrndup(json_string_value(v), json_string_length(v));
    return 0;
}

static int decode(json_t *o, struct gr_mm_command_resp *r, int depth)
{
    static const char *const keys[] = {"response_type", "text", "username",      "channel_id",
                                       "icon_url",      "type", "goto_location", "trigger_id"};
    char **slots[] = {&r->response_type, &r->text, &r->username,      &r->channel_id,
                      &r->icon_url,      &r->type, &r->goto_location, &r->trigger_id};
    struct gr_apperr e;
    json_t *v;

    if (json_is_null(o))
        return 0;
    if (!json_is_object(o))
        return -1;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (take_str(o, keys[i], slots[i]) != 0)
            return -1;
    v = gr_mm__get_ci(o, "skip_slack_parsing");
    if (v && !json_is_null(v)) {
        if (!json_is_boolean(v))
            return -1;
        r->skip_slack_parsing = json_is_true(v);
    }
    v = gr_mm__get_ci(o, "props");
    if (v && !json_is_null(v)) {
        if (!json_is_object(v))
            return -1;
        r->props = json_deep_copy(v);
    }
    v = gr_mm__get_ci(o, "attachments");
    if (v && !json_is_null(v)) {
        /* skip_slack_parsing was read above: it governs the attachments too (§3.5). */
        if (!json_is_array(v) ||
            gr_mm__attachments_normalise(v, r->skip_slack_parsing, &r->attachments, &e) != 0)
            return -1;
    }
    v = gr_mm__get_ci(o, "extra_responses");
    if (v && !json_is_null(v)) {
        if (!json_is_array(v))
            return -1;
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *x = json_array_get(v, i);
            struct gr_mm_command_resp sub;
            int st;

            /* A null entry is a nil *CommandResponse: nothing to handle. */
            if (json_is_null(x))
                continue;
            gr_mm_command_resp_init(&sub);
            st = decode(x, &sub, depth + 1);
            if (st != 0 || depth > 0) {
                gr_mm_command_resp_cleanup(&sub);
                if (st != 0)
                    return -1;
                continue;
            }
            /* Only the first level is handled; deeper ones were checked above and dropped. */
            for (size_t k = 0; k < sub.nextra; k++)
                gr_mm_command_resp_cleanup(&sub.extra[k]);
            free(sub.extra);
            sub.extra = NULL;
            sub.nextra = 0;
            r->extra = gr_xrealloc(r->extra, (r->nextra + 1) * sizeof *r->extra);
            r->extra[r->nextra++] = sub;
        }
    }
    return 0;
}

/* One strict parse (no trailing bytes); numbers too big for an int64 become reals, as Go reads
 * every number of an interface{} as float64. */
static json_t *load_strict(const char *s, size_t len)
{
    json_error_t err;
    json_t *root = json_loadb(s, len, JSON_DECODE_ANY, &err);

    if (root == NULL && json_error_code(&err) == json_error_numeric_overflow)
        root = json_loadb(s, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &err);
    return root;
}

int gr_mm_command_reply_parse(const char *content_type, const char *body, size_t len,
                              struct gr_mm_command_resp *out)
{
    gr_mm_command_resp_init(out);
    if (body == NULL)
        body = "";
    if (content_type != NULL && strcmp(content_type, "application/json") == 0) {
        json_t *root = load_strict(body, len);
        int st = root ? decode(root, out, 0) : -1;

        json_decref(root);
        if (st != 0)
            gr_mm_command_resp_cleanup(out); /* zeroed: nothing for the caller to free */
        return st;
    }
    {
        struct gr_buf b;

        gr_buf_init(&b, len * 3 + 1);
        if (gr_mm_command_clean_text(body, len, len * 3, &b) != GR_OK) {
            gr_buf_cleanup(&b);
            gr_mm_command_resp_cleanup(out);
            return -1;
        }
        free(out->text);
        out->text = gr_buf_steal(&b);
    }
    return 0;
}

bool gr_mm_command_resp_in_channel(const struct gr_mm_command_resp *r)
{
    return strcmp(r->response_type, "in_channel") == 0;
}

bool gr_mm_command_resp_has_content(const struct gr_mm_command_resp *r)
{
    return r->text[0] != '\0' || r->attachments != NULL;
}

static json_t *resp_json(const struct gr_mm_command_resp *r, bool with_extra)
{
    json_t *o = json_object(), *extra = json_null();

    json_object_set_new(o, "response_type", json_string(r->response_type));
    json_object_set_new(o, "text", json_string(r->text));
    json_object_set_new(o, "username", json_string(r->username));
    json_object_set_new(o, "channel_id", json_string(r->channel_id));
    json_object_set_new(o, "icon_url", json_string(r->icon_url));
    json_object_set_new(o, "type", json_string(r->type));
    json_object_set_new(o, "props", r->props ? json_deep_copy(r->props) : json_null());
    json_object_set_new(o, "goto_location", json_string(r->goto_location));
    json_object_set_new(o, "trigger_id", json_string(r->trigger_id));
    json_object_set_new(o, "skip_slack_parsing", json_boolean(r->skip_slack_parsing));
    json_object_set_new(o, "attachments",
                        r->attachments ? json_deep_copy(r->attachments) : json_null());
    if (with_extra && r->nextra > 0) {
        json_decref(extra);
        extra = json_array();
        for (size_t i = 0; i < r->nextra; i++)
            json_array_append_new(extra, resp_json(&r->extra[i], false));
    }
    json_object_set_new(o, "extra_responses", extra);
    /* The answer goes to the client: like every post copy a client sees (§4.1), it carries no
     * action `integration` (its url and context may hold the app's secrets). Mattermost echoes
     * them here; griot does not. */
    gr_mm_actions_strip(o);
    gr_mm_actions_strip(json_object_get(o, "props"));
    return o;
}

json_t *gr_mm_command_resp_json(const struct gr_mm_command_resp *r)
{
    return resp_json(r, true);
}

/* ---- the post -------------------------------------------------------------------------- */

/* Keys of a response's props that only the server sets (the override values come from the
 * command and the response's own fields, §3.5). */
static const char *const server_props[] = {"from_webhook",        "from_bot",
                                           "override_username",   "override_icon_url",
                                           "override_icon_emoji", "webhook_display_name",
                                           "attachments"};

static bool valid_post_type(const char *t)
{
    return t[0] == '\0' || strcmp(t, "slack_attachment") == 0 || strcmp(t, "me") == 0 ||
           strncmp(t, "custom_", 7) == 0;
}

int gr_mm_command_build(const struct gr_mm_command_resp *r, const struct gr_mm_command_post_opts *o,
                        struct gr_mm_draft *out, struct gr_apperr *e)
{
    bool bot = !o->builtin;
    const char *type = r->type;
    json_t *props = json_object(), *atts = NULL;
    struct gr_buf msg;
    int st = 0;

    memset(out, 0, sizeof *out);
    gr_buf_init(&msg, GR_MM__BUF_MAX);
    if (strncmp(type, "system_", 7) == 0) {
        st = gr_apperr_set(e, 400, "api.context.invalid_param.app_error",
                           "Invalid post.type parameter.");
        goto out;
    }
    for (void *it = json_object_iter(r->props); it; it = json_object_iter_next(r->props, it)) {
        const char *k = json_object_iter_key(it);
        size_t i = 0;

        while (i < sizeof server_props / sizeof server_props[0] && strcmp(k, server_props[i]))
            i++;
        /* A response may carry an emoji override in its props, under the same switch. */
        if (i == sizeof server_props / sizeof server_props[0] ||
            (o->icon_override && strcmp(k, "override_icon_emoji") == 0 &&
             json_is_string(json_object_iter_value(it))))
            json_object_set(props, k, json_object_iter_value(it));
    }
    if (o->username_override) {
        const char *u = o->cmd_username && o->cmd_username[0] ? o->cmd_username : r->username;
        if (u[0]) {
            json_object_set_new(props, "override_username", json_string(u));
            bot = true;
        }
    }
    if (o->icon_override) {
        const char *u = o->cmd_icon_url && o->cmd_icon_url[0] ? o->cmd_icon_url : r->icon_url;
        if (u[0]) {
            json_object_set_new(props, "override_icon_url", json_string(u));
            bot = true;
        }
    }
    if (bot)
        json_object_set_new(props, "from_webhook", json_string("true"));
    if (r->skip_slack_parsing) {
        if (gr_buf_appends(&msg, r->text) != GR_OK)
            goto oom;
    } else if (gr_mm_slack_convert(r->text, strlen(r->text), o->username_of, o->username_ud,
                                   &msg) != GR_OK) {
        goto oom;
    }
    if (r->attachments) {
        atts = json_deep_copy(r->attachments);
        if (atts == NULL)
            goto oom;
        if (!r->skip_slack_parsing &&
            gr_mm__attachments_users(atts, o->username_of, o->username_ud) != GR_OK)
            goto oom;
        json_object_set_new(props, "attachments", atts);
        type = "slack_attachment";
    }
    if (o->stored) {
        if (!valid_post_type(type)) {
            st = gr_apperr_set(e, 400, "model.post.is_valid.type.app_error", "Invalid type.");
            goto out;
        }
        if (gr_utf8_count(gr_buf_str(&msg), msg.len) > GR_MM_MAX_POST_RUNES) {
            st = gr_apperr_set(e, 400, "model.post.is_valid.msg.app_error",
                               "Invalid message: longer than %d characters.", GR_MM_MAX_POST_RUNES);
            goto out;
        }
    }
    out->message = gr_buf_steal(&msg);
    out->type = gr_xstrdup(type);
    out->props = props;
    props = NULL;
    goto out;
oom:
    st = gr_apperr_set(e, 500, "api.command.execute_command.create_post_failed.app_error",
                       "Out of memory while building the command's post.");
out:
    json_decref(props);
    gr_buf_cleanup(&msg);
    return st;
}
