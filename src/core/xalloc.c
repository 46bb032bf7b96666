/* SPDX-License-Identifier: MIT */
/* xalloc.c - aborting allocation wrappers; see xalloc.h. */
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "griot: out of memory allocating %zu bytes\n", n);
    abort();
}

void *gr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        oom(n);
    return p;
}

void *gr_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (p == NULL)
        oom(nmemb * size);
    return p;
}

void *gr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        oom(n);
    return q;
}

char *gr_xstrdup(const char *s)
{
    if (s == NULL)
        return NULL;
    return gr_xstrndup(s, strlen(s));
}

char *gr_xstrndup(const char *s, size_t len)
{
    char *p = gr_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
