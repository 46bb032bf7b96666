/* SPDX-License-Identifier: MIT */
/*
 * ws_client.c - a lean WebSocket load client for bench/ws_fanout.sh and bench/ws_idle.sh, for
 * machines where Node clients would eat the CPU the server is being measured with.
 *
 *   ws_client HOST PORT TOKEN N OUT_JSON READY_FILE STOP_FILE
 *
 * Opens N connections to ws://HOST:PORT/api/v4/websocket with "Authorization: Bearer TOKEN",
 * one epoll loop, no TLS, no fragmentation support beyond what griot sends (it sends whole text
 * frames). Writes READY_FILE (the number connected) once every connection has its hello or
 * failed; from then on records, for the k-th event of every connection, the latest and earliest
 * arrival (epoch ms with microseconds); connection 0 also reads the post's create_at out of the
 * event. When STOP_FILE exists it writes OUT_JSON in the same shape as ws_load.mjs: {connected,
 * failed, closed, posts: [{create_at, last_ms, first_ms, n}]}. Test code, not griot: plain and
 * short rather than defensive.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXK 200000

struct conn {
    int fd;
    int state; /* 0 handshake, 1 open, 2 gone */
    long k;    /* events seen after hello; -1 before hello */
    char *buf;
    size_t len, cap;
};

struct arrival {
    double first, last;
    long long create_at;
    int n;
};

static struct arrival *arr;
static long maxk;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long long find_create_at(const char *p, size_t len)
{
    /* The post is a JSON string inside the event: its keys appear as \"create_at\": */
    static const char key[] = "create_at\\\":";
    const char *q = memmem(p, len, key, sizeof key - 1);
    return q ? strtoll(q + sizeof key - 1, NULL, 10) : 0;
}

/* Consumes whole frames from c->buf. Returns the number of text frames consumed. */
static void frames(struct conn *c, int idx, double t, int *connected)
{
    size_t off = 0;

    for (;;) {
        unsigned char *h = (unsigned char *)c->buf + off;
        size_t avail = c->len - off, hl = 2;
        unsigned long long n;
        if (avail < 2)
            break;
        n = h[1] & 0x7f;
        if (n == 126) {
            hl = 4;
            if (avail < hl)
                break;
            n = ((unsigned)h[2] << 8) | h[3];
        } else if (n == 127) {
            hl = 10;
            if (avail < hl)
                break;
            n = 0;
            for (int i = 0; i < 8; i++)
                n = (n << 8) | h[2 + i];
        }
        if (avail < hl + n)
            break;
        if ((h[0] & 0x0f) == 1) {
            if (c->k < 0) {
                c->k = 0;
                (*connected)++;
            } else if (c->k < MAXK) {
                struct arrival *a = &arr[c->k];
                if (a->n == 0 || t < a->first)
                    a->first = t;
                if (t > a->last)
                    a->last = t;
                a->n++;
                if (idx == 0)
                    a->create_at = find_create_at((char *)h + hl, n);
                c->k++;
                if (c->k > maxk)
                    maxk = c->k;
            }
        } else if ((h[0] & 0x0f) == 8) {
            c->state = 2;
        }
        off += hl + n;
    }
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    struct epoll_event ev, evs[256];
    struct conn *cs;
    char req[1024];
    int n, ep, connected = 0, failed = 0, closed = 0, settled = 0, ready = 0;

    if (argc != 8) {
        fprintf(stderr, "usage: ws_client HOST PORT TOKEN N OUT_JSON READY_FILE STOP_FILE\n");
        return 2;
    }
    inet_pton(AF_INET, argv[1], &sa.sin_addr);
    sa.sin_port = htons((unsigned short)strtol(argv[2], NULL, 10));
    n = (int)strtol(argv[4], NULL, 10);
    cs = calloc((size_t)n, sizeof *cs);
    arr = calloc(MAXK, sizeof *arr);
    ep = epoll_create1(0);
    snprintf(req, sizeof req,
             "GET /api/v4/websocket HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n",
             argv[1], argv[2], argv[3]);
    for (int i = 0; i < n; i++) {
        struct conn *c = &cs[i];
        int one = 1;
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        c->k = -1;
        c->cap = 65536;
        c->buf = malloc(c->cap);
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        /* Blocking connect and request: fine for a load generator, and it paces the burst. */
        if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
            write(c->fd, req, strlen(req)) != (ssize_t)strlen(req)) {
            c->state = 2;
            failed++;
            settled++;
            continue;
        }
        fcntl(c->fd, F_SETFL, O_NONBLOCK);
        ev.events = EPOLLIN;
        ev.data.u32 = (unsigned)i;
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    for (;;) {
        int m = epoll_wait(ep, evs, 256, 200);
        double t = now_ms();
        for (int j = 0; j < m; j++) {
            struct conn *c = &cs[evs[j].data.u32];
            ssize_t r;
            for (;;) {
                if (c->len == c->cap) {
                    c->cap *= 2;
                    c->buf = realloc(c->buf, c->cap);
                }
                r = read(c->fd, c->buf + c->len, c->cap - c->len);
                if (r <= 0)
                    break;
                c->len += (size_t)r;
            }
            if (c->state == 0) {
                char *e = memmem(c->buf, c->len, "\r\n\r\n", 4);
                if (e) {
                    size_t hl = (size_t)(e + 4 - c->buf);
                    c->state = strncmp(c->buf, "HTTP/1.1 101", 12) == 0 ? 1 : 2;
                    memmove(c->buf, c->buf + hl, c->len - hl);
                    c->len -= hl;
                    if (c->state == 2) {
                        failed++;
                        settled++;
                    }
                }
            }
            if (c->state == 1) {
                long before = c->k;
                frames(c, (int)evs[j].data.u32, t, &connected);
                if (before < 0 && c->k >= 0)
                    settled++;
            }
            if (r == 0 || (r < 0 && errno != EAGAIN) || c->state == 2) {
                if (c->state != 2 || c->k >= 0)
                    closed++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->state = 3;
            }
        }
        if (!ready && settled >= n) {
            FILE *f = fopen(argv[6], "w");
            fprintf(f, "%d\n", connected);
            fclose(f);
            ready = 1;
        }
        if (access(argv[7], F_OK) == 0) {
            FILE *f = fopen(argv[5], "w");
            fprintf(f, "{\"connected\":%d,\"failed\":%d,\"closed\":%d,\"posts\":[", connected,
                    failed, closed);
            for (long k = 0; k < maxk; k++) {
                char ca[32] = "null";
                if (arr[k].create_at)
                    snprintf(ca, sizeof ca, "%lld", arr[k].create_at);
                fprintf(f, "%s{\"create_at\":%s,\"last_ms\":%.3f,\"first_ms\":%.3f,\"n\":%d}",
                        k ? "," : "", ca, arr[k].last, arr[k].first, arr[k].n);
            }
            fprintf(f, "]}\n");
            fclose(f);
            return 0;
        }
    }
}
