/* replay_main: runs a fuzz harness once on each input named on the command line (files, or
 * folders whose files are all read), so that the seed corpora and every crash reproducer are
 * checked by `meson test` under ASan+UBSan, built with the ordinary compiler (no clang). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_one(const char *path, int *count)
{
    unsigned char *buf;
    size_t n;
    if (file_read_all(path, (size_t)64 << 20, &buf, &n) < 0) {
        fprintf(stderr, "replay: %s\n", sc_last_error());
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, n); /* aborts on a finding */
    free(buf);
    (*count)++;
    return 0;
}

int main(int argc, char **argv)
{
    int count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_one(argv[i], &count) < 0)
                return 1;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            perror(argv[i]);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
            if (run_one(p, &count) < 0) {
                closedir(d);
                return 1;
            }
        }
        closedir(d);
    }
    printf("fuzz replay: %d inputs ok\n", count);
    return 0;
}
