/* SPDX-License-Identifier: MIT */
/*
 * xalloc.h - allocation for small, fixed-size objects that aborts on failure (h2o, Redis).
 *
 * Anything whose size comes from the network goes through a bounded gr_buf instead and fails
 * with GR_ETOOBIG; these wrappers are for griot's own structs and short strings.
 */
#ifndef GR_CORE_XALLOC_H
#define GR_CORE_XALLOC_H

#include <stddef.h>

void *gr_xmalloc(size_t n);
void *gr_xcalloc(size_t nmemb, size_t size);
void *gr_xrealloc(void *p, size_t n);
/* Returns a malloc'd copy of s (NULL gives NULL). The caller frees. */
char *gr_xstrdup(const char *s);
/* Returns a malloc'd, NUL-terminated copy of the first len bytes of s. */
char *gr_xstrndup(const char *s, size_t len);

#endif
