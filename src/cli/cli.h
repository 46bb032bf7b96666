/* SPDX-License-Identifier: MIT */
/*
 * cli.h - griot's subcommands. Each gr_cli_<cmd>() takes the arguments after the command name
 * and returns the process exit status: 0 success, 1 failure, 2 usage error.
 *
 * Output is a contract (scripts drive it): results on stdout, messages on stderr prefixed
 * "griot <cmd>: ". Every command accepts --data DIR, --db URL, --config FILE, --site-url URL,
 * --set NAME=VALUE and --help, and honours GRIOT_DATA and the other GRIOT_* variables. Only
 * `serve` creates a store.
 */
#ifndef GR_CLI_CLI_H
#define GR_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "store/store.h"

#define GR_VERSION "0.1.0"
/* X-Version-Id: clients read the first three parts as the Mattermost server version whose
 * behaviour griot follows; the rest names griot. */
#define GR_VERSION_ID "9.11.0.griot-" GR_VERSION ".false"

#define GR_CLI_MAX_OPTS 48
#define GR_CLI_MAX_VALS 16
#define GR_CLI_MAX_POS 16

struct gr_cli_opt {
    const char *name; /* without "--" */
    bool has_arg;
};

struct gr_cli_args {
    const char *cmd; /* "channel create", for messages */
    const struct gr_cli_opt *opts;
    size_t nopts;
    const char *vals[GR_CLI_MAX_OPTS][GR_CLI_MAX_VALS];
    size_t nvals[GR_CLI_MAX_OPTS];
    const char *pos[GR_CLI_MAX_POS];
    size_t npos;
    struct gr_config cfg;
};

/* Parses argv against opts plus the common options; loads the configuration. Returns 0, or
 * prints the problem and returns 2 (usage) or 1 (configuration error); returns -1 when --help
 * was printed (exit 0). usage is printed for --help and after usage errors. */
int gr_cli__parse(struct gr_cli_args *a, const char *cmd, const char *usage,
                  const struct gr_cli_opt *opts, int argc, char **argv);
void gr_cli__args_cleanup(struct gr_cli_args *a);
/* Last value of option name, or NULL. */
const char *gr_cli__opt(const struct gr_cli_args *a, const char *name);
/* True if the flag name was given. */
bool gr_cli__flag(const struct gr_cli_args *a, const char *name);
/* All values of a repeatable option. */
size_t gr_cli__opt_all(const struct gr_cli_args *a, const char *name, const char *const **out);
/* Opens the existing store (never creates it); prints the reason and returns 1 on failure. */
int gr_cli__open_store(struct gr_cli_args *a, struct gr_store **out);
/* Prints "griot CMD: message" on stderr. */
void gr_cli__err(const struct gr_cli_args *a, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

int gr_cli_serve(int argc, char **argv);
int gr_cli_team(int argc, char **argv);
int gr_cli_channel(int argc, char **argv);
int gr_cli_hook(int argc, char **argv);
int gr_cli_posts(int argc, char **argv);
int gr_cli_token(int argc, char **argv);
int gr_cli_template(int argc, char **argv);
/* users, bots, tokens (cli_user.c, cli_bot.c) */
int gr_cli_user(int argc, char **argv);
int gr_cli_bot(int argc, char **argv);
/* interactive buttons: the server integration secret (cli_integration.c) */
int gr_cli_integration_secret(int argc, char **argv);
/* outgoing webhooks (cli_outgoing.c) */
int gr_cli_outgoing(int argc, char **argv);
/* slash commands (cli_command.c) */
int gr_cli_command(int argc, char **argv);
/* The account options of cfg (password cost, session length, tokens/bots switches). */
struct gr_auth_options;
void gr_cli__auth_options(const struct gr_config *cfg, struct gr_auth_options *out);

/* cli_hook_source.c: the native-source flags of `hook create` into h->source and
 * h->source_config; 0, or 1/2 after printing the problem. */
int gr_cli__hook_source(struct gr_cli_args *a, struct gr_hook *h);
/* Reads a whole file of at most max bytes (malloc'd, NUL-terminated); NULL with errno. */
char *gr_cli__read_file(const char *path, size_t max, size_t *len_out);
/* Reports msg, prints usage to stderr and returns 2 (the usage-error exit status). */
int gr_cli__usage_error(const struct gr_cli_args *a, const char *usage, const char *msg);
/* Copies src (NULL = leave dst alone) into dst[size]; false when it does not fit. */
bool gr_cli__copy(char *dst, size_t size, const char *src);


#endif
