/* test_runfile: the run file format layer without a Sim: round trip (v2 raw and deflated, v1),
 * the committed v1 fixture, newer version refused naming both versions, every byte flipped and
 * every truncation giving a correct read, a torn-tail read of a prefix, or a one-line error.
 *
 *   test_runfile                       run the tests
 *   test_runfile --write-fixture FILE  write the v1 fixture (done once; it is committed)
 *   test_runfile --write-corpus DIR    write fuzz seed files
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"
#include "record/record.h"
#include "sample_run.h"
#include "test.h"

static int events_equal(const RunEvent *a, const RunEvent *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static int one_line(const char *msg)
{
    return msg && msg[0] && !strchr(msg, '\n');
}

static void test_round_trip(uint32_t version, int compress, int with_state)
{
    SampleRun s;
    if (sample_build(&s, version, 5, 100, 40, compress, with_state, 1) < 0) {
        CHECK(0, "sample_build v%u", version);
        return;
    }
    RunFile *rf = runfile_parse(s.bytes, s.n, "rt.run");
    CHECK(rf, "v%u compress %d: %s", version, compress, sc_last_error());
    if (!rf) {
        sample_free(&s);
        return;
    }
    RunHeader h;
    sample_header(&h, with_state);
    CHECK(rf->header.version == version, "version %u", rf->header.version);
    CHECK(!strcmp(rf->header.program_version, h.program_version), "program version");
    CHECK(rf->header.config_hash == h.config_hash && rf->header.seed == h.seed, "hashes");
    CHECK(rf->header.tick_ms == h.tick_ms && rf->header.px_per_deg == h.px_per_deg, "tick");
    CHECK(rf->header.world_w == 1280 && rf->header.world_h == 720, "world");
    if (version >= RUN_FORMAT_V3)
        CHECK(rf->header.fovea_size == h.fovea_size &&
                  rf->header.ior_radius_deg == h.ior_radius_deg &&
                  rf->header.ior_decay_ms == h.ior_decay_ms &&
                  rf->header.fix_mean_ms == h.fix_mean_ms &&
                  rf->header.saliency_method == h.saliency_method,
              "v3 runtime parameters");
    /* v4: the pursuit flag round-trips; older files mean pursuit off */
    CHECK(rf->header.pursuit == (version >= RUN_FORMAT_V4 ? h.pursuit : 0), "v%u pursuit %u",
          version, rf->header.pursuit);
    CHECK(rf->header.start_tick == h.start_tick && rf->header.state_size == h.state_size, "start");
    if (with_state)
        CHECK(rf->header.start_state &&
                  !memcmp(rf->header.start_state, h.start_state, h.state_size),
              "start state");
    CHECK(rf->n_events == s.n_events, "%zu events, wrote %zu", rf->n_events, s.n_events);
    CHECK(events_equal(rf->events, s.events, s.n_events), "events differ");
    CHECK(rf->complete == 1 && rf->torn_note[0] == '\0', "complete, no torn note");
    CHECK(rf->end_tick == s.end_tick, "end tick %llu", (unsigned long long)rf->end_tick);
    CHECK(rf->n_chunks == 5, "chunks %zu", rf->n_chunks);
    size_t nf = 0;
    for (size_t i = 0; i < s.n_events; i++)
        if (s.events[i].type == RUN_EV_FIXATION) {
            const RunFixation *f = runfile_fixation(rf, nf++);
            CHECK(f && !memcmp(f, &s.events[i].u.fixation, sizeof *f), "fixation %zu", nf);
        }
    CHECK(rf->n_fixations == nf && runfile_fixation(rf, nf) == NULL, "fixation count");
    runfile_free(&rf);
    CHECK(rf == NULL, "free nulls");
    sample_free(&s);
}

/* A read of a damaged file is correct if it fails with one line, or gives the original, or
 * gives a prefix of the original (whole chunks) with a one-line torn note. */
static int check_damaged(const uint8_t *bytes, size_t n, const SampleRun *orig, int *n_err,
                         int *n_torn, int *n_same)
{
    RunFile *rf = runfile_parse(bytes, n, "damaged.run");
    if (!rf) {
        (*n_err)++;
        return one_line(sc_last_error());
    }
    int ok = rf->n_events <= orig->n_events && events_equal(rf->events, orig->events, rf->n_events);
    if (rf->torn_note[0]) {
        (*n_torn)++;
        ok = ok && one_line(rf->torn_note) && rf->end_tick < orig->end_tick;
    } else {
        (*n_same)++;
        ok = ok && rf->n_events == orig->n_events && rf->end_tick == orig->end_tick;
    }
    runfile_free(&rf);
    return ok;
}

static void test_flips_and_truncations(int compress)
{
    SampleRun s;
    if (sample_build(&s, RUN_FORMAT_VERSION, 4, 100, 12, compress, 1, 1) < 0) {
        CHECK(0, "sample_build");
        return;
    }
    uint8_t *m = malloc(s.n);
    int bad = 0, n_err = 0, n_torn = 0, n_same = 0;
    static const uint8_t masks[] = {0xff, 0x01, 0x80};
    for (size_t mi = 0; mi < sizeof masks; mi++)
        for (size_t i = 0; i < s.n; i++) {
            memcpy(m, s.bytes, s.n);
            m[i] ^= masks[mi];
            if (!check_damaged(m, s.n, &s, &n_err, &n_torn, &n_same)) {
                if (bad++ < 5)
                    CHECK(0, "flip 0x%02x at byte %zu of %zu: wrong read (%s)", masks[mi], i, s.n,
                          sc_last_error());
            }
        }
    CHECK(bad == 0, "%d flips read wrongly", bad);
    /* every flip of a CRC-covered byte must be noticed: nothing reads as the original */
    CHECK(n_same == 0, "%d flips went unnoticed", n_same);
    printf("flips (compress %d): %zu bytes x %zu masks: %d errors, %d torn-tail reads\n", compress,
           s.n, sizeof masks, n_err, n_torn);

    int tn_err = 0, tn_torn = 0, tn_same = 0;
    bad = 0;
    for (size_t len = 0; len < s.n; len++) {
        /* copy into an exact-size buffer so ASan sees any read past the end */
        uint8_t *t = malloc(len ? len : 1);
        memcpy(t, s.bytes, len);
        if (!check_damaged(t, len, &s, &tn_err, &tn_torn, &tn_same))
            if (bad++ < 5)
                CHECK(0, "truncation to %zu bytes: wrong read", len);
        free(t);
    }
    CHECK(bad == 0, "%d truncations read wrongly", bad);
    CHECK(tn_same == 0, "a truncated file read as complete");
    CHECK(tn_torn > 0 && tn_err > 0, "both kinds expected: %d torn, %d errors", tn_torn, tn_err);
    printf("truncations (compress %d): %zu lengths: %d errors (header), %d torn-tail reads\n",
           compress, s.n, tn_err, tn_torn);
    free(m);
    sample_free(&s);
}

static void test_torn_tail_prefix(void)
{
    SampleRun s;
    if (sample_build(&s, RUN_FORMAT_VERSION, 6, 100, 10, 1, 0, 0) < 0) {
        CHECK(0, "sample_build");
        return;
    }
    /* cut 5 bytes off the last chunk: the first 5 chunks must read, with a note */
    RunFile *rf = runfile_parse(s.bytes, s.n - 5, "torn.run");
    CHECK(rf, "%s", sc_last_error());
    if (rf) {
        CHECK(rf->n_chunks == 5 && rf->end_tick == 499, "chunks %zu end %llu", rf->n_chunks,
              (unsigned long long)rf->end_tick);
        CHECK(rf->n_events == 50, "events %zu", rf->n_events);
        CHECK(strstr(rf->torn_note, "torn") && strstr(rf->torn_note, "tick 499"), "note: %s",
              rf->torn_note);
        CHECK(!rf->complete, "not complete");
        runfile_free(&rf);
    }
    sample_free(&s);
}

static void test_versions(void)
{
    SampleRun s;
    if (sample_build(&s, RUN_FORMAT_VERSION, 2, 100, 5, 1, 0, 1) < 0) {
        CHECK(0, "sample_build");
        return;
    }
    /* version field: bytes 8..11 */
    s.bytes[8] = (uint8_t)(RUN_FORMAT_VERSION + 1);
    RunFile *rf = runfile_parse(s.bytes, s.n, "new.run");
    CHECK(!rf, "newer version accepted");
    char newer[16], ours[16];
    snprintf(newer, sizeof newer, "%u", RUN_FORMAT_VERSION + 1);
    snprintf(ours, sizeof ours, "%u", RUN_FORMAT_VERSION);
    const char *msg = sc_last_error();
    CHECK(one_line(msg) && strstr(msg, "newer") && strstr(msg, newer) && strstr(msg, ours),
          "message: %s", msg);
    printf("newer version: %s\n", msg);
    runfile_free(&rf);
    s.bytes[8] = 0;
    rf = runfile_parse(s.bytes, s.n, "old.run");
    CHECK(!rf && strstr(sc_last_error(), "older"), "version 0: %s", sc_last_error());
    sample_free(&s);

    /* bad magic */
    uint8_t junk[64] = "PNG and so on";
    rf = runfile_parse(junk, sizeof junk, "junk.run");
    CHECK(!rf && strstr(sc_last_error(), "not a saccade run file"), "%s", sc_last_error());
}

/* v7: a natural-text run's font size round-trips; a size on another kind, a size out of range,
 * or a text scene in a version without the field is refused with one line. */
static void test_text_scene_header(void)
{
    struct {
        uint32_t version;
        SceneKind kind;
        int px;
        int ok;
    } cases[] = {{RUN_FORMAT_V7, SCENE_TEXT, 28, 1},   {RUN_FORMAT_V7, SCENE_DIGITS, 0, 1},
                 {RUN_FORMAT_V7, SCENE_DIGITS, 28, 0}, {RUN_FORMAT_V7, SCENE_TEXT, 0, 0},
                 {RUN_FORMAT_V7, SCENE_TEXT, 99, 0},   {RUN_FORMAT_V6, SCENE_TEXT, 28, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RunHeader h;
        sample_header(&h, 0);
        h.scene.kind = cases[i].kind;
        h.scene.text_px = cases[i].px;
        uint8_t buf[4096];
        size_t n = run_header_encode(&h, cases[i].version, buf, sizeof buf);
        CHECK(n > 0, "case %zu: encode", i);
        RunFile *rf = runfile_parse(buf, n, "text.run");
        CHECK(!rf == !cases[i].ok, "case %zu: %s", i, rf ? "read" : sc_last_error());
        if (rf)
            CHECK(rf->header.scene.kind == cases[i].kind &&
                      rf->header.scene.text_px ==
                          (cases[i].version >= RUN_FORMAT_V7 ? cases[i].px : 0),
                  "case %zu: kind %d px %d", i, rf->header.scene.kind, rf->header.scene.text_px);
        else
            CHECK(one_line(sc_last_error()), "case %zu: one line", i);
        runfile_free(&rf);
    }
}

static void test_v1_fixture(void)
{
    char path[1024];
    if (!paths_data_file(path, sizeof path, "tests/record/fixtures/v1.run")) {
        CHECK(0, "path");
        return;
    }
    RunFile *rf = runfile_read(path);
    CHECK(rf, "%s", sc_last_error());
    if (!rf)
        return;
    SampleRun s;
    if (sample_build(&s, RUN_FORMAT_V1, 3, 100, 9, 0, 0, 1) == 0) {
        CHECK(rf->header.version == RUN_FORMAT_V1, "fixture version %u", rf->header.version);
        CHECK(rf->n_events == s.n_events && events_equal(rf->events, s.events, s.n_events),
              "fixture events (%zu)", rf->n_events);
        CHECK(rf->complete && rf->end_tick == 299, "fixture end");
        /* the v1 encoder still produces the committed bytes */
        FILE *f = fopen(path, "rb");
        uint8_t *b = malloc(s.n + 1);
        size_t got = f ? fread(b, 1, s.n + 1, f) : 0;
        CHECK(got == s.n && !memcmp(b, s.bytes, s.n), "fixture bytes differ from v1 encoder");
        if (f)
            fclose(f);
        free(b);
        sample_free(&s);
    }
    runfile_free(&rf);
}

static int write_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* Issue 13: damage followed by intact chunks is an error naming the byte, never a torn tail. */
static void test_corruption_not_torn(void)
{
    SampleRun s;
    if (sample_build(&s, RUN_FORMAT_VERSION, 5, 100, 10, 1, 0, 1) < 0) {
        CHECK(0, "sample_build");
        return;
    }
    RunFile *rf = runfile_parse(s.bytes, s.n, "ok.run");
    CHECK(rf && rf->n_chunks == 5, "clean read");
    runfile_free(&rf);
    /* find the first two chunks; make the second's stored-size field claim more than the file */
    size_t chunk_at[2] = {0, 0};
    int found = 0;
    for (size_t i = 8; i + 4 < s.n && found < 2; i++)
        if (!memcmp(s.bytes + i, RUN_CHUNK_MAGIC, 4)) {
            chunk_at[found++] = i;
            i += 32;
        }
    const uint8_t *c1 = found == 2 ? s.bytes + chunk_at[1] : NULL;
    CHECK(c1, "second chunk found");
    if (!c1) {
        sample_free(&s);
        return;
    }
    size_t at = (size_t)(c1 - s.bytes);
    uint8_t *m = malloc(s.n + 4096);
    memcpy(m, s.bytes, s.n);
    m[at + 4 + 4 + 8 + 8 + 4 + 4 + 3] ^= 0x40; /* stored size, top byte */
    rf = runfile_parse(m, s.n, "flipped.run");
    char want[64];
    snprintf(want, sizeof want, "byte %zu", at);
    CHECK(!rf && strstr(sc_last_error(), want) && one_line(sc_last_error()),
          "a size flip before intact chunks must be an error naming %s: %s", want,
          rf ? rf->torn_note : sc_last_error());
    runfile_free(&rf);
    /* the header duplicated after itself: not a torn tail either */
    size_t first_chunk = chunk_at[0];
    memcpy(m, s.bytes, first_chunk);
    memcpy(m + first_chunk, s.bytes, s.n);
    rf = runfile_parse(m, first_chunk + s.n, "dup.run");
    CHECK(!rf && one_line(sc_last_error()), "a duplicated header must be an error: %s",
          rf ? rf->torn_note : "");
    runfile_free(&rf);
    free(m);
    sample_free(&s);
}

/* Issue 13: a run's length is bounded (RUN_MAX_TICKS); one empty chunk cannot claim 2^40. */
static void test_run_length_bound(void)
{
    SampleRun s;
    CHECK(sample_build(&s, RUN_FORMAT_VERSION, 1, (int)RUN_MAX_TICKS + 2, 0, 1, 0, 1) == 0,
          "build");
    RunFile *rf = runfile_parse(s.bytes, s.n, "long.run");
    CHECK(!rf && strstr(sc_last_error(), "maximum"), "too long a run must be refused: %s",
          sc_last_error());
    runfile_free(&rf);
    sample_free(&s);
    CHECK(sample_build(&s, RUN_FORMAT_VERSION, 1, (int)RUN_MAX_TICKS, 0, 1, 0, 1) == 0, "build");
    rf = runfile_parse(s.bytes, s.n, "longest.run");
    CHECK(rf, "the longest run reads: %s", sc_last_error());
    runfile_free(&rf);
    sample_free(&s);
}

/* Issue 13: what a file claims must be backed by its bytes: payloads inflating to more than
 * RUN_MAX_INFLATE_RATIO times the file are refused (memory bounded by the file's size). */
static void test_inflate_bound(void)
{
    RunHeader h;
    sample_header(&h, 0);
    size_t cap = 1 << 22, pn = 0;
    uint8_t *out = malloc(cap), *payload = calloc(1, RUN_MAX_CHUNK_PAYLOAD);
    uint8_t *scratch = malloc(run_chunk_bound(RUN_MAX_CHUNK_PAYLOAD));
    size_t n = run_header_encode(&h, RUN_FORMAT_VERSION, out, cap);
    uint32_t ne = 0;
    while (pn + 11 + 65000 <= RUN_MAX_CHUNK_PAYLOAD) { /* unknown events of zeros */
        payload[pn] = 99;
        payload[pn + 9] = (uint8_t)(65000 & 0xff);
        payload[pn + 10] = (uint8_t)(65000 >> 8);
        for (int k = 0; k < 8; k++)
            payload[pn + 1 + k] = 0;
        pn += 11 + 65000;
        ne++;
    }
    uint64_t first = 0;
    for (int c = 0; c < 3; c++, first += 10)
        n += run_chunk_encode(RUN_FORMAT_VERSION, first, first + 9, ne, payload, pn, 1, scratch,
                              out + n, cap - n);
    RunFile *rf = runfile_parse(out, n, "bomb.run");
    CHECK(!rf && strstr(sc_last_error(), "inflate"),
          "a deflate bomb must be refused (%zu bytes): %s", n, rf ? "read" : sc_last_error());
    runfile_free(&rf);
    free(out);
    free(payload);
    free(scratch);
}

/* Issue 13: 400 KB of state-hash events took 864 MB. The parsed events take at most
 * RUN_MAX_MEMORY_RATIO bytes per byte of the file (+ 1 MiB). */
static void test_event_memory_bound(void)
{
    RunHeader h;
    sample_header(&h, 0);
    size_t cap = 1 << 22, pn = 0;
    uint8_t *out = malloc(cap), *payload = malloc(RUN_MAX_CHUNK_PAYLOAD);
    uint8_t *scratch = malloc(run_chunk_bound(RUN_MAX_CHUNK_PAYLOAD));
    size_t n = run_header_encode(&h, RUN_FORMAT_VERSION, out, cap);
    uint32_t ne = 0;
    RunEvent e;
    memset(&e, 0, sizeof e);
    e.type = RUN_EV_STATE_HASH;
    e.tick = 5;
    e.u.state_hash = 0x0123456789abcdefull;
    for (size_t w; (w = run_event_encode(&e, payload + pn, RUN_MAX_CHUNK_PAYLOAD - pn)); pn += w)
        ne++;
    n += run_chunk_encode(RUN_FORMAT_VERSION, 0, 9, ne, payload, pn, 1, scratch, out + n, cap - n);
    RunFile *rf = runfile_parse(out, n, "hashes.run");
    CHECK(!rf && strstr(sc_last_error(), "memory"), "%u events in %zu bytes must be refused: %s",
          ne, n, rf ? "read" : sc_last_error());
    runfile_free(&rf);
    free(out);
    free(payload);
    free(scratch);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--write-fixture")) {
        SampleRun s;
        if (sample_build(&s, RUN_FORMAT_V1, 3, 100, 9, 0, 0, 1) < 0)
            return 1;
        int r = write_file(argv[2], s.bytes, s.n);
        sample_free(&s);
        return r;
    }
    if (argc == 3 && !strcmp(argv[1], "--write-corpus")) {
        static const struct {
            const char *name;
            uint32_t v;
            int chunks, ticks, events, compress, state, end;
        } seeds[] = {
            {"v2-small", 2, 2, 100, 6, 1, 0, 1}, {"v2-raw", 2, 3, 50, 4, 0, 0, 1},
            {"v2-state", 2, 2, 100, 5, 1, 1, 1}, {"v2-torn", 2, 3, 100, 8, 1, 0, 0},
            {"v2-many", 2, 4, 100, 60, 1, 0, 1}, {"v1-small", 1, 2, 100, 6, 0, 0, 1},
        };
        for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
            SampleRun s;
            if (sample_build(&s, seeds[i].v, seeds[i].chunks, seeds[i].ticks, seeds[i].events,
                             seeds[i].compress, seeds[i].state, seeds[i].end) < 0)
                return 1;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s.run", argv[2], seeds[i].name);
            size_t n = s.n - (seeds[i].end ? 0 : 7); /* the torn one loses its tail */
            if (write_file(p, s.bytes, n))
                return 1;
            sample_free(&s);
        }
        return 0;
    }
    test_round_trip(RUN_FORMAT_VERSION, 0, 0);
    test_round_trip(RUN_FORMAT_VERSION, 1, 0);
    test_round_trip(RUN_FORMAT_VERSION, 1, 1);
    test_round_trip(RUN_FORMAT_V1, 0, 1);
    test_round_trip(RUN_FORMAT_V3, 1, 0);
    test_torn_tail_prefix();
    test_versions();
    test_v1_fixture();
    test_text_scene_header();
    test_flips_and_truncations(0);
    test_flips_and_truncations(1);
    test_corruption_not_torn();
    test_run_length_bound();
    test_inflate_bound();
    test_event_memory_bound();
    if (test_failures) {
        fprintf(stderr, "%d failure(s)\n", test_failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
