#include "ftdi_util.h"

#include <string.h>

#define FTDI_H_BASE_HZ 12000000u /* 120 MHz / 10 */

bool bal_ftdi_baud(uint32_t baud, unsigned port, struct bal_ftdi_baud *out)
{
    /* Fractions of the divisor, in eighths, as the chip encodes them in bits 14..16. */
    static const uint8_t frac_code[8] = {0, 3, 2, 4, 1, 5, 6, 7};
    if (baud == 0)
        return false;
    uint64_t div8 = ((uint64_t)FTDI_H_BASE_HZ * 8 + baud / 2) / baud;
    /* Below 2 only the divisors 1 and 1.5 exist. */
    if (div8 < 8)
        div8 = 8;
    else if (div8 < 12)
        div8 = div8 < 10 ? 8 : 12;
    else if (div8 < 16)
        div8 = div8 < 14 ? 12 : 16;
    if ((div8 >> 3) > 0x3FFF)
        return false;
    uint32_t actual = (uint32_t)(((uint64_t)FTDI_H_BASE_HZ * 8 + div8 / 2) / div8);
    uint32_t diff = actual > baud ? actual - baud : baud - actual;
    if ((uint64_t)diff * 100 > (uint64_t)baud * 3)
        return false;
    uint32_t enc;
    if (div8 == 8)
        enc = 0;
    else if (div8 == 12)
        enc = 1;
    else
        enc = (uint32_t)(div8 >> 3) | (uint32_t)frac_code[div8 & 7] << 14;
    enc |= 0x20000; /* select the 120 MHz clock */
    out->value = (uint16_t)enc;
    out->index = (uint16_t)(((enc >> 8) & 0xFF00) | (port & 0xFF));
    out->actual = actual;
    return true;
}

size_t bal_ftdi_strip_status(const uint8_t *in, size_t n, size_t packet_size, uint8_t *out)
{
    size_t o = 0;
    for (size_t pos = 0; pos < n; pos += packet_size) {
        size_t chunk = n - pos < packet_size ? n - pos : packet_size;
        if (chunk <= 2)
            continue;
        memmove(out + o, in + pos + 2, chunk - 2);
        o += chunk - 2;
    }
    return o;
}

bool bal_ftdi_may_be_ours(const struct bal_ftdi_board *b)
{
    return !b->can_open ||
           !strncmp(b->product, BAL_FTDI_PRODUCT_PREFIX, strlen(BAL_FTDI_PRODUCT_PREFIX));
}

int bal_ftdi_choose(const struct bal_ftdi_board *boards, size_t n, const char *serial)
{
    if (serial) {
        for (size_t i = 0; i < n; i++)
            if (!strcmp(boards[i].serial, serial))
                return (int)i;
        return n ? BAL_FTDI_NOT_FOUND : BAL_FTDI_NONE;
    }
    int found = BAL_FTDI_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!bal_ftdi_may_be_ours(&boards[i]))
            continue;
        if (found >= 0)
            return BAL_FTDI_SEVERAL;
        found = (int)i;
    }
    return found;
}
