#!/usr/bin/env bash
# Interactive message buttons and menus (spec mattermost-compat §4, IA-1 ... IA-12) against a
# real app: node/actions-app.mjs (Node's `http` module) is the integration behind the actions;
# it verifies griot's Standard Webhooks signature with npm `standardwebhooks` against every
# secret griot printed: `griot integration-secret` (buttons of posts by bots, users and incoming
# webhooks) and those of the commands and outgoing hooks that made a post (their buttons are
# signed with their own secret). Users click with curl and with the official client
# (npm `@mattermost/client`, node/actions-client.mjs); what they see arrives on a real
# WebSocket (npm `ws`, node/actions-ws.mjs). Beyond the IA- cases: a slow app (timeout), junk,
# an empty answer, an action of another post, a deleted post, a bot's REST post with buttons,
# new buttons added by an update, bad input, secret rotation, whose secret signs a click (a
# command's post, a response_url post, an outgoing webhook's reply, a bot's post, a post that
# tries to choose its signer, a deleted command), REST edits that keep buttons working, and that
# no app URL, context or signer ever reaches a client.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready

export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=64
# A fixed port, so that --site-url (the base of a command's response_url) is right.
GP=$(free_port)
griot_start --listen "127.0.0.1:$GP" --site-url "http://127.0.0.1:$GP" \
    --set hook_rate=0 --allow-internal 127.0.0.1/8,::1 --outgoing-timeout 2
API="$GRIOT_URL/api/v4"
H=$BOOT_HOOK
TS=$(channel_id town-square)
ZERO_ID=aaaaaaaaaaaaaaaaaaaaaaaaaa # a valid id that names nothing

# api METHOD PATH TOKEN [JSON]: one authenticated JSON request (TOKEN "" = none).
api() {
    local method=$1 path=$2 tok=$3 args=()
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    if [ $# -ge 4 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$4"); fi
    http "$method" "$API$path" "${args[@]}"
    if [ $# -ge 4 ]; then REQ_DESC="$REQ_DESC json=$(_trunc 200 "$4")"; fi
}
jv() { printf '%s' "$BODY" | jq -r "$1" 2>/dev/null || true; }
# wait_for FILE JQ-FILTER [args]: up to 8 s for a line of FILE (JSON lines) matching; prints it.
wait_for() {
    local file=$1 filter=$2 got
    shift 2
    for _ in $(seq 80); do
        if [ -e "$file" ]; then
            got=$(jq -c "$@" "select($filter)" "$file" 2>/dev/null | tail -n 1)
            if [ -n "$got" ]; then
                printf '%s\n' "$got"
                return 0
            fi
        fi
        sleep 0.1
    done
    printf 'null\n'
}
wait_file() { for _ in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }

# ---- accounts, the app, the secret, a WebSocket ---------------------------------------------
login() { # login NAME PASSWORD: prints the session token
    http POST "$API/users/login" -H 'Content-Type: application/json' \
        --data-binary "$(jq -nc --arg l "$1" --arg p "$2" '{login_id: $l, password: $p}')"
    hdr Token
}
cli user create alice --password alice-password-1
ALICE=$(printf '%s\n' "$CLI_OUT" | head -n 1)
ALICE_TOK=$(login alice alice-password-1)
cli user create bob --password bob-password-1
BOB=$(printf '%s\n' "$CLI_OUT" | head -n 1)
BOB_TOK=$(login bob bob-password-1)
cli bot create buttonbot
BOT=$(printf '%s\n' "$CLI_OUT" | head -n 1)
BOT_TOK=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
if ! [[ "$ALICE" =~ ^[a-z0-9]{26}$ && -n "$ALICE_TOK" && "$BOB" =~ ^[a-z0-9]{26}$ && -n "$BOB_TOK" &&
    "$BOT" =~ ^[a-z0-9]{26}$ && "$BOT_TOK" =~ ^[a-z0-9]{26}$ ]]; then
    echo "fail $TEST_NAME: accounts: alice '$ALICE' bob '$BOB' bot '$BOT' ($CLI_ERR)"
    exit 1
fi

case_begin ACT-secret "griot integration-secret prints one whsec_ secret, the same twice"
cli integration-secret
SECRET=$CLI_OUT
assert_eq "exit" 0 "$CLI_RC"
assert_match "secret" "$SECRET" '^whsec_[A-Za-z0-9+/=]{20,}$'
cli integration-secret
assert_eq "stable" "$SECRET" "$CLI_OUT"
case_end
# The app's secrets, one "NAME SECRET" per line; "server" is the integration secret.
SECRET_FILE="$_IT_TMP/secret"
printf 'server %s\n' "$SECRET" >"$SECRET_FILE"

APP_LOG="$_IT_TMP/app.log"
node "$NODE_DIR/actions-app.mjs" "$_IT_TMP/app.port" "$APP_LOG" "$SECRET_FILE" \
    2>"$_IT_TMP/app.err" &
bg_track $!
wait_file "$_IT_TMP/app.port" || {
    echo "fail $TEST_NAME: the app did not start: $(cat "$_IT_TMP/app.err")"
    exit 1
}
APP="http://127.0.0.1:$(cat "$_IT_TMP/app.port")"
: >"$APP_LOG"

WS_LOG="$_IT_TMP/ws-alice.log"
node "$NODE_DIR/actions-ws.mjs" "$GRIOT_URL" "$ALICE_TOK" "$WS_LOG" "$_IT_TMP/ws.ready" \
    2>"$_IT_TMP/ws.err" &
bg_track $!
wait_file "$_IT_TMP/ws.ready" || {
    echo "fail $TEST_NAME: alice's WebSocket did not start: $(cat "$WS_LOG" "$_IT_TMP/ws.err" 2>/dev/null)"
    exit 1
}

# hook_post JSON-ATTACHMENTS [EXTRA-JSON]: a webhook post in town-square with these attachments;
# sets P (its id) and PJ (GET /posts/P as alice).
hook_post() {
    local extra=${2:-'{}'} text
    text=$(uniq_text "act")
    post_json "$H" "$(jq -nc --arg t "$text" --argjson a "$1" --argjson x "$extra" \
        '{text: $t, username: "hookbot", attachments: $a} + $x')"
    if [ "$STATUS" != 200 ]; then
        _err "webhook post: $STATUS $BODY"
        P=$ZERO_ID
        return 0
    fi
    # Found by its unique text through the REST API (what a client sees).
    api GET "/channels/$TS/posts?per_page=20" "$ALICE_TOK"
    P=$(printf '%s' "$BODY" | jq -r --arg t "$text" '[.posts[] | select(.message == $t) | .id][0] // "none"')
    api GET "/posts/$P" "$ALICE_TOK"
    PJ=$BODY
}
# act NAME MODE TAG [KEY VALUE]: one action object calling the app's /MODE/TAG with context.
act() { jq -nc --arg n "$1" --arg u "$APP/$2/$3" '{name: $n, integration: {url: $u, context: {k: "v", tag: $n}}}'; }
click() { # click POST ACTION TOKEN [BODY]
    local b=${4-'{}'}
    http POST "$API/posts/$1/actions/$2" -H "Authorization: Bearer $3" \
        -H 'Content-Type: application/json' --data-binary "$b"
    REQ_DESC="$REQ_DESC json=$b"
}
app_req() { wait_for "$APP_LOG" '.tag == $t' --arg t "$1"; } # the app's last request for TAG
app_count() { jq -c --arg t "$1" 'select(.tag == $t)' "$APP_LOG" 2>/dev/null | wc -l; }
first_action_id() { printf '%s' "$PJ" | jq -r '.props.attachments[0].actions[0].id'; }
# create3 VAR ARGS...: `griot ARGS` printing id, token, secret on three lines (inside a case);
# sets VAR_ID and VAR_SECRET.
create3() {
    local var=$1 lines
    shift
    cli "$@"
    mapfile -t lines <<<"$CLI_OUT"
    if [ "$CLI_RC" != 0 ] || [ "${#lines[@]}" != 3 ]; then
        _err "griot $*: exit $CLI_RC: $(_trunc 200 "$CLI_OUT $CLI_ERR")"
    fi
    printf -v "${var}_ID" '%s' "${lines[0]:-}"
    printf -v "${var}_SECRET" '%s' "${lines[2]:-}"
}
# post_by_message TEXT: the id of the town-square post whose message is TEXT (waits up to 5 s
# for it), or "none".
post_by_message() {
    local id
    for _ in $(seq 50); do
        id=$(curl -s -H "Authorization: Bearer $ALICE_TOK" "$API/channels/$TS/posts?per_page=100" |
            jq -r --arg m "$1" '[.posts[] | select(.message == $m) | .id][0] // empty' 2>/dev/null || true)
        if [ -n "$id" ]; then
            printf '%s\n' "$id"
            return 0
        fi
        sleep 0.1
    done
    printf 'none\n'
}
execute() { # execute "/trigger text": as alice in town-square
    api POST /commands/execute "$ALICE_TOK" "$(jq -nc --arg c "$TS" --arg t "$1" '{command: $t, channel_id: $c}')"
}

# ---- IA-1, IA-2 --------------------------------------------------------------------------------
case_begin IA-1 "webhook with an action -> stored; GET /posts/{id} shows a 26-char id, no integration"
hook_post "[{\"text\":\"pick\",\"actions\":[$(act Go ok ia2)]}]"
A=$(first_action_id)
assert_status 200
assert_match "action id" "$A" '^[a-z0-9]{26}$'
assert_jq "no integration" "$PJ" '.props.attachments[0].actions[0] | has("integration") | not'
assert_jq "name and type" "$PJ" '.props.attachments[0].actions[0] | .name == "Go" and ((has("type") | not) or .type == "button")'
assert_jq "nothing of the app in the post" "$PJ" 'tostring | (contains("127.0.0.1") or contains("\"k\"")) | not'
P2=$P A2=$A
case_end

case_begin IA-2 "click {} -> the app gets the §4.3 request, signed; client gets 200 {status OK, trigger_id}"
click "$P2" "$A2" "$ALICE_TOK" '{}'
assert_status 200
assert_jq "answer" "$BODY" '.status == "OK" and (.trigger_id | type == "string" and length > 20)'
TRIG=$(jv .trigger_id)
R=$(app_req ia2)
assert_jq "request fields" "$R" '.fields | .user_id == $u and .user_name == "alice" and .post_id == $p and .channel_id == $c and .channel_name == "town-square" and (.team_id | length == 26) and .team_domain == "main" and .type == "button" and .data_source == "" and .context == {k: "v", tag: "Go"}' \
    --arg u "$ALICE" --arg p "$P2" --arg c "$TS"
assert_jq "same trigger_id" "$R" '.fields.trigger_id == $t' --arg t "$TRIG"
assert_jq "POST, JSON" "$R" '.method == "POST" and (.headers["content-type"] | startswith("application/json")) and .headers.accept == "application/json"'
assert_jq "signature verifies (standardwebhooks) with the server secret only" "$R" '.verified == true and .verified_by == ["server"]'
assert_jq "webhook-id header" "$R" '.headers["webhook-id"] | startswith("msg_")'
case_end

case_begin IA-2-client "the same click through @mattermost/client doPostActionWithCookie -> OK"
OUT=$(node "$NODE_DIR/actions-client.mjs" "$GRIOT_URL" alice alice-password-1 "$P2" "$A2" 2>&1 | tail -n 1)
assert_jq "Client4 answer" "$OUT" '.ok == true and .result.status == "OK" and (.result.trigger_id | length > 20)'
assert_eq "app called twice" 2 "$(app_count ia2)"
case_end

# ---- IA-3, IA-4: update --------------------------------------------------------------------------
case_begin IA-3 "app answers {update:{message:Done, props:{}}} -> message Done, props keep only the look; WS post_edited"
hook_post "[{\"text\":\"t\",\"actions\":[$(act Clear clear ia3)]}]" '{"props":{"custom":"x"}}'
assert_jq "before: custom prop, override" "$PJ" '.props.custom == "x" and .props.override_username == "hookbot" and .props.from_webhook == "true"'
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_status 200
# The answer comes after the commit: the change is visible at once.
api GET "/posts/$P" "$ALICE_TOK"
assert_jq "message" "$BODY" '.message == "Done ia3"'
assert_jq "props" "$BODY" '.props == {from_webhook: "true", override_username: "hookbot"}'
assert_jq "edit_at set" "$BODY" '.edit_at > 0 and .update_at >= .edit_at'
EV=$(wait_for "$WS_LOG" '.event == "post_edited" and .post_obj.id == $p' --arg p "$P")
assert_jq "WS post_edited" "$EV" '.post_obj.message == "Done ia3" and .broadcast.channel_id == $c' --arg c "$TS"
case_end

case_begin IA-4 "app answers {update:{message:x}} (no props) -> message changed, attachments kept, still clickable"
hook_post "[{\"text\":\"keep me\",\"actions\":[$(act Msg msg ia4)]}]"
A=$(first_action_id)
click "$P" "$A" "$ALICE_TOK"
assert_status 200
api GET "/posts/$P" "$ALICE_TOK"
assert_jq "message" "$BODY" '.message == "x ia4"'
assert_jq "attachments kept" "$BODY" '.props.attachments[0].text == "keep me" and .props.attachments[0].actions[0].id == $a and (.props.attachments[0].actions[0] | has("integration") | not)' --arg a "$A"
assert_jq "look kept" "$BODY" '.props.override_username == "hookbot"'
EV=$(wait_for "$WS_LOG" '.event == "post_edited" and .post_obj.id == $p' --arg p "$P")
assert_jq "WS post_edited without integration" "$EV" '.post_obj.message == "x ia4" and (.post_obj.props.attachments[0].actions[0] | has("integration") | not)'
click "$P" "$A" "$ALICE_TOK"
assert_status 200
assert_eq "second click reached the app" 2 "$(app_count ia4)"
case_end

# ---- IA-5, IA-6: ephemeral ------------------------------------------------------------------------
case_begin IA-5 "app answers {ephemeral_text:\"see <https://a|b>\"} -> clicker's WS ephemeral_message 'see [b](https://a)'"
hook_post "[{\"actions\":[$(act Eph eph ia5)]}]"
BEFORE=$(jv .message)
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_status 200
EV=$(wait_for "$WS_LOG" '.event == "ephemeral_message" and (.post_obj.message | endswith("ia5"))')
assert_jq "message converted" "$EV" '.post_obj.message == "see [b](https://a) ia5"'
assert_jq "in the thread of the post, for alice" "$EV" '.post_obj.root_id == $p and .post_obj.channel_id == $c and .post_obj.user_id == $u and .broadcast.user_id == $u' \
    --arg p "$P" --arg c "$TS" --arg u "$ALICE"
api GET "/posts/$P" "$ALICE_TOK"
assert_eq "post unchanged" "$BEFORE" "$(jv .message)"
case_end

case_begin IA-6 "same with skip_slack_parsing -> text unchanged"
hook_post "[{\"actions\":[$(act Skip ephskip ia6)]}]"
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_status 200
EV=$(wait_for "$WS_LOG" '.event == "ephemeral_message" and (.post_obj.message | endswith("ia6"))')
assert_jq "raw text" "$EV" '.post_obj.message == "see <https://a|b> ia6"'
case_end

# ---- IA-7, IA-8: errors ---------------------------------------------------------------------------
case_begin IA-7 "app answers 500 -> 400 api.post.do_action.action_integration.app_error, no effect"
hook_post "[{\"actions\":[$(act Boom status500 ia7)]}]"
BEFORE=$(jv .message)
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_apperror 400 api.post.do_action.action_integration.app_error
assert_eq "app was called" 1 "$(app_count ia7)"
api GET "/posts/$P" "$ALICE_TOK"
assert_eq "post unchanged" "$BEFORE" "$(jv .message)"
case_end

case_begin IA-8 "click unknown action id zzz -> 404 api.post.do_action.action_id.app_error"
click "$P2" zzz "$ALICE_TOK"
assert_apperror 404 api.post.do_action.action_id.app_error
case_end

# ---- IA-9: menus ---------------------------------------------------------------------------------
case_begin IA-9 "select action, selected_option opt2 (via @mattermost/client) -> context.selected_option, type select"
SEL=$(jq -nc --arg u "$APP/ok/ia9" '{id: "pick", name: "Pick one", type: "select", options: [{text: "One", value: "opt1"}, {text: "Two", value: "opt2"}], integration: {url: $u, context: {k: "v"}}}')
hook_post "[{\"actions\":[$SEL]}]"
assert_jq "options round-trip" "$PJ" '.props.attachments[0].actions[0] | .type == "select" and (.options | length) == 2 and (has("integration") | not)'
OUT=$(node "$NODE_DIR/actions-client.mjs" "$GRIOT_URL" alice alice-password-1 "$P" pick opt2 2>&1 | tail -n 1)
assert_jq "Client4 answer" "$OUT" '.ok == true and .result.status == "OK"'
R=$(app_req ia9)
assert_jq "select request" "$R" '.fields.type == "select" and .fields.context == {k: "v", selected_option: "opt2"}'
case_end

# ---- IA-10: access ---------------------------------------------------------------------------------
case_begin IA-10 "a user who cannot read the channel clicks -> 403, the app is not called"
api GET /teams/name/main "$ALICE_TOK"
TEAM=$(jv .id)
api POST /channels "$ALICE_TOK" "$(jq -nc --arg t "$TEAM" '{team_id: $t, name: "secret-room", display_name: "Secret", type: "P"}')"
PRIV=$(jv .id)
api POST /posts "$ALICE_TOK" "$(jq -nc --arg c "$PRIV" --argjson a "[{\"actions\":[$(act Priv ok ia10)]}]" '{channel_id: $c, message: "private buttons", props: {attachments: $a}}')"
assert_status 201
PP=$(jv .id)
PA=$(jv '.props.attachments[0].actions[0].id')
click "$PP" "$PA" "$BOB_TOK"
assert_apperror 403 api.context.permissions.app_error
assert_eq "app not called" 0 "$(app_count ia10)"
click "$PP" "$PA" "$ALICE_TOK"
assert_status 200
assert_eq "the member's click works" 1 "$(app_count ia10)"
case_end

# ---- IA-11, IA-12 ----------------------------------------------------------------------------------
case_begin IA-11 "explicit id approve -> kept; /actions/approve works"
hook_post "[{\"actions\":[$(act Approve ok ia11 | jq -c '. + {id: "approve"}')]}]"
assert_eq "id kept" approve "$(first_action_id)"
click "$P" approve "$ALICE_TOK"
assert_status 200
assert_eq "app called" 1 "$(app_count ia11)"
case_end

case_begin IA-12 "style danger, disabled true -> round-trip unchanged"
hook_post "[{\"actions\":[$(act Danger ok ia12 | jq -c '. + {style: "danger", disabled: true}')]}]"
assert_jq "style and disabled" "$PJ" '.props.attachments[0].actions[0] | .style == "danger" and .disabled == true'
case_end

# ---- beyond the IA- table ---------------------------------------------------------------------------
case_begin ACT-timeout "slow app (5 s, timeout 2 s) -> 400 action_integration after about 2 s"
hook_post "[{\"actions\":[$(act Slow slow slow1)]}]"
T0=$(date +%s%N)
click "$P" "$(first_action_id)" "$ALICE_TOK"
T1=$(date +%s%N)
assert_apperror 400 api.post.do_action.action_integration.app_error
MS=$(((T1 - T0) / 1000000))
if [ "$MS" -lt 1500 ] || [ "$MS" -gt 4500 ]; then _err "answered after $MS ms, expected about 2000"; fi
case_end

case_begin ACT-junk "app answers 200 'not json' -> 400 action_integration"
hook_post "[{\"actions\":[$(act Junk junk junk1)]}]"
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_apperror 400 api.post.do_action.action_integration.app_error
case_end

case_begin ACT-empty "app answers 200 with an empty body -> 200, nothing changes"
hook_post "[{\"actions\":[$(act Empty empty empty1)]}]"
BEFORE=$PJ
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_status 200
api GET "/posts/$P" "$ALICE_TOK"
assert_jq "unchanged" "$BODY" '.message == ($b | fromjson | .message) and .edit_at == 0' --arg b "$BEFORE"
case_end

case_begin ACT-dead "app gone (connection refused) -> 400 action_integration"
DEAD_PORT=$(free_port)
hook_post "[{\"actions\":[{\"name\":\"Dead\",\"integration\":{\"url\":\"http://127.0.0.1:$DEAD_PORT/ok/dead\"}}]}]"
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_apperror 400 api.post.do_action.action_integration.app_error
case_end

case_begin ACT-other-post "an action id of another post -> 404 action_id"
hook_post "[{\"actions\":[$(act Other ok other1)]}]"
click "$P" "$A2" "$ALICE_TOK"
assert_apperror 404 api.post.do_action.action_id.app_error
assert_eq "app not called" 0 "$(app_count other1)"
case_end

case_begin ACT-no-integration "an action without integration -> 404 action_id"
hook_post '[{"actions":[{"id":"plain","name":"Plain"}]}]'
click "$P" plain "$ALICE_TOK"
assert_apperror 404 api.post.do_action.action_id.app_error
case_end

case_begin ACT-bot-rest "a bot's REST post with buttons: 201 shows ids without integration; a click works"
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" --argjson a "[{\"text\":\"deploy?\",\"actions\":[$(act Deploy ok botrest)]}]" '{channel_id: $c, message: "deploy", props: {attachments: $a}}')"
assert_status 201
BP=$(jv .id)
BA=$(jv '.props.attachments[0].actions[0].id')
assert_match "action id" "$BA" '^[a-z0-9]{26}$'
assert_jq "no integration in the answer" "$BODY" '.props.attachments[0].actions[0] | has("integration") | not'
EV=$(wait_for "$WS_LOG" '.event == "posted" and .post_obj.id == $p' --arg p "$BP")
assert_jq "WS posted without integration" "$EV" '.post_obj.props.attachments[0].actions[0].id == $a and (.post_obj.props.attachments[0].actions[0] | has("integration") | not)' --arg a "$BA"
click "$BP" "$BA" "$ALICE_TOK"
assert_status 200
R=$(app_req botrest)
assert_jq "request" "$R" '.fields.post_id == $p and .fields.user_name == "alice" and .verified == true' --arg p "$BP"
assert_jq "a bot's post: signed with the server secret only" "$R" '.verified_by == ["server"]'
case_end

case_begin ACT-new-buttons "an update that brings new buttons: they get ids, stay secret, and work"
hook_post "[{\"actions\":[$(act More buttons more1)]}]"
click "$P" "$(first_action_id)" "$ALICE_TOK"
assert_status 200
api GET "/posts/$P" "$ALICE_TOK"
NA=$(jv '.props.attachments[0].actions[0].id')
assert_jq "message" "$BODY" '.message == "next more1"'
assert_match "new action id" "$NA" '^[a-z0-9]{26}$'
assert_jq "no integration" "$BODY" '.props.attachments[0].actions[0] | has("integration") | not'
click "$P" "$NA" "$ALICE_TOK"
assert_status 200
EV=$(wait_for "$WS_LOG" '.event == "ephemeral_message" and (.post_obj.message | endswith(" next-more1"))')
assert_jq "the new button's app answered" "$EV" '.post_obj.message == "see [b](https://a) next-more1" and .post_obj.root_id == $p' --arg p "$P"
assert_jq "signed with the server secret, as the button it replaced" "$(app_req next-more1)" '.verified_by == ["server"]'
case_end

case_begin ACT-deleted "a click on a deleted post -> 404"
hook_post "[{\"actions\":[$(act Del ok del1)]}]"
A=$(first_action_id)
api DELETE "/posts/$P" "$ADMIN_TOKEN"
click "$P" "$A" "$ALICE_TOK"
assert_apperror 404 app.post.get.app_error
assert_eq "app not called" 0 "$(app_count del1)"
case_end

case_begin ACT-bad-input "no session 401; bad post id 400; unknown post 404; bad body 400; a bad cookie 400"
click "$P2" "$A2" ""
assert_status 401
http POST "$API/posts/$P2/actions/$A2" --data-binary '{}'
assert_status 401
click abc "$A2" "$ALICE_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
click "$ZERO_ID" "$A2" "$ALICE_TOK"
assert_apperror 404 app.post.get.app_error
click "$P2" "$A2" "$ALICE_TOK" 'not json'
assert_apperror 400 api.context.invalid_body_param.app_error
click "$P2" "$A2" "$ALICE_TOK" '{"selected_option":5}'
assert_apperror 400 api.context.invalid_body_param.app_error
click "$P2" "$A2" "$ALICE_TOK" '[]'
assert_apperror 400 api.context.invalid_body_param.app_error
click "$ZERO_ID" "$A2" "$ALICE_TOK" '{"cookie":"bm90IGEgY29va2ll"}'
assert_apperror 400 api.post.do_action.action_integration.app_error
click "$P2" 'a.b' "$ALICE_TOK"
assert_apperror 404 api.post.do_action.action_id.app_error
# no body at all, as some clients send for a button
http POST "$API/posts/$P2/actions/$A2" -H "Authorization: Bearer $ALICE_TOK"
assert_status 200
case_end

# ---- ephemeral posts: cookies (§4.5) ---------------------------------------------------------------
case_begin ACT-cookie-post "a slash command's ephemeral answer with buttons: ids and sealed cookies, no integration"
create3 EB command create --trigger ephbtn --url "$APP/cmdeph/c1"
printf 'ephbtn %s\n' "$EB_SECRET" >>"$SECRET_FILE"
api POST /commands/execute "$ALICE_TOK" "$(jq -nc --arg c "$TS" '{command: "/ephbtn now", channel_id: $c}')"
assert_status 200
EV=$(wait_for "$WS_LOG" '.event == "ephemeral_message" and .post_obj.message == "choose c1"')
EP=$(printf '%s' "$EV" | jq -r '.post_obj.id')
EA=$(printf '%s' "$EV" | jq -r '.post_obj.props.attachments[0].actions[0].id')
COOKIE=$(printf '%s' "$EV" | jq -r '.post_obj.props.attachments[0].actions[0].cookie')
COOKIE2=$(printf '%s' "$EV" | jq -r '.post_obj.props.attachments[0].actions[1].cookie')
assert_match "ephemeral post id" "$EP" '^[a-z0-9]{26}$'
assert_match "action id" "$EA" '^[a-z0-9]{26}$'
assert_match "cookie" "$COOKIE" '^[A-Za-z0-9+/=]{40,}$'
assert_jq "no integration, no app URL" "$EV" '(.post_obj.props.attachments[0].actions | all(has("integration") | not)) and (tostring | contains("127.0.0.1") | not)'
case_end

case_begin ACT-cookie-click "a click on the ephemeral post's button with its cookie reaches the app"
click "$EP" "$EA" "$ALICE_TOK" "$(jq -nc --arg c "$COOKIE" '{cookie: $c}')"
assert_status 200
assert_jq "answer" "$BODY" '.status == "OK" and (.trigger_id | length > 20)'
R=$(app_req cookie1)
assert_jq "request from the cookie" "$R" '.fields | .post_id == $p and .channel_id == $c and .channel_name == "town-square" and .team_domain == "main" and .user_id == $u and .type == "button" and .context == {k: "v"}'     --arg p "$EP" --arg c "$TS" --arg u "$ALICE"
assert_jq "signed with the command's secret (the signer travels in the sealed cookie)" "$R" '.verified_by == ["ephbtn"] and .verified != true'
EV=$(wait_for "$WS_LOG" '.event == "ephemeral_message" and .post_obj.message == "see [b](https://a) cookie1"')
assert_jq "ephemeral answer" "$EV" '.post_obj.channel_id == $c and .broadcast.user_id == $u' --arg c "$TS" --arg u "$ALICE"
OUT=$(node "$NODE_DIR/actions-client.mjs" "$GRIOT_URL" alice alice-password-1 "$EP" "$EA" "" "$COOKIE" 2>&1 | tail -n 1)
assert_jq "@mattermost/client with the cookie" "$OUT" '.ok == true and .result.status == "OK"'
assert_eq "app called twice" 2 "$(app_count cookie1)"
case_end

case_begin ACT-cookie-refused "no cookie 404; a changed cookie, or one for another post 400; another action 404"
click "$EP" "$EA" "$ALICE_TOK" '{}'
assert_apperror 404 app.post.get.app_error
# one character of the sealed bytes changed
if [ "${COOKIE:20:1}" = A ]; then BAD="${COOKIE:0:20}B${COOKIE:21}"; else BAD="${COOKIE:0:20}A${COOKIE:21}"; fi
click "$EP" "$EA" "$ALICE_TOK" "$(jq -nc --arg c "$BAD" '{cookie: $c}')"
assert_apperror 400 api.post.do_action.action_integration.app_error
click "$ZERO_ID" "$EA" "$ALICE_TOK" "$(jq -nc --arg c "$COOKIE" '{cookie: $c}')"
assert_apperror 400 api.post.do_action.action_integration.app_error
click "$EP" upd "$ALICE_TOK" "$(jq -nc --arg c "$COOKIE" '{cookie: $c}')"
assert_apperror 404 api.post.do_action.action_id.app_error
assert_eq "app not called again" 2 "$(app_count cookie1)"
case_end

case_begin ACT-cookie-update "an update answer to an ephemeral post's button -> 404 (nothing stored to edit)"
click "$EP" upd "$ALICE_TOK" "$(jq -nc --arg c "$COOKIE2" '{cookie: $c}')"
assert_apperror 404 app.post.get.app_error
assert_eq "app called" 1 "$(app_count cookie2)"
case_end

# ---- whose secret signs a click (griot's addition to §4.3) -----------------------------------
case_begin ACT-sign-command "a button on a command's in_channel post: its click is signed with the command's secret, not the server's"
create3 BC command create --trigger btncmd --url "$APP/cmdbtn/sc"
printf 'btncmd %s\n' "$BC_SECRET" >>"$SECRET_FILE"
execute "/btncmd sc1"
assert_status 200
assert_jq "the execute answer shows no integration nor signer" "$BODY" 'tostring | (contains("griot_signer") or contains("integration") or contains("127.0.0.1")) | not'
CP=$(post_by_message "buttons sc1")
assert_match "the command's post" "$CP" '^[a-z0-9]{26}$'
api GET "/posts/$CP" "$ALICE_TOK"
assert_jq "buttons, nothing of the signer" "$BODY" '(.props.attachments[0].actions | map(.id) == ["go", "more"]) and (tostring | (contains("griot_signer") or contains("command:")) | not)'
click "$CP" go "$ALICE_TOK"
assert_status 200
R=$(app_req sc1-go)
assert_jq "verifies with the command's secret only" "$R" '.verified_by == ["btncmd"] and .verified != true'
assert_jq "the §4.3 request, without the signer" "$R" '.fields.context == {k: "v"} and .fields.post_id == $p and (.body | contains("griot_signer") | not)' --arg p "$CP"
case_end

case_begin ACT-sign-update "new buttons an app's update brings to a command's post: signed with the command's secret too"
click "$CP" more "$ALICE_TOK"
assert_status 200
api GET "/posts/$CP" "$ALICE_TOK"
assert_jq "updated" "$BODY" '.message == "next sc1-more" and (.props.attachments[0].actions[0] | has("integration") | not)'
NA=$(jv '.props.attachments[0].actions[0].id')
click "$CP" "$NA" "$ALICE_TOK"
assert_status 200
assert_jq "the new button" "$(app_req next-sc1-more)" '.verified_by == ["btncmd"]'
case_end

case_begin ACT-sign-response-url "a post made through a command's response_url: its buttons are signed with the command's secret"
create3 LC command create --trigger latercmd --url "$APP/cmdlater/lc"
printf 'latercmd %s\n' "$LC_SECRET" >>"$SECRET_FILE"
execute "/latercmd lc1"
assert_status 200
assert_jq "the delayed answer was accepted" "$(wait_for "$APP_LOG" '.mode == "later-result" and .tag == "lc1"')" '.status == 200'
LP=$(post_by_message "later lc1")
assert_match "the delayed post" "$LP" '^[a-z0-9]{26}$'
click "$LP" go "$ALICE_TOK"
assert_status 200
assert_jq "signed with the command's secret" "$(app_req lc1-go)" '.verified_by == ["latercmd"]'
case_end

case_begin ACT-sign-outgoing "a button on an outgoing webhook's reply: signed with that hook's secret"
create3 OW outgoing create --team main --channel town-square --trigger-words btnword \
    --callback "$APP/owbtn/ow1" --content-type json
printf 'owhook %s\n' "$OW_SECRET" >>"$SECRET_FILE"
api POST /posts "$ALICE_TOK" "$(jq -nc --arg c "$TS" '{channel_id: $c, message: "btnword please"}')"
assert_status 201
OP=$(post_by_message "reply ow1")
assert_match "the reply" "$OP" '^[a-z0-9]{26}$'
assert_jq "the callback itself: the hook's secret" "$(app_req ow1)" '.verified_by == ["owhook"]'
click "$OP" ow "$ALICE_TOK"
assert_status 200
assert_jq "the click: the hook's secret only" "$(app_req ow1-click)" '.verified_by == ["owhook"] and .verified != true'
case_end

case_begin ACT-sign-forged "posts that try to choose their signer (REST, incoming webhook, edit) are signed with the server secret"
FORGED=$(jq -nc --arg u "$APP/ok/forged1" --arg s "command:$BC_ID" '{id: "f", name: "F", integration: {url: $u, context: {k: "v"}, griot_signer: $s}}')
api POST /posts "$ALICE_TOK" "$(jq -nc --arg c "$TS" --argjson a "[{\"actions\":[$FORGED]}]" '{channel_id: $c, message: "forged", props: {attachments: $a}}')"
assert_status 201
FP=$(jv .id)
assert_jq "no signer shown" "$BODY" 'tostring | contains("griot_signer") | not'
click "$FP" f "$ALICE_TOK"
assert_status 200
assert_jq "REST post: the server secret, not the command's" "$(app_req forged1)" '.verified_by == ["server"]'
hook_post "[{\"actions\":[$(jq -nc --arg u "$APP/ok/forged2" --arg s "outgoing:$OW_ID" '{id: "f2", name: "F2", integration: {url: $u, griot_signer: $s}}')]}]"
click "$P" f2 "$ALICE_TOK"
assert_status 200
assert_jq "incoming webhook: the server secret, not the hook's" "$(app_req forged2)" '.verified_by == ["server"]'
# an edit that sends its own integration with a signer, on a post it may edit
api PUT "/posts/$FP" "$ALICE_TOK" "$(jq -nc --arg id "$FP" --arg u "$APP/ok/forged3" --arg s "command:$BC_ID" '{id: $id, message: "forged again", props: {attachments: [{actions: [{id: "f", name: "F", integration: {url: $u, griot_signer: $s}}]}]}}')"
assert_status 200
click "$FP" f "$ALICE_TOK"
assert_status 200
assert_jq "edit: the server secret" "$(app_req forged3)" '.verified_by == ["server"]'
case_end

case_begin ACT-edit-roundtrip "PUT and PATCH of a command's post with the client's copy: buttons keep working, signed as before"
execute "/btncmd sc2"
assert_status 200
CP2=$(post_by_message "buttons sc2")
api GET "/posts/$CP2" "$ALICE_TOK"
PJ2=$BODY
api PUT "/posts/$CP2" "$ALICE_TOK" "$(printf '%s' "$PJ2" | jq -c '.message += " (edited)"')"
assert_status 200
assert_jq "edited, still no integration shown" "$BODY" '.message == "buttons sc2 (edited)" and .edit_at > 0 and (tostring | (contains("integration") or contains("griot_signer")) | not)'
click "$CP2" go "$ALICE_TOK"
assert_status 200
assert_jq "after PUT: signed with the command's secret" "$(app_req sc2-go)" '.verified_by == ["btncmd"] and .fields.context == {k: "v"}'
api PUT "/posts/$CP2/patch" "$ALICE_TOK" "$(printf '%s' "$PJ2" | jq -c '{props: (.props | .attachments[0].text = "pick again")}')"
assert_status 200
assert_jq "patched" "$BODY" '.props.attachments[0].text == "pick again"'
click "$CP2" go "$ALICE_TOK"
assert_status 200
assert_eq "after PATCH: the app called again" 2 "$(app_count sc2-go)"
assert_jq "after PATCH: signed with the command's secret" "$(app_req sc2-go)" '.verified_by == ["btncmd"]'
# A client that turns the app's button into a menu does not get the app's integration.
api PUT "/posts/$CP2/patch" "$ALICE_TOK" "$(printf '%s' "$PJ2" | jq -c '{props: (.props | .attachments[0].actions[0] += {type: "select", options: [{text: "x", value: "x"}]})}')"
assert_status 200
click "$CP2" go "$ALICE_TOK" '{"selected_option":"x"}'
assert_apperror 404 api.post.do_action.action_id.app_error
assert_eq "the app was not called" 2 "$(app_count sc2-go)"
click "$CP2" more "$ALICE_TOK" '{}'
assert_status 200
assert_jq "the other button still works" "$(app_req sc2-more)" '.verified_by == ["btncmd"]'
case_end

case_begin ACT-sign-deleted "the command that made a post is deleted: a click on its buttons is refused, nothing sent"
cli command delete "$LC_ID"
assert_eq "command delete" 0 "$CLI_RC"
click "$LP" go "$ALICE_TOK"
assert_apperror 400 api.post.do_action.action_integration.app_error
assert_eq "the app was not called again" 1 "$(app_count lc1-go)"
assert_contains "logged" "$(cat "$GRIOT_DATA/serve.err")" "the command $LC_ID that made its buttons is deleted, click refused"
case_end

case_begin ACT-no-leak "nothing of the apps (URL, context) ever reached a client"
api GET "/channels/$TS/posts?per_page=200" "$ALICE_TOK"
assert_status 200
assert_jq "posts have actions" "$BODY" '[.posts[] | .props.attachments[]?.actions[]?] | length > 5'
if grep -q "127.0.0.1:" "$BODY_FILE"; then _err "an app URL in GET /channels/{id}/posts"; fi
if grep -q '"integration"' "$BODY_FILE"; then _err "an integration key in GET /channels/{id}/posts"; fi
if grep -q "127.0.0.1:" "$WS_LOG"; then _err "an app URL on alice's WebSocket"; fi
if grep -q 'integration' "$WS_LOG"; then _err "an integration key on alice's WebSocket"; fi
if grep -q 'griot_signer' "$BODY_FILE" "$WS_LOG"; then _err "a signer reached a client"; fi
case_end

case_begin ACT-rotate "integration-secret --rotate: the next click is signed with the new secret"
cli integration-secret --rotate
NEW=$CLI_OUT
assert_eq "exit" 0 "$CLI_RC"
assert_match "new secret" "$NEW" '^whsec_'
assert_ne "changed" "$SECRET" "$NEW"
click "$P2" "$A2" "$ALICE_TOK"
assert_status 200
R=$(jq -c 'select(.tag == "ia2")' "$APP_LOG" | tail -n 1)
assert_jq "old secret no longer verifies" "$R" '.verified != true'
sed -i "s|^server .*|server $NEW|" "$SECRET_FILE"
click "$P2" "$A2" "$ALICE_TOK"
assert_status 200
R=$(jq -c 'select(.tag == "ia2")' "$APP_LOG" | tail -n 1)
assert_jq "new secret verifies" "$R" '.verified == true'
case_end

griot_stop
finish
