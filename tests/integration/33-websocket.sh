#!/usr/bin/env bash
# GET /api/v4/websocket with npm `ws` against the real server (spec mattermost-compat §6.6):
# hello and auth forms at upgrade, the authentication challenge, bad credentials, the router's
# error replies, ping (action and RFC 6455 control frame), `posted` for webhook posts with the
# Post as a JSON string, consecutive seq, mentions, a slow consumer dropped without hurting
# anyone else, reconnect, and 1001 on shutdown. Everything runs as the bootstrap admin; cases
# that need other users live with the users/REST tests.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready

griot_start --set hook_rate=0
H=$BOOT_HOOK
TS=$(channel_id town-square)
wsc() { WS=$(node "$NODE_DIR/ws-cases.mjs" "$@" 2>&1 || true); }
# wait_file FILE: up to 10 s for a background client to say it is ready.
wait_file() { for _ in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }

# The admin's id, as the webhook posts carry it.
post_json "$H" '{"text":"who am I"}'
ADMIN=$(last_post town-square | jq -r .user_id)

case_begin WS-1 "upgrade with Authorization: Bearer -> hello first, seq 0, connection_id, user_id"
wsc upgrade "$GRIOT_URL" "$ADMIN_TOKEN" bearer
assert_jq "hello" "$WS" '.first.event == "hello" and .first.seq == 0'
assert_jq "connection_id" "$WS" '.first.data.connection_id | test("^[a-z0-9]{26}$")'
assert_jq "server_version" "$WS" '.first.data.server_version | test("^[0-9]+\\.[0-9]+\\.[0-9]+\\.")'
assert_jq "broadcast.user_id" "$WS" '.first.broadcast.user_id == $u' --arg u "$ADMIN"
assert_jq "nothing else" "$WS" '.second == null'
case_end

for how in BEARER token cookie query; do
    case_begin "WS-1-$how" "upgrade authenticated by $how -> hello"
    wsc upgrade "$GRIOT_URL" "$ADMIN_TOKEN" "$how"
    assert_jq "hello" "$WS" '.first.event == "hello" and .first.seq == 0 and .first.broadcast.user_id == $u' --arg u "$ADMIN"
    case_end
done

case_begin WS-2 "unauthenticated upgrade + authentication_challenge -> OK seq_reply 1, then hello"
wsc challenge "$GRIOT_URL" "$ADMIN_TOKEN"
assert_jq "silent before auth" "$WS" '.early == null'
assert_jq "reply" "$WS" '.frames[0] == {status: "OK", seq_reply: 1}'
assert_jq "hello" "$WS" '.frames[1].event == "hello" and .frames[1].seq == 0 and .frames[1].broadcast.user_id == $u' --arg u "$ADMIN"
case_end

case_begin WS-3 "challenge with a wrong token -> the server closes, no FAIL reply"
wsc challenge "$GRIOT_URL" abcdefghijkmnopqrstuwxyz12
assert_jq "no frame" "$WS" '.frames == [null, null]'
assert_jq "closed" "$WS" '.closed.code == 1008'
case_end

case_begin WS-bad-auth "upgrade with a wrong Bearer token -> 401 AppError, no socket"
wsc badauth "$GRIOT_URL"
assert_jq "401" "$WS" '.http.status == 401 and .http.body.id == "api.context.session_expired.app_error" and .opened == false'
case_end

case_begin WS-not-upgrade "plain GET /api/v4/websocket -> 400"
wsc notws "$GRIOT_URL"
assert_jq "400" "$WS" '.status == 400 and .body.id == "api.web_socket.connect.upgrade.app_error"'
case_end

case_begin WS-4 "unauthenticated actions -> not_authenticated (401); bad seq still checked first"
wsc actions "$GRIOT_URL"
assert_jq "ping" "$WS" '.answers[0].status == "FAIL" and .answers[0].seq_reply == 2 and .answers[0].error.id == "api.web_socket_router.not_authenticated.app_error" and .answers[0].error.status_code == 401'
assert_jq "bad seq" "$WS" '.answers[1].error.id == "api.web_socket_router.bad_seq.app_error"'
case_end

wsc actions "$GRIOT_URL" "$ADMIN_TOKEN" "$ADMIN" "$TS"
ACTIONS=$WS
case_begin WS-5 "authenticated ping -> OK, seq_reply, pong data"
assert_jq "pong" "$ACTIONS" '.answers[0].status == "OK" and .answers[0].seq_reply == 2 and .answers[0].data.text == "pong" and .answers[0].data.version == "9.11.0" and (.answers[0].data.server_time | type) == "number" and .answers[0].data.node_id == ""'
case_end
case_begin WS-13 "action without seq -> bad_seq, no seq_reply"
assert_jq "bad_seq" "$ACTIONS" '.answers[1].status == "FAIL" and (.answers[1] | has("seq_reply") | not) and .answers[1].error.id == "api.web_socket_router.bad_seq.app_error" and .answers[1].error.status_code == 400'
case_end
case_begin WS-router "no action -> no_action; unknown action -> bad_action 501"
assert_jq "no_action" "$ACTIONS" '.answers[2].error.id == "api.web_socket_router.no_action.app_error" and .answers[2].seq_reply == 3'
assert_jq "bad_action" "$ACTIONS" '.answers[3].error.id == "api.web_socket_router.bad_action.app_error" and .answers[3].error.status_code == 501 and .answers[3].seq_reply == 4'
case_end
case_begin WS-statuses "get_statuses / get_statuses_by_ids -> the connected admin is online"
assert_jq "get_statuses" "$ACTIONS" '.answers[4].status == "OK" and .answers[4].data[$u] == "online"' --arg u "$ADMIN"
assert_jq "by ids" "$ACTIONS" '.answers[5].status == "OK" and .answers[5].data == {($u): "online"}' --arg u "$ADMIN"
case_end
case_begin WS-typing "user_typing in town-square -> OK and no echo to the typist; bad channel -> invalid_param"
assert_jq "ok" "$ACTIONS" '.answers[6] == {status: "OK", seq_reply: 7}'
assert_jq "bad channel" "$ACTIONS" '.answers[7].status == "FAIL" and .answers[7].error.id == "api.websocket_handler.invalid_param.app_error"'
assert_jq "no typing event for the typist" "$ACTIONS" '.extra == null'
case_end

# ---- events ----------------------------------------------------------------------------------

# listen N [MS]: start a listener for N posted events (at most MS ms, default 10000) in the
# background; collect waits for it and puts its JSON in WS.
listen() {
    local ready="$_IT_TMP/ready.$RANDOM"
    LISTEN_OUT="$_IT_TMP/listen.$RANDOM"
    node "$NODE_DIR/ws-cases.mjs" listen "$GRIOT_URL" "$ADMIN_TOKEN" "$1" "${2:-10000}" "$ready" >"$LISTEN_OUT" 2>&1 &
    LISTEN_PID=$!
    bg_track "$LISTEN_PID"
    wait_file "$ready" || _err "listener never got its hello"
}
collect() {
    wait "$LISTEN_PID" || true
    WS=$(cat "$LISTEN_OUT")
}

case_begin WS-7 "incoming webhook post -> posted, post as a JSON string, set_online false, from_webhook"
t=$(uniq_text WS-7)
listen 1
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
collect
assert_jq "one posted event" "$WS" '[.events[] | select(.event == "posted")] | length == 1'
assert_jq "post is a string" "$WS" '.events[0].data.post | type == "string"'
assert_jq "post" "$WS" '.events[0].data.post | fromjson | .message == $t and .props.from_webhook == "true" and .channel_id == $c and (.id | length) == 26' --arg t "$t" --arg c "$TS"
assert_jq "set_online" "$WS" '.events[0].data.set_online == false'
assert_jq "channel" "$WS" '.events[0].data | .channel_name == "town-square" and .channel_type == "O" and .channel_display_name == "Town Square" and (.team_id | length) == 26'
assert_jq "sender_name" "$WS" '.events[0].data as $d | ($d.post | fromjson | .props.override_username) as $o | $d.sender_name == (if $o then $o else "@admin" end)'
assert_jq "broadcast" "$WS" '.events[0].broadcast | .channel_id == $c and .omit_users == null' --arg c "$TS"
assert_jq "no mentions" "$WS" '.events[0].data | has("mentions") | not'
assert_jq "seq after hello" "$WS" '.events[0].seq == 1'
assert_jq "stored post = event post" "$(last_post town-square)" '.message == $t' --arg t "$t"
case_end

case_begin WS-9 "three posts in a row -> seq n, n+1, n+2 in commit order"
listen 3
for i in 1 2 3; do post_json "$H" "{\"text\":\"WS-9 $i\"}"; done
collect
assert_jq "three" "$WS" '[.events[] | select(.event == "posted")] | length == 3'
assert_jq "consecutive" "$WS" '[.events[].seq] == [1, 2, 3]'
assert_jq "in order" "$WS" '[.events[].data.post | fromjson | .message] == ["WS-9 1", "WS-9 2", "WS-9 3"]'
case_end

case_begin WS-10 "a post mentioning @admin -> the admin's copy has mentions = [admin id]"
listen 1
post_json "$H" '{"text":"deploy finished, @admin please check"}'
collect
assert_jq "mentions" "$WS" '.events[0].data.mentions == ("[\"" + $u + "\"]")' --arg u "$ADMIN"
assert_jq "mentions parses" "$WS" '.events[0].data.mentions | fromjson == [$u]' --arg u "$ADMIN"
case_end

case_begin WS-off-topic "a post routed to off-topic -> posted with that channel"
listen 1
post_json "$H" '{"text":"elsewhere","channel":"off-topic"}'
collect
assert_jq "channel" "$WS" '.events[0].data.channel_name == "off-topic" and .events[0].broadcast.channel_id == $c' --arg c "$(channel_id off-topic)"
case_end

case_begin WS-ping "RFC 6455 ping from the client -> pong with the same payload"
wsc pingpong "$GRIOT_URL" "$ADMIN_TOKEN"
assert_jq "pong" "$WS" '.pong == "griot-ping"'
case_end

case_begin WS-invalid "a frame that is not a JSON action -> closed 1003"
wsc invalid "$GRIOT_URL" "$ADMIN_TOKEN"
assert_jq "closed" "$WS" '.closed.code == 1003'
case_end

case_begin WS-slow "a client that stops reading is disconnected; the others keep their events"
ready="$_IT_TMP/slow.ready"
go="$_IT_TMP/slow.go"
node "$NODE_DIR/ws-cases.mjs" slow "$GRIOT_URL" "$ADMIN_TOKEN" "$ready" "$go" >"$_IT_TMP/slow.out" 2>&1 &
SLOW=$!
bg_track "$SLOW"
wait_file "$ready" || _err "slow client never got its hello"
listen 600 90000
# 600 posts of 15 kB: far more than the kernel's socket buffers plus griot's bounded queue.
big=$(head -c 15000 /dev/zero | tr '\0' 'x')
node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 600 8 "$big" "$_IT_TMP/slow.acks" >/dev/null
collect
touch "$go"
wait "$SLOW" || true
SLOWOUT=$(cat "$_IT_TMP/slow.out")
assert_jq "healthy client got all 600" "$WS" '[.events[] | select(.event == "posted")] | length == 600'
assert_jq "healthy client seq consecutive" "$WS" '[.events[].seq] == [range(1; 601)]'
assert_jq "slow client cut off" "$SLOWOUT" '.received < 600 and .closed != null and .closed.code == 1006'
assert_jq "what it got was in order" "$SLOWOUT" '.gap == false'
assert_contains "logged" "$(cat "$GRIOT_DATA/serve.err")" "dropped: send queue full"
case_end

case_begin WS-metrics "/metrics: open and authenticated connections, events sent, the slow consumer counted"
# metric NAME: the value of the sample NAME in /metrics (empty if absent).
metric() {
    http GET "$GRIOT_URL/metrics"
    printf '%s\n' "$BODY" | awk -v m="$1" '$1 == m { print $2; exit }'
}
assert_match "slow consumer disconnect counted" "$(metric griot_ws_slow_consumer_disconnects_total)" '^[1-9][0-9]*$'
sent0=$(metric griot_ws_events_sent_total)
assert_match "events sent so far (WS-7..WS-slow)" "$sent0" '^[0-9]+$'
[ "${sent0:-0}" -ge 606 ] || _err "griot_ws_events_sent_total $sent0 < 606 after the cases above"
listen 1
assert_eq "one connection open" 1 "$(metric griot_ws_connections)"
assert_eq "one authenticated" 1 "$(metric griot_ws_connections_authenticated)"
sent0=$(metric griot_ws_events_sent_total) # the listener's hello is counted too
post_json "$H" '{"text":"WS-metrics"}'
collect
assert_jq "listener got it" "$WS" '[.events[] | select(.event == "posted")] | length == 1'
sent1=$(metric griot_ws_events_sent_total)
assert_eq "one more event sent" $((sent0 + 1)) "$sent1"
# The listener has closed: the gauge comes back to 0 once the hub has seen the close.
for _ in $(seq 50); do [ "$(metric griot_ws_connections)" = 0 ] && break; sleep 0.1; done
assert_eq "no connection open" 0 "$(metric griot_ws_connections)"
case_end

case_begin WS-12 "reconnect with a connection_id griot does not keep -> new hello, new id, seq 0"
wsc reconnect "$GRIOT_URL" "$ADMIN_TOKEN"
assert_jq "fresh" "$WS" '.second.event == "hello" and .second.seq == 0 and .second.data.connection_id != .first.data.connection_id'
case_end

case_begin WS-shutdown "SIGTERM -> every WebSocket gets close 1001, griot exits 0"
ready="$_IT_TMP/close.ready"
node "$NODE_DIR/ws-cases.mjs" waitclose "$GRIOT_URL" "$ADMIN_TOKEN" "$ready" >"$_IT_TMP/close.out" 2>&1 &
WC=$!
bg_track "$WC"
wait_file "$ready" || _err "client never got its hello"
griot_stop
wait "$WC" || true
assert_jq "1001" "$(cat "$_IT_TMP/close.out")" '.closed.code == 1001'
case_end

finish
