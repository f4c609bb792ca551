/* app.c: the window's loop, input mapping and simulation driving (render.c draws). */
#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/output.h"
#include "core/text.h"
#include "sim/sim_adapt.h"
#include "sim/sim_model.h"
#include "sim/sim_reading.h"
#include "ui/app_private.h"
#include "ui/shader.h"
#include "v1/plasticity.h"

#define FOVEA_RING_DEG 1.0f /* the fovea proper: central 2 deg (reading-research convention) */

void ui_gaze_marker_color(float rgb[3])
{
    rgb[0] = 0.25f;
    rgb[1] = 1.0f;
    rgb[2] = 0.35f;
}

float ui_fovea_ring_deg(void)
{
    return FOVEA_RING_DEG;
}

int ui_parse_layers(const char *s, unsigned *mask)
{
    if (!strcmp(s, "all")) {
        *mask = UI_LAYER_ALL;
        return 0;
    }
    if (!strcmp(s, "none")) {
        *mask = 0;
        return 0;
    }
    unsigned m = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '1' && *p <= '6')
            m |= 1u << (*p - '1');
        else if (*p != ',')
            return -1;
    }
    *mask = m;
    return 0;
}

void ui_config_apply(const UiOptions *o, SimConfig *c)
{
    if (o->fovea_px > 0)
        c->retina.fovea_size = o->fovea_px;
    if (o->ior_decay_ms > 0)
        c->saliency.ior_decay_ms = o->ior_decay_ms;
    if (o->ior_radius_deg > 0)
        c->saliency.ior_radius_deg = o->ior_radius_deg;
    if (o->fix_mean_ms > 0)
        c->eye.fix_mean_ms = o->fix_mean_ms;
    if (o->spectral)
        c->saliency.method = SALIENCY_SPECTRAL_RESIDUAL;
    if (o->no_pursuit)
        c->eye.pursuit = 0;
    c->retina.flip = o->goggles;
    c->saccade_adapt_rate =
        o->adapt_rate >= 0 ? o->adapt_rate : (o->goggles ? SIM_GOGGLES_ADAPT_RATE : 0.0f);
    c->plasticity = o->plasticity;
    c->plasticity_eta =
        o->plasticity_rate > 0 ? o->plasticity_rate : plasticity_default_eta(o->plasticity);
}

void ui_options_default(UiOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->adapt_rate = -1.0f;
    o->spec.kind = SCENE_DIGITS;
    o->seed = 1;
    o->win_w = 1600;
    o->win_h = 900;
    o->screenshot_at_s = -1;
    o->layers = UI_LAYER_SALIENCY | UI_LAYER_SCANPATH;
    o->vsync = 1;
    o->step_deg = 2.0f;
}

static double now_ms(void)
{
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

static void set_status(UiApp *a, const char *msg)
{
    snprintf(a->status, sizeof(a->status), "%s", msg);
    a->status_until_ms = now_ms() + 4000.0;
}

/* The accuracy-against-offset curve beside the model in use (the first of a joined reader;
 * none: no ring, and the claim panel says so). A malformed file is reported once and treated
 * as absent. */
static void load_curve(UiApp *a)
{
    const char *first = a->model ? sim_model_file(a->model, 0) : NULL;
    if (!first || ecc_curve_load(&a->ecc, first) < 0) {
        if (first)
            sc_log_warn("%s", sc_last_error());
        a->ecc.n = 0;
    }
    a->reliable_px = ecc_curve_reliable_px(&a->ecc);
}

/* What make_sim builds without the window (no GL, no UiApp): the sim and the reader for the
 * scene (the same rule as `saccade run`: a scene file's object kinds choose it). ui_app_create
 * runs it on a thread while the window and GL start. */
typedef struct SimBuild {
    UiOptions opt;         /* in */
    const char *reuse_key; /* in: the reader in use (its files), kept when the choice is it */
    Sim *sim;              /* out */
    SimModel *model;       /* out: a new reader, or NULL (none, or the one in use is kept) */
    char key[2100];        /* out: the chosen reader's files */
    char error[512];
    int rc;
} SimBuild;

static void sim_build(SimBuild *b)
{
    SimConfig c;
    sim_config_default(&c);
    c.auto_saccades = b->opt.manual ? 0 : 1;
    ui_config_apply(&b->opt, &c);
    b->sim = sim_create(&c, &b->opt.spec, b->opt.seed);
    if (!b->sim)
        goto fail;
    if (!b->opt.no_model) {
        SimModelChoice ch;
        if (sim_model_choose(&b->opt.spec, sim_scene(b->sim),
                             b->opt.model_path[0] ? b->opt.model_path : NULL, &ch) < 0)
            goto fail;
        snprintf(b->key, sizeof(b->key), "%s\n%s", ch.path[0], ch.n > 1 ? ch.path[1] : "");
        int same = b->reuse_key && !strcmp(b->key, b->reuse_key);
        if (!same && !(b->model = sim_model_open(&ch)))
            goto fail;
    }
    b->rc = 0;
    return;
fail:
    snprintf(b->error, sizeof(b->error), "%s", sc_last_error());
    sim_destroy(&b->sim);
    b->rc = -1;
}

/* The window's font. Looking it up (fc-match, a process start: 20-40 ms) is the build thread's
 * first step, while the main thread opens the window: text_find_font remembers the answer for
 * the window. A failure here is not reported: the window's own lookup reports it. */
#define UI_FONT "DejaVu Sans"

static void font_prefetch(void)
{
    char path[1024];
    (void)text_find_font(UI_FONT, path, sizeof(path));
}

static void *sim_build_thread(void *arg)
{
    font_prefetch();
    sim_build(arg);
    return NULL;
}

static void sim_build_free(SimBuild *b)
{
    if (!b)
        return;
    sim_destroy(&b->sim);
    sim_model_close(&b->model);
    free(b);
}

/* The window takes what sim_build made (b keeps nothing it took). */
static int make_sim_adopt(UiApp *a, SimBuild *b)
{
    if (b->rc < 0) {
        sc_set_error("%s", b->error);
        return -1;
    }
    /* The reader in use from now on (the new one, or the one kept), and on a words page the
     * extra readers (their hash joins the reader's in recordings). */
    SimModel *use = b->opt.no_model ? NULL : b->model ? b->model : a->model;
    uint64_t hash = use ? sim_model_hash(use) : 0;
    if (use) {
        sim_set_classifier(b->sim, sim_model_hook(use));
        if (sim_plasticity_ready(b->sim) < 0) {
            sc_set_error("--plasticity: %s (model %s)", sc_last_error(), sim_model_name(use));
            return -1;
        }
        if (SCENE_KIND_READS(b->opt.spec.kind) &&
            sim_model_attach_readers(b->sim, sim_model_hook(use), hash, b->opt.readers, &hash) < 0)
            return -1;
    }
    /* The old sim may point at the old reader: it goes first. */
    sim_destroy(&a->sim);
    a->model_hash = hash;
    if (b->opt.no_model) {
        sim_model_close(&a->model);
        a->model_loaded[0] = 0;
        load_curve(a);
    } else if (b->model) {
        sim_model_close(&a->model);
        a->model = b->model;
        b->model = NULL;
        snprintf(a->model_loaded, sizeof(a->model_loaded), "%s", b->key);
        load_curve(a);
    }
    Sim *s = b->sim;
    b->sim = NULL;
    a->sim = s;
    a->view = s;
    a->prof.now_ms = now_ms;
    sim_set_profile(a->sim, &a->prof);
    a->n_pending = 0;
    a->acc_ms = 0;
    a->world_fresh = 1;
    a->ticked = 1;
    a->dirty = (SceneRect){0, 0, 0, 0};
    a->n_dirty = a->dirty_overflow = 0;
    return render_sim_changed(a);
}

static void record_stop(UiApp *a);

static int make_sim(UiApp *a)
{
    record_stop(a);
    /* A new scene keeps the mode the old one was in (MANUAL stays MANUAL). */
    if (a->sim)
        a->opt.manual = !sim_auto(a->sim);
    SimBuild *b = calloc(1, sizeof(*b));
    if (!b) {
        sc_set_error("out of memory");
        return -1;
    }
    b->opt = a->opt;
    b->reuse_key = a->model ? a->model_loaded : NULL;
    sim_build(b);
    int rc = make_sim_adopt(a, b);
    sim_build_free(b);
    return rc;
}

static UiApp *app_open(const UiOptions *o, int *no_display)
{
    if (no_display)
        *no_display = 0;
    UiApp *a = calloc(1, sizeof(*a));
    if (!a) {
        sc_set_error("out of memory");
        return NULL;
    }
    a->opt = *o;
    a->layers = o->layers;
    a->claim = o->claim;
    a->zoom = 1.0f;
    if (window_open(&a->w, "saccade", o->win_w, o->win_h, o->hidden, o->vsync, no_display)) {
        free(a);
        return NULL;
    }
    /* After the window: the build thread asked for the same font first (UI_FONT), so this is
     * usually its remembered answer, not a second fc-match. */
    if (text_find_font(UI_FONT, a->font_path, sizeof(a->font_path))) {
        ui_app_destroy(&a);
        return NULL;
    }
    if (render_init(a)) {
        ui_app_destroy(&a);
        return NULL;
    }
    return a;
}

static void record_start(UiApp *a, const char *path_opt);

UiApp *ui_app_create(const UiOptions *o, int *no_display)
{
    /* The scene, the sim and the reader are built on a thread while the window and GL start
     * (each takes a few hundred ms on llvmpipe): the first frame comes sooner. */
    SimBuild *b = calloc(1, sizeof(*b));
    if (!b) {
        sc_set_error("out of memory");
        return NULL;
    }
    b->opt = *o;
    pthread_t th;
    int threaded = pthread_create(&th, NULL, sim_build_thread, b) == 0;
    UiApp *a = app_open(o, no_display);
    if (threaded)
        pthread_join(th, NULL);
    if (!a) {
        sim_build_free(b);
        return NULL;
    }
    if (!threaded)
        sim_build(b);
    int rc = make_sim_adopt(a, b);
    sim_build_free(b);
    if (rc) {
        ui_app_destroy(&a);
        return NULL;
    }
    if (o->record) {
        record_start(a, o->record_path);
        if (!a->rec) {
            ui_app_destroy(&a);
            return NULL;
        }
    }
    return a;
}

static void prep_abandon(UiApp *a);

void ui_app_destroy(UiApp **pa)
{
    UiApp *a = *pa;
    if (!a)
        return;
    record_stop(a);
    prep_abandon(a);
    if (a->w.gl)
        render_free(a);
    sim_destroy(&a->sim);
    player_close(&a->player);
    runfile_free(&a->rf);
    free(a->rp_inputs);
    sim_model_close(&a->model);
    image_destroy(&a->cortical);
    free(a->maps_buf);
    window_close(&a->w);
    free(a);
    *pa = NULL;
}

/* Starts recording the live sim from its current tick (path_opt "" = a new name in
 * saved_runs/ if that folder exists, else in the working folder). On failure a->rec stays
 * NULL and the error is printed. */
static void record_start(UiApp *a, const char *path_opt)
{
    char path[1024];
    if (path_opt && path_opt[0]) {
        snprintf(path, sizeof(path), "%s", path_opt);
    } else {
        if (!record_default_name(path, sizeof(path), scene_spec_name(&a->opt.spec))) {
            sc_log_error("recording: file name too long");
            return;
        }
        /* Folders are never created (core/output.h): saved_runs/ when it is here, else the
         * working folder, as for screenshots. */
        struct stat st;
        const size_t k = strlen("saved_runs/");
        if ((stat("saved_runs", &st) != 0 || !S_ISDIR(st.st_mode)) &&
            !strncmp(path, "saved_runs/", k))
            memmove(path, path + k, strlen(path + k) + 1);
    }
    a->rec = recorder_open(path, a->sim, a->model_hash);
    if (!a->rec) {
        if (!path_opt) /* the r key; a --record failure is reported once, by ui_live */
            sc_log_error("%s", sc_last_error());
        a->lost_output = 1;
        set_status(a, "recording failed");
        return;
    }
    snprintf(a->rec_path, sizeof(a->rec_path), "%s", path);
    printf("saccade: recording %s\n", path);
    fflush(stdout);
    char msg[1100];
    snprintf(msg, sizeof(msg), "recording %s", path);
    set_status(a, msg);
}

static void record_stop(UiApp *a)
{
    if (!a->rec)
        return;
    int rc = recorder_finish(a->rec, a->sim);
    if (recorder_close(&a->rec) < 0 || rc < 0) {
        sc_log_error("%s: %s", a->rec_path, sc_last_error());
        a->lost_output = 1;
        set_status(a, "recording failed");
        return;
    }
    printf("saccade: recorded %s\n", a->rec_path);
    fflush(stdout);
    char msg[1100];
    snprintf(msg, sizeof(msg), "recorded %s", a->rec_path);
    set_status(a, msg);
}

static void push_input(UiApp *a, SimInput in)
{
    if (a->n_pending < UI_MAX_PENDING)
        a->pending[a->n_pending++] = in;
}

static void manual_saccade_inputs(UiApp *a)
{
    /* Steering the eye by hand switches to MANUAL so the map does not take it away again. */
    int auto_now = sim_auto(a->sim);
    for (int i = 0; i < a->n_pending; i++)
        if (a->pending[i].type == SIM_INPUT_SET_AUTO)
            auto_now = a->pending[i].a != 0.0f;
    if (auto_now)
        push_input(a, (SimInput){SIM_INPUT_SET_AUTO, 0.0f, 0.0f});
}

static void view_reset(UiApp *a);

static void next_scene(UiApp *a)
{
    SceneSpec prev = a->opt.spec;
    /* the built-ins in turn: digits, cluttered, letters, motion, blank, words (natural text) */
    int k = (int)a->opt.spec.kind;
    k = k == (int)SCENE_BLANK ? (int)SCENE_TEXT : k >= (int)SCENE_BLANK ? (int)SCENE_DIGITS : k + 1;
    a->opt.spec.kind = (SceneKind)k;
    a->opt.spec.path[0] = 0;
    if (prev.kind == SCENE_IMAGE || prev.kind == SCENE_FILE) {
        a->opt.spec.width = 0;
        a->opt.spec.height = 0;
    }
    if (make_sim(a)) {
        char msg[256];
        snprintf(msg, sizeof(msg), "scene %s: %s", scene_kind_name(a->opt.spec.kind),
                 sc_last_error());
        a->opt.spec = prev;
        set_status(a, msg);
        return;
    }
    /* A zoom belongs to the old world: the new scene opens whole. */
    view_reset(a);
    char msg[128];
    snprintf(msg, sizeof(msg), "scene: %s", scene_kind_name(a->opt.spec.kind));
    set_status(a, msg);
}

static void request_screenshot(UiApp *a, const char *path)
{
    a->shot_pending = 1;
    snprintf(a->shot_path, sizeof(a->shot_path), "%s", path);
}

static void handle_key(UiApp *a, const SDL_KeyboardEvent *k)
{
    float st = a->opt.step_deg;
    SDL_Keycode key = k->keysym.sym;
    /* Arrows and WASD saccade. DESIGN.md gives 's' to both "down" and "screenshot": plain 's'
     * takes the screenshot, shift+s (or the down arrow) saccades down. */
    float dx = 0, dy = 0;
    int move = 1;
    switch (key) {
    case SDLK_RIGHT:
    case SDLK_d: dx = st; break;
    case SDLK_LEFT:
    case SDLK_a: dx = -st; break;
    case SDLK_UP:
    case SDLK_w: dy = -st; break;
    case SDLK_DOWN: dy = st; break;
    case SDLK_s:
        if (k->keysym.mod & KMOD_SHIFT)
            dy = st;
        else
            move = 0;
        break;
    default: move = 0; break;
    }
    if (move) {
        if (k->repeat)
            return;
        manual_saccade_inputs(a);
        push_input(a, (SimInput){SIM_INPUT_SACCADE_BY_DEG, dx, dy});
        return;
    }
    if (k->repeat && key != SDLK_PERIOD)
        return;
    switch (key) {
    case SDLK_q:
    case SDLK_ESCAPE: a->quit = 1; break;
    case SDLK_SPACE: {
        int auto_now = sim_auto(a->sim);
        for (int i = 0; i < a->n_pending; i++)
            if (a->pending[i].type == SIM_INPUT_SET_AUTO)
                auto_now = a->pending[i].a != 0.0f;
        push_input(a, (SimInput){SIM_INPUT_SET_AUTO, auto_now ? 0.0f : 1.0f, 0.0f});
        break;
    }
    case SDLK_1: a->layers ^= UI_LAYER_SALIENCY; break;
    case SDLK_2: a->layers ^= UI_LAYER_IOR; break;
    case SDLK_3: a->layers ^= UI_LAYER_ORIENT; break;
    case SDLK_4: a->layers ^= UI_LAYER_MOTION; break;
    case SDLK_5: a->layers ^= UI_LAYER_SCANPATH; break;
    case SDLK_6: a->layers ^= UI_LAYER_FOVEATED; break;
    case SDLK_TAB:
        /* A recording belongs to one scene: a new scene ends it, so ask first. */
        if (a->rec && now_ms() > a->tab_confirm_until_ms) {
            set_status(a, "recording: press tab again within 4 s to end it and switch scene");
            a->tab_confirm_until_ms = a->status_until_ms;
            break;
        }
        a->tab_confirm_until_ms = 0;
        next_scene(a);
        break;
    case SDLK_p:
        a->paused = !a->paused;
        a->acc_ms = 0;
        break;
    case SDLK_PERIOD:
        if (a->paused)
            a->step_req++;
        break;
    case SDLK_h: a->help = !a->help; break;
    case SDLK_c: a->claim = !a->claim; break;
    case SDLK_m: a->world_motion = !a->world_motion; break;
    case SDLK_0: view_reset(a); break;
    case SDLK_s: {
        char name[128];
        snprintf(name, sizeof(name), "saccade-%s-%08.0fms-%d.png",
                 scene_kind_name(a->opt.spec.kind), sim_time_ms(a->sim), ++a->shot_count);
        request_screenshot(a, name);
        break;
    }
    case SDLK_r:
        if (a->rec)
            record_stop(a);
        else
            record_start(a, NULL);
        break;
    default: break;
    }
}

/* Window coordinates of a mouse event to drawable pixels (they differ on high-DPI screens). */
static void event_to_drawable(const UiApp *a, int x, int y, float *sx, float *sy)
{
    int ww, wh;
    SDL_GetWindowSize(a->w.win, &ww, &wh);
    *sx = (float)x * (float)a->L.dw / (float)(ww > 0 ? ww : 1);
    *sy = (float)y * (float)a->L.dh / (float)(wh > 0 ? wh : 1);
}

/* Zoom about the cursor (wheel), pan by dragging (right or middle button; in replay any
 * button), and the hover point. Returns 1 when the event was used here. */
static int view_mouse(UiApp *a, const SDL_Event *e)
{
    const UiLayout *L = &a->L;
    float W = (float)a->gpu.world_w, H = (float)a->gpu.world_h;
    switch (e->type) {
    case SDL_MOUSEMOTION: {
        float sx, sy;
        event_to_drawable(a, e->motion.x, e->motion.y, &sx, &sy);
        if (a->dragging && L->scale > 0) {
            if (a->zoom <= 1.0f)
                a->zoom_cx = W * 0.5f, a->zoom_cy = H * 0.5f;
            a->zoom_cx = L->ox + 0.5f * L->vw / L->scale - (sx - a->drag_x) / L->scale;
            a->zoom_cy = L->oy + 0.5f * L->vh / L->scale - (sy - a->drag_y) / L->scale;
            a->drag_x = sx;
            a->drag_y = sy;
            render_layout(a); /* the next motion event pans from here */
        }
        a->mouse_x = sx;
        a->mouse_y = sy;
        a->mouse_in = sx >= L->vx && sx < L->vx + L->vw && sy >= L->vy && sy < L->vy + L->vh;
        return 0;
    }
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_LEAVE)
            a->mouse_in = 0;
        return 0;
    case SDL_MOUSEWHEEL: {
        if (!a->mouse_in || e->wheel.y == 0)
            return 1;
        float wx, wy;
        ui_app_screen_to_world(a, a->mouse_x, a->mouse_y, &wx, &wy);
        float z = a->zoom >= 1.0f ? a->zoom : 1.0f;
        float nz = z * powf(1.25f, (float)e->wheel.y);
        nz = fminf(fmaxf(nz, 1.0f), 16.0f);
        /* Keep the world point under the cursor where it is. */
        float ns = L->fit * nz;
        float ox = wx + 0.5f - (a->mouse_x - L->vx) / ns;
        float oy = wy + 0.5f - (a->mouse_y - L->vy) / ns;
        a->zoom = nz;
        a->zoom_cx = ox + 0.5f * L->vw / ns;
        a->zoom_cy = oy + 0.5f * L->vh / ns;
        render_layout(a);
        return 1;
    }
    case SDL_MOUSEBUTTONDOWN: {
        float sx, sy;
        event_to_drawable(a, e->button.x, e->button.y, &sx, &sy);
        int in = sx >= L->vx && sx < L->vx + L->vw && sy >= L->vy && sy < L->vy + L->vh;
        int pan = e->button.button == SDL_BUTTON_RIGHT || e->button.button == SDL_BUTTON_MIDDLE ||
                  a->replay;
        if (in && pan) {
            a->dragging = 1;
            a->drag_button = e->button.button;
            a->drag_x = sx;
            a->drag_y = sy;
            return 1;
        }
        return 0;
    }
    case SDL_MOUSEBUTTONUP:
        if (a->dragging && e->button.button == a->drag_button) {
            a->dragging = 0;
            return 1;
        }
        return 0;
    default: return 0;
    }
}

static void view_reset(UiApp *a)
{
    a->zoom = 1.0f;
    render_layout(a);
}

static void handle_event(UiApp *a, const SDL_Event *e)
{
    if (view_mouse(a, e))
        return;
    switch (e->type) {
    case SDL_QUIT: a->quit = 1; break;
    case SDL_KEYDOWN: handle_key(a, &e->key); break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            float sx, sy;
            event_to_drawable(a, e->button.x, e->button.y, &sx, &sy);
            float wx, wy;
            if (ui_app_screen_to_world(a, sx, sy, &wx, &wy)) {
                manual_saccade_inputs(a);
                push_input(a, (SimInput){SIM_INPUT_SACCADE_TO_PX, wx, wy});
            }
        }
        break;
    default: break;
    }
}

/* Scores the view's newest read against the scene's truth (UiReadLog): once per read, on the
 * tick it was made (the gaze is where it was read). Words are read by the reader bank and
 * scored as words elsewhere: not here. */
static void score_read(UiApp *a)
{
    UiReadLog *sc = &a->read_log;
    const Sim *s = a->view;
    if (sc->sim != s) {
        memset(sc, 0, sizeof(*sc));
        sc->sim = s;
        sc->last_fix = -1;
    }
    int nc, k;
    const float *p = sim_class_probs(s, &nc, &k);
    if (!p || k == sc->last_fix || sim_reading(s))
        return;
    sc->last_fix = k;
    const SimFixation *f = sim_fixation(s, k);
    const SimClassifier *c = sim_classifier(s);
    int o = sim_truth_at_gaze(s);
    if (!f || f->label < 0 || !c || !c->class_names || f->label >= c->n_classes || o < 0)
        return;
    int ok = !strcmp(c->class_names[f->label], scene_objects(sim_scene(s))[o].label);
    sc->ok[sc->head] = (unsigned char)ok;
    sc->head = (sc->head + 1) % UI_READ_LOG_N;
    if (sc->n < UI_READ_LOG_N)
        sc->n++;
    sc->reads++;
    sc->right += ok;
}

static void note_ticked(UiApp *a)
{
    a->ticked++;
    score_read(a);
    const SceneRect *rs;
    int nr = scene_dirty_rects(sim_scene(a->view), &rs);
    for (int i = 0; i < nr; i++) {
        if (a->n_dirty < UI_MAX_DIRTY)
            a->dirty_list[a->n_dirty++] = rs[i];
        else
            a->dirty_overflow = 1;
    }
    SceneRect d = scene_dirty(sim_scene(a->view));
    if (d.x0 < d.x1 && d.y0 < d.y1) {
        if (a->dirty.x0 >= a->dirty.x1) {
            a->dirty = d;
        } else {
            if (d.x0 < a->dirty.x0)
                a->dirty.x0 = d.x0;
            if (d.y0 < a->dirty.y0)
                a->dirty.y0 = d.y0;
            if (d.x1 > a->dirty.x1)
                a->dirty.x1 = d.x1;
            if (d.y1 > a->dirty.y1)
                a->dirty.y1 = d.y1;
        }
    }
}

static void tick_once(UiApp *a)
{
    sim_tick(a->sim, a->pending, a->n_pending);
    if (a->rec && recorder_tick(a->rec, a->sim, a->pending, a->n_pending) < 0) {
        sc_log_error("%s: %s", a->rec_path, sc_last_error());
        a->lost_output = 1;
        recorder_close(&a->rec);
        set_status(a, "recording stopped: write error");
    }
    a->n_pending = 0;
    note_ticked(a);
    for (int i = 0; i < SIM_STAGE_COUNT; i++)
        a->stage_ms[i] += 0.1 * (a->prof.stage_ms[i] - a->stage_ms[i]);
}

static int save_png(UiApp *a, const char *path)
{
    int w = a->L.dw, h = a->L.dh;
    size_t cap = (size_t)w * (size_t)h * 4;
    unsigned char *px = malloc(cap);
    if (!px) {
        sc_set_error("%s: out of memory", path);
        return -1;
    }
    ui_app_read_pixels(a, px, cap, &w, &h);
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormatFrom(px, w, h, 32, w * 4, SDL_PIXELFORMAT_ABGR8888);
    int rc = 0;
    /* through the output helper: a temporary file renamed into place only once every write,
     * flush and close succeeded (a full disk is an error, not an empty PNG) */
    Output *o = NULL;
    SDL_RWops *rw = NULL;
    if (!s) {
        sc_set_error("%s: cannot save screenshot: %s", path, SDL_GetError());
        rc = -1;
    } else if (!(o = output_open(path, NULL, 0))) {
        rc = -1; /* the message names the path and the problem */
    } else if (!(rw = SDL_RWFromFP(output_stream(o), SDL_FALSE)) || IMG_SavePNG_RW(s, rw, 1)) {
        sc_set_error("%s: cannot save screenshot: %s", path, SDL_GetError());
        output_abort(&o);
        rc = -1;
    } else if (output_commit(&o) < 0) {
        rc = -1;
    }
    if (s)
        SDL_FreeSurface(s);
    free(px);
    return rc;
}

/* ---- replay mode ----
 *
 * The window opens at once: the run is shown on a Sim of its own (a->sim, built from the
 * header) that plays forward with the recorded inputs, while player_open() makes its first
 * pass (hash checks, seek keyframes) on another thread, progress on the timeline. When the
 * player is ready it is moved to the shown tick and takes over (replay_adopt). A seek before
 * then waits for it. Each thread has its own classifier (their scratch is not shared). */

static void prep_release(ReplayPrep *pr)
{
    if (atomic_fetch_sub(&pr->refs, 1) != 1)
        return;
    player_close(&pr->player); /* FFT plans: core/fft serialises the planner */
    sim_model_close(&pr->model);
    free(pr);
}

/* The preparing pass reports progress; once the window has let go of it (closed), the pass
 * is cancelled rather than finished for nobody. */
static int replay_progress_atomic(void *user, uint64_t done, uint64_t total)
{
    ReplayPrep *pr = user;
    atomic_store(&pr->done, done);
    atomic_store(&pr->total, total);
    return atomic_load(&pr->refs) < 2;
}

static void *replay_prepare(void *arg)
{
    ReplayPrep *pr = arg;
    /* the pass's own copy of the reader (the window's stays the window's), loaded here: on
     * the window's start-up path it was 80 ms of a replay's first frame */
    if (pr->choice.n && (pr->model = sim_model_open(&pr->choice))) {
        pr->cls = *sim_model_hook(pr->model);
        pr->params.classifier = &pr->cls;
        pr->params.model_hash = sim_model_hash(pr->model);
    }
    Player *p = !pr->choice.n || pr->model ? player_open(pr->path, &pr->params) : NULL;
    if (!p)
        snprintf(pr->error, sizeof(pr->error), "%s", sc_last_error());
    pr->player = p;
    atomic_store(&pr->state, p ? 1 : -1);
    prep_release(pr);
    return NULL;
}

/* Closing the window while the pass runs: let the thread finish (its progress callback
 * cancels the pass) and free it alone. FFT plans made on both threads at once are safe:
 * core/fft serialises the planner. */
static void prep_abandon(UiApp *a)
{
    if (!a->prep)
        return;
    if (a->rp_thread_live) {
        pthread_detach(a->rp_thread);
        a->rp_thread_live = 0;
    }
    prep_release(a->prep);
    a->prep = NULL;
}

/* Starts the background pass if it waits (it waits for the first frame: on two cores it took
 * a core from the window's start-up; docs/performance.md). Returns -1 if no thread could start (the
 * pass is then marked failed: playing goes on without seeking). */
static int prep_start(UiApp *a)
{
    if (!a->rp_thread_pending)
        return 0;
    a->rp_thread_pending = 0;
    ReplayPrep *pr = a->prep;
    atomic_store(&pr->refs, 2); /* the window and the thread */
    if (pthread_create(&a->rp_thread, NULL, replay_prepare, pr)) {
        atomic_store(&pr->refs, 1);
        snprintf(pr->error, sizeof(pr->error), "%.400s: cannot start a thread", a->rp_path);
        atomic_store(&pr->state, -1);
        return -1;
    }
    a->rp_thread_live = 1;
    return 0;
}

/* The prepared player takes over from the early sim at its tick. wait = 1 blocks until the
 * player is ready. Returns 1 when a->player is in use, 0 while still preparing, -1 if the
 * preparation failed (the early sim goes on; seeking is off). */
static int replay_adopt(UiApp *a, int wait)
{
    if (a->player)
        return 1;
    ReplayPrep *pr = a->prep;
    if (!pr)
        return -1;
    if (wait) /* a seek before the first frame (a test, the export): the pass starts now */
        prep_start(a);
    if (!wait && atomic_load(&pr->state) == 0)
        return 0;
    if (a->rp_thread_live)
        pthread_join(a->rp_thread, NULL);
    a->rp_thread_live = 0;
    if (atomic_load(&pr->state) < 0) {
        sc_set_error("%s", pr->error);
        if (!a->opt.hidden)
            sc_log_error("%s", pr->error);
        set_status(a, "seek points failed: playing on without seeking");
        prep_abandon(a);
        return -1;
    }
    Player *p = pr->player;
    pr->player = NULL;
    /* The early sim goes; the player's sim uses the thread's classifier, which stays with the
     * window now. */
    uint64_t t = sim_tick_count(a->sim);
    sim_destroy(&a->sim);
    sim_model_close(&a->model);
    a->model = pr->model;
    pr->model = NULL;
    prep_abandon(a);
    if (player_seek(p, t) < 0) {
        sc_log_error("%s", sc_last_error());
        player_close(&p);
        return -1;
    }
    a->player = p;
    a->view = player_sim(p);
    player_set_profile(p, &a->prof);
    if (player_diverged_tick(p) >= 0)
        sc_log_warn("%s: this build diverges from the recording at tick %lld", a->rp_path,
                    (long long)player_diverged_tick(p));
    a->world_fresh = 1;
    a->ticked = 1;
    return 1;
}

uint64_t ui_replay_first(const UiApp *a)
{
    return a->player ? player_first_tick(a->player) : a->rf->header.start_tick;
}

uint64_t ui_replay_last(const UiApp *a)
{
    return a->player ? player_length_ticks(a->player) : a->rf->end_tick;
}

uint64_t ui_replay_tick(const UiApp *a)
{
    return a->player ? player_tick(a->player) : sim_tick_count(a->view);
}

double ui_replay_tick_ms(const UiApp *a)
{
    return a->rf->header.tick_ms;
}

int ui_replay_pass_started(const UiApp *a)
{
    return a->replay && !a->rp_thread_pending;
}

float ui_replay_progress(const UiApp *a)
{
    if (a->player)
        return 1.0f;
    if (!a->prep)
        return 0.0f;
    uint64_t tot = atomic_load(&a->prep->total);
    return tot ? (float)atomic_load(&a->prep->done) / (float)tot : 0.0f;
}

static void replay_seek(UiApp *a, int64_t tick)
{
    if (replay_adopt(a, 1) < 0) {
        set_status(a, "no seek points: seeking is off");
        return;
    }
    int64_t first = (int64_t)player_first_tick(a->player);
    int64_t last = (int64_t)player_length_ticks(a->player);
    if (tick < first)
        tick = first;
    if (tick > last)
        tick = last;
    if (player_seek(a->player, (uint64_t)tick)) {
        sc_log_error("%s", sc_last_error());
        set_status(a, "seek failed");
    }
    a->view = player_sim(a->player);
    a->world_fresh = 1;
    a->ticked = 1;
    a->acc_ms = 0;
    /* A seek is a jump, not an eye movement: the gaze trail and the read scores start over. */
    a->trail.n = a->trail.head = 0;
    a->read_log.sim = NULL;
}

/* One tick forward: on the player when ready, else on the early sim with the recorded
 * inputs. Returns 0, 1 at the end, -1 on an error. */
static int replay_tick_forward(UiApp *a)
{
    replay_adopt(a, 0);
    if (a->player) {
        int r = player_step(a->player);
        if (r == 0)
            a->view = player_sim(a->player);
        return r;
    }
    uint64_t t = sim_tick_count(a->sim);
    if (t >= a->rf->end_tick)
        return 1;
    int n = player_inputs_at(a->rf, &a->rp_cursor, t + 1, a->rp_inputs, a->rp_max_inputs);
    sim_tick(a->sim, a->rp_inputs, n);
    a->view = a->sim;
    return 0;
}

static void replay_step(UiApp *a)
{
    int r = replay_tick_forward(a);
    if (r != 0) {
        if (r < 0) {
            sc_log_error("%s", sc_last_error());
            set_status(a, "replay step failed");
        }
        a->playing = 0;
        return;
    }
    note_ticked(a);
    for (int i = 0; i < SIM_STAGE_COUNT; i++)
        a->stage_ms[i] += 0.1 * (a->prof.stage_ms[i] - a->stage_ms[i]);
}

int ui_replay_goto(UiApp *a, uint64_t tick)
{
    uint64_t t = ui_replay_tick(a);
    if (tick < t || tick - t > 256) {
        replay_seek(a, (int64_t)tick); /* reports its own failure */
        return 0;
    }
    for (; t < tick; t++) {
        int r = replay_tick_forward(a);
        if (r < 0)
            return -1;
        if (r > 0)
            break;
        note_ticked(a);
    }
    return 0;
}

static void replay_key(UiApp *a, const SDL_KeyboardEvent *k)
{
    int64_t t = (int64_t)ui_replay_tick(a);
    int64_t sec = (int64_t)llround(1000.0 / ui_replay_tick_ms(a));
    switch (k->keysym.sym) {
    case SDLK_q:
    case SDLK_ESCAPE: a->quit = 1; break;
    case SDLK_SPACE:
        if (!k->repeat) {
            if (!a->playing && ui_replay_tick(a) >= ui_replay_last(a))
                replay_seek(a, (int64_t)ui_replay_first(a));
            a->playing = !a->playing;
            a->acc_ms = 0;
        }
        break;
    case SDLK_PERIOD:
        if (!a->playing)
            a->step_req++;
        break;
    case SDLK_RIGHT: replay_seek(a, t + sec); break;
    case SDLK_LEFT: replay_seek(a, t - sec); break;
    case SDLK_HOME: replay_seek(a, (int64_t)ui_replay_first(a)); break;
    case SDLK_END: replay_seek(a, (int64_t)ui_replay_last(a)); break;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        if (a->speed < 8.0)
            a->speed *= 2.0;
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        if (a->speed > 0.25)
            a->speed *= 0.5;
        break;
    case SDLK_1: a->layers ^= UI_LAYER_SALIENCY; break;
    case SDLK_2: a->layers ^= UI_LAYER_IOR; break;
    case SDLK_3: a->layers ^= UI_LAYER_ORIENT; break;
    case SDLK_4: a->layers ^= UI_LAYER_MOTION; break;
    case SDLK_5: a->layers ^= UI_LAYER_SCANPATH; break;
    case SDLK_6: a->layers ^= UI_LAYER_FOVEATED; break;
    case SDLK_h: a->help = !a->help; break;
    case SDLK_c: a->claim = !a->claim; break;
    case SDLK_m: a->world_motion = !a->world_motion; break;
    case SDLK_0: view_reset(a); break;
    case SDLK_s: {
        char name[128];
        snprintf(name, sizeof(name), "saccade-replay-%08.0fms-%d.png", sim_time_ms(a->view),
                 ++a->shot_count);
        request_screenshot(a, name);
        break;
    }
    default: break;
    }
}

static void replay_event(UiApp *a, const SDL_Event *e)
{
    /* The timeline takes its clicks before the view would start a pan. */
    if (e->type != SDL_MOUSEBUTTONDOWN || e->button.y < a->L.tl_y / (a->L.s > 0 ? a->L.s : 1))
        if (view_mouse(a, e))
            return;
    switch (e->type) {
    case SDL_QUIT: a->quit = 1; break;
    case SDL_KEYDOWN: replay_key(a, &e->key); break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            float sx, sy;
            event_to_drawable(a, e->button.x, e->button.y, &sx, &sy);
            const UiLayout *L = &a->L;
            if (sy >= L->tl_y && sy < L->tl_y + L->tl_h && sx >= L->tl_bx &&
                sx <= L->tl_bx + L->tl_bw && L->tl_bw > 0) {
                double f = (sx - L->tl_bx) / L->tl_bw;
                double first = (double)ui_replay_first(a);
                double last = (double)ui_replay_last(a);
                replay_seek(a, (int64_t)llround(first + f * (last - first)));
            }
        }
        break;
    default: break;
    }
}

static void replay_advance(UiApp *a, double real_dt_ms)
{
    if (a->playing) {
        const double tick = ui_replay_tick_ms(a);
        a->acc_ms += (real_dt_ms > 0 ? real_dt_ms : 0) * a->speed;
        int n = 0, max = UI_MAX_CATCHUP_TICKS * 8; /* 8x speed at 60 fps is ~13 ticks */
        while (a->playing && a->acc_ms >= tick && n < max) {
            replay_step(a);
            a->acc_ms -= tick;
            n++;
        }
        if (n == max && a->acc_ms >= tick)
            a->acc_ms = 0;
    } else {
        for (; a->step_req > 0; a->step_req--)
            replay_step(a);
    }
    a->step_req = 0;
}

int ui_app_frame(UiApp *a, double real_dt_ms)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (a->replay)
            replay_event(a, &e);
        else
            handle_event(a, &e);
    }
    /* q, esc, a closed window: go now. Another tick and frame would only delay the exit. */
    if (a->quit)
        return 1;
    /* Frames per second over the last half second of real time. */
    a->fps_frames++;
    a->fps_ms += real_dt_ms > 0 ? real_dt_ms : 0;
    if (a->fps_ms >= 500.0) {
        a->fps = 1000.0 * a->fps_frames / a->fps_ms;
        a->fps_frames = 0;
        a->fps_ms = 0;
    }
    const double tick = sim_config(a->view)->tick_ms;
    double t_sim = a->prof_sync ? now_ms() : 0;
    if (a->replay) {
        replay_advance(a, real_dt_ms);
    } else if (!a->paused) {
        a->acc_ms += real_dt_ms > 0 ? real_dt_ms : 0;
        int n = 0;
        while (a->acc_ms >= tick && n < UI_MAX_CATCHUP_TICKS) {
            tick_once(a);
            a->acc_ms -= tick;
            n++;
        }
        if (n == UI_MAX_CATCHUP_TICKS && a->acc_ms >= tick)
            a->acc_ms = 0; /* too slow: drop the backlog rather than spiral */
    } else {
        for (; a->step_req > 0; a->step_req--)
            tick_once(a);
    }
    a->step_req = 0;
    if (a->prof_sync)
        a->sect_ms[UI_SECT_SIM] += now_ms() - t_sim;
    double t_s = sim_time_ms(a->view) / 1000.0;
    if (a->opt.screenshot_at_s >= 0 && !a->shot_at_done && t_s >= a->opt.screenshot_at_s - 1e-9) {
        a->shot_at_done = 1;
        a->shot_is_required = 1;
        request_screenshot(a, a->opt.screenshot_path);
    }
    if (a->opt.quit_after_s > 0 && t_s >= a->opt.quit_after_s - 1e-9)
        a->quit = 1;
    /* A scripted replay (--quit-after) that reached the run's end stops there; a screenshot
     * asked for beyond the end is a failed run, not silence. */
    if (a->replay && a->opt.quit_after_s > 0 && ui_replay_tick(a) >= ui_replay_last(a)) {
        a->quit = 1;
        if (a->opt.screenshot_at_s >= 0 && !a->shot_at_done) {
            sc_set_error("--screenshot-at %g s: the run ends at %.2f s", a->opt.screenshot_at_s,
                         t_s);
            return -1;
        }
    }
    render_frame(a);
    if (a->shot_pending) {
        a->shot_pending = 0;
        int required = a->shot_is_required;
        a->shot_is_required = 0;
        if (save_png(a, a->shot_path)) {
            if (required) {
                /* --screenshot-at asked for this file: without it the run failed. */
                SDL_GL_SwapWindow(a->w.win);
                return -1;
            }
            sc_log_error("%s", sc_last_error());
            a->lost_output = 1;
            set_status(a, "screenshot failed");
        } else {
            char cwd[1024] = ".";
            if (a->shot_path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
                snprintf(cwd, sizeof(cwd), ".");
            if (a->shot_path[0] == '/')
                printf("saccade: screenshot %s\n", a->shot_path);
            else
                printf("saccade: screenshot %s/%s\n", cwd, a->shot_path);
            fflush(stdout);
            char msg[1200];
            snprintf(msg, sizeof(msg), "screenshot %s", a->shot_path);
            set_status(a, msg);
        }
    }
    double t_swap = a->prof_sync ? now_ms() : 0;
    SDL_GL_SwapWindow(a->w.win);
    if (a->prof_sync) {
        glFinish();
        a->sect_ms[UI_SECT_SWAP] += now_ms() - t_swap;
    }
    if (a->rp_thread_pending)
        prep_start(a); /* a failure is reported when the pass is adopted */
    return a->quit ? 1 : 0;
}

int ui_app_run(UiApp *a)
{
    double prev = now_ms();
    SDL_DisplayMode mode;
    double frame_ms = 1000.0 / 60.0;
    if (!SDL_GetCurrentDisplayMode(0, &mode) && mode.refresh_rate > 0)
        frame_ms = 1000.0 / mode.refresh_rate;
    for (;;) {
        double t0 = now_ms();
        double dt = t0 - prev;
        prev = t0;
        if (dt > 250.0)
            dt = 250.0;
        int r = ui_app_frame(a, dt);
        if (r < 0)
            sc_log_error("%s", sc_last_error());
        if (r)
            return r < 0 ? 1 : 0;
        /* Without a working vsync (Xvfb, offscreen) do not spin: pace to the display rate. */
        if (a->opt.vsync) {
            double left = frame_ms - (now_ms() - t0);
            if (left > 1.0)
                SDL_Delay((Uint32)left);
        }
    }
}

int ui_app_read_pixels(UiApp *a, unsigned char *rgba, size_t cap, int *w, int *h)
{
    int dw = a->L.dw, dh = a->L.dh;
    if ((size_t)dw * (size_t)dh * 4 > cap) {
        sc_set_error("read pixels: buffer too small");
        return -1;
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, dw, dh, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    /* GL's first row is the bottom one: flip in place. */
    size_t row = (size_t)dw * 4;
    for (int y = 0; y < dh / 2; y++) {
        unsigned char *p = rgba + (size_t)y * row, *q = rgba + (size_t)(dh - 1 - y) * row;
        for (size_t i = 0; i < row; i++) {
            unsigned char t = p[i];
            p[i] = q[i];
            q[i] = t;
        }
    }
    *w = dw;
    *h = dh;
    return 0;
}

int ui_app_screenshot(UiApp *a, const char *path)
{
    return save_png(a, path);
}

const Sim *ui_app_sim(const UiApp *a)
{
    return a->view;
}
SDL_Window *ui_app_window(UiApp *a)
{
    return a->w.win;
}
void ui_app_set_layers(UiApp *a, unsigned layers)
{
    a->layers = layers & UI_LAYER_ALL;
}
unsigned ui_app_layers(const UiApp *a)
{
    return a->layers;
}

void ui_app_world_to_screen(const UiApp *a, float wx, float wy, float *sx, float *sy)
{
    /* World points are pixel-centre coordinates: pixel (i, j) is the point (i, j). */
    *sx = a->L.vx + (wx + 0.5f - a->L.ox) * a->L.scale;
    *sy = a->L.vy + (wy + 0.5f - a->L.oy) * a->L.scale;
}

int ui_app_screen_to_world(const UiApp *a, float sx, float sy, float *wx, float *wy)
{
    if (a->L.scale <= 0)
        return 0;
    *wx = (sx - a->L.vx) / a->L.scale - 0.5f + a->L.ox;
    *wy = (sy - a->L.vy) / a->L.scale - 0.5f + a->L.oy;
    return sx >= a->L.vx && sx < a->L.vx + a->L.vw && sy >= a->L.vy && sy < a->L.vy + a->L.vh;
}

void ui_app_hud_rect(const UiApp *a, int *y0, int *y1)
{
    *y0 = 0;
    *y1 = (int)a->L.hud_h;
}

/* The end of `live` and `replay`: the process exits next, so the simulation, the readers and
 * the GL objects are left to it (freeing them one by one, the sim's fixation log and the
 * textures under Mesa, was most of the time from q to exit). A replay's preparing thread is
 * told to stop; the window and GL context are closed properly. Recordings are finished
 * before this. */
static void app_exit(UiApp **pa)
{
    UiApp *a = *pa;
    prep_abandon(a);
    window_close(&a->w);
    *pa = NULL;
}

int ui_live(const UiOptions *o)
{
    int no_display = 0;
    UiApp *a = ui_app_create(o, &no_display);
    if (!a) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int rc = ui_app_run(a);
    SDL_HideWindow(a->w.win); /* gone for the user at once; the rest is bookkeeping */
    record_stop(a); /* before the exit code: a recording that fails to close is lost output */
    if (a->lost_output)
        rc = 1;
    app_exit(&a);
    return rc;
}

/* The replay's early sim and its readers (one for the window, one for the seek-point pass),
 * built on a thread while the window opens. */
typedef struct ReplayBuild {
    const RunFile *rf;
    const char *model;
    SimModel *m;
    Sim *sim;
    char error[1200];
} ReplayBuild;

static void *replay_build(void *arg)
{
    ReplayBuild *b = arg;
    font_prefetch();
    const RunHeader *h = &b->rf->header;
    if (h->model_hash && !(b->m = sim_model_find(&h->scene, b->model, h->model_hash))) {
        snprintf(b->error, sizeof(b->error), "%s", sc_last_error());
        return NULL;
    }
    b->sim = record_sim_create(b->rf, b->m ? sim_model_hook(b->m) : NULL,
                               b->m ? sim_model_hash(b->m) : 0);
    if (!b->sim)
        snprintf(b->error, sizeof(b->error), "%s", sc_last_error());
    return NULL;
}

UiApp *ui_replay_create(const char *path, double speed, const char *model, const UiOptions *o)
{
    UiOptions opt;
    if (o)
        opt = *o;
    else
        ui_options_default(&opt);
    /* The reader the run was recorded with: the header names its hash; the file is the given
     * one or the shipped reader with that hash. */
    RunFile *rf = runfile_read(path);
    if (!rf)
        return NULL;
    /* at once, not when the seek points are ready (a short scripted replay quit before) */
    if (rf->torn_note[0])
        sc_log_warn("%s", rf->torn_note);
    opt.spec = rf->header.scene;
    opt.seed = rf->header.seed;
    ReplayBuild b = {.rf = rf, .model = model};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, replay_build, &b) == 0;
    UiApp *a = app_open(&opt, NULL);
    if (threaded)
        pthread_join(th, NULL);
    else if (a)
        replay_build(&b);
    if (!a || !b.sim) {
        if (a)
            sc_set_error("%s: %s", path, b.error);
        ui_app_destroy(&a);
        sim_destroy(&b.sim);
        sim_model_close(&b.m);
        runfile_free(&rf);
        return NULL;
    }
    a->replay = 1;
    a->rf = rf;
    snprintf(a->rp_path, sizeof(a->rp_path), "%s", path);
    a->model = b.m;
    a->sim = b.sim;
    ReplayPrep *pr = calloc(1, sizeof(*pr));
    if (!pr) {
        sc_set_error("out of memory");
        ui_app_destroy(&a);
        return NULL;
    }
    atomic_store(&pr->refs, 1);
    a->prep = pr;
    snprintf(pr->path, sizeof(pr->path), "%s", path);
    if (b.m)
        sim_model_choice_of(b.m, &pr->choice);
    load_curve(a);
    a->rp_max_inputs = player_max_inputs_per_tick(rf);
    a->rp_inputs = malloc(sizeof(SimInput) * (size_t)(a->rp_max_inputs > 0 ? a->rp_max_inputs : 1));
    if (!a->rp_inputs) {
        sc_set_error("out of memory");
        ui_app_destroy(&a);
        return NULL;
    }
    a->view = a->sim;
    a->prof.now_ms = now_ms;
    sim_set_profile(a->sim, &a->prof);
    a->speed = speed > 0 ? speed : 1.0;
    a->playing = 1;
    if (render_sim_changed(a)) {
        ui_app_destroy(&a);
        return NULL;
    }
    pr->params.progress = replay_progress_atomic;
    pr->params.user = pr;
    /* The pass that makes the seek points starts once the first frame is on screen
     * (prep_start): until then the window and GL have both cores. */
    a->rp_thread_pending = 1;
    return a;
}

int ui_replay_wait(UiApp *a)
{
    return replay_adopt(a, 1) > 0 ? 0 : -1;
}

int ui_replay_poll(UiApp *a)
{
    prep_start(a);
    return replay_adopt(a, 0);
}

int ui_replay_run(const char *path, double speed, const char *model, const UiOptions *o)
{
    UiApp *a = ui_replay_create(path, speed, model, o);
    if (!a) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int rc = ui_app_run(a);
    SDL_HideWindow(a->w.win);
    app_exit(&a);
    return rc;
}

void ui_app_profile(UiApp *a, int on, double *ms)
{
    a->prof_sync = on;
    if (ms)
        for (int i = 0; i < UI_SECT_COUNT; i++)
            ms[i] = a->sect_ms[i];
    for (int i = 0; i < UI_SECT_COUNT; i++)
        a->sect_ms[i] = 0;
}

const char *ui_section_name(int i)
{
    static const char *n[UI_SECT_COUNT] = {"sim",        "upload",     "overlay",       "view",
                                           "scene",      "v1_strokes", "motion_arrows", "marks",
                                           "panel_text", "swap"};
    return i >= 0 && i < UI_SECT_COUNT ? n[i] : NULL;
}

int ui_app_recording(const UiApp *a)
{
    return a->rec != NULL;
}

void ui_app_stage_ms(const UiApp *a, double *ms)
{
    for (int i = 0; i < SIM_STAGE_COUNT; i++)
        ms[i] = a->stage_ms[i];
}

void ui_replay_state(const UiApp *a, uint64_t *tick, uint64_t *last, int *playing)
{
    *tick = a->replay ? ui_replay_tick(a) : sim_tick_count(a->view);
    *last = a->replay ? ui_replay_last(a) : *tick;
    *playing = a->playing;
}

void ui_app_score(const UiApp *a, ReadScore *out)
{
    *out = a->score;
}

float ui_app_zoom(const UiApp *a)
{
    return a->zoom;
}

void ui_app_marks(const UiApp *a, UiMarks *out)
{
    *out = a->marks;
}

int ui_app_labels(const UiApp *a, float *xywh, int cap)
{
    int n = 0;
    for (int i = 0; i < a->label_boxes.n; i++)
        if (!a->label_boxes.obstacle[i] && n < cap) {
            memcpy(xywh + 4 * n, a->label_boxes.b[i], 4 * sizeof(float));
            n++;
        }
    return n;
}

void ui_app_scene_area(const UiApp *a, float *x, float *y, float *w, float *h)
{
    *x = a->L.ax;
    *y = a->L.ay;
    *w = a->L.aw;
    *h = a->L.ah;
}

const char *ui_app_claim_line(const UiApp *a)
{
    return a->claim_line;
}
