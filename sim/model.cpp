// The thin C++ shim between Verilator's generated class and the C world of balsim and tests.
#include "model.h"
#include "regmap.h"

#include "Vbalanced_top.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

struct bm_model {
    VerilatedContext ctx;
    Vbalanced_top *top;
    uint64_t cycles;
#if VM_TRACE
    VerilatedFstC *fst;
#endif
};

extern "C" bm_model *bm_create(const struct bm_options *opt)
{
    bm_model *m = new bm_model;
    m->ctx.randReset(opt ? opt->rand_reset : 0);
    m->ctx.randSeed(opt ? (int)(opt->seed & 0x7FFFFFFF) : 0);
    m->top = new Vbalanced_top(&m->ctx, "top");
    m->cycles = 0;
#if VM_TRACE
    m->fst = nullptr;
#endif
    m->top->clk_12m = 0;
    m->top->uart_rx = 1;
    m->top->i2s_bclk = 0;
    m->top->i2s_lrclk = 0;
    m->top->i2s_data = 0;
    m->top->eval();
    return m;
}

extern "C" void bm_destroy(bm_model *m)
{
    if (!m)
        return;
    m->top->final();
#if VM_TRACE
    if (m->fst) {
        m->fst->close();
        delete m->fst;
    }
#endif
    delete m->top;
    delete m;
}

extern "C" void bm_tick(bm_model *m)
{
    m->top->clk_12m = 1;
    m->top->eval();
#if VM_TRACE
    if (m->fst)
        m->fst->dump(2 * m->cycles + 1);
#endif
    m->top->clk_12m = 0;
    m->top->eval();
#if VM_TRACE
    if (m->fst)
        m->fst->dump(2 * m->cycles + 2);
#endif
    m->cycles++;
}

extern "C" uint64_t bm_cycles(const bm_model *m) { return m->cycles; }
extern "C" uint32_t bm_sysclk_hz(void) { return BAL_SYSCLK_EXACT_HZ; }
extern "C" void bm_set_uart_rx(bm_model *m, int level) { m->top->uart_rx = level ? 1 : 0; }
extern "C" int bm_uart_tx(const bm_model *m) { return m->top->uart_tx; }
extern "C" int bm_led_red(const bm_model *m) { return !m->top->led_r_n; }
extern "C" int bm_led_green(const bm_model *m) { return !m->top->led_g_n; }

extern "C" void bm_set_i2s_in(bm_model *m, int bclk, int lrclk, int data)
{
    m->top->i2s_bclk = bclk ? 1 : 0;
    m->top->i2s_lrclk = lrclk ? 1 : 0;
    m->top->i2s_data = data ? 1 : 0;
}

extern "C" void bm_dac_pins(const bm_model *m, struct bm_dac_pins *p)
{
    p->mclk = m->top->dac_mclk;
    p->bclk = m->top->dac_bclk;
    p->lrclk = m->top->dac_lrclk;
    p->data[0] = m->top->dac_a_data;
    p->data[1] = m->top->dac_b_data;
}

extern "C" int bm_trace(bm_model *m, const char *path)
{
#if VM_TRACE
    m->ctx.traceEverOn(true);
    m->fst = new VerilatedFstC;
    m->top->trace(m->fst, 99);
    m->fst->open(path);
    return m->fst->isOpen() ? 0 : -1;
#else
    (void)m, (void)path;
    return -1;
#endif
}
