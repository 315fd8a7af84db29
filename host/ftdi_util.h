/* The parts of the FT2232H transport that need no USB: baud divisors, the two status bytes
 * at the head of every IN packet, and which board a --device spec names. */
#ifndef BAL_FTDI_UTIL_H
#define BAL_FTDI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BAL_FTDI_VID 0x0403
#define BAL_FTDI_PID 0x6010 /* FT2232H, as on the iCEBreaker */

/* FT2232H interface B: the UART to the FPGA. */
#define BAL_FTDI_INTERFACE 1 /* USB interface number */
#define BAL_FTDI_PORT 2      /* wIndex of vendor requests: 1 = A, 2 = B */
#define BAL_FTDI_EP_IN 0x83
#define BAL_FTDI_EP_OUT 0x04

/* Vendor requests (bmRequestType 0x40, wIndex = port). */
enum {
    BAL_SIO_RESET = 0x00,         /* wValue 0 reset, 1 purge RX, 2 purge TX */
    BAL_SIO_SET_FLOW_CTRL = 0x02,
    BAL_SIO_SET_BAUDRATE = 0x03,
    BAL_SIO_SET_DATA = 0x04,      /* wValue: bits | parity << 8 | stop << 11 */
    BAL_SIO_SET_LATENCY = 0x09,
    BAL_SIO_SET_BITMODE = 0x0B,
};

struct bal_ftdi_baud {
    uint16_t value; /* wValue of SIO_SET_BAUDRATE */
    uint16_t index; /* wIndex: divisor high bits, then the port */
    uint32_t actual;
};

/* Divisor for an H-type chip on its 120 MHz clock (12 MHz after its fixed /10), in eighths.
 * Returns false for rates it cannot make within 3%. */
bool bal_ftdi_baud(uint32_t baud, unsigned port, struct bal_ftdi_baud *out);

/* Removes the two modem-status bytes that open every packet_size chunk of an IN transfer.
 * Returns the data bytes written to out (may equal in). */
size_t bal_ftdi_strip_status(const uint8_t *in, size_t n, size_t packet_size, uint8_t *out);

struct bal_ftdi_board {
    char serial[64];   /* "" when it could not be read */
    bool can_open;     /* false: no permission */
    int bus, address;
    char product[64];  /* the USB product string; "" when it could not be read */
};

/* The iCEBreaker's FT2232H names itself "iCEBreaker V1.0e" (the revision varies). */
#define BAL_FTDI_PRODUCT_PREFIX "iCEBreaker"

/* Whether a board may be this project's: an iCEBreaker by its product string, or a board whose
 * strings could not be read (no permission yet: the error must say so rather than hide it). */
bool bal_ftdi_may_be_ours(const struct bal_ftdi_board *b);

enum bal_ftdi_choice {
    BAL_FTDI_NONE = -1,      /* no board */
    BAL_FTDI_SEVERAL = -2,   /* more than one and no serial named */
    BAL_FTDI_NOT_FOUND = -3, /* no board has that serial */
};

/* Index of the board to use, or a bal_ftdi_choice. With a serial, the board with exactly that
 * serial, whatever it calls itself (the user named it); without, the only board that may be
 * ours: other FT2232H devices (JTAG adapters, other boards) are never touched. */
int bal_ftdi_choose(const struct bal_ftdi_board *boards, size_t n, const char *serial);

/* Every FT2232H on the bus; returns the count or a negative bal_err with err filled. */
int bal_ftdi_list(struct bal_ftdi_board *boards, size_t max, char *err, size_t errlen);

#endif
