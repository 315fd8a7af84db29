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

#endif
