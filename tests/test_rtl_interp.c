/* The interpolation engine (rtl/audio/interp.v: sequencer, history rings, coefficient store,
 * MAC lane) against its C model (ip_engine_push), block by block: every ratio at the shortest
 * frame period its input rates give, NOS, random, full-scale, most-negative-code, DC and
 * impulse stimuli; silence until the coefficients are in place; no frame overrun. */
#include <string.h>

#include "check.h"
#include "interp.h"
#include "interp_model.h"

static uint64_t rng = 0x13198A2E03707344ull;
static uint32_t rand32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

enum stim { RANDOM, FULL_SCALE, MOST_NEGATIVE, DC, IMPULSE, STIMS };
static const char *stim_name[] = {"random", "full-scale square", "most negative code", "DC", "impulse"};

static int32_t stimulus(enum stim s, int n, int ch)
{
    switch (s) {
    case RANDOM: return (int32_t)(rand32() << 8) >> 8;
    case FULL_SCALE: return ((n / 3) & 1) ? IP_MAX : -IP_MAX;
    case MOST_NEGATIVE: return (n % 5 == 0) ? -(1 << 23) : IP_MAX;
    case DC: return ch ? -1234567 : 7654321;
    default: return n == 7 ? (ch ? -IP_MAX : IP_MAX) : 0;
    }
}

struct result {
    long blocks, bad_blocks, overruns, worst_cycles, early_blocks;
};

/* Resets the engine, waits for its coefficients, flushes the rings with silence, then plays
 * `frames` frames of each stimulus one every `period` cycles and compares every block. */
static void run_engine(int ratio_log2, int nos, int period, int frames, struct result *res)
{
    ie_model *m = ie_create(rand32());
    struct ie_out o;
    memset(res, 0, sizeof *res);
    ie_settings(m, 1, ratio_log2, nos);
    for (int i = 0; i < 4; i++)
        ie_cycle(m, 0, 0, 0, &o);
    ie_settings(m, 0, ratio_log2, nos);
    /* frames offered before the coefficients are in place are not taken */
    long to_ready = 0;
    for (; to_ready < 5000; to_ready++) {
        ie_cycle(m, to_ready % 97 == 0, IP_MAX, IP_MAX, &o);
        res->early_blocks += o.block_done || o.out_we;
        if (o.ready)
            break;
    }
    CHECK(o.ready);
    CHECK(to_ready > 256);

    struct ip_engine e;
    ip_engine_init(&e);
    e.ratio = 1u << ratio_log2;
    e.nos = nos;
    int32_t block[IP_RATIO_MAX][2], want[IP_RATIO_MAX][2];
    int flush = IP_HIST + 8;
    for (int s = 0; s < STIMS; s++)
        for (int n = -flush; n < frames; n++) {
            int32_t l = n < 0 ? 0 : stimulus((enum stim)s, n, 0);
            int32_t r = n < 0 ? 0 : stimulus((enum stim)s, n, 1);
            if (s > 0 && n < 0)
                continue; /* the rings are flushed once */
            ip_engine_push(&e, l, r, want);
            int done = 0;
            for (int c = 0; c < period; c++) {
                ie_cycle(m, c == 0, l, r, &o);
                res->overruns += o.overrun;
                if (o.out_we)
                    block[o.out_addr >> 1][o.out_addr & 1] = o.out_data;
                if (o.block_done) {
                    done++;
                    if (c + 1 > res->worst_cycles)
                        res->worst_cycles = c + 1;
                }
            }
            if (n < 0)
                continue;
            res->blocks++;
            int bad = done != 1;
            for (unsigned i = 0; i < e.ratio && !bad; i++)
                bad = block[i][0] != want[i][0] || block[i][1] != want[i][1];
            if (bad && res->bad_blocks++ < 3)
                fprintf(stderr, "  %ux%s %s frame %d: block differs (done %d): got %d %d want %d %d\n",
                        e.ratio, nos ? " NOS" : "", stim_name[s], n, done, block[0][0], block[0][1],
                        want[0][0], want[0][1]);
        }
    ie_destroy(m);
}

static void check_engine(int ratio_log2, int nos, int period)
{
    struct result r;
    run_engine(ratio_log2, nos, period, 200, &r);
    printf("MEASURE engine %dx%s, a frame every %d cycles: %ld blocks bit-exact of %ld, busy %ld cycles "
           "(%.0f%%)\n", 1 << ratio_log2, nos ? " NOS" : "", period, r.blocks - r.bad_blocks, r.blocks,
           r.worst_cycles, 100.0 * r.worst_cycles / period);
    CHECK_EQ(r.early_blocks, 0);
    CHECK(r.blocks == 5 * 200);
    CHECK_EQ(r.bad_blocks, 0);
    CHECK_EQ(r.overruns, 0);
    CHECK(r.worst_cycles < period);
}

/* 44.1 and 48 kHz: 1024 cycles a frame (2 x MCLK); 88.2/96: 512; 176.4/192: 256 */
static void test_8x_at_48k(void) { check_engine(3, 0, 1024); }
static void test_4x_at_96k(void) { check_engine(2, 0, 512); }
static void test_2x_at_192k(void) { check_engine(1, 0, 256); }
static void test_1x_at_192k(void) { check_engine(0, 0, 256); }
static void test_nos_8x_at_48k(void) { check_engine(3, 1, 1024); }
static void test_nos_2x_at_192k(void) { check_engine(1, 1, 256); }
static void test_2x_at_48k(void) { check_engine(1, 0, 1024); }

int main(void)
{
    RUN(test_8x_at_48k);
    RUN(test_4x_at_96k);
    RUN(test_2x_at_192k);
    RUN(test_1x_at_192k);
    RUN(test_nos_8x_at_48k);
    RUN(test_nos_2x_at_192k);
    RUN(test_2x_at_48k);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
