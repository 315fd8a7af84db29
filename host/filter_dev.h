/* The stage-1 filter banks on the device (rtl/audio/filter_bank.v, docs/registers.md): typed
 * calls over a link (no libusb here). Bank 0 is the built-in halfband, read-only; banks 1..7 take
 * uploads, which are read back and compared, then committed with their check word. */
#ifndef BAL_FILTER_DEV_H
#define BAL_FILTER_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "link.h"

uint16_t bal_filter_coef_addr(unsigned bank, unsigned tap);
uint16_t bal_filter_info_addr(unsigned bank, unsigned word); /* word: 0, 1 name, 2 CHECK, 3 TAPS */

/* ---- the device */
struct bal_bank {
    unsigned bank, taps; /* taps 0: empty */
    char name[BAL_FILTER_NAME_MAX + 1];
    uint32_t check;
    bool live, valid;
};
int bal_filter_status(struct bal_link *l, uint32_t *status);
int bal_filter_bank(struct bal_link *l, unsigned bank, uint32_t status, struct bal_bank *b);
int bal_filter_read_taps(struct bal_link *l, unsigned bank, unsigned taps, int32_t *coef);

/* Upload f to bank: taps, name and CHECK word written, the taps read back and compared, then the
 * commit, and the switch waited for. progress (may be NULL) is told of the words moved.
 * BAL_ERR_DEVICE with l->error set when the device refuses (its FILTER_STATUS.RESULT). */
typedef void (*bal_progress_fn)(void *ctx, unsigned done, unsigned total);
int bal_filter_upload(struct bal_link *l, unsigned bank, const struct bal_filter *f,
                      bal_progress_fn progress, void *ctx);
/* Switch to a committed bank and wait for the switch. */
int bal_filter_select(struct bal_link *l, unsigned bank);
/* The name of a FILTER_STATUS.RESULT code, and what it means. */
const char *bal_filter_result_name(unsigned code);

#endif
