#include "cli/cli_util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/image.h"

int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    /* digits only: strtoull alone would skip blanks and wrap ' -1' to 2^64 - 1 */
    if (!s || !(*s >= '0' && *s <= '9')) {
        fprintf(stderr, "saccade %s: %s: '%s' is not a non-negative integer\n", cmd, opt,
                s ? s : "");
        return -1;
    }
    unsigned long long v = strtoull(s, &end, 0);
    if (*end) {
        fprintf(stderr, "saccade %s: %s: '%s' is not a non-negative integer\n", cmd, opt, s);
        return -1;
    }
    if (errno == ERANGE) {
        fprintf(stderr, "saccade %s: %s: '%s' is larger than %llu\n", cmd, opt, s,
                (unsigned long long)UINT64_MAX);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_int(const char *cmd, const char *opt, const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end) {
        fprintf(stderr, "saccade %s: %s: '%s' is not an integer\n", cmd, opt, s ? s : "");
        return -1;
    }
    if (errno || v < lo || v > hi) {
        fprintf(stderr, "saccade %s: %s: %s is out of range %d..%d\n", cmd, opt, s, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int cli_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi,
                     double *out)
{
    char *end;
    errno = 0;
    double v = s ? strtod(s, &end) : 0;
    if (!s || !*s || *end || v != v) {
        fprintf(stderr, "saccade %s: %s: '%s' is not a number\n", cmd, opt, s ? s : "");
        return -1;
    }
    if (errno || !(v >= lo && v <= hi)) {
        fprintf(stderr, "saccade %s: %s: %s is out of range %g..%g\n", cmd, opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_size(const char *cmd, const char *opt, const char *s, int *w, int *h)
{
    long a, b;
    char x, extra;
    if (!s || sscanf(s, "%ld%c%ld%c", &a, &x, &b, &extra) != 3 || (x != 'x' && x != 'X') ||
        a < 16 || b < 16 || a > IMAGE_MAX_SIDE || b > IMAGE_MAX_SIDE) {
        fprintf(stderr, "saccade %s: %s: '%s' is not WxH with sides in 16..%d\n", cmd, opt,
                s ? s : "", IMAGE_MAX_SIDE);
        return -1;
    }
    *w = (int)a;
    *h = (int)b;
    return 0;
}

int cli_bad_option(const char *cmd, char **argv, int optind_)
{
    fprintf(stderr, "saccade %s: unknown or incomplete option '%s' (try 'saccade %s --help')\n", cmd,
            argv[optind_ - 1], cmd);
    return 2;
}

int cli_no_positionals(const char *cmd, int argc, char **argv, int optind_)
{
    if (optind_ < argc) {
        fprintf(stderr, "saccade %s: unexpected argument '%s' (try 'saccade %s --help')\n", cmd,
                argv[optind_], cmd);
        return -1;
    }
    return 0;
}

const char *cli_one_file(const char *cmd, int argc, char **argv, int optind_)
{
    if (optind_ != argc - 1) {
        fprintf(stderr, "saccade %s: %s (try 'saccade %s --help')\n", cmd,
                optind_ >= argc ? "needs a run file" : "takes one run file", cmd);
        return NULL;
    }
    return argv[optind_];
}

double cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

double cli_thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}
