# shellcheck shell=bash disable=SC2034
# tests/integration/lib.sh - sourced by every tests/integration/NN-name.sh script.
# (SC2034: lib.sh sets variables for the scripts that source it.)
#
# A test script starts the real ./griot on a free loopback port with a temporary data dir, drives
# it with real clients and checks WHAT WAS STORED (through `griot posts CHANNEL --json`), not only
# the HTTP status. Results are reported one line per spec case:
#
#     ok IW-1 json body stored
#     fail IW-8 unknown channel -> 404: status: expected 404, got 400 | last request: ...
#
# Script exit status: 0 all cases passed, 77 skipped (reason printed), anything else failed.
#
# Case API:   case_begin ID DESC; assert_*...; case_end      (assertions never abort the script)
#             ok ID DESC / fail ID MSG                        (one-shot reporting)
# Server:     griot_start [serve args...]; griot_stop [PID]; griot_kill9 [PID]
#             sets GRIOT_URL GRIOT_PORT GRIOT_PID GRIOT_DATA (exported) GRIOT_URLS BOOT_HOOK ADMIN_TOKEN
# HTTP:       http METHOD URL [curl args...]  -> STATUS BODY BODY_FILE HDR_FILE; hdr NAME
#             post_json HOOK JSON [curl args...]; post_file HOOK FILE [curl args...]
# CLI:        cli ARGS... -> CLI_RC CLI_OUT CLI_ERR; hook_create ARGS... (prints the id)
# Store:      posts_json CHANNEL [args]; post_count CHANNEL [args]; last_post CHANNEL [args];
#             last_posts CHANNEL N [args]; total_posts
set -Eeuo pipefail

# Never inherit configuration from the caller's environment.
_griot_shared=${GRIOT_SHARED:-} # a test setting, not a griot option: kept
while IFS= read -r _v; do unset "$_v"; done < <(compgen -e | grep '^GRIOT_' || true)
unset _v

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# IT_GRIOT: run another binary (e.g. a copy, while ./griot is being rebuilt); default ./griot.
GRIOT="${IT_GRIOT:-$ROOT/griot}"
IT_DIR="$ROOT/tests/integration"
NODE_DIR="$IT_DIR/node"
TEST_NAME=$(basename "$0" .sh)
# Reference material (fixtures) lives beside the repository: <repo>/../shared, or wherever
# GRIOT_SHARED points (as for the unit tests).
SHARED_DIR="${_griot_shared:-$(git -C "$ROOT" rev-parse --show-toplevel 2>/dev/null || echo "$ROOT")/../shared}"

_IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/griot-it-$TEST_NAME.XXXXXX")
_PASSED=0
_FAILED=0
_REQ_N=0
_SERVER_PIDS=()
_SERVER_DIRS=()
_BG_PIDS=()
_CASE_ID=""
_CASE_DESC=""
_CASE_ERRS=()
REQ_DESC=""
STATUS=""
BODY=""
BODY_FILE="$_IT_TMP/none"
HDR_FILE="$_IT_TMP/none"
CLI_RC=0
CLI_OUT=""
CLI_ERR=""
GRIOT_URL=""
GRIOT_PORT=""
GRIOT_PID=""
GRIOT_URLS=()
BOOT_HOOK=""
ADMIN_TOKEN=""
GRIOT_DATA="" # exported by griot_start

if [ ! -x "$GRIOT" ]; then
    echo "fail $TEST_NAME: $GRIOT is missing (run make griot first)"
    exit 1
fi

# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------

ok() {
    local name=$1
    shift
    _PASSED=$((_PASSED + 1))
    echo "ok $name${*:+ $*}"
}

fail() {
    local name=$1
    shift
    _FAILED=$((_FAILED + 1))
    echo "fail $name${*:+ $*}"
}

# skip REASON: the whole script is skipped (exit 77).
skip() {
    echo "skip $TEST_NAME: $*"
    exit 77
}

# note MSG: informational line (not a result).
note() { echo "# $*"; }

case_begin() {
    if [ -n "$_CASE_ID" ]; then case_end; fi
    _CASE_ID=$1
    _CASE_DESC=${2:-}
    _CASE_ERRS=()
    REQ_DESC=""
}

_trunc() { # _trunc MAX STRING: one-line, truncated rendering for messages
    local max=$1 s=$2
    s=${s//$'\r'/\\r}
    s=${s//$'\n'/\\n}
    s=${s//$'\t'/\\t}
    if [ "${#s}" -gt "$max" ]; then s="${s:0:$max}...(${#2} chars)"; fi
    printf '%s' "$s"
}

case_end() {
    [ -n "$_CASE_ID" ] || return 0
    if [ "${#_CASE_ERRS[@]}" -eq 0 ]; then
        ok "$_CASE_ID" "$_CASE_DESC"
    else
        local msg
        msg=$(printf '%s; ' "${_CASE_ERRS[@]}")
        msg=${msg%; }
        if [ -n "$REQ_DESC" ]; then
            msg="$msg | last request: $REQ_DESC -> $STATUS $(hdr Content-Type) body=$(_trunc 400 "$BODY")"
        fi
        fail "$_CASE_ID" "$_CASE_DESC: $msg"
    fi
    _CASE_ID=""
    _CASE_ERRS=()
}

# _err MSG: record an assertion failure in the current case (or report it directly).
_err() {
    if [ -n "$_CASE_ID" ]; then
        _CASE_ERRS+=("$*")
    else
        fail "$TEST_NAME" "$*"
    fi
}

# finish: end the script; exit 1 if any case failed.
finish() {
    case_end
    echo "$TEST_NAME: $_PASSED ok, $_FAILED failed"
    if [ "$_FAILED" -gt 0 ]; then exit 1; fi
    exit 0
}

_on_err() {
    local rc=$1 line=$2 cmd=$3
    echo "fail $TEST_NAME aborted: line $line: '$cmd' exited $rc"
    _FAILED=$((_FAILED + 1))
}
trap '_on_err $? $LINENO "$BASH_COMMAND"' ERR

_cleanup() {
    local rc=$? pid dir
    trap - ERR
    set +e
    for pid in "${_BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${_SERVER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -KILL "$pid" 2>/dev/null
        fi
    done
    wait 2>/dev/null
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] || [ "$_FAILED" -gt 0 ]; then
        for dir in "${_SERVER_DIRS[@]}"; do
            [ -d "$dir" ] || continue
            echo "# kept data dir $dir; tail of serve.err:"
            tail -n 25 "$dir/serve.err" 2>/dev/null | sed 's/^/#   /'
        done
        echo "# kept scratch dir $_IT_TMP"
    else
        for dir in "${_SERVER_DIRS[@]}"; do rm -rf "$dir"; done
        rm -rf "$_IT_TMP"
    fi
}
trap _cleanup EXIT

# bg_track PID: kill this background process when the script ends.
bg_track() { _BG_PIDS+=("$1"); }

# ---------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------

# griot_start [serve args...]: start `griot serve` on a new temp data dir (or on $REUSE_DATA if
# set), with --listen 127.0.0.1:0 unless the args carry their own --listen. Waits (max 10 s) for one
# "griot: listening on http://HOST:PORT" line per listener.
griot_start() {
    local dir nlisten=0 a args=() deadline pid n urls=()
    for a in "$@"; do [ "$a" = --listen ] && nlisten=$((nlisten + 1)); done
    if [ "$nlisten" -eq 0 ]; then
        args+=(--listen 127.0.0.1:0)
        nlisten=1
    fi
    if [ -n "${REUSE_DATA:-}" ]; then
        dir=$REUSE_DATA
        n=1
        while [ -e "$dir/serve.out.$n" ]; do n=$((n + 1)); done
        [ -e "$dir/serve.out" ] && mv "$dir/serve.out" "$dir/serve.out.$n"
        [ -e "$dir/serve.err" ] && mv "$dir/serve.err" "$dir/serve.err.$n"
    else
        dir=$(mktemp -d "${TMPDIR:-/tmp}/griot-$TEST_NAME.XXXXXX")
        _SERVER_DIRS+=("$dir")
    fi
    "$GRIOT" serve "${args[@]}" --data "$dir" "$@" >"$dir/serve.out" 2>"$dir/serve.err" &
    pid=$!
    _SERVER_PIDS+=("$pid")
    deadline=$((SECONDS + 10))
    while :; do
        mapfile -t urls < <(sed -n 's|^griot: listening on \(http://[^ ]*\).*$|\1|p' "$dir/serve.out")
        [ "${#urls[@]}" -ge "$nlisten" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "fail $TEST_NAME: griot serve $* exited before listening; serve.err:"
            sed 's/^/#   /' "$dir/serve.err"
            _FAILED=$((_FAILED + 1))
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "fail $TEST_NAME: griot serve $* printed no 'griot: listening on' line in 10 s"
            _FAILED=$((_FAILED + 1))
            exit 1
        fi
        sleep 0.05
    done
    GRIOT_URLS=("${urls[@]}")
    GRIOT_URL=${urls[0]}
    GRIOT_URL=${GRIOT_URL/\/\/0.0.0.0:/\/\/127.0.0.1:}
    GRIOT_URL=${GRIOT_URL/\/\/\[::\]:/\/\/[::1]:}
    GRIOT_PORT=${GRIOT_URL##*:}
    GRIOT_PID=$pid
    GRIOT_DATA=$dir
    export GRIOT_DATA
    local boot
    boot=$(grep -o '/hooks/[A-Za-z0-9]\{26\}' "$dir/serve.out" | head -n 1 || true)
    if [ -n "$boot" ]; then BOOT_HOOK=${boot#/hooks/}; fi
    if [ -r "$dir/admin.token" ]; then ADMIN_TOKEN=$(tr -d '\n' <"$dir/admin.token"); fi
    return 0
}

# griot_stop [PID]: SIGTERM, then wait up to 10 s; a server that does not exit (or exits non-zero)
# is a failure.
griot_stop() {
    local pid=${1:-$GRIOT_PID} rc=0 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "$TEST_NAME-shutdown" "griot (pid $pid) still running 10 s after SIGTERM"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$TEST_NAME-shutdown" "griot (pid $pid) exited $rc after SIGTERM (clean shutdown expected: 0)"
    fi
    return 0
}

# griot_kill9 [PID]: SIGKILL and reap.
griot_kill9() {
    local pid=${1:-$GRIOT_PID}
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# free_port: print a currently free loopback TCP port.
free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------

# http METHOD URL [curl args...]: one request; sets STATUS (000 = no HTTP answer), BODY (trailing
# newlines stripped; BODY_FILE has the exact bytes), HDR_FILE.
http() {
    local method=$1 url=$2
    shift 2
    _REQ_N=$((_REQ_N + 1))
    BODY_FILE="$_IT_TMP/resp.$_REQ_N.body"
    HDR_FILE="$_IT_TMP/resp.$_REQ_N.hdr"
    REQ_DESC="$method $url"
    STATUS=$(curl -sS -g -X "$method" -o "$BODY_FILE" -D "$HDR_FILE" -w '%{http_code}' \
        --max-time "${HTTP_TIMEOUT:-20}" "$@" "$url" 2>"$_IT_TMP/curl.err") || STATUS=000
    [ -e "$BODY_FILE" ] || : >"$BODY_FILE"
    [ -e "$HDR_FILE" ] || : >"$HDR_FILE"
    BODY=$(cat "$BODY_FILE")
    if [ "$STATUS" = 000 ]; then BODY="(curl: $(cat "$_IT_TMP/curl.err"))"; fi
    rm -f "$_IT_TMP/resp.$((_REQ_N - 20)).body" "$_IT_TMP/resp.$((_REQ_N - 20)).hdr"
    return 0
}

# hdr NAME: value of response header NAME of the last request (last occurrence; CR stripped).
hdr() {
    grep -i "^$1:" "$HDR_FILE" 2>/dev/null | tail -n 1 | cut -d: -f2- | sed 's/^[[:space:]]*//' | tr -d '\r' || true
}

# post_json HOOK JSON [curl args...]: POST JSON (Content-Type: application/json) to /hooks/HOOK.
post_json() {
    local hook=$1 json=$2
    shift 2
    http POST "$GRIOT_URL/hooks/$hook" -H 'Content-Type: application/json' --data-binary "$json" "$@"
    REQ_DESC="$REQ_DESC json=$(_trunc 200 "$json")"
}

# post_file HOOK FILE [curl args...]: POST the exact bytes of FILE as JSON.
post_file() {
    local hook=$1 file=$2
    shift 2
    http POST "$GRIOT_URL/hooks/$hook" -H 'Content-Type: application/json' --data-binary "@$file" "$@"
    REQ_DESC="$REQ_DESC file=$file"
}

# ---------------------------------------------------------------------------------------------
# Assertions (they record failures in the current case and always return 0)
# ---------------------------------------------------------------------------------------------

assert_eq() { # assert_eq LABEL EXPECTED ACTUAL
    if [ "$2" != "$3" ]; then _err "$1: expected '$(_trunc 200 "$2")', got '$(_trunc 200 "$3")'"; fi
    return 0
}

assert_ne() { # assert_ne LABEL UNEXPECTED ACTUAL
    if [ "$2" = "$3" ]; then _err "$1: expected anything but '$(_trunc 200 "$2")'"; fi
    return 0
}

assert_contains() { # assert_contains LABEL HAYSTACK NEEDLE
    if [[ "$2" != *"$3"* ]]; then _err "$1: '$(_trunc 300 "$2")' does not contain '$(_trunc 100 "$3")'"; fi
    return 0
}

assert_match() { # assert_match LABEL STRING ERE
    if ! [[ "$2" =~ $3 ]]; then _err "$1: '$(_trunc 200 "$2")' does not match /$3/"; fi
    return 0
}

# assert_jq LABEL JSON FILTER [jq args...]: FILTER must evaluate to true on JSON.
assert_jq() {
    local label=$1 json=$2 filter=$3
    shift 3
    if ! printf '%s' "$json" | jq -e "$@" "$filter" >/dev/null 2>&1; then
        _err "$label: jq '$filter' not true on $(_trunc 600 "$json")"
    fi
    return 0
}

assert_status() { # assert_status CODE
    if [ "$STATUS" != "$1" ]; then _err "status: expected $1, got $STATUS"; fi
    return 0
}

_assert_common_headers() {
    local rid ver
    rid=$(hdr X-Request-Id)
    ver=$(hdr X-Version-Id)
    assert_match "X-Request-Id" "$rid" '^[A-Za-z0-9]{26}$'
    # {version}.{build}.{config_hash}.{is_licensed}: clients read the leading x.y.z as the version
    assert_match "X-Version-Id" "$ver" '^[0-9]+\.[0-9]+\.[0-9]+\.[^.]+.*\.(true|false)$'
}

# assert_ok_response: 200, Content-Type text/plain, body exactly the two bytes "ok", headers.
assert_ok_response() {
    local ct bytes
    assert_status 200
    ct=$(hdr Content-Type)
    assert_match "Content-Type" "$ct" '^text/plain'
    bytes=$(od -An -tx1 "$BODY_FILE" | tr -d ' \n')
    if [ "$bytes" != "6f6b" ]; then _err "body: expected exactly 'ok' (6f6b), got bytes '$(_trunc 80 "$bytes")'"; fi
    _assert_common_headers
}

# assert_apperror STATUS ID: Mattermost AppError JSON with that status and id.
assert_apperror() {
    local want_status=$1 want_id=$2 ct rid
    assert_status "$want_status"
    ct=$(hdr Content-Type)
    assert_match "Content-Type" "$ct" '^application/json'
    _assert_common_headers
    rid=$(hdr X-Request-Id)
    if ! printf '%s' "$BODY" | jq -e 'type == "object"' >/dev/null 2>&1; then
        _err "body is not a JSON object"
        return 0
    fi
    assert_jq "AppError id" "$BODY" '.id == $id' --arg id "$want_id"
    assert_jq "AppError keys" "$BODY" 'has("id") and has("message") and has("detailed_error") and has("request_id") and has("status_code")'
    assert_jq "AppError message" "$BODY" '(.message | type) == "string" and (.message | length) > 0'
    assert_jq "AppError status_code" "$BODY" '.status_code == ($s | tonumber)' --arg s "$want_status"
    assert_jq "AppError request_id == X-Request-Id" "$BODY" '.request_id == $r' --arg r "$rid"
}

# ---------------------------------------------------------------------------------------------
# CLI and store
# ---------------------------------------------------------------------------------------------

# cli ARGS...: run ./griot ARGS (15 s limit: 124 = hung); sets CLI_RC CLI_OUT CLI_ERR (never aborts).
cli() {
    CLI_RC=0
    timeout -k 5 "${CLI_TIMEOUT:-15}" "$GRIOT" "$@" >"$_IT_TMP/cli.out" 2>"$_IT_TMP/cli.err" </dev/null || CLI_RC=$?
    CLI_OUT=$(cat "$_IT_TMP/cli.out")
    CLI_ERR=$(cat "$_IT_TMP/cli.err")
    return 0
}

# hook_create ARGS...: `griot hook create ARGS`, print the hook id (first output line).
hook_create() {
    local out id
    if ! out=$("$GRIOT" hook create "$@" </dev/null); then
        echo "hook_create $*: griot hook create failed" >&2
        return 1
    fi
    id=$(printf '%s\n' "$out" | head -n 1)
    if ! [[ "$id" =~ ^[A-Za-z0-9]{26}$ ]]; then
        echo "hook_create $*: first line '$id' is not a 26-char id" >&2
        return 1
    fi
    printf '%s\n' "$id"
}

# posts_json CHANNEL [args]: the channel's whole PostList (--limit 0) as JSON.
posts_json() {
    local ch=$1
    shift
    "$GRIOT" posts "$ch" --json --limit 0 "$@" </dev/null
}

# post_count CHANNEL [args]: number of posts stored in CHANNEL (-1 if the CLI fails).
post_count() {
    local out
    if out=$(posts_json "$@" 2>/dev/null) && out=$(printf '%s' "$out" | jq '.order | length' 2>/dev/null); then
        printf '%s\n' "$out"
    else
        echo -1
    fi
}

# last_post CHANNEL [args]: the newest Post object (or null).
last_post() {
    local ch=$1
    shift
    "$GRIOT" posts "$ch" --json --limit 1 "$@" </dev/null 2>/dev/null | jq -c '.posts[.order[0]] // null' 2>/dev/null || echo null
}

# last_posts CHANNEL N [args]: JSON array of the N newest Post objects, OLDEST first.
last_posts() {
    local ch=$1 n=$2
    shift 2
    "$GRIOT" posts "$ch" --json --limit "$n" "$@" </dev/null 2>/dev/null |
        jq -c '[.order[] as $i | .posts[$i]] | reverse' 2>/dev/null || echo '[]'
}

# total_posts: posts stored in all channels of team main (-1 if a CLI call fails).
total_posts() {
    local names n total=0 c
    names=$("$GRIOT" channel list --json </dev/null 2>/dev/null | jq -r '.[].name' 2>/dev/null) || {
        echo -1
        return 0
    }
    for c in $names; do
        n=$(post_count "$c")
        if [ "$n" -lt 0 ]; then
            echo -1
            return 0
        fi
        total=$((total + n))
    done
    echo "$total"
}

# channel_id NAME [--team T]: id of a channel (from `griot channel list --json`).
channel_id() {
    local name=$1
    shift
    "$GRIOT" channel list --json "$@" </dev/null | jq -r --arg n "$name" '.[] | select(.name == $n) | .id'
}

# uniq_text PREFIX: a text unique to this run, for finding a post again.
uniq_text() { printf '%s %s-%s' "$1" "$(date +%s%N)" "$RANDOM"; }

# node_ready: fail the script when the npm clients are not installed.
node_ready() {
    if [ ! -d "$NODE_DIR/node_modules" ]; then
        echo "fail $TEST_NAME: $NODE_DIR/node_modules missing (make deps runs npm ci there)"
        exit 1
    fi
}
