/* sample_run.h: builds small run files in memory with the format layer (no Sim), for the
 * format tests, the v1 fixture and the fuzz seed corpus. Header-only, static functions. */
#ifndef SACCADE_TESTS_SAMPLE_RUN_H
#define SACCADE_TESTS_SAMPLE_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record.h"

typedef struct SampleRun {
    uint8_t *bytes;
    size_t n;
    RunEvent *events; /* what was written, in order */
    size_t n_events;
    uint64_t end_tick;
} SampleRun;

static inline void sample_header(RunHeader *h, int with_state)
{
    memset(h, 0, sizeof *h);
    strcpy(h->program_version, "0.1.0-test");
    h->config_hash = 0x1122334455667788ull;
    h->model_hash = 0;
    h->seed = 42;
    h->tick_ms = 10.0;
    h->px_per_deg = 32.0f;
    h->auto_saccades = 1;
    h->classify_stop_confidence = 0.97f;
    h->fovea_size = 28;
    h->ior_radius_deg = 1.5f;
    h->ior_decay_ms = 4000.0f;
    h->fix_mean_ms = 300.0f;
    h->saliency_method = 1;
    h->pursuit = 1;
    h->scene.kind = SCENE_DIGITS;
    h->world_w = 1280;
    h->world_h = 720;
    if (with_state) {
        static uint8_t state[300];
        for (size_t i = 0; i < sizeof state; i++)
            state[i] = (uint8_t)(i * 7 + 3);
        h->start_tick = 50;
        h->state_size = sizeof state;
        h->start_state = state;
    }
}

static inline RunEvent sample_event(uint64_t tick, int k)
{
    RunEvent e;
    memset(&e, 0, sizeof e);
    e.tick = tick;
    switch (k % 3) {
    case 0:
        e.type = RUN_EV_STATE_HASH;
        e.u.state_hash = 0x9e3779b97f4a7c15ull * (tick + 1);
        break;
    case 1:
        e.type = RUN_EV_INPUT;
        e.u.input.type = SIM_INPUT_SACCADE_BY_DEG;
        e.u.input.a = 1.5f * (float)k;
        e.u.input.b = -0.25f;
        break;
    default: {
        e.type = RUN_EV_FIXATION;
        RunFixation *f = &e.u.fixation;
        f->start_ms = (double)tick * 10.0 - 250.0;
        f->end_ms = (double)tick * 10.0;
        f->x = 100.0f + (float)k;
        f->y = 200.5f;
        f->amplitude_deg = 3.25f;
        f->saccade_ms = 28.15f;
        f->peak_velocity_deg_s = 216.0f;
        f->object = k % 5 - 1;
        f->corrective = (uint8_t)(k & 1);
        f->manual = 0;
        f->label = k % 11 - 1;
        f->confidence = 0.5f + 0.01f * (float)(k % 40);
        if (f->label >= 0)
            f->label_name[0] = (char)('0' + f->label % 10);
        break;
    }
    }
    return e;
}

/* Appends e to the chunk payload (at *pn, counted in *ne) and to s->events. 0 if it does not fit.
 */
static inline int sample_add_event(SampleRun *s, RunEvent e, uint8_t *payload, size_t cap,
                                   size_t *pn, uint32_t *ne)
{
    size_t w = run_event_encode(&e, payload + *pn, cap - *pn);
    if (!w)
        return 0;
    *pn += w;
    (*ne)++;
    s->events[s->n_events++] = e;
    return 1;
}

/* n_chunks chunks of ticks_per_chunk ticks, ~events_per_chunk events each, optionally an END
 * event. version: RUN_FORMAT_V1 or later. Returns 0 or -1. */
static inline int sample_build(SampleRun *s, uint32_t version, int n_chunks, int ticks_per_chunk,
                               int events_per_chunk, int compress, int with_state, int with_end)
{
    memset(s, 0, sizeof *s);
    RunHeader h;
    sample_header(&h, with_state);
    size_t cap =
        4096 + (size_t)n_chunks * (64 + (size_t)(events_per_chunk + 2) * RUN_EVENT_MAX_SIZE);
    s->bytes = malloc(cap);
    s->events = calloc((size_t)n_chunks * (events_per_chunk + 2) + 2, sizeof *s->events);
    size_t payload_cap = (size_t)(events_per_chunk + 2) * RUN_EVENT_MAX_SIZE;
    uint8_t *payload = malloc(payload_cap);
    uint8_t *scratch = malloc(run_chunk_bound(payload_cap));
    if (!s->bytes || !s->events || !payload || !scratch)
        goto fail;
    s->n = run_header_encode(&h, version, s->bytes, cap);
    if (!s->n)
        goto fail;
    uint64_t first = h.start_tick;
    int k = 0;
    for (int c = 0; c < n_chunks; c++) {
        uint64_t end = first + (uint64_t)ticks_per_chunk - 1;
        size_t pn = 0;
        uint32_t ne = 0;
        for (int i = 0; i < events_per_chunk; i++) {
            uint64_t t = first + (uint64_t)((i * ticks_per_chunk) /
                                            (events_per_chunk ? events_per_chunk : 1));
            if (!sample_add_event(s, sample_event(t, k++), payload, payload_cap, &pn, &ne))
                goto fail;
        }
        if (with_end && c == n_chunks - 1) {
            RunEvent e;
            memset(&e, 0, sizeof e);
            e.type = RUN_EV_END;
            e.tick = end;
            e.u.final_hash = 0xabcdefull;
            if (!sample_add_event(s, e, payload, payload_cap, &pn, &ne))
                goto fail;
        }
        size_t w = run_chunk_encode(version, first, end, ne, payload, pn, compress, scratch,
                                    s->bytes + s->n, cap - s->n);
        if (!w)
            goto fail;
        s->n += w;
        s->end_tick = end;
        first = end + 1;
    }
    free(payload);
    free(scratch);
    return 0;
fail:
    free(payload);
    free(scratch);
    free(s->bytes);
    free(s->events);
    memset(s, 0, sizeof *s);
    return -1;
}

static inline void sample_free(SampleRun *s)
{
    free(s->bytes);
    free(s->events);
    memset(s, 0, sizeof *s);
}

/* Re-encodes rf's events into a single-chunk file, with input k's `a` changed. */
static inline int sample_write_tampered(const RunFile *rf, const char *path, size_t input_k,
                                        uint64_t *tick)
{
    size_t cap = rf->n_events * RUN_EVENT_MAX_SIZE + 1;
    uint8_t *payload = malloc(cap), *scratch = malloc(run_chunk_bound(cap));
    uint8_t *out = malloc(cap + 4096 + run_chunk_bound(rf->header.state_size + cap));
    size_t n = 0, k = 0;
    int rc = -1;
    if (!payload || !scratch || !out)
        goto done;
    for (size_t i = 0; i < rf->n_events; i++) {
        RunEvent e = rf->events[i];
        if (e.type == RUN_EV_INPUT && k++ == input_k && e.u.input.type != SIM_INPUT_SET_AUTO) {
            /* both axes: a step along one may be clamped at the world's edge */
            e.u.input.a += 1.0f;
            e.u.input.b += 1.0f;
            *tick = e.tick;
        }
        n += run_event_encode(&e, payload + n, cap - n);
    }
    size_t h =
        run_header_encode(&rf->header, RUN_FORMAT_VERSION, out, 4096 + rf->header.state_size * 2);
    size_t c = run_chunk_encode(RUN_FORMAT_VERSION, rf->header.start_tick, rf->end_tick,
                                (uint32_t)rf->n_events, payload, n, 1, scratch, out + h,
                                cap + run_chunk_bound(cap));
    FILE *f = fopen(path, "wb");
    if (h && c && f && fwrite(out, 1, h + c, f) == h + c)
        rc = 0;
    if (f)
        fclose(f);
done:
    free(payload);
    free(scratch);
    free(out);
    return rc;
}

/* Scripted manual inputs for tick t (applied at its start): manual mode from tick 150 of every
 * 1000, steps in degrees every 60 ticks, one saccade to a point, auto again at 600. Shared by
 * the record tests and the tool that makes the example runs. */
static inline int scripted_inputs(uint64_t t, SimInput *in)
{
    int n = 0;
    if (t % 1000 == 150)
        in[n++] = (SimInput){SIM_INPUT_SET_AUTO, 0, 0};
    if (t % 1000 >= 150 && t % 1000 < 600 && t % 60 == 0)
        in[n++] = (SimInput){SIM_INPUT_SACCADE_BY_DEG, (float)((int)(t / 60 % 7) - 3),
                             (float)((int)(t / 60 % 5) - 2)};
    if (t % 1000 == 400)
        in[n++] = (SimInput){SIM_INPUT_SACCADE_TO_PX, 300.0f + (float)(t % 500), 200.0f};
    if (t % 1000 == 600)
        in[n++] = (SimInput){SIM_INPUT_SET_AUTO, 1, 0};
    return n;
}

#endif
