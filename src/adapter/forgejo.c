/* SPDX-License-Identifier: MIT */
/*
 * forgejo.c - Forgejo webhooks (type "Forgejo" or "Gitea" in Forgejo's webhook settings).
 *
 * Forgejo sends every header under three vendor prefixes (spec sources §1.1); we read the
 * X-Forgejo-* ones and fall back to X-Gitea-*, so a receiver keeps working when an older
 * Forgejo or a proxy drops one set. The signature is the lowercase hex HMAC-SHA256 of the JSON,
 * without prefix. Payloads and rendering are Gitea's: see forge.c and forge_render.c.
 */
#include "adapter/adapter.h"
#include "adapter/forge.h"

static const char *const sig_headers[] = {"X-Forgejo-Signature", "X-Gitea-Signature", NULL};
static const char *const event_headers[] = {"X-Forgejo-Event-Type", "X-Forgejo-Event",
                                            "X-Gitea-Event-Type", "X-Gitea-Event", NULL};
static const char *const delivery_headers[] = {"X-Forgejo-Delivery", "X-Gitea-Delivery", NULL};

static const struct gr_forge forgejo = {
        .name = "Forgejo",
        .dialect = GR_FORGE_GITEA,
        .sig_headers = sig_headers,
        .sig_prefix = "",
        .event_headers = event_headers,
        .delivery_headers = delivery_headers,
};

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    return gr_forge_verify(&forgejo, cfg, req, e);
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    return gr_forge_parse(&forgejo, cfg, req, out, e);
}

const struct gr_adapter gr_adapter_forgejo = {
        .name = "forgejo",
        .display_name = "Forgejo",
        .max_body = (size_t)10 << 20, /* pushes with many commits exceed 300 KB */
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
};
