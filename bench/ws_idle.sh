#!/usr/bin/env bash
# bench/ws_idle.sh - CONNS (default 10 000) authenticated WebSocket connections that do nothing:
# griot's RSS before and with them (and per connection), and the CPU it uses over IDLE seconds
# (default 30) while they sit there (it should be ~0: the hub wakes once a second for its
# timers, and pings a connection only after 60 s of silence). Idle connections release their
# wslay context after 5 s (ws_conn.c, hibernation), so RSS is read right after connecting and
# again once they have settled. Clients: PROCS (default 4) Node
# processes with npm `ws`, or CLIENT=c for bench/ws_client.c. Not a test: it prints figures.
#
# Usage: [CLIENT=node|c] bench/ws_idle.sh [CONNS] [IDLE_SECONDS] [PROCS]
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-10000}
idle=${2:-30}
procs=${3:-4}
client=${CLIENT:-node}
griot=${GRIOT:-./griot}
[ -n "${GRIOT:-}" ] || make -s griot
[ -d tests/integration/node/node_modules/ws ] || tools/install-deps.sh
if [ "$client" = c ]; then
    mkdir -p build/bench
    cc -O2 -o build/bench/ws_client bench/ws_client.c
fi
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

"$griot" serve --listen 127.0.0.1:0 --data "$work/data" --set log_level=warn \
    >"$work/serve.out" 2>"$work/serve.err" &
gpid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^griot: listening on //p' "$work/serve.out" | head -1)
token=$(tr -d '\n' <"$work/data/admin.token")
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$gpid/status"; }
hwm_kb() { awk '/VmHWM/{print $2}' "/proc/$gpid/status"; }
# utime + stime of the whole process, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$gpid/stat"; }
sleep 1
rss0=$(rss_kb)

t0=$(date +%s.%N)
per=$(((conns + procs - 1) / procs))
left=$conns
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
    for _ in $(seq 1800); do [ -e "$work/ready$p" ] && break; sleep 0.1; done
done
t1=$(date +%s.%N)
connected=$(cat "$work"/ready* 2>/dev/null | awk '{s += $1} END {print s + 0}')
sleep 1
rss1=$(rss_kb)
sleep 25 # hibernation after 5 s of silence; heap trims at most every 10 s
rss_settled=$(rss_kb)
c0=$(cpu_ticks)
sleep "$idle"
c1=$(cpu_ticks)
rss2=$(rss_kb)
hz=$(getconf CLK_TCK)
hwm=$(hwm_kb)
touch "$work/stop"
sleep 1
kill -TERM "$gpid"
wait "$gpid" || true

echo "ws_idle: $connected of $conns connections ($client, $procs processes) authenticated in $(echo "$t1 - $t0" | bc | xargs printf '%.1f') s"
per_conn() { echo $((($1 - rss0) * 1024 / (connected > 0 ? connected : 1))); }
echo "ws_idle: griot RSS $((rss0 / 1024)) MB before; just connected $((rss1 / 1024)) MB ($(per_conn "$rss1") B/conn); settled $((rss_settled / 1024)) MB ($(per_conn "$rss_settled") B/conn); after ${idle} s idle $((rss2 / 1024)) MB; peak $((hwm / 1024)) MB"
echo "ws_idle: griot CPU while idle: $(echo "scale=2; ($c1 - $c0) * 100 / $hz / $idle" | bc)% of one core ($((c1 - c0)) ticks in ${idle} s)"
grep -E ' (warn|error) ' "$work/serve.err" | head -5 || true
