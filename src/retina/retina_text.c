/* What a glimpse shows of a line of text (retina_text.h). */
#include "retina/retina_text.h"

#include <math.h>
#include <string.h>

#define ROWS_MAX 512    /* rows a line search looks at */
#define ROW_INKED 0.02f /* a row with this share of ink belongs to a band */
#define XBAND 0.4f      /* rows with this share of the band's peak ink are its x-height band */
#define COL_INKED 0.3f  /* a column with a sample this inked belongs to a letter */

static float ink_of(float v)
{
    float a = (v - RETINA_TEXT_INK_LO) * (1.0f / (RETINA_TEXT_INK_HI - RETINA_TEXT_INK_LO));
    return a < 0.0f ? 0.0f : a > 1.0f ? 1.0f : a;
}

int retina_text_line(const Retina *r, float x, float y, float half_width, float reach,
                     RetinaTextLine *out)
{
    memset(out, 0, sizeof(*out));
    if (!(half_width >= 1.0f) || !(reach >= 0.0f) || !isfinite(x) || !isfinite(y))
        return 0;
    /* the rows a band holding y, or one within reach, can cover: text of at most 80 px */
    int y0 = (int)floorf(y - reach) - 80, y1 = (int)ceilf(y + reach) + 80;
    if (y1 - y0 > ROWS_MAX)
        y1 = y0 + ROWS_MAX;
    float prof[ROWS_MAX];
    int n = y1 - y0;
    int nx = 0;
    for (float dx = -half_width; dx <= half_width; dx += 2.0f)
        nx++;
    for (int i = 0; i < n; i++) {
        float s = 0.0f;
        for (float dx = -half_width; dx <= half_width; dx += 2.0f)
            s += ink_of(retina_value_at(r, x + dx, (float)(y0 + i)));
        prof[i] = s / (float)nx;
    }
    /* bands: runs of inked rows (a single uninked row inside one does not end it) */
    int best_a = -1, best_b = -1;
    float best_d = 1e30f;
    for (int i = 0; i < n;) {
        if (prof[i] < ROW_INKED) {
            i++;
            continue;
        }
        int a = i, b = i + 1;
        while (b < n && (prof[b] >= ROW_INKED || (b + 1 < n && prof[b + 1] >= ROW_INKED)))
            b++;
        i = b;
        float top = (float)(y0 + a), bot = (float)(y0 + b);
        float d = y < top ? top - y : y >= bot ? y - bot + 1.0f : 0.0f;
        if (d < best_d) {
            best_d = d;
            best_a = a;
            best_b = b;
        }
    }
    if (best_a < 0 || best_d > reach)
        return 0;
    /* the x-height band: the run of rows around the band's peak with XBAND of its ink */
    int pk = best_a;
    for (int i = best_a; i < best_b; i++)
        if (prof[i] > prof[pk])
            pk = i;
    float thr = XBAND * prof[pk];
    int a = pk, b = pk + 1;
    while (a > best_a && prof[a - 1] >= thr)
        a--;
    while (b < best_b && prof[b] >= thr)
        b++;
    /* sub-row edges: where the profile, linear between row centres, crosses the threshold */
    float top = (float)a, bot = (float)b;
    if (a > best_a && prof[a] > prof[a - 1])
        top = (float)a - 0.5f + (thr - prof[a - 1]) / (prof[a] - prof[a - 1]);
    if (b < best_b && prof[b - 1] > prof[b])
        bot = (float)b - 0.5f + (prof[b - 1] - thr) / (prof[b - 1] - prof[b]);
    float xh = bot - top;
    if (!(xh >= 3.0f && xh <= 45.0f) || (float)(best_b - best_a) > 4.0f * xh)
        return 0;
    out->baseline = (float)y0 + bot;
    out->xheight = xh;
    out->top = (float)(y0 + best_a);
    out->bottom = (float)(y0 + best_b);
    return 1;
}

int retina_text_letters(const Retina *r, const RetinaTextLine *L, float x_from, float x_to,
                        RetinaTextLetter *out, int max)
{
    if (!(L->xheight > 0.0f) || !(x_to > x_from) || max <= 0)
        return 0;
    const float xh = L->xheight;
    const float ya = L->baseline - 1.9f * xh, yb = L->baseline + 0.6f * xh;
    const float step = xh > 16.0f ? 2.0f : 1.0f;
    int count = 0, in_run = 0;
    float run_x0 = 0.0f;
    const float xs = floorf(x_from), xe = ceilf(x_to);
    for (float cx = xs; cx <= xe; cx += 1.0f) {
        int inked = 0;
        if (cx < xe) {
            for (float yy = ya; yy < yb && !inked; yy += step)
                inked = ink_of(retina_value_at(r, cx, yy)) >= COL_INKED;
        }
        if (inked && !in_run) {
            in_run = 1;
            run_x0 = cx;
        } else if (!inked && in_run) {
            in_run = 0;
            if (run_x0 > xs && count < max) /* a run that starts at x_from may be cut */
                out[count++] = (RetinaTextLetter){run_x0, cx};
        }
    }
    /* a run still open at x_to is cut there: left out */
    return count;
}

int retina_text_split(const Retina *r, const RetinaTextLine *L, const RetinaTextLetter *seg,
                      RetinaTextLetter *a, RetinaTextLetter *b)
{
    const float xh = L->xheight, w = seg->x1 - seg->x0;
    if (!(xh > 0.0f) || w < RETINA_TEXT_SPLIT_MIN * xh)
        return 0;
    const float ya = L->baseline - 1.9f * xh, yb = L->baseline + 0.6f * xh;
    float best = 1e30f, at = 0.0f;
    for (float x = floorf(seg->x0 + 0.2f * w); x <= ceilf(seg->x1 - 0.2f * w); x += 1.0f) {
        float s = 0.0f;
        for (float yy = ya; yy < yb; yy += 1.0f)
            s += ink_of(retina_value_at(r, x, yy));
        if (s < best) {
            best = s;
            at = x;
        }
    }
    *a = (RetinaTextLetter){seg->x0, at};
    *b = (RetinaTextLetter){at + 1.0f, seg->x1};
    return at > seg->x0 && at + 1.0f < seg->x1;
}

void retina_text_patch(const Retina *r, const RetinaTextLine *L, float cx, float *patch)
{
    const int side = RETINA_TEXT_SIDE, base_row = 19;
    const float inv = L->xheight / RETINA_TEXT_XHEIGHT; /* world px per patch px */
    int sub = (int)ceilf(inv - 0.25f);
    if (sub < 1)
        sub = 1;
    if (sub > 4)
        sub = 4;
    const float w = 1.0f / (float)(sub * sub);
    for (int j = 0; j < side; j++)
        for (int i = 0; i < side; i++) {
            float s = 0.0f;
            for (int v = 0; v < sub; v++)
                for (int u = 0; u < sub; u++) {
                    float fx = (float)(i - side / 2) + ((float)u + 0.5f) / (float)sub - 0.5f;
                    float fy = (float)(j - base_row) + ((float)v + 0.5f) / (float)sub - 0.5f;
                    s += retina_value_at(r, cx + fx * inv, L->baseline + fy * inv);
                }
            patch[j * side + i] = s * w;
        }
}
