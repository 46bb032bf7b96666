#!/usr/bin/env bash
# The per-hook queue is durable (issue 2: "the queue survives restarts and kill -9"): messages
# answered "200 ok" and still waiting for a slow hook are posted after a SIGTERM/SIGKILL and a
# restart on the same data dir, exactly once and in arrival order; new requests after the restart
# do not overtake them. Cases QD-1..QD-5.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rl.sh
. "$(dirname "$0")/lib_rl.sh"
node_ready

count_lines() { printf '%s\n' "$1" | grep -c . || true; }
expect_seq() { local i; for ((i = 1; i <= $2; i++)); do echo "$1-$i"; done; }
not_ok() { jq -s '[.[] | select(.status != 200 or .body != "ok")] | length' "$1"; }
send_texts() {
    local h=$1 p=$2 n=$3 conc=${4:-1}
    texts_file "$p" "$n" >"$_IT_TMP/$p.bodies"
    rl_send "$GRIOT_URL/hooks/$h" "$_IT_TMP/$p.bodies" "$_IT_TMP/$p.out" "$conc"
}
assert_texts_once_in_order() {
    local ch=$1 p=$2 n=$3 got want
    got=$(stored_texts "$ch" "$p-")
    want=$(expect_seq "$p" "$n")
    if [ "$got" != "$want" ]; then
        local dups missing
        dups=$(printf '%s\n' "$got" | sort | uniq -d | head -n 5 | tr '\n' ' ')
        missing=$(comm -23 <(printf '%s\n' "$want" | sort) <(printf '%s\n' "$got" | sort) | head -n 5 | tr '\n' ' ')
        if [ "$(printf '%s\n' "$got" | sort)" = "$(printf '%s\n' "$want" | sort)" ]; then
            _err "$ch: all $n texts stored once but NOT in arrival order: $(_trunc 300 "$(printf '%s' "$got" | tr '\n' ' ')")"
        else
            _err "$ch: $(count_lines "$got") of $n texts stored; duplicated: [$dups]; missing: [$missing]"
        fi
    fi
}
# check_acked_once CHANNEL PREFIX ACKLOG TOTAL: every acknowledged text stored exactly once, nothing
# stored twice, nothing beyond what was sent
check_acked_once() {
    local ch=$1 p=$2 acks=$3 total=$4 stored missing dups n
    stored="$_IT_TMP/stored.$p"
    stored_texts "$ch" "$p-" | sort >"$stored"
    n=$(wc -l <"$stored")
    missing=$(sort -u "$acks" | comm -23 - "$stored")
    dups=$(uniq -d "$stored")
    note "$_CASE_ID: $(sort -u "$acks" | wc -l) acknowledged, $n stored"
    if [ -n "$missing" ]; then _err "$(count_lines "$missing") acknowledged texts not stored; first: $(head -n 5 <<<"$missing" | tr '\n' ' ')"; fi
    if [ -n "$dups" ]; then _err "$(count_lines "$dups") texts stored more than once; first: $(head -n 5 <<<"$dups" | tr '\n' ' ')"; fi
    if [ "$n" -gt "$total" ]; then _err "$n stored > $total sent"; fi
    if [ "$(sort -u "$acks" | wc -l)" != "$(wc -l <"$acks")" ]; then _err "a text was acknowledged twice"; fi
}
# wait_drained CHANNEL PREFIX ACKLOG SECS: poll until every acknowledged text is stored and the
# queue is empty (or SECS pass)
wait_drained() {
    local ch=$1 p=$2 acks=$3 secs=$4 t0 want
    want=$(sort -u "$acks" | wc -l)
    t0=$(now_ms)
    while :; do
        if [ "$(stored_texts "$ch" "$p-" | sort -u | comm -12 - <(sort -u "$acks") | wc -l)" -ge "$want" ] &&
            [ "$(metric griot_hook_queue_depth)" = 0 ]; then break; fi
        [ $(($(now_ms) - t0)) -ge $((secs * 1000)) ] && break
        sleep 0.2
    done
    WAITED_MS=$(($(now_ms) - t0))
}

# =============================================================================================
case_begin QD-1 "SIGTERM while 10 messages wait for a slow hook (--rate 2 --burst 1, no digest): clean exit; after restart all are posted exactly once, in order, and a request sent right after the restart comes last"
griot_start --set digest_threshold=0
DATA=$GRIOT_DATA
H=$(hook_create --channel town-square --rate 2 --burst 1)
run="qd1$RANDOM"
t0=$(now_ms)
send_texts "$H" "$run" 10 >/dev/null
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
while [ $(($(now_ms) - t0)) -lt 1200 ]; do sleep 0.05; done
griot_stop
n_stop=$(stored_texts town-square "$run-" | wc -l)
note "QD-1: $n_stop of 10 posted before SIGTERM ($(($(now_ms) - t0)) ms after the first request)"
if [ "$n_stop" -ge 10 ]; then _err "all 10 were posted before the restart: nothing was tested"; fi
assert_eq "posted before SIGTERM, in order" "$(expect_seq "$run" "$n_stop")" "$(stored_texts town-square "$run-")"
REUSE_DATA=$DATA griot_start --set digest_threshold=0
post_json "$H" "{\"text\":\"$run-11\"}"
assert_ok_response
depth=$(metric griot_hook_queue_depth)
note "QD-1: queue depth just after the restart: $depth"
if [ -z "$depth" ] || [ "$depth" -lt 1 ]; then _err "griot_hook_queue_depth after the restart is '$depth' (messages were waiting)"; fi
wait_texts town-square "$run-" 11 10
assert_texts_once_in_order town-square "$run" 11
griot_stop
case_end

# =============================================================================================
case_begin QD-2 "SIGTERM with a digestible backlog (threshold 10, 30 messages, --rate 0.5 --burst 1): after restart every text stored exactly once, in order, digests well formed"
griot_start
DATA=$GRIOT_DATA
H=$(hook_create --channel town-square --rate 0.5 --burst 1)
run="qd2$RANDOM"
send_texts "$H" "$run" 30 >/dev/null
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
griot_stop
n_stop=$(stored_texts town-square "$run-" | wc -l)
note "QD-2: $n_stop of 30 posted before SIGTERM"
REUSE_DATA=$DATA griot_start
wait_texts town-square "$run-" 30 8
assert_texts_once_in_order town-square "$run" 30
probs=$(check_digests town-square "$run-")
if [ -n "$probs" ]; then _err "$(_trunc 600 "$probs")"; fi
assert_jq "a digest was made" "$(logical_posts town-square "$run-")" 'any(.[]; .props.griot_digest_count != null)'
griot_stop
case_end

# =============================================================================================
case_begin QD-3 "SIGKILL while 10 messages are queued (--rate 2 --burst 1, no digest): after restart all are posted exactly once, in order"
griot_start --set digest_threshold=0
DATA=$GRIOT_DATA
H=$(hook_create --channel off-topic --rate 2 --burst 1)
run="qd3$RANDOM"
send_texts "$H" "$run" 10 >/dev/null
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
sleep 0.3
griot_kill9 "$GRIOT_PID"
n_stop=$(stored_texts off-topic "$run-" | wc -l)
note "QD-3: $n_stop of 10 posted before SIGKILL"
if [ "$n_stop" -ge 10 ]; then _err "all 10 were posted before the kill: nothing was tested"; fi
REUSE_DATA=$DATA griot_start --set digest_threshold=0
wait_texts off-topic "$run-" 10 8
assert_texts_once_in_order off-topic "$run" 10
griot_stop
case_end

# =============================================================================================
case_begin QD-4 "SIGKILL during a 20-sender load on a --rate 100 --burst 1 hook (pacer draining), restart, SIGKILL again while the pacer drains the backlog, restart: every acknowledged text stored exactly once"
griot_start --set digest_threshold=0
DATA=$GRIOT_DATA
H=$(hook_create --channel town-square --rate 100 --burst 1)
run="qd4$RANDOM"
ACKS="$_IT_TMP/qd4.acks"
: >"$ACKS"
node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 4000 20 "$run" "$ACKS" >"$_IT_TMP/qd4.load" 2>&1 &
LOAD_PID=$!
bg_track "$LOAD_PID"
t0=$(now_ms)
while :; do
    a=$(wc -l <"$ACKS")
    el=$(($(now_ms) - t0))
    if [ "$a" -ge 800 ] || [ "$el" -ge 10000 ]; then break; fi
    sleep 0.05
done
griot_kill9 "$GRIOT_PID"
wait "$LOAD_PID" || true
note "QD-4 load: $(cat "$_IT_TMP/qd4.load")"
acked=$(sort -u "$ACKS" | wc -l)
posted1=$(stored_texts town-square "$run-" | wc -l)
note "QD-4: first kill after $el ms: $acked acknowledged, $posted1 posted"
if [ "$acked" -lt 300 ]; then _err "only $acked acknowledged before the kill"; fi
if [ "$posted1" -ge "$acked" ]; then _err "the queue was empty at the kill ($posted1 posted, $acked acknowledged): nothing was tested"; fi
REUSE_DATA=$DATA griot_start --set digest_threshold=0
sleep 1
griot_kill9 "$GRIOT_PID"
posted2=$(stored_texts town-square "$run-" | wc -l)
note "QD-4: second kill: $posted2 posted"
if [ "$posted2" -le "$posted1" ]; then _err "nothing was posted between the restart and the second kill ($posted1 -> $posted2)"; fi
if [ "$posted2" -ge "$acked" ]; then _err "the backlog was drained before the second kill: the drain was not interrupted"; fi
REUSE_DATA=$DATA griot_start --set digest_threshold=0
wait_drained town-square "$run" "$ACKS" 20
note "QD-4: drained ${WAITED_MS} ms after the second restart ($((acked - posted2)) left at 100/s)"
check_acked_once town-square "$run" "$ACKS" 4000
griot_stop
case_end

# =============================================================================================
case_begin QD-5 "4 x (restart, 20-sender load on a --rate 5 --burst 1 hook with digests (threshold 10), SIGKILL at a random moment of the load): every acknowledged text stored exactly once (inside digests)"
griot_start
DATA=$GRIOT_DATA
H=$(hook_create --channel off-topic --rate 5 --burst 1)
run="qd5$RANDOM"
ACKS="$_IT_TMP/qd5.acks"
: >"$ACKS"
for it in 1 2 3 4; do
    [ "$it" -gt 1 ] && REUSE_DATA=$DATA griot_start
    node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 2000 20 "$run-i$it" "$ACKS" >"$_IT_TMP/qd5.load.$it" 2>&1 &
    LOAD_PID=$!
    bg_track "$LOAD_PID"
    # kill 0..800 ms after the load got its first 50 answers (node needs a while to start)
    a0=$(wc -l <"$ACKS")
    t0=$(now_ms)
    while [ "$(wc -l <"$ACKS")" -lt $((a0 + 50)) ] && [ $(($(now_ms) - t0)) -lt 10000 ]; do sleep 0.02; done
    kill_at=$((RANDOM % 800))
    t0=$(now_ms)
    while [ $(($(now_ms) - t0)) -lt "$kill_at" ]; do sleep 0.02; done
    griot_kill9 "$GRIOT_PID"
    wait "$LOAD_PID" || true
    note "QD-5 round $it: killed $kill_at ms after the 50th answer; load: $(cat "$_IT_TMP/qd5.load.$it")"
done
acked=$(sort -u "$ACKS" | wc -l)
note "QD-5: $acked acknowledged, $(stored_texts off-topic "$run-" | wc -l) posted before the last restart"
if [ "$acked" -lt 100 ]; then _err "only $acked acknowledged"; fi
REUSE_DATA=$DATA griot_start
wait_drained off-topic "$run" "$ACKS" 15
check_acked_once off-topic "$run" "$ACKS" 8000
probs=$(check_digests off-topic "$run-")
if [ -n "$probs" ]; then _err "$(_trunc 600 "$probs")"; fi
lp=$(logical_posts off-topic "$run-")
note "QD-5: $(jq length <<<"$lp") posts, $(jq '[.[] | select(.props.griot_digest_count != null)] | length' <<<"$lp") digests"
assert_jq "a digest was made" "$lp" 'any(.[]; .props.griot_digest_count != null)'
griot_stop
case_end

finish
