/* The audio datapath under Verilator, through the pins of the top level that is synthesized:
 * an asynchronous I2S source on the input pins (sim/i2s_line.c), the two DACs' lines decoded
 * back into the four lanes, every output frame compared with the bit-exact model
 * (sim/audiomodel.c) of the input frame it came from; settings go through the control link. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#include "audiomodel.h"
#include "check.h"
#include "filter_dev.h"
#include "fir_design.h"
#include "gainmodel.h"
#include "interp.h"
#include "i2s_line.h"
#include "measure.h"
#include "simhost.h"
#include "tonemodel.h"

#define MAX_FRAMES 65536
#define NO_TAG (-1)
#define MAX_TAGS 128

static const double SYS_HZ = BAL_SYSCLK_EXACT_HZ;

struct bench {
    struct simhost *h;
    /* the source and what it sent */
    struct i2s_source src;
    bool src_on;
    double fs;
    unsigned slot_in;
    uint32_t words[MAX_FRAMES][2];
    int tag[MAX_FRAMES];          /* the settings in force for the frame, or NO_TAG */
    size_t sent;
    int cur_tag;
    uint32_t rng;
    /* the DACs */
    struct i2s_decoder dec;
    int32_t out[MAX_FRAMES][AM_LANES];
    uint32_t word[MAX_FRAMES][AM_LANES]; /* the slots' words as sent (32-bit slots: all bits) */
    uint64_t out_cycle[MAX_FRAMES];
    unsigned out_slot[MAX_FRAMES];
    size_t got;
    unsigned ratio;               /* the oversampling ratio asked for (the rate may cap it) */
    unsigned min_code_seen, pad_bits_seen; /* -2^23 in a lane; bits below a 24-bit sample */
    struct am_settings settings[MAX_TAGS];
    /* the engine's tests: the samples come from gen (zeros before frame zero_until) */
    void (*gen)(struct bench *b, size_t k, int32_t *l, int32_t *r);
    size_t zero_until;
    int32_t sent_l[MAX_FRAMES], sent_r[MAX_FRAMES];
};

static struct bench bench;

static uint32_t bench_rnd(struct bench *b)
{
    b->rng ^= b->rng << 13;
    b->rng ^= b->rng >> 17;
    b->rng ^= b->rng << 5;
    return b->rng;
}

/* Frame k's two samples: every other frame an edge case (full scale, the most negative code,
 * DC, silence, an impulse), random ones between, so that any four frames in a row are unique. */
static void pattern(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    static const int32_t edge[][2] = {
        {AM_MAX, AM_MIN}, {AM_MIN, AM_MAX}, {AM_MIN, AM_MIN}, {AM_MAX, AM_MAX},
        {0, 0},           {1, -1},          {-1, 1},          {0x400000, 0x400000},
        {0x400000, 0x400000}, {AM_MIN, 0},  {0, AM_MIN},      {-AM_MAX, AM_MIN},
    };
    size_t n = sizeof edge / sizeof edge[0];
    if (k % 2 == 0) {
        *l = edge[k / 2 % n][0];
        *r = edge[k / 2 % n][1];
    } else {
        *l = (int32_t)(bench_rnd(b) << 8) >> 8;
        *r = (int32_t)(bench_rnd(b) << 8) >> 8;
    }
}

/* A slot word carrying sample v; 32-bit slots get random bits below the 24 kept. */
static uint32_t slot_word(struct bench *b, int32_t v, unsigned bits)
{
    uint32_t w = am_to_slot(v, bits);
    return bits == 32 ? w | (bench_rnd(b) & 0xFF) : w;
}

static bool next_frame(void *ctx, uint32_t *left, uint32_t *right)
{
    struct bench *b = ctx;
    if (b->sent == MAX_FRAMES)
        return false;
    int32_t l, r;
    if (b->sent < b->zero_until)
        l = r = 0;
    else if (b->gen)
        b->gen(b, b->sent, &l, &r);
    else
        pattern(b, b->sent, &l, &r);
    b->sent_l[b->sent] = l;
    b->sent_r[b->sent] = r;
    *left = b->words[b->sent][0] = slot_word(b, l, b->slot_in);
    *right = b->words[b->sent][1] = slot_word(b, r, b->slot_in);
    b->tag[b->sent] = b->cur_tag;
    b->sent++;
    return true;
}

static int32_t lane_of(uint32_t w, struct bench *b)
{
    if (w & 0xFF)
        b->pad_bits_seen++;
    int32_t v = (int32_t)w >> 8;
    if (v == AM_MIN)
        b->min_code_seen++;
    return v;
}

static void audio_pins(void *ctx, bm_model *m)
{
    struct bench *b = ctx;
    int bclk = 0, lrclk = 0, data = 0;
    if (b->src_on)
        i2s_source_tick(&b->src, &bclk, &lrclk, &data);
    bm_set_i2s_in(m, bclk, lrclk, data);
    struct bm_dac_pins p;
    bm_dac_pins(m, &p);
    uint32_t left[2], right[2];
    if (i2s_decoder_tick(&b->dec, p.bclk, p.lrclk, p.data, left, right) && b->got < MAX_FRAMES) {
        int32_t *o = b->out[b->got];
        uint32_t *w = b->word[b->got];
        w[AM_LP] = left[0];
        w[AM_LN] = right[0];
        w[AM_RP] = left[1];
        w[AM_RN] = right[1];
        o[AM_LP] = lane_of(left[0], b);
        o[AM_LN] = lane_of(right[0], b);
        o[AM_RP] = lane_of(left[1], b);
        o[AM_RN] = lane_of(right[1], b);
        b->out_cycle[b->got] = bm_cycles(m);
        b->out_slot[b->got] = b->dec.slot_bits;
        b->got++;
    }
}

/* Output frames a lane's gain takes from silence to 0 dB: GAIN_SILENT in steps of GAIN_STEP */
#define RAMP_FRAMES ((BAL_GAIN_SILENT + BAL_GAIN_STEP - 1) / BAL_GAIN_STEP + 4)

/* Runs while the lanes' gains ramp up from silence (after power-up, a flush, a mute), at an
 * output rate of out_hz. */
static void wait_ramp(struct bench *b, double out_hz)
{
    simhost_run(b->h, (uint64_t)(RAMP_FRAMES * SYS_HZ / out_hz) + 1);
}

/* A bench after power-up, its datapath settled; at the reset ratio (8x), or at 1x for the tests
 * of what is around the engine, once its history has been flushed. */
static struct bench *bench_new_at(bool at_1x);
static struct bench *bench_new(void)
{
    return bench_new_at(true);
}

/* A bench on a model just made (nothing run yet: the reset's 8x), its initial state zero or
 * random (rand_reset 2, from seed) */
static struct bench *bench_open(uint32_t seed, int rand_reset)
{
    struct bench *b = &bench;
    memset(b, 0, sizeof *b);
    struct bm_options opt = {seed, rand_reset};
    b->h = simhost_new(&opt, 0);
    b->h->audio = audio_pins;
    b->h->audio_ctx = b;
    b->rng = 0x12345678;
    b->cur_tag = NO_TAG;
    i2s_decoder_init(&b->dec, 2);
    b->ratio = 8;
    return b;
}

static struct bench *bench_new_at(bool at_1x)
{
    struct bench *b = bench_open(1, 0);
    b->ratio = at_1x ? 1 : 8;
    simhost_run(b->h, 4 * 49152); /* PLL lock, reset, and the datapath settling (3 ms) */
    if (at_1x) {
        CHECK_EQ(simhost_write(b->h, BAL_REG_OVERSAMPLE, BAL_OVERSAMPLE_RATIO_X1), BAL_ST_OK);
        simhost_run(b->h, 5 * 49152); /* the flush: 160 frames at 48 kHz */
    }
    wait_ramp(b, at_1x ? 48000 : 384000);
    if (at_1x)
        b->got = 0;
    return b;
}

static void bench_free(struct bench *b)
{
    simhost_free(b->h);
}

static void source_start(struct bench *b, double fs, unsigned slot_bits)
{
    i2s_source_init(&b->src, SYS_HZ, fs, slot_bits, next_frame, b);
    b->fs = fs;
    b->slot_in = slot_bits;
    b->src_on = true;
}

/* The output's frame rate for an input at fs: the ratio asked for, as the rate allows it */
static double out_hz(const struct bench *b, double fs)
{
    unsigned cap = fs <= 48000 ? 8 : fs <= 96000 ? 4 : 2;
    return fs * (b->ratio < cap ? b->ratio : cap);
}

/* Starts the source and waits while the input locks and the lanes' gains ramp up from silence
 * (they go there while no input plays); the frames sent meanwhile are not compared. */
static void run_frames(struct bench *b, double n);
static void source_play(struct bench *b, double fs, unsigned slot_bits)
{
    int tag = b->cur_tag;
    b->cur_tag = NO_TAG;
    source_start(b, fs, slot_bits);
    run_frames(b, 12);
    wait_ramp(b, out_hz(b, fs));
    b->cur_tag = tag;
}

static void run_cycles(struct bench *b, uint64_t n)
{
    simhost_run(b->h, n);
}

/* Runs for n input frame periods of the source (or of 48 kHz when it is off). */
static void run_frames(struct bench *b, double n)
{
    double fs = b->src_on ? b->fs : 48000.0;
    run_cycles(b, (uint64_t)(n * SYS_HZ / fs) + 1);
}

static uint32_t reg_read(struct bench *b, uint16_t addr)
{
    bool ok;
    uint32_t v = simhost_read(b->h, addr, &ok);
    CHECK(ok);
    return v;
}

/* AUDIO_STATUS but its SILENCE field (test_silence_reasons checks that) */
static uint32_t audio_status(struct bench *b)
{
    return reg_read(b, BAL_REG_AUDIO_STATUS) & ~BAL_AUDIO_STATUS_SILENCE_MASK;
}

static unsigned silence_reason(struct bench *b)
{
    return BAL_FIELD(AUDIO_STATUS, SILENCE, reg_read(b, BAL_REG_AUDIO_STATUS));
}

/* Writes a setting while audio runs: frames sent around it are not compared. */
static int reg_write(struct bench *b, uint16_t addr, uint32_t value)
{
    b->cur_tag = NO_TAG;
    run_frames(b, 2.5);
    int st = simhost_write(b->h, addr, value);
    run_frames(b, 2.5);
    return st;
}

/* A change of the signal's path (AUDIO_SOURCE, ROUTE, TOPOLOGY; up to two registers at once)
 * while audio plays at the output rate out: the gains fade to silence, the change applies,
 * they ramp back up; frames sent meanwhile are not compared. */
static void path_write(struct bench *b, double out, uint16_t addr, uint32_t value, uint16_t addr2,
                       uint32_t value2)
{
    b->cur_tag = NO_TAG;
    CHECK_EQ(simhost_write(b->h, addr, value), BAL_ST_OK);
    if (addr2)
        CHECK_EQ(simhost_write(b->h, addr2, value2), BAL_ST_OK);
    wait_ramp(b, out);
    wait_ramp(b, out);
}

static void expect_lanes(const struct bench *b, size_t k, int32_t lanes[AM_LANES])
{
    unsigned bits = b->slot_in;
    int32_t l = am_from_slot(b->words[k][0], bits), r = am_from_slot(b->words[k][1], bits);
    am_frame(&b->settings[b->tag[k]], l, r, lanes);
}

static bool frame_matches(const struct bench *b, size_t j, size_t k)
{
    int32_t e[AM_LANES];
    expect_lanes(b, k, e);
    return memcmp(b->out[j], e, sizeof e) == 0;
}

/* Every tagged input frame sent from index `from` on must come out exactly once, in order, as
 * the model says: finds the output frame of the first (four frames must agree), then checks
 * them all. Returns how many frames were compared. */
static size_t check_frames(struct bench *b, size_t from)
{
    size_t first = from;
    while (first < b->sent && b->tag[first] == NO_TAG)
        first++;
    size_t j0 = 0;
    bool found = false;
    for (size_t j = 0; j + 4 <= b->got && !found; j++) {
        found = true;
        for (size_t i = 0; i < 4 && found; i++)
            found = first + i < b->sent && b->tag[first + i] != NO_TAG && frame_matches(b, j + i, first + i);
        j0 = j;
    }
    CHECK(found);
    if (!found) {
        fprintf(stderr, "  no output frame matches input frame %zu (of %zu sent, %zu out)\n",
                first, b->sent, b->got);
        for (size_t i = 0; i < 4 && first + i < b->sent && b->tag[first + i] != NO_TAG; i++) {
            int32_t e[AM_LANES];
            expect_lanes(b, first + i, e);
            fprintf(stderr, "  in %zu expects %d %d %d %d\n", first + i, e[0], e[1], e[2], e[3]);
        }
        for (size_t j = 0; j < 8 && j < b->got; j++)
            fprintf(stderr, "  out %zu: %d %d %d %d\n", j, b->out[j][0], b->out[j][1],
                    b->out[j][2], b->out[j][3]);
        return 0;
    }
    size_t compared = 0, bad = 0;
    for (size_t k = first; k < b->sent; k++) {
        size_t j = j0 + (k - first);
        if (b->tag[k] == NO_TAG)
            continue;
        if (j >= b->got)
            break;
        if (!frame_matches(b, j, k)) {
            if (bad++ < 3) {
                int32_t e[AM_LANES];
                expect_lanes(b, k, e);
                fprintf(stderr, "  frame %zu (out %zu): got %d %d %d %d, expected %d %d %d %d\n",
                        k, j, b->out[j][0], b->out[j][1], b->out[j][2], b->out[j][3], e[0],
                        e[1], e[2], e[3]);
            }
        }
        compared++;
    }
    CHECK_EQ(bad, 0);
    return compared;
}

static void forget_frames(struct bench *b)
{
    b->sent = 0;
    b->got = 0;
}

/* The input rates the detector names, in the order of AUDIO_STATUS.RATE's codes 1..6 */
static const double rates[] = {44100, 48000, 88200, 96000, 176400, 192000};
#define N_RATES (sizeof rates / sizeof rates[0])

static unsigned rate_code(double fs)
{
    for (unsigned i = 0; i < N_RATES; i++)
        if (rates[i] == fs)
            return i + 1;
    return 0;
}

/* AUDIO_STATUS with the filter in place, at 1x unless said */
static uint32_t status_at(unsigned rate, bool locked, unsigned slot_code, unsigned out_rate, unsigned ratio_code)
{
    return (rate << BAL_AUDIO_STATUS_RATE_LSB) | ((uint32_t)locked << BAL_AUDIO_STATUS_LOCKED_LSB) |
           (slot_code << BAL_AUDIO_STATUS_SLOT_IN_LSB) | (out_rate << BAL_AUDIO_STATUS_OUT_RATE_LSB) |
           (ratio_code << BAL_AUDIO_STATUS_OUT_RATIO_LSB) | BAL_AUDIO_STATUS_FILTER_READY_MASK;
}
static uint32_t status_of(unsigned rate, bool locked, unsigned slot_code, unsigned out_rate)
{
    return status_at(rate, locked, slot_code, out_rate, BAL_OVERSAMPLE_RATIO_X1);
}

static unsigned slot_code(unsigned bits)
{
    return bits == 16 ? 1 : bits == 24 ? 2 : 3;
}

static bool all_silent(const struct bench *b, size_t from)
{
    for (size_t j = from; j < b->got; j++)
        for (int i = 0; i < AM_LANES; i++)
            if (b->out[j][i])
                return false;
    return true;
}

/* ------------------------------------------------------------------ tests */

static void test_power_up_silent(void)
{
    struct bench *b = bench_new_at(false);
    size_t settled = b->got;
    CHECK(settled > 0 && all_silent(b, 0));
    run_cycles(b, (uint64_t)(SYS_HZ / 50)); /* 20 ms, no input */
    /* the DACs get clocks at 8 x 48 kHz and nothing but zeros */
    CHECK(b->got - settled >= 7679 && b->got - settled <= 7681);
    CHECK(all_silent(b, 0));
    CHECK_EQ(audio_status(b), status_at(0, false, 0, 2, BAL_OVERSAMPLE_RATIO_X8));
    CHECK_EQ(reg_read(b, BAL_REG_OVERSAMPLE), BAL_OVERSAMPLE_RATIO_X8);
    CHECK_EQ(reg_read(b, BAL_REG_AUDIO_SOURCE), BAL_AUDIO_SOURCE_SOURCE_I2S);
    CHECK_EQ(b->min_code_seen + b->pad_bits_seen, 0);
    bench_free(b);
}

/* Routing, topology and inversion, changed through the link while audio plays at 192 kHz (1x):
 * every pair of them (each routing with each topology and each inversion, each topology with
 * each inversion), each change faded through silence, then every frame bit-exact; L- = -L+
 * where balanced. */
static void test_route_topology_inversion_pairs(void)
{
    const double fs = 192000;
    struct bench *b = bench_new();
    source_play(b, fs, 32);
    CHECK_EQ(audio_status(b), status_of(6, true, 3, 6));
    int tag = 0;
    size_t total = 0;
    for (unsigned topo = 0; topo < 4; topo++) {
        for (unsigned route = 0; route < 5; route++) {
            unsigned inv = (route + topo) % 4;
            uint32_t v = route | (inv & 1 ? BAL_ROUTE_INVERT_LEFT_MASK : 0) |
                         (inv & 2 ? BAL_ROUTE_INVERT_RIGHT_MASK : 0);
            path_write(b, fs, BAL_REG_TOPOLOGY, topo, BAL_REG_ROUTE, v);
            b->settings[tag] = (struct am_settings){route, inv & 1, inv & 2, topo};
            forget_frames(b);
            b->cur_tag = tag++;
            run_frames(b, 26);
            total += check_frames(b, 0);
            if (topo == AM_TOPO_BALANCED)
                for (size_t j = 0; j < b->got; j++)
                    CHECK(b->out[j][AM_LN] == -b->out[j][AM_LP] &&
                          b->out[j][AM_RN] == -b->out[j][AM_RP]);
        }
    }
    CHECK(total >= 20 * 20);
    CHECK_EQ(b->min_code_seen, 0);
    CHECK_EQ(b->pad_bits_seen, 0);
    bench_free(b);
}

/* Each rate and input slot width, into 24 and 32-bit output slots: detected, locked, bit-exact
 * and at the input's rate; then the clocks stop and the output falls silent. */
static void test_rates_and_slot_widths(void)
{
    static const unsigned in_bits[] = {16, 24, 32};
    struct bench *b = bench_new();
    b->settings[0] = (struct am_settings){AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};
    for (unsigned out24 = 0; out24 < 2; out24++) {
        CHECK_EQ(reg_write(b, BAL_REG_OUT_FORMAT, BAL_REG_OUT_FORMAT_RESET | out24), BAL_ST_OK);
        for (unsigned ri = 0; ri < N_RATES; ri++) {
            for (unsigned si = 0; si < 3; si++) {
                double fs = rates[ri];
                forget_frames(b);
                b->cur_tag = NO_TAG;
                source_play(b, fs, in_bits[si]); /* locks, and the gains ramp up */
                unsigned code = rate_code(fs);
                CHECK_EQ(audio_status(b),
                         status_of(code, true, slot_code(in_bits[si]), code));
                b->cur_tag = 0;
                size_t first_out = b->got;
                run_frames(b, 48);
                size_t n = check_frames(b, 0);
                CHECK(n >= 40);
                /* the output's frame rate is the input's */
                size_t last = b->got - 1;
                double rate = (double)(last - first_out) * SYS_HZ /
                              (double)(b->out_cycle[last] - b->out_cycle[first_out]);
                CHECK(rate > fs * 0.9995 && rate < fs * 1.0005);
                CHECK_EQ(b->out_slot[last], out24 ? 24 : 32);
                /* clocks gone: unlocked, silent within a millisecond */
                b->src_on = false;
                run_cycles(b, (uint64_t)(SYS_HZ / 1000));
                size_t from = b->got;
                run_cycles(b, (uint64_t)(SYS_HZ / 1000));
                CHECK(b->got > from);
                CHECK(all_silent(b, from));
                CHECK_EQ(audio_status(b) &
                             (BAL_AUDIO_STATUS_RATE_MASK | BAL_AUDIO_STATUS_LOCKED_MASK), 0);
            }
        }
    }
    CHECK_EQ(b->min_code_seen, 0);
    CHECK_EQ(b->pad_bits_seen, 0);
    bench_free(b);
}

/* Each rate's window is +-3 %: 2.5 % off either way is that rate, locked; 3.5 % off is none
 * (the closest two rates are 8.8 % apart). 24-bit slots keep BCLK within the receiver's reach. */
static void test_rate_windows(void)
{
    static const double offsets[] = {0.975, 1.025, 0.965, 1.035};
    struct bench *b = bench_new();
    const uint32_t mask = BAL_AUDIO_STATUS_RATE_MASK | BAL_AUDIO_STATUS_LOCKED_MASK;
    for (unsigned ri = 0; ri < N_RATES; ri++) {
        for (unsigned oi = 0; oi < 4; oi++) {
            bool inside = oi < 2;
            unsigned code = inside ? rate_code(rates[ri]) : 0;
            forget_frames(b);
            b->cur_tag = NO_TAG;
            source_start(b, rates[ri] * offsets[oi], 24);
            run_frames(b, 12);
            CHECK_EQ(audio_status(b) & mask,
                     status_of(code, inside, 0, 0) & mask);
            b->src_on = false; /* the detector starts over */
            run_cycles(b, (uint64_t)(SYS_HZ / 1000));
        }
    }
    bench_free(b);
}

/* The clocks stop in the middle of the music and come back: silence while they are gone, the
 * output keeps its clocks, and playing resumes by itself, bit-exact. */
static void test_clock_loss_and_return(void)
{
    struct bench *b = bench_new();
    b->settings[0] = (struct am_settings){AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};
    source_play(b, 96000, 32);
    b->cur_tag = 0;
    run_frames(b, 40);
    CHECK(check_frames(b, 0) >= 20);
    b->src_on = false; /* mid-frame */
    run_cycles(b, (uint64_t)(SYS_HZ / 2000));
    size_t from = b->got;
    run_cycles(b, (uint64_t)(SYS_HZ / 200)); /* 5 ms */
    CHECK(b->got - from >= 470); /* still clocking at 96 kHz */
    CHECK(all_silent(b, from));
    CHECK_EQ(audio_status(b), status_of(0, false, 3, 4));
    /* back, at another rate */
    forget_frames(b);
    b->cur_tag = NO_TAG;
    source_play(b, 48000, 24); /* the gains ramp up again from silence */
    b->cur_tag = 0;
    run_frames(b, 40);
    CHECK(check_frames(b, 0) >= 30);
    CHECK_EQ(audio_status(b), status_of(2, true, 2, 2));
    bench_free(b);
}

/* Source silence, and the host mute: zeros while the input plays (the gains faded there: the
 * source changes once they are silent); the music again after, faded in. */
static void test_silence_source_and_mute(void)
{
    struct bench *b = bench_new();
    b->settings[0] = (struct am_settings){AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};
    source_play(b, 192000, 32);
    CHECK_EQ(reg_write(b, BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_SILENCE), BAL_ST_OK);
    CHECK_EQ(audio_status(b), status_of(6, true, 3, 6)); /* fading: not yet */
    wait_ramp(b, 192000);
    size_t from = b->got;
    run_frames(b, 400); /* at 48 kHz now: the source is not the input */
    CHECK(b->got - from >= 95);
    CHECK(all_silent(b, from));
    CHECK_EQ(audio_status(b), status_of(6, true, 3, 2));
    /* back to the input: the gains are silent, so it applies at once; the engine's flush for the
       rate, then the ramp up */
    CHECK_EQ(reg_write(b, BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_I2S), BAL_ST_OK);
    CHECK_EQ(audio_status(b), status_of(6, true, 3, 6));
    run_frames(b, 170);
    wait_ramp(b, 192000);
    forget_frames(b);
    b->cur_tag = 0;
    run_frames(b, 60);
    CHECK(check_frames(b, 0) >= 50);
    CHECK_EQ(reg_write(b, BAL_REG_CTRL, BAL_CTRL_MUTE_MASK), BAL_ST_OK);
    wait_ramp(b, 192000); /* down */
    from = b->got;
    run_frames(b, 60);
    CHECK(b->got - from >= 50);
    CHECK(all_silent(b, from));
    CHECK_EQ(reg_write(b, BAL_REG_CTRL, 0), BAL_ST_OK);
    wait_ramp(b, 192000); /* and up */
    forget_frames(b);
    b->cur_tag = 0;
    run_frames(b, 60);
    CHECK(check_frames(b, 0) >= 50);
    bench_free(b);
}

/* Values the map does not allow are refused and change nothing; status is read-only. */
static void test_audio_register_checks(void)
{
    struct bench *b = bench_new();
    CHECK_EQ(simhost_write(b->h, BAL_REG_ROUTE, 0x12), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_ROUTE, 5), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_ROUTE, 0x40), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_AUDIO_SOURCE, 3), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_OUT_FORMAT, 2), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_OUT_FORMAT, 3u << BAL_OUT_FORMAT_WORD_LSB), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_AUDIO_STATUS, 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, BAL_REG_OVERSAMPLE, 0x04), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_OVERSAMPLE + 1, 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, BAL_REG_AUDIO_STATUS + 1, 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(reg_read(b, BAL_REG_ROUTE), 0x12);
    CHECK_EQ(reg_read(b, BAL_REG_AUDIO_SOURCE), BAL_REG_AUDIO_SOURCE_RESET);
    CHECK_EQ(reg_read(b, BAL_REG_OUT_FORMAT), BAL_REG_OUT_FORMAT_RESET);
    CHECK_EQ(reg_read(b, BAL_REG_OVERSAMPLE), BAL_OVERSAMPLE_RATIO_X1);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TOPOLOGY, 3), BAL_ST_OK);
    CHECK_EQ(reg_read(b, BAL_REG_TOPOLOGY), 3);
    bench_free(b);
}

/* The test tone through the pins: every sample the CORDIC's bit-exact model, in all four
 * lanes as the topology says, at 48 kHz whatever the input does; THD+N at -1 dBFS measured on
 * what the DACs receive. */
static void test_tone_bit_exact_and_pure(void)
{
    enum { N = 4096, BIN = 85 }; /* 996.1 Hz, coherent in 4096 samples */
    struct bench *b = bench_new();
    uint32_t inc = BIN << 20;
    source_play(b, 96000, 32); /* an input is playing: the tone replaces it, faded */
    CHECK_EQ(reg_write(b, BAL_REG_TONE_FREQ, inc), BAL_ST_OK);
    CHECK_EQ(reg_write(b, BAL_REG_TONE_LEVEL, 2), BAL_ST_OK);
    CHECK_EQ(reg_write(b, BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_TONE), BAL_ST_OK);
    wait_ramp(b, 96000);  /* down at the input's rate, */
    run_cycles(b, (uint64_t)(170 * SYS_HZ / 48000)); /* the flush at the tone's rate, */
    wait_ramp(b, 48000);  /* and up at the tone's */
    CHECK_EQ(audio_status(b) & BAL_AUDIO_STATUS_OUT_RATE_MASK,
             BAL_AUDIO_STATUS_RATE_R48K << BAL_AUDIO_STATUS_OUT_RATE_LSB);
    b->src_on = false;
    forget_frames(b);
    run_cycles(b, (uint64_t)(N + 16) * 1024);
    /* the phase started at 0 with the tone's first sample: which sample is the first here */
    uint32_t k0 = 0;
    bool found = false;
    for (uint32_t k = 0; k < 20000 && !found && b->got > 4; k++) {
        found = true;
        for (uint32_t i = 0; i < 4 && found; i++)
            found = b->out[i][AM_LP] == tone_sample((k + i) * inc, 2);
        k0 = k;
    }
    REQUIRE(found);
    static int32_t x[N];
    size_t bad = 0, n = 0;
    for (size_t j = 0; j < b->got && n < N; j++, n++) {
        int32_t e = tone_sample((uint32_t)(k0 + n) * inc, 2);
        x[n] = b->out[j][AM_LP];
        bad += b->out[j][AM_LP] != e || b->out[j][AM_LN] != -e || b->out[j][AM_RP] != e ||
               b->out[j][AM_RN] != -e;
    }
    CHECK_EQ(n, N);
    CHECK_EQ(bad, 0);
    double amp, thdn = measure_thdn_db(x, N, BIN, &amp);
    printf("MEASURE tone at the DAC pins, %.1f Hz at -1 dBFS: THD+N %.2f dB, level %.4f dBFS\n",
           tone_hz_for_inc(inc), thdn, 20 * log10(amp / 8388607.0));
    CHECK(thdn <= -130.0);
    CHECK(fabs(20 * log10(amp / 8388606.0) + 1.0) < 0.001);
    bench_free(b);
}

/* A write, the silence reason right after it, a wait, the reason then */
struct silence_step {
    uint16_t reg;
    uint32_t value;
    unsigned at_once;  /* the reason read right after the write */
    unsigned ramps;    /* then ramps (at 192 kHz) to wait, */
    unsigned frames;   /* and input frames, */
    unsigned after;    /* and the reason then */
};

static void silence_steps(struct bench *b, const struct silence_step *st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        CHECK_EQ(simhost_write(b->h, st[i].reg, st[i].value), BAL_ST_OK);
        CHECK_EQ(silence_reason(b), st[i].at_once);
        for (unsigned r = 0; r < st[i].ramps; r++)
            wait_ramp(b, 192000);
        run_frames(b, st[i].frames);
        CHECK_EQ(silence_reason(b), st[i].after);
    }
}

/* AUDIO_STATUS.SILENCE through the reasons, each as it happens: no input after power-up, the
 * engine starting after a restart, playing, muted (fading and faded), every gain at silence
 * by the volume, a topology change fading, the source at SILENCE (changing, then it), the
 * input gone, a ratio change's flush; playing again after each. */
static void test_silence_reasons(void)
{
    enum { PLAYING = BAL_AUDIO_STATUS_SILENCE_PLAYING, STARTING = BAL_AUDIO_STATUS_SILENCE_STARTING,
           NO_SOURCE = BAL_AUDIO_STATUS_SILENCE_NO_SOURCE, NO_INPUT = BAL_AUDIO_STATUS_SILENCE_NO_INPUT,
           CHANGING = BAL_AUDIO_STATUS_SILENCE_CHANGING, MUTED = BAL_AUDIO_STATUS_SILENCE_MUTED,
           VOLUME = BAL_AUDIO_STATUS_SILENCE_VOLUME };
    static const struct silence_step at_192k[] = {
        {BAL_REG_CTRL, BAL_CTRL_MUTE_MASK, MUTED, 1, 0, MUTED},
        {BAL_REG_CTRL, 0, PLAYING, 0, 0, PLAYING},
        {BAL_REG_VOLUME, BAL_GAIN_SILENT, PLAYING, 1, 0, VOLUME}, /* on its way down, then there */
        {BAL_REG_VOLUME, 0, PLAYING, 1, 0, PLAYING},
        {BAL_REG_TOPOLOGY, BAL_TOPOLOGY_MODE_SE, CHANGING, 2, 0, PLAYING},
        {BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_SILENCE, CHANGING, 1, 0, NO_SOURCE},
        {BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_I2S, PLAYING, 0, 200, PLAYING},
    };
    static const struct silence_step at_48k[] = {
        {BAL_REG_OVERSAMPLE, BAL_OVERSAMPLE_RATIO_X8, STARTING, 0, 200, PLAYING}, /* the flush */
    };
    struct bench *b = bench_new();
    CHECK_EQ(silence_reason(b), NO_INPUT);
    CHECK_EQ(simhost_write(b->h, BAL_REG_CTRL, BAL_CTRL_SOFT_RESET_MASK), BAL_ST_OK);
    CHECK_EQ(silence_reason(b), STARTING);
    run_cycles(b, (uint64_t)(SYS_HZ / 100)); /* the coefficients' copy and the flush */
    CHECK_EQ(silence_reason(b), NO_INPUT);
    source_play(b, 192000, 32);
    CHECK_EQ(silence_reason(b), PLAYING);
    silence_steps(b, at_192k, sizeof at_192k / sizeof at_192k[0]);
    b->src_on = false;
    run_cycles(b, (uint64_t)(SYS_HZ / 1000));
    CHECK_EQ(silence_reason(b), NO_INPUT);
    source_play(b, 48000, 32);
    CHECK_EQ(silence_reason(b), PLAYING);
    silence_steps(b, at_48k, sizeof at_48k / sizeof at_48k[0]);
    bench_free(b);
}

/* ------------------------------------------------------------- the interpolation engine */

static int32_t chain_out[MAX_FRAMES][2];

/* The chain model's output channels for input frames from..to-1 (the engine's history empty
 * before `from`: silence came before), balanced stereo. Returns the number of output frames. */
static const struct ip_fir *chain_s1; /* stage 1 of the chain model: NULL, the built-in */

static size_t chain_model(const struct bench *b, size_t from, size_t to, unsigned ratio, bool nos)
{
    struct ip_engine e;
    ip_engine_init(&e);
    if (chain_s1)
        e.fir[0] = chain_s1;
    e.ratio = ratio;
    e.nos = nos;
    struct am_settings s = {AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};
    size_t n = 0;
    for (size_t k = from; k < to && n + IP_RATIO_MAX <= MAX_FRAMES; k++) {
        int32_t l, r, a, c;
        am_route(&s, b->sent_l[k], b->sent_r[k], &a, &c);
        am_channels(&s, a, c, &l, &r);
        n += ip_engine_push(&e, l, r, &chain_out[n]);
    }
    return n;
}

/* Where the model's frames start among the captured ones: at the first frame that is not silent
 * in each (the filter's outermost taps round to zero at first), silence before it. Then every
 * captured frame after it is compared: L+ and R+ the model's, L- and R- their negation.
 * Returns the frames compared and agreeing, or -1 when they do not all agree. */
static long compare_chain(const struct bench *b, size_t m, size_t *start)
{
    size_t f = 0, g = 0;
    while (f < m && !chain_out[f][0] && !chain_out[f][1])
        f++;
    while (g < b->got && !b->out[g][AM_LP] && !b->out[g][AM_RP] && !b->out[g][AM_LN] && !b->out[g][AM_RN])
        g++;
    if (f == m || g == b->got || g < f) {
        fprintf(stderr, "  no start: model silent to %zu of %zu, output to %zu of %zu\n", f, m, g, b->got);
        return -1;
    }
    *start = g - f;
    long agree = 0, bad = 0;
    for (size_t i = 0; *start + i < b->got && i < m; i++) {
        const int32_t *o = b->out[*start + i];
        bool same = o[AM_LP] == chain_out[i][0] && o[AM_RP] == chain_out[i][1] &&
                    o[AM_LN] == -chain_out[i][0] && o[AM_RN] == -chain_out[i][1];
        if (!same && bad++ < 3)
            fprintf(stderr, "  output frame %zu: %d %d %d %d, model %d %d\n", i, o[0], o[1], o[2],
                    o[3], chain_out[i][0], chain_out[i][1]);
        agree += same;
    }
    return bad ? -1 : agree;
}

/* Sets the ratio (log2) and NOS with no input playing, and waits out the history's flush */
static void engine_setting(struct bench *b, unsigned ratio_code, bool nos)
{
    b->src_on = false;
    CHECK_EQ(simhost_write(b->h, BAL_REG_OVERSAMPLE, ratio_code | (nos ? BAL_OVERSAMPLE_NOS_MASK : 0)),
             BAL_ST_OK);
    b->ratio = 1u << ratio_code;
    run_cycles(b, (uint64_t)(SYS_HZ / 200)); /* 5 ms: the flush takes 160 frames at 48 kHz */
    forget_frames(b);
}

/* The whole chain through the pins, bit-exact, at 44.1, 48, 96 and 192 kHz in every ratio the
 * rate allows, and NOS; the DACs' frame rate the input's times the ratio; L- = -L+. */
static void test_engine_rates_and_ratios(void)
{
    static const struct { double fs; unsigned code; bool nos; } cases[] = {
        {44100, 0, false}, {44100, 1, false}, {44100, 2, false}, {44100, 3, false},
        {48000, 0, false}, {48000, 1, false}, {48000, 2, false}, {48000, 3, false},
        {96000, 0, false}, {96000, 1, false}, {96000, 2, false},
        {192000, 0, false}, {192000, 1, false},
        {48000, 3, true}, {96000, 2, true},
    };
    struct bench *b = bench_new_at(false);
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double fs = cases[c].fs;
        unsigned ratio = 1u << cases[c].code;
        engine_setting(b, cases[c].code, cases[c].nos);
        /* the input locks and starts on silence; if its rate changes the ratio in force (the
           output keeps the last input's rate while none plays), the history is flushed again;
           then the lanes ramp up from silence */
        b->zero_until = 200 + RAMP_FRAMES / ratio;
        source_start(b, fs, 32);
        run_frames(b, b->zero_until + 40);
        CHECK_EQ(audio_status(b),
                 status_at(rate_code(fs), true, 3, rate_code(fs), cases[c].code));
        b->src_on = false;
        /* the frames sent but not yet played are left out */
        size_t m = chain_model(b, b->zero_until, b->sent - 6, ratio, cases[c].nos), start = 0;
        long agree = compare_chain(b, m, &start);
        printf("  %.1f kHz %ux%s: %ld output frames bit-exact from frame %zu\n", fs / 1000, ratio,
               cases[c].nos ? " NOS" : "", agree, start);
        CHECK(agree >= (long)(ratio * 36));
        /* the DACs' frame rate */
        size_t first = start + 8 * ratio, last = b->got - 1;
        double rate = (double)(last - first) * SYS_HZ / (double)(b->out_cycle[last] - b->out_cycle[first]);
        CHECK(rate > fs * ratio * 0.9995 && rate < fs * ratio * 1.0005);
        b->zero_until = 0;
    }
    CHECK_EQ(b->min_code_seen + b->pad_bits_seen, 0);
    bench_free(b);
}

static void gen_impulse(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    *l = k == b->zero_until ? AM_MAX : 0;
    *r = k == b->zero_until ? -AM_MAX : 0;
}

/* The default cascade's impulse response at 8x through the pins: bit-exact, linear phase with
 * its delay, the passband ripple from it; its stopband from one 24-bit impulse is reported (the
 * rounding of each output sample floors it near 125 dB; the tones below and test_interpmodel's
 * cascade measure the filter's own). */
/* Input frames of zeros an engine test at 48 kHz 8x starts with: the input locks and the lanes'
 * gains ramp up from silence meanwhile */
#define LEAD_IN (200 + RAMP_FRAMES / 8)

static void test_engine_impulse_response(void)
{
    enum { FRAMES = 1024, N = 8 * FRAMES };
    struct bench *b = bench_new_at(false);
    engine_setting(b, BAL_OVERSAMPLE_RATIO_X8, false);
    b->zero_until = LEAD_IN;
    b->gen = gen_impulse;
    source_start(b, 48000, 32);
    run_frames(b, LEAD_IN + FRAMES + 16);
    b->src_on = false;
    size_t m = chain_model(b, b->zero_until, b->zero_until + FRAMES, 8, false), start = 0;
    long agree = compare_chain(b, m, &start);
    CHECK(agree >= N);
    REQUIRE(agree >= N);
    static double y[N];
    size_t peak = 0;
    for (size_t i = 0; i < N; i++) {
        y[i] = b->out[start + i][AM_LP];
        if (fabs(y[i]) > fabs(y[peak]))
            peak = i;
    }
    /* the response starts where the impulse went in: the model's first output frame is its */
    fftw_complex *Y = fftw_malloc(sizeof(fftw_complex) * (N / 2 + 1));
    fftw_plan p = fftw_plan_dft_r2c_1d(N, y, Y, FFTW_ESTIMATE);
    fftw_execute(p);
    double ripple = 0.0, stop = 0.0, gain = 8.0 * AM_MAX;
    for (size_t k = 0; k <= N / 2; k++) {
        double f = 8.0 * k / N, g = hypot(Y[k][0], Y[k][1]) / gain; /* f in input rates */
        if (f <= 0.4535)
            ripple = fmax(ripple, fabs(20.0 * log10(g)));
        if (f >= 0.5465)
            stop = fmax(stop, g);
    }
    fftw_destroy_plan(p);
    fftw_free(Y);
    printf("MEASURE impulse response at the pins, 48 kHz 8x: delay %zu output samples (%.3f input "
           "samples), passband ripple +-%.7f dB to 0.4535 fs, stopband %.1f dB from one 24-bit "
           "impulse\n", peak, peak / 8.0, ripple, -20.0 * log10(stop));
    CHECK_EQ(peak, 459); /* (203 - 1) / 2 x 4 + (43 - 1) / 2 x 2 + (27 - 1) / 2 */
    CHECK(y[peak] == AM_MAX);
    int asym = 0;
    for (size_t i = 1; i <= peak; i++)
        asym += fabs(y[peak + i] - y[peak - i]) > 1;
    CHECK_EQ(asym, 0);
    CHECK(ripple <= 0.00001);
    CHECK(-20.0 * log10(stop) >= 120.0);
    bench_free(b);
}

static uint32_t dither_rng = 0x9E3779B9;
static double dither_uniform(void)
{
    dither_rng ^= dither_rng << 13;
    dither_rng ^= dither_rng >> 17;
    dither_rng ^= dither_rng << 5;
    return dither_rng / 4294967296.0;
}

static double tone_hz_now, tone_dbfs_now = -1.0;
static void gen_sine(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    double n = (double)(k - b->zero_until);
    double v = pow(10.0, tone_dbfs_now / 20.0) * sin(2.0 * M_PI * tone_hz_now / 48000.0 * n) * 8388608.0 +
               dither_uniform() - dither_uniform();
    long q = lround(v);
    *l = q > AM_MAX ? AM_MAX : q < -AM_MAX ? -AM_MAX : (int32_t)q;
    *r = -*l;
}

/* A sine (-1 dBFS unless tone_dbfs_now says) with 24-bit TPDF dither through the pins at 48 kHz, 8x: bit-exact, THD+N in
 * 20 Hz..20 kHz, and the strongest image or spur from 0.5465 fs up (to 192 kHz). */
static void tone_at_pins(double hz, struct measure_spectrum *out, struct measure_spectrum *in)
{
    enum { SETTLE = 256, NA = 4096 };
    struct bench *b = bench_new_at(false);
    size_t k0 = (size_t)lround(hz / 48000.0 * NA);
    tone_hz_now = k0 * 48000.0 / NA;
    engine_setting(b, BAL_OVERSAMPLE_RATIO_X8, false);
    b->zero_until = LEAD_IN;
    b->gen = gen_sine;
    source_start(b, 48000, 32);
    run_frames(b, LEAD_IN + SETTLE + NA + 16);
    b->src_on = false;
    size_t m = chain_model(b, b->zero_until, b->zero_until + SETTLE + NA, 8, false), start = 0;
    long agree = compare_chain(b, m, &start);
    CHECK(agree >= 8 * (SETTLE + NA));
    static int32_t x[8 * NA], xi[NA];
    bool whole = start + 8 * (SETTLE + NA) <= b->got;
    CHECK(whole);
    for (size_t i = 0; whole && i < 8 * NA; i++)
        x[i] = b->out[start + 8 * SETTLE + i][AM_LP];
    for (size_t i = 0; i < NA; i++)
        xi[i] = b->sent_l[b->zero_until + SETTLE + i];
    CHECK(measure_spectrum(x, 8 * NA, 384000.0, k0, 20.0, 20000.0, 0.5465 * 48000.0, out) == 0);
    CHECK(measure_spectrum(xi, NA, 48000.0, k0, 20.0, 20000.0, 0.5465 * 48000.0, in) == 0);
    bench_free(b);
}

static void test_engine_thdn_997hz(void)
{
    struct measure_spectrum out, in;
    tone_at_pins(997.0, &out, &in);
    printf("MEASURE at the pins, %.1f Hz -1 dBFS 48 kHz 8x: THD+N %.1f dB (20 Hz-20 kHz; the dithered "
           "input %.1f dB), worst image %.1f dBc at %.0f Hz\n", tone_hz_now, out.thdn_db, in.thdn_db,
           out.worst_db, out.worst_hz);
    CHECK(out.thdn_db <= -139.0);
    CHECK(out.worst_db <= -135.0);
}

static void test_engine_images_19997hz(void)
{
    struct measure_spectrum out, in;
    tone_at_pins(19997.0, &out, &in);
    printf("MEASURE at the pins, %.1f Hz -1 dBFS 48 kHz 8x: THD+N %.1f dB (input %.1f dB), worst "
           "image %.1f dBc at %.0f Hz\n", tone_hz_now, out.thdn_db, in.thdn_db, out.worst_db,
           out.worst_hz);
    CHECK(out.worst_db <= -135.0);
}

/* Silence until the filter is in place: after a restart of the datapath (CTRL.SOFT_RESET) the
 * coefficients are copied into the SPRAM again and the history flushed; not a sample plays
 * before FILTER_READY, then the tone comes back. */
static void test_engine_silent_until_filter_ready(void)
{
    struct bench *b = bench_new_at(false);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TONE_LEVEL, 0), BAL_ST_OK); /* full scale */
    CHECK_EQ(simhost_write(b->h, BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_TONE), BAL_ST_OK);
    run_cycles(b, (uint64_t)(SYS_HZ / 500));
    CHECK(!all_silent(b, 0));
    CHECK_EQ(simhost_write(b->h, BAL_REG_CTRL, BAL_CTRL_SOFT_RESET_MASK), BAL_ST_OK);
    uint64_t reset_at = bm_cycles(b->h->model);
    size_t from = b->got;
    uint32_t st = audio_status(b);
    CHECK_EQ(st & BAL_AUDIO_STATUS_FILTER_READY_MASK, 0);
    /* until the filter is ready: silence, at the DACs' rate all the while */
    uint64_t ready_at = 0;
    for (int i = 0; i < 200 && !ready_at; i++) {
        run_cycles(b, 4096);
        if (audio_status(b) & BAL_AUDIO_STATUS_FILTER_READY_MASK)
            ready_at = bm_cycles(b->h->model);
    }
    CHECK(ready_at > 0);
    size_t silent_to = from;
    while (silent_to < b->got && b->out_cycle[silent_to] < ready_at - 8192)
        silent_to++;
    bool quiet = true;
    for (size_t j = from; j < silent_to; j++)
        for (int i = 0; i < AM_LANES; i++)
            quiet = quiet && b->out[j][i] == 0;
    printf("MEASURE after a datapath restart: silent for %.2f ms (%zu frames), then the filter is in place\n",
           (ready_at - reset_at) / SYS_HZ * 1000.0, silent_to - from);
    CHECK(quiet);
    CHECK(silent_to - from > 1000); /* 8 x 48 kHz for the copy and the flush, ~3.3 ms */
    run_cycles(b, (uint64_t)(SYS_HZ / 500));
    CHECK(!all_silent(b, silent_to));
    bench_free(b);
}


/* ---- the stage-1 banks (rtl/audio/filter_bank.v) */

/* A Kaiser-windowed lowpass 2x interpolator of odd length, not a halfband: cutoff 0.25 of the
 * output rate, taps summing to 2.0 as quantized. */
static void lowpass(struct ip_fir *f, int taps, double beta, const char *name)
{
    memset(f, 0, sizeof *f);
    f->taps = taps;
    snprintf(f->name, sizeof f->name, "%s", name);
    double h[IP_TAPS_MAX], sum = 0, m = (taps - 1) / 2.0;
    for (int i = 0; i < taps; i++) {
        double x = (i - m) * 0.45, r = (i - m) / m; /* cutoff 0.45 fs: not a halfband */
        double w = ip_bessel_i0(beta * sqrt(fmax(0, 1 - r * r))) / ip_bessel_i0(beta);
        h[i] = (x == 0 ? 1.0 : sin(M_PI * x) / (M_PI * x)) * w;
        sum += h[i];
    }
    for (int i = 0; i < taps; i++)
        f->coef[i] = (int32_t)llround(h[i] / sum * 2.0 * IP_COEF_ONE);
}

static uint32_t filter_status(struct bench *b) { return reg_read(b, BAL_REG_FILTER_STATUS); }
static unsigned status_result(uint32_t st)
{
    return BAL_FIELD(FILTER_STATUS, RESULT, st);
}
static unsigned status_live(uint32_t st) { return st & BAL_FILTER_STATUS_LIVE_MASK; }

/* Writes taps from..to-1 of f into a bank with block writes, then name and CHECK. */
static void bank_write(struct bench *b, unsigned bank, const struct ip_fir *f, int from, int to, uint32_t check)
{
    for (int i = from; i < to; i += 128) {
        int n = to - i < 128 ? to - i : 128;
        CHECK_EQ(simhost_request(b->h, BAL_OP_WRITE, bal_filter_coef_addr(bank, (unsigned)i), (uint16_t)n,
                                 (const uint32_t *)&f->coef[i], NULL), BAL_ST_OK);
    }
    uint32_t info[3];
    bal_filter_name_words(f->name, info);
    info[2] = check;
    CHECK_EQ(simhost_request(b->h, BAL_OP_WRITE, bal_filter_info_addr(bank, 0), 3, info, NULL), BAL_ST_OK);
}

/* Runs until no switch is under way; returns the 48 kHz frames it took, or -1. */
static long wait_switch(struct bench *b)
{
    uint64_t t0 = bm_cycles(b->h->model);
    for (int n = 0; n < 400; n++) {
        if (!(filter_status(b) & BAL_FILTER_STATUS_PENDING_MASK))
            return lround((double)(bm_cycles(b->h->model) - t0) * 48000.0 / SYS_HZ);
        run_frames(b, 8);
    }
    return -1;
}

static int commit(struct bench *b, unsigned bank, unsigned taps)
{
    return simhost_write(b->h, BAL_REG_FILTER_COMMIT,
                         taps << BAL_FILTER_COMMIT_TAPS_LSB | bank << BAL_FILTER_COMMIT_BANK_LSB);
}

/* The banks' window and registers: bank 0 reads back the built-in filter and is read-only; the
 * live bank is read-only; commits of bank 0, of the live bank, of a bank not wholly written in
 * order, and of one whose CHECK is wrong are refused with their codes, and change nothing; a
 * good commit switches; selects; BUSY while a switch runs; lengths out of range, stray bits
 * and addresses outside the window refused. */
static void test_filter_bank_registers(void)
{
    struct bench *b = bench_new();
    const struct ip_fir *hb = ip_default_fir(1);
    /* bank 0: the built-in halfband, its name, CHECK and length */
    static uint32_t w[256];
    struct bal_response rs;
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, bal_filter_coef_addr(0, 0), (uint16_t)hb->taps, NULL, &rs),
             BAL_ST_OK);
    int same = 0;
    for (int i = 0; i < hb->taps; i++)
        same += (int32_t)rs.data[i] == hb->coef[i];
    CHECK_EQ(same, hb->taps);
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, bal_filter_info_addr(0, 0), 4, NULL, &rs), BAL_ST_OK);
    char name[9];
    bal_filter_name(rs.data, name);
    CHECK(strcmp(name, "halfband") == 0);
    CHECK_EQ(rs.data[2], ip_bank_check(hb->coef, hb->taps));
    CHECK_EQ(rs.data[3], (uint32_t)hb->taps << BAL_FILTER_COMMIT_TAPS_LSB);
    uint32_t st = filter_status(b);
    CHECK_EQ(st, BAL_REG_FILTER_STATUS_RESET);
    /* what may not be written, or addressed */
    CHECK_EQ(simhost_write(b->h, bal_filter_coef_addr(0, 5), 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, bal_filter_info_addr(0, 0), 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, bal_filter_info_addr(2, 3), 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_STATUS, 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT + 1, 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, 0x8900, 0), BAL_ST_BAD_ADDR);
    bool ok;
    simhost_read(b->h, 0x8FFF, &ok);
    CHECK(!ok);
    CHECK_EQ(commit(b, 1, 1), BAL_ST_BAD_VALUE);
    CHECK_EQ(commit(b, 1, BAL_FILTER_TAPS_MAX + 1), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_COMMIT, (95u << 8) | 1u | 0x8u), BAL_ST_BAD_VALUE);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 0x10), BAL_ST_BAD_VALUE);
    CHECK_EQ(reg_read(b, BAL_REG_FILTER_COMMIT), 0);
    /* refusals */
    static struct ip_fir f;
    lowpass(&f, 95, 9.0, "lp95");
    uint32_t check = ip_bank_check(f.coef, f.taps);
    CHECK_EQ(commit(b, 0, 95), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_BUILT_IN);
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK); /* nothing written (zeros, or what power-up left) */
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    bank_write(b, 3, &f, 0, 50, check); /* half of it */
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    bank_write(b, 3, &f, 60, 95, check); /* the rest, but a gap */
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    CHECK_EQ(commit(b, 3, 94), BAL_ST_OK); /* the length wrong */
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    bank_write(b, 3, &f, 0, 95, check ^ 1); /* whole, a wrong CHECK */
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK);
    st = filter_status(b);
    CHECK_EQ(status_result(st), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    CHECK_EQ(st & ~BAL_FILTER_STATUS_RESULT_MASK, BAL_REG_FILTER_STATUS_RESET); /* nothing else moved */
    f.coef[40] ^= 0x100; /* a tap corrupted on the way: the CHECK is the host's */
    bank_write(b, 3, &f, 0, 95, check);
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    f.coef[40] ^= 0x100;
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 3), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_EMPTY);
    CHECK_EQ(status_live(filter_status(b)), 0);
    /* a good commit: verified, then the switch, BUSY meanwhile */
    bank_write(b, 3, &f, 0, 95, check);
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK);
    st = filter_status(b);
    CHECK_EQ(status_result(st), BAL_FILTER_STATUS_RESULT_OK);
    CHECK(st & BAL_FILTER_STATUS_PENDING_MASK);
    CHECK_EQ(simhost_write(b->h, bal_filter_coef_addr(4, 0), 1), BAL_ST_BUSY);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 0), BAL_ST_BUSY);
    long frames = wait_switch(b);
    printf("MEASURE a filter switch at 48 kHz: %ld frames (%.1f ms) from commit to its end (the gains then ramp up)\n",
           frames, frames / 48.0);
    /* no input plays, so the gains are silent already: the swap and the engine's flush (160
       frames) only; the fade under audio: test_filter_switch_click_free */
    CHECK(frames >= 150 && frames < 400);
    st = filter_status(b);
    CHECK_EQ(status_live(st), 3);
    CHECK_EQ(BAL_FIELD(FILTER_STATUS, TAPS, st), 95);
    CHECK_EQ(BAL_FIELD(FILTER_STATUS, VALID, st), 0x09);
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, bal_filter_info_addr(3, 0), 4, NULL, &rs), BAL_ST_OK);
    CHECK_EQ(rs.data[3], (95u << BAL_FILTER_COMMIT_TAPS_LSB) | 3u);
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, bal_filter_coef_addr(3, 0), 95, NULL, &rs), BAL_ST_OK);
    CHECK_EQ(memcmp(rs.data, f.coef, 95 * 4), 0);
    /* the live bank is read-only; a commit of it is refused */
    CHECK_EQ(simhost_write(b->h, bal_filter_coef_addr(3, 0), 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(simhost_write(b->h, bal_filter_info_addr(3, 0), 0), BAL_ST_BAD_ADDR);
    CHECK_EQ(commit(b, 3, 95), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_LIVE);
    /* select: back to 0, and to 3 again (still committed) */
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 0), BAL_ST_OK);
    CHECK(wait_switch(b) >= 0);
    CHECK_EQ(status_live(filter_status(b)), 0);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 3), BAL_ST_OK);
    CHECK(wait_switch(b) >= 0);
    st = filter_status(b);
    CHECK_EQ(status_live(st), 3);
    CHECK_EQ(status_result(st), BAL_FILTER_STATUS_RESULT_OK);
    CHECK_EQ(BAL_FIELD(FILTER_STATUS, TAPS, st), 95);
    /* a bank written again is no longer committed */
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 0), BAL_ST_OK);
    CHECK(wait_switch(b) >= 0);
    CHECK_EQ(simhost_write(b->h, bal_filter_coef_addr(3, 7), 0), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_FILTER_SELECT, 3), BAL_ST_OK);
    CHECK_EQ(status_result(filter_status(b)), BAL_FILTER_STATUS_RESULT_EMPTY);
    CHECK_EQ(BAL_FIELD(FILTER_STATUS, VALID, filter_status(b)), 0x01);
    (void)w;
    bench_free(b);
}

/* Half full scale: the zero-order hold's response overshoots full scale in stages 2 and 3 */
static void gen_impulse_half(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    *l = k == b->zero_until ? AM_MAX / 2 : 0;
    *r = k == b->zero_until ? -(AM_MAX / 2) : 0;
}

/* f written to a bank, committed and switched to at 48 kHz 8x, then an impulse from `gen`
 * through the whole chain: the output frames bit-exact with the chain model that has f as stage
 * 1 (compare_chain's count, -1 if any differ); the model's frames in chain_out[0..*m), where
 * the pins' frames start in b->out at *start. */
static long loaded_impulse(struct bench *b, unsigned bank, const struct ip_fir *f,
                           void (*gen)(struct bench *, size_t, int32_t *, int32_t *), size_t frames,
                           size_t *m, size_t *start)
{
    engine_setting(b, BAL_OVERSAMPLE_RATIO_X8, false);
    bank_write(b, bank, f, 0, f->taps, ip_bank_check(f->coef, f->taps));
    CHECK_EQ(commit(b, bank, (unsigned)f->taps), BAL_ST_OK);
    CHECK(wait_switch(b) >= 0);
    CHECK_EQ(status_live(filter_status(b)), bank);
    forget_frames(b);
    b->zero_until = 200 + RAMP_FRAMES / 8; /* the gains back up from the switch's silence */
    b->gen = gen;
    source_start(b, 48000, 32);
    run_frames(b, b->zero_until + frames + 16);
    b->src_on = false;
    chain_s1 = f;
    *m = chain_model(b, b->zero_until, b->zero_until + frames, 8, false);
    *start = 0;
    long agree = compare_chain(b, *m, start);
    chain_s1 = NULL;
    return agree;
}

/* A loaded filter in the whole chain at 48 kHz 8x: the impulse response at the pins bit-exact
 * against the chain model with that filter as stage 1. */
static void test_filter_bank_impulse(void)
{
    enum { FRAMES = 256 };
    static struct ip_fir f;
    lowpass(&f, 127, 10.0, "lp127");
    struct bench *b = bench_new_at(false);
    size_t m, start;
    long agree = loaded_impulse(b, 5, &f, gen_impulse, FRAMES, &m, &start);
    printf("MEASURE a loaded 127-tap filter (bank 5) at the pins, 48 kHz 8x: %ld output frames of its impulse "
           "response bit-exact\n", agree);
    CHECK(agree >= 8 * FRAMES);
    bench_free(b);
}

/* The output index where chain_out[from..m) sits among the captured frames (L+ and R+ equal,
 * L- and R- their negation), searched from `lo`; -1 when nowhere. */
static long find_chain(const struct bench *b, size_t from, size_t m, size_t lo)
{
    for (size_t d = lo; d + m <= b->got; d++) {
        size_t i = from;
        for (; i < m; i++) {
            const int32_t *o = b->out[d + i];
            if (o[AM_LP] != chain_out[i][0] || o[AM_RP] != chain_out[i][1] || o[AM_LN] != -chain_out[i][0] ||
                o[AM_RN] != -chain_out[i][1])
                break;
        }
        if (i == m)
            return (long)d;
    }
    return -1;
}

static int64_t max_step(const struct bench *b, size_t from, size_t to)
{
    int64_t m = 0;
    for (size_t i = from + 1; i < to; i++) {
        int64_t d = llabs((int64_t)b->out[i][AM_LP] - b->out[i - 1][AM_LP]);
        m = d > m ? d : m;
    }
    return m;
}

/* A commit while a -1 dBFS 997 Hz tone plays at 48 kHz 8x: the output fades to silence and back
 * with no step from one output sample to the next beyond the tone's own largest and the fade's
 * slope (the ramp limit), and is
 * bit-exact with the chain model before the switch (the built-in filter) and after it (the
 * loaded one). */
static void test_filter_switch_click_free(void)
{
    static struct ip_fir f;
    lowpass(&f, 127, 10.0, "lp127");
    struct bench *b = bench_new_at(false);
    engine_setting(b, BAL_OVERSAMPLE_RATIO_X8, false);
    bank_write(b, 2, &f, 0, f.taps, ip_bank_check(f.coef, f.taps));
    tone_hz_now = 997.0;
    b->zero_until = LEAD_IN;
    b->gen = gen_sine;
    source_start(b, 48000, 32);
    run_frames(b, LEAD_IN + 600);
    size_t got_before = b->got, sent_before = b->sent;
    CHECK_EQ(commit(b, 2, (unsigned)f.taps), BAL_ST_OK);
    long frames = wait_switch(b);
    CHECK(frames > 0);
    size_t sent_after = b->sent, got_switched = b->got;
    run_frames(b, 400 + RAMP_FRAMES / 8); /* the gains back up, then the comparison */
    b->src_on = false;
    /* before: the built-in filter, bit-exact */
    size_t m = chain_model(b, b->zero_until, sent_before - 8, 8, false), start = 0;
    long agree = compare_chain(b, m, &start);
    CHECK(agree >= 8 * 500);
    /* the largest step from one output sample to the next: the tone's own before and after
     * the switch (each filter's), and over the switch (fade, silence, fade) */
    int64_t before = max_step(b, start + 8 * 300, got_before), across = max_step(b, got_before, got_switched);
    int64_t after = max_step(b, got_switched + 8 * 200, b->got), steady = before > after ? before : after;
    size_t quiet = 0, run = 0;
    for (size_t i = got_before; i < got_switched; i++) {
        run = b->out[i][AM_LP] == 0 ? run + 1 : 0;
        quiet = run > quiet ? run : quiet;
    }
    printf("MEASURE a filter switch under a -1 dBFS 997 Hz tone, 48 kHz 8x: largest step across it %lld LSB (the "
           "tone's own %lld before, %lld after), silent for %zu output samples at the swap, %ld input frames from "
           "commit to the switch's end\n", (long long)across, (long long)before, (long long)after, quiet,
           frames);
    CHECK(before > 0 && after > 0);
    /* the ramp limit: the tone's own step, plus what the fade adds at full scale (the gains
     * move by at most GAIN_STEP a frame: 2^23 (10^(GAIN_STEP / 5120) - 1)); a click is far
     * larger */
    CHECK(across <= steady + (int64_t)ldexp(pow(10.0, BAL_GAIN_STEP / 5120.0) - 1.0, 23));
    CHECK(quiet >= 8 * 100); /* the old filter rang out before the swap */
    /* after: the loaded filter, bit-exact, once its history holds only frames played whole */
    chain_s1 = &f;
    m = chain_model(b, sent_after + 8, b->sent - 8, 8, false);
    chain_s1 = NULL;
    size_t from = RAMP_FRAMES + 8 * 150; /* past the gains' ramp back up */
    long at = find_chain(b, from, m, got_before);
    printf("MEASURE after the switch: %zu output frames bit-exact with the loaded filter\n",
           at >= 0 && m > from ? m - from : 0);
    CHECK(at >= 0);
    bench_free(b);
}

/* The level of a response h (n taps at rate fs) at f, relative to its level at DC, in dB */
static double rel_level_db(const double *h, size_t n, double fs, double f)
{
    double re = 0, im = 0, dc = 0;
    for (size_t i = 0; i < n; i++) {
        re += h[i] * cos(2 * M_PI * f * (double)i / fs);
        im -= h[i] * sin(2 * M_PI * f * (double)i / fs);
        dc += h[i];
    }
    return 20 * log10(hypot(re, im) / fabs(dc));
}

/* Each type balctl designs (host/fir_design.c, its defaults at 48 kHz), written to a bank,
 * committed and switched to: its impulse response at the pins at 48 kHz 8x is bit-exact with the
 * chain model that has the design as stage 1, and its level measured from the pins' response at
 * 1, 20 and 24 kHz (fs/2) is the design's own (stages 2 and 3 pass these flat), or below
 * -100 dB where the design is; apodizing's at fs/2 at least 6 dB down. */
static void test_filter_types_impulse(void)
{
    static const enum bal_fir_type types[] = {BAL_FIR_LINEAR, BAL_FIR_MINIMUM, BAL_FIR_APODIZING, BAL_FIR_NOS};
    static const double at_hz[] = {1000, 20000, 24000};
    enum { FRAMES = 256, N = 8 * FRAMES };
    static struct bal_filter d;
    static struct ip_fir f;
    static double hm[N], hd[BAL_FILTER_TAPS_MAX];
    for (unsigned t = 0; t < 4; t++) {
        struct bal_fir_spec spec;
        char err[200];
        bal_fir_defaults(types[t], 48000, &spec);
        REQUIRE(bal_fir_design(&spec, &d, err, sizeof err));
        memset(&f, 0, sizeof f);
        f.taps = d.taps;
        memcpy(f.coef, d.coef, sizeof(int32_t) * (size_t)d.taps);
        snprintf(f.name, sizeof f.name, "%s", d.name);
        unsigned bank = 1 + t;
        struct bench *b = bench_new_at(false);
        size_t m, start;
        long agree = loaded_impulse(b, bank, &f, gen_impulse_half, FRAMES, &m, &start);
        CHECK(agree >= N);
        /* the pins' response from its first sample that is not zero (the model's lead skipped) */
        size_t lead = 0;
        while (lead < m && !chain_out[lead][0])
            lead++;
        size_t n = 0;
        for (; n < N && start + lead + n < b->got; n++)
            hm[n] = b->out[start + lead + n][AM_LP];
        for (int i = 0; i < d.taps; i++)
            hd[i] = d.coef[i];
        double worst = 0;
        printf("MEASURE %s (%d taps, bank %u) at the pins, 48 kHz 8x: %ld output frames bit-exact; level",
               bal_fir_type_name(types[t]), d.taps, bank, agree);
        for (size_t k = 0; k < sizeof at_hz / sizeof at_hz[0]; k++) {
            double got = rel_level_db(hm, n, 384000.0, at_hz[k]), want = rel_level_db(hd, (size_t)d.taps, 96000.0, at_hz[k]);
            printf(" %.0f Hz %.4f dB (design %.4f)", at_hz[k], got, want);
            if (want > -100)
                worst = fmax(worst, fabs(got - want));
            else /* below what one half-scale 24-bit impulse can show */
                CHECK(got < -100);
            if (types[t] == BAL_FIR_APODIZING && at_hz[k] == 24000)
                CHECK(got <= -6.0);
        }
        printf("\n");
        CHECK_EQ(n, N);
        CHECK(worst < 0.01);
        bench_free(b);
    }
}

/* An upload cut short while the input plays: half a bank written, then a commit of it (the host
 * that wrote it gone, a script that carries on): refused, and the output stays bit-exact with
 * the built-in filter's chain model through all of it, the live bank read back as it was. */
static void test_filter_upload_cut_short_audio(void)
{
    static struct ip_fir f;
    static uint32_t live_before[256];
    lowpass(&f, 127, 10.0, "lp127");
    struct bench *b = bench_new_at(false);
    engine_setting(b, BAL_OVERSAMPLE_RATIO_X8, false);
    struct bal_response rs;
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, bal_filter_coef_addr(0, 0), 203, NULL, &rs), BAL_ST_OK);
    memcpy(live_before, rs.data, 203 * 4);
    tone_hz_now = 997.0;
    b->zero_until = LEAD_IN;
    b->gen = gen_sine;
    source_start(b, 48000, 32);
    run_frames(b, LEAD_IN + 300);
    bank_write(b, 2, &f, 0, 64, ip_bank_check(f.coef, f.taps)); /* 64 of 127 taps, then gone */
    run_frames(b, 50);
    CHECK_EQ(commit(b, 2, (unsigned)f.taps), BAL_ST_OK);
    uint32_t st = filter_status(b);
    CHECK_EQ(status_result(st), BAL_FILTER_STATUS_RESULT_BAD_CHECK);
    CHECK_EQ(status_live(st), 0);
    CHECK_EQ(st & BAL_FILTER_STATUS_PENDING_MASK, 0);
    run_frames(b, 300);
    b->src_on = false;
    size_t m = chain_model(b, b->zero_until, b->sent - 8, 8, false), start = 0;
    long agree = compare_chain(b, m, &start);
    printf("MEASURE half a bank written and its commit refused under a 997 Hz tone: %ld output frames "
           "bit-exact with the built-in filter throughout\n", agree);
    CHECK(agree >= 8 * 700);
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, bal_filter_coef_addr(0, 0), 203, NULL, &rs), BAL_ST_OK);
    CHECK_EQ(memcmp(rs.data, live_before, 203 * 4), 0);
    bench_free(b);
}

/* ------------------------------------------------------------------ lane gains */

struct gain_case {
    unsigned volume, ceiling, word, topology;
    int trim[GM_LANES]; /* by gm_lane: L+, R+, L-, R- */
    bool dither;
};

static const uint16_t trim_reg[GM_LANES] = {BAL_REG_TRIM_LP, BAL_REG_TRIM_RP, BAL_REG_TRIM_LN,
                                            BAL_REG_TRIM_RN};
static const int am_of_gm[GM_LANES] = {AM_LP, AM_RP, AM_LN, AM_RN};

static struct gm_settings gain_settings(const struct gain_case *c)
{
    struct gm_settings g = {0};
    g.volume = c->volume;
    g.ceiling = c->ceiling;
    g.topology = c->topology;
    g.word = c->word;
    g.dither = c->dither;
    for (int k = 0; k < GM_LANES; k++)
        g.trim[k] = c->trim[k];
    return g;
}

/* The registers of a case, straight through the link (as a host that bypasses balctl would) */
static void gain_registers(struct bench *b, const struct gain_case *c)
{
    CHECK_EQ(simhost_write(b->h, BAL_REG_VOLUME, c->volume), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_CEILING, c->ceiling), BAL_ST_OK);
    for (int k = 0; k < GM_LANES; k++)
        CHECK_EQ(simhost_write(b->h, trim_reg[k], (uint32_t)c->trim[k] & 0x3FF), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_OUT_FORMAT, (c->word << BAL_OUT_FORMAT_WORD_LSB) |
                                                      ((uint32_t)c->dither << BAL_OUT_FORMAT_DITHER_LSB)),
             BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TOPOLOGY, c->topology), BAL_ST_OK);
}

/* The model's four words (by am_lane) for input frame k once the gains have settled, the
 * channels' LFSRs at (ll, lr). */
static void gain_expect(const struct bench *b, const struct gm_settings *g, size_t k, uint32_t ll,
                        uint32_t lr, uint32_t w[AM_LANES])
{
    struct am_settings s = {AM_ROUTE_STEREO, false, false, (enum am_topology)g->topology};
    int32_t a, c, x[2];
    am_route(&s, am_from_slot(b->words[k][0], b->slot_in), am_from_slot(b->words[k][1], b->slot_in), &a, &c);
    am_channels(&s, a, c, &x[0], &x[1]);
    for (int lane = 0; lane < GM_LANES; lane++) {
        unsigned cur = gm_target(g, (enum gm_lane)lane), f = gm_flags(g, (enum gm_lane)lane, cur);
        int ch = lane & 1;
        int32_t rd = (f & GM_F_DITHER) ? gm_dither(ch ? lr : ll) : GM_RD_NONE;
        w[am_of_gm[lane]] = gm_lane_word(x[ch], gm_gain(cur), f, rd);
    }
}

static void lfsr_frames(uint32_t *ll, uint32_t *lr, unsigned n)
{
    uint32_t lfsr[2] = {*ll, *lr};
    for (unsigned i = 0; i < n; i++)
        gm_lfsr_frame(lfsr);
    *ll = lfsr[0];
    *lr = lfsr[1];
}

/* Every tagged input frame's four words as the gain model says, once settled: finds the output
 * frame of the first and the dither's place (the LFSRs step once a frame since reset; MATCH
 * frames must agree, as a lane's dither changes its word by one LSB about half the time), then
 * compares them all. Returns the frames compared, or 0 when the start is not found. */
#define MATCH 32
static size_t check_gain_frames(struct bench *b, const struct gm_settings *g)
{
    size_t first = 0;
    while (first < b->sent && b->tag[first] == NO_TAG)
        first++;
    uint32_t ll = GM_LFSR_SEED_L, lr = GM_LFSR_SEED_R;
    bool found = false;
    size_t j0 = 0;
    for (unsigned n = 0; n < (1u << 20) && !found; n++) {
        uint32_t e[AM_LANES];
        for (size_t j = 0; j < 16 && j + MATCH <= b->got && !found; j++) {
            uint32_t l2 = ll, r2 = lr;
            found = true;
            for (size_t i = 0; i < MATCH && found; i++) {
                gain_expect(b, g, first + i, l2, r2, e);
                found = memcmp(b->word[j + i], e, sizeof e) == 0;
                lfsr_frames(&l2, &r2, 1);
            }
            j0 = j;
        }
        if (!found) {
            if (!g->dither)
                break;
            lfsr_frames(&ll, &lr, 1);
        }
    }
    CHECK(found);
    if (!found)
        return 0;
    size_t compared = 0, bad = 0;
    for (size_t k = first; k < b->sent && j0 + (k - first) < b->got; k++) {
        uint32_t e[AM_LANES];
        gain_expect(b, g, k, ll, lr, e);
        lfsr_frames(&ll, &lr, 1);
        if (b->tag[k] == NO_TAG)
            continue;
        const uint32_t *o = b->word[j0 + (k - first)];
        if (memcmp(o, e, sizeof e) && bad++ < 3)
            fprintf(stderr, "  frame %zu: got %08x %08x %08x %08x, expected %08x %08x %08x %08x\n", k,
                    o[0], o[1], o[2], o[3], e[0], e[1], e[2], e[3]);
        compared++;
    }
    CHECK_EQ(bad, 0);
    return compared;
}

/* Volume, trims, ceiling, word length, dither and topology through the registers, each case
 * once its ramps are done: every lane's word bit-exact with the model (dither included, its
 * place found once), L- = -L+ exactly where the topology mirrors and the trims agree. */
static void test_lane_gains_bit_exact(void)
{
    static const struct gain_case cases[] = {
        {1541, 0, BAL_OUT_FORMAT_WORD_BITS24, AM_TOPO_BALANCED, {0, 0, 0, 0}, true},
        {2560, 0, BAL_OUT_FORMAT_WORD_BITS24, AM_TOPO_BALANCED, {128, -64, 256, -512}, false},
        {2560, 0, BAL_OUT_FORMAT_WORD_BITS32, AM_TOPO_BALANCED, {128, -64, 256, -512}, true},
        {5120, 0, BAL_OUT_FORMAT_WORD_BITS16, AM_TOPO_SE, {0, 0, 0, 0}, true},
        {0, 768, BAL_OUT_FORMAT_WORD_BITS24, AM_TOPO_PARALLEL, {256, 511, -3, 0}, true},
        {32640, 0, BAL_OUT_FORMAT_WORD_BITS32, AM_TOPO_MONO, {0, 0, 0, 0}, true},
        {77, 0, BAL_OUT_FORMAT_WORD_BITS32, AM_TOPO_BALANCED, {5, 5, 5, 5}, true},
    };
    struct bench *b = bench_new();
    source_play(b, 48000, 24);
    size_t total = 0;
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct gm_settings g = gain_settings(&cases[c]);
        b->cur_tag = NO_TAG;
        gain_registers(b, &cases[c]);
        wait_ramp(b, 48000); /* a topology change fades through silence: down, */
        wait_ramp(b, 48000); /* and up */
        forget_frames(b);
        b->settings[0] = (struct am_settings){AM_ROUTE_STEREO, false, false, (enum am_topology)cases[c].topology};
        b->cur_tag = 0;
        run_frames(b, 200);
        size_t n = check_gain_frames(b, &g);
        CHECK(n >= 150);
        total += n;
        bool mirror = (cases[c].topology == AM_TOPO_BALANCED || cases[c].topology == AM_TOPO_MONO) &&
                      cases[c].trim[GM_LP] == cases[c].trim[GM_LN] && cases[c].trim[GM_RP] == cases[c].trim[GM_RN];
        size_t mirrored = 0;
        for (size_t j = 0; mirror && j < b->got; j++) {
            CHECK(b->word[j][AM_LN] == (uint32_t)-b->word[j][AM_LP] &&
                  b->word[j][AM_RN] == (uint32_t)-b->word[j][AM_RP]);
            mirrored++;
        }
        printf("  case %u: %zu frames bit-exact%s\n", c, n, mirror ? ", L- = -L+ in every one" : "");
    }
    CHECK(total >= 7 * 150);
    bench_free(b);
}

/* ---- what the requantization leaves: THD+N and dynamic range at each word length */

/* The noise, relative to full scale, of requantizing to N bits with TPDF dither: LSB^2 / 4
 * (the rounding's LSB^2 / 12 and the dither's 2 LSB^2 / 12), white over the output's Nyquist
 * band, the part of it within [f_lo, f_hi]. dBFS: against a full-scale sine's power. */
static double requant_noise_dbfs(unsigned bits, double fs_out, double f_lo, double f_hi)
{
    double lsb = ldexp(1.0, 1 - (int)bits); /* full scale 1.0 */
    return 10.0 * log10(lsb * lsb / 4.0 * (f_hi - f_lo) / (fs_out / 2.0) / 0.5);
}

/* The noise floor of a capture in dBFS (full scale fs_code), from its THD+N and amplitude */
static double floor_dbfs(const struct measure_spectrum *m, double fs_code)
{
    return m->thdn_db + 20.0 * log10(m->amplitude / fs_code);
}

static double db_sum(double a, double b)
{
    return 10.0 * log10(pow(10.0, a / 10.0) + pow(10.0, b / 10.0));
}

/* One segment under way: sets the word length (dither on), lets the filter settle on the tone,
 * takes 8 x NA output frames of L+ as the DACs got them (all 32 bits of the slot) and the NA
 * input frames sent meanwhile. */
enum { DR_NA = 4096, DR_SETTLE = 256 };
static void capture_segment(struct bench *b, unsigned word, int32_t *out, int32_t *in)
{
    CHECK_EQ(simhost_write(b->h, BAL_REG_OUT_FORMAT, word << BAL_OUT_FORMAT_WORD_LSB | BAL_OUT_FORMAT_DITHER_MASK),
             BAL_ST_OK);
    forget_frames(b);
    run_frames(b, DR_SETTLE);
    size_t got0 = b->got, sent0 = b->sent;
    run_frames(b, DR_NA + 1);
    CHECK(got0 + 8 * DR_NA <= b->got && sent0 + DR_NA <= b->sent);
    for (size_t i = 0; i < 8 * DR_NA; i++)
        out[i] = got0 + i < b->got ? (int32_t)b->word[got0 + i][AM_LP] : 0;
    for (size_t i = 0; i < DR_NA; i++)
        in[i] = b->sent_l[sent0 + i];
}

/* A 997 Hz sine with 24-bit TPDF dither through the whole chain (I2S in, the 8x filter, the
 * gains at 0 dB, dither on): THD+N at -1 dBFS with 32-bit words (24-bit words:
 * test_engine_thdn_997hz), and the dynamic range by the -60 dBFS method (AES17: THD+N of a
 * -60 dBFS tone in 20 Hz..20 kHz, plus 60 dB) at 16, 24 and 32 bits. Each is held against
 * what requantizing to N bits with TPDF dither allows, 6.02 N + 1.76 - 4.77 dB over the output's
 * Nyquist band (the band 20 Hz..20 kHz takes 10.8 % of it at 384 kHz), together with the
 * 24-bit input's own dithered floor, measured: at 24 and 32 bits the input sets the floor. */
static void test_output_thdn_and_dynamic_range(void)
{
    static const unsigned words[] = {BAL_OUT_FORMAT_WORD_BITS16, BAL_OUT_FORMAT_WORD_BITS24,
                                     BAL_OUT_FORMAT_WORD_BITS32};
    static const unsigned bits[] = {16, 24, 32};
    static int32_t out[8 * DR_NA], in[DR_NA];
    const double fs_out = 384000.0, fs32 = 2147483648.0;
    struct bench *b = bench_new_at(false);
    size_t k0 = (size_t)lround(997.0 / 48000.0 * DR_NA);
    tone_hz_now = k0 * 48000.0 / DR_NA;
    engine_setting(b, BAL_OVERSAMPLE_RATIO_X8, false);
    b->gen = gen_sine;
    source_play(b, 48000, 32);
    struct measure_spectrum mo, mi;
    /* -1 dBFS at 32 bits */
    capture_segment(b, BAL_OUT_FORMAT_WORD_BITS32, out, in);
    CHECK(measure_spectrum(out, 8 * DR_NA, fs_out, k0, 20.0, 20000.0, 0.5465 * 48000.0, &mo) == 0);
    CHECK(measure_spectrum(in, DR_NA, 48000.0, k0, 20.0, 20000.0, 0.5465 * 48000.0, &mi) == 0);
    printf("MEASURE %.1f Hz -1 dBFS through the chain, 48 kHz 8x, 32-bit words, dither on: THD+N %.1f dB "
           "(20 Hz-20 kHz; the dithered 24-bit input %.1f dB), level %.4f dBFS\n", tone_hz_now,
           mo.thdn_db, mi.thdn_db, 20.0 * log10(mo.amplitude / fs32));
    CHECK(mo.thdn_db <= -139.0);
    CHECK(fabs(20.0 * log10(mo.amplitude / fs32) + 1.0) < 0.01);
    /* -60 dBFS at each word length */
    tone_dbfs_now = -60.0;
    for (unsigned w = 0; w < 3; w++) {
        capture_segment(b, words[w], out, in);
        CHECK(measure_spectrum(out, 8 * DR_NA, fs_out, k0, 20.0, 20000.0, 0.5465 * 48000.0, &mo) == 0);
        CHECK(measure_spectrum(in, DR_NA, 48000.0, k0, 20.0, 20000.0, 0.5465 * 48000.0, &mi) == 0);
        double dr = -mo.thdn_db + 60.0, level = 20.0 * log10(mo.amplitude / fs32);
        double theory = 6.02 * bits[w] + 1.76 - 4.77;
        double word_floor = requant_noise_dbfs(bits[w], fs_out, 20.0, 20000.0);
        double input_floor = floor_dbfs(&mi, 8388608.0);
        double expect = -db_sum(word_floor, input_floor);
        printf("MEASURE dynamic range at %u bits (-60 dBFS method, 20 Hz-20 kHz, 48 kHz 8x, dither on): "
               "%.1f dB (6.02 N + 1.76 - 4.77 = %.1f dB over the Nyquist band, %.1f dB in band at 8x; "
               "the 24-bit input's floor %.1f dBFS; both together %.1f dB); tone at %.3f dBFS\n",
               bits[w], dr, theory, -word_floor, input_floor, expect, level);
        CHECK(fabs(level + 60.0) < 0.05);
        CHECK(dr >= expect - 1.0);
        if (bits[w] <= 24)
            CHECK(dr >= theory); /* within what the 24-bit input carries */
    }
    tone_dbfs_now = -1.0;
    CHECK_EQ(b->min_code_seen, 0);
    bench_free(b);
}

/* ---- the gains' steps, ramp time, ceiling and tracking, measured on DC */

#define STEP_LIMIT_DB 0.05
static const int32_t DC_IN = 0x5A5A5A; /* -3.1 dBFS, both channels */

static void gen_dc(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    (void)b;
    (void)k;
    *l = *r = DC_IN;
}

/* A lane's magnitude in frame j, 32-bit units (its sign checked beyond `quiet`: plus lanes carry
 * the input's positive DC) */
static int64_t lane_mag(const struct bench *b, size_t j, int lane, int64_t quiet, unsigned *sign_errors)
{
    int32_t y = (int32_t)b->word[j][lane];
    bool minus = lane == AM_LN || lane == AM_RN;
    if (minus ? y > quiet : y < -quiet)
        (*sign_errors)++;
    return y < 0 ? -(int64_t)y : y;
}

struct step_scan {
    double worst_db;    /* the largest step between frames both at or above -60 dBFS */
    double worst_low_db; /* between -90 and -60 dBFS, where the Q1.23 gain's own quantum shows */
    int64_t worst_abs;  /* the largest step below that, 32-bit LSB */
    unsigned over;      /* steps beyond STEP_LIMIT_DB and two 24-bit LSB */
    unsigned sign_errors;
};

/* Takes another scan's worst steps and counts into all */
static void steps_merge(struct step_scan *all, const struct step_scan *s)
{
    all->worst_db = fmax(all->worst_db, s->worst_db);
    all->worst_low_db = fmax(all->worst_low_db, s->worst_low_db);
    all->worst_abs = s->worst_abs > all->worst_abs ? s->worst_abs : all->worst_abs;
    all->over += s->over;
    all->sign_errors += s->sign_errors;
}

/* Every lane's step from frame to frame over frames from..to-1: at most STEP_LIMIT_DB, or tol24
 * LSB of a 24-bit word near silence (undithered: 2, where one step of the Q1.23 gain is a 24-bit
 * LSB and the first step out of exact zero is one; dithered: 4, the dither's +-1 LSB on each). */
static struct step_scan scan_steps(const struct bench *b, size_t from, size_t to, int tol24)
{
    struct step_scan s = {0, 0, 0, 0, 0};
    const double r = pow(10.0, STEP_LIMIT_DB / 20.0);
    const int64_t tol = tol24 * 256 + 1, big = 1 << 21, low = 1 << 16;
    for (size_t j = from + 1; j < to; j++)
        for (int lane = 0; lane < AM_LANES; lane++) {
            int64_t a = lane_mag(b, j - 1, lane, tol, &s.sign_errors),
                    c = lane_mag(b, j, lane, tol, &s.sign_errors);
            if ((double)c > (double)a * r + tol || (double)a > (double)c * r + tol)
                s.over++;
            if (a >= big && c >= big)
                s.worst_db = fmax(s.worst_db, fabs(20.0 * log10((double)c / (double)a)));
            else if (a >= low && c >= low)
                s.worst_low_db = fmax(s.worst_low_db, fabs(20.0 * log10((double)c / (double)a)));
            else if (llabs(c - a) > s.worst_abs)
                s.worst_abs = llabs(c - a);
        }
    return s;
}

/* The output frames from `from` on until each lane's word stops changing: returns the frame
 * after the last change, and the first change in *first. */
static size_t settled_at(const struct bench *b, size_t from, size_t *first)
{
    size_t last = from;
    *first = 0;
    for (size_t j = from + 1; j < b->got; j++)
        if (memcmp(b->word[j], b->word[j - 1], sizeof b->word[j])) {
            if (!*first)
                *first = j;
            last = j + 1;
        }
    return last;
}

/* Whether every lane's word in frames from..to-1 is the model's for attenuation atten[lane]
 * (by am_lane; dither off, 32-bit words) */
static bool lanes_at(const struct bench *b, size_t from, size_t to, const unsigned atten[AM_LANES])
{
    for (size_t j = from; j < to; j++)
        for (int lane = 0; lane < AM_LANES; lane++) {
            bool minus = lane == AM_LN || lane == AM_RN;
            unsigned f = GM_WORD_32 << GM_F_BITS_SHIFT | (minus ? GM_F_NEG : 0);
            if (b->word[j][lane] != gm_lane_word(DC_IN, gm_gain(atten[lane]), f, GM_RD_NONE))
                return false;
        }
    return true;
}

struct gain_event {
    const char *what;
    uint16_t reg;
    uint32_t value;
    unsigned atten[AM_LANES]; /* where each lane must settle: L+ L- R+ R- */
    unsigned ramps;           /* 2: a change of the path, faded down and up */
};

/* Every kind of gain change on DC through the pins (1x: a ramp's step a frame; its time at
 * 48 kHz is frames / 48), 32-bit words, dither off: the largest sample-to-sample step of each lane
 * (within 0.05 dB), the frames a move takes (60 dB within 100 ms), where the lanes settle
 * (bit-exact with the model's gain), the ceiling over raw register writes that try to pass it
 * (volume 0 dB, trim +2 dB), no gain above 0 dB, and the tracking between the four lanes over
 * the volume range (identical words). The moves: the input's start (from silence), volume,
 * mute and unmute, trims, the ceiling, topology and routing (faded down, changed, faded up),
 * the source (to silence and back). A bank commit's: test_filter_switch_click_free. */
static void test_gain_steps_ceiling_tracking(void)
{
    enum { TRIM_MAX = 511, TRIM_M2 = 0x200 /* -2 dB */, S = BAL_GAIN_SILENT };
    static const struct gain_event ev[] = {
        {"volume -60 dB", BAL_REG_VOLUME, 60 * 256, {15360, 15360, 15360, 15360}, 0},
        {"volume 0 dB", BAL_REG_VOLUME, 0, {0, 0, 0, 0}, 0},
        {"mute", BAL_REG_CTRL, BAL_CTRL_MUTE_MASK, {S, S, S, S}, 0},
        {"unmute", BAL_REG_CTRL, 0, {0, 0, 0, 0}, 0},
        {"trim L- -2 dB", BAL_REG_TRIM_LN, TRIM_M2, {0, 512, 0, 0}, 0},
        {"trim L- 0", BAL_REG_TRIM_LN, 0, {0, 0, 0, 0}, 0},
        {"ceiling 30 dB", BAL_REG_CEILING, 30 * 256, {7680, 7680, 7680, 7680}, 0},
        {"trim L+ +2 dB under the ceiling", BAL_REG_TRIM_LP, TRIM_MAX, {7680, 7680, 7680, 7680}, 0},
        {"volume 0 dB under the ceiling", BAL_REG_VOLUME, 0, {7680, 7680, 7680, 7680}, 0},
        {"ceiling 0 dB, trim L+ +2 dB", BAL_REG_CEILING, 0, {0, 0, 0, 0}, 0},
        {"trim L+ 0", BAL_REG_TRIM_LP, 0, {0, 0, 0, 0}, 0},
        {"topology single-ended", BAL_REG_TOPOLOGY, BAL_TOPOLOGY_MODE_SE, {0, S, 0, S}, 2},
        {"topology balanced", BAL_REG_TOPOLOGY, BAL_TOPOLOGY_MODE_BALANCED, {0, 0, 0, 0}, 2},
        {"routing mono", BAL_REG_ROUTE, BAL_ROUTE_MODE_MONO, {0, 0, 0, 0}, 2},
        {"routing stereo", BAL_REG_ROUTE, BAL_ROUTE_MODE_STEREO, {0, 0, 0, 0}, 2},
        {"source silence", BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_SILENCE, {S, S, S, S}, 1},
        {"source input", BAL_REG_AUDIO_SOURCE, BAL_AUDIO_SOURCE_SOURCE_I2S, {0, 0, 0, 0}, 1},
    };
    struct bench *b = bench_new();
    CHECK_EQ(simhost_write(b->h, BAL_REG_OUT_FORMAT, BAL_OUT_FORMAT_WORD_BITS32 << BAL_OUT_FORMAT_WORD_LSB), BAL_ST_OK);
    forget_frames(b);
    b->gen = gen_dc;
    source_start(b, 192000, 32); /* 1x: a step a frame, as at 48 kHz, in a quarter of the time */
    /* the input appears: lock, then the ramp up from silence */
    run_frames(b, RAMP_FRAMES + 300);
    size_t first, end = settled_at(b, 0, &first);
    struct step_scan s = scan_steps(b, 0, b->got, 2), all = s;
    static const unsigned unity[AM_LANES] = {0, 0, 0, 0};
    printf("MEASURE gain from the input's start: %zu frames of ramp from silence, largest step %.4f dB "
           "(%.4f dB from -90 to -60 dBFS, %.1f 24-bit LSB below)\n", end - first, s.worst_db, s.worst_low_db,
           s.worst_abs / 256.0);
    CHECK(first > 0 && lanes_at(b, end, b->got, unity));
    for (unsigned e = 0; e < sizeof ev / sizeof ev[0]; e++) {
        size_t from = b->got;
        CHECK_EQ(simhost_write(b->h, ev[e].reg, ev[e].value), BAL_ST_OK);
        run_frames(b, (ev[e].ramps > 1 ? 2 : 1) * RAMP_FRAMES + 40);
        end = settled_at(b, from, &first);
        s = scan_steps(b, from ? from - 1 : 0, b->got, 2);
        bool at = lanes_at(b, end, b->got, ev[e].atten);
        size_t frames = first ? end - first : 0;
        printf("MEASURE gain %s: %zu frames (%.1f ms at 48 kHz 1x), largest step %.4f dB (%.4f dB from "
               "-90 to -60 dBFS, %.1f 24-bit LSB below)%s\n", ev[e].what, frames, frames / 48.0, s.worst_db,
               s.worst_low_db, s.worst_abs / 256.0, at ? "" : ", NOT where the model settles");
        CHECK(at);
        CHECK(end + 20 <= b->got);
        if (e == 0)
            CHECK(frames * 1000.0 / 44100.0 <= 100.0); /* a 60 dB move, at the slowest rate */
        steps_merge(&all, &s);
        if (b->got > MAX_FRAMES - 4 * RAMP_FRAMES) {
            CHECK(b->got < MAX_FRAMES);
            forget_frames(b);
        }
    }
    /* tracking: the four lanes' words identical in magnitude at every volume */
    double worst_track = 0.0;
    unsigned vols = 0;
    for (unsigned v = 0; v <= 140 * 256; v += 20 * 256 - 256 / 3) {
        forget_frames(b);
        CHECK_EQ(simhost_write(b->h, BAL_REG_VOLUME, v), BAL_ST_OK);
        run_frames(b, 20 * 256 / BAL_GAIN_STEP + 60);
        s = scan_steps(b, 0, b->got, 2);
        steps_merge(&all, &s); /* the tracking's volume moves are moves too */
        size_t j = b->got - 1;
        int64_t m[AM_LANES];
        unsigned dummy = 0;
        for (int lane = 0; lane < AM_LANES; lane++)
            m[lane] = lane_mag(b, j, lane, 0, &dummy);
        for (int lane = 1; lane < AM_LANES; lane++)
            if (m[0] && m[lane])
                worst_track = fmax(worst_track, fabs(20.0 * log10((double)m[lane] / (double)m[0])));
            else
                CHECK_EQ(m[lane], m[0]);
        const unsigned at[AM_LANES] = {v, v, v, v};
        CHECK(lanes_at(b, j, j + 1, at));
        vols++;
    }
    printf("MEASURE gain tracking between the four lanes at %u volumes from 0 to -140 dB: worst %.6f dB\n",
           vols, worst_track);
    printf("MEASURE largest gain step of all the moves: %.4f dB between frames at or above -60 dBFS "
           "(limit %.2f dB; %.4f dB from -90 to -60 dBFS, %.1f 24-bit LSB below); %u steps over the limit "
           "or two 24-bit LSB\n", all.worst_db, STEP_LIMIT_DB, all.worst_low_db, all.worst_abs / 256.0, all.over);
    CHECK(worst_track == 0.0);
    CHECK(all.worst_db <= STEP_LIMIT_DB && all.worst_db > 0.04);
    CHECK_EQ(all.over, 0);
    CHECK_EQ(all.sign_errors, 0);
    bench_free(b);
}

/* Power-up from a random state (Verilator's random reset, four seeds) with a DC at -0.1 dBFS on
 * the input from the first cycle, at the reset settings (8x, 24-bit words, dither on): exact
 * zeros until the gains start their ramp, its first sample below -100 dBFS, no step above
 * 0.05 dB (or four 24-bit LSB near silence, the dither's included), at 0 dB within 20 ms,
 * L- = -L+ in every frame and the dither alive (the words' lowest bit moves). */
static void gen_dc_full(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    (void)b;
    (void)k;
    *l = *r = (int32_t)(AM_MAX * 0.9886); /* -0.1 dBFS */
}

static void test_start_up_random_state(void)
{
    uint32_t ram_word[4]; /* a word of the scratch RAM no reset touches: the state did differ */
    for (uint32_t seed = 1; seed <= 4; seed++) {
        struct bench *b = bench_open(seed, 2);
        b->gen = gen_dc_full;
        source_start(b, 48000, 32);
        run_cycles(b, (uint64_t)(SYS_HZ / 50));
        size_t first = 0;
        while (first < b->got && !b->word[first][AM_LP])
            first++;
        REQUIRE(first < b->got);
        double first_dbfs = 20.0 * log10(fabs((double)(int32_t)b->word[first][AM_LP]) / 2147483648.0);
        struct step_scan st = scan_steps(b, first, b->got, 4);
        unsigned mirror = 0, lsb_moves = 0;
        for (size_t j = 0; j < b->got; j++) {
            mirror += b->word[j][AM_LN] != (uint32_t)-b->word[j][AM_LP] ||
                      b->word[j][AM_RN] != (uint32_t)-b->word[j][AM_RP];
            lsb_moves += j > 0 && ((b->word[j][AM_LP] ^ b->word[j - 1][AM_LP]) & 0x100);
        }
        int32_t last = (int32_t)b->word[b->got - 1][AM_LP];
        double last_db = 20.0 * log10((double)last / (2147483648.0 * 0.9886));
        printf("MEASURE start-up from random state (seed %u): %zu frames of zeros, the first sample %.1f dBFS, "
               "largest step %.4f dB (%.4f from -90 to -60 dBFS, %.1f 24-bit LSB below), at %.4f dB after "
               "20 ms\n", seed, first, first_dbfs, st.worst_db, st.worst_low_db, st.worst_abs / 256.0, last_db);
        CHECK(first > 1000); /* the PLL, the reset, the coefficients' copy, the flush */
        CHECK(first_dbfs < -100.0);
        CHECK_EQ(st.over, 0);
        CHECK_EQ(st.sign_errors, 0);
        CHECK(fabs(last_db) < 0.001);
        CHECK_EQ(mirror, 0);
        CHECK(lsb_moves > b->got / 8);
        CHECK_EQ(b->min_code_seen, 0);
        ram_word[seed - 1] = reg_read(b, BAL_BLK_SCRATCH_RAM_BASE + 5);
        bench_free(b);
    }
    CHECK(ram_word[0] != ram_word[1] || ram_word[1] != ram_word[2] || ram_word[2] != ram_word[3]);
}

/* ---- the meters: PEAK_* and CLIPS_*, in register order (L+, L-, R+, R-) */
struct meters {
    unsigned peak[AM_LANES], clips[AM_LANES];
    size_t at; /* output frames captured when read */
};
static const int am_of_reg[AM_LANES] = {AM_LP, AM_LN, AM_RP, AM_RN};

/* One READ of the eight words (which clears them) */
static void meters_read(struct bench *b, struct meters *m)
{
    static struct bal_response rs;
    CHECK_EQ(simhost_request(b->h, BAL_OP_READ, BAL_REG_PEAK_LP, 2 * AM_LANES, NULL, &rs), BAL_ST_OK);
    for (int i = 0; i < AM_LANES; i++) {
        m->peak[i] = rs.data[i];
        m->clips[i] = rs.data[AM_LANES + i];
    }
    m->at = b->got;
}

/* the meters over a window of frames: read (and so cleared) before it, read after it */
static void meters_window(struct bench *b, double frames, struct meters *before, struct meters *after)
{
    meters_read(b, before);
    if (frames > 0)
        run_frames(b, frames);
    meters_read(b, after);
}

static int32_t meter_dc_l, meter_dc_r;
static void gen_meter_dc(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    (void)b;
    (void)k;
    *l = meter_dc_l;
    *r = meter_dc_r;
}

static double meter_hz; /* a sine at -0.5 dBFS on L, -6 dBFS on R, at 192 kHz */
static void gen_meter_sine(struct bench *b, size_t k, int32_t *l, int32_t *r)
{
    double ph = 2.0 * M_PI * meter_hz / 192000.0 * (double)(k - b->zero_until);
    *l = (int32_t)lround(AM_MAX * 0.944 * sin(ph));
    *r = (int32_t)lround(AM_MAX * 0.5 * sin(ph + 1.0));
}

/* The engine's sample in frame j for a lane at 0 dB, 32-bit words, dither off (the word is x
 * shifted up by 8) */
static int32_t sample_of(const struct bench *b, size_t j, int reg_lane)
{
    int32_t w = (int32_t)b->word[j][am_of_reg[reg_lane]];
    return (reg_lane & 1 ? -w : w) >> 8;
}

/* DC through the pins (192 kHz, 1x), 32-bit words, dither off: each meter bit-exact with the
 * model's level (the sample's plus the lane's attenuation) at levels from full scale to a few
 * LSB, both signs, with volume and trims and a single-ended topology (the minus lanes, playing
 * zeros, stay at GAIN_SILENT); the clip counts frame by frame where the sample is at full scale,
 * none below; a read clears. Then a sine: the peak is the loudest frame's level in the window
 * between two reads, at most 0.07 dB louder than its sample's true level, never quieter. */
static void test_meters(void)
{
    static const int32_t dc[][2] = {
        {0x5A5A5A, -0x123456}, {AM_MAX, -AM_MAX}, {-AM_MAX, 0x7F8001}, {0x400000, -0x400000},
        {0x3FFFFF, 1000},      {7, -3},           {1, -2},             {0, -1},
    };
    struct bench *b = bench_new();
    CHECK_EQ(simhost_write(b->h, BAL_REG_OUT_FORMAT, BAL_OUT_FORMAT_WORD_BITS32 << BAL_OUT_FORMAT_WORD_LSB), BAL_ST_OK);
    forget_frames(b);
    b->gen = gen_meter_dc;
    meter_dc_l = dc[0][0];
    meter_dc_r = dc[0][1];
    source_play(b, 192000, 32);
    struct meters m, m0;
    unsigned bad_peaks = 0, bad_clips = 0, clipped_cases = 0;
    for (size_t c = 0; c < sizeof dc / sizeof dc[0]; c++) {
        meter_dc_l = dc[c][0];
        meter_dc_r = dc[c][1];
        run_frames(b, 600); /* the filter settles on the new DC */
        int32_t x[AM_LANES];
        for (int i = 0; i < AM_LANES; i++)
            x[i] = sample_of(b, b->got - 1, i);
        meters_window(b, 300, &m0, &m);
        for (int i = 0; i < AM_LANES; i++) {
            unsigned want = x[i] == 0 || x[i] == -1 ? BAL_GAIN_SILENT : gm_level(x[i]);
            bool clip = gm_clipped(x[i]);
            long frames = (long)(m.at - m0.at);
            bad_peaks += m.peak[i] != want;
            bad_clips += clip ? labs((long)m.clips[i] - frames) > 1 : m.clips[i] != 0;
            clipped_cases += clip;
            if (m.peak[i] != want || (clip ? labs((long)m.clips[i] - frames) > 1 : m.clips[i] != 0))
                printf("  dc case %zu lane %d: x %ld, peak %u (model %u), clips %u in %ld frames\n", c, i,
                       (long)x[i], m.peak[i], want, m.clips[i], frames);
        }
    }
    CHECK_EQ(bad_peaks, 0);
    CHECK_EQ(bad_clips, 0);
    CHECK(clipped_cases >= 4);
    /* volume -20 dB, L- trimmed -0.5 dB, R+ +0.25 dB: the lane's attenuation adds to the level */
    meter_dc_l = 0x5A5A5A;
    meter_dc_r = -0x123456;
    run_frames(b, 600);
    int32_t x[AM_LANES];
    for (int i = 0; i < AM_LANES; i++)
        x[i] = sample_of(b, b->got - 1, i);
    CHECK_EQ(simhost_write(b->h, BAL_REG_VOLUME, 20 * 256), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TRIM_LN, (uint32_t)-128 & 0x3FF), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TRIM_RP, 64), BAL_ST_OK);
    run_frames(b, 20 * 256 / BAL_GAIN_STEP + 100);
    meters_window(b, 300, &m0, &m);
    static const int trim_atten[AM_LANES] = {0, 128, -64, 0};
    for (int i = 0; i < AM_LANES; i++) {
        unsigned want = gm_level(x[i]) + 20 * 256 + (unsigned)trim_atten[i];
        printf("MEASURE meter %s at volume -20 dB: %.3f dBFS (model %.3f, the sample %.3f dBFS)\n",
               (const char *[]){"L+", "L-", "R+", "R-"}[i], -(double)m.peak[i] / 256.0, -(double)want / 256.0,
               20.0 * log10(fabs((double)x[i]) / 8388608.0) - (20 * 256 + trim_atten[i]) / 256.0);
        CHECK_EQ(m.peak[i], want);
        CHECK_EQ(m.clips[i], 0);
    }
    /* single-ended: the minus lanes play zeros and are not metered */
    path_write(b, 192000, BAL_REG_TOPOLOGY, BAL_TOPOLOGY_MODE_SE, 0, 0);
    meters_window(b, 300, &m0, &m);
    CHECK_EQ(m.peak[0], gm_level(x[0]) + 20 * 256);
    CHECK_EQ(m.peak[1], BAL_GAIN_SILENT);
    CHECK_EQ(m.peak[2], gm_level(x[2]) + 20 * 256 - 64);
    CHECK_EQ(m.peak[3], BAL_GAIN_SILENT);
    path_write(b, 192000, BAL_REG_TOPOLOGY, BAL_TOPOLOGY_MODE_BALANCED, 0, 0);
    /* a read clears: muted, two reads; the second finds nothing */
    CHECK_EQ(simhost_write(b->h, BAL_REG_CTRL, BAL_CTRL_MUTE_MASK), BAL_ST_OK);
    wait_ramp(b, 192000);
    meters_window(b, 0, &m0, &m); /* two reads, nothing between */
    for (int i = 0; i < AM_LANES; i++) {
        CHECK(m0.peak[i] < BAL_GAIN_SILENT); /* the fade down */
        CHECK_EQ(m.peak[i], BAL_GAIN_SILENT);
        CHECK_EQ(m.clips[i], 0);
    }
    CHECK_EQ(simhost_write(b->h, BAL_REG_CTRL, 0), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_VOLUME, 0), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TRIM_LN, 0), BAL_ST_OK);
    CHECK_EQ(simhost_write(b->h, BAL_REG_TRIM_RP, 0), BAL_ST_OK);
    wait_ramp(b, 192000);
    /* a sine: the window's loudest frame, by the model, for the frames between the reads (the
     * pins are a few frames behind the meters: the window is taken 4 frames wider and narrower) */
    meter_hz = 997.0;
    b->zero_until = b->sent;
    b->gen = gen_meter_sine;
    run_frames(b, 600);
    double worst_louder = 0, worst_quieter = 0;
    unsigned outside = 0;
    for (int w = 0; w < 4; w++) {
        meters_window(b, 1500 + 97 * w, &m0, &m);
        run_frames(b, 8);
        for (int i = 0; i < AM_LANES; i++) {
            unsigned wide = BAL_GAIN_SILENT, narrow = BAL_GAIN_SILENT;
            int32_t xmax = 0;
            for (size_t j = m0.at - 4; j < m.at + 4; j++) {
                int32_t xj = sample_of(b, j, i);
                unsigned lv = gm_level(xj);
                wide = lv < wide ? lv : wide;
                if (j >= m0.at + 4 && j < m.at - 4) {
                    narrow = lv < narrow ? lv : narrow;
                    xmax = abs(xj) > xmax ? abs(xj) : xmax;
                }
            }
            outside += m.peak[i] < wide || m.peak[i] > narrow;
            double true_db = 20.0 * log10(xmax / 8388608.0), meter_db = -(double)m.peak[i] / 256.0;
            worst_louder = fmax(worst_louder, meter_db - true_db);
            worst_quieter = fmax(worst_quieter, true_db - meter_db);
        }
    }
    printf("MEASURE meter against the sample's true peak (997 Hz at -0.5 and -6 dBFS, 4 windows): "
           "at most %.4f dB louder, %.4f dB quieter\n", worst_louder, worst_quieter);
    CHECK_EQ(outside, 0);
    CHECK(worst_louder <= 0.07);
    CHECK(worst_quieter <= 1e-9);
    bench_free(b);
}

int main(void)
{
    RUN(test_power_up_silent);
    RUN(test_audio_register_checks);
    RUN(test_route_topology_inversion_pairs);
    RUN(test_rates_and_slot_widths);
    RUN(test_rate_windows);
    RUN(test_clock_loss_and_return);
    RUN(test_silence_source_and_mute);
    RUN(test_silence_reasons);
    RUN(test_tone_bit_exact_and_pure);
    RUN(test_engine_rates_and_ratios);
    RUN(test_engine_silent_until_filter_ready);
    RUN(test_engine_impulse_response);
    RUN(test_engine_thdn_997hz);
    RUN(test_engine_images_19997hz);
    RUN(test_filter_bank_registers);
    RUN(test_filter_bank_impulse);
    RUN(test_filter_switch_click_free);
    RUN(test_filter_types_impulse);
    RUN(test_filter_upload_cut_short_audio);
    RUN(test_lane_gains_bit_exact);
    RUN(test_output_thdn_and_dynamic_range);
    RUN(test_gain_steps_ceiling_tracking);
    RUN(test_start_up_random_state);
    RUN(test_meters);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
