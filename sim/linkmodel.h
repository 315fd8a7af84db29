/* Golden model of the FPGA's link executor and register targets (rtl/link/link_exec.v,
 * rtl/regs/): the same checks
 * in the same order, the same duplicate cache, the same all-or-nothing writes, with register
 * semantics taken from the generated register table. Tests compare the RTL's replies to it
 * byte for byte. Registers whose value the hardware makes (counters, uptime, status) read as
 * their reset value here; tests that compare replies avoid them. */
#ifndef BAL_LINKMODEL_H
#define BAL_LINKMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct linkmodel {
    uint32_t mem[0x10000];
    bool last_valid;
    uint8_t last_seq, last_status;
    uint16_t last_crc;
    uint32_t build_hash, sysclk_hz, status;
};

void linkmodel_init(struct linkmodel *m, uint32_t build_hash, uint32_t sysclk_hz, uint32_t status);

/* The reply to one unescaped frame; returns its unescaped length, 0 when the device stays
 * silent (a frame shorter than a header and CRC). */
size_t linkmodel_handle(struct linkmodel *m, const uint8_t *frame, size_t len, uint8_t *reply);

#endif
