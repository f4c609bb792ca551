/* font.h: text for the window: an ASCII glyph atlas rendered once with SDL2_ttf into one GL
 * texture (single channel coverage), so drawing text each frame is only quads, never new
 * textures. The font is DejaVu Sans found by text_find_font (src/core/text.h).
 */
#ifndef SACCADE_UI_FONT_H
#define SACCADE_UI_FONT_H

#define FONT_FIRST 32
#define FONT_LAST 126

typedef struct FontGlyph {
    float u0, v0, u1, v1; /* atlas texture coordinates */
    int w, h;             /* glyph cell in px (height = line height) */
    int advance;          /* pen advance, px */
} FontGlyph;

typedef struct Font {
    unsigned tex;       /* GL_R8 atlas */
    int px;             /* requested pixel height */
    int line_h, ascent; /* px */
    FontGlyph g[FONT_LAST - FONT_FIRST + 1];
} Font;

/* Renders the atlas from a font file at px height. Needs a current GL context.
 * Returns 0 or -1 with sc_last_error() set. */
int font_create(Font *f, const char *path, int px);
void font_destroy(Font *f);
/* Width in px of a string (non-ASCII bytes count as '?'). */
int font_text_width(const Font *f, const char *s);

#endif
