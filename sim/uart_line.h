/* A serial line in simulated time: the host's UART on the other end of the FPGA's pins.
 * Rates are in system clock cycles per bit, so a rate error is just a different number. */
#ifndef BAL_UART_LINE_H
#define BAL_UART_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_LINE_QUEUE 8192

/* Bytes to a pin, back to back, 8N1. */
struct uart_line_tx {
    double cycles_per_bit;
    uint8_t queue[UART_LINE_QUEUE];
    size_t head, count;
    bool busy;
    uint16_t frame; /* start, 8 data, stop; LSB first */
    double t;       /* cycles into the current character */
    int level;
};

void uart_line_tx_init(struct uart_line_tx *u, double cycles_per_bit);
bool uart_line_tx_push(struct uart_line_tx *u, uint8_t byte); /* false when the queue is full */
size_t uart_line_tx_room(const struct uart_line_tx *u);
bool uart_line_tx_idle(const struct uart_line_tx *u);
int uart_line_tx_step(struct uart_line_tx *u); /* one cycle; returns the pin level */

/* A pin to bytes, sampling each bit at its centre from the start edge. */
struct uart_line_rx {
    double cycles_per_bit;
    bool busy;
    int prev;
    double t;
    int next_bit;
    uint16_t bits;
    unsigned framing_errors;
};

enum { UART_LINE_NONE = 0, UART_LINE_BYTE = 1, UART_LINE_FRAMING = -1 };

void uart_line_rx_init(struct uart_line_rx *u, double cycles_per_bit);
int uart_line_rx_step(struct uart_line_rx *u, int level, uint8_t *byte);
bool uart_line_rx_idle(const struct uart_line_rx *u);

#endif
