/* SPDX-License-Identifier: MIT */
/*
 * main.c - wiring only: pick the subcommand and run it. See cli/ for the commands.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
        "griot " GR_VERSION " - a Mattermost-compatible webhook and bot integration server\n"
        "\n"
        "usage: griot COMMAND [ARGS]\n"
        "\n"
        "commands:\n"
        "  serve      start the server (creates and bootstraps the store on first start)\n"
        "  team       create teams\n"
        "  channel    create and list channels, add members\n"
        "  hook       create, list and delete incoming webhooks\n"
        "  posts      read a channel's posts\n"
        "  token      create and revoke access tokens\n"
        "  user       create users (with a password to log in)\n"
        "  bot        create bot accounts\n"
        "  integration-secret  print (or --rotate) the secret that signs button callbacks\n"
        "  outgoing   create, list and delete outgoing webhooks (callbacks on trigger words)\n"
        "  command    create, list and delete custom slash commands\n"
        "  template   try a template or a source's default message against a payload\n"
        "  version    print the version\n"
        "\n"
        "Every command accepts --data DIR (env GRIOT_DATA), --db URL, --config FILE,\n"
        "--site-url URL, --set NAME=VALUE and --help. See README.md and docs/config.md.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
            {"serve", gr_cli_serve}, {"team", gr_cli_team},   {"channel", gr_cli_channel},
            {"hook", gr_cli_hook},   {"posts", gr_cli_posts}, {"token", gr_cli_token},
            {"template", gr_cli_template},
            {"user", gr_cli_user}, {"bot", gr_cli_bot},
            {"integration-secret", gr_cli_integration_secret},
            {"outgoing", gr_cli_outgoing},
            {"command", gr_cli_command},
    };

    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("griot %s\n", GR_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "griot: unknown command '%s'\n\n", argv[1]);
    fputs(usage, stderr);
    return 2;
}
