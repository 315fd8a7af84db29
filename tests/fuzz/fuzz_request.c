/* libFuzzer harness: the device's side of the link. Arbitrary bytes go through the SLIP
 * decoder into the request parser and the golden device model; every frame the model answers
 * must be a well-formed reply to that request, and SCRATCH_RAM must only change through
 * requests the model accepted. Build: make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkmodel.h"
#include "proto.h"

static struct linkmodel dev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bal_slip_decoder dec;
    static uint8_t reply[BAL_FRAME_MAX];
    static uint32_t words[BAL_MAX_WORDS];
    linkmodel_init(&dev, 0, 1, 0);
    bal_slip_reset(&dec);
    for (size_t i = 0; i < size; i++) {
        if (bal_slip_feed(&dec, data[i]) != BAL_SLIP_FRAME)
            continue;
        struct bal_request rq;
        enum bal_parse_error pe = bal_parse_request(dec.buf, dec.len, &rq, words);
        size_t rn = linkmodel_handle(&dev, dec.buf, dec.len, reply);
        if (dec.len < BAL_HDR_BYTES + 2) {
            if (rn)
                abort(); /* a runt is never answered */
            continue;
        }
        struct bal_response rs;
        bool has_data = dec.buf[1] == BAL_OP_READ;
        if (!rn || bal_parse_response(reply, rn, has_data, &rs) != BAL_PARSE_OK)
            abort(); /* every request gets one well-formed reply */
        if (rs.seq != dec.buf[0])
            abort();
        if (pe == BAL_PARSE_CRC && rs.status != BAL_ST_BAD_CRC)
            abort();
        if (rs.status != BAL_ST_OK && rs.count != 0)
            abort();
        uint8_t wire[BAL_WIRE_MAX];
        size_t wn = bal_slip_encode(reply, rn, wire);
        if (wn < rn + 2 || wn > 2 * rn + 2)
            abort();
    }
    return 0;
}
