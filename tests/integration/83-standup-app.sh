#!/usr/bin/env bash
# Issue 5, "Tests with real apps": the /standup tutorial end to end, with the example app users
# copy (examples/standup-app/server.mjs, Node `http` + npm `standardwebhooks`) and the official
# client (npm `@mattermost/client`, Client4 + WebSocketClient) as two logged-in users.
#
# This script starts griot (loopback allow-listed, --outgoing-timeout 2), registers the command
# and the outgoing webhook with the CLI exactly as examples/standup-app/README.md says, starts the
# example app with them (the command's secret also verifies the button: griot signs a click with
# the secret of whatever made the post), reads the integration secret (which the app must refuse
# for its button), and also starts a slow app and a port nothing listens on. Then:
#   SA-0..       CLI output (id, token, secret on three lines) and the pinned library version;
#   SA-20..      requests sent straight to the app with curl: a correctly signed one is answered,
#                tampered / foreign-secret / unsigned / replayed / wrong-token ones get 401 (the
#                app's verification really rejects) - signatures computed here with plain HMAC
#                in node:crypto, the recipe of docs/integrations.md, not with the app's library;
#   SA-1..SA-19  node/standup-scenario.mjs: what the clients see (see that file);
#   SA-30        the app's log: every request griot sent verified with standardwebhooks.
#
# How the example app finds `standardwebhooks`: ES-module imports ignore NODE_PATH and resolve
# from the importing file's real directory, and the test must not run `npm install` (no network
# in CI, no writes to the source tree). So server.mjs is copied, unchanged, into a scratch
# directory beside a node_modules symlink to tests/integration/node/node_modules, which `make
# deps` installs from its lockfile (it pins the same standardwebhooks version; SA-0 checks it).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready
for m in @mattermost/client standardwebhooks; do
    if [ ! -d "$NODE_DIR/node_modules/$m" ]; then
        echo "fail $TEST_NAME: $NODE_DIR/node_modules/$m missing (make deps runs npm ci there)"
        exit 1
    fi
done
EX_DIR="$ROOT/examples/standup-app"

case_begin SA-0 "examples/standup-app pins the standardwebhooks version this test runs it with"
want=$(jq -r '.dependencies.standardwebhooks' "$EX_DIR/package.json")
lock=$(jq -r '.packages["node_modules/standardwebhooks"].version' "$EX_DIR/package-lock.json")
have=$(jq -r '.version' "$NODE_DIR/node_modules/standardwebhooks/package.json")
assert_match "package.json pins an exact version" "$want" '^[0-9]+\.[0-9]+\.[0-9]+$'
assert_eq "package-lock.json" "$want" "$lock"
assert_eq "tests/integration/node/node_modules" "$want" "$have"
case_end

# Cheap password hashing: two logins, not a test of argon2 costs.
export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=1024
TIMEOUT_S=2
# A fixed port, so that --site-url (the base of response_url) is right.
GP=$(free_port)
griot_start --listen "127.0.0.1:$GP" --site-url "http://127.0.0.1:$GP" \
    --allow-internal 127.0.0.1/8,::1 --outgoing-timeout "$TIMEOUT_S"

ALICE_PW=alice-standup-1
BOB_PW=bob-standup-1
cli user create alice --password "$ALICE_PW"
ALICE=$CLI_OUT
cli user create bob --password "$BOB_PW"
BOB=$CLI_OUT
if ! [[ "$ALICE" =~ ^[a-z0-9]{26}$ && "$BOB" =~ ^[a-z0-9]{26}$ ]]; then
    echo "fail $TEST_NAME: griot user create: alice '$ALICE' bob '$BOB' ($CLI_ERR)"
    exit 1
fi

# Three distinct free ports: the example app, the slow app, and one nothing listens on.
ports=()
while [ "${#ports[@]}" -lt 3 ]; do
    p=$(free_port)
    [[ " ${ports[*]} $GP " == *" $p "* ]] || ports+=("$p")
done
APP_PORT=${ports[0]} SLOW_PORT=${ports[1]} DEAD_PORT=${ports[2]}
APP="http://127.0.0.1:$APP_PORT"

# cli3 LABEL ARGS...: a `griot ... create` that prints id, token, secret on three lines; sets
# L_ID L_TOKEN L_SECRET (empty on failure, with a failed case LABEL).
cli3() {
    local label=$1 lines
    shift
    cli "$@"
    mapfile -t lines <<<"$CLI_OUT"
    case_begin "$label" "griot $* -> id, token, signing secret on three lines"
    assert_eq "exit status (stderr: $(_trunc 200 "$CLI_ERR"))" 0 "$CLI_RC"
    assert_eq "line count" 3 "${#lines[@]}"
    assert_match "line 1: id" "${lines[0]:-}" '^[a-z0-9]{26}$'
    assert_match "line 2: token" "${lines[1]:-}" '^[a-z0-9]{26}$'
    assert_match "line 3: secret" "${lines[2]:-}" '^whsec_[A-Za-z0-9+/]{16,}={0,2}$'
    if [ "${#_CASE_ERRS[@]}" -eq 0 ]; then
        L_ID=${lines[0]} L_TOKEN=${lines[1]} L_SECRET=${lines[2]}
    else
        L_ID="" L_TOKEN="" L_SECRET=""
    fi
    case_end
}

HINT="hier: ... aujourd'hui: ... blocages: ..."
DESC="Poster son standup du jour"
CMD_USERNAME=standup-bot
cli3 SA-CLI-1 command create --team main --trigger standup --url "$APP/standup" --method POST \
    --username "$CMD_USERNAME" --autocomplete --hint "$HINT" --description "$DESC"
CMD_TOKEN=$L_TOKEN CMD_SECRET=$L_SECRET
cli3 SA-CLI-2 command create --team main --trigger slow --url "http://127.0.0.1:$SLOW_PORT/standup"
cli3 SA-CLI-3 command create --team main --trigger dead --url "http://127.0.0.1:$DEAD_PORT/standup"
cli3 SA-CLI-4 outgoing create --team main --channel town-square --trigger-words standup \
    --callback "$APP/outgoing"
OUT_ID=$L_ID OUT_TOKEN=$L_TOKEN OUT_SECRET=$L_SECRET

case_begin SA-CLI-5 "griot integration-secret -> the server-wide secret (whsec_...), the same on a second call"
cli integration-secret
INTEG_SECRET=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
assert_eq "exit status (stderr: $(_trunc 200 "$CLI_ERR"))" 0 "$CLI_RC"
assert_match "secret" "$INTEG_SECRET" '^whsec_[A-Za-z0-9+/]{16,}={0,2}$'
cli integration-secret
assert_eq "second call" "$INTEG_SECRET" "$(printf '%s\n' "$CLI_OUT" | tail -n 1)"
case_end

if [ -z "$CMD_SECRET" ] || [ -z "$OUT_SECRET" ]; then
    fail SA-run "the command or the outgoing webhook could not be registered: the scenario cannot run"
    griot_stop
    finish
fi

# Who the outgoing hook's replies are posted as: its creator, as the management API says.
http GET "$GRIOT_URL/api/v4/hooks/outgoing/$OUT_ID" -H "Authorization: Bearer $ADMIN_TOKEN"
OUT_CREATOR=$(printf '%s' "$BODY" | jq -r '.creator_id // empty' 2>/dev/null || true)
if ! [[ "$OUT_CREATOR" =~ ^[a-z0-9]{26}$ ]]; then
    fail SA-CLI-6 "GET /api/v4/hooks/outgoing/$OUT_ID -> $STATUS $(_trunc 200 "$BODY"): no creator_id"
fi

# ---- the apps ----------------------------------------------------------------------------------

APP_DIR="$_IT_TMP/standup-app"
mkdir -p "$APP_DIR"
cp "$EX_DIR/server.mjs" "$APP_DIR/server.mjs"
ln -s "$NODE_DIR/node_modules" "$APP_DIR/node_modules"
APP_LOG="$_IT_TMP/standup-app.log"
env PORT="$APP_PORT" HOST=127.0.0.1 APP_URL="$APP" \
    COMMAND_TOKEN="$CMD_TOKEN" COMMAND_SECRET="$CMD_SECRET" \
    OUTGOING_TOKEN="$OUT_TOKEN" OUTGOING_SECRET="$OUT_SECRET" LATER_DELAY_MS=500 \
    node "$APP_DIR/server.mjs" >"$APP_LOG" 2>&1 &
APP_PID=$!
bg_track "$APP_PID"

# The slow app: answers /standup correctly, but after 10 s (griot gives up after TIMEOUT_S).
node -e '
const http = require("http");
http.createServer((req, res) => {
  req.resume();
  setTimeout(() => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ response_type: "in_channel", text: "too late" }));
  }, 10000);
}).listen(Number(process.argv[1]), "127.0.0.1", () => console.log("slow app listening"));
' "$SLOW_PORT" >"$_IT_TMP/slow.log" 2>&1 &
bg_track $!

deadline=$((SECONDS + 10))
until grep -q 'listening on' "$APP_LOG" && grep -q 'listening' "$_IT_TMP/slow.log"; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$APP_PID" 2>/dev/null; then
        echo "fail $TEST_NAME: the example app did not start; its output:"
        sed 's/^/#   /' "$APP_LOG" "$_IT_TMP/slow.log"
        exit 1
    fi
    sleep 0.05
done

# ---- the app's verification, with requests sent straight to it --------------------------------

# sw_sign SECRET ID TS BODY: Standard Webhooks v1 signature with plain HMAC-SHA256 (node:crypto):
# base64(HMAC(base64-decoded secret after "whsec_", "ID.TS.BODY")).
sw_sign() {
    node -e '
const c = require("crypto");
const [secret, id, ts, body] = process.argv.slice(1);
const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
console.log("v1," + c.createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64"));
' "$@"
}
NEG=0 # requests the app must refuse (counted against its log in SA-30)

# app_post PATH BODY CONTENT-TYPE [ID TS SIG | -] [curl args...]: POST BODY to the app, with the
# three Standard Webhooks headers unless "-".
app_post() {
    local path=$1 body=$2 ct=$3 hs=()
    shift 3
    if [ "$1" = - ]; then
        shift
    else
        hs=(-H "webhook-id: $1" -H "webhook-timestamp: $2" -H "webhook-signature: $3")
        shift 3
    fi
    http POST "$APP$path" -H "Content-Type: $ct" "${hs[@]}" --data-binary "$body" "$@"
    REQ_DESC="$REQ_DESC body=$(_trunc 150 "$body")"
}

FORM=application/x-www-form-urlencoded
NOW=$(date +%s)
CMD_BODY="token=$CMD_TOKEN&user_name=mallory&command=%2Fstandup&text=hier%3A+rien"
SIG=$(sw_sign "$CMD_SECRET" msg_sa20 "$NOW" "$CMD_BODY")

case_begin SA-20 "app: /standup signed with the command's secret (plain HMAC) and its token -> 200 in_channel"
app_post /standup "$CMD_BODY" "$FORM" msg_sa20 "$NOW" "$SIG" -H "Authorization: Token $CMD_TOKEN"
assert_status 200
assert_jq "in_channel standup with the button" "$BODY" \
    '.response_type == "in_channel" and .text == "📝 Standup de mallory: hier: rien" and .attachments[0].actions[0].integration.url == $u' \
    --arg u "$APP/actions/hier"
case_end

case_begin SA-21 "app: /standup with no text, signed -> 200 ephemeral usage"
B="token=$CMD_TOKEN&user_name=mallory&text="
app_post /standup "$B" "$FORM" msg_sa21 "$NOW" "$(sw_sign "$CMD_SECRET" msg_sa21 "$NOW" "$B")"
assert_status 200
assert_jq "ephemeral usage" "$BODY" '.response_type == "ephemeral" and (.text | startswith("Usage"))'
USAGE=$(printf '%s' "$BODY" | jq -r '.text' 2>/dev/null || true)
case_end

case_begin SA-22 "app: body tampered after signing (text changed) -> 401"
app_post /standup "${CMD_BODY/rien/tout}" "$FORM" msg_sa20 "$NOW" "$SIG"
assert_status 401
NEG=$((NEG + 1))
case_end

case_begin SA-23 "app: /standup signed with another secret (the outgoing hook's) -> 401"
app_post /standup "$CMD_BODY" "$FORM" msg_sa23 "$NOW" "$(sw_sign "$OUT_SECRET" msg_sa23 "$NOW" "$CMD_BODY")"
assert_status 401
NEG=$((NEG + 1))
case_end

case_begin SA-24 "app: /standup without signature headers (right token) -> 401"
app_post /standup "$CMD_BODY" "$FORM" - -H "Authorization: Token $CMD_TOKEN"
assert_status 401
NEG=$((NEG + 1))
case_end

case_begin SA-25 "app: a correctly signed /standup replayed 10 minutes later -> 401 (timestamp tolerance)"
OLD=$((NOW - 600))
app_post /standup "$CMD_BODY" "$FORM" msg_sa25 "$OLD" "$(sw_sign "$CMD_SECRET" msg_sa25 "$OLD" "$CMD_BODY")"
assert_status 401
NEG=$((NEG + 1))
case_end

case_begin SA-26 "app: /standup correctly signed but with a wrong token -> 401"
B="token=aaaaaaaaaaaaaaaaaaaaaaaaaa&user_name=mallory&text=hier%3A+rien"
app_post /standup "$B" "$FORM" msg_sa26 "$NOW" "$(sw_sign "$CMD_SECRET" msg_sa26 "$NOW" "$B")"
assert_status 401
NEG=$((NEG + 1))
case_end

case_begin SA-27 "app: button callback with a forged signature, or signed with the integration secret (a bot's or user's look-alike button) -> 401; with the command's secret -> 200 update"
B='{"user_id":"x","user_name":"mallory","post_id":"p","context":{"user":"alice","text":"t","hier":"h"}}'
app_post /actions/hier "$B" application/json msg_sa27 "$NOW" "v1,$(printf 'forged' | base64)"
assert_status 401
NEG=$((NEG + 1))
app_post /actions/hier "$B" application/json msg_sa27 "$NOW" "$(sw_sign "$INTEG_SECRET" msg_sa27 "$NOW" "$B")"
assert_status 401
NEG=$((NEG + 1))
app_post /actions/hier "$B" application/json msg_sa27 "$NOW" "$(sw_sign "$CMD_SECRET" msg_sa27 "$NOW" "$B")"
assert_status 200
assert_jq "update + ephemeral_text" "$BODY" '.update.message == "📝 Standup de alice: t\n👀 Hier consulté par @mallory" and .ephemeral_text == "Hier, alice : h"'
case_end

case_begin SA-28 "app: outgoing callback signed with the command's secret -> 401; with the hook's -> 200 comment"
B="token=$OUT_TOKEN&trigger_word=standup&user_name=mallory&text=standup"
app_post /outgoing "$B" "$FORM" msg_sa28 "$NOW" "$(sw_sign "$CMD_SECRET" msg_sa28 "$NOW" "$B")"
assert_status 401
NEG=$((NEG + 1))
app_post /outgoing "$B" "$FORM" msg_sa28 "$NOW" "$(sw_sign "$OUT_SECRET" msg_sa28 "$NOW" "$B")"
assert_status 200
assert_jq "comment" "$BODY" '.response_type == "comment" and (.text | startswith("@mallory pour ton standup"))'
case_end

# ---- the scenario with the official client -------------------------------------------------------

WORK="$_IT_TMP/sa"
jq -n --arg base "$GRIOT_URL" --arg an alice --arg ap "$ALICE_PW" --arg ai "$ALICE" \
    --arg bn bob --arg bp "$BOB_PW" --arg bi "$BOB" --arg oc "$OUT_CREATOR" --arg usage "$USAGE" \
    --arg hint "$HINT" --arg desc "$DESC" --arg cu "$CMD_USERNAME" --argjson to "$TIMEOUT_S" \
    '{base: $base, team: "main", channel: "town-square",
      alice: {name: $an, password: $ap, id: $ai}, bob: {name: $bn, password: $bp, id: $bi},
      outgoingCreator: $oc, usage: $usage, hint: $hint, description: $desc, commandUsername: $cu,
      delayMs: 500, timeoutS: $to}' >"$WORK.json"
node "$NODE_DIR/standup-scenario.mjs" "$WORK" >"$WORK.out" 2>"$WORK.err" &
NODE_PID=$!
bg_track "$NODE_PID"

# When the scenario asks, stop the example app (SIGTERM, then KILL) so it sees a dead app.
while kill -0 "$NODE_PID" 2>/dev/null && [ ! -e "$WORK.kill-app" ]; do sleep 0.05; done
if [ -e "$WORK.kill-app" ]; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    http GET "$APP/healthz"
    [ "$STATUS" = 000 ] || fail SA-run "the example app still answers after being stopped: $STATUS"
    : >"$WORK.app-dead"
fi
rc=0
wait "$NODE_PID" || rc=$?

done_line=no
if [ -e "$WORK.results" ]; then
    while IFS= read -r l; do
        case $l in
        "ok "*)
            l=${l#ok }
            ok "${l%% *}" "${l#* }"
            ;;
        "fail "*)
            l=${l#fail }
            fail "${l%% *}" "${l#* }"
            ;;
        "# done") done_line=yes ;;
        *) echo "$l" ;;
        esac
    done <"$WORK.results"
fi
if [ "$rc" -ne 0 ] || [ "$done_line" != yes ]; then
    fail SA-run "node standup-scenario.mjs exited $rc before finishing; its stderr:"
    tail -n 30 "$WORK.err" | sed 's/^/#   /'
fi

# ---- what the app saw ------------------------------------------------------------------------

case_begin SA-30 "the app's log: griot's command, button and outgoing requests all verified with standardwebhooks; only this script's forged requests refused"
LOG=$(cat "$APP_LOG")
assert_contains "slash command from alice" "$LOG" "POST /standup from alice: signature ok, token ok"
assert_match "button click by bob" "$LOG" "POST /actions/hier by bob on post [a-z0-9]{26}: signature ok"
assert_contains "outgoing webhook" "$LOG" "POST /outgoing trigger 'standup' by alice: signature ok, token ok"
assert_contains "delayed answer through response_url" "$LOG" "response_url answered 200 ok"
assert_eq "refused requests (all sent by this script)" "$NEG" "$(grep -c ': refused ' "$APP_LOG" || true)"
case_end
if [ "$_FAILED" -gt 0 ]; then
    note "example app log:"
    sed 's/^/#   /' "$APP_LOG"
fi

griot_stop
finish
