/* SPDX-License-Identifier: MIT */
/*
 * config_yaml.c - reads a griot configuration file with libyaml's event (parser) API.
 *
 * The file is one YAML mapping from option names to values, nothing deeper: a scalar for every
 * option, or a sequence of scalars for list options. Events are consumed one at a time, so each
 * value is still paired with its position and every error can say `FILE:LINE:` (lines counted
 * from 1), as h2o's configurators do. Values go through gr_config__set_value, the same parser
 * that flags and the environment use, so a value means the same thing wherever it is written.
 *
 * Anchors are ignored and aliases refused: a configuration file has no use for them, and
 * refusing them rules out alias-expansion blow-ups. A file is small and read once at startup.
 */
#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "config/config_int.h"

struct reader {
    yaml_parser_t parser;
    yaml_event_t ev; /* the current event, valid while have_ev */
    bool have_ev;
    FILE *f;
    const char *path;
    char *err;
    size_t errlen;
};

static gr_err fail(struct reader *r, const yaml_mark_t *m, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static gr_err fail(struct reader *r, const yaml_mark_t *m, const char *fmt, ...)
{
    int n = snprintf(r->err, r->errlen, "%s:%zu: ", r->path, m->line + 1);
    va_list ap;

    if (n >= 0 && (size_t)n < r->errlen) {
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return GR_EINVAL;
}

/* Replaces the current event with the next one. */
static gr_err next(struct reader *r)
{
    const yaml_parser_t *p = &r->parser;

    if (r->have_ev) {
        yaml_event_delete(&r->ev);
        r->have_ev = false;
    }
    if (yaml_parser_parse(&r->parser, &r->ev)) {
        r->have_ev = true;
        return GR_OK;
    }
    if (p->error == YAML_MEMORY_ERROR) {
        snprintf(r->err, r->errlen, "%s: out of memory", r->path);
        return GR_ENOMEM;
    }
    if (p->error == YAML_READER_ERROR && ferror(r->f)) {
        snprintf(r->err, r->errlen, "%s: read error", r->path);
        return GR_EIO;
    }
    if (p->context != NULL) {
        return fail(r, &p->problem_mark, "YAML syntax error: %s (%s)",
                    p->problem != NULL ? p->problem : "?", p->context);
    }
    return fail(r, &p->problem_mark, "YAML syntax error: %s",
                p->problem != NULL ? p->problem : "?");
}

/* Returns whether the current event is a plain scalar that YAML reads as null. */
static bool is_null(const yaml_event_t *ev)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    const char *v = (const char *)ev->data.scalar.value;

    if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
        if (strcmp(v, nulls[i]) == 0)
            return true;
    }
    return false;
}

/* Returns the current scalar's text, or NULL (after writing the error) if it holds a NUL. */
static const char *scalar(struct reader *r)
{
    const char *v = (const char *)r->ev.data.scalar.value;

    if (strlen(v) != r->ev.data.scalar.length) {
        fail(r, &r->ev.start_mark, "a NUL character is not allowed here");
        return NULL;
    }
    return is_null(&r->ev) ? "" : v;
}

/* Sets o from the current scalar event. */
static gr_err set_scalar(struct reader *r, struct gr_config *c, const struct gr_config__option *o,
                         enum gr_config__mode mode)
{
    const char *v = scalar(r);
    char why[256];

    if (v == NULL)
        return GR_EINVAL;
    if (gr_config__set_value(c, o, v, mode, why, sizeof(why)) != GR_OK)
        return fail(r, &r->ev.start_mark, "%s", why);
    return GR_OK;
}

/* Reads a sequence (its start is the current event) into list option o, replacing the list. */
static gr_err read_sequence(struct reader *r, struct gr_config *c,
                            const struct gr_config__option *o)
{
    char why[256];
    gr_err rc;

    if (o->type != GR_CONFIG__LIST)
        return fail(r, &r->ev.start_mark, "option '%s': expected one value, not a list", o->name);
    if (gr_config__set_value(c, o, "", GR_CONFIG__REPLACE, why, sizeof(why)) != GR_OK)
        return fail(r, &r->ev.start_mark, "%s", why);
    for (;;) {
        rc = next(r);
        if (rc != GR_OK)
            return rc;
        if (r->ev.type == YAML_SEQUENCE_END_EVENT)
            return GR_OK;
        if (r->ev.type != YAML_SCALAR_EVENT)
            return fail(r, &r->ev.start_mark, "option '%s': list items must be plain values",
                        o->name);
        rc = set_scalar(r, c, o, GR_CONFIG__APPEND);
        if (rc != GR_OK)
            return rc;
    }
}

/* Reads the value of option o, starting with the next event. */
static gr_err read_value(struct reader *r, struct gr_config *c, const struct gr_config__option *o)
{
    gr_err rc = next(r);

    if (rc != GR_OK)
        return rc;
    switch (r->ev.type) {
    case YAML_SCALAR_EVENT:
        return set_scalar(r, c, o, GR_CONFIG__REPLACE);
    case YAML_SEQUENCE_START_EVENT:
        return read_sequence(r, c, o);
    case YAML_ALIAS_EVENT:
        return fail(r, &r->ev.start_mark, "option '%s': YAML aliases are not supported", o->name);
    default:
        return fail(r, &r->ev.start_mark, "option '%s': expected a value, not a mapping", o->name);
    }
}

/* Reads the top-level mapping (its start is the current event) up to its end. */
static gr_err read_mapping(struct reader *r, struct gr_config *c)
{
    uint64_t seen = 0, bit;
    const struct gr_config__option *o;
    const char *key;
    char why[256];
    gr_err rc;

    for (;;) {
        rc = next(r);
        if (rc != GR_OK)
            return rc;
        if (r->ev.type == YAML_MAPPING_END_EVENT)
            return GR_OK;
        if (r->ev.type != YAML_SCALAR_EVENT)
            return fail(r, &r->ev.start_mark, "expected an option name");
        key = scalar(r);
        if (key == NULL)
            return GR_EINVAL;
        o = gr_config__find(key);
        if (o == NULL) {
            gr_config__unknown(key, why, sizeof(why));
            return fail(r, &r->ev.start_mark, "%s", why);
        }
        bit = (uint64_t)1 << (o - gr_config__options);
        if (seen & bit)
            return fail(r, &r->ev.start_mark, "option '%s' is given twice", o->name);
        seen |= bit;
        rc = read_value(r, c, o);
        if (rc != GR_OK)
            return rc;
    }
}

/* Reads the whole stream: nothing at all, or one document holding a mapping or null. */
static gr_err read_stream(struct reader *r, struct gr_config *c)
{
    gr_err rc = next(r); /* stream start */

    if (rc == GR_OK)
        rc = next(r);
    if (rc != GR_OK || r->ev.type == YAML_STREAM_END_EVENT) /* an empty file */
        return rc;
    rc = next(r); /* the document's content */
    if (rc != GR_OK)
        return rc;
    if (r->ev.type == YAML_MAPPING_START_EVENT)
        rc = read_mapping(r, c);
    else if (!is_null(&r->ev))
        rc = fail(r, &r->ev.start_mark, "expected a mapping of option names to values");
    if (rc == GR_OK)
        rc = next(r); /* document end */
    if (rc == GR_OK)
        rc = next(r);
    if (rc == GR_OK && r->ev.type != YAML_STREAM_END_EVENT)
        rc = fail(r, &r->ev.start_mark, "only one YAML document is allowed");
    return rc;
}

gr_err gr_config_load_file(struct gr_config *c, const char *path, char *errbuf, size_t errlen)
{
    struct reader r = {.path = path, .err = errbuf, .errlen = errlen};
    gr_err rc;

    r.f = fopen(path, "rb");
    if (r.f == NULL) {
        snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
        return GR_EIO;
    }
    if (!yaml_parser_initialize(&r.parser)) {
        snprintf(errbuf, errlen, "%s: out of memory", path);
        rc = GR_ENOMEM;
        goto out;
    }
    yaml_parser_set_input_file(&r.parser, r.f);
    rc = read_stream(&r, c);
    if (r.have_ev)
        yaml_event_delete(&r.ev);
    yaml_parser_delete(&r.parser);
out:
    fclose(r.f);
    return rc;
}
