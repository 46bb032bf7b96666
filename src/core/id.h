/* SPDX-License-Identifier: MIT */
/*
 * id.h - Mattermost-style object ids (spec mattermost-compat §0.2, §9).
 *
 * A new id is 16 random bytes (a UUIDv4) written in z-base-32 without padding: 26 characters
 * from "ybndrfg8ejkmcpqxot1uwisza345h769". Ids are credentials for hooks, so the bytes come from
 * the kernel's CSPRNG (getrandom), never from rand().
 */
#ifndef GR_CORE_ID_H
#define GR_CORE_ID_H

#include <stdbool.h>
#include <stddef.h>

#define GR_ID_LEN 26
#define GR_ID_SIZE (GR_ID_LEN + 1)

/* Writes a fresh NUL-terminated id into out. Aborts if the kernel has no randomness to give. */
void gr_id_new(char out[GR_ID_SIZE]);
/*
 * Writes a fresh id whose first 10 characters encode the current time in milliseconds (in the
 * same alphabet, so ids made later sort after earlier ones) followed by 16 random characters
 * (80 bits). For posts only: appending to the id index instead of inserting at random places
 * keeps the pages one group commit dirties few. Never for credentials (hook ids, tokens).
 */
void gr_id_new_sorted(char out[GR_ID_SIZE]);
/* Mattermost's IsValidId: exactly 26 ASCII letters or digits (any case, any letter). */
bool gr_id_is_valid(const char *s);
/* Fills buf with n cryptographically random bytes; aborts on failure. */
void gr_random_bytes(void *buf, size_t n);

#endif
