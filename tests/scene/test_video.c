/* test_video.c: video clips as scenes (src/scene/scene_video.c, video_reader.c) on the shipped
 * clip assets/clips/digits.mp4 and on files crafted here: frames in simulated time, looping,
 * determinism, keyframes forward and back, the ground truth, and every kind of bad input (each
 * a one-line error, never a crash or a hang). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/paths.h"
#include "scene/scene_priv.h"
#include "scene/video_reader.h"
#include "test.h"

static unsigned char *find4(unsigned char *d, size_t n, const char *tag)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (!memcmp(d + i, tag, 4))
            return d + i;
    return NULL;
}

static unsigned char *clip, *truth;
static size_t clip_n, truth_n;
static char clip_path[1024];

static Scene *from_bytes(const char *name, const unsigned char *d, size_t n, const unsigned char *t,
                         size_t tn, int w, int h)
{
    SceneSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = SCENE_VIDEO;
    spec.width = w;
    spec.height = h;
    snprintf(spec.path, sizeof spec.path, "%s", name);
    unsigned char *copy = malloc(n ? n : 1);
    REQUIRE(copy, "oom");
    memcpy(copy, d, n);
    return scene_create_video_data(&spec, copy, n, t, tn, 0);
}

/* A bad input: refused with one line naming the file and containing want. */
static void expect_error(const char *name, const unsigned char *d, size_t n, const unsigned char *t,
                         size_t tn, const char *want)
{
    Scene *s = from_bytes(name, d, n, t, tn, 0, 0);
    const char *e = sc_last_error();
    CHECK(!s, "%s: accepted", name);
    CHECK(strstr(e, name) == e && strstr(e, want) && !strchr(e, '\n'), "%s: error '%s' (want %s)",
          name, e, want);
    scene_destroy(&s);
}

static void test_play(void)
{
    SceneSpec spec;
    REQUIRE(scene_spec_parse(&spec, clip_path) == 0 && spec.kind == SCENE_VIDEO, "parse");
    Scene *s = scene_create(&spec, 1);
    REQUIRE(s, "create: %s", sc_last_error());
    const Image *w = scene_world(s);
    CHECK(w->w == 640 && w->h == 360, "%dx%d", w->w, w->h);
    CHECK(scene_object_count(s) == 6, "%d objects", scene_object_count(s));
    const SceneObject *o = scene_objects(s);
    CHECK(!strcmp(o[0].label, "5") && o[0].kind == SCENE_OBJ_DIGIT && o[0].w == 20.0f &&
              fabsf(o[0].x - 331.85f) < 1e-3f && fabsf(o[0].y - 202.23f) < 1e-3f,
          "object 0 '%s' at %g %g", o[0].label, (double)o[0].x, (double)o[0].y);
    /* full-range luma: ink 1.0 decodes near 1, the texture (0..0.5) stays low */
    float lo = 1, hi = 0;
    double sum = 0;
    for (int y = 0; y < w->h; y++)
        for (int x = 0; x < w->w; x++) {
            float v = image_row(w, y)[x];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
            sum += v;
        }
    CHECK(hi >= 0.97f && lo <= 0.2f && sum / (w->w * w->h) < 0.45, "luma %g..%g mean %g",
          (double)lo, (double)hi, sum / (w->w * w->h));
    /* the centre of digit 0 lies on its ink box: some bright pixel within it */
    uint64_t n0, h0, n, h;
    CHECK(scene_video_frame(s, &n0, &h0) == 1 && n0 == 0);
    /* 25 fps, 10 ms steps: a new frame every 4th step, exactly, in simulated time */
    for (int k = 1; k <= 12; k++) {
        scene_step(s, 10.0);
        SceneRect d = scene_dirty(s);
        scene_video_frame(s, &n, &h);
        int expect_new = k % 4 == 0;
        CHECK((d.x1 > d.x0) == expect_new && n == (uint64_t)(k / 4), "step %d: dirty %d frame %llu",
              k, d.x1 > d.x0, (unsigned long long)n);
    }
    /* the truth follows the frame: frame 3 starts at 120 ms */
    CHECK(fabsf(scene_objects(s)[0].vx) > 1.0f || fabsf(scene_objects(s)[0].vy) > 1.0f,
          "moving object has a velocity");
    size_t ss = scene_state_size(s);
    unsigned char *st = malloc(ss), *st2 = malloc(ss);
    REQUIRE(st && st2, "oom");
    scene_state_save(s, st);
    uint64_t sh = scene_state_hash(s), wh = image_hash(w);
    /* on past the end of the clip (100 frames, 4 s): it loops, frame 100 shows frame 0 */
    for (int k = 0; k < 400 - 12; k++)
        scene_step(s, 10.0);
    scene_video_frame(s, &n, &h);
    CHECK(n == 100 && h == h0, "after 4 s: frame %llu hash %016llx (frame 0: %016llx)",
          (unsigned long long)n, (unsigned long long)h, (unsigned long long)h0);
    scene_state_save(s, st2);
    /* back to 120 ms (a fresh decoder from the start), then forward to 4 s again */
    CHECK(scene_state_load(s, st, ss) == 0, "load back: %s", sc_last_error());
    CHECK(scene_state_hash(s) == sh && image_hash(w) == wh, "state after going back");
    CHECK(scene_state_load(s, st2, ss) == 0, "load forward: %s", sc_last_error());
    scene_video_frame(s, &n, &h);
    CHECK(n == 100 && h == h0);
    /* a state whose frame hash is not the clip's is refused */
    st[ss - 1] ^= 1;
    CHECK(scene_state_load(s, st, ss) < 0 && strstr(sc_last_error(), "not the recorded frame"),
          "%s", sc_last_error());

    /* the same clip twice: the same worlds, step by step, whatever the decoding threads do */
    Scene *a = scene_create(&spec, 1), *b = scene_create(&spec, 2);
    REQUIRE(a && b, "create: %s", sc_last_error());
    int same = 1;
    for (int k = 0; k < 300 && same; k++) {
        scene_step(a, 7.0);
        scene_step(b, 7.0);
        same = scene_state_hash(a) == scene_state_hash(b) &&
               image_hash(scene_world(a)) == image_hash(scene_world(b));
    }
    CHECK(same, "two plays differ");
    scene_destroy(&a);
    scene_destroy(&b);
    free(st);
    free(st2);
    scene_destroy(&s);

    /* --size resamples the clip, and its truth with it */
    s = from_bytes("clip.mp4", clip, clip_n, truth, truth_n, 320, 180);
    CHECK(s && scene_world(s)->w == 320 && scene_world(s)->h == 180 && scene_object_count(s) == 6 &&
              fabsf(scene_objects(s)[0].x - 331.85f / 2) < 1e-3f &&
              fabsf(scene_objects(s)[0].w - 10.0f) < 1e-3f,
          "--size: %s", sc_last_error());
    scene_destroy(&s);
}

/* The classic 1x1 GIF (black pixel), then with other sizes written into it. */
static const unsigned char gif1[] = {'G', 'I', 'F', '8', '9', 'a', 1,   0,    1,    0, 0x80, 0,
                                     0,   0,   0,   0,   255, 255, 255, 0x2c, 0,    0, 0,    0,
                                     1,   0,   1,   0,   0,   2,   2,   0x44, 0x01, 0, 0x3b};

static void test_gif(void)
{
    Scene *s = from_bytes("dot.gif", gif1, sizeof gif1, NULL, 0, 32, 32);
    CHECK(s && scene_world(s)->w == 32 && scene_world(s)->px[0] == 0.0f, "1x1 GIF at 32x32: %s",
          sc_last_error());
    scene_step(s, 1000.0);
    scene_destroy(&s);
    /* the world's rule: a 1x1 world is refused (resample with --size) */
    expect_error("dot.gif", gif1, sizeof gif1, NULL, 0, "a world is 16..8192 px per side");
    /* huge: 9000x9000 in the header, refused before any decoding */
    unsigned char g[sizeof gif1];
    memcpy(g, gif1, sizeof g);
    g[6] = g[24] = 0x28, g[7] = g[25] = 0x23, g[8] = g[26] = 0x28, g[9] = g[27] = 0x23;
    expect_error("huge.gif", g, sizeof g, NULL, 0, "9000x9000 px");
    /* zero frames: the screen and palette, then the trailer */
    unsigned char z[20];
    memcpy(z, gif1, 19);
    z[19] = 0x3b;
    Scene *zs = from_bytes("empty.gif", z, sizeof z, NULL, 0, 0, 0);
    const char *e = sc_last_error();
    CHECK(!zs && strstr(e, "empty.gif") == e && !strchr(e, '\n') &&
              (strstr(e, "no frames") || strstr(e, "no video stream") || strstr(e, "corrupt")),
          "zero frames: %s", e);
    scene_destroy(&zs);
}

static void test_bad_input(void)
{
    expect_error("empty.mp4", clip, 0, NULL, 0, "empty file");
    expect_error("cut.mp4", clip, clip_n * 6 / 10, NULL, 0, "truncated or corrupt video");
    expect_error("head.mp4", clip, 2000, NULL, 0, "truncated or corrupt");
    expect_error("tiny.mp4", clip, 40, NULL, 0, "video");
    const char text[] = "this is a text file, not a video at all; this is a text file.";
    expect_error("text.mp4", (const unsigned char *)text, sizeof text, NULL, 0, "not a video file");
    unsigned char *d = malloc(clip_n);
    REQUIRE(d, "oom");
    /* an unknown codec: the sample entry's fourcc (its second 'avc1'; the first is a brand) */
    memcpy(d, clip, clip_n);
    unsigned char *p = find4(d, clip_n, "avc1");
    p = p ? find4(p + 4, clip_n - (size_t)(p + 4 - d), "avc1") : NULL;
    REQUIRE(p, "no avc1 sample entry");
    memcpy(p, "xyz1", 4);
    expect_error("codec.mp4", d, clip_n, NULL, 0, "unknown or unsupported video codec");
    /* damage in the coded frames: seeds of flipped bytes past the header */
    for (int seed = 1; seed <= 4; seed++) {
        memcpy(d, clip, clip_n);
        uint64_t r = 0x9e3779b97f4a7c15ull * (uint64_t)seed;
        for (int k = 0; k < 16; k++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            d[4000 + (r >> 33) % (clip_n - 4000)] ^= 0xff;
        }
        char name[32];
        snprintf(name, sizeof name, "flip%d.mp4", seed);
        Scene *s = from_bytes(name, d, clip_n, NULL, 0, 0, 0);
        const char *e = sc_last_error();
        /* refused with one line, or (damage the decoder cannot see) played */
        CHECK(s || (strstr(e, name) == e && !strchr(e, '\n')), "%s: %s", name, e);
        for (int k = 0; s && k < 50; k++)
            scene_step(s, 40.0);
        scene_destroy(&s);
    }
    free(d);

    /* the ground truth: malformed lines name the file and line */
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"object 1 digit 5 20 20\n", "in order"},
        {"object 0 digit 5 20 20\nat 0 0 1 1\nat 0 0 2 2\n", "must increase"},
        {"object 0 digit 5 20 20\n", "no 'at' line"},
        {"object 0 cat 5 20 20\nat 0 0 1 1\n", "KIND"},
        {"object 0 digit 5 20 20\nat 0 3 1 1\n", "unknown object"},
        {"object 0 digit 5 20 20\nat x 0 1 1\n", "numbers"},
        {"object 0 digit 5 20 20\nwhat\n", "unknown keyword"},
        {"object 0 digit 5 20 20\nat 0 0 1 1\0", "NUL"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t tn = strlen(bad[i].text) + (i == 7);
        Scene *s = from_bytes("t.mp4", clip, clip_n, (const unsigned char *)bad[i].text, tn, 0, 0);
        const char *e = sc_last_error();
        CHECK(!s && strstr(e, bad[i].want) && !strchr(e, '\n'), "truth %zu: %s", i, e);
        scene_destroy(&s);
    }
}

static void test_recorded(void)
{
    SceneSpec spec;
    REQUIRE(scene_spec_parse(&spec, clip_path) == 0, "parse");
    uint64_t content = hash64_update(hash64_init(), clip, clip_n);
    content = hash64_u64(content, (uint64_t)truth_n);
    content = hash64_update(content, truth, truth_n);
    Scene *s = scene_create_recorded(&spec, 1, content);
    CHECK(s && scene_content_hash(s) == content, "recorded: %s", sc_last_error());
    scene_destroy(&s);
    s = scene_create_recorded(&spec, 1, content ^ 1);
    CHECK(!s && strstr(sc_last_error(), "not the video the run was recorded on"), "%s",
          sc_last_error());
    snprintf(spec.path, sizeof spec.path, "/nonexistent/clip.mp4");
    s = scene_create_recorded(&spec, 1, content);
    CHECK(!s && strstr(sc_last_error(), "/nonexistent/clip.mp4"), "%s", sc_last_error());
    /* a camera: the live source is gone; the error says why, in one line */
    CHECK(scene_spec_parse(&spec, "/dev/video0") == 0 && spec.kind == SCENE_CAMERA);
    s = scene_create_recorded(&spec, 1, 0);
    CHECK(!s && strstr(sc_last_error(), "cannot be re-simulated"), "%s", sc_last_error());
    /* no camera here: opening one fails with one line (never a hang) */
    CHECK(scene_spec_parse(&spec, "/dev/video97") == 0);
    s = scene_create(&spec, 1);
    CHECK(!s && strstr(sc_last_error(), "/dev/video97") && !strchr(sc_last_error(), '\n'), "%s",
          sc_last_error());
    scene_destroy(&s);
    CHECK(scene_spec_parse(&spec, "x.WebM") == 0 && spec.kind == SCENE_VIDEO);
    CHECK(scene_spec_parse(&spec, "x.gif") == 0 && spec.kind == SCENE_VIDEO);
}

/* The reader's luma shortcut (video_reader.c, convert) gives swscale's bytes: every frame of
 * the shipped clip (H.264, 4:2:0, limited range) decoded here with libavcodec and converted
 * by swscale with the reader's settings is byte for byte the reader's frame. */
static void test_luma_shortcut(void)
{
    VideoReader *r = video_reader_open_memory("digits.mp4", clip, clip_n, 0, 0, 0);
    REQUIRE(r, "%s", sc_last_error());
    int w, h;
    video_reader_output_size(r, &w, &h);
    AVFormatContext *fmt = NULL;
    REQUIRE(avformat_open_input(&fmt, clip_path, NULL, NULL) == 0 &&
                avformat_find_stream_info(fmt, NULL) >= 0,
            "libavformat cannot open %s", clip_path);
    int st = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    REQUIRE(st >= 0, "no video stream");
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[st]->codecpar->codec_id);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    REQUIRE(dec && avcodec_parameters_to_context(dec, fmt->streams[st]->codecpar) >= 0, "dec");
    dec->thread_count = 1;
    REQUIRE(avcodec_open2(dec, codec, NULL) == 0, "open decoder");
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    uint8_t *mine = malloc((size_t)w * (size_t)h), *ref = malloc((size_t)w * (size_t)h);
    REQUIRE(pkt && f && mine && ref, "oom");
    struct SwsContext *sws = NULL;
    int frames = 0, same = 0, shortcut = 0, eof = 0;
    while (!eof || avcodec_receive_frame(dec, f) == 0) {
        if (!eof) {
            if (av_read_frame(fmt, pkt) < 0) {
                eof = 1;
                avcodec_send_packet(dec, NULL);
            } else {
                if (pkt->stream_index == st)
                    avcodec_send_packet(dec, pkt);
                av_packet_unref(pkt);
            }
            if (avcodec_receive_frame(dec, f) != 0)
                continue;
        }
        REQUIRE(f->width == w && f->height == h, "frame %dx%d, output %dx%d", f->width, f->height,
                w, h);
        sws =
            sws_getCachedContext(sws, w, h, f->format, w, h, AV_PIX_FMT_GRAY8,
                                 SWS_BILINEAR | SWS_BITEXACT | SWS_ACCURATE_RND, NULL, NULL, NULL);
        REQUIRE(sws, "sws");
        const int *coef = sws_getCoefficients(SWS_CS_DEFAULT);
        sws_setColorspaceDetails(sws, coef, f->color_range == AVCOL_RANGE_JPEG, coef, 1, 0, 1 << 16,
                                 1 << 16);
        uint8_t *planes[4] = {ref, NULL, NULL, NULL};
        int strides[4] = {w, 0, 0, 0};
        REQUIRE(sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, h, planes,
                          strides) == h,
                "sws_scale");
        int64_t t0, dur;
        REQUIRE(video_reader_next(r, mine, &t0, &dur) == 1, "reader ended early at frame %d: %s",
                frames, sc_last_error());
        same += !memcmp(mine, ref, (size_t)w * (size_t)h);
        shortcut += video_reader_luma_shortcut(r);
        frames++;
    }
    CHECK(frames >= 50 && same == frames, "%d of %d frames as swscale makes them", same, frames);
    CHECK(shortcut == frames, "%d of %d frames took the luma shortcut", shortcut, frames);
    sws_freeContext(sws);
    free(mine);
    free(ref);
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    video_reader_close(&r);
}

int main(void)
{
    REQUIRE(paths_data_file(clip_path, sizeof clip_path, "assets/clips/digits.mp4"), "path");
    char tp[1024];
    REQUIRE(paths_data_file(tp, sizeof tp, "assets/clips/digits.truth"), "path");
    REQUIRE(file_read_all(clip_path, 1 << 24, &clip, &clip_n) == 0, "%s", sc_last_error());
    REQUIRE(file_read_all(tp, 1 << 24, &truth, &truth_n) == 0, "%s", sc_last_error());
    test_play();
    test_gif();
    test_bad_input();
    test_recorded();
    test_luma_shortcut();
    free(clip);
    free(truth);
    return TEST_DONE();
}
