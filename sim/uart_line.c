#include "uart_line.h"

void uart_line_tx_init(struct uart_line_tx *u, double cycles_per_bit)
{
    u->cycles_per_bit = cycles_per_bit;
    u->head = u->count = 0;
    u->busy = false;
    u->level = 1;
    u->t = 0;
}

bool uart_line_tx_push(struct uart_line_tx *u, uint8_t byte)
{
    if (u->count == UART_LINE_QUEUE)
        return false;
    u->queue[(u->head + u->count++) % UART_LINE_QUEUE] = byte;
    return true;
}

size_t uart_line_tx_room(const struct uart_line_tx *u)
{
    return UART_LINE_QUEUE - u->count;
}

bool uart_line_tx_idle(const struct uart_line_tx *u)
{
    return !u->busy && u->count == 0;
}

int uart_line_tx_step(struct uart_line_tx *u)
{
    if (!u->busy && u->count) {
        u->frame = (uint16_t)(1u << 9 | (unsigned)u->queue[u->head] << 1);
        u->head = (u->head + 1) % UART_LINE_QUEUE;
        u->count--;
        u->busy = true;
        u->t = 0;
    }
    if (!u->busy)
        return u->level = 1;
    int bit = (int)(u->t / u->cycles_per_bit);
    u->level = (u->frame >> bit) & 1;
    u->t += 1.0;
    if (u->t >= 10.0 * u->cycles_per_bit)
        u->busy = false;
    return u->level;
}

void uart_line_rx_init(struct uart_line_rx *u, double cycles_per_bit)
{
    u->cycles_per_bit = cycles_per_bit;
    u->busy = false;
    u->prev = 1;
    u->framing_errors = 0;
}

bool uart_line_rx_idle(const struct uart_line_rx *u)
{
    return !u->busy;
}

int uart_line_rx_step(struct uart_line_rx *u, int level, uint8_t *byte)
{
    int result = UART_LINE_NONE;
    if (!u->busy) {
        if (u->prev && !level) {
            u->busy = true;
            u->t = 0;
            u->next_bit = 0;
            u->bits = 0;
        }
    } else {
        u->t += 1.0;
        if (u->t >= (u->next_bit + 0.5) * u->cycles_per_bit) {
            u->bits |= (uint16_t)(level << u->next_bit);
            if (u->next_bit == 0 && level) {
                u->busy = false; /* glitch */
            } else if (u->next_bit == 9) {
                u->busy = false;
                if (level) {
                    *byte = (uint8_t)(u->bits >> 1);
                    result = UART_LINE_BYTE;
                } else {
                    u->framing_errors++;
                    result = UART_LINE_FRAMING;
                }
            }
            u->next_bit++;
        }
    }
    u->prev = level;
    return result;
}
