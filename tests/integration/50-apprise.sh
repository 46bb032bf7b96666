#!/usr/bin/env bash
# Debian's apprise CLI (mmost:// plugin) against griot: what it sends must be stored.
# URL forms (apprise --details): mmost://[botname@]host[:port]/token[?channel=a,b&image=no]
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v apprise >/dev/null; then
    echo "fail $TEST_NAME: apprise is not installed (make deps installs it)"
    exit 1
fi
export HOME="$_IT_TMP/home" # no user apprise config
mkdir -p "$HOME"

griot_start --set hook_rate=0
H=$BOOT_HOOK
HOSTPORT="127.0.0.1:$GRIOT_PORT"

# ap ARGS...: run apprise; sets AP_RC and AP_OUT
ap() {
    AP_RC=0
    AP_OUT=$(timeout 60 apprise "$@" 2>&1) || AP_RC=$?
}

case_begin AP-1 "apprise -vv -t TITLE -b BODY mmost://127.0.0.1:PORT/HOOK -> stored in town-square"
title="AP-1 title $RANDOM"
body="AP-1 body $(uniq_text x)"
before=$(post_count town-square)
ap -vv -t "$title" -b "$body" "mmost://$HOSTPORT/$H"
assert_eq "apprise exit (output: $(_trunc 300 "$AP_OUT"))" 0 "$AP_RC"
assert_eq "town-square posts +1" "$((before + 1))" "$(post_count town-square)"
P=$(last_post town-square)
assert_jq "message has title and body" "$P" '(.message | contains($t)) and (.message | contains($b))' --arg t "$title" --arg b "$body"
assert_jq "from_webhook, username Apprise" "$P" '.props.from_webhook == "true" and .props.override_username == "Apprise"'
case_end

case_begin AP-2 "?channel=off-topic -> stored in off-topic"
body="AP-2 $(uniq_text x)"
before_ot=$(post_count off-topic)
before_ts=$(post_count town-square)
ap -vv -b "$body" "mmost://$HOSTPORT/$H?channel=off-topic"
assert_eq "apprise exit (output: $(_trunc 300 "$AP_OUT"))" 0 "$AP_RC"
assert_eq "off-topic posts +1" "$((before_ot + 1))" "$(post_count off-topic)"
assert_eq "town-square unchanged" "$before_ts" "$(post_count town-square)"
assert_jq "stored" "$(last_post off-topic)" '.message == $b' --arg b "$body"
case_end

case_begin AP-3 "botname@ and image=no -> override_username botname, icon_url null accepted"
body="AP-3 $(uniq_text x)"
ap -vv -b "$body" "mmost://griotbot@$HOSTPORT/$H?image=no"
assert_eq "apprise exit (output: $(_trunc 300 "$AP_OUT"))" 0 "$AP_RC"
P=$(last_post town-square)
assert_jq "stored" "$P" '.message == $b and .props.override_username == "griotbot" and (.props | has("override_icon_url") | not)' --arg b "$body"
case_end

case_begin AP-4 "channel list ?to=town-square,#off-topic -> one request per channel, both stored"
body="AP-4 $(uniq_text x)"
ap -vv -b "$body" "mmost://$HOSTPORT/$H?to=town-square,%23off-topic"
assert_eq "apprise exit (output: $(_trunc 300 "$AP_OUT"))" 0 "$AP_RC"
assert_jq "in town-square" "$(last_post town-square)" '.message == $b' --arg b "$body"
assert_jq "in off-topic" "$(last_post off-topic)" '.message == $b' --arg b "$body"
case_end

case_begin AP-5 "unknown hook token -> apprise reports failure (exit != 0), nothing stored"
before=$(total_posts)
ap -vv -b "AP-5 never" "mmost://$HOSTPORT/abcdefghijkmnopqrstuwxyz12"
assert_ne "apprise exit" 0 "$AP_RC"
assert_contains "apprise saw the 400" "$AP_OUT" 400
assert_eq "nothing stored" "$before" "$(total_posts)"
case_end

case_begin AP-6 "unknown channel -> apprise reports failure (404), nothing stored"
before=$(total_posts)
ap -vv -b "AP-6 never" "mmost://$HOSTPORT/$H?channel=no-such-channel"
assert_ne "apprise exit" 0 "$AP_RC"
assert_contains "apprise saw the 404" "$AP_OUT" 404
assert_eq "nothing stored" "$before" "$(total_posts)"
case_end

griot_stop
finish
