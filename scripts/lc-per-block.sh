#!/bin/sh
# lc-per-block.sh YOSYS_LOG_STAT: reads the per-module statistics of a hierarchical synthesis
# (synth_ice40 -noflatten; stat) and prints, per module, LUT4s, flip-flops, carries and RAMs,
# and an LC estimate: max(LUT4 + lone carries, flip-flops), as nextpnr packs a LUT and a flip-flop
# into one logic cell. The estimate is per instance of each module.
set -eu
awk '
    /^=== .* ===$/ { mod = $2; sub(/^\$paramod\$?[0-9a-f]*\\/, "", mod); sub(/\\.*/, "", mod);
        lut[mod] = 0; ff[mod] = 0; cy[mod] = 0; ram[mod] = 0; dsp[mod] = 0; order[n++] = mod; next }
    mod != "" && $1 ~ /^SB_LUT4$/ { lut[mod] += $2 }
    mod != "" && $1 ~ /^SB_DFF/ { ff[mod] += $2 }
    mod != "" && $1 ~ /^SB_CARRY$/ { cy[mod] += $2 }
    mod != "" && $1 ~ /^SB_RAM40_4K/ { ram[mod] += $2 }
    mod != "" && $1 ~ /^SB_MAC16$/ { dsp[mod] += $2 }
    /^=== design hierarchy ===/ { mod = "" }
    END {
        printf "%-20s %6s %6s %6s %5s %5s %7s\n", "module", "LUT4", "FF", "CARRY", "EBR", "DSP", "LC est"
        for (i = 0; i < n; i++) {
            m = order[i]; if (m == "design") continue
            lc = lut[m] > ff[m] ? lut[m] : ff[m]
            printf "%-20s %6d %6d %6d %5d %5d %7d\n", m, lut[m], ff[m], cy[m], ram[m], dsp[m], lc
        }
    }' "$1"
