/* SPDX-License-Identifier: MIT */
/*
 * hook_config.h - a hook's source settings, stored as one JSON document in the store
 * (incoming_hooks.source_config) and read into this struct per request.
 *
 * Keys (all optional):
 *   secrets []string, auth_bearer []string, auth_basic []string ("user:pass"),
 *   allow_ip []string (CIDRs), events []string, template string (Mustache source),
 *   tolerance int (seconds, default 300, 0 = off), lang "en"|"fr",
 *   sig_header, sig_algo, sig_encoding, sig_prefix, sig_content, ts_header (generic source),
 *   channel_template string, auto_create bool, allow_channel_prefix string,
 *   dedup_window int (seconds, default 86400; 0 = no replay protection).
 * Secrets and credentials never leave griot through the API: gr_hook_config_public() redacts
 * them.
 */
#ifndef GR_APP_HOOK_CONFIG_H
#define GR_APP_HOOK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/apperr.h"
#include "core/cidr.h"

#define GR_HC_MAX_LIST 16

struct gr_hook_config {
    json_t *root; /* owned; the strings below point into it */
    const char *secrets[GR_HC_MAX_LIST];
    size_t nsecrets;
    const char *bearer[GR_HC_MAX_LIST];
    size_t nbearer;
    const char *basic[GR_HC_MAX_LIST];
    size_t nbasic;
    struct gr_cidr allow[GR_HC_MAX_LIST];
    size_t nallow;
    const char *events[64];
    size_t nevents;
    const char *template_src;
    int64_t tolerance_s;
    const char *lang;
    const char *sig_header, *sig_algo, *sig_encoding, *sig_prefix, *sig_content, *ts_header;
    const char *channel_template;
    bool auto_create;
    const char *allow_channel_prefix;
    int64_t dedup_window_s;
};

/* Parses json (the stored document). Returns 0, or 400 with e for a malformed document (bad
 * types, a CIDR that does not parse, too many entries). */
int gr_hook_config_parse(const char *json, struct gr_hook_config *out, struct gr_apperr *e);
void gr_hook_config_cleanup(struct gr_hook_config *c);
/* Checks what only matters when a hook is created or changed: its templates compile and
 * render (against an empty payload, so unknown helpers and syntax errors show now rather than
 * at the first delivery). Returns 0, or 400 with e naming the template and the error. */
int gr_hook_config_check(const struct gr_hook_config *c, struct gr_apperr *e);
/* True when the events filter (if any) takes event: a filter entry names the event, or a
 * coarser form of it (pull_request takes pull_request_sync; issues takes issue_label), or
 * "event.action" (pull_request.opened). */
bool gr_hook_config_wants(const struct gr_hook_config *c, const char *event, const char *action);
/* A copy of the stored document safe to show: secrets and credentials replaced by "********". */
json_t *gr_hook_config_public(const char *json);

#endif
