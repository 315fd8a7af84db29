/* The stage-1 filter banks on the device (rtl/audio/filter_bank.v): typed calls over a link. */
#include "filter_dev.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

#define SWITCH_TIMEOUT_MS 3000 /* a switch takes up to ~70 ms (48 kHz 1x: the gains fade a step a frame, the flush) */

uint16_t bal_filter_coef_addr(unsigned bank, unsigned tap)
{
    return (uint16_t)(BAL_BLK_FILTER_COEFS_BASE + 256u * bank + tap);
}

uint16_t bal_filter_info_addr(unsigned bank, unsigned word)
{
    return (uint16_t)(BAL_BLK_FILTER_INFO_BASE + BAL_FILTER_INFO_WORDS * bank + word);
}

/* ---- the device */
const char *bal_filter_result_name(unsigned code)
{
    static const char *const names[] = {
        "none",
        "ok",
        "refused: the bank is the live one (select another bank first)",
        "refused: bank 0 is built in and read-only",
        "refused: the bank's taps and its CHECK word do not agree (written in part, or corrupted)",
        "refused: the bank holds no committed filter",
    };
    return code < sizeof names / sizeof names[0] ? names[code] : "unknown outcome";
}

int bal_filter_status(struct bal_link *l, uint32_t *status)
{
    return bal_read1(l, BAL_REG_FILTER_STATUS, status);
}

int bal_filter_bank(struct bal_link *l, unsigned bank, uint32_t status, struct bal_bank *b)
{
    uint32_t w[BAL_FILTER_INFO_WORDS];
    int rc = bal_read(l, bal_filter_info_addr(bank, 0), BAL_FILTER_INFO_WORDS, w);
    if (rc)
        return rc;
    memset(b, 0, sizeof *b);
    b->bank = bank;
    b->valid = (status >> (BAL_FILTER_STATUS_VALID_LSB + bank)) & 1;
    b->live = BAL_FIELD(FILTER_STATUS, LIVE, status) == bank;
    b->taps = b->valid ? BAL_FIELD(FILTER_COMMIT, TAPS, w[3]) : 0;
    b->check = w[2];
    bal_filter_name(w, b->name);
    return BAL_OK;
}

int bal_filter_read_taps(struct bal_link *l, unsigned bank, unsigned taps, int32_t *coef)
{
    return bal_read(l, bal_filter_coef_addr(bank, 0), taps, (uint32_t *)coef);
}

/* Waits until no switch is under way; then the last outcome must be OK. */
static int wait_switch(struct bal_link *l, const char *what)
{
    int64_t t0 = bal_now_ms();
    for (;;) {
        uint32_t st;
        int rc = bal_filter_status(l, &st);
        if (rc)
            return rc;
        unsigned result = BAL_FIELD(FILTER_STATUS, RESULT, st);
        if (result != BAL_FILTER_STATUS_RESULT_OK) {
            snprintf(l->error, sizeof l->error, "%s: %s", what, bal_filter_result_name(result));
            return BAL_ERR_DEVICE;
        }
        if (!(st & BAL_FILTER_STATUS_PENDING_MASK))
            return BAL_OK;
        if (bal_now_ms() - t0 > SWITCH_TIMEOUT_MS) {
            snprintf(l->error, sizeof l->error, "%s: the switch did not end within %d ms", what,
                     SWITCH_TIMEOUT_MS);
            return BAL_ERR_IO;
        }
        bal_sleep_ms(2);
    }
}

int bal_filter_upload(struct bal_link *l, unsigned bank, const struct bal_filter *f, bal_progress_fn progress,
                      void *ctx)
{
    char why[200];
    if (bank < 1 || bank >= BAL_FILTER_BANKS) {
        snprintf(l->error, sizeof l->error, "bank %u: uploads go to banks 1 to %d", bank, BAL_FILTER_BANKS - 1);
        return BAL_ERR_USAGE;
    }
    if (!bal_filter_check(f, why, sizeof why)) {
        snprintf(l->error, sizeof l->error, "%s", why);
        return BAL_ERR_USAGE;
    }
    uint32_t st;
    int rc = bal_filter_status(l, &st);
    if (rc)
        return rc;
    if (BAL_FIELD(FILTER_STATUS, LIVE, st) == bank) {
        snprintf(l->error, sizeof l->error, "bank %u is live: load into another bank, or select another first",
                 bank);
        return BAL_ERR_USAGE;
    }
    unsigned total = 2u * (unsigned)f->taps, done = 0;
    const unsigned chunk = 64;
    for (int i = 0; i < f->taps; i += (int)chunk) {
        unsigned n = (unsigned)(f->taps - i) < chunk ? (unsigned)(f->taps - i) : chunk;
        if ((rc = bal_write(l, bal_filter_coef_addr(bank, (unsigned)i), n, (const uint32_t *)&f->coef[i])))
            return rc;
        if (progress)
            progress(ctx, done += n, total);
    }
    uint32_t info[3];
    bal_filter_name_words(f->name, info);
    info[2] = bal_filter_check_word(f);
    if ((rc = bal_write(l, bal_filter_info_addr(bank, 0), 3, info)))
        return rc;
    static int32_t back[BAL_FILTER_TAPS_MAX];
    for (int i = 0; i < f->taps; i += (int)chunk) {
        unsigned n = (unsigned)(f->taps - i) < chunk ? (unsigned)(f->taps - i) : chunk;
        if ((rc = bal_read(l, bal_filter_coef_addr(bank, (unsigned)i), n, (uint32_t *)&back[i])))
            return rc;
        if (progress)
            progress(ctx, done += n, total);
    }
    for (int i = 0; i < f->taps; i++)
        if (back[i] != f->coef[i]) {
            snprintf(l->error, sizeof l->error, "bank %u tap %d reads back 0x%08X, not 0x%08X: not committed",
                     bank, i, (uint32_t)back[i], (uint32_t)f->coef[i]);
            return BAL_ERR_IO;
        }
    uint32_t commit = (uint32_t)f->taps << BAL_FILTER_COMMIT_TAPS_LSB | bank << BAL_FILTER_COMMIT_BANK_LSB;
    if ((rc = bal_write1(l, BAL_REG_FILTER_COMMIT, commit)))
        return rc;
    char what[32];
    snprintf(what, sizeof what, "commit of bank %u", bank);
    return wait_switch(l, what);
}

int bal_filter_select(struct bal_link *l, unsigned bank)
{
    if (bank >= BAL_FILTER_BANKS) {
        snprintf(l->error, sizeof l->error, "bank %u: the banks are 0 to %d", bank, BAL_FILTER_BANKS - 1);
        return BAL_ERR_USAGE;
    }
    int rc = bal_write1(l, BAL_REG_FILTER_SELECT, bank << BAL_FILTER_SELECT_BANK_LSB);
    if (rc)
        return rc;
    char what[32];
    snprintf(what, sizeof what, "select of bank %u", bank);
    return wait_switch(l, what);
}
