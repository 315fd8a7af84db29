/* C interface to the Verilator model of balanced_top (the same top level that is synthesized,
 * with sim/rtl/ standing in for the iCE40 primitives). One call to bm_tick is one cycle of the
 * 49.152 MHz system clock. */
#ifndef BAL_SIM_MODEL_H
#define BAL_SIM_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bm_model bm_model;

struct bm_options {
    uint32_t seed;   /* for randomized initial state */
    int rand_reset;  /* 0: registers start at zero; 2: at random values */
};

bm_model *bm_create(const struct bm_options *opt);
void bm_destroy(bm_model *m);

void bm_tick(bm_model *m);
uint64_t bm_cycles(const bm_model *m);
uint32_t bm_sysclk_hz(void);

/* Writes every signal to an FST file from now on (one time unit = half a system clock).
 * Returns -1 when the model was built without tracing (build it with make TRACE=1). */
int bm_trace(bm_model *m, const char *path);

/* Pins */
void bm_set_uart_rx(bm_model *m, int level);
int bm_uart_tx(const bm_model *m);
int bm_led_red(const bm_model *m);   /* 1 = lit */
int bm_led_green(const bm_model *m);

/* I2S input pins, driven by the source for the next cycle */
void bm_set_i2s_in(bm_model *m, int bclk, int lrclk, int data);

/* The DACs' pins as the last cycle left them */
struct bm_dac_pins {
    int mclk, bclk, lrclk;
    int data[2]; /* DAC A: L+ (left slot), L- (right slot); DAC B: R+, R- */
};
void bm_dac_pins(const bm_model *m, struct bm_dac_pins *p);

#ifdef __cplusplus
}
#endif

#endif
