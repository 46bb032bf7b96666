#!/usr/bin/env bash
# bench/ingest.sh - durable webhook ingest throughput, side by side with nginx.
#
# Runs wrk (50 connections, 2 threads, DURATION seconds each) against:
#   1. nginx (one worker) answering 200 from a static location - the reference;
#   2. griot, POSTing a small JSON body to one hook;
#   3. griot, POSTing to 100 hooks in rotation.
# griot runs with --set hook_rate=0 (no per-hook limit), on a fresh SQLite store with
# synchronous=FULL: every 200 is a committed post. Prints req/s, p50/p99 latency, griot's RSS
# (idle and peak) and the ratio griot/nginx. Usage: bench/ingest.sh [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10}
conns=50
command -v wrk >/dev/null && command -v nginx >/dev/null || tools/install-deps.sh --bench
make -s griot
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# --- nginx reference ------------------------------------------------------------------------
nport=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
    server {
        listen 127.0.0.1:$nport;
        location / { return 200 "ok"; }
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work/nginx"
sleep 0.5

# --- griot ----------------------------------------------------------------------------------
./griot serve --listen 127.0.0.1:0 --data "$work/data" --set hook_rate=0 --set log_level=warn \
    >"$work/serve.out" 2>"$work/serve.err" &
gpid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
gurl=$(sed -n 's/^griot: listening on //p' "$work/serve.out" | head -1)
hook=$(sed -n 's#.*/hooks/\([a-z0-9]*\)$#\1#p' "$work/serve.out" | head -1)
: >"$work/hooks.txt"
for _ in $(seq 100); do ./griot hook create --channel town-square --data "$work/data" | head -1 >>"$work/hooks.txt"; done
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$gpid/status"; }
hwm_kb() { awk '/VmHWM/{print $2}' "/proc/$gpid/status"; }
idle_rss=$(rss_kb)

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"text":"benchmark message from wrk"}'
wrk.headers["Content-Type"] = "application/json"
LUA
{
    echo 'wrk.method = "POST"'
    echo "wrk.body = '{\"text\":\"benchmark message from wrk\"}'"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo 'local hooks = {}'
    while read -r h; do echo "table.insert(hooks, \"/hooks/$h\")"; done <"$work/hooks.txt"
    echo 'local i = 0'
    echo 'request = function() i = i + 1; return wrk.format(nil, hooks[(i % #hooks) + 1]) end'
} >"$work/multi.lua"
cat >>"$work/post.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
sed -n '/^done = /,$p' "$work/post.lua" >>"$work/multi.lua"

run() { wrk -t2 -c"$conns" -d"${dur}s" --latency -s "$2" "$1" | grep '^RESULT' | sed 's/^RESULT //'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "bench/ingest.sh: ${dur}s per run, $conns connections, $(nproc) cores"
ng=$(run "http://127.0.0.1:$nport/" "$work/post.lua")
one=$(run "$gurl/hooks/$hook" "$work/post.lua")
multi=$(run "$gurl/" "$work/multi.lua")
peak=$(hwm_kb)
stored=$(./griot posts town-square --data "$work/data" --limit 0 --json | jq '.order | length')
printf '%-28s %10s %9s %9s %7s\n' target req/s p50_ms p99_ms errors
for row in "nginx-200:$ng" "griot-1-hook:$one" "griot-100-hooks:$multi"; do
    name=${row%%:*}; r=${row#*:}
    printf '%-28s %10s %9s %9s %7s\n' "$name" "$(field "$r" rps)" "$(field "$r" p50_ms)" \
        "$(field "$r" p99_ms)" "$(field "$r" errors)"
done
n=$(field "$ng" rps)
echo "ratio griot/nginx (1 hook):    $(awk -v a="$(field "$one" rps)" -v b="$n" 'BEGIN{printf "%.2f", a/b}')"
echo "ratio griot/nginx (100 hooks): $(awk -v a="$(field "$multi" rps)" -v b="$n" 'BEGIN{printf "%.2f", a/b}')"
echo "griot RSS: idle $((idle_rss / 1024)) MB, peak $((peak / 1024)) MB; posts stored: $stored"
curl -s "$gurl/metrics" | grep -E '^griot_store_(commits_total|rows_committed_total|commit_batch_max)'
kill "$gpid"; wait "$gpid" 2>/dev/null || true
