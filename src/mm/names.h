/* SPDX-License-Identifier: MIT */
/*
 * names.h - Mattermost's naming rules (spec mattermost-compat §9) for teams, channels and users.
 * Each validator returns true when the name is acceptable as stored (already lowercase).
 */
#ifndef GR_MM_NAMES_H
#define GR_MM_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* 2-64 chars of a-z 0-9 '-', starting and ending with a letter/digit, no reserved prefix
 * (admin, api, channel, claim, error, files, help, landing, login, mfa, oauth, plug, plugins,
 * post, signup, boards, playbooks). */
bool gr_mm_team_name_valid(const char *name);
/* 1-64 chars of a-z 0-9 '-' '_', starting with a letter/digit, not shaped like a DM name
 * ("<26 alnum>__<26 alnum>") nor a group name (40 hex chars). */
bool gr_mm_channel_name_valid(const char *name);
/* 1-64 chars of a-z 0-9 '.' '-' '_', not reserved (all, channel, matterbot, system, here). */
bool gr_mm_username_valid(const char *name);
/* The DM channel name for two user ids: the ids sorted bytewise and joined by "__".
 * out must hold 2*26+2+1 bytes. */
void gr_mm_dm_name(const char *a, const char *b, char out[55]);

#endif
