/* Letters on a line: fixed size, common baseline, fixed pitch (see textline.h). */
#include "data/textline.h"

#include <math.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"

int textline_class(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return 26 + c - 'a';
    if (c >= '0' && c <= '9')
        return 52 + c - '0';
    return -1;
}

char textline_char(int cls)
{
    if (cls >= 0 && cls < 26)
        return (char)('A' + cls);
    if (cls >= 26 && cls < 52)
        return (char)('a' + cls - 26);
    if (cls >= 52 && cls < 62)
        return (char)('0' + cls - 52);
    return ' ';
}

/* Ink columns and rows of an image (coverage above 0.02); returns 0 when it has none. */
static int ink_box(const Image *img, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = img->w;
    *y0 = img->h;
    *x1 = -1;
    *y1 = -1;
    for (int y = 0; y < img->h; y++)
        for (int x = 0; x < img->w; x++)
            if (image_at(img, x, y) > 0.02f) {
                *x0 = x < *x0 ? x : *x0;
                *x1 = x > *x1 ? x : *x1;
                *y0 = y < *y0 ? y : *y0;
                *y1 = y > *y1 ? y : *y1;
            }
    return *x1 >= 0;
}

int textfont_load(TextFont *f, const char *pattern, int px)
{
    memset(f, 0, sizeof(*f));
    f->px = px;
    char path[1024];
    if (text_find_font(pattern, path, sizeof(path)) < 0)
        return -1;
    /* the baseline: the row under the ink of a flat-bottomed capital (every text of one font
     * and size has its baseline on the same row, core/text.h) */
    Image h;
    if (text_render(path, "H", px, &h) < 0)
        return -1;
    int base = h.h;
    for (int y = h.h - 1; y >= 0 && base == h.h; y--)
        for (int x = 0; x < h.w; x++)
            if (image_at(&h, x, y) > 0.5f) {
                base = y + 1;
                break;
            }
    image_destroy(&h);
    for (int i = 0; i < TEXTLINE_CHARS; i++) {
        char txt[2] = {textline_char(i), 0};
        if (text_render(path, txt, px, &f->glyph[i]) < 0) {
            textfont_free(f);
            return -1;
        }
        int x0, y0, x1, y1;
        if (!ink_box(&f->glyph[i], &x0, &y0, &x1, &y1)) {
            sc_set_error("%s: glyph '%s' has no ink", pattern, txt);
            textfont_free(f);
            return -1;
        }
        f->base_row[i] = base;
        f->ink_cx[i] = (int)lroundf(0.5f * (float)(x0 + x1));
        f->ink[i][0] = x0;
        f->ink[i][1] = y0;
        f->ink[i][2] = x1 + 1;
        f->ink[i][3] = y1 + 1;
    }
    char chars[TEXTLINE_CHARS];
    int kern[TEXTLINE_CHARS * TEXTLINE_CHARS];
    for (int i = 0; i < TEXTLINE_CHARS; i++)
        chars[i] = textline_char(i);
    if (text_metrics(path, px, chars, TEXTLINE_CHARS, f->advance, f->origin_x, kern,
                     &f->space_advance) < 0) {
        textfont_free(f);
        return -1;
    }
    for (int i = 0; i < TEXTLINE_CHARS; i++)
        for (int j = 0; j < TEXTLINE_CHARS; j++) {
            int k = kern[i * TEXTLINE_CHARS + j];
            f->kern[i][j] = (signed char)(k < -100 ? -100 : k > 100 ? 100 : k);
        }
    return 0;
}

void textfont_free(TextFont *f)
{
    for (int i = 0; i < TEXTLINE_CHARS; i++)
        image_destroy(&f->glyph[i]);
}

/* Draws glyph cls with its image's column 0 at x = ox and its baseline on row by. */
static void draw_glyph_at(const TextFont *f, int cls, Image *dst, int ox, int by, float ink)
{
    const Image *g = &f->glyph[cls];
    int oy = by - f->base_row[cls];
    for (int y = 0; y < g->h; y++) {
        int wy = oy + y;
        if (wy < 0 || wy >= dst->h)
            continue;
        const float *src = image_row(g, y);
        float *d = image_row(dst, wy);
        for (int x = 0; x < g->w; x++) {
            int wx = ox + x;
            float a = src[x];
            if (wx < 0 || wx >= dst->w || !(a > 0.0f))
                continue;
            d[wx] = d[wx] * (1.0f - a) + ink * a;
        }
    }
}

static void draw_glyph(const TextFont *f, int cls, Image *dst, int cx, int by, float ink)
{
    draw_glyph_at(f, cls, dst, cx - f->ink_cx[cls], by, ink);
}

int textline_draw_natural(const TextFont *f, const char *text, Image *dst, int pen_x,
                          int baseline_y, float ink, int *boxes)
{
    int pen = pen_x;
    for (int i = 0; text[i]; i++) {
        int cls = textline_class(text[i]);
        int *b = boxes ? boxes + 4 * i : NULL;
        if (cls < 0) {
            if (b)
                b[0] = b[2] = pen, b[1] = b[3] = baseline_y;
            pen += f->space_advance;
            continue;
        }
        int ox = pen - f->origin_x[cls];
        if (dst)
            draw_glyph_at(f, cls, dst, ox, baseline_y, ink);
        if (b) {
            int oy = baseline_y - f->base_row[cls];
            b[0] = ox + f->ink[cls][0];
            b[1] = oy + f->ink[cls][1];
            b[2] = ox + f->ink[cls][2];
            b[3] = oy + f->ink[cls][3];
        }
        pen += f->advance[cls];
        int next = textline_class(text[i + 1]);
        if (next >= 0)
            pen += f->kern[cls][next];
    }
    return pen;
}

void textline_draw(const TextFont *f, const char *text, Image *dst, int cell0_x, int baseline_y,
                   float ink)
{
    for (int i = 0; text[i]; i++) {
        int cls = textline_class(text[i]);
        if (cls >= 0)
            draw_glyph(f, cls, dst, cell0_x + i * TEXTLINE_PITCH, baseline_y, ink);
    }
}

int textline_char_box(const TextFont *f, char c, int cell_x, int baseline_y, int *x0, int *y0,
                      int *x1, int *y1)
{
    int cls = textline_class(c);
    if (cls < 0)
        return 0;
    int bx0, by0, bx1, by1;
    ink_box(&f->glyph[cls], &bx0, &by0, &bx1, &by1);
    int ox = cell_x - f->ink_cx[cls], oy = baseline_y - f->base_row[cls];
    *x0 = ox + bx0;
    *y0 = oy + by0;
    *x1 = ox + bx1 + 1;
    *y1 = oy + by1 + 1;
    return 1;
}
