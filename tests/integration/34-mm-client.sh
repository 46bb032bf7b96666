#!/usr/bin/env bash
# The official Mattermost JavaScript client (npm `@mattermost/client`: Client4 and
# WebSocketClient, on `ws`) against the real server, as the issue's "Proven with real clients"
# asks: a bot created with `griot bot create` works with its token (finds main/town-square by
# name, posts, replies in a thread, DMs a user, reads back with paging, edits, reacts, deletes);
# a human who logged in with a password receives the matching WebSocket events in order, and a
# webhook post too; a mention of the bot reaches the bot's own socket with its id in `mentions`.
# The cases (MC-1 ...) are judged in node/mm-client-scenario.mjs on what each client sees; this
# script makes the accounts, posts to the bootstrap hook with curl when the scenario asks for it,
# and reports the scenario's results.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
node_ready
if [ ! -d "$NODE_DIR/node_modules/@mattermost/client" ]; then
    echo "fail $TEST_NAME: $NODE_DIR/node_modules/@mattermost/client missing (make deps runs npm ci there)"
    exit 1
fi

# Cheap password hashing: one login, not a test of argon2 costs.
export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=1024
griot_start --set hook_rate=0

cli bot create mcbot
BOT=$(printf '%s\n' "$CLI_OUT" | head -n 1)
BOT_TOKEN=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
ALICE_PW=alice-mm-client-1
cli user create alice --password "$ALICE_PW"
ALICE=$CLI_OUT
if ! [[ "$BOT" =~ ^[a-z0-9]{26}$ && "$BOT_TOKEN" =~ ^[a-z0-9]{26}$ && "$ALICE" =~ ^[a-z0-9]{26}$ ]]; then
    echo "fail $TEST_NAME: griot bot create / user create: bot '$BOT' token '$BOT_TOKEN' alice '$ALICE' ($CLI_ERR)"
    exit 1
fi
if [ -z "$BOOT_HOOK" ]; then
    echo "fail $TEST_NAME: no bootstrap hook in griot's first-start output"
    exit 1
fi

WORK="$_IT_TMP/mc"
HOOK_TEXT=$(uniq_text "MC webhook")
node "$NODE_DIR/mm-client-scenario.mjs" "$GRIOT_URL" "$BOT_TOKEN" "$BOT" alice "$ALICE_PW" "$ALICE" \
    "$HOOK_TEXT" "$WORK" >"$WORK.out" 2>"$WORK.err" &
NODE_PID=$!
bg_track "$NODE_PID"

# (b): when the scenario is ready for it, a webhook post with curl; it judges what arrives.
while kill -0 "$NODE_PID" 2>/dev/null && [ ! -e "$WORK.hook-ready" ]; do sleep 0.05; done
if [ -e "$WORK.hook-ready" ]; then
    post_json "$BOOT_HOOK" "$(jq -nc --arg t "$HOOK_TEXT" '{text: $t}')"
    printf '%s\t%s' "$STATUS" "$BODY" >"$WORK.hook-done.tmp"
    mv "$WORK.hook-done.tmp" "$WORK.hook-done"
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
    fail MC-run "node mm-client-scenario.mjs exited $rc before finishing; its stderr:"
    tail -n 30 "$WORK.err" | sed 's/^/#   /'
fi

griot_stop
finish
