#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

int file_read_all(const char *path, size_t max, unsigned char **data, size_t *n)
{
    *data = NULL;
    *n = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        sc_set_error("%s: cannot open (%s)", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        sc_set_error("%s: not a regular file", path);
        close(fd);
        return -1;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        sc_set_error("%s: cannot open (%s)", path, strerror(errno));
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > (unsigned long long)max) {
        sc_set_error("%s: file larger than %zu bytes", path, max);
        fclose(f);
        return -1;
    }
    size_t cap = 0, len = 0;
    unsigned char *buf = NULL;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > max + 1)
                ncap = max + 1;
            if (ncap <= len) {
                sc_set_error("%s: file larger than %zu bytes", path, max);
                goto fail;
            }
            unsigned char *nb = realloc(buf, ncap);
            if (!nb) {
                sc_set_error("%s: out of memory", path);
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                sc_set_error("%s: read error", path);
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    if (len > max) {
        free(buf);
        sc_set_error("%s: file larger than %zu bytes", path, max);
        return -1;
    }
    if (!buf) {
        buf = malloc(1);
        if (!buf) {
            sc_set_error("%s: out of memory", path);
            return -1;
        }
    }
    *data = buf;
    *n = len;
    return 0;
fail:
    free(buf);
    fclose(f);
    return -1;
}
