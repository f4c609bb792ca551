#include "cli/eval_saccade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "eye/eye.h"
#include "retina/retina.h"
#include "saliency/saliency.h"
#include "v1/v1.h"

struct Looker {
    RetinaParams rp;
    V1Params vp;
    SaliencyParams sp;
    EyeParams ep;
    Retina *r;
    V1 *v;
    Saliency *s;
    int w, h;
    void *fresh; /* saliency state right after creation: no inhibition */
    size_t fresh_n;
    int micro;        /* LOOK_MICRO_*: corrective microsaccades when unsure */
    long micro_looks; /* microsaccades made since creation */
};

/* Corrective microsaccades: LOOK_MICRO_PX from the landing point, right, left, down, up. */
static const int micro_dx[LOOK_MICRO_N] = {LOOK_MICRO_PX, -LOOK_MICRO_PX, 0, 0};
static const int micro_dy[LOOK_MICRO_N] = {0, 0, LOOK_MICRO_PX, -LOOK_MICRO_PX};

Looker *looker_create(int world_w, int world_h)
{
    Looker *l = calloc(1, sizeof(*l));
    if (!l) {
        sc_set_error("eval: out of memory");
        return NULL;
    }
    l->w = world_w;
    l->h = world_h;
    retina_params_default(&l->rp);
    v1_params_default(&l->vp);
    saliency_params_default(&l->sp);
    eye_params_default(&l->ep);
    l->sp.ior_radius_deg = LOOK_IOR_RADIUS_PX / l->rp.px_per_deg;
    /* enough glimpse levels to see the whole (small) world from anywhere in it */
    int side = world_w > world_h ? world_w : world_h, levels = 1;
    while (levels < l->rp.levels && (l->rp.level_size << (levels - 1)) < 2 * side)
        levels++;
    l->rp.levels = levels;
    l->r = retina_create(&l->rp, world_w, world_h);
    l->v = l->r ? v1_create(&l->vp, &l->rp) : NULL;
    l->s = l->v ? saliency_create(&l->sp, &l->rp, &l->vp, world_w, world_h) : NULL;
    if (l->s) {
        l->fresh_n = saliency_state_size(l->s);
        l->fresh = malloc(l->fresh_n ? l->fresh_n : 1);
        if (l->fresh)
            saliency_state_save(l->s, l->fresh);
    }
    if (!l->s || !l->fresh) {
        looker_destroy(&l);
        return NULL;
    }
    return l;
}

void looker_set_micro(Looker *l, int mode)
{

    l->micro = mode;
}

long looker_micro_looks(const Looker *l)
{
    return l->micro_looks;
}

void looker_destroy(Looker **pl)
{
    if (!pl || !*pl)
        return;
    Looker *l = *pl;
    saliency_destroy(&l->s);
    v1_destroy(&l->v);
    retina_destroy(&l->r);
    free(l->fresh);
    free(l);
    *pl = NULL;
}

/* Centre of gravity of the contrast at full resolution around the gaze (retina level 0),
 * Gaussian-weighted; returns the step (px) towards it. */
static void cog_step(const Retina *r, float sigma, float *dx, float *dy)
{
    const Image *lv = retina_level(r, 0);
    int n = lv->w, c = n / 2;
    int rad = 14;
    float lo = 1e30f;
    for (int j = c - rad; j <= c + rad; j++)
        for (int i = c - rad; i <= c + rad; i++)
            if (i >= 0 && j >= 0 && i < n && j < lv->h)
                lo = fminf(lo, image_at(lv, i, j));
    double m = 0, mx = 0, my = 0;
    for (int j = c - rad; j <= c + rad; j++)
        for (int i = c - rad; i <= c + rad; i++) {
            if (i < 0 || j < 0 || i >= n || j >= lv->h)
                continue;
            float v = image_at(lv, i, j) - lo;
            float g = expf(-(float)((i - c) * (i - c) + (j - c) * (j - c)) / (2 * sigma * sigma));
            m += v * g;
            mx += v * g * (i - c);
            my += v * g * (j - c);
        }
    *dx = *dy = 0;
    if (m > 1e-3) {
        /* onto the gaze sample, where the training digits have their centre of mass */
        *dx = (float)(mx / m);
        *dy = (float)(my / m);
    }
}

/* Centre of gravity of the object under the gaze: the pixels of retina level 0 above 20% of
 * the local contrast range that are 4-connected to the ink nearest the gaze; separate clutter
 * does not pull the landing point. No gaps are bridged: bridging one-pixel gaps (the earlier
 * rule) joined clutter fragments that nearly touch the digit and pulled the landing 2-5 px
 * off (cluttered60 on the validation digits: 9.7% -> 7.0% error). Returns the step (px). */
static void object_step(const Retina *r, float *dx, float *dy)
{
    const Image *lv = retina_level(r, 0);
    enum { N = 64 };
    int n = lv->w < N ? lv->w : N, c = n / 2;
    float lo = 1e30f, hi = -1e30f;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            float v = image_at(lv, i, j);
            lo = fminf(lo, v);
            if ((i - c) * (i - c) + (j - c) * (j - c) <= 14 * 14)
                hi = fmaxf(hi, v);
        }
    *dx = *dy = 0;
    float thr = lo + 0.2f * (hi - lo);
    if (hi - lo < 0.05f)
        return;
    /* seed: the ink pixel nearest the gaze within 10 px */
    int seed = -1, best = 1 << 30;
    for (int j = c - 10; j <= c + 10; j++)
        for (int i = c - 10; i <= c + 10; i++) {
            int d = (i - c) * (i - c) + (j - c) * (j - c);
            if (i >= 0 && j >= 0 && i < n && j < n && d <= 100 && d < best && image_at(lv, i, j) > thr) {
                best = d;
                seed = j * n + i;
            }
        }
    if (seed < 0)
        return;
    unsigned char seen[N * N];
    int stack[N * N], top = 0;
    memset(seen, 0, sizeof(seen));
    seen[seed] = 1;
    stack[top++] = seed;
    double m = 0, mx = 0, my = 0;
    while (top > 0) {
        int p = stack[--top], pi = p % n, pj = p / n;
        double v = image_at(lv, pi, pj) - lo;
        m += v;
        mx += v * (pi - c);
        my += v * (pj - c);
        for (int d = 0; d < 4; d++) {
            int qi = pi + (d == 0) - (d == 1), qj = pj + (d == 2) - (d == 3);
            if (qi < 0 || qj < 0 || qi >= n || qj >= n)
                continue;
            int q = qj * n + qi;
            if (!seen[q] && image_at(lv, qi, qj) > thr) {
                seen[q] = 1;
                stack[top++] = q;
            }
        }
    }
    if (m > 1e-3) {
        *dx = (float)(mx / m);
        *dy = (float)(my / m);
    }
}

static void classify(Classifier *c, const Retina *r, LookFix *f)
{
    float probs[CLASSIFIER_MAX_CLASSES];
    int n = classifier_n_classes(c), nothing = classifier_nothing_class(c);
    /* the fovea image has a padded stride: pack it into the contiguous patch predict reads */
    float patch[CLASSIFIER_SIDE * CLASSIFIER_SIDE];
    const Image *fov = retina_fovea(r);
    for (int y = 0; y < CLASSIFIER_SIDE; y++)
        memcpy(patch + y * CLASSIFIER_SIDE, image_row(fov, y), sizeof(float) * CLASSIFIER_SIDE);
    f->label = classifier_predict(c, patch, probs);
    f->confidence = probs[f->label];
    memcpy(f->probs, probs, sizeof(float) * (size_t)n);
    f->best_label = -1;
    f->best_conf = 0;
    for (int i = 0; i < n; i++)
        if (i != nothing && probs[i] > f->best_conf) {
            f->best_conf = probs[i];
            f->best_label = i;
        }
}

static float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

int looker_episode(Looker *l, Classifier *c, const Image *world, float x, float y, int n_fix, int cog,
                   LookFix *fix)
{
    if (n_fix > LOOK_MAX_FIX)
        n_fix = LOOK_MAX_FIX;
    saliency_state_load(l->s, l->fresh);
    retina_world_changed(l->r, world, 0, 0, -1, -1);
    const Image *pri = saliency_priority(l->s);
    int cell = l->sp.cell_px;
    for (int k = 0; k < n_fix; k++) {
        x = roundf(x);
        y = roundf(y);
        retina_sample(l->r, x, y);
        /* landing: approach the centre of gravity of the local contrast, then settle on the
         * centre of gravity of the object under the gaze */
        for (int stage = 0; cog && stage < 2; stage++)
            for (int t = 0; t < LOOK_COG_STEPS / 2; t++) {
                float dx, dy;
                if (stage == 0)
                    cog_step(l->r, 7.0f, &dx, &dy);
                else
                    object_step(l->r, &dx, &dy);
                dx = roundf(clampf(dx, -10, 10));
                dy = roundf(clampf(dy, -10, 10));
                if (dx == 0 && dy == 0)
                    break;
                x = clampf(x + dx, 0, (float)(l->w - 1));
                y = clampf(y + dy, 0, (float)(l->h - 1));
                retina_sample(l->r, x, y);
            }
        fix[k].x = x;
        fix[k].y = y;
        fix[k].micro = 0;
        classify(c, l->r, &fix[k]);
        if (k + 1 == n_fix && l->micro != LOOK_MICRO_FREE)
            break;
        /* something is there but the classifier is unsure: the landing may be off (clutter
         * touching the object pulls the centre of gravity), so the eye makes small corrective
         * microsaccades around the landing point until one look is sure */
        int unsure = fix[k].best_conf < LOOK_MICRO_SURE && fix[k].best_conf >= LOOK_MICRO_MIN;
        if (cog && unsure && l->micro == LOOK_MICRO_COUNTED) {
            /* each microsaccade is a fixation of its own and takes a place in the budget */
            for (int m = 0; m < LOOK_MICRO_N && k + 1 < n_fix; m++) {
                k++;
                fix[k].x = clampf(x + (float)micro_dx[m], 0, (float)(l->w - 1));
                fix[k].y = clampf(y + (float)micro_dy[m], 0, (float)(l->h - 1));
                fix[k].micro = 1;
                retina_sample(l->r, fix[k].x, fix[k].y);
                classify(c, l->r, &fix[k]);
                l->micro_looks++;
                if (fix[k].best_conf >= LOOK_MICRO_SURE)
                    break;
            }
            if (k + 1 == n_fix)
                break;
            retina_sample(l->r, x, y);
        } else if (cog && unsure && l->micro == LOOK_MICRO_FREE) {
            /* part of this fixation: it keeps the look that saw best */
            for (int m = 0; m < LOOK_MICRO_N; m++) {
                LookFix t;
                t.x = clampf(x + (float)micro_dx[m], 0, (float)(l->w - 1));
                t.y = clampf(y + (float)micro_dy[m], 0, (float)(l->h - 1));
                t.micro = 1;
                retina_sample(l->r, t.x, t.y);
                classify(c, l->r, &t);
                l->micro_looks++;
                if (t.best_conf > fix[k].best_conf)
                    fix[k] = t;
                if (t.best_conf >= LOOK_MICRO_SURE)
                    break;
            }
            retina_sample(l->r, x, y);
        }
        if (k + 1 >= n_fix)
            break;
        /* where next: saliency of what this fixation saw, inhibition at the gaze, WTA */
        v1_process(l->v, l->r, 0);
        saliency_update(l->s, l->r, l->v);
        saliency_ior_add(l->s, x, y);
        saliency_priority_update(l->s);
        float best = -1, bx = x, by = y;
        for (int j = 0; j < pri->h; j++)
            for (int i = 0; i < pri->w; i++) {
                float cx = (float)(i * cell) + 0.5f * (float)cell - 0.5f;
                float cy = (float)(j * cell) + 0.5f * (float)cell - 0.5f;
                float amp = hypotf(cx - x, cy - y) / l->ep.px_per_deg;
                float p = image_at(pri, i, j) / (1.0f + l->ep.jump_cost_per_deg * amp);
                if (p > best) {
                    best = p;
                    bx = cx;
                    by = cy;
                }
            }
        if (best < l->ep.min_priority) {
            /* nothing worth a look: the eye stays; later fixations repeat this one */
            for (int j = k + 1; j < n_fix; j++)
                fix[j] = fix[k];
            break;
        }
        x = clampf(bx, 0, (float)(l->w - 1));
        y = clampf(by, 0, (float)(l->h - 1));
    }
    return n_fix;
}

int look_answer(const LookFix *fix, int k, float sure)
{
    int best = -1;
    float conf = -1;
    for (int i = 0; i < k; i++) {
        if (fix[i].best_label >= 0 && fix[i].best_conf >= sure)
            return fix[i].best_label;
        if (fix[i].best_conf > conf) {
            conf = fix[i].best_conf;
            best = fix[i].best_label;
        }
    }
    return best;
}

int look_answer_sum(const LookFix *fix, int k, int n_classes, int nothing)
{
    double sum[CLASSIFIER_MAX_CLASSES] = {0};
    for (int i = 0; i < k; i++) {
        if (i > 0 && fix[i].x == fix[i - 1].x && fix[i].y == fix[i - 1].y)
            continue; /* the eye stayed: no new look */
        for (int c = 0; c < n_classes; c++)
            sum[c] += fix[i].probs[c];
    }
    int best = -1;
    for (int c = 0; c < n_classes; c++)
        if (c != nothing && (best < 0 || sum[c] > sum[best]))
            best = c;
    return best;
}
