/* app_private.h: the UiApp struct shared by app.c (loop, input) and render.c (drawing). */
#ifndef SACCADE_UI_APP_PRIVATE_H
#define SACCADE_UI_APP_PRIVATE_H

#include "sim/sim.h"
#include "ui/draw.h"
#include "ui/font.h"
#include "ui/gl.h"
#include "ui/ui.h"
#include "ui/window.h"

#define UI_MAX_PENDING 64
#define UI_MAX_CATCHUP_TICKS 8 /* per frame; beyond that, simulated time is dropped */

/* Where things are on screen, in drawable px (origin top left), recomputed every frame. */
typedef struct UiLayout {
    int dw, dh;          /* drawable size */
    float s;             /* drawable px per screen coordinate (high DPI) x UI scale */
    float hud_h;         /* HUD band at the top */
    float px, py, pw, ph; /* side panel */
    float vx, vy, vw, vh; /* scene viewport (world letterboxed into the scene area) */
    float scale;         /* drawable px per world px */
    float tl_x, tl_y, tl_w, tl_h; /* replay timeline (0 height in live mode) */
} UiLayout;

typedef struct UiGpu {
    GLuint scene_prog, image_prog;
    GLuint quad_vao, quad_vbo;
    GLuint world_tex, pyr_tex[RETINA_MAX_LEVELS];
    int pyr_w[RETINA_MAX_LEVELS], pyr_h[RETINA_MAX_LEVELS];
    GLuint sal_tex, ior_tex, motion_tex, orient_tex, fovea_tex, cortical_tex;
    int world_w, world_h, map_w, map_h, levels, n_orient, fovea_n;
    /* scene uniforms */
    GLint s_ndc, s_world_size, s_foveated, s_raw, s_layers, s_alpha, s_map_px, s_motion_max, s_sal_max,
        s_orient_max, s_n_orient, s_orient_rad, s_sal_map, s_ior_map, s_motion_map, s_pyr_size,
        s_levels, s_gaze, s_sigma0, s_e2, s_pyr_sigma;
    /* image uniforms */
    GLint i_rect, i_screen, i_map, i_lo, i_hi;
} UiGpu;

struct UiApp {
    UiOptions opt;
    UiWindow w;
    Sim *sim;
    SimProfile prof;
    double stage_ms[SIM_STAGE_COUNT]; /* smoothed for the HUD */
    SimInput pending[UI_MAX_PENDING];
    int n_pending;
    double acc_ms;
    int paused, step_req, quit, help;
    unsigned layers;
    int ticked;            /* ticks since the last upload */
    SceneRect dirty;       /* union of the scene's dirty rects since the last upload */
    int world_fresh;       /* whole world needs uploading */
    double fps;            /* smoothed */
    int frames;
    /* drawing */
    Draw *draw;
    Font font, font_small;
    char font_path[1024];
    float font_s;          /* scale the fonts were made for */
    UiGpu gpu;
    Image cortical;        /* made once per sim */
    float motion_max, orient_max, sal_max; /* display normalisation, smoothed */
    UiLayout L;
    /* screenshots */
    int shot_pending;
    char shot_path[1100];
    int shot_at_done;
    int shot_count;
    char status[1400];      /* transient message shown in the HUD */
    double status_until_ms;
};

/* render.c */
int render_init(UiApp *a);               /* programs, quad, fonts */
void render_free(UiApp *a);
int render_sim_changed(UiApp *a);        /* (re)creates textures for the current sim */
void render_layout(UiApp *a);
void render_frame(UiApp *a);
int render_fonts(UiApp *a);              /* (re)builds fonts for the layout scale */

#endif
