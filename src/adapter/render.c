/* SPDX-License-Identifier: MIT */
/* render.c - see render.h. */
#include "adapter/render.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

json_t *gr_json_path(json_t *root, const char *path)
{
    json_t *cur = root;
    const char *p = path;

    while (cur && *p) {
        char key[128];
        size_t n = strcspn(p, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, key);
        } else if (json_is_array(cur)) {
            char *end;
            long i = strtol(key, &end, 10);
            if (*end || end == key || i < 0)
                return NULL;
            cur = json_array_get(cur, (size_t)i);
        } else {
            return NULL;
        }
        p += n;
        if (*p == '.')
            p++;
    }
    return cur;
}

const char *gr_json_str(json_t *root, const char *path)
{
    return json_string_value(gr_json_path(root, path));
}

bool gr_json_int(json_t *root, const char *path, long long *out)
{
    json_t *v = gr_json_path(root, path);
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        /* Casting an out-of-range double is undefined behaviour: refuse it like a wrong type. */
        if (!(d >= -9.2e18 && d <= 9.2e18))
            return false;
        *out = (long long)d;
        return true;
    }
    return false;
}

bool gr_json_bool(json_t *root, const char *path, bool *out)
{
    json_t *v = gr_json_path(root, path);
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

gr_err gr_md_text(struct gr_buf *b, const char *s)
{
    gr_err rc = GR_OK;

    for (const char *p = s ? s : ""; *p && rc == GR_OK; p++) {
        if (strchr("\\`*_{}[]<>#|~", *p)) {
            rc = gr_buf_appendc(b, '\\');
            if (rc == GR_OK)
                rc = gr_buf_appendc(b, *p);
        } else if (*p == '@' && (strncmp(p + 1, "channel", 7) == 0 ||
                                 strncmp(p + 1, "here", 4) == 0 || strncmp(p + 1, "all", 3) == 0)) {
            rc = gr_buf_appends(b, "@\xe2\x80\x8b"); /* U+200B: shown as is, pings nobody */
        } else {
            rc = gr_buf_appendc(b, *p);
        }
    }
    return rc;
}

gr_err gr_md_line(struct gr_buf *b, const char *s, size_t max_runes)
{
    size_t len, cut;
    char *line;
    gr_err rc;

    if (s == NULL)
        return GR_OK;
    len = strcspn(s, "\r\n");
    cut = gr_utf8_offset(s, len, max_runes);
    line = strndup(s, cut);
    if (line == NULL)
        return GR_ENOMEM;
    rc = gr_md_text(b, line);
    free(line);
    if (rc == GR_OK && cut < len)
        rc = gr_buf_appends(b, "…");
    return rc;
}

gr_err gr_md_link(struct gr_buf *b, const char *text, const char *url)
{
    gr_err rc;

    if (url == NULL || !(strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0))
        return gr_md_text(b, text);
    rc = gr_buf_appendc(b, '[');
    if (rc == GR_OK)
        rc = gr_md_text(b, text);
    if (rc == GR_OK)
        rc = gr_buf_appends(b, "](");
    for (const char *p = url; *p && rc == GR_OK; p++) {
        if (*p == ')' || *p == '(' || *p == ' ' || *p == '<' || *p == '>')
            rc = gr_buf_printf(b, "%%%02X", (unsigned char)*p);
        else
            rc = gr_buf_appendc(b, *p);
    }
    if (rc == GR_OK)
        rc = gr_buf_appendc(b, ')');
    return rc;
}

gr_err gr_md_code(struct gr_buf *b, const char *s)
{
    gr_err rc = gr_buf_appendc(b, '`');
    for (const char *p = s ? s : ""; *p && rc == GR_OK; p++)
        if (*p != '`' && *p != '\n' && *p != '\r')
            rc = gr_buf_appendc(b, *p);
    if (rc == GR_OK)
        rc = gr_buf_appendc(b, '`');
    return rc;
}

json_t *gr_att_new(const char *fallback, const char *color)
{
    json_t *a = json_object();
    json_object_set_new(a, "fallback", json_string(fallback ? fallback : ""));
    if (color && color[0])
        json_object_set_new(a, "color", json_string(color));
    return a;
}

void gr_att_field(json_t *a, const char *title, const char *value, bool is_short)
{
    json_t *fields = json_object_get(a, "fields"), *f = json_object();

    if (!json_is_array(fields)) {
        fields = json_array();
        json_object_set_new(a, "fields", fields);
    }
    json_object_set_new(f, "title", json_string(title ? title : ""));
    json_object_set_new(f, "value", json_string(value ? value : ""));
    json_object_set_new(f, "short", json_boolean(is_short));
    json_array_append_new(fields, f);
}

json_t *gr_message_new(const char *text, json_t *att)
{
    json_t *m = json_object();
    json_object_set_new(m, "text", json_string(text ? text : ""));
    if (att) {
        json_t *arr = json_array();
        json_array_append_new(arr, att);
        json_object_set_new(m, "attachments", arr);
    }
    return m;
}
