#!/usr/bin/env bash
# bench/rest_posts.sh - REST post creation (POST /api/v4/posts with a bot token), side by side
# with the incoming-webhook ingest and nginx, in the same run.
#
# Runs wrk (50 connections, 2 threads, DURATION seconds each) against:
#   1. nginx (one worker) answering 200 from a static location - the reference;
#   2. griot, POST /hooks/{id}: one incoming hook into town-square (the core ingest path);
#   3. griot, POST /api/v4/posts: a bot (`griot bot create`, added to town-square with
#      `griot channel add`) posting into town-square with its personal access token.
# Every request carries its own JSON body (a numbered message). griot runs with
# --set hook_rate=0 on a fresh SQLite store with synchronous=FULL, so every 200/201 is a
# committed post; REST posts also go through auth (token hash lookup), the channel access
# check and the Post shape of the answer. Prints req/s, p50/p99 latency, errors (non-2xx
# answers and socket errors), the ratios rest/webhook and rest/nginx, griot's RSS and the number
# of posts stored. Usage: bench/rest_posts.sh [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10}
conns=50
command -v wrk >/dev/null && command -v nginx >/dev/null && command -v jq >/dev/null ||
    tools/install-deps.sh --bench
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

# --- griot, a hook and a bot ----------------------------------------------------------------
./griot serve --listen 127.0.0.1:0 --data "$work/data" --set hook_rate=0 --set log_level=warn \
    >"$work/serve.out" 2>"$work/serve.err" &
gpid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
gurl=$(sed -n 's/^griot: listening on //p' "$work/serve.out" | head -1)
hook=$(./griot hook create --channel town-square --data "$work/data" | head -1)
./griot bot create benchbot --display "Bench bot" --data "$work/data" >"$work/bot.out"
bot_id=$(head -1 "$work/bot.out")
token=$(tail -1 "$work/bot.out")
./griot channel add town-square benchbot --data "$work/data" >/dev/null
channel=$(./griot channel list --json --data "$work/data" |
    jq -r '.[] | select(.name == "town-square") | .id')
# One request by hand, so that a broken setup fails here rather than as 50 000 wrk errors.
code=$(curl -s -o "$work/first.json" -w '%{http_code}' -X POST "$gurl/api/v4/posts" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"channel_id\":\"$channel\",\"message\":\"bench setup check\"}")
if [ "$code" != 201 ] || [ "$(jq -r .user_id "$work/first.json")" != "$bot_id" ]; then
    echo "rest_posts: setup check failed: HTTP $code $(cat "$work/first.json")" >&2
    exit 1
fi
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$gpid/status"; }
hwm_kb() { awk '/VmHWM/{print $2}' "/proc/$gpid/status"; }
idle_rss=$(rss_kb)

# --- wrk scripts: a numbered message per request, one summary line at the end ----------------
cat >"$work/done.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
{
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo 'local i = 0'
    echo 'request = function()'
    echo '  i = i + 1'
    echo '  return wrk.format(nil, nil, nil, string.format("{\"text\":\"webhook bench message %d\"}", i))'
    echo 'end'
    cat "$work/done.lua"
} >"$work/hook.lua"
{
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo "wrk.headers[\"Authorization\"] = \"Bearer $token\""
    echo 'local i = 0'
    echo 'request = function()'
    echo '  i = i + 1'
    echo "  return wrk.format(nil, nil, nil, string.format('{\"channel_id\":\"$channel\",\"message\":\"rest bench message %d\"}', i))"
    echo 'end'
    cat "$work/done.lua"
} >"$work/rest.lua"
{
    echo 'wrk.method = "POST"'
    echo "wrk.body = '{\"text\":\"benchmark message from wrk\"}'"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    cat "$work/done.lua"
} >"$work/nginx.lua"

run() { wrk -t2 -c"$conns" -d"${dur}s" --latency -s "$2" "$1" | grep '^RESULT' | sed 's/^RESULT //'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }

echo "bench/rest_posts.sh: ${dur}s per run, $conns connections, $(nproc) cores"
ng=$(run "http://127.0.0.1:$nport/" "$work/nginx.lua")
wh=$(run "$gurl/hooks/$hook" "$work/hook.lua")
rest=$(run "$gurl/api/v4/posts" "$work/rest.lua")
peak=$(hwm_kb)
stored=$(./griot posts town-square --data "$work/data" --limit 0 --json | jq '.order | length')
printf '%-28s %10s %9s %9s %7s\n' target req/s p50_ms p99_ms errors
for row in "nginx-200:$ng" "griot-webhook:$wh" "griot-rest-post:$rest"; do
    name=${row%%:*}; r=${row#*:}
    printf '%-28s %10s %9s %9s %7s\n' "$name" "$(field "$r" rps)" "$(field "$r" p50_ms)" \
        "$(field "$r" p99_ms)" "$(field "$r" errors)"
done
echo "ratio rest/webhook: $(ratio "$(field "$rest" rps)" "$(field "$wh" rps)")"
echo "ratio rest/nginx:   $(ratio "$(field "$rest" rps)" "$(field "$ng" rps)")"
echo "ratio webhook/nginx: $(ratio "$(field "$wh" rps)" "$(field "$ng" rps)")"
echo "griot RSS: idle $((idle_rss / 1024)) MB, peak $((peak / 1024)) MB; posts stored: $stored"
curl -s "$gurl/metrics" | grep -E '^griot_store_(commits_total|rows_committed_total|commit_batch_max)'
kill "$gpid"; wait "$gpid" 2>/dev/null || true
