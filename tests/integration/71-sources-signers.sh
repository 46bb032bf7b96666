#!/usr/bin/env bash
# Native sources signed by code nobody here wrote: npm `standardwebhooks` and `svix` sign Standard
# Webhooks deliveries, npm `@octokit/webhooks` signs a GitHub delivery (node/sources-signers.mjs
# sends them); Debian's Prometheus Alertmanager posts real alerts through a webhook_configs
# receiver with bearer authorization (http_config.authorization.credentials) to an
# alertmanager-source hook. griot must verify each end to end, store the rendered post, and refuse
# a wrong secret / token with nothing stored.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_src.sh
. "$IT_DIR/lib_src.sh"
node_ready
for m in standardwebhooks svix @octokit/webhooks; do
    if [ ! -d "$NODE_DIR/node_modules/$m" ]; then
        echo "fail $TEST_NAME: npm package $m missing in $NODE_DIR (npm ci there)"
        exit 1
    fi
done
AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [ -z "$AM" ]; then
    echo "fail $TEST_NAME: prometheus-alertmanager not installed (make deps installs it)"
    exit 1
fi
export HOME="$_IT_TMP/home"
mkdir -p "$HOME"

griot_start --set hook_rate=0
T="$_IT_TMP/x"
mkdir -p "$T"

mkhook() {
    local ch=$1
    shift
    "$GRIOT" channel create "$ch" --display "$ch" >/dev/null 2>&1 || true
    hook_create --channel "$ch" "$@"
}

# signer MODE HOOK BODYFILE SECRET [options]: node/sources-signers.mjs; sets STATUS BODY
# BODY_FILE HDR_FILE (response) and SENT (the request headers, JSON) like lib.sh's http.
SENT="{}"
signer() {
    local mode=$1 hook=$2 body=$3 secret=$4 out
    shift 4
    _REQ_N=$((_REQ_N + 1))
    BODY_FILE="$_IT_TMP/resp.$_REQ_N.body"
    HDR_FILE="$_IT_TMP/resp.$_REQ_N.hdr"
    out=$(cd "$NODE_DIR" && node sources-signers.mjs "$mode" "$GRIOT_URL/hooks/$hook" "$secret" "$body" "$@" 2>&1) || true
    STATUS=$(printf '%s' "$out" | jq -r '.status' 2>/dev/null || echo 000)
    printf '%s' "$out" | jq -j '.body // ""' >"$BODY_FILE" 2>/dev/null || printf '%s' "$out" >"$BODY_FILE"
    printf '%s' "$out" | jq -r '(.response_headers // {}) | to_entries[] | "\(.key): \(.value)"' >"$HDR_FILE" 2>/dev/null || : >"$HDR_FILE"
    BODY=$(cat "$BODY_FILE")
    SENT=$(printf '%s' "$out" | jq -c '.headers // {}' 2>/dev/null || echo '{}')
    REQ_DESC="node sources-signers.mjs $mode POST $GRIOT_URL/hooks/$hook $* headers=$SENT body=@$body"
}

# A Standard Webhooks payload with non-ASCII text (the signers sign UTF-8 strings).
SWBODY="$T/order.json"
printf '{"type":"order.shipped","timestamp":"2026-03-14T09:26:53Z","data":{"id":"ord_%s","customer":"Aïssatou Diop","note":"colis déposé ✓","total":12500}}' "$RANDOM$RANDOM" >"$SWBODY"
SW2_SECRET=whsec_$(head -c 32 /dev/urandom | base64 -w0)

H_SW=$(mkhook sig-sw --source standard-webhooks --secret "$SW_SECRET") || true
if [ -n "$H_SW" ]; then
    case_begin SIG-1 "npm standardwebhooks Webhook.sign -> 200 ok, stored with the event type and fields"
    cnt sig-sw
    before=$BEFORE
    signer standardwebhooks "$H_SW" "$SWBODY" "$SW_SECRET" --id msg_sig1_$RANDOM
    SIG1_ID=$(printf '%s' "$SENT" | jq -r '."webhook-id"')
    assert_stored sig-sw "$before"
    assert_frags "rendering" "$HAY" order.shipped
    case_end

    case_begin SIG-2 "npm standardwebhooks, same message id re-sent (a retry) -> 200 ok, nothing new stored"
    signer standardwebhooks "$H_SW" "$SWBODY" "$SW_SECRET" --id "$SIG1_ID"
    assert_dedup sig-sw "$((before + 1))"
    case_end

    case_begin SIG-3 "npm standardwebhooks signing with another whsec_ secret -> 401 signature.mismatch, nothing stored"
    cnt sig-sw
    signer standardwebhooks "$H_SW" "$SWBODY" "$SW2_SECRET"
    assert_refused 401 griot.source.signature.mismatch sig-sw "$BEFORE" "${SW_SECRET#whsec_}"
    case_end

    case_begin SIG-4 "npm standardwebhooks signing a timestamp 10 min old -> 401 signature.stale"
    cnt sig-sw
    signer standardwebhooks "$H_SW" "$SWBODY" "$SW_SECRET" --ts "$(($(date +%s) - 600))"
    assert_refused 401 griot.source.signature.stale sig-sw "$BEFORE"
    case_end

    case_begin SIG-5 "npm svix Webhook.sign (webhook-* headers) -> 200 ok, stored"
    cnt sig-sw
    before=$BEFORE
    printf '{"type":"invoice.paid","data":{"id":"in_%s","amount_due":4200,"currency":"XOF"}}' "$RANDOM$RANDOM" >"$T/invoice.json"
    signer svix "$H_SW" "$T/invoice.json" "$SW_SECRET"
    assert_stored sig-sw "$before"
    assert_frags "rendering" "$HAY" invoice.paid
    case_end

    case_begin SIG-6 "npm svix with a wrong secret -> 401 signature.mismatch, nothing stored"
    cnt sig-sw
    signer svix "$H_SW" "$T/invoice.json" "$SW2_SECRET"
    assert_refused 401 griot.source.signature.mismatch sig-sw "$BEFORE"
    case_end

    # Svix's own delivery service names the headers svix-* (docs/sources/payments.md: accepted).
    case_begin SIG-6b "npm svix signing, sent with Svix's header names svix-id/-timestamp/-signature -> stored; the same svix-id again -> deduplicated"
    printf '{"type":"invoice.voided","data":{"id":"in_%s"}}' "$RANDOM$RANDOM" >"$T/invoice2.json"
    cnt sig-sw
    before=$BEFORE
    signer svix "$H_SW" "$T/invoice2.json" "$SW_SECRET" --svix-names
    assert_stored sig-sw "$before"
    assert_frags "rendering" "$HAY" invoice.voided
    SVIX_ID=$(printf '%s' "$SENT" | jq -r '."svix-id"')
    signer svix "$H_SW" "$T/invoice2.json" "$SW_SECRET" --svix-names --id "$SVIX_ID"
    assert_dedup sig-sw "$((before + 1))"
    signer svix "$H_SW" "$T/invoice2.json" "$SW2_SECRET" --svix-names
    assert_refused 401 griot.source.signature.mismatch sig-sw "$((before + 1))"
    case_end
else
    fail SIG-1 "griot hook create --source standard-webhooks failed"
fi

H_GH=$(mkhook sig-github --source github --secret "$FORGE_SECRET") || true
if [ -n "$H_GH" ]; then
    # The octokit example pull request, retitled with non-ASCII text (a body nobody signed before).
    PR_TITLE="Corrige l’accent de « café » ☕"
    jq -c --arg t "$PR_TITLE" '.pull_request.title = $t | .number = 4242 | .pull_request.number = 4242' \
        "$FX/github/pull_request__opened.json" >"$T/pr.json"
    case_begin SIG-7 "npm @octokit/webhooks sign() of a pull_request -> 200 ok, stored with repo, #number, title"
    cnt sig-github
    before=$BEFORE
    signer octokit "$H_GH" "$T/pr.json" "$FORGE_SECRET" --event pull_request
    assert_stored sig-github "$before"
    assert_frags "rendering" "$HAY" Hello-World "#4242" "$PR_TITLE"
    assert_ifrag "action" "$HAY" opened
    case_end

    case_begin SIG-8 "npm @octokit/webhooks, the same delivery id again -> 200 ok, nothing new stored"
    GH_ID=$(printf '%s' "$SENT" | jq -r '."X-GitHub-Delivery"')
    signer octokit "$H_GH" "$T/pr.json" "$FORGE_SECRET" --event pull_request --id "$GH_ID"
    assert_dedup sig-github "$((before + 1))"
    case_end

    case_begin SIG-9 "npm @octokit/webhooks with a wrong secret -> 401 signature.mismatch, nothing stored"
    cnt sig-github
    signer octokit "$H_GH" "$T/pr.json" "not-the-secret" --event pull_request
    assert_refused 401 griot.source.signature.mismatch sig-github "$BEFORE" "$(forge_sig "$T/pr.json")"
    case_end

    case_begin SIG-10 "npm @octokit/webhooks sign() of a push -> stored with branch and short sha"
    cnt sig-github
    jq -c '.ref = "refs/heads/main" | .after = "5f3c9a1e2b7d4c6f8a0b1c2d3e4f5a6b7c8d9e0f" | .created = false | .deleted = false |
        .commits = [{id: "5f3c9a1e2b7d4c6f8a0b1c2d3e4f5a6b7c8d9e0f", message: "Ajoute la page « équipe »\n\ndétails", timestamp: "2026-03-14T09:26:53Z",
        url: "https://github.com/Codertocat/Hello-World/commit/5f3c9a1e2b7d4c6f8a0b1c2d3e4f5a6b7c8d9e0f",
        author: {name: "Codertocat", email: "c@example.com", username: "Codertocat"}, committer: {name: "Codertocat", email: "c@example.com", username: "Codertocat"},
        added: [], removed: [], modified: ["README.md"]}] | .head_commit = .commits[0]' "$FX/github/push.json" >"$T/push.json"
    signer octokit "$H_GH" "$T/push.json" "$FORGE_SECRET" --event push
    assert_stored sig-github "$BEFORE"
    assert_frags "rendering" "$HAY" Hello-World main 5f3c9a1 "Ajoute la page « équipe »"
    case_end
else
    fail SIG-7 "griot hook create --source github failed"
fi

# ---------------------------------------------------------------------------------------------
# Prometheus Alertmanager, webhook_configs with bearer credentials
# ---------------------------------------------------------------------------------------------
TOKEN="am-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
H_AM=$(mkhook sig-am --source alertmanager --auth-bearer "$TOKEN") || true
H_AMBAD=$(mkhook sig-am-bad --source alertmanager --auth-bearer "$TOKEN-right") || true
if [ -z "$H_AM" ] || [ -z "$H_AMBAD" ]; then
    fail AMS-0 "griot hook create --source alertmanager --auth-bearer failed"
    griot_stop
    finish
fi
AM_DIR="$_IT_TMP/alertmanager"
mkdir -p "$AM_DIR/data"
cat >"$AM_DIR/alertmanager.yml" <<EOF
# written by $TEST_NAME: webhook receivers with bearer authorization to griot native hooks
route:
  receiver: griot
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: griot-wrong-token
      matchers: ['target="wrong"']
receivers:
  - name: griot
    webhook_configs:
      - url: '$GRIOT_URL/hooks/$H_AM'
        send_resolved: true
        http_config:
          authorization:
            credentials: '$TOKEN'
  - name: griot-wrong-token
    webhook_configs:
      - url: '$GRIOT_URL/hooks/$H_AMBAD'
        send_resolved: true
        http_config:
          authorization:
            credentials: '$TOKEN-wrong'
EOF
AM_PORT=$(free_port)
AM_URL="http://127.0.0.1:$AM_PORT"
"$AM" --config.file="$AM_DIR/alertmanager.yml" --storage.path="$AM_DIR/data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=debug \
    >"$AM_DIR/am.log" 2>&1 &
AM_PID=$!
bg_track "$AM_PID"
deadline=$((SECONDS + 20))
until curl -sf "$AM_URL/-/ready" >/dev/null 2>&1; do
    if ! kill -0 "$AM_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        echo "fail $TEST_NAME: alertmanager did not become ready; its log:"
        sed 's/^/#   /' "$AM_DIR/am.log" | tail -n 30
        exit 1
    fi
    sleep 0.2
done

ALERT="GriotSrcAlert$RANDOM"
# am_alert [EXTRA-JQ]: POST one alert to Alertmanager's API v2.
am_alert() {
    local jqmap=${1:-.} js
    js=$(jq -nc --arg a "$ALERT" "[{labels: {alertname: \$a, severity: \"critical\", instance: \"db1.example\"},
        annotations: {summary: \"disk full on db1\", description: \"/var is 97% full\"},
        generatorURL: \"http://prometheus.example:9090/graph?g0.expr=disk\"}] | map($jqmap)")
    http POST "$AM_URL/api/v2/alerts" -H 'Content-Type: application/json' --data-binary "$js"
    REQ_DESC="$REQ_DESC json=$js"
}
# wait_am_post FILTER SECONDS: wait for a post in #sig-am matching the jq FILTER ($a = alert name).
wait_am_post() {
    local filter=$1 limit=$2 deadline p
    deadline=$((SECONDS + limit))
    while :; do
        p=$("$GRIOT" posts sig-am --json --limit 10 2>/dev/null | jq -c --arg a "$ALERT" "[.posts[] | select($filter)] | first // empty" 2>/dev/null || true)
        if [ -n "$p" ]; then
            printf '%s\n' "$p"
            return 0
        fi
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.5
    done
}
am_metric() { # am_metric NAME: sum over integration="webhook"
    curl -s "$AM_URL/metrics" | awk -v m="$1" 'index($1, m "{") == 1 && index($1, "integration=\"webhook\"") { s += $NF } END { printf "%d\n", s }'
}

case_begin AMS-1 "Alertmanager webhook (bearer) posts a firing alert -> rendered post in #sig-am (within 30 s)"
am_alert
assert_status 200
if P=$(wait_am_post '(.message | contains($a)) and (.message | ascii_downcase | contains("firing"))' 30); then
    HAY=$(haystack "$P")
    assert_frags "rendering" "$HAY" "$ALERT" "disk full on db1" "http://prometheus.example:9090/graph?g0.expr=disk"
    assert_jq "webhook post" "$P" '.props.from_webhook == "true" and (.props.attachments | length) >= 1'
    assert_color "$P" red
else
    _err "no firing post naming $ALERT in #sig-am after 30 s: posts=$(_trunc 400 "$(posts_json sig-am | jq -c '[.posts[].message]')"); alertmanager log: $(_trunc 600 "$(grep -i -E 'webhook|notify' "$AM_DIR/am.log" | tail -n 5)")"
fi
case_end

case_begin AMS-2 "resolving the alert -> resolved post (send_resolved), green"
am_alert ".endsAt = \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""
assert_status 200
if P=$(wait_am_post '(.message | contains($a)) and (.message | ascii_downcase | contains("resolved"))' 30); then
    assert_color "$P" green
else
    _err "no resolved post naming $ALERT in #sig-am after 30 s; alertmanager log: $(_trunc 600 "$(grep -i -E 'webhook|notify' "$AM_DIR/am.log" | tail -n 5)")"
fi
case_end

case_begin AMS-3 "receiver with the wrong bearer token: griot refuses (401 unauthorized) every attempt, Alertmanager counts failures and tries again; nothing stored"
refused0=$(metric_sum griot_source_refused_total 'source="alertmanager"' 'unauthorized"')
ALERT_W="${ALERT}Wrong"
am_alert ".labels.target = \"wrong\" | .labels.alertname = \"$ALERT_W\""
assert_status 200
deadline=$((SECONDS + 30))
while :; do
    refused=$(metric_sum griot_source_refused_total 'source="alertmanager"' 'unauthorized"')
    failed=$(am_metric alertmanager_notifications_failed_total)
    if [ $((refused - refused0)) -ge 2 ] && [ "$failed" -ge 2 ]; then break; fi
    [ "$SECONDS" -ge "$deadline" ] && break
    sleep 0.5
done
note "AMS-3: griot refused $((refused - refused0)) alertmanager deliveries (unauthorized); alertmanager webhook failures: $failed"
if [ $((refused - refused0)) -lt 2 ]; then _err "griot_source_refused_total{source=alertmanager,reason=~unauthorized} rose by $((refused - refused0)) in 30 s, expected >= 2 (first attempt + a retry)"; fi
if [ "$failed" -lt 2 ]; then _err "alertmanager_notifications_failed_total{integration=webhook} = $failed, expected >= 2"; fi
assert_eq "nothing stored in #sig-am-bad" 0 "$(post_count sig-am-bad)"
if grep -q "$TOKEN-wrong" "$GRIOT_DATA/serve.err" "$GRIOT_DATA/serve.out"; then _err "griot logged the presented token"; fi
if grep -q "$TOKEN" "$GRIOT_DATA/serve.err" "$GRIOT_DATA/serve.out"; then _err "griot logged the hook's token"; fi
case_end

case_begin AMS-4 "the wrong-token alert never reached #sig-am either"
assert_eq "no post names $ALERT_W" 0 "$(posts_json sig-am | jq --arg a "$ALERT_W" '[.posts[] | select(.message | contains($a))] | length')"
case_end

kill "$AM_PID" 2>/dev/null || true
griot_stop
finish
