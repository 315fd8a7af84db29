/* Requests over a transport: sequence numbers, timeouts, retries, statistics. */
#ifndef BAL_LINK_H
#define BAL_LINK_H

#include "proto.h"
#include "transport.h"

struct bal_link_stats {
    unsigned requests;    /* requests completed */
    unsigned sent;        /* frames written, retries included */
    unsigned retries;
    unsigned timeouts;
    unsigned bad_frames;  /* replies with a bad CRC, length or escape */
    unsigned stray;       /* replies to another sequence number */
    unsigned busy;
};

struct bal_link {
    struct bal_transport *t;
    int timeout_ms; /* per attempt */
    int retries;    /* attempts after the first */
    uint8_t seq;
    unsigned last_status; /* device status of the last request */
    struct bal_link_stats stats;
    struct bal_slip_decoder dec;
    char error[512];
};

/* Starts a session: a NOP with a fresh sequence number (which also makes the device forget its
 * last write, so that this session's first write is never taken for a retry), then ID and
 * VERSION: a peer that is not a balanced device speaking this protocol is BAL_ERR_PROTO. */
int bal_link_start(struct bal_link *l, struct bal_transport *t, int timeout_ms, int retries);

int bal_nop(struct bal_link *l);
/* Any count: split into requests of at most BAL_MAX_WORDS. */
int bal_read(struct bal_link *l, uint16_t addr, size_t count, uint32_t *out);
int bal_write(struct bal_link *l, uint16_t addr, size_t count, const uint32_t *data);

static inline int bal_read1(struct bal_link *l, uint16_t addr, uint32_t *v)
{
    return bal_read(l, addr, 1, v);
}

static inline int bal_write1(struct bal_link *l, uint16_t addr, uint32_t v)
{
    return bal_write(l, addr, 1, &v);
}

#endif
