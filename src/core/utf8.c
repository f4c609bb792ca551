#include "core/utf8.h"

#include <string.h>

/* Length of the valid sequence at s (at most n bytes), or 0 if it is invalid. */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp, min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = seq_len(p + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

size_t utf8_fix(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t n = strlen(s), i = 0, fixed = 0;
    while (i < n) {
        size_t k = seq_len(p + i, n - i);
        if (k) {
            i += k;
        } else {
            p[i++] = '?';
            fixed++;
        }
    }
    return fixed;
}

const char *utf8_fixed(const char *s, char *buf, size_t cap)
{
    if (!cap)
        return "";
    size_t n = strnlen(s, cap - 1);
    memcpy(buf, s, n);
    buf[n] = '\0';
    utf8_fix(buf);
    return buf;
}
