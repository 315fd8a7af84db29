/* The MAC lane (rtl/audio/mac_lane.v) against its C model (ip_mac_* in sim/interp.c), pass by
 * pass: random, full-scale, most-negative-code, DC and impulse stimuli, the default filters'
 * taps, passes of 1 to 256 taps back to back at the minimum gap, garbage on the idle cycles. */
#include <string.h>

#include "check.h"
#include "interp.h"
#include "mac_model.h"

enum { MAC_GAP = 4, MAC_LATENCY = 10 }; /* rtl/audio/interp.vh */

static uint64_t rng = 0x243F6A8885A308D3ull;
static uint32_t rand32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}
static int32_t rand_d(void) /* any 24-bit code, -2^23 included */
{
    return (int32_t)(rand32() << 8) >> 8;
}

struct pass {
    int n;
    int32_t d[IP_TAPS_MAX], c[IP_TAPS_MAX];
};

struct run {
    int passes, results, bad_value, bad_latency;
};

/* Runs the passes through the RTL, each followed by `gap` idle cycles (random garbage on d
 * and c), and compares every result and its timing with the model. */
static void run_passes(ml_model *m, const struct pass *p, int count, int gap_min, int gap_max, struct run *r)
{
    long cycle = 0, due[64];
    int32_t want[64];
    int32_t y;
    for (int k = 0; k < MAC_LATENCY; k++) /* the pipeline's flags from configuration flush out */
        ml_cycle(m, 0, 0, 0, 0, 0, &y);
    for (int i = 0; i < count + 2 && (i < count || r->results < r->passes); i++) {
        if (i < count) {
            for (int k = 0; k < p[i].n; k++, cycle++) {
                if (ml_cycle(m, 1, k == 0, k == p[i].n - 1, p[i].d[k], p[i].c[k], &y)) {
                    r->bad_latency += cycle != due[r->results % 64];
                    r->bad_value += y != want[r->results % 64];
                    r->results++;
                }
            }
            want[r->passes % 64] = ip_mac_pass(p[i].d, p[i].c, p[i].n);
            /* ml_cycle reports what the edge leaves: out_valid in the cycle after the call */
            due[r->passes % 64] = (cycle - 1) + MAC_LATENCY - 1;
            r->passes++;
        }
        int gap = gap_min + (int)(rand32() % (uint32_t)(gap_max - gap_min + 1));
        if (i >= count)
            gap = MAC_LATENCY + 1;
        for (int k = 0; k < gap; k++, cycle++)
            if (ml_cycle(m, 0, rand32() & 1, rand32() & 1, rand_d(), (int32_t)rand32(), &y)) {
                r->bad_latency += cycle != due[r->results % 64];
                r->bad_value += y != want[r->results % 64];
                r->results++;
            }
    }
}

static void check_run(const struct run *r, const char *what)
{
    printf("  %s: %d passes, %d results, %d wrong, %d late or early\n", what, r->passes, r->results,
           r->bad_value, r->bad_latency);
    CHECK(r->passes > 0);
    CHECK_EQ(r->results, r->passes);
    CHECK_EQ(r->bad_value, 0);
    CHECK_EQ(r->bad_latency, 0);
}

static struct pass batch[400];

static void test_random_passes(void)
{
    ml_model *m = ml_create(1);
    struct run r = {0};
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 400; i++) {
            struct pass *p = &batch[i];
            p->n = 1 + (int)(rand32() % (i % 4 == 0 ? IP_TAPS_MAX : 8));
            for (int k = 0; k < p->n; k++) {
                p->d[k] = rand_d();
                /* sometimes the whole range (the accumulators wrap the same way as the model's),
                 * mostly a filter's scale */
                p->c[k] = (int32_t)rand32();
                if (rand32() % 4)
                    p->c[k] /= (1 + (int32_t)(rand32() % (uint32_t)p->n));
            }
        }
        run_passes(m, batch, 400, MAC_GAP, MAC_GAP + 4, &r);
    }
    check_run(&r, "random");
    ml_destroy(m);
}

static void test_edge_stimuli(void)
{
    ml_model *m = ml_create(2);
    struct run r = {0};
    static const int32_t ds[] = {IP_MAX, -IP_MAX, -(1 << 23), 0, -1, 1, 0xFF, -0x100};
    static const int32_t cs[] = {IP_COEF_ONE, -IP_COEF_ONE, IP_COEF_MAX, IP_COEF_MIN, 0x7FFF8000,
                                 0x00008000, -0x8000, 1, -1, 0};
    int count = 0;
    /* one tap of every pair: full scale, the most negative code, unity, the split's edges */
    for (unsigned a = 0; a < sizeof ds / sizeof ds[0]; a++)
        for (unsigned b = 0; b < sizeof cs / sizeof cs[0]; b++) {
            batch[count].n = 1;
            batch[count].d[0] = ds[a];
            batch[count].c[0] = cs[b];
            count++;
        }
    /* DC and full-scale runs through long passes (saturating and wrapping sums) */
    for (unsigned a = 0; a < sizeof ds / sizeof ds[0]; a++)
        for (int len = 2; len <= IP_TAPS_MAX; len *= 4) {
            struct pass *p = &batch[count++];
            p->n = len;
            for (int k = 0; k < len; k++) {
                p->d[k] = ds[a];
                p->c[k] = (k & 1) ? IP_COEF_MAX / len : IP_COEF_MIN / len;
            }
        }
    /* impulses: one code at one position of a long pass */
    for (int i = 0; i < 32; i++) {
        struct pass *p = &batch[count++];
        p->n = 103;
        for (int k = 0; k < p->n; k++) {
            p->d[k] = 0;
            p->c[k] = (int32_t)rand32() / 4;
        }
        p->d[rand32() % 103] = ds[i % 8];
    }
    run_passes(m, batch, count, MAC_GAP, MAC_GAP, &r);
    check_run(&r, "edges, DC, impulses");
    ml_destroy(m);
}

/* The default filters' phases over random audio, at the minimum gap: what the engine runs */
static void test_default_filter_phases(void)
{
    ml_model *m = ml_create(3);
    struct run r = {0};
    int count = 0;
    for (int s = 1; s <= IP_STAGES; s++) {
        const struct ip_fir *f = ip_default_fir(s);
        for (int rep = 0; rep < 40; rep++)
            for (int ph = 0; ph < 2; ph++) {
                struct pass *p = &batch[count++];
                p->n = 0;
                for (int k = 0; 2 * k + ph < f->taps; k++) {
                    p->d[p->n] = rep < 20 ? rand_d() : (rep & 1 ? IP_MAX : -IP_MAX);
                    p->c[p->n++] = f->coef[2 * k + ph];
                }
            }
    }
    run_passes(m, batch, count, MAC_GAP, MAC_GAP, &r);
    check_run(&r, "default filters");
    ml_destroy(m);
}

int main(void)
{
    RUN(test_random_passes);
    RUN(test_edge_stimuli);
    RUN(test_default_filter_phases);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
