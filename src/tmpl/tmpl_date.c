/* SPDX-License-Identifier: MIT */
/*
 * tmpl_date.c - the `date` helper: reads RFC 3339 timestamps and Unix times, writes them with a
 * strftime-like pattern in UTC (or a fixed offset).
 *
 * It does its own calendar arithmetic (days from/to civil dates, proleptic Gregorian) and its
 * own formatting, rather than gmtime_r and strftime, so that it does not depend on the locale
 * or TZ, accepts no pattern that could misbehave, and has no range problems: only years 1 to
 * 9999 are accepted, and anything it cannot read as a date is passed through unchanged.
 * Unix times below 1e11 in absolute value are seconds, larger ones milliseconds (1e11 seconds
 * is the year 5138; 1e11 ms is March 1973).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl_int.h"

#define MIN_MS       (-62135596800000LL) /* 0001-01-01T00:00:00Z */
#define MAX_MS       (253402300799999LL) /* 9999-12-31T23:59:59.999Z */
#define MS_THRESHOLD 1e11

struct civil {
    int64_t y;
    int m, d, hh, mm, ss, ms;
    int wday; /* 0 = Sunday */
    int yday; /* 1..366 */
    int64_t unix_s;
    int off; /* minutes east of UTC */
};

static const char *const wdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                    "Thursday", "Friday", "Saturday"};
static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, struct civil *c)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    c->d = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->m = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->y = yoe + era * 400 + (c->m <= 2);
}

static int month_days(int64_t y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : n[m - 1];
}

/* Reads exactly n digits at *p (advancing it); -1 if they are not all digits. */
static int digits(const char **p, const char *end, int n)
{
    int v = 0;

    if (end - *p < n)
        return -1;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    return v;
}

/* [+-]HH[:MM] or [+-]HHMM, Z, z or UTC; minutes east of UTC in *off. */
static bool parse_offset(const char *p, const char *end, int *off)
{
    int sign, h, m = 0;

    if ((end - p == 1 && (*p == 'Z' || *p == 'z')) || (end - p == 3 && !memcmp(p, "UTC", 3))) {
        *off = 0;
        return true;
    }
    if (p == end || (*p != '+' && *p != '-'))
        return false;
    sign = *p++ == '-' ? -1 : 1;
    h = digits(&p, end, 2);
    if (p < end && *p == ':')
        p++;
    if (p < end)
        m = digits(&p, end, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59 || p != end)
        return false;
    *off = sign * (h * 60 + m);
    return true;
}

/* RFC 3339 ("2024-03-01T10:20:30.123Z", "...+02:00"); also a bare date, a space for the 'T' and
 * no zone (UTC). */
static bool parse_rfc3339(const char *p, size_t len, int64_t *ms_out)
{
    const char *end = p + len;
    int y, mo, d, h = 0, mi = 0, s = 0, ms = 0, off = 0;

    y = digits(&p, end, 4);
    if (y < 1 || p == end || *p++ != '-')
        return false;
    mo = digits(&p, end, 2);
    if (mo < 1 || mo > 12 || p == end || *p++ != '-')
        return false;
    d = digits(&p, end, 2);
    if (d < 1 || d > month_days(y, mo))
        return false;
    if (p < end) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            return false;
        p++;
        h = digits(&p, end, 2);
        if (h < 0 || h > 23 || p == end || *p++ != ':')
            return false;
        mi = digits(&p, end, 2);
        if (mi < 0 || mi > 59)
            return false;
        if (p < end && *p == ':') {
            p++;
            s = digits(&p, end, 2);
            if (s < 0 || s > 60) /* 60: a leap second */
                return false;
            if (p < end && (*p == '.' || *p == ',')) {
                int scale = 100;
                if (++p == end || *p < '0' || *p > '9')
                    return false;
                for (; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
                    ms += (*p - '0') * scale;
            }
        }
        if (p < end && !parse_offset(p, end, &off))
            return false;
    }
    *ms_out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) - off * 60) * 1000 + ms;
    return true;
}

/* Unix seconds or milliseconds, as a number or a string of digits, or an RFC 3339 string. */
static bool to_ms(json_t *v, int64_t *ms)
{
    double d;

    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        char *end;

        if (n > (size_t)(s[0] == '-') && n < 20 &&
            strspn(s + (s[0] == '-'), "0123456789") == n - (s[0] == '-')) {
            d = strtod(s, &end);
        } else {
            return parse_rfc3339(s, n, ms) && *ms >= MIN_MS && *ms <= MAX_MS;
        }
    } else if (json_is_integer(v)) {
        d = (double)json_integer_value(v);
    } else if (json_is_real(v)) {
        d = json_real_value(v);
    } else {
        return false;
    }
    if (!isfinite(d))
        return false;
    if (fabs(d) < MS_THRESHOLD)
        d *= 1000;
    if (d < (double)MIN_MS || d > (double)MAX_MS)
        return false;
    *ms = (int64_t)floor(d);
    return true;
}

static void to_civil(int64_t ms, int off, struct civil *c)
{
    int64_t local = ms + (int64_t)off * 60000, secs, days, rem;

    secs = local >= 0 ? local / 1000 : -((-local + 999) / 1000);
    c->ms = (int)(local - secs * 1000);
    days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    rem = secs - days * 86400;
    civil_from_days(days, c);
    c->hh = (int)(rem / 3600);
    c->mm = (int)(rem / 60 % 60);
    c->ss = (int)(rem % 60);
    c->wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    c->yday = (int)(days - days_from_civil(c->y, 1, 1) + 1);
    c->unix_s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    c->off = off;
}

static gr_err format(struct gr_buf *b, const char *f, size_t n, const struct civil *c, int depth)
{
    gr_err rc = GR_OK;

    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        int h12 = c->hh % 12 == 0 ? 12 : c->hh % 12;
        int aoff = c->off < 0 ? -c->off : c->off;

        if (f[i] != '%' || i + 1 == n) {
            rc = gr_buf_appendc(b, f[i]);
            continue;
        }
        switch (f[++i]) {
        case 'Y':
            rc = gr_buf_printf(b, "%04lld", (long long)c->y);
            break;
        case 'C':
            rc = gr_buf_printf(b, "%02lld", (long long)(c->y / 100));
            break;
        case 'y':
            rc = gr_buf_printf(b, "%02lld", (long long)(c->y % 100));
            break;
        case 'm':
            rc = gr_buf_printf(b, "%02d", c->m);
            break;
        case 'd':
            rc = gr_buf_printf(b, "%02d", c->d);
            break;
        case 'e':
            rc = gr_buf_printf(b, "%2d", c->d);
            break;
        case 'H':
            rc = gr_buf_printf(b, "%02d", c->hh);
            break;
        case 'I':
            rc = gr_buf_printf(b, "%02d", h12);
            break;
        case 'l':
            rc = gr_buf_printf(b, "%2d", h12);
            break;
        case 'M':
            rc = gr_buf_printf(b, "%02d", c->mm);
            break;
        case 'S':
            rc = gr_buf_printf(b, "%02d", c->ss);
            break;
        case 'L':
            rc = gr_buf_printf(b, "%03d", c->ms);
            break;
        case 'p':
            rc = gr_buf_appends(b, c->hh < 12 ? "AM" : "PM");
            break;
        case 'j':
            rc = gr_buf_printf(b, "%03d", c->yday);
            break;
        case 'a':
            rc = gr_buf_append(b, wdays[c->wday], 3);
            break;
        case 'A':
            rc = gr_buf_appends(b, wdays[c->wday]);
            break;
        case 'b':
        case 'h':
            rc = gr_buf_append(b, months[c->m - 1], 3);
            break;
        case 'B':
            rc = gr_buf_appends(b, months[c->m - 1]);
            break;
        case 'u':
            rc = gr_buf_printf(b, "%d", c->wday == 0 ? 7 : c->wday);
            break;
        case 'w':
            rc = gr_buf_printf(b, "%d", c->wday);
            break;
        case 's':
            rc = gr_buf_printf(b, "%lld", (long long)c->unix_s);
            break;
        case 'z':
            rc = gr_buf_printf(b, "%c%02d%02d", c->off < 0 ? '-' : '+', aoff / 60, aoff % 60);
            break;
        case 'Z':
            if (c->off == 0)
                rc = gr_buf_appends(b, "UTC");
            else
                rc = gr_buf_printf(b, "%c%02d:%02d", c->off < 0 ? '-' : '+', aoff / 60, aoff % 60);
            break;
        case 'F':
            rc = depth ? GR_OK : format(b, "%Y-%m-%d", 8, c, 1);
            break;
        case 'T':
            rc = depth ? GR_OK : format(b, "%H:%M:%S", 8, c, 1);
            break;
        case 'R':
            rc = depth ? GR_OK : format(b, "%H:%M", 5, c, 1);
            break;
        case 'D':
            rc = depth ? GR_OK : format(b, "%m/%d/%y", 8, c, 1);
            break;
        case 'n':
            rc = gr_buf_appendc(b, '\n');
            break;
        case 't':
            rc = gr_buf_appendc(b, '\t');
            break;
        case '%':
            rc = gr_buf_appendc(b, '%');
            break;
        default:
            rc = gr_buf_appendc(b, '%');
            if (rc == GR_OK)
                rc = gr_buf_appendc(b, f[i]);
        }
    }
    return rc;
}

gr_err gr_tmpl__h_date(const struct gr_tmpl__hctx *ctx, json_t *in, json_t **argv, size_t argc,
                       json_t **out)
{
    static const char dflt[] = "%Y-%m-%d %H:%M %Z";
    struct civil c;
    struct gr_buf b;
    const char *f = dflt;
    size_t flen = sizeof(dflt) - 1;
    int64_t ms;
    int off = 0;
    gr_err rc;

    if (!to_ms(in, &ms)) {
        *out = json_incref(in); /* not a date: unchanged */
        return GR_OK;
    }
    if (argc > 0 && json_is_string(argv[0]) && json_string_length(argv[0]) > 0) {
        f = json_string_value(argv[0]);
        flen = json_string_length(argv[0]);
    }
    if (argc > 1 && json_is_string(argv[1])) {
        const char *o = json_string_value(argv[1]);
        if (!parse_offset(o, o + json_string_length(argv[1]), &off))
            off = 0;
    }
    memset(&c, 0, sizeof(c));
    to_civil(ms, off, &c);
    gr_buf_init(&b, ctx->limit);
    rc = format(&b, f, flen, &c, 0);
    if (rc == GR_OK) {
        *out = json_stringn_nocheck(gr_buf_str(&b), b.len);
        if (*out == NULL)
            rc = GR_ENOMEM;
    }
    gr_buf_cleanup(&b);
    return rc;
}
