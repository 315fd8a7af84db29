/* Protocol layer: CRC, SLIP, frames, every status, resync; and the link's retries against
 * the golden device model over a transport that loses and damages bytes on purpose. */
#include <string.h>

#include "check.h"
#include "link.h"
#include "linkmodel.h"
#include "proto.h"

static void test_crc_check_value(void)
{
    CHECK_EQ(bal_crc16((const uint8_t *)"123456789", 9), 0x29B1); /* CRC-16/CCITT-FALSE */
    uint8_t f[16] = "balanced";
    bal_put_be16(f + 8, bal_crc16(f, 8));
    CHECK_EQ(bal_crc16(f, 10), 0); /* a frame with its CRC leaves zero behind */
    f[3] ^= 0x10;
    CHECK(bal_crc16(f, 10) != 0);
}

static void test_slip_round_trip(void)
{
    for (int trial = 0; trial < 500; trial++) {
        uint8_t in[300], wire[2 * 300 + 2];
        size_t n = 1 + rnd() % 300;
        for (size_t i = 0; i < n; i++) /* plenty of END and ESC */
            in[i] = (rnd() & 3) == 0 ? BAL_SLIP_END : (rnd() & 3) == 0 ? BAL_SLIP_ESC : (uint8_t)rnd();
        size_t w = bal_slip_encode(in, n, wire);
        CHECK_EQ(wire[0], BAL_SLIP_END);
        CHECK_EQ(wire[w - 1], BAL_SLIP_END);
        for (size_t i = 1; i + 1 < w; i++)
            if (wire[i] == BAL_SLIP_END)
                CHECK(0);
        struct bal_slip_decoder d;
        bal_slip_reset(&d);
        int frames = 0;
        for (size_t i = 0; i < w; i++)
            if (bal_slip_feed(&d, wire[i]) == BAL_SLIP_FRAME) {
                frames++;
                CHECK_EQ(d.len, n);
                CHECK(memcmp(d.buf, in, n) == 0);
            }
        CHECK_EQ(frames, 1);
    }
}

static void test_slip_resync(void)
{
    struct bal_slip_decoder d;
    bal_slip_reset(&d);
    /* a bad escape drops its frame; the next frame is whole */
    const uint8_t bad[] = {0x11, BAL_SLIP_ESC, 0x22, 0x33, BAL_SLIP_END};
    int ev = 0;
    for (size_t i = 0; i < sizeof bad; i++)
        ev = bal_slip_feed(&d, bad[i]);
    CHECK_EQ(ev, BAL_SLIP_DROPPED);
    const uint8_t good[] = {0x44, BAL_SLIP_ESC, BAL_SLIP_ESC_END, BAL_SLIP_END};
    for (size_t i = 0; i < sizeof good; i++)
        ev = bal_slip_feed(&d, good[i]);
    CHECK_EQ(ev, BAL_SLIP_FRAME);
    CHECK_EQ(d.len, 2);
    CHECK_EQ(d.buf[1], BAL_SLIP_END);
    /* an oversized frame is dropped, not truncated */
    for (size_t i = 0; i < BAL_FRAME_MAX + 10; i++)
        CHECK_EQ(bal_slip_feed(&d, 0x55), BAL_SLIP_NONE);
    CHECK_EQ(bal_slip_feed(&d, BAL_SLIP_END), BAL_SLIP_DROPPED);
    /* empty frames (END END) are silence, not events */
    CHECK_EQ(bal_slip_feed(&d, BAL_SLIP_END), BAL_SLIP_NONE);
}

static void test_request_round_trip(void)
{
    uint32_t data[BAL_MAX_WORDS], back[BAL_MAX_WORDS];
    uint8_t frame[BAL_FRAME_MAX];
    for (int trial = 0; trial < 200; trial++) {
        uint16_t count = (uint16_t)(1 + rnd() % BAL_MAX_WORDS);
        for (unsigned i = 0; i < count; i++)
            data[i] = rnd();
        struct bal_request rq = {(uint8_t)rnd(), BAL_OP_WRITE, (uint16_t)rnd(), count, data}, got;
        size_t n = bal_build_request(&rq, frame);
        CHECK_EQ(n, 8 + 4u * count);
        CHECK_EQ(bal_parse_request(frame, n, &got, back), BAL_PARSE_OK);
        CHECK_EQ(got.seq, rq.seq);
        CHECK_EQ(got.addr, rq.addr);
        CHECK_EQ(got.count, count);
        CHECK(memcmp(back, data, 4u * count) == 0);
    }
    struct bal_request big = {1, BAL_OP_WRITE, 0, BAL_MAX_WORDS + 1, data};
    CHECK_EQ(bal_build_request(&big, frame), 0);
}

static void test_response_every_status(void)
{
    uint8_t frame[BAL_FRAME_MAX];
    static struct bal_response rs, got;
    for (unsigned st = 0; st <= BAL_ST_BUSY; st++) {
        CHECK(strcmp(bal_status_name(st), "UNKNOWN_STATUS") != 0);
        rs.seq = (uint8_t)st;
        rs.status = (uint8_t)st;
        rs.addr = 0x1234;
        rs.count = st == BAL_ST_OK ? 3 : 0;
        rs.data[0] = 1, rs.data[1] = 0xC0C0C0C0, rs.data[2] = 0xDBDBDBDB;
        size_t n = bal_build_response(&rs, true, frame);
        CHECK_EQ(bal_parse_response(frame, n, true, &got), BAL_PARSE_OK);
        CHECK_EQ(got.status, st);
        CHECK_EQ(got.count, rs.count);
        if (st == BAL_ST_OK)
            CHECK_EQ(got.data[1], 0xC0C0C0C0);
    }
    CHECK(strcmp(bal_status_name(200), "UNKNOWN_STATUS") == 0);
    /* damaged replies */
    rs.status = BAL_ST_OK;
    rs.count = 2;
    size_t n = bal_build_response(&rs, true, frame);
    CHECK_EQ(bal_parse_response(frame, 5, true, &got), BAL_PARSE_SHORT);
    frame[7] ^= 1;
    CHECK_EQ(bal_parse_response(frame, n, true, &got), BAL_PARSE_CRC);
    frame[7] ^= 1;
    CHECK_EQ(bal_parse_response(frame, n, false, &got), BAL_PARSE_LENGTH);
}

/* ---- a device made of the golden model, behind a transport with faults */

struct fault_transport {
    struct bal_transport base;
    struct linkmodel *dev;
    struct bal_slip_decoder dec;
    uint8_t out[65536];
    size_t out_len, out_pos;
    unsigned drop_request_pct, drop_reply_pct, flip_pct;
    unsigned requests_seen;
};

static void corrupt(struct fault_transport *f, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rnd() % 1000 < f->flip_pct)
            p[i] ^= (uint8_t)(1u << (rnd() % 8));
}

static int fault_write(struct bal_transport *t, const uint8_t *p, size_t n)
{
    struct fault_transport *f = (struct fault_transport *)t;
    uint8_t buf[BAL_WIRE_MAX];
    if (rnd() % 100 < f->drop_request_pct)
        return 0;
    memcpy(buf, p, n);
    corrupt(f, buf, n);
    for (size_t i = 0; i < n; i++) {
        if (bal_slip_feed(&f->dec, buf[i]) != BAL_SLIP_FRAME)
            continue;
        uint8_t reply[BAL_FRAME_MAX];
        size_t rn = linkmodel_handle(f->dev, f->dec.buf, f->dec.len, reply);
        f->requests_seen++;
        if (!rn || rnd() % 100 < f->drop_reply_pct)
            continue;
        uint8_t wire[BAL_WIRE_MAX];
        size_t wn = bal_slip_encode(reply, rn, wire);
        corrupt(f, wire, wn);
        if (f->out_len + wn <= sizeof f->out) {
            memcpy(f->out + f->out_len, wire, wn);
            f->out_len += wn;
        }
    }
    return 0;
}

static int fault_read(struct bal_transport *t, uint8_t *p, size_t n, int timeout_ms)
{
    (void)timeout_ms; /* nothing arrives later: an empty queue is an immediate timeout */
    struct fault_transport *f = (struct fault_transport *)t;
    size_t k = f->out_len - f->out_pos < n ? f->out_len - f->out_pos : n;
    memcpy(p, f->out + f->out_pos, k);
    f->out_pos += k;
    if (f->out_pos == f->out_len)
        f->out_pos = f->out_len = 0;
    return (int)k;
}

static void fault_close(struct bal_transport *t)
{
    (void)t;
}

static const struct bal_transport_ops fault_ops = {fault_write, fault_read, fault_close};

static struct linkmodel dev;

static void start(struct fault_transport *f, struct bal_link *l, unsigned drop_rq, unsigned drop_rp,
                  unsigned flip_permille)
{
    memset(f, 0, sizeof *f);
    f->base.ops = &fault_ops;
    strcpy(f->base.name, "fault");
    f->dev = &dev;
    bal_slip_reset(&f->dec);
    f->drop_request_pct = drop_rq;
    f->drop_reply_pct = drop_rp;
    f->flip_pct = flip_permille;
    int rc = bal_link_start(l, &f->base, 1, 50);
    CHECK_EQ(rc, BAL_OK);
}

static void test_link_clean(void)
{
    static struct fault_transport f;
    struct bal_link l;
    linkmodel_init(&dev, 0, BAL_SYSCLK_EXACT_HZ, 7);
    start(&f, &l, 0, 0, 0);
    uint32_t v;
    CHECK_EQ(bal_read1(&l, BAL_REG_ID, &v), BAL_OK);
    CHECK_EQ(v, BAL_MAGIC);
    CHECK_EQ(bal_write1(&l, BAL_REG_SCRATCH, 0xC0DBC0DB), BAL_OK);
    CHECK_EQ(bal_read1(&l, BAL_REG_SCRATCH, &v), BAL_OK);
    CHECK_EQ(v, 0xC0DBC0DB);
    CHECK_EQ(l.stats.retries, 0);
    /* every refusal comes back as a device error with its status */
    CHECK_EQ(bal_write1(&l, BAL_REG_ID, 1), BAL_ERR_DEVICE);
    CHECK_EQ(l.last_status, BAL_ST_BAD_ADDR);
    CHECK_EQ(bal_write1(&l, BAL_REG_CTRL, 0x80), BAL_ERR_DEVICE);
    CHECK_EQ(l.last_status, BAL_ST_BAD_VALUE);
    CHECK_EQ(bal_read1(&l, 0x7FFF, &v), BAL_ERR_DEVICE);
    CHECK_EQ(l.last_status, BAL_ST_BAD_ADDR);
}

static void test_link_retries_under_faults(void)
{
    static struct fault_transport f;
    static uint32_t shadow[BAL_BLK_SCRATCH_RAM_SIZE];
    struct bal_link l;
    linkmodel_init(&dev, 0, BAL_SYSCLK_EXACT_HZ, 7);
    start(&f, &l, 10, 10, 2);
    memset(shadow, 0, sizeof shadow);
    int ok = 0, failed = 0;
    for (int i = 0; i < 2000; i++) {
        uint16_t k = (uint16_t)(rnd() % BAL_BLK_SCRATCH_RAM_SIZE);
        uint32_t v = rnd();
        int rc = bal_write1(&l, (uint16_t)(BAL_BLK_SCRATCH_RAM_BASE + k), v);
        if (rc == BAL_OK) {
            shadow[k] = v;
            ok++;
        } else {
            if (!failed)
                fprintf(stderr, "  write %d failed: %s\n", i, l.error);
            failed++;
        }
    }
    CHECK_EQ(failed, 0);
    CHECK(l.stats.retries > 0); /* the faults did happen */
    /* the device holds exactly what the host last wrote */
    f.drop_request_pct = f.drop_reply_pct = f.flip_pct = 0;
    static uint32_t back[BAL_BLK_SCRATCH_RAM_SIZE];
    CHECK_EQ(bal_read(&l, BAL_BLK_SCRATCH_RAM_BASE, BAL_BLK_SCRATCH_RAM_SIZE, back), BAL_OK);
    CHECK(memcmp(back, shadow, sizeof shadow) == 0);
    printf("MEASURE link faults 10%% drops each way, 0.2%% bit flips: %d writes ok, %u retries\n",
           ok, l.stats.retries);
}

static void test_link_gives_up(void)
{
    static struct fault_transport f;
    struct bal_link l;
    linkmodel_init(&dev, 0, BAL_SYSCLK_EXACT_HZ, 7);
    start(&f, &l, 0, 0, 0);
    f.drop_request_pct = 100;
    l.retries = 3;
    CHECK_EQ(bal_nop(&l), BAL_ERR_IO);
    CHECK_EQ(l.stats.timeouts, 4);
    CHECK(strstr(l.error, "no reply") != NULL);
}

int main(void)
{
    RUN(test_crc_check_value);
    RUN(test_slip_round_trip);
    RUN(test_slip_resync);
    RUN(test_request_round_trip);
    RUN(test_response_every_status);
    RUN(test_link_clean);
    RUN(test_link_retries_under_faults);
    RUN(test_link_gives_up);
    return test_summary();
}
