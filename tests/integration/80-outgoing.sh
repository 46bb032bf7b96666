#!/usr/bin/env bash
# Outgoing webhooks (spec mattermost-compat §2): every OW- case, against a real consumer app
# (node/outgoing-app.mjs, Node's `http` module) that logs what it receives and verifies griot's
# Standard Webhooks signature with npm `standardwebhooks`. Posts are made through the REST API
# by a logged-in user and a bot; replies are checked through what is stored. Also: the
# management API (list/get/update/delete, errors), token regeneration, secret rotation, the
# `griot outgoing` CLI contract, the callback timeout, the SSRF guard (a second griot without
# --allow-internal never reaches the app) and enable_outgoing_webhooks=false.
#
# Negative cases ("no callback", "no post") are closed by a barrier: a post that fires the
# `sync` hook, whose reply is waited for. The dispatcher handles posts in commit order and the
# replies go through one writer, so when the barrier's reply is stored the earlier posts have
# been dispatched and their replies (if any) stored.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

node_ready
export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=64

# ---- the app ------------------------------------------------------------------------------------
APP_LOG="$_IT_TMP/app.log"
SECRETS="$_IT_TMP/secrets.json"
: >"$APP_LOG"
echo '{}' >"$SECRETS"
node "$NODE_DIR/outgoing-app.mjs" "$_IT_TMP/app.port" "$APP_LOG" "$SECRETS" \
    2>"$_IT_TMP/app.err" &
bg_track $!
deadline=$((SECONDS + 10))
until [ -s "$_IT_TMP/app.port" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "fail $TEST_NAME: the app did not start: $(cat "$_IT_TMP/app.err")"
        exit 1
    fi
    sleep 0.05
done
APP="http://127.0.0.1:$(cat "$_IT_TMP/app.port")"

griot_start --set allow_internal=127.0.0.1/8,::1 --set outgoing_timeout=2 --set hook_rate=0
API="$GRIOT_URL/api/v4"
ZERO_ID=aaaaaaaaaaaaaaaaaaaaaaaaaa

# api METHOD PATH TOKEN [JSON]: one authenticated JSON request (TOKEN "" = none).
api() {
    local method=$1 path=$2 tok=$3 args=()
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    if [ $# -ge 4 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$4"); fi
    http "$method" "${BASE_API:-$API}$path" "${args[@]}"
    if [ $# -ge 4 ]; then REQ_DESC="$REQ_DESC json=$(_trunc 200 "$4")"; fi
}
jv() { printf '%s' "$BODY" | jq -r "$1" 2>/dev/null || true; }

# set_secrets PATH SECRET...: the secrets the app verifies requests to PATH with.
set_secrets() {
    local path=$1
    shift
    jq --arg p "$path" '.[$p] = $ARGS.positional' --args "$@" <"$SECRETS" >"$SECRETS.new"
    mv "$SECRETS.new" "$SECRETS"
}

# wait_req FILTER [jq args...]: the first logged request matching FILTER -> REQ; 1 on timeout.
wait_req() {
    local filter=$1 deadline=$((SECONDS + 10))
    shift
    while :; do
        REQ=$(jq -c "$@" "select($filter)" "$APP_LOG" 2>/dev/null | head -n 1)
        [ -n "$REQ" ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}
# count_req FILTER [jq args...]: how many logged requests match.
count_req() {
    local filter=$1
    shift
    jq -c "$@" "select($filter)" "$APP_LOG" 2>/dev/null | wc -l | tr -d ' '
}

# post TOKEN CHANNEL_ID MESSAGE [ROOT_ID]: create a post over REST -> PID PAT (its create_at).
post() {
    local json
    json=$(jq -cn --arg c "$2" --arg m "$3" --arg r "${4:-}" '{channel_id:$c, message:$m, root_id:$r}')
    api POST /posts "$1" "$json"
    PID=$(jv .id)
    PAT=$(jv .create_at)
    if [ "$STATUS" != 201 ]; then _err "POST /posts '$3': $STATUS $BODY"; fi
}

# wait_post CHANNEL_ID FILTER [jq args...]: the newest post of the channel matching FILTER ->
# FOUND (JSON); 1 on timeout.
wait_post() {
    local ch=$1 filter=$2 deadline=$((SECONDS + 10))
    shift 2
    while :; do
        http GET "$API/channels/$ch/posts?per_page=200" -H "Authorization: Bearer $ADMIN_TOKEN"
        FOUND=$(printf '%s' "$BODY" | jq -c "$@" "[.order[] as \$i | .posts[\$i] | select($filter)][0] // empty" 2>/dev/null)
        [ -n "$FOUND" ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}
# count_posts CHANNEL_ID FILTER [jq args...]
count_posts() {
    local ch=$1 filter=$2
    shift 2
    http GET "$API/channels/$ch/posts?per_page=200" -H "Authorization: Bearer $ADMIN_TOKEN"
    printf '%s' "$BODY" | jq "$@" "[.posts[] | select($filter)] | length" 2>/dev/null || echo -1
}

# barrier CHANNEL_ID: fire the sync hook and wait for its reply (see the top comment).
NBARRIER=0
barrier() {
    local text
    NBARRIER=$((NBARRIER + 1))
    text="sync b$NBARRIER-$RANDOM"
    post "$ALICE_TOK" "$1" "$text"
    if ! wait_post "$1" '.message == $m' --arg m "reply sync: $text"; then
        _err "barrier: no reply to '$text' within 10 s"
    fi
}

# mkhook JSON: create a hook as admin -> HID HTOKEN HSECRET (and tell the app its secret).
mkhook() {
    api POST /hooks/outgoing "$ADMIN_TOKEN" "$1"
    HID=$(jv .id)
    HTOKEN=$(jv .token)
    HSECRET=$(jv .secret)
    if [ "$STATUS" != 201 ]; then
        echo "fail $TEST_NAME: cannot create hook $1: $STATUS $BODY"
        exit 1
    fi
    local u
    for u in $(jv '.callback_urls[]'); do set_secrets "/${u#"$APP"/}" "$HSECRET"; done
}

# ---- accounts, channels ---------------------------------------------------------------------
api GET /users/me "$ADMIN_TOKEN"
ADMIN_ID=$(jv .id)
cli user create alice --password alice-password-1
ALICE=$(printf '%s\n' "$CLI_OUT" | head -n 1)
http POST "$API/users/login" -H 'Content-Type: application/json' \
    --data-binary '{"login_id":"alice","password":"alice-password-1"}'
ALICE_TOK=$(hdr Token)
cli user create carol --password carol-password-1
CAROL=$(printf '%s\n' "$CLI_OUT" | head -n 1)
cli bot create gifbot
BOT=$(printf '%s\n' "$CLI_OUT" | head -n 1)
BOT_TOK=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
if ! [[ "$ADMIN_ID" =~ ^[a-z0-9]{26}$ && "$ALICE" =~ ^[a-z0-9]{26}$ && -n "$ALICE_TOK" &&
    "$CAROL" =~ ^[a-z0-9]{26}$ && "$BOT_TOK" =~ ^[a-z0-9]{26}$ ]]; then
    echo "fail $TEST_NAME: cannot set up accounts: $CLI_OUT $CLI_ERR / $BODY"
    exit 1
fi
TS=$(channel_id town-square)
api GET "/channels/$TS" "$ADMIN_TOKEN"
TEAM=$(jv .team_id)
api POST /channels "$ALICE_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"ow-form\",\"display_name\":\"OW form\",\"type\":\"O\"}"
FORMCH=$(jv .id)
api POST /channels "$ALICE_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"ow-private\",\"display_name\":\"OW private\",\"type\":\"P\"}"
PRIV=$(jv .id)
api POST /channels/direct "$ALICE_TOK" "[\"$ALICE\",\"$BOT\"]"
DM=$(jv .id)
if ! [[ "$TEAM" =~ ^[a-z0-9]{26}$ && "$FORMCH" =~ ^[a-z0-9]{26}$ && "$PRIV" =~ ^[a-z0-9]{26}$ &&
    "$DM" =~ ^[a-z0-9]{26}$ ]]; then
    echo "fail $TEST_NAME: cannot create channels: $BODY"
    exit 1
fi

# ---- hooks ----------------------------------------------------------------------------------
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"sync\"],\"callback_urls\":[\"$APP/text/sync\"],\"content_type\":\"application/json\",\"display_name\":\"Sync\"}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"gif\"],\"trigger_when\":0,\"callback_urls\":[\"$APP/silent/json\"],\"content_type\":\"application/json\",\"display_name\":\"O1\"}"
O1=$HID O1_TOKEN=$HTOKEN O1_SECRET=$HSECRET
case_begin OW-SECRET-ONCE "201 creation answer: Mattermost's OutgoingWebhook + secret; GET/list never show the secret"
assert_jq "created" "$BODY" '.id|test("^[a-z0-9]{26}$")'
assert_jq "shape" "$BODY" '(.token|test("^[a-z0-9]{26}$")) and .team_id == $t and .channel_id == "" and .trigger_words == ["gif"] and .trigger_when == 0 and .callback_urls == [$u] and .content_type == "application/json" and .display_name == "O1" and .creator_id == $a and .create_at > 0 and .update_at == .create_at and .delete_at == 0 and has("description") and has("username") and has("icon_url")' --arg t "$TEAM" --arg u "$APP/silent/json" --arg a "$ADMIN_ID"
assert_jq "secret" "$BODY" '.secret | test("^whsec_[A-Za-z0-9+/=]{20,}$")'
api GET "/hooks/outgoing/$O1" "$ADMIN_TOKEN"
assert_status 200
assert_jq "GET: token, no secret" "$BODY" '.id == $i and .token == $k and (has("secret") | not)' --arg i "$O1" --arg k "$O1_TOKEN"
api GET "/hooks/outgoing?team_id=$TEAM" "$ADMIN_TOKEN"
assert_status 200
assert_jq "list: no secret" "$BODY" 'type == "array" and any(.[]; .id == $i) and all(.[]; has("secret") | not)' --arg i "$O1"
case_end
mkhook "{\"team_id\":\"$TEAM\",\"channel_id\":\"$FORMCH\",\"callback_urls\":[\"$APP/silent/form\"]}"
O2=$HID O2_TOKEN=$HTOKEN O2_SECRET=$HSECRET
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"ask\"],\"callback_urls\":[\"$APP/comment/c\"],\"content_type\":\"application/json\",\"creator_id\":\"$CAROL\",\"display_name\":\"Asker\"}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"override\"],\"callback_urls\":[\"$APP/override/o\"],\"display_name\":\"Overrider\"}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"boom\"],\"callback_urls\":[\"$APP/status500/s\"]}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"empty\",\"junk\"],\"callback_urls\":[\"$APP/empty/e\"],\"content_type\":\"application/json\"}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"junk\"],\"callback_urls\":[\"$APP/notjson/n\"],\"content_type\":\"application/json\"}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"again\"],\"callback_urls\":[\"$APP/again/a\"],\"content_type\":\"application/json\"}"
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"slow\"],\"callback_urls\":[\"$APP/slow/t\"],\"content_type\":\"application/json\"}"

# ---- OW-1..OW-4 -----------------------------------------------------------------------------------
case_begin OW-1 "user posts 'gif cats' in a public channel -> JSON callback, Mattermost's fields, ms timestamp, signed"
text="gif cats $RANDOM"
post "$ALICE_TOK" "$TS" "$text"
P1=$PID P1_AT=$PAT
if wait_req '.path == "/silent/json" and .fields.post_id == $p' --arg p "$P1"; then
    assert_jq "request" "$REQ" '.method == "POST" and (.headers["content-type"] == "application/json") and .headers.accept == "application/json"'
    assert_jq "fields" "$REQ" '.fields == {token:$k, team_id:$t, team_domain:"main", channel_id:$c, channel_name:"town-square", timestamp:($at|tonumber), user_id:$u, user_name:"alice", post_id:$p, text:$x, trigger_word:"gif", file_ids:""}' \
        --arg k "$O1_TOKEN" --arg t "$TEAM" --arg c "$TS" --arg at "$P1_AT" --arg u "$ALICE" --arg p "$P1" --arg x "$text"
    assert_jq "key order as Mattermost" "$REQ" '(.body | fromjson | keys_unsorted) == ["token","team_id","team_domain","channel_id","channel_name","timestamp","user_id","user_name","post_id","text","trigger_word","file_ids"]'
    assert_jq "timestamp in ms" "$REQ" '.fields.timestamp > 1000000000000'
    assert_jq "signature verifies (standardwebhooks)" "$REQ" '.verified == [true]'
    assert_jq "signature headers" "$REQ" '(.headers["webhook-id"] | startswith("msg_")) and (.headers["webhook-timestamp"] | test("^[0-9]+$")) and (.headers["webhook-signature"] | startswith("v1,"))'
else
    _err "no callback for '$text'"
fi
case_end

case_begin OW-SIG "a wrong secret does not verify the same request"
set_secrets /silent/json "$O1_SECRET" "whsec_$(printf 'not-the-secret-at-all!!!' | base64)"
post "$ALICE_TOK" "$TS" "gif sig $RANDOM"
if wait_req '.path == "/silent/json" and .fields.post_id == $p' --arg p "$PID"; then
    assert_jq "right secret true, wrong secret refused" "$REQ" '.verified[0] == true and (.verified[1] | type) == "string"'
else
    _err "no callback"
fi
set_secrets /silent/json "$O1_SECRET"
case_end

case_begin OW-2 "'gifs' with O1 exact -> O1 not called"
post "$ALICE_TOK" "$TS" "gifs $RANDOM"
P2=$PID
barrier "$TS"
assert_eq "callbacks for the post" 0 "$(count_req '.fields.post_id == $p' --arg p "$P2")"
case_end

case_begin OW-3 "O1 updated to trigger_when=1 (PUT): 'gifs' -> called, trigger_word 'gif'"
api PUT "/hooks/outgoing/$O1" "$ADMIN_TOKEN" "{\"id\":\"$O1\",\"trigger_when\":1}"
assert_status 200
assert_jq "updated" "$BODY" '.trigger_when == 1 and .token == $k and (has("secret") | not) and .update_at >= .create_at' --arg k "$O1_TOKEN"
post "$ALICE_TOK" "$TS" "gifs please"
if wait_req '.path == "/silent/json" and .fields.post_id == $p' --arg p "$PID"; then
    assert_jq "trigger word" "$REQ" '.fields.trigger_word == "gif" and .fields.text == "gifs please"'
else
    _err "no callback for 'gifs please'"
fi
api PUT "/hooks/outgoing/$O1" "$ADMIN_TOKEN" "{\"id\":\"$O1\",\"trigger_when\":0}"
assert_status 200
case_end

case_begin OW-4 "'Gif cats' -> O1 not called (case-sensitive); leading spaces and NBSP still split the first word"
post "$ALICE_TOK" "$TS" "Gif cats $RANDOM"
P4=$PID
post "$ALICE_TOK" "$TS" $'  gif\xc2\xa0nbsp'
P4B=$PID
barrier "$TS"
assert_eq "callbacks for 'Gif cats'" 0 "$(count_req '.fields.post_id == $p' --arg p "$P4")"
assert_eq "callbacks for '  gif<NBSP>nbsp'" 1 "$(count_req '.path == "/silent/json" and .fields.post_id == $p and .fields.trigger_word == "gif"' --arg p "$P4B")"
case_end

# ---- OW-5: channel hook, form body ----------------------------------------------------------
case_begin OW-5 "any post in the hook's channel -> form body, keys sorted, timestamp in seconds, trigger_word ''"
text="hello world & more/=+é $RANDOM"
post "$ALICE_TOK" "$FORMCH" "$text"
P5=$PID P5_AT=$PAT
if wait_req '.path == "/silent/form" and .fields.post_id == $p' --arg p "$P5"; then
    assert_jq "content type" "$REQ" '.headers["content-type"] == "application/x-www-form-urlencoded" and .headers.accept == "application/json"'
    assert_jq "keys sorted" "$REQ" '[.body | split("&")[] | split("=")[0]] == ["channel_id","channel_name","file_ids","post_id","team_domain","team_id","text","timestamp","token","trigger_word","user_id","user_name"]'
    assert_jq "fields" "$REQ" '.fields == {channel_id:$c, channel_name:"ow-form", file_ids:"", post_id:$p, team_domain:"main", team_id:$t, text:$x, timestamp:((($at|tonumber)/1000|floor)|tostring), token:$k, trigger_word:"", user_id:$u, user_name:"alice"}' \
        --arg c "$FORMCH" --arg p "$P5" --arg t "$TEAM" --arg x "$text" --arg at "$P5_AT" --arg k "$O2_TOKEN" --arg u "$ALICE"
    assert_jq "url.QueryEscape" "$REQ" '.body | contains("text=hello+world+%26+more%2F%3D%2B%C3%A9+")'
    assert_jq "signature verifies" "$REQ" '.verified == [true]'
else
    _err "no form callback"
fi
post "$ALICE_TOK" "$TS" "hello town $RANDOM"
P5B=$PID
barrier "$TS"
assert_eq "the channel hook does not fire elsewhere" 0 "$(count_req '.path == "/silent/form" and .fields.post_id == $p' --arg p "$P5B")"
case_end

# ---- OW-6, OW-7, OW-15 ----------------------------------------------------------------------------
case_begin OW-6 "'gif x' in a private channel and in a DM -> no callback"
post "$ALICE_TOK" "$PRIV" "gif private"
P6=$PID
post "$ALICE_TOK" "$DM" "gif direct"
P6B=$PID
barrier "$TS"
assert_eq "callbacks" 0 "$(count_req '.fields.post_id == $a or .fields.post_id == $b' --arg a "$P6" --arg b "$P6B")"
case_end

case_begin OW-7 "an incoming webhook posts 'gif x' -> no callback"
text="gif from incoming $RANDOM"
post_json "$BOOT_HOOK" "{\"text\":\"$text\"}"
assert_ok_response
barrier "$TS"
assert_eq "callbacks" 0 "$(count_req '.fields.text == $x' --arg x "$text")"
case_end

case_begin OW-15 "a bot posts 'gif x' via REST -> callback fires (bots are not filtered)"
post "$BOT_TOK" "$TS" "gif from a bot"
if wait_req '.path == "/silent/json" and .fields.post_id == $p' --arg p "$PID"; then
    assert_jq "bot fields" "$REQ" '.fields.user_id == $b and .fields.user_name == "gifbot" and .fields.trigger_word == "gif"' --arg b "$BOT"
else
    _err "no callback for the bot's post"
fi
case_end

# ---- OW-8..OW-12: replies -------------------------------------------------------------------------
case_begin OW-8 "reply {text, response_type:comment} -> post in the thread, author = hook creator, from_webhook"
post "$ALICE_TOK" "$TS" "ask something"
P8=$PID
if wait_post "$TS" '.message == "here c" and .root_id == $r' --arg r "$P8"; then
    assert_jq "reply" "$FOUND" '.user_id == $c and .props.from_webhook == "true" and .props.webhook_display_name == "Asker" and .channel_id == $ch' --arg c "$CAROL" --arg ch "$TS"
else
    _err "no threaded reply"
fi
# a trigger inside a thread: the reply goes to the thread's root (griot's choice, spec §2.4)
post "$ALICE_TOK" "$TS" "ask again" "$P8"
P8B=$PID
if wait_req '.path == "/comment/c" and .fields.post_id == $p' --arg p "$P8B"; then
    barrier "$TS"
    assert_eq "replies in the thread" 2 "$(count_posts "$TS" '.message == "here c" and .root_id == $r' --arg r "$P8")"
else
    _err "no callback for the reply in a thread"
fi
case_end

case_begin OW-9 "reply {text, username, icon_url} with overrides on -> override_username, override_icon_url"
post "$ALICE_TOK" "$TS" "override me"
P9=$PID
if wait_post "$TS" '.message == "x o"'; then
    assert_jq "overrides" "$FOUND" '.props.override_username == "u2" and .props.override_icon_url == "http://i" and .props.from_webhook == "true" and .props.webhook_display_name == "Overrider" and .root_id == "" and .user_id == $a' --arg a "$ADMIN_ID"
else
    _err "no reply post"
fi
case_end

case_begin OW-10 "callback answers HTTP 500 with {text:still} -> post created (status not checked)"
post "$ALICE_TOK" "$TS" "boom"
if wait_post "$TS" '.message == "still s"'; then
    assert_jq "reply" "$FOUND" '.props.from_webhook == "true" and .root_id == ""'
else
    _err "no 'still' post"
fi
case_end

case_begin OW-11 "callback answers an empty body or 'not json' -> no post, nothing for the poster"
n0=$(count_posts "$TS" '.props.from_webhook == "true"')
post "$ALICE_TOK" "$TS" "empty"
assert_status 201
post "$ALICE_TOK" "$TS" "junk"
assert_status 201
P11=$PID
wait_req '.path == "/notjson/n" and .fields.post_id == $p' --arg p "$P11" || _err "no callback to /notjson/n"
wait_req '.path == "/empty/e" and .fields.post_id == $p' --arg p "$P11" || _err "no callback to /empty/e"
barrier "$TS"
assert_eq "webhook posts (only the barrier's reply is new)" "$((n0 + 1))" "$(count_posts "$TS" '.props.from_webhook == "true"')"
case_end

case_begin OW-12 "reply {text:'gif again'} -> posted, and it fires no outgoing webhook"
post "$ALICE_TOK" "$TS" "again"
if wait_post "$TS" '.message == "gif again a"'; then
    REPLY12=$(printf '%s' "$FOUND" | jq -r .id)
    barrier "$TS"
    assert_eq "callbacks for the reply" 0 "$(count_req '.fields.post_id == $p or .fields.text == "gif again a"' --arg p "$REPLY12")"
else
    _err "no reply post"
fi
case_end

# ---- timeout ------------------------------------------------------------------------------------
case_begin OW-TIMEOUT "an app slower than --outgoing-timeout 2: logged, no post"
post "$ALICE_TOK" "$TS" "slow"
wait_req '.path == "/slow/t"' || _err "no callback to the slow app"
deadline=$((SECONDS + 10))
until grep -q 'timed out' "$GRIOT_DATA/serve.err" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
assert_contains "serve.err" "$(cat "$GRIOT_DATA/serve.err")" "timed out"
# The request is over once timed out (the connection is closed): no late answer can be read.
barrier "$TS"
assert_eq "late reply posted" 0 "$(count_posts "$TS" '.message == "too late t"')"
case_end

# ---- management -------------------------------------------------------------------------------
case_begin OW-13 "create with neither channel nor trigger words -> 400 api.webhook.create_outgoing.triggers.app_error"
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 400 api.webhook.create_outgoing.triggers.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[],\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 400 api.webhook.create_outgoing.triggers.app_error
case_end

case_begin OW-14 "create with a private channel_id -> 403 api.outgoing_webhook.disabled.app_error"
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"channel_id\":\"$PRIV\",\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 403 api.outgoing_webhook.disabled.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"channel_id\":\"$DM\",\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 403 api.outgoing_webhook.disabled.app_error
api PUT "/hooks/outgoing/$O2" "$ADMIN_TOKEN" "{\"id\":\"$O2\",\"channel_id\":\"$PRIV\"}"
assert_apperror 403 api.webhook.create_outgoing.not_open.app_error
case_end

case_begin OW-MGMT-ERR "management errors: unknown channel 404, intersect 400, bad URL/fields 400, bad body 400, auth 401/403"
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"channel_id\":\"$ZERO_ID\",\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 404 app.channel.get.existing.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"other\",\"gif\"],\"callback_urls\":[\"$APP/silent/json\"]}"
assert_apperror 400 api.webhook.create_outgoing.intersect.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"x\"],\"callback_urls\":[\"ftp://example.com/x\"]}"
assert_apperror 400 model.outgoing_hook.is_valid.url.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"x\"],\"callback_urls\":[]}"
assert_apperror 400 model.outgoing_hook.is_valid.callback.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"x\",\"\"],\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 400 model.outgoing_hook.is_valid.trigger_words.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"x\"],\"trigger_when\":2,\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 400 model.outgoing_hook.is_valid.content_type.app_error
long=$(printf 'd%.0s' $(seq 1 65))
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"x\"],\"callback_urls\":[\"$APP/silent/x\"],\"display_name\":\"$long\"}"
assert_apperror 400 model.outgoing_hook.is_valid.display_name.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"team_id\":\"$TEAM\",\"trigger_words\":\"gif\",\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "not json"
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" "{\"trigger_words\":[\"x\"],\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 400 model.outgoing_hook.is_valid.team_id.app_error
api POST /hooks/outgoing "$ALICE_TOK" "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"x\"],\"callback_urls\":[\"$APP/silent/x\"]}"
assert_apperror 403 api.context.permissions.app_error
api GET "/hooks/outgoing/$O1" "$ALICE_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET /hooks/outgoing ""
assert_apperror 401 api.context.session_expired.app_error
api GET "/hooks/outgoing/$ZERO_ID" "$ADMIN_TOKEN"
assert_apperror 404 app.webhooks.get_outgoing.app_error
api GET /hooks/outgoing/short "$ADMIN_TOKEN"
assert_apperror 400 api.context.invalid_url_param.app_error
api PUT "/hooks/outgoing/$O1" "$ADMIN_TOKEN" "{\"id\":\"$O2\"}"
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

case_begin OW-MGMT "list filters by team and channel with paging; GET; DELETE -> 200 OK, then 404 and no more callbacks"
api GET "/hooks/outgoing?channel_id=$FORMCH" "$ADMIN_TOKEN"
assert_status 200
assert_jq "by channel" "$BODY" 'length == 1 and .[0].id == $i and .[0].trigger_words == [] and .[0].content_type == "application/x-www-form-urlencoded"' --arg i "$O2"
api GET "/hooks/outgoing?team_id=$TEAM&per_page=2&page=1" "$ADMIN_TOKEN"
assert_status 200
assert_jq "page 1 of 2" "$BODY" 'length == 2'
api GET "/hooks/outgoing?team_id=$ZERO_ID" "$ADMIN_TOKEN"
assert_jq "other team" "$BODY" '. == []'
api GET "/hooks/outgoing?page=-1" "$ADMIN_TOKEN"
assert_apperror 400 api.context.invalid_url_param.app_error
mkhook "{\"team_id\":\"$TEAM\",\"trigger_words\":[\"doomed\"],\"callback_urls\":[\"$APP/silent/doomed\"]}"
DOOMED=$HID
api DELETE "/hooks/outgoing/$DOOMED" "$ADMIN_TOKEN"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
api GET "/hooks/outgoing/$DOOMED" "$ADMIN_TOKEN"
assert_apperror 404 app.webhooks.get_outgoing.app_error
api DELETE "/hooks/outgoing/$DOOMED" "$ADMIN_TOKEN"
assert_apperror 404 app.webhooks.get_outgoing.app_error
post "$ALICE_TOK" "$TS" "doomed post"
barrier "$TS"
assert_eq "callbacks of the deleted hook" 0 "$(count_req '.path == "/silent/doomed"')"
case_end

case_begin OW-REGEN "POST regen_token -> new token, used by the next callback"
api POST "/hooks/outgoing/$O1/regen_token" "$ADMIN_TOKEN"
assert_status 200
NEWTOK=$(jv .token)
assert_jq "new token, no secret" "$BODY" '(.token|test("^[a-z0-9]{26}$")) and .token != $o and (has("secret") | not)' --arg o "$O1_TOKEN"
post "$ALICE_TOK" "$TS" "gif regen"
if wait_req '.path == "/silent/json" and .fields.post_id == $p' --arg p "$PID"; then
    assert_jq "callback token" "$REQ" '.fields.token == $k' --arg k "$NEWTOK"
else
    _err "no callback"
fi
api GET "/hooks/outgoing/$O1" "$ADMIN_TOKEN"
assert_jq "stored" "$BODY" '.token == $k' --arg k "$NEWTOK"
case_end

case_begin OW-ROTATE "POST rotate_secret -> {secret}; the old secret no longer verifies, the new one does"
api POST "/hooks/outgoing/$O1/rotate_secret" "$ADMIN_TOKEN"
assert_status 200
NEWSEC=$(jv .secret)
assert_jq "only the secret" "$BODY" '(keys == ["secret"]) and (.secret | startswith("whsec_")) and .secret != $o' --arg o "$O1_SECRET"
set_secrets /silent/json "$O1_SECRET" "$NEWSEC"
post "$ALICE_TOK" "$TS" "gif rotated"
if wait_req '.path == "/silent/json" and .fields.post_id == $p' --arg p "$PID"; then
    assert_jq "old refused, new verifies" "$REQ" '(.verified[0] | type) == "string" and .verified[1] == true'
else
    _err "no callback"
fi
api POST "/hooks/outgoing/$ZERO_ID/rotate_secret" "$ADMIN_TOKEN"
assert_apperror 404 app.webhooks.get_outgoing.app_error
case_end

# ---- CLI ------------------------------------------------------------------------------------------
case_begin OW-CLI "griot outgoing create prints id, token, secret (3 lines); the hook fires, signed; list; delete"
cli outgoing create --team main --trigger-words cli1,cli2 --trigger-when start --callback "$APP/silent/cli" --content-type json --display-name "From CLI"
assert_eq "exit" 0 "$CLI_RC"
assert_eq "3 lines" 3 "$(printf '%s\n' "$CLI_OUT" | wc -l | tr -d ' ')"
CID=$(printf '%s\n' "$CLI_OUT" | sed -n 1p)
CTOK=$(printf '%s\n' "$CLI_OUT" | sed -n 2p)
CSEC=$(printf '%s\n' "$CLI_OUT" | sed -n 3p)
assert_match "id" "$CID" '^[a-z0-9]{26}$'
assert_match "token" "$CTOK" '^[a-z0-9]{26}$'
assert_match "secret" "$CSEC" '^whsec_[A-Za-z0-9+/=]{20,}$'
set_secrets /silent/cli "$CSEC"
post "$ALICE_TOK" "$TS" "cli2xyz from the cli"
if wait_req '.path == "/silent/cli" and .fields.post_id == $p' --arg p "$PID"; then
    assert_jq "token, trigger word, signature" "$REQ" '.fields.token == $k and .fields.trigger_word == "cli2" and .verified == [true]' --arg k "$CTOK"
else
    _err "no callback for the CLI hook"
fi
api GET "/hooks/outgoing/$CID" "$ADMIN_TOKEN"
assert_jq "as the API sees it" "$BODY" '.trigger_words == ["cli1","cli2"] and .trigger_when == 1 and .creator_id == $a and .display_name == "From CLI" and .content_type == "application/json"' --arg a "$ADMIN_ID"
cli outgoing list --team main
assert_eq "list exit" 0 "$CLI_RC"
assert_contains "list" "$CLI_OUT" "$CID"$'\t'"main"$'\t'"*"$'\t'"cli1,cli2"$'\t'"$APP/silent/cli"
assert_contains "list channel hook" "$CLI_OUT" "$O2"$'\t'"main"$'\t'"ow-form"$'\t'"-"$'\t'"$APP/silent/form"
cli outgoing create --team main --callback "$APP/silent/cli2"
assert_eq "no trigger, no channel: usage" 2 "$CLI_RC"
cli outgoing create --team main --channel ow-private --callback "$APP/silent/cli2"
assert_eq "private channel refused" 1 "$CLI_RC"
assert_contains "message" "$CLI_ERR" "public channels"
cli outgoing create --team main --trigger-words x --callback "notaurl"
assert_eq "bad URL refused" 1 "$CLI_RC"
cli outgoing delete "$CID"
assert_eq "delete" "deleted $CID" "$CLI_OUT"
api GET "/hooks/outgoing/$CID" "$ADMIN_TOKEN"
assert_apperror 404 app.webhooks.get_outgoing.app_error
case_end

# ---- SSRF guard, disabled -------------------------------------------------------------------------
case_begin OW-SSRF "a griot without --allow-internal never calls the loopback app (refused, logged)"
MAIN_URL=$GRIOT_URL MAIN_DATA=$GRIOT_DATA MAIN_ADMIN=$ADMIN_TOKEN
griot_start --set hook_rate=0
SSRF_DATA=$GRIOT_DATA
cli outgoing create --trigger-words gif --callback "$APP/silent/ssrf" --content-type json
assert_eq "created" 0 "$CLI_RC"
BASE_API="$GRIOT_URL/api/v4"
SSRF_ADMIN=$ADMIN_TOKEN
api GET /teams/name/main/channels/name/town-square "$SSRF_ADMIN"
SSRF_TS=$(jv .id)
api POST /posts "$SSRF_ADMIN" "{\"channel_id\":\"$SSRF_TS\",\"message\":\"gif internal\"}"
assert_status 201
deadline=$((SECONDS + 10))
until grep -q 'refused' "$SSRF_DATA/serve.err" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
assert_contains "serve.err" "$(cat "$SSRF_DATA/serve.err")" "refused"
http GET "$GRIOT_URL/metrics"
assert_contains "metrics" "$BODY" 'griot_outbound_requests_total{kind="outgoing_webhook",result="refused"} 1'
assert_eq "requests that reached the app" 0 "$(count_req '.path == "/silent/ssrf"')"
griot_stop
unset BASE_API
case_end

case_begin OW-DISABLED "enable_outgoing_webhooks=false: management API 501, hooks do not fire"
griot_start --set allow_internal=127.0.0.1/8,::1 --set enable_outgoing_webhooks=false
DIS_DATA=$GRIOT_DATA
BASE_API="$GRIOT_URL/api/v4"
api GET /hooks/outgoing "$ADMIN_TOKEN"
assert_apperror 501 api.outgoing_webhook.disabled.app_error
api POST /hooks/outgoing "$ADMIN_TOKEN" '{}'
assert_apperror 501 api.outgoing_webhook.disabled.app_error
cli outgoing create --trigger-words gif --callback "$APP/silent/disabled" --content-type json
assert_eq "CLI still works" 0 "$CLI_RC"
api GET /teams/name/main/channels/name/town-square "$ADMIN_TOKEN"
DIS_TS=$(jv .id)
api POST /posts "$ADMIN_TOKEN" "{\"channel_id\":\"$DIS_TS\",\"message\":\"gif disabled\"}"
assert_status 201
sleep 1 # nothing to wait for: give a (wrong) callback a moment to show up
assert_eq "requests that reached the app" 0 "$(count_req '.path == "/silent/disabled"')"
griot_stop
unset BASE_API
export GRIOT_DATA=$MAIN_DATA
GRIOT_URL=$MAIN_URL
ADMIN_TOKEN=$MAIN_ADMIN
case_end

case_begin OW-SHUTDOWN "the main server stops cleanly with outgoing webhooks running"
griot_stop "${_SERVER_PIDS[0]}"
case_end

finish
