// The thin C++ shim around Verilator's model of the MAC lane.
#include "mac_model.h"

#include "Vmac_lane.h"
#include "verilated.h"

struct ml_model {
    VerilatedContext ctx;
    Vmac_lane *top;
};

extern "C" ml_model *ml_create(uint32_t seed)
{
    ml_model *m = new ml_model;
    m->ctx.randReset(2);
    m->ctx.randSeed((int)(seed & 0x7FFFFFFF));
    m->top = new Vmac_lane(&m->ctx, "mac");
    m->top->clk = 0;
    m->top->in_valid = 0;
    m->top->eval();
    return m;
}

extern "C" void ml_destroy(ml_model *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

extern "C" int ml_cycle(ml_model *m, int valid, int first, int last, int32_t d, int32_t c, int32_t *y)
{
    m->top->in_valid = valid ? 1 : 0;
    m->top->in_first = first ? 1 : 0;
    m->top->in_last = last ? 1 : 0;
    m->top->in_d = (uint32_t)d & 0xFFFFFFu;
    m->top->in_c = (uint32_t)c;
    m->top->eval();
    m->top->clk = 1;
    m->top->eval();
    m->top->clk = 0;
    m->top->eval();
    if (!m->top->out_valid)
        return 0;
    uint32_t v = m->top->out_y;
    *y = (int32_t)(v << 8) >> 8;
    return 1;
}
