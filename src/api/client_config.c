/* SPDX-License-Identifier: MIT */
/*
 * client_config.c - GET /api/v4/config/client?format=old (spec mattermost-compat §5.4): the
 * flat map of strings `@mattermost/client` and the web app read at start-up. No session is
 * needed (Mattermost serves a limited map to anonymous clients too). Only the keys a client
 * acts on carry griot's real settings; the rest say "false"/"" for features griot lacks.
 */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "mm/incoming.h"

static void set(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v));
}

static void set_bool(json_t *o, const char *k, bool v)
{
    set(o, k, v ? "true" : "false");
}

void gr_api_client_config(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const struct gr_app_options *opt = &api->app->opt;
    const char *format = gr_http_req_query(r, "format");
    const char *vid = api->version_id ? api->version_id : "0.0.0";
    char version[32], max_post[16];
    size_t n = 0;
    json_t *o;

    if (format == NULL || strcmp(format, "old") != 0) {
        gr_http_respond_error(r, 501, "api.config.client.old_format.app_error",
                              "New format for the client configuration is not supported yet. "
                              "Please specify format=old in the query string.");
        return;
    }
    /* Version is the x.y.z that X-Version-Id starts with. */
    for (size_t dots = 0; vid[n] && n < sizeof version - 1; n++) {
        if (vid[n] == '.' && ++dots == 3)
            break;
        version[n] = vid[n];
    }
    version[n] = '\0';
    snprintf(max_post, sizeof max_post, "%d", GR_MM_MAX_POST_RUNES);
    o = json_object();
    set(o, "Version", version);
    set(o, "BuildNumber", "griot");
    set(o, "BuildDate", "");
    set(o, "BuildHash", "griot");
    set(o, "BuildHashEnterprise", "none");
    set(o, "BuildEnterpriseReady", "false");
    set(o, "SiteURL", opt->site_url ? opt->site_url : "");
    set(o, "SiteName", "griot");
    set(o, "DiagnosticsEnabled", "false");
    set(o, "TelemetryId", "");
    set(o, "DefaultClientLocale", "en");
    set(o, "AvailableLocales", "");
    set_bool(o, "EnableUserAccessTokens", opt->auth.enable_user_access_tokens);
    set_bool(o, "EnableBotAccountCreation", opt->auth.enable_bot_account_creation);
    set_bool(o, "EnableIncomingWebhooks", opt->enable_incoming_webhooks);
    set_bool(o, "EnableOutgoingWebhooks", false);
    set_bool(o, "EnableCommands", false);
    set_bool(o, "EnablePostUsernameOverride", opt->username_override);
    set_bool(o, "EnablePostIconOverride", opt->icon_override);
    set_bool(o, "EnableSignInWithUsername", true);
    set_bool(o, "EnableSignInWithEmail", true);
    set_bool(o, "EnableSignUpWithEmail", false);
    set_bool(o, "EnableOpenServer", false);
    set_bool(o, "EnableFileAttachments", false);
    set_bool(o, "EnableCustomEmoji", false);
    set_bool(o, "EnableEmojiPicker", true);
    set_bool(o, "EnableLinkPreviews", false);
    set_bool(o, "EnableReliableWebSockets", false);
    set_bool(o, "ExperimentalEnablePostMetadata", false);
    set(o, "CollapsedThreads", "disabled");
    set(o, "RestrictDirectMessage", "any");
    set(o, "TeammateNameDisplay", "username");
    set(o, "MaxPostSize", max_post);
    set(o, "MaxFileSize", "0");
    set(o, "NoAccounts", "false");
    set(o, "IsDefaultMarketplace", "false");
    gr_api__respond_json(r, 200, o);
}
