#!/usr/bin/env bash
# Group commit: 50 concurrent senders, every request 200 ok, every message stored exactly once,
# and /metrics shows more than one row per commit. Also the operations endpoints.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready

griot_start --set hook_rate=0
H=$BOOT_HOOK

# metric NAME: sum of the samples of NAME in /metrics (empty if absent).
metric() {
    http GET "$GRIOT_URL/metrics"
    printf '%s\n' "$BODY" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $NF; f = 1 } END { if (f) printf "%.0f\n", s }'
}

case_begin OPS-1 "GET /api/v4/system/ping -> 200 {\"status\":\"OK\"}"
http GET "$GRIOT_URL/api/v4/system/ping"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
assert_match "Content-Type" "$(hdr Content-Type)" '^application/json'
case_end

case_begin OPS-2 "GET /healthz -> 200"
http GET "$GRIOT_URL/healthz"
assert_status 200
case_end

case_begin OPS-3 "GET /metrics -> Prometheus text with the store commit counters; no hook id in it"
http GET "$GRIOT_URL/metrics"
assert_status 200
assert_match "Content-Type" "$(hdr Content-Type)" '^text/plain'
assert_match "griot_store_commits_total" "$BODY" '(^|'$'\n'')griot_store_commits_total(\{[^}]*\})? [0-9]'
assert_match "griot_store_rows_committed_total" "$BODY" '(^|'$'\n'')griot_store_rows_committed_total(\{[^}]*\})? [0-9]'
post_json "$H" '{"text":"OPS-3 one post so that a hook route is counted"}'
http GET "$GRIOT_URL/metrics"
if [[ "$BODY" == *"$H"* ]]; then _err "/metrics contains the hook id (hook ids are credentials)"; fi
# the first-start curl line on stdout is the one allowed place
if cat "$GRIOT_DATA/serve.out" "$GRIOT_DATA/serve.err" | grep -v '^curl ' | grep -q -- "$H"; then
    _err "the hook id appears in griot's log output"
fi
case_end

TOTAL=2000
CONC=50
case_begin GC-1 "$CONC concurrent senders x $TOTAL requests: all 200 ok, all stored once, rows/commit > 1"
c0=$(metric griot_store_commits_total)
r0=$(metric griot_store_rows_committed_total)
before=$(post_count town-square)
run="gc$RANDOM"
: >"$_IT_TMP/acks"
summary=$(node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" "$TOTAL" "$CONC" "$run" "$_IT_TMP/acks")
note "GC-1 load: $summary"
assert_jq "all 200 ok" "$summary" '.acked == ($t | tonumber)' --arg t "$TOTAL"
assert_eq "town-square posts +$TOTAL" "$((before + TOTAL))" "$(post_count town-square)"
all=$(posts_json town-square)
assert_jq "each text stored exactly once" "$all" '[.posts[].message | select(startswith($p))] | length == ($t | tonumber) and (unique | length) == ($t | tonumber)' --arg p "$run-" --arg t "$TOTAL"
assert_jq "ID-1: post ids unique, 26 chars, z-base-32" "$all" '(.order | length) == (.order | unique | length) and all(.order[]; test("^[ybndrfg8ejkmcpqxot1uwisza345h769]{26}$"))'
c1=$(metric griot_store_commits_total)
r1=$(metric griot_store_rows_committed_total)
if [ -z "$c0" ] || [ -z "$c1" ] || [ -z "$r0" ] || [ -z "$r1" ]; then
    _err "metrics missing: commits $c0 -> $c1, rows $r0 -> $r1"
else
    dc=$((c1 - c0))
    dr=$((r1 - r0))
    note "GC-1 metrics: $dr rows in $dc commits"
    if [ "$dr" -lt "$TOTAL" ]; then _err "rows committed grew by $dr < $TOTAL"; fi
    if [ "$dc" -le 0 ] || [ "$dr" -le "$dc" ]; then _err "rows/commits = $dr/$dc, not > 1 (no group commit)"; fi
fi
case_end

N_CURL=500
case_begin GC-2 "$N_CURL curl processes, 50 in parallel (xargs -P 50): all 200 ok, all stored"
before=$(post_count town-square)
run="gcc$RANDOM"
seq 1 "$N_CURL" | xargs -P 50 -I{} curl -sS -o /dev/null -w '%{http_code}\n' --max-time 30 \
    -H 'Content-Type: application/json' --data-binary "{\"text\":\"$run-{}\"}" "$GRIOT_URL/hooks/$H" \
    >"$_IT_TMP/codes" 2>"$_IT_TMP/curl-errs" || true
assert_eq "200 answers" "$N_CURL" "$(grep -c '^200$' "$_IT_TMP/codes" || true)"
assert_eq "town-square posts +$N_CURL" "$((before + N_CURL))" "$(post_count town-square)"
assert_jq "each stored once" "$(posts_json town-square)" '[.posts[].message | select(startswith($p))] | length == ($n | tonumber) and (unique | length) == ($n | tonumber)' --arg p "$run-" --arg n "$N_CURL"
case_end

griot_stop
finish
