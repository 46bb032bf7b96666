#!/usr/bin/env bash
# Runs every executable tests/integration/[0-9][0-9]-*.sh in order, each with a time limit.
# A script exits 0 (pass), 77 (skip; it prints why) or anything else (fail).
# Usage: tools/run-integration.sh [PATTERN...]   (PATTERN: substring of the script name, e.g. 40)
# Ends with the line "integration: N passed, N failed, N skipped"; exit 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT=${INTEGRATION_TIMEOUT:-300}
pass=0 fail=0 skipped=0
failed=()
t_all=$SECONDS

if [ ! -x ./griot ]; then
    echo "run-integration: ./griot is missing (make griot)"
    echo "integration: 0 passed, 1 failed, 0 skipped"
    exit 1
fi

for t in tests/integration/[0-9][0-9]-*.sh; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if [ $# -gt 0 ]; then
        want=no
        for p in "$@"; do [[ "$name" == *"$p"* ]] && want=yes; done
        [ "$want" = yes ] || continue
    fi
    echo "=== $name"
    t0=$SECONDS
    rc=0
    timeout -k 10 "$LIMIT" "$t" </dev/null || rc=$?
    el=$((SECONDS - t0))
    case $rc in
    0)
        pass=$((pass + 1))
        echo "=== $name: pass (${el}s)"
        ;;
    77)
        skipped=$((skipped + 1))
        echo "=== $name: skipped (${el}s)"
        ;;
    124 | 137)
        fail=$((fail + 1))
        failed+=("$name")
        echo "=== $name: FAIL: timed out after ${LIMIT}s"
        ;;
    *)
        fail=$((fail + 1))
        failed+=("$name")
        echo "=== $name: FAIL (exit $rc, ${el}s)"
        ;;
    esac
done

echo "integration suite took $((SECONDS - t_all))s${failed[*]:+; failed: ${failed[*]}}"
echo "integration: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
