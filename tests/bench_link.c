/* bench_link: simulator speed and the link's cost on the wire, in simulated time.
 * Prints one JSON object per line: {"name":..,"value":..,"unit":..,"compare":..}. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fir_design.h"
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

/* One request through the simulated UART (its data words, or zeros): wire bytes both ways and
 * simulated microseconds from the first bit out to the last bit back. */
static void exchange(struct simhost *h, uint8_t op, uint16_t addr, uint16_t count, const uint32_t *words,
                     size_t *bytes, double *us)
{
    static uint32_t zeros[BAL_MAX_WORDS];
    static uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], reply[65536];
    struct bal_request rq = {1, op, addr, count, words ? words : zeros};
    size_t wn = bal_slip_encode(frame, bal_build_request(&rq, frame), wire);
    size_t want = 8 + 2 + (op == BAL_OP_READ ? 4u * count : 0);
    uint64_t c0 = bm_cycles(h->model);
    simhost_send(h, wire, wn);
    simhost_run_until_rx(h, want, 10000000);
    while (!simhost_lines_idle(h))
        simhost_run(h, 16);
    *us = (double)(bm_cycles(h->model) - c0) / bm_sysclk_hz() * 1e6;
    *bytes = wn + simhost_take(h, reply, sizeof reply);
}

/* A stage-1 bank upload as balctl makes it (host/filter_dev.c), to bank 1 of the RTL: the taps
 * in 64-word writes, name and check word, the taps read back in 64-word reads, the commit (its
 * answer comes once the device has verified the bank); a default 255-tap linear design as the
 * data (its bytes are what SLIP escapes). Reported only if the bank then plays. */
static void measure_upload(struct simhost *h)
{
    struct bal_fir_spec spec;
    struct bal_filter f;
    char err[200];
    const unsigned bank = 1;
    const uint16_t taps_at = (uint16_t)(BAL_BLK_FILTER_COEFS_BASE + 256 * bank);
    const uint16_t info_at = (uint16_t)(BAL_BLK_FILTER_INFO_BASE + BAL_FILTER_INFO_WORDS * bank);
    bal_fir_defaults(BAL_FIR_LINEAR, 48000, &spec);
    if (!bal_fir_design(&spec, &f, err, sizeof err)) {
        fprintf(stderr, "bench_link: the upload's design failed: %s\n", err);
        return;
    }
    size_t total = 0, b;
    double us_all = 0, us;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < f.taps; i += 64) {
            uint16_t n = (uint16_t)(f.taps - i < 64 ? f.taps - i : 64);
            exchange(h, pass ? BAL_OP_READ : BAL_OP_WRITE, (uint16_t)(taps_at + i), n,
                     pass ? NULL : (const uint32_t *)&f.coef[i], &b, &us);
            total += b;
            us_all += us;
            if (!pass && i + 64 >= f.taps) { /* then the name and check word */
                uint32_t info[3] = {0x656E696C, 0x72, bal_filter_check_word(&f)}; /* "linear" */
                exchange(h, BAL_OP_WRITE, info_at, 3, info, &b, &us);
                total += b;
                us_all += us;
            }
        }
    uint32_t commit = (uint32_t)f.taps << BAL_FILTER_COMMIT_TAPS_LSB | bank << BAL_FILTER_COMMIT_BANK_LSB;
    exchange(h, BAL_OP_WRITE, BAL_REG_FILTER_COMMIT, 1, &commit, &b, &us);
    total += b;
    us_all += us;
    bool ok = false;
    uint32_t st = simhost_read(h, BAL_REG_FILTER_STATUS, &ok);
    if (!ok || BAL_FIELD(FILTER_STATUS, RESULT, st) != BAL_FILTER_STATUS_RESULT_OK) {
        fprintf(stderr, "bench_link: the upload's commit failed (FILTER_STATUS 0x%08X)\n", st);
        return;
    }
    emit("link.bank_upload_255.wire_bytes", (double)total, "bytes",
         "a 255-tap bank: writes, name and check, read-back, commit (as balctl filter load sends them)");
    emit("link.bank_upload_255.sim_time", us_all / 1000.0, "ms",
         "the same on the wire at 3 Mbaud, the device's verify included; its switch (about 17 ms "
         "at 48 kHz) comes after");
}

/* One request, reported under name */
static void measure(struct simhost *h, const char *name, uint8_t op, uint16_t addr, uint16_t count)
{
    size_t bytes;
    double us;
    exchange(h, op, addr, count, NULL, &bytes, &us);
    char n[96];
    snprintf(n, sizeof n, "link.%s.wire_bytes", name);
    emit(n, (double)bytes, "bytes", "request + reply on the UART");
    snprintf(n, sizeof n, "link.%s.sim_time", name);
    emit(n, us, "us", "3 Mbaud, 10 bits per byte");
}

/* Whether 100 write+read round trips of random words all come back right with the host's
 * UART off by err (a fraction). */
static int round_trips_ok(double err)
{
    struct bm_options opt = {1, 0};
    struct simhost *h = simhost_new(&opt, err);
    static uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], got[65536];
    uint32_t seed = 12345;
    int ok = 1;
    simhost_run(h, 4096);
    for (int i = 0; i < 100 && ok; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t v = seed ^ 0xC0DBC0DBu;
        uint16_t a = (uint16_t)(BAL_BLK_SCRATCH_RAM_BASE + (seed >> 24));
        struct bal_request wr = {(uint8_t)(2 * i), BAL_OP_WRITE, a, 1, &v};
        struct bal_request rd = {(uint8_t)(2 * i + 1), BAL_OP_READ, a, 1, NULL};
        simhost_send(h, wire, bal_slip_encode(frame, bal_build_request(&wr, frame), wire));
        simhost_run_until_rx(h, 10, 200000);
        simhost_run(h, 2000);
        simhost_take(h, got, sizeof got);
        simhost_send(h, wire, bal_slip_encode(frame, bal_build_request(&rd, frame), wire));
        simhost_run_until_rx(h, 14, 200000);
        simhost_run(h, 2000);
        size_t n = simhost_take(h, got, sizeof got);
        struct bal_slip_decoder d;
        struct bal_response rs;
        int good = 0;
        bal_slip_reset(&d);
        for (size_t k = 0; k < n; k++)
            if (bal_slip_feed(&d, got[k]) == BAL_SLIP_FRAME &&
                bal_parse_response(d.buf, d.len, true, &rs) == BAL_PARSE_OK &&
                rs.status == BAL_ST_OK && rs.data[0] == v)
                good++;
        ok = good == 1;
    }
    simhost_free(h);
    return ok;
}

/* The largest host baud error (percent, in 0.25% steps) at which every round trip works. */
static double baud_tolerance(int sign)
{
    double pct = 0;
    while (pct < 15 && round_trips_ok(sign * (pct + 0.25) / 100))
        pct += 0.25;
    return pct;
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
    measure_upload(h);
    simhost_free(h);
    emit("link.baud_tolerance_fast", baud_tolerance(+1), "%",
         "host UART fast by up to this, 100 round trips all right (docs say 4)");
    emit("link.baud_tolerance_slow", baud_tolerance(-1), "%",
         "host UART slow by up to this, 100 round trips all right (docs say 4)");
    return 0;
}
