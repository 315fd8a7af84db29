#!/bin/sh
# bench.sh BUILD_DIR: runs the benchmarks and writes BUILD_DIR/bench/results.json (an array of
# {name, value, unit, compare}) and a table on standard output. SURVEY_SEEDS (default 1-8):
# the placement seeds of the Fmax survey.
set -eu
build=${1:-build}
SURVEY_SEEDS=${SURVEY_SEEDS:-1 2 3 4 5 6 7 8}
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

# balsim with audio: a WAV through the simulated pins at 8x (the default), real-time factor
# (simulated / real; the lead-in and tail frames of sim/wavrun.h included)
wav="$out/tone-48k.wav"
sox -n -r 48000 -b 24 -c 2 "$wav" synth 0.25 sine 1000 sine 440 vol 0.9 2>/dev/null
t0=$(date +%s%N)
"$build/balsim" --quiet --in "$wav" --out "$out/lanes.wav"
t1=$(date +%s%N)
awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.4f\n", (0.25 + 280 / 48000) / (ns / 1e9) }' | while read -r rtf; do
    json sim.balsim_audio_realtime_factor_8x "$rtf" x "0.25 s of 48 kHz stereo through the pins, 8x out (1.0 = real time)"
done

# The interpolation engine: the model's filter figures, the RTL's schedule at each ratio, and
# what the pins carry (MEASURE lines of the tests that take them)
"$build/tests/test_interpmodel" >"$out/interpmodel.txt" 2>&1 || true
"$build/tests/test_rtl_interp" >"$out/rtl_interp.txt" 2>&1 || true
sed -n 's/^MEASURE cascade passband ripple +-\([0-9.]*\) dB.*stopband \([0-9.]*\) dB.*/\1 \2/p' \
    "$out/interpmodel.txt" | while read -r rip stop; do
    json engine.cascade_ripple_db "$rip" dB "+- passband ripple to 0.4535 fs, quantized default cascade"
    json engine.cascade_stopband_db "$stop" dB "stopband from 0.5465 fs, quantized default cascade"
done
sed -n 's/^MEASURE engine \([0-9]*\)x\( NOS\)*, a frame every \([0-9]*\) cycles: .* busy \([0-9]*\) cycles.*/\1\2 \3 \4/p' \
    "$out/rtl_interp.txt" | tr ' ' '_' | sed 's/_\([0-9]*\)_\([0-9]*\)$/ \1 \2/' | while read -r mode period busy; do
    json "engine.busy_cycles_${mode}_per_${period}" "$busy" cycles "the MAC lane's sequencer per input frame (both channels) of $period cycles"
done
awk 'BEGIN {
    # taps a frame on the one MAC lane (1 tap a cycle), both channels: stage 1 103 a 2x input
    # (102 + the centre), stage 2 23, stage 3 15; a halfband phase of one tap is a pass too
    split("2 206 256|4 298 512|8 418 1024", r, "|")
    for (i = 1; i <= 3; i++) { split(r[i], f, " ");
        printf "%s %s %s %.1f\n", f[1], f[2], f[3], 100 * f[2] / f[3] } }' | while read -r x taps period pct; do
    json "engine.mac_slots_${x}x" "$pct" % "$taps taps of $period cycles a frame at the highest input rate for ${x}x (1 tap a cycle, 3 DSPs)"
done
json engine.taps_stage1 203 taps "default halfband (102 multiplies + centre a phase pair)"
# The stage-1 designer: each type at its defaults for 48 kHz, measured from its quantized taps;
# and the longest loaded bank each input rate's schedule takes (test_rtl_interp's runs)
for t in linear minimum apodizing nos; do
    "$build/balctl" --json filter design --type "$t" --out "$out/filter-$t.txt" >"$out/filter-$t.json"
    sed 's/.*"taps":\([0-9]*\).*"ripple_db":\([-0-9.]*\).*"stopband_db":\([-0-9.]*\).*"gain_half_rate_db":\([-0-9.]*\).*"delay_samples":\([-0-9.]*\).*/\1 \2 \3 \4 \5/' \
        "$out/filter-$t.json" | while read -r taps rip stop half delay; do
        json "filter.${t}.taps" "$taps" taps "balctl filter design --type $t, its defaults"
        json "filter.${t}.ripple_db" "$rip" dB "+- passband ripple of the quantized design"
        json "filter.${t}.stopband_db" "$stop" dB "worst stopband attenuation to fs (the 2x output's Nyquist)"
        json "filter.${t}.gain_at_half_fs_db" "$half" dB "level at fs/2 (apodizing: far below -6 dB)"
        json "filter.${t}.delay_samples" "$delay" samples "group delay at 1 kHz, input samples"
    done
done
sed -n 's/^MEASURE engine \([0-9]*\)x, bank 3 with \([0-9]*\) taps, a frame every \([0-9]*\) cycles: .* busy \([0-9]*\) cycles.*/\1 \2 \3 \4/p' \
    "$out/rtl_interp.txt" | while read -r x taps period busy; do
    json "engine.bank_${taps}_taps_${x}x_busy" "$busy" cycles "a loaded stage-1 bank of $taps taps at ${x}x: cycles of $period a frame"
done

json engine.taps_stage2 43 taps "fixed halfband"
json engine.taps_stage3 27 taps "fixed halfband"
"$build/tests/test_rtl_audio" >"$out/rtl_audio.txt" 2>&1 || true
sed -n 's/^MEASURE at the pins, \([0-9.]*\) Hz .*THD+N \(-[0-9.]*\) dB.*worst image \(-[0-9.]*\) dBc.*/\1 \2 \3/p' \
    "$out/rtl_audio.txt" | while read -r hz thdn img; do
    json "engine.pins_thdn_db_${hz%.*}hz" "$thdn" dB "THD+N 20 Hz-20 kHz at the DAC pins, -1 dBFS 24-bit TPDF at 48 kHz, 8x"
    json "engine.pins_worst_image_dbc_${hz%.*}hz" "$img" dBc "strongest bin from 0.5465 fs up at the pins"
done

# The output stage: THD+N with 32-bit words, dynamic range at each word length (dither on)
sed -n 's/^MEASURE [0-9.]* Hz -1 dBFS through the chain, 48 kHz 8x, 32-bit words.*THD+N \(-[0-9.]*\) dB.*/\1/p' \
    "$out/rtl_audio.txt" | while read -r thdn; do
    json output.thdn_db_32bit "$thdn" dB "THD+N 20 Hz-20 kHz, 997 Hz -1 dBFS 24-bit TPDF in, 8x, gains 0 dB, 32-bit words, dither on"
done
sed -n 's/^MEASURE dynamic range at \([0-9]*\) bits.*: \([0-9.]*\) dB (6.02 N + 1.76 - 4.77 = \([0-9.]*\) dB.*/\1 \2 \3/p' \
    "$out/rtl_audio.txt" | while read -r bits dr theory; do
    json "output.dynamic_range_db_${bits}bit" "$dr" dB "-60 dBFS method, 20 Hz-20 kHz, 48 kHz 8x, dither on (6.02 N + 1.76 - 4.77 = $theory dB; the 24-bit input's floor caps 24 and 32 bits)"
done

# The gains: the largest step of any move, a 60 dB move's time, the tracking between lanes
sed -n 's/^MEASURE largest gain step of all the moves: \([0-9.]*\) dB.*/\1/p' "$out/rtl_audio.txt" | while read -r step; do
    json output.largest_gain_step_db "$step" dB "largest sample-to-sample gain step of any lane above -60 dBFS over every kind of move (limit 0.05)"
done
sed -n 's/^MEASURE gain volume -60 dB: \([0-9]*\) frames (\([0-9.]*\) ms.*/\1 \2/p' "$out/rtl_audio.txt" | while read -r frames ms; do
    json output.volume_60db_move_ms_48k "$ms" ms "0 to -60 dB: $frames output frames, at 48 kHz 1x (the slowest output rate but 44.1)"
done
sed -n 's/^MEASURE gain tracking between the four lanes.*: worst \([0-9.]*\) dB/\1/p' "$out/rtl_audio.txt" | while read -r track; do
    json output.gain_tracking_db "$track" dB "largest level difference between the four lanes, volumes 0 to -140 dB"
done

sed -n 's/^MEASURE meter against the sample.s true peak.*: at most \([0-9.]*\) dB louder, \([0-9.]*\) dB quieter/\1 \2/p' "$out/rtl_audio.txt" | while read -r louder quieter; do
    json output.meter_peak_error_db "$louder" dB "the peak meters' largest reading above the loudest sample's true level (997 Hz, 4 windows; $quieter dB below it at most; bound 0.07)"
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
# Fmax over eight placement seeds for both clock builds. The gate takes three; near the die's
# limit one seed's Fmax moves by several MHz with any change anywhere, so a change is judged
# by the spread: the lowest, the median and how many seeds meet the gate
for clock in crystal mclk; do
    make -s -j2 bitstream CLOCK=$clock SEEDS="$SURVEY_SEEDS" >"$out/survey-$clock.log" 2>&1 || true
    sed -n 's/^timing: seed [0-9]* Fmax \([0-9.]*\) MHz against \([0-9.]*\) MHz.*/\1 \2/p' \
        "$out/survey-$clock.log" | sort -g | awk '
        { f[NR] = $1; if ($1 >= $2 * 1.1) met++ }
        END { if (NR) printf "%s %s %d %d\n", f[1], (NR % 2 ? f[(NR + 1) / 2] : (f[NR / 2] + f[NR / 2 + 1]) / 2), met, NR }' |
        while read -r lowest median met runs; do
            json "fpga.survey_${clock}_fmax_lowest" "$lowest" MHz "lowest of $runs placement seeds ($SURVEY_SEEDS)"
            json "fpga.survey_${clock}_fmax_median" "$median" MHz "median of the $runs seeds"
            json "fpga.survey_${clock}_seeds_meeting_gate" "$met" seeds "of $runs at the system clock + 10 %"
        done
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
awk 'NR > 1 && $1 ~ /^(audio_path|i2s_rx|rate_detect|route|channels|frame_out|i2s_tx|tone|lane_gain|lane_out|lane_serial)$/ { s += $7 }
     END { print s }' "$out/blocks.txt" | while read -r total; do
    json fpga.lc_est.audio_sum "$total" LC "sum of the audio blocks around the engine, one instance each"
done
awk 'NR > 1 && $1 ~ /^lane_(gain|out|serial)$/ { s += ($1 == "lane_serial" ? 2 : 1) * $7; e += $5; d += $6 }
     END { print s, e, d }' "$out/blocks.txt" | while read -r total ebr dsp; do
    json fpga.lc_est.gain_stage "$total" LC "lane_gain + lane_out + 2 lane_serial ($ebr EBR, $dsp DSP; estimate)"
done
awk 'NR > 1 && $1 ~ /^(interp|mac_lane|coef_store)$/ { s += $7; e += $5; d += $6 }
     END { print s, e, d }' "$out/blocks.txt" | while read -r total ebr dsp; do
    json fpga.lc_est.engine "$total" LC "interp + mac_lane + coef_store (plus 2 SPRAM, $ebr EBR, $dsp DSP)"
done

{ echo "["; sed '$!s/$/,/' "$lines"; echo "]"; } >"$out/results.json"
rm -f "$lines"
awk -F'"' '/"name"/ { v = $0; sub(/.*"value":/, "", v); sub(/,.*/, "", v);
    printf "%-36s %14s %-9s %s\n", $4, v, $10, $14 }' "$out/results.json"
echo "bench: $out/results.json"
