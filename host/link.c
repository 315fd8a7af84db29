#include "link.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

#define BUSY_BACKOFF_MS 5

static int fail(struct bal_link *l, int code, const char *what)
{
    snprintf(l->error, sizeof l->error, "%s", what);
    return code;
}

/* Waits for the reply to seq until the deadline. Returns 1 with *rs filled, 0 on timeout,
 * -1 when a damaged reply arrived (worth an immediate retry), or a negative bal_err. */
static int await_reply(struct bal_link *l, uint8_t seq, bool has_data, int64_t deadline,
                       struct bal_response *rs)
{
    uint8_t buf[512];
    for (;;) {
        int64_t left = deadline - bal_now_ms();
        if (left <= 0)
            return 0;
        int n = l->t->ops->read(l->t, buf, sizeof buf, (int)left);
        if (n < 0) {
            snprintf(l->error, sizeof l->error, "%s", l->t->error);
            return n;
        }
        for (int i = 0; i < n; i++) {
            enum bal_slip_event ev = bal_slip_feed(&l->dec, buf[i]);
            if (ev == BAL_SLIP_DROPPED) {
                l->stats.bad_frames++;
                continue;
            }
            if (ev != BAL_SLIP_FRAME)
                continue;
            if (bal_parse_response(l->dec.buf, l->dec.len, has_data, rs) != BAL_PARSE_OK) {
                l->stats.bad_frames++;
                return -1;
            }
            if (rs->seq != seq) {
                l->stats.stray++;
                continue;
            }
            return 1;
        }
    }
}

/* One request, retried until answered: a retry keeps its sequence number, so the device
 * answers a write it already applied without applying it again. */
static int transact(struct bal_link *l, uint8_t op, uint16_t addr, uint16_t count,
                    const uint32_t *data, uint32_t *out)
{
    uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX];
    struct bal_response rs;
    struct bal_request rq = {++l->seq, op, addr, count, data};
    size_t n = bal_build_request(&rq, frame);
    if (!n)
        return fail(l, BAL_ERR_USAGE, "request too long");
    size_t wn = bal_slip_encode(frame, n, wire);
    bool has_data = op == BAL_OP_READ;
    bool busy = false; /* this request's last attempt was answered BUSY */

    for (int attempt = 0; attempt <= l->retries; attempt++) {
        busy = false;
        if (attempt)
            l->stats.retries++;
        l->stats.sent++;
        int rc = l->t->ops->write(l->t, wire, wn);
        if (rc < 0)
            return fail(l, rc, l->t->error);
        rc = await_reply(l, rq.seq, has_data, bal_now_ms() + l->timeout_ms, &rs);
        if (rc < -1)
            return rc;
        if (rc == 0) {
            l->stats.timeouts++;
            continue;
        }
        if (rc == -1)
            continue;
        l->last_status = rs.status;
        if (rs.status == BAL_ST_BAD_CRC)
            continue; /* the request was damaged on the way: send it again */
        if (rs.status == BAL_ST_BUSY) {
            busy = true;
            l->stats.busy++;
            bal_sleep_ms(BUSY_BACKOFF_MS);
            continue;
        }
        if (rs.status != BAL_ST_OK) {
            snprintf(l->error, sizeof l->error, "device answered %s to %s of %u word%s at 0x%04X",
                     bal_status_name(rs.status), bal_op_name(op), count, count == 1 ? "" : "s",
                     addr);
            return BAL_ERR_DEVICE;
        }
        if (rs.addr != addr || (op != BAL_OP_NOP && rs.count != count))
            return fail(l, BAL_ERR_PROTO, "reply does not match its request");
        if (out)
            memcpy(out, rs.data, 4u * count);
        l->stats.requests++;
        return BAL_OK;
    }
    if (busy)
        return fail(l, BAL_ERR_IO, "device stayed busy through every retry");
    snprintf(l->error, sizeof l->error, "no valid reply from %s after %d attempts of %d ms",
             l->t->name, l->retries + 1, l->timeout_ms);
    return BAL_ERR_IO;
}

int bal_link_start(struct bal_link *l, struct bal_transport *t, int timeout_ms, int retries)
{
    memset(l, 0, sizeof *l);
    l->t = t;
    l->timeout_ms = timeout_ms;
    l->retries = retries;
    l->seq = (uint8_t)bal_random_u32();
    bal_slip_reset(&l->dec);
    return bal_nop(l);
}

int bal_nop(struct bal_link *l)
{
    return transact(l, BAL_OP_NOP, 0, 0, NULL, NULL);
}

int bal_read(struct bal_link *l, uint16_t addr, size_t count, uint32_t *out)
{
    if ((size_t)addr + count > 0x10000)
        return fail(l, BAL_ERR_USAGE, "read beyond the address space");
    for (size_t done = 0; done < count;) {
        uint16_t n = (uint16_t)(count - done > BAL_MAX_WORDS ? BAL_MAX_WORDS : count - done);
        int rc = transact(l, BAL_OP_READ, (uint16_t)(addr + done), n, NULL, out + done);
        if (rc)
            return rc;
        done += n;
    }
    return BAL_OK;
}

int bal_write(struct bal_link *l, uint16_t addr, size_t count, const uint32_t *data)
{
    if ((size_t)addr + count > 0x10000)
        return fail(l, BAL_ERR_USAGE, "write beyond the address space");
    for (size_t done = 0; done < count;) {
        uint16_t n = (uint16_t)(count - done > BAL_MAX_WORDS ? BAL_MAX_WORDS : count - done);
        int rc = transact(l, BAL_OP_WRITE, (uint16_t)(addr + done), n, data + done, NULL);
        if (rc)
            return rc;
        done += n;
    }
    return BAL_OK;
}
