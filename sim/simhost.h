/* The simulated board with a host UART attached: what balsim serves and the RTL tests drive. */
#ifndef BAL_SIMHOST_H
#define BAL_SIMHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "proto.h"
#include "regmap.h"
#include "uart_line.h"

#define SIMHOST_BAUD ((double)BAL_BAUD)
#define SIMHOST_RXBUF 65536

struct simhost {
    bm_model *model;
    struct uart_line_tx to_fpga;
    struct uart_line_rx from_fpga;
    uint8_t rx[SIMHOST_RXBUF]; /* bytes the FPGA sent, not yet taken */
    size_t rx_len;
    uint64_t last_activity;    /* cycle of the last bit on either line */
    /* called before every cycle: drives the audio input pins, reads the DAC pins */
    void (*audio)(void *ctx, bm_model *model);
    void *audio_ctx;
    uint8_t seq;               /* of simhost_request */
};

/* baud_error: the host UART's rate error as a fraction (0.02 = 2% fast). */
struct simhost *simhost_new(const struct bm_options *opt, double baud_error);
void simhost_free(struct simhost *h);
void simhost_run(struct simhost *h, uint64_t cycles);
/* Runs until n bytes have come back or max_cycles pass; returns the bytes available. */
size_t simhost_run_until_rx(struct simhost *h, size_t n, uint64_t max_cycles);
bool simhost_send(struct simhost *h, const uint8_t *p, size_t n);
/* Takes up to n received bytes. */
size_t simhost_take(struct simhost *h, uint8_t *p, size_t n);
bool simhost_lines_idle(const struct simhost *h);
double simhost_cycles_per_bit(void);

/* One request through the link, run until its reply: the reply's status, or -1 when none came
 * (in rs when not NULL). Each call takes a new sequence number. */
int simhost_request(struct simhost *h, uint8_t op, uint16_t addr, uint16_t count,
                    const uint32_t *data, struct bal_response *rs);
int simhost_write(struct simhost *h, uint16_t addr, uint32_t value);
/* The word, or -1 with *ok false */
uint32_t simhost_read(struct simhost *h, uint16_t addr, bool *ok);

#endif
