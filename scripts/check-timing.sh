#!/bin/sh
# check-timing.sh REPORT.json TARGET_HZ: fails unless every clock in nextpnr's report reaches
# TARGET_HZ; prints Fmax, margin and the resources used. Plain sh + sed/awk: no JSON tool needed.
set -eu
report=$1
target_hz=$2
[ -f "$report" ] || { echo "check-timing: $report missing" >&2; exit 1; }

# Put each JSON object member on its own line, then pick what we need.
flat=$(sed 's/[{},]/\n/g' "$report")
fmax=$(printf '%s\n' "$flat" | sed -n 's/^ *"achieved": *\([0-9.]*\).*/\1/p' | sort -g | head -n 1)
[ -n "$fmax" ] || { echo "check-timing: no Fmax in $report" >&2; exit 1; }

printf '%s\n' "$flat" | awk '
    /"ICESTORM_(LC|RAM|DSP|SPRAM|PLL)"/ { gsub(/[": ]/, ""); cell = $0; next }
    cell != "" && /"available"/ { gsub(/[^0-9]/, ""); avail = $0; next }
    cell != "" && /"used"/ { gsub(/[^0-9]/, ""); printf "resources: %s %s/%s\n", cell, $0, avail; cell = "" }'

awk -v f="$fmax" -v t="$target_hz" 'BEGIN {
    printf "timing: Fmax %.2f MHz against %.3f MHz (%+.1f%% margin)\n", f, t / 1e6, (f * 1e6 / t - 1) * 100
    if (f * 1e6 < t) { print "timing: FAILED"; exit 1 }
    print "timing: met"
}'
