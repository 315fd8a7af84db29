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

void am_channels(const struct am_settings *s, int32_t l, int32_t r, int32_t *out_l, int32_t *out_r)
{
    if (s->topology == AM_TOPO_MONO)
        l = r = half_sum(l, r);
    *out_l = am_saturate(l);
    *out_r = am_saturate(r);
}

void am_topology(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES])
{
    lanes[AM_LP] = l;
    lanes[AM_RP] = r;
    switch (s->topology) {
    case AM_TOPO_SE:
        lanes[AM_LN] = lanes[AM_RN] = 0;
        break;
    case AM_TOPO_PARALLEL:
        lanes[AM_LN] = l, lanes[AM_RN] = r;
        break;
    default: /* balanced; mono-bridged carries the mean on both channels */
        lanes[AM_LN] = -l, lanes[AM_RN] = -r;
        break;
    }
}

void am_lanes(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES])
{
    int32_t a, b;
    am_channels(s, l, r, &a, &b);
    am_topology(s, a, b, lanes);
}

void am_frame(const struct am_settings *s, int32_t l, int32_t r, int32_t lanes[AM_LANES])
{
    int32_t a, b;
    am_route(s, l, r, &a, &b);
    am_lanes(s, a, b, lanes);
}
