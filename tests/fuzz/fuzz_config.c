/* libFuzzer harness: configuration files (host/config.c). Any text either parses, and then
 * prints in a form that parses back to the same settings, or is refused with "LINE: why", the
 * line within the text; nothing is read out of bounds. Build: make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static unsigned lines_of(const char *text)
{
    unsigned n = 1;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0; /* a NUL inside ends the text early, as a C string does */
    struct bal_config c, back;
    char err[300] = "";
    if (!bal_config_parse(text, &c, err, sizeof err)) {
        char *end;
        unsigned long line = strtoul(err, &end, 10);
        if (end == err || *end != ':' || line < 1 || line > lines_of(text))
            abort(); /* every refusal names a line of the text */
    } else {
        char *printed = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&printed, &len);
        bal_config_print(f, &c);
        fclose(f);
        if (!bal_config_parse(printed, &back, err, sizeof err))
            abort(); /* what print writes, parse reads */
        for (unsigned k = 0; k < BAL_CFG_KEYS; k++)
            if (back.given[k] != c.given[k] || (c.given[k] && back.value[k] != c.value[k]))
                abort(); /* and it is the same settings */
        free(printed);
    }
    free(text);
    return 0;
}
