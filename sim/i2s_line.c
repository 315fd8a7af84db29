#include "i2s_line.h"

#include <math.h>
#include <string.h>

void i2s_source_init(struct i2s_source *s, double sys_hz, double fs, unsigned slot_bits,
                     i2s_next_frame next, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->bits_per_cycle = fs * 2.0 * slot_bits / sys_hz;
    s->slot_bits = slot_bits;
    s->next = next;
    s->ctx = ctx;
    s->bit = -1;
}

/* The bit of the frame's words that bit period k of a frame carries: one period late. */
static int data_bit(const struct i2s_source *s, unsigned k)
{
    unsigned frame_bits = 2 * s->slot_bits;
    unsigned j = (k + frame_bits - 1) % frame_bits;
    if (k == 0)
        return (int)(s->prev_right & 1); /* the previous frame's right LSB */
    uint32_t w = s->words[j / s->slot_bits];
    return (int)((w >> (s->slot_bits - 1 - j % s->slot_bits)) & 1);
}

void i2s_source_tick(struct i2s_source *s, int *bclk, int *lrclk, int *data)
{
    if (s->stopped) {
        *bclk = *lrclk = *data = 0;
        s->cycle++;
        return;
    }
    /* position in real time: the half period decides BCLK, the period the bit */
    double halves = floor((double)s->cycle * s->bits_per_cycle * 2.0);
    int64_t bit = (int64_t)(halves / 2);
    unsigned frame_bits = 2 * s->slot_bits;
    unsigned k = (unsigned)(bit % frame_bits);
    if (bit != s->bit && k == 0) {
        s->prev_right = s->words[1];
        if (!s->next || !s->next(s->ctx, &s->words[0], &s->words[1]))
            s->words[0] = s->words[1] = 0;
    }
    s->bit = bit;
    *bclk = ((int64_t)halves & 1) ? 1 : 0;
    *lrclk = k >= s->slot_bits ? 1 : 0;
    *data = data_bit(s, k);
    s->cycle++;
}

void i2s_decoder_init(struct i2s_decoder *d, unsigned lines)
{
    memset(d, 0, sizeof *d);
    d->lines = lines > I2S_MAX_LINES ? I2S_MAX_LINES : lines;
    d->lr_prev = d->lr_prev2 = -1;
}

bool i2s_decoder_tick(struct i2s_decoder *d, int bclk, int lrclk, const int *data,
                      uint32_t *left, uint32_t *right)
{
    bool rising = bclk && !d->last_bclk;
    d->last_bclk = bclk;
    if (!rising)
        return false;
    /* this edge's bit belongs to the channel LRCLK showed one edge ago; when that differs
     * from the edge before, the word of that earlier channel has just ended */
    int channel = d->lr_prev, finished = d->lr_prev2;
    d->lr_prev2 = d->lr_prev;
    d->lr_prev = lrclk;
    bool done = false;
    if (finished >= 0 && channel >= 0 && channel != finished) {
        unsigned n = d->count;
        if (d->synced && n >= 8 && n <= 32) {
            for (unsigned i = 0; i < d->lines; i++) {
                uint32_t w = (uint32_t)(d->shift[i] << (32 - n));
                if (finished == 0) {
                    d->left[i] = w;
                } else if (d->have_left) {
                    left[i] = d->left[i];
                    right[i] = w;
                    done = true;
                }
            }
            d->have_left = finished == 0;
            d->slot_bits = n;
        }
        d->synced = true;
        d->count = 0;
        memset(d->shift, 0, sizeof d->shift);
    }
    if (channel >= 0) {
        for (unsigned i = 0; i < d->lines; i++)
            d->shift[i] = (d->shift[i] << 1) | (uint64_t)(data[i] & 1);
        d->count++;
    }
    return done;
}
