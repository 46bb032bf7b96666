/* SPDX-License-Identifier: MIT */
/*
 * gitea.c - Gitea webhooks (type "Gitea").
 *
 * Gitea sends X-Gitea-* headers (and X-Gogs-*, X-GitHub-*), never X-Forgejo-* (spec sources
 * §2). The signature is the lowercase hex HMAC-SHA256 of the JSON in X-Gitea-Signature; very
 * old Gitea (< 1.14) also put the secret in the body as "secret", which we never read.
 * Everything else is shared with Forgejo: see forge.c and forge_render.c.
 */
#include "adapter/adapter.h"
#include "adapter/forge.h"

static const char *const sig_headers[] = {"X-Gitea-Signature", NULL};
static const char *const event_headers[] = {"X-Gitea-Event-Type", "X-Gitea-Event", NULL};
static const char *const delivery_headers[] = {"X-Gitea-Delivery", NULL};

static const struct gr_forge gitea = {
        .name = "Gitea",
        .dialect = GR_FORGE_GITEA,
        .sig_headers = sig_headers,
        .sig_prefix = "",
        .event_headers = event_headers,
        .delivery_headers = delivery_headers,
};

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    return gr_forge_verify(&gitea, cfg, req, e);
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    return gr_forge_parse(&gitea, cfg, req, out, e);
}

const struct gr_adapter gr_adapter_gitea = {
        .name = "gitea",
        .display_name = "Gitea",
        .max_body = (size_t)10 << 20,
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
};
