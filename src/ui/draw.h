/* draw.h: batched 2D primitives for overlays, panels and text (shaders/ui.*.glsl).
 * Coordinates are drawable pixels, origin top left. The vertex buffer is allocated once in
 * draw_create(); drawing never allocates. Primitives are flushed in order by draw_flush()
 * (also automatically when the buffer fills or the text atlas changes).
 */
#ifndef SACCADE_UI_DRAW_H
#define SACCADE_UI_DRAW_H

#include "ui/font.h"

typedef struct Rgba {
    float r, g, b, a;
} Rgba;

typedef struct Draw Draw;

Draw *draw_create(void); /* needs a current GL context; NULL + sc_last_error() */
void draw_destroy(Draw **d);
/* Starts a frame for a drawable of w x h px (sets the projection). */
void draw_begin(Draw *d, int w, int h);
void draw_flush(Draw *d);

void draw_rect(Draw *d, float x, float y, float w, float h, Rgba c);
void draw_rect_outline(Draw *d, float x, float y, float w, float h, float t, Rgba c);
void draw_line(Draw *d, float x0, float y0, float x1, float y1, float width, Rgba c);
/* A ring of outer radius r and thickness t (t >= r gives a disc), anti-aliased. */
void draw_ring(Draw *d, float cx, float cy, float r, float t, Rgba c);
/* Text with its top-left corner at (x, y); returns the advance width. */
int draw_text(Draw *d, const Font *f, float x, float y, const char *s, Rgba c);

#endif
