#include "simhost.h"

#include <stdlib.h>
#include <string.h>

double simhost_cycles_per_bit(void)
{
    return bm_sysclk_hz() / SIMHOST_BAUD;
}

struct simhost *simhost_new(const struct bm_options *opt, double baud_error)
{
    struct simhost *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->model = bm_create(opt);
    double cpb = simhost_cycles_per_bit() / (1.0 + baud_error);
    uart_line_tx_init(&h->to_fpga, cpb);
    uart_line_rx_init(&h->from_fpga, cpb);
    return h;
}

void simhost_free(struct simhost *h)
{
    if (!h)
        return;
    bm_destroy(h->model);
    free(h);
}

void simhost_run(struct simhost *h, uint64_t cycles)
{
    while (cycles--) {
        bool busy = !uart_line_tx_idle(&h->to_fpga);
        bm_set_uart_rx(h->model, uart_line_tx_step(&h->to_fpga));
        bm_tick(h->model);
        uint8_t b;
        int tx = bm_uart_tx(h->model);
        if (uart_line_rx_step(&h->from_fpga, tx, &b) == UART_LINE_BYTE && h->rx_len < SIMHOST_RXBUF)
            h->rx[h->rx_len++] = b;
        if (busy || !tx || !uart_line_rx_idle(&h->from_fpga))
            h->last_activity = bm_cycles(h->model);
    }
}

size_t simhost_run_until_rx(struct simhost *h, size_t n, uint64_t max_cycles)
{
    const uint64_t step = 64;
    for (uint64_t done = 0; h->rx_len < n && done < max_cycles; done += step)
        simhost_run(h, step);
    return h->rx_len;
}

bool simhost_send(struct simhost *h, const uint8_t *p, size_t n)
{
    if (uart_line_tx_room(&h->to_fpga) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        uart_line_tx_push(&h->to_fpga, p[i]);
    return true;
}

size_t simhost_take(struct simhost *h, uint8_t *p, size_t n)
{
    size_t k = n < h->rx_len ? n : h->rx_len;
    memcpy(p, h->rx, k);
    memmove(h->rx, h->rx + k, h->rx_len - k);
    h->rx_len -= k;
    return k;
}

bool simhost_lines_idle(const struct simhost *h)
{
    return uart_line_tx_idle(&h->to_fpga) && uart_line_rx_idle(&h->from_fpga) &&
           bm_uart_tx(h->model);
}
