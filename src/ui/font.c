#include "ui/font.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"
#include "ui/gl.h"

int font_create(Font *f, const char *path, int px)
{
    memset(f, 0, sizeof(*f));
    /* FreeType is shared with the scene's text rendering, which may run on another thread */
    if (text_ttf_begin() < 0)
        return -1;
    TTF_Font *ttf = TTF_OpenFont(path, px);
    if (!ttf) {
        sc_set_error("%s: cannot open font: %s", path, TTF_GetError());
        text_ttf_end();
        return -1;
    }
    f->px = px;
    f->line_h = TTF_FontHeight(ttf);
    f->ascent = TTF_FontAscent(ttf);
    const int n = FONT_GLYPHS;
    f->has_ne = TTF_GlyphIsProvided(ttf, 0x2260) != 0;
    SDL_Surface *surf[FONT_GLYPHS] = {0};
    /* Shelf packing: 16 glyphs per row is plenty for ASCII. */
    int aw = 0, ah = 0, rowx = 0, rowh = 0, col = 0;
    int x[FONT_GLYPHS], y[FONT_GLYPHS];
    SDL_Color white = {255, 255, 255, 255};
    int rc = 0;
    for (int i = 0; i < n; i++) {
        int minx, maxx, miny, maxy, adv;
        Uint16 ch = (Uint16)(i == n - 1 ? 0x2260 : FONT_FIRST + i);
        if (i == n - 1 && !f->has_ne)
            continue;
        if (TTF_GlyphMetrics(ttf, ch, &minx, &maxx, &miny, &maxy, &adv))
            adv = px / 2;
        f->g[i].advance = adv;
        surf[i] = TTF_RenderGlyph_Blended(ttf, ch, white);
        if (!surf[i]) {
            if (ch == ' ')
                continue;
            sc_set_error("%s: cannot render glyph '%c': %s", path, ch, TTF_GetError());
            rc = -1;
            break;
        }
        if (col == 16) {
            ah += rowh + 1;
            rowx = 0;
            rowh = 0;
            col = 0;
        }
        x[i] = rowx;
        y[i] = ah;
        rowx += surf[i]->w + 1;
        if (surf[i]->h > rowh)
            rowh = surf[i]->h;
        if (rowx > aw)
            aw = rowx;
        col++;
    }
    ah += rowh + 1;
    unsigned char *atlas = NULL;
    if (!rc) {
        atlas = calloc((size_t)aw * (size_t)ah, 1);
        if (!atlas) {
            sc_set_error("font atlas: out of memory");
            rc = -1;
        }
    }
    for (int i = 0; i < n && !rc; i++) {
        if (!surf[i])
            continue;
        SDL_Surface *s = SDL_ConvertSurfaceFormat(surf[i], SDL_PIXELFORMAT_ARGB8888, 0);
        if (!s) {
            sc_set_error("font atlas: %s", SDL_GetError());
            rc = -1;
            break;
        }
        SDL_LockSurface(s);
        for (int r = 0; r < s->h; r++) {
            const Uint32 *src = (const Uint32 *)((const Uint8 *)s->pixels + r * s->pitch);
            unsigned char *dst = atlas + (size_t)(y[i] + r) * (size_t)aw + x[i];
            for (int c = 0; c < s->w; c++)
                dst[c] = (unsigned char)(src[c] >> 24);
        }
        SDL_UnlockSurface(s);
        f->g[i].w = s->w;
        f->g[i].h = s->h;
        f->g[i].u0 = (float)x[i] / (float)aw;
        f->g[i].v0 = (float)y[i] / (float)ah;
        f->g[i].u1 = (float)(x[i] + s->w) / (float)aw;
        f->g[i].v1 = (float)(y[i] + s->h) / (float)ah;
        SDL_FreeSurface(s);
    }
    for (int i = 0; i < n; i++)
        if (surf[i])
            SDL_FreeSurface(surf[i]);
    TTF_CloseFont(ttf);
    text_ttf_end();
    if (rc) {
        free(atlas);
        return -1;
    }
    glGenTextures(1, &f->tex);
    glBindTexture(GL_TEXTURE_2D, f->tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, aw, ah, 0, GL_RED, GL_UNSIGNED_BYTE, atlas);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    free(atlas);
    return 0;
}

void font_destroy(Font *f)
{
    if (f->tex)
        glDeleteTextures(1, &f->tex);
    memset(f, 0, sizeof(*f));
}

const FontGlyph *font_next_glyph(const Font *f, const char **s, const FontGlyph **pair)
{
    const char *p = *s;
    int c = (unsigned char)*p;
    *pair = NULL;
    if (!strncmp(p, FONT_NE_UTF8, 3)) {
        *s = p + 3;
        if (f->has_ne)
            return &f->g[FONT_GLYPHS - 1];
        *pair = &f->g['=' - FONT_FIRST];
        return &f->g['!' - FONT_FIRST];
    }
    *s = p + 1;
    if (c < FONT_FIRST || c > FONT_LAST)
        c = '?';
    return &f->g[c - FONT_FIRST];
}

int font_text_width(const Font *f, const char *s)
{
    int w = 0;
    while (*s) {
        const FontGlyph *pair, *g = font_next_glyph(f, &s, &pair);
        w += g->advance + (pair ? pair->advance : 0);
    }
    return w;
}
