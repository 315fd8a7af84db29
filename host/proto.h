/* The link protocol: CRC, SLIP framing, request and response frames.
 * Pure functions with no I/O, shared by balctl, balsim's tests and the fuzzers.
 *
 * Request  (unescaped): seq op addr[2] count[2] data[4*count for WRITE] crc[2]
 * Response (unescaped): seq status addr[2] count[2] data[4*count for a good READ] crc[2]
 * All fields big-endian; CRC-16/CCITT-FALSE over everything before it; SLIP END around. */
#ifndef BAL_PROTO_H
#define BAL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regmap.h"

#define BAL_HDR_BYTES 6
#define BAL_FRAME_MAX (BAL_HDR_BYTES + 4 * BAL_MAX_WORDS + 2)
#define BAL_WIRE_MAX (2 * BAL_FRAME_MAX + 2) /* every byte escaped, END both sides */

uint16_t bal_crc16(const uint8_t *p, size_t n);

/* Escapes n bytes into out (room for 2n+2) between two ENDs; returns the bytes written. */
size_t bal_slip_encode(const uint8_t *in, size_t n, uint8_t *out);

enum bal_slip_event {
    BAL_SLIP_NONE = 0,    /* byte taken, frame not complete */
    BAL_SLIP_FRAME = 1,   /* a frame is in buf[0..len) */
    BAL_SLIP_DROPPED = 2, /* a malformed or oversized frame was dropped */
};

struct bal_slip_decoder {
    uint8_t buf[BAL_FRAME_MAX];
    size_t len;
    bool esc;
    bool bad;  /* malformed: dropped at the next END */
    bool done; /* buf holds a complete frame */
};

void bal_slip_reset(struct bal_slip_decoder *d);
enum bal_slip_event bal_slip_feed(struct bal_slip_decoder *d, uint8_t byte);

struct bal_request {
    uint8_t seq, op;
    uint16_t addr, count;
    const uint32_t *data; /* count words for OP_WRITE */
};

struct bal_response {
    uint8_t seq, status;
    uint16_t addr, count;
    uint32_t data[BAL_MAX_WORDS];
};

enum bal_parse_error {
    BAL_PARSE_OK = 0,
    BAL_PARSE_SHORT,  /* fewer bytes than a header and CRC */
    BAL_PARSE_CRC,    /* CRC mismatch */
    BAL_PARSE_LENGTH, /* the length does not match count */
};

/* Builds an unescaped request with its CRC into frame (BAL_FRAME_MAX); returns its length,
 * or 0 when count is out of range for the operation. */
size_t bal_build_request(const struct bal_request *rq, uint8_t *frame);

/* Builds a response frame as the device does; data words go in only for a good READ
 * (has_data and status OK). Tests and the golden model use it. */
size_t bal_build_response(const struct bal_response *rs, bool has_data, uint8_t *frame);

/* Parses an unescaped response; a READ's data is expected when status is OK and has_data. */
enum bal_parse_error bal_parse_response(const uint8_t *frame, size_t len, bool has_data,
                                        struct bal_response *rs);

/* Parses an unescaped request (the device's view; used by the golden model and fuzzers). */
enum bal_parse_error bal_parse_request(const uint8_t *frame, size_t len, struct bal_request *rq,
                                       uint32_t *data);

const char *bal_status_name(unsigned status);
const char *bal_op_name(unsigned op);

static inline void bal_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void bal_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint16_t bal_get_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t bal_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
