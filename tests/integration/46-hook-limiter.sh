#!/usr/bin/env bash
# griot's own per-hook limiter (issue 2, "Rate limiting - per hook, and nothing lost"): token bucket
# per hook, policy queue (durable queue, arrival order, digests) or reject (Mattermost's 429).
# Cases HL-1..HL-16. Everything is checked on what is STORED.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rl.sh
. "$(dirname "$0")/lib_rl.sh"
node_ready

# count_lines TEXT: number of non-empty lines
count_lines() { printf '%s\n' "$1" | grep -c . || true; }
# send_texts HOOK PREFIX N [CONC]: N bodies {"text":"PREFIX-i"} sent with rl_send; output in
# $_IT_TMP/PREFIX.out, summary printed
send_texts() {
    local h=$1 p=$2 n=$3 conc=${4:-1}
    texts_file "$p" "$n" >"$_IT_TMP/$p.bodies"
    rl_send "$GRIOT_URL/hooks/$h" "$_IT_TMP/$p.bodies" "$_IT_TMP/$p.out" "$conc"
}
# expect_seq PREFIX N: the lines PREFIX-1 .. PREFIX-N
expect_seq() { local i; for ((i = 1; i <= $2; i++)); do echo "$1-$i"; done; }
# not_ok OUTFILE: number of answers (of rl_send) that are not exactly 200 "ok"
not_ok() { jq -s '[.[] | select(.status != 200 or .body != "ok")] | length' "$1"; }
# assert_texts_once_in_order CHANNEL PREFIX N: stored_texts == PREFIX-1..N, in this order
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

# =============================================================================================
# Server A: default configuration (hook_rate 30, hook_burst 60, queue, digest_threshold 10)
# =============================================================================================
griot_start
HB=$BOOT_HOOK

case_begin HL-1 "policy reject (--rate 1 --burst 2 --over-limit reject): 3 quick requests -> 200, 200, 429 'limit exceeded\\n' with X-Ratelimit-*/Retry-After and no X-Request-Id; 429 not stored; other hooks unaffected; allowed again after Retry-After"
H=$(hook_create --channel town-square --rate 1 --burst 2 --over-limit reject)
rl0=$(metric griot_hook_rate_limited_total)
run="hl1$RANDOM"
for i in 1 2 3; do b[i]="{\"text\":\"$run-$i\"}"; done
for i in 1 2 3; do
    post_json "$H" "${b[i]}"
    save_resp "hl1-$i"
done
post_json "$HB" "{\"text\":\"$run-boot\"}"
save_resp hl1-boot
load_resp hl1-1
assert_ok_response
assert_rl_headers 2 1
load_resp hl1-2
assert_ok_response
assert_rl_headers 2 0
load_resp hl1-3
assert_limit_exceeded 2
ra=$(hdr Retry-After)
load_resp hl1-boot
assert_ok_response
assert_eq "stored" "$run-1"$'\n'"$run-2" "$(stored_texts town-square "$run-" | grep -v boot)"
assert_eq "boot hook post stored" 1 "$(stored_texts town-square "$run-boot" | grep -c . || true)"
rl1=$(metric griot_hook_rate_limited_total)
assert_eq "griot_hook_rate_limited_total delta" 1 "$((${rl1:-0} - ${rl0:-0}))"
if [[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -le 5 ]; then
    sleep "$ra"
    post_json "$H" "{\"text\":\"$run-4\"}"
    assert_ok_response
    assert_eq "stored after Retry-After" 1 "$(stored_texts town-square "$run-4" | grep -c . || true)"
fi
case_end

case_begin HL-4 "digest (threshold 10): 200 fast requests to a --rate 2 --burst 2 hook -> all 200 ok at once; within 10 s every text stored exactly once (inside digests), in arrival order; >= 1 digest post, each '**N messages** arrived faster...' with griot_digest_count = N texts; digest metrics move"
H=$(hook_create --channel town-square --rate 2 --burst 2)
run="hl4$RANDOM"
q0=$(metric griot_hook_queued_total)
d0=$(metric griot_hook_digested_total)
n0=$(metric griot_hook_digests_total)
summary=$(send_texts "$H" "$run" 200)
note "HL-4 send: $summary"
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
slow=$(jq -s '[.[] | select(.ms > 1000)] | length' "$_IT_TMP/$run.out")
assert_eq "answers slower than 1 s (queued requests are answered at once)" 0 "$slow"
wait_texts town-square "$run-" 200 10
note "HL-4: all texts stored after ${WAITED_MS} ms"
assert_texts_once_in_order town-square "$run" 200
lp=$(logical_posts town-square "$run-")
ndig=$(jq '[.[] | select(.props.griot_digest_count != null)] | length' <<<"$lp")
sdig=$(jq '[.[] | select(.props.griot_digest_count != null) | .props.griot_digest_count] | add // 0' <<<"$lp")
note "HL-4: $(jq length <<<"$lp") posts, $ndig digests holding $sdig texts"
if [ "$ndig" -lt 1 ]; then _err "no digest post (griot_digest_count) among the $(jq length <<<"$lp") posts"; fi
probs=$(check_digests town-square "$run-")
if [ -n "$probs" ]; then _err "$(_trunc 600 "$probs")"; fi
wait_metric griot_hook_queue_depth 0 5
q1=$(metric griot_hook_queued_total)
d1=$(metric griot_hook_digested_total)
n1=$(metric griot_hook_digests_total)
dq=$((${q1:-0} - ${q0:-0}))
note "HL-4 metrics: queued +$dq, digested +$((${d1:-0} - ${d0:-0})), digests +$((${n1:-0} - ${n0:-0}))"
if [ "$dq" -lt 190 ] || [ "$dq" -gt 198 ]; then _err "griot_hook_queued_total grew by $dq (expected 190..198: 200 minus the burst of 2 and refills)"; fi
assert_eq "griot_hook_digested_total delta = texts in digests" "$sdig" "$((${d1:-0} - ${d0:-0}))"
assert_eq "griot_hook_digests_total delta = digest posts" "$ndig" "$((${n1:-0} - ${n0:-0}))"
assert_eq "griot_hook_queue_depth after the drain" 0 "$(metric griot_hook_queue_depth)"
case_end

case_begin HL-5 "digest keeps attachments: 15 queued messages with one attachment each (rate 1 burst 1) -> every attachment stored exactly once, in order, fields intact; digest posts are slack_attachment with N attachments"
H=$(hook_create --channel town-square --rate 1 --burst 1)
run="hl5$RANDOM"
texts_file "$run" 15 '{text: $t, attachments: [{fallback: "fb \($t)", color: "#ff0000", title: "title \($t)", text: "att \($t)", fields: [{title: "n", value: $i, short: true}]}]}' >"$_IT_TMP/hl5.bodies"
summary=$(rl_send "$GRIOT_URL/hooks/$H" "$_IT_TMP/hl5.bodies" "$_IT_TMP/hl5.out")
note "HL-5 send: $summary"
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/hl5.out")"
wait_texts town-square "$run-" 15 8
assert_texts_once_in_order town-square "$run" 15
lp=$(logical_posts town-square "$run-")
atts=$(jq -r '[.[] | ._atts[] | .text] | .[]' <<<"$lp")
assert_eq "attachment texts, in order" "$(expect_seq "$run" 15 | sed 's/^/att /')" "$atts"
assert_jq "every attachment keeps fallback/color/title/fields (value as string)" "$lp" \
    '[.[] | ._atts[]] | all(.fallback == "fb \(.text[4:])" and .color == "#ff0000" and .title == "title \(.text[4:])" and (.fields | length) == 1 and .fields[0].title == "n" and .fields[0].value == (.text | split("-") | last) and .fields[0].short == true)'
assert_jq ">= 1 digest" "$lp" '[.[] | select(.props.griot_digest_count != null)] | length >= 1'
assert_jq "digest posts: type slack_attachment, attachments = griot_digest_count" "$lp" \
    'all(.[] | select(.props.griot_digest_count != null); .type == "slack_attachment" and (._atts | length) == .props.griot_digest_count)'
probs=$(check_digests town-square "$run-")
if [ -n "$probs" ]; then _err "$(_trunc 600 "$probs")"; fi
case_end

case_begin HL-5b "attachment-only messages (no text, as Alertmanager sends) queued past the threshold: every attachment stored exactly once, in order"
H=$(hook_create --channel off-topic --rate 1 --burst 1)
run="hl5b$RANDOM"
texts_file "$run" 14 '{attachments: [{fallback: $t, text: $t}]}' >"$_IT_TMP/hl5b.bodies"
summary=$(rl_send "$GRIOT_URL/hooks/$H" "$_IT_TMP/hl5b.bodies" "$_IT_TMP/hl5b.out")
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/hl5b.out")"
t0=$(now_ms)
while :; do
    got=$(posts_json off-topic | jq -r --arg p "$run-" '[.order[] as $i | .posts[$i]] | reverse | .[] | (.props.attachments // [])[] | .text | select(startswith($p))')
    [ "$(count_lines "$got")" -ge 14 ] && break
    [ $(($(now_ms) - t0)) -ge 8000 ] && break
    sleep 0.2
done
assert_eq "attachment texts, in order" "$(expect_seq "$run" 14)" "$got"
dp=$(posts_json off-topic | jq -c --arg p "$run-" '[.posts[] | select(any((.props.attachments // [])[]; .text | startswith($p)))]')
assert_jq ">= 1 digest" "$dp" 'any(.[]; .props.griot_digest_count != null)'
assert_jq "digest attachments = griot_digest_count" "$dp" 'all(.[] | select(.props.griot_digest_count != null); (.props.attachments | length) == .props.griot_digest_count)'
case_end

case_begin HL-6 "waiting messages with a different target channel or username/icon override are not merged into one digest; arrival order kept across channels"
H=$(hook_create --channel town-square --rate 5 --burst 1)
run="hl6$RANDOM"
# block: channel username icon_url icon_emoji
blocks=("town-square|alice||" "off-topic|alice||" "town-square|bob||" "town-square|bob|http://example.com/b.png|" "town-square|alice||" "town-square|alice||ghost")
: >"$_IT_TMP/hl6.bodies"
for k in "${!blocks[@]}"; do
    IFS='|' read -r ch un iu ie <<<"${blocks[k]}"
    for i in 1 2 3 4 5; do
        jq -nc --arg t "$run-$k-$i" --arg c "$ch" --arg u "$un" --arg iu "$iu" --arg ie "$ie" \
            '{text: $t, channel: $c, username: $u} + (if $iu != "" then {icon_url: $iu} else {} end) + (if $ie != "" then {icon_emoji: $ie} else {} end)' >>"$_IT_TMP/hl6.bodies"
    done
done
summary=$(rl_send "$GRIOT_URL/hooks/$H" "$_IT_TMP/hl6.bodies" "$_IT_TMP/hl6.out")
note "HL-6 send: $summary"
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/hl6.out")"
t0=$(now_ms)
while :; do
    n=$(($(stored_texts town-square "$run-" | wc -l) + $(stored_texts off-topic "$run-" | wc -l)))
    [ "$n" -ge 30 ] && break
    [ $(($(now_ms) - t0)) -ge 12000 ] && break
    sleep 0.2
done
tw=$(stored_texts town-square "$run-")
of=$(stored_texts off-topic "$run-")
assert_eq "off-topic texts" "$(for i in 1 2 3 4 5; do echo "$run-1-$i"; done)" "$of"
assert_eq "town-square texts (in order)" "$(for k in 0 2 3 4 5; do for i in 1 2 3 4 5; do echo "$run-$k-$i"; done; done)" "$tw"
all=$(jq -sc 'add' <(logical_posts town-square "$run-") <(logical_posts off-topic "$run-"))
# every post: texts from one block only, and the post's channel/overrides are that block's
bl=$(printf '%s\n' "${blocks[@]}" | jq -Rsc 'split("\n") | map(select(length > 0) | split("|") | {ch: .[0], un: .[1], iu: .[2], ie: .[3]})')
tsid=$(channel_id town-square)
ofid=$(channel_id off-topic)
bad=$(jq -c --argjson bl "$bl" --arg ts "$tsid" --arg of "$ofid" '
    [.[] | (._texts | map(split("-")[1] | tonumber) | unique) as $ks
     | if ($ks | length) != 1 then {id, mixed_blocks: $ks}
       else $bl[$ks[0]] as $b
         | select(.channel_id != (if $b.ch == "off-topic" then $of else $ts end)
                  or .props.override_username != $b.un
                  or (.props.override_icon_url // "") != $b.iu
                  or ((.props.override_icon_emoji // "") | ltrimstr(":") | rtrimstr(":")) != $b.ie)
         | {id, block: $ks[0], channel_id, props: (.props | del(.attachments))} end]' <<<"$all")
assert_eq "posts mixing blocks or with the wrong channel/overrides" "[]" "$bad"
ndig=$(jq '[.[] | select(.props.griot_digest_count != null)] | length' <<<"$all")
note "HL-6: $(jq length <<<"$all") posts, $ndig digests"
if [ "$ndig" -lt 1 ]; then _err "no digest at all (29 waiting > threshold 10): nothing was tested"; fi
# block k+1 is posted after block k (create_at; equal allowed)
ord=$(jq -c '[.[] | {k: (._texts[0] | split("-")[1] | tonumber), t: .create_at}] | group_by(.k) | map({k: .[0].k, first: (map(.t) | min), last: (map(.t) | max)})' <<<"$all")
assert_jq "blocks posted in arrival order" "$ord" '[range(1; length) as $i | .[$i].first >= .[$i - 1].last] | all'
probs=$( (check_digests town-square "$run-"; check_digests off-topic "$run-"))
if [ -n "$probs" ]; then _err "$(_trunc 600 "$probs")"; fi
case_end

case_begin HL-9 "--rate 0 hook on a limited server is never limited: 500 fast requests (10 connections) -> all 200 ok, all stored at once as 500 plain posts, nothing queued, no X-Ratelimit-*"
H=$(hook_create --channel off-topic --rate 0)
q0=$(metric griot_hook_queued_total)
r0=$(metric griot_hook_rate_limited_total)
run="hl9$RANDOM"
: >"$_IT_TMP/hl9.acks"
summary=$(node "$NODE_DIR/load.mjs" "$GRIOT_URL/hooks/$H" 500 10 "$run" "$_IT_TMP/hl9.acks")
note "HL-9 load: $summary"
assert_jq "all 500 answered 200 ok" "$summary" '.acked == 500'
pj=$(posts_json off-topic)
assert_jq "500 plain posts stored at once, each text once" "$pj" '[.posts[] | select(.message | startswith($p))] | length == 500 and (map(.message) | unique | length) == 500 and all(.props.griot_digest_count == null)' --arg p "$run-"
assert_eq "griot_hook_queued_total delta" 0 "$(($(metric griot_hook_queued_total) - ${q0:-0}))"
assert_eq "griot_hook_rate_limited_total delta" 0 "$(($(metric griot_hook_rate_limited_total) - ${r0:-0}))"
post_json "$H" '{"text":"HL-9 headers"}'
assert_ok_response
if grep -qi '^X-Ratelimit-\|^Retry-After:' "$HDR_FILE"; then _err "an unlimited hook's 200 has rate-limit headers"; fi
case_end

case_begin HL-11 "a digest longer than 16383 runes is split into posts of at most 16383 runes (runes, not bytes); joined, every text is there once, in order; attachments kept"
H=$(hook_create --channel town-square --rate 1 --burst 1)
run="hl11$RANDOM"
texts_file "$run" 15 '{text: "\($t) \("ü" * 3000) end", attachments: [{text: "att \($t)"}]}' >"$_IT_TMP/hl11.bodies"
summary=$(rl_send "$GRIOT_URL/hooks/$H" "$_IT_TMP/hl11.bodies" "$_IT_TMP/hl11.out")
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/hl11.out")"
wait_texts town-square "$run-" 15 8
got=$(stored_texts town-square "$run-")
want=$(for i in $(seq 1 15); do printf '%s-%s %s end\n' "$run" "$i" "$(printf 'ü%.0s' $(seq 1 3000))"; done)
if [ "$got" != "$want" ]; then
    _err "texts after joining the chunks differ from the 15 sent: got $(count_lines "$got") texts; first words: $(printf '%s\n' "$got" | cut -c1-25 | tr '\n' ' ')"
fi
raw=$(posts_json town-square | jq -c --arg p "$run-" '[.posts[] | select(.message | contains($p) or startswith("ü"))]')
assert_jq "no post longer than 16383 runes" "$raw" 'all(.[]; (.message | length) <= 16383)'
lp=$(logical_posts town-square "$run-")
note "HL-11: $(jq -c '[.[] | {chunks: ._chunks, n: .props.griot_digest_count, runes: (.message | length)}]' <<<"$lp")"
assert_jq "a digest was split (>= 2 chunks)" "$lp" 'any(.[]; ._chunks >= 2)'
assert_jq "attachments: all 15, in order" "$lp" '[.[] | ._atts[] | .text] == [range(1; 16) | "att \($p)-\(.)"]' --arg p "$run"
probs=$(check_digests town-square "$run-")
if [ -n "$probs" ]; then _err "$(_trunc 600 "$probs")"; fi
case_end

case_begin HL-14 "default limits (30/s, burst 60, queue) on the boot hook: 100 requests at once -> all 200 ok; about 40 queued; every text stored once within 5 s"
q0=$(metric griot_hook_queued_total)
run="hl14$RANDOM"
t0=$(now_ms)
summary=$(send_texts "$HB" "$run" 100)
el=$(($(now_ms) - t0))
note "HL-14 send: $summary"
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
dq=$(($(metric griot_hook_queued_total) - ${q0:-0}))
note "HL-14: $dq queued (sent in $el ms)"
maxq=40
minq=$((40 - (el * 30 + 999) / 1000 - 1))
if [ "$dq" -gt "$maxq" ] || [ "$dq" -lt "$minq" ]; then _err "griot_hook_queued_total grew by $dq; expected $minq..$maxq (100 - burst 60 - refill at 30/s over $el ms)"; fi
wait_texts town-square "$run-" 100 5
assert_texts_once_in_order town-square "$run" 100
case_end

case_begin HL-10 "metrics: griot_hook_queue_depth shows the waiting posts and returns to 0; queued/digested/digests counters move (rate_limited: HL-1, HL-7)"
http GET "$GRIOT_URL/metrics"
for m in griot_hook_rate_limited_total griot_hook_queued_total griot_hook_digested_total griot_hook_digests_total; do
    assert_match "TYPE $m counter" "$BODY" "# TYPE $m counter"
done
assert_match "TYPE griot_hook_queue_depth gauge" "$BODY" "# TYPE griot_hook_queue_depth gauge"
wait_metric griot_hook_queue_depth 0 5
H=$(hook_create --channel off-topic --rate 1 --burst 1)
run="hl10$RANDOM"
q0=$(metric griot_hook_queued_total)
z0=$(metric griot_hook_queue_depth)
d0=$(metric griot_hook_digested_total)
n0=$(metric griot_hook_digests_total)
send_texts "$H" "$run" 15 >/dev/null
z1=$(metric griot_hook_queue_depth)
q1=$(metric griot_hook_queued_total)
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
assert_eq "griot_hook_queued_total delta" 14 "$((q1 - q0))"
if [ "$((z1 - z0))" -lt 13 ] || [ "$((z1 - z0))" -gt 14 ]; then _err "griot_hook_queue_depth grew by $((z1 - z0)) right after 14 were queued (expected 14, or 13 if one was posted)"; fi
wait_texts off-topic "$run-" 15 5
d1=$(metric griot_hook_digested_total)
n1=$(metric griot_hook_digests_total)
if [ "$((n1 - n0))" -lt 1 ]; then _err "griot_hook_digests_total did not move ($n0 -> $n1)"; fi
if [ "$((d1 - d0))" -lt 11 ]; then _err "griot_hook_digested_total grew by $((d1 - d0)) (< 11)"; fi
wait_metric griot_hook_queue_depth 0 3
assert_eq "griot_hook_queue_depth after the drain" 0 "$(metric griot_hook_queue_depth)"
case_end
case_begin HL-15 "digest threshold (10) is 'more than': 10 waiting -> posted one by one; 11 waiting -> one digest of 11"
HX=$(hook_create --channel town-square --rate 1 --burst 1)
HY=$(hook_create --channel off-topic --rate 1 --burst 1)
rx="hl15x$RANDOM"
ry="hl15y$RANDOM"
send_texts "$HX" "$rx" 11 >/dev/null
send_texts "$HY" "$ry" 12 >/dev/null
assert_eq "X answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$rx.out")"
assert_eq "Y answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$ry.out")"
wait_texts town-square "$rx-" 2 4
wait_texts off-topic "$ry-" 12 4
lx=$(logical_posts town-square "$rx-")
ly=$(logical_posts off-topic "$ry-")
assert_jq "X (10 waiting): first two posts are plain" "$lx" '.[0:2] | length == 2 and all(.props.griot_digest_count == null)'
assert_jq "Y (11 waiting): a plain post, then one digest of 11" "$ly" 'length == 2 and .[0].props.griot_digest_count == null and .[1].props.griot_digest_count == 11'
case_end

griot_stop

# =============================================================================================
# Server B: digest_threshold=0 (never digest)
# =============================================================================================
griot_start --set digest_threshold=0

case_begin HL-2 "queue without digest (--rate 5 --burst 5): 20 quick requests -> all 200 ok at once; posts appear progressively at about 5/s, in order, all 20 exactly once within ~5 s, no digest"
H=$(hook_create --channel town-square --rate 5 --burst 5)
run="hl2$RANDOM"
t0=$(now_ms)
summary=$(send_texts "$H" "$run" 20)
el=$(($(now_ms) - t0))
n_after=$(stored_texts town-square "$run-" | wc -l)
el2=$(($(now_ms) - t0))
note "HL-2 send: $summary; $n_after stored ${el2} ms after the first request"
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
assert_eq "answers slower than 500 ms" 0 "$(jq -s '[.[] | select(.ms > 500)] | length' "$_IT_TMP/$run.out")"
maxn=$((5 + (el2 * 5 + 999) / 1000 + 1))
if [ "$n_after" -gt "$maxn" ] || [ "$n_after" -ge 20 ]; then _err "$n_after posts stored ${el2} ms after the first request; expected at most $maxn (burst 5 + 5/s): not paced"; fi
wait_texts town-square "$run-" 20 8
note "HL-2: all 20 stored $((el2 + WAITED_MS)) ms after the first request"
assert_texts_once_in_order town-square "$run" 20
lp=$(logical_posts town-square "$run-")
assert_jq "no digest" "$lp" 'all(.[]; .props.griot_digest_count == null) and length == 20'
span=$(jq '(.[19].create_at - .[0].create_at)' <<<"$lp")
note "HL-2: create_at span of the 20 posts: $span ms (15 queued at 5/s = 3000 ms)"
if [ "$span" -lt 2400 ]; then _err "20 posts stored within $span ms: 15 over a burst of 5 at 5/s take ~3000 ms"; fi
if [ "$span" -gt 5000 ]; then _err "20 posts took $span ms (expected ~3000 ms at 5/s)"; fi
case_end

case_begin HL-3 "no overtaking: while queued messages wait, new requests (sent 0.7 s and 1.5 s later) are posted after them; once drained, a new request is posted at once"
H=$(hook_create --channel off-topic --rate 2 --burst 1)
run="hl3$RANDOM"
t0=$(now_ms)
send_texts "$H" "$run" 6 >/dev/null
assert_eq "answers not 200 ok" 0 "$(not_ok "$_IT_TMP/$run.out")"
while [ $(($(now_ms) - t0)) -lt 700 ]; do sleep 0.05; done
post_json "$H" "{\"text\":\"$run-7\"}"
save_resp hl3-7
while [ $(($(now_ms) - t0)) -lt 1500 ]; do sleep 0.05; done
post_json "$H" "{\"text\":\"$run-8\"}"
save_resp hl3-8
for r in hl3-7 hl3-8; do
    load_resp $r
    assert_ok_response
done
wait_texts off-topic "$run-" 8 8
assert_texts_once_in_order off-topic "$run" 8
wait_metric griot_hook_queue_depth 0 3
sleep 0.6
post_json "$H" "{\"text\":\"$run-9\"}"
assert_ok_response
wait_texts off-topic "$run-9" 1 3
note "HL-3: request sent after the drain stored ${WAITED_MS} ms after its 200"
if [ "$(stored_texts off-topic "$run-9" | wc -l)" -ne 1 ]; then _err "request after the drain not stored within 3 s"; fi
if [ "$WAITED_MS" -gt 700 ]; then _err "request after the drain (bucket refilled) stored only $WAITED_MS ms after its 200"; fi
case_end

case_begin HL-8 "bad requests over the rate still get their 4xx AppError and nothing is queued or stored; good ones around them are queued and posted in order"
# One token per 5 s: the queue-depth reading after run-3 must come before the pacer posts run-2,
# even when a loaded machine takes seconds over the eight requests in between.
H=$(hook_create --channel town-square --rate 0.2 --burst 1)
HL=$(hook_create --channel town-square --rate 0.2 --burst 1 --lock)
run="hl8$RANDOM"
z0=$(metric griot_hook_queue_depth)
q0=$(metric griot_hook_queued_total)
post_json "$H" "{\"text\":\"$run-1\"}"
save_resp hl8-g1
post_json "$H" "{\"text\":\"$run-2\"}"
save_resp hl8-g2
post_json "$H" "{\"text\":\"$run-bad-json\""
save_resp hl8-b1
post_json "$H" '{"text":""}'
save_resp hl8-b2
post_json "$H" "{\"text\":\"$run-bad-channel\",\"channel\":\"no-such-channel\"}"
save_resp hl8-b3
post_json "$H" "{\"text\":\"$run-bad-type\",\"type\":\"system_join_channel\"}"
save_resp hl8-b4
post_json "$HL" "{\"text\":\"$run-L1\"}"
save_resp hl8-l1
post_json "$HL" "{\"text\":\"$run-bad-locked\",\"channel\":\"off-topic\"}"
save_resp hl8-b5
post_json "$H" "{\"text\":\"$run-3\"}"
save_resp hl8-g3
z1=$(metric griot_hook_queue_depth)
q1=$(metric griot_hook_queued_total)
for r in hl8-g1 hl8-g2 hl8-g3 hl8-l1; do
    load_resp $r
    assert_ok_response
done
load_resp hl8-b1
assert_apperror 400 model.incoming_hook.parse_data.app_error
load_resp hl8-b2
assert_apperror 400 web.incoming_webhook.text.app_error
load_resp hl8-b3
assert_apperror 404 web.incoming_webhook.channel.app_error
load_resp hl8-b4
assert_apperror 400 api.context.invalid_param.app_error
load_resp hl8-b5
assert_apperror 403 web.incoming_webhook.channel_locked.app_error
assert_eq "griot_hook_queued_total delta (run-2, run-3)" 2 "$((q1 - q0))"
assert_eq "griot_hook_queue_depth delta (run-2, run-3)" 2 "$((z1 - z0))"
wait_texts town-square "$run-" 4 20
assert_eq "stored (in order)" "$run-1"$'\n'"$run-L1"$'\n'"$run-2"$'\n'"$run-3" "$(stored_texts town-square "$run-")"
assert_eq "nothing of the bad requests stored (any channel)" "" "$( (stored_texts town-square "$run-bad"; stored_texts off-topic "$run-bad") | tr '\n' ' ')"
case_end
griot_stop

# =============================================================================================
# Server C: hook_queue_max=5, digest_threshold=0
# =============================================================================================
griot_start --set hook_queue_max=5 --set digest_threshold=0

case_begin HL-7 "queue cap (hook_queue_max=5, hook --rate 1 --burst 1): 10 quick requests -> 6 x 200 (1 posted + 5 waiting), then 429 'limit exceeded\\n'; 429s never stored; the cap is per hook; room again after the drain"
H=$(hook_create --channel town-square --rate 1 --burst 1)
H2=$(hook_create --channel off-topic --rate 1 --burst 1)
run="hl7$RANDOM"
r0=$(metric griot_hook_rate_limited_total)
summary=$(send_texts "$H" "$run" 10)
send_texts "$H2" "${run}b" 3 >/dev/null
note "HL-7 send: $summary"
st=$(jq -sr '[.[] | .status] | join(",")' "$_IT_TMP/$run.out")
assert_eq "statuses" "200,200,200,200,200,200,429,429,429,429" "$st"
assert_eq "200 bodies" 0 "$(jq -s '[.[] | select(.status == 200 and .body != "ok")] | length' "$_IT_TMP/$run.out")"
bad=$(jq -sc '[.[] | select(.status == 429) | select(.body != "limit exceeded\n" or .h["content-type"] != "text/plain; charset=utf-8" or .h["x-request-id"] != null or .h["x-ratelimit-limit"] != "1" or .h["x-ratelimit-remaining"] != "0" or .h["x-ratelimit-reset"] == null or ((.h["retry-after"] // "0") | tonumber) < 1)] | .[0:2]' "$_IT_TMP/$run.out")
assert_eq "malformed 429 answers (first 2)" "[]" "$bad"
assert_eq "other hook (own queue): answers not 200 ok" 0 "$(not_ok "$_IT_TMP/${run}b.out")"
r1=$(metric griot_hook_rate_limited_total)
assert_eq "griot_hook_rate_limited_total delta" 4 "$((r1 - r0))"
wait_texts town-square "$run-" 6 8
sleep 1.2
assert_texts_once_in_order town-square "$run" 6
wait_texts off-topic "${run}b-" 3 4
post_json "$H" "{\"text\":\"$run-after\"}"
assert_ok_response
case_end
griot_stop

# =============================================================================================
# Server D: server-wide hook_rate=1 hook_burst=2 hook_over_limit=reject
# =============================================================================================
griot_start --set hook_rate=1 --set hook_burst=2 --set hook_over_limit=reject

case_begin HL-12 "server defaults (--set hook_rate=1 hook_burst=2 hook_over_limit=reject) apply to a hook without overrides: 200, 200, 429; a hook created with --over-limit queue inherits the rate and queues; --rate 0 is unlimited"
HQ=$(hook_create --channel off-topic --over-limit queue)
H0=$(hook_create --channel off-topic --rate 0)
run="hl12$RANDOM"
for i in 1 2 3; do
    post_json "$BOOT_HOOK" "{\"text\":\"$run-$i\"}"
    save_resp "hl12-$i"
done
for i in 1 2 3; do
    post_json "$HQ" "{\"text\":\"${run}q-$i\"}"
    save_resp "hl12q-$i"
done
for i in 1 2 3 4 5; do
    post_json "$H0" "{\"text\":\"${run}z-$i\"}"
    save_resp "hl12z-$i"
done
load_resp hl12-1
assert_ok_response
assert_rl_headers 2 1
load_resp hl12-2
assert_ok_response
load_resp hl12-3
assert_limit_exceeded 2
for i in 1 2 3; do
    load_resp "hl12q-$i"
    assert_ok_response
done
for i in 1 2 3 4 5; do
    load_resp "hl12z-$i"
    assert_ok_response
done
assert_eq "boot hook stored" "$run-1"$'\n'"$run-2" "$(stored_texts town-square "$run-")"
assert_eq "unlimited hook stored at once" 5 "$(stored_texts off-topic "${run}z-" | wc -l)"
wait_texts off-topic "${run}q-" 3 4
assert_texts_once_in_order off-topic "${run}q" 3
case_end
griot_stop

finish
