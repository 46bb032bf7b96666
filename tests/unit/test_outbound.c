/* SPDX-License-Identifier: MIT */
/*
 * test_outbound.c - the outbound HTTP engine against a small HTTP/1.1 server running in the
 * test (127.0.0.1 and, when the machine has it, ::1): request delivery, status and content
 * type, timeout, size limit, the SSRF guard (direct, and after a redirect), bad URLs,
 * concurrency limit, stop with requests in flight, re-entrant submit, connection reuse, and
 * the guard's address rule on its own.
 *
 * Timing: the machine may be loaded, so waits are generous and the only timing asserts are
 * "timed out rather than hung".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/gtime.h"
#include "core/log.h"
#include "queue/outbound.h"

#define WAIT_MS   30000 /* how long a test waits for done() before failing */
#define BIG_SIZE  (64 * 1024)
#define MAX_RECS  128
#define MAX_CONNS 128

/* ---- the test server -------------------------------------------------------------------- */

struct rec {
    char method[16];
    char path[256];
    char headers[4096]; /* raw header lines */
    char *body;
    size_t body_len;
};

struct conn_arg {
    struct srv *s;
    int fd;
};

struct srv {
    int lfd[2]; /* IPv4, IPv6 (-1 when unavailable) */
    int port4, port6;
    pthread_t acceptor;
    atomic_bool stop;
    int slow_ms;

    pthread_mutex_t mu;
    pthread_t conn_thr[MAX_CONNS];
    struct conn_arg conn_arg[MAX_CONNS];
    int nconns;
    struct rec recs[MAX_RECS];
    int nreq;
    int cur, maxcur; /* requests being answered at once */
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int64_t now_ms(void)
{
    return gr_time_mono_ns() / 1000000;
}

static int listen_on(int family, int *port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        len = sizeof *in6;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 128) != 0) {
        close(fd);
        return -1;
    }
    len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                    : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads more bytes into buf[*len..cap); false on EOF, error or stop. */
static bool read_more(struct srv *s, int fd, char *buf, size_t *len, size_t cap)
{
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r;
        ssize_t n;

        if (atomic_load(&s->stop) || *len >= cap)
            return false;
        r = poll(&p, 1, 50);
        if (r < 0 && errno != EINTR)
            return false;
        if (r <= 0)
            continue;
        n = recv(fd, buf + *len, cap - *len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        *len += (size_t)n;
        return true;
    }
}

/* Sleeps ms unless the server is stopping. */
static void srv_sleep(struct srv *s, int ms)
{
    for (int t = 0; t < ms && !atomic_load(&s->stop); t += 20)
        sleep_ms(20);
}

static void respond(struct srv *s, int fd, const char *path)
{
    char head[512];
    const char *ctype = "application/json", *body = "{\"ok\":true}";
    int status = 200;

    if (strcmp(path, "/slow") == 0) {
        srv_sleep(s, s->slow_ms);
    } else if (strcmp(path, "/conc") == 0) {
        srv_sleep(s, 30);
    } else if (strcmp(path, "/status/500") == 0) {
        status = 500;
        body = "{\"error\":\"boom\"}";
    } else if (strcmp(path, "/plain") == 0) {
        ctype = "Text/Plain; charset=UTF-8";
        body = "hello";
    } else if (strcmp(path, "/redirect-internal") == 0) {
        snprintf(head, sizeof head,
                 "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%d/ok\r\n"
                 "Content-Length: 0\r\n\r\n",
                 s->port4);
        send_all(fd, head, strlen(head));
        return;
    } else if (strcmp(path, "/big") == 0 || strcmp(path, "/big-chunked") == 0) {
        static char chunk[4096];
        bool chunked = path[4] == '-';

        memset(chunk, 'x', sizeof chunk);
        if (chunked)
            snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
        else
            snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                     "Content-Length: %d\r\n\r\n",
                     BIG_SIZE);
        if (!send_all(fd, head, strlen(head)))
            return;
        for (int sent = 0; sent < BIG_SIZE; sent += (int)sizeof chunk) {
            char sz[16];
            snprintf(sz, sizeof sz, "%zx\r\n", sizeof chunk);
            if ((chunked && !send_all(fd, sz, strlen(sz))) || !send_all(fd, chunk, sizeof chunk) ||
                (chunked && !send_all(fd, "\r\n", 2)))
                return;
        }
        if (chunked)
            send_all(fd, "0\r\n\r\n", 5);
        return;
    } else if (strcmp(path, "/ok") != 0) {
        status = 404;
        body = "{}";
    }
    /* One send: a second small segment would wait for a delayed ACK (Nagle). */
    snprintf(head, sizeof head,
             "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", status, ctype,
             strlen(body), body);
    send_all(fd, head, strlen(head));
}

/* One connection: keep-alive requests until EOF or stop. */
static void *conn_main(void *arg)
{
    struct conn_arg *ca = arg;
    struct srv *s = ca->s;
    int fd = ca->fd;
    static const size_t cap = 256 * 1024;
    char *buf = malloc(cap);
    size_t len = 0;

    for (;;) {
        char *end, *line, *save = NULL;
        size_t hlen, clen = 0, total;
        char method[16] = "", path[256] = "";
        struct rec *r = NULL;

        while ((end = memmem(buf, len, "\r\n\r\n", 4)) == NULL)
            if (!read_more(s, fd, buf, &len, cap))
                goto out;
        hlen = (size_t)(end - buf) + 4;
        end[2] = '\0';
        line = strtok_r(buf, "\r\n", &save);
        if (line == NULL || sscanf(line, "%15s %255s", method, path) != 2)
            goto out;
        pthread_mutex_lock(&s->mu);
        if (s->nreq < MAX_RECS) {
            r = &s->recs[s->nreq];
            snprintf(r->method, sizeof r->method, "%s", method);
            snprintf(r->path, sizeof r->path, "%s", path);
        }
        s->nreq++;
        pthread_mutex_unlock(&s->mu);
        while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
            if (strncasecmp(line, "Content-Length:", 15) == 0)
                clen = strtoul(line + 15, NULL, 10);
            if (r != NULL && strlen(r->headers) + strlen(line) + 2 < sizeof r->headers) {
                strcat(r->headers, line);
                strcat(r->headers, "\n");
            }
        }
        total = hlen + clen;
        if (total > cap)
            goto out;
        while (len < total)
            if (!read_more(s, fd, buf, &len, cap))
                goto out;
        if (r != NULL) {
            r->body = malloc(clen + 1);
            memcpy(r->body, buf + hlen, clen);
            r->body[clen] = '\0';
            r->body_len = clen;
        }
        pthread_mutex_lock(&s->mu);
        if (++s->cur > s->maxcur)
            s->maxcur = s->cur;
        pthread_mutex_unlock(&s->mu);
        respond(s, fd, path);
        pthread_mutex_lock(&s->mu);
        s->cur--;
        pthread_mutex_unlock(&s->mu);
        memmove(buf, buf + total, len - total);
        len -= total;
    }
out:
    free(buf);
    close(fd);
    return NULL;
}

static void *accept_main(void *arg)
{
    struct srv *s = arg;

    while (!atomic_load(&s->stop)) {
        struct pollfd p[2] = {{.fd = s->lfd[0], .events = POLLIN},
                              {.fd = s->lfd[1], .events = POLLIN}};
        if (poll(p, 2, 50) <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            int fd;
            if (!(p[i].revents & POLLIN))
                continue;
            fd = accept4(s->lfd[i], NULL, NULL, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            pthread_mutex_lock(&s->mu);
            if (s->nconns >= MAX_CONNS) {
                pthread_mutex_unlock(&s->mu);
                close(fd);
                continue;
            }
            s->conn_arg[s->nconns] = (struct conn_arg){s, fd};
            if (pthread_create(&s->conn_thr[s->nconns], NULL, conn_main, &s->conn_arg[s->nconns]) ==
                0)
                s->nconns++;
            else
                close(fd);
            pthread_mutex_unlock(&s->mu);
        }
    }
    return NULL;
}

static struct srv *srv_start(void)
{
    struct srv *s = calloc(1, sizeof *s);

    assert_non_null(s);
    pthread_mutex_init(&s->mu, NULL);
    s->slow_ms = 20000;
    s->lfd[0] = listen_on(AF_INET, &s->port4);
    assert_true(s->lfd[0] >= 0);
    s->lfd[1] = listen_on(AF_INET6, &s->port6);
    if (s->lfd[1] < 0)
        s->port6 = 0;
    assert_int_equal(pthread_create(&s->acceptor, NULL, accept_main, s), 0);
    return s;
}

static void srv_stop(struct srv *s)
{
    atomic_store(&s->stop, true);
    pthread_join(s->acceptor, NULL);
    for (int i = 0; i < s->nconns; i++)
        pthread_join(s->conn_thr[i], NULL);
    for (int i = 0; i < 2; i++)
        if (s->lfd[i] >= 0)
            close(s->lfd[i]);
    for (int i = 0; i < s->nreq && i < MAX_RECS; i++)
        free(s->recs[i].body);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static int srv_count(struct srv *s, int *field)
{
    int n;
    pthread_mutex_lock(&s->mu);
    n = *field;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* ---- the client side -------------------------------------------------------------------- */

struct res {
    pthread_mutex_t mu;
    int calls;
    enum gr_out_result result;
    long status;
    char ctype[64];
    char body[256];
    size_t body_len;
    char error[512];
    int64_t duration_ms;
};

static void res_init(struct res *r)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
}

static void on_done(void *ud, const struct gr_out_response *resp)
{
    struct res *r = ud;

    pthread_mutex_lock(&r->mu);
    r->calls++;
    r->result = resp->result;
    r->status = resp->status;
    snprintf(r->ctype, sizeof r->ctype, "%s", resp->content_type);
    snprintf(r->body, sizeof r->body, "%s", resp->body);
    r->body_len = resp->body_len;
    snprintf(r->error, sizeof r->error, "%s", resp->error);
    r->duration_ms = resp->duration_ms;
    pthread_mutex_unlock(&r->mu);
}

static int res_calls(struct res *r)
{
    int n;
    pthread_mutex_lock(&r->mu);
    n = r->calls;
    pthread_mutex_unlock(&r->mu);
    return n;
}

/* Waits until every one of the n results has been called at least once. */
static bool wait_all(struct res *r, int n)
{
    int64_t deadline = now_ms() + WAIT_MS;

    for (;;) {
        int ready = 0;
        for (int i = 0; i < n; i++)
            ready += res_calls(&r[i]) > 0;
        if (ready == n)
            return true;
        if (now_ms() > deadline)
            return false;
        sleep_ms(5);
    }
}

static struct gr_outbound *engine(const char *allow_csv, int timeout_ms, size_t max_response,
                                  int max_concurrency)
{
    struct gr_cidr allow[8];
    size_t n = 0;
    char buf[256], *save = NULL;
    struct gr_outbound *ob = NULL;
    char err[256] = "";

    if (allow_csv) {
        snprintf(buf, sizeof buf, "%s", allow_csv);
        for (char *t = strtok_r(buf, ",", &save); t && n < 8; t = strtok_r(NULL, ",", &save))
            assert_true(gr_cidr_parse(t, &allow[n++]));
    }
    struct gr_outbound_options opt = {
            .timeout_ms = timeout_ms,
            .max_response = max_response,
            .max_concurrency = max_concurrency,
            .tls_verify = true,
            .allow_internal = allow,
            .nallow_internal = n,
            .user_agent = "griot-test/1.0",
    };
    assert_int_equal(gr_outbound_start(&opt, &ob, err, sizeof err), GR_OK);
    assert_non_null(ob);
    return ob;
}

static void get(struct gr_outbound *ob, const char *url, bool follow, struct res *r)
{
    struct gr_out_request req = {
            .method = "GET", .url = url, .follow_redirects = follow, .done = on_done, .ud = r};
    assert_int_equal(gr_outbound_submit(ob, &req), GR_OK);
}

/* Waits for pending() to drop to 0 (it drops just after done() returns). */
static void wait_idle(struct gr_outbound *ob)
{
    int64_t deadline = now_ms() + WAIT_MS;
    while (gr_outbound_pending(ob) != 0) {
        assert_true(now_ms() < deadline);
        sleep_ms(5);
    }
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_post_roundtrip(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 4);
    const char *hdrs[] = {"Content-Type: application/json", "Authorization: Token abc123",
                          "X-Griot-Test: yes"};
    static const char body[] = "{\"text\":\"hello \\u00e9\",\"n\":1}";
    char url[128];
    struct res r;

    (void)state;
    res_init(&r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/ok", s->port4);
    struct gr_out_request req = {.method = "POST",
                                 .url = url,
                                 .headers = hdrs,
                                 .nheaders = 3,
                                 .body = body,
                                 .body_len = sizeof body - 1,
                                 .done = on_done,
                                 .ud = &r};
    assert_int_equal(gr_outbound_submit(ob, &req), GR_OK);
    assert_true(wait_all(&r, 1));
    assert_int_equal(r.result, GR_OUT_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.ctype, "application/json");
    assert_string_equal(r.body, "{\"ok\":true}");
    assert_int_equal(r.body_len, 11);
    assert_string_equal(r.error, "");
    assert_true(r.duration_ms >= 0);

    assert_int_equal(srv_count(s, &s->nreq), 1);
    assert_string_equal(s->recs[0].method, "POST");
    assert_string_equal(s->recs[0].path, "/ok");
    assert_non_null(strstr(s->recs[0].headers, "Content-Type: application/json\n"));
    assert_non_null(strstr(s->recs[0].headers, "Authorization: Token abc123\n"));
    assert_non_null(strstr(s->recs[0].headers, "X-Griot-Test: yes\n"));
    assert_non_null(strstr(s->recs[0].headers, "User-Agent: griot-test/1.0\n"));
    assert_null(strstr(s->recs[0].headers, "Expect:"));
    assert_int_equal(s->recs[0].body_len, sizeof body - 1);
    assert_memory_equal(s->recs[0].body, body, sizeof body - 1);
    wait_idle(ob);
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_status_and_content_type(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 4);
    char u1[128], u2[128], u3[128];
    struct res r[3];

    (void)state;
    for (int i = 0; i < 3; i++)
        res_init(&r[i]);
    snprintf(u1, sizeof u1, "http://127.0.0.1:%d/status/500", s->port4);
    snprintf(u2, sizeof u2, "http://127.0.0.1:%d/plain", s->port4);
    snprintf(u3, sizeof u3, "http://127.0.0.1:%d/nothing-here", s->port4);
    get(ob, u1, false, &r[0]);
    get(ob, u2, false, &r[1]);
    get(ob, u3, false, &r[2]);
    assert_true(wait_all(r, 3));
    /* Any HTTP answer is OK for the engine; the caller judges the status. */
    assert_int_equal(r[0].result, GR_OUT_OK);
    assert_int_equal(r[0].status, 500);
    assert_string_equal(r[0].ctype, "application/json");
    assert_string_equal(r[0].body, "{\"error\":\"boom\"}");
    assert_int_equal(r[1].result, GR_OUT_OK);
    assert_int_equal(r[1].status, 200);
    assert_string_equal(r[1].ctype, "text/plain"); /* no parameters, lowercased */
    assert_string_equal(r[1].body, "hello");
    assert_int_equal(r[1].body_len, 5);
    assert_int_equal(r[2].result, GR_OUT_OK);
    assert_int_equal(r[2].status, 404);
    assert_int_equal(srv_count(s, &s->nreq), 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(s->recs[i].method, "GET");
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_timeout(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 60000, 65536, 4);
    char url[128];
    struct res r;
    int64_t t0;

    (void)state;
    res_init(&r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/slow", s->port4);
    /* The request's own timeout overrides the engine's default of a minute. */
    struct gr_out_request req = {
            .method = "GET", .url = url, .timeout_ms = 500, .done = on_done, .ud = &r};
    t0 = now_ms();
    assert_int_equal(gr_outbound_submit(ob, &req), GR_OK);
    assert_true(wait_all(&r, 1));
    assert_int_equal(r.result, GR_OUT_TIMEOUT);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.body, "");
    assert_non_null(strstr(r.error, "500 ms"));
    /* Timed out, not hung until the server's 20 s answer. */
    assert_true(now_ms() - t0 < 10000);
    assert_true(r.duration_ms >= 400);
    gr_outbound_stop(ob);
    srv_stop(s);
}

/* Time spent waiting for a slot counts against a request's timeout: with the only slot held
 * by a slow app, a later request ends as timed out on its own deadline, long before the slot
 * frees. */
static void test_queue_wait_counts(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 60000, 65536, 1);
    char slow[128], ok[128];
    struct res r[2];

    (void)state;
    res_init(&r[0]);
    res_init(&r[1]);
    snprintf(slow, sizeof slow, "http://127.0.0.1:%d/slow", s->port4);
    snprintf(ok, sizeof ok, "http://127.0.0.1:%d/ok", s->port4);
    struct gr_out_request a = {
            .method = "GET", .url = slow, .timeout_ms = 8000, .done = on_done, .ud = &r[0]};
    struct gr_out_request b = {
            .method = "GET", .url = ok, .timeout_ms = 500, .done = on_done, .ud = &r[1]};
    assert_int_equal(gr_outbound_submit(ob, &a), GR_OK);
    assert_int_equal(gr_outbound_submit(ob, &b), GR_OK);
    assert_true(wait_all(&r[1], 1));
    assert_int_equal(r[1].result, GR_OUT_TIMEOUT);
    assert_non_null(strstr(r[1].error, "no free slot"));
    assert_int_equal(res_calls(&r[0]), 0); /* the slow one still holds the slot */
    gr_outbound_stop(ob);
    assert_int_equal(r[0].result, GR_OUT_CLOSED);
    srv_stop(s);
}

static void test_too_big(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 4096, 4);
    char u1[128], u2[128], u3[128];
    struct res r[3];

    (void)state;
    for (int i = 0; i < 3; i++)
        res_init(&r[i]);
    snprintf(u1, sizeof u1, "http://127.0.0.1:%d/big", s->port4);
    snprintf(u2, sizeof u2, "http://127.0.0.1:%d/big-chunked", s->port4);
    snprintf(u3, sizeof u3, "http://127.0.0.1:%d/ok", s->port4);
    get(ob, u1, false, &r[0]); /* Content-Length says too much */
    get(ob, u2, false, &r[1]); /* no length: the write callback counts */
    assert_true(wait_all(r, 2));
    assert_int_equal(r[0].result, GR_OUT_TOOBIG);
    assert_int_equal(r[1].result, GR_OUT_TOOBIG);
    assert_non_null(strstr(r[1].error, "4096"));
    assert_int_equal(r[1].body_len, 0);
    /* The engine carries on. */
    get(ob, u3, false, &r[2]);
    assert_true(wait_all(&r[2], 1));
    assert_int_equal(r[2].result, GR_OUT_OK);
    assert_int_equal(r[2].status, 200);
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_loopback_refused(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *none = engine(NULL, 10000, 65536, 4);
    struct gr_outbound *other = engine("10.0.0.0/8,fd00::/8", 10000, 65536, 4);
    char u4[160], u6[160];
    struct res r[4];

    (void)state;
    for (int i = 0; i < 4; i++)
        res_init(&r[i]);
    snprintf(u4, sizeof u4, "http://user:hunter2@127.0.0.1:%d/ok?token=s3cret", s->port4);
    snprintf(u6, sizeof u6, "http://[::1]:%d/ok", s->port6 ? s->port6 : 9);
    get(none, u4, false, &r[0]);
    get(none, u6, false, &r[1]);
    get(other, u4, false, &r[2]);
    get(other, u6, false, &r[3]);
    assert_true(wait_all(r, 4));
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r[i].result, GR_OUT_REFUSED);
        assert_int_equal(r[i].status, 0);
        assert_non_null(strstr(r[i].error, "allow_internal"));
        assert_null(strstr(r[i].error, "hunter2"));
        assert_null(strstr(r[i].error, "s3cret"));
    }
    assert_string_equal(r[0].error, "address 127.0.0.1 is internal and not in allow_internal");
    assert_string_equal(r[1].error, "address ::1 is internal and not in allow_internal");
    /* The guard refuses before connecting: the server never even sees a connection. */
    sleep_ms(200);
    assert_int_equal(srv_count(s, &s->nconns), 0);
    assert_int_equal(srv_count(s, &s->nreq), 0);
    gr_outbound_stop(none);
    gr_outbound_stop(other);
    srv_stop(s);
}

static void test_allowed_internal(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 4);
    char url[128];
    struct res r;

    (void)state;
    res_init(&r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/ok", s->port4);
    get(ob, url, false, &r);
    assert_true(wait_all(&r, 1));
    assert_int_equal(r.result, GR_OUT_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(srv_count(s, &s->nreq), 1);
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_redirect_to_refused_address(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob;
    char url[128];
    struct res r[2];

    (void)state;
    if (s->port6 == 0) {
        srv_stop(s);
        skip(); /* no ::1 on this machine */
    }
    ob = engine("::1/128", 10000, 65536, 4);
    res_init(&r[0]);
    res_init(&r[1]);
    snprintf(url, sizeof url, "http://[::1]:%d/redirect-internal", s->port6);
    get(ob, url, true, &r[0]);
    assert_true(wait_all(r, 1));
    assert_int_equal(r[0].result, GR_OUT_REFUSED);
    assert_string_equal(r[0].error, "address 127.0.0.1 is internal and not in allow_internal");
    /* The allowed host saw its request; the redirect target never saw one. */
    assert_int_equal(srv_count(s, &s->nreq), 1);
    assert_string_equal(s->recs[0].path, "/redirect-internal");
    /* Without following, the 302 itself is the answer. */
    get(ob, url, false, &r[1]);
    assert_true(wait_all(&r[1], 1));
    assert_int_equal(r[1].result, GR_OUT_OK);
    assert_int_equal(r[1].status, 302);
    assert_int_equal(srv_count(s, &s->nreq), 2);
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_redirect_allowed(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 4);
    char url[128];
    struct res r;

    (void)state;
    res_init(&r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/redirect-internal", s->port4);
    get(ob, url, true, &r);
    assert_true(wait_all(&r, 1));
    assert_int_equal(r.result, GR_OUT_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"ok\":true}");
    assert_int_equal(srv_count(s, &s->nreq), 2);
    assert_string_equal(s->recs[1].path, "/ok");
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_bad_urls_refused(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 4);
    char ftp[128], noscheme[128], good[128];
    const char *bad_hdr[] = {"X-Evil: a\r\nX-Injected: b"};
    const char *urls[] = {ftp,       "not a url",
                          "http://", "file:///etc/passwd",
                          noscheme,  "gopher://127.0.0.1/x",
                          "",        "https://exa mple.com/"};
    enum { NURL = sizeof urls / sizeof urls[0] };
    struct res r[NURL + 1];

    (void)state;
    snprintf(ftp, sizeof ftp, "ftp://127.0.0.1:%d/ok", s->port4);
    snprintf(noscheme, sizeof noscheme, "127.0.0.1:%d/ok", s->port4);
    snprintf(good, sizeof good, "http://127.0.0.1:%d/ok", s->port4);
    for (int i = 0; i < NURL; i++) {
        res_init(&r[i]);
        get(ob, urls[i], true, &r[i]);
    }
    res_init(&r[NURL]);
    struct gr_out_request hreq = {.method = "GET",
                                  .url = good,
                                  .headers = bad_hdr,
                                  .nheaders = 1,
                                  .done = on_done,
                                  .ud = &r[NURL]};
    assert_int_equal(gr_outbound_submit(ob, &hreq), GR_OK);
    assert_true(wait_all(r, NURL + 1));
    for (int i = 0; i <= NURL; i++) {
        assert_int_equal(r[i].calls, 1);
        assert_int_equal(r[i].result, GR_OUT_REFUSED);
        assert_true(r[i].error[0] != '\0');
    }
    sleep_ms(200);
    assert_int_equal(srv_count(s, &s->nconns), 0);

    /* Missing parts are refused at submit, and done is never called. */
    struct gr_out_request nodone = {.method = "GET", .url = good};
    struct gr_out_request nourl = {.method = "GET", .done = on_done, .ud = &r[0]};
    struct gr_out_request nomethod = {.url = good, .done = on_done, .ud = &r[0]};
    assert_int_equal(gr_outbound_submit(ob, &nodone), GR_EINVAL);
    assert_int_equal(gr_outbound_submit(ob, &nourl), GR_EINVAL);
    assert_int_equal(gr_outbound_submit(ob, &nomethod), GR_EINVAL);
    wait_idle(ob);
    assert_int_equal(r[0].calls, 1);
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_network_error_hides_secrets(void **state)
{
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 4);
    char url[160];
    struct res r;
    int port, fd;

    (void)state;
    /* A port nobody listens on: bind one, then close it. */
    fd = listen_on(AF_INET, &port);
    assert_true(fd >= 0);
    close(fd);
    res_init(&r);
    snprintf(url, sizeof url, "http://user:hunter2@127.0.0.1:%d/x?token=s3cret", port);
    get(ob, url, false, &r);
    assert_true(wait_all(&r, 1));
    assert_int_equal(r.result, GR_OUT_NETWORK);
    assert_true(r.error[0] != '\0');
    assert_null(strstr(r.error, "hunter2"));
    assert_null(strstr(r.error, "s3cret"));
    gr_outbound_stop(ob);
}

static void test_concurrency_limit(void **state)
{
    enum { N = 50 };
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 20000, 65536, 4);
    char url[128];
    struct res *r = calloc(N, sizeof *r);

    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/conc", s->port4);
    for (int i = 0; i < N; i++) {
        res_init(&r[i]);
        get(ob, url, false, &r[i]);
    }
    assert_true(gr_outbound_pending(ob) > 0);
    assert_true(wait_all(r, N));
    for (int i = 0; i < N; i++) {
        assert_int_equal(r[i].calls, 1);
        assert_int_equal(r[i].result, GR_OUT_OK);
        assert_int_equal(r[i].status, 200);
    }
    assert_int_equal(srv_count(s, &s->nreq), N);
    assert_true(srv_count(s, &s->maxcur) <= 4);
    assert_true(srv_count(s, &s->maxcur) >= 1);
    /* Connections are reused: no more than the concurrency limit were ever opened. */
    assert_true(srv_count(s, &s->nconns) <= 4);
    wait_idle(ob);
    gr_outbound_stop(ob);
    srv_stop(s);
    free(r);
}

static void test_stop_with_requests_in_flight(void **state)
{
    enum { N = 6 };
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 60000, 65536, 2);
    char url[128];
    struct res r[N];
    int64_t deadline, t0;

    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/slow", s->port4);
    for (int i = 0; i < N; i++) {
        res_init(&r[i]);
        get(ob, url, false, &r[i]);
    }
    /* Two are in flight (the server is answering them slowly), four wait in the queue. */
    deadline = now_ms() + WAIT_MS;
    while (srv_count(s, &s->cur) < 2) {
        assert_true(now_ms() < deadline);
        sleep_ms(10);
    }
    assert_int_equal(gr_outbound_pending(ob), N);
    t0 = now_ms();
    gr_outbound_stop(ob);
    assert_true(now_ms() - t0 < 10000); /* did not wait for the 20 s answers */
    for (int i = 0; i < N; i++) {
        assert_int_equal(r[i].calls, 1);
        assert_int_equal(r[i].result, GR_OUT_CLOSED);
        assert_int_equal(r[i].status, 0);
    }
    srv_stop(s);
}

/* done() submits the next request of a chain from the engine thread. */
struct chain {
    struct gr_outbound *ob;
    const char *url;
    atomic_int left, ok, calls;
};

static void chain_done(void *ud, const struct gr_out_response *resp)
{
    struct chain *c = ud;

    atomic_fetch_add(&c->calls, 1);
    if (resp->result == GR_OUT_OK && resp->status == 200)
        atomic_fetch_add(&c->ok, 1);
    if (atomic_fetch_sub(&c->left, 1) > 1) {
        struct gr_out_request req = {.method = "GET", .url = c->url, .done = chain_done, .ud = c};
        /* Counted as pending while done() runs, so pending() stays above 0 here. */
        if (gr_outbound_pending(c->ob) == 0 || gr_outbound_submit(c->ob, &req) != GR_OK)
            atomic_store(&c->left, -100);
    }
}

static void test_submit_from_done(void **state)
{
    struct srv *s = srv_start();
    struct gr_outbound *ob = engine("127.0.0.1/8", 10000, 65536, 1);
    char url[128];
    struct chain c = {.ob = ob, .url = url};
    int64_t deadline = now_ms() + WAIT_MS;

    (void)state;
    atomic_init(&c.left, 5);
    atomic_init(&c.ok, 0);
    atomic_init(&c.calls, 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/ok", s->port4);
    struct gr_out_request req = {.method = "GET", .url = url, .done = chain_done, .ud = &c};
    assert_int_equal(gr_outbound_submit(ob, &req), GR_OK);
    while (atomic_load(&c.calls) < 5) {
        assert_true(now_ms() < deadline);
        sleep_ms(5);
    }
    wait_idle(ob);
    assert_int_equal(atomic_load(&c.calls), 5);
    assert_int_equal(atomic_load(&c.ok), 5);
    assert_int_equal(atomic_load(&c.left), 0);
    /* Sequential requests to one host share one kept-alive connection. */
    assert_int_equal(srv_count(s, &s->nconns), 1);
    gr_outbound_stop(ob);
    srv_stop(s);
}

static void test_stop_idle_and_null(void **state)
{
    struct gr_outbound *ob = engine(NULL, 0, 0, 0); /* defaults for everything */

    (void)state;
    assert_int_equal(gr_outbound_pending(ob), 0);
    gr_outbound_stop(ob);
    gr_outbound_stop(NULL);
    assert_string_equal(gr_out_result_name(GR_OUT_OK), "ok");
    assert_string_equal(gr_out_result_name(GR_OUT_TOOBIG), "too_big");
    assert_string_equal(gr_out_result_name(GR_OUT_CLOSED), "closed");
}

/* ---- the address rule alone ------------------------------------------------------------- */

static bool parse_sa(const char *ip, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (strchr(ip, ':') == NULL) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        return inet_pton(AF_INET, ip, &in->sin_addr) == 1;
    }
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    in6->sin6_family = AF_INET6;
    return inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1;
}

static void test_addr_internal_table(void **state)
{
    static const struct {
        const char *ip;
        bool internal;
    } t[] = {
            {"127.0.0.1", true},
            {"127.255.255.254", true},
            {"10.1.2.3", true},
            {"172.16.0.1", true},
            {"172.31.255.255", true},
            {"172.32.0.1", false},
            {"172.15.255.255", false},
            {"192.168.1.1", true},
            {"169.254.169.254", true},
            {"100.64.0.1", true},
            {"100.127.255.255", true},
            {"100.128.0.1", false},
            {"0.0.0.0", true},
            {"0.1.2.3", true},
            {"192.0.0.8", true},
            {"192.0.2.1", true},
            {"192.0.3.1", false},
            {"198.51.100.7", true},
            {"203.0.113.9", true},
            {"192.88.99.1", true},
            {"198.18.0.1", true},
            {"198.19.255.255", true},
            {"198.20.0.1", false},
            {"224.0.0.1", true},
            {"239.255.255.250", true},
            {"240.0.0.1", true},
            {"255.255.255.255", true},
            {"8.8.8.8", false},
            {"1.1.1.1", false},
            {"93.184.216.34", false},
            {"::", true},
            {"::1", true},
            {"fc00::1", true},
            {"fd12:3456::1", true},
            {"fe80::1", true},
            {"febf::1", true},
            {"fec0::1", true},
            {"ff00::", true},
            {"64:ff9b:1::a00:1", true},
            {"100::1", true},
            {"100:0:0:1::1", false},
            {"2001:db8::1", true},
            {"::ffff:0:7f00:1", true},
            {"::ffff:0:808:808", false},
            {"2002:7f00:1::1", true},
            {"2002:a9fe:a9fe::1", true},
            {"2002:808:808::1", false},
            {"ff02::1", true},
            {"::ffff:127.0.0.1", true},
            {"::ffff:10.0.0.1", true},
            {"::ffff:169.254.169.254", true},
            {"::ffff:8.8.8.8", false},
            {"::127.0.0.1", true},
            {"::8.8.8.8", false},
            {"64:ff9b::7f00:1", true},
            {"64:ff9b::a9fe:a9fe", true},
            {"64:ff9b::808:808", false},
            {"2001:4860::1", false},
            {"2606:4700:4700::1111", false},
    };

    (void)state;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct sockaddr_storage ss;
        bool got;

        assert_true(parse_sa(t[i].ip, &ss));
        got = gr_outbound_addr_internal((struct sockaddr *)&ss);
        if (got != t[i].internal)
            fail_msg("%s: internal=%d, expected %d", t[i].ip, got, t[i].internal);
    }
    /* Not IPv4 or IPv6, or nothing at all: refused. */
    struct sockaddr_storage un = {.ss_family = AF_UNIX};
    assert_true(gr_outbound_addr_internal((struct sockaddr *)&un));
    assert_true(gr_outbound_addr_internal(NULL));
}

static void test_addr_allowed(void **state)
{
    struct gr_cidr allow[3];
    struct sockaddr_storage ss;

    (void)state;
    assert_true(gr_cidr_parse("127.0.0.1/8", &allow[0]));
    assert_true(gr_cidr_parse("::1", &allow[1]));
    assert_true(gr_cidr_parse("10.20.0.0/16", &allow[2]));
    parse_sa("127.9.9.9", &ss);
    assert_true(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 3));
    parse_sa("::ffff:127.0.0.1", &ss); /* the mapped form matches the IPv4 network */
    assert_true(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 3));
    parse_sa("::1", &ss);
    assert_true(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 3));
    parse_sa("10.20.255.1", &ss);
    assert_true(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 3));
    parse_sa("10.21.0.1", &ss);
    assert_false(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 3));
    parse_sa("::2", &ss);
    assert_false(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 3));
    parse_sa("127.0.0.1", &ss);
    assert_false(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow + 1, 1));
    assert_false(gr_outbound_addr_allowed((struct sockaddr *)&ss, allow, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_addr_internal_table),
            cmocka_unit_test(test_addr_allowed),
            cmocka_unit_test(test_stop_idle_and_null),
            cmocka_unit_test(test_post_roundtrip),
            cmocka_unit_test(test_status_and_content_type),
            cmocka_unit_test(test_timeout),
            cmocka_unit_test(test_queue_wait_counts), cmocka_unit_test(test_too_big),
            cmocka_unit_test(test_loopback_refused),
            cmocka_unit_test(test_allowed_internal),
            cmocka_unit_test(test_redirect_to_refused_address),
            cmocka_unit_test(test_redirect_allowed),
            cmocka_unit_test(test_bad_urls_refused),
            cmocka_unit_test(test_network_error_hides_secrets),
            cmocka_unit_test(test_concurrency_limit),
            cmocka_unit_test(test_stop_with_requests_in_flight),
            cmocka_unit_test(test_submit_from_done),
    };

    signal(SIGPIPE, SIG_IGN);
    /* GR_TEST_DEBUG=1 shows the engine's per-request lines. */
    gr_log_set_level(getenv("GR_TEST_DEBUG") ? GR_LOG_DEBUG : GR_LOG_WARN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
