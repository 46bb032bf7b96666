/* SPDX-License-Identifier: MIT */
/*
 * config.c - the table of griot's options, and everything that walks it to set, reset and
 * validate a struct gr_config (after Redis HEAD's config.c).
 *
 * Adding an option means adding a field to struct gr_config and one row here; the file reader,
 * the environment, gr_config_set, validation, `griot config --help`, `griot config show` and
 * docs/config.md (regenerated, see tests/unit/test_config.c) follow from the row. Defaults are
 * written as the strings a user would type and go through the same parser as user input, so a
 * default can never be something a user could not set.
 *
 * Values are parsed strictly (strtol/strtod with the whole string consumed, ranges checked) and
 * a failed set leaves the struct unchanged. Nothing here logs; errors go to the caller's buffer.
 */
#include "config/config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/config_int.h"
#include "core/xalloc.h"

#define OFF(f) offsetof(struct gr_config, f)

static const char *const log_levels[] = {"error", "warn", "info", "debug", NULL};
static const char *const over_limit_modes[] = {"queue", "reject", NULL};

/* clang-format off */
const struct gr_config__option gr_config__options[] = {
    /* server */
    {.name = "listen", .flag = "--listen", .env = "GRIOT_LISTEN", .type = GR_CONFIG__LIST,
     .off = OFF(listen), .count_off = OFF(nlisten), .max_items = GR_CONFIG_MAX_LISTEN,
     .def = "[::]:8065", .check = gr_config__check_listen,
     .help = "Addresses to listen on, as `ADDR:PORT`; IPv6 addresses go in brackets "
             "(`[::1]:8065`), port 0 picks a free port."},
    {.name = "data_dir", .flag = "--data", .env = "GRIOT_DATA", .type = GR_CONFIG__STRING,
     .off = OFF(data_dir), .def = "./griot-data", .check = gr_config__check_nonempty,
     .help = "Directory for griot's state, including the SQLite database unless `db_url` is set."},
    {.name = "db_url", .flag = "--db", .env = "GRIOT_DB", .type = GR_CONFIG__STRING,
     .off = OFF(db_url), .def_doc = "`sqlite:DATA_DIR/griot.db`", .check = gr_config__check_db_url,
     .flags = GR_CONFIG__NULLABLE,
     .help = "Store URL: `sqlite:PATH` or `postgres://...`. Empty means the SQLite file "
             "`griot.db` in `data_dir`."},
    {.name = "site_url", .flag = "--site-url", .env = "GRIOT_SITE_URL", .type = GR_CONFIG__STRING,
     .off = OFF(site_url), .def = "http://localhost:8065", .check = gr_config__check_url,
     .flags = GR_CONFIG__STRIP_SLASH,
     .help = "Public base URL of this server (`http://` or `https://`), used in the links and "
             "hook URLs griot hands out; a trailing `/` is removed."},
    {.name = "log_level", .env = "GRIOT_LOG_LEVEL", .type = GR_CONFIG__ENUM,
     .off = OFF(log_level), .def = "info", .choices = log_levels,
     .help = "Most verbose level of log line written to stderr."},
    {.name = "http_threads", .env = "GRIOT_HTTP_THREADS", .type = GR_CONFIG__INT,
     .off = OFF(http_threads), .def = "0", .min = 0, .max = 1024,
     .help = "HTTP worker threads; 0 means one per CPU."},
    {.name = "max_connections", .env = "GRIOT_MAX_CONNECTIONS", .type = GR_CONFIG__INT,
     .off = OFF(max_connections), .def = "12000", .min = 1, .max = 1000000,
     .help = "Most HTTP connections one HTTP thread keeps open at once (libmicrohttpd gives "
             "each thread its own share; griot gives each the whole number, bounded by the "
             "open-file limit); more are refused."},
    {.name = "connection_timeout", .env = "GRIOT_CONNECTION_TIMEOUT", .type = GR_CONFIG__INT,
     .off = OFF(connection_timeout), .def = "30", .min = 0, .max = 86400,
     .help = "Seconds an idle HTTP connection stays open; 0 means no timeout."},
    {.name = "developer_mode", .env = "GRIOT_DEVELOPER_MODE", .type = GR_CONFIG__BOOL,
     .off = OFF(developer_mode), .def = "false", .mm = "ServiceSettings.EnableDeveloper",
     .help = "Show `detailed_error` in API error bodies; when off it is always empty."},
    /* incoming webhooks */
    {.name = "enable_incoming_webhooks", .env = "GRIOT_ENABLE_INCOMING_WEBHOOKS",
     .type = GR_CONFIG__BOOL, .off = OFF(enable_incoming_webhooks), .def = "true",
     .mm = "ServiceSettings.EnableIncomingWebhooks",
     .help = "Accept posts on `/hooks/{id}`; when off they are answered with 501."},
    {.name = "enable_post_username_override", .env = "GRIOT_ENABLE_POST_USERNAME_OVERRIDE",
     .type = GR_CONFIG__BOOL, .off = OFF(enable_post_username_override), .def = "true",
     .mm = "ServiceSettings.EnablePostUsernameOverride",
     .help = "Let a webhook's `username` replace the displayed name "
             "(`props.override_username`). On by default, unlike Mattermost."},
    {.name = "enable_post_icon_override", .env = "GRIOT_ENABLE_POST_ICON_OVERRIDE",
     .type = GR_CONFIG__BOOL, .off = OFF(enable_post_icon_override), .def = "true",
     .mm = "ServiceSettings.EnablePostIconOverride",
     .help = "Let a webhook's `icon_url` / `icon_emoji` replace the displayed icon "
             "(`props.override_icon_url`, `props.override_icon_emoji`). On by default, unlike "
             "Mattermost."},
    {.name = "max_payload_size", .env = "GRIOT_MAX_PAYLOAD_SIZE", .type = GR_CONFIG__LONG,
     .off = OFF(max_payload_size), .def = "300000", .min = 1, .max = 1073741824,
     .mm = "ServiceSettings.MaximumPayloadSizeBytes",
     .help = "Largest request body, in bytes; larger bodies are answered with 413."},
    /* per-hook limiter */
    {.name = "hook_rate", .env = "GRIOT_HOOK_RATE", .type = GR_CONFIG__DOUBLE,
     .off = OFF(hook_rate), .def = "30", .min = 0, .max = 1000000,
     .help = "Sustained requests per second accepted for one incoming webhook; 0 means "
             "unlimited. A griot feature: Mattermost has no per-hook limit."},
    {.name = "hook_burst", .env = "GRIOT_HOOK_BURST", .type = GR_CONFIG__INT,
     .off = OFF(hook_burst), .def = "60", .min = 1, .max = 1000000,
     .help = "Requests one hook may send in a burst before `hook_rate` applies (the token "
             "bucket's size)."},
    {.name = "hook_over_limit", .env = "GRIOT_HOOK_OVER_LIMIT", .type = GR_CONFIG__ENUM,
     .off = OFF(hook_over_limit), .def = "queue", .choices = over_limit_modes,
     .help = "What happens to a request above the per-hook limit: `queue` accepts it and posts "
             "it later, `reject` answers 429 as Mattermost's rate limiter does."},
    {.name = "hook_queue_max", .env = "GRIOT_HOOK_QUEUE_MAX", .type = GR_CONFIG__INT,
     .off = OFF(hook_queue_max), .def = "10000", .min = 0, .max = 10000000,
     .help = "Most requests held for one hook under `queue`; requests beyond it are answered "
             "with 429. Must be at least 1 with `queue`."},
    {.name = "digest_threshold", .env = "GRIOT_DIGEST_THRESHOLD", .type = GR_CONFIG__INT,
     .off = OFF(digest_threshold), .def = "10", .min = 0, .max = 1000000,
     .help = "When more than this many messages wait for a hook, consecutive ones with the same "
             "target are posted as one digest; 0 means never (otherwise at least 2)."},
    /* global limiter */
    {.name = "rate_limit_enable", .env = "GRIOT_RATE_LIMIT_ENABLE", .type = GR_CONFIG__BOOL,
     .off = OFF(rate_limit_enable), .def = "false", .mm = "RateLimitSettings.Enable",
     .help = "Turn on the global HTTP rate limiter, which covers every endpoint."},
    {.name = "rate_limit_per_sec", .env = "GRIOT_RATE_LIMIT_PER_SEC", .type = GR_CONFIG__DOUBLE,
     .off = OFF(rate_limit_per_sec), .def = "10", .min = 0, .max = 1000000,
     .mm = "RateLimitSettings.PerSec",
     .help = "Sustained requests per second per key; must be above 0 when the limiter is on."},
    {.name = "rate_limit_max_burst", .env = "GRIOT_RATE_LIMIT_MAX_BURST", .type = GR_CONFIG__INT,
     .off = OFF(rate_limit_max_burst), .def = "100", .min = 0, .max = 1000000,
     .mm = "RateLimitSettings.MaxBurst",
     .help = "Requests allowed at once above the rate; `X-Ratelimit-Limit` reports this plus 1."},
    {.name = "rate_limit_memory_store_size", .env = "GRIOT_RATE_LIMIT_MEMORY_STORE_SIZE",
     .type = GR_CONFIG__INT, .off = OFF(rate_limit_memory_store_size), .def = "10000",
     .min = 1, .max = 10000000, .mm = "RateLimitSettings.MemoryStoreSize",
     .help = "Most keys tracked; the least recently used are forgotten."},
    {.name = "rate_limit_vary_by_remote_addr", .env = "GRIOT_RATE_LIMIT_VARY_BY_REMOTE_ADDR",
     .type = GR_CONFIG__BOOL, .off = OFF(rate_limit_vary_by_remote_addr), .def = "true",
     .mm = "RateLimitSettings.VaryByRemoteAddr",
     .help = "The key includes the client address (taken from `X-Forwarded-For` only when the "
             "peer is in `trusted_proxies`)."},
    {.name = "rate_limit_vary_by_user", .env = "GRIOT_RATE_LIMIT_VARY_BY_USER",
     .type = GR_CONFIG__BOOL, .off = OFF(rate_limit_vary_by_user), .def = "false",
     .mm = "RateLimitSettings.VaryByUser",
     .help = "The key is the request's auth token when it has one (else the address)."},
    {.name = "rate_limit_vary_by_header", .env = "GRIOT_RATE_LIMIT_VARY_BY_HEADER",
     .type = GR_CONFIG__STRING, .off = OFF(rate_limit_vary_by_header), .def = "",
     .check = gr_config__check_header_name, .mm = "RateLimitSettings.VaryByHeader",
     .help = "Name of a request header whose lowercased value is added to the key; empty "
             "means none."},
    {.name = "trusted_proxies", .env = "GRIOT_TRUSTED_PROXIES", .type = GR_CONFIG__LIST,
     .off = OFF(trusted_proxies), .count_off = OFF(ntrusted_proxies),
     .max_items = GR_CONFIG_MAX_TRUSTED_PROXIES, .check = gr_config__check_cidr,
     .help = "Networks (`10.0.0.0/8`, `::1/128`, or a single address) of reverse proxies whose "
             "`X-Forwarded-For` is believed; empty means the peer address is always used."},
    /* writer */
    {.name = "commit_batch_max", .env = "GRIOT_COMMIT_BATCH_MAX", .type = GR_CONFIG__INT,
     .off = OFF(commit_batch_max), .def = "512", .min = 1, .max = 100000,
     .help = "Most rows the store's writer commits in one transaction (group commit)."},
    /* accounts */
    {.name = "enable_user_access_tokens", .env = "GRIOT_ENABLE_USER_ACCESS_TOKENS",
     .type = GR_CONFIG__BOOL, .off = OFF(enable_user_access_tokens), .def = "true",
     .mm = "ServiceSettings.EnableUserAccessTokens",
     .help = "Allow personal access tokens (what bots log in with). When off, creating one "
             "over the API answers 501 and existing ones stop working, tokens made with "
             "`griot token create` and the bootstrap admin token included. On by default, "
             "unlike Mattermost."},
    {.name = "enable_bot_account_creation", .env = "GRIOT_ENABLE_BOT_ACCOUNT_CREATION",
     .type = GR_CONFIG__BOOL, .off = OFF(enable_bot_account_creation), .def = "true",
     .mm = "ServiceSettings.EnableBotAccountCreation",
     .help = "Allow creating bot accounts with `POST /api/v4/bots` (403 when off); "
             "`griot bot create` always works. On by default, unlike Mattermost."},
    {.name = "password_hash_time_cost", .env = "GRIOT_PASSWORD_HASH_TIME_COST",
     .type = GR_CONFIG__INT, .off = OFF(password_hash_time_cost), .def = "3", .min = 1,
     .max = 100,
     .help = "argon2id passes over memory when hashing a password. Applies to passwords set "
             "from now on; stored hashes keep their own cost."},
    {.name = "password_hash_memory_kib", .env = "GRIOT_PASSWORD_HASH_MEMORY_KIB",
     .type = GR_CONFIG__INT, .off = OFF(password_hash_memory_kib), .def = "65536", .min = 8,
     .max = 4194304,
     .help = "argon2id memory per password hash, in KiB (65536 = 64 MiB). Each login costs "
             "this much memory for a moment."},
    {.name = "session_length_hours", .env = "GRIOT_SESSION_LENGTH_HOURS", .type = GR_CONFIG__INT,
     .off = OFF(session_length_hours), .def = "720", .min = 1, .max = 87600,
     .mm = "ServiceSettings.SessionLengthWebInHours",
     .help = "How long a login session (`POST /api/v4/users/login`) stays valid, in hours."},
    /* integrations: outgoing webhooks, slash commands, interactive buttons */
    {.name = "enable_outgoing_webhooks", .env = "GRIOT_ENABLE_OUTGOING_WEBHOOKS",
     .type = GR_CONFIG__BOOL, .off = OFF(enable_outgoing_webhooks), .def = "true",
     .mm = "ServiceSettings.EnableOutgoingWebhooks",
     .help = "Call outgoing webhooks on trigger words; when off none fire and their "
             "management API answers 501."},
    {.name = "enable_commands", .env = "GRIOT_ENABLE_COMMANDS", .type = GR_CONFIG__BOOL,
     .off = OFF(enable_commands), .def = "true", .mm = "ServiceSettings.EnableCommands",
     .help = "Allow custom slash commands; when off their routes answer 501 (built-in "
             "commands such as `/echo` keep working)."},
    {.name = "outgoing_timeout", .flag = "--outgoing-timeout", .env = "GRIOT_OUTGOING_TIMEOUT",
     .type = GR_CONFIG__INT, .off = OFF(outgoing_timeout), .def = "30", .min = 1, .max = 3600,
     .mm = "ServiceSettings.OutgoingIntegrationRequestsTimeout",
     .help = "Seconds griot waits for an app it calls (outgoing webhook, slash command, button "
             "callback); also the lifetime of a `trigger_id`."},
    {.name = "allow_internal", .flag = "--allow-internal", .env = "GRIOT_ALLOW_INTERNAL",
     .type = GR_CONFIG__LIST, .off = OFF(allow_internal), .count_off = OFF(nallow_internal),
     .max_items = GR_CONFIG_MAX_ALLOW_INTERNAL, .check = gr_config__check_cidr,
     .mm = "ServiceSettings.AllowedUntrustedInternalConnections",
     .help = "Networks (`127.0.0.1/8`, `::1`, `10.0.0.0/8`) that griot may call although they "
             "are loopback, private or link-local. Empty (the default) refuses every such "
             "address, checked on the address actually connected, redirects included."},
    {.name = "outgoing_max_concurrency", .env = "GRIOT_OUTGOING_MAX_CONCURRENCY",
     .type = GR_CONFIG__INT, .off = OFF(outgoing_max_concurrency), .def = "64", .min = 1,
     .max = 10000,
     .help = "Most outbound requests in flight at once; more wait their turn."},
    {.name = "outgoing_max_response", .env = "GRIOT_OUTGOING_MAX_RESPONSE",
     .type = GR_CONFIG__LONG, .off = OFF(outgoing_max_response), .def = "1048576", .min = 1024,
     .max = 104857600,
     .help = "Largest response body griot reads from an app it calls, in bytes; a longer one "
             "counts as a failed call."},
    {.name = "outgoing_tls_verify", .env = "GRIOT_OUTGOING_TLS_VERIFY", .type = GR_CONFIG__BOOL,
     .off = OFF(outgoing_tls_verify), .def = "true",
     .mm = "ServiceSettings.EnableInsecureOutgoingConnections (inverted)",
     .help = "Verify the certificate and host name of https apps griot calls."},
};
/* clang-format on */

const size_t gr_config__noptions = sizeof(gr_config__options) / sizeof(gr_config__options[0]);

/* lists_replaced has one bit per option. */
_Static_assert(sizeof(gr_config__options) / sizeof(gr_config__options[0]) <= 64,
               "struct gr_config.lists_replaced needs more bits");

const struct gr_config__option *gr_config__find(const char *name)
{
    for (size_t i = 0; i < gr_config__noptions; i++) {
        if (strcmp(gr_config__options[i].name, name) == 0)
            return &gr_config__options[i];
    }
    return NULL;
}

const char *gr_config_option_name(size_t i)
{
    return i < gr_config__noptions ? gr_config__options[i].name : NULL;
}

/* Lowercases s into out without '_', '-', '.' and spaces, so "Site-URL" matches "site_url". */
static void squash(const char *s, char *out, size_t len)
{
    size_t n = 0;

    for (; *s != '\0' && n + 1 < len; s++) {
        if (*s != '_' && *s != '-' && *s != '.' && *s != ' ')
            out[n++] = (char)tolower((unsigned char)*s);
    }
    out[n] = '\0';
}

void gr_config__unknown(const char *name, char *err, size_t errlen)
{
    char want[128], have[128];
    const struct gr_config__option *o;
    const char *last;

    /* Someone coming from Mattermost writes its setting names; say what griot calls them. */
    for (o = gr_config__options; o < gr_config__options + gr_config__noptions; o++) {
        last = o->mm != NULL ? strrchr(o->mm, '.') : NULL;
        if (o->mm != NULL &&
            (strcasecmp(name, o->mm) == 0 || (last != NULL && strcasecmp(name, last + 1) == 0))) {
            snprintf(err, errlen, "unknown option '%s' (Mattermost's %s is '%s' in griot)", name,
                     o->mm, o->name);
            return;
        }
    }
    squash(name, want, sizeof(want));
    for (o = gr_config__options; o < gr_config__options + gr_config__noptions; o++) {
        squash(o->name, have, sizeof(have));
        if (strcmp(want, have) == 0) {
            snprintf(err, errlen, "unknown option '%s' (did you mean '%s'?)", name, o->name);
            return;
        }
    }
    snprintf(err, errlen, "unknown option '%s'", name);
}

void gr_config__format_double(double v, char *buf, size_t len)
{
    snprintf(buf, len, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, len, "%.17g", v);
}

/* Trims white space from [*b, *e). */
static void trim(const char **b, const char **e)
{
    while (*b < *e && isspace((unsigned char)**b))
        (*b)++;
    while (*e > *b && isspace((unsigned char)(*e)[-1]))
        (*e)--;
}

static gr_err bad_value(const struct gr_config__option *o, const char *what, const char *value,
                        char *err, size_t errlen)
{
    snprintf(err, errlen, "option '%s': expected %s, got '%.80s'", o->name, what, value);
    return GR_EINVAL;
}

gr_err gr_config__check_range(const struct gr_config__option *o, double v, const char *text,
                              char *err, size_t errlen)
{
    char num[32];

    if (v >= o->min && v <= o->max)
        return GR_OK;
    if (text == NULL) {
        gr_config__format_double(v, num, sizeof(num));
        text = num;
    }
    snprintf(err, errlen, "option '%s': %.40s is out of range (%.0f to %.0f)", o->name, text,
             o->min, o->max);
    return GR_EINVAL;
}

static gr_err set_bool(struct gr_config *c, const struct gr_config__option *o, const char *value,
                       char *err, size_t errlen)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    const char *b = value, *e = value + strlen(value);
    size_t len;

    trim(&b, &e);
    len = (size_t)(e - b);
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (len == strlen(yes[i]) && strncasecmp(b, yes[i], len) == 0) {
            *GR_CONFIG__FIELD(c, o, bool) = true;
            return GR_OK;
        }
        if (len == strlen(no[i]) && strncasecmp(b, no[i], len) == 0) {
            *GR_CONFIG__FIELD(c, o, bool) = false;
            return GR_OK;
        }
    }
    return bad_value(o, "true or false", value, err, errlen);
}

static gr_err set_number(struct gr_config *c, const struct gr_config__option *o, const char *value,
                         char *err, size_t errlen)
{
    const char *b = value, *e = value + strlen(value);
    char *end;
    double d;
    long l;
    gr_err rc;

    trim(&b, &e);
    if (b == e)
        return bad_value(o, "a number", value, err, errlen);
    errno = 0;
    if (o->type == GR_CONFIG__DOUBLE) {
        d = strtod(b, &end);
        if (end != e || !isfinite(d))
            return bad_value(o, "a number", value, err, errlen);
    } else {
        l = strtol(b, &end, 10);
        if (end != e)
            return bad_value(o, "a number", value, err, errlen);
        /* ERANGE leaves LONG_MIN/LONG_MAX, which the range check below rejects. */
        d = (double)l;
    }
    rc = gr_config__check_range(o, d, value, err, errlen);
    if (rc != GR_OK)
        return rc;
    if (o->type == GR_CONFIG__DOUBLE)
        *GR_CONFIG__FIELD(c, o, double) = d;
    else if (o->type == GR_CONFIG__LONG)
        *GR_CONFIG__FIELD(c, o, long) = (long)d;
    else
        *GR_CONFIG__FIELD(c, o, int) = (int)d;
    return GR_OK;
}

static void replace_string(struct gr_config *c, const struct gr_config__option *o, char *s)
{
    char **field = GR_CONFIG__FIELD(c, o, char *);

    free(*field);
    *field = s;
}

static gr_err set_enum(struct gr_config *c, const struct gr_config__option *o, const char *value,
                       char *err, size_t errlen)
{
    const char *b = value, *e = value + strlen(value);
    size_t len;
    char what[128];
    size_t n = 0;

    trim(&b, &e);
    len = (size_t)(e - b);
    for (const char *const *ch = o->choices; *ch != NULL; ch++) {
        if (len == strlen(*ch) && strncasecmp(b, *ch, len) == 0) {
            replace_string(c, o, gr_xstrdup(*ch));
            return GR_OK;
        }
    }
    what[0] = '\0';
    for (const char *const *ch = o->choices; *ch != NULL && n < sizeof(what); ch++)
        n += (size_t)snprintf(what + n, sizeof(what) - n, "%s%s", n ? ", " : "one of ", *ch);
    return bad_value(o, what, value, err, errlen);
}

/* Removes trailing '/' from a URL, but never the ones of "scheme://". */
static void strip_slash(char *s)
{
    const char *sep = strstr(s, "://");
    size_t keep = sep != NULL ? (size_t)(sep - s) + 3 : 0;
    size_t len = strlen(s);

    while (len > keep && s[len - 1] == '/')
        s[--len] = '\0';
}

static gr_err set_string(struct gr_config *c, const struct gr_config__option *o, const char *value,
                         char *err, size_t errlen)
{
    char *s = gr_xstrdup(value);
    char why[160];

    if (o->flags & GR_CONFIG__STRIP_SLASH)
        strip_slash(s);
    if (s[0] == '\0' && (o->flags & GR_CONFIG__NULLABLE)) {
        free(s);
        replace_string(c, o, NULL);
        return GR_OK;
    }
    if (o->check != NULL && o->check(s, why, sizeof(why)) != GR_OK) {
        snprintf(err, errlen, "option '%s': %s", o->name, why);
        free(s);
        return GR_EINVAL;
    }
    replace_string(c, o, s);
    return GR_OK;
}

/* Splits value at commas into items (trimmed, empty ones skipped), checks each, then replaces
 * or extends the list in one step so a bad item leaves the list as it was. */
static gr_err set_list(struct gr_config *c, const struct gr_config__option *o, const char *value,
                       enum gr_config__mode mode, char *err, size_t errlen)
{
    char **items = GR_CONFIG__FIELD(c, o, char *);
    size_t *count = GR_CONFIG__COUNT(c, o);
    char *fresh[64] = {NULL};
    size_t nfresh = 0, base = mode == GR_CONFIG__REPLACE ? 0 : *count;
    const char *p = value;
    char why[160];
    gr_err rc = GR_OK;

    assert(o->max_items <= sizeof(fresh) / sizeof(fresh[0]));
    while (*p != '\0') {
        const char *b = p, *e = strchr(p, ',');

        if (e == NULL)
            e = p + strlen(p);
        p = *e == ',' ? e + 1 : e;
        trim(&b, &e);
        if (b == e)
            continue;
        if (base + nfresh == o->max_items) {
            snprintf(err, errlen, "option '%s': at most %zu items are allowed", o->name,
                     o->max_items);
            rc = GR_EINVAL;
            goto out;
        }
        fresh[nfresh] = gr_xstrndup(b, (size_t)(e - b));
        if (o->check != NULL && o->check(fresh[nfresh], why, sizeof(why)) != GR_OK) {
            snprintf(err, errlen, "option '%s': %s", o->name, why);
            nfresh++;
            rc = GR_EINVAL;
            goto out;
        }
        nfresh++;
    }
    if (mode == GR_CONFIG__REPLACE) {
        for (size_t i = 0; i < *count; i++) {
            free(items[i]);
            items[i] = NULL;
        }
    }
    memcpy(items + base, fresh, nfresh * sizeof(fresh[0]));
    *count = base + nfresh;
    nfresh = 0;
out:
    for (size_t i = 0; i < nfresh; i++)
        free(fresh[i]);
    return rc;
}

gr_err gr_config__set_value(struct gr_config *c, const struct gr_config__option *o,
                            const char *value, enum gr_config__mode mode, char *err, size_t errlen)
{
    if (value == NULL)
        value = "";
    switch (o->type) {
    case GR_CONFIG__BOOL:
        return set_bool(c, o, value, err, errlen);
    case GR_CONFIG__INT:
    case GR_CONFIG__LONG:
    case GR_CONFIG__DOUBLE:
        return set_number(c, o, value, err, errlen);
    case GR_CONFIG__STRING:
        return set_string(c, o, value, err, errlen);
    case GR_CONFIG__ENUM:
        return set_enum(c, o, value, err, errlen);
    case GR_CONFIG__LIST:
        return set_list(c, o, value, mode, err, errlen);
    }
    return GR_EINVAL;
}

void gr_config_init(struct gr_config *c)
{
    char err[256];

    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < gr_config__noptions; i++) {
        const struct gr_config__option *o = &gr_config__options[i];
        gr_err rc;

        if (o->def == NULL)
            continue;
        rc = gr_config__set_value(c, o, o->def, GR_CONFIG__REPLACE, err, sizeof(err));
        /* The table's defaults are fixed; a bad one is a bug caught by the unit tests. */
        assert(rc == GR_OK);
        (void)rc;
    }
}

void gr_config_cleanup(struct gr_config *c)
{
    for (size_t i = 0; i < gr_config__noptions; i++) {
        const struct gr_config__option *o = &gr_config__options[i];

        if (o->type == GR_CONFIG__STRING || o->type == GR_CONFIG__ENUM) {
            free(*GR_CONFIG__FIELD(c, o, char *));
        } else if (o->type == GR_CONFIG__LIST) {
            for (size_t j = 0; j < *GR_CONFIG__COUNT(c, o); j++)
                free(GR_CONFIG__FIELD(c, o, char *)[j]);
        }
    }
    memset(c, 0, sizeof(*c));
}

gr_err gr_config_set(struct gr_config *c, const char *name, const char *value, char *errbuf,
                     size_t errlen)
{
    const struct gr_config__option *o = name != NULL ? gr_config__find(name) : NULL;
    uint64_t bit;
    gr_err rc;

    if (o == NULL) {
        gr_config__unknown(name != NULL ? name : "", errbuf, errlen);
        return GR_EINVAL;
    }
    bit = (uint64_t)1 << (o - gr_config__options);
    if (o->type != GR_CONFIG__LIST)
        return gr_config__set_value(c, o, value, GR_CONFIG__REPLACE, errbuf, errlen);
    rc = gr_config__set_value(c, o, value,
                              (c->lists_replaced & bit) ? GR_CONFIG__APPEND : GR_CONFIG__REPLACE,
                              errbuf, errlen);
    if (rc == GR_OK)
        c->lists_replaced |= bit;
    return rc;
}

/* Returns the value of variable name in env, or NULL. */
static const char *env_get(char **env, const char *name)
{
    size_t n = strlen(name);

    for (; *env != NULL; env++) {
        if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
            return *env + n + 1;
    }
    return NULL;
}

gr_err gr_config_apply_env(struct gr_config *c, char **env, char *errbuf, size_t errlen)
{
    char why[256];

    if (env == NULL)
        env = environ;
    for (size_t i = 0; i < gr_config__noptions; i++) {
        const struct gr_config__option *o = &gr_config__options[i];
        const char *v = env_get(env, o->env);

        /* An empty variable counts as unset (`GRIOT_DATA= griot serve --data d` must work, and
         * shells leave empty variables behind easily); for a list it empties the list. */
        if (v == NULL || (v[0] == '\0' && o->type != GR_CONFIG__LIST))
            continue;
        if (gr_config__set_value(c, o, v, GR_CONFIG__REPLACE, why, sizeof(why)) != GR_OK) {
            snprintf(errbuf, errlen, "environment variable %s: %s", o->env, why);
            return GR_EINVAL;
        }
    }
    return GR_OK;
}

char *gr_config_db_url(const struct gr_config *c)
{
    static const char prefix[] = "sqlite:", suffix[] = "/griot.db";
    const char *dir = c->data_dir != NULL ? c->data_dir : ".";
    size_t len = strlen(dir);
    char *url;

    if (c->db_url != NULL && c->db_url[0] != '\0')
        return gr_xstrdup(c->db_url);
    /* "dir/" and "dir" name the same directory; "/" becomes "sqlite:/griot.db". */
    while (len > 0 && dir[len - 1] == '/')
        len--;
    url = gr_xmalloc(sizeof(prefix) - 1 + len + sizeof(suffix));
    memcpy(url, prefix, sizeof(prefix) - 1);
    memcpy(url + sizeof(prefix) - 1, dir, len);
    memcpy(url + sizeof(prefix) - 1 + len, suffix, sizeof(suffix));
    return url;
}
