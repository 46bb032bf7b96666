/* SPDX-License-Identifier: MIT */
/*
 * cli_integration.c - `griot integration-secret [--rotate]`: prints the server-wide integration
 * secret on stdout (one line, "whsec_..."). griot signs the calls it makes to apps for button
 * and menu clicks with it (Standard Webhooks headers webhook-id, webhook-timestamp,
 * webhook-signature; app/actions.h), so an app verifies them with any Standard Webhooks
 * library and this secret. Trigger ids are keyed with it too. The secret is created on first
 * use. --rotate replaces it first (calls already signed with the old one fail verification;
 * trigger ids made with it become invalid).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "app/integ.h"

static const char usage[] =
        "usage: griot integration-secret [--rotate]\n"
        "\n"
        "Prints the server integration secret (whsec_...) that signs griot's calls to the apps\n"
        "behind interactive buttons and menus (Standard Webhooks headers). --rotate replaces it\n"
        "with a fresh one and prints the new secret.\n";

static const struct gr_cli_opt opts[] = {{"rotate", false}, {NULL, false}};

int gr_cli_integration_secret(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_store *st = NULL;
    char secret[GR_SECRET_SIZE];
    gr_err rc;
    int code = gr_cli__parse(&a, "integration-secret", usage, opts, argc, argv);

    if (code)
        return code < 0 ? 0 : code;
    if (a.npos != 0) {
        gr_cli__err(&a, "unexpected argument '%s'", a.pos[0]);
        fputs(usage, stderr);
        code = 2;
        goto out;
    }
    if ((code = gr_cli__open_store(&a, &st)) != 0)
        goto out;
    rc = gr_cli__flag(&a, "rotate") ? gr_integ_server_secret_rotate(st, secret)
                                    : gr_integ_server_secret(st, secret);
    if (rc != GR_OK) {
        gr_cli__err(&a, "cannot %s the integration secret: %s",
                    gr_cli__flag(&a, "rotate") ? "rotate" : "read", gr_err_str(rc));
        code = 1;
        goto out;
    }
    printf("%s\n", secret);
    explicit_bzero(secret, sizeof secret);
out:
    gr_store_close(st);
    gr_cli__args_cleanup(&a);
    return code;
}
