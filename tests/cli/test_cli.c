/* End-to-end checks of `saccade run` and the error paths, through the real binary.
 * usage: test_cli PATH_TO_SACCADE */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

static const char *exe;
static char tmpdir[256];

typedef struct Out {
    char *out, *err;
    int rc;
} Out;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t k = fread(b, 1, (size_t)n, f);
    b[k] = 0;
    fclose(f);
    return b;
}

/* Runs "saccade ARGS" with stdout and stderr captured. */
static Out run(const char *args)
{
    char cmd[4096], o[300], e[300];
    snprintf(o, sizeof o, "%s/out.txt", tmpdir);
    snprintf(e, sizeof e, "%s/err.txt", tmpdir);
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s'", exe, args, o, e);
    int st = system(cmd);
    Out r = {slurp(o), slurp(e), WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)};
    return r;
}

static void out_free(Out *o)
{
    free(o->out);
    free(o->err);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* A clean failure: exit 1 or 2, exactly one line on stderr starting "saccade", no sanitizer. */
static void expect_clean_error(const char *args)
{
    Out r = run(args);
    CHECKF(r.rc == 1 || r.rc == 2, "'%s' exit %d", args, r.rc);
    CHECKF(count_lines(r.err) == 1 && !strncmp(r.err, "saccade", 7), "'%s' stderr: %s", args,
           r.err);
    CHECKF(!strstr(r.err, "Sanitizer") && !strstr(r.err, "runtime error"), "'%s': %s", args, r.err);
    out_free(&r);
}

static cJSON *run_json(const char *args, char **raw)
{
    Out r = run(args);
    CHECKF(r.rc == 0, "'%s' exit %d: %s", args, r.rc, r.err);
    cJSON *j = cJSON_Parse(r.out);
    CHECKF(j != NULL, "'%s' printed no JSON", args);
    if (raw)
        *raw = strdup(r.out);
    out_free(&r);
    return j;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void test_digits_scanpath(void)
{
    cJSON *j = run_json("run --scene digits --objects 12 --seconds 10 --seed 1 --json", NULL);
    if (!j)
        return;
    const cJSON *objs = cJSON_GetObjectItem(j, "objects"),
                *fix = cJSON_GetObjectItem(j, "fixations");
    double ppd = num(j, "px_per_deg");
    int n_obj = cJSON_GetArraySize(objs), n_fix = cJSON_GetArraySize(fix);
    CHECKF(n_obj == 12, "objects %d", n_obj);
    int near = 0, visited[64] = {0}, distinct = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, fix)
    {
        double fx = num(f, "x"), fy = num(f, "y"), best = 1e30;
        int bi = -1, i = 0;
        const cJSON *o;
        cJSON_ArrayForEach(o, objs)
        {
            double d = hypot(num(o, "x") - fx, num(o, "y") - fy);
            if (d < best) {
                best = d;
                bi = i;
            }
            i++;
        }
        if (best <= ppd) {
            near++;
            if (!visited[bi]++)
                distinct++;
        }
        CHECK(isfinite(num(f, "x_deg")) && isfinite(num(f, "amplitude_deg")));
    }
    double frac = n_fix ? (double)near / n_fix : 0;
    printf("digits: %d fixations, %.1f%% within 1 deg of an object centre, %d distinct objects\n",
           n_fix, 100 * frac, distinct);
    CHECKF(frac >= 0.80, "only %.1f%% of fixations within 1 deg", 100 * frac);
    CHECKF(distinct >= 10, "only %d distinct objects visited", distinct);
    cJSON_Delete(j);
}

/* The saccades' timing as the fixation list shows it, against the published main sequence
 * (about 21 ms + 2.2 ms per degree): each saccade's duration is the gap between one fixation's
 * end and the next one's start, its amplitude the distance between their positions; neither
 * comes from the saccade_ms and amplitude_deg fields the eye computed. */
static void test_main_sequence_fit(void)
{
    cJSON *j = run_json("run --scene cluttered --seconds 20 --seed 3 --json", NULL);
    if (!j)
        return;
    double ppd = num(j, "px_per_deg");
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    const cJSON *f, *prev = NULL;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "fixations"))
    {
        if (prev) {
            double a = hypot(num(f, "x") - num(prev, "x"), num(f, "y") - num(prev, "y")) / ppd;
            double d = num(f, "start_ms") - num(prev, "end_ms");
            sx += a;
            sy += d;
            sxx += a * a;
            sxy += a * d;
            n++;
        }
        prev = f;
    }
    CHECKF(n >= 20, "only %d saccades", n);
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), icpt = (sy - slope * sx) / n;
    printf(
        "main sequence, measured over %d saccades: duration = %.2f ms + %.3f ms/deg x amplitude\n",
        n, icpt, slope);
    /* positions are rounded to 0.01 px */
    CHECKF(fabs(slope - 2.2) < 0.05 && fabs(icpt - 21) < 0.5, "fit %.3f + %.3f", icpt, slope);
    cJSON_Delete(j);
}

static void test_blank(void)
{
    cJSON *j = run_json("run --scene blank --seconds 5 --json", NULL);
    if (!j)
        return;
    const cJSON *sum = cJSON_GetObjectItem(j, "summary");
    const cJSON *eye = cJSON_GetObjectItem(sum, "eye");
    CHECK(cJSON_IsString(eye) && strstr(eye->valuestring, "stayed"));
    CHECK(num(sum, "saccades") == 0);
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "fixations"))
        CHECK(isfinite(num(f, "x")) && isfinite(num(f, "y")));
    cJSON_Delete(j);
    Out r = run("run --scene blank --seconds 2");
    CHECK(r.rc == 0 && strstr(r.out, "stayed"));
    out_free(&r);
}

static void test_determinism(void)
{
    char *a = NULL, *b = NULL, *c = NULL;
    cJSON *ja = run_json("run --scene motion --seconds 5 --seed 11 --json", &a);
    cJSON *jb = run_json("run --scene motion --seconds 5 --seed 11 --json", &b);
    cJSON *jc = run_json("run --scene motion --seconds 5 --seed 12 --json", &c);
    CHECK(a && b && !strcmp(a, b));
    if (ja && jc) {
        char *fa = cJSON_PrintUnformatted(cJSON_GetObjectItem(ja, "fixations"));
        char *fc = cJSON_PrintUnformatted(cJSON_GetObjectItem(jc, "fixations"));
        CHECK(strcmp(fa, fc) != 0);
        free(fa);
        free(fc);
    }
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    cJSON_Delete(jc);
    free(a);
    free(b);
    free(c);
}

static void test_bad_input(void)
{
    char args[1024], path[512];
    expect_clean_error("run --scene /nonexistent/file.png");
    expect_clean_error("run --scene /nonexistent/file.scene");
    snprintf(path, sizeof path, "%s/garbage.png", tmpdir);
    FILE *f = fopen(path, "wb");
    fputs("this is not a png at all", f);
    fclose(f);
    snprintf(args, sizeof args, "run --scene %s", path);
    expect_clean_error(args);
    snprintf(path, sizeof path, "%s/bad.scene", tmpdir);
    f = fopen(path, "w");
    fputs("# a scene\ndigit 3 100 100 28\nwobble 1 2 3\n", f);
    fclose(f);
    snprintf(args, sizeof args, "run --scene %s", path);
    Out r = run(args);
    CHECKF(r.rc == 1 && strstr(r.err, ":3"), "malformed line not named: %s", r.err);
    out_free(&r);
    expect_clean_error("run --size 0x0");
    expect_clean_error("run --size -5x100");
    expect_clean_error("run --size 100000x100000");
    expect_clean_error("run --seconds -1");
    expect_clean_error("run --seed banana");
    expect_clean_error("run --frobnicate");
    expect_clean_error("run --scene");
    expect_clean_error("run extra-argument");
    expect_clean_error("frobnicate");
    expect_clean_error("bench --ticks 0");
    /* a reader named by --model that cannot be read: an error, not a figure left out */
    snprintf(path, sizeof path, "%s/not-weights.wts", tmpdir);
    f = fopen(path, "w");
    fputs("not a weights file", f);
    fclose(f);
    snprintf(args, sizeof args, "bench --ticks 5 --model %s", path);
    expect_clean_error(args);
    /* natural text: a bad size is refused by name; a page is read in the bench, whose reading
     * step (once per fixation) is reported */
    expect_clean_error("run --scene words:99");
    expect_clean_error("run --scene text:abc");
    expect_clean_error("run --scene words --readers 9");
    r = run("bench --scene words --ticks 600 --json");
    cJSON *bj = r.rc == 0 ? cJSON_Parse(r.out) : NULL;
    cJSON *rs = bj ? cJSON_GetObjectItem(bj, "reading_step") : NULL;
    cJSON *nf = rs ? cJSON_GetObjectItem(rs, "fixations") : NULL;
    CHECKF(nf && nf->valuedouble >= 1, "bench --scene words: no reading step (rc %d: %s)", r.rc,
           r.err);
    cJSON_Delete(bj);
    out_free(&r);
    /* the bench reads with extra readers when asked, on pages only */
    r = run("bench --scene words --readers 2 --ticks 600 --json");
    bj = r.rc == 0 ? cJSON_Parse(r.out) : NULL;
    rs = bj ? cJSON_GetObjectItem(bj, "reading_step") : NULL;
    nf = rs ? cJSON_GetObjectItem(rs, "fixations") : NULL;
    CHECKF(nf && nf->valuedouble >= 1, "bench --readers 2: no reading step (rc %d: %s)", r.rc,
           r.err);
    cJSON_Delete(bj);
    out_free(&r);
    r = run("bench --scene motion --readers 2 --ticks 10");
    CHECKF(r.rc == 2 && strstr(r.err, "--readers"), "bench --readers off pages: rc %d: %s", r.rc,
           r.err);
    out_free(&r);
    r = run("--help");
    CHECK(r.rc == 0 && strstr(r.out, "run"));
    out_free(&r);
    r = run("run --help");
    CHECK(r.rc == 0 && strstr(r.out, "--seconds"));
    out_free(&r);
}

/* A scene file with digits and letters is read by both shipped models joined; its reads
 * include letters, its recording replays exactly; --model overrides. */
static void test_mixed_scene(void)
{
    char sp[400], rp[400], args[1200];
    snprintf(sp, sizeof sp, "%s/mixed.scene", tmpdir);
    snprintf(rp, sizeof rp, "%s/mixed.run", tmpdir);
    FILE *f = fopen(sp, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("size 480 240\nbackground 0.1\ndigit 3 80 60 28\ntext K 240 60 34\n"
          "digit 7 400 180 28\ntext R 80 180 34\ntext E 400 60 34\n",
          f);
    CHECK(fclose(f) == 0);
    snprintf(args, sizeof args, "run --scene '%s' --seconds 8 --seed 3 --json --record '%s'", sp,
             rp);
    cJSON *j = run_json(args, NULL);
    if (!j)
        return;
    const cJSON *model = cJSON_GetObjectItem(j, "model");
    CHECKF(cJSON_IsString(model) && !strcmp(model->valuestring, "mnist+chars"), "model %s",
           cJSON_IsString(model) ? model->valuestring : "?");
    int letters = 0, digits = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "reads"))
    {
        const cJSON *l = cJSON_GetObjectItem(r, "label"), *ok = cJSON_GetObjectItem(r, "correct");
        if (!cJSON_IsString(l) || !cJSON_IsTrue(ok))
            continue;
        letters += l->valuestring[0] >= 'A' && l->valuestring[0] <= 'Z';
        digits += l->valuestring[0] >= '0' && l->valuestring[0] <= '9';
    }
    CHECKF(letters >= 1 && digits >= 1, "correct reads: %d letters, %d digits", letters, digits);
    cJSON_Delete(j);
    snprintf(args, sizeof args, "replay '%s' --verify", rp);
    Out o = run(args);
    CHECKF(o.rc == 0 && strstr(o.out, "replay verified"), "replay of a joined-reader run: %d %s%s",
           o.rc, o.out, o.err);
    out_free(&o);
    snprintf(args, sizeof args, "run --scene '%s' --seconds 1 --model mnist --json", sp);
    j = run_json(args, NULL);
    if (j) {
        model = cJSON_GetObjectItem(j, "model");
        CHECKF(cJSON_IsString(model) && !strcmp(model->valuestring, "mnist"), "--model mnist: %s",
               cJSON_IsString(model) ? model->valuestring : "?");
        cJSON_Delete(j);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cli SACCADE\n");
        return 2;
    }
    exe = argv[1];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/saccade-test-cli-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    test_bad_input();
    test_blank();
    test_determinism();
    test_digits_scanpath();
    test_main_sequence_fit();
    test_mixed_scene();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return TEST_DONE();
}
