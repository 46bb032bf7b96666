/* SPDX-License-Identifier: MIT */
/*
 * slack.h - Slack markup conversion as Mattermost does it (spec mattermost-compat §1.9):
 * `<url|label>` -> `[label](url)`, `<!channel>`/`<!here>`/`<!all>` -> `@channel`/`@here`/`@all`,
 * `<@USERID>` -> `@username` when the lookup knows the id. Everything else is left alone.
 */
#ifndef GR_MM_SLACK_H
#define GR_MM_SLACK_H

#include <stddef.h>

#include "core/buf.h"
#include "mm/incoming.h"

/* Appends the converted form of s[0..len) to out. lookup may be NULL. */
gr_err gr_mm_slack_convert(const char *s, size_t len, gr_mm_username_fn lookup, void *ud,
                           struct gr_buf *out);
/* Only the link rule (for attachment pretext/text/field values). */
gr_err gr_mm_slack_links(const char *s, size_t len, struct gr_buf *out);

#endif
