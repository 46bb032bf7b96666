/* SPDX-License-Identifier: MIT */
/* err.c - names for gr_err codes. */
#include "core/err.h"

const char *gr_err_str(gr_err rc)
{
    switch (rc) {
    case GR_OK:
        return "ok";
    case GR_ENOMEM:
        return "out of memory";
    case GR_EINVAL:
        return "invalid argument";
    case GR_EIO:
        return "i/o error";
    case GR_EAGAIN:
        return "try again";
    case GR_ENOTFOUND:
        return "not found";
    case GR_ETOOBIG:
        return "too big";
    case GR_ESTORE:
        return "store error";
    case GR_EEXIST:
        return "already exists";
    case GR_ECLOSED:
        return "closed";
    }
    return "unknown error";
}
