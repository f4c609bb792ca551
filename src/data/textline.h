/* textline.h: letters as they sit in a line of text, shared by the glyph dataset, the reader
 * datasets, the `words` and `letters` scenes and `eval reading`, so that a glyph in a dataset
 * looks exactly as it does in a line of a scene.
 *
 * Every glyph is rendered at one fixed font size (TEXTLINE_PX, no scaling to a box: scaling
 * every glyph to fit a box, as MNIST does, makes c/C, o/O, s/S, v/V, w/W, x/X, z/Z and l/I the
 * same picture) on a common baseline, so size and height above the baseline carry case.
 * Lines are laid out on a fixed pitch (TEXTLINE_PITCH px per letter cell, like a typewriter):
 * each glyph's ink is centred horizontally on its cell centre (rounded to a whole pixel); a
 * space is an empty cell. In a 28x28 patch read at a cell, the cell centre is column 14 and the
 * baseline row TEXTLINE_BASE_ROW, so the gaze sample (14, 14) lies TEXTLINE_GAZE_ABOVE_BASE px
 * above the baseline (in the middle of the lowercase x-height): where a reader's eye sits on a
 * line.
 */
#ifndef SACCADE_DATA_TEXTLINE_H
#define SACCADE_DATA_TEXTLINE_H

#include "core/image.h"

#define TEXTLINE_PX 22             /* font pixel size (em) */
#define TEXTLINE_PITCH 18          /* px per letter cell */
#define TEXTLINE_BASE_ROW 19       /* baseline row in a 28x28 patch centred on a cell */
#define TEXTLINE_GAZE_ABOVE_BASE 5 /* = TEXTLINE_BASE_ROW - 14 */
#define TEXTLINE_CHARS 62          /* A-Z, a-z, 0-9 */

/* Class index of a character (A-Z 0..25, a-z 26..51, 0-9 52..61), -1 for anything else. */
int textline_class(char c);
char textline_char(int cls);

/* The 62 glyphs of one font at one size, each an ink image (0..1) with its baseline row and
 * the column of its ink centre. */
typedef struct TextFont {
    Image glyph[TEXTLINE_CHARS];
    int base_row[TEXTLINE_CHARS]; /* baseline row in glyph[i] */
    int ink_cx[TEXTLINE_CHARS];   /* column of the ink centre (bounding box) in glyph[i] */
    int ink[TEXTLINE_CHARS][4];   /* ink box in glyph[i]: x0, y0, x1, y1 (half-open) */
    /* the font's own spacing (natural text, textline_draw_natural): advance widths, the column
     * of the pen origin in glyph[i], the kerning of each pair, a space's advance; px */
    int advance[TEXTLINE_CHARS];
    int origin_x[TEXTLINE_CHARS];
    signed char kern[TEXTLINE_CHARS][TEXTLINE_CHARS];
    int space_advance;
    int px;
} TextFont;

/* Renders the glyphs of the font that fontconfig pattern names (core/text.h rules). 0, or -1
 * with a one-line error naming the font. */
int textfont_load(TextFont *f, const char *pattern, int px);
void textfont_free(TextFont *f);

/* Draws text on dst with cell 0 centred at x = cell0_x and the baseline on row baseline_y:
 * dst = dst * (1 - a) + ink * a for coverage a. Characters outside textline_class are spaces.
 * Clipped to dst. */
void textline_draw(const TextFont *f, const char *text, Image *dst, int cell0_x, int baseline_y,
                   float ink);
/* Ink bounding box (half-open) of character c drawn in cell centre x, baseline y; 0 for a
 * space (no box). */
int textline_char_box(const TextFont *f, char c, int cell_x, int baseline_y, int *x0, int *y0,
                      int *x1, int *y1);

/* Natural text: sets text in the font's own proportional spacing, as a typesetter would (each
 * glyph at the pen, the pen moved on by its advance plus the kerning with the next glyph; any
 * character outside textline_class moves it by a space), starting with the pen at pen_x on
 * baseline row baseline_y. Draws as textline_draw when dst is non-NULL (clipped). When boxes is
 * non-NULL, writes 4 ints per character: its ink box x0, y0, x1, y1 (half-open; x0 = x1 for a
 * space). Returns the pen's x after the text. */
int textline_draw_natural(const TextFont *f, const char *text, Image *dst, int pen_x,
                          int baseline_y, float ink, int *boxes);

#endif
