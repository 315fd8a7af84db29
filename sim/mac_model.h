/* C interface to the Verilator model of the MAC lane alone (rtl/audio/mac_lane.v), for its
 * bit-exact test. One call is one system clock cycle. */
#ifndef BAL_SIM_MAC_MODEL_H
#define BAL_SIM_MAC_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ml_model ml_model;

ml_model *ml_create(uint32_t seed);
void ml_destroy(ml_model *m);

/* One cycle with this tap on the inputs (valid 0: idle; d and c are then driven with
 * garbage). Returns 1 when out_valid is high after the edge, with out_y in *y. */
int ml_cycle(ml_model *m, int valid, int first, int last, int32_t d, int32_t c, int32_t *y);

#ifdef __cplusplus
}
#endif

#endif
