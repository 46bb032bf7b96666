#!/usr/bin/env bash
# CLI contract: exit codes (0 ok, 1 failure, 2 usage error naming the bad argument), only serve
# creates a store, team/channel/hook/posts/token commands while the server runs, and the naming
# rules of spec §9 through the CLI (ID-1, ID-3, ID-6).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ZB32='^[ybndrfg8ejkmcpqxot1uwisza345h769]{26}$'

# expect_usage NAME WORD ARGS...: exit 2 and stderr (or stdout) names WORD.
expect_usage() {
    local name=$1 word=$2
    shift 2
    case_begin "$name" "griot $* -> exit 2 naming '$word'"
    cli "$@"
    assert_eq "exit code" 2 "$CLI_RC"
    assert_contains "message" "$CLI_ERR$CLI_OUT" "$word"
    case_end
}

# --- no server, no store -------------------------------------------------------------------------
NOSTORE="$_IT_TMP/no-such-store"

case_begin CLI-1 "griot without arguments -> exit 2"
cli
assert_eq "exit code" 2 "$CLI_RC"
case_end
expect_usage CLI-2 frobnicate frobnicate
expect_usage CLI-3 --bogus serve --bogus --data "$NOSTORE"
expect_usage CLI-7 --nope channel list --nope --data "$NOSTORE"
case_begin CLI-8 "griot channel create without NAME -> exit 2"
cli channel create --data "$NOSTORE"
assert_eq "exit code" 2 "$CLI_RC"
case_end
case_begin CLI-9 "serve without --data value -> exit 2"
cli serve --data
assert_eq "exit code" 2 "$CLI_RC"
case_end
case_begin CLI-10 "--help on griot and on each command -> exit 0 with usage text"
for args in "--help" "serve --help" "team create --help" "channel create --help" "channel list --help" \
    "hook create --help" "hook list --help" "hook delete --help" "posts --help" "token create --help"; do
    # shellcheck disable=SC2086
    cli $args
    assert_eq "griot $args exit" 0 "$CLI_RC"
    if [ -z "$CLI_OUT$CLI_ERR" ]; then _err "griot $args printed nothing"; fi
done
assert_eq "store not created by --help" no "$([ -e "$NOSTORE" ] && echo yes || echo no)"
case_end

case_begin CLI-11 "commands other than serve on a missing store -> exit 1 with a message, nothing created"
for args in "channel list" "team create t9" "hook list" "posts town-square" "token create admin"; do
    # shellcheck disable=SC2086
    cli $args --data "$NOSTORE"
    assert_eq "griot $args exit" 1 "$CLI_RC"
    if [ -z "$CLI_ERR" ]; then _err "griot $args: no message on stderr"; fi
done
GRIOT_DATA=$NOSTORE cli channel list
assert_eq "GRIOT_DATA=missing channel list exit" 1 "$CLI_RC"
assert_eq "store created" no "$([ -e "$NOSTORE" ] && echo yes || echo no)"
case_end

# --- with a running server ----------------------------------------------------------------------
griot_start --set hook_rate=0
DATA=$GRIOT_DATA

# usage errors on an existing store (so that only the usage error is wrong)
expect_usage CLI-4 --channel hook create
expect_usage CLI-5 --limit posts town-square --limit abc
expect_usage CLI-6 --over-limit hook create --channel town-square --over-limit maybe
expect_usage CLI-6b --rate hook create --channel town-square --rate -5
expect_usage CLI-6c --private channel create x1 --private=maybe

case_begin CLI-12 "team create t2 -> exit 0; channel create/list in it (--team, --display, --json shape)"
cli team create t2
assert_eq "team create exit" 0 "$CLI_RC"
cli channel create build --team t2 --display "Build Status"
assert_eq "channel create exit" 0 "$CLI_RC"
cli channel create sec --team t2 --private
assert_eq "private channel create exit" 0 "$CLI_RC"
cli channel list --team t2 --json
assert_eq "channel list exit" 0 "$CLI_RC"
assert_jq "array of channels" "$CLI_OUT" 'type == "array" and all(.[]; (.id | type) == "string" and (.team_id | type) == "string" and (.name | type) == "string" and (.display_name | type) == "string" and (.type | type) == "string" and (.create_at | type) == "number" and (.update_at | type) == "number" and (.delete_at | type) == "number")'
assert_jq "build channel" "$CLI_OUT" 'any(.[]; .name == "build" and .display_name == "Build Status" and .type == "O")'
assert_jq "private channel" "$CLI_OUT" 'any(.[]; .name == "sec" and .type == "P")'
assert_jq "no main channels in t2" "$CLI_OUT" 'all(.[]; .name != "off-topic")'
assert_jq "one team_id" "$CLI_OUT" '[.[].team_id] | unique | length == 1'
assert_jq "ID-1 channel ids z-base-32" "$CLI_OUT" 'all(.[]; .id | test($re)) and all(.[]; .team_id | test($re))' --arg re "$ZB32"
cli channel list --team t2
assert_eq "channel list (human) exit" 0 "$CLI_RC"
assert_contains "human list" "$CLI_OUT" build
cli channel list --json --data "$DATA"
assert_jq "default team main (explicit --data)" "$CLI_OUT" '([.[].name] | index("town-square") != null) and ([.[].name] | index("build") == null)'
case_end

case_begin CLI-13 "duplicate team / channel -> exit 1"
cli team create t2
assert_eq "team create t2 again" 1 "$CLI_RC"
cli channel create build --team t2
assert_eq "channel create build again" 1 "$CLI_RC"
cli channel create build --team nosuchteam
assert_eq "channel create in unknown team" 1 "$CLI_RC"
case_end

case_begin ID-3 "channel create Town (uppercase) -> refused, names it, not created"
cli channel create Town
if [ "$CLI_RC" != 1 ] && [ "$CLI_RC" != 2 ]; then _err "exit code: expected 1 (or 2), got $CLI_RC"; fi
assert_contains "message" "$CLI_ERR" Town
cli channel list --json
assert_jq "not created" "$CLI_OUT" 'all(.[]; (.name | ascii_downcase) != "town")'
for bad in _lead 'sp ace' 'dot.ted' "$(printf 'x%.0s' $(seq 65))"; do
    cli channel create "$bad"
    if [ "$CLI_RC" = 0 ]; then _err "channel create '$bad' accepted"; fi
done
cli channel create "$(printf 'y%.0s' $(seq 64))"
assert_eq "64-char name accepted" 0 "$CLI_RC"
case_end

case_begin ID-6 "team create api-team (reserved prefix) -> refused, not created"
cli team create api-team
if [ "$CLI_RC" != 1 ] && [ "$CLI_RC" != 2 ]; then _err "exit code: expected 1 (or 2), got $CLI_RC"; fi
assert_contains "message" "$CLI_ERR" api-team
cli channel list --team api-team --json
assert_ne "team api-team exists" 0 "$CLI_RC"
for bad in a Ab -ab ab- adminteam; do
    cli team create "$bad"
    if [ "$CLI_RC" = 0 ]; then _err "team create '$bad' accepted"; fi
done
cli team create ok-team-2
assert_eq "valid team ok-team-2" 0 "$CLI_RC"
case_end

case_begin CLI-14 "hook create prints the id and <site-url>/hooks/<id>; the hook works"
cli hook create --channel off-topic --title "CLI hook" --description "made by 10-cli"
assert_eq "exit" 0 "$CLI_RC"
HID=$(printf '%s\n' "$CLI_OUT" | sed -n 1p)
assert_match "line 1 = id (ID-1 alphabet)" "$HID" "$ZB32"
assert_eq "line 2 = URL" "http://localhost:8065/hooks/$HID" "$(printf '%s\n' "$CLI_OUT" | sed -n 2p)"
t=$(uniq_text CLI-14)
post_json "$HID" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
assert_jq "stored in off-topic" "$(last_post off-topic)" '.message == $t' --arg t "$t"
GRIOT_SITE_URL=https://chat.example.com/ cli hook create --channel town-square
H2=$(printf '%s\n' "$CLI_OUT" | sed -n 1p)
assert_eq "URL from GRIOT_SITE_URL" "https://chat.example.com/hooks/$H2" "$(printf '%s\n' "$CLI_OUT" | sed -n 2p)"
cli hook create --channel no-such-channel
assert_eq "unknown channel exit" 1 "$CLI_RC"
cli hook create --channel build --team t2 --lock --username ci-bot --icon https://i/ci.png --title T2
assert_eq "hook in team t2 exit" 0 "$CLI_RC"
H3=$(printf '%s\n' "$CLI_OUT" | sed -n 1p)
t=$(uniq_text CLI-14-t2)
post_json "$H3" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
P=$(last_post build --team t2)
assert_jq "stored in t2/build with hook defaults" "$P" '.message == $t and .props.override_username == "ci-bot" and .props.override_icon_url == "https://i/ci.png"' --arg t "$t"
case_end

case_begin CLI-15 "hook list / hook list --json / hook delete"
cli hook list
assert_eq "hook list exit" 0 "$CLI_RC"
assert_contains "hook list shows the id" "$CLI_OUT" "$HID"
cli hook list --json
assert_eq "hook list --json exit" 0 "$CLI_RC"
assert_jq "json array" "$CLI_OUT" 'type == "array" and length >= 4'
assert_jq "hook object" "$CLI_OUT" 'any(.[]; .id == $h and .display_name == "CLI hook" and .description == "made by 10-cli" and .channel_locked == false and (.channel_id | length) == 26 and (.team_id | length) == 26 and (.user_id | length) == 26 and (.create_at | type) == "number")' --arg h "$HID"
assert_jq "locked hook object" "$CLI_OUT" 'any(.[]; .id == $h and .channel_locked == true and .username == "ci-bot" and .icon_url == "https://i/ci.png")' --arg h "$H3"
cli hook delete "$HID"
assert_eq "hook delete exit" 0 "$CLI_RC"
cli hook list --json
assert_jq "deleted hook gone" "$CLI_OUT" 'all(.[]; .id != $h)' --arg h "$HID"
post_json "$HID" '{"text":"to a deleted hook"}'
assert_apperror 400 web.incoming_webhook.invalid.app_error
cli hook delete "$HID"
assert_eq "delete again exit" 1 "$CLI_RC"
cli hook delete abcdefghijkmnopqrstuwxyz12
assert_eq "delete unknown exit" 1 "$CLI_RC"
case_end

case_begin CLI-16 "posts --limit N (newest N; human output oldest first); default 20; 0 = all"
cli channel create limits
assert_eq "channel create limits" 0 "$CLI_RC"
HL=$(hook_create --channel limits)
run=$RANDOM
for i in $(seq 1 25); do
    post_json "$HL" "{\"text\":\"lim-$run-$i\"}"
    [ "$STATUS" = 200 ] || _err "post $i -> $STATUS"
done
cli posts limits --limit 3 --json
assert_eq "exit" 0 "$CLI_RC"
assert_jq "PostList shape" "$CLI_OUT" '(.order | type) == "array" and (.posts | type) == "object" and (.next_post_id | type) == "string" and (.prev_post_id | type) == "string"'
assert_jq "newest 3, newest first" "$CLI_OUT" '[.order[] as $i | .posts[$i].message] == [$p + "25", $p + "24", $p + "23"]' --arg p "lim-$run-"
assert_jq "posts map = order" "$CLI_OUT" '(.posts | keys | sort) == (.order | sort)'
assert_jq "post fields" "$CLI_OUT" 'all(.posts[]; has("id") and has("create_at") and has("update_at") and has("edit_at") and has("delete_at") and has("user_id") and has("channel_id") and has("root_id") and has("message") and has("type") and has("props"))'
assert_jq "ID-1 post ids z-base-32" "$CLI_OUT" 'all(.order[]; test($re))' --arg re "$ZB32"
cli posts limits --limit 3
assert_eq "human exit" 0 "$CLI_RC"
order=$(printf '%s\n' "$CLI_OUT" | grep -o "lim-$run-[0-9]*" | tr '\n' ' ')
assert_eq "human output oldest first" "lim-$run-23 lim-$run-24 lim-$run-25 " "$order"
cli posts limits --json
assert_jq "default limit 20" "$CLI_OUT" '(.order | length) == 20'
cli posts limits --limit 0 --json
assert_jq "--limit 0 = all 25" "$CLI_OUT" '(.order | length) == 25 and (.posts | length) == 25'
cli posts limits --limit 0 --json --data "$DATA"
assert_jq "--data explicit" "$CLI_OUT" '(.order | length) == 25'
cli posts no-such-channel
assert_eq "posts of unknown channel exit" 1 "$CLI_RC"
case_end

case_begin CLI-17 "token create admin prints a token on its last line; it authenticates REST"
cli token create admin
assert_eq "exit" 0 "$CLI_RC"
TOK=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
assert_match "token" "$TOK" '^[A-Za-z0-9]{20,}$'
http GET "$GRIOT_URL/api/v4/hooks/incoming" -H "Authorization: Bearer $TOK"
assert_status 200
assert_jq "hooks array" "$BODY" 'type == "array"'
http GET "$GRIOT_URL/api/v4/hooks/incoming" -H "Authorization: Bearer not-a-token"
assert_status 401
cli token create nobody-here
assert_eq "token create for unknown user exit" 1 "$CLI_RC"
case_end

griot_stop
finish
