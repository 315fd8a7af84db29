#include "linkmodel.h"

#include <string.h>

void linkmodel_init(struct linkmodel *m, uint32_t build_hash, uint32_t sysclk_hz, uint32_t status)
{
    memset(m, 0, sizeof *m);
    m->build_hash = build_hash;
    m->sysclk_hz = sysclk_hz;
    m->status = status;
    for (unsigned i = 0; i < bal_nregs; i++)
        if (bal_regs[i].size == 1)
            m->mem[bal_regs[i].addr] = bal_regs[i].reset;
}

static uint32_t read_word(const struct linkmodel *m, uint16_t addr)
{
    switch (addr) {
    case BAL_REG_BUILD: return m->build_hash;
    case BAL_REG_SYSCLK: return m->sysclk_hz;
    case BAL_REG_STATUS: return m->status;
    default: return m->mem[addr];
    }
}

static uint8_t check_write(const uint8_t *payload, uint16_t addr, uint16_t count)
{
    for (unsigned i = 0; i < count; i++) {
        const struct bal_reg_info *r = bal_reg_at((uint16_t)(addr + i));
        if (!r || !strcmp(r->access, "ro"))
            return BAL_ST_BAD_ADDR;
        if (!bal_value_ok(r, bal_get_be32(payload + 4 * i)))
            return BAL_ST_BAD_VALUE;
    }
    return BAL_ST_OK;
}

size_t linkmodel_handle(struct linkmodel *m, const uint8_t *f, size_t len, uint8_t *reply)
{
    struct bal_response rs = {0};
    if (len < BAL_HDR_BYTES + 2)
        return 0;
    rs.seq = f[0];
    rs.addr = bal_get_be16(f + 2);
    uint8_t op = f[1];
    uint16_t count = bal_get_be16(f + 4), crc = bal_get_be16(f + len - 2);
    size_t want = 8 + (op == BAL_OP_WRITE ? 4u * count : 0);
    uint16_t answer_count = 0;
    bool crc_ok = bal_crc16(f, len) == 0;
    bool well_formed = count != 0 && count <= BAL_MAX_WORDS && len == want;
    bool retry = crc_ok && op == BAL_OP_WRITE && well_formed && m->last_valid &&
                 f[0] == m->last_seq && crc == m->last_crc;
    /* Only the very next request may be a retry of the last WRITE: any other request with a
     * good CRC forgets it (a damaged frame may be the retry itself, so it does not). */
    if (crc_ok && !retry)
        m->last_valid = false;

    if (!crc_ok) {
        rs.status = BAL_ST_BAD_CRC;
    } else if (op != BAL_OP_NOP && op != BAL_OP_READ && op != BAL_OP_WRITE) {
        rs.status = BAL_ST_BAD_OP;
    } else if (op == BAL_OP_NOP) {
        rs.status = (count == 0 && len == 8) ? BAL_ST_OK : BAL_ST_BAD_LEN;
    } else if (!well_formed) {
        rs.status = BAL_ST_BAD_LEN;
    } else if (retry) {
        rs.status = m->last_status; /* a retry: answered again, not applied again */
        answer_count = count;
    } else if ((uint32_t)rs.addr + count > 0x10000) {
        rs.status = BAL_ST_BAD_ADDR;
    } else if (op == BAL_OP_READ) {
        rs.status = BAL_ST_OK;
        for (unsigned i = 0; i < count; i++)
            if (!bal_reg_at((uint16_t)(rs.addr + i)))
                rs.status = BAL_ST_BAD_ADDR;
        answer_count = count;
        for (unsigned i = 0; rs.status == BAL_ST_OK && i < count; i++)
            rs.data[i] = read_word(m, (uint16_t)(rs.addr + i));
    } else {
        rs.status = check_write(f + BAL_HDR_BYTES, rs.addr, count);
        answer_count = count;
        for (unsigned i = 0; rs.status == BAL_ST_OK && i < count; i++) {
            uint16_t a = (uint16_t)(rs.addr + i);
            m->mem[a] = bal_get_be32(f + BAL_HDR_BYTES + 4 * i) & bal_reg_at(a)->rmask;
        }
        m->last_valid = true;
        m->last_seq = f[0];
        m->last_crc = crc;
        m->last_status = rs.status;
    }
    rs.count = rs.status == BAL_ST_OK ? answer_count : 0;
    return bal_build_response(&rs, op == BAL_OP_READ, reply);
}
