# shellcheck shell=bash disable=SC2034,SC2153
# tests/integration/lib_src.sh - helpers for the native-source tests (7x-sources-*.sh), sourced
# AFTER lib.sh. Signing is done here with openssl (HMAC), independently of griot's code.
#
# Signing:    hmac ALGO hex|b64 KEYSPEC [FILE...]   (KEYSPEC "key:TEXT" or "hexkey:HEX"; stdin if no FILE)
#             forge_sig FILE [SECRET]; wave_sig SECRET TS FILE; sw_sig WHSEC ID TS FILE
# Requests:   src_hdrs HDRFILE [EDIT...]  -> SRC_H (curl -H args); EDIT "-Name" drops a header,
#             "Name: value" replaces/adds one (header names case-insensitive)
#             src_post HOOK BODYFILE HDRFILE [EDIT...] [-- CURLARGS...]  (sets STATUS/BODY like http)
# Store:      haystack POSTJSON (message + every string of the attachments, Markdown escapes removed)
#             assert_frags LABEL HAYSTACK FRAG...; assert_nofrag LABEL HAYSTACK FRAG...
#             assert_ifrag LABEL HAYSTACK WORD (case-insensitive); color_class COLOR -> red|green|other
#             cnt CHANNEL (-> BEFORE, cached post count); assert_stored CHANNEL BEFORE (-> P, HAY);
#             assert_dedup CHANNEL BEFORE; assert_ok1; assert_apperror1 STATUS ID (fewer processes)
#             assert_refused STATUS ID CHANNEL BEFORE [NEEDLE...]: AppError, nothing stored, no leak
# Metrics:    metric_sum NAME LABEL_SUBSTR...  (sum of the /metrics lines of NAME having all substrings)

FX="$SHARED_DIR/fixtures"
FORGE_SECRET=griot-fixture-secret
WAVE_SECRET=griot-wave-test-secret
WAVE_OLD_SECRET=griot-wave-old-secret
SW_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
SRC_H=()

src_need_fixtures() {
    if [ ! -d "$FX/forgejo" ]; then
        skip "shared fixtures not found at $FX (expected beside the repository as ../shared, or set GRIOT_SHARED)"
    fi
    command -v openssl >/dev/null || {
        echo "fail $TEST_NAME: openssl is not installed"
        exit 1
    }
}

# hmac ALGO ENC KEYSPEC [FILE...]
hmac() {
    local algo=$1 enc=$2 key=$3
    shift 3
    cat "$@" | openssl dgst "-$algo" -mac HMAC -macopt "$key" -binary |
        if [ "$enc" = hex ]; then od -An -v -tx1 | tr -d ' \n'; else base64 -w0; fi
}

# forge_sig FILE [SECRET]: lowercase hex HMAC-SHA256 of FILE (Forgejo/Gitea/GitHub/Grafana).
forge_sig() { hmac sha256 hex "key:${2:-$FORGE_SECRET}" "$1"; }

# wave_sig SECRET TS FILE: hex HMAC-SHA256 over TS immediately followed by the body.
wave_sig() { { printf '%s' "$2"; cat "$3"; } | hmac sha256 hex "key:$1"; }

# sw_sig WHSEC ID TS FILE: Standard Webhooks v1 (base64 HMAC-SHA256, key = base64-decoded secret).
sw_sig() {
    local key
    key=$(printf '%s' "${1#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
    { printf '%s.%s.' "$2" "$3"; cat "$4"; } | hmac sha256 b64 "hexkey:$key"
}

# src_hdrs HDRFILE [EDIT...]: build SRC_H from a fixture .headers file ("" = none) and edits.
src_hdrs() {
    local file=$1 line name e en drop
    shift
    SRC_H=()
    if [ -n "$file" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            line=${line%$'\r'}
            [ -n "$line" ] || continue
            name=${line%%:*}
            drop=no
            for e in "$@"; do
                en=${e#-}
                en=${en%%:*}
                if [ "${name,,}" = "${en,,}" ]; then drop=yes; fi
            done
            [ "$drop" = yes ] || SRC_H+=(-H "$line")
        done <"$file"
    fi
    for e in "$@"; do
        case $e in -*) ;; *) SRC_H+=(-H "$e") ;; esac
    done
    return 0
}

# src_post HOOK BODYFILE HDRFILE [EDIT...] [-- CURLARGS...]
src_post() {
    local hook=$1 body=$2 hfile=$3 edits=() extra=() h
    shift 3
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then
            shift
            extra=("$@")
            break
        fi
        edits+=("$1")
        shift
    done
    src_hdrs "$hfile" "${edits[@]}"
    http POST "$GRIOT_URL/hooks/$hook" "${SRC_H[@]}" "${extra[@]}" --data-binary "@$body"
    h=""
    local i
    for ((i = 1; i < ${#SRC_H[@]}; i += 2)); do h+="${SRC_H[$i]} | "; done
    REQ_DESC="$REQ_DESC${extra[*]:+ ${extra[*]}} headers=[${h% | }] body=@$body"
}

# haystack POSTJSON: the post's message and every string inside props.attachments but colours, one text,
# with Markdown backslash escapes removed (so "high\_memory" matches "high_memory").
haystack() {
    printf '%s' "$1" | jq -r '[(.message // ""), ((.props.attachments // []) | map(del(.color)?) | .. | strings)] | join("\n") | gsub("\\\\(?<c>[!-/:-@\\[-`{-~])"; .c)' 2>/dev/null || true
}

assert_frags() { # assert_frags LABEL HAYSTACK FRAG...
    local label=$1 hay=$2 f
    shift 2
    for f in "$@"; do
        [ -n "$f" ] || continue
        if [[ "$hay" != *"$f"* ]]; then _err "$label: fragment '$(_trunc 80 "$f")' not in stored post '$(_trunc 500 "$hay")'"; fi
    done
    return 0
}

assert_nofrag() { # assert_nofrag LABEL HAYSTACK FRAG...
    local label=$1 hay=$2 f
    shift 2
    for f in "$@"; do
        if [[ "$hay" == *"$f"* ]]; then _err "$label: '$(_trunc 80 "$f")' must not appear in '$(_trunc 400 "$hay")'"; fi
    done
    return 0
}

assert_ifrag() { # assert_ifrag LABEL HAYSTACK WORD: case-insensitive
    if [[ "${2,,}" != *"${3,,}"* ]]; then _err "$1: '$3' (any case) not in '$(_trunc 400 "$2")'"; fi
    return 0
}

# color_class COLOR: red / green / other (Slack names good/danger, or the dominant hex channel).
color_class() {
    local c=${1,,} r g b
    case $c in
    good) echo green; return 0 ;;
    danger) echo red; return 0 ;;
    esac
    if [[ "$c" =~ ^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$ ]]; then
        r=$((16#${BASH_REMATCH[1]})) g=$((16#${BASH_REMATCH[2]})) b=$((16#${BASH_REMATCH[3]}))
        if [ "$r" -gt "$g" ] && [ "$r" -gt "$b" ] && [ $((r - g)) -gt 60 ]; then echo red; return 0; fi
        if [ "$g" -gt "$r" ] && [ "$g" -ge "$b" ] && [ $((g - r)) -gt 60 ]; then echo green; return 0; fi
    fi
    echo other
}

# assert_color POSTJSON red|green: the first attachment's colour.
assert_color() {
    local c
    c=$(printf '%s' "$1" | jq -r '.props.attachments[0].color // ""' 2>/dev/null || true)
    if [ "$(color_class "$c")" != "$2" ]; then _err "attachment colour '$c' is not $2"; fi
    return 0
}

# Process spawns are slow on a loaded machine: the helpers below check what lib.sh's
# assert_ok_response / assert_apperror / post_count check, with fewer processes.

# _rh_load: the last response's headers into RH (lower-case names; last occurrence wins).
declare -A RH=()
_rh_load() {
    local line name
    RH=()
    [ -r "$HDR_FILE" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        case $line in *:*) ;; *) continue ;; esac
        name=${line%%:*}
        line=${line#*:}
        line=${line#"${line%%[![:space:]]*}"}
        RH[${name,,}]=$line
    done <"$HDR_FILE"
}

_common_headers1() {
    assert_match "X-Request-Id" "${RH[x-request-id]:-}" '^[A-Za-z0-9]{26}$'
    assert_match "X-Version-Id" "${RH[x-version-id]:-}" '^[0-9]+\.[0-9]+\.[0-9]+\.[^.]+.*\.(true|false)$'
}

# assert_ok1: 200, text/plain, body exactly "ok", common headers.
assert_ok1() {
    local b=""
    assert_status 200
    _rh_load
    assert_match "Content-Type" "${RH[content-type]:-}" '^text/plain'
    IFS= read -r -d '' -N 3 b <"$BODY_FILE" || true
    if [ "$b" != ok ]; then _err "body: expected exactly 'ok', got '$(_trunc 200 "$b$(head -c 300 "$BODY_FILE" | tail -c +4)")'"; fi
    _common_headers1
}

# assert_apperror1 STATUS ID: lib.sh's assert_apperror checks, with one jq run.
assert_apperror1() {
    local st=$1 id=$2 r
    assert_status "$st"
    _rh_load
    assert_match "Content-Type" "${RH[content-type]:-}" '^application/json'
    _common_headers1
    r=$(jq -r --arg id "$id" --arg s "$st" --arg r "${RH[x-request-id]:-}" '
        if type != "object" then "body is not a JSON object" else
        [ (if .id != $id then "AppError id: expected \($id), got \(.id)" else empty end),
          (if (has("id") and has("message") and has("detailed_error") and has("request_id") and has("status_code")) | not
           then "AppError keys: \(keys)" else empty end),
          (if ((.message | type) == "string" and (.message | length) > 0) | not then "AppError message empty" else empty end),
          (if .status_code != ($s | tonumber) then "AppError status_code \(.status_code)" else empty end),
          (if .request_id != $r then "AppError request_id != X-Request-Id" else empty end)
        ] | join("; ") end' "$BODY_FILE" 2>/dev/null) || r="body is not JSON"
    if [ -n "$r" ]; then _err "$r"; fi
    return 0
}

# Channel post counts are cached (this script is the only writer): `cnt CH` sets BEFORE to the
# cached count (or asks the CLI); the assert_* below refresh the cache.
declare -A _CNT=()
BEFORE=0
cnt() {
    if [ -n "${_CNT[$1]:-}" ]; then BEFORE=${_CNT[$1]}; else BEFORE=$(post_count "$1"); _CNT[$1]=$BEFORE; fi
}

# assert_refused STATUS ID CHANNEL BEFORE [NEEDLE...]: the last answer is that AppError, CHANNEL
# still has BEFORE posts, and no NEEDLE (expected signature, secret) appears in the answer.
assert_refused() {
    local st=$1 id=$2 ch=$3 before=$4 n now all
    shift 4
    assert_apperror1 "$st" "$id"
    all="$BODY ${RH[*]}"
    for n in "$@"; do
        [ -n "$n" ] || continue
        if [[ "${all,,}" == *"${n,,}"* ]]; then _err "the answer leaks '$(_trunc 40 "$n")'"; fi
    done
    now=$(post_count "$ch")
    _CNT[$ch]=$now
    assert_eq "nothing stored in $ch" "$before" "$now"
}

# assert_stored CHANNEL BEFORE: answered 200 ok and exactly one new post in CHANNEL; sets P
# (the new post) and HAY (its haystack: message + attachment strings, Markdown escapes removed).
P=""
HAY=""
assert_stored() {
    local ch=$1 before=$2 out n chk
    assert_ok1
    out=$(posts_json "$ch" 2>/dev/null | jq -r '(.order | length), (.posts[.order[0]] // null) as $p | ($p | tojson),
        (if ($p.props.from_webhook == "true" and ($p.message | type) == "string" and ($p.message | length) > 0) then "ok" else "bad" end),
        ([($p.message // ""), (($p.props.attachments // []) | map(del(.color)?) | .. | strings)] | join("\n") | gsub("\\\\(?<c>[!-/:-@\\[-`{-~])"; .c))' 2>/dev/null) || out=""
    n=${out%%$'\n'*}
    out=${out#*$'\n'}
    P=${out%%$'\n'*}
    out=${out#*$'\n'}
    chk=${out%%$'\n'*}
    HAY=${out#*$'\n'}
    [ -n "$n" ] || n=-1
    _CNT[$ch]=$n
    assert_eq "$ch posts +1" "$((before + 1))" "$n"
    if [ "$chk" != ok ]; then
        _err "stored post is not a webhook post with a non-empty Markdown message: $(_trunc 300 "$P")"
    fi
    return 0
}

# assert_dedup CHANNEL BEFORE: answered 200 ok and nothing new stored.
assert_dedup() {
    local now
    assert_ok1
    now=$(post_count "$1")
    _CNT[$1]=$now
    assert_eq "nothing new stored in $1" "$2" "$now"
}

# metric_sum NAME SUBSTR...: sum of the values of /metrics samples NAME{...} whose label set
# contains every SUBSTR (e.g. 'source="wave"').
metric_sum() {
    local name=$1
    shift
    curl -s --max-time 10 "$GRIOT_URL/metrics" | awk -v m="$name" -v subs="$(printf '%s\x1f' "$@")" '
        BEGIN { n = split(subs, s, "\x1f") }
        index($1, m "{") == 1 || $1 == m {
            ok = 1
            for (i = 1; i < n; i++) if (index($0, s[i]) == 0) ok = 0
            if (ok) sum += $NF
        }
        END { printf "%d\n", sum }'
}

# uuid: a random v4-looking UUID (delivery ids).
uuid() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12})$/\1-\2-4\3-a\4-\5/'; }
