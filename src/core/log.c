#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[512];

void sc_set_error(const char *fmt, ...)
{
    /* Formatted into a scratch buffer first: callers may pass sc_last_error() as an argument
     * ("%s: %s", path, sc_last_error()), which must not be overwritten while it is read. */
    char buf[sizeof(last_error)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    memcpy(last_error, buf, sizeof(buf));
}

const char *sc_last_error(void)
{
    return last_error[0] ? last_error : "unknown error";
}

void sc_log_error(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(stderr, "saccade: %s\n", buf);
}

void sc_log_warn(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(stderr, "saccade: warning: %s\n", buf);
}
