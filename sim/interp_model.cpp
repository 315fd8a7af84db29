// The thin C++ shim around Verilator's model of the interpolation engine.
#include "interp_model.h"

#include "Vinterp.h"
#include "verilated.h"

struct ie_model {
    VerilatedContext ctx;
    Vinterp *top;
};

extern "C" ie_model *ie_create(uint32_t seed)
{
    ie_model *m = new ie_model;
    m->ctx.randReset(2);
    m->ctx.randSeed((int)(seed & 0x7FFFFFFF));
    m->top = new Vinterp(&m->ctx, "interp");
    m->top->clk = 0;
    m->top->rst = 1;
    m->top->in_valid = 0;
    m->top->coef_req = 0;
    m->top->s1_bank = 0;
    m->top->s1_taps = 0;
    m->top->eval();
    return m;
}

extern "C" void ie_destroy(ie_model *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

extern "C" void ie_settings(ie_model *m, int rst, int ratio_log2, int nos)
{
    m->top->rst = rst ? 1 : 0;
    m->top->ratio_log2 = (uint8_t)(ratio_log2 & 3);
    m->top->nos = nos ? 1 : 0;
}

extern "C" void ie_bank(ie_model *m, int bank, int taps)
{
    m->top->s1_bank = (uint8_t)(bank & 7);
    m->top->s1_taps = (uint16_t)(taps & 0x1FF);
}

static int32_t sext24(uint32_t v) { return (int32_t)(v << 8) >> 8; }

extern "C" void ie_cycle(ie_model *m, int in_valid, int32_t l, int32_t r, struct ie_out *o)
{
    m->top->in_valid = in_valid ? 1 : 0;
    m->top->in_l = (uint32_t)l & 0xFFFFFFu;
    m->top->in_r = (uint32_t)r & 0xFFFFFFu;
    m->top->eval();
    o->coef_grant = m->top->coef_grant;
    m->top->clk = 1;
    m->top->eval();
    m->top->clk = 0;
    m->top->eval();
    o->coef_rdata = m->top->coef_rdata;
    o->ready = m->top->ready;
    o->out_we = m->top->out_we;
    o->out_addr = m->top->out_addr;
    o->out_data = sext24(m->top->out_data);
    o->block_done = m->top->block_done;
    o->overrun = m->top->overrun;
}

extern "C" void ie_coef_port(ie_model *m, int req, int we, unsigned addr, uint32_t data)
{
    m->top->coef_req = req ? 1 : 0;
    m->top->coef_we = we ? 1 : 0;
    m->top->coef_addr = (uint16_t)(addr & 0xFFF);
    m->top->coef_wdata = data;
}
