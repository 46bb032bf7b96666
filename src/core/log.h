/* SPDX-License-Identifier: MIT */
/*
 * log.h - structured, line-oriented logging to stderr.
 *
 * Each line is `TIME LEVEL module: message` where the message is free text or key=value pairs.
 * Lines are written with one write(2) so lines from different threads never interleave.
 * Secrets (hook ids, tokens, signatures) must never be passed here.
 */
#ifndef GR_CORE_LOG_H
#define GR_CORE_LOG_H

enum gr_log_level { GR_LOG_ERROR = 0, GR_LOG_WARN, GR_LOG_INFO, GR_LOG_DEBUG };

/* Sets the most verbose level printed (default GR_LOG_INFO). Call before threads start. */
void gr_log_set_level(enum gr_log_level level);
/* Parses "error", "warn", "info" or "debug"; returns -1 for anything else. */
int gr_log_level_parse(const char *s);

void gr_log(enum gr_log_level level, const char *module, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Like gr_log at GR_LOG_ERROR, with ": strerror(errno)" appended (OpenBSD log_warn). */
void gr_log_errno(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define gr_log_error(mod, ...) gr_log(GR_LOG_ERROR, mod, __VA_ARGS__)
#define gr_log_warn(mod, ...)  gr_log(GR_LOG_WARN, mod, __VA_ARGS__)
#define gr_log_info(mod, ...)  gr_log(GR_LOG_INFO, mod, __VA_ARGS__)
#define gr_log_debug(mod, ...) gr_log(GR_LOG_DEBUG, mod, __VA_ARGS__)

#endif
