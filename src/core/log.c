#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[512];

void sc_set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof(last_error), fmt, ap);
    va_end(ap);
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
