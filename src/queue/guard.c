/* SPDX-License-Identifier: MIT */
/*
 * guard.c - the SSRF rule of the outbound engine (outbound.h): which addresses are internal,
 * which are allow-listed. Pure functions over socket addresses; the engine applies them to
 * every connection curl opens (outbound.c, on_opensocket).
 */
#include "queue/outbound.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* ---- the SSRF rule ---------------------------------------------------------------------- */

/* The 16-byte form used by struct gr_cidr: IPv4 as ::ffff:a.b.c.d. */
static bool addr16(const struct sockaddr *sa, unsigned char out[16])
{
    if (sa == NULL)
        return false;
    if (sa->sa_family == AF_INET) {
        struct sockaddr_in in;
        memcpy(&in, sa, sizeof in);
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &in.sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 in6;
        memcpy(&in6, sa, sizeof in6);
        memcpy(out, &in6.sin6_addr, 16);
        return true;
    }
    return false;
}

static bool v4_internal(const unsigned char *b)
{
    return b[0] == 0                                     /* 0.0.0.0/8 "this network" */
           || b[0] == 10                                 /* 10/8 private */
           || (b[0] == 100 && (b[1] & 0xc0) == 64)       /* 100.64/10 CGNAT */
           || b[0] == 127                                /* 127/8 loopback */
           || (b[0] == 169 && b[1] == 254)               /* 169.254/16 link-local, cloud metadata */
           || (b[0] == 172 && (b[1] & 0xf0) == 16)       /* 172.16/12 private */
           || (b[0] == 192 && b[1] == 0 && b[2] == 0)    /* 192.0.0/24 IETF protocol assignments */
           || (b[0] == 192 && b[1] == 0 && b[2] == 2)    /* 192.0.2/24 TEST-NET-1 */
           || (b[0] == 192 && b[1] == 88 && b[2] == 99)  /* 192.88.99/24 6to4 relay anycast */
           || (b[0] == 198 && b[1] == 51 && b[2] == 100) /* 198.51.100/24 TEST-NET-2 */
           || (b[0] == 203 && b[1] == 0 && b[2] == 113)  /* 203.0.113/24 TEST-NET-3 */
           || (b[0] == 192 && b[1] == 168)               /* 192.168/16 private */
           || (b[0] == 198 && (b[1] & 0xfe) == 18)       /* 198.18/15 benchmarking */
           || b[0] >= 224; /* 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast */
}

bool gr_outbound_addr_internal(const struct sockaddr *sa)
{
    static const unsigned char zero96[12] = {0};
    static const unsigned char mapped96[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64_96[12] = {0, 0x64, 0xff, 0x9b};
    static const unsigned char translated96[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};
    static const unsigned char nat64_local48[6] = {0, 0x64, 0xff, 0x9b, 0, 0x01};
    static const unsigned char discard64[8] = {0x01, 0, 0, 0, 0, 0, 0, 0};
    unsigned char a[16];

    /* Anything that is not IPv4 or IPv6 is not something the guard can vouch for. */
    if (!addr16(sa, a))
        return true;
    /* The forms that carry an IPv4 address are judged by it: ::ffff:127.0.0.1 reaches
     * loopback on a dual-stack socket, 64:ff9b::a9fe:a9fe reaches the metadata service through
     * a NAT64 gateway. ::/96 also covers :: (0.0.0.0) and ::1 (0.0.0.1), both in 0/8. */
    if (memcmp(a, mapped96, 12) == 0 || memcmp(a, zero96, 12) == 0 ||
        memcmp(a, nat64_96, 12) == 0 || memcmp(a, translated96, 12) == 0)
        return v4_internal(a + 12);
    /* 6to4 (2002::/16) carries its IPv4 address in bytes 2-5. */
    if (a[0] == 0x20 && a[1] == 0x02)
        return v4_internal(a + 2);
    return (a[0] & 0xfe) == 0xfc                      /* fc00::/7 unique local */
           || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) /* fe80::/10 link-local */
           || (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) /* fec0::/10 site-local (deprecated) */
           || a[0] == 0xff                            /* ff00::/8 multicast */
           || memcmp(a, nat64_local48, 6) == 0        /* 64:ff9b:1::/48 local-use NAT64 */
           || memcmp(a, discard64, 8) == 0            /* 100::/64 discard-only */
           || (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8); /* 2001:db8::/32 */
}

bool gr_outbound_addr_allowed(const struct sockaddr *sa, const struct gr_cidr *allow, size_t n)
{
    unsigned char a[16];

    if (!addr16(sa, a))
        return false;
    for (size_t k = 0; k < n; k++) {
        int bits = allow[k].prefix, i = 0;
        bool match = true;

        for (; bits >= 8 && match; bits -= 8, i++)
            match = a[i] == allow[k].addr[i];
        if (match && bits > 0) {
            unsigned char mask = (unsigned char)(0xff << (8 - bits));
            match = (a[i] & mask) == (allow[k].addr[i] & mask);
        }
        if (match)
            return true;
    }
    return false;
}

void gr_outbound_addr_text(const struct sockaddr *sa, char *out, size_t len)
{
    if (sa->sa_family == AF_INET) {
        struct sockaddr_in in;
        memcpy(&in, sa, sizeof in);
        if (inet_ntop(AF_INET, &in.sin_addr, out, (socklen_t)len))
            return;
    } else if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 in6;
        memcpy(&in6, sa, sizeof in6);
        if (inet_ntop(AF_INET6, &in6.sin6_addr, out, (socklen_t)len))
            return;
    }
    snprintf(out, len, "(family %d)", (int)sa->sa_family);
}
