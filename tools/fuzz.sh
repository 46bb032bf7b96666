#!/usr/bin/env bash
# Builds every libFuzzer target in tests/fuzz/ with clang (ASan + UBSan) and runs each for the
# given number of seconds (default 60). Corpora live in tests/fuzz/corpus-<target>/ (ignored by
# git); crashes are written to the repo root as crash-* and fail the run.
# Usage: tools/fuzz.sh [SECONDS] [TARGET]   (TARGET e.g. fuzz_rest; default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
out=build/fuzz
mkdir -p "$out"
srcs=$(find src -name '*.c' ! -name main.c | sort)
flags=$(make -s --no-print-directory pkgflags)
status=0
for f in tests/fuzz/${2:-fuzz_*}.c; do
    name=$(basename "$f" .c)
    echo "fuzz: building $name"
    # shellcheck disable=SC2086
    clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 \
        -D_GNU_SOURCE -Isrc -o "$out/$name" "$f" $srcs $flags -lpthread -lm
    corpus=tests/fuzz/corpus-$name
    mkdir -p "$corpus"
    seeds=tests/fuzz/seeds-$name
    echo "fuzz: running $name for ${secs}s"
    if ! "$out/$name" -max_total_time="$secs" -print_final_stats=1 "$corpus" \
        $( [ -d "$seeds" ] && echo "$seeds" ) >"$out/$name.log" 2>&1; then
        echo "fuzz: $name FAILED; see $out/$name.log"
        tail -30 "$out/$name.log"
        status=1
    else
        grep -E 'stat::number_of_executed_units|Done' "$out/$name.log" | tail -2 || true
    fi
done
exit $status
