#!/usr/bin/env bash
# Bad input: truncated/invalid JSON, invalid UTF-8, wrong methods, unknown routes and hook ids,
# slow clients (connection_timeout), thousands of simultaneous connections. Each gets a clear
# answer in Mattermost's shape, nothing is stored for a failed request, the server keeps serving.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready

# Raise the fd limit for this script's children (griot and node both hold N sockets).
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then hard=65536; fi
ulimit -Sn "$hard" || true

griot_start --set hook_rate=0 --set connection_timeout=2
H=$BOOT_HOOK
mark() { BEFORE=$(total_posts); }
assert_nothing_stored() { assert_eq "posts stored in total (nothing may be stored)" "$BEFORE" "$(total_posts)"; }
still_serving() {
    local t
    t=$(uniq_text alive)
    post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
    assert_ok_response
    assert_jq "server still stores" "$(last_post town-square)" '.message == $t' --arg t "$t"
}

# --- malformed bodies ----------------------------------------------------------------------------
# bad_json ID DESC BODY: -> 400 model.incoming_hook.parse_data.app_error, nothing stored
bad_json() {
    case_begin "$1" "$2"
    mark
    post_json "$H" "$3"
    assert_apperror 400 model.incoming_hook.parse_data.app_error
    assert_nothing_stored
    case_end
}
bad_json BAD-1 'truncated JSON {"text":"abc -> 400 parse_data' '{"text":"abc'
bad_json BAD-2 'truncated JSON {"text":"abc", -> 400 parse_data' '{"text":"abc",'
bad_json BAD-3 'empty body -> 400 parse_data' ''
bad_json BAD-4 'not JSON at all -> 400 parse_data' 'hello world'
bad_json BAD-5 'JSON array -> 400 parse_data' '[{"text":"x"}]'
bad_json BAD-6 'text of the wrong type (number) -> 400 parse_data' '{"text":5}'
bad_json BAD-9 'attachments not an array -> 400 parse_data' '{"text":"x","attachments":"nope"}'

case_begin BAD-10 'JSON null -> 400 web.incoming_webhook.parse.app_error (check 6)'
mark
post_json "$H" 'null'
assert_apperror 400 web.incoming_webhook.parse.app_error
assert_nothing_stored
case_end

case_begin BAD-11 'form payload= with truncated JSON -> 400 parse_data'
mark
http POST "$GRIOT_URL/hooks/$H" --data-urlencode 'payload={"text":"abc'
assert_apperror 400 model.incoming_hook.parse_data.app_error
assert_nothing_stored
case_end

case_begin BAD-12 'multipart body cut short -> 400, nothing stored'
mark
printf -- '--XyZ\r\nContent-Disposition: form-data; name="text"\r\n\r\nhalf' >"$_IT_TMP/mp.body"
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary "@$_IT_TMP/mp.body"
assert_status 400
assert_jq "AppError body" "$BODY" '(.id | type) == "string" and .status_code == 400'
assert_nothing_stored
case_end

case_begin BAD-13 "invalid UTF-8 in text -> 400 AppError and nothing stored, or 200 with valid UTF-8 stored (U+FFFD)"
mark
printf '{"text":"bad-utf8 \xff\xfe \xc3( end"}' >"$_IT_TMP/badutf8.json"
post_file "$H" "$_IT_TMP/badutf8.json"
if [ "$STATUS" = 200 ]; then
    assert_ok_response
    P=$("$GRIOT" posts town-square --json --limit 1 2>/dev/null || true)
    if ! printf '%s' "$P" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then _err "stored/printed message is not valid UTF-8"; fi
    assert_jq "stored with replacement characters" "$(last_post town-square)" '.message | startswith("bad-utf8 ") and endswith(" end") and contains("\ufffd")'
    note "BAD-13: griot accepts invalid UTF-8 and stores U+FFFD (Go json.Unmarshal behaviour)"
else
    assert_status 400
    assert_jq "AppError" "$BODY" '(.id | type) == "string" and .status_code == 400'
    assert_nothing_stored
    note "BAD-13: griot refuses invalid UTF-8 with $(printf '%s' "$BODY" | jq -r .id 2>/dev/null)"
fi
case_end

case_begin BAD-14 "invalid UTF-8 in a form payload and in multipart fields: never stored as invalid UTF-8"
printf 'payload={"text":"form-bad \xff end"}' >"$_IT_TMP/badform.body"
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$_IT_TMP/badform.body"
if [ "$STATUS" != 200 ] && [ "$STATUS" != 400 ]; then _err "form: status $STATUS (200 or 400 expected)"; fi
printf -- '--XyZ\r\nContent-Disposition: form-data; name="text"\r\n\r\nmp-bad \xff end\r\n--XyZ--\r\n' >"$_IT_TMP/mpbad.body"
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary "@$_IT_TMP/mpbad.body"
if [ "$STATUS" != 200 ] && [ "$STATUS" != 400 ]; then _err "multipart: status $STATUS (200 or 400 expected)"; fi
P=$("$GRIOT" posts town-square --json --limit 5 2>/dev/null || true)
if ! printf '%s' "$P" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then _err "posts --json output is not valid UTF-8"; fi
case_end

# --- methods, routes, ids ------------------------------------------------------------------------
case_begin BAD-20 "GET/PUT/DELETE/PATCH /hooks/{id} -> 405, nothing stored"
mark
for m in GET PUT DELETE PATCH; do
    http "$m" "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/json' --data-binary '{"text":"wrong method"}'
    if [ "$STATUS" != 405 ]; then _err "$m /hooks/{id}: status $STATUS, expected 405"; fi
done
assert_nothing_stored
case_end

case_begin BAD-21 "unknown routes -> 404; under /api/v4 a JSON AppError api.context.404.app_error"
http GET "$GRIOT_URL/no/such/page"
assert_status 404
http POST "$GRIOT_URL/api/v4/no_such_route" -H 'Content-Type: application/json' --data-binary '{}'
assert_apperror 404 api.context.404.app_error
http GET "$GRIOT_URL/api/v4/system/pingpong"
assert_apperror 404 api.context.404.app_error
case_end

case_begin BAD-22 "non-alphanumeric hook ids do not match the route -> 404 (§1.1); nothing stored"
mark
for id in 'abc-def' 'abc_def' 'abc%2Fdef' '%00abc'; do
    http POST "$GRIOT_URL/hooks/$id" -H 'Content-Type: application/json' --data-binary '{"text":"x"}'
    if [ "$STATUS" != 404 ]; then _err "POST /hooks/$id: status $STATUS, expected 404"; fi
done
http POST "$GRIOT_URL/hooks/" -H 'Content-Type: application/json' --data-binary '{"text":"x"}'
if [ "$STATUS" != 404 ] && [ "$STATUS" != 405 ]; then _err "POST /hooks/: status $STATUS, expected 404"; fi
assert_nothing_stored
case_end

case_begin BAD-23 "unknown hook ids (short, 26 chars, uppercase, 300 chars) -> 400 invalid.app_error"
mark
long=$(printf 'a%.0s' $(seq 300))
for id in x abc123 abcdefghijkmnopqrstuwxyz12 ABCDEFGHIJKMNOPQRSTUWXYZ12 "$long" "${H^^}"; do
    post_json "$id" '{"text":"x"}'
    assert_apperror 400 web.incoming_webhook.invalid.app_error
done
assert_nothing_stored
case_end

case_begin BAD-24 "hook id in the query string or with a trailing slash is not accepted as a post"
mark
http POST "$GRIOT_URL/hooks?id=$H" -H 'Content-Type: application/json' --data-binary '{"text":"x"}'
if [ "$STATUS" = 200 ]; then _err "POST /hooks?id=: 200"; fi
assert_nothing_stored
case_end

case_begin BAD-25 "URL longer than 2048 chars -> 414 or 404, not 200 (§0.3)"
http GET "$GRIOT_URL/api/v4/$(printf 'p%.0s' $(seq 3000))"
if [ "$STATUS" != 414 ] && [ "$STATUS" != 404 ]; then _err "status $STATUS, expected 414 (or 404)"; fi
case_end

case_begin BAD-26 "server still serves after the bad requests"
still_serving
case_end

# --- slow clients ---------------------------------------------------------------------------------
case_begin BAD-30 "slow client: headers never finished; closed after connection_timeout=2 while others succeed"
mark
exec 3<>"/dev/tcp/127.0.0.1/$GRIOT_PORT"
printf 'POST /hooks/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' "$H" >&3
t0=$(date +%s%N)
for i in 1 2 3; do
    still_serving
done
closed=no
if timeout 9 cat <&3 >"$_IT_TMP/slow1.out" 2>/dev/null; then closed=yes; fi
el=$((($(date +%s%N) - t0) / 1000000))
exec 3<&- 3>&-
assert_eq "server closed the stalled connection within 9 s" yes "$closed"
note "BAD-30: stalled connection closed after ${el} ms; it received: $(_trunc 80 "$(head -c 200 "$_IT_TMP/slow1.out")")"
assert_eq "posts stored in total (3 from the other client)" "$((BEFORE + 3))" "$(total_posts)"
case_end

case_begin BAD-31 "slow client: body shorter than Content-Length, then stall -> closed, nothing stored"
mark
exec 3<>"/dev/tcp/127.0.0.1/$GRIOT_PORT"
printf 'POST /hooks/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n{"text":"never fin' "$H" >&3
closed=no
if timeout 9 cat <&3 >/dev/null 2>&1; then closed=yes; fi
exec 3<&- 3>&-
assert_eq "server closed the stalled connection within 9 s" yes "$closed"
assert_nothing_stored
still_serving
case_end

case_begin BAD-32 "idle keep-alive connection is closed after connection_timeout; a second request on time works"
exec 3<>"/dev/tcp/127.0.0.1/$GRIOT_PORT"
printf 'GET /api/v4/system/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&3
closed=no
if timeout 9 cat <&3 >"$_IT_TMP/ka.out" 2>/dev/null; then closed=yes; fi
exec 3<&- 3>&-
assert_eq "idle keep-alive closed within 9 s" yes "$closed"
assert_match "got the ping answer first" "$(head -n 1 "$_IT_TMP/ka.out")" '^HTTP/1\.1 200'
case_end

# --- many connections -----------------------------------------------------------------------------
# On a server with the default connection_timeout (30 s): opening thousands of sockets takes a
# while on a loaded machine, and the first ones must not time out before the requests are sent.
griot_stop
griot_start --set hook_rate=0
H=$BOOT_HOOK
N_POST=2000
if [ "$hard" -lt $((N_POST + 500)) ]; then N_POST=$((hard - 500)); fi
case_begin BAD-40 "$N_POST connections at once, each POSTing one message -> all 200 ok, all stored once"
before=$(post_count town-square)
run="conn$RANDOM"
summary=$(node "$NODE_DIR/conns.mjs" post 127.0.0.1 "$GRIOT_PORT" "$N_POST" "$H" "$run" 2>&1 || true)
if ! printf '%s' "$summary" | jq -e . >/dev/null 2>&1; then summary="{\"error\": $(printf '%s' "$summary" | head -c 2000 | jq -Rs .)}"; fi
note "BAD-40: $(printf '%s' "$summary" | jq -c .)"
assert_jq "all connected" "$summary" '.connected == ($n | tonumber)' --arg n "$N_POST"
assert_jq "all answered 200 ok" "$summary" '.ok == ($n | tonumber)' --arg n "$N_POST"
assert_eq "town-square posts +$N_POST" "$((before + N_POST))" "$(post_count town-square)"
stored=$(posts_json town-square | jq --arg p "$run-" '[.posts[].message | select(startswith($p))] | if length == (unique | length) then length else "duplicates" end')
assert_eq "each stored exactly once" "$N_POST" "$stored"
case_end

N_IDLE=10000
if [ "$hard" -lt $((N_IDLE + 500)) ]; then
    N_IDLE=$((hard - 500))
    note "fd limit $hard: using $N_IDLE idle connections instead of 10000"
fi
case_begin BAD-41 "$N_IDLE idle connections at once -> the server still answers meanwhile and right after"
summary=$(node "$NODE_DIR/conns.mjs" idle 127.0.0.1 "$GRIOT_PORT" "$N_IDLE" 1500 2>&1 || true)
if ! printf '%s' "$summary" | jq -e . >/dev/null 2>&1; then summary="{\"error\": $(printf '%s' "$summary" | head -c 2000 | jq -Rs .)}"; fi
note "BAD-41: $summary"
assert_jq "connections opened" "$summary" '.connected > 0'
assert_jq "a new request is answered while they are open" "$summary" '.probeDuringLoad.status == 200'
if ! kill -0 "$GRIOT_PID" 2>/dev/null; then _err "griot died"; fi
deadline=$((SECONDS + 10))
while :; do
    http GET "$GRIOT_URL/api/v4/system/ping"
    [ "$STATUS" = 200 ] && break
    [ "$SECONDS" -ge "$deadline" ] && break
    sleep 0.2
done
assert_status 200
still_serving
case_end

case_begin BAD-42 "$N_IDLE connections at once, each POSTing -> every one answered (200 ok, or an AppError such as 503 server_busy); stored == 200s"
before=$(post_count town-square)
run="many$RANDOM"
summary=$(node "$NODE_DIR/conns.mjs" post 127.0.0.1 "$GRIOT_PORT" "$N_IDLE" "$H" "$run" 2>&1 || true)
if ! printf '%s' "$summary" | jq -e . >/dev/null 2>&1; then summary="{\"error\": $(printf '%s' "$summary" | head -c 2000 | jq -Rs .)}"; fi
note "BAD-42: $(printf '%s' "$summary" | jq -c .)"
assert_jq "all connected" "$summary" '.connected == ($n | tonumber)' --arg n "$N_IDLE"
assert_jq "no connection left without an HTTP answer" "$summary" '(.statuses.none // 0) == 0 and (.failures | length) == 0'
assert_jq "only 200 or 503 answers" "$summary" '.statuses | keys - ["200", "503"] | length == 0'
assert_jq "every 200 had the ok body" "$summary" '.ok == (.statuses["200"] // 0)'
oks=$(printf '%s' "$summary" | jq '.ok // 0')
assert_eq "town-square posts + answered 200" "$((before + oks))" "$(post_count town-square)"
still_serving
case_end

griot_stop
finish
