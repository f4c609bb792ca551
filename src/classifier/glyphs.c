/* The glyph dataset: capital letters A-Z and digits 0-9 rendered with SDL2_ttf (through
 * scene/text.h) from real fonts installed on the system, at the sizes the letters scene uses.
 *
 * Training fonts (fontconfig patterns; Debian packages fonts-dejavu-core, fonts-dejavu-extra,
 * fonts-urw-base35): see train_fonts[] below. Held out for testing: Nimbus Sans regular and bold
 * (the URW Helvetica clone), never seen in training. A font that fontconfig cannot find (or only
 * finds a substitute for) is an error, so the split never silently changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/trainer.h"
#include "core/image.h"
#include "core/log.h"
#include "scene/scene.h"
#include "scene/text.h"

int dataset_load_glyphs(Dataset *ds);

/* The last N_VAL_FONTS are the validation split (`train --holdout` leaves them out and reports
 * accuracy on them): two sans-serif faces, as the held-out test font is. */
static const char *const train_fonts[] = {
    "DejaVu Sans",       "DejaVu Sans:bold",      "DejaVu Sans Mono", "DejaVu Sans Mono:bold",
    "DejaVu Serif",      "DejaVu Serif:bold",     "DejaVu Serif:condensed",
    "Nimbus Roman",      "Nimbus Roman:bold",     "Nimbus Mono PS",   "Nimbus Mono PS:bold",
    "URW Bookman",       "C059",                  "P052",             "Nimbus Sans Narrow",
    "DejaVu Sans:condensed", "URW Gothic",
};
#define N_VAL_FONTS 2
_Static_assert(N_VAL_FONTS == 2, "val_desc below names two fonts");
static const char *const test_fonts[] = {"Nimbus Sans", "Nimbus Sans:bold"};

/* Font sizes (px, SDL2_ttf point size at 72 dpi) around the letters scene's SCENE_TEXT_PX. */
static const int sizes_px[] = {SCENE_TEXT_PX - 6, SCENE_TEXT_PX - 2, SCENE_TEXT_PX + 2};
#define N_SIZES ((int)(sizeof(sizes_px) / sizeof(sizes_px[0])))
#define N_CHARS 36
#define TRAIN_COPIES 4 /* each training glyph appears this often per epoch (augmented anew) */
#define GLYPH_BOX 26   /* larger glyphs are shrunk to fit this box, px */

static char glyph_char(int i) { return i < 26 ? (char)('A' + i) : (char)('0' + i - 26); }

/* Renders all glyphs of one font into dst (N_SIZES * N_CHARS patches). */
static int render_font(const char *pattern, char *path, size_t path_n, float *dst, uint8_t *labels)
{
    if (text_find_font(pattern, path, path_n) < 0)
        return -1;
    int k = 0;
    for (int s = 0; s < N_SIZES; s++)
        for (int c = 0; c < N_CHARS; c++, k++) {
            char txt[2] = {glyph_char(c), 0};
            Image img;
            if (text_render(path, txt, sizes_px[s], &img) < 0)
                return -1;
            trainer_centre_patch(img.px, img.w, img.h, img.stride, GLYPH_BOX, 1,
                                 dst + (size_t)k * PATCH_N);
            image_destroy(&img);
            labels[k] = (uint8_t)c;
        }
    return 0;
}

int dataset_load_glyphs(Dataset *ds)
{
    const int n_train_fonts = (int)(sizeof(train_fonts) / sizeof(train_fonts[0]));
    const int n_test_fonts = (int)(sizeof(test_fonts) / sizeof(test_fonts[0]));
    const int per_font = N_SIZES * N_CHARS;
    char names[N_CHARS + 1][2];
    const char *name_ptrs[N_CHARS + 1];
    for (int i = 0; i < N_CHARS; i++) {
        names[i][0] = glyph_char(i);
        names[i][1] = 0;
        name_ptrs[i] = names[i];
    }
    name_ptrs[N_CHARS] = "nothing";
    int n_unique = n_train_fonts * per_font;
    if (dataset_alloc(ds, "glyphs", N_CHARS + 1, name_ptrs, N_CHARS, n_unique * TRAIN_COPIES,
                      n_test_fonts * per_font) < 0)
        return -1;
    char paths[sizeof(train_fonts) / sizeof(train_fonts[0])][1024];
    int len = snprintf(ds->train_desc, sizeof(ds->train_desc), "%d fonts:", n_train_fonts);
    /* font-major: each font's glyphs, then their copies, so that the validation fonts (the
     * last ones) are one block at the end and never appear before it */
    const size_t block = (size_t)per_font * TRAIN_COPIES;
    for (int f = 0; f < n_train_fonts; f++) {
        float *bx = ds->train_x + (size_t)f * block * PATCH_N;
        uint8_t *by = ds->train_y + (size_t)f * block;
        if (render_font(train_fonts[f], paths[f], sizeof(paths[f]), bx, by) < 0) {
            char msg[512];
            snprintf(msg, sizeof(msg), "glyphs: training font: %s", sc_last_error());
            sc_set_error("%s", msg);
            dataset_free(ds);
            return -1;
        }
        for (int copy = 1; copy < TRAIN_COPIES; copy++) {
            memcpy(bx + (size_t)copy * per_font * PATCH_N, bx, sizeof(float) * (size_t)per_font * PATCH_N);
            memcpy(by + (size_t)copy * per_font, by, (size_t)per_font);
        }
        if (len < (int)sizeof(ds->train_desc))
            len += snprintf(ds->train_desc + len, sizeof(ds->train_desc) - (size_t)len, "%s %s",
                            f ? "," : "", train_fonts[f]);
    }
    ds->n_val = N_VAL_FONTS * (int)block;
    snprintf(ds->val_desc, sizeof(ds->val_desc), "fonts %s, %s", train_fonts[n_train_fonts - 2],
             train_fonts[n_train_fonts - 1]);
    len = snprintf(ds->test_desc, sizeof(ds->test_desc), "held-out fonts:");
    for (int f = 0; f < n_test_fonts; f++) {
        char path[1024];
        if (render_font(test_fonts[f], path, sizeof(path), ds->test_x + (size_t)f * per_font * PATCH_N,
                        ds->test_y + (size_t)f * per_font) < 0) {
            char msg[512];
            snprintf(msg, sizeof(msg), "glyphs: held-out font: %s", sc_last_error());
            sc_set_error("%s", msg);
            dataset_free(ds);
            return -1;
        }
        for (int g = 0; g < n_train_fonts; g++)
            if (!strcmp(path, paths[g])) {
                sc_set_error("glyphs: held-out font %s resolves to training font file %s", test_fonts[f], path);
                dataset_free(ds);
                return -1;
            }
        if (len < (int)sizeof(ds->test_desc))
            len += snprintf(ds->test_desc + len, sizeof(ds->test_desc) - (size_t)len, "%s %s",
                            f ? "," : "", test_fonts[f]);
    }
    return 0;
}
