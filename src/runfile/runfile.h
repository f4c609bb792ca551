/* runfile.h: the run file format (.run): layout, reader, encoders and export. The pure
 * format layer, below the simulation: nothing here needs a Sim (tests, fuzzers, info,
 * export); recording and replay are record/record.h.
 *
 * A run file stores what is needed to re-simulate a run exactly (scene spec, seed, config,
 * inputs per tick), periodic state hashes to prove the re-simulation matches, and the
 * fixation records for export (so export and info need no simulation).
 *
 * ---------------------------------------------------------------------------------------------
 * FORMAT. All integers little-endian, floats IEEE-754 stored as their bit pattern (f32 as u32,
 * f64 as u64), strings as u16 length + bytes (no NUL). Fields are written one by one; there is
 * no struct padding anywhere in the file.
 *
 * Header (all versions):
 *   u8[8]  magic "SACCRUN\0"
 *   u32    format version (RUN_FORMAT_VERSION when written by this build)
 *   str    program version (SACCADE_VERSION of the writer, informational)
 *   u64    config hash (sim_config_hash of the SimConfig used)
 *   u64    model hash (hash of the classifier weights; 0 = no classifier)
 *   u64    seed
 *   f64    tick_ms                       \
 *   f32    px_per_deg                     | SimConfig fields that a command line may change;
 *   u8     auto_saccades (0/1)            | the rest of SimConfig is this build's default,
 *   f32    classify_stop_confidence      /  checked by the config hash
 *   (v3+) i32 fovea size px, f32 IOR radius deg, f32 IOR decay ms, f32 mean fixation ms,
 *         u8 saliency method (SaliencyMethod): the runtime parameters of the command line;
 *         older files mean this build's defaults
 *   (v4+) u8 smooth pursuit (0/1: EyeParams.pursuit); older files mean 0 (their writers had
 *         no pursuit)
 *   u32    scene kind (SceneKind)
 *   i32    scene width, i32 scene height, i32 scene objects (SceneSpec, 0 = default)
 *   str    scene path (SCENE_IMAGE / SCENE_FILE / SCENE_VIDEO file, SCENE_CAMERA device; empty
 *          for built-ins)
 *   u64    scene content hash (scene_content_hash; 0 for built-ins and cameras; a video's covers
 *          its .truth sidecar too)
 *   i32    world width px, i32 world height px (the world actually built)
 *   u64    start tick (0 = recorded from sim creation)
 *   u32    start state size (sim_state_size bytes when start tick > 0, else 0)
 *   u32    start state stored size (zlib-deflated bytes that follow)
 *   u8[]   start state (deflated)
 *   (v5+) u8 goggles (RetinaParams.flip: 0 none, 1 lr, 2 ud, 3 rot180), f32 saccade adaptation
 *         rate (SimConfig.saccade_adapt_rate, 0 = off); older files mean 0, 0 (issue 22 §1;
 *         added at the header's end so that other fields can join before it)
 *   (v6+) u8 V1 plasticity mode (0 off, 1 untied, 2 tied), f32 its rate (0 when off; in
 *         (0, 1] when on); older files mean off
 *   (v7+) u32 the text scene's font size px (SceneSpec.text_px: SCENE_TEXT_PX_MIN..MAX for
 *         SCENE_TEXT and SCENE_PROSE, 0 for every other kind); older files hold neither
 *   u32    CRC32 (zlib crc32) of every header byte before it, magic included
 *
 * Then chunks, back to back, until end of file:
 *   u8[4]  chunk magic "CHNK"
 *   u32    flags                (v2+; bit 0 = payload zlib-deflated; other bits must be 0)
 *   u64    first tick           (== previous chunk's end tick + 1; the first chunk: start tick)
 *   u64    end tick             (>= first tick: after this chunk, every tick <= it is recorded)
 *   u32    event count
 *   u32    payload size         (raw, after inflating)
 *   u32    stored size          (v2+; bytes that follow; v1: equal to payload size, absent)
 *   u8[]   payload
 *   u32    CRC32 of the chunk bytes from its magic to the end of the payload
 *
 * Payload: events back to back, ticks non-decreasing, first tick <= tick <= end tick:
 *   u8 type, u64 tick, u16 length, u8[length] body. Tick t means "the tick that brought
 *   sim_tick_count() to t" (inputs: applied at the start of that tick; hashes: state after t
 *   ticks). Bodies:
 *   RUN_EV_INPUT      u32 SimInputType, f32 a, f32 b                                  (12)
 *   RUN_EV_STATE_HASH u64 sim_state_hash after tick                                     (8)
 *   RUN_EV_FIXATION   f64 start_ms, f64 end_ms (< 0: still open at the end), f32 x px,
 *                     f32 y px, f32 amplitude_deg, f32 saccade_ms, f32 peak_velocity_deg_s,
 *                     i32 object, u8 corrective, u8 manual, i32 label, f32 confidence,
 *                     str label name                                              (>= 52)
 *   RUN_EV_END        u64 state hash at the end tick, 0 if not hashed there            (8)
 *   RUN_EV_FRAME      (v4, video scenes) u64 frame number, u64 pixel hash (scene_video_frame): a
 * video or camera scene showed this frame from this tick on; written for the first recorded tick
 * and each tick the frame changed              (16) Unknown types are skipped (their length says
 * how far).
 *
 * The recorder writes a state hash at the start tick, then every RUN_HASH_EVERY_S simulated
 * second (and at the last tick if recorder_finish is called), and a chunk every
 * RUN_FLUSH_EVERY_S simulated second (write + fflush), so a killed
 * recorder loses at most the last simulated second. A run closed cleanly ends with an END
 * event. A last chunk that is cut short or fails its CRC at the very end of the file, with no
 * intact chunk anywhere after its start, is a torn tail: reported in one line
 * (RunFile.torn_note) and ignored. A damaged chunk (bad magic, size field or CRC) that is
 * followed by more data or by an intact chunk is corruption: an error naming its byte offset,
 * never a silently shorter run.
 * ---------------------------------------------------------------------------------------------
 */
#ifndef SACCADE_RUNFILE_H
#define SACCADE_RUNFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scene/scene.h"

/* Format versions, each with its one-line changelog. */
#define RUN_FORMAT_V1 1 /* initial: header, raw chunks (no flags, no stored size) */
#define RUN_FORMAT_V2 2 /* chunk flags + stored size; payload may be zlib-deflated */
#define RUN_FORMAT_V3                                                                              \
    3 /* header: fovea size, IOR radius and decay, mean fixation, saliency method */
#define RUN_FORMAT_V4                                                                              \
    4 /* header: smooth pursuit on/off; keyframes hold the eye's pursuit state                     \
       */
/* Extended within v4, without a bump (the layout is unchanged, every earlier file reads as
 * before, and runs of the built-in scenes still read in older v4 builds): scene kinds
 * SCENE_VIDEO (8) and SCENE_CAMERA (9), which an older build refuses by name ("unknown scene
 * kind 8"), and the RUN_EV_FRAME event, which it skips by its length. */
#define RUN_FORMAT_V5 5 /* header: goggles and saccade adaptation rate (after the start state) */
/* header: V1 plasticity mode and rate (after v5's fields); keyframes hold the gains. A run
 * without plasticity is written as v5 (run_header_from_sim), byte for byte as before, so
 * that builds before v6 still read it. */
#define RUN_FORMAT_V6 6
/* header: the text scene's font size (after v6's fields). Only runs of natural text are written
 * as v7; every other run keeps the oldest format that holds it. */
#define RUN_FORMAT_V7 7
#define RUN_FORMAT_VERSION RUN_FORMAT_V7
#define RUN_FORMAT_OLDEST RUN_FORMAT_V1 /* oldest version this build still reads */

#define RUN_MAGIC "SACCRUN"    /* 8 bytes with its NUL */
#define RUN_CHUNK_MAGIC "CHNK" /* 4 bytes, no NUL */
#define RUN_CHUNK_DEFLATE 1u   /* chunk flag */

/* Reader limits: anything larger is refused as corrupt before allocating. */
#define RUN_MAX_CHUNK_PAYLOAD (1u << 20) /* the recorder writes chunks of at most 64 KiB */
#define RUN_MAX_EVENTS (8u << 20)
#define RUN_MAX_STATE_SIZE (64u << 20) /* a keyframe of an 8192 x 8192 px world is ~13 MiB */
/* The longest run (ticks after the start tick): 11.6 simulated hours at 10 ms ticks. The
 * recorder stops with an error there and `run --seconds` refuses more; the reader refuses a
 * chunk claiming a later tick, so a replay never simulates more than this. */
#define RUN_MAX_TICKS (1ull << 22)
/* Chunk payloads of a file inflate to at most this many times the file's size (plus one
 * largest chunk): the reader's memory is a bounded multiple of the bytes it was given. */
#define RUN_MAX_INFLATE_RATIO 16u
/* The parsed events take at most this many bytes of memory per byte of the file (plus 1 MiB);
 * a recording needs about 5 (a RunEvent is ~100 bytes, an event ~20 bytes deflated). */
#define RUN_MAX_MEMORY_RATIO 32u
#define RUN_LABEL_MAX 32 /* label names longer than this are cut */

/* Simulated seconds between state hashes and between chunk flushes. Chunks are sealed twice
 * per simulated second so that, with the writer thread's latency, a kill still loses at most
 * one simulated second. */
#define RUN_HASH_EVERY_S 1.0
#define RUN_FLUSH_EVERY_S 0.5

typedef enum RunEventType {
    RUN_EV_INPUT = 1,
    RUN_EV_STATE_HASH = 2,
    RUN_EV_FIXATION = 3,
    RUN_EV_END = 4,
    RUN_EV_FRAME = 5,
} RunEventType;

/* An input as recorded (RUN_EV_INPUT): SimInput's fields (sim/sim.h) with its type codes
 * (1 saccade by deg, 2 saccade to px, 3 set auto), which are the file's. */
typedef struct RunInput {
    uint32_t type;
    float a, b;
} RunInput;

typedef struct RunFixation {
    double start_ms, end_ms; /* simulated ms */
    float x, y;              /* landing point, world px */
    float amplitude_deg;     /* of the saccade that led here */
    float saccade_ms;
    float peak_velocity_deg_s;
    int32_t object; /* ground-truth object index within 1 deg, or -1 */
    uint8_t corrective, manual;
    int32_t label; /* class index, or -1 */
    float confidence;
    char label_name[RUN_LABEL_MAX + 1]; /* class name, "" when not classified */
} RunFixation;

typedef struct RunEvent {
    uint64_t tick;
    uint32_t type; /* RunEventType */
    union {
        RunInput input; /* a SimInput (sim.h) as recorded: its type codes and values */
        uint64_t state_hash;
        RunFixation fixation;
        uint64_t final_hash; /* RUN_EV_END */
        struct {
            uint64_t number, hash;
        } frame; /* RUN_EV_FRAME */
    } u;
} RunEvent;

typedef struct RunHeader {
    uint32_t version;
    char program_version[64];
    uint64_t config_hash;
    uint64_t model_hash;
    uint64_t seed;
    double tick_ms;
    float px_per_deg;
    uint8_t auto_saccades;
    float classify_stop_confidence;
    /* v3: runtime parameters (SimConfig fields; build defaults for older files) */
    int32_t fovea_size;
    float ior_radius_deg, ior_decay_ms, fix_mean_ms;
    uint8_t saliency_method;
    uint8_t pursuit; /* v4: smooth pursuit on (0 for older files) */
    SceneSpec scene; /* kind, path, width, height, objects */
    uint64_t scene_content_hash;
    int32_t world_w, world_h;
    uint64_t start_tick;
    uint32_t state_size;  /* size of start_state (0 when start_tick == 0) */
    uint8_t *start_state; /* owned by the RunFile (reader) or caller (writer); may be NULL */
    /* v5 (issue 22 §1): goggles (RETINA_FLIP_X/_Y bits) and the saccade adaptation rate */
    uint8_t goggles;
    float saccade_adapt_rate;
    /* v6 (issue 22 §2): SimConfig.plasticity (PlasticityMode) and plasticity_eta */
    uint8_t plasticity;
    float plasticity_eta;
} RunHeader;

/* A parsed run file. Read-only for callers; freed with runfile_free(). */
typedef struct RunFile {
    RunHeader header;
    RunEvent *events; /* all events of all good chunks, in file order */
    size_t n_events, cap_events;
    size_t n_chunks;
    uint64_t end_tick;             /* last tick covered by a good chunk (start tick if none) */
    int complete;                  /* 1 if an END event was read (closed cleanly) */
    size_t n_fixations;            /* events of type RUN_EV_FIXATION */
    const RunFixation **fixations; /* n_fixations pointers into events, in order */
    size_t n_hashes;               /* events of type RUN_EV_STATE_HASH */
    char torn_note[256];           /* one line when the tail was torn or there is no END event */
    size_t torn_at;                /* byte offset of the torn (ignored) last chunk; 0 if none */
} RunFile;

/* Parses a run file held in memory; name is used in messages. Never reads outside [data,
 * data + n), never allocates more than a small multiple of n: the events at most
 * RUN_MAX_MEMORY_RATIO times n bytes (+ 1 MiB), payloads inflate to at most
 * RUN_MAX_INFLATE_RATIO times n bytes, and the start state is backed by its deflated bytes
 * (deflate's largest ratio, and at most RUN_MAX_STATE_SIZE). A run longer than
 * RUN_MAX_TICKS is refused. Returns NULL with a one-line sc_last_error() for any bad input
 * ("NAME: format version 3 is newer than this build's 2 ..."). */
RunFile *runfile_parse(const void *data, size_t n, const char *name);
/* Reads and parses a file. */
RunFile *runfile_read(const char *path);
void runfile_free(RunFile **rf);
/* Replay the run on the scene or image file at path instead of the recorded one (`replay
 * FILE --scene PATH`, when the recorded path is absent or differs). Its content hash must
 * still match the recorded one (record_sim_create checks). Returns 0, or -1 when the run was
 * recorded on a built-in scene or the path does not fit. */
int runfile_set_scene_path(RunFile *rf, const char *path);
/* i-th fixation event (0 <= i < n_fixations), or NULL. O(1) after parsing. */
const RunFixation *runfile_fixation(const RunFile *rf, size_t i);

/* Encoders used by the recorder and by tests. Each writes at most cap bytes into buf and
 * returns the number written, or 0 if cap is too small (or a field is unrepresentable).
 * `version` selects the layout (RUN_FORMAT_OLDEST..RUN_FORMAT_VERSION); h->version is ignored.
 * The header encoder deflates h->start_state itself (it allocates; not for the tick path). */
size_t run_header_encode(const RunHeader *h, uint32_t version, uint8_t *buf, size_t cap);
size_t run_event_encode(const RunEvent *e, uint8_t *buf, size_t cap);
/* Largest encoded size of one event. */
#define RUN_EVENT_MAX_SIZE (11 + 52 + RUN_LABEL_MAX)
/* Wraps an event payload into a chunk. compress: deflate when it makes the chunk smaller
 * (v2+; ignored for v1). scratch must hold run_chunk_bound(payload_n) bytes (deflate output);
 * no allocation. */
size_t run_chunk_encode(uint32_t version, uint64_t first_tick, uint64_t end_tick, uint32_t n_events,
                        const uint8_t *payload, size_t payload_n, int compress, uint8_t *scratch,
                        uint8_t *buf, size_t cap);
size_t run_chunk_bound(size_t payload_n);

/* Fixation table of a run. CSV columns: index,start_ms,end_ms,duration_ms,x_px,y_px,x_deg,
 * y_deg,amplitude_deg,peak_velocity_deg_s,label,confidence,object; x_deg/y_deg relative to
 * the world centre (px_per_deg from the header), y down. label is the class name ("" if not
 * classified). Return 0 or -1. */
int runfile_export_csv(const RunFile *rf, FILE *f);
int runfile_export_json(const RunFile *rf, FILE *f);

#endif
