/* The stage-1 filter designer: 2x interpolation filters, designed in double, quantized exactly
 * as the device stores them (Q1.30, the taps summing to 2.0), and measured from the quantized
 * taps (bal_filter_measure).
 *
 *   linear     linear phase, Kaiser-windowed sinc: the cutoff halfway between the passband and
 *              the stopband edges, the window's beta from the attenuation asked
 *   minimum    minimum phase, from the linear design's magnitude by the cepstral method (the
 *              log magnitude's cepstrum folded onto positive time): the same magnitude to the
 *              quantization floor, little pre-ringing, a group delay that varies with frequency
 *   apodizing  linear phase with the stopband starting at or below fs/2, so that the response
 *              there is far below -6 dB and the pre-ringing band-limited recordings carry (from
 *              their own steep filters near fs/2) is removed
 *   nos        the zero-order hold, taps {1, 1}: stage 1 repeats each input sample (the fixed
 *              halfbands still follow; OVERSAMPLE.NOS bypasses every stage)
 */
#ifndef BAL_FIR_DESIGN_H
#define BAL_FIR_DESIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "filter.h"

enum bal_fir_type { BAL_FIR_LINEAR, BAL_FIR_MINIMUM, BAL_FIR_APODIZING, BAL_FIR_NOS };

struct bal_fir_spec {
    enum bal_fir_type type;
    int taps;            /* 2..BAL_FILTER_TAPS_MAX (nos: 2) */
    double rate_hz;      /* the input rate the edges are given for */
    double passband_hz;  /* edge of the passband */
    double stopband_hz;  /* start of the stopband (up to rate_hz: the 2x output's Nyquist) */
    double atten_db;     /* stopband attenuation asked */
};

/* The name of a type ("linear", ...), and its code from a name; false when unknown. */
const char *bal_fir_type_name(enum bal_fir_type t);
bool bal_fir_type_parse(const char *name, enum bal_fir_type *t);

/* A spec with the type's defaults for an input rate: 140 dB; linear: 255 taps, passband
 * 0.4535 fs, stopband 0.5465 fs, as the built-in halfband; minimum: 191 taps, 0.4535 fs, 0.56 fs;
 * apodizing: 255 taps, 0.40 fs, 0.50 fs; nos: 2 taps. */
void bal_fir_defaults(enum bal_fir_type t, double rate_hz, struct bal_fir_spec *s);

/* Checks the spec's ranges (err says which is out) and designs f (named after its type). */
bool bal_fir_design(const struct bal_fir_spec *s, struct bal_filter *f, char *err, size_t errlen);

#endif
