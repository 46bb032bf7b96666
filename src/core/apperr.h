/* SPDX-License-Identifier: MIT */
/*
 * apperr.h - a Mattermost AppError in the making (spec mattermost-compat §0.3).
 *
 * Domain code fills one of these when it refuses a request; the HTTP layer turns it into the
 * JSON body {id, message, detailed_error, request_id, status_code} with the same HTTP status.
 * `id` is a static string (the stable machine id clients branch on); `message` is English text.
 */
#ifndef GR_CORE_APPERR_H
#define GR_CORE_APPERR_H

struct gr_apperr {
    int status;        /* HTTP status, e.g. 400 */
    const char *id;    /* e.g. "web.incoming_webhook.text.app_error"; static storage */
    char message[256]; /* English message */
    char detail[256];  /* detailed_error; shown only in developer mode */
};

/* Sets all fields; message is a printf format. Returns status so callers can `return` it. */
int gr_apperr_set(struct gr_apperr *e, int status, const char *id, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

#endif
