/* test_core: the error buffer, UTF-8 checks and the output helper (core/output.h).
 * Usage: test_core TMPDIR */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/output.h"
#include "core/utf8.h"
#include "test.h"

static const char *tmp;

static void tpath(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp, name);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_error_prefix(void)
{
    /* issue 13: sc_set_error(..., sc_last_error()) formatted the buffer into itself */
    sc_set_error("inner problem %d", 42);
    sc_set_error("%s: %s", "outer.run", sc_last_error());
    CHECKF(!strcmp(sc_last_error(), "outer.run: inner problem 42"), "%s", sc_last_error());
    sc_set_error("%s then %s", sc_last_error(), sc_last_error());
    CHECKF(!strcmp(sc_last_error(), "outer.run: inner problem 42 then outer.run: inner problem 42"),
           "%s", sc_last_error());
}

static void test_utf8(void)
{
    static const struct {
        const char *s;
        size_t bad_at;
    } cases[] = {
        {"plain", 5},        {"caf\xc3\xa9", 5},
        {"\xe2\x82\xac", 3}, {"\xf0\x9f\x98\x80", 4},
        {"a\xff", 1},        {"\xc0\xaf", 0},                         /* overlong */
        {"\xed\xa0\x80", 0}, /* surrogate */ {"\xf4\x90\x80\x80", 0}, /* > U+10FFFF */
        {"ab\xe2\x82", 2},   /* cut short */ {"\x80", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].s);
        CHECKF(utf8_invalid_at(cases[i].s, n) == cases[i].bad_at, "case %zu", i);
        char b[16];
        snprintf(b, sizeof b, "%s", cases[i].s);
        utf8_fix(b);
        CHECKF(strlen(b) == n && utf8_invalid_at(b, n) == n, "fix case %zu", i);
    }
    char b[8];
    utf8_fixed("ab\xe2\x82\xac\xe2\x82\xac", b, 5); /* cut inside the euro sign */
    CHECKF(!strcmp(b, "ab??"), "%s", b);
}

static void test_output(void)
{
    char p[1024], q[1024];
    /* a normal output: written through a temporary, renamed into place */
    tpath(p, sizeof p, "out.txt");
    unlink(p);
    Output *o = output_open(p, NULL, 0);
    CHECK(o != NULL);
    if (o) {
        CHECK(strstr(output_temp_path(o), "/.out.txt.") != NULL);
        CHECK(file_size(p) < 0); /* nothing at the target before the commit */
        fputs("hello\n", output_stream(o));
        CHECK(output_commit(&o) == 0 && o == NULL);
    }
    CHECK(file_size(p) == 6);
    /* replacing a regular file is fine; an abort leaves the old one */
    o = output_open(p, NULL, 0);
    if (o) {
        fputs("changed", output_stream(o));
        output_abort(&o);
    }
    CHECK(file_size(p) == 6);
    /* output = input, also under another spelling */
    tpath(q, sizeof q, "./out.txt");
    const char *in[] = {NULL, q};
    CHECK(output_check(p, in, 2) < 0 && strstr(sc_last_error(), "input"));
    /* devices, FIFOs, folders and symbolic links are refused */
    CHECK(output_check("/dev/full", NULL, 0) < 0 && strstr(sc_last_error(), "not a regular"));
    CHECK(output_check("/dev/null", NULL, 0) < 0);
    tpath(q, sizeof q, "fifo");
    unlink(q);
    CHECK(mkfifo(q, 0600) == 0 && output_check(q, NULL, 0) < 0);
    CHECK(output_open_locked(q, NULL, 0) == NULL); /* and never blocks */
    unlink(q);
    CHECK(output_check(tmp, NULL, 0) < 0);
    tpath(q, sizeof q, "link.txt");
    unlink(q);
    CHECK(symlink(p, q) == 0 && output_check(q, NULL, 0) < 0 && strstr(sc_last_error(), "link"));
    CHECK(output_open_locked(q, NULL, 0) == NULL);
    /* a missing folder is an error, never created */
    tpath(q, sizeof q, "missing/x.txt");
    CHECK(output_check(q, NULL, 0) < 0 && strstr(sc_last_error(), "does not exist"));
    tpath(q, sizeof q, "missing");
    CHECK(file_size(q) < 0);
    /* a write that fails is reported at the commit and leaves the target as it was */
    if (access("/dev/full", W_OK) == 0) {
        o = output_open(p, NULL, 0);
        if (o) {
            /* point the stream at /dev/full under the temporary's name */
            int fd = open("/dev/full", O_WRONLY);
            fflush(output_stream(o));
            dup2(fd, fileno(output_stream(o)));
            close(fd);
            fputs("lost bytes", output_stream(o));
            CHECK(output_commit(&o) < 0 && strstr(sc_last_error(), "write failed"));
        }
        CHECK(file_size(p) == 6);
    }
    /* a second locked writer fails at once and does not truncate */
    tpath(q, sizeof q, "locked.run");
    FILE *a = output_open_locked(q, NULL, 0);
    CHECK(a != NULL);
    if (a) {
        fputs("abc", a);
        fflush(a);
        FILE *b = output_open_locked(q, NULL, 0);
        CHECK(b == NULL && strstr(sc_last_error(), "another process"));
        CHECK(file_size(q) == 3);
        fclose(a);
    }
    /* leftovers: no temporary remains in the folder */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q '^\\.out\\.txt\\.'", tmp);
    CHECK(system(cmd) != 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_core TMPDIR\n");
        return 2;
    }
    tmp = argv[1];
    mkdir(tmp, 0777);
    test_error_prefix();
    test_utf8();
    test_output();
    return TEST_DONE();
}
