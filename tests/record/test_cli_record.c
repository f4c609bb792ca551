/* test_cli_record: `saccade info`, `saccade export`, `saccade replay --verify` as a user runs
 * them: exit codes (0 ok, 1 failed, 2 usage), one-line errors for bad files, the torn-tail
 * note, the newer-version refusal naming both versions.
 * Usage: test_cli_record SACCADE RECORD_TOOL TMPDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "core/log.h"
#include "record/record.h"
#include "sample_run.h"
#include "test.h"

static const char *bin, *tmp;
static char out[1 << 16];

/* Runs a shell command, captures stdout+stderr into out; returns the exit code. */
static int run(const char *fmt, const char *a, const char *b)
{
    char cmd[4096];
    char inner[3000];
    snprintf(inner, sizeof inner, fmt, a ? a : "", b ? b : "");
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", bin, inner);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static int copy_cut(const char *src, const char *dst, long cut, long flip_at)
{
    FILE *f = fopen(src, "rb");
    if (!f)
        return -1;
    static unsigned char b[1 << 22];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (cut > 0 && (size_t)cut < n)
        n -= (size_t)cut;
    if (flip_at >= 0 && (size_t)flip_at < n)
        b[flip_at] ^= 0x5a;
    f = fopen(dst, "wb");
    if (!f)
        return -1;
    fwrite(b, 1, n, f);
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_cli_record SACCADE RECORD_TOOL TMPDIR\n");
        return 2;
    }
    bin = argv[1];
    tmp = argv[3];
    mkdir(tmp, 0777);
    char good[1024], torn[1024], newer[1024], corrupt[1024], csv[1024], json[1024], cmd[4096];
    snprintf(good, sizeof good, "%s/cli-good.run", tmp);
    snprintf(torn, sizeof torn, "%s/cli-torn.run", tmp);
    snprintf(newer, sizeof newer, "%s/cli-newer.run", tmp);
    snprintf(corrupt, sizeof corrupt, "%s/cli-corrupt.run", tmp);
    snprintf(csv, sizeof csv, "%s/cli.csv", tmp);
    snprintf(json, sizeof json, "%s/cli.json", tmp);
    snprintf(cmd, sizeof cmd, "'%s' --out '%s' --scene letters --seconds 8 --seed 5 --manual",
             argv[2], good);
    CHECK(system(cmd) == 0);

    CHECK(run("info '%s'", good, NULL) == 0);
    CHECKF(strstr(out, "format version:  5") && strstr(out, "letters") &&
               strstr(out, "800 ticks, 8.00 s") && strstr(out, "closed cleanly:  yes"),
           "%s", out);
    CHECK(run("replay '%s' --verify", good, NULL) == 0);
    CHECKF(strstr(out, "replay verified: 800 ticks") && lines(out) == 1, "%s", out);
    CHECK(run("export '%s' --csv '%s'", good, csv) == 0);
    CHECK(run("export '%s' --json '%s'", good, json) == 0);
    CHECK(run("export '%s' --csv -", good, NULL) == 0);
    CHECKF(!strncmp(out, "index,start_ms,end_ms,duration_ms,x_px,y_px,x_deg,y_deg,", 56), "%s",
           out);

    /* torn tail: 9 bytes cut from the end; reads, with one warning line */
    CHECK(copy_cut(good, torn, 9, -1) == 0);
    CHECK(run("replay '%s' --verify", torn, NULL) == 0);
    CHECKF(strstr(out, "saccade: warning: ") && strstr(out, "torn tail") && lines(out) == 2, "%s",
           out);
    CHECK(run("info '%s'", torn, NULL) == 0);
    CHECKF(strstr(out, "closed cleanly:  no") && strstr(out, "note:") && strstr(out, "torn"), "%s",
           out);

    /* newer format version: refused, both versions named, one line */
    CHECK(copy_cut(good, newer, 0, -1) == 0);
    {
        FILE *f = fopen(newer, "r+b");
        unsigned char v = (unsigned char)(RUN_FORMAT_VERSION + 1);
        CHECK(f && fseek(f, 8, SEEK_SET) == 0 && fwrite(&v, 1, 1, f) == 1);
        if (f)
            fclose(f);
    }
    CHECK(run("replay '%s' --verify", newer, NULL) == 1);
    {
        char want[96];
        snprintf(want, sizeof want, "version %d is newer than this build's version %d",
                 RUN_FORMAT_VERSION + 1, RUN_FORMAT_VERSION);
        CHECKF(strstr(out, want) && lines(out) == 1, "%s", out);
    }
    CHECK(run("info '%s'", newer, NULL) == 1);
    CHECK(run("export '%s' --csv -", newer, NULL) == 1);

    /* corrupt byte in the middle: one line, exit 1 */
    CHECK(copy_cut(good, corrupt, 0, 700) == 0);
    CHECK(run("replay '%s' --verify", corrupt, NULL) == 1);
    CHECKF(!strncmp(out, "saccade: ", 9) && lines(out) == 1, "%s", out);
    CHECK(run("info '%s'", "/nonexistent/x.run", NULL) == 1);
    CHECKF(strstr(out, "No such file") && lines(out) == 1, "%s", out);
    CHECK(run("info '%s'", argv[0], NULL) == 1); /* not a run file */
    CHECKF(strstr(out, "not a saccade run file") && lines(out) == 1, "%s", out);

    /* a changed saccade command: exit 1, one line naming the tick */
    {
        char tampered[1024];
        snprintf(tampered, sizeof tampered, "%s/cli-tampered.run", tmp);
        RunFile *rf = runfile_read(good);
        uint64_t tick = 0;
        CHECKF(rf && sample_write_tampered(rf, tampered, 2, &tick) == 0, "%s", sc_last_error());
        runfile_free(&rf);
        char want[64];
        snprintf(want, sizeof want, "replay diverged at tick ");
        CHECK(run("replay '%s' --verify", tampered, NULL) == 1);
        CHECKF(strstr(out, want) && lines(out) == 1, "%s", out);
        long at = strstr(out, want) ? atol(strstr(out, want) + strlen(want)) : -1;
        CHECKF(at >= (long)tick && at <= (long)tick + 100, "input at %llu, reported %ld",
               (unsigned long long)tick, at);
    }

    /* usage errors */
    CHECK(run("replay", NULL, NULL) == 2);
    CHECK(run("replay '%s' --verify --bench-seek", good, NULL) == 2);
    CHECK(run("replay '%s' --speed 100", good, NULL) == 2);
    CHECK(run("export '%s'", good, NULL) == 2);
    CHECK(run("export '%s' --csv a --json b", good, NULL) == 2);
    CHECK(run("info '%s' --bogus", good, NULL) == 2);
    CHECK(run("info --help", NULL, NULL) == 0);
    return TEST_DONE();
}
