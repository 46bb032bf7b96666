#!/usr/bin/env bash
# Mattermost's global rate limiter (spec §7, cases RL-1..RL-8; RL-1b, RL-5b..f and RL-9 are extras).
# RL-1 runs on the default configuration; the others switch the limiter on with
# --set rate_limit_enable=true and hook_rate=0 (so the per-hook limiter does not interfere).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rl.sh
. "$(dirname "$0")/lib_rl.sh"
node_ready

# texts stored in town-square that start with $1, one a line, sorted
stored_sorted() { stored_texts town-square "$1" | sort; }

# ---------------------------------------------------------------------------------------------
# RL-1: limiter disabled (default)
# ---------------------------------------------------------------------------------------------
griot_start --set hook_rate=0
H=$BOOT_HOOK

case_begin RL-1 "limiter off (default), hook_rate=0: 500 posts as fast as possible from one IP -> all 200 ok, all stored once, no X-Ratelimit-* headers"
run="rl1$RANDOM"
: >"$_IT_TMP/acks1"
summary=$(node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 500 20 "$run" "$_IT_TMP/acks1")
note "RL-1 load: $summary"
assert_jq "all 500 answered 200 ok" "$summary" '.acked == 500 and .statuses == {"200": 500}'
s=$(stored_sorted "$run-")
assert_eq "stored texts" 500 "$(printf '%s\n' "$s" | grep -c . || true)"
assert_eq "distinct stored texts" 500 "$(printf '%s\n' "$s" | sort -u | grep -c . || true)"
post_json "$H" '{"text":"RL-1 one more"}'
assert_ok_response
if grep -qi '^X-Ratelimit-' "$HDR_FILE" || grep -qi '^Retry-After:' "$HDR_FILE"; then
    _err "rate-limit headers on a response with every limiter off: $(grep -i '^X-Ratelimit-\|^Retry-After' "$HDR_FILE" | tr -d '\r' | tr '\n' ' ')"
fi
case_end
griot_stop

# RL-1 on the whole default configuration (per-hook limiter too: 30/s, burst 60, queue): the
# spec's literal case - nothing is refused, and nothing is lost (queued texts may be digested).
griot_start
H=$BOOT_HOOK
case_begin RL-1b "full default configuration: 500 posts as fast as possible -> all 200 ok; within 10 s every text stored exactly once (digests counted)"
run="rl1b$RANDOM"
: >"$_IT_TMP/acks1b"
summary=$(node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 500 20 "$run" "$_IT_TMP/acks1b")
note "RL-1b load: $summary"
assert_jq "all 500 answered 200 ok" "$summary" '.acked == 500 and .statuses == {"200": 500}'
wait_texts town-square "$run-" 500 10
s=$(stored_sorted "$run-")
note "RL-1b: $(printf '%s\n' "$s" | grep -c . || true) texts stored after ${WAITED_MS} ms"
assert_eq "stored texts" 500 "$(printf '%s\n' "$s" | grep -c . || true)"
assert_eq "distinct stored texts" 500 "$(printf '%s\n' "$s" | sort -u | grep -c . || true)"
missing=$(sort -u "$_IT_TMP/acks1b" | comm -23 - <(printf '%s\n' "$s" | sort -u) | head -n 5 | tr '\n' ' ')
if [ -n "$missing" ]; then _err "acknowledged but not stored (first 5): $missing"; fi
case_end
griot_stop

# ---------------------------------------------------------------------------------------------
# RL-2: PerSec=1, MaxBurst=0
# ---------------------------------------------------------------------------------------------
# The shell is slow (a loaded 2-core machine: ~0.1 s per helper); requests that must reach one
# bucket "at once" are sent back to back and asserted afterwards, and the later cases use
# PerSec=0.1 (one token per 10 s) so that refills cannot happen inside a case.
griot_start --set hook_rate=0 --set rate_limit_enable=true --set rate_limit_per_sec=1 --set rate_limit_max_burst=0
H=$BOOT_HOOK

case_begin RL-2 "PerSec=1 MaxBurst=0: two immediate requests -> 200 then 429 'limit exceeded\\n' (text/plain; charset=utf-8, Retry-After >= 1); the 429's text is not stored; allowed again after Retry-After"
t1=$(uniq_text RL-2a)
t2=$(uniq_text RL-2b)
b1=$(jq -nc --arg t "$t1" '{text: $t}')
b2=$(jq -nc --arg t "$t2" '{text: $t}')
post_json "$H" "$b1"
save_resp rl2a
post_json "$H" "$b2"
save_resp rl2b
load_resp rl2a
assert_ok_response
assert_rl_headers 1 0
load_resp rl2b
assert_limit_exceeded 1
ra=$(hdr Retry-After)
assert_eq "first text stored" 1 "$(stored_texts town-square "$t1" | grep -c . || true)"
assert_eq "429 text stored" 0 "$(stored_texts town-square "$t2" | grep -c . || true)"
if [[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -le 5 ]; then
    sleep "$ra"
    t3=$(uniq_text RL-2c)
    post_json "$H" "$(jq -nc --arg t "$t3" '{text: $t}')"
    assert_ok_response
    assert_eq "text sent after Retry-After stored" 1 "$(stored_texts town-square "$t3" | grep -c . || true)"
fi
case_end
griot_stop

# ---------------------------------------------------------------------------------------------
# RL-4, RL-3: PerSec=10, MaxBurst=100
# ---------------------------------------------------------------------------------------------
griot_start --set hook_rate=0 --set rate_limit_enable=true --set rate_limit_per_sec=10 --set rate_limit_max_burst=100
H=$BOOT_HOOK

case_begin RL-4 "PerSec=10 MaxBurst=100: 150 requests as fast as possible -> about 101 succeed (+10/s refill), the rest 429; first response X-Ratelimit-Limit: 101; 200s stored, 429s not"
run="rl4$RANDOM"
t0=$(now_ms)
post_json "$H" "$(jq -nc --arg t "$run-0" '{text: $t}')"
assert_ok_response
assert_rl_headers 101 100
texts_file "$run" 149 >"$_IT_TMP/rl4.bodies"
summary=$(rl_send "$GRIOT_URL/hooks/$H" "$_IT_TMP/rl4.bodies" "$_IT_TMP/rl4.out" 10)
el=$(($(now_ms) - t0))
note "RL-4: $summary in $el ms (incl. the first request)"
okn=$(($(jq -s '[.[] | select(.status == 200 and .body == "ok")] | length' "$_IT_TMP/rl4.out") + 1))
lim=$(jq -s '[.[] | select(.status == 429)] | length' "$_IT_TMP/rl4.out")
other=$(jq -s '[.[] | select(.status != 429 and .status != 200)] | length' "$_IT_TMP/rl4.out")
maxok=$((101 + (el * 10 + 999) / 1000 + 1))
note "RL-4: $okn succeeded, $lim limited (expected 101..$maxok succeeded)"
if [ "$okn" -lt 101 ] || [ "$okn" -gt "$maxok" ]; then _err "$okn requests succeeded; expected 101..$maxok in $el ms"; fi
assert_eq "answers other than 200/429" 0 "$other"
assert_eq "200 + 429 = 150" 150 "$((okn + lim))"
bad=$(jq -sc '[.[] | select(.status == 429) | select(.body != "limit exceeded\n" or .h["content-type"] != "text/plain; charset=utf-8" or .h["x-request-id"] != null or .h["x-ratelimit-limit"] != "101" or ((.h["retry-after"] // "0") | tonumber) < 1)] | .[0:2]' "$_IT_TMP/rl4.out")
assert_eq "malformed 429 answers (first 2)" "[]" "$bad"
bad=$(jq -sc '[.[] | select(.status == 200) | select(.h["x-ratelimit-limit"] != "101" or .h["x-ratelimit-remaining"] == null or .h["x-ratelimit-reset"] == null)] | .[0:2]' "$_IT_TMP/rl4.out")
assert_eq "200 answers without X-Ratelimit-* (first 2)" "[]" "$bad"
want=$( (echo "$run-0"; jq -r --arg p "$run" 'select(.status == 200) | "\($p)-\(.i + 1)"' "$_IT_TMP/rl4.out") | sort)
assert_eq "stored texts = the 200 ones" "$want" "$(stored_sorted "$run-")"
case_end

case_begin RL-3 "limiter on: every passing response (hook 200, hook 400, API GET, unknown route 404) has X-Ratelimit-Limit/-Remaining/-Reset"
sleep 1
post_json "$H" '{"text":"RL-3 allowed"}'
assert_ok_response
assert_rl_headers 101
post_json "$H" '{"text":""}'
assert_status 400
assert_rl_headers 101
http GET "$GRIOT_URL/api/v4/system/ping"
assert_status 200
assert_rl_headers 101
http GET "$GRIOT_URL/api/v4/no/such/route"
assert_status 404
assert_rl_headers 101
case_end
griot_stop

# ---------------------------------------------------------------------------------------------
# RL-5: VaryByRemoteAddr, trusted proxies (PerSec=0.1, MaxBurst=2: 3 at once, then one per 10 s)
# ---------------------------------------------------------------------------------------------
LIM="--set hook_rate=0 --set rate_limit_enable=true --set rate_limit_per_sec=0.1"
# shellcheck disable=SC2086
griot_start $LIM --set rate_limit_max_burst=2 --set rate_limit_vary_by_remote_addr=true --set trusted_proxies=127.0.0.1/32
H=$BOOT_HOOK

# burst_from LABEL CURL-ARGS...: 4 requests back to back; the first 3 (the bucket: MaxBurst+1) must
# pass, the 4th gets the exact 429 and its text is not stored.
burst_from() {
    local label=$1 i t=()
    shift
    for i in 1 2 3 4; do t[i]=$(jq -nc --arg t "$(uniq_text "$label-$i")" '{text: $t}'); done
    for i in 1 2 3 4; do
        post_json "$H" "${t[i]}" "$@"
        save_resp "burst$i"
    done
    for i in 1 2 3; do
        load_resp "burst$i"
        if [ "$STATUS" != 200 ]; then _err "$label: request $i of the burst: status $STATUS (expected 200)"; fi
    done
    load_resp burst4
    assert_limit_exceeded 3
    if [ "$(stored_texts town-square "$(jq -r .text <<<"${t[4]}")" | grep -c . || true)" != 0 ]; then
        _err "$label: the 429'd text was stored"
    fi
}

case_begin RL-5 "VaryByRemoteAddr: burst exhausted from 127.0.0.2 -> requests from 127.0.0.3 (and 127.0.0.1) still 200, 127.0.0.2 still 429"
burst_from "RL-5 from .2" --interface 127.0.0.2
post_json "$H" '{"text":"RL-5 from .3"}' --interface 127.0.0.3
assert_ok_response
assert_rl_headers 3 2
post_json "$H" '{"text":"RL-5 from .1"}' --interface 127.0.0.1
assert_ok_response
post_json "$H" '{"text":"RL-5 from .2 again"}' --interface 127.0.0.2
assert_limit_exceeded 3
case_end

case_begin RL-5b "X-Forwarded-For from a trusted proxy (127.0.0.1/32) is the key: 10.0.0.1 exhausted, 10.0.0.2 still 200"
burst_from "RL-5b xff 10.0.0.1" --interface 127.0.0.1 -H 'X-Forwarded-For: 10.0.0.1'
post_json "$H" '{"text":"RL-5b xff 10.0.0.2"}' --interface 127.0.0.1 -H 'X-Forwarded-For: 10.0.0.2'
assert_ok_response
assert_rl_headers 3 2
case_end

case_begin RL-5c "X-Forwarded-For from an untrusted peer (127.0.0.4) is ignored: changing it does not give a new bucket"
burst_from "RL-5c untrusted xff 10.0.0.7" --interface 127.0.0.4 -H 'X-Forwarded-For: 10.0.0.7'
post_json "$H" '{"text":"RL-5c untrusted xff 10.0.0.8"}' --interface 127.0.0.4 -H 'X-Forwarded-For: 10.0.0.8'
assert_limit_exceeded 3
post_json "$H" '{"text":"RL-5c untrusted no xff"}' --interface 127.0.0.4
assert_limit_exceeded 3
case_end
griot_stop

# shellcheck disable=SC2086
griot_start $LIM --set rate_limit_max_burst=2 --set rate_limit_vary_by_remote_addr=false
H=$BOOT_HOOK
case_begin RL-5d "VaryByRemoteAddr=false (and no other key): all clients share one bucket"
burst_from "RL-5d from .2" --interface 127.0.0.2
post_json "$H" '{"text":"RL-5d from .3"}' --interface 127.0.0.3
assert_limit_exceeded 3
case_end
griot_stop

# RL-5e: a dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d; they must still match an IPv4
# trusted_proxies entry, and an IPv4-mapped X-Forwarded-For is the same client as the plain one.
if node -e 'const s=require("net").createServer();s.on("error",()=>process.exit(1));s.listen(0,"::",()=>s.close(()=>process.exit(0)));' 2>/dev/null; then
    # shellcheck disable=SC2086
    griot_start --listen '[::]:0' $LIM --set rate_limit_max_burst=2 --set trusted_proxies=127.0.0.1/32
    H=$BOOT_HOOK
    GRIOT_URL="http://127.0.0.1:$GRIOT_PORT"
case_begin RL-5e "dual-stack [::]:0 listener: the IPv4-mapped peer ::ffff:127.0.0.1 is the trusted proxy 127.0.0.1/32 (its X-Forwarded-For is the key)"
    burst_from "RL-5e xff 10.0.0.1" -H 'X-Forwarded-For: 10.0.0.1'
    post_json "$H" '{"text":"RL-5e xff 10.0.0.2"}' -H 'X-Forwarded-For: 10.0.0.2'
    assert_ok_response
    assert_rl_headers 3 2
    case_end
    # issue 2: "IPv4-mapped addresses normalised" - also when the address comes from a trusted
    # proxy's X-Forwarded-For (a dual-stack proxy writes ::ffff:a.b.c.d)
    case_begin RL-5f "X-Forwarded-For ::ffff:10.0.0.1 (from the trusted proxy) is the same client as 10.0.0.1: still limited"
    post_json "$H" '{"text":"RL-5f xff ::ffff:10.0.0.1"}' -H 'X-Forwarded-For: ::ffff:10.0.0.1'
    assert_limit_exceeded 3
    case_end
    griot_stop
else
    note "RL-5e not run: cannot bind the dual-stack wildcard [::]:0 here"
fi

# ---------------------------------------------------------------------------------------------
# RL-6: VaryByHeader
# ---------------------------------------------------------------------------------------------
# shellcheck disable=SC2086
griot_start $LIM --set rate_limit_max_burst=2 --set rate_limit_vary_by_header=X-Client
H=$BOOT_HOOK
case_begin RL-6 "VaryByHeader=X-Client, same IP: X-Client a exhausted -> b still 200; 'A' is a (value lowercased); no header is its own bucket"
burst_from "RL-6 a" -H 'X-Client: a'
post_json "$H" '{"text":"RL-6 b"}' -H 'X-Client: b'
assert_ok_response
assert_rl_headers 3 2
post_json "$H" '{"text":"RL-6 A"}' -H 'X-Client: A'
assert_limit_exceeded 3
post_json "$H" '{"text":"RL-6 none"}'
assert_ok_response
post_json "$H" '{"text":"RL-6 a again"}' -H 'x-client: a'
assert_limit_exceeded 3
case_end
griot_stop

# ---------------------------------------------------------------------------------------------
# RL-7, RL-8: one bucket per key across hooks and routes; the 429's shape
# ---------------------------------------------------------------------------------------------
# shellcheck disable=SC2086
griot_start $LIM --set rate_limit_max_burst=1
H=$BOOT_HOOK
H2=$(hook_create --channel off-topic)
case_begin RL-7 "two hook ids from the same IP share one bucket (MaxBurst=1: hook1 200, hook2 200, hook1 429, hook2 429, API 429); 429'd texts not stored; griot_rate_limited_total counts them"
rl0=$(RL_METRIC_ARGS="--interface 127.0.0.9" metric griot_rate_limited_total)
run="rl7$RANDOM"
post_json "$H" "{\"text\":\"$run-1\"}"
save_resp rl7a
post_json "$H2" "{\"text\":\"$run-2\"}"
save_resp rl7b
post_json "$H" "{\"text\":\"$run-3\"}"
save_resp rl7c
post_json "$H2" "{\"text\":\"$run-4\"}"
save_resp rl7d
http GET "$GRIOT_URL/api/v4/system/ping"
save_resp rl7e
load_resp rl7a
assert_ok_response
assert_rl_headers 2 1
load_resp rl7b
assert_ok_response
assert_rl_headers 2 0
for r in rl7c rl7d rl7e; do
    load_resp $r
    assert_limit_exceeded 2
done
assert_eq "town-square" "$run-1" "$(stored_texts town-square "$run-")"
assert_eq "off-topic" "$run-2" "$(stored_texts off-topic "$run-")"
rl1=$(RL_METRIC_ARGS="--interface 127.0.0.9" metric griot_rate_limited_total)
if [ -z "$rl0" ] || [ -z "$rl1" ]; then
    _err "griot_rate_limited_total missing from /metrics ('$rl0' -> '$rl1'; last /metrics status $STATUS)"
else
    assert_eq "griot_rate_limited_total delta" 3 "$((rl1 - rl0))"
fi
case_end

case_begin RL-8 "a 429 of the global limiter has no JSON AppError body and no X-Request-Id (hook, API GET, API POST, unknown route, unknown hook)"
for r in rl7c rl7d rl7e; do
    load_resp $r
    if printf '%s' "$BODY" | jq -e . >/dev/null 2>&1; then _err "$r: 429 body parses as JSON: $BODY"; fi
    if grep -qi '^X-Request-Id:' "$HDR_FILE"; then _err "$r: 429 has X-Request-Id"; fi
done
i=0
for req in "GET /api/v4/users/me" "POST /api/v4/posts" "GET /api/v4/no/such/route" "POST /hooks/aaaaaaaaaaaaaaaaaaaaaaaaaa"; do
    i=$((i + 1))
    if [ "${req% *}" = GET ]; then
        http GET "$GRIOT_URL${req#* }" -H "Authorization: Bearer $ADMIN_TOKEN"
    else
        http POST "$GRIOT_URL${req#* }" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' --data-binary '{"text":"x"}'
    fi
    save_resp "rl8-$i"
done
for ((j = 1; j <= i; j++)); do
    load_resp "rl8-$j"
    assert_limit_exceeded 2
    if printf '%s' "$BODY" | jq -e . >/dev/null 2>&1; then _err "$REQ_DESC: 429 body parses as JSON: $BODY"; fi
done
case_end
griot_stop

# ---------------------------------------------------------------------------------------------
# RL-9: VaryByUser (extra)
# ---------------------------------------------------------------------------------------------
# shellcheck disable=SC2086
griot_start $LIM --set rate_limit_max_burst=1 --set rate_limit_vary_by_user=true
case_begin RL-9 "VaryByUser: the auth token is the key: token A exhausted -> token B (same IP) still 200; no token falls back to the address"
for i in 1 2 3; do
    http GET "$GRIOT_URL/api/v4/system/ping" -H 'Authorization: Bearer tokenaaaaaaaaaaaaaaaaaaaaaa'
    save_resp "rl9-$i"
done
for i in 1 2; do
    load_resp "rl9-$i"
    assert_status 200
done
load_resp rl9-3
assert_limit_exceeded 2
http GET "$GRIOT_URL/api/v4/system/ping" -H 'Authorization: Bearer tokenbbbbbbbbbbbbbbbbbbbbbb'
assert_status 200
assert_rl_headers 2 1
http GET "$GRIOT_URL/api/v4/system/ping"
assert_status 200
assert_rl_headers 2 1
case_end
griot_stop

finish
