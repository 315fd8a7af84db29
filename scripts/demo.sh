#!/bin/sh
# demo.sh [--short] BUILD_DIR [OUT_DIR]: make demo. The simulated FPGA (balsim) plays a test
# programme into its I2S input while the real balctl changes settings on its UART, at set points
# of simulated time:
# a filter bank loaded before the audio, a volume ramp down and up during the multitone,
# balanced -> single-ended -> balanced during the speech, and a switch to the minimum-phase
# filter before the second sweep. --short: a programme about a third as long (make test runs it;
# OUT_DIR then defaults to BUILD_DIR/demo-short). Writes OUT_DIR (BUILD_DIR/demo):
#   programme.wav     the input: 48 kHz stereo 24-bit (tools/demogen; parts.txt: its parts)
#   lanes.wav         what the two DACs receive: L+ L- R+ R-, 384 kHz, 32-bit
#   differential.wav  (L+ - L-)/2, (R+ - R-)/2: what a balanced input stage hears
#   events.txt        each live change: simulated ms after the programme started, the command
#   session.txt       the balctl session, commands and what they printed
#   report.html       the measurements (numbers.txt) and the plots (*.png, from *.dat by
#                     report.gp): tools/demoreport, gnuplot
set -eu
short=
if [ "${1:-}" = --short ]; then
    short=--short
    shift
fi
build=${1:-build}
out=${2:-$build/demo${short:+-short}}
mkdir -p "$out"
sock="$out/balsim.sock"
log="$out/session.txt"
balctl="$build/balctl"
: >"$log"
started=$(date +%s)
step() { printf 'demo [%3ss]: %s\n' $(($(date +%s) - started)) "$*"; }

# ---- the programme; speech from espeak-ng where it is installed
speech=
if command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1; then
    espeak-ng -w "$out/speech-22k.wav" "A balanced output carries each channel twice, once inverted." \
        2>/dev/null && sox "$out/speech-22k.wav" -r 48000 "$out/speech.wav" 2>/dev/null && speech="$out/speech.wav"
fi
step "the test programme (sweep, 997 Hz, multitone, ${speech:+speech from espeak-ng}${speech:-a synthesized voice}, sweep)"
"$build/demogen" $short "$out/programme.wav" "$out/parts.txt" $speech

# ---- the second filter, designed as the device will store it; the settings before the audio
"$balctl" filter design --type minimum --taps 160 --attenuation 120 --name minimum --out "$out/minimum.txt" >>"$log"
cat >"$out/start.txt" <<EOF
filter load $out/minimum.txt --bank 1
filter select 0
topology balanced
volume 0
bits 24
dither on
input i2s
EOF

# ---- balsim: the programme in, the lanes out, its UART on the socket
step "balsim: $(awk '{ n = $3 } END { printf "%.1f", (n + 2400) / 48000 }' "$out/parts.txt") s of audio at 8x (about a minute a second on one core)"
"$build/balsim" --in "$out/programme.wav" --out "$out/lanes.wav" --config "$out/start.txt" \
    --socket "$sock" >"$out/balsim.log" 2>&1 &
balsim_pid=$!
# balsim stops with the demo however it ends (its status is the demo's, not kill's)
trap 'kill $balsim_pid 2>/dev/null || :; rm -f "$sock"' EXIT
trap 'exit 130' INT TERM
# balsim's own balctl applies start.txt first (the socket takes one client at a time): the
# programme plays once balsim reports progress
until grep -q 'simulated' "$out/balsim.log"; do
    kill -0 $balsim_pid 2>/dev/null || { echo "demo: balsim ended early (see $out/balsim.log)" >&2; exit 1; }
    sleep 0.1
done

run() { # a balctl command, logged
    printf '$ balctl %s\n' "$*" >>"$log"
    "$balctl" -d "sim:$sock" "$@" >>"$log" 2>&1 || echo "demo: balctl $* failed (see $log)" >&2
}
uptime_ms() {
    "$balctl" -d "sim:$sock" --json reg read UPTIME 2>/dev/null | sed -n 's/.*"value":\([0-9]*\).*/\1/p'
}
# the programme starts when the input plays: state "playing"
until "$balctl" -d "sim:$sock" status 2>/dev/null | grep -q '^state *playing'; do
    sleep 0.02
    kill -0 $balsim_pid 2>/dev/null || { echo "demo: balsim ended early (see $out/balsim.log)" >&2; exit 1; }
done
t0=$(uptime_ms)
run status
: >"$out/events.txt"
at() { # MS COMMAND...: waits until MS of simulated time after the start, then runs COMMAND
    ms=$1
    shift
    until [ "$(uptime_ms)" -ge $((t0 + ms)) ]; do sleep 0.01; done
    printf '%s %s\n' $(($(uptime_ms) - t0)) "$*" >>"$out/events.txt"
    run "$@"
}
part_ms() { # NAME: where the part starts, in ms of the programme
    awk -v p="$1" '$1 == p { printf "%d", $2 / 48 }' "$out/parts.txt"
}
part_len_ms() { # NAME: how long it lasts
    awk -v p="$1" '$1 == p { printf "%d", ($3 - $2 + 1) / 48 }' "$out/parts.txt"
}

# the ramp in 3 dB steps, a 24th of the multitone apart: down over ten, up over the next ten
multi=$(part_ms multitone)
d=$(($(part_len_ms multitone) / 24))
step "the multitone: the volume ramps down to -30 dB and back up"
for i in 1 2 3 4 5 6 7 8 9 10; do at $((multi + d * i)) volume -$((3 * i)); done
for i in 1 2 3 4 5 6 7 8 9 10; do at $((multi + d * (11 + i))) volume -$((30 - 3 * i)); done
speech_ms=$(part_ms speech)
speech_len=$(part_len_ms speech)
step "the speech: balanced -> single-ended -> balanced"
at $((speech_ms + speech_len / 4)) topology se
at $((speech_ms + speech_len * 5 / 8)) topology balanced
step "the second sweep: the minimum-phase filter"
at $(($(part_ms sweep2) - 40)) filter select 1
step "balsim: to the programme's end"
wait $balsim_pid || { echo "demo: balsim failed (see $out/balsim.log)" >&2; exit 1; }
rm -f "$sock"

# ---- the differential signal, the measurements, the plots, the report
sox -D "$out/lanes.wav" "$out/differential.wav" remix 1v0.5,2v-0.5 3v0.5,4v-0.5
step "measuring and plotting"
"$build/demoreport" "$out"
(cd "$out" && gnuplot report.gp)
step "written: $out/report.html (numbers.txt, tone.png, response.png, commonmode.png, ramp.png,"
step "         topology.png), lanes.wav, differential.wav, events.txt, session.txt"
