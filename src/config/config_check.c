/* SPDX-License-Identifier: MIT */
/*
 * config_check.c - what makes a configuration value valid: listen addresses, CIDR networks,
 * URLs, header names, and the rules that tie several options together.
 *
 * The per-value checkers run twice: when a value is set (so a file error carries its line) and
 * again in gr_config_validate, which also covers fields that code assigned directly. They only
 * look at syntax; whether an address can be bound or a host resolved is found out when the
 * server starts. Messages name the bad value; the caller prefixes the option's name.
 */
#include "config/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"

/* Returns whether the len bytes at p are an address of family af (AF_INET or AF_INET6). */
static bool is_addr(int af, const char *p, size_t len)
{
    char addr[INET6_ADDRSTRLEN + 1];
    unsigned char bin[sizeof(struct in6_addr)];

    if (len >= sizeof(addr))
        return false;
    memcpy(addr, p, len);
    addr[len] = '\0';
    return inet_pton(af, addr, bin) == 1;
}

/*
 * Parses "[v6]:port", "v4:port" or "host:port". On success points *host at the address inside
 * s (without brackets) and stores its length and the port.
 */
static gr_err parse_listen(const char *s, const char **host, size_t *hostlen, int *port, char *err,
                           size_t errlen)
{
    const char *colon, *p;
    bool dotted = true;
    long v = 0;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');

        if (close == NULL || close[1] != ':') {
            snprintf(err, errlen, "'%s': expected [IPV6]:PORT", s);
            return GR_EINVAL;
        }
        *host = s + 1;
        *hostlen = (size_t)(close - s - 1);
        colon = close + 1;
        if (!is_addr(AF_INET6, *host, *hostlen)) {
            snprintf(err, errlen, "'%s': '%.*s' is not an IPv6 address", s, (int)*hostlen, *host);
            return GR_EINVAL;
        }
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL) {
            snprintf(err, errlen, "'%s': expected ADDR:PORT, such as 0.0.0.0:8065 or [::]:8065", s);
            return GR_EINVAL;
        }
        *host = s;
        *hostlen = (size_t)(colon - s);
        if (memchr(s, ':', *hostlen) != NULL) {
            snprintf(err, errlen, "'%s': IPv6 addresses go in brackets, as in [::1]:8065", s);
            return GR_EINVAL;
        }
        if (*hostlen == 0) {
            snprintf(err, errlen, "'%s': the address is missing (0.0.0.0 or [::] means all)", s);
            return GR_EINVAL;
        }
        for (p = s; p < colon; p++) {
            if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
                break;
            dotted = dotted && (isdigit((unsigned char)*p) || *p == '.');
        }
        /* Something made only of digits and dots is meant as an IPv4 address, so 256.1.1.1
         * is a mistake, not a host name. */
        if (p != colon || (dotted && !is_addr(AF_INET, s, *hostlen))) {
            snprintf(err, errlen, "'%s': '%.*s' is not a host name or IP address", s, (int)*hostlen,
                     s);
            return GR_EINVAL;
        }
    }
    for (p = colon + 1; isdigit((unsigned char)*p) && v <= 65535; p++)
        v = v * 10 + (*p - '0');
    if (p == colon + 1 || *p != '\0' || v > 65535) {
        snprintf(err, errlen, "'%s': the port must be a number from 0 to 65535", s);
        return GR_EINVAL;
    }
    *port = (int)v;
    return GR_OK;
}

gr_err gr_config__check_listen(const char *value, char *err, size_t errlen)
{
    const char *host;
    size_t hostlen;
    int port;

    return parse_listen(value, &host, &hostlen, &port, err, errlen);
}

gr_err gr_config_listen_split(const char *item, char *host_out, size_t hostlen, int *port_out)
{
    char err[160];
    const char *host;
    size_t len;

    if (parse_listen(item, &host, &len, port_out, err, sizeof(err)) != GR_OK || len >= hostlen)
        return GR_EINVAL;
    memcpy(host_out, host, len);
    host_out[len] = '\0';
    return GR_OK;
}

gr_err gr_config__check_cidr(const char *value, char *err, size_t errlen)
{
    const char *slash = strchr(value, '/');
    size_t len = slash != NULL ? (size_t)(slash - value) : strlen(value);
    bool v6 = memchr(value, ':', len) != NULL;
    const char *p;
    int prefix = 0;

    if (!is_addr(v6 ? AF_INET6 : AF_INET, value, len))
        goto bad;
    if (slash == NULL)
        return GR_OK;
    for (p = slash + 1; isdigit((unsigned char)*p) && prefix <= 128; p++)
        prefix = prefix * 10 + (*p - '0');
    if (p == slash + 1 || *p != '\0' || prefix > (v6 ? 128 : 32))
        goto bad;
    return GR_OK;
bad:
    snprintf(err, errlen, "'%s' is not an IP address or CIDR network (10.0.0.0/8, fd00::/8)",
             value);
    return GR_EINVAL;
}

gr_err gr_config__check_url(const char *value, char *err, size_t errlen)
{
    const char *rest;

    if (strncasecmp(value, "http://", 7) == 0) {
        rest = value + 7;
    } else if (strncasecmp(value, "https://", 8) == 0) {
        rest = value + 8;
    } else {
        snprintf(err, errlen, "'%s' must start with http:// or https://", value);
        return GR_EINVAL;
    }
    if (*rest == '\0' || *rest == '/') {
        snprintf(err, errlen, "'%s' has no host", value);
        return GR_EINVAL;
    }
    for (const char *p = value; *p != '\0'; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            snprintf(err, errlen, "'%s' contains a space or control character", value);
            return GR_EINVAL;
        }
    }
    return GR_OK;
}

gr_err gr_config__check_db_url(const char *value, char *err, size_t errlen)
{
    if ((strncmp(value, "sqlite:", 7) == 0 && value[7] != '\0') ||
        strncmp(value, "postgres://", 11) == 0 || strncmp(value, "postgresql://", 13) == 0)
        return GR_OK;
    snprintf(err, errlen, "'%s': expected sqlite:PATH or postgres://...", value);
    return GR_EINVAL;
}

gr_err gr_config__check_header_name(const char *value, char *err, size_t errlen)
{
    /* RFC 9110 §5.1: a field name is a token. */
    for (const char *p = value; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p) && strchr("!#$%&'*+-.^_`|~", *p) == NULL) {
            snprintf(err, errlen, "'%s' is not a header name", value);
            return GR_EINVAL;
        }
    }
    return GR_OK;
}

gr_err gr_config__check_nonempty(const char *value, char *err, size_t errlen)
{
    if (value[0] != '\0')
        return GR_OK;
    snprintf(err, errlen, "must not be empty");
    return GR_EINVAL;
}

/* Checks one string value held by c (a string option or a list item). */
static gr_err check_string(const struct gr_config__option *o, const char *s, char *err,
                           size_t errlen)
{
    char why[160];

    if (s == NULL) {
        if (o->flags & GR_CONFIG__NULLABLE)
            return GR_OK;
        snprintf(err, errlen, "option '%s': not set", o->name);
        return GR_EINVAL;
    }
    if ((o->flags & GR_CONFIG__NULLABLE) && s[0] == '\0')
        return GR_OK;
    if ((o->flags & GR_CONFIG__STRIP_SLASH) && s[0] != '\0' && s[strlen(s) - 1] == '/') {
        snprintf(err, errlen, "option '%s': '%s' must not end with '/'", o->name, s);
        return GR_EINVAL;
    }
    if (o->check != NULL && o->check(s, why, sizeof(why)) != GR_OK) {
        snprintf(err, errlen, "option '%s': %s", o->name, why);
        return GR_EINVAL;
    }
    return GR_OK;
}

static gr_err check_enum(const struct gr_config__option *o, const char *s, char *err, size_t errlen)
{
    /* Other modules compare with strcmp, so only the canonical spelling passes here. */
    for (const char *const *ch = o->choices; s != NULL && *ch != NULL; ch++) {
        if (strcmp(s, *ch) == 0)
            return GR_OK;
    }
    snprintf(err, errlen, "option '%s': '%s' is not one of its values", o->name,
             s != NULL ? s : "(null)");
    return GR_EINVAL;
}

static gr_err check_option(const struct gr_config *c, const struct gr_config__option *o, char *err,
                           size_t errlen)
{
    gr_err rc = GR_OK;
    double d;

    switch (o->type) {
    case GR_CONFIG__BOOL:
        break;
    case GR_CONFIG__INT:
        rc = gr_config__check_range(o, *GR_CONFIG__CFIELD(c, o, int), NULL, err, errlen);
        break;
    case GR_CONFIG__LONG:
        rc = gr_config__check_range(o, (double)*GR_CONFIG__CFIELD(c, o, long), NULL, err, errlen);
        break;
    case GR_CONFIG__DOUBLE:
        d = *GR_CONFIG__CFIELD(c, o, double);
        rc = gr_config__check_range(o, isfinite(d) ? d : -INFINITY, NULL, err, errlen);
        break;
    case GR_CONFIG__STRING:
        rc = check_string(o, *GR_CONFIG__CFIELD(c, o, char *), err, errlen);
        break;
    case GR_CONFIG__ENUM:
        rc = check_enum(o, *GR_CONFIG__CFIELD(c, o, char *), err, errlen);
        break;
    case GR_CONFIG__LIST:
        if (*GR_CONFIG__CCOUNT(c, o) > o->max_items) {
            snprintf(err, errlen, "option '%s': at most %zu items are allowed", o->name,
                     o->max_items);
            return GR_EINVAL;
        }
        for (size_t i = 0; rc == GR_OK && i < *GR_CONFIG__CCOUNT(c, o); i++)
            rc = check_string(o, GR_CONFIG__CFIELD(c, o, char *)[i], err, errlen);
        break;
    }
    return rc;
}

/* The rules that involve more than one value. */
static gr_err check_rules(const struct gr_config *c, char *err, size_t errlen)
{
    if (c->nlisten == 0) {
        snprintf(err, errlen, "option 'listen': at least one address is needed");
        return GR_EINVAL;
    }
    for (size_t i = 0; i < c->nlisten; i++) {
        for (size_t j = i + 1; j < c->nlisten; j++) {
            if (strcmp(c->listen[i], c->listen[j]) == 0) {
                snprintf(err, errlen, "option 'listen': '%s' is listed twice", c->listen[i]);
                return GR_EINVAL;
            }
        }
    }
    if (strcmp(c->hook_over_limit, "queue") == 0 && c->hook_queue_max < 1) {
        snprintf(err, errlen,
                 "option 'hook_queue_max': must be at least 1 when hook_over_limit is 'queue'");
        return GR_EINVAL;
    }
    if (c->digest_threshold == 1) {
        snprintf(err, errlen, "option 'digest_threshold': must be 0 (never) or at least 2");
        return GR_EINVAL;
    }
    if (c->rate_limit_enable && c->rate_limit_per_sec <= 0) {
        snprintf(err, errlen,
                 "option 'rate_limit_per_sec': must be above 0 when rate_limit_enable is on");
        return GR_EINVAL;
    }
    return GR_OK;
}

gr_err gr_config_validate(const struct gr_config *c, char *errbuf, size_t errlen)
{
    gr_err rc;

    for (size_t i = 0; i < gr_config__noptions; i++) {
        rc = check_option(c, &gr_config__options[i], errbuf, errlen);
        if (rc != GR_OK)
            return rc;
    }
    return check_rules(c, errbuf, errlen);
}
