/* SPDX-License-Identifier: MIT */
/*
 * test_ws_hub.c - the hub and its connections over socketpairs: the test plays the client with
 * a few lines of RFC 6455 framing. Covered: hello first with seq 0, seq spliced per connection
 * and strictly consecutive, fan-out by user id with omit, bytes already read by the HTTP layer
 * (extra_in) parsed first, ping answered with pong, the close handshake, a slow consumer
 * dropped when its bounded queue fills, the authentication timeout, and shutdown sending 1001
 * and giving every socket back exactly once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ws/ws.h"

#define USER_A "aaaaaaaaaaaaaaaaaaaaaaaaaa"
#define USER_B "bbbbbbbbbbbbbbbbbbbbbbbbbb"

static atomic_int closed_count;

/* The server end of a socketpair: the hub gives it back here. */
static void give_back(void *ud)
{
    close((int)(intptr_t)ud);
    atomic_fetch_add(&closed_count, 1);
}

static void on_open(struct gr_ws_conn *c, void *ud)
{
    static const char hello[] = "{\"event\":\"hello\"}";
    (void)ud;
    if (gr_ws_conn_user(c)[0])
        gr_ws_conn_send_event(c, hello, sizeof hello - 1);
}

/* "auth:<id>" authenticates; anything else is echoed back as is. */
static void on_message(struct gr_ws_conn *c, const char *text, size_t len, void *ud)
{
    (void)ud;
    if (len == 5 + 26 && memcmp(text, "auth:", 5) == 0) {
        char id[GR_ID_SIZE];
        memcpy(id, text + 5, 26);
        id[26] = '\0';
        assert_int_equal(gr_ws_conn_authenticate(c, id), GR_OK);
        assert_int_equal(gr_ws_conn_authenticate(c, id), GR_EEXIST);
        on_open(c, NULL);
        return;
    }
    gr_ws_conn_send_text(c, text, len);
}

/* ---- a tiny client ------------------------------------------------------------------------- */

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        assert_true(k > 0);
        p += k;
        n -= (size_t)k;
    }
}

/* Builds one masked client frame into out; returns its length. */
static size_t frame(uint8_t *out, uint8_t opcode, const char *p, size_t n)
{
    static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    size_t h = 0;

    out[h++] = 0x80 | opcode;
    if (n < 126) {
        out[h++] = 0x80 | (uint8_t)n;
    } else {
        out[h++] = 0x80 | 126;
        out[h++] = (uint8_t)(n >> 8);
        out[h++] = (uint8_t)n;
    }
    memcpy(out + h, mask, 4);
    h += 4;
    for (size_t i = 0; i < n; i++)
        out[h + i] = (uint8_t)p[i] ^ mask[i % 4];
    return h + n;
}

static void ws_send(int fd, uint8_t opcode, const char *p)
{
    uint8_t buf[70000];
    write_all(fd, buf, frame(buf, opcode, p, strlen(p)));
}

/* Reads exactly n bytes within timeout_ms; false on timeout or EOF. */
static bool read_n(int fd, uint8_t *p, size_t n, int timeout_ms)
{
    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t k;
        if (poll(&pfd, 1, timeout_ms) <= 0)
            return false;
        k = read(fd, p, n);
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Reads one server frame (never masked). Returns its payload length, or -1. */
static long ws_recv(int fd, uint8_t *opcode, char *buf, size_t size, int timeout_ms)
{
    uint8_t h[8];
    uint64_t n;

    if (!read_n(fd, h, 2, timeout_ms))
        return -1;
    assert_int_equal(h[1] & 0x80, 0); /* a server never masks */
    *opcode = h[0] & 0x0f;
    n = h[1] & 0x7f;
    if (n == 126) {
        if (!read_n(fd, h, 2, timeout_ms))
            return -1;
        n = ((uint64_t)h[0] << 8) | h[1];
    } else if (n == 127) {
        if (!read_n(fd, h, 8, timeout_ms))
            return -1;
        n = 0;
        for (int i = 0; i < 8; i++)
            n = (n << 8) | h[i];
    }
    assert_true(n < size);
    if (!read_n(fd, (uint8_t *)buf, (size_t)n, timeout_ms))
        return -1;
    buf[n] = '\0';
    return (long)n;
}

static void expect_text(int fd, const char *want)
{
    char buf[4096];
    uint8_t op;
    long n = ws_recv(fd, &op, buf, sizeof buf, 2000);

    assert_true(n >= 0);
    assert_int_equal(op, 1);
    assert_string_equal(buf, want);
}

static void expect_nothing(int fd, int ms)
{
    struct pollfd pfd = {fd, POLLIN, 0};
    assert_int_equal(poll(&pfd, 1, ms), 0);
}

static void wait_closed(int want)
{
    for (int i = 0; i < 400 && atomic_load(&closed_count) < want; i++)
        usleep(10000);
    assert_int_equal(atomic_load(&closed_count), want);
}

static struct gr_ws_hub *start_h(size_t queue_max_msgs, int auth_timeout_ms, int hibernate_ms)
{
    struct gr_ws_config cfg = {
            .queue_max_msgs = queue_max_msgs,
            .auth_timeout_ms = auth_timeout_ms,
            .hibernate_ms = hibernate_ms,
            .on_open = on_open,
            .on_message = on_message,
    };
    struct gr_ws_hub *h;

    atomic_store(&closed_count, 0);
    assert_int_equal(gr_ws_hub_start(&cfg, &h), GR_OK);
    return h;
}

static struct gr_ws_hub *start(size_t queue_max_msgs, int auth_timeout_ms)
{
    return start_h(queue_max_msgs, auth_timeout_ms, -1);
}

/* Adopts the server end of a fresh pair; returns the client end. */
static int connect_pair(struct gr_ws_hub *h, const char *user, const char *extra, size_t n)
{
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    assert_int_equal(
            gr_ws_hub_adopt(h, sv[0], extra, n, user, give_back, (void *)(intptr_t)sv[0], NULL),
            GR_OK);
    return sv[1];
}

/* ---- tests ------------------------------------------------------------------------------------
 */

static void hello_seq_and_fanout(void **state)
{
    struct gr_ws_hub *h = start(0, 0);
    const char users_a[1][GR_ID_SIZE] = {USER_A};
    const char users_ab[2][GR_ID_SIZE] = {USER_A, USER_B};
    static const char ev[] = "{\"event\":\"posted\",\"data\":{}}";
    int a1 = connect_pair(h, USER_A, NULL, 0);
    int a2 = connect_pair(h, USER_A, NULL, 0);
    int b = connect_pair(h, USER_B, NULL, 0);
    struct gr_ws_stats st;

    (void)state;
    expect_text(a1, "{\"event\":\"hello\",\"seq\":0}");
    expect_text(a2, "{\"event\":\"hello\",\"seq\":0}");
    expect_text(b, "{\"event\":\"hello\",\"seq\":0}");
    /* every connection of the user, consecutive seq per connection */
    assert_int_equal(gr_ws_hub_publish(h, ev, sizeof ev - 1, users_a, 1, NULL), GR_OK);
    assert_int_equal(gr_ws_hub_publish(h, ev, sizeof ev - 1, users_ab, 2, ""), GR_OK);
    assert_int_equal(gr_ws_hub_publish(h, ev, sizeof ev - 1, users_ab, 2, USER_A), GR_OK);
    expect_text(a1, "{\"event\":\"posted\",\"data\":{},\"seq\":1}");
    expect_text(a1, "{\"event\":\"posted\",\"data\":{},\"seq\":2}");
    expect_text(a2, "{\"event\":\"posted\",\"data\":{},\"seq\":1}");
    expect_text(a2, "{\"event\":\"posted\",\"data\":{},\"seq\":2}");
    expect_text(b, "{\"event\":\"posted\",\"data\":{},\"seq\":1}");
    expect_text(b, "{\"event\":\"posted\",\"data\":{},\"seq\":2}");
    expect_nothing(a1, 100);
    assert_int_equal(gr_ws_hub_publish(h, "[]", 2, users_a, 1, NULL), GR_EINVAL);
    gr_ws_hub_stats(h, &st);
    assert_int_equal(st.conns, 3);
    assert_int_equal(st.authenticated, 3);
    gr_ws_hub_free(h);
    assert_int_equal(atomic_load(&closed_count), 3);
    close(a1);
    close(a2);
    close(b);
}

static void extra_in_and_echo(void **state)
{
    struct gr_ws_hub *h = start(0, 0);
    uint8_t pre[256];
    size_t n = frame(pre, 1, "auth:" USER_A, 31);
    int c;

    (void)state;
    /* The frame arrives as "already read" bytes: no EPOLLIN will ever announce it. */
    n += frame(pre + n, 1, "echo me", 7);
    c = connect_pair(h, NULL, (const char *)pre, n);
    expect_text(c, "{\"event\":\"hello\",\"seq\":0}");
    expect_text(c, "echo me");
    ws_send(c, 1, "again");
    expect_text(c, "again");
    gr_ws_hub_free(h);
    close(c);
}

static void ping_pong_and_close(void **state)
{
    struct gr_ws_hub *h = start(0, 0);
    int c = connect_pair(h, USER_A, NULL, 0);
    char buf[256];
    uint8_t op;
    uint8_t fr[16];

    (void)state;
    expect_text(c, "{\"event\":\"hello\",\"seq\":0}");
    ws_send(c, 9, "hi");
    assert_int_equal(ws_recv(c, &op, buf, sizeof buf, 2000), 2);
    assert_int_equal(op, 10);
    assert_string_equal(buf, "hi");
    /* close 1000 -> the server answers with a close and gives the socket back */
    write_all(c, fr, frame(fr, 8, "\x03\xe8", 2));
    assert_true(ws_recv(c, &op, buf, sizeof buf, 2000) >= 2);
    assert_int_equal(op, 8);
    wait_closed(1);
    gr_ws_hub_free(h);
    assert_int_equal(atomic_load(&closed_count), 1);
    close(c);
}

static void slow_consumer_dropped(void **state)
{
    struct gr_ws_hub *h = start(8, 0);
    const char users[1][GR_ID_SIZE] = {USER_A};
    int c = connect_pair(h, USER_A, NULL, 0);
    int small = 4096;
    char *big = malloc(60000);
    struct gr_ws_stats st;

    (void)state;
    setsockopt(c, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    expect_text(c, "{\"event\":\"hello\",\"seq\":0}");
    memset(big, 'x', 60000);
    memcpy(big, "{\"m\":\"", 6);
    memcpy(big + 59998, "\"}", 2);
    /* The client reads nothing: the socket buffers fill, then the 8-message queue. */
    for (int i = 0; i < 200; i++)
        gr_ws_hub_publish(h, big, 60000, users, 1, NULL);
    wait_closed(1);
    gr_ws_hub_stats(h, &st);
    assert_int_equal(st.slow_dropped, 1);
    assert_int_equal(st.conns, 0);
    free(big);
    gr_ws_hub_free(h);
    close(c);
}

static void auth_timeout(void **state)
{
    struct gr_ws_hub *h = start(0, 300);
    int c = connect_pair(h, NULL, NULL, 0);
    char buf[256];
    uint8_t op;
    long n;

    (void)state;
    /* The hub's timers tick once a second. */
    n = ws_recv(c, &op, buf, sizeof buf, 3000);
    assert_true(n >= 2);
    assert_int_equal(op, 8);
    assert_int_equal(((uint8_t)buf[0] << 8) | (uint8_t)buf[1], 1008);
    close(c); /* the peer goes away instead of answering: EOF releases the socket */
    wait_closed(1);
    gr_ws_hub_free(h);
}

static void shutdown_going_away(void **state)
{
    struct gr_ws_hub *h = start(0, 0);
    int c1 = connect_pair(h, USER_A, NULL, 0);
    int c2 = connect_pair(h, NULL, NULL, 0);
    const char users[1][GR_ID_SIZE] = {USER_A};
    char buf[256];
    uint8_t op;

    (void)state;
    expect_text(c1, "{\"event\":\"hello\",\"seq\":0}");
    usleep(50000); /* let the hub take c2 too */
    gr_ws_hub_shutdown(h, 200);
    assert_true(ws_recv(c1, &op, buf, sizeof buf, 2000) >= 2);
    assert_int_equal(op, 8);
    assert_int_equal(((uint8_t)buf[0] << 8) | (uint8_t)buf[1], 1001);
    assert_true(ws_recv(c2, &op, buf, sizeof buf, 2000) >= 2);
    assert_int_equal(op, 8);
    assert_int_equal(atomic_load(&closed_count), 2);
    /* after shutdown: adopts are refused (the socket comes straight back), publishes too */
    {
        int sv[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        assert_int_equal(
                gr_ws_hub_adopt(h, sv[0], NULL, 0, NULL, give_back, (void *)(intptr_t)sv[0], NULL),
                GR_ECLOSED);
        assert_int_equal(atomic_load(&closed_count), 3);
        close(sv[1]);
    }
    assert_int_equal(gr_ws_hub_publish(h, "{}", 2, users, 1, NULL), GR_ECLOSED);
    gr_ws_hub_free(h);
    close(c1);
    close(c2);
}

static void binary_and_garbage_closed(void **state)
{
    struct gr_ws_hub *h = start(0, 0);
    int c = connect_pair(h, USER_A, NULL, 0);
    char buf[256];
    uint8_t op, raw[4] = {0x81, 0x05, 'a', 'b'}; /* unmasked client frame: protocol error */

    (void)state;
    expect_text(c, "{\"event\":\"hello\",\"seq\":0}");
    ws_send(c, 2, "bin");
    assert_true(ws_recv(c, &op, buf, sizeof buf, 2000) >= 2);
    assert_int_equal(op, 8);
    assert_int_equal(((uint8_t)buf[0] << 8) | (uint8_t)buf[1], 1003);
    close(c);
    wait_closed(1);

    c = connect_pair(h, USER_A, NULL, 0);
    expect_text(c, "{\"event\":\"hello\",\"seq\":0}");
    write_all(c, raw, sizeof raw);
    assert_true(ws_recv(c, &op, buf, sizeof buf, 2000) >= 2);
    assert_int_equal(op, 8);
    assert_int_equal(((uint8_t)buf[0] << 8) | (uint8_t)buf[1], 1002);
    close(c);
    wait_closed(2);
    gr_ws_hub_free(h);
}

static uint64_t hibernating(struct gr_ws_hub *h)
{
    struct gr_ws_stats st;
    gr_ws_hub_stats(h, &st);
    return st.hibernating;
}

/* An idle connection gives its wslay context back and wakes up for the next byte in or event
 * out, seq intact; one with half a frame in wslay's buffer never hibernates. */
static void hibernation(void **state)
{
    struct gr_ws_hub *h = start_h(0, 0, 100);
    const char users[1][GR_ID_SIZE] = {USER_A};
    static const char ev[] = "{\"event\":\"posted\"}";
    int c = connect_pair(h, USER_A, NULL, 0);
    int p = connect_pair(h, USER_B, NULL, 0);
    uint8_t fr[64];
    size_t n;
    char buf[256];
    uint8_t op;

    (void)state;
    expect_text(c, "{\"event\":\"hello\",\"seq\":0}");
    expect_text(p, "{\"event\":\"hello\",\"seq\":0}");
    /* p: the first 3 bytes of a frame, the rest later */
    n = frame(fr, 1, "partial", 7);
    write_all(p, fr, 3);
    for (int i = 0; i < 300 && hibernating(h) < 1; i++)
        usleep(10000);
    usleep(1200000); /* another tick: p must still be awake */
    assert_int_equal(hibernating(h), 1);
    /* an event wakes c, with the next seq */
    assert_int_equal(gr_ws_hub_publish(h, ev, sizeof ev - 1, users, 1, NULL), GR_OK);
    expect_text(c, "{\"event\":\"posted\",\"seq\":1}");
    /* and so does a ping, after it fell asleep again */
    for (int i = 0; i < 300 && hibernating(h) < 1; i++)
        usleep(10000);
    assert_int_equal(hibernating(h), 1);
    ws_send(c, 9, "zz");
    assert_int_equal(ws_recv(c, &op, buf, sizeof buf, 2000), 2);
    assert_int_equal(op, 10);
    /* p's frame completes from where it stopped */
    write_all(p, fr + 3, n - 3);
    expect_text(p, "partial");
    gr_ws_hub_free(h);
    assert_int_equal(atomic_load(&closed_count), 2);
    close(c);
    close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(hello_seq_and_fanout),
            cmocka_unit_test(extra_in_and_echo),
            cmocka_unit_test(ping_pong_and_close),
            cmocka_unit_test(slow_consumer_dropped),
            cmocka_unit_test(auth_timeout),
            cmocka_unit_test(shutdown_going_away),
            cmocka_unit_test(binary_and_garbage_closed),
            cmocka_unit_test(hibernation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
