#include "cli/eval_plot.h"

#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "core/log.h"
#include "core/output.h"
#include "core/text.h"

enum { W = 720, H = 450, ML = 70, MR = 24, MT = 44, MB = 56 };

typedef struct Canvas {
    unsigned char *rgb; /* W x H x 3 */
    const char *font;   /* NULL: no text */
} Canvas;

static const unsigned char palette[][3] = {
    {31, 119, 180},  {214, 39, 40}, {44, 160, 44},  {255, 127, 14},
    {148, 103, 189}, {90, 90, 90},  {23, 190, 207}, {140, 86, 75},
};

static void put(Canvas *c, int x, int y, const unsigned char *col, float a)
{
    if (x < 0 || y < 0 || x >= W || y >= H)
        return;
    unsigned char *p = c->rgb + ((size_t)y * W + (size_t)x) * 3;
    for (int k = 0; k < 3; k++)
        p[k] = (unsigned char)lroundf((float)p[k] * (1 - a) + (float)col[k] * a);
}

static void rect(Canvas *c, int x0, int y0, int x1, int y1, const unsigned char *col)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            put(c, x, y, col, 1);
}

/* Line of width ~2 px; dashed: 6 on, 4 off. */
static void line(Canvas *c, double x0, double y0, double x1, double y1, const unsigned char *col,
                 int dashed)
{
    double len = hypot(x1 - x0, y1 - y0);
    int n = (int)ceil(len * 2) + 1;
    for (int i = 0; i <= n; i++) {
        double t = (double)i / n;
        if ((dashed & PLOT_DASHED) && fmod(t * len, 10.0) > 6.0)
            continue;
        double x = x0 + t * (x1 - x0), y = y0 + t * (y1 - y0);
        for (int dy = 0; dy < 2; dy++)
            for (int dx = 0; dx < 2; dx++)
                put(c, (int)floor(x) + dx, (int)floor(y) + dy, col, 1);
    }
}

/* Text with its left edge at x (align 0), centred (1) or right edge (2); y = top. */
static void text(Canvas *c, const char *s, int x, int y, int px, int align,
                 const unsigned char *col)
{
    if (!c->font || !s || !*s)
        return;
    Image img;
    if (text_render(c->font, s, px, &img) < 0)
        return;
    int x0 = align == 0 ? x : align == 1 ? x - img.w / 2 : x - img.w;
    for (int j = 0; j < img.h; j++)
        for (int i = 0; i < img.w; i++) {
            float a = image_row(&img, j)[i];
            if (a > 0)
                put(c, x0 + i, y + j, col, a);
        }
    image_destroy(&img);
}

/* Width in px of s as text() draws it (0 without a font). */
static int text_width(const Canvas *c, const char *s, int px)
{
    Image img;
    if (!c->font || !s || !*s || text_render(c->font, s, px, &img) < 0)
        return 0;
    int w = img.w;
    image_destroy(&img);
    return w;
}

/* Vertical text (the y label): rendered, then rotated 90 degrees counter-clockwise. */
static void text_vertical(Canvas *c, const char *s, int cx, int cy, int px,
                          const unsigned char *col)
{
    if (!c->font || !s || !*s)
        return;
    Image img;
    if (text_render(c->font, s, px, &img) < 0)
        return;
    for (int j = 0; j < img.h; j++)
        for (int i = 0; i < img.w; i++) {
            float a = image_row(&img, j)[i];
            if (a > 0)
                put(c, cx - img.h / 2 + j, cy + img.w / 2 - i, col, a);
        }
    image_destroy(&img);
}

static void fmt_tick(char *buf, size_t n, double v, double step)
{
    if (fabs(step - round(step)) < 1e-9)
        snprintf(buf, n, "%.0f", v);
    else if (fabs(step * 10 - round(step * 10)) < 1e-9)
        snprintf(buf, n, "%.1f", v);
    else
        snprintf(buf, n, "%.2f", v);
}

int plot_write_png(const char *path, const PlotSpec *sp, const PlotSeries *series, int n_series)
{
    Canvas c;
    c.rgb = malloc((size_t)W * H * 3);
    if (!c.rgb) {
        sc_set_error("%s: out of memory", path);
        return -1;
    }
    memset(c.rgb, 255, (size_t)W * H * 3);
    static char font[1024];
    c.font = text_find_font("DejaVu Sans", font, sizeof(font)) == 0 ? font : NULL;
    const unsigned char black[3] = {0, 0, 0}, grid[3] = {225, 225, 225}, grey[3] = {80, 80, 80};
    int px0 = ML, px1 = W - MR, py0 = MT, py1 = H - MB;
    double xr = sp->xmax - sp->xmin, yr = sp->ymax - sp->ymin;
#define MAPX(v) (px0 + ((v)-sp->xmin) / xr * (px1 - px0))
#define MAPY(v) (py1 - ((v)-sp->ymin) / yr * (py1 - py0))
    char buf[64];
    if (sp->xstep > 0)
        for (double v = sp->xmin; v <= sp->xmax + 1e-9; v += sp->xstep) {
            int x = (int)lround(MAPX(v));
            rect(&c, x, py0, x + 1, py1, grid);
            rect(&c, x, py1, x + 1, py1 + 5, black);
            fmt_tick(buf, sizeof(buf), v, sp->xstep);
            text(&c, buf, x, py1 + 7, 13, 1, grey);
        }
    if (sp->ystep > 0)
        for (double v = sp->ymin; v <= sp->ymax + 1e-9; v += sp->ystep) {
            int y = (int)lround(MAPY(v));
            rect(&c, px0, y, px1, y + 1, grid);
            rect(&c, px0 - 5, y, px0, y + 1, black);
            fmt_tick(buf, sizeof(buf), v, sp->ystep);
            text(&c, buf, px0 - 8, y - 8, 13, 2, grey);
        }
    rect(&c, px0, py0, px0 + 1, py1 + 1, black);
    rect(&c, px0, py1, px1, py1 + 1, black);
    const unsigned char white[3] = {255, 255, 255};
    int ly0 = py0 + (int)lround(sp->legend_y * (py1 - py0 - 16 - 18 * n_series));
    /* the legend box fits its longest name (at least the old 236 px) */
    int lw = 236;
    for (int s = 0; s < n_series; s++) {
        int w = 36 + text_width(&c, series[s].name, 13) + 8;
        if (w > lw)
            lw = w;
    }
    if (lw > px1 - px0 - 8)
        lw = px1 - px0 - 8;
    rect(&c, px1 - lw, ly0 + 4, px1 - 4, ly0 + 12 + 18 * n_series, white);
    for (int s = 0; s < n_series; s++) {
        const unsigned char *base = palette[s % (int)(sizeof(palette) / sizeof(palette[0]))];
        const PlotSeries *ps = &series[s];
        unsigned char tint[3];
        for (int k = 0; k < 3; k++) /* faded: 35% of the colour over white */
            tint[k] = (unsigned char)lround(255 - 0.35 * (255 - base[k]));
        const unsigned char *col = ps->dashed & PLOT_FADED ? tint : base;
        for (int i = 0; i < ps->n; i++) {
            double x = MAPX(ps->x[i]), y = MAPY(ps->y[i]);
            if (i > 0 && !(ps->dashed & PLOT_POINTS))
                line(&c, MAPX(ps->x[i - 1]), MAPY(ps->y[i - 1]), x, y, col, ps->dashed);
            if (ps->dashed & PLOT_POINTS) { /* a hollow square, 11 px */
                rect(&c, (int)x - 5, (int)y - 5, (int)x + 6, (int)y + 6, col);
                rect(&c, (int)x - 3, (int)y - 3, (int)x + 4, (int)y + 4, white);
            } else if (!(ps->dashed & PLOT_DASHED)) {
                rect(&c, (int)x - 2, (int)y - 2, (int)x + 3, (int)y + 3, col);
            }
        }
        /* legend, top right, one row per series */
        int ly = ly0 + 8 + s * 18;
        if (ps->dashed & PLOT_POINTS) {
            rect(&c, px1 - lw + 13, ly + 3, px1 - lw + 24, ly + 14, col);
            rect(&c, px1 - lw + 15, ly + 5, px1 - lw + 22, ly + 12, white);
        } else {
            line(&c, px1 - lw + 6, ly + 8, px1 - lw + 30, ly + 8, col, ps->dashed);
        }
        text(&c, ps->name, px1 - lw + 36, ly, 13, 0, ps->dashed & PLOT_FADED ? grey : black);
    }
    text(&c, sp->title, W / 2, 12, 16, 1, black);
    text(&c, sp->xlabel, (px0 + px1) / 2, H - 26, 14, 1, black);
    text_vertical(&c, sp->ylabel, 16, (py0 + py1) / 2, 14, black);
#undef MAPX
#undef MAPY
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormatFrom(c.rgb, W, H, 24, W * 3, SDL_PIXELFORMAT_RGB24);
    int rc = -1;
    if (!s)
        sc_set_error("%s: cannot make surface (%s)", path, SDL_GetError());
    else {
        /* through the output helper: a full disk is an error, not an empty PNG */
        Output *o = output_open(path, NULL, 0);
        SDL_RWops *rw = o ? SDL_RWFromFP(output_stream(o), SDL_FALSE) : NULL;
        if (!o) {
            /* output_open named the problem */
        } else if (!rw || IMG_SavePNG_RW(s, rw, 1) != 0) {
            sc_set_error("%s: cannot write PNG (%s)", path, IMG_GetError());
            output_abort(&o);
        } else {
            rc = output_commit(&o);
        }
    }
    SDL_FreeSurface(s);
    free(c.rgb);
    return rc;
}
