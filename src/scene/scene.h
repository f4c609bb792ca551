/* scene.h: the world the eye looks at, and its ground truth.
 *
 * A scene owns a float luminance world image (0..1, default 1280x720 px) and a list of objects
 * with labels, bounding boxes, centres and velocities. Built-in generators (digits, cluttered,
 * letters, motion, blank), any image file (PNG/JPEG/BMP via SDL2_image) and a
 * scene-description text file (format: assets/scenes/README.md). Everything is a pure function of
 * (spec, seed) and the number and length of scene_step() calls: no clock, no unseeded randomness.
 *
 * Built-ins: MNIST digits come from the test split only (indices 8000..9999), at their native
 * 28 px size, bright ink (1.0) on a dark low-contrast value-noise background (0.05..0.25), placed
 * at random without overlap (16 px between ink boxes, 8 px from the edges; when the world is too
 * small fewer objects are placed, without error). `cluttered` adds 8x8 fragments of other digits
 * to the background, away from the objects. `letters`: capitals, lowercase letters and digits (what
 * the glyph model reads) in DejaVu Sans at the reading size TEXTLINE_PX (data/textline.h).
 * `motion`: digits, blobs and boxes moving at 20..120 px/s on a stronger texture.
 *
 * Objects are drawn over a separate background; moving objects at sub-pixel positions (bilinear),
 * so scene_step() only redraws the boxes that moved (no allocation, a few microseconds).
 * SDL2_ttf / SDL2_image are used only to decode fonts and images into memory at creation.
 */
#ifndef SACCADE_SCENE_H
#define SACCADE_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "core/image.h"

typedef enum SceneKind {
    SCENE_DIGITS = 0, /* MNIST test-split digits on a low-contrast background, no overlap */
    SCENE_CLUTTERED,  /* digits plus clutter made of random fragments of other digits */
    SCENE_LETTERS,    /* letters and short words rendered from TrueType fonts */
    SCENE_MOTION,     /* objects drifting and bouncing on a textured background */
    SCENE_BLANK,      /* uniform grey */
    SCENE_IMAGE,      /* an image file; no objects */
    SCENE_FILE,       /* a .scene description file */
    SCENE_WORDS,      /* `words-grid`: fixed-pitch lines of words (after SCENE_FILE: run files
                         store kinds) */
    SCENE_VIDEO,      /* a video clip (MP4, MOV, MKV, WebM, GIF) played in simulated time */
    SCENE_CAMERA,     /* a V4L2 camera (/dev/videoN): live, not reproducible */
    SCENE_TEXT,       /* `words`: paragraphs in the font's natural proportional spacing */
    SCENE_PROSE,      /* `prose`: the same layout, the words of English prose in their order */
    SCENE_KIND_COUNT
} SceneKind;

typedef enum SceneObjectKind {
    SCENE_OBJ_DIGIT = 0, /* an MNIST digit; label "0".."9" */
    SCENE_OBJ_TEXT,      /* a letter or word rendered from a font */
    SCENE_OBJ_BLOB,      /* a Gaussian blob (scene files, motion scene) */
    SCENE_OBJ_BOX,       /* a filled rectangle */
} SceneObjectKind;

#define SCENE_LABEL_MAX 24
#define SCENE_MAX_OBJECTS 256

typedef struct SceneObject {
    SceneObjectKind kind;
    char label[SCENE_LABEL_MAX]; /* ground-truth label: "7", "A", "cat", "" for none */
    float x, y;                  /* centre, world px (x right, y down, origin top-left corner):
                                  * the centre of the ink bounding box (not the centre of mass) */
    float w, h;                  /* ink bounding-box size, px (pixels with any ink) */
    float vx, vy;                /* velocity, px per second */
} SceneObject;

typedef struct SceneSpec {
    SceneKind kind;
    char path[1024]; /* SCENE_IMAGE / SCENE_FILE / SCENE_VIDEO: the file; SCENE_CAMERA: device */
    /* World size, px; 0 = default (1280x720, or the image's own size, or the scene file's `size`
     * line); otherwise both SCENE_MIN_SIDE..IMAGE_MAX_SIDE. An image file is resampled to this
     * size; a scene file's objects must fit in it. */
    int width, height;
    /* Number of objects for built-ins; 0 = scene default (12); 0..SCENE_MAX_OBJECTS. Fewer are
     * placed when the world is too small for them. */
    int objects;
    /* SCENE_TEXT, SCENE_PROSE: the font's pixel size (em), SCENE_TEXT_PX_MIN..SCENE_TEXT_PX_MAX;
     * 0 = the reading size TEXTLINE_PX (22). Other kinds: 0. */
    int text_px;
} SceneSpec;
#define SCENE_TEXT_PX_MIN 12
#define SCENE_TEXT_PX_MAX 48

#define SCENE_DEFAULT_WIDTH 1280
#define SCENE_DEFAULT_HEIGHT 720
#define SCENE_MIN_SIDE 16
#define SCENE_DEFAULT_OBJECTS 12
/* The longest step scene_step is sized for, ms: a run file's tick is at most this long. */
#define SCENE_STEP_MAX_MS 100.0
/* What a scene file may ask for, so that a small file cannot amplify into hours or gigabytes:
 * its objects cover at most SCENE_FILE_MAX_AREA px in all (their sprites, 64 MiB), and
 * redrawing its moving objects in one step of SCENE_STEP_MAX_MS (each one's box swept over the
 * step, then every object that box may touch) costs at most SCENE_FILE_MAX_STEP_WORK px. */
#define SCENE_FILE_MAX_AREA (1 << 24)
#define SCENE_FILE_MAX_STEP_WORK (1 << 26)
/* A font pixel size (em) for `text` objects: DejaVu Sans capitals are then about 25 px high, like
 * the ~20 px ink of an MNIST digit in its 28 px box. The glyph model reads glyphs at the reading
 * size TEXTLINE_PX (22, data/textline.h), which the letters and words scenes use. */
#define SCENE_TEXT_PX 34

/* Parses a --scene argument: a built-in name ("digits", "cluttered", "letters", "motion",
 * "blank", "words" or "words:PX" (natural text; also "text", "text:PX"), "words-grid"), a path
 * ending in .scene, a video clip (.mp4, .m4v, .mov, .mkv, .webm, .gif, any case), a camera
 * (/dev/video...), or any other path (an image). Returns 0 or -1 with sc_last_error() set (without
 * "--scene": callers name the option). Does not open the file. */
int scene_spec_parse(SceneSpec *spec, const char *arg);
/* True for pages of natural text, which the eye finds its own layout on: words and prose. */
#define SCENE_KIND_NATURAL(k) ((k) == SCENE_TEXT || (k) == SCENE_PROSE)
/* True for the pages the reading eye reads: words-grid (fixed pitch), words and prose. */
#define SCENE_KIND_READS(k) ((k) == SCENE_WORDS || SCENE_KIND_NATURAL(k))
/* True for the kinds a file (or device) makes: image, scene file, video, camera. */
int scene_kind_has_path(SceneKind k);
/* Parses a --size argument "WxH" (decimal, each SCENE_MIN_SIDE..IMAGE_MAX_SIDE) into
 * spec->width/height. Returns 0 or -1 with a one-line error. */
int scene_spec_parse_size(SceneSpec *spec, const char *arg);
/* Short canonical name of the scene ("digits", or the path for files). */
const char *scene_spec_name(const SceneSpec *spec);
const char *scene_kind_name(SceneKind k);

typedef struct Scene Scene;

/* Builds the scene. Returns NULL with sc_last_error() set (missing/unreadable file, malformed
 * scene line named by number, absurd size, missing font, missing MNIST asset). */
Scene *scene_create(const SceneSpec *spec, uint64_t seed);
/* The scene a run file names (replay): built-in kinds as scene_create; for a scene, image or
 * video file, the file (a regular file only: never a device or FIFO; a video's ground-truth
 * sidecar included) must have this content hash, checked on its bytes before it is parsed, so
 * an error never shows a word of another file. A camera cannot be re-created: an error says
 * so. Returns NULL with sc_last_error() set. */
Scene *scene_create_recorded(const SceneSpec *spec, uint64_t seed, uint64_t content_hash);
void scene_destroy(Scene **s);

/* The `words-grid` scene (SCENE_WORDS): spec->objects words (default SCENE_DEFAULT_OBJECTS)
 * drawn at random from assets/words/words.txt (by seed), on lines of fixed-pitch text
 * (data/textline.h: TEXTLINE_PX font size, TEXTLINE_PITCH px per letter cell, one empty cell
 * between words) in the font fontconfig pattern names (NULL: "Liberation Sans", a held-out family
 * of the glyph dataset), bright ink on a dark low-contrast background; lines SCENE_LINE_SPACING px
 * apart from the top left, each starting SCENE_TEXT_MARGIN px in. Each word is an object (label =
 * the word; box = its ink). Words that no longer fit are left out. */
#define SCENE_TEXT_MARGIN 40
#define SCENE_LINE_SPACING 56
Scene *scene_create_words(const SceneSpec *spec, uint64_t seed, const char *font_pattern);

/* The `words` scene (SCENE_TEXT): paragraphs of spec->objects words (default SCENE_TEXT_WORDS)
 * drawn at random from assets/words/words.txt (by seed), set in the font's natural proportional
 * spacing (its advances and kerning: textline_draw_natural) at spec->text_px px, in the font
 * fontconfig pattern names (NULL: "Liberation Sans"), bright ink on a dark low-contrast background.
 * Lines wrap at SCENE_TEXT_MARGIN px from either side and lie SCENE_TEXT_LEADING em apart; a
 * paragraph (8 to 30 words, by seed) ends its line and leaves half a line more. Each word is an
 * object (label = the word; box = its ink). The eye is told nothing of this layout: no
 * scene_text_lines. Words that no longer fit on the page are left out. */
#define SCENE_TEXT_WORDS 60
#define SCENE_TEXT_LEADING 1.5
Scene *scene_create_text(const SceneSpec *spec, uint64_t seed, const char *font_pattern);

/* The `prose` scene (SCENE_PROSE): the words layout above (spec->objects words, default
 * SCENE_TEXT_WORDS), its words English prose in their order: assets/words/prose.txt, one
 * paragraph a line of words of 1..20 letters A-Z / a-z (its punctuation, and words holding
 * other characters, left out when it was made), from the start of a paragraph picked by seed,
 * each paragraph ending its line (the file read on from its start after its last). Each word
 * is an object, as above. The file is untrusted input: anything else is an error naming the
 * line. */
Scene *scene_create_prose(const SceneSpec *spec, uint64_t seed, const char *font_pattern);

/* The layout of a text scene's lines: where each line is and how many cells it has, nothing
 * about what is written (what a reader knows of a page before reading it; the letters
 * themselves must be read). Cell i of a line is centred on x = cell0_x + i * TEXTLINE_PITCH. */
#define SCENE_MAX_LINES 64
typedef struct SceneTextLine {
    int baseline_y; /* world row of the baseline */
    int cell0_x;    /* centre of the first cell, world px */
    int cells;      /* cells on the line (letters and the spaces between words) */
} SceneTextLine;
/* Lines of a words scene in reading order (0 and *lines NULL for other scenes). */
int scene_text_lines(const Scene *s, const SceneTextLine **lines);
/* A static scene from an image in memory (copied) and ground-truth objects (copied; may be
 * NULL/0). For experiments that build their own canvases (saccade eval). */
Scene *scene_create_from_image(const Image *world, const SceneObject *objects, int n_objects);
/* Replaces the image and objects of a scene made by scene_create_from_image (same size; copied):
 * how an experiment shows the next canvas to the same sim (sim_restart). 0, or -1 + error. */
int scene_replace_image(Scene *s, const Image *world, const SceneObject *objects, int n_objects);
/* For experiments (saccade eval pursuit): the `motion` scene's background (value noise from
 * seed) at w x h px with MNIST test-set digits mnist_index[i] (0..9999) centred at objects[i].x,
 * y and moving at objects[i].vx, vy (px/s, bouncing off the edges like the motion scene's);
 * kind, label and size come from the digit. NULL + error. */
Scene *scene_create_moving_digits(int w, int h, uint64_t seed, const SceneObject *objects,
                                  const int *mnist_index, int n);

/* Advances moving objects by dt_ms (ms; <= 0 or non-finite: nothing moves), bouncing them off
 * the world's edges, and updates the world image in place. No allocation; a few microseconds.
 * Afterwards scene_dirty() gives the union of changed pixels (empty when nothing moved). */
void scene_step(Scene *s, double dt_ms);

typedef struct SceneRect {
    int x0, y0, x1, y1; /* half-open pixel rectangle; empty when x0 >= x1 */
} SceneRect;
SceneRect scene_dirty(const Scene *s);
/* The same change as a list of rectangles (one per moved object: its old box united with its
 * new one; they may overlap), for consumers that update only what changed: with objects spread
 * over the world, the single union above is nearly the whole world while these cover a few
 * thousand pixels. Sets *rects to an array owned by the scene, valid until the next
 * scene_step/scene_state_load; returns the count (0 when nothing changed). */
int scene_dirty_rects(const Scene *s, const SceneRect **rects);

const Image *scene_world(const Scene *s);
int scene_object_count(const Scene *s);
const SceneObject *scene_objects(const Scene *s);
const SceneSpec *scene_spec(const Scene *s);
/* Hash of the scene's file content (image, scene or video file; a video's with its sidecar),
 * 0 for built-ins and cameras. */
uint64_t scene_content_hash(const Scene *s);

/* Video scenes: the number of the frame shown (on the looping timeline, from 0) and the hash of
 * its pixels (8-bit grey before conversion). Returns 1, or 0 for other scenes. */
int scene_video_frame(const Scene *s, uint64_t *number, uint64_t *hash);
/* The ground-truth sidecar's path of a clip (the clip's path with its extension replaced by
 * ".truth"; it need not exist). 0, or -1 if it does not fit in n bytes. */
int scene_video_truth_path(const char *clip, char *out, size_t n);

/* Dynamic state (object positions and velocities), for state hashes and replay keyframes.
 * Layout: u32 object count, then x, y, vx, vy per object as float32, all little-endian; a video
 * scene adds f64 clock ms, u64 frame number and u64 frame pixel hash (its objects follow the
 * clip's ground truth, and loading goes to that frame: the frame must then match). */
uint64_t scene_state_hash(const Scene *s);
size_t scene_state_size(const Scene *s);
void scene_state_save(const Scene *s, void *buf);
/* Restores positions and re-renders the world; marks everything dirty. Returns 0 or -1. */
int scene_state_load(Scene *s, const void *buf, size_t n);

#endif
