/* The reading eye on natural text (sim_text.h). */
#include "sim/sim_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "retina/retina_text.h"
#include "sim/letter_widths.h"
#include "sim/lexicon.h"

#define SIDE RETINA_TEXT_SIDE
#define MAX_CLASSES 64
#define BEHIND 8.0f       /* x-heights left of the gaze a glimpse segments */
#define AHEAD 10.0f       /* ... and right of it */
#define END_GAP 5.0f      /* x-heights without ink after a letter: the line's end */
#define UP_REACH 5.0f     /* x-heights above a line's top where the line above is looked for */
#define UP_LINES 64       /* lines up a glimpse is read for the text's first line */
#define LEFT_REACH 120.0f /* x-heights left a glimpse is read for a line's start */
#define NEXT_DOWN 10.0f   /* x-heights below a line's baseline where the next line is looked for */
#define FIND_HALF 60.0f   /* px either side of the gaze whose rows find a line */
#define FIX_PER_LETTER 3  /* a line gets at most this many fixations per letter, then is left */
#define WORD_GAP_MIN 0.3f /* x-heights: the narrowest and widest gap that may part words */
#define WORD_GAP_MAX 0.9f
#define WORD_GAP_COUNT 8 /* gaps a line needs before its own word gap is judged */
/* looks from where the next line would start before the text is done (2 until 2026-12-07, sixth
 * stop: on the validation pages the second never found a line the first had missed) */
#define SWEEP_LOOKS 1
#define ON_LINE 1.0f    /* x-heights off the line's middle within which a fixation reads it */
#define SPLIT_SURE 0.8f /* each part of a split segment must be read this surely */
#define SPLIT_DEPTH 2   /* a segment is split at most twice deep */
#define SPLIT_PARTS 4   /* ... into at most this many parts */
#define SPLIT_CANDS 3   /* ... at one of its three columns of least ink */
#define JOIN_GAP 0.25f  /* x-heights: the widest gap a join of a broken letter's pieces bridges */
#define JOIN_WIDTH 2.0f /* x-heights: the widest letter a join makes */
/* reads a fixation may spend mending segments (split, join, recut), the fovea's first: at
 * 36 px a read is about 0.1 ms, and a hopeless segment far out could take forty (2026-12-08:
 * 8 read as many words on validation as 16 or no limit, 995.0 / 996.1 / 995.7 points; hashed as
 * "mend-8-recut" in sim_model.c: change both) */
#define MEND_READS 8
#define SAME_SHARE 0.3f /* segments sharing more of the narrower's columns are one stretch */
#define CUT_MIN 0.25f   /* x-heights: the narrowest cut segment that fills a hole (merge_letters) */
#define ALT_LOOKS 3     /* glimpses in a row that judge a line's size alike and otherwise */
/* classes a letter's read keeps, with their probabilities (4 until 2026-12-07: on validation 8
 * read 12 points more summed over twelve rows) */
#define TOP_K 8
#define LEX_FLOOR 1e-3f    /* the least probability a read gives any letter (a reader errs) */
#define LEX_TEMP 0.5f      /* the readers' log-probabilities are weighed by this (calibration) */
#define LEX_NONWORD -14.0f /* log prior odds of a word outside the vocabulary */
#define WORD_SURE 0.99f    /* a word the vocabulary reads this surely is read */
#define WEAK_CONF 0.7f     /* a read less sure than this may be a segmentation error ... */
#define EDIT_LOGP -2.3f    /* ... each such error with log prior probability this */
#define EDITS_MAX 2        /* errors a word may have */
#define WIDTH_LOGP -3.0f   /* log prior of a letter a "nothing" segment's width does not fit */
#define HYPS_MAX 16        /* readings of a word's segments as letters */
#define WORD_REACH 5.0f    /* x-heights: the farthest a first look reckons a word reaches */

enum { PH_ORIENT = 0, PH_READ = 1, PH_SWEEP = 2, PH_DONE = 3 };
enum { LEX_UNREAD = -1, LEX_NONE = -2 }; /* not read by the vocabulary since segmented; no word */

/* One letter as segmented, with the read it keeps. Plain 32-bit fields (hashed, saved). */
typedef struct TLetter {
    float x0, x1;  /* ink columns, world px (half-open) */
    float ecc;     /* |centre - gaze| in x-heights when it was segmented */
    int32_t label; /* class read, -1 none */
    float conf;
    int32_t dist;       /* |offset| of the reader */
    int32_t tries;      /* foveal reads of it that said "nothing" */
    int32_t top[TOP_K]; /* the kept read's likeliest classes (-1 none) ... */
    float top_p[TOP_K]; /* ... and their probabilities */
    int32_t lex;     /* the vocabulary's read of the word it was in (LEX_UNREAD, LEX_NONE: none) */
    float lex_p;     /* ... and its posterior */
    int32_t lex_run; /* ... and the word's letters then, << 8 | this letter's place (-1) */
    int32_t looks;   /* fixations on the word it was in */
    int32_t fresh;   /* its read changed since the vocabulary last read its word */
    float fx0, fx1;  /* its columns counting faint ink (word gaps are measured between these) */
} TLetter;

typedef struct TLine {
    float baseline, xheight;
    float word_gap;    /* gaps at least this wide (x-heights) part words: line_word_gap */
    int32_t end_seen;  /* a glimpse showed the line's end (or the line was left) */
    int32_t n;         /* letters */
    int32_t fixations; /* fixations spent reading it */
    float alt_xheight; /* the size the last glimpses judged a quarter off the line's, or 0 */
    int32_t alt_n;     /* ... how many glimpses in a row judged it */
} TLine;

typedef struct TCore {
    int32_t phase;
    int32_t line; /* the line being read (index in lines) */
    int32_t n_lines;
    float margin_x;      /* the first line's start: where return sweeps go */
    float sweep_y;       /* where a return sweep aimed */
    int32_t sweep_looks; /* looks after a return sweep that found no line below */
} TCore;

struct SimText {
    SimReader readers[1 + SIM_READERS_MAX];
    int n, left_reach;
    const float *sure;
    const int *place;
    const SimReadingMoves *moves;
    const Lexicon *lex;                       /* the vocabulary, or NULL: letter by letter */
    int8_t sym[MAX_CLASSES];                  /* each class's letter symbol (lexicon.h), -1 none */
    float wlo[MAX_CLASSES], whi[MAX_CLASSES]; /* widths a class's segment has (x-heights) */
    TCore core;
    TLine lines[SIM_TEXT_LINES];
    TLetter letters[SIM_TEXT_LINES][SIM_TEXT_LETTERS];
    float patch[SIDE * SIDE], probs[MAX_CLASSES], probs2[MAX_CLASSES];
    RetinaTextLetter seg[RETINA_TEXT_MAX_LETTERS];
    RetinaTextWork *work; /* retina_text_letters' scratch */
    int mend_left;        /* reads left this fixation to mend segments with (mend_read) */
};

SimText *sim_text_create(const SimReader *readers, int n, const float *sure, const int *place,
                         const SimReadingMoves *moves)
{
    SimText *t = calloc(1, sizeof(*t));
    if (!t || !(t->work = retina_text_work_create())) {
        free(t);
        sc_set_error("out of memory");
        return NULL;
    }
    memcpy(t->readers, readers, sizeof(*readers) * (size_t)n);
    t->n = n;
    for (int i = 0; i < n; i++)
        if (-readers[i].offset > t->left_reach)
            t->left_reach = -readers[i].offset;
    t->sure = sure;
    t->place = place;
    t->moves = moves;
    for (int c = 0; c < MAX_CLASSES; c++) {
        const char *name = c < readers[0].n_classes ? readers[0].class_names[c] : "";
        t->sym[c] = (int8_t)(name[0] && !name[1] ? lexicon_symbol(name[0]) : -1);
        t->wlo[c] = 0.0f; /* a class of no letter, or a letter never seen alone: any width */
        t->whi[c] = INFINITY;
        for (int j = 0; j < SIM_LETTER_WIDTHS && name[0] && !name[1]; j++)
            if (sim_letter_widths[j].letter == name[0] && sim_letter_widths[j].hi > 0.0f) {
                t->wlo[c] = SIM_LETTER_WIDTH_LO * sim_letter_widths[j].lo;
                t->whi[c] = SIM_LETTER_WIDTH_HI * sim_letter_widths[j].hi;
            }
    }
    sim_text_reset(t);
    return t;
}

void sim_text_set_lexicon(SimText *t, const Lexicon *lex)
{
    t->lex = lex;
}

void sim_text_destroy(SimText **t)
{
    if (t && *t) {
        retina_text_work_destroy(&(*t)->work);
        free(*t);
        *t = NULL;
    }
}

/* A segment not yet read. */
static TLetter letter_new(RetinaTextLetter s)
{
    TLetter k = {.x0 = s.x0,
                 .x1 = s.x1,
                 .label = -1,
                 .lex = LEX_UNREAD,
                 .lex_run = -1,
                 .fx0 = s.fx0,
                 .fx1 = s.fx1};
    for (int j = 0; j < TOP_K; j++)
        k.top[j] = -1;
    return k;
}

/* Keeps a read of k: its class, the reader's distance and its TOP_K likeliest classes. */
static void letter_set_read(const SimText *t, TLetter *k, const float *probs, int label, int dist)
{
    k->label = label;
    k->conf = probs[label];
    k->dist = dist;
    k->fresh = 1;
    for (int j = 0; j < TOP_K; j++) {
        k->top[j] = -1;
        k->top_p[j] = 0.0f;
    }
    for (int c = 0; c < t->readers[0].n_classes; c++) {
        int j = TOP_K;
        while (j > 0 && (k->top[j - 1] < 0 || probs[c] > k->top_p[j - 1]))
            j--;
        if (j == TOP_K)
            continue;
        memmove(&k->top[j + 1], &k->top[j], sizeof(k->top[0]) * (size_t)(TOP_K - 1 - j));
        memmove(&k->top_p[j + 1], &k->top_p[j], sizeof(k->top_p[0]) * (size_t)(TOP_K - 1 - j));
        k->top[j] = c;
        k->top_p[j] = probs[c];
    }
}

void sim_text_reset(SimText *t)
{
    memset(&t->core, 0, sizeof(t->core));
    memset(t->lines, 0, sizeof(t->lines));
    for (int l = 0; l < SIM_TEXT_LINES; l++)
        for (int i = 0; i < SIM_TEXT_LETTERS; i++)
            t->letters[l][i] = letter_new((RetinaTextLetter){0});
}

int sim_text_orienting(const SimText *t)
{
    return t->core.phase == PH_ORIENT;
}

int sim_text_done(const SimText *t)
{
    return t->core.phase == PH_DONE;
}

static float centre(const TLetter *k)
{
    return 0.5f * (k->x0 + k->x1 - 1.0f);
}

/* A letter is read when the fovea read it (as "nothing", a segment that is no one letter, only
 * after a second look from another landing), or another reader surely. */
static int letter_done(const SimText *t, const TLetter *k)
{
    if (k->label < 0)
        return 0;
    if (k->dist == 0 && k->label == t->readers[0].nothing_class)
        return k->tries >= 2;
    return k->dist == 0 || (k->label != t->readers[0].nothing_class &&
                            k->dist <= SIM_READERS_MAX / 2 && k->conf >= t->sure[k->dist]);
}

int sim_text_width_fit(const SimText *t, int label, float width)
{
    if (label < 0 || label >= MAX_CLASSES || !(width >= 0.0f))
        return 0;
    return width < t->wlo[label] ? -1 : width > t->whi[label] ? 1 : 0;
}

/* Whether label fits letter k's segment on line l (sim_text_width_fit). */
static int width_fit(const SimText *t, int l, const TLetter *k, int label)
{
    return sim_text_width_fit(t, label, (k->x1 - k->x0) / t->lines[l].xheight);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The gap that parts words on line l, in x-heights: the gaps between its letters fall in two
 * groups, within words and between them; the split that best separates them (Otsu's, on the
 * sorted gaps), kept within WORD_GAP_MIN..WORD_GAP_MAX; RETINA_TEXT_WORD_GAP while the line
 * has fewer than WORD_GAP_COUNT gaps. A face's spacing, not one rule for all: a face with a
 * large x-height (URW Gothic) has word spaces of half an x-height. */
static float line_word_gap(const SimText *t, int l)
{
    const TLine *L = &t->lines[l];
    const TLetter *k = t->letters[l];
    float g[SIM_TEXT_LETTERS];
    int n = 0;
    for (int i = 1; i < L->n; i++)
        g[n++] = (k[i].fx0 - k[i - 1].fx1) / L->xheight;
    if (n < WORD_GAP_COUNT)
        return RETINA_TEXT_WORD_GAP;
    qsort(g, (size_t)n, sizeof(float), cmp_float);
    double total = 0;
    for (int i = 0; i < n; i++)
        total += g[i];
    double best = -1, thr = RETINA_TEXT_WORD_GAP, left = 0;
    for (int i = 0; i + 1 < n; i++) { /* split after g[i] */
        left += g[i];
        float cut = 0.5f * (g[i] + g[i + 1]);
        if (cut < WORD_GAP_MIN || cut > WORD_GAP_MAX)
            continue;
        double na = i + 1, nb = n - na, ma = left / na, mb = (total - left) / nb;
        double between = na * nb * (ma - mb) * (ma - mb);
        if (between > best) {
            best = between;
            thr = cut;
        }
    }
    return (float)thr;
}

/* Two segments cover the same stretch of the line when they share more than SAME_SHARE of the
 * narrower one's columns: a letter's overhang (f's hook over the next letter, T's bar over an
 * a, kerned pairs) makes neighbours share a column or two, and they stay two letters. */
static int same_stretch(float a0, float a1, float b0, float b1)
{
    float ov = (a1 < b1 ? a1 : b1) - (a0 > b0 ? a0 : b0);
    float wa = a1 - a0, wb = b1 - b0;
    return ov > 0.0f && ov > SAME_SHARE * (wa < wb ? wa : wb);
}

/* Merges this glimpse's segments (gaze at gx) into line l's letters: a stretch of the line
 * keeps the segmentation of the nearest look at it. A segment goes in when every letter it
 * shares a stretch with (same_stretch) was segmented from further out (by a quarter of an
 * x-height), and they go; a segment that shares none goes in unless a nearer look saw a gap
 * there (letters it segmented on either side, within half an x-height). Each is judged against
 * the line as it was before this glimpse; then a segment that shares a stretch only with
 * letters another segment of this glimpse replaces goes in too (an x seen merged with the f
 * beside it, then the f alone from nearer and the x from about as far: the x had been lost,
 * and its word parted at the hole); one that shares a stretch with such a letter and with
 * nearer letters that stay goes in cut to the columns they leave. A replaced letter's read
 * carries over to a segment whose
 * span agrees with it within a fifth of an x-height. A letter of an earlier, further look that
 * this glimpse's letters flank is dropped (below). */
static void merge_letters(SimText *t, int l, const RetinaTextLetter *seg, int ns, float gx)
{
    TLine *L = &t->lines[l];
    TLetter *let = t->letters[l];
    const float xh = L->xheight, tol = 0.2f * xh;
    unsigned char in[RETINA_TEXT_MAX_LETTERS];
    RetinaTextLetter sg[RETINA_TEXT_MAX_LETTERS]; /* the segments, a hole's filler cut */
    if (ns > RETINA_TEXT_MAX_LETTERS)
        ns = RETINA_TEXT_MAX_LETTERS;
    memcpy(sg, seg, sizeof(*seg) * (size_t)ns);
    for (int s = 0; s < ns; s++) {
        const TLetter k = letter_new(seg[s]);
        const float ecc = fabsf(centre(&k) - gx) / xh;
        int n_over = 0, better = 1, near_left = 0, near_right = 0;
        for (int i = 0; i < L->n; i++) {
            if (same_stretch(let[i].x0, let[i].x1, seg[s].x0, seg[s].x1)) {
                n_over++;
                better &= let[i].ecc > ecc + 0.25f;
            } else if (let[i].ecc < ecc - 0.25f) {
                near_left |= let[i].x1 <= seg[s].x0 && let[i].x1 > seg[s].x0 - 0.5f * xh;
                near_right |= let[i].x0 >= seg[s].x1 && let[i].x0 < seg[s].x1 + 0.5f * xh;
            }
        }
        in[s] = better && !(n_over == 0 && near_left && near_right);
    }
    /* the line's letters this glimpse's segments replace (judged as above) */
    unsigned char gone[SIM_TEXT_LETTERS];
    for (int i = 0; i < L->n; i++) {
        gone[i] = 0;
        for (int s2 = 0; s2 < ns && !gone[i]; s2++)
            gone[i] = in[s2] == 1 && same_stretch(let[i].x0, let[i].x1, seg[s2].x0, seg[s2].x1);
    }
    for (int s = 0; s < ns; s++) {
        if (in[s])
            continue;
        int n_over = 0, n_gone = 0;
        RetinaTextLetter cut = seg[s];
        for (int i = 0; i < L->n; i++) {
            if (!same_stretch(let[i].x0, let[i].x1, seg[s].x0, seg[s].x1))
                continue;
            n_over++;
            n_gone += gone[i];
            if (gone[i])
                continue;
            if (centre(&let[i]) < 0.5f * (seg[s].x0 + seg[s].x1 - 1.0f)) {
                cut.x0 = fmaxf(cut.x0, let[i].x1);
                cut.fx0 = fmaxf(cut.fx0, let[i].fx1);
            } else {
                cut.x1 = fminf(cut.x1, let[i].x0);
                cut.fx1 = fminf(cut.fx1, let[i].fx0);
            }
        }
        /* the faint ink's columns hold the strong ink's (a letter's invariant) */
        cut.fx0 = fminf(cut.fx0, cut.x0);
        cut.fx1 = fmaxf(cut.fx1, cut.x1);
        if (n_over > 0 && n_gone == n_over) {
            in[s] = 2;
            continue;
        }
        /* one that shares a stretch with a letter this glimpse replaces and with nearer
         * letters that stay goes in cut to the columns those leave, so that the replaced
         * letter's ink stays on the line (since 2026-12-07, seventh stop: "chammies" seen as
         * "cha" and a blob from one look, then as a blob over "a" to "mi" and "es" from
         * further right; "es" replaced the old blob, the new one stayed out for the nearer
         * "a", and the hole between parted no word: the line's word gap, judged with the
         * hole among its gaps, rose to 0.75 x-heights and the line's words ran together) */
        int clear = n_gone > 0 && cut.x1 - cut.x0 >= CUT_MIN * xh;
        for (int i = 0; i < L->n && clear; i++)
            clear = gone[i] || !same_stretch(let[i].x0, let[i].x1, cut.x0, cut.x1);
        if (clear) {
            sg[s] = cut;
            in[s] = 3;
        }
    }
    /* a segment of this glimpse replaces letters of the line's before it, never another of
     * this glimpse's: two letters whose strong ink overlaps in columns (r's arm over the a
     * after it) are two segments of one glimpse, and both go in (until 2026-12-07 the later
     * pushed the earlier out: P052's "arraying" at 16 px lost its rr) */
    unsigned char mine[SIM_TEXT_LETTERS];
    memset(mine, 0, sizeof(mine[0]) * (size_t)L->n);
    for (int s = 0; s < ns; s++) {
        if (!in[s])
            continue;
        TLetter k = letter_new(sg[s]);
        k.ecc = fabsf(centre(&k) - gx) / xh;
        int n_over = 0, one = -1;
        for (int i = 0; i < L->n; i++)
            if (!mine[i] && same_stretch(let[i].x0, let[i].x1, k.x0, k.x1)) {
                n_over++;
                one = i;
            }
        if (L->n - n_over + 1 > SIM_TEXT_LETTERS) {
            L->end_seen = 1; /* the line is full: it ends here for the eye (no letter more) */
            continue;
        }
        if (n_over == 1 && fabsf(let[one].x0 - k.x0) <= tol && fabsf(let[one].x1 - k.x1) <= tol) {
            k.label = let[one].label;
            k.conf = let[one].conf;
            k.dist = let[one].dist;
            k.tries = let[one].tries;
            memcpy(k.top, let[one].top, sizeof(k.top));
            memcpy(k.top_p, let[one].top_p, sizeof(k.top_p));
            k.lex = let[one].lex;
            k.lex_p = let[one].lex_p;
            k.lex_run = let[one].lex_run;
            k.looks = let[one].looks;
        }
        int m = 0;
        for (int i = 0; i < L->n; i++)
            if (mine[i] || !same_stretch(let[i].x0, let[i].x1, k.x0, k.x1)) {
                mine[m] = mine[i];
                let[m++] = let[i];
            }
        int at = m;
        while (at > 0 && let[at - 1].x0 > k.x0)
            at--;
        memmove(&let[at + 1], &let[at], sizeof(TLetter) * (size_t)(m - at));
        memmove(&mine[at + 1], &mine[at], (size_t)(m - at));
        let[at] = k;
        mine[at] = 1;
        L->n = m + 1;
    }
    /* a letter of an earlier look from further out that this glimpse's letters flank, within
     * half an x-height either side, goes: this nearer look saw no letter there (since
     * 2026-12-07, sixth stop: a narrow letter seen again a column or two off shared no stretch
     * with its older segment, and both stayed: 16 px "chilliest" read with four l's) */
    int m = 0;
    for (int i = 0; i < L->n; i++) {
        int left = 0, right = 0;
        if (!mine[i] && let[i].ecc > fabsf(centre(&let[i]) - gx) / xh + 0.25f)
            for (int j = 0; j < L->n; j++)
                if (mine[j]) {
                    left |= let[j].x0 < let[i].x0 && let[j].x1 > let[i].x0 - 0.5f * xh;
                    right |= let[j].x1 > let[i].x1 && let[j].x0 < let[i].x1 + 0.5f * xh;
                }
        if (!(left && right)) {
            mine[m] = mine[i];
            let[m++] = let[i];
        }
    }
    L->n = m;
}

/* The reader's read of a patch: its class (-1 when the reader fails) and, in probs, all of
 * them. */
static int reader_read(const SimReader *rr, const float *patch, float *probs)
{
    if (rr->predict(rr->ctx, patch, probs) != 0)
        return -1;
    int best = 0;
    for (int c = 1; c < rr->n_classes; c++)
        if (probs[c] > probs[best])
            best = c;
    return best;
}

/* The reader's read, into t->probs2, of the patch centred on world columns x0..x1 of line geo,
 * made to mend a segmentation (split_read, join_read, recut_read): MEND_READS a fixation, the
 * nearest reader's first (the readers read in order of distance); -1 once they are spent. */
static int mend_read(SimText *t, const Retina *r, const RetinaTextLine *geo, const SimReader *rr,
                     float x0, float x1)
{
    if (t->mend_left <= 0)
        return -1;
    t->mend_left--;
    retina_text_patch(r, geo, 0.5f * (x0 + x1 - 1.0f), t->patch);
    return reader_read(rr, t->patch, t->probs2);
}

/* Reads segment s as letters the reader is sure of (not "nothing", p >= SPLIT_SURE): whole
 * (below the top level, whose whole read said "nothing"), or else split at its column of
 * least ink and each part read the same way, down to SPLIT_DEPTH splits; when a part cannot be
 * read surely, split at its next column of least ink instead (up to SPLIT_CANDS: at 16 px two
 * serif letters that touch often have their least ink inside one of them). The parts with
 * their reads in out (at most max); returns their count, 0 when no split reads surely. */
static int split_read(SimText *t, const Retina *r, const RetinaTextLine *geo, const SimReader *rr,
                      int dist, RetinaTextLetter s, int depth, TLetter *out, int max)
{
    if (max < 1)
        return 0;
    if (depth > 0) {
        int c = mend_read(t, r, geo, rr, s.x0, s.x1);
        if (c < 0)
            return 0;
        if (c != rr->nothing_class && t->probs2[c] >= SPLIT_SURE) {
            out[0] = letter_new(s);
            letter_set_read(t, &out[0], t->probs2, c, dist);
            return 1;
        }
    }
    if (depth >= SPLIT_DEPTH || max < 2)
        return 0;
    RetinaTextLetter a[SPLIT_CANDS], b[SPLIT_CANDS];
    const int ways = retina_text_split(r, geo, &s, a, b, SPLIT_CANDS);
    for (int w = 0; w < ways; w++) {
        int na = split_read(t, r, geo, rr, dist, a[w], depth + 1, out, max - 1);
        if (!na)
            continue;
        int nb = split_read(t, r, geo, rr, dist, b[w], depth + 1, out + na, max - na);
        if (nb)
            return na + nb;
    }
    return 0;
}

/* A letter of a..b of line l read as a letter (not "nothing") by a reader nearer the gaze than
 * dist: its read stands, and no join or recut of a farther reader's takes it. */
static int nearer_read(const SimText *t, int l, int a, int b, int dist)
{
    for (int k = a; k <= b; k++) {
        const TLetter *q = &t->letters[l][k];
        if (q->label >= 0 && q->label != t->readers[0].nothing_class && q->dist < dist)
            return 1;
    }
    return 0;
}

/* The reader at distance dist read segment i of line l as "nothing" and no split of it reads
 * surely: a letter broken in pieces (a serif face's hairlines lost to the blur: n as a stem and
 * an arch)? It is joined with the segment left of it, right of it, or both (gaps of at most
 * JOIN_GAP x-heights, JOIN_WIDTH at most in all; no letter a nearer reader read), and the reader
 * decides: the surest join that reads as a letter with p >= SPLIT_SURE replaces its pieces.
 * Returns the index of the joined letter (its class probabilities in t->probs2), or -1. */
static int join_read(SimText *t, const Retina *r, int l, int i, const RetinaTextLine *geo,
                     const SimReader *rr, int dist)
{
    TLine *L = &t->lines[l];
    TLetter *let = t->letters[l];
    const float xh = L->xheight;
    int best_a = -1, best_b = -1, best_c = -1;
    float best_p = SPLIT_SURE, best_probs[MAX_CLASSES];
    static const int span[3][2] = {{-1, 0}, {0, 1}, {-1, 1}};
    for (int v = 0; v < 3; v++) {
        int a = i + span[v][0], b = i + span[v][1];
        if (a < 0 || b >= L->n)
            continue;
        int ok = let[b].x1 - let[a].x0 <= JOIN_WIDTH * xh && !nearer_read(t, l, a, b, dist);
        for (int k = a; k < b && ok; k++)
            ok = let[k + 1].x0 - let[k].x1 <= JOIN_GAP * xh;
        if (!ok)
            continue;
        int c = mend_read(t, r, geo, rr, let[a].x0, let[b].x1);
        if (c >= 0 && c != rr->nothing_class && t->probs2[c] >= best_p &&
            (best_c < 0 || t->probs2[c] > best_p)) {
            best_p = t->probs2[c];
            best_a = a;
            best_b = b;
            best_c = c;
            memcpy(best_probs, t->probs2, sizeof(float) * (size_t)rr->n_classes);
        }
    }
    if (best_c < 0)
        return -1;
    memcpy(t->probs2, best_probs, sizeof(float) * (size_t)rr->n_classes); /* the kept read's */
    TLetter j = letter_new(
        (RetinaTextLetter){let[best_a].x0, let[best_b].x1, let[best_a].fx0, let[best_b].fx1});
    j.ecc = let[i].ecc;
    letter_set_read(t, &j, best_probs, best_c, dist);
    let[best_a] = j;
    memmove(&let[best_a + 1], &let[best_b + 1], sizeof(TLetter) * (size_t)(L->n - best_b - 1));
    L->n -= best_b - best_a;
    return best_a;
}

/* The reader at distance dist read segment i of line l as "nothing" and neither a split of it
 * nor a join reads surely: a letter whose piece went to the segment beside it? (At 16 px P052's
 * f joins by its bar the left half of the o after it, whose right half comes alone: f+o and o,
 * read as A and "nothing": "for" was read as "Ar".) The cut between segment i and a neighbour
 * moves to a column of least ink inside either (retina_text_split's ways), and the reader
 * decides: the way whose two parts both read as letters with p >= SPLIT_SURE, the lesser of the
 * two the largest, replaces the pair (a gap of at most JOIN_GAP x-heights between them, each
 * part JOIN_WIDTH at most, no letter a nearer reader read). Returns the index of the part that
 * holds segment i's centre (its class probabilities in t->probs2), or -1. */
static int recut_read(SimText *t, const Retina *r, int l, int i, const RetinaTextLine *geo,
                      const SimReader *rr, int dist)
{
    TLine *L = &t->lines[l];
    TLetter *let = t->letters[l];
    const float xh = L->xheight, mid = centre(&let[i]);
    const size_t nc = (size_t)rr->n_classes;
    RetinaTextLetter best[2];
    int best_a = -1, best_c[2] = {-1, -1};
    float best_p = SPLIT_SURE, best_probs[2][MAX_CLASSES], probs[2][MAX_CLASSES];
    for (int side = 0; side < 2; side++) {
        const int a = side ? i : i - 1, b = a + 1;
        if (a < 0 || b >= L->n || let[b].x0 - let[a].x1 > JOIN_GAP * xh ||
            nearer_read(t, l, a, b, dist))
            continue;
        for (int s = a; s <= b; s++) {
            RetinaTextLetter whole = {let[s].x0, let[s].x1, let[s].fx0, let[s].fx1};
            RetinaTextLetter pa[SPLIT_CANDS], pb[SPLIT_CANDS];
            const int ways = retina_text_split(r, geo, &whole, pa, pb, SPLIT_CANDS);
            for (int w = 0; w < ways; w++) {
                RetinaTextLetter part[2];
                if (s == a) { /* a's right part goes to b */
                    part[0] = pa[w];
                    part[1] = (RetinaTextLetter){pb[w].x0, let[b].x1, pb[w].fx0, let[b].fx1};
                } else { /* b's left part goes to a */
                    part[0] = (RetinaTextLetter){let[a].x0, pa[w].x1, let[a].fx0, pa[w].fx1};
                    part[1] = pb[w];
                }
                int c[2];
                float p = 1.0f;
                for (int h = 0; h < 2 && p >= best_p; h++) {
                    if (part[h].x1 - part[h].x0 > JOIN_WIDTH * xh) {
                        p = 0.0f;
                        break;
                    }
                    c[h] = mend_read(t, r, geo, rr, part[h].x0, part[h].x1);
                    if (c[h] < 0 || c[h] == rr->nothing_class) {
                        p = 0.0f;
                        break;
                    }
                    p = fminf(p, t->probs2[c[h]]);
                    memcpy(probs[h], t->probs2, sizeof(float) * nc);
                }
                if (p >= best_p && (best_a < 0 || p > best_p)) {
                    best_p = p;
                    best_a = a;
                    best[0] = part[0];
                    best[1] = part[1];
                    best_c[0] = c[0];
                    best_c[1] = c[1];
                    memcpy(best_probs, probs, sizeof(best_probs));
                }
            }
        }
    }
    if (best_a < 0)
        return -1;
    const float ecc = let[i].ecc;
    for (int h = 0; h < 2; h++) {
        TLetter k = letter_new(best[h]);
        k.ecc = ecc;
        letter_set_read(t, &k, best_probs[h], best_c[h], dist);
        let[best_a + h] = k;
    }
    const int held = mid >= best[1].x0; /* the part that holds segment i's centre */
    memcpy(t->probs2, best_probs[held], sizeof(float) * nc);
    return best_a + held;
}

static void read_letter(SimText *t, const Retina *r, int l, int i, int reader, int *label0,
                        float *conf, float *probs)
{
    const SimReader *rr = &t->readers[reader];
    TLine *L = &t->lines[l];
    TLetter *k = &t->letters[l][i];
    int dist = abs(rr->offset);
    if (dist > 0 && k->label >= 0 && k->dist < dist)
        return; /* a nearer reader's read stands whatever this one reads: not read again */
    RetinaTextLine geo = {L->baseline, L->xheight, 0, 0};
    retina_text_patch(r, &geo, centre(k), t->patch);
    int best = reader_read(rr, t->patch, t->probs);
    if (best < 0)
        return;
    if (k->label < 0 || dist < k->dist || (dist == k->dist && t->probs[best] > k->conf))
        letter_set_read(t, k, t->probs, best, dist);
    if (dist == 0) { /* the fixation's own read: the whole segment's */
        *label0 = best;
        *conf = t->probs[best];
        memcpy(probs, t->probs, sizeof(float) * (size_t)rr->n_classes);
        k->tries += best == rr->nothing_class;
    }
    /* the reader says this segment is no one letter: letters that touch? The reader
     * decides: the segment is split, and each part split again, at its column of least ink
     * (or its next, split_read), when the reader reads every part surely from this glimpse
     * (at most SPLIT_PARTS). Every reader mends the segments it reads so, within the
     * fixation's MEND_READS (the fovea alone did until 2026-12-08: on validation the extra
     * readers mending too read 11 points more of prose and 13 of word lists, twelve rows
     * summed, at fewer fixations) */
    TLetter part[SPLIT_PARTS];
    RetinaTextLetter whole = {k->x0, k->x1, k->fx0, k->fx1};
    /* ... and so when its read does not fit its width (letter_widths.h): a segment read
     * as s but two and a half x-heights wide is split; a piece read as v a tenth of an
     * x-height wide is joined with its neighbours, if the reader reads the result surely */
    const int fit = width_fit(t, l, k, best);
    int np = best == rr->nothing_class || fit > 0
                 ? split_read(t, r, &geo, rr, dist, whole, 0, part, SPLIT_PARTS)
                 : 0;
    if (np >= 2 && L->n + np - 1 <= SIM_TEXT_LETTERS) {
        TLetter *let = t->letters[l];
        const float ecc = k->ecc;
        memmove(&let[i + np], &let[i + 1], sizeof(TLetter) * (size_t)(L->n - i - 1));
        for (int h = 0; h < np; h++) {
            part[h].ecc = ecc;
            let[i + h] = part[h];
        }
        L->n += np - 1;
    } else if (best == rr->nothing_class || fit < 0) {
        int j = join_read(t, r, l, i, &geo, rr, dist);
        if (j < 0 && best == rr->nothing_class)
            j = recut_read(t, r, l, i, &geo, rr, dist);
        if (j >= 0 && dist == 0) {
            *label0 = t->letters[l][j].label;
            *conf = t->letters[l][j].conf;
            memcpy(probs, t->probs2, sizeof(float) * (size_t)rr->n_classes);
        }
    }
}

/* Letter i of line l starts a word: the first, or a word gap before it (between the letters'
 * faint ink: a hairline bowl, faint at 16 px, is no gap). */
static int word_start(const SimText *t, int l, int i)
{
    const TLetter *k = t->letters[l];
    return i == 0 || k[i].fx0 - k[i - 1].fx1 >= t->lines[l].word_gap * t->lines[l].xheight;
}

/* The first letter of the word letter i of line l is in. */
static int word_first(const SimText *t, int l, int i)
{
    while (i > 0 && !word_start(t, l, i))
        i--;
    return i;
}

/* The end (one past its last letter) of the word starting at letter a of line l. */
static int word_end(const SimText *t, int l, int a)
{
    int b = a + 1;
    while (b < t->lines[l].n && !word_start(t, l, b))
        b++;
    return b;
}

/* The letters a..b-1 of line l keep the vocabulary's read of this word, these letters: each
 * the same read, made when the word was these letters (a word parted or joined since, or a
 * letter segmented anew, is not read yet). */
static int word_current(const SimText *t, int l, int a, int b)
{
    const TLetter *k = t->letters[l];
    for (int i = a; i < b; i++)
        if (k[i].lex_run != ((b - a) << 8 | (i - a)) || k[i].lex != k[a].lex ||
            k[i].lex_p != k[a].lex_p)
            return 0;
    return 1;
}

/* The vocabulary's word for the word a..b-1 of line l when its read is current and its
 * posterior at least min; else -1. */
static int32_t word_lex(const SimText *t, int l, int a, int b, float min)
{
    const TLetter *k = t->letters[l];
    if (!t->lex || k[a].lex < 0 || k[a].lex_p < min || !word_current(t, l, a, b))
        return -1;
    return k[a].lex;
}

/* The vocabulary's reads of one word under each way its segments may stand for letters. */
typedef struct Decode {
    const Lexicon *lex;
    const float *seg_row[LEXICON_LEN_MAX]; /* each segment's row as one letter */
    int weak[LEXICON_LEN_MAX];             /* its read may be a segmentation error */
    int nothing[LEXICON_LEN_MAX];          /* its read was "nothing" */
    int n;
    const float *rows[LEXICON_LEN_MAX]; /* the hypothesis being built */
    int hyps;
    int32_t id[HYPS_MAX];
    float best[HYPS_MAX]; /* each hypothesis' best word's score, its prior included */
    double sum[HYPS_MAX]; /* log of all its words' */
} Decode;

static const float no_letter[LEXICON_SYMBOLS]; /* a letter nothing is known of */

/* Segments i.. as letters m.. (edits made so far, their log prior cost). */
static void decode_hyps(Decode *d, int i, int m, int edits, float cost)
{
    if (d->hyps >= HYPS_MAX)
        return;
    if (i == d->n) {
        float best;
        double sum;
        int32_t id = lexicon_decode(d->lex, m, d->rows, &best, &sum);
        if (id >= 0) {
            d->id[d->hyps] = id;
            d->best[d->hyps] = best + cost;
            d->sum[d->hyps] = sum + (double)cost;
            d->hyps++;
        }
        return;
    }
    if (m == LEXICON_LEN_MAX) /* no room for another letter */
        return;
    d->rows[m] = d->seg_row[i]; /* one letter, as read */
    decode_hyps(d, i + 1, m + 1, edits, cost);
    if (!d->weak[i] || edits >= EDITS_MAX)
        return;
    if (m + 2 <= LEXICON_LEN_MAX) { /* two letters that touch */
        d->rows[m] = d->rows[m + 1] = no_letter;
        decode_hyps(d, i + 1, m + 2, edits + 1, cost + EDIT_LOGP);
    }
    if (i + 1 < d->n && d->weak[i + 1]) { /* one letter in two pieces */
        d->rows[m] = no_letter;
        decode_hyps(d, i + 2, m + 1, edits + 1, cost + EDIT_LOGP);
    }
    if (d->nothing[i]) /* a piece of no letter */
        decode_hyps(d, i + 1, m, edits + 1, cost + EDIT_LOGP);
}

/* The vocabulary reads the word a..b-1 of line l from its letters' reads (lexicon.h) and keeps
 * the read on its letters. A letter not read tells nothing of which letter it is, one read as
 * "nothing" only what its width does (WIDTH_LOGP); a read gives its TOP_K classes their
 * probabilities and the others an equal share of the rest, none below LEX_FLOOR, the logarithms
 * weighed by LEX_TEMP (the readers are overconfident: on the validation families, words read with
 * posterior 0.9-0.99 at full weight were right 60% of the time, at half weight 89%). Segments read
 * weakly (below WEAK_CONF, or "nothing"; not those not read, of which nothing is known) may be
 * segmentation errors: two letters that touch, one letter in two pieces, or a piece of none;
 * each such reading of the word costs EDIT_LOGP, at most EDITS_MAX a word and HYPS_MAX
 * readings in all. Against every reading of every vocabulary word stands the word as read
 * letter by letter, outside the vocabulary (prior log-odds LEX_NONWORD); when that is likelier
 * than the best vocabulary word, no word is kept (LEX_NONE). A word whose end is
 * not seen yet (its last letter is the last segmented, and the line's end unseen) is not
 * read. */
static void word_decode(SimText *t, int l, int a, int b)
{
    TLetter *k = t->letters[l];
    const int n = b - a, nc = t->readers[0].n_classes;
    int32_t id = -1;
    float post = 0.0f;
    if (b == t->lines[l].n && !t->lines[l].end_seen) { /* its end not seen: not read yet */
        for (int i = a; i < b; i++) {
            k[i].lex = LEX_UNREAD;
            k[i].lex_p = 0.0f;
            k[i].lex_run = -1;
        }
        return;
    }
    if (n <= LEXICON_LEN_MAX) {
        float logp[LEXICON_LEN_MAX][LEXICON_SYMBOLS], as_read = 0.0f; /* the non-word's score */
        Decode d;
        d.lex = t->lex;
        d.n = n;
        d.hyps = 0;
        for (int i = 0; i < n; i++) {
            const TLetter *q = &k[a + i];
            d.nothing[i] = q->label == t->readers[0].nothing_class;
            d.weak[i] = q->label >= 0 &&
                        (d.nothing[i] || q->conf < WEAK_CONF || width_fit(t, l, q, q->label) != 0);
            d.seg_row[i] = no_letter;
            if (d.nothing[i]) {
                /* read as "nothing", a segment's width still says which letters it may be:
                 * one too wide or too narrow for a letter (sim_text_width_fit) is that letter
                 * with log prior WIDTH_LOGP, so a segment as wide as two letters is taken for
                 * two that touch (since 2026-12-07, sixth stop: until then it stood for any one
                 * letter at no cost, and 16 px words lost a final "es" or "ns" read as
                 * "nothing": demijohns as demijohn) */
                for (int s = 0; s < LEXICON_SYMBOLS; s++)
                    logp[i][s] = 0.0f;
                for (int c = 0; c < nc && c < MAX_CLASSES; c++)
                    if (t->sym[c] >= 0 && width_fit(t, l, q, c) != 0)
                        logp[i][t->sym[c]] = WIDTH_LOGP;
                d.seg_row[i] = logp[i];
                continue;
            }
            if (q->label < 0)
                continue;
            float rest = 1.0f;
            for (int j = 0; j < TOP_K && q->top[j] >= 0; j++)
                rest -= q->top_p[j];
            float other = LEX_TEMP * logf(fmaxf(rest / (float)(nc - TOP_K), LEX_FLOOR));
            for (int s = 0; s < LEXICON_SYMBOLS; s++)
                logp[i][s] = other;
            for (int j = 0; j < TOP_K && q->top[j] >= 0; j++)
                if (t->sym[q->top[j]] >= 0)
                    logp[i][t->sym[q->top[j]]] = LEX_TEMP * logf(fmaxf(q->top_p[j], LEX_FLOOR));
            d.seg_row[i] = logp[i];
            as_read += LEX_TEMP * logf(fmaxf(q->top_p[0], LEX_FLOOR));
        }
        decode_hyps(&d, 0, 0, 0, 0.0f);
        if (d.hyps > 0) {
            int h0 = 0;
            for (int h = 1; h < d.hyps; h++)
                if (d.best[h] > d.best[h0])
                    h0 = h;
            /* the posterior of the best word: its readings over all readings and the non-word */
            double top = d.best[h0], mine = 0.0, all = exp((double)(as_read + LEX_NONWORD) - top);
            for (int h = 0; h < d.hyps; h++) {
                all += exp(d.sum[h] - top);
                if (d.id[h] == d.id[h0])
                    mine += exp((double)d.best[h] - top);
            }
            /* the best vocabulary word is kept only when it is the likeliest reading: the
             * word as read, outside the vocabulary, may be likelier (its letters are given) */
            double nonword = exp((double)(as_read + LEX_NONWORD) - top);
            id = mine >= nonword ? d.id[h0] : -1;
            post = (float)(mine / all);
        }
    }
    for (int i = a; i < b; i++) {
        k[i].lex = id >= 0 ? id : LEX_NONE;
        k[i].lex_p = id >= 0 ? post : 0.0f;
        k[i].lex_run = n << 8 | (i - a);
        k[i].fresh = 0;
    }
}

/* The vocabulary reads every word with a letter in lo..hi of line l (the letters this
 * fixation's readers read). */
static void decode_near(SimText *t, int l, int lo, int hi)
{
    const int n = t->lines[l].n;
    if (lo < 0)
        lo = 0;
    if (hi >= n)
        hi = n - 1;
    if (lo > hi)
        return;
    for (int a = word_first(t, l, lo); a <= hi;) {
        int b = word_end(t, l, a), fresh = 0;
        for (int i = a; i < b; i++)
            fresh |= t->letters[l][i].fresh;
        if (fresh || !word_current(t, l, a, b)) /* else the same reads: the same read */
            word_decode(t, l, a, b);
        a = b;
    }
}

static void aim(Eye *e, float x, const TLine *L)
{
    eye_plan_saccade(e, x, L->baseline - 0.5f * L->xheight);
}

/* The next saccade on line l (gaze letter g, -1 none). */
static void plan_read(SimText *t, const Retina *r, Eye *e, int l, int g)
{
    TLine *L = &t->lines[l];
    TLetter *let = t->letters[l];
    int u = -1;
    if (t->lex) {
        /* the first letter not read of the first word the vocabulary has not read surely */
        for (int a = 0, b; a < L->n && u < 0; a = b) {
            b = word_end(t, l, a);
            int all_read = 1, looks = 0;
            for (int i = a; i < b; i++) {
                all_read &= let[i].label >= 0;
                looks = let[i].looks > looks ? let[i].looks : looks;
            }
            /* a word segmented anew since the vocabulary last read it (a nearer look's
             * letters), every letter read: read again */
            if (all_read && !word_current(t, l, a, b))
                word_decode(t, l, a, b);
            if (word_lex(t, l, a, b, WORD_SURE) >= 0)
                continue;
            if (all_read && looks >= t->moves->word_looks)
                continue; /* every letter read, and looked at enough: the eye moves on */
            for (int i = a; i < b && u < 0; i++)
                if (!letter_done(t, &let[i]))
                    u = i;
        }
    } else {
        for (int i = 0; i < L->n && u < 0; i++)
            if (!letter_done(t, &let[i]))
                u = i;
    }
    if (L->fixations > FIX_PER_LETTER * (L->n + 2)) { /* too long on this line: leave it */
        u = -1;
        L->end_seen = 1;
    }
    if (u < 0) {
        if (L->end_seen) { /* the line is read: return sweep */
            t->core.phase = PH_SWEEP;
            t->core.sweep_y = L->baseline + 3.0f * L->xheight;
            eye_plan_saccade(e, t->core.margin_x + 2.0f * L->xheight,
                             t->core.sweep_y - 0.5f * L->xheight);
            return;
        }
        /* read so far: on to where the line goes on (a line not yet seen: to its start) */
        if (L->n)
            aim(e, let[L->n - 1].x1 + 0.5f * AHEAD * L->xheight, L);
        else
            aim(e, t->core.margin_x + 2.0f * L->xheight, L);
        return;
    }
    if (t->lex) {
        /* a word's first look goes to the middle of its ink as far as this glimpse shows it
         * reach, at most WORD_REACH x-heights (the readers either side read the rest), but no
         * further in than puts the leftmost reader on its first letter (at its letters' mean
         * pitch so far: the eye need not go back for it); a word looked at and not read yet,
         * the fovea to its least sure letter not read */
        int a = word_first(t, l, u), b = word_end(t, l, a);
        float x;
        if (g >= a && g < b) {
            float worst = 2.0f;
            int to = u;
            for (int i = a; i < b; i++) {
                float c = let[i].label < 0 ? -1.0f : let[i].conf;
                if (!letter_done(t, &let[i]) && c < worst) {
                    worst = c;
                    to = i;
                }
            }
            x = centre(&let[to]);
        } else {
            /* with preview (the default), the word as from its first letter not read
             * surely: the letters before it were read from the look before, across the word
             * gap; without it (tuning), from its first letter */
            const int f = t->moves->preview ? u : a;
            const RetinaTextLine geo = {L->baseline, L->xheight, 0, 0};
            float x1 = let[b - 1].x1, reach = let[f].x0 + WORD_REACH * L->xheight;
            float end = retina_text_word_end(r, &geo, x1 - 1.0f, L->word_gap * L->xheight,
                                             reach > x1 ? reach : x1);
            x = 0.5f * (let[f].x0 + end - 1.0f);
            float pitch = (x1 - let[a].x0) / (float)(b - a);
            float first = let[f].x0 + ((float)t->left_reach + 0.5f) * pitch;
            x = first < x ? first : x;
        }
        /* nothing new from here (the target within half a letter of the gaze letter's centre,
         * or of the gaze itself: a first look aimed at the letter after a word landed past it
         * again and again): the fovea to it */
        if (g >= 0) {
            const float half = 0.5f * (let[g].x1 - let[g].x0 + 1.0f);
            if (fabsf(x - centre(&let[g])) < half || fabsf(x - e->x) < half)
                x = centre(&let[u]);
        }
        aim(e, x, L);
        return;
    }
    /* the first letter not read surely goes under the fovea (the readers right of it read on),
     * or under the reader --place letters left of the gaze: on these pages the fovea read as
     * many words with fewer fixations than the leftmost reader did (validation families) */
    int pl = *t->place;
    int reach = pl < 0 ? 0 : pl < t->left_reach ? pl : t->left_reach;
    float x;
    if (u + reach < L->n)
        x = centre(&let[u + reach]);
    else
        x = (L->n ? centre(&let[L->n - 1]) : centre(&let[u])) +
            (float)(u + reach - (L->n - 1)) * L->xheight;
    if (g >= 0 && fabsf(x - centre(&let[g])) < 0.5f * (let[g].x1 - let[g].x0 + 1.0f))
        x = centre(&let[u]); /* nothing new from here: the fovea to it */
    aim(e, x, L);
}

/* Orienting: returns 1 and plans when the glimpse shows text up or left of the gaze's line;
 * 0 when the gaze is at the start of the first line (reading starts). The glimpse is read as
 * far as it shows text: up a line at a time to the topmost line it shows (each within UP_REACH
 * x-heights of the one below), and along that line to where its ink starts (END_GAP x-heights
 * without ink before it); the saccade goes there at once. Until 2026-12-07 (sixth stop) the eye
 * went up one line a saccade, and left to the leftmost letter it could segment (about 120 px at 22
 * px): eleven fixations a page before reading began. */
static int orient(SimText *t, const Retina *r, Eye *e, const RetinaTextLine *L)
{
    const float xh = L->xheight;
    RetinaTextLine top = *L, up;
    int lines_up = 0;
    while (lines_up < UP_LINES &&
           retina_text_line(r, e->x, top.top - 0.5f * UP_REACH * xh, FIND_HALF,
                            0.5f * UP_REACH * xh, &up) &&
           up.baseline < top.baseline - 1.5f * xh) {
        top = up;
        lines_up++;
    }
    const RetinaTextLine geo = {top.baseline, xh, 0, 0};
    const float start = retina_text_line_start(r, &geo, e->x, END_GAP * xh, e->x - LEFT_REACH * xh);
    const int far_left = start < e->x - 2.0f * BEHIND * xh;
    if (lines_up > 0 || far_left) {
        float x = start < e->x - 2.0f * xh ? start + 0.5f * xh : e->x;
        eye_plan_saccade(e, x, top.baseline - 0.5f * xh);
        return 1;
    }
    int ns = retina_text_letters(r, L, e->x - 2.0f * BEHIND * xh, e->x + 0.5f * xh, t->work, t->seg,
                                 RETINA_TEXT_MAX_LETTERS);
    if (ns > 0 && t->seg[0].x0 < e->x - 2.0f * xh) {
        /* letters to the left: go to the leftmost seen (the line may go on beyond) */
        eye_plan_saccade(e, 0.5f * (t->seg[0].x0 + t->seg[0].x1), L->baseline - 0.5f * xh);
        return 1;
    }
    t->core.margin_x = ns > 0 ? t->seg[0].x0 : e->x;
    return 0;
}

/* A glimpse judged line L's baseline and x-height. A size a quarter off the line's is a
 * misjudged band (capitals or ascenders alone) and is not taken, unless ALT_LOOKS glimpses in
 * a row judge it alike (within a tenth): then the line's own size was the misjudged one (until
 * 2026-12-07 it was kept for good, and a line first judged 7 px high against 9 read its letters
 * from patches scaled a third too large: URW Gothic's 16 px words as capitals). A baseline
 * three quarters of an x-height off is another line's: ignored. */
static void line_judged(TLine *TL, float baseline, float xheight)
{
    if (!(fabsf(baseline - TL->baseline) < 0.75f * TL->xheight) || !(xheight > 0.0f))
        return;
    const int alike =
        TL->alt_xheight > 0.0f && fabsf(xheight - TL->alt_xheight) < 0.1f * TL->alt_xheight;
    if (fabsf(xheight - TL->xheight) < 0.25f * TL->xheight ||
        (alike && TL->alt_n + 1 >= ALT_LOOKS)) {
        TL->baseline = baseline;
        TL->xheight = xheight;
        TL->alt_xheight = 0.0f;
        TL->alt_n = 0;
    } else {
        TL->alt_n = alike ? TL->alt_n + 1 : 1;
        TL->alt_xheight = xheight;
    }
}

static int new_line(SimText *t, const RetinaTextLine *L)
{
    if (t->core.n_lines >= SIM_TEXT_LINES)
        return -1;
    int l = t->core.n_lines++;
    t->lines[l] = (TLine){L->baseline, L->xheight, RETINA_TEXT_WORD_GAP, 0, 0, 0, 0.0f, 0};
    t->core.line = l;
    t->core.phase = PH_READ;
    return l;
}

int sim_text_fixation(SimText *t, const Retina *r, Eye *e, int plan, float *conf, float *probs)
{
    *conf = 0.0f;
    if (t->core.phase == PH_DONE)
        return -1;
    int label0 = -1;
    RetinaTextLine L;
    if (t->core.phase == PH_ORIENT) {
        if (!retina_text_line(r, e->x, e->y, FIND_HALF, 16.0f, &L)) {
            if (plan)
                eye_plan_saccade(e, NAN, NAN); /* nothing here: saliency chooses */
            return -1;
        }
        if (plan && orient(t, r, e, &L))
            return -1;
        if (new_line(t, &L) < 0)
            return -1;
    } else if (t->core.phase == PH_SWEEP) {
        const TLine *P = &t->lines[t->core.line];
        int found = 0;
        /* the first band below the line read, within NEXT_DOWN x-heights */
        for (float dy = 2.0f; dy <= NEXT_DOWN && !found; dy += 1.0f)
            found = retina_text_line(r, e->x, P->baseline + dy * P->xheight, FIND_HALF,
                                     0.5f * P->xheight, &L) &&
                    L.baseline > P->baseline + 1.5f * P->xheight;
        if (!found && t->core.sweep_looks < SWEEP_LOOKS) {
            /* none seen from here (the sweep may have landed far off): look again from where
             * the next line would start */
            t->core.sweep_looks++;
            if (plan)
                eye_plan_saccade(e, t->core.margin_x + 2.0f * P->xheight,
                                 t->core.sweep_y - 0.5f * P->xheight);
            return -1;
        }
        if (!found || new_line(t, &L) < 0) {
            t->core.phase = PH_DONE; /* no line below: the text is read */
            if (plan)
                eye_plan_saccade(e, NAN, NAN);
            return -1;
        }
        t->core.sweep_looks = 0;
    }
    int l = t->core.line;
    TLine *TL = &t->lines[l];
    /* the line again, from this glimpse: baseline and size where the gaze is */
    if (retina_text_line(r, e->x, TL->baseline - 0.5f * TL->xheight, FIND_HALF, 0.75f * TL->xheight,
                         &L))
        line_judged(TL, L.baseline, L.xheight);
    TL->fixations++;
    /* off the line (a saccade that landed nearer another line): read nothing, aim again */
    if (fabsf(e->y - (TL->baseline - 0.5f * TL->xheight)) > ON_LINE * TL->xheight) {
        if (plan)
            plan_read(t, r, e, l, -1);
        return -1;
    }
    const float xh = TL->xheight;
    RetinaTextLine geo = {TL->baseline, xh, 0, 0};
    float from = e->x - BEHIND * xh, to = e->x + AHEAD * xh;
    if (from < t->core.margin_x - xh)
        from = t->core.margin_x - xh;
    int ns = retina_text_letters(r, &geo, from, to, t->work, t->seg, RETINA_TEXT_MAX_LETTERS);
    merge_letters(t, l, t->seg, ns, e->x);
    TL->word_gap = line_word_gap(t, l);
    /* the line's end: letters seen, then END_GAP x-heights of nothing inside this glimpse, in
     * its letters and in its ink (retina_text_word_end's columns): away from the gaze small
     * type's letters blur under the ink a letter is segmented from, and a line whose next words
     * were too faint to segment was left there (2026-12-07, sixth stop: 16 px Lato lines read
     * to their middle; until then the letters alone decided) */
    const float last = ns > 0 ? t->seg[ns - 1].x1 : from;
    if (TL->n > 0 && to - last >= END_GAP * xh &&
        retina_text_word_end(r, &geo, last - 1.0f, END_GAP * xh, to) < to)
        TL->end_seen = 1;
    /* the letter under the gaze, and the readers */
    int g = -1;
    float gd = 1e30f;
    for (int i = 0; i < TL->n; i++) {
        float d = fabsf(centre(&t->letters[l][i]) - e->x);
        if (d < gd) {
            gd = d;
            g = i;
        }
    }
    if (g >= 0 && gd <= xh) {
        int lo = g, hi = g;
        t->mend_left = MEND_READS;
        for (int i = 0; i < t->n; i++) {
            int k = g + t->readers[i].offset;
            if (k >= 0 && k < TL->n)
                read_letter(t, r, l, k, i, &label0, conf, probs);
            lo = k < lo ? k : lo;
            hi = k > hi ? k : hi;
        }
        if (t->lex) {
            for (int i = word_first(t, l, g), b = word_end(t, l, i); i < b; i++)
                t->letters[l][i].looks++;
            decode_near(t, l, lo, hi);
        }
    } else {
        g = -1;
    }
    if (plan)
        plan_read(t, r, e, l, g);
    return label0;
}

size_t sim_text_state_size(const SimText *t)
{
    (void)t;
    return sizeof(TCore) + sizeof(t->lines) + sizeof(t->letters);
}

void sim_text_state_save(const SimText *t, void *buf)
{
    unsigned char *p = buf;
    memcpy(p, &t->core, sizeof(TCore));
    memcpy(p + sizeof(TCore), t->lines, sizeof(t->lines));
    memcpy(p + sizeof(TCore) + sizeof(t->lines), t->letters, sizeof(t->letters));
}

static int finite_nonneg(float v)
{
    return isfinite(v) && v >= 0.0f;
}

/* A loaded letter's kept classes and vocabulary read are in range. */
static int letter_extra_ok(const SimText *t, const TLetter *k)
{
    for (int j = 0; j < TOP_K; j++)
        if (k->top[j] < -1 || k->top[j] >= t->readers[0].n_classes || !(k->top_p[j] >= 0.0f) ||
            !(k->top_p[j] <= 1.0f))
            return 0;
    return (k->lex == LEX_UNREAD || k->lex == LEX_NONE ||
            (t->lex && lexicon_word(t->lex, k->lex, NULL))) &&
           k->lex_p >= 0.0f && k->lex_p <= 1.0f && k->looks >= 0 && k->lex_run >= -1 &&
           (k->fresh == 0 || k->fresh == 1);
}

int sim_text_state_check(const SimText *t, const void *buf, size_t n)
{
    if (n != sim_text_state_size(t)) {
        sc_set_error("state: reading state of %zu bytes does not fit (%zu)", n,
                     sim_text_state_size(t));
        return -1;
    }
    const unsigned char *p = buf;
    TCore c;
    memcpy(&c, p, sizeof(c));
    if (c.phase < PH_ORIENT || c.phase > PH_DONE || c.n_lines < 0 || c.n_lines > SIM_TEXT_LINES ||
        c.line < 0 || (c.n_lines > 0 && c.line >= c.n_lines) || (c.n_lines == 0 && c.line != 0) ||
        (c.phase != PH_ORIENT && c.phase != PH_DONE && c.n_lines == 0) || !isfinite(c.margin_x) ||
        !isfinite(c.sweep_y) || c.sweep_looks < 0 || c.sweep_looks > SWEEP_LOOKS) {
        sc_set_error("state: bad reading phase or line");
        return -1;
    }
    for (int l = 0; l < SIM_TEXT_LINES; l++) {
        TLine L;
        memcpy(&L, p + sizeof(TCore) + sizeof(TLine) * (size_t)l, sizeof(L));
        if (!isfinite(L.baseline) || !finite_nonneg(L.xheight) ||
            (L.end_seen != 0 && L.end_seen != 1) || !finite_nonneg(L.word_gap) ||
            L.word_gap > WORD_GAP_MAX || L.n < 0 || L.n > SIM_TEXT_LETTERS || L.fixations < 0 ||
            !finite_nonneg(L.alt_xheight) || L.alt_n < 0 || L.alt_n >= ALT_LOOKS ||
            (l >= c.n_lines && (L.n != 0 || L.xheight != 0.0f))) {
            sc_set_error("state: reading line %d out of range", l);
            return -1;
        }
        const unsigned char *q =
            p + sizeof(TCore) + sizeof(t->lines) + sizeof(TLetter) * (size_t)l * SIM_TEXT_LETTERS;
        for (int i = 0; i < L.n; i++) {
            TLetter k;
            memcpy(&k, q + sizeof(k) * (size_t)i, sizeof(k));
            if (!isfinite(k.x0) || !isfinite(k.x1) || !(k.x1 > k.x0) || !finite_nonneg(k.ecc) ||
                !isfinite(k.fx0) || !isfinite(k.fx1) || !(k.fx0 <= k.x0) || !(k.fx1 >= k.x1) ||
                k.label < -1 || k.label >= t->readers[0].n_classes || !(k.conf >= 0.0f) ||
                k.tries < 0 || !(k.conf <= 1.0f) || k.dist < 0 || k.dist > SIM_READERS_MAX ||
                !letter_extra_ok(t, &k)) {
                sc_set_error("state: reading letter %d of line %d out of range", i, l);
                return -1;
            }
        }
    }
    return 0;
}

void sim_text_state_load(SimText *t, const void *buf)
{
    const unsigned char *p = buf;
    memcpy(&t->core, p, sizeof(TCore));
    memcpy(t->lines, p + sizeof(TCore), sizeof(t->lines));
    memcpy(t->letters, p + sizeof(TCore) + sizeof(t->lines), sizeof(t->letters));
}

uint64_t sim_text_state_hash(const SimText *t)
{
    uint64_t h = hash64_update(hash64_init(), &t->core, sizeof(t->core));
    h = hash64_update(h, t->lines, sizeof(t->lines));
    for (int l = 0; l < t->core.n_lines; l++)
        h = hash64_update(h, t->letters[l], sizeof(TLetter) * (size_t)t->lines[l].n);
    return h;
}

int sim_text_word_at(const SimText *t, int line, int cell, SimWordRead *out)
{
    memset(out, 0, sizeof(*out));
    if (line < 0 || line >= t->core.n_lines || cell < 0 || cell >= t->lines[line].n ||
        !word_start(t, line, cell))
        return 0;
    out->line = line;
    out->first_cell = cell;
    int c = cell;
    for (;
         c < t->lines[line].n && (c == cell || !word_start(t, line, c)) && c - cell < SIM_WORD_MAX;
         c++) {
        out->text[c - cell] = sim_reading_letter(&t->readers[0], t->letters[line][c].label);
    }
    out->cells = c - cell;
    out->text[out->cells] = 0;
    /* the vocabulary's word when it is the likeliest reading, likelier than the word as read
     * outside the vocabulary (word_decode keeps no word otherwise): the choice most often right
     * (Bayes' rule for a word right or wrong). Until 2026-12-07 it had to have a posterior of 0.5,
     * and below that the letters as read were given, though the vocabulary's word was right more
     * often (validation). Only for a word read: every letter has a read, or the eye has looked at
     * it; a word seen in part from a neighbour's fixation keeps its letters so far (the window's
     * grey tag), not a guess (neither validation nor the test table moved) */
    int32_t id = word_lex(t, line, cell, c, 0.0f);
    int all_read = 1, looked = 0;
    for (int i = cell; i < c; i++) {
        all_read &= t->letters[line][i].label >= 0;
        looked |= t->letters[line][i].looks > 0;
    }
    if (id >= 0 && (all_read || looked)) {
        snprintf(out->text, sizeof(out->text), "%s", lexicon_word(t->lex, id, NULL));
        memcpy(out->raw, out->text, sizeof(out->raw));
        return 1;
    }
    memcpy(out->raw, out->text, sizeof(out->raw));
    sim_reading_case_rule(out->text, out->cells);
    return 1;
}

int sim_text_object_cell(const SimText *t, const SceneObject *o, int *line, int *cell)
{
    *line = *cell = -1;
    float top = o->y - 0.5f * o->h, bottom = o->y + 0.5f * o->h;
    float left = o->x - 0.5f * o->w, right = o->x + 0.5f * o->w;
    /* the line found nearest the word's baseline: its box's bottom, or a descender's depth
     * below it (the eye's baseline is its own estimate, a pixel or two either way) */
    int best = -1;
    float bd = 1e30f;
    for (int l = 0; l < t->core.n_lines; l++) {
        const TLine *L = &t->lines[l];
        if (L->baseline < top || L->baseline > bottom + 0.5f * L->xheight)
            continue;
        float d = fabsf(L->baseline - bottom);
        if (d < bd) {
            bd = d;
            best = l;
        }
    }
    if (best < 0)
        return 0;
    for (int i = 0; i < t->lines[best].n; i++) {
        float c = centre(&t->letters[best][i]);
        if (c >= left && c < right) {
            *line = best;
            *cell = i;
            return 1;
        }
    }
    return 0;
}

int sim_text_cells_read(const SimText *t)
{
    int n = 0;
    for (int l = 0; l < t->core.n_lines; l++)
        for (int i = 0; i < t->lines[l].n; i++)
            n += t->letters[l][i].label >= 0;
    return n;
}

int sim_text_cell_read(const SimText *t, int line, int cell, int *label, int *dist)
{
    *label = -1;
    *dist = 0;
    if (line < 0 || line >= t->core.n_lines || cell < 0 || cell >= t->lines[line].n)
        return -1;
    *label = t->letters[line][cell].label;
    *dist = t->letters[line][cell].dist;
    return 0;
}

int sim_text_line_count(const SimText *t)
{
    return t->core.n_lines;
}

int sim_text_line_letters(const SimText *t, int line, float *x0, float *x1, int max)
{
    if (line < 0 || line >= t->core.n_lines)
        return -1;
    int n = t->lines[line].n < max ? t->lines[line].n : max;
    for (int i = 0; i < n; i++) {
        x0[i] = t->letters[line][i].x0;
        x1[i] = t->letters[line][i].x1;
    }
    return n;
}

int sim_text_merge_glimpse(SimText *t, int line, float baseline, float xheight,
                           const RetinaTextLetter *seg, int ns, float gx)
{
    if (line == t->core.n_lines) {
        const RetinaTextLine L = {baseline, xheight, 0, 0};
        if (new_line(t, &L) < 0)
            return -1;
    }
    if (line < 0 || line >= t->core.n_lines || ns < 0)
        return -1;
    merge_letters(t, line, seg, ns, gx);
    return t->lines[line].n;
}

int sim_text_judge_line(SimText *t, int line, float baseline, float xheight)
{
    if (line < 0 || line >= t->core.n_lines)
        return -1;
    line_judged(&t->lines[line], baseline, xheight);
    return 0;
}

int sim_text_set_read(SimText *t, int line, int i, const float *probs, int label, int dist)
{
    if (!probs || line < 0 || line >= t->core.n_lines || i < 0 || i >= t->lines[line].n ||
        label < 0 || label >= t->readers[0].n_classes || dist < 0 || dist > SIM_READERS_MAX / 2)
        return -1;
    letter_set_read(t, &t->letters[line][i], probs, label, dist);
    return 0;
}

int sim_text_read_letter(SimText *t, const Retina *r, int line, int i, int reader)
{
    if (line < 0 || line >= t->core.n_lines || i < 0 || i >= t->lines[line].n || reader < 0 ||
        reader >= t->n)
        return -1;
    int label0 = -1;
    float conf = 0.0f, probs[MAX_CLASSES];
    t->mend_left = MEND_READS;
    read_letter(t, r, line, i, reader, &label0, &conf, probs);
    return t->lines[line].n;
}

int sim_text_read_word(SimText *t, int line, int a, int b)
{
    if (!t->lex || line < 0 || line >= t->core.n_lines || a < 0 || b <= a || b > t->lines[line].n)
        return -1;
    word_decode(t, line, a, b);
    return 0;
}

int sim_text_line_geometry(const SimText *t, int line, float *baseline, float *xheight)
{
    if (line < 0 || line >= t->core.n_lines)
        return -1;
    *baseline = t->lines[line].baseline;
    *xheight = t->lines[line].xheight;
    return 0;
}

float sim_text_letter_offset(const SimText *t, float x, float y)
{
    /* the line whose middle is nearest y (holding letters), then its letter nearest x: the
     * window asks every frame, so one line's letters, not the page's */
    int best_l = -1;
    float dy = 0.0f;
    for (int l = 0; l < t->core.n_lines; l++) {
        const TLine *L = &t->lines[l];
        float d = fabsf(y - (L->baseline - 0.5f * L->xheight));
        if (L->n > 0 && (best_l < 0 || d < dy)) {
            best_l = l;
            dy = d;
        }
    }
    if (best_l < 0)
        return -1.0f;
    float dx = 1e30f;
    for (int i = 0; i < t->lines[best_l].n; i++)
        dx = fminf(dx, fabsf(x - centre(&t->letters[best_l][i])));
    return hypotf(dx, dy);
}
