/* render.c: everything the window draws. Reads simulation state only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "sim/sim_adapt.h"
#include "sim/sim_reading.h"
#include "ui/app_private.h"
#include "ui/claim.h"
#include "ui/shader.h"
#include "v1/plasticity.h"

#define PARAFOVEA_RING_DEG 5.0f
#define MAP_VIRIDIS 1
#define MAP_INFERNO 2
#define SAL_MAP MAP_INFERNO
#define IOR_MAP MAP_VIRIDIS
#define MOTION_MAP MAP_INFERNO
#define OVERLAY_ALPHA 0.7f
#define SCANPATH_MAX 40
#define SCANPATH_FADE_MS 4000.0 /* a fixation's marks fade to 1/e over this long */
#define TRACK_MIN_DEG_S 0.5f    /* an object this fast is followed, not fixated */
#define TAG_RINGS 5             /* tag places: touching the object, then 1 to 4 line heights out */
#define TAG_SPIRAL 96           /* then a spiral out to 12 line heights, 8 directions a step */
#define TAG_PLACES (8 * TAG_RINGS + TAG_SPIRAL)

static const Rgba C_TEXT = {0.92f, 0.92f, 0.94f, 1.0f};
static const Rgba C_DIM = {0.55f, 0.56f, 0.60f, 1.0f};
static const Rgba C_HUD_BG = {0.06f, 0.06f, 0.08f, 1.0f};
static const Rgba C_PANEL_BG = {0.11f, 0.11f, 0.13f, 1.0f};
static const Rgba C_PATH = {1.0f, 0.62f, 0.15f, 1.0f};
static const Rgba C_MOTION_ARROW = {0.45f, 1.0f, 0.85f, 0.95f};

static GLuint tex_r32f(int w, int h, GLint filter)
{
    GLuint t;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return t;
}

/* Uploads a sub-rectangle of img into the atlas at (ox, oy). */
static void atlas_upload(GLuint t, const Image *img, int ox, int oy, int x0, int y0, int x1, int y1)
{
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > img->w)
        x1 = img->w;
    if (y1 > img->h)
        y1 = img->h;
    if (x0 >= x1 || y0 >= y1)
        return;
    glBindTexture(GL_TEXTURE_2D, t);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, img->stride);
    glTexSubImage2D(GL_TEXTURE_2D, 0, ox + x0, oy + y0, x1 - x0, y1 - y0, GL_RED, GL_FLOAT,
                    img->px + (size_t)y0 * (size_t)img->stride + (size_t)x0);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
}

/* Uploads rows y0..y1, columns x0..x1 of img into the texture (same size). */
static void tex_upload(GLuint t, const Image *img, int x0, int y0, int x1, int y1)
{
    atlas_upload(t, img, 0, 0, x0, y0, x1, y1);
}

static void free_textures(UiGpu *g)
{
    GLuint ts[] = {g->atlas_tex, g->maps_tex, g->overlay_tex, g->fovea_tex, g->cortical_tex};
    for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
        if (ts[i])
            glDeleteTextures(1, &ts[i]);
    if (g->overlay_fbo)
        glDeleteFramebuffers(1, &g->overlay_fbo);
    if (g->view_fbo)
        glDeleteFramebuffers(1, &g->view_fbo);
    if (g->view_tex)
        glDeleteTextures(1, &g->view_tex);
    g->view_fbo = g->view_tex = 0;
    g->view_w = g->view_h = g->view_valid = 0;
    g->atlas_tex = g->maps_tex = g->overlay_tex = g->fovea_tex = 0;
    g->cortical_tex = g->overlay_fbo = 0;
}

int render_fonts(UiApp *a)
{
    float s = a->L.s > 0 ? a->L.s : 1.0f;
    if (a->font.tex && fabsf(s - a->font_s) < 0.01f)
        return 0;
    Font f, fs;
    if (font_create(&f, a->font_path, (int)lrintf(15.0f * s)))
        return -1;
    if (font_create(&fs, a->font_path, (int)lrintf(12.0f * s))) {
        font_destroy(&f);
        return -1;
    }
    font_destroy(&a->font);
    font_destroy(&a->font_small);
    a->font = f;
    a->font_small = fs;
    a->font_s = s;
    return 0;
}

int render_init(UiApp *a)
{
    UiGpu *g = &a->gpu;
    a->draw = draw_create();
    if (!a->draw)
        return -1;
    g->scene_prog = shader_program_load("scene");
    if (!g->scene_prog)
        return -1;
    g->image_prog = shader_program_load("image");
    if (!g->image_prog)
        return -1;
    g->overlay_prog = shader_program_load("overlay");
    if (!g->overlay_prog)
        return -1;
    g->fov_prog = shader_program_load("foveated");
    if (!g->fov_prog)
        return -1;
    GLuint p = g->scene_prog;
    glUseProgram(p);
#define U(field, name) g->field = glGetUniformLocation(p, name)
    U(s_ndc, "u_ndc");
    U(s_world_size, "u_world_size");
    U(s_world_org, "u_world_org");
    U(s_map_px, "u_map_px");
    U(s_view_org, "u_view_org");
    glUniform1i(glGetUniformLocation(p, "u_view"), 0);
    glUniform1i(glGetUniformLocation(p, "u_overlay"), 1);
    p = g->fov_prog;
    glUseProgram(p);
    U(f_ndc, "u_ndc");
    U(f_world_size, "u_world_size");
    U(f_world_org, "u_world_org");
    U(f_foveated, "u_foveated");
    U(f_atlas_size, "u_atlas_size");
    U(f_pyr_rect, "u_pyr_rect");
    U(f_levels, "u_levels");
    U(f_gaze, "u_gaze");
    U(f_sigma0, "u_sigma0_px");
    U(f_e2, "u_e2_px");
    U(f_pyr_sigma, "u_pyr_sigma_px");
    U(f_level_half, "u_level_half");
    glUniform1i(glGetUniformLocation(p, "u_pyr"), 0);
    p = g->overlay_prog;
    glUseProgram(p);
    U(o_on, "u_on");
    U(o_alpha, "u_alpha");
    U(o_range, "u_range");
    U(o_sal_map, "u_sal_map");
    U(o_ior_map, "u_ior_map");
    U(o_motion_map, "u_motion_map");
    glUniform1i(glGetUniformLocation(p, "u_maps"), 0);
    p = g->image_prog;
    glUseProgram(p);
    U(i_rect, "u_rect");
    U(i_screen, "u_screen");
    U(i_map, "u_map");
    U(i_lo, "u_lo");
    U(i_hi, "u_hi");
#undef U
    glUniform1i(glGetUniformLocation(p, "u_tex"), 0);
    glUseProgram(0);
    float ramp[256];
    for (int i = 0; i < 256; i++)
        ramp[i] = (float)i / 255.0f;
    glGenTextures(1, &g->ramp_tex);
    glBindTexture(GL_TEXTURE_2D, g->ramp_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, 256, 1, 0, GL_RED, GL_FLOAT, ramp);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    static const float quad[12] = {0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1};
    glGenVertexArrays(1, &g->quad_vao);
    glGenBuffers(1, &g->quad_vbo);
    glBindVertexArray(g->quad_vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->quad_vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof(quad), quad, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), (void *)0);
    glBindVertexArray(0);
    render_layout(a);
    return render_fonts(a);
}

void render_free(UiApp *a)
{
    UiGpu *g = &a->gpu;
    free_textures(g);
    if (g->quad_vbo)
        glDeleteBuffers(1, &g->quad_vbo);
    if (g->ramp_tex)
        glDeleteTextures(1, &g->ramp_tex);
    if (g->quad_vao)
        glDeleteVertexArrays(1, &g->quad_vao);
    if (g->scene_prog)
        glDeleteProgram(g->scene_prog);
    if (g->image_prog)
        glDeleteProgram(g->image_prog);
    if (g->overlay_prog)
        glDeleteProgram(g->overlay_prog);
    if (g->fov_prog)
        glDeleteProgram(g->fov_prog);
    memset(g, 0, sizeof(*g));
    font_destroy(&a->font);
    font_destroy(&a->font_small);
    draw_destroy(&a->draw);
}

int render_sim_changed(UiApp *a)
{
    UiGpu *g = &a->gpu;
    free_textures(g);
    const Sim *s = a->view;
    const Image *world = scene_world(sim_scene(s));
    const Retina *r = sim_retina(s);
    const RetinaParams *rp = retina_params(r);
    const Image *sm = saliency_map(sim_saliency(s));
    g->world_w = world->w;
    g->world_h = world->h;
    g->levels = rp->levels < RETINA_MAX_LEVELS ? rp->levels : RETINA_MAX_LEVELS;
    int col_x = world->w + 2, col_w = 0, col_y = 0;
    for (int k = 0; k < g->levels; k++) {
        const Image *pk = retina_pyramid(r, k);
        float *rc = g->pyr_rect[k];
        if (k == 0) {
            rc[0] = 0;
            rc[1] = 0;
        } else {
            rc[0] = (float)col_x;
            rc[1] = (float)col_y;
            col_y += pk->h + 2;
            col_w = pk->w > col_w ? pk->w : col_w;
        }
        rc[2] = (float)pk->w;
        rc[3] = (float)pk->h;
    }
    g->atlas_w = g->levels > 1 ? col_x + col_w : world->w;
    g->atlas_h = col_y > world->h ? col_y : world->h;
    GLint max_tex = 0;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_tex);
    if (g->atlas_w > max_tex || g->atlas_h > max_tex) {
        sc_set_error("world %dx%d too large for this GL (max texture %d)", world->w, world->h,
                     max_tex);
        return -1;
    }
    g->atlas_tex = tex_r32f(g->atlas_w, g->atlas_h, GL_LINEAR);
    g->map_w = sm->w;
    g->map_h = sm->h;
    free(a->maps_buf);
    a->maps_buf = calloc((size_t)sm->w * (size_t)sm->h * 4, sizeof(float));
    if (!a->maps_buf) {
        sc_set_error("window: out of memory");
        return -1;
    }
    g->n_orient = v1_params(sim_v1(s))->orientations;
    if (g->n_orient > 16)
        g->n_orient = 16;
    glGenTextures(1, &g->maps_tex);
    glBindTexture(GL_TEXTURE_2D, g->maps_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, sm->w, sm->h, 0, GL_RGBA, GL_FLOAT, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glGenTextures(1, &g->overlay_tex);
    glBindTexture(GL_TEXTURE_2D, g->overlay_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, sm->w, sm->h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glGenFramebuffers(1, &g->overlay_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, g->overlay_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, g->overlay_tex, 0);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE) {
        sc_set_error("window: overlay framebuffer incomplete (0x%x)", st);
        return -1;
    }
    const Image *fov = retina_fovea(r);
    g->fovea_n = fov->w;
    g->fovea_tex = tex_r32f(fov->w, fov->h, GL_NEAREST);
    image_destroy(&a->cortical);
    if (image_create(&a->cortical, rp->cortical_wedges, rp->cortical_rings))
        return -1;
    g->cortical_tex = tex_r32f(rp->cortical_wedges, rp->cortical_rings, GL_LINEAR);
    a->world_fresh = 1;
    a->ticked = 1;
    a->motion_max = a->orient_max = 0;
    return 0;
}

static float smooth_max(float prev, float now)
{
    /* Display ranges follow the data, decaying slowly so legends do not flicker. */
    return now > prev ? now : prev * 0.995f + now * 0.005f;
}

static void upload(UiApp *a)
{
    UiGpu *g = &a->gpu;
    const Sim *s = a->view;
    const Retina *r = sim_retina(s);
    const Image *world = scene_world(sim_scene(s));
    /* The world changed: upload the changed boxes (per object when they are few, else their
     * union) into every pyramid level, and have the cached view redrawn there. */
    SceneRect all = {0, 0, world->w, world->h};
    const SceneRect *list = a->dirty_list;
    int n = a->n_dirty;
    if (a->world_fresh) {
        list = &all;
        n = 1;
        g->view_valid = 0;
    } else if (a->dirty_overflow) {
        list = &a->dirty;
        n = 1;
    }
    for (int i = 0; i < n; i++) {
        SceneRect d = list[i];
        if (d.x0 >= d.x1 || d.y0 >= d.y1)
            continue;
        for (int k = 0; k < g->levels; k++) {
            int f = 1 << k;
            atlas_upload(g->atlas_tex, retina_pyramid(r, k), (int)g->pyr_rect[k][0],
                         (int)g->pyr_rect[k][1], d.x0 / f - 1, d.y0 / f - 1, (d.x1 + f - 1) / f + 1,
                         (d.y1 + f - 1) / f + 1);
        }
        /* The same object moved over several ticks: merge boxes that overlap. */
        int merged = 0;
        for (int j = 0; j < g->n_view_dirty && !merged; j++) {
            SceneRect *e = &g->view_dirty[j];
            if (d.x0 <= e->x1 && e->x0 <= d.x1 && d.y0 <= e->y1 && e->y0 <= d.y1) {
                e->x0 = d.x0 < e->x0 ? d.x0 : e->x0;
                e->y0 = d.y0 < e->y0 ? d.y0 : e->y0;
                e->x1 = d.x1 > e->x1 ? d.x1 : e->x1;
                e->y1 = d.y1 > e->y1 ? d.y1 : e->y1;
                merged = 1;
            }
        }
        if (!merged && g->n_view_dirty < UI_MAX_DIRTY)
            g->view_dirty[g->n_view_dirty++] = d;
        else if (!merged)
            g->view_valid = 0;
    }
    a->world_fresh = 0;
    a->n_dirty = a->dirty_overflow = 0;
    a->dirty = (SceneRect){0, 0, 0, 0};
    if (!a->ticked)
        return;
    a->ticked = 0;
    const Saliency *sal = sim_saliency(s);
    const Image *sm = saliency_map(sal), *im = saliency_ior(sal), *mm = saliency_motion_map(sal);
    (void)sm;
    const int mw = g->map_w, mh = g->map_h, no = g->n_orient;
    float mmax = 0, omax = 0;
    for (int y = 0; y < mh; y++) {
        const float *a0 = image_row(sm, y), *a1 = image_row(im, y), *a2 = image_row(mm, y);
        float *dst = a->maps_buf + (size_t)y * (size_t)mw * 4;
        for (int x = 0; x < mw; x++) {
            dst[4 * x] = a0[x];
            dst[4 * x + 1] = a1[x];
            dst[4 * x + 2] = a2[x];
            dst[4 * x + 3] = 0;
            mmax = fmaxf(mmax, a2[x]);
        }
    }
    a->motion_max = smooth_max(a->motion_max, mmax);
    /* Orientation energies are drawn as strokes from the sim's maps (draw_v1_strokes); only
     * the display maximum of their sum is kept here. */
    for (int y = 0; y < mh && (a->layers & UI_LAYER_ORIENT); y++) {
        const float *row[16];
        for (int o = 0; o < no; o++)
            row[o] = image_row(saliency_orient_map(sal, o), y);
        for (int x = 0; x < mw; x++) {
            float t = 0;
            for (int o = 0; o < no; o++)
                t += row[o][x];
            omax = fmaxf(omax, t);
        }
    }
    a->orient_max = smooth_max(a->orient_max, omax);
    glBindTexture(GL_TEXTURE_2D, g->maps_tex);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, mw, mh, GL_RGBA, GL_FLOAT, a->maps_buf);
    const Image *fov = retina_fovea(r);
    tex_upload(g->fovea_tex, fov, 0, 0, fov->w, fov->h);
    retina_cortical(r, &a->cortical);
    tex_upload(g->cortical_tex, &a->cortical, 0, 0, a->cortical.w, a->cortical.h);
}

void render_layout(UiApp *a)
{
    UiLayout *L = &a->L;
    int ww = 1, wh = 1;
    SDL_GetWindowSize(a->w.win, &ww, &wh);
    SDL_GL_GetDrawableSize(a->w.win, &L->dw, &L->dh);
    if (ww < 1)
        ww = 1;
    if (L->dw < 1)
        L->dw = 1;
    if (L->dh < 1)
        L->dh = 1;
    L->s = (float)L->dw / (float)ww;
    if (L->s < 0.5f)
        L->s = 1.0f;
    /* Small windows (and small exports) get a smaller UI, down to 0.8 of the full size at
     * 640x360 and below; text stays readable there. */
    float small = fminf((float)ww / 1280.0f, (float)(wh > 0 ? wh : 1) / 720.0f);
    L->s *= fminf(fmaxf(small, 0.8f), 1.0f);
    float s = L->s;
    L->hud_h = floorf(30.0f * s);
    /* The scene comes first: the panel takes at most a quarter of the width. */
    L->pw = floorf(fminf(300.0f * s, 0.25f * (float)L->dw));
    L->px = (float)L->dw - L->pw;
    L->py = L->hud_h;
    L->ph = (float)L->dh - L->hud_h;
    L->tl_h = a->replay ? floorf(40.0f * s) : 0;
    /* The world sits inside margins, so what is drawn beside an object at its edge (a tag, a
     * fixation number, a ring) has room: a line of small text above and below, a little at
     * the sides. */
    L->ax = 0;
    L->ay = L->hud_h;
    L->aw = L->px;
    L->ah = (float)L->dh - L->hud_h - L->tl_h;
    float mx = floorf(12.0f * s), my = floorf(20.0f * s);
    float ax = L->ax + mx, ay = L->ay + my, aw = fmaxf(L->aw - 2 * mx, 1.0f),
          ah = fmaxf(L->ah - 2 * my, 1.0f);
    float W = (float)(a->gpu.world_w > 0 ? a->gpu.world_w : 1);
    float H = (float)(a->gpu.world_h > 0 ? a->gpu.world_h : 1);
    float sc = fminf(aw / W, ah / H);
    if (sc <= 0)
        sc = 1e-3f;
    L->fit = sc;
    /* Whole pixels, so the cached view maps 1:1 onto the viewport. */
    L->vw = fmaxf(roundf(W * sc), 1.0f);
    L->vh = fmaxf(roundf(H * sc), 1.0f);
    /* Zoom: the viewport shows W / zoom x H / zoom world px around (zoom_cx, zoom_cy), kept
     * inside the world. */
    float z = a->zoom >= 1.0f ? a->zoom : 1.0f;
    L->scale = sc * z;
    float vw_w = W / z, vw_h = H / z;
    float cx = a->zoom > 1.0f ? a->zoom_cx : W * 0.5f, cy = a->zoom > 1.0f ? a->zoom_cy : H * 0.5f;
    L->ox = fminf(fmaxf(cx - vw_w * 0.5f, 0.0f), W - vw_w);
    L->oy = fminf(fmaxf(cy - vw_h * 0.5f, 0.0f), H - vw_h);
    L->vx = floorf(ax + (aw - L->vw) * 0.5f);
    L->vy = floorf(ay + (ah - L->vh) * 0.5f);
    /* Zoomed, the margins would show marks of the world beyond the view, detached from it. */
    int zoomed = a->zoom > 1.0001f;
    L->lx = zoomed ? L->vx : L->ax;
    L->ly = zoomed ? L->vy : L->ay;
    L->lw = zoomed ? L->vw : L->aw;
    L->lh = zoomed ? L->vh : L->ah;
    L->tl_x = 0;
    L->tl_y = (float)L->dh - L->tl_h;
    L->tl_w = L->px;
    L->tl_bx = L->tl_x + 130.0f * s;
    L->tl_bw = L->tl_w - 130.0f * s - 70.0f * s;
    if (L->tl_bw < 0)
        L->tl_bw = 0;
}

/* Composites the enabled activation layers into the per-cell overlay texture. */
static void draw_overlay(UiApp *a)
{
    UiGpu *g = &a->gpu;
    glBindFramebuffer(GL_FRAMEBUFFER, g->overlay_fbo);
    glViewport(0, 0, g->map_w, g->map_h);
    glUseProgram(g->overlay_prog);
    unsigned l = a->layers;
    glUniform4f(g->o_on, (l & UI_LAYER_SALIENCY) ? 1.0f : 0.0f, (l & UI_LAYER_IOR) ? 1.0f : 0.0f,
                (l & UI_LAYER_ORIENT) ? 1.0f : 0.0f, (l & UI_LAYER_MOTION) ? 1.0f : 0.0f);
    glUniform1f(g->o_alpha, OVERLAY_ALPHA);
    /* Saliency and IOR are 0..1 by construction: fixed scales. Motion energy has no natural
     * unit: its scale adapts slowly (smooth_max) and the legend shows it. */
    glUniform3f(g->o_range, 1.0f, 1.0f, a->motion_max);
    glUniform1i(g->o_sal_map, SAL_MAP);
    glUniform1i(g->o_ior_map, IOR_MAP);
    glUniform1i(g->o_motion_map, MOTION_MAP);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, g->maps_tex);
    glBindVertexArray(g->quad_vao);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glBindVertexArray(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

/* The retinal view (foveated or plain) of the whole world into the bound target, with
 * a_pos (0, 0) = world top-left at the target's first row. */
static void fov_pass(UiApp *a, int foveated, int whole_world)
{
    UiGpu *g = &a->gpu;
    const Retina *r = sim_retina(a->view);
    const RetinaParams *rp = retina_params(r);
    glUseProgram(g->fov_prog);
    glUniform4f(g->f_ndc, -1, -1, 1, 1);
    if (whole_world) {
        glUniform2f(g->f_world_org, 0, 0);
        glUniform2f(g->f_world_size, (float)g->world_w, (float)g->world_h);
    } else {
        const UiLayout *L = &a->L;
        glUniform2f(g->f_world_org, L->ox, L->oy);
        glUniform2f(g->f_world_size, L->vw / L->scale, L->vh / L->scale);
    }
    glUniform1f(g->f_foveated, foveated ? 1.0f : 0.0f);
    glUniform2f(g->f_atlas_size, (float)g->atlas_w, (float)g->atlas_h);
    glUniform4fv(g->f_pyr_rect, RETINA_MAX_LEVELS, &g->pyr_rect[0][0]);
    glUniform1i(g->f_levels, g->levels);
    float gx, gy;
    retina_gaze(r, &gx, &gy);
    glUniform2f(g->f_gaze, gx + 0.5f, gy + 0.5f);
    glUniform1f(g->f_sigma0, rp->sigma0_deg * rp->px_per_deg);
    glUniform1f(g->f_e2, rp->e2_deg * rp->px_per_deg);
    glUniform1f(g->f_pyr_sigma, rp->pyr_sigma_px);
    glUniform1f(g->f_level_half, (float)(rp->level_size / 2 - 1));
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, g->atlas_tex);
    glBindVertexArray(g->quad_vao);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glBindVertexArray(0);
}

/* Refreshes the cached retinal view when the gaze, the world, the mode or the size changed. */
static void update_view(UiApp *a)
{
    UiGpu *g = &a->gpu;
    const UiLayout *L = &a->L;
    int w = (int)L->vw, h = (int)L->vh;
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    int fov = (a->layers & UI_LAYER_FOVEATED) != 0;
    float gx, gy;
    retina_gaze(sim_retina(a->view), &gx, &gy);
    if (w != g->view_w || h != g->view_h || !g->view_tex) {
        if (g->view_fbo)
            glDeleteFramebuffers(1, &g->view_fbo);
        if (g->view_tex)
            glDeleteTextures(1, &g->view_tex);
        glGenTextures(1, &g->view_tex);
        glBindTexture(GL_TEXTURE_2D, g->view_tex);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, NULL);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glGenFramebuffers(1, &g->view_fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, g->view_fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, g->view_tex, 0);
        g->view_w = w;
        g->view_h = h;
        g->view_valid = 0;
    }
    const UiLayout *Lz = &a->L;
    int same = g->view_valid && g->view_fov == fov &&
               (!fov || (g->view_gx == gx && g->view_gy == gy)) && g->view_zoom == Lz->scale &&
               g->view_ox == Lz->ox && g->view_oy == Lz->oy;
    if (same && g->n_view_dirty == 0)
        return;
    glBindFramebuffer(GL_FRAMEBUFFER, g->view_fbo);
    glViewport(0, 0, w, h);
    if (same) {
        /* Only the world changed, in a few boxes: redraw those, grown by the widest blur the
         * view can spread a change over (two texels of the coarsest level). */
        float sc = Lz->scale;
        const RetinaParams *rp = retina_params(sim_retina(a->view));
        glEnable(GL_SCISSOR_TEST);
        for (int i = 0; i < g->n_view_dirty; i++) {
            const SceneRect *d = &g->view_dirty[i];
            int grow = 1;
            if (fov) {
                /* The coarsest level read over the box: at its far corner from the gaze (plus
                 * the margin itself, bounded by two texels of the top level). */
                float fx = fmaxf(fabsf((float)d->x0 - gx), fabsf((float)d->x1 - gx));
                float fy = fmaxf(fabsf((float)d->y0 - gy), fabsf((float)d->y1 - gy));
                float m = (float)(2 << (g->levels - 1));
                float lv = retina_level_at(rp, fx + m, fy + m);
                int k = (int)ceilf(fminf(lv, (float)(g->levels - 1)));
                grow = (2 << k) + 1;
            }
            int x0 = (int)floorf(((float)(d->x0 - grow) - Lz->ox) * sc) - 1;
            int y0 = (int)floorf(((float)(d->y0 - grow) - Lz->oy) * sc) - 1;
            int x1 = (int)ceilf(((float)(d->x1 + grow) - Lz->ox) * sc) + 1;
            int y1 = (int)ceilf(((float)(d->y1 + grow) - Lz->oy) * sc) + 1;
            glScissor(x0, y0, x1 - x0, y1 - y0); /* view rows run from the world's top */
            fov_pass(a, fov, 0);
        }
        glDisable(GL_SCISSOR_TEST);
    } else {
        fov_pass(a, fov, 0);
    }
    g->n_view_dirty = 0;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    g->view_valid = 1;
    g->view_fov = fov;
    g->view_gx = gx;
    g->view_gy = gy;
    g->view_zoom = Lz->scale;
    g->view_ox = Lz->ox;
    g->view_oy = Lz->oy;
}

static void draw_scene(UiApp *a)
{
    UiGpu *g = &a->gpu;
    const UiLayout *L = &a->L;
    glUseProgram(g->scene_prog);
    glUniform4f(g->s_ndc, L->vx / (float)L->dw * 2 - 1, 1 - L->vy / (float)L->dh * 2,
                (L->vx + L->vw) / (float)L->dw * 2 - 1, 1 - (L->vy + L->vh) / (float)L->dh * 2);
    glUniform2f(g->s_world_org, L->ox, L->oy);
    glUniform2f(g->s_world_size, L->vw / L->scale, L->vh / L->scale);
    int cell = saliency_params(sim_saliency(a->view))->cell_px;
    glUniform2f(g->s_map_px, (float)(g->map_w * cell), (float)(g->map_h * cell));
    glUniform3i(g->s_view_org, (GLint)L->vx, L->dh - 1 - (GLint)L->vy, g->view_w);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, g->view_tex);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, g->overlay_tex);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(g->quad_vao);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glBindVertexArray(0);
}

static void draw_image(UiApp *a, GLuint tex, float x, float y, float w, float h, int map, float lo,
                       float hi)
{
    UiGpu *g = &a->gpu;
    glUseProgram(g->image_prog);
    glUniform4f(g->i_rect, x, y, w, h);
    glUniform2f(g->i_screen, (float)a->L.dw, (float)a->L.dh);
    glUniform1i(g->i_map, map);
    glUniform1f(g->i_lo, lo);
    glUniform1f(g->i_hi, hi);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, tex);
    glBindVertexArray(g->quad_vao);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glBindVertexArray(0);
}

/* Legend bars are drawn after the 2D batch with the image program on a 0..1 ramp. */
static void draw_gradient(UiApp *a, float x, float y, float w, float h, int map)
{
    if (a->n_grad < (int)(sizeof(a->grad) / sizeof(a->grad[0])))
        a->grad[a->n_grad++] = (UiGradient){x, y, w, h, map};
}

static Rgba with_alpha(Rgba c, float a)
{
    c.a *= a;
    return c;
}

static void text_centered(Draw *d, const Font *f, float cx, float cy, const char *s, Rgba c)
{
    float w = (float)font_text_width(f, s);
    draw_text(d, f, cx - w * 0.5f, cy - (float)f->line_h * 0.5f, s, c);
}

/* Boxes that overlap (x, y, w, h) grown by a gap of pad px. */
static int boxes_hits(const LabelBoxes *lb, float x, float y, float w, float h, float pad)
{
    int n = 0;
    x -= pad;
    y -= pad;
    w += 2 * pad;
    h += 2 * pad;
    for (int i = 0; i < lb->n; i++) {
        const float *q = lb->b[i];
        n += x < q[0] + q[2] && q[0] < x + w && y < q[1] + q[3] && q[1] < y + h;
    }
    return n;
}

static void boxes_add(LabelBoxes *lb, float x, float y, float w, float h)
{
    if (lb->n < LABEL_BOXES_MAX) {
        lb->obstacle[lb->n] = 0;
        lb->b[lb->n][0] = x;
        lb->b[lb->n][1] = y;
        lb->b[lb->n][2] = w;
        lb->b[lb->n][3] = h;
        lb->n++;
    }
}

/* Moves a w x h box at (*x, *y) inside the marks' area (so no label is ever clipped). */
static void clamp_to_area(const UiLayout *L, float w, float h, float *x, float *y)
{
    *x = fminf(fmaxf(*x, L->lx + 1), L->lx + L->lw - w - 1);
    *y = fminf(fmaxf(*y, L->ly + 1), L->ly + L->lh - h - 1);
}

/* TAG_SPIRAL candidate places for a w x h label, its centre on a spiral about (x, y) from r0
 * out, one line height h further every 8 directions: where a crowded spot (or one pressed
 * against the scene's edge, where near places collapse onto one clamped place) leaves none. */
static void spiral_places(float x, float y, float r0, float w, float h, float *px, float *py)
{
    for (int k = 0; k < TAG_SPIRAL; k++) {
        float rad = r0 + (1.5f + 0.9f * (float)(k / 8)) * h;
        float ang = (float)M_PI * 0.25f * (float)(k % 8) + 0.3f * (float)(k / 8);
        px[k] = x + rad * cosf(ang) - 0.5f * w;
        py[k] = y + rad * sinf(ang) - 0.5f * h;
    }
}

/* Places a w x h label at the first of n candidate places (each moved inside the scene area)
 * that no taken box comes within 2 px of. None free: must = 0 gives -1 (leave it out), must =
 * 1 the place with the fewest overlaps. The place is taken (boxes_add) and returned. */
static int place_label(const UiLayout *L, LabelBoxes *lb, const float *cx, const float *cy, int n,
                       float w, float h, int must, float *ox, float *oy)
{
    int best = -1, best_hits = 1 << 30;
    float bx = 0, by = 0;
    for (int j = 0; j < n; j++) {
        float x = cx[j], y = cy[j];
        clamp_to_area(L, w, h, &x, &y);
        int hits = boxes_hits(lb, x, y, w, h, 2 * L->s);
        if (hits < best_hits) {
            best = j;
            best_hits = hits;
            bx = x;
            by = y;
            if (!hits)
                break;
        }
    }
    if (best < 0 || (best_hits && !must))
        return -1;
    boxes_add(lb, bx, by, w, h);
    *ox = bx;
    *oy = by;
    return best;
}

/* What labels must not cover: every object's box and the patch the classifier reads. */
static void label_obstacles(UiApp *a, LabelBoxes *lb)
{
    const Sim *s = a->view;
    const SceneObject *obj = scene_objects(sim_scene(s));
    int n = scene_object_count(sim_scene(s));
    for (int i = 0; i < n; i++) {
        float x0, y0, x1, y1;
        ui_app_world_to_screen(a, obj[i].x - obj[i].w * 0.5f, obj[i].y - obj[i].h * 0.5f, &x0, &y0);
        ui_app_world_to_screen(a, obj[i].x + obj[i].w * 0.5f, obj[i].y + obj[i].h * 0.5f, &x1, &y1);
        boxes_add(lb, x0, y0, x1 - x0, y1 - y0);
        lb->obstacle[lb->n - 1] = 1;
    }
    const Eye *e = sim_eye(s);
    float gx, gy, half = 0.5f * (float)retina_params(sim_retina(s))->fovea_size * a->L.scale;
    ui_app_world_to_screen(a, e->x, e->y, &gx, &gy);
    boxes_add(lb, gx - half, gy - half, 2 * half, 2 * half);
    lb->obstacle[lb->n - 1] = 1;
}

/* Where the objects' ink is on screen this frame, so scanpath marks pass behind it. */
typedef struct InkMask {
    float box[SCENE_MAX_OBJECTS][4]; /* x0, y0, x1, y1, drawable px */
    float bg[SCENE_MAX_OBJECTS];     /* the object's background: mean of its box's corners */
    int n;
    const Image *world;
} InkMask;

static void ink_mask_build(UiApp *a, InkMask *m)
{
    const Scene *sc = sim_scene(a->view);
    const SceneObject *obj = scene_objects(sc);
    m->world = scene_world(sc);
    m->n = 0;
    for (int i = 0; i < scene_object_count(sc) && i < SCENE_MAX_OBJECTS; i++) {
        float *b = m->box[m->n];
        float wx0 = obj[i].x - obj[i].w * 0.5f, wy0 = obj[i].y - obj[i].h * 0.5f;
        float wx1 = obj[i].x + obj[i].w * 0.5f, wy1 = obj[i].y + obj[i].h * 0.5f;
        ui_app_world_to_screen(a, wx0, wy0, &b[0], &b[1]);
        ui_app_world_to_screen(a, wx1, wy1, &b[2], &b[3]);
        if (b[2] < a->L.lx || b[0] > a->L.lx + a->L.lw || b[3] < a->L.ly ||
            b[1] > a->L.ly + a->L.lh)
            continue;
        const Image *w = m->world;
        int cx[2] = {(int)floorf(wx0), (int)ceilf(wx1)},
            cy[2] = {(int)floorf(wy0), (int)ceilf(wy1)};
        float sum = 0;
        for (int k = 0; k < 4; k++) {
            int x = cx[k & 1], y = cy[k >> 1];
            x = x < 0 ? 0 : x >= w->w ? w->w - 1 : x;
            y = y < 0 ? 0 : y >= w->h ? w->h - 1 : y;
            sum += image_at(w, x, y);
        }
        m->bg[m->n++] = 0.25f * sum;
    }
}

/* 1 when screen point (x, y) lies on the ink of one of the n objects in idx (all of them
 * when idx is NULL): away from the object's background by 0.15. */
static int ink_at(const UiApp *a, const InkMask *m, const int *idx, int n, float x, float y)
{
    for (int j = 0; j < n; j++) {
        int i = idx ? idx[j] : j;
        const float *b = m->box[i];
        if (x < b[0] || x > b[2] || y < b[1] || y > b[3])
            continue;
        float wx, wy;
        ui_app_screen_to_world(a, x, y, &wx, &wy);
        int ix = (int)lrintf(wx), iy = (int)lrintf(wy);
        if (ix < 0 || iy < 0 || ix >= m->world->w || iy >= m->world->h)
            continue;
        if (fabsf(image_at(m->world, ix, iy) - m->bg[i]) > 0.15f)
            return 1;
    }
    return 0;
}

/* The objects whose boxes meet (x0, y0)-(x1, y1), up to cap, into idx; how many. */
static int ink_near(const InkMask *m, float x0, float y0, float x1, float y1, int *idx, int cap)
{
    int n = 0;
    for (int i = 0; i < m->n && n < cap; i++) {
        const float *b = m->box[i];
        if (x0 <= b[2] && b[0] <= x1 && y0 <= b[3] && b[1] <= y1)
            idx[n++] = i;
    }
    return n;
}

/* A line that passes behind the objects' ink: drawn in pieces about 2 px long, the pieces on
 * ink left out (only where the line crosses an object's box). */
static void line_behind_ink(UiApp *a, const InkMask *m, float x0, float y0, float x1, float y1,
                            float t, Rgba c)
{
    int idx[16];
    int nb = ink_near(m, fminf(x0, x1) - t, fminf(y0, y1) - t, fmaxf(x0, x1) + t, fmaxf(y0, y1) + t,
                      idx, 16);
    if (!nb) {
        draw_line(a->draw, x0, y0, x1, y1, t, c);
        return;
    }
    float len = hypotf(x1 - x0, y1 - y0);
    int n = (int)ceilf(len / (2.0f * a->L.s));
    n = n < 1 ? 1 : n > 4096 ? 4096 : n;
    int run = -1; /* first piece of the visible run being gathered */
    for (int i = 0; i <= n; i++) {
        int vis = 0;
        if (i < n) {
            float u = ((float)i + 0.5f) / (float)n;
            vis = !ink_at(a, m, nb < 16 ? idx : NULL, nb < 16 ? nb : m->n, x0 + (x1 - x0) * u,
                          y0 + (y1 - y0) * u);
        }
        if (vis && run < 0)
            run = i;
        if (!vis && run >= 0) {
            float u0 = (float)run / (float)n, u1 = (float)i / (float)n;
            draw_line(a->draw, x0 + (x1 - x0) * u0, y0 + (y1 - y0) * u0, x0 + (x1 - x0) * u1,
                      y0 + (y1 - y0) * u1, t, c);
            run = -1;
        }
    }
}

/* A ring that passes behind the objects' ink: one quad where it crosses no object's box, else
 * arcs of about 2 px chords with the ones on ink left out. */
static void ring_behind_ink(UiApp *a, const InkMask *m, float cx, float cy, float r, float t,
                            Rgba c)
{
    /* Only a box that the ring's band [r - t - 1, r + 1] crosses (most rings circle the object
     * they read, its box wholly inside) needs the ring in pieces. */
    int idx[16], crosses = 0;
    for (int i = 0; i < m->n && crosses < 16; i++) {
        const float *b = m->box[i];
        float nx = fmaxf(fmaxf(b[0] - cx, cx - b[2]), 0.0f),
              ny = fmaxf(fmaxf(b[1] - cy, cy - b[3]), 0.0f);
        float fx = fmaxf(fabsf(b[0] - cx), fabsf(b[2] - cx)),
              fy = fmaxf(fabsf(b[1] - cy), fabsf(b[3] - cy));
        if (hypotf(nx, ny) <= r + 1.0f && hypotf(fx, fy) >= r - t - 1.0f)
            idx[crosses++] = i;
    }
    if (!crosses) {
        draw_ring(a->draw, cx, cy, r, t, c);
        return;
    }
    float rm = r - 0.5f * t; /* the stroke's centre line */
    int n = (int)ceilf(6.2831853f * rm / (2.0f * a->L.s));
    n = n < 24 ? 24 : n > 720 ? 720 : n;
    float px = cx + rm, py = cy;
    for (int i = 1; i <= n; i++) {
        float th = 6.2831853f * (float)i / (float)n;
        float x = cx + rm * cosf(th), y = cy + rm * sinf(th);
        if (!ink_at(a, m, crosses < 16 ? idx : NULL, crosses < 16 ? crosses : m->n, 0.5f * (px + x),
                    0.5f * (py + y)))
            draw_line(a->draw, px, py, x, y, t, c);
        px = x;
        py = y;
    }
}

/* Speed of the object fixation i landed on, deg/s (0 for none). */
static float fixation_object_speed(const Sim *s, int i)
{
    const SimFixation *f = sim_fixation(s, i);
    const Scene *sc = sim_scene(s);
    if (f->object < 0 || f->object >= scene_object_count(sc))
        return 0;
    const SceneObject *o = &scene_objects(sc)[f->object];
    return hypotf(o->vx, o->vy) / sim_config(s)->px_per_deg;
}

/* 1 when fixation i is part of a track: on a moving object (TRACK_MIN_DEG_S or faster) that
 * the fixation before or after it is on too, so the eye followed it (by smooth pursuit or by
 * catch-up saccades). A track is drawn as the eye's path, not as a tube of rings. */
static int fixation_tracks(const Sim *s, int i)
{
    int n = sim_fixation_count(s), obj = sim_fixation(s, i)->object;
    if (obj < 0 || fixation_object_speed(s, i) < TRACK_MIN_DEG_S)
        return 0;
    return (i > 0 && sim_fixation(s, i - 1)->object == obj) ||
           (i + 1 < n && sim_fixation(s, i + 1)->object == obj);
}

/* Hollow rings (radius grows with the fixation's duration) joined by lines, fading with age
 * (a fixation 20 s old is a faint ghost), behind the objects' ink so what was read stays
 * readable; fixations that follow a moving object (pursuit, catch-up saccades) are one bold
 * line along the eye's path, from a dot where it starts, not rings. Each number sits beside its
 * ring, at the first of eight places around it that no other label takes, newest fixations first;
 * numbers with no free place, and those of fixations faded below a third, are left out. */
static void draw_scanpath(UiApp *a, LabelBoxes *lb, int numbers)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    int n = sim_fixation_count(s);
    int first = n > SCANPATH_MAX ? n - SCANPATH_MAX : 0;
    double now = sim_time_ms(s);
    float sx[SCANPATH_MAX], sy[SCANPATH_MAX], sr[SCANPATH_MAX], sa[SCANPATH_MAX];
    unsigned char pur[SCANPATH_MAX];
    int ob[SCANPATH_MAX];
    for (int i = first; i < n; i++) {
        const SimFixation *f = sim_fixation(s, i);
        int k = i - first;
        ui_app_world_to_screen(a, f->x, f->y, &sx[k], &sy[k]);
        double dur = f->end_ms < 0 ? now - f->start_ms : f->end_ms - f->start_ms;
        double age = f->end_ms < 0 ? 0 : now - f->end_ms;
        sa[k] = 0.12f + 0.88f * (float)exp(-age / SCANPATH_FADE_MS);
        pur[k] = (unsigned char)fixation_tracks(s, i);
        ob[k] = f->object;
        /* Around what was read, never on it: at least the half-width of the patch. */
        sr[k] = pur[k] ? 0.0f : fminf(16.0f * L->scale + 0.01f * (float)dur * L->s, 30.0f * L->s);
    }
    if (!numbers) {
        static InkMask m; /* 5 KB: kept off the stack; the window is single-threaded */
        ink_mask_build(a, &m);
        for (int i = first + 1; i < n; i++) {
            int k = i - first;
            /* From ring edge to ring edge, so no line crosses what was read; along a pursuit,
             * the eye's path itself (landing to landing), bolder. */
            float dx = sx[k] - sx[k - 1], dy = sy[k] - sy[k - 1], len = hypotf(dx, dy);
            if (len <= sr[k] + sr[k - 1] || len < 1e-3f)
                continue;
            dx /= len;
            dy /= len;
            int track = pur[k] && pur[k - 1] && ob[k] == ob[k - 1];
            line_behind_ink(a, &m, sx[k - 1] + dx * sr[k - 1], sy[k - 1] + dy * sr[k - 1],
                            sx[k] - dx * sr[k], sy[k] - dy * sr[k], (track ? 3.0f : 1.5f) * L->s,
                            with_alpha(C_PATH, sa[k] * (track ? 0.9f : 0.7f)));
        }
        for (int k = 0; k < n - first; k++)
            if (pur[k]) {
                if (!k || !pur[k - 1] || ob[k - 1] != ob[k]) { /* where a track starts: a dot */
                    draw_ring(d, sx[k], sy[k], 3.5f * L->s, 3.5f * L->s, with_alpha(C_PATH, sa[k]));
                    a->marks.tracks++;
                }
            } else {
                ring_behind_ink(a, &m, sx[k], sy[k], sr[k], 1.5f * L->s, with_alpha(C_PATH, sa[k]));
                a->marks.rings++;
            }
        return;
    }
    const Font *f = &a->font_small;
    float h = (float)f->line_h;
    for (int i = n - 1; i >= first; i--) {
        int k = i - first;
        if (sa[k] < 0.33f)
            continue;
        if (pur[k] && k > 0 && pur[k - 1] && ob[k - 1] == ob[k])
            continue; /* a track is numbered once, where it starts */
        char num[32];
        int last = i;
        while (pur[k] && last + 1 < n && pur[last + 1 - first] && ob[last + 1 - first] == ob[k])
            last++;
        if (last > i)
            snprintf(num, sizeof(num), "%d-%d", i + 1, last + 1);
        else
            snprintf(num, sizeof(num), "%d", i + 1);
        float w = (float)font_text_width(f, num);
        float r = fmaxf(sr[k], 4.0f * L->s) + 2 * L->s;
        const float ox[8] = {r, -r - w, r, -r - w, -w * 0.5f, -w * 0.5f, r, -r - w};
        const float oy[8] = {-r - h * 0.6f, -r - h * 0.6f, r - h * 0.4f, r - h * 0.4f, -r - h, r,
                             -h * 0.5f,     -h * 0.5f};
        float cx[8], cy[8], x, y;
        for (int j = 0; j < 8; j++) {
            cx[j] = sx[k] + ox[j];
            cy[j] = sy[k] + oy[j];
        }
        /* Beside its own ring or not at all: a number pushed far from its ring (by the
         * scene area's edge) would name another. */
        if (place_label(L, lb, cx, cy, 8, w, h, 0, &x, &y) < 0)
            continue;
        if (hypotf(x + 0.5f * w - sx[k], y + 0.5f * h - sy[k]) > r + w + h) {
            lb->n--;
            continue;
        }
        draw_rect(d, x - 1, y + 1, w + 2, h - 2, (Rgba){0.05f, 0.05f, 0.07f, 0.55f * sa[k]});
        draw_text(d, f, x, y, num, with_alpha((Rgba){1.0f, 0.78f, 0.45f, 1}, sa[k]));
        a->marks.numbers++;
    }
}

/* A tag beside every object read: "4 99%", green when it is the ground truth, red when not
 * with the truth after it ("l 74% ≠ I"; "!=" where the font lacks the glyph), grey when the
 * object has no label. */
static void draw_read_tags(UiApp *a, LabelBoxes *lb)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    const SimClassifier *cls = sim_classifier(s);
    const SceneObject *obj = scene_objects(sim_scene(s));
    int n = scene_object_count(sim_scene(s));
    const Font *f = &a->font_small;
    float h = (float)f->line_h;
    const SimReading *rdg = sim_reading(s);
    for (int i = 0; i < n && i < SCENE_MAX_OBJECTS; i++) {
        ObjectRead rr = a->reads[i];
        const ObjectRead *r = &rr;
        char buf[160];
        if (rdg) {
            /* reading mode: the word assembled so far where this word starts (read wrong: its
             * wrong letters in brackets, "ma[m]go ≠ mango") */
            SimWordRead wr;
            if (!sim_reading_object_word(rdg, &obj[i], &wr) || !strcmp(wr.text, "") ||
                strspn(wr.text, "?") == strlen(wr.text))
                continue;
            rr.verdict = !strcmp(wr.text, obj[i].label) ? 1 : strchr(wr.text, '?') ? -1 : 0;
            if (rr.verdict == 0) {
                char shown[3 * SIM_WORD_MAX + 1];
                read_mark_wrong_letters(wr.text, obj[i].label, shown, sizeof(shown));
                snprintf(buf, sizeof(buf), "%s " FONT_NE_UTF8 " %s", shown, obj[i].label);
            } else
                snprintf(buf, sizeof(buf), "%s", wr.text);
        } else {
            if (r->label < 0)
                continue;
            const char *name = cls && cls->class_names && r->label < cls->n_classes
                                   ? cls->class_names[r->label]
                                   : "?";
            if (r->verdict == 0)
                snprintf(buf, sizeof(buf), "%s %.0f%% " FONT_NE_UTF8 " %s", name,
                         100.0f * r->confidence, obj[i].label);
            else
                snprintf(buf, sizeof(buf), "%s %.0f%%", name, 100.0f * r->confidence);
        }
        float w = (float)font_text_width(f, buf) + 8 * L->s;
        float x0, y0, x1, y1;
        ui_app_world_to_screen(a, obj[i].x - obj[i].w * 0.5f, obj[i].y - obj[i].h * 0.5f, &x0, &y0);
        ui_app_world_to_screen(a, obj[i].x + obj[i].w * 0.5f, obj[i].y + obj[i].h * 0.5f, &x1, &y1);
        /* Zoomed: an object off the view has no tag (pinned to the edge it would name
         * nothing there). */
        if (x1 < L->vx || x0 > L->vx + L->vw || y1 < L->vy || y0 > L->vy + L->vh)
            continue;
        Rgba bg = r->verdict == 1   ? (Rgba){0.10f, 0.55f, 0.22f, 0.92f}
                  : r->verdict == 0 ? (Rgba){0.78f, 0.12f, 0.12f, 0.95f}
                                    : (Rgba){0.35f, 0.35f, 0.38f, 0.92f};
        /* Right of the ink box, else left, below, above, then the corners, first touching the
         * box, then one to four line heights out (joined to the object by a short leader):
         * the first place that covers no object, patch or other label, inside the scene area
         * (moved in from its edges, so never clipped). */
        float tx = 0, ty = 0, px[TAG_PLACES], py[TAG_PLACES];
        for (int ring = 0; ring < TAG_RINGS; ring++) {
            float g = 4 * L->s + (float)ring * 0.9f * h, mx = (x0 + x1 - w) * 0.5f;
            const float cx[8] = {x1 + g, x0 - g - w, mx,     mx,
                                 x1 + g, x0 - g - w, x1 + g, x0 - g - w};
            const float cy[8] = {y0,     y0,     y1 + g,     y0 - h - g,
                                 y1 + g, y1 + g, y0 - h - g, y0 - h - g};
            for (int j = 0; j < 8; j++) {
                px[8 * ring + j] = cx[j];
                py[8 * ring + j] = cy[j];
            }
        }
        spiral_places(0.5f * (x0 + x1), 0.5f * (y0 + y1), 0.5f * (x1 - x0), w, h,
                      px + 8 * TAG_RINGS, py + 8 * TAG_RINGS);
        place_label(L, lb, px, py, TAG_PLACES, w, h, 1, &tx, &ty);
        /* Leader: from the tag's nearest point to the box's, when they do not touch. */
        float lx0 = fminf(fmaxf(0.5f * (x0 + x1), tx), tx + w),
              ly0 = fminf(fmaxf(0.5f * (y0 + y1), ty), ty + h);
        float lx1 = fminf(fmaxf(lx0, x0), x1), ly1 = fminf(fmaxf(ly0, y0), y1);
        if (hypotf(lx1 - lx0, ly1 - ly0) > 6 * L->s)
            draw_line(d, lx0, ly0, lx1, ly1, 1.5f * L->s, with_alpha(bg, 0.9f));
        draw_rect(d, tx, ty, w, h, bg);
        draw_text(d, f, tx + 4 * L->s, ty, buf, (Rgba){1, 1, 1, 1});
        a->marks.tags++;
        if (r->verdict == 0) {
            a->marks.wrong_tags++;
            snprintf(a->marks.wrong_tag, sizeof(a->marks.wrong_tag), "%s", buf);
        }
        if (r->verdict == 0)
            draw_rect_outline(d, x0 - 2 * L->s, y0 - 2 * L->s, x1 - x0 + 4 * L->s,
                              y1 - y0 + 4 * L->s, 1.5f * L->s, bg);
    }
}

/* Where the eye goes next: the winner of the priority map with the eye's cost for large jumps
 * (what eye_step picks when this fixation ends, unless the map changes before). -1 if none. */
static int next_target(const UiApp *a, float *tx, float *ty)
{
    const Sim *s = a->view;
    const Eye *e = sim_eye(s);
    const Image *pr = saliency_priority(sim_saliency(s));
    int cell = saliency_params(sim_saliency(s))->cell_px;
    float ppd = sim_config(s)->px_per_deg, best = e->p.min_priority;
    int found = -1;
    for (int y = 0; y < pr->h; y++) {
        const float *row = image_row(pr, y);
        for (int x = 0; x < pr->w; x++) {
            if (row[x] <= best)
                continue;
            float cx = ((float)x + 0.5f) * (float)cell, cy = ((float)y + 0.5f) * (float)cell;
            float amp = hypotf(cx - e->x, cy - e->y) / ppd;
            if (amp < e->p.min_amplitude_deg)
                continue;
            float p = row[x] / (1.0f + e->p.jump_cost_per_deg * amp);
            if (p > best) {
                best = p;
                *tx = cx;
                *ty = cy;
                found = 1;
            }
        }
    }
    return found;
}

static void draw_arrow(Draw *d, float x0, float y0, float x1, float y1, float t, float head, Rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = hypotf(dx, dy);
    if (len < 1e-3f)
        return;
    dx /= len;
    dy /= len;
    if (head > len * 0.6f)
        head = len * 0.6f;
    draw_line(d, x0, y0, x1 - dx * head * 0.5f, y1 - dy * head * 0.5f, t, c);
    draw_line(d, x1, y1, x1 - dx * head - dy * head * 0.5f, y1 - dy * head + dx * head * 0.5f, t,
              c);
    draw_line(d, x1, y1, x1 - dx * head + dy * head * 0.5f, y1 - dy * head - dx * head * 0.5f, t,
              c);
}

/* Gaze trail: the gaze of the last TRAIL_MS of simulated time, sampled once per drawn frame.
 * Display state, not simulation state: it starts over when the view changes or its time goes
 * back (replay seek). Smooth pursuit shows as a continuous track, saccades as jumps. */
#define TRAIL_MS 2000.0

static void draw_trail(UiApp *a, LabelBoxes *lb)
{
    UiTrail *tr = &a->trail;
    const Sim *s = a->view;
    const Eye *e = sim_eye(s);
    double now = sim_time_ms(s);
    int last = (tr->head + TRAIL_N - 1) % TRAIL_N;
    if (tr->sim != s || (tr->n && now < tr->t[last])) {
        tr->sim = s;
        tr->n = tr->head = 0;
    }
    if (!tr->n || now > tr->t[last]) {
        tr->t[tr->head] = now;
        tr->x[tr->head] = e->x;
        tr->y[tr->head] = e->y;
        tr->head = (tr->head + 1) % TRAIL_N;
        if (tr->n < TRAIL_N)
            tr->n++;
    }
    Draw *d = a->draw;
    const float s1 = a->L.s;
    float px = 0, py = 0;
    /* The trail is part of the scanpath (layer 5); it is sampled either way. */
    for (int i = tr->n - 1; i >= 0 && (a->layers & UI_LAYER_SCANPATH); i--) {
        int k = (tr->head - 1 - i + 2 * TRAIL_N) % TRAIL_N;
        double age = now - tr->t[k];
        float x, y;
        ui_app_world_to_screen(a, tr->x[k], tr->y[k], &x, &y);
        if (i < tr->n - 1 && age <= TRAIL_MS)
            draw_line(d, px, py, x, y, 2.0f * s1,
                      (Rgba){1.0f, 0.85f, 0.3f, (float)(0.85 * (1.0 - age / TRAIL_MS))});
        px = x;
        py = y;
    }
    /* smooth pursuit: the eye's velocity as an arrow (its travel in the next 250 ms) and in
     * deg/s beside the gaze */
    float vx, vy;
    eye_velocity_deg_s(e, &vx, &vy);
    float sp = hypotf(vx, vy);
    if (sp > 0.05f) {
        float gx, gy, ex, ey, ppd = sim_config(s)->px_per_deg;
        ui_app_world_to_screen(a, e->x, e->y, &gx, &gy);
        ui_app_world_to_screen(a, e->x + 0.25f * vx * ppd, e->y + 0.25f * vy * ppd, &ex, &ey);
        Rgba c = {1.0f, 0.85f, 0.3f, 1.0f};
        draw_arrow(d, gx, gy, ex, ey, 2.0f * s1, 9.0f * s1, c);
        char buf[48];
        snprintf(buf, sizeof buf, "pursuit %.1f deg/s", (double)sp);
        /* Beside the patch, on the side the arrow does not take, where no tag is; moved in
         * from the scene area's edges. */
        const Font *f = &a->font_small;
        float w = (float)font_text_width(f, buf) + 4 * s1, h = (float)f->line_h, tx = gx, ty = gy;
        float half = 0.5f * (float)retina_params(sim_retina(s))->fovea_size * a->L.scale + 4 * s1;
        float cx[18], cy[18];
        for (int ring = 0; ring < 3; ring++) { /* touching, then one and two lines out */
            float o = half + (float)ring * h;
            const float rx[6] = {gx + o,     gx - o - w,    gx + o,
                                 gx - o - w, gx - 0.5f * w, gx - 0.5f * w};
            const float ry[6] = {gy - o - h, gy - o - h, gy + o, gy + o, gy - o - h, gy + o};
            for (int j = 0; j < 6; j++) {
                cx[6 * ring + j] = rx[j];
                cy[6 * ring + j] = ry[j];
            }
        }
        place_label(&a->L, lb, cx, cy, 18, w, h, 1, &tx, &ty);
        draw_text(d, f, tx + 2 * s1, ty, buf, c);
    }
}

/* Zoomed so that the gaze (screen x, y) is off the view: an arrow just inside the view's edge
 * points to it, with its distance in degrees, so the eye is never lost. */
static void gaze_offscreen_arrow(UiApp *a, LabelBoxes *lb, float x, float y)
{
    const UiLayout *L = &a->L;
    float m = 2.0f * L->s;
    if (x >= L->vx - m && x <= L->vx + L->vw + m && y >= L->vy - m && y <= L->vy + L->vh + m)
        return;
    /* Where the line from the view's centre to the gaze leaves the view, inset by 22 px. */
    float in = 22.0f * L->s, cx = L->vx + 0.5f * L->vw, cy = L->vy + 0.5f * L->vh;
    float dx = x - cx, dy = y - cy, hx = 0.5f * L->vw - in, hy = 0.5f * L->vh - in;
    float t =
        fminf(fabsf(dx) > 1e-3f ? hx / fabsf(dx) : 1e9f, fabsf(dy) > 1e-3f ? hy / fabsf(dy) : 1e9f);
    float tipx = cx + dx * t, tipy = cy + dy * t, len = hypotf(dx, dy);
    float ux = dx / len, uy = dy / len, al = 26.0f * L->s;
    float rgb[3];
    ui_gaze_marker_color(rgb);
    Rgba c = {rgb[0], rgb[1], rgb[2], 1.0f};
    draw_arrow(a->draw, tipx - ux * al, tipy - uy * al, tipx, tipy, 5.0f * L->s, 14.0f * L->s,
               (Rgba){0, 0, 0, 0.7f});
    draw_arrow(a->draw, tipx - ux * al, tipy - uy * al, tipx, tipy, 2.5f * L->s, 12.0f * L->s, c);
    a->marks.gaze_arrow = 1;
    a->marks.arrow_x = tipx;
    a->marks.arrow_y = tipy;
    const Sim *s = a->view;
    char buf[48];
    snprintf(buf, sizeof buf, "gaze %.1f deg",
             (double)(len / L->scale / sim_config(s)->px_per_deg));
    const Font *f = &a->font_small;
    float w = (float)font_text_width(f, buf) + 8 * L->s, h = (float)f->line_h, bx = 0, by = 0;
    float ex = tipx - ux * al, ey = tipy - uy * al; /* the arrow's tail */
    const float px[4] = {ex - ux * 4 * L->s - 0.5f * w * (1 + ux), ex - 0.5f * w, ex + 6 * L->s,
                         ex - w - 6 * L->s};
    const float py[4] = {ey - uy * 4 * L->s - 0.5f * h * (1 + uy), ey - h - 6 * L->s, ey - 0.5f * h,
                         ey - 0.5f * h};
    place_label(L, lb, px, py, 4, w, h, 1, &bx, &by);
    draw_rect(a->draw, bx, by, w, h, (Rgba){0.05f, 0.05f, 0.07f, 0.8f});
    draw_text(a->draw, f, bx + 4 * L->s, by, buf, c);
}

/* At the gaze: the 28x28 patch the classifier reads (square), the ring within which an
 * object's centre must lie for the still eye to read it reliably (from the model's curve
 * file), a faint 5 deg parafovea ring; the next saccade target before the eye moves, and the
 * saccade vector in flight; "saccadic suppression" while vision is blank. */
static void draw_gaze(UiApp *a, LabelBoxes *lb)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    const Eye *e = sim_eye(s);
    float ppd = sim_config(s)->px_per_deg;
    float rgb[3];
    ui_gaze_marker_color(rgb);
    Rgba c = {rgb[0], rgb[1], rgb[2], 1.0f};
    Rgba tgt = {0.35f, 0.85f, 1.0f, 1.0f};
    float x, y;
    ui_app_world_to_screen(a, e->x, e->y, &x, &y);
    if (e->phase == EYE_SACCADE) {
        float fx, fy, tx, ty;
        ui_app_world_to_screen(a, e->from_x, e->from_y, &fx, &fy);
        ui_app_world_to_screen(a, e->to_x, e->to_y, &tx, &ty);
        draw_arrow(d, fx, fy, tx, ty, 2.0f * L->s, 12.0f * L->s, with_alpha(tgt, 0.9f));
        draw_ring(d, tx, ty, 7 * L->s, 2 * L->s, tgt);
    } else if (sim_auto(s)) {
        float tx, ty;
        if (next_target(a, &tx, &ty) > 0) {
            float sx, sy;
            ui_app_world_to_screen(a, tx, ty, &sx, &sy);
            draw_arrow(d, x, y, sx, sy, 1.2f * L->s, 10.0f * L->s, with_alpha(tgt, 0.55f));
            draw_line(d, sx - 8 * L->s, sy, sx + 8 * L->s, sy, 1.5f * L->s, tgt);
            draw_line(d, sx, sy - 8 * L->s, sx, sy + 8 * L->s, 1.5f * L->s, tgt);
        }
    }
    draw_ring(d, x, y, PARAFOVEA_RING_DEG * ppd * L->scale, 1.0f * L->s, with_alpha(c, 0.35f));
    float half = 0.5f * (float)retina_params(sim_retina(s))->fovea_size * L->scale;
    draw_rect_outline(d, x - half, y - half, 2 * half, 2 * half, 2.0f * L->s, c);
    if (a->reliable_px >= 0) {
        /* At 1x mnist's 2 px would lie under the centre dot: never drawn smaller than 5 px,
         * white on a dark ring so it shows on any background. */
        float rr = fmaxf(a->reliable_px * L->scale, 5.0f * L->s);
        draw_ring(d, x, y, rr + 2.0f * L->s, 4.0f * L->s, (Rgba){0.0f, 0.0f, 0.0f, 0.7f});
        draw_ring(d, x, y, rr + 1.0f * L->s, 2.0f * L->s, (Rgba){1.0f, 1.0f, 1.0f, 1.0f});
    }
    draw_ring(d, x, y, 1.8f * L->s, 1.8f * L->s, c);
    gaze_offscreen_arrow(a, lb, x, y);
    if (eye_suppressed(e, sim_time_ms(s))) {
        /* Below the patch, else above, right, left: where it covers no tag or number. */
        const char *t = "saccadic suppression";
        float w = (float)font_text_width(&a->font_small, t) + 8 * L->s;
        float h = (float)a->font_small.line_h, tx = 0, ty = 0, cx[12 + TAG_SPIRAL],
              cy[12 + TAG_SPIRAL];
        /* touching the patch, then one and two line heights out, then a spiral farther out
         * (a crowded spot, or one pressed against the scene's edge) */
        for (int ring = 0; ring < 3; ring++) {
            float g = 4 * L->s + (float)ring * h;
            const float rx[4] = {x - w * 0.5f, x - w * 0.5f, x + half + g, x - half - g - w};
            const float ry[4] = {y + half + g, y - half - g - h, y - h * 0.5f, y - h * 0.5f};
            for (int j = 0; j < 4; j++) {
                cx[4 * ring + j] = rx[j];
                cy[4 * ring + j] = ry[j];
            }
        }
        spiral_places(x, y, half, w, h, cx + 12, cy + 12);
        place_label(L, lb, cx, cy, 12 + TAG_SPIRAL, w, h, 1, &tx, &ty);
        draw_rect(d, tx, ty, w, h, (Rgba){0.05f, 0.05f, 0.07f, 0.8f});
        draw_text(d, &a->font_small, tx + 4 * L->s, ty, t, (Rgba){1.0f, 0.6f, 0.6f, 1});
    }
}

/* V1 orientation as short strokes: per block of 2x2 saliency cells, a stroke along the
 * dominant orientation (energy-weighted mean of doubled angles), its length the summed energy
 * on a slowly adapting scale, its colour the orientation hue of the legend. Blocks below 12% of
 * the scale draw nothing. */
static void draw_v1_strokes(UiApp *a)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    const Saliency *sal = sim_saliency(s);
    const V1 *v1 = sim_v1(s);
    int cell = saliency_params(sal)->cell_px, no = a->gpu.n_orient;
    float mx = a->orient_max * 4.0f; /* a block sums four cells */
    if (no <= 0 || mx <= 0)
        return;
    float cs[16], sn[16];
    for (int o = 0; o < no; o++) {
        float th = v1_orientation_rad(v1, o);
        cs[o] = cosf(2 * th);
        sn[o] = sinf(2 * th);
    }
    const Image *m0 = saliency_orient_map(sal, 0);
    const int B = 2;
    float len_max = (float)(B * cell) * L->scale * 0.95f;
    for (int by = 0; by + B <= m0->h; by += B)
        for (int bx = 0; bx + B <= m0->w; bx += B) {
            float sx = 0, sy = 0, tot = 0;
            for (int o = 0; o < no; o++) {
                const Image *m = saliency_orient_map(sal, o);
                float e = 0;
                for (int y = by; y < by + B; y++)
                    for (int x = bx; x < bx + B; x++)
                        e += image_at(m, x, y);
                sx += e * cs[o];
                sy += e * sn[o];
                tot += e;
            }
            /* Strongly compressive: the fovea's energy is far above the periphery's. */
            float v = powf(fminf(tot / mx, 1.0f), 0.3f);
            if (v < 0.3f) /* 1.8% of the maximum energy */
                continue;
            /* Dominant filter orientation (its carrier's direction); the edge it responds to
             * runs across it, so the stroke is drawn at +90 deg, along the edge. */
            float th = 0.5f * atan2f(sy, sx) + 1.57079633f;
            float hue = fmodf(th / 3.14159265f + 2.0f, 1.0f);
            /* orientation_hue of colormap.glsl */
            float rgb[3];
            const float kk[3] = {5, 3, 1};
            for (int c = 0; c < 3; c++) {
                float k = fmodf(kk[c] + hue * 6.0f, 6.0f);
                rgb[c] = 1.0f - fminf(fmaxf(fminf(k, 4.0f - k), 0.0f), 1.0f);
                rgb[c] = 0.35f + 0.65f * rgb[c]; /* light: readable on dark and mid grey */
            }
            float cx, cy;
            ui_app_world_to_screen(a, (float)((bx + 1) * cell) - 0.5f,
                                   (float)((by + 1) * cell) - 0.5f, &cx, &cy);
            /* A stroke along the preferred orientation: th is measured from +x towards +y
             * in image coordinates (y down), as on screen. */
            float hl = 0.5f * len_max * v, ux = cosf(th) * hl, uy = sinf(th) * hl;
            draw_line(d, cx - ux, cy - uy, cx + ux, cy + uy, 2.0f * L->s,
                      (Rgba){rgb[0], rgb[1], rgb[2], 0.95f});
        }
}

/* Motion as arrows: V1's direction-selective energies on each glimpse level (the finest level
 * that covers a point), summed over blocks about 18 screen px wide; arrow = energy-weighted
 * direction, length = energy on a slowly adapting scale. */
static void draw_motion_arrows(UiApp *a)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    const V1 *v1 = sim_v1(s);
    const Retina *r = sim_retina(s);
    int M = v1_map_size(v1), O = v1_params(v1)->orientations, levels = retina_level_count(r);
    int lsz = retina_params(r)->level_size, step = lsz / (M > 0 ? M : 1);
    if (O <= 0 || O > 16 || M <= 0)
        return;
    float dc[32], ds[32];
    for (int k = 0; k < 2 * O; k++) {
        dc[k] = cosf((float)k * 3.14159265f / (float)O);
        ds[k] = sinf((float)k * 3.14159265f / (float)O);
    }
    /* Each level has its own scale: coarse levels read blurred, weaker signals. */
    float frame_max[RETINA_MAX_LEVELS] = {0};
    float px0 = 0, py0 = 0, px1 = 0, py1 = 0; /* extent of the finer level, world px */
    if (levels > RETINA_MAX_LEVELS)
        levels = RETINA_MAX_LEVELS;
    for (int k = 0; k < levels; k++) {
        float x0, y0, sp;
        retina_level_geometry(r, k, &x0, &y0, &sp);
        float scale = a->motion_dir_max[k] > 0 ? a->motion_dir_max[k] : 1e-12f;
        float msp = sp * (float)step; /* world px between map samples */
        int B = (int)ceilf(18.0f * L->s / (msp * L->scale));
        if (B < 1)
            B = 1;
        for (int j = 0; j + B <= M; j += B)
            for (int i = 0; i + B <= M; i += B) {
                float wx = x0 + ((float)i + 0.5f * (float)(B - 1)) * msp;
                float wy = y0 + ((float)j + 0.5f * (float)(B - 1)) * msp;
                if (k > 0 && wx >= px0 && wx < px1 && wy >= py0 && wy < py1)
                    continue;
                float vx = 0, vy = 0;
                for (int dd = 0; dd < 2 * O; dd++) {
                    const float *e = v1_motion_energy(v1, k, dd);
                    float t = 0;
                    for (int y = j; y < j + B; y++)
                        for (int x = i; x < i + B; x++)
                            t += e[y * M + x];
                    vx += t * dc[dd];
                    vy += t * ds[dd];
                }
                float mag = hypotf(vx, vy) / (float)(B * B);
                frame_max[k] = fmaxf(frame_max[k], mag);
                float v = fminf(mag / scale, 1.0f);
                if (v < 0.15f)
                    continue;
                float sx, sy;
                ui_app_world_to_screen(a, wx, wy, &sx, &sy);
                float len = (6.0f + 16.0f * v) * L->s;
                float ux = vx / (mag * (float)(B * B)), uy = vy / (mag * (float)(B * B));
                draw_arrow(d, sx - ux * len * 0.5f, sy - uy * len * 0.5f, sx + ux * len * 0.5f,
                           sy + uy * len * 0.5f, 2.0f * L->s, 6.0f * L->s, C_MOTION_ARROW);
                a->marks.motion_arrows++;
            }
        px0 = x0;
        py0 = y0;
        px1 = x0 + (float)lsz * sp;
        py1 = y0 + (float)lsz * sp;
    }
    for (int k = 0; k < levels; k++)
        a->motion_dir_max[k] = smooth_max(a->motion_dir_max[k], frame_max[k]);
}

/* Motion in the world (key m), against V1's retinal slip: each moving object's own velocity
 * from the scene's truth, an arrow from its centre (its travel in 0.5 s, at least 12 px) in
 * the arrows' colour, its speed in deg/s beside it. The eye's own movement is not in it. */
static void draw_world_motion(UiApp *a)
{
    const Sim *s = a->view;
    const UiLayout *L = &a->L;
    const Scene *sc = sim_scene(s);
    const SceneObject *o = scene_objects(sc);
    float ppd = sim_config(s)->px_per_deg;
    for (int i = 0; i < scene_object_count(sc); i++) {
        float sp = hypotf(o[i].vx, o[i].vy);
        if (sp / ppd < 0.05f)
            continue;
        float cx, cy;
        ui_app_world_to_screen(a, o[i].x, o[i].y, &cx, &cy);
        float len = fmaxf(0.5f * sp * L->scale, 12.0f * L->s);
        float ux = o[i].vx / sp, uy = o[i].vy / sp;
        draw_arrow(a->draw, cx, cy, cx + ux * len, cy + uy * len, 4.5f * L->s, 11.0f * L->s,
                   (Rgba){0, 0, 0, 0.6f});
        draw_arrow(a->draw, cx, cy, cx + ux * len, cy + uy * len, 2.5f * L->s, 10.0f * L->s,
                   C_MOTION_ARROW);
        /* The speed beyond the arrow's tip, else behind the object; left out where both
         * would cover an object. */
        char buf[32];
        snprintf(buf, sizeof buf, "%.1f deg/s", (double)(sp / ppd));
        const Font *f = &a->font_small;
        float w = (float)font_text_width(f, buf), h = (float)f->line_h, g = 4 * L->s;
        for (int side = 0; side < 2; side++) {
            float d = side ? -(0.5f * fmaxf(o[i].w, o[i].h) * L->scale + g) : len + g;
            float px = cx + ux * d + (ux * (side ? -1.0f : 1.0f) < 0 ? -w : 0);
            float py = cy + uy * d - 0.5f * h;
            int covers = 0;
            for (int k = 0; k < scene_object_count(sc) && !covers; k++) {
                float x0, y0, x1, y1;
                ui_app_world_to_screen(a, o[k].x - 0.5f * o[k].w, o[k].y - 0.5f * o[k].h, &x0, &y0);
                ui_app_world_to_screen(a, o[k].x + 0.5f * o[k].w, o[k].y + 0.5f * o[k].h, &x1, &y1);
                covers = px < x1 && x0 < px + w && py < y1 && y0 < py + h;
            }
            if (!covers) {
                draw_text(a->draw, f, px, py, buf, C_MOTION_ARROW);
                break;
            }
        }
        a->marks.world_arrows++;
    }
}

/* The object whose ink box (grown by 4 screen px) holds world point (wx, wy), the nearest
 * centre where boxes overlap; -1 for none. */
static int hover_object(const UiApp *a, float wx, float wy)
{
    const Scene *sc = sim_scene(a->view);
    const SceneObject *o = scene_objects(sc);
    float slack = 4.0f * a->L.s / (a->L.scale > 0 ? a->L.scale : 1), best = 1e30f;
    int found = -1;
    for (int i = 0; i < scene_object_count(sc); i++) {
        float hx = 0.5f * o[i].w + slack, hy = 0.5f * o[i].h + slack;
        float d = hypotf(wx - o[i].x, wy - o[i].y);
        if (fabsf(wx - o[i].x) <= hx && fabsf(wy - o[i].y) <= hy && d < best) {
            best = d;
            found = i;
        }
    }
    return found;
}

/* Under the mouse: world position in px and degrees from the gaze, and what each stage has
 * there: saliency, inhibition of return, V1's dominant orientation and energy, motion energy,
 * and the retina's blur at that eccentricity. */
static void draw_hover(UiApp *a)
{
    if (!a->mouse_in || a->dragging)
        return;
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    float wx, wy;
    if (!ui_app_screen_to_world(a, a->mouse_x, a->mouse_y, &wx, &wy))
        return;
    const Saliency *sal = sim_saliency(s);
    int cell = saliency_params(sal)->cell_px;
    const Image *sm = saliency_map(sal);
    int cx = (int)floorf(wx / (float)cell), cy = (int)floorf(wy / (float)cell);
    if (cx < 0 || cy < 0 || cx >= sm->w || cy >= sm->h)
        return;
    const Eye *e = sim_eye(s);
    const RetinaParams *rp = retina_params(sim_retina(s));
    float ppd = sim_config(s)->px_per_deg;
    float dx = (wx - e->x) / ppd, dy = (wy - e->y) / ppd;
    float ecc_px = hypotf(wx - e->x, wy - e->y);
    float ox = 0, oy = 0, tot = 0;
    for (int o = 0; o < a->gpu.n_orient; o++) {
        float en = image_at(saliency_orient_map(sal, o), cx, cy);
        float th = v1_orientation_rad(sim_v1(s), o);
        ox += en * cosf(2 * th);
        oy += en * sinf(2 * th);
        tot += en;
    }
    float th = 0.5f * atan2f(oy, ox) * 57.2957795f;
    if (th < 0)
        th += 180.0f;
    char l[7][160];
    int nl = 5;
    snprintf(l[0], sizeof(l[0]), "x %.0f  y %.0f px   %+.1f, %+.1f deg from gaze (%.1f deg)", wx,
             wy, dx, dy, ecc_px / ppd);
    snprintf(l[1], sizeof(l[1]), "saliency %.2f   inhibition of return %.2f", image_at(sm, cx, cy),
             image_at(saliency_ior(sal), cx, cy));
    snprintf(l[2], sizeof(l[2]), "V1 orientation %.0f deg, energy %.3g", th, tot);
    snprintf(l[3], sizeof(l[3]), "motion energy %.3g", image_at(saliency_motion_map(sal), cx, cy));
    snprintf(l[4], sizeof(l[4]), "retina blur here: sigma %.1f px (acuity formula %.1f px)",
             retina_sigma_at(rp, wx - e->x, wy - e->y), retina_sigma_px(rp, ecc_px));
    /* The object under the cursor (its ink box, 4 screen px of slack): what it is, its truth,
     * and how the eye read it. */
    int oi = hover_object(a, wx, wy);
    if (oi >= 0) {
        const SceneObject *o = &scene_objects(sim_scene(s))[oi];
        static const char *kinds[] = {"digit", "text", "blob", "box"};
        const char *kind = o->kind <= SCENE_OBJ_BOX ? kinds[o->kind] : "object";
        if (o->label[0])
            snprintf(l[5], sizeof(l[5]), "object %d: %s, truth \"%s\"", oi + 1, kind, o->label);
        else
            snprintf(l[5], sizeof(l[5]), "object %d: %s, no label (no truth to score)", oi + 1,
                     kind);
        SimRead rd = {-1, 0, 0, -1};
        int looks = 0;
        for (int k = 0; k < sim_fixation_count(s); k++)
            if (sim_fixation(s, k)->object == oi) {
                looks++;
                sim_read_update(s, k, &rd);
            }
        const SimClassifier *cls = sim_classifier(s);
        if (rd.label >= 0) {
            const char *name = cls && cls->class_names && rd.label < cls->n_classes
                                   ? cls->class_names[rd.label]
                                   : "?";
            const char *verdict = !o->label[0]                         ? "unscored"
                                  : read_label_matches(name, o->label) ? "right"
                                                                       : "wrong";
            snprintf(l[6], sizeof(l[6]), "read \"%s\" %.0f%% at fixation #%d: %s (%d looks)", name,
                     100.0 * rd.confidence, rd.fixation + 1, verdict, looks);
        } else {
            snprintf(l[6], sizeof(l[6]), "not read yet (%d looks)", looks);
        }
        nl = 7;
        snprintf(a->marks.hover_object, sizeof(a->marks.hover_object), "%s", l[5]);
        snprintf(a->marks.hover_read, sizeof(a->marks.hover_read), "%s", l[6]);
    }
    const Font *f = &a->font_small;
    float lh = (float)f->line_h, w = 0, sc = L->s;
    for (int i = 0; i < nl; i++)
        w = fmaxf(w, (float)font_text_width(f, l[i]));
    float bw = w + 16 * sc, bh = (float)nl * lh + 12 * sc;
    float x = a->mouse_x + 18 * sc, y = a->mouse_y + 18 * sc;
    if (x + bw > L->vx + L->vw)
        x = a->mouse_x - 18 * sc - bw;
    if (y + bh > L->vy + L->vh)
        y = a->mouse_y - 18 * sc - bh;
    draw_line(d, a->mouse_x - 7 * sc, a->mouse_y, a->mouse_x + 7 * sc, a->mouse_y, 1.5f * sc,
              (Rgba){1, 1, 1, 0.9f});
    draw_line(d, a->mouse_x, a->mouse_y - 7 * sc, a->mouse_x, a->mouse_y + 7 * sc, 1.5f * sc,
              (Rgba){1, 1, 1, 0.9f});
    draw_rect(d, x, y, bw, bh, (Rgba){0.03f, 0.03f, 0.05f, 0.88f});
    draw_rect_outline(d, x, y, bw, bh, 1.0f * sc, C_DIM);
    for (int i = 0; i < nl; i++)
        draw_text(d, f, x + 8 * sc, y + 6 * sc + lh * (float)i, l[i],
                  i == 0 || i == 5 ? (Rgba){1, 0.85f, 0.35f, 1} : C_TEXT);
}

typedef struct Legend {
    const char *title;
    int map;             /* 1 viridis, 2 inferno, 4 orientation hues; 0: a line of text, no bar */
    const char *lo, *hi; /* below the bar; with map 0, lo is the line */
    int arrow;           /* a motion arrow (as drawn) before the title */
} Legend;

/* Legends of the layers that are on and need one, stacked at the bottom of the side panel
 * (never over the scene). Returns the top of the stack. */
static float draw_legends(UiApp *a)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    Legend lg[6];
    int n = 0;
    char mot_hi[32];
    snprintf(mot_hi, sizeof(mot_hi), "%.3g", a->motion_max);
    if (a->layers & UI_LAYER_SALIENCY)
        lg[n++] = (Legend){"1  saliency (fixed scale)", SAL_MAP, "0.05", "1", 0};
    if (a->layers & UI_LAYER_IOR)
        lg[n++] = (Legend){"2  inhibition of return (fixed scale)", IOR_MAP, "0.05", "1", 0};
    if (a->layers & UI_LAYER_ORIENT)
        lg[n++] = (Legend){"3  V1: stroke along the edge, length = energy", 4, "0", "180 deg", 0};
    if (a->layers & UI_LAYER_MOTION) {
        /* The heat and the arrows are two things: say which colour is which. */
        lg[n++] = (Legend){"4  motion energy (heat, on the retina)", MOTION_MAP, "0", mot_hi, 0};
        /* Which motion the arrows are: V1's retinal slip moves the whole page while the eye
         * pursues; the world's is what moves in the scene. */
        if (a->world_motion)
            lg[n++] = (Legend){"4  arrows: world motion (scene truth)", 0,
                               "objects' own velocity (m: retinal)", NULL, 1};
        else
            lg[n++] = (Legend){"4  arrows: retinal slip (V1 energy)", 0,
                               "eye's own motion included (m: world)", NULL, 1};
    }
    if (a->layers & UI_LAYER_FOVEATED)
        lg[n++] = (Legend){"6  foveated view: what the retina keeps", 0,
                           "sharp at the gaze, blurrier with eccentricity", NULL, 0};
    float s = L->s, m = 10 * s;
    float x = L->px + m, w = L->pw - 2 * m;
    float lh = (float)a->font_small.line_h;
    float total = 0;
    for (int i = 0; i < n; i++)
        total += lg[i].map ? lh * 2 + 12 * s : lg[i].lo ? lh * 2 + 6 * s : lh + 6 * s;
    float y = (float)L->dh - m - total;
    float top = y;
    for (int i = 0; i < n; i++) {
        float tx = x;
        if (lg[i].arrow) {
            draw_arrow(d, x, y + lh * 0.5f, x + 18 * s, y + lh * 0.5f, 2.0f * s, 6.0f * s,
                       C_MOTION_ARROW);
            tx += 24 * s;
        }
        const char *title = lg[i].title;
        if (!lg[i].map && (float)font_text_width(&a->font_small, title) > w - (tx - x))
            title = lg[i].arrow ? "4  arrows: direction" : "6  foveated view";
        draw_text(d, &a->font_small, tx, y, title, C_TEXT);
        if (!lg[i].map) {
            if (lg[i].lo)
                draw_text(d, &a->font_small, x, y + lh, lg[i].lo, C_DIM);
            y += lg[i].lo ? lh * 2 + 6 * s : lh + 6 * s;
            continue;
        }
        float gy = y + lh + 1 * s;
        draw_gradient(a, x, gy, w, 10 * s, lg[i].map);
        float ty = gy + 10 * s + 1 * s;
        draw_text(d, &a->font_small, x, ty, lg[i].lo, C_DIM);
        float hw = (float)font_text_width(&a->font_small, lg[i].hi);
        draw_text(d, &a->font_small, x + w - hw, ty, lg[i].hi, C_DIM);
        if (lg[i].map == 4)
            text_centered(d, &a->font_small, x + w * 0.5f, ty + lh * 0.5f, "90", C_DIM);
        y += lh * 2 + 12 * s;
    }
    return top;
}

static void draw_timeline(UiApp *a)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    float s = L->s;
    const RunFile *rf = a->rf;
    double first = (double)ui_replay_first(a), last = (double)ui_replay_last(a);
    double span = last > first ? last - first : 1.0, tms = ui_replay_tick_ms(a);
    double now = (double)ui_replay_tick(a);
    draw_rect(d, L->tl_x, L->tl_y, L->tl_w, L->tl_h, C_HUD_BG);
    char buf[96];
    snprintf(buf, sizeof(buf), "%.1f / %.1f s", now * tms / 1000.0, last * tms / 1000.0);
    float ty = L->tl_y + floorf((L->tl_h - (float)a->font.line_h) * 0.5f);
    draw_text(d, &a->font, L->tl_x + 10 * s, ty, buf, C_TEXT);
    snprintf(buf, sizeof(buf), "%gx", a->speed);
    draw_text(d, &a->font, L->tl_bx + L->tl_bw + 14 * s, ty, buf, C_TEXT);
    float by = L->tl_y + L->tl_h * 0.5f - 5 * s, bh = 10 * s;
    draw_rect(d, L->tl_bx, by, L->tl_bw, bh, (Rgba){0.22f, 0.22f, 0.26f, 1});
    float f = (float)((now - first) / span);
    draw_rect(d, L->tl_bx, by, L->tl_bw * f, bh, (Rgba){0.35f, 0.55f, 0.85f, 1});
    for (size_t i = 0; i < rf->n_fixations; i++) {
        double t = rf->fixations[i]->start_ms / tms;
        float x = L->tl_bx + L->tl_bw * (float)((t - first) / span);
        draw_rect(d, x - 0.5f * s, by - 5 * s, 1.5f * s, bh + 10 * s, with_alpha(C_PATH, 0.9f));
    }
    draw_rect(d, L->tl_bx + L->tl_bw * f - 1.5f * s, L->tl_y + 4 * s, 3 * s, L->tl_h - 8 * s,
              C_TEXT);
    if (!a->player) {
        /* Seek points are still being prepared on a thread: say how far. */
        float p = ui_replay_progress(a);
        snprintf(buf, sizeof(buf), "preparing seek points %.0f%%", 100.0f * p);
        float tw = (float)font_text_width(&a->font_small, buf);
        float x = L->tl_bx + L->tl_bw - tw - 6 * s, y = L->tl_y + 1 * s;
        draw_rect(d, x - 4 * s, y, tw + 8 * s, (float)a->font_small.line_h, C_HUD_BG);
        draw_text(d, &a->font_small, x, y, buf, (Rgba){1.0f, 0.85f, 0.35f, 1});
        draw_rect(d, L->tl_bx, L->tl_y + L->tl_h - 4 * s, L->tl_bw * p, 2 * s,
                  (Rgba){1.0f, 0.85f, 0.35f, 1});
    }
}

static const char *stage_short(int i)
{
    static const char *n[SIM_STAGE_COUNT] = {"scene", "retina", "v1", "saliency", "eye", "class"};
    return i < SIM_STAGE_COUNT ? n[i] : "?";
}

static void draw_hud(UiApp *a)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    float s = L->s;
    float y = floorf((L->hud_h - (float)a->font.line_h) * 0.5f);
    float x = 10 * s;
    const char *mode;
    Rgba mc;
    if (a->replay) {
        mode = a->playing ? "REPLAY" : "REPLAY PAUSED";
        mc = a->playing ? (Rgba){0.5f, 0.75f, 1.0f, 1} : (Rgba){1.0f, 0.45f, 0.4f, 1};
    } else if (a->paused) {
        mode = "PAUSED";
        mc = (Rgba){1.0f, 0.45f, 0.4f, 1};
    } else if (sim_auto(a->view)) {
        mode = "AUTO";
        mc = (Rgba){0.45f, 0.95f, 0.5f, 1};
    } else {
        mode = "MANUAL";
        mc = (Rgba){1.0f, 0.85f, 0.35f, 1};
    }
    /* The rest as pieces, left to right. When the band is too narrow (small windows and
     * exports), the least needed go first: seed, frame rate, scene, the cost's wording;
     * nothing is ever cut in the middle. */
    enum { HUD_PIECES = 10 };
    char txt[HUD_PIECES][96];
    Rgba col[HUD_PIECES];
    float pgap[HUD_PIECES];
    int drop[HUD_PIECES]; /* dropped in this order (1 first); 0: always shown */
    int np = 0;
#define PIECE(c, g, dr, ...)                                                                       \
    do {                                                                                           \
        snprintf(txt[np], sizeof(txt[np]), __VA_ARGS__);                                           \
        col[np] = (c);                                                                             \
        pgap[np] = (g)*s;                                                                          \
        drop[np] = (dr);                                                                           \
        np++;                                                                                      \
    } while (0)
    PIECE(mc, 14, 0, "%s", mode);
    PIECE(C_TEXT, 10, 0, "t %.2f s", sim_time_ms(a->view) / 1000.0);
    PIECE(C_TEXT, 10, 3, "%.0f fps", a->fps);
    PIECE(C_TEXT, 10, 4, "%s", scene_spec_name(&a->opt.spec));
    PIECE(C_TEXT, 20, 2, "seed %llu", (unsigned long long)a->opt.seed);
    if (a->rec)
        PIECE(((Rgba){1.0f, 0.4f, 0.35f, 1}), 20, 0, "REC");
    /* The score: objects read, how many right (against the scene's ground truth), and what
     * reading cost: glimpses and fixation time per object until its first reading (on a page
     * of words: fixations and their time per word read). */
    const ReadScore *sc = &a->score;
    int words = sim_reading(a->view) != NULL;
    int cost = -1;
    if (sc->objects > 0) {
        PIECE(C_TEXT, 10, 0, "read %d/%d", sc->read, sc->objects);
        if (sc->labelled > 0) {
            const Rgba green = {0.4f, 0.9f, 0.45f, 1}, red = {1.0f, 0.4f, 0.35f, 1};
            PIECE(green, 8, 0, "%d right", sc->correct);
            PIECE(sc->wrong ? red : C_DIM, 10, 0, "%d wrong", sc->wrong);
        }
        if (sc->read > 0) {
            cost = np;
            PIECE(C_DIM, 20, 0, "%.1f %s, %.0f ms per %s", sc->mean_glimpses,
                  words ? "fixations" : "glimpses", sc->mean_ms, words ? "word" : "object");
        }
    }
#undef PIECE
    float room = (float)L->dw - 20 * s, need = 0;
    for (int i = 0; i < np; i++)
        need += (float)font_text_width(&a->font, txt[i]) + pgap[i];
    for (int r = 1; r <= 4 && need > room; r++)
        for (int i = 0; i < np; i++)
            if (drop[i] == r) {
                need -= (float)font_text_width(&a->font, txt[i]) + pgap[i];
                txt[i][0] = 0;
                pgap[i] = 0;
            }
    if (need > room && cost >= 0) { /* "1.8 gl, 218 ms/obj" */
        need -= (float)font_text_width(&a->font, txt[cost]);
        snprintf(txt[cost], sizeof(txt[cost]), "%.1f %s, %.0f ms/%s", sc->mean_glimpses,
                 words ? "fix" : "gl", sc->mean_ms, words ? "word" : "obj");
        need += (float)font_text_width(&a->font, txt[cost]);
    }
    for (int i = 0; i < np; i++)
        if (txt[i][0])
            x += (float)draw_text(d, &a->font, x, y, txt[i], col[i]) + pgap[i];
    char buf[256];
    /* Layer keys on the right; stage timings between, if they fit. */
    static const char *lname[6] = {"1 sal", "2 ior", "3 V1", "4 motion", "5 path", "6 fovea"};
    float lw = 0, gap = 12 * s;
    for (int i = 0; i < 6; i++)
        lw += (float)font_text_width(&a->font_small, lname[i]) + gap;
    lw += (float)font_text_width(&a->font_small, "h help");
    float lx = (float)L->dw - lw - 10 * s;
    int n = 0;
    for (int i = 0; i < SIM_STAGE_COUNT; i++)
        n +=
            snprintf(buf + n, sizeof(buf) - (size_t)n, "%s %.2f  ", stage_short(i), a->stage_ms[i]);
    snprintf(buf + n, sizeof(buf) - (size_t)n, "ms/tick");
    float sw = (float)font_text_width(&a->font_small, buf);
    float ys = floorf((L->hud_h - (float)a->font_small.line_h) * 0.5f);
    if (x + sw + 16 * s < lx)
        draw_text(d, &a->font_small, x, ys, buf, C_DIM);
    if (lx > x) {
        for (int i = 0; i < 6; i++) {
            int on = (a->layers >> i) & 1;
            lx += (float)draw_text(d, &a->font_small, lx, ys, lname[i],
                                   on ? (Rgba){1.0f, 0.8f, 0.3f, 1} : C_DIM) +
                  gap;
        }
        draw_text(d, &a->font_small, lx, ys, "h help", C_TEXT);
    }
}

static float panel_title(UiApp *a, float x, float y, const char *t)
{
    draw_text(a->draw, &a->font, x, y, t, C_TEXT);
    return y + (float)a->font.line_h + 4 * a->L.s;
}

/* Still-eye and saccade accuracy at an offset (px), linear between the curve's rows. */
static void ecc_at(const EccCurve *c, float off, float *still, float *sacc)
{
    int k = 1;
    while (k < c->n - 1 && c->offset_px[k] < off)
        k++;
    float x0 = c->offset_px[k - 1], x1 = c->offset_px[k];
    float t = x1 > x0 ? fminf(fmaxf((off - x0) / (x1 - x0), 0.0f), 1.0f) : 0.0f;
    *still = c->still[k - 1] + t * (c->still[k] - c->still[k - 1]);
    *sacc = c->saccades[k - 1] + t * (c->saccades[k] - c->saccades[k - 1]);
}

/* Height of the claim strip at the top of the side panel (claim_strip draws it). */
static float claim_strip_h(const UiApp *a)
{
    float sc = a->L.s, lh = (float)a->font_small.line_h;
    return (float)a->font.line_h + 4 * sc + (a->ecc.n >= 2 ? 2 * lh + 36 * sc : lh) + 10 * sc;
}

/* The claim, docked: the gaze's offset from the nearest object's centre, what a still eye
 * reads at that offset (the model's curve), and the curve itself small, still eye (red)
 * against saccades (blue), the offset marked. Returns the y below it. */
static float claim_strip(UiApp *a, float x, float y, float w)
{
    Draw *d = a->draw;
    const EccCurve *c = &a->ecc;
    float sc = a->L.s, lh = (float)a->font_small.line_h;
    float y0 = y;
    const char *title = "Claim: the eye must move";
    if ((float)font_text_width(&a->font, title) > w)
        title = "Claim";
    draw_text(d, &a->font, x, y, title, (Rgba){1, 0.85f, 0.35f, 1});
    y += (float)a->font.line_h + 4 * sc;
    if (c->n < 2) {
        const char *base = strrchr(c->path, '/');
        snprintf(a->claim_line, sizeof(a->claim_line), "no curve for this model (%.100s)",
                 c->path[0] ? (base ? base + 1 : c->path) : "no model");
        draw_text(d, &a->font_small, x, y, a->claim_line, C_DIM);
        return y0 + claim_strip_h(a);
    }
    const int reading = sim_reading(a->view) != NULL;
    float off = read_gaze_offset_px(a->view), still = 0, sacc = 0;
    float omax = c->offset_px[c->n - 1] > 0 ? c->offset_px[c->n - 1] : 1;
    if (off >= 0) {
        ecc_at(c, off, &still, &sacc);
        snprintf(a->claim_line, sizeof(a->claim_line),
                 "offset %.1f px: a still eye reads this %.0f%%", off, 100.0f * still);
    } else {
        snprintf(a->claim_line, sizeof(a->claim_line), "no object: no offset");
    }
    if ((float)font_text_width(&a->font_small, a->claim_line) > w && off >= 0)
        snprintf(a->claim_line, sizeof(a->claim_line), "%.1f px: still eye %.0f%%", off,
                 100.0f * still);
    draw_text(d, &a->font_small, x, y, a->claim_line, C_TEXT);
    y += lh + 5 * sc;
    float gh = 28 * sc, gw = w;
    draw_rect(d, x, y, gw, gh, (Rgba){0.08f, 0.08f, 0.10f, 1});
    Rgba red = {1.0f, 0.45f, 0.35f, 1}, blue = {0.4f, 0.75f, 1.0f, 1};
    for (int k = 1; k < c->n; k++) {
        float x0 = x + gw * c->offset_px[k - 1] / omax, x1 = x + gw * c->offset_px[k] / omax;
        draw_line(d, x0, y + gh * (1 - c->still[k - 1]), x1, y + gh * (1 - c->still[k]), 1.5f * sc,
                  red);
        if (!reading)
            draw_line(d, x0, y + gh * (1 - c->saccades[k - 1]), x1, y + gh * (1 - c->saccades[k]),
                      1.5f * sc, blue);
    }
    if (off >= 0) {
        float xx = x + gw * fminf(off, omax) / omax;
        draw_line(d, xx, y, xx, y + gh, 1.5f * sc, (Rgba){0.3f, 1.0f, 0.4f, 1});
    }
    y += gh + 3 * sc;
    /* reading: the curve's letters were read by the digit eye on isolated glyphs, not by the
     * reading eye, so only the still eye's line is drawn (the cliff under the letter) */
    const char *note =
        reading ? "red: a letter that far off a still eye (dense reader, no weight sharing)"
                : "red: eye held still; blue: with saccades (dense reader, no weight "
                  "sharing)";
    if ((float)font_text_width(&a->font_small, note) > w)
        note = reading ? "red: still eye, letter offset" : "red: still eye; blue: saccades";
    draw_text(d, &a->font_small, x, y, note, C_DIM);
    return y0 + claim_strip_h(a);
}

/* V1 at 1x, where the scene's strokes are a few px long: the finest level's orientation
 * energy over the fovea panel (x, y, side fs, drawable px), one stroke per block about 11 px
 * wide along the edge it responds to, hue as in the scene, length = energy relative to the
 * strongest block in the fovea (so the fovea's strokes always read). */
static void draw_fovea_v1(UiApp *a, float x, float y, float fs)
{
    const Sim *s = a->view;
    const V1 *v1 = sim_v1(s);
    const Retina *r = sim_retina(s);
    int M = v1_map_size(v1), O = v1_params(v1)->orientations;
    int F = retina_params(r)->fovea_size, step = retina_params(r)->level_size / (M > 0 ? M : 1);
    if (M <= 0 || O <= 0 || O > 16 || F <= 0)
        return;
    float x0, y0, sp;
    retina_level_geometry(r, 0, &x0, &y0, &sp);
    float fpx = fs / (float)F;           /* panel px per fovea px */
    float cell = (float)step * sp * fpx; /* panel px per map sample */
    int B = (int)ceilf(11.0f * a->L.s / cell);
    B = B < 1 ? 1 : B;
    float cs[16], sn[16];
    for (int o = 0; o < O; o++) {
        cs[o] = cosf(2 * v1_orientation_rad(v1, o));
        sn[o] = sinf(2 * v1_orientation_rad(v1, o));
    }
    /* Map samples on the fovea: (i - M/2) * step * sp world px from the gaze. */
    float half = 0.5f * (float)F / ((float)step * sp);
    int i0 = (int)ceilf((float)(M / 2) - half), i1 = (int)floorf((float)(M / 2) + half);
    i0 = i0 < 0 ? 0 : i0;
    i1 = i1 > M ? M : i1;
    float bx[256], by[256], be[256], bt[256];
    int nb = 0;
    float emax = 0;
    for (int j = i0; j + B <= i1 && nb < 256; j += B)
        for (int i = i0; i + B <= i1 && nb < 256; i += B) {
            float sx = 0, sy = 0;
            for (int o = 0; o < O; o++) {
                const float *e = v1_orient_energy(v1, 0, o);
                float t = 0;
                for (int yy = j; yy < j + B; yy++)
                    for (int xx = i; xx < i + B; xx++)
                        t += e[yy * M + xx];
                sx += t * cs[o];
                sy += t * sn[o];
            }
            /* Oriented part only: a blob drives every orientation alike. */
            float en = hypotf(sx, sy);
            float u = 0.5f * (float)F +
                      ((float)i + 0.5f * (float)(B - 1) - (float)(M / 2)) * (float)step * sp;
            float v = 0.5f * (float)F +
                      ((float)j + 0.5f * (float)(B - 1) - (float)(M / 2)) * (float)step * sp;
            bx[nb] = x + u * fpx;
            by[nb] = y + v * fpx;
            be[nb] = en;
            bt[nb] = 0.5f * atan2f(sy, sx) + 1.57079633f;
            emax = fmaxf(emax, en);
            nb++;
        }
    if (emax <= 0)
        return;
    float len_max = (float)B * cell * 0.95f;
    for (int k = 0; k < nb; k++) {
        float v = be[k] / emax;
        if (v < 0.15f)
            continue;
        float hue = fmodf(bt[k] / 3.14159265f + 2.0f, 1.0f), rgb[3];
        const float kk[3] = {5, 3, 1};
        for (int c = 0; c < 3; c++) {
            float q = fmodf(kk[c] + hue * 6.0f, 6.0f);
            rgb[c] = 0.35f + 0.65f * (1.0f - fminf(fmaxf(fminf(q, 4.0f - q), 0.0f), 1.0f));
        }
        float hl = 0.5f * len_max * sqrtf(v), ux = cosf(bt[k]) * hl, uy = sinf(bt[k]) * hl;
        draw_line(a->draw, bx[k] - ux, by[k] - uy, bx[k] + ux, by[k] + uy, 2.0f * a->L.s,
                  (Rgba){rgb[0], rgb[1], rgb[2], 0.95f});
    }
}

/* ---- adaptation plots (issue 22: goggles, plasticity) ---- */

#define ADAPT_PLOT_N 100 /* the last saccades or reads shown */
#define ADAPT_RUN 10     /* reads per point of the accuracy curve (a running mean) */

static int adapt_block_on(const Sim *s)
{
    return sim_adapt(s) || sim_plasticity(s);
}

/* Height of the block draw_adapt draws: a title; with goggles the landing-error plot and its
 * line; the reading plot and its line; with plasticity one line of the gains. */
static float adapt_block_h(const UiApp *a, float plot_h)
{
    const Sim *s = a->view;
    if (!adapt_block_on(s))
        return 0;
    float sc = a->L.s, lh = (float)a->font_small.line_h;
    float h = (float)a->font.line_h + 4 * sc;
    h += (sim_adapt(s) ? 2 : 1) * (plot_h + 2 * sc + lh + 4 * sc);
    if (sim_plasticity(s))
        h += lh + 2 * sc;
    return h + 6 * sc;
}

/* A small line plot of n values (oldest first) on [0, vmax], with a dim frame and a dashed
 * reference level ref (< 0: none). */
static void plot_series(UiApp *a, float x, float y, float w, float h, const float *v, int n,
                        float vmax, float ref, Rgba c)
{
    Draw *d = a->draw;
    float sc = a->L.s;
    draw_rect(d, x, y, w, h, (Rgba){0.16f, 0.16f, 0.19f, 1});
    draw_rect_outline(d, x - 1, y - 1, w + 2, h + 2, 1, C_DIM);
    if (ref >= 0 && ref <= vmax) {
        float ry = y + h - h * ref / vmax;
        for (float rx = x; rx < x + w; rx += 8 * sc)
            draw_line(d, rx, ry, fminf(rx + 4 * sc, x + w), ry, 1, (Rgba){0.6f, 0.6f, 0.65f, 0.8f});
    }
    if (n < 1)
        return;
    float dx = n > 1 ? w / (float)(ADAPT_PLOT_N - 1) : 0;
    float px = x, py = y + h - h * fminf(v[0], vmax) / vmax;
    for (int i = 1; i < n; i++) {
        float qx = x + dx * (float)i, qy = y + h - h * fminf(v[i], vmax) / vmax;
        draw_line(d, px, py, qx, qy, 1.5f * sc, c);
        px = qx;
        py = qy;
    }
    draw_rect(d, px - 1.5f * sc, py - 1.5f * sc, 3 * sc, 3 * sc, c);
}

/* What adapts, as it adapts: with goggles the post-saccadic error of each mapped saccade (the
 * motor map's learning signal, sim_adapt.h) and, with goggles or plasticity, the reads scored
 * against the scene's truth (UiReadLog) as a running mean; with plasticity the V1 gains. */
static float draw_adapt(UiApp *a, float x, float y, float w, float plot_h)
{
    const Sim *s = a->view;
    Draw *d = a->draw;
    float sc = a->L.s, lh = (float)a->font_small.line_h;
    const SimAdapt *ad = sim_adapt(s);
    const Plasticity *pl = sim_plasticity(s);
    char buf[160];
    int flip = retina_params(sim_retina(s))->flip;
    static const char *const gog[] = {"none", "lr", "ud", "rot180"};
    if (ad && pl)
        snprintf(buf, sizeof buf, "Goggles %s, V1 plasticity %s", gog[flip & 3],
                 plasticity_mode_name(pl->mode));
    else if (ad)
        snprintf(buf, sizeof buf, "Goggles %s: adapting", gog[flip & 3]);
    else
        snprintf(buf, sizeof buf, "V1 plasticity: %s", plasticity_mode_name(pl->mode));
    y = panel_title(a, x, y, buf);
    float v[ADAPT_PLOT_N] = {0};
    if (ad) {
        int n = ad->saccades < ADAPT_PLOT_N ? ad->saccades : ADAPT_PLOT_N;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            v[i] = ad->err_deg[(ad->saccades - n + i) % SIM_ADAPT_HISTORY];
            sum += v[i];
        }
        plot_series(a, x, y, w, plot_h, v, n, 8.0f, 1.0f, C_PATH);
        a->marks.error_points = n;
        y += plot_h + 2 * sc;
        if (n)
            snprintf(buf, sizeof buf, "landing error, last %d: %.2f deg (%d saccades)", n, sum / n,
                     ad->saccades);
        else
            snprintf(buf, sizeof buf, "landing error: no mapped saccade yet");
        if ((float)font_text_width(&a->font_small, buf) > w && n)
            snprintf(buf, sizeof buf, "landing err. %.2f deg (%d)", sum / n, ad->saccades);
        draw_text(d, &a->font_small, x, y, buf, C_DIM);
        y += lh + 4 * sc;
    }
    const UiReadLog *rl = &a->read_log;
    int m = rl->sim == s ? rl->n : 0;
    int first = m > ADAPT_PLOT_N + ADAPT_RUN - 1 ? m - (ADAPT_PLOT_N + ADAPT_RUN - 1) : 0;
    int np = 0, right = 0, seen = 0;
    for (int i = first; i < m; i++) {
        int ok = rl->ok[(rl->head - m + i + 2 * UI_READ_LOG_N) % UI_READ_LOG_N];
        right += ok;
        seen++;
        if (seen > ADAPT_RUN) {
            int old = rl->ok[(rl->head - m + i - ADAPT_RUN + 2 * UI_READ_LOG_N) % UI_READ_LOG_N];
            right -= old;
            seen = ADAPT_RUN;
        }
        if (seen == ADAPT_RUN && np < ADAPT_PLOT_N)
            v[np++] = (float)right / ADAPT_RUN;
    }
    plot_series(a, x, y, w, plot_h, v, np, 1.0f, -1.0f, (Rgba){0.35f, 0.6f, 0.9f, 1});
    a->marks.adapt_block = 1;
    a->marks.read_points = np;
    a->marks.reads_scored = rl->sim == s ? rl->reads : 0;
    a->marks.reads_right = rl->sim == s ? rl->right : 0;
    y += plot_h + 2 * sc;
    if (rl->sim == s && rl->reads) {
        double pc = 100.0 * (double)rl->right / (double)rl->reads;
        snprintf(buf, sizeof buf, "reads right, %d-read mean: %ld of %ld (%.0f%%)", ADAPT_RUN,
                 rl->right, rl->reads, pc);
        if ((float)font_text_width(&a->font_small, buf) > w)
            snprintf(buf, sizeof buf, "right: %ld of %ld (%.0f%%)", rl->right, rl->reads, pc);
    } else {
        snprintf(buf, sizeof buf, "reads right: none scored yet");
    }
    draw_text(d, &a->font_small, x, y, buf, C_DIM);
    y += lh + 4 * sc;
    if (pl) {
        double dmax = 0;
        for (int i = 0; i < PLASTICITY_N; i++)
            dmax = fmax(dmax, fabs(pl->gain[i] - 1.0));
        int moved = plasticity_positions_changed(pl);
        snprintf(buf, sizeof buf, "V1 gains: %ld rewarded reads, %d/%d positions, max %.3f",
                 pl->updates, moved, PLASTICITY_POSITIONS, dmax);
        if ((float)font_text_width(&a->font_small, buf) > w)
            snprintf(buf, sizeof buf, "gains: %ld rewarded, %d pos., max %.3f", pl->updates, moved,
                     dmax);
        draw_text(d, &a->font_small, x, y, buf, C_DIM);
        y += lh + 2 * sc;
    }
    return y + 6 * sc;
}

static void draw_panel(UiApp *a, float bottom)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    const Sim *s = a->view;
    float sc = L->s, m = 10 * sc;
    float x = L->px + m, w = L->pw - 2 * m, y = L->py + m;
    const RetinaParams *rp = retina_params(sim_retina(s));
    char buf[160];
    y = claim_strip(a, x, y, w);
    /* With goggles or plasticity, the adaptation block takes its room from the images. */
    float adapt_plot_h = 34 * sc;
    /* Images go through their own program: draw the text batch so far, then the images. */
    snprintf(buf, sizeof(buf), "Fovea (%d x %d px)", rp->fovea_size, rp->fovea_size);
    y = panel_title(a, x, y, buf);
    /* The two images share what the text blocks leave: 3 titles, the axis note, 4 class rows,
     * the fixation lines. Small windows get smaller images, never overlapping text. */
    float title_h = (float)a->font.line_h + 4 * sc, small_h = (float)a->font_small.line_h;
    float text_need = 2 * title_h + small_h + 30 * sc + 4 * (small_h + 3 * sc) +
                      (title_h + 2 * small_h + 16 * sc) + adapt_block_h(a, adapt_plot_h);
    float img_room = fmaxf(bottom - y - text_need, 40 * sc);
    float fs = fminf(fminf(w, 180 * sc), img_room * 0.58f);
    float ch = w * (float)a->cortical.h / (float)(a->cortical.w > 0 ? a->cortical.w : 1);
    ch = fminf(fminf(ch, 130 * sc), img_room - fs);
    if (ch < 16 * sc)
        ch = 16 * sc;
    float fy = y;
    y += fs + 10 * sc;
    y = panel_title(a, x, y, "Cortical view (log-polar)");
    float cy = y;
    y += ch + 2 * sc;
    const char *axes = "x: polar angle   y: log eccentricity";
    if ((float)font_text_width(&a->font_small, axes) > w)
        axes = "x: angle  y: log ecc.";
    draw_text(d, &a->font_small, x, y, axes, C_DIM);
    y += (float)a->font_small.line_h + 10 * sc;
    draw_flush(d);
    draw_image(a, a->gpu.fovea_tex, x, fy, fs, fs, 0, 0.0f, 1.0f);
    if (a->layers & UI_LAYER_ORIENT)
        draw_fovea_v1(a, x, fy, fs);
    draw_image(a, a->gpu.cortical_tex, x, cy, w, ch, 0, 0.0f, 1.0f);
    draw_rect_outline(d, x - 1, fy - 1, fs + 2, fs + 2, 1, C_DIM);
    draw_rect_outline(d, x - 1, cy - 1, w + 2, ch + 2, 1, C_DIM);

    int nc = 0, read_k = -1;
    const float *probs = sim_class_probs(s, &nc, &read_k);
    /* The bars are the last reading, which may be of an earlier fixation: the eye reads a new
     * one only once it has settled on it. Say which, and dim them until this one is read. */
    int stale = probs && read_k != sim_fixation_count(s) - 1;
    if (!probs)
        snprintf(buf, sizeof(buf), "Classifier");
    else if (!stale)
        snprintf(buf, sizeof(buf), "Classifier: this fixation");
    else
        snprintf(buf, sizeof(buf), "Classifier: fixation #%d", read_k + 1);
    y = panel_title(a, x, y, buf);
    const SimClassifier *cls = sim_classifier(s);
    if (!cls) {
        draw_text(d, &a->font_small, x, y, "no classifier loaded (--model)", C_DIM);
        y += (float)a->font_small.line_h + 6 * sc;
    } else {
        /* Classes by probability (ties keep their order): as many rows as fit above the
         * fixation lines and the legends; the rest are summarised in one line. */
        int order[SIM_MAX_CLASSES];
        int ncls = cls->n_classes < SIM_MAX_CLASSES ? cls->n_classes : SIM_MAX_CLASSES;
        for (int i = 0; i < ncls; i++) {
            float pi = probs && i < nc ? probs[i] : 0.0f;
            int j = i;
            while (j > 0 && probs && (order[j - 1] < nc ? probs[order[j - 1]] : 0.0f) < pi) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        float rh = (float)a->font_small.line_h + 3 * sc;
        float fix_h = (float)a->font.line_h + 2 * (float)a->font_small.line_h + 16 * sc +
                      adapt_block_h(a, adapt_plot_h);
        int rows = (int)((bottom - fix_h - y) / rh) - 1;
        if (rows < 1)
            rows = 1;
        int shown = ncls <= rows ? ncls : rows - 1;
        if (shown < 1)
            shown = 1;
        float lab_w = 0, val_w = (float)font_text_width(&a->font_small, "100%") + 6 * sc;
        for (int i = 0; i < ncls; i++) {
            const char *name = cls->class_names ? cls->class_names[i] : "?";
            lab_w = fmaxf(lab_w, (float)font_text_width(&a->font_small, name));
        }
        lab_w = fminf(lab_w + 8 * sc, w * 0.4f);
        for (int k = 0; k < shown; k++) {
            int i = order[k];
            const char *name = cls->class_names ? cls->class_names[i] : "?";
            float p = probs && i < nc ? probs[i] : 0.0f;
            int best = probs && k == 0;
            Rgba tc = stale ? C_DIM : best ? (Rgba){1, 0.85f, 0.35f, 1} : C_TEXT;
            draw_text(d, &a->font_small, x, y, name, tc);
            float bx = x + lab_w, bw = w - lab_w - val_w;
            draw_rect(d, bx, y + 2 * sc, bw, rh - 5 * sc, (Rgba){0.2f, 0.2f, 0.24f, 1});
            Rgba bc = best ? (Rgba){0.95f, 0.7f, 0.2f, 1} : (Rgba){0.35f, 0.6f, 0.9f, 1};
            if (stale)
                bc = (Rgba){0.45f, 0.45f, 0.5f, 1};
            draw_rect(d, bx, y + 2 * sc, bw * p, rh - 5 * sc, bc);
            snprintf(buf, sizeof(buf), "%.0f%%", 100.0f * p);
            float tw = (float)font_text_width(&a->font_small, buf);
            draw_text(d, &a->font_small, x + w - tw, y, buf, C_DIM);
            y += rh;
        }
        if (shown < ncls) {
            float rest = 0;
            for (int k = shown; k < ncls; k++)
                rest += probs && order[k] < nc ? probs[order[k]] : 0.0f;
            snprintf(buf, sizeof(buf), "%d more classes: %.0f%%", ncls - shown, 100.0f * rest);
            draw_text(d, &a->font_small, x, y, buf, C_DIM);
            y += rh;
        }
        if (!probs) {
            draw_text(d, &a->font_small, x, y, "(no classification yet)", C_DIM);
            y += (float)a->font_small.line_h;
        }
        y += 6 * sc;
    }
    if (adapt_block_on(s))
        y = draw_adapt(a, x, y, w, adapt_plot_h);
    y = panel_title(a, x, y, "Fixation");
    int n = sim_fixation_count(s);
    if (n > 0) {
        const SimFixation *f = sim_fixation(s, n - 1);
        double dur = (f->end_ms < 0 ? sim_time_ms(s) : f->end_ms) - f->start_ms;
        snprintf(buf, sizeof(buf), "#%d   %.0f ms%s%s", n, dur, f->manual ? "  manual" : "",
                 f->corrective ? "  corrective" : "");
    } else {
        snprintf(buf, sizeof(buf), "none yet");
    }
    draw_text(d, &a->font_small, x, y, buf, C_TEXT);
    y += (float)a->font_small.line_h + 2 * sc;
    const Eye *e = sim_eye(s);
    float pvx, pvy;
    eye_velocity_deg_s(e, &pvx, &pvy);
    float pv = hypotf(pvx, pvy);
    char speed[32] = "";
    if (pv > 0.05f)
        snprintf(speed, sizeof speed, " %.1f deg/s", (double)pv);
    snprintf(buf, sizeof(buf), "gaze %.0f, %.0f px   %s%s", e->x, e->y,
             e->phase == EYE_SACCADE ? "saccade" : (e->pursuing ? "pursuit" : "fixating"), speed);
    draw_text(d, &a->font_small, x, y, buf, C_DIM);
}

/* The transient status line ("scene: words", "recording ...") at the bottom left of the
 * scene area and the zoom note at its top right, in the margins around the world where they
 * fit: their boxes are reserved before any label is placed, and drawn after the panels. */
static int status_on(const UiApp *a)
{
    return a->status[0] && SDL_GetPerformanceCounter() * 1000.0 / SDL_GetPerformanceFrequency() <
                               a->status_until_ms;
}

static void notice_boxes(const UiApp *a, float st[4], float zm[4], char *zb, size_t zn)
{
    const UiLayout *L = &a->L;
    float s = L->s, h = (float)a->font_small.line_h + 4 * s;
    memset(st, 0, 4 * sizeof(float));
    memset(zm, 0, 4 * sizeof(float));
    zb[0] = 0;
    if (status_on(a)) {
        float w = fminf((float)font_text_width(&a->font_small, a->status) + 12 * s, L->aw - 8 * s);
        st[0] = L->ax + 4 * s;
        st[1] = L->ay + L->ah - h - 2 * s;
        st[2] = w;
        st[3] = h;
    }
    if (a->zoom > 1.0f) {
        snprintf(zb, zn, "zoom %.1fx  (wheel; drag to pan; 0 resets)", a->zoom);
        float w = (float)font_text_width(&a->font_small, zb) + 10 * s;
        zm[0] = L->ax + L->aw - w - 4 * s;
        zm[1] = L->ay + 2 * s;
        zm[2] = w;
        zm[3] = h;
    }
}

static void notices(UiApp *a, LabelBoxes *lb)
{
    float st[4], zm[4];
    char zb[64];
    notice_boxes(a, st, zm, zb, sizeof(zb));
    if (st[2] > 0)
        boxes_add(lb, st[0], st[1], st[2], st[3]);
    if (zm[2] > 0)
        boxes_add(lb, zm[0], zm[1], zm[2], zm[3]);
}

static void notices_draw(UiApp *a)
{
    Draw *d = a->draw;
    float st[4], zm[4], s = a->L.s;
    char zb[64];
    notice_boxes(a, st, zm, zb, sizeof(zb));
    if (st[2] > 0) {
        draw_rect(d, st[0], st[1], st[2], st[3], (Rgba){0.05f, 0.05f, 0.07f, 0.85f});
        draw_text(d, &a->font_small, st[0] + 6 * s, st[1] + 2 * s, a->status, C_TEXT);
    }
    if (zm[2] > 0) {
        draw_rect(d, zm[0], zm[1], zm[2], zm[3], (Rgba){0.03f, 0.03f, 0.05f, 0.85f});
        draw_text(d, &a->font_small, zm[0] + 5 * s, zm[1] + 2 * s, zb, C_TEXT);
    }
}

static void draw_help(UiApp *a)
{
    static const char *keys[][2] = {
        {"arrows, W A D, shift+S", "saccade by 2 deg (switches to MANUAL)"},
        {"mouse click", "saccade to that point"},
        {"space", "AUTO / MANUAL"},
        {"1  2  3", "saliency / inhibition of return / V1 orientation"},
        {"4  5  6", "motion energy / scanpath / foveated view"},
        {"m", "motion arrows: retinal slip (V1) / world motion"},
        {"tab", "next scene"},
        {"p", "pause"},
        {".", "single step (when paused)"},
        {"s", "screenshot (PNG in the working folder)"},
        {"r", "start / stop recording"},
        {"c", "claim panel: accuracy against offset"},
        {"wheel / right-drag / 0", "zoom about the cursor / pan / reset"},
        {"mouse over the scene", "what each stage has there"},
        {"h", "show / hide this help"},
        {"q, esc", "quit"},
    };
    static const char *rkeys[][2] = {
        {"space", "play / pause"},
        {".", "single step (when paused)"},
        {"left / right", "seek 1 s back / forward"},
        {"home / end", "start / end of the run"},
        {"+ / -", "speed 0.25x .. 8x"},
        {"click the timeline", "seek there"},
        {"1  2  3", "saliency / inhibition of return / V1 orientation"},
        {"4  5  6", "motion energy / scanpath / foveated view"},
        {"m", "motion arrows: retinal slip (V1) / world motion"},
        {"s", "screenshot (PNG in the working folder)"},
        {"c", "claim panel: accuracy against offset"},
        {"wheel / drag / 0", "zoom about the cursor / pan / reset"},
        {"h", "show / hide this help"},
        {"q, esc", "quit"},
    };
    static const char *marks[][2] = {
        {"green square", "the 28 x 28 px patch the classifier reads"},
        {"white ring", "object centre inside it: the still eye reads it (>= 90%)"},
        {"faint green ring", "5 deg around the gaze (parafovea)"},
        {"orange rings, numbers", "fixations in order; ring size = duration; fade with age"},
        {"orange line, dot", "the eye following a moving object (from the dot)"},
        {"blue cross, arrow", "next saccade target; in flight: the saccade"},
        {"tag \"4 99%\"", "what was read: green right, red wrong, grey no label"},
        {"red tag \"l 74% \xe2\x89\xa0 I\"", "a wrong read, and the truth"},
        {"green arrow at the edge", "(zoomed) where the gaze is"},
        {"timeline ticks", "(replay) the start of each fixation"},
        {"strokes / arrows", "V1 orientation energy / motion direction (3, 4)"},
    };
    const int nm = (int)(sizeof(marks) / sizeof(marks[0]));
    const char *(*tab)[2] = a->replay ? rkeys : keys;
    const int n =
        a->replay ? (int)(sizeof(rkeys) / sizeof(rkeys[0])) : (int)(sizeof(keys) / sizeof(keys[0]));
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    float s = L->s, lh = (float)a->font.line_h + 4 * s;
    float kw = 0, dw = 0;
    for (int i = 0; i < n; i++) {
        kw = fmaxf(kw, (float)font_text_width(&a->font, tab[i][0]));
        dw = fmaxf(dw, (float)font_text_width(&a->font, tab[i][1]));
    }
    for (int i = 0; i < nm; i++) {
        kw = fmaxf(kw, (float)font_text_width(&a->font, marks[i][0]));
        dw = fmaxf(dw, (float)font_text_width(&a->font, marks[i][1]));
    }
    float bw = kw + dw + 60 * s, bh = lh * (float)(n + nm + 4) + 20 * s;
    float x = L->vx + (L->vw - bw) * 0.5f, y = L->vy + (L->vh - bh) * 0.5f;
    if (x < 0)
        x = 0;
    if (y < L->hud_h)
        y = L->hud_h;
    draw_rect(d, x, y, bw, bh, (Rgba){0.03f, 0.03f, 0.05f, 0.88f});
    draw_rect_outline(d, x, y, bw, bh, 1.5f * s, C_DIM);
    float ty = y + 12 * s;
    draw_text(d, &a->font, x + 20 * s, ty, "Keys", (Rgba){1, 0.85f, 0.35f, 1});
    ty += lh * 1.5f;
    for (int i = 0; i < n; i++) {
        draw_text(d, &a->font, x + 20 * s, ty, tab[i][0], (Rgba){1, 0.85f, 0.35f, 1});
        draw_text(d, &a->font, x + 40 * s + kw, ty, tab[i][1], C_TEXT);
        ty += lh;
    }
    ty += lh * 0.5f;
    draw_text(d, &a->font, x + 20 * s, ty, "Marks", (Rgba){1, 0.85f, 0.35f, 1});
    ty += lh * 1.5f;
    for (int i = 0; i < nm; i++) {
        draw_text(d, &a->font, x + 20 * s, ty, marks[i][0], (Rgba){0.5f, 0.85f, 1.0f, 1});
        draw_text(d, &a->font, x + 40 * s + kw, ty, marks[i][1], C_TEXT);
        ty += lh;
    }
}

/* The claim: the model's accuracy against the offset of an object from the gaze, still eye
 * against saccades (from the curve file beside the model), with the current gaze's offset from
 * the nearest object's centre marked live, and one sentence saying what it shows. */
static void draw_claim(UiApp *a)
{
    Draw *d = a->draw;
    const UiLayout *L = &a->L;
    float s = L->s;
    const Font *f = &a->font_small;
    float lh = (float)f->line_h;
    const EccCurve *c = &a->ecc;
    /* Without a curve the box holds two lines only, not an empty graph. */
    float bw = fminf(430 * s, L->vw - 20 * s), bh = c->n < 2 ? 44 * s + 2 * lh : 250 * s;
    float x = L->vx + 10 * s, y = L->vy + L->vh - bh - 10 * s;
    draw_rect(d, x, y, bw, bh, (Rgba){0.03f, 0.03f, 0.05f, 0.9f});
    draw_rect_outline(d, x, y, bw, bh, 1.0f * s, C_DIM);
    draw_text(d, &a->font, x + 10 * s, y + 6 * s, "The claim: accuracy against offset",
              (Rgba){1, 0.85f, 0.35f, 1});
    if (c->n < 2) {
        /* Say which file is missing and how to make it (every shipped model ships one). */
        char miss[1100];
        const char *base = strrchr(c->path, '/');
        snprintf(miss, sizeof(miss), "no curve for this model (%s)",
                 c->path[0] ? (base ? base + 1 : c->path) : "no model");
        draw_text(d, f, x + 10 * s, y + 34 * s, miss, C_TEXT);
        draw_text(d, f, x + 10 * s, y + 34 * s + lh,
                  "saccade eval eccentricity --model M --curve FILE writes one", C_DIM);
        return;
    }
    const int reading = sim_reading(a->view) != NULL;
    float gx = x + 44 * s, gy = y + 34 * s, gw = bw - 60 * s, gh = bh - 34 * s - 3.4f * lh - 16 * s;
    float omax = c->offset_px[c->n - 1] > 0 ? c->offset_px[c->n - 1] : 1;
    draw_rect(d, gx, gy, gw, gh, (Rgba){0.1f, 0.1f, 0.12f, 1});
    char buf[200];
    for (int k = 0; k <= 4; k++) {
        float yy = gy + gh - gh * (float)k / 4;
        draw_line(d, gx, yy, gx + gw, yy, 1, (Rgba){0.25f, 0.25f, 0.3f, 1});
        snprintf(buf, sizeof(buf), "%d%%", k * 25);
        draw_text(d, f, gx - (float)font_text_width(f, buf) - 4 * s, yy - lh * 0.5f, buf, C_DIM);
    }
    for (int k = 0; k < c->n; k += (c->n > 8 ? 2 : 1)) {
        float xx = gx + gw * c->offset_px[k] / omax;
        snprintf(buf, sizeof(buf), "%.0f", c->offset_px[k]);
        draw_text(d, f, xx - (float)font_text_width(f, buf) * 0.5f, gy + gh + 2 * s, buf, C_DIM);
    }
    Rgba still = {1.0f, 0.45f, 0.35f, 1}, sacc = {0.4f, 0.75f, 1.0f, 1};
    for (int k = 1; k < c->n; k++) {
        float x0 = gx + gw * c->offset_px[k - 1] / omax, x1 = gx + gw * c->offset_px[k] / omax;
        draw_line(d, x0, gy + gh * (1 - c->still[k - 1]), x1, gy + gh * (1 - c->still[k]), 2.5f * s,
                  still);
        if (!reading)
            draw_line(d, x0, gy + gh * (1 - c->saccades[k - 1]), x1, gy + gh * (1 - c->saccades[k]),
                      2.5f * s, sacc);
    }
    /* Now: the gaze's offset from the nearest object's centre (reading: letter's). */
    float off = read_gaze_offset_px(a->view);
    if (off >= 0) {
        float xx = gx + gw * fminf(off, omax) / omax;
        draw_line(d, xx, gy, xx, gy + gh, 2 * s, (Rgba){0.3f, 1.0f, 0.4f, 1});
        snprintf(buf, sizeof(buf), off > omax ? "now > %.0f px" : "now %.1f px",
                 off > omax ? omax : off);
        float tw = (float)font_text_width(f, buf);
        float tx = xx + 4 * s + tw > gx + gw ? xx - tw - 4 * s : xx + 4 * s;
        draw_text(d, f, tx, gy + 2 * s, buf, (Rgba){0.3f, 1.0f, 0.4f, 1});
    }
    float ly = gy + gh + lh + 4 * s;
    float lx = x + 10 * s;
    draw_rect(d, lx, ly + lh * 0.45f, 14 * s, 3 * s, still);
    lx += 18 * s + (float)draw_text(d, f, lx + 18 * s, ly, "eye held still", C_TEXT);
    if (!reading) {
        draw_rect(d, lx + 12 * s, ly + lh * 0.45f, 14 * s, 3 * s, sacc);
        lx += 30 * s + (float)draw_text(d, f, lx + 30 * s, ly, "with saccades", C_TEXT);
    }
    draw_text(d, f, lx + 12 * s, ly,
              reading ? "x: letter offset from gaze, px" : "x: object offset from gaze, px", C_DIM);
    float rel = ecc_curve_reliable_px(c);
    const char *what = reading ? "letters" : "objects";
    if (rel >= 1.0f)
        snprintf(buf, sizeof(buf),
                 "Trained on centred %s only, it reads them within %.0f px of the gaze; "
                 "saccades bring them there.",
                 what, rel);
    else /* not even 2 px off (text0 reads 90% at 0 px, 74% at 2 px) */
        snprintf(buf, sizeof(buf),
                 "Trained on centred %s only, it reads them reliably only at the gaze; "
                 "saccades bring them there.",
                 what);
    /* Wrap the sentence onto two lines at a space. */
    char l1[200];
    snprintf(l1, sizeof(l1), "%s", buf);
    char *br = NULL;
    for (char *p = l1; *p; p++)
        if (*p == ' ') {
            char save = *p;
            *p = 0;
            int fits = (float)font_text_width(f, l1) < bw - 20 * s;
            *p = save;
            if (!fits)
                break;
            br = p;
        }
    if (br && (float)font_text_width(f, l1) >= bw - 20 * s) {
        *br = 0;
        draw_text(d, f, x + 10 * s, ly + lh + 2 * s, l1, C_TEXT);
        draw_text(d, f, x + 10 * s, ly + 2 * lh + 2 * s, br + 1, C_TEXT);
    } else {
        draw_text(d, f, x + 10 * s, ly + lh + 2 * s, l1, C_TEXT);
    }
}

static double prof_now(void)
{
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

/* Section timing for bench --window: with a->prof_sync set, each section ends with glFinish
 * so GPU work is charged to the section that caused it (this slows the frame a little). */
static double sect_mark(UiApp *a, int sect, double t)
{
    if (!a->prof_sync)
        return t;
    draw_flush(a->draw);
    glFinish();
    double now = prof_now();
    a->sect_ms[sect] += now - t;
    return now;
}

void render_frame(UiApp *a)
{
    double t = a->prof_sync ? prof_now() : 0;
    render_layout(a);
    if (render_fonts(a))
        sc_log_warn("%s", sc_last_error());
    int dirs = (a->layers & UI_LAYER_MOTION) != 0;
    if (a->player)
        player_set_motion_directions(a->player, dirs);
    else if (a->sim)
        sim_set_motion_directions(a->sim, dirs);
    upload(a);
    t = sect_mark(a, UI_SECT_UPLOAD, t);
    const UiLayout *L = &a->L;
    draw_overlay(a);
    t = sect_mark(a, UI_SECT_OVERLAY, t);
    update_view(a);
    t = sect_mark(a, UI_SECT_VIEW, t);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, L->dw, L->dh);
    glDisable(GL_DEPTH_TEST);
    glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    /* Large solid backgrounds by scissored clears: far cheaper than quads on llvmpipe. */
    glEnable(GL_SCISSOR_TEST);
    glScissor((GLint)L->px, 0, (GLsizei)L->pw, (GLsizei)((float)L->dh - L->py));
    glClearColor(C_PANEL_BG.r, C_PANEL_BG.g, C_PANEL_BG.b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glScissor(0, (GLint)((float)L->dh - L->hud_h), (GLsizei)L->dw, (GLsizei)L->hud_h);
    glClearColor(C_HUD_BG.r, C_HUD_BG.g, C_HUD_BG.b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    draw_scene(a);
    t = sect_mark(a, UI_SECT_SCENE, t);
    Draw *d = a->draw;
    a->n_grad = 0;
    draw_begin(d, L->dw, L->dh);
    read_score(a->view, &a->score, a->reads, SCENE_MAX_OBJECTS);
    LabelBoxes *lb = &a->label_boxes;
    lb->n = 0;
    memset(&a->marks, 0, sizeof(a->marks));
    /* The layers stay on the world (the viewport); marks and labels inside the scene area
     * (the viewport and its margins). */
    glEnable(GL_SCISSOR_TEST);
    glScissor((GLint)L->vx, (GLint)((float)L->dh - L->vy - L->vh), (GLsizei)ceilf(L->vw),
              (GLsizei)ceilf(L->vh));
    if (a->layers & UI_LAYER_ORIENT)
        draw_v1_strokes(a);
    t = sect_mark(a, UI_SECT_V1, t);
    if ((a->layers & UI_LAYER_MOTION) && a->world_motion)
        draw_world_motion(a);
    else if (a->layers & UI_LAYER_MOTION)
        draw_motion_arrows(a);
    t = sect_mark(a, UI_SECT_MOTION, t);
    draw_flush(d);
    glScissor((GLint)L->lx, (GLint)((float)L->dh - L->ly - L->lh), (GLsizei)ceilf(L->lw),
              (GLsizei)ceilf(L->lh));
    if (a->layers & UI_LAYER_SCANPATH)
        draw_scanpath(a, lb, 0);
    notices(a, lb); /* their places first: labels keep off them */
    label_obstacles(a, lb);
    draw_read_tags(a, lb);
    draw_trail(a, lb);
    draw_gaze(a, lb); /* over the tags: the patch being read is never hidden */
    if (a->layers & UI_LAYER_SCANPATH)
        draw_scanpath(a, lb, 1);
    draw_flush(d);
    t = sect_mark(a, UI_SECT_MARKS, t);
    glDisable(GL_SCISSOR_TEST);
    float legend_top = draw_legends(a);
    draw_panel(a, legend_top - 6 * L->s);
    if (a->replay)
        draw_timeline(a);
    draw_hud(a);
    draw_flush(d);
    for (int i = 0; i < a->n_grad; i++)
        /* Colour maps show the bright part the overlay uses (0.45..1 of the map). */
        draw_image(a, a->gpu.ramp_tex, a->grad[i].x, a->grad[i].y, a->grad[i].w, a->grad[i].h,
                   a->grad[i].map, a->grad[i].map == 4 ? 0.0f : -0.818f, 1.0f);
    if (a->claim) {
        draw_claim(a);
        draw_flush(d);
    }
    notices_draw(a);
    draw_hover(a);
    draw_flush(d);
    if (a->help) {
        draw_help(a);
        draw_flush(d);
    }
    sect_mark(a, UI_SECT_PANEL, t);
}

int ui_app_render_foveated(UiApp *a, float *dst, int w, int h)
{
    if (w != a->gpu.world_w || h != a->gpu.world_h) {
        sc_set_error("render foveated: size must be the world's (%dx%d)", a->gpu.world_w,
                     a->gpu.world_h);
        return -1;
    }
    render_layout(a);
    upload(a);
    GLuint tex = tex_r32f(w, h, GL_NEAREST), fbo;
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
    int rc = 0;
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        sc_set_error("render foveated: R32F framebuffer incomplete");
        rc = -1;
    } else {
        glViewport(0, 0, w, h);
        fov_pass(a, 1, 1);
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glReadPixels(0, 0, w, h, GL_RED, GL_FLOAT, dst);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fbo);
    glDeleteTextures(1, &tex);
    return rc;
}
