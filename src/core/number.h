/* number.h: the one parser of numbers written by people (command-line options, scene files).
 *
 * Plain decimal only, the whole string: an optional '-', digits, and for a real number an
 * optional fraction and exponent ("12", "-3", "0.5", ".5", "1e-3"). Everything else is
 * refused rather than guessed: blanks (leading or trailing), '+', hexadecimal ("0x10"), octal
 * (a leading 0 is decimal: "010" is 10), "inf", "nan", and values outside the type's range,
 * including a real number so small that it becomes 0 or loses precision (underflow).
 */
#ifndef SACCADE_CORE_NUMBER_H
#define SACCADE_CORE_NUMBER_H

#include <stdint.h>

typedef enum NumberStatus {
    NUMBER_OK = 0,
    NUMBER_SYNTAX = -1, /* not a plain decimal number */
    NUMBER_RANGE = -2,  /* a number, but it overflows or underflows the type */
} NumberStatus;

/* A non-negative integer (digits only). */
NumberStatus number_parse_u64(const char *s, uint64_t *out);
/* An integer, optionally negative. */
NumberStatus number_parse_long(const char *s, long *out);
/* A finite real number; a nonzero value must be a normal double (no underflow). */
NumberStatus number_parse_double(const char *s, double *out);
/* number_parse_double, then the value must be a normal float (or 0): 1e-300 is NUMBER_RANGE,
 * not 0. */
NumberStatus number_parse_float(const char *s, float *out);

#endif
