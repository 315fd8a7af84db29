#include <stdio.h>
#include <string.h>

#include "transport.h"

struct bal_transport *bal_transport_open(const char *spec, char *err, size_t errlen, int *code)
{
    if (!strncmp(spec, "sim:", 4))
        return bal_sim_open(spec + 4, err, errlen, code);
    if (!strcmp(spec, "usb"))
        return bal_ftdi_open(NULL, err, errlen, code);
    if (!strncmp(spec, "usb:", 4) && spec[4])
        return bal_ftdi_open(spec + 4, err, errlen, code);
    snprintf(err, errlen, "device '%s': expected usb, usb:SERIAL or sim:PATH", spec);
    *code = BAL_ERR_USAGE;
    return NULL;
}
