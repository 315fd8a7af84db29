#include "filter.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "interp.h"
#include "util.h"

#define Q30 1073741824.0
#define DC_TOLERANCE_DB 0.1

/* ---- names and the check word */
void bal_filter_name_words(const char *name, uint32_t w[2])
{
    w[0] = w[1] = 0;
    for (unsigned i = 0; i < BAL_FILTER_NAME_MAX && name[i]; i++)
        w[i / 4] |= (uint32_t)(uint8_t)name[i] << (8 * (i % 4));
}

void bal_filter_name(const uint32_t w[2], char out[BAL_FILTER_NAME_MAX + 1])
{
    size_t n = 0;
    for (unsigned i = 0; i < BAL_FILTER_NAME_MAX; i++) {
        char c = (char)(w[i / 4] >> (8 * (i % 4)));
        if (!c)
            break;
        out[n++] = c > 0x20 && c < 0x7F ? c : '?';
    }
    out[n] = 0;
}

bool bal_filter_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > BAL_FILTER_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (name[i] <= 0x20 || name[i] >= 0x7F)
            return false;
    return true;
}

uint32_t bal_filter_check_word(const struct bal_filter *f)
{
    return ip_bank_check(f->coef, f->taps);
}

/* ---- measures */
static void response(const struct bal_filter *f, double w, double *mag, double *delay)
{
    double re = 0, im = 0, dre = 0, dim = 0;
    for (int n = 0; n < f->taps; n++) {
        double c = f->coef[n] / Q30, a = -w * n;
        re += c * cos(a);
        im += c * sin(a);
        dre += n * c * cos(a);
        dim += n * c * sin(a);
    }
    double m2 = re * re + im * im;
    *mag = sqrt(m2) / 2.0; /* against the interpolator's 2 */
    /* group delay: Re(sum n h e^-jwn / sum h e^-jwn), in output samples */
    *delay = m2 > 0 ? (dre * re + dim * im) / m2 : 0.0;
}

double bal_filter_gain_db(const struct bal_filter *f, double fs_hz, double f_hz)
{
    double mag, delay;
    response(f, M_PI * f_hz / fs_hz, &mag, &delay); /* the output runs at 2 fs */
    return 20.0 * log10(fmax(mag, 1e-20));
}

void bal_filter_measure(const struct bal_filter *f, double fs_hz, double passband_hz,
                        double stopband_hz, struct bal_filter_figures *fig)
{
    const int grid = 4096;
    double lo = 1e9, hi = -1e9, worst_stop = -1e9, dmin = 1e9, dmax = -1e9;
    for (int i = 0; i <= grid; i++) {
        double fh = fs_hz * i / grid; /* 0 .. fs: the 2x output's Nyquist */
        double mag, delay;
        response(f, M_PI * fh / fs_hz, &mag, &delay);
        double db = 20.0 * log10(fmax(mag, 1e-20));
        if (fh <= passband_hz) {
            lo = fmin(lo, db);
            hi = fmax(hi, db);
            dmin = fmin(dmin, delay / 2.0);
            dmax = fmax(dmax, delay / 2.0);
        }
        if (fh >= stopband_hz)
            worst_stop = fmax(worst_stop, db);
    }
    double mag, delay;
    response(f, 0.0, &mag, &delay);
    fig->dc_error_db = 20.0 * log10(fmax(mag, 1e-20));
    fig->ripple_db = (hi - lo) / 2.0;
    fig->stopband_db = -worst_stop;
    fig->gain_nyquist_db = bal_filter_gain_db(f, fs_hz, fs_hz / 2.0);
    response(f, M_PI * fmin(1000.0, passband_hz / 2.0) / fs_hz, &mag, &delay);
    fig->delay_samples = delay / 2.0;
    fig->delay_spread = dmax - dmin;
    double sum[2] = {0, 0};
    for (int n = 0; n < f->taps; n++)
        sum[n & 1] += fabs(f->coef[n] / Q30);
    fig->max_phase_abs = fmax(sum[0], sum[1]);
}

bool bal_filter_check(const struct bal_filter *f, char *err, size_t errlen)
{
    if (f->taps < IP_BANK_TAPS_MIN || f->taps > (int)BAL_FILTER_TAPS_MAX) {
        snprintf(err, errlen, "%d taps: a filter has %d to %d", f->taps, IP_BANK_TAPS_MIN,
                 BAL_FILTER_TAPS_MAX);
        return false;
    }
    double sum[2] = {0, 0}, dc = 0;
    for (int n = 0; n < f->taps; n++) {
        sum[n & 1] += fabs(f->coef[n] / Q30);
        dc += f->coef[n] / Q30;
    }
    for (int p = 0; p < 2; p++)
        if (sum[p] >= IP_PHASE_ABS_SUM / IP_COEF_ONE) {
            snprintf(err, errlen, "the %s taps' magnitudes sum to %.4f; the device's accumulator takes "
                     "less than %.1f", p ? "odd" : "even", sum[p], IP_PHASE_ABS_SUM / IP_COEF_ONE);
            return false;
        }
    double db = 20.0 * log10(fabs(dc) / 2.0);
    if (!(dc > 0) || fabs(db) > DC_TOLERANCE_DB) {
        snprintf(err, errlen, "the DC gain is %+.3f dB from the 2x interpolator's 2.0 (the taps sum to "
                 "%.6f); it must be within %.1f dB", dc > 0 ? db : -INFINITY, dc, DC_TOLERANCE_DB);
        return false;
    }
    return true;
}

/* ---- coefficient files */
/* Taps as read, in double, scaled to a total of 2.0 when they are a unity-gain prototype. */
struct raw_taps {
    int n;
    char name[BAL_FILTER_NAME_MAX + 1];
    double edge[3]; /* rate, passband, stopband; 0 unknown */
    double v[BAL_FILTER_TAPS_MAX];
    int where[BAL_FILTER_TAPS_MAX]; /* line (text) or sample (WAV) */
};

static bool quantize(const char *path, const char *unit, const struct raw_taps *r, struct bal_filter *f,
                     char *err, size_t errlen)
{
    double dc = 0;
    for (int i = 0; i < r->n; i++)
        dc += r->v[i];
    /* the interpolator's gain is 2.0; a design tool's unity-gain prototype (sum 1.0) is doubled */
    double scale = fabs(20.0 * log10(fabs(dc))) <= DC_TOLERANCE_DB ? 2.0 : 1.0;
    memset(f, 0, sizeof *f);
    f->taps = r->n;
    snprintf(f->name, sizeof f->name, "%s", r->name);
    f->rate_hz = r->edge[0];
    f->passband_hz = r->edge[1];
    f->stopband_hz = r->edge[2];
    for (int i = 0; i < r->n; i++) {
        double q = r->v[i] * scale * Q30;
        if (!(q >= (double)IP_COEF_MIN && q <= (double)IP_COEF_MAX)) {
            snprintf(err, errlen, "%s:%s%d: %.9g is out of range: a tap lies in -2.0 .. %.9f%s", path, unit,
                     r->where[i], r->v[i], IP_COEF_MAX / Q30,
                     scale == 2.0 ? " (after doubling a unity-gain filter)" : "");
            return false;
        }
        f->coef[i] = (int32_t)llround(q);
    }
    char why[200];
    if (!bal_filter_check(f, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", path, why);
        return false;
    }
    return true;
}

static bool load_text(const char *path, FILE *fp, struct raw_taps *r, char *err, size_t errlen)
{
    char line[512];
    int lineno = 0;
    double scale = 0; /* 0: none given */
    int scale_line = 0;
    bool integers_unscaled = false;
    int first_int_line = 0;
    r->n = 0;
    r->name[0] = 0;
    r->edge[0] = r->edge[1] = r->edge[2] = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(fp)) {
            snprintf(err, errlen, "%s:%d: line longer than %zu characters", path, lineno, sizeof line - 2);
            return false;
        }
        char *hash = strchr(line, '#'), *t;
        if (hash) {
            char *c = bal_trim(hash + 1);
            static const char *const edge_words[3] = {"rate", "passband", "stopband"};
            for (int e = 0; e < 3; e++) {
                size_t n = strlen(edge_words[e]);
                if (strncmp(c, edge_words[e], n) || !isspace((unsigned char)c[n]))
                    continue;
                char *end;
                double v = strtod(c + n, &end);
                if (end == c + n || *bal_trim(end) || !isfinite(v) || v <= 0) {
                    snprintf(err, errlen, "%s:%d: '# %s' takes a frequency in Hz", path, lineno, edge_words[e]);
                    return false;
                }
                r->edge[e] = v;
            }
            if (!strncmp(c, "name", 4) && isspace((unsigned char)c[4])) {
                char *n = bal_trim(c + 4);
                if (!bal_filter_name_ok(n)) {
                    snprintf(err, errlen, "%s:%d: '# name' takes 1 to %d printable characters, no spaces", path,
                             lineno, BAL_FILTER_NAME_MAX);
                    return false;
                }
                snprintf(r->name, sizeof r->name, "%s", n);
            }
            if (!strncmp(c, "scale", 5) && (c[5] == 0 || isspace((unsigned char)c[5]))) {
                char *end;
                errno = 0;
                double s = strtod(c + 5, &end);
                if (errno || *bal_trim(end) || !isfinite(s) || s <= 0) {
                    snprintf(err, errlen, "%s:%d: '# scale' takes one positive number", path, lineno);
                    return false;
                }
                if (scale_line) {
                    snprintf(err, errlen, "%s:%d: a second '# scale' line (the first is line %d)", path,
                             lineno, scale_line);
                    return false;
                }
                if (r->n) {
                    snprintf(err, errlen, "%s:%d: '# scale' must come before the first coefficient", path,
                             lineno);
                    return false;
                }
                scale = s;
                scale_line = lineno;
            }
            *hash = 0;
        }
        t = bal_trim(line);
        if (!*t)
            continue;
        char *end;
        errno = 0;
        double v = strtod(t, &end);
        if (end == t || *bal_trim(end)) {
            snprintf(err, errlen, "%s:%d: '%s' is not a number (one coefficient a line)", path, lineno, t);
            return false;
        }
        if (!isfinite(v) || errno == ERANGE) {
            snprintf(err, errlen, "%s:%d: '%s' is not a finite number", path, lineno, t);
            return false;
        }
        if (r->n == BAL_FILTER_TAPS_MAX) {
            snprintf(err, errlen, "%s:%d: more than %d coefficients", path, lineno, BAL_FILTER_TAPS_MAX);
            return false;
        }
        bool integral = !strpbrk(t, ".eEnN");
        if (integral && !scale && fabs(v) > 2.0 && !integers_unscaled) {
            integers_unscaled = true;
            first_int_line = lineno;
        }
        r->where[r->n] = lineno;
        r->v[r->n++] = scale ? v / scale : v;
    }
    if (ferror(fp)) {
        snprintf(err, errlen, "%s: read error after line %d: %s", path, lineno, strerror(errno));
        return false;
    }
    if (integers_unscaled) {
        snprintf(err, errlen, "%s:%d: integer coefficients need a '# scale S' line before them (each tap "
                 "is then integer / S; Q1.30 is '# scale 1073741824')", path, first_int_line);
        return false;
    }
    if (r->n < IP_BANK_TAPS_MIN) {
        snprintf(err, errlen, "%s:%d: %d coefficient%s: a filter has %d to %d", path, lineno, r->n,
                 r->n == 1 ? "" : "s", IP_BANK_TAPS_MIN, BAL_FILTER_TAPS_MAX);
        return false;
    }
    return true;
}

static bool load_wav(const char *path, struct raw_taps *r, char *err, size_t errlen)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        snprintf(err, errlen, "%s: not a readable sound file: %s", path, sf_strerror(NULL));
        return false;
    }
    bool ok = false;
    r->name[0] = 0;
    r->edge[0] = r->edge[1] = r->edge[2] = 0;
    if (info.channels != 1)
        snprintf(err, errlen, "%s: %d channels: a filter is a mono WAV", path, info.channels);
    else if (info.frames < IP_BANK_TAPS_MIN || info.frames > BAL_FILTER_TAPS_MAX)
        snprintf(err, errlen, "%s: sample %lld: %lld samples: a filter has %d to %d", path,
                 (long long)(info.frames > BAL_FILTER_TAPS_MAX ? BAL_FILTER_TAPS_MAX + 1 : info.frames),
                 (long long)info.frames, IP_BANK_TAPS_MIN, BAL_FILTER_TAPS_MAX);
    else {
        sf_command(sf, SFC_SET_NORM_DOUBLE, NULL, SF_TRUE);
        sf_count_t got = sf_readf_double(sf, r->v, info.frames);
        if (got != info.frames)
            snprintf(err, errlen, "%s: sample %lld: the file ends early (%s)", path, (long long)got + 1,
                     sf_strerror(sf));
        else {
            r->n = (int)got;
            ok = true;
            for (int i = 0; i < r->n; i++) {
                r->where[i] = i + 1;
                if (!isfinite(r->v[i])) {
                    snprintf(err, errlen, "%s:sample %d: not a finite number", path, i + 1);
                    ok = false;
                    break;
                }
            }
        }
    }
    sf_close(sf);
    return ok;
}

static bool is_riff(FILE *fp)
{
    char magic[4];
    size_t n = fread(magic, 1, 4, fp);
    rewind(fp);
    return n == 4 && (!memcmp(magic, "RIFF", 4) || !memcmp(magic, "RIFX", 4) || !memcmp(magic, "RF64", 4));
}

bool bal_filter_load_file(const char *path, struct bal_filter *f, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    struct raw_taps r; /* about 3 KB */
    bool wav = is_riff(fp), ok;
    if (wav) {
        fclose(fp);
        ok = load_wav(path, &r, err, errlen);
    } else {
        ok = load_text(path, fp, &r, err, errlen);
        fclose(fp);
    }
    return ok && quantize(path, wav ? "sample " : "", &r, f, err, errlen);
}

bool bal_filter_save_file(const char *path, const struct bal_filter *f, const char *comment, char *err,
                          size_t errlen)
{
    FILE *fp = strcmp(path, "-") ? fopen(path, "w") : stdout;
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    if (comment)
        fprintf(fp, "# %s\n", comment);
    if (f->name[0])
        fprintf(fp, "# name %s\n", f->name);
    if (f->rate_hz > 0 && f->passband_hz > 0 && f->stopband_hz > 0)
        fprintf(fp, "# rate %.0f\n# passband %.1f\n# stopband %.1f\n", f->rate_hz, f->passband_hz,
                f->stopband_hz);
    fprintf(fp, "# %d taps, Q1.30 (the taps sum to 2.0: the 2x interpolator's gain)\n# scale 1073741824\n",
            f->taps);
    for (int i = 0; i < f->taps; i++)
        fprintf(fp, "%d\n", f->coef[i]);
    bool ok = !ferror(fp);
    if (fp != stdout)
        ok = fclose(fp) == 0 && ok;
    else
        ok = fflush(fp) == 0 && ok;
    if (!ok)
        snprintf(err, errlen, "%s: write error: %s", path, strerror(errno));
    return ok;
}
