#include "core/number.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Number of characters of an optional '-' and at least one digit; 0 when there is none. */
static int int_syntax(const char *s, int allow_minus)
{
    int i = 0;
    if (allow_minus && s[0] == '-')
        i = 1;
    if (!is_digit(s[i]))
        return 0;
    while (is_digit(s[i]))
        i++;
    return s[i] ? 0 : i;
}

static int real_syntax(const char *s)
{
    int i = s[0] == '-' ? 1 : 0, digits = 0;
    while (is_digit(s[i]))
        i++, digits++;
    if (s[i] == '.') {
        i++;
        while (is_digit(s[i]))
            i++, digits++;
    }
    if (!digits)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '-' || s[i] == '+')
            i++;
        if (!is_digit(s[i]))
            return 0;
        while (is_digit(s[i]))
            i++;
    }
    return s[i] == '\0';
}

NumberStatus number_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !int_syntax(s, 0))
        return NUMBER_SYNTAX;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE || v > UINT64_MAX)
        return NUMBER_RANGE;
    *out = (uint64_t)v;
    return NUMBER_OK;
}

NumberStatus number_parse_long(const char *s, long *out)
{
    if (!s || !int_syntax(s, 1))
        return NUMBER_SYNTAX;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno == ERANGE)
        return NUMBER_RANGE;
    *out = v;
    return NUMBER_OK;
}

NumberStatus number_parse_double(const char *s, double *out)
{
    if (!s || !real_syntax(s))
        return NUMBER_SYNTAX;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE || !isfinite(v) || (v != 0.0 && fabs(v) < DBL_MIN))
        return NUMBER_RANGE;
    *out = v;
    return NUMBER_OK;
}

NumberStatus number_parse_float(const char *s, float *out)
{
    double v;
    NumberStatus st = number_parse_double(s, &v);
    if (st != NUMBER_OK)
        return st;
    if (fabs(v) > FLT_MAX || (v != 0.0 && fabs(v) < FLT_MIN))
        return NUMBER_RANGE;
    *out = (float)v;
    return NUMBER_OK;
}
