/* Bit-exact model of the test tone generator (rtl/audio/tone.v): a 32-bit phase accumulator and
 * a CORDIC in rotation mode, the way the RTL runs it bit-serially.
 *
 * Phase: 32-bit binary angle (2^32 = one turn), advanced by INC per sample. Folded into
 * [-pi/2, pi/2] (2^31 - phase where |phase| > pi/2; sin is unchanged). X starts at the level's
 * amplitude divided by the CORDIC gain, Y at 0, Z at the folded phase; TONE_ITERS iterations
 * x' = x - d (y >> i), y' = y + d (x >> i), z' = z - d atan(2^-i) (d the sign of z, shifts
 * arithmetic) leave A sin(phase) in y, with 30 fraction bits; the sample is y >> 7 (24 bits). */
#ifndef BAL_TONEMODEL_H
#define BAL_TONEMODEL_H

#include <stdint.h>

#define TONE_ITERS 26
#define TONE_FRAC 30   /* fraction bits of x and y */
#define TONE_LEVELS 256 /* ATTEN 0..255: 0 to -127.5 dB in 0.5 dB steps */
#define TONE_RATE_HZ 48000.0 /* the tone plays at the output's 48 kHz */

/* The table contents: x0 for each attenuation, atan(2^-i) in binary angle units. */
uint32_t tone_x0(unsigned atten);
uint32_t tone_atan(unsigned i);

/* The sample for a phase and attenuation (24-bit two's complement). */
int32_t tone_sample(uint32_t phase, unsigned atten);

/* INC for a frequency in Hz (0 < f < 24000), rounded; and back. */
uint32_t tone_inc_for_hz(double hz);
double tone_hz_for_inc(uint32_t inc);

#endif
