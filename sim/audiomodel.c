#include "audiomodel.h"

/* floor((a + b) / 2) without overflow: an arithmetic shift of the 25-bit sum */
static int32_t half_sum(int32_t a, int32_t b)
{
    int32_t s = a + b;
    return s >= 0 ? s / 2 : -((-s + 1) / 2);
}

int32_t am_saturate(int32_t v)
{
    return v > AM_MAX ? AM_MAX : v < -AM_MAX ? -AM_MAX : v;
}

int32_t am_from_slot(uint32_t word, unsigned slot_bits)
{
    if (slot_bits == 16)
        return (int32_t)(int16_t)(word & 0xFFFF) * 256;
    if (slot_bits == 24) {
        uint32_t w = word & 0xFFFFFF;
        return (w & 0x800000) ? (int32_t)w - 0x1000000 : (int32_t)w;
    }
    int32_t w = (int32_t)word;
    return w >= 0 ? w / 256 : -((-(int64_t)w + 255) / 256); /* floor */
}

uint32_t am_to_slot(int32_t sample, unsigned slot_bits)
{
    uint32_t s24 = (uint32_t)sample & 0xFFFFFF;
    if (slot_bits == 32)
        return s24 << 8;
    if (slot_bits == 16)
        return s24 >> 8;
    return s24;
}

void am_route(const struct am_settings *s, int32_t l, int32_t r, int32_t *out_l, int32_t *out_r)
{
    int32_t a, b;
    switch (s->route) {
    case AM_ROUTE_SWAP: a = r, b = l; break;
    case AM_ROUTE_MONO: a = b = half_sum(l, r); break;
    case AM_ROUTE_LEFT: a = b = l; break;
    case AM_ROUTE_RIGHT: a = b = r; break;
    default: a = l, b = r; break;
    }
    *out_l = s->invert_left ? -a : a;
    *out_r = s->invert_right ? -b : b;
}

void am_lanes(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES])
{
    int32_t sl = am_saturate(l), sr = am_saturate(r);
    switch (s->topology) {
    case AM_TOPO_SE:
        lanes[AM_LP] = sl, lanes[AM_LN] = 0, lanes[AM_RP] = sr, lanes[AM_RN] = 0;
        break;
    case AM_TOPO_PARALLEL:
        lanes[AM_LP] = lanes[AM_LN] = sl, lanes[AM_RP] = lanes[AM_RN] = sr;
        break;
    case AM_TOPO_MONO: {
        int32_t m = am_saturate(half_sum(l, r));
        lanes[AM_LP] = lanes[AM_RP] = m, lanes[AM_LN] = lanes[AM_RN] = -m;
        break;
    }
    default:
        lanes[AM_LP] = sl, lanes[AM_LN] = -sl, lanes[AM_RP] = sr, lanes[AM_RN] = -sr;
        break;
    }
}

void am_frame(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES])
{
    int32_t a, b;
    am_route(s, l, r, &a, &b);
    am_lanes(s, a, b, lanes);
}
