/* video_reader.h: frames of a video clip or a camera as luma, in display order (scene module
 * only; other modules use scene.h).
 *
 * FFmpeg's libraries do the work: libavformat demuxes (a clip from memory through our own AVIO
 * context, so FFmpeg never opens a file or URL by name; only the MP4/MOV, Matroska/WebM and GIF
 * demuxers are allowed), libavcodec decodes (one thread, bit-exact flags: the same file gives the
 * same pixels on every run), libswscale converts to 8-bit full-range grey at the output size
 * (bilinear when it resamples). A camera is opened through libavdevice (V4L2).
 *
 * Luma: the grey level swscale gives for the frame (Y of Y'CbCr, expanded from limited to full
 * range when the clip says it is limited), as byte / 255.
 *
 * Timing: each frame's start, in microseconds from the first frame, from its presentation
 * timestamp (best effort); a missing or non-increasing timestamp becomes the previous start plus
 * the nominal frame interval. Nothing here reads a clock.
 */
#ifndef SACCADE_SCENE_VIDEO_READER_H
#define SACCADE_SCENE_VIDEO_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct VideoReader VideoReader;

/* Largest clip file the program reads into memory, bytes. */
#define VIDEO_FILE_MAX ((size_t)1 << 30)

/* Opens a clip held in memory (data must outlive the reader; name is for errors only). With
 * check, first decodes the whole clip once, failing on any damage (the checking pass,
 * video_reader.c): a truncated or corrupt file, one without a video stream, with an unknown
 * codec, without frames, or with a frame size outside 1..IMAGE_MAX_SIDE px per side is refused
 * here. Without (the same bytes again: a clip looping), only the container is opened. out_w/out_h:
 * the size frames are delivered at (0, 0: the clip's own size); each 1..IMAGE_MAX_SIDE. Returns
 * NULL with a one-line sc_last_error() ("clip.mp4: truncated or corrupt video (...)"). */
VideoReader *video_reader_open_memory(const char *name, const unsigned char *data, size_t n,
                                      int out_w, int out_h, int check);
/* Opens a V4L2 camera ("/dev/video0") through libavdevice; same size rules. NULL + error. */
VideoReader *video_reader_open_camera(const char *device, int out_w, int out_h);
void video_reader_close(VideoReader **r);

/* The clip's own frame size and the delivered size, px. */
void video_reader_source_size(const VideoReader *r, int *w, int *h);
void video_reader_output_size(const VideoReader *r, int *w, int *h);
/* Nominal frame interval, us (from the stream's frame rate; 40000 when it has none). */
int64_t video_reader_interval_us(const VideoReader *r);

/* What the checking pass found: frames in the clip and the length of one pass, us (the last
 * frame's start plus its duration). 0 and 0 for a camera or an unchecked open. */
void video_reader_pass(const VideoReader *r, uint64_t *frames, int64_t *pass_us);

/* 1 when the last frame went through the luma table (video_reader.c, convert: swscale's own
 * mapping of each luma value, for frames at the output size with 8-bit luma), else 0. */
int video_reader_luma_shortcut(const VideoReader *r);

/* Decodes the next frame into dst (out_w * out_h bytes, rows packed): grey 0..255. Sets *start_us
 * (us since the first frame; increasing) and *duration_us (> 0; the frame's own duration when
 * the clip gives one, else the nominal interval). Returns 1, 0 at the end of the clip, -1 on
 * error (sc_last_error). A packet or frame the decoder refuses is skipped. */
int video_reader_next(VideoReader *r, uint8_t *dst, int64_t *start_us, int64_t *duration_us);

#endif
