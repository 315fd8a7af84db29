/* The host's stage-1 filters (host/filter.c, host/fir_design.c): each design type meets its
 * figures from its quantized taps and fits the device; coefficient files round-trip exactly, in
 * every accepted form (floats at either gain, integers with a scale, comments, WAV float and
 * integer); every kind of malformed file is refused with its file name and line; the check
 * word catches a changed or moved tap. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "check.h"
#include "filter.h"
#include "fir_design.h"
#include "interp.h"

static char dir[64];

static const char *path_of(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static const char *write_text(const char *name, const char *text)
{
    const char *p = path_of(name);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return p;
}

static bool design(enum bal_fir_type t, struct bal_filter *f, struct bal_filter_figures *g,
                   struct bal_fir_spec *spec)
{
    char err[300];
    bal_fir_defaults(t, 48000, spec);
    bool ok = bal_fir_design(spec, f, err, sizeof err);
    if (!ok)
        fprintf(stderr, "  %s: %s\n", bal_fir_type_name(t), err);
    bal_filter_measure(f, 48000, spec->passband_hz, spec->stopband_hz, g);
    return ok;
}

static int64_t tap_sum(const struct bal_filter *f)
{
    int64_t s = 0;
    for (int i = 0; i < f->taps; i++)
        s += f->coef[i];
    return s;
}

static void check_fits(const struct bal_filter *f, const struct bal_filter_figures *g)
{
    char err[200];
    CHECK(bal_filter_check(f, err, sizeof err));
    CHECK_EQ(tap_sum(f), 2 * (int64_t)IP_COEF_ONE); /* DC exactly the interpolator's 2.0 */
    CHECK(g->max_phase_abs < 4.0);
}

static void test_linear_design(void)
{
    struct bal_filter f;
    struct bal_filter_figures g;
    struct bal_fir_spec s;
    CHECK(design(BAL_FIR_LINEAR, &f, &g, &s));
    check_fits(&f, &g);
    printf("MEASURE linear, %d taps: ripple +-%.7f dB to %.0f Hz, stopband %.1f dB from %.0f Hz, %.2f dB at fs/2, "
           "delay %.2f samples\n", f.taps, g.ripple_db, s.passband_hz, g.stopband_db, s.stopband_hz, g.gain_nyquist_db,
           g.delay_samples);
    CHECK(g.ripple_db < 1e-5);
    CHECK(g.stopband_db >= 135.0);
    CHECK(g.delay_spread < 0.01);
    CHECK(fabs(g.delay_samples - (f.taps - 1) / 4.0) < 0.01);
    int asym = 0;
    for (int i = 0; i < f.taps; i++)
        asym += f.coef[i] != f.coef[f.taps - 1 - i];
    CHECK_EQ(asym, 0);
}

/* Where a filter's energy sits, in taps: its energy-weighted mean tap index */
static double energy_centre(const struct bal_filter *f)
{
    double e = 0, m = 0;
    for (int i = 0; i < f->taps; i++) {
        double c = f->coef[i] / (double)IP_COEF_ONE;
        e += c * c;
        m += i * c * c;
    }
    return m / e;
}

static void test_minimum_phase_design(void)
{
    struct bal_filter f, lin;
    struct bal_filter_figures g, gl;
    struct bal_fir_spec s, sl;
    CHECK(design(BAL_FIR_MINIMUM, &f, &g, &s));
    CHECK(design(BAL_FIR_LINEAR, &lin, &gl, &sl));
    check_fits(&f, &g);
    printf("MEASURE minimum phase, %d taps: ripple +-%.7f dB, stopband %.1f dB from %.0f Hz, delay %.2f samples "
           "(varying by %.2f over the passband)\n", f.taps, g.ripple_db, g.stopband_db, s.stopband_hz,
           g.delay_samples, g.delay_spread);
    CHECK(g.ripple_db < 1e-4);
    CHECK(g.stopband_db >= 135.0);
    CHECK(g.delay_samples < 5.0);
    CHECK(g.delay_spread > 1.0); /* not linear phase */
    /* its energy up front (no pre-ringing), where the linear design's sits at its centre */
    printf("MEASURE energy centre: minimum phase tap %.1f, linear phase tap %.1f\n", energy_centre(&f),
           energy_centre(&lin));
    CHECK(energy_centre(&f) < 16.0);
    CHECK(fabs(energy_centre(&lin) - (lin.taps - 1) / 2.0) < 0.5);
}

static void test_apodizing_design(void)
{
    struct bal_filter f;
    struct bal_filter_figures g;
    struct bal_fir_spec s;
    CHECK(design(BAL_FIR_APODIZING, &f, &g, &s));
    check_fits(&f, &g);
    printf("MEASURE apodizing, %d taps: ripple +-%.7f dB to %.0f Hz, %.1f dB at fs/2, stopband %.1f dB\n", f.taps,
           g.ripple_db, s.passband_hz, g.gain_nyquist_db, g.stopband_db);
    CHECK(g.gain_nyquist_db <= -6.0);
    CHECK(g.stopband_db >= 135.0);
    CHECK(g.ripple_db < 1e-5);
    CHECK(g.delay_spread < 0.01);
}

static void test_nos_design(void)
{
    struct bal_filter f;
    struct bal_filter_figures g;
    struct bal_fir_spec s;
    CHECK(design(BAL_FIR_NOS, &f, &g, &s));
    CHECK_EQ(f.taps, 2);
    CHECK_EQ(f.coef[0], IP_COEF_ONE);
    CHECK_EQ(f.coef[1], IP_COEF_ONE);
    CHECK(fabs(g.gain_nyquist_db + 3.01) < 0.01); /* the hold's cos(pi f / 2 fs) */
}

/* Specs out of range are refused with what is wrong, and nothing designed. */
static void test_design_refusals(void)
{
    struct bal_fir_spec s;
    struct bal_filter f;
    char err[300];
    bal_fir_defaults(BAL_FIR_LINEAR, 48000, &s);
    s.taps = 257;
    CHECK(!bal_fir_design(&s, &f, err, sizeof err) && strstr(err, "--taps"));
    bal_fir_defaults(BAL_FIR_LINEAR, 48000, &s);
    s.passband_hz = 30000;
    CHECK(!bal_fir_design(&s, &f, err, sizeof err) && strstr(err, "passband"));
    bal_fir_defaults(BAL_FIR_APODIZING, 48000, &s);
    s.stopband_hz = 25000;
    CHECK(!bal_fir_design(&s, &f, err, sizeof err) && strstr(err, "fs/2"));
    bal_fir_defaults(BAL_FIR_LINEAR, 48000, &s);
    s.atten_db = 20;
    CHECK(!bal_fir_design(&s, &f, err, sizeof err) && strstr(err, "--attenuation"));
    bal_fir_defaults(BAL_FIR_NOS, 48000, &s);
    s.taps = 3;
    CHECK(!bal_fir_design(&s, &f, err, sizeof err) && strstr(err, "2 taps"));
    /* a minimum-phase design past the device's headroom: said so */
    bal_fir_defaults(BAL_FIR_MINIMUM, 48000, &s);
    s.taps = 255;
    s.stopband_hz = 0.5465 * 48000;
    CHECK(!bal_fir_design(&s, &f, err, sizeof err) && strstr(err, "less than 4.0"));
}

/* Saved and loaded again: the same taps, bit for bit, and the name. */
static void test_file_round_trip(void)
{
    for (int t = 0; t < 4; t++) {
        struct bal_filter f, back;
        struct bal_filter_figures g;
        struct bal_fir_spec s;
        char err[300];
        CHECK(design((enum bal_fir_type)t, &f, &g, &s));
        CHECK(bal_filter_save_file(path_of("rt.txt"), &f, "a test", err, sizeof err));
        CHECK(bal_filter_load_file(path_of("rt.txt"), &back, err, sizeof err));
        CHECK_EQ(back.taps, f.taps);
        CHECK_EQ(memcmp(back.coef, f.coef, sizeof f.coef[0] * (size_t)f.taps), 0);
        CHECK(strcmp(back.name, f.name) == 0);
    }
}

static bool load(const char *path, struct bal_filter *f, char *err, size_t n)
{
    return bal_filter_load_file(path, f, err, n);
}

/* Every form a file may take: floats at the interpolator's gain or at unity (doubled), integers
 * after '# scale', comments and blank lines anywhere, WAV float and 24-bit. */
static void test_file_forms(void)
{
    struct bal_filter f;
    char err[300];
    CHECK(load(write_text("two.txt", "# taps summing to 2\n0.5\n\n1.0   # the centre\n0.5\n"), &f, err, sizeof err));
    CHECK(f.taps == 3 && f.coef[0] == IP_COEF_ONE / 2 && f.coef[1] == IP_COEF_ONE);
    CHECK(load(write_text("one.txt", "0.25\n0.5\n0.25\n"), &f, err, sizeof err));
    CHECK(f.taps == 3 && f.coef[0] == IP_COEF_ONE / 2 && f.coef[1] == IP_COEF_ONE); /* doubled */
    CHECK(load(write_text("int.txt", "# name intq30\n# scale 1073741824\n536870912\n1073741824\n536870912\n"), &f,
               err, sizeof err));
    CHECK(f.taps == 3 && f.coef[2] == IP_COEF_ONE / 2 && strcmp(f.name, "intq30") == 0);
    CHECK(load(write_text("int16.txt", "# scale 32768\n16384\n32768\n16384\n"), &f, err, sizeof err));
    CHECK(f.taps == 3 && f.coef[1] == IP_COEF_ONE);
    /* WAV: float and 24-bit integer, unity gain (a WAV's samples stay within -1..1) */
    static const double h[5] = {-0.0625, 0.3125, 0.5, 0.3125, -0.0625};
    int formats[2] = {SF_FORMAT_WAV | SF_FORMAT_FLOAT, SF_FORMAT_WAV | SF_FORMAT_PCM_24};
    for (int k = 0; k < 2; k++) {
        SF_INFO info = {.samplerate = 48000, .channels = 1, .format = formats[k]};
        SNDFILE *sf = sf_open(path_of("h.wav"), SFM_WRITE, &info);
        CHECK(sf != NULL);
        if (!sf)
            continue;
        sf_writef_double(sf, h, 5);
        sf_close(sf);
        CHECK(load(path_of("h.wav"), &f, err, sizeof err));
        CHECK_EQ(f.taps, 5);
        CHECK(f.coef[2] == IP_COEF_ONE && f.coef[1] == IP_COEF_ONE / 8 * 5);
    }
}

/* What must be refused: each with the file and, where one line is at fault, its number. */
static void test_malformed_files(void)
{
    static const struct { const char *name, *text, *want; } cases[] = {
        {"word.txt", "0.5\n1.0\nabc\n0.5\n", "word.txt:3:"},
        {"trail.txt", "0.5\n1.0 0.2\n0.5\n", "trail.txt:2:"},
        {"nan.txt", "0.5\nnan\n0.5\n", "nan.txt:2:"},
        {"inf.txt", "# c\n0.5\n-inf\n", "inf.txt:3:"},
        {"range.txt", "0.5\n2.5\n-1.0\n", "range.txt:2:"},
        {"unscaled.txt", "536870912\n1073741824\n536870912\n", "unscaled.txt:1:"},
        {"scale2.txt", "# scale 2\n1\n# scale 4\n1\n", "scale2.txt:3:"},
        {"scalelate.txt", "1.0\n# scale 2\n1.0\n", "scalelate.txt:2:"},
        {"scalebad.txt", "# scale -3\n1\n", "scalebad.txt:1:"},
        {"short.txt", "# one tap\n2.0\n", "short.txt:2:"},
        {"empty.txt", "", "empty.txt:0:"},
        {"dc.txt", "0.5\n0.5\n0.5\n", "DC gain"},
        {"headroom.txt", "1.9\n0.5\n-1.8\n0.5\n0.9\n", "less than 4.0"},
    };
    struct bal_filter f;
    char err[300];
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = load(write_text(cases[i].name, cases[i].text), &f, err, sizeof err);
        if (ok || !strstr(err, cases[i].want))
            fprintf(stderr, "  %s: %s (wanted '%s')\n", cases[i].name, ok ? "accepted" : err, cases[i].want);
        CHECK(!ok && strstr(err, cases[i].want));
    }
    /* too many: the line of the 257th */
    char big[8192] = "# many\n";
    for (int i = 0; i < 257; i++)
        strcat(big, "0.0078125\n");
    CHECK(!load(write_text("long.txt", big), &f, err, sizeof err) && strstr(err, "long.txt:258:"));
    /* a line too long to be a coefficient */
    char wide[700];
    memset(wide, '1', sizeof wide - 2);
    wide[sizeof wide - 2] = '\n';
    wide[sizeof wide - 1] = 0;
    CHECK(!load(write_text("wide.txt", wide), &f, err, sizeof err) && strstr(err, "wide.txt:1:"));
    /* unreadable, and WAVs of the wrong shape */
    CHECK(!load(path_of("missing.txt"), &f, err, sizeof err) && strstr(err, "missing.txt"));
    SF_INFO info = {.samplerate = 48000, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *sf = sf_open(path_of("st.wav"), SFM_WRITE, &info);
    double two[4] = {0.5, 0.5, 0.5, 0.5};
    if (sf) {
        sf_writef_double(sf, two, 2);
        sf_close(sf);
    }
    CHECK(!load(path_of("st.wav"), &f, err, sizeof err) && strstr(err, "channels"));
    info.channels = 1;
    sf = sf_open(path_of("long.wav"), SFM_WRITE, &info);
    static double many[300];
    if (sf) {
        sf_writef_double(sf, many, 300);
        sf_close(sf);
    }
    CHECK(!load(path_of("long.wav"), &f, err, sizeof err) && strstr(err, "300 samples"));
    CHECK(!load(write_text("bad.wav", "RIFF....WAVEjunk"), &f, err, sizeof err) && strstr(err, "bad.wav"));
}

/* The commit's check word: folding the taps and then it gives zero; a changed, a moved or a
 * missing tap does not; a bank of zeros with a CHECK of zero does not pass. */
static uint32_t fold(const int32_t *c, int n, uint32_t check)
{
    uint32_t s = IP_BANK_CHECK_SEED;
    for (int i = 0; i < n; i++)
        s = (s << 1 | s >> 31) ^ (uint32_t)c[i];
    return (s << 1 | s >> 31) ^ check;
}

static void test_check_word(void)
{
    struct bal_filter f;
    struct bal_filter_figures g;
    struct bal_fir_spec s;
    CHECK(design(BAL_FIR_LINEAR, &f, &g, &s));
    uint32_t c = bal_filter_check_word(&f);
    CHECK_EQ(fold(f.coef, f.taps, c), 0);
    int32_t t = f.coef[10];
    f.coef[10] ^= 1;
    CHECK(fold(f.coef, f.taps, c) != 0);
    f.coef[10] = t;
    int32_t swap[BAL_FILTER_TAPS_MAX];
    memcpy(swap, f.coef, sizeof swap);
    swap[3] = f.coef[4];
    swap[4] = f.coef[3];
    CHECK(fold(swap, f.taps, c) != 0);
    CHECK(fold(f.coef, f.taps - 1, c) != 0);
    static const int32_t zeros[BAL_FILTER_TAPS_MAX];
    CHECK(fold(zeros, 95, 0) != 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "build/test-filter-%d", (int)getpid());
    char cmd[128];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd) != 0)
        return 1;
    RUN(test_linear_design);
    RUN(test_minimum_phase_design);
    RUN(test_apodizing_design);
    RUN(test_nos_design);
    RUN(test_design_refusals);
    RUN(test_file_round_trip);
    RUN(test_file_forms);
    RUN(test_malformed_files);
    RUN(test_check_word);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
