/* bench_link: simulator speed and the link's cost on the wire, in simulated time.
 * Prints one JSON object per line: {"name":..,"value":..,"unit":..,"compare":..}. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto.h"
#include "simhost.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void emit(const char *name, double value, const char *unit, const char *compare)
{
    printf("{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\",\"compare\":\"%s\"}\n", name, value,
           unit, compare);
}

/* One request through the simulated UART: wire bytes both ways and simulated microseconds
 * from the first bit out to the last bit back. */
static void measure(struct simhost *h, const char *name, uint8_t op, uint16_t addr, uint16_t count)
{
    static uint32_t data[BAL_MAX_WORDS];
    static uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], reply[65536];
    struct bal_request rq = {1, op, addr, count, data};
    size_t wn = bal_slip_encode(frame, bal_build_request(&rq, frame), wire);
    size_t want = 8 + 2 + (op == BAL_OP_READ ? 4u * count : 0);
    uint64_t c0 = bm_cycles(h->model);
    simhost_send(h, wire, wn);
    simhost_run_until_rx(h, want, 10000000);
    while (!simhost_lines_idle(h))
        simhost_run(h, 16);
    double us = (double)(bm_cycles(h->model) - c0) / bm_sysclk_hz() * 1e6;
    size_t got = simhost_take(h, reply, sizeof reply);
    char n[96];
    snprintf(n, sizeof n, "link.%s.wire_bytes", name);
    emit(n, (double)(wn + got), "bytes", "request + reply on the UART");
    snprintf(n, sizeof n, "link.%s.sim_time", name);
    emit(n, us, "us", "3 Mbaud, 10 bits per byte");
}

int main(void)
{
    struct bm_options opt = {1, 0};
    struct simhost *h = simhost_new(&opt, 0);
    simhost_run(h, 4096);

    const uint64_t n = 5000000;
    double t0 = now_s();
    simhost_run(h, n);
    double dt = now_s() - t0;
    emit("sim.verilator.cycles_per_second", n / dt, "cycles/s", "whole design, idle link");
    emit("sim.verilator.realtime_factor", n / dt / bm_sysclk_hz(), "x",
         "simulated seconds per second at 49.152 MHz");

    measure(h, "nop", BAL_OP_NOP, 0, 0);
    measure(h, "write1", BAL_OP_WRITE, BAL_REG_SCRATCH, 1);
    measure(h, "read1", BAL_OP_READ, BAL_REG_SCRATCH, 1);
    measure(h, "write256", BAL_OP_WRITE, BAL_BLK_SCRATCH_RAM_BASE, 256);
    measure(h, "read256", BAL_OP_READ, BAL_BLK_SCRATCH_RAM_BASE, 256);
    simhost_free(h);
    return 0;
}
