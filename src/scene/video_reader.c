/* video_reader.c: demuxing, decoding and grey conversion of clips and cameras (FFmpeg).
 *
 * Why the file is checked by a demux pass before anything is decoded: a scene must fail at
 * creation, with one line, never half-way through a run (scene_step cannot fail). The pass reads
 * every packet of the video stream; a packet cut short by the end of the file (FFmpeg flags it
 * corrupt) or a read error other than the end means a truncated or damaged file.
 */
#include "scene/video_reader.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "core/image.h"
#include "core/log.h"

/* Containers a clip may be (FFmpeg demuxer names): MP4/MOV, Matroska/WebM, GIF. No playlist or
 * concatenation demuxer, which could make FFmpeg open other files. */
#define CLIP_FORMATS "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,gif"
enum {
    AVIO_BUF = 1 << 16,
    MAX_SKIPPED = 1 << 16, /* consecutive refused packets/frames before the clip counts as ended */
};

struct VideoReader {
    char name[1024];
    /* memory clip */
    const unsigned char *data;
    size_t n, pos;
    AVIOContext *avio;
    /* decoding */
    AVFormatContext *fmt;
    AVCodecContext *dec;
    struct SwsContext *sws;
    AVFrame *frame;
    AVPacket *pkt;
    int stream;
    int flushed;             /* the end of input was sent to the decoder */
    int strict;              /* the checking pass: any damage is an error, not skipped */
    int64_t frames, pass_us; /* what the checking pass found */
    int src_w, src_h, out_w, out_h;
    /* The luma shortcut (convert): swscale's own grey for each 8-bit luma value of frames of
     * this format, range and size, read off one synthetic frame; state 1 when it is a pure
     * function of luma (then frames are mapped through it), -1 when not (swscale always), 0
     * not built yet for this key. */
    uint8_t lut[256];
    int lut_state, lut_fmt, lut_full, lut_w, lut_h;
    int lut_used; /* the last frame converted went through it */
    int64_t interval_us;
    /* timestamps */
    AVRational tb;
    int have_first;
    int64_t first_ts, last_start_us;
};

static int mem_read(void *opaque, uint8_t *buf, int size)
{
    VideoReader *r = opaque;
    size_t left = r->n - r->pos;
    if (left == 0)
        return AVERROR_EOF;
    size_t k = (size_t)size < left ? (size_t)size : left;
    memcpy(buf, r->data + r->pos, k);
    r->pos += k;
    return (int)k;
}

static int64_t mem_seek(void *opaque, int64_t offset, int whence)
{
    VideoReader *r = opaque;
    int64_t base;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return (int64_t)r->n;
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)r->pos; break;
    case SEEK_END: base = (int64_t)r->n; break;
    default: return AVERROR(EINVAL);
    }
    if (offset > INT64_MAX - base || base + offset < 0 || (uint64_t)(base + offset) > r->n)
        return AVERROR(EINVAL);
    r->pos = (size_t)(base + offset);
    return (int64_t)r->pos;
}

void video_reader_close(VideoReader **pr)
{
    if (!pr || !*pr)
        return;
    VideoReader *r = *pr;
    avcodec_free_context(&r->dec);
    avformat_close_input(&r->fmt);
    if (r->avio) {
        av_freep(&r->avio->buffer);
        avio_context_free(&r->avio);
    }
    sws_freeContext(r->sws);
    av_frame_free(&r->frame);
    av_packet_free(&r->pkt);
    av_free(r);
    *pr = NULL;
}

static int av_err(const VideoReader *r, const char *what, int err)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(err, msg, sizeof msg);
    sc_set_error("%s: %s (%s)", r->name, what, msg);
    return -1;
}

static void quiet_ffmpeg(void)
{
    /* The program's rule is one line per error, ours: FFmpeg's default logger is silenced (a
     * logger someone installed, the video export's, still sees every line). */
    av_log_set_level(AV_LOG_QUIET);
}

static VideoReader *reader_alloc(const char *name)
{
    quiet_ffmpeg();
    VideoReader *r = av_mallocz(sizeof *r);
    if (!r) {
        sc_set_error("%s: out of memory", name);
        return NULL;
    }
    snprintf(r->name, sizeof r->name, "%s", name);
    r->frame = av_frame_alloc();
    r->pkt = av_packet_alloc();
    if (!r->frame || !r->pkt) {
        sc_set_error("%s: out of memory", name);
        video_reader_close(&r);
        return NULL;
    }
    return r;
}

static int check_side(const VideoReader *r, const char *what, int w, int h)
{
    if (w < 1 || h < 1 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
        sc_set_error("%s: %s is %dx%d px; accepted sizes are 1..%d px per side", r->name, what, w,
                     h, IMAGE_MAX_SIDE);
        return -1;
    }
    return 0;
}

/* After avformat_open_input: finds the video stream, checks its size and opens its decoder. */
static int open_stream(VideoReader *r, int out_w, int out_h)
{
    int rc = avformat_find_stream_info(r->fmt, NULL);
    if (rc < 0)
        return av_err(r, "truncated or corrupt video (no stream information)", rc);
    const AVCodec *codec = NULL;
    int st = av_find_best_stream(r->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (st == AVERROR_DECODER_NOT_FOUND) {
        int i = av_find_best_stream(r->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
        const AVCodecParameters *par = i >= 0 ? r->fmt->streams[i]->codecpar : NULL;
        char tag[AV_FOURCC_MAX_STRING_SIZE] = "none";
        if (par && par->codec_tag)
            av_fourcc_make_string(tag, par->codec_tag);
        sc_set_error("%s: unknown or unsupported video codec '%s' (tag '%s'; this build decodes "
                     "what its FFmpeg libavcodec has a decoder for)",
                     r->name, par ? avcodec_get_name(par->codec_id) : "none", tag);
        return -1;
    }
    if (st < 0) {
        sc_set_error("%s: no video stream", r->name);
        return -1;
    }
    AVStream *s = r->fmt->streams[st];
    r->stream = st;
    r->tb = s->time_base;
    if (r->tb.num <= 0 || r->tb.den <= 0)
        r->tb = (AVRational){1, 1000000};
    r->src_w = s->codecpar->width;
    r->src_h = s->codecpar->height;
    /* the world's rule applies to the world (scene_video.c); here the decoder must never be
     * asked for more than the largest world */
    if (check_side(r, "the video's frame size", r->src_w, r->src_h) < 0)
        return -1;
    r->out_w = out_w ? out_w : r->src_w;
    r->out_h = out_h ? out_h : r->src_h;
    if (check_side(r, "the output size", r->out_w, r->out_h) < 0)
        return -1;
    AVRational fr = s->avg_frame_rate.num > 0 && s->avg_frame_rate.den > 0 ? s->avg_frame_rate
                                                                           : s->r_frame_rate;
    r->interval_us = 40000;
    if (fr.num > 0 && fr.den > 0) {
        int64_t us = av_rescale(1000000, fr.den, fr.num);
        if (us >= 1000 && us <= 10000000)
            r->interval_us = us;
    }
    r->dec = avcodec_alloc_context3(codec);
    if (!r->dec) {
        sc_set_error("%s: out of memory", r->name);
        return -1;
    }
    if ((rc = avcodec_parameters_to_context(r->dec, s->codecpar)) < 0)
        return av_err(r, "cannot set up the decoder", rc);
    r->dec->thread_count = 1; /* decoding ahead is the scene's thread; one decoder thread */
    r->dec->flags |= AV_CODEC_FLAG_BITEXACT;
    /* the same in the checking pass and in play: a clip that passed decodes without error */
    r->dec->err_recognition |= AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_EXPLODE;
    r->dec->max_pixels = (int64_t)IMAGE_MAX_SIDE * IMAGE_MAX_SIDE;
    r->dec->pkt_timebase = r->tb;
    if ((rc = avcodec_open2(r->dec, codec, NULL)) < 0)
        return av_err(r, "cannot open the decoder", rc);
    return 0;
}

static int open_memory_format(VideoReader *r)
{
    r->pos = 0;
    unsigned char *buf = av_malloc(AVIO_BUF);
    r->avio = buf ? avio_alloc_context(buf, AVIO_BUF, 0, r, mem_read, NULL, mem_seek) : NULL;
    r->fmt = r->avio ? avformat_alloc_context() : NULL;
    if (!r->fmt) {
        if (!r->avio)
            av_free(buf);
        sc_set_error("%s: out of memory", r->name);
        return -1;
    }
    r->fmt->pb = r->avio;
    r->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    r->fmt->format_whitelist = av_strdup(CLIP_FORMATS);
    r->fmt->protocol_whitelist = av_strdup("none");
    if (!r->fmt->format_whitelist || !r->fmt->protocol_whitelist) {
        sc_set_error("%s: out of memory", r->name);
        return -1;
    }
    int rc = avformat_open_input(&r->fmt, NULL, NULL, NULL);
    if (rc < 0) { /* avformat_open_input frees the context on failure */
        r->fmt = NULL;
        return av_err(r,
                      "not a video file this build reads (MP4, MOV, MKV, WebM or GIF), or its "
                      "header is truncated or corrupt",
                      rc);
    }
    return 0;
}

VideoReader *video_reader_open_memory(const char *name, const unsigned char *data, size_t n,
                                      int out_w, int out_h, int check)
{
    if (n == 0) {
        sc_set_error("%s: empty file", name);
        return NULL;
    }
    if (n > VIDEO_FILE_MAX || n > (size_t)INT64_MAX) {
        sc_set_error("%s: file too large (at most %zu MiB)", name, VIDEO_FILE_MAX >> 20);
        return NULL;
    }
    VideoReader *r = reader_alloc(name);
    if (!r)
        return NULL;
    r->data = data;
    r->n = n;
    if (open_memory_format(r) < 0 || open_stream(r, out_w, out_h) < 0)
        goto fail;
    if (!check)
        return r;
    r->strict = 1;
    int64_t start = 0, dur = 0;
    for (int rc; (rc = video_reader_next(r, NULL, &start, &dur)) != 0;) {
        if (rc < 0)
            goto fail;
        r->frames++;
        r->pass_us = start + dur;
    }
    if (r->frames == 0) {
        sc_set_error("%s: the video has no frames", name);
        goto fail;
    }
    /* start again from the first byte, with a fresh demuxer and decoder: no seeking, whose
     * exactness depends on the container */
    r->strict = r->flushed = r->have_first = 0;
    r->last_start_us = 0;
    avcodec_free_context(&r->dec);
    avformat_close_input(&r->fmt);
    av_freep(&r->avio->buffer);
    avio_context_free(&r->avio);
    if (open_memory_format(r) < 0 || open_stream(r, out_w, out_h) < 0)
        goto fail;
    return r;
fail:
    video_reader_close(&r);
    return NULL;
}

VideoReader *video_reader_open_camera(const char *device, int out_w, int out_h)
{
    VideoReader *r = reader_alloc(device);
    if (!r)
        return NULL;
    avdevice_register_all();
    const AVInputFormat *v4l2 = av_find_input_format("video4linux2");
    if (!v4l2) {
        sc_set_error("%s: this FFmpeg has no V4L2 camera input (libavdevice)", device);
        goto fail;
    }
    int rc = avformat_open_input(&r->fmt, device, v4l2, NULL);
    if (rc < 0) {
        r->fmt = NULL;
        av_err(r, "cannot open the camera", rc);
        goto fail;
    }
    if (open_stream(r, out_w, out_h) < 0)
        goto fail;
    return r;
fail:
    video_reader_close(&r);
    return NULL;
}

void video_reader_source_size(const VideoReader *r, int *w, int *h)
{
    *w = r->src_w;
    *h = r->src_h;
}

void video_reader_output_size(const VideoReader *r, int *w, int *h)
{
    *w = r->out_w;
    *h = r->out_h;
}

int64_t video_reader_interval_us(const VideoReader *r)
{
    return r->interval_us;
}

void video_reader_pass(const VideoReader *r, uint64_t *frames, int64_t *pass_us)
{
    *frames = (uint64_t)r->frames;
    *pass_us = r->pass_us;
}

static int full_range(const AVFrame *f)
{
    switch (f->format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P: return 1;
    default: break;
    }
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    /* RGB, palette and grey formats are full range; Y'CbCr is limited unless it says not */
    if (d && (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)))
        return 1;
    if (d && d->nb_components <= 2)
        return f->color_range != AVCOL_RANGE_MPEG;
    return f->color_range == AVCOL_RANGE_JPEG;
}

/* swscale's grey of frame f (its size, format and range) into dst (out_w x out_h). */
static int sws_grey(VideoReader *r, const AVFrame *f, int full, uint8_t *dst)
{
    r->sws = sws_getCachedContext(r->sws, f->width, f->height, f->format, r->out_w, r->out_h,
                                  AV_PIX_FMT_GRAY8, SWS_BILINEAR | SWS_BITEXACT | SWS_ACCURATE_RND,
                                  NULL, NULL, NULL);
    if (!r->sws)
        return -1;
    const int *coef = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(r->sws, coef, full, coef, 1, 0, 1 << 16, 1 << 16);
    uint8_t *planes[4] = {dst, NULL, NULL, NULL};
    int strides[4] = {r->out_w, 0, 0, 0};
    int rows = sws_scale(r->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, planes,
                         strides);
    return rows == r->out_h ? 0 : -1;
}

/* Whether the format keeps 8-bit luma samples one byte apart in plane 0 (planar and
 * semi-planar Y'CbCr, grey): the luma shortcut's candidates. */
static int luma_plane8(int format)
{
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(format);
    if (!d || d->nb_components < 1 ||
        (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BE |
                     AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BAYER |
                     AV_PIX_FMT_FLAG_FLOAT)))
        return 0;
    const AVComponentDescriptor *y = &d->comp[0];
    return y->plane == 0 && y->step == 1 && y->offset == 0 && y->shift == 0 && y->depth == 8;
}

/* Builds the luma table for frames like f: a synthetic frame of f's size, format and range,
 * black chroma, every luma value 0..255 at several places, through swscale; the table is kept
 * only when every pixel of a value came out the same (state 1), else swscale stays (-1). */
static void lut_build(VideoReader *r, const AVFrame *f, int full)
{
    r->lut_state = -1;
    r->lut_fmt = f->format;
    r->lut_full = full;
    r->lut_w = f->width;
    r->lut_h = f->height;
    if ((long)f->width * f->height < 256 || r->out_w != f->width || r->out_h != f->height)
        return;
    AVFrame *t = av_frame_alloc();
    uint8_t *out = av_malloc((size_t)f->width * (size_t)f->height);
    if (!t || !out)
        goto done;
    t->width = f->width;
    t->height = f->height;
    t->format = f->format;
    if (av_frame_get_buffer(t, 0) < 0 ||
        av_image_fill_black(
            t->data,
            (const ptrdiff_t[4]){t->linesize[0], t->linesize[1], t->linesize[2], t->linesize[3]},
            f->format, full ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG, t->width, t->height) < 0)
        goto done;
    for (int y = 0; y < t->height; y++)
        for (int x = 0; x < t->width; x++)
            t->data[0][(size_t)y * (size_t)t->linesize[0] + (size_t)x] =
                (uint8_t)((x + 37 * y) & 255);
    if (sws_grey(r, t, full, out) < 0)
        goto done;
    int seen[256] = {0};
    for (int y = 0; y < t->height; y++)
        for (int x = 0; x < t->width; x++) {
            int v = (x + 37 * y) & 255;
            uint8_t o = out[(size_t)y * (size_t)t->width + (size_t)x];
            if (seen[v] && r->lut[v] != o)
                goto done; /* not a function of luma alone: swscale it is */
            seen[v] = 1;
            r->lut[v] = o;
        }
    for (int v = 0; v < 256; v++)
        if (!seen[v])
            goto done;
    r->lut_state = 1;
done:
    av_free(out);
    av_frame_free(&t);
}

int video_reader_luma_shortcut(const VideoReader *r)
{
    return r->lut_used;
}

/* Converts the decoded frame into dst. Returns 0, or -1 when this frame cannot be converted.
 * A frame at the output size whose luma is 8-bit in plane 0 (H.264's and VP9's usual formats)
 * goes through the luma table swscale itself made (lut_build): the same bytes as swscale, in
 * about a tenth of its time (1.15 ms for a 1280 x 720 frame, issue 21's decoding budget). */
static int convert(VideoReader *r, uint8_t *dst)
{
    const AVFrame *f = r->frame;
    if (f->width < 1 || f->height < 1 || f->width > IMAGE_MAX_SIDE || f->height > IMAGE_MAX_SIDE ||
        f->format < 0)
        return -1;
    int full = full_range(f);
    if (f->width == r->out_w && f->height == r->out_h && luma_plane8(f->format)) {
        if (r->lut_state == 0 || r->lut_fmt != f->format || r->lut_full != full ||
            r->lut_w != f->width || r->lut_h != f->height)
            lut_build(r, f, full);
        if (r->lut_state == 1) {
            r->lut_used = 1;
            for (int y = 0; y < f->height; y++) {
                const uint8_t *src = f->data[0] + (ptrdiff_t)y * f->linesize[0];
                uint8_t *row = dst + (size_t)y * (size_t)r->out_w;
                for (int x = 0; x < f->width; x++)
                    row[x] = r->lut[src[x]];
            }
            return 0;
        }
    }
    r->lut_used = 0;
    return sws_grey(r, f, full, dst);
}

static void frame_times(VideoReader *r, int64_t *start_us, int64_t *duration_us)
{
    const AVFrame *f = r->frame;
    int64_t ts = f->best_effort_timestamp, start;
    if (ts == AV_NOPTS_VALUE)
        ts = f->pts;
    if (!r->have_first) {
        r->have_first = 1;
        r->first_ts = ts;
        start = 0;
    } else if (ts == AV_NOPTS_VALUE || r->first_ts == AV_NOPTS_VALUE || ts < r->first_ts) {
        start = r->last_start_us + r->interval_us;
    } else {
        start = av_rescale_q(ts - r->first_ts, r->tb, (AVRational){1, 1000000});
        if (start <= r->last_start_us || start > r->last_start_us + 3600LL * 1000000)
            start = r->last_start_us + r->interval_us; /* not increasing, or an absurd jump */
    }
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    int64_t dur = f->duration;
#else
    int64_t dur = f->pkt_duration;
#endif
    dur = dur > 0 && dur < INT32_MAX ? av_rescale_q(dur, r->tb, (AVRational){1, 1000000}) : 0;
    if (dur < 1000 || dur > 10000000)
        dur = r->interval_us;
    r->last_start_us = start;
    *start_us = start;
    *duration_us = dur;
}

static int damaged(VideoReader *r, const char *what, int err)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = "";
    if (err)
        av_strerror(err, msg, sizeof msg);
    sc_set_error("%s: truncated or corrupt video (%s after %lld frames%s%s)", r->name, what,
                 (long long)r->frames, err ? ": " : "", msg);
    return -1;
}

int video_reader_next(VideoReader *r, uint8_t *dst, int64_t *start_us, int64_t *duration_us)
{
    for (int skipped = 0; skipped < MAX_SKIPPED;) {
        int rc = avcodec_receive_frame(r->dec, r->frame);
        if (rc == 0) {
            if (r->strict &&
                (r->frame->decode_error_flags || (r->frame->flags & AV_FRAME_FLAG_CORRUPT))) {
                av_frame_unref(r->frame);
                return damaged(r, "a frame decodes with errors", 0);
            }
            int ok = !dst || convert(r, dst) == 0;
            if (ok)
                frame_times(r, start_us, duration_us);
            av_frame_unref(r->frame);
            if (ok)
                return 1;
            if (r->strict)
                return damaged(r, "a frame cannot be converted to grey", 0);
            skipped++;
            continue;
        }
        if (rc == AVERROR_EOF)
            return 0;
        if (rc != AVERROR(EAGAIN)) {
            if (rc == AVERROR(ENOMEM))
                return av_err(r, "decoding", rc);
            if (r->strict)
                return damaged(r, "the decoder refuses a frame", rc);
            skipped++; /* a frame the decoder refused */
            continue;
        }
        if (r->flushed)
            return 0;
        rc = av_read_frame(r->fmt, r->pkt);
        if (rc == AVERROR(EAGAIN)) /* a camera with no frame yet: read again */
            continue;
        if (rc < 0) {
            if (r->strict && rc != AVERROR_EOF)
                return damaged(r, "unreadable packet", rc);
            r->flushed = 1;
            avcodec_send_packet(r->dec, NULL);
            continue;
        }
        if (r->pkt->stream_index == r->stream) {
            if (r->strict && (r->pkt->flags & AV_PKT_FLAG_CORRUPT)) {
                av_packet_unref(r->pkt);
                return damaged(r, "a packet is cut short", 0);
            }
            rc = avcodec_send_packet(r->dec, r->pkt);
            if (rc < 0 && rc != AVERROR(EAGAIN)) {
                if (r->strict) {
                    av_packet_unref(r->pkt);
                    return damaged(r, "the decoder refuses a packet", rc);
                }
                skipped++;
            }
        }
        av_packet_unref(r->pkt);
    }
    return r->strict ? damaged(r, "too many undecodable frames", 0) : 0;
}
