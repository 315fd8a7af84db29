#include "tonemodel.h"

#include <math.h>

/* The CORDIC gain of TONE_ITERS iterations */
static double cordic_gain(void)
{
    double k = 1.0;
    for (int i = 0; i < TONE_ITERS; i++)
        k *= sqrt(1.0 + ldexp(1.0, -2 * i));
    return k;
}

uint32_t tone_x0(unsigned atten)
{
    /* 0 dBFS peaks two codes below full scale: the CORDIC's last-bit error never overflows */
    double full = ldexp(8388606.0, TONE_FRAC - 23);
    double amp = full * pow(10.0, -0.5 * atten / 20.0) / cordic_gain();
    return (uint32_t)llround(amp);
}

uint32_t tone_atan(unsigned i)
{
    return (uint32_t)llround(atan(ldexp(1.0, -(int)i)) / (2.0 * M_PI) * 4294967296.0);
}

int32_t tone_sample(uint32_t phase, unsigned atten)
{
    /* fold: top two bits 01 or 10 is beyond +-pi/2; pi - phase = 2^31 - phase (mod 2^32) */
    uint32_t q = phase >> 30;
    uint32_t z = (q == 1 || q == 2) ? 0x80000000u - phase : phase;
    int32_t x = (int32_t)tone_x0(atten), y = 0, zz = (int32_t)z;
    for (unsigned i = 0; i < TONE_ITERS; i++) {
        int32_t xs = x >> i, ys = y >> i; /* arithmetic shifts, as the RTL's sign extension */
        uint32_t a = tone_atan(i);
        if (zz >= 0) {
            x = (int32_t)((uint32_t)x - (uint32_t)ys);
            y = (int32_t)((uint32_t)y + (uint32_t)xs);
            zz = (int32_t)((uint32_t)zz - a);
        } else {
            x = (int32_t)((uint32_t)x + (uint32_t)ys);
            y = (int32_t)((uint32_t)y - (uint32_t)xs);
            zz = (int32_t)((uint32_t)zz + a);
        }
    }
    return y >> (TONE_FRAC - 23);
}

uint32_t tone_inc_for_hz(double hz)
{
    return (uint32_t)llround(hz / TONE_RATE_HZ * 4294967296.0);
}

double tone_hz_for_inc(uint32_t inc)
{
    return inc * TONE_RATE_HZ / 4294967296.0;
}
