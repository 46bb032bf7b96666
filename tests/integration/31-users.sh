#!/usr/bin/env bash
# Users, bots, tokens and roles (spec §5.1-§5.4, §5.7, §9): the CLI (user/bot/token/channel add,
# hook create --creator), login/logout and sessions, every auth form of §5.1 with the 401/403
# AppError shapes, personal access tokens, bots, ID-5, and the incoming-webhook cases that need
# other users (IW-10, IW-11, IW-26). Each case checks the HTTP answer and what was stored.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Cheap password hashing for the whole script (server and CLI read the same variables).
export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=1024

griot_start --set hook_rate=0
API="$GRIOT_URL/api/v4"
ADMIN=(-H "Authorization: Bearer $ADMIN_TOKEN")
JSON=(-H 'Content-Type: application/json')
USER_KEYS='has("id") and has("create_at") and has("update_at") and has("delete_at") and has("username") and has("auth_service") and has("email") and has("nickname") and has("first_name") and has("last_name") and has("position") and has("roles") and has("locale") and has("timezone") and (has("password") | not)'

# login NAME PASSWORD: POST /users/login; sets SESSION (the Token header) on success.
login() {
    http POST "$API/users/login" "${JSON[@]}" \
        --data-binary "$(jq -nc --arg l "$1" --arg p "$2" '{login_id: $l, password: $p}')"
    SESSION=$(hdr Token)
}
# as TOKEN METHOD PATH [curl args...]: an API call with Authorization: Bearer TOKEN.
as() {
    local tok=$1 method=$2 path=$3
    shift 3
    http "$method" "$API$path" -H "Authorization: Bearer $tok" "$@"
}
id_of() { printf '%s' "$1" | jq -r '.id // .user_id // empty' 2>/dev/null || true; }

# --- CLI: users, channel add, hook --creator ---------------------------------------------------

case_begin CLI-U1 "griot user create NAME --password P [--email E]: prints the id; rules enforced"
cli user create alice --password alice-pass-1 --email Alice@Example.org
assert_eq "exit" 0 "$CLI_RC"
ALICE=$CLI_OUT
assert_match "id" "$ALICE" '^[a-z0-9]{26}$'
cli user create bob --password bob-pass-12
BOB=$CLI_OUT
assert_match "bob id" "$BOB" '^[a-z0-9]{26}$'
cli user create Alice --password whatever-1
assert_eq "duplicate exit" 1 "$CLI_RC"
cli user create all --password whatever-1
assert_eq "reserved exit (ID-5)" 1 "$CLI_RC"
assert_contains "reserved message" "$CLI_ERR" "reserved"
cli user create carol --password short
assert_eq "short password exit" 1 "$CLI_RC"
case_end

case_begin CLI-C1 "griot channel create secret --private; channel add: checks names, adds members"
cli channel create secret --private
assert_eq "create exit" 0 "$CLI_RC"
SECRET_ID=$CLI_OUT
cli channel add secret bob nobody-here
assert_eq "unknown user exit" 1 "$CLI_RC"
assert_contains "message" "$CLI_ERR" "nobody-here"
cli channel add secret bob
assert_eq "add exit" 0 "$CLI_RC"
assert_eq "output" "added bob to secret" "$CLI_OUT"
case_end

case_begin CLI-H1 "griot hook create --creator alice: the hook posts as alice"
H=$(hook_create --channel town-square --creator alice)
t=$(uniq_text CLI-H1)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
assert_jq "stored as alice" "$(last_post town-square)" '.message == $t and .user_id == $u' --arg t "$t" --arg u "$ALICE"
cli hook create --channel town-square --creator nobody-here
assert_eq "unknown creator exit" 1 "$CLI_RC"
case_end

# --- IW cases that need other users ------------------------------------------------------------

case_begin IW-10 '{"channel":"@bob"} -> 200; post in the DM named <min>__<max> of alice and bob'
t=$(uniq_text IW-10)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, channel: "@bob"}')"
assert_ok_response
if [[ "$ALICE" < "$BOB" ]]; then DM="${ALICE}__${BOB}"; else DM="${BOB}__${ALICE}"; fi
assert_jq "stored in the DM" "$(last_post "$DM")" '.message == $t and .user_id == $u' --arg t "$t" --arg u "$ALICE"
post_json "$H" "$(jq -nc --arg t "$t-2" '{text: $t, channel: "@BOB"}')"
assert_ok_response
assert_eq "same DM reused (2 posts)" 2 "$(post_count "$DM")"
case_end

case_begin IW-11 '{"channel":"@nobody"} -> 400 web.incoming_webhook.user.app_error; nothing stored'
before=$(total_posts)
post_json "$H" '{"text":"hi","channel":"@nobody"}'
assert_apperror 400 web.incoming_webhook.user.app_error
assert_eq "nothing stored" "$before" "$(total_posts)"
case_end

case_begin IW-26 'private channel, creator not a member -> 403 permissions; after channel add -> 200'
before=$(post_count secret)
post_json "$H" '{"text":"x","channel":"secret"}'
assert_apperror 403 web.incoming_webhook.permissions.app_error
assert_eq "nothing stored in secret" "$before" "$(post_count secret)"
cli channel add secret alice
assert_eq "channel add exit" 0 "$CLI_RC"
t=$(uniq_text IW-26)
post_json "$H" "$(jq -nc --arg t "$t" '{text: $t, channel: "secret"}')"
assert_ok_response
assert_jq "stored in secret" "$(last_post secret)" '.message == $t and .channel_id == $c' --arg t "$t" --arg c "$SECRET_ID"
case_end

# --- login, sessions, logout -------------------------------------------------------------------

case_begin AU-1 "login by username -> 200 User, Token header, MMAUTHTOKEN cookie (HttpOnly)"
login alice alice-pass-1
assert_status 200
assert_jq "User keys, no password" "$BODY" "$USER_KEYS"
assert_jq "the user, email shown to self" "$BODY" '.id == $a and .username == "alice" and .email == "alice@example.org" and .roles == "system_user" and (.is_bot // false) == false' --arg a "$ALICE"
assert_match "Token header" "$SESSION" '^[a-z0-9]{26}$'
assert_match "cookie" "$(hdr Set-Cookie)" "^MMAUTHTOKEN=$SESSION; Path=/; Max-Age=[0-9]+; HttpOnly"
S_ALICE=$SESSION
case_end

case_begin AU-2 "login by email (any case); bad credentials, blank password, bot login, bad JSON"
login ALICE@example.ORG alice-pass-1
assert_status 200
assert_ne "a new session" "$S_ALICE" "$SESSION"
login alice wrong-password
assert_apperror 401 api.user.login.invalid_credentials_email_username
assert_eq "no Token header on failure" "" "$(hdr Token)"
login nobody-at-all alice-pass-1
assert_apperror 401 api.user.login.invalid_credentials_email_username
login admin anything-goes
assert_apperror 401 api.user.login.invalid_credentials_email_username
login alice ''
assert_apperror 400 api.user.login.blank_pwd.app_error
http POST "$API/users/login" "${JSON[@]}" --data-binary '{"login_id":'
assert_apperror 400 api.context.invalid_body_param.app_error
http POST "$API/users/login" "${JSON[@]}" --data-binary '{"login_id":"alice","password":5}'
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

case_begin AU-3 "a session works with Bearer, BEARER, Token, and the MMAUTHTOKEN cookie"
for scheme in Bearer BEARER Token token; do
    http GET "$API/users/me" -H "Authorization: $scheme $S_ALICE"
    assert_status 200
    assert_jq "$scheme: me" "$BODY" '.id == $a' --arg a "$ALICE"
done
http GET "$API/users/me" -H "Cookie: MMAUTHTOKEN=$S_ALICE"
assert_status 200
assert_jq "cookie: me" "$BODY" '.id == $a' --arg a "$ALICE"
# A cookie alone does not authenticate a POST (CSRF); with X-Requested-With it does.
http POST "$API/users/ids" "${JSON[@]}" -H "Cookie: MMAUTHTOKEN=$S_ALICE" --data-binary "[\"$BOB\"]"
assert_apperror 401 api.context.session_expired.app_error
http POST "$API/users/ids" "${JSON[@]}" -H "Cookie: MMAUTHTOKEN=$S_ALICE" -H 'X-Requested-With: XMLHttpRequest' --data-binary "[\"$BOB\"]"
assert_status 200
# access_token in the query is for WebSocket upgrades only.
http GET "$API/users/me?access_token=$S_ALICE"
assert_apperror 401 api.context.session_expired.app_error
case_end

case_begin AU-4 "logout -> 200 OK, cookie cleared, the session is dead; logout without a session -> 200"
login alice alice-pass-1
s=$SESSION
as "$s" POST /users/logout
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
assert_match "cookie cleared" "$(hdr Set-Cookie)" '^MMAUTHTOKEN=; Path=/; Max-Age=0'
as "$s" GET /users/me
assert_apperror 401 api.context.session_expired.app_error
as "$S_ALICE" GET /users/me
assert_status 200
http POST "$API/users/logout"
assert_status 200
case_end

case_begin AU-5 "secrets: the store keeps an argon2id hash and token digests; no password in the log"
hash=$(sqlite3 "$GRIOT_DATA/griot.db" "SELECT password_hash FROM users WHERE username = 'alice'")
assert_match "argon2id" "$hash" '^\$argon2id\$v=19\$m=1024,t=1,p=1\$'
assert_eq "no plain password in users" 0 "$(sqlite3 "$GRIOT_DATA/griot.db" "SELECT count(*) FROM users WHERE password_hash LIKE '%alice-pass-1%'")"
assert_eq "session stored as its digest" 0 "$(sqlite3 "$GRIOT_DATA/griot.db" "SELECT count(*) FROM tokens WHERE hash = '$S_ALICE' OR id = '$S_ALICE'")"
assert_eq "one digest matches" 1 "$(sqlite3 "$GRIOT_DATA/griot.db" "SELECT count(*) FROM tokens WHERE kind = 'session' AND hash = '$(printf '%s' "$S_ALICE" | sha256sum | cut -d' ' -f1)'")"
if grep -q -e alice-pass-1 -e "$S_ALICE" "$GRIOT_DATA/serve.err" "$GRIOT_DATA/serve.out"; then
    _err "a password or session token reached the server's output"
fi
case_end

# --- 401 / 403 and the users resource ----------------------------------------------------------

case_begin RB-4 "GET /users/me without auth / with a bad token -> 401 AppError"
http GET "$API/users/me"
assert_apperror 401 api.context.session_expired.app_error
http GET "$API/users/me" -H "Authorization: Bearer nope"
assert_apperror 401 api.context.session_expired.app_error
http GET "$API/users/me" -H "Authorization: Basic $S_ALICE"
assert_apperror 401 api.context.session_expired.app_error
case_end

case_begin US-1 "GET /users/{id}: others see no email, admins do; bad ids 400; unknown 404"
as "$S_ALICE" GET "/users/$BOB"
assert_status 200
assert_jq "bob, sanitised" "$BODY" '.id == $b and .username == "bob" and .email == "" and (has("last_password_update") | not)' --arg b "$BOB"
as "$S_ALICE" GET "/users/me"
assert_jq "me" "$BODY" '.id == $a and .email == "alice@example.org"' --arg a "$ALICE"
as "$ADMIN_TOKEN" GET "/users/$ALICE"
assert_jq "admin sees the email" "$BODY" '.email == "alice@example.org"'
as "$S_ALICE" GET /users/abc
assert_apperror 400 api.context.invalid_url_param.app_error
as "$S_ALICE" GET /users/abcdefghijkmnopqrstuwxyz12
assert_apperror 404 app.user.missing_account.const
case_end

case_begin RB-7 "GET /users/username/Alice (case-insensitive) -> 200; unknown -> 404"
as "$S_ALICE" GET /users/username/ALICE
assert_status 200
assert_jq "alice" "$BODY" '.id == $a' --arg a "$ALICE"
as "$S_ALICE" GET /users/username/no.such-user_x
assert_apperror 404 app.user.get_by_username.app_error
case_end

case_begin US-2 "POST /users/ids and /users/usernames; GET /users/me/teams"
as "$S_ALICE" POST /users/ids "${JSON[@]}" --data-binary "[\"$BOB\",\"abcdefghijkmnopqrstuwxyz12\",\"$ALICE\"]"
assert_status 200
assert_jq "known ids only, bob sanitised" "$BODY" 'length == 2 and ([.[].id] | sort) == ([$a,$b] | sort) and (.[] | select(.id == $b) | .email) == ""' --arg a "$ALICE" --arg b "$BOB"
as "$S_ALICE" POST /users/ids "${JSON[@]}" --data-binary '["short"]'
assert_apperror 400 api.context.invalid_body_param.app_error
as "$S_ALICE" POST /users/ids "${JSON[@]}" --data-binary '[]'
assert_apperror 400 api.context.invalid_body_param.app_error
as "$S_ALICE" POST /users/usernames "${JSON[@]}" --data-binary '["BOB","nobody-here","admin"]'
assert_status 200
assert_jq "bob and admin" "$BODY" '[.[].username] | sort == ["admin","bob"]'
as "$S_ALICE" GET /users/me/teams
assert_status 200
assert_jq "team main" "$BODY" 'length == 1 and .[0].name == "main" and .[0].type == "O"'
as "$S_ALICE" GET "/users/$BOB/teams"
assert_apperror 403 api.context.permissions.app_error
case_end

case_begin US-3 "POST /users: admins only (403), ID-5 reserved names 400, created user can log in"
as "$S_ALICE" POST /users "${JSON[@]}" --data-binary '{"username":"dave","password":"dave-pass-1"}'
assert_apperror 403 api.context.permissions.app_error
for n in all channel; do
    as "$ADMIN_TOKEN" POST /users "${JSON[@]}" --data-binary "{\"username\":\"$n\",\"email\":\"$n@x.org\",\"password\":\"some-pass-1\"}"
    assert_apperror 400 model.user.is_valid.username.app_error
done
as "$ADMIN_TOKEN" POST /users "${JSON[@]}" --data-binary '{"username":"Dave","email":"dave@x.org","password":"dave-pass-1","first_name":"Dave"}'
assert_status 201
assert_jq "created" "$BODY" '.username == "dave" and .first_name == "Dave" and .email == "dave@x.org"'
as "$ADMIN_TOKEN" POST /users "${JSON[@]}" --data-binary '{"username":"dave","email":"dave2@x.org","password":"dave-pass-1"}'
assert_apperror 400 app.user.save.username_exists.app_error
as "$ADMIN_TOKEN" POST /users "${JSON[@]}" --data-binary '{"username":"erin","password":"short"}'
assert_apperror 400 model.user.is_valid.pwd.app_error
login dave dave-pass-1
assert_status 200
case_end

case_begin US-4 "roles on existing endpoints: a user's session -> 403 on admin hooks; admin session -> 200"
as "$S_ALICE" GET /hooks/incoming
assert_apperror 403 api.context.permissions.app_error
cli user password admin --password admin-pass-1
assert_eq "user password exit" 0 "$CLI_RC"
login admin admin-pass-1
assert_status 200
as "$SESSION" GET /hooks/incoming
assert_status 200
assert_jq "hooks listed" "$BODY" 'type == "array" and length >= 2'
case_end

# --- personal access tokens --------------------------------------------------------------------

case_begin PAT-1 "POST /users/me/tokens -> 200 with token (once); it authenticates; list/get omit it"
as "$S_ALICE" POST /users/me/tokens "${JSON[@]}" --data-binary '{"description":"ci"}'
assert_status 200
assert_jq "token object" "$BODY" '.user_id == $a and .description == "ci" and .is_active == true and (.token | test("^[a-z0-9]{26}$")) and (.id | length) == 26' --arg a "$ALICE"
PAT=$(printf '%s' "$BODY" | jq -r .token)
PAT_ID=$(printf '%s' "$BODY" | jq -r .id)
as "$PAT" GET /users/me
assert_jq "PAT is alice" "$BODY" '.id == $a' --arg a "$ALICE"
as "$S_ALICE" GET "/users/$ALICE/tokens"
assert_status 200
assert_jq "listed without token" "$BODY" 'length == 1 and .[0].id == $i and (.[0] | has("token") | not)' --arg i "$PAT_ID"
as "$S_ALICE" GET "/users/tokens/$PAT_ID"
assert_jq "get without token" "$BODY" '.id == $i and (has("token") | not)' --arg i "$PAT_ID"
as "$S_ALICE" POST /users/me/tokens "${JSON[@]}" --data-binary '{"description":""}'
assert_apperror 400 model.user_access_token.is_valid.description.app_error
case_end

case_begin PAT-2 "others' tokens -> 403 (bob); admins may; GET /users/tokens is admin-only"
login bob bob-pass-12
S_BOB=$SESSION
as "$S_BOB" GET "/users/$ALICE/tokens"
assert_apperror 403 api.context.permissions.app_error
as "$S_BOB" GET "/users/tokens/$PAT_ID"
assert_apperror 403 api.context.permissions.app_error
as "$S_BOB" POST /users/tokens/disable "${JSON[@]}" --data-binary "{\"token_id\":\"$PAT_ID\"}"
assert_apperror 403 api.context.permissions.app_error
as "$S_BOB" POST "/users/$ALICE/tokens" "${JSON[@]}" --data-binary '{"description":"mine now"}'
assert_apperror 403 api.context.permissions.app_error
as "$S_BOB" GET /users/tokens
assert_apperror 403 api.context.permissions.app_error
as "$ADMIN_TOKEN" GET /users/tokens
assert_status 200
assert_jq "all PATs, no secrets" "$BODY" 'any(.[]; .id == $i) and all(.[]; has("token") | not)' --arg i "$PAT_ID"
case_end

case_begin PAT-3 "disable -> 401 with it; enable -> works; revoke -> 401 and 404; bad token_id -> 400"
as "$S_ALICE" POST /users/tokens/disable "${JSON[@]}" --data-binary "{\"token_id\":\"$PAT_ID\"}"
assert_status 200
assert_jq "OK" "$BODY" '.status == "OK"'
as "$PAT" GET /users/me
assert_apperror 401 api.context.session_expired.app_error
as "$S_ALICE" GET "/users/tokens/$PAT_ID"
assert_jq "inactive" "$BODY" '.is_active == false'
as "$S_ALICE" POST /users/tokens/enable "${JSON[@]}" --data-binary "{\"token_id\":\"$PAT_ID\"}"
assert_status 200
as "$PAT" GET /users/me
assert_status 200
as "$S_ALICE" POST /users/tokens/revoke "${JSON[@]}" --data-binary "{\"token_id\":\"$PAT_ID\"}"
assert_status 200
as "$PAT" GET /users/me
assert_apperror 401 api.context.session_expired.app_error
as "$S_ALICE" GET "/users/tokens/$PAT_ID"
assert_apperror 404 app.user_access_token.get_by_user.app_error
as "$S_ALICE" POST /users/tokens/revoke "${JSON[@]}" --data-binary '{"token_id":"nope"}'
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

# --- bots ----------------------------------------------------------------------------------------

case_begin CLI-B1 "griot bot create: id first, token last; RB-2/RB-3 with that token; token revoke"
cli bot create deploy-bot --display "Deploy" --owner alice
assert_eq "exit" 0 "$CLI_RC"
DBOT=$(printf '%s\n' "$CLI_OUT" | head -n 1)
DBOT_TOKEN=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
assert_match "bot id" "$DBOT" '^[a-z0-9]{26}$'
assert_match "token" "$DBOT_TOKEN" '^[a-z0-9]{26}$'
for scheme in Bearer BEARER Token; do
    http GET "$API/users/me" -H "Authorization: $scheme $DBOT_TOKEN"
    assert_status 200
    assert_jq "$scheme: the bot" "$BODY" '.id == $b and .is_bot == true and .username == "deploy-bot" and .first_name == "Deploy"' --arg b "$DBOT"
done
as "$S_ALICE" GET "/users/$DBOT"
assert_jq "bot email hidden from others" "$BODY" '.email == "" and .is_bot == true'
as "$DBOT_TOKEN" GET /users/me/teams
assert_jq "bot joined main" "$BODY" '.[0].name == "main"'
as "$S_ALICE" GET "/users/$DBOT/tokens"
assert_status 200
tid=$(printf '%s' "$BODY" | jq -r '.[0].id // empty' 2>/dev/null || true)
cli token revoke "$tid"
assert_eq "revoke exit" 0 "$CLI_RC"
as "$DBOT_TOKEN" GET /users/me
assert_apperror 401 api.context.session_expired.app_error
cli token revoke "$tid"
assert_eq "revoke again exit" 1 "$CLI_RC"
cli bot create all
assert_eq "reserved bot name exit" 1 "$CLI_RC"
case_end

case_begin BOT-1 "POST /bots -> 201 Bot owned by the caller; ID-5; duplicate name 400"
as "$S_ALICE" POST /bots "${JSON[@]}" --data-binary '{"username":"Alert-Bot","display_name":"Alerts","description":"pages people"}'
assert_status 201
assert_jq "Bot" "$BODY" '.username == "alert-bot" and .display_name == "Alerts" and .description == "pages people" and .owner_id == $a and .delete_at == 0 and (.user_id | length) == 26 and (has("email") | not)' --arg a "$ALICE"
ABOT=$(printf '%s' "$BODY" | jq -r .user_id)
for n in all channel; do
    as "$S_ALICE" POST /bots "${JSON[@]}" --data-binary "{\"username\":\"$n\"}"
    assert_apperror 400 model.user.is_valid.username.app_error
done
as "$S_ALICE" POST /bots "${JSON[@]}" --data-binary '{"username":"bob"}'
assert_apperror 400 app.user.save.username_exists.app_error
as "$S_ALICE" POST "/users/$ABOT/tokens" "${JSON[@]}" --data-binary '{"description":"bot token"}'
assert_status 200
ABOT_TOKEN=$(printf '%s' "$BODY" | jq -r '.token // empty' 2>/dev/null || true)
as "$ABOT_TOKEN" POST /bots "${JSON[@]}" --data-binary '{"username":"bot-made-bot"}'
assert_apperror 403 api.context.permissions.app_error
case_end

case_begin BOT-2 "GET /bots (own bots; admin all), GET /bots/{id} (others -> 404), PUT patch"
as "$S_ALICE" GET /bots
assert_status 200
assert_jq "alice's bots" "$BODY" '[.[].username] | sort == ["alert-bot","deploy-bot"]'
as "$S_BOB" GET /bots
assert_jq "bob has none" "$BODY" 'length == 0'
as "$ADMIN_TOKEN" GET "/bots?per_page=200"
assert_jq "admin sees all" "$BODY" 'length >= 2'
as "$S_BOB" GET "/bots/$ABOT"
assert_apperror 404 store.sql_bot.get.missing.app_error
as "$S_ALICE" GET "/bots/$BOB"
assert_apperror 404 store.sql_bot.get.missing.app_error
as "$S_ALICE" GET /bots/abc
assert_apperror 400 api.context.invalid_url_param.app_error
as "$S_ALICE" PUT "/bots/$ABOT" "${JSON[@]}" --data-binary '{"display_name":"Alerting","description":"wakes people"}'
assert_status 200
assert_jq "patched" "$BODY" '.display_name == "Alerting" and .description == "wakes people" and .username == "alert-bot" and .update_at >= .create_at'
case_end

case_begin BOT-3 "disable -> delete_at set, its token 401; enable -> back; assign to bob"
as "$S_ALICE" POST "/bots/$ABOT/disable"
assert_status 200
assert_jq "disabled" "$BODY" '.delete_at > 0'
as "$ABOT_TOKEN" GET /users/me
assert_apperror 401 api.context.session_expired.app_error
as "$S_ALICE" GET "/bots/$ABOT"
assert_apperror 404 store.sql_bot.get.missing.app_error
as "$S_ALICE" GET "/bots/$ABOT?include_deleted=true"
assert_status 200
as "$S_ALICE" POST "/bots/$ABOT/enable"
assert_jq "enabled" "$BODY" '.delete_at == 0'
as "$ABOT_TOKEN" GET /users/me
assert_status 200
as "$S_ALICE" POST "/bots/$ABOT/assign/$BOB"
assert_status 200
assert_jq "owner bob" "$BODY" '.owner_id == $b' --arg b "$BOB"
as "$S_ALICE" GET "/bots/$ABOT"
assert_apperror 404 store.sql_bot.get.missing.app_error
as "$S_BOB" GET "/bots/$ABOT"
assert_status 200
case_end
griot_stop

# --- switches: tokens and bot creation off ------------------------------------------------------

griot_start --set enable_user_access_tokens=false --set enable_bot_account_creation=false
API="$GRIOT_URL/api/v4"
cli user create alice --password alice-pass-1

case_begin RB-17 "tokens disabled: POST /users/{id}/tokens -> 501; PATs (the admin's too) -> 401"
login alice alice-pass-1
assert_status 200
as "$SESSION" POST /users/me/tokens "${JSON[@]}" --data-binary '{"description":"ci"}'
assert_apperror 501 app.user_access_token.disabled
as "$ADMIN_TOKEN" GET /users/me
assert_apperror 401 api.context.session_expired.app_error
as "$SESSION" GET /users/me
assert_status 200
case_end

case_begin BOT-4 "bot creation disabled: POST /bots -> 403 api.bot.create_disabled; the CLI still works"
as "$SESSION" POST /bots "${JSON[@]}" --data-binary '{"username":"nope-bot"}'
assert_apperror 403 api.bot.create_disabled
cli bot create cli-bot
assert_eq "CLI exit" 0 "$CLI_RC"
case_end
griot_stop
finish
