#!/usr/bin/env bash
# Native sources (docs/sources.md, docs/templates.md): what a hook does with a verified delivery.
# Event filters (--events), templates (text and JSON object forms, Markdown mode, griot.* context,
# helpers), `griot template render`, channel templates with --auto-create, --lock and
# --allow-channel-prefix, source-IP allow-lists (curl --interface 127.0.0.2, IPv6), bearer and
# basic credentials and the order of the checks, the REST view of a hook's settings (secrets
# redacted, PUT round trip), and the griot_source_refused_total counters.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_src.sh
. "$IT_DIR/lib_src.sh"
src_need_fixtures

V6=no
if node -e 'const s=require("net").createServer();s.on("error",()=>process.exit(1));s.listen(0,"::1",()=>s.close(()=>process.exit(0)));' 2>/dev/null; then
    V6=yes
    griot_start --listen 127.0.0.1:0 --listen '[::1]:0' --set hook_rate=0
else
    note "IPv6 loopback not configured: the IPv6 allow-list case is skipped"
    griot_start --set hook_rate=0
fi
URL4="" URL6=""
for u in "${GRIOT_URLS[@]}"; do
    case $u in
    http://127.0.0.1:*) URL4=$u ;;
    http://\[::1\]:*) URL6=$u ;;
    esac
done
GRIOT_URL=$URL4
T="$_IT_TMP/x"
mkdir -p "$T"
AUTH=(-H "Authorization: Bearer $ADMIN_TOKEN")
API="$GRIOT_URL/api/v4/hooks/incoming"

mkhook() {
    local ch=$1
    shift
    "$GRIOT" channel create "$ch" --display "$ch" >/dev/null 2>&1 || true
    hook_create --channel "$ch" "$@"
}
# has_channel NAME: 0 when a channel NAME exists in team main.
has_channel() { "$GRIOT" channel list --json 2>/dev/null | jq -e --arg n "$1" 'any(.[]; .name == $n)' >/dev/null; }
# am_body FILE LABELS-JSON: the Alertmanager fixture with commonLabels (and every alert's labels)
# extended by LABELS-JSON.
am_body() {
    jq -c --argjson l "$2" '.commonLabels += $l | .alerts |= map(.labels += $l)' "$FX/alertmanager/firing__two_alerts.json" >"$1"
}
AMH="$FX/alertmanager/firing__two_alerts.headers"
UKF="$FX/uptimekuma/webhook__down_constructed.json"
UKH="$FX/uptimekuma/webhook__down_constructed.headers"

# ---------------------------------------------------------------------------------------------
# Event filters
# ---------------------------------------------------------------------------------------------
H=$(mkhook rt-events --source forgejo --secret "$FORGE_SECRET" --events push,pull_request) || true
if [ -n "$H" ]; then
    case_begin RT-EV-1 "--events push,pull_request: push and pull_request stored; release answered 200 ok and not stored"
    cnt rt-events; before=$BEFORE
    src_post "$H" "$FX/forgejo/push__multi_commits.json" "$FX/forgejo/push__multi_commits.headers"
    assert_stored rt-events "$before"
    src_post "$H" "$FX/forgejo/pull_request__opened_abridged.json" "$FX/forgejo/pull_request__opened_abridged.headers"
    assert_stored rt-events "$((before + 1))"
    src_post "$H" "$FX/forgejo/release__published.json" "$FX/forgejo/release__published.headers"
    assert_dedup rt-events "$((before + 2))"
    case_end
else
    fail RT-EV-1 "griot hook create --events failed"
fi
H=$(mkhook rt-events-action --source forgejo --secret "$FORGE_SECRET" --events pull_request.opened,release) || true
if [ -n "$H" ]; then
    case_begin RT-EV-2 "--events pull_request.opened,release: opened stored, closed and push filtered (200 ok, nothing stored)"
    cnt rt-events-action; before=$BEFORE
    src_post "$H" "$FX/forgejo/pull_request__closed.json" "$FX/forgejo/pull_request__closed.headers"
    assert_dedup rt-events-action "$before"
    src_post "$H" "$FX/forgejo/push__abridged.json" "$FX/forgejo/push__abridged.headers"
    assert_dedup rt-events-action "$before"
    src_post "$H" "$FX/forgejo/pull_request__opened_abridged.json" "$FX/forgejo/pull_request__opened_abridged.headers"
    assert_stored rt-events-action "$before"
    src_post "$H" "$FX/forgejo/release__published.json" "$FX/forgejo/release__published.headers"
    assert_stored rt-events-action "$((before + 1))"
    case_end
fi
H=$(mkhook rt-events-graf --source grafana --secret "$FORGE_SECRET" --events resolved) || true
if [ -n "$H" ]; then
    case_begin RT-EV-3 "grafana --events resolved: firing filtered, resolved stored"
    cnt rt-events-graf; before=$BEFORE
    src_post "$H" "$FX/grafana/firing__three_alerts_v9.json" "$FX/grafana/firing__three_alerts_v9.headers"
    assert_dedup rt-events-graf "$before"
    src_post "$H" "$FX/grafana/resolved__v9.json" "$FX/grafana/resolved__v9.headers"
    assert_stored rt-events-graf "$before"
    case_end
fi
H=$(mkhook rt-events-wave --source wave --secret "$WAVE_SECRET" --events merchant.payment_received) || true
if [ -n "$H" ]; then
    case_begin RT-EV-4 "wave --events merchant.payment_received: b2b filtered, merchant payment stored"
    cnt rt-events-wave; before=$BEFORE
    now=$(date +%s)
    f="$FX/wave/b2b_payment_received__constructed.json"
    src_post "$H" "$f" "" "Content-Type: application/json" "Wave-Signature: t=$now,v1=$(wave_sig "$WAVE_SECRET" "$now" "$f")"
    assert_dedup rt-events-wave "$before"
    f="$FX/wave/merchant_payment_received__constructed.json"
    src_post "$H" "$f" "" "Content-Type: application/json" "Wave-Signature: t=$now,v1=$(wave_sig "$WAVE_SECRET" "$now" "$f")"
    assert_stored rt-events-wave "$before"
    case_end
    case_begin RT-EV-5 "a filtered delivery is still verified: b2b with a wrong signature -> 401 mismatch"
    f="$FX/wave/b2b_payment_received__constructed.json"
    src_post "$H" "$f" "" "Content-Type: application/json" "Wave-Signature: t=$now,v1=$(wave_sig wrong "$now" "$f")"
    assert_refused 401 griot.source.signature.mismatch rt-events-wave "$((before + 1))"
    case_end
fi

# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------
GF="$FX/grafana/firing__values_dashboard_panel_v11.json"
GH="$FX/grafana/firing__values_dashboard_panel_v11.headers"
printf '%s' '🚨 **{{commonLabels.alertname}}** {{status}} — AT&T <ok> {{#alerts}}{{labels.alertname}}; {{/alerts}}[{{griot.source}}/{{griot.event}}] {{alerts.0.panelURL}} {{{externalURL}}} {{status | upper}} {{missing | default "n/a"}}' >"$T/text.tmpl"
TEXT_WANT='🚨 **Memory (copy)** firing — AT&T <ok> Memory (copy); [grafana/firing] https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2 https://play.grafana.org/ FIRING n/a'
H=$(mkhook rt-tpl --source grafana --secret "$FORGE_SECRET" --template "$T/text.tmpl") || true
if [ -n "$H" ]; then
    case_begin RT-TPL-1 "text template (Markdown mode: & < > kept, sections, griot.source/event, helpers) -> message exactly the rendering"
    cnt rt-tpl; before=$BEFORE
    src_post "$H" "$GF" "$GH"
    assert_stored rt-tpl "$before"
    assert_jq "message" "$P" '.message == $w' --arg w "$TEXT_WANT"
    case_end
    case_begin RT-TPL-2 "a template does not bypass verification: tampered body -> 401 mismatch"
    printf '%s ' "$(cat "$GF")" >"$T/graf-tampered.json"
    src_post "$H" "$T/graf-tampered.json" "$GH"
    assert_refused 401 griot.source.signature.mismatch rt-tpl "$((before + 1))"
    case_end
else
    fail RT-TPL-1 "griot hook create --template failed"
fi

printf '%s' 'Custom: {{{griot.text}}}
cc @oncall ({{monitor.name | upper}}, {{heartbeat.msg | truncate 10}})' >"$T/extend.tmpl"
H=$(mkhook rt-tpl-uk --source uptimekuma --template "$T/extend.tmpl") || true
if [ -n "$H" ]; then
    case_begin RT-TPL-3 "uptimekuma template extending griot.text (the default message) with helpers"
    cnt rt-tpl-uk; before=$BEFORE
    src_post "$H" "$UKF" "$UKH"
    assert_stored rt-tpl-uk "$before"
    assert_jq "starts with Custom: and the default text" "$P" '.message | startswith("Custom: ") and contains("Example API")'
    assert_jq "ends with the helpers' output" "$P" '.message | endswith("\ncc @oncall (EXAMPLE API, Request f…)")'
    case_end
fi

printf '%s' '{{griot.event}}/{{griot.action}} #{{pull_request.number}} {{pull_request.title}} by {{sender.login}}' >"$T/forge.tmpl"
H=$(mkhook rt-tpl-forge --source forgejo --secret "$FORGE_SECRET" --template "$T/forge.tmpl") || true
if [ -n "$H" ]; then
    case_begin RT-TPL-4 "forgejo template with griot.event / griot.action (merged PR)"
    cnt rt-tpl-forge; before=$BEFORE
    src_post "$H" "$FX/forgejo/pull_request__merged.json" "$FX/forgejo/pull_request__merged.headers"
    assert_stored rt-tpl-forge "$before"
    login=$(jq -r .sender.login "$FX/forgejo/pull_request__merged.json")
    assert_match "message" "$(printf '%s' "$P" | jq -r .message)" "^pull_request/(merged|closed) #1 Adjust file by $login\$"
    case_end
fi

"$GRIOT" channel create rt-tpl-other --display rt-tpl-other >/dev/null 2>&1 || true
cat >"$T/request.json" <<'EOF'
{
  "text": "{{commonLabels.alertname}} is {{status}} \"quoted\" {{#alerts}}{{values.A}}{{/alerts}}",
  "username": "grafbot-{{commonLabels.debug}}",
  "icon_url": "https://example.com/{{commonLabels.grafana_folder}}.png",
  "channel": "rt-tpl-other",
  "attachments": [{
    "color": "{{#status | eq \"firing\"}}#d63c3c{{/status}}{{^status | eq \"firing\"}}#2eb886{{/status}}",
    "title": "{{commonLabels.alertname}}",
    "title_link": "{{externalURL}}",
    "text": "{{#alerts}}{{annotations.summary}};{{/alerts}}",
    "fields": [{"title": "folder", "value": "{{commonLabels.grafana_folder}}", "short": true}]
  }]
}
EOF
H=$(mkhook rt-tpl-json --source grafana --secret "$FORGE_SECRET" --template "$T/request.json") || true
if [ -n "$H" ]; then
    case_begin RT-TPL-5 "JSON-object template: text, username, icon_url, channel and attachments rendered from the payload"
    cnt rt-tpl-other; before=$BEFORE
    cnt rt-tpl-json; own=$BEFORE
    src_post "$H" "$GF" "$GH"
    assert_stored rt-tpl-other "$before"
    assert_jq "text (a quote in the template stays a quote)" "$P" '.message == "Memory (copy) is firing \"quoted\" 2473545728"'
    assert_jq "overrides" "$P" '.props.override_username == "grafbot-true" and .props.override_icon_url == "https://example.com/device.png"'
    assert_jq "attachment" "$P" '.props.attachments[0] | .color == "#d63c3c" and .title == "Memory (copy)" and .title_link == "https://play.grafana.org/" and .text == "High memory usage;" and (.fields[0] | .title == "folder" and .value == "device")'
    assert_eq "nothing in the hook's own channel" "$own" "$(post_count rt-tpl-json)"
    case_end
fi

case_begin RT-TPL-6 "hook create with a template that does not compile -> refused (non-zero exit, the error names the line)"
printf 'ok\n{{#alerts}}\nunclosed' >"$T/bad.tmpl"
"$GRIOT" channel create rt-tpl-bad --display rt-tpl-bad >/dev/null 2>&1 || true
cli hook create --channel rt-tpl-bad --source alertmanager --template "$T/bad.tmpl"
assert_ne "exit status" 0 "$CLI_RC"
assert_contains "error" "$CLI_ERR" "line"
if [ "$CLI_RC" -eq 0 ]; then
    BADH=$(printf '%s\n' "$CLI_OUT" | head -n 1)
    src_post "$BADH" "$FX/alertmanager/firing__two_alerts.json" "$AMH"
    note "RT-TPL-6: the hook was created; a delivery to it answers $STATUS $(_trunc 250 "$BODY")"
fi
case_end

# ---------------------------------------------------------------------------------------------
# griot template render
# ---------------------------------------------------------------------------------------------
case_begin RT-CLI-1 "template render --source grafana --template: prints the same text the hook stored (RT-TPL-1)"
cli template render --source grafana --data "$GF" --template "$T/text.tmpl"
assert_eq "exit status" 0 "$CLI_RC"
assert_eq "first line" "$TEXT_WANT" "$(printf '%s\n' "$CLI_OUT" | head -n 1)"
case_end

case_begin RT-CLI-2 "template render --json, default message of a forgejo push (--headers): equals the post griot stores"
cli template render --source forgejo --data "$FX/forgejo/push__multi_commits.json" --headers "$FX/forgejo/push__multi_commits.headers" --json
assert_eq "exit status" 0 "$CLI_RC"
RENDER=$CLI_OUT
H=$(mkhook rt-render --source forgejo --secret "$FORGE_SECRET") || true
cnt rt-render; before=$BEFORE
src_post "${H:-none}" "$FX/forgejo/push__multi_commits.json" "$FX/forgejo/push__multi_commits.headers"
assert_stored rt-render "$before"
assert_jq "render --json is a message object" "$RENDER" '(.text | type) == "string" and (.attachments | type) == "array"'
assert_jq "same text" "$P" '.message == ($r | fromjson | .text)' --arg r "$RENDER"
assert_jq "same attachment title, text, colour" "$P" '(.props.attachments[0] | {title, text, color}) == ($r | fromjson | .attachments[0] | {title, text, color})' --arg r "$RENDER"
case_end

case_begin RT-CLI-3 "template render --source wave --lang fr: the French default message"
cli template render --source wave --lang fr --data "$FX/wave/merchant_payment_received__constructed.json"
assert_eq "exit status" 0 "$CLI_RC"
assert_contains "French" "$CLI_OUT" "Paiement Wave reçu"
assert_contains "amount" "$CLI_OUT" "990"
case_end

case_begin RT-CLI-4 "template render without --source: the data itself is the context"
printf '{"name":"AT&T","items":["a","b"]}' >"$T/ctx.json"
printf '%s' '{{name}} {{items | join "+"}}' >"$T/ctx.tmpl"
cli template render --data "$T/ctx.json" --template "$T/ctx.tmpl"
assert_eq "exit status" 0 "$CLI_RC"
assert_eq "output" "AT&T a+b" "$(printf '%s\n' "$CLI_OUT" | head -n 1)"
case_end

case_begin RT-CLI-5 "template render with a broken template or missing data file -> non-zero exit with a message"
cli template render --data "$T/ctx.json" --template "$T/bad.tmpl"
assert_ne "exit status (bad template)" 0 "$CLI_RC"
assert_match "error names the problem" "$CLI_ERR" 'line [0-9]+|unclosed'
cli template render --data "$T/does-not-exist.json" --template "$T/ctx.tmpl"
assert_ne "exit status (no data file)" 0 "$CLI_RC"
assert_ne "an error message" "" "$CLI_ERR"
case_end

# ---------------------------------------------------------------------------------------------
# Channel templates, auto-create, lock, prefix
# ---------------------------------------------------------------------------------------------
H=$(mkhook rt-route --source alertmanager --channel-template 'client-{{commonLabels.client}}' --auto-create) || true
if [ -n "$H" ]; then
    case_begin RT-CH-1 "--channel-template 'client-{{commonLabels.client}}' --auto-create: client=acme -> #client-acme created, post there"
    am_body "$T/acme.json" '{"client":"acme"}'
    cnt rt-route; own=$BEFORE
    src_post "$H" "$T/acme.json" "$AMH"
    assert_ok1
    if has_channel client-acme; then
        assert_eq "one post in client-acme" 1 "$(post_count client-acme)"
        _CNT[client-acme]=1
    else
        _err "channel client-acme was not created"
    fi
    assert_eq "nothing in the hook's channel" "$own" "$(post_count rt-route)"
    case_end
    case_begin RT-CH-2 "second delivery for the same client -> same channel, no new channel"
    nch=$("$GRIOT" channel list --json | jq length)
    src_post "$H" "$T/acme.json" "$AMH"
    assert_ok1
    assert_eq "client-acme posts" 2 "$(post_count client-acme)"
    _CNT[client-acme]=2
    assert_eq "channel count" "$nch" "$("$GRIOT" channel list --json | jq length)"
    case_end
    case_begin RT-CH-3 "client='Beta Corp' -> a channel name normalised to the channel-name rules"
    am_body "$T/beta.json" '{"client":"Beta Corp"}'
    src_post "$H" "$T/beta.json" "$AMH"
    assert_ok1
    name=$("$GRIOT" channel list --json | jq -r '[.[] | .name | select(startswith("client-b") or startswith("client-B"))] | first // ""')
    assert_match "normalised name" "$name" '^client-beta[-_]corp$'
    if [ -n "$name" ]; then assert_eq "post there" 1 "$(post_count "$name")"; fi
    case_end
fi
H=$(mkhook rt-route-nocreate --source alertmanager --channel-template 'client-{{commonLabels.client}}') || true
if [ -n "$H" ]; then
    case_begin RT-CH-4 "channel template without --auto-create, channel missing -> 404 channel.app_error, nothing created or stored"
    am_body "$T/ghost.json" '{"client":"ghost"}'
    cnt rt-route-nocreate; own=$BEFORE
    src_post "$H" "$T/ghost.json" "$AMH"
    assert_apperror1 404 web.incoming_webhook.channel.app_error
    if has_channel client-ghost; then _err "client-ghost was created"; fi
    assert_eq "nothing in the hook's channel" "$own" "$(post_count rt-route-nocreate)"
    case_end
    case_begin RT-CH-5 "channel template without --auto-create, channel exists (client-acme) -> stored there"
    cnt client-acme; before=$BEFORE
    src_post "$H" "$T/acme.json" "$AMH"
    assert_stored client-acme "$before"
    case_end
fi
H=$(mkhook rt-lock --source alertmanager --channel-template 'client-{{commonLabels.client}}' --auto-create --lock) || true
if [ -n "$H" ]; then
    case_begin RT-CH-6 "--lock without --allow-channel-prefix: computed channel client-zeta -> 403 channel_locked, not created, nothing stored"
    am_body "$T/zeta.json" '{"client":"zeta"}'
    cnt rt-lock; own=$BEFORE
    src_post "$H" "$T/zeta.json" "$AMH"
    assert_apperror1 403 web.incoming_webhook.channel_locked.app_error
    if has_channel client-zeta; then _err "client-zeta was created"; fi
    assert_eq "nothing in the hook's channel" "$own" "$(post_count rt-lock)"
    case_end
    case_begin RT-CH-7 "--lock: computed channel that exists but is not the hook's (client-acme) -> 403, nothing stored"
    cnt client-acme; before=$BEFORE
    src_post "$H" "$T/acme.json" "$AMH"
    assert_refused 403 web.incoming_webhook.channel_locked.app_error client-acme "$before"
    case_end
fi
H=$(mkhook rt-lock-own --source alertmanager --channel-template 'rt-{{commonLabels.client}}' --lock) || true
if [ -n "$H" ]; then
    case_begin RT-CH-8 "--lock: computed channel equal to the hook's own (rt-lock-own) -> stored there"
    am_body "$T/own.json" '{"client":"lock-own"}'
    cnt rt-lock-own; before=$BEFORE
    src_post "$H" "$T/own.json" "$AMH"
    assert_stored rt-lock-own "$before"
    case_end
fi
H=$(mkhook rt-lockp --source alertmanager --channel-template '{{commonLabels.team}}-{{commonLabels.client}}' --auto-create --lock --allow-channel-prefix client-) || true
if [ -n "$H" ]; then
    case_begin RT-CH-9 "--lock --allow-channel-prefix client-: computed client-omega -> created and stored"
    am_body "$T/omega.json" '{"team":"client","client":"omega"}'
    src_post "$H" "$T/omega.json" "$AMH"
    assert_ok1
    if has_channel client-omega; then
        assert_eq "one post in client-omega" 1 "$(post_count client-omega)"
    else
        _err "client-omega was not created"
    fi
    case_end
    case_begin RT-CH-10 "--lock --allow-channel-prefix client-: computed ops-omega -> 403 channel_locked, not created"
    am_body "$T/ops.json" '{"team":"ops","client":"omega"}'
    cnt rt-lockp; own=$BEFORE
    src_post "$H" "$T/ops.json" "$AMH"
    assert_apperror1 403 web.incoming_webhook.channel_locked.app_error
    if has_channel ops-omega; then _err "ops-omega was created"; fi
    assert_eq "nothing in the hook's channel" "$own" "$(post_count rt-lockp)"
    case_end
fi
printf '%s' '{"text": "{{status}}", "channel": "town-square"}' >"$T/chan.json"
H=$(mkhook rt-lock-json --source alertmanager --template "$T/chan.json" --lock) || true
if [ -n "$H" ]; then
    case_begin RT-CH-11 "--lock with a JSON template that sets another channel -> 403 channel_locked, nothing stored"
    cnt town-square; before=$BEFORE
    src_post "$H" "$FX/alertmanager/firing__two_alerts.json" "$AMH"
    assert_refused 403 web.incoming_webhook.channel_locked.app_error town-square "$before"
    case_end
fi
H=$(mkhook rt-repo --source github --secret "$FORGE_SECRET" --channel-template 'gh-{{repository.name}}' --auto-create) || true
if [ -n "$H" ]; then
    case_begin RT-CH-12 "github --channel-template 'gh-{{repository.name}}' (Hello-World) -> #gh-hello-world created, post there"
    src_post "$H" "$FX/github/issues__opened.json" "$FX/github/issues__opened.headers"
    assert_ok1
    if has_channel gh-hello-world; then
        assert_eq "one post in gh-hello-world" 1 "$(post_count gh-hello-world)"
    else
        _err "no channel gh-hello-world; channels: $("$GRIOT" channel list --json | jq -c '[.[].name]')"
    fi
    case_end
fi

# ---------------------------------------------------------------------------------------------
# Source-IP allow-list
# ---------------------------------------------------------------------------------------------
H=$(mkhook rt-ip --source uptimekuma --allow-ip 127.0.0.2/32) || true
if [ -n "$H" ]; then
    case_begin RT-IP-1 "--allow-ip 127.0.0.2/32: from 127.0.0.1 -> 403 griot.source.ip_not_allowed, nothing stored"
    cnt rt-ip; before=$BEFORE
    src_post "$H" "$UKF" "$UKH"
    assert_refused 403 griot.source.ip_not_allowed rt-ip "$before" 127.0.0.2
    case_end
    case_begin RT-IP-2 "--allow-ip 127.0.0.2/32: from 127.0.0.2 (curl --interface) -> stored"
    src_post "$H" "$UKF" "$UKH" -- --interface 127.0.0.2
    assert_stored rt-ip "$before"
    case_end
fi
H=$(mkhook rt-ip2 --source uptimekuma --allow-ip '::1/128,127.0.0.2/31' --allow-ip 10.9.0.0/16) || true
if [ -n "$H" ]; then
    case_begin RT-IP-3 "--allow-ip '::1/128,127.0.0.2/31' --allow-ip 10.9.0.0/16: 127.0.0.3 allowed, 127.0.0.4 and 127.0.0.1 denied"
    cnt rt-ip2; before=$BEFORE
    src_post "$H" "$UKF" "$UKH" -- --interface 127.0.0.3
    assert_stored rt-ip2 "$before"
    src_post "$H" "$UKF" "$UKH" -- --interface 127.0.0.4
    assert_refused 403 griot.source.ip_not_allowed rt-ip2 "$((before + 1))"
    src_post "$H" "$UKF" "$UKH"
    assert_refused 403 griot.source.ip_not_allowed rt-ip2 "$((before + 1))"
    case_end
    if [ "$V6" = yes ]; then
        case_begin RT-IP-4 "IPv6: the same hook over [::1] -> stored; a hook allowing only 127.0.0.2 refuses [::1]"
        cnt rt-ip2; before=$BEFORE
        GRIOT_URL=$URL6 src_post "$H" "$UKF" "$UKH"
        assert_stored rt-ip2 "$before"
        H4=$(mkhook rt-ip4only --source uptimekuma --allow-ip 127.0.0.2/32) || true
        cnt rt-ip4only; b4=$BEFORE
        GRIOT_URL=$URL6 src_post "${H4:-none}" "$UKF" "$UKH"
        assert_refused 403 griot.source.ip_not_allowed rt-ip4only "$b4"
        case_end
    fi
fi
H=$(mkhook rt-ip-auth --source uptimekuma --allow-ip 127.0.0.2/32 --auth-bearer ip-tok) || true
if [ -n "$H" ]; then
    case_begin RT-IP-5 "check order: denied IP without credentials -> 403 ip_not_allowed (not 401); allowed IP without credentials -> 401"
    cnt rt-ip-auth; before=$BEFORE
    src_post "$H" "$UKF" "$UKH"
    assert_refused 403 griot.source.ip_not_allowed rt-ip-auth "$before" ip-tok
    src_post "$H" "$UKF" "$UKH" -- --interface 127.0.0.2
    assert_refused 401 griot.source.unauthorized rt-ip-auth "$before" ip-tok
    src_post "$H" "$UKF" "$UKH" "Authorization: Bearer ip-tok" -- --interface 127.0.0.2
    assert_stored rt-ip-auth "$before"
    case_end
fi

# ---------------------------------------------------------------------------------------------
# Bearer and basic credentials
# ---------------------------------------------------------------------------------------------
H=$(mkhook rt-bearer --source uptimekuma --auth-bearer tok-one --auth-bearer tok-two) || true
if [ -n "$H" ]; then
    case_begin RT-AUTH-1 "two --auth-bearer tokens: each accepted"
    cnt rt-bearer; before=$BEFORE
    src_post "$H" "$UKF" "$UKH" "Authorization: Bearer tok-one"
    assert_stored rt-bearer "$before"
    src_post "$H" "$UKF" "$UKH" "Authorization: Bearer tok-two"
    assert_stored rt-bearer "$((before + 1))"
    case_end
    case_begin RT-AUTH-2 "bearer refused: none, wrong token, token prefix, token as Basic, token in the query -> 401 unauthorized, nothing stored"
    cnt rt-bearer; before=$BEFORE
    for a in "-Authorization" "Authorization: Bearer tok-three" "Authorization: Bearer tok-on" "Authorization: Bearer tok-one2" \
        "Authorization: Basic $(printf 'x:tok-one' | base64)" "Authorization: tok-one"; do
        src_post "$H" "$UKF" "$UKH" "$a"
        assert_refused 401 griot.source.unauthorized rt-bearer "$before" tok-one tok-two
    done
    http POST "$GRIOT_URL/hooks/$H?token=tok-one" -H 'Content-Type: application/json' --data-binary "@$UKF"
    assert_refused 401 griot.source.unauthorized rt-bearer "$before" tok-one
    case_end
    case_begin RT-AUTH-3 "the auth scheme is case-insensitive (RFC 9110): 'bearer tok-one' -> stored"
    cnt rt-bearer; before=$BEFORE
    src_post "$H" "$UKF" "$UKH" "Authorization: bearer tok-one"
    assert_stored rt-bearer "$before"
    case_end
fi
H=$(mkhook rt-basic --source uptimekuma --auth-basic 'kuma:p@ss:w0rd') || true
if [ -n "$H" ]; then
    case_begin RT-AUTH-4 "--auth-basic 'kuma:p@ss:w0rd' (colon in the password): curl -u -> stored; wrong user/password, no password -> 401"
    cnt rt-basic; before=$BEFORE
    src_post "$H" "$UKF" "$UKH" -- -u 'kuma:p@ss:w0rd'
    assert_stored rt-basic "$before"
    for u in 'kuma:p@ss' 'other:p@ss:w0rd' 'kuma:' 'kuma:p@ss:w0rd2'; do
        src_post "$H" "$UKF" "$UKH" -- -u "$u"
        assert_refused 401 griot.source.unauthorized rt-basic "$((before + 1))" 'p@ss:w0rd'
    done
    src_post "$H" "$UKF" "$UKH" "Authorization: Bearer kuma:p@ss:w0rd"
    assert_refused 401 griot.source.unauthorized rt-basic "$((before + 1))"
    case_end
fi
H=$(mkhook rt-both --source forgejo --secret "$FORGE_SECRET" --auth-bearer forge-tok) || true
if [ -n "$H" ]; then
    f="$FX/forgejo/push__abridged.json"
    h="$FX/forgejo/push__abridged.headers"
    case_begin RT-AUTH-5 "secret and bearer: valid signature without the token -> 401 unauthorized (credentials are checked first)"
    cnt rt-both; before=$BEFORE
    src_post "$H" "$f" "$h"
    assert_refused 401 griot.source.unauthorized rt-both "$before" forge-tok
    case_end
    case_begin RT-AUTH-6 "secret and bearer: token but a tampered body -> 401 signature.mismatch; token and valid signature -> stored"
    printf '%s ' "$(cat "$f")" >"$T/push-tampered.json"
    src_post "$H" "$T/push-tampered.json" "$h" "Authorization: Bearer forge-tok"
    assert_refused 401 griot.source.signature.mismatch rt-both "$before"
    src_post "$H" "$f" "$h" "Authorization: Bearer forge-tok"
    assert_stored rt-both "$before"
    case_end
fi
printf '%s\n' "file-secret-$RANDOM" >"$T/forge.secret"
FILE_SECRET=$(head -n 1 "$T/forge.secret")
H=$(mkhook rt-secret-file --source github --secret-file "$T/forge.secret") || true
if [ -n "$H" ]; then
    case_begin RT-AUTH-7 "--secret-file (written with echo: trailing newline) -> a delivery signed with the secret is stored"
    cnt rt-secret-file; before=$BEFORE
    f="$FX/github/ping.json"
    src_post "$H" "$f" "$FX/github/ping.headers" "X-Hub-Signature-256: sha256=$(forge_sig "$f" "$FILE_SECRET")"
    assert_stored rt-secret-file "$before"
    case_end
fi
case_begin RT-AUTH-8 "uptimekuma hook without secret or token accepts any sender"
H=$(mkhook rt-open --source uptimekuma) || true
cnt rt-open; before=$BEFORE
src_post "${H:-none}" "$UKF" "$UKH"
assert_stored rt-open "$before"
case_end

# ---------------------------------------------------------------------------------------------
# REST: settings shown, secrets redacted, PUT round trip, create with a source
# ---------------------------------------------------------------------------------------------
RS_SECRET="rest-secret-$RANDOM$RANDOM"
H=$(mkhook rt-rest --source forgejo --secret "$RS_SECRET" --secret "$RS_SECRET-next" --auth-bearer "bear-$RS_SECRET" \
    --auth-basic "u:pw-$RS_SECRET" --allow-ip 127.0.0.0/8 --events push,release --tolerance 120 \
    --channel-template '{{repository.name}}' --auto-create) || true
if [ -n "$H" ]; then
    case_begin RT-REST-1 "GET /api/v4/hooks/incoming/{id}: source and source_config shown, every secret '********'"
    http GET "$API/$H" "${AUTH[@]}"
    assert_status 200
    assert_jq "source" "$BODY" '.source == "forgejo"'
    assert_jq "secrets redacted" "$BODY" '.source_config.secrets == ["********", "********"]'
    assert_jq "bearer redacted" "$BODY" '(.source_config.auth_bearer | length) == 1 and all(.source_config.auth_bearer[]; test("^(u:)?\\*{8}$"))'
    assert_jq "basic redacted" "$BODY" '(.source_config.auth_basic | length) == 1 and all(.source_config.auth_basic[]; test("^(u:)?\\*{8}$"))'
    assert_jq "other settings shown" "$BODY" '(.source_config.events | tostring | contains("push")) and (.source_config.events | tostring | contains("release")) and .source_config.channel_template == "{{repository.name}}" and .source_config.auto_create == true and .source_config.tolerance == 120 and (.source_config.allow_ip | tostring | contains("127.0.0.0/8"))'
    assert_nofrag "GET body" "$BODY" "$RS_SECRET"
    HOOK_JSON=$BODY
    case_end
    case_begin RT-REST-2 "the secrets appear nowhere else: hook list (REST and CLI --json)"
    http GET "$API?per_page=200" "${AUTH[@]}"
    assert_status 200
    assert_nofrag "REST list" "$BODY" "$RS_SECRET"
    cli hook list --json
    assert_eq "cli exit" 0 "$CLI_RC"
    assert_nofrag "hook list --json" "$CLI_OUT" "$RS_SECRET"
    if grep -q "$RS_SECRET" "$GRIOT_DATA/serve.err" "$GRIOT_DATA/serve.out"; then _err "a secret is in griot's log"; fi
    case_end
    case_begin RT-REST-3 "PUT of the GET object (secrets still '********', new name) keeps the secrets: a signed delivery still verifies"
    upd=$(printf '%s' "$HOOK_JSON" | jq -c '.display_name = "renamed by PUT"')
    http PUT "$API/$H" "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary "$upd"
    assert_status 200
    assert_jq "renamed, still redacted" "$BODY" '.display_name == "renamed by PUT" and .source_config.secrets == ["********", "********"]'
    f="$FX/forgejo/push__multi_commits.json"
    sig=$(forge_sig "$f" "$RS_SECRET-next")
    before=0 # #multi-line-secrets does not exist yet: the channel template creates it
    if has_channel multi-line-secrets; then before=$(post_count multi-line-secrets); fi
    src_post "$H" "$f" "$FX/forgejo/push__multi_commits.headers" "Authorization: Basic $(printf 'u:pw-%s' "$RS_SECRET" | base64 -w0)" \
        "X-Forgejo-Signature: $sig" "X-Gitea-Signature: $sig" "X-Hub-Signature-256: sha256=$sig"
    assert_stored multi-line-secrets "$before"
    case_end
fi
TS_ID=$(channel_id town-square)
case_begin RT-REST-4 "POST /api/v4/hooks/incoming with source wave + source_config {secrets, lang fr} -> 201, redacted; a signed payment is stored in French"
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --arg c "$TS_ID" --arg s "$WAVE_SECRET" '{channel_id: $c, display_name: "wave over REST", source: "wave", source_config: {secrets: [$s], lang: "fr"}}')"
assert_status 201
assert_jq "created" "$BODY" '.source == "wave" and .source_config.secrets == ["********"] and .source_config.lang == "fr"'
assert_nofrag "POST answer" "$BODY" "$WAVE_SECRET"
RHOOK=$(printf '%s' "$BODY" | jq -r '.id // empty' 2>/dev/null || true)
f="$FX/wave/merchant_payment_received__constructed.json"
now=$(date +%s)
cnt town-square; before=$BEFORE
src_post "${RHOOK:-none}" "$f" "" "Content-Type: application/json" "Wave-Signature: t=$now,v1=$(wave_sig "$WAVE_SECRET" "$now" "$f")"
assert_stored town-square "$before"
assert_frags "French" "$HAY" "Paiement Wave reçu"
case_end
case_begin RT-REST-5 "POST a wave hook without secret or bearer -> 400, no hook created"
n0=$("$GRIOT" hook list --json | jq length)
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --arg c "$TS_ID" '{channel_id: $c, source: "wave", source_config: {}}')"
assert_status 400
assert_eq "hook count" "$n0" "$("$GRIOT" hook list --json | jq length)"
case_end
case_begin RT-REST-6 "POST with an unknown source -> 400"
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --arg c "$TS_ID" '{channel_id: $c, source: "orangemoney-v9"}')"
assert_status 400
case_end
case_begin RT-REST-7 "CLI: an unknown --source -> exit 2"
cli hook create --channel town-square --source nosuchsource
assert_eq "exit status" 2 "$CLI_RC"
case_end

# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------
MH_F=$(mkhook rt-met-f --source forgejo --secret "$FORGE_SECRET" --events push) || true
MH_U=$(mkhook rt-met-u --source uptimekuma --auth-bearer met-tok --allow-ip 127.0.0.0/30) || true
MH_A=$(mkhook rt-met-a --source alertmanager) || true
if [ -n "$MH_F" ] && [ -n "$MH_U" ] && [ -n "$MH_A" ]; then
    case_begin RT-MET-1 "griot_source_refused_total{source,reason} rises by exactly the refusals sent (3 mismatch, 2 unauthorized, 1 ip_not_allowed, 1 payload.invalid); filtered and deduplicated deliveries are not refusals"
    m() { metric_sum griot_source_refused_total "source=\"$1\"" "$2\""; }
    f0=$(m forgejo mismatch) u0=$(m uptimekuma unauthorized) i0=$(m uptimekuma ip_not_allowed) p0=$(m alertmanager invalid)
    all0=$(metric_sum griot_source_refused_total)
    f="$FX/forgejo/push__abridged.json"
    h="$FX/forgejo/push__abridged.headers"
    for _ in 1 2 3; do src_post "$MH_F" "$f" "$h" "X-Forgejo-Signature: $(forge_sig "$f" nope)"; done
    src_post "$MH_F" "$f" "$h"                                                                # stored
    src_post "$MH_F" "$f" "$h"                                                                # replay
    src_post "$MH_F" "$FX/forgejo/release__published.json" "$FX/forgejo/release__published.headers" # filtered
    src_post "$MH_U" "$UKF" "$UKH"
    src_post "$MH_U" "$UKF" "$UKH" "Authorization: Bearer bad"
    src_post "$MH_U" "$UKF" "$UKH" "Authorization: Bearer met-tok" -- --interface 127.0.0.5
    printf '{"status": "firing", "alerts": [' >"$T/trunc.json"
    src_post "$MH_A" "$T/trunc.json" "" "Content-Type: application/json"
    assert_status 400
    assert_eq "forgejo mismatch +3" 3 "$(($(m forgejo mismatch) - f0))"
    assert_eq "uptimekuma unauthorized +2" 2 "$(($(m uptimekuma unauthorized) - u0))"
    assert_eq "uptimekuma ip_not_allowed +1" 1 "$(($(m uptimekuma ip_not_allowed) - i0))"
    assert_eq "alertmanager payload.invalid +1" 1 "$(($(m alertmanager invalid) - p0))"
    assert_eq "all refusals +7" 7 "$(($(metric_sum griot_source_refused_total) - all0))"
    case_end
    case_begin RT-MET-2 "/metrics exposition: TYPE counter, no duplicate series, reasons name the failed check"
    curl -s "$GRIOT_URL/metrics" >"$T/metrics"
    assert_match "TYPE line" "$(cat "$T/metrics")" '# TYPE griot_source_refused_total counter'
    dup=$(grep '^griot_source_refused_total{' "$T/metrics" | sed 's/ [0-9.e+]*$//' | sort | uniq -d | head -n 3)
    assert_eq "duplicate series" "" "$dup"
    bad=$(grep '^griot_source_refused_total{' "$T/metrics" | grep -v -E 'source="[a-z-]+",reason="[a-z._]+"' | head -n 3 || true)
    assert_eq "malformed series" "" "$bad"
    assert_nofrag "metrics" "$(cat "$T/metrics")" "$FORGE_SECRET" "met-tok" "$MH_F" "$MH_U"
    case_end
fi

griot_stop
finish
