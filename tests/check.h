/* A small test harness: CHECK macros count per test; a test that checks nothing fails.
 * Each binary prints PASS/FAIL lines and ends with "N passed, N failed". */
#ifndef BAL_CHECK_H
#define BAL_CHECK_H

#include <inttypes.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

static int check_count, check_failures, tests_passed, tests_failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failures++;                                                          \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                              \
    } while (0)

#define CHECK_EQ(a, b)                                                                     \
    do {                                                                                   \
        uint64_t va_ = (uint64_t)(a), vb_ = (uint64_t)(b);                                 \
        check_count++;                                                                     \
        if (va_ != vb_) {                                                                  \
            check_failures++;                                                              \
            fprintf(stderr, "  %s:%d: %s == %s failed: 0x%" PRIx64 " != 0x%" PRIx64 "\n",  \
                    __FILE__, __LINE__, #a, #b, va_, vb_);                                  \
        }                                                                                  \
    } while (0)

/* Stops the current test when a check it depends on fails. */
#define REQUIRE(cond)   \
    do {                \
        int f_ = check_failures; \
        CHECK(cond);    \
        if (check_failures != f_) \
            return;     \
    } while (0)

/* TEST_ONLY=substring runs only the tests whose names contain it (for working on one). */
static inline void run_test(const char *name, void (*fn)(void))
{
    const char *only = getenv("TEST_ONLY");
    if (only && *only && !strstr(name, only))
        return;
    check_count = check_failures = 0;
    fn();
    if (check_count == 0) {
        fprintf(stderr, "  %s: asserted nothing\n", name);
        check_failures++;
    }
    if (check_failures) {
        printf("FAIL %s\n", name);
        tests_failed++;
    } else {
        printf("PASS %s (%d checks)\n", name, check_count);
        tests_passed++;
    }
    fflush(stdout);
}

#define RUN(fn) run_test(#fn, fn)

/* A small deterministic generator (xorshift32) so every run draws the same "random" data. */
static uint32_t check_rng = 2463534242u;

static inline uint32_t rnd(void)
{
    check_rng ^= check_rng << 13;
    check_rng ^= check_rng >> 17;
    check_rng ^= check_rng << 5;
    return check_rng;
}

/* A file's text into buf (cut at cap - 1 bytes; empty when it cannot be read) */
static inline void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
}

static inline int test_summary(void)
{
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed ? 1 : 0;
}

#endif
