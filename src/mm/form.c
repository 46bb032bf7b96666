/* SPDX-License-Identifier: MIT */
/*
 * form.c - the HTTP body encodings an incoming webhook may use (spec §1.2), over a buffer:
 * media-type parsing (Go's mime.ParseMediaType), application/x-www-form-urlencoded fields
 * (Go's url.ParseQuery) and a small multipart/form-data walker (Go's mime/multipart).
 *
 * Nothing here allocates except through the caller's gr_buf; multipart values are handed out
 * as slices of the body. The body is untrusted and bounded by the HTTP layer; every scan is
 * linear in its length. Deliberate leniencies, all of which only accept what Go would refuse:
 * malformed media-type parameters are skipped (Mattermost means to tolerate them, see
 * `mime.ErrInvalidMediaParameter` in web/webhook.go), `;` inside form fields is data (Go >= 1.17
 * refuses it, which breaks `curl -d 'payload={"text":"a;b"}'`), and multipart part headers may
 * end in LF alone.
 */
#include <string.h>

#include "mm/mm_int.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* RFC 2045 token character: visible ASCII minus tspecials. */
static bool is_token(char c)
{
    return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
    while (i < n && is_space(s[i]))
        i++;
    return i;
}

static size_t token_end(const char *s, size_t n, size_t i)
{
    while (i < n && is_token(s[i]))
        i++;
    return i;
}

static gr_err append_lower(struct gr_buf *b, const char *s, size_t n)
{
    gr_err rc = GR_OK;

    for (size_t i = 0; rc == GR_OK && i < n; i++) {
        char c = s[i];
        rc = gr_buf_appendc(b, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    return rc;
}

/* One `; key=value` parameter at s[i]; returns the index after it, or 0 when malformed. */
static size_t parse_param(const char *s, size_t n, size_t i, struct gr_buf *key, struct gr_buf *val)
{
    size_t k;

    i = skip_space(s, n, i);
    if (i >= n || s[i] != ';')
        return 0;
    i = skip_space(s, n, i + 1);
    k = token_end(s, n, i);
    if (k == i || append_lower(key, s + i, k - i) != GR_OK)
        return 0;
    i = skip_space(s, n, k);
    if (i >= n || s[i] != '=')
        return 0;
    i = skip_space(s, n, i + 1);
    if (i < n && s[i] == '"') {
        for (i++; i < n && s[i] != '"'; i++) {
            if (s[i] == '\\' && i + 1 < n)
                i++;
            if (gr_buf_appendc(val, s[i]) != GR_OK)
                return 0;
        }
        return i < n ? i + 1 : 0;
    }
    k = token_end(s, n, i);
    if (k == i || gr_buf_append(val, s + i, k - i) != GR_OK)
        return 0;
    return k;
}

int gr_mm__media_parse(const char *s, size_t n, struct gr_buf *type_out, gr_mm__param_cb cb,
                       void *ud)
{
    struct gr_buf key, val;
    const char *semi = memchr(s, ';', n);
    size_t base = semi ? (size_t)(semi - s) : n;
    size_t b = skip_space(s, base, 0), e = base, t;

    while (e > b && is_space(s[e - 1]))
        e--;
    /* token ["/" token], nothing else: "application/x-www-form-urlencoded wrongtext" fails. */
    t = token_end(s, e, b);
    if (t == b)
        return -1;
    if (t < e) {
        size_t sub;
        if (s[t] != '/')
            return -1;
        sub = token_end(s, e, t + 1);
        if (sub == t + 1 || sub != e)
            return -1;
    }
    if (append_lower(type_out, s + b, e - b) != GR_OK)
        return -1;
    gr_buf_init(&key, 1024);
    gr_buf_init(&val, 8192);
    for (size_t i = base; i < n;) {
        size_t next;

        gr_buf_reset(&key);
        gr_buf_reset(&val);
        next = parse_param(s, n, i, &key, &val);
        if (next == 0)
            break; /* tolerated, see the file comment; a trailing ';' lands here too */
        if (cb)
            cb(ud, gr_buf_str(&key), gr_buf_str(&val));
        i = next;
    }
    gr_buf_cleanup(&key);
    gr_buf_cleanup(&val);
    return 0;
}

/* ---- application/x-www-form-urlencoded ------------------------------------------------- */

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Go's QueryUnescape of s[0..n) into out (NULL: validate only). */
static int unescape(const char *s, size_t n, struct gr_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (c == '%') {
            if (n - i < 3 || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0)
                return -1;
            c = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (out && gr_buf_appendc(out, c) != GR_OK)
            return -1;
    }
    return 0;
}

int gr_mm__form_value(const char *body, size_t len, const char *key, struct gr_buf *val_out)
{
    struct gr_buf k;
    size_t i = 0;
    int found = 0;

    gr_buf_init(&k, len + 1);
    while (i < len) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - body) : len;
        const char *eq = memchr(body + i, '=', end - i);
        size_t kend = eq ? (size_t)(eq - body) : end;
        size_t vbeg = eq ? kend + 1 : end;
        bool want;

        if (end > i) {
            gr_buf_reset(&k);
            if (unescape(body + i, kend - i, &k) != 0)
                goto bad;
            want = !found && k.len == strlen(key) && memcmp(gr_buf_str(&k), key, k.len) == 0;
            if (unescape(body + vbeg, end - vbeg, want ? val_out : NULL) != 0)
                goto bad;
            if (want)
                found = 1;
        }
        i = end + 1;
    }
    gr_buf_cleanup(&k);
    return found;
bad:
    gr_buf_cleanup(&k);
    return -1;
}

/* ---- multipart/form-data --------------------------------------------------------------- */

struct walker {
    const char *s;
    size_t n;
    const char *dash; /* "--" boundary */
    size_t dlen;
    const char *nl; /* "\r\n", or "\n" when the first delimiter line ends in LF alone */
};

/* Finds `nl--boundary` at or after i that is a real delimiter (followed by "--" or by optional
 * white space and a newline). Sets *final and *after (index after the delimiter line);
 * returns the index of the nl that starts it, or n when there is none. */
static size_t next_delim(const struct walker *w, size_t i, bool *final, size_t *after)
{
    size_t nll = strlen(w->nl);

    while (i + nll + w->dlen <= w->n) {
        const char *p = memmem(w->s + i, w->n - i, w->nl, nll);
        size_t at, j;

        if (p == NULL)
            break;
        at = (size_t)(p - w->s);
        j = at + nll;
        if (w->n - j >= w->dlen && memcmp(w->s + j, w->dash, w->dlen) == 0) {
            j += w->dlen;
            if (w->n - j >= 2 && w->s[j] == '-' && w->s[j + 1] == '-') {
                *final = true;
                *after = j + 2;
                return at;
            }
            while (j < w->n && (w->s[j] == ' ' || w->s[j] == '\t'))
                j++;
            if (w->n - j >= nll && memcmp(w->s + j, w->nl, nll) == 0) {
                *final = false;
                *after = j + nll;
                return at;
            }
        }
        i = at + 1;
    }
    return w->n;
}

struct disposition {
    bool has_name, has_filename;
    struct gr_buf name;
};

static void on_disp_param(void *ud, const char *key, const char *val)
{
    struct disposition *d = ud;

    if (strcmp(key, "name") == 0 && !d->has_name) {
        d->has_name = gr_buf_appends(&d->name, val) == GR_OK;
    } else if (strcmp(key, "filename") == 0) {
        d->has_filename = true;
    }
}

/* Reads the part headers at s[i..); returns the index of the body or 0 when malformed. */
static size_t part_headers(const struct walker *w, size_t i, struct disposition *d)
{
    static const char cd[] = "content-disposition:";
    const size_t cdl = sizeof cd - 1;

    d->has_name = d->has_filename = false;
    gr_buf_reset(&d->name);
    for (;;) {
        const char *lf = memchr(w->s + i, '\n', w->n - i);
        size_t end, eol;

        if (lf == NULL)
            return 0;
        eol = (size_t)(lf - w->s);
        end = eol > i && w->s[eol - 1] == '\r' ? eol - 1 : eol;
        if (end == i)
            return eol + 1;                      /* empty line: the body follows */
        if (w->s[i] != ' ' && w->s[i] != '\t') { /* continuation lines are ignored */
            if (memchr(w->s + i, ':', end - i) == NULL)
                return 0;
            if (end - i >= cdl && strncasecmp(w->s + i, cd, cdl) == 0) {
                struct gr_buf type;

                gr_buf_init(&type, 64);
                d->has_name = d->has_filename = false;
                gr_buf_reset(&d->name);
                /* Go's FormName: only "form-data" dispositions have a field name. */
                if (gr_mm__media_parse(w->s + i + cdl, end - i - cdl, &type, on_disp_param, d) !=
                            0 ||
                    strcmp(gr_buf_str(&type), "form-data") != 0)
                    d->has_name = false;
                gr_buf_cleanup(&type);
            }
        }
        i = eol + 1;
    }
}

/* Finds the first delimiter line (`--boundary`, optional white space, newline), skipping any
 * preamble lines, and learns from it whether lines end in CRLF or LF. Returns the index after
 * it, or 0 when there is none; *final is set when the close delimiter comes first. */
static size_t first_delim(struct walker *w, bool *final)
{
    size_t ls = 0;

    while (ls < w->n) {
        const char *lf = memchr(w->s + ls, '\n', w->n - ls);
        size_t eol = lf ? (size_t)(lf - w->s) : w->n;

        if (eol - ls >= w->dlen && memcmp(w->s + ls, w->dash, w->dlen) == 0) {
            size_t j = ls + w->dlen;

            if (eol - j >= 2 && w->s[j] == '-' && w->s[j + 1] == '-') {
                *final = true;
                return eol;
            }
            while (j < eol && (w->s[j] == ' ' || w->s[j] == '\t'))
                j++;
            if (lf && j == eol) {
                w->nl = "\n";
                return eol + 1;
            }
            if (lf && j + 1 == eol && w->s[j] == '\r') {
                w->nl = "\r\n";
                return eol + 1;
            }
        }
        if (lf == NULL)
            break;
        ls = eol + 1;
    }
    return 0;
}

int gr_mm__multipart_each(const char *body, size_t len, const char *boundary, gr_mm__part_cb cb,
                          void *ud)
{
    struct walker w = {.s = body, .n = len, .nl = "\r\n"};
    struct disposition d = {0};
    struct gr_buf dash;
    size_t i, after;
    bool final = false;
    int rc = -1;

    gr_buf_init(&dash, 1024);
    gr_buf_init(&d.name, 4096);
    if (boundary == NULL || *boundary == '\0' || gr_buf_appends(&dash, "--") != GR_OK ||
        gr_buf_appends(&dash, boundary) != GR_OK)
        goto out;
    w.dash = dash.p;
    w.dlen = dash.len;
    i = first_delim(&w, &final);
    if (i == 0 && !final)
        goto out;
    while (!final) {
        size_t bodyat = part_headers(&w, i, &d), nll = strlen(w.nl), at;

        if (bodyat == 0)
            goto out;
        /* Start the search on the blank line's newline so that a delimiter right after it
         * (an empty body written without its own newline) is found, as Go accepts. */
        at = next_delim(&w, bodyat >= nll ? bodyat - nll : bodyat, &final, &after);
        if (at == len)
            goto out;
        if (at < bodyat)
            at = bodyat;
        if (d.has_name && !d.has_filename && cb) {
            struct gr_slice name = {gr_buf_str(&d.name), d.name.len};
            struct gr_slice value = {body + bodyat, at - bodyat};
            cb(ud, name, value);
        }
        i = after;
    }
    rc = 0;
out:
    gr_buf_cleanup(&dash);
    gr_buf_cleanup(&d.name);
    return rc;
}
