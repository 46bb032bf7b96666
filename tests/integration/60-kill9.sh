#!/usr/bin/env bash
# Acknowledged = committed: SIGKILL griot in the middle of a load; after a restart on the same data
# every message that got "200 ok" is stored, exactly once.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready

TOTAL=100000 # upper bound: the kill comes after about 1 s, the senders stop when refused
CONC=20
griot_start --set hook_rate=0
H=$BOOT_HOOK
DATA=$GRIOT_DATA
URL=$GRIOT_URL
ACKS="$_IT_TMP/acks"
: >"$ACKS"
run="k9$RANDOM"

case_begin K9-1 "SIGKILL during a $CONC-sender load; restart; every acknowledged message stored exactly once"
node "$NODE_DIR/load.mjs" "$URL/hooks/$H" "$TOTAL" "$CONC" "$run" "$ACKS" stop-on-refused >"$_IT_TMP/load.json" 2>&1 &
LOAD_PID=$!
bg_track "$LOAD_PID"
# Kill after about 1 s of load (sooner once 2000 requests were acknowledged), and not before
# 100 were acknowledged (20 s at most).
t0=$(date +%s%N)
while :; do
    a=$(wc -l <"$ACKS")
    el=$((($(date +%s%N) - t0) / 1000000))
    if [ "$a" -ge 2000 ] || { [ "$el" -ge 1000 ] && [ "$a" -ge 100 ]; } || [ "$el" -ge 20000 ]; then break; fi
    sleep 0.02
done
griot_kill9 "$GRIOT_PID"
acked_at_kill=$(wc -l <"$ACKS")
wait "$LOAD_PID" || true
note "K9-1 load: $(cat "$_IT_TMP/load.json")"
acked=$(sort -u "$ACKS" | wc -l)
note "K9-1: $acked_at_kill acknowledged when killed, $acked in all, of $TOTAL"
if [ "$acked" -ge "$TOTAL" ]; then _err "the load finished before the kill ($acked of $TOTAL acknowledged): nothing was tested"; fi
if [ "$acked" -lt 100 ]; then _err "only $acked requests acknowledged before the kill"; fi
assert_eq "no text acknowledged twice" "$(wc -l <"$ACKS")" "$acked"

REUSE_DATA=$DATA griot_start --set hook_rate=0
P="$_IT_TMP/stored"
posts_json town-square | jq -r --arg p "$run-" '.posts[].message | select(startswith($p))' | sort >"$P"
stored=$(wc -l <"$P")
dups=$(uniq -d "$P" | wc -l)
missing=$(sort -u "$ACKS" | comm -23 - "$P" | wc -l)
note "K9-1: $stored stored after restart ($((stored - acked)) more than acknowledged: in flight at the kill)"
assert_eq "acknowledged but not stored" 0 "$missing"
if [ "$missing" -gt 0 ]; then _err "first missing: $(sort -u "$ACKS" | comm -23 - "$P" | head -n 5 | tr '\n' ' ')"; fi
assert_eq "stored more than once" 0 "$dups"
if [ "$stored" -gt "$TOTAL" ]; then _err "$stored stored > $TOTAL sent"; fi
case_end

case_begin K9-2 "restart on an existing store: no second bootstrap, no curl line, same hook works"
assert_eq "curl line on the second start" 0 "$(grep -c '^curl ' "$GRIOT_DATA/serve.out" || true)"
chans=$("$GRIOT" channel list --json)
assert_jq "one town-square, one off-topic" "$chans" '([.[] | select(.name == "town-square")] | length) == 1 and ([.[] | select(.name == "off-topic")] | length) == 1'
t=$(uniq_text K9-2)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
assert_jq "stored" "$(last_post town-square)" '.message == $t' --arg t "$t"
case_end

case_begin K9-3 "SIGTERM during a load: exit 0 within 10 s; every acknowledged message stored exactly once"
ACKS2="$_IT_TMP/acks2"
: >"$ACKS2"
run2="term$RANDOM"
node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 1000000 "$CONC" "$run2" "$ACKS2" stop-on-refused >"$_IT_TMP/load2.json" 2>&1 &
LOAD_PID=$!
bg_track "$LOAD_PID"
t0=$(date +%s%N)
while [ "$(wc -l <"$ACKS2")" -lt 300 ] && [ $((($(date +%s%N) - t0) / 1000000)) -lt 20000 ]; do sleep 0.02; done
failed_before=$_FAILED
griot_stop
if [ "$_FAILED" -gt "$failed_before" ]; then _err "no clean shutdown under load (see the line above)"; fi
wait "$LOAD_PID" || true
note "K9-3 load: $(cat "$_IT_TMP/load2.json")"
acked=$(sort -u "$ACKS2" | wc -l)
REUSE_DATA=$DATA griot_start --set hook_rate=0
posts_json town-square | jq -r --arg p "$run2-" '.posts[].message | select(startswith($p))' | sort >"$P"
missing=$(sort -u "$ACKS2" | comm -23 - "$P" | wc -l)
note "K9-3: $acked acknowledged, $(wc -l <"$P") stored"
if [ "$acked" -ge 1000000 ]; then _err "the load finished before SIGTERM: nothing was tested"; fi
assert_eq "acknowledged but not stored" 0 "$missing"
assert_eq "stored more than once" 0 "$(uniq -d "$P" | wc -l)"
case_end
griot_stop
finish
