/* C interface to the Verilator model of the interpolation engine alone (rtl/audio/interp.v with
 * its MAC lane and coefficient store), for its bit-exact test. One call is one cycle. */
#ifndef BAL_SIM_INTERP_MODEL_H
#define BAL_SIM_INTERP_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ie_model ie_model;

struct ie_out { /* what the edge leaves, seen in the next cycle */
    int ready, out_we, out_addr, block_done, overrun;
    int32_t out_data;
    int coef_grant;      /* the host port's request was granted in this cycle */
    uint32_t coef_rdata; /* and, for a read, its word */
};

ie_model *ie_create(uint32_t seed);
void ie_destroy(ie_model *m);
void ie_settings(ie_model *m, int rst, int ratio_log2, int nos);
/* The stage-1 bank the engine takes at its next frame, and that bank's taps. */
void ie_bank(ie_model *m, int bank, int taps);
/* The coefficient store's host port for the next cycles: the address a cycle before the
 * request, which is held until a cycle's ie_out says coef_grant (then call ie_coef_port(m, 0,
 * ...)). */
void ie_coef_port(ie_model *m, int req, int we, unsigned addr, uint32_t data);
void ie_cycle(ie_model *m, int in_valid, int32_t l, int32_t r, struct ie_out *o);

#ifdef __cplusplus
}
#endif

#endif
