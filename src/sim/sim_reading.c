/* Reading mode: reader bank, reading state and the reading eye's next target
 * (sim_reading.h). */
#include "sim/sim_reading.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "data/textline.h"
#include "sim/sim_text.h"

#define SIDE 28
#define MAX_CLASSES 64
/* A cell shows ink when the retinal values over its x-height band span at least this much. */
#define EMPTY_CONTRAST 0.2f
/* ... judged only this many cells either side of the gaze (6 deg at the default layout) */
#define PERIPHERY_CELLS 10

/* One cell's record; plain int32/float fields (no padding: hashed and saved as bytes). */
typedef struct ReadCell {
    int32_t label; /* class read, -1 none */
    float conf;    /* its probability */
    int32_t dist;  /* |offset| of the reader that read it */
    int32_t seen;  /* 0 not yet seen, 1 ink, 2 empty (a space) */
} ReadCell;

typedef struct ReadCore {
    int32_t line;         /* the line being read */
    int32_t done;         /* every line read */
    int32_t started;      /* the eye has been on the text */
    int32_t started_line; /* a saccade to the current line has been planned */
} ReadCore;

struct SimReading {
    SimReader readers[1 + SIM_READERS_MAX];
    int n;
    int left_reach; /* cells the readers reach left of the gaze's cell */
    SceneTextLine lines[SCENE_MAX_LINES];
    int n_lines;
    int first[SCENE_MAX_LINES + 1]; /* index of each line's cell 0 in cells */
    int n_cells;
    ReadCore core;
    ReadCell *cells;
    void (*release)(void *);
    void *owner;
    float patch[SIDE * SIDE], probs[MAX_CLASSES];
    float sure[SIM_READERS_MAX / 2 + 1]; /* by |offset|: sim_reading_set_sure */
    int place; /* sim_reading_set_place: the reader distance for the first unread letter */
    SimReadingMoves moves; /* sim_reading_set_moves: natural text with a vocabulary */
    SimText *text; /* natural text (no layout given): the eye of sim_text.h; NULL otherwise */
};

float sim_reading_sure_default(int dist)
{
    /* chosen on the validation families (`eval reading --split val --readers 8 --sure`, 240
     * words each): docs/reading.md */
    return dist >= 4 ? SIM_READING_SURE_FAR : SIM_READING_SURE;
}

int sim_reading_set_sure(SimReading *rd, const float *by_dist, int n)
{
    if (n < 1 || n > SIM_READERS_MAX / 2) {
        sc_set_error("reading: %d confidences for %d reader distances", n, SIM_READERS_MAX / 2);
        return -1;
    }
    for (int d = 1; d <= n; d++)
        if (!(by_dist[d - 1] >= 0.0f && by_dist[d - 1] <= 1.0f)) {
            sc_set_error("reading: confidence %g at distance %d is outside 0..1",
                         (double)by_dist[d - 1], d);
            return -1;
        }
    for (int d = 1; d <= n; d++)
        rd->sure[d] = by_dist[d - 1];
    return 0;
}

int sim_reading_set_moves(SimReading *rd, const SimReadingMoves *m)
{
    if (m->word_looks < 1 || m->word_looks > SIM_READING_WORD_LOOKS_MAX ||
        (m->preview != 0 && m->preview != 1)) {
        sc_set_error("reading: %d looks a word (1..%d), preview %d (0 or 1)", m->word_looks,
                     SIM_READING_WORD_LOOKS_MAX, m->preview);
        return -1;
    }
    rd->moves = *m;
    return 0;
}

int sim_reading_set_place(SimReading *rd, int dist)
{
    if (dist != SIM_READING_PLACE_LEFTMOST && (dist < 0 || dist > SIM_READERS_MAX / 2)) {
        sc_set_error("reading: place %d: a reader distance 0..%d", dist, SIM_READERS_MAX / 2);
        return -1;
    }
    rd->place = dist;
    return 0;
}

void sim_reading_set_lexicon(SimReading *rd, const struct Lexicon *lex)
{
    if (rd->text)
        sim_text_set_lexicon(rd->text, lex);
}

int sim_reader_offset(int i)
{
    return (i % 2 == 0) ? i / 2 + 1 : -(i / 2 + 1);
}

SimReading *sim_reading_create(const Scene *scene, const SimReader *readers, int n)
{
    const SceneTextLine *lines;
    int n_lines = scene_text_lines(scene, &lines);
    const int natural = n_lines <= 0 && SCENE_KIND_NATURAL(scene_spec(scene)->kind);
    if (n_lines <= 0 && !natural) {
        sc_set_error("reading: the scene has no lines of text (use --scene words or words-grid)");
        return NULL;
    }
    if (n < 1 || n > 1 + SIM_READERS_MAX || readers[0].offset != 0) {
        sc_set_error("reading: a foveal reader and 0..%d others", SIM_READERS_MAX);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const SimReader *a = &readers[i], *b = &readers[0];
        int same = a->predict && a->n_classes == b->n_classes && a->n_classes <= MAX_CLASSES &&
                   a->nothing_class == b->nothing_class && abs(a->offset) <= SIM_READERS_MAX;
        for (int c = 0; same && c < a->n_classes; c++)
            same = !strcmp(a->class_names[c], b->class_names[c]);
        for (int j = 0; same && j < i; j++)
            same = readers[j].offset != a->offset;
        if (!same) {
            sc_set_error("reading: reader at offset %d does not match the foveal reader's classes "
                         "(or repeats an offset)",
                         a->offset);
            return NULL;
        }
    }
    SimReading *rd = calloc(1, sizeof(*rd));
    if (!rd) {
        sc_set_error("out of memory");
        return NULL;
    }
    memcpy(rd->readers, readers, sizeof(*readers) * (size_t)n);
    rd->n = n;
    for (int d = 0; d <= SIM_READERS_MAX / 2; d++)
        rd->sure[d] = sim_reading_sure_default(d);
    rd->place = SIM_READING_PLACE_LEFTMOST;
    rd->moves = (SimReadingMoves){SIM_READING_WORD_LOOKS, SIM_READING_PREVIEW};
    for (int i = 0; i < n; i++)
        if (-readers[i].offset > rd->left_reach)
            rd->left_reach = -readers[i].offset;
    if (natural) {
        if (!(rd->text = sim_text_create(readers, n, rd->sure, &rd->place, &rd->moves))) {
            free(rd);
            return NULL;
        }
        n_lines = 0;
    }
    rd->n_lines = n_lines;
    if (n_lines > 0)
        memcpy(rd->lines, lines, sizeof(*lines) * (size_t)n_lines);
    for (int l = 0; l < n_lines; l++)
        rd->first[l + 1] = rd->first[l] + lines[l].cells;
    rd->n_cells = rd->first[n_lines];
    rd->cells = calloc((size_t)(rd->n_cells > 0 ? rd->n_cells : 1), sizeof(ReadCell));
    if (!rd->cells) {
        free(rd);
        sc_set_error("out of memory");
        return NULL;
    }
    sim_reading_reset(rd);
    return rd;
}

void sim_reading_destroy(SimReading **prd)
{
    if (!prd || !*prd)
        return;
    if ((*prd)->release)
        (*prd)->release((*prd)->owner);
    free((*prd)->cells);
    sim_text_destroy(&(*prd)->text);
    free(*prd);
    *prd = NULL;
}

void sim_reading_set_owner(SimReading *rd, void (*release)(void *), void *owner)
{
    rd->release = release;
    rd->owner = owner;
}

int sim_reading_reader_count(const SimReading *rd)
{
    return rd->n;
}

void sim_reading_reset(SimReading *rd)
{
    if (rd->text)
        sim_text_reset(rd->text);
    memset(&rd->core, 0, sizeof(rd->core));
    for (int i = 0; i < rd->n_cells; i++)
        rd->cells[i] = (ReadCell){-1, 0.0f, 0, 0};
}

int sim_reading_free_viewing(const SimReading *rd)
{
    return rd->text && sim_text_orienting(rd->text);
}

int sim_reading_done(const SimReading *rd)
{
    if (rd->text)
        return sim_text_done(rd->text);
    return rd->core.done;
}

static int cell_x(const SceneTextLine *L, int c)
{
    return L->cell0_x + c * TEXTLINE_PITCH;
}

/* The periphery's view of a cell: ink or empty, from the retina's values over the band a
 * lowercase letter fills (what the current glimpse shows there). */
static int cell_has_ink(const Retina *r, const SceneTextLine *L, int c)
{
    float lo = 1e30f, hi = -1e30f;
    int cx = cell_x(L, c);
    for (int y = L->baseline_y - 13; y <= L->baseline_y - 1; y += 3)
        for (int x = cx - 6; x <= cx + 6; x += 2) {
            float v = retina_value_at(r, (float)x, (float)y);
            lo = fminf(lo, v);
            hi = fmaxf(hi, v);
        }
    return hi - lo >= EMPTY_CONTRAST;
}

/* A cell is read when it is a space, or read by the foveal reader, or surely by another. */
static int cell_done(const SimReading *rd, const ReadCell *k)
{
    if (k->seen == 2)
        return 1;
    if (k->label < 0)
        return 0;
    return k->dist == 0 || (k->label != rd->readers[0].nothing_class &&
                            k->dist <= SIM_READERS_MAX / 2 && k->conf >= rd->sure[k->dist]);
}

/* The gaze target for cell c of line l: the cell centre, on the line's reading height. */
static void plan_cell(const SimReading *rd, Eye *e, int l, int c)
{
    const SceneTextLine *L = &rd->lines[l];
    eye_plan_saccade(e, (float)cell_x(L, c), (float)(L->baseline_y - TEXTLINE_GAZE_ABOVE_BASE));
}

/* Plans the next saccade from what is read on line l (gaze at cell c0, or -1: not on it). */
static void plan_next(SimReading *rd, Eye *e, int c0)
{
    for (int l = rd->core.line; l < rd->n_lines; l++) {
        const SceneTextLine *L = &rd->lines[l];
        ReadCell *cells = rd->cells + rd->first[l];
        int u = -1;
        for (int c = 0; c < L->cells && u < 0; c++)
            if (!cell_done(rd, &cells[c]))
                u = c;
        if (u < 0) {
            rd->core.line = l + 1; /* this line is read: sweep back to the next */
            rd->core.started_line = 0;
            c0 = -1;
            continue;
        }
        int reach = rd->place >= 0 && rd->place < rd->left_reach ? rd->place : rd->left_reach;
        int t = u + reach;
        if (t > L->cells - 1)
            t = L->cells - 1;
        if (t == c0) /* nothing new from here: bring the fovea to it */
            t = u;
        plan_cell(rd, e, l, t);
        rd->core.started_line = 1;
        return;
    }
    rd->core.done = 1;
    eye_plan_saccade(e, NAN, NAN);
}

int sim_reading_fixation(SimReading *rd, const Retina *r, Eye *e, int plan, float *conf,
                         float *probs)
{
    *conf = 0.0f;
    if (rd->text)
        return sim_text_fixation(rd->text, r, e, plan, conf, probs);
    if (rd->core.done)
        return -1;
    /* on the line being read? (the first look, wherever it falls, only plans) */
    int l = rd->core.line;
    if (l >= rd->n_lines) { /* past the last line: nothing left */
        rd->core.done = 1;
        return -1;
    }
    if (!rd->core.started_line ||
        !(fabsf(e->y - (float)(rd->lines[l].baseline_y - TEXTLINE_GAZE_ABOVE_BASE)) <
          0.5f * SCENE_LINE_SPACING))
        l = -1;
    int label0 = -1, c0 = -1;
    if (l >= 0) {
        rd->core.started = 1;
        const SceneTextLine *L = &rd->lines[l];
        ReadCell *cells = rd->cells + rd->first[l];
        /* the periphery's word-length information, within PERIPHERY_CELLS of the gaze
         * (further out the blur hides narrow letters); ink once seen stays seen */
        for (int c = 0; c < L->cells; c++)
            if (cells[c].seen != 1 &&
                fabsf((float)cell_x(L, c) - e->x) <= (float)(PERIPHERY_CELLS * TEXTLINE_PITCH))
                cells[c].seen = cell_has_ink(r, L, c) ? 1 : 2;
        c0 = (int)lroundf((e->x - (float)L->cell0_x) / (float)TEXTLINE_PITCH);
        c0 = c0 < 0 ? 0 : c0 >= L->cells ? L->cells - 1 : c0;
        for (int i = 0; i < rd->n; i++) {
            const SimReader *rr = &rd->readers[i];
            int c = c0 + rr->offset, dist = abs(rr->offset);
            if (c < 0 || c >= L->cells || (cells[c].seen == 2 && dist > 0))
                continue;
            /* the retinal patch at the cell: column 14 its centre, TEXTLINE_BASE_ROW the
             * baseline (data/textline.h) */
            float x0 = (float)(cell_x(L, c) - SIDE / 2);
            float y0 = (float)(L->baseline_y - TEXTLINE_BASE_ROW);
            for (int y = 0; y < SIDE; y++)
                for (int x = 0; x < SIDE; x++)
                    rd->patch[y * SIDE + x] = retina_value_at(r, x0 + (float)x, y0 + (float)y);
            if (rr->predict(rr->ctx, rd->patch, rd->probs) != 0)
                continue;
            int best = 0;
            for (int k = 1; k < rr->n_classes; k++)
                if (rd->probs[k] > rd->probs[best])
                    best = k;
            ReadCell *k = &cells[c];
            if (k->label < 0 || dist < k->dist || (dist == k->dist && rd->probs[best] > k->conf)) {
                k->label = best;
                k->conf = rd->probs[best];
                k->dist = dist;
            }
            if (dist == 0) {
                label0 = best;
                *conf = rd->probs[best];
                memcpy(probs, rd->probs, sizeof(float) * (size_t)rr->n_classes);
            }
        }
    }
    if (plan)
        plan_next(rd, e, c0);
    return label0;
}

size_t sim_reading_state_size(const SimReading *rd)
{
    if (rd->text)
        return sim_text_state_size(rd->text);
    return sizeof(ReadCore) + sizeof(ReadCell) * (size_t)rd->n_cells;
}

void sim_reading_state_save(const SimReading *rd, void *buf)
{
    if (rd->text) {
        sim_text_state_save(rd->text, buf);
        return;
    }
    memcpy(buf, &rd->core, sizeof(ReadCore));
    memcpy((unsigned char *)buf + sizeof(ReadCore), rd->cells,
           sizeof(ReadCell) * (size_t)rd->n_cells);
}

int sim_reading_state_load(SimReading *rd, const void *buf, size_t n)
{
    if (sim_reading_state_check(rd, buf, n) < 0)
        return -1;
    if (rd->text) {
        sim_text_state_load(rd->text, buf);
        return 0;
    }
    memcpy(&rd->core, buf, sizeof(ReadCore));
    memcpy(rd->cells, (const unsigned char *)buf + sizeof(ReadCore),
           sizeof(ReadCell) * (size_t)rd->n_cells);
    return 0;
}

int sim_reading_state_check(const SimReading *rd, const void *buf, size_t n)
{
    if (rd->text)
        return sim_text_state_check(rd->text, buf, n);
    if (n != sim_reading_state_size(rd)) {
        sc_set_error("state: reading state of %zu bytes does not fit (%zu)", n,
                     sim_reading_state_size(rd));
        return -1;
    }
    ReadCore k;
    memcpy(&k, buf, sizeof(k));
    if (k.line < 0 || k.line > rd->n_lines || (k.line == rd->n_lines && !k.done) ||
        (k.done != 0 && k.done != 1) || (k.started != 0 && k.started != 1) ||
        (k.started_line != 0 && k.started_line != 1)) {
        sc_set_error("state: bad reading line or flag");
        return -1;
    }
    const unsigned char *p = (const unsigned char *)buf + sizeof(ReadCore);
    for (int i = 0; i < rd->n_cells; i++) {
        ReadCell c;
        memcpy(&c, p + sizeof(c) * (size_t)i, sizeof(c));
        if (c.label < -1 || c.label >= rd->readers[0].n_classes || !(c.conf >= 0.0f) ||
            !(c.conf <= 1.0f) || c.dist < 0 || c.dist > SIM_READERS_MAX || c.seen < 0 ||
            c.seen > 2) {
            sc_set_error("state: reading cell %d out of range", i);
            return -1;
        }
    }
    return 0;
}

uint64_t sim_reading_state_hash(const SimReading *rd)
{
    if (rd->text)
        return sim_text_state_hash(rd->text);
    uint64_t h = hash64_update(hash64_init(), &rd->core, sizeof(rd->core));
    return hash64_update(h, rd->cells, sizeof(ReadCell) * (size_t)rd->n_cells);
}

int sim_reading_word_at(const SimReading *rd, int line, int cell, SimWordRead *out)
{
    if (rd->text)
        return sim_text_word_at(rd->text, line, cell, out);
    memset(out, 0, sizeof(*out));
    if (line < 0 || line >= rd->n_lines || cell < 0 || cell >= rd->lines[line].cells)
        return 0;
    const ReadCell *cells = rd->cells + rd->first[line];
    if (cells[cell].seen != 1 || (cell > 0 && cells[cell - 1].seen != 2))
        return 0;
    out->line = line;
    out->first_cell = cell;
    int c = cell;
    for (; c < rd->lines[line].cells && cells[c].seen == 1 && c - cell < SIM_WORD_MAX; c++) {
        out->text[c - cell] = sim_reading_letter(&rd->readers[0], cells[c].label);
    }
    out->cells = c - cell;
    out->text[out->cells] = 0;
    memcpy(out->raw, out->text, sizeof(out->raw));
    sim_reading_case_rule(out->text, out->cells);
    return 1;
}

char sim_reading_letter(const SimReader *reader, int label)
{
    const char *name = label >= 0 && label != reader->nothing_class && label < reader->n_classes
                           ? reader->class_names[label]
                           : "?";
    return name[0] && !name[1] ? name[0] : '?';
}

void sim_reading_case_rule(char *text, int n)
{
    /* Capital I and lowercase l are one glyph in many sans fonts (Liberation Sans, Arial,
     * Helvetica: same height, same stroke); a reader tells them apart by the case of the
     * letters around them, as people do: inside a word, I/l takes the case of the letter
     * before it, or of the one after it when the one before starts the word (which may be
     * a capital: "Aldo"). Word-initial, the read stands ("In", "lo"). */
    for (int i = 1; i < n; i++) {
        char *x = &text[i];
        char p = i >= 2 || i + 1 >= n ? text[i - 1] : text[i + 1];
        if ((*x == 'I' || *x == 'l') && ((p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z')))
            *x = (p >= 'a' && p <= 'z') ? 'l' : 'I';
    }
}

int sim_reading_object_word(const SimReading *rd, const SceneObject *o, SimWordRead *out)
{
    int line, cell;
    memset(out, 0, sizeof(*out));
    return sim_reading_object_cell(rd, o, &line, &cell) &&
           sim_reading_word_at(rd, line, cell, out) == 1;
}

int sim_reading_object_cell(const SimReading *rd, const SceneObject *o, int *line, int *cell)
{
    if (rd->text)
        return sim_text_object_cell(rd->text, o, line, cell);
    *line = *cell = -1;
    float top = o->y - 0.5f * o->h, bottom = o->y + 0.5f * o->h, left = o->x - 0.5f * o->w;
    for (int l = 0; l < rd->n_lines; l++) {
        const SceneTextLine *L = &rd->lines[l];
        if ((float)L->baseline_y < top || (float)L->baseline_y > bottom + 1.0f)
            continue;
        /* the first letter's ink is centred on its cell: its left edge lies within the cell
         * to the left of the centre, or (a glyph wider than the pitch) at most half a pitch
         * beyond */
        int c = (int)ceilf((left - (float)L->cell0_x) / (float)TEXTLINE_PITCH);
        if (c < 0 || c >= L->cells)
            return 0;
        *line = l;
        *cell = c;
        return 1;
    }
    return 0;
}

int sim_reading_cells_read(const SimReading *rd)
{
    if (rd->text)
        return sim_text_cells_read(rd->text);
    int n = 0;
    for (int i = 0; i < rd->n_cells; i++)
        n += rd->cells[i].seen == 1 && rd->cells[i].label >= 0;
    return n;
}

int sim_reading_cell_read(const SimReading *rd, int line, int cell, int *label, int *dist)
{
    if (rd->text)
        return sim_text_cell_read(rd->text, line, cell, label, dist);
    *label = -1;
    *dist = 0;
    if (line < 0 || line >= rd->n_lines || cell < 0 || cell >= rd->lines[line].cells)
        return -1;
    const ReadCell *k = &rd->cells[rd->first[line] + cell];
    *label = k->label;
    *dist = k->dist;
    return 0;
}

float sim_reading_letter_offset(const SimReading *rd, float x, float y)
{
    if (rd->text)
        return sim_text_letter_offset(rd->text, x, y);
    float best = -1.0f;
    for (int l = 0; l < rd->n_lines; l++) {
        const SceneTextLine *L = &rd->lines[l];
        if (L->cells <= 0)
            continue;
        int c = (int)lroundf((x - (float)L->cell0_x) / (float)TEXTLINE_PITCH);
        c = c < 0 ? 0 : c >= L->cells ? L->cells - 1 : c;
        float d =
            hypotf(x - (float)cell_x(L, c), y - (float)(L->baseline_y - TEXTLINE_GAZE_ABOVE_BASE));
        if (best < 0.0f || d < best)
            best = d;
    }
    return best;
}
