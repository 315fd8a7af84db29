#!/bin/sh
# check-timing.sh SYSCLK_HZ MARGIN_PCT REPORT.json...: the timing gate. Each report is nextpnr's
# for one placement seed; every one must reach SYSCLK_HZ plus MARGIN_PCT percent. Prints Fmax
# and margin per seed and the resources of the first. Plain sh + sed/awk: no JSON tool needed.
set -eu
sysclk_hz=$1
margin_pct=$2
shift 2
status=0
first=1
for report in "$@"; do
    [ -f "$report" ] || { echo "check-timing: $report missing" >&2; exit 1; }
    # each JSON object member on its own line, then pick what we need
    flat=$(sed 's/[{},]/\n/g' "$report")
    fmax=$(printf '%s\n' "$flat" | sed -n 's/^ *"achieved": *\([0-9.]*\).*/\1/p' | sort -g | head -n 1)
    [ -n "$fmax" ] || { echo "check-timing: no Fmax in $report" >&2; exit 1; }
    seed=$(basename "$report" .json | sed 's/.*seed//')
    if [ $first = 1 ]; then
        printf '%s\n' "$flat" | awk '
            /"ICESTORM_(LC|RAM|DSP|SPRAM|PLL)"/ { gsub(/[": ]/, ""); cell = $0; next }
            cell != "" && /"available"/ { gsub(/[^0-9]/, ""); avail = $0; next }
            cell != "" && /"used"/ { gsub(/[^0-9]/, ""); printf "resources: %s %s/%s\n", cell, $0, avail; cell = "" }'
        first=0
    fi
    awk -v f="$fmax" -v t="$sysclk_hz" -v m="$margin_pct" -v s="$seed" 'BEGIN {
        gate = t * (1 + m / 100)
        printf "timing: seed %s Fmax %.2f MHz against %.3f MHz (%+.1f%% margin; gate %+d%%)%s\n",
            s, f, t / 1e6, (f * 1e6 / t - 1) * 100, m, f * 1e6 < gate ? " FAILED" : ""
        exit f * 1e6 < gate }' || status=1
done
if [ $status = 0 ]; then echo "timing: met on every seed"; else echo "timing: FAILED"; fi
exit $status
