/* text.h: fonts and rendered text as float images (SDL2_ttf), shared by the letters scene,
 * the glyph dataset and the window.
 */
#ifndef SACCADE_CORE_TEXT_H
#define SACCADE_CORE_TEXT_H

#include <stddef.h>

#include "core/image.h"

/* Finds a font file by fontconfig pattern (e.g. "DejaVu Sans", "DejaVu Serif:bold") using
 * `fc-match`, falling back to Debian's known paths; checks the file opens. fc-match's nearest
 * substitute of another family does not count (so "No Such Font" fails rather than silently
 * becoming DejaVu). A pattern containing '/' is taken as a font file path. Answers are cached
 * for the process. Returns 0 and the path in buf, or -1 with a one-line error naming the font. */
int text_find_font(const char *pattern, char *buf, size_t n);

/* Renders UTF-8 text in the font file into a newly created image (caller destroys it): coverage,
 * ink = 1, background = 0 (anti-aliased edges in between); width = the text's advance width,
 * height = the font's line height (ascent + descent: ~1.16 * px_height for DejaVu Sans), the
 * baseline at the same row for every text of one font and size. px_height is the font's pixel
 * size (its em square, 4..1024): DejaVu Sans capitals are ~0.73 * px_height high.
 * Thread-safe (one lock); fonts stay open in a small cache for the life of the process. Other
 * code should draw text through this function rather than call SDL2_ttf itself, so that all
 * FreeType use is serialised by that lock.
 * Returns 0, or -1 with a one-line error (missing/unreadable font, empty text, bad size). */
int text_render(const char *font_path, const char *text, int px_height, Image *out);

/* For code that must call SDL2_ttf itself (the window's glyph atlas wants per-glyph metrics):
 * initialises SDL2_ttf once and takes the lock text_render holds, so that no two threads use
 * FreeType at once (the window builds its atlas while the scene renders its text on another
 * thread). Returns 0 with the lock held, or -1 with a one-line error and no lock. */
int text_ttf_begin(void);
void text_ttf_end(void);

/* The font's own spacing at px_height, for setting text in its natural proportional spacing
 * (data/textline.h): for each of the n characters of chars (ASCII), its advance width and the
 * column of its pen origin in what text_render draws of it alone (0, or -minx for a glyph
 * whose ink starts left of the pen), and kern[i * n + j] the kerning between chars[i] followed
 * by chars[j]; *space the advance of a space. px. Returns 0, or -1 with a one-line error. */
int text_metrics(const char *font_path, int px_height, const char *chars, int n, int *advance,
                 int *origin, int *kern, int *space);

#endif
