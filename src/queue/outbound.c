/* SPDX-License-Identifier: MIT */
/*
 * outbound.c - the outbound HTTP engine (see outbound.h and docs/internals/OUTBOUND.md).
 *
 * Threads: submitters copy a request into a job, append it to the FIFO under ob->mu and call
 * curl_multi_wakeup (under the same mutex, so the multi handle cannot be freed by a stop that
 * races with the wake-up). Everything else - the multi handle's transfers, the list of active
 * jobs, every done() call - belongs to the one engine thread. The mutex is never held while
 * done() runs, so done() may submit again.
 *
 * One loop iteration: take as many queued jobs as max_concurrency allows, give each an easy
 * handle (or finish it at once when its URL was refused at submit), curl_multi_perform, reap
 * finished transfers, then curl_multi_poll until a socket is ready, curl's own timer fires, or
 * a submitter wakes us.
 *
 * The SSRF guard sits in CURLOPT_OPENSOCKETFUNCTION (the address rule is in guard.c): curl calls it with the resolved address of
 * every connection it opens (each happy-eyeballs attempt, each redirect hop), so a name that
 * resolves to an internal address, a DNS-rebinding answer and a redirect to 127.0.0.1 are all
 * judged on the address itself. Reused connections were judged when they were opened.
 */
#include "queue/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"

#define MOD          "outbound"
#define MAX_REDIRS   5L
#define POLL_MS      1000
#define DEF_TIMEOUT  30000
#define DEF_MAXRESP  (1024 * 1024)
#define SAFE_URL_MAX 512
#define CTYPE_MAX    128
#define REASON_MAX   160
#define QUEUE_MAX    10000 /* requests waiting for a slot; more are refused (GR_EAGAIN) */

struct job {
    struct job *next, *prev; /* FIFO (next only), then the engine's active list */
    struct gr_outbound *ob;
    char *method;
    CURLU *url;                  /* parsed at submit; NULL when refused */
    char safe_url[SAFE_URL_MAX]; /* scheme://host:port/path, for logs only */
    struct curl_slist *headers;
    char *body;
    size_t body_len;
    int timeout_ms;
    bool follow;
    gr_out_done_fn done;
    void *ud;
    int64_t submit_ns;
    int64_t deadline_ns; /* submit + timeout: queueing counts against the timeout */

    /* Transfer state (engine thread). */
    CURL *easy;
    struct gr_buf resp;
    bool toobig;
    bool refused;            /* the guard refused a connection of this transfer */
    char reason[REASON_MAX]; /* set at submit (bad request) or by the guard */
    char errbuf[CURL_ERROR_SIZE];
};

struct gr_outbound {
    pthread_t thread;
    CURLM *multi;

    /* Copied options (read-only after start). */
    int timeout_ms;
    size_t max_response;
    size_t max_concurrency;
    bool tls_verify;
    struct gr_cidr *allow;
    size_t nallow;
    char *user_agent;

    pthread_mutex_t mu; /* guards the fields below */
    struct job *qhead, *qtail;
    size_t nqueued;
    size_t ninflight; /* taken by the engine, done() not yet returned */
    bool stopping;

    struct job *active; /* engine thread only: jobs holding an easy handle in the multi */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

const char *gr_out_result_name(enum gr_out_result r)
{
    switch (r) {
    case GR_OUT_OK:
        return "ok";
    case GR_OUT_TIMEOUT:
        return "timeout";
    case GR_OUT_REFUSED:
        return "refused";
    case GR_OUT_NETWORK:
        return "network";
    case GR_OUT_TOOBIG:
        return "too_big";
    case GR_OUT_CLOSED:
        return "closed";
    }
    return "unknown";
}

/* ---- curl callbacks (engine thread) ----------------------------------------------------- */

static curl_socket_t on_opensocket(void *clientp, curlsocktype purpose, struct curl_sockaddr *ca)
{
    struct job *j = clientp;
    struct gr_outbound *ob = j->ob;
    struct sockaddr_storage ss;
    char ip[INET6_ADDRSTRLEN + 16];

    /* Only plain outgoing connections exist for http(s); refuse anything else outright. */
    if (purpose != CURLSOCKTYPE_IPCXN || ca->addrlen > sizeof ss ||
        (ca->family != AF_INET && ca->family != AF_INET6)) {
        j->refused = true;
        snprintf(j->reason, sizeof j->reason, "connection kind not allowed");
        return CURL_SOCKET_BAD;
    }
    /* curl's struct ends in a struct sockaddr but the storage behind it is as long as addrlen:
     * copy into storage of the right size before looking at it. */
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, &ca->addr, ca->addrlen);
    if (gr_outbound_addr_internal((struct sockaddr *)&ss) &&
        !gr_outbound_addr_allowed((struct sockaddr *)&ss, ob->allow, ob->nallow)) {
        gr_outbound_addr_text((struct sockaddr *)&ss, ip, sizeof ip);
        j->refused = true;
        snprintf(j->reason, sizeof j->reason, "address %s is internal and not in allow_internal",
                 ip);
        gr_log_warn(MOD, "refused %s: %s", j->safe_url, j->reason);
        return CURL_SOCKET_BAD;
    }
    return socket(ca->family, ca->socktype | SOCK_CLOEXEC, ca->protocol);
}

static size_t on_write(char *p, size_t size, size_t n, void *ud)
{
    struct job *j = ud;
    size_t len = size * n;
    gr_err rc = gr_buf_append(&j->resp, p, len);

    if (rc == GR_ETOOBIG)
        j->toobig = true;
    /* Returning less than len makes curl abort the transfer with CURLE_WRITE_ERROR. */
    return rc == GR_OK ? len : 0;
}

/* ---- jobs ------------------------------------------------------------------------------- */

static bool token_ok(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s <= ' ' || *s >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *s))
            return false;
    return true;
}

/* Parses and checks the URL, and fills j->safe_url. On refusal j->url stays NULL and j->reason
 * says why (without echoing the URL, which may carry a token in its query). */
static void job_parse_url(struct job *j, const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;

    if (u == NULL) {
        snprintf(j->reason, sizeof j->reason, "out of memory");
        return;
    }
    /* No scheme guessing: "example.com/x" is a configuration mistake, not http. */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        snprintf(j->reason, sizeof j->reason, "invalid URL");
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        snprintf(j->reason, sizeof j->reason, "only http and https URLs are allowed");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0') {
        snprintf(j->reason, sizeof j->reason, "invalid URL: no host");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        snprintf(j->reason, sizeof j->reason, "invalid URL");
        goto out;
    }
    /* Logs name the app by scheme, host and port only: paths often carry a secret
     * (/services/T/B/<token>, /hooks/<id>). */
    snprintf(j->safe_url, sizeof j->safe_url, "%s://%s:%s", scheme, host, port);
    j->url = u;
    u = NULL;
out:
    if (j->url == NULL && scheme != NULL && host != NULL)
        snprintf(j->safe_url, sizeof j->safe_url, "%s://%s", scheme, host);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
}

static void job_free(struct job *j)
{
    if (j->easy)
        curl_easy_cleanup(j->easy);
    curl_url_cleanup(j->url);
    curl_slist_free_all(j->headers);
    gr_buf_cleanup(&j->resp);
    free(j->method);
    free(j->body);
    free(j);
}

static struct job *job_new(struct gr_outbound *ob, const struct gr_out_request *req)
{
    struct job *j = gr_xcalloc(1, sizeof *j);

    j->ob = ob;
    j->submit_ns = gr_time_mono_ns();
    j->method = gr_xstrdup(req->method);
    j->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : ob->timeout_ms;
    j->deadline_ns = j->submit_ns + (int64_t)j->timeout_ms * 1000000;
    j->follow = req->follow_redirects;
    j->done = req->done;
    j->ud = req->ud;
    snprintf(j->safe_url, sizeof j->safe_url, "(invalid URL)");
    gr_buf_init(&j->resp, ob->max_response);
    j->body_len = req->body_len;
    j->body = gr_xmalloc(req->body_len + 1);
    if (req->body_len)
        memcpy(j->body, req->body, req->body_len);
    j->body[req->body_len] = '\0';

    job_parse_url(j, req->url);
    if (j->url == NULL)
        return j;
    if (!token_ok(j->method)) {
        snprintf(j->reason, sizeof j->reason, "invalid method");
        goto refuse;
    }
    for (size_t i = 0; i < req->nheaders; i++) {
        const char *h = req->headers[i];
        struct curl_slist *l;

        /* A CR or LF would let a value smuggle extra header lines into the request. */
        if (h == NULL || strpbrk(h, "\r\n") != NULL || strchr(h, ':') == NULL) {
            snprintf(j->reason, sizeof j->reason, "invalid header line");
            goto refuse;
        }
        l = curl_slist_append(j->headers, h);
        if (l == NULL)
            abort(); /* out of memory, like xalloc */
        j->headers = l;
    }
    /* "Expect: 100-continue" would cost a round trip (or a one-second stall with apps that
     * ignore it) for larger bodies; an empty value stops curl from adding it. */
    {
        struct curl_slist *l = curl_slist_append(j->headers, "Expect:");
        if (l == NULL)
            abort();
        j->headers = l;
    }
    return j;
refuse:
    curl_url_cleanup(j->url);
    j->url = NULL;
    return j;
}

/* ---- completion ------------------------------------------------------------------------- */

/* Copies the media type of a Content-Type value: no parameters, no blanks, lowercase. */
static void media_type(const char *v, char *out, size_t len)
{
    size_t n = 0;

    if (v == NULL)
        v = "";
    while (*v == ' ' || *v == '\t')
        v++;
    for (; *v && *v != ';' && n + 1 < len; v++) {
        char c = *v;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[n++] = c;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
}

/* curl's message, unless it might quote the URL's query or credentials (curl's messages name
 * hosts, not URLs, but a redirect target is not ours to check). */
static const char *safe_curl_error(const struct job *j, CURLcode cc)
{
    if (j->errbuf[0] == '\0' || strpbrk(j->errbuf, "?@") != NULL)
        return curl_easy_strerror(cc);
    return j->errbuf;
}

/* Calls done() and frees the job. The job is no longer in the queue or the active list. */
static void job_finish(struct gr_outbound *ob, struct job *j, enum gr_out_result r, long status,
                       const char *ctype, const char *error)
{
    struct gr_out_response resp = {
            .result = r,
            .status = r == GR_OUT_OK ? status : 0,
            .content_type = ctype ? ctype : "",
            .body = r == GR_OUT_OK ? gr_buf_str(&j->resp) : "",
            .body_len = r == GR_OUT_OK ? j->resp.len : 0,
            .error = r == GR_OUT_OK ? "" : (error ? error : ""),
            .duration_ms = (gr_time_mono_ns() - j->submit_ns) / 1000000,
    };

    if (r == GR_OUT_OK)
        gr_log_debug(MOD, "%s %s -> %ld in %lld ms, %zu bytes", j->method, j->safe_url, status,
                     (long long)resp.duration_ms, resp.body_len);
    else
        gr_log_debug(MOD, "%s %s -> %s in %lld ms: %s", j->method, j->safe_url,
                     gr_out_result_name(r), (long long)resp.duration_ms, resp.error);
    j->done(j->ud, &resp);
    /* Counted as in flight until done() returns, so pending() never reads 0 while a callback
     * is still running. */
    pthread_mutex_lock(&ob->mu);
    ob->ninflight--;
    pthread_mutex_unlock(&ob->mu);
    job_free(j);
}

static void active_unlink(struct gr_outbound *ob, struct job *j)
{
    if (j->prev)
        j->prev->next = j->next;
    else
        ob->active = j->next;
    if (j->next)
        j->next->prev = j->prev;
    j->next = j->prev = NULL;
}

static void transfer_done(struct gr_outbound *ob, struct job *j, CURLcode cc)
{
    char ctype[CTYPE_MAX] = "";
    char error[REASON_MAX + CURL_ERROR_SIZE];
    enum gr_out_result r;
    long status = 0;

    active_unlink(ob, j);
    curl_multi_remove_handle(ob->multi, j->easy);
    if (j->toobig || cc == CURLE_FILESIZE_EXCEEDED) {
        r = GR_OUT_TOOBIG;
        snprintf(error, sizeof error, "response body larger than %zu bytes", ob->max_response);
    } else if (cc == CURLE_OK) {
        char *ct = NULL;
        r = GR_OUT_OK;
        curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ct);
        media_type(ct, ctype, sizeof ctype);
        error[0] = '\0';
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        r = GR_OUT_TIMEOUT;
        snprintf(error, sizeof error, "no complete response within %d ms", j->timeout_ms);
    } else if (j->refused && cc == CURLE_COULDNT_CONNECT) {
        /* Every address was refused by the guard (curl then reports "couldn't connect"); any
         * other error after a refused address is an ordinary network failure. */
        r = GR_OUT_REFUSED;
        snprintf(error, sizeof error, "%s", j->reason);
    } else {
        r = GR_OUT_NETWORK;
        snprintf(error, sizeof error, "%s", safe_curl_error(j, cc));
    }
    job_finish(ob, j, r, status, ctype, error);
}

/* Gives the job an easy handle and adds it to the multi, or finishes it. */
static void transfer_begin(struct gr_outbound *ob, struct job *j)
{
    CURL *e;
    bool bad = false;

    long left_ms = (long)((j->deadline_ns - gr_time_mono_ns()) / 1000000);

    if (j->url == NULL) {
        job_finish(ob, j, GR_OUT_REFUSED, 0, NULL, j->reason);
        return;
    }
    /* The timeout covers the whole wait the caller sees, queueing included: a slow app that
     * holds every slot must not make later calls (a slash command, a click) wait longer. */
    if (left_ms <= 0) {
        char why[REASON_MAX];
        snprintf(why, sizeof why, "no free slot within %d ms (every slot busy)", j->timeout_ms);
        job_finish(ob, j, GR_OUT_TIMEOUT, 0, NULL, why);
        return;
    }
    e = curl_easy_init();
    if (e == NULL) {
        job_finish(ob, j, GR_OUT_NETWORK, 0, NULL, "libcurl could not create a handle");
        return;
    }
    j->easy = e;
#define SET(opt, val) bad |= curl_easy_setopt(e, opt, val) != CURLE_OK
    SET(CURLOPT_PRIVATE, j);
    SET(CURLOPT_CURLU, j->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, j->follow ? 1L : 0L);
    SET(CURLOPT_MAXREDIRS, MAX_REDIRS);
    SET(CURLOPT_TIMEOUT_MS, left_ms);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_OPENSOCKETFUNCTION, on_opensocket);
    SET(CURLOPT_OPENSOCKETDATA, j);
    SET(CURLOPT_WRITEFUNCTION, on_write);
    SET(CURLOPT_WRITEDATA, j);
    SET(CURLOPT_ERRORBUFFER, j->errbuf);
    /* A Content-Length over the limit fails before the body is read. */
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ob->max_response);
    /* No proxies from the environment: the guard must see the real destination. */
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_SSL_VERIFYPEER, ob->tls_verify ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, ob->tls_verify ? 2L : 0L);
    if (ob->user_agent)
        SET(CURLOPT_USERAGENT, ob->user_agent);
    SET(CURLOPT_HTTPHEADER, j->headers);
    if (strcmp(j->method, "GET") == 0 && j->body_len == 0) {
        SET(CURLOPT_HTTPGET, 1L);
    } else if (strcmp(j->method, "HEAD") == 0 && j->body_len == 0) {
        SET(CURLOPT_NOBODY, 1L);
    } else {
        /* POST sends the body; a 301/302/303 then turns into a GET like browsers and
         * Mattermost's Go client do. Any other method keeps its name throughout. */
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
        SET(CURLOPT_POSTFIELDS, j->body);
        if (strcmp(j->method, "POST") != 0)
            SET(CURLOPT_CUSTOMREQUEST, j->method);
    }
#undef SET
    if (bad) {
        job_finish(ob, j, GR_OUT_NETWORK, 0, NULL, "libcurl refused a transfer option");
        return;
    }
    if (curl_multi_add_handle(ob->multi, e) != CURLM_OK) {
        job_finish(ob, j, GR_OUT_NETWORK, 0, NULL, "libcurl could not start the transfer");
        return;
    }
    j->prev = NULL;
    j->next = ob->active;
    if (ob->active)
        ob->active->prev = j;
    ob->active = j;
}

static void reap(struct gr_outbound *ob)
{
    CURLMsg *m;
    int left;

    while ((m = curl_multi_info_read(ob->multi, &left)) != NULL) {
        void *p = NULL;
        CURLcode cc;

        if (m->msg != CURLMSG_DONE)
            continue;
        cc = m->data.result; /* m is invalid once the handle is removed */
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &p);
        transfer_done(ob, p, cc);
    }
}

/* ---- the engine thread ------------------------------------------------------------------ */

/* Under ob->mu: moves the queued jobs whose deadline passed to *tail (they count as in flight
 * from here until their done() returns). */
static void take_expired(struct gr_outbound *ob, struct job ***tail)
{
    int64_t now = gr_time_mono_ns();
    struct job **pp = &ob->qhead, *prev = NULL;

    while (*pp != NULL) {
        struct job *j = *pp;
        if (j->deadline_ns > now) {
            prev = j;
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        if (ob->qtail == j)
            ob->qtail = prev;
        ob->nqueued--;
        ob->ninflight++;
        j->next = NULL;
        **tail = j;
        *tail = &j->next;
    }
}

static void *engine_main(void *arg)
{
    struct gr_outbound *ob = arg;
    struct job *batch, *j;
    int running;

    for (;;) {
        struct job **tail = &batch;
        bool stopping, more;

        pthread_mutex_lock(&ob->mu);
        stopping = ob->stopping;
        /* Requests whose time ran out while every slot was busy end now, not when a slot
         * frees (transfer_begin finishes them as timed out). */
        if (!stopping)
            take_expired(ob, &tail);
        while (!stopping && ob->qhead != NULL && ob->ninflight < ob->max_concurrency) {
            j = ob->qhead;
            ob->qhead = j->next;
            if (ob->qhead == NULL)
                ob->qtail = NULL;
            ob->nqueued--;
            ob->ninflight++;
            *tail = j;
            tail = &j->next;
        }
        *tail = NULL;
        pthread_mutex_unlock(&ob->mu);
        if (stopping)
            break;
        while ((j = batch) != NULL) {
            batch = j->next;
            j->next = NULL;
            transfer_begin(ob, j); /* may call done() at once */
        }
        curl_multi_perform(ob->multi, &running);
        reap(ob);
        /* Finished transfers freed slots for jobs still queued: start them now rather than
         * after the next socket event (their wake-up was already consumed). */
        pthread_mutex_lock(&ob->mu);
        more = ob->qhead != NULL && ob->ninflight < ob->max_concurrency;
        pthread_mutex_unlock(&ob->mu);
        if (!more)
            curl_multi_poll(ob->multi, NULL, 0, POLL_MS, NULL);
    }

    /* Stopping: no submit succeeds any more, so the queue only shrinks. */
    while ((j = ob->active) != NULL) {
        active_unlink(ob, j);
        curl_multi_remove_handle(ob->multi, j->easy);
        job_finish(ob, j, GR_OUT_CLOSED, 0, NULL, "the outbound engine stopped");
    }
    pthread_mutex_lock(&ob->mu);
    batch = ob->qhead;
    ob->qhead = ob->qtail = NULL;
    ob->ninflight += ob->nqueued;
    ob->nqueued = 0;
    pthread_mutex_unlock(&ob->mu);
    while ((j = batch) != NULL) {
        batch = j->next;
        job_finish(ob, j, GR_OUT_CLOSED, 0, NULL, "the outbound engine stopped");
    }
    return NULL;
}

/* ---- public API ------------------------------------------------------------------------- */

gr_err gr_outbound_start(const struct gr_outbound_options *opt, struct gr_outbound **out,
                         char *errbuf, size_t errlen)
{
    struct gr_outbound *ob;
    int rc;

    *out = NULL;
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) {
        snprintf(errbuf, errlen, "libcurl initialisation failed: %s",
                 curl_easy_strerror(global_rc));
        return GR_EIO;
    }
    ob = gr_xcalloc(1, sizeof *ob);
    ob->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : DEF_TIMEOUT;
    ob->max_response = opt->max_response > 0 ? opt->max_response : DEF_MAXRESP;
    ob->max_concurrency = opt->max_concurrency > 0 ? (size_t)opt->max_concurrency : 1;
    ob->tls_verify = opt->tls_verify;
    ob->user_agent = gr_xstrdup(opt->user_agent);
    if (opt->nallow_internal > 0) {
        ob->nallow = opt->nallow_internal;
        ob->allow = gr_xcalloc(ob->nallow, sizeof *ob->allow);
        memcpy(ob->allow, opt->allow_internal, ob->nallow * sizeof *ob->allow);
    }
    ob->multi = curl_multi_init();
    if (ob->multi == NULL) {
        snprintf(errbuf, errlen, "libcurl: cannot create a multi handle");
        goto fail;
    }
    /* Keep an idle connection per possible transfer so bursts to one app reuse them (curl's
     * default follows the number of handles added, which is small between bursts). */
    curl_multi_setopt(ob->multi, CURLMOPT_MAXCONNECTS,
                      (long)(ob->max_concurrency < 8 ? 8 : ob->max_concurrency));
    pthread_mutex_init(&ob->mu, NULL);
    rc = pthread_create(&ob->thread, NULL, engine_main, ob);
    if (rc != 0) {
        snprintf(errbuf, errlen, "outbound: cannot start thread: %s", strerror(rc));
        pthread_mutex_destroy(&ob->mu);
        goto fail;
    }
    gr_log_info(MOD,
                "started max_concurrency=%zu timeout_ms=%d max_response=%zu tls_verify=%s "
                "allow_internal=%zu",
                ob->max_concurrency, ob->timeout_ms, ob->max_response,
                ob->tls_verify ? "yes" : "no", ob->nallow);
    *out = ob;
    return GR_OK;
fail:
    if (ob->multi)
        curl_multi_cleanup(ob->multi);
    free(ob->allow);
    free(ob->user_agent);
    free(ob);
    return GR_EIO;
}

gr_err gr_outbound_submit(struct gr_outbound *ob, const struct gr_out_request *req)
{
    struct job *j;

    if (ob == NULL || req == NULL || req->method == NULL || req->url == NULL || req->done == NULL ||
        (req->nheaders > 0 && req->headers == NULL) || (req->body_len > 0 && req->body == NULL))
        return GR_EINVAL;
    j = job_new(ob, req);
    pthread_mutex_lock(&ob->mu);
    if (ob->stopping) {
        pthread_mutex_unlock(&ob->mu);
        job_free(j);
        return GR_ECLOSED;
    }
    if (ob->nqueued >= QUEUE_MAX) {
        pthread_mutex_unlock(&ob->mu);
        job_free(j);
        gr_log_warn(MOD, "queue full (%d requests waiting): request refused", QUEUE_MAX);
        return GR_EAGAIN;
    }
    if (ob->qtail)
        ob->qtail->next = j;
    else
        ob->qhead = j;
    ob->qtail = j;
    ob->nqueued++;
    /* Woken under the mutex: gr_outbound_stop sets `stopping` under it before it frees the
     * multi handle, so the handle is alive here. */
    curl_multi_wakeup(ob->multi);
    pthread_mutex_unlock(&ob->mu);
    return GR_OK;
}

size_t gr_outbound_pending(struct gr_outbound *ob)
{
    size_t n;

    if (ob == NULL)
        return 0;
    pthread_mutex_lock(&ob->mu);
    n = ob->nqueued + ob->ninflight;
    pthread_mutex_unlock(&ob->mu);
    return n;
}

void gr_outbound_shutdown(struct gr_outbound *ob)
{
    bool first;

    if (ob == NULL)
        return;
    /* Must not be called from done(): the engine thread would join itself. */
    pthread_mutex_lock(&ob->mu);
    first = !ob->stopping;
    ob->stopping = true;
    if (first)
        curl_multi_wakeup(ob->multi);
    pthread_mutex_unlock(&ob->mu);
    if (!first)
        return;
    pthread_join(ob->thread, NULL);
    /* Submitters see `stopping` (set under the mutex) and never touch the multi handle again. */
    curl_multi_cleanup(ob->multi);
    ob->multi = NULL;
    gr_log_info(MOD, "stopped");
}

void gr_outbound_stop(struct gr_outbound *ob)
{
    if (ob == NULL)
        return;
    gr_outbound_shutdown(ob);
    pthread_mutex_destroy(&ob->mu);
    free(ob->allow);
    free(ob->user_agent);
    free(ob);
}
