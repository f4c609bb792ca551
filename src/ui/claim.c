/* claim.c: the accuracy-against-offset curve file and the reading score (claim.h). */
#include "ui/claim.h"

#include "sim/sim_reading.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

int ecc_curve_load(EccCurve *c, const char *weights_path)
{
    memset(c, 0, sizeof(*c));
    const char *slash = strrchr(weights_path, '/');
    const char *dot = strrchr(weights_path, '.');
    size_t stem =
        (dot && (!slash || dot > slash)) ? (size_t)(dot - weights_path) : strlen(weights_path);
    if (stem + 9 >= sizeof(c->path)) {
        sc_set_error("%s: path too long", weights_path);
        return -1;
    }
    memcpy(c->path, weights_path, stem);
    memcpy(c->path + stem, ".ecc.csv", 9);
    FILE *f = fopen(c->path, "r");
    if (!f)
        return 0;
    char line[256];
    int lineno = 0, rc = 1;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (lineno == 1) {
            if (strncmp(line, "offset_px,still,saccades", 24)) {
                sc_set_error("%s:1: want the header offset_px,still,saccades", c->path);
                rc = -1;
                break;
            }
            continue;
        }
        if (line[0] == '\n' || line[0] == 0)
            continue;
        float o, a, b;
        char tail;
        if (sscanf(line, "%f,%f,%f %c", &o, &a, &b, &tail) != 3 || !(o >= 0) || !(a >= 0) ||
            !(a <= 1) || !(b >= 0) || !(b <= 1) || (c->n && o <= c->offset_px[c->n - 1])) {
            sc_set_error("%s:%d: want offset_px,still,saccades (px ascending, fractions 0..1)",
                         c->path, lineno);
            rc = -1;
            break;
        }
        if (c->n == ECC_MAX_ROWS) {
            sc_set_error("%s:%d: more than %d rows", c->path, lineno, ECC_MAX_ROWS);
            rc = -1;
            break;
        }
        c->offset_px[c->n] = o;
        c->still[c->n] = a;
        c->saccades[c->n] = b;
        c->n++;
    }
    fclose(f);
    if (rc == 1 && c->n == 0) {
        sc_set_error("%s: no rows", c->path);
        rc = -1;
    }
    if (rc < 0)
        c->n = 0;
    return rc;
}

float ecc_curve_reliable_px(const EccCurve *c)
{
    float r = -1;
    for (int i = 0; i < c->n && c->still[i] >= ECC_RELIABLE; i++)
        r = c->offset_px[i];
    return r;
}

int read_label_matches(const char *class_name, const char *truth)
{
    return class_name && truth && truth[0] && !strcmp(class_name, truth);
}

void read_mark_wrong_letters(const char *read, const char *truth, char *out, size_t n)
{
    if (n == 0)
        return;
    size_t len = strlen(read), k = 0;
    int same_len = len == strlen(truth);
    for (size_t i = 0; i < len && k + 4 <= n; i++) {
        int wrong = same_len && read[i] != truth[i];
        if (wrong)
            out[k++] = '[';
        out[k++] = read[i];
        if (wrong)
            out[k++] = ']';
    }
    out[k] = 0;
}

void read_score(const Sim *s, ReadScore *score, ObjectRead *reads, int cap)
{
    memset(score, 0, sizeof(*score));
    const Scene *sc = sim_scene(s);
    const SceneObject *obj = scene_objects(sc);
    int n = scene_object_count(sc);
    const SimClassifier *cls = sim_classifier(s);
    score->objects = n;
    for (int i = 0; i < n; i++)
        score->labelled += obj[i].label[0] != 0;
    if (reads)
        for (int i = 0; i < cap; i++)
            reads[i] = (ObjectRead){-1, 0.0f, -1};
    const SimReading *rdg = sim_reading(s);
    if (rdg) { /* reading mode: a word is read once every letter of it is */
        for (int i = 0; i < n; i++) {
            SimWordRead wr;
            if (!sim_reading_object_word(rdg, &obj[i], &wr) || !wr.cells || strchr(wr.text, '?'))
                continue;
            score->read++;
            if (!strcmp(wr.text, obj[i].label))
                score->correct++;
            else
                score->wrong++;
        }
        /* What a word cost: the fixations from the first landing on (the first look, at the
         * page centre, is not reading; as in `eval reading`) and their time, over the words
         * read. The last fixation stays open once the page is read: it no longer counts. */
        double now = sim_time_ms(s), ms = 0;
        int nf = sim_fixation_count(s), fix = 0, done = sim_reading_done(rdg);
        for (int k = 1; k < nf; k++) {
            const SimFixation *f = sim_fixation(s, k);
            if (f->end_ms < 0 && done)
                continue;
            fix++;
            ms += (f->end_ms < 0 ? now : f->end_ms) - f->start_ms;
        }
        if (score->read) {
            score->mean_glimpses = (double)fix / score->read;
            score->mean_ms = ms / score->read;
        }
        return;
    }
    /* One pass over the log with small per-object counters (objects <= SCENE_MAX_OBJECTS). */
    int glimpses[SCENE_MAX_OBJECTS] = {0}, first_done[SCENE_MAX_OBJECTS] = {0};
    double dwell[SCENE_MAX_OBJECTS] = {0};
    SimRead rd[SCENE_MAX_OBJECTS];
    for (int i = 0; i < n; i++)
        rd[i] = (SimRead){-1, 0, 0, -1};
    double sum_g = 0, sum_ms = 0, now = sim_time_ms(s);
    int nf = sim_fixation_count(s);
    for (int k = 0; k < nf; k++) {
        const SimFixation *f = sim_fixation(s, k);
        int o = f->object;
        if (o < 0 || o >= n)
            continue;
        double dur = (f->end_ms < 0 ? now : f->end_ms) - f->start_ms;
        if (!first_done[o]) {
            glimpses[o]++;
            dwell[o] += dur;
        }
        sim_read_update(s, k, &rd[o]);
        if (rd[o].label >= 0 && !first_done[o]) {
            first_done[o] = 1;
            sum_g += glimpses[o];
            sum_ms += dwell[o];
        }
    }
    for (int i = 0; i < n; i++) {
        if (rd[i].label < 0)
            continue;
        score->read++;
        int verdict = -1;
        if (obj[i].label[0]) {
            const char *name = cls && cls->class_names && rd[i].label < cls->n_classes
                                   ? cls->class_names[rd[i].label]
                                   : NULL;
            verdict = read_label_matches(name, obj[i].label);
            if (verdict)
                score->correct++;
            else
                score->wrong++;
        }
        if (reads && i < cap)
            reads[i] = (ObjectRead){rd[i].label, rd[i].confidence, verdict};
    }
    if (score->read) {
        score->mean_glimpses = sum_g / score->read;
        score->mean_ms = sum_ms / score->read;
    }
}

float read_gaze_offset_px(const Sim *s)
{
    const SimReading *rd = sim_reading(s);
    if (rd) { /* reading: the letter under the gaze, not the word around it */
        const Eye *e = sim_eye(s);
        return sim_reading_letter_offset(rd, e->x, e->y);
    }
    const Scene *sc = sim_scene(s);
    const SceneObject *obj = scene_objects(sc);
    int n = scene_object_count(sc);
    const Eye *e = sim_eye(s);
    float best = -1;
    for (int i = 0; i < n; i++) {
        float d = hypotf(obj[i].x - e->x, obj[i].y - e->y);
        if (best < 0 || d < best)
            best = d;
    }
    return best;
}
