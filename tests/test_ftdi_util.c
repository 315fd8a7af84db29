/* The libusb transport's pure parts: baud divisors, status-byte stripping, board choice. */
#include <string.h>

#include "check.h"
#include "ftdi_util.h"

static void test_baud_divisors(void)
{
    struct bal_ftdi_baud b;
    /* 3 Mbaud: 12 MHz / 4 exactly, on the 120 MHz clock, interface B */
    CHECK(bal_ftdi_baud(3000000, BAL_FTDI_PORT, &b));
    CHECK_EQ(b.value, 0x0004);
    CHECK_EQ(b.index, 0x0202);
    CHECK_EQ(b.actual, 3000000);
    /* the two special divisors below 2 */
    CHECK(bal_ftdi_baud(12000000, 1, &b));
    CHECK_EQ(b.value, 0x0000);
    CHECK_EQ(b.index, 0x0201);
    CHECK(bal_ftdi_baud(8000000, 2, &b));
    CHECK_EQ(b.value, 0x0001);
    CHECK_EQ(b.actual, 8000000);
    /* 115200: divisor 104 + 1/8, the fraction 1/8 encoded as 3 in bits 14..16 */
    CHECK(bal_ftdi_baud(115200, 2, &b));
    CHECK_EQ(b.value, (104 | 3 << 14) & 0xFFFF);
    CHECK_EQ(b.index, 0x0202);
    CHECK_EQ(b.actual, 115246);
    /* 2 Mbaud: divisor 6 */
    CHECK(bal_ftdi_baud(2000000, 2, &b));
    CHECK_EQ(b.value, 6);
    /* out of reach */
    CHECK(!bal_ftdi_baud(0, 2, &b));
    CHECK(!bal_ftdi_baud(100, 2, &b));
    CHECK(!bal_ftdi_baud(20000000, 2, &b));
}

static void test_strip_status(void)
{
    uint8_t in[1100], out[1100];
    /* two full 512-byte packets and a short one: 2 status bytes at each packet's head */
    for (int i = 0; i < 1100; i++)
        in[i] = (uint8_t)i;
    size_t n = bal_ftdi_strip_status(in, 1100, 512, out);
    CHECK_EQ(n, 1100 - 6);
    CHECK_EQ(out[0], 2);
    CHECK_EQ(out[509], (uint8_t)511);
    CHECK_EQ(out[510], (uint8_t)514);
    CHECK_EQ(out[1019], (uint8_t)1023);
    CHECK_EQ(out[1020], (uint8_t)1026);
    /* status-only packets carry nothing */
    CHECK_EQ(bal_ftdi_strip_status(in, 2, 512, out), 0);
    CHECK_EQ(bal_ftdi_strip_status(in, 0, 512, out), 0);
    /* in place works too */
    memcpy(out, in, 600);
    CHECK_EQ(bal_ftdi_strip_status(out, 600, 64, out), 600 - 2 * 10);
    CHECK_EQ(out[62], 66);
}

static void test_choose_board(void)
{
    struct bal_ftdi_board b[4] = {
        {"FT1ABC", true, 1, 4, "iCEBreaker V1.0e"},
        {"FT2DEF", true, 1, 5, "iCEBreaker V1.0d"},
        {"FTJTAG", true, 1, 6, "Dual RS232-HS"}, /* another FT2232H: a JTAG adapter */
        {"", false, 2, 7, ""},                   /* no permission: cannot tell */
    };
    CHECK_EQ(bal_ftdi_choose(b, 0, NULL), BAL_FTDI_NONE);
    CHECK_EQ(bal_ftdi_choose(b, 0, "FT1ABC"), BAL_FTDI_NONE);
    CHECK_EQ(bal_ftdi_choose(b, 1, NULL), 0);
    CHECK_EQ(bal_ftdi_choose(b, 2, NULL), BAL_FTDI_SEVERAL); /* refuses to guess */
    CHECK_EQ(bal_ftdi_choose(b, 3, "FT2DEF"), 1);
    CHECK_EQ(bal_ftdi_choose(b, 3, "FT9XYZ"), BAL_FTDI_NOT_FOUND);
    CHECK_EQ(bal_ftdi_choose(b, 3, "ft2def"), BAL_FTDI_NOT_FOUND); /* serials are exact */
    /* the JTAG adapter is never taken unless named */
    CHECK_EQ(bal_ftdi_choose(b + 2, 1, NULL), BAL_FTDI_NONE);
    CHECK_EQ(bal_ftdi_choose(b + 1, 2, NULL), 0);
    CHECK_EQ(bal_ftdi_choose(b, 3, "FTJTAG"), 2);
    CHECK(!bal_ftdi_may_be_ours(&b[2]));
    /* a board we cannot read may be ours: chosen, so that the permission error is shown */
    CHECK_EQ(bal_ftdi_choose(b + 2, 2, NULL), 1);
    CHECK(bal_ftdi_may_be_ours(&b[3]));
}

int main(void)
{
    RUN(test_baud_divisors);
    RUN(test_strip_status);
    RUN(test_choose_board);
    return test_summary();
}
