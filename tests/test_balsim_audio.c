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

/* OUT must hold one frame per input frame, each the model's lanes, left-aligned. Returns how
 * many frames agree with settings a (then b, from the first frame that does not agree with
 * a: a change while running), or -1 when the shapes differ. */
static long compare(const char *in_path, const char *out_path, const struct am_settings *a,
                    const struct am_settings *b, long *switched_at)
{
    SF_INFO ii, oi;
    int32_t *in = read_words(in_path, &ii), *out = read_words(out_path, &oi);
    long agree = -1;
    if (in && out && oi.channels == 4 && oi.frames == ii.frames && oi.samplerate == ii.samplerate &&
        (oi.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_32) {
        const struct am_settings *s = a;
        agree = 0;
        *switched_at = -1;
        for (long k = 0; k < ii.frames; k++) {
            int32_t l = am_from_slot((uint32_t)in[k * ii.channels], 32);
            int32_t r = am_from_slot((uint32_t)in[k * ii.channels + ii.channels - 1], 32);
            int32_t e[AM_LANES], o[AM_LANES];
            for (int i = 0; i < AM_LANES; i++)
                o[i] = out[k * 4 + i] >> 8;
            am_frame(s, l, r, e);
            if (memcmp(e, o, sizeof e) && s == a && b) {
                s = b;
                *switched_at = k;
                am_frame(s, l, r, e);
            }
            bool same = !memcmp(e, o, sizeof e);
            for (int i = 0; i < AM_LANES; i++)
                same = same && (out[k * 4 + i] & 0xFF) == 0 && o[i] != AM_MIN;
            agree += same;
        }
    }
    free(in);
    free(out);
    return agree;
}

static const struct am_settings balanced = {AM_ROUTE_STEREO, false, false, AM_TOPO_BALANCED};

static void round_trip(int rate, int channels, int subtype, int frames, const char *config,
                       const struct am_settings *expect)
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
    CHECK_EQ(compare(in, out, expect, NULL, &switched), frames);
    CHECK(!exists(strcat(strcpy(cfg, out), ".part")));
}

static void test_wav_round_trip_48k_24bit_stereo(void)
{
    round_trip(48000, 2, SF_FORMAT_PCM_24, 3000, NULL, &balanced);
}

static void test_wav_round_trip_44k1_16bit_mono(void)
{
    round_trip(44100, 1, SF_FORMAT_PCM_16, 2000, NULL, &balanced);
}

static void test_wav_round_trip_96k_float_with_config(void)
{
    struct am_settings s = {AM_ROUTE_SWAP, true, false, AM_TOPO_MONO};
    round_trip(96000, 2, SF_FORMAT_FLOAT, 3000,
               "# swapped, left inverted, mono-bridged\nroute swap\ninvert left on\n"
               "topology mono\n", &s);
}

static void test_wav_round_trip_192k_32bit_parallel(void)
{
    struct am_settings s = {AM_ROUTE_STEREO, false, false, AM_TOPO_PARALLEL};
    round_trip(192000, 2, SF_FORMAT_PCM_32, 4000, "topology parallel\nformat 24\n", &s);
}

/* A topology change through balctl while the audio runs: OUT switches once, cleanly. */
static void test_topology_change_while_playing(void)
{
    char in[96], out[96], sock[96];
    snprintf(in, sizeof in, "%s/long.wav", dir);
    snprintf(out, sizeof out, "%s/long-out.wav", dir);
    snprintf(sock, sizeof sock, "%s/balsim.sock", dir);
    REQUIRE(write_wav(in, 48000, 2, SF_FORMAT_PCM_24, 24000)); /* 0.5 s */
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1), dup2(null, 2);
        execl("build/balsim", "build/balsim", "--quiet", "--in", in, "--out", out, "--socket",
              sock, (char *)NULL);
        _exit(127);
    }
    char dev[128];
    snprintf(dev, sizeof dev, "sim:%s", sock);
    const char *argv[] = {"build/balctl", "-d", dev, "topology", "se", NULL};
    /* into the music: 0.5 s simulated take several seconds of real time */
    usleep(1500000);
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
    CHECK_EQ(compare(in, out, &balanced, &se, &switched), 24000);
    CHECK(switched > 0 && switched < 24000); /* the change landed in the middle */
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
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed != 0;
}
