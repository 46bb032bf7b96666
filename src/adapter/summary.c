/* SPDX-License-Identifier: MIT */
/*
 * summary.c - see summary.h. Generic message pieces and phone masking for the adapters.
 *
 * Phone masking needs the length of the country code, which E.164 fixes by its first digits:
 * 1 and 7 are one digit, a short list of two-digit codes (Egypt 20, France 33, ...), and every
 * other code is three digits (all of West Africa: 221 Senegal, 225 Côte d'Ivoire, ...). The
 * grouping of a compact number only has to look familiar, so a few countries where Wave works
 * get their own pattern and everything else is grouped in pairs from the right.
 */
#include "adapter/summary.h"

#include <stdio.h>
#include <string.h>

#include "adapter/render.h"
#include "core/hash.h"
#include "core/utf8.h"

#define BULLET     "\xe2\x80\xa2" /* U+2022 • */
#define MAX_DIGITS 20

void gr_adapter__copy_name(char *out, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n >= cap) {
        n = cap - 1;
        /* Back off to the start of a code point so the cut never splits one. */
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '_' : s[i];
    out[n] = '\0';
}

void gr_adapter__set_id(char *out, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    bool ok = n > 0 && n < cap;
    char hex[65];

    out[0] = '\0';
    if (n == 0)
        return;
    for (size_t i = 0; ok && i < n; i++)
        ok = s[i] > 0x20 && s[i] < 0x7f;
    if (ok) {
        memcpy(out, s, n + 1);
        return;
    }
    gr_sha256_hex(s, n, hex);
    snprintf(out, cap, "sha256:%s", hex);
}

bool gr_adapter__is_phone_key(const char *key)
{
    char k[64];
    size_t n = strlen(key);

    if (n >= sizeof k)
        n = sizeof k - 1;
    for (size_t i = 0; i < n; i++)
        k[i] = (key[i] >= 'A' && key[i] <= 'Z') ? (char)(key[i] - 'A' + 'a') : key[i];
    k[n] = '\0';
    if (strstr(k, "phone") || strstr(k, "mobile") || strstr(k, "msisdn"))
        return true;
    /* "tel" alone or as a word of the key, not inside "hotel" or "telemetry". */
    return strcmp(k, "tel") == 0 || strncmp(k, "tel_", 4) == 0 ||
           (n > 4 && strcmp(k + n - 4, "_tel") == 0);
}

/* Length of the E.164 country code that starts digits d (at least 3 of them). */
static size_t cc_len(const char *d)
{
    static const char two[] = "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 "
                              "54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 "
                              "95 98";
    char cc[3] = {d[0], d[1], '\0'};

    if (d[0] == '1' || d[0] == '7')
        return 1;
    return strstr(two, cc) ? 2 : 3;
}

/* Group sizes for a compact national number of n digits; returns the number of groups. */
static size_t groups_of(const char *cc, size_t n, unsigned char g[MAX_DIGITS])
{
    static const struct {
        const char *cc;
        unsigned char g[4];
    } known[] = {
            {"221", {2, 3, 2, 2}}, /* Senegal: 77 123 45 67 */
            {"220", {3, 4, 0, 0}}, /* The Gambia: 712 3456 */
            {"256", {3, 3, 3, 0}}, /* Uganda: 712 345 678 */
    };
    size_t k = 0;

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t sum = 0, m = 0;
        if (strcmp(cc, known[i].cc) != 0)
            continue;
        while (m < 4 && known[i].g[m])
            sum += known[i].g[m++];
        if (sum != n)
            break;
        memcpy(g, known[i].g, m);
        return m;
    }
    if (n % 2)
        g[k++] = 1;
    for (size_t i = 0; i < n / 2 && k < MAX_DIGITS; i++)
        g[k++] = 2;
    return k;
}

static bool is_sep(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

/* Appends nd digits of the national part, masked but for the last two when keep is true. */
static gr_err national(struct gr_buf *b, const char *s, size_t nd, bool keep, bool compact,
                       const char *cc)
{
    unsigned char g[MAX_DIGITS];
    size_t ng = compact ? groups_of(cc, nd, g) : 0, seen = 0, gi = 0, in_g = 0;
    gr_err rc = GR_OK;

    for (const char *p = s; *p && rc == GR_OK; p++) {
        if (*p >= '0' && *p <= '9') {
            if (compact && in_g == g[gi] && gi + 1 < ng) {
                rc = gr_buf_appendc(b, ' ');
                gi++;
                in_g = 0;
            }
            in_g++;
            if (rc == GR_OK)
                rc = (keep && seen + 2 >= nd) ? gr_buf_appendc(b, *p) : gr_buf_appends(b, BULLET);
            seen++;
        } else if (!compact) {
            rc = gr_buf_appendc(b, *p);
        }
    }
    return rc;
}

gr_err gr_adapter__phone_mask(struct gr_buf *b, const char *s)
{
    char digits[MAX_DIGITS + 1], cc[4] = "";
    size_t nd = 0, ncc = 0, start = 0;
    bool intl = false, compact = true, odd = false;
    const char *p, *rest;
    gr_err rc = GR_OK;

    if (s == NULL || s[0] == '\0')
        return GR_OK;
    while (*s == ' ')
        s++;
    if (*s == '+') {
        intl = true;
        s++;
    }
    for (p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd < MAX_DIGITS)
                digits[nd] = *p;
            nd++;
        } else if (is_sep(*p)) {
            compact = false;
        } else {
            odd = true;
        }
    }
    if (!intl && nd > 2 && digits[0] == '0' && digits[1] == '0') {
        intl = true; /* 00 is the international prefix */
        start = 2;
    }
    if (intl && nd >= start + 3 && nd <= MAX_DIGITS) {
        ncc = cc_len(digits + start);
        memcpy(cc, digits + start, ncc);
        cc[ncc] = '\0';
    }
    if (odd || nd > MAX_DIGITS || nd < start + ncc + 6) {
        /* Not a phone number we can lay out: show that something was there, nothing more. */
        return gr_buf_appends(b, BULLET BULLET BULLET BULLET BULLET BULLET);
    }
    /* Skip the prefix digits (00 and the country code) in the original string. */
    rest = s;
    for (size_t k = 0; k < start + ncc; rest++)
        if (*rest >= '0' && *rest <= '9')
            k++;
    if (ncc) {
        rc = gr_buf_printf(b, "+%s", cc);
        if (rc == GR_OK && compact)
            rc = gr_buf_appendc(b, ' ');
    }
    if (rc == GR_OK)
        rc = national(b, rest, nd - start - ncc, true, compact, cc);
    return rc;
}

/*
 * Length of a phone-like run at s (s[0] == '+'): digits with at most two separators in a row
 * ("+1 (555) 123-4567"), ending at the last digit. 0 when it has fewer than 8 digits.
 */
static size_t phone_run(const char *s)
{
    size_t i = 1, end = 0, nd = 0, nsep = 0;

    for (; s[i]; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            nd++;
            nsep = 0;
            end = i + 1;
        } else if (!is_sep(s[i]) || ++nsep > 2) {
            break;
        }
    }
    return nd >= 8 && nd <= MAX_DIGITS ? end : 0;
}

gr_err gr_adapter__mask_text(struct gr_buf *b, const char *s)
{
    const char *p = s ? s : "", *from = p;
    gr_err rc = GR_OK;

    while (*p && rc == GR_OK) {
        size_t n = *p == '+' ? phone_run(p) : 0;
        if (n == 0) {
            p++;
            continue;
        }
        char run[64];
        rc = gr_buf_append(b, from, (size_t)(p - from));
        if (n >= sizeof run) {
            if (rc == GR_OK)
                rc = gr_buf_appends(b, BULLET BULLET BULLET BULLET BULLET BULLET);
        } else {
            memcpy(run, p, n);
            run[n] = '\0';
            if (rc == GR_OK)
                rc = gr_adapter__phone_mask(b, run);
        }
        p += n;
        from = p;
    }
    if (rc == GR_OK)
        rc = gr_buf_append(b, from, (size_t)(p - from));
    return rc;
}

static bool digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

gr_err gr_adapter__time(struct gr_buf *b, const char *s)
{
    const char *z;

    /* YYYY-MM-DDTHH:MM:SS, then optional .fraction, then Z or +hh:mm / -hh:mm. */
    if (s == NULL || strlen(s) < 20 || !digits_at(s, 4) || s[4] != '-' || !digits_at(s + 5, 2) ||
        s[7] != '-' || !digits_at(s + 8, 2) || (s[10] != 'T' && s[10] != ' ') ||
        !digits_at(s + 11, 2) || s[13] != ':' || !digits_at(s + 14, 2) || s[16] != ':' ||
        !digits_at(s + 17, 2))
        return gr_adapter__mask_text(b, s);
    z = s + 19;
    if (*z == '.') {
        z++;
        while (*z >= '0' && *z <= '9')
            z++;
    }
    if (strcmp(z, "Z") == 0 || strcmp(z, "+00:00") == 0)
        return gr_buf_printf(b, "%.10s %.8s UTC", s, s + 11);
    if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && digits_at(z + 1, 2) && z[3] == ':' &&
        digits_at(z + 4, 2))
        return gr_buf_printf(b, "%.10s %.8s %s", s, s + 11, z);
    return gr_adapter__mask_text(b, s);
}

/* Appends the first max code points of s, with "…" when cut. */
static gr_err cut(struct gr_buf *b, const char *s, size_t max)
{
    size_t len = strlen(s), n = gr_utf8_offset(s, len, max);
    gr_err rc = gr_buf_append(b, s, n);

    if (rc == GR_OK && n < len)
        rc = gr_buf_appends(b, "…");
    return rc;
}

static bool skipped(const char *key, const char *const *skip)
{
    for (size_t i = 0; skip && skip[i]; i++)
        if (strcmp(key, skip[i]) == 0)
            return true;
    return false;
}

size_t gr_adapter__fields(json_t *att, json_t *obj, size_t max, const char *const *skip)
{
    struct gr_buf v, title, m;
    size_t added = 0, left = 0;
    const char *key;
    json_t *val;

    if (!json_is_object(obj))
        return 0;
    gr_buf_init(&v, 8192);
    gr_buf_init(&title, 1024);
    gr_buf_init(&m, 8192);
    json_object_foreach(obj, key, val)
    {
        char num[64];
        const char *s = NULL;

        if (skipped(key, skip))
            continue;
        if (json_is_string(val)) {
            s = json_string_value(val);
        } else if (json_is_integer(val)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(val));
            s = num;
        } else if (json_is_real(val)) {
            snprintf(num, sizeof num, "%.15g", json_real_value(val));
            s = num;
        } else if (json_is_boolean(val)) {
            s = json_is_true(val) ? "true" : "false";
        }
        if (s == NULL)
            continue;
        if (added == max) {
            left++;
            continue;
        }
        gr_buf_reset(&v);
        gr_buf_reset(&title);
        gr_buf_reset(&m);
        /* Cut first (bounded work), then mask: a cut can only shorten a phone number. */
        if (cut(&m, s, 300) == GR_OK) {
            if (gr_adapter__is_phone_key(key))
                gr_adapter__phone_mask(&v, gr_buf_str(&m));
            else
                gr_adapter__time(&v, gr_buf_str(&m)); /* ISO times made readable, else masked */
        }
        gr_buf_reset(&m);
        if (cut(&m, key, 60) == GR_OK)
            gr_adapter__mask_text(&title, gr_buf_str(&m));
        gr_att_field(att, gr_buf_str(&title), gr_buf_str(&v),
                     v.len == 0 || (gr_utf8_count(v.p, v.len) <= 40 && !strchr(v.p, '\n')));
        added++;
    }
    gr_buf_cleanup(&v);
    gr_buf_cleanup(&title);
    gr_buf_cleanup(&m);
    return left;
}

gr_err gr_adapter__excerpt(struct gr_buf *b, const char *body, size_t len, bool fr)
{
    struct gr_buf ex;
    size_t lines = 0, runes = 0, i;
    gr_err rc;

    if (!gr_utf8_valid(body, len))
        return gr_buf_printf(b, fr ? "(corps binaire, %zu octets)" : "(binary body, %zu bytes)",
                             len);
    gr_buf_init(&ex, 8192);
    rc = GR_OK;
    for (i = 0; i < len && rc == GR_OK; i++) {
        unsigned char c = (unsigned char)body[i];
        if (c == '\n' && ++lines == 20)
            break;
        if ((c & 0xc0) != 0x80 && ++runes > 1000)
            break;
        /* Backticks would close the fence; control characters have no business in chat. */
        if (c == '`' || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            continue;
        rc = gr_buf_appendc(&ex, (char)c);
    }
    /* Trailing blank lines would only widen the block. */
    while (ex.len > 0 &&
           (ex.p[ex.len - 1] == '\n' || ex.p[ex.len - 1] == ' ' || ex.p[ex.len - 1] == '\t'))
        ex.p[--ex.len] = '\0';
    if (rc == GR_OK)
        rc = gr_buf_appends(b, "```\n");
    if (rc == GR_OK)
        rc = gr_adapter__mask_text(b, gr_buf_str(&ex));
    if (rc == GR_OK && i < len)
        rc = gr_buf_appends(b, "\n…");
    if (rc == GR_OK)
        rc = gr_buf_appends(b, "\n```");
    gr_buf_cleanup(&ex);
    return rc;
}

void gr_adapter__text_init(struct gr_adapter__text *t)
{
    gr_buf_init(&t->md, 64 * 1024);
    gr_buf_init(&t->plain, 64 * 1024);
    t->rc = GR_OK;
}

void gr_adapter__text_cleanup(struct gr_adapter__text *t)
{
    gr_buf_cleanup(&t->md);
    gr_buf_cleanup(&t->plain);
}

void gr_adapter__lit(struct gr_adapter__text *t, const char *s)
{
    if (t->rc == GR_OK)
        t->rc = gr_buf_appends(&t->md, s);
    if (t->rc == GR_OK)
        t->rc = gr_buf_appends(&t->plain, s);
}

/* The first 300 code points of s, phones masked. Text that is not UTF-8 (a header value can be
 * anything) has its non-ASCII bytes replaced by '?', so the message stays valid JSON text. */
static gr_err masked_cut(struct gr_buf *b, const char *s)
{
    struct gr_buf c;
    size_t len = strlen(s);
    char ascii[1024];
    gr_err rc;

    if (!gr_utf8_valid(s, len)) {
        size_t n = len < sizeof ascii - 1 ? len : sizeof ascii - 1;
        for (size_t i = 0; i < n; i++)
            ascii[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
        ascii[n] = '\0';
        s = ascii;
    }
    gr_buf_init(&c, 2048);
    rc = cut(&c, s, 300);
    if (rc == GR_OK)
        rc = gr_adapter__mask_text(b, gr_buf_str(&c));
    gr_buf_cleanup(&c);
    return rc;
}

void gr_adapter__val(struct gr_adapter__text *t, const char *s)
{
    struct gr_buf m;

    if (s == NULL || t->rc != GR_OK)
        return;
    gr_buf_init(&m, 8192);
    t->rc = masked_cut(&m, s);
    if (t->rc == GR_OK)
        t->rc = gr_md_text(&t->md, gr_buf_str(&m));
    if (t->rc == GR_OK)
        t->rc = gr_buf_appends(&t->plain, gr_buf_str(&m));
    gr_buf_cleanup(&m);
}

void gr_adapter__code(struct gr_adapter__text *t, const char *s)
{
    struct gr_buf m;

    if (s == NULL || t->rc != GR_OK)
        return;
    gr_buf_init(&m, 8192);
    t->rc = masked_cut(&m, s);
    if (t->rc == GR_OK)
        t->rc = gr_md_code(&t->md, gr_buf_str(&m));
    if (t->rc == GR_OK)
        t->rc = gr_buf_appends(&t->plain, gr_buf_str(&m));
    gr_buf_cleanup(&m);
}

static const char *headline_of(json_t *obj)
{
    static const char *const keys[] = {"title",   "name", "subject",     "summary",
                                       "message", "text", "description", NULL};
    for (size_t i = 0; keys[i]; i++) {
        const char *v = json_string_value(json_object_get(obj, keys[i]));
        if (v && v[0])
            return v;
    }
    return NULL;
}

static bool has_word(const char *s, const char *const *words)
{
    for (size_t i = 0; s && words[i]; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}

static const char *color_of(const char *event)
{
    static const char *const bad[] = {"fail", "error", "declin", "cancel", "reject", NULL};
    static const char *const good[] = {"succeed", "success", "paid", "complet", "resolved", NULL};

    if (has_word(event, bad))
        return GR_COLOR_RED;
    if (has_word(event, good))
        return GR_COLOR_GREEN;
    return GR_COLOR_BLUE;
}

/* Appends the first line of s to t (cut to 150 code points by gr_md_line's rules). */
static void first_line(struct gr_adapter__text *t, const char *s)
{
    struct gr_buf l;
    size_t n = strcspn(s, "\r\n");

    gr_buf_init(&l, 4096);
    if (gr_buf_append(&l, s, gr_utf8_offset(s, n, 150)) == GR_OK) {
        if (l.len < n)
            gr_buf_appends(&l, "…");
        gr_adapter__val(t, gr_buf_str(&l));
    }
    gr_buf_cleanup(&l);
}

static json_t *attachment(const struct gr_adapter__generic *g, const char *fallback)
{
    json_t *att = gr_att_new(fallback, color_of(g->event));
    const char *ts = json_string_value(json_object_get(g->root, "timestamp"));
    size_t left = gr_adapter__fields(att, g->fields, 10, g->skip);
    struct gr_buf f;

    if (left > 0) {
        char more[64];
        snprintf(more, sizeof more, "+%zu %s", left, g->fr ? "autres champs" : "more fields");
        gr_att_field(att, "…", more, true);
    }
    gr_buf_init(&f, 2048);
    gr_buf_appends(&f, g->label);
    if (g->delivery_id && g->delivery_id[0]) {
        gr_buf_appends(&f, " · ");
        gr_adapter__mask_text(&f, g->delivery_id);
    }
    if (ts && ts[0] && strlen(ts) < 64) {
        gr_buf_appends(&f, " · ");
        gr_adapter__time(&f, ts);
    }
    json_object_set_new(att, "footer", json_string(gr_buf_str(&f)));
    gr_buf_cleanup(&f);
    return att;
}

json_t *gr_adapter__generic_message(const struct gr_adapter__generic *g)
{
    struct gr_adapter__text t;
    bool is_obj = json_is_object(g->root);
    const char *head = NULL;
    json_t *msg = NULL;

    gr_adapter__text_init(&t);
    if (g->event && g->event[0]) {
        gr_adapter__lit(&t, g->fr ? "🔔 Événement webhook " : "🔔 Webhook event ");
        gr_adapter__code(&t, g->event);
    } else {
        gr_adapter__lit(&t, g->fr ? "🔔 Webhook reçu" : "🔔 Webhook received");
    }
    if (is_obj) {
        head = headline_of(g->fields);
        if (head == NULL)
            head = headline_of(g->root);
    }
    if (head) {
        gr_adapter__lit(&t, " — ");
        first_line(&t, head);
    }
    if (!is_obj) {
        char size[64];
        gr_adapter__lit(&t, " (");
        if (g->content_type && g->content_type[0]) {
            gr_adapter__val(&t, g->content_type);
            gr_adapter__lit(&t, ", ");
        }
        snprintf(size, sizeof size, g->fr ? "%zu octets)" : "%zu bytes)", g->len);
        gr_adapter__lit(&t, size);
        if (t.rc == GR_OK && g->len > 0)
            t.rc = gr_buf_appendc(&t.md, '\n');
        if (t.rc == GR_OK && g->len > 0)
            t.rc = gr_adapter__excerpt(&t.md, g->body, g->len, g->fr);
    }
    if (t.rc == GR_OK)
        msg = gr_message_new(gr_buf_str(&t.md),
                             is_obj ? attachment(g, gr_buf_str(&t.plain)) : NULL);
    gr_adapter__text_cleanup(&t);
    return msg;
}

json_t *gr_adapter__raw_payload(const char *body, size_t len)
{
    json_t *o = json_object(), *s = json_stringn(body, len);

    if (o == NULL) {
        json_decref(s);
        return NULL;
    }
    json_object_set_new(o, "raw", s ? s : json_null());
    if (s == NULL)
        json_object_set_new(o, "size", json_integer((json_int_t)len));
    return o;
}
