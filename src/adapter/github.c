/* SPDX-License-Identifier: MIT */
/*
 * github.c - GitHub repository and organisation webhooks.
 *
 * GitHub signs the request body with HMAC-SHA256 and sends `X-Hub-Signature-256:
 * sha256=<hex>` (spec sources §3); the legacy SHA-1 `X-Hub-Signature` is not accepted. The
 * event is X-GitHub-Event, the delivery GUID X-GitHub-Delivery. Payloads are close enough to
 * Gitea's that forge_render.c handles both; the differences (web URL shapes, `compare`,
 * `created`/`deleted`/`forced` on pushes, `forkee`) are keyed on GR_FORGE_GITHUB there.
 */
#include "adapter/adapter.h"
#include "adapter/forge.h"

static const char *const sig_headers[] = {"X-Hub-Signature-256", NULL};
static const char *const event_headers[] = {"X-GitHub-Event", NULL};
static const char *const delivery_headers[] = {"X-GitHub-Delivery", NULL};

static const struct gr_forge github = {
        .name = "GitHub",
        .dialect = GR_FORGE_GITHUB,
        .sig_headers = sig_headers,
        .sig_prefix = "sha256=",
        .event_headers = event_headers,
        .delivery_headers = delivery_headers,
};

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    return gr_forge_verify(&github, cfg, req, e);
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    return gr_forge_parse(&github, cfg, req, out, e);
}

const struct gr_adapter gr_adapter_github = {
        .name = "github",
        .display_name = "GitHub",
        .max_body = (size_t)25 << 20, /* GitHub caps payloads at 25 MB */
        .requires_auth = false,
        .verify = verify,
        .parse = parse,
};
