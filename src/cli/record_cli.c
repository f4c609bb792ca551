#include "cli/record_cli.h"

#include <string.h>

#include "core/log.h"

#if defined(__has_include)
#if __has_include("classifier/classifier.h")
#include "classifier/classifier.h"
#define RECORD_CLI_HAVE_CLASSIFIER 1
#endif
#endif

int record_cli_model_load(RecordCliModel *m, const RunFile *rf, const char *path)
{
    memset(m, 0, sizeof *m);
    if (rf->header.model_hash == 0)
        return 0;
#ifdef RECORD_CLI_HAVE_CLASSIFIER
    char buf[1024];
    if (!path) {
        if (classifier_default_path(&rf->header.scene, NULL, buf, sizeof buf) < 0)
            return -1;
        path = buf;
    }
    Classifier *c = classifier_load(path);
    if (!c)
        return -1;
    m->model = c;
    classifier_sim_adapter(c, &m->cls);
    m->cls_ptr = &m->cls;
    m->hash = classifier_hash(c);
    return 0;
#else
    (void)path;
    sc_set_error("run recorded with a classifier, and this build has none");
    return -1;
#endif
}

void record_cli_model_free(RecordCliModel *m)
{
#ifdef RECORD_CLI_HAVE_CLASSIFIER
    Classifier *c = m->model;
    classifier_destroy(&c);
#endif
    memset(m, 0, sizeof *m);
}
