/* Bit-exact model of the audio datapath from the input samples to the four DAC lanes:
 * routing, polarity, output topology and symmetric saturation (issue 13's datapath). The
 * interpolation filter and the lane gains slot in between routing and topology later; this
 * model keeps that shape (am_route, then am_lanes) so they extend it rather than replace it.
 *
 * Samples inside are 24-bit two's complement in int32_t. Every lane is saturated
 * symmetrically to +-(2^23 - 1): the code -2^23, which has no mirror, never leaves the
 * datapath, and in the balanced topology L- is computed as the negation of the saturated L+,
 * so L- == -L+ holds exactly. */
#ifndef BAL_AUDIOMODEL_H
#define BAL_AUDIOMODEL_H

#include <stdbool.h>
#include <stdint.h>

#define AM_BITS 24
#define AM_MAX ((1 << (AM_BITS - 1)) - 1) /*  8388607 */
#define AM_MIN (-(1 << (AM_BITS - 1)))    /* -8388608: accepted at the input, never output */

enum am_route {
    AM_ROUTE_STEREO, /* L, R */
    AM_ROUTE_SWAP,   /* R, L */
    AM_ROUTE_MONO,   /* (L+R)/2 on both, floor */
    AM_ROUTE_LEFT,   /* L on both */
    AM_ROUTE_RIGHT,  /* R on both */
};

enum am_topology {
    AM_TOPO_BALANCED, /* L+ = L, L- = -L, R+ = R, R- = -R */
    AM_TOPO_SE,       /* L+ = L, R+ = R, L- = R- = 0 */
    AM_TOPO_PARALLEL, /* L+ = L- = L, R+ = R- = R */
    AM_TOPO_MONO,     /* M = (L+R)/2 floor: L+ = R+ = M, L- = R- = -M */
};

enum am_lane { AM_LP, AM_LN, AM_RP, AM_RN, AM_LANES };

struct am_settings {
    enum am_route route;
    bool invert_left, invert_right; /* after routing */
    enum am_topology topology;
};

/* Saturates a value of up to 26 bits to +-(2^23 - 1). */
int32_t am_saturate(int32_t v);

/* A slot word as received (its top bits are the sample) to a 24-bit sample: 16-bit slots are
 * left-aligned (x 256), 32-bit slots keep their top 24 bits (floor). */
int32_t am_from_slot(uint32_t word, unsigned slot_bits);

/* A 24-bit lane sample to the word a DAC slot carries, MSB first (left-aligned). */
uint32_t am_to_slot(int32_t sample, unsigned slot_bits);

/* Routing and polarity. Not yet saturated: mono and inversion may need 25 bits. */
void am_route(const struct am_settings *s, int32_t l, int32_t r, int32_t *out_l, int32_t *out_r);

/* The two words the interpolation engine takes (sim/interp.h): mono-bridged puts the mean on
 * both; each saturated. */
void am_channels(const struct am_settings *s, int32_t l, int32_t r, int32_t *out_l, int32_t *out_r);

/* The topology: the engine's two (saturated) channels to the four lanes. */
void am_topology(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES]);

/* Channels and topology with no engine between (1x): two routed channels to the four lanes. */
void am_lanes(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES]);

/* The whole datapath for one input frame at 1x. */
void am_frame(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES]);

#endif
