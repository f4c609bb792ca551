/* player.c: a run file as a seekable Sim (see player.h). */
#include "record/player.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "record/replay_private.h"

struct Player {
    RunFile *rf;
    Sim *sim;
    SimInput *inputs; /* max inputs per tick */
    size_t state_size;
    uint8_t **keyframes; /* keyframe j holds the state at first + j * every */
    size_t n_keyframes;
    uint64_t every;
    uint64_t first, last;
    SimFixation *log; /* the whole run's fixation log, from the first pass */
    int n_log;
    int64_t diverged;
    PlayerStats stats;
};

/* Wall clock, for tick-cost measurement only (never reaches the simulation). */
static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

void player_close(Player **pp)
{
    if (!pp || !*pp)
        return;
    Player *p = *pp;
    for (size_t i = 0; i < p->n_keyframes; i++)
        free(p->keyframes[i]);
    free(p->keyframes);
    free(p->inputs);
    free(p->log);
    sim_destroy(&p->sim);
    runfile_free(&p->rf);
    free(p);
    *pp = NULL;
}

/* One tick forward from the sim's current tick with the recorded inputs. */
static void step_sim(Player *p)
{
    uint64_t t = sim_tick_count(p->sim) + 1;
    size_t cur = replay_first_event(p->rf, t);
    int n = replay_inputs_at(p->rf, &cur, t, p->inputs);
    sim_tick(p->sim, p->inputs, n);
}

static int load_keyframe(Player *p, size_t j)
{
    if (sim_state_load(p->sim, p->keyframes[j], p->state_size) < 0) {
        sc_set_error("replay: keyframe %zu does not load (%s)", j, sc_last_error());
        return -1;
    }
    /* The keyframe restores only the last fixation record; the ones before it come from the
     * first pass (an earlier seek may have left one of them as it was while still open). */
    if (p->log)
        sim_fixations_restore(p->sim, p->log, p->n_log);
    return 0;
}

Player *player_open(const char *path, const PlayerParams *params)
{
    const double t_open = wall_ms();
    PlayerParams def;
    memset(&def, 0, sizeof def);
    const PlayerParams *pp = params ? params : &def;
    const double target_ms = pp->seek_target_ms > 0 ? pp->seek_target_ms : 50.0;
    const size_t budget = pp->keyframe_budget_bytes ? pp->keyframe_budget_bytes : (512u << 20);

    Player *p = calloc(1, sizeof *p);
    if (!p) {
        sc_set_error("%s: out of memory", path);
        return NULL;
    }
    p->diverged = -1;
    p->rf = runfile_read(path);
    if (!p->rf)
        goto fail;
    if (pp->scene_path && runfile_set_scene_path(p->rf, pp->scene_path) < 0) {
        sc_set_error("%s: %s", path, sc_last_error());
        goto fail;
    }
    p->sim = record_sim_create(p->rf, pp->classifier, pp->model_hash);
    if (!p->sim) {
        sc_set_error("%s: %s", path, sc_last_error());
        goto fail;
    }
    p->first = p->rf->header.start_tick;
    p->last = p->rf->end_tick;
    p->state_size = sim_state_size(p->sim);
    int max_in = replay_max_inputs_per_tick(p->rf);
    p->inputs = malloc((size_t)(max_in > 0 ? max_in : 1) * sizeof *p->inputs);
    uint8_t *start = malloc(p->state_size);
    if (!p->inputs || !start) {
        free(start);
        sc_set_error("%s: out of memory", path);
        goto fail;
    }
    sim_state_save(p->sim, start);
    const uint64_t total = p->last - p->first;

    /* Measure: a keyframe load and up to 100 ticks, then back to the start. */
    uint64_t probe = total < 100 ? total : 100;
    double t0 = wall_ms();
    for (uint64_t i = 0; i < probe; i++)
        step_sim(p);
    double t1 = wall_ms();
    if (sim_state_load(p->sim, start, p->state_size) < 0) {
        free(start);
        sc_set_error("%s: the start state does not reload (%s)", path, sc_last_error());
        goto fail;
    }
    double load_ms = wall_ms() - t1;
    double tick_ms = probe ? (t1 - t0) / (double)probe : 1.0;
    if (tick_ms < 1e-3)
        tick_ms = 1e-3;
    /* Spacing from the probe, halved: the probe may not be typical. After the pass, with the
     * mean tick cost of the whole run known, every m-th keyframe is kept. */
    double k = floor((target_ms - load_ms) / tick_ms / 2.0);
    uint64_t every = k < 1 ? 1 : (uint64_t)k;
    /* memory: at most budget / state_size keyframes */
    size_t max_kf = budget / (p->state_size ? p->state_size : 1);
    if (max_kf < 2)
        max_kf = 2;
    uint64_t min_every = total / (max_kf - 1) + 1;
    if (every < min_every)
        every = min_every;
    p->every = every;
    p->n_keyframes = (size_t)(total / every) + 1;
    p->keyframes = calloc(p->n_keyframes, sizeof *p->keyframes);
    if (!p->keyframes) {
        free(start);
        sc_set_error("%s: out of memory for %zu keyframes", path, p->n_keyframes);
        goto fail;
    }
    p->keyframes[0] = start;

    /* First pass: check hashes, keep keyframes. */
    size_t chk = 0;
    if (replay_check_tick(p->rf, &chk, p->sim, p->first, NULL, NULL))
        p->diverged = (int64_t)p->first;
    size_t in_cur = 0;
    double pass0 = wall_ms();
    for (uint64_t t = p->first + 1; t <= p->last; t++) {
        int n = replay_inputs_at(p->rf, &in_cur, t, p->inputs);
        sim_tick(p->sim, p->inputs, n);
        if (p->diverged < 0 && replay_check_tick(p->rf, &chk, p->sim, t, NULL, NULL))
            p->diverged = (int64_t)t;
        if ((t - p->first) % every == 0) {
            size_t j = (size_t)((t - p->first) / every);
            p->keyframes[j] = malloc(p->state_size);
            if (!p->keyframes[j]) {
                sc_set_error("%s: out of memory for keyframes", path);
                goto fail;
            }
            sim_state_save(p->sim, p->keyframes[j]);
        }
        if (pp->progress && (t - p->first) % 100 == 0 &&
            pp->progress(pp->user, t - p->first, total)) {
            sc_set_error("%s: cancelled while preparing the replay", path);
            goto fail;
        }
    }
    double pass_ms = wall_ms() - pass0;
    if (pp->progress)
        (void)pp->progress(pp->user, total, total);
    double mean_ms = total ? pass_ms / (double)total : tick_ms;
    if (mean_ms < 1e-3)
        mean_ms = 1e-3;
    double kk = floor((target_ms - load_ms) / mean_ms / (double)every);
    size_t m = kk < 1 ? 1 : (size_t)kk; /* keep every m-th keyframe */
    if (m > 1) {
        size_t w = 0;
        for (size_t j = 0; j < p->n_keyframes; j++) {
            if (j % m == 0)
                p->keyframes[w++] = p->keyframes[j];
            else
                free(p->keyframes[j]);
        }
        p->n_keyframes = w;
        p->every = every * m;
    }
    /* The finished log, for seeks (load_keyframe). */
    p->n_log = sim_fixation_count(p->sim);
    if (p->n_log > 0) {
        p->log = malloc(sizeof(*p->log) * (size_t)p->n_log);
        if (!p->log) {
            sc_set_error("%s: out of memory for the fixation log", path);
            goto fail;
        }
        for (int i = 0; i < p->n_log; i++)
            p->log[i] = *sim_fixation(p->sim, i);
    }
    /* Back to the start for playing. */
    if (load_keyframe(p, 0) < 0)
        goto fail;
    p->stats.keyframe_every_ticks = p->every;
    p->stats.keyframe_count = p->n_keyframes;
    p->stats.keyframe_bytes = p->n_keyframes * p->state_size;
    p->stats.tick_cost_ms = mean_ms;
    p->stats.load_ms = load_ms;
    p->stats.open_ms = wall_ms() - t_open;
    return p;
fail:
    player_close(&p);
    return NULL;
}

const Sim *player_sim(const Player *p)
{
    return p->sim;
}
const RunFile *player_run(const Player *p)
{
    return p->rf;
}
uint64_t player_first_tick(const Player *p)
{
    return p->first;
}
uint64_t player_length_ticks(const Player *p)
{
    return p->last;
}
uint64_t player_tick(const Player *p)
{
    return sim_tick_count(p->sim);
}
double player_tick_ms(const Player *p)
{
    return p->rf->header.tick_ms;
}

int player_seek(Player *p, uint64_t tick)
{
    if (tick < p->first)
        tick = p->first;
    if (tick > p->last)
        tick = p->last;
    uint64_t now = sim_tick_count(p->sim);
    if (tick == now)
        return 0;
    size_t j = (size_t)((tick - p->first) / p->every);
    uint64_t kf_tick = p->first + (uint64_t)j * p->every;
    /* Step forward from here when that is no further than from the keyframe. */
    if (!(tick > now && now >= kf_tick)) {
        if (load_keyframe(p, j) < 0)
            return -1;
    }
    while (sim_tick_count(p->sim) < tick)
        step_sim(p);
    return 0;
}

int player_step(Player *p)
{
    if (sim_tick_count(p->sim) >= p->last)
        return 1;
    step_sim(p);
    return 0;
}

int player_fixation_count(const Player *p)
{
    return (int)p->rf->n_fixations;
}

const RunFixation *player_fixation(const Player *p, int i)
{
    return i >= 0 ? runfile_fixation(p->rf, (size_t)i) : NULL;
}

const char *player_torn_note(const Player *p)
{
    return p->rf->torn_note[0] ? p->rf->torn_note : NULL;
}

int64_t player_diverged_tick(const Player *p)
{
    return p->diverged;
}

void player_stats(const Player *p, PlayerStats *out)
{
    *out = p->stats;
}

void player_set_profile(Player *p, SimProfile *prof)
{
    sim_set_profile(p->sim, prof);
}

void player_set_motion_directions(Player *p, int on)
{
    sim_set_motion_directions(p->sim, on);
}

int player_max_inputs_per_tick(const RunFile *rf)
{
    return replay_max_inputs_per_tick(rf);
}

int player_inputs_at(const RunFile *rf, size_t *cursor, uint64_t tick, SimInput *buf, int cap)
{
    if (cap < replay_max_inputs_per_tick(rf))
        return 0;
    return replay_inputs_at(rf, cursor, tick, buf);
}
