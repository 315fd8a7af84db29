/* The interpolation engine's C model (sim/interp.c): the MAC lane's arithmetic against exact
 * products, the default filters against the mask (ripple, stopband, linear phase), and what a
 * listener hears through the bit-exact cascade (THD+N, images). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interp.h"
#include "measure.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rand32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}
static int32_t rand_range(int32_t lo, int32_t hi) /* inclusive */
{
    return lo + (int32_t)(rand32() % (uint32_t)((int64_t)hi - lo + 1));
}
static double uniform(void)
{
    return rand32() / 4294967296.0;
}

/* round(sum d c / 2^30), saturated: what the MAC lane approximates */
static int32_t exact_pass(const int32_t *d, const int32_t *c, int n)
{
    __int128 s = 0;
    for (int i = 0; i < n; i++)
        s += (__int128)d[i] * c[i];
    __int128 y = (s + ((__int128)1 << 29)) >> 30;
    return y > IP_MAX ? IP_MAX : y < -IP_MAX ? -IP_MAX : (int32_t)y;
}

static void test_mac_close_to_exact(void)
{
    enum { PASSES = 20000 };
    static int32_t d[IP_TAPS_MAX], c[IP_TAPS_MAX];
    int worst = 0;
    double bias = 0.0;
    long count = 0;
    for (int p = 0; p < PASSES; p++) {
        int n = 1 + (int)(rand32() % IP_TAPS_MAX);
        /* coefficients of a plausible size, so the sum stays mostly in range */
        for (int i = 0; i < n; i++) {
            d[i] = rand_range(-(1 << 23), IP_MAX);
            c[i] = rand_range(-IP_COEF_ONE, IP_COEF_ONE) / (1 + (int32_t)(rand32() % n));
        }
        int32_t got = ip_mac_pass(d, c, n), want = exact_pass(d, c, n);
        int err = abs(got - want);
        if (err > worst)
            worst = err;
        if (abs(want) < IP_MAX) {
            bias += got - want;
            count++;
        }
    }
    printf("MEASURE mac_error worst %d LSB, mean %.4f LSB over %ld passes of 1..%d taps\n", worst,
           bias / count, count, IP_TAPS_MAX);
    CHECK(worst <= 1);
    CHECK(fabs(bias / count) < 0.2);
}

/* The accumulators wrap in the middle of a pass and still give the exact sum at its end. */
static void test_mac_wraps_then_recovers(void)
{
    int32_t d[8], c[8];
    for (int i = 0; i < 4; i++) {
        d[i] = IP_MAX;
        c[i] = IP_COEF_MAX; /* +4 x (2^23 - 1) x ~2: past 32 bits of dh ch */
        d[i + 4] = -IP_MAX;
        c[i + 4] = IP_COEF_MAX - 12345;
    }
    CHECK_EQ(ip_mac_pass(d, c, 8), exact_pass(d, c, 8));
    d[7] = 0; /* now it overflows and stays there: saturation */
    CHECK_EQ(ip_mac_pass(d, c, 8), IP_MAX);
    /* the most a phase may hold: sum |c| just under 4.0 */
    for (int i = 0; i < 3; i++) {
        d[i] = -(1 << 23);
        c[i] = IP_COEF_MAX - 1000 * i;
    }
    d[3] = -(1 << 23);
    c[3] = (int32_t)(4.0 * IP_COEF_ONE - 1.0 - 3.0 * IP_COEF_MAX);
    CHECK_EQ(ip_mac_pass(d, c, 4), -IP_MAX);
    d[0] = d[1] = d[2] = d[3] = IP_MAX;
    CHECK_EQ(ip_mac_pass(d, c, 4), IP_MAX);
}

/* c = 1.0 passes every code through unchanged (the halfband's centre tap), -2^23 saturated */
static void test_mac_unity_tap(void)
{
    int bad = 0;
    int32_t one = IP_COEF_ONE;
    for (int32_t d = -(1 << 23) + 1; d <= IP_MAX; d += 7)
        bad += ip_mac_pass(&d, &one, 1) != d;
    int32_t edges[] = {IP_MAX, -IP_MAX, 0, -1, 1, 255, -256};
    for (unsigned i = 0; i < sizeof edges / sizeof edges[0]; i++)
        bad += ip_mac_pass(&edges[i], &one, 1) != edges[i];
    int32_t most_negative = -(1 << 23);
    CHECK_EQ(ip_mac_pass(&most_negative, &one, 1), -IP_MAX);
    CHECK_EQ(bad, 0);
    int32_t minus_one = -IP_COEF_ONE, d = 0x123456;
    CHECK_EQ(ip_mac_pass(&d, &minus_one, 1), -0x123456);
}

/* The cascade's response from the quantized taps, in units of the input rate */
static double cascade_gain(const struct ip_engine *e, double f)
{
    double g = 1.0;
    for (int s = 0; s < IP_STAGES; s++)
        g *= ip_fir_gain(e->fir[s], f / (double)(2 << s));
    return g;
}

static void test_default_filters_meet_mask(void)
{
    struct ip_engine e;
    ip_engine_init(&e);
    double ripple = 0.0, stop = 0.0, worst_f = 0.0;
    for (int i = 0; i <= 20000; i++) {
        double f = 0.4535 * i / 20000.0;
        double db = fabs(20.0 * log10(cascade_gain(&e, f)));
        if (db > ripple)
            ripple = db;
    }
    for (int i = 0; i <= 200000; i++) {
        double f = 0.5465 + (4.0 - 0.5465) * i / 200000.0;
        double g = cascade_gain(&e, f);
        if (g > stop) {
            stop = g;
            worst_f = f;
        }
    }
    double stop_db = -20.0 * log10(stop);
    printf("MEASURE cascade passband ripple +-%.7f dB to 0.4535 fs, stopband %.1f dB from 0.5465 fs "
           "(worst at %.4f fs)\n", ripple, stop_db, worst_f);
    CHECK(ripple <= 0.00001);
    CHECK(stop_db >= 135.0);
    /* linear phase: every stage symmetric, the halfbands' zeros exact, centres 1.0 */
    for (int s = 0; s < IP_STAGES; s++) {
        const struct ip_fir *f = e.fir[s];
        int c = (f->taps - 1) / 2, asym = 0, sum = 0;
        for (int i = 0; i < f->taps; i++) {
            asym += f->coef[i] != f->coef[f->taps - 1 - i];
            if ((i - c) % 2 == 0 && i != c)
                asym += f->coef[i] != 0;
            else if (i != c)
                sum += f->coef[i];
        }
        CHECK_EQ(asym, 0);
        CHECK_EQ(f->coef[c], IP_COEF_ONE);
        CHECK_EQ(sum, IP_COEF_ONE);
    }
}

/* The impulse response through the bit-exact engine: linear phase, its delay, and a DC gain
 * of 1 at every ratio */
static void test_engine_impulse(void)
{
    enum { FRAMES = 160 };
    static int32_t y[FRAMES * IP_RATIO_MAX];
    static const int delay[] = {0, 101, 0, 101 * 2 + 21, 0, 0, 0, 101 * 4 + 21 * 2 + 13};
    for (unsigned ratio = 2; ratio <= 8; ratio *= 2) {
        struct ip_engine e;
        ip_engine_init(&e);
        e.ratio = ratio;
        int32_t out[IP_RATIO_MAX][2];
        for (int n = 0; n < FRAMES; n++) {
            unsigned k = ip_engine_push(&e, n == 0 ? 4000000 : 0, 0, out);
            CHECK_EQ(k, ratio);
            for (unsigned i = 0; i < k; i++)
                y[n * ratio + i] = out[i][0];
        }
        int peak = 0, asym = 0;
        long long sum = 0;
        for (int i = 0; i < FRAMES * (int)ratio; i++) {
            sum += y[i];
            if (abs(y[i]) > abs(y[peak]))
                peak = i;
        }
        int dl = delay[ratio - 1];
        for (int k = 1; k <= dl; k++)
            asym += abs(y[dl + k] - y[dl - k]) > 1;
        printf("MEASURE impulse %ux: peak at output sample %d (%.3f input samples), sum %.6f\n",
               ratio, peak, peak / (double)ratio, sum / 4000000.0 / ratio);
        CHECK_EQ(peak, dl);
        CHECK_EQ(y[dl], 4000000);
        CHECK_EQ(asym, 0);
        CHECK(fabs(sum / 4000000.0 / ratio - 1.0) < 1e-5);
    }
}

static void test_engine_bypass_and_nos(void)
{
    struct ip_engine e;
    int32_t out[IP_RATIO_MAX][2];
    ip_engine_init(&e);
    e.ratio = 1;
    CHECK_EQ(ip_engine_push(&e, 123, -IP_MAX, out), 1);
    CHECK_EQ(out[0][0], 123);
    CHECK_EQ(out[0][1], -IP_MAX);
    e.ratio = 8;
    e.nos = true;
    CHECK_EQ(ip_engine_push(&e, -77, 4242, out), 8);
    int bad = 0;
    for (int i = 0; i < 8; i++)
        bad += out[i][0] != -77 || out[i][1] != 4242;
    CHECK_EQ(bad, 0);
    CHECK_EQ(ip_ratio_max(44100), 8);
    CHECK_EQ(ip_ratio_max(96000), 4);
    CHECK_EQ(ip_ratio_max(192000), 2);
}

/* A -1 dBFS sine with 24-bit TPDF dither through the 8x cascade at 48 kHz */
static void tone_through_cascade(double hz, struct measure_spectrum *in_m, struct measure_spectrum *out_m)
{
    enum { NA = 1 << 14, SKIP = 1024 };
    const double fs = 48000.0;
    size_t k0 = (size_t)lround(hz / fs * NA);
    double f0 = k0 * fs / NA;
    static int32_t x[NA + SKIP], y[(NA + SKIP) * 8];
    struct ip_engine e;
    ip_engine_init(&e);
    int32_t out[IP_RATIO_MAX][2];
    for (int n = 0; n < NA + SKIP; n++) {
        double v = pow(10.0, -1.0 / 20.0) * sin(2.0 * M_PI * f0 / fs * n) * 8388608.0 + uniform() - uniform();
        long q = lround(v);
        x[n] = q > IP_MAX ? IP_MAX : q < -IP_MAX ? -IP_MAX : (int32_t)q;
        ip_engine_push(&e, x[n], -x[n], out);
        for (int i = 0; i < 8; i++)
            y[n * 8 + i] = out[i][0];
    }
    CHECK(measure_spectrum(x + SKIP, NA, fs, k0, 20.0, 20000.0, 0.5465 * fs, in_m) == 0);
    CHECK(measure_spectrum(y + 8 * SKIP, 8 * NA, 8 * fs, k0, 20.0, 20000.0, 0.5465 * fs, out_m) == 0);
}

static void test_cascade_thdn_997(void)
{
    struct measure_spectrum in, out;
    tone_through_cascade(997.0, &in, &out);
    printf("MEASURE 997 Hz -1 dBFS 48k->384k: THD+N %.1f dB (20 Hz-20 kHz; the dithered input %.1f dB), "
           "worst image %.1f dBc at %.0f Hz, level %.4f dBFS\n", out.thdn_db, in.thdn_db, out.worst_db,
           out.worst_hz, 20.0 * log10(out.amplitude / 8388608.0));
    CHECK(out.thdn_db <= -139.0);
    CHECK(out.worst_db <= -135.0);
    CHECK(fabs(20.0 * log10(out.amplitude / in.amplitude)) < 0.0001);
}

static void test_cascade_images_19997(void)
{
    struct measure_spectrum in, out;
    tone_through_cascade(19997.0, &in, &out);
    printf("MEASURE 19997 Hz -1 dBFS 48k->384k: THD+N %.1f dB (input %.1f dB), worst image %.1f dBc at %.0f Hz\n",
           out.thdn_db, in.thdn_db, out.worst_db, out.worst_hz);
    CHECK(out.worst_db <= -135.0);
    CHECK(out.thdn_db <= -135.0);
}

int main(void)
{
    RUN(test_mac_close_to_exact);
    RUN(test_mac_wraps_then_recovers);
    RUN(test_mac_unity_tap);
    RUN(test_default_filters_meet_mask);
    RUN(test_engine_impulse);
    RUN(test_engine_bypass_and_nos);
    RUN(test_cascade_thdn_997);
    RUN(test_cascade_images_19997);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
