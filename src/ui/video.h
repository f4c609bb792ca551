/* video.h: renders a recording offscreen into a video (H.264 MP4, or whatever container the
 * file name asks for), an animated GIF and/or numbered PNG frames, through FFmpeg's libraries
 * (libavcodec, libavformat, libswscale): no hand-written encoder.
 *
 * Frame i shows the run at simulated time i / fps (from the run's first tick); the run's whole
 * length gives round(duration * fps) frames, so a player reads exactly that frame count and
 * duration. Every frame is the replay window's picture at the chosen size and layers.
 */
#ifndef SACCADE_UI_VIDEO_H
#define SACCADE_UI_VIDEO_H

typedef struct UiExportOptions {
    const char *video;      /* output video file, or NULL */
    const char *gif;        /* output GIF, or NULL */
    const char *frames;     /* existing folder for frame-000000.png ..., or NULL (never created) */
    double fps;             /* frames per second of simulated time (default 30; GIF 15) */
    int width, height;      /* frame size in px (default 1280x720; even) */
    unsigned layers;        /* UI_LAYER_* mask */
    int layers_set;         /* 0: the window's default layers */
    double screenshot_at_s; /* < 0: none; else a PNG at this simulated time */
    const char *screenshot_path;
    const char *model; /* classifier weights (NULL = the scene's default) */
    int quiet;         /* no progress line on stderr */
} UiExportOptions;

/* At most this many frames are rendered (2 hours at 30 fps): a longer export is refused before
 * anything is built, whatever the run's tick length. */
#define UI_EXPORT_MAX_FRAMES 216000

/* Every output goes through core/output.h: written to a temporary file and renamed into place
 * only when complete, never onto an input, a symbolic link or anything but a regular file; no
 * two outputs may be one file; the frames folder must exist. The video's container follows its
 * file name (an unknown extension is an error; none means MP4); FFmpeg never opens a file by
 * name. SIGINT and SIGTERM stop the export between frames with nothing under a final name
 * (frames already written stay). Progress goes to stderr ('\r' only on a terminal).
 * Returns 0, or -1 with sc_last_error() set (unreadable run, no encoder, cannot write,
 * interrupted). */
int ui_replay_export(const char *run_path, const UiExportOptions *o);

#endif
