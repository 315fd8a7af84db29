/* libFuzzer harness: the host's side of the link. A peer answers with arbitrary bytes; the
 * link layer (SLIP decoding, reply parsing, nonsense checks, retries) must end every request
 * with a bal_err and a message, read nothing out of bounds, and never report success for a
 * reply that does not match its request. Build: make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"

struct fuzz_transport {
    struct bal_transport base;
    const uint8_t *data;
    size_t size, pos;
};

static int fz_write(struct bal_transport *t, const uint8_t *p, size_t n)
{
    (void)t, (void)p, (void)n;
    return 0;
}

/* Hands out the fuzz input in chunks whose sizes the input itself chooses. */
static int fz_read(struct bal_transport *t, uint8_t *p, size_t n, int timeout_ms)
{
    struct fuzz_transport *f = (struct fuzz_transport *)t;
    (void)timeout_ms;
    if (f->pos >= f->size) {
        strcpy(t->error, "fuzz: input used up"); /* ends the request at once, no waiting */
        return BAL_ERR_IO;
    }
    size_t k = 1 + f->data[f->pos] % 64;
    f->pos++;
    if (k > f->size - f->pos)
        k = f->size - f->pos;
    if (k > n)
        k = n;
    memcpy(p, f->data + f->pos, k);
    f->pos += k;
    return (int)k;
}

static void fz_close(struct bal_transport *t)
{
    (void)t;
}

static const struct bal_transport_ops fz_ops = {fz_write, fz_read, fz_close};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_transport f = {.data = data, .size = size};
    static struct bal_link l;
    f.base.ops = &fz_ops;
    strcpy(f.base.name, "fuzz");
    memset(&l, 0, sizeof l);
    l.t = &f.base;
    l.timeout_ms = 1;
    l.retries = 2;
    l.seq = 0x41;
    bal_slip_reset(&l.dec);
    uint32_t v[4];
    int rc = bal_read(&l, 0x0100, 4, v);
    if (rc != BAL_OK && (rc > 0 || rc < BAL_ERR_DEVICE || !l.error[0]))
        abort();
    if (rc == BAL_OK && l.stats.requests != 1)
        abort();
    rc = bal_write1(&l, 0x000C, 0x12345678);
    if (rc != BAL_OK && !l.error[0])
        abort();
    return 0;
}
