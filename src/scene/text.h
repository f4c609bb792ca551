/* text.h: fonts and rendered text as float images (SDL2_ttf), shared by the letters scene,
 * the glyph dataset and the window.
 */
#ifndef SACCADE_SCENE_TEXT_H
#define SACCADE_SCENE_TEXT_H

#include <stddef.h>

#include "core/image.h"

/* Finds a font file by fontconfig pattern (e.g. "DejaVu Sans", "DejaVu Serif:bold") using
 * `fc-match`, falling back to Debian's known paths; checks the file opens. Returns 0 and the
 * path in buf, or -1 with a one-line error naming the font. */
int text_find_font(const char *pattern, char *buf, size_t n);

/* Renders text in the font file at the given pixel height into a newly created image
 * (ink = 1, background = 0, tight width, height = font line height). Returns 0 or -1. */
int text_render(const char *font_path, const char *text, int px_height, Image *out);

#endif
