#!/usr/bin/env bash
# Management REST for incoming hooks (spec §1.12), authenticated with the admin token; each change
# is checked through what the hook then does (where its posts are stored).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

griot_start --set hook_rate=0
TS_ID=$(channel_id town-square)
OT_ID=$(channel_id off-topic)
AUTH=(-H "Authorization: Bearer $ADMIN_TOKEN")
API="$GRIOT_URL/api/v4/hooks/incoming"
HOOK_KEYS='has("id") and has("create_at") and has("update_at") and has("delete_at") and has("user_id") and has("channel_id") and has("team_id") and has("display_name") and has("description") and has("username") and has("icon_url") and has("channel_locked")'

case_begin MR-1 "POST /api/v4/hooks/incoming -> 201 IncomingWebhook; the new hook posts to its channel"
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --arg c "$TS_ID" '{channel_id: $c, display_name: "rest hook", description: "made over REST"}')"
assert_status 201
assert_match "Content-Type" "$(hdr Content-Type)" '^application/json'
assert_jq "IncomingWebhook keys" "$BODY" "$HOOK_KEYS"
assert_jq "values" "$BODY" '.channel_id == $c and .display_name == "rest hook" and .description == "made over REST" and .channel_locked == false and (.id | length) == 26 and (.team_id | length) == 26 and (.create_at | type) == "number" and .create_at > 1600000000000 and .delete_at == 0' --arg c "$TS_ID"
RH=$(printf '%s' "$BODY" | jq -r '.id // empty' 2>/dev/null || true)
RH_JSON=$BODY
t=$(uniq_text MR-1)
post_json "${RH:-none}" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
assert_jq "stored in town-square" "$(last_post town-square)" '.message == $t' --arg t "$t"
case_end

case_begin MR-2 "GET /api/v4/hooks/incoming (list, per_page, team_id) and GET /{id}"
http GET "$API" "${AUTH[@]}"
assert_status 200
assert_jq "list has both hooks" "$BODY" 'type == "array" and any(.[]; .id == $h) and any(.[]; .id == $b)' --arg h "$RH" --arg b "$BOOT_HOOK"
team=$(printf '%s' "$RH_JSON" | jq -r .team_id 2>/dev/null || true)
http GET "$API?team_id=$team&page=0&per_page=1" "${AUTH[@]}"
assert_status 200
assert_jq "per_page=1" "$BODY" 'type == "array" and length == 1'
http GET "$API/$RH" "${AUTH[@]}"
assert_status 200
assert_jq "same object" "$BODY" '. == ($o | fromjson)' --arg o "$RH_JSON"
case_end

case_begin MR-3 "PUT /{id}: move to off-topic, rename, lock -> 200; the hook now posts to off-topic, locked"
upd=$(printf '%s' "$RH_JSON" | jq -c --arg c "$OT_ID" '.channel_id = $c | .display_name = "renamed" | .channel_locked = true')
http PUT "$API/$RH" "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary "$upd"
assert_status 200
assert_jq "updated" "$BODY" '.id == $h and .channel_id == $c and .display_name == "renamed" and .channel_locked == true and .update_at >= .create_at' --arg h "$RH" --arg c "$OT_ID"
t=$(uniq_text MR-3)
post_json "$RH" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
assert_jq "stored in off-topic" "$(last_post off-topic)" '.message == $t' --arg t "$t"
post_json "$RH" '{"text":"x","channel":"town-square"}'
assert_apperror 403 web.incoming_webhook.channel_locked.app_error
case_end

case_begin MR-4 "DELETE /{id} -> 200 {\"status\":\"OK\"}; then GET 404, POST /hooks/{id} 400"
http DELETE "$API/$RH" "${AUTH[@]}"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
http GET "$API/$RH" "${AUTH[@]}"
assert_apperror 404 app.webhooks.get_incoming.app_error
post_json "$RH" '{"text":"deleted"}'
assert_apperror 400 web.incoming_webhook.invalid.app_error
http GET "$API" "${AUTH[@]}"
assert_jq "not listed" "$BODY" 'all(.[]; .id != $h)' --arg h "$RH"
case_end

case_begin MR-5 "no token / bad token -> 401 api.context.session_expired.app_error; scheme word case-insensitive"
http GET "$API"
assert_apperror 401 api.context.session_expired.app_error
http GET "$API" -H "Authorization: Bearer nope$ADMIN_TOKEN"
assert_apperror 401 api.context.session_expired.app_error
http GET "$API" -H "Authorization: BEARER $ADMIN_TOKEN"
assert_status 200
case_end

case_begin MR-6 "bad requests: unknown id -> 404; no channel_id -> 400; invalid hook username -> 400"
http GET "$API/abcdefghijkmnopqrstuwxyz12" "${AUTH[@]}"
assert_apperror 404 app.webhooks.get_incoming.app_error
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary '{"display_name":"no channel"}'
assert_status 400
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --arg c "$TS_ID" '{channel_id: $c, username: "Bad Name!"}')"
assert_apperror 400 api.incoming_webhook.invalid_username.app_error
http POST "$API" "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary '{"channel_id":'
assert_status 400
case_end
griot_stop

griot_start --set enable_incoming_webhooks=false
case_begin MR-7 "incoming hooks disabled -> management calls 501 api.incoming_webhook.disabled.app_error"
http GET "$GRIOT_URL/api/v4/hooks/incoming" -H "Authorization: Bearer $ADMIN_TOKEN"
assert_apperror 501 api.incoming_webhook.disabled.app_error
case_end
griot_stop
finish
