/* A byte pipe to a device. The protocol layer sees only this. */
#ifndef BAL_TRANSPORT_H
#define BAL_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

/* Error codes shared by the transports, the link and balctl's exit codes. */
enum bal_err {
    BAL_OK = 0,
    BAL_ERR_USAGE = -1,     /* bad argument */
    BAL_ERR_NODEV = -2,     /* no device, several without a serial, no permission */
    BAL_ERR_IO = -3,        /* transport failure, or no answer after every retry */
    BAL_ERR_PROTO = -4,     /* answers that make no sense (wrong ID, malformed replies) */
    BAL_ERR_DEVICE = -5,    /* the device answered with an error status */
};

struct bal_transport;

struct bal_transport_ops {
    /* Writes all n bytes or fails. */
    int (*write)(struct bal_transport *t, const uint8_t *p, size_t n);
    /* Reads what is there, waiting up to timeout_ms for the first byte.
     * Returns the count (0 on timeout) or a negative bal_err. */
    int (*read)(struct bal_transport *t, uint8_t *p, size_t n, int timeout_ms);
    void (*close)(struct bal_transport *t);
};

struct bal_transport {
    const struct bal_transport_ops *ops;
    char name[128];  /* for messages: "sim:/tmp/x.sock", "usb:FT4ABC12" */
    char error[256]; /* why the last call failed, one line */
};

/* Opens "sim:PATH", "usb" or "usb:SERIAL". On failure returns NULL and fills err. */
struct bal_transport *bal_transport_open(const char *spec, char *err, size_t errlen, int *code);

/* balsim greets each client with one line before the first UART byte: the ready line, or the
 * busy prefix and a reason (it serves one client at a time). */
#define BAL_SIM_READY "balsim ready"
#define BAL_SIM_BUSY "balsim busy: "
#define BAL_SIM_GREETING_MAX 200
#define BAL_SIM_GREETING_MS 3000

struct bal_transport *bal_sim_open(const char *path, char *err, size_t errlen, int *code);
struct bal_transport *bal_ftdi_open(const char *serial, char *err, size_t errlen, int *code);

#endif
