/* SPDX-License-Identifier: MIT */
/*
 * config.h - griot's configuration: one struct, filled from defaults, a YAML file, GRIOT_*
 * environment variables and command-line flags, then validated once at startup.
 *
 * Every option is a row of one table in config.c (name, flag, environment variable, type,
 * default, range or validator, help text, Mattermost equivalent). That table drives the setters,
 * the file reader, the environment reader, validation, the Markdown reference (docs/config.md,
 * `griot config --help`) and the YAML dump (`griot config show`), so an option cannot exist in
 * one of them and be missing from another.
 *
 * Precedence is defaults < file < environment < flags. This module does not impose it: the
 * caller (cli/) runs gr_config_init, gr_config_load_file, gr_config_apply_env and then
 * gr_config_set for each flag, in that order, and finally gr_config_validate.
 *
 * Errors are returned as a gr_err and described in a caller-supplied buffer, always naming the
 * option and the offending value ("FILE:LINE: option 'hook_rate': expected a number, got 'x'").
 * Nothing here logs. A struct gr_config is read-only once validated and may be shared between
 * threads from then on; the setters are not thread-safe.
 */
#ifndef GR_CONFIG_CONFIG_H
#define GR_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

#define GR_CONFIG_MAX_LISTEN          8
#define GR_CONFIG_MAX_TRUSTED_PROXIES 32
#define GR_CONFIG_MAX_ALLOW_INTERNAL  32

/*
 * The effective configuration. Strings and list items are malloc'd and owned by the struct;
 * gr_config_cleanup frees them. Every string is non-NULL except db_url (NULL = the SQLite file
 * in data_dir, see gr_config_db_url). Code outside config/ should only read the fields.
 */
struct gr_config {
    /* server */
    char *listen[GR_CONFIG_MAX_LISTEN]; /* "ADDR:PORT"; IPv6 in brackets; default "[::]:8065" */
    size_t nlisten;
    char *data_dir;         /* default "./griot-data" */
    char *db_url;           /* NULL = "sqlite:<data_dir>/griot.db" (gr_config_db_url) */
    char *site_url;         /* http:// or https://, no trailing '/'; "http://localhost:8065" */
    char *log_level;        /* "error", "warn", "info" (default) or "debug" */
    int http_threads;       /* 0 = number of CPUs */
    int max_connections;    /* default 12000 */
    int connection_timeout; /* seconds, default 30; 0 = none */
    bool developer_mode;    /* Mattermost EnableDeveloper: show detailed_error; default false */
    /* incoming webhooks (Mattermost ServiceSettings knobs) */
    bool enable_incoming_webhooks;      /* default true */
    bool enable_post_username_override; /* default true (Mattermost: false) */
    bool enable_post_icon_override;     /* default true (Mattermost: false) */
    long max_payload_size;              /* bytes, default 300000 (MaximumPayloadSizeBytes) */
    /* per-hook limiter (griot's own feature) */
    double hook_rate;      /* sustained requests/s per hook, default 30; 0 = unlimited */
    int hook_burst;        /* token bucket size, default 60 */
    char *hook_over_limit; /* "queue" (default) or "reject" */
    int hook_queue_max;    /* default 10000 */
    int digest_threshold;  /* default 10; 0 = never merge a backlog into a digest */
    /* global limiter (Mattermost RateLimitSettings, off by default) */
    bool rate_limit_enable;                               /* false */
    double rate_limit_per_sec;                            /* 10 */
    int rate_limit_max_burst;                             /* 100 */
    int rate_limit_memory_store_size;                     /* 10000 */
    bool rate_limit_vary_by_remote_addr;                  /* true */
    bool rate_limit_vary_by_user;                         /* false */
    char *rate_limit_vary_by_header;                      /* "" = none */
    char *trusted_proxies[GR_CONFIG_MAX_TRUSTED_PROXIES]; /* CIDRs trusted for X-Forwarded-For */
    size_t ntrusted_proxies;                              /* default 0 */
    /* writer */
    int commit_batch_max; /* rows per group commit, default 512 */
    /* accounts: passwords, sessions, bots, personal access tokens */
    bool enable_user_access_tokens;   /* default true (Mattermost: false) */
    bool enable_bot_account_creation; /* default true (Mattermost: false) */
    int password_hash_time_cost;      /* argon2id passes, default 3 */
    int password_hash_memory_kib;     /* argon2id memory in KiB, default 65536 */
    int session_length_hours;         /* login sessions last this long, default 720 (30 days) */
    /* integrations: outgoing webhooks, slash commands, buttons (the outbound HTTP engine) */
    bool enable_outgoing_webhooks;                     /* default true */
    bool enable_commands;                              /* default true */
    int outgoing_timeout;                              /* seconds, default 30 */
    char *allow_internal[GR_CONFIG_MAX_ALLOW_INTERNAL]; /* CIDRs exempt from the SSRF guard */
    size_t nallow_internal;                            /* default 0 */
    int outgoing_max_concurrency;                      /* default 64 */
    long outgoing_max_response;                        /* bytes, default 1048576 */
    bool outgoing_tls_verify;                          /* default true */

    /* Private to config.c: bit i is set once gr_config_set has replaced list option i, so
     * later gr_config_set calls for it append. */
    uint64_t lists_replaced;
};

/* Fills c with the defaults. c need not be initialised; it must be released with
 * gr_config_cleanup. Aborts only if memory runs out. */
void gr_config_init(struct gr_config *c);

/* Frees everything c owns and zeroes it. Accepts a zeroed struct; safe to call twice. */
void gr_config_cleanup(struct gr_config *c);

/*
 * Reads the YAML file at path: one mapping from option names (snake_case, as in the struct) to
 * scalar values; list options take a YAML sequence or a comma-separated string, and replace the
 * list as a whole. An empty file, or one with only comments, sets nothing. Null values (`~`,
 * `null`, nothing) mean the empty string. On error writes "PATH:LINE: message" to errbuf and
 * returns GR_EIO (the file cannot be opened or read) or GR_EINVAL (bad YAML, unknown option,
 * option given twice, bad value); c may then be partly updated but is still safe to clean up.
 */
gr_err gr_config_load_file(struct gr_config *c, const char *path, char *errbuf, size_t errlen);

/*
 * Applies GRIOT_* variables from env, an envp-style NULL-terminated array of "NAME=VALUE"
 * strings (NULL means the process environment). Each option has one variable, listed in the
 * table (GRIOT_DATA, GRIOT_DB, GRIOT_SITE_URL, GRIOT_LISTEN, else GRIOT_<UPPER(name)>). List
 * variables are comma-separated and replace the list (an empty one empties it); any other
 * empty variable counts as unset.
 * Other GRIOT_* variables (GRIOT_CONFIG, test switches) are ignored. On error returns
 * GR_EINVAL and names the variable in errbuf.
 */
gr_err gr_config_apply_env(struct gr_config *c, char **env, char *errbuf, size_t errlen);

/*
 * Sets option name from the string value, as a flag does. Booleans accept true/false, yes/no,
 * on/off, 1/0 (any case); numbers are decimal and range-checked; site_url loses trailing '/';
 * an empty db_url means the default. For a list option the first call on c replaces the list
 * (whatever the default, file or environment put there) and later calls append; value may hold
 * several comma-separated items. NULL value is treated as "". Returns GR_EINVAL, with the option
 * and the bad value named in errbuf, for an unknown option or a bad value; c is then unchanged.
 */
gr_err gr_config_set(struct gr_config *c, const char *name, const char *value, char *errbuf,
                     size_t errlen);

/*
 * Checks every option's value again (so fields assigned directly are covered too) and the
 * rules that involve several options. Returns GR_OK, or GR_EINVAL with the first problem
 * ("option 'x': ...") in errbuf.
 */
gr_err gr_config_validate(const struct gr_config *c, char *errbuf, size_t errlen);

/* Returns the effective store URL: db_url when set, else "sqlite:" + data_dir + "/griot.db".
 * The string is malloc'd and the caller's; never NULL (aborts if memory runs out). */
char *gr_config_db_url(const struct gr_config *c);

/*
 * Splits a listen item ("[::1]:8065", "127.0.0.1:0", "example.org:80") into host (brackets
 * removed) and port. host_out receives a NUL-terminated string of at most hostlen - 1 bytes.
 * Returns GR_EINVAL if the item is malformed or the host does not fit.
 */
gr_err gr_config_listen_split(const char *item, char *host_out, size_t hostlen, int *port_out);

/* Returns the name of option i in table order, or NULL when i is past the last option. */
const char *gr_config_option_name(size_t i);

/* Writes the options table as a Markdown table (option, flag, environment variable, type,
 * default, description); docs/config.md embeds exactly this text. */
void gr_config_write_markdown(FILE *f);

/* Writes c as a YAML file that gr_config_load_file reads back to the same configuration. */
void gr_config_write_yaml(const struct gr_config *c, FILE *f);

#endif
