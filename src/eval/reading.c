/* eval/reading.c: the reading eye on pages of words in held-out font families (eval.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "core/log.h"
#include "core/paths.h"
#include "data/dataset.h"
#include "data/textline.h"
#include "eval/eval.h"
#include "sim/lexicon.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "sim/sim_reading.h"

#define PAGE_SECONDS_MAX 900.0 /* simulated; a page not read by then counts as read so far */

/* Dense multiply-adds of one classifier's layers (the fixed V1 front end not counted). */
static long dense_macs(const Classifier *c)
{
    long m = 0;
    for (int l = 0; l < classifier_layer_count(c); l++)
        m += (long)classifier_layer_size(c, l) * classifier_layer_size(c, l + 1);
    return m;
}

/* The farthest of the first `readers` extra readers' distances (0: the fovea alone). */
static int reader_reach(int readers)
{
    int reach = 0;
    for (int i = 0; i < readers; i++)
        reach = abs(sim_reader_offset(i)) > reach ? abs(sim_reader_offset(i)) : reach;
    return reach;
}

/* A word of n letters' slot in EvalReadingTally.len_*. */
static int len_index(size_t n)
{
    return n > EVAL_READING_LEN_MAX ? EVAL_READING_LEN_MAX : (int)n;
}

/* Reads one page; adds to t. 0 or -1. */
_Static_assert(EVAL_READING_MAX_SURE == SIM_READERS_MAX / 2, "one confidence per distance");

/* One page; as_written (--capitals off), or NULL: the vocabulary the readers load. */
static int read_page(const EvalReadingOptions *ro, const Classifier *glyphs, int readers,
                     const char *font, int words, uint64_t seed, EvalReadingTally *t,
                     size_t *params, long *macs, const Lexicon *as_written)
{
    SceneSpec spec;
    memset(&spec, 0, sizeof(spec));
    spec.kind = !ro->text_px ? SCENE_WORDS : ro->prose ? SCENE_PROSE : SCENE_TEXT;
    spec.objects = words;
    spec.text_px = ro->text_px;
    Scene *scene = !ro->text_px ? scene_create_words(&spec, seed, font)
                   : ro->prose  ? scene_create_prose(&spec, seed, font)
                                : scene_create_text(&spec, seed, font);
    if (!scene)
        return -1;
    SimConfig cfg;
    sim_config_default(&cfg);
    Sim *sim = sim_create_with_scene(&cfg, scene, seed);
    if (!sim)
        return -1;
    SimClassifier sc;
    sim_model_adapter((Classifier *)glyphs, &sc);
    sim_set_classifier(sim, &sc);
    if (sim_model_attach_readers(sim, &sc, classifier_hash(glyphs), readers, NULL) < 0 ||
        (ro->n_sure > 0 && sim_set_reading_sure(sim, ro->sure, ro->n_sure) < 0) ||
        (ro->set_place && sim_set_reading_place(sim, ro->place) < 0) ||
        ((ro->word_looks > 0 || ro->set_preview) &&
         sim_set_reading_moves(
             sim, &(SimReadingMoves){ro->word_looks > 0 ? ro->word_looks : SIM_READING_WORD_LOOKS,
                                     ro->set_preview ? ro->preview : SIM_READING_PREVIEW}) < 0) ||
        (ro->no_lexicon && sim_set_reading_lexicon(sim, NULL) < 0) ||
        (as_written && sim_set_reading_lexicon(sim, as_written) < 0)) {
        sim_destroy(&sim);
        return -1;
    }
    /* the cost: the foveal reader and each extra reader's own weights */
    *params = classifier_param_count(glyphs);
    *macs = dense_macs(glyphs);
    for (int i = 0; i < readers; i++) {
        char path[1024];
        Classifier *c = NULL;
        if (sim_model_reader_path(ro->text_px != 0, sim_reader_offset(i), path, sizeof(path)) < 0 ||
            !(c = classifier_load(path))) {
            sim_destroy(&sim);
            return -1;
        }
        *params += classifier_param_count(c);
        *macs += dense_macs(c);
        classifier_destroy(&c);
    }
    const long span_letters = 2L * reader_reach(readers) + 1;
    const SimReading *rd = sim_reading(sim);
    long max_ticks = lround(PAGE_SECONDS_MAX * 1000.0 / cfg.tick_ms);
    for (long i = 0; i < max_ticks && !sim_reading_done(rd); i++)
        sim_tick(sim, NULL, 0);
    /* words: each ground-truth word against the word assembled where it starts */
    const Scene *sc_ = sim_scene(sim);
    const SceneObject *o = scene_objects(sc_);
    const int n_obj = scene_object_count(sc_);
    int *word_line = malloc(sizeof(int) * (size_t)(n_obj > 0 ? n_obj : 1));
    if (!word_line) {
        sim_destroy(&sim);
        sc_set_error("eval reading: out of memory");
        return -1;
    }
    for (int i = 0; i < n_obj; i++) {
        int line, cell;
        SimWordRead wr;
        memset(&wr, 0, sizeof(wr));
        if (sim_reading_object_cell(rd, &o[i], &line, &cell))
            sim_reading_word_at(rd, line, cell, &wr);
        word_line[i] = line;
        t->words++;
        t->words_right += !strcmp(wr.text, o[i].label);
        t->words_right_raw += !strcmp(wr.raw, o[i].label);
        if (getenv("READING_DEBUG") && strcmp(wr.text, o[i].label))
            fprintf(stderr, "%s: '%s' read as '%s'\n", font, o[i].label, wr.text);
        size_t n = strlen(o[i].label);
        t->letters += (long)n;
        t->len_words[len_index(n)]++;
        t->floor_word += ((long)n + span_letters - 1) / span_letters;
        for (size_t k = 0; k < n && wr.text[k]; k++) {
            t->letters_right += wr.text[k] == o[i].label[k];
            /* the reader that gave this letter its kept read (the read itself, no rule) */
            int lab, dist;
            if (sim_reading_cell_read(rd, wr.line, wr.first_cell + (int)k, &lab, &dist) == 0 &&
                lab >= 0 && dist >= 0 && dist <= EVAL_READING_MAX_SURE) {
                t->dist_letters[dist]++;
                t->dist_right[dist] += wr.raw[k] == o[i].label[k];
            }
        }
    }
    t->cells_read += sim_reading_cells_read(rd);
    /* fixations from the first landing on (the first look, at the page centre, is not
     * reading); the last one stays open once the page is read */
    const SceneTextLine *lines;
    int n_lines = scene_text_lines(sc_, &lines);
    /* natural text: the truth's lines (a word left of the one before starts a line), their
     * ink spans, and the page's mean letter width (eval.h) */
    float pitch = (float)TEXTLINE_PITCH;
    float *span = NULL;
    if (ro->text_px) {
        span = malloc(sizeof(float) * 2 * (size_t)(n_obj > 0 ? n_obj : 1));
        if (!span) {
            free(word_line);
            sim_destroy(&sim);
            sc_set_error("eval reading: out of memory");
            return -1;
        }
        double ink = 0, letters = 0;
        n_lines = 0;
        for (int i = 0; i < n_obj; i++) {
            if (i == 0 || o[i].x < o[i - 1].x) {
                span[2 * n_lines] = 1e30f;
                span[2 * n_lines + 1] = -1e30f;
                n_lines++;
            }
            float *sp = &span[2 * (n_lines - 1)];
            sp[0] = fminf(sp[0], o[i].y - 0.5f * o[i].h);
            sp[1] = fmaxf(sp[1], o[i].y + 0.5f * o[i].h);
            word_line[i] = n_lines - 1;
            ink += o[i].w;
            letters += (double)strlen(o[i].label);
        }
        pitch = letters > 0 ? (float)(ink / letters) : 1.0f;
    }
    /* natural text: the fewest fixations across words, line by line (word_line: the truth's) */
    for (int i = 0, line_letters = 0; ro->text_px && i < n_obj; i++) {
        line_letters += (int)strlen(o[i].label);
        if (i == n_obj - 1 || word_line[i + 1] != word_line[i]) {
            t->floor_line += (line_letters + span_letters - 1) / span_letters;
            line_letters = 0;
        }
    }
    const float widen = 0.375f * (float)ro->text_px;
    int prev_line = -1, prev_word = -1, run = 0;
    float prev_x = 0;
    /* visits: 0 never fixated, 1 first visit open or ended after one fixation, 2 refixated
     * on the first visit; first_done: the first visit has ended */
    unsigned char *visit = calloc((size_t)(n_obj > 0 ? n_obj : 1), 2);
    if (!visit) {
        free(word_line);
        sim_destroy(&sim);
        sc_set_error("eval reading: out of memory");
        return -1;
    }
    unsigned char *first_done = visit + (n_obj > 0 ? n_obj : 1);
    for (int i = 1; i < sim_fixation_count(sim); i++) {
        const SimFixation *f = sim_fixation(sim, i);
        t->fixations++;
        if (f->end_ms >= 0) {
            t->fix_closed++;
            t->fix_ms += f->end_ms - f->start_ms;
        }
        int line = -1;
        for (int l = 0; l < n_lines; l++)
            if (span ? f->y >= span[2 * l] - widen && f->y <= span[2 * l + 1] + widen
                     : fabsf(f->y - (float)(lines[l].baseline_y - TEXTLINE_GAZE_ABOVE_BASE)) <
                           0.5f * SCENE_LINE_SPACING)
                line = l;
        if (line >= 0 && line == prev_line) {
            t->line_saccades++;
            if (f->x > prev_x) {
                t->fwd_saccades++;
                t->fwd_letters += (f->x - prev_x) / pitch;
            } else if (prev_x - f->x >= 0.5f * pitch) {
                t->regressions++;
            }
        }
        /* the word under this fixation (eval.h: the ink box widened by half a letter) */
        int word = -1;
        for (int w = 0; w < n_obj && line >= 0; w++)
            if (word_line[w] == line && fabsf(f->x - o[w].x) <= 0.5f * (o[w].w + pitch))
                word = w;
        if (word >= 0)
            t->len_fixations[len_index(strlen(o[word].label))]++;
        if (word != prev_word) {
            if (prev_word >= 0)
                first_done[prev_word] = 1;
            run = 0;
        }
        run++;
        if (word >= 0 && !first_done[word])
            visit[word] = run >= 2 ? 2 : 1;
        prev_word = word;
        prev_line = line;
        prev_x = f->x;
    }
    for (int w = 0; w < n_obj; w++) {
        t->words_fixated += visit[w] > 0;
        t->words_refixated += visit[w] == 2;
    }
    free(visit);
    free(span);
    free(word_line);
    sim_destroy(&sim);
    return 0;
}

static void tally_add(EvalReadingTally *d, const EvalReadingTally *one)
{
    d->words += one->words;
    d->words_right += one->words_right;
    d->words_right_raw += one->words_right_raw;
    d->words_fixated += one->words_fixated;
    d->words_refixated += one->words_refixated;
    d->line_saccades += one->line_saccades;
    d->regressions += one->regressions;
    for (int k = 0; k <= EVAL_READING_MAX_SURE; k++) {
        d->dist_letters[k] += one->dist_letters[k];
        d->dist_right[k] += one->dist_right[k];
    }
    d->letters += one->letters;
    d->letters_right += one->letters_right;
    d->cells_read += one->cells_read;
    d->fixations += one->fixations;
    d->fix_closed += one->fix_closed;
    d->fix_ms += one->fix_ms;
    d->fwd_saccades += one->fwd_saccades;
    d->fwd_letters += one->fwd_letters;
    for (int n = 0; n <= EVAL_READING_LEN_MAX; n++) {
        d->len_words[n] += one->len_words[n];
        d->len_fixations[n] += one->len_fixations[n];
    }
    d->floor_word += one->floor_word;
    d->floor_line += one->floor_line;
}

/* One reader setting over every family: pages of o->page words until o->words are read. */
static int reading_setting(const Classifier *glyphs, const Lexicon *as_written,
                           const EvalReadingOptions *o, int readers, EvalReadingResult *res,
                           EvalReadingRow *row)
{
    row->readers = readers;
    row->reach = reader_reach(readers);
    for (int f = 0; f < res->n_families; f++) {
        for (int p = 0, left = o->words; left > 0; p++) {
            int n = left < o->page ? left : o->page;
            EvalReadingTally one;
            memset(&one, 0, sizeof(one));
            if (read_page(o, glyphs, readers, res->families[f], n, o->seed + (uint64_t)p, &one,
                          &row->params, &row->macs, as_written) < 0)
                return -1;
            if (one.words == 0) {
                sc_set_error("eval reading: a page of %d words holds none", n);
                return -1;
            }
            left -= (int)one.words;
            tally_add(&row->all, &one);
            tally_add(&row->per_family[f], &one);
        }
        eval_note(o->progress, "  %d readers, %s: %ld/%ld words", readers, res->families[f],
                  row->per_family[f].words_right, row->per_family[f].words);
    }
    return 0;
}

int eval_reading(const EvalReadingOptions *o, EvalReadingResult *r)
{
    memset(r, 0, sizeof(*r));
    if (o->n_settings < 1 || o->n_settings > EVAL_READING_MAX_SETTINGS || o->words < 1 ||
        o->page < 1) {
        sc_set_error("eval reading: 1..%d reader settings, at least one word a page",
                     EVAL_READING_MAX_SETTINGS);
        return -1;
    }
    /* the reading test families, none trained on, or the validation families (natural text's
     * add a monospace face): data/dataset.h */
    r->families = !o->split_val ? dataset_reading_test_families
                  : o->text_px  ? dataset_reading_val_families
                                : dataset_glyph_val_families;
    r->n_families = !o->split_val ? DATASET_READING_TEST_FAMILIES
                    : o->text_px  ? DATASET_READING_VAL_FAMILIES
                                  : DATASET_GLYPH_VAL_FAMILIES;
    _Static_assert(DATASET_READING_TEST_FAMILIES <= EVAL_READING_MAX_FAMILIES, "tally room");
    _Static_assert(DATASET_READING_VAL_FAMILIES <= EVAL_READING_MAX_FAMILIES, "tally room");
    if ((!o->split_val || o->text_px) && dataset_reading_families_check() < 0)
        return -1;
    char mpath[1024];
    Classifier *glyphs = NULL;
    if (o->text_px && (o->text_px < SCENE_TEXT_PX_MIN || o->text_px > SCENE_TEXT_PX_MAX)) {
        sc_set_error("eval reading: text size %d px outside %d..%d", o->text_px, SCENE_TEXT_PX_MIN,
                     SCENE_TEXT_PX_MAX);
        return -1;
    }
    const char *model = o->model ? o->model : o->text_px ? "text" : "glyphs";
    if (sim_model_path(NULL, model, mpath, sizeof(mpath)) < 0 || !(glyphs = classifier_load(mpath)))
        return -1;
    if (o->split_val && !classifier_holdout(glyphs)) {
        sc_set_error("eval reading: --split val: %s trained on the validation families", mpath);
        classifier_destroy(&glyphs);
        return -1;
    }
    /* --capitals off: the vocabulary's file as written, loaded once (its pages are read one
     * at a time, so one decoder uses it at a time) */
    Lexicon *as_written = NULL;
    if (o->no_capitals) {
        if (!paths_data_file(mpath, sizeof(mpath), LEXICON_FILE)) {
            sc_set_error("%s: path too long", LEXICON_FILE);
            classifier_destroy(&glyphs);
            return -1;
        }
        if (!(as_written = lexicon_load_as_written(mpath))) {
            classifier_destroy(&glyphs);
            return -1;
        }
    }
    int rc = 0;
    for (int si = 0; si < o->n_settings && rc == 0; si++) {
        rc = reading_setting(glyphs, as_written, o, o->settings[si], r, &r->rows[si]);
        r->n_rows = si + 1;
    }
    lexicon_destroy(&as_written);
    classifier_destroy(&glyphs);
    return rc;
}
