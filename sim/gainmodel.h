/* Bit-exact model of the lane gains (rtl/audio/lane_gain.v, lane_out.v, lane_serial.v): per
 * lane an attenuation that ramps toward its target by at most GAIN_STEP/256 dB an output
 * frame, its linear gain from two tables, the product with the engine's 24-bit sample, TPDF
 * dither, rounding to the word length, symmetric saturation and the minus lanes' negation.
 *
 * Units: attenuations in 1/256 dB (0 .. GAIN_SILENT), gains Q1.23 (unity 2^23, 24 bits). The
 * lanes are numbered as the hardware runs them, k = {minus, right}: L+, R+, L-, R-.
 *
 * Order of a frame (what one output frame does, gm_frame):
 *   1. the four lanes' words from the gains and flags the previous frame made, and each
 *      channel's dither from its LFSR (the same for its plus and minus lane);
 *   2. each lane's attenuation moves toward its target (the settings now), its gain and
 *      flags are made for the next frame;
 *   3. both LFSRs step 28 times;
 *   4. the meters: each lane's level, the sample's (gm_level) plus the lane's new attenuation,
 *      into its peak (the least attenuation) and, where the sample is at full scale
 *      (gm_clipped), a clip into its count; not for a lane whose new flags say zero. The left
 *      lanes meter the frame before's sample, the right lanes this frame's (the hardware's
 *      one normalizer takes L at the end of a frame's pass, R in its middle). */
#ifndef BAL_GAINMODEL_H
#define BAL_GAINMODEL_H

#include <stdbool.h>
#include <stdint.h>

#define GM_LANES 4
#define GM_UNITY (1u << 23)
#define GM_T1_ENTRIES 256 /* whole dB: 0 .. 255 (entries from 144 on are zero) */
#define GM_T2_ENTRIES 256 /* 1/256 dB */
/* the channels' dither LFSRs: 28-bit Fibonacci, shifting right, the new bit 27 = bit 0 ^ bit
 * TAP (x^28 + x^3 + 1 and its reciprocal x^28 + x^25 + 1, both primitive: period 2^28 - 1).
 * Fibonacci, so that the RTL reads r1 and r2 a bit a cycle at two fixed places (bits 0 and 14)
 * while the register turns */
#define GM_LFSR_SEED_L 0x545F491u
#define GM_LFSR_SEED_R 0xE3779B9u
#define GM_LFSR_TAP_L 3
#define GM_LFSR_TAP_R 25
#define GM_LFSR_STEPS 28
#define GM_RD_NONE 8192          /* the rounding offset without dither: half an LSB */

enum gm_lane { GM_LP, GM_RP, GM_LN, GM_RN };

/* word lengths, as their codes in flags */
enum gm_word { GM_WORD_16, GM_WORD_24, GM_WORD_32 };

struct gm_settings {
    unsigned volume;   /* VOLUME.ATTEN */
    int trim[GM_LANES]; /* by gm_lane, -512 .. 511 */
    unsigned ceiling;  /* CEILING.ATTEN */
    bool mute;         /* CTRL.MUTE: every target silent */
    unsigned topology; /* TOPOLOGY.MODE */
    unsigned word;     /* word length: GM_WORD_* */
    bool slot24;       /* 24-bit slots (OUT_FORMAT.SLOT): at most 24 bits */
    bool dither;       /* TPDF dither on */
};

/* the meters' level: 1/256 dB below full scale from a normalized sample: s shifts until its
 * top two bits differ (at most GM_METER_SHIFTS: 0 and -1 never do) and the 7 bits below them
 * (inverted for a negative sample), level = T_s[s] + T_m[m]. T_s[s] = 20 log10(2^s),
 * T_s[GM_METER_SHIFTS] = GAIN_SILENT; T_m[m] = 20 log10(256 / (129 + m)) from the top of m's
 * bin, so the level is at most one bin (0.068 dB) louder than the sample, never quieter, and 0
 * exactly in the top bin: a clip */
#define GM_METER_SHIFTS 23
#define GM_METER_TM_ENTRIES 128
#define GM_CLIPS_MAX 0xFFFFu

struct gm_state {
    unsigned cur[GM_LANES];  /* attenuations */
    uint32_t g[GM_LANES];    /* gains for the next frame */
    unsigned flags[GM_LANES];
    uint32_t lfsr[2]; /* by channel */
    unsigned peak[GM_LANES];  /* meters: the least level since cleared (GAIN_SILENT: none) */
    unsigned clips[GM_LANES]; /* frames at full scale since cleared (saturating) */
    int32_t meter_l;          /* the left sample the next frame's left lanes meter */
};

/* flags of a lane, as made with its gain */
#define GM_F_DITHER 1u /* dither this lane */
#define GM_F_ZERO 2u   /* exact zero: silent gain, or a single-ended minus lane */
#define GM_F_NEG 4u    /* negate: a minus lane of the balanced or mono-bridged topology */
#define GM_F_BITS_SHIFT 3 /* word length code (0: 16, 1: 24, 2: 32), slot-limited */

uint32_t gm_t1(unsigned k);
uint32_t gm_t2(unsigned j);

/* The linear gain of an attenuation, Q1.23: exactly 2^23 at 0, 0 from GAIN_SILENT on. */
uint32_t gm_gain(unsigned atten);

/* A lane's target attenuation from the settings. */
unsigned gm_target(const struct gm_settings *s, enum gm_lane k);

/* A lane's flags (GM_F_*) for its attenuation cur under the settings. */
unsigned gm_flags(const struct gm_settings *s, enum gm_lane k, unsigned cur);

/* One ramp step toward the target (at most GAIN_STEP). */
unsigned gm_ramp(unsigned cur, unsigned target);

/* A lane's word: the engine's sample x (24-bit, +-(2^23 - 1)) times gain g, rounded with offset
 * rd to the word length in flags, saturated, negated or zeroed: a 32-bit left-aligned word.
 * Digital silence stays silence: x = 0 gives 0, undithered. */
uint32_t gm_lane_word(int32_t x, uint32_t g, unsigned flags, int32_t rd);

/* A channel's rounding offset from its LFSR: half an LSB (2^13) plus TPDF dither r1 - r2 in
 * 2^-14 LSB, r1 and r2 two 14-bit fields of the state. */
int32_t gm_dither(uint32_t lfsr);

/* Steps both channels' LFSRs (lfsr[0] left, lfsr[1] right) on by one frame: GM_LFSR_STEPS. */
void gm_lfsr_frame(uint32_t lfsr[2]);

/* The meters' tables (see GM_METER_SHIFTS). */
unsigned gm_meter_ts(unsigned s);
unsigned gm_meter_tm(unsigned m);

/* A sample's level, 1/256 dB below full scale (GAIN_SILENT for 0 and -1), and whether it is at
 * full scale (level 0: |x| >= 2^23 - 2^15). */
unsigned gm_level(int32_t x);
bool gm_clipped(int32_t x);

/* What a host read of the meters does: returns them and clears them (peaks to GAIN_SILENT,
 * counts to 0). */
void gm_meters_read(struct gm_state *st, unsigned peak[GM_LANES], unsigned clips[GM_LANES]);

/* After reset (the datapath silent): every lane at GAIN_SILENT, the LFSRs at their seeds. */
void gm_init(struct gm_state *st);

/* One output frame: the engine's L and R in, the four lanes' words out (by gm_lane); silent:
 * the output is forced to zero and every attenuation snaps to GAIN_SILENT. */
void gm_frame(struct gm_state *st, const struct gm_settings *s, int32_t l, int32_t r, bool silent,
              uint32_t words[GM_LANES]);

#endif
