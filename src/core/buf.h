/* SPDX-License-Identifier: MIT */
/*
 * buf.h - the one byte-buffer type (after curl's dynbuf) and a borrowed slice.
 *
 * A gr_buf grows on demand up to a hard maximum fixed at init; appending past it fails with
 * GR_ETOOBIG and leaves the buffer unchanged. The content is always NUL-terminated (the NUL is
 * not counted in len), so b->p can be passed to C string functions when the data has no NULs.
 * A zeroed or freshly initialised buffer has p == NULL and len == 0; gr_buf_str() returns "" then.
 */
#ifndef GR_CORE_BUF_H
#define GR_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

struct gr_buf {
    char *p;    /* owned; NULL until the first append */
    size_t len; /* bytes in use, without the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard maximum for len */
};

/* A borrowed view of bytes; the owner of p outlives the slice. */
struct gr_slice {
    const char *p;
    size_t len;
};

#define GR_BUF_UNBOUNDED ((size_t)1 << 40)

void gr_buf_init(struct gr_buf *b, size_t max);
/* Appends len bytes; GR_ETOOBIG past max, GR_ENOMEM if allocation fails. */
gr_err gr_buf_append(struct gr_buf *b, const void *p, size_t len);
gr_err gr_buf_appends(struct gr_buf *b, const char *s);
gr_err gr_buf_appendc(struct gr_buf *b, char c);
gr_err gr_buf_printf(struct gr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
gr_err gr_buf_vprintf(struct gr_buf *b, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
/* Returns the content as a C string; never NULL (borrowed, valid until the next change). */
const char *gr_buf_str(const struct gr_buf *b);
/* Empties the buffer and keeps its memory. */
void gr_buf_reset(struct gr_buf *b);
/* Frees the memory; the buffer may be reused after gr_buf_init. Accepts a zeroed buffer. */
void gr_buf_cleanup(struct gr_buf *b);
/* Hands the content (malloc'd, NUL-terminated; never NULL) to the caller and empties the buffer. */
char *gr_buf_steal(struct gr_buf *b);

#endif
