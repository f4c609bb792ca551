/* vtest.h: tiny assertion helpers for the vision tests. */
#ifndef SACCADE_TESTS_VTEST_H
#define SACCADE_TESTS_VTEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int vtest_failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
            vtest_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* Evaluates cond once; stops the test when it fails. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        int vtest_ok_ = (cond) ? 1 : 0;                                                            \
        CHECK(vtest_ok_, __VA_ARGS__);                                                             \
        if (!vtest_ok_)                                                                            \
            exit(1);                                                                               \
    } while (0)

static inline int vtest_finish(const char *name)
{
    if (vtest_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, vtest_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif
