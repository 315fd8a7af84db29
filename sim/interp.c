#include "interp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define XS_MASK ((1u << IP_XS_BITS) - 1)

/* ---- the MAC lane */
void ip_mac_clear(struct ip_mac *m)
{
    m->acc = 0;
    m->xs = IP_ROUND;
}

void ip_mac_tap(struct ip_mac *m, int32_t d, int32_t c)
{
    int32_t dh = d >> 8, dl = d & 0xFF;
    int32_t ch = (int16_t)(uint16_t)((uint32_t)(c >> 16) + (((uint32_t)c >> 15) & 1));
    int32_t cl = (int16_t)(uint16_t)(c & 0xFFFF);
    m->acc += (uint32_t)(dh * ch);
    int32_t s = ((dh * cl) >> 12) + ((dl * ch) >> 4);
    m->xs = (m->xs + (uint32_t)s) & XS_MASK;
}

static int32_t saturate(int64_t y)
{
    return y > IP_MAX ? IP_MAX : y < -IP_MAX ? -IP_MAX : (int32_t)y;
}

int32_t ip_mac_result(const struct ip_mac *m)
{
    int64_t xs = (int64_t)(m->xs ^ (1u << (IP_XS_BITS - 1))) - (1 << (IP_XS_BITS - 1));
    int64_t t = (int64_t)(int32_t)m->acc + (xs >> 4); /* 33 bits */
    return saturate(t >> 6);
}

int32_t ip_mac_pass(const int32_t *d, const int32_t *c, int n)
{
    struct ip_mac m;
    ip_mac_clear(&m);
    for (int i = 0; i < n; i++)
        ip_mac_tap(&m, d[i], c[i]);
    return ip_mac_result(&m);
}

/* ---- filters */
double ip_bessel_i0(double x)
{
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 200 && term > 1e-21 * sum; k++) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

double ip_kaiser_beta(double atten_db)
{
    if (atten_db > 50.0)
        return 0.1102 * (atten_db - 8.7);
    if (atten_db >= 21.0)
        return 0.5842 * pow(atten_db - 21.0, 0.4) + 0.07886 * (atten_db - 21.0);
    return 0.0;
}

void ip_design_halfband(struct ip_fir *f, int taps, double atten_db, const char *name)
{
    int c = (taps - 1) / 2;
    double beta = ip_kaiser_beta(atten_db), i0b = ip_bessel_i0(beta), h[IP_TAPS_MAX], sum = 0.0;
    memset(f, 0, sizeof *f);
    f->taps = taps;
    snprintf(f->name, sizeof f->name, "%s", name);
    for (int i = 0; i < taps; i++) {
        int m = i - c;
        double r = 2.0 * i / (taps - 1) - 1.0;
        double w = ip_bessel_i0(beta * sqrt(fmax(0.0, 1.0 - r * r))) / i0b;
        h[i] = (m % 2 != 0) ? sin(M_PI * m / 2.0) / (M_PI * m / 2.0) * w : 0.0;
        sum += h[i];
    }
    /* the odd phase sums to exactly 1.0 after rounding: the pair beside the centre takes
     * the residue (taps come in mirrored pairs, so it is even) */
    int64_t qsum = 0;
    for (int i = 0; i < taps; i++) {
        f->coef[i] = (int32_t)llround(h[i] / sum * IP_COEF_ONE);
        qsum += f->coef[i];
    }
    int32_t half = (int32_t)((IP_COEF_ONE - qsum) / 2);
    f->coef[c - 1] += half;
    f->coef[c + 1] += half;
    f->coef[c] = IP_COEF_ONE;
}

const struct ip_fir *ip_default_fir(int stage)
{
    static struct ip_fir fir[IP_STAGES];
    static bool made;
    if (!made) {
        ip_design_halfband(&fir[0], 203, 135.0, "halfband");
        ip_design_halfband(&fir[1], 43, 140.0, "hb43");
        ip_design_halfband(&fir[2], 27, 140.0, "hb27");
        made = true;
    }
    return stage >= 1 && stage <= IP_STAGES ? &fir[stage - 1] : NULL;
}

double ip_fir_gain(const struct ip_fir *f, double f_out)
{
    double re = 0.0, im = 0.0;
    for (int i = 0; i < f->taps; i++) {
        double a = -2.0 * M_PI * f_out * i;
        re += f->coef[i] * cos(a);
        im += f->coef[i] * sin(a);
    }
    return hypot(re, im) / (2.0 * IP_COEF_ONE);
}

/* ---- the engine */
void ip_engine_flush(struct ip_engine *e)
{
    memset(e->hist, 0, sizeof e->hist);
}

void ip_engine_init(struct ip_engine *e)
{
    for (int s = 0; s < IP_STAGES; s++)
        e->fir[s] = ip_default_fir(s + 1);
    e->ratio = 8;
    e->nos = false;
    ip_engine_flush(e);
}

void ip_stage_push(const struct ip_fir *f, struct ip_hist *h, int32_t x, int32_t y[2])
{
    h->pos = (h->pos + 1) & (IP_HIST - 1);
    h->x[h->pos] = x;
    for (int p = 0; p < 2; p++) {
        struct ip_mac m;
        ip_mac_clear(&m);
        for (int k = 0; 2 * k + p < f->taps; k++)
            ip_mac_tap(&m, h->x[(h->pos - k) & (IP_HIST - 1)], f->coef[2 * k + p]);
        y[p] = ip_mac_result(&m);
    }
}

unsigned ip_engine_push(struct ip_engine *e, int32_t l, int32_t r, int32_t out[][2])
{
    for (int ch = 0; ch < 2; ch++) {
        int32_t buf[2][IP_RATIO_MAX];
        unsigned n = 1, b = 0;
        buf[0][0] = ch ? r : l;
        if (e->nos || e->ratio == 1) {
            /* the unity tap: a copy, saturated symmetrically like every stage's output */
            for (unsigned i = 0; i < e->ratio; i++)
                out[i][ch] = saturate(buf[0][0]);
            continue;
        }
        for (int s = 0; (1u << s) < e->ratio; s++, n *= 2, b ^= 1)
            for (unsigned j = 0; j < n; j++)
                ip_stage_push(e->fir[s], &e->hist[s][ch], buf[b][j], &buf[b ^ 1][2 * j]);
        for (unsigned i = 0; i < n; i++)
            out[i][ch] = buf[b][i];
    }
    return e->ratio;
}

unsigned ip_ratio_max(unsigned rate_hz)
{
    return rate_hz <= 48000 ? 8 : rate_hz <= 96000 ? 4 : 2;
}

static uint32_t rotl1(uint32_t c)
{
    return c << 1 | c >> 31;
}

uint32_t ip_bank_check(const int32_t *coef, int taps)
{
    uint32_t c = IP_BANK_CHECK_SEED;
    for (int i = 0; i < taps; i++)
        c = rotl1(c) ^ (uint32_t)coef[i];
    return rotl1(c);
}
