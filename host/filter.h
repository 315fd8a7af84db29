/* Stage-1 filters on the host: coefficient files, the checks the device needs, the measures of
 * a quantized filter (and, in fir_design.h, the designer).
 *
 * A filter is taps h[0..N-1] (N = 2..BAL_FILTER_TAPS_MAX) in Q1.30, exactly as the device's
 * coefficient store holds them (sim/interp.h): a 2x interpolator's taps sum to 2.0 (each
 * phase's to about 1.0), and each phase's sum of |h| stays below 4.0. */
#ifndef BAL_FILTER_H
#define BAL_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regmap.h"

#define BAL_FILTER_NAME_MAX 8 /* characters */

struct bal_filter {
    int taps;
    int32_t coef[BAL_FILTER_TAPS_MAX];
    char name[BAL_FILTER_NAME_MAX + 1];
    /* the edges it was designed for, when known (a file's '# rate', '# passband', '# stopband'
     * lines; 0 when not) */
    double rate_hz, passband_hz, stopband_hz;
};

/* ---- names and the check word */
/* The name in two words (ASCII, the first character in the low byte), and back (printable
 * characters only; others as '?'). */
void bal_filter_name_words(const char *name, uint32_t w[2]);
void bal_filter_name(const uint32_t w[2], char out[BAL_FILTER_NAME_MAX + 1]);
/* Whether a name may be stored: 1..8 printable ASCII characters, no space. */
bool bal_filter_name_ok(const char *name);
/* The word a commit of f is verified with (ip_bank_check in sim/interp.h). */
uint32_t bal_filter_check_word(const struct bal_filter *f);

/* ---- what a filter does (from its quantized taps) */
struct bal_filter_figures {
    double dc_error_db;      /* the DC gain against the 2x interpolator's 2.0 */
    double ripple_db;        /* peak-to-peak / 2 in 0..passband */
    double stopband_db;      /* worst attenuation from stopband to fs/2 (of the 2x rate) */
    double gain_nyquist_db;  /* at the input's fs/2 (apodizing: -6 or lower) */
    double delay_samples;    /* group delay at 1 kHz-ish (passband centre), in input samples */
    double delay_spread;     /* its spread over the passband, input samples (0: linear phase) */
    double max_phase_abs;    /* the larger phase's sum of |c| (the device needs < 4.0) */
};
/* passband_hz and stopband_hz at input rate fs_hz (stopband <= fs: the 2x output's Nyquist). */
void bal_filter_measure(const struct bal_filter *f, double fs_hz, double passband_hz,
                        double stopband_hz, struct bal_filter_figures *fig);
/* The gain (dB, 0 = passband) at f_hz for input rate fs_hz. */
double bal_filter_gain_db(const struct bal_filter *f, double fs_hz, double f_hz);

/* Checks what the device needs: the length, each phase's sum of |c| below 4.0, the DC gain
 * within 0.1 dB of 2.0. On failure err says which. */
bool bal_filter_check(const struct bal_filter *f, char *err, size_t errlen);

/* ---- coefficient files
 * Text: one coefficient a line, floating point (a gain of 2.0 in total, or of 1.0: then every
 * tap is doubled; said by a '# scale' line or by the sum), or integers with a '# scale S' line
 * (each tap = integer / S, so '# scale 1073741824' gives Q1.30 exactly). Blank lines and '#'
 * comments may stand anywhere; a '# name NAME' line names it, '# rate HZ', '# passband HZ' and
 * '# stopband HZ' lines give the edges it was designed for. Or a mono WAV of float or integer samples (taps = samples as
 * read, -1..1 full scale, then scaled to a total of 2.0 when they sum to about 1.0).
 * On error, returns false with err naming the file and line (or sample). */
bool bal_filter_load_file(const char *path, struct bal_filter *f, char *err, size_t errlen);
/* Writes the text form: the comment, '# name' and the edges (when known), '# scale 1073741824'
 * and one integer a line. */
bool bal_filter_save_file(const char *path, const struct bal_filter *f, const char *comment,
                          char *err, size_t errlen);

#endif
