/* SPDX-License-Identifier: MIT */
/* log.c - see log.h. */
#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum gr_log_level max_level = GR_LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

void gr_log_set_level(enum gr_log_level level)
{
    max_level = level;
}

int gr_log_level_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static void vlog(enum gr_log_level level, const char *module, const char *suffix, const char *fmt,
                 va_list ap)
{
    char line[2048];
    struct timeval tv;
    struct tm tm;
    size_t n;
    int k;

    if (level > max_level)
        return;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
    k = snprintf(line + n, sizeof line - n, ".%03ldZ %s %s: ", (long)(tv.tv_usec / 1000),
                 names[level], module);
    if (k > 0)
        n += (size_t)k;
    if (n < sizeof line) {
        k = vsnprintf(line + n, sizeof line - n, fmt, ap);
        if (k > 0)
            n += (size_t)k;
    }
    if (suffix && n < sizeof line) {
        k = snprintf(line + n, sizeof line - n, ": %s", suffix);
        if (k > 0)
            n += (size_t)k;
    }
    if (n >= sizeof line - 1)
        n = sizeof line - 2;
    line[n++] = '\n';
    /* One write per line keeps concurrent lines whole; a failed log write has nowhere to go. */
    if (write(STDERR_FILENO, line, n) < 0)
        return;
}

void gr_log(enum gr_log_level level, const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(level, module, NULL, fmt, ap);
    va_end(ap);
}

void gr_log_errno(const char *module, const char *fmt, ...)
{
    char ebuf[128];
    const char *e;
    va_list ap;
    int saved = errno;

    e = strerror_r(saved, ebuf, sizeof ebuf);
    va_start(ap, fmt);
    vlog(GR_LOG_ERROR, module, e, fmt, ap);
    va_end(ap);
}
