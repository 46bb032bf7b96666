/* SPDX-License-Identifier: MIT */
/* apperr.c - see apperr.h. */
#include "core/apperr.h"

#include <stdarg.h>
#include <stdio.h>

int gr_apperr_set(struct gr_apperr *e, int status, const char *id, const char *fmt, ...)
{
    va_list ap;

    e->status = status;
    e->id = id;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->detail[0] = '\0';
    return status;
}
