#include "measure.h"

#include <math.h>

#include <fftw3.h>

double measure_thdn_db(const int32_t *x, size_t n, double cycles, double *amplitude)
{
    double sc = 0, ss = 0, dc = 0;
    for (size_t i = 0; i < n; i++) {
        double a = 2.0 * M_PI * cycles * (double)i / (double)n;
        dc += x[i];
        sc += x[i] * cos(a);
        ss += x[i] * sin(a);
    }
    dc /= (double)n;
    double ca = 2.0 * sc / (double)n, sa = 2.0 * ss / (double)n, rest = 0;
    for (size_t i = 0; i < n; i++) {
        double a = 2.0 * M_PI * cycles * (double)i / (double)n;
        double r = x[i] - dc - ca * cos(a) - sa * sin(a);
        rest += r * r;
    }
    double fund = (ca * ca + sa * sa) / 2.0 * (double)n;
    if (amplitude)
        *amplitude = sqrt(ca * ca + sa * sa);
    return 10.0 * log10(rest / fund);
}

int measure_spectrum(const int32_t *x, size_t n, double fs, size_t k0, double f_lo, double f_hi,
                     double f_from, struct measure_spectrum *out)
{
    size_t bins = n / 2 + 1;
    double *in = fftw_malloc(sizeof(double) * n);
    fftw_complex *spec = fftw_malloc(sizeof(fftw_complex) * bins);
    if (!in || !spec || k0 == 0 || k0 >= bins) {
        fftw_free(in);
        fftw_free(spec);
        return -1;
    }
    fftw_plan plan = fftw_plan_dft_r2c_1d((int)n, in, spec, FFTW_ESTIMATE);
    for (size_t i = 0; i < n; i++)
        in[i] = x[i];
    fftw_execute(plan);
    double fund = spec[k0][0] * spec[k0][0] + spec[k0][1] * spec[k0][1];
    double band = 0.0, worst = 0.0;
    size_t worst_k = 0;
    for (size_t k = 1; k < bins; k++) {
        double f = (double)k * fs / (double)n;
        double p = spec[k][0] * spec[k][0] + spec[k][1] * spec[k][1];
        if (k == k0)
            continue;
        if (f >= f_lo && f <= f_hi)
            band += p;
        if (f >= f_from && p > worst) {
            worst = p;
            worst_k = k;
        }
    }
    out->thdn_db = 10.0 * log10(band / fund);
    out->worst_db = worst > 0.0 ? 10.0 * log10(worst / fund) : -INFINITY;
    out->worst_hz = (double)worst_k * fs / (double)n;
    out->amplitude = 2.0 * sqrt(fund) / (double)n;
    fftw_destroy_plan(plan);
    fftw_free(in);
    fftw_free(spec);
    return 0;
}
