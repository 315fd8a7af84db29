#include "wavrun.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#define CHUNK 4096
#define HISTORY 64 /* input frame end times kept: far more than the path's latency */

struct wavrun {
    SNDFILE *in, *out;
    SF_INFO in_info;
    char *out_path, *part_path;
    double sys_hz;
    struct i2s_source src;
    struct i2s_decoder dec;
    /* input: frames pulled so far (lead-in, the file, lead-out), a chunk of the file */
    uint64_t pulled, file_frames;
    int32_t chunk[CHUNK * 2];
    size_t chunk_len, chunk_pos;
    uint64_t end_cycle[HISTORY]; /* cycle at which input frame n ended: [n % HISTORY] */
    uint64_t cycle;
    /* output */
    uint64_t out_frames, last_out_cycle, out_seen;
    double out_period;           /* cycles per output frame, measured */
    int32_t pending[8][4];       /* frames decoded before the output rate is known */
    unsigned npending;
    double out_rate;
    unsigned out_slot;
    bool write_failed;
};

static const double rates[] = {44100, 48000, 88200, 96000, 176400, 192000};

static bool supported_rate(int r)
{
    for (unsigned i = 0; i < 6; i++)
        if (rates[i] == r)
            return true;
    return false;
}

static bool supported_subtype(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
        return true;
    default:
        return false;
    }
}

/* The next frame's two slot words: 32-bit, the sample left-aligned (libsndfile scales every
 * format to full-scale 32-bit integers; the receiver keeps the top 24 bits). */
static bool next_frame(void *ctx, uint32_t *left, uint32_t *right)
{
    struct wavrun *w = ctx;
    uint64_t n = w->pulled++;
    /* the frame before this one has just ended on the line */
    if (n > 0)
        w->end_cycle[(n - 1) % HISTORY] = w->cycle;
    *left = *right = 0;
    if (n < WAVRUN_LEAD_IN || n >= WAVRUN_LEAD_IN + w->file_frames)
        return true;
    if (w->chunk_pos == w->chunk_len) {
        sf_count_t got = sf_readf_int(w->in, w->chunk, CHUNK);
        w->chunk_len = got > 0 ? (size_t)got : 0;
        w->chunk_pos = 0;
        if (w->chunk_len == 0)
            return true; /* shorter than it said: silence */
    }
    const int32_t *f = &w->chunk[w->chunk_pos++ * (size_t)w->in_info.channels];
    *left = (uint32_t)f[0];
    *right = (uint32_t)(w->in_info.channels == 2 ? f[1] : f[0]);
    return true;
}

/* An output rate as measured: the nearest of the input rates times 1, 2, 4 or 8 */
static double nearest_rate(double r)
{
    double best = rates[0];
    for (unsigned i = 0; i < 6; i++)
        for (unsigned m = 1; m <= 8; m *= 2)
            if (fabs(rates[i] * m - r) < fabs(best - r))
                best = rates[i] * m;
    return fabs(best - r) < 0.01 * best ? best : round(r);
}

static void write_frames(struct wavrun *w, int32_t (*frames)[4], unsigned n)
{
    if (!w->out) {
        SF_INFO info = {.samplerate = (int)w->out_rate, .channels = 4,
                        .format = SF_FORMAT_WAV | SF_FORMAT_PCM_32};
        w->out = sf_open(w->part_path, SFM_WRITE, &info);
        if (!w->out) {
            w->write_failed = true;
            return;
        }
    }
    if (sf_writef_int(w->out, &frames[0][0], n) != (sf_count_t)n)
        w->write_failed = true;
    w->out_frames += n;
}

/* Input frame n ends at end_cycle; output frame carries the last input frame that ended a
 * quarter input frame or more before it was taken (about one output frame before it is
 * decoded). Returns the input frame's number, or -1 when none has ended yet. */
static int64_t source_frame(const struct wavrun *w, uint64_t decoded_at)
{
    double in_period = w->sys_hz / w->in_info.samplerate;
    double taken = (double)decoded_at - w->out_period;
    int64_t n = (int64_t)w->pulled - 2; /* the last frame known to have ended */
    for (int k = 0; k < HISTORY - 1 && n >= 0; k++, n--)
        if ((double)w->end_cycle[n % HISTORY] <= taken - in_period / 4)
            return n;
    return -1;
}

static void on_output_frame(struct wavrun *w, const uint32_t *left, const uint32_t *right)
{
    if (w->out_seen++ > 0) {
        double period = (double)(w->cycle - w->last_out_cycle);
        w->out_period = w->out_seen > 2 ? 0.9 * w->out_period + 0.1 * period : period;
    }
    w->last_out_cycle = w->cycle;
    w->out_slot = w->dec.slot_bits;
    int64_t n = source_frame(w, w->cycle);
    if (n < WAVRUN_LEAD_IN || n >= (int64_t)(WAVRUN_LEAD_IN + w->file_frames + WAVRUN_TAIL))
        return;
    int32_t lanes[4] = {(int32_t)left[0], (int32_t)right[0], (int32_t)left[1], (int32_t)right[1]};
    if (w->out_rate == 0) {
        memcpy(w->pending[w->npending++], lanes, sizeof lanes);
        if (w->npending < 8)
            return;
        w->out_rate = nearest_rate(w->sys_hz / w->out_period);
        write_frames(w, w->pending, w->npending);
        return;
    }
    write_frames(w, &lanes, 1);
}

void wavrun_pins(void *ctx, bm_model *m)
{
    struct wavrun *w = ctx;
    int bclk, lrclk, data;
    i2s_source_tick(&w->src, &bclk, &lrclk, &data);
    bm_set_i2s_in(m, bclk, lrclk, data);
    struct bm_dac_pins p;
    bm_dac_pins(m, &p);
    uint32_t left[2], right[2];
    if (i2s_decoder_tick(&w->dec, p.bclk, p.lrclk, p.data, left, right))
        on_output_frame(w, left, right);
    w->cycle++;
}

struct wavrun *wavrun_open(const char *in_path, const char *out_path, double sys_hz, char *err,
                           size_t errlen)
{
    struct wavrun *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->in = sf_open(in_path, SFM_READ, &w->in_info);
    if (!w->in) {
        snprintf(err, errlen, "%s: %s", in_path, sf_strerror(NULL));
        free(w);
        return NULL;
    }
    const char *why = NULL;
    if (w->in_info.channels < 1 || w->in_info.channels > 2)
        why = "has %d channels; mono or stereo only";
    else if (!supported_rate(w->in_info.samplerate))
        why = "is at %d Hz; 44100, 48000, 88200, 96000, 176400 or 192000 only";
    else if (!supported_subtype(w->in_info.format))
        why = "is not 16, 24 or 32-bit integer or float PCM";
    else if (w->in_info.frames <= 0)
        why = "has no audio frames";
    if (why) {
        int arg = strstr(why, "channels") ? w->in_info.channels : w->in_info.samplerate;
        int n = snprintf(err, errlen, "%s ", in_path);
        snprintf(err + n, errlen - (size_t)n, why, arg);
        sf_close(w->in);
        free(w);
        return NULL;
    }
    w->file_frames = (uint64_t)w->in_info.frames;
    w->sys_hz = sys_hz;
    w->out_path = strdup(out_path);
    w->part_path = malloc(strlen(out_path) + 6);
    if (!w->out_path || !w->part_path) {
        snprintf(err, errlen, "out of memory");
        wavrun_close(w, false, NULL, 0);
        return NULL;
    }
    sprintf(w->part_path, "%s.part", out_path);
    /* make sure the output can be created before any time is spent */
    FILE *probe = fopen(w->part_path, "wb");
    if (!probe) {
        snprintf(err, errlen, "%s: cannot create: %s", w->part_path, strerror(errno));
        wavrun_close(w, false, NULL, 0);
        return NULL;
    }
    fclose(probe);
    w->out_period = sys_hz / w->in_info.samplerate;
    i2s_source_init(&w->src, sys_hz, w->in_info.samplerate, 32, next_frame, w);
    i2s_decoder_init(&w->dec, 2);
    return w;
}

bool wavrun_done(const struct wavrun *w)
{
    return w->pulled > WAVRUN_LEAD_IN + w->file_frames + WAVRUN_LEAD_OUT;
}

double wavrun_seconds(const struct wavrun *w)
{
    return (double)(WAVRUN_LEAD_IN + w->file_frames + WAVRUN_LEAD_OUT) / w->in_info.samplerate;
}

void wavrun_stats(const struct wavrun *w, struct wavrun_stats *st)
{
    st->in_frames = w->file_frames;
    st->out_frames = w->out_frames;
    st->in_rate = w->in_info.samplerate;
    st->out_rate = w->out_rate;
    st->out_slot_bits = w->out_slot;
}

int wavrun_close(struct wavrun *w, bool keep, char *err, size_t errlen)
{
    int rc = 0;
    if (keep && w->npending && w->out_rate == 0) {
        /* fewer than eight frames: their rate as measured so far */
        w->out_rate = nearest_rate(w->sys_hz / w->out_period);
        write_frames(w, w->pending, w->npending);
    }
    if (keep && (w->write_failed || !w->out)) {
        if (err)
            snprintf(err, errlen, "%s: %s", w->part_path,
                     w->out ? "write failed" : "no output frame was decoded");
        keep = false;
        rc = -1;
    }
    if (w->out && sf_close(w->out) != 0 && keep) {
        if (err)
            snprintf(err, errlen, "%s: write failed", w->part_path);
        keep = false;
        rc = -1;
    }
    if (w->in)
        sf_close(w->in);
    if (w->part_path) {
        if (keep && rename(w->part_path, w->out_path) != 0) {
            if (err)
                snprintf(err, errlen, "%s: %s", w->out_path, strerror(errno));
            rc = -1;
            keep = false;
        }
        if (!keep)
            remove(w->part_path);
    }
    free(w->out_path);
    free(w->part_path);
    free(w);
    return rc;
}
