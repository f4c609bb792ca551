#include "cli/cli_util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/image.h"
#include "core/number.h"
#include "v1/plasticity.h"

int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
    /* decimal digits only: no blanks, sign, octal or hex (core/number.h) */
    NumberStatus st = number_parse_u64(s, out);
    if (st == NUMBER_SYNTAX)
        fprintf(stderr, "saccade %s: %s: '%s' is not a non-negative decimal integer\n", cmd, opt,
                s ? s : "");
    else if (st == NUMBER_RANGE)
        fprintf(stderr, "saccade %s: %s: '%s' is larger than %llu\n", cmd, opt, s,
                (unsigned long long)UINT64_MAX);
    return st == NUMBER_OK ? 0 : -1;
}

int cli_parse_int(const char *cmd, const char *opt, const char *s, int lo, int hi, int *out)
{
    long v = 0;
    NumberStatus st = number_parse_long(s, &v);
    if (st == NUMBER_SYNTAX) {
        fprintf(stderr, "saccade %s: %s: '%s' is not a decimal integer\n", cmd, opt, s ? s : "");
        return -1;
    }
    if (st == NUMBER_RANGE || v < lo || v > hi) {
        fprintf(stderr, "saccade %s: %s: %s is out of range %d..%d\n", cmd, opt, s, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int cli_parse_int_list(const char *s, int lo, int hi, int *out, int max)
{
    int n = 0;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < lo || v > hi || n == max || (*end && *end != ','))
            return -1;
        out[n++] = (int)v;
        s = *end ? end + 1 : end;
    }
    return n;
}

int cli_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi,
                     double *out)
{
    double v = 0;
    NumberStatus st = number_parse_double(s, &v);
    if (st == NUMBER_SYNTAX) {
        fprintf(stderr, "saccade %s: %s: '%s' is not a decimal number\n", cmd, opt, s ? s : "");
        return -1;
    }
    if (st == NUMBER_RANGE || !(v >= lo && v <= hi)) {
        fprintf(stderr, "saccade %s: %s: %s is out of range %g..%g\n", cmd, opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_size(const char *cmd, const char *opt, const char *s, int *w, int *h)
{
    /* "WxH", both plain decimal (core/number.h): no blanks, signs or hex */
    char a[32] = "", b[32] = "";
    const char *x = s ? strpbrk(s, "xX") : NULL;
    long vw = 0, vh = 0;
    if (!x || (size_t)(x - s) >= sizeof a || strlen(x + 1) >= sizeof b) {
        vw = -1;
    } else {
        memcpy(a, s, (size_t)(x - s));
        snprintf(b, sizeof b, "%s", x + 1);
        if (number_parse_long(a, &vw) != NUMBER_OK || number_parse_long(b, &vh) != NUMBER_OK)
            vw = -1;
    }
    if (vw < SCENE_MIN_SIDE || vh < SCENE_MIN_SIDE || vw > IMAGE_MAX_SIDE || vh > IMAGE_MAX_SIDE) {
        fprintf(stderr, "saccade %s: %s: '%s' is not WxH with sides in %d..%d\n", cmd, opt,
                s ? s : "", SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        return -1;
    }
    *w = (int)vw;
    *h = (int)vh;
    return 0;
}

int cli_bad_option(const char *cmd, char **argv, int optind_)
{
    fprintf(stderr, "saccade %s: unknown or incomplete option '%s' (try 'saccade %s --help')\n",
            cmd, argv[optind_ - 1], cmd);
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

double cli_process_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

int cli_parse_goggles(const char *cmd, const char *s, int *flip)
{
    static const char *const names[] = {"off", "lr", "ud", "rot180"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *flip = i; /* bit 0 RETINA_FLIP_X (lr), bit 1 RETINA_FLIP_Y (ud) */
            return 0;
        }
    fprintf(stderr, "saccade %s: --goggles: '%s' is not off, ud, lr or rot180\n", cmd, s);
    return -1;
}

int cli_parse_goggles_on(const char *cmd, const char *s, int *flip)
{
    if (cli_parse_goggles(cmd, s, flip) < 0)
        return -1;
    if (!*flip) {
        fprintf(stderr, "saccade %s: --goggles: off measures nothing\n", cmd);
        return -1;
    }
    return 0;
}

int cli_parse_plasticity(const char *cmd, const char *s, int *mode)
{
    int m = plasticity_mode_parse(s);
    if (m < 0) {
        fprintf(stderr, "saccade %s: --plasticity: '%s' is not off, untied or tied\n", cmd, s);
        return -1;
    }
    *mode = m;
    return 0;
}

int cli_parse_split(const char *cmd, const char *s, int *split_val)
{
    if (strcmp(s, "test") && strcmp(s, "val")) {
        fprintf(stderr, "saccade %s: --split: '%s' is not test or val\n", cmd, s);
        return -1;
    }
    *split_val = !strcmp(s, "val");
    return 0;
}

int cli_parse_on_off(const char *cmd, const char *opt, const char *s, int *on)
{
    if (strcmp(s, "on") && strcmp(s, "off")) {
        fprintf(stderr, "saccade %s: %s: on or off, not '%s'\n", cmd, opt, s);
        return -1;
    }
    *on = !strcmp(s, "on");
    return 0;
}

const char *cli_goggles_name(int flip)
{
    static const char *const names[] = {"off", "lr", "ud", "rot180"};
    return flip >= 0 && flip < 4 ? names[flip] : "?";
}
