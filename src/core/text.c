/* text.c: font lookup (fontconfig's fc-match) and text rendering (SDL2_ttf) into float images.
 *
 * SDL2_ttf is initialised once (pthread_once). Opened fonts are kept in a small cache keyed by
 * (file, pixel size) so that rendering thousands of glyphs (the classifier's glyph dataset) does
 * not reopen the file each time. FreeType faces are not thread-safe, so the cache and every
 * render are serialised by one mutex. The cached fonts live until the process exits.
 */
#include "core/text.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "core/log.h"

/* ---- font lookup ---- */

/* Debian paths (fonts-dejavu-core, fonts-dejavu-extra) used when fc-match is missing or fails. */
static const struct {
    const char *pattern;
    const char *path;
} known_fonts[] = {
    {"dejavu sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
    {"dejavu sans:bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
    {"dejavu sans mono", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"},
    {"dejavu sans mono:bold", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"},
    {"dejavu serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"},
    {"dejavu serif:bold", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"},
    {"sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
    {"monospace", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"},
    {"serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"},
};

static int file_readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

static int ci_equal_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
        if (!a[i])
            return 1;
    }
    return 1;
}

/* True if the comma-separated family list names the requested family (case-insensitive). */
static int family_matches(const char *families, const char *want, size_t want_len)
{
    const char *p = families;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == want_len && ci_equal_n(p, want, len))
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Asks fc-match; returns 0 with the file of a font whose family is the requested one. fc-match
 * always answers with *some* font, so a substitute of another family counts as "not found". */
static int fc_match(const char *pattern, char *buf, size_t n)
{
    for (const char *c = pattern; *c; c++)
        if (!(isalnum((unsigned char)*c) || strchr(" :=,._-", *c)))
            return -1; /* keep the shell command safe */
    char cmd[512];
    if (snprintf(cmd, sizeof(cmd), "fc-match -f '%%{family}\\n%%{file}\\n' '%s' 2>/dev/null",
                 pattern) >= (int)sizeof(cmd))
        return -1;
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char fam[512] = "", file[1024] = "";
    int ok = fgets(fam, sizeof(fam), p) && fgets(file, sizeof(file), p);
    pclose(p);
    if (!ok)
        return -1;
    fam[strcspn(fam, "\n")] = 0;
    file[strcspn(file, "\n")] = 0;
    const char *colon = strchr(pattern, ':');
    size_t want_len = colon ? (size_t)(colon - pattern) : strlen(pattern);
    int generic = want_len == 0 || ci_equal_n(pattern, "sans", want_len) ||
                  ci_equal_n(pattern, "serif", want_len) ||
                  ci_equal_n(pattern, "monospace", want_len);
    if (!file[0] || (!generic && !family_matches(fam, pattern, want_len)))
        return -1;
    if (strlen(file) >= n)
        return -1;
    memcpy(buf, file, strlen(file) + 1);
    return 0;
}

int text_find_font(const char *pattern, char *buf, size_t n)
{
    if (!pattern || !*pattern || !buf || n == 0) {
        sc_set_error("font: empty font name");
        return -1;
    }
    /* A path to a font file is taken as is. */
    if (strchr(pattern, '/')) {
        if (!file_readable(pattern)) {
            sc_set_error("%s: cannot open font file", pattern);
            return -1;
        }
        if (strlen(pattern) >= n) {
            sc_set_error("%s: font path too long", pattern);
            return -1;
        }
        memcpy(buf, pattern, strlen(pattern) + 1);
        return 0;
    }
    /* fc-match costs a process start (tens of ms): remember its answers for the process. */
    static struct {
        char pattern[128], path[1024];
    } found[8];
    static int found_next;
    static pthread_mutex_t found_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&found_lock);
    for (int i = 0; i < 8; i++)
        if (found[i].pattern[0] && !strcmp(found[i].pattern, pattern) &&
            strlen(found[i].path) < n && file_readable(found[i].path)) {
            memcpy(buf, found[i].path, strlen(found[i].path) + 1);
            pthread_mutex_unlock(&found_lock);
            return 0;
        }
    pthread_mutex_unlock(&found_lock);
    if (fc_match(pattern, buf, n) == 0 && file_readable(buf)) {
        if (strlen(pattern) < sizeof(found[0].pattern) && strlen(buf) < sizeof(found[0].path)) {
            pthread_mutex_lock(&found_lock);
            snprintf(found[found_next].pattern, sizeof(found[0].pattern), "%s", pattern);
            snprintf(found[found_next].path, sizeof(found[0].path), "%s", buf);
            found_next = (found_next + 1) % 8;
            pthread_mutex_unlock(&found_lock);
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof(known_fonts) / sizeof(known_fonts[0]); i++) {
        size_t len = strlen(known_fonts[i].pattern);
        if (strlen(pattern) == len && ci_equal_n(pattern, known_fonts[i].pattern, len) &&
            file_readable(known_fonts[i].path) && strlen(known_fonts[i].path) < n) {
            memcpy(buf, known_fonts[i].path, strlen(known_fonts[i].path) + 1);
            return 0;
        }
    }
    sc_set_error("font '%s' not found (install fonts-dejavu-core)", pattern);
    return -1;
}

/* ---- rendering ---- */

enum { FONT_CACHE = 8 };

static struct {
    char path[1024];
    int px;
    TTF_Font *font;
} font_cache[FONT_CACHE];
static int font_cache_next;
static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ttf_once = PTHREAD_ONCE_INIT;
static int ttf_ok;

static void ttf_init_once(void)
{
    ttf_ok = TTF_Init() == 0;
}

/* Called with text_lock held. */
static TTF_Font *font_get(const char *path, int px)
{
    for (int i = 0; i < FONT_CACHE; i++)
        if (font_cache[i].font && font_cache[i].px == px && !strcmp(font_cache[i].path, path))
            return font_cache[i].font;
    if (strlen(path) >= sizeof(font_cache[0].path)) {
        sc_set_error("%s: font path too long", path);
        return NULL;
    }
    TTF_Font *f = TTF_OpenFont(path, px);
    if (!f) {
        sc_set_error("%s: cannot open font (%s)", path, TTF_GetError());
        return NULL;
    }
    int slot = font_cache_next;
    font_cache_next = (font_cache_next + 1) % FONT_CACHE;
    if (font_cache[slot].font)
        TTF_CloseFont(font_cache[slot].font);
    memcpy(font_cache[slot].path, path, strlen(path) + 1);
    font_cache[slot].px = px;
    font_cache[slot].font = f;
    return f;
}

int text_render(const char *font_path, const char *text, int px_height, Image *out)
{
    memset(out, 0, sizeof(*out));
    if (!font_path || !text || !*text) {
        sc_set_error("text: nothing to render");
        return -1;
    }
    if (px_height < 4 || px_height > 1024) {
        sc_set_error("text: font size %d px out of range (4..1024)", px_height);
        return -1;
    }
    pthread_once(&ttf_once, ttf_init_once);
    if (!ttf_ok) {
        sc_set_error("SDL2_ttf: cannot initialise (%s)", TTF_GetError());
        return -1;
    }
    pthread_mutex_lock(&text_lock);
    int rc = -1;
    SDL_Surface *s = NULL, *argb = NULL;
    TTF_Font *font = font_get(font_path, px_height);
    if (!font)
        goto done;
    SDL_Color white = {255, 255, 255, 255};
    s = TTF_RenderUTF8_Blended(font, text, white);
    if (!s) {
        sc_set_error("%s: cannot render '%s' (%s)", font_path, text, TTF_GetError());
        goto done;
    }
    argb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!argb) {
        sc_set_error("text: cannot convert rendered surface (%s)", SDL_GetError());
        goto done;
    }
    if (image_create(out, argb->w, argb->h) < 0)
        goto done;
    if (SDL_MUSTLOCK(argb))
        SDL_LockSurface(argb);
    for (int y = 0; y < argb->h; y++) {
        const Uint32 *src =
            (const Uint32 *)((const Uint8 *)argb->pixels + (size_t)y * (size_t)argb->pitch);
        float *dst = image_row(out, y);
        for (int x = 0; x < argb->w; x++)
            dst[x] = (float)(src[x] >> 24) * (1.0f / 255.0f);
    }
    if (SDL_MUSTLOCK(argb))
        SDL_UnlockSurface(argb);
    rc = 0;
done:
    SDL_FreeSurface(argb);
    SDL_FreeSurface(s);
    pthread_mutex_unlock(&text_lock);
    return rc;
}

int text_ttf_begin(void)
{
    pthread_once(&ttf_once, ttf_init_once);
    if (!ttf_ok) {
        sc_set_error("SDL2_ttf: cannot initialise (%s)", TTF_GetError());
        return -1;
    }
    pthread_mutex_lock(&text_lock);
    return 0;
}

void text_ttf_end(void)
{
    pthread_mutex_unlock(&text_lock);
}

int text_metrics(const char *font_path, int px_height, const char *chars, int n, int *advance,
                 int *origin, int *kern, int *space)
{
    enum { MAX_CHARS = 256 };
    if (px_height < 4 || px_height > 1024 || n < 1 || n > MAX_CHARS) {
        sc_set_error("text: font size %d px (4..1024) or %d characters (1..%d) out of range",
                     px_height, n, MAX_CHARS);
        return -1;
    }
    int right[MAX_CHARS]; /* ink right of each glyph's advance, which a set pair's width holds */
    if (text_ttf_begin() < 0)
        return -1;
    int rc = -1;
    TTF_Font *font = font_get(font_path, px_height);
    if (!font)
        goto done;
    for (int i = 0; i < n; i++) {
        int minx, maxx, miny, maxy, adv;
        if (TTF_GlyphMetrics32(font, (unsigned char)chars[i], &minx, &maxx, &miny, &maxy, &adv) <
            0) {
            sc_set_error("%s: no metrics for '%c' (%s)", font_path, chars[i], TTF_GetError());
            goto done;
        }
        advance[i] = adv;
        origin[i] = minx < 0 ? -minx : 0;
        right[i] = maxx > adv ? maxx - adv : 0;
    }
    /* the kerning SDL2_ttf applies when it sets the pair itself (with HarfBuzz, the font's
     * GPOS kerning, which FreeType's kern table lookup does not see): the pair's width less
     * the two advances */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            char pair[3] = {chars[i], chars[j], 0};
            int w, h;
            if (TTF_SizeUTF8(font, pair, &w, &h) < 0) {
                sc_set_error("%s: cannot measure '%s' (%s)", font_path, pair, TTF_GetError());
                goto done;
            }
            /* TTF_SizeUTF8 counts the ink left of the first pen and right of the last advance */
            kern[i * n + j] = w - origin[i] - right[j] - advance[i] - advance[j];
        }
    int minx, maxx, miny, maxy, adv;
    if (TTF_GlyphMetrics32(font, ' ', &minx, &maxx, &miny, &maxy, &adv) < 0) {
        sc_set_error("%s: no metrics for a space (%s)", font_path, TTF_GetError());
        goto done;
    }
    *space = adv;
    rc = 0;
done:
    text_ttf_end();
    return rc;
}
