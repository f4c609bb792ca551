/* Eye model properties: main sequence, landing error, corrective saccades, suppression,
 * manual commands, winner-take-all on the priority map. */
#include <math.h>
#include <string.h>

#include "eye/eye.h"
#include "test.h"

#define CELL 8
#define GW 160
#define GH 90

static Image map;

static void one_peak(float x, float y)
{
    image_fill(&map, 0);
    int i = (int)(x / CELL), j = (int)(y / CELL);
    map.px[j * map.stride + i] = 1.0f;
}

/* The published main sequence (saccade duration against amplitude, e.g. Carpenter 1988,
 * Baloh et al. 1975): about 21 ms + 2.2 ms per degree. The tests compare what the eye does
 * with these numbers, not with the eye's own formula. */
#define MAIN_SEQ_BASE_MS 21.0
#define MAIN_SEQ_MS_PER_DEG 2.2
/* Fine ticks, so each event is timed to within a quarter millisecond. */
#define DT_MS 0.25

/* One saccade as seen from outside the eye: its duration from the tick that reports
 * EYE_EV_SACCADE_START to the one that reports EYE_EV_LANDED (each within one tick of the
 * true time), its amplitude from the gaze before the start to the gaze at the landing, its
 * peak velocity from the fastest tick in between. */
typedef struct Flight {
    double dur_ms, amp_deg, peak_deg_s;
} Flight;

/* Runs ticks of DT_MS until the next landing; 1 and the measured flight (if f) when one
 * started and landed, else 0. */
static int run_to_landing(Eye *e, double *t, int auto_mode, Rng *rng, int *starts, Flight *f)
{
    double ppd = e->p.px_per_deg, t_start = -1, peak = 0;
    float px = e->x, py = e->y, x0 = e->x, y0 = e->y;
    for (int k = 0; k < 400000; k++) {
        *t += DT_MS;
        int ev = eye_step(e, *t, &map, CELL, auto_mode, NULL, rng);
        if (ev & EYE_EV_SACCADE_START) {
            (*starts)++;
            t_start = *t;
            x0 = px;
            y0 = py;
            peak = 0;
        } else if (t_start >= 0) {
            double v = hypot(e->x - px, e->y - py) / ppd / (DT_MS * 1e-3);
            if (v > peak)
                peak = v;
        }
        px = e->x;
        py = e->y;
        if (ev & EYE_EV_LANDED) {
            if (t_start < 0)
                return 0;
            if (f) {
                f->dur_ms = *t - t_start;
                f->amp_deg = hypot(e->x - x0, e->y - y0) / ppd;
                f->peak_deg_s = peak;
            }
            return 1;
        }
    }
    return 0;
}

static void test_main_sequence(void)
{
    EyeParams p;
    eye_params_default(&p);
    Rng rng;
    rng_seed(&rng, 42);
    Eye e;
    double t = 0;
    eye_init(&e, &p, GW * CELL, GH * CELL, 100, 360, t, &rng);
    /* Saccades of many amplitudes along x (0.5 to 15 deg); regress the measured duration on
     * the measured amplitude. */
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    double v_small = 0, ratio_small = 0, v_large = 0, ratio_large = 0;
    int n = 0, starts = 0, n_small = 0, n_large = 0;
    for (int k = 0; k < 40; k++) {
        float target = (k % 2) ? 100.0f : 100.0f + 16.0f * (float)(1 + k % 30);
        one_peak(target, 360);
        Flight f = {0};
        CHECK(run_to_landing(&e, &t, 1, &rng, &starts, &f));
        double a = f.amp_deg, d = f.dur_ms;
        sx += a;
        sy += d;
        sxx += a * a;
        sxy += a * d;
        syy += d * d;
        n++;
        /* what the eye reports (run --json, the window) is what it did */
        CHECKF(fabs(e.last_dur_ms - d) <= DT_MS + 1e-3, "reported %.2f ms, flew %.2f ms",
               e.last_dur_ms, d);
        CHECKF(fabs(e.last_amp_deg - a) < 1e-3 * a + 1e-3, "reported %.3f deg, flew %.3f deg",
               e.last_amp_deg, a);
        CHECKF(fabs(e.last_peak_vel - f.peak_deg_s) < 0.01 * f.peak_deg_s + 1,
               "reported peak %.0f deg/s, flew %.0f deg/s", e.last_peak_vel, f.peak_deg_s);
        if (a < 3) {
            v_small += f.peak_deg_s;
            ratio_small += f.peak_deg_s / a;
            n_small++;
        } else if (a > 10) {
            v_large += f.peak_deg_s;
            ratio_large += f.peak_deg_s / a;
            n_large++;
        }
        /* finish any corrective saccade */
        for (int g = 0; g < 4 && e.corrective_pending; g++)
            CHECK(run_to_landing(&e, &t, 1, &rng, &starts, NULL));
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double icpt = (sy - slope * sx) / n;
    double r = (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    printf(
        "main sequence, measured over %d saccades: %.2f ms + %.3f ms/deg (published %.0f + %.1f)\n",
        n, icpt, slope, MAIN_SEQ_BASE_MS, MAIN_SEQ_MS_PER_DEG);
    CHECKF(fabs(slope - MAIN_SEQ_MS_PER_DEG) < 0.1, "slope %.3f ms/deg", slope);
    CHECKF(fabs(icpt - MAIN_SEQ_BASE_MS) < 1.0, "intercept %.2f ms", icpt);
    CHECKF(r > 0.999, "r %.5f", r);
    /* Peak velocity rises with amplitude and saturates in its ratio (main sequence), measured. */
    CHECK(n_small > 0 && n_large > 0);
    if (n_small > 0 && n_large > 0) {
        v_small /= n_small;
        v_large /= n_large;
        ratio_small /= n_small;
        ratio_large /= n_large;
        CHECKF(v_large > v_small, "peak velocity %.0f deg/s (> 10 deg), %.0f (< 3 deg)", v_large,
               v_small);
        CHECKF(ratio_large < ratio_small,
               "peak velocity / amplitude %.1f /s (> 10 deg), %.1f (< 3 deg)", ratio_large,
               ratio_small);
        /* Measured human peak velocities above 10 deg: about 400-600 deg/s (Bahill et al. 1975) */
        CHECKF(v_large > 300 && v_large < 800, "peak velocity above 10 deg %.0f deg/s", v_large);
    }
    float v20 = eye_peak_velocity_deg_s(&p, 20);
    CHECKF(v20 > 300 && v20 < 800, "peak velocity at 20 deg %.0f deg/s", v20);
}

static void test_landing_and_corrective(void)
{
    EyeParams p;
    eye_params_default(&p);
    Rng rng;
    rng_seed(&rng, 7);
    Eye e;
    double t = 0;
    double err_small = 0, err_large = 0;
    int n_small = 0, n_large = 0, corrective = 0;
    eye_init(&e, &p, GW * CELL, GH * CELL, 60, 360, t, &rng);
    for (int k = 0; k < 200; k++) {
        int far = k % 2;
        float from = e.x;
        float target =
            far ? (from < 640 ? from + 480 : from - 480) : from + (from < 640 ? 64 : -64);
        target = floorf(target / CELL) * CELL + CELL / 2;
        one_peak(target, 364);
        int starts = 0;
        run_to_landing(&e, &t, 1, &rng, &starts, NULL);
        float err = fabsf(e.x - e.aim_x) + fabsf(e.y - e.aim_y);
        if (far) {
            err_large += err;
            n_large++;
        } else {
            err_small += err;
            n_small++;
        }
        if (e.corrective_pending) {
            corrective++;
            run_to_landing(&e, &t, 1, &rng, &starts, NULL);
            CHECK(e.sacc_corrective == 1);
            /* a corrective saccade is small and brings the eye closer */
            CHECK(e.last_amp_deg < 3.0f);
        }
    }
    CHECKF(err_large / n_large > 2 * err_small / n_small,
           "landing error should grow with amplitude: %.2f vs %.2f px", err_large / n_large,
           err_small / n_small);
    CHECKF(corrective > 5, "corrective saccades %d", corrective);
}

static void test_suppression_and_fixations(void)
{
    EyeParams p;
    eye_params_default(&p);
    Rng rng;
    rng_seed(&rng, 3);
    Eye e;
    eye_init(&e, &p, GW * CELL, GH * CELL, 640, 360, 0, &rng);
    CHECK(e.fix_end_ms >= p.fix_min_ms);
    one_peak(1000, 360);
    double t = 0;
    int starts = 0, saw_saccade = 0;
    double fix_sum = 0;
    int fix_n = 0;
    double last_land = 0;
    for (int k = 0; k < 20000; k++) {
        t += 1;
        one_peak((k / 400) % 2 ? 300 : 1000, 360);
        int ev = eye_step(&e, t, &map, CELL, 1, NULL, &rng);
        if (ev & EYE_EV_SACCADE_START) {
            starts++;
            if (last_land > 0 && !e.sacc_corrective) {
                fix_sum += e.sacc_start_ms - last_land;
                fix_n++;
            }
        }
        if (e.phase == EYE_SACCADE) {
            saw_saccade = 1;
            CHECK(eye_suppressed(&e, t));
        }
        if (ev & EYE_EV_LANDED) {
            last_land = e.fix_start_ms;
            CHECK(eye_suppressed(&e, e.fix_start_ms + p.suppression_post_ms * 0.5));
            CHECK(!eye_suppressed(&e, e.fix_start_ms + p.suppression_post_ms + 1));
        }
    }
    CHECK(saw_saccade);
    CHECK(starts > 10);
    if (fix_n) {
        double mean = fix_sum / fix_n;
        CHECKF(mean > 150 && mean < 400, "mean fixation %.0f ms", mean);
    }
}

static void test_manual(void)
{
    EyeParams p;
    eye_params_default(&p);
    Rng rng;
    rng_seed(&rng, 5);
    Eye e;
    eye_init(&e, &p, GW * CELL, GH * CELL, 640, 360, 0, &rng);
    image_fill(&map, 0);
    double t = 0;
    /* Manual mode (auto off), nothing happens on its own. */
    for (int k = 0; k < 2000; k++)
        CHECK(eye_step(&e, ++t, &map, CELL, 0, NULL, &rng) == 0);
    eye_command_saccade(&e, 640 + 64, 360, t, &rng);
    int starts = 0;
    Flight f = {0};
    double t0 = t;
    CHECK(run_to_landing(&e, &t, 0, &rng, &starts, &f) && starts == 1);
    CHECKF(t - t0 < 500, "manual saccade landed %.0f ms after the command", t - t0);
    CHECKF(fabsf(e.x - 704) < 16, "manual saccade landed at %.1f", e.x);
    /* Same dynamics as automatic saccades: the measured duration follows the main sequence. */
    double want = MAIN_SEQ_BASE_MS + MAIN_SEQ_MS_PER_DEG * f.amp_deg;
    CHECKF(fabs(f.dur_ms - want) < 1.0,
           "manual saccade of %.2f deg took %.2f ms, main sequence %.2f", f.amp_deg, f.dur_ms,
           want);
    /* Clamped to the world. */
    eye_command_saccade(&e, -500, 99999, t, &rng);
    for (int k = 0; k < 1000; k++)
        eye_step(&e, ++t, &map, CELL, 0, NULL, &rng);
    CHECK(e.x >= 0 && e.y <= GH * CELL - 1);
}

static void test_blank_map_stays(void)
{
    EyeParams p;
    eye_params_default(&p);
    Rng rng;
    rng_seed(&rng, 9);
    Eye e;
    eye_init(&e, &p, GW * CELL, GH * CELL, 640, 360, 0, &rng);
    image_fill(&map, 0);
    double t = 0;
    for (int k = 0; k < 5000; k++)
        CHECK(eye_step(&e, ++t, &map, CELL, 1, NULL, &rng) == 0);
    CHECK(e.x == 640 && e.y == 360);
}

static void test_jump_cost(void)
{
    EyeParams p;
    eye_params_default(&p);
    Rng rng;
    rng_seed(&rng, 11);
    Eye e;
    eye_init(&e, &p, GW * CELL, GH * CELL, 640, 360, 0, &rng);
    /* Two equal peaks: the nearer wins. */
    image_fill(&map, 0);
    map.px[45 * map.stride + 90] = 1.0f; /* 80 px away */
    map.px[45 * map.stride + 10] = 1.0f; /* 560 px away */
    double t = 0;
    int starts = 0;
    run_to_landing(&e, &t, 1, &rng, &starts, NULL);
    CHECKF(fabsf(e.aim_x - (90 * CELL + CELL / 2)) < 1, "aimed at %.1f", e.aim_x);
}

/* eye_object_centre: the centre of mass of the blob under a point, from what the retina
 * holds; a separate blob beside it does not pull it; on coarse levels (far from the gaze) it
 * still finds the blob to a level's spacing; nothing there -> 0. */
static void test_object_centre(void)
{
    enum { WS = 401 };
    Image w;
    if (image_create(&w, WS, WS) < 0)
        return;
    image_fill(&w, 0);
    /* a 12x16 block with its centre of mass at (212.5, 207.5); a 6x6 blob 4 px right of it */
    for (int y = 200; y < 216; y++)
        for (int x = 207; x < 219; x++)
            image_row(&w, y)[x] = 1.0f;
    for (int y = 204; y < 210; y++)
        for (int x = 223; x < 229; x++)
            image_row(&w, y)[x] = 1.0f;
    RetinaParams rp;
    retina_params_default(&rp);
    rp.levels = 4;
    Retina *r = retina_create(&rp, WS, WS);
    CHECK(r != NULL);
    if (!r) {
        image_destroy(&w);
        return;
    }
    retina_world_changed(r, &w, 0, 0, -1, -1);
    float cx = 0, cy = 0;
    retina_sample(r, 200, 200); /* near: level 0 */
    CHECK(eye_object_centre(r, 210, 205, &cx, &cy) == 1);
    CHECKF(fabsf(cx - 212.5f) < 0.3f && fabsf(cy - 207.5f) < 0.3f, "near: %.2f %.2f", cx, cy);
    retina_sample(r, 100, 100); /* ~110 px away: a coarser level */
    CHECK(eye_object_centre(r, 211, 206, &cx, &cy) == 1);
    /* out there the blob beside it merges with it (crowding): within a coarse sample */
    CHECKF(fabsf(cx - 212.5f) < 4.0f && fabsf(cy - 207.5f) < 4.0f, "far: %.2f %.2f", cx, cy);
    retina_sample(r, 200, 200);
    CHECK(eye_object_centre(r, 300, 300, &cx, &cy) == 0); /* empty there */
    CHECK(eye_object_centre(NULL, 210, 205, &cx, &cy) == 0);
    retina_destroy(&r);
    image_destroy(&w);
}

/* Smooth pursuit on a synthetic stimulus: a target moving at speed deg/s along +x from the
 * gaze at t = 0, the eye told its true retinal slip and position error each 10 ms tick (what
 * the sim reads from V1). Returns the time (ms) the eye first moved smoothly, and the mean
 * eye velocity over 400..800 ms in *steady (deg/s). The map is blank: no other saccades. */
static double pursue(float speed, double *steady, int *catchups, int pursuit_on)
{
    EyeParams p;
    eye_params_default(&p);
    p.pursuit = pursuit_on;
    p.fix_mean_ms = 1e5f; /* no fixation ends by its clock while we watch */
    Rng rng;
    rng_seed(&rng, 11);
    Eye e;
    eye_init(&e, &p, 4000, 1000, 500, 500, 0, &rng);
    image_fill(&map, 0);
    double onset = -1, vsum = 0;
    int vn = 0;
    *catchups = 0;
    for (int k = 1; k <= 100; k++) {
        double t = 10.0 * k;
        float x0 = e.x;
        int ev = eye_step(&e, t, &map, CELL, 1, NULL, &rng);
        if (ev & EYE_EV_SACCADE_START)
            (*catchups)++;
        float vx, vy;
        eye_velocity_deg_s(&e, &vx, &vy);
        if (onset < 0 && e.x != x0 && e.phase == EYE_FIXATING)
            onset = t - 10.0; /* moved during the tick that ended at t */
        if (t >= 400 && t <= 800) {
            vsum += vx;
            vn++;
        }
        /* exact and analytic: the gaze at t + 5 ms is on the line from the anchor */
        if (e.phase == EYE_FIXATING && (vx != 0 || vy != 0)) {
            float px, py;
            eye_position_at(&e, t + 5.0, &px, &py);
            CHECKF(fabsf(px - (e.anchor_x + e.pv_x * (float)(t + 5.0 - e.anchor_ms))) < 1e-3f &&
                       py == e.y,
                   "position between ticks at %g ms", t);
        }
        float tx = 500.0f + speed * p.px_per_deg * (float)(t * 1e-3);
        int sure_ok = e.phase == EYE_FIXATING && t >= e.fix_start_ms + p.suppression_post_ms;
        eye_observe(&e, t, sure_ok, speed - vx, -vy, 1, tx - e.x, 500.0f - e.y);
    }
    *steady = vn ? vsum / vn : 0;
    return onset;
}

static void test_pursuit(void)
{
    double steady;
    int catchups;
    for (int i = 0; i < 2; i++) {
        float speed = i ? 20.0f : 10.0f;
        double onset = pursue(speed, &steady, &catchups, 1);
        double gain = steady / speed;
        CHECKF(onset >= 80 && onset <= 180, "%g deg/s: pursuit onset %g ms", speed, onset);
        CHECKF(gain >= 0.8 && gain <= 1.0, "%g deg/s: gain %.3f", speed, gain);
        CHECKF(catchups >= 1 && catchups <= 10, "%g deg/s: %d catch-up saccades", speed, catchups);
    }
    /* a faster target: gain falls */
    pursue(40.0f, &steady, &catchups, 1);
    CHECKF(steady / 40.0 < 0.85 && steady / 40.0 > 0.5, "40 deg/s: gain %.3f", steady / 40.0);
    /* a static target: no pursuit, no movement */
    CHECKF(pursue(0.0f, &steady, &catchups, 1) < 0 && steady == 0.0 && catchups == 0,
           "static target moved the eye (%g deg/s, %d saccades)", steady, catchups);
    /* pursuit off: the eye does not move smoothly */
    CHECKF(pursue(10.0f, &steady, &catchups, 0) < 0 && steady == 0.0,
           "pursuit off moved the eye smoothly (%g deg/s)", steady);
}

/* The target stops (slip -eye velocity) or leaves (no object): pursuit ends, the eye stops. */
static void test_pursuit_release(void)
{
    for (int leave = 0; leave < 2; leave++) {
        EyeParams p;
        eye_params_default(&p);
        p.fix_mean_ms = 1e5f;
        p.catchup_min_deg = 100.0f; /* watch the smooth part alone */
        Rng rng;
        rng_seed(&rng, 3);
        Eye e;
        eye_init(&e, &p, 4000, 1000, 500, 500, 0, &rng);
        image_fill(&map, 0);
        int was_pursuing = 0;
        for (int k = 1; k <= 150; k++) {
            double t = 10.0 * k;
            eye_step(&e, t, &map, CELL, 1, NULL, &rng);
            float vx, vy;
            eye_velocity_deg_s(&e, &vx, &vy);
            was_pursuing |= e.pursuing;
            int moving = t < 600;
            float slip = (moving ? 10.0f : 0.0f) - vx;
            eye_observe(&e, t, 1, slip, 0, !(leave && !moving), 0, 0);
        }
        float vx, vy;
        eye_velocity_deg_s(&e, &vx, &vy);
        CHECKF(was_pursuing && !e.pursuing && vx == 0.0f && vy == 0.0f,
               "%s: pursuing %d, eye %g deg/s", leave ? "target left" : "target stopped",
               e.pursuing, vx);
    }
}

int main(void)
{
    test_object_centre();
    if (image_create(&map, GW, GH) < 0)
        return 1;
    test_main_sequence();
    test_landing_and_corrective();
    test_suppression_and_fixations();
    test_manual();
    test_blank_map_stays();
    test_jump_cost();
    test_pursuit();
    test_pursuit_release();
    image_destroy(&map);
    return TEST_DONE();
}
