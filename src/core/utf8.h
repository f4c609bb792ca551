/* utf8.h: text that comes from an input (run files, scene files, weights files) is valid UTF-8
 * before it goes anywhere else (JSON through cJSON, the window's text), so that no output
 * carries invalid UTF-8 from an input. Valid means RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no truncated sequence.
 */
#ifndef SACCADE_CORE_UTF8_H
#define SACCADE_CORE_UTF8_H

#include <stddef.h>

/* Byte offset of the first invalid sequence in s[0..n), or n when all of it is valid. */
size_t utf8_invalid_at(const char *s, size_t n);
/* Replaces, in place, every byte of an invalid sequence in the NUL-terminated s with '?'
 * (length unchanged, so fixed buffers stay fixed). Returns the number of bytes replaced. */
size_t utf8_fix(char *s);
/* A fixed copy of s in buf (cap bytes; cut if longer, the cut fixed too): for text that must
 * stay as it is elsewhere, such as a file path that is also shown in JSON. Returns buf. */
const char *utf8_fixed(const char *s, char *buf, size_t cap);

#endif
