#!/usr/bin/env bash
# Incoming webhooks: every IW- case of spec §1.14 (except IW-10, IW-11, IW-26: they need other
# users and are in 31-users.sh) and every AT- case of §8.3, plus the §1.3-§1.10 rules they
# rest on. Each case checks the HTTP answer AND what was stored (griot posts CHANNEL --json).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

griot_start --set hook_rate=0
MAIN_URL=$GRIOT_URL
MAIN_DATA=$GRIOT_DATA
H=$BOOT_HOOK

# --- bootstrap (issue: first start prints a ready-to-paste curl line; admin token 0600) -------
case_begin BOOT-1 "first start bootstraps main/town-square/off-topic, admin token 0600, curl line"
curl_line=$(grep "^curl -X POST -H 'Content-Type: application/json' -d '{\"text\":\"Hello from cURL!\"}' " "$GRIOT_DATA/serve.out" || true)
assert_match "curl line on stdout" "$curl_line" "^curl -X POST -H 'Content-Type: application/json' -d '\\{\"text\":\"Hello from cURL!\"\\}' http://localhost:8065/hooks/[A-Za-z0-9]{26}\$"
assert_match "bootstrap hook id" "$H" '^[A-Za-z0-9]{26}$'
if [ -e "$GRIOT_DATA/admin.token" ]; then
    assert_eq "admin.token mode" 600 "$(stat -c %a "$GRIOT_DATA/admin.token")"
    assert_match "admin.token content" "$ADMIN_TOKEN" '^[A-Za-z0-9]{20,}$'
else
    _err "DATA/admin.token missing"
fi
chans=$("$GRIOT" channel list --json 2>&1 || true)
assert_jq "channels of team main" "$chans" '([.[].name] | index("town-square") != null and index("off-topic") != null)'
assert_jq "bootstrap channels are public" "$chans" '[.[] | select(.name == "town-square" or .name == "off-topic") | .type] == ["O","O"]'
case_end
if [ -z "$H" ]; then
    echo "fail $TEST_NAME: no bootstrap hook id on stdout; cannot go on"
    exit 1
fi

TS_ID=$(channel_id town-square)
OT_ID=$(channel_id off-topic)
HOOK_USER=""
http GET "$GRIOT_URL/api/v4/hooks/incoming/$H" -H "Authorization: Bearer $ADMIN_TOKEN"
if [ "$STATUS" = 200 ]; then HOOK_USER=$(printf '%s' "$BODY" | jq -r '.user_id // empty' 2>/dev/null || true); fi
L=$(hook_create --channel town-square --lock --title locked)

case_begin BOOT-2 "the printed curl line works as printed (URL moved to the test port)"
before=$(post_count town-square)
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/json' -d '{"text":"Hello from cURL!"}'
assert_ok_response
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
assert_jq "stored" "$(last_post town-square)" '.message == "Hello from cURL!"'
case_end

# --- helpers -----------------------------------------------------------------------------------

# stored_ok CHANNEL TEXT: the request succeeded and the newest post of CHANNEL is TEXT; POST=it.
stored_ok() {
    assert_ok_response
    POST=$(last_post "$1")
    assert_jq "stored in $1" "$POST" '.message == $t' --arg t "$2"
}
mark() { BEFORE=$(total_posts); }
assert_nothing_stored() { assert_eq "posts stored in total (nothing may be stored)" "$BEFORE" "$(total_posts)"; }

# --- IW cases ------------------------------------------------------------------------------------

case_begin IW-1 "json body -> 200 ok, one post in town-square by the hook creator, from_webhook"
t=$(uniq_text IW-1)
before=$(post_count town-square)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
assert_jq "post shape" "$POST" '(.id | test("^[a-z0-9]{26}$")) and (.create_at | type) == "number" and .create_at > 1600000000000 and .update_at >= .create_at and .delete_at == 0 and .edit_at == 0 and .root_id == "" and .type == ""'
assert_jq "channel_id = town-square" "$POST" '.channel_id == $c' --arg c "$TS_ID"
assert_jq "props.from_webhook" "$POST" '.props.from_webhook == "true"'
if [ -n "$HOOK_USER" ]; then
    assert_jq "user_id = hook creator" "$POST" '.user_id == $u' --arg u "$HOOK_USER"
else
    _err "could not read the hook's user_id (GET /api/v4/hooks/incoming/{id} -> $STATUS)"
fi
assert_eq "Referrer-Policy" no-referrer "$(hdr Referrer-Policy)"
assert_eq "X-Content-Type-Options" nosniff "$(hdr X-Content-Type-Options)"
case_end

case_begin IW-2 "form-urlencoded payload= -> 200 ok, stored"
t=$(uniq_text IW-2)
http POST "$GRIOT_URL/hooks/$H" --data-urlencode "payload=$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
case_end

case_begin IW-2b "form payload= is form-decoded: '+' is a space, %41 is 'A'"
n=$RANDOM
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' --data-binary "payload={\"text\":\"IW-2b $n a+b %41\"}"
stored_ok town-square "IW-2b $n a b A"
case_end

case_begin IW-3 "no Content-Type, JSON body -> 200 ok, stored"
t=$(uniq_text IW-3)
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type:' --data-binary "$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
case_end

case_begin IW-4 "Content-Type APPLICATION/JSON; charset=utf-8 -> 200 ok, stored"
t=$(uniq_text IW-4)
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: APPLICATION/JSON; charset=utf-8' --data-binary "$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
case_end

case_begin IW-5 "multipart text=, username= -> 200 ok, stored with override_username"
t=$(uniq_text IW-5)
http POST "$GRIOT_URL/hooks/$H" -F "text=$t" -F "username=bot"
stored_ok town-square "$t"
assert_jq "override_username" "$POST" '.props.override_username == "bot"'
case_end

case_begin IW-5b "multipart channel=, icon_url=, icon_emoji= fields map onto the request"
t=$(uniq_text IW-5b)
http POST "$GRIOT_URL/hooks/$H" -F "text=$t" -F channel=off-topic -F icon_url=https://i/m.png -F icon_emoji=ghost
stored_ok off-topic "$t"
assert_jq "overrides" "$POST" '.props.override_icon_url == "https://i/m.png" and .props.override_icon_emoji == "ghost"'
case_end

case_begin IW-6 'text "" and no attachments -> 400 web.incoming_webhook.text.app_error'
mark
post_json "$H" '{"text":""}'
assert_apperror 400 web.incoming_webhook.text.app_error
assert_nothing_stored
case_end

case_begin IW-6b 'text "" and "attachments": [] -> refused like IW-6 (griot choice, spec §10)'
mark
post_json "$H" '{"text":"","attachments":[]}'
assert_apperror 400 web.incoming_webhook.text.app_error
assert_nothing_stored
case_end

case_begin IW-6c 'no text key at all -> 400 web.incoming_webhook.text.app_error'
mark
post_json "$H" '{"username":"x"}'
assert_apperror 400 web.incoming_webhook.text.app_error
assert_nothing_stored
case_end

case_begin IW-7 "unknown hook abc123 -> 400 web.incoming_webhook.invalid.app_error"
mark
post_json abc123 '{"text":"hi"}'
assert_apperror 400 web.incoming_webhook.invalid.app_error
post_json abcdefghijkmnopqrstuwxyz12 '{"text":"hi"}'
assert_apperror 400 web.incoming_webhook.invalid.app_error
assert_nothing_stored
case_end

case_begin IW-7b "check order (§1.5): size, media type and text checks come before the hook lookup"
mark
post_json abcdefghijkmnopqrstuwxyz12 '{"text":""}'
assert_apperror 400 web.incoming_webhook.text.app_error
http POST "$GRIOT_URL/hooks/abcdefghijkmnopqrstuwxyz12" -H 'Content-Type: application/x-www-form-urlencoded wrongtext' --data-binary '{"text":"x"}'
assert_apperror 400 web.incoming_webhook.media_type.app_error
post_json abcdefghijkmnopqrstuwxyz12 '{"text":'
assert_apperror 400 model.incoming_hook.parse_data.app_error
assert_nothing_stored
case_end

case_begin IW-8 'channel "junk" -> 404 web.incoming_webhook.channel.app_error'
mark
post_json "$H" '{"text":"hi","channel":"junk"}'
assert_apperror 404 web.incoming_webhook.channel.app_error
assert_nothing_stored
case_end

case_begin IW-8b 'channel names are exact: "Town-Square" -> 404 (§1.6)'
mark
post_json "$H" '{"text":"hi","channel":"Town-Square"}'
assert_apperror 404 web.incoming_webhook.channel.app_error
assert_nothing_stored
case_end

case_begin IW-9 'channel "off-topic" then "#off-topic" -> 200 each, both in off-topic'
t1=$(uniq_text IW-9a)
t2=$(uniq_text IW-9b)
before_ot=$(post_count off-topic)
before_ts=$(post_count town-square)
post_json "$H" "$(jq -nc --arg t "$t1" '{text: $t, channel: "off-topic"}')"
stored_ok off-topic "$t1"
assert_jq "channel_id = off-topic" "$POST" '.channel_id == $c' --arg c "$OT_ID"
post_json "$H" "$(jq -nc --arg t "$t2" '{text: $t, channel: "#off-topic"}')"
stored_ok off-topic "$t2"
assert_eq "off-topic posts +2" "$((before_ot + 2))" "$(post_count off-topic)"
assert_eq "town-square unchanged" "$before_ts" "$(post_count town-square)"
case_end

case_begin IW-9b 'only one leading # is stripped: "##off-topic" -> 404'
mark
post_json "$H" '{"text":"x","channel":"##off-topic"}'
assert_apperror 404 web.incoming_webhook.channel.app_error
assert_nothing_stored
case_end

case_begin IW-12 "locked hook: channel off-topic -> 403 channel_locked; no channel -> 200"
mark
post_json "$L" '{"text":"hi","channel":"off-topic"}'
assert_apperror 403 web.incoming_webhook.channel_locked.app_error
assert_nothing_stored
t=$(uniq_text IW-12)
post_json "$L" "$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
t=$(uniq_text IW-12-own)
post_json "$L" "$(jq -nc --arg t "$t" '{text: $t, channel: "town-square"}')"
stored_ok town-square "$t"
case_end

case_begin IW-14 "raw newline and tab bytes inside text -> 200, stored with them"
t="$(uniq_text IW-14) line1"$'\n'"line2"$'\t'"col"
post_json "$H" "{\"text\":\"$t\"}"
stored_ok town-square "$t"
case_end

case_begin IW-14b "raw newline/tab inside attachment title, text, field value, pretext, fallback, author_name"
t=$(uniq_text IW-14b)
raw="{\"text\":\"$t\",\"attachments\":[{\"fallback\":\"f1"$'\n'"f2\",\"pretext\":\"p1"$'\n'"p2\",\"author_name\":\"a1"$'\t'"a2\",\"title\":\"t1"$'\t'"t2\",\"text\":\"x1"$'\n'"x2\",\"fields\":[{\"title\":\"f\",\"value\":\"v1"$'\n'"v2\"}]}]}"
post_json "$H" "$raw"
stored_ok town-square "$t"
assert_jq "attachment strings" "$POST" '.props.attachments[0] | .fallback == "f1\nf2" and .pretext == "p1\np2" and .author_name == "a1\ta2" and .title == "t1\tt2" and .text == "x1\nx2" and .fields[0].value == "v1\nv2"'
case_end

case_begin IW-15 "form Content-Type with a raw JSON body -> 400, nothing stored"
mark
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary '{"text":"hi"}'
assert_status 400
assert_jq "AppError body" "$BODY" '(.id | type) == "string" and .status_code == 400'
assert_nothing_stored
case_end

case_begin IW-16 'application/json with body payload={"text":"x"} -> 400 parse_data, nothing stored'
mark
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/json' --data-binary 'payload={"text":"x"}'
assert_apperror 400 model.incoming_hook.parse_data.app_error
assert_nothing_stored
case_end

case_begin IW-17 "Content-Type 'application/x-www-form-urlencoded wrongtext' -> 400 media_type"
mark
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: application/x-www-form-urlencoded wrongtext' --data-binary 'payload={"text":"x"}'
assert_apperror 400 web.incoming_webhook.media_type.app_error
assert_nothing_stored
case_end

case_begin IW-17b "made-up type mimetype/wrong with a payload= body -> 400 (body read as JSON)"
mark
http POST "$GRIOT_URL/hooks/$H" -H 'Content-Type: mimetype/wrong' --data-binary 'payload={"text":"x"}'
assert_apperror 400 model.incoming_hook.parse_data.app_error
assert_nothing_stored
case_end

case_begin IW-18 "text of 8200 chars -> 200, a single post"
before=$(post_count town-square)
big=$(jq -nc '{text: ("IW-18 " + ("x" * 8194))}')
post_json "$H" "$big"
assert_ok_response
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
assert_jq "stored length" "$(last_post town-square)" '(.message | length) == 8200 and (.message | startswith("IW-18 xxx"))'
case_end

# Splitting is by code points (runes), not bytes: use 2-byte (é) and 4-byte (😀) characters.
case_begin IW-19 "16388 runes of 2-byte é -> 200; two posts of 16383 and 5 runes, same props, in order"
before=$(post_count town-square)
prefix="IW-19 $RANDOM "
post_json "$H" "$(jq -nc --arg p "$prefix" '{text: ($p + ("é" * (16388 - ($p | length)))), username: "splitter"}')"
assert_ok_response
assert_eq "town-square posts +2" "$((before + 2))" "$(post_count town-square)"
two=$(last_posts town-square 2)
assert_jq "first chunk: 16383 runes" "$two" '.[0].message | length == 16383 and startswith($p)' --arg p "$prefix"
assert_jq "second chunk: the 5 last runes" "$two" '.[1].message == "ééééé"'
assert_jq "rejoined = original" "$two" '(.[0].message + .[1].message) == ($p + ("é" * (16388 - ($p | length))))' --arg p "$prefix"
assert_jq "same props on both" "$two" '.[0].props == .[1].props and .[0].props.from_webhook == "true" and .[0].props.override_username == "splitter"'
assert_jq "order: first chunk older" "$two" '.[0].create_at <= .[1].create_at'
case_end

case_begin IW-19b "16384 runes of 4-byte 😀 -> two posts of 16383 and 1 runes"
before=$(post_count town-square)
post_json "$H" "$(jq -nc '{text: ("😀" * 16384)}')"
assert_ok_response
assert_eq "town-square posts +2" "$((before + 2))" "$(post_count town-square)"
two=$(last_posts town-square 2)
assert_jq "chunks" "$two" '(.[0].message | length) == 16383 and .[1].message == "😀" and (.[0].message | test("^😀+$"))'
case_end

case_begin IW-19c "exactly 16383 runes -> a single post (not split)"
before=$(post_count town-square)
post_json "$H" "$(jq -nc '{text: ("ü" * 16383)}')"
assert_ok_response
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
assert_jq "stored whole" "$(last_post town-square)" '(.message | length) == 16383'
case_end

case_begin IW-19d "split text with attachments -> attachments on the last chunk only (§1.10)"
before=$(post_count town-square)
post_json "$H" "$(jq -nc '{text: ("a" * 16390), attachments: [{text: "att-on-last", color: "good"}]}')"
assert_ok_response
assert_eq "town-square posts +2" "$((before + 2))" "$(post_count town-square)"
two=$(last_posts town-square 2)
assert_jq "chunk sizes" "$two" '(.[0].message | length) == 16383 and .[1].message == "aaaaaaa"'
assert_jq "attachments on the last chunk" "$two" '(.[0].props.attachments // [] | length) == 0 and .[1].props.attachments[0].text == "att-on-last"'
case_end

case_begin IW-20 "overrides on: username + icon_url -> props override_username / override_icon_url"
t=$(uniq_text IW-20)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, username: "Deploy Bot", icon_url: "https://i/x.png"}')"
stored_ok town-square "$t"
assert_jq "override props" "$POST" '.props.override_username == "Deploy Bot" and .props.override_icon_url == "https://i/x.png"'
case_end

case_begin IW-20b "overrides on: icon_emoji -> props.override_icon_emoji (§1.7, §10)"
t=$(uniq_text IW-20b)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, icon_emoji: ":ghost:"}')"
stored_ok town-square "$t"
assert_jq "override_icon_emoji" "$POST" '.props.override_icon_emoji == ":ghost:"'
case_end

case_begin IW-20c 'overrides on, no username anywhere -> override_username "webhook" (§1.7)'
t=$(uniq_text IW-20c)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
assert_jq "override_username default" "$POST" '.props.override_username == "webhook" and (.props | has("override_icon_url") | not)'
case_end

HU=$(hook_create --channel town-square --title withdefaults --username hookbot --icon https://i/hook.png)
case_begin IW-20d "hook-level username/icon used when the request has none; request values win (§1.7)"
t=$(uniq_text IW-20d)
post_json "$HU" "$(jq -nc --arg t "$t" '{text: $t}')"
stored_ok town-square "$t"
assert_jq "hook defaults" "$POST" '.props.override_username == "hookbot" and .props.override_icon_url == "https://i/hook.png"'
t=$(uniq_text IW-20d-req)
post_json "$HU" "$(jq -nc --arg t "$t" '{text: $t, username: "req", icon_url: "https://i/req.png"}')"
stored_ok town-square "$t"
assert_jq "request wins" "$POST" '.props.override_username == "req" and .props.override_icon_url == "https://i/req.png"'
case_end

case_begin IW-22 'slack markup: "see <https://a.io|site> <!channel>" -> "see [site](https://a.io) @channel"'
post_json "$H" '{"text":"see <https://a.io|site> <!channel>"}'
stored_ok town-square 'see [site](https://a.io) @channel'
case_end

case_begin IW-22b "slack markup: <!here> <!all> converted; <https://x.io> and <!everyone> left unchanged (§1.9)"
post_json "$H" '{"text":"IW-22b <!here> <!all> <https://x.io> <!everyone>"}'
stored_ok town-square 'IW-22b @here @all <https://x.io> <!everyone>'
case_end

case_begin IW-22c "<@USERID> of a known user -> @username; an unknown id is left alone (§1.9)"
if [ -n "$HOOK_USER" ]; then
    post_json "$H" "{\"text\":\"IW-22c <@$HOOK_USER> <@abcdefghijkmnopqrstuwxyz12>\"}"
    stored_ok town-square 'IW-22c @admin <@abcdefghijkmnopqrstuwxyz12>'
else
    _err "hook creator id unknown"
fi
case_end

case_begin IW-23 "attachments with value 5, short \"true\" -> slack_attachment, value \"5\", short true"
before=$(post_count town-square)
post_json "$H" '{"attachments":[{"fallback":"f","color":"danger","fields":[{"title":"n","value":5,"short":"true"}]}]}'
assert_ok_response
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
POST=$(last_post town-square)
assert_jq "type" "$POST" '.type == "slack_attachment" and .message == ""'
assert_jq "field coerced" "$POST" '.props.attachments[0].fields[0] | .value == "5" and .short == true and .title == "n"'
assert_jq "attachment kept" "$POST" '.props.attachments[0] | .fallback == "f" and .color == "danger"'
case_end

case_begin IW-24 'props {"from_webhook":"false","k":"v"} -> from_webhook "true", k "v"; reserved keys dropped'
t=$(uniq_text IW-24)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, props: {from_webhook: "false", k: "v", override_username: "evil", override_icon_url: "https://evil/x.png"}}')"
stored_ok town-square "$t"
assert_jq "props" "$POST" '.props.from_webhook == "true" and .props.k == "v"'
assert_jq "reserved override_* from props ignored" "$POST" '.props.override_username != "evil" and .props.override_icon_url != "https://evil/x.png"'
case_end

case_begin IW-24b "props.attachments (not top-level) dropped; type stays \"\" (§1.8)"
t=$(uniq_text IW-24b)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, props: {attachments: [{text: "sneaky"}], k2: "v2"}}')"
stored_ok town-square "$t"
assert_jq "no attachments" "$POST" '(.props.attachments // [] | length) == 0 and .type == "" and .props.k2 == "v2"'
case_end

case_begin IW-25 'type "system_join_channel" -> 400 api.context.invalid_param.app_error'
mark
post_json "$H" '{"text":"x","type":"system_join_channel"}'
assert_apperror 400 api.context.invalid_param.app_error
assert_nothing_stored
case_end

case_begin IW-25c 'priority object without its "priority" key -> 400 api.context.invalid_param.app_error (check 14)'
mark
post_json "$H" '{"text":"x","priority":{"requested_ack":true}}'
assert_apperror 400 api.context.invalid_param.app_error
assert_nothing_stored
case_end

case_begin IW-25b 'type "custom_deploy" accepted and stored (§1.3: empty or custom_*)'
t=$(uniq_text IW-25b)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, type: "custom_deploy"}')"
stored_ok town-square "$t"
assert_jq "type" "$POST" '.type == "custom_deploy"'
case_end

case_begin IW-27 "body of 400 000 bytes -> 413 api.context.request_body_too_large.app_error"
mark
jq -jnc '{text: ("y" * 399989)}' >"$_IT_TMP/big.json"
assert_eq "body size" 400000 "$(stat -c %s "$_IT_TMP/big.json")"
post_file "$H" "$_IT_TMP/big.json"
assert_apperror 413 api.context.request_body_too_large.app_error
assert_nothing_stored
case_end

case_begin IW-27b "400 000 bytes sent chunked (no Content-Length) -> 413 too (§0.5 SHOULD)"
mark
post_file "$H" "$_IT_TMP/big.json" -H 'Transfer-Encoding: chunked'
assert_apperror 413 api.context.request_body_too_large.app_error
assert_nothing_stored
http GET "$GRIOT_URL/api/v4/system/ping"
assert_status 200
case_end

case_begin IW-28 'Apprise shape {"text","icon_url":null,"username":"Apprise","channel":"off-topic"} -> 200 ok'
t=$(uniq_text IW-28)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, icon_url: null, username: "Apprise", channel: "off-topic"}')"
stored_ok off-topic "$t"
assert_jq "props" "$POST" '.props.override_username == "Apprise" and (.props | has("override_icon_url") | not)'
case_end

case_begin IW-29 "null values behave as absent; unknown Slack keys ignored (§1.3)"
t=$(uniq_text IW-29)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, channel: null, username: null, icon_emoji: null, attachments: null, props: null, type: null, link_names: 1, mrkdwn: true, unfurl_links: false, parse: "full", blocks: []}')"
stored_ok town-square "$t"
assert_jq "plain post" "$POST" '.type == "" and (.props.attachments // [] | length) == 0'
case_end

# --- AT cases (§8.3) ---------------------------------------------------------------------------

AT1='{"attachments":[{
  "fallback":"AT-1 fallback",
  "color":"#FF8000",
  "pretext":"This is optional pretext that shows above the attachment.",
  "text":"This is the text of the attachment.",
  "author_name":"Mattermost",
  "author_icon":"https://mattermost.com/wp-content/uploads/2022/02/icon_WS.png",
  "author_link":"https://mattermost.org/",
  "title":"Example Attachment",
  "title_link":"https://developers.mattermost.com/integrate/reference/message-attachments/",
  "fields":[
    {"short":false,"title":"Long Field","value":"Testing with a very long piece of text that will take up the whole width of the table."},
    {"short":true,"title":"Column One","value":"Testing"},
    {"short":true,"title":"Column Two","value":"Testing"}
  ],
  "image_url":"https://mattermost.com/wp-content/uploads/2022/02/icon_WS.png",
  "thumb_url":"https://mattermost.com/wp-content/uploads/2022/02/icon_WS.png",
  "footer":"Footer text",
  "footer_icon":"https://mattermost.com/wp-content/uploads/2022/02/icon_WS.png",
  "ts":1700000000
}]}'
case_begin AT-1 "docs' full attachment example -> every given key stored with the same value"
before=$(post_count town-square)
post_json "$H" "$AT1"
assert_ok_response
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
POST=$(last_post town-square)
assert_jq "type" "$POST" '.type == "slack_attachment"'
for k in fallback color pretext text author_name author_icon author_link title title_link image_url thumb_url footer footer_icon; do
    assert_jq "attachment.$k" "$POST" '.props.attachments[0][$k] == ($src | fromjson | .attachments[0][$k])' --arg k "$k" --arg src "$AT1"
done
assert_jq "attachment.fields" "$POST" '[.props.attachments[0].fields[] | {title, value, short}] == ($src | fromjson | .attachments[0].fields)' --arg src "$AT1"
assert_jq "attachment.ts" "$POST" '(.props.attachments[0].ts | tostring) == "1700000000"'
case_end

case_begin AT-2 'field value 42, short "false" -> value "42", short false; 1.5 -> "1.5"'
post_json "$H" '{"attachments":[{"text":"AT-2","fields":[{"title":"n","value":42,"short":"false"},{"title":"m","value":1.5,"short":false}]}]}'
assert_ok_response
POST=$(last_post town-square)
assert_jq "fields" "$POST" '.props.attachments[0].text == "AT-2" and .props.attachments[0].fields[0].value == "42" and .props.attachments[0].fields[0].short == false and .props.attachments[0].fields[1].value == "1.5"'
case_end

case_begin AT-3 'field value true -> "true"'
post_json "$H" '{"attachments":[{"text":"AT-3","fields":[{"title":"n","value":true}]}]}'
assert_ok_response
assert_jq "value" "$(last_post town-square)" '.props.attachments[0].text == "AT-3" and .props.attachments[0].fields[0].value == "true"'
case_end

case_begin AT-4 'attachments [null,{"text":"a"}] -> one attachment stored (null fields dropped too)'
post_json "$H" '{"attachments":[null,{"text":"AT-4 a","fields":[null,{"title":"f","value":"v"}]}]}'
assert_ok_response
POST=$(last_post town-square)
assert_jq "one attachment" "$POST" '(.props.attachments | length) == 1 and .props.attachments[0].text == "AT-4 a"'
assert_jq "one field" "$POST" '(.props.attachments[0].fields | length) == 1 and .props.attachments[0].fields[0].value == "v"'
case_end

case_begin AT-5 'attachment text "<http://a|b>" -> "[b](http://a)" (also pretext and field values)'
post_json "$H" '{"attachments":[{"text":"<http://a|b>","pretext":"AT-5 <http://c|d>","fields":[{"title":"<http://t|u>","value":"<http://e|f>"}]}]}'
assert_ok_response
POST=$(last_post town-square)
assert_jq "text" "$POST" '.props.attachments[0].text == "[b](http://a)"'
assert_jq "pretext" "$POST" '.props.attachments[0].pretext == "AT-5 [d](http://c)"'
assert_jq "field value" "$POST" '.props.attachments[0].fields[0].value == "[f](http://e)"'
case_end

case_begin AT-6 'attachment title "<http://a|b>" -> unchanged'
post_json "$H" '{"attachments":[{"title":"<http://a|b>","text":"AT-6"}]}'
assert_ok_response
assert_jq "title" "$(last_post town-square)" '.props.attachments[0].title == "<http://a|b>" and .props.attachments[0].text == "AT-6"'
case_end

case_begin AT-7 'ts 1700000000 and "1700000000.123" -> both accepted and stored'
post_json "$H" '{"attachments":[{"text":"AT-7 n","ts":1700000000}]}'
assert_ok_response
assert_jq "numeric ts" "$(last_post town-square)" '.props.attachments[0].text == "AT-7 n" and (.props.attachments[0].ts | tostring) == "1700000000"'
post_json "$H" '{"attachments":[{"text":"AT-7 s","ts":"1700000000.123"}]}'
assert_ok_response
assert_jq "string ts" "$(last_post town-square)" '.props.attachments[0].text == "AT-7 s" and (.props.attachments[0].ts | tostring) == "1700000000.123"'
case_end

case_begin AT-8 "attachments only, Uptime Kuma shape with nulls -> 200, slack_attachment, message \"\""
before=$(post_count town-square)
post_json "$H" '{"username":"Example API Uptime Kuma","channel":null,"icon_emoji":null,"icon_url":null,"attachments":[{"fallback":"AT-8 down","color":"#FF0000","title":"Example API service went down.","title_link":null,"fields":[{"short":false,"title":"Error","value":"Request failed"},{"short":true,"title":"Time (Africa/Dakar)","value":"2026-03-14 09:26:53"}]}]}'
assert_ok_response
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
POST=$(last_post town-square)
assert_jq "post" "$POST" '.type == "slack_attachment" and .message == "" and .props.override_username == "Example API Uptime Kuma"'
assert_jq "attachment" "$POST" '.props.attachments[0] | .fallback == "AT-8 down" and .title == "Example API service went down." and (.fields | length) == 2 and .fields[1].short == true'
case_end

case_begin AT-9 'color "not-a-colour" -> 200 (only a logged warning)'
post_json "$H" '{"attachments":[{"text":"AT-9","color":"not-a-colour"}]}'
assert_ok_response
assert_jq "stored" "$(last_post town-square)" '.props.attachments[0].text == "AT-9"'
case_end

case_begin AT-10 "unknown keys mrkdwn_in, callback_id -> 200, harmless"
post_json "$H" '{"attachments":[{"text":"AT-10","mrkdwn_in":["text"],"callback_id":"cb","attachment_type":"default","blocks":[]}]}'
assert_ok_response
assert_jq "stored" "$(last_post town-square)" '.type == "slack_attachment" and .props.attachments[0].text == "AT-10"'
case_end

# --- servers with other settings -----------------------------------------------------------------

griot_start --set hook_rate=0 --set enable_incoming_webhooks=false
OFF_PID=$GRIOT_PID
case_begin IW-13 "enable_incoming_webhooks=false -> 501 web.incoming_webhook.disabled.app_error"
mark
post_json "$BOOT_HOOK" '{"text":"hi"}'
assert_apperror 501 web.incoming_webhook.disabled.app_error
post_json abcdefghijkmnopqrstuwxyz12 '{"text":"hi"}'
assert_apperror 501 web.incoming_webhook.disabled.app_error
post_json "$BOOT_HOOK" '{"text":'
assert_apperror 400 model.incoming_hook.parse_data.app_error
assert_nothing_stored
case_end
griot_stop "$OFF_PID"

griot_start --set hook_rate=0 --set enable_post_username_override=false --set enable_post_icon_override=false
NOOV_PID=$GRIOT_PID
case_begin IW-21 "overrides off: username/icon_url/icon_emoji silently ignored (200, no override_* props)"
t=$(uniq_text IW-21)
post_json "$BOOT_HOOK" "$(jq -nc --arg t "$t" '{text: $t, username: "Deploy Bot", icon_url: "https://i/x.png", icon_emoji: ":ghost:"}')"
stored_ok town-square "$t"
assert_jq "no override props" "$POST" '.props | (has("override_username") or has("override_icon_url") or has("override_icon_emoji")) | not'
assert_jq "from_webhook" "$POST" '.props.from_webhook == "true"'
case_end
griot_stop "$NOOV_PID"

GRIOT_DATA=$MAIN_DATA
GRIOT_URL=$MAIN_URL
finish
