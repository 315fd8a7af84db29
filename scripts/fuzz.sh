#!/bin/sh
# fuzz.sh BUILD_DIR SECONDS|smoke FUZZER...: runs each libFuzzer harness from its seed corpus
# (tests/fuzz/corpus_NAME, copied to BUILD_DIR/fuzz/corpus_NAME where it grows), for SECONDS
# each, or for a short fixed number of runs ("smoke", as make test does). Prints a PASS or
# FAIL line per harness with the executions done; a crash leaves its input in BUILD_DIR/fuzz/.
set -u
build=$1
mode=$2
shift 2
status=0
for name in "$@"; do
    corpus="$build/fuzz/corpus_${name#fuzz_}"
    mkdir -p "$corpus"
    cp tests/fuzz/corpus_"${name#fuzz_}"/* "$corpus"/ 2>/dev/null
    log="$build/fuzz/$name.log"
    if [ "$mode" = smoke ]; then
        limit="-runs=30000"
    else
        limit="-max_total_time=$mode"
    fi
    "$build/fuzz/$name" $limit -max_len=2200 -artifact_prefix="$build/fuzz/$name-" "$corpus" \
        >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    if [ $rc -eq 0 ] && [ -n "$runs" ]; then
        echo "PASS $name ($runs executions, $(ls "$corpus" | wc -l) corpus entries)"
    else
        echo "FAIL $name (exit $rc; log: $log)"
        tail -n 20 "$log" | sed 's/^/    /'
        status=1
    fi
done
exit $status
