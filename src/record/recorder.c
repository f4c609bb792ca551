/* recorder.c: records a live Sim into a run file without blocking the loop.
 *
 * The caller's thread encodes each tick's events into the current slot of a ring of
 * preallocated chunk buffers (no allocation, no I/O). Every RUN_FLUSH_EVERY_S simulated
 * seconds, or when the slot is half full, the slot is sealed and handed to a writer thread,
 * which deflates it, adds the chunk header and CRC, writes it and fflushes. If the writer falls
 * behind by the whole ring the recording fails (recorder_tick returns -1) rather than making
 * the loop wait for the disk. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "core/log.h"
#include "core/output.h"
#include "record/record.h"

#define REC_SLOTS 16
#define REC_SLOT_CAP (64 * 1024)

typedef enum SlotState { SLOT_FREE = 0, SLOT_FILLING, SLOT_READY } SlotState;

typedef struct Slot {
    uint8_t *payload; /* REC_SLOT_CAP bytes */
    size_t n;
    uint32_t n_events;
    uint64_t first, end;
    SlotState state;
} Slot;

struct Recorder {
    char path[1024];
    FILE *f;
    pthread_t thread;
    int thread_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Slot slots[REC_SLOTS];
    int cur;           /* slot the caller fills */
    int next_out;      /* next slot the writer writes (FIFO = ring order) */
    int closing;       /* no more slots will come */
    int wait_for_disk; /* recorder_wait_for_disk: seal waits for a free slot */
    int failed;        /* writer error (message in err) */
    char err[1280];
    uint64_t flushed_tick;
    int header_written;
    RunHeader header; /* start_state owned here until the writer has written it */
    /* caller-side */
    uint64_t start_tick, last_tick;
    uint64_t hash_every, flush_every; /* ticks */
    uint64_t last_hash_tick;
    uint64_t last_hash;
    uint64_t first_fixation; /* fixations before this index were closed before recording */
    int finished;
    /* writer-side buffers */
    uint8_t *chunk;
    size_t chunk_cap;
    uint8_t *scratch;
};

static void *writer_main(void *arg)
{
    Recorder *r = arg;
    /* Header first: it may deflate a large start state, so it is done here, not in open. */
    size_t cap = 4096 + (r->header.state_size ? run_chunk_bound(r->header.state_size) : 0);
    uint8_t *hb = malloc(cap);
    size_t hn = hb ? run_header_encode(&r->header, r->header.version, hb, cap) : 0;
    int ok = hn && fwrite(hb, 1, hn, r->f) == hn && fflush(r->f) == 0;
    free(hb);
    free(r->header.start_state);
    r->header.start_state = NULL;
    pthread_mutex_lock(&r->mu);
    if (!ok) {
        r->failed = 1;
        snprintf(r->err, sizeof r->err, "%s: cannot write the run header", r->path);
    }
    r->header_written = 1;
    pthread_mutex_unlock(&r->mu);

    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->slots[r->next_out].state != SLOT_READY && !r->closing)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->slots[r->next_out].state != SLOT_READY) {
            pthread_mutex_unlock(&r->mu);
            break; /* closing and nothing left */
        }
        Slot *s = &r->slots[r->next_out];
        int failed = r->failed;
        pthread_mutex_unlock(&r->mu);

        if (!failed) {
            size_t n = run_chunk_encode(r->header.version, s->first, s->end, s->n_events,
                                        s->payload, s->n, 1, r->scratch, r->chunk, r->chunk_cap);
            if (!n || fwrite(r->chunk, 1, n, r->f) != n || fflush(r->f) != 0) {
                pthread_mutex_lock(&r->mu);
                r->failed = 1;
                snprintf(r->err, sizeof r->err, "%s: write failed: %s", r->path,
                         n ? strerror(errno) : "chunk too large");
                pthread_mutex_unlock(&r->mu);
            }
        }
        pthread_mutex_lock(&r->mu);
        if (!r->failed)
            r->flushed_tick = s->end;
        s->state = SLOT_FREE;
        s->n = 0;
        s->n_events = 0;
        r->next_out = (r->next_out + 1) % REC_SLOTS;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

/* mkdir of the parent folder if it is missing (one level: saved_runs/). */
static void recorder_free(Recorder *r)
{
    for (int i = 0; i < REC_SLOTS; i++)
        free(r->slots[i].payload);
    free(r->chunk);
    free(r->scratch);
    free(r->header.start_state);
    if (r->f)
        fclose(r->f);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}

Recorder *recorder_open(const char *path, const Sim *sim, uint64_t model_hash)
{
    Recorder *r = calloc(1, sizeof *r);
    if (!r) {
        sc_set_error("%s: out of memory", path);
        return NULL;
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->chunk_cap = 64 + run_chunk_bound(REC_SLOT_CAP);
    r->chunk = malloc(r->chunk_cap);
    r->scratch = malloc(run_chunk_bound(REC_SLOT_CAP));
    int ok = r->chunk && r->scratch;
    for (int i = 0; i < REC_SLOTS && ok; i++)
        ok = (r->slots[i].payload = malloc(REC_SLOT_CAP)) != NULL;
    if (!ok) {
        sc_set_error("%s: out of memory for the recorder", path);
        recorder_free(r);
        return NULL;
    }
    if (run_header_from_sim(&r->header, sim, model_hash) < 0) {
        recorder_free(r);
        return NULL;
    }
    /* Regular files only, no folder created, the scene file is not overwritten, and a second
     * writer of the same file fails here at once (exclusive lock). */
    const char *inputs[] = {r->header.scene.path};
    r->f = output_open_locked(path, inputs, 1);
    if (!r->f) {
        recorder_free(r);
        return NULL;
    }
    const double tick_ms = r->header.tick_ms;
    r->hash_every = (uint64_t)fmax(1.0, floor(RUN_HASH_EVERY_S * 1000.0 / tick_ms));
    r->flush_every = (uint64_t)fmax(1.0, floor(RUN_FLUSH_EVERY_S * 1000.0 / tick_ms));
    r->start_tick = r->last_tick = sim_tick_count(sim);
    r->first_fixation = (uint64_t)sim_fixation_count(sim);
    if (r->first_fixation > 0 && sim_fixation(sim, (int)r->first_fixation - 1)->end_ms < 0)
        r->first_fixation--; /* the open one will close while recording */
    r->flushed_tick = r->start_tick;
    r->cur = 0;
    Slot *s = &r->slots[0];
    s->state = SLOT_FILLING;
    s->first = r->start_tick;
    /* the state at the start tick, so replay checks the sim it builds before any tick */
    RunEvent e;
    memset(&e, 0, sizeof e);
    e.type = RUN_EV_STATE_HASH;
    e.tick = r->start_tick;
    e.u.state_hash = r->last_hash = sim_state_hash(sim);
    r->last_hash_tick = r->start_tick;
    s->n = run_event_encode(&e, s->payload, REC_SLOT_CAP);
    s->n_events = 1;
    if (pthread_create(&r->thread, NULL, writer_main, r) != 0) {
        sc_set_error("%s: cannot start the writer thread", path);
        recorder_free(r);
        return NULL;
    }
    r->thread_started = 1;
    return r;
}

void recorder_wait_for_disk(Recorder *r, int wait)
{
    pthread_mutex_lock(&r->mu);
    r->wait_for_disk = wait != 0;
    pthread_mutex_unlock(&r->mu);
}

/* Hands the current slot (covering up to end) to the writer and takes the next one. */
static int seal(Recorder *r, uint64_t end)
{
    pthread_mutex_lock(&r->mu);
    Slot *s = &r->slots[r->cur];
    s->end = end;
    s->state = SLOT_READY;
    int next = (r->cur + 1) % REC_SLOTS;
    pthread_cond_broadcast(&r->cv);
    while (r->wait_for_disk && r->slots[next].state != SLOT_FREE) /* headless: never behind */
        pthread_cond_wait(&r->cv, &r->mu);
    int behind = r->slots[next].state != SLOT_FREE;
    if (!behind) {
        r->cur = next;
        r->slots[next].state = SLOT_FILLING;
        r->slots[next].first = end + 1;
        r->slots[next].n = 0;
        r->slots[next].n_events = 0;
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    if (behind) {
        r->cur = -1;
        sc_set_error("%s: recording stopped: the disk fell %d simulated seconds behind", r->path,
                     (int)(REC_SLOTS * RUN_FLUSH_EVERY_S));
        return -1;
    }
    return 0;
}

static int put_event(Recorder *r, const RunEvent *e)
{
    Slot *s = &r->slots[r->cur];
    size_t w = run_event_encode(e, s->payload + s->n, REC_SLOT_CAP - s->n);
    if (!w) {
        sc_set_error("%s: event does not fit its chunk", r->path);
        return -1;
    }
    s->n += w;
    s->n_events++;
    return 0;
}

static void fixation_event(const Sim *sim, int fi, uint64_t tick, RunEvent *e)
{
    const SimFixation *sf = sim_fixation(sim, fi);
    memset(e, 0, sizeof *e);
    e->tick = tick;
    e->type = RUN_EV_FIXATION;
    RunFixation *f = &e->u.fixation;
    f->start_ms = sf->start_ms;
    f->end_ms = sf->end_ms;
    f->x = sf->x;
    f->y = sf->y;
    f->amplitude_deg = sf->amplitude_deg;
    f->saccade_ms = sf->saccade_ms;
    f->peak_velocity_deg_s = sf->peak_velocity_deg_s;
    f->object = sf->object;
    f->corrective = (uint8_t)(sf->corrective != 0);
    f->manual = (uint8_t)(sf->manual != 0);
    f->label = sf->label;
    f->confidence = sf->confidence;
    const SimClassifier *cls = sim_classifier(sim);
    if (cls && cls->class_names && sf->label >= 0 && sf->label < cls->n_classes &&
        cls->class_names[sf->label])
        snprintf(f->label_name, sizeof f->label_name, "%s", cls->class_names[sf->label]);
}

int recorder_tick(Recorder *r, const Sim *sim, const SimInput *inputs, int n)
{
    if (r->cur < 0) {
        sc_set_error("%s: recording already stopped", r->path);
        return -1;
    }
    pthread_mutex_lock(&r->mu);
    int failed = r->failed;
    if (failed)
        sc_set_error("%s", r->err);
    pthread_mutex_unlock(&r->mu);
    if (failed)
        return -1;
    const uint64_t tick = sim_tick_count(sim);
    if (tick != r->last_tick + 1) {
        sc_set_error("%s: recorder_tick at tick %llu after tick %llu (one call per sim_tick)",
                     r->path, (unsigned long long)tick, (unsigned long long)r->last_tick);
        return -1;
    }
    if (tick - r->start_tick > RUN_MAX_TICKS) {
        sc_set_error("%s: the run reached the longest a recording holds (%llu ticks); the "
                     "recording ends here",
                     r->path, (unsigned long long)RUN_MAX_TICKS);
        return -1;
    }
    const size_t need = (size_t)(n > 0 ? n : 0) * 23 + 3 * RUN_EVENT_MAX_SIZE + 64;
    if (need > REC_SLOT_CAP / 2) {
        sc_set_error("%s: %d inputs in one tick is more than a recording takes", r->path, n);
        return -1;
    }
    Slot *s = &r->slots[r->cur];
    if (s->n + need > REC_SLOT_CAP && seal(r, tick - 1) < 0)
        return -1;

    RunEvent e;
    memset(&e, 0, sizeof e);
    e.tick = tick;
    e.type = RUN_EV_INPUT;
    for (int i = 0; i < n; i++) {
        e.u.input = (RunInput){inputs[i].type, inputs[i].a, inputs[i].b};
        if (put_event(r, &e) < 0)
            return -1;
    }
    /* a video scene's frame: on the first recorded tick and whenever it changed */
    uint64_t frame_no, frame_hash;
    if (scene_video_frame(sim_scene(sim), &frame_no, &frame_hash) &&
        (tick == r->start_tick + 1 || scene_dirty(sim_scene(sim)).x1 > 0)) {
        memset(&e, 0, sizeof e);
        e.tick = tick;
        e.type = RUN_EV_FRAME;
        e.u.frame.number = frame_no;
        e.u.frame.hash = frame_hash;
        if (put_event(r, &e) < 0)
            return -1;
    }
    int fi = sim_fixation_closed_this_tick(sim);
    if (fi >= 0) {
        fixation_event(sim, fi, tick, &e);
        if (put_event(r, &e) < 0)
            return -1;
    }
    if (tick - r->last_hash_tick >= r->hash_every) {
        memset(&e, 0, sizeof e);
        e.tick = tick;
        e.type = RUN_EV_STATE_HASH;
        e.u.state_hash = r->last_hash = sim_state_hash(sim);
        r->last_hash_tick = tick;
        if (put_event(r, &e) < 0)
            return -1;
    }
    r->last_tick = tick;
    if (tick + 1 - r->slots[r->cur].first >= r->flush_every && seal(r, tick) < 0)
        return -1;
    return 0;
}

int recorder_finish(Recorder *r, const Sim *sim)
{
    if (r->cur < 0 || sim_tick_count(sim) != r->last_tick || r->finished)
        return 0;
    r->finished = 1;
    RunEvent e;
    int nf = sim_fixation_count(sim);
    const SimFixation *last = nf > 0 ? sim_fixation(sim, nf - 1) : NULL;
    if (last && last->end_ms < 0 && (uint64_t)(nf - 1) >= r->first_fixation) {
        fixation_event(sim, nf - 1, r->last_tick, &e); /* open: end_ms < 0 */
        if (put_event(r, &e) < 0)
            return -1;
    }
    if (r->last_hash_tick == r->last_tick)
        return 0;
    memset(&e, 0, sizeof e);
    e.tick = r->last_tick;
    e.type = RUN_EV_STATE_HASH;
    e.u.state_hash = r->last_hash = sim_state_hash(sim);
    r->last_hash_tick = r->last_tick;
    return put_event(r, &e);
}

uint64_t recorder_flushed_tick(const Recorder *r)
{
    Recorder *m = (Recorder *)r; /* the mutex is not part of the observable state */
    pthread_mutex_lock(&m->mu);
    uint64_t t = m->flushed_tick;
    pthread_mutex_unlock(&m->mu);
    return t;
}

int recorder_close(Recorder **rp)
{
    if (!rp || !*rp)
        return 0;
    Recorder *r = *rp;
    *rp = NULL;
    int rc = 0;
    char err[1280] = "";
    if (r->cur >= 0) {
        RunEvent e;
        memset(&e, 0, sizeof e);
        e.tick = r->last_tick;
        e.type = RUN_EV_END;
        e.u.final_hash = r->last_hash_tick == r->last_tick ? r->last_hash : 0;
        if (put_event(r, &e) < 0 || seal(r, r->last_tick) < 0) {
            rc = -1;
            snprintf(err, sizeof err, "%s", sc_last_error());
        }
    } else {
        rc = -1;
        snprintf(err, sizeof err, "%s: recording was stopped early", r->path);
    }
    pthread_mutex_lock(&r->mu);
    r->closing = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    if (r->thread_started)
        pthread_join(r->thread, NULL);
    if (r->failed) {
        rc = -1;
        snprintf(err, sizeof err, "%s", r->err);
    }
    FILE *f = r->f;
    r->f = NULL;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        snprintf(err, sizeof err, "%s: close failed: %s", r->path, strerror(errno));
    }
    recorder_free(r);
    if (rc < 0)
        sc_set_error("%s", err);
    return rc;
}

int run_header_from_sim(RunHeader *h, const Sim *sim, uint64_t model_hash)
{
    memset(h, 0, sizeof *h);
    h->version = RUN_FORMAT_VERSION;
    snprintf(h->program_version, sizeof h->program_version, "%s", SACCADE_VERSION);
    const SimConfig *c = sim_config(sim);
    h->config_hash = sim_config_hash(c);
    h->model_hash = model_hash;
    h->seed = sim_seed(sim);
    h->tick_ms = c->tick_ms;
    h->px_per_deg = c->px_per_deg;
    h->auto_saccades = (uint8_t)(c->auto_saccades != 0);
    h->classify_stop_confidence = c->classify_stop_confidence;
    h->fovea_size = c->retina.fovea_size;
    h->ior_radius_deg = c->saliency.ior_radius_deg;
    h->ior_decay_ms = c->saliency.ior_decay_ms;
    h->fix_mean_ms = c->eye.fix_mean_ms;
    h->saliency_method = (uint8_t)c->saliency.method;
    h->pursuit = (uint8_t)(c->eye.pursuit != 0);
    h->goggles = (uint8_t)c->retina.flip;
    h->saccade_adapt_rate = c->saccade_adapt_rate;
    h->plasticity = (uint8_t)c->plasticity;
    h->plasticity_eta = c->plasticity ? c->plasticity_eta : 0.0f;
    /* the oldest format that holds the run: without plasticity, v5 as before v6 existed */
    if (!c->plasticity)
        h->version = RUN_FORMAT_V5;
    else
        h->version = RUN_FORMAT_V6;
    const Scene *scene = sim_scene(sim);
    h->scene = *scene_spec(scene);
    if (SCENE_KIND_NATURAL(h->scene.kind)) /* v7 holds its font size */
        h->version = RUN_FORMAT_V7;
    h->scene_content_hash = scene_content_hash(scene);
    h->world_w = scene_world(scene)->w;
    h->world_h = scene_world(scene)->h;
    h->start_tick = sim_tick_count(sim);
    if (h->start_tick > 0) {
        size_t n = sim_state_size(sim);
        if (n == 0 || n > RUN_MAX_STATE_SIZE) {
            sc_set_error("record: sim state of %zu bytes cannot be recorded", n);
            return -1;
        }
        h->start_state = malloc(n);
        if (!h->start_state) {
            sc_set_error("record: out of memory for the start state (%zu bytes)", n);
            return -1;
        }
        sim_state_save(sim, h->start_state);
        h->state_size = (uint32_t)n;
    }
    return 0;
}

char *record_default_name(char *buf, size_t n, const char *scene)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    const char *base = scene ? scene : "run";
    const char *slash = strrchr(base, '/');
    if (slash)
        base = slash + 1;
    char name[64];
    size_t k = 0;
    for (const char *p = base; *p && *p != '.' && k < sizeof name - 1; p++) {
        char ch = *p;
        int okc = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        name[k++] = okc ? ch : '_';
    }
    if (k == 0)
        name[k++] = 'x';
    name[k] = '\0';
    int w = snprintf(buf, n, "saved_runs/%s-%s.run", stamp, name);
    return (w < 0 || (size_t)w >= n) ? NULL : buf;
}
