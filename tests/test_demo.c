/* make demo in its short mode (scripts/demo.sh --short), end to end with the real binaries:
 * every file of the report is written, the plots are PNGs the report shows, the numbers are
 * what the chain does, the WAVs hold what they say, and balctl's live changes came at the
 * parts of the programme they were meant for. */
#define _GNU_SOURCE
#include <math.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"

#define OUT "build/test-demo"

static int demo_status = -1;
static char demo_log[1 << 14];

static long file_size(const char *name)
{
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, OUT "/%s", name);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The demo, once for all the tests: its exit status and what it printed */
static void run_demo(void)
{
    if (system("rm -rf " OUT) != 0)
        return;
    demo_status = system("sh scripts/demo.sh --short build " OUT " >build/test-demo.log 2>&1");
    slurp("build/test-demo.log", demo_log, sizeof demo_log);
}

static void test_demo_runs_and_says_where(void)
{
    CHECK_EQ(demo_status, 0);
    CHECK(strstr(demo_log, "written: " OUT "/report.html") != NULL);
    /* progress: a line a step, with the seconds since the start ("demo [  0s]: ...") */
    CHECK(strncmp(demo_log, "demo [", 6) == 0 && strstr(demo_log, "s]: the test programme") != NULL);
    CHECK(strstr(demo_log, "s]: the second sweep") != NULL);
}

static void test_every_report_file_written(void)
{
    static const char *const files[] = {
        "programme.wav", "parts.txt", "lanes.wav", "differential.wav", "events.txt", "session.txt",
        "numbers.txt", "report.html", "report.gp", "minimum.txt", "tone.dat", "response.dat",
        "design.dat", "commonmode.dat", "ramp.dat", "topology.dat"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        long n = file_size(files[i]);
        if (n <= 0)
            fprintf(stderr, "  %s: missing or empty\n", files[i]);
        CHECK(n > 0);
    }
}

static void test_plots_are_pngs_the_report_shows(void)
{
    static const char *const plots[] = {"tone.png", "response.png", "commonmode.png", "ramp.png", "topology.png"};
    static char html[1 << 16];
    slurp(OUT "/report.html", html, sizeof html);
    CHECK(strstr(html, "</html>") != NULL);
    for (size_t i = 0; i < sizeof plots / sizeof plots[0]; i++) {
        char path[256], head[8] = {0}, ref[64];
        snprintf(path, sizeof path, OUT "/%s", plots[i]);
        FILE *f = fopen(path, "rb");
        size_t n = f ? fread(head, 1, sizeof head, f) : 0;
        if (f)
            fclose(f);
        CHECK(n == 8 && !memcmp(head, "\x89PNG\r\n\x1a\n", 8));
        CHECK(file_size(plots[i]) > 10000); /* drawn, not an empty frame */
        snprintf(ref, sizeof ref, "<img src='%s'>", plots[i]);
        CHECK(strstr(html, ref) != NULL);
    }
}

static bool number(const char *text, const char *key, double *v)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s ", key);
    const char *p = strstr(text, pat);
    return p && sscanf(p + strlen(pat), "%lf", v) == 1;
}

/* What a listener cares about, as the short programme measures it (bounds a little wide of the
 * full demo's numbers: the short tone's spectrum has half the bins) */
static void test_numbers(void)
{
    static char text[4096] = "\n";
    slurp(OUT "/numbers.txt", text + 1, sizeof text - 1);
    double rate, thdn, level, lowest, se_s, hum_se, hum_diff, image, err, delay, delay_designed;
    REQUIRE(number(text, "output_rate_hz", &rate) && number(text, "tone_thdn_db", &thdn) &&
            number(text, "tone_level_dbfs", &level) && number(text, "ramp_lowest_dbfs", &lowest) &&
            number(text, "single_ended_seconds", &se_s) && number(text, "hum_single_ended_dbfs", &hum_se) &&
            number(text, "hum_differential_dbfs", &hum_diff) && number(text, "worst_image_db", &image) &&
            number(text, "response_error_db", &err) && number(text, "delay_difference_samples", &delay) &&
            number(text, "delay_difference_designed_samples", &delay_designed));
    printf("MEASURE demo_short thdn_db %.1f level_dbfs %.2f ramp_lowest_dbfs %.1f single_ended_s %.3f "
           "hum_se_dbfs %.1f hum_diff_dbfs %.1f worst_image_db %.1f response_error_db %.4f "
           "delay_difference_samples %.3f (designed %.3f)\n",
           thdn, level, lowest, se_s, hum_se, hum_diff, image, err, delay, delay_designed);
    CHECK(rate == 384000);
    CHECK(thdn < -135);
    CHECK(level > -1.05 && level < -0.95);
    CHECK(lowest < -45 && lowest > -60); /* the multitone's -6 dBFS peak at -30 dB */
    CHECK(se_s > 0.05 && se_s < 0.3);   /* 3/8 of the speech */
    CHECK(hum_se > -27 && hum_se < -25); /* 0.05 peak: -26 dBFS */
    CHECK(hum_diff < -150);              /* the differential signal loses it */
    CHECK(image < -120);
    CHECK(err < 0.01); /* the measured response is the designed one */
    /* and the second sweep played through the minimum-phase filter: about 48 input samples
     * (1 ms) less delay than the halfband's, as its taps say. The measured difference also
     * holds how the output's frames fall against the input's, which the switch may move by an
     * output frame or two (an eighth of an input sample each; where depends on when balsim's
     * audio started, a matter of real time): -48.236 on some runs, -47.986 on others */
    CHECK(delay_designed < -40 && delay_designed > -60);
    CHECK(fabs(delay - delay_designed) < 0.5);
}

static bool read_wav(const char *name, SF_INFO *info, int32_t **pcm)
{
    char path[256];
    snprintf(path, sizeof path, OUT "/%s", name);
    *info = (SF_INFO){0};
    SNDFILE *f = sf_open(path, SFM_READ, info);
    if (!f)
        return false;
    *pcm = malloc((size_t)info->frames * (size_t)info->channels * sizeof **pcm);
    sf_count_t got = sf_readf_int(f, *pcm, info->frames);
    sf_close(f);
    return got == info->frames;
}

/* The lanes at 384 kHz; differential.wav is (L+ - L-)/2, (R+ - R-)/2 of them, to the LSB; while
 * balanced, L- is L+'s exact mirror */
static void test_wavs(void)
{
    SF_INFO li, di;
    int32_t *lanes = NULL, *diff = NULL;
    REQUIRE(read_wav("lanes.wav", &li, &lanes));
    REQUIRE(read_wav("differential.wav", &di, &diff));
    CHECK_EQ(li.channels, 4);
    CHECK_EQ(li.samplerate, 384000);
    CHECK_EQ(li.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_32);
    CHECK_EQ(di.channels, 2);
    CHECK_EQ(di.frames, li.frames);
    long worst = 0, mirrored = 0, loud = 0;
    for (sf_count_t i = 0; i < li.frames && i < di.frames; i++) {
        const int32_t *x = &lanes[4 * i];
        for (int c = 0; c < 2; c++) {
            double want = ((double)x[2 * c] - x[2 * c + 1]) / 2;
            long e = labs((long)(diff[2 * i + c] - want));
            worst = e > worst ? e : worst;
        }
        if (labs((long)x[0]) > (1L << 24)) {
            loud++;
            mirrored += x[1] == -x[0];
        }
    }
    CHECK(worst <= 1);
    /* single-ended for a few hundred ms of the speech: L- is zero there, mirrored elsewhere */
    CHECK(loud > 100000);
    CHECK(mirrored > loud * 8 / 10 && mirrored < loud);
    free(lanes);
    free(diff);
}

struct part {
    char name[16];
    long first_ms, last_ms;
};

/* Each live change came in the part of the programme it was meant for, in order */
static void test_events_in_their_parts(void)
{
    struct part parts[8];
    int np = 0;
    FILE *f = fopen(OUT "/parts.txt", "r");
    REQUIRE(f != NULL);
    long a, b;
    while (np < 8 && fscanf(f, "%15s %ld %ld", parts[np].name, &a, &b) == 3) {
        parts[np].first_ms = a / 48, parts[np].last_ms = b / 48;
        np++;
    }
    fclose(f);
    CHECK_EQ(np, 5);
    f = fopen(OUT "/events.txt", "r");
    REQUIRE(f != NULL);
    char line[128];
    int volumes = 0, topologies = 0, selects = 0;
    long last = -1;
    while (fgets(line, sizeof line, f)) {
        long ms;
        char cmd[96];
        REQUIRE(sscanf(line, "%ld %95[^\n]", &ms, cmd) == 2);
        CHECK(ms > last);
        last = ms;
        const char *want = !strncmp(cmd, "volume", 6) ? "multitone" : !strncmp(cmd, "topology", 8) ? "speech" : "sweep2";
        volumes += want[0] == 'm', topologies += want[1] == 'p', selects += want[1] == 'w';
        for (int i = 0; i < np; i++)
            if (!strcmp(parts[i].name, want)) {
                /* the filter goes in the gap before its sweep; the others inside their part */
                long lo = want[1] == 'w' ? parts[i].first_ms - 50 : parts[i].first_ms;
                long hi = want[1] == 'w' ? parts[i].first_ms : parts[i].last_ms;
                if (ms < lo || ms > hi)
                    fprintf(stderr, "  '%s' at %ld ms, outside %ld..%ld\n", cmd, ms, lo, hi);
                CHECK(ms >= lo && ms <= hi);
            }
    }
    fclose(f);
    CHECK_EQ(volumes, 20);
    CHECK_EQ(topologies, 2);
    CHECK_EQ(selects, 1);
    /* the session log holds each command and balctl's answers, none of them a failure */
    static char session[1 << 16];
    slurp(OUT "/session.txt", session, sizeof session);
    CHECK(strstr(session, "$ balctl filter select 1") != NULL);
    CHECK(strstr(session, "$ balctl topology se") != NULL);
    CHECK(strstr(session, "topology      balanced") != NULL);
    CHECK(strstr(demo_log, "failed") == NULL);
}

int main(void)
{
    run_demo();
    RUN(test_demo_runs_and_says_where);
    RUN(test_every_report_file_written);
    RUN(test_plots_are_pngs_the_report_shows);
    RUN(test_numbers);
    RUN(test_wavs);
    RUN(test_events_in_their_parts);
    return test_summary();
}
