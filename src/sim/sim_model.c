#include "sim/sim_model.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"

_Static_assert(CLASSIFIER_MAX_CLASSES == SIM_MAX_CLASSES, "one class limit");

static int sim_predict(void *ctx, const float *patch, float *probs)
{
    classifier_predict((const Classifier *)ctx, patch, probs);
    return 0;
}

void sim_model_adapter(Classifier *c, SimClassifier *out)
{
    out->ctx = c;
    out->n_classes = classifier_n_classes(c);
    out->class_names = classifier_class_names(c);
    out->nothing_class = classifier_nothing_class(c);
    out->predict = sim_predict;
}

int sim_model_path(const SceneSpec *spec, const char *model_opt, char *buf, size_t n)
{
    const char *name = model_opt;
    if (!name || !name[0])
        name = (spec && spec->kind == SCENE_LETTERS) ? "glyphs" : "mnist";
    const char *rel = NULL;
    if (!strcmp(name, "mnist"))
        rel = "assets/models/mnist.wts";
    else if (!strcmp(name, "glyphs"))
        rel = "assets/models/glyphs.wts";
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
