/* SPDX-License-Identifier: MIT */
/*
 * ws_proto.c - the Mattermost WebSocket protocol on top of RFC 6455 frames: the handshake key,
 * client action parsing, reply and hello envelopes, and splicing a connection's seq into an
 * event serialised once for everyone (spec mattermost-compat §6).
 *
 * Pure functions over buffers: no sockets, no hub state, so they are unit-tested and fuzzed
 * directly (tests/unit/test_ws_proto.c, tests/fuzz/fuzz_ws.c). Everything a client sends is
 * untrusted: parsing never aborts and bounds every copy.
 */
#include "ws/ws.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

/* RFC 6455 §1.3: the GUID appended to the client's key before hashing. */
static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

static bool is_b64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

bool gr_ws_accept_key(const char *key, char out[GR_WS_ACCEPT_SIZE])
{
    unsigned char digest[SHA_DIGEST_LENGTH];
    char in[24 + sizeof ws_guid];

    /* 16 random bytes in base64 are 22 characters and "==" (RFC 6455 §4.1, item 7). */
    if (key == NULL || strlen(key) != 24 || key[22] != '=' || key[23] != '=')
        return false;
    for (int i = 0; i < 22; i++)
        if (!is_b64(key[i]))
            return false;
    memcpy(in, key, 24);
    memcpy(in + 24, ws_guid, sizeof ws_guid - 1);
    SHA1((const unsigned char *)in, 24 + sizeof ws_guid - 1, digest);
    /* 20 bytes -> 28 characters plus the NUL EVP_EncodeBlock writes. */
    EVP_EncodeBlock((unsigned char *)out, digest, SHA_DIGEST_LENGTH);
    return true;
}

/* ---- actions ------------------------------------------------------------------------------ */

enum gr_ws_action_status gr_ws_action_parse(const char *text, size_t len, struct gr_ws_action *a)
{
    json_t *seq, *action, *data;

    memset(a, 0, sizeof *a);
    /* Mattermost decodes into a Go struct {seq int64, action string, data map}: anything that
     * does not fit (not an object, a fractional or string seq, a non-object data) fails the
     * decode, and the server drops the connection. JSON null leaves a field at its zero value. */
    a->root = json_loadb(text, len, 0, NULL);
    if (!json_is_object(a->root))
        return GR_WS_ACTION_INVALID;
    seq = json_object_get(a->root, "seq");
    action = json_object_get(a->root, "action");
    data = json_object_get(a->root, "data");
    if (seq && !json_is_null(seq) && !json_is_integer(seq))
        return GR_WS_ACTION_INVALID;
    if (action && !json_is_null(action) && !json_is_string(action))
        return GR_WS_ACTION_INVALID;
    if (data && !json_is_null(data) && !json_is_object(data))
        return GR_WS_ACTION_INVALID;
    a->seq = json_is_integer(seq) ? (int64_t)json_integer_value(seq) : 0;
    if (json_is_string(action)) {
        size_t n = json_string_length(action);
        if (n >= sizeof a->name)
            n = sizeof a->name - 1;
        memcpy(a->name, json_string_value(action), n);
        a->name[n] = '\0';
        /* An action name with a NUL inside is cut at it, so it can only fail to match. */
    }
    a->data = json_is_object(data) ? data : NULL;
    /* The router's order (websocket_router.go): a missing action first, then the seq. */
    if (a->name[0] == '\0')
        return GR_WS_ACTION_NO_ACTION;
    if (a->seq <= 0)
        return GR_WS_ACTION_BAD_SEQ;
    return GR_WS_ACTION_OK;
}

void gr_ws_action_cleanup(struct gr_ws_action *a)
{
    json_decref(a->root);
    a->root = NULL;
    a->data = NULL;
}

const char *gr_ws_action_str(const struct gr_ws_action *a, const char *key)
{
    json_t *v = a->data ? json_object_get(a->data, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- envelopes ---------------------------------------------------------------------------- */

/* Appends the compact JSON of v (stolen) to out. */
static gr_err dump_into(struct gr_buf *out, json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
    gr_err rc = GR_ENOMEM;

    json_decref(v);
    if (s)
        rc = gr_buf_appends(out, s);
    free(s);
    return rc;
}

gr_err gr_ws_reply(struct gr_buf *out, int64_t seq, const json_t *data, const struct gr_apperr *e)
{
    json_t *o = json_object();

    gr_buf_reset(out);
    /* WebSocketResponse: status, seq_reply (omitempty), data (omitempty), error (omitempty). */
    json_object_set_new(o, "status", json_string(e ? "FAIL" : "OK"));
    if (seq != 0)
        json_object_set_new(o, "seq_reply", json_integer(seq));
    if (data)
        json_object_set_new(o, "data", json_deep_copy(data));
    if (e) {
        json_t *err = json_object();
        json_t *msg = json_string(e->message);
        json_object_set_new(err, "id", json_string(e->id));
        json_object_set_new(err, "message", msg ? msg : json_string(""));
        /* Replies go out with the detail wiped (AppError.WipeDetailed). */
        json_object_set_new(err, "detailed_error", json_string(""));
        json_object_set_new(err, "status_code", json_integer(e->status));
        json_object_set_new(o, "error", err);
    }
    return dump_into(out, o);
}

static json_t *str_or_empty(const char *s)
{
    json_t *v = json_string(s ? s : "");
    return v ? v : json_string("");
}

gr_err gr_ws_hello(struct gr_buf *out, const char *server_version, const char *conn_id,
                   const char *hostname, const char *user_id)
{
    json_t *o = json_object(), *data = json_object(), *bc = json_object();

    gr_buf_reset(out);
    /* data is a Go map: its keys come out sorted. */
    json_object_set_new(data, "connection_id", str_or_empty(conn_id));
    if (hostname && hostname[0])
        json_object_set_new(data, "server_hostname", str_or_empty(hostname));
    json_object_set_new(data, "server_version", str_or_empty(server_version));
    json_object_set_new(bc, "omit_users", json_null());
    json_object_set_new(bc, "user_id", str_or_empty(user_id));
    json_object_set_new(bc, "channel_id", json_string(""));
    json_object_set_new(bc, "team_id", json_string(""));
    json_object_set_new(bc, "connection_id", json_string(""));
    json_object_set_new(bc, "omit_connection_id", json_string(""));
    json_object_set_new(o, "event", json_string("hello"));
    json_object_set_new(o, "data", data);
    json_object_set_new(o, "broadcast", bc);
    return dump_into(out, o);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

gr_err gr_ws_splice_seq(struct gr_buf *out, const char *json, size_t len, uint64_t seq)
{
    size_t end = len, i;
    bool empty;
    gr_err rc;

    gr_buf_reset(out);
    while (end > 0 && is_space(json[end - 1]))
        end--;
    if (len == 0 || json[0] != '{' || end < 2 || json[end - 1] != '}')
        return GR_EINVAL;
    /* An empty object takes the member without a leading comma. */
    i = end - 1;
    while (i > 1 && is_space(json[i - 1]))
        i--;
    empty = json[i - 1] == '{';
    rc = gr_buf_append(out, json, i);
    if (rc == GR_OK)
        rc = gr_buf_printf(out, "%s\"seq\":%llu}", empty ? "" : ",", (unsigned long long)seq);
    return rc;
}
