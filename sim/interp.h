/* Bit-exact model of the interpolation engine: three 2x FIR stages on one MAC lane
 * (rtl/audio/mac_lane.v), 24-bit data and 32-bit coefficients.
 *
 * Coefficients are Q1.30 (range [-2, 2)): an interpolating 2x FIR has a gain of 2, each of its
 * two phases a DC gain of 1, so a halfband's centre tap is exactly 1.0 (2^30) and the taps of
 * minimum-phase and apodizing designs may exceed 1. The largest coefficient is IP_COEF_MAX.
 *
 * One tap, as the MAC lane computes it: d = dh 2^8 + dl (dh = d >> 8 signed, dl = d & 0xFF),
 * c = ch 2^16 + cl (cl = c's low 16 bits read as signed, ch = (c >> 16) + c bit 15), so
 *   d c = dh ch 2^24 + dh cl 2^8 + dl ch 2^16 + dl cl.
 * dh ch accumulates in a DSP's 32-bit accumulator (wrapping); dh cl >> 12 and dl ch >> 4
 * (arithmetic shifts) accumulate in a IP_XS_BITS-bit fabric accumulator that starts at 2^9,
 * the rounding constant; dl cl (below 2^-8 LSB a tap, mean near zero) is dropped. The pass's
 * result is ((acc + (xs >> 4)) >> 6), saturated symmetrically to +-(2^23 - 1): d c / 2^30
 * rounded. The accumulators may wrap inside a pass; the result is right as long as the
 * phase's sum of |c| is below 4.0 (IP_PHASE_ABS_SUM, 2^32 in Q1.30: then the whole sum of dh ch
 * fits 32 bits; a halfband phase sums to about 1.3). The two truncations bias a pass by at most -taps/1024 LSB (-0.1 LSB at 103 taps).
 *
 * A 2x stage with taps h[0..N-1] makes, for each input x[n], y[2n] = sum h[2k] x[n-k] and
 * y[2n+1] = sum h[2k+1] x[n-k], each a pass. Zero taps contribute exactly nothing, so the RTL
 * skips a halfband's zeros and the model need not.
 *
 * The engine runs the first log2(ratio) stages (ratio 1, 2, 4 or 8): 8x is stage 1 (host-
 * loadable, the default a 203-tap halfband), stage 2 (43-tap halfband), stage 3 (27-tap). NOS
 * repeats each input sample ratio times instead (1x is NOS at one), through the unity tap: -2^23
 * comes out as -(2^23 - 1), as from every stage. */
#ifndef BAL_INTERP_H
#define BAL_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#define IP_DATA_BITS 24
#define IP_MAX ((1 << (IP_DATA_BITS - 1)) - 1) /* symmetric saturation: +-IP_MAX */
#define IP_COEF_FRAC 30
#define IP_COEF_ONE (1 << IP_COEF_FRAC)
#define IP_COEF_MIN INT32_MIN
#define IP_COEF_MAX 0x7FFF7FFF /* above it, ch = (c >> 16) + bit 15 leaves 16 bits */
#define IP_PHASE_ABS_SUM (4.0 * IP_COEF_ONE) /* a phase's sum of |c| stays below it */
#define IP_XS_BITS 30           /* the fabric accumulator: up to 512 taps a pass */
#define IP_ROUND (1 << 9)

#define IP_STAGES 3
#define IP_TAPS_MAX 256 /* a stage's taps: 128 a phase */
#define IP_HIST 128     /* history per stage and channel (a power of two) */
#define IP_RATIO_MAX 8

/* ---- the MAC lane */
struct ip_mac {
    uint32_t acc; /* the DSP accumulator, dh ch */
    uint32_t xs;  /* the fabric accumulator, IP_XS_BITS bits */
};
void ip_mac_clear(struct ip_mac *m);
void ip_mac_tap(struct ip_mac *m, int32_t d, int32_t c);
int32_t ip_mac_result(const struct ip_mac *m);
/* One pass: clear, n taps, result. */
int32_t ip_mac_pass(const int32_t *d, const int32_t *c, int n);

/* ---- filters */
struct ip_fir {
    int taps;                     /* 1..IP_TAPS_MAX */
    int32_t coef[IP_TAPS_MAX];    /* Q1.30 */
    char name[16];
};

/* The zeroth-order modified Bessel function, and Kaiser's beta for a stopband attenuation (the
 * window's shape; the host's designer uses them too) */
double ip_bessel_i0(double x);
double ip_kaiser_beta(double atten_db);

/* A Kaiser-windowed halfband interpolator of `taps` taps (taps = 4k + 3), stopband
 * attenuation atten_db: odd-offset taps normalized to a DC gain of exactly 1 after quantizing,
 * even-offset taps zero, the centre 1.0. */
void ip_design_halfband(struct ip_fir *f, int taps, double atten_db, const char *name);

/* The built-in filters: stage 1's default and the fixed stages 2 and 3 (stage 1..3). */
const struct ip_fir *ip_default_fir(int stage);

/* Magnitude of a stage's response at f (cycles per output sample, 0..0.5), as a gain
 * relative to the interpolator's 2 (1.0 in the passband), in double from its quantized taps. */
double ip_fir_gain(const struct ip_fir *f, double f_out);

/* ---- the engine */
struct ip_hist {
    int32_t x[IP_HIST];
    unsigned pos; /* where the newest sample is */
};

struct ip_engine {
    const struct ip_fir *fir[IP_STAGES];
    unsigned ratio; /* 1, 2, 4, 8 */
    bool nos;
    struct ip_hist hist[IP_STAGES][2];
};

/* Default filters, ratio 8, histories zero. */
void ip_engine_init(struct ip_engine *e);
/* Zero every history (the RTL flushes its rings by running silence through them). */
void ip_engine_flush(struct ip_engine *e);
/* One stage on one channel's new input: two outputs in time order. */
void ip_stage_push(const struct ip_fir *f, struct ip_hist *h, int32_t x, int32_t y[2]);
/* One input frame (24-bit L, R) in; e->ratio output frames out[i][0..1]; returns their number. */
unsigned ip_engine_push(struct ip_engine *e, int32_t l, int32_t r, int32_t out[][2]);

/* The largest ratio an input rate allows (the output stays at or below 384 kHz). */
unsigned ip_ratio_max(unsigned rate_hz);

/* ---- the stage-1 banks (rtl/audio/filter_bank.v)
 * A bank holds taps 0..N-1 of a stage-1 filter (N = 2..IP_TAPS_MAX); the device stores tap i of
 * bank b at coefficient address 256 b + 128 (i & 1) + (i >> 1), phase by phase. A commit is
 * verified with the bank's CHECK word: the device folds the taps in as c = rotl(c, 1) ^ tap
 * (from c = BAL_MAGIC 'BLNC', tap 0 first; a CRC with polynomial x^32 + 1, a word at a time,
 * with no carry chain), then the CHECK word the same way, and wants zero: CHECK = rotl(c, 1).
 * A missing, changed or moved tap changes it; the seed keeps a bank of zeros with a CHECK of
 * zero (a bank never written) from passing. */
#define IP_BANK_TAPS_MIN 2
#define IP_BANK_CHECK_SEED 0x424C4E43u
uint32_t ip_bank_check(const int32_t *coef, int taps);

#endif
