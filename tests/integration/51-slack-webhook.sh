#!/usr/bin/env bash
# npm @slack/webhook (IncomingWebhook.send) against griot: the promise resolves with griot's
# "ok" body, and the message with its attachments is stored.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready

griot_start --set hook_rate=0
H=$BOOT_HOOK
sw() { SW=$(node "$NODE_DIR/slack-webhook.mjs" "$1" "$2" 2>&1 || true); }

case_begin SW-1 "send({text, attachments}) resolves with {text:'ok'}; stored as slack_attachment"
t=$(uniq_text SW-1)
msg=$(jq -nc --arg t "$t" '{text: $t, username: "slack-lib", icon_emoji: ":robot_face:",
  attachments: [{fallback: "fb", color: "good", pretext: "pre <https://p.example|p>", title: "Deploy",
    title_link: "https://ci.example/1", text: "done <https://x.example|details>",
    fields: [{title: "env", value: "prod", short: true}, {title: "n", value: "3", short: false}],
    footer: "ci", ts: 1700000000}]}')
before=$(post_count town-square)
sw "$GRIOT_URL/hooks/$H" "$msg"
assert_jq "promise resolved with the ok body" "$SW" '.resolved == true and .result.text == "ok"'
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
P=$(last_post town-square)
assert_jq "post" "$P" '.message == $t and .type == "slack_attachment" and .props.from_webhook == "true"' --arg t "$t"
assert_jq "overrides" "$P" '.props.override_username == "slack-lib" and .props.override_icon_emoji == ":robot_face:"'
assert_jq "attachment" "$P" '.props.attachments[0] | .title == "Deploy" and .title_link == "https://ci.example/1" and .text == "done [details](https://x.example)" and .pretext == "pre [p](https://p.example)" and .color == "good" and .footer == "ci"'
assert_jq "fields" "$P" '.props.attachments[0].fields == [{title: "env", value: "prod", short: true}, {title: "n", value: "3", short: false}]'
case_end

case_begin SW-2 "send('plain string') resolves; stored"
t=$(uniq_text SW-2)
sw "$GRIOT_URL/hooks/$H" "$(jq -nc --arg t "$t" '$t')"
assert_jq "resolved" "$SW" '.resolved == true and .result.text == "ok"'
assert_jq "stored" "$(last_post town-square)" '.message == $t and .type == ""' --arg t "$t"
case_end

case_begin SW-3 "send({channel:'#off-topic'}) -> stored in off-topic"
t=$(uniq_text SW-3)
sw "$GRIOT_URL/hooks/$H" "$(jq -nc --arg t "$t" '{text: $t, channel: "#off-topic"}')"
assert_jq "resolved" "$SW" '.resolved == true'
assert_jq "stored" "$(last_post off-topic)" '.message == $t' --arg t "$t"
case_end

case_begin SW-4 "unknown hook -> promise rejects with IncomingWebhookHTTPError 400 and the AppError body"
before=$(total_posts)
sw "$GRIOT_URL/hooks/abcdefghijkmnopqrstuwxyz12" '{"text":"never"}'
assert_jq "rejected" "$SW" '.resolved == false and .error.code == "slack_webhook_http_error" and .error.status == 400'
assert_jq "error body is the AppError" "$SW" '.error.body | fromjson | .id == "web.incoming_webhook.invalid.app_error"'
assert_eq "nothing stored" "$before" "$(total_posts)"
case_end

griot_stop
finish
