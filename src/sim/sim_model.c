#include "sim/sim_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/paths.h"
#include "sim/letter_widths.h"
#include "sim/lexicon.h"
#include "sim/sim_reading.h"

_Static_assert(CLASSIFIER_MAX_CLASSES == SIM_MAX_CLASSES, "one class limit");

static int sim_predict(void *ctx, const float *patch, float *probs)
{
    classifier_predict((const Classifier *)ctx, patch, probs);
    return 0;
}

static int sim_features(void *ctx, const float *patch, float *x)
{
    classifier_features((const Classifier *)ctx, patch, x);
    return 0;
}

static int sim_predict_features(void *ctx, const float *x, float *probs)
{
    classifier_predict_features((const Classifier *)ctx, x, probs);
    return 0;
}

void sim_model_adapter(Classifier *c, SimClassifier *out)
{
    memset(out, 0, sizeof(*out));
    out->ctx = c;
    out->n_classes = classifier_n_classes(c);
    out->class_names = classifier_class_names(c);
    out->nothing_class = classifier_nothing_class(c);
    out->predict = sim_predict;
    /* plasticity's path: the V1 energies follow the 28 x 28 pixels in the network's input */
    out->v1_offset = -1;
    if (classifier_input_kind(c) == CLASSIFIER_INPUT_PIXELS_V1) {
        out->n_features = classifier_input_size(CLASSIFIER_INPUT_PIXELS_V1);
        out->v1_offset = CLASSIFIER_SIDE * CLASSIFIER_SIDE;
        out->features = sim_features;
        out->predict_features = sim_predict_features;
    }
}

int sim_model_path(const SceneSpec *spec, const char *model_opt, char *buf, size_t n)
{
    const char *name = model_opt;
    if (!name || !name[0])
        name = !spec                                                      ? "mnist"
               : SCENE_KIND_NATURAL(spec->kind)                           ? "text"
               : spec->kind == SCENE_LETTERS || spec->kind == SCENE_WORDS ? "glyphs"
                                                                          : "mnist";
    const char *rel = NULL;
    if (!strcmp(name, "mnist"))
        rel = "assets/models/mnist.wts";
    else if (!strcmp(name, "glyphs"))
        rel = "assets/models/glyphs.wts";
    else if (!strcmp(name, "chars"))
        rel = "assets/models/chars.wts";
    else if (!strcmp(name, "text"))
        rel = "assets/models/text0.wts";
    if (rel) {
        if (!paths_data_file(buf, n, rel)) {
            sc_set_error("%s: path too long", rel);
            return -1;
        }
        return 0;
    }
    int k = snprintf(buf, n, "%s", name);
    if (k < 0 || (size_t)k >= n) {
        sc_set_error("%s: path too long", name);
        return -1;
    }
    return 0;
}

int sim_model_choose(const SceneSpec *spec, const Scene *scene, const char *model_opt,
                     SimModelChoice *out)
{
    memset(out, 0, sizeof(*out));
    const char *names[SIM_MODEL_MAX] = {model_opt, NULL};
    int n = 1;
    /* "mnist+glyphs": the name before the character model (same reader) */
    if (model_opt && (!strcmp(model_opt, "mnist+chars") || !strcmp(model_opt, "mnist+glyphs"))) {
        names[0] = "mnist";
        names[1] = "chars";
        n = 2;
    } else if ((!model_opt || !model_opt[0]) && spec && spec->kind == SCENE_FILE && scene) {
        int digits = 0, text = 0;
        const SceneObject *o = scene_objects(scene);
        for (int i = 0; i < scene_object_count(scene); i++) {
            digits |= o[i].kind == SCENE_OBJ_DIGIT;
            text |= o[i].kind == SCENE_OBJ_TEXT;
        }
        if (text && digits) {
            names[0] = "mnist";
            names[1] = "chars";
            n = 2;
        } else {
            names[0] = text ? "glyphs" : "mnist";
        }
    }
    for (int i = 0; i < n; i++)
        if (sim_model_path(spec, names[i], out->path[i], sizeof(out->path[i])) < 0)
            return -1;
    out->n = n;
    return 0;
}

struct SimModel {
    int n;
    Classifier *c[SIM_MODEL_MAX];
    char file[SIM_MODEL_MAX][1024];
    char name[80];
    uint64_t hash;
    /* joined reader: the union of the class names, and each model's class -> union index */
    int n_classes, nothing;
    const char *names[SIM_MAX_CLASSES];
    int map[SIM_MODEL_MAX][SIM_MAX_CLASSES];
    float probs[SIM_MODEL_MAX][SIM_MAX_CLASSES];
    /* the model that knows every class of the join (-1: none), and which union classes only
     * one model knows ("nothing" never) */
    int judge;
    unsigned char only[SIM_MAX_CLASSES];
    SimClassifier hook;
};

/* The joined read: each model reads the patch. If a model knows every class of the join (the
 * character model: letters and digits, handwritten ones included) and its most probable class is
 * one that only it knows (a letter), it answers: it was trained to tell those kinds apart, and
 * the others were never shown a letter (a digit reader answers one with a confident digit).
 * Otherwise the answer is the model whose most probable class is the most confident among
 * those that are not "nothing" (all "nothing": the most confident). Its probabilities are
 * carried into the union's classes (the others 0). Ties go to the first model. Deterministic,
 * no allocation. */
static int joined_predict(void *ctx, const float *patch, float *out)
{
    SimModel *m = ctx;
    int best = -1, best_some = 0, judge_top = 0;
    float best_p = -1;
    for (int k = 0; k < m->n; k++) {
        classifier_predict(m->c[k], patch, m->probs[k]);
        int nk = classifier_n_classes(m->c[k]), top = 0;
        for (int i = 1; i < nk; i++)
            if (m->probs[k][i] > m->probs[k][top])
                top = i;
        int some = top != classifier_nothing_class(m->c[k]);
        float p = m->probs[k][top];
        if (best < 0 || (some && !best_some) || (some == best_some && p > best_p)) {
            best = k;
            best_some = some;
            best_p = p;
        }
        if (k == m->judge)
            judge_top = top;
    }
    if (m->judge >= 0 && m->only[m->map[m->judge][judge_top]])
        best = m->judge;
    for (int i = 0; i < m->n_classes; i++)
        out[i] = 0;
    for (int i = 0; i < classifier_n_classes(m->c[best]); i++)
        out[m->map[best][i]] += m->probs[best][i];
    return 0;
}

static int join_classes(SimModel *m)
{
    m->n_classes = 0;
    m->nothing = -1;
    for (int k = 0; k < m->n; k++) {
        const Classifier *c = m->c[k];
        for (int i = 0; i < classifier_n_classes(c); i++) {
            int is_nothing = i == classifier_nothing_class(c);
            const char *nm = classifier_class_name(c, i);
            int j = 0;
            if (is_nothing && m->nothing >= 0) {
                j = m->nothing;
            } else {
                for (j = 0; j < m->n_classes; j++)
                    if (j != m->nothing && !strcmp(m->names[j], nm))
                        break;
            }
            if (j == m->n_classes) {
                if (m->n_classes == SIM_MAX_CLASSES) {
                    sc_set_error("%s + %s: more than %d classes together", m->file[0], m->file[1],
                                 SIM_MAX_CLASSES);
                    return -1;
                }
                m->names[m->n_classes++] = nm;
            }
            if (is_nothing)
                m->nothing = j;
            m->map[k][i] = j;
        }
    }
    int count[SIM_MAX_CLASSES] = {0};
    for (int k = 0; k < m->n; k++)
        for (int i = 0; i < classifier_n_classes(m->c[k]); i++)
            count[m->map[k][i]]++;
    for (int j = 0; j < m->n_classes; j++)
        m->only[j] = count[j] == 1 && j != m->nothing;
    m->judge = -1;
    for (int k = 0; k < m->n && m->judge < 0; k++)
        if (classifier_n_classes(m->c[k]) == m->n_classes)
            m->judge = k;
    return 0;
}

SimModel *sim_model_open(const SimModelChoice *ch)
{
    if (ch->n < 1 || ch->n > SIM_MODEL_MAX) {
        sc_set_error("a reader joins 1 or %d models, not %d", SIM_MODEL_MAX, ch->n);
        return NULL;
    }
    SimModel *m = calloc(1, sizeof(*m));
    if (!m) {
        sc_set_error("out of memory");
        return NULL;
    }
    for (int k = 0; k < ch->n; k++) {
        snprintf(m->file[k], sizeof(m->file[k]), "%s", ch->path[k]);
        if (!(m->c[k] = classifier_load(ch->path[k]))) {
            sim_model_close(&m);
            return NULL;
        }
        m->n = k + 1;
    }
    if (m->n == 1) {
        sim_model_adapter(m->c[0], &m->hook);
        m->hash = classifier_hash(m->c[0]);
        snprintf(m->name, sizeof(m->name), "%s", classifier_dataset(m->c[0]));
        return m;
    }
    if (join_classes(m) < 0) {
        sim_model_close(&m);
        return NULL;
    }
    uint64_t h = hash64_init();
    h = hash64_update(h, "joined-judge", 12); /* the rule, then the models */
    for (int k = 0; k < m->n; k++)
        h = hash64_u64(h, classifier_hash(m->c[k]));
    m->hash = h;
    /* joined: each model by its file's name ("mnist+chars"; the character model's dataset is
     * the glyph set, so the dataset would not tell it from the glyph model) */
    char nm[SIM_MODEL_MAX][40];
    for (int k = 0; k < 2; k++) {
        const char *b = strrchr(m->file[k], '/');
        b = b ? b + 1 : m->file[k];
        size_t len = strlen(b);
        if (len > 4 && !strcmp(b + len - 4, ".wts"))
            len -= 4;
        snprintf(nm[k], sizeof(nm[k]), "%.*s", (int)(len < 39 ? len : 39), b);
    }
    snprintf(m->name, sizeof(m->name), "%s+%s", nm[0], nm[1]);
    m->hook.ctx = m;
    m->hook.n_classes = m->n_classes;
    m->hook.class_names = m->names;
    m->hook.nothing_class = m->nothing;
    m->hook.predict = joined_predict;
    return m;
}

void sim_model_close(SimModel **pm)
{
    SimModel *m = *pm;
    if (!m)
        return;
    for (int k = 0; k < SIM_MODEL_MAX; k++)
        classifier_destroy(&m->c[k]);
    free(m);
    *pm = NULL;
}

const SimClassifier *sim_model_hook(const SimModel *m)
{
    return &m->hook;
}
uint64_t sim_model_hash(const SimModel *m)
{
    return m->hash;
}
const char *sim_model_name(const SimModel *m)
{
    return m->name;
}
int sim_model_count(const SimModel *m)
{
    return m->n;
}
const char *sim_model_file(const SimModel *m, int i)
{
    return i >= 0 && i < m->n ? m->file[i] : NULL;
}
Classifier *sim_model_classifier(const SimModel *m, int i)
{
    return i >= 0 && i < m->n ? m->c[i] : NULL;
}

SimModel *sim_model_find(const SceneSpec *spec, const char *model_opt, uint64_t want)
{
    SimModelChoice ch;
    if (model_opt && model_opt[0]) {
        if (sim_model_choose(spec, NULL, model_opt, &ch) < 0)
            return NULL;
        return sim_model_open(&ch);
    }
    /* a words run's hash also covers its extra readers: its reader is the scene's default,
     * and record_sim_create finds the readers that give the recorded hash */
    if (spec && SCENE_KIND_READS(spec->kind)) {
        if (sim_model_choose(spec, NULL, NULL, &ch) < 0)
            return NULL;
        return sim_model_open(&ch);
    }
    static const char *const shipped[] = {NULL, "mnist", "glyphs", "chars", "mnist+chars"};
    SimModelChoice tried[sizeof shipped / sizeof shipped[0]];
    memset(tried, 0, sizeof tried);
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        if (sim_model_choose(spec, NULL, shipped[i], &ch) < 0)
            continue;
        tried[i] = ch;
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= !memcmp(&tried[j], &ch, sizeof ch);
        if (seen)
            continue;
        SimModel *m = sim_model_open(&ch);
        if (m && m->hash == want)
            return m;
        sim_model_close(&m);
    }
    sc_set_error("run recorded with a reader (hash %016llx) that no shipped model has; give "
                 "the weights file with --model FILE",
                 (unsigned long long)want);
    return NULL;
}

void sim_model_choice_of(const SimModel *m, SimModelChoice *out)
{
    memset(out, 0, sizeof(*out));
    out->n = m->n;
    for (int k = 0; k < m->n; k++)
        snprintf(out->path[k], sizeof(out->path[k]), "%s", m->file[k]);
}

SimModel *sim_model_reopen(const SimModel *m)
{
    SimModelChoice ch;
    sim_model_choice_of(m, &ch);
    return sim_model_open(&ch);
}

int sim_model_reader_path(int natural, int offset, char *buf, size_t n)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "assets/models/%s%+d.wts", natural ? "text" : "reader", offset);
    if (!paths_data_file(buf, n, rel)) {
        sc_set_error("%s: path too long", rel);
        return -1;
    }
    return 0;
}

typedef struct ReaderBank {
    Classifier *c[SIM_READERS_MAX];
    int n;
    Lexicon *lex; /* natural text's vocabulary */
} ReaderBank;

static void bank_release(void *p)
{
    ReaderBank *b = p;
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        classifier_destroy(&b->c[i]);
    lexicon_destroy(&b->lex);
    free(b);
}

/* Loads n readers into a new bank (NULL + error); natural text's vocabulary too, or the bank
 * takes *lex when the caller has one loaded (*lex set to NULL). */
static ReaderBank *bank_load(int natural, int n, Lexicon **lex)
{
    if (n < 0 || n > SIM_READERS_MAX) {
        sc_set_error("--readers: %d out of range (0..%d)", n, SIM_READERS_MAX);
        return NULL;
    }
    if (natural && n > SIM_TEXT_READERS_MAX) {
        sc_set_error("--readers: %d out of range for natural text (0..%d)", n,
                     SIM_TEXT_READERS_MAX);
        return NULL;
    }
    ReaderBank *b = calloc(1, sizeof(*b));
    if (!b) {
        sc_set_error("out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        int off = sim_reader_offset(i);
        char path[1024], want[32];
        snprintf(want, sizeof(want), "%s%+d", natural ? "text" : "reader", off);
        if (sim_model_reader_path(natural, off, path, sizeof(path)) < 0 ||
            !(b->c[i] = classifier_load(path))) {
            bank_release(b);
            return NULL;
        }
        b->n = i + 1;
        if (strcmp(classifier_dataset(b->c[i]), want)) {
            sc_set_error("%s: weights of '%s', not of %s", path, classifier_dataset(b->c[i]), want);
            bank_release(b);
            return NULL;
        }
    }
    if (natural && lex && *lex) {
        b->lex = *lex;
        *lex = NULL;
    } else if (natural) { /* the vocabulary natural text's words are read with */
        char path[1024];
        if (!paths_data_file(path, sizeof(path), LEXICON_FILE)) {
            sc_set_error("%s: path too long", LEXICON_FILE);
            bank_release(b);
            return NULL;
        }
        if (!(b->lex = lexicon_load(path))) {
            bank_release(b);
            return NULL;
        }
    }
    return b;
}

static uint64_t bank_hash(uint64_t h0, const ReaderBank *b)
{
    if (!b->n && !b->lex)
        return h0;
    uint64_t h = hash64_u64(hash64_init(), h0);
    h = hash64_u64(h, (uint64_t)b->n);
    for (int i = 0; i < b->n; i++)
        h = hash64_u64(h, classifier_hash(b->c[i]));
    /* the confidence each reader distance in use needs, where it is not the 0.6 every distance
     * had before it was chosen per distance: recordings made before read with another rule
     * and are refused by name (a model hash mismatch), not replayed into a divergence */
    for (int i = 0; i < b->n; i++) {
        int d = abs(sim_reader_offset(i));
        float sure = sim_reading_sure_default(d);
        if (sure != 0.6f) {
            h = hash64_u64(h, (uint64_t)d);
            h = hash64_update(h, &sure, sizeof(sure));
        }
    }
    /* natural text's vocabulary: runs read letter by letter before it are refused by name */
    if (b->lex) {
        h = hash64_u64(h, lexicon_hash(b->lex));
        /* ... and a word given as the vocabulary's whenever it is the likeliest reading
         * (2026-12-07; before, only from a posterior of 0.5): runs recorded before are
         * refused by name */
        h = hash64_update(h, "map-word", 8);
        /* ... and a line's x-height band cut at a dip judged again (retina_text_line,
         * 2026-12-07): the lines and letters of runs recorded before differ */
        h = hash64_update(h, "xband-cut", 9);
        /* ... and a glimpse's segments merged into the line as a whole (merge_letters,
         * 2026-12-07): a letter seen merged with a neighbour is no longer lost */
        h = hash64_update(h, "merge-glimpse", 13);
        /* ... and a word's first look aimed at the middle of its ink as far as the glimpse
         * shows it reach (retina_text_word_end, 2026-12-07): the saccades of runs recorded
         * before differ */
        h = hash64_update(h, "word-reach", 10);
        /* ... and each letter's read keeping its eight likeliest classes, not four
         * (2026-12-07): the vocabulary's reads differ */
        h = hash64_update(h, "top-8", 5);
        /* ... and a line of 256 letters, not 160, ended where it fills (2026-12-07): long lines
         * read differently */
        h = hash64_update(h, "line-256", 8);
        /* ... and a read judged against its segment's width (letter_widths.h, 2026-12-07): the
         * segments and reads of runs recorded before differ */
        h = hash64_update(h, "letter-width", 12);
        /* ... and word gaps measured between the letters' faint ink, and a segment that does
         * not read surely split at any of its three columns of least ink (2026-12-07, fifth
         * stop): the words and letters of runs recorded before differ */
        h = hash64_update(h, "faint-gap", 9);
        h = hash64_update(h, "split-3", 7);
        /* ... and a glimpse's segments never replacing one another in the line (merge_letters,
         * 2026-12-07, fifth stop) */
        h = hash64_update(h, "merge-own", 9);
        /* ... and a line's size taken from three glimpses in a row that judge it alike, a
         * quarter off its own (line_judged, 2026-12-07, fifth stop) */
        h = hash64_update(h, "size-3", 6);
        /* ... and orienting read from one glimpse as far as it shows text: up to the topmost
         * line, along it to its start (orient, retina_text_line_start, 2026-12-07, sixth
         * stop): the saccades of runs recorded before differ */
        h = hash64_update(h, "orient-far", 10);
        /* ... and a segment read as "nothing" judged by its width in the vocabulary's reading
         * (word_decode, 2026-12-07, sixth stop) */
        h = hash64_update(h, "nothing-width", 13);
        /* ... and a further look's letter that a nearer glimpse's letters flank dropped from
         * the line (merge_letters, 2026-12-07, sixth stop) */
        h = hash64_update(h, "flanked", 7);
        /* ... and a column empty of ink under 3% of a stroke's, not a tenth, where a word or a
         * line is reckoned to end or start (retina_text_word_end, retina_text_line_start,
         * 2026-12-07, sixth stop) */
        h = hash64_update(h, "empty-3pc", 9);
        /* ... and one look, not two, for a next line a return sweep did not find */
        h = hash64_update(h, "sweep-1", 7);
        /* ... and a line's end seen only where the glimpse's ink ends too, and no band of text
         * under 4.5 px high (sim_text_fixation, retina_text_line, 2026-12-07, sixth stop) */
        h = hash64_update(h, "end-ink", 7);
        h = hash64_update(h, "xh-4.5", 6);
        /* ... and a glimpse's segment that shares a stretch with a letter it replaces and with
         * nearer letters that stay cut to the columns they leave (merge_letters, 2026-12-07,
         * seventh stop), a word's first look aimed from its first letter not yet read surely
         * (SIM_READING_PREVIEW), and the fovea sent to that letter when the look planned lies
         * within half a letter of the gaze (plan_read, 2026-12-08): the saccades of runs
         * recorded before differ */
        h = hash64_update(h, "merge-cut", 9);
        h = hash64_update(h, "preview", 7);
        /* ... and every reader mending the segments it reads, a recut among the ways, within
         * a fixation's budget of reads (sim_text.c, read_letter, recut_read, 2026-12-08) */
        h = hash64_update(h, "mend-8-recut", 12);
        const float widen[2] = {SIM_LETTER_WIDTH_LO, SIM_LETTER_WIDTH_HI};
        h = hash64_update(h, widen, sizeof(widen));
        for (int j = 0; j < SIM_LETTER_WIDTHS; j++) {
            h = hash64_u64(h, (uint64_t)(unsigned char)sim_letter_widths[j].letter);
            h = hash64_update(h, &sim_letter_widths[j].lo, sizeof(float));
            h = hash64_update(h, &sim_letter_widths[j].hi, sizeof(float));
        }
    }
    return h;
}

static int bank_attach(Sim *s, const SimClassifier *foveal, ReaderBank *b)
{
    SimReader r[1 + SIM_READERS_MAX];
    r[0] = (SimReader){foveal->ctx,           0,
                       foveal->n_classes,     foveal->class_names,
                       foveal->nothing_class, foveal->predict};
    for (int i = 0; i < b->n; i++) {
        SimClassifier a;
        sim_model_adapter(b->c[i], &a);
        r[i + 1] = (SimReader){a.ctx,         sim_reader_offset(i), a.n_classes,
                               a.class_names, a.nothing_class,      a.predict};
    }
    const Lexicon *lex = b->lex;
    if (sim_set_readers(s, r, 1 + b->n, bank_release, b) < 0) {
        bank_release(b);
        return -1;
    }
    return sim_set_reading_lexicon(s, lex);
}

int sim_model_attach_readers(Sim *s, const SimClassifier *foveal, uint64_t foveal_hash, int n,
                             uint64_t *hash)
{
    ReaderBank *b = bank_load(SCENE_KIND_NATURAL(scene_spec(sim_scene(s))->kind), n, NULL);
    if (!b)
        return -1;
    uint64_t h = bank_hash(foveal_hash, b);
    if (bank_attach(s, foveal, b) < 0)
        return -1;
    if (hash)
        *hash = h;
    return 0;
}

int sim_model_attach_readers_hash(Sim *s, const SimClassifier *foveal, uint64_t foveal_hash,
                                  uint64_t want)
{
    Lexicon *lex = NULL; /* loaded once, passed from bank to bank */
    for (int n = 0; n <= SIM_READERS_MAX; n++) {
        ReaderBank *b = bank_load(SCENE_KIND_NATURAL(scene_spec(sim_scene(s))->kind), n, &lex);
        if (!b)
            break; /* no more reader files */
        if (bank_hash(foveal_hash, b) == want)
            return bank_attach(s, foveal, b);
        lex = b->lex;
        b->lex = NULL;
        bank_release(b);
    }
    lexicon_destroy(&lex);
    sc_set_error("run recorded with classifier or reader weights (hash %016llx) that the "
                 "shipped glyph model and readers do not give",
                 (unsigned long long)want);
    return -1;
}
