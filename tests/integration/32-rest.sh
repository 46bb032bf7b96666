#!/usr/bin/env bash
# The REST surface for teams, channels, posts, threads, reactions, typing and client config
# (spec §5.4-§5.10, §9): every RB- case that concerns these endpoints, pagination and cursors,
# pending_post_id, threads, reactions, permissions (another user's DM, a private channel, a team
# one is not in, an admin endpoint) and bad input. Writes are checked through what is stored.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Cheap password hashing: this script logs in once, it does not test argon2 costs.
export GRIOT_PASSWORD_HASH_TIME_COST=1 GRIOT_PASSWORD_HASH_MEMORY_KIB=64
griot_start --set hook_rate=0
API="$GRIOT_URL/api/v4"
ZERO_ID=aaaaaaaaaaaaaaaaaaaaaaaaaa # a valid id that names nothing

# api METHOD PATH TOKEN [JSON]: one authenticated JSON request (TOKEN "" = none).
api() {
    local method=$1 path=$2 tok=$3 args=()
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    if [ $# -ge 4 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$4"); fi
    http "$method" "$API$path" "${args[@]}"
    if [ $# -ge 4 ]; then REQ_DESC="$REQ_DESC json=$(_trunc 200 "$4")"; fi
}
jv() { printf '%s' "$BODY" | jq -r "$1" 2>/dev/null || true; } # jv FILTER: a value of BODY

# bot NAME: create a bot; sets NEW_ID and NEW_TOKEN.
bot() {
    cli bot create "$1"
    NEW_ID=$(printf '%s\n' "$CLI_OUT" | head -n 1)
    NEW_TOKEN=$(printf '%s\n' "$CLI_OUT" | tail -n 1)
    if ! [[ "$NEW_ID" =~ ^[a-z0-9]{26}$ && "$NEW_TOKEN" =~ ^[a-z0-9]{26}$ ]]; then
        echo "fail $TEST_NAME: griot bot create $1: $CLI_OUT $CLI_ERR"
        exit 1
    fi
}

bot deploybot
BOT=$NEW_ID BOT_TOK=$NEW_TOKEN
bot carolbot
CAROL=$NEW_ID CAROL_TOK=$NEW_TOKEN
bot davebot
DAVE=$NEW_ID
cli user create alice --password alice-password-1
ALICE=$(printf '%s\n' "$CLI_OUT" | head -n 1)
http POST "$API/users/login" -H 'Content-Type: application/json' \
    --data-binary '{"login_id":"alice","password":"alice-password-1"}'
ALICE_TOK=$(hdr Token)
if ! [[ "$ALICE" =~ ^[a-z0-9]{26}$ && -n "$ALICE_TOK" ]]; then
    echo "fail $TEST_NAME: cannot create and log in alice: $CLI_OUT $CLI_ERR / $STATUS $BODY"
    exit 1
fi
TS=$(channel_id town-square)

# ---- teams and channels --------------------------------------------------------------------------
case_begin RB-5 "GET /teams/name/main/channels/name/town-square -> 200 Channel type O (also by team id)"
api GET /teams/name/main/channels/name/town-square "$BOT_TOK"
assert_status 200
assert_jq "Channel" "$BODY" '.id == $c and .type == "O" and .name == "town-square" and (.team_id | length) == 26 and has("display_name") and has("header") and has("purpose") and has("last_post_at") and has("total_msg_count") and has("creator_id")' --arg c "$TS"
TEAM=$(jv .team_id)
api GET "/teams/$TEAM/channels/name/town-square" "$BOT_TOK"
assert_status 200
assert_jq "same channel" "$BODY" '.id == $c' --arg c "$TS"
api GET "/channels/$TS" "$BOT_TOK"
assert_status 200
assert_jq "by id" "$BODY" '.id == $c and .type == "O"' --arg c "$TS"
case_end

case_begin RB-6 "channel by name: no-such -> 404 app.channel.get_by_name.missing.app_error"
api GET /teams/name/main/channels/name/no-such "$BOT_TOK"
assert_apperror 404 app.channel.get_by_name.missing.app_error
api GET "/teams/$TEAM/channels/name/no-such" "$BOT_TOK"
assert_apperror 404 app.channel.get_by_name.missing.app_error
case_end

case_begin REST-TEAM "GET /teams/{id}, /teams/name/{name}; unknown -> 404; bad id -> 400"
api GET "/teams/$TEAM" "$BOT_TOK"
assert_status 200
assert_jq "Team" "$BODY" '.id == $t and .name == "main" and .type == "O" and has("display_name") and has("allow_open_invite") and .email == ""' --arg t "$TEAM"
api GET /teams/name/main "$BOT_TOK"
assert_status 200
assert_jq "Team by name" "$BODY" '.id == $t' --arg t "$TEAM"
api GET /teams/name/no-such-team "$BOT_TOK"
assert_apperror 404 app.team.get_by_name.missing.app_error
api GET "/teams/$ZERO_ID" "$BOT_TOK"
assert_apperror 404 app.team.get.find.app_error
api GET /teams/short "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
case_end

case_begin REST-MINE "GET /users/me/teams/{team}/channels: the caller's channels; someone else's -> 403"
api GET "/users/me/teams/$TEAM/channels" "$BOT_TOK"
assert_status 200
assert_jq "town-square and off-topic" "$BODY" 'type == "array" and any(.[]; .name == "town-square") and any(.[]; .name == "off-topic")'
api GET "/users/$BOT/teams/$TEAM/channels" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET "/users/$BOT/teams/$TEAM/channels" "$ADMIN_TOKEN"
assert_status 200
case_end

# ---- direct and group channels ---------------------------------------------------------------
case_begin RB-8 "POST /channels/direct [bot, alice] twice -> 201 both, same id, name sorted ids joined by __, type D (ID-7)"
api POST /channels/direct "$BOT_TOK" "[\"$BOT\",\"$ALICE\"]"
assert_status 201
DM=$(jv .id)
want=$(printf '%s\n%s\n' "$BOT" "$ALICE" | LC_ALL=C sort | paste -sd_ - | sed 's/_/__/')
assert_jq "DM" "$BODY" '.type == "D" and .name == $n and .team_id == "" and .display_name == ""' --arg n "$want"
api POST /channels/direct "$ALICE_TOK" "[\"$ALICE\",\"$BOT\"]"
assert_status 201
assert_jq "same channel" "$BODY" '.id == $d and .name == $n' --arg d "$DM" --arg n "$want"
api POST /channels/direct "$BOT_TOK" "[\"$BOT\",\"$BOT\"]"
assert_status 201
assert_jq "self-DM" "$BODY" '.type == "D" and .name == ($b + "__" + $b)' --arg b "$BOT"
case_end

case_begin REST-DM-PERM "another user's DM: cannot open, read, post into or list it (403); admin can read"
api POST /channels/direct "$CAROL_TOK" "[\"$BOT\",\"$ALICE\"]"
assert_apperror 403 api.context.permissions.app_error
api GET "/channels/$DM" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET "/channels/$DM/posts" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
n0=$(post_count "$want")
api POST /posts "$CAROL_TOK" "{\"channel_id\":\"$DM\",\"message\":\"intruder\"}"
assert_apperror 403 api.context.permissions.app_error
assert_eq "nothing stored" "$n0" "$(post_count "$want")"
api GET "/channels/$DM" "$ADMIN_TOKEN"
assert_status 200
api POST /channels/direct "$BOT_TOK" "[\"$BOT\",\"$ZERO_ID\"]"
assert_apperror 400 api.channel.create_direct_channel.invalid_user.app_error
api POST /channels/direct "$BOT_TOK" "[\"$BOT\"]"
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

case_begin REST-DM-POST "posting in the DM as a member -> 201; the other member reads it"
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$DM\",\"message\":\"hello alice\"}"
assert_status 201
api GET "/channels/$DM/posts" "$ALICE_TOK"
assert_status 200
assert_jq "alice sees it" "$BODY" '.posts[.order[0]].message == "hello alice"'
case_end

case_begin REST-GROUP "POST /channels/group: 201 type G, 40-hex name, idempotent; 2 users -> 400"
api POST /channels/group "$BOT_TOK" "[\"$CAROL\",\"$DAVE\"]"
assert_status 201
GM=$(jv .id)
assert_jq "group channel" "$BODY" '.type == "G" and (.name | test("^[0-9a-f]{40}$")) and .team_id == "" and (.display_name | contains("deploybot"))'
api POST /channels/group "$CAROL_TOK" "[\"$BOT\",\"$CAROL\",\"$DAVE\"]"
assert_status 201
assert_jq "same channel" "$BODY" '.id == $g' --arg g "$GM"
api GET "/channels/$GM/members" "$BOT_TOK"
assert_status 200
assert_jq "3 members" "$BODY" 'length == 3'
api POST /channels/group "$BOT_TOK" "[\"$CAROL\"]"
assert_apperror 400 api.channel.create_group.bad_size.app_error
case_end

# ---- creating channels, members -------------------------------------------------------------
case_begin REST-CHAN "POST /channels: 201 public and private; ID-3 uppercase 400; ID-4 a__b ok, DM-shaped 400; duplicate 400"
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"bot-private\",\"display_name\":\"Bot private\",\"type\":\"P\"}"
assert_status 201
PRIV=$(jv .id)
assert_jq "private channel" "$BODY" '.type == "P" and .name == "bot-private" and .team_id == $t and .creator_id == $b' --arg t "$TEAM" --arg b "$BOT"
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"bot-public\",\"display_name\":\"Bot public\",\"type\":\"O\",\"purpose\":\"testing\"}"
assert_status 201
PUB=$(jv .id)
assert_jq "public channel" "$BODY" '.type == "O" and .purpose == "testing"'
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"Town\",\"display_name\":\"Town\",\"type\":\"O\"}"
assert_apperror 400 model.channel.is_valid.name.app_error
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"a__b\",\"display_name\":\"ab\",\"type\":\"O\"}"
assert_status 201
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"${BOT}__${CAROL}\",\"display_name\":\"dm-like\",\"type\":\"O\"}"
assert_apperror 400 model.channel.is_valid.name.app_error
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"bot-public\",\"display_name\":\"again\",\"type\":\"O\"}"
assert_apperror 400 store.sql_channel.save_channel.exists.app_error
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"bad-type\",\"display_name\":\"x\",\"type\":\"X\"}"
assert_apperror 400 model.channel.is_valid.type.app_error
api POST /channels "$BOT_TOK" "{\"team_id\":5,\"name\":\"bad-team\",\"display_name\":\"x\",\"type\":\"O\"}"
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

case_begin REST-PRIV "private channel: hidden from non-members (403 by id, 404 by name), no self-join, no posting; added by a member"
api GET "/channels/$PRIV" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET /teams/name/main/channels/name/bot-private "$CAROL_TOK"
assert_apperror 404 app.channel.get_by_name.missing.app_error
api POST "/channels/$PRIV/members" "$CAROL_TOK" "{\"user_id\":\"$CAROL\"}"
assert_apperror 403 api.context.permissions.app_error
api POST /posts "$CAROL_TOK" "{\"channel_id\":\"$PRIV\",\"message\":\"let me in\"}"
assert_apperror 403 api.context.permissions.app_error
assert_eq "nothing stored" 0 "$(post_count bot-private)"
api POST "/channels/$PRIV/members" "$BOT_TOK" "{\"user_id\":\"$CAROL\"}"
assert_status 201
assert_jq "ChannelMember" "$BODY" '.channel_id == $c and .user_id == $u and .roles == "channel_user" and has("notify_props")' --arg c "$PRIV" --arg u "$CAROL"
api GET "/channels/$PRIV" "$CAROL_TOK"
assert_status 200
api GET "/channels/$PRIV/members" "$CAROL_TOK"
assert_jq "2 members" "$BODY" 'length == 2 and any(.[]; .user_id == $u)' --arg u "$CAROL"
api DELETE "/channels/$PRIV/members/$CAROL" "$CAROL_TOK"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
api GET "/channels/$PRIV" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api DELETE "/channels/$PRIV/members/$CAROL" "$BOT_TOK"
assert_apperror 404 app.channel.get_member.missing.app_error
api DELETE "/channels/$TS/members/$BOT" "$BOT_TOK"
assert_apperror 400 api.channel.remove.default.app_error
case_end

case_begin REST-JOIN "public channel: a team member reads it, and posting joins it"
api GET "/channels/$PUB/posts" "$CAROL_TOK"
assert_status 200
api POST /posts "$CAROL_TOK" "{\"channel_id\":\"$PUB\",\"message\":\"carol was here\"}"
assert_status 201
api GET "/channels/$PUB/members" "$BOT_TOK"
assert_jq "carol joined" "$BODY" 'any(.[]; .user_id == $u)' --arg u "$CAROL"
assert_jq "stored" "$(last_post bot-public)" '.message == "carol was here" and .user_id == $u' --arg u "$CAROL"
case_end

case_begin REST-TEAMPERM "a team the caller is not in: team 403, public channel 403, posting 403"
cli team create other
cli channel create elsewhere --team other
OTHER_CH=$(channel_id elsewhere --team other)
api GET /teams/name/other "$BOT_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET /teams/name/other/channels/name/elsewhere "$BOT_TOK"
assert_apperror 403 api.context.permissions.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$OTHER_CH\",\"message\":\"not my team\"}"
assert_apperror 403 api.context.permissions.app_error
assert_eq "nothing stored" 0 "$(post_count elsewhere --team other)"
api GET /teams/name/other/channels/name/elsewhere "$ADMIN_TOKEN"
assert_status 200
case_end

case_begin REST-ADMIN "an admin endpoint as a plain user -> 403 api.context.permissions.app_error"
api GET /hooks/incoming "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
case_end

# ---- posts ---------------------------------------------------------------------------------------
case_begin RB-9 "POST /posts as a bot -> 201 Post, user_id = bot, props.from_bot = \"true\"; stored"
t=$(uniq_text RB-9)
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" --arg t "$t" '{channel_id: $c, message: $t, user_id: "ignored"}')"
assert_status 201
assert_match "Content-Type" "$(hdr Content-Type)" '^application/json'
ROOT=$(jv .id)
assert_jq "Post" "$BODY" '.user_id == $b and .channel_id == $c and .message == $t and .props.from_bot == "true" and .root_id == "" and .edit_at == 0 and .delete_at == 0 and .create_at > 1600000000000 and (.id | length) == 26 and has("is_pinned") and has("hashtags") and has("pending_post_id") and has("reply_count") and has("original_id")' --arg b "$BOT" --arg c "$TS" --arg t "$t"
assert_jq "stored" "$(last_post town-square)" '.id == $i and .props.from_bot == "true"' --arg i "$ROOT"
api POST /posts "$ALICE_TOK" "$(jq -nc --arg c "$TS" '{channel_id: $c, message: "human", props: {from_bot: "true", from_webhook: "true"}}')"
assert_status 201
assert_jq "no server-only props for a human" "$BODY" '(.props | has("from_bot") | not) and (.props | has("from_webhook") | not)'
case_end

case_begin RB-10 "POST /posts with root_id = a root -> 201, root_id echoed; a reply to a reply -> 400"
api POST /posts "$ALICE_TOK" "{\"channel_id\":\"$TS\",\"message\":\"reply one\",\"root_id\":\"$ROOT\"}"
assert_status 201
REPLY=$(jv .id)
assert_jq "root_id" "$BODY" '.root_id == $r' --arg r "$ROOT"
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"reply two\",\"root_id\":\"$ROOT\"}"
assert_status 201
REPLY2=$(jv .id)
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"nested\",\"root_id\":\"$REPLY\"}"
assert_status 400
assert_jq "AppError" "$BODY" '.id == "api.post.create_post.root_id.app_error" and .status_code == 400'
case_end

case_begin RB-11 "root_id unknown -> 400 api.post.create_post.root_id.app_error; root in another channel -> channel_root_id"
n0=$(post_count town-square)
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"orphan\",\"root_id\":\"$ZERO_ID\"}"
assert_apperror 400 api.post.create_post.root_id.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$PUB\",\"message\":\"elsewhere\",\"root_id\":\"$ROOT\"}"
assert_apperror 400 api.post.create_post.channel_root_id.app_error
assert_eq "nothing stored" "$n0" "$(post_count town-square)"
case_end

case_begin REST-THREAD "GET /posts/{id}/thread: root and replies, newest first, also from a reply"
api GET "/posts/$ROOT/thread" "$BOT_TOK"
assert_status 200
assert_jq "PostList" "$BODY" '.order == [$r2, $r1, $root] and (.posts | length) == 3 and .posts[$root].message != null and has("next_post_id") and has("prev_post_id")' --arg root "$ROOT" --arg r1 "$REPLY" --arg r2 "$REPLY2"
api GET "/posts/$REPLY/thread" "$BOT_TOK"
assert_status 200
assert_jq "same thread" "$BODY" '.order == [$r2, $r1, $root]' --arg root "$ROOT" --arg r1 "$REPLY" --arg r2 "$REPLY2"
case_end

case_begin RB-12 "GET /channels/C/posts?per_page=2 after 3 posts: 2 newest, newest first, prev_post_id = the third; paging and cursors"
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"paging\",\"display_name\":\"Paging\",\"type\":\"O\"}"
PG=$(jv .id)
P=()
for i in 1 2 3 4 5; do
    api POST /posts "$BOT_TOK" "{\"channel_id\":\"$PG\",\"message\":\"p$i\"}"
    P[i]=$(jv .id)
done
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$PG\",\"message\":\"p3 reply\",\"root_id\":\"${P[3]}\"}"
P[6]=$(jv .id)
api GET "/channels/$PG/posts?per_page=2" "$BOT_TOK"
assert_status 200
assert_jq "page 0" "$BODY" '.order == [$a, $b] and (.posts | has($a) and has($b)) and .prev_post_id == $c and .next_post_id == ""' --arg a "${P[6]}" --arg b "${P[5]}" --arg c "${P[4]}"
api GET "/channels/$PG/posts?per_page=2&page=1" "$BOT_TOK"
assert_jq "page 1" "$BODY" '.order == [$a, $b] and .next_post_id == $n and .prev_post_id == $p' --arg a "${P[4]}" --arg b "${P[3]}" --arg n "${P[5]}" --arg p "${P[2]}"
api GET "/channels/$PG/posts?per_page=2&page=3" "$BOT_TOK"
assert_jq "past the end" "$BODY" '.order == [] and .posts == {} and .next_post_id == "" and .prev_post_id == ""'
api GET "/channels/$PG/posts?per_page=2&before=${P[4]}" "$BOT_TOK"
assert_jq "before" "$BODY" '.order == [$a, $b] and .next_post_id == $n and .prev_post_id == $p' --arg a "${P[3]}" --arg b "${P[2]}" --arg n "${P[4]}" --arg p "${P[1]}"
api GET "/channels/$PG/posts?per_page=3&before=${P[3]}" "$BOT_TOK"
assert_jq "before, short page" "$BODY" '.order == [$a, $b] and .prev_post_id == ""' --arg a "${P[2]}" --arg b "${P[1]}"
api GET "/channels/$PG/posts?per_page=2&after=${P[2]}" "$BOT_TOK"
assert_jq "after" "$BODY" '.order == [$a, $b] and .prev_post_id == $p and .next_post_id == $n' --arg a "${P[4]}" --arg b "${P[3]}" --arg p "${P[2]}" --arg n "${P[5]}"
api GET "/channels/$PG/posts?per_page=5&after=${P[4]}" "$BOT_TOK"
assert_jq "after, short page" "$BODY" '.order == [$a, $b] and .next_post_id == ""' --arg a "${P[6]}" --arg b "${P[5]}"
api GET "/channels/$PG/posts?per_page=1" "$BOT_TOK"
assert_jq "a reply's root rides along in posts" "$BODY" '.order == [$r] and (.posts | has($root))' --arg r "${P[6]}" --arg root "${P[3]}"
api GET "/channels/$PG/posts?per_page=500" "$BOT_TOK"
assert_jq "per_page clamped, all 6" "$BODY" '(.order | length) == 6'
case_end

case_begin REST-SINCE "?since=T: posts created, edited or deleted after T (deleted included), no cursors"
api GET "/posts/${P[5]}" "$BOT_TOK"
T=$(jv .create_at)
api PUT "/posts/${P[2]}/patch" "$BOT_TOK" '{"message":"p2 edited"}'
api DELETE "/posts/${P[1]}" "$BOT_TOK"
api GET "/channels/$PG/posts?since=$T" "$BOT_TOK"
assert_status 200
assert_jq "since" "$BODY" '(.order | sort) == ([$a, $b, $c] | sort) and .posts[$b].message == "p2 edited" and .posts[$c].delete_at > 0 and .next_post_id == "" and .prev_post_id == ""' --arg a "${P[6]}" --arg b "${P[2]}" --arg c "${P[1]}"
api GET "/channels/$PG/posts?since=yesterday" "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
api GET "/channels/$PG/posts?before=short" "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
case_end

case_begin REST-PENDING "pending_post_id: a retry returns the first post (201), stored once"
n0=$(post_count town-square)
pid="$BOT:$(date +%s%3N)"
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" --arg p "$pid" '{channel_id: $c, message: "once", pending_post_id: $p}')"
assert_status 201
first=$(jv .id)
assert_jq "pending_post_id echoed" "$BODY" '.pending_post_id == $p' --arg p "$pid"
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" --arg p "$pid" '{channel_id: $c, message: "once", pending_post_id: $p}')"
assert_status 201
assert_jq "same post" "$BODY" '.id == $f' --arg f "$first"
assert_eq "stored once" "$((n0 + 1))" "$(post_count town-square)"
case_end

case_begin REST-SIZE "message of 16383 runes -> 201 (one post); 16384 -> 400 model.post.is_valid.msg.app_error, not split"
n0=$(post_count town-square)
long=$(head -c 16383 </dev/zero | tr '\0' 'x')
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" --arg m "é$long" '{channel_id: $c, message: $m}')"
assert_apperror 400 model.post.is_valid.msg.app_error
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" --arg m "$long" '{channel_id: $c, message: $m}')"
assert_status 201
assert_eq "one post stored" "$((n0 + 1))" "$(post_count town-square)"
case_end

case_begin REST-CREATEAT "create_at honoured for admins only"
api POST /posts "$ADMIN_TOKEN" "{\"channel_id\":\"$TS\",\"message\":\"imported\",\"create_at\":1600000000000}"
assert_status 201
assert_jq "admin" "$BODY" '.create_at == 1600000000000'
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"backdated\",\"create_at\":1600000000000}"
assert_status 201
assert_jq "others get server time" "$BODY" '.create_at > 1700000000000'
case_end

case_begin REST-ATTACH "props.attachments are processed like a webhook's (links, announcements)"
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" '{channel_id: $c, message: "", type: "slack_attachment", props: {attachments: [null, {text: "see <https://example.com|the docs> <!channel>", fields: [{title: "n", value: 5, short: "true"}]}]}}')"
assert_status 201
assert_jq "processed" "$BODY" '.type == "slack_attachment" and (.props.attachments | length) == 1 and (.props.attachments[0].text | contains("[the docs](https://example.com)") and contains("@channel")) and .props.attachments[0].fields[0].value == "5" and .props.attachments[0].fields[0].short == true'
api POST /posts "$BOT_TOK" "$(jq -nc --arg c "$TS" '{channel_id: $c, message: "x", props: {attachments: "nope"}}')"
assert_apperror 400 api.context.invalid_body_param.app_error
case_end

case_begin REST-GET "GET /posts/{id} -> 200; ID-2 short id -> 400 invalid_url_param; unknown -> 404"
api GET "/posts/$ROOT" "$ALICE_TOK"
assert_status 200
assert_jq "Post" "$BODY" '.id == $r' --arg r "$ROOT"
api GET /posts/abc "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
api GET "/posts/$ZERO_ID" "$BOT_TOK"
assert_apperror 404 app.post.get.app_error
api GET "/posts/$ROOT" "$CAROL_TOK"
assert_status 200
case_end

case_begin RB-13 "PUT /posts/{id} with body id != path id -> 400 api.context.invalid_body_param.app_error"
api PUT "/posts/$REPLY2" "$BOT_TOK" "{\"id\":\"$ROOT\",\"message\":\"nope\"}"
assert_apperror 400 api.context.invalid_body_param.app_error
api PUT "/posts/$REPLY2" "$BOT_TOK" '{"message":"no id"}'
assert_apperror 400 api.context.invalid_body_param.app_error
api GET "/posts/$REPLY2" "$BOT_TOK"
assert_jq "unchanged" "$BODY" '.message == "reply two" and .edit_at == 0'
api PUT "/posts/$REPLY2" "$BOT_TOK" "{\"id\":\"$REPLY2\",\"message\":\"reply two, updated\",\"is_pinned\":true}"
assert_status 200
assert_jq "full update" "$BODY" '.message == "reply two, updated" and .is_pinned == true and .edit_at > 0 and .props.from_bot == "true"'
case_end

case_begin RB-14 "PUT /posts/{id}/patch {\"message\":\"edited\"} -> 200, edit_at > 0; others' posts 403, admins may"
api PUT "/posts/$ROOT/patch" "$BOT_TOK" '{"message":"edited"}'
assert_status 200
assert_jq "edited" "$BODY" '.id == $r and .message == "edited" and .edit_at > 0 and .update_at >= .edit_at and .props.from_bot == "true"' --arg r "$ROOT"
api GET "/posts/$ROOT" "$ALICE_TOK"
assert_jq "GET sees it" "$BODY" '.message == "edited"'
api PUT "/posts/$ROOT/patch" "$CAROL_TOK" '{"message":"hijacked"}'
assert_apperror 403 api.context.permissions.app_error
api PUT "/posts/$ROOT/patch" "$BOT_TOK" '{"message":5}'
assert_apperror 400 api.context.invalid_body_param.app_error
api PUT "/posts/$ROOT/patch" "$ADMIN_TOKEN" '{"is_pinned":true}'
assert_status 200
assert_jq "pin keeps the message" "$BODY" '.message == "edited" and .is_pinned == true'
case_end

# ---- reactions -----------------------------------------------------------------------------------
case_begin RB-16 "POST /reactions for oneself -> 200 Reaction; another user's id -> 403; bad emoji -> 400"
api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$ALICE\",\"post_id\":\"$ROOT\",\"emoji_name\":\"+1\"}"
assert_status 200
assert_jq "Reaction" "$BODY" '.user_id == $u and .post_id == $p and .emoji_name == "+1" and .channel_id == $c and .create_at > 0 and has("update_at") and has("delete_at")' --arg u "$ALICE" --arg p "$ROOT" --arg c "$TS"
api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$BOT\",\"post_id\":\"$ROOT\",\"emoji_name\":\"+1\"}"
assert_apperror 403 api.reaction.save_reaction.user_id.app_error
api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$ALICE\",\"post_id\":\"$ROOT\",\"emoji_name\":\"\"}"
assert_apperror 400 api.reaction.save_reaction.invalid.app_error
api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$ALICE\",\"post_id\":\"bad\",\"emoji_name\":\"smile\"}"
assert_apperror 400 api.reaction.save_reaction.invalid.app_error
api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$ALICE\",\"post_id\":\"$ZERO_ID\",\"emoji_name\":\"smile\"}"
assert_apperror 404 app.post.get.app_error
api POST /reactions "$BOT_TOK" "{\"user_id\":\"$BOT\",\"post_id\":\"$ROOT\",\"emoji_name\":\"white_check_mark\"}"
assert_status 200
api GET "/posts/$ROOT/reactions" "$CAROL_TOK"
assert_status 200
assert_jq "both reactions" "$BODY" 'length == 2 and .[0].emoji_name == "+1" and .[1].emoji_name == "white_check_mark"'
case_end

case_begin REST-UNREACT "DELETE /users/{u}/posts/{p}/reactions/{emoji}: own -> 200; someone else's -> 403"
api DELETE "/users/$BOT/posts/$ROOT/reactions/white_check_mark" "$ALICE_TOK"
assert_apperror 403 api.context.permissions.app_error
api DELETE "/users/$ALICE/posts/$ROOT/reactions/+1" "$ALICE_TOK"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
api GET "/posts/$ROOT/reactions" "$BOT_TOK"
assert_jq "one left" "$BODY" 'length == 1 and .[0].user_id == $b' --arg b "$BOT"
api DELETE "/users/$ALICE/posts/$ROOT/reactions/+1" "$ALICE_TOK"
assert_status 200
case_end

# ---- what Mattermost computes on read: reply_count, has_reactions, metadata.reactions ------------
case_begin REST-META "reply_count (live replies, on the root and each reply), has_reactions and metadata.reactions in GET, thread and channel pages; gone after removal"
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"meta\",\"display_name\":\"Meta\",\"type\":\"O\"}"
MC=$(jv .id)
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$MC\",\"message\":\"meta root\"}"
MR=$(jv .id)
assert_jq "a new root: no replies, no reactions" "$BODY" '.reply_count == 0 and (has("has_reactions") | not) and (.metadata.reactions == null)'
api POST /posts "$ALICE_TOK" "{\"channel_id\":\"$MC\",\"message\":\"meta r1\",\"root_id\":\"$MR\"}"
M1=$(jv .id)
assert_jq "a new reply answers with its thread's count" "$BODY" '.reply_count == 1'
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$MC\",\"message\":\"meta r2\",\"root_id\":\"$MR\"}"
M2=$(jv .id)
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$MC\",\"message\":\"meta r3\",\"root_id\":\"$MR\"}"
M3=$(jv .id)
assert_jq "the third reply: 3" "$BODY" '.reply_count == 3'
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$MC\",\"message\":\"meta lone\"}"
ML=$(jv .id)
api DELETE "/posts/$M2" "$BOT_TOK"
assert_status 200
api GET "/posts/$MR" "$CAROL_TOK"
assert_status 200
assert_jq "root: 2 live replies, no reactions" "$BODY" '.reply_count == 2 and (has("has_reactions") | not) and .metadata == {}'
api GET "/posts/$M1" "$CAROL_TOK"
assert_jq "a reply carries its thread's count" "$BODY" '.reply_count == 2'
api GET "/posts/$MR/thread" "$CAROL_TOK"
assert_jq "thread" "$BODY" '(.order | length) == 3 and ([.posts[].reply_count] | all(. == 2))'
api GET "/channels/$MC/posts" "$CAROL_TOK"
assert_jq "page" "$BODY" '.order == [$l, $m3, $m1, $r] and .posts[$l].reply_count == 0 and ([.posts[$m3, $m1, $r].reply_count] | all(. == 2))' --arg l "$ML" --arg m3 "$M3" --arg m1 "$M1" --arg r "$MR"

api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$ALICE\",\"post_id\":\"$MR\",\"emoji_name\":\"smile\"}"
assert_status 200
api POST /reactions "$BOT_TOK" "{\"user_id\":\"$BOT\",\"post_id\":\"$MR\",\"emoji_name\":\"+1\"}"
assert_status 200
api GET "/posts/$MR" "$CAROL_TOK"
assert_jq "has_reactions + metadata.reactions, oldest first" "$BODY" '.has_reactions == true and (.metadata.reactions | length) == 2 and .metadata.reactions[0].emoji_name == "smile" and .metadata.reactions[0].user_id == $a and .metadata.reactions[0].post_id == $r and .metadata.reactions[0].channel_id == $c and .metadata.reactions[0].create_at > 0 and .metadata.reactions[1].emoji_name == "+1" and .reply_count == 2' --arg a "$ALICE" --arg r "$MR" --arg c "$MC"
api PUT "/posts/$MR/patch" "$BOT_TOK" '{"message":"meta root edited"}'
assert_status 200
assert_jq "an edit answers with the meta" "$BODY" '.message == "meta root edited" and .reply_count == 2 and .has_reactions == true and (.metadata.reactions | length) == 2'
api GET "/posts/$MR/thread" "$CAROL_TOK"
assert_jq "thread: only the root has reactions" "$BODY" '(.posts[$r].metadata.reactions | length) == 2 and .posts[$r].has_reactions == true and (.posts[$m1] | has("has_reactions") | not)' --arg r "$MR" --arg m1 "$M1"
api GET "/channels/$MC/posts?per_page=1&page=1" "$CAROL_TOK"
assert_jq "a reply's root outside the page carries its meta too" "$BODY" '.order == [$m3] and .posts[$r].reply_count == 2 and .posts[$r].has_reactions == true and (.posts[$r].metadata.reactions | length) == 2' --arg m3 "$M3" --arg r "$MR"
api GET "/channels/$MC/posts?since=1" "$CAROL_TOK"
assert_jq "since: deleted reply listed with the thread's count" "$BODY" '.posts[$m2].delete_at > 0 and .posts[$m2].reply_count == 2 and .posts[$r].has_reactions == true' --arg m2 "$M2" --arg r "$MR"

api DELETE "/users/$ALICE/posts/$MR/reactions/smile" "$ALICE_TOK"
assert_status 200
api GET "/posts/$MR" "$CAROL_TOK"
assert_jq "one reaction left" "$BODY" '.has_reactions == true and (.metadata.reactions | length) == 1 and .metadata.reactions[0].user_id == $b' --arg b "$BOT"
api DELETE "/users/$BOT/posts/$MR/reactions/+1" "$BOT_TOK"
assert_status 200
api GET "/posts/$MR" "$CAROL_TOK"
assert_jq "no reactions: has_reactions omitted, no metadata.reactions" "$BODY" '(has("has_reactions") | not) and (.metadata | has("reactions") | not) and .reply_count == 2'
api GET "/channels/$MC/posts" "$CAROL_TOK"
assert_jq "page: no post has reactions" "$BODY" '[.posts[] | has("has_reactions")] | any | not'
case_end

case_begin REST-ARCHIVED "channel by name: an archived channel is 404 unless include_deleted=true (both routes)"
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"archived-one\",\"display_name\":\"Archived\",\"type\":\"O\"}"
assert_status 201
ARC=$(jv .id)
api POST /channels "$BOT_TOK" "{\"team_id\":\"$TEAM\",\"name\":\"archived-priv\",\"display_name\":\"Archived P\",\"type\":\"P\"}"
assert_status 201
ARCP=$(jv .id)
# griot has no archive endpoint yet: archive as Mattermost does, by setting delete_at.
sqlite3 -cmd ".timeout 5000" "$GRIOT_DATA/griot.db" \
    "UPDATE channels SET delete_at = 1700000000000 WHERE id IN ('$ARC', '$ARCP')"
for route in "/teams/name/main/channels/name" "/teams/$TEAM/channels/name"; do
    api GET "$route/archived-one" "$ALICE_TOK"
    assert_apperror 404 app.channel.get_by_name.missing.app_error
    api GET "$route/archived-one?include_deleted=false" "$ALICE_TOK"
    assert_apperror 404 app.channel.get_by_name.missing.app_error
    api GET "$route/archived-one?include_deleted=true" "$ALICE_TOK"
    assert_status 200
    assert_jq "archived channel ($route)" "$BODY" '.id == $c and .delete_at == 1700000000000 and .name == "archived-one"' --arg c "$ARC"
    api GET "$route/archived-priv?include_deleted=true" "$ALICE_TOK"
    assert_apperror 404 app.channel.get_by_name.missing.app_error
    api GET "$route/archived-priv?include_deleted=1" "$BOT_TOK"
    assert_status 200
    assert_jq "archived private channel for its member (Go ParseBool: 1)" "$BODY" '.id == $c and .delete_at > 0' --arg c "$ARCP"
    api GET "$route/town-square?include_deleted=true" "$ALICE_TOK"
    assert_jq "live channels still found" "$BODY" '.id == $c and .delete_at == 0' --arg c "$TS"
done
case_end

case_begin RB-15 "DELETE /posts/{id} -> 200 {\"status\":\"OK\"}; GET -> 404; replies go with their root"
api DELETE "/posts/$ROOT" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api DELETE "/posts/$ROOT" "$BOT_TOK"
assert_status 200
assert_jq "status OK" "$BODY" '. == {"status":"OK"}'
api GET "/posts/$ROOT" "$BOT_TOK"
assert_apperror 404 app.post.get.app_error
api GET "/posts/$REPLY" "$BOT_TOK"
assert_apperror 404 app.post.get.app_error
api GET "/posts/$ROOT/thread" "$BOT_TOK"
assert_apperror 404 app.post.get.app_error
api DELETE "/posts/$ROOT" "$BOT_TOK"
assert_apperror 404 app.post.get.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"late reply\",\"root_id\":\"$ROOT\"}"
assert_apperror 400 api.post.create_post.root_id.app_error
case_end

# ---- the same changes over the WebSocket -----------------------------------------------------------
case_begin REST-WS "RB-9/14/15/16 over the WebSocket: posted, post_edited, reaction_added/removed, typing, post_deleted, in commit order"
ready="$_IT_TMP/ws.ready"
node --experimental-websocket "$NODE_DIR/rest-events.mjs" "$GRIOT_URL" "$ALICE_TOK" 4000 "$ready" \
    >"$_IT_TMP/ws.out" 2>/dev/null &
wsp=$!
bg_track "$wsp"
for _ in $(seq 50); do [ -e "$ready" ] && break; sleep 0.1; done
if [ -e "$ready" ]; then
    api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"ws hi\"}"
    WP=$(jv .id)
    api PUT "/posts/$WP/patch" "$BOT_TOK" '{"message":"ws edited"}'
    api POST /reactions "$BOT_TOK" "{\"user_id\":\"$BOT\",\"post_id\":\"$WP\",\"emoji_name\":\"tada\"}"
    api DELETE "/users/$BOT/posts/$WP/reactions/tada" "$BOT_TOK"
    api POST "/users/$BOT/typing" "$BOT_TOK" "{\"channel_id\":\"$TS\",\"parent_id\":\"\"}"
    api DELETE "/posts/$WP" "$BOT_TOK"
    wait "$wsp" || true
    EV=$(cat "$_IT_TMP/ws.out")
    assert_jq "events in order" "$EV" '[.[] | select(.event != "hello") | .event] == ["posted", "post_edited", "reaction_added", "reaction_removed", "typing", "post_deleted"]'
    assert_jq "consecutive seq" "$EV" '[.[].seq] as $s | $s == [range($s[0]; $s[0] + ($s | length))]'
    assert_jq "payloads" "$EV" 'map(select(.event != "hello")) | .[0].data.post.id == $p and .[0].data.post.props.from_bot == "true" and .[1].data.post.message == "ws edited" and .[1].data.post.edit_at > 0 and .[2].data.reaction.emoji_name == "tada" and .[3].data.reaction.post_id == $p and .[4].data.user_id == $b and .[4].broadcast.channel_id == $c and .[5].data.post.delete_at > 0 and all(.[]; .broadcast.channel_id == $c)' --arg p "$WP" --arg b "$BOT" --arg c "$TS"
elif grep -q skip "$_IT_TMP/ws.out" 2>/dev/null; then
    note "REST-WS skipped: $(cat "$_IT_TMP/ws.out")"
else
    _err "no hello on the WebSocket within 5 s: $(cat "$_IT_TMP/ws.out")"
fi
case_end

case_begin REST-WS-META "posted: a reply's reply_count, set_online=false from the query; post_edited: reply_count, has_reactions and metadata.reactions"
ready="$_IT_TMP/ws2.ready"
node --experimental-websocket "$NODE_DIR/rest-events.mjs" "$GRIOT_URL" "$ALICE_TOK" 3000 "$ready" \
    >"$_IT_TMP/ws2.out" 2>/dev/null &
wsp=$!
bg_track "$wsp"
for _ in $(seq 50); do [ -e "$ready" ] && break; sleep 0.1; done
if [ -e "$ready" ]; then
    # Go's ParseBool: what it cannot parse means online.
    http POST "$API/posts?set_online=maybe" -H "Authorization: Bearer $BOT_TOK" \
        -H 'Content-Type: application/json' --data-binary "{\"channel_id\":\"$TS\",\"message\":\"ws meta root\"}"
    assert_status 201
    WR=$(jv .id)
    http POST "$API/posts?set_online=false" -H "Authorization: Bearer $BOT_TOK" \
        -H 'Content-Type: application/json' --data-binary "{\"channel_id\":\"$TS\",\"message\":\"ws meta reply\",\"root_id\":\"$WR\"}"
    assert_status 201
    WRR=$(jv .id)
    http POST "$API/posts?set_online=F" -H "Authorization: Bearer $BOT_TOK" \
        -H 'Content-Type: application/json' --data-binary "{\"channel_id\":\"$TS\",\"message\":\"ws meta reply 2\",\"root_id\":\"$WR\"}"
    assert_status 201
    api POST /reactions "$ALICE_TOK" "{\"user_id\":\"$ALICE\",\"post_id\":\"$WR\",\"emoji_name\":\"smile\"}"
    api PUT "/posts/$WR/patch" "$BOT_TOK" '{"message":"ws meta edited"}'
    assert_status 200
    wait "$wsp" || true
    EV=$(cat "$_IT_TMP/ws2.out")
    assert_jq "events in order" "$EV" '[.[] | select(.event != "hello") | .event] == ["posted", "posted", "posted", "reaction_added", "post_edited"]'
    assert_jq "posted root: online, no replies" "$EV" 'map(select(.event == "posted")) | .[0].data.set_online == true and .[0].data.post.id == $r and .[0].data.post.reply_count == 0 and (.[0].data.post | has("has_reactions") | not)' --arg r "$WR"
    assert_jq "posted replies: set_online false, the thread's count" "$EV" 'map(select(.event == "posted")) | .[1].data.set_online == false and .[1].data.post.id == $rr and .[1].data.post.reply_count == 1 and .[2].data.set_online == false and .[2].data.post.reply_count == 2' --arg rr "$WRR"
    assert_jq "post_edited carries the meta" "$EV" 'map(select(.event == "post_edited")) | .[0].data.post.message == "ws meta edited" and .[0].data.post.reply_count == 2 and .[0].data.post.has_reactions == true and .[0].data.post.metadata.reactions[0].emoji_name == "smile" and .[0].data.post.metadata.reactions[0].user_id == $a' --arg a "$ALICE"
elif grep -q skip "$_IT_TMP/ws2.out" 2>/dev/null; then
    note "REST-WS-META skipped: $(cat "$_IT_TMP/ws2.out")"
else
    _err "no hello on the WebSocket within 5 s: $(cat "$_IT_TMP/ws2.out")"
fi
case_end

# ---- typing, client config, bad input -------------------------------------------------------------
case_begin REST-TYPING "POST /users/{id}/typing -> 200 OK (nothing stored); for someone else -> 403"
n0=$(post_count town-square)
api POST "/users/$BOT/typing" "$BOT_TOK" "{\"channel_id\":\"$TS\",\"parent_id\":\"\"}"
assert_status 200
assert_jq "status OK" "$BODY" '.status == "OK"'
api POST "/users/$ALICE/typing" "$BOT_TOK" "{\"channel_id\":\"$TS\"}"
assert_apperror 403 api.context.permissions.app_error
api POST "/users/$BOT/typing" "$BOT_TOK" '{"channel_id":7}'
assert_apperror 400 api.context.invalid_body_param.app_error
assert_eq "nothing stored" "$n0" "$(post_count town-square)"
case_end

case_begin REST-CONFIG "GET /config/client?format=old -> 200 map of strings; Version = X-Version-Id's x.y.z"
http GET "$API/config/client?format=old"
assert_status 200
ver=$(hdr X-Version-Id | cut -d. -f1-3)
assert_jq "map" "$BODY" '(to_entries | all(.value | type == "string")) and .Version == $v and .EnableUserAccessTokens == "true" and .MaxPostSize == "16383" and has("SiteURL") and has("BuildNumber")' --arg v "$ver"
http GET "$API/config/client"
assert_apperror 501 api.config.client.old_format.app_error
case_end

case_begin REST-BAD "bad input: malformed JSON, wrong types, bad ids, no auth; nothing stored"
n0=$(post_count town-square)
api POST /posts "$BOT_TOK" '{"channel_id":'
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /posts "$BOT_TOK" '["not", "an", "object"]'
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /posts "$BOT_TOK" '{"channel_id":12,"message":"x"}'
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":[1]}"
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"x\",\"props\":[]}"
assert_apperror 400 api.context.invalid_body_param.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$TS\",\"message\":\"x\",\"type\":\"system_join_channel\"}"
assert_apperror 400 api.context.invalid_param.app_error
api POST /posts "$BOT_TOK" "{\"channel_id\":\"$ZERO_ID\",\"message\":\"x\"}"
assert_apperror 404 app.channel.get.existing.app_error
api POST /posts "" "{\"channel_id\":\"$TS\",\"message\":\"anonymous\"}"
assert_apperror 401 api.context.session_expired.app_error
api POST /posts "not-a-token" "{\"channel_id\":\"$TS\",\"message\":\"bad token\"}"
assert_apperror 401 api.context.session_expired.app_error
api GET /channels/abc "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
api GET "/channels/$ZERO_ID" "$BOT_TOK"
assert_apperror 404 app.channel.get.existing.app_error
api POST /channels/direct "$BOT_TOK" '{"not":"an array"}'
assert_apperror 400 api.context.invalid_body_param.app_error
api POST "/channels/$PUB/members" "$BOT_TOK" '{"user_id":true}'
assert_apperror 400 api.context.invalid_body_param.app_error
assert_eq "nothing stored" "$n0" "$(post_count town-square)"
case_end

case_begin RB-18 "GET /api/v4/nonexistent -> 404 api.context.404.app_error"
api GET /nonexistent "$BOT_TOK"
assert_apperror 404 api.context.404.app_error
case_end

case_begin REST-MEMBER "GET /channels/{id}/members/{user_id}: 200 ChannelMember (same as in the list), me; not a member 404; unreadable channel 403; bad ids 400"
api GET "/channels/$PUB/members/$CAROL" "$BOT_TOK"
assert_status 200
assert_jq "ChannelMember" "$BODY" '.channel_id == $c and .user_id == $u and .roles == "channel_user" and (.notify_props | type) == "object" and (.last_update_at | type) == "number" and .scheme_user == true and .scheme_admin == false' --arg c "$PUB" --arg u "$CAROL"
one=$BODY
api GET "/channels/$PUB/members" "$BOT_TOK"
assert_jq "the list's entry is the same object" "$BODY" 'map(select(.user_id == $u)) == [$one]' --arg u "$CAROL" --argjson one "$one"
api GET "/channels/$PUB/members/me" "$CAROL_TOK"
assert_status 200
assert_jq "me = the caller" "$BODY" '.user_id == $u and .channel_id == $c' --arg u "$CAROL" --arg c "$PUB"
api GET "/channels/$PUB/members/$DAVE" "$BOT_TOK"
assert_apperror 404 app.channel.get_member.missing.app_error
api GET "/channels/$PUB/members/$ZERO_ID" "$CAROL_TOK"
assert_apperror 404 app.channel.get_member.missing.app_error
api GET "/channels/$PRIV/members/$BOT" "$BOT_TOK"
assert_status 200
assert_jq "private channel member" "$BODY" '.channel_id == $c and .user_id == $u' --arg c "$PRIV" --arg u "$BOT"
api GET "/channels/$PRIV/members/$BOT" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET "/channels/$DM/members/$ALICE" "$BOT_TOK"
assert_status 200
api GET "/channels/$DM/members/$ALICE" "$CAROL_TOK"
assert_apperror 403 api.context.permissions.app_error
api GET "/channels/$DM/members/$CAROL" "$ADMIN_TOKEN"
assert_apperror 404 app.channel.get_member.missing.app_error
api GET "/channels/$PUB/members/abc" "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
api GET "/channels/abc/members/$BOT" "$BOT_TOK"
assert_apperror 400 api.context.invalid_url_param.app_error
api GET "/channels/$ZERO_ID/members/$BOT" "$BOT_TOK"
assert_apperror 404 app.channel.get.existing.app_error
api GET "/channels/$PUB/members/$CAROL" ""
assert_apperror 401 api.context.session_expired.app_error
case_end

finish
