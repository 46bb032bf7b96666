/* SPDX-License-Identifier: MIT */
/* cidr.c - see cidr.h. */
#include "core/cidr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static bool parse_addr(const char *s, unsigned char out[16], bool *is_v4)
{
    struct in_addr a4;

    if (inet_pton(AF_INET, s, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        *is_v4 = true;
        return true;
    }
    *is_v4 = false;
    return inet_pton(AF_INET6, s, out) == 1;
}

bool gr_cidr_parse(const char *s, struct gr_cidr *out)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t len = slash ? (size_t)(slash - s) : strlen(s);
    bool v4;
    long prefix;
    char *end;

    if (len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!parse_addr(buf, out->addr, &v4))
        return false;
    if (slash == NULL) {
        out->prefix = 128;
        return true;
    }
    prefix = strtol(slash + 1, &end, 10);
    if (*end || end == slash + 1 || prefix < 0 || prefix > (v4 ? 32 : 128))
        return false;
    out->prefix = (int)(v4 ? prefix + 96 : prefix);
    return true;
}

bool gr_cidr_match(const struct gr_cidr *c, const char *ip)
{
    unsigned char a[16];
    bool v4;
    int bits = c->prefix, i = 0;

    if (!parse_addr(ip, a, &v4))
        return false;
    for (; bits >= 8; bits -= 8, i++)
        if (a[i] != c->addr[i])
            return false;
    if (bits > 0) {
        unsigned char mask = (unsigned char)(0xff << (8 - bits));
        if ((a[i] & mask) != (c->addr[i] & mask))
            return false;
    }
    return true;
}
