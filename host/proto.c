#include "proto.h"

#include <string.h>

uint16_t bal_crc16(const uint8_t *p, size_t n)
{
    uint16_t crc = 0xFFFF;
    while (n--) {
        crc ^= (uint16_t)(*p++ << 8);
        for (int i = 0; i < 8; i++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

size_t bal_slip_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    out[o++] = BAL_SLIP_END;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == BAL_SLIP_END) {
            out[o++] = BAL_SLIP_ESC;
            out[o++] = BAL_SLIP_ESC_END;
        } else if (in[i] == BAL_SLIP_ESC) {
            out[o++] = BAL_SLIP_ESC;
            out[o++] = BAL_SLIP_ESC_ESC;
        } else {
            out[o++] = in[i];
        }
    }
    out[o++] = BAL_SLIP_END;
    return o;
}

void bal_slip_reset(struct bal_slip_decoder *d)
{
    d->len = 0;
    d->esc = false;
    d->bad = false;
    d->done = false;
}

enum bal_slip_event bal_slip_feed(struct bal_slip_decoder *d, uint8_t byte)
{
    if (d->done)
        bal_slip_reset(d);
    if (byte == BAL_SLIP_END) {
        bool bad = d->bad || d->esc;
        bool empty = d->len == 0;
        if (bad || empty) {
            bal_slip_reset(d);
            return bad ? BAL_SLIP_DROPPED : BAL_SLIP_NONE;
        }
        d->done = true; /* buf[0..len) stays readable until the next byte */
        return BAL_SLIP_FRAME;
    }
    if (d->bad)
        return BAL_SLIP_NONE;
    if (d->esc) {
        d->esc = false;
        if (byte == BAL_SLIP_ESC_END) {
            byte = BAL_SLIP_END;
        } else if (byte == BAL_SLIP_ESC_ESC) {
            byte = BAL_SLIP_ESC;
        } else {
            d->bad = true;
            return BAL_SLIP_NONE;
        }
    } else if (byte == BAL_SLIP_ESC) {
        d->esc = true;
        return BAL_SLIP_NONE;
    }
    if (d->len == sizeof d->buf) {
        d->bad = true;
        return BAL_SLIP_NONE;
    }
    d->buf[d->len++] = byte;
    return BAL_SLIP_NONE;
}

static size_t finish_frame(uint8_t *frame, size_t n)
{
    bal_put_be16(frame + n, bal_crc16(frame, n));
    return n + 2;
}

size_t bal_build_request(const struct bal_request *rq, uint8_t *frame)
{
    size_t words = rq->op == BAL_OP_WRITE ? rq->count : 0;
    if (words > BAL_MAX_WORDS)
        return 0;
    frame[0] = rq->seq;
    frame[1] = rq->op;
    bal_put_be16(frame + 2, rq->addr);
    bal_put_be16(frame + 4, rq->count);
    for (size_t i = 0; i < words; i++)
        bal_put_be32(frame + BAL_HDR_BYTES + 4 * i, rq->data[i]);
    return finish_frame(frame, BAL_HDR_BYTES + 4 * words);
}

size_t bal_build_response(const struct bal_response *rs, bool has_data, uint8_t *frame)
{
    size_t words = (has_data && rs->status == BAL_ST_OK) ? rs->count : 0;
    if (words > BAL_MAX_WORDS)
        return 0;
    frame[0] = rs->seq;
    frame[1] = rs->status;
    bal_put_be16(frame + 2, rs->addr);
    bal_put_be16(frame + 4, rs->count);
    for (size_t i = 0; i < words; i++)
        bal_put_be32(frame + BAL_HDR_BYTES + 4 * i, rs->data[i]);
    return finish_frame(frame, BAL_HDR_BYTES + 4 * words);
}

/* Header fields and CRC shared by both directions; returns the payload length. */
static enum bal_parse_error parse_common(const uint8_t *frame, size_t len, size_t *payload)
{
    if (len < BAL_HDR_BYTES + 2)
        return BAL_PARSE_SHORT;
    if (bal_crc16(frame, len) != 0)
        return BAL_PARSE_CRC;
    *payload = len - BAL_HDR_BYTES - 2;
    return BAL_PARSE_OK;
}

enum bal_parse_error bal_parse_response(const uint8_t *frame, size_t len, bool has_data,
                                        struct bal_response *rs)
{
    size_t payload;
    enum bal_parse_error e = parse_common(frame, len, &payload);
    if (e)
        return e;
    rs->seq = frame[0];
    rs->status = frame[1];
    rs->addr = bal_get_be16(frame + 2);
    rs->count = bal_get_be16(frame + 4);
    size_t words = (has_data && rs->status == BAL_ST_OK) ? rs->count : 0;
    if (words > BAL_MAX_WORDS || payload != 4 * words)
        return BAL_PARSE_LENGTH;
    for (size_t i = 0; i < words; i++)
        rs->data[i] = bal_get_be32(frame + BAL_HDR_BYTES + 4 * i);
    return BAL_PARSE_OK;
}

enum bal_parse_error bal_parse_request(const uint8_t *frame, size_t len, struct bal_request *rq,
                                       uint32_t *data)
{
    size_t payload;
    enum bal_parse_error e = parse_common(frame, len, &payload);
    if (e)
        return e;
    rq->seq = frame[0];
    rq->op = frame[1];
    rq->addr = bal_get_be16(frame + 2);
    rq->count = bal_get_be16(frame + 4);
    rq->data = data;
    size_t words = rq->op == BAL_OP_WRITE ? rq->count : 0;
    if (words > BAL_MAX_WORDS || payload != 4 * words)
        return BAL_PARSE_LENGTH;
    for (size_t i = 0; i < words; i++)
        data[i] = bal_get_be32(frame + BAL_HDR_BYTES + 4 * i);
    return BAL_PARSE_OK;
}

const char *bal_status_name(unsigned status)
{
    static const char *const names[] = {
        [BAL_ST_OK] = "OK",           [BAL_ST_BAD_CRC] = "BAD_CRC",
        [BAL_ST_BAD_OP] = "BAD_OP",   [BAL_ST_BAD_LEN] = "BAD_LEN",
        [BAL_ST_BAD_ADDR] = "BAD_ADDR", [BAL_ST_BAD_VALUE] = "BAD_VALUE",
        [BAL_ST_BUSY] = "BUSY",
    };
    if (status < sizeof names / sizeof names[0] && names[status])
        return names[status];
    return "UNKNOWN_STATUS";
}

const char *bal_op_name(unsigned op)
{
    switch (op) {
    case BAL_OP_NOP: return "NOP";
    case BAL_OP_READ: return "READ";
    case BAL_OP_WRITE: return "WRITE";
    default: return "UNKNOWN_OP";
    }
}
