#!/bin/sh
# bench.sh BUILD_DIR: runs the benchmarks and writes BUILD_DIR/bench/results.json (an array of
# {name, value, unit, compare}) and a table on standard output.
set -eu
build=${1:-build}
out="$build/bench"
mkdir -p "$out"
lines="$out/results.jsonl"
: >"$lines"

json() { printf '{"name":"%s","value":%s,"unit":"%s","compare":"%s"}\n' "$1" "$2" "$3" "$4" >>"$lines"; }

"$build/tests/bench_link" >>"$lines"

# Host round trip through balsim: balctl ping, real time
sock="$out/balsim.sock"
. "$(dirname "$0")/lib.sh"
start_balsim "$build" "$sock"
ping=$("$build/balctl" -d "sim:$sock" --json ping 500)
avg=$(printf '%s' "$ping" | sed 's/.*"avg":\([0-9.]*\).*/\1/')
json host.balctl_ping_rtt_avg "$avg" us "balctl NOP round trip through balsim (real time)"
t0=$(date +%s%N)
"$build/balctl" -d "sim:$sock" reg write SCRATCH 1 >/dev/null
t1=$(date +%s%N)
json host.balctl_command_wall "$(( (t1 - t0) / 1000 ))" us "one balctl process: connect, session NOP, write"

# balsim with audio: a WAV through the simulated pins, real-time factor (simulated / real)
wav="$out/tone-48k.wav"
sox -n -r 48000 -b 24 -c 2 "$wav" synth 0.25 sine 1000 sine 440 vol 0.9 2>/dev/null
t0=$(date +%s%N)
"$build/balsim" --quiet --in "$wav" --out "$out/lanes.wav"
t1=$(date +%s%N)
awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.4f\n", (0.25 + 80 / 48000) / (ns / 1e9) }' | while read -r rtf; do
    json sim.balsim_audio_realtime_factor "$rtf" x "0.25 s of 48 kHz stereo through the pins (1.0 = real time)"
done

# Bitstream: build time, resources, Fmax and margin on every placement seed
rm -f "$build"/icebreaker/balanced.json
t0=$(date +%s)
make -s bitstream >"$out/bitstream.log" 2>&1 || true
t1=$(date +%s)
json fpga.bitstream_build_time "$((t1 - t0))" s "yosys + nextpnr (3 seeds) + icepack, 2 cores"
sed -n 's/^timing: seed \([0-9]*\) Fmax \([0-9.]*\) MHz against \([0-9.]*\) MHz (\([-+0-9.]*\)%.*/\1 \2 \3 \4/p' \
    "$out/bitstream.log" | while read -r seed fmax target margin; do
    json "fpga.fmax_seed$seed" "$fmax" MHz "system clock $target MHz; gate +10%"
    json "fpga.margin_seed$seed" "$margin" % "Fmax over the system clock"
done
sed -n 's/^resources: ICESTORM_\([A-Z]*\) \([0-9]*\)\/\([0-9]*\)/\1 \2 \3/p' "$out/bitstream.log" |
    while read -r cell used avail; do json "fpga.$cell" "$used" cells "of $avail on the UP5K"; done

# Logic per block (hierarchical synthesis; an estimate, nextpnr packs the flat design)
make -s blocks >"$out/blocks.txt" 2>&1
awk 'NR > 1 && $7 > 0 { print $1, $7 }' "$out/blocks.txt" | while read -r mod lc; do
    json "fpga.lc_est.$mod" "$lc" LC "max(LUT4, FF) of the block, one instance"
done
awk 'NR > 1 && $1 ~ /^(uart_rx|uart_tx|stream_fifo|link_rx|link_exec|link_tx|crc16_byte|reg_decoder|sys_regs|scratch_ram|ms_tick|reset_gen|balanced_core)$/ { s += $7 }
     END { print s }' "$out/blocks.txt" | while read -r total; do
    json fpga.lc_est.control_plane "$total" LC "sum of the control-plane blocks, one instance each (nextpnr: fpga.LC)"
done
awk 'NR > 1 && $1 ~ /^(audio_regs|audio_path|i2s_rx|rate_detect|route|lanes|i2s_tx|tone)$/ { s += $7 }
     END { print s }' "$out/blocks.txt" | while read -r total; do
    json fpga.lc_est.audio_sum "$total" LC "sum of the audio blocks, one instance each"
done

{ echo "["; sed '$!s/$/,/' "$lines"; echo "]"; } >"$out/results.json"
rm -f "$lines"
awk -F'"' '/"name"/ { v = $0; sub(/.*"value":/, "", v); sub(/,.*/, "", v);
    printf "%-36s %14s %-9s %s\n", $4, v, $10, $14 }' "$out/results.json"
echo "bench: $out/results.json"
