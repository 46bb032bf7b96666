/* SPDX-License-Identifier: MIT */
/*
 * names.c - Mattermost's rules for team, channel and user names (spec §9), as the server's
 * model checks apply them (IsValidTeamName, IsValidChannelIdentifier + Channel.IsValid,
 * IsValidUsername), not the stricter wording of the sign-up UI.
 *
 * Inputs are the names as they will be stored: callers lowercase user input first
 * (NormalizeUsername) and these functions reject any uppercase letter. NULL is never valid.
 */
#include "mm/names.h"

#include <stdio.h>
#include <string.h>

#include "core/id.h"

static bool lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Mattermost refuses any team name that *starts* with one of these (IsReservedTeamName uses
 * strings.Index(s, word) == 0), so "apiary" and "posts" are reserved too. */
static const char *const team_reserved[] = {
        "admin", "api",   "channel", "claim",   "error", "files",  "help",   "landing",   "login",
        "mfa",   "oauth", "plug",    "plugins", "post",  "signup", "boards", "playbooks",
};

bool gr_mm_team_name_valid(const char *name)
{
    size_t n;

    if (name == NULL)
        return false;
    n = strlen(name);
    if (n < 2 || n > 64 || !lower_or_digit(name[0]) || !lower_or_digit(name[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!lower_or_digit(name[i]) && name[i] != '-')
            return false;
    for (size_t i = 0; i < sizeof team_reserved / sizeof team_reserved[0]; i++)
        if (strncmp(name, team_reserved[i], strlen(team_reserved[i])) == 0)
            return false;
    return true;
}

/* "<id>__<id>": exactly two parts around "__", each a valid id (Channel.IsValid splits on
 * "__" and checks len(parts) == 2 && IsValidId(both)). */
static bool looks_like_dm(const char *name, size_t n)
{
    const char *sep = strstr(name, "__");
    char a[GR_ID_SIZE], b[GR_ID_SIZE];
    size_t la;

    if (sep == NULL || strstr(sep + 2, "__") != NULL)
        return false;
    la = (size_t)(sep - name);
    if (la != GR_ID_LEN || n - la - 2 != GR_ID_LEN)
        return false;
    memcpy(a, name, GR_ID_LEN);
    a[GR_ID_LEN] = '\0';
    memcpy(b, sep + 2, GR_ID_LEN);
    b[GR_ID_LEN] = '\0';
    return gr_id_is_valid(a) && gr_id_is_valid(b);
}

/* Group-message channel names are 40 lowercase hex characters (a SHA-1). */
static bool looks_like_gm(const char *name, size_t n)
{
    if (n != 40)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return true;
}

bool gr_mm_channel_name_valid(const char *name)
{
    size_t n;

    if (name == NULL)
        return false;
    n = strlen(name);
    if (n < 1 || n > 64 || !lower_or_digit(name[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!lower_or_digit(name[i]) && name[i] != '-' && name[i] != '_')
            return false;
    return !looks_like_dm(name, n) && !looks_like_gm(name, n);
}

/* Mattermost's restrictedUsernames, plus "here", which mention parsing treats like "all"
 * (spec §9 notes: a harmless extension). */
static const char *const user_reserved[] = {"all", "channel", "matterbot", "system", "here"};

bool gr_mm_username_valid(const char *name)
{
    size_t n;

    if (name == NULL)
        return false;
    n = strlen(name);
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!lower_or_digit(name[i]) && name[i] != '.' && name[i] != '-' && name[i] != '_')
            return false;
    for (size_t i = 0; i < sizeof user_reserved / sizeof user_reserved[0]; i++)
        if (strcmp(name, user_reserved[i]) == 0)
            return false;
    return true;
}

void gr_mm_dm_name(const char *a, const char *b, char out[55])
{
    /* Go compares strings bytewise, as strcmp does (as unsigned char). */
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    snprintf(out, 55, "%.26s__%.26s", a, b);
}
