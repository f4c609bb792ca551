/* test.h: minimal checks for the C test programs. A failed CHECK prints file:line and the
 * condition and makes the program exit 1 at the end (so one run reports every failure). */
#ifndef SACCADE_TEST_H
#define SACCADE_TEST_H

#include <stdio.h>

static int test_failures;

#define CHECK(cond)                                                                             \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);           \
            test_failures++;                                                                    \
        }                                                                                       \
    } while (0)

#define CHECKF(cond, ...)                                                                       \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                       \
            fputc('\n', stderr);                                                                \
            test_failures++;                                                                    \
        }                                                                                       \
    } while (0)

#define TEST_DONE() (test_failures ? (fprintf(stderr, "%d check(s) failed\n", test_failures), 1) : 0)

#endif
