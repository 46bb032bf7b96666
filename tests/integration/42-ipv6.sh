#!/usr/bin/env bash
# IPv6: --listen [::1]:0 and the dual-stack wildcard [::]:0. Skips (77) when ::1 is not configured.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if ! node -e 'const s=require("net").createServer();s.on("error",()=>process.exit(1));s.listen(0,"::1",()=>s.close(()=>process.exit(0)));' 2>/dev/null; then
    skip "IPv6 loopback ::1 is not configured on this machine (cannot bind [::1]:0)"
fi

case_begin V6-1 "--listen [::1]:0 prints http://[::1]:PORT; a webhook POST over IPv6 is stored"
griot_start --listen '[::1]:0' --set hook_rate=0
assert_match "listening line" "$GRIOT_URL" '^http://\[::1\]:[0-9]+$'
assert_eq "one listener" 1 "${#GRIOT_URLS[@]}"
t=$(uniq_text V6-1)
post_json "$BOOT_HOOK" "$(jq -nc --arg t "$t" '{text: $t}')"
assert_ok_response
assert_jq "stored" "$(last_post town-square)" '.message == $t' --arg t "$t"
case_end
griot_stop

case_begin V6-2 "two listeners 127.0.0.1:0 and [::1]:0: one line each, both serve the same store"
griot_start --listen 127.0.0.1:0 --listen '[::1]:0' --set hook_rate=0
assert_eq "two listening lines" 2 "${#GRIOT_URLS[@]}"
v4="" v6=""
for u in "${GRIOT_URLS[@]}"; do
    case $u in
    http://127.0.0.1:*) v4=$u ;;
    http://\[::1\]:*) v6=$u ;;
    esac
done
assert_match "IPv4 url" "$v4" '^http://127\.0\.0\.1:[0-9]+$'
assert_match "IPv6 url" "$v6" '^http://\[::1\]:[0-9]+$'
for u in "$v4" "$v6"; do
    [ -n "$u" ] || continue
    t=$(uniq_text "V6-2 via $u")
    GRIOT_URL=$u post_json "$BOOT_HOOK" "$(jq -nc --arg t "$t" '{text: $t}')"
    assert_ok_response
    assert_jq "stored via $u" "$(last_post town-square)" '.message == $t' --arg t "$t"
done
case_end
griot_stop

case_begin V6-3 "--listen [::]:0 is dual-stack: IPv4 and IPv6 loopback both reach it"
griot_start --listen '[::]:0' --set hook_rate=0
assert_match "listening line" "${GRIOT_URLS[0]}" '^http://\[::\]:[0-9]+$'
for u in "http://127.0.0.1:$GRIOT_PORT" "http://[::1]:$GRIOT_PORT"; do
    t=$(uniq_text "V6-3 via $u")
    GRIOT_URL=$u post_json "$BOOT_HOOK" "$(jq -nc --arg t "$t" '{text: $t}')"
    assert_ok_response
    assert_jq "stored via $u" "$(last_post town-square)" '.message == $t' --arg t "$t"
done
case_end
griot_stop

finish
