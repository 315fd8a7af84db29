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

/* What came back during one request, to tell "nothing" from "something, but not sense". */
struct attempt_log {
    unsigned damaged; /* frames with a bad CRC, length or escape */
    size_t bytes;     /* bytes received at all */
};

/* Waits for the reply to seq until the deadline. Returns 1 with *rs filled, 0 on timeout,
 * -1 when a damaged reply arrived (worth an immediate retry), or a negative bal_err. */
static int await_reply(struct bal_link *l, uint8_t seq, bool has_data, int64_t deadline,
                       struct bal_response *rs, struct attempt_log *log)
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
        log->bytes += (size_t)n;
        for (int i = 0; i < n; i++) {
            enum bal_slip_event ev = bal_slip_feed(&l->dec, buf[i]);
            if (ev == BAL_SLIP_DROPPED) {
                l->stats.bad_frames++;
                log->damaged++;
                continue;
            }
            if (ev != BAL_SLIP_FRAME)
                continue;
            if (bal_parse_response(l->dec.buf, l->dec.len, has_data, rs) != BAL_PARSE_OK) {
                l->stats.bad_frames++;
                log->damaged++;
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

/* A reply with a good CRC that no balanced device would send: an unknown status, an error
 * that carries a count, or an answer about another address or count. */
static const char *nonsense(const struct bal_response *rs, uint8_t op, uint16_t addr,
                            uint16_t count)
{
    if (rs->status > BAL_ST_BUSY)
        return "an unknown status code";
    if (rs->status != BAL_ST_OK && rs->count != 0)
        return "an error status with a word count";
    /* BAD_CRC echoes the header as it arrived, damage included */
    if (rs->addr != addr && rs->status != BAL_ST_BAD_CRC)
        return "a reply about another address";
    if (rs->status == BAL_ST_OK && rs->count != (op == BAL_OP_NOP ? 0 : count))
        return "a reply with another word count";
    return NULL;
}

static int protocol_error(struct bal_link *l, const struct bal_response *rs, const char *why)
{
    snprintf(l->error, sizeof l->error,
             "%s answered with %s (status %u, count %u): not a balanced device", l->t->name, why,
             rs->status, rs->count);
    return BAL_ERR_PROTO;
}

/* Every attempt used up: says whether nothing came back or only damage. */
static int gave_up(struct bal_link *l, const struct attempt_log *log)
{
    if (log->damaged || log->bytes) {
        snprintf(l->error, sizeof l->error,
                 "%s sent %zu bytes (%u damaged replies) and no valid reply in %d attempts: not "
                 "a balanced device, or the line is corrupted (baud rate %u 8N1?)",
                 l->t->name, log->bytes, log->damaged, l->retries + 1, BAL_BAUD);
        return BAL_ERR_PROTO;
    }
    snprintf(l->error, sizeof l->error,
             "no reply from %s after %d attempts of %d ms: is the FPGA programmed with this "
             "project's bitstream, and is its UART on FT2232H interface B (%u baud)?",
             l->t->name, l->retries + 1, l->timeout_ms, BAL_BAUD);
    return BAL_ERR_IO;
}

/* One request, retried until answered: a retry keeps its sequence number, so the device
 * answers a write it already applied without applying it again. BUSY is not a failed
 * attempt: it is asked again every few ms until the timeout has passed since the first. */
static int transact(struct bal_link *l, uint8_t op, uint16_t addr, uint16_t count,
                    const uint32_t *data, uint32_t *out)
{
    uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX];
    struct bal_response rs;
    struct bal_request rq = {++l->seq, op, addr, count, data};
    struct attempt_log log = {0, 0};
    size_t n = bal_build_request(&rq, frame);
    if (!n)
        return fail(l, BAL_ERR_USAGE, "request too long");
    size_t wn = bal_slip_encode(frame, n, wire);
    bool has_data = op == BAL_OP_READ;
    int64_t busy_since = -1;
    int bad_crc_answers = 0;

    for (int attempt = 0; attempt <= l->retries;) {
        if (attempt)
            l->stats.retries++;
        l->stats.sent++;
        int rc = l->t->ops->write(l->t, wire, wn);
        if (rc < 0)
            return fail(l, rc, l->t->error);
        rc = await_reply(l, rq.seq, has_data, bal_now_ms() + l->timeout_ms, &rs, &log);
        if (rc < -1)
            return rc;
        if (rc <= 0) {
            l->stats.timeouts += rc == 0;
            attempt++;
            continue;
        }
        const char *why = nonsense(&rs, op, addr, count);
        if (why)
            return protocol_error(l, &rs, why);
        l->last_status = rs.status;
        if (rs.status == BAL_ST_BUSY) {
            l->stats.busy++;
            if (busy_since < 0)
                busy_since = bal_now_ms();
            if (bal_now_ms() - busy_since >= l->timeout_ms) {
                snprintf(l->error, sizeof l->error, "%s stayed busy for %d ms (--timeout)",
                         l->t->name, l->timeout_ms);
                return BAL_ERR_IO;
            }
            bal_sleep_ms(BUSY_BACKOFF_MS);
            continue;
        }
        busy_since = -1;
        if (rs.status == BAL_ST_BAD_CRC) {
            bad_crc_answers++;
            attempt++; /* the request was damaged on the way: send it again */
            continue;
        }
        if (rs.status != BAL_ST_OK) {
            snprintf(l->error, sizeof l->error, "device answered %s to %s of %u word%s at 0x%04X",
                     bal_status_name(rs.status), bal_op_name(op), count, count == 1 ? "" : "s",
                     addr);
            return BAL_ERR_DEVICE;
        }
        if (out)
            memcpy(out, rs.data, 4u * count);
        l->stats.requests++;
        return BAL_OK;
    }
    if (bad_crc_answers && !log.damaged) {
        snprintf(l->error, sizeof l->error,
                 "%s answered BAD_CRC to %d of %d attempts: the line corrupts what the host sends",
                 l->t->name, bad_crc_answers, l->retries + 1);
        return BAL_ERR_IO;
    }
    return gave_up(l, &log);
}

/* The peer must say it is a balanced device speaking this protocol before anything else. */
static int identify(struct bal_link *l)
{
    uint32_t id[2];
    int rc = bal_read(l, BAL_REG_ID, 2, id);
    if (rc)
        return rc;
    if (id[0] != BAL_MAGIC) {
        snprintf(l->error, sizeof l->error,
                 "%s: ID reads 0x%08X, not 0x%08X ('BLNC'): not a balanced device", l->t->name,
                 id[0], BAL_MAGIC);
        return BAL_ERR_PROTO;
    }
    unsigned proto = BAL_FIELD(VERSION, PROTO, id[1]);
    if (proto != BAL_PROTO_VERSION) {
        snprintf(l->error, sizeof l->error,
                 "%s speaks link protocol %u; this balctl speaks %u: update the %s", l->t->name,
                 proto, BAL_PROTO_VERSION, proto > BAL_PROTO_VERSION ? "host tools" : "bitstream");
        return BAL_ERR_PROTO;
    }
    return BAL_OK;
}

int bal_link_start(struct bal_link *l, struct bal_transport *t, int timeout_ms, int retries)
{
    memset(l, 0, sizeof *l);
    l->t = t;
    l->timeout_ms = timeout_ms;
    l->retries = retries;
    l->seq = (uint8_t)bal_random_u32();
    bal_slip_reset(&l->dec);
    int rc = bal_nop(l);
    return rc ? rc : identify(l);
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
