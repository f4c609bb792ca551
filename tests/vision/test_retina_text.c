/* What a glimpse shows of text (retina/retina_text.h): the line, its size, its letters, the
 * gaps between words and where the next word ends, found from the retina alone, checked
 * against the layout that drew them (natural text, data/textline.h) in training faces at 16 to
 * 36 px, and in a slab-serif monospace face no model trained on at 28 and 36 px. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rng.h"
#include "core/text.h"
#include "data/textline.h"
#include "retina/retina_text.h"
#include "test.h"

#define W 900
#define H 160
#define BASE 90

static const char *const faces[] = {"DejaVu Sans",  "DejaVu Serif",     "Nimbus Sans",
                                    "Nimbus Roman", "DejaVu Sans Mono", "URW Bookman"};
static const int sizes[] = {16, 22, 28, 36};

#define GAPS_MAX 2048
#define START_DISTS 5
static const float start_dist[START_DISTS] = {6.0f, 12.0f, 18.0f, 24.0f, 48.0f};

typedef struct Tally {
    long lines, lines_ok, xh_ok;
    long letters_near, matched_near; /* within 2 letters of the gaze */
    long letters_far, matched_far;   /* 3..6 letters out */
    long gaps_in, gaps_in_wrong, gaps_word, gaps_word_wrong;
    /* the gaps (x-heights) between the strong spans and between the faint, in words and
     * between words: [0] within 2 letters of the gaze, [1] 3 to 6 letters right of it */
    int n_in[2], n_word[2];
    float in_strong[2][GAPS_MAX], in_faint[2][GAPS_MAX];
    float word_strong[2][GAPS_MAX], word_faint[2][GAPS_MAX];
    long spans_bad;                  /* segments whose faint span is not around the strong */
    long ends, ends_ok, ends_seg_ok; /* the next word's end: retina_text_word_end, segments */
    long ends_short;                 /* ... put more than half an x-height short of its ink */
    /* the line's start (retina_text_line_start) from gazes start_dist x-heights right of it:
     * found within an x-height; put more than an x-height left of it, or right of the gaze */
    long starts[START_DISTS], starts_ok[START_DISTS], starts_bad;
} Tally;

/* A random line of words of random letters (2..8 letters, lowercase mostly, a capital or digit
 * now and then unless lower_only), as text with single spaces. */
static void random_line(Rng *rng, char *buf, int n, int lower_only)
{
    int k = 0;
    while (k < n - 10) {
        int len = 2 + (int)rng_below(rng, 7);
        for (int i = 0; i < len && k < n - 2; i++) {
            uint32_t v = rng_below(rng, lower_only ? 26 : 40);
            buf[k++] = v < 32   ? (char)('a' + v % 26)
                       : v < 38 ? (char)('A' + v % 26)
                                : (char)('0' + v % 10);
        }
        buf[k++] = ' ';
    }
    buf[k] = 0;
}

/* The share of (gap in a word, gap between words) pairs in which the word gap is the wider
 * (ties count half): how well a gap's width tells the two apart, whatever the threshold. */
static double gap_auc(const float *in, int n_in, const float *word, int n_word)
{
    double wins = 0;
    for (int i = 0; i < n_in; i++)
        for (int j = 0; j < n_word; j++)
            wins += word[j] > in[i] ? 1.0 : word[j] == in[i] ? 0.5 : 0.0;
    return n_in && n_word ? wins / ((double)n_in * (double)n_word) : 0.0;
}

/* gap_auc near [0] and 3-6 out [1], between strong spans [.][0] and faint [.][1] */
static void gap_aucs(const Tally *t, double auc[2][2])
{
    for (int f = 0; f < 2; f++) {
        auc[f][0] = gap_auc(t->in_strong[f], t->n_in[f], t->word_strong[f], t->n_word[f]);
        auc[f][1] = gap_auc(t->in_faint[f], t->n_in[f], t->word_faint[f], t->n_word[f]);
    }
}

static void one_face(const char *face, int px, int lines, int lower_only, Rng *rng, Retina *r,
                     RetinaTextWork *work, Image *world, Tally *t)
{
    char path[1024];
    TextFont f;
    if (text_find_font(face, path, sizeof(path)) < 0 || textfont_load(&f, path, px) < 0) {
        CHECKF(0, "%s: %s", face, sc_last_error());
        return;
    }
    int xc = textline_class('x');
    float xh_true = (float)(f.ink[xc][3] - f.ink[xc][1]);
    for (int rep = 0; rep < lines; rep++) {
        char line[200];
        random_line(rng, line, (int)sizeof(line) > W / (px / 2) ? W / (px / 2) : 200, lower_only);
        int boxes[4 * 200];
        image_fill(world, 0.05f + 0.2f * (float)rng_uniform(rng));
        textline_draw_natural(&f, line, world, 30, BASE, 0.95f, boxes);
        retina_world_changed(r, world, 0, 0, W, H);
        int n = (int)strlen(line);
        /* the line's start, from gazes on the line 6 to 48 x-heights right of it */
        for (int k = 0; k < START_DISTS; k++) {
            const RetinaTextLine at = {(float)BASE, xh_true, 0, 0};
            float x0 = (float)boxes[0], gx = x0 + start_dist[k] * xh_true;
            if (gx > (float)(W - 10))
                continue;
            retina_sample(r, gx, (float)BASE - 0.5f * xh_true);
            float st = retina_text_line_start(r, &at, gx, 5.0f * xh_true, gx - 200.0f * xh_true);
            t->starts[k]++;
            t->starts_ok[k] += fabsf(st - x0) <= xh_true;
            t->starts_bad += st < x0 - xh_true || st > gx;
        }
        for (int g = 0; g < n; g++) {
            int *b = boxes + 4 * g;
            if (line[g] == ' ' || b[0] < 250 || b[2] > W - 250 || rng_below(rng, 3))
                continue;
            float gx = 0.5f * (float)(b[0] + b[2]);
            float gy = (float)BASE - 0.5f * xh_true;
            retina_sample(r, gx, gy);
            RetinaTextLine L;
            t->lines++;
            if (!retina_text_line(r, gx, gy, 48.0f, 24.0f, &L))
                continue;
            t->lines_ok += fabsf(L.baseline - (float)BASE) <= 1.0f;
            t->xh_ok += fabsf(L.xheight - xh_true) <= 0.1f * xh_true + 0.5f;
            RetinaTextLetter seg[RETINA_TEXT_MAX_LETTERS];
            int ns = retina_text_letters(r, &L, gx - 8.0f * (float)px, gx + 8.0f * (float)px, work,
                                         seg, RETINA_TEXT_MAX_LETTERS);
            for (int s = 0; s < ns; s++)
                t->spans_bad += !(seg[s].fx0 <= seg[s].x0 && seg[s].fx1 >= seg[s].x1);
            /* each letter within 6 letters of the gaze's: alone in one segment (the segment holds
             * its ink centre and no other letter's) */
            int prev_seg = -1, prev_letter = -1;
            for (int d = -6, idx = g - 6; d <= 6; d++, idx++) {
                if (idx < 0 || idx >= n || line[idx] == ' ')
                    continue;
                int *lb = boxes + 4 * idx, hit = -1;
                float c = 0.5f * (float)(lb[0] + lb[2]);
                for (int s = 0; s < ns; s++)
                    if (seg[s].x0 <= c && seg[s].x1 > c)
                        hit = s;
                for (int k = 0; k < n && hit >= 0; k++) {
                    float ck = 0.5f * (float)(boxes[4 * k] + boxes[4 * k + 2]);
                    if (k != idx && line[k] != ' ' && seg[hit].x0 <= ck && seg[hit].x1 > ck)
                        hit = -1;
                }
                int near = abs(d) <= 2;
                *(near ? &t->letters_near : &t->letters_far) += 1;
                *(near ? &t->matched_near : &t->matched_far) += hit >= 0;
                if (hit >= 0 && prev_seg >= 0 && hit == prev_seg + 1 && near) {
                    int word = 0;
                    for (int k = prev_letter + 1; k < idx; k++)
                        word |= line[k] == ' ';
                    float gap = (seg[hit].x0 - seg[prev_seg].x1) / L.xheight;
                    int says_word = gap >= RETINA_TEXT_WORD_GAP;
                    if (word) {
                        t->gaps_word++;
                        t->gaps_word_wrong += !says_word;
                    } else {
                        t->gaps_in++;
                        t->gaps_in_wrong += says_word;
                    }
                }
                prev_seg = hit;
                prev_letter = idx;
            }
            /* the gap the segments leave at each boundary within 2 letters of the gaze and 3 to 6
             * right of it (between two letters, or at a space): from the last segment whose
             * centre is left of the boundary to the first right of it, between strong spans and
             * between faint ones, whatever the segments hold (a letter whose strong ink is a part
             * of it too) */
            for (int k = g - 2; k < g + 6; k++) {
                const int far = k >= g + 2;
                if (k < 0 || k + 2 >= n || line[k] == ' ')
                    continue;
                int word = line[k + 1] == ' ', k1 = k + 1 + word;
                if (line[k1] == ' ')
                    continue;
                float at = 0.5f * (float)(boxes[4 * k + 2] + boxes[4 * k1]);
                int sa = -1, sb = -1;
                for (int s = 0; s < ns; s++) {
                    float c = 0.5f * (seg[s].x0 + seg[s].x1);
                    if (c < at && (sa < 0 || c > 0.5f * (seg[sa].x0 + seg[sa].x1)))
                        sa = s;
                    if (c > at && (sb < 0 || c < 0.5f * (seg[sb].x0 + seg[sb].x1)))
                        sb = s;
                }
                if (sa < 0 || sb < 0 || (word ? t->n_word[far] : t->n_in[far]) >= GAPS_MAX)
                    continue;
                float gs = (seg[sb].x0 - seg[sa].x1) / L.xheight;
                float gf = (seg[sb].fx0 - seg[sa].fx1) / L.xheight;
                if (word) {
                    t->word_strong[far][t->n_word[far]] = gs;
                    t->word_faint[far][t->n_word[far]++] = gf;
                } else {
                    t->in_strong[far][t->n_in[far]] = gs;
                    t->in_faint[far][t->n_in[far]++] = gf;
                }
            }
            /* the next word's end, from its first letter, as the reading eye reckons it before
             * its first look there (within half an x-height of its last letter's ink), against
             * the right edge of the last segment over it */
            int w0 = g;
            while (w0 < n && line[w0] != ' ')
                w0++;
            int w1 = ++w0;
            while (w1 < n && line[w1] != ' ')
                w1++;
            if (w1 < n && w1 > w0) {
                float truth = (float)boxes[4 * (w1 - 1) + 2], x0 = (float)boxes[4 * w0];
                float end =
                    retina_text_word_end(r, &L, 0.5f * (x0 + (float)boxes[4 * w0 + 2]),
                                         RETINA_TEXT_WORD_GAP * L.xheight, x0 + 8.0f * L.xheight);
                float seg_end = x0;
                for (int s = 0; s < ns; s++)
                    if (seg[s].x0 >= x0 - 1.0f && seg[s].x1 <= truth + 0.5f * L.xheight)
                        seg_end = seg[s].x1 > seg_end ? seg[s].x1 : seg_end;
                t->ends++;
                t->ends_ok += fabsf(end - truth) <= 0.5f * L.xheight;
                t->ends_short += end < truth - 0.5f * L.xheight;
                t->ends_seg_ok += fabsf(seg_end - truth) <= 0.5f * L.xheight;
            }
        }
    }
    textfont_free(&f);
}

int main(void)
{
    RetinaParams rp;
    retina_params_default(&rp);
    Retina *r = retina_create(&rp, W, H);
    Image world;
    RetinaTextWork *work = retina_text_work_create();
    REQUIRE(r && work && image_create(&world, W, H) == 0, "retina: %s", sc_last_error());
    Rng rng;
    rng_seed(&rng, 11);
    for (int s = 0; s < 4; s++) {
        Tally t;
        memset(&t, 0, sizeof(t));
        for (size_t fi = 0; fi < sizeof(faces) / sizeof(faces[0]); fi++)
            one_face(faces[fi], sizes[s], 6, 0, &rng, r, work, &world, &t);
        double line_ok = (double)t.lines_ok / (double)t.lines;
        double xh_ok = (double)t.xh_ok / (double)t.lines;
        double near = (double)t.matched_near / (double)t.letters_near;
        double far = (double)t.matched_far / (double)t.letters_far;
        /* measured 2026-12-06: baseline 99/99/95/87%, x-height 89/94/85/73%, letters alone
         * near the gaze 82/88/93/89%, 3-6 out 57/56/66/61%, word gaps 0.4-1.4% false,
         * 2.3-5.4% missed (16/22/28/36 px) */
        CHECKF(line_ok >= 0.8 && xh_ok >= 0.65, "%d px: baseline %.2f, x-height %.2f", sizes[s],
               line_ok, xh_ok);
        CHECKF(near >= 0.75 && far >= 0.45, "%d px: letters alone %.2f near, %.2f far", sizes[s],
               near, far);
        CHECKF(t.gaps_in_wrong <= t.gaps_in / 20 && t.gaps_word_wrong <= t.gaps_word / 12,
               "%d px: word gaps wrong", sizes[s]);
        double ends = (double)t.ends_ok / (double)(t.ends ? t.ends : 1);
        double ends_seg = (double)t.ends_seg_ok / (double)(t.ends ? t.ends : 1);
        printf("%d px: the line's start within an x-height, from", sizes[s]);
        for (int k = 0; k < START_DISTS; k++)
            printf(" %g: %.1f%%", start_dist[k],
                   100.0 * (double)t.starts_ok[k] / (double)(t.starts[k] ? t.starts[k] : 1));
        printf(" x-heights right of it (%ld gazes); %ld put left of it or right of the gaze\n",
               t.starts[0], t.starts_bad);
        /* measured 2026-12-07, sixth stop: from 6 / 12 / 18 / 24 / 48 x-heights 100 / 97-100 /
         * 78-97 / 42-89 / 0-19% (16-36 px; with a tenth of a stroke for an empty column 100 /
         * 89-100 / 61-81 / 28-58 / 0-6%): the far periphery's ink fades under the threshold
         * about 20 x-heights out, and there the eye lands first */
        CHECKF(t.starts[0] >= 30 && t.starts_ok[0] >= t.starts[0] * 95 / 100 &&
                   t.starts_ok[1] >= t.starts[1] * 8 / 10 && t.starts_bad == 0,
               "%d px: the line's start %ld / %ld from 6, %ld / %ld from 12 x-heights, %ld bad",
               sizes[s], t.starts_ok[0], t.starts[0], t.starts_ok[1], t.starts[1], t.starts_bad);
        double ends_short = (double)t.ends_short / (double)(t.ends ? t.ends : 1);
        printf("%d px: the next word's end within half an x-height: %.1f%% of %ld gazes (its "
               "segments' %.1f%%), short of it %.1f%%\n",
               sizes[s], 100 * ends, t.ends, 100 * ends_seg, 100 * ends_short);
        /* measured 2026-12-07: 64/65/62/68% (16/22/28/36 px), the segments' 50/63/62/68%; a
         * column empty under a thirtieth of a stroke's ink rather than a tenth (sixth stop):
         * 68/70/72/76%, short 13/13/19/14% (27/30/34/28% before) */
        CHECKF(t.ends >= 100 && ends >= 0.6 && ends >= ends_seg - 0.02 && ends_short <= 0.25,
               "%d px: next word's end %.2f (segments %.2f), short %.2f", sizes[s], ends, ends_seg,
               ends_short);
        printf("%d px: %ld gazes, baseline within 1 px %.1f%%, x-height within 10%% %.1f%%; "
               "letters segmented alone: %.1f%% within 2 of the gaze, %.1f%% 3-6 out; gaps: "
               "%ld in words (%.1f%% called word gaps), %ld between words (%.1f%% missed)\n",
               sizes[s], t.lines, 100 * line_ok, 100 * xh_ok, 100 * near, 100 * far, t.gaps_in,
               100.0 * (double)t.gaps_in_wrong / (double)(t.gaps_in ? t.gaps_in : 1), t.gaps_word,
               100.0 * (double)t.gaps_word_wrong / (double)(t.gaps_word ? t.gaps_word : 1));
        double auc[2][2];
        gap_aucs(&t, auc);
        printf("%d px: a word gap wider than a gap in a word (of every such pair), between "
               "strong spans / faint: %.2f / %.2f%% within 2 letters of the gaze, %.2f / %.2f%% "
               "3-6 right of it\n",
               sizes[s], 100 * auc[0][0], 100 * auc[0][1], 100 * auc[1][0], 100 * auc[1][1]);
        /* measured 2026-12-07: near 97.64 / 97.92, 98.78 / 98.77, 99.05 / 99.29, 99.52 /
         * 99.58%; 3-6 out 90.96 / 92.26, 91.32 / 94.05, 94.18 / 96.27, 92.59 / 94.03% (16 / 22
         * / 28 / 36 px): the blur away from the gaze thins a letter's strong ink, and widens
         * the gaps between strong spans, more than between faint ones */
        CHECKF(t.n_in[1] >= 300 && t.n_word[1] >= 60 && auc[1][1] >= auc[1][0] + 0.005 &&
                   auc[0][1] >= auc[0][0] - 0.005,
               "%d px: word gaps told apart %.4f / %.4f near, %.4f / %.4f 3-6 out", sizes[s],
               auc[0][0], auc[0][1], auc[1][0], auc[1][1]);
        CHECKF(t.spans_bad == 0, "%d px: %ld faint spans not around their strong ink", sizes[s],
               t.spans_bad);
    }
    /* A slab-serif monospace face (Inconsolata, a reading validation family: no model trained
     * on it) at large sizes: its serif rows are the profile's peak and its stems a third of
     * that, so a dip inside the x-height must not cut the x-height band (until 2026-12-07 it
     * did: 36 px lines judged 9 px high against 17; lowercase lines, x-height within 10% at
     * 95.8 / 86.6% of gazes at 28 / 36 px then, 99.2 / 95.5% since) */
    for (int px = 28; px <= 36; px += 8) {
        Tally t;
        memset(&t, 0, sizeof(t));
        one_face("Inconsolata", px, 30, 1, &rng, r, work, &world, &t);
        double xh_ok = (double)t.xh_ok / (double)(t.lines ? t.lines : 1);
        printf("Inconsolata %d px: %ld gazes, baseline within 1 px %.1f%%, x-height within 10%% "
               "%.1f%%\n",
               px, t.lines, 100.0 * (double)t.lines_ok / (double)(t.lines ? t.lines : 1),
               100 * xh_ok);
        CHECKF(t.lines >= 100 && xh_ok >= 0.9, "Inconsolata %d px: x-height %.2f", px, xh_ok);
    }
    /* A serif face whose hairlines are faint at 16 px (P052, a reading validation family):
     * its a keeps only its stem's strong ink, so the gap before it is a word gap's width
     * between strong spans and a letter gap's between faint ones */
    {
        Tally t;
        memset(&t, 0, sizeof(t));
        one_face("P052", 16, 40, 1, &rng, r, work, &world, &t);
        double auc[2][2];
        gap_aucs(&t, auc);
        printf("P052 16 px: a word gap wider than a gap in a word, between strong spans / "
               "faint: %.2f / %.2f%% within 2 letters of the gaze, %.2f / %.2f%% 3-6 right of "
               "it\n",
               100 * auc[0][0], 100 * auc[0][1], 100 * auc[1][0], 100 * auc[1][1]);
        /* measured 2026-12-07: 96.63 / 96.59% near, 89.33 / 91.91% 3-6 out */
        CHECKF(t.n_in[1] >= 300 && t.n_word[1] >= 60 && auc[1][1] >= auc[1][0] + 0.01,
               "P052 16 px: word gaps told apart %.4f strong, %.4f faint 3-6 out", auc[1][0],
               auc[1][1]);
    }
    /* a split's places: three bars joined near the baseline, by one row of ink on the left and
     * three on the right: the least ink is in the left joint, the next in the right one, and
     * there is no third */
    image_fill(&world, 0.1f);
    for (int y = BASE - 10; y < BASE; y++)
        for (int x = 300; x < 326; x++) {
            int bar = x < 306 || (x >= 310 && x < 316) || x >= 320;
            int joint = x < 310 ? y == BASE - 1 : y >= BASE - 3;
            if (bar || joint)
                world.px[y * world.stride + x] = 0.95f;
        }
    retina_world_changed(r, &world, 0, 0, W, H);
    retina_sample(r, 313.0f, (float)BASE - 5.0f);
    {
        RetinaTextLine bars = {(float)BASE, 10.0f, 0, 0};
        RetinaTextLetter whole = {300.0f, 326.0f, 299.0f, 327.0f}, a[4], b[4];
        int n = retina_text_split(r, &bars, &whole, a, b, 4);
        CHECKF(n == 2 && a[0].x0 == 300.0f && a[0].fx0 == 299.0f && a[0].x1 >= 306.0f &&
                   a[0].x1 < 310.0f && b[0].x0 == a[0].x1 + 1.0f && b[0].x1 == 326.0f &&
                   b[0].fx1 == 327.0f,
               "split 0 of %d: %g..%g | %g..%g", n, a[0].x0, a[0].x1, b[0].x0, b[0].x1);
        CHECKF(n >= 2 && a[1].x1 >= 316.0f && a[1].x1 < 320.0f, "split 1 of %d: at %g", n, a[1].x1);
        /* at most max ways; none with max 0 or a segment too narrow */
        RetinaTextLetter narrow = {300.0f, 305.0f, 300.0f, 305.0f};
        CHECKF(retina_text_split(r, &bars, &whole, a, b, 1) == 1 && a[0].x1 >= 306.0f &&
                   a[0].x1 < 310.0f && retina_text_split(r, &bars, &whole, a, b, 0) == 0 &&
                   retina_text_split(r, &bars, &narrow, a, b, 4) == 0,
               "split with max 1, max 0, a narrow segment");
    }
    /* a word's end on a blank line: the first column after x starts the gap; bad bounds give
     * x_max (x_min for a line's start) */
    image_fill(&world, 0.1f);
    retina_world_changed(r, &world, 0, 0, W, H);
    retina_sample(r, 300.0f, (float)BASE - 5.0f);
    RetinaTextLine blank = {(float)BASE, 10.0f, 0, 0};
    float e0 = retina_text_word_end(r, &blank, 300.5f, 5.0f, 400.0f);
    float e1 = retina_text_word_end(r, &blank, 500.0f, 5.0f, 400.0f);
    float e2 = retina_text_word_end(r, &blank, NAN, 5.0f, 400.0f);
    CHECKF(e0 == 301.0f && e1 == 400.0f && e2 == 400.0f, "blank line: ends %g %g %g", e0, e1, e2);
    /* ... and its start: no ink left of x, so the line starts right of x */
    float s0 = retina_text_line_start(r, &blank, 300.5f, 5.0f, 200.0f);
    float s1 = retina_text_line_start(r, &blank, 100.0f, 5.0f, 200.0f);
    float s2 = retina_text_line_start(r, &blank, NAN, 5.0f, 200.0f);
    CHECKF(s0 == 301.0f && s1 == 200.0f && s2 == 200.0f, "blank line: starts %g %g %g", s0, s1, s2);
    image_destroy(&world);
    retina_destroy(&r);
    retina_text_work_destroy(&work);
    return TEST_DONE();
}
