#!/bin/sh
# demo.sh BUILD_DIR: the simulated FPGA served by balsim, configured by the real balctl.
# Writes BUILD_DIR/demo/session.txt (the commands and what they printed).
set -eu
build=${1:-build}
out="$build/demo"
mkdir -p "$out"
sock="$out/balsim.sock"
log="$out/session.txt"
. "$(dirname "$0")/lib.sh"
start_balsim "$build" "$sock"

: >"$log"
run() {
    printf '$ balctl %s\n' "$*" | tee -a "$log"
    "$build/balctl" -d "sim:$sock" "$@" 2>&1 | tee -a "$log" || true
    echo | tee -a "$log"
}
run info
run reg write SCRATCH 0xC0FFEE
run reg read SCRATCH
run reg write SCRATCH_RAM 1 2 3 0xC0 0xDB
run reg read SCRATCH_RAM 5
run reg write CTRL 4
run ping 200
run --json info
echo "demo: session written to $log"
