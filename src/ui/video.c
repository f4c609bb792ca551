/* video.c: a recording rendered offscreen into video, GIF and PNG frames (video.h). */
#include "ui/video.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "ui/app_private.h"

typedef struct Encoder {
    const char *path;
    AVFormatContext *fmt;
    AVCodecContext *cc;
    AVStream *st;
    AVFrame *frame;
    AVPacket *pkt;
    struct SwsContext *sws;
    int64_t next_pts;
} Encoder;

static int av_fail(const char *path, const char *what, int err)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(err, msg, sizeof(msg));
    sc_set_error("%s: %s: %s", path, what, msg);
    return -1;
}

/* Opens an encoder for path: gif = 1 gives an animated GIF (8-bit RGB, dithered by swscale),
 * else the container follows the file name (mp4 when it says nothing) with H.264 (libx264)
 * or, without it, MPEG-4 part 2. */
static int enc_open(Encoder *e, const char *path, int gif, int w, int h, double fps)
{
    memset(e, 0, sizeof(*e));
    e->path = path;
    int err = avformat_alloc_output_context2(&e->fmt, NULL, gif ? "gif" : NULL, path);
    if (err < 0 || !e->fmt)
        err = avformat_alloc_output_context2(&e->fmt, NULL, "mp4", path);
    if (err < 0 || !e->fmt)
        return av_fail(path, "no output format", err);
    const AVCodec *codec = NULL;
    if (gif)
        codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
    else if (!(codec = avcodec_find_encoder_by_name("libx264")))
        codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!codec) {
        sc_set_error("%s: this FFmpeg has no %s encoder", path, gif ? "GIF" : "H.264 or MPEG-4");
        return -1;
    }
    e->st = avformat_new_stream(e->fmt, NULL);
    e->cc = avcodec_alloc_context3(codec);
    e->frame = av_frame_alloc();
    e->pkt = av_packet_alloc();
    if (!e->st || !e->cc || !e->frame || !e->pkt) {
        sc_set_error("%s: out of memory", path);
        return -1;
    }
    /* Rational frame rate: fps to 1/1000 precision. */
    AVRational rate = av_d2q(fps, 100000);
    e->cc->width = w;
    e->cc->height = h;
    e->cc->time_base = av_inv_q(rate);
    e->cc->framerate = rate;
    e->cc->pix_fmt = gif ? AV_PIX_FMT_RGB8 : AV_PIX_FMT_YUV420P;
    if (!gif) {
        e->cc->gop_size = (int)lrint(fps * 2);
        e->cc->max_b_frames = 0;
        if (codec->id == AV_CODEC_ID_H264) {
            av_opt_set(e->cc->priv_data, "preset", "veryfast", 0);
            av_opt_set(e->cc->priv_data, "crf", "20", 0);
        } else {
            e->cc->bit_rate = 4000000;
        }
    }
    if (e->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        e->cc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((err = avcodec_open2(e->cc, codec, NULL)) < 0)
        return av_fail(path, "cannot open the encoder", err);
    if ((err = avcodec_parameters_from_context(e->st->codecpar, e->cc)) < 0)
        return av_fail(path, "encoder parameters", err);
    e->st->time_base = e->cc->time_base;
    e->st->avg_frame_rate = rate;
    e->frame->format = e->cc->pix_fmt;
    e->frame->width = w;
    e->frame->height = h;
    if ((err = av_frame_get_buffer(e->frame, 0)) < 0)
        return av_fail(path, "frame buffer", err);
    /* GIF (8-bit RGB 3-3-2): an ordered (Bayer) dither, the same pattern every frame. The
     * default error diffusion changes the noise on every frame, which defeats the encoder's
     * frame differencing and LZW: the README's 12 s 640x360 GIF was 11.5 MB, now 0.9 MB. */
    e->sws = sws_alloc_context();
    if (e->sws) {
        av_opt_set_int(e->sws, "srcw", w, 0);
        av_opt_set_int(e->sws, "srch", h, 0);
        av_opt_set_int(e->sws, "src_format", AV_PIX_FMT_RGBA, 0);
        av_opt_set_int(e->sws, "dstw", w, 0);
        av_opt_set_int(e->sws, "dsth", h, 0);
        av_opt_set_int(e->sws, "dst_format", e->cc->pix_fmt, 0);
        av_opt_set_int(e->sws, "sws_flags", SWS_BILINEAR, 0);
        if (gif)
            av_opt_set(e->sws, "sws_dither", "bayer", 0);
        if (sws_init_context(e->sws, NULL, NULL) < 0) {
            sws_freeContext(e->sws);
            e->sws = NULL;
        }
    }
    if (!e->sws) {
        sc_set_error("%s: no RGBA conversion to the encoder's pixel format", path);
        return -1;
    }
    if (!(e->fmt->oformat->flags & AVFMT_NOFILE) &&
        (err = avio_open(&e->fmt->pb, path, AVIO_FLAG_WRITE)) < 0)
        return av_fail(path, "cannot write", err);
    if ((err = avformat_write_header(e->fmt, NULL)) < 0)
        return av_fail(path, "cannot write the header", err);
    return 0;
}

static int enc_drain(Encoder *e)
{
    int err;
    while ((err = avcodec_receive_packet(e->cc, e->pkt)) >= 0) {
        av_packet_rescale_ts(e->pkt, e->cc->time_base, e->st->time_base);
        e->pkt->stream_index = e->st->index;
        if ((err = av_interleaved_write_frame(e->fmt, e->pkt)) < 0)
            return av_fail(e->path, "cannot write", err);
    }
    return err == AVERROR(EAGAIN) || err == AVERROR_EOF ? 0 : av_fail(e->path, "encoding", err);
}

/* One RGBA frame (top row first). */
static int enc_frame(Encoder *e, const unsigned char *rgba, int w)
{
    int err = av_frame_make_writable(e->frame);
    if (err < 0)
        return av_fail(e->path, "frame", err);
    const uint8_t *src[1] = {rgba};
    int stride[1] = {w * 4};
    sws_scale(e->sws, src, stride, 0, e->cc->height, e->frame->data, e->frame->linesize);
    e->frame->pts = e->next_pts++;
    if ((err = avcodec_send_frame(e->cc, e->frame)) < 0)
        return av_fail(e->path, "encoding", err);
    return enc_drain(e);
}

/* Flushes and closes; returns 0 or -1 (only when ok was 1 and finishing failed). */
static int enc_close(Encoder *e, int ok)
{
    int rc = 0;
    if (ok && e->cc) {
        int err = avcodec_send_frame(e->cc, NULL);
        if (err < 0 || enc_drain(e) < 0)
            rc = err < 0 ? av_fail(e->path, "flush", err) : -1;
        if (rc == 0 && (err = av_write_trailer(e->fmt)) < 0)
            rc = av_fail(e->path, "cannot write the trailer", err);
    }
    if (e->fmt && e->fmt->pb && !(e->fmt->oformat->flags & AVFMT_NOFILE))
        avio_closep(&e->fmt->pb);
    avformat_free_context(e->fmt);
    avcodec_free_context(&e->cc);
    av_frame_free(&e->frame);
    av_packet_free(&e->pkt);
    sws_freeContext(e->sws);
    memset(e, 0, sizeof(*e));
    return rc;
}

static int save_frame_png(const char *path, const unsigned char *rgba, int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom((void *)rgba, w, h, 32, w * 4,
                                                        SDL_PIXELFORMAT_ABGR8888);
    int rc = 0;
    if (!s || IMG_SavePNG(s, path)) {
        sc_set_error("%s: cannot save: %s", path, SDL_GetError());
        rc = -1;
    }
    if (s)
        SDL_FreeSurface(s);
    return rc;
}

int ui_replay_export(const char *run_path, const UiExportOptions *eo)
{
    UiExportOptions o = *eo;
    if (o.fps <= 0)
        o.fps = (o.gif && !o.video) ? 15.0 : 30.0;
    if (o.width <= 0 || o.height <= 0) {
        o.width = 1280;
        o.height = 720;
    }
    if ((o.video || o.gif) && ((o.width | o.height) & 1)) {
        sc_set_error("--video-size %dx%d: video needs even sides", o.width, o.height);
        return -1;
    }
    if (o.frames && mkdir(o.frames, 0777) && errno != EEXIST) {
        sc_set_error("%s: cannot create the folder: %s", o.frames, strerror(errno));
        return -1;
    }
    av_log_set_level(AV_LOG_ERROR); /* libx264 chats on stderr otherwise */
    /* Offscreen unless the caller chose a video driver. */
    if (!getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    UiOptions uo;
    ui_options_default(&uo);
    uo.hidden = 1;
    uo.vsync = 0;
    uo.win_w = o.width;
    uo.win_h = o.height;
    if (o.layers_set)
        uo.layers = o.layers;
    UiApp *a = ui_replay_create(run_path, 1.0, o.model, &uo);
    if (!a)
        return -1;
    if (ui_replay_wait(a) < 0) {
        ui_app_destroy(&a);
        return -1;
    }
    a->playing = 1; /* the HUD says REPLAY; frames are advanced here, not by the loop */
    a->fps = eo->fps > 0 ? eo->fps : (o.gif && !o.video ? 15.0 : 30.0);
    int rc = 0;
    Encoder ev = {0}, eg = {0};
    unsigned char *px = NULL;
    render_layout(a);
    int w = a->L.dw, h = a->L.dh;
    if (w != o.width || h != o.height) {
        sc_set_error("offscreen drawable is %dx%d, not the %dx%d asked for", w, h, o.width,
                     o.height);
        rc = -1;
        goto done;
    }
    px = malloc((size_t)w * (size_t)h * 4);
    if (!px) {
        sc_set_error("out of memory");
        rc = -1;
        goto done;
    }
    if (o.video && enc_open(&ev, o.video, 0, w, h, o.fps) < 0) {
        rc = -1;
        goto done;
    }
    if (o.gif && enc_open(&eg, o.gif, 1, w, h, o.fps) < 0) {
        rc = -1;
        goto done;
    }
    const double tick_ms = ui_replay_tick_ms(a);
    const uint64_t first = ui_replay_first(a), last = ui_replay_last(a);
    const double dur_s = (double)(last - first) * tick_ms / 1000.0;
    long n = lround(dur_s * o.fps);
    if (n < 1)
        n = 1;
    int shot_done = o.screenshot_at_s < 0;
    for (long i = 0; i < n; i++) {
        double t_ms = (double)i * 1000.0 / o.fps;
        uint64_t tick = first + (uint64_t)llround(t_ms / tick_ms);
        if (tick > last)
            tick = last;
        if (ui_replay_goto(a, tick) < 0) {
            rc = -1;
            break;
        }
        render_frame(a);
        int fw, fh;
        ui_app_read_pixels(a, px, (size_t)w * (size_t)h * 4, &fw, &fh);
        if (ev.cc && enc_frame(&ev, px, w) < 0) {
            rc = -1;
            break;
        }
        if (eg.cc && enc_frame(&eg, px, w) < 0) {
            rc = -1;
            break;
        }
        if (o.frames) {
            char fp[1200];
            snprintf(fp, sizeof(fp), "%s/frame-%06ld.png", o.frames, i);
            if (save_frame_png(fp, px, w, h) < 0) {
                rc = -1;
                break;
            }
        }
        if (!shot_done && sim_time_ms(a->view) / 1000.0 >= o.screenshot_at_s - 1e-9) {
            shot_done = 1;
            if (save_frame_png(o.screenshot_path, px, w, h) < 0) {
                rc = -1;
                break;
            }
            printf("saccade: screenshot %s\n", o.screenshot_path);
        }
        if (!o.quiet && (i % 30 == 0 || i == n - 1))
            fprintf(stderr, "\rsaccade: rendering frame %ld / %ld", i + 1, n);
    }
    if (!o.quiet)
        fputc('\n', stderr);
    if (rc == 0 && !shot_done) {
        sc_set_error("--screenshot-at %g s: the run ends at %.2f s", o.screenshot_at_s, dur_s);
        rc = -1;
    }
    if (rc == 0) {
        if (o.video)
            printf("saccade: wrote %s (%ld frames, %.3f s at %g fps)\n", o.video, n,
                   (double)n / o.fps, o.fps);
        if (o.gif)
            printf("saccade: wrote %s (%ld frames)\n", o.gif, n);
        if (o.frames)
            printf("saccade: wrote %ld frames into %s\n", n, o.frames);
    }
done:
    if (enc_close(&ev, rc == 0) < 0)
        rc = -1;
    if (enc_close(&eg, rc == 0) < 0)
        rc = -1;
    free(px);
    ui_app_destroy(&a);
    return rc;
}
