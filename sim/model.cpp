// The thin C++ shim between Verilator's generated class and the C world of balsim and tests.
#include "model.h"
#include "regmap.h"

#include "Vbalanced_top.h"
#include "verilated.h"

struct bm_model {
    VerilatedContext ctx;
    Vbalanced_top *top;
    uint64_t cycles;
};

extern "C" bm_model *bm_create(const struct bm_options *opt)
{
    bm_model *m = new bm_model;
    m->ctx.randReset(opt ? opt->rand_reset : 0);
    m->ctx.randSeed(opt ? (int)(opt->seed & 0x7FFFFFFF) : 0);
    m->top = new Vbalanced_top(&m->ctx, "top");
    m->cycles = 0;
    m->top->clk_12m = 0;
    m->top->uart_rx = 1;
    m->top->eval();
    return m;
}

extern "C" void bm_destroy(bm_model *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

extern "C" void bm_tick(bm_model *m)
{
    m->top->clk_12m = 1;
    m->top->eval();
    m->top->clk_12m = 0;
    m->top->eval();
    m->cycles++;
}

extern "C" uint64_t bm_cycles(const bm_model *m) { return m->cycles; }
extern "C" uint32_t bm_sysclk_hz(void) { return BAL_SYSCLK_EXACT_HZ; }
extern "C" void bm_set_uart_rx(bm_model *m, int level) { m->top->uart_rx = level ? 1 : 0; }
extern "C" int bm_uart_tx(const bm_model *m) { return m->top->uart_tx; }
extern "C" int bm_led_red(const bm_model *m) { return !m->top->led_r_n; }
extern "C" int bm_led_green(const bm_model *m) { return !m->top->led_g_n; }
