/* The interpolation engine (rtl/audio/interp.v: sequencer, history rings, coefficient store,
 * MAC lane) against its C model (ip_engine_push), block by block: every ratio at the shortest
 * frame period its input rates give, NOS, random, full-scale, most-negative-code, DC and
 * impulse stimuli; silence until the coefficients are in place; no frame overrun. */
#include <string.h>

#include "check.h"
#include "interp.h"
#include "interp_model.h"
#include "regmap.h"

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
    long host_words, host_bad, host_waits; /* the host port's traffic while frames run */
};

/* The host port, a cycle at a time: a queue of accesses, each held until granted. */
struct host {
    ie_model *m;
    int busy, asked, we, bank_live;
    unsigned addr;
    uint32_t data, expect;
    long words, bad, waits;
};

static unsigned tap_addr(int bank, int i) { return (unsigned)(256 * bank + 128 * (i & 1) + (i >> 1)); }

/* One engine cycle, and the host port's request in it. */
static void cycle(ie_model *m, struct host *h, int in_valid, int32_t l, int32_t r, struct ie_out *o)
{
    if (h)
        ie_coef_port(m, h->busy && h->asked, h->we, h->addr, h->data);
    ie_cycle(m, in_valid, l, r, o);
    if (!h || !h->busy)
        return;
    if (!h->asked) { /* the address goes first */
        h->asked = 1;
        return;
    }
    if (!o->coef_grant) {
        h->waits++;
        return;
    }
    h->words++;
    if (!h->we && o->coef_rdata != h->expect && h->bad++ < 3)
        fprintf(stderr, "  read 0x%03X: 0x%08X, want 0x%08X\n", h->addr, o->coef_rdata, h->expect);
    h->busy = h->asked = 0;
}

/* Writes a filter into a bank through the host port, outside frames, and reads it back. */
static void load_bank(ie_model *m, int bank, const struct ip_fir *f)
{
    struct host h = {.m = m};
    struct ie_out o;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < f->taps; i++) {
            h.busy = 1;
            h.we = pass == 0;
            h.addr = tap_addr(bank, i);
            h.data = h.expect = (uint32_t)f->coef[i];
            while (h.busy)
                cycle(m, &h, 0, 0, 0, &o);
        }
    CHECK_EQ(h.bad, 0);
    CHECK_EQ(h.words, 2 * f->taps);
}

/* Resets the engine, waits for its coefficients, flushes the rings with silence, then plays
 * `frames` frames of each stimulus one every `period` cycles and compares every block. With s1,
 * stage 1 is that filter, loaded into bank `bank` first; with traffic, the host port writes and
 * reads another bank all the while (the live bank's taps must not move, the blocks neither). */
static void run_engine_with(int ratio_log2, int nos, int period, int frames, const struct ip_fir *s1,
                            int bank, int traffic, struct result *res)
{
    ie_model *m = ie_create(rand32());
    struct ie_out o;
    memset(res, 0, sizeof *res);
    ie_settings(m, 1, ratio_log2, nos);
    ie_bank(m, 0, 0);
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
    if (s1) {
        load_bank(m, bank, s1);
        ie_bank(m, bank, s1->taps);
        e.fir[0] = s1;
    }
    struct host h = {.m = m}, *hp = traffic ? &h : NULL;
    int32_t block[IP_RATIO_MAX][2], want[IP_RATIO_MAX][2];
    int flush = IP_HIST + 24; /* rings 1, 2 and 3 run empty in turn */
    int other = bank == 6 ? 5 : 6;
    for (int s = 0; s < STIMS; s++)
        for (int n = -flush; n < frames; n++) {
            int32_t l = n < 0 ? 0 : stimulus((enum stim)s, n, 0);
            int32_t r = n < 0 ? 0 : stimulus((enum stim)s, n, 1);
            if (s > 0 && n < 0)
                continue; /* the rings are flushed once */
            ip_engine_push(&e, l, r, want);
            int done = 0;
            for (int c = 0; c < period; c++) {
                if (hp && !h.busy) { /* next: write a word of the other bank, or read a live tap */
                    int i = (int)(rand32() % IP_TAPS_MAX);
                    h.busy = 1;
                    h.we = s1 && (rand32() & 1);
                    h.addr = h.we ? tap_addr(other, i) : tap_addr(bank, i % s1->taps);
                    h.data = rand32();
                    h.expect = (uint32_t)s1->coef[i % s1->taps];
                }
                cycle(m, hp, c == 0, l, r, &o);
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
    res->host_words = h.words;
    res->host_bad = h.bad;
    res->host_waits = h.waits;
    ie_destroy(m);
}

static void run_engine(int ratio_log2, int nos, int period, int frames, struct result *res)
{
    run_engine_with(ratio_log2, nos, period, frames, NULL, 0, 0, res);
}

static void check_result(const struct result *r, int frames, int period)
{
    CHECK_EQ(r->early_blocks, 0);
    CHECK(r->blocks == 5 * frames);
    CHECK_EQ(r->bad_blocks, 0);
    CHECK_EQ(r->overruns, 0);
    CHECK(r->worst_cycles < period);
}

static void check_engine(int ratio_log2, int nos, int period)
{
    struct result r;
    run_engine(ratio_log2, nos, period, 200, &r);
    printf("MEASURE engine %dx%s, a frame every %d cycles: %ld blocks bit-exact of %ld, busy %ld cycles "
           "(%.0f%%)\n", 1 << ratio_log2, nos ? " NOS" : "", period, r.blocks - r.bad_blocks, r.blocks,
           r.worst_cycles, 100.0 * r.worst_cycles / period);
    check_result(&r, 200, period);
}

/* 44.1 and 48 kHz: 1024 cycles a frame (2 x MCLK); 88.2/96: 512; 176.4/192: 256 */
static void test_8x_at_48k(void) { check_engine(3, 0, 1024); }
static void test_4x_at_96k(void) { check_engine(2, 0, 512); }
static void test_2x_at_192k(void) { check_engine(1, 0, 256); }
static void test_1x_at_192k(void) { check_engine(0, 0, 256); }
static void test_nos_8x_at_48k(void) { check_engine(3, 1, 1024); }
static void test_nos_2x_at_192k(void) { check_engine(1, 1, 256); }
static void test_2x_at_48k(void) { check_engine(1, 0, 1024); }

/* A random filter of n taps whose phases' sums of |c| stay below IP_PHASE_ABS_SUM, with extreme
 * words among them (the largest and the most negative coefficient). */
static void random_fir(struct ip_fir *f, int n)
{
    memset(f, 0, sizeof *f);
    f->taps = n;
    snprintf(f->name, sizeof f->name, "rand%d", n);
    for (int i = 0; i < n; i++)
        f->coef[i] = (int32_t)(rand32() % (2u * IP_COEF_ONE / (unsigned)n * 3u)) - (int32_t)(IP_COEF_ONE / n * 3);
    f->coef[0] = IP_COEF_MAX;
    f->coef[1] = IP_COEF_MIN;
}

/* A loaded bank at the longest each rate allows (FILTER_TAPS_FIT_*), with the host port writing
 * another bank and reading the live one in every free cycle: bit-exact, in time, and the live
 * taps read back unchanged. */
static void check_bank(int ratio_log2, int period, int taps)
{
    struct ip_fir f;
    struct result r;
    random_fir(&f, taps);
    run_engine_with(ratio_log2, 0, period, 100, &f, 3, 1, &r);
    printf("MEASURE engine %dx, bank 3 with %d taps, a frame every %d cycles: %ld blocks bit-exact of %ld, "
           "busy %ld cycles (%.0f%%); the host port moved %ld words meanwhile (%ld cycles waiting)\n",
           1 << ratio_log2, taps, period, r.blocks - r.bad_blocks, r.blocks, r.worst_cycles,
           100.0 * r.worst_cycles / period, r.host_words, r.host_waits);
    check_result(&r, 100, period);
    CHECK(period - r.worst_cycles >= BAL_FILTER_FIT_MARGIN);
    CHECK(r.host_words > 1000);
    CHECK(r.host_waits > 0); /* it did meet the engine */
    CHECK_EQ(r.host_bad, 0);
}
static void test_bank_256_taps_8x_at_48k(void) { check_bank(3, 1024, BAL_FILTER_TAPS_MAX); }
static void test_bank_fit_4x_at_96k(void) { check_bank(2, 512, BAL_FILTER_TAPS_FIT_96K); }
static void test_bank_fit_2x_at_192k(void) { check_bank(1, 256, BAL_FILTER_TAPS_FIT_192K); }
static void test_bank_short_8x(void) { check_bank(3, 1024, 2); }

int main(void)
{
    RUN(test_8x_at_48k);
    RUN(test_4x_at_96k);
    RUN(test_2x_at_192k);
    RUN(test_1x_at_192k);
    RUN(test_nos_8x_at_48k);
    RUN(test_nos_2x_at_192k);
    RUN(test_2x_at_48k);
    RUN(test_bank_256_taps_8x_at_48k);
    RUN(test_bank_fit_4x_at_96k);
    RUN(test_bank_fit_2x_at_192k);
    RUN(test_bank_short_8x);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
