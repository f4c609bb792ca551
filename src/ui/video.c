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
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/output.h"
#include "record/record.h"
#include "ui/app_private.h"

typedef struct Encoder {
    const char *path;
    Output *out; /* the temporary file the container is written into (core/output.h) */
    AVFormatContext *fmt;
    AVCodecContext *cc;
    AVStream *st;
    AVFrame *frame;
    AVPacket *pkt;
    struct SwsContext *sws;
    int64_t next_pts;
} Encoder;

/* FFmpeg's own log lines never reach stderr (one line per error, ours); the last error line is
 * kept and joins the message of the failure that follows it. */
static pthread_mutex_t av_log_lock = PTHREAD_MUTEX_INITIALIZER;
static char av_last[200];

static void av_log_keep(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > AV_LOG_ERROR)
        return;
    char line[sizeof av_last];
    int prefix = 1;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &prefix);
    for (char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = ' ';
    size_t n = strlen(line);
    while (n && line[n - 1] == ' ')
        line[--n] = '\0';
    pthread_mutex_lock(&av_log_lock);
    if (n)
        memcpy(av_last, line, n + 1);
    pthread_mutex_unlock(&av_log_lock);
}

static int av_fail(const char *path, const char *what, int err)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = "", last[sizeof av_last];
    av_strerror(err, msg, sizeof(msg));
    pthread_mutex_lock(&av_log_lock);
    memcpy(last, av_last, sizeof last);
    av_last[0] = '\0';
    pthread_mutex_unlock(&av_log_lock);
    if (last[0])
        sc_set_error("%s: %s: %s (FFmpeg: %s); nothing written", path, what, msg, last);
    else
        sc_set_error("%s: %s: %s; nothing written", path, what, msg);
    return -1;
}

/* The container is written through our own AVIO context onto the Output's stream: FFmpeg
 * never opens a file by name, so no ':' in a name is taken as a protocol, and the target
 * appears only when output_commit renames the finished file into place. */
#if LIBAVFORMAT_VERSION_MAJOR >= 61
static int avio_write_cb(void *opaque, const uint8_t *buf, int n)
#else
static int avio_write_cb(void *opaque, uint8_t *buf, int n)
#endif
{
    FILE *f = opaque;
    errno = 0;
    if (n > 0 && fwrite(buf, 1, (size_t)n, f) != (size_t)n)
        return AVERROR(errno ? errno : EIO);
    return n;
}

static int64_t avio_seek_cb(void *opaque, int64_t off, int whence)
{
    FILE *f = opaque;
    if (whence & AVSEEK_SIZE) {
        struct stat st;
        if (fflush(f) != 0 || fstat(fileno(f), &st) != 0)
            return AVERROR(errno ? errno : EIO);
        return (int64_t)st.st_size;
    }
    whence &= ~AVSEEK_FORCE;
    if (fseeko(f, (off_t)off, whence) != 0)
        return AVERROR(errno ? errno : EIO);
    return (int64_t)ftello(f);
}

/* The container a video file name asks for: its extension (mp4 when it has none). Refused: an
 * extension FFmpeg does not know (never an MP4 under another name), a container that is not
 * one file (image sequences), or one that holds neither H.264 nor MPEG-4 video. *codec gets
 * the encoder to use. Returns NULL with sc_last_error() set. */
static const AVOutputFormat *video_format(const char *path, const AVCodec **codec)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(base, '.');
    const AVOutputFormat *f = NULL;
    if (!dot || dot == base || !dot[1])
        f = av_guess_format("mp4", NULL, NULL);
    else
        f = av_guess_format(NULL, base, NULL);
    if (!f || (f->flags & AVFMT_NOFILE) || !strcmp(f->name, "gif")) {
        sc_set_error("%s: '%s' is not a video format saccade writes (use .mp4, .mkv, .mov or "
                     ".avi; --gif for a GIF)",
                     path, dot ? dot : base);
        return NULL;
    }
    const AVCodec *h264 = avcodec_find_encoder_by_name("libx264"),
                  *mpeg4 = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (h264 && avformat_query_codec(f, AV_CODEC_ID_H264, FF_COMPLIANCE_NORMAL) == 1)
        *codec = h264;
    else if (mpeg4 && avformat_query_codec(f, AV_CODEC_ID_MPEG4, FF_COMPLIANCE_NORMAL) == 1)
        *codec = mpeg4;
    else {
        sc_set_error("%s: the %s container holds no H.264 or MPEG-4 video this FFmpeg can "
                     "encode (use .mp4, .mkv, .mov or .avi)",
                     path, f->name);
        return NULL;
    }
    return f;
}

/* Opens an encoder for path: gif = 1 gives an animated GIF (8-bit RGB, dithered by swscale),
 * else the container follows the file name (video_format) with H.264 (libx264) or, without
 * it, MPEG-4 part 2. The file is an Output (core/output.h) checked against the inputs. */
static int enc_open(Encoder *e, const char *path, int gif, int w, int h, double fps,
                    const char *const *inputs, int n_inputs)
{
    memset(e, 0, sizeof(*e));
    e->path = path;
    const AVCodec *codec = NULL;
    const AVOutputFormat *of = NULL;
    if (gif) {
        of = av_guess_format("gif", NULL, NULL);
        codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
        if (!of || !codec) {
            sc_set_error("%s: this FFmpeg has no GIF encoder", path);
            return -1;
        }
    } else if (!(of = video_format(path, &codec))) {
        return -1;
    }
    int err = avformat_alloc_output_context2(&e->fmt, of, NULL, NULL);
    if (err < 0 || !e->fmt)
        return av_fail(path, "no output format", err);
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
    if (!(e->out = output_open(path, inputs, n_inputs)))
        return -1;
    enum { AVIO_BUF = 1 << 16 };
    unsigned char *buf = av_malloc(AVIO_BUF);
    if (!buf || !(e->fmt->pb = avio_alloc_context(buf, AVIO_BUF, 1, output_stream(e->out), NULL,
                                                  avio_write_cb, avio_seek_cb))) {
        av_free(buf);
        sc_set_error("%s: out of memory", path);
        return -1;
    }
    e->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
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

/* ok = 1: flushes the encoder, writes the trailer and commits the file into place; ok = 0:
 * gives up and leaves the target as it was. Returns 0, or -1 (only when ok was 1 and
 * finishing failed: the target is left as it was). */
static int enc_close(Encoder *e, int ok)
{
    int rc = 0;
    if (ok && e->cc && e->out) {
        int err = avcodec_send_frame(e->cc, NULL);
        if (err < 0 || enc_drain(e) < 0)
            rc = err < 0 ? av_fail(e->path, "flush", err) : -1;
        if (rc == 0 && (err = av_write_trailer(e->fmt)) < 0)
            rc = av_fail(e->path, "cannot write the trailer", err);
        if (rc == 0) {
            avio_flush(e->fmt->pb);
            if (e->fmt->pb->error < 0)
                rc = av_fail(e->path, "cannot write", e->fmt->pb->error);
        }
    } else {
        rc = ok && (e->cc || e->out) ? -1 : 0;
    }
    if (e->fmt && e->fmt->pb) {
        av_freep(&e->fmt->pb->buffer);
        avio_context_free(&e->fmt->pb);
    }
    if (rc == 0 && ok && e->out && output_commit(&e->out) < 0)
        rc = -1;
    output_abort(&e->out);
    avformat_free_context(e->fmt);
    avcodec_free_context(&e->cc);
    av_frame_free(&e->frame);
    av_packet_free(&e->pkt);
    sws_freeContext(e->sws);
    memset(e, 0, sizeof(*e));
    return rc;
}

/* Encodes a PNG into an open Output (committed or aborted by the caller). */
static int png_to_output(Output *o, const char *path, const unsigned char *rgba, int w, int h)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormatFrom((void *)rgba, w, h, 32, w * 4, SDL_PIXELFORMAT_ABGR8888);
    SDL_RWops *rw = s ? SDL_RWFromFP(output_stream(o), SDL_FALSE) : NULL;
    int rc = 0;
    if (!s || !rw || IMG_SavePNG_RW(s, rw, 1)) {
        sc_set_error("%s: cannot save: %s", path, SDL_GetError());
        rc = -1;
    }
    if (s)
        SDL_FreeSurface(s);
    return rc;
}

/* One PNG written through core/output (temporary file, then renamed into place). */
static int save_frame_png(const char *path, const unsigned char *rgba, int w, int h,
                          const char *const *inputs, int n_inputs)
{
    Output *o = output_open(path, inputs, n_inputs);
    if (!o)
        return -1;
    if (png_to_output(o, path, rgba, w, h) < 0) {
        output_abort(&o);
        return -1;
    }
    return output_commit(&o);
}

/* The folder and file name of path with the folder resolved, so that two spellings of one
 * target compare equal; -1 when the folder does not resolve. */
static int canonical_target(const char *path, char *out, size_t n)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t k = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
    if (k >= sizeof dir)
        return -1;
    if (slash)
        memcpy(dir, path, k);
    else
        dir[0] = '.';
    dir[k] = '\0';
    if (!realpath(dir, real))
        return -1;
    return snprintf(out, n, "%s/%s", real, base) < (int)n ? 0 : -1;
}

static int same_target(const char *a, const char *b)
{
    char ca[2 * PATH_MAX], cb[2 * PATH_MAX];
    if (canonical_target(a, ca, sizeof ca) < 0 || canonical_target(b, cb, sizeof cb) < 0)
        return !strcmp(a, b);
    return !strcmp(ca, cb);
}

static void frame_path(char *buf, size_t n, const char *dir, long i)
{
    snprintf(buf, n, "%s/frame-%06ld.png", dir, i);
}

/* Every check that needs no rendering, before anything is built: the frame count within
 * UI_EXPORT_MAX_FRAMES, each output writable and none of the inputs, no two outputs the
 * same file, the frames folder present (never created), a known video format. */
static int export_check(const char *run_path, double dur_s, const UiExportOptions *o,
                        const char *const *inputs, int n_inputs)
{
    const double frames = floor(dur_s * o->fps + 0.5);
    if (!(frames <= UI_EXPORT_MAX_FRAMES)) {
        sc_set_error("%s: the export would be %.0f frames (%.0f s of simulated time at %g fps); "
                     "at most %d are rendered (lower --fps)",
                     run_path, frames, dur_s, o->fps, UI_EXPORT_MAX_FRAMES);
        return -1;
    }
    const char *outs[3] = {o->video, o->gif, o->screenshot_at_s >= 0 ? o->screenshot_path : NULL};
    const char *names[3] = {"--video", "--gif", "--screenshot-at"};
    for (int i = 0; i < 3; i++) {
        if (!outs[i])
            continue;
        if (!strcmp(outs[i], "-")) {
            sc_set_error("%s -: the export writes files, not stdout", names[i]);
            return -1;
        }
        if (output_check(outs[i], inputs, n_inputs) < 0)
            return -1;
        for (int j = 0; j < i; j++)
            if (outs[j] && same_target(outs[i], outs[j])) {
                sc_set_error("%s and %s name the same file %s", names[j], names[i], outs[i]);
                return -1;
            }
    }
    const AVCodec *codec;
    if (o->video && !video_format(o->video, &codec))
        return -1;
    if (o->frames) {
        struct stat st;
        if (stat(o->frames, &st) != 0 || !S_ISDIR(st.st_mode)) {
            sc_set_error("%s: folder does not exist (it is not created)", o->frames);
            return -1;
        }
        long n = (long)frames < 1 ? 1 : (long)frames;
        for (long i = 0; i < n; i++) {
            char fp[PATH_MAX + 32];
            frame_path(fp, sizeof fp, o->frames, i);
            if (output_check(fp, inputs, n_inputs) < 0)
                return -1;
        }
        char first[2 * PATH_MAX], fp[PATH_MAX + 32];
        frame_path(fp, sizeof fp, o->frames, 0);
        if (canonical_target(fp, first, sizeof first) == 0) {
            first[strlen(first) - strlen("000000.png")] = '\0'; /* "FOLDER/frame-" */
            for (int j = 0; j < 3; j++) {
                char c[2 * PATH_MAX];
                if (outs[j] && canonical_target(outs[j], c, sizeof c) == 0 &&
                    !strncmp(c, first, strlen(first))) {
                    sc_set_error("%s %s: is in the --frames folder's frame sequence", names[j],
                                 outs[j]);
                    return -1;
                }
            }
        }
    }
    return 0;
}

/* The scene a run names and its length in simulated seconds, from its file. */
static int read_run_summary(const char *run_path, SceneSpec *spec, double *dur_s)
{
    RunFile *rf = runfile_read(run_path);
    if (!rf)
        return -1;
    *spec = rf->header.scene;
    *dur_s = (double)(rf->end_tick - rf->header.start_tick) * rf->header.tick_ms / 1000.0;
    runfile_free(&rf);
    return 0;
}

/* SIGINT and SIGTERM stop the export between frames: nothing is left under a final name. */
static volatile sig_atomic_t export_signal;

static void on_export_signal(int sig)
{
    export_signal = sig;
}

static int interrupted(void)
{
    if (!export_signal)
        return 0;
    sc_set_error("interrupted by %s; nothing written",
                 export_signal == SIGINT ? "SIGINT" : "SIGTERM");
    return 1;
}

/* Progress on stderr: one line redrawn with '\r' on a terminal; else a line at each tenth. */
static void progress(long i, long n, int tty)
{
    if (tty) {
        if (i % 30 == 0 || i == n - 1)
            fprintf(stderr, "\rsaccade: rendering frame %ld / %ld", i + 1, n);
    } else if (i == n - 1 || (i + 1) * 10 / n != i * 10 / n) {
        fprintf(stderr, "saccade: rendering frame %ld / %ld\n", i + 1, n);
    }
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
    av_log_set_callback(av_log_keep); /* FFmpeg's lines join our one-line errors */
    /* the inputs no output may be: the run, the weights and the scene file it names (a clip:
     * and its ground-truth sidecar) */
    SceneSpec scene;
    double run_s = 0;
    if (read_run_summary(run_path, &scene, &run_s) < 0)
        return -1;
    char truth[sizeof(scene.path) + 8] = "";
    if (scene.kind == SCENE_VIDEO && scene_video_truth_path(scene.path, truth, sizeof(truth)) < 0)
        truth[0] = 0;
    const char *inputs[4] = {run_path, o.model,
                             scene.kind == SCENE_FILE || scene.kind == SCENE_IMAGE ||
                                     scene.kind == SCENE_VIDEO
                                 ? scene.path
                                 : NULL,
                             truth[0] ? truth : NULL};
    if (export_check(run_path, run_s, &o, inputs, 4) < 0)
        return -1;
    /* Offscreen unless the caller chose a video driver. */
    if (!getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    /* SDL would turn SIGINT and SIGTERM into a quit event the export never reads: ours stop
     * it between frames instead. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_export_signal;
    sigemptyset(&sa.sa_mask);
    export_signal = 0;
    /* a signal ignored on entry stays ignored (nohup, a shell's background job) */
    sigaction(SIGINT, NULL, &old_int);
    sigaction(SIGTERM, NULL, &old_term);
    if (old_int.sa_handler != SIG_IGN)
        sigaction(SIGINT, &sa, NULL);
    if (old_term.sa_handler != SIG_IGN)
        sigaction(SIGTERM, &sa, NULL);
    UiOptions uo;
    ui_options_default(&uo);
    uo.hidden = 1;
    uo.vsync = 0;
    uo.win_w = o.width;
    uo.win_h = o.height;
    if (o.layers_set)
        uo.layers = o.layers;
    int rc = 0;
    Encoder ev = {0}, eg = {0};
    Output *shot = NULL;
    unsigned char *px = NULL;
    UiApp *a = ui_replay_create(run_path, 1.0, o.model, &uo);
    if (!a) {
        rc = -1;
        goto done;
    }
    /* the seek points are prepared on a thread: wait for them, a signal still stops us */
    int ready;
    while ((ready = ui_replay_poll(a)) == 0 && !export_signal)
        SDL_Delay(10);
    if (interrupted() || ready < 0) {
        rc = -1;
        goto done;
    }
    a->playing = 1; /* the HUD says REPLAY; frames are advanced here, not by the loop */
    a->fps = o.fps;
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
    if (o.video && enc_open(&ev, o.video, 0, w, h, o.fps, inputs, 3) < 0) {
        rc = -1;
        goto done;
    }
    if (o.gif && enc_open(&eg, o.gif, 1, w, h, o.fps, inputs, 3) < 0) {
        rc = -1;
        goto done;
    }
    const double tick_ms = ui_replay_tick_ms(a);
    const uint64_t first = ui_replay_first(a), last = ui_replay_last(a);
    const double dur_s = (double)(last - first) * tick_ms / 1000.0;
    long n = lround(dur_s * o.fps);
    if (n < 1)
        n = 1;
    if (n > UI_EXPORT_MAX_FRAMES) { /* export_check read the same run: not reached */
        sc_set_error("%s: the export would be %ld frames; at most %d", run_path, n,
                     UI_EXPORT_MAX_FRAMES);
        rc = -1;
        goto done;
    }
    const int tty = isatty(STDERR_FILENO);
    int shot_done = o.screenshot_at_s < 0, progress_shown = 0;
    for (long i = 0; i < n; i++) {
        if (interrupted()) {
            rc = -1;
            break;
        }
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
            char fp[PATH_MAX + 32];
            frame_path(fp, sizeof(fp), o.frames, i);
            if (save_frame_png(fp, px, w, h, inputs, 3) < 0) {
                rc = -1;
                break;
            }
        }
        if (!shot_done && sim_time_ms(a->view) / 1000.0 >= o.screenshot_at_s - 1e-9) {
            shot_done = 1;
            /* committed with the videos, at the end */
            if (!(shot = output_open(o.screenshot_path, inputs, 3)) ||
                png_to_output(shot, o.screenshot_path, px, w, h) < 0) {
                rc = -1;
                break;
            }
        }
        if (!o.quiet) {
            progress(i, n, tty);
            progress_shown = 1;
        }
    }
    if (progress_shown && tty)
        fputc('\n', stderr);
    if (rc == 0 && !shot_done) {
        sc_set_error("--screenshot-at %g s: the run ends at %.2f s", o.screenshot_at_s, dur_s);
        rc = -1;
    }
    if (rc == 0 && interrupted())
        rc = -1;
    if (rc == 0 &&
        (enc_close(&ev, 1) < 0 || enc_close(&eg, 1) < 0 || (shot && output_commit(&shot) < 0)))
        rc = -1;
    if (rc == 0) {
        if (o.video)
            printf("saccade: wrote %s (%ld frames, %.3f s at %g fps)\n", o.video, n,
                   (double)n / o.fps, o.fps);
        if (o.gif)
            printf("saccade: wrote %s (%ld frames)\n", o.gif, n);
        if (o.frames)
            printf("saccade: wrote %ld frames into %s\n", n, o.frames);
        if (o.screenshot_at_s >= 0)
            printf("saccade: screenshot %s\n", o.screenshot_path);
    }
done:
    enc_close(&ev, 0);
    enc_close(&eg, 0);
    output_abort(&shot);
    free(px);
    ui_app_destroy(&a);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return rc;
}
