/* SPDX-License-Identifier: MIT */
/* buf.c - bounded growable byte buffer; see buf.h for the contract. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void gr_buf_init(struct gr_buf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static gr_err reserve(struct gr_buf *b, size_t extra)
{
    size_t need, ncap;
    char *np;

    if (extra > b->max - b->len)
        return GR_ETOOBIG;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return GR_OK;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap *= 2;
    np = realloc(b->p, ncap);
    if (np == NULL)
        return GR_ENOMEM;
    b->p = np;
    b->cap = ncap;
    return GR_OK;
}

gr_err gr_buf_append(struct gr_buf *b, const void *p, size_t len)
{
    gr_err rc = reserve(b, len);
    if (rc != GR_OK)
        return rc;
    if (len)
        memcpy(b->p + b->len, p, len);
    b->len += len;
    b->p[b->len] = '\0';
    return GR_OK;
}

gr_err gr_buf_appends(struct gr_buf *b, const char *s)
{
    return gr_buf_append(b, s, strlen(s));
}

gr_err gr_buf_appendc(struct gr_buf *b, char c)
{
    return gr_buf_append(b, &c, 1);
}

gr_err gr_buf_vprintf(struct gr_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    gr_err rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return GR_EINVAL;
    rc = reserve(b, (size_t)n);
    if (rc != GR_OK)
        return rc;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return GR_OK;
}

gr_err gr_buf_printf(struct gr_buf *b, const char *fmt, ...)
{
    va_list ap;
    gr_err rc;

    va_start(ap, fmt);
    rc = gr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *gr_buf_str(const struct gr_buf *b)
{
    return b->p ? b->p : "";
}

void gr_buf_reset(struct gr_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void gr_buf_cleanup(struct gr_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
}

char *gr_buf_steal(struct gr_buf *b)
{
    char *p = b->p ? b->p : gr_xstrdup("");
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
