#!/usr/bin/env bash
# Runs each cmocka unit-test binary given as an argument; prints a summary line and fails if
# any binary failed.
set -u
pass=0 fail=0 failed=()
for t in "$@"; do
    if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
echo "unit test binaries: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
