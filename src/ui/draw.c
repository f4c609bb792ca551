#include "ui/draw.h"

#include <math.h>
#include <stdlib.h>

#include "core/log.h"
#include "ui/gl.h"
#include "ui/shader.h"

#define DRAW_MAX_VERTS 60000

typedef struct Vtx {
    float x, y, u, v;
    float r, g, b, a;
    float rx, ry;      /* ring coordinates, 0 for other shapes */
    float slot, inner; /* glyph atlas slot; ring inner radius / outer */
} Vtx;

struct Draw {
    GLuint prog, vao, vbo;
    GLint u_screen, u_tex0, u_tex1;
    Vtx *v;
    int n;
    unsigned tex[2]; /* glyph atlases used by the text in the batch (two fonts per batch) */
    int w, h;
};

Draw *draw_create(void)
{
    Draw *d = calloc(1, sizeof(*d));
    if (!d) {
        sc_set_error("draw: out of memory");
        return NULL;
    }
    d->v = malloc(sizeof(Vtx) * DRAW_MAX_VERTS);
    d->prog = shader_program_load("ui");
    if (!d->v || !d->prog) {
        if (!d->v)
            sc_set_error("draw: out of memory");
        draw_destroy(&d);
        return NULL;
    }
    d->u_screen = glGetUniformLocation(d->prog, "u_screen");
    d->u_tex0 = glGetUniformLocation(d->prog, "u_tex0");
    d->u_tex1 = glGetUniformLocation(d->prog, "u_tex1");
    glGenVertexArrays(1, &d->vao);
    glGenBuffers(1, &d->vbo);
    glBindVertexArray(d->vao);
    glBindBuffer(GL_ARRAY_BUFFER, d->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof(Vtx) * DRAW_MAX_VERTS), NULL, GL_STREAM_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vtx), (void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(Vtx), (void *)(2 * sizeof(float)));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, sizeof(Vtx), (void *)(4 * sizeof(float)));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 2, GL_FLOAT, GL_FALSE, sizeof(Vtx), (void *)(8 * sizeof(float)));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 2, GL_FLOAT, GL_FALSE, sizeof(Vtx), (void *)(10 * sizeof(float)));
    glBindVertexArray(0);
    return d;
}

void draw_destroy(Draw **pd)
{
    Draw *d = *pd;
    if (!d)
        return;
    if (d->vbo)
        glDeleteBuffers(1, &d->vbo);
    if (d->vao)
        glDeleteVertexArrays(1, &d->vao);
    if (d->prog)
        glDeleteProgram(d->prog);
    free(d->v);
    free(d);
    *pd = NULL;
}

void draw_begin(Draw *d, int w, int h)
{
    d->w = w;
    d->h = h;
    d->n = 0;
    d->tex[0] = d->tex[1] = 0;
}

void draw_flush(Draw *d)
{
    if (!d->n)
        return;
    glUseProgram(d->prog);
    glUniform2f(d->u_screen, (float)d->w, (float)d->h);
    glUniform1i(d->u_tex0, 0);
    glUniform1i(d->u_tex1, 1);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, d->tex[1]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, d->tex[0]);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glBindVertexArray(d->vao);
    glBindBuffer(GL_ARRAY_BUFFER, d->vbo);
    /* A fresh store of exactly this size (orphaning a NULL store of the full capacity makes
     * Mesa clear megabytes per flush). */
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof(Vtx) * (size_t)d->n), d->v, GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, d->n);
    glBindVertexArray(0);
    glDisable(GL_BLEND);
    d->n = 0;
}

/* Quad with corners p0..p3 (p0 top-left, p1 top-right, p2 bottom-right, p3 bottom-left).
 * kind 0: solid; 1: ring over the quad (param = inner radius fraction); 2: glyph (uv box,
 * param = atlas slot). */
static void quad(Draw *d, const float *px, const float *py, float u0, float v0, float u1, float v1,
                 Rgba c, int kind, float param)
{
    if (d->n + 6 > DRAW_MAX_VERTS)
        draw_flush(d);
    const float us[4] = {u0, u1, u1, u0}, vs[4] = {v0, v0, v1, v1};
    static const int idx[6] = {0, 1, 2, 0, 2, 3};
    for (int i = 0; i < 6; i++) {
        int k = idx[i];
        Vtx t = {px[k], py[k], -1.0f, -1.0f, c.r, c.g, c.b, c.a, 0, 0, 0, 0};
        if (kind == 1) {
            t.rx = us[k];
            t.ry = vs[k];
            t.inner = param;
        } else if (kind == 2) {
            t.u = us[k];
            t.v = vs[k];
            t.slot = param;
        }
        d->v[d->n++] = t;
    }
}

static void rect_mode(Draw *d, float x, float y, float w, float h, float u0, float v0, float u1,
                      float v1, Rgba c, int kind, float param)
{
    const float px[4] = {x, x + w, x + w, x}, py[4] = {y, y, y + h, y + h};
    quad(d, px, py, u0, v0, u1, v1, c, kind, param);
}

void draw_rect(Draw *d, float x, float y, float w, float h, Rgba c)
{
    rect_mode(d, x, y, w, h, 0, 0, 0, 0, c, 0, 0);
}

void draw_rect_outline(Draw *d, float x, float y, float w, float h, float t, Rgba c)
{
    draw_rect(d, x, y, w, t, c);
    draw_rect(d, x, y + h - t, w, t, c);
    draw_rect(d, x, y + t, t, h - 2 * t, c);
    draw_rect(d, x + w - t, y + t, t, h - 2 * t, c);
}

void draw_line(Draw *d, float x0, float y0, float x1, float y1, float width, Rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f)
        return;
    float nx = -dy / len * width * 0.5f, ny = dx / len * width * 0.5f;
    const float px[4] = {x0 + nx, x1 + nx, x1 - nx, x0 - nx};
    const float py[4] = {y0 + ny, y1 + ny, y1 - ny, y0 - ny};
    quad(d, px, py, 0, 0, 0, 0, c, 0, 0);
}

void draw_ring(Draw *d, float cx, float cy, float r, float t, Rgba c)
{
    if (r <= 0)
        return;
    float inner = t >= r ? 0.0f : (r - t) / r;
    /* One extra pixel around the ring for the anti-aliased edge. */
    float R = r + 1.0f, k = R / r;
    rect_mode(d, cx - R, cy - R, 2 * R, 2 * R, -k, -k, k, k, c, 1, inner);
}

int draw_text(Draw *d, const Font *f, float x, float y, const char *s, Rgba c)
{
    int slot;
    if (d->tex[0] == f->tex || !d->tex[0]) {
        slot = 0;
    } else if (d->tex[1] == f->tex || !d->tex[1]) {
        slot = 1;
    } else {
        draw_flush(d);
        d->tex[1] = 0;
        slot = 0;
    }
    d->tex[slot] = f->tex;
    float x0 = x;
    x = floorf(x + 0.5f);
    y = floorf(y + 0.5f);
    while (*s) {
        const FontGlyph *pair, *g = font_next_glyph(f, &s, &pair);
        for (int k = 0; k < 2 && g; k++, g = pair) {
            if (g->w > 0)
                rect_mode(d, x, y, (float)g->w, (float)g->h, g->u0, g->v0, g->u1, g->v1, c, 2,
                          (float)slot);
            x += (float)g->advance;
        }
    }
    return (int)(x - x0);
}
