/* SPDX-License-Identifier: MIT */
/*
 * cidr.h - IPv4/IPv6 network matching for allow-lists and trusted proxies.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 networks.
 */
#ifndef GR_CORE_CIDR_H
#define GR_CORE_CIDR_H

#include <stdbool.h>

struct gr_cidr {
    unsigned char addr[16]; /* IPv4 stored as ::ffff:a.b.c.d */
    int prefix;             /* 0..128, counted on the 128-bit form */
};

/* Parses "10.0.0.0/8", "::1/128", or a bare address (full prefix). */
bool gr_cidr_parse(const char *s, struct gr_cidr *out);
/* True when the textual address ip lies in c. */
bool gr_cidr_match(const struct gr_cidr *c, const char *ip);

#endif
