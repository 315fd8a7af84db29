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
        if (h->audio)
            h->audio(h->audio_ctx, h->model);
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

int simhost_request(struct simhost *h, uint8_t op, uint16_t addr, uint16_t count,
                    const uint32_t *data, struct bal_response *rs)
{
    static uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], got[SIMHOST_RXBUF];
    static struct bal_response local;
    struct bal_request rq = {++h->seq, op, addr, count, data};
    struct bal_slip_decoder d;
    if (!rs)
        rs = &local;
    simhost_take(h, got, sizeof got); /* anything earlier is not this reply */
    size_t n = bal_slip_encode(frame, bal_build_request(&rq, frame), wire);
    if (!simhost_send(h, wire, n))
        return -1;
    bal_slip_reset(&d);
    /* a 256-word reply takes ~170k cycles at 3 Mbaud */
    for (uint64_t waited = 0; waited < 400000; waited += 64) {
        simhost_run(h, 64);
        size_t k = simhost_take(h, got, sizeof got);
        for (size_t i = 0; i < k; i++)
            if (bal_slip_feed(&d, got[i]) == BAL_SLIP_FRAME &&
                bal_parse_response(d.buf, d.len, op == BAL_OP_READ, rs) == BAL_PARSE_OK &&
                rs->seq == rq.seq)
                return rs->status;
    }
    return -1;
}

int simhost_write(struct simhost *h, uint16_t addr, uint32_t value)
{
    return simhost_request(h, BAL_OP_WRITE, addr, 1, &value, NULL);
}

uint32_t simhost_read(struct simhost *h, uint16_t addr, bool *ok)
{
    struct bal_response rs;
    bool good = simhost_request(h, BAL_OP_READ, addr, 1, NULL, &rs) == BAL_ST_OK;
    if (ok)
        *ok = good;
    return good ? rs.data[0] : 0xFFFFFFFFu;
}
