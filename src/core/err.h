/* SPDX-License-Identifier: MIT */
/*
 * err.h - griot's one error idiom.
 *
 * Fallible functions return a gr_err and hand results back through out-params. GR_OK is zero so
 * `if (rc != GR_OK) goto out;` reads naturally. Codes say what kind of failure happened; the layer
 * that decides what to do with it logs it (once) or turns it into an HTTP answer.
 */
#ifndef GR_CORE_ERR_H
#define GR_CORE_ERR_H

typedef enum {
    GR_OK = 0,
    GR_ENOMEM,    /* allocation failed */
    GR_EINVAL,    /* bad argument or bad input */
    GR_EIO,       /* I/O or system call failed */
    GR_EAGAIN,    /* try again later (busy, would block) */
    GR_ENOTFOUND, /* no such object */
    GR_ETOOBIG,   /* a bounded buffer or limit was exceeded */
    GR_ESTORE,    /* the store failed (SQL error, disk full, ...) */
    GR_EEXIST,    /* object already exists (unique constraint) */
    GR_ECLOSED,   /* the object is shutting down */
} gr_err;

/* Returns a short static name for rc ("ok", "out of memory", ...). Never NULL. */
const char *gr_err_str(gr_err rc);

#endif
