#!/usr/bin/env bash
# bench/ws_fanout.sh - WebSocket fan-out: CLIENTS connections (default 1000, spread over PROCS
# node processes with npm `ws`) authenticated as the admin, who is a member of town-square;
# RATE posts/s (default 100) for SECONDS (default 30) into town-square through an incoming hook
# created with --rate 0 (no per-hook limit). Each post's latency is measured from its create_at
# (set just before its group commit) to its arrival at the LAST of the clients (the receive
# time on the same machine's clock). Prints p50/p99/max of that, how many clients got every
# post, the POST answer latency, and griot's RSS (before the clients, with them connected, and
# its peak). Not a test: it prints figures.
#
# The clients are Node processes with npm `ws` (bench/ws_load.mjs) unless CLIENT=c, which uses
# bench/ws_client.c (one epoll loop per process): on a small machine the Node clients take most
# of the CPU, and what is measured is then mostly them.
#
# Usage: [CLIENT=node|c] bench/ws_fanout.sh [CLIENTS] [RATE] [SECONDS] [PROCS]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-1000}
rate=${2:-100}
secs=${3:-30}
procs=${4:-2}
griot=${GRIOT:-./griot}
client=${CLIENT:-node}
[ -n "${GRIOT:-}" ] || make -s griot
[ -d tests/integration/node/node_modules/ws ] || tools/install-deps.sh
if [ "$client" = c ]; then
    mkdir -p build/bench
    cc -O2 -o build/bench/ws_client bench/ws_client.c
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

"$griot" serve --listen 127.0.0.1:0 --data "$work/data" --set hook_rate=0 --set log_level=warn \
    >"$work/serve.out" 2>"$work/serve.err" &
gpid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^griot: listening on //p' "$work/serve.out" | head -1)
token=$(tr -d '\n' <"$work/data/admin.token")
hook=$("$griot" hook create --channel town-square --rate 0 --data "$work/data" | head -1)
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$gpid/status"; }
hwm_kb() { awk '/VmHWM/{print $2}' "/proc/$gpid/status"; }
rss_idle=$(rss_kb)

per=$(((clients + procs - 1) / procs))
left=$clients
for p in $(seq "$procs"); do
    n=$((left < per ? left : per))
    left=$((left - n))
    [ "$n" -gt 0 ] || continue
    if [ "$client" = c ]; then
        hp=${url#http://}
        build/bench/ws_client "${hp%:*}" "${hp##*:}" "$token" "$n" "$work/c$p.json" \
            "$work/ready$p" "$work/stop" &
    else
        node bench/ws_load.mjs clients "$url" "$token" "$n" "$work/c$p.json" "$work/ready$p" \
            "$work/stop" &
    fi
done
for p in $(seq "$procs"); do
    for _ in $(seq 600); do [ -e "$work/ready$p" ] && break; sleep 0.1; done
done
connected=$(cat "$work"/ready* | awk '{s += $1} END {print s + 0}')
sleep 1
rss_conn=$(rss_kb)
echo "ws_fanout: $connected of $clients clients ($client, $procs processes) connected; $rate posts/s for $secs s"

node bench/ws_load.mjs post "$url/hooks/$hook" "$rate" "$secs" "$work/post.json"
sleep 2 # the last events in flight
rss_after=$(rss_kb)
touch "$work/stop"
wait $(jobs -p | grep -v "^$gpid$") 2>/dev/null || true
hwm=$(hwm_kb)
kill -TERM "$gpid"
wait "$gpid" || true

# Per post: the latest arrival over all processes, minus create_at.
jq -s --argjson clients "$connected" '
  (map(.posts) | transpose | map({create_at: (map(.create_at // empty) | first),
     last: (map(.last_ms) | max), first: (map(.first_ms // empty) | min), n: (map(.n) | add)})) as $p
  | ($p | map(select(.create_at != null)) | map(.last - .create_at) | sort) as $l
  | ($l | length) as $k
  | ($p | map(select(.create_at != null)) | map(.first - .create_at) | sort) as $f
  | {posts_seen: ($p | length), posts_to_all: ($p | map(select(.n == $clients)) | length),
     p50_ms: $l[($k * 0.5 | floor)], p99_ms: $l[(($k * 0.99) | floor) | if . >= $k then $k - 1 else . end],
     max_ms: ($l | max), first_p50_ms: $f[($k * 0.5 | floor)], closed: (map(.closed) | add), failed: (map(.failed) | add)}' \
    "$work"/c*.json >"$work/result.json"
jq -r '"ws_fanout: posts seen \(.posts_seen), delivered to all \(.posts_to_all); commit -> last client: p50 \(.p50_ms | . * 100 | round / 100) ms, p99 \(.p99_ms | . * 100 | round / 100) ms, max \(.max_ms | . * 100 | round / 100) ms (first client: p50 \(.first_p50_ms | . * 100 | round / 100) ms); clients closed early \(.closed), failed \(.failed)"' "$work/result.json"
jq -r '(.lat_ms | sort) as $l | ($l | length) as $k | "ws_fanout: POST /hooks: \(.ok) ok, \(.failed) failed; answer p50 \($l[($k * 0.5 | floor)] | . * 100 | round / 100) ms, p99 \($l[($k * 0.99 | floor)] | . * 100 | round / 100) ms"' "$work/post.json"
echo "ws_fanout: griot RSS idle $((rss_idle / 1024)) MB, with $connected clients $((rss_conn / 1024)) MB, after the run $((rss_after / 1024)) MB, peak $((hwm / 1024)) MB"
grep -E ' (warn|error) ' "$work/serve.err" | head -5 || true
