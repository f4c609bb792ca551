/* The glyph dataset: capitals A-Z, lowercase a-z and digits 0-9 rendered with SDL2_ttf
 * (core/text.h) from real fonts installed on the system, at the reading size of the text scenes
 * (TEXTLINE_PX, +-1 px) on a common baseline, never scaled (data/textline.h: so that o/O, x/X,
 * l/I ... differ in the data as they do on a line).
 *
 * Three disjoint sets of whole font families (Debian packages fonts-dejavu-core,
 * fonts-dejavu-extra, fonts-urw-base35, fonts-liberation2; the natural-text readers train on
 * more faces, text_more_fonts below):
 *   training:   DejaVu Sans (with its Condensed cut), DejaVu Serif, DejaVu Sans Mono, Nimbus Sans
 *               (with Nimbus Sans Narrow), Nimbus Roman, Nimbus Mono PS, URW Bookman, C059;
 *   validation: P052 and URW Gothic (train --holdout leaves them out; tuning reads only them);
 *   test:       Liberation Sans, Liberation Serif, Liberation Mono (regular, bold, italic, bold
 *               italic each). No cut, width or weight of a test family is in training or
 *               validation: the Liberation families are their own designs (Ascender), metric-
 *               compatible with Arial, Times New Roman and Courier New, not derived from the URW
 *               or DejaVu families.
 * Every glyph appears once in validation and once in test (no copies); training glyphs are
 * repeated TRAIN_COPIES times per epoch, each copy augmented anew by the trainer. A font that
 * fontconfig cannot find (or only finds a substitute for) is an error, so the split never
 * silently changes; a test font resolving to a training file is an error too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "core/log.h"
#include "core/rng.h"
#include "core/text.h"
#include "data/dataset.h"
#include "data/textline.h"
#include "retina/retina.h"
#include "retina/retina_text.h"

int dataset_load_glyphs(Dataset *ds);
int dataset_load_glyphs_boxed(Dataset *ds);
int dataset_load_reader(Dataset *ds, int offset);
int dataset_load_text(Dataset *ds, int offset);

static const char *const train_fonts[] = {
    "DejaVu Sans",
    "DejaVu Sans:bold",
    "DejaVu Sans:oblique",
    "DejaVu Sans:condensed",
    "DejaVu Serif",
    "DejaVu Serif:bold",
    "DejaVu Serif:italic",
    "DejaVu Serif:condensed",
    "DejaVu Sans Mono",
    "DejaVu Sans Mono:bold",
    "Nimbus Sans",
    "Nimbus Sans:bold",
    "Nimbus Sans:italic",
    "Nimbus Sans Narrow",
    "Nimbus Roman",
    "Nimbus Roman:bold",
    "Nimbus Roman:italic",
    "Nimbus Mono PS",
    "Nimbus Mono PS:bold",
    "URW Bookman",
    "URW Bookman:style=Demi",
    "C059",
    "C059:bold",
    "C059:italic",
};
#define N_GLYPH_TRAIN ((int)(sizeof(train_fonts) / sizeof(train_fonts[0])))
/* The natural-text readers' (text0, text+-K) and the letter-width table's training faces beyond
 * the glyph models' above: more designs, so that a reader meets fewer strangers among the
 * held-out faces (humanist and grotesque sans, old-style and transitional serifs, monospace).
 * Debian packages fonts-roboto-unhinted (Roboto, Apache-2.0), fonts-paratype (PT Sans, PT
 * Serif, PT Mono; ParaType Free Font Licence), fonts-cabin (Cabin, OFL), fonts-go (Go, Go
 * Mono; BSD-3), fonts-sil-charis (Charis SIL, OFL), fonts-ebgaramond (EB Garamond, OFL),
 * fonts-vollkorn (Vollkorn, OFL), fonts-sil-andika (Andika, OFL), fonts-crosextra-caladea
 * (Caladea, OFL). None is a cut or a derivative of a validation or test family (no
 * Noto Sans or Droid Sans, Open Sans's sources; no Carlito, Lato's; no TeX Gyre Pagella or
 * Adventor, P052's and URW Gothic's; no Arimo, Tinos or Cousine, the Liberation designs);
 * dataset_reading_families_check refuses a held-out family that resolves to one of their
 * files. The glyph models (glyphs, chars, readerK) keep train_fonts alone: their datasets
 * and shipped weights are unchanged. */
static const char *const text_more_fonts[] = {
    "Roboto",
    "Roboto:bold",
    "Roboto:italic",
    "PT Sans",
    "PT Sans:bold",
    "PT Serif",
    "PT Serif:italic",
    "PT Mono",
    "Cabin",
    "Cabin:bold",
    "Go",
    "Go:bold",
    "Go Mono",
    "Charis SIL",
    "Charis SIL:italic",
    "EB Garamond",
    "EB Garamond:italic",
    "Vollkorn",
    "Vollkorn:bold",
    "Andika",
    "Caladea",
    "Caladea:bold",
};
#define N_TEXT_TRAIN (N_GLYPH_TRAIN + (int)(sizeof(text_more_fonts) / sizeof(text_more_fonts[0])))
/* face f trains with seed + f, the validation cuts with seed + 50 + f (load_face_dataset) */
_Static_assert(N_TEXT_TRAIN <= 50, "training seeds below the validation faces'");

/* Training face f of the natural-text readers (the glyph models' first, f < N_GLYPH_TRAIN). */
static const char *train_face(int f)
{
    return f < N_GLYPH_TRAIN ? train_fonts[f] : text_more_fonts[f - N_GLYPH_TRAIN];
}

int dataset_text_train_faces(void)
{
    return N_TEXT_TRAIN;
}

/* The split by whole families (dataset.h): defined here once; `eval reading` reads these. */
const char *const dataset_glyph_val_families[DATASET_GLYPH_VAL_FAMILIES] = {"P052", "URW Gothic"};
const char *const dataset_glyph_test_families[DATASET_GLYPH_TEST_FAMILIES] = {
    "Liberation Sans", "Liberation Serif", "Liberation Mono"};
const char *const dataset_reading_test_families[DATASET_READING_TEST_FAMILIES] = {
    "Liberation Sans",  "Liberation Serif", "Liberation Mono", "Open Sans", "Cantarell", "Lato",
    "Linux Biolinum O", "Linux Libertine O"};
const char *const dataset_reading_val_families[DATASET_READING_VAL_FAMILIES] = {
    "P052", "URW Gothic", "Inconsolata"};
/* validation: the cuts of the validation families, each glyph once */
static const struct {
    int family; /* in dataset_glyph_val_families */
    const char *style;
} val_cuts[] = {{0, ""}, {0, ":bold"}, {1, ""}, {1, ":style=Demi"}};
#define N_VAL_CUTS ((int)(sizeof(val_cuts) / sizeof(val_cuts[0])))

/* The fontconfig pattern of validation cut f ("P052:bold"). */
static const char *val_font(int f, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", dataset_glyph_val_families[val_cuts[f].family], val_cuts[f].style);
    return buf;
}

/* "A, B, C": the families of a split, for the datasets' provenance strings. */
static void family_list(const char *const *fams, int n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", fams[i]);
}
static const char *const test_styles[] = {"", ":bold", ":italic", ":bold:italic"};
#define N_TEST_STYLES ((int)(sizeof(test_styles) / sizeof(test_styles[0])))

/* Font sizes (px): the reading size of every text scene (TEXTLINE_PX) and one px either side.
 * No glyph is scaled: size and height above the baseline carry case (textline.h). */
static const int sizes_px[] = {TEXTLINE_PX - 1, TEXTLINE_PX, TEXTLINE_PX + 1};
#define N_SIZES ((int)(sizeof(sizes_px) / sizeof(sizes_px[0])))
#define N_CHARS TEXTLINE_CHARS
/* Each training glyph appears this often per epoch (each copy augmented anew by the trainer):
 * copy 0 alone on its line; copy 1 alone with its centre of mass on the gaze sample (how the
 * eye centres a lone glyph in the `letters` scene), still at its fixed size; copies 2.. on
 * the line between random neighbours (a letter, digit or space in each cell beside it), as
 * the fovea sees a letter in a word. Validation and test glyphs are alone on their line. */
#define TRAIN_COPIES 4

/* The patch of glyph c: cell centre on column 14, baseline on TEXTLINE_BASE_ROW; with
 * neighbours (rng non-NULL), random characters in the cells either side. */
static void glyph_patch(const TextFont *f, int c, Rng *rng, float *out)
{
    Image p = {out, DATASET_SIDE, DATASET_SIDE, DATASET_SIDE};
    memset(out, 0, sizeof(float) * DATASET_PATCH_N);
    char txt[4] = {' ', textline_char(c), ' ', 0};
    if (rng)
        for (int k = 0; k < 3; k += 2) {
            uint32_t r = rng_below(rng, N_CHARS + N_CHARS / 3);
            txt[k] = r < N_CHARS ? textline_char((int)r) : ' ';
        }
    textline_draw(f, txt, &p, 14 - TEXTLINE_PITCH, TEXTLINE_BASE_ROW, 1.0f);
}

/* Renders all glyphs of one font into dst (N_SIZES * N_CHARS patches per copy). boxed: every
 * patch scaled to a 20 px box ("glyphs-box", dataset_load_glyphs_boxed). */
static int render_font(const char *pattern, char *path, size_t path_n, int copies, uint64_t seed,
                       int boxed, float *dst, uint8_t *labels)
{
    if (text_find_font(pattern, path, path_n) < 0)
        return -1;
    Rng rng;
    rng_seed(&rng, seed);
    const size_t per_copy = (size_t)N_SIZES * N_CHARS;
    for (int s = 0; s < N_SIZES; s++) {
        TextFont f;
        if (textfont_load(&f, path, sizes_px[s]) < 0)
            return -1;
        for (int c = 0; c < N_CHARS; c++) {
            size_t k = (size_t)s * N_CHARS + (size_t)c;
            for (int copy = 0; copy < copies; copy++) {
                float *out = dst + (copy * per_copy + k) * DATASET_PATCH_N;
                if (boxed) { /* the MNIST way, for comparison: scaled to fit a 20 px box */
                    const Image *g = &f.glyph[c];
                    dataset_centre_patch(g->px, g->w, g->h, g->stride, 20, 0, out);
                } else if (copy == 1) {
                    const Image *g = &f.glyph[c];
                    dataset_centre_patch(g->px, g->w, g->h, g->stride, DATASET_SIDE, 1, out);
                } else {
                    glyph_patch(&f, c, copy >= 2 ? &rng : NULL, out);
                }
                labels[copy * per_copy + k] = (uint8_t)c;
            }
        }
        textfont_free(&f);
    }
    return 0;
}

static int render_checked(const char *pattern, const char *what, char *path, size_t path_n,
                          int copies, uint64_t seed, int boxed, float *dst, uint8_t *labels)
{
    if (render_font(pattern, path, path_n, copies, seed, boxed, dst, labels) < 0) {
        char msg[512];
        snprintf(msg, sizeof(msg), "glyphs: %s font: %s", what, sc_last_error());
        sc_set_error("%s", msg);
        return -1;
    }
    return 0;
}

/* The glyph classes' names (one character each, then "nothing"): names holds the strings,
 * ptrs points at them. */
static void class_names(char names[][2], const char **ptrs)
{
    for (int i = 0; i < N_CHARS; i++) {
        names[i][0] = textline_char(i);
        names[i][1] = 0;
        ptrs[i] = names[i];
    }
    ptrs[N_CHARS] = "nothing";
}

static int load_glyphs(Dataset *ds, const char *name, int boxed);

int dataset_load_glyphs(Dataset *ds)
{
    return load_glyphs(ds, "glyphs", 0);
}

/* The same glyphs scaled to fit a 20 px box with their centre of mass on the gaze sample, as
 * MNIST digits are (every copy alike, no neighbours): what the glyph set was before lowercase,
 * kept to measure what that representation loses (case: o/O, x/X, ...). */
int dataset_load_glyphs_boxed(Dataset *ds)
{
    return load_glyphs(ds, "glyphs-box", 1);
}

static int load_glyphs(Dataset *ds, const char *name, int boxed)
{
    enum { N_TRAIN = N_GLYPH_TRAIN, N_VAL = N_VAL_CUTS };
    const int per_font = N_SIZES * N_CHARS;
    char names[N_CHARS + 1][2];
    const char *name_ptrs[N_CHARS + 1];
    class_names(names, name_ptrs);
    const size_t block = (size_t)per_font * TRAIN_COPIES;
    const int n_train = (int)(N_TRAIN * block) + N_VAL * per_font;
    const int n_test = DATASET_GLYPH_TEST_FAMILIES * N_TEST_STYLES * per_font;
    if (dataset_alloc(ds, name, N_CHARS + 1, name_ptrs, N_CHARS, n_train, n_test) < 0)
        return -1;
    static char paths[N_TRAIN + N_VAL][1024];
    int len = snprintf(ds->train_desc, sizeof(ds->train_desc), "%d training faces:", (int)N_TRAIN);
    /* font-major: each training font's glyphs, then their copies; the validation fonts are one
     * block at the end, each glyph once */
    for (int f = 0; f < N_TRAIN; f++) {
        float *bx = ds->train_x + (size_t)f * block * DATASET_PATCH_N;
        uint8_t *by = ds->train_y + (size_t)f * block;
        if (render_checked(train_fonts[f], "training", paths[f], sizeof(paths[f]), TRAIN_COPIES,
                           1000u + (uint64_t)f, boxed, bx, by) < 0) {
            dataset_free(ds);
            return -1;
        }
        if (len < (int)sizeof(ds->train_desc))
            len += snprintf(ds->train_desc + len, sizeof(ds->train_desc) - (size_t)len, "%s %s",
                            f ? "," : "", train_fonts[f]);
    }
    ds->n_val = N_VAL * per_font;
    len = snprintf(ds->val_desc, sizeof(ds->val_desc), "validation faces:");
    for (int f = 0; f < N_VAL; f++) {
        size_t first = (size_t)N_TRAIN * block + (size_t)f * per_font;
        char vf[96];
        if (render_checked(val_font(f, vf, sizeof(vf)), "validation", paths[N_TRAIN + f],
                           sizeof(paths[0]), 1, 0, boxed, ds->train_x + first * DATASET_PATCH_N,
                           ds->train_y + first) < 0) {
            dataset_free(ds);
            return -1;
        }
        if (len < (int)sizeof(ds->val_desc))
            len += snprintf(ds->val_desc + len, sizeof(ds->val_desc) - (size_t)len, "%s %s",
                            f ? "," : "", vf);
    }
    /* every face its own file: a pattern fontconfig resolves to another face's file would
     * duplicate glyphs (and could put one face in two splits) */
    for (int a = 0; a < N_TRAIN + N_VAL; a++)
        for (int b = a + 1; b < N_TRAIN + N_VAL; b++)
            if (!strcmp(paths[a], paths[b])) {
                char va[96], vb[96];
                sc_set_error("glyphs: fonts '%s' and '%s' are the same file %s",
                             a < N_TRAIN ? train_fonts[a] : val_font(a - N_TRAIN, va, sizeof(va)),
                             b < N_TRAIN ? train_fonts[b] : val_font(b - N_TRAIN, vb, sizeof(vb)),
                             paths[a]);
                dataset_free(ds);
                return -1;
            }
    len = snprintf(ds->test_desc, sizeof(ds->test_desc), "held-out families:");
    ds->n_groups = DATASET_GLYPH_TEST_FAMILIES;
    for (int fam = 0; fam < DATASET_GLYPH_TEST_FAMILIES; fam++) {
        ds->group_first[fam] = fam * N_TEST_STYLES * per_font;
        ds->group_count[fam] = N_TEST_STYLES * per_font;
        snprintf(ds->group_name[fam], sizeof(ds->group_name[fam]), "%s",
                 dataset_glyph_test_families[fam]);
        for (int st = 0; st < N_TEST_STYLES; st++) {
            char pattern[96], path[1024];
            snprintf(pattern, sizeof(pattern), "%s%s", dataset_glyph_test_families[fam],
                     test_styles[st]);
            size_t first = (size_t)(fam * N_TEST_STYLES + st) * per_font;
            if (render_checked(pattern, "held-out", path, sizeof(path), 1, 0, boxed,
                               ds->test_x + first * DATASET_PATCH_N, ds->test_y + first) < 0) {
                dataset_free(ds);
                return -1;
            }
            for (int g = 0; g < N_TRAIN + N_VAL; g++)
                if (!strcmp(path, paths[g])) {
                    sc_set_error("glyphs: held-out font %s resolves to training font file %s",
                                 pattern, path);
                    dataset_free(ds);
                    return -1;
                }
        }
        if (len < (int)sizeof(ds->test_desc))
            len += snprintf(ds->test_desc + len, sizeof(ds->test_desc) - (size_t)len, "%s %s",
                            fam ? "," : "", dataset_glyph_test_families[fam]);
    }
    return 0;
}

/* ---- reader datasets: letters k cells from the gaze, as the retina delivers them ---- */

#define READER_COPIES_TRAIN 8 /* examples per glyph per training face (new neighbours each) */
#define READER_COPIES_EVAL 2  /* per glyph per validation or held-out face */
#define READER_CELLS 13       /* cells of the rendered line; the gaze's cell is the middle one */
#define READER_W (READER_CELLS * TEXTLINE_PITCH + 64)
#define READER_H 64
#define READER_BASE 40 /* baseline row of the line in its world */

/* n examples of one face: for each copy and glyph, a line of random neighbours with the glyph
 * `offset` cells from the gaze's cell, the gaze anywhere within its cell (and up to 6 px off
 * the line's reading height, as saccades land), the retina sampled there and the 28x28 patch
 * at the glyph's cell read through retina_value_at (blurred by its eccentricity). */
static int render_reader_face(const char *pattern, char *path, size_t path_n, int offset,
                              int copies, uint64_t seed, Retina *r, Image *world, float *dst,
                              uint8_t *labels)
{
    TextFont f;
    if (text_find_font(pattern, path, path_n) < 0 || textfont_load(&f, path, TEXTLINE_PX) < 0)
        return -1;
    Rng rng;
    rng_seed(&rng, seed);
    const int gaze_cell = READER_CELLS / 2, cell0 = 32 + TEXTLINE_PITCH / 2;
    size_t k = 0;
    for (int copy = 0; copy < copies; copy++)
        for (int c = 0; c < N_CHARS; c++, k++) {
            char line[READER_CELLS + 1];
            for (int i = 0; i < READER_CELLS; i++) {
                uint32_t v = rng_below(&rng, N_CHARS + N_CHARS / 6);
                line[i] = v < N_CHARS ? textline_char((int)v) : ' ';
            }
            line[READER_CELLS] = 0;
            line[gaze_cell + offset] = textline_char(c);
            float bg = 0.05f + 0.2f * (float)rng_uniform(&rng);
            image_fill(world, bg);
            textline_draw(&f, line, world, cell0, READER_BASE, 0.95f);
            float gx = (float)(cell0 + gaze_cell * TEXTLINE_PITCH) +
                       (float)TEXTLINE_PITCH * ((float)rng_uniform(&rng) - 0.5f);
            float gy = (float)(READER_BASE - TEXTLINE_GAZE_ABOVE_BASE) +
                       12.0f * ((float)rng_uniform(&rng) - 0.5f);
            retina_world_changed(r, world, 0, 0, world->w, world->h);
            retina_sample(r, gx, gy);
            float x0 = (float)(cell0 + (gaze_cell + offset) * TEXTLINE_PITCH - DATASET_SIDE / 2);
            float y0 = (float)(READER_BASE - TEXTLINE_BASE_ROW);
            float *out = dst + k * DATASET_PATCH_N;
            for (int y = 0; y < DATASET_SIDE; y++)
                for (int x = 0; x < DATASET_SIDE; x++)
                    out[y * DATASET_SIDE + x] = retina_value_at(r, x0 + (float)x, y0 + (float)y);
            labels[k] = (uint8_t)c;
        }
    textfont_free(&f);
    return 0;
}

/* One face's examples of a retina dataset (render_reader_face, render_text_face). */
typedef int (*FaceRender)(const char *pattern, char *path, size_t path_n, int offset, int copies,
                          uint64_t seed, Retina *r, Image *world, float *dst, uint8_t *labels);

/* A dataset of retina patches over the glyph split's faces (training faces, validation cuts,
 * held-out families in each test style), each face drawn by render into a w x h world seen
 * through a retina with goggles flip: copies_train examples per glyph per training face,
 * copies_eval per validation or held-out face, face f's seed from seed (+ 50 validation, + 80
 * held-out). 0, or -1 with the error prefixed by the dataset's name. */
static int load_face_dataset(Dataset *ds, const char *name, int n_train_faces, int offset, int flip,
                             FaceRender render, int w, int h, int copies_train, int copies_eval,
                             uint64_t seed)
{
    enum { N_VAL = N_VAL_CUTS };
    char names[N_CHARS + 1][2];
    const char *name_ptrs[N_CHARS + 1];
    class_names(names, name_ptrs);
    const int per_train = N_CHARS * copies_train, per_eval = N_CHARS * copies_eval;
    const int n_train = n_train_faces * per_train + N_VAL * per_eval;
    const int n_test = DATASET_GLYPH_TEST_FAMILIES * N_TEST_STYLES * per_eval;
    if (dataset_alloc(ds, name, N_CHARS + 1, name_ptrs, N_CHARS, n_train, n_test) < 0)
        return -1;
    RetinaParams rp;
    retina_params_default(&rp);
    rp.flip = flip;
    Retina *r = retina_create(&rp, w, h);
    Image world;
    memset(&world, 0, sizeof(world));
    if (!r || image_create(&world, w, h) < 0) {
        retina_destroy(&r);
        dataset_free(ds);
        return -1;
    }
    char path[1024];
    int rc = 0;
    for (int f = 0; f < n_train_faces && rc == 0; f++)
        rc = render(train_face(f), path, sizeof(path), offset, copies_train, seed + (uint64_t)f, r,
                    &world, ds->train_x + (size_t)f * per_train * DATASET_PATCH_N,
                    ds->train_y + (size_t)f * per_train);
    for (int f = 0; f < N_VAL && rc == 0; f++) {
        size_t first = (size_t)n_train_faces * per_train + (size_t)f * per_eval;
        char vf[96];
        rc = render(val_font(f, vf, sizeof(vf)), path, sizeof(path), offset, copies_eval,
                    seed + 50u + (uint64_t)f, r, &world, ds->train_x + first * DATASET_PATCH_N,
                    ds->train_y + first);
    }
    ds->n_val = N_VAL * per_eval;
    ds->n_groups = DATASET_GLYPH_TEST_FAMILIES;
    for (int fam = 0; fam < DATASET_GLYPH_TEST_FAMILIES && rc == 0; fam++) {
        ds->group_first[fam] = fam * N_TEST_STYLES * per_eval;
        ds->group_count[fam] = N_TEST_STYLES * per_eval;
        snprintf(ds->group_name[fam], sizeof(ds->group_name[fam]), "%s",
                 dataset_glyph_test_families[fam]);
        for (int st = 0; st < N_TEST_STYLES && rc == 0; st++) {
            char pattern[96];
            snprintf(pattern, sizeof(pattern), "%s%s", dataset_glyph_test_families[fam],
                     test_styles[st]);
            size_t first = (size_t)(fam * N_TEST_STYLES + st) * per_eval;
            rc = render(pattern, path, sizeof(path), offset, copies_eval,
                        seed + 80u + (uint64_t)(fam * N_TEST_STYLES + st), r, &world,
                        ds->test_x + first * DATASET_PATCH_N, ds->test_y + first);
        }
    }
    image_destroy(&world);
    retina_destroy(&r);
    if (rc < 0) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s: %s", name, sc_last_error());
        sc_set_error("%s", msg);
        dataset_free(ds);
        return -1;
    }
    char fams[160];
    family_list(dataset_glyph_val_families, DATASET_GLYPH_VAL_FAMILIES, fams, sizeof(fams));
    snprintf(ds->val_desc, sizeof(ds->val_desc), "validation faces: %s (%d cuts)", fams, N_VAL);
    family_list(dataset_glyph_test_families, DATASET_GLYPH_TEST_FAMILIES, fams, sizeof(fams));
    snprintf(ds->test_desc, sizeof(ds->test_desc), "held-out families: %s", fams);
    return 0;
}

int dataset_load_reader(Dataset *ds, int offset)
{
    if (offset == 0) {
        sc_set_error("reader+0: offsets are -8..-1 and 1..8 letter cells");
        return -1;
    }
    return dataset_load_reader_view(ds, offset, 0);
}

int dataset_load_reader_view(Dataset *ds, int offset, int flip)
{
    if (offset < -8 || offset > 8 || flip < 0 || flip > (RETINA_FLIP_X | RETINA_FLIP_Y)) {
        sc_set_error("reader%+d: offsets are -8..8 letter cells, goggles 0..3", offset);
        return -1;
    }
    char name[DATASET_NAME_MAX];
    snprintf(name, sizeof(name), "reader%+d", offset);
    if (load_face_dataset(ds, name, N_GLYPH_TRAIN, offset, flip, render_reader_face, READER_W,
                          READER_H, READER_COPIES_TRAIN, READER_COPIES_EVAL,
                          7000u + (uint64_t)(offset + 8) * 100u) < 0)
        return -1;
    snprintf(ds->train_desc, sizeof(ds->train_desc),
             "%d training faces (those of glyphs), glyph %+d letter cells from the gaze, "
             "retina samples of random lines",
             N_GLYPH_TRAIN, offset);
    return 0;
}

int dataset_reading_families_check(void)
{
    enum { N_MORE = DATASET_READING_TEST_FAMILIES + DATASET_READING_VAL_FAMILIES };
    char known[N_TEXT_TRAIN + N_VAL_CUTS + N_MORE][1024];
    const char *name[N_TEXT_TRAIN + N_VAL_CUTS + N_MORE];
    char vf[N_VAL_CUTS][96];
    int n = 0;
    for (int i = 0; i < N_TEXT_TRAIN; i++)
        name[n++] = train_face(i);
    for (int f = 0; f < N_VAL_CUTS; f++)
        name[n++] = val_font(f, vf[f], sizeof(vf[f]));
    for (int i = 0; i < DATASET_READING_TEST_FAMILIES; i++)
        name[n++] = dataset_reading_test_families[i];
    /* the reading validation families beyond the glyph ones (those are val cuts above) */
    for (int i = DATASET_GLYPH_VAL_FAMILIES; i < DATASET_READING_VAL_FAMILIES; i++)
        name[n++] = dataset_reading_val_families[i];
    for (int i = 0; i < n; i++) {
        if (text_find_font(name[i], known[i], sizeof(known[i])) < 0)
            return -1;
        if (i < N_TEXT_TRAIN + N_VAL_CUTS)
            continue;
        for (int j = 0; j < i; j++)
            if (!strcmp(known[i], known[j])) {
                sc_set_error("reading: held-out family %s resolves to %s, the file of %s", name[i],
                             known[i], name[j]);
                return -1;
            }
    }
    return 0;
}

/* ---- natural-text reader datasets: the letter K segments from the gaze's, cut where the
 * eye's own segmentation puts it (retina/retina_text.h) ---- */

#define TEXT_COPIES_TRAIN 8 /* examples per glyph per training face */
#define TEXT_COPIES_EVAL 2  /* per glyph per validation or held-out face */
#define TEXT_W 1100
#define TEXT_H 140
#define TEXT_BASE 90
#define TEXT_SIZE_MIN 16
#define TEXT_SIZE_MAX 36
/* dataset_text_letter_widths' lines: seed this + face (the readers' are 9000..10600 + face) */
#define TEXT_WIDTHS_SEED 20000u

/* English letter frequencies (per mille, a..z): the neighbours of a line are drawn from them
 * (so that pairs that touch, ff, rn, are as common as in text), no word-level knowledge. */
static const int letter_freq[26] = {82, 15, 28, 43, 127, 22, 20, 61, 70, 2,  8, 40, 24,
                                    67, 75, 19, 1,  60,  63, 91, 28, 10, 24, 2, 20, 1};

static char random_text_char(Rng *rng, int word_start)
{
    uint32_t v = rng_below(rng, 100);
    if (v < 2)
        return (char)('0' + rng_below(rng, 10));
    if (v < (word_start ? 30u : 4u))
        return (char)('A' + rng_below(rng, 26));
    int w = (int)rng_below(rng, 1000);
    for (int i = 0; i < 26; i++) {
        w -= letter_freq[i];
        if (w < 0)
            return (char)('a' + i);
    }
    return 'e';
}

/* A line of words (2..9 letters) with char c at position *at (a letter near the middle). */
static int random_text_line(Rng *rng, char *buf, int n, char c, int *at)
{
    int k = 0, mid = -1;
    while (k < n - 12) {
        int len = 2 + (int)rng_below(rng, 8);
        for (int i = 0; i < len; i++) {
            buf[k] = random_text_char(rng, i == 0);
            if (mid < 0 && k >= n / 2 - 6 && rng_below(rng, 3) == 0) {
                buf[k] = c;
                mid = k;
            }
            k++;
        }
        buf[k++] = ' ';
    }
    buf[k] = 0;
    if (mid < 0) {
        mid = n / 2 - 6;
        buf[mid] = c == ' ' ? 'e' : c;
        if (buf[mid - 1] == ' ' && buf[mid + 1] == ' ')
            buf[mid + 1] = 'e';
    }
    *at = mid;
    return k;
}

/* Where render_text_face_widths puts the segments that hold one letter alone: its class and
 * width in x-heights, at most one per example. */
typedef struct WidthSample {
    int cls;
    float w;
} WidthSample;
typedef struct WidthSink {
    WidthSample *s;
    int n, cap;
} WidthSink;

static int render_text_face_widths(const char *pattern, char *path, size_t path_n, int offset,
                                   int copies, uint64_t seed, Retina *r, Image *world, float *dst,
                                   uint8_t *labels, WidthSink *ws);

/* The examples of one face: for each copy and glyph, a line of random text at a random size
 * (TEXT_SIZE_MIN..MAX px) in its natural spacing with the glyph near the middle; the gaze on
 * the letter `offset` letters left of it (offset 0: on it), landing anywhere within it and
 * up to half an x-height off the line's middle; the eye's line, segments and patch from that
 * glimpse (retina_text_*), and the segment `offset` segments right of the gaze's (the gaze's:
 * the one whose centre is nearest, as the eye takes it). Its label is the letter whose ink
 * centre the segment holds when it holds one (mostly the glyph; another when the landing or
 * the segmentation shifts the count), else "nothing" (a segment that is no one letter). */
static int render_text_face(const char *pattern, char *path, size_t path_n, int offset, int copies,
                            uint64_t seed, Retina *r, Image *world, float *dst, uint8_t *labels)
{
    return render_text_face_widths(pattern, path, path_n, offset, copies, seed, r, world, dst,
                                   labels, NULL);
}

/* render_text_face, and with ws the widths of the single letters' segments in x-heights */
static int render_text_face_widths(const char *pattern, char *path, size_t path_n, int offset,
                                   int copies, uint64_t seed, Retina *r, Image *world, float *dst,
                                   uint8_t *labels, WidthSink *ws)
{
    RetinaTextWork *work = NULL;
    if (text_find_font(pattern, path, path_n) < 0 || !(work = retina_text_work_create()))
        return -1;
    Rng rng;
    rng_seed(&rng, seed);
    size_t k = 0;
    TextFont fonts[TEXT_SIZE_MAX - TEXT_SIZE_MIN + 1];
    int loaded[TEXT_SIZE_MAX - TEXT_SIZE_MIN + 1] = {0};
    int rc = 0;
    for (int copy = 0; copy < copies && rc == 0; copy++)
        for (int c = 0; c < N_CHARS && rc == 0; c++, k++) {
            int px = TEXT_SIZE_MIN + (int)rng_below(&rng, TEXT_SIZE_MAX - TEXT_SIZE_MIN + 1);
            TextFont *f = &fonts[px - TEXT_SIZE_MIN];
            if (!loaded[px - TEXT_SIZE_MIN]) {
                if (textfont_load(f, path, px) < 0) {
                    rc = -1;
                    break;
                }
                loaded[px - TEXT_SIZE_MIN] = 1;
            }
            char line[128];
            int at, n_chars = TEXT_W / (px * 2 / 3);
            if (n_chars > (int)sizeof(line) - 1)
                n_chars = (int)sizeof(line) - 1;
            int len = random_text_line(&rng, line, n_chars, textline_char(c), &at);
            int boxes[4 * 128];
            float bg = 0.05f + 0.2f * (float)rng_uniform(&rng);
            image_fill(world, bg);
            int pen0 = TEXT_W / 2 - textline_draw_natural(f, line, NULL, 0, 0, 1.0f, NULL) / 2;
            textline_draw_natural(f, line, world, pen0, TEXT_BASE, 0.95f, boxes);
            retina_world_changed(r, world, 0, 0, world->w, world->h);
            /* the gaze's letter: offset letters (not spaces) left of the glyph */
            int gl = at;
            for (int m = 0, step = offset > 0 ? -1 : 1; m < abs(offset);) {
                gl += step;
                if (gl < 0 || gl >= len)
                    break;
                m += line[gl] != ' ';
            }
            if (gl < 0 || gl >= len || line[gl] == ' ')
                gl = at;
            int xc = textline_class('x');
            float xh = (float)(f->ink[xc][3] - f->ink[xc][1]);
            const int *gb = boxes + 4 * gl;
            float gx = (float)gb[0] + (float)(gb[2] - gb[0]) * (float)rng_uniform(&rng);
            float gy = (float)TEXT_BASE - 0.5f * xh + xh * ((float)rng_uniform(&rng) - 0.5f);
            retina_sample(r, gx, gy);
            float *out = dst + k * DATASET_PATCH_N;
            labels[k] = (uint8_t)N_CHARS; /* nothing, unless the segment is the glyph alone */
            RetinaTextLine L;
            RetinaTextLetter seg[RETINA_TEXT_MAX_LETTERS];
            if (!retina_text_line(r, gx, gy, 60.0f, 16.0f, &L)) {
                memset(out, 0, sizeof(float) * DATASET_PATCH_N);
                continue;
            }
            int ns = retina_text_letters(r, &L, gx - 8.0f * L.xheight, gx + 14.0f * L.xheight, work,
                                         seg, RETINA_TEXT_MAX_LETTERS);
            int g = -1;
            float gd = 1e30f;
            for (int i = 0; i < ns; i++) {
                float d = fabsf(0.5f * (seg[i].x0 + seg[i].x1 - 1.0f) - gx);
                if (d < gd) {
                    gd = d;
                    g = i;
                }
            }
            int j = g + offset;
            if (g < 0 || j < 0 || j >= ns) { /* no segment there: the patch where it would be */
                retina_text_patch(r, &L, (float)(boxes[4 * at] + boxes[4 * at + 2]) * 0.5f, out);
                continue;
            }
            retina_text_patch(r, &L, 0.5f * (seg[j].x0 + seg[j].x1 - 1.0f), out);
            int inside = 0, which = -1;
            for (int i = 0; i < len; i++) {
                if (line[i] == ' ')
                    continue;
                float ci = 0.5f * (float)(boxes[4 * i] + boxes[4 * i + 2]);
                if (ci >= seg[j].x0 && ci < seg[j].x1) {
                    inside++;
                    which = i;
                }
            }
            if (inside == 1) {
                int cls = textline_class(line[which]);
                labels[k] = (uint8_t)cls;
                if (ws && cls >= 0 && ws->n < ws->cap)
                    ws->s[ws->n++] = (WidthSample){cls, (seg[j].x1 - seg[j].x0) / L.xheight};
            }
        }
    for (int i = 0; i <= TEXT_SIZE_MAX - TEXT_SIZE_MIN; i++)
        if (loaded[i])
            textfont_free(&fonts[i]);
    retina_text_work_destroy(&work);
    return rc;
}

/* By class, then width. */
static int cmp_width_sample(const void *a, const void *b)
{
    const WidthSample *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls - y->cls;
    return (x->w > y->w) - (x->w < y->w);
}

int dataset_text_letter_widths(int copies, float lo[TEXTLINE_CHARS], float hi[TEXTLINE_CHARS])
{
    if (copies < 1 || copies > 1000) {
        sc_set_error("letter widths: copies must be 1..1000");
        return -1;
    }
    WidthSink ws = {.cap = N_TEXT_TRAIN * copies * N_CHARS}; /* one per example at most */
    float *dst = malloc(sizeof(float) * DATASET_PATCH_N * N_CHARS * (size_t)copies);
    uint8_t *labels = malloc((size_t)N_CHARS * (size_t)copies);
    ws.s = malloc(sizeof(WidthSample) * (size_t)ws.cap);
    RetinaParams rp;
    retina_params_default(&rp);
    Retina *r = retina_create(&rp, TEXT_W, TEXT_H);
    Image world;
    memset(&world, 0, sizeof(world));
    int rc = 0;
    if (!dst || !labels || !ws.s || !r || image_create(&world, TEXT_W, TEXT_H) < 0) {
        sc_set_error("letter widths: out of memory");
        rc = -1;
    }
    char path[1024];
    for (int f = 0; f < N_TEXT_TRAIN && rc == 0; f++)
        rc = render_text_face_widths(train_face(f), path, sizeof(path), 0, copies,
                                     TEXT_WIDTHS_SEED + (uint64_t)f, r, &world, dst, labels, &ws);
    for (int c = 0; c < N_CHARS; c++)
        lo[c] = hi[c] = 0.0f;
    if (rc == 0)
        qsort(ws.s, (size_t)ws.n, sizeof(WidthSample), cmp_width_sample);
    for (int a = 0, b; rc == 0 && a < ws.n; a = b) { /* each class's run of samples */
        for (b = a; b < ws.n && ws.s[b].cls == ws.s[a].cls;)
            b++;
        int n = b - a;
        lo[ws.s[a].cls] = ws.s[a + n / 100].w;
        hi[ws.s[a].cls] = ws.s[b - 1 - n / 100].w;
    }
    image_destroy(&world);
    retina_destroy(&r);
    free(ws.s);
    free(labels);
    free(dst);
    return rc;
}

int dataset_load_text(Dataset *ds, int offset)
{
    if (offset < -8 || offset > 8) {
        sc_set_error("text%+d: offsets are -8..8 letters", offset);
        return -1;
    }
    char name[DATASET_NAME_MAX];
    if (offset)
        snprintf(name, sizeof(name), "text%+d", offset);
    else
        snprintf(name, sizeof(name), "text0");
    if (load_face_dataset(ds, name, N_TEXT_TRAIN, offset, 0, render_text_face, TEXT_W, TEXT_H,
                          TEXT_COPIES_TRAIN, TEXT_COPIES_EVAL,
                          9000u + (uint64_t)(offset + 8) * 100u) < 0)
        return -1;
    snprintf(ds->train_desc, sizeof(ds->train_desc),
             "%d training faces (the %d of glyphs and %d more), natural text at %d..%d px, the "
             "letter %+d segments from the gaze's as the eye segments it",
             N_TEXT_TRAIN, N_GLYPH_TRAIN, N_TEXT_TRAIN - N_GLYPH_TRAIN, TEXT_SIZE_MIN,
             TEXT_SIZE_MAX, offset);
    return 0;
}
