# shellcheck shell=bash disable=SC2034
# (SC2034: lib_rl.sh sets variables for the scripts that source it.)
# tests/integration/lib_rl.sh - helpers for the rate-limit tests (43-ratelimit.sh,
# 46-hook-limiter.sh, 61-queue-durable.sh). Source it AFTER lib.sh.
#
#   metric NAME                       sum of the samples of NAME in /metrics (empty if absent)
#   rl_send URL BODIES OUT [CONC]     POST each line of BODIES (sent verbatim, Content-Type
#                                     application/json) to URL over keep-alive connections, CONC at
#                                     a time (default 1 = strictly in file order). OUT gets one JSON
#                                     object per request, in input order:
#                                       {"i":N,"status":200,"body":"ok","ms":1.2,"h":{...}}
#                                     (h: content-type, x-request-id, x-ratelimit-*, retry-after).
#                                     Prints a summary {"n","statuses","ms"}. Env: RL_HEADERS (JSON
#                                     object of extra request headers), RL_LOCAL_ADDR (source address).
#   stored_texts CHANNEL PREFIX       texts starting with PREFIX stored in CHANNEL, oldest post first,
#                                     with digest posts (props.griot_digest_count) expanded into
#                                     their texts; one per line (texts must not contain newlines).
#                                     A digest longer than 16383 runes is stored as consecutive
#                                     chunks (Mattermost's split: every chunk but the last exactly
#                                     16383 runes, same props); they are joined again first.
#   logical_posts CHANNEL PREFIX      JSON array (oldest first) of the "logical" posts (split digest
#                                     chunks joined: .message joined, ._chunks = number of posts,
#                                     ._atts = all chunks' attachments, ._ids) that hold a text
#                                     starting with PREFIX; each with ._texts (its texts)
#   wait_texts CHANNEL PREFIX N SECS  poll until stored_texts gives >= N lines (or SECS pass);
#                                     sets WAITED_MS; returns 0 always
#   wait_metric NAME VALUE SECS       poll until metric NAME == VALUE (or SECS pass); returns 0
#   check_digests CHANNEL PREFIX      prints the problems (one per line) of the digest posts whose
#                                     texts start with PREFIX: prefix line, count, parts
#   now_ms                            wall clock in ms

# jq: the texts of a post (a digest's header is dropped)
RL_JQ_PARTS='def parts: if (.props.griot_digest_count // null) != null then (.message | split("\n\n---\n\n") | .[1:]) else [.message] end;'
RL_JQ_CHRONO='def chrono: [.order[] as $i | .posts[$i]] | reverse;
def isdig: (.props.griot_digest_count // null) != null;
def logical: reduce .[] as $p ([];
    if length > 0 and (.[length - 1] | isdig) and ($p | isdig) and .[length - 1]._lastlen == 16383
       and $p.channel_id == .[length - 1].channel_id and $p.props.griot_digest_count == .[length - 1].props.griot_digest_count
       and ($p.message | startswith("**") | not)
    then .[length - 1].message += $p.message | .[length - 1]._lastlen = ($p.message | length) | .[length - 1]._chunks += 1
         | .[length - 1]._atts += ($p.props.attachments // []) | .[length - 1]._ids += [$p.id]
    else . + [$p + {_lastlen: ($p.message | length), _chunks: 1, _atts: ($p.props.attachments // []), _ids: [$p.id]}] end);'

now_ms() { echo $(($(date +%s%N) / 1000000)); }

metric() {
    # RL_METRIC_ARGS: extra curl arguments (e.g. --interface 127.0.0.9 to use another rate-limit key)
    # shellcheck disable=SC2086
    http GET "$GRIOT_URL/metrics" ${RL_METRIC_ARGS:-}
    printf '%s\n' "$BODY" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $NF; f = 1 } END { if (f) printf "%.0f\n", s }'
}

stored_texts() {
    local ch=$1 p=$2
    posts_json "$ch" 2>/dev/null | jq -r --arg p "$p" "$RL_JQ_PARTS $RL_JQ_CHRONO"' chrono | logical | .[] | parts[] | select(startswith($p))' 2>/dev/null || true
}

logical_posts() {
    local ch=$1 p=$2
    posts_json "$ch" | jq -c --arg p "$p" "$RL_JQ_PARTS $RL_JQ_CHRONO"' chrono | logical | map(. + {_texts: [parts[] | select(startswith($p))]} | select(._texts | length > 0))'
}

wait_texts() {
    local ch=$1 p=$2 n=$3 secs=$4 t0 got
    t0=$(now_ms)
    while :; do
        got=$(stored_texts "$ch" "$p" | wc -l)
        [ "$got" -ge "$n" ] && break
        [ $(($(now_ms) - t0)) -ge $((secs * 1000)) ] && break
        sleep 0.1
    done
    WAITED_MS=$(($(now_ms) - t0))
    return 0
}

wait_metric() {
    local name=$1 want=$2 secs=$3 t0
    t0=$(now_ms)
    while [ "$(metric "$name")" != "$want" ]; do
        [ $(($(now_ms) - t0)) -ge $((secs * 1000)) ] && break
        sleep 0.1
    done
    return 0
}

check_digests() {
    local ch=$1 p=$2
    logical_posts "$ch" "$p" | jq -r "$RL_JQ_PARTS"'
        .[] | select((.props.griot_digest_count // null) != null)
        | .props.griot_digest_count as $n
        | ( if ($n | type) != "number" or $n < 2 then "digest \(.id): griot_digest_count \($n | tojson) is not a number >= 2" else empty end,
            if (.message | startswith("**\($n) messages** arrived faster than this webhook'"'"'s rate limit") | not)
              then "digest \(.id): message does not start with **\($n) messages** arrived faster than this webhook'"'"'s rate limit: \(.message[0:120] | tojson)" else empty end,
            if (parts | length) != $n then "digest \(.id): griot_digest_count \($n) but \(parts | length) texts" else empty end )'
}

# The sender used by rl_send.
RL_SEND_JS="$_IT_TMP/rl_send.mjs"
cat >"$RL_SEND_JS" <<'EOF'
import http from 'node:http';
import fs from 'node:fs';
const [url, bodiesFile, outFile, concStr] = process.argv.slice(2);
const conc = Number(concStr || 1);
const bodies = fs.readFileSync(bodiesFile, 'utf8').split('\n');
if (bodies.length && bodies[bodies.length - 1] === '') bodies.pop();
const extra = process.env.RL_HEADERS ? JSON.parse(process.env.RL_HEADERS) : {};
const localAddress = process.env.RL_LOCAL_ADDR || undefined;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
const out = new Array(bodies.length);
const statuses = {};
const want = ['content-type', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining',
  'x-ratelimit-reset', 'retry-after'];
let next = 0;
const t0 = Date.now();
function one(i) {
  return new Promise((resolve) => {
    const body = Buffer.from(bodies[i], 'utf8');
    const t = process.hrtime.bigint();
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      localAddress,
      headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, ...extra },
      timeout: 30000,
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const h = {};
        for (const k of want) if (res.headers[k] !== undefined) h[k] = res.headers[k];
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        out[i] = { i, status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'),
          ms: Math.round(Number(process.hrtime.bigint() - t) / 1e5) / 10, h };
        resolve();
      });
      res.on('error', (e) => { out[i] = { i, status: 0, body: String(e.code || e.message), h: {} }; resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      statuses[0] = (statuses[0] || 0) + 1;
      out[i] = { i, status: 0, body: String(e.code || e.message), h: {} };
      resolve();
    });
    req.end(body);
  });
}
async function sender() { while (next < bodies.length) { const i = next++; await one(i); } }
await Promise.all(Array.from({ length: conc }, sender));
fs.writeFileSync(outFile, out.map((o) => JSON.stringify(o)).join('\n') + (out.length ? '\n' : ''));
console.log(JSON.stringify({ n: bodies.length, statuses, ms: Date.now() - t0 }));
agent.destroy();
EOF

rl_send() {
    node "$RL_SEND_JS" "$@"
}

# texts_file PREFIX N [JQ-OBJECT-EXPR]: N JSON bodies {"text":"PREFIX-<i>"} (i = 1..N), one a line,
# on stdout; JQ-OBJECT-EXPR (with $i and $t bound) replaces the default body.
texts_file() {
    local p=$1 n=$2 expr=${3:-'{text: $t}'}
    jq -nc --arg p "$p" --argjson n "$n" "range(1; \$n + 1) as \$i | (\"\(\$p)-\(\$i)\") as \$t | $expr"
}

# assert_limit_exceeded [LIMIT]: the last response is Mattermost's limiter answer (spec §7.2):
# 429, Content-Type exactly "text/plain; charset=utf-8", body exactly "limit exceeded\n", no
# X-Request-Id, X-Ratelimit-Limit (= LIMIT if given), X-Ratelimit-Remaining 0, X-Ratelimit-Reset
# >= 1, Retry-After >= 1.
assert_limit_exceeded() {
    local want_limit=${1:-} bytes v
    assert_status 429
    assert_eq "429 Content-Type" "text/plain; charset=utf-8" "$(hdr Content-Type)"
    bytes=$(od -An -tx1 "$BODY_FILE" | tr -d ' \n')
    # "limit exceeded\n"
    if [ "$bytes" != "6c696d69742065786365656465640a" ]; then
        _err "429 body: expected exactly 'limit exceeded\\n', got bytes '$(_trunc 80 "$bytes")' ($(_trunc 80 "$(cat "$BODY_FILE")"))"
    fi
    if grep -qi '^X-Request-Id:' "$HDR_FILE"; then _err "429 has an X-Request-Id header ($(hdr X-Request-Id))"; fi
    v=$(hdr X-Ratelimit-Limit)
    if [ -n "$want_limit" ]; then assert_eq "429 X-Ratelimit-Limit" "$want_limit" "$v"; else assert_match "429 X-Ratelimit-Limit" "$v" '^[1-9][0-9]*$'; fi
    assert_eq "429 X-Ratelimit-Remaining" 0 "$(hdr X-Ratelimit-Remaining)"
    v=$(hdr X-Ratelimit-Reset)
    assert_match "429 X-Ratelimit-Reset" "$v" '^[0-9]+$'
    if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -lt 1 ]; then _err "429 X-Ratelimit-Reset $v < 1"; fi
    v=$(hdr Retry-After)
    assert_match "Retry-After" "$v" '^[0-9]+$'
    if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -lt 1 ]; then _err "Retry-After $v < 1"; fi
    return 0
}

# assert_rl_headers LIMIT [REMAINING]: the last (passing) response carries X-Ratelimit-Limit = LIMIT,
# X-Ratelimit-Remaining (= REMAINING if given, else 0..LIMIT-1) and an integer X-Ratelimit-Reset;
# no Retry-After.
assert_rl_headers() {
    local want_limit=$1 want_rem=${2:-} v
    assert_eq "X-Ratelimit-Limit" "$want_limit" "$(hdr X-Ratelimit-Limit)"
    v=$(hdr X-Ratelimit-Remaining)
    if [ -n "$want_rem" ]; then
        assert_eq "X-Ratelimit-Remaining" "$want_rem" "$v"
    else
        assert_match "X-Ratelimit-Remaining" "$v" '^[0-9]+$'
        if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge "$want_limit" ]; then _err "X-Ratelimit-Remaining $v >= limit $want_limit"; fi
    fi
    assert_match "X-Ratelimit-Reset" "$(hdr X-Ratelimit-Reset)" '^[0-9]+$'
    if grep -qi '^Retry-After:' "$HDR_FILE"; then _err "a passing response has Retry-After: $(hdr Retry-After)"; fi
    return 0
}

# save_resp NAME / load_resp NAME: keep the last response (STATUS, BODY, headers, REQ_DESC) to
# assert on it later (so that requests can be sent back to back, before slow assertions).
save_resp() {
    cp "$BODY_FILE" "$_IT_TMP/saved.$1.body"
    cp "$HDR_FILE" "$_IT_TMP/saved.$1.hdr"
    printf '%s\n%s\n' "$STATUS" "$REQ_DESC" >"$_IT_TMP/saved.$1.meta"
}
load_resp() {
    BODY_FILE="$_IT_TMP/saved.$1.body"
    HDR_FILE="$_IT_TMP/saved.$1.hdr"
    BODY=$(cat "$BODY_FILE")
    STATUS=$(sed -n 1p "$_IT_TMP/saved.$1.meta")
    REQ_DESC="[$1] $(sed -n 2p "$_IT_TMP/saved.$1.meta")"
}
