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
run status
run tone 997 -1
run input tone
run topology balanced
run status
run oversample 2
run filter nos on
run status
run filter nos off
run oversample 8
run input i2s

# audio: a WAV through the I2S pins of the simulated FPGA, the four DAC lanes back out
wav="$out/music.wav"
sox -n -r 48000 -b 24 -c 2 "$wav" synth 0.05 sine 1000 sine 440 vol 0.9 2>/dev/null
printf 'topology balanced\nroute stereo\n' >"$out/config.txt"
printf '$ balsim --in %s --out %s --config %s\n' "$wav" "$out/lanes.wav" "$out/config.txt" | tee -a "$log"
"$build/balsim" --in "$wav" --out "$out/lanes.wav" --config "$out/config.txt" 2>&1 | tee -a "$log"
echo "demo: session written to $log"
