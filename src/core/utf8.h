/* SPDX-License-Identifier: MIT */
/*
 * utf8.h - the little UTF-8 griot needs: validation and counting code points (runes).
 *
 * Mattermost limits (16 383 runes per post) count code points, not bytes; splitting must never
 * cut inside a multi-byte sequence.
 */
#ifndef GR_CORE_UTF8_H
#define GR_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, max U+10FFFF). */
bool gr_utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 (counts non-continuation bytes). */
size_t gr_utf8_count(const char *s, size_t len);
/* Byte offset just after the first n code points of s[0..len), or len if it has fewer. */
size_t gr_utf8_offset(const char *s, size_t len, size_t n);

#endif
