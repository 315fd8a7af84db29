/* demogen: writes make demo's test programme, a 48 kHz stereo 24-bit WAV, and a list of its
 * parts (name, first and last frame) for the report: a log sweep, a 997 Hz tone, a multitone,
 * speech (a file of it, from espeak-ng where installed, else a synthesized voice), and a second
 * sweep for the filter the demo switches to. Every part is TPDF-dithered to 24 bits. */
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000
#define FULL 8388607.0 /* 2^23 - 1 */
#define GAP (RATE / 20)
#define MAX_FRAMES (RATE * 12)

static float *buf_l, *buf_r; /* the programme, in full-scale units */
static size_t frames;
static FILE *parts;
static uint32_t rng = 2463534242u;

static double uniform(void) /* xorshift32: the same programme every run */
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng / 4294967296.0;
}

static double db_to_amp(double db)
{
    return pow(10.0, db / 20.0);
}

static void gap(void)
{
    frames += GAP; /* buffers start zeroed */
}

static void part(const char *name, size_t first)
{
    fprintf(parts, "%s %zu %zu\n", name, first, frames - 1);
}

/* exponential sweep f0..f1 over n frames at amp, both channels, faded in and out over 5 ms */
static void sweep(const char *name, double f0, double f1, double seconds, double amp)
{
    size_t n = (size_t)(seconds * RATE), first = frames, fade = RATE / 200;
    double k = log(f1 / f0), phase = 0;
    for (size_t i = 0; i < n; i++) {
        double f = f0 * exp(k * i / n), w = 1.0;
        if (i < fade)
            w = 0.5 - 0.5 * cos(M_PI * i / fade);
        else if (n - i < fade)
            w = 0.5 - 0.5 * cos(M_PI * (n - i) / fade);
        phase += 2 * M_PI * f / RATE;
        buf_l[frames] = buf_r[frames] = (float)(amp * w * sin(phase));
        frames++;
    }
    part(name, first);
}

static void tone(double hz, double seconds, double amp)
{
    size_t n = (size_t)(seconds * RATE), first = frames;
    for (size_t i = 0; i < n; i++, frames++)
        buf_l[frames] = buf_r[frames] = (float)(amp * sin(2 * M_PI * hz * i / RATE));
    part("tone", first);
}

/* the 31 third-octave centres 20 Hz..20 kHz, Schroeder phases (a low crest factor), at a peak
 * near amp */
static void multitone(double seconds, double amp)
{
    enum { N = 31 };
    size_t n = (size_t)(seconds * RATE), first = frames;
    double f[N], ph[N], peak = 0;
    for (int j = 0; j < N; j++) {
        f[j] = 20.0 * pow(2.0, j / 3.0);
        ph[j] = -M_PI * j * (j + 1) / N;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            double x = 0;
            for (int j = 0; j < N; j++)
                x += sin(2 * M_PI * f[j] * i / RATE + ph[j]);
            if (pass == 0)
                peak = fmax(peak, fabs(x));
            else
                buf_l[first + i] = buf_r[first + i] = (float)(amp * x / peak);
        }
    frames += n;
    part("multitone", first);
}

/* a synthesized voice: a glottal pulse train (120 Hz, a slow vibrato and a falling contour)
 * through three formant resonators that move between five vowels, syllable by syllable */
static void voice(double seconds, double amp)
{
    static const double formants[5][3] = {
        {730, 1090, 2440}, {530, 1840, 2480}, {270, 2290, 3010}, {570, 840, 2410}, {300, 870, 2240}};
    size_t n = (size_t)(seconds * RATE), first = frames, syllable = RATE / 5;
    double y[3][2] = {{0}}, phase = 0, peak = 0;
    float *tmp = calloc(n, sizeof *tmp);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / RATE, f0 = 120.0 * (1.0 - 0.15 * t / seconds) * (1 + 0.02 * sin(2 * M_PI * 5 * t));
        phase += f0 / RATE;
        double pulse = 0;
        if (phase >= 1.0) {
            phase -= 1.0;
            pulse = 1.0;
        }
        size_t s = i / syllable, pos = i % syllable;
        const double *fa = formants[s % 5], *fb = formants[(s + 1) % 5];
        double glide = pos > syllable * 3 / 4 ? (pos - syllable * 3 / 4.0) / (syllable / 4.0) : 0;
        double env = sin(M_PI * pos / syllable), x = pulse + 0.02 * (uniform() - 0.5);
        for (int k = 0; k < 3; k++) { /* two-pole resonator at the formant, 80 Hz wide */
            double fk = fa[k] + (fb[k] - fa[k]) * glide, r = exp(-M_PI * 80.0 / RATE);
            double a1 = 2 * r * cos(2 * M_PI * fk / RATE), a2 = -r * r;
            double out = (1 - r) * x + a1 * y[k][0] + a2 * y[k][1];
            y[k][1] = y[k][0];
            y[k][0] = out;
        }
        tmp[i] = (float)(env * (y[0][0] + 0.6 * y[1][0] + 0.3 * y[2][0]));
        peak = fmax(peak, fabs(tmp[i]));
    }
    for (size_t i = 0; i < n; i++)
        buf_l[first + i] = buf_r[first + i] = (float)(amp * tmp[i] / peak);
    free(tmp);
    frames += n;
    part("speech", first);
}

/* speech from a mono or stereo WAV at 48 kHz (the demo resamples espeak-ng's), at most
 * seconds long, its peak at amp */
static int speech_file(const char *path, double seconds, double amp)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f || info.samplerate != RATE || info.channels < 1 || info.channels > 2) {
        fprintf(stderr, "demogen: %s: not a 48 kHz mono or stereo WAV\n", path);
        if (f)
            sf_close(f);
        return -1;
    }
    size_t n = (size_t)(seconds * RATE), first = frames, got;
    float *tmp = calloc(n * 2, sizeof *tmp);
    got = (size_t)sf_readf_float(f, tmp, (sf_count_t)n);
    sf_close(f);
    double peak = 1e-9;
    for (size_t i = 0; i < got * (size_t)info.channels; i++)
        peak = fmax(peak, fabs(tmp[i]));
    for (size_t i = 0; i < got; i++)
        buf_l[first + i] = buf_r[first + i] = (float)(amp * tmp[i * (size_t)info.channels] / peak);
    free(tmp);
    frames += got;
    part("speech", first);
    return 0;
}

static int write_wav(const char *path)
{
    SF_INFO info = {.samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_24};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        fprintf(stderr, "demogen: %s: %s\n", path, sf_strerror(NULL));
        return -1;
    }
    int32_t *pcm = malloc(frames * 2 * sizeof *pcm);
    for (size_t i = 0; i < frames; i++) /* TPDF dither of one LSB, then 24 bits */
        for (int c = 0; c < 2; c++) {
            double x = (c ? buf_r : buf_l)[i] * FULL + uniform() - uniform();
            long q = lround(x);
            q = q > 8388607 ? 8388607 : q < -8388607 ? -8388607 : q;
            pcm[2 * i + c] = (int32_t)(q * 256); /* libsndfile's int: left-aligned */
        }
    sf_count_t w = sf_writef_int(f, pcm, (sf_count_t)frames);
    free(pcm);
    sf_close(f);
    return w == (sf_count_t)frames ? 0 : -1;
}

int main(int argc, char **argv)
{
    /* --short: the same parts, about a third as long (make test's run of the demo) */
    double len = 1.0;
    if (argc > 1 && !strcmp(argv[1], "--short")) {
        len = 0.3;
        argv++, argc--;
    }
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: demogen [--short] OUT.wav PARTS.txt [SPEECH.wav]\n");
        return 2;
    }
    buf_l = calloc(MAX_FRAMES, sizeof *buf_l);
    buf_r = calloc(MAX_FRAMES, sizeof *buf_r);
    if (!(parts = fopen(argv[2], "w"))) {
        perror(argv[2]);
        return 1;
    }
    gap();
    sweep("sweep", 20.0, 20000.0, 0.6 * len, db_to_amp(-6));
    gap();
    tone(997.0, fmax(0.5 * len, 0.2), db_to_amp(-1)); /* 0.2 s: a 2^16-point spectrum at 8x */
    gap();
    multitone(fmax(0.5 * len, 0.25), db_to_amp(-6));
    gap();
    if (argc < 4 || speech_file(argv[3], 1.5 * len, db_to_amp(-3)) != 0)
        voice(1.2 * len, db_to_amp(-3));
    gap();
    sweep("sweep2", 20.0, 20000.0, 0.6 * len, db_to_amp(-6));
    gap();
    int rc = write_wav(argv[1]);
    return (fclose(parts) != 0 || rc != 0) ? 1 : 0;
}
