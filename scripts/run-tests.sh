#!/bin/sh
# run-tests.sh BUILD_DIR MAKE TEST_BINARY...
# Runs the lint and the bitstream build as tests, then every test binary; counts PASS/FAIL
# lines (a binary that dies without reporting counts as a failure) and ends with the line
# "N passed, N failed". Logs go to BUILD_DIR/test-logs/.
set -u
build=$1
make_cmd=$2
shift 2
logs="$build/test-logs"
mkdir -p "$logs"
passed=0
failed=0

report() { # name status log
    if [ "$2" = 0 ]; then
        passed=$((passed + 1)); echo "PASS $1"
    else
        failed=$((failed + 1)); echo "FAIL $1 (log: $3)"; tail -n 15 "$3" | sed 's/^/    /'
    fi
}

$make_cmd -s lint >"$logs/lint.log" 2>&1
report lint $? "$logs/lint.log"

# two seeds at a time (each nextpnr runs one thread: its result is the same either way)
$make_cmd -s -j2 bitstream >"$logs/bitstream.log" 2>&1
status=$?
grep -E '^(timing|resources):' "$logs/bitstream.log" | sed 's/^/    /'
report bitstream $status "$logs/bitstream.log"

# the master-clock build: system clock 2 x MCLK (49.152 MHz), every audio rate exact
$make_cmd -s -j2 bitstream CLOCK=mclk >"$logs/bitstream-mclk.log" 2>&1
status=$?
grep -E '^timing:' "$logs/bitstream-mclk.log" | sed 's/^/    /'
report bitstream-mclk $status "$logs/bitstream-mclk.log"

# libFuzzer harnesses, a short run each (make fuzz runs them long)
$make_cmd -s fuzz-smoke >"$logs/fuzz.log" 2>&1
status=$?
p=$(grep -c '^PASS ' "$logs/fuzz.log")
f=$(grep -c '^FAIL ' "$logs/fuzz.log")
grep -E '^(PASS|FAIL) ' "$logs/fuzz.log" | sed 's/^/[fuzz] /'
if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL fuzz-smoke (log: $logs/fuzz.log)"; tail -n 10 "$logs/fuzz.log" | sed 's/^/    /'
    f=1
fi
passed=$((passed + p))
failed=$((failed + f))

for t in "$@"; do
    name=$(basename "$t")
    log="$logs/$name.log"
    "$t" >"$log" 2>&1
    status=$?
    p=$(grep -c '^PASS ' "$log")
    f=$(grep -c '^FAIL ' "$log")
    grep -E '^(PASS|FAIL|MEASURE) ' "$log" | sed "s/^/[$name] /"
    if [ "$f" -gt 0 ]; then
        grep -E '^  ' "$log" | head -n 20 | sed 's/^/    /'
    fi
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name exited with status $status without reporting a failure (log: $log)"
        tail -n 10 "$log" | sed 's/^/    /'
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
