/* balsim's audio: a WAV file clocked into the I2S input pins at its own rate (sim/i2s_line.c),
 * the two DACs' pins decoded back into the four lanes and written to a WAV file at the output
 * rate (the input's times the oversampling ratio). Which output frames belong to the file is
 * decided by time: an output frame belongs to the last input frame that ended at least a
 * quarter frame before the transmitter took it, and OUT.wav holds every output frame from the
 * file's first frame to WAVRUN_TAIL frames after its last: what the DACs played for the file,
 * the datapath's delay (the filter's, about 57 input frames at 8x) as silence at the start and
 * the filter's decay at the end. */
#ifndef BAL_WAVRUN_H
#define BAL_WAVRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i2s_line.h"
#include "regmap.h"
#include "model.h"

/* silent frames before the file: the input locks on them, the engine flushes its history if
 * the ratio changes (160 frames), and the lanes' gains ramp up from silence (GAIN_SILENT /
 * GAIN_STEP output frames: as many input frames at the least ratio, 1) */
#define WAVRUN_LEAD_IN (200 + BAL_GAIN_SILENT / BAL_GAIN_STEP)
#define WAVRUN_TAIL 64      /* frames of output kept after the file's last */
#define WAVRUN_LEAD_OUT (WAVRUN_TAIL + 16) /* silent frames after it */

struct wavrun;

/* Opens IN (16, 24 or 32-bit integer or float, mono or stereo, 44.1 to 192 kHz) and prepares
 * OUT (written as OUT's name + ".part", renamed when complete). Returns NULL with a message in
 * err when IN cannot be used or OUT cannot be created; nothing is left behind then. */
struct wavrun *wavrun_open(const char *in_path, const char *out_path, double sys_hz, char *err,
                           size_t errlen);

/* The per-cycle pin hook for simhost (ctx: the wavrun). */
void wavrun_pins(void *ctx, bm_model *m);

/* Whether every output frame of the file has been written. */
bool wavrun_done(const struct wavrun *w);

/* Simulated seconds of input to play (lead-in and lead-out included). */
double wavrun_seconds(const struct wavrun *w);

/* Finishes OUT (renames it into place); on failure, or with keep false, removes it. Returns 0,
 * or -1 with a message in err. Frees w. */
int wavrun_close(struct wavrun *w, bool keep, char *err, size_t errlen);

/* What was done, for the summary */
struct wavrun_stats {
    uint64_t in_frames, out_frames;
    double in_rate, out_rate;
    unsigned out_slot_bits;
};
void wavrun_stats(const struct wavrun *w, struct wavrun_stats *st);

#endif
