#ifndef BAL_UTIL_H
#define BAL_UTIL_H

#include <stdbool.h>
#include <stdint.h>

/* Monotonic milliseconds / microseconds. */
int64_t bal_now_ms(void);
int64_t bal_now_us(void);
void bal_sleep_ms(int ms);

/* Strict whole-string parses: decimal or 0x-hex (a leading zero is not octal), no trailing
 * junk, no spaces, range checked; only bal_parse_long takes a minus sign. */
bool bal_parse_u32(const char *s, uint32_t *out);
bool bal_parse_long(const char *s, long min, long max, long *out);

/* A decimal number and nothing else: no hex, exponent, inf, nan or spaces. */
bool bal_parse_decimal(const char *s, double *out);

/* s without the white space at either end (cut in place). */
char *bal_trim(char *s);

/* A random 32-bit value from the kernel, falling back on time and pid. */
uint32_t bal_random_u32(void);

#endif
