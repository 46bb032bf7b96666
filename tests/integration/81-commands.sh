#!/usr/bin/env bash
# Slash commands end to end (spec mattermost-compat §3, SC-1..SC-15) against a real Node `http`
# app (node/command-app.mjs) that verifies griot's Standard Webhooks signature with npm
# `standardwebhooks`: the request's fields, form and query forms, every kind of reply, delayed
# responses through response_url (5 uses, 30 minutes), the built-ins (/echo /me /shrug /help
# /join /leave), management over REST and `griot command`, and bad apps (slow, dead, junk, huge,
# a redirect to an address the SSRF guard refuses). The official client's view (Client4,
# WebSocketClient: ephemeral only on the caller's socket) is node/command-client.mjs.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready
if [ ! -d "$NODE_DIR/node_modules/@mattermost/client" ] || [ ! -d "$NODE_DIR/node_modules/standardwebhooks" ]; then
    echo "fail $TEST_NAME: @mattermost/client or standardwebhooks missing in $NODE_DIR/node_modules"
    exit 1
fi
export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=1024

# ---- the app ---------------------------------------------------------------------------------
SECRETS="$_IT_TMP/secrets.json"
echo '{}' >"$SECRETS"
# app_start NAME [HOST]: start command-app.mjs; sets APP_<NAME> (port) and its log file.
app_start() {
    local name=$1 host=${2:-127.0.0.1} pf="$_IT_TMP/app-$1.port" pid
    APP_HOST=$host node "$NODE_DIR/command-app.mjs" "$pf" "$_IT_TMP/app-$name.log" "$SECRETS" \
        >"$_IT_TMP/app-$name.out" 2>&1 &
    pid=$!
    bg_track "$pid"
    for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
    if [ ! -s "$pf" ]; then
        echo "fail $TEST_NAME: command-app.mjs ($name) did not start: $(cat "$_IT_TMP/app-$name.out")"
        exit 1
    fi
    printf -v "APP_$name" '%s' "$(cat "$pf")"
    : >>"$_IT_TMP/app-$name.log"
}
app_log() { cat "$_IT_TMP/app-${1:-main}.log"; }
app_n() { wc -l <"$_IT_TMP/app-${1:-main}.log" | tr -d ' '; }
# app_req N [NAME]: the Nth request the app received (1-based), as JSON.
app_req() { sed -n "${1}p" "$_IT_TMP/app-${2:-main}.log"; }
# remember_secret TOKEN SECRET: the app verifies requests carrying TOKEN with SECRET.
remember_secret() {
    jq --arg t "$1" --arg s "$2" '.[$t] = $s' "$SECRETS" >"$SECRETS.tmp" && mv "$SECRETS.tmp" "$SECRETS"
}

# ---- griot -----------------------------------------------------------------------------------
PORT=$(free_port)
griot_start --listen "127.0.0.1:$PORT" --site-url "http://127.0.0.1:$PORT" \
    --set allow_internal=127.0.0.1/8,::1 --set outgoing_timeout=2 --set developer_mode=true \
    --set hook_rate=0
app_start main
APP="http://127.0.0.1:$APP_main"
TEAM=$("$GRIOT" channel list --json | jq -r '.[0].team_id')
TS=$(channel_id town-square)
OT=$(channel_id off-topic)

cli user create alice --password alice-cmd-pw-1
ALICE=$CLI_OUT
cli user create bob --password bob-cmd-pw-1
BOB=$CLI_OUT
cli token create alice
AT=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
cli channel create secretroom --private
SECRET_CH=$CLI_OUT
if ! [[ "$ALICE" =~ ^[a-z0-9]{26}$ && "$BOB" =~ ^[a-z0-9]{26}$ && "$AT" =~ ^[a-z0-9]{26}$ && "$SECRET_CH" =~ ^[a-z0-9]{26}$ ]]; then
    echo "fail $TEST_NAME: setup: alice '$ALICE' bob '$BOB' token '$AT' channel '$SECRET_CH' ($CLI_ERR)"
    exit 1
fi

# mkcmd TRIGGER PATH [create args...]: `griot command create`; sets CMD_ID CMD_TOKEN CMD_SECRET
# and teaches the app the secret.
mkcmd() {
    local trig=$1 path=$2
    shift 2
    cli command create --team main --trigger "$trig" --url "$APP$path" "$@"
    CMD_ID=$(printf '%s\n' "$CLI_OUT" | sed -n 1p)
    CMD_TOKEN=$(printf '%s\n' "$CLI_OUT" | sed -n 2p)
    CMD_SECRET=$(printf '%s\n' "$CLI_OUT" | sed -n 3p)
    if [ "$CLI_RC" -ne 0 ] || [ -z "$CMD_SECRET" ]; then
        echo "fail $TEST_NAME: griot command create $trig: rc $CLI_RC: $CLI_ERR"
        exit 1
    fi
    remember_secret "$CMD_TOKEN" "$CMD_SECRET"
}

# run TOKEN COMMAND [CHANNEL [ROOT]]: POST /api/v4/commands/execute.
run() {
    local tok=$1 cmd=$2 ch=${3:-$TS} root=${4:-}
    http POST "$GRIOT_URL/api/v4/commands/execute" -H "Authorization: Bearer $tok" \
        --data-binary "$(jq -nc --arg c "$cmd" --arg ch "$ch" --arg r "$root" '{command: $c, channel_id: $ch, root_id: $r}')"
    REQ_DESC="$REQ_DESC command=$cmd"
}
# posts_with TEXT [CHANNEL]: stored posts of CHANNEL whose message is TEXT, as a JSON array.
posts_with() {
    posts_json "${2:-town-square}" | jq -c --arg m "$1" '[.posts[] | select(.message == $m)]'
}
# wait_post TEXT [CHANNEL]: up to 8 s for a post with that message; echoes the array.
wait_post() {
    local deadline=$((SECONDS + 8)) p
    while :; do
        p=$(posts_with "$@")
        if [ "$(jq length <<<"$p")" -gt 0 ] || [ "$SECONDS" -ge "$deadline" ]; then
            printf '%s\n' "$p"
            return 0
        fi
        sleep 0.1
    done
}

# ---- CLI contract ----------------------------------------------------------------------------
case_begin CLI-1 "griot command create prints the id, then the token, then the signing secret"
cli command create --team main --trigger Weather --url "$APP/sunny" --autocomplete --hint '[city]' \
    --description 'Weather by city' --username cmduser
assert_eq "exit" 0 "$CLI_RC"
assert_eq "three lines" 3 "$(printf '%s\n' "$CLI_OUT" | wc -l | tr -d ' ')"
W_ID=$(printf '%s\n' "$CLI_OUT" | sed -n 1p)
W_TOKEN=$(printf '%s\n' "$CLI_OUT" | sed -n 2p)
W_SECRET=$(printf '%s\n' "$CLI_OUT" | sed -n 3p)
assert_match "id" "$W_ID" '^[a-z0-9]{26}$'
assert_match "token" "$W_TOKEN" '^[a-z0-9]{26}$'
assert_match "secret" "$W_SECRET" '^whsec_[A-Za-z0-9+/=]{20,}$'
remember_secret "$W_TOKEN" "$W_SECRET"
cli command list
assert_contains "list" "$CLI_OUT" "$W_ID	main	/weather	POST	$APP/sunny"
cli command create --team main --trigger echo --url "$APP/sunny"
assert_eq "reserved trigger refused" 1 "$CLI_RC"
assert_contains "reserved trigger message" "$CLI_ERR" "api.command.duplicate_trigger.app_error"
cli command create --team main --trigger x --url "$APP/sunny" --method PUT
assert_eq "bad method is a usage error" 2 "$CLI_RC"
case_end

mkcmd weatherg '/sunny?k=v' --method GET
G_TOKEN=$CMD_TOKEN
mkcmd only /only
mkcmd plain /text
mkcmd failing /fail
mkcmd goto /goto
mkcmd extra /extra
mkcmd markup /markup --username cmduser
mkcmd delayed /delayed
mkcmd slow /slow
mkcmd junk /junk
mkcmd huge /huge
mkcmd empty /empty
mkcmd elsewhere "/elsewhere?to=$OT"
mkcmd secretpost "/elsewhere?to=$SECRET_CH"
DEAD_PORT=$(free_port)
cli command create --team main --trigger dead --url "http://127.0.0.1:$DEAD_PORT/nothing"

# ---- execute: the request (§3.3) -------------------------------------------------------------
case_begin SC-1 "POST form to the command URL: every field, Authorization: Token, signature verifies"
n0=$(app_n)
run "$AT" "/weather Paris @bob. ~off-topic"
assert_status 200
assert_eq "one request" $((n0 + 1)) "$(app_n)"
R=$(app_req $((n0 + 1)))
assert_jq "method POST, path" "$R" '.method == "POST" and .path == "/sunny"'
assert_jq "content type" "$R" '.headers["content-type"] == "application/x-www-form-urlencoded"'
assert_jq "accept" "$R" '.headers.accept == "application/json"'
assert_jq "Authorization: Token" "$R" '.headers.authorization == "Token " + $t' --arg t "$W_TOKEN"
assert_jq "fields" "$R" '.fields.command == "/weather" and .fields.text == "Paris @bob. ~off-topic" and .fields.token == $t and .fields.user_name == "alice" and .fields.user_id == $a and .fields.channel_name == "town-square" and .fields.channel_id == $c and .fields.team_domain == "main" and .fields.team_id == $tm' \
    --arg t "$W_TOKEN" --arg a "$ALICE" --arg c "$TS" --arg tm "$TEAM"
assert_jq "response_url" "$R" '.fields.response_url | test("^http://127\\.0\\.0\\.1:" + $p + "/hooks/commands/[a-z0-9]{26}$")' --arg p "$PORT"
assert_jq "trigger_id" "$R" '(.fields.trigger_id | length) > 0'
assert_jq "mentions" "$R" '.fields.user_mentions == "bob" and .fields.user_mentions_ids == $b and .fields.channel_mentions == "off-topic" and .fields.channel_mentions_ids == $o' --arg b "$BOB" --arg o "$OT"
assert_jq "signature verifies with npm standardwebhooks" "$R" '.verified == true'
assert_jq "answer trigger_id = the one sent" "$BODY" '.trigger_id == $t' --arg t "$(jq -r .fields.trigger_id <<<"$R")"
case_end

case_begin SC-2 "method G: GET, the same fields in the query string after the URL's own, no body"
n0=$(app_n)
run "$AT" "/weatherg Oslo"
assert_status 200
R=$(app_req $((n0 + 1)))
assert_jq "GET, no body" "$R" '.method == "GET" and .body == "" and (.headers["content-type"] == null)'
assert_jq "URL's own query first" "$R" '.query | startswith("k=v&")'
assert_jq "fields" "$R" '.fields.command == "/weatherg" and .fields.text == "Oslo" and .fields.token == $t and .fields.user_name == "alice" and (.fields.response_url | test("/hooks/commands/[a-z0-9]{26}$"))' --arg t "$G_TOKEN"
assert_jq "signature over the query string verifies" "$R" '.verified == true'
case_end

case_begin SC-3 "in_channel JSON reply -> 200 JSON, a post by alice with from_webhook and the command's username"
run "$AT" "/weather Rome"
assert_status 200
assert_jq "answer" "$BODY" '.response_type == "in_channel" and .text == "Sunny in Rome"'
P=$(wait_post "Sunny in Rome")
assert_jq "stored once" "$P" 'length == 1'
assert_jq "author alice" "$P" '.[0].user_id == $a' --arg a "$ALICE"
assert_jq "from_webhook" "$P" '.[0].props.from_webhook == "true"'
assert_jq "command's username" "$P" '.[0].props.override_username == "cmduser"'
case_end

case_begin SC-4 "ephemeral JSON reply -> 200, nothing stored"
before=$(post_count town-square)
run "$AT" "/only x"
assert_status 200
assert_jq "answer" "$BODY" '.text == "only you" and .response_type == ""'
assert_eq "no post" "$before" "$(post_count town-square)"
case_end

case_begin SC-5 "text/plain reply -> ephemeral text"
before=$(post_count town-square)
run "$AT" "/plain"
assert_status 200
assert_jq "answer" "$BODY" '.text == "hello"'
assert_eq "no post" "$before" "$(post_count town-square)"
case_end

case_begin SC-6 "the app answers 500 -> 500 failed_resp, its body in detailed_error"
run "$AT" "/failing"
assert_apperror 500 api.command.execute_command.failed_resp.app_error
assert_jq "detailed_error" "$BODY" '.detailed_error | contains("boom from the app")'
case_end

case_begin SC-7 "unknown trigger -> 404 not_found"
run "$AT" "/nosuch x"
assert_apperror 404 api.command.execute_command.not_found.app_error
case_end

case_begin SC-8 "no leading slash, a lone slash, a bad channel id -> 400 start"
run "$AT" "weather Paris"
assert_apperror 400 api.command.execute_command.start.app_error
run "$AT" "/"
assert_apperror 400 api.command.execute_command.start.app_error
run "$AT" "/weather" "not-an-id"
assert_apperror 400 api.command.execute_command.start.app_error
http POST "$GRIOT_URL/api/v4/commands/execute" -H "Authorization: Bearer $AT" --data-binary '{"command":5}'
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

case_begin SC-9 "/WEATHER matches the trigger case-insensitively"
n0=$(app_n)
run "$AT" "/WEATHER Berlin"
assert_status 200
assert_jq "answer" "$BODY" '.text == "Sunny in Berlin"'
assert_jq "sent as /weather" "$(app_req $((n0 + 1)))" '.fields.command == "/weather"'
case_end

# ---- response_url (§3.7) ---------------------------------------------------------------------
n0=$(app_n)
run "$AT" "/only for a url"
RURL=$(app_req $((n0 + 1)) | jq -r .fields.response_url)
case_begin SC-10 "POST response_url {in_channel, later} -> 200 ok; post 'later' by alice"
http POST "$RURL" -H 'Content-Type: application/json' --data-binary '{"response_type":"in_channel","text":"later"}'
assert_ok_response
P=$(wait_post later)
assert_jq "stored" "$P" 'length == 1 and .[0].user_id == $a and .[0].props.from_webhook == "true"' --arg a "$ALICE"
case_end

case_begin SC-11 "5 uses of a response_url, the 6th -> 400 try_use.invalid"
for i in 2 3 4 5; do
    http POST "$RURL" -H 'Content-Type: text/plain' --data-binary "plain use $i"
    assert_eq "use $i" 200 "$STATUS"
done
http POST "$RURL" -H 'Content-Type: application/json' --data-binary '{"text":"sixth"}'
assert_apperror 400 app.command_webhook.try_use.invalid
assert_eq "plain-text uses are ephemeral" 0 "$(posts_with 'plain use 2' | jq length)"
case_end

case_begin SC-12 "unknown response_url id -> 404 app.command_webhook.get.missing"
http POST "$GRIOT_URL/hooks/commands/123123123123" -H 'Content-Type: application/json' --data-binary '{"text":"x"}'
assert_apperror 404 app.command_webhook.get.missing
http POST "$GRIOT_URL/hooks/commands/abcdefghijkmnopqrstuwxyz12" -H 'Content-Type: application/json' --data-binary '{"text":"x"}'
assert_apperror 404 app.command_webhook.get.missing
case_end

case_begin SC-13 "response_url with JSON content type and body {bad -> 400 parse"
n0=$(app_n)
run "$AT" "/only again"
R2=$(app_req $((n0 + 1)) | jq -r .fields.response_url)
http POST "$R2" -H 'Content-Type: application/json' --data-binary '{bad'
assert_apperror 400 web.command_webhook.parse.app_error
http POST "$R2" -H 'Content-Type: application/json' --data-binary '{"response_type":"in_channel","text":"still usable"}'
assert_ok_response
case_end

case_begin SC-10-thread "a command run in a thread answers in it, also through response_url"
http POST "$GRIOT_URL/api/v4/posts" -H "Authorization: Bearer $AT" --data-binary "$(jq -nc --arg c "$TS" '{channel_id: $c, message: "thread root for commands"}')"
ROOT=$(jq -r .id <<<"$BODY")
n0=$(app_n)
run "$AT" "/weather Thread" "$TS" "$ROOT"
assert_status 200
assert_jq "root_id sent" "$(app_req $((n0 + 1)))" '.fields.root_id == $r' --arg r "$ROOT"
assert_jq "reply in the thread" "$(wait_post 'Sunny in Thread')" '.[0].root_id == $r' --arg r "$ROOT"
http POST "$(app_req $((n0 + 1)) | jq -r .fields.response_url)" -H 'Content-Type: application/json' \
    --data-binary '{"response_type":"in_channel","text":"thread later"}'
assert_ok_response
assert_jq "delayed reply in the thread" "$(wait_post 'thread later')" '.[0].root_id == $r' --arg r "$ROOT"
case_end

# ---- management (§3.1) -----------------------------------------------------------------------
api() { # api METHOD PATH [JSON] as admin
    http "$1" "$GRIOT_URL$2" -H "Authorization: Bearer $ADMIN_TOKEN" ${3:+--data-binary "$3"}
}
case_begin SC-14 "a custom command cannot take a built-in trigger, nor a taken one"
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" --arg u "$APP/sunny" '{team_id: $t, trigger: "echo", url: $u, method: "P"}')"
assert_apperror 400 api.command.duplicate_trigger.app_error
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" --arg u "$APP/sunny" '{team_id: $t, trigger: "WEATHER", url: $u, method: "P"}')"
assert_apperror 400 api.command.duplicate_trigger.app_error
case_end

case_begin SC-15 "reply {goto_location} -> returned to the client, no post"
before=$(post_count town-square)
run "$AT" "/goto"
assert_status 200
assert_jq "goto_location" "$BODY" '.goto_location == "https://x"'
assert_eq "no post" "$before" "$(post_count town-square)"
case_end

case_begin MG-1 "POST /api/v4/commands (admin) -> 201 with token and signing secret; Mattermost's shape"
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" --arg u "$APP/sunny" '{team_id: $t, trigger: "Api1", url: $u, method: "P", auto_complete: true, auto_complete_desc: "d", auto_complete_hint: "[h]", display_name: "API one"}')"
assert_status 201
A_ID=$(jq -r .id <<<"$BODY")
A_TOKEN=$(jq -r .token <<<"$BODY")
assert_jq "shape" "$BODY" '.trigger == "api1" and .method == "P" and (.token | test("^[a-z0-9]{26}$")) and (.secret | startswith("whsec_")) and .creator_id != "" and .team_id == $t and .auto_complete == true and .delete_at == 0 and .create_at > 0 and has("plugin_id")' --arg t "$TEAM"
case_end

case_begin MG-2 "GET /api/v4/commands?team_id= as admin: built-ins and customs with tokens, never secrets"
api GET "/api/v4/commands?team_id=$TEAM"
assert_status 200
assert_jq "custom with token" "$BODY" 'any(.[]; .id == $i and .token == $k)' --arg i "$A_ID" --arg k "$A_TOKEN"
assert_jq "built-in echo" "$BODY" 'any(.[]; .trigger == "echo" and .token == "")'
assert_jq "no secrets" "$BODY" 'all(.[]; has("secret") | not)'
api GET "/api/v4/commands?team_id=$TEAM&custom_only=true"
assert_jq "custom_only" "$BODY" 'all(.[]; .trigger != "echo") and any(.[]; .id == $i)' --arg i "$A_ID"
case_end

case_begin MG-3 "as a plain member: autocomplete customs only, sanitised; custom_only -> 403; management -> 403"
http GET "$GRIOT_URL/api/v4/commands?team_id=$TEAM" -H "Authorization: Bearer $AT"
assert_status 200
assert_jq "sanitised" "$BODY" 'all(.[]; .token == "" and .url == "" and .method == "")'
assert_jq "auto_complete customs only" "$BODY" 'any(.[]; .trigger == "weather") and (any(.[]; .trigger == "only") | not)'
http GET "$GRIOT_URL/api/v4/commands?team_id=$TEAM&custom_only=true" -H "Authorization: Bearer $AT"
assert_apperror 403 api.context.permissions.app_error
http POST "$GRIOT_URL/api/v4/commands" -H "Authorization: Bearer $AT" --data-binary "$(jq -nc --arg t "$TEAM" '{team_id: $t, trigger: "mine", url: "http://a.example/", method: "P"}')"
assert_apperror 403 api.context.permissions.app_error
http GET "$GRIOT_URL/api/v4/teams/$TEAM/commands/autocomplete" -H "Authorization: Bearer $AT"
assert_status 200
assert_jq "autocomplete" "$BODY" 'any(.[]; .trigger == "api1" and .auto_complete_hint == "[h]" and .token == "") and any(.[]; .trigger == "shrug")'
http GET "$GRIOT_URL/api/v4/commands" -H "Authorization: Bearer $AT"
assert_apperror 400 api.context.invalid_url_param.app_error
case_end

case_begin MG-4 "GET/PUT one command; PUT with another id -> 400; validation errors"
api GET "/api/v4/commands/$A_ID"
assert_status 200
assert_jq "no secret" "$BODY" '.id == $i and (has("secret") | not) and .token == $k' --arg i "$A_ID" --arg k "$A_TOKEN"
api PUT "/api/v4/commands/$A_ID" "$(jq -nc --arg i "$A_ID" --arg t "$TEAM" --arg u "$APP/only" '{id: $i, team_id: $t, trigger: "api1b", url: $u, method: "G"}')"
assert_status 200
assert_jq "updated" "$BODY" '.trigger == "api1b" and .method == "G" and .token == $k and .auto_complete == false' --arg k "$A_TOKEN"
api PUT "/api/v4/commands/$A_ID" "$(jq -nc --arg t "$TEAM" '{id: "abcdefghijkmnopqrstuwxyz12", team_id: $t, trigger: "z", url: "http://a.example/", method: "P"}')"
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" '{team_id: $t, trigger: "ftp", url: "ftp://a.example/", method: "P"}')"
assert_apperror 400 model.command.is_valid.url_http.app_error
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" '{team_id: $t, trigger: "two words", url: "http://a.example/", method: "P"}')"
assert_apperror 400 model.command.is_valid.trigger.app_error
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" '{team_id: $t, trigger: "/slash", url: "http://a.example/", method: "P"}')"
assert_apperror 400 model.command.is_valid.trigger.app_error
api POST /api/v4/commands "$(jq -nc --arg t "$TEAM" '{team_id: $t, trigger: "m", url: "http://a.example/", method: "X"}')"
assert_apperror 400 model.command.is_valid.method.app_error
api GET "/api/v4/commands/abcdefghijkmnopqrstuwxyz12"
assert_status 404
case_end

case_begin MG-5 "regen_token: the app gets the new token; rotate_secret: the new secret verifies"
api PUT "/api/v4/commands/$W_ID/regen_token"
assert_status 200
NEWTOK=$(jq -r .token <<<"$BODY")
assert_match "token" "$NEWTOK" '^[a-z0-9]{26}$'
assert_ne "changed" "$W_TOKEN" "$NEWTOK"
api PUT "/api/v4/commands/$W_ID/rotate_secret"
assert_status 200
NEWSEC=$(jq -r .secret <<<"$BODY")
assert_match "secret" "$NEWSEC" '^whsec_'
assert_ne "changed" "$W_SECRET" "$NEWSEC"
# The app still knows the old secret under the new token: the signature must not verify.
remember_secret "$NEWTOK" "$W_SECRET"
n0=$(app_n)
run "$AT" "/weather Madrid"
assert_jq "new token sent" "$(app_req $((n0 + 1)))" '.fields.token == $t and .headers.authorization == "Token " + $t' --arg t "$NEWTOK"
assert_jq "old secret does not verify" "$(app_req $((n0 + 1)))" '.verified != true'
remember_secret "$NEWTOK" "$NEWSEC"
n0=$(app_n)
run "$AT" "/weather Lisbon"
assert_jq "new secret verifies" "$(app_req $((n0 + 1)))" '.verified == true'
case_end

case_begin MG-6 "DELETE -> 200 OK; the trigger is gone, and so is its response_url"
n0=$(app_n)
mkcmd gone /only
run "$AT" "/gone"
GONE_URL=$(app_req $((n0 + 1)) | jq -r .fields.response_url)
api DELETE "/api/v4/commands/$CMD_ID"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
run "$AT" "/gone"
assert_apperror 404 api.command.execute_command.not_found.app_error
http POST "$GONE_URL" -H 'Content-Type: text/plain' --data-binary 'after delete'
assert_apperror 404 app.command_webhook.get.missing
cli command delete "$A_ID"
assert_eq "CLI delete" 0 "$CLI_RC"
assert_contains "CLI delete output" "$CLI_OUT" "deleted $A_ID"
case_end

# ---- responses (§3.5) ------------------------------------------------------------------------
case_begin SC-extra "extra_responses: each handled (2 posts stored, the ephemeral one not)"
run "$AT" "/extra one"
assert_status 200
assert_jq "answer keeps extra_responses" "$BODY" '.extra_responses | length == 2'
assert_eq "main post" 1 "$(wait_post 'main one' | jq length)"
assert_eq "extra post" 1 "$(wait_post 'extra one' | jq length)"
assert_eq "ephemeral extra not stored" 0 "$(posts_with 'extra eph' | jq length)"
case_end

case_begin SC-channel "a response's channel_id: a channel alice is in gets the post; one she is not in -> 403, no post"
run "$AT" "/elsewhere"
assert_status 200
assert_jq "posted in off-topic" "$(wait_post there off-topic)" 'length == 1 and .[0].user_id == $a' --arg a "$ALICE"
run "$AT" "/secretpost"
assert_apperror 403 api.command.command_post.forbidden.app_error
assert_eq "nothing in the private channel" 0 "$(posts_with there secretroom | jq length)"
case_end

case_begin SC-markup "Slack markup converted unless skip_slack_parsing; the command's username wins, the response's icon applies"
run "$AT" "/markup"
P=$(wait_post '[A link](https://a.example) @channel')
assert_jq "converted" "$P" 'length == 1'
assert_jq "overrides" "$P" '.[0].props.override_username == "cmduser" and .[0].props.override_icon_url == "http://resp/icon"'
run "$AT" "/markup skip"
assert_eq "kept as is" 1 "$(wait_post '<https://a.example|A link> <!channel>' | jq length)"
case_end

case_begin SC-null "a reply of JSON null -> 200, nothing posted"
before=$(post_count town-square)
run "$AT" "/empty"
assert_status 200
assert_eq "no post" "$before" "$(post_count town-square)"
case_end

case_begin SC-app-delayed "the app itself answers later through response_url"
n0=$(app_n)
run "$AT" "/delayed"
assert_jq "first answer" "$BODY" '.text == "working on it"'
P=$(wait_post 'later from the app')
assert_jq "delayed post by alice" "$P" 'length >= 1 and .[0].user_id == $a' --arg a "$ALICE"
deadline=$((SECONDS + 5))
until app_log | grep -q '"DELAYED"' || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
assert_jq "the app saw 200" "$(app_log | grep '"DELAYED"' | tail -n 1)" '.status == 200'
case_end

# ---- bad apps --------------------------------------------------------------------------------
case_begin BAD-slow "an app slower than --outgoing-timeout 2 -> 500 failed after ~2 s, no post"
t0=$(date +%s%N)
run "$AT" "/slow"
el=$((($(date +%s%N) - t0) / 1000000))
assert_apperror 500 api.command.execute_command.failed.app_error
if [ "$el" -lt 1500 ] || [ "$el" -gt 4500 ]; then _err "answered after $el ms, expected about 2000"; fi
assert_eq "no post" 0 "$(posts_with 'too late' | jq length)"
case_end

case_begin BAD-dead "nothing listening -> 500 failed, no post"
before=$(post_count town-square)
run "$AT" "/dead"
assert_apperror 500 api.command.execute_command.failed.app_error
assert_eq "no post" "$before" "$(post_count town-square)"
case_end

case_begin BAD-junk "JSON content type with a body that is not JSON -> 500 failed"
run "$AT" "/junk"
assert_apperror 500 api.command.execute_command.failed.app_error
case_end

case_begin BAD-huge "a reply over outgoing_max_response -> 500 failed"
run "$AT" "/huge"
assert_apperror 500 api.command.execute_command.failed.app_error
case_end

case_begin BAD-hook-size "a response_url body over the payload limit -> 413, nothing used"
head -c 400000 /dev/zero | tr '\0' 'a' >"$_IT_TMP/big.txt"
http POST "$R2" -H 'Content-Type: text/plain' --data-binary "@$_IT_TMP/big.txt"
assert_status 413
case_end

# ---- built-ins -------------------------------------------------------------------------------
case_begin BI-echo "/echo posts the text as alice (no from_webhook); quotes and a delay are parsed"
run "$AT" "/echo hello there"
assert_status 200
assert_jq "empty CommandResponse" "$BODY" '.response_type == "" and .text == "" and .goto_location == ""'
P=$(wait_post "hello there")
assert_jq "post" "$P" 'length == 1 and .[0].user_id == $a and .[0].type == "" and (.[0].props.from_webhook == null)' --arg a "$ALICE"
run "$AT" '/echo "quoted words" 0'
assert_eq "quoted" 1 "$(wait_post 'quoted words' | jq length)"
before=$(post_count town-square)
run "$AT" "/echo"
assert_status 200
assert_eq "empty /echo posts nothing" "$before" "$(post_count town-square)"
run "$AT" '/echo "x" 20000'
assert_jq "long delay refused" "$BODY" '.text | test("10000")'
case_end

case_begin BI-echo-long "/echo of 16384 characters -> 500 create_post_failed (Post.IsValid), nothing stored"
before=$(post_count town-square)
run "$AT" "/echo $(head -c 16384 /dev/zero | tr '\0' x)"
assert_apperror 500 api.command.execute_command.create_post_failed.app_error
assert_jq "the reason in detailed_error" "$BODY" '.detailed_error == "model.post.is_valid.msg.app_error"'
assert_eq "no post" "$before" "$(post_count town-square)"
run "$AT" "/echo $(head -c 16383 /dev/zero | tr '\0' y)"
assert_status 200
assert_eq "16383 characters are stored" 1 "$(wait_post "$(head -c 16383 /dev/zero | tr '\0' y)" | jq length)"
case_end

case_begin BI-me-shrug "/me and /shrug"
run "$AT" "/me dances"
assert_status 200
assert_jq "/me post" "$(wait_post '*dances*')" 'length == 1 and .[0].type == "me" and .[0].user_id == $a' --arg a "$ALICE"
run "$AT" "/shrug oh well"
assert_status 200
assert_eq "/shrug post" 1 "$(wait_post 'oh well ¯\\\_(ツ)\_/¯' | jq length)"
run "$AT" "/SHRUG"
assert_eq "/shrug alone" 1 "$(wait_post '¯\\\_(ツ)\_/¯' | jq length)"
case_end

case_begin BI-help "/help -> 200 ephemeral, nothing stored"
before=$(post_count town-square)
run "$AT" "/help"
assert_status 200
assert_jq "ephemeral text lists commands" "$BODY" '(.text | contains("/weather [city]")) and (.text | contains("/echo"))'
assert_eq "no post" "$before" "$(post_count town-square)"
case_end

members_of() { # members_of CHANNEL_ID: user ids, as admin
    http GET "$GRIOT_URL/api/v4/channels/$1/members" -H "Authorization: Bearer $ADMIN_TOKEN"
    jq -c '[.[].user_id]' <<<"$BODY"
}
case_begin BI-join-leave "/leave in off-topic -> goto town-square, no longer a member; /join ~off-topic -> back, goto off-topic"
run "$AT" "/leave" "$OT"
assert_status 200
assert_jq "goto town-square" "$BODY" '.goto_location == $u' --arg u "http://127.0.0.1:$PORT/main/channels/town-square"
assert_jq "left" "$(members_of "$OT")" 'index($a) == null' --arg a "$ALICE"
run "$AT" "/join ~off-topic"
assert_status 200
assert_jq "goto off-topic" "$BODY" '.goto_location == $u' --arg u "http://127.0.0.1:$PORT/main/channels/off-topic"
assert_jq "joined" "$(members_of "$OT")" 'index($a) != null' --arg a "$ALICE"
run "$AT" "/leave"
assert_status 200
assert_jq "town-square cannot be left" "$BODY" '.text | contains("default channel")'
assert_jq "still a member" "$(members_of "$TS")" 'index($a) != null' --arg a "$ALICE"
run "$AT" "/join secretroom"
assert_status 200
assert_jq "private channel: explained" "$BODY" '.goto_location == "" and (.text | length) > 0'
assert_jq "not joined" "$(members_of "$SECRET_CH")" 'index($a) == null' --arg a "$ALICE"
run "$AT" "/join nosuchchannel"
assert_jq "unknown channel: explained" "$BODY" '.goto_location == "" and (.text | length) > 0'
case_end

case_begin BI-forbidden "running a command in a channel one is not a member of -> 403"
run "$AT" "/echo hi" "$SECRET_CH"
assert_apperror 403 api.context.permissions.app_error
case_end

# ---- the official client and WebSockets ------------------------------------------------------
WORK="$_IT_TMP/cc"
jq -n --arg base "$GRIOT_URL" --arg team "$TEAM" --arg ch "$TS" --arg a "$ALICE" --arg b "$BOB" \
    '{base: $base, teamId: $team, channelId: $ch,
      alice: {name: "alice", password: "alice-cmd-pw-1", id: $a},
      bob: {name: "bob", password: "bob-cmd-pw-1", id: $b}}' >"$WORK.json"
rc=0
node "$NODE_DIR/command-client.mjs" "$WORK" >"$WORK.out" 2>"$WORK.err" || rc=$?
done_line=no
if [ -e "$WORK.results" ]; then
    while IFS= read -r l; do
        case $l in
        "ok "*) l=${l#ok }; ok "${l%% *}" "${l#* }" ;;
        "fail "*) l=${l#fail }; fail "${l%% *}" "${l#* }" ;;
        "# done") done_line=yes ;;
        *) echo "$l" ;;
        esac
    done <"$WORK.results"
fi
if [ "$rc" -ne 0 ] || [ "$done_line" != yes ]; then
    fail CC-run "node command-client.mjs exited $rc before finishing; its stderr:"
    tail -n 30 "$WORK.err" | sed 's/^/#   /'
fi

griot_stop

# ---- the SSRF guard on redirects, and commands switched off ---------------------------------
# A second app on 127.0.0.2, which this griot does not allow-list (only 127.0.0.1/32).
app_start inner 127.0.0.2
PORT2=$(free_port)
griot_start --listen "127.0.0.1:$PORT2" --site-url "http://127.0.0.1:$PORT2" \
    --set allow_internal=127.0.0.1/32 --set outgoing_timeout=2
cli command create --team main --trigger hop --url "$APP/redirect?to=http://127.0.0.2:$APP_inner/sunny"
cli command create --team main --trigger direct --url "$APP/sunny"
TS2=$(channel_id town-square)
case_begin BAD-redirect "a redirect to a loopback address outside allow_internal -> refused, 500 failed, never reached"
run "$ADMIN_TOKEN" "/direct ok" "$TS2"
assert_status 200
run "$ADMIN_TOKEN" "/hop x" "$TS2"
assert_apperror 500 api.command.execute_command.failed.app_error
assert_eq "the inner app got nothing" 0 "$(app_n inner)"
case_end
griot_stop

griot_start --set enable_commands=false --set allow_internal=127.0.0.1/8
cli command create --team main --trigger off --url "$APP/sunny"
TS3=$(channel_id town-square)
case_begin SC-disabled "enable_commands=false: custom commands and management -> 501; built-ins still work"
run "$ADMIN_TOKEN" "/off x" "$TS3"
assert_apperror 501 api.command.disabled.app_error
http POST "$GRIOT_URL/api/v4/commands" -H "Authorization: Bearer $ADMIN_TOKEN" --data-binary '{}'
assert_apperror 501 api.command.disabled.app_error
run "$ADMIN_TOKEN" "/shrug" "$TS3"
assert_status 200
case_end
griot_stop
finish
