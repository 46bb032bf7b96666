#!/usr/bin/env bash
# Native sources (docs/sources.md): every native fixture of ../shared/fixtures (Forgejo, Gitea,
# GitHub, Grafana, Alertmanager, Uptime Kuma, Wave, Standard Webhooks) is replayed over HTTP with
# its .headers to a hook of its source and the fixture secret; the stored post must carry the key
# fragments of the payload. Then per source: tampered body, wrong secret, missing/malformed
# signature, stale timestamp (signed on purpose), replayed delivery id -> refused or deduplicated,
# nothing stored, the answer never containing the expected signature. The Mattermost-format
# "constructed" chat bodies are 53-fixtures' business.
# Signatures are computed here with openssl (lib_src.sh); signed timestamps are re-signed at the
# current time (or sent verbatim to a hook with --tolerance 0).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_src.sh
. "$IT_DIR/lib_src.sh"
src_need_fixtures

griot_start --set hook_rate=0
T="$_IT_TMP/x"
mkdir -p "$T"

# mkhook CHANNEL ARGS...: create CHANNEL (if new) and a hook on it; prints the hook id.
mkhook() {
    local ch=$1
    shift
    "$GRIOT" channel create "$ch" --display "$ch" >/dev/null 2>&1 || true
    hook_create --channel "$ch" "$@"
}
# ---------------------------------------------------------------------------------------------
# Expected fragments
# ---------------------------------------------------------------------------------------------

# forge_expect FILE: line 1: the word the message must use for the action ("" if none); then
# the fragments a Forgejo/Gitea/GitHub message must show (one per line), the repository's name
# first.
forge_expect() {
    jq -r '
      def short: sub("^refs/(heads|tags)/"; "");
      def line1: (. // "") | split("\n")[0] | .[0:24];
      def nz: select(. != null and . != "");
      ((.pull_request // .issue // {}) as $o |
       if .comment != null then ""
       elif .action == "closed" and ($o.merged == true) then "merged"
       elif .action == "closed" then "closed"
       elif .action == "opened" or .action == "reopened" then .action
       else "" end),
      (.repository.name),
      if (.comment != null and .issue != null) then
          "#\(.issue.number)", .issue.title, (.comment.body | line1 | nz)
      elif .pull_request != null then
          "#\(.pull_request.number // .number)", .pull_request.title, (.pull_request.html_url | nz)
      elif .issue != null then
          "#\(.issue.number)", .issue.title, (.issue.html_url | nz)
      elif .release != null then
          .release.tag_name, (.release.html_url | nz)
      elif .ref_type != null then
          (.ref | short)
      elif (.ref // "" | startswith("refs/")) then
          (.ref | short),
          ((.commits // [])[0:3][] | .id[0:7]),
          ((.commits // [])[0:1][] | .message | line1 | nz),
          ((.commits // [])[0:1][] | .url | nz)
      else empty end' "$1"
}

# alert_expect FILE: alert names, first summary, links (Grafana/Alertmanager data model).
alert_expect() {
    jq -r '
      def nz: select(. != null and . != "");
      ([.alerts[].labels.alertname] | unique[]),
      (.alerts[0].annotations.summary // empty | .[0:20]),
      (.alerts[0].generatorURL | nz),
      (.alerts[0].dashboardURL | nz),
      (.alerts[0].panelURL | nz)' "$1"
}

# ---------------------------------------------------------------------------------------------
# 1. Every fixture, verified and rendered
# ---------------------------------------------------------------------------------------------

declare -A HOOK
HOOK[forgejo]=$(mkhook fx-forgejo --source forgejo --secret "$FORGE_SECRET") || true
HOOK[gitea]=$(mkhook fx-gitea --source gitea --secret "$FORGE_SECRET") || true
HOOK[github]=$(mkhook fx-github --source github --secret "$FORGE_SECRET") || true
HOOK[grafana]=$(mkhook fx-grafana --source grafana --secret "$FORGE_SECRET") || true
HOOK[alertmanager]=$(mkhook fx-alertmanager --source alertmanager) || true
HOOK[uptimekuma]=$(mkhook fx-uptimekuma --source uptimekuma) || true
HOOK[wave]=$(mkhook fx-wave --source wave --secret "$WAVE_SECRET") || true
for s in forgejo gitea github grafana alertmanager uptimekuma wave; do
    if [ -z "${HOOK[$s]}" ]; then
        fail "FX-HOOK-$s" "griot hook create --source $s failed; its fixtures cannot be replayed"
    fi
done
if [ -z "${HOOK[forgejo]}${HOOK[github]}${HOOK[wave]}" ]; then finish; fi

# --- Forgejo, Gitea, GitHub: the fixture headers verbatim (no timestamp is signed) -------------
for src in forgejo gitea github; do
    [ -n "${HOOK[$src]}" ] || continue
    for f in "$FX/$src"/*.json; do
        h=${f%.json}.headers
        [ -e "$h" ] || continue # Slack-format constructed body: 53-fixtures
        rel=${f#"$FX"/}
        case_begin "SRC-FX $rel" "signed delivery -> stored with its key fragments"
        cnt "fx-$src"; before=$BEFORE
        src_post "${HOOK[$src]}" "$f" "$h"
        assert_stored "fx-$src" "$before"
        mapfile -t frags < <(forge_expect "$f")
        word=${frags[0]}
        assert_frags "$rel" "$HAY" "${frags[@]:1}"
        assert_jq "message names the repository; an attachment with a colour" "$P" '((.message | gsub("\\\\"; "")) | contains($r)) and (.props.attachments | type) == "array" and (.props.attachments | length) >= 1 and ((.props.attachments[0].color // "") | length) > 0' --arg r "${frags[1]}"
        if [ -n "$word" ]; then assert_ifrag "action" "$HAY" "$word"; fi
        if [ "$word" = merged ]; then assert_color "$P" green; fi
        case_end
    done
done

# --- Grafana: fixture headers verbatim; the legacy body (no signature) to an unsigned hook -----
if [ -n "${HOOK[grafana]}" ]; then
    for f in "$FX"/grafana/*.json; do
        h=${f%.json}.headers
        [ -e "$h" ] || continue
        rel=${f#"$FX"/}
        case_begin "SRC-FX $rel" "signed alert group -> stored with names, summary, links, colour"
        cnt fx-grafana; before=$BEFORE
        src_post "${HOOK[grafana]}" "$f" "$h"
        assert_stored fx-grafana "$before"
        mapfile -t frags < <(alert_expect "$f")
        assert_frags "$rel" "$HAY" "${frags[@]}"
        st=$(jq -r .status "$f")
        assert_ifrag "status" "$HAY" "$st"
        if jq -e '[.alerts[].status] | index("resolved") and index("firing")' "$f" >/dev/null; then
            assert_ifrag "mixed group shows resolved too" "$HAY" resolved
        fi
        if [ "$st" = resolved ]; then assert_color "$P" green; else assert_color "$P" red; fi
        if jq -e '.alerts[0].values != null' "$f" >/dev/null; then
            assert_match "values shown" "$HAY" '2473545728|2\.47'
        fi
        case_end
    done
fi
GRAF_NOSIG=$(mkhook fx-grafana-legacy --source grafana) || true
if [ -n "$GRAF_NOSIG" ]; then
    f="$FX/grafana/legacy__alerting_test_notification.json"
    case_begin "SRC-FX grafana/legacy__alerting_test_notification.json" "legacy alerting body (never signed) to a hook without secret -> stored"
    cnt fx-grafana-legacy; before=$BEFORE
    src_post "$GRAF_NOSIG" "$f" "" "Content-Type: application/json"
    assert_stored fx-grafana-legacy "$before"
    assert_frags legacy "$HAY" "Test rule" "Someone is testing the alert" "http://localhost:3000/"
    case_end
fi

# --- Alertmanager (no signature; this hook has no auth) ----------------------------------------
if [ -n "${HOOK[alertmanager]}" ]; then
    for f in "$FX"/alertmanager/*.json; do
        h=${f%.json}.headers
        rel=${f#"$FX"/}
        case_begin "SRC-FX $rel" "alert group -> stored with names, summary, link, colour"
        cnt fx-alertmanager; before=$BEFORE
        src_post "${HOOK[alertmanager]}" "$f" "$h"
        assert_stored fx-alertmanager "$before"
        mapfile -t frags < <(alert_expect "$f")
        assert_frags "$rel" "$HAY" "${frags[@]}"
        st=$(jq -r .status "$f")
        assert_ifrag "status" "$HAY" "$st"
        if [ "$st" = resolved ]; then assert_color "$P" green; else assert_color "$P" red; fi
        case_end
    done
fi

# --- Uptime Kuma (no signature; no auth configured: accepts any sender) ------------------------
if [ -n "${HOOK[uptimekuma]}" ]; then
    for f in "$FX"/uptimekuma/webhook__*.json; do
        h=${f%.json}.headers
        rel=${f#"$FX"/}
        case_begin "SRC-FX $rel" "monitor notification -> stored with monitor, URL, reason"
        cnt fx-uptimekuma; before=$BEFORE
        src_post "${HOOK[uptimekuma]}" "$f" "$h"
        assert_stored fx-uptimekuma "$before"
        case ${rel#uptimekuma/} in
        *down*)
            assert_frags "$rel" "$HAY" "Example API" "https://api.example.com/health" "Request failed with status code 503"
            assert_ifrag "state" "$HAY" down
            assert_color "$P" red
            ;;
        *up*)
            assert_frags "$rel" "$HAY" "Example API" "https://api.example.com/health" "200 - OK"
            assert_ifrag "state" "$HAY" up
            assert_color "$P" green
            ;;
        *test*) assert_frags "$rel (the notification's name)" "$HAY" "Ops webhook" ;;
        *cert*)
            assert_frags "$rel" "$HAY" "api.example.com" "14 days"
            assert_ifrag "$rel" "$HAY" "expire"
            ;;
        esac
        case_end
    done
fi

# --- Wave: re-signed at the current time with the fixture secret -------------------------------
# wave_hdr SECRET TS FILE: the Wave-Signature header value.
wave_hdr() { printf 't=%s,v1=%s' "$2" "$(wave_sig "$1" "$2" "$3")"; }
# wave_check REL: key fragments of a Wave fixture's rendering (in $HAY).
wave_check() {
    local rel=$1 norm sp
    # no-break, narrow no-break and thin spaces count as spaces
    sp=$(printf '%s' "$HAY" | sed 's/\xc2\xa0/ /g; s/\xe2\x80\xaf/ /g; s/\xe2\x80\x89/ /g')
    norm=${sp//[[:space:]]/}
    case $rel in
    *merchant_payment*)
        assert_frags "$rel" "$HAY" XOF
        assert_frags "$rel (amount, separators ignored)" "$norm" 990
        assert_nofrag "$rel: phone number masked" "$norm" "761110001" "+221761110001" "76111"
        assert_match "$rel: masked phone keeps its last digits" "$sp" '(•|\*|x|X)[^0-9]{0,3}01([^0-9]|$)'
        ;;
    *checkout_session_completed*)
        assert_frags "$rel" "$HAY" XOF "CMD-2024-001"
        assert_match "$rel amount 1 000" "$sp" '(^|[^0-9])1[ ,.]?000([^0-9]|$)'
        assert_nofrag "$rel: no minor unit" "$norm" "10.00" "10,00"
        ;;
    *payment_failed*)
        assert_frags "$rel" "$HAY" XOF "CMD-2024-001"
        assert_match "$rel reason" "$HAY" '[Ii]nsufficient[ _-](balance|funds)'
        assert_color "$P" red
        ;;
    *b2b*)
        assert_frags "$rel" "$HAY" XOF "FACT-456"
        assert_match "$rel amount 39 800 (XOF has no minor unit)" "$sp" '(^|[^0-9])39[ ,.]?800([^0-9]|$)'
        assert_nofrag "$rel: no minor unit" "$norm" "398.00" "398,00"
        ;;
    esac
}
NOW=$(date +%s)
if [ -n "${HOOK[wave]}" ]; then
    for f in "$FX"/wave/*.json; do
        h=${f%.json}.headers
        rel=${f#"$FX"/}
        case_begin "SRC-FX $rel" "re-signed now -> stored with amount, currency, reference"
        cnt fx-wave; before=$BEFORE
        src_post "${HOOK[wave]}" "$f" "$h" "Wave-Signature: $(wave_hdr "$WAVE_SECRET" "$NOW" "$f")"
        assert_stored fx-wave "$before"
        wave_check "$rel"
        case_end
    done
fi

# Wave, the fixture headers verbatim (2021 timestamps) to a hook with --tolerance 0, incl. the
# rotation header (old and new signature) and the shared-secret (Bearer) strategy.
WAVE_T0=$(mkhook fx-wave-t0 --source wave --secret "$WAVE_SECRET" --tolerance 0) || true
WAVE_BEARER=$(mkhook fx-wave-bearer --source wave --auth-bearer "$WAVE_SECRET") || true
if [ -n "$WAVE_T0" ]; then
    for h in "$FX"/wave/*.headers; do
        case $h in *shared_secret*) continue ;; esac
        base=${h%.headers}
        base=${base%.rotation}
        f=$base.json
        rel=${h#"$FX"/}
        case_begin "SRC-FX $rel (tolerance 0)" "verbatim fixture headers to a --tolerance 0 hook -> stored"
        cnt fx-wave-t0; before=$BEFORE
        if [[ "$h" == *rotation* ]]; then
            # the same event id was just posted with the plain header: a new hook for it
            H_ROT=$(mkhook fx-wave-rot --source wave --secret "$WAVE_SECRET" --tolerance 0) || true
            cnt fx-wave-rot; before=$BEFORE
            src_post "${H_ROT:-none}" "$f" "$h"
            assert_stored fx-wave-rot "$before"
        else
            src_post "$WAVE_T0" "$f" "$h"
            assert_stored fx-wave-t0 "$before"
        fi
        wave_check "$rel"
        case_end
    done
fi
if [ -n "$WAVE_BEARER" ]; then
    h="$FX/wave/checkout_session_completed__constructed.shared_secret.headers"
    f="$FX/wave/checkout_session_completed__constructed.json"
    case_begin "SRC-FX wave/checkout_session_completed__constructed.shared_secret.headers" "shared-secret strategy (Authorization: Bearer) -> stored"
    cnt fx-wave-bearer; before=$BEFORE
    src_post "$WAVE_BEARER" "$f" "$h"
    assert_stored fx-wave-bearer "$before"
    wave_check checkout_session_completed
    case_end
fi

# --- Standard Webhooks: the official vector ----------------------------------------------------
SWV=$(mkhook fx-sw-vector --source standard-webhooks --secret "$SW_SECRET" --tolerance 0) || true
SWM=$(mkhook fx-sw-multi --source standard-webhooks --secret "$SW_SECRET" --tolerance 0) || true
SW=$(mkhook fx-sw --source standard-webhooks --secret "$SW_SECRET") || true
if [ -n "$SWV" ]; then
    case_begin "SRC-FX standardwebhooks/sign_vector.headers" "official signing vector, tolerance 0 -> stored"
    cnt fx-sw-vector; before=$BEFORE
    src_post "$SWV" "$FX/standardwebhooks/sign_vector.body" "$FX/standardwebhooks/sign_vector.headers"
    assert_stored fx-sw-vector "$before"
    assert_frags vector "$HAY" 2432232314
    case_end
fi
if [ -n "$SWM" ]; then
    case_begin "SRC-FX standardwebhooks/sign_vector.multi_signature.headers" "four signatures (v2 and invalid v1 among them), one valid -> stored"
    cnt fx-sw-multi; before=$BEFORE
    src_post "$SWM" "$FX/standardwebhooks/sign_vector.body" "$FX/standardwebhooks/sign_vector.multi_signature.headers"
    assert_stored fx-sw-multi "$before"
    case_end
fi
if [ -n "$SWV" ]; then
    case_begin "SRC-FX standardwebhooks/spec_example_contact_created.headers" "spec example (its secret is unpublished) -> 401 mismatch, nothing stored"
    cnt fx-sw-vector; before=$BEFORE
    src_post "$SWV" "$FX/standardwebhooks/spec_example_contact_created.body" "$FX/standardwebhooks/spec_example_contact_created.headers"
    assert_refused 401 griot.source.signature.mismatch fx-sw-vector "$before" "$(sw_sig "$SW_SECRET" msg_2KWPBgLlAfxdpx2AI54pPJ85f4W 1674087231 "$FX/standardwebhooks/spec_example_contact_created.body")"
    case_end
fi
if [ -n "$SW" ]; then
    f="$FX/standardwebhooks/spec_example_contact_created.body"
    case_begin "SRC-FX standardwebhooks/spec_example_contact_created.body (re-signed)" "spec example re-signed now with the vector secret -> stored, event type shown"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$f" "$FX/standardwebhooks/spec_example_contact_created.headers" \
        "webhook-timestamp: $NOW" "webhook-signature: v1,$(sw_sig "$SW_SECRET" msg_2KWPBgLlAfxdpx2AI54pPJ85f4W "$NOW" "$f")"
    assert_stored fx-sw "$before"
    assert_frags contact "$HAY" contact.created
    case_end
fi

# ---------------------------------------------------------------------------------------------
# 2. Refusals, replays
# ---------------------------------------------------------------------------------------------

# tamper FILE OUT: the same JSON with one letter changed in a value ("a" -> "b" in the first
# string value after the first colon), so it still parses.
tamper() { perl -0pe 's/(:\s*"[^"a]*)a/${1}b/' "$1" >"$2"; cmp -s "$1" "$2" && printf ' ' >>"$2"; return 0; }

# --- Forges ----------------------------------------------------------------------------------
forge_neg() { # forge_neg SRC FIXTURE-NAME SIGHEADER...
    local src=$1 name=$2 hk ch f h t good e wrong sh edits
    shift 2
    ch=neg-$src
    hk=$(mkhook "$ch" --source "$src" --secret "$FORGE_SECRET") || true
    if [ -z "$hk" ]; then
        fail "SRC-NEG-$src" "griot hook create --source $src failed"
        return 0
    fi
    f="$FX/$src/$name.json"
    h="$FX/$src/$name.headers"
    good=$(forge_sig "$f")
    wrong=$(forge_sig "$f" wrong-secret)
    set_sigs() { # set_sigs HEX|-: all signature headers of the source with that digest (or dropped)
        edits=()
        for sh in X-Forgejo-Signature X-Gitea-Signature X-Gogs-Signature X-Hub-Signature-256 X-Hub-Signature; do
            if [ "$1" = - ]; then
                edits+=("-$sh")
            elif grep -qi "^$sh:" "$h"; then
                case $sh in
                X-Hub-Signature-256) edits+=("$sh: sha256=$1") ;;
                X-Hub-Signature) edits+=("-$sh") ;;
                *) edits+=("$sh: $1") ;;
                esac
            fi
        done
    }

    t="$T/$src.tampered.json"
    tamper "$f" "$t"
    case_begin "SRC-NEG-$src-1" "$src: tampered body, original signature -> 401 signature.mismatch, nothing stored"
    cnt "$ch"; before=$BEFORE
    src_post "$hk" "$t" "$h"
    assert_refused 401 griot.source.signature.mismatch "$ch" "$before" "$good" "$(forge_sig "$t")" "$FORGE_SECRET"
    case_end

    case_begin "SRC-NEG-$src-2" "$src: signed with a wrong secret -> 401 signature.mismatch, nothing stored"
    cnt "$ch"; before=$BEFORE
    set_sigs "$wrong"
    src_post "$hk" "$f" "$h" "${edits[@]}"
    assert_refused 401 griot.source.signature.mismatch "$ch" "$before" "$good" "$FORGE_SECRET"
    case_end

    case_begin "SRC-NEG-$src-3" "$src: no signature header at all -> 401 signature.missing, nothing stored"
    cnt "$ch"; before=$BEFORE
    set_sigs -
    src_post "$hk" "$f" "$h" "${edits[@]}"
    assert_refused 401 griot.source.signature.missing "$ch" "$before" "$good" "$FORGE_SECRET"
    case_end

    case_begin "SRC-NEG-$src-4" "$src: signature 'not-hex!' -> 401 signature.malformed, nothing stored"
    cnt "$ch"; before=$BEFORE
    set_sigs 'not-hex!'
    src_post "$hk" "$f" "$h" "${edits[@]}"
    assert_refused 401 griot.source.signature.malformed "$ch" "$before" "$good" "$FORGE_SECRET"
    case_end

    case_begin "SRC-NEG-$src-5" "$src: the genuine delivery after those refusals -> stored (refusals burn no delivery id)"
    cnt "$ch"; before=$BEFORE
    src_post "$hk" "$f" "$h"
    assert_stored "$ch" "$before"
    case_end

    case_begin "SRC-NEG-$src-6" "$src: the same delivery again (replay) -> 200 ok, nothing new stored"
    cnt "$ch"; before=$BEFORE
    src_post "$hk" "$f" "$h"
    assert_dedup "$ch" "$before"
    case_end

    case_begin "SRC-NEG-$src-7" "$src: another body, validly signed, reusing that delivery id -> 200 ok, nothing stored"
    local f2
    f2=$(find "$FX/$src" -name 'push*.json' ! -name "$name.json" | head -n 1)
    [ -n "$f2" ] || f2="$FX/$src/release__published.json"
    cnt "$ch"; before=$BEFORE
    set_sigs "$(forge_sig "$f2")"
    src_post "$hk" "$f2" "$h" "${edits[@]}"
    assert_dedup "$ch" "$before"
    case_end

    case_begin "SRC-NEG-$src-8" "$src: the same delivery with a fresh delivery id -> stored"
    local id
    id=$(uuid)
    edits=()
    for sh in X-Forgejo-Delivery X-Gitea-Delivery X-Gogs-Delivery X-GitHub-Delivery; do
        if grep -qi "^$sh:" "$h"; then edits+=("$sh: $id"); fi
    done
    cnt "$ch"; before=$BEFORE
    src_post "$hk" "$f" "$h" "${edits[@]}"
    assert_stored "$ch" "$before"
    case_end

    # Form delivery: payload=<url-encoded JSON> (spaces as '+', like Go's url.Values), signed
    # over the JSON text, as Forgejo/Gitea/GitHub do.
    local form="$T/$src.form" id2
    printf 'payload=' >"$form"
    jq -sRr @uri "$f" | sed 's/%20/+/g' | tr -d '\n' >>"$form"
    id2=$(uuid)
    edits=("Content-Type: application/x-www-form-urlencoded")
    for sh in X-Forgejo-Delivery X-Gitea-Delivery X-Gogs-Delivery X-GitHub-Delivery; do
        if grep -qi "^$sh:" "$h"; then edits+=("$sh: $id2"); fi
    done
    case_begin "SRC-NEG-$src-9" "$src: form delivery (payload=, signature over the decoded JSON) -> stored, same rendering"
    cnt "$ch"; before=$BEFORE
    src_post "$hk" "$form" "$h" "${edits[@]}"
    assert_stored "$ch" "$before"
    mapfile -t frags < <(forge_expect "$f")
    assert_frags "form $name" "$HAY" "${frags[@]:1}"
    case_end

    case_begin "SRC-NEG-$src-10" "$src: form delivery whose payload was altered (signature of the original JSON) -> 401 signature.mismatch"
    local ft="$T/$src.form.tampered"
    printf 'payload=' >"$ft"
    jq -sRr @uri "$t" | sed 's/%20/+/g' | tr -d '\n' >>"$ft"
    id2=$(uuid)
    edits=("Content-Type: application/x-www-form-urlencoded")
    for sh in X-Forgejo-Delivery X-Gitea-Delivery X-Gogs-Delivery X-GitHub-Delivery; do
        if grep -qi "^$sh:" "$h"; then edits+=("$sh: $id2"); fi
    done
    cnt "$ch"; before=$BEFORE
    src_post "$hk" "$ft" "$h" "${edits[@]}"
    assert_refused 401 griot.source.signature.mismatch "$ch" "$before" "$good" "$(forge_sig "$t")"
    case_end

    if [ "$src" = github ]; then
        # GitHub signs the bytes it sends, form body included.
        case_begin "SRC-NEG-$src-11" "github: form delivery signed over the form bytes (as GitHub does) -> stored"
        local e2=("${edits[@]}")
        e2[1]="X-GitHub-Delivery: $(uuid)"
        set_sigs "$(forge_sig "$form")"
        cnt "$ch"; before=$BEFORE
        src_post "$hk" "$form" "$h" "${e2[@]}" "${edits[@]}"
        assert_stored "$ch" "$before"
        case_end
    fi
}
forge_neg forgejo push__multi_commits
forge_neg gitea pull_request__opened
forge_neg github pull_request__opened

GH_NEG=$(mkhook neg-github-sha1 --source github --secret "$FORGE_SECRET") || true
if [ -n "$GH_NEG" ]; then
    f="$FX/github/push.json"
    h="$FX/github/push.headers"
    case_begin SRC-NEG-github-12 "github: only the SHA-1 X-Hub-Signature (no X-Hub-Signature-256) -> 401 signature.missing"
    cnt neg-github-sha1; before=$BEFORE
    src_post "$GH_NEG" "$f" "$h" -X-Hub-Signature-256
    assert_refused 401 griot.source.signature.missing neg-github-sha1 "$before" "$(forge_sig "$f")"
    case_end
    case_begin SRC-NEG-github-13 "github: X-Hub-Signature-256 without its sha256= prefix -> 401 signature.malformed"
    cnt neg-github-sha1; before=$BEFORE
    src_post "$GH_NEG" "$f" "$h" "X-Hub-Signature-256: $(forge_sig "$f")"
    assert_refused 401 griot.source.signature.malformed neg-github-sha1 "$before"
    case_end
fi

if [ -n "$GH_NEG" ]; then
    case_begin SRC-NEG-github-14 "github: a correctly signed body that is not JSON -> 400 griot.source.payload.invalid, nothing stored"
    printf 'not json at all' >"$T/notjson.gh"
    cnt neg-github-sha1; before=$BEFORE
    src_post "$GH_NEG" "$T/notjson.gh" "$FX/github/push.headers" "X-GitHub-Delivery: $(uuid)" "X-Hub-Signature-256: sha256=$(forge_sig "$T/notjson.gh")"
    assert_refused 400 griot.source.payload.invalid neg-github-sha1 "$before"
    case_end
fi
BIG=$(mkhook neg-forgejo-big --source forgejo --secret "$FORGE_SECRET") || true
if [ -n "$BIG" ]; then
    case_begin SRC-NEG-forgejo-big "forgejo: a 2 MB push (3000 commits; above the Mattermost body limit), signed -> stored, commit list shortened"
    jq -c '.commits = [range(3000) as $i | .commits[0] | .id = ("\($i)" | "c0ffee" + . + "0000000000000000000000000000000000" | .[0:40]) |
        .message = "bulk import commit number \($i) with a long enough message to weigh on the payload size............................................................................................................................................................................................................................................................................................................................................................................................................................................................\n"] |
        .total_commits = 3000 | .head_commit = .commits[2999]' "$FX/forgejo/push__multi_commits.json" >"$T/big.json"
    note "SRC-NEG-forgejo-big: body $(wc -c <"$T/big.json") bytes"
    sig=$(forge_sig "$T/big.json")
    cnt neg-forgejo-big; before=$BEFORE
    src_post "$BIG" "$T/big.json" "$FX/forgejo/push__multi_commits.headers" "X-Forgejo-Signature: $sig" "X-Gitea-Signature: $sig" \
        "X-Gogs-Signature: $sig" "X-Hub-Signature-256: sha256=$sig" -X-Hub-Signature "X-Forgejo-Delivery: $(uuid)"
    assert_stored neg-forgejo-big "$before"
    assert_frags big "$HAY" c0ffee0 multi-line-secrets
    assert_match "message size stays chat-sized" "$(printf '%s' "$P" | jq '.message | length')" '^[0-9]{1,4}$'
    case_end
fi

# --- Grafana -----------------------------------------------------------------------------------
GN=$(mkhook neg-grafana --source grafana --secret "$FORGE_SECRET") || true
GT=$(mkhook neg-grafana-ts --source grafana --secret "$FORGE_SECRET" --ts-header X-Grafana-Alerting-Timestamp) || true
GT0=$(mkhook neg-grafana-ts0 --source grafana --secret "$FORGE_SECRET" --ts-header X-Grafana-Alerting-Timestamp --tolerance 0) || true
f="$FX/grafana/firing__values_dashboard_panel_v11.json"
h="$FX/grafana/firing__values_dashboard_panel_v11.headers"
hts="$FX/grafana/firing__values_dashboard_panel_v11.timestamped.headers"
good=$(forge_sig "$f")
if [ -n "$GN" ]; then
    tamper "$f" "$T/grafana.tampered.json"
    case_begin SRC-NEG-grafana-1 "grafana: tampered body -> 401 signature.mismatch, nothing stored"
    cnt neg-grafana; before=$BEFORE
    src_post "$GN" "$T/grafana.tampered.json" "$h"
    assert_refused 401 griot.source.signature.mismatch neg-grafana "$before" "$good" "$(forge_sig "$T/grafana.tampered.json")" "$FORGE_SECRET"
    case_end
    case_begin SRC-NEG-grafana-2 "grafana: wrong secret -> 401 signature.mismatch"
    cnt neg-grafana; before=$BEFORE
    src_post "$GN" "$f" "$h" "X-Grafana-Alerting-Signature: $(forge_sig "$f" wrong-secret)"
    assert_refused 401 griot.source.signature.mismatch neg-grafana "$before" "$good"
    case_end
    case_begin SRC-NEG-grafana-3 "grafana: hook has a secret, no signature header -> 401 signature.missing"
    cnt neg-grafana; before=$BEFORE
    src_post "$GN" "$f" "$h" -X-Grafana-Alerting-Signature
    assert_refused 401 griot.source.signature.missing neg-grafana "$before" "$good"
    case_end
    case_begin SRC-NEG-grafana-4 "grafana: signature 'xyz' -> 401 signature.malformed"
    cnt neg-grafana; before=$BEFORE
    src_post "$GN" "$f" "$h" "X-Grafana-Alerting-Signature: xyz"
    assert_refused 401 griot.source.signature.malformed neg-grafana "$before" "$good"
    case_end
    case_begin SRC-NEG-grafana-5 "grafana: genuine, then the same body again -> both stored (no dedup: repeats are reminders)"
    cnt neg-grafana; before=$BEFORE
    src_post "$GN" "$f" "$h"
    assert_stored neg-grafana "$before"
    src_post "$GN" "$f" "$h"
    assert_stored neg-grafana "$((before + 1))"
    case_end
fi
if [ -n "$GT" ]; then
    case_begin SRC-NEG-grafana-6 "grafana timestamp mode: the fixture's 2024 timestamp, correctly signed -> 401 signature.stale"
    cnt neg-grafana-ts; before=$BEFORE
    src_post "$GT" "$f" "$hts"
    assert_refused 401 griot.source.signature.stale neg-grafana-ts "$before"
    case_end
    case_begin SRC-NEG-grafana-7 "grafana timestamp mode: re-signed '<now>:'+body -> stored"
    cnt neg-grafana-ts; before=$BEFORE
    now=$(date +%s)
    src_post "$GT" "$f" "$hts" "X-Grafana-Alerting-Timestamp: $now" \
        "X-Grafana-Alerting-Signature: $({ printf '%s:' "$now"; cat "$f"; } | hmac sha256 hex "key:$FORGE_SECRET")"
    assert_stored neg-grafana-ts "$before"
    assert_frags v11 "$HAY" "Memory (copy)"
    case_end
    case_begin SRC-NEG-grafana-8 "grafana timestamp mode: signed on purpose 1 h ago -> 401 signature.stale"
    cnt neg-grafana-ts; before=$BEFORE
    old=$(($(date +%s) - 3600))
    src_post "$GT" "$f" "$hts" "X-Grafana-Alerting-Timestamp: $old" \
        "X-Grafana-Alerting-Signature: $({ printf '%s:' "$old"; cat "$f"; } | hmac sha256 hex "key:$FORGE_SECRET")"
    assert_refused 401 griot.source.signature.stale neg-grafana-ts "$before"
    case_end
    case_begin SRC-NEG-grafana-9 "grafana timestamp mode: fresh timestamp but body-only signature -> 401 signature.mismatch"
    cnt neg-grafana-ts; before=$BEFORE
    src_post "$GT" "$f" "$hts" "X-Grafana-Alerting-Timestamp: $(date +%s)" "X-Grafana-Alerting-Signature: $good"
    assert_refused 401 griot.source.signature.mismatch neg-grafana-ts "$before"
    case_end
fi
if [ -n "$GT0" ]; then
    case_begin SRC-NEG-grafana-10 "grafana timestamp mode, --tolerance 0: the fixture's timestamped headers verbatim -> stored"
    cnt neg-grafana-ts0; before=$BEFORE
    src_post "$GT0" "$f" "$hts"
    assert_stored neg-grafana-ts0 "$before"
    case_end
fi

# --- Alertmanager (bearer) and Uptime Kuma (basic): no signature, credentials instead ---------
AMN=$(mkhook neg-alertmanager --source alertmanager --auth-bearer am-token-1) || true
if [ -n "$AMN" ]; then
    f="$FX/alertmanager/firing__two_alerts.json"
    h="$FX/alertmanager/firing__two_alerts.headers"
    case_begin SRC-NEG-alertmanager-1 "alertmanager --auth-bearer: no Authorization -> 401 griot.source.unauthorized"
    cnt neg-alertmanager; before=$BEFORE
    src_post "$AMN" "$f" "$h"
    assert_refused 401 griot.source.unauthorized neg-alertmanager "$before" am-token-1
    case_end
    case_begin SRC-NEG-alertmanager-2 "alertmanager: wrong bearer token -> 401 unauthorized"
    cnt neg-alertmanager; before=$BEFORE
    src_post "$AMN" "$f" "$h" "Authorization: Bearer am-token-2"
    assert_refused 401 griot.source.unauthorized neg-alertmanager "$before" am-token-1
    case_end
    case_begin SRC-NEG-alertmanager-3 "alertmanager: right token, sent twice -> stored twice (no dedup)"
    cnt neg-alertmanager; before=$BEFORE
    src_post "$AMN" "$f" "$h" "Authorization: Bearer am-token-1"
    assert_stored neg-alertmanager "$before"
    src_post "$AMN" "$f" "$h" "Authorization: Bearer am-token-1"
    assert_stored neg-alertmanager "$((before + 1))"
    case_end
    case_begin SRC-NEG-alertmanager-4 "alertmanager: right token, body not JSON -> 400 griot.source.payload.invalid, nothing stored"
    printf 'this is not json' >"$T/notjson"
    cnt neg-alertmanager; before=$BEFORE
    src_post "$AMN" "$T/notjson" "$h" "Authorization: Bearer am-token-1"
    assert_refused 400 griot.source.payload.invalid neg-alertmanager "$before"
    case_end
fi
UKN=$(mkhook neg-uptimekuma --source uptimekuma --auth-basic kuma:s3cret-pass) || true
if [ -n "$UKN" ]; then
    f="$FX/uptimekuma/webhook__down_constructed.json"
    h="$FX/uptimekuma/webhook__down_constructed.headers"
    case_begin SRC-NEG-uptimekuma-1 "uptimekuma --auth-basic: no credentials -> 401 unauthorized"
    cnt neg-uptimekuma; before=$BEFORE
    src_post "$UKN" "$f" "$h"
    assert_refused 401 griot.source.unauthorized neg-uptimekuma "$before" s3cret-pass
    case_end
    case_begin SRC-NEG-uptimekuma-2 "uptimekuma: wrong password -> 401 unauthorized"
    cnt neg-uptimekuma; before=$BEFORE
    src_post "$UKN" "$f" "$h" -- -u kuma:wrong
    assert_refused 401 griot.source.unauthorized neg-uptimekuma "$before" s3cret-pass
    case_end
    case_begin SRC-NEG-uptimekuma-3 "uptimekuma: right credentials, twice -> stored twice (no delivery id)"
    cnt neg-uptimekuma; before=$BEFORE
    src_post "$UKN" "$f" "$h" -- -u kuma:s3cret-pass
    assert_stored neg-uptimekuma "$before"
    src_post "$UKN" "$f" "$h" -- -u kuma:s3cret-pass
    assert_stored neg-uptimekuma "$((before + 1))"
    case_end
fi

# --- Wave --------------------------------------------------------------------------------------
case_begin SRC-NEG-wave-0 "wave hook without secret or bearer -> hook create refused (exit 2)"
"$GRIOT" channel create neg-wave --display neg-wave >/dev/null 2>&1 || true
cli hook create --channel neg-wave --source wave
assert_eq "exit status" 2 "$CLI_RC"
assert_eq "no hook id printed" "" "$CLI_OUT"
case_end
WN=$(mkhook neg-wave --source wave --secret "$WAVE_SECRET") || true
if [ -n "$WN" ]; then
    f="$FX/wave/merchant_payment_received__constructed.json"
    h="$FX/wave/merchant_payment_received__constructed.headers"
    now=$(date +%s)
    goodsig=$(wave_sig "$WAVE_SECRET" "$now" "$f")
    tamper "$f" "$T/wave.tampered.json"
    case_begin SRC-NEG-wave-1 "wave: tampered body -> 401 signature.mismatch, nothing stored"
    cnt neg-wave; before=$BEFORE
    src_post "$WN" "$T/wave.tampered.json" "$h" "Wave-Signature: t=$now,v1=$goodsig"
    assert_refused 401 griot.source.signature.mismatch neg-wave "$before" "$(wave_sig "$WAVE_SECRET" "$now" "$T/wave.tampered.json")" "$WAVE_SECRET"
    case_end
    case_begin SRC-NEG-wave-2 "wave: wrong secret -> 401 signature.mismatch"
    cnt neg-wave; before=$BEFORE
    src_post "$WN" "$f" "$h" "Wave-Signature: t=$now,v1=$(wave_sig wrong-secret "$now" "$f")"
    assert_refused 401 griot.source.signature.mismatch neg-wave "$before" "$goodsig" "$WAVE_SECRET"
    case_end
    case_begin SRC-NEG-wave-3 "wave: no Wave-Signature -> 401 signature.missing"
    cnt neg-wave; before=$BEFORE
    src_post "$WN" "$f" "$h" -Wave-Signature
    assert_refused 401 griot.source.signature.missing neg-wave "$before" "$goodsig" "$WAVE_SECRET"
    case_end
    case_begin SRC-NEG-wave-4 "wave: Wave-Signature 'garbage' and 't=abc,v1=zz' -> 401 signature.malformed"
    cnt neg-wave; before=$BEFORE
    src_post "$WN" "$f" "$h" "Wave-Signature: garbage"
    assert_refused 401 griot.source.signature.malformed neg-wave "$before" "$goodsig"
    src_post "$WN" "$f" "$h" "Wave-Signature: t=abc,v1=zz"
    assert_refused 401 griot.source.signature.malformed neg-wave "$before" "$goodsig"
    case_end
    case_begin SRC-NEG-wave-5 "wave: correctly signed 10 min ago, and 10 min ahead -> 401 signature.stale"
    cnt neg-wave; before=$BEFORE
    old=$((now - 600))
    src_post "$WN" "$f" "$h" "Wave-Signature: t=$old,v1=$(wave_sig "$WAVE_SECRET" "$old" "$f")"
    assert_refused 401 griot.source.signature.stale neg-wave "$before" "$goodsig"
    fut=$((now + 600))
    src_post "$WN" "$f" "$h" "Wave-Signature: t=$fut,v1=$(wave_sig "$WAVE_SECRET" "$fut" "$f")"
    assert_refused 401 griot.source.signature.stale neg-wave "$before" "$goodsig"
    case_end
    case_begin SRC-NEG-wave-6 "wave: the fixture's own 2021 signature, default tolerance -> 401 signature.stale"
    cnt neg-wave; before=$BEFORE
    src_post "$WN" "$f" "$h"
    assert_refused 401 griot.source.signature.stale neg-wave "$before"
    case_end
    case_begin SRC-NEG-wave-7 "wave: the genuine delivery after those refusals -> stored"
    cnt neg-wave; before=$BEFORE
    src_post "$WN" "$f" "$h" "Wave-Signature: t=$now,v1=$goodsig"
    assert_stored neg-wave "$before"
    case_end
    case_begin SRC-NEG-wave-8 "wave: the same event id re-delivered (signed at a new time) -> 200 ok, nothing stored"
    cnt neg-wave; before=$BEFORE
    t2=$((now + 1))
    src_post "$WN" "$f" "$h" "Wave-Signature: t=$t2,v1=$(wave_sig "$WAVE_SECRET" "$t2" "$f")"
    assert_dedup neg-wave "$before"
    case_end
fi
WR=$(mkhook neg-wave-rot --source wave --secret "$WAVE_OLD_SECRET" --secret "$WAVE_SECRET") || true
if [ -n "$WR" ]; then
    case_begin SRC-NEG-wave-9 "wave: hook with two secrets (rotation): a delivery signed with either one -> stored"
    now=$(date +%s)
    cnt neg-wave-rot; before=$BEFORE
    f="$FX/wave/b2b_payment_received__constructed.json"
    src_post "$WR" "$f" "$FX/wave/b2b_payment_received__constructed.headers" "Wave-Signature: t=$now,v1=$(wave_sig "$WAVE_OLD_SECRET" "$now" "$f")"
    assert_stored neg-wave-rot "$before"
    f="$FX/wave/checkout_session_payment_failed__constructed.json"
    src_post "$WR" "$f" "$FX/wave/checkout_session_payment_failed__constructed.headers" "Wave-Signature: t=$now,v1=$(wave_sig "$WAVE_SECRET" "$now" "$f")"
    assert_stored neg-wave-rot "$((before + 1))"
    case_end
fi
if [ -n "$WAVE_BEARER" ]; then
    f="$FX/wave/checkout_session_payment_failed__constructed.json"
    case_begin SRC-NEG-wave-10 "wave shared-secret hook: wrong bearer, and no credentials -> 401 unauthorized"
    cnt fx-wave-bearer; before=$BEFORE
    src_post "$WAVE_BEARER" "$f" "" "Content-Type: application/json" "Authorization: Bearer not-the-secret"
    assert_refused 401 griot.source.unauthorized fx-wave-bearer "$before" "$WAVE_SECRET"
    src_post "$WAVE_BEARER" "$f" "" "Content-Type: application/json"
    assert_refused 401 griot.source.unauthorized fx-wave-bearer "$before" "$WAVE_SECRET"
    case_end
fi

# --- Standard Webhooks ---------------------------------------------------------------------------
if [ -n "$SW" ]; then
    f="$T/sw.json"
    printf '{"type":"invoice.paid","timestamp":"2026-01-01T00:00:00Z","data":{"id":"inv_%s","amount":4200}}' "$RANDOM" >"$f"
    id="msg_neg$RANDOM$RANDOM"
    now=$(date +%s)
    goodsig=$(sw_sig "$SW_SECRET" "$id" "$now" "$f")
    base=("Content-Type: application/json" "webhook-id: $id" "webhook-timestamp: $now")
    case_begin SRC-NEG-sw-1 "standard-webhooks: the official vector verbatim, default tolerance (2021) -> 401 signature.stale"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$FX/standardwebhooks/sign_vector.body" "$FX/standardwebhooks/sign_vector.headers"
    assert_refused 401 griot.source.signature.stale fx-sw "$before"
    case_end
    tamper "$f" "$T/sw.tampered.json"
    case_begin SRC-NEG-sw-2 "standard-webhooks: tampered body -> 401 signature.mismatch"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$T/sw.tampered.json" "" "${base[@]}" "webhook-signature: v1,$goodsig"
    assert_refused 401 griot.source.signature.mismatch fx-sw "$before" "$(sw_sig "$SW_SECRET" "$id" "$now" "$T/sw.tampered.json")" "${SW_SECRET#whsec_}"
    case_end
    case_begin SRC-NEG-sw-3 "standard-webhooks: wrong secret -> 401 signature.mismatch"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$f" "" "${base[@]}" "webhook-signature: v1,$(sw_sig whsec_d3JvbmctZ3Jpb3Qtc2VjcmV0LWtleS0zMmJ5dGVzISE= "$id" "$now" "$f")"
    assert_refused 401 griot.source.signature.mismatch fx-sw "$before" "$goodsig" "${SW_SECRET#whsec_}"
    case_end
    case_begin SRC-NEG-sw-4 "standard-webhooks: no webhook-signature -> 401 signature.missing"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$f" "" "${base[@]}"
    assert_refused 401 griot.source.signature.missing fx-sw "$before" "$goodsig"
    case_end
    case_begin SRC-NEG-sw-5 "standard-webhooks: the spec's known-invalid 'v1,' and a v1a-only list -> 401, nothing stored"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$f" "" "${base[@]}" "webhook-signature: v1,"
    assert_status 401
    assert_match "AppError id" "$(printf '%s' "$BODY" | jq -r .id 2>/dev/null)" '^griot\.source\.signature\.(malformed|mismatch)$'
    src_post "$SW" "$f" "" "${base[@]}" "webhook-signature: v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg=="
    assert_status 401
    assert_match "AppError id" "$(printf '%s' "$BODY" | jq -r .id 2>/dev/null)" '^griot\.source\.signature\.(malformed|mismatch|missing)$'
    assert_eq "nothing stored" "$before" "$(post_count fx-sw)"
    case_end
    case_begin SRC-NEG-sw-6 "standard-webhooks: webhook-timestamp 'soon' -> 401 signature.malformed"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$f" "" "Content-Type: application/json" "webhook-id: $id" "webhook-timestamp: soon" "webhook-signature: v1,$goodsig"
    assert_refused 401 griot.source.signature.malformed fx-sw "$before" "$goodsig"
    case_end
    case_begin SRC-NEG-sw-7 "standard-webhooks: correctly signed 1 h ago, and 1 h ahead -> 401 signature.stale"
    cnt fx-sw; before=$BEFORE
    old=$((now - 3600))
    src_post "$SW" "$f" "" "Content-Type: application/json" "webhook-id: $id" "webhook-timestamp: $old" "webhook-signature: v1,$(sw_sig "$SW_SECRET" "$id" "$old" "$f")"
    assert_refused 401 griot.source.signature.stale fx-sw "$before"
    fut=$((now + 3600))
    src_post "$SW" "$f" "" "Content-Type: application/json" "webhook-id: $id" "webhook-timestamp: $fut" "webhook-signature: v1,$(sw_sig "$SW_SECRET" "$id" "$fut" "$f")"
    assert_refused 401 griot.source.signature.stale fx-sw "$before"
    case_end
    case_begin SRC-NEG-sw-8 "standard-webhooks: genuine after the refusals -> stored with the event type"
    cnt fx-sw; before=$BEFORE
    src_post "$SW" "$f" "" "${base[@]}" "webhook-signature: v1,$goodsig"
    assert_stored fx-sw "$before"
    assert_frags invoice "$HAY" invoice.paid
    case_end
    case_begin SRC-NEG-sw-9 "standard-webhooks: same webhook-id, retried later (new timestamp, new signature) -> 200 ok, nothing stored"
    cnt fx-sw; before=$BEFORE
    t2=$((now + 2))
    src_post "$SW" "$f" "" "Content-Type: application/json" "webhook-id: $id" "webhook-timestamp: $t2" "webhook-signature: v1,$(sw_sig "$SW_SECRET" "$id" "$t2" "$f")"
    assert_dedup fx-sw "$before"
    case_end
fi

# --- generic HMAC schemes (no fixture exists: payloads built here) ------------------------------
GS=gen-secret-$RANDOM
f="$T/generic.json"
printf '{"event":"order.created","order":{"id":"A-%s","total":"12.50"},"customer":"Zoé"}' "$RANDOM" >"$f"
# Slack-style: X-Slack-Signature: v0=<hex of "v0:<ts>:<body>">, timestamp header, window.
GSL=$(mkhook gen-slack --source generic --secret "$GS" --sig-header X-Slack-Signature --sig-prefix v0= \
    --sig-content 'v0:{ts}:{body}' --ts-header X-Slack-Request-Timestamp) || true
if [ -n "$GSL" ]; then
    slack_sig() { { printf 'v0:%s:' "$2"; cat "$3"; } | hmac sha256 hex "key:$1"; }
    now=$(date +%s)
    good=$(slack_sig "$GS" "$now" "$f")
    gh=("Content-Type: application/json" "X-Slack-Request-Timestamp: $now")
    case_begin SRC-GEN-1 "generic Slack-style (v0:{ts}:{body}, prefix v0=) signed now -> stored"
    cnt gen-slack; before=$BEFORE
    src_post "$GSL" "$f" "" "${gh[@]}" "X-Slack-Signature: v0=$good"
    assert_stored gen-slack "$before"
    assert_frags generic "$HAY" order.created
    case_end
    case_begin SRC-GEN-2 "generic Slack-style: tampered body -> 401 signature.mismatch"
    tamper "$f" "$T/generic.tampered.json"
    cnt gen-slack; before=$BEFORE
    src_post "$GSL" "$T/generic.tampered.json" "" "${gh[@]}" "X-Slack-Signature: v0=$good"
    assert_refused 401 griot.source.signature.mismatch gen-slack "$before" "$(slack_sig "$GS" "$now" "$T/generic.tampered.json")" "$GS"
    case_end
    case_begin SRC-GEN-3 "generic Slack-style: signed on purpose 1 h ago -> 401 signature.stale"
    old=$((now - 3600))
    cnt gen-slack; before=$BEFORE
    src_post "$GSL" "$f" "" "Content-Type: application/json" "X-Slack-Request-Timestamp: $old" "X-Slack-Signature: v0=$(slack_sig "$GS" "$old" "$f")"
    assert_refused 401 griot.source.signature.stale gen-slack "$before"
    case_end
    case_begin SRC-GEN-4 "generic Slack-style: no signature header -> 401 signature.missing; signature 'v0=zz' -> malformed"
    cnt gen-slack; before=$BEFORE
    src_post "$GSL" "$f" "" "${gh[@]}"
    assert_refused 401 griot.source.signature.missing gen-slack "$before" "$good"
    src_post "$GSL" "$f" "" "${gh[@]}" "X-Slack-Signature: v0=zz"
    assert_refused 401 griot.source.signature.malformed gen-slack "$before" "$good"
    case_end
    case_begin SRC-GEN-5 "generic Slack-style: valid signature but no timestamp header -> 401, nothing stored"
    cnt gen-slack; before=$BEFORE
    src_post "$GSL" "$f" "" "Content-Type: application/json" "X-Slack-Signature: v0=$good"
    assert_status 401
    assert_match "AppError id" "$(printf '%s' "$BODY" | jq -r .id 2>/dev/null)" '^griot\.source\.signature\.(missing|malformed|mismatch)$'
    assert_eq "nothing stored" "$before" "$(post_count gen-slack)"
    case_end
fi
# Shopify-style base64 SHA-256 of the body; and SHA-512 hex and SHA-1 with prefix.
GSH=$(mkhook gen-b64 --source generic --secret "$GS" --sig-header X-Shopify-Hmac-Sha256 --sig-encoding base64) || true
GS5=$(mkhook gen-512 --source generic --secret "$GS" --sig-header X-Sig --sig-algo sha512) || true
GS1=$(mkhook gen-sha1 --source generic --secret "$GS" --sig-header X-Hub-Signature --sig-algo sha1 --sig-prefix sha1=) || true
if [ -n "$GSH" ] && [ -n "$GS5" ] && [ -n "$GS1" ]; then
    case_begin SRC-GEN-6 "generic base64 SHA-256 (Shopify), hex SHA-512, SHA-1 with sha1= prefix -> each stored"
    cnt gen-b64; b1=$BEFORE
    src_post "$GSH" "$f" "" "Content-Type: application/json" "X-Shopify-Hmac-Sha256: $(hmac sha256 b64 "key:$GS" "$f")"
    assert_stored gen-b64 "$b1"
    cnt gen-512; b2=$BEFORE
    src_post "$GS5" "$f" "" "Content-Type: application/json" "X-Sig: $(hmac sha512 hex "key:$GS" "$f")"
    assert_stored gen-512 "$b2"
    cnt gen-sha1; b3=$BEFORE
    src_post "$GS1" "$f" "" "Content-Type: application/json" "X-Hub-Signature: sha1=$(hmac sha1 hex "key:$GS" "$f")"
    assert_stored gen-sha1 "$b3"
    case_end
    case_begin SRC-GEN-7 "generic: a SHA-256 signature to the SHA-512 hook, and a hex one to the base64 hook -> 401, nothing stored"
    cnt gen-512; b2=$BEFORE
    src_post "$GS5" "$f" "" "Content-Type: application/json" "X-Sig: $(hmac sha256 hex "key:$GS" "$f")"
    assert_status 401
    assert_match "AppError id" "$(printf '%s' "$BODY" | jq -r .id 2>/dev/null)" '^griot\.source\.signature\.(malformed|mismatch)$'
    assert_eq "nothing stored" "$b2" "$(post_count gen-512)"
    cnt gen-b64; b1=$BEFORE
    src_post "$GSH" "$f" "" "Content-Type: application/json" "X-Shopify-Hmac-Sha256: $(hmac sha256 hex "key:$GS" "$f")"
    assert_status 401
    assert_eq "nothing stored" "$b1" "$(post_count gen-b64)"
    case_end
    case_begin SRC-GEN-8 "generic: header with two signatures (old secret's, then the right one) -> stored"
    cnt gen-512; b2=$BEFORE
    src_post "$GS5" "$f" "" "Content-Type: application/json" "X-Sig: $(hmac sha512 hex "key:old-$GS" "$f"),$(hmac sha512 hex "key:$GS" "$f")"
    assert_stored gen-512 "$b2"
    case_end
fi
case_begin SRC-GEN-9 "generic misconfigured ({ts} in --sig-content, no --ts-header): refused at creation or every request refused"
"$GRIOT" channel create gen-bad --display gen-bad >/dev/null 2>&1 || true
cli hook create --channel gen-bad --source generic --secret "$GS" --sig-header X-Sig --sig-content '{ts}.{body}'
if [ "$CLI_RC" -eq 0 ]; then
    GB=$(printf '%s\n' "$CLI_OUT" | head -n 1)
    cnt gen-bad; before=$BEFORE
    src_post "$GB" "$f" "" "Content-Type: application/json" "X-Sig: $(hmac sha256 hex "key:$GS" "$f")"
    assert_status 401
    assert_eq "nothing stored" "$before" "$(post_count gen-bad)"
    note "SRC-GEN-9: hook created; request answered $STATUS $(_trunc 120 "$BODY")"
else
    note "SRC-GEN-9: hook create refused (exit $CLI_RC): $(_trunc 200 "$CLI_ERR")"
fi
case_end

griot_stop
finish
