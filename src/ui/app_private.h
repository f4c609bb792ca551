/* app_private.h: the UiApp struct shared by app.c (loop, input) and render.c (drawing). */
#ifndef SACCADE_UI_APP_PRIVATE_H
#define SACCADE_UI_APP_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>

#include "record/player.h"
#include "record/record.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "ui/claim.h"
#include "ui/draw.h"
#include "ui/font.h"
#include "ui/gl.h"
#include "ui/ui.h"
#include "ui/window.h"

#define UI_MAX_PENDING 64
#define UI_MAX_DIRTY 256
#define UI_MAX_CATCHUP_TICKS 8 /* per frame; beyond that, simulated time is dropped */

/* Where things are on screen, in drawable px (origin top left), recomputed every frame. */
typedef struct UiLayout {
    int dw, dh;                   /* drawable size */
    float s;                      /* drawable px per screen coordinate (high DPI) x UI scale */
    float hud_h;                  /* HUD band at the top */
    float px, py, pw, ph;         /* side panel */
    float ax, ay, aw, ah;         /* scene area: the viewport plus margins; marks and labels
                                   * stay inside it (inside the viewport while zoomed) */
    float vx, vy, vw, vh;         /* scene viewport (world letterboxed into the scene area) */
    float lx, ly, lw, lh;         /* where marks and labels are drawn: the scene area, or the
                                   * viewport while zoomed */
    float fit;                    /* drawable px per world px with the whole world shown */
    float scale;                  /* drawable px per world px (fit x zoom) */
    float ox, oy;                 /* world point at the viewport's top-left corner (zoom) */
    float tl_x, tl_y, tl_w, tl_h; /* replay timeline (0 height in live mode) */
    float tl_bx, tl_bw;           /* the clickable bar inside it */
} UiLayout;

typedef struct UiGradient {
    float x, y, w, h;
    int map;
} UiGradient;

typedef struct UiGpu {
    GLuint scene_prog, image_prog, overlay_prog, fov_prog;
    GLuint quad_vao, quad_vbo;
    /* Pyramid atlas: level 0 (the world) at (0, 0), levels 1.. in a column to its right. */
    GLuint atlas_tex;
    int atlas_w, atlas_h;
    float pyr_rect[RETINA_MAX_LEVELS][4];
    GLuint maps_tex;                 /* RGBA32F per cell: saliency, ior, motion, 0 */
    GLuint overlay_tex, overlay_fbo; /* RGBA8 per cell: composited layers, premultiplied */
    GLuint fovea_tex, cortical_tex;
    GLuint ramp_tex; /* 256 x 1 ramp 0..1 for legend bars */
    int world_w, world_h, map_w, map_h, levels, n_orient, fovea_n;
    /* The retinal view cached at the viewport's size; re-rendered only when the gaze, the
     * world, the view mode or the viewport size change. */
    GLuint view_tex, view_fbo;
    int view_w, view_h, view_valid, view_fov;
    float view_zoom, view_ox, view_oy;
    SceneRect view_dirty[UI_MAX_DIRTY]; /* world boxes changed since the view was drawn */
    int n_view_dirty;
    float view_gx, view_gy;
    /* scene (compose) uniforms */
    GLint s_ndc, s_world_size, s_world_org, s_map_px, s_view_org;
    /* foveated-view uniforms */
    GLint f_ndc, f_world_size, f_world_org, f_foveated, f_atlas_size, f_pyr_rect, f_levels, f_gaze,
        f_sigma0, f_e2, f_pyr_sigma, f_level_half;
    /* overlay uniforms */
    GLint o_on, o_alpha, o_range, o_sal_map, o_ior_map, o_motion_map;
    /* image uniforms */
    GLint i_rect, i_screen, i_map, i_lo, i_hi;
} UiGpu;

/* The replay's first pass on a thread. Shared by the window and the thread, freed by whichever
 * lets go last (refs), so closing the window never waits for a long pass to finish. */
typedef struct ReplayPrep {
    char path[1024];
    PlayerParams params;
    SimClassifier cls;
    struct SimModel *model; /* the thread's own reader, opened by the thread ... */
    SimModelChoice choice;  /* ... from these files (choice.n = 0: no reader) */
    Player *player;         /* written by the thread before state */
    char error[512];
    _Atomic int state; /* 0 preparing, 1 ready, -1 failed */
    _Atomic uint64_t done, total;
    _Atomic int refs;
} ReplayPrep;

/* Where a frame's time goes (bench --window): ms summed since the caller last cleared them. */
enum {
    UI_SECT_SIM = 0, /* simulation ticks (or replay steps) */
    UI_SECT_UPLOAD,  /* world, maps, fovea and cortical view to textures */
    UI_SECT_OVERLAY, /* heat layers composited per saliency cell */
    UI_SECT_VIEW,    /* the retinal (foveated) view, redrawn where it changed */
    UI_SECT_SCENE,   /* clears and the scene quad (view + overlay) */
    UI_SECT_V1,      /* V1 strokes */
    UI_SECT_MOTION,  /* motion arrows */
    UI_SECT_MARKS,   /* scanpath, gaze marks, read tags */
    UI_SECT_PANEL,   /* side panel, legends, HUD, timeline, claim panel, help: text */
    UI_SECT_SWAP,    /* buffer swap */
    UI_SECT_COUNT
};

/* The gaze trail (render.c): display state, sampled once per drawn frame. */
#define TRAIL_N 512
typedef struct UiTrail {
    const Sim *sim; /* the view it was sampled from; another view starts it over */
    double t[TRAIL_N];
    float x[TRAIL_N], y[TRAIL_N];
    int head, n;
} UiTrail;

/* The reads the window has scored against the scene's truth (sim_truth_at_gaze: the labelled
 * object under the gaze when it was read), for the adaptation plots (issue 22): display only,
 * never simulation state. A seek or another view starts it over. */
#define UI_READ_LOG_N 200
typedef struct UiReadLog {
    const Sim *sim; /* the view it was scored on */
    int last_fix;   /* fixation index of the last read looked at (-1: none) */
    unsigned char ok[UI_READ_LOG_N];
    int head, n;
    long reads, right; /* every read scored since it started */
} UiReadLog;

/* Boxes (x, y, w, h, drawable px) already taken by labels this frame, so none covers another. */
#define LABEL_BOXES_MAX 1024 /* objects (SCENE_MAX_OBJECTS), tags, numbers, notices */
typedef struct LabelBoxes {
    float b[LABEL_BOXES_MAX][4];
    unsigned char obstacle[LABEL_BOXES_MAX]; /* 1: an object or the patch, not a label */
    int n;
} LabelBoxes;

struct UiApp {
    UiOptions opt;
    UiWindow w;
    Sim *sim;                /* live mode: the simulation this window drives (owned) */
    const Sim *view;         /* what is drawn: the live sim, or the replay player's */
    UiTrail trail;           /* the gaze trail drawn behind the gaze */
    UiReadLog read_log;      /* reads scored against the truth (adaptation plots) */
    struct SimModel *model;  /* the reader in the loop, or NULL */
    char model_loaded[2100]; /* its files, '\n' between two (live mode: reused when unchanged) */
    uint64_t model_hash; /* what a recording stores: the reader, and on words the extra readers */
    Recorder *rec;       /* live mode: recording in progress, or NULL */
    char rec_path[1024];
    int lost_output; /* a recording or screenshot failed: `live` exits 1 (issue 13) */
    /* replay mode */
    Player *player; /* NULL until the background pass is done (then a->sim goes) */
    RunFile *rf;
    struct ReplayPrep *prep; /* the background first pass, until adopted */
    pthread_t rp_thread;
    int rp_thread_live;
    int rp_thread_pending; /* the pass starts once the first frame is on screen */
    char rp_path[1024];
    size_t rp_cursor;
    SimInput *rp_inputs;
    int rp_max_inputs;
    int replay, playing;
    double speed;
    SimProfile prof;
    double stage_ms[SIM_STAGE_COUNT]; /* smoothed for the HUD */
    SimInput pending[UI_MAX_PENDING];
    int n_pending;
    double acc_ms;
    int paused, step_req, quit, help, claim;
    /* zoom about the cursor (wheel) and pan (drag); hover readout */
    float zoom, zoom_cx, zoom_cy; /* zoom >= 1; world point at the viewport's centre */
    int mouse_in, dragging, drag_button;
    float mouse_x, mouse_y, drag_x, drag_y; /* drawable px */
    int prof_sync; /* bench: time sections (glFinish after each) into sect_ms */
    double sect_ms[UI_SECT_COUNT];
    unsigned layers;
    int world_motion; /* motion arrows (layer 4): 0 V1's retinal slip, 1 world motion (key m) */
    int ticked;       /* ticks since the last upload */
    SceneRect dirty;  /* union of the scene's dirty rects since the last upload */
    SceneRect dirty_list[UI_MAX_DIRTY]; /* the per-object rects, while they fit */
    int n_dirty, dirty_overflow;
    int world_fresh; /* whole world needs uploading */
    double fps;      /* over the last half second */
    int fps_frames;
    double fps_ms;
    /* drawing */
    Draw *draw;
    Font font, font_small;
    char font_path[1024];
    float font_s; /* scale the fonts were made for */
    UiGpu gpu;
    Image cortical;                          /* made once per sim */
    float *maps_buf;                         /* map_w * map_h * 4, made once per sim */
    float motion_max, orient_max;            /* display scales of motion and V1, smoothed */
    float motion_dir_max[RETINA_MAX_LEVELS]; /* scale of the motion arrows per level */
    UiLayout L;
    UiGradient grad[8]; /* legend bars of this frame */
    int n_grad;
    /* the claim: the model's accuracy-against-offset curve, the reading score */
    EccCurve ecc;
    float reliable_px; /* ring where the still eye reads reliably, world px (-1: unknown) */
    ReadScore score;
    ObjectRead reads[SCENE_MAX_OBJECTS];
    LabelBoxes label_boxes;
    char claim_line[160]; /* the claim strip's sentence in the last frame */
    UiMarks marks;        /* what the last frame's marks were, for tests */
    /* screenshots */
    int shot_pending;
    char shot_path[1100];
    int shot_at_done;
    int shot_count;
    int shot_is_required; /* the pending shot is --screenshot-at's: failing it fails the run */
    double tab_confirm_until_ms; /* tab pressed while recording: a second press confirms */
    char status[1400];           /* transient message shown in the HUD */
    double status_until_ms;
};

/* app.c: the shown replay's first, last and current tick, ms per tick, and how far the
 * background preparation of seek points is (0..1). */
uint64_t ui_replay_first(const UiApp *a);
uint64_t ui_replay_last(const UiApp *a);
uint64_t ui_replay_tick(const UiApp *a);
double ui_replay_tick_ms(const UiApp *a);
/* app.c: moves a replay to tick (steps forward when near, else seeks). 0 or -1. */
int ui_replay_goto(UiApp *a, uint64_t tick);

/* render.c */
int render_init(UiApp *a); /* programs, quad, fonts */
void render_free(UiApp *a);
int render_sim_changed(UiApp *a); /* (re)creates textures for the current sim */
void render_layout(UiApp *a);
void render_frame(UiApp *a);
int render_fonts(UiApp *a); /* (re)builds fonts for the layout scale */

#endif
