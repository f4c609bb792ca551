/* make_clip: writes a test clip with its ground truth: MNIST test-set digits moving over the
 * motion scene's value-noise texture, encoded with FFmpeg's libraries (H.264 by libx264 in MP4,
 * or VP9 in WebM, or GIF, by the output's extension), and the sidecar OUT.truth (the clip's path
 * with its extension replaced) giving each digit's label, ink box and centre at every frame.
 *
 *   make_clip OUT [--size WxH] [--fps N] [--seconds S] [--digits N] [--seed N]
 *
 * Defaults make assets/clips/digits.mp4 (640x360, 25 fps, 4 s, 6 digits, seed 1). Everything is
 * a function of the options: the scene is scene_create_moving_digits (src/scene), stepped one
 * frame interval per frame; the encoder runs on one thread with fixed settings, so the same
 * libx264 gives the same bytes. Frames are luma only (chroma neutral), limited range.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>

#include "core/log.h"
#include "core/rng.h"
#include "scene/scene.h"

static int fail(const char *what, int err)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(err, msg, sizeof msg);
    fprintf(stderr, "make_clip: %s: %s\n", what, msg);
    return 1;
}

static int ends_with(const char *s, const char *e)
{
    size_t a = strlen(s), b = strlen(e);
    return a >= b && !strcmp(s + a - b, e);
}

static int write_frames(AVFormatContext *oc, AVStream *st, AVCodecContext *enc, AVFrame *fr)
{
    int rc = avcodec_send_frame(enc, fr);
    if (rc < 0)
        return rc;
    AVPacket *pkt = av_packet_alloc();
    if (!pkt)
        return AVERROR(ENOMEM);
    while ((rc = avcodec_receive_packet(enc, pkt)) == 0) {
        pkt->duration = 1; /* one frame: else MP4 gives the last frame no time (not shown) */
        av_packet_rescale_ts(pkt, enc->time_base, st->time_base);
        pkt->stream_index = st->index;
        if ((rc = av_interleaved_write_frame(oc, pkt)) < 0)
            break;
    }
    av_packet_free(&pkt);
    return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF ? 0 : rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: make_clip OUT.mp4|.webm|.gif [--size WxH] [--fps N] "
                        "[--seconds S] [--digits N] [--seed N]\n");
        return 2;
    }
    const char *out = argv[1];
    int w = 640, h = 360, fps = 25, n = 6;
    double seconds = 4.0;
    unsigned long long seed = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--size") && sscanf(argv[i + 1], "%dx%d", &w, &h) == 2)
            continue;
        if (!strcmp(argv[i], "--fps") && sscanf(argv[i + 1], "%d", &fps) == 1)
            continue;
        if (!strcmp(argv[i], "--seconds") && sscanf(argv[i + 1], "%lf", &seconds) == 1)
            continue;
        if (!strcmp(argv[i], "--digits") && sscanf(argv[i + 1], "%d", &n) == 1)
            continue;
        if (!strcmp(argv[i], "--seed") && sscanf(argv[i + 1], "%llu", &seed) == 1)
            continue;
        fprintf(stderr, "make_clip: bad option '%s'\n", argv[i]);
        return 2;
    }
    if (argc % 2 != 0 || w < 64 || h < 64 || w > 4096 || h > 4096 || w % 2 || h % 2 || fps < 1 ||
        fps > 120 || !(seconds > 0 && seconds <= 60) || n < 1 || n > 64) {
        fprintf(stderr, "make_clip: bad options (even size 64..4096, fps 1..120, 0 < seconds "
                        "<= 60, 1..64 digits)\n");
        return 2;
    }
    const int gif = ends_with(out, ".gif"), webm = ends_with(out, ".webm");

    /* the digits: test-set indices, centres and velocities from the seed */
    Rng r;
    rng_seed(&r, seed);
    SceneObject obj[64];
    int idx[64];
    memset(obj, 0, sizeof obj);
    for (int i = 0; i < n; i++) {
        idx[i] = (int)rng_below(&r, 10000);
        obj[i].x = 30.0f + (float)rng_uniform(&r) * (float)(w - 60);
        obj[i].y = 30.0f + (float)rng_uniform(&r) * (float)(h - 60);
        double speed = 20.0 + 40.0 * rng_uniform(&r), angle = 2.0 * M_PI * rng_uniform(&r);
        obj[i].vx = (float)(speed * cos(angle));
        obj[i].vy = (float)(speed * sin(angle));
    }
    Scene *sc = scene_create_moving_digits(w, h, seed, obj, idx, n);
    if (!sc) {
        fprintf(stderr, "make_clip: %s\n", sc_last_error());
        return 1;
    }

    char truth[1100];
    const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - out) : strlen(out);
    snprintf(truth, sizeof truth, "%.*s.truth", (int)stem, out);
    FILE *tf = fopen(truth, "w");
    if (!tf) {
        fprintf(stderr, "make_clip: %s: %s\n", truth, strerror(errno));
        return 1;
    }
    fprintf(tf,
            "# saccade clip truth: %s, made by tools/make_clip (%dx%d, %d fps, %g s, %d "
            "digits, seed %llu)\n",
            slash ? slash + 1 : out, w, h, fps, seconds, n, seed);
    fprintf(tf, "# object ID KIND LABEL W H  /  at T_MS ID X Y (ink-box centre, px)\n");
    const SceneObject *so = scene_objects(sc);
    for (int i = 0; i < scene_object_count(sc); i++)
        fprintf(tf, "object %d digit %s %d %d\n", i, so[i].label, (int)so[i].w, (int)so[i].h);

    av_log_set_level(AV_LOG_ERROR);
    AVFormatContext *oc = NULL;
    int rc = avformat_alloc_output_context2(&oc, NULL, NULL, out);
    if (rc < 0)
        return fail(out, rc);
    const AVCodec *codec = gif    ? avcodec_find_encoder(AV_CODEC_ID_GIF)
                           : webm ? avcodec_find_encoder_by_name("libvpx-vp9")
                                  : avcodec_find_encoder_by_name("libx264");
    if (!codec) {
        fprintf(stderr, "make_clip: no encoder for %s in this FFmpeg\n", out);
        return 1;
    }
    AVStream *st = avformat_new_stream(oc, NULL);
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    AVFrame *fr = av_frame_alloc();
    if (!st || !enc || !fr)
        return fail("out of memory", AVERROR(ENOMEM));
    enc->width = w;
    enc->height = h;
    enc->time_base = (AVRational){1, fps};
    enc->framerate = (AVRational){fps, 1};
    enc->pix_fmt = gif ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_YUV420P;
    enc->thread_count = 1;
    enc->gop_size = fps * 2;
    enc->max_b_frames = 0; /* no reordering: no MP4 edit list, every frame shown */
    enc->flags |= AV_CODEC_FLAG_BITEXACT;
    if (!gif)
        enc->color_range = AVCOL_RANGE_MPEG;
    if (oc->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (!gif && !webm) {
        av_opt_set(enc->priv_data, "preset", "medium", 0);
        av_opt_set(enc->priv_data, "crf", "20", 0);
    }
    if (webm) {
        av_opt_set(enc->priv_data, "crf", "32", 0);
        enc->bit_rate = 0;
    }
    if ((rc = avcodec_open2(enc, codec, NULL)) < 0)
        return fail("cannot open the encoder", rc);
    if ((rc = avcodec_parameters_from_context(st->codecpar, enc)) < 0)
        return fail("encoder parameters", rc);
    st->time_base = enc->time_base;
    oc->flags |= AVFMT_FLAG_BITEXACT;
    if ((rc = avio_open(&oc->pb, out, AVIO_FLAG_WRITE)) < 0)
        return fail(out, rc);
    AVDictionary *mux = NULL;
    if (!gif && !webm)
        av_dict_set(&mux, "movflags", "+faststart", 0);
    if ((rc = avformat_write_header(oc, &mux)) < 0)
        return fail("cannot write the header", rc);
    av_dict_free(&mux);
    fr->format = enc->pix_fmt;
    fr->width = w;
    fr->height = h;
    if ((rc = av_frame_get_buffer(fr, 0)) < 0)
        return fail("frame buffer", rc);

    const int frames = (int)lround(seconds * fps);
    const double step_ms = 1000.0 / fps;
    for (int k = 0; k < frames; k++) {
        if (k > 0)
            scene_step(sc, step_ms);
        if ((rc = av_frame_make_writable(fr)) < 0)
            return fail("frame buffer", rc);
        const Image *world = scene_world(sc);
        for (int y = 0; y < h; y++) {
            const float *src = image_row(world, y);
            uint8_t *d = fr->data[0] + (size_t)y * (size_t)fr->linesize[0];
            for (int x = 0; x < w; x++) {
                float v = src[x] < 0.0f ? 0.0f : src[x] > 1.0f ? 1.0f : src[x];
                d[x] = (uint8_t)lrintf(gif ? 255.0f * v : 16.0f + 219.0f * v);
            }
        }
        if (!gif)
            for (int p = 1; p < 3; p++)
                for (int y = 0; y < h / 2; y++)
                    memset(fr->data[p] + (size_t)y * (size_t)fr->linesize[p], 128, (size_t)w / 2);
        fr->pts = k;
        if ((rc = write_frames(oc, st, enc, fr)) < 0)
            return fail("encoding", rc);
        const double t_ms = k * 1000.0 / fps;
        so = scene_objects(sc);
        for (int i = 0; i < scene_object_count(sc); i++)
            fprintf(tf, "at %.3f %d %.2f %.2f\n", t_ms, i, (double)so[i].x, (double)so[i].y);
    }
    if ((rc = write_frames(oc, st, enc, NULL)) < 0)
        return fail("encoding", rc);
    if ((rc = av_write_trailer(oc)) < 0)
        return fail("cannot finish the file", rc);
    if ((rc = avio_closep(&oc->pb)) < 0)
        return fail(out, rc);
    if (ferror(tf) || fclose(tf) != 0) {
        fprintf(stderr, "make_clip: %s: write failed\n", truth);
        return 1;
    }
    av_frame_free(&fr);
    avcodec_free_context(&enc);
    avformat_free_context(oc);
    scene_destroy(&sc);
    printf("wrote %s and %s (%d frames)\n", out, truth, frames);
    return 0;
}
