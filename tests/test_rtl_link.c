/* The RTL control link under Verilator: UART, SLIP framing, executor and register file,
 * driven through the pins of the top level and compared byte for byte with the golden model
 * (sim/linkmodel.c) and the C protocol encoder. */
#include <string.h>

#include "check.h"
#include "linkmodel.h"
#include "proto.h"
#include "simhost.h"

#define REPLY_CYCLES 400000 /* generous: a 256-word reply takes ~170k cycles */
#define TIMEOUT_CYCLES (3 * 49152 + 1000) /* RTL inter-byte timeout (2 to 3 ms) and a little */

static struct simhost *new_board(double baud_error)
{
    struct bm_options opt = {1, 0};
    struct simhost *h = simhost_new(&opt, baud_error);
    simhost_run(h, 2000); /* PLL lock and reset settling */
    return h;
}

static struct linkmodel model;

static void model_reset(void)
{
    /* STATUS: PLL locked, exact clock, datapath ready */
    linkmodel_init(&model, 0, BAL_SYSCLK_EXACT_HZ,
                   BAL_STATUS_PLL_LOCK_MASK | BAL_STATUS_CLK_EXACT_MASK | BAL_STATUS_DSP_READY_MASK);
}

/* Sends one unescaped frame (SLIP-encoded here) and returns the reply frames' raw wire bytes. */
static size_t exchange_raw(struct simhost *h, const uint8_t *wire, size_t n, uint8_t *out,
                           size_t want)
{
    simhost_send(h, wire, n);
    simhost_run_until_rx(h, want, REPLY_CYCLES);
    simhost_run(h, 2000); /* anything unexpected after it */
    return simhost_take(h, out, 65536);
}

/* Request -> the RTL's reply on the wire; checks it against the golden model exactly. */
static bool request_matches_model(struct simhost *h, const uint8_t *frame, size_t n,
                                  struct bal_response *rs)
{
    static uint8_t wire[BAL_WIRE_MAX], expect_frame[BAL_FRAME_MAX], expect[BAL_WIRE_MAX],
        got[65536];
    size_t wn = bal_slip_encode(frame, n, wire);
    size_t en = linkmodel_handle(&model, frame, n, expect_frame);
    size_t ew = bal_slip_encode(expect_frame, en, expect);
    size_t gn = exchange_raw(h, wire, wn, got, ew);
    CHECK_EQ(gn, ew);
    bool same = gn == ew && memcmp(got, expect, ew) == 0;
    CHECK(same);
    if (rs && en)
        bal_parse_response(expect_frame, en, frame[1] == BAL_OP_READ, rs);
    return same;
}

static size_t make_req(uint8_t seq, uint8_t op, uint16_t addr, uint16_t count,
                       const uint32_t *data, uint8_t *frame)
{
    struct bal_request rq = {seq, op, addr, count, data};
    return bal_build_request(&rq, frame);
}

/* Decodes the reply frames in raw wire bytes; returns how many parsed, the last in *rs. */
static int decode_replies(const uint8_t *got, size_t n, bool has_data, struct bal_response *rs)
{
    struct bal_slip_decoder d;
    int frames = 0;
    bal_slip_reset(&d);
    for (size_t i = 0; i < n; i++)
        if (bal_slip_feed(&d, got[i]) == BAL_SLIP_FRAME &&
            bal_parse_response(d.buf, d.len, has_data, rs) == BAL_PARSE_OK)
            frames++;
    return frames;
}

static uint32_t read_reg(struct simhost *h, uint16_t addr)
{
    static uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], got[65536];
    static struct bal_response rs;
    size_t n = make_req(0xEE, BAL_OP_READ, addr, 1, NULL, frame);
    size_t gn = exchange_raw(h, wire, bal_slip_encode(frame, n, wire), got, 14);
    if (decode_replies(got, gn, true, &rs) == 1 && rs.status == BAL_ST_OK)
        return rs.data[0];
    CHECK(0);
    return 0xFFFFFFFF;
}

static void test_frames_bit_exact(void)
{
    struct simhost *h = new_board(0);
    uint8_t f[BAL_FRAME_MAX];
    static uint32_t data[BAL_MAX_WORDS];
    static struct bal_response rs;
    model_reset();
    /* ID, versions and capabilities, bit for bit */
    CHECK(request_matches_model(h, f, make_req(1, BAL_OP_READ, BAL_REG_ID, 2, NULL, f), &rs));
    CHECK_EQ(rs.data[0], BAL_MAGIC);
    CHECK(request_matches_model(h, f, make_req(2, BAL_OP_READ, BAL_REG_CAPS, 1, NULL, f), &rs));
    CHECK(request_matches_model(h, f, make_req(3, BAL_OP_NOP, 0, 0, NULL, f), NULL));
    /* a full 256-word block of SLIP-hostile values, written and read back */
    for (unsigned i = 0; i < BAL_MAX_WORDS; i++)
        data[i] = (i & 1) ? 0xC0DBC0DBu : rnd();
    CHECK(request_matches_model(h, f, make_req(4, BAL_OP_WRITE, BAL_BLK_SCRATCH_RAM_BASE,
                                               BAL_MAX_WORDS, data, f), NULL));
    CHECK(request_matches_model(h, f, make_req(5, BAL_OP_READ, BAL_BLK_SCRATCH_RAM_BASE,
                                               BAL_MAX_WORDS, NULL, f), &rs));
    CHECK(memcmp(rs.data, data, sizeof data) == 0);
    simhost_free(h);
}

static void test_every_error_status(void)
{
    struct simhost *h = new_board(0);
    uint8_t f[BAL_FRAME_MAX];
    static struct bal_response rs;
    uint32_t one = 1, bad_ctrl = 0x80;
    model_reset();
    CHECK(request_matches_model(h, f, make_req(10, 7, 0, 0, NULL, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_OP);
    CHECK(request_matches_model(h, f, make_req(11, BAL_OP_READ, 0, 0, NULL, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_LEN); /* count 0 */
    CHECK(request_matches_model(h, f, make_req(12, BAL_OP_READ, 0, BAL_MAX_WORDS + 1, NULL, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_LEN); /* count too large */
    size_t n = make_req(13, BAL_OP_WRITE, BAL_REG_SCRATCH, 2, (uint32_t[]){1, 2}, f);
    f[5] = 1; /* says one word, carries two */
    bal_put_be16(f + n - 2, bal_crc16(f, n - 2));
    CHECK(request_matches_model(h, f, n, &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_LEN);
    CHECK(request_matches_model(h, f, make_req(14, BAL_OP_NOP, 0, 1, NULL, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_LEN); /* a NOP has no count */
    CHECK(request_matches_model(h, f, make_req(15, BAL_OP_READ, 0x0050, 1, NULL, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_ADDR);
    CHECK(request_matches_model(h, f, make_req(16, BAL_OP_WRITE, BAL_REG_ID, 1, &one, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_ADDR); /* read-only */
    CHECK(request_matches_model(h, f, make_req(17, BAL_OP_READ, 0xFFFF, 2, NULL, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_ADDR); /* past the end of the address space */
    CHECK(request_matches_model(h, f, make_req(18, BAL_OP_WRITE, BAL_REG_CTRL, 1, &bad_ctrl, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_VALUE);
    n = make_req(19, BAL_OP_WRITE, BAL_REG_SCRATCH, 1, &one, f);
    f[n - 1] ^= 0x40;
    CHECK(request_matches_model(h, f, n, &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_CRC);
    CHECK_EQ(read_reg(h, BAL_REG_SCRATCH), 0); /* none of the above changed anything */
    CHECK_EQ(read_reg(h, BAL_REG_CTRL), 0);
    simhost_free(h);
}

static void test_all_or_nothing(void)
{
    struct simhost *h = new_board(0);
    uint8_t f[BAL_FRAME_MAX];
    static struct bal_response rs;
    static uint32_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    model_reset();
    /* runs off the end of the scratch RAM: the words that would fit must not be written */
    uint16_t at = BAL_BLK_SCRATCH_RAM_BASE + BAL_BLK_SCRATCH_RAM_SIZE - 4;
    CHECK(request_matches_model(h, f, make_req(20, BAL_OP_WRITE, at, 8, data, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_ADDR);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(read_reg(h, (uint16_t)(at + i)), 0);
    /* a good word and a bad one in one request: SCRATCH takes anything, LINK_CLEAR after it
     * only bit 0. Neither may be applied. */
    CHECK_EQ(BAL_REG_LINK_CLEAR, BAL_REG_SCRATCH + 1);
    uint32_t two[2] = {0x12345678, 0x2};
    CHECK(request_matches_model(h, f, make_req(21, BAL_OP_WRITE, BAL_REG_SCRATCH, 2, two, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_VALUE);
    CHECK_EQ(read_reg(h, BAL_REG_SCRATCH), 0);
    /* a good word then a read-only register: BAD_ADDR, and CTRL keeps its value */
    uint32_t mute_then_status[2] = {BAL_CTRL_MUTE_MASK, 0};
    CHECK(request_matches_model(h, f, make_req(22, BAL_OP_WRITE, BAL_REG_CTRL, 2,
                                               mute_then_status, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_ADDR);
    CHECK_EQ(read_reg(h, BAL_REG_CTRL), 0);
    /* and the same pair, good, is applied whole */
    two[1] = 1;
    CHECK(request_matches_model(h, f, make_req(23, BAL_OP_WRITE, BAL_REG_SCRATCH, 2, two, f), &rs));
    CHECK_EQ(rs.status, BAL_ST_OK);
    CHECK_EQ(read_reg(h, BAL_REG_SCRATCH), 0x12345678);
    simhost_free(h);
}

static void test_garbage_then_valid(void)
{
    struct simhost *h = new_board(0);
    static uint8_t junk[20000];
    uint8_t f[BAL_FRAME_MAX];
    static struct bal_response rs;
    model_reset();
    for (int round = 0; round < 5; round++) {
        size_t n = 1000 + rnd() % 3000;
        for (size_t i = 0; i < n; i++)
            junk[i] = (uint8_t)rnd();
        simhost_send(h, junk, n);
        simhost_run(h, (uint64_t)(n * 10 * simhost_cycles_per_bit()) + TIMEOUT_CYCLES);
        uint8_t drop[65536];
        simhost_take(h, drop, sizeof drop); /* whatever the junk provoked */
        /* the model saw junk too: forget its duplicate cache the way the RTL may have */
        CHECK(request_matches_model(h, f, make_req((uint8_t)(100 + round), BAL_OP_READ, BAL_REG_ID,
                                                   1, NULL, f), &rs));
        CHECK_EQ(rs.data[0], BAL_MAGIC);
    }
    CHECK(read_reg(h, BAL_REG_LINK_CRC_ERRORS) + read_reg(h, BAL_REG_LINK_FRAME_ERRORS) > 0);
    simhost_free(h);
}

static void test_truncated_frame_times_out(void)
{
    struct simhost *h = new_board(0);
    uint8_t f[BAL_FRAME_MAX], wire[BAL_WIRE_MAX];
    static struct bal_response rs;
    uint32_t v = 0xABCD;
    model_reset();
    /* half a write, no END: the parser must drop it after the inter-byte timeout */
    size_t wn = bal_slip_encode(f, make_req(30, BAL_OP_WRITE, BAL_REG_SCRATCH, 1, &v, f), wire);
    simhost_send(h, wire, wn / 2);
    simhost_run(h, TIMEOUT_CYCLES + 2000);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_TIMEOUTS), 1);
    CHECK_EQ(read_reg(h, BAL_REG_SCRATCH), 0);
    /* a frame with no leading END right after: parsed from a clean start */
    size_t n = make_req(31, BAL_OP_READ, BAL_REG_ID, 1, NULL, f);
    wn = bal_slip_encode(f, n, wire);
    uint8_t got[65536];
    size_t gn = exchange_raw(h, wire + 1, wn - 1, got, 14);
    CHECK_EQ(decode_replies(got, gn, true, &rs), 1);
    CHECK_EQ(rs.data[0], BAL_MAGIC);
    /* a truncated frame closed by END: answered BAD_CRC (long enough) or dropped (runt) */
    wn = bal_slip_encode(f, make_req(32, BAL_OP_WRITE, BAL_REG_SCRATCH, 1, &v, f), wire);
    memcpy(wire + 9, wire + wn - 1, 1);
    /* END, eight unescaped bytes (seq op addr count and half the data), END: a header's worth,
     * so it is answered, and its CRC cannot match */
    CHECK_EQ(wn, 1 + 12 + 1u); /* nothing escaped: the cut falls where it should */
    gn = exchange_raw(h, wire, 10, got, 10);
    CHECK_EQ(decode_replies(got, gn, false, &rs), 1);
    CHECK_EQ(rs.status, BAL_ST_BAD_CRC);
    CHECK_EQ(rs.seq, 32);
    /* a runt (END, five bytes, END) is no request: dropped unanswered, counted as a frame error */
    uint32_t ferr = read_reg(h, BAL_REG_LINK_FRAME_ERRORS);
    memcpy(wire + 6, wire + wn - 1, 1);
    gn = exchange_raw(h, wire, 7, got, 1);
    CHECK_EQ(gn, 0);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_FRAME_ERRORS), ferr + 1);
    CHECK_EQ(read_reg(h, BAL_REG_SCRATCH), 0);
    simhost_free(h);
}

static void test_duplicate_not_applied_twice(void)
{
    struct simhost *h = new_board(0);
    uint8_t f[BAL_FRAME_MAX], bad[BAL_FRAME_MAX];
    static struct bal_response rs;
    uint32_t one = 1;
    model_reset();
    /* LINK_CLEAR is the one write with a visible side effect when repeated */
    size_t n = make_req(40, BAL_OP_WRITE, BAL_REG_LINK_CLEAR, 1, &one, f);
    CHECK(request_matches_model(h, f, n, &rs));
    CHECK_EQ(rs.status, BAL_ST_OK);
    size_t bn = make_req(41, BAL_OP_NOP, 0, 0, NULL, bad);
    bad[bn - 1] ^= 1; /* a bad-CRC frame counts one CRC error, and is no request */
    CHECK(request_matches_model(h, bad, bn, &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_CRC);
    /* the same write again (a host retry; the damaged frame between may have been its first
     * retry): answered OK, not applied. Nothing else may come between, a read neither. */
    CHECK(request_matches_model(h, f, n, &rs));
    CHECK_EQ(rs.status, BAL_ST_OK);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_CRC_ERRORS), 1);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_DUPLICATES), 1);
    simhost_free(h);
}

/* A write after any other request is never a retry, even when its seq and CRC repeat the last
 * write's: LINK_CLEAR after a bad frame must clear the counter whatever came between. */
static void expect_write_applied_after(struct simhost *h, uint8_t between_op)
{
    uint8_t f[BAL_FRAME_MAX], bad[BAL_FRAME_MAX], mid[BAL_FRAME_MAX];
    static struct bal_response rs;
    uint32_t one = 1;
    size_t n = make_req(60, BAL_OP_WRITE, BAL_REG_LINK_CLEAR, 1, &one, f);
    CHECK(request_matches_model(h, f, n, &rs));
    CHECK_EQ(rs.status, BAL_ST_OK);
    size_t bn = make_req(61, BAL_OP_NOP, 0, 0, NULL, bad);
    bad[bn - 1] ^= 1;
    CHECK(request_matches_model(h, bad, bn, &rs));
    CHECK_EQ(rs.status, BAL_ST_BAD_CRC);
    size_t mn = between_op == BAL_OP_READ ? make_req(62, BAL_OP_READ, BAL_REG_ID, 1, NULL, mid)
                                          : make_req(62, BAL_OP_NOP, 0, 0, NULL, mid);
    CHECK(request_matches_model(h, mid, mn, &rs));
    CHECK_EQ(rs.status, BAL_ST_OK);
    CHECK(request_matches_model(h, f, n, &rs)); /* the identical write: applied this time */
    CHECK_EQ(rs.status, BAL_ST_OK);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_CRC_ERRORS), 0);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_DUPLICATES), 0);
}

static void test_identical_write_after_other_request_applied(void)
{
    struct simhost *h = new_board(0);
    model_reset();
    expect_write_applied_after(h, BAL_OP_NOP);
    expect_write_applied_after(h, BAL_OP_READ);
    simhost_free(h);
}

/* Two balctl sessions that drew the same random seq: NOP r, WRITE r+1 each. The second
 * session's write is new and must be applied. */
static void test_session_start_never_a_retry(void)
{
    struct simhost *h = new_board(0);
    uint8_t nop[BAL_FRAME_MAX], w[BAL_FRAME_MAX], bad[BAL_FRAME_MAX];
    static struct bal_response rs;
    uint32_t one = 1;
    model_reset();
    size_t nn = make_req(200, BAL_OP_NOP, 0, 0, NULL, nop);
    size_t wn = make_req(201, BAL_OP_WRITE, BAL_REG_LINK_CLEAR, 1, &one, w);
    size_t bn = make_req(7, BAL_OP_READ, BAL_REG_ID, 1, NULL, bad);
    bad[bn - 1] ^= 0x10;
    for (int session = 0; session < 3; session++) {
        CHECK(request_matches_model(h, bad, bn, &rs)); /* a CRC error to be cleared */
        CHECK_EQ(read_reg(h, BAL_REG_LINK_CRC_ERRORS), 1);
        CHECK(request_matches_model(h, nop, nn, &rs));
        CHECK(request_matches_model(h, w, wn, &rs));
        CHECK_EQ(rs.status, BAL_ST_OK);
        CHECK_EQ(read_reg(h, BAL_REG_LINK_CRC_ERRORS), 0);
    }
    CHECK_EQ(read_reg(h, BAL_REG_LINK_DUPLICATES), 0);
    simhost_free(h);
}

static void test_back_to_back(void)
{
    struct simhost *h = new_board(0);
    uint8_t f[BAL_FRAME_MAX], wire[3 * BAL_WIRE_MAX], expect[3 * BAL_WIRE_MAX];
    uint8_t ef[BAL_FRAME_MAX];
    static uint8_t got[65536];
    uint32_t v = 0x5A5AC0DB;
    size_t wn = 0, en = 0, n;
    model_reset();
    n = make_req(50, BAL_OP_WRITE, BAL_REG_SCRATCH, 1, &v, f);
    wn += bal_slip_encode(f, n, wire + wn);
    en += bal_slip_encode(ef, linkmodel_handle(&model, f, n, ef), expect + en);
    n = make_req(51, BAL_OP_READ, BAL_REG_SCRATCH, 1, NULL, f);
    wn += bal_slip_encode(f, n, wire + wn);
    en += bal_slip_encode(ef, linkmodel_handle(&model, f, n, ef), expect + en);
    n = make_req(52, BAL_OP_READ, BAL_REG_ID, 2, NULL, f); /* not BUILD: the model has no hash */
    wn += bal_slip_encode(f, n, wire + wn);
    en += bal_slip_encode(ef, linkmodel_handle(&model, f, n, ef), expect + en);
    size_t gn = exchange_raw(h, wire, wn, got, en);
    CHECK_EQ(gn, en);
    CHECK(memcmp(got, expect, en) == 0);
    simhost_free(h);
}

/* The host's rate off by the given fraction: 600 random round trips over scratch RAM, each
 * reply identical to the golden model's. */
static void round_trips_at(double err)
{
    struct simhost *h = new_board(err);
    uint8_t f[BAL_FRAME_MAX];
    static struct bal_response rs;
    model_reset();
    int failures = 0;
    for (int i = 0; i < 300; i++) {
        uint16_t a = (uint16_t)(BAL_BLK_SCRATCH_RAM_BASE + rnd() % BAL_BLK_SCRATCH_RAM_SIZE);
        uint32_t v = rnd();
        uint8_t seq = (uint8_t)(2 * i);
        failures += !request_matches_model(h, f, make_req(seq, BAL_OP_WRITE, a, 1, &v, f), &rs);
        failures += !request_matches_model(h, f, make_req(seq + 1, BAL_OP_READ, a, 1, NULL, f), &rs);
        if (failures)
            break;
    }
    CHECK_EQ(failures, 0);
    CHECK_EQ(read_reg(h, BAL_REG_LINK_UART_ERRORS), 0);
    simhost_free(h);
}

/* the documented tolerance is +-4% (docs/protocol.md; bench_link measures the edge) */
static void test_baud_minus_4pct(void) { round_trips_at(-0.04); }
static void test_baud_plus_4pct(void) { round_trips_at(+0.04); }

int main(void)
{
    RUN(test_frames_bit_exact);
    RUN(test_every_error_status);
    RUN(test_all_or_nothing);
    RUN(test_garbage_then_valid);
    RUN(test_truncated_frame_times_out);
    RUN(test_duplicate_not_applied_twice);
    RUN(test_identical_write_after_other_request_applied);
    RUN(test_session_start_never_a_retry);
    RUN(test_back_to_back);
    RUN(test_baud_minus_4pct);
    RUN(test_baud_plus_4pct);
    return test_summary();
}
