/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ws.c - libFuzzer target for the WebSocket input path (src/ws/ws_proto.c, and wslay
 * configured the way ws_conn.c configures it).
 *
 * The first byte picks the mode:
 *   even  the rest is one client message: gr_ws_action_parse, then the reply griot would send
 *         (a FAIL for the router errors, an OK echoing data otherwise) and the seq splice;
 *   odd   the rest is a raw byte stream from a client: a wslay server context (8 KiB message
 *         limit, as the hub sets it) reads it through an in-memory recv callback, and every
 *         complete text message goes through the same action path. Answers (pongs, closes,
 *         replies) are "sent" into a sink.
 * Besides the sanitizers it checks invariants: a parsed action has seq > 0 and a name, every
 * reply and every spliced event is a JSON object, and the splice keeps the original members.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_ws.c <every src .c file but main.c> $(pkg-config ...) -lwslay -lm
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <wslay/wslay.h>

#include "ws/ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        abort();
}

static bool is_object_text(const struct gr_buf *b)
{
    json_t *v = json_loadb(b->p ? b->p : "", b->len, 0, NULL);
    bool ok = json_is_object(v);
    json_decref(v);
    return ok;
}

static void handle_message(const char *text, size_t len)
{
    struct gr_ws_action a;
    struct gr_apperr e;
    struct gr_buf out;
    enum gr_ws_action_status st = gr_ws_action_parse(text, len, &a);

    gr_buf_init(&out, 1 << 20);
    switch (st) {
    case GR_WS_ACTION_OK:
        check(a.seq > 0 && a.name[0] != '\0');
        check(gr_ws_reply(&out, a.seq, a.data, NULL) == GR_OK);
        check(is_object_text(&out));
        (void)gr_ws_action_str(&a, "token");
        (void)gr_ws_action_str(&a, "channel_id");
        break;
    case GR_WS_ACTION_NO_ACTION:
    case GR_WS_ACTION_BAD_SEQ:
        gr_apperr_set(&e, 400, "api.web_socket_router.bad_seq.app_error", "x");
        check(gr_ws_reply(&out, a.seq, NULL, &e) == GR_OK);
        check(is_object_text(&out));
        break;
    case GR_WS_ACTION_INVALID:
        break;
    }
    /* An object a client sent, spliced like an event: still an object, with seq. (Events are
     * griot's own compact JSON, which always starts with '{'; leading blanks are refused.) */
    if (json_is_object(a.root) && len > 0 && text[0] == '{') {
        struct gr_buf ev;
        json_t *back;
        gr_buf_init(&ev, 1 << 20);
        check(gr_ws_splice_seq(&ev, text, len, 42) == GR_OK);
        back = json_loadb(ev.p, ev.len, 0, NULL);
        /* Duplicate keys in the input may collapse; "seq" must be 42 either way. */
        check(json_is_object(back) && json_integer_value(json_object_get(back, "seq")) == 42);
        json_decref(back);
        gr_buf_cleanup(&ev);
    }
    gr_ws_action_cleanup(&a);
    gr_buf_cleanup(&out);
}

/* ---- frames through wslay ------------------------------------------------------------------- */

struct stream {
    const uint8_t *p;
    size_t len, off;
};

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud)
{
    struct stream *s = ud;
    size_t n = s->len - s->off;

    (void)flags;
    if (n == 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    /* Small reads exercise wslay's partial-frame paths. */
    if (n > len)
        n = len;
    if (n > 7)
        n = 7 + (s->off % 23);
    if (n > s->len - s->off)
        n = s->len - s->off;
    memcpy(buf, s->p + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *ud)
{
    (void)ctx;
    (void)data;
    (void)flags;
    (void)ud;
    return (ssize_t)len;
}

static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg,
                   void *ud)
{
    (void)ud;
    if (arg->opcode == WSLAY_TEXT_FRAME) {
        check(arg->msg_length <= 8192);
        handle_message((const char *)arg->msg, arg->msg_length);
        struct wslay_event_msg m = {WSLAY_TEXT_FRAME, arg->msg, arg->msg_length};
        wslay_event_queue_msg(ctx, &m);
    }
}

static void run_frames(const uint8_t *p, size_t len)
{
    static const struct wslay_event_callbacks cbs = {
            .recv_callback = recv_cb,
            .send_callback = send_cb,
            .on_msg_recv_callback = on_msg,
    };
    struct stream s = {p, len, 0};
    wslay_event_context_ptr ctx;

    if (wslay_event_context_server_init(&ctx, &cbs, &s) != 0)
        return;
    wslay_event_config_set_max_recv_msg_length(ctx, 8192);
    for (int i = 0; i < 64 && s.off < s.len; i++) {
        if (wslay_event_recv(ctx) != 0 || wslay_event_send(ctx) != 0)
            break;
        if (!wslay_event_want_read(ctx))
            break;
    }
    wslay_event_context_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        run_frames(data + 1, size - 1);
    else
        handle_message((const char *)data + 1, size - 1);
    return 0;
}
