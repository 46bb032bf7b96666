/* SPDX-License-Identifier: MIT */
/*
 * outbound.h - every HTTP request griot makes (outgoing webhooks, slash commands, button
 * callbacks, later relays to an upstream chat) goes through this one engine: one thread owns a
 * libcurl multi handle; any thread submits requests, which are copied and handed over through
 * a queue and curl_multi_wakeup, so no caller ever waits for the network.
 *
 * What it enforces for every request:
 *  - schemes http and https only, for the first URL and every redirect (at most 5 followed
 *    when the request asks for it);
 *  - the SSRF guard: the address actually being connected (after DNS, so rebinding, and after
 *    redirects) must not be loopback, private, link-local, CGNAT, unspecified, multicast or
 *    another reserved range - IPv4-mapped IPv6 (::ffff:127.0.0.1) counts as its IPv4 address -
 *    unless it falls in one of the allow-listed networks (`allow_internal`, Mattermost's
 *    AllowedUntrustedInternalConnections). A refused connection ends the request with
 *    GR_OUT_REFUSED;
 *  - a per-request timeout for the whole wait the caller sees: time queued for a free slot
 *    counts, then the transfer (connect, send, wait, read) gets what is left;
 *  - a response size limit (GR_OUT_TOOBIG past max_response bytes);
 *  - TLS verification unless switched off; connection reuse across requests;
 *  - at most max_concurrency transfers at once; more wait in FIFO order, at most 10 000
 *    (submit then answers GR_EAGAIN);
 *  - logs name an app by scheme://host:port only (paths and queries often carry secrets).
 *
 * Completion: done() is called exactly once per accepted request, on the engine thread, with a
 * response borrowed for the call. It must not block for long (it may read the store, submit a
 * writer job, resume an HTTP request, or submit another outbound request). Requests still
 * queued or in flight when the engine stops complete with GR_OUT_CLOSED.
 *
 * Durable, retried deliveries (the relay queue) are built on top: this engine does one attempt
 * and reports precisely what happened (result + status), the caller decides whether to retry.
 */
#ifndef GR_QUEUE_OUTBOUND_H
#define GR_QUEUE_OUTBOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/cidr.h"
#include "core/err.h"

enum gr_out_result {
    GR_OUT_OK = 0,  /* an HTTP response arrived (any status: the caller judges it) */
    GR_OUT_TIMEOUT, /* no complete response within the timeout */
    GR_OUT_REFUSED, /* refused before sending: bad URL or scheme, or the SSRF guard */
    GR_OUT_NETWORK, /* DNS, connect, TLS or protocol failure */
    GR_OUT_TOOBIG,  /* the response body exceeded max_response */
    GR_OUT_CLOSED,  /* the engine stopped before the request finished */
};

/* "ok", "timeout", "refused", "network", "too_big", "closed" (metrics labels, logs). */
const char *gr_out_result_name(enum gr_out_result r);

struct gr_out_response {
    enum gr_out_result result;
    long status;           /* HTTP status of the last response; 0 unless result is GR_OUT_OK */
    const char *content_type; /* Content-Type header value without parameters, lowercased;
                               * "" when absent */
    const char *body;      /* NUL-terminated (the NUL is not counted); "" when empty */
    size_t body_len;
    const char *error;     /* human-readable reason when result != GR_OUT_OK, else "" ; never
                            * contains the URL's query string or credentials */
    int64_t duration_ms;
};

typedef void (*gr_out_done_fn)(void *ud, const struct gr_out_response *resp);

struct gr_out_request {
    const char *method; /* "GET", "POST", "PUT", ... */
    const char *url;
    const char *const *headers; /* "Name: value" lines, copied */
    size_t nheaders;
    const char *body; /* copied; may be NULL when body_len is 0 */
    size_t body_len;
    int timeout_ms;        /* 0 = the engine's default */
    bool follow_redirects; /* up to 5, each one through the guard */
    gr_out_done_fn done;   /* required */
    void *ud;
};

struct gr_outbound_options {
    int timeout_ms;           /* default per-request timeout (OutgoingIntegrationRequestsTimeout) */
    size_t max_response;      /* response body limit in bytes */
    int max_concurrency;      /* transfers in flight at once */
    bool tls_verify;          /* verify peer certificate and host name */
    const struct gr_cidr *allow_internal; /* networks exempt from the SSRF guard (copied) */
    size_t nallow_internal;
    const char *user_agent;   /* e.g. "griot/0.1" (copied) */
};

struct gr_outbound;

/* Starts the engine thread. errbuf gets a reason on failure. */
gr_err gr_outbound_start(const struct gr_outbound_options *opt, struct gr_outbound **out,
                         char *errbuf, size_t errlen);
/* Queues a request (everything in req is copied). GR_OK: done will be called exactly once.
 * GR_ECLOSED when stopping has begun, GR_EAGAIN when 10 000 requests already wait, GR_EINVAL
 * for a missing method/url/done: done is then never called. */
gr_err gr_outbound_submit(struct gr_outbound *ob, const struct gr_out_request *req);
/* Requests queued or in flight right now. */
size_t gr_outbound_pending(struct gr_outbound *ob);
/* Stops calling out: pending requests complete with GR_OUT_CLOSED (on the calling thread or
 * the engine thread) and the thread is joined, but the object stays valid, so threads that
 * still hold it (a writer completion about to submit) get GR_ECLOSED instead of touching freed
 * memory. Idempotent; accepts NULL. */
void gr_outbound_shutdown(struct gr_outbound *ob);
/* gr_outbound_shutdown, then frees. Call once nobody can submit any more. Accepts NULL. */
void gr_outbound_stop(struct gr_outbound *ob);

/* The SSRF guard's rule alone (pure; exposed for tests): true when sa is an address the engine
 * refuses unless allow-listed (loopback, RFC 1918, link-local, CGNAT 100.64/10, 0.0.0.0/8,
 * multicast, broadcast, reserved, ::, ::1, fc00::/7, fe80::/10, ff00::/8, IPv4-mapped and
 * IPv4-compatible forms of those, NAT64 64:ff9b::/96 of those). */
bool gr_outbound_addr_internal(const struct sockaddr *sa);
/* True when sa falls in one of the networks. */
bool gr_outbound_addr_allowed(const struct sockaddr *sa, const struct gr_cidr *allow, size_t n);
/* sa as text for messages ("127.0.0.1", "::1"). */
void gr_outbound_addr_text(const struct sockaddr *sa, char *out, size_t len);

#endif
