#include "cli/record_cli.h"

#include <string.h>

#include "classifier/classifier.h"
#include "sim/sim_model.h"
#include "core/log.h"

/* Loads path and keeps it if its hash is the recorded one (or if `force`). */
static int try_model(RecordCliModel *m, const char *path, uint64_t want, int force)
{
    Classifier *c = classifier_load(path);
    if (!c)
        return -1;
    if (!force && classifier_hash(c) != want) {
        classifier_destroy(&c);
        return 1;
    }
    m->model = c;
    sim_model_adapter(c, &m->cls);
    m->cls_ptr = &m->cls;
    m->hash = classifier_hash(c);
    return 0;
}

int record_cli_model_load(RecordCliModel *m, const RunFile *rf, const char *path)
{
    memset(m, 0, sizeof *m);
    const uint64_t want = rf->header.model_hash;
    if (want == 0)
        return 0;
    char buf[1024];
    if (path) {
        /* an explicit model: used as given; record_sim_create names a hash mismatch */
        if (sim_model_path(&rf->header.scene, path, buf, sizeof buf) < 0) {
            sc_set_error("--model: path too long");
            return -1;
        }
        return try_model(m, buf, want, 1);
    }
    /* the scene's default model first, then the other shipped ones: the one whose hash is
     * the recorded one */
    static const char *const shipped[] = {NULL, "mnist", "glyphs"};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        if (sim_model_path(&rf->header.scene, shipped[i], buf, sizeof buf) < 0)
            continue;
        /* a words run's hash also covers its readers: record_sim_create checks it */
        int r = try_model(m, buf, want, rf->header.scene.kind == SCENE_WORDS && i == 0);
        if (r == 0)
            return 0;
    }
    sc_set_error("run recorded with classifier weights (hash %016llx) that no shipped model "
                 "has; give the weights file with --model FILE",
                 (unsigned long long)want);
    return -1;
}

void record_cli_model_free(RecordCliModel *m)
{
    Classifier *c = m->model;
    classifier_destroy(&c);
    memset(m, 0, sizeof *m);
}
