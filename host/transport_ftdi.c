/* usb[:SERIAL] - the FT2232H of an iCEBreaker, interface B, through libusb-1.0. */
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftdi_util.h"
#include "regmap.h"
#include "transport.h"
#include "util.h"

#define LINK_BAUD BAL_BAUD
#define CTRL_TIMEOUT_MS 1000
#define WRITE_TIMEOUT_MS 1000
#define MAX_BOARDS 16

static const char udev_hint[] =
    "install udev/60-balanced.rules (make install, or copy it to /etc/udev/rules.d/ and run "
    "'udevadm control --reload && udevadm trigger'), then replug the board";

struct ftdi_transport {
    struct bal_transport base;
    libusb_context *ctx;
    libusb_device_handle *h;
    size_t packet_size;
    uint8_t pending[4096]; /* data read but not yet handed out */
    size_t pending_len, pending_pos;
};

static int usb_fail(char *err, size_t errlen, const char *what, int rc)
{
    const char *hint = "";
    if (rc == LIBUSB_ERROR_ACCESS)
        hint = " - permission denied; ";
    else if (rc == LIBUSB_ERROR_NO_DEVICE)
        hint = " - the board was unplugged";
    else if (rc == LIBUSB_ERROR_BUSY)
        hint = " - another program holds the interface";
    snprintf(err, errlen, "usb: %s: %s%s%s", what, libusb_error_name(rc), hint,
             rc == LIBUSB_ERROR_ACCESS ? udev_hint : "");
    return rc == LIBUSB_ERROR_ACCESS ? BAL_ERR_NODEV : BAL_ERR_IO;
}

static bool is_ft2232h(libusb_device *dev, struct libusb_device_descriptor *dd)
{
    return libusb_get_device_descriptor(dev, dd) == 0 && dd->idVendor == BAL_FTDI_VID &&
           dd->idProduct == BAL_FTDI_PID;
}

static void read_serial(libusb_device *dev, const struct libusb_device_descriptor *dd,
                        struct bal_ftdi_board *b)
{
    libusb_device_handle *h;
    b->bus = libusb_get_bus_number(dev);
    b->address = libusb_get_device_address(dev);
    b->serial[0] = 0;
    b->product[0] = 0;
    b->can_open = libusb_open(dev, &h) == 0;
    if (!b->can_open)
        return;
    if (dd->iSerialNumber &&
        libusb_get_string_descriptor_ascii(h, dd->iSerialNumber, (unsigned char *)b->serial,
                                           sizeof b->serial) < 0)
        b->serial[0] = 0;
    if (dd->iProduct &&
        libusb_get_string_descriptor_ascii(h, dd->iProduct, (unsigned char *)b->product,
                                           sizeof b->product) < 0)
        b->product[0] = 0;
    libusb_close(h);
}

/* Lists the boards on ctx; devs (optional) receives referenced devices, freed by the caller. */
static int list_on(libusb_context *ctx, struct bal_ftdi_board *boards, libusb_device **devs,
                   size_t max, char *err, size_t errlen)
{
    libusb_device **all;
    ssize_t n = libusb_get_device_list(ctx, &all);
    if (n < 0)
        return usb_fail(err, errlen, "listing devices", (int)n);
    size_t found = 0;
    for (ssize_t i = 0; i < n && found < max; i++) {
        struct libusb_device_descriptor dd;
        if (!is_ft2232h(all[i], &dd))
            continue;
        read_serial(all[i], &dd, &boards[found]);
        if (devs)
            devs[found] = libusb_ref_device(all[i]);
        found++;
    }
    libusb_free_device_list(all, 1);
    return (int)found;
}

int bal_ftdi_list(struct bal_ftdi_board *boards, size_t max, char *err, size_t errlen)
{
    libusb_context *ctx;
    int rc = libusb_init(&ctx);
    if (rc)
        return usb_fail(err, errlen, "libusb_init", rc);
    int n = list_on(ctx, boards, NULL, max, err, errlen);
    libusb_exit(ctx);
    return n;
}

static int vendor_request(struct ftdi_transport *f, uint8_t req, uint16_t value, uint16_t index,
                          const char *what)
{
    int rc = libusb_control_transfer(f->h, LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_DEVICE |
                                               LIBUSB_ENDPOINT_OUT,
                                     req, value, index, NULL, 0, CTRL_TIMEOUT_MS);
    if (rc < 0)
        return usb_fail(f->base.error, sizeof f->base.error, what, rc);
    return 0;
}

/* Interface B as a 3 Mbaud 8N1 UART with a 1 ms latency timer and empty buffers. */
static int setup_uart(struct ftdi_transport *f)
{
    struct bal_ftdi_baud baud;
    if (!bal_ftdi_baud(LINK_BAUD, BAL_FTDI_PORT, &baud)) {
        snprintf(f->base.error, sizeof f->base.error, "usb: no divisor for %u baud", LINK_BAUD);
        return BAL_ERR_IO;
    }
    int rc;
    if ((rc = vendor_request(f, BAL_SIO_RESET, 0, BAL_FTDI_PORT, "reset")) ||
        (rc = vendor_request(f, BAL_SIO_SET_BITMODE, 0, BAL_FTDI_PORT, "set UART mode")) ||
        (rc = vendor_request(f, BAL_SIO_SET_BAUDRATE, baud.value, baud.index, "set baud rate")) ||
        (rc = vendor_request(f, BAL_SIO_SET_DATA, 8, BAL_FTDI_PORT, "set 8N1")) ||
        (rc = vendor_request(f, BAL_SIO_SET_FLOW_CTRL, 0, BAL_FTDI_PORT, "disable flow control")) ||
        (rc = vendor_request(f, BAL_SIO_SET_LATENCY, 1, BAL_FTDI_PORT, "set latency timer")) ||
        (rc = vendor_request(f, BAL_SIO_RESET, 1, BAL_FTDI_PORT, "purge RX")) ||
        (rc = vendor_request(f, BAL_SIO_RESET, 2, BAL_FTDI_PORT, "purge TX")))
        return rc;
    return 0;
}

static int ftdi_write(struct bal_transport *t, const uint8_t *p, size_t n)
{
    struct ftdi_transport *f = (struct ftdi_transport *)t;
    while (n) {
        int done = 0;
        int chunk = n > 4096 ? 4096 : (int)n;
        int rc = libusb_bulk_transfer(f->h, BAL_FTDI_EP_OUT, (unsigned char *)p, chunk, &done,
                                      WRITE_TIMEOUT_MS);
        if (rc < 0)
            return usb_fail(t->error, sizeof t->error, "bulk write", rc);
        p += done;
        n -= (size_t)done;
    }
    return 0;
}

static int ftdi_read(struct bal_transport *t, uint8_t *p, size_t n, int timeout_ms)
{
    struct ftdi_transport *f = (struct ftdi_transport *)t;
    int64_t deadline = bal_now_ms() + timeout_ms;
    /* The chip sends its two status bytes every latency period even with no data: read until
     * data arrives or the deadline passes. */
    while (f->pending_pos == f->pending_len) {
        int64_t left = deadline - bal_now_ms();
        if (left <= 0)
            return 0;
        int got = 0;
        int rc = libusb_bulk_transfer(f->h, BAL_FTDI_EP_IN, f->pending, sizeof f->pending, &got,
                                      (unsigned)left);
        if (rc == LIBUSB_ERROR_TIMEOUT && got == 0)
            return 0;
        if (rc < 0 && rc != LIBUSB_ERROR_TIMEOUT)
            return usb_fail(t->error, sizeof t->error, "bulk read", rc);
        f->pending_len = bal_ftdi_strip_status(f->pending, (size_t)got, f->packet_size, f->pending);
        f->pending_pos = 0;
    }
    size_t avail = f->pending_len - f->pending_pos;
    size_t k = avail < n ? avail : n;
    memcpy(p, f->pending + f->pending_pos, k);
    f->pending_pos += k;
    return (int)k;
}

static void ftdi_close(struct bal_transport *t)
{
    struct ftdi_transport *f = (struct ftdi_transport *)t;
    libusb_release_interface(f->h, BAL_FTDI_INTERFACE);
    libusb_close(f->h);
    libusb_exit(f->ctx);
    free(f);
}

static const struct bal_transport_ops ftdi_ops = {ftdi_write, ftdi_read, ftdi_close};

/* Explains why no board was chosen, listing the candidates where that helps. */
static void explain_choice(int choice, const struct bal_ftdi_board *b, int n, const char *serial,
                           char *err, size_t errlen)
{
    if (choice == BAL_FTDI_NONE) {
        int o = snprintf(err, errlen, "usb: no iCEBreaker (FT2232H 0403:6010, product '%s...') "
                         "found - is the board plugged in?", BAL_FTDI_PRODUCT_PREFIX);
        for (int i = 0; i < n && o >= 0 && (size_t)o < errlen; i++)
            o += snprintf(err + o, errlen - (size_t)o, "%s %s '%s'",
                          i ? "," : " Other FT2232H left alone (name one with --device "
                                    "usb:SERIAL to use it):",
                          b[i].serial[0] ? b[i].serial : "?", b[i].product);
        return;
    }
    int o = choice == BAL_FTDI_SEVERAL
                ? snprintf(err, errlen, "usb: %d boards found; name one with --device usb:SERIAL:", n)
                : snprintf(err, errlen, "usb: no board with serial '%s'; found:", serial);
    for (int i = 0; i < n && o >= 0 && (size_t)o < errlen; i++)
        o += snprintf(err + o, errlen - (size_t)o, " %s",
                      b[i].serial[0] ? b[i].serial : "(serial unreadable: no permission)");
}

struct bal_transport *bal_ftdi_open(const char *serial, char *err, size_t errlen, int *code)
{
    struct bal_ftdi_board boards[MAX_BOARDS];
    libusb_device *devs[MAX_BOARDS];
    struct ftdi_transport *f = calloc(1, sizeof *f);
    int rc, n;
    if (!f) {
        snprintf(err, errlen, "out of memory");
        *code = BAL_ERR_IO;
        return NULL;
    }
    f->base.ops = &ftdi_ops;
    if ((rc = libusb_init(&f->ctx))) {
        *code = usb_fail(err, errlen, "libusb_init", rc);
        free(f);
        return NULL;
    }
    n = list_on(f->ctx, boards, devs, MAX_BOARDS, err, errlen);
    int choice = n < 0 ? n : bal_ftdi_choose(boards, (size_t)n, serial);
    if (choice >= 0 && !boards[choice].can_open) {
        snprintf(err, errlen, "usb: board on bus %d address %d: LIBUSB_ERROR_ACCESS - permission "
                 "denied; %s", boards[choice].bus, boards[choice].address, udev_hint);
        *code = BAL_ERR_NODEV;
        choice = BAL_ERR_NODEV;
    } else if (choice >= 0) {
        rc = libusb_open(devs[choice], &f->h);
        if (rc)
            *code = usb_fail(err, errlen, "open", rc), choice = BAL_ERR_NODEV;
    } else if (n >= 0) {
        explain_choice(choice, boards, n, serial, err, errlen);
        *code = BAL_ERR_NODEV;
    } else {
        *code = n;
    }
    for (int i = 0; i < n; i++)
        libusb_unref_device(devs[i]);
    if (choice < 0) {
        libusb_exit(f->ctx);
        free(f);
        return NULL;
    }
    snprintf(f->base.name, sizeof f->base.name, "usb:%s",
             boards[choice].serial[0] ? boards[choice].serial : "?");
    f->packet_size = 512;
    libusb_set_auto_detach_kernel_driver(f->h, 1);
    if ((rc = libusb_claim_interface(f->h, BAL_FTDI_INTERFACE))) {
        *code = usb_fail(err, errlen, "claim interface B", rc);
    } else {
        int mps = libusb_get_max_packet_size(libusb_get_device(f->h), BAL_FTDI_EP_IN);
        if (mps > 2)
            f->packet_size = (size_t)mps;
        if (!(rc = setup_uart(f)))
            return &f->base;
        snprintf(err, errlen, "%s", f->base.error);
        *code = rc;
        libusb_release_interface(f->h, BAL_FTDI_INTERFACE);
    }
    libusb_close(f->h);
    libusb_exit(f->ctx);
    free(f);
    return NULL;
}
