/* The `words` scene: lines of words for reading (scene.h, data/textline.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/rng.h"
#include "data/textline.h"
#include "scene/scene_priv.h"

#define WORDS_FILE "assets/words/words.txt"
#define WORDS_MAX_BYTES (1u << 20)
#define WORD_MAX 20 /* letters */

/* The word list, loaded once per process and read-only after. */
static pthread_mutex_t words_lock = PTHREAD_MUTEX_INITIALIZER;
static char *words_buf;
static const char **words;
static int n_words;

/* Parses the list: one word per line, letters A-Z / a-z only, 1..WORD_MAX of them. A file is
 * untrusted input: anything else is an error naming the line. */
static int words_parse(const char *path, const unsigned char *data, size_t n)
{
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += data[i] == '\n';
    const char **list = malloc(sizeof(*list) * (size_t)(lines + 1));
    char *buf = malloc(n + 1);
    if (!list || !buf) {
        free(list);
        free(buf);
        sc_set_error("%s: out of memory", path);
        return -1;
    }
    memcpy(buf, data, n);
    buf[n] = 0;
    int count = 0, line = 1;
    for (char *p = buf; *p; line++) {
        char *end = strchr(p, '\n');
        if (end)
            *end = 0;
        size_t len = strlen(p);
        int ok = len >= 1 && len <= WORD_MAX;
        for (size_t k = 0; ok && k < len; k++)
            ok = textline_class(p[k]) >= 0 && !(p[k] >= '0' && p[k] <= '9');
        if (!ok) {
            sc_set_error("%s:%d: not a word of 1..%d letters A-Z, a-z", path, line, WORD_MAX);
            free(list);
            free(buf);
            return -1;
        }
        list[count++] = p;
        if (!end)
            break;
        p = end + 1;
    }
    if (count == 0) {
        sc_set_error("%s: no words", path);
        free(list);
        free(buf);
        return -1;
    }
    words = list;
    words_buf = buf;
    n_words = count;
    return 0;
}

/* Reads the data file rel (at most max bytes) and parses it: parse's result, or -1 + error. */
static int load_file(const char *rel, size_t max,
                     int (*parse)(const char *path, const unsigned char *data, size_t n))
{
    char path[1024];
    unsigned char *data = NULL;
    size_t n = 0;
    if (!paths_data_file(path, sizeof(path), rel)) {
        sc_set_error("%s: path too long", rel);
        return -1;
    }
    if (file_read_all(path, max, &data, &n) < 0)
        return -1;
    int rc = parse(path, data, n);
    free(data);
    return rc;
}

static int words_load(void)
{
    pthread_mutex_lock(&words_lock);
    int rc = words ? 0 : load_file(WORDS_FILE, WORDS_MAX_BYTES, words_parse);
    pthread_mutex_unlock(&words_lock);
    return rc;
}

#define PROSE_FILE "assets/words/prose.txt"
#define PROSE_MAX_BYTES (4u << 20)

/* The prose, loaded once per process and read-only after: its words in order, and which of
 * them end a paragraph. */
static pthread_mutex_t prose_lock = PTHREAD_MUTEX_INITIALIZER;
static char *prose_buf;
static const char **prose;
static unsigned char *prose_end; /* 1: the word ends its paragraph */
static int *prose_para;          /* each paragraph's first word */
static int n_prose, n_paras;

/* Parses the prose: one paragraph a line, words of 1..WORD_MAX letters A-Z / a-z, one space
 * between words, none before the first or after the last, no empty line, a newline after the
 * last line or not. A file is untrusted input: anything else is an error naming the line. */
static int prose_parse(const char *path, const unsigned char *data, size_t n)
{
    if (n == 0) {
        sc_set_error("%s: no words", path);
        return -1;
    }
    size_t words_max = 1, lines = 1;
    for (size_t i = 0; i < n; i++) {
        words_max += data[i] == ' ' || data[i] == '\n';
        lines += data[i] == '\n';
    }
    char *buf = malloc(n + 1);
    const char **list = malloc(sizeof(*list) * words_max);
    unsigned char *ends = malloc(words_max);
    int *paras = malloc(sizeof(*paras) * lines);
    if (!buf || !list || !ends || !paras) {
        sc_set_error("%s: out of memory", path);
        goto fail;
    }
    memcpy(buf, data, n);
    buf[n] = 0;
    if (n > 0 && buf[n - 1] == '\n')
        buf[--n] = 0;
    int count = 0, np = 0, line = 1;
    for (size_t i = 0; i <= n; line++) {
        paras[np++] = count;
        for (;;) { /* one word, then a space (more words), a newline or the end */
            size_t k = i;
            while (k < n && textline_class(buf[k]) >= 0 && !(buf[k] >= '0' && buf[k] <= '9'))
                k++;
            const char c = buf[k]; /* the NUL at n; one before it is an error */
            if (k == i || k - i > WORD_MAX || (c != ' ' && c != '\n' && !(c == 0 && k == n))) {
                sc_set_error("%s:%d: not a paragraph of words of 1..%d letters A-Z, a-z, one "
                             "space apart",
                             path, line, WORD_MAX);
                goto fail;
            }
            buf[k] = 0;
            list[count] = buf + i;
            ends[count++] = c != ' ';
            i = k + 1;
            if (c != ' ')
                break;
        }
    }
    prose = list;
    prose_buf = buf;
    prose_end = ends;
    prose_para = paras;
    n_prose = count;
    n_paras = np;
    return 0;
fail:
    free(buf);
    free(list);
    free(ends);
    free(paras);
    return -1;
}

static int prose_load(void)
{
    pthread_mutex_lock(&prose_lock);
    int rc = prose ? 0 : load_file(PROSE_FILE, PROSE_MAX_BYTES, prose_parse);
    pthread_mutex_unlock(&prose_lock);
    return rc;
}

/* The start of a page (words or text scene): the word list, the world, the font at px, the
 * background (value noise from the seed) and the generator that picks the words. NULL + error
 * (nothing to free). */
static Scene *page_begin(const SceneSpec *spec, uint64_t seed, const char *font_pattern,
                         SceneKind kind, int px, TextFont *font, Rng *pick)
{
    if ((kind == SCENE_PROSE ? prose_load() : words_load()) < 0)
        return NULL;
    int w = spec->width ? spec->width : SCENE_DEFAULT_WIDTH;
    int h = spec->height ? spec->height : SCENE_DEFAULT_HEIGHT;
    Scene *s = scene_alloc(w, h);
    if (!s)
        return NULL;
    s->spec = *spec;
    s->spec.kind = kind;
    if (textfont_load(font, font_pattern ? font_pattern : "Liberation Sans", px) < 0) {
        scene_destroy(&s);
        return NULL;
    }
    Rng root, bg;
    rng_seed(&root, seed);
    rng_fork(&root, 1, &bg);
    rng_fork(&root, 2, pick);
    if (scene_alloc_background(s) < 0) {
        textfont_free(font);
        scene_destroy(&s);
        return NULL;
    }
    scene_noise_fill(&s->background, &bg, 96, 0.05f, 0.25f);
    return s;
}

/* The end of a page: the font freed, and the world drawn (ok) or the scene destroyed (NULL). */
static Scene *page_end(Scene *s, TextFont *font, int ok)
{
    textfont_free(font);
    if (!ok) {
        scene_destroy(&s);
        return NULL;
    }
    scene_render_all(s);
    return s;
}

Scene *scene_create_words(const SceneSpec *spec, uint64_t seed, const char *font_pattern)
{
    TextFont font;
    Rng pick;
    Scene *s = page_begin(spec, seed, font_pattern, SCENE_WORDS, TEXTLINE_PX, &font, &pick);
    if (!s)
        return NULL;
    const int w = s->world.w, h = s->world.h;
    const int count = spec->objects ? spec->objects : SCENE_DEFAULT_OBJECTS;
    const int max_cells = (w - 2 * SCENE_TEXT_MARGIN) / TEXTLINE_PITCH;
    int line = -1, cell = 0; /* next free cell on the current line */
    for (int i = 0; i < count; i++) {
        const char *word = words[rng_below(&pick, (uint32_t)n_words)];
        int len = (int)strlen(word);
        if (len > max_cells)
            continue;
        if (line < 0 || cell + len > max_cells) {
            int base = SCENE_LINE_SPACING * (line + 2) - SCENE_LINE_SPACING / 2;
            if (line + 1 >= SCENE_MAX_LINES || base + TEXTLINE_PX > h)
                break; /* the page is full */
            line++;
            cell = 0;
            s->lines[line] = (SceneTextLine){base, SCENE_TEXT_MARGIN + TEXTLINE_PITCH / 2, 0};
            s->n_lines = line + 1;
        }
        SceneTextLine *L = &s->lines[line];
        /* the word's sprite: its coverage on a strip, cropped to its ink */
        Image sp;
        int strip_h = 2 * TEXTLINE_PX, strip_base = TEXTLINE_PX + 2;
        if (image_create(&sp, len * TEXTLINE_PITCH, strip_h) < 0)
            goto fail;
        textline_draw(&font, word, &sp, TEXTLINE_PITCH / 2, strip_base, 1.0f);
        int x0 = sp.w, y0 = sp.h, x1 = -1, y1 = -1;
        for (int y = 0; y < sp.h; y++)
            for (int x = 0; x < sp.w; x++)
                if (image_at(&sp, x, y) > 0.0f) {
                    x0 = x < x0 ? x : x0;
                    x1 = x > x1 ? x : x1;
                    y0 = y < y0 ? y : y0;
                    y1 = y > y1 ? y : y1;
                }
        if (x1 < 0 || scene_crop_ink(&sp) < 0) {
            image_destroy(&sp);
            goto fail;
        }
        /* strip (0, 0) lies at world (cell left edge, baseline - strip_base) */
        int wx = L->cell0_x + cell * TEXTLINE_PITCH - TEXTLINE_PITCH / 2 + x0;
        int wy = L->baseline_y - strip_base + y0;
        SceneObject o;
        memset(&o, 0, sizeof(o));
        o.kind = SCENE_OBJ_TEXT;
        snprintf(o.label, sizeof(o.label), "%s", word);
        o.w = (float)sp.w;
        o.h = (float)sp.h;
        o.x = (float)wx + 0.5f * o.w;
        o.y = (float)wy + 0.5f * o.h;
        if (scene_add_object(s, &o, &sp, 0.95f) < 0)
            goto fail;
        cell += len;
        L->cells = cell;
        cell++; /* the space after it */
    }
    if (s->n_lines == 0 && count > 0) { /* an accepted --size too small for one line */
        sc_set_error("scene words-grid: a %dx%d px world has no room for a line of words; use a "
                     "larger --size",
                     w, h);
        goto fail;
    }
    return page_end(s, &font, 1);
fail:
    return page_end(s, &font, 0);
}

/* One word's sprite: its coverage set naturally (pen at origin_x of the first glyph), cropped
 * to its ink; *ink_x0, *ink_y0 the crop's corner in the strip, whose baseline is row base. */
static int natural_word_sprite(const TextFont *f, const char *word, int base, Image *sp,
                               int *ink_x0, int *ink_y0)
{
    int pen0 = f->origin_x[textline_class(word[0])];
    int width = textline_draw_natural(f, word, NULL, pen0, base, 1.0f, NULL) + 2 * f->px;
    if (image_create(sp, width, 2 * f->px + 4) < 0)
        return -1;
    textline_draw_natural(f, word, sp, pen0, base, 1.0f, NULL);
    int x0 = sp->w, y0 = sp->h;
    for (int y = 0; y < sp->h; y++)
        for (int x = 0; x < sp->w; x++)
            if (image_at(sp, x, y) > 0.0f) {
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
            }
    if (x0 == sp->w || scene_crop_ink(sp) < 0) {
        image_destroy(sp);
        sc_set_error("scene words: '%s' has no ink", word);
        return -1;
    }
    *ink_x0 = x0 - pen0;
    *ink_y0 = y0 - base;
    return 0;
}

/* The words of a page of natural text, in order: drawn at random from the word list (paragraphs
 * of 8..30 words), or prose's from the start of a paragraph picked at random. */
typedef struct PageWords {
    int prose;
    int next;      /* prose: the next word's index */
    int para_end;  /* prose: the last word given ends its paragraph */
    int para_left; /* the word list: words placed still to come in the paragraph */
} PageWords;

static void page_words_init(PageWords *pw, int is_prose, Rng *pick)
{
    pw->prose = is_prose;
    pw->next = is_prose ? prose_para[rng_below(pick, (uint32_t)n_paras)] : 0;
    pw->para_end = 0;
    pw->para_left = is_prose ? 0 : 8 + (int)rng_below(pick, 23);
}

static const char *page_words_next(PageWords *pw, Rng *pick)
{
    if (!pw->prose)
        return words[rng_below(pick, (uint32_t)n_words)];
    const char *w = prose[pw->next];
    pw->para_end = prose_end[pw->next];
    pw->next = pw->next + 1 < n_prose ? pw->next + 1 : 0;
    return w;
}

/* The word last given was placed: 1 when it ends its paragraph. */
static int page_words_placed(PageWords *pw, Rng *pick)
{
    if (pw->prose)
        return pw->para_end;
    if (--pw->para_left > 0)
        return 0;
    pw->para_left = 8 + (int)rng_below(pick, 23);
    return 1;
}

static Scene *natural_page(const SceneSpec *spec, uint64_t seed, const char *font_pattern,
                           SceneKind kind)
{
    const char *name = kind == SCENE_PROSE ? "prose" : "words";
    int px = spec->text_px ? spec->text_px : TEXTLINE_PX;
    if (px < SCENE_TEXT_PX_MIN || px > SCENE_TEXT_PX_MAX) {
        sc_set_error("scene %s: font size %d px is outside %d..%d", name, px, SCENE_TEXT_PX_MIN,
                     SCENE_TEXT_PX_MAX);
        return NULL;
    }
    TextFont font;
    Rng pick;
    Scene *s = page_begin(spec, seed, font_pattern, kind, px, &font, &pick);
    if (!s)
        return NULL;
    s->spec.text_px = px;
    const int w = s->world.w, h = s->world.h;
    const int count = spec->objects ? spec->objects : SCENE_TEXT_WORDS;
    const int leading = (int)(SCENE_TEXT_LEADING * px + 0.5);
    const int right = w - SCENE_TEXT_MARGIN;
    int base = SCENE_TEXT_MARGIN + px, pen = SCENE_TEXT_MARGIN, placed = 0;
    PageWords pw;
    page_words_init(&pw, kind == SCENE_PROSE, &pick);
    for (int i = 0; i < count; i++) {
        const char *word = page_words_next(&pw, &pick);
        int adv = textline_draw_natural(&font, word, NULL, 0, 0, 1.0f, NULL);
        if (SCENE_TEXT_MARGIN + adv > right)
            continue;                                       /* longer than a line */
        if (pen > SCENE_TEXT_MARGIN && pen + adv > right) { /* wrap */
            base += leading;
            pen = SCENE_TEXT_MARGIN;
        }
        if (base + px / 2 > h - SCENE_TEXT_MARGIN / 2)
            break; /* the page is full */
        Image sp;
        int ix0, iy0;
        if (natural_word_sprite(&font, word, px + 2, &sp, &ix0, &iy0) < 0)
            goto fail;
        SceneObject o;
        memset(&o, 0, sizeof(o));
        o.kind = SCENE_OBJ_TEXT;
        snprintf(o.label, sizeof(o.label), "%s", word);
        o.w = (float)sp.w;
        o.h = (float)sp.h;
        o.x = (float)(pen + ix0) + 0.5f * o.w;
        o.y = (float)(base + iy0) + 0.5f * o.h;
        if (scene_add_object(s, &o, &sp, 0.95f) < 0)
            goto fail;
        placed++;
        pen += adv + font.space_advance;
        if (page_words_placed(&pw, &pick)) { /* the paragraph ends: a new line, half lower */
            base += leading + leading / 2;
            pen = SCENE_TEXT_MARGIN;
        }
    }
    if (placed == 0 && count > 0) {
        sc_set_error("scene %s: a %dx%d px world has no room for a line of %d px words; use a "
                     "larger --size",
                     name, w, h, px);
        goto fail;
    }
    return page_end(s, &font, 1);
fail:
    return page_end(s, &font, 0);
}

Scene *scene_create_text(const SceneSpec *spec, uint64_t seed, const char *font_pattern)
{
    return natural_page(spec, seed, font_pattern, SCENE_TEXT);
}

Scene *scene_create_prose(const SceneSpec *spec, uint64_t seed, const char *font_pattern)
{
    return natural_page(spec, seed, font_pattern, SCENE_PROSE);
}
