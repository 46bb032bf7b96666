#!/usr/bin/env bash
# POST /hooks/{id} reads its hook, channel and creator through a cache (app/dircache.c,
# docs/internals/STORE.md "Directory generation and the webhook cache"). Every case warms the
# cache with a successful post first, then changes the row behind it - over REST or with the
# CLI, a separate process writing the same store - and checks that the very next request sees
# the change, and what was stored.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

griot_start --set hook_rate=0
API="$GRIOT_URL/api/v4"
JSON=(-H 'Content-Type: application/json')
as() {
    local tok=$1 method=$2 path=$3
    shift 3
    http "$method" "$API$path" -H "Authorization: Bearer $tok" "$@"
}

case_begin HC-1 "bot creator disabled over REST -> next post 403 user.app_error, nothing stored; enabled -> 200"
cli bot create cache-bot
assert_eq "bot create exit" 0 "$CLI_RC"
BOT=$(printf '%s\n' "$CLI_OUT" | head -n 1)
HB=$(hook_create --channel town-square --creator cache-bot)
for i in 1 2 3; do
    post_json "$HB" "{\"text\":\"warm $i\"}"
    assert_ok_response
done
before=$(post_count town-square)
as "$ADMIN_TOKEN" POST "/bots/$BOT/disable"
assert_status 200
t=$(uniq_text HC-1-disabled)
post_json "$HB" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_apperror 403 web.incoming_webhook.user.app_error
assert_eq "nothing stored" "$before" "$(post_count town-square)"
as "$ADMIN_TOKEN" POST "/bots/$BOT/enable"
assert_status 200
t=$(uniq_text HC-1-enabled)
post_json "$HB" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
P=$(last_post town-square)
assert_jq "stored as the bot" "$P" '.message == $t and .user_id == $u' --arg t "$t" --arg u "$BOT"
case_end

case_begin HC-2 "hook moved to another channel over REST -> next post lands there"
H=$(hook_create --channel town-square)
post_json "$H" '{"text":"warm"}'
assert_ok_response
as "$ADMIN_TOKEN" GET "/hooks/incoming/$H"
assert_status 200
upd=$(printf '%s' "$BODY" | jq -c --arg c "$(channel_id off-topic)" '.channel_id = $c | .display_name = "moved"')
as "$ADMIN_TOKEN" PUT "/hooks/incoming/$H" "${JSON[@]}" --data-binary "$upd"
assert_status 200
t=$(uniq_text HC-2)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
P=$(last_post off-topic)
assert_jq "in off-topic" "$P" '.message == $t' --arg t "$t"
P=$(last_post town-square)
assert_jq "not in town-square" "$P" '.message != $t' --arg t "$t"
case_end

case_begin HC-3 "hook deleted with the CLI while the server runs -> next post 400 invalid, many times"
H=$(hook_create --channel town-square)
for i in 1 2 3; do
    post_json "$H" "{\"text\":\"warm $i\"}"
    assert_ok_response
done
cli hook delete "$H"
assert_eq "hook delete exit" 0 "$CLI_RC"
before=$(post_count town-square)
for i in 1 2 3; do
    post_json "$H" '{"text":"to a deleted hook"}'
    assert_apperror 400 web.incoming_webhook.invalid.app_error
done
assert_eq "nothing stored" "$before" "$(post_count town-square)"
case_end

case_begin HC-4 "hook changed with the CLI's sqlite file by another process (locked, new name) -> seen at once"
H=$(hook_create --channel town-square)
post_json "$H" '{"text":"warm","channel":"off-topic"}'
assert_ok_response
# No CLI command edits a hook: write the store as any other process could (sqlite3 shell or
# python), which only the triggers notice.
python3 - "$GRIOT_DATA/griot.db" "$H" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute("UPDATE incoming_hooks SET channel_locked = 1 WHERE id = ?", (sys.argv[2],))
db.commit()
PY
post_json "$H" '{"text":"to off-topic, now locked","channel":"off-topic"}'
assert_apperror 403 web.incoming_webhook.channel_locked.app_error
case_end

finish
