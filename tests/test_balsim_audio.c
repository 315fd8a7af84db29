/* balsim's audio, end to end with the real binaries: WAV files in every supported shape
 * through the simulated FPGA's pins, OUT.wav compared sample for sample with the bit-exact
 * model (sim/audiomodel.c) of what IN.wav carries; a topology change through balctl while the
 * audio runs; files balsim must refuse, leaving nothing behind. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sndfile.h>

#include "audiomodel.h"
#include "check.h"
#include "interp.h"
#include "wavrun.h"

static char dir[64];

static int run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static uint32_t rng = 0x2468ACE1;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Writes frames of edge cases and random values in the given format. */
static bool write_wav(const char *path, int rate, int channels, int subtype, int frames)
{
    SF_INFO info = {.samplerate = rate, .channels = channels, .format = SF_FORMAT_WAV | subtype};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f)
        return false;
    static const int32_t edge[] = {INT32_MAX, INT32_MIN, 0, 1 << 8, -(1 << 8), INT32_MIN + 256,
                                   0x40000000, -0x40000000};
    for (int i = 0; i < frames; i++) {
        int32_t v[2];
        for (int c = 0; c < channels; c++)
            v[c] = i % 3 == 0 ? edge[(i / 3 + c) % 8] : (int32_t)next_rand();
        sf_writef_int(f, v, 1);
    }
    return sf_close(f) == 0;
}

/* The input's words as balsim reads them (libsndfile's full-scale 32-bit integers). */
static int32_t *read_words(const char *path, SF_INFO *info)
{
    memset(info, 0, sizeof *info);
    SNDFILE *f = sf_open(path, SFM_READ, info);
    if (!f)
        return NULL;
    int32_t *v = calloc((size_t)info->frames * (size_t)info->channels, sizeof *v);
    if (v)
        sf_readf_int(f, v, info->frames);
    sf_close(f);
    return v;
}

/* The model's output channels for IN's frames and WAVRUN_TAIL silent frames after them: route
 * and channels with settings s, the engine at `ratio` (its history empty before the file, as the
 * silent lead-in leaves it). Returns the number of output frames. */
static long model_channels(const int32_t *in, const SF_INFO *ii, const struct am_settings *s,
                           unsigned ratio, int32_t (*out)[2])
{
    struct ip_engine e;
    ip_engine_init(&e);
    e.ratio = ratio;
    long n = 0;
    for (long k = 0; k < ii->frames + WAVRUN_TAIL; k++) {
        int32_t l = 0, r = 0, a, b;
        if (k < ii->frames) {
            l = am_from_slot((uint32_t)in[k * ii->channels], 32);
            r = am_from_slot((uint32_t)in[k * ii->channels + ii->channels - 1], 32);
        }
        am_route(s, l, r, &a, &b);
        am_channels(s, a, b, &l, &r);
        n += ip_engine_push(&e, l, r, &out[n]);
    }
    return n;
}

static bool lanes_are(const int32_t *o, const struct am_settings *s, const int32_t *ch)
{
    int32_t e[AM_LANES];
    am_topology(s, ch[0], ch[1], e);
    for (int i = 0; i < AM_LANES; i++)
        if (o[i] >> 8 != e[i] || (o[i] & 0xFF) || o[i] >> 8 == AM_MIN)
            return false;
    return true;
}

/* Whether each lane of o is within the larger of settings a's and b's magnitudes for the
 * channels ch (24-bit units): a change of the path fading through silence. */
static bool lanes_faded(const int32_t *o, const struct am_settings *a, const struct am_settings *b,
                        const int32_t *ch)
{
    int32_t ea[AM_LANES], eb[AM_LANES];
    am_topology(a, ch[0], ch[1], ea);
    am_topology(b, ch[0], ch[1], eb);
    for (int i = 0; i < AM_LANES; i++) {
        long m = labs((long)ea[i]) > labs((long)eb[i]) ? labs((long)ea[i]) : labs((long)eb[i]);
        if (labs((long)(o[i] >> 8)) > m + 1)
            return false;
    }
    return true;
}

/* Output frames a change of the path takes: the gains fade down, then up, a step a frame */
#define PATH_FADE_FRAMES (2 * (BAL_GAIN_SILENT / BAL_GAIN_STEP) + 64)
static long faded_frames; /* of the last compare: frames in the fade that were neither a's nor b's */

/* OUT holds the DACs' frames at the input's rate times the ratio, from the file's first frame
 * to WAVRUN_TAIL frames after its last: silence for the datapath's delay, then the model's
 * frames. Returns how many frames after the delay agree with settings a (then b, from the first
 * frame that does not agree with a: a change while running), or -1 when the shapes differ or
 * the start is not found. A change (b given) fades: the PATH_FADE_FRAMES frames from the first that does
 * not agree with a are only checked to stay within a's and b's levels (lanes_faded). */
static long compare(const char *in_path, const char *out_path, unsigned ratio,
                    const struct am_settings *a, const struct am_settings *b, long *switched_at)
{
    SF_INFO ii, oi;
    int32_t *in = read_words(in_path, &ii), *out = read_words(out_path, &oi);
    int32_t (*model)[2] = calloc((size_t)(ii.frames + WAVRUN_TAIL) * ratio, sizeof *model);
    long agree = -1;
    if (in && out && model && oi.channels == 4 && oi.samplerate == ii.samplerate * (int)ratio &&
        (oi.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_32) {
        long m = model_channels(in, &ii, a, ratio, model), start = -1;
        /* the delay: from the first frame that is not silent in each (the filter's outermost
           taps round to zero at first), and silence before it */
        long f = 0, g = 0;
        while (f < m && !model[f][0] && !model[f][1])
            f++;
        while (g < oi.frames && !out[g * 4] && !out[g * 4 + 1] && !out[g * 4 + 2] && !out[g * 4 + 3])
            g++;
        if (f < m && g < oi.frames && g >= f)
            start = g - f;
        const struct am_settings *s = a;
        *switched_at = -1;
        faded_frames = 0;
        long bad = 0;
        for (long i = 0; start >= 0 && start + i < oi.frames && i < m; i++) {
            if (!lanes_are(&out[(start + i) * 4], s, model[i]) && s == a && b) {
                s = b;
                *switched_at = i;
            }
            bool fading = s == b && i < *switched_at + PATH_FADE_FRAMES;
            bool same = fading ? lanes_faded(&out[(start + i) * 4], a, b, model[i])
                               : lanes_are(&out[(start + i) * 4], s, model[i]);
            if (fading && !lanes_are(&out[(start + i) * 4], a, model[i]) &&
                !lanes_are(&out[(start + i) * 4], b, model[i]))
                faded_frames++;
            if (!same && bad++ < 3) /* the first few, as test_rtl_audio shows them */
                fprintf(stderr, "  frame %ld: out %d %d model %d %d\n", i, out[(start + i) * 4] >> 8,
                        out[(start + i) * 4 + 2] >> 8, model[i][0], model[i][1]);
            agree += same;
        }
        if (start >= 0) {
            agree++;
            printf("  %s: %ld output frames at %d Hz, the file's first %ld frames in, %ld agree\n",
                   out_path, (long)oi.frames, oi.samplerate, start, agree);
            /* all that follows the delay must be there: the file's frames and more */
            if (agree != oi.frames - start || agree < ii.frames * (long)ratio)
                agree = -agree;
            else
                agree = ii.frames;
        }
    }
    free(in);
    free(out);
    free(model);
    return agree;
}

static const struct am_settings balanced = {AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};

static void round_trip(int rate, int channels, int subtype, int frames, const char *config,
                       const struct am_settings *expect, unsigned ratio)
{
    char in[96], out[96], cfg[96];
    snprintf(in, sizeof in, "%s/in-%d.wav", dir, rate);
    snprintf(out, sizeof out, "%s/out-%d.wav", dir, rate);
    snprintf(cfg, sizeof cfg, "%s/config-%d.txt", dir, rate);
    REQUIRE(write_wav(in, rate, channels, subtype, frames));
    const char *argv[] = {"build/balsim", "--quiet", "--in", in, "--out", out, NULL, NULL, NULL};
    if (config) {
        FILE *f = fopen(cfg, "w");
        fputs(config, f);
        fclose(f);
        argv[6] = "--config";
        argv[7] = cfg;
    }
    CHECK_EQ(run(argv), 0);
    long switched;
    CHECK_EQ(compare(in, out, ratio, expect, NULL, &switched), frames);
    CHECK(!exists(strcat(strcpy(cfg, out), ".part")));
}

static void test_wav_round_trip_48k_24bit_stereo(void)
{
    round_trip(48000, 2, SF_FORMAT_PCM_24, 3000, NULL, &balanced, 8);
}

static void test_wav_round_trip_44k1_16bit_mono(void)
{
    round_trip(44100, 1, SF_FORMAT_PCM_16, 2000, NULL, &balanced, 8);
}

static void test_wav_round_trip_96k_float_with_config(void)
{
    struct am_settings s = {AM_ROUTE_SWAP, true, false, AM_TOPO_MONO};
    round_trip(96000, 2, SF_FORMAT_FLOAT, 3000,
               "# swapped, left inverted, mono-bridged\nroute swap\ninvert left on\n"
               "topology mono\n", &s, 4);
}

static void test_wav_round_trip_192k_32bit_parallel(void)
{
    struct am_settings s = {AM_ROUTE_STEREO, false, false, AM_TOPO_PARALLEL};
    round_trip(192000, 2, SF_FORMAT_PCM_32, 4000, "topology parallel\nformat 24\n", &s, 2);
}

/* balsim playing IN into OUT in the background, serving balctl on SOCK */
static pid_t start_balsim_playing(const char *in, const char *out, const char *sock)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1), dup2(null, 2);
        execl("build/balsim", "build/balsim", "--quiet", "--in", in, "--out", out, "--socket",
              sock, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* A topology change through balctl while the audio runs: OUT fades out, switches once and fades
 * in (within the fade no lane above either topology's level), bit-exact before and after. */
static void test_topology_change_while_playing(void)
{
    char in[96], out[96], sock[96];
    snprintf(in, sizeof in, "%s/long.wav", dir);
    snprintf(out, sizeof out, "%s/long-out.wav", dir);
    snprintf(sock, sizeof sock, "%s/balsim.sock", dir);
    REQUIRE(write_wav(in, 48000, 2, SF_FORMAT_PCM_24, 24000)); /* 0.5 s */
    pid_t pid = start_balsim_playing(in, out, sock);
    char dev[128];
    snprintf(dev, sizeof dev, "sim:%s", sock);
    const char *argv[] = {"build/balctl", "-d", dev, "topology", "se", NULL};
    /* into the music: 0.5 s simulated take about 15 s of real time, the lead-in (the gains'
       start-up ramp) about 2 */
    usleep(5000000);
    int rc = -1;
    for (int tries = 0; tries < 100 && rc != 0; tries++) {
        rc = run(argv);
        if (rc)
            usleep(50000);
    }
    CHECK_EQ(rc, 0);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct am_settings se = {AM_ROUTE_STEREO, false, false, AM_TOPO_SE};
    long switched;
    CHECK_EQ(compare(in, out, 8, &balanced, &se, &switched), 24000);
    printf("  the change landed at output frame %ld of %d, %ld frames faded\n", switched, 8 * 24000,
           faded_frames);
    CHECK(faded_frames > PATH_FADE_FRAMES * 9 / 10);
    CHECK(switched > 0 && switched + PATH_FADE_FRAMES < 8 * 24000); /* in the middle */
}

/* Runs a command line through the shell, its output (stdout and stderr) into buf. */
static int run_capture(const char *cmd, char *buf, size_t len)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(buf, 1, len - 1, p);
    buf[n] = 0;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* While a 96 kHz input plays, 8x is refused with the reason and nothing changes; 4x is taken.
 * A configuration file's 8x is what it asks for: written, with a note that 4x plays. */
static void test_ratio_refused_for_fast_input(void)
{
    char in[96], out[96], sock[96];
    snprintf(in, sizeof in, "%s/fast.wav", dir);
    snprintf(out, sizeof out, "%s/fast-out.wav", dir);
    snprintf(sock, sizeof sock, "%s/fast.sock", dir);
    REQUIRE(write_wav(in, 96000, 2, SF_FORMAT_PCM_24, 48000)); /* 0.5 s */
    pid_t pid = start_balsim_playing(in, out, sock);
    char cmd[256], buf[2048];
    /* wait until the input plays at 96 kHz */
    bool playing = false;
    for (int tries = 0; tries < 200 && !playing; tries++) {
        usleep(50000);
        snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s --json status 2>&1", sock);
        playing = run_capture(cmd, buf, sizeof buf) == 0 && strstr(buf, "\"rate_hz\":96000") &&
                  strstr(buf, "\"locked\":true");
    }
    CHECK(playing);
    snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s oversample 8 2>&1", sock);
    CHECK_EQ(run_capture(cmd, buf, sizeof buf), 6);
    CHECK(strstr(buf, "96.0 kHz") && strstr(buf, "up to 4x") && strstr(buf, "nothing changed"));
    snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s reg read OVERSAMPLE 2>&1", sock);
    CHECK_EQ(run_capture(cmd, buf, sizeof buf), 0);
    CHECK(strstr(buf, "0x00000003") != NULL); /* 8x asked at reset; 4x plays (the cap) */
    snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s status 2>&1", sock);
    CHECK_EQ(run_capture(cmd, buf, sizeof buf), 0);
    CHECK(strstr(buf, "oversampling  4x (8x asked; the input's rate allows 4x)") != NULL);
    snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s oversample 4 2>&1", sock);
    CHECK_EQ(run_capture(cmd, buf, sizeof buf), 0);
    /* a configuration file asks for a ratio, as dump reads it: 8x is written and noted */
    char conf[96];
    snprintf(conf, sizeof conf, "%s/fast.conf", dir);
    FILE *f = fopen(conf, "w");
    REQUIRE(f != NULL);
    fputs("# asked for at 48 kHz\noversample.ratio = 8\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s apply %s 2>&1", sock, conf);
    CHECK_EQ(run_capture(cmd, buf, sizeof buf), 0);
    CHECK(strstr(buf, "fast.conf:2: oversample.ratio 8 plays as 4x while the input is at 96.0 kHz") != NULL);
    snprintf(cmd, sizeof cmd, "build/balctl -d sim:%s reg read OVERSAMPLE 2>&1", sock);
    CHECK_EQ(run_capture(cmd, buf, sizeof buf), 0);
    CHECK(strstr(buf, "0x00000003") != NULL);
    unlink(conf);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Missing, unreadable, unsupported: a clear error, exit 2 or 3, nothing written. */
static void test_bad_files_refused(void)
{
    char in[96], out[96], part[110];
    snprintf(out, sizeof out, "%s/never.wav", dir);
    snprintf(part, sizeof part, "%s.part", out);
    const char *argv[] = {"build/balsim", "--in", in, "--out", out, NULL, NULL, NULL};

    snprintf(in, sizeof in, "%s/missing.wav", dir);
    CHECK_EQ(run(argv), 3);
    snprintf(in, sizeof in, "%s/32k.wav", dir);
    REQUIRE(write_wav(in, 32000, 2, SF_FORMAT_PCM_24, 100));
    CHECK_EQ(run(argv), 3);
    snprintf(in, sizeof in, "%s/8bit.wav", dir);
    REQUIRE(write_wav(in, 48000, 2, SF_FORMAT_PCM_U8, 100));
    CHECK_EQ(run(argv), 3);
    snprintf(in, sizeof in, "%s/text.wav", dir);
    FILE *f = fopen(in, "w");
    fputs("not a wave file\n", f);
    fclose(f);
    CHECK_EQ(run(argv), 3);
    /* a config that fails: nothing played, nothing written */
    char cfg[96];
    snprintf(in, sizeof in, "%s/in-48000.wav", dir);
    REQUIRE(write_wav(in, 48000, 2, SF_FORMAT_PCM_24, 100));
    snprintf(cfg, sizeof cfg, "%s/bad-config.txt", dir);
    f = fopen(cfg, "w");
    fputs("topology sideways\n", f);
    fclose(f);
    argv[5] = "--config";
    argv[6] = cfg;
    CHECK_EQ(run(argv), 3);
    argv[6] = "/nonexistent/config";
    CHECK_EQ(run(argv), 3);
    /* --in without --out */
    const char *half[] = {"build/balsim", "--in", in, NULL};
    CHECK_EQ(run(half), 2);
    CHECK(!exists(out));
    CHECK(!exists(part));
}

int main(void)
{
    snprintf(dir, sizeof dir, "build/test-balsim-audio-%d", (int)getpid());
    mkdir(dir, 0700);
    RUN(test_bad_files_refused);
    RUN(test_wav_round_trip_48k_24bit_stereo);
    RUN(test_wav_round_trip_44k1_16bit_mono);
    RUN(test_wav_round_trip_96k_float_with_config);
    RUN(test_wav_round_trip_192k_32bit_parallel);
    RUN(test_topology_change_while_playing);
    RUN(test_ratio_refused_for_fast_input);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
