/* scene_priv.h: the Scene struct and helpers shared by scene.c, scene_file.c and scene_image.c.
 * Not a public header: other modules use scene.h only.
 */
#ifndef SACCADE_SCENE_PRIV_H
#define SACCADE_SCENE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "core/rng.h"
#include "data/mnist.h"
#include "scene/scene.h"

/* How an object is drawn: its sprite is a coverage map a (0..1) the size of its box, composited
 * over what lies below as  world = world * (1 - a) + lum * a,  in object order. */
typedef struct SceneVideo SceneVideo;

struct Scene {
    SceneSpec spec;
    SceneVideo *video; /* SCENE_VIDEO / SCENE_CAMERA: the clip or camera (scene_video.c) */
    Image world;
    Image background; /* the world without objects; px NULL when no object is drawn */
    int n;
    SceneObject obj[SCENE_MAX_OBJECTS];
    Image sprite[SCENE_MAX_OBJECTS]; /* px NULL: a ground-truth-only object (not drawn, static) */
    float lum[SCENE_MAX_OBJECTS];
    int drawn_x0[SCENE_MAX_OBJECTS], drawn_y0[SCENE_MAX_OBJECTS];   /* top-left where drawn now */
    float drawn_fx[SCENE_MAX_OBJECTS], drawn_fy[SCENE_MAX_OBJECTS]; /* its fraction, 0..1 */
    SceneRect step_rect[SCENE_MAX_OBJECTS];                         /* scratch of scene_step */
    SceneRect dirty_list[SCENE_MAX_OBJECTS];
    int n_dirty; /* dirty_list: the changed boxes of the last step */
    SceneRect dirty;
    uint64_t content_hash;
    SceneTextLine lines[SCENE_MAX_LINES]; /* words scene: the layout of its lines */
    int n_lines;
};

/* Allocates a zeroed scene with a w x h world (no world when w == 0). NULL on failure. */
Scene *scene_alloc(int w, int h);
/* Allocates the background image (same size as the world). */
int scene_alloc_background(Scene *s);
/* Appends an object drawn with sprite (ownership taken, also on failure). */
int scene_add_object(Scene *s, const SceneObject *o, Image *sprite, float lum);
/* Composites every drawn object over the background into the world; marks all dirty. */
void scene_render_all(Scene *s);

/* The shared MNIST set (loaded once per process, read-only). NULL with error set on failure. */
const Mnist *scene_mnist(void);
/* Index of a test-split digit of class label (0..9), chosen by r. */
int scene_pick_digit(const Mnist *m, int label, Rng *r);
/* Sprite of MNIST digit idx scaled to a side x side box, cropped to its ink bounding box.
 * Returns 0 or -1. */
int scene_digit_sprite(const Mnist *m, int idx, int side, Image *out);
/* Crops a coverage image to the bounding box of its ink (a > 0) in place. An image without ink
 * is kept whole. Returns 0 or -1. */
int scene_crop_ink(Image *img);
/* Gaussian blob (sigma = side / 6) and filled box sprites. */
int scene_blob_sprite(int side, Image *out);
int scene_box_sprite(int side, Image *out);
/* Fills img with lo + (hi - lo) * smooth value noise (two octaves of cell sizes cell, cell / 4). */
void scene_noise_fill(Image *img, Rng *r, int cell, float lo, float hi);

/* Builders for file scenes; w, h from the spec (0 = the file's own). Fill s->content_hash.
 * The _data/_text forms take the file's bytes (spec->path only names it in errors): the fuzz
 * harness uses them. */
Scene *scene_create_image_file(const SceneSpec *spec);
Scene *scene_create_scene_file(const SceneSpec *spec, uint64_t seed);
Scene *scene_create_image_data(const SceneSpec *spec, const unsigned char *data, size_t n);
Scene *scene_create_scene_text(const SceneSpec *spec, uint64_t seed, const unsigned char *data,
                               size_t n);

/* Video scenes (scene_video.c). The clip's bytes (data, ownership taken, also on failure) and
 * its ground-truth sidecar (may be NULL) with their content hash: the fuzz harness and replay
 * (which hashes the bytes first) use this form. */
Scene *scene_create_video_data(const SceneSpec *spec, unsigned char *data, size_t n,
                               const unsigned char *truth, size_t truth_n, uint64_t content);
Scene *scene_create_video_file(const SceneSpec *spec);
Scene *scene_create_camera(const SceneSpec *spec);
/* Reads a clip and its sidecar (path with the extension replaced by ".truth", when it exists)
 * and hashes both: the scene's content hash. Returns 0 (caller frees both) or -1. */
int scene_video_read_files(const char *path, unsigned char **data, size_t *n, unsigned char **truth,
                           size_t *truth_n, uint64_t *content_hash);
/* Parses a sidecar into v's ground truth (objects of a w x h px clip). 0, or -1 + error. */
int scene_video_truth_parse(SceneVideo *v, const char *path, const char *text, size_t n, int w,
                            int h);
void scene_video_destroy(SceneVideo **v);
void scene_video_step(Scene *s, double dt_ms);
/* State after the objects' block: its size, hash, save and load (scene.h). */
size_t scene_video_state_extra(void);
uint64_t scene_video_state_hash(const Scene *s, uint64_t h);
void scene_video_state_save(const Scene *s, unsigned char *p);
int scene_video_state_load(Scene *s, const unsigned char *p);

#endif
