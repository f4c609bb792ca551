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
    const char *video;  /* output video file, or NULL */
    const char *gif;    /* output GIF, or NULL */
    const char *frames; /* folder for frame-000000.png ..., or NULL (created if missing) */
    double fps;         /* frames per second of simulated time (default 30; GIF 15) */
    int width, height;  /* frame size in px (default 1280x720; even) */
    unsigned layers;    /* UI_LAYER_* mask */
    int layers_set;     /* 0: the window's default layers */
    double screenshot_at_s; /* < 0: none; else a PNG at this simulated time */
    const char *screenshot_path;
    const char *model;  /* classifier weights (NULL = the scene's default) */
    int quiet;          /* no progress line on stderr */
} UiExportOptions;

/* Returns 0, or -1 with sc_last_error() set (unreadable run, no encoder, cannot write). */
int ui_replay_export(const char *run_path, const UiExportOptions *o);

#endif
