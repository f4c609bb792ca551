/* font.h: text for the window: an ASCII glyph atlas rendered once with SDL2_ttf into one GL
 * texture (single channel coverage), so drawing text each frame is only quads, never new
 * textures. The font is DejaVu Sans found by text_find_font (src/core/text.h).
 */
#ifndef SACCADE_UI_FONT_H
#define SACCADE_UI_FONT_H

#define FONT_FIRST 32
#define FONT_LAST 126
/* Beyond ASCII the atlas holds one glyph, U+2260 "not equal" (a wrong read's tag: "l 74% ≠ I"),
 * in the slot after FONT_LAST, when the font has it (has_ne); without it the text draws "!=". */
#define FONT_NE_UTF8 "\xe2\x89\xa0"
#define FONT_GLYPHS (FONT_LAST - FONT_FIRST + 2)

typedef struct FontGlyph {
    float u0, v0, u1, v1; /* atlas texture coordinates */
    int w, h;             /* glyph cell in px (height = line height) */
    int advance;          /* pen advance, px */
} FontGlyph;

typedef struct Font {
    unsigned tex;       /* GL_R8 atlas */
    int px;             /* requested pixel height */
    int line_h, ascent; /* px */
    int has_ne;         /* 1: the font has U+2260 and g[FONT_GLYPHS - 1] is it */
    FontGlyph g[FONT_GLYPHS];
} Font;

/* Renders the atlas from a font file at px height. Needs a current GL context.
 * Returns 0 or -1 with sc_last_error() set. */
int font_create(Font *f, const char *path, int px);
void font_destroy(Font *f);
/* Width in px of a string (UTF-8 U+2260 as its glyph, or "!=" without it; other non-ASCII
 * bytes count as '?'). */
int font_text_width(const Font *f, const char *s);
/* The glyph of the character at *s, advancing *s past it; *pair gets a second glyph to draw
 * after it (the '=' of "!=" when the font lacks U+2260), else NULL. */
const FontGlyph *font_next_glyph(const Font *f, const char **s, const FontGlyph **pair);

#endif
