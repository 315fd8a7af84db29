/* The lane gains' bit-exact model: see gainmodel.h. */
#include "gainmodel.h"

#include <math.h>

#include "regmap.h"

uint32_t gm_t1(unsigned k)
{
    if (k >= BAL_GAIN_SILENT / BAL_GAIN_UNIT_PER_DB)
        return 0;
    return (uint32_t)llround(ldexp(pow(10.0, -(double)k / 20.0), 31));
}

uint32_t gm_t2(unsigned j)
{
    return (uint32_t)llround(ldexp(pow(10.0, -(double)j / (20.0 * BAL_GAIN_UNIT_PER_DB)), 31));
}

uint32_t gm_gain(unsigned atten)
{
    uint32_t t1 = gm_t1((atten >> 8) & 0xFF), t2 = gm_t2(atten & 0xFF);
    uint64_t t1h = t1 >> 16, t1l = t1 & 0xFFFF, t2h = t2 >> 16, t2l = t2 & 0xFFFF;
    /* the three products the DSP makes (t1l t2l is below the result's LSB and dropped), then
       Q2.30 to Q1.23 */
    uint64_t cross = t1h * t2l + t1l * t2h;
    return (uint32_t)((t1h * t2h + (cross >> 16)) >> 7);
}

unsigned gm_target(const struct gm_settings *s, enum gm_lane k)
{
    if (s->mute)
        return BAL_GAIN_SILENT;
    long a = (long)s->volume - s->trim[k];
    if (a < (long)s->ceiling)
        a = s->ceiling;
    return a >= BAL_GAIN_SILENT ? BAL_GAIN_SILENT : (unsigned)a;
}

unsigned gm_ramp(unsigned cur, unsigned target)
{
    long diff = (long)target - (long)cur;
    if (diff > BAL_GAIN_STEP)
        return cur + BAL_GAIN_STEP;
    if (diff < -(long)BAL_GAIN_STEP)
        return cur - BAL_GAIN_STEP;
    return target;
}

uint32_t gm_lane_word(int32_t x, uint32_t g, unsigned flags, int32_t rd)
{
    if ((flags & GM_F_ZERO) || x == 0)
        return 0;
    unsigned bits = 16 + 8 * ((flags >> GM_F_BITS_SHIFT) & 3);
    /* y = x g + rd 2^(33 - bits): rd is half an LSB of the word (2^13) plus dither, in 2^-14 LSB;
       the word is y >> (47 - bits), floored, saturated symmetrically */
    int64_t y = (int64_t)x * g + (int64_t)rd * ((int64_t)1 << (33 - bits));
    int64_t q = y >> (47 - bits), max = ((int64_t)1 << (bits - 1)) - 1;
    if (q > max)
        q = max;
    if (q < -max)
        q = -max;
    uint32_t word = (uint32_t)((uint64_t)q << (32 - bits));
    return flags & GM_F_NEG ? (uint32_t)-word : word;
}

int32_t gm_dither(uint32_t lfsr)
{
    int32_t r1 = lfsr & 0x3FFF, r2 = (lfsr >> 14) & 0x3FFF;
    return r1 + GM_RD_NONE - r2;
}

unsigned gm_meter_ts(unsigned s)
{
    if (s >= GM_METER_SHIFTS)
        return BAL_GAIN_SILENT;
    return (unsigned)lround(20.0 * BAL_GAIN_UNIT_PER_DB * log10(2.0) * s);
}

unsigned gm_meter_tm(unsigned m)
{
    return (unsigned)lround(20.0 * BAL_GAIN_UNIT_PER_DB * log10(256.0 / (129.0 + (m & 127))));
}

/* the hardware's normalizer: shifts (s) and the 7 bits below the top two (m) */
static void meter_normalize(int32_t x, unsigned *s, unsigned *m)
{
    uint32_t nx = (uint32_t)x & 0xFFFFFF;
    unsigned n = 0;
    while (n < GM_METER_SHIFTS && ((nx >> 23) & 1) == ((nx >> 22) & 1)) {
        nx = (nx << 1) & 0xFFFFFF;
        n++;
    }
    *s = n;
    *m = ((nx >> 15) & 127) ^ ((nx >> 23) & 1 ? 127 : 0);
}

unsigned gm_level(int32_t x)
{
    unsigned s, m;
    meter_normalize(x, &s, &m);
    return gm_meter_ts(s) + gm_meter_tm(m);
}

bool gm_clipped(int32_t x)
{
    unsigned s, m;
    meter_normalize(x, &s, &m);
    return s == 0 && m == 127;
}

void gm_meters_read(struct gm_state *st, unsigned peak[GM_LANES], unsigned clips[GM_LANES])
{
    for (int k = 0; k < GM_LANES; k++) {
        peak[k] = st->peak[k];
        clips[k] = st->clips[k];
        st->peak[k] = BAL_GAIN_SILENT;
        st->clips[k] = 0;
    }
}

static void meter_frame(struct gm_state *st, int32_t l, int32_t r)
{
    for (int k = 0; k < GM_LANES; k++) {
        int32_t x = k & 1 ? r : st->meter_l;
        if (st->flags[k] & GM_F_ZERO)
            continue;
        unsigned level = gm_level(x) + st->cur[k];
        if (level < st->peak[k])
            st->peak[k] = level;
        if (gm_clipped(x) && st->clips[k] < GM_CLIPS_MAX)
            st->clips[k]++;
    }
    st->meter_l = l;
}

void gm_init(struct gm_state *st)
{
    for (int k = 0; k < GM_LANES; k++) {
        st->cur[k] = BAL_GAIN_SILENT;
        st->g[k] = 0;
        st->flags[k] = GM_F_ZERO;
        st->peak[k] = BAL_GAIN_SILENT;
        st->clips[k] = 0;
    }
    st->meter_l = 0;
    st->lfsr[0] = GM_LFSR_SEED_L;
    st->lfsr[1] = GM_LFSR_SEED_R;
}

static unsigned word_code(const struct gm_settings *s)
{
    unsigned code = s->word > GM_WORD_32 ? GM_WORD_32 : s->word;
    return s->slot24 && code == GM_WORD_32 ? GM_WORD_24 : code;
}

unsigned gm_flags(const struct gm_settings *s, enum gm_lane k, unsigned cur)
{
    bool minus = k & 2;
    unsigned code = word_code(s), f = code << GM_F_BITS_SHIFT;
    if (s->dither && !(cur == 0 && code != GM_WORD_16))
        f |= GM_F_DITHER;
    if (cur >= BAL_GAIN_SILENT || (minus && s->topology == BAL_TOPOLOGY_MODE_SE))
        f |= GM_F_ZERO;
    if (minus && (s->topology == BAL_TOPOLOGY_MODE_BALANCED || s->topology == BAL_TOPOLOGY_MODE_MONO))
        f |= GM_F_NEG;
    return f;
}

static uint32_t lfsr_step(uint32_t s, unsigned tap)
{
    return (s >> 1) | (((s ^ (s >> tap)) & 1u) << 27);
}

void gm_lfsr_frame(uint32_t lfsr[2])
{
    for (int i = 0; i < GM_LFSR_STEPS; i++) {
        lfsr[0] = lfsr_step(lfsr[0], GM_LFSR_TAP_L);
        lfsr[1] = lfsr_step(lfsr[1], GM_LFSR_TAP_R);
    }
}

void gm_frame(struct gm_state *st, const struct gm_settings *s, int32_t l, int32_t r, bool silent,
              uint32_t words[GM_LANES])
{
    for (int k = 0; k < GM_LANES; k++) {
        int ch = k & 1;
        int32_t rd = (st->flags[k] & GM_F_DITHER) ? gm_dither(st->lfsr[ch]) : GM_RD_NONE;
        words[k] = silent ? 0 : gm_lane_word(ch ? r : l, st->g[k], st->flags[k], rd);
    }
    for (int k = 0; k < GM_LANES; k++) {
        st->cur[k] = silent ? BAL_GAIN_SILENT : gm_ramp(st->cur[k], gm_target(s, (enum gm_lane)k));
        st->g[k] = gm_gain(st->cur[k]);
        st->flags[k] = gm_flags(s, (enum gm_lane)k, st->cur[k]);
    }
    gm_lfsr_frame(st->lfsr);
    meter_frame(st, l, r);
}
