/* SPDX-License-Identifier: MIT */
/*
 * config_int.h - what the files of config/ share: the options table and the one setter that
 * every source (flags, environment, YAML file) goes through.
 *
 * config.c owns the table and the value parsers, config_yaml.c reads files, config_write.c
 * prints the table as Markdown and a configuration as YAML. Nothing outside config/ includes
 * this header.
 */
#ifndef GR_CONFIG_CONFIG_INT_H
#define GR_CONFIG_CONFIG_INT_H

#include <stddef.h>

#include "config/config.h"

enum gr_config__type {
    GR_CONFIG__BOOL,   /* bool */
    GR_CONFIG__INT,    /* int, range [min, max] */
    GR_CONFIG__LONG,   /* long, range [min, max] */
    GR_CONFIG__DOUBLE, /* double, finite, range [min, max] */
    GR_CONFIG__STRING, /* char *, checked by check */
    GR_CONFIG__ENUM,   /* char *, one of choices, stored in canonical spelling */
    GR_CONFIG__LIST,   /* char *[max_items] + size_t count, each item checked by check */
};

/* Checks one string value or list item; on failure writes why (without the option name). */
typedef gr_err (*gr_config__check_fn)(const char *value, char *err, size_t errlen);

#define GR_CONFIG__NULLABLE    0x1u /* string: "" is stored as NULL (= use the default rule) */
#define GR_CONFIG__STRIP_SLASH 0x2u /* string: trailing '/' removed before the check */

struct gr_config__option {
    const char *name; /* snake_case; the YAML key and the gr_config_set name */
    const char *flag; /* dedicated command-line flag, or NULL: only --set NAME=VALUE */
    const char *env;  /* environment variable */
    enum gr_config__type type;
    size_t off;                 /* offsetof the field in struct gr_config */
    size_t count_off;           /* lists: offsetof the item count */
    size_t max_items;           /* lists: capacity of the array */
    const char *def;            /* default, in the syntax gr_config_set accepts; NULL = none */
    const char *def_doc;        /* default as the docs show it, when def alone would mislead */
    double min, max;            /* numbers */
    const char *const *choices; /* enums: NULL-terminated */
    gr_config__check_fn check;  /* strings and list items; NULL = anything */
    unsigned flags;             /* GR_CONFIG__NULLABLE, GR_CONFIG__STRIP_SLASH */
    const char *mm;             /* Mattermost config.json equivalent, or NULL */
    const char *help;           /* one or two sentences, Markdown */
};

enum gr_config__mode {
    GR_CONFIG__REPLACE, /* lists: drop the current items first */
    GR_CONFIG__APPEND,  /* lists: add after the current items */
};

extern const struct gr_config__option gr_config__options[];
extern const size_t gr_config__noptions;

/* Returns the option called name, or NULL. */
const struct gr_config__option *gr_config__find(const char *name);

/* Writes "unknown option 'name'" plus a hint when name looks like an option or a Mattermost
 * setting ("did you mean 'site_url'?"). */
void gr_config__unknown(const char *name, char *err, size_t errlen);

/* Parses value for option o and stores it in c (see gr_config_set for the syntax). On failure
 * returns GR_EINVAL with "option 'x': ..." in err. */
gr_err gr_config__set_value(struct gr_config *c, const struct gr_config__option *o,
                            const char *value, enum gr_config__mode mode, char *err, size_t errlen);

/* Returns GR_OK if min <= v <= max for number option o, else GR_EINVAL with "option 'x': TEXT
 * is out of range (MIN to MAX)" in err; text is the value as the user wrote it, or NULL. */
gr_err gr_config__check_range(const struct gr_config__option *o, double v, const char *text,
                              char *err, size_t errlen);

/* Value checkers used by the table (config_check.c). */
gr_err gr_config__check_listen(const char *value, char *err, size_t errlen);
gr_err gr_config__check_cidr(const char *value, char *err, size_t errlen);
gr_err gr_config__check_url(const char *value, char *err, size_t errlen);
gr_err gr_config__check_db_url(const char *value, char *err, size_t errlen);
gr_err gr_config__check_header_name(const char *value, char *err, size_t errlen);
gr_err gr_config__check_nonempty(const char *value, char *err, size_t errlen);

/* Formats a double so that strtod gives the same value back ("30", "0.5"). */
void gr_config__format_double(double v, char *buf, size_t len);

/* Field access through the table's offsets. */
#define GR_CONFIG__AT(c, off)      ((void *)((char *)(c) + (off)))
#define GR_CONFIG__CAT(c, off)     ((const void *)((const char *)(c) + (off)))
#define GR_CONFIG__FIELD(c, o, T)  ((T *)GR_CONFIG__AT(c, (o)->off))
#define GR_CONFIG__CFIELD(c, o, T) ((T const *)GR_CONFIG__CAT(c, (o)->off))
#define GR_CONFIG__COUNT(c, o)     ((size_t *)GR_CONFIG__AT(c, (o)->count_off))
#define GR_CONFIG__CCOUNT(c, o)    ((const size_t *)GR_CONFIG__CAT(c, (o)->count_off))

#endif
