/* SPDX-License-Identifier: MIT */
/*
 * hash.h - digests and constant-time comparison (OpenSSL 3 one-shot APIs).
 */
#ifndef GR_CORE_HASH_H
#define GR_CORE_HASH_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the lowercase hex SHA-256 of p[0..len) into out (65 bytes with the NUL). */
void gr_sha256_hex(const void *p, size_t len, char out[65]);
/* Writes the lowercase hex SHA-1 of p[0..len) into out (41 bytes with the NUL). Not for
 * security: Mattermost names group channels with it (spec mattermost-compat §5.8). */
void gr_sha1_hex(const void *p, size_t len, char out[41]);
/* Constant-time equality of two equal-length byte strings; false when lengths differ. */
bool gr_ct_equal(const void *a, size_t alen, const void *b, size_t blen);

#endif
