/* I2S on the pins, in system-clock cycles: a source that drives BCLK, LRCLK and DATA into the
 * FPGA's receiver (an external ADC or S/PDIF receiver, asynchronous to the FPGA: its edges are
 * placed at real time and land on the system cycle they fall in), and a decoder of what the
 * FPGA drives to the DACs (shared BCLK and LRCLK, one DATA line per DAC).
 * Format: Philips I2S, MSB first, data one BCLK after each LRCLK edge, LRCLK low for the left
 * channel, data changing on BCLK's falling edge and sampled on its rising edge. */
#ifndef BAL_I2S_LINE_H
#define BAL_I2S_LINE_H

#include <stdbool.h>
#include <stdint.h>

/* ---- the source */

/* Gives the next frame's two slot words (left-aligned in the slot: the slot's top bit is
 * bit slot_bits-1 of the word). Returns false when there is none: the source then sends
 * zeros. */
typedef bool (*i2s_next_frame)(void *ctx, uint32_t *left, uint32_t *right);

struct i2s_source {
    double bits_per_cycle;  /* BCLK periods per system cycle */
    unsigned slot_bits;     /* 16, 24 or 32 */
    i2s_next_frame next;
    void *ctx;
    uint64_t cycle;
    int64_t bit;            /* BCLK period of the cycle last driven, -1 before the first */
    uint32_t words[2];      /* the frame being sent */
    uint32_t prev_right;    /* its LSB goes out in the next frame's first bit period */
    bool stopped;           /* the clocks stop (a lost source): pins held low */
};

void i2s_source_init(struct i2s_source *s, double sys_hz, double fs, unsigned slot_bits,
                     i2s_next_frame next, void *ctx);

/* Pin levels for the next system cycle. */
void i2s_source_tick(struct i2s_source *s, int *bclk, int *lrclk, int *data);

/* ---- the decoder */

#define I2S_MAX_LINES 2

struct i2s_decoder {
    unsigned lines;
    int last_bclk, lr_prev, lr_prev2;
    bool synced;                        /* a word boundary has been seen */
    uint64_t shift[I2S_MAX_LINES];
    unsigned count;                     /* bits in the shift registers */
    unsigned slot_bits;                 /* of the last word completed */
    uint32_t left[I2S_MAX_LINES];       /* the left words of the frame in progress */
    bool have_left;
};

void i2s_decoder_init(struct i2s_decoder *d, unsigned lines);

/* Feeds one system cycle's pins. Returns true when a frame completed: its words, left-aligned
 * to 32 bits, in left[line] and right[line]. */
bool i2s_decoder_tick(struct i2s_decoder *d, int bclk, int lrclk, const int *data,
                      uint32_t *left, uint32_t *right);

#endif
