/* SPDX-License-Identifier: MIT */
/*
 * forge_msg.h - internal to the forge renderers: struct msg (one message being written) and
 * the small readers and writers every event renderer shares. forge_msg.c implements them,
 * forge_render.c uses them. Errors are sticky in struct msg: every writer is a no-op once one
 * has happened.
 */
#ifndef GR_ADAPTER_FORGE_MSG_H
#define GR_ADAPTER_FORGE_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "adapter/forge.h"
#include "core/buf.h"

#define OUT_MAX       ((size_t)256 << 10) /* per buffer; real output stays far below */
#define URL_MAX       2048                /* longer "URLs" are not linked */
#define NAME_RUNES    64                  /* user names, repository names */
#define TITLE_RUNES   120                 /* issue, pull request, release titles */
#define REF_RUNES     80                  /* branch and tag names */
#define LINE_RUNES    80                  /* commit message summaries */
#define MAX_COMMITS   5                   /* commits listed for a push */
#define EXCERPT_LINES 6
#define EXCERPT_RUNES 400

struct msg {
    const struct gr_forge *f;
    json_t *p; /* the payload, borrowed */
    const char *event, *action;
    struct gr_buf text;  /* headline, Markdown */
    struct gr_buf body;  /* attachment text, Markdown */
    struct gr_buf title; /* attachment title, plain text */
    struct gr_buf tlink; /* attachment title_link */
    struct gr_buf u[3];  /* scratch for URLs built from the repository URL */
    const char *color;
    json_t *att;
    gr_err rc; /* first error; every helper is a no-op afterwards */
};

bool gr_forge__is(const char *a, const char *b);
bool gr_forge__has(const char *s);
bool gr_forge__starts(const char *s, const char *prefix);
json_t *gr_forge__obj(json_t *root, const char *path);
const char *gr_forge__any_str(json_t *root, ...);
bool gr_forge__flag(json_t *root, const char *path);
bool gr_forge__is_url(const char *u);
bool gr_forge__zero_sha(const char *s);
const char *gr_forge__short_ref(const char *ref);
const char *gr_forge__who(struct msg *m);
const char *gr_forge__repo_name(struct msg *m);
const char *gr_forge__repo_url(struct msg *m);
void gr_forge__put(struct msg *m, struct gr_buf *b, const char *s);
void gr_forge__esc(struct msg *m, struct gr_buf *b, const char *s, size_t runes);
void gr_forge__bold(struct msg *m, struct gr_buf *b, const char *s);
void gr_forge__clip(struct msg *m, struct gr_buf *b, const char *s, size_t runes);
void gr_forge__link(struct msg *m, struct gr_buf *b, const char *text, const char *url,
                    size_t runes);
void gr_forge__code(struct msg *m, struct gr_buf *b, const char *s, const char *url);
void gr_forge__excerpt(struct msg *m, struct gr_buf *b, const char *s);
void gr_forge__field(struct msg *m, const char *title, struct gr_buf *value);
void gr_forge__set_title(struct msg *m, const char *text, const char *url);
const char *gr_forge__mkurl(struct msg *m, struct gr_buf *u, const char *base, const char *mid,
                            const char *seg);
const char *gr_forge__tree_url(struct msg *m, struct gr_buf *u, const char *name, bool tag);
const char *gr_forge__commit_url(struct msg *m, struct gr_buf *u, json_t *c, const char *sha);
void gr_forge__in_repo(struct msg *m);
const char *gr_forge__short_sha(const char *sha, char out[8]);
void gr_forge__putf(struct msg *m, struct gr_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
