#include "core/paths.h"

#include <stdio.h>
#include <stdlib.h>

#include "config.h"

const char *paths_data_dir(void)
{
    const char *d = getenv("SACCADE_DATA_DIR");
    return (d && d[0]) ? d : SACCADE_DATA_DIR;
}

char *paths_data_file(char *buf, size_t n, const char *rel)
{
    int k = snprintf(buf, n, "%s/%s", paths_data_dir(), rel);
    return (k < 0 || (size_t)k >= n) ? NULL : buf;
}
