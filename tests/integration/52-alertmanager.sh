#!/usr/bin/env bash
# Debian's Prometheus Alertmanager with a slack_configs receiver pointed at a griot hook: an alert
# posted to its API arrives as a slack_attachment post; resolving it sends the RESOLVED post; and
# Alertmanager itself counts the notifications as successful (it insists on the exact "ok" body).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [ -z "$AM" ] || ! command -v amtool >/dev/null; then
    echo "fail $TEST_NAME: prometheus-alertmanager/amtool not installed (make deps installs them)"
    exit 1
fi
export HOME="$_IT_TMP/home" # no user amtool config
mkdir -p "$HOME"

griot_start --set hook_rate=0
"$GRIOT" channel create alerts >/dev/null
H=$BOOT_HOOK

AM_DIR="$_IT_TMP/alertmanager"
mkdir -p "$AM_DIR/data"
sed "s|@API_URL@|$GRIOT_URL/hooks/$H|" "$IT_DIR/alertmanager/slack.yml.tmpl" >"$AM_DIR/alertmanager.yml"
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

ALERT="GriotTestAlert$RANDOM"
am() { amtool --alertmanager.url="$AM_URL" "$@"; }

# wait_post FILTER SECONDS: wait until the newest post of #alerts satisfies the jq FILTER.
wait_post() {
    local filter=$1 limit=$2 deadline p
    deadline=$((SECONDS + limit))
    while :; do
        p=$("$GRIOT" posts alerts --json --limit 5 2>/dev/null | jq -c --arg a "$ALERT" "[.posts[] | select($filter)] | first // empty" 2>/dev/null || true)
        if [ -n "$p" ]; then
            printf '%s\n' "$p"
            return 0
        fi
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.5
    done
}
am_metric() {
    curl -s "$AM_URL/metrics" | awk -v m="$1" 'index($1, m "{") == 1 && index($1, "integration=\"slack\"") { s += $NF } END { printf "%d\n", s }'
}

case_begin AM-1 "firing alert -> slack_attachment post in #alerts naming the alert (within 30 s)"
am alert add "alertname=$ALERT" severity=critical instance=db1 --annotation=summary="disk full on db1"
if P=$(wait_post '.type == "slack_attachment" and ((.props.attachments[0].title // "") | contains($a)) and ((.props.attachments[0].title // "") | contains("FIRING"))' 30); then
    assert_jq "from_webhook, Alertmanager username" "$P" '.props.from_webhook == "true" and .props.override_username == "Alertmanager"'
    assert_jq "attachment has the title link and color" "$P" '.props.attachments[0] | (.title_link | type) == "string" and .color == "danger"'
else
    _err "no FIRING post for $ALERT in #alerts after 30 s; alertmanager log: $(_trunc 600 "$(grep -i -E 'slack|notify' "$AM_DIR/am.log" | tail -n 5)")"
fi
case_end

case_begin AM-2 "resolving the alert -> RESOLVED post (send_resolved: true)"
am alert add "alertname=$ALERT" severity=critical instance=db1 --annotation=summary="disk full on db1" \
    --end="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if P=$(wait_post '.type == "slack_attachment" and ((.props.attachments[0].title // "") | contains($a)) and ((.props.attachments[0].title // "") | contains("RESOLVED"))' 30); then
    assert_jq "resolved colour" "$P" '.props.attachments[0].color == "good"'
else
    _err "no RESOLVED post for $ALERT in #alerts after 30 s; alertmanager log: $(_trunc 600 "$(grep -i -E 'slack|notify' "$AM_DIR/am.log" | tail -n 5)")"
fi
case_end

case_begin AM-3 "Alertmanager counts its slack notifications as successful (none failed)"
sent=$(am_metric alertmanager_notifications_total)
failed=$(am_metric alertmanager_notifications_failed_total)
note "AM-3: alertmanager slack notifications: $sent sent, $failed failed"
if [ "$sent" -lt 2 ]; then _err "alertmanager_notifications_total{integration=slack} = $sent, expected >= 2"; fi
assert_eq "alertmanager_notifications_failed_total{integration=slack}" 0 "$failed"
case_end

kill "$AM_PID" 2>/dev/null || true
griot_stop
finish
