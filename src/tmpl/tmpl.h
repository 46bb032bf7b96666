/* SPDX-License-Identifier: MIT */
/*
 * tmpl.h - griot's Mustache engine: compile once, render against a jansson value.
 *
 * Pure: no I/O (partials come from a callback), bounded output and nesting, so untrusted
 * templates and data cannot exhaust memory or the stack. Two escaping modes:
 *   GR_TMPL_HTML      the Mustache standard: {{x}} HTML-escapes, {{{x}}} and {{&x}} do not;
 *                     passes the official spec tests;
 *   GR_TMPL_MARKDOWN  for chat messages: {{x}} does not HTML-escape (AT&T stays AT&T),
 *                     {{{x}}} is raw too.
 * Chat templates also get griot's helpers (documented in docs/templates.md).
 */
#ifndef GR_TMPL_TMPL_H
#define GR_TMPL_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

struct gr_tmpl;

enum gr_tmpl_mode { GR_TMPL_HTML = 0, GR_TMPL_MARKDOWN = 1 };

/* Returns the source of partial `name` (not NUL-terminated; *len_out set), or NULL if unknown
 * (an unknown partial renders as nothing, per the spec). */
typedef const char *(*gr_tmpl_partial_fn)(void *ud, const char *name, size_t *len_out);

struct gr_tmpl_opts {
    enum gr_tmpl_mode mode;
    bool helpers;               /* enable griot's helpers (chat templates) */
    gr_tmpl_partial_fn partial; /* may be NULL */
    void *partial_ud;
    size_t max_output; /* 0 = 1 MiB */
    int max_depth;     /* section/partial nesting; 0 = 64 */
};

/* Compiles src[0..len). On a syntax error returns GR_EINVAL with "line N: message" in errbuf. */
gr_err gr_tmpl_compile(const char *src, size_t len, struct gr_tmpl **out, char *errbuf,
                       size_t errlen);
void gr_tmpl_free(struct gr_tmpl *t);
/* Renders into out (appends). GR_ETOOBIG past max_output or max_depth. data is borrowed. */
gr_err gr_tmpl_render(const struct gr_tmpl *t, json_t *data, const struct gr_tmpl_opts *opts,
                      struct gr_buf *out);
/* compile + render + free. */
gr_err gr_tmpl_render_string(const char *src, size_t len, json_t *data,
                             const struct gr_tmpl_opts *opts, struct gr_buf *out, char *errbuf,
                             size_t errlen);

#endif
