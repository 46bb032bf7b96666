#!/usr/bin/env bash
# The Mattermost/Slack-format bodies in ../shared/fixtures (see fixtures/README.md), posted
# byte-for-byte to a griot hook: each is stored with its text, overrides and attachments.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

FX="$SHARED_DIR/fixtures"
if [ ! -d "$FX" ]; then
    skip "shared fixtures not found at $FX (expected beside the repository as ../shared, or set GRIOT_SHARED)"
fi

griot_start --set hook_rate=0
H=$BOOT_HOOK

# post the exact fixture bytes
fx() { post_file "$H" "$FX/$1"; }

case_begin FX-1 "forgejo slack_type__push_constructed.json before #ops exists -> 404 channel.app_error, nothing stored"
before=$(total_posts)
fx forgejo/slack_type__push_constructed.json
assert_apperror 404 web.incoming_webhook.channel.app_error
assert_eq "nothing stored" "$before" "$(total_posts)"
case_end

"$GRIOT" channel create ops --display Ops >/dev/null
"$GRIOT" channel create alerts --display Alerts >/dev/null

case_begin FX-2 "forgejo slack_type__push_constructed.json -> #ops, links converted, attachment kept"
before=$(post_count ops)
fx forgejo/slack_type__push_constructed.json
assert_ok_response
assert_eq "ops posts +1" "$((before + 1))" "$(post_count ops)"
P=$(last_post ops)
assert_jq "message: slack links -> markdown" "$P" '.message == "[Test-CI/multi-line-secrets:[main](http://127.0.0.1:3000/Test-CI/multi-line-secrets/src/branch/main)] [3 new commits](http://127.0.0.1:3000/Test-CI/multi-line-secrets/compare/6efcf5b7c98f3e7a491675164b7a2e7acac27941...29be01c073851cf0db0c6a466e396b725a670453) pushed by `test-user`"'
assert_jq "type and username" "$P" '.type == "slack_attachment" and .props.override_username == "Forgejo" and .props.from_webhook == "true"'
assert_jq "empty icon_url is no override" "$P" '(.props.override_icon_url // "") == ""'
assert_jq "attachment" "$P" '.props.attachments | length == 1 and .[0].color == "#1ac600" and .[0].title == "http://127.0.0.1:3000/Test-CI/multi-line-secrets" and .[0].title_link == "http://127.0.0.1:3000/Test-CI/multi-line-secrets"'
assert_jq "attachment text converted" "$P" '.props.attachments[0].text == "[29be01c](http://127.0.0.1:3000/Test-CI/multi-line-secrets/commit/29be01c073851cf0db0c6a466e396b725a670453): add some text - `6543`\n[29cd952](http://127.0.0.1:3000/Test-CI/multi-line-secrets/commit/29cd95250404bd007c13b03eabe521196bab98a5): rm a a file - `6543`\n[93787b8](http://127.0.0.1:3000/Test-CI/multi-line-secrets/commit/93787b87b3134d0d62c7a24c1ea5b1b6fd17ca91): add some a files - `6543`"'
case_end

for f in "$FX"/grafana/*slack*constructed*.json; do
    [ -e "$f" ] || continue
    rel=${f#"$FX"/}
    case_begin "FX-3 $rel" "grafana slack contact point body -> #ops, attachment stored as sent"
    before=$(post_count ops)
    fx "$rel"
    assert_ok_response
    assert_eq "ops posts +1" "$((before + 1))" "$(post_count ops)"
    P=$(last_post ops)
    src=$(cat "$f")
    assert_jq "post" "$P" '.type == "slack_attachment" and .message == "" and .props.override_username == ($s | fromjson | .username) and .props.override_icon_emoji == ($s | fromjson | .icon_emoji)' --arg s "$src"
    for k in title title_link fallback footer footer_icon color; do
        assert_jq "attachment.$k" "$P" '.props.attachments[0][$k] == ($s | fromjson | .attachments[0][$k])' --arg k "$k" --arg s "$src"
    done
    assert_jq "attachment.text (no slack links in it: unchanged)" "$P" '.props.attachments[0].text == ($s | fromjson | .attachments[0].text)' --arg s "$src"
    assert_jq "attachment.ts" "$P" '(.props.attachments[0].ts | tostring) == ($s | fromjson | .attachments[0].ts | tostring)' --arg s "$src"
    case_end
done

for f in "$FX"/uptimekuma/mattermost__*constructed.json; do
    [ -e "$f" ] || continue
    rel=${f#"$FX"/}
    src=$(cat "$f")
    ch=$(printf '%s' "$src" | jq -r '.channel // "town-square"')
    case_begin "FX-4 $rel" "uptime kuma mattermost body -> $ch, stored as sent"
    before=$(post_count "$ch")
    fx "$rel"
    assert_ok_response
    assert_eq "$ch posts +1" "$((before + 1))" "$(post_count "$ch")"
    P=$(last_post "$ch")
    assert_jq "username" "$P" '.props.override_username == ($s | fromjson | .username)' --arg s "$src"
    if printf '%s' "$src" | jq -e 'has("attachments")' >/dev/null; then
        assert_jq "attachments-only post" "$P" '.type == "slack_attachment" and .message == "" and .props.override_icon_emoji == ($s | fromjson | .icon_emoji)' --arg s "$src"
        assert_jq "attachment" "$P" '.props.attachments[0] as $a | ($s | fromjson | .attachments[0]) as $w | $a.fallback == $w.fallback and $a.color == $w.color and $a.title == $w.title and $a.title_link == $w.title_link' --arg s "$src"
        assert_jq "fields" "$P" '[.props.attachments[0].fields[] | {short, title, value}] == ($s | fromjson | .attachments[0].fields)' --arg s "$src"
    else
        assert_jq "text post" "$P" '.type == "" and .message == ($s | fromjson | .text)' --arg s "$src"
    fi
    case_end
done

griot_stop
finish
