/* test.h: the checks of every C test program (one harness for the whole suite). A failed check
 * prints file:line, the condition and the optional printf-style message, and makes the program
 * exit 1 at the end (so one run reports every failure).
 *   CHECK(cond)                  CHECK(cond, "fmt", args...)   (CHECKF: the same, message required)
 *   REQUIRE(cond, "fmt", args...) a check that stops the program at once when it fails
 *   return TEST_DONE();           at the end of main */
#ifndef SACCADE_TEST_H
#define SACCADE_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int test_failures;

#define CHECKF(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            test_failures++;                                                                       \
        }                                                                                          \
    } while (0)

#define TEST_CHECK1_(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            test_failures++;                                                                       \
        }                                                                                          \
    } while (0)

/* CHECK(cond) or CHECK(cond, fmt, ...): picks TEST_CHECK1_ or CHECKF by the argument count
 * (up to 24 arguments), so messages keep their printf format checking. */
#define TEST_PICK_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17,     \
                   _18, _19, _20, _21, _22, _23, _24, NAME, ...)                                   \
    NAME
#define CHECK(...)                                                                                 \
    TEST_PICK_(__VA_ARGS__, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF,        \
               CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, CHECKF,     \
               CHECKF, CHECKF, CHECKF, CHECKF, CHECKF, TEST_CHECK1_, unused)                       \
    (__VA_ARGS__)

/* Evaluates cond once; stops the program (exit 1) when it fails. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: REQUIRE failed: %s: ", __FILE__, __LINE__, #cond);             \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define TEST_DONE()                                                                                \
    (test_failures ? (fprintf(stderr, "%d check(s) failed\n", test_failures), 1) : 0)

#endif
