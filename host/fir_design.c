#include "fir_design.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

#define Q30 1073741824.0
#define CEPSTRUM_FFT 32768 /* points: the log magnitude's sampling for the minimum-phase design */
#define MAG_FLOOR 1e-10    /* -200 dB: the log of the stopband's zeros stays finite */

static const char *const type_names[] = {"linear", "minimum", "apodizing", "nos"};

const char *bal_fir_type_name(enum bal_fir_type t)
{
    return (unsigned)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : "?";
}

bool bal_fir_type_parse(const char *name, enum bal_fir_type *t)
{
    for (unsigned i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (!strcmp(name, type_names[i])) {
            *t = (enum bal_fir_type)i;
            return true;
        }
    return false;
}

void bal_fir_defaults(enum bal_fir_type t, double rate_hz, struct bal_fir_spec *s)
{
    s->type = t;
    s->taps = t == BAL_FIR_NOS ? 2 : t == BAL_FIR_MINIMUM ? 191 : 255;
    s->rate_hz = rate_hz;
    s->atten_db = 140.0;
    s->passband_hz = (t == BAL_FIR_APODIZING ? 0.40 : 0.4535) * rate_hz;
    /* minimum phase: a little more transition keeps its large early taps within the device's
     * headroom (each phase's sum of |h| below 4) */
    s->stopband_hz = (t == BAL_FIR_APODIZING ? 0.50 : t == BAL_FIR_MINIMUM ? 0.56 : 0.5465) * rate_hz;
}

/* ---- Kaiser-windowed sinc at the 2x rate (the window as sim/interp.c's halfbands take it) */
/* h[0..n-1], the interpolator's gain of 2 */
static void kaiser_lowpass(double *h, int n, double cutoff_hz, double rate_hz, double atten_db)
{
    double fc = cutoff_hz / (2.0 * rate_hz); /* cycles per output sample */
    double m = (n - 1) / 2.0, beta = ip_kaiser_beta(atten_db), i0b = ip_bessel_i0(beta), sum = 0.0;
    for (int i = 0; i < n; i++) {
        double x = i - m, r = m > 0 ? x / m : 0.0;
        double sinc = x == 0.0 ? 2.0 * fc : sin(2.0 * M_PI * fc * x) / (M_PI * x);
        h[i] = sinc * ip_bessel_i0(beta * sqrt(fmax(0.0, 1.0 - r * r))) / i0b;
        sum += h[i];
    }
    for (int i = 0; i < n; i++)
        h[i] *= 2.0 / sum;
}

/* ---- the minimum-phase filter of the same magnitude (real cepstrum, folded) */
static void fft(double complex *a, int n, bool inverse)
{
    for (int i = 1, j = 0; i < n; i++) { /* bit reversal */
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double complex t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double complex w = cexp((inverse ? 2.0 : -2.0) * M_PI * I / len);
        for (int i = 0; i < n; i += len) {
            double complex wk = 1.0;
            for (int k = 0; k < len / 2; k++, wk *= w) {
                double complex u = a[i + k], v = a[i + k + len / 2] * wk;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
        }
    }
    if (inverse)
        for (int i = 0; i < n; i++)
            a[i] /= n;
}

static bool minimum_phase(double *h, int n)
{
    const int N = CEPSTRUM_FFT;
    double complex *a = calloc(N, sizeof *a);
    if (!a)
        return false;
    for (int i = 0; i < n; i++)
        a[i] = h[i];
    fft(a, N, false);
    for (int k = 0; k < N; k++) /* the log magnitude (the phase is what is replaced) */
        a[k] = log(fmax(cabs(a[k]), MAG_FLOOR));
    fft(a, N, true); /* the real cepstrum */
    for (int k = 1; k < N / 2; k++) {
        a[k] *= 2.0; /* folded onto positive quefrency: the minimum-phase cepstrum */
        a[N - k] = 0.0;
    }
    fft(a, N, false);
    for (int k = 0; k < N; k++)
        a[k] = cexp(a[k]);
    fft(a, N, true);
    for (int i = 0; i < n; i++)
        h[i] = creal(a[i]);
    free(a);
    return true;
}

/* ---- quantization: Q1.30, the taps summing to exactly 2.0 (the residue on the largest tap,
 * the centre of a linear-phase filter, which keeps it symmetric) */
static void quantize(const double *h, int n, struct bal_filter *f)
{
    int64_t sum = 0;
    int big = 0;
    for (int i = 0; i < n; i++) {
        f->coef[i] = (int32_t)llround(h[i] * Q30);
        sum += f->coef[i];
        if (fabs(h[i]) > fabs(h[big]))
            big = i;
    }
    f->coef[big] += (int32_t)(2 * (int64_t)IP_COEF_ONE - sum);
    f->taps = n;
}

bool bal_fir_design(const struct bal_fir_spec *s, struct bal_filter *f, char *err, size_t errlen)
{
    double fs = s->rate_hz;
    memset(f, 0, sizeof *f);
    f->rate_hz = fs;
    f->passband_hz = s->passband_hz;
    f->stopband_hz = s->stopband_hz;
    snprintf(f->name, sizeof f->name, "%s", s->type == BAL_FIR_APODIZING ? "apodize" : bal_fir_type_name(s->type));
    if (s->type == BAL_FIR_NOS) {
        if (s->taps != 2) {
            snprintf(err, errlen, "--taps %d: the zero-order hold has 2 taps", s->taps);
            return false;
        }
        double h[2] = {1.0, 1.0};
        quantize(h, 2, f);
        return true;
    }
    if (s->taps < 3 || s->taps > (int)BAL_FILTER_TAPS_MAX) {
        snprintf(err, errlen, "--taps %d is out of range 3..%d", s->taps, BAL_FILTER_TAPS_MAX);
        return false;
    }
    if (!(fs >= 8000.0 && fs <= 192000.0)) {
        snprintf(err, errlen, "--rate %.0f is out of range 8000..192000 Hz", fs);
        return false;
    }
    if (!(s->passband_hz > 0.0 && s->passband_hz < s->stopband_hz && s->stopband_hz <= fs)) {
        snprintf(err, errlen, "the edges must be 0 < passband (%.0f Hz) < stopband (%.0f Hz) <= %.0f Hz (the "
                 "2x output's Nyquist)", s->passband_hz, s->stopband_hz, fs);
        return false;
    }
    if (s->type == BAL_FIR_APODIZING && s->stopband_hz > fs / 2.0) {
        snprintf(err, errlen, "an apodizing filter's stopband starts at or below fs/2 (%.0f Hz), not %.0f Hz",
                 fs / 2.0, s->stopband_hz);
        return false;
    }
    if (!(s->atten_db >= 40.0 && s->atten_db <= 200.0)) {
        snprintf(err, errlen, "--attenuation %.1f is out of range 40..200 dB", s->atten_db);
        return false;
    }
    double h[BAL_FILTER_TAPS_MAX];
    kaiser_lowpass(h, s->taps, (s->passband_hz + s->stopband_hz) / 2.0, fs, s->atten_db);
    if (s->type == BAL_FIR_MINIMUM && !minimum_phase(h, s->taps)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    quantize(h, s->taps, f);
    char why[200];
    if (!bal_filter_check(f, why, sizeof why)) {
        snprintf(err, errlen, "the design does not fit the device: %s", why);
        return false;
    }
    return true;
}
