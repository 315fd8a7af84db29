/* The audio datapath's C model (routing, polarity, topology, symmetric saturation) and the
 * I2S line codec the Verilator tests will drive the pins with: checked against the rules of
 * issue 13, independently of any RTL. */
#include <math.h>
#include <string.h>

#include "audiomodel.h"
#include "check.h"
#include "gainmodel.h"
#include "i2s_line.h"
#include "measure.h"
#include "regmap.h"
#include "tonemodel.h"

static const int32_t edge_values[] = {0, 1, -1, AM_MAX, -AM_MAX, AM_MIN, 0x400000, -0x400000, 12345};
#define NEDGE (sizeof edge_values / sizeof edge_values[0])

static int32_t random_sample(void)
{
    return (int32_t)(rnd() << 8) >> 8; /* 24-bit, every code including -2^23 */
}

/* Every lane of every setting stays within +-(2^23-1), and balanced/mono pairs mirror. */
static void test_lanes_symmetric_and_bounded(void)
{
    struct am_settings s;
    int bad = 0, mirrors = 0;
    for (unsigned route = 0; route <= AM_ROUTE_RIGHT; route++)
        for (unsigned inv = 0; inv < 4; inv++)
            for (unsigned topo = 0; topo <= AM_TOPO_MONO; topo++)
                for (unsigned i = 0; i < NEDGE * NEDGE + 200; i++) {
                    s = (struct am_settings){route, inv & 1, inv >> 1, topo};
                    int32_t l = i < NEDGE * NEDGE ? edge_values[i % NEDGE] : random_sample();
                    int32_t r = i < NEDGE * NEDGE ? edge_values[i / NEDGE] : random_sample();
                    int32_t lanes[AM_LANES];
                    am_frame(&s, l, r, lanes);
                    for (int k = 0; k < AM_LANES; k++)
                        bad += lanes[k] > AM_MAX || lanes[k] < -AM_MAX;
                    if (topo == AM_TOPO_BALANCED || topo == AM_TOPO_MONO) {
                        bad += lanes[AM_LN] != -lanes[AM_LP] || lanes[AM_RN] != -lanes[AM_RP];
                        mirrors++;
                    }
                }
    CHECK_EQ(bad, 0);
    CHECK(mirrors > 1000);
}

static void test_topologies(void)
{
    struct am_settings s = {AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};
    int32_t lanes[AM_LANES];
    am_frame(&s, 1000, -2000, lanes);
    CHECK(lanes[AM_LP] == 1000 && lanes[AM_LN] == -1000 && lanes[AM_RP] == -2000 && lanes[AM_RN] == 2000);
    s.topology = AM_TOPO_SE;
    am_frame(&s, 1000, -2000, lanes);
    CHECK(lanes[AM_LP] == 1000 && lanes[AM_LN] == 0 && lanes[AM_RP] == -2000 && lanes[AM_RN] == 0);
    s.topology = AM_TOPO_PARALLEL;
    am_frame(&s, 1000, -2000, lanes);
    CHECK(lanes[AM_LP] == 1000 && lanes[AM_LN] == 1000 && lanes[AM_RP] == -2000 && lanes[AM_RN] == -2000);
    s.topology = AM_TOPO_MONO;
    am_frame(&s, 1000, -2001, lanes); /* (1000 - 2001) / 2 = -500.5: floor -501 */
    CHECK(lanes[AM_LP] == -501 && lanes[AM_RP] == -501 && lanes[AM_LN] == 501 && lanes[AM_RN] == 501);
    /* the most negative code: saturated to -(2^23-1), mirrored exactly */
    s.topology = AM_TOPO_BALANCED;
    am_frame(&s, AM_MIN, AM_MIN, lanes);
    CHECK_EQ(lanes[AM_LP], -AM_MAX);
    CHECK_EQ(lanes[AM_LN], AM_MAX);
    s.invert_left = true; /* -(-2^23) = 2^23 does not fit: saturated */
    am_frame(&s, AM_MIN, 0, lanes);
    CHECK_EQ(lanes[AM_LP], AM_MAX);
    CHECK_EQ(lanes[AM_LN], -AM_MAX);
}

static void test_routing(void)
{
    struct am_settings s = {AM_ROUTE_SWAP, false, false, AM_TOPO_SE};
    int32_t a, b;
    am_route(&s, 7, -9, &a, &b);
    CHECK(a == -9 && b == 7);
    s.route = AM_ROUTE_MONO;
    am_route(&s, 7, -9, &a, &b);
    CHECK(a == -1 && b == -1);
    s.route = AM_ROUTE_LEFT;
    am_route(&s, 7, -9, &a, &b);
    CHECK(a == 7 && b == 7);
    s.route = AM_ROUTE_RIGHT;
    s.invert_right = true;
    am_route(&s, 7, -9, &a, &b);
    CHECK(a == -9 && b == 9);
    /* mono of the extremes needs no more than 24 bits before saturation */
    s = (struct am_settings){AM_ROUTE_MONO, false, false, AM_TOPO_SE};
    am_route(&s, AM_MIN, AM_MIN, &a, &b);
    CHECK_EQ(a, AM_MIN);
}

static void test_slots(void)
{
    CHECK_EQ(am_from_slot(0x8000, 16), -0x800000);
    CHECK_EQ(am_from_slot(0x7FFF, 16), 0x7FFF00);
    CHECK_EQ(am_from_slot(0x800000, 24), AM_MIN);
    CHECK_EQ(am_from_slot(0xFFFFFFFFu, 32), -1); /* floor of -1/256 */
    CHECK_EQ(am_from_slot(0x7FFFFFFFu, 32), AM_MAX);
    CHECK_EQ(am_to_slot(-AM_MAX, 32), 0x80000100u);
    CHECK_EQ(am_to_slot(-1, 24), 0xFFFFFFu);
    for (int i = 0; i < 1000; i++) {
        int32_t v = random_sample();
        CHECK_EQ(am_from_slot(am_to_slot(v, 32), 32), v);
        CHECK_EQ(am_from_slot(am_to_slot(v, 24), 24), v);
    }
}

/* ---- I2S: what the source puts on the pins, the decoder reads back, at every rate and slot */

struct frames {
    uint32_t (*w)[2];
    unsigned n, pos;
};

static bool next_frame(void *ctx, uint32_t *l, uint32_t *r)
{
    struct frames *f = ctx;
    if (f->pos == f->n)
        return false;
    *l = f->w[f->pos][0];
    *r = f->w[f->pos][1];
    f->pos++;
    return true;
}

static int round_trip(double sys_hz, double fs, unsigned slot)
{
    static uint32_t w[300][2];
    struct frames f = {w, 300, 0};
    uint32_t mask = slot == 32 ? 0xFFFFFFFFu : (1u << slot) - 1;
    for (unsigned i = 0; i < f.n; i++)
        w[i][0] = rnd() & mask, w[i][1] = (i & 1) ? (1u << (slot - 1)) : rnd() & mask;
    struct i2s_source src;
    struct i2s_decoder dec;
    i2s_source_init(&src, sys_hz, fs, slot, next_frame, &f);
    i2s_decoder_init(&dec, 1);
    unsigned got = 0, errors = 0;
    uint64_t cycles = (uint64_t)(sys_hz / fs * (f.n + 4));
    for (uint64_t c = 0; c < cycles; c++) {
        int bclk, lrclk, data;
        uint32_t l, r;
        i2s_source_tick(&src, &bclk, &lrclk, &data);
        if (i2s_decoder_tick(&dec, bclk, lrclk, &data, &l, &r)) {
            /* the decoder syncs on frame 0's boundary: it reports frames 1, 2, ... in order */
            unsigned k = got + 1;
            if (k < f.n)
                errors += l != w[k][0] << (32 - slot) || r != w[k][1] << (32 - slot);
            got++;
        }
    }
    CHECK_EQ(dec.slot_bits, slot);
    return got >= f.n - 3 && errors == 0 ? 0 : 1;
}

static void test_i2s_round_trip(void)
{
    static const double rates[] = {44100, 48000, 88200, 96000, 176400, 192000};
    static const unsigned slots[] = {16, 24, 32};
    int failures = 0;
    for (unsigned i = 0; i < 6; i++)
        for (unsigned j = 0; j < 3; j++) {
            double sys = ((int)rates[i] % 11025 == 0) ? 45158400.0 : 49152000.0;
            if (rates[i] * 2 * slots[j] * 2 > sys)
                continue; /* BCLK above a quarter of the system clock: not sampled reliably */
            failures += round_trip(sys, rates[i], slots[j]);
        }
    CHECK_EQ(failures, 0);
}

/* The tone model: THD+N at -1 dBFS across the band within the issue's -130 dB (the 24-bit
 * floor is about -145 dB), levels true to 0.5 dB steps, never the code with no mirror. */
static void test_tone_purity_and_levels(void)
{
    enum { N = 16384 };
    static int32_t x[N];
    static const unsigned bins[] = {7, 341, 1367, 3001, 6827}; /* 20 Hz .. 20 kHz at 48 kHz */
    for (unsigned b = 0; b < sizeof bins / sizeof bins[0]; b++) {
        uint32_t inc = bins[b] * (uint32_t)(4294967296.0 / N), phase = 0x9E3779B9u * b;
        for (unsigned n = 0; n < N; n++, phase += inc)
            x[n] = tone_sample(phase, 2);
        double amp, thdn = measure_thdn_db(x, N, bins[b], &amp);
        printf("MEASURE tone model %.1f Hz at -1 dBFS: THD+N %.2f dB\n",
               tone_hz_for_inc(inc), thdn);
        CHECK(thdn <= -130.0);
        CHECK(fabs(20 * log10(amp / 8388606.0) + 1.0) < 0.001);
    }
    /* every 0.5 dB step down to -60 dB lands within 0.01 dB */
    for (unsigned atten = 0; atten <= 120; atten++) {
        uint32_t inc = 1367u * (uint32_t)(4294967296.0 / 4096), phase = 0;
        for (unsigned n = 0; n < 4096; n++, phase += inc)
            x[n] = tone_sample(phase, atten);
        double amp;
        measure_thdn_db(x, 4096, 1367, &amp);
        CHECK(fabs(20 * log10(amp / 8388606.0) + atten / 2.0) < 0.01);
    }
    /* full scale: peaks at +-(2^23 - 2), never -2^23 */
    int32_t lo = 0, hi = 0;
    for (uint32_t ph = 0; ph < 0xFFFFF000u; ph += 0x10003u) {
        int32_t v = tone_sample(ph, 0);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    CHECK(hi <= AM_MAX && lo > AM_MIN && hi > AM_MAX - 8 && lo < -AM_MAX + 8);
    CHECK_EQ(tone_inc_for_hz(1000.0), 89478485u);
    CHECK_EQ(tone_inc_for_hz(1000.0), BAL_REG_TONE_FREQ_RESET);
}

/* The gains' exponential: exact 0 dB, silence from GAIN_SILENT, within 1.5 units of
 * 2^23 10^(-a/5120) everywhere, never rising with the attenuation. */
static void test_gain_table(void)
{
    CHECK_EQ(gm_gain(0), GM_UNITY);
    CHECK_EQ(gm_gain(BAL_GAIN_SILENT), 0);
    CHECK_EQ(gm_gain(0xFFFF), 0);
    double worst = 0;
    int rises = 0;
    for (unsigned a = 0; a < BAL_GAIN_SILENT; a++) {
        double exact = ldexp(pow(10.0, -(double)a / 5120.0), 23);
        double err = fabs(gm_gain(a) - exact);
        if (err > worst)
            worst = err;
        rises += a && gm_gain(a) > gm_gain(a - 1);
    }
    CHECK(worst < 1.5);
    CHECK_EQ(rises, 0);
    printf("MEASURE gain table: largest error %.3f of 2^-23 (full scale), 0 dB exact\n", worst);
}

/* Targets: the ceiling caps every setting, 0 dB caps the trims, mute and silence win. */
static void test_gain_targets_and_ramp(void)
{
    struct gm_settings s = {0};
    s.trim[GM_LP] = 256; /* +1 dB at 0 dB volume: 0 dB */
    CHECK_EQ(gm_target(&s, GM_LP), 0);
    s.ceiling = 768;     /* -3 dB ceiling */
    s.volume = 0;
    CHECK_EQ(gm_target(&s, GM_LP), 768);
    CHECK_EQ(gm_target(&s, GM_RN), 768);
    s.volume = 2560;     /* -10 dB: below the ceiling, the trim applies */
    CHECK_EQ(gm_target(&s, GM_LP), 2304);
    s.trim[GM_LN] = -512;
    CHECK_EQ(gm_target(&s, GM_LN), 3072);
    s.volume = 0xFFFF;
    CHECK_EQ(gm_target(&s, GM_LN), BAL_GAIN_SILENT);
    s.volume = 0;
    s.mute = true;
    CHECK_EQ(gm_target(&s, GM_RP), BAL_GAIN_SILENT);
    /* ramps: at most GAIN_STEP a frame, and there; 60 dB within 100 ms at 44.1 kHz */
    unsigned cur = 0, frames = 0;
    while (cur != 60 * 256 && frames < 100000) {
        unsigned next = gm_ramp(cur, 60 * 256);
        CHECK(next - cur <= BAL_GAIN_STEP);
        cur = next;
        frames++;
    }
    CHECK(frames / 44100.0 < 0.1);
    CHECK_EQ(gm_ramp(100, 95), 95);
    CHECK_EQ(gm_ramp(100, 0), 100 - BAL_GAIN_STEP);
    printf("MEASURE a 60 dB ramp: %u output frames (%.1f ms at 44.1 kHz), steps of %.4f dB\n",
           frames, frames / 44.1, BAL_GAIN_STEP / 256.0);
}

/* A lane's word: 0 dB at 24 and 32 bits is the sample itself; minus lanes are the exact
 * negation of their plus lanes at every gain and dither; words stay within +-(2^(N-1) - 1). */
static void test_lane_words(void)
{
    for (unsigned i = 0; i < NEDGE; i++) {
        int32_t x = edge_values[i] == AM_MIN ? -AM_MAX : edge_values[i];
        CHECK_EQ(gm_lane_word(x, GM_UNITY, GM_WORD_24 << GM_F_BITS_SHIFT, GM_RD_NONE), (uint32_t)x << 8);
        CHECK_EQ(gm_lane_word(x, GM_UNITY, GM_WORD_32 << GM_F_BITS_SHIFT, GM_RD_NONE), (uint32_t)x << 8);
    }
    int asym = 0, over = 0, low_bits = 0;
    for (unsigned n = 0; n < 200000; n++) {
        int32_t x = random_sample();
        if (x == AM_MIN)
            x = -AM_MAX;
        if (n % 7 == 0)
            x = n & 8 ? AM_MAX : -AM_MAX;
        uint32_t g = n % 5 == 0 ? GM_UNITY : gm_gain(rnd() % BAL_GAIN_SILENT);
        unsigned code = n % 3, bits = 16 + 8 * code;
        int32_t rd = gm_dither(rnd() & 0xFFFFFFF);
        unsigned f = code << GM_F_BITS_SHIFT;
        uint32_t p = gm_lane_word(x, g, f, rd), m = gm_lane_word(x, g, f | GM_F_NEG, rd);
        asym += m != (uint32_t)-p;
        int64_t q = (int32_t)p >> (32 - bits), max = ((int64_t)1 << (bits - 1)) - 1;
        over += q > max || q < -max;
        low_bits += (p & ((1u << (32 - bits)) - 1)) != 0 && bits < 32;
    }
    CHECK_EQ(asym, 0);
    CHECK_EQ(over, 0);
    CHECK_EQ(low_bits, 0);
    /* the dither's offsets: 2^13 +- (2^14 - 1), triangular */
    int lo = 1 << 30, hi = -(1 << 30);
    for (uint32_t s = 1; s < 1u << 28; s += 4099) {
        int rd = gm_dither(s);
        lo = rd < lo ? rd : lo;
        hi = rd > hi ? rd : hi;
    }
    CHECK(lo > GM_RD_NONE - (1 << 14) && hi < GM_RD_NONE + (1 << 14));
    CHECK(lo < GM_RD_NONE - (1 << 13) && hi > GM_RD_NONE + (1 << 13));
}

/* Whole frames: from power-up silence every lane ramps to 0 dB in GAIN_SILENT / GAIN_STEP
 * frames, never stepping more than GAIN_STEP; on the way the words are dithered, and L- = -L+
 * in every frame; the LFSRs move one frame's steps a frame; silence snaps every lane back and
 * gives exact zeros. */
static void test_gain_frames(void)
{
    struct gm_state st;
    gm_init(&st);
    struct gm_settings s = {0};
    s.word = GM_WORD_24;
    s.dither = true;
    uint32_t w[GM_LANES], lfsr[2] = {GM_LFSR_SEED_L, GM_LFSR_SEED_R};
    unsigned frames = 0, worst = 0, asym = 0, dithered = 0;
    while (st.cur[GM_LP] != 0 && frames < 10000) {
        unsigned before = st.cur[GM_LP], f = st.flags[GM_RP];
        uint32_t g = st.g[GM_RP];
        int32_t x = random_sample() / 2;
        gm_frame(&st, &s, x, x, false, w);
        gm_lfsr_frame(lfsr);
        unsigned step = before - st.cur[GM_LP];
        worst = step > worst ? step : worst;
        asym += w[GM_LN] != (uint32_t)-w[GM_LP] || w[GM_RN] != (uint32_t)-w[GM_RP];
        dithered += w[GM_RP] != gm_lane_word(x, g, f & ~GM_F_DITHER, GM_RD_NONE);
        frames++;
    }
    CHECK_EQ(frames, BAL_GAIN_SILENT / BAL_GAIN_STEP);
    CHECK_EQ(worst, BAL_GAIN_STEP);
    CHECK_EQ(asym, 0);
    CHECK(dithered > frames / 4);
    CHECK(st.lfsr[0] == lfsr[0] && st.lfsr[1] == lfsr[1]);
    /* 0 dB in force from the next frame: 24-bit words are the samples, undithered */
    gm_frame(&st, &s, 0x123456, -0x123456, false, w);
    gm_frame(&st, &s, 0x123456, -0x123456, false, w);
    CHECK_EQ(w[GM_LP], 0x12345600u);
    CHECK_EQ(w[GM_RN], 0x12345600u);
    gm_frame(&st, &s, 0x123456, -0x123456, true, w);
    CHECK(w[GM_LP] == 0 && w[GM_LN] == 0 && w[GM_RP] == 0 && w[GM_RN] == 0);
    CHECK_EQ(st.cur[GM_RN], BAL_GAIN_SILENT);
    printf("MEASURE model ramp from silence to 0 dB: %u frames, %u of them dithered away from plain "
           "rounding\n", frames, dithered);
}

int main(void)
{
    RUN(test_lanes_symmetric_and_bounded);
    RUN(test_topologies);
    RUN(test_routing);
    RUN(test_slots);
    RUN(test_i2s_round_trip);
    RUN(test_tone_purity_and_levels);
    RUN(test_gain_table);
    RUN(test_gain_targets_and_ramp);
    RUN(test_lane_words);
    RUN(test_gain_frames);
    return test_summary();
}
