/* SPDX-License-Identifier: MIT */
/* id.c - random ids in Mattermost's z-base-32 form; see id.h. */
#include "core/id.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static const char alphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";

void gr_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;

    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "griot: getrandom failed: %s\n", strerror(errno));
            abort();
        }
        p += got;
        n -= (size_t)got;
    }
}

/* Ids are made on every request (request id, post ids): taking the kernel's randomness 32 ids
 * at a time saves a system call per id, which is expensive on virtual machines. The bytes are
 * the same CSPRNG output, used once each. */
static void id_bytes(unsigned char b[16])
{
    static _Thread_local unsigned char pool[512];
    static _Thread_local size_t left;

    if (left < 16) {
        gr_random_bytes(pool, sizeof pool);
        left = sizeof pool;
    }
    memcpy(b, pool + sizeof pool - left, 16);
    memset(pool + sizeof pool - left, 0, 16);
    left -= 16;
}

void gr_id_new(char out[GR_ID_SIZE])
{
    unsigned char b[16];
    unsigned int acc = 0, bits = 0;
    size_t i, o = 0;

    id_bytes(b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* UUID version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    /* 128 bits in 5-bit groups: 25 full groups and 3 bits left, padded with zeros (Go's
     * base32 encoder does the same before the padding is stripped). */
    for (i = 0; i < sizeof b; i++) {
        acc = (acc << 8) | b[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

void gr_id_new_sorted(char out[GR_ID_SIZE])
{
    struct timespec ts;
    uint64_t ms;
    char rnd[GR_ID_SIZE];

    clock_gettime(CLOCK_REALTIME, &ts);
    ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    /* 10 characters x 5 bits = 50 bits of milliseconds: enough until the year 37000. The
     * alphabet is not in ASCII order, so map each digit through a sorted copy of it. */
    static const char sorted[] = "13456789abcdefghijkmnopqrstuwxyz";
    for (int i = 9; i >= 0; i--) {
        out[i] = sorted[ms & 31];
        ms >>= 5;
    }
    gr_id_new(rnd);
    memcpy(out + 10, rnd, 16);
    out[GR_ID_LEN] = '\0';
}

bool gr_id_is_valid(const char *s)
{
    size_t i;

    if (s == NULL)
        return false;
    for (i = 0; i < GR_ID_LEN; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return s[GR_ID_LEN] == '\0';
}
