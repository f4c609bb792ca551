/* scene_image.c: image-file scenes decoded by SDL2_image.
 *
 * Formats: PNG, JPEG and BMP (the ones whose header gives the size before decoding).
 * The file is read into memory once (its bytes give the content hash), its header is checked for
 * the image size BEFORE decoding so that a 100000x100000 PNG is refused without trying to
 * allocate it, then SDL2_image decodes it. Pixels become luma in 0..1:
 *     Y = (0.2126 R + 0.7152 G + 0.0722 B) / 255
 * on the stored (sRGB-encoded) 8-bit values, i.e. the grey level a display shows, not linear
 * light. Transparent pixels are composited over mid grey (0.5). With an explicit spec size the
 * image is resampled bilinearly to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"
#include "scene/scene_priv.h"

enum { IMAGE_FILE_MAX = 256 * 1024 * 1024 };

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}
static uint32_t be32(const unsigned char *p)
{
    return be16(p) << 16 | be16(p + 2);
}
static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}
static uint32_t le32(const unsigned char *p)
{
    return le16(p + 2) << 16 | le16(p);
}

enum { FMT_NONE = 0, FMT_PNG, FMT_BMP, FMT_JPEG };

/* Reads the format and pixel size from a PNG, BMP or JPEG header (the size the decoder will
 * allocate). Returns the format, FMT_NONE when none is found. GIF is not taken: its frames may
 * be larger than the size in its header. */
static int sniff_size(const unsigned char *d, size_t n, long *w, long *h)
{
    if (n >= 24 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) && !memcmp(d + 12, "IHDR", 4)) {
        *w = (long)be32(d + 16);
        *h = (long)be32(d + 20);
        return FMT_PNG;
    }
    if (n >= 26 && d[0] == 'B' && d[1] == 'M') {
        uint32_t hs = le32(d + 14);
        if (hs == 12) {
            *w = (long)le16(d + 18);
            *h = (long)le16(d + 20);
        } else {
            *w = labs((long)(int32_t)le32(d + 18));
            *h = labs((long)(int32_t)le32(d + 22));
        }
        return FMT_BMP;
    }
    if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8) {
        size_t p = 2;
        while (p + 4 <= n) {
            if (d[p] != 0xFF)
                return 0;
            unsigned m = d[p + 1];
            if (m == 0xFF) {
                p++;
                continue;
            }
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                p += 2;
                continue;
            }
            uint32_t len = be16(d + p + 2);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                if (p + 9 > n)
                    return 0;
                *h = (long)be16(d + p + 5);
                *w = (long)be16(d + p + 7);
                return FMT_JPEG;
            }
            if (len < 2)
                return 0;
            p += 2 + len;
        }
    }
    return 0;
}

static int d_is_png(const unsigned char *d, size_t n)
{
    return n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8);
}

/* True if a PNG's chunks (length, type, data, CRC) lie within the file and end with IEND.
 * SDL2_image's read callback ignores short reads, so on a truncated or mis-chunked file libpng
 * would go on parsing stale bytes past the end, for ever (found by fuzzing); a PNG is only handed
 * to the decoder once its chunk list is known to end inside the file. */
static int png_chunks_ok(const unsigned char *d, size_t n)
{
    size_t p = 8;
    for (int k = 0; p + 12 <= n; k++) {
        size_t len = be32(d + p);
        if (len > n - p - 12 || (k == 0 && memcmp(d + p + 4, "IHDR", 4) != 0))
            return 0;
        if (!memcmp(d + p + 4, "IEND", 4))
            return 1;
        p += 12 + len;
    }
    return 0;
}

static int check_dims(const char *path, long w, long h)
{
    if (w < 1 || h < 1 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
        sc_set_error("%s: image is %ldx%ld px; accepted sizes are 1..%d px per side", path, w, h,
                     IMAGE_MAX_SIDE);
        return -1;
    }
    return 0;
}

/* Decodes the file into a luma image of its own size. */
static int decode_luma(const char *path, const unsigned char *data, size_t n, Image *out)
{
    long sw = 0, sh = 0;
    /* Only formats whose size can be read first: a decoder must never be asked for a 40 GB
     * image. */
    const int fmt = sniff_size(data, n, &sw, &sh);
    if (fmt == FMT_NONE) {
        sc_set_error("%s: not a PNG, JPEG or BMP image (or its header is corrupt)", path);
        return -1;
    }
    if (check_dims(path, sw, sh) < 0)
        return -1;
    if (d_is_png(data, n) && !png_chunks_ok(data, n)) {
        sc_set_error("%s: truncated or corrupt PNG (its chunks do not end with IEND)", path);
        return -1;
    }
    if (n > INT32_MAX) {
        sc_set_error("%s: file too large", path);
        return -1;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)n);
    /* libpng, as SDL2_image sets it up, prints its own "libpng error: ..." lines on stderr for
     * a corrupt file before failing; the program's rule is one line per error, ours. Silence
     * stderr for the duration of the decode (creation time only, never in the tick). */
    fflush(stderr);
    int saved = dup(STDERR_FILENO), devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && devnull >= 0)
        dup2(devnull, STDERR_FILENO);
    /* the sniffed format's own decoder: IMG_Load_RW would guess again, and may take bytes that
     * pass for a JPEG header here for another format (an SVG, whose loader leaks) */
    SDL_Surface *s = !rw              ? NULL
                     : fmt == FMT_PNG ? IMG_LoadPNG_RW(rw)
                     : fmt == FMT_BMP ? IMG_LoadBMP_RW(rw)
                                      : IMG_LoadJPG_RW(rw);
    if (rw)
        SDL_RWclose(rw);
    if (saved >= 0 && devnull >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
    }
    if (saved >= 0)
        close(saved);
    if (devnull >= 0)
        close(devnull);
    if (!s) {
        sc_set_error("%s: cannot read image (%s)", path, IMG_GetError());
        return -1;
    }
    if (check_dims(path, s->w, s->h) < 0) {
        SDL_FreeSurface(s);
        return -1;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(s);
    if (!c) {
        sc_set_error("%s: cannot convert image (%s)", path, SDL_GetError());
        return -1;
    }
    if (image_create(out, c->w, c->h) < 0) {
        SDL_FreeSurface(c);
        return -1;
    }
    if (SDL_MUSTLOCK(c))
        SDL_LockSurface(c);
    for (int y = 0; y < c->h; y++) {
        const Uint8 *p = (const Uint8 *)c->pixels + (size_t)y * (size_t)c->pitch;
        float *d = image_row(out, y);
        for (int x = 0; x < c->w; x++, p += 4) {
            float luma = (0.2126f * p[0] + 0.7152f * p[1] + 0.0722f * p[2]) * (1.0f / 255.0f);
            float a = (float)p[3] * (1.0f / 255.0f);
            d[x] = luma * a + 0.5f * (1.0f - a);
        }
    }
    if (SDL_MUSTLOCK(c))
        SDL_UnlockSurface(c);
    SDL_FreeSurface(c);
    return 0;
}

Scene *scene_create_image_file(const SceneSpec *spec)
{
    unsigned char *data = NULL;
    size_t n = 0;
    if (file_read_all(spec->path, IMAGE_FILE_MAX, &data, &n) < 0)
        return NULL;
    Scene *s = scene_create_image_data(spec, data, n);
    free(data);
    return s;
}

Scene *scene_create_image_data(const SceneSpec *spec, const unsigned char *data, size_t n)
{
    Image img;
    memset(&img, 0, sizeof(img));
    if (n == 0) {
        sc_set_error("%s: empty file", spec->path);
        return NULL;
    }
    uint64_t content = hash64_update(hash64_init(), data, n);
    if (decode_luma(spec->path, data, n, &img) < 0)
        return NULL;
    int w = spec->width ? spec->width : img.w, h = spec->height ? spec->height : img.h;
    if (w < SCENE_MIN_SIDE || h < SCENE_MIN_SIDE) { /* the world's rule, as for --size */
        sc_set_error("%s: image is %dx%d px; a world is %d..%d px per side (resample it with "
                     "--size WxH)",
                     spec->path, img.w, img.h, SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        image_destroy(&img);
        return NULL;
    }
    const int same = w == img.w && h == img.h;
    Scene *s = scene_alloc(same ? 0 : w, h);
    if (!s) {
        image_destroy(&img);
        return NULL;
    }
    if (same) { /* the decoded image becomes the world */
        s->world = img;
        memset(&img, 0, sizeof(img));
    } else {
        const float kx = (float)img.w / (float)w, ky = (float)img.h / (float)h;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                image_row(&s->world, y)[x] = image_sample_bilinear(
                    &img, ((float)x + 0.5f) * kx - 0.5f, ((float)y + 0.5f) * ky - 0.5f);
    }
    image_destroy(&img);
    s->spec = *spec;
    s->content_hash = content;
    return s;
}
