/* runfile.c: the run file format (see runfile.h for the layout): encoders and the reader.
 * The one place that knows the byte layout. No Sim is needed here: the format layer sits
 * below the simulation (meson.build, "The layers"). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "classifier/classifier.h"
#include "core/file.h"
#include "core/log.h"
#include "core/utf8.h"
#include "eye/eye.h"
#include "runfile/runfile.h"
#include "saliency/saliency.h"

/* ---- little-endian writer into a bounded buffer ---- */

typedef struct Out {
    uint8_t *p;
    size_t n, cap;
    int overflow;
} Out;

static void out_bytes(Out *o, const void *src, size_t n)
{
    if (o->overflow || n > o->cap - o->n) {
        o->overflow = 1;
        return;
    }
    if (n)
        memcpy(o->p + o->n, src, n);
    o->n += n;
}

static void out_u8(Out *o, uint8_t v)
{
    out_bytes(o, &v, 1);
}

/* the low n bytes of v, least significant first */
static void out_le(Out *o, uint64_t v, int n)
{
    uint8_t b[8];
    for (int i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    out_bytes(o, b, (size_t)n);
}

static void out_u16(Out *o, uint16_t v)
{
    out_le(o, v, 2);
}

static void out_u32(Out *o, uint32_t v)
{
    out_le(o, v, 4);
}

static void out_u64(Out *o, uint64_t v)
{
    out_le(o, v, 8);
}

static void out_f32(Out *o, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    out_u32(o, u);
}

static void out_f64(Out *o, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    out_u64(o, u);
}

static void out_str(Out *o, const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    out_u16(o, (uint16_t)n);
    out_bytes(o, s, n);
}

/* ---- little-endian reader over a bounded buffer ---- */

typedef struct In {
    const uint8_t *p;
    size_t n, pos;
    int short_read; /* ran past the end */
} In;

static const uint8_t *in_take(In *in, size_t n)
{
    if (in->short_read || n > in->n - in->pos) {
        in->short_read = 1;
        return NULL;
    }
    const uint8_t *r = in->p + in->pos;
    in->pos += n;
    return r;
}

static uint8_t in_u8(In *in)
{
    const uint8_t *b = in_take(in, 1);
    return b ? b[0] : 0;
}

/* n bytes, least significant first (0 past the end) */
static uint64_t in_le(In *in, int n)
{
    const uint8_t *b = in_take(in, (size_t)n);
    uint64_t v = 0;
    for (int i = n - 1; b && i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

static uint16_t in_u16(In *in)
{
    return (uint16_t)in_le(in, 2);
}

static uint32_t in_u32(In *in)
{
    return (uint32_t)in_le(in, 4);
}

static uint64_t in_u64(In *in)
{
    return in_le(in, 8);
}

static float in_f32(In *in)
{
    uint32_t u = in_u32(in);
    float v;
    memcpy(&v, &u, 4);
    return v;
}

static double in_f64(In *in)
{
    uint64_t u = in_u64(in);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* Reads a string into dst (cut to cap-1 bytes, NUL-terminated, stopping at a NUL byte). Text
 * from a file is made valid UTF-8 (invalid bytes, and a sequence cut by the limit, become
 * '?'), so it can go into JSON and the window as is. */
static void in_str(In *in, char *dst, size_t cap)
{
    uint16_t n = in_u16(in);
    const uint8_t *b = in_take(in, n);
    size_t k = 0;
    if (b) {
        k = n < cap - 1 ? n : cap - 1;
        memcpy(dst, b, k);
    }
    dst[k] = '\0';
    utf8_fix(dst);
}

/* ---- encoders ---- */

size_t run_header_encode(const RunHeader *h, uint32_t version, uint8_t *buf, size_t cap)
{
    if (version < RUN_FORMAT_OLDEST || version > RUN_FORMAT_VERSION)
        return 0;
    if (h->state_size > RUN_MAX_STATE_SIZE || (h->state_size && !h->start_state))
        return 0;
    Out o = {buf, 0, cap, 0};
    out_bytes(&o, RUN_MAGIC, 8);
    out_u32(&o, version);
    out_str(&o, h->program_version, sizeof h->program_version - 1);
    out_u64(&o, h->config_hash);
    out_u64(&o, h->model_hash);
    out_u64(&o, h->seed);
    out_f64(&o, h->tick_ms);
    out_f32(&o, h->px_per_deg);
    out_u8(&o, h->auto_saccades ? 1 : 0);
    out_f32(&o, h->classify_stop_confidence);
    if (version >= RUN_FORMAT_V3) {
        out_u32(&o, (uint32_t)h->fovea_size);
        out_f32(&o, h->ior_radius_deg);
        out_f32(&o, h->ior_decay_ms);
        out_f32(&o, h->fix_mean_ms);
        out_u8(&o, h->saliency_method);
    }
    if (version >= RUN_FORMAT_V4)
        out_u8(&o, h->pursuit ? 1 : 0);
    out_u32(&o, (uint32_t)h->scene.kind);
    out_u32(&o, (uint32_t)h->scene.width);
    out_u32(&o, (uint32_t)h->scene.height);
    out_u32(&o, (uint32_t)h->scene.objects);
    out_str(&o, h->scene.path, sizeof h->scene.path - 1);
    out_u64(&o, h->scene_content_hash);
    out_u32(&o, (uint32_t)h->world_w);
    out_u32(&o, (uint32_t)h->world_h);
    out_u64(&o, h->start_tick);
    out_u32(&o, h->state_size);
    if (h->state_size) {
        uLongf dn = compressBound(h->state_size);
        uint8_t *z = malloc(dn);
        if (!z || compress2(z, &dn, h->start_state, h->state_size, Z_BEST_SPEED) != Z_OK ||
            dn > UINT32_MAX) {
            free(z);
            return 0;
        }
        out_u32(&o, (uint32_t)dn);
        out_bytes(&o, z, dn);
        free(z);
    } else {
        out_u32(&o, 0);
    }
    if (version >= RUN_FORMAT_V5) {
        out_u8(&o, h->goggles);
        out_f32(&o, h->saccade_adapt_rate);
    }
    if (version >= RUN_FORMAT_V6) {
        out_u8(&o, h->plasticity);
        out_f32(&o, h->plasticity_eta);
    }
    if (version >= RUN_FORMAT_V7)
        out_u32(&o, (uint32_t)h->scene.text_px);
    if (o.overflow)
        return 0;
    out_u32(&o, (uint32_t)crc32(0L, buf, (uInt)o.n));
    return o.overflow ? 0 : o.n;
}

size_t run_event_encode(const RunEvent *e, uint8_t *buf, size_t cap)
{
    uint8_t body[RUN_EVENT_MAX_SIZE];
    Out b = {body, 0, sizeof body, 0};
    switch (e->type) {
    case RUN_EV_INPUT:
        out_u32(&b, e->u.input.type);
        out_f32(&b, e->u.input.a);
        out_f32(&b, e->u.input.b);
        break;
    case RUN_EV_STATE_HASH: out_u64(&b, e->u.state_hash); break;
    case RUN_EV_END: out_u64(&b, e->u.final_hash); break;
    case RUN_EV_FRAME:
        out_u64(&b, e->u.frame.number);
        out_u64(&b, e->u.frame.hash);
        break;
    case RUN_EV_FIXATION: {
        const RunFixation *f = &e->u.fixation;
        out_f64(&b, f->start_ms);
        out_f64(&b, f->end_ms);
        out_f32(&b, f->x);
        out_f32(&b, f->y);
        out_f32(&b, f->amplitude_deg);
        out_f32(&b, f->saccade_ms);
        out_f32(&b, f->peak_velocity_deg_s);
        out_u32(&b, (uint32_t)f->object);
        out_u8(&b, f->corrective);
        out_u8(&b, f->manual);
        out_u32(&b, (uint32_t)f->label);
        out_f32(&b, f->confidence);
        out_str(&b, f->label_name, RUN_LABEL_MAX);
        break;
    }
    default: return 0;
    }
    Out o = {buf, 0, cap, 0};
    out_u8(&o, (uint8_t)e->type);
    out_u64(&o, e->tick);
    out_u16(&o, (uint16_t)b.n);
    out_bytes(&o, body, b.n);
    return (o.overflow || b.overflow) ? 0 : o.n;
}

size_t run_chunk_bound(size_t payload_n)
{
    return compressBound((uLong)payload_n);
}

size_t run_chunk_encode(uint32_t version, uint64_t first_tick, uint64_t end_tick, uint32_t n_events,
                        const uint8_t *payload, size_t payload_n, int compress, uint8_t *scratch,
                        uint8_t *buf, size_t cap)
{
    if (version < RUN_FORMAT_OLDEST || version > RUN_FORMAT_VERSION ||
        payload_n > RUN_MAX_CHUNK_PAYLOAD || end_tick < first_tick)
        return 0;
    const uint8_t *stored = payload;
    size_t stored_n = payload_n;
    uint32_t flags = 0;
    if (version >= RUN_FORMAT_V2 && compress && payload_n > 64) {
        uLongf zn = compressBound((uLong)payload_n);
        if (compress2(scratch, &zn, payload, (uLong)payload_n, Z_BEST_SPEED) == Z_OK &&
            zn < payload_n) {
            stored = scratch;
            stored_n = zn;
            flags |= RUN_CHUNK_DEFLATE;
        }
    }
    Out o = {buf, 0, cap, 0};
    out_bytes(&o, RUN_CHUNK_MAGIC, 4);
    if (version >= RUN_FORMAT_V2)
        out_u32(&o, flags);
    out_u64(&o, first_tick);
    out_u64(&o, end_tick);
    out_u32(&o, n_events);
    out_u32(&o, (uint32_t)payload_n);
    if (version >= RUN_FORMAT_V2)
        out_u32(&o, (uint32_t)stored_n);
    out_bytes(&o, stored, stored_n);
    if (o.overflow)
        return 0;
    out_u32(&o, (uint32_t)crc32(0L, buf, (uInt)o.n));
    return o.overflow ? 0 : o.n;
}

/* ---- reader ---- */

/* The fuzz build (tests/fuzz/run.sh nocrc) accepts any CRC so that the fuzzer reaches the
 * parsing behind it; every other build checks it. */
static int crc_ok(uint32_t stored, const uint8_t *p, size_t n)
{
#ifdef RUNFILE_FUZZ_IGNORE_CRC
    (void)stored, (void)p, (void)n;
    return 1;
#else
    return stored == (uint32_t)crc32(0L, p, (uInt)n);
#endif
}

/* Parses the events of one chunk payload, appending to rf->events. Returns 0 or -1. */
static int parse_events(RunFile *rf, const uint8_t *p, size_t n, uint32_t n_events,
                        uint64_t first_tick, uint64_t end_tick, const char *name, size_t at,
                        size_t max_events)
{
    In in = {p, n, 0, 0};
    uint64_t prev = first_tick;
    for (uint32_t i = 0; i < n_events; i++) {
        if (rf->complete) {
            sc_set_error("%s: chunk at byte %zu: events after the end event", name, at);
            return -1;
        }
        uint8_t type = in_u8(&in);
        uint64_t tick = in_u64(&in);
        uint16_t len = in_u16(&in);
        const uint8_t *body = in_take(&in, len);
        if (!body) {
            sc_set_error("%s: chunk at byte %zu: event %u runs past its chunk", name, at, i);
            return -1;
        }
        if (tick < prev || tick > end_tick) {
            sc_set_error("%s: chunk at byte %zu: event %u has tick %llu outside %llu..%llu", name,
                         at, i, (unsigned long long)tick, (unsigned long long)prev,
                         (unsigned long long)end_tick);
            return -1;
        }
        prev = tick;
        if (rf->n_events == rf->cap_events) {
            /* grown with the events actually read, not with what a header claims */
            size_t ncap = rf->cap_events ? rf->cap_events * 2 : 256;
            if (rf->n_events >= RUN_MAX_EVENTS || rf->n_events >= max_events) {
                sc_set_error("%s: more than %zu events (%u bytes of memory per byte of the "
                             "file at most)",
                             name, rf->n_events, (unsigned)RUN_MAX_MEMORY_RATIO);
                return -1;
            }
            if (ncap > max_events)
                ncap = max_events;
            RunEvent *ne = realloc(rf->events, ncap * sizeof *ne);
            if (!ne) {
                sc_set_error("%s: out of memory for %zu events", name, ncap);
                return -1;
            }
            rf->events = ne;
            rf->cap_events = ncap;
        }
        RunEvent *e = &rf->events[rf->n_events];
        memset(e, 0, sizeof *e);
        e->tick = tick;
        e->type = type;
        In b = {body, len, 0, 0};
        size_t need = 0;
        switch (type) {
        case RUN_EV_INPUT:
            need = 12;
            e->u.input.type = in_u32(&b);
            e->u.input.a = in_f32(&b);
            e->u.input.b = in_f32(&b);
            break;
        case RUN_EV_STATE_HASH:
            need = 8;
            e->u.state_hash = in_u64(&b);
            break;
        case RUN_EV_END:
            need = 8;
            e->u.final_hash = in_u64(&b);
            break;
        case RUN_EV_FRAME:
            need = 16;
            e->u.frame.number = in_u64(&b);
            e->u.frame.hash = in_u64(&b);
            break;
        case RUN_EV_FIXATION: {
            RunFixation *f = &e->u.fixation;
            f->start_ms = in_f64(&b);
            f->end_ms = in_f64(&b);
            f->x = in_f32(&b);
            f->y = in_f32(&b);
            f->amplitude_deg = in_f32(&b);
            f->saccade_ms = in_f32(&b);
            f->peak_velocity_deg_s = in_f32(&b);
            f->object = (int32_t)in_u32(&b);
            f->corrective = in_u8(&b);
            f->manual = in_u8(&b);
            f->label = (int32_t)in_u32(&b);
            f->confidence = in_f32(&b);
            in_str(&b, f->label_name, sizeof f->label_name);
            need = b.pos;
            if (!isfinite(f->start_ms) || !isfinite(f->end_ms) || !isfinite(f->x) ||
                !isfinite(f->y) || !isfinite(f->amplitude_deg) || !isfinite(f->saccade_ms) ||
                !isfinite(f->peak_velocity_deg_s) ||
                !(f->confidence >= 0.0f && f->confidence <= 1.0f) || f->object < -1 ||
                f->label < -1 || f->corrective > 1 || f->manual > 1) {
                sc_set_error("%s: chunk at byte %zu: event %u: fixation record out of range", name,
                             at, i);
                return -1;
            }
            break;
        }
        default: continue; /* unknown event type: skipped by its length */
        }
        if (b.short_read || b.pos != len || len < need) {
            sc_set_error("%s: chunk at byte %zu: event %u (type %u) has a bad length %u", name, at,
                         i, type, len);
            return -1;
        }
        if (type == RUN_EV_END) {
            if (rf->complete) {
                sc_set_error("%s: chunk at byte %zu: second end event", name, at);
                return -1;
            }
            rf->complete = 1;
        }
        if (type == RUN_EV_FIXATION)
            rf->n_fixations++;
        if (type == RUN_EV_STATE_HASH)
            rf->n_hashes++;
        rf->n_events++;
    }
    if (in.pos != n) {
        sc_set_error("%s: chunk at byte %zu: %zu bytes after its last event", name, at, n - in.pos);
        return -1;
    }
    return 0;
}

void runfile_free(RunFile **rf)
{
    if (!rf || !*rf)
        return;
    free((*rf)->events);
    free((*rf)->fixations);
    free((*rf)->header.start_state);
    free(*rf);
    *rf = NULL;
}

/* Parses the header. Returns 0, or -1 (error set). */
static int parse_header(RunFile *rf, In *in, const char *name)
{
    RunHeader *h = &rf->header;
    const uint8_t *magic = in_take(in, 8);
    if (!magic || memcmp(magic, RUN_MAGIC, 8)) {
        sc_set_error("%s: not a saccade run file (%s)", name, magic ? "bad magic" : "too short");
        return -1;
    }
    h->version = in_u32(in);
    if (in->short_read) {
        sc_set_error("%s: truncated header", name);
        return -1;
    }
    if (h->version > RUN_FORMAT_VERSION) {
        sc_set_error("%s: run file format version %u is newer than this build's version %u "
                     "(upgrade saccade to read it)",
                     name, h->version, RUN_FORMAT_VERSION);
        return -1;
    }
    if (h->version < RUN_FORMAT_OLDEST) {
        sc_set_error("%s: run file format version %u is older than the oldest this build reads "
                     "(%u)",
                     name, h->version, RUN_FORMAT_OLDEST);
        return -1;
    }
    in_str(in, h->program_version, sizeof h->program_version);
    h->config_hash = in_u64(in);
    h->model_hash = in_u64(in);
    h->seed = in_u64(in);
    h->tick_ms = in_f64(in);
    h->px_per_deg = in_f32(in);
    h->auto_saccades = in_u8(in);
    h->classify_stop_confidence = in_f32(in);
    if (h->version >= RUN_FORMAT_V3) {
        h->fovea_size = (int32_t)in_u32(in);
        h->ior_radius_deg = in_f32(in);
        h->ior_decay_ms = in_f32(in);
        h->fix_mean_ms = in_f32(in);
        h->saliency_method = in_u8(in);
        /* the ranges live's options allow (retina.h, saliency.h, eye.h): what the stages are
         * built for */
        if (!in->short_read &&
            (h->fovea_size < RETINA_FOVEA_MIN || h->fovea_size > RETINA_FOVEA_MAX ||
             !(h->ior_radius_deg > 0) || !(h->ior_radius_deg <= SALIENCY_IOR_RADIUS_MAX_DEG) ||
             !(h->ior_decay_ms > 0) || !(h->ior_decay_ms <= SALIENCY_IOR_DECAY_MAX_MS) ||
             !(h->fix_mean_ms > 0) || !(h->fix_mean_ms <= EYE_FIX_MEAN_MAX_MS) ||
             h->saliency_method > 1)) {
            sc_set_error("%s: header parameters out of range (fovea %d px, IOR radius %g deg, "
                         "IOR decay %g ms, mean fixation %g ms, saliency %u)",
                         name, h->fovea_size, (double)h->ior_radius_deg, (double)h->ior_decay_ms,
                         (double)h->fix_mean_ms, h->saliency_method);
            return -1;
        }
    } else {
        /* v1/v2 files did not store these: they mean the stages' defaults (sim_config_default
         * takes the same ones) */
        RetinaParams rp;
        SaliencyParams sp;
        EyeParams ep;
        retina_params_default(&rp);
        saliency_params_default(&sp);
        eye_params_default(&ep);
        h->fovea_size = rp.fovea_size;
        h->ior_radius_deg = sp.ior_radius_deg;
        h->ior_decay_ms = sp.ior_decay_ms;
        h->fix_mean_ms = ep.fix_mean_ms;
        h->saliency_method = (uint8_t)sp.method;
    }
    h->pursuit = 0; /* files before v4 were written by builds without pursuit */
    if (h->version >= RUN_FORMAT_V4) {
        h->pursuit = in_u8(in);
        if (!in->short_read && h->pursuit > 1) {
            sc_set_error("%s: header pursuit flag %u is neither 0 nor 1", name, h->pursuit);
            return -1;
        }
    }
    uint32_t kind = in_u32(in);
    h->scene.kind = (SceneKind)kind;
    h->scene.width = (int32_t)in_u32(in);
    h->scene.height = (int32_t)in_u32(in);
    h->scene.objects = (int32_t)in_u32(in);
    uint16_t plen = in_u16(in);
    const uint8_t *path = in_take(in, plen);
    h->scene_content_hash = in_u64(in);
    h->world_w = (int32_t)in_u32(in);
    h->world_h = (int32_t)in_u32(in);
    h->start_tick = in_u64(in);
    h->state_size = in_u32(in);
    uint32_t stored = in_u32(in);
    const uint8_t *state = in_take(in, stored);
    h->goggles = 0; /* files before v5: no goggles, no adaptation */
    h->saccade_adapt_rate = 0.0f;
    if (h->version >= RUN_FORMAT_V5) {
        h->goggles = in_u8(in);
        h->saccade_adapt_rate = in_f32(in);
    }
    h->plasticity = 0; /* files before v6: no plasticity */
    h->plasticity_eta = 0.0f;
    if (h->version >= RUN_FORMAT_V6) {
        h->plasticity = in_u8(in);
        h->plasticity_eta = in_f32(in);
    }
    uint32_t text_px = 0; /* files before v7: no text scene */
    if (h->version >= RUN_FORMAT_V7)
        text_px = in_u32(in);
    size_t crc_n = in->pos;
    uint32_t crc = in_u32(in);
    if (in->short_read) {
        sc_set_error("%s: truncated header", name);
        return -1;
    }
    if (!crc_ok(crc, in->p, crc_n)) {
        sc_set_error("%s: corrupt header (CRC mismatch)", name);
        return -1;
    }
    /* The CRC matched: what follows are checks of a writer's bugs or a forged file. */
    if (plen >= sizeof h->scene.path) {
        sc_set_error("%s: scene path too long (%u bytes)", name, plen);
        return -1;
    }
    memcpy(h->scene.path, path, plen);
    h->scene.path[plen] = '\0';
    if (memchr(h->scene.path, '\0', plen)) {
        sc_set_error("%s: scene path contains a NUL byte", name);
        return -1;
    }
    if (h->goggles > (RETINA_FLIP_X | RETINA_FLIP_Y) ||
        !(h->saccade_adapt_rate >= 0.0f && h->saccade_adapt_rate <= 1.0f)) {
        sc_set_error("%s: header goggles %u or saccade adaptation rate %g out of range", name,
                     h->goggles, (double)h->saccade_adapt_rate);
        return -1;
    }
    if (h->plasticity > 2 ||
        (h->plasticity && !(h->plasticity_eta > 0.0f && h->plasticity_eta <= 1.0f)) ||
        (!h->plasticity && h->plasticity_eta != 0.0f)) {
        sc_set_error("%s: header V1 plasticity mode %u or rate %g out of range", name,
                     h->plasticity, (double)h->plasticity_eta);
        return -1;
    }
    if (kind >= SCENE_KIND_COUNT) {
        sc_set_error("%s: unknown scene kind %u", name, kind);
        return -1;
    }
    if (SCENE_KIND_NATURAL(kind) != (text_px != 0) ||
        (text_px && (text_px < SCENE_TEXT_PX_MIN || text_px > SCENE_TEXT_PX_MAX))) {
        sc_set_error("%s: text font size %u px does not fit scene kind %u", name, text_px, kind);
        return -1;
    }
    h->scene.text_px = (int)text_px;
    /* scene_step's work is bounded for steps up to SCENE_STEP_MAX_MS (this build writes 10) */
    if (!(h->tick_ms > 0.0 && h->tick_ms <= SCENE_STEP_MAX_MS)) {
        sc_set_error("%s: bad tick length %g ms (0..%g)", name, h->tick_ms, SCENE_STEP_MAX_MS);
        return -1;
    }
    if (h->auto_saccades > 1 ||
        !(h->classify_stop_confidence >= 0.0f && h->classify_stop_confidence <= 2.0f)) {
        sc_set_error("%s: bad auto-saccade flag or stop confidence", name);
        return -1;
    }
    if (h->scene.width < 0 || h->scene.width > IMAGE_MAX_SIDE || h->scene.height < 0 ||
        h->scene.height > IMAGE_MAX_SIDE || h->scene.objects < 0 ||
        h->scene.objects > SCENE_MAX_OBJECTS) {
        sc_set_error("%s: bad scene size or object count", name);
        return -1;
    }
    /* this build always makes 32; the stages' kernels are sized for a few times either way */
    if (!(h->px_per_deg >= 8.0f && h->px_per_deg <= 128.0f)) {
        sc_set_error("%s: bad px_per_deg %g (8..128)", name, (double)h->px_per_deg);
        return -1;
    }
    /* one rule for the world's size: --size, scene files, images and run files */
    if (h->world_w < SCENE_MIN_SIDE || h->world_h < SCENE_MIN_SIDE || h->world_w > IMAGE_MAX_SIDE ||
        h->world_h > IMAGE_MAX_SIDE) {
        sc_set_error("%s: bad world size %dx%d (each side %d..%d px)", name, h->world_w, h->world_h,
                     SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        return -1;
    }
    if ((h->scene.width || h->scene.height) &&
        (h->scene.width < SCENE_MIN_SIDE || h->scene.height < SCENE_MIN_SIDE)) {
        sc_set_error("%s: bad scene size %dx%d (each side %d..%d px)", name, h->scene.width,
                     h->scene.height, SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        return -1;
    }
    /* the classifiers read CLASSIFIER_SIDE^2 px: a classified run needs that fovea */
    if (h->model_hash && h->fovea_size != CLASSIFIER_SIDE) {
        sc_set_error("%s: a run with a classifier needs a %d px fovea, not %d px", name,
                     CLASSIFIER_SIDE, h->fovea_size);
        return -1;
    }
    if (h->start_tick > (1ull << 48)) {
        sc_set_error("%s: bad start tick %llu", name, (unsigned long long)h->start_tick);
        return -1;
    }
    if ((h->start_tick > 0) != (h->state_size > 0) || h->state_size > RUN_MAX_STATE_SIZE ||
        (h->state_size == 0) != (stored == 0) ||
        (uint64_t)h->state_size > (uint64_t)stored * 1032 + 1024) { /* deflate's largest ratio */
        sc_set_error("%s: bad start state (%u bytes at tick %llu)", name, h->state_size,
                     (unsigned long long)h->start_tick);
        return -1;
    }
    if (h->state_size) {
        h->start_state = malloc(h->state_size);
        if (!h->start_state) {
            sc_set_error("%s: out of memory for the start state (%u bytes)", name, h->state_size);
            return -1;
        }
        uLongf dn = h->state_size;
        if (uncompress(h->start_state, &dn, state, stored) != Z_OK || dn != h->state_size) {
            sc_set_error("%s: corrupt start state (does not inflate to %u bytes)", name,
                         h->state_size);
            return -1;
        }
    }
    return 0;
}

/* 1 if a well-formed chunk with a good CRC starts anywhere in [from, n): then a damaged
 * chunk before it is corruption, not a torn tail. The CRC work is bounded (a crafted file
 * full of chunk magics must not make the scan quadratic): past the budget, the answer is
 * "yes" (an error is the safe side). */
static int good_chunk_after(const uint8_t *p, size_t n, size_t from, uint32_t version)
{
    const size_t head = version >= RUN_FORMAT_V2 ? 32 : 28;
    uint64_t budget = (uint64_t)4 * n + RUN_MAX_CHUNK_PAYLOAD;
    for (size_t at = from; at + head + 4 <= n; at++) {
        const uint8_t *m = memchr(p + at, RUN_CHUNK_MAGIC[0], n - at);
        if (!m)
            return 0;
        at = (size_t)(m - p);
        if (at + head + 4 > n || memcmp(m, RUN_CHUNK_MAGIC, 4))
            continue;
        In c = {p, n, at + 4, 0};
        uint32_t flags = version >= RUN_FORMAT_V2 ? in_u32(&c) : 0;
        uint64_t first = in_u64(&c), end = in_u64(&c);
        (void)in_u32(&c);
        uint32_t raw_n = in_u32(&c);
        uint32_t stored_n = version >= RUN_FORMAT_V2 ? in_u32(&c) : raw_n;
        if ((flags & ~RUN_CHUNK_DEFLATE) || end < first || raw_n > RUN_MAX_CHUNK_PAYLOAD ||
            !in_take(&c, stored_n))
            continue;
        size_t crc_n = c.pos - at;
        uint32_t crc = in_u32(&c);
        if (c.short_read)
            continue;
        if (crc_n > budget)
            return 1;
        budget -= crc_n;
        if (crc_ok(crc, p + at, crc_n))
            return 1;
    }
    return 0;
}

RunFile *runfile_parse(const void *data, size_t n, const char *name)
{
    uint8_t *raw = NULL; /* inflated payload of one chunk */
    RunFile *rf = calloc(1, sizeof *rf);
    if (!rf) {
        sc_set_error("%s: out of memory", name);
        return NULL;
    }
    In in = {data, n, 0, 0};
    if (parse_header(rf, &in, name) < 0)
        goto fail;
    const uint32_t version = rf->header.version;
    /* Two passes over the chunks: the first checks their framing and CRCs and finds the
     * largest payload (one inflate buffer for all); the second inflates and parses. The event
     * array grows with the events actually parsed (at most RUN_MAX_EVENTS). */
    size_t raw_cap = 0;
    const uint64_t inflate_budget = (uint64_t)n * RUN_MAX_INFLATE_RATIO + RUN_MAX_CHUNK_PAYLOAD;
    /* the event array, the largest allocation, is bounded by the file's size too */
    const size_t max_events =
        (size_t)(((uint64_t)n * RUN_MAX_MEMORY_RATIO + (1u << 20)) / sizeof(RunEvent));
    rf->end_tick = rf->header.start_tick;
    uint64_t next_first = rf->header.start_tick;

    for (int pass = 0; pass < 2; pass++) {
        In c = in;
        uint64_t expect_first = next_first;
        uint64_t inflated = 0;
        while (c.pos < c.n) {
            const size_t at = c.pos;
            const uint8_t *magic = in_take(&c, 4);
            uint32_t flags = version >= RUN_FORMAT_V2 ? in_u32(&c) : 0;
            uint64_t first = in_u64(&c);
            uint64_t end = in_u64(&c);
            uint32_t n_ev = in_u32(&c);
            uint32_t raw_n = in_u32(&c);
            uint32_t stored_n = version >= RUN_FORMAT_V2 ? in_u32(&c) : raw_n;
            const uint8_t *stored = in_take(&c, stored_n);
            size_t crc_n = c.pos - at;
            uint32_t crc = in_u32(&c);
            int bad_crc = !c.short_read && !crc_ok(crc, c.p + at, crc_n);
            if (c.short_read || bad_crc) {
                /* Only a damaged chunk that nothing good follows is a torn tail (a write cut
                 * short at the end of the file); a bad size field or CRC with intact chunks
                 * after it is corruption, never a silently shorter run. */
                if ((c.short_read || c.pos == c.n) &&
                    !good_chunk_after(c.p, c.n, at + 1, version)) {
                    /* Torn tail: cut short, or the last chunk's bytes are damaged. */
                    if (pass == 1) {
                        rf->torn_at = at;
                        snprintf(rf->torn_note, sizeof rf->torn_note,
                                 "%s: torn tail: last chunk at byte %zu (%zu bytes) ignored; "
                                 "the run ends at tick %llu",
                                 name, at, c.n - at, (unsigned long long)rf->end_tick);
                    }
                    break;
                }
                sc_set_error("%s: corrupt chunk at byte %zu (%s, and more data follows)", name, at,
                             c.short_read ? "its size runs past the end of the file"
                                          : "CRC mismatch");
                goto fail;
            }
            (void)magic;
            if (memcmp(c.p + at, RUN_CHUNK_MAGIC, 4) || (flags & ~RUN_CHUNK_DEFLATE) ||
                first != expect_first || end < first || end > (1ull << 48) ||
                raw_n > RUN_MAX_CHUNK_PAYLOAD ||
                (!(flags & RUN_CHUNK_DEFLATE) && stored_n != raw_n) || (size_t)n_ev * 11 > raw_n ||
                ((flags & RUN_CHUNK_DEFLATE) && raw_n > (uint64_t)stored_n * 1032 + 1024)) {
                sc_set_error("%s: malformed chunk at byte %zu", name, at);
                goto fail;
            }
            if (end - rf->header.start_tick > RUN_MAX_TICKS) {
                sc_set_error("%s: chunk at byte %zu: run longer than the maximum of %llu ticks",
                             name, at, (unsigned long long)RUN_MAX_TICKS);
                goto fail;
            }
            inflated += raw_n;
            if (inflated > inflate_budget) {
                sc_set_error("%s: chunk at byte %zu: payloads inflate to more than %u times the "
                             "file size",
                             name, at, (unsigned)RUN_MAX_INFLATE_RATIO);
                goto fail;
            }
            expect_first = end + 1;
            if (raw_n > raw_cap)
                raw_cap = raw_n;
            if (pass == 1) {
                const uint8_t *payload = stored;
                if (flags & RUN_CHUNK_DEFLATE) {
                    uLongf dn = raw_n;
                    if (uncompress(raw, &dn, stored, stored_n) != Z_OK || dn != raw_n) {
                        sc_set_error("%s: chunk at byte %zu does not inflate to %u bytes", name, at,
                                     raw_n);
                        goto fail;
                    }
                    payload = raw;
                }
                if (rf->complete && n_ev) {
                    sc_set_error("%s: chunk at byte %zu: events after the end event", name, at);
                    goto fail;
                }
                if (parse_events(rf, payload, raw_n, n_ev, first, end, name, at, max_events) < 0)
                    goto fail;
                rf->n_chunks++;
                rf->end_tick = end;
            }
        }
        if (pass == 0) {
            raw = malloc(raw_cap ? raw_cap : 1);
            if (!raw) {
                sc_set_error("%s: out of memory for a chunk of %zu bytes", name, raw_cap);
                goto fail;
            }
        }
    }
    free(raw);
    raw = NULL;
    if (!rf->complete && !rf->torn_note[0])
        snprintf(rf->torn_note, sizeof rf->torn_note,
                 "%s: torn tail: the recording was not closed (no end event); the run "
                 "ends at tick %llu",
                 name, (unsigned long long)rf->end_tick);
    rf->fixations = malloc((rf->n_fixations ? rf->n_fixations : 1) * sizeof *rf->fixations);
    if (!rf->fixations) {
        sc_set_error("%s: out of memory", name);
        goto fail;
    }
    for (size_t j = 0, k = 0; j < rf->n_events; j++)
        if (rf->events[j].type == RUN_EV_FIXATION)
            rf->fixations[k++] = &rf->events[j].u.fixation;
    return rf;
fail:
    free(raw);
    runfile_free(&rf);
    return NULL;
}

int runfile_set_scene_path(RunFile *rf, const char *path)
{
    SceneKind k = rf->header.scene.kind;
    if (k == SCENE_CAMERA) {
        sc_set_error("the run was recorded from the camera %s; its frames are not stored, so no "
                     "file can stand in for it",
                     rf->header.scene.path);
        return -1;
    }
    if (!scene_kind_has_path(k)) {
        sc_set_error("the run was recorded on the built-in scene '%s'; --scene is for runs on a "
                     "scene, image or video file",
                     scene_kind_name(k));
        return -1;
    }
    if (!path[0] || strlen(path) >= sizeof rf->header.scene.path) {
        sc_set_error("scene path empty or too long");
        return -1;
    }
    snprintf(rf->header.scene.path, sizeof rf->header.scene.path, "%s", path);
    return 0;
}

const RunFixation *runfile_fixation(const RunFile *rf, size_t i)
{
    return i < rf->n_fixations ? rf->fixations[i] : NULL;
}

RunFile *runfile_read(const char *path)
{
    unsigned char *buf;
    size_t n;
    if (file_read_all(path, (size_t)1 << 31, &buf, &n) < 0)
        return NULL;
    RunFile *rf = runfile_parse(buf, n, path);
    free(buf);
    return rf;
}
