#define _GNU_SOURCE
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int64_t bal_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t bal_now_ms(void)
{
    return bal_now_us() / 1000;
}

void bal_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

/* Decimal, or hex after 0x: a leading zero is not octal ("010" is ten). */
static bool parse_digits(const char *s, unsigned long long *v)
{
    char *end;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!isxdigit((unsigned char)*s) || (base == 10 && !isdigit((unsigned char)*s)))
        return false;
    errno = 0;
    *v = strtoull(s, &end, base);
    return !errno && !*end;
}

bool bal_parse_u32(const char *s, uint32_t *out)
{
    unsigned long long v;
    if (!s || !parse_digits(s, &v) || v > 0xFFFFFFFFull)
        return false;
    *out = (uint32_t)v;
    return true;
}

bool bal_parse_long(const char *s, long min, long max, long *out)
{
    unsigned long long v;
    bool neg = s && *s == '-';
    if (!s || !parse_digits(s + neg, &v) || v > (unsigned long long)LONG_MAX)
        return false;
    long sv = neg ? -(long)v : (long)v;
    if (sv < min || sv > max)
        return false;
    *out = sv;
    return true;
}

uint32_t bal_random_u32(void)
{
    uint32_t v;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v)
        return v;
    return (uint32_t)bal_now_us() ^ (uint32_t)getpid() * 2654435761u;
}

bool bal_parse_decimal(const char *s, double *out)
{
    char *end;
    if (!*s || strpbrk(s, "xXeEpPnNiI ") || isspace((unsigned char)*s))
        return false;
    errno = 0;
    *out = strtod(s, &end);
    return !*end && errno == 0;
}

char *bal_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}
