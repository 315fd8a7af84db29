/* demoreport DIR: make demo's measurements, from DIR/lanes.wav (L+ L- R+ R- at the output
 * rate), DIR/programme.wav and DIR/parts.txt (tools/demogen), DIR/events.txt (scripts/demo.sh).
 * Writes the plots' data (DIR/NAME.dat), DIR/report.gp for gnuplot, DIR/numbers.txt, and
 * DIR/report.html with the numbers and the plots. */
#include <fftw3.h>
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "interp.h"

#define IN_RATE 48000.0
#define FULL 2147483648.0 /* the lanes' 32-bit words */

static int32_t *lanes; /* interleaved, 4 a frame */
static size_t nframes;
static double rate;
static const char *dir;
static long offset; /* output frame of programme frame 0, times the ratio */
static double *prog; /* the programme's left channel, full scale 1.0 */
static size_t prog_frames;
static double ratio;

struct part {
    char name[32];
    long first, last; /* programme frames */
};
static struct part parts[16];
static int nparts;

/* DIR/name (the one buffer: use it before the next call) */
static const char *in_dir(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static FILE *open_out(const char *name)
{
    const char *path = in_dir(name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

static const struct part *part_named(const char *name)
{
    for (int i = 0; i < nparts; i++)
        if (!strcmp(parts[i].name, name))
            return &parts[i];
    fprintf(stderr, "demoreport: no part '%s' in parts.txt\n", name);
    exit(1);
}

static double lane(size_t frame, int k)
{
    return frame < nframes ? lanes[4 * frame + (size_t)k] / FULL : 0.0;
}

static size_t out_frame(long programme_frame)
{
    return (size_t)(offset + (long)(programme_frame * ratio));
}

/* Where the programme's first sound (the sweep's first frame) comes out: the first output
 * frame whose L+ reaches -60 dBFS, less the sweep's fade-in to that level */
static void find_offset(void)
{
    const struct part *s = part_named("sweep");
    size_t i = 0;
    while (i < nframes && fabs(lane(i, 0)) < 1e-3)
        i++;
    offset = (long)i - (long)(s->first * ratio);
}

/* The power spectrum of x[0..n) (n a power of two) through a Kaiser window (beta 20: its
 * sidelobes lie below -180 dB, under the 24-bit floor), n/2 + 1 bins in dB, scaled so that a
 * sine's bins sum to its peak squared (0 dB: a full-scale sine's power); returns Hz a bin */
#define LOBE 40 /* bins either side of a sine's peak that hold its power */
static double spectrum(const double *x, size_t n, double *db)
{
    double *in = fftw_alloc_real(n), w2 = 0, beta = 20.0, i0b = ip_bessel_i0(beta);
    fftw_complex *out = fftw_alloc_complex(n / 2 + 1);
    fftw_plan p = fftw_plan_dft_r2c_1d((int)n, in, out, FFTW_ESTIMATE);
    for (size_t i = 0; i < n; i++) {
        double r = 2.0 * i / (n - 1) - 1.0, w = ip_bessel_i0(beta * sqrt(1 - r * r)) / i0b;
        in[i] = x[i] * w;
        w2 += w * w;
    }
    fftw_execute(p);
    for (size_t k = 0; k <= n / 2; k++) {
        double pw = 4 * (out[k][0] * out[k][0] + out[k][1] * out[k][1]) / (n * w2);
        db[k] = 10 * log10(pw + 1e-40);
    }
    fftw_destroy_plan(p);
    fftw_free(in);
    fftw_free(out);
    return rate / n;
}

/* THD+N in 20 Hz..20 kHz: all power there but the fundamental's lobe, relative to it; the
 * fundamental's peak level in dBFS into *level */
static double thdn_db(const double *db, size_t n, double hz_per_bin, double f0, double *level)
{
    size_t k0 = (size_t)lround(f0 / hz_per_bin), kmax = k0;
    for (size_t k = k0 - 3; k <= k0 + 3; k++)
        if (db[k] > db[kmax])
            kmax = k;
    double fund = 0, rest = 0;
    for (size_t k = (size_t)(20 / hz_per_bin); k <= (size_t)(20000 / hz_per_bin) && k <= n / 2; k++) {
        double pw = pow(10, db[k] / 10);
        if (k + LOBE >= kmax && k <= kmax + LOBE)
            fund += pw;
        else
            rest += pw;
    }
    *level = 10 * log10(fund);
    return 10 * log10(rest / fund);
}

/* The largest power of two that fits in the part's middle 90 % at the output rate */
static size_t fft_size(const struct part *p)
{
    size_t n = 1, span = (size_t)(0.9 * (double)(out_frame(p->last) - out_frame(p->first)));
    while (2 * n <= span)
        n *= 2;
    return n;
}

/* The 997 Hz part: the differential L's spectrum (tone.dat), THD+N; returns THD+N */
static double report_tone(double *level_dbfs)
{
    const struct part *t = part_named("tone");
    size_t n = fft_size(t), mid = (out_frame(t->first) + out_frame(t->last)) / 2;
    double *x = calloc(n, sizeof *x), *db = malloc((n / 2 + 1) * sizeof *db);
    for (size_t i = 0; i < n; i++)
        x[i] = (lane(mid - n / 2 + i, 0) - lane(mid - n / 2 + i, 1)) / 2;
    double hz = spectrum(x, n, db);
    FILE *f = open_out("tone.dat");
    for (size_t k = 1; k <= n / 2 && k * hz <= 60000; k++)
        fprintf(f, "%.2f %.2f\n", k * hz, db[k]);
    fclose(f);
    double r = thdn_db(db, n, hz, 997.0, level_dbfs);
    free(x);
    free(db);
    return r;
}

/* The volume ramp: L+'s level in 5 ms windows across the multitone (ramp.dat); the lowest */
static double report_ramp(void)
{
    const struct part *m = part_named("multitone");
    size_t a = out_frame(m->first), b = out_frame(m->last), w = (size_t)(rate / 200);
    double lowest = 0;
    FILE *f = open_out("ramp.dat");
    for (size_t s = a; s + w <= b; s += w) {
        double e = 0;
        for (size_t i = s; i < s + w; i++)
            e += lane(i, 0) * lane(i, 0);
        double db = 10 * log10(e / w + 1e-30);
        fprintf(f, "%.4f %.2f\n", (s - a) / rate, db);
        lowest = fmin(lowest, db);
    }
    fclose(f);
    return lowest;
}

/* Around the topology changes: L+ and L- through the speech, decimated (topology.dat); how
 * long L- is zero (single-ended) */
static double report_topology(void)
{
    const struct part *s = part_named("speech");
    size_t a = out_frame(s->first), b = out_frame(s->last), zero = 0;
    FILE *f = open_out("topology.dat");
    for (size_t i = a; i < b; i++) {
        zero += lane(i, 1) == 0.0 && lane(i, 0) != 0.0;
        if ((i - a) % 32 == 0)
            fprintf(f, "%.5f %.6f %.6f\n", (i - a) / rate, lane(i, 0), lane(i, 1));
    }
    fclose(f);
    return zero / rate;
}

/* The common mode (seed 002): the same interference (50 Hz hum and its harmonics, a 3 kHz
 * buzz) added to L+ and L- over the 997 Hz part; spectra of L+ alone (single-ended) and of
 * (L+ - L-)/2 (commonmode.dat); returns the interference's level in each */
static void report_common_mode(double *se_db, double *diff_db)
{
    const struct part *t = part_named("tone");
    size_t n = fft_size(t), mid = (out_frame(t->first) + out_frame(t->last)) / 2;
    double *se = malloc(n * sizeof *se), *df = malloc(n * sizeof *df);
    double *dse = malloc((n / 2 + 1) * sizeof *dse), *ddf = malloc((n / 2 + 1) * sizeof *ddf);
    for (size_t i = 0; i < n; i++) {
        double t_s = (double)i / rate;
        double hum = 0.05 * sin(2 * M_PI * 50 * t_s) + 0.02 * sin(2 * M_PI * 150 * t_s) +
                     0.01 * sin(2 * M_PI * 3000 * t_s);
        double p = lane(mid - n / 2 + i, 0) + hum, m = lane(mid - n / 2 + i, 1) + hum;
        se[i] = p;
        df[i] = (p - m) / 2;
    }
    double hz = spectrum(se, n, dse);
    spectrum(df, n, ddf);
    FILE *f = open_out("commonmode.dat");
    for (size_t k = 1; k * hz <= 20000; k++)
        fprintf(f, "%.2f %.2f %.2f\n", k * hz, dse[k], ddf[k]);
    fclose(f);
    double p_se = 0, p_df = 0; /* the 50 Hz lobe's power, +-8 bins */
    for (size_t k = (size_t)lround(50 / hz) - 8; k <= (size_t)lround(50 / hz) + 8; k++) {
        p_se += pow(10, dse[k] / 10);
        p_df += pow(10, ddf[k] / 10);
    }
    *se_db = 10 * log10(p_se);
    *diff_db = 10 * log10(p_df);
    free(se), free(df), free(dse), free(ddf);
}

/* The designed response of the chain at F Hz of the output, in dB: stage 1 (s1) and the fixed
 * stages 2 and 3, as many as the ratio runs, from their quantized taps */
static double designed_db(const struct ip_fir *s1, double F)
{
    double g = 1.0, stage_rate = IN_RATE;
    for (int s = 1; s <= IP_STAGES && stage_rate < rate; s++) {
        stage_rate *= 2;
        g *= ip_fir_gain(s == 1 ? s1 : ip_default_fir(s), F / stage_rate);
    }
    return 20 * log10(g + 1e-20);
}

/* The demo's second filter (DIR/minimum.txt, as scripts/demo.sh loaded it into bank 1) */
static void read_second_filter(struct ip_fir *f)
{
    char err[256];
    static struct bal_filter bf;
    const char *path = in_dir("minimum.txt");
    if (!bal_filter_load_file(path, &bf, err, sizeof err)) {
        fprintf(stderr, "demoreport: %s\n", err);
        exit(1);
    }
    f->taps = bf.taps;
    memcpy(f->coef, bf.coef, (size_t)bf.taps * sizeof f->coef[0]);
    snprintf(f->name, sizeof f->name, "%s", bf.name);
}

/* The FFT of x[0..n), no window (the sweeps fade in and out inside silence): n/2 + 1 bins into
 * spec; their power, |X|^2, into pw */
static void transform_rect(const double *x, size_t n, fftw_complex *spec, double *pw)
{
    double *in = fftw_alloc_real(n);
    fftw_plan p = fftw_plan_dft_r2c_1d((int)n, in, spec, FFTW_ESTIMATE);
    memcpy(in, x, n * sizeof *x);
    fftw_execute(p);
    for (size_t k = 0; k <= n / 2; k++)
        pw[k] = spec[k][0] * spec[k][0] + spec[k][1] * spec[k][1] + 1e-60;
    fftw_destroy_plan(p);
    fftw_free(in);
}

/* A stage-1 filter's group delay at f_hz, in input samples (its phase's slope at the 2x rate) */
static double designed_delay(const struct ip_fir *f, double f_hz)
{
    double ph[2];
    for (int j = 0; j < 2; j++) {
        double w = 2 * M_PI * (f_hz + (j ? 1.0 : -1.0)) / (2 * IN_RATE), re = 0, im = 0;
        for (int i = 0; i < f->taps; i++)
            re += f->coef[i] * cos(w * i), im -= f->coef[i] * sin(w * i);
        ph[j] = atan2(im, re);
    }
    double d = remainder(ph[1] - ph[0], 2 * M_PI);
    return -d / (2 * M_PI * 2.0 / (2 * IN_RATE)) / 2; /* 2x samples, then input samples */
}

struct delays {
    double measured, designed; /* the second filter's delay less the first's, input samples */
};

/* The second filter's delay less the first's, in input samples: the slope of the phase between
 * the two sweeps' Y/X over 800..1200 Hz (the output's offset and stages 2 and 3, common to
 * both, drop out; how the output's frames fall against the input's may move at the switch,
 * by an eighth of an input sample an output frame, and counts in) */
static double measured_delay_difference(fftw_complex *const hx[2], size_t m)
{
    double hz = IN_RATE / m, sxy = 0, sx = 0, sy = 0, sxx = 0, last = 0, turns = 0;
    int count = 0;
    for (size_t k = (size_t)(800 / hz); k <= (size_t)(1200 / hz); k++) {
        double re = hx[1][k][0] * hx[0][k][0] + hx[1][k][1] * hx[0][k][1];
        double im = hx[1][k][1] * hx[0][k][0] - hx[1][k][0] * hx[0][k][1];
        double ph = atan2(im, re);
        if (count && ph - last > M_PI)
            turns -= 2 * M_PI;
        else if (count && last - ph > M_PI)
            turns += 2 * M_PI;
        last = ph;
        double w = 2 * M_PI * k * hz, y = ph + turns; /* unwrapped */
        sx += w, sy += y, sxy += w * y, sxx += w * w, count++;
    }
    double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx); /* radians per rad/s */
    return -slope * IN_RATE;
}

/* The chain's response from each sweep: the output's spectrum over the input's, at the same
 * frequency in band and, above it, at the input frequency each image comes from (F folded about
 * the multiples of 48 kHz): response.dat (Hz, built-in halfband, minimum phase, in dB); the
 * designed responses on a log grid to the output's Nyquist: design.dat (Hz, the same two). The
 * worst image of the first, 28-180 kHz, into *image_db; the largest difference between
 * measured and designed, either filter, where the sweep stands above the floor, into *error_db;
 * the two filters' delays against each other into *delay */
static void report_response(double *image_db, double *error_db, struct delays *delay)
{
    struct ip_fir *second = calloc(1, sizeof *second);
    read_second_filter(second);
    const struct ip_fir *s1[2] = {ip_default_fir(1), second};
    const struct part *sw[2] = {part_named("sweep"), part_named("sweep2")};
    /* from 10 ms before the sweep to 40 ms after it, in the silence around it (the output's
     * offset, found by a threshold, is a millisecond or so late) */
    const long before = (long)(IN_RATE / 100);
    size_t m = (size_t)(sw[0]->last - sw[0]->first + 1 + before + (long)(IN_RATE / 25)), n = m * (size_t)ratio;
    double *x = malloc(n * sizeof *x), *px = malloc((n / 2 + 1) * sizeof *px);
    double *h[2] = {malloc((n / 2 + 1) * sizeof(double)), malloc((n / 2 + 1) * sizeof(double))};
    fftw_complex *xs = fftw_alloc_complex(m / 2 + 1), *ys = fftw_alloc_complex(n / 2 + 1);
    fftw_complex *hx[2] = {fftw_alloc_complex(m / 2 + 1), fftw_alloc_complex(m / 2 + 1)};
    for (int j = 0; j < 2; j++) {
        size_t in0 = (size_t)(sw[j]->first - before);
        for (size_t i = 0; i < m; i++) /* the input: programme frames at 48 kHz */
            x[i] = in0 + i < prog_frames ? prog[in0 + i] : 0;
        transform_rect(x, m, xs, px);
        size_t a = out_frame(sw[j]->first - before);
        for (size_t i = 0; i < n; i++)
            x[i] = lane(a + i, 0);
        transform_rect(x, n, ys, h[j]);
        for (size_t k = 0; k <= m / 2; k++) { /* Y/X in band: bin k is the same Hz in both */
            double d = px[k];
            hx[j][k][0] = (ys[k][0] * xs[k][0] + ys[k][1] * xs[k][1]) / d;
            hx[j][k][1] = (ys[k][1] * xs[k][0] - ys[k][0] * xs[k][1]) / d;
        }
        double hz = rate / n;
        for (size_t k = 1; k <= n / 2; k++) {
            double F = k * hz, fold = fabs(F - IN_RATE * floor(F / IN_RATE + 0.5));
            size_t kf = (size_t)lround(fold / hz);
            /* scale: n output samples against m input samples, the output at ratio x the rate */
            h[j][k] = 10 * log10(h[j][k] / (px[kf < m / 2 ? kf : m / 2] * ratio * ratio));
        }
    }
    double hz = rate / n;
    *image_db = -400;
    *error_db = 0;
    FILE *f = open_out("response.dat");
    for (size_t k = (size_t)(20 / hz); k <= n / 2; k += k < 4000 ? 1 : 16) {
        double F = k * hz, fold = fabs(F - IN_RATE * floor(F / IN_RATE + 0.5));
        if (fold < 100 || fold > 15000)
            continue; /* where the sweep's energy stands well above the output's dither */
        fprintf(f, "%.1f %.2f %.2f\n", F, h[0][k], h[1][k]);
        if (F >= 28000 && F <= 180000)
            *image_db = fmax(*image_db, h[0][k]);
        for (int j = 0; j < 2; j++) { /* where the output stands 40 dB above its floor */
            double d = designed_db(s1[j], F);
            if (d > -80)
                *error_db = fmax(*error_db, fabs(h[j][k] - d));
        }
    }
    fclose(f);
    f = open_out("design.dat");
    for (double F = 20; F <= rate / 2; F *= 1.002)
        fprintf(f, "%.1f %.3f %.3f\n", F, designed_db(s1[0], F), designed_db(s1[1], F));
    fclose(f);
    delay->measured = measured_delay_difference(hx, m);
    delay->designed = designed_delay(second, 1000) - designed_delay(s1[0], 1000);
    free(x), free(px), free(h[0]), free(h[1]), free(second);
    fftw_free(xs), fftw_free(ys), fftw_free(hx[0]), fftw_free(hx[1]);
}

static void read_programme(void)
{
    const char *path = in_dir("programme.wav");
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f || info.channels != 2 || info.samplerate != (int)IN_RATE) {
        fprintf(stderr, "demoreport: %s: not the 48 kHz stereo programme\n", path);
        exit(1);
    }
    double *both = malloc((size_t)info.frames * 2 * sizeof *both);
    prog_frames = (size_t)sf_readf_double(f, both, info.frames);
    sf_close(f);
    prog = malloc(prog_frames * sizeof *prog);
    for (size_t i = 0; i < prog_frames; i++)
        prog[i] = both[2 * i];
    free(both);
}

static void read_parts(void)
{
    const char *path = in_dir("parts.txt");
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    while (nparts < 16 && fscanf(f, "%31s %ld %ld", parts[nparts].name, &parts[nparts].first, &parts[nparts].last) == 3)
        nparts++;
    fclose(f);
}

static void read_lanes(void)
{
    const char *path = in_dir("lanes.wav");
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f || info.channels != 4) {
        fprintf(stderr, "demoreport: %s: not a four-lane WAV\n", path);
        exit(1);
    }
    nframes = (size_t)info.frames;
    rate = info.samplerate;
    ratio = rate / IN_RATE;
    lanes = malloc(nframes * 4 * sizeof *lanes);
    nframes = (size_t)sf_readf_int(f, lanes, (sf_count_t)nframes);
    sf_close(f);
}

static void write_gnuplot(void)
{
    FILE *g = open_out("report.gp");
    fprintf(g, "set terminal pngcairo size 900,480 font ',10'\nset grid\nset key top right\n"
               "set output 'tone.png'\nset title '997 Hz at -1 dBFS: the differential left channel'\n"
               "set xlabel 'Hz'\nset ylabel 'dBFS'\nset logscale x\nset xrange [20:60000]\nset yrange [-200:0]\n"
               "plot 'tone.dat' using 1:2 with lines title '(L+ - L-)/2'\n"
               "set output 'response.png'\nset title 'The chain at 8x: the sweeps, out against in (images above 24 kHz)'\n"
               "set xrange [20:192000]\nset yrange [-180:10]\nset ylabel 'dB'\nset key bottom left\n"
               "plot 'response.dat' using 1:2 with dots lc rgb '#1f77b4' title 'built-in halfband, measured', "
               "'design.dat' using 1:2 with lines lc rgb '#0b3d63' title 'built-in halfband, designed', "
               "'response.dat' using 1:3 with dots lc rgb '#ff7f0e' title 'minimum phase 160 taps, measured', "
               "'design.dat' using 1:3 with lines dt 2 lc rgb '#8c3f00' title 'minimum phase 160 taps, designed'\n"
               "set key top right\n"
               "set output 'commonmode.png'\nset title 'Interference common to L+ and L-: gone from the differential signal'\n"
               "set xrange [20:20000]\nset yrange [-200:0]\nset ylabel 'dBFS'\n"
               "plot 'commonmode.dat' using 1:2 with lines title 'single-ended (L+)', "
               "'commonmode.dat' using 1:3 with lines title 'differential (L+ - L-)/2'\n"
               "unset logscale x\nset output 'ramp.png'\nset title 'The volume ramp during the multitone: L+ level'\n"
               "set xlabel 's'\nset autoscale\nset ylabel 'dBFS (5 ms RMS)'\n"
               "plot 'ramp.dat' using 1:2 with lines title 'L+'\n"
               "set output 'topology.png'\nset title 'Balanced -> single-ended -> balanced during the speech'\n"
               "set ylabel 'full scale'\nset yrange [-1:1]\n"
               "plot 'topology.dat' using 1:2 with lines title 'L+', 'topology.dat' using 1:3 with lines title 'L-'\n");
    fclose(g);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: demoreport DIR\n");
        return 2;
    }
    dir = argv[1];
    read_parts();
    read_lanes();
    read_programme();
    find_offset();
    double level, thdn = report_tone(&level), lowest = report_ramp(), se_s = report_topology();
    double cm_se, cm_diff, image, response_error;
    struct delays delay;
    report_common_mode(&cm_se, &cm_diff);
    report_response(&image, &response_error, &delay);
    write_gnuplot();
    FILE *f = open_out("numbers.txt");
    fprintf(f, "output_rate_hz %.0f\ntone_thdn_db %.1f\ntone_level_dbfs %.2f\nramp_lowest_dbfs %.1f\n"
               "single_ended_seconds %.3f\nhum_single_ended_dbfs %.1f\nhum_differential_dbfs %.1f\n"
               "worst_image_db %.1f\nresponse_error_db %.4f\ndelay_difference_samples %.3f\n"
               "delay_difference_designed_samples %.3f\n", rate, thdn, level, lowest, se_s, cm_se, cm_diff,
            image, response_error, delay.measured, delay.designed);
    fclose(f);
    FILE *h = open_out("report.html");
    fprintf(h, "<!doctype html><html><head><meta charset='utf-8'><title>balanced: make demo</title>"
               "<style>body{font-family:sans-serif;max-width:960px;margin:auto}td{padding:2px 12px}</style>"
               "</head><body><h1>balanced: the demo, measured</h1>"
               "<p>The test programme played through the simulated FPGA (balsim), balctl changing "
               "settings live (events.txt). Output %.0f Hz, four lanes L+ L- R+ R-.</p><table>"
               "<tr><td>997 Hz at -1 dBFS, THD+N 20 Hz-20 kHz (differential L)</td><td>%.1f dB</td></tr>"
               "<tr><td>its level</td><td>%.2f dBFS</td></tr>"
               "<tr><td>the volume ramp's lowest L+ level (multitone)</td><td>%.1f dBFS</td></tr>"
               "<tr><td>L- silent while single-ended</td><td>%.3f s</td></tr>"
               "<tr><td>50 Hz hum added to both lanes: single-ended</td><td>%.1f dBFS</td></tr>"
               "<tr><td>the same, differential</td><td>%.1f dBFS</td></tr>"
               "<tr><td>the built-in filter's worst image 28-180 kHz, against its source in band</td><td>%.1f dB</td></tr>"
               "<tr><td>measured against designed response, largest difference (either filter, down to -80 dB)</td><td>%.4f dB</td></tr>"
               "<tr><td>the minimum-phase filter's delay against the halfband's at 1 kHz, measured (designed)</td>"
               "<td>%+.3f (%+.3f) samples</td></tr></table>"
               "<h2>997 Hz</h2><img src='tone.png'><h2>The filters</h2><img src='response.png'>"
               "<h2>Common mode</h2><img src='commonmode.png'><h2>Volume ramp</h2><img src='ramp.png'>"
               "<h2>Topology</h2><img src='topology.png'></body></html>\n",
            rate, thdn, level, lowest, se_s, cm_se, cm_diff, image, response_error, delay.measured,
            delay.designed);
    fclose(h);
    printf("demoreport: THD+N %.1f dB, hum single-ended %.1f dBFS, differential %.1f dBFS, worst image %.1f dB, "
           "measured within %.4f dB of designed; the second filter's delay less the first's %+.3f samples (designed %+.3f)\n",
           thdn, cm_se, cm_diff, image, response_error, delay.measured, delay.designed);
    return 0;
}
