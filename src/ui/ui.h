/* ui.h: the live window (and the replay window) of saccade.
 *
 * One resizable SDL2 window with an OpenGL 3.3 core context. The loop advances the simulation
 * at its fixed tick from accumulated real time (bounded catch-up, never faster than real time)
 * and renders at the display rate; rendering only reads simulation state. SDL events become
 * SimInput values (src/sim/sim.h) given to sim_tick: nothing else crosses from the window into
 * the simulation. Input is handled from SDL_PollEvent only, so SDL_PushEvent scripts it.
 *
 * Tests drive the window in-process: ui_app_create, then ui_app_frame with a fake clock (each
 * call says how many real milliseconds passed), then ui_app_destroy.
 */
#ifndef SACCADE_UI_H
#define SACCADE_UI_H

#include <stdint.h>

#include "scene/scene.h"

/* Layer bits, toggled by keys 1-6. */
enum {
    UI_LAYER_SALIENCY = 1 << 0,
    UI_LAYER_IOR = 1 << 1,
    UI_LAYER_ORIENT = 1 << 2,
    UI_LAYER_MOTION = 1 << 3,
    UI_LAYER_SCANPATH = 1 << 4,
    UI_LAYER_FOVEATED = 1 << 5,
    UI_LAYER_ALL = (1 << 6) - 1,
};

typedef struct UiOptions {
    SceneSpec spec;
    uint64_t seed;
    int win_w, win_h;       /* window size in screen coordinates (default 1600x900) */
    double quit_after_s;    /* quit when this much SIMULATED time has passed (<= 0: never) */
    double screenshot_at_s; /* screenshot when this much simulated time has passed (< 0: none) */
    char screenshot_path[1024];
    int record;             /* start recording at once */
    char record_path[1024]; /* "" = a new name in saved_runs/ */
    char model_path[1024];  /* classifier: "mnist", "glyphs" or a file ("" = by scene) */
    int no_model;           /* no classifier */
    int readers;            /* words scene: extra readers (sim_model_attach_readers) */
    int manual;             /* start in MANUAL mode */
    unsigned layers;        /* initial UI_LAYER_* mask */
    int hidden;             /* hidden window (tests) */
    int vsync;              /* 1: sync to the display (default); 0: as fast as possible */
    float step_deg;         /* arrow-key saccade, degrees (default 2) */
    int claim;              /* show the claim panel at start (key c) */
    /* Runtime parameters (SimConfig; 0 = default); recorded in run files (format v3). */
    int fovea_px; /* retina.fovea_size */
    float ior_decay_ms, ior_radius_deg, fix_mean_ms;
    int spectral;          /* saliency by spectral residual instead of Itti-Koch */
    int no_pursuit;        /* eye.pursuit = 0 (format v4) */
    int goggles;           /* retina.flip (issue 22 §1; format v5) */
    float adapt_rate;      /* saccade_adapt_rate; < 0: the goggles' default */
    int plasticity;        /* SimConfig.plasticity (issue 22 §2; format v6), 0 off */
    float plasticity_rate; /* plasticity_eta; <= 0: the mode's default */
} UiOptions;

void ui_options_default(UiOptions *o);
/* The runtime parameters of o (those set) into a SimConfig. */
struct SimConfig;
void ui_config_apply(const UiOptions *o, struct SimConfig *c);

typedef struct UiApp UiApp;
typedef struct Sim Sim;

/* Opens the window, loads shaders and font, builds the simulation. NULL with sc_last_error()
 * set; *no_display (may be NULL) is set to 1 when the failure is that there is no usable
 * display. */
UiApp *ui_app_create(const UiOptions *o, int *no_display);
void ui_app_destroy(UiApp **a);

/* One frame: handles pending SDL events, advances the simulation by real_dt_ms of real time
 * (fixed ticks, at most a few per frame), renders, saves a requested screenshot, swaps.
 * Returns 0 to continue, 1 when the app wants to quit (q, esc, window closed, SIGTERM,
 * --quit-after), -1 on an error (sc_last_error()). */
int ui_app_frame(UiApp *a, double real_dt_ms);

/* The running loop with the real clock; returns the process exit code. */
int ui_app_run(UiApp *a);

/* Reads the last rendered frame (RGBA8, top row first, w*h*4 bytes into a caller buffer of
 * at least cap bytes). Returns 0 or -1. */
int ui_app_read_pixels(UiApp *a, unsigned char *rgba, size_t cap, int *w, int *h);
int ui_app_screenshot(UiApp *a, const char *path);

const Sim *ui_app_sim(const UiApp *a);
/* The SDL window (tests resize it). */
struct SDL_Window *ui_app_window(UiApp *a);
void ui_app_set_layers(UiApp *a, unsigned layers);
unsigned ui_app_layers(const UiApp *a);
/* World px -> drawable px (origin top left) through the current viewport, and back. */
void ui_app_world_to_screen(const UiApp *a, float wx, float wy, float *sx, float *sy);
int ui_app_screen_to_world(const UiApp *a, float sx, float sy, float *wx, float *wy);
/* HUD band in drawable px (for tests): y0..y1 over the full width. */
void ui_app_hud_rect(const UiApp *a, int *y0, int *y1);
/* Colour of the gaze marker (0..1), for tests that look for it. */
void ui_gaze_marker_color(float rgb[3]);
/* Radius of the fovea ring in degrees. */
float ui_fovea_ring_deg(void);

/* Renders the foveated view alone into a float buffer of the world's size (w*h floats, top
 * row first), on the GPU. For the test that compares it with retina_foveated(). */
int ui_app_render_foveated(UiApp *a, float *dst, int w, int h);

/* `saccade live` entry: options parsed by the CLI. Returns the exit code. */
int ui_live(const UiOptions *o);

/* The replay window: plays a run file (src/record/player.h) with every overlay. Keys: space
 * play/pause, '.' step, left/right seek 1 s, home/end, +/- speed (0.25x..8x), click on the
 * timeline to seek, 1-6 layers, s screenshot, h help, q/esc quit. model: the classifier the
 * run was recorded with (NULL = the scene's default). o supplies window options (NULL =
 * defaults). ui_replay_create is the in-process form for tests. */
#define SACCADE_HAVE_UI_REPLAY 1
UiApp *ui_replay_create(const char *path, double speed, const char *model, const UiOptions *o);
int ui_replay_run(const char *path, double speed, const char *model, const UiOptions *o);
/* Parses a --layers list: digits 1-6 (commas allowed), "all" or "none". 0 or -1. */
int ui_parse_layers(const char *s, unsigned *mask);
/* Where frame time goes, for bench --window: on = 1 times each section of every frame (with a
 * glFinish after each, so GPU work is charged where it is caused); ms (may be NULL) gets the
 * ms summed per section since the last call (ui_section_name(i) names them, NULL past the
 * last), and the sums restart. */
void ui_app_profile(UiApp *a, int on, double *ms);
const char *ui_section_name(int i);
#define UI_SECTIONS_MAX 16
/* 1 while a recording is in progress (live mode). */
int ui_app_recording(const UiApp *a);
/* Smoothed per-stage ms per tick shown in the HUD (SIM_STAGE_COUNT values, src/sim/sim.h). */
void ui_app_stage_ms(const UiApp *a, double *ms);
/* Waits until the replay's seek points are prepared (they are made on a thread while the
 * window already plays); the export and tests use it. */
int ui_replay_wait(UiApp *a); /* 0, or -1 with sc_last_error() set */
/* Without waiting: 1 when the seek points are ready (the player took over), 0 while they are
 * still being prepared, -1 when preparing failed (sc_last_error() set). */
int ui_replay_poll(UiApp *a);
/* The share of the seek points prepared (0..1; 1 once the player took over). */
float ui_replay_progress(const UiApp *a);
/* 1 once the pass that prepares them has started: when the window's first frame is on screen
 * (on two cores it had slowed the first frame), or at the first seek, wait or poll. */
int ui_replay_pass_started(const UiApp *a);
/* The HUD's reading score as last drawn (src/ui/claim.h), for tests. */
struct ReadScore;
void ui_app_score(const UiApp *a, struct ReadScore *out);
/* The view's zoom (1 = the whole world), for tests. */
float ui_app_zoom(const UiApp *a);
/* For tests: the labels of the last frame (read tags, fixation numbers, "saccadic
 * suppression", the status and zoom notes) as x, y, w, h in drawable px, up to cap of them
 * (returns how many), and the scene area they are kept in (the world's viewport and its
 * margins; nothing drawn there is clipped). */
int ui_app_labels(const UiApp *a, float *xywh, int cap);
void ui_app_scene_area(const UiApp *a, float *x, float *y, float *w, float *h);
/* For tests: the claim strip's sentence in the last frame ("offset 2.8 px: a still eye reads
 * this 94%", or which curve file is missing). */
const char *ui_app_claim_line(const UiApp *a);
/* For tests: what the scene's marks were in the last frame. */
typedef struct UiMarks {
    int rings;   /* fixation rings drawn */
    int tracks;  /* followed moving objects drawn as a line (one per run of fixations) */
    int numbers; /* fixation numbers drawn */
    int tags, wrong_tags;
    char wrong_tag[160];    /* the last wrong read's tag text, UTF-8 ("l 74% \u2260 I") */
    int gaze_arrow;         /* 1: the gaze is zoomed off the view and an arrow points to it */
    float arrow_x, arrow_y; /* its tip, drawable px */
    char hover_object[160], hover_read[160]; /* the hover box's object lines, "" for none */
    int motion_arrows, world_arrows; /* layer 4: V1 retinal-slip arrows / world-motion arrows */
    /* the side panel's adaptation block (goggles, plasticity; issue 22): points on its
     * landing-error and reading plots, and the reads scored against the truth so far */
    int adapt_block, error_points, read_points;
    long reads_scored, reads_right;
} UiMarks;
void ui_app_marks(const UiApp *a, UiMarks *out);
/* Replay state for tests: current tick, last tick, playing flag. */
void ui_replay_state(const UiApp *a, uint64_t *tick, uint64_t *last, int *playing);

#endif
