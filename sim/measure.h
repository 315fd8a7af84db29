/* Measurements a listener cares about, on captured samples. */
#ifndef BAL_MEASURE_H
#define BAL_MEASURE_H

#include <stddef.h>
#include <stdint.h>

/* THD+N of n samples holding a sine of `cycles` whole periods (coherent): the power of
 * everything but the fundamental and DC, relative to the fundamental's, in dB. The fit is
 * subtracted sample by sample (no cancellation of large sums). Also gives the fundamental's
 * peak amplitude. */
double measure_thdn_db(const int32_t *x, size_t n, double cycles, double *amplitude);

/* The power spectrum of a coherent capture (n samples at fs holding a sine on bin k0, no
 * window), and from it: THD+N within [f_lo, f_hi] (every bin there but the fundamental's,
 * relative to it), and the strongest single bin at or above f_from, in dBc. Returns 0, or -1
 * when the spectrum cannot be computed. */
struct measure_spectrum {
    double thdn_db;      /* within [f_lo, f_hi] */
    double worst_db;     /* the strongest bin at or above f_from, relative to the fundamental */
    double worst_hz;
    double amplitude;    /* the fundamental's peak, in the samples' units */
};
int measure_spectrum(const int32_t *x, size_t n, double fs, size_t k0, double f_lo, double f_hi,
                     double f_from, struct measure_spectrum *out);

#endif
